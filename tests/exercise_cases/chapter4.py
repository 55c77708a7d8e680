"""Chapter 4's exercises: right answers in several forms, typical mistakes.

(The answer keys are re-derived independently in tests/test_chapter4.py.)"""

import math

import numpy as np

import mathdl as md


def _softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _ce_grad_numpy(z, labels):
    q = _softmax_rows(z)
    q[np.arange(len(z)), labels] -= 1
    return q / len(z)


def _ce_grad_mathdl(z, labels):          # the reader lets mathdl do the calculus
    t = md.tensor(z, requires_grad=True)
    md.nn.cross_entropy(t, labels).backward()
    return t.grad


def _ce_grad_loops(z, labels):
    out = np.zeros_like(z)
    for i, row in enumerate(z):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
        out[i, labels[i]] -= 1
    return out / len(z)


def _ce_grad_unstable(z, labels):         # no max subtracted: overflows at logit 1000
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return (e / e.sum(axis=1, keepdims=True) - np.eye(z.shape[1])[labels]) / len(z)


def _kl_mask(p, q):
    seen = p > 0
    return float(np.sum(p[seen] * np.log(p[seen] / q[seen])))


def _kl_where(p, q):
    return float(np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1) / q), 0)))


def _kl_info(p, q):
    return md.info.kl_divergence(p, q).item()


def _kl_loop(p, q):
    return sum(pi * math.log(pi / qi) for pi, qi in zip(p, q) if pi > 0)


def _kl_naive(p, q):                      # 0 · log 0 gives nan
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(p * np.log(p / q)))


def _kl_reversed(p, q):                   # KL(q ‖ p): infinite where p = 0 < q
    with np.errstate(divide="ignore"):
        return _kl_mask(q, p)


def _ppl_log2(probs):
    return 2 ** -np.mean(np.log2(probs))


def _ppl_geometric(probs):
    return 1 / np.prod(probs) ** (1 / len(probs))


def _ppl_mathdl(probs):
    return math.exp(-md.tensor(probs).log().mean().item())


def _floor_mask(eps, K):
    p = np.full(K, eps / K)
    p[0] += 1 - eps
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def _floor_info(eps, K):
    return md.info.entropy(np.r_[1 - eps + eps / K, np.full(K - 1, eps / K)]).item()


def _floor_formula(eps, K):               # the two kinds of terms written out
    top, rest = 1 - eps + eps / K, eps / K
    return -top * math.log(top) - ((K - 1) * rest * math.log(rest) if rest > 0 else 0)


def _floor_other_convention(eps, K):
    p = np.r_[1 - eps, np.full(K - 1, eps / (K - 1))]
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def _floor_naive(eps, K):                 # 0 · log 0 gives nan at ε = 0
    p = np.full(K, eps / K)
    p[0] += 1 - eps
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-(p * np.log(p)).sum())


def _bce_logaddexp(z, y):
    return float(np.mean(np.logaddexp(0, z) - y * z))


def _bce_softplus(z, y):
    return float(np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))))


def _bce_mathdl(z, y):
    return md.nn.binary_cross_entropy_with_logits(md.tensor(z), y).item()


def _bce_through_sigma(z, y):             # rounds σ(40) to 1, then log 0
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        q = 1 / (1 + np.exp(-z))
        return float(np.mean(-(y * np.log(q) + (1 - y) * np.log(1 - q))))


def _sigma_by_moments(w):
    mean = 2 - 4 * w
    return (0.36 + 4 - mean**2) ** 0.5


def _sigma_by_sampling(w):                # moments of a huge sample: within the tolerance
    rng = np.random.default_rng(0)
    n = 400_000
    left = rng.random(n) < w
    x = np.where(left, -2.0, 2.0) + 0.6 * rng.standard_normal(n)
    return x.std()


def _sigma_by_grid(w):                    # the variance integrated on §4.6's grid
    x = np.linspace(-7, 7, 1401)
    p = (w * md.distributions.Normal(-2.0, 0.6).log_prob(x).exp()
         + (1 - w) * md.distributions.Normal(2.0, 0.6).log_prob(x).exp()).numpy()
    p /= p.sum()
    mean = (x * p).sum()
    return math.sqrt(((x - mean) ** 2 * p).sum())


