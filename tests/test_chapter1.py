"""Chapter 1 (linear algebra): its exercises give the right feedback and their answer keys are
true, and the chapter's central claims hold through mathdl (so a change in the package that
would break the chapter fails here too)."""

import numpy as np
import pytest

import mathdl as md
from mathdl.exercises import chapter1 as ch1

EXERCISES = [name for name in dir(ch1) if isinstance(getattr(ch1, name), md.exercises.Exercise)]
CODE = ["dense_relu_layer", "power_iteration_eigenvalue", "pca_reconstruction", "scaled_attention"]


def test_at_least_eight_exercises_a_third_of_them_code():
    assert len(EXERCISES) >= 8 and len(CODE) * 3 >= len(EXERCISES)
    for name in EXERCISES:
        ex = getattr(ch1, name)
        assert ex.prompt and ex.hint().text and ex.solution().text, name


@pytest.mark.parametrize("name", EXERCISES)
@pytest.mark.parametrize("blank", [None, ..., "", "   "])
def test_blank_answers_get_the_polite_nudge(name, blank):
    feedback = getattr(ch1, name).check(blank)
    assert not feedback and feedback.kind == "blank"


def _unwritten(*args):
    ...


def power_iteration(A):
    v = np.random.default_rng(0).standard_normal(len(A))
    for _ in range(500):
        v = A @ v
        v = v / np.linalg.norm(v)
    return v @ A @ v


def pca_by_covariance(X, k):
    """A second way to the same reconstruction: eigenvectors of the covariance matrix."""
    mean = X.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(X, rowvar=False))
    V = vectors[:, np.argsort(values)[::-1][:k]]
    return mean + (X - mean) @ V @ V.T


def attention_numpy(Q, K, V):
    s = Q @ K.T / np.sqrt(K.shape[1])
    w = np.exp(s - s.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True) @ V


# (exercise, answer, expected kind): right answers, then typical mistakes
CASES = [
    ("shape_of_a_layer", [2352, 128], "correct"),
    ("shape_of_a_layer", (2352, 128), "correct"),
    ("shape_of_a_layer", [784, 128], "value"),                 # forgot the 3 channels
    ("shape_of_a_layer", [128, 2352], "value"),                # (out, in): the other convention
    ("shape_of_a_layer", [32, 2352, 128], "shape"),            # the batch is not in W
    ("broadcast_shape", [8, 3, 5], "correct"),
    ("broadcast_shape", [8, 1, 5], "value"),                   # did not stretch the 1
    ("broadcast_shape", [8, 5], "shape"),
    ("cosine_of_two_words", 0.596, "correct"),
    ("cosine_of_two_words", 4 / (3 * np.sqrt(5)), "correct"),
    ("cosine_of_two_words", 4, "value"),                       # the dot product, not the cosine
    ("dense_relu_layer", lambda X, W, b: np.maximum(X @ W + b, 0), "correct"),
    ("dense_relu_layer", lambda X, W, b: md.tensor(X) @ md.tensor(W) + md.tensor(b), "value"),
    ("dense_relu_layer", lambda X, W, b: np.maximum(X @ W, 0), "value"),     # forgot the bias
    ("dense_relu_layer", lambda X, W, b: np.maximum(W.T @ X.T + b[:, None], 0), "shape"),
    ("dense_relu_layer", _unwritten, "blank"),
    ("area_under_a_map", -30, "correct"),
    ("area_under_a_map", 30, "sign"),                          # lost the orientation
    ("area_under_a_map", -5, "factor"),                        # det alone: forgot the area 6
    ("power_iteration_eigenvalue", power_iteration, "correct"),
    ("power_iteration_eigenvalue", lambda A: np.linalg.eigvalsh(A).max(), "value"),  # sign
    ("power_iteration_eigenvalue", lambda A: np.linalg.norm(A @ np.ones(len(A))), "value"),
    ("pca_reconstruction", pca_by_covariance, "correct"),
    ("pca_reconstruction", lambda X, k: X, "value"),           # no compression at all
    ("pca_reconstruction",                                      # forgot to add the mean back
     lambda X, k: pca_by_covariance(X, k) - X.mean(axis=0), "value"),
    ("low_rank_error", 2.236, "correct"),
    ("low_rank_error", 5, "value"),                            # the squared error
    ("low_rank_error", 2, "value"),                            # σ₃: the spectral-norm error
    ("scaled_attention", attention_numpy, "correct"),
    ("scaled_attention", lambda Q, K, V: ((md.tensor(Q) @ md.tensor(K).T / np.sqrt(K.shape[1]))
                                          .softmax(axis=-1) @ md.tensor(V)).data, "correct"),
    ("scaled_attention", lambda Q, K, V: (Q @ K.T) @ V, "value"),            # no softmax
    ("scaled_attention",                                                     # no √d
     lambda Q, K, V: attention_numpy(Q * np.sqrt(Q.shape[1]), K, V), "value"),
    ("condition_number", 25008, "correct"),
    ("condition_number", 1 / 25008, "value"),
]


@pytest.mark.parametrize("name, answer, kind", CASES)
def test_feedback(name, answer, kind):
    feedback = getattr(ch1, name).check(answer)
    assert feedback.kind == kind, (name, repr(feedback))
    assert bool(feedback) == (kind == "correct")


def test_every_exercise_has_a_tested_right_answer_and_a_tested_mistake():
    for name in EXERCISES:
        kinds = {kind for n, _, kind in CASES if n == name}
        assert "correct" in kinds and kinds - {"correct", "blank"}, name


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
