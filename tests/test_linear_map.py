"""LinearMapExplorer through its Python API: the model's linear algebra against numpy and the
geometry it claims, every slider and preset, bad input refused before anything changes, and
partial repaints that give exactly the pixels of a full draw."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mathdl.widgets import LinearMapExplorer
from mathdl.widgets.linear_map import ENTRIES, PRESETS, LinearMap

ROOT = Path(__file__).resolve().parents[1]
CIRCLE = np.stack([np.cos(np.linspace(0, 2 * np.pi, 2001)),
                   np.sin(np.linspace(0, 2 * np.pi, 2001))], axis=1)


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def full_draw(widget):
    """The pixels of a full draw of the widget's current state (same layout), leaving the
    widget's picture as it was."""
    shown, builds = widget.picture.png, widget.picture.builds
    widget.refresh(rebuild=True)
    drawn = widget.picture.png
    widget.picture.png, widget.picture.builds = shown, builds
    return pixels(drawn)


def random_matrices(n=40, seed=0):
    return np.round(np.random.default_rng(seed).uniform(-3, 3, (n, 2, 2)), 2)


# ---- the model ---------------------------------------------------------------------------------
def test_the_model_imports_and_computes_without_matplotlib_or_ipywidgets():
    code = ("import sys\nfrom mathdl.widgets.linear_map import LinearMap\n"
            "lm = LinearMap(((2.0, 1.0), (1.0, 2.0)))\n"
            "print(lm.determinant, sorted(lm.eigenvalues.round(6).tolist()), lm.singular_values)\n"
            "bad = [m for m in ('matplotlib', 'ipywidgets') if m in sys.modules]\n"
            "assert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3.0 [1.0, 3.0] [3. 1.]"


def test_the_default_matrix_is_the_contracts_shear():
    np.testing.assert_array_equal(LinearMap().matrix, [[1.0, 0.5], [0.0, 1.0]])
    lm = LinearMap()
    lm.matrix[0, 0] = 9.0                           # a copy: the model cannot be changed by it
    assert lm.matrix[0, 0] == 1.0


@pytest.mark.parametrize("m", random_matrices())
def test_determinant_eigen_and_singular_values_agree_with_numpy(m):
    lm = LinearMap(m)
    assert abs(lm.determinant - np.linalg.det(m)) < 1e-12
    values, vectors = np.linalg.eig(m)
    np.testing.assert_array_equal(lm.eigenvalues, values)
    if np.iscomplexobj(values):
        assert lm.eigenvectors is None and lm.eigenlines() == []
        assert (m[0, 0] - m[1, 1]) ** 2 + 4 * m[0, 1] * m[1, 0] < 0   # negative discriminant
    else:
        np.testing.assert_array_equal(lm.eigenvectors, vectors)
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=0), 1)      # unit columns
        np.testing.assert_allclose(m @ vectors, vectors * values, atol=1e-12)  # A v = λ v
    sigma = lm.singular_values
    assert sigma[0] >= sigma[1] >= 0
    np.testing.assert_allclose(sigma, np.linalg.svd(m, compute_uv=False))
    # the unit circle's image is an ellipse whose semi-axes are σ₁ and σ₂
    # (squared radii on a fine circle: within σ₁² sin²(π/2000) of the extremes)
    r2, slack = (np.linalg.norm(CIRCLE @ m.T, axis=1) ** 2, 3e-6 * sigma[0] ** 2 + 1e-12)
    assert 0 <= sigma[0] ** 2 - r2.max() + 1e-12 <= slack
    assert 0 <= r2.min() - sigma[1] ** 2 + 1e-12 <= slack
    assert abs(sigma.prod() - abs(lm.determinant)) < 1e-12     # area of the ellipse: π σ₁σ₂


def test_the_signed_area_of_the_squares_image_is_the_determinant():
    for m in random_matrices(10, seed=1):
        corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1]]) @ m.T
        x, y = corners.T
        shoelace = 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)   # counter-clockwise > 0
        assert abs(shoelace - LinearMap(m).determinant) < 1e-12


