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

def test_descent_on_a_bowl_key_by_running_gradient_descent():
    """Answer (b): on 3x² + y²/2 at η = 0.3, x flips sign every step while shrinking, y slides."""
    def f(p):
        return 3 * p[0] * p[0] + 0.5 * p[1] * p[1]

    p = md.tensor([1.0, 1.0], requires_grad=True)
    opt = md.optim.SGD([p], lr=0.3)
    path = [p.numpy().copy()]
    for _ in range(30):
        opt.zero_grad()
        f(p).backward()
        opt.step()
        path.append(p.numpy().copy())
    x, y = np.array(path).T
    assert np.all(x[1:] * x[:-1] < 0) and np.all(np.abs(x[1:]) < np.abs(x[:-1]))
    assert np.all(y > 0) and np.all(np.diff(y) < 0) and np.linalg.norm(path[-1]) < 1e-2
    assert ch5.descent_on_a_bowl.check("b")


def test_classify_key_same_eigenvalues_minimum_and_saddle():
    """Answer (d): two losses with Hessian eigenvalues {4, 0, 0.5} at a critical point, one with a
    minimum there and one with a saddle, so the eigenvalues alone cannot decide."""
    def bowl(p):
        return 2 * p[0] * p[0] + 0.25 * p[2] * p[2] + p[1] ** 4

    def ridge(p):
        return 2 * p[0] * p[0] + 0.25 * p[2] * p[2] - p[1] ** 4

    for f in (bowl, ridge):
        assert np.allclose(md.grad(f)(np.zeros(3)).numpy(), 0)
        assert np.allclose(np.linalg.eigvalsh(md.hessian(f)(np.zeros(3))), [0.0, 0.5, 4.0])
    along = md.tensor([0.0, 0.1, 0.0])
    assert bowl(along).item() > 0 > ridge(along).item()
    assert ch5.classify_critical_point.check("d")


def test_valley_momentum_key_and_its_solution_by_the_explorer():
    """A second method, the GradientDescentExplorer: the same losses, μ = 0.75 the best."""
    from mathdl.widgets import GradientDescentExplorer

    said = {0.0: 3.5e-3, 0.5: 3.4e-4, 0.75: 7.5e-8, 0.9: 2.3e-5, 0.99: 0.1}   # the solution's
    losses = {}
    for mu in said:
        name = "momentum" if mu else "gd"
        ex = GradientDescentExplorer("quadratic", optimizers=(name,), lr=0.9, start=(-1.8, -0.4),
                                     steps=60, hyper={"momentum": {"momentum": mu}} if mu else {},
                                     landscape_params={"condition_number": 50, "angle": 30})
        losses[mu] = ex.land(ex.paths[name][-1])
        assert np.isclose(losses[mu], said[mu], rtol=0.05), (mu, losses[mu])
    assert min(losses, key=losses.get) == 0.75

    def valley_loss(mu):
        return losses[mu]

    assert ch5.momentum_on_the_valley.check(valley_loss)


def test_adam_key_is_the_update_as_the_chapter_writes_it():
    """The equations of section 5.5, typed in literally, pass; so md.optim.Adam is that Adam."""
    def adam(theta, grads, lr):
        m = v = np.zeros_like(theta)
        path = [theta]
        for t, g in enumerate(grads, start=1):
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g**2
            m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
            theta = theta - lr * m_hat / (np.sqrt(v_hat) + 1e-8)
            path.append(theta)
        return np.array(path)

    assert ch5.adam_update.check(adam)


def _digits_train():
    X, y = md.data.load_digits()
    X_rest, _, y_rest, _ = md.data.train_test_split(X / 16, y, test_fraction=0.2, seed=0)
    X_train, _, y_train, _ = md.data.train_test_split(X_rest, y_rest, test_fraction=0.2, seed=1)
    return X_train, y_train


