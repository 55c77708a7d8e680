"""EntropyExplorer through its Python API: the model's numbers against independent formulas,
every setting, preset and control, bad input changing nothing, and partial repaints giving
exactly the pixels of a full draw. The model needs neither matplotlib nor ipywidgets."""

import io
import math
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from mathdl.widgets import EntropyExplorer
from mathdl.widgets.entropy import MAX_OUTCOMES, PRESETS, EntropyModel, resize, reweigh


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def full_draw(widget):
    """The pixels a full draw of the widget's current state gives (same layout)."""
    shown, builds = widget.picture.png, widget.picture.builds
    widget.refresh(rebuild=True)
    drawn = widget.picture.png
    widget.picture.png, widget.picture.builds = shown, builds
    return pixels(drawn)


def entropy_by_hand(p, base):
    """-Σ p log p, written out term by term (0 · log 0 = 0)."""
    return sum(-pi * math.log(pi, base) for pi in p if pi > 0)


# ---- the model ------------------------------------------------------------------------------
def test_the_model_imports_without_matplotlib_or_ipywidgets():
    code = ("import sys\nfrom mathdl.widgets.entropy import EntropyModel\n"
            "m = EntropyModel((1, 1, 2), q=(1, 1, 1))\nassert abs(m.entropy - 1.5) < 1e-12\n"
            "bad = [x for x in ('matplotlib', 'ipywidgets') if x in sys.modules]\n"
            "assert not bad, bad\nprint('light')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "light", result.stderr


def test_p_and_q_are_normalised_copies():
    m = EntropyModel(p=[2, 1, 1], q=np.array([1.0, 1.0, 2.0]))
    np.testing.assert_allclose(m.p, [0.5, 0.25, 0.25])
    np.testing.assert_allclose(m.q, [0.25, 0.25, 0.5])
    m.p[0] = 99.0                                   # a copy: the model is untouched
    assert m.p[0] == 0.5 and m.outcomes == 3


@pytest.mark.parametrize("base, unit", [(2, "bits"), ("e", "nats"), (math.e, "nats"),
                                        (10, "hartleys"), (10.0, "hartleys")])
def test_the_quantities_in_every_base(base, unit):
    p, q = [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]
    m = EntropyModel(p, q, base=base)
    b = {"e": math.e}.get(base, base)
    assert m.unit == unit
    assert m.entropy == pytest.approx(entropy_by_hand(p, b), rel=1e-12)
    assert m.cross_entropy == pytest.approx(-sum(pi * math.log(qi, b) for pi, qi in zip(p, q)))
    assert m.kl == pytest.approx(sum(pi * math.log(pi / qi, b) for pi, qi in zip(p, q)))
    assert m.cross_entropy == pytest.approx(m.entropy + m.kl)            # H(p, q) = H + KL
    np.testing.assert_allclose(m.surprisal, [-math.log(pi, b) for pi in p])
    np.testing.assert_allclose(m.q_surprisal, [-math.log(qi, b) for qi in q])
    assert m.entropy == pytest.approx(np.dot(m.p, m.surprisal))         # the average surprisal
    assert m.max_entropy == pytest.approx(math.log(3, b))


def test_known_values_and_the_edge_cases():
    assert EntropyModel((1, 1, 1, 1)).entropy == pytest.approx(2.0)            # 4 outcomes: 2 bits
    assert EntropyModel((1,) * 8).entropy == pytest.approx(3.0)
    certain = EntropyModel((1, 0, 0), q=(1, 1, 1))
    assert certain.entropy == 0 and np.isinf(certain.surprisal[1:]).all()   # 0 · log 0 = 0
    assert certain.cross_entropy == pytest.approx(math.log2(3)) == certain.kl
    m = EntropyModel((0.5, 0.5), q=(1, 0))                                # q rules out outcome 2
    assert m.cross_entropy == math.inf and m.kl == math.inf
    m.set(q=m.p)
    assert m.kl == 0 and m.cross_entropy == m.entropy == pytest.approx(1.0)
    m.set(q=None)
    assert m.q is None and m.cross_entropy is None and m.kl is None and m.q_surprisal is None


def test_entropy_is_largest_at_uniform_by_search():
    rng = np.random.default_rng(0)
    m = EntropyModel()
    for k in range(2, MAX_OUTCOMES + 1):
        best = max(EntropyModel(rng.dirichlet(np.ones(k))).entropy for _ in range(300))
        m.set(p=np.ones(k))
        assert best < m.entropy == pytest.approx(m.max_entropy) == pytest.approx(math.log2(k))


@pytest.mark.parametrize("values, words", [
    (dict(p=(0.5, -0.1, 0.6)), "p[1] must be a finite number in [0, ∞), got -0.1."),
    (dict(p=(0.0, 0.0)), "p needs at least one positive entry (it is divided by its sum), "
                         "got (0.0, 0.0)."),
    (dict(p=(1.0,)), "The number of outcomes of p must be a whole number >= 2 and <= 8, got 1."),
    (dict(p=(1,) * 9), "got 9."),
    (dict(p="0.5 0.5"), "p must be a sequence of probabilities or weights"),
    (dict(p=(0.5, float("nan"))), "p[1] must be a finite number in [0, ∞), got nan."),
    (dict(q=(0.5, 0.5)), "p has 3 outcomes but q has 2; give both with the same number"),
    (dict(p=(0.5, 0.5, 0, 0), q=(1, 1, 1)), "p has 4 outcomes but q has 3"),
    (dict(q=(1, 2, -3)), "q[2] must be a finite number in [0, ∞), got -3."),
    (dict(base=3), "unknown base 3; choose one of: 2, e, 10."),
    (dict(base="bits", p=(1, 1, 1)), "unknown base 'bits'; choose one of: 2, e, 10."),
])
def test_bad_values_are_refused_and_change_nothing(values, words):
    m = EntropyModel(q=(1, 1, 1))
    before = (m.p, m.q, m.base)
    with pytest.raises(ValueError) as info:
        m.set(**values)
    assert words in str(info.value)
    assert np.array_equal(m.p, before[0]) and np.array_equal(m.q, before[1]) \
        and m.base == before[2]


def test_a_slider_sets_one_probability_and_the_others_keep_their_ratios():
    p = reweigh(np.array([0.5, 0.3, 0.2]), 0, 0.8)
    np.testing.assert_allclose(p, [0.8, 0.12, 0.08])
    np.testing.assert_allclose(reweigh(np.array([1.0, 0.0, 0.0]), 0, 0.4), [0.4, 0.3, 0.3])
    np.testing.assert_allclose(reweigh(np.array([0.5, 0.5]), 1, 1.0), [0.0, 1.0])
    np.testing.assert_allclose(resize(np.array([0.5, 0.5]), 4), [0.25] * 4)
    np.testing.assert_allclose(resize(np.array([0.5, 0.3, 0.2]), 4), [0.375, 0.225, 0.15, 0.25])
    np.testing.assert_allclose(resize(np.array([0.5, 0.3, 0.2]), 2), [0.625, 0.375])
    np.testing.assert_allclose(resize(np.array([0.0, 0.0, 1.0]), 2), [0.5, 0.5])


# ---- the view -------------------------------------------------------------------------------
def test_the_contract_and_the_static_picture():
    ee = EntropyExplorer()
    np.testing.assert_allclose(ee.p, [0.5, 0.3, 0.2])
    assert ee.q is None and ee.kl is None and ee.cross_entropy is None and ee.base == 2
    assert ee.entropy == pytest.approx(entropy_by_hand([0.5, 0.3, 0.2], 2))
    assert pixels(ee.picture.png).shape == (340, 1000, 3)
    data, _ = ee._repr_mimebundle_()
    assert data["image/png"] and "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"] == "EntropyExplorer: p = (0.5, 0.3, 0.2), H(p) = 1.485 bits"
    assert "H(p)" in ee.panel.value and "1.485" in ee.panel.value
    probs, bits, totals, binary = ee.figure.axes          # the last shown for two outcomes
    assert totals.get_visible() and not binary.get_visible()
    assert [b.get_height() for b in probs.patches[:3]] == pytest.approx([0.5, 0.3, 0.2])
    assert [b.get_height() for b in bits.patches[:3]] == pytest.approx(ee.surprisal)
    assert bits.get_title() == "-log pᵢ; dashed: H(p) = Σ pᵢ · (-log pᵢ)\n(no q)"
    assert "H(p) = 1.49 bits" in [t.get_text() for t in totals.texts]


