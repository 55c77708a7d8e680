"""Small data sets for the book: one real image set, one real graph, and 2-D toy generators.

Everything here is plain numpy: inputs ``X`` are float64 arrays with one sample per row, labels
``y`` are int64 class numbers 0, 1, ..., k-1.  Every generator takes a ``seed``, so a notebook
draws the same points on every run.

Shipped files (see ``README.txt`` in this folder for their sources and licences):

* ``digits.csv.gz`` -- the 8x8 handwritten digits (1,797 samples) exactly as distributed with
  scikit-learn (BSD 3-Clause licence), a copy of the test part of the UCI "Optical Recognition
  of Handwritten Digits" data set by E. Alpaydin and C. Kaynak.
* ``karate_club.txt`` -- Zachary's karate club friendship network (W. W. Zachary, 1977).
"""
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..checks import generator, is_number, number, positive, whole

HERE = Path(__file__).parent
_NOISE = "noise (the standard deviation of the Gaussian noise added to each coordinate)"


def _class_sizes(n, k):
    """Split n samples over k classes as evenly as possible (the first n % k get one more)."""
    if n < k:
        raise ValueError(f"n={n} samples cannot cover {k} classes; ask for at least {k}.")
    return [n // k + (c < n % k) for c in range(k)]


def _finish(points, labels, noise, rng):
    """Stack the per-class points, add coordinate noise, and shuffle samples and labels together."""
    X = np.concatenate(points).astype(np.float64)
    y = np.concatenate([np.full(len(p), c, dtype=np.int64) for c, p in zip(labels, points)])
    X += noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(y))
    return X[order], y[order]


# --------------------------------------------------------------------------- 2-D generators
def make_moons(n=200, noise=0.1, seed=0):
    """Two interlocking half circles: class 0 on the upper arc of the unit circle, class 1 on the
    lower arc of the unit circle centred at (1, 0.5).  Not linearly separable.

    Returns ``(X, y)``: X float64 of shape (n, 2), y int64 of shape (n,), shuffled.
    """
    n, noise, rng = whole("n", n, low=1), number(_NOISE, noise, low=0), generator(seed)
    n0, n1 = _class_sizes(n, 2)
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    return _finish([upper, lower], [0, 1], noise, rng)


def make_spirals(n=300, classes=2, noise=0.1, seed=0, turns=1.0):
    """``classes`` spiral arms winding out of the origin, one class per arm.

    A point at fraction t in [0, 1] along arm c sits at radius t and angle
    2*pi*c/classes + 2*pi*turns*t.  Returns ``(X, y)`` as in :func:`make_moons`.
    """
    n, noise, rng = whole("n", n, low=1), number(_NOISE, noise, low=0), generator(seed)
    k = whole("classes", classes, low=2)
    positive("turns (the number of revolutions)", turns)
    arms = []
    for c, m in enumerate(_class_sizes(n, k)):
        t = np.linspace(0, 1, m)
        angle = 2 * np.pi * c / k + 2 * np.pi * turns * t
        arms.append(np.column_stack([t * np.cos(angle), t * np.sin(angle)]))
    return _finish(arms, range(k), noise, rng)


def make_xor(n=200, noise=0.1, seed=0):
    """The XOR problem: four clusters at the corners (+-1, +-1); the label is 1 where the two
    coordinates have opposite signs (exactly one input "on"), 0 otherwise.  With ``noise=0``
    the points sit exactly on the corners: the XOR truth table with inputs in {-1, +1}.

    Returns ``(X, y)`` as in :func:`make_moons`.
    """
    n, noise, rng = whole("n", n, low=1), number(_NOISE, noise, low=0), generator(seed)
    corners = np.array([[-1, -1], [1, 1], [-1, 1], [1, -1]], dtype=np.float64)
    sizes = _class_sizes(n, 4)
    clusters = [np.repeat(corners[[i]], m, axis=0) for i, m in enumerate(sizes)]
    X, y = _finish(clusters, [0, 1, 2, 3], noise, rng)
    return X, (y >= 2).astype(np.int64)   # clusters 2 and 3 have opposite signs


