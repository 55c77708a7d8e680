"""Exercises of chapter 4, Information theory: surprisal, entropy, cross-entropy and its
gradient, KL divergence in both directions, label smoothing, perplexity, mutual information."""

import math

import numpy as np

from . import Exercise, code, numeric, symbolic


def _softmax_ce_grad(z, labels):
    """Gradient of the mean cross-entropy of softmax(z) against integer labels: (q - y) / n."""
    z = np.asarray(z, dtype=float)
    q = np.exp(z - z.max(axis=1, keepdims=True))
    q /= q.sum(axis=1, keepdims=True)
    return (q - np.eye(z.shape[1])[np.asarray(labels)]) / len(z)


def _kl(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    seen = p > 0
    return float((p[seen] * np.log(p[seen] / q[seen])).sum())


def _perplexity(probs):
    return float(np.exp(-np.mean(np.log(np.asarray(probs, dtype=float)))))


surprisal_in_bits = Exercise(
    "An event has probability 1/32. What is its surprisal in bits?",
    check=numeric(5.0),
    hint="Surprisal is $-\\log_2 p$; write $1/32$ as a power of 2.",
    solution="$-\\log_2 (1/32) = \\log_2 32 = 5$ bits: five fair coin flips' worth of surprise. "
             "(In nats it would be $\\ln 32 \\approx 3.47$.)",
)

entropy_in_bits = Exercise(
    "What is the entropy, in bits, of the distribution (1/2, 1/4, 1/8, 1/8)?",
    check=numeric(1.75),
    hint="Each outcome contributes $p_i \\cdot (-\\log_2 p_i)$: the surprisals are 1, 2, 3 and 3 "
         "bits.",
    solution="$H = \\tfrac12 \\cdot 1 + \\tfrac14 \\cdot 2 + \\tfrac18 \\cdot 3 "
             "+ \\tfrac18 \\cdot 3 = 1.75$ bits, a quarter of a bit less than the uniform "
             "distribution's 2 bits.",
)

loss_of_a_prediction = Exercise(
    "A classifier outputs the logits (2, 1, 0) for an example of class 1 (classes 0, 1, 2). What "
    "is its cross-entropy loss on that example, in nats?",
    check=numeric(math.log(math.e**2 + math.e + 1) - 1, rtol=1e-4),
    hint="The loss is $-\\log q_1$ with $q = \\operatorname{softmax}(z)$; "
         "$\\log q_1 = z_1 - \\log\\sum_k e^{z_k}$.",
    solution="$-\\log q_1 = \\log(e^2 + e^1 + e^0) - 1 = \\log(11.107) - 1 \\approx 1.408$ nats. "
             "(The probability of class 1 is $e/(e^2 + e + 1) \\approx 0.245$.)",
)

bce_gradient = Exercise(
    "For a label y in {0, 1} and a logit z, binary cross-entropy is "
    "-[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))]. What is its derivative with respect to z? "
    "Answer with a formula in z and y, as a string.",
    check=symbolic("sigmoid(z) - y", variables="z y"),
    hint="Use $\\frac{d}{dz}\\log\\sigma(z) = 1 - \\sigma(z)$ and "
         "$\\frac{d}{dz}\\log(1 - \\sigma(z)) = -\\sigma(z)$.",
    solution="$-[y(1 - \\sigma(z)) - (1 - y)\\sigma(z)] = \\sigma(z) - y$: prediction minus "
             "target, as for softmax cross-entropy.",
)

softmax_cross_entropy_grad = Exercise(
    "Write ce_grad(z, labels): for logits z of shape (n, K) and integer labels of shape (n,), "
    "return the gradient of the mean cross-entropy loss with respect to z, with numpy only.",
    check=code(_softmax_ce_grad, [
        (np.array([[2.0, 1.0, 0.0]]), np.array([1])),
        (np.array([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0], [3.0, 0.0, -2.0, 1.0]]),
         np.array([2, 0, 1])),
        (np.array([[1000.0, 0.0], [0.0, -1000.0]]), np.array([1, 0])),
    ]),
    hint="Compute $q = \\operatorname{softmax}(z)$ row by row (subtract each row's maximum "
         "first), build the one-hot rows $y$ with `np.eye(K)[labels]`, and remember the mean: "
         "divide by $n$.",
    solution="```python\ndef ce_grad(z, labels):\n    q = np.exp(z - z.max(axis=1, keepdims=True))"
             "\n    q /= q.sum(axis=1, keepdims=True)\n    return (q - np.eye(z.shape[1])[labels])"
             " / len(z)\n```",
)

