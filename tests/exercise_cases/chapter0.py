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
    return md.tensor([1.0, -2.0, 3.0], requires_grad=True).grad   # None: backward() not called


def _grad_with_backward():
    x = md.tensor([1.0, -2.0, 3.0], requires_grad=True)
    (x ** 2).sum().backward()
    return x.grad


CASES = {
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
    "gradient_of_sum_of_squares": {
        "right": [[2, -4, 6], np.array([2.0, -4.0, 6.0]), (2, -4, 6), "[2, -4, 6]",
                  _grad_with_backward(), [md.tensor(2.0), md.tensor(-4.0), md.tensor(6.0)]],
        "wrong": [
            ([1, -2, 3], "mistake", "x itself"),
            ([2, 4, 6], "mistake", "middle entry"),
            (14, "mistake", "the value"),
            ([-2, 4, -6], "sign", "sign is flipped"),
            ([2, -4], "shape", "shape (2,)"),
            ([2, -4, 7], "value", "index (2,)"),
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
