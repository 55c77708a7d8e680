"""Exercises of chapter 3, Probability and statistics: densities, Bayes, likelihoods, priors,
batch normalisation, initialisation, the central limit theorem and the reparameterisation trick."""

import math

import numpy as np

from . import Exercise, choice, code, numeric, symbolic

rare_condition = Exercise(
    "A condition affects 1 % of people. A test detects 90 % of those who have it and clears 95 % "
    "of those who do not. You test positive. About how likely is it that you have the condition?",
    check=choice(["about 90 %", "about 50 %", "about 15 %", "about 1 %"], answer="c", why={
        "a": "90 % is the sensitivity, P(positive | condition): the chance of a positive if you "
             "have it. The question asks the reverse, P(condition | positive).",
        "b": "Half and half would need as many false alarms as true positives; there are far "
             "more false alarms, because the healthy group is 99 times larger.",
        "c": "Yes: of 1,000 people, 9 have it and test positive, but about 50 of the 990 without "
             "it test positive too, so 9 of 59 positives (15 %) have it.",
        "d": "1 % is the prior, before the test. A positive result does raise it: the test is "
             "far from useless, just not conclusive for a rare condition."}),
    hint="Imagine 1,000 people: how many have the condition and test positive, and how many do "
         "not have it and test positive anyway?",
    solution="(c): $P(C \\mid +) = \\frac{0.9 \\cdot 0.01}{0.9 \\cdot 0.01 + 0.05 \\cdot 0.99} = "
             "\\frac{2}{13} \\approx 0.154$.",
)

confounded = Exercise(
    "Over a year, a town's daily ice-cream sales and its daily number of swimming accidents have a "
    "correlation of 0.8. If ice cream were banned, what would most likely happen to the accidents?",
    check=choice(["they would fall a lot", "they would barely change", "they would rise"],
                 answer="b", why={
        "a": "That reads the correlation as a cause. Both rise on hot days, when people buy ice "
             "cream and also go swimming: the weather is the common cause.",
        "b": "Yes: hot weather drives both; banning ice cream leaves the weather, and the "
             "swimming, as they were.",
        "c": "Nothing in the data suggests ice cream prevents accidents; the correlation is "
             "positive and comes from a common cause, the weather."}),
    hint="What makes people buy ice cream, and what makes people go swimming?",
    solution="(b): a confounder, hot weather, raises both. Only an experiment that changes ice "
             "cream sales and nothing else could show an effect.",
)

density_height = Exercise(
    "X is uniform on the interval [2, 2.25]. What is its density p(x) at x = 2.1?",
    check=numeric(4.0, mistakes=[
        (0.25, "0.25 is the interval's length. The area under the density is 1, so its height is "
               "one over the length."),
        (1.0, "A density can exceed 1: only its area must be 1, and this interval is short."),
        (0.4, "0.4 = P(2 ≤ X ≤ 2.1) is a probability; the density is probability per unit "
              "length: 0.4 / 0.1."),
    ]),
    hint="The density is constant on the interval and the area under it must be 1.",
    solution="The interval has length 0.25, so the density is $1 / 0.25 = 4$ there. A density "
             "can exceed 1; only its integral must be 1.",
)

second_opinion = Exercise(
    "A condition has prior probability 0.02. A test has sensitivity 0.95 and specificity 0.90. "
    "What is P(condition | positive)?",
    check=numeric(0.95 * 0.02 / (0.95 * 0.02 + 0.10 * 0.98), rtol=2e-3, digits=2, mistakes=[
        (0.95, "0.95 is the sensitivity P(+ | C), the reverse of what is asked."),
        (0.019, "0.019 = P(+ and C). Divide it by P(+), the probability of a positive at all."),
        (0.95 * 0.02 / (0.95 * 0.02 + 0.90 * 0.98),
         "The false-positive rate is 1 - specificity = 0.10, not the specificity 0.90."),
    ]),
    hint="$P(+) = P(+ \\mid C)\\,P(C) + (1 - \\text{specificity})\\,(1 - P(C))$.",
    solution="$P(+) = 0.95 \\cdot 0.02 + 0.10 \\cdot 0.98 = 0.117$, so "
             "$P(C \\mid +) = 0.019 / 0.117 \\approx 0.162$.",
)

