"""The widget toolkit: the example in its docstring works, partial repaints give exactly the
pixels of a full draw, controls run through the model's checks, and models need no matplotlib."""

import io
import math
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PIL import Image

import mathdl.widgets.toolkit as tk
from mathdl import checks

W = tk.ipywidgets()


def docstring_example():
    """The module docstring's example widget, run as written (so the docstring stays true)."""
    code = textwrap.dedent(tk.__doc__.split("::\n", 1)[1].split("\n\n``LineExplorer()``")[0])
    namespace = {"np": np, "checks": checks, **{name: getattr(tk, name) for name in tk.__all__}}
    exec(code, namespace)
    return namespace["Line"], namespace["LineExplorer"]


Line, LineExplorer = docstring_example()


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def full_draw(widget):
    """What a full draw of the widget's current state shows (in the same layout: the first
    figure's margins are kept), checked to be the picture a brand-new widget shows too."""
    shown, builds = widget.picture.png, widget.picture.builds
    widget.refresh(rebuild=True)
    drawn = widget.picture.png
    widget.picture.png, widget.picture.builds = shown, builds
    return pixels(drawn)


def test_the_docstring_example_draws_reads_and_moves():
    lx = LineExplorer(a=0.5)
    assert lx.error == Line(0.5, 0.0).error and lx.a == 0.5        # read from the model
    assert lx.picture.builds == 1 and lx.picture.png.startswith(b"\x89PNG")
    assert "squared error" in lx.panel.value
    before = lx.picture.png
    lx.set(a=0.75, b=0.5)
    assert lx.picture.builds == 1 and lx.picture.paints == 1          # moved, not rebuilt
    assert lx.controls["a"].value == 0.75 and lx.picture.png != before
    np.testing.assert_array_equal(pixels(lx.picture.png), full_draw(lx))


def test_many_moves_always_give_the_pixels_of_a_full_draw():
    rng = np.random.default_rng(0)
    lx = LineExplorer()
    for _ in range(8):
        a, b = (float(v) for v in np.round(rng.uniform(-2, 2, 2), 1))
        lx.set(a=a, b=b)
        np.testing.assert_array_equal(pixels(lx.picture.png), full_draw(lx))
    fresh = LineExplorer(a=lx.a, b=lx.b)       # same limits, so the same layout
    np.testing.assert_array_equal(pixels(lx.picture.png), pixels(fresh.picture.png))


def one_setting(name, value, check):
    """A model holding one value, ``name``, that its ``set(name=...)`` checks with ``check``."""
    model = type("Model", (), {name: value})()
    model.set = lambda **values: setattr(model, name, check(values[name]))
    return model


class Bars(tk.Widget):
    """Two axes: a moving bar whose axes rescale when it grows, and a still text panel; plus
    a moving text drawn over a still line, and a title that is part of the figure."""

    size, moving = (5, 2.5), ("h",)

    def __init__(self, h=1.0):
        model = one_setting("h", h, lambda h: checks.number("h", h, low=0, high=100))
        super().__init__(model, settings={"h": tk.slider(0, 100, 0.5, "h", value=h)},
                         actions={"double": (tk.button("double"),
                                             lambda: model.set(h=min(2 * model.h, 100)))})

    def draw(self, fig):
        ax, side = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
        side.plot([0, 1], [0, 1], color="0.5", lw=4)
        fig.suptitle("bars")
        bar = ax.bar([0], [self.model.h])[0]
        label = side.text(0.5, 0.5, "", ha="center")

        def move():
            bar.set_height(self.model.h)
            ax.set_ylim(0, 10 ** np.ceil(np.log10(max(self.model.h, 1e-3))))
            label.set_text(f"h = {self.model.h:g}")
            return [bar, label]
        return move


def test_an_axes_that_changes_its_limits_is_drawn_again_without_a_rebuild():
    w = Bars(h=2.0)
    w.set(h=3.0)                                       # same decade: a plain repaint
    w.set(h=30.0)                                      # limits 0..10 → 0..100
    assert w.figure.axes[0].get_ylim() == (0, 100)
    assert w.picture.builds == 1 and w.picture.paints == 2
    np.testing.assert_array_equal(pixels(w.picture.png), full_draw(w))
    w.set(h=4.0)                                       # and back (a cached picture of the rest)
    np.testing.assert_array_equal(pixels(w.picture.png), full_draw(w))