@pytest.mark.parametrize("name, det, real, lines, sigma", [
    ("rotation", 1.0, False, 0, (1.0, 1.0)),
    ("shear", 1.0, True, 1, ((1 + 5 ** 0.5) / 2, (5 ** 0.5 - 1) / 2)),
    ("scaling", 0.75, True, 2, (1.5, 0.5)),
    ("reflection", -1.0, True, 2, (1.0, 1.0)),
    ("projection", 0.0, True, 2, (1.0, 0.0)),
])
def test_each_preset_shows_what_the_chapter_says(name, det, real, lines, sigma):
    lm = LinearMap(name)
    np.testing.assert_array_equal(lm.matrix, PRESETS[name])
    assert abs(lm.determinant - det) < 1e-12
    assert (lm.eigenvectors is not None) == real and len(lm.eigenlines()) == lines
    np.testing.assert_allclose(lm.singular_values, sigma, atol=1e-12)
    if name == "rotation":
        np.testing.assert_allclose(sorted(lm.eigenvalues, key=lambda z: z.imag),
                                   [np.exp(-1j * np.pi / 6), np.exp(1j * np.pi / 6)])
    if name in ("reflection", "projection"):
        expected = {"reflection": [-1, 1], "projection": [0, 1]}[name]
        np.testing.assert_allclose(sorted(lm.eigenvalues.real), expected, atol=1e-12)


def test_set_takes_a_matrix_a_preset_or_single_entries():
    lm = LinearMap()
    lm.set(matrix=[[2, 0], [0, 3]])
    assert lm.matrix.dtype == np.float64 and lm.determinant == 6.0
    lm.set(b=-1.5, c=0.25)
    np.testing.assert_array_equal(lm.matrix, [[2, -1.5], [0.25, 3]])
    lm.set(matrix="reflection", a=0.5)            # the matrix first, then the entries
    np.testing.assert_array_equal(lm.matrix, [[0.5, 1], [1, 0]])


@pytest.mark.parametrize("values, words", [
    ({"matrix": [[1, 2, 3]]}, "matrix must be 2 × 2, such as ((1, 0.5), (0, 1)), or a preset "
                              "name (rotation, shear, scaling, reflection, projection); got shape "
                              "(1, 3)."),
    ({"matrix": "rotate"}, "unknown preset 'rotate' (did you mean 'rotation'?); choose one of: "
                           "rotation, shear, scaling, reflection, projection."),
    ({"matrix": [[1, 0], [0, 5]]}, "matrix entry [1, 1] must be a finite number in [-3, 3], "
                                   "got 5."),
    ({"matrix": [[1, True], [0, 1]]}, "matrix entry [0, 1] must be a finite number in [-3, 3], "
                                      "got True."),
    ({"matrix": [[1, "x"], [0, 1]]}, "matrix entry [0, 1] must be a finite number"),
    ({"a": float("nan")}, "a must be a finite number in [-3, 3], got nan."),
    ({"matrix": "shear", "d": 4}, "d must be a finite number in [-3, 3], got 4."),
])
def test_bad_values_are_one_sentence_and_change_nothing(values, words):
    lm = LinearMapExplorer(matrix=((1.0, 0.5), (0.0, 1.0)))
    png = lm.picture.png
    with pytest.raises(ValueError) as err:
        lm.set(**values)
    assert words in str(err.value) and str(err.value).count(". ") == 0
    np.testing.assert_array_equal(lm.matrix, [[1.0, 0.5], [0.0, 1.0]])
    assert lm.picture.png == png and lm.controls["b"].value == 0.5


def test_an_unknown_setting_is_named_and_the_constructor_checks_too():
    lm = LinearMapExplorer()
    with pytest.raises(ValueError, match=r"unknown setting 'e'; choose one of: matrix, a, b, c, d"):
        lm.set(a=0.0, e=1.0)
    assert lm.matrix[0, 0] == 1.0
    with pytest.raises(ValueError, match="matrix entry"):
        LinearMapExplorer(matrix=((9, 0), (0, 1)))