coin_posterior_mean = Exercise(
    "A coin's bias θ has the prior Beta(2, 2). You flip it 10 times and see 7 heads. What is the "
    "posterior mean of θ?",
    check=numeric(9 / 14, rtol=2e-3, mistakes=[
        (0.7, "0.7 is the maximum-likelihood estimate, which ignores the prior."),
        (9 / 11, "The posterior is Beta(2 + 7, 2 + 3): the tails count too, in b."),
        (0.5, "0.5 is the prior mean; the ten flips move it."),
    ]),
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
                               (np.linspace(-1, 1, 5), 0.2, np.linspace(0.5, 2, 5))], mistakes=[
        (lambda y, mu, sigma: (y - mu) ** 2 / (2 * sigma**2),
         "That is the squared error part only; -log of the normalising factor 1/(σ√(2π)) adds "
         "log σ + ½ log 2π."),
        (lambda y, mu, sigma: (y - mu) ** 2 / (2 * sigma**2) + np.log(sigma),
         "Almost: the constant ½ log 2π is missing."),
        (lambda y, mu, sigma: (y - mu) ** 2 / sigma**2 + np.log(sigma) + 0.5 * np.log(2 * np.pi),
         "The exponent is -(y - μ)²/(2σ²): the factor ½ is missing."),
    ]),
    hint="$\\mathcal N(y; \\mu, \\sigma^2) = \\frac{1}{\\sigma\\sqrt{2\\pi}}"
         "\\exp\\!\\big(-\\frac{(y - \\mu)^2}{2\\sigma^2}\\big)$; take $-\\log$ of each factor.",
    solution="`return (y - mu)**2 / (2 * sigma**2) + np.log(sigma) + 0.5 * np.log(2 * np.pi)`",
)

log_sigma_gradient = Exercise(
    "Section 3.5 learned the noise level through s = log σ, so that σ = exp(s) stays positive. "
    "For one example, what is the derivative of -log N(y; mu, exp(s)²) with respect to s? "
    "Answer with a formula in y, mu and s, as a string.",
    check=symbolic("1 - (y - mu)**2*exp(-2*s)", variables="y mu s", mistakes={
        "(y - mu)**2*exp(-2*s) - 1": "That is the derivative of log N, the log-likelihood; the "
                                     "question asks for the negative log-likelihood.",
        "1 - (y - mu)**2*exp(-2*s)/2": "The factor exp(-2s) brings down -2 when differentiated, "
                                       "which cancels the ½ of the exponent.",
        "-(y - mu)**2*exp(-2*s)": "The normalising factor 1/σ contributes -log(1/σ) = s to the "
                                  "negative log-likelihood, and its derivative 1.",
        "exp(-s) - (y - mu)**2*exp(-3*s)": "That is the derivative in σ, written with σ = "
                                           "exp(s); the chain rule multiplies it by dσ/ds = σ."}),
    hint="$-\\log \\mathcal N(y; \\mu, \\sigma^2) = \\frac{(y - \\mu)^2}{2}e^{-2s} + s + "
         "\\frac12 \\log 2\\pi$ when $\\sigma = e^s$. Differentiate each term in $s$.",
    solution="$\\frac{\\partial}{\\partial s}\\Big[\\frac{(y - \\mu)^2}{2}e^{-2s} + s\\Big] = "
             "1 - (y - \\mu)^2 e^{-2s}$. Averaged over the data it vanishes where $\\sigma^2 = "
             "e^{2s}$ is the mean squared residual: the noise level section 3.5 learned.",
)


def _map_mean(x, sigma, tau):
    x = np.asarray(x, dtype=float)
    return x.sum() / sigma**2 / (len(x) / sigma**2 + 1 / tau**2)


