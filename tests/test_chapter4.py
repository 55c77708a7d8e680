"""Chapter 4 (information theory): the chapter's claims hold outside the notebook, checked
through the package, and every exercise's answer key is derived again by a second method
(SymPy, mathdl, an optimisation or a simulation), so a wrong key cannot hide behind its check."""

import math

import numpy as np
import pytest
import sympy as sp

import mathdl as md
from mathdl.exercises import Exercise
from mathdl.exercises import chapter4 as ch4

Normal = md.distributions.Normal
GRID = np.linspace(-7, 7, 1401)
DX = GRID[1] - GRID[0]


def log_mixture(x, w=0.5):
    """log of w N(-2, 0.6²) + (1 - w) N(2, 0.6²), as §4.6 writes it."""
    return (w * Normal(-2.0, 0.6).log_prob(x).exp()
            + (1 - w) * Normal(2.0, 0.6).log_prob(x).exp()).log()


def fit_gaussian(direction, mu, sigma, w=0.5, steps=400):
    """§4.6's fit: Adam on (μ, log σ), the KL as a sum over the grid."""
    log_p = log_mixture(GRID, w)
    p = log_p.exp()
    mu = md.tensor(mu, requires_grad=True)
    log_sigma = md.tensor(np.log(sigma), requires_grad=True)
    opt = md.optim.Adam([mu, log_sigma], lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        log_q = Normal(mu, log_sigma.exp()).log_prob(GRID)
        if direction == "forward":
            kl = (p * (log_p - log_q)).sum() * DX
        else:
            kl = (log_q.exp() * (log_q - log_p)).sum() * DX
        kl.backward()
        opt.step()
    return mu.item(), math.exp(log_sigma.item()), kl.item()


def reverse_kl(params):
    """KL(q ‖ p) on the grid as a function of (μ, log σ), for md.hessian."""
    log_q = Normal(params[0], params[1].exp()).log_prob(GRID)
    return (log_q.exp() * (log_q - log_mixture(GRID))).sum() * DX


# ---------------------------------------------------------------- the exercises as a whole

def exercises():
    return {n: e for n, e in vars(ch4).items() if isinstance(e, Exercise)}


def test_at_least_eight_exercises_a_third_of_them_code_and_predictions_as_choice():
    found = exercises()
    assert len(found) >= 8 and sorted(found) == sorted(ch4.EXERCISES)
    kinds = [e.checker.expects for e in found.values()]
    assert kinds.count("function") * 3 >= len(found)
    assert {"forward_or_reverse", "temperature_and_accuracy", "unseen_pair"} <= {
        n for n, e in found.items() if e.options}


@pytest.mark.parametrize("name", ch4.EXERCISES)
def test_a_blank_answer_gets_the_polite_note(name):
    assert getattr(ch4, name).check(...).kind == "blank"


# ---------------------------------------------------------------- 4.1 and 4.2

def test_surprisal_adds_for_independent_events_and_a_nat_is_1_443_bits():
    rng = np.random.default_rng(0)
    p, r = rng.random(100), rng.random(100)
    np.testing.assert_allclose(-np.log(p * r), -np.log(p) - np.log(r))
    assert md.info.entropy([0.5, 0.5]).item() / md.info.entropy([0.5, 0.5], base=2).item() \
        == pytest.approx(math.log(2))
    assert 1 / math.log(2) == pytest.approx(1.4427, abs=1e-4)


def test_entropy_is_largest_at_uniform_by_kl_to_uniform_and_by_gradient_ascent():
    rng = np.random.default_rng(1)
    for k in (2, 3, 5, 10):
        P = rng.dirichlet(np.ones(k), size=500)
        gap = md.info.kl_divergence(P, np.full(k, 1 / k)).numpy()      # log K - H(p) ≥ 0
        np.testing.assert_allclose(gap, math.log(k) - md.info.entropy(P).numpy(), atol=1e-12)
        assert (gap > 0).all()
    z = md.tensor([3.0, 1.0, 0.0, -1.0, -2.0], requires_grad=True)
    opt = md.optim.SGD([z], lr=0.5)
    for _ in range(200):
        opt.zero_grad()
        (-md.info.entropy(z.softmax(axis=-1))).backward()
        opt.step()
    np.testing.assert_allclose(z.softmax(axis=-1).numpy(), 0.2, atol=1e-4)


def test_the_hessian_of_entropy_is_minus_one_over_p_on_the_diagonal():
    p = np.array([0.5, 0.3, 0.2])
    np.testing.assert_allclose(md.hessian(lambda t: -(t * t.log()).sum())(p), np.diag(-1 / p),
                               rtol=1e-10)


def test_the_lagrange_conditions_give_the_uniform_distribution_for_four_outcomes():
    ps = sp.symbols("p1:5", positive=True)
    lam = sp.Symbol("lambda", real=True)
    lagrangian = -sum(v * sp.log(v) for v in ps) + lam * (sum(ps) - 1)
    solutions = sp.solve([sp.diff(lagrangian, v) for v in (*ps, lam)], [*ps, lam], dict=True)
    assert solutions == [{**{v: sp.Rational(1, 4) for v in ps}, lam: 1 - sp.log(4)}]


# ---------------------------------------------------------------- 4.3 and 4.4

def test_softmax_cross_entropy_gradient_is_q_minus_y_for_soft_targets_by_sympy():
    z = sp.symbols("z1:5", real=True)
    y = sp.symbols("y1:4", real=True)
    ys = [*y, 1 - sum(y)]
    denominator = sum(sp.exp(v) for v in z)
    q = [sp.exp(v) / denominator for v in z]
    loss = -sum(a * (v - sp.log(denominator)) for a, v in zip(ys, z))
    for j in range(4):
        assert sp.simplify(sp.diff(loss, z[j]) - (q[j] - ys[j])) == 0


def test_mathdl_cross_entropy_gradient_is_q_minus_y_over_n_and_passes_gradcheck():
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(6, 5)) * 3
    for targets in (rng.integers(0, 5, 6), rng.dirichlet(np.ones(5), size=6)):
        z = md.tensor(logits, requires_grad=True)
        md.nn.cross_entropy(z, targets).backward()
        y = np.eye(5)[targets] if targets.ndim == 1 else targets
        np.testing.assert_allclose(z.grad, (z.softmax(axis=-1).numpy() - y) / 6, atol=1e-12)
        md.gradcheck(lambda t, y=targets: md.nn.cross_entropy(t, y), logits)