class Ruler(tk.Widget):
    """A bar of fixed length read in a chosen unit: another unit relabels the axis (a moving
    part: its ticks, labels and grid lines), and the bar stays where it is."""

    size, moving = (3, 3), ("per",)

    def __init__(self, per=1.0, grid=True):
        self.grid = grid
        model = one_setting("per", per, lambda per: checks.positive("per", per))
        super().__init__(model, settings={"per": tk.slider(0.5, 4, 0.5, "per", value=per)})

    def draw(self, fig):
        ax = fig.add_subplot(xlim=(0, 1), ylim=(0, 10))
        ax.grid(self.grid)
        bar = ax.bar([0.5], [7], 0.3)[0]

        def move():
            ax.yaxis.set_ticks([0, 2.5, 5, 7.5, 10],
                               [f"{v * self.model.per:g}" for v in (0, 2.5, 5, 7.5, 10)])
            ax.yaxis.set_label_text(f"length × {self.model.per:g}")
            return [bar, ax.yaxis]
        return move


@pytest.mark.parametrize("grid", [True, False])
def test_an_axis_among_the_moving_parts_repaints_its_ticks_labels_and_grid(grid):
    w = Ruler(grid=grid)
    for per in (2.0, 0.5, 3.5):
        w.set(per=per)
        np.testing.assert_array_equal(pixels(w.picture.png), full_draw(w))
        assert w.figure.axes[0].get_yticklabels()[1].get_text() == f"{2.5 * per:g}"
    assert w.picture.builds == 1
    ax, renderer = w.figure.axes[0], w.figure.canvas.get_renderer()
    top, left, bottom, right = tk._extent(ax.yaxis, renderer, w.figure.bbox.height)
    assert left <= max(ax.yaxis.label.get_window_extent(renderer).x0, 0)   # its label
    if grid:                                                        # its grid lines: inside
        assert right >= ax.bbox.x1
    else:                                                           # only what is beside
        assert right < ax.bbox.x0 + 6


class Panels(tk.Widget):
    """A bar whose axes rescale by decades, and two panels in one place, one shown at a time: a
    line (a still diagonal under a moving one) from h = 50 up, a note below it."""

    size, tight, moving = (5, 2.5), False, ("h",)

    def __init__(self, h=1.0):
        model = one_setting("h", h, lambda h: checks.number("h", h, low=0.1, high=1000))
        super().__init__(model, settings={"h": tk.slider(0.1, 1000, 0.1, "h", value=h)})

    def draw(self, fig):
        fig.subplots_adjust(left=0.12, right=0.97, bottom=0.15, top=0.9, wspace=0.3)
        ax = fig.add_subplot(1, 2, 1)
        curve, note = fig.add_subplot(1, 2, 2), fig.add_subplot(1, 2, 2)   # the same place
        bar = ax.bar([0], [self.model.h])[0]
        curve.plot([0, 1], [0, 1000], color="0.6", lw=3)
        line, = curve.plot([0, 1], [0, 0], lw=2)
        curve.set(xlim=(0, 1), ylim=(0, 1000))
        note.text(0.5, 0.5, "h < 50: no line", ha="center")

        def move():
            h = self.model.h
            bar.set_height(h)
            ax.set_ylim(0, 10 ** np.ceil(np.log10(h)))
            curve.set_visible(h >= 50)
            note.set_visible(h < 50)
            line.set_ydata([0, h])
            return [bar, line]
        return move


