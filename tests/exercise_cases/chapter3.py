"""Chapter 3's exercises: right answers in several forms, typical mistakes.

(The answer keys are re-derived independently, by simulation, SymPy and mathdl, in
tests/test_chapter3.py.)"""

import math

import numpy as np
import sympy as sp


def _unwritten(*args):
    ...


y, mu, s = sp.symbols("y mu s", real=True)

CASES = {
    "rare_condition": {
        "right": ["c", "C", "(c)", 2, "about 15 %"],
        "wrong": [
            ("a", "mistake", "sensitivity"),
            ("b", "mistake", "far more false alarms"),
            ("d", "mistake", "prior"),
            ("e", "unreadable", None),
        ],
    },
    "confounded": {
        "right": ["b", "(b)", 1, "they would barely change"],
        "wrong": [
            ("a", "mistake", "common cause"),
            ("c", "mistake", "positive"),
            (7, "unreadable", None),
        ],
    },
    "density_height": {
        "right": [4, 4.0, "4", "1/0.25"],
        "wrong": [
            (0.25, "mistake", "length"),
            (1.0, "mistake", "can exceed 1"),
            (0.4, "mistake", "per unit"),
            (3.0, "value", "too small"),
        ],
    },
    "second_opinion": {
        "right": [0.019 / 0.117, 0.1624, "0.019/0.117", "19/117"],
        "wrong": [
            (0.95, "mistake", "sensitivity"),
            (0.019, "mistake", "Divide it by P(+)"),
            (0.019 / (0.019 + 0.882), "mistake", "1 - specificity"),
            (0.2, "value", "too large"),
        ],
    },
    "coin_posterior_mean": {
        "right": [9 / 14, 0.643, "9/14", 0.6429],
        "wrong": [
            (0.7, "mistake", "maximum-likelihood"),
            (9 / 11, "mistake", "tails count"),
            (0.5, "mistake", "prior mean"),
            (0.6, "value", "too small"),
        ],
    },
    "gaussian_nll": {
        "right": [
            lambda y, mu, sigma: (y - mu) ** 2 / (2 * sigma**2)
            + np.log(sigma * np.sqrt(2 * np.pi)),
            lambda y, mu, sigma: -np.log(np.exp(-((y - mu) ** 2) / (2 * sigma**2))
                                         / (sigma * np.sqrt(2 * math.pi))),
            lambda y, mu, sigma: 0.5 * ((y - mu) / sigma) ** 2 + np.log(sigma)
            + np.log(2 * np.pi) / 2,
        ],
        "wrong": [
            (lambda y, mu, sigma: (y - mu) ** 2 / (2 * sigma**2), "mistake", "squared error part"),
            (lambda y, mu, sigma: (y - mu) ** 2 / (2 * sigma**2) + np.log(sigma), "mistake",
             "½ log 2π"),
            (lambda y, mu, sigma: (y - mu) ** 2 / sigma**2 + np.log(sigma) + np.log(2 * np.pi) / 2,
             "mistake", "factor ½"),
            (_unwritten, "blank", None),
            (lambda y, mu, sigma: y.nonexistent, "error", "AttributeError"),
        ],
    },
    "log_sigma_gradient": {
        "right": ["1 - (y - mu)**2*exp(-2*s)", "1 − (y − μ)²·e^(−2s)", "1 - (y-mu)^2/exp(2s)",
                  "1 - ((y - mu)/exp(s))**2", 1 - (y - mu) ** 2 * sp.exp(-2 * s)],
        "wrong": [
            ("(y - mu)**2*exp(-2*s) - 1", "mistake", "log-likelihood"),
            ("1 - (y - mu)^2 e^(-2s)/2", "mistake", "cancels the ½"),
            ("-(y - mu)**2*exp(-2*s)", "mistake", "its derivative 1"),
            ("1/exp(s) - (y - mu)**2/exp(3*s)", "mistake", "chain rule"),
            ("1 - (y - mu)**2*exp(-s)", "value", None),
            ("1 - (y - m)**2*exp(-2*s)", "unreadable", "uses m"),
        ],
    },
    "map_mean": {
        "right": [
            lambda x, sigma, tau: np.sum(x) / sigma**2 / (len(x) / sigma**2 + 1 / tau**2),
            lambda x, sigma, tau: tau**2 * np.sum(x) / (len(x) * tau**2 + sigma**2),
            lambda x, sigma, tau: np.mean(x) * len(x) * tau**2 / (len(x) * tau**2 + sigma**2),
        ],
        "wrong": [
            (lambda x, sigma, tau: np.mean(x), "mistake", "sample mean"),
            (lambda x, sigma, tau: np.sum(x) / (len(x) + 1 / tau**2), "mistake", "1/σ²"),
            (lambda x, sigma, tau: np.sum(x) / sigma**2 / (len(x) / sigma**2 + 1 / tau),
             "mistake", "1/τ²"),
            (lambda x, sigma, tau: 0.0, "value", None),
        ],
    },
    "batchnorm_train": {
        "right": [
            lambda x, eps=1e-5: (x - x.mean(0)) / np.sqrt(x.var(0) + eps),
            lambda x, eps=1e-5: (x - np.mean(x, axis=0, keepdims=True))
            / np.sqrt(np.mean((x - x.mean(0)) ** 2, axis=0) + eps),
            lambda x, eps=1e-5: ((x - x.mean(0)).T / np.sqrt(x.var(0) + eps)[:, None]).T,
        ],
        "wrong": [
            (lambda x, eps=1e-5: (x - x.mean(0)) / np.sqrt(x.var(0, ddof=1) + eps), "mistake",
             "biased variance"),
            (lambda x, eps=1e-5: (x - x.mean(0)) / (np.sqrt(x.var(0)) + eps), "mistake",
             "inside the square root"),
            (lambda x, eps=1e-5: (x - x.mean(1, keepdims=True))
             / np.sqrt(x.var(1, keepdims=True) + eps), "mistake", "layer normalisation"),
            (lambda x, eps=1e-5: x - x.mean(0), "value", None),
        ],
    },
    "he_std": {
        "right": [0.0625, "1/16", math.sqrt(2 / 512), "sqrt(2/512)"],
        "wrong": [
            (2 / 512, "mistake", "variance"),
            (math.sqrt(1 / 512), "mistake", "tanh"),
            (1 / 512, "mistake", "square root"),
            (0.1, "value", "too large"),
        ],
    },
    "relu_depth": {
        "right": [9, 9.14, "9", 8.7, 9.5],
        "wrong": [
            (2 ** 9, "mistake", "logarithm"),
            (10.0, "mistake", "nine"),
            (18.2, "mistake", "factor 4"),
            (0.1, "mistake", "He's 2/n"),
            (-9.0, "mistake", "positive"),
            (5.0, "value", "too small"),
        ],
    },
    "mean_of_waiting_times": {
        "right": [0.025, "1/40", "0.5/20", 0.025000001],
        "wrong": [
            (0.5, "mistake", "one waiting time"),
            (0.5 / 400, "mistake", "√n"),
            (0.25 / 400, "mistake", "square root"),
            (0.05, "factor", "2 times"),
        ],
    },
    "reparam_gradients": {
        "right": [
            lambda mu, sigma, eps: np.array([np.mean(2 * (mu + sigma * eps - 1)),
                                             np.mean(2 * (mu + sigma * eps - 1) * eps)]),
            lambda mu, sigma, eps: [2 * (mu - 1 + sigma * np.mean(eps)),
                                    2 * np.mean((mu - 1) * eps + sigma * eps**2)],
            lambda mu, sigma, eps: (2 * np.mean(mu + sigma * eps - 1),
                                    2 * np.dot(mu + sigma * eps - 1, eps) / len(eps)),
        ],
        "wrong": [
            (lambda mu, sigma, eps: np.array([np.mean(2 * (mu + sigma * eps - 1))] * 2),
             "mistake", "ε"),
            (lambda mu, sigma, eps: np.array([np.mean(2 * (mu + sigma * eps)),
                                              np.mean(2 * (mu + sigma * eps) * eps)]),
             "mistake", "not 2z"),
            (lambda mu, sigma, eps: np.array([2 * (mu - 1), 2 * sigma]), "mistake",
             "exact gradients"),
            (lambda mu, sigma, eps: np.mean(2 * (mu + sigma * eps - 1)), "shape", None),
        ],
    },
}