def test_range_test_key_and_solution_by_recording_every_loss():
    """Every loss of the whole 100-step sweep recorded first, the blow-up found afterwards."""
    X, y = _digits_train()

    def sweep(name, seed=0):
        net = md.nn.MLP([64, 32, 10], activation="relu", seed=seed)
        opt = md.optim.get(name, net.parameters(), lr=1e-4)
        rates, losses = np.geomspace(1e-4, 10, 100), []
        with np.errstate(all="ignore"):
            for k, lr in enumerate(rates):
                opt.lr = lr
                idx = (64 * k + np.arange(64)) % len(X)
                loss = md.nn.cross_entropy(net(md.tensor(X[idx])), y[idx])
                losses.append(loss.item())
                if not np.isfinite(losses[-1]):
                    break
                opt.zero_grad()
                loss.backward()
                opt.step()
        losses = np.array(losses)
        running_best = np.minimum.accumulate(np.r_[np.inf, losses[:-1]])
        k = int(np.argmax(losses > 4 * running_best))
        return k, rates[k]

    k, rate = sweep("adam")
    assert k == 61 and np.isclose(rate, 0.12, rtol=0.02)                 # the solution's words
    assert ch5.learning_rate_range_test.check(lambda: rate / 10)
    assert all(0.009 < sweep("adam", seed)[1] / 10 < 0.031 for seed in (1, 2))
    assert np.isclose(sweep("sgd")[1] / 10, 0.35, rtol=0.02)


def test_l1_zeros_key_by_rerunning_ista_and_its_solution():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 12))
    w_true = np.zeros(12)
    w_true[[1, 4, 7]] = [2.0, -1.5, 1.0]
    y = X @ w_true + 0.5 * rng.normal(size=60)

    def ista(lam, lr=0.05):
        w = np.zeros(12)
        for _ in range(300):   # plain numpy this time: the smooth gradient, then soft-threshold
            w = w - lr * X.T @ (X @ w - y) / 60
            w = np.sign(w) * np.maximum(np.abs(w) - lr * lam, 0.0)
        return w

    assert ch5.l1_exact_zeros.check(int(np.sum(ista(0.05) == 0)))
    assert int(np.sum(ista(0.05) == 0)) == 7 and int(np.sum(ista(0.3) == 0)) == 9
    kept = ista(0.05)[w_true == 0]
    assert sorted(np.round(kept[kept != 0], 2)) == [-0.02, 0.03]         # "about 0.03 and -0.02"
    assert int(np.sum(ista(0.1) == 0)) == 9 and int(np.sum(ista(1.2) == 0)) == 10


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
    """Section 5.7's ISTA step: argmin_z (z - w)^2 / 2 + t |z|, found by brute force."""
    z = np.linspace(-5, 5, 100_001)
    rng = np.random.default_rng(0)
    for w, t in zip(rng.uniform(-4, 4, 30), rng.uniform(0, 2, 30)):
        brute = z[np.argmin((z - w) ** 2 / 2 + t * np.abs(z))]
        assert abs(brute - np.sign(w) * max(abs(w) - t, 0.0)) < 2e-4, (w, t)


def test_prior_key_by_sympy():
    theta, sigma, lam, n = sp.symbols("theta sigma lambda n", positive=True)
    log_prior = -sp.log(sp.exp(-theta ** 2 / (2 * sigma ** 2)) / sp.sqrt(2 * sp.pi * sigma ** 2))
    # MAP objective divided by n: the prior's share must equal (lambda/2) theta^2, up to constants
    solved = sp.solve(sp.Eq(sp.diff(log_prior / n, theta), sp.diff(lam / 2 * theta ** 2, theta)),
                      lam)
    assert len(solved) == 1 and ch5.gaussian_prior_lambda.check(solved[0])


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
    """The text: on the ridge the readout (at gd's point, the one it shows first) calls the
    point a saddle, eigenvalues -2 and 2; momentum and Adam, still a few hundredths short of
    it, are on the same saddle-shaped ground, but not yet at the critical point."""
    from mathdl.widgets import GradientDescentExplorer

    gd = GradientDescentExplorer("saddle", optimizers=("gd", "sgd", "momentum", "adam"), lr=0.05,
                                 start=(-1.8, 0.0), steps=70)
    assert gd.focus == "gd" and "<b>saddle</b>" in gd.panel.value
    for name, words in (("gd", "saddle"), ("momentum", "curves up one way, down the other"),
                        ("adam", "curves up one way, down the other")):
        gd.controls["focus"].value = name
        _, lam, _, _, label = gd.curvature()
        assert label == words and np.allclose(lam, [-2.0, 2.0]), (name, lam, label)


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


