"""Exercises of the introduction: one of each kind (formula, numbers, code)."""

import numpy as np

from . import Exercise, code, numeric, symbolic

derivative_of_cube = Exercise(
    "What is the derivative of f(x) = x**3? Answer with a formula in x, as a string.",
    check=symbolic("3*x**2", variables="x", mistakes={
        "x**2": "The power rule multiplies by the old exponent: the derivative of x³ is 3x².",
        "3*x**3": "Lower the exponent by one: the derivative of xⁿ is n·xⁿ⁻¹.",
        "3*x": "The exponent drops by one, from 3 to 2, not to 1.",
        "x**4/4": "That is an antiderivative (its derivative is x³); differentiate instead.",
    }),
    hint="The power rule: the derivative of $x^n$ is $n x^{n-1}$.",
    solution="$f'(x) = 3x^2$, written `'3*x**2'` (or `'3x^2'`).",
)

gradient_of_sum_of_squares = Exercise(
    "Let f(x) = sum of x_i**2 and x = [1, -2, 3]. What is the gradient of f at x? "
    "Work it out by hand, or let mathdl compute it with backward().",
    check=numeric([2.0, -4.0, 6.0], mistakes=[
        ([1.0, -2.0, 3.0], "That is x itself: the derivative of x_i² is 2·x_i."),
        ([2.0, 4.0, 6.0], "Check the sign of the middle entry: 2·(−2) = −4."),
        (14.0, "14 is f(x), the value; the gradient is a vector with one partial derivative "
               "per entry of x."),
    ]),
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
                           (np.array([4.0]), np.array([-2.0]), 1.0)],
                mistakes=[
                    (lambda w, g, lr: w + lr * g, "That step goes uphill: subtract the gradient."),
                    (lambda w, g, lr: w - g, "Scale the gradient by the learning rate lr."),
                    (lambda w, g, lr: lr * g, "That is only the step; return the new weights, "
                                              "w minus the step."),
                    (lambda w, g, lr: -lr * g, "That is only the step; return the new weights, "
                                               "w minus lr·g."),
                ]),
    hint="Going downhill means subtracting the gradient, not adding it.",
    solution="`def sgd_step(w, g, lr): return w - lr * g`",
)