map_mean = Exercise(
    "Write map_mean(x, sigma, tau): the MAP estimate of μ from data x (a numpy array) with the "
    "likelihood N(x_i; μ, sigma²) for each point and the prior μ ~ N(0, tau²).",
    check=code(_map_mean, [(np.array([1.0, 2.0, 3.0]), 1.0, 1.0),
                           (np.array([0.5]), 2.0, 0.5), (np.linspace(-1, 4, 6), 0.5, 10.0)],
               mistakes=[
        (lambda x, sigma, tau: np.mean(x),
         "That is the maximum-likelihood estimate, the sample mean: the prior is missing."),
        (lambda x, sigma, tau: np.sum(x) / (len(x) + 1 / tau**2),
         "The likelihood's terms are divided by σ²: weigh the data by 1/σ² against the "
         "prior's 1/τ²."),
        (lambda x, sigma, tau: np.sum(x) / sigma**2 / (len(x) / sigma**2 + 1 / tau),
         "The prior's curvature is 1/τ², not 1/τ."),
    ]),
    hint="Minimise $\\sum_i \\frac{(x_i - \\mu)^2}{2\\sigma^2} + \\frac{\\mu^2}{2\\tau^2}$: set "
         "its derivative in μ to zero.",
    solution="$\\mu_{MAP} = \\dfrac{\\sum_i x_i / \\sigma^2}{n/\\sigma^2 + 1/\\tau^2}$: the sample "
             "mean shrunk towards 0, less so as n grows. `return x.sum() / sigma**2 / (len(x) / "
             "sigma**2 + 1 / tau**2)`",
)


def _batchnorm_train(x, eps=1e-5):
    return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)


batchnorm_train = Exercise(
    "Write batchnorm_train(x, eps=1e-5): batch normalisation in train mode with γ = 1 and β = 0, "
    "for a numpy array x of shape (batch, features): normalise each feature (column) with the "
    "batch mean and the biased (1/n) variance.",
    check=code(_batchnorm_train, [np.array([[1.0, 2.0], [3.0, 2.5], [5.0, -1.0]]),
                                  np.array([[0.0, 10.0], [1.0, 30.0]]),
                                  (np.arange(12.0).reshape(4, 3) ** 2, 0.1)], mistakes=[
        (lambda x, eps=1e-5: (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + eps),
         "Batch normalisation divides by n (the biased variance) to normalise; the unbiased "
         "1/(n-1) variance goes only into the running estimate."),
        (lambda x, eps=1e-5: (x - x.mean(axis=0)) / (np.sqrt(x.var(axis=0)) + eps),
         "ε goes inside the square root: √(σ² + ε)."),
        (lambda x, eps=1e-5: (x - x.mean(axis=1, keepdims=True))
         / np.sqrt(x.var(axis=1, keepdims=True) + eps),
         "That normalises each example (row) over its features, as layer normalisation does; "
         "batch normalisation normalises each feature (column) over the batch."),
    ]),
    hint="`x.mean(axis=0)` and `x.var(axis=0)` give one number per feature; broadcasting does "
         "the rest. Put eps inside the square root.",
    solution="`return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)`",
)

he_std = Exercise(
    "A ReLU layer has 512 inputs. With which standard deviation should its weights be drawn "
    "(zero mean) so that the variance of the pre-activations stays the same from layer to layer?",
    check=numeric(math.sqrt(2 / 512), rtol=2e-3, mistakes=[
        (2 / 512, "2/512 is the variance σ_w²; the question asks for the standard deviation."),
        (math.sqrt(1 / 512), "√(1/n) keeps the variance for tanh (nearly linear near 0); ReLU "
                             "zeroes half its inputs, so it needs twice the variance."),
        (1 / 512, "1/n is a variance, and the one for tanh; ReLU needs 2/n, and then a square "
                  "root."),
    ]),
    hint="Var(z) = n σ_w² E[x²], and after a ReLU E[x²] is half the variance of the previous "
         "layer's pre-activations.",
    solution="He initialisation: $\\sigma_w^2 = 2/n = 2/512$, so $\\sigma_w = 1/16 = 0.0625$.",
)

