"""md.info: entropy, cross-entropy, KL divergence, mutual information (values, identities,
gradients, the 0·log 0 convention, errors)."""

import math

import numpy as np
import pytest
import scipy.stats as stats
from hypothesis import given, settings
from hypothesis import strategies as st

import mathdl as md
from mathdl.info import cross_entropy, entropy, kl_divergence, mutual_information, xlogy

P = np.array([0.5, 0.25, 0.25])
Q = np.array([0.2, 0.3, 0.5])


def test_values_by_hand_and_in_other_bases():
    assert entropy(P, base=2).item() == pytest.approx(1.5)                # ½·1 + ¼·2 + ¼·2 bits
    assert entropy(P).item() == pytest.approx(1.5 * math.log(2))
    assert entropy(np.full(4, 0.25), base=10).item() == pytest.approx(math.log10(4))
    assert cross_entropy(P, np.full(3, 1 / 3), base=2).item() == pytest.approx(math.log2(3))
    assert kl_divergence([1.0, 0.0], [0.5, 0.5], base=2).item() == pytest.approx(1.0)
    assert mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2).item() == pytest.approx(1.0)
    assert mutual_information(np.outer([0.3, 0.7], [0.1, 0.6, 0.3])).item() == \
        pytest.approx(0.0, abs=1e-15)


def test_values_match_scipy_stats_on_a_batch_of_rows():
    p = np.array([P, Q, [0.0, 0.4, 0.6]])
    q = np.array([Q, P, [0.1, 0.1, 0.8]])
    for base in (None, 2, math.e, 10):
        np.testing.assert_allclose(entropy(p, base=base).data, stats.entropy(p, base=base,
                                                                             axis=-1))
        np.testing.assert_allclose(kl_divergence(p, q, base=base).data,
                                   stats.entropy(p, q, base=base, axis=-1))
        np.testing.assert_allclose(cross_entropy(p, q, base=base).data,
                                   stats.entropy(p, base=base, axis=-1)
                                   + stats.entropy(p, q, base=base, axis=-1))
    assert entropy(p).shape == (3,) and kl_divergence(p, Q).shape == (3,)    # q broadcasts


def test_zero_log_zero_is_zero_and_an_impossible_outcome_that_happens_costs_infinity():
    with np.errstate(all="raise"):            # and no numpy warning on the way
        assert entropy([1.0, 0.0]).item() == 0.0
        assert not np.signbit(entropy([1.0, 0.0]).item())          # 0, not -0, when printed
        assert not np.signbit(cross_entropy([0.0, 1.0], [0.0, 1.0]).item())
        assert kl_divergence([0.5, 0.5, 0.0], [0.5, 0.25, 0.25]).item() == pytest.approx(
            0.5 * math.log(2))
        assert cross_entropy([1.0, 0.0], [1.0, 0.0]).item() == 0.0
        assert mutual_information([[0.5, 0.0], [0.0, 0.5]]).item() == pytest.approx(math.log(2))
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]).item() == np.inf
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]).item() == np.inf
    assert xlogy(0.0, 0.0).item() == 0.0 and xlogy(2.0, 0.0).item() == -np.inf
    assert xlogy(0.0, 3.0).item() == 0.0 and xlogy(2.0, 3.0).item() == pytest.approx(
        2 * math.log(3))


def test_mutual_information_is_the_sum_of_marginal_entropies_minus_the_joint_one():
    joint = np.array([[0.1, 0.2, 0.05], [0.3, 0.0, 0.35]])
    hx, hy = entropy(joint.sum(axis=1)).item(), entropy(joint.sum(axis=0)).item()
    hxy = entropy(joint.ravel()).item()
    mi = mutual_information(joint).item()
    assert mi == pytest.approx(hx + hy - hxy, rel=1e-12)
    assert 0 < mi <= min(hx, hy)
    # perfectly correlated with a tiny probability: Pᵢ Pⱼ = 1e-400 would round to 0 (and give inf)
    tiny = np.array([[1e-200, 0.0], [0.0, 1.0]])
    assert mutual_information(tiny).item() == pytest.approx(entropy([1e-200, 1.0]).item(),
                                                            rel=1e-12)


# ---- gradients -----------------------------------------------------------------------------------
Z = np.array([[0.3, -1.0, 2.0], [0.0, 0.5, -0.5]])


def softmax(z):
    return z.softmax(axis=-1)


@pytest.mark.parametrize("f, inputs", [
    (lambda z: entropy(softmax(z), base=2), (Z,)),
    (lambda a, b: cross_entropy(softmax(a), softmax(b)), (Z, Z[::-1])),
    (lambda a, b: kl_divergence(softmax(a), softmax(b), base=10), (Z, Z[::-1])),
    (lambda z: mutual_information(softmax(z.reshape(6)).reshape(2, 3)), (Z,)),
    (lambda x, y: xlogy(x, y), (Z, np.exp(Z))),
], ids=["entropy", "cross_entropy", "kl_divergence", "mutual_information", "xlogy"])
def test_gradients_check_to_first_and_second_order(f, inputs):
    assert md.gradcheck(f, *inputs)
    assert md.gradgradcheck(f, *inputs)