@pytest.mark.parametrize("values", [dict(p=(0.1, 0.6, 0.3)), dict(q=(0.2, 0.3, 0.5)),
                                    dict(p=(0.25,) * 4, q=(0.7, 0.1, 0.1, 0.1)),
                                    dict(base="e"), dict(base=10, q=(1, 1, 1)),
                                    dict(p=(0.9, 0.1), q=(0.6, 0.4))])
def test_every_setting_changes_the_picture_as_a_full_draw_would(values):
    ee = EntropyExplorer()
    before = ee.picture.png
    ee.set(**values)
    assert ee.picture.png != before
    np.testing.assert_array_equal(pixels(ee.picture.png), full_draw(ee))


def test_moves_repaint_without_rebuilding_and_match_a_full_draw():
    ee = EntropyExplorer(q=(0.2, 0.3, 0.5))
    rng = np.random.default_rng(1)
    for _ in range(5):
        ee.set(p=rng.dirichlet(np.ones(3)), q=rng.dirichlet(np.ones(3)))
        np.testing.assert_array_equal(pixels(ee.picture.png), full_draw(ee))
    ee.set(q=None)                                  # q's parts hide, still without a rebuild
    np.testing.assert_array_equal(pixels(ee.picture.png), full_draw(ee))
    ee.set(q=(0, 1, 1))                             # an infinite cross-entropy
    np.testing.assert_array_equal(pixels(ee.picture.png), full_draw(ee))
    assert ee.picture.builds == 1 and "infinite" in ee.banner.value
    for base, unit in (("e", "nats"), (10, "hartleys"), (2, "bits")):   # a new unit: the
        ee.set(base=base)                                                 # axes relabelled
        np.testing.assert_array_equal(pixels(ee.picture.png), full_draw(ee))
        assert ee.figure.axes[1].get_ylabel() == f"surprisal ({unit})"
        assert ee.figure.axes[2].texts[0].get_text().endswith(f" {unit}")   # H(p) = … nats
    assert ee.picture.builds == 1
    ee.set(p=(1, 2), q=None)                        # two outcomes: the binary entropy curve
    np.testing.assert_array_equal(pixels(ee.picture.png), full_draw(ee))     # in the totals'
    ee.set(base="e", q=(0.3, 0.7))                  # place, in nats: still no new figure
    np.testing.assert_array_equal(pixels(ee.picture.png), full_draw(ee))
    curve = ee.figure.axes[3].get_lines()[0]
    assert max(curve.get_ydata()) == pytest.approx(1.0)            # drawn in bits: 1 bit,
    assert reads_in_unit(ee.figure.axes[3].yaxis, ee.base)          # read as ln 2 nats
    assert ee.figure.axes[3].get_ylabel() == "nats" and ee.picture.builds == 1