def test_binary_cross_entropy_is_the_bernoulli_nll_and_two_class_softmax():
    q, y = np.array([0.9, 0.9, 0.2, 0.6]), np.array([1.0, 0.0, 0.0, 1.0])
    nll = -md.distributions.Bernoulli(probs=q).log_prob(y).numpy()
    assert md.nn.binary_cross_entropy(md.tensor(q), y).item() == pytest.approx(nll.mean())
    logits = np.log(q / (1 - q))
    two = [md.nn.cross_entropy(md.tensor([[0.0, z]]), [int(t)]).item() for z, t in zip(logits, y)]
    np.testing.assert_allclose(two, nll)
    z_, y_ = sp.symbols("z y", real=True)
    s = 1 / (1 + sp.exp(-z_))
    bce = -(y_ * sp.log(s) + (1 - y_) * sp.log(1 - s))
    assert sp.simplify(sp.diff(bce, z_) - (s - y_)) == 0


def test_the_logit_form_stays_finite_where_sigmoid_rounds_to_one():
    assert 1 / (1 + math.exp(-40.0)) == 1.0
    assert md.nn.binary_cross_entropy_with_logits(md.tensor([40.0]), [0.0]).item() \
        == pytest.approx(40.0)


# ---------------------------------------------------------------- 4.5

