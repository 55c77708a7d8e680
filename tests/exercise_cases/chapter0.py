"""The introduction's exercises: right answers in several forms, typical mistakes."""

import numpy as np
import sympy as sp

import mathdl as md


def _unwritten(w, g, lr):
    ...


def _sgd_in_place(w, g, lr):
    w -= lr * g
    return w


def _sgd_by_mathdl(w, g, lr):
    p = md.tensor(w, requires_grad=True)
    p.grad = np.asarray(g, dtype=float)
    md.optim.SGD([p], lr=lr).step()
    return p.data


def _grad_without_backward():
    return md.tensor([1.0, -2.0, 0.5], requires_grad=True).grad   # None: backward() not called


def _grad_with_backward():
    x = md.tensor([1.0, -2.0, 0.5], requires_grad=True)
    ((x ** 3).sum() - 2 * x.sum()).backward()
    return x.grad


CASES = {
    "loss_floor": {
        "right": ["b", "B", "(b)", 1, "Near the noise variance 0.01, and a little below it."],
        "wrong": [
            ("a", "mistake", "cannot pass through"),
            ("(c)", "mistake", "averages squares"),
            ("d", "mistake", "own mean square"),
            ("e", "unreadable", "letter of one option"),
            (7, "unreadable", "letter of one option"),
        ],
    },
    "gradients_add_up": {
        "right": ["b", "b)", "B.", 1, "[4, -8, 12]: the new gradient is added to the old one."],
        "wrong": [
            ("a", "mistake", "never replaces a gradient"),
            ("c", "mistake", "keeps it"),
            ("D", "mistake", "Nothing is used up"),
            ("[4, -8, 12]", "unreadable", "letter of one option"),
        ],
    },
    "derivative_of_cube": {
        "right": ["3*x**2", "3x^2", "3x²", "3·x²", "x*x*3", "3 x ^ 2", 3 * sp.Symbol("x") ** 2],
        "wrong": [
            ("x**2", "mistake", "multiplies by the old exponent"),
            ("3*x**3", "mistake", "Lower the exponent"),
            ("3x", "mistake", "from 3 to 2"),
            ("x⁴/4", "mistake", "antiderivative"),
            ("−3x²", "sign", "wrong sign"),
            ("3x^2 + 1", "offset", "1 more"),
            ("3*y**2", "unreadable", "uses y, which is not a variable"),
            ("3x^2 + C", "unreadable", "uses C"),
        ],
    },
    "gradient_of_sum_of_cubes": {
        "right": [[1, 10, -1.25], np.array([1.0, 10.0, -1.25]), (1, 10, -1.25), "[1, 10, -1.25]",
                  _grad_with_backward(), [md.tensor(1.0), md.tensor(10.0), md.tensor(-1.25)]],
        "wrong": [
            ([3, 12, 0.75], "mistake", "contributes −2"),
            ([3, -12, 0.75], "mistake", "never negative"),
            ([1, -8, 0.125], "mistake", "x_i³ themselves"),
            ([0, -8, -0.5], "mistake", "Σx_i²"),
            (-6.875, "mistake", "the value"),
            ([-1, -10, 1.25], "sign", "sign is flipped"),
            ([1, 10], "shape", "shape (2,)"),
            ([1, 10, -1.5], "value", "index (2,)"),
            (_grad_without_backward(), "blank", "call `backward()` first"),
            ([_grad_without_backward()], "unreadable", "call `backward()` first"),
        ],
    },
    "sgd_step": {
        "right": [lambda w, g, lr: w - lr * g, _sgd_in_place, _sgd_by_mathdl,
                  lambda w, g, lr: np.subtract(w, np.multiply(lr, g))],
        "wrong": [
            (lambda w, g, lr: w + lr * g, "mistake", "uphill"),
            (lambda w, g, lr: w - g, "mistake", "learning rate"),
            (lambda w, g, lr: lr * g, "mistake", "only the step"),
            (lambda w, g, lr: -lr * g, "mistake", "only the step"),
            (lambda w, g, lr: w - lr * g * g, "value", "On input"),
            (_unwritten, "blank", "returns nothing yet"),
            (42, "unreadable", "Expected a function"),
            (lambda w, g: w - g, "unreadable", "must take 3 arguments"),
        ],
    },
}
