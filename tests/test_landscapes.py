"""md.landscapes: autodiff gradients and Hessians against hand-derived formulas and finite
differences, the stated critical points, the quadratic's spectrum, grids and errors."""
import numpy as np
import pytest

import mathdl as md
from mathdl import landscapes as ls

NAMES = ls.names()


def random_points(land, k=5, seed=0):
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(*land.xlim, k), rng.uniform(*land.ylim, k)])


def test_registry_lists_every_landscape_of_the_book():
    assert {"quadratic", "rosenbrock", "himmelblau", "beale", "saddle", "plateau"} <= set(NAMES)
    for name in NAMES:
        assert ls.get(name).name == name


def test_unknown_name_is_one_sentence_listing_the_valid_names():
    with pytest.raises(ValueError, match=r"Unknown landscape 'rosenbrok'; choose one of: ") as e:
        ls.get("rosenbrok")
    assert all(name in str(e.value) for name in NAMES)
    with pytest.raises(ValueError, match="Unknown landscape"):
        ls.get(["quadratic"])


@pytest.mark.parametrize("make, message", [
    (lambda: ls.quadratic(condition_number=0.5),
     r"condition_number must be a finite number in \[1, ∞\), got 0.5."),
    (lambda: ls.quadratic(angle=float("nan")), "angle"),
    (lambda: ls.quadratic(L=0),
     r"L \(the largest eigenvalue\) must be a finite number in \(0, ∞\)"),
    (lambda: ls.rosenbrock(b=-1), r"b must be a finite number in \(0, ∞\), got -1."),
    (lambda: ls.rosenbrock(a=True), "a must be a finite number, got True."),
    (lambda: ls.plateau(width=0), "width"),
    (lambda: ls.double_well(tilt=2), "tilt must lie strictly between"),
    (lambda: ls.get("rosenbrock").grid(1), r"grid: n \(the number of points per side\) must be a "
                                           r"whole number >= 2, got 1."),
    (lambda: ls.get("beale")(np.zeros(3)), "last axis of length 2"),
    (lambda: ls.get("beale")(md.tensor(np.zeros((2, 2)))), r"shape \(2,\)"),
    (lambda: ls.get("beale").gradient([1.0, 2.0, 3.0]), r"shape \(2,\)"),
])
def test_bad_parameters_raise_one_clear_sentence(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("name", NAMES)
def test_autodiff_gradient_passes_gradcheck_and_second_order_check(name):
    land = ls.get(name)
    for p in [land.start, *random_points(land)]:
        assert md.gradcheck(land, md.tensor(p))
        assert md.gradgradcheck(land, md.tensor(p))


# Gradients and Hessians derived by hand, independently of the module's formulas.
def rosenbrock_derivatives(x, y, a=1.0, b=100.0):
    g = [-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)]
    H = [[2 - 4 * b * (y - x * x) + 8 * b * x * x, -4 * b * x], [-4 * b * x, 2 * b]]
    return np.array(g), np.array(H)


def himmelblau_derivatives(x, y):
    u, v = x * x + y - 11, x + y * y - 7
    g = [4 * x * u + 2 * v, 2 * u + 4 * y * v]
    H = [[12 * x * x + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 4 * x + 12 * y * y - 26]]
    return np.array(g), np.array(H)


def beale_gradient(x, y):
    terms = [(1.5, 1), (2.25, 2), (2.625, 3)]
    r = [c - x + x * y**k for c, k in terms]
    gx = sum(2 * ri * (y**k - 1) for ri, (_, k) in zip(r, terms))
    gy = sum(2 * ri * k * x * y ** (k - 1) for ri, (_, k) in zip(r, terms))
    return np.array([gx, gy])


