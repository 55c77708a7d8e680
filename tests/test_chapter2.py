"""Chapter 2 (calculus): its exercises give the right feedback, and their answers are true.

The second half re-derives each exercise's expected answer independently (SymPy, mathdl,
finite differences or a simulation), so a wrong answer key cannot hide behind its own check.
"""

import numpy as np
import sympy as sp

import mathdl as md
from mathdl.exercises import chapter2 as ch2

EXERCISES = [name for name in dir(ch2) if isinstance(getattr(ch2, name), md.exercises.Exercise)]


def test_chapter_has_at_least_eight_exercises_with_hints_and_solutions():
    assert len(EXERCISES) >= 8
    for name in EXERCISES:
        ex = getattr(ch2, name)
        assert ex.prompt and ex.hint().text and ex.solution().text, name


# Right answers in several forms, typical mistakes and hostile answers for every exercise are
# in tests/exercise_cases/chapter2.py, run by tests/test_exercise_cases.py.


# ---------------------------------------------------------------- the answer key is true

x, y = sp.symbols("x y", real=True)


def test_symbolic_answers_are_the_derivatives():
    sigma = 1 / (1 + sp.exp(-x))
    assert ch2.derivative_of_sigmoid.check(str(sp.diff(sigma, x)))
    assert ch2.product_rule.check(str(sp.diff(x ** 2 * sp.exp(-x), x)))
    assert ch2.softplus_chain_rule.check(str(sp.diff(sp.log(1 + sp.exp(3 * x)), x)))


def test_gradient_directional_derivative_and_paths_agree_with_mathdl():
    f = lambda p: p[0] ** 2 * p[1] + 3 * p[1]
    g = md.grad(f)(np.array([1.0, 2.0])).numpy()
    assert ch2.gradient_at_a_point.check(g)
    u = np.array([3.0, 4.0]) / 5
    step = 1e-6
    p = np.array([1.0, 2.0])
    slope = (f(md.tensor(p + step * u)).item() - f(md.tensor(p - step * u)).item()) / (2 * step)
    assert ch2.directional_derivative.check(round(slope, 6))
    da, db = md.grad(lambda a, b: (a + b) * (b + 1), argnums=(0, 1))(1.0, 2.0)
    assert ch2.sum_over_paths.check(db)


def test_code_answers_match_mathdl_backward():
    """mathdl's own backward rules, wrapped as the reader's functions, pass the checks."""

    def tanh_backward_by_mathdl(y_, g_):
        t = md.tensor(np.arctanh(y_), requires_grad=True)
        t.tanh().backward(g_)
        return t.grad

    def weight_gradient_by_mathdl(X, dZ):
        W = md.tensor(np.zeros((X.shape[1], dZ.shape[1])), requires_grad=True)
        (md.tensor(X) @ W).backward(dZ)
        return W.grad

    assert ch2.tanh_backward.check(tanh_backward_by_mathdl)
    assert ch2.linear_weight_gradient.check(weight_gradient_by_mathdl)


def test_hessian_answer_and_its_saddle():
    H = md.hessian(lambda p: p[0] ** 2 + 3 * p[0] * p[1] + p[1] ** 2)(np.array([0.3, -0.2]))
    assert ch2.hessian_of_quadratic.check(H)
    assert np.allclose(np.linalg.eigvalsh(H), [-1.0, 5.0])  # the solution's claim: a saddle


def test_learning_rate_ceiling_by_simulation():
    def run(lr, steps=200):
        p = np.array([1.0, 1.0])
        for _ in range(steps):
            p = p - lr * np.array([4 * p[0], p[1]])
        return np.abs(p).max()

    assert run(0.49) < 1e-3 and run(0.51) > 1e3
    assert abs(run(0.5) - 1.0) < 1e-12  # exactly at the ceiling x bounces between ±1
    assert ch2.learning_rate_ceiling.check(0.5)


def test_sigmoid_slope_bound():
    z = md.tensor(np.linspace(-8, 8, 16001), requires_grad=True)
    z.sigmoid().sum().backward()
    assert abs(z.grad.max() - 0.25) < 1e-12
    assert ch2.vanishing_sigmoid.check(z.grad.max() ** 10)


# ---------------------------------------------------------------- chapter claims

def test_central_differences_beat_forward_differences_at_their_best_step():
    """The chapter's error plot: best forward h near sqrt(eps), best central near eps^(1/3)."""
    eps = np.finfo(float).eps
    hs = np.logspace(-15, 0, 151)
    fwd = np.abs((np.exp(1 + hs) - np.exp(1)) / hs - np.e)
    ctr = np.abs((np.exp(1 + hs) - np.exp(1 - hs)) / (2 * hs) - np.e)
    assert abs(np.log10(hs[fwd.argmin()] / np.sqrt(eps))) < 1.5
    assert abs(np.log10(hs[ctr.argmin()] / eps ** (1 / 3))) < 1.5
    assert ctr.min() < fwd.min() / 100


def test_layer_jacobian_formula():
    layer = md.nn.Linear(3, 2, seed=0)
    v = np.array([0.5, -1.0, 2.0])
    J = md.jacobian(lambda t: layer(t).tanh())(v)
    out = np.tanh(v @ layer.weight.data + layer.bias.data)
    assert np.allclose(J, np.diag(1 - out ** 2) @ layer.weight.data.T)