def test_axes_shown_hidden_or_rescaled_in_turn_repaint_as_a_full_draw():
    """Showing or hiding an axes draws it again, without the moving parts of a hidden one; and
    the picture of the rest kept for one axes is dropped once another is drawn again (else the
    bar's axes rescaling at h = 200 would bring back the note hidden at h = 60)."""
    from matplotlib.colors import to_rgb
    w = Panels(h=2.0)
    for h in (20.0, 60.0, 200.0, 30.0, 3.0, 70.0, 700.0):
        w.set(h=h)
        shown = pixels(w.picture.png)
        np.testing.assert_array_equal(shown, pixels(Panels(h=h).picture.png))
        curve, note = w.figure.axes[1:]
        assert curve.get_visible() == (h >= 50) != note.get_visible()
        x0, y0, x1, y1 = (round(v) for v in curve.bbox.extents)
        line = np.round(np.array(to_rgb(curve.lines[1].get_color())) * 255)
        seen = (shown[len(shown) - y1:len(shown) - y0, x0:x1] == line).all(axis=-1).any()
        assert seen == (h >= 50)                     # the line of a hidden axes is not painted
    assert w.picture.builds == 1 and w.picture.paints == 7


def test_panels_shown_again_take_the_picture_they_had(monkeypatch):
    """Shown or hidden with all limits as they were, axes are not drawn again the second time:
    the picture of the still parts each arrangement had is kept (until some limits change)."""
    from matplotlib.axes import Axes
    w = Panels(h=60.0)                               # the bar's axes: 0..100 throughout
    drawn, draw = [], Axes.draw
    monkeypatch.setattr(Axes, "draw", lambda ax, renderer: (drawn.append(ax), draw(ax, renderer)))
    for n, h in enumerate((20.0, 70.0, 30.0, 80.0, 5.0, 60.0)):
        drawn.clear()
        w.set(h=h)
        again = [ax for ax in drawn if ax in w.figure.axes]
        assert (again == []) == (n in (2, 3)), (h, again)   # 5.0: new limits, then 60 anew
        np.testing.assert_array_equal(pixels(w.picture.png), pixels(Panels(h=h).picture.png))
    assert w.picture.builds == 1


def test_a_bar_on_the_axis_leaves_an_axis_without_tick_marks_alone():
    """A clipped part paints only inside its clip box, and an axis without tick marks only its
    labels, beside the axes: a bar standing on the x axis can move without repainting it."""
    fig = tk.canvas(3, 3)
    ax = fig.add_subplot(xlim=(0, 1), ylim=(0, 1))
    bar, = ax.bar([0.5], [0.5], 0.3, lw=2, edgecolor="k")
    ax.tick_params(axis="x", bottom=False)
    ax.grid(False)                                           # (grid lines would be inside)
    fig.canvas.draw()
    renderer, height = fig.canvas.get_renderer(), fig.bbox.height
    bar_rows, axis_rows = (tk._extent(a, renderer, height)[::2] for a in (bar, ax.xaxis))
    assert bar_rows[1] <= math.ceil(height - ax.bbox.y0) <= axis_rows[0]   # the axes' bottom
    ax.tick_params(axis="x", bottom=True)                    # tick marks start on the spine:
    assert tk._extent(ax.xaxis, renderer, height)[0] < bar_rows[1]     # then they overlap


def test_change_sets_only_what_differs_so_unchanged_parts_stay_unrepainted():
    from matplotlib.colors import to_hex
    fig = tk.canvas(2, 2)
    ax = fig.add_subplot()
    bar, = ax.bar([0], [1.0])
    line, = ax.plot([0, 1], [0, 1])
    text = ax.text(0, 0, "a")
    fig.canvas.draw()
    bar.set_height(1.0)                      # a plain setter: changed, though the value is not
    assert bar.stale
    fig.canvas.draw()
    for artist, values in ((bar, dict(height=1.0, x=bar.get_x(), visible=True,  # a colour in
                                      facecolor=bar.get_facecolor()[:3])),      # any spelling
                           (line, dict(ydata=[0, 1], data=([0, 1], [0, 1]))),
                           (text, dict(text="a", position=(0, 0)))):
        tk.change(artist, **values)
        assert not artist.stale, artist
    tk.change(bar, facecolor=to_hex(bar.get_facecolor()).upper())   # "#0072B2": the same
    assert not bar.stale
    tk.change(bar, height=2.0, visible=True)
    tk.change(line, ydata=[0, 2])
    tk.change(text, text="b")
    assert bar.stale and line.stale and text.stale
    assert (bar.get_height(), list(line.get_ydata()), text.get_text()) == (2.0, [0, 2], "b")


