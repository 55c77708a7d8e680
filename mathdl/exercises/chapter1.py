"""Exercises of chapter 1, Linear algebra: shapes, layers, maps, eigenvectors, PCA, SVD, attention.

Three are predictions asked in the text before the picture that answers them (``shear_area``,
``power_iteration_angle``, ``unscaled_attention``); the others close the chapter. Numbers are
checked with a tolerance, functions by running them on test inputs against a reference.
"""

import numpy as np

from . import Exercise, choice, code, numeric

# ---- predictions asked in the text --------------------------------------------------------------
shear_area = Exercise(
    "The shear A = [[1, 0.5], [0, 1]] slides each point sideways by half its height. What "
    "happens to the area of the unit square?",
    check=choice(["it grows", "it stays 1", "it shrinks", "it depends on where the square is"],
                 answer="b", why={
                     "a": "The square gets longer sides, but it also leans over: its height "
                          "stays 1 and its base stays 1, so base × height does not change.",
                     "b": "Yes: det A = 1·1 − 0.5·0 = 1. The square leans like a pushed deck of "
                          "cards, with the same base and height.",
                     "c": "Leaning over does not squash it: base and height are both still 1.",
                     "d": "A linear map multiplies every area by the same factor, det A, "
                          "wherever the shape sits."}),
    hint="The area of a parallelogram is base × height. Which of the two does a horizontal "
         "slide change?",
    solution="(b): the image of the square has base 1 and height 1, so area $1 = \\det A$.",
)

power_iteration_angle = Exercise(
    "Power iteration on a matrix with eigenvalues 3 − √3, 3 and 3 + √3 starts about 1 radian "
    "away from the top eigenvector. Roughly how far away is it after 20 steps?",
    check=choice(["about 0.6 radians", "about 10⁻² radians", "about 10⁻⁴ radians", "exactly 0"],
                 answer="c", why={
                     "a": "0.634 is the factor by which the angle shrinks at *each* step, "
                          "|λ₂/λ₁| = 3/(3 + √3); after 20 steps it has shrunk 20 times.",
                     "b": "That is about 0.634¹⁰: ten steps, not twenty.",
                     "c": "Yes: 0.634²⁰ ≈ 1.1 × 10⁻⁴.",
                     "d": "Each step only multiplies the error by 0.634; it never reaches exactly "
                          "0 (until rounding, far beyond 20 steps)."}),
    hint="Each step multiplies the angle by $|\\lambda_2/\\lambda_1|$, the ratio of the two "
         "largest eigenvalues.",
    solution="(c): $|\\lambda_2/\\lambda_1| = 3/(3 + \\sqrt3) \\approx 0.634$ and "
             "$0.634^{20} \\approx 10^{-4}$.",
)

unscaled_attention = Exercise(
    "Queries and keys have d independent entries of variance 1. Without the division by √d, "
    "what happens to the softmax weights over 8 keys as d grows from 4 to 1024?",
    check=choice(["they spread out towards 1/8 each", "they pile up on a single key",
                  "they stay about the same"], answer="b", why={
                      "a": "Scores q · k have variance d, so they spread *apart* as d grows; "
                           "a softmax of numbers far apart is nearly one-hot, not uniform.",
                      "b": "Yes: the scores' spread grows like √d, and the softmax of widely "
                           "spread scores gives almost all the weight to the largest one.",
                      "c": "They would, with the √d: it keeps the scores' variance at 1."}),
    hint="The variance of a sum of d independent terms of variance 1 is d. What does a softmax "
         "do with numbers that are far apart?",
    solution="(b): $\\operatorname{Var}(\\mathbf q\\cdot\\mathbf k) = d$, so unscaled scores "
             "spread like $\\sqrt d$ and the softmax saturates on one key.",
)