def reads_in_unit(axis, base):
    """True when an axis drawn in bits is labelled in the unit of ``base``: a tick at t bits
    reads t · log_base(2), from 0 in equal steps of 1, 2 or 5 times a power of ten."""
    ticks = axis.get_majorticklocs()
    labels = np.array([float(t.get_text()) for t in axis.get_ticklabels()])
    step = np.diff(labels)
    mantissa = step[0] / 10 ** np.floor(np.log10(step[0]))
    return (np.allclose(labels, ticks * math.log(2, base)) and labels[0] == 0
            and len(labels) >= 3 and np.allclose(step, step[0])
            and min(abs(mantissa - m) for m in (1, 2, 5)) < 1e-9)


@pytest.mark.parametrize("p", [(0.5, 0.3, 0.2), (0.9, 0.1)])
def test_axis_labels_placed_by_hand_clear_the_tick_labels_in_every_unit(p):
    """An x label sits under its tick labels, as matplotlib places it; a y label stays put in
    every unit, clear of the widest tick labels (those of the unit with the most digits)."""
    ee = EntropyExplorer(p=p, q=np.full(len(p), 1 / len(p)))
    gaps, places = {}, {}
    for base in (2, "e", 10):
        ee.set(base=base)
        renderer = ee.figure.canvas.get_renderer()
        for n, ax in enumerate(ax for ax in ee.figure.axes[1:] if ax.get_visible()):
            ticks = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
            label = (ax.xaxis.label if ax.get_xlabel() else     # or a still text under the
                     next(t for t in ax.texts if t.get_text() == "outcome i"))   # moving axis
            label = label.get_window_extent(renderer)
            assert 2 <= min(t.y0 for t in ticks) - label.y1 <= 10
            if ax.get_ylabel():
                ticks = [t.get_window_extent(renderer) for t in ax.get_yticklabels()]
                label = ax.yaxis.label.get_window_extent(renderer)
                gaps.setdefault(n, []).append(min(t.x0 for t in ticks) - label.x1)
                places.setdefault(n, set()).add(round(label.x1, 6))
    for n in gaps:                                  # the surprisal axis, and h(p₁)'s
        assert 2 <= min(gaps[n]) <= 10 and len(places[n]) == 1


