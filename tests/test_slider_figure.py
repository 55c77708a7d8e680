"""SliderFigure through its Python API: every control redraws, the picture follows the values,
and bad input is refused with one clear sentence before anything changes."""

import io

import numpy as np
import pytest
from PIL import Image

from mathdl.widgets import SliderFigure
from mathdl.widgets.toolkit import canvas as new_canvas
from mathdl.widgets.toolkit import ipywidgets

W = ipywidgets()


def parabola(fig, a, n, scale, style="solid"):
    """The parabola a·x² drawn with n points, on a y-axis scaled by scale."""
    ax = fig.add_subplot()
    xs = np.linspace(-1, 1, n)
    ax.plot(xs, a * xs**2, linestyle=style)
    ax.set_ylim(-scale, scale)


def make(**overrides):
    sliders = {"a": W.FloatSlider(value=1.0, min=-2.0, max=2.0, step=0.1),
               "n": W.IntSlider(value=50, min=2, max=200),
               "scale": W.FloatLogSlider(value=1.0, base=10, min=-1, max=1),
               "style": W.Dropdown(options=["solid", "dashed"], value="solid")}
    sliders.update(overrides)
    return SliderFigure(parabola, size=(4, 3), **sliders)


def line(sf):
    (ax,) = sf.figure.axes
    (curve,) = ax.get_lines()
    return curve


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_creation_draws_a_static_png_of_the_initial_values():
    sf = make()
    assert sf.values == {"a": 1.0, "n": 50, "scale": 1.0, "style": "solid"}
    xs, ys = line(sf).get_data()
    assert len(xs) == 50 and np.allclose(ys, xs**2)
    shown = sf.picture.output.outputs[0]["data"]
    assert pixels(sf.picture.png).shape == (300, 400, 3)   # 4 × 3 inches at 100 dpi
    assert shown["text/plain"] == ("The parabola a·x² drawn with n points, on a y-axis scaled by "
                                   "scale (a = 1, n = 50, scale = 1, style = solid)")
    data, _ = sf._repr_mimebundle_()
    assert data["image/png"] and "application/vnd.jupyter.widget-view+json" in data


@pytest.mark.parametrize("name, value, check", [
    ("a", -0.5, lambda sf: np.allclose(line(sf).get_ydata(), -0.5 * line(sf).get_xdata() ** 2)),
    ("n", 7, lambda sf: len(line(sf).get_xdata()) == 7),
    ("scale", 10.0, lambda sf: np.allclose(sf.figure.axes[0].get_ylim(), (-10, 10))),
    ("style", "dashed", lambda sf: line(sf).get_linestyle() == "--"),
])
def test_every_control_redraws_through_its_value(name, value, check):
    sf = make()
    before = sf.picture.png
    assert not check(sf)
    sf.controls[name].value = value        # what a reader's drag does
    assert sf.values[name] == value and check(sf)
    assert sf.picture.png != before and not np.array_equal(pixels(sf.picture.png), pixels(before))
    assert f"{name} = " in sf.picture.output.outputs[0]["data"]["text/plain"]


def test_set_moves_several_sliders_and_redraws_once():
    calls = []

    def draw(fig, a, b):
        calls.append((a, b))
        fig.add_subplot().plot([0, 1], [a, b])

    sf = SliderFigure(draw, a=W.FloatSlider(value=0, min=0, max=1),
                      b=W.FloatSlider(value=0, min=0, max=1))
    assert calls == [(0, 0)]
    sf.set(a=0.25, b=0.75)
    assert calls == [(0, 0), (0.25, 0.75)]
    assert list(sf.figure.axes[0].get_lines()[0].get_ydata()) == [0.25, 0.75]


def test_the_figure_is_rebuilt_not_stacked():
    sf = make()
    for a in (0.1, 0.2, 0.3):
        sf.controls["a"].value = a
    assert len(sf.figure.axes) == 1 and len(sf.figure.axes[0].get_lines()) == 1


def test_the_first_picture_is_laid_out_tight_and_later_ones_keep_its_layout():
    sf = make()
    fig, ax = sf.figure, sf.figure.axes[0]
    first = ax.get_position().bounds
    assert first[2] > 0.775                          # wider than matplotlib's default axes
    inside = ax.get_tightbbox(fig.canvas.get_renderer())   # the axes with their tick labels
    assert inside.x0 >= 0 and inside.y0 >= 0 and inside.x1 <= fig.bbox.x1 \
        and inside.y1 <= fig.bbox.y1
    sf.set(a=-1.9, scale=9.5)
    assert sf.figure.axes[0].get_position().bounds == first