# ---- the chapter's exercises --------------------------------------------------------------------
shape_of_a_layer = Exercise(
    "A batch of 32 colour images, each 28 × 28 pixels with 3 channels (shape (32, 28, 28, 3)), "
    "is flattened and fed to a dense layer Z = X W + b with 128 outputs. What is the shape of "
    "the weight matrix W? Answer as a list [rows, columns].",
    check=numeric([28 * 28 * 3, 128], rtol=0, atol=0, mistakes=[
        ([784, 128], "28 × 28 = 784 counts each pixel once, but every pixel holds 3 numbers "
                     "(red, green, blue)."),
        ([128, 2352], "That is (out, in). In Z = X W the rows of W match the columns of X: "
                      "(in, out)."),
        ([32, 2352], "That is the shape of the flattened batch X; W does not depend on the "
                     "batch size."),
        ([32, 128], "That is the shape of the output Z, one row per image."),
    ]),
    hint="Flattening keeps the batch axis and lays each image out as one row: how many numbers "
         "does one image hold? W has one row per input and one column per output.",
    solution="Each image holds $28 \\cdot 28 \\cdot 3 = 2352$ numbers, so X is `(32, 2352)` and W "
             "must be `(2352, 128)`: answer `[2352, 128]`. The batch size 32 never appears in "
             "W's shape.",
)

broadcast_shape = Exercise(
    "A has shape (8, 1, 5) and B has shape (3, 1). What is the shape of A + B? Answer as a "
    "list of lengths.",
    check=numeric([8, 3, 5], rtol=0, atol=0, mistakes=[
        ([8, 1, 5], "The length-1 axis of A stretches to match B's 3."),
        ([3, 8, 5], "Shapes line up from the right: B's (3, 1) sits under A's last two axes, "
                    "(1, 5)."),
        (lambda got: np.size(got) == 2, "The result has as many axes as the longer shape: "
                                        "three."),
    ]),
    hint="Write the shapes one above the other, aligned from the right; a missing axis counts "
         "as length 1, and a length 1 stretches to match the other.",
    solution="Aligned from the right: `8 1 5` over `· 3 1`. Last axis 5 and 1 → 5; middle 1 and 3 "
             "→ 3; first 8 and (missing) → 8. So `[8, 3, 5]`.",
)

