"""md.distributions: log-densities against scipy.stats, gradients, sampling, entropy, KL, errors."""

import math
import subprocess
import sys

import numpy as np
import pytest
import scipy.integrate
import scipy.special
import scipy.stats as stats
from hypothesis import given, settings
from hypothesis import strategies as st

import mathdl as md
from mathdl.distributions import (
    Bernoulli,
    Beta,
    Categorical,
    Laplace,
    Normal,
    Uniform,
    digamma,
    kl_divergence,
    lgamma,
    polygamma,
)

rng = np.random.default_rng(3)

# name: (the mathdl distribution, the same one in scipy.stats, points inside the support)
CONTINUOUS = {
    "normal": (lambda: Normal([0.5, -1.0, 2.0], [2.0, 0.5, 1.0]),
               stats.norm([0.5, -1.0, 2.0], [2.0, 0.5, 1.0]), [-1.3, 0.2, 2.5]),
    "laplace": (lambda: Laplace([0.5, -1.0, 2.0], 1.5), stats.laplace([0.5, -1.0, 2.0], 1.5),
                [-1.3, 0.2, 2.5]),
    "uniform": (lambda: Uniform([-1.0, 0.0, 2.0], [1.0, 0.5, 5.0]),
                stats.uniform([-1.0, 0.0, 2.0], [2.0, 0.5, 3.0]), [0.3, 0.1, 4.0]),
    "beta": (lambda: Beta([2.0, 0.5, 1.0], [3.0, 0.7, 1.0]), stats.beta([2.0, 0.5, 1.0],
                                                                         [3.0, 0.7, 1.0]),
             [0.2, 0.9, 0.4]),
}


