"""Exercises of chapter 4, Information theory: surprisal, entropy, cross-entropy and its
gradients, KL divergence in both directions, temperature, label smoothing, mutual information
and perplexity.

Three are predictions asked in the text before the result is shown (forward_or_reverse in §4.6,
temperature_and_accuracy in §4.7, unseen_pair in §4.9); the others close the chapter."""

import math

import numpy as np

from . import Exercise, choice, code, numeric, symbolic

LN2 = math.log(2)


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _entropies(q):
    """-Σ q log q along the last axis (0 · log 0 = 0)."""
    return -np.where(q > 0, q * np.log(np.where(q > 0, q, 1)), 0).sum(axis=-1)


# ---------------------------------------------------------------- predictions in the text

forward_or_reverse = Exercise(
    "One Gaussian N(μ, σ²) is fitted to the two-bump target ½ N(-2, 0.6²) + ½ N(2, 0.6²), once "
    "by minimising the forward KL(p ‖ q) and once the reverse KL(q ‖ p). Which pair of fits do "
    "you expect?",
    check=choice([
        "forward: wide, centred between the bumps; reverse: narrow, on one bump",
        "forward: narrow, on one bump; reverse: wide, centred between the bumps",
        "both wide and centred between the bumps: the best Gaussian is the best Gaussian",
        "both narrow, each sitting on one bump",
    ], answer="a", why={
        "a": "Right: forward KL averages over the target, so q must cover both bumps; reverse KL "
             "averages over q, so q may ignore a bump but must avoid the empty valley.",
        "b": "The other way round: forward KL pays log(p/q) wherever the *target* has mass, so a "
             "q that misses a bump pays a huge price there.",
        "c": "KL is not symmetric, so the two directions can disagree. Reverse KL pays for q's "
             "mass in the valley, where p is almost 0.",
        "d": "Forward KL cannot ignore a bump: where p has mass and q almost none, log(p/q) is "
             "huge.",
    }),
    hint="Ask of each direction: the average is taken over which distribution, and where does "
         "$\\log(p/q)$ or $\\log(q/p)$ become huge?",
    solution="(a). $\\operatorname{KL}(p\\,\\|\\,q)$ averages $\\log(p/q)$ over $p$: a $q$ that is "
             "tiny under either bump pays heavily, so it covers both (mode covering). "
             "$\\operatorname{KL}(q\\,\\|\\,p)$ averages $\\log(q/p)$ over $q$: mass where $p$ is "
             "tiny costs a lot and a missed bump costs nothing, so $q$ sits in one bump (mode "
             "seeking).",
)

temperature_and_accuracy = Exercise(
    "The digits network's logits are divided by a temperature T before the softmax. As T grows "
    "from 0.1 to 100, what happens on the test digits?",
    check=choice([
        "the mean entropy of the predictions rises from near 0 towards log 10, and the accuracy "
        "stays the same",
        "the entropy rises, and the accuracy falls as the predictions get vaguer",
        "the entropy falls: a larger T makes the network more confident",
        "the entropy rises, and the accuracy rises too, since the network is less overconfident",
    ], answer="a", why={
        "a": "Right: z/T keeps the order of the logits, so no predicted class changes, while the "
             "softmax flattens towards uniform (entropy log 10 ≈ 2.30 nats).",
        "b": "The predicted class is the largest logit, and dividing every logit by the same "
             "T > 0 keeps their order: not one prediction changes.",
        "c": "Dividing by a large T shrinks the differences between the logits, and that "
             "flattens the softmax: more entropy, not less.",
        "d": "The calibration can improve, but the accuracy cannot move: the largest logit stays "
             "the largest.",
    }),
    hint="Which class does the network predict: the largest probability, which belongs to the "
         "largest logit. Does dividing all logits by the same positive number change which one "
         "is largest? And what does softmax do to logits that are all nearly 0?",
    solution="(a). $\\operatorname{softmax}(z/T)$ tends to a one-hot arg-max as $T \\to 0$ "
             "(entropy 0) and to the uniform distribution as $T \\to \\infty$ (entropy "
             "$\\log 10$); the arg-max itself never changes, so neither does the accuracy.",
)