def test_cross_entropy_is_entropy_plus_kl_and_kl_is_non_negative_and_asymmetric():
    rng = np.random.default_rng(3)
    P, Q = rng.dirichlet(np.ones(6), size=500), rng.dirichlet(np.ones(6), size=500)
    kl = md.info.kl_divergence(P, Q).numpy()
    np.testing.assert_allclose(md.info.cross_entropy(P, Q).numpy(),
                               md.info.entropy(P).numpy() + kl)
    assert (kl >= 0).all() and np.abs(kl - md.info.kl_divergence(Q, P).numpy()).max() > 0.1
    assert md.info.kl_divergence([0.5, 0.5], [1.0, 0.0]).item() == math.inf


def test_minimising_cross_entropy_on_rolls_finds_their_frequencies_the_mle():
    rng = np.random.default_rng(4)
    rolls = rng.choice(6, size=600, p=[0.3, 0.2, 0.15, 0.15, 0.1, 0.1])
    p_hat = np.bincount(rolls, minlength=6) / 600
    z = md.tensor(np.zeros(6), requires_grad=True)
    opt = md.optim.Adam([z], lr=0.05)
    for _ in range(300):
        opt.zero_grad()
        loss = -md.distributions.Categorical(logits=z).log_prob(rolls).mean()
        loss.backward()
        opt.step()
        assert loss.item() >= md.info.entropy(p_hat).item() - 1e-12      # the floor H(p̂)
    np.testing.assert_allclose(z.softmax(axis=-1).numpy(), p_hat, atol=1e-4)
    assert loss.item() == pytest.approx(md.info.cross_entropy(p_hat, z.softmax(axis=-1)).item())


# ---------------------------------------------------------------- 4.6

@pytest.fixture(scope="module")
def fits():
    return {"forward": fit_gaussian("forward", 0.5, 1.0),
            "reverse +": fit_gaussian("reverse", 1.0, 1.0),
            "reverse -": fit_gaussian("reverse", -1.0, 1.0),
            "reverse 0.3": fit_gaussian("reverse", 0.3, 1.0)}


def test_forward_kl_covers_reverse_kl_seeks_a_mode(fits):
    mu, sigma, _ = fits["forward"]
    assert abs(mu) < 1e-4 and sigma == pytest.approx(math.sqrt(0.36 + 4), rel=1e-4)
    for key, sign in (("reverse +", 1), ("reverse -", -1)):
        mu, sigma, kl = fits[key]
        assert abs(mu - 2 * sign) < 0.01 and abs(sigma - 0.6) < 0.01
        assert math.log(2) - 0.005 < kl < math.log(2)
    assert ch4.forward_or_reverse.check("a")          # the choice key: wide forward, narrow reverse


def test_the_reverse_kl_compromise_is_a_true_local_minimum(fits):
    mu, sigma, kl = fits["reverse 0.3"]
    assert abs(mu) < 1e-6 and sigma == pytest.approx(1.8, abs=1e-3)
    assert np.linalg.eigvalsh(md.hessian(reverse_kl)(np.array([0.0, math.log(sigma)]))).min() > 0.1
    assert ch4.reverse_kl_compromise.check(kl)


@pytest.mark.parametrize("w", [0.8, 0.3])
def test_forward_sigma_key_is_what_the_fit_finds(w):
    _, sigma, _ = fit_gaussian("forward", 0.5, 1.0, w=w)
    assert sigma == pytest.approx(ch4._forward_sigma(w), rel=1e-3)
    assert ch4.forward_kl_unequal_modes.check(lambda w: fit_gaussian("forward", 0.5, 1.0, w)[1])


