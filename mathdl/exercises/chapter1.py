"""Exercises for chapter 1, Linear algebra: shapes, layers, maps, eigenvectors, PCA, SVD, attention.

Numbers are checked with a tolerance, functions by running them on test inputs against a
reference (see ``mathdl.exercises`` for the checkers and the feedback they give).
"""

import numpy as np

from . import Exercise, code, numeric

shape_of_a_layer = Exercise(
    "A batch of 32 colour images, each 28 × 28 pixels with 3 channels (shape (32, 28, 28, 3)), "
    "is flattened and fed to a dense layer Z = X W + b with 128 outputs. What is the shape of "
    "the weight matrix W? Answer as a list [rows, columns].",
    check=numeric([28 * 28 * 3, 128]),
    hint="Flattening keeps the batch axis and lays each image out as one row: how many numbers "
         "does one image hold? W has one row per input and one column per output.",
    solution="Each image holds $28 \\cdot 28 \\cdot 3 = 2352$ numbers, so X is `(32, 2352)` and W "
             "must be `(2352, 128)`: answer `[2352, 128]`. (`[784, 128]` forgets the 3 channels; "
             "the batch size 32 never appears in W's shape.)",
)

broadcast_shape = Exercise(
    "A has shape (8, 1, 5) and B has shape (3, 1). What is the shape of A + B? Answer as a "
    "list of lengths.",
    check=numeric([8, 3, 5]),
    hint="Write the shapes one above the other, aligned from the right; a missing axis counts "
         "as length 1, and a length 1 stretches to match the other.",
    solution="Aligned from the right: `8 1 5` over `· 3 1`. Last axis 5 and 1 → 5; middle 1 and 3 "
             "→ 3; first 8 and (missing) → 8. So `[8, 3, 5]`.",
)

cosine_of_two_words = Exercise(
    "Two word embeddings are a = (1, 2, 2) and b = (2, 0, 1). What is their cosine similarity? "
    "Give one number (three decimals are enough).",
    check=numeric(4 / (3 * np.sqrt(5)), rtol=1e-3),
    hint="$\\cos\\theta = \\mathbf a\\cdot\\mathbf b / (\\|\\mathbf a\\|\\,\\|\\mathbf b\\|)$; "
         "$\\|\\mathbf a\\| = \\sqrt{1 + 4 + 4}$.",
    solution="$\\mathbf a\\cdot\\mathbf b = 2 + 0 + 2 = 4$, $\\|\\mathbf a\\| = 3$, "
             "$\\|\\mathbf b\\| = \\sqrt5$, so $\\cos\\theta = 4/(3\\sqrt5) \\approx 0.596$.",
)


def _dense_relu(X, W, b):
    return np.maximum(X @ W + b, 0.0)


_rng = np.random.default_rng(11)
dense_relu_layer = Exercise(
    "Write dense_relu(X, W, b): a dense layer followed by a ReLU, for a batch X of shape "
    "(N, n_in), W of shape (n_in, n_out) and b of shape (n_out,). Return relu(X W + b), shape "
    "(N, n_out), as a numpy array. No loops.",
    check=code(_dense_relu, [
        (np.array([[1.0, -2.0]]), np.array([[1.0], [1.0]]), np.array([0.5])),
        (_rng.standard_normal((5, 3)), _rng.standard_normal((3, 4)), _rng.standard_normal(4)),
        (_rng.standard_normal((1, 6)), _rng.standard_normal((6, 2)), np.zeros(2)),
        (_rng.standard_normal((7, 2)), _rng.standard_normal((2, 3)), np.array([-5.0, 0.0, 5.0])),
    ]),
    hint="`X @ W` has shape `(N, n_out)`; adding `b` broadcasts it over the rows; "
         "`np.maximum(·, 0)` is the ReLU, entry by entry.",
    solution="`def dense_relu(X, W, b): return np.maximum(X @ W + b, 0)`. The same layer in "
             "mathdl is `md.nn.Linear(n_in, n_out)` followed by `.relu()`.",
)

area_under_a_map = Exercise(
    "The map A = [[1, 2], [3, 1]] is applied to the rectangle with corners (0, 0), (2, 0), "
    "(2, 3) and (0, 3). What is the signed area of the image (negative if the orientation "
    "flips)? Give one number.",
    check=numeric(-30.0),
    hint="Every area is multiplied by $\\det A$, sign included. The rectangle's area is "
         "$2 \\cdot 3$.",
    solution="$\\det A = 1\\cdot 1 - 2\\cdot 3 = -5$, so the signed area is $-5 \\cdot 6 = -30$: "
             "the image has area 30 and is mirrored.",
)


def _dominant_eigenvalue(A):
    values = np.linalg.eigvalsh(A)
    return values[np.argmax(np.abs(values))]


def _spd(n, seed):
    """A random symmetric matrix whose largest eigenvalue (6) is twice the next one (3)."""
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return Q @ np.diag(np.r_[np.linspace(0.5, 3.0, n - 1), 6.0]) @ Q.T


