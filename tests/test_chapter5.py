"""Chapter 5 (optimization): its exercises give the right feedback, their answer keys are true,
and the chapter's central claims hold outside the notebook too.

The answer keys are re-derived independently (SymPy, a simulation with mathdl's own optimizers,
or brute force), so a wrong key cannot hide behind its own check.
"""

import math
from pathlib import Path

import nbformat
import numpy as np
import pytest
import sympy as sp

import mathdl as md
from mathdl.exercises import chapter5 as ch5

EXERCISES = [name for name in dir(ch5) if isinstance(getattr(ch5, name), md.exercises.Exercise)]


def test_chapter_has_at_least_eight_exercises_with_hints_and_solutions():
    assert len(EXERCISES) >= 8
    assert sorted(EXERCISES) == sorted(ch5.EXERCISES)
    for name in EXERCISES:
        ex = getattr(ch5, name)
        assert ex.prompt and ex.hint().text and ex.solution().text, name


# Right answers in several forms, typical mistakes and hostile answers for every exercise are
# in tests/exercise_cases/chapter5.py, run by tests/test_exercise_cases.py.


# ---------------------------------------------------------------- the answer keys, re-derived

def _gd_converges(f, lr, steps=400):
    p = md.tensor([1.0, 1.0], requires_grad=True)
    opt = md.optim.SGD([p], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        f(p).backward()
        opt.step()
    return np.linalg.norm(p.numpy()) < 1e-3


def test_learning_rate_ceiling_key_is_where_gradient_descent_stops_converging():
    def f(p):
        return 3 * p[0] * p[0] + 0.5 * p[1] * p[1]

    ceiling = 1 / 3
    assert ch5.learning_rate_ceiling.check(ceiling)
    assert _gd_converges(f, 0.99 * ceiling) and not _gd_converges(f, 1.01 * ceiling)
    assert np.allclose(md.hessian(f)(np.zeros(2)), np.diag([6.0, 1.0]))


def test_optimal_learning_rate_key_minimises_the_worst_factor():
    rates = np.linspace(0.01, 0.33, 32001)
    worst = np.maximum(np.abs(1 - 6 * rates), np.abs(1 - rates))
    best = rates[worst.argmin()]
    assert np.isclose(best, 2 / 7, atol=1e-4) and np.isclose(worst.min(), 5 / 7, atol=1e-4)
    assert ch5.optimal_learning_rate.check([2 / 7, 5 / 7])


def test_steps_key_is_the_first_step_below_one_in_a_million():
    k = next(k for k in range(1, 10_000) if 0.99 ** k < 1e-6)
    assert k == 1375 and ch5.steps_for_condition_number.check(k)


def test_logistic_gradient_key_by_mathdl_and_sympy():
    s_ = sp.Symbol("s", real=True)
    assert ch5.logistic_gradient.check(sp.diff(sp.log(1 + sp.exp(s_)), s_))
    # mathdl's own logistic loss, for a negative example (target 0), differentiated by autodiff
    for score in (-2.0, 0.3, 4.0):
        z = md.tensor([score], requires_grad=True)
        md.nn.binary_cross_entropy_with_logits(z, [0.0]).backward()
        assert np.isclose(z.grad[0], 1 / (1 + np.exp(-score)))


def test_squared_hinge_key_is_mathdl_autodiff():
    def via_mathdl(m):
        x = md.tensor(np.asarray(m, dtype=float), requires_grad=True)
        ((1 - x).relu() ** 2).sum().backward()   # each entry's own derivative
        return x.grad

    assert ch5.squared_hinge_derivative.check(via_mathdl)


def test_warmup_cosine_key_is_the_library_schedule():
    def library(t, W, T):
        return md.schedules.linear_warmup(int(W), then=md.schedules.cosine(int(T - W)))(int(t))

    assert ch5.warmup_cosine.check(library)


def test_soft_threshold_is_the_proximal_map_of_the_l1_norm():
    """The notebook's ISTA step: argmin_z (z - w)^2 / 2 + t |z|, found by brute force."""
    z = np.linspace(-5, 5, 100_001)
    rng = np.random.default_rng(0)
    for w, t in zip(rng.uniform(-4, 4, 30), rng.uniform(0, 2, 30)):
        brute = z[np.argmin((z - w) ** 2 / 2 + t * np.abs(z))]
        assert abs(brute - np.sign(w) * max(abs(w) - t, 0.0)) < 2e-4, (w, t)


def test_momentum_and_adam_keys_by_mathdl_optimizers():
    x = md.tensor([1.0], requires_grad=True)
    opt = md.optim.SGD([x], lr=0.1, momentum=0.9)
    for _ in range(2):
        opt.zero_grad()
        (x * x).sum().backward()
        opt.step()
    assert ch5.momentum_two_steps.check(x.item())

    theta = md.tensor([5.0], requires_grad=True)
    opt = md.optim.Adam([theta], lr=0.01)
    (250 * theta).sum().backward()
    opt.step()
    assert ch5.adam_first_step.check(theta.item())


def test_batch_noise_key_by_simulation():
    rng = np.random.default_rng(0)
    population = rng.normal(size=1_000_000)
    rms = {B: np.sqrt(np.mean(rng.choice(population, (4000, B)).mean(axis=1) ** 2))
           for B in (16, 1024)}
    assert abs(0.8 * rms[1024] / rms[16] - 0.1) < 0.005 and ch5.batch_noise.check(1024)


def test_prior_key_by_sympy():
    theta, sigma, lam, n = sp.symbols("theta sigma lambda n", positive=True)
    log_prior = -sp.log(sp.exp(-theta ** 2 / (2 * sigma ** 2)) / sp.sqrt(2 * sp.pi * sigma ** 2))
    # MAP objective divided by n: the prior's share must equal (lambda/2) theta^2, up to constants
    solved = sp.solve(sp.Eq(sp.diff(log_prior / n, theta), sp.diff(lam / 2 * theta ** 2, theta)),
                      lam)
    assert len(solved) == 1 and ch5.gaussian_prior_lambda.check(solved[0])


def test_critical_point_key_by_mathdl_hessian():
    def f(p):
        return p[0] ** 3 - 3 * p[0] + p[1] * p[1]

    for point in [(1.0, 0.0), (-1.0, 0.0)]:
        assert np.allclose(md.grad(f)(np.array(point)).numpy(), 0)
    eig = np.linalg.eigvalsh(md.hessian(f)(np.array([-1.0, 0.0])))
    assert ch5.classify_critical_point.check(eig)


# ---------------------------------------------------------------- the chapter's claims

@pytest.mark.parametrize("kappa", [2.0, 10.0, 50.0])
def test_gradient_descent_on_a_quadratic_converges_exactly_below_two_over_L(kappa):
    land = md.landscapes.quadratic(condition_number=kappa, angle=25, L=3.0)
    for factor, converges in [(0.98, True), (1.02, False)]:
        p = md.tensor(land.start, requires_grad=True)
        opt = md.optim.SGD([p], lr=factor * land.lr_max)
        for _ in range(1500):
            opt.zero_grad()
            land(p).backward()
            opt.step()
        assert (np.linalg.norm(p.numpy()) < 1e-2) == converges, (kappa, factor)


def test_gradient_descent_steps_grow_with_the_condition_number_as_the_formula_says():
    for kappa in [4.0, 40.0]:
        land = md.landscapes.quadratic(condition_number=kappa, angle=10)
        p = md.tensor(land.start, requires_grad=True)
        opt = md.optim.SGD([p], lr=2 / (land.mu + land.L))
        start, k = np.linalg.norm(land.start), 0
        while np.linalg.norm(p.numpy()) >= 1e-6 * start:
            opt.zero_grad()
            land(p).backward()
            opt.step()
            k += 1
        predicted = math.ceil(math.log(1e-6) / math.log((kappa - 1) / (kappa + 1)))
        assert abs(k - predicted) <= 1


def test_adam_ignores_the_scale_of_the_loss_and_gradient_descent_does_not():
    land = md.landscapes.rosenbrock()

    def path(scale, name, lr, steps=30):
        p = md.tensor(land.start, requires_grad=True)
        opt = md.optim.get(name, [p], lr=lr)
        out = []
        for _ in range(steps):
            opt.zero_grad()
            (scale * land(p)).backward()
            opt.step()
            out.append(p.numpy().copy())
        return np.array(out)

    assert np.allclose(path(1, "adam", 0.05), path(1000, "adam", 0.05), atol=1e-6)
    assert not np.allclose(path(1, "gd", 1e-5, 2), path(1000, "gd", 1e-5, 2), atol=1e-3)


def test_mini_batch_gradients_average_to_the_full_gradient():
    X, y = md.data.make_blobs(n=90, centers=3, seed=0)
    net = md.nn.MLP([2, 8, 3], seed=0)

    def gradient(idx):
        net.zero_grad()
        md.nn.cross_entropy(net(md.tensor(X[idx])), y[idx]).backward()
        return np.concatenate([p.grad.ravel() for p in net.parameters()])

    batches = np.array_split(np.random.default_rng(0).permutation(90), 4)   # sizes 23, 23, 22, 22
    average = sum(len(b) / 90 * gradient(b) for b in batches)
    assert np.allclose(average, gradient(np.arange(90)))


def test_adamw_decays_a_weight_without_loss_gradient_by_exactly_one_minus_lr_lambda():
    w = md.tensor([2.0], requires_grad=True)
    opt = md.optim.AdamW([w], lr=0.01, weight_decay=0.5)
    for _ in range(50):
        w.grad = np.zeros(1)
        opt.step()
    assert np.isclose(w.item(), 2.0 * (1 - 0.005) ** 50)

    # Adam + L2 marches it in steps of about lr, whatever lambda is
    paths = {}
    for lam in (0.5, 5.0):
        v = md.tensor([2.0], requires_grad=True)
        opt = md.optim.Adam([v], lr=0.01, weight_decay=lam)
        paths[lam] = []
        for _ in range(50):
            v.grad = np.zeros(1)
            opt.step()
            paths[lam].append(v.item())
    steps = -np.diff([2.0] + paths[0.5])
    assert np.all((steps > 0.009) & (steps <= 0.01 + 1e-12))
    assert np.allclose(paths[0.5], paths[5.0], atol=1e-6)


def test_proximal_l1_gives_exact_zeros_and_subgradient_l1_does_not():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 12))
    y = X @ np.r_[2.0, -1.5, 1.0, np.zeros(9)] + 0.5 * rng.normal(size=60)
    lam, lr = 0.3, 0.05
    zeros = {}
    for method in ("subgradient", "proximal"):
        w = md.tensor(np.zeros(12), requires_grad=True)
        opt = md.optim.SGD([w], lr=lr)
        for _ in range(300):
            loss = 0.5 * md.nn.mse_loss(md.tensor(X) @ w, y)
            if method == "subgradient":
                loss = loss + lam * w.abs().sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            if method == "proximal":
                w.data[...] = np.sign(w.data) * np.maximum(np.abs(w.data) - lr * lam, 0)
        zeros[method] = int(np.sum(w.numpy() == 0))
        if method == "proximal":   # the lasso optimality conditions
            g = X.T @ (X @ w.numpy() - y) / 60
            on = w.numpy() != 0
            assert np.all(np.abs(g[~on]) <= lam)
            assert np.allclose(g[on], -lam * np.sign(w.numpy()[on]), atol=1e-3)
    assert zeros["proximal"] >= 6 and zeros["subgradient"] == 0