unseen_pair = Exercise(
    "The held-out sentence contains a word pair that never occurs in the training text. What is "
    "the perplexity of the counted bigram model (the normalised pair counts) on that sentence?",
    check=choice([
        "a little above the add-one-smoothed model's, since only one pair is new",
        "exactly V, the uniform model's perplexity",
        "infinite",
        "it cannot be computed: the model has no row for that pair",
    ], answer="c", why={
        "a": "One term of the average is -log 0 = ∞, and a single infinite term makes the "
             "average infinite, however good the rest is.",
        "b": "The counted model does not fall back on anything: a pair it never saw has count 0, "
             "so probability 0.",
        "c": "Right: the unseen pair gets probability 0, its surprisal is -log 0 = ∞, and so are "
             "the mean surprisal and its exponential.",
        "d": "The first word of the pair was seen in training, so its row exists; it holds a 0 "
             "for the next word: probability 0, surprisal ∞.",
    }),
    hint="Perplexity is $e$ to the *mean* surprisal of the words that occurred. What is the "
         "surprisal of a word the model gives probability 0?",
    solution="(c). $-\\log 0 = \\infty$, so the mean surprisal and the perplexity are infinite "
             "(§4.5: KL is infinite when a model rules out something that happens). Smoothing "
             "exists to prevent exactly this.",
)

# ---------------------------------------------------------------- recall and calculation

surprisal_in_bits = Exercise(
    "An event has probability 1/32. What is its surprisal in bits?",
    check=numeric(5.0, mistakes=[
        (math.log(32), "That is the surprisal in nats (ln 32); in bits use log₂."),
        (1 / 32, "That is the probability itself; the surprisal is -log₂ p."),
        (32, "32 is the number of equally likely outcomes 1/32 stands for; the surprisal is its "
             "logarithm."),
    ]),
    hint="Surprisal is $-\\log_2 p$; write $1/32$ as a power of 2.",
    solution="$-\\log_2 (1/32) = \\log_2 32 = 5$ bits: five fair coin flips' worth of surprise. "
             "(In nats it would be $\\ln 32 \\approx 3.47$.)",
)

entropy_in_bits = Exercise(
    "What is the entropy, in bits, of the distribution (1/2, 1/4, 1/8, 1/8)?",
    check=numeric(1.75, mistakes=[
        (2.0, "2 bits is the entropy of the uniform distribution on four outcomes; this one is "
              "less uncertain."),
        (1.75 * LN2, "That is the entropy in nats; the question asks for bits (log₂)."),
        (1.375, "Each of the two outcomes of probability 1/8 contributes 1/8 · 3 bits: count "
                "both."),
    ]),
    hint="Each outcome contributes $p_i \\cdot (-\\log_2 p_i)$: the surprisals are 1, 2, 3 and 3 "
         "bits.",
    solution="$H = \\tfrac12 \\cdot 1 + \\tfrac14 \\cdot 2 + \\tfrac18 \\cdot 3 "
             "+ \\tfrac18 \\cdot 3 = 1.75$ bits, a quarter of a bit less than the uniform "
             "distribution's 2 bits.",
)

_LOSS = math.log(math.e**2 + math.e + 1) - 1

loss_of_a_prediction = Exercise(
    "A classifier outputs the logits (2, 1, 0) for an example of class 1 (the classes are "
    "numbered 0, 1, 2). What is its cross-entropy loss on that example, in nats?",
    check=numeric(_LOSS, rtol=1e-4, mistakes=[
        (_LOSS - 1, "That is the loss for class 0, whose logit is 2. The classes are numbered "
                    "from 0, so class 1 has the logit 1."),
        (_LOSS + 1, "That is the loss for class 2, whose logit is 0. The classes are numbered "
                    "from 0, so class 1 has the logit 1."),
        (math.e / (math.e**2 + math.e + 1), "That is the probability of class 1; the loss is "
                                            "minus its logarithm."),
        (_LOSS / LN2, "That is the loss in bits; the question asks for nats (ln)."),
    ]),
    hint="The loss is $-\\log q_1$ with $q = \\operatorname{softmax}(z)$, and "
         "$\\log q_1 = z_1 - \\log\\sum_k e^{z_k}$.",
    solution="$-\\log q_1 = \\log(e^2 + e^1 + e^0) - 1 = \\log(11.107) - 1 \\approx 1.408$ nats. "
             "(The probability of class 1 is $e/(e^2 + e + 1) \\approx 0.245$.)",
)

