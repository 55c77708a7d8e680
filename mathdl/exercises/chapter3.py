"""Exercises of chapter 3, Probability and statistics: densities, Bayes, likelihoods, priors,
batch normalisation, initialisation, the central limit theorem and the reparameterisation trick."""

import math

import numpy as np

from . import Exercise, code, numeric, symbolic

rare_condition = Exercise(
    "A condition affects 1 % of people. A test detects 90 % of those who have it and clears "
    "95 % of those who do not. You test positive. What is the probability that you have the "
    "condition? Answer with a number between 0 and 1.",
    check=numeric(2 / 13, rtol=0.05),
    hint="Imagine 1,000 people: how many have the condition and test positive, and how many "
         "do not have it and test positive anyway?",
    solution="Of 1,000 people, 10 have the condition and 9 of them test positive; of the 990 "
             "without it, 5 % = 49.5 test positive too. So $P(C \\mid +) = 9 / 58.5 = 2/13 "
             "\\approx 0.154$: most positives are false alarms, because the healthy group is "
             "so much larger.",
)

density_height = Exercise(
    "X is uniform on the interval [2, 2.25]. What is its density p(x) at x = 2.1?",
    check=numeric(4.0),
    hint="The density is constant on the interval and the area under it must be 1.",
    solution="The interval has length 0.25, so the density is $1 / 0.25 = 4$ there. A density "
             "can exceed 1; only its integral must be 1.",
)

second_opinion = Exercise(
    "A condition has prior probability 0.02. A test has sensitivity 0.95 and specificity 0.90. "
    "What is P(condition | positive)?",
    check=numeric(0.95 * 0.02 / (0.95 * 0.02 + 0.10 * 0.98), rtol=1e-3),
    hint="$P(+) = P(+ \\mid C)\\,P(C) + (1 - \\text{specificity})\\,(1 - P(C))$.",
    solution="$P(+) = 0.95 \\cdot 0.02 + 0.10 \\cdot 0.98 = 0.117$, so "
             "$P(C \\mid +) = 0.019 / 0.117 \\approx 0.162$.",
)

coin_posterior_mean = Exercise(
    "A coin's bias θ has the prior Beta(2, 2). You flip it 10 times and see 7 heads. What is "
    "the posterior mean of θ?",
    check=numeric(9 / 14),
    hint="The posterior is Beta(a + heads, b + tails), and Beta(a, b) has mean a / (a + b).",
    solution="The posterior is Beta(9, 5), with mean $9/14 \\approx 0.643$: between the "
             "observed fraction 0.7 and the prior's 0.5.",
)


def _gaussian_nll(y, mu, sigma):
    return (y - mu) ** 2 / (2 * sigma**2) + np.log(sigma) + 0.5 * np.log(2 * np.pi)


gaussian_nll = Exercise(
    "Write gaussian_nll(y, mu, sigma): the negative log-density -log N(y; mu, sigma²) for numpy "
    "arrays (elementwise; sigma > 0).",
    check=code(_gaussian_nll, [(np.array([0.0, 1.0, -2.0]), np.array([0.0, 0.5, 1.0]), 1.0),
                               (np.array([3.0]), np.array([1.0]), np.array([0.5])),
                               (np.linspace(-1, 1, 5), 0.2, np.linspace(0.5, 2, 5))]),
    hint="$\\mathcal N(y; \\mu, \\sigma^2) = \\frac{1}{\\sigma\\sqrt{2\\pi}}"
         "\\exp\\!\\big(-\\frac{(y - \\mu)^2}{2\\sigma^2}\\big)$; take $-\\log$ of each factor.",
    solution="`return (y - mu)**2 / (2 * sigma**2) + np.log(sigma) + 0.5 * np.log(2 * np.pi)`",
)

laplace_penalty = Exercise(
    "A weight w has the Laplace prior with location 0 and scale b: p(w) = exp(-|w| / b) / (2b). "
    "What is -log p(w)? Answer with a formula in w and b, as a string.",
    check=symbolic("Abs(w)/b + log(2*b)", variables="w b",
                   points=[(0.7, 0.5), (-1.3, 2.0), (2.1, 0.3), (-0.4, 1.2)]),
    hint="$-\\log$ of a quotient is the log of the denominator minus the log of the numerator; "
         "$\\log e^{u} = u$.",
    solution="$-\\log p(w) = \\frac{|w|}{b} + \\log 2b$: an L1 penalty $|w|/b$ plus a constant, "
             "so MAP with this prior is L1 regularisation with strength $1/b$.",
)

he_std = Exercise(
    "A ReLU layer has 512 inputs. With which standard deviation should its weights be drawn "
    "(zero mean) so that the variance of the pre-activations stays the same from layer to layer?",
    check=numeric(math.sqrt(2 / 512), rtol=1e-3),
    hint="Var(z) = n σ_w² E[x²], and after a ReLU E[x²] is half the variance of the previous "
         "layer's pre-activations.",
    solution="He initialisation: $\\sigma_w^2 = 2/n = 2/512$, so $\\sigma_w = 1/16 = 0.0625$.",
)


