"""Chapter 1 (linear algebra): its exercises' answer keys are true (re-derived here; the
answers readers give, right and wrong, are in tests/exercise_cases/chapter1.py), and the
chapter's central claims hold through mathdl, so a change in the package that would break the
chapter fails here too."""

import numpy as np
import pytest

import mathdl as md
from mathdl.exercises import chapter1 as ch1

EXERCISES = [name for name in dir(ch1) if isinstance(getattr(ch1, name), md.exercises.Exercise)]
CODE = [name for name in EXERCISES if getattr(ch1, name).checker.expects == "function"]


def test_at_least_eight_exercises_a_third_of_them_code():
    assert len(EXERCISES) >= 8 and 3 * len(CODE) >= len(EXERCISES), (len(CODE), len(EXERCISES))
    assert set(CODE) >= {"dense_relu_layer", "power_iteration_eigenvalue", "pca_reconstruction"}
    for name in EXERCISES:
        ex = getattr(ch1, name)
        assert ex.prompt and ex.hint().text and ex.solution().text, name


@pytest.mark.parametrize("name", EXERCISES)
@pytest.mark.parametrize("blank", [None, ..., "", "   "])
def test_blank_answers_get_the_polite_nudge(name, blank):
    feedback = getattr(ch1, name).check(blank)
    assert not feedback and feedback.kind == "blank"


# ---- the answer keys, re-derived -------------------------------------------------------------
def test_shape_and_broadcast_keys_by_mathdl():
    X = md.tensor(np.zeros((32, 28, 28, 3))).reshape(32, -1)
    layer = md.nn.Linear(X.shape[1], 128, seed=0)
    assert list(layer.weight.shape) == [2352, 128] and layer(X).shape == (32, 128)
    total = md.tensor(np.zeros((8, 1, 5))) + md.tensor(np.zeros((3, 1)))
    assert list(total.shape) == [8, 3, 5]


def test_area_key_is_the_shoelace_area_of_the_image():
    A = np.array([[1.0, 2.0], [3.0, 1.0]])
    x, y = (np.array([[0, 0], [2, 0], [2, 3], [0, 3]]) @ A.T).T
    assert np.isclose(0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y), -30)


def test_prediction_keys_by_computation():
    from mathdl.widgets.linear_map import LinearMap

    lm = LinearMap(((1.0, 0.5), (0.0, 1.0)))
    assert lm.determinant == 1.0                                               # shear_area: b
    ratio = 3 / (3 + np.sqrt(3))
    assert 1e-4 < ratio ** 20 < 2e-4 and ratio ** 10 > 5e-3                    # angle: c, not b
    rng = np.random.default_rng(0)
    peaks = []
    for d in (4, 1024):
        scores = np.einsum("nd,nkd->nk", *[rng.standard_normal(s) for s in
                                           [(500, d), (500, 8, d)]])
        w = np.exp(scores - scores.max(axis=1, keepdims=True))
        peaks.append(np.mean(w.max(axis=1) / w.sum(axis=1)))
    assert peaks[1] > 0.9 > peaks[0]                                           # attention: b


def test_least_squares_and_condition_number_keys():
    rng = np.random.default_rng(1)
    X = np.column_stack([rng.standard_normal((20, 2)), np.ones(20)])
    y = rng.standard_normal(20)
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.allclose(X.T @ (X @ w - y), 0, atol=1e-12)                      # the gradient is 0
    s = np.linalg.svd([[1.0, 2.0], [2.0, 4.001]], compute_uv=False)
    assert np.isclose(s[0] / s[1], 25008, rtol=1e-4)


def test_low_rank_key_is_eckart_young_on_a_matrix_with_those_singular_values():
    rng = np.random.default_rng(0)
    U, _ = np.linalg.qr(rng.standard_normal((5, 4)))
    V, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    A = U @ np.diag([6.0, 3.0, 2.0, 1.0]) @ V.T
    u, s, vt = np.linalg.svd(A)
    A2 = (u[:, :2] * s[:2]) @ vt[:2]
    assert np.isclose(np.linalg.norm(A - A2), np.sqrt(5))


# ---- the chapter's claims, through mathdl ----------------------------------------------------
def test_a_layer_by_hand_is_linear_and_its_gradients_are_the_transpose_formulas():
    rng = np.random.default_rng(0)
    X = md.tensor(rng.standard_normal((5, 3)), requires_grad=True)
    layer = md.nn.Linear(3, 2, seed=1)
    Z_bar = rng.standard_normal((5, 2))
    Z = layer(X)
    assert np.allclose(Z.data, X.data @ layer.weight.data + layer.bias.data)
    (Z * md.tensor(Z_bar)).sum().backward()
    assert np.allclose(layer.weight.grad, X.data.T @ Z_bar)
    assert np.allclose(X.grad, Z_bar @ layer.weight.data.T)
    assert np.allclose(layer.bias.grad, Z_bar.sum(axis=0))