def test_another_number_of_outcomes_moves_parts_and_builds_no_new_figure():
    """No axes changes its limits: outcome i sits in the middle of [i/K, (i+1)/K], the totals'
    axis counts in units of log K (log K at 1), and with two outcomes the binary entropy curve
    is shown in the totals' place."""
    ee = EntropyExplorer(q=(0.2, 0.3, 0.5))
    for k in (5, 8, 2, 3, 6, 2, 4):
        ee.controls["outcomes"].value = k
        assert ee.outcomes == k and len(ee.q) == k
        np.testing.assert_array_equal(pixels(ee.picture.png), full_draw(ee))
        probs, bits, totals, binary = ee.figure.axes
        assert totals.get_visible() == (k > 2) and binary.get_visible() == (k == 2)
        assert probs.get_xlim() == bits.get_xlim() == (0, 1) and totals.get_xlim() == (0, 2.2)
        for ax in (probs, bits):                     # p's bar and q's meet on each tick
            shown = [b for b in ax.patches if b.get_visible()]
            p_bars, q_bars = shown[:k], shown[k:]
            assert len(q_bars) == k
            np.testing.assert_allclose([b.get_x() + b.get_width() for b in p_bars],
                                       (np.arange(k) + 0.5) / k)
            np.testing.assert_allclose([b.get_x() for b in q_bars], ax.get_xticks())
            np.testing.assert_allclose(ax.get_xticks(), (np.arange(k) + 0.5) / k)
            assert [t.get_text() for t in ax.get_xticklabels()] == [str(i + 1) for i in range(k)]
        if k > 2:
            assert totals.patches[0].get_width() * math.log2(k) == pytest.approx(ee.entropy)
            assert [t.get_text() for t in totals.get_xticklabels()] == ["0", "log K", "2 log K"]
            assert totals.texts[-1].get_text() == f" uniform: log₂ {k}"
    assert ee.picture.builds == 1


