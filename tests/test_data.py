"""md.data: the shipped digits and karate club, the seeded 2-D generators and the splits."""
import numpy as np
import pytest

from mathdl import data

GENERATORS = [data.make_moons, data.make_spirals, data.make_xor, data.make_blobs]


# --------------------------------------------------------------------------- digits
def test_digits_shape_dtype_range_and_class_counts():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16 and np.array_equal(X, np.round(X))
    assert np.array_equal(np.bincount(y), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    assert y[:10].tolist() == list(range(10))


def test_digits_calls_return_independent_copies():
    X, y = data.load_digits()
    X[:] = -1
    y[:] = -1
    X2, y2 = data.load_digits()
    assert X2.min() == 0 and y2.min() == 0


def test_digits_images_and_labels_line_up():
    """A nearest-class-mean classifier only works if row i's pixels belong to label i."""
    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=0.3, seed=0)
    means = np.stack([X_train[y_train == c].mean(axis=0) for c in range(10)])
    predicted = np.argmin(((X_test[:, None, :] - means[None]) ** 2).sum(-1), axis=1)
    assert (predicted == y_test).mean() > 0.85
    zero = X[0].reshape(8, 8)                 # a "0": ink around a hollow centre
    assert zero[3:5, 3:5].sum() < zero[1:7, 1:7].sum() / 10


def test_digits_match_scikit_learn_when_installed():
    datasets = pytest.importorskip("sklearn.datasets", reason="scikit-learn is not installed")
    X, y = data.load_digits()
    reference = datasets.load_digits()
    assert np.array_equal(X, reference.data) and np.array_equal(y, reference.target)


# --------------------------------------------------------------------------- karate club
def test_karate_club_is_the_known_graph():
    edges, labels, A = data.load_karate_club()
    assert edges.shape == (78, 2) and edges.dtype == np.int64
    assert labels.shape == (34,) and set(labels.tolist()) == {0, 1}
    assert np.all(edges[:, 0] < edges[:, 1])                     # no self-loops, i < j
    assert len({tuple(e) for e in edges.tolist()}) == 78          # no duplicates
    assert A.shape == (34, 34) and np.array_equal(A, A.T) and np.trace(A) == 0
    degree = A.sum(axis=1)
    assert degree.sum() == 2 * 78                                  # handshake lemma
    assert (degree[0], degree[33], degree[32], degree[1], degree[2]) == (16, 17, 12, 9, 10)
    assert labels[0] == 0 and labels[33] == 1 and np.bincount(labels).tolist() == [17, 17]
    assert labels[8] == 0 and labels[9] == 1     # member 8 followed the instructor, 9 did not


def test_karate_club_factions_are_mostly_friends_within():
    edges, labels, _ = data.load_karate_club()
    within = (labels[edges[:, 0]] == labels[edges[:, 1]]).mean()
    assert within > 0.8     # random labels would give about one half