bce_gradient_in_q = Exercise(
    "Binary cross-entropy of a predicted probability q against a label y in {0, 1} is "
    "-[y log q + (1 - y) log(1 - q)]. What is its derivative with respect to q (the "
    "probability, not the logit)? Answer with a formula in q and y, as a string.",
    check=symbolic("(q - y) / (q * (1 - q))", variables="q y", mistakes={
        "q - y": "q - y is the derivative with respect to the logit z. With respect to q, the "
                 "sigmoid's slope q(1 - q) is not there to cancel the denominators.",
        "-y/q - (1 - y)/(1 - q)": "Check the second term: d/dq log(1 - q) = -1/(1 - q), and "
                                  "the loss has a minus sign in front.",
        "(q - y) * q * (1 - q)": "That multiplies by the sigmoid's slope; going from the logit "
                                 "to the probability divides by it.",
    }),
    hint="Differentiate term by term: $\\frac{d}{dq}\\log q = 1/q$ and "
         "$\\frac{d}{dq}\\log(1 - q) = -1/(1 - q)$. Then put the two fractions over one "
         "denominator.",
    solution="$-\\frac{y}{q} + \\frac{1 - y}{1 - q} = \\frac{q - y}{q(1 - q)}$. Multiplied by "
             "$\\frac{dq}{dz} = q(1 - q)$ (the chain rule through the sigmoid) it becomes "
             "$q - y$: the logit's clean gradient. With respect to $q$ itself it blows up "
             "near 0 and 1, one reason networks output logits.",
)

smoothed_temperature = Exercise(
    "An experiment. Temperature scaling works in both directions. Choose the temperature of "
    "§4.7's label-smoothed network (net_smooth) on the validation images, as §4.7 did for the "
    "plain network (the validation loss's minimum over T). What T do you find?",
    check=numeric(0.73478, rtol=5e-3, mistakes=[
        (lambda T: abs(T - 1.988) < 0.01, "1.99 is the plain network's temperature; use the "
                                          "logits of net_smooth on X_val."),
        (lambda T: abs(T - 1 / 0.73478) < 0.01, "That is 1/T: the logits are divided by T, "
                                                "so an underconfident network needs T < 1."),
        (lambda T: T > 1, "A temperature above 1 flattens the predictions further, but this "
                          "network is already underconfident: its best T is below 1."),
    ]),
    hint="Compute `z_val = logits_of(net_smooth, X_val)`, then rerun the Newton loop of §4.7 "
         "(or try a grid of temperatures and keep the one with the lowest validation loss).",
    solution="$T^* \\approx 0.735$. Label smoothing left the network underconfident (its "
             "reliability bars stood above the diagonal), and a temperature below 1 sharpens its "
             "predictions back: temperature scaling repairs miscalibration in either direction, "
             "without changing a single predicted class.",
)

reverse_kl_compromise = Exercise(
    "Run the reverse-KL fit of §4.6 from μ = 0.3, σ = 1 (fit_gaussian('reverse', 0.3, 1.0)). "
    "What KL divergence does it end with, in nats?",
    check=numeric(1.13533, rtol=2e-3, mistakes=[
        (lambda kl: abs(kl - LN2) < 0.01, "That is what the fits started at μ = ±1 reach, on "
                                          "one bump. Run the fit from μ = 0.3: it ends "
                                          "elsewhere."),
        (lambda kl: abs(kl - 0.5552) < 0.005, "That is the forward fit's KL; the fit asked for "
                                              "is fit_gaussian('reverse', 0.3, 1.0)."),
        (lambda kl: abs(kl - 1.8) < 0.01, "1.8 is the fit's σ; the question asks for its final "
                                          "KL, the third number fit_gaussian returns."),
    ]),
    hint="Run it, and compare the KL with the mode-seeking fits' $\\log 2 \\approx 0.693$; look "
         "at $\\mu$ and $\\sigma$ too.",
    solution="It ends at $\\mu = 0$, $\\sigma \\approx 1.80$ with $\\operatorname{KL} \\approx "
             "1.135$ nats, worse than the $\\log 2 \\approx 0.693$ of sitting on one bump. "
             "Started near the middle, the fit settles on a symmetric compromise, a local "
             "minimum of the reverse KL (its Hessian there is positive definite): minimising "
             "reverse KL can depend on where you start.",
)