def test_a_probability_slider_repaints_the_bars_but_not_the_outcome_axes(monkeypatch):
    """The outcome axes have no tick marks, so the bars' feet stay clear of them: a slider move
    repaints bars, lines and texts, and the axes only when the number of outcomes (or the unit)
    changes."""
    from matplotlib.axis import Axis
    ee = EntropyExplorer(q=(0.2, 0.3, 0.5))
    drawn, draw = [], Axis.draw
    monkeypatch.setattr(Axis, "draw", lambda axis, renderer: (drawn.append(axis),
                                                               draw(axis, renderer)))
    for value in (0.2, 0.7, 0.05):
        ee.controls["p1"].value = value
        np.testing.assert_array_equal(pixels(ee.picture.png), full_draw(ee))
        drawn.clear()
        ee.controls["p2"].value = value / 2
        probs, bits = ee.figure.axes[:2]             # (the full draw made new ones)
        assert drawn == []                           # no tick marks on the surprisal axis
                                                     # either: the lines' ends stay clear
    ee.controls["outcomes"].value = 4
    assert probs.xaxis in drawn and bits.xaxis in drawn


@pytest.mark.parametrize("p", [(0.5, 0.3, 0.2), (0.9, 0.1), (0.125,) * 8])
def test_a_new_unit_moves_nothing_but_relabels_the_axes(p):
    """The picture is drawn in bits; 1 nat = 1/ln 2 bits, so another unit keeps every bar and
    line where it is and relabels the surprisal axis (and the binary entropy curve's); the
    totals count in units of log K in any unit, and their numbers say which."""
    ee = EntropyExplorer(p=p, q=np.full(len(p), 1 / len(p)))
    bits, totals, binary = ee.figure.axes[1:]
    def drawn():                                    # every bar's box and line's points
        panels = (bits, totals, binary)
        return np.concatenate([*(b.get_bbox().bounds for ax in panels for b in ax.patches),
                               *(np.ravel(line.get_xydata()) for ax in panels
                                 for line in ax.lines)])
    before = drawn()
    for base in ("e", 10, 2):
        ee.set(base=base)
        np.testing.assert_allclose(drawn(), before, rtol=1e-12, atol=1e-12)
        assert bits.get_ylim() == (0, 7)                            # 7 bits, in any unit
        assert reads_in_unit(bits.yaxis, ee.base)
        if len(p) == 2:
            assert reads_in_unit(binary.yaxis, ee.base)
        else:
            assert [t.get_text() for t in totals.get_xticklabels()] == ["0", "log K", "2 log K"]
            assert totals.texts[0].get_text().endswith(f" {ee.unit}")
        assert float(bits.get_yticklabels()[-1].get_text()) <= 7 * math.log(2, ee.base) + 1e-9
    assert [t.get_text() for t in bits.get_yticklabels()] == ["0", "2", "4", "6"]
    assert ee.picture.builds == 1


def test_two_outcomes_mark_p_on_the_binary_entropy_curve_and_q_on_its_tangent():
    ee = EntropyExplorer(p=(0.9, 0.1), q=(0.6, 0.4))
    curve_axes = ee.figure.axes[3]
    curve, tangent, gap, dots, touch = curve_axes.get_lines()
    t, h = curve.get_data()
    assert h[np.argmax(h)] == pytest.approx(1.0) and t[np.argmax(h)] == pytest.approx(0.5)
    np.testing.assert_allclose(dots.get_xdata(), [0.9, 0.9])
    np.testing.assert_allclose(dots.get_ydata(), [ee.entropy, ee.cross_entropy])
    np.testing.assert_allclose(gap.get_ydata(), [ee.entropy, ee.entropy + ee.kl])
    # H(p, q) as a function of p₁ is the line tangent to h at q₁: same value, same slope
    (x0, x1), (y0, y1) = tangent.get_data()
    q1 = 0.6
    h_q = entropy_by_hand([q1, 1 - q1], 2)
    assert y0 + (y1 - y0) * q1 == pytest.approx(h_q)
    assert (y1 - y0) / (x1 - x0) == pytest.approx(math.log2((1 - q1) / q1))   # h'(q₁)
    np.testing.assert_allclose(np.ravel(touch.get_data()), [q1, h_q])
    ee.set(q=None)                                  # without q: only the point on the curve
    assert [line.get_visible() for line in (tangent, gap, touch, dots)] == [0, 0, 0, 1]
    assert len(dots.get_xdata()) == 1
    assert not any(b.get_visible() for b in ee.figure.axes[0].patches[2:])   # no q bars
    centres = [b.get_x() + b.get_width() / 2 for b in ee.figure.axes[0].patches[:2]]
    assert centres == pytest.approx([0.25, 0.75]) and ee.figure.axes[0].get_title() == "pᵢ"