def test_pin_labels_puts_them_where_matplotlib_would():
    """21 pt under the axes is where matplotlib puts an x label under one row of tick labels;
    a y label goes ``beside`` points left of the axes, and stays there whatever the ticks."""
    def label_boxes(pin):
        fig = tk.canvas(3, 3)
        ax = fig.add_subplot(xlabel="x", ylabel="y", ylim=(0, 1000))
        fig.subplots_adjust(left=0.3, bottom=0.3)
        if pin:
            tk.pin_labels(ax, beside=40)
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        return ax, ax.xaxis.label.get_window_extent(r), ax.yaxis.label.get_window_extent(r)
    ax, x_auto, _ = label_boxes(False)
    ax, x_pinned, y_pinned = label_boxes(True)
    assert x_pinned.bounds == pytest.approx(x_auto.bounds, abs=0.5)
    assert ax.bbox.x0 - y_pinned.x1 == pytest.approx(40 / 72 * ax.figure.dpi, abs=0.5)


def test_an_action_calls_its_function_and_refreshes():
    w = Bars(h=3.0)
    w.controls["double"].click()
    assert w.h == 6.0 and w.controls["h"].value == 6.0
    np.testing.assert_array_equal(pixels(w.picture.png), full_draw(w))


def test_a_control_the_model_refuses_is_put_back_and_the_banner_says_why():
    lx = LineExplorer(a=1.0)
    model = Line(1.0, 0.0)
    lx.model.set = lambda **v: model.set(a=float("nan"))   # a model that refuses the value
    lx.controls["a"].value = 1.5
    assert lx.controls["a"].value == 1.0 and lx.a == 1.0
    assert "a must be a finite number, got nan" in lx.banner.value


def test_set_checks_names_and_values_before_anything_changes():
    lx = LineExplorer(a=1.0, b=0.5)
    png = lx.picture.png
    with pytest.raises(ValueError, match=r"unknown setting 'c'; choose one of: a, b\.$"):
        lx.set(a=0.0, c=1.0)
    with pytest.raises(ValueError, match="b must be a finite number, got 'x'"):
        lx.set(a=0.0, b="x")
    assert (lx.a, lx.b) == (1.0, 0.5) and lx.picture.png == png


def test_the_browsers_rounded_echo_is_not_a_change():
    lx = LineExplorer()
    lx.set(a=0.123)                        # between two notches of the 0.1 grid
    lx.controls["a"].value = 0.1           # the browser sends the snapped value back
    assert lx.a == 0.123
    lx.controls["a"].value = 0.5           # a real move
    assert lx.a == 0.5


def test_a_log_slider_has_the_given_value_on_its_grid():
    s = tk.log_slider(2.1, 1e-5, 10.0, "lr")
    steps = (np.log10(2.1) - s.min) / s.step
    assert abs(steps - round(steps)) < 1e-9 and s.min <= -5 and s.max >= 1
    assert abs(s.value - 2.1) < 1e-12


def test_moves_that_return_the_wrong_thing_are_told_so():
    class Bad(LineExplorer):
        def draw(self, fig):
            fig.add_subplot()
            return lambda: ["not an artist"]

    with pytest.raises(TypeError, match="artists of this figure that it changed"):
        Bad()


def test_the_display_bundle_carries_the_static_picture_and_the_description():
    lx = LineExplorer()
    data, _ = lx._repr_mimebundle_()
    assert data["text/plain"] == "LineExplorer"
    assert data["image/png"] and "application/vnd.jupyter.widget-view+json" in data


def test_controls_and_actions_moved_on_another_thread_run_on_the_main_one(monkeypatch):
    import threading
    import types

    import IPython

    queued = []
    loop = types.SimpleNamespace(add_callback=lambda f, *args: queued.append((f, args)))
    monkeypatch.setattr(IPython, "get_ipython",
                        lambda: types.SimpleNamespace(kernel=types.SimpleNamespace(io_loop=loop)))
    w = Bars(h=1.0)
    worker = threading.Thread(target=lambda: (setattr(w.controls["h"], "value", 5.0),
                                              w.controls["double"].click()))
    worker.start()
    worker.join()
    assert len(queued) == 2 and w.h == 1.0              # nothing ran on that thread
    for f, args in queued:
        f(*args)
    assert w.h == 10.0


