"""Chapter 5's exercises: right answers in several forms, typical mistakes.

(Answers computed by mathdl's own optimizers and autodiff are in tests/test_chapter5.py.)"""

import math

import numpy as np
import sympy as sp

import mathdl as md

s = sp.Symbol("s", real=True)


def _unwritten(m):
    ...


def _unwritten3(t, W, T):
    ...


def _warmup_cosine_math(t, W, T):
    if t < W:
        return (t + 1) / W
    return (1 + math.cos(math.pi * (t - W) / (T - W))) / 2


CASES = {
    "learning_rate_ceiling": {
        "right": [1 / 3, 0.333, "1/3", 0.3333, "2/6"],
        "wrong": [
            (0.167, "mistake", "1/L"),
            (1 / 6, "mistake", "1/L"),
            (2.0, "mistake", "flat direction"),
            (2 / 3, "mistake", "curvature along x is 6"),
            (0.5, "value", "too large"),
        ],
    },
    "optimal_learning_rate": {
        "right": [[2 / 7, 5 / 7], np.array([0.286, 0.714]), "[2/7, 5/7]", (0.2857, 0.7143)],
        "wrong": [
            ([0.3, 0.714], "value", "index (0,)"),
            ([1 / 6, 5 / 6], "mistake", "one step"),
            ([5 / 7, 2 / 7], "mistake", "wrong order"),
            ([1 / 3, 1], "mistake", "ceiling"),
            ([2 / 7], "shape", None),
        ],
    },
    "steps_for_condition_number": {
        "right": [1375, 1375.0, "1375", np.int64(1375)],
        "wrong": [
            (1374, "mistake", "round up"),
            (1374.6, "mistake", "whole number"),   # ln(1e-6)/ln(0.99), not rounded up
            (1382, "mistake", "estimate"),
            (1381.55, "mistake", "estimate"),
            (600, "mistake", "natural logarithm"),
            (1375.5, "mistake", "whole number"),
            (100, "value", "too small"),
        ],
    },
    "logistic_gradient": {
        "right": ["sigmoid(s)", "σ(s)", "exp(s)/(1 + exp(s))", "e^s/(1+e^s)", "1/(1+e^(−s))",
                  sp.diff(sp.log(1 + sp.exp(s)), s)],
        "wrong": [
            ("-1/(1 + exp(s))", "mistake", "positive example"),
            ("-sigmoid(s)", "mistake", "derivative is positive"),
            ("exp(s)", "mistake", "1/u"),
            ("1/(1 + exp(s))", "mistake", "σ(-s)"),
            ("2σ(s)", "factor", "2 times"),
            ("sigmoid(m)", "unreadable", "uses m"),
        ],
    },
    "squared_hinge_derivative": {
        "right": [lambda m: -2 * np.maximum(0, 1 - m), lambda m: np.where(m < 1, 2 * m - 2, 0.0),
                  lambda m: -2 * (1 - m).clip(min=0)],
        "wrong": [
            (lambda m: 2 * np.maximum(0, 1 - m), "mistake", "sign flips"),
            (lambda m: -np.maximum(0, 1 - m), "mistake", "factor 2"),
            (lambda m: np.where(m < 1, -1.0, 0.0), "mistake", "plain hinge"),
            (lambda m: -2 * (1 - m), "value", "On input"),
            (_unwritten, "blank", None),
        ],
    },
    "momentum_two_steps": {
        "right": [0.46, "0.46", np.float64(0.46), md.tensor([0.46]), "23/50"],
        "wrong": [
            (0.64, "mistake", "plain gradient descent"),
            (0.8, "mistake", "one more"),
            (0.42, "mistake", "new point"),
            (-0.46, "sign", None),
            (0.5, "value", "too large"),
        ],
    },
    "adam_first_step": {
        "right": [4.99, "4.99", 5 - 0.01, "5 - 0.01"],
        "wrong": [
            (2.5, "mistake", "plain gradient step"),
            (5 - 0.01 * 25 / math.sqrt(62.5), "mistake", "bias"),
            (5.01, "mistake", "subtract"),
            (4.9, "value", "too small"),
        ],
    },
    "batch_noise": {
        "right": [1024, "1024", "16*64", 1024.0, "2^10"],
        "wrong": [
            (128, "mistake", "square"),
            (2, "mistake", "grow"),
            (64, "mistake", "8²"),
            (256, "factor", None),
        ],
    },
    "warmup_cosine": {
        "right": [
            lambda t, W, T: (t + 1) / W if t < W else 0.5 * (1 + np.cos(np.pi * (t - W) / (T - W))),
            # the solution's own form, without int(): the checker hands over plain ints
            lambda t, W, T: md.schedules.linear_warmup(W, then=md.schedules.cosine(T - W))(t),
            lambda t, W, T: md.schedules.linear_warmup(int(W), then=md.schedules.cosine(
                int(T - W)))(int(t)),
            _warmup_cosine_math,
        ],
        "wrong": [
            (lambda t, W, T: (t + 1) / W if t < W else 0.5 * (1 + np.cos(np.pi * t / T)),
             "mistake", "restart the cosine"),
            (lambda t, W, T: t / W if t < W else 0.5 * (1 + np.cos(np.pi * (t - W) / (T - W))),
             "mistake", "(t + 1)/W"),
            (lambda t, W, T: (t + 1) / W if t < W
             else 0.5 * (1 - np.cos(np.pi * (t - W) / (T - W))), "mistake", "starts at 1"),
            (lambda t, W, T: (t + 1) / W, "value", "(10, 10, 100)"),
            (_unwritten3, "blank", None),
            (lambda t: t, "unreadable", "must take 3 arguments"),
        ],
    },
    "gaussian_prior_lambda": {
        "right": ["1/(n*sigma**2)", "n^-1 sigma^-2", "1/(nσ²)", "(n·σ²)⁻¹", "1/n/sigma^2"],
        "wrong": [
            ("1/(2 n sigma^2)", "mistake", "λ/2"),
            ("1/sigma**2", "mistake", "summed loss"),
            ("n/sigma**2", "mistake", "not multiply"),
            ("1/(n sigma)", "value", None),
            ("1/(n*s**2)", "unreadable", "uses s"),
        ],
    },
    "classify_critical_point": {
        "right": [[-6, 2], np.array([-6.0, 2.0]), "[-6, 2]", (-6, 2),
                  np.linalg.eigvalsh(np.diag([-6.0, 2.0]))],
        "wrong": [
            ([2, -6], "mistake", "smallest first"),
            ([6, 2], "mistake", "(1, 0)"),
            ([2, 6], "mistake", "(1, 0)"),
            ([-6], "shape", None),
            ([-6, -2], "value", "index (1,)"),
        ],
    },
}