def test_the_totals_bar_stacks_kl_on_the_entropy():
    ee = EntropyExplorer(q=(0.2, 0.3, 0.5))
    h_row, h_part, kl_part = ee.figure.axes[2].patches   # in units of log 3 bits
    assert h_row.get_width() == pytest.approx(ee.entropy / math.log2(3)) == h_part.get_width()
    assert kl_part.get_x() == pytest.approx(ee.entropy / math.log2(3))
    assert kl_part.get_width() == pytest.approx(ee.kl / math.log2(3))
    assert "1.88 = 1.49 + KL 0.397 bits" in [t.get_text() for t in ee.figure.axes[2].texts]
    ee.set(q=None)
    assert h_row.get_visible() and not h_part.get_visible() and not kl_part.get_visible()
    assert "no q: press 'compare with q'" in [t.get_text() for t in ee.figure.axes[2].texts]


def test_surprisals_beyond_the_axis_are_written_at_its_top():
    ee = EntropyExplorer(p=(1, 0, 0))                   # outcomes 2 and 3: infinite surprisal
    bits = ee.figure.axes[1]
    caps = [t for t in bits.texts if t.get_bbox_patch()]      # on white, over the bars
    assert len(caps) == 16 and all(t.get_bbox_patch().get_facecolor() == (1, 1, 1, 1)
                                   for t in caps)
    shown = [(t.get_text(), *t.get_position()) for t in caps if t.get_text()]
    ticks = bits.get_xticks()                       # outcome i's tick at (i + 0.5) / 3
    assert shown == [("∞", pytest.approx(ticks[1]), 0.97 * 7),   # over p's bars, under 7 bits
                     ("∞", pytest.approx(ticks[2]), 0.97 * 7)]
    ee.set(q=(0.98, 0.01, 0.01), base="e")              # -ln 0.01 = 4.6 nats is below the top
    shown = [(t.get_text(), *t.get_position()) for t in caps if t.get_text()]
    assert shown == [("∞", pytest.approx(ticks[1] - 0.2 / 3), pytest.approx(0.97 * 7)),
                     ("∞", pytest.approx(ticks[2] - 0.2 / 3), pytest.approx(0.97 * 7))]
    assert bits.get_ylim()[1] == 7                              # 7 bits = 4.85 nats


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_button_sets_its_p_and_greys_out(name):
    ee = EntropyExplorer(q=(1, 1, 1))
    button = ee.controls[name]
    assert not button.disabled
    button.click()
    np.testing.assert_allclose(ee.p, PRESETS[name](3))       # k = 3 for the first three
    assert button.disabled and ee.q is not None and len(ee.q) == ee.outcomes
    np.testing.assert_array_equal(pixels(ee.picture.png), full_draw(ee))


def test_the_first_button_changes_the_figure_whatever_the_state():
    """The browser test presses the first enabled button: a preset, never the current one."""
    for p in [(0.5, 0.3, 0.2), (1, 1, 1), (1, 1)]:
        ee = EntropyExplorer(p=p)
        first = next(c for c in ee.widget.children[0].children if not c.disabled)
        before = ee.picture.png
        first.click()
        assert ee.picture.png != before