def test_the_notebook_exists_and_shows_every_exercise_blank():
    path = Path(__file__).resolve().parents[1] / "notebooks" / "05_optimization.ipynb"
    nb = nbformat.read(path, as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for name in EXERCISES:
        assert f"ex.{name}.check(" in source, name
    outputs = [o for c in nb.cells if c.cell_type == "code" and "ex." in c.source
               and ".check(" in c.source for o in c.outputs]
    assert len(outputs) == len(EXERCISES)
    assert all("No answer yet" in o["data"]["text/plain"] or "returns nothing yet"
               in o["data"]["text/plain"] for o in outputs)


def test_on_the_saddles_ridge_only_noisy_sgd_escapes_and_off_it_momentum_escapes_first():
    """The chapter's saddle explorer: started exactly on y = 0 the gradient never gets a y
    component, so only SGD's noise leaves the ridge; from y = 0.05 all escape, momentum first."""
    from mathdl.widgets import GradientDescentExplorer

    gd = GradientDescentExplorer("saddle", optimizers=("gd", "sgd", "momentum", "adam"), lr=0.05,
                                 start=(-1.8, 0.0), steps=70)
    for name in ("gd", "momentum", "adam"):
        assert np.all(gd.paths[name][:, 1] == 0) and np.hypot(*gd.paths[name][-1]) < 0.1, name
    assert abs(gd.paths["sgd"][-1, 1]) > 1
    gd.controls["y"].value = 0.05   # as the reader drags the slider: same 70 steps, new start
    escape = {name: int(np.argmax(np.abs(path[:, 1]) > 1)) for name, path in gd.paths.items()}
    assert all(step > 0 for step in escape.values()), escape
    assert escape["momentum"] < escape["adam"] < min(escape["gd"], escape["sgd"]), escape


def test_saddle_readout_names_a_saddle_with_eigenvalues_minus_two_and_two():
    """The text: on the ridge the readout calls the point a saddle, eigenvalues -2 and 2."""
    from mathdl.widgets import GradientDescentExplorer

    gd = GradientDescentExplorer("saddle", optimizers=("gd", "sgd", "momentum", "adam"), lr=0.05,
                                 start=(-1.8, 0.0), steps=70)
    for name in ("gd", "momentum", "adam"):
        gd.controls["focus"].value = name
        _, lam, _, _, label = gd.curvature()
        assert label == "saddle" and np.allclose(lam, [-2.0, 2.0]), (name, lam, label)


def test_valley_explorer_momentum_half_damps_but_lags_and_point_99_keeps_swinging():
    """The narrow-valley 'try it': μ = 0.5 ends with over ten times the loss of μ = 0.9 and no
    swing left across the valley; μ = 0.99 still swings wall to wall at the end of the run."""
    from mathdl.widgets import GradientDescentExplorer

    ex = GradientDescentExplorer("quadratic", optimizers=("gd", "momentum", "nesterov"), lr=0.9,
                                 start=(-1.8, -0.4), steps=60,
                                 landscape_params={"condition_number": 50, "angle": 30})
    stiff = np.linalg.eigh(ex.land.hessian(np.zeros(2)))[1][:, -1]   # across the valley
    loss, swing = {}, {}
    for mu in (0.9, 0.5, 0.99):
        ex.controls["momentum.momentum"].value = mu
        path = ex.paths["momentum"]
        loss[mu], swing[mu] = ex.land(path[-1]), np.abs(path[-10:] @ stiff).max()
    assert loss[0.5] > 10 * loss[0.9]
    start_offset = abs(ex.paths["momentum"][0] @ stiff)
    assert swing[0.5] < 1e-3 * start_offset and swing[0.99] > 0.5 * start_offset


def test_race_adam_without_momentum_ends_no_better_than_rmsprop_on_a_stretched_valley():
    """The race 'try it': Adam with β₁ = 0 ends no better than RMSprop (and far behind Adam
    with its momentum); where every runner ends, on the valley's walls, the Hessian's condition
    number is in the hundreds to thousands."""
    from mathdl.widgets import GradientDescentExplorer

    race = {"gd": 1e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 1.0, "rmsprop": 0.1,
            "adam": 0.1}
    ex = GradientDescentExplorer("rosenbrock", optimizers=tuple(race), lr=1e-3, steps=300,
                                 hyper={name: {"lr": lr} for name, lr in race.items()})
    assert ex.controls["lr"].disabled          # "the shared lr slider is greyed out"
    before = {name: path.copy() for name, path in ex.paths.items()}
    ex.controls["lr"].value = 1e-2              # "it would move none of them"
    assert all(np.array_equal(ex.paths[name], before[name]) for name in race)
    f = ex.land
    for name in race:
        ex.controls["focus"].value = name
        assert 300 < ex.curvature()[3] < 1e5, name
    adam_default = f(ex.paths["adam"][-1])
    ex.controls["adam.beta1"].value = 0.0
    adam_no_momentum, rmsprop = f(ex.paths["adam"][-1]), f(ex.paths["rmsprop"][-1])
    assert adam_no_momentum >= rmsprop and adam_no_momentum > 5 * adam_default