def test_a_model_and_the_toolkit_import_without_matplotlib_or_ipywidgets():
    code = ("import sys\nimport mathdl.widgets.toolkit, mathdl.plotting\n"
            "bad = [m for m in ('matplotlib', 'ipywidgets') if m in sys.modules]\n"
            "assert not bad, bad\nprint('light')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "light", result.stderr


def test_all_names_every_public_function_and_class_and_the_docstring_shows_a_widget():
    import inspect
    defined = {name for name, value in vars(tk).items() if not name.startswith("_")
               and (inspect.isfunction(value) or inspect.isclass(value))
               and value.__module__ == tk.__name__}
    assert defined and defined <= set(tk.__all__)             # none left out of __all__,
    assert all(hasattr(tk, name) for name in tk.__all__)      # and none there that is not
    assert re.search(r"class LineExplorer\(Widget\)", tk.__doc__)


def test_png_bytes_is_a_valid_png_of_exactly_the_canvas_pixels():
    fig = tk.canvas(3.1, 1.7)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [2, 0, 1], color="#d55e00")
    ax.set_title("odd size, every colour channel used")
    image = Image.open(io.BytesIO(tk.png_bytes(fig)))
    image.load()                                     # decodes and checks every CRC
    assert image.mode == "RGB" and image.size == fig.canvas.get_width_height()
    assert np.array_equal(np.asarray(image), np.asarray(fig.canvas.buffer_rgba())[:, :, :3])


def test_same_notch_tells_the_browsers_rounding_from_a_readers_move():
    log = W.FloatLogSlider(value=0.05, min=-5, max=1, step=0.01)
    log.value = 10 ** -1.30                      # what the browser sends back for 0.05
    assert tk.same_notch(log, 0.05)              # 0.0501…: the echo of 0.05 on the 0.01 grid
    assert not tk.same_notch(log, 0.05, new=10 ** -1.28)   # two notches away: a reader's move
    lin = W.FloatSlider(value=0.9, min=0, max=0.99, step=0.01)
    lin.value = 0.9000000000000001
    assert tk.same_notch(lin, 0.9)
    lin.value = 0.92
    assert not tk.same_notch(lin, 0.9)


def test_a_log_range_widens_to_take_a_value_beyond_it_and_keeps_it_on_the_grid():
    lo, hi = tk.log_range(50.0, 1e-5, 10.0)
    assert lo <= -5 and np.log10(50.0) <= hi < np.log10(50.0) + 0.01
    assert abs((np.log10(50.0) - lo) / 0.01 - round((np.log10(50.0) - lo) / 0.01)) < 1e-9


class Arrow(tk.Widget):
    """A quiver arrow turning about a fixed base, and a line whose data runs far beyond its
    axes: the extent matplotlib reports misses the arrow's tip and exceeds the line's pixels."""

    size, moving, commands = (4, 2.5), ("angle",), ("turn",)

    def __init__(self):
        model = type("Model", (), {"angle": 0.0})()
        model.set = lambda angle: setattr(model, "angle", checks.number("angle", angle))
        model.turn = lambda: setattr(model, "angle", model.angle + 45)
        super().__init__(model, settings={"angle": tk.slider(-180, 180, 5, "angle")})

    def draw(self, fig):
        ax, side = fig.add_subplot(1, 2, 1, xlim=(-2, 2), ylim=(-2, 2)), fig.add_subplot(1, 2, 2)
        arrow = ax.quiver(0, 0, 1, 0, scale=4, width=0.03)
        far, = ax.plot([], [], lw=3)
        label = side.text(0.5, 0.1, "a text", ha="center")   # under the far line's data
        first = [label]

        def move():
            a = np.radians(self.model.angle)
            u = np.array([np.cos(a), np.sin(a)])
            arrow.set_UVC(*u)
            far.set_data([0, 1000 * u[0]], [0, -1000])
            return [arrow, far, *(first.pop() for _ in list(first))]   # the text moves once
        self.label = label
        return move


