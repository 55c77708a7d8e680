"""Chapter 2 (calculus): the answer keys are true, and the chapter's claims hold through mathdl.

Each exercise's expected answer is re-derived independently (SymPy, mathdl, finite differences
or a simulation), so a wrong key cannot hide behind its own check. Right answers in several
forms, typical mistakes and hostile answers are in tests/exercise_cases/chapter2.py, run by
tests/test_exercise_cases.py. The second half re-checks the claims the notebook makes.
"""

import contextlib
import io
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import sympy as sp

import mathdl as md
from mathdl.exercises import chapter2 as ch2
from tests.exercise_cases.chapter2 import ReaderValue

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_calculus.ipynb"
EXERCISES = [name for name in dir(ch2) if isinstance(getattr(ch2, name), md.exercises.Exercise)]
x, y = sp.symbols("x y", real=True)


def notebook_cell(start):
    """The source of the notebook's first code cell that starts with ``start``."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    return next(c.source for c in cells if c.cell_type == "code" and c.source.startswith(start))


def test_chapter_has_enough_exercises_a_third_of_them_code():
    kinds = [getattr(ch2, name).checker.expects for name in EXERCISES]
    assert len(EXERCISES) >= 8 and kinds.count("function") * 3 >= len(EXERCISES)
    for name in EXERCISES:
        ex = getattr(ch2, name)
        assert ex.prompt and ex.hint().text and ex.solution().text, name


def test_every_exercise_is_in_the_notebook():
    text = NOTEBOOK.read_text()
    for name in EXERCISES:
        assert f"md.exercises.chapter2.{name}" in text, name


# ---------------------------------------------------------------- the answer keys are true

def forward_error(h):
    f = lambda t: t ** 3 - 2 * t + 1   # noqa: E731
    return abs((f(1 + h) - f(1)) / h - 1)


def test_h_sweet_spot_key_round_off_takes_over_below_about_1e_8():
    hs = np.logspace(-16, 0, 321)
    errors = np.array([forward_error(h) for h in hs])
    best = hs[errors.argmin()]
    assert 1e-10 < best < 1e-6                              # the error falls, then rises again
    assert errors[hs < 1e-12].max() > 1e3 * errors.min()
    assert forward_error(1e-16) == 1.0                      # 1 + 1e-16 == 1: the slope is 0
    assert ch2.h_sweet_spot.check("b") and not ch2.h_sweet_spot.check("a")


def test_numerical_gradient_key_is_the_exact_gradient():
    u, v = sp.symbols("u v")
    by_mathdl = {ch2._cube_sum: lambda t: (t ** 3).sum(),
                 ch2._softplus_sum: lambda t: (1 + t.exp()).log().sum()}
    for f, point in [(ch2._cube_sum, np.array([1.0, -2.0, 0.5])), (ch2._wave, np.array([0.3, 2.0])),
                     (ch2._softplus_sum, np.array([[0.5, -1.0], [2.0, 0.0]]))]:
        key = ch2._GRADIENTS[f](point)
        if f is ch2._wave:   # sin is not a mathdl operation: SymPy instead
            exact = [float(sp.diff(sp.sin(u) * v, s).subs({u: point[0], v: point[1]}))
                     for s in (u, v)]
        else:
            exact = md.grad(by_mathdl[f])(point).data
        assert np.allclose(key, exact)
        assert np.allclose(key, ch2._central_gradient(f, point), atol=1e-8)
    assert ch2.numerical_gradient.check(ch2._central_gradient)


def test_symbolic_answers_are_the_derivatives():
    sigma = 1 / (1 + sp.exp(-x))
    assert ch2.derivative_of_silu.check(str(sp.diff(x * sigma, x)))
    assert ch2.product_rule.check(str(sp.diff(x * sp.exp(-x ** 2), x)))
    assert ch2.softplus_chain_rule.check(str(sp.diff(sp.log(1 + sp.exp(3 * x)), x)))


def test_silu_solution_claims_its_smallest_slope():
    z = md.tensor(np.linspace(-6, 0, 60001), requires_grad=True)
    (z * z.sigmoid()).sum().backward()
    assert abs(z.data[z.grad.argmin()] + 2.4) < 0.01 and abs(z.grad.min() + 0.1) < 0.001


def test_gradient_directional_derivative_and_paths_agree_with_mathdl():
    f = lambda p: p[0] ** 2 * p[1] + 3 * p[1]   # noqa: E731
    g = md.grad(f)(np.array([1.0, 2.0])).numpy()
    assert ch2.gradient_at_a_point.check(g)
    u = np.array([3.0, 4.0]) / 5
    step = 1e-6
    p = np.array([1.0, 2.0])
    slope = (f(md.tensor(p + step * u)).item() - f(md.tensor(p - step * u)).item()) / (2 * step)
    assert ch2.directional_derivative.check(round(slope, 6))
    da, db = md.grad(lambda a, b: (a + b) * (b + 1), argnums=(0, 1))(1.0, 2.0)
    assert ch2.sum_over_paths.check(db)


def nudged(expression, h=1e-6):
    """[value, ∂out/∂leaf ...] of a test expression by central differences, without autodiff."""
    def value(vals):
        with md.no_grad():
            return expression.build([md.tensor(v) for v in vals]).item()
    vals = list(expression.values)
    out = [value(vals)]
    for i in range(len(vals)):
        up, down = vals.copy(), vals.copy()
        up[i] += h
        down[i] -= h
        out.append((value(up) - value(down)) / (2 * h))
    return out


def test_value_key_mathdl_agrees_with_finite_differences_on_every_expression():
    expressions = ch2._EXPRESSIONS + [ch2._random_expression(seed) for seed in range(5, 40)]
    for e in expressions:
        key, numbers = ch2._by_mathdl(e), nudged(e)
        assert np.allclose(key, numbers, rtol=1e-6, atol=1e-7), e
        assert np.allclose(ch2._run_with(ch2._Value)(e), key, rtol=1e-12, atol=1e-12), e
        assert np.allclose(ch2._run_with(ReaderValue)(e), key, rtol=1e-12, atol=1e-12), e
    uses = [len(e.values) for e in ch2._EXPRESSIONS]
    assert max(uses) >= 3 and any("random" in repr(e) for e in ch2._EXPRESSIONS)


def test_each_value_mistake_is_wrong_on_some_expression():
    """The mistakes are real mistakes: each gives a wrong gradient somewhere."""
    for wrong in (ch2._Overwrites, ch2._NoOrder, ch2._OwnFactor, ch2._TanhOneMinus,
                  ch2._TanhOfInput):
        assert any(not np.allclose(ch2._run_with(wrong)(e), ch2._by_mathdl(e))
                   for e in ch2._EXPRESSIONS), wrong.__name__


PLACEHOLDER = re.compile(r"^( *)\.\.\. .*$", re.M)
FILLED = [
    "self.grad += out.grad\n{i}other.grad += out.grad",
    "self.grad += other.data * out.grad\n{i}other.grad += self.data * out.grad",
    "self.grad += (1 - out.data ** 2) * out.grad",
    "order, seen = [], set()\n{i}def visit(v):\n{i}    if id(v) not in seen:\n"
    "{i}        seen.add(id(v))\n"
    "{i}        for p in v.parents:\n{i}            visit(p)\n{i}        order.append(v)\n"
    "{i}visit(self)\n{i}self.grad = 1.0\n{i}for v in reversed(order):\n{i}    v.backward_step()",
]


def test_the_notebooks_value_skeleton_is_blank_and_completes_to_a_pass():
    source = notebook_cell("import math\n\n\nclass Value:")
    source = source[:source.index("ex = md.exercises")]
    skeleton = {}
    exec(source, skeleton)   # noqa: S102 (our own notebook's cell)
    feedback = ch2.value_autodiff.check(skeleton["Value"])
    assert feedback.kind == "blank" and "no gradient reaches the inputs yet" in feedback.message
    assert repr(feedback).startswith("✎")
    fills = iter(FILLED)
    completed = PLACEHOLDER.sub(lambda m: m.group(1) + next(fills).format(i=m.group(1)), source)
    completed = re.sub(r"^ *# \(each after.*\n^ *# backward_step.*\n", "", completed, flags=re.M)
    namespace = {}
    exec(completed, namespace)   # noqa: S102
    assert ch2.value_autodiff.check(namespace["Value"]), ch2.value_autodiff.check(
        namespace["Value"])


def sigmoid_layer_by_mathdl(X, W, Y, G):
    b = np.log(Y[0] / (1 - Y[0])) - X[0] @ W           # the bias that makes Y (any row works)
    ts = [md.tensor(a, requires_grad=True) for a in (X, W, b)]
    out = (ts[0] @ ts[1] + ts[2]).sigmoid()
    assert np.allclose(out.data, Y)
    out.backward(G)
    return tuple(t.grad for t in ts)


def test_sigmoid_layer_key_is_mathdls_backward_and_passes_gradcheck():
    for X, W, Y, G in ch2._LAYER_CASES:
        for mine, autodiff in zip(ch2._sigmoid_layer(X, W, Y, G),
                                  sigmoid_layer_by_mathdl(X, W, Y, G)):
            assert mine.shape == autodiff.shape and np.allclose(mine, autodiff)
    assert ch2.sigmoid_layer_backward.check(sigmoid_layer_by_mathdl)


def test_the_notebooks_gradcheck_cell_passes_with_the_solution_and_fails_with_a_bug():
    source = notebook_cell("class SigmoidLayer(md.ops.Function):")
    for backward, verdict in [(ch2._sigmoid_layer, "✓ md.gradcheck"),
                              (ch2._tanh_layer, "✗ md.gradcheck"),
                              (lambda X, W, Y, G: None, "✎ md.gradcheck")]:
        namespace = {"md": md, "np": np, "rng": np.random.default_rng(0),
                     "sigmoid_layer_backward": backward}
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(source, namespace)   # noqa: S102 (our own notebook's cell)
        assert printed.getvalue().startswith(verdict), printed.getvalue()


def test_hessian_answer_and_its_saddle():
    H = md.hessian(lambda p: p[0] ** 2 + 3 * p[0] * p[1] + p[1] ** 2)(np.array([0.3, -0.2]))
    assert ch2.hessian_of_quadratic.check(H)
    assert np.allclose(np.linalg.eigvalsh(H), [-1.0, 5.0])  # the solution's claim: a saddle


def test_learning_rate_ceiling_by_simulation():
    f = lambda p: 3 * p[0] ** 2 + 2 * p[0] * p[1] + 2 * p[1] ** 2   # noqa: E731
    H = md.hessian(f)(np.array([0.1, 0.2]))
    ceiling = 2 / np.linalg.eigvalsh(H).max()
    assert np.isclose(ceiling, 2 / (5 + 5 ** 0.5)) and ceiling < 1 / 3

    def run(lr, steps=400):
        p = np.array([1.0, -1.0])
        for _ in range(steps):
            p = p - lr * md.grad(f)(p).data
        return np.abs(p).max()

    assert run(0.99 * ceiling) < 0.1 and run(1.01 * ceiling) > 10
    assert ch2.learning_rate_ceiling.check(round(ceiling, 3))


def test_power_iteration_key_and_its_negative_case():
    solution = ch2.power_iteration.checker   # a reader's power iteration passes
    from tests.exercise_cases.chapter2 import power_iteration
    assert solution(power_iteration)
    negative = ch2._rotated([-6.0, 3.0, 1.0], 1)
    assert np.isclose(power_iteration(negative), -6.0)
    assert np.isclose(ch2._dominant_eigenvalue(negative), np.linalg.eigvals(negative).real.min())


def test_sigmoid_chain_slope_key_by_mathdl_and_by_nudging():
    for n, x0 in [(1, 0.0), (3, 0.0), (10, 0.0), (5, -2.0), (20, 1.0)]:
        def f(t, n=n):
            for _ in range(n):
                t = t.sigmoid()
            return t
        key = ch2._chain_slope(n, x0)
        assert np.isclose(md.grad(f)(x0).item(), key, rtol=1e-10)
        with md.no_grad():
            nudge = (f(md.tensor(x0 + 1e-5)).item() - f(md.tensor(x0 - 1e-5)).item()) / 2e-5
        assert np.isclose(nudge, key, rtol=1e-4)
    # the solution's numbers
    assert np.isclose(ch2._chain_slope(3, 0.0), 0.0134, rtol=1e-2)
    assert np.isclose(ch2._chain_slope(10, 0.0), 3.9e-7, rtol=2e-2)
    assert np.isclose(ch2._chain_slope(20, 0.0), 1.3e-13, rtol=3e-2)


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


def test_mean_loss_batch_gradient_is_the_average_of_per_sample_gradients():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((8, 3)), rng.standard_normal((8, 1))
    net = md.nn.MLP([3, 4, 1], activation="tanh", seed=0)

    def gradients(xb, yb):
        net.zero_grad()
        md.nn.mse_loss(net(md.tensor(xb)), md.tensor(yb)).backward()
        return [q.grad.copy() for q in net.parameters()]

    batch = gradients(X, Y)
    per_sample = [gradients(X[i:i + 1], Y[i:i + 1]) for i in range(8)]
    for k, g in enumerate(batch):
        assert np.allclose(g, np.mean([s[k] for s in per_sample], axis=0))
        assert not np.allclose(g, np.sum([s[k] for s in per_sample], axis=0))


def test_gradcheck_catches_the_planted_tanh_bug():
    class BuggyTanh(md.ops.Tanh):
        def backward(self, g):
            return (g * (1 - self.output.data),)

    w = np.random.default_rng(0).standard_normal((3, 2))
    assert md.gradcheck(lambda t: t.tanh().sum(), w)
    with pytest.raises(md.GradcheckError):
        md.gradcheck(lambda t: BuggyTanh.apply(t).sum(), w)


def test_taylor_curvature_turns_near_minus_0_46():
    loss = lambda w: ((w * 1.5).sigmoid() - 1.0) ** 2   # noqa: E731
    d2 = md.grad(md.grad(loss))
    assert d2(-0.47).item() < 0 < d2(-0.45).item()
    w = sp.Symbol("w")
    L = (1 / (1 + sp.exp(-1.5 * w)) - 1) ** 2
    root = sp.nsolve(sp.diff(L, w, 2), w, -0.46)
    assert abs(float(root) + 0.46) < 0.01


def test_himmelblau_critical_points_are_classified_by_the_hessian():
    land = md.landscapes.himmelblau()
    kinds = [(p, "minimum") for p in land.minima] + [(p, "saddle") for p in land.saddles] + \
        [(p, "maximum") for p in land.maxima]
    assert len(kinds) == 9
    for point, kind in kinds:
        eig = np.linalg.eigvalsh(md.hessian(land)(np.array(point)))
        label = "minimum" if eig.min() > 0 else "maximum" if eig.max() < 0 else "saddle"
        assert label == kind


def test_power_iteration_on_the_trained_network_finds_lambda_max():
    rng = np.random.default_rng(3)
    Xn, Yn = rng.standard_normal((32, 2)), rng.standard_normal((32, 1))
    small = md.nn.MLP([2, 3, 1], activation="tanh", seed=0)
    shapes = [q.shape for q in small.parameters()]

    def loss_flat(theta):
        W1, b1, W2, b2 = md.nn.unflatten_parameters(theta, shapes)
        return ((((md.tensor(Xn) @ W1 + b1).tanh() @ W2 + b2) - md.tensor(Yn)) ** 2).mean()

    theta = md.nn.flatten_parameters(small.parameters())
    for _ in range(200):
        theta -= 0.1 * md.grad(loss_flat)(theta).data
    v = np.ones_like(theta)
    for _ in range(100):
        hv = md.hvp(loss_flat, theta, v)
        v = hv / np.linalg.norm(hv)
    eig = np.linalg.eigvalsh(md.hessian(loss_flat)(theta))
    assert abs(eig.min()) < eig.max()          # so the dominant eigenvalue is λ_max
    assert abs(v @ md.hvp(loss_flat, theta, v) - eig.max()) < 1e-6


def gradient_ratio(activation, init, width=64, seed=0, depth=20):
    rng = np.random.default_rng(seed)
    layers = [md.nn.Linear(width, width, init="xavier" if init == "naive" else init, seed=rng)
              for _ in range(depth)]
    if init == "naive":
        for layer in layers:
            layer.weight.data = rng.standard_normal((width, width))
    a, outputs = md.tensor(rng.standard_normal((64, width))), []
    for layer in layers:
        a = getattr(layer(a), activation)()
        outputs.append(a)
    grads = md.grad((a ** 2).mean(), outputs)
    return np.linalg.norm(grads[0].data) / np.linalg.norm(grads[-1].data)


def test_vanishing_and_exploding_gradients_as_the_figure_shows():
    assert gradient_ratio("sigmoid", "xavier") < 1e-9
    assert gradient_ratio("relu", "naive") > 1e12
    assert 0.1 < gradient_ratio("relu", "he") < 10


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sigmoid_with_standard_normal_weights_tips_over_when_the_width_changes(seed):
    assert gradient_ratio("sigmoid", "naive", width=16, seed=seed) < 1e-3
    assert 1e-3 < gradient_ratio("sigmoid", "naive", width=64, seed=seed) < 1
    assert gradient_ratio("sigmoid", "naive", width=256, seed=seed) > 10