def moving_parabola(fig, a, scale, calls=None):
    """The parabola a·x² over a fixed grey reference curve, with a moving title."""
    (calls if calls is not None else []).append("draw")
    ax = fig.add_subplot()
    xs = np.linspace(-1, 1, 40)
    ax.plot(xs, xs**3, color="0.6", lw=6)             # drawn once, kept as a picture
    curve, = ax.plot(xs, 0 * xs, lw=3)
    ax.set_ylim(-scale, scale)                        # scale is not moved: a new figure
    ax.set_xlabel("x")

    def move(a):
        (calls if calls is not None else []).append("move")
        curve.set_ydata(a * xs**2)
        ax.set_title(f"a = {a:.2f}")
        return curve, ax.title
    return move


def moving(a=1.0, scale=1.0, calls=None, still=False):
    """The SliderFigure of moving_parabola; ``still``: the same picture, drawn whole every time
    (its draw applies move itself and returns nothing)."""
    def draw(fig, a, scale):
        move = moving_parabola(fig, a, scale, calls)
        return move(a) and None if still else move
    return SliderFigure(draw, size=(4, 3), a=W.FloatSlider(value=a, min=-2.0, max=2.0, step=0.1),
                        scale=W.FloatLogSlider(value=scale, base=10, min=-1, max=1))


def test_moving_parts_are_repainted_and_the_picture_is_the_one_a_fresh_figure_shows():
    calls = []
    sf, whole = moving(calls=calls), moving(still=True)
    assert calls == ["draw", "move"]
    np.testing.assert_array_equal(pixels(sf.picture.png), pixels(whole.picture.png))
    before = sf.picture.png
    sf.controls["a"].value = -0.5                    # only the curve and the title move
    assert calls[2:] == ["move"]
    assert not np.array_equal(pixels(sf.picture.png), pixels(before))
    np.testing.assert_array_equal(pixels(sf.picture.png), pixels(moving(a=-0.5).picture.png))
    sf.set(a=1.5, scale=3.0)                         # move() does not take scale: rebuilt
    assert calls[3:] == ["draw", "move"]
    whole.set(a=1.5, scale=3.0)
    np.testing.assert_array_equal(pixels(sf.picture.png), pixels(whole.picture.png))
    sf.controls["a"].value = 0.0                     # and moves are fast again afterwards
    assert calls[5:] == ["move"]
    whole.controls["a"].value = 0.0
    np.testing.assert_array_equal(pixels(sf.picture.png), pixels(whole.picture.png))
    assert "a = 0" in sf.picture.output.outputs[0]["data"]["text/plain"]


def test_a_move_that_changes_the_limits_gets_its_axes_drawn_again():
    def draw(fig, top):
        ax = fig.add_subplot()
        line, = ax.plot([0, 1], [0, 1])

        def move(top):
            ax.set_ylim(-1, top)                     # limits belong in draw; still handled
            line.set_ydata([0, top])
            return (line,)
        return move

    def whole(fig, top):
        draw(fig, top)(top)

    sf, still = (SliderFigure(f, size=(3, 2), top=W.FloatSlider(value=1.0, min=1.0, max=5.0))
                 for f in (draw, whole))
    sf.controls["top"].value = still.controls["top"].value = 4.0
    np.testing.assert_array_equal(pixels(sf.picture.png), pixels(still.picture.png))
    assert sf.figure.axes[0].get_ylim() == (-1, 4.0)


@pytest.mark.parametrize("returned, words", [
    (lambda fig, a: 42, "returned int; it should return nothing, or a function move"),
    (lambda fig, a: (lambda a: "curve"), "artists of this figure that it changed"),
    (lambda fig, a: (lambda a: new_canvas(1, 1).text(0, 0, "elsewhere")),
     "artists of this figure that it changed"),
])
def test_a_draw_or_move_that_returns_the_wrong_thing_is_told_so(returned, words):
    def draw(fig, a):
        fig.add_subplot()
        return returned(fig, a)

    with pytest.raises(TypeError, match=words):
        SliderFigure(draw, a=W.FloatSlider(value=0.0, min=0.0, max=1.0))


def test_a_log_slider_is_checked_in_values_not_exponents():
    sf = make()
    sf.set(scale=0.1)                        # 10**-1, the low end
    with pytest.raises(ValueError, match=r"scale must be a finite number in \[0.1, 10\], got 0.05"):
        sf.set(scale=0.05)