def test_arrows_and_clipped_lines_repaint_exactly_and_only_where_they_may_paint():
    import matplotlib.figure

    w = Arrow()
    drawn, draw = [], matplotlib.figure.Figure.draw_artist
    matplotlib.figure.Figure.draw_artist = lambda fig, a: drawn.append(a) or draw(fig, a)
    try:
        w.set(angle=-90)
    finally:
        matplotlib.figure.Figure.draw_artist = draw
    assert w.label not in drawn             # the far line paints only inside its own axes
    for angle in (90, -135, 30):
        w.set(angle=angle)
        np.testing.assert_array_equal(pixels(w.picture.png), full_draw(w))
    w.turn()                                   # a command: the model's method, then a repaint
    assert w.angle == 75 and w.picture.paints == 5
    np.testing.assert_array_equal(pixels(w.picture.png), full_draw(w))
    w.turn(redraw=False)
    assert w.angle == 120 and w.picture.paints == 5


def test_an_axes_redrawn_for_new_limits_repaints_only_what_moves():
    import matplotlib.figure

    w = Bars(h=2.0)
    drawn, draw = [], matplotlib.figure.Figure.draw_artist
    matplotlib.figure.Figure.draw_artist = lambda fig, a: drawn.append(a) or draw(fig, a)
    try:
        w.set(h=30.0)                          # the bar's axes: new limits
    finally:
        matplotlib.figure.Figure.draw_artist = draw
    assert w.figure.axes[0] in drawn and w.figure.axes[1].texts[0] in drawn
    np.testing.assert_array_equal(pixels(w.picture.png), full_draw(w))


def test_a_part_move_returns_unchanged_is_not_repainted():
    import matplotlib.figure

    class WithNote(LineExplorer):
        def draw(self, fig):
            move = super().draw(fig)
            self.note = fig.text(0.5, 0.01, "", ha="center", va="bottom")

            def move_all():                     # the note's text is set, but to what it was
                self.note.set_text("three points")
                return [*move(), self.note]
            return move_all

    w = WithNote()
    drawn, draw = [], matplotlib.figure.Figure.draw_artist
    matplotlib.figure.Figure.draw_artist = lambda fig, a: drawn.append(a) or draw(fig, a)
    try:
        w.set(a=0.5)
    finally:
        matplotlib.figure.Figure.draw_artist = draw
    assert w.note not in drawn and w.picture.paints == 1
    np.testing.assert_array_equal(pixels(w.picture.png), full_draw(w))


def test_a_new_canvas_matplotlib_made_builds_the_figure_again():
    w = Bars(h=2.0)
    w.figure.savefig(io.BytesIO(), format="png", dpi=40)   # another renderer, another size
    w.set(h=3.0)
    assert w.picture.builds == 2
    np.testing.assert_array_equal(pixels(w.picture.png), full_draw(w))


def test_fit_controls_runs_before_the_controls_get_the_models_values():
    class Choice(tk.Widget):
        def __init__(self):
            model = type("Model", (), {"options": ("a", "b"), "pick": "a"})()
            model.set = lambda pick: setattr(model, "pick", pick)
            super().__init__(model, settings={"pick": tk.menu(("a", "b"), "pick")})

        def fit_controls(self):
            self.controls["pick"].options = self.model.options

        def draw(self, fig):
            fig.add_subplot()

    w = Choice()
    w.model.options, w.model.pick = ("c", "d"), "d"    # a choice the menu did not offer
    w.refresh()
    assert w.controls["pick"].options == ("c", "d") and w.controls["pick"].value == "d"


def test_a_move_queued_behind_a_repaint_is_not_lost(monkeypatch):
    """A reader's slider move arrives on a subshell thread and waits for the main thread; a
    repaint in between puts the slider back to the model's value. The move still counts."""
    import threading
    import types

    import IPython

    queued = []
    loop = types.SimpleNamespace(add_callback=lambda f, *args: queued.append((f, args)))
    monkeypatch.setattr(IPython, "get_ipython",
                        lambda: types.SimpleNamespace(kernel=types.SimpleNamespace(io_loop=loop)))
    w = Bars(h=1.0)
    for act in (lambda: setattr(w.controls["h"], "value", 5.0), w.controls["double"].click):
        worker = threading.Thread(target=act)
        worker.start()
        worker.join()
    queued.reverse()                           # the click's repaint runs first
    for f, args in queued:
        f(*args)
    assert w.h == 5.0 and w.controls["h"].value == 5.0