def _rosenbrock_path(name, lr, steps=300, **hyper):
    land = md.landscapes.rosenbrock()
    p = md.tensor(land.start, requires_grad=True)
    opt = md.optim.get(name, [p], lr=lr, **hyper)
    path = [p.numpy().copy()]
    for _ in range(steps):
        loss = land(p)
        if not loss.item() < 1e6:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
        path.append(p.numpy().copy())
    return land, np.array(path)


def test_race_best_rates_on_the_grid_and_adam_without_momentum():
    """Section 5.5's race: the best rate of each optimizer on the half-decade grid (the momentum
    family at 1e-3, blowing up from 3e-3; Adagrad and Adam at the grid's top), why 1e-3 survives
    above the start's 2/L, and Adam with β₁ = 0 ending worse than RMSprop where the curvature
    ratio exceeds 1e5."""
    rates = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0]
    expected = {"gd": 1e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 1.0, "rmsprop": 0.3,
                "adam": 1.0}
    finals = {}
    for name, best in expected.items():
        losses = []
        for lr in rates:
            land, path = _rosenbrock_path(name, lr)
            losses.append(land(path[-1]) if len(path) == 301 else np.inf)
        assert rates[int(np.argmin(losses))] == best, (name, losses)
        finals[name] = min(losses)
        if name in ("gd", "momentum", "nesterov"):
            assert all(np.isinf(v) for v in losses[3:])
    land, path = _rosenbrock_path("gd", 1e-3)
    lr_L = 1e-3 * np.array([np.linalg.eigvalsh(land.hessian(p))[-1] for p in path])
    assert lr_L[0] > 2 and lr_L[1:].max() < 2
    land, path = _rosenbrock_path("adam", 1.0, betas=(0.0, 0.999))
    curvature = np.linalg.eigvalsh(land.hessian(path[-1]))
    assert land(path[-1]) > finals["rmsprop"] and land(path[-1]) > 100 * finals["adam"]
    assert curvature[0] > 0 and curvature[1] / curvature[0] > 1e5


def _moons_network():
    X, y = md.data.make_moons(n=200, noise=0.15, seed=0)
    initial = md.nn.MLP([2, 16, 2], seed=0)
    shapes = [p.shape for p in initial.parameters()]

    def loss(theta):
        W1, b1, W2, b2 = md.nn.unflatten_parameters(theta, shapes)
        return md.nn.cross_entropy((md.tensor(X) @ W1 + b1).tanh() @ W2 + b2, y)

    return loss, md.nn.flatten_parameters(initial.parameters())


def test_above_the_ceiling_the_moons_network_catapults_or_sits_at_the_edge_of_stability():
    """Section 5.2: at 4 x 2/L the loss spikes (x19) and the sharpness ends below half the new
    ceiling 2/lr (a flatter region, measured); at 1.5 x 2/L it ends within 5 % of 2/lr."""
    loss_fn, theta0 = _moons_network()
    L = np.linalg.eigvalsh(md.hessian(loss_fn)(theta0))[-1]
    assert np.isclose(L, 1.5232, atol=1e-4)
    for factor in (1.5, 4.0):
        lr = factor * 2 / L
        theta = md.tensor(theta0.copy(), requires_grad=True)
        opt = md.optim.SGD([theta], lr=lr)
        losses = []
        for _ in range(120):
            loss = loss_fn(theta)
            losses.append(loss.item())
            opt.zero_grad()
            loss.backward()
            opt.step()
        sharp = np.linalg.eigvalsh(md.hessian(loss_fn)(theta.numpy()))[-1]
        if factor == 4.0:
            assert max(losses) > 15 * losses[0] and sharp * lr / 2 < 0.5
        else:
            assert max(losses) == losses[0] and abs(sharp * lr / 2 - 1) < 0.05