def make_blobs(n=200, centers=3, noise=0.5, seed=0):
    """Gaussian blobs: ``centers`` is a number k (then the k centres sit evenly on a circle of
    radius 2 around the origin) or an array of shape (k, 2) of centres.  Each sample is its
    class centre plus Gaussian noise of standard deviation ``noise`` in each coordinate.

    Returns ``(X, y)`` as in :func:`make_moons`.
    """
    n, noise, rng = whole("n", n, low=1), number(_NOISE, noise, low=0), generator(seed)
    if is_number(centers):
        k = whole("centers", centers, low=1)
        angle = 2 * np.pi * np.arange(k) / k
        centers = 2.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    else:
        centers = np.asarray(centers, dtype=np.float64)
        if centers.ndim != 2 or centers.shape[1] != 2 or len(centers) == 0:
            raise ValueError(f"centers must be a number of classes or an array of shape (k, 2), "
                             f"got shape {centers.shape}.")
    sizes = _class_sizes(n, len(centers))
    blobs = [np.repeat(c[None], m, axis=0) for c, m in zip(centers, sizes)]
    return _finish(blobs, range(len(centers)), noise, rng)


# --------------------------------------------------------------------------- splits
def split_indices(n, test_fraction=0.2, seed=0):
    """Shuffle the indices 0..n-1 and cut them in two: ``(train_idx, test_idx)``.

    The two index arrays are disjoint and together contain every index once: a partition of
    the samples.  ``round(test_fraction * n)`` indices go to the test part.
    """
    n = whole("n", n, low=2)
    number("test_fraction", test_fraction, low=0, high=1, low_open=True, high_open=True)
    n_test = min(max(round(test_fraction * n), 1), n - 1)   # both parts non-empty
    order = generator(seed).permutation(n)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def train_test_split(X, y, test_fraction=0.2, seed=0):
    """Deterministic random split of samples: ``X_train, X_test, y_train, y_test``."""
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)} labels; they must match.")
    train, test = split_indices(len(X), test_fraction, seed)
    return X[train], X[test], y[train], y[test]


# --------------------------------------------------------------------------- real data
@lru_cache(maxsize=1)
def _digits():
    table = np.loadtxt(HERE / "digits.csv.gz", delimiter=",", dtype=np.float64)
    return table[:, :-1], table[:, -1].astype(np.int64)


def load_digits():
    """The 8x8 handwritten digits: ``(X, y)`` with X float64 of shape (1797, 64) holding pixel
    intensities 0..16 (row by row; ``X.reshape(-1, 8, 8)`` gives the images) and y int64 digits
    0..9.  Each call returns fresh copies, so changing them cannot affect the next call.
    """
    X, y = _digits()
    return X.copy(), y.copy()


class Graph(NamedTuple):
    """An undirected graph with nodes 0..n-1: ``edges`` (m, 2) int64 with i < j in each row,
    ``labels`` (n,) int64 (one class per node) and its symmetric 0/1 ``adjacency`` (n, n)."""
    edges: np.ndarray
    labels: np.ndarray
    adjacency: np.ndarray


def adjacency_matrix(edges, n_nodes):
    """The symmetric adjacency matrix A of an undirected graph: A[i, j] = A[j, i] = 1 exactly
    when {i, j} is an edge (float64, zeros on the diagonal unless an edge is a self-loop)."""
    n_nodes, edges = whole("n_nodes", n_nodes, low=0), np.asarray(edges)
    if edges.ndim != 2 or edges.shape[1] != 2 or (edges.size and not
                                                  np.issubdtype(edges.dtype, np.integer)):
        raise ValueError(f"edges must be an integer array of shape (m, 2), one edge per row, "
                         f"got shape {edges.shape} and dtype {edges.dtype}.")
    if edges.size and (edges.min() < 0 or edges.max() >= n_nodes):
        raise ValueError(f"edge endpoints must be node numbers 0..{n_nodes - 1}, "
                         f"found {edges.min()}..{edges.max()}.")
    A = np.zeros((n_nodes, n_nodes))
    A[edges[:, 0], edges[:, 1]] = A[edges[:, 1], edges[:, 0]] = 1.0
    return A


def load_karate_club():
    """Zachary's karate club: 34 members, 78 friendships, and the faction each member joined
    when the club split (0: the instructor's side, member 0; 1: the officers', member 33).
    Returns a :class:`Graph` ``(edges, labels, adjacency)``.
    """
    lines = (HERE / "karate_club.txt").read_text().splitlines()
    labels = next(line for line in lines if line.startswith("factions:")).split()[1:]
    labels = np.array(labels, dtype=np.int64)
    edges = np.array([line.split() for line in lines if line[:1].isdigit()], dtype=np.int64)
    return Graph(edges, labels, adjacency_matrix(edges, len(labels)))
