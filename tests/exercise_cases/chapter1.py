"""Chapter 1's exercises: right answers in several forms, typical mistakes.

(The answer keys are re-derived in tests/test_chapter1.py.)"""

import numpy as np

import mathdl as md


def _unwritten(*args):
    ...


def _power_iteration(A):
    v = np.random.default_rng(0).standard_normal(len(A))
    for _ in range(500):
        v = A @ v
        v = v / np.linalg.norm(v)
    return v @ A @ v


def _pca_by_covariance(X, k):
    """A second way to the same reconstruction: eigenvectors of the covariance, sorted."""
    mean = X.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(X, rowvar=False))
    V = vectors[:, np.argsort(values)[::-1][:k]]
    return mean + (X - mean) @ V @ V.T


def _pca_by_svd(X, k):
    Xc = X - X.mean(axis=0)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    return X.mean(axis=0) + (U[:, :k] * s[:k]) @ Vt[:k]


def _attention(Q, K, V):
    s = Q @ K.T / np.sqrt(K.shape[1])
    w = np.exp(s - s.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True) @ V


def _attention_mathdl(Q, K, V):
    scores = md.tensor(Q) @ md.tensor(K).T / np.sqrt(K.shape[1])
    return (scores.softmax(axis=-1) @ md.tensor(V)).data


def _attention_no_max(Q, K, V):       # without subtracting the row maximum: fine at these sizes
    w = np.exp(Q @ K.T / np.sqrt(Q.shape[1]))
    return (w / w.sum(axis=1, keepdims=True)) @ V


KAPPA = np.linalg.cond(np.array([[1.0, 2.0], [2.0, 4.001]]))