mutual_information_of_parity = Exercise(
    "X is uniform on {0, 1, 2, 3} and Y = X mod 2 (Y says whether X is odd). What is I(X; Y) "
    "in bits?",
    check=numeric(1.0, mistakes=[
        (2.0, "2 bits is H(X). Y keeps only X's last bit: knowing Y leaves 1 of X's 2 bits "
              "unknown."),
        (0.0, "X and Y are far from independent: Y is a function of X."),
        (LN2, "That is the answer in nats; the question asks for bits."),
    ]),
    hint="$I(X; Y) = H(Y) - H(Y \\mid X)$. Once $X$ is known, how uncertain is $Y$?",
    solution="$Y$ is a function of $X$, so $H(Y \\mid X) = 0$ and $I(X; Y) = H(Y) = 1$ bit "
             "($Y$ is a fair coin). Knowing $Y$ leaves $X$ with 1 bit of its 2: "
             "$I = H(X) - H(X \\mid Y) = 2 - 1$.",
)

# ---------------------------------------------------------------- code


def _forward_sigma(w):
    """σ of the forward-KL Gaussian fit: the mixture's standard deviation (moment matching)."""
    mean = w * -2.0 + (1 - w) * 2.0
    return math.sqrt(0.6**2 + 4.0 - mean**2)


forward_kl_unequal_modes = Exercise(
    "An experiment. Write forward_sigma(w): fit a Gaussian by forward KL (as in §4.6) to the "
    "mixture w · N(-2, 0.6²) + (1 - w) · N(2, 0.6²) and return the σ it finds. (Run the fit "
    "with mathdl, changing the target of §4.6, or reason it out; it is checked for w = 0.8, "
    "0.5 and 0.3.)",
    check=code(_forward_sigma, [0.8, 0.5, 0.3], rtol=2e-3, mistakes=[
        (lambda w: math.sqrt(4.36), "√4.36 is the root of E[x²], right only for w = 0.5, "
                                    "where the mean is 0. Subtract the mean's square."),
        (lambda w: _forward_sigma(w) ** 2, "That is the variance σ²; return σ."),
        (lambda w: 0.6, "0.6 is one bump's width: what reverse KL finds. Forward KL covers "
                        "both bumps."),
    ]),
    hint="Forward KL to a Gaussian matches the target's mean and variance. The mean of a mixture "
         "is the weighted mean of the means; $E[x^2]$ of each bump is $\\sigma^2 + \\mu^2$. "
         "Or: give `log_target` a weight and rerun `fit_gaussian(\"forward\", ...)`.",
    solution="The mean is $\\mu = -2w + 2(1 - w) = 2 - 4w$ and $E[x^2] = 0.36 + 4 = 4.36$ for "
             "every $w$, so $\\sigma = \\sqrt{4.36 - (2 - 4w)^2}$: for $w = 0.8$, "
             "$\\mu = -1.2$ and $\\sigma = \\sqrt{2.92} \\approx 1.709$.\n"
             "```python\ndef forward_sigma(w):\n    mean = 2 - 4 * w\n"
             "    return (0.36 + 4 - mean**2) ** 0.5\n```\n"
             "Running the fit on the new target gives the same, to three digits.",
)


def _softmax_ce_grad(z, labels):
    """Gradient of the mean cross-entropy of softmax(z) against integer labels: (q - y) / n."""
    return (_softmax(z) - np.eye(z.shape[1])[labels]) / len(z)


_LOGITS = [
    (np.array([[2.0, 1.0, 0.0]]), np.array([1])),
    (np.array([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0], [3.0, 0.0, -2.0, 1.0]]),
     np.array([2, 0, 1])),
    (np.array([[1000.0, 0.0], [0.0, -1000.0]]), np.array([1, 0])),
]

softmax_cross_entropy_grad = Exercise(
    "Write ce_grad(z, labels): for logits z of shape (n, K) (a numpy array) and integer labels "
    "of shape (n,), return the gradient of the mean cross-entropy loss with respect to z, with "
    "numpy only. Subtract each row's largest logit before exponentiating, so that large logits "
    "cannot overflow.",
    check=code(_softmax_ce_grad, _LOGITS, mistakes=[
        (lambda z, labels: _softmax(z) - np.eye(z.shape[1])[labels],
         "That is the gradient of the summed loss; the loss is a mean over the n rows: divide "
         "by n."),
        (lambda z, labels: (np.eye(z.shape[1])[labels] - _softmax(z)) / len(z),
         "That is y - q, the direction that *raises* the loss; the gradient is q - y."),
        (lambda z, labels: _softmax(z) / len(z),
         "That is softmax(z) / n without the target: subtract the one-hot rows y."),
        (lambda z, labels: (_softmax(z, axis=0) - np.eye(z.shape[1])[labels]) / len(z),
         "Your softmax normalises each column; each row is one example's distribution, so "
         "normalise along axis=1."),
    ]),
    hint="Compute $q = \\operatorname{softmax}(z)$ row by row (`z - z.max(axis=1, keepdims=True)` "
         "first), build the one-hot rows $y$ with `np.eye(K)[labels]`, and remember the mean: "
         "divide by $n$.",
    solution="```python\ndef ce_grad(z, labels):\n    q = np.exp(z - z.max(axis=1, keepdims=True))"
             "\n    q /= q.sum(axis=1, keepdims=True)\n    return (q - np.eye(z.shape[1])[labels])"
             " / len(z)\n```",
)


