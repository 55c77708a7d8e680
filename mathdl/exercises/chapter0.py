"""Exercises of the introduction: one of each kind (prediction, formula, numbers, code)."""

import numpy as np

from . import Exercise, choice, code, numeric, symbolic

loss_floor = Exercise(
    "Predict before you run the training loop. The 20 points are y = 2x + 1 plus noise of "
    "standard deviation 0.1 (variance 0.01), and the model is a straight line trained on the mean "
    "squared error. Where will the training loss level off?",
    check=choice([
        "At 0: with enough steps gradient descent fits the points exactly.",
        "Near the noise variance 0.01, and a little below it.",
        "At 0.1, the noise's standard deviation.",
        "Exactly at 0.01, the noise variance.",
    ], answer="b", why={
        "a": "A straight line cannot pass through 20 points scattered at random around it: the "
             "noise stays in the residuals.",
        "b": "Yes. Even the true line would leave the noise, whose mean square is about 0.01; and "
             "the fitted line tilts towards the noise a little, which lowers the training loss "
             "below the noise's own mean square.",
        "c": "The loss averages squares: noise of size 0.1 contributes about 0.1² = 0.01.",
        "d": "20 random numbers have their own mean square (not exactly 0.01), and a line fitted "
             "to them absorbs part of it, so the training loss ends a little lower.",
    }),
    hint="What would the loss be if the model were exactly the true line y = 2x + 1? Could the "
         "fitted line do even better on these 20 points?",
    solution="(b). The true line leaves exactly the noise, mean square ≈ 0.01. The line fitted to "
             "these very points does a little better on them, because its slope and intercept "
             "follow the noise too: on average the floor is 0.01 · (20 − 2)/20 = 0.009 for 20 "
             "points and 2 parameters; this run's noise gives 0.0066.",
)

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

gradient_of_sum_of_cubes = Exercise(
    "Let f(x) = sum of x_i**3 − 2·(sum of x_i) and x = [1, -2, 0.5]. What is the gradient of f at "
    "x? Work it out by hand, or let mathdl compute it with backward().",
    check=numeric([1.0, 10.0, -1.25], mistakes=[
        ([3.0, 12.0, 0.75], "The term −2·(sum of x_i) contributes −2 to every entry."),
        ([3.0, -12.0, 0.75], "The derivative of x_i³ is 3x_i², and a square is never negative; "
                             "then subtract 2."),
        ([1.0, -8.0, 0.125], "Those are the x_i³ themselves; differentiate: 3x_i² − 2."),
        ([0.0, -8.0, -0.5], "That is 2x_i − 2, the gradient of Σx_i² − 2Σx_i; for cubes the "
                            "derivative is 3x_i² − 2."),
        (-6.875, "−6.875 is f(x), the value; the gradient is a vector with one partial "
                 "derivative per entry of x."),
    ]),
    hint="Entry $i$ of the gradient is $\\partial f / \\partial x_i$, and only the terms $x_i^3$ "
         "and $-2x_i$ depend on $x_i$. The gradient has the shape of x.",
    solution="$\\nabla f(x) = 3x^2 - 2 = [1, 10, -1.25]$. In mathdl: `x = md.tensor([1.0, -2.0, "
             "0.5], requires_grad=True)`, then `((x ** 3).sum() - 2 * x.sum()).backward()` and "
             "read `x.grad`.",
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

gradients_add_up = Exercise(
    "Predict. After y = (x ** 2).sum() and y.backward(), x.grad is [2, -4, 6] for "
    "x = [1, -2, 3]. What is x.grad after calling y.backward() a second time, without "
    "zero_grad()?",
    check=choice([
        "[2, -4, 6]: the gradient is recomputed and replaces the old one.",
        "[4, -8, 12]: the new gradient is added to the old one.",
        "An error: a graph can be walked backwards only once.",
        "[0, 0, 0]: the first call used the gradient up.",
    ], answer="b", why={
        "a": "mathdl (like PyTorch) never replaces a gradient: backward() adds to .grad, because "
             "a value used in two places must collect both contributions.",
        "b": "Yes: gradients accumulate. That is why every training step starts with "
             "zero_grad().",
        "c": "PyTorch frees its graph after backward() unless told to keep it; mathdl keeps it, "
             "so a second call works, and adds.",
        "d": "Nothing is used up: backward() only reads the graph and adds to .grad.",
    }),
    hint="Think of a value used twice, as b in (a + b)(b + 1): its gradient must be the sum of "
         "what arrives along each use. What does that require of `.grad`?",
    solution="(b) [4, -8, 12]: `backward()` adds to `.grad`. Clear the gradients with "
             "`zero_grad()` (or `x.grad = None`) before each new step.",
)