cosine_of_two_words = Exercise(
    "Two word embeddings are a = (1, 2, 2) and b = (2, 0, 1). What is their cosine similarity? "
    "Give one number (three decimals are enough).",
    check=numeric(4 / (3 * np.sqrt(5)), digits=3, mistakes=[
        (4, "4 is the dot product a · b; divide it by both lengths."),
        (4 / 15, "‖b‖ is √5, not 5: the length is the square root of the sum of squares."),
        (4 / 45, "Divide by the lengths ‖a‖ = 3 and ‖b‖ = √5, not by their squares."),
    ]),
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
    ], mistakes=[
        (lambda X, W, b: X @ W + b, "That is the layer without its ReLU: set the negative "
                                    "entries to 0 with np.maximum(…, 0)."),
        (lambda X, W, b: np.maximum(X @ W, 0.0), "The bias b is missing."),
        (lambda X, W, b: np.maximum(X @ W, 0.0) + b, "Add the bias before the ReLU, not after "
                                                      "it."),
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
    check=numeric(-30.0, mistakes=[
        (30, "The size is right, but det A < 0 flips the orientation: the signed area is "
             "negative."),
        (-5, "−5 is det A, the factor every area is multiplied by; the rectangle's area is 6."),
        (42, "det A = ad − bc = 1·1 − 2·3, not ad + bc."),
    ]),
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
    ], mistakes=[
        (lambda A: np.linalg.eigvalsh(A).max(), "That is the largest eigenvalue; power "
                                                "iteration finds the one largest in size, which "
                                                "can be negative (try [[1, 2], [2, -3]])."),
        (lambda A: abs(_dominant_eigenvalue(A)), "‖A v‖ loses the sign of λ: return the "
                                                 "Rayleigh quotient vᵀ A v instead."),
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
    """Correlated data with well-separated principal components and a mean far from 0."""
    r = np.random.default_rng(seed)
    return (r.standard_normal((n, d)) * np.linspace(3.0, 0.5, d)) @ np.linalg.qr(
        r.standard_normal((d, d)))[0] + 3 * r.standard_normal(d)


def _uncentred(X, k):
    _, _, Vt = np.linalg.svd(X, full_matrices=False)
    return X @ Vt[:k].T @ Vt[:k]


def _ascending(X, k):
    mean = X.mean(axis=0)
    V = np.linalg.eigh(np.cov(X, rowvar=False))[1][:, :k]   # eigh sorts eigenvalues upwards
    return mean + (X - mean) @ V @ V.T


pca_reconstruction = Exercise(
    "Write pca_reconstruct(X, k) for data X of shape (n, d): centre X, find its top k principal "
    "components (eigenvectors of the covariance, or the SVD of the centred data), project onto "
    "them and map back. Return the reconstruction, shape (n, d), with the mean added back.",
    check=code(_pca_reconstruct, [
        (_data(8, 3, 0), 1),
        (_data(12, 5, 1), 2),
        (_data(6, 4, 2), 4),                                  # all components: X itself
    ], mistakes=[
        (lambda X, k: _pca_reconstruct(X, k) - X.mean(axis=0), "Add the mean back at the end: "
                                                                "the projection lives around "
                                                                "0."),
        (_uncentred, "Centre X first (subtract the column means): otherwise the top direction "
                     "mostly points at the mean."),
        (_ascending, "np.linalg.eigh sorts eigenvalues in ascending order: the top components "
                     "are its last columns."),
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


def _least_squares(X, y):
    return np.linalg.lstsq(X, y, rcond=None)[0]


def _design(n, seed):
    r = np.random.default_rng(seed)
    X = np.column_stack([r.uniform(-2, 2, (n, 2)), np.ones(n)])
    return X, X @ [1.5, -0.5, 2.0] + 0.3 * r.standard_normal(n)


least_squares_fit = Exercise(
    "Write fit(X, y): X has one sample per row (its last column is all ones, for the bias) and "
    "y one target per sample. Return the weights w that minimise ‖X w − y‖², as a numpy array, "
    "in closed form (no gradient descent).",
    check=code(_least_squares, [_design(10, 0), _design(25, 1), _design(4, 2)], mistakes=[
        (lambda X, y: X.T @ y, "Xᵀy is only the right-hand side of the normal equations: solve "
                               "XᵀX w = Xᵀy."),
        (lambda X, y: np.linalg.solve(X.T @ X + np.eye(3), X.T @ y), "Adding the identity to "
                                                                      "XᵀX is ridge regression, "
                                                                      "not least squares."),
    ]),
    hint="Set the gradient $2X^\\top(Xw - y)$ to zero: the normal equations "
         "$X^\\top X\\,w = X^\\top y$. `np.linalg.solve`, `np.linalg.pinv` or "
         "`np.linalg.lstsq` each finish it in one line.",
    solution="`def fit(X, y): return np.linalg.lstsq(X, y, rcond=None)[0]` (or "
             "`np.linalg.solve(X.T @ X, X.T @ y)`, or `np.linalg.pinv(X) @ y`).",
)

low_rank_error = Exercise(
    "A matrix A has singular values 6, 3, 2 and 1. What is the Frobenius norm ‖A − A₂‖_F of "
    "the error of its best rank-2 approximation? Give one number.",
    check=numeric(np.sqrt(5.0), digits=3, mistakes=[
        (5, "5 is the squared error ‖A − A₂‖²_F; take its square root."),
        (2, "2 = σ₃ is the spectral-norm error; the Frobenius norm adds up the squares of all "
            "the singular values dropped."),
        (3, "Add the squares of the dropped singular values, 2² + 1², then take the root; do "
            "not add σ₃ + σ₄."),
        (np.sqrt(14), "That drops three singular values; rank 2 keeps the two largest."),
    ]),
    hint="Eckart–Young: the best rank-$k$ approximation keeps the $k$ largest singular values, "
         "and the squared Frobenius error is the sum of the squares of the ones dropped.",
    solution="$\\|A - A_2\\|_F = \\sqrt{2^2 + 1^2} = \\sqrt5 \\approx 2.236$. (The spectral-norm "
             "error would be $\\sigma_3 = 2$.)",
)


def _softmax_rows(s, axis=-1):
    w = np.exp(s - s.max(axis=axis, keepdims=True))
    return w / w.sum(axis=axis, keepdims=True)


def _scaled_attention(Q, K, V):
    return _softmax_rows(Q @ K.T / np.sqrt(Q.shape[-1])) @ V


scaled_attention = Exercise(
    "Write scaled_attention(Q, K, V) with numpy: Q and K of shape (T, d), V of shape (T, d_v). "
    "Return softmax(Q Kᵀ / √d) V, the softmax taken along each row, shape (T, d_v).",
    check=code(_scaled_attention, [
        (np.eye(2), np.eye(2), np.array([[1.0], [3.0]])),
        tuple(_rng.standard_normal(shape) for shape in [(4, 3), (4, 3), (4, 2)]),
        tuple(_rng.standard_normal(shape) for shape in [(3, 16), (3, 16), (3, 5)]),
        (5 * _rng.standard_normal((5, 4)), 5 * _rng.standard_normal((5, 4)), np.eye(5)),
    ], mistakes=[
        (lambda Q, K, V: _softmax_rows(Q @ K.T) @ V, "Divide the scores by √d before the "
                                                     "softmax."),
        (lambda Q, K, V: _softmax_rows(Q @ K.T / Q.shape[-1]) @ V, "Divide by √d, not by d."),
        (lambda Q, K, V: _softmax_rows(Q @ K.T / np.sqrt(Q.shape[-1]), axis=0) @ V,
         "The softmax runs along each row (axis=-1), so that each query's weights sum to 1."),
    ]),
    hint="`scores = Q @ K.T / np.sqrt(d)` is `(T, T)`. For the softmax of each row, subtract the "
         "row's maximum (`keepdims=True`) before `np.exp` so nothing overflows, then divide by "
         "the row sums.",
    solution="```python\ndef scaled_attention(Q, K, V):\n"
             "    scores = Q @ K.T / np.sqrt(Q.shape[-1])\n"
             "    w = np.exp(scores - scores.max(axis=1, keepdims=True))\n"
             "    return (w / w.sum(axis=1, keepdims=True)) @ V\n```",
)

_NEARLY_SINGULAR = np.array([[1.0, 2.0], [2.0, 4.001]])
condition_number = Exercise(
    "What is the condition number κ(A) = σ_max / σ_min of A = [[1, 2], [2, 4.001]]? Give one "
    "number (you may use numpy; 3 significant digits are enough). Then think: how many of "
    "float64's 16 digits can solving A x = b lose?",
    check=numeric(np.linalg.cond(_NEARLY_SINGULAR), digits=3, mistakes=[
        (1 / np.linalg.cond(_NEARLY_SINGULAR), "That is σ_min / σ_max; κ is the ratio the "
                                               "other way up, at least 1."),
        (np.linalg.cond(_NEARLY_SINGULAR) ** 2, "That is κ(AᵀA) = κ²: take the singular "
                                                "values of A itself."),
        (np.linalg.det(_NEARLY_SINGULAR), "That is det A. A small determinant hints at trouble, "
                                          "but κ is the ratio of the singular values."),
    ]),
    hint="`np.linalg.svd(A, compute_uv=False)` gives the singular values (or "
         "`np.linalg.cond(A)` the ratio directly). The matrix is nearly singular: its rows are "
         "almost parallel.",
    solution="$\\sigma_{\\max} \\approx 5.0$ and $\\sigma_{\\min} \\approx 2.0\\times10^{-4}$, so "
             "$\\kappa \\approx 2.5\\times10^{4}$: solving can lose about 4 or 5 of the 16 digits.",
)