# ---- the view ----------------------------------------------------------------------------------
def artists(lm):
    """The right panel's polygon (the square's image) and the ellipse line."""
    after = lm.figure.axes[1]
    polygon = [p for p in after.patches if type(p).__name__ == "Polygon"][0]
    ellipse = [ln for ln in after.get_lines() if ln.get_linestyle() == "-"
               and len(ln.get_xdata()) == 121][0]
    return after, polygon, ellipse


def test_the_static_picture_shows_the_initial_map():
    lm = LinearMapExplorer()
    assert lm.picture.builds == 1 and pixels(lm.picture.png).shape == (450, 880, 3)
    after, polygon, ellipse = artists(lm)
    np.testing.assert_allclose(polygon.get_xy()[:4], [[0, 0], [1, 0], [1.5, 1], [0.5, 1]])
    np.testing.assert_allclose(np.column_stack(ellipse.get_data()),
                               np.stack([np.cos(np.linspace(0, 2 * np.pi, 121)),
                                         np.sin(np.linspace(0, 2 * np.pi, 121))], 1)
                               @ lm.matrix.T)
    assert after.get_title() == "after: area det A = 1 (orientation kept)"
    data, _ = lm._repr_mimebundle_()
    assert data["image/png"] and "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"] == ("The map A = [[1, 0.5], [0, 1]]: det 1, eigenvalues 1, 1, "
                                  "singular values 1.281, 0.7808")
    assert "det A" in lm.panel.value and "0.7808" in lm.panel.value and lm.banner.value == ""


@pytest.mark.parametrize("k, name", list(enumerate(ENTRIES)))
def test_every_slider_sets_its_entry_and_repaints(k, name):
    lm = LinearMapExplorer()
    before = lm.picture.png
    lm.controls[name].value = -1.2                  # what a reader's drag does
    assert lm.matrix.flat[k] == -1.2
    assert lm.picture.builds == 1 and lm.picture.paints == 1    # moved, not rebuilt
    assert not np.array_equal(pixels(lm.picture.png), pixels(before))
    np.testing.assert_array_equal(pixels(lm.picture.png), full_draw(lm))
    _, polygon, _ = artists(lm)
    np.testing.assert_allclose(polygon.get_xy()[2], lm.matrix @ [1, 1])


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_button_sets_its_matrix_moves_the_sliders_and_repaints(name):
    lm = LinearMapExplorer(matrix=((1.0, 0.5), (0.0, 1.0)))
    before = lm.picture.png
    lm.controls[name].click()
    np.testing.assert_array_equal(lm.matrix, PRESETS[name])
    assert [lm.controls[e].value for e in ENTRIES] == pytest.approx(np.ravel(PRESETS[name]))
    assert lm.picture.png != before
    np.testing.assert_array_equal(pixels(lm.picture.png), full_draw(lm))
    title = lm.figure.axes[1].get_title()
    assert {"rotation": "det A = 1 (orientation kept)", "shear": "= 1 (orientation kept)",
            "scaling": "= 0.75 (", "reflection": "= -1 (orientation flipped)",
            "projection": "= 0 (flattened)"}[name] in title
    assert ("singular" in lm.banner.value) == (name == "projection")


def test_the_first_button_is_a_preset_that_changes_the_default_figure():
    lm = LinearMapExplorer()
    first = next(c for c in lm.widget.children[0].children)
    assert first.description == "rotation"
    before = lm.picture.png
    first.click()
    assert lm.picture.png != before


def test_eigen_directions_are_drawn_where_they_are_and_only_when_real():
    lm = LinearMapExplorer(matrix="reflection")
    before, after = lm.figure.axes
    dashed = [ln for ln in after.get_lines() if ln.get_linestyle() == "--" and ln.get_visible()]
    slopes = sorted(np.diff(ln.get_ydata())[0] / np.diff(ln.get_xdata())[0] for ln in dashed)
    np.testing.assert_allclose(slopes, [-1, 1])                  # the lines y = -x and y = x
    labels = sorted(t.get_text() for t in after.texts if t.get_text().startswith("λ"))
    assert labels == ["λ = -1", "λ = 1"]
    lm.set(matrix="rotation")
    assert not any(ln.get_visible() for ln in after.get_lines() if ln.get_linestyle() == "--")
    assert any("no real eigen-direction: λ = 0.866+0.5i, 0.866−0.5i" == t.get_text()
               for t in after.texts)