CASES = {
    "forward_or_reverse": {
        "right": ["a", "A", "(a)", 0],
        "wrong": [("b", "mistake", "other way round"), ("c", "mistake", "not symmetric"),
                  ("d", "mistake", "cannot ignore a bump"), ("e", "unreadable", None)],
    },
    "temperature_and_accuracy": {
        "right": ["a", "(A)", 0, "the mean entropy of the predictions rises from near 0 towards "
                                 "log 10, and the accuracy stays the same"],
        "wrong": [("b", "mistake", "keeps their order"), ("c", "mistake", "more entropy"),
                  ("d", "mistake", "accuracy cannot move")],
    },
    "unseen_pair": {
        "right": ["c", "C", "c)", 2, "infinite"],
        "wrong": [("a", "mistake", "single infinite term"), ("b", "mistake", "count 0"),
                  ("d", "mistake", "its row exists"), ("z", "unreadable", None)],
    },
    "surprisal_in_bits": {
        "right": [5, "5", 5.0, -math.log2(1 / 32)],
        "wrong": [(math.log(32), "mistake", "nats"), (1 / 32, "mistake", "probability itself"),
                  (32, "mistake", "logarithm"), (-5, "sign", None), (6, "value", "too large")],
    },
    "entropy_in_bits": {
        "right": [1.75, "7/4", "1.75", md.info.entropy([0.5, 0.25, 0.125, 0.125], base=2)],
        "wrong": [(2, "mistake", "uniform"), (1.75 * math.log(2), "mistake", "nats"),
                  (1.375, "mistake", "count both"), (1.5, "value", "too small")],
    },
    "loss_of_a_prediction": {
        "right": [1.4076, "1.40761", math.log(math.e**2 + math.e + 1) - 1,
                  md.nn.cross_entropy(md.tensor([[2.0, 1.0, 0.0]]), [1])],
        "wrong": [(0.4076, "mistake", "class 0"), (2.4076, "mistake", "class 2"),
                  (0.24473, "mistake", "probability of class 1"), (2.0307, "mistake", "bits"),
                  (-1.4076, "sign", None)],
    },
    "bce_gradient_in_q": {
        "right": ["(q - y)/(q*(1 - q))", "(q − y)/(q·(1 − q))", "-y/q + (1-y)/(1-q)",
                  "(1 − y)/(1 − q) − y/q"],
        "wrong": [("q - y", "mistake", "with respect to the logit"),
                  ("-y/q - (1-y)/(1-q)", "mistake", "second term"),
                  ("(q - y) q (1 - q)", "mistake", "divides by it"),
                  ("(y - q)/(q(1 - q))", "sign", None),
                  ("(q - y)/(q(1 - q)) + 1", "offset", None)],
    },
    "label_smoothing_floor": {
        "right": [_floor_mask, _floor_info, _floor_formula],
        "wrong": [(lambda eps, K: 0, "mistake", "not 0"),
                  (_floor_other_convention, "mistake", "its own share"),
                  (lambda eps, K: _floor_mask(eps, K) / math.log(2), "mistake", "bits"),
                  (_floor_naive, "value", "inf or nan"),
                  (lambda eps, K: math.log(K) * eps, "value", "On input")],
    },
    "smoothed_temperature": {
        "right": [0.7348, 0.735, "0.735", "0.7352"],
        "wrong": [(1.988, "mistake", "plain network's"), (1.361, "mistake", "1/T"),
                  (1.5, "mistake", "already underconfident"), (0.5, "value", "too small")],
    },
    "reverse_kl_compromise": {
        "right": [1.1353, 1.135, "1.1353", 1.1364],
        "wrong": [(0.6918, "mistake", "on one bump"), (0.693, "mistake", "μ = ±1"),
                  (0.5552, "mistake", "forward fit"), (1.8, "mistake", "σ"),
                  (1.2, "value", "too large")],
    },
    "forward_kl_unequal_modes": {
        "right": [_sigma_by_moments, _sigma_by_sampling, _sigma_by_grid],
        "wrong": [(lambda w: 4.36 ** 0.5, "mistake", "Subtract the mean's square"),
                  (lambda w: 0.36 + 4 - (2 - 4 * w) ** 2, "mistake", "variance"),
                  (lambda w: 0.6, "mistake", "one bump's width"),
                  (lambda w: 2 - 4 * w, "value", "On input")],
    },
    "mutual_information_of_parity": {
        "right": [1, "1", 1.0, md.info.mutual_information(np.array(
            [[0.25, 0], [0, 0.25], [0.25, 0], [0, 0.25]]), base=2)],
        "wrong": [(2, "mistake", "H(X)"), (0, "mistake", "independent"),
                  (math.log(2), "mistake", "nats"), (0.5, "factor", "0.5 times")],
    },
    "softmax_cross_entropy_grad": {
        "right": [_ce_grad_numpy, _ce_grad_mathdl, _ce_grad_loops],
        "wrong": [(lambda z, labels: _ce_grad_numpy(z, labels) * len(z), "mistake",
                   "divide by n"),
                  (lambda z, labels: -_ce_grad_numpy(z, labels), "mistake", "y - q"),
                  (lambda z, labels: _softmax_rows(z) / len(z), "mistake", "without the target"),
                  (lambda z, labels: (np.exp(z - z.max(axis=0)) / np.exp(
                      z - z.max(axis=0)).sum(axis=0) - np.eye(z.shape[1])[labels]) / len(z),
                   "mistake", "axis=1"),
                  (_ce_grad_unstable, "value", "inf or nan")],
    },
    "kl_divergence_code": {
        "right": [_kl_mask, _kl_where, _kl_info, _kl_loop],
        "wrong": [(lambda p, q: -float(np.sum(p[p > 0] * np.log(q[p > 0]))), "mistake",
                   "cross-entropy"),
                  (lambda p, q: _kl_mask(p, q) / math.log(2), "mistake", "bits"),
                  (lambda p, q: -_kl_mask(p, q), "sign", None),
                  (_kl_naive, "value", "inf or nan"), (_kl_reversed, "value", "On input")],
    },
    "perplexity_code": {
        "right": [_ppl_log2, _ppl_geometric, _ppl_mathdl],
        "wrong": [(lambda probs: -np.mean(np.log(probs)), "mistake", "e to that power"),
                  (lambda probs: np.exp(-np.sum(np.log(probs))), "mistake", "total surprisal"),
                  (lambda probs: 1 / np.mean(probs), "mistake", "geometric mean"),
                  (lambda probs: 2 ** -np.mean(np.log(probs)), "mistake", "use e with nats"),
                  (lambda probs: np.mean(probs), "value", "On input")],
    },
    "stable_binary_cross_entropy": {
        "right": [_bce_logaddexp, _bce_softplus, _bce_mathdl],
        "wrong": [(lambda z, y: float(np.sum(np.logaddexp(0, z) - y * z)), "mistake",
                   "the sum"),
                  (lambda z, y: _bce_logaddexp(z, 1 - y), "mistake", "opposite labels"),
                  (_bce_through_sigma, "value", "inf or nan"),
                  (lambda z, y: _bce_logaddexp(z, y) / math.log(2), "value", "On input")],
    },
}