def test_gaussian_kl_closed_form_against_monte_carlo_and_the_vae_term():
    p, q = Normal(0.0, 1.0), Normal(1.0, 2.0)
    closed = md.distributions.kl_divergence(p, q).item()
    assert closed == pytest.approx(math.log(2) + 2 / 8 - 0.5)
    x = p.sample(200_000, rng=7)
    terms = (p.log_prob(x) - q.log_prob(x)).numpy()
    assert abs(terms.mean() - closed) < 4 * terms.std() / math.sqrt(len(terms))
    mu = md.tensor([0.0, -1.0, 0.3], requires_grad=True)
    sigma = md.tensor([1.0, 0.2, 3.0], requires_grad=True)
    kl = md.distributions.kl_divergence(Normal(mu, sigma), Normal(0.0, 1.0))
    kl.sum().backward()
    m, s = mu.numpy(), sigma.numpy()
    np.testing.assert_allclose(kl.numpy(), 0.5 * (m**2 + s**2 - 1 - np.log(s**2)))
    np.testing.assert_allclose(mu.grad, m)
    np.testing.assert_allclose(sigma.grad, s - 1 / s)


# ---------------------------------------------------------------- 4.7

def test_temperature_keeps_the_class_and_raises_the_entropy_from_0_to_log_k():
    rng = np.random.default_rng(5)
    z = rng.normal(size=(50, 10)) * 4
    Ts = np.logspace(-2, 3, 40)
    H = np.array([md.info.entropy(md.tensor(z / T).softmax(axis=-1)).numpy() for T in Ts])
    assert (np.diff(H, axis=0) >= -1e-12).all()                    # every row, rising in T
    assert H[0].max() < 1e-3 and np.abs(H[-1] - math.log(10)).max() < 1e-3
    for T in Ts:
        assert (np.argmax(z / T, axis=1) == np.argmax(z, axis=1)).all()
    assert ch4.temperature_and_accuracy.check("a")


@pytest.fixture(scope="module")
def digits_network():
    """§4.7's overconfident network: 200 training digits, 250 Adam steps."""
    X, digit = md.data.load_digits()
    X = X / 16.0
    X_rest, X_test, y_rest, y_test = md.data.train_test_split(X, digit, test_fraction=0.2,
                                                              seed=0)
    logits = {}
    for name, targets in (("plain", y_rest[:200]),
                          ("smoothed", 0.9 * np.eye(10)[y_rest[:200]] + 0.01)):
        net = md.nn.MLP([64, 64, 10], activation="relu", seed=0)
        opt = md.optim.Adam(net.parameters(), lr=0.01)
        for _ in range(250):
            opt.zero_grad()
            md.nn.cross_entropy(net(md.tensor(X_rest[:200])), targets).backward()
            opt.step()
        with md.no_grad():
            logits[name] = net(md.tensor(X_rest[200:])).numpy(), net(md.tensor(X_test)).numpy()
    return logits, y_rest[200:], y_test


def ece(logits, labels, bins=10):
    """Expected calibration error written differently from the notebook: a loop over bins."""
    q = md.tensor(logits).softmax(axis=-1).numpy()
    confidence, right = q.max(axis=1), q.argmax(axis=1) == labels
    total = 0.0
    for b in range(bins):
        inside = (confidence >= b / bins) & ((confidence < (b + 1) / bins) | (b == bins - 1))
        if inside.any():
            total += inside.sum() * abs(right[inside].mean() - confidence[inside].mean())
    return total / len(labels)


def test_the_digits_network_is_overconfident_and_temperature_scaling_halves_its_ece(
        digits_network):
    logits, y_val, y_test = digits_network
    z_val, z_test = logits["plain"]
    q = md.tensor(z_test).softmax(axis=-1).numpy()
    accuracy = (q.argmax(axis=1) == y_test).mean()
    assert 0.8 < accuracy < 0.86 and q.max(axis=1).mean() > accuracy + 0.07
    T_best = best_temperature(z_val, y_val, np.linspace(1, 4, 301))
    assert 1.8 < T_best < 2.2
    assert ece(z_test / T_best, y_test) < ece(z_test, y_test) / 2


def best_temperature(z_val, y_val, Ts):
    """T* by a grid search over Ts (the notebook uses Newton's method)."""
    val = [md.nn.cross_entropy(md.tensor(z_val / T), y_val).item() for T in Ts]
    return Ts[int(np.argmin(val))]