kl_divergence_code = Exercise(
    "Write kl(p, q) returning KL(p ‖ q) in nats for two probability vectors, with 0 log 0 = 0.",
    check=code(_kl, [
        (np.array([0.5, 0.5]), np.array([0.9, 0.1])),
        (np.array([0.8, 0.15, 0.05]), np.array([1 / 3, 1 / 3, 1 / 3])),
        (np.array([1.0, 0.0, 0.0]), np.array([0.2, 0.3, 0.5])),
        (np.array([0.25, 0.25, 0.5]), np.array([0.25, 0.25, 0.5])),
    ]),
    hint="$\\operatorname{KL}(p\\,\\|\\,q) = \\sum_i p_i \\log(p_i / q_i)$; keep only the entries "
         "with $p_i > 0$ (a boolean mask `p > 0`), so that $0 \\log 0$ never appears.",
    solution="```python\ndef kl(p, q):\n    seen = p > 0\n    return float((p[seen] * "
             "np.log(p[seen] / q[seen])).sum())\n```",
)

label_smoothing_floor = Exercise(
    "With label smoothing ε = 0.1 over K = 10 classes, what is the smallest cross-entropy loss "
    "(in nats) a network could reach on one training example?",
    check=numeric(-(0.91 * math.log(0.91) + 9 * 0.01 * math.log(0.01)), rtol=1e-3),
    hint="$H(p, q) = H(p) + \\operatorname{KL}(p\\,\\|\\,q) \\ge H(p)$, with equality at $q = p$. "
         "What is the smoothed target $p$?",
    solution="The target is $0.91$ on the true class and $0.01$ on each of the other nine. "
             "The best a network can do is predict exactly that, and the loss is then its entropy, "
             "$-(0.91 \\ln 0.91 + 9 \\cdot 0.01 \\ln 0.01) \\approx 0.500$ nats, not 0.",
)

reverse_kl_compromise = Exercise(
    "Run the reverse-KL fit of section 4.6 from μ = 0.3, σ = 1 "
    "(fit_gaussian('reverse', 0.3, 1.0)). What KL divergence does it end with, in nats?",
    check=numeric(1.13533, rtol=2e-3),
    hint="Run it, and compare the KL with the mode-seeking fits' $\\log 2 \\approx 0.693$; look at "
         "$\\mu$ and $\\sigma$ too.",
    solution="It ends at $\\mu = 0$, $\\sigma \\approx 1.80$ with "
             "$\\operatorname{KL} \\approx 1.135$ nats, worse than the $\\log 2 \\approx 0.693$ "
             "of sitting on one mode. Started near "
             "the middle with a wide $\\sigma$, the fit settles on a symmetric compromise, a local "
             "minimum of the reverse KL: minimising it can depend on where you start, unlike the "
             "forward KL to a Gaussian, which has a single minimum.",
)

forward_kl_unequal_modes = Exercise(
    "Fit a Gaussian by forward KL to 0.8 N(-2, 0.6²) + 0.2 N(2, 0.6²). What σ does the fit find?",
    check=numeric(math.sqrt(2.92), rtol=2e-3),
    hint="Forward KL to a Gaussian matches the target's mean and variance. The mean of a mixture "
         "is the weighted mean of the means; $E[x^2]$ of each component is $\\sigma^2 + \\mu^2$.",
    solution="The mean is $0.8 \\cdot (-2) + 0.2 \\cdot 2 = -1.2$ and "
             "$E[x^2] = 0.36 + 4 = 4.36$, so the variance is $4.36 - 1.44 = 2.92$ and "
             "$\\sigma = \\sqrt{2.92} \\approx 1.709$ "
             "(with $\\mu = -1.2$). Running `fit_gaussian` on the new target gives the same.",
)

perplexity_code = Exercise(
    "Write ppl(probs): given the probabilities a language model gave to each token that really "
    "occurred, return its perplexity on that text.",
    check=code(_perplexity, [np.array([0.5, 0.25, 0.125]), np.full(7, 0.1),
                             np.array([0.9, 0.01, 0.3, 0.6, 0.05])]),
    hint="Perplexity is $e$ to the cross-entropy in nats: the mean of $-\\log$ of the "
         "probabilities, exponentiated.",
    solution="```python\ndef ppl(probs):\n    return float(np.exp(-np.mean(np.log(probs))))\n```\n"
             "Ten equally likely tokens at every step give perplexity 10.",
)

mutual_information_of_a_copy = Exercise(
    "X is uniform on {0, 1, 2, 3} and Y = X mod 2. What is I(X; Y) in bits?",
    check=numeric(1.0),
    hint="$I(X; Y) = H(Y) - H(Y \\mid X)$. Once $X$ is known, how uncertain is $Y$?",
    solution="$Y$ is a function of $X$, so $H(Y \\mid X) = 0$ and $I(X; Y) = H(Y) = 1$ bit "
             "($Y$ is a fair coin). Knowing $Y$ leaves $X$ with 1 bit of its 2: "
             "$I = H(X) - H(X \\mid Y) = 2 - 1$.",
)

EXERCISES = ["surprisal_in_bits", "entropy_in_bits", "loss_of_a_prediction", "bce_gradient",
             "softmax_cross_entropy_grad", "kl_divergence_code", "label_smoothing_floor",
             "reverse_kl_compromise", "forward_kl_unequal_modes", "perplexity_code",
             "mutual_information_of_a_copy"]