CASES = {
    "shear_area": {
        "right": ["b", "(b)", "B", 1, "it stays 1"],
        "wrong": [
            ("a", "mistake", "leans over"),
            ("c", "mistake", "does not squash"),
            ("d", "mistake", "same factor"),
            ("e", "unreadable", None),
        ],
    },
    "power_iteration_angle": {
        "right": ["c", "C)", 2, "about 10⁻⁴ radians"],
        "wrong": [
            ("a", "mistake", "each* step"),
            ("b", "mistake", "ten steps"),
            ("d", "mistake", "never reaches"),
        ],
    },
    "unscaled_attention": {
        "right": ["b", "(B)", 1, "they pile up on a single key"],
        "wrong": [
            ("a", "mistake", "spread *apart*"),
            ("c", "mistake", "with the √d"),
            ("d", "unreadable", None),
        ],
    },
    "shape_of_a_layer": {
        "right": [[2352, 128], (2352, 128), "[2352, 128]", np.array([2352, 128]),
                  list(md.nn.Linear(28 * 28 * 3, 128).weight.shape)],
        "wrong": [
            ([784, 128], "mistake", "3 numbers"),
            ([128, 2352], "mistake", "(in, out)"),
            ([32, 2352], "mistake", "batch size"),
            ([32, 128], "mistake", "output Z"),
            ([32, 2352, 128], "shape", "shape (3,)"),
            ([2352, 100], "value", "index (1,)"),
        ],
    },
    "broadcast_shape": {
        "right": [[8, 3, 5], (8, 3, 5), "[8, 3, 5]",
                  list((md.tensor(np.ones((8, 1, 5))) + md.tensor(np.ones((3, 1)))).shape)],
        "wrong": [
            ([8, 1, 5], "mistake", "stretches"),
            ([3, 8, 5], "mistake", "from the right"),
            ([3, 5], "mistake", "three"),
            ([8, 3, 1], "value", "index (2,)"),
        ],
    },
    "cosine_of_two_words": {
        "right": [0.596, "0.596", 4 / (3 * np.sqrt(5)), 0.5963, "4/(3√5)"],
        "wrong": [
            (4, "mistake", "dot product"),
            (0.267, "mistake", "not 5"),
            (0.0889, "mistake", "not by their squares"),
            (-0.596, "sign", "sign is flipped"),
            ("0,596", "unreadable", "with a point"),
        ],
    },
    "dense_relu_layer": {
        "right": [lambda X, W, b: np.maximum(X @ W + b, 0),
                  lambda X, W, b: (X @ W + b).clip(min=0),
                  lambda X, W, b: (md.tensor(X) @ md.tensor(W) + md.tensor(b)).relu().data,
                  lambda X, W, b: md.tensor(X @ W + b).relu()],
        "wrong": [
            (lambda X, W, b: X @ W + b, "mistake", "without its ReLU"),
            (lambda X, W, b: np.maximum(X @ W, 0), "mistake", "bias b is missing"),
            (lambda X, W, b: np.maximum(X @ W, 0) + b, "mistake", "before the ReLU"),
            (lambda X, W, b: np.maximum(W.T @ X.T + b[:, None], 0), "shape", "transposed"),
            (_unwritten, "blank", "returns nothing yet"),
            (lambda X, W: X @ W, "unreadable", "must take 3 arguments"),
        ],
    },
    "area_under_a_map": {
        "right": [-30, "-30", -30.0, "−30", np.linalg.det([[1, 2], [3, 1]]) * 6],
        "wrong": [
            (30, "mistake", "negative"),
            (-5, "mistake", "area is 6"),
            (42, "mistake", "not ad + bc"),
            (-6, "factor", None),
        ],
    },
    "power_iteration_eigenvalue": {
        "right": [_power_iteration, lambda A: np.linalg.eigvalsh(A)[np.argmax(np.abs(
            np.linalg.eigvalsh(A)))], lambda A: max(np.linalg.eigvals(A).real, key=abs)],
        "wrong": [
            (lambda A: np.linalg.eigvalsh(A).max(), "mistake", "largest in size"),
            (lambda A: abs(max(np.linalg.eigvals(A).real, key=abs)), "mistake", "loses the sign"),
            (lambda A: np.trace(A), "value", None),
            (_unwritten, "blank", "returns nothing yet"),
        ],
    },
    "pca_reconstruction": {
        "right": [_pca_by_covariance, _pca_by_svd,
                  lambda X, k: X.mean(0) + (X - X.mean(0)) @ np.linalg.svd(
                      X - X.mean(0))[2][:k].T @ np.linalg.svd(X - X.mean(0))[2][:k]],
        "wrong": [
            (lambda X, k: _pca_by_covariance(X, k) - X.mean(axis=0), "mistake", "mean back"),
            (lambda X, k: X @ np.linalg.svd(X)[2][:k].T @ np.linalg.svd(X)[2][:k], "mistake",
             "Centre X first"),
            (lambda X, k: X.mean(0) + (X - X.mean(0)) @ np.linalg.eigh(np.cov(X.T))[1][:, :k]
             @ np.linalg.eigh(np.cov(X.T))[1][:, :k].T, "mistake", "ascending"),
            (lambda X, k: X, "value", None),
        ],
    },
    "least_squares_fit": {
        "right": [lambda X, y: np.linalg.solve(X.T @ X, X.T @ y),
                  lambda X, y: np.linalg.pinv(X) @ y,
                  lambda X, y: np.linalg.lstsq(X, y, rcond=None)[0]],
        "wrong": [
            (lambda X, y: X.T @ y, "mistake", "normal equations"),
            (lambda X, y: np.linalg.solve(X.T @ X + np.eye(3), X.T @ y), "mistake", "ridge"),
            (lambda X, y: np.linalg.lstsq(X[:, :2], y, rcond=None)[0], "shape", None),
            (lambda X, y: y[:3], "value", None),
        ],
    },
    "low_rank_error": {
        "right": [2.236, "√5", np.sqrt(5), "2.24", "5^(1/2)"],
        "wrong": [
            (5, "mistake", "square root"),
            (2, "mistake", "spectral-norm"),
            (3, "mistake", "σ₃ + σ₄"),
            (3.742, "mistake", "two largest"),
            (6, "value", "too large"),
        ],
    },
    "scaled_attention": {
        "right": [_attention, _attention_mathdl, _attention_no_max],
        "wrong": [
            (lambda Q, K, V: _attention(Q * np.sqrt(Q.shape[1]), K, V), "mistake", "√d before"),
            (lambda Q, K, V: _attention(Q / np.sqrt(Q.shape[1]), K, V), "mistake", "not by d"),
            (lambda Q, K, V: (np.exp(Q @ K.T / np.sqrt(Q.shape[1]))
                              / np.exp(Q @ K.T / np.sqrt(Q.shape[1])).sum(0)) @ V,
             "mistake", "each row"),
            (lambda Q, K, V: (Q @ K.T) @ V, "value", None),
        ],
    },
    "condition_number": {
        "right": [KAPPA, "25008", 2.5e4, "2.50e4"],
        "wrong": [
            (1 / KAPPA, "mistake", "other way up"),
            (KAPPA ** 2, "mistake", "κ(AᵀA)"),
            (0.001, "mistake", "det A"),
            (-KAPPA, "sign", None),
        ],
    },
}