def test_gradients_in_the_probabilities_themselves_match_the_docstring_formulas():
    p, q = md.tensor(P, requires_grad=True), md.tensor(Q, requires_grad=True)
    gp, = md.grad(entropy(p), [p])
    np.testing.assert_allclose(gp.data, -(np.log(P) + 1))
    gp, gq = md.grad(kl_divergence(p, q), [p, q])
    np.testing.assert_allclose(gp.data, np.log(P / Q) + 1)
    np.testing.assert_allclose(gq.data, -P / Q)
    gp, gq = md.grad(cross_entropy(p, q), [p, q])
    np.testing.assert_allclose(gp.data, -np.log(Q))
    np.testing.assert_allclose(gq.data, -P / Q)
    # and finite differences, with steps small enough that the sums stay within 1e-6 of 1
    for f, inputs in [(entropy, (P,)), (cross_entropy, (P, Q)), (kl_divergence, (P, Q)),
                      (mutual_information, (np.array([[0.1, 0.2], [0.3, 0.4]]),))]:
        assert md.gradcheck(f, *inputs, h=1e-8, atol=1e-5)


# ---- properties ----------------------------------------------------------------------------------
def distributions(k):
    weights = st.lists(st.floats(0.0, 10.0), min_size=k, max_size=k).filter(lambda w: sum(w) > 0)
    return weights.map(lambda w: np.array(w) / sum(w))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), k=st.integers(1, 6))
def test_cross_entropy_is_entropy_plus_kl_and_kl_is_never_negative(data, k):
    p, q = data.draw(distributions(k)), data.draw(distributions(k))
    h, ce, kl = entropy(p).item(), cross_entropy(p, q).item(), kl_divergence(p, q).item()
    assert kl >= -1e-12 and kl_divergence(p, p).item() == 0.0
    assert ce == pytest.approx(h + kl, rel=1e-10, abs=1e-12) or ce == kl == np.inf
    assert -1e-12 <= h <= math.log(k) + 1e-12                       # largest at uniform
    assert entropy(np.full(k, 1 / k)).item() == pytest.approx(math.log(k))


@settings(max_examples=40, deadline=None)
@given(data=st.data(), m=st.integers(1, 4), n=st.integers(1, 4))
def test_mutual_information_lies_between_zero_and_each_entropy(data, m, n):
    joint = data.draw(distributions(m * n)).reshape(m, n)
    mi = mutual_information(joint).item()
    hx, hy = entropy(joint.sum(axis=1)).item(), entropy(joint.sum(axis=0)).item()
    assert -1e-12 <= mi <= min(hx, hy) + 1e-12
    assert mi == pytest.approx(hx + hy - entropy(joint.ravel()).item(), abs=1e-10)


# ---- errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (lambda: entropy([0.5, 0.4]), r"^entropy: p must sum to 1 \(within 1e-06\), but it sums to "
                                  r"0\.9; nothing is renormalised for you\.$"),
    (lambda: entropy([1.5, -0.5]), r"entropy: p must hold finite numbers in \[0, ∞\), but entry "
                                   r"\(1,\) is -0\.5"),
    (lambda: entropy([[0.5, 0.5], [0.2, 0.2]]), r"along its last axis .* vector \(1,\) sums to "
                                                r"0\.4"),
    (lambda: entropy(0.3), "entropy: p must have at least one entry on its last axis"),
    (lambda: entropy([0.5, np.nan]), "entropy: p must hold finite numbers"),
    (lambda: cross_entropy(P, [0.5, 0.6, -0.1]), "cross_entropy: q must hold finite numbers"),
    (lambda: kl_divergence(P, [0.5, 0.5]), r"kl_divergence: p has shape \(3,\) and q has shape "
                                           r"\(2,\); they need the same number of outcomes"),
    (lambda: kl_divergence(np.full((2, 3), 1 / 3), np.full((4, 3), 1 / 3)), "batch shapes that "
                                                                           "broadcast"),
    (lambda: entropy(P, base=1), "base must be a positive number other than 1"),
    (lambda: entropy(P, base=-2), r"base must be a finite number in \(0, ∞\), got -2"),
    (lambda: mutual_information(P), r"mutual_information: joint must be one 2-D matrix with "
                                    r"joint\[i, j\] = P\(X = i, Y = j\), got shape \(3,\)"),
    (lambda: mutual_information([[0.5, 0.5], [0.5, 0.5]]), r"joint \(all its entries\) must sum "
                                                           r"to 1 .* sums to 2"),
    (lambda: entropy("abc"), "entropy: p must be numbers"),
])
def test_bad_inputs_get_one_clear_sentence(call, message):
    with pytest.raises(ValueError, match=message):
        call()