def test_adjacency_matrix_builder_and_its_errors():
    A = data.adjacency_matrix([[0, 1], [1, 2]], 4)
    assert np.array_equal(A, [[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
    with pytest.raises(ValueError, match=r"endpoints must be node numbers 0..2"):
        data.adjacency_matrix([[0, 3]], 3)
    with pytest.raises(ValueError, match=r"shape \(m, 2\)"):
        data.adjacency_matrix([0, 1, 2], 3)
    with pytest.raises(ValueError, match="n_nodes must be a whole number >= 0, got 3.5"):
        data.adjacency_matrix([[0, 1]], 3.5)
    with pytest.raises(ValueError, match="integer array"):
        data.adjacency_matrix([[0.5, 1.0]], 3)


# --------------------------------------------------------------------------- generators
@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n", [1 * 4, 7, 200, 201])
def test_generator_shapes_dtypes_and_balanced_classes(make, n):
    X, y = make(n=n)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert counts.sum() == n and counts.max() - counts.min() <= (2 if make is data.make_xor else 1)


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_are_deterministic_per_seed_and_shuffled(make):
    X1, y1 = make(n=100, seed=3)
    X2, y2 = make(n=100, seed=3)
    X3, _ = make(n=100, seed=4)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert np.any(np.diff(y1) < 0)          # classes are interleaved, not sorted


@pytest.mark.parametrize("make", GENERATORS)
def test_noise_is_gaussian_with_the_requested_standard_deviation(make):
    """Same seed, noise 0 vs 0.2: the same points in the same order, moved by N(0, 0.2²)."""
    X0, y0 = make(n=4000, noise=0.0, seed=7)
    X1, y1 = make(n=4000, noise=0.2, seed=7)
    assert np.array_equal(y0, y1)
    shift = X1 - X0
    assert abs(shift.std() - 0.2) < 0.01 and np.abs(shift.mean(axis=0)).max() < 0.01


def test_moons_without_noise_lie_on_their_two_half_circles():
    X, y = data.make_moons(n=101, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert upper[:, 1].min() >= -1e-12 and lower[:, 1].max() <= 0.5 + 1e-12


def test_spirals_without_noise_follow_radius_and_angle_rule():
    k, turns = 3, 1.5
    X, y = data.make_spirals(n=300, classes=k, noise=0.0, turns=turns)
    assert set(y.tolist()) == {0, 1, 2}
    r = np.hypot(*X.T)
    on_arm = r > 1e-9
    expected = 2 * np.pi * y / k + 2 * np.pi * turns * r
    gap = np.angle(np.exp(1j * (np.arctan2(X[:, 1], X[:, 0]) - expected)))
    assert np.abs(gap[on_arm]).max() < 1e-9 and r.max() == pytest.approx(1.0)


def test_xor_without_noise_is_the_truth_table():
    X, y = data.make_xor(n=40, noise=0.0)
    assert set(map(tuple, X.tolist())) == {(-1, -1), (-1, 1), (1, -1), (1, 1)}
    assert np.array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(np.int64))
    noisy, labels = data.make_xor(n=400, noise=0.1)
    assert np.mean((noisy[:, 0] * noisy[:, 1] < 0) == labels) > 0.99


def test_blobs_centres_count_or_array():
    X, y = data.make_blobs(n=30, centers=3, noise=0.0)
    centres = np.array([X[y == c][0] for c in range(3)])
    np.testing.assert_allclose(np.hypot(*centres.T), 2.0)
    assert all(np.ptp(X[y == c], axis=0).max() == 0 for c in range(3))
    given = [[0.0, 0.0], [5.0, 5.0]]
    X, y = data.make_blobs(n=2000, centers=given, noise=0.5, seed=1)
    for c, centre in enumerate(given):
        np.testing.assert_allclose(X[y == c].mean(axis=0), centre, atol=0.05)
        np.testing.assert_allclose(X[y == c].std(axis=0), 0.5, atol=0.03)


@pytest.mark.parametrize("call, message", [
    (lambda: data.make_moons(n=0), "n must be a whole number >= 1, got 0."),
    (lambda: data.make_moons(n=-5), "n must be a whole number >= 1"),
    (lambda: data.make_xor(n=2.5), "n must be a whole number"),
    (lambda: data.make_blobs(n=True), "n must be a whole number .* got True"),
    (lambda: data.make_moons(noise=-0.1), r"noise \(the standard deviation .*\) must be a finite "
                                         r"number in \[0, ∞\), got -0.1."),
    (lambda: data.make_spirals(noise=float("nan")), "noise"),
    (lambda: data.make_spirals(classes=1), "classes must be a whole number >= 2"),
    (lambda: data.make_spirals(classes=2.0), "classes must be a whole number"),
    (lambda: data.make_spirals(turns=0), r"turns .* must be a finite number in \(0, ∞\)"),
    (lambda: data.make_spirals(turns="two"), "turns .* got 'two'"),
    (lambda: data.make_moons(seed="abc"), "seed must be a whole number >= 0"),
    (lambda: data.make_moons(seed=-1), "seed must be a whole number >= 0, got -1"),
    (lambda: data.make_moons(n=1), "n=1 samples cannot cover 2 classes"),
    (lambda: data.make_xor(n=3), "cannot cover 4 classes"),
    (lambda: data.make_blobs(centers=[[1, 2, 3]]), r"shape \(k, 2\)"),
    (lambda: data.make_blobs(centers=0), "centers must be a whole number >= 1"),
    (lambda: data.make_blobs(centers=2.0), "centers must be a whole number >= 1, got 2.0"),
])
def test_bad_input_raises_one_clear_sentence(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- splits
def test_split_indices_form_a_partition_of_the_requested_sizes():
    train, test = data.split_indices(1797, test_fraction=0.25, seed=2)
    assert len(test) == round(0.25 * 1797) and len(train) + len(test) == 1797
    assert set(train) & set(test) == set() and set(train) | set(test) == set(range(1797))
    again = data.split_indices(1797, test_fraction=0.25, seed=2)
    other = data.split_indices(1797, test_fraction=0.25, seed=3)
    assert np.array_equal(again[1], test) and not np.array_equal(other[1], test)
    assert [len(part) for part in data.split_indices(2, 0.01)] == [1, 1]   # never empty


def test_train_test_split_keeps_samples_with_their_labels():
    X = np.arange(50, dtype=np.float64).reshape(25, 2)
    y = np.arange(25)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=0.2, seed=0)
    assert len(X_test) == len(y_test) == 5 and len(X_train) == len(y_train) == 20
    assert np.array_equal(X_train[:, 0], 2 * y_train) and np.array_equal(X_test[:, 0], 2 * y_test)
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(25))


@pytest.mark.parametrize("call, message", [
    (lambda: data.train_test_split(np.zeros((4, 2)), np.zeros(3)), "4 samples but y has 3"),
    (lambda: data.split_indices(10, test_fraction=1.0),
     r"test_fraction must be a finite number in \(0, 1\), got 1.0."),
    (lambda: data.split_indices(10, test_fraction=0), r"test_fraction .* \(0, 1\)"),
    (lambda: data.split_indices(10, test_fraction="half"), r"test_fraction .* \(0, 1\)"),
    (lambda: data.split_indices(1), "n must be a whole number >= 2"),
])
def test_split_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