def _kl(p, q):
    seen = p > 0
    return float((p[seen] * np.log(p[seen] / q[seen])).sum())


kl_divergence_code = Exercise(
    "Write kl(p, q) returning KL(p ‖ q) in nats for two probability vectors (numpy arrays), "
    "with the convention 0 · log 0 = 0: an outcome with pᵢ = 0 contributes nothing.",
    check=code(_kl, [
        (np.array([0.5, 0.5]), np.array([0.9, 0.1])),
        (np.array([0.8, 0.15, 0.05]), np.array([1 / 3, 1 / 3, 1 / 3])),
        (np.array([0.25, 0.25, 0.5]), np.array([0.25, 0.25, 0.5])),
        (np.array([0.6, 0.4, 0.0]), np.array([0.3, 0.6, 0.1])),
    ], mistakes=[
        (lambda p, q: -float((p[p > 0] * np.log(q[p > 0])).sum()),
         "That is the cross-entropy H(p, q); KL(p ‖ q) = H(p, q) - H(p) subtracts the "
         "entropy."),
        (lambda p, q: _kl(p, q) / math.log(2), "That is KL in bits (log₂); the exercise asks "
                                               "for nats (np.log)."),
    ]),
    hint="$\\operatorname{KL}(p\\,\\|\\,q) = \\sum_i p_i \\log(p_i / q_i)$; keep only the entries "
         "with $p_i > 0$ (a boolean mask `p > 0`), so that $0 \\log 0$ never appears. Mind the "
         "direction: $p$ weights the sum.",
    solution="```python\ndef kl(p, q):\n    seen = p > 0\n    return float((p[seen] * "
             "np.log(p[seen] / q[seen])).sum())\n```",
)


def _perplexity(probs):
    return float(np.exp(-np.mean(np.log(probs))))


perplexity_code = Exercise(
    "Write ppl(probs): given the probabilities a language model gave to each token of a text "
    "that really occurred (a numpy array), return the model's perplexity on that text.",
    check=code(_perplexity, [np.array([0.5, 0.25, 0.125]), np.full(7, 0.1),
                             np.array([0.9, 0.01, 0.3, 0.6, 0.05])], mistakes=[
        (lambda probs: float(-np.mean(np.log(probs))),
         "That is the cross-entropy per token, in nats; the perplexity is e to that power."),
        (lambda probs: float(np.exp(-np.sum(np.log(probs)))),
         "That uses the total surprisal; perplexity takes the mean over the tokens first."),
        (lambda probs: float(1 / np.mean(probs)),
         "That is one over the average probability; perplexity averages the surprisals "
         "-log p (a geometric mean of the probabilities), not the probabilities."),
        (lambda probs: float(2 ** -np.mean(np.log(probs))),
         "That raises 2 to a cross-entropy in nats; use e with nats (or 2 with log₂)."),
    ]),
    hint="Perplexity is $e$ to the cross-entropy in nats: the mean of $-\\log$ of the "
         "probabilities, exponentiated.",
    solution="```python\ndef ppl(probs):\n    return float(np.exp(-np.mean(np.log(probs))))\n```\n"
             "Ten equally likely tokens at every step give perplexity 10.",
)


def _smoothing_floor(eps, K):
    target = np.full(K, eps / K)
    target[0] += 1 - eps
    return float(_entropies(target))


def _smoothing_floor_other_convention(eps, K):   # 1 - ε on the true class, ε/(K-1) elsewhere
    target = np.full(K, eps / (K - 1))
    target[0] = 1 - eps
    return float(_entropies(target))