def test_the_sliders_toggle_and_copy_button():
    ee = EntropyExplorer()
    assert [ee.controls[f"p{i}"].layout.display for i in (1, 3, 4)] == [None, None, "none"]
    assert ee.controls["q1"].layout.display == "none" and ee.controls["q = p"].disabled
    ee.controls["p1"].value = 0.8                       # the others keep their ratio 3 : 2
    np.testing.assert_allclose(ee.p, [0.8, 0.12, 0.08])
    assert ee.controls["p2"].value == pytest.approx(0.12)
    ee.controls["compare with q"].value = True
    np.testing.assert_allclose(ee.q, [1 / 3] * 3)
    assert ee.controls["q1"].layout.display is None
    ee.controls["q3"].value = 0.5
    np.testing.assert_allclose(ee.q, [0.25, 0.25, 0.5])
    ee.controls["q = p"].click()
    assert ee.kl == 0 and ee.controls["q = p"].disabled
    ee.controls["outcomes"].value = 5
    assert ee.outcomes == 5 and len(ee.q) == 5 and ee.controls["p5"].layout.display is None
    ee.controls["compare with q"].value = False
    assert ee.q is None
    ee.controls["base"].value = 10.0
    assert ee.unit == "hartleys" and ee.entropy == pytest.approx(entropy_by_hand(ee.p, 10))
    np.testing.assert_array_equal(pixels(ee.picture.png), full_draw(ee))


def test_sliders_are_set_on_their_grid_so_no_browser_echo_comes_back():
    """A slider given 0.3333… is snapped to 0.33 by the browser, which sends 0.33 back; arriving
    after later changes (say p = (0.5, 0.3, 0.2)), that echo would look like a reader's move and
    reweigh p. So the sliders are given values on their grid; the model keeps the exact ones."""
    ee = EntropyExplorer(q=(1, 1, 1))
    for p in [(1, 1, 1), (1, 2, 4), (0.5, 0.3, 0.2)]:
        ee.set(p=p)
        for name in ("p1", "p2", "p3", "q1", "q2", "q3"):
            value = ee.controls[name].value
            assert value == round(value, 2), (name, value)
    np.testing.assert_allclose(ee.p, [0.5, 0.3, 0.2])
    ee.set(p=(1, 1, 1))
    assert ee.controls["p1"].value == 0.33 and ee.p[0] == pytest.approx(1 / 3)
    ee.controls["p1"].value = 0.33 + 1e-12            # the same notch, sent back: no change
    np.testing.assert_allclose(ee.p, [1 / 3] * 3)


def test_bad_input_through_the_view_changes_nothing():
    ee = EntropyExplorer(q=(1, 1, 1))
    png, p = ee.picture.png, ee.p
    with pytest.raises(ValueError, match=r"unknown setting 'r'; choose one of: p, q, base\.$"):
        ee.set(p=(1, 1), r=2)
    with pytest.raises(ValueError, match=r"p\[0\] must be a finite number in \[0, ∞\), got -1"):
        ee.set(p=(-1, 1, 1), base=10)
    assert np.array_equal(ee.p, p) and ee.base == 2 and ee.picture.png == png


def test_controls_moved_on_another_thread_run_on_the_main_one(monkeypatch):
    import threading
    import types

    import IPython

    queued = []
    loop = types.SimpleNamespace(add_callback=lambda f, *args: queued.append((f, args)))
    monkeypatch.setattr(IPython, "get_ipython",
                        lambda: types.SimpleNamespace(kernel=types.SimpleNamespace(io_loop=loop)))
    ee = EntropyExplorer()
    worker = threading.Thread(target=lambda: (setattr(ee.controls["p2"], "value", 0.6),
                                              ee.controls["uniform"].click()))
    worker.start()
    worker.join()
    assert len(queued) == 2 and ee.p[1] == pytest.approx(0.3)     # nothing ran on that thread
    for f, args in queued:
        f(*args)
    np.testing.assert_allclose(ee.p, [1 / 3] * 3)