power_iteration_eigenvalue = Exercise(
    "Write dominant_eigenvalue(A) for a symmetric matrix A (a numpy array): find the eigenvalue "
    "of largest size by power iteration (repeat v ← A v / ‖A v‖ a few hundred times from a "
    "random start), and return the Rayleigh quotient vᵀ A v as a float.",
    check=code(_dominant_eigenvalue, [
        np.array([[2.0, 1.0], [1.0, 2.0]]),
        np.diag([1.0, 5.0, 2.0]),
        np.array([[1.0, 2.0], [2.0, -3.0]]),                  # the largest in size is negative
        _spd(4, 0),
        _spd(6, 1),
    ]),
    hint="Start with `v = np.random.default_rng(0).standard_normal(len(A))`; in a loop, "
         "`v = A @ v` then `v = v / np.linalg.norm(v)`. After the loop, `v @ A @ v` is the "
         "eigenvalue (for a unit v). The error shrinks like $|\\lambda_2/\\lambda_1|^k$.",
    solution="```python\ndef dominant_eigenvalue(A):\n    v = np.random.default_rng(0)."
             "standard_normal(len(A))\n    for _ in range(500):\n        v = A @ v\n"
             "        v = v / np.linalg.norm(v)\n    return v @ A @ v\n```\n"
             "With a negative dominant eigenvalue the vector flips sign at every step, but the "
             "Rayleigh quotient $v^\\top A v$ still gives $\\lambda$ with its sign.",
)


def _pca_reconstruct(X, k):
    mean = X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X - mean, full_matrices=False)
    return mean + (X - mean) @ Vt[:k].T @ Vt[:k]


def _data(n, d, seed):
    """Correlated data with well-separated principal components."""
    r = np.random.default_rng(seed)
    return (r.standard_normal((n, d)) * np.linspace(3.0, 0.5, d)) @ np.linalg.qr(
        r.standard_normal((d, d)))[0] + r.standard_normal(d)


pca_reconstruction = Exercise(
    "Write pca_reconstruct(X, k) for data X of shape (n, d): centre X, find its top k principal "
    "components (eigenvectors of the covariance, or the SVD of the centred data), project onto "
    "them and map back. Return the reconstruction, shape (n, d), with the mean added back.",
    check=code(_pca_reconstruct, [
        (_data(8, 3, 0), 1),
        (_data(12, 5, 1), 2),
        (_data(6, 4, 2), 4),                                  # all components: X itself
    ]),
    hint="`mean = X.mean(axis=0)`, `Xc = X - mean`; the principal components are the rows of "
         "`Vt` in `np.linalg.svd(Xc, full_matrices=False)`. With `V_k = Vt[:k].T` (shape "
         "`(d, k)`), project with `Xc @ V_k` and map back with `@ V_k.T`.",
    solution="```python\ndef pca_reconstruct(X, k):\n    mean = X.mean(axis=0)\n"
             "    _, _, Vt = np.linalg.svd(X - mean, full_matrices=False)\n"
             "    V_k = Vt[:k].T\n    return mean + (X - mean) @ V_k @ V_k.T\n```\n"
             "The sign of each component is arbitrary, but it appears twice in "
             "$V_kV_k^\\top$, so the reconstruction does not depend on it.",
)

low_rank_error = Exercise(
    "A matrix A has singular values 6, 3, 2 and 1. What is the Frobenius norm ‖A − A₂‖_F of "
    "the error of its best rank-2 approximation? Give one number.",
    check=numeric(np.sqrt(5.0), rtol=1e-3),
    hint="Eckart–Young: the best rank-$k$ approximation keeps the $k$ largest singular values, "
         "and the squared Frobenius error is the sum of the squares of the ones dropped.",
    solution="$\\|A - A_2\\|_F = \\sqrt{2^2 + 1^2} = \\sqrt5 \\approx 2.236$. (The spectral-norm "
             "error would be $\\sigma_3 = 2$.)",
)


def _scaled_attention(Q, K, V):
    scores = Q @ K.T / np.sqrt(Q.shape[-1])
    w = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (w / w.sum(axis=-1, keepdims=True)) @ V


scaled_attention = Exercise(
    "Write scaled_attention(Q, K, V) with numpy: Q and K of shape (T, d), V of shape (T, d_v). "
    "Return softmax(Q Kᵀ / √d) V, the softmax taken along each row, shape (T, d_v).",
    check=code(_scaled_attention, [
        (np.eye(2), np.eye(2), np.array([[1.0], [3.0]])),
        tuple(_rng.standard_normal(shape) for shape in [(4, 3), (4, 3), (4, 2)]),
        tuple(_rng.standard_normal(shape) for shape in [(3, 16), (3, 16), (3, 5)]),
        (5 * _rng.standard_normal((5, 4)), 5 * _rng.standard_normal((5, 4)), np.eye(5)),
    ]),
    hint="`scores = Q @ K.T / np.sqrt(d)` is `(T, T)`. For the softmax of each row, subtract the "
         "row's maximum (`keepdims=True`) before `np.exp` so nothing overflows, then divide by "
         "the row sums.",
    solution="```python\ndef scaled_attention(Q, K, V):\n"
             "    scores = Q @ K.T / np.sqrt(Q.shape[-1])\n"
             "    w = np.exp(scores - scores.max(axis=1, keepdims=True))\n"
             "    return (w / w.sum(axis=1, keepdims=True)) @ V\n```",
)

condition_number = Exercise(
    "What is the condition number κ(A) = σ_max / σ_min of A = [[1, 2], [2, 4.001]]? Give one "
    "number (you may use numpy; 3 significant digits are enough). Then think: how many of "
    "float64's 16 digits can solving A x = b lose?",
    check=numeric(np.linalg.cond(np.array([[1.0, 2.0], [2.0, 4.001]])), rtol=2e-3),
    hint="`np.linalg.svd(A, compute_uv=False)` gives the singular values (or "
         "`np.linalg.cond(A)` the ratio directly). The matrix is nearly singular: its rows are "
         "almost parallel.",
    solution="$\\sigma_{\\max} \\approx 5.0$ and $\\sigma_{\\min} \\approx 2.0\\times10^{-4}$, so "
             "$\\kappa \\approx 2.5\\times10^{4}$: solving can lose about 4 or 5 of the 16 digits.",
)