@pytest.mark.parametrize("name", CONTINUOUS)
def test_log_prob_mean_variance_entropy_match_scipy_stats(name):
    make, ref, x = CONTINUOUS[name]
    d = make()
    assert d.batch_shape == (3,)
    np.testing.assert_allclose(d.log_prob(x).data, ref.logpdf(x), rtol=1e-12)
    xs = rng.uniform(0.05, 0.95, size=(5, 3)) * (ref.ppf(0.999) - ref.ppf(0.001)) + ref.ppf(0.001)
    np.testing.assert_allclose(d.log_prob(xs).data, ref.logpdf(xs), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(d.mean.data, ref.mean(), rtol=1e-12)
    np.testing.assert_allclose(d.variance.data, ref.var(), rtol=1e-12)
    np.testing.assert_allclose(d.entropy().data, ref.entropy(), rtol=1e-10)


def test_discrete_log_prob_mean_variance_entropy_match_scipy_stats():
    p = np.array([0.1, 0.5, 0.97])
    for b in (Bernoulli(probs=p), Bernoulli(logits=scipy.special.logit(p))):
        for x in (0, 1):
            np.testing.assert_allclose(b.log_prob(np.full(3, x)).data, stats.bernoulli(p).logpmf(x),
                                       rtol=1e-12)
        np.testing.assert_allclose(b.mean.data, p, rtol=1e-12)
        np.testing.assert_allclose(b.variance.data, stats.bernoulli(p).var(), rtol=1e-12)
        np.testing.assert_allclose(b.entropy().data, stats.bernoulli(p).entropy(), rtol=1e-12)
    k = np.array([[0, 1], [2, 1], [1, 0]])                # (n, *batch_shape)
    for probs, logits in [([[0.2, 0.3, 0.5], [0.6, 0.0, 0.4]], None), (None, LOGITS[:, ::-1])]:
        c = Categorical(probs=probs, logits=logits)
        assert c.batch_shape == (2,) and c.num_classes == 3
        probs = scipy.special.softmax(logits, axis=-1) if probs is None else np.array(probs)
        pmf = stats.multinomial(1, probs[:, None, :])      # rows broadcast over the samples k
        with np.errstate(divide="ignore"):
            expected = pmf.logpmf(np.eye(3)[k].transpose(1, 0, 2)).T
        np.testing.assert_allclose(c.log_prob(k).data, expected, rtol=1e-12)
        np.testing.assert_allclose(c.entropy().data, stats.entropy(probs, axis=-1), rtol=1e-12)


def test_log_prob_broadcasts_x_against_the_batch_as_numpy_does():
    d = Normal(np.zeros(3), 1.0)
    assert d.log_prob(0.5).shape == (3,)
    assert d.log_prob(np.zeros((4, 3))).shape == (4, 3)
    assert d.log_prob(np.zeros((4, 1))).shape == (4, 3)
    assert Normal(0.0, 1.0).log_prob(np.zeros((2, 5))).shape == (2, 5)
    assert Categorical(probs=np.full((2, 4), 0.25)).log_prob([[3], [0]]).shape == (2, 2)


def test_parameters_broadcast_and_their_gradients_reach_the_tensors_given():
    loc = md.tensor([0.0, 1.0, 2.0], requires_grad=True)
    scale = md.tensor(2.0, requires_grad=True)
    x = np.array([1.0, -1.0, 0.5])
    Normal(loc, scale).log_prob(x).sum().backward()
    np.testing.assert_allclose(loc.grad, (x - loc.data) / 4.0)                    # (x-μ)/σ²
    np.testing.assert_allclose(scale.grad, np.sum(-1 / 2.0 + (x - loc.data) ** 2 / 8.0))


# ---- gradients -----------------------------------------------------------------------------------
X3 = np.array([0.3, -1.2, 2.0])
P3, Q3 = np.array([0.2, 0.55, 0.9]), np.array([0.5, 0.3, 0.7])
PROBS = np.array([[0.2, 0.3, 0.5], [0.1, 0.6, 0.3]])
LOGITS = np.array([[0.3, -1.0, 2.0], [0.0, 0.5, -0.5]])
# (name, function of tensors, inputs, second order too?)
GRADIENTS = [
    ("Normal.log_prob", lambda x, m, s: Normal(m, s).log_prob(x), (X3, X3[::-1], P3 + 0.5), True),
    ("Laplace.log_prob", lambda x, m, s: Laplace(m, s).log_prob(x), (X3, X3 + 0.4, P3 + 0.5), True),
    ("Uniform.log_prob", lambda x, a, b: Uniform(a, b).log_prob(x), (X3, X3 - 1, X3 + 2), True),
    ("Beta.log_prob", lambda x, a, b: Beta(a, b).log_prob(x), (P3, P3 + 1, Q3 + 0.5), True),
    ("Bernoulli(probs).log_prob", lambda p: Bernoulli(probs=p).log_prob([1.0, 0.0, 1.0]), (P3,),
     True),
    ("Bernoulli(logits).log_prob", lambda z: Bernoulli(logits=z).log_prob([1.0, 0.0, 1.0]), (X3,),
     True),
    ("Categorical(logits).log_prob", lambda z: Categorical(logits=z).log_prob([[2, 0], [1, 1]]),
     (LOGITS,), True),
    ("Normal.entropy", lambda s: Normal(0.0, s).entropy(), (P3,), True),
    ("Laplace.entropy", lambda s: Laplace(0.0, s).entropy(), (P3,), True),
    ("Uniform.entropy", lambda a, b: Uniform(a, b).entropy(), (X3, X3 + 1), True),
    ("Beta.entropy", lambda a, b: Beta(a, b).entropy(), (P3 + 0.5, Q3 + 1), True),
    ("Bernoulli(probs).entropy", lambda p: Bernoulli(probs=p).entropy(), (P3,), True),
    ("Bernoulli(logits).entropy", lambda z: Bernoulli(logits=z).entropy(), (X3,), True),
    ("Categorical(logits).entropy", lambda z: Categorical(logits=z).entropy(), (LOGITS,), True),
    ("mean, variance", lambda a, b: Beta(a, b).mean * Beta(a, b).variance + Uniform(
        a, a + b).variance + Laplace(a, b).variance, (P3, Q3), True),
    ("KL Normal", lambda m1, s1, m2, s2: kl_divergence(Normal(m1, s1), Normal(m2, s2)),
     (X3, P3, X3[::-1], Q3), True),
    ("KL Bernoulli(probs)", lambda p, q: kl_divergence(Bernoulli(probs=p), Bernoulli(probs=q)),
     (P3, Q3), True),
    ("KL Bernoulli(logits)", lambda p, q: kl_divergence(Bernoulli(logits=p), Bernoulli(logits=q)),
     (X3, X3[::-1]), True),
    ("KL Categorical(logits)", lambda p, q: kl_divergence(Categorical(logits=p),
                                                          Categorical(logits=q)),
     (LOGITS, LOGITS[::-1]), True),
    ("lgamma, digamma", lambda x: lgamma(x) * digamma(x) + polygamma(1, x), (P3 + 0.3,), True),
]


@pytest.mark.parametrize("name, f, inputs, second", GRADIENTS, ids=[g[0] for g in GRADIENTS])
def test_gradients_check_in_x_and_every_parameter(name, f, inputs, second):
    assert md.gradcheck(f, *inputs)
    if second:
        assert md.gradgradcheck(f, *inputs)


def test_probability_vectors_as_parameters_have_checked_gradients_too():
    # a step of h = 1e-6 would move a sum away from 1 by as much as the tolerance: use 1e-7
    def log_prob(p):
        return Categorical(probs=p).log_prob([[2, 0], [1, 1]])

    def kl(p, q):
        return kl_divergence(Categorical(probs=p), Categorical(probs=q))

    for f, inputs in [(log_prob, (PROBS,)), (kl, (PROBS, PROBS[::-1])),
                      (lambda p: Categorical(probs=p).entropy(), (PROBS,))]:
        assert md.gradcheck(f, *inputs, h=1e-7, atol=1e-5)
    # the closed forms of the gradients: d log pₖ / dpₖ = 1/pₖ and dKL/dq = -p/q
    p = md.tensor(PROBS, requires_grad=True)
    (g,) = md.grad(log_prob(p).sum(), [p])
    # samples [2, 0] and [1, 1]: row 0 of p meets classes 2 and 1, row 1 classes 0 and 1
    np.testing.assert_allclose(g.data, [[0, 1 / 0.3, 1 / 0.5], [1 / 0.1, 1 / 0.6, 0]])
    q = md.tensor(PROBS[::-1], requires_grad=True)
    (g,) = md.grad(kl(PROBS, q).sum(), [q])
    np.testing.assert_allclose(g.data, -PROBS / PROBS[::-1])


def test_lgamma_and_digamma_values():
    xs = np.array([0.5, 1.0, 3.0, 7.5])
    np.testing.assert_allclose(lgamma(xs).data, [math.lgamma(v) for v in xs], rtol=1e-14)
    assert lgamma(5.0).item() == pytest.approx(math.log(24))               # Γ(5) = 4!
    np.testing.assert_allclose(digamma(xs).data, scipy.special.digamma(xs))
    assert digamma(1.0).item() == pytest.approx(-0.5772156649015329)       # -γ (Euler)
    x = md.tensor(xs, requires_grad=True)
    (d1,) = md.grad(digamma(x).sum(), [x], create_graph=True)              # ψ′ = polygamma(1, ·)
    np.testing.assert_allclose(d1.data, scipy.special.polygamma(1, xs))
    (d2,) = md.grad(d1.sum(), [x])
    np.testing.assert_allclose(d2.data, scipy.special.polygamma(2, xs))


# ---- properties ----------------------------------------------------------------------------------
positive = st.floats(0.2, 5.0)
real = st.floats(-3.0, 3.0)


@settings(max_examples=25, deadline=None)
@given(family=st.sampled_from(["normal", "laplace", "uniform", "beta"]), u=real, v=positive,
       w=positive)
def test_a_density_integrates_to_one(family, u, v, w):
    d, (a, b) = {"normal": (lambda: Normal(u, v), (-np.inf, np.inf)),
                 "laplace": (lambda: Laplace(u, v), (-np.inf, np.inf)),
                 "uniform": (lambda: Uniform(u, u + v), (u - 1, u + v + 1)),
                 "beta": (lambda: Beta(v + 0.3, w + 0.3), (0, 1))}[family]
    d = d()
    points = {"laplace": [u], "uniform": [u, u + v]}.get(family)
    if points is not None and np.isinf(a):     # quad takes breakpoints only on finite ranges
        a, b = u - 60 * v, u + 60 * v
    total, _ = scipy.integrate.quad(lambda x: math.exp(d.log_prob(x).item()), a, b,
                                    points=points, limit=200)
    assert total == pytest.approx(1.0, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(logits=st.lists(st.floats(-20, 20), min_size=1, max_size=6))
def test_a_pmf_sums_to_one_and_a_categorical_entropy_is_largest_at_uniform(logits):
    c = Categorical(logits=logits)
    k = len(logits)
    assert np.exp(c.log_prob(np.arange(k)).data).sum() == pytest.approx(1.0, abs=1e-12)
    assert c.log_prob(k).item() == -np.inf
    assert c.entropy().item() <= math.log(k) + 1e-12
    assert Categorical(probs=np.full(k, 1 / k)).entropy().item() == pytest.approx(math.log(k))
    b = Bernoulli(logits=logits[0])
    assert np.exp(b.log_prob([0.0, 1.0]).data).sum() == pytest.approx(1.0, abs=1e-12)
    assert b.entropy().item() <= math.log(2) + 1e-12


def _kl_pairs():
    normal = st.tuples(real, positive).map(lambda t: Normal(*t))
    bernoulli = st.floats(0.0, 1.0).map(lambda p: Bernoulli(probs=p))
    bernoulli_logits = st.floats(-30, 30).map(lambda z: Bernoulli(logits=z))
    categorical = st.lists(st.floats(-10, 10), min_size=4, max_size=4).map(
        lambda z: Categorical(logits=z))
    return st.one_of(*[st.tuples(s, s) for s in (normal, st.one_of(bernoulli, bernoulli_logits),
                                                 categorical)])


@settings(max_examples=80, deadline=None)
@given(pair=_kl_pairs())
def test_kl_is_non_negative_and_zero_from_a_distribution_to_itself(pair):
    p, q = pair
    assert kl_divergence(p, q).item() >= -1e-12            # (NaN would fail too)
    assert kl_divergence(p, p).item() == pytest.approx(0.0, abs=1e-12)


def test_kl_agrees_with_a_second_method():
    p, q = Normal(0.3, 1.5), Normal(-1.0, 0.7)
    integrand = lambda x: math.exp(p.log_prob(x).item()) * (p.log_prob(x) - q.log_prob(x)).item()
    value, _ = scipy.integrate.quad(integrand, -np.inf, np.inf)
    assert kl_divergence(p, q).item() == pytest.approx(value, rel=1e-9)
    a, b = np.array([0.2, 0.0, 1.0, 0.6]), np.array([0.7, 0.4, 0.9, 0.0])
    expected = [stats.entropy([x, 1 - x], [y, 1 - y]) for x, y in zip(a, b)]
    got = kl_divergence(Bernoulli(probs=a), Bernoulli(probs=b)).data
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got[-1] == np.inf                    # p = 0.6 puts mass on 1, which q = 0 rules out
    got = kl_divergence(Bernoulli(logits=scipy.special.logit(a[:1])),
                        Bernoulli(logits=scipy.special.logit(b[:1]))).data
    np.testing.assert_allclose(got, expected[:1], rtol=1e-12)
    cp, cq = PROBS, np.array([[0.5, 0.5, 0.0], [0.3, 0.3, 0.4]])
    np.testing.assert_allclose(kl_divergence(Categorical(probs=cp), Categorical(probs=cq)).data,
                               stats.entropy(cp, cq, axis=-1))
    # cross-entropy E_p[-log q(X)] = H(p) + KL(p ‖ q), with E_p computed by summing over classes
    cq = cq[::-1]
    cross = -(cp * np.stack([Categorical(probs=cq).log_prob(np.full(2, k)).data
                             for k in range(3)], axis=-1)).sum(axis=-1)
    np.testing.assert_allclose(cross, Categorical(probs=cp).entropy().data + kl_divergence(
        Categorical(probs=cp), Categorical(probs=cq)).data, rtol=1e-12)


# ---- sampling ------------------------------------------------------------------------------------
SAMPLED = {
    "normal": Normal([0.5, -2.0], [2.0, 0.3]), "laplace": Laplace([0.5, -2.0], [1.0, 0.2]),
    "uniform": Uniform([-1.0, 2.0], [1.0, 2.5]), "beta": Beta([2.0, 0.5], [3.0, 0.5]),
    "bernoulli": Bernoulli(probs=[0.1, 0.7]), "bernoulli logits": Bernoulli(logits=[-2.0, 1.0]),
}


@pytest.mark.parametrize("name", SAMPLED)
def test_sample_means_and_variances_lie_within_five_standard_errors(name):
    d, n = SAMPLED[name], 20000
    x = d.sample(n, rng=0)
    assert x.shape == (n, 2)
    mean, var = d.mean.data, d.variance.data
    assert np.all(np.abs(x.mean(axis=0) - mean) < 5 * np.sqrt(var / n))
    squares = (x - x.mean(axis=0)) ** 2
    se_var = squares.std(axis=0) / np.sqrt(n)           # standard error of the sample variance
    assert np.all(np.abs(x.var(axis=0, ddof=1) - var) < 5 * se_var)


def test_categorical_samples_are_classes_with_the_right_frequencies():
    probs = np.array([[0.2, 0.0, 0.8], [0.25, 0.25, 0.5]])
    for c in (Categorical(probs=probs), Categorical(logits=np.log(probs + 1e-300))):
        n = 20000
        k = c.sample(n, rng=np.random.default_rng(1))
        assert k.shape == (n, 2) and k.dtype.kind == "i" and set(np.unique(k)) <= {0, 1, 2}
        assert not np.any(k[:, 0] == 1)                 # a class of probability 0 never comes up
        freq = np.stack([(k == j).mean(axis=0) for j in range(3)], axis=-1)
        assert np.all(np.abs(freq - probs) <= 5 * np.sqrt(probs * (1 - probs) / n) + 1e-12)


def test_samples_are_reproducible_from_a_seed_or_a_generator():
    d = Normal(np.zeros((2, 3)), 1.0)
    assert d.sample(4, rng=7).shape == (4, 2, 3)
    assert np.array_equal(d.sample(4, rng=7), d.sample(4, rng=np.random.default_rng(7)))
    assert not np.array_equal(d.sample(4, rng=7), d.sample(4, rng=8))
    assert Beta(2.0, 2.0).sample(0, rng=0).shape == (0,)


# ---- support, stability -------------------------------------------------------------------------
def test_values_outside_the_support_get_minus_infinity_and_no_gradient():
    a = md.tensor([0.0, 0.0], requires_grad=True)
    b = md.tensor([1.0, 1.0], requires_grad=True)
    lp = Uniform(a, b).log_prob([0.5, 1.5])
    assert lp.data.tolist() == [0.0, -np.inf]
    lp.sum().backward()
    np.testing.assert_allclose(a.grad, [1.0, 0.0])          # d/da -log(b - a) = 1/(b - a)
    x = md.tensor([-0.5, 0.5, 1.5], requires_grad=True)
    a = md.tensor(2.0, requires_grad=True)
    lp = Beta(a, 2.0).log_prob(x)
    assert lp.data[0] == lp.data[2] == -np.inf and np.isfinite(lp.data[1])
    lp.sum().backward()
    assert np.all(np.isfinite(x.grad)) and x.grad[0] == x.grad[2] == 0
    # only x = 0.5 counts: d/da = log x - ψ(a) + ψ(a + b)
    psi = scipy.special.digamma
    assert a.grad == pytest.approx(math.log(0.5) - psi(2) + psi(4))
    assert Bernoulli(probs=0.3).log_prob([0.5, 2.0, -1.0]).data.tolist() == [-np.inf] * 3
    assert Categorical(probs=[0.5, 0.5]).log_prob([-1, 2, 0.5]).data.tolist() == [-np.inf] * 3
    assert Beta(1.0, 1.0).log_prob([0.0, 1.0]).data.tolist() == [0.0, 0.0]    # limits at the ends


def test_log_prob_from_logits_is_exact_for_logits_of_plus_minus_1000():
    b = Bernoulli(logits=[1000.0, -1000.0])
    np.testing.assert_array_equal(b.log_prob([[0.0, 1.0], [1.0, 0.0]]).data,
                                  [[-1000.0, -1000.0], [0.0, 0.0]])
    z = md.tensor([1000.0, -1000.0], requires_grad=True)
    Bernoulli(logits=z).log_prob([0.0, 0.0]).sum().backward()
    np.testing.assert_allclose(z.grad, [-1.0, 0.0])          # d/dz log σ(-z) = -σ(z)
    c = Categorical(logits=[[1000.0, 0.0, -1000.0]])
    np.testing.assert_array_equal(c.log_prob([[0], [1], [2]]).data, [[0.0], [-1000.0], [-2000.0]])
    assert np.isfinite(c.entropy().data).all() and abs(c.entropy().item()) < 1e-300
    # log σ(z) - log σ(-z) = z, so KL(σ(z) ‖ σ(-z)) = z (2σ(z) - 1) = z tanh(z/2)
    assert kl_divergence(Bernoulli(logits=40.0), Bernoulli(logits=-40.0)).item() == \
        pytest.approx(40 * np.tanh(20), rel=1e-14)


def test_bernoulli_and_categorical_from_probs_treat_zero_times_log_zero_as_zero():
    assert Bernoulli(probs=[0.0, 1.0]).entropy().data.tolist() == [0.0, 0.0]
    assert Bernoulli(probs=[0.0, 1.0]).log_prob([0.0, 1.0]).data.tolist() == [0.0, 0.0]
    assert Bernoulli(probs=[0.0, 1.0]).log_prob([1.0, 0.0]).data.tolist() == [-np.inf, -np.inf]
    assert Categorical(probs=[1.0, 0.0]).entropy().item() == 0.0
    assert not np.signbit(Categorical(probs=[1.0, 0.0]).entropy().item())     # printed as 0
    assert not np.signbit(Bernoulli(probs=[0.0, 1.0]).entropy().data).any()
    assert kl_divergence(Categorical(probs=[1.0, 0.0]), Categorical(probs=[0.5, 0.5])).item() == \
        pytest.approx(math.log(2))


def test_repr_shows_the_parameters():
    assert repr(Normal(0.0, [1.0, 2.0])) == "Normal(loc=[0.0, 0.0], scale=[1.0, 2.0])"
    assert repr(Categorical(probs=[0.25, 0.75])) == "Categorical(probs=[0.25, 0.75])"


# ---- errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, error, message", [
    (lambda: Normal(0.0, -1.0), ValueError, r"^Normal: scale must be a finite number in \(0, ∞\), "
                                            r"got -1.0\.$"),
    (lambda: Normal(0.0, [1.0, 0.0]), ValueError, r"scale must hold finite numbers in \(0, ∞\), "
                                                  r"but entry \(1,\) is 0\.0"),
    (lambda: Laplace(np.nan, 1.0), ValueError, "Laplace: loc must be a finite number, got nan"),
    (lambda: Normal("a", 1.0), ValueError, "Normal: loc must be numbers"),
    (lambda: Normal([0.0, 1.0], [1.0, 1.0, 1.0]), ValueError,
     r"Normal: the parameter shapes \(loc \(2,\), scale \(3,\)\) do not broadcast"),
    (lambda: Uniform(1.0, 1.0), ValueError, "Uniform: low must be less than high, but low = 1 "
                                            "and high = 1"),
    (lambda: Uniform([0.0, 2.0], 1.0), ValueError, r"low must be less than high, but at \(1,\) "
                                                   r"low = 2 and high = 1"),
    (lambda: Beta(0.0, 1.0), ValueError, r"Beta: a must be a finite number in \(0, ∞\)"),
    (lambda: Beta(1.0, -2.0), ValueError, r"Beta: b must be a finite number in \(0, ∞\)"),
    (lambda: Bernoulli(), ValueError, "Bernoulli: give exactly one of probs= or logits=, not "
                                      "neither"),
    (lambda: Bernoulli(probs=0.5, logits=0.0), ValueError, "exactly one of probs= or logits=, "
                                                           "not both"),
    (lambda: Bernoulli(probs=1.5), ValueError, r"Bernoulli: probs must be a finite number in "
                                               r"\[0, 1\], got 1.5"),
    (lambda: Bernoulli(logits=[0.0, np.inf]), ValueError, "Bernoulli: logits must hold finite"),
    (lambda: Categorical(probs=[0.5, 0.4]), ValueError,
     r"Categorical: probs must sum to 1 \(within 1e-06\), but it sums to 0.9; nothing is "
     r"renormalised"),
    (lambda: Categorical(probs=[[0.5, 0.5], [0.7, 0.2]]), ValueError,
     r"along its last axis \(within 1e-06\), but vector \(1,\) sums to 0.9"),
    (lambda: Categorical(probs=[1.2, -0.2]), ValueError,
     r"Categorical: probs must hold finite numbers in \[0, ∞\), but entry \(1,\) is -0.2"),
    (lambda: Categorical(logits=2.0), ValueError, "the last axis holds the classes"),
    (lambda: Categorical(), ValueError, "give exactly one of probs= or logits="),
    (lambda: Normal(0.0, 1.0).sample(-1), ValueError, "sample: n must be a whole number >= 0"),
    (lambda: Normal(0.0, 1.0).sample(2.5), ValueError, "sample: n must be a whole number"),
    (lambda: Normal(0.0, 1.0).sample(3, rng="x"), ValueError, "seed must be a whole number"),
    (lambda: Normal(np.zeros(3), 1.0).log_prob(np.zeros(4)), ValueError,
     r"Normal.log_prob: x has shape \(4,\), which does not broadcast with the batch shape \(3,\)"),
    (lambda: Categorical(probs=[0.5, 0.5]).mean, AttributeError, "Categorical has no mean: its "
                                                                 "classes"),
    (lambda: Categorical(probs=[0.5, 0.5]).variance, AttributeError, "Categorical has no "
                                                                     "variance"),
    (lambda: kl_divergence(Normal(0.0, 1.0), Laplace(0.0, 1.0)), NotImplementedError,
     "closed form here only for Normal‖Normal, Bernoulli‖Bernoulli and Categorical‖Categorical, "
     "not Normal‖Laplace; estimate it by sampling"),
    (lambda: kl_divergence(Categorical(probs=[0.5, 0.5]), Categorical(probs=[0.2, 0.3, 0.5])),
     ValueError, "p has 2 classes and q has 3"),
])
def test_bad_inputs_get_one_clear_sentence(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_import_mathdl_and_its_distributions_without_scipy_until_beta_needs_it():
    code = ("import sys, mathdl as md\n"
            "print('scipy' in sys.modules)\n"
            "d = md.distributions.Normal(0.0, 1.0); d.log_prob(0.5); d.entropy(); d.sample(3)\n"
            "md.info.entropy([0.5, 0.5]); md.distributions.Categorical(probs=[0.5, 0.5])\n"
            "print('scipy' in sys.modules)\n"
            "md.distributions.Beta(2.0, 3.0).log_prob(0.5)\n"
            "print('scipy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]