def test_label_smoothing_overshoots_and_its_temperature_key_is_below_one(digits_network):
    logits, y_val, y_test = digits_network
    z_val, z_test = logits["smoothed"]
    q = md.tensor(z_test).softmax(axis=-1).numpy()
    accuracy = (q.argmax(axis=1) == y_test).mean()
    assert q.max(axis=1).mean() < accuracy                  # underconfident, as §4.7 says
    T_best = best_temperature(z_val, y_val, np.linspace(0.5, 1.0, 501))
    assert ch4.smoothed_temperature.check(T_best)
    assert ece(z_test / T_best, y_test) < ece(z_test, y_test) / 2


def test_label_smoothing_is_the_loss_plus_epsilon_times_cross_entropy_to_uniform():
    rng = np.random.default_rng(6)
    z, y, eps = rng.normal(size=(8, 10)) * 3, rng.integers(0, 10, 8), 0.1
    smoothed = (1 - eps) * np.eye(10)[y] + eps / 10
    assert md.nn.cross_entropy(md.tensor(z), smoothed).item() == pytest.approx(
        (1 - eps) * md.nn.cross_entropy(md.tensor(z), y).item()
        + eps * md.nn.cross_entropy(md.tensor(z), np.full((8, 10), 0.1)).item())


def test_distillation_gradient_is_t_times_student_minus_teacher():
    rng = np.random.default_rng(7)
    teacher_logits = rng.normal(size=10) * 3
    for T in (1.0, 2.0, 5.0):
        teacher = md.tensor(teacher_logits / T).softmax(axis=-1).numpy()
        s = md.tensor(rng.normal(size=10), requires_grad=True)
        (T**2 * md.info.kl_divergence(teacher, (s / T).softmax(axis=-1))).backward()
        np.testing.assert_allclose(s.grad, T * ((s / T).softmax(axis=-1).numpy() - teacher),
                                   atol=1e-12)


# ---------------------------------------------------------------- 4.8 and 4.9

def test_mutual_information_three_ways_on_the_rain_table():
    joint = np.array([[0.25, 0.05], [0.10, 0.60]])
    Px, Py = joint.sum(axis=1), joint.sum(axis=0)
    I = md.info.mutual_information(joint).item()
    assert I == pytest.approx(md.info.entropy(Px).item() + md.info.entropy(Py).item()
                              - md.info.entropy(joint.ravel()).item())
    assert I == pytest.approx(md.info.kl_divergence(joint.ravel(), np.outer(Px, Py).ravel())
                              .item())
    assert md.info.mutual_information(np.outer(Px, Py)).item() == pytest.approx(0, abs=1e-12)
    assert md.info.mutual_information(np.diag([0.3, 0.7]), base=2).item() == pytest.approx(
        md.info.entropy([0.3, 0.7], base=2).item())


def test_perplexity_of_the_uniform_model_is_v_and_ppl_is_e_to_the_cross_entropy():
    rng = np.random.default_rng(8)
    for V in (5, 37, 1000):
        tokens = rng.integers(0, V, 200)
        uniform = np.full(len(tokens), 1 / V)
        assert math.exp(-np.log(uniform).mean()) == pytest.approx(V)
        q = rng.dirichlet(np.ones(V), size=len(tokens))
        ce_nats = md.info.cross_entropy(np.eye(V)[tokens], q).numpy().mean()
        ce_bits = md.info.cross_entropy(np.eye(V)[tokens], q, base=2).numpy().mean()
        assert math.exp(ce_nats) == pytest.approx(2**ce_bits)


