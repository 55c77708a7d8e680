"""Chapter 2's exercises: right answers in several forms, typical mistakes.

(mathdl's own backward rules, as answers, are in tests/test_chapter2.py.)"""

import numpy as np
import sympy as sp

import mathdl as md

x = sp.Symbol("x")   # a reader's own symbol, without the checker's assumptions


def _unwritten(y, g):
    ...


def _quadratic(p):
    return p[0] ** 2 + 3 * p[0] * p[1] + p[1] ** 2


CASES = {
    "derivative_of_sigmoid": {
        "right": ["exp(-x)/(1+exp(-x))^2", "sigmoid(x)*(1 - sigmoid(x))", "σ(x)·(1 − σ(x))",
                  "e^(-x)/(1+e^(-x))²", "exp(x) / (exp(x) + 1)^2", "1/(4cosh(x/2)^2)",
                  sp.exp(-x) / (1 + sp.exp(-x)) ** 2],
        "wrong": [
            ("-exp(-x)/(1+exp(-x))^2", "mistake", "cancel"),
            ("sigmoid(x)", "mistake", "σ itself"),
            ("-1/(1+exp(-x))^2", "mistake", "inner derivative"),
            ("-exp(-x)/(1+exp(-x))", "mistake", "squared"),
            ("2σ(x)(1 − σ(x))", "factor", "2 times"),
            ("σ(x)(1 + σ(x))", "value", "At x = 0.7 your formula gives"),
            ("sigmoid(y)", "unreadable", "uses y"),
        ],
    },
    "product_rule": {
        "right": ["x*(2 - x)*exp(-x)", "2xe^(-x) - x^2e^(-x)", "(2x − x²)·e^(−x)",
                  "exp(-x)*(2*x - x**2)", "2x exp(-x) - x² exp(-x)"],
        "wrong": [
            ("2x exp(-x) + x^2 exp(-x)", "mistake", "subtracted"),
            ("2*x*exp(-x)", "mistake", "only u′v"),
            ("-2*x*exp(-x)", "mistake", "multiplies the two derivatives"),
            ("-x² e^(-x)", "mistake", "only uv′"),
            ("x(x - 2)e^(-x)", "sign", "wrong sign"),
            ("x^2 exp(-x)", "value", "At x = 0.7"),
        ],
    },
    "softplus_chain_rule": {
        "right": ["3*sigmoid(3*x)", "3σ(3x)", "3exp(3x)/(1+exp(3x))", "3/(1+exp(-3x))",
                  "3e^(3x)/(1 + e^(3x))"],
        "wrong": [
            ("sigmoid(3*x)", "mistake", "innermost link"),
            ("3*exp(3*x)", "mistake", "1/u"),
            ("1/(1+exp(3x))", "mistake", "3e^(3x)"),
            ("3/(1+exp(3x))", "mistake", "not 3"),
            ("9σ(3x)", "factor", "3 times"),
            ("log(1 + exp(3x))", "value", None),
        ],
    },
    "gradient_at_a_point": {
        "right": [[4, 4], md.tensor([4.0, 4.0]), "[4, 4]", (4.0, 4.0), "4, 4",
                  md.grad(lambda p: p[0] ** 2 * p[1] + 3 * p[1])(np.array([1.0, 2.0]))],
        "wrong": [
            ([2, 4], "mistake", "factor y = 2"),
            ([4, 1], "mistake", "3y"),
            ([4, 3], "mistake", "x²y"),
            (10, "mistake", "value f(1, 2)"),
            ([4, 5], "value", "index (1,)"),
            ([4], "shape", "shape (1,)"),
            ([[4], [4]], "shape", "(2, 1)"),
        ],
    },
    "directional_derivative": {
        "right": [5.6, "5.6", "28/5", 5.6000001, np.float64(5.6), md.tensor(5.6), "4·3/5 + 4·4/5"],
        "wrong": [
            (28, "mistake", "unit vector"),
            (1.12, "mistake", "not by its square"),
            (32 ** 0.5, "mistake", "fastest"),
            (-5.6, "sign", "sign is flipped"),
            ("5,6", "unreadable", "with a point: 5.6"),
            ("'5.6'", "unreadable", "without quotes"),
        ],
    },
    "sum_over_paths": {
        "right": [6, 6.0, "6", "3 + 3",
                  md.grad(lambda a, b: (a + b) * (b + 1), argnums=(0, 1))(1.0, 2.0)[1]],
        "wrong": [
            (3, "mistake", "one path only"),
            (9, "mistake", "e itself"),
            (-6, "sign", None),
            (12, "factor", "2 times"),
            (5, "value", "too small"),
        ],
    },
    "tanh_backward": {
        "right": [lambda y, g: g * (1 - y ** 2), lambda y, g: g - g * y * y,
                  lambda y, g: np.multiply(g, 1 - np.square(y))],
        "wrong": [
            (lambda y, g: g * (1 - np.tanh(y) ** 2), "mistake", "already tanh"),
            (lambda y, g: 1 - y ** 2, "mistake", "upstream gradient"),
            (lambda y, g: g * (1 - y) ** 2, "mistake", "not (1 - y)**2"),
            (lambda y, g: -g * (1 - y ** 2), "sign", "sign is flipped"),
            (_unwritten, "blank", "returns nothing yet"),
            (lambda y, g: undefined_name, "error", "NameError"),  # noqa: F821
            (0.5, "unreadable", "Expected a function"),
            (lambda y: 1 - y ** 2, "unreadable", "must take 2 arguments"),
        ],
    },
    "linear_weight_gradient": {
        "right": [lambda X, dZ: X.T @ dZ, lambda X, dZ: np.einsum("ki,kj->ij", X, dZ),
                  lambda X, dZ: np.dot(X.T, dZ)],
        "wrong": [
            (lambda X, dZ: dZ.T @ X, "mistake", "transpose"),
            (lambda X, dZ: X.T @ dZ / len(X), "mistake", "Don't divide by N"),
            (lambda X, dZ: dZ.sum(axis=0), "mistake", "bias"),
            (lambda X, dZ: (X.T @ dZ).ravel(), "shape", "shape (2,)"),
            (lambda X, dZ: 2 * X.T @ dZ, "factor", "2 times"),
        ],
    },
    "hessian_of_quadratic": {
        "right": [[[2, 3], [3, 2]], np.array([[2.0, 3.0], [3.0, 2.0]]), "[[2, 3], [3, 2]]",
                  ((2, 3), (3, 2)), md.hessian(_quadratic)(np.array([0.3, -0.2]))],
        "wrong": [
            ([[2, 1.5], [1.5, 2]], "mistake", "in full"),
            ([[1, 1.5], [1.5, 1]], "mistake", "twice that"),
            ([[2, 0], [0, 2]], "mistake", "cross term"),
            ([2, 3, 3, 2], "shape", "shape (4,)"),
            ([[-2, -3], [-3, -2]], "sign", None),
            ([[2, 3], [3, 3]], "value", "1 of 4 entries is off"),
        ],
    },
    "learning_rate_ceiling": {
        "right": [0.5, "1/2", "0.5", np.float64(0.5), "2/4"],
        "wrong": [
            (2.0, "mistake", "flat direction"),
            (0.25, "mistake", "one step"),
            (1.0, "mistake", "f_xx = 4"),
            (0.4, "value", "too small"),
            (4, "factor", "8 times"),
        ],
    },
    "vanishing_sigmoid": {   # the solution says ≈ 9.5 × 10⁻⁷, so that must pass
        "right": [0.25 ** 10, 9.5e-7, "9.5e-7", "(1/4)^10", "4⁻¹⁰", "0.25^10", 9.54e-7],
        "wrong": [
            (0.5 ** 10, "mistake", "largest value of σ"),
            (0.25, "mistake", "one layer"),
            (2.5, "mistake", "multiply"),
            (9.6e-7, "value", "too large"),
            (1e-6, "value", "too large"),
            (-9.5e-7, "sign", None),
        ],
    },
}