def _batchnorm_train(x, eps=1e-5):
    return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)


batchnorm_train = Exercise(
    "Write batchnorm_train(x, eps=1e-5): batch normalisation in train mode with γ = 1 and β = 0, "
    "for a numpy array x of shape (batch, features): normalise each feature (column) with the "
    "batch mean and the biased (1/n) variance.",
    check=code(_batchnorm_train, [np.array([[1.0, 2.0], [3.0, 2.5], [5.0, -1.0]]),
                                  np.array([[0.0, 10.0], [1.0, 30.0]]),
                                  (np.arange(12.0).reshape(4, 3) ** 2, 0.1)]),
    hint="`x.mean(axis=0)` and `x.var(axis=0)` give one number per feature; broadcasting does "
         "the rest. Put eps inside the square root.",
    solution="`return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)`",
)

relu_depth = Exercise(
    "An experiment. Build 10 layers md.nn.Linear(100, 100) and overwrite each weight matrix with "
    "draws from N(0, 1/100) (variance 1/100: right for tanh, half of He's). Send a batch of 500 "
    "standard Gaussian inputs through them with a ReLU after every layer but the last, and "
    "report Var(z) after layer 10 divided by Var(z) after layer 1 (z: a layer's output before "
    "its ReLU). A number; yours will differ a little from anyone else's.",
    check=numeric(0.5 ** 9, rtol=0.5),
    hint="Section 3.6: each ReLU layer multiplies Var(z) by n σ_w² / 2. How many such factors lie "
         "between layer 1 and layer 10?",
    solution="Each layer multiplies the variance by $100 \\cdot \\frac{1}{100} \\cdot \\frac12 = "
             "\\frac12$, and nine layers lie between the first and the tenth: "
             "$2^{-9} \\approx 0.002$. A measurement typically lands within 30 % of that.",
)

mean_of_waiting_times = Exercise(
    "Waiting times follow the exponential distribution with rate 2 (mean 1/2, standard deviation "
    "1/2). What is the standard deviation of the average of 400 independent waiting times?",
    check=numeric(0.025, rtol=1e-3),
    hint="The variance of a sum of independent variables is the sum of their variances; "
         "dividing by n divides the variance by n².",
    solution="$\\sigma/\\sqrt n = 0.5 / 20 = 0.025$, and by the central limit theorem that "
             "average is very nearly Gaussian, although each waiting time is far from it.",
)


def _reparam_gradients(mu, sigma, eps):
    z = mu + sigma * eps
    return np.array([np.mean(2 * (z - 1)), np.mean(2 * (z - 1) * eps)])


reparam_gradients = Exercise(
    "Write reparam_gradients(mu, sigma, eps): the reparameterisation estimates of the gradient of "
    "E[(z - 1)²], z ~ N(mu, sigma²), with respect to mu and sigma, from the standard Gaussian "
    "draws eps (a numpy array), as the array [d/dmu, d/dsigma].",
    check=code(_reparam_gradients, [(0.5, 2.0, np.array([0.3, -1.2, 0.8])),
                                    (-1.0, 0.1, np.array([1.0, 2.0, -0.5, 0.0])),
                                    (2.0, 1.5, np.linspace(-2, 2, 9))]),
    hint="Write z = mu + sigma·eps and differentiate (z - 1)² for each draw: the chain rule "
         "gives 2(z - 1) times dz/dmu or dz/dsigma. Then average over the draws.",
    solution="`z = mu + sigma * eps; return np.array([np.mean(2 * (z - 1)), "
             "np.mean(2 * (z - 1) * eps)])`. Their expectations are $2(\\mu - 1)$ and "
             "$2\\sigma$, the gradient of the exact $E[(z-1)^2] = (\\mu - 1)^2 + \\sigma^2$.",
)


def _map_mean(x, sigma, tau):
    x = np.asarray(x, dtype=float)
    return x.sum() / sigma**2 / (len(x) / sigma**2 + 1 / tau**2)


map_mean = Exercise(
    "Write map_mean(x, sigma, tau): the MAP estimate of μ from data x (a numpy array) with the "
    "likelihood N(x_i; μ, sigma²) for each point and the prior μ ~ N(0, tau²).",
    check=code(_map_mean, [(np.array([1.0, 2.0, 3.0]), 1.0, 1.0),
                           (np.array([0.5]), 2.0, 0.5), (np.linspace(-1, 4, 6), 0.5, 10.0)]),
    hint="Minimise $\\sum_i \\frac{(x_i - \\mu)^2}{2\\sigma^2} + \\frac{\\mu^2}{2\\tau^2}$: set "
         "its derivative in μ to zero.",
    solution="$\\mu_{MAP} = \\dfrac{\\sum_i x_i / \\sigma^2}{n/\\sigma^2 + 1/\\tau^2}$: the sample "
             "mean shrunk towards 0, less so as n grows. `return x.sum() / sigma**2 / (len(x) / "
             "sigma**2 + 1 / tau**2)`",
)