def test_zero_gradient_weights_are_mostly_switched_off_units_not_blank_pixels():
    """Section 5.5: of the digits network's weights with exactly zero gradient at initialisation,
    more belong to ReLU units that are off (on every image, or wherever the pixel is lit) than to
    pixels blank in every image; a first-layer weight's gradient is zero exactly then."""
    X, y = _digits_train()
    net = md.nn.MLP([64, 32, 10], activation="relu", seed=0)
    md.nn.cross_entropy(net(md.tensor(X)), y).backward()
    W1, b1, W2, b2 = net.parameters()
    active = (X @ W1.data + b1.data) > 0
    lit = X != 0
    together = lit.T.astype(float) @ active
    dead, blank = ~active.any(axis=0), ~lit.any(axis=0)
    assert np.array_equal(W1.grad == 0, together == 0)
    from_units = dead.sum() * 75 + ((together == 0) & ~dead & ~blank[:, None]).sum()
    from_pixels = ((together == 0) & ~dead & blank[:, None]).sum()
    zero = sum(int((p.grad == 0).sum()) for p in net.parameters())
    assert from_units + from_pixels == zero and from_units > from_pixels


def test_adam_bias_correction_is_a_normalised_weighted_average():
    """Section 5.5: m-hat after gradients 1..10 is the β₁-weighted average (6.35), exactly;
    with a constant gradient it equals the gradient from the first step on."""
    w = md.tensor([0.0], requires_grad=True)
    opt = md.optim.Adam([w], lr=0.01)
    for t in range(1, 11):
        w.grad = np.array([float(t)])
        opt.step()
    m_hat = opt.state[0]["m"][0] / (1 - 0.9 ** 10)
    weights = 0.9 ** np.arange(9, -1, -1)
    assert np.isclose(m_hat, weights @ np.arange(1, 11) / weights.sum()) and round(m_hat, 2) == 6.35


def test_early_stopping_cures_the_loss_but_not_the_accuracy_on_the_moons():
    """Section 5.7, three seeds: test loss none > early stopping > L2 in every seed, early
    stopping's accuracy the lowest in every seed."""
    X, y = md.data.make_moons(n=540, noise=0.3, seed=1)
    fit, val, test = slice(0, 40), slice(40, 290), slice(290, None)
    for seed in (0, 1, 2):
        results = {}
        for label, decay in (("none", 0.0), ("l2", 0.01)):
            net = md.nn.MLP([2, 32, 32, 2], activation="relu", seed=seed)
            early = md.nn.MLP([2, 32, 32, 2], activation="relu", seed=seed)
            opt = md.optim.Adam(net.parameters(), lr=0.005, weight_decay=decay)
            best = np.inf
            for step in range(301):
                loss = md.nn.cross_entropy(net(md.tensor(X[fit])), y[fit])
                if step % 10 == 0:
                    with md.no_grad():
                        v = md.nn.cross_entropy(net(md.tensor(X[val])), y[val]).item()
                    if v < best:
                        best = v
                        for p, q in zip(early.parameters(), net.parameters()):
                            p.data[...] = q.data
                if step < 300:
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
            results[label] = net
            if label == "none":
                results["early"] = early
        scores = {}
        for label, net in results.items():
            with md.no_grad():
                z = net(md.tensor(X[test]))
            scores[label] = (md.nn.cross_entropy(z, y[test]).item(),
                             np.mean(z.numpy().argmax(axis=1) == y[test]))
        assert scores["none"][0] > scores["early"][0] > scores["l2"][0], scores
        assert scores["early"][1] < min(scores["none"][1], scores["l2"][1]), scores