def test_a_bigram_trained_by_mathdl_approaches_the_counted_model_and_an_unseen_pair_is_inf():
    rng = np.random.default_rng(9)
    V, words = 6, rng.integers(0, 6, 120)
    pairs = np.column_stack([words[:-1], words[1:]])
    counts = np.zeros((V, V))
    np.add.at(counts, (pairs[:, 0], pairs[:, 1]), 1)
    counted = counts / counts.sum(axis=1, keepdims=True)
    floor = -np.log(counted[pairs[:, 0], pairs[:, 1]]).mean()
    W = md.tensor(np.zeros((V, V)), requires_grad=True)
    opt = md.optim.Adam([W], lr=0.5)
    for _ in range(300):
        opt.zero_grad()
        loss = md.nn.cross_entropy(W[pairs[:, 0]], pairs[:, 1])
        loss.backward()
        opt.step()
    assert floor - 1e-9 <= loss.item() < floor + 0.01
    counts[0, 1] = 0                                   # a pair the training text never had
    counted = counts / counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore"):
        assert math.exp(-np.log(counted[[0, 2], [1, 3]]).mean()) == math.inf
    assert ch4.unseen_pair.check("c")


# ---------------------------------------------------------------- the other answer keys

def test_recall_keys_by_mathdl():
    assert ch4.surprisal_in_bits.check(md.info.entropy(np.full(32, 1 / 32), base=2).item())
    assert ch4.entropy_in_bits.check(md.info.entropy([0.5, 0.25, 0.125, 0.125], base=2).item())
    assert ch4.loss_of_a_prediction.check(
        md.nn.cross_entropy(md.tensor([[2.0, 1.0, 0.0]]), [1]).item())
    joint = np.zeros((4, 2))
    joint[np.arange(4), np.arange(4) % 2] = 0.25          # X uniform, Y = X mod 2
    assert ch4.mutual_information_of_parity.check(
        md.info.mutual_information(joint, base=2).item())


def test_the_bce_derivative_in_q_by_sympy_and_by_mathdl():
    q, y = sp.symbols("q y", positive=True)
    derivative = sp.diff(-(y * sp.log(q) + (1 - y) * sp.log(1 - q)), q)
    assert ch4.bce_gradient_in_q.check(derivative)
    for qv, yv in ((0.3, 1.0), (0.8, 0.0), (0.55, 1.0)):
        t = md.tensor([qv], requires_grad=True)
        md.nn.binary_cross_entropy(t, [yv]).backward()
        assert t.grad[0] == pytest.approx((qv - yv) / (qv * (1 - qv)))


def test_the_label_smoothing_floor_is_reached_by_gradient_descent():
    for eps, K in ((0.1, 100), (0.2, 5)):
        target = (1 - eps) * np.eye(K)[0] + eps / K
        z = md.tensor(np.zeros((1, K)), requires_grad=True)
        opt = md.optim.Adam([z], lr=0.1)
        for _ in range(500):
            opt.zero_grad()
            loss = md.nn.cross_entropy(z, target[None])
            loss.backward()
            opt.step()
        assert loss.item() == pytest.approx(ch4._smoothing_floor(eps, K), abs=1e-4)
    assert ch4._smoothing_floor(0.1, 100) == pytest.approx(0.7778, abs=1e-4)


def _ce_grad_by_mathdl(z, labels):
    t = md.tensor(z, requires_grad=True)
    md.nn.cross_entropy(t, labels).backward()
    return t.grad


@pytest.mark.parametrize("name, second_method", [
    ("softmax_cross_entropy_grad", _ce_grad_by_mathdl),
    ("kl_divergence_code", lambda p, q: md.info.kl_divergence(p, q).item()),
    ("perplexity_code", lambda probs: math.exp(-md.tensor(probs).log().mean().item())),
    ("label_smoothing_floor", lambda eps, K: md.info.entropy(
        (1 - eps) * np.eye(K)[0] + eps / K).item()),
    ("stable_binary_cross_entropy",
     lambda z, y: md.nn.binary_cross_entropy_with_logits(md.tensor(z), y).item()),
    ("forward_kl_unequal_modes", lambda w: fit_gaussian("forward", 0.5, 1.0, w)[1]),
])
def test_code_references_agree_with_a_second_method(name, second_method):
    """Each code exercise's reference passes its own check, and so does mathdl's own way."""
    ex = getattr(ch4, name)
    assert ex.check(second_method), ex.check(second_method)