def test_the_broadcasting_error_the_chapter_prints():
    with pytest.raises(ValueError) as err:
        md.tensor(np.ones((4, 3))) + md.tensor(np.ones(4))
    assert str(err.value) == ("add: shapes (4, 3) and (4,) do not broadcast: aligned from the "
                              "right, dimensions 3 and 4 differ and neither is 1.")


def test_an_embedding_lookup_sends_gradient_to_its_row_only():
    E = md.tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
    row = md.tensor(np.eye(4)[[2]]) @ E
    (row * md.tensor([[1.0, 2.0, 3.0]])).sum().backward()
    assert np.array_equal(row.data[0], [6, 7, 8])
    assert np.array_equal(np.flatnonzero(np.abs(E.grad).sum(axis=1)), [2])


def test_gradient_descent_on_a_linear_layer_reaches_least_squares():
    rng = np.random.default_rng(3)
    x = rng.uniform(-2, 2, 40)
    y = 1.5 * x + 0.3 + 0.4 * rng.standard_normal(40)
    w_star = np.linalg.lstsq(np.column_stack([x, np.ones(40)]), y, rcond=None)[0]
    model = md.nn.Linear(1, 1, seed=0)
    opt = md.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(300):
        opt.zero_grad()
        md.nn.mse_loss(model(md.tensor(x[:, None])), md.tensor(y[:, None])).backward()
        opt.step()
    assert np.allclose([model.weight.item(), model.bias.item()], w_star, atol=1e-8)


def test_power_iteration_with_hvp_finds_the_largest_curvature():
    rng = np.random.default_rng(4)
    X = np.column_stack([rng.uniform(-2, 2, 30), np.ones(30)])
    y = rng.standard_normal(30)

    def loss(w):
        r = md.tensor(X) @ w - md.tensor(y)
        return (r * r).mean()

    v = np.array([1.0, 0.0])
    for _ in range(40):
        v = md.hvp(loss, md.tensor(np.zeros(2)), md.tensor(v)).data
        v /= np.linalg.norm(v)
    top = v @ md.hvp(loss, md.tensor(np.zeros(2)), md.tensor(v)).data
    assert np.isclose(top, np.linalg.eigvalsh(2 / 30 * X.T @ X).max(), rtol=1e-8)


RATINGS = np.array([[3, 4, 3, 3, 2, 2, 2, 4], [1, 2, 1, 1, 2, 2, 3, 4], [4, 4, 4, 5, 4, 5, 4, 2],
                    [4, 3, 4, 4, 4, 4, 4, 2], [3, 3, 3, 4, 4, 4, 4, 2], [4, 4, 4, 3, 1, 2, 2, 5],
                    [4, 4, 3, 3, 2, 2, 2, 4], [3, 4, 3, 3, 2, 2, 2, 4], [4, 4, 4, 4, 3, 4, 2, 4],
                    [2, 2, 2, 3, 3, 3, 3, 3]], dtype=float)       # the chapter's table (§1.12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matrix_factorisation_with_mathdl_beats_the_mean_on_held_out_ratings(seed):
    rng = np.random.default_rng(seed)
    held = np.random.default_rng(3).random(RATINGS.shape) < 0.25   # the chapter's split
    mu = RATINGS[~held].mean()
    P = md.tensor(0.1 * rng.standard_normal((10, 2)), requires_grad=True)
    Q = md.tensor(0.1 * rng.standard_normal((8, 2)), requires_grad=True)
    mask, R = md.tensor((~held).astype(float)), md.tensor(np.where(held, 0.0, RATINGS))
    opt = md.optim.Adam([P, Q], lr=0.05)
    for _ in range(500):
        opt.zero_grad()
        e = (mu + P @ Q.T - R) * mask
        ((e * e).sum() / (~held).sum() + 0.01 * ((P * P).sum() + (Q * Q).sum())).backward()
        opt.step()
    predicted = mu + P.data @ Q.data.T
    rmse = np.sqrt(np.mean((predicted - RATINGS)[held] ** 2))
    assert rmse < 0.6 * np.sqrt(np.mean((mu - RATINGS)[held] ** 2))     # whatever the start


def test_attention_in_mathdl_passes_gradcheck_and_rows_sum_to_one():
    rng = np.random.default_rng(5)
    X = md.tensor(rng.standard_normal((6, 4)))
    Wq, Wk, Wv = (rng.standard_normal((4, 3)) for _ in range(3))

    def attention(wq, wk, wv):
        Q, K, V = X @ wq, X @ wk, X @ wv
        return ((Q @ K.T / np.sqrt(3)).softmax(axis=-1) @ V).sum()

    md.gradcheck(attention, Wq, Wk, Wv)
    weights = (md.tensor(X.data @ Wq) @ md.tensor(X.data @ Wk).T / np.sqrt(3)).softmax(axis=-1)
    assert np.allclose(weights.data.sum(axis=1), 1)


def test_a_dot_product_of_random_unit_variance_vectors_has_variance_d():
    rng = np.random.default_rng(6)
    for d in (4, 64, 256):
        q, k = rng.standard_normal((2, 10000, d))
        assert abs(np.mean(np.sum(q * k, axis=1) ** 2) / d - 1) < 0.06
