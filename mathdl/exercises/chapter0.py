"""Exercises of the introduction: one of each kind (formula, numbers, code)."""

import numpy as np

from . import Exercise, code, numeric, symbolic

derivative_of_cube = Exercise(
    "What is the derivative of f(x) = x**3? Answer with a formula in x, as a string.",
    check=symbolic("3*x**2", variables="x"),
    hint="The power rule: the derivative of $x^n$ is $n x^{n-1}$.",
    solution="$f'(x) = 3x^2$, written `'3*x**2'` (or `'3x^2'`).",
)

gradient_of_sum_of_squares = Exercise(
    "Let f(x) = sum of x_i**2 and x = [1, -2, 3]. What is the gradient of f at x? "
    "Work it out by hand, or let mathdl compute it with backward().",
    check=numeric([2.0, -4.0, 6.0]),
    hint="Entry $i$ of the gradient is $\\partial f / \\partial x_i$, and only the term $x_i^2$ "
         "depends on $x_i$. The gradient has the shape of x.",
    solution="$\\nabla f(x) = 2x = [2, -4, 6]$. In mathdl: `x = md.tensor([1.0, -2.0, 3.0], "
             "requires_grad=True)`, then `(x ** 2).sum().backward()` and read `x.grad`.",
)


def _sgd_step(w, g, lr):
    return w - lr * g


sgd_step = Exercise(
    "Write a function sgd_step(w, g, lr) that returns the weights after one step of gradient "
    "descent: w moved against the gradient g, scaled by the learning rate lr. "
    "w and g are numpy arrays of the same shape.",
    check=code(_sgd_step, [(np.array([1.0, 2.0]), np.array([0.5, -1.0]), 0.1),
                           (np.array([[0.0, 3.0], [1.0, -1.0]]), np.ones((2, 2)), 0.5),
                           (np.array([4.0]), np.array([-2.0]), 1.0)]),
    hint="Going downhill means subtracting the gradient, not adding it.",
    solution="`def sgd_step(w, g, lr): return w - lr * g`",
)