label_smoothing_floor = Exercise(
    "Write smoothing_floor(eps, K): with label smoothing ε (the target is (1 - ε)·y + ε/K) over "
    "K classes, the smallest cross-entropy loss, in nats, that a network can reach on one "
    "training example, however good it is. It is checked for (ε, K) = (0.1, 100), (0.2, 5), "
    "(0.05, 1000), (0, 10) and (1, 4).",
    check=code(_smoothing_floor, [(0.1, 100), (0.2, 5), (0.05, 1000), (0.0, 10), (1.0, 4)],
               mistakes=[
        (lambda eps, K: 0.0, "A perfect network predicts the smoothed target itself, and the "
                             "cross-entropy is then the target's entropy, not 0."),
        (_smoothing_floor_other_convention, "The true class gets 1 - ε plus its own share ε/K "
                                            "of the smoothing, and every other class ε/K."),
        (lambda eps, K: _smoothing_floor(eps, K) / LN2, "That is the floor in bits; the "
                                                        "exercise asks for nats (np.log)."),
    ]),
    hint="$H(p, q) = H(p) + \\operatorname{KL}(p\\,\\|\\,q) \\ge H(p)$, with equality at "
         "$q = p$: the floor is the entropy of the smoothed target. Build that target as an "
         "array and compute $-\\sum p \\log p$, keeping $0 \\log 0 = 0$ for $\\varepsilon = 0$.",
    solution="```python\ndef smoothing_floor(eps, K):\n    p = np.full(K, eps / K)\n"
             "    p[0] += 1 - eps\n    p = p[p > 0]\n    return float(-(p * np.log(p)).sum())\n"
             "```\nFor $\\varepsilon = 0.1$ and $K = 100$ the target is 0.901 and 99 × 0.001, and "
             "the floor is about 0.778 nats; $\\varepsilon = 1$ gives the uniform target and "
             "$\\log K$.",
)


def _stable_bce(z, y):
    return float((np.logaddexp(0, z) - y * z).mean())


_BCE_CASES = [(np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.0, 0.0])),
              (np.array([40.0, -40.0, 0.0, 3.0]), np.array([0.0, 1.0, 1.0, 1.0])),
              (np.array([800.0, -800.0]), np.array([1.0, 0.0])),
              (np.array([800.0, -800.0]), np.array([0.0, 1.0]))]

stable_binary_cross_entropy = Exercise(
    "Write bce(z, y): the mean binary cross-entropy of logits z against labels y (numpy "
    "arrays of the same shape, labels 0 or 1), computed from the logits so that it stays "
    "finite for logits as large as ±800, where σ(z) rounds to exactly 0 or 1.",
    check=code(_stable_bce, _BCE_CASES, mistakes=[
        (lambda z, y: float((np.logaddexp(0, z) - y * z).sum()),
         "That is the sum over the examples; the exercise asks for the mean."),
        (lambda z, y: float((np.logaddexp(0, z) - (1 - y) * z).mean()),
         "That is the loss of the opposite labels: for y = 1 the loss is log(1 + e^(-z)), "
         "small when z is large."),
    ]),
    hint="Write the loss with the logit: $-[y \\log\\sigma(z) + (1-y)\\log(1-\\sigma(z))] = "
         "\\log(1 + e^{z}) - y z$. Then compute $\\log(1 + e^z)$ without overflow: "
         "`np.logaddexp(0, z)`, or $\\max(z, 0) + \\log(1 + e^{-|z|})$.",
    solution="```python\ndef bce(z, y):\n    return float((np.logaddexp(0, z) - y * z).mean())\n"
             "```\nWith $\\log\\sigma(z) = -\\log(1 + e^{-z})$ and "
             "$\\log(1 - \\sigma(z)) = -z - \\log(1 + e^{-z})$ the loss is "
             "$\\log(1 + e^{z}) - yz$: no $\\sigma$ is ever rounded, so nothing becomes "
             "$\\log 0$. `md.nn.binary_cross_entropy_with_logits` does the same.",
)

EXERCISES = ["forward_or_reverse", "temperature_and_accuracy", "unseen_pair",
             "surprisal_in_bits", "entropy_in_bits", "loss_of_a_prediction", "bce_gradient_in_q",
             "softmax_cross_entropy_grad", "kl_divergence_code", "label_smoothing_floor",
             "smoothed_temperature", "stable_binary_cross_entropy", "reverse_kl_compromise",
             "forward_kl_unequal_modes", "perplexity_code", "mutual_information_of_parity"]
