"""md.optim: every optimizer against its update equation written out here, convergence, errors."""

import math

import numpy as np
import pytest

import mathdl as md
from mathdl import optim

A = np.array([[3.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 0.1]])  # symmetric positive definite
B = np.array([1.0, -2.0, 0.5])
THETA0 = np.array([1.5, -0.5, 2.0])


def loss(theta, b=B):
    """f(θ) = ½ θᵀAθ - bᵀθ, with gradient Aθ - b and minimiser A⁻¹b."""
    return 0.5 * theta @ (md.tensor(A) @ theta) - md.tensor(b) @ theta


def run_mathdl(name, steps, b=B, **hyper):
    theta = md.tensor(THETA0.copy(), requires_grad=True)
    opt = optim.get(name, [theta], **hyper)
    path = []
    for _ in range(steps):
        opt.zero_grad()
        loss(theta, b).backward()
        opt.step()
        path.append(theta.data.copy())
    return np.array(path)


def run_reference(update, steps):
    """Iterate θ ← update(θ, g, t) with g = Aθ - b by hand; `update` keeps its own state."""
    theta, path = THETA0.copy(), []
    for t in range(1, steps + 1):
        theta = update(theta, A @ theta - B, t)
        path.append(theta)
    return np.array(path)


def sgd(lr, momentum=0.0, nesterov=False, wd=0.0):
    v = np.zeros(3)

    def update(theta, g, t):
        nonlocal v
        g = g + wd * theta
        v = momentum * v + g
        step = g + momentum * v if nesterov else v
        return theta - lr * step
    return update


def adagrad(lr, eps=1e-10):
    G = np.zeros(3)

    def update(theta, g, t):
        nonlocal G
        G = G + g ** 2
        return theta - lr * g / (np.sqrt(G) + eps)
    return update


def rmsprop(lr, alpha=0.99, eps=1e-8):
    s = np.zeros(3)

    def update(theta, g, t):
        nonlocal s
        s = alpha * s + (1 - alpha) * g ** 2
        return theta - lr * g / (np.sqrt(s) + eps)
    return update


def adam(lr, b1=0.9, b2=0.999, eps=1e-8, wd=0.0, decoupled=False):
    m, v = np.zeros(3), np.zeros(3)

    def update(theta, g, t):
        nonlocal m, v
        if decoupled:
            theta = theta - lr * wd * theta
        else:
            g = g + wd * theta
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        return theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return update


CASES = [
    ("gd", dict(lr=0.1), sgd(0.1)),
    ("sgd", dict(lr=0.2, weight_decay=0.3), sgd(0.2, wd=0.3)),
    ("momentum", dict(lr=0.1), sgd(0.1, momentum=0.9)),
    ("momentum", dict(lr=0.05, momentum=0.5, weight_decay=0.1), sgd(0.05, 0.5, wd=0.1)),
    ("nesterov", dict(lr=0.1, momentum=0.8), sgd(0.1, momentum=0.8, nesterov=True)),
    ("adagrad", dict(lr=0.5), adagrad(0.5)),
    ("rmsprop", dict(lr=0.05, alpha=0.9), rmsprop(0.05, alpha=0.9)),
    ("adam", dict(lr=0.1), adam(0.1)),
    ("adam", dict(lr=0.1, betas=(0.5, 0.9), eps=1e-3, weight_decay=0.2),
     adam(0.1, 0.5, 0.9, 1e-3, wd=0.2)),
    ("adamw", dict(lr=0.1, weight_decay=0.2), adam(0.1, wd=0.2, decoupled=True)),
]


@pytest.mark.parametrize("name, hyper, reference", CASES, ids=[f"{c[0]}-{i}" for i, c in
                                                              enumerate(CASES)])
def test_each_optimizer_follows_its_update_equation(name, hyper, reference):
    np.testing.assert_allclose(run_mathdl(name, 8, **hyper), run_reference(reference, 8),
                               rtol=1e-12, atol=1e-12)