def test_the_figure_stays_out_of_pyplot():
    import matplotlib.pyplot as plt
    before = plt.get_fignums()
    make()
    assert plt.get_fignums() == before


@pytest.mark.parametrize("args, kwargs, error, words", [
    (("not a function",), {"a": W.FloatSlider()}, TypeError, "drawing function"),
    ((parabola,), {}, ValueError, "at least one slider"),
    ((parabola,), {"a": 0.5}, TypeError, "slider 'a' must be an ipywidgets control"),
    ((lambda fig, a: None,), {"b": W.FloatSlider()}, TypeError, "keyword arguments b"),
    ((lambda fig, a: None,), {"a": W.FloatSlider(), "size": (4, -1)}, ValueError,
     "height must be a finite number in (0, ∞), got -1"),
    ((lambda fig, a: None,), {"a": W.FloatSlider(), "size": 4}, ValueError,
     "size must be (width, height)"),
])
def test_bad_construction_is_one_clear_sentence(args, kwargs, error, words):
    with pytest.raises(error) as info:
        SliderFigure(*args, **kwargs)
    message = str(info.value)
    assert words in message and message.count(". ") == 0 and message.endswith(".")


@pytest.mark.parametrize("values, error, words", [
    ({"b": 1.0}, ValueError, "unknown slider 'b'; choose one of: a, n, scale, style"),
    ({"a": 5.0}, ValueError, "a must be a finite number in [-2, 2], got 5.0"),
    ({"n": 2.5}, ValueError, "n must be a whole number >= 2 and <= 200, got 2.5"),
    ({"a": "big"}, ValueError, "a must be a finite number in [-2, 2], got 'big'"),
    ({"a": float("nan")}, ValueError, "a must be a finite number in [-2, 2], got nan"),
    ({"style": "dotted"}, ValueError, "unknown value for 'style' 'dotted'"),
    ({"a": 0.5, "n": 1}, ValueError, "n must be a whole number >= 2"),   # the good a is not applied
])
def test_bad_values_change_nothing(values, error, words):
    sf = make()
    before, png = sf.values, sf.picture.png
    with pytest.raises(error) as info:
        sf.set(**values)
    assert words in str(info.value)
    assert sf.values == before and sf.picture.png == png


def test_a_slider_moved_on_another_thread_redraws_on_the_main_one(monkeypatch):
    """JupyterLab 4.4+ delivers widget messages on a kernel subshell's thread; a redraw there
    would draw beside the main thread (that kills the kernel), so it is queued instead."""
    import threading
    import types

    import IPython

    queued = []
    loop = types.SimpleNamespace(add_callback=lambda f, *args: queued.append((f, args)))
    monkeypatch.setattr(IPython, "get_ipython",
                        lambda: types.SimpleNamespace(kernel=types.SimpleNamespace(io_loop=loop)))
    sf = make()
    before = sf.picture.png
    worker = threading.Thread(target=lambda: setattr(sf.controls["a"], "value", -1.5))
    worker.start()
    worker.join()
    assert len(queued) == 1 and sf.picture.png == before          # nothing drawn on that thread
    f, args = queued[0]
    f(*args)                                                    # the main loop runs it
    assert np.allclose(line(sf).get_ydata()[[0, -1]], -1.5) and sf.picture.png != before


def test_a_move_may_make_its_legend_anew_each_time():
    def draw(fig, a, whole=False):
        ax = fig.add_subplot()
        xs = np.linspace(-1, 1, 30)
        ax.plot(xs, xs, color="0.6", label="fixed")
        curve, = ax.plot(xs, 0 * xs)
        ax.set_ylim(-2, 2)

        def move(a):
            curve.set_ydata(a * xs**2)
            curve.set_label(f"a = {a:.1f}")
            return curve, ax.legend(loc="upper left")   # a new Legend on every call
        return move(a) and None if whole else move

    sf = SliderFigure(draw, size=(3, 2), a=W.FloatSlider(value=1.0, min=-2.0, max=2.0))
    whole = SliderFigure(lambda fig, a: draw(fig, a, True), size=(3, 2),
                         a=W.FloatSlider(value=1.0, min=-2.0, max=2.0))
    for a in (0.5, -1.5, 2.0):
        sf.set(a=a)
        whole.set(a=a)
        np.testing.assert_array_equal(pixels(sf.picture.png), pixels(whole.picture.png))
    assert sf.picture.builds == 1 and len(sf.figure.axes[0].get_children()) == \
        len(whole.figure.axes[0].get_children())