relu_depth = Exercise(
    "An experiment. Build 10 layers md.nn.Linear(200, 200) and overwrite each weight matrix with "
    "draws from N(0, 4/200) (twice He's variance). Send a batch of 500 standard Gaussian inputs "
    "through them, with a ReLU after every layer but the last, and compute "
    "log₂(Var(z₁₀) / Var(z₁)), z_k being layer k's output before its ReLU. Repeat with 5 "
    "different seeds and report the average.",
    check=numeric(9.0, rtol=0, atol=0.7, mistakes=[
        (lambda got: got > 100,
         "That looks like the ratio itself; the exercise asks for its base-2 logarithm."),
        (lambda got: abs(got - 10) < 0.3, "About 10 would mean ten doublings; between layer 1 "
                                          "and layer 10 there are nine."),
        (lambda got: abs(got - 18) < 1, "About 18 would mean a factor 4 = n σ_w² per layer; "
                                        "the ReLU zeroes half of each layer's input, so the "
                                        "factor is n σ_w² / 2."),
        (lambda got: abs(got) < 0.7, "No change is what He's 2/n would give; with 4/n each "
                                     "ReLU layer doubles the variance."),
        (lambda got: got < 0, "The variance grows with this initialisation, so the log of the "
                              "ratio is positive: check the order of the ratio."),
    ]),
    hint="Section 3.6: each ReLU layer multiplies Var(z) by n σ_w² / 2. How many such factors lie "
         "between layer 1 and layer 10?",
    solution="Each layer multiplies the variance by $200 \\cdot \\frac{4}{200} \\cdot \\frac12 = "
             "2$, and nine layers lie between the first and the tenth: $\\log_2 2^{9} = 9$. "
             "Averages of five runs land within about ±0.6 of it.",
)

mean_of_waiting_times = Exercise(
    "Waiting times follow the exponential distribution with rate 2 (mean 1/2, standard deviation "
    "1/2). What is the standard deviation of the average of 400 independent waiting times?",
    check=numeric(0.025, rtol=2e-3, mistakes=[
        (0.5, "0.5 is the spread of one waiting time; averaging 400 of them narrows it."),
        (0.5 / 400, "Averaging divides the variance by n, so the standard deviation by √n, "
                    "not by n."),
        (0.25 / 400, "0.25/400 is the variance of the average; take its square root."),
    ]),
    hint="The variance of a sum of independent variables is the sum of their variances; "
         "dividing by n divides the variance by n².",
    solution="$\\sigma/\\sqrt n = 0.5 / 20 = 0.025$, and by the central limit theorem that "
             "average is very nearly Gaussian, although each waiting time is far from it.",
)


def _reparam_gradients(mu, sigma, eps):
    z = mu + sigma * np.asarray(eps, dtype=float)
    return np.array([np.mean(2 * (z - 1)), np.mean(2 * (z - 1) * eps)])


reparam_gradients = Exercise(
    "Write reparam_gradients(mu, sigma, eps): the reparameterisation estimates of the gradient of "
    "E[(z - 1)²], z ~ N(mu, sigma²), with respect to mu and sigma, from the standard Gaussian "
    "draws eps (a numpy array), as the array [d/dmu, d/dsigma].",
    check=code(_reparam_gradients, [(0.5, 2.0, np.array([0.3, -1.2, 0.8])),
                                    (-1.0, 0.1, np.array([1.0, 2.0, -0.5, 0.0])),
                                    (2.0, 1.5, np.linspace(-2, 2, 9))], mistakes=[
        (lambda mu, sigma, eps: np.array([np.mean(2 * (mu + sigma * eps - 1))] * 2),
         "dz/dσ = ε: the σ-gradient of each draw is 2(z - 1)·ε."),
        (lambda mu, sigma, eps: np.array([np.mean(2 * (mu + sigma * eps)),
                                          np.mean(2 * (mu + sigma * eps) * eps)]),
         "The function is (z - 1)², so its derivative is 2(z - 1), not 2z."),
        (lambda mu, sigma, eps: np.array([2 * (mu - 1), 2 * sigma]),
         "Those are the exact gradients; the exercise asks for the estimates from the draws eps."),
    ]),
    hint="Write z = mu + sigma·eps and differentiate (z - 1)² for each draw: the chain rule "
         "gives 2(z - 1) times dz/dmu or dz/dsigma. Then average over the draws.",
    solution="`z = mu + sigma * eps; return np.array([np.mean(2 * (z - 1)), "
             "np.mean(2 * (z - 1) * eps)])`. Their expectations are $2(\\mu - 1)$ and "
             "$2\\sigma$, the gradient of the exact $E[(z-1)^2] = (\\mu - 1)^2 + \\sigma^2$.",
)