# With a constant rate, RMSprop's steps stay about lr long near the minimum (g/√s ≈ ±1), so it
# hovers within ~lr of it: a small lr (or a decaying schedule) is what makes it converge.
@pytest.mark.parametrize("name, hyper", [
    ("gd", dict(lr=0.3)), ("momentum", dict(lr=0.1)), ("nesterov", dict(lr=0.1)),
    ("adagrad", dict(lr=1.0)), ("rmsprop", dict(lr=1e-3)), ("adam", dict(lr=0.05)),
    ("adamw", dict(lr=0.05, weight_decay=0.0)),
])
def test_each_optimizer_converges_on_a_convex_quadratic(name, hyper):
    minimiser = np.array([1.0, -2.0, 0.5])  # condition number of A: about 58
    theta = run_mathdl(name, 3000, b=A @ minimiser, **hyper)[-1]
    np.testing.assert_allclose(theta, minimiser, atol=1e-3)


def test_adamw_decays_by_lr_times_lambda_where_adam_l2_is_divided_away():
    """With gradient 100, Adam divides an L2 term λθ by √v̂ ≈ 100; AdamW applies η λ θ in full."""
    def one_step(opt_class, weight_decay):
        w = md.tensor([1.0], requires_grad=True)
        opt = opt_class([w], lr=0.01, weight_decay=weight_decay)
        (100 * w).sum().backward()
        opt.step()
        return w.item()
    plain = one_step(optim.Adam, 0.0)  # 1 - η·m̂/√v̂ = 1 - 0.01
    assert plain == pytest.approx(0.99, abs=1e-9)
    assert one_step(optim.AdamW, 0.1) - plain == pytest.approx(-0.01 * 0.1 * 1.0, rel=1e-6)
    assert abs(one_step(optim.Adam, 0.1) - plain) < 1e-9


def test_parameters_without_gradient_are_skipped():
    used, unused = md.tensor([1.0], requires_grad=True), md.tensor([5.0], requires_grad=True)
    opt = optim.Adam([used, unused], lr=0.1, weight_decay=0.5)
    (used * used).sum().backward()
    opt.step()
    assert unused.item() == 5.0 and used.item() != 1.0
    assert opt.state[1] == {}