def test_the_semi_axes_drawn_have_the_singular_values_as_lengths():
    lm = LinearMapExplorer(matrix=((2.0, 1.0), (0.5, -1.0)))
    after = lm.figure.axes[1]
    orange = [p for p in after.patches if type(p).__name__ == "FancyArrowPatch"
              and p.get_visible() and p.get_edgecolor()[:3] == pytest.approx((0.902, 0.624, 0.0),
                                                                              abs=1e-3)]
    # an arrow's path (data coordinates) starts at 0, then the shaft's midpoint: half the tip
    tips = sorted((2 * p.get_path().vertices[1] for p in orange), key=np.linalg.norm,
                  reverse=True)
    np.testing.assert_allclose(np.linalg.norm(tips, axis=1), lm.singular_values)
    u, sigma, vt = np.linalg.svd(lm.matrix)
    for k, tip in enumerate(tips):                  # along the columns of U: σₖuₖ = A vₖ
        np.testing.assert_allclose(abs(tip @ u[:, k]), sigma[k])
        np.testing.assert_allclose(np.abs(tip), np.abs(lm.matrix @ vt[k]), atol=1e-12)


def test_limits_grow_with_the_image_and_repaints_still_match_a_full_draw():
    lm = LinearMapExplorer()
    assert lm.figure.axes[1].get_xlim() == (-2.25, 2.25)
    for m in [((3, 0), (0, 3)), ((2.5, -1), (1.5, 2.9)), "projection", ((-3, 3), (3, 3))]:
        lm.set(matrix=m)
        np.testing.assert_array_equal(pixels(lm.picture.png), full_draw(lm))
    assert lm.figure.axes[0].get_xlim() == lm.figure.axes[1].get_xlim() == (-7.0, 7.0)
    assert lm.picture.builds == 1


def test_controls_moved_on_another_thread_run_on_the_main_one(monkeypatch):
    import threading
    import types

    import IPython

    queued = []
    loop = types.SimpleNamespace(add_callback=lambda f, *args: queued.append((f, args)))
    monkeypatch.setattr(IPython, "get_ipython",
                        lambda: types.SimpleNamespace(kernel=types.SimpleNamespace(io_loop=loop)))
    lm = LinearMapExplorer()
    worker = threading.Thread(target=lambda: (setattr(lm.controls["a"], "value", 2.0),
                                              lm.controls["projection"].click()))
    worker.start()
    worker.join()
    assert len(queued) == 2 and lm.matrix[0, 0] == 1.0          # nothing ran on that thread
    queued[0][0](*queued[0][1])
    assert lm.matrix[0, 0] == 2.0
    queued[1][0](*queued[1][1])
    np.testing.assert_array_equal(lm.matrix, PRESETS["projection"])


def test_clip_keeps_exactly_the_parts_of_segments_inside_the_square():
    from mathdl.widgets.linear_map import clip

    cases = np.array([[[-8, 0.5], [8, 0.5]],         # horizontal, crosses: cut at both edges
                      [[0, -8], [0, 8]],             # vertical through the centre
                      [[3, -8], [3, 8]],             # vertical, outside: dropped
                      [[-8, -8], [8, 8]],            # the diagonal: from corner to corner
                      [[1, 1], [1, 1]],              # a point inside: kept as it is
                      [[-8, 5], [8, 5]],             # horizontal, outside: dropped
                      [[1, 0], [5, 0]],              # starts inside, leaves on the right
                      [[1.5, -3], [3.5, 0]]], float)  # passes by the corner without entering
    expected = [[[-2, 0.5], [2, 0.5]], [[0, -2], [0, 2]], [[-2, -2], [2, 2]], [[1, 1], [1, 1]],
                [[1, 0], [2, 0]]]
    np.testing.assert_allclose(clip(cases, 2.0), expected)
    rng = np.random.default_rng(2)
    segments = rng.uniform(-6, 6, (300, 2, 2))
    kept = clip(segments, 2.0)
    assert np.all(np.abs(kept) <= 2.0 + 1e-12) and 0 < len(kept) < 300