@pytest.mark.parametrize("name, derivatives", [
    ("rosenbrock", rosenbrock_derivatives), ("himmelblau", himmelblau_derivatives),
    ("saddle", lambda x, y: (np.array([2 * x, -2 * y]), np.diag([2.0, -2.0]))),
    ("monkey_saddle", lambda x, y: (np.array([3 * x * x - 3 * y * y, -6 * x * y]),
                                    np.array([[6 * x, -6 * y], [-6 * y, -6 * x]]))),
])
def test_gradient_and_hessian_match_hand_derived_formulas(name, derivatives):
    land = ls.get(name)
    for p in random_points(land, k=8):
        g, H = derivatives(*p)
        np.testing.assert_allclose(land.gradient(p), g, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(land.hessian(p), H, rtol=1e-10, atol=1e-9)


def test_beale_and_plateau_gradients_match_hand_derived_formulas():
    beale, plateau = ls.get("beale"), ls.plateau(width=1.5)
    for p in random_points(beale, k=8):
        np.testing.assert_allclose(beale.gradient(p), beale_gradient(*p), rtol=1e-10)
    for p in random_points(plateau, k=8):
        expected = 2 * p / 1.5**2 * np.exp(-(p @ p) / 1.5**2)
        np.testing.assert_allclose(plateau.gradient(p), expected, rtol=1e-10, atol=1e-300)


def test_rosenbrock_parameters_move_the_minimum_and_change_the_formula():
    land = ls.rosenbrock(a=2.0, b=10.0)
    assert land.minima == [(2.0, 4.0)]
    for p in random_points(land, k=4):
        np.testing.assert_allclose(land.gradient(p), rosenbrock_derivatives(*p, 2.0, 10.0)[0])


@pytest.mark.parametrize("name", NAMES)
def test_stated_critical_points_are_stationary_and_of_the_stated_kind(name):
    land = ls.get(name)
    assert land.minima or land.saddles
    for kind, points in [("minimum", land.minima), ("saddle", land.saddles),
                         ("maximum", land.maxima)]:
        for p in points:
            assert np.abs(land.gradient(p)).max() < 1e-8, (kind, p)
            eig = np.linalg.eigvalsh(land.hessian(p))
            if name == "monkey_saddle":   # the degenerate one: zero Hessian, checked below
                continue
            if kind == "minimum":
                assert eig.min() > 0, p          # positive definite
            elif kind == "maximum":
                assert eig.max() < 0, p          # negative definite
            else:
                assert eig.min() < 0 < eig.max(), p   # indefinite
            assert land.classify(p) == kind


def test_minima_are_lower_than_their_surroundings_and_sorted_lowest_first():
    rng = np.random.default_rng(1)
    for name in NAMES:
        land = ls.get(name)
        values = [float(land(m)) for m in land.minima]
        assert all(a <= b + 1e-12 for a, b in zip(values, values[1:]))   # lowest first
        if land.minima:
            assert land.f_min == pytest.approx(values[0])
        for m in land.minima:
            around = np.array(m) + 1e-3 * rng.standard_normal((20, 2))
            assert np.all(land(around) > land(m))
    assert ls.get("saddle").f_min is None


def test_known_minimum_values():
    for name in ["quadratic", "rosenbrock", "himmelblau", "beale", "plateau"]:
        land = ls.get(name)
        assert all(abs(float(land(m))) < 1e-20 for m in land.minima), name
    well = ls.double_well(tilt=0.3)
    (x_global, _), (x_local, _) = well.minima
    assert x_global < 0 < x_local and float(well(well.minima[0])) < float(well(well.minima[1]))


def test_monkey_saddle_is_degenerate_but_not_an_extremum():
    land = ls.get("monkey_saddle")
    assert np.array_equal(land.hessian((0.0, 0.0)), np.zeros((2, 2)))
    assert land.classify((0.0, 0.0)) == "degenerate"
    angle = np.linspace(0, 2 * np.pi, 13)[:-1]
    circle = 1e-2 * np.column_stack([np.cos(angle), np.sin(angle)])
    values = land(circle)
    assert values.min() < 0 < values.max()   # f takes both signs arbitrarily close to 0


def test_himmelblau_has_four_minima_four_saddles_one_maximum():
    land = ls.get("himmelblau")
    assert (len(land.minima), len(land.saddles), len(land.maxima)) == (4, 4, 1)
    assert land.classify(land.maxima[0]) == "maximum"


@pytest.mark.parametrize("kappa, angle", [(1, 0), (10, 0), (100, 30), (4, -75), (1e4, 200)])
def test_quadratic_spectrum_rotation_and_step_limit(kappa, angle):
    land = ls.quadratic(condition_number=kappa, angle=angle, L=3.0)
    theta = np.deg2rad(angle)
    gentle, steep = np.array([np.cos(theta), np.sin(theta)]), np.array([-np.sin(theta),
                                                                          np.cos(theta)])
    np.testing.assert_allclose(land.A @ gentle, land.mu * gentle, atol=1e-12)
    np.testing.assert_allclose(land.A @ steep, land.L * steep, atol=1e-12)
    np.testing.assert_allclose(np.linalg.eigvalsh(land.A), [3.0 / kappa, 3.0], rtol=1e-10)
    assert land.L / land.mu == pytest.approx(kappa) and land.lr_max == pytest.approx(2 / 3)
    for p in random_points(land, k=4):
        np.testing.assert_allclose(land.hessian(p), land.A, atol=1e-12)
        np.testing.assert_allclose(land.gradient(p), land.A @ p, atol=1e-12)
        assert float(land(p)) == pytest.approx(0.5 * p @ land.A @ p)


def test_quadratic_step_limit_two_over_L_separates_convergence_from_divergence():
    land = ls.quadratic(condition_number=5, angle=20)
    for factor, converges in [(0.95, True), (1.05, False)]:
        p = np.array(land.start)
        for _ in range(2000):
            p = p - factor * land.lr_max * land.gradient(p)
        assert (np.linalg.norm(p) < 1e-3) == converges


def test_f_works_on_floats_numpy_and_tensors_with_the_same_values():
    for name in NAMES:
        land = ls.get(name)
        x, y = land.start
        value = land.f(x, y)
        assert np.ndim(value) == 0 and not isinstance(value, md.Tensor)
        t = land(md.tensor(land.start))
        assert isinstance(t, md.Tensor) and t.shape == ()
        assert t.item() == pytest.approx(float(value), rel=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_grid_matches_pointwise_evaluation_and_covers_the_window(name):
    land = ls.get(name)
    X, Y, Z = land.grid(7)
    assert X.shape == Y.shape == Z.shape == (7, 7)
    assert (X.min(), X.max(), Y.min(), Y.max()) == (*land.xlim, *land.ylim)
    for i, j in [(0, 0), (3, 5), (6, 2)]:
        assert Z[i, j] == pytest.approx(land.f(float(X[i, j]), float(Y[i, j])), rel=1e-12)
        assert Z[i, j] == pytest.approx(land(md.tensor([X[i, j], Y[i, j]])).item(), rel=1e-12)
    path = np.column_stack([X[0], Y[:, 0]])           # points along a path, in one call
    np.testing.assert_allclose(land(path), [land.f(*p) for p in path])


@pytest.mark.parametrize("name", NAMES)
def test_window_contains_start_and_critical_points_and_levels_increase(name):
    land = ls.get(name)
    inside = lambda p: land.xlim[0] <= p[0] <= land.xlim[1] and land.ylim[0] <= p[1] <= land.ylim[1]  # noqa: E731,E501
    assert inside(land.start)
    assert all(inside(p) for p in land.minima + land.saddles + land.maxima)
    assert len(land.levels) >= 8 and np.all(np.diff(land.levels) > 0)
    _, _, Z = land.grid(100)
    assert land.levels[0] < np.percentile(Z, 50) < land.levels[-1]   # levels fit the values
    assert np.linalg.norm(land.gradient(land.start)) > 0              # the demo can start


def test_autodiff_through_the_landscape_fills_grad_like_any_loss():
    land = ls.get("rosenbrock")
    p = md.tensor([-1.5, 2.0], requires_grad=True)
    land(p).backward()
    np.testing.assert_allclose(p.grad, rosenbrock_derivatives(-1.5, 2.0)[0])


def test_plateau_gradient_is_tiny_at_the_start_and_large_near_the_well():
    land = ls.get("plateau")
    assert np.linalg.norm(land.gradient(land.start)) < 1e-4
    assert np.linalg.norm(land.gradient((0.7, 0.0))) > 0.5