def test_zero_grad_and_lr_are_usable_between_steps():
    w = md.tensor([2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.5)
    (w * w).sum().backward()
    opt.step()
    assert w.item() == pytest.approx(2.0 - 0.5 * 4.0)
    opt.zero_grad()
    assert w.grad is None
    opt.lr = 0.25
    (w * w).sum().backward()
    opt.step()
    assert w.item() == pytest.approx(0.0 - 0.25 * 0.0)


def test_float32_parameters_stay_float32():
    w = md.tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    for name in optim.OPTIMIZERS:
        opt = optim.get(name, [w], lr=0.1)
        (w * w).sum().backward()
        opt.step()
        assert w.dtype == np.float32 and w.data.dtype == np.float32
        opt.zero_grad()


# ---- errors -------------------------------------------------------------------------------------
W = md.tensor([1.0], requires_grad=True)


@pytest.mark.parametrize("make, error, message", [
    (lambda: optim.SGD([W], lr=-0.1), ValueError, r"learning rate must be a finite number in \[0"),
    (lambda: optim.Adam([W], lr=float("nan")), ValueError, "learning rate .* got nan"),
    (lambda: optim.RMSprop([W], lr=math.inf), ValueError, "learning rate .* got inf"),
    (lambda: optim.SGD([W], lr=0.1, momentum=1.0), ValueError,
     r"momentum must be a finite number in \[0, 1\), got 1.0."),
    (lambda: optim.SGD([W], lr=True), ValueError, "learning rate .* got True"),
    (lambda: optim.SGD([W], lr=0.1, momentum=-0.5), ValueError, "momentum"),
    (lambda: optim.SGD([W], lr=0.1, nesterov=True), ValueError, "nesterov=True needs a momentum"),
    (lambda: optim.SGD([], lr=0.1), ValueError, "empty list of parameters"),
    (lambda: optim.Adam([np.ones(3)], lr=0.1), TypeError, "parameter 0 is a ndarray"),
    (lambda: optim.Adam([W, md.tensor([1.0])], lr=0.1), ValueError,
     "parameter 1 was created without requires_grad=True"),
    (lambda: optim.Adam([W], betas=(0.9, 1.0)), ValueError, "beta2"),
    (lambda: optim.Adam([W], betas=(0.9,)), ValueError, "betas must be a pair"),
    (lambda: optim.Adagrad([W], weight_decay=-1), ValueError, "weight_decay"),
    (lambda: optim.get("lbfgs", [W], lr=0.1), ValueError,
     "unknown optimizer 'lbfgs'; choose one of: gd, sgd, momentum, nesterov, adagrad, rmsprop, "
     "adam, adamw."),
    (lambda: optim.get("ADAMW ", [W]), ValueError, r"'adamw ' \(did you mean 'adamw'\?\)"),
])
def test_bad_hyper_parameters_get_one_clear_sentence(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_a_rejected_learning_rate_changes_nothing():
    opt = optim.SGD([W], lr=0.1)
    with pytest.raises(ValueError, match="learning rate"):
        opt.lr = -1.0
    assert opt.lr == 0.1


def test_get_accepts_any_case_and_sets_momentum_defaults():
    opt = optim.get("Nesterov", [W], lr=0.1)
    assert isinstance(opt, optim.SGD) and opt.momentum == 0.9 and opt.nesterov


def test_check_finite_names_the_step_and_the_two_over_L_hint():
    assert optim.check_finite(md.tensor(1.5), 3) == 1.5
    # gradient descent on f = 5x² (L = 10) with lr 0.3 > 2/L = 0.2 blows up
    x = md.tensor([1.0], requires_grad=True)
    opt = optim.SGD([x], lr=0.3)
    with pytest.raises(FloatingPointError, match=r"became (inf|nan) at step \d+.*learning rate "
                                                 r"0.3.*2/L"), np.errstate(all="ignore"):
        for step in range(2000):
            loss = (5 * x * x).sum()
            optim.check_finite(loss, step, opt)
            opt.zero_grad()
            loss.backward()
            opt.step()


def test_the_registry_lists_every_optimizer_with_a_label_and_its_tunable_at_its_true_default():
    assert optim.names() == ["gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam",
                             "adamw"]
    for name, entry in optim.OPTIMIZERS.items():
        assert entry.label and isinstance(entry.label, str)
        t = entry.tunable
        if t is None:
            continue
        assert t.low <= t.default <= t.high
        opt = optim.get(name, [md.tensor([1.0], requires_grad=True)], lr=0.1)
        value = opt.betas[0] if t.keyword == "beta1" else getattr(opt, t.keyword)
        assert value == t.default, name        # the slider starts where the optimizer does
        optim.get(name, [md.tensor([1.0], requires_grad=True)], lr=0.1,
                  **{t.keyword: t.high})       # the whole range is accepted


def test_adam_takes_beta1_alone_and_keeps_beta2():
    opt = optim.get("adam", [md.tensor([1.0], requires_grad=True)], beta1=0.5)
    assert opt.betas == (0.5, 0.999) and opt.lr == 1e-3
    opt = optim.get("adamw", [md.tensor([1.0], requires_grad=True)], beta1=0.5, betas=(0.9, 0.99))
    assert opt.betas == (0.5, 0.99) and opt.weight_decay == 0.01
    with pytest.raises(ValueError, match="beta1"):
        optim.get("adam", [md.tensor([1.0], requires_grad=True)], beta1=1.0)
