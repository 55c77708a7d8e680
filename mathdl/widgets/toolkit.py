"""The widget toolkit: what every widget of the book shares, written once.

A widget is a **model** and a **view**, usually side by side in one file. The model holds the
state and the mathematics (numpy; no matplotlib, no ipywidgets), so it can be used and tested
alone; its ``set(**values)`` checks every value first (``mathdl.checks``) and changes nothing
unless all of them are good. The view subclasses :class:`Widget`: it says which controls set
which of the model's values, draws the model and writes the readout. The toolkit does the rest,
once for all: the figure shown as a PNG (also in the display bundle, for a notebook viewer
without a kernel), repainting only the parts that move, control callbacks run on the kernel's
main thread, the banner, ``set(**values)``, and any attribute the view lacks read from the
model (``view.error`` is ``view.model.error``). Matplotlib and ipywidgets are imported only
when a view is built. A complete widget, the line y = a·x + b through three points, with its
squared error::

    class Line:                                              # the model
        POINTS = np.array([[0.0, 0.5], [1.0, 1.5], [2.0, 2.0]])

        def __init__(self, a=1.0, b=0.0):
            self.a = self.b = 0.0
            self.set(a=a, b=b)

        def set(self, a=None, b=None):
            a = self.a if a is None else checks.number("a", a)    # check everything first,
            b = self.b if b is None else checks.number("b", b)
            self.a, self.b = a, b                                  # then change

        @property
        def error(self):
            x, y = self.POINTS.T
            return float(((self.a * x + self.b - y) ** 2).sum())

    class LineExplorer(Widget):                              # the view
        size = (5, 3.5)                                      # inches (100 px each)
        moving = ("a", "b")                                  # settings that only move parts

        def __init__(self, a=1.0, b=0.0):
            super().__init__(Line(a, b), settings={"a": slider(-2, 2, 0.1, "a"),
                                                   "b": slider(-2, 2, 0.1, "b")})

        def draw(self, fig):              # build the figure; return move() for the moving parts
            ax = fig.add_subplot(xlabel="x", ylabel="y", xlim=(-0.5, 2.5), ylim=(-1, 4))
            ax.plot(*Line.POINTS.T, "o", color=COLORS["value"])
            line, = ax.plot([], [], color=COLORS["highlight"])
            xs = np.linspace(-0.5, 2.5, 2)

            def move():                   # read the model, update the artists, return them
                line.set_data(xs, self.model.a * xs + self.model.b)
                return [line]
            return move

        def readout(self):
            return table(("a", "b", "squared error"),
                         [(fmt(self.model.a), fmt(self.model.b), fmt(self.model.error))])

``LineExplorer()`` shows the sliders, the picture and the table; ``lx.set(a=0.75)`` or a drag
moves the line; ``lx.error`` reads the model. A view may also define ``actions`` (buttons and
the like, each with the function it calls), ``commands`` (the model's methods it offers, such
as ``step``: ``view.step()`` steps the model, then repaints) and the hooks of :class:`Widget`
(``warning``, ``fit_controls``, ``update_controls``, ``value_of``, ``describe``, ``static_png``).

**The move protocol.** ``draw(fig)`` builds the whole figure and returns ``move()`` (or nothing:
then every change draws the figure anew). ``move()`` updates the parts that change and returns
those artists (one it returns unchanged, say a text given the text it had, is left alone: it is not
``stale``; most other setters mark their artist stale whatever the value, hence
``change(artist, height=h)``, which sets only what differs). The toolkit keeps a picture of
everything else; after a change it repaints only the rectangles the returned artists covered before
and cover now, drawing the moving parts there, in the order a full draw stacks them, over the kept
picture (so moving parts lie above still ones: a legend that must stay on top belongs among them).
``move`` may return artists it has just made (``ax.legend()`` makes a new one each time): they
replace those they replaced. An axis (``ax.yaxis``) whose ticks move() sets is a moving part like
any other; its grid lines are then painted over the still parts of its axes, so what they must not
cross moves too. An axes whose limits change, or that is shown or hidden (two panels in one place,
one visible), is drawn again at once (panels shown again, no limits changed since, take the picture
they had); the moving parts of a hidden axes are not painted. A setting not listed in ``moving``,
or a still part that starts to move, draws the whole figure again.
"""

import base64
import functools
import html
import math
import struct
import threading
import zlib

import numpy as np

from .. import checks
from ..plotting import COLORS, canvas

__all__ = ["Widget", "Picture", "canvas", "png_bytes", "on_main_thread", "same_notch",
           "draw_order", "change", "pin_labels", "fmt", "table", "banner", "ipywidgets", "slider",
           "log_range", "log_slider", "menu", "button", "toggle", "row", "column", "COLORS",
           "checks"]


def ipywidgets():
    """The ipywidgets module (imported on first use)."""
    import ipywidgets as W
    return W


# ---- the figure as a PNG ---------------------------------------------------------------------
def png_bytes(fig, draw=True):
    """The canvas of ``fig`` (drawn first unless ``draw=False``) as an 8-bit RGB PNG: a signature
    and three chunks (length, type, data, CRC-32), IHDR with the size and pixel format, IDAT
    with the zlib-compressed rows (each led by filter byte 0, "none"), and IEND. Written out
    like this it takes half the time of a general-purpose encoder."""
    if draw:
        fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    h, w = rgba.shape[:2]
    rows = np.zeros((h, 1 + 3 * w), dtype=np.uint8)   # column 0: the filter byte, 0
    rows[:, 1:] = rgba[:, :, :3].reshape(h, 3 * w)

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8 bits per channel, colour type 2: RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


def draw_order(fig, artists):
    """``artists`` sorted the way a full draw of ``fig`` stacks them (axes by axes, then by
    zorder, ties in the order they were added), so painting them gives the same picture."""
    wanted, order = set(artists), []
    for ax in fig.axes:
        order += sorted((a for a in ax.get_children() if a in wanted), key=lambda a: a.zorder)
    rest = [a for a in fig.get_children() if a in wanted and a not in order]
    return order + sorted(rest, key=lambda a: a.zorder)


def _extent(artist, renderer, height):
    """The pixels ``artist`` can touch, as numpy (row, column) slices' bounds, padded for
    antialiasing and line width: None if it paints nothing, the whole figure if unknown."""
    from matplotlib.axis import Axis
    from matplotlib.collections import Collection
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import Bbox
    if not artist.get_visible() or not getattr(artist.axes, "get_visible", lambda: True)():
        return None                      # hidden, or in a hidden axes
    clip = artist.get_clip_box() if artist.get_clip_on() else None
    if isinstance(artist, Axis):   # its tick labels beside the axes, its tick marks on the
        ax, tick = artist.axes, artist.get_major_ticks()[0]   # spine, its grid lines inside
        grid = any(line.get_visible() for line in artist.get_gridlines())
        marks = tick.tick1line.get_visible() or tick.tick2line.get_visible()
        edge = ax.spines.get(artist.get_ticks_position()) if marks else None
        inner = (ax.bbox if grid or marks and edge is None else
                 edge.get_window_extent(renderer) if marks else None)
        b = Bbox.union([x for x in (inner, artist.get_tightbbox(renderer)) if x is not None]
                       or [ax.bbox])
        clip = None                      # its labels are drawn outside its clip box
    elif isinstance(artist, Collection):   # its extent leaves out arrows and marker sizes:
        b = clip                         # take all it may paint
    else:                                # (a bar: its box's corners, 7 times as fast)
        b = (artist.get_data_transform().transform_bbox(artist.get_bbox())
             if isinstance(artist, Rectangle) and artist.get_angle() == 0 else
             artist.get_window_extent(renderer))
        if clip is not None and all(map(math.isfinite, b.extents)):
            b = Bbox.intersection(b, clip)   # it paints only inside its clip box
            if b is None:
                return None
    if b is None or not (all(map(math.isfinite, b.extents)) and b.width >= 0 and b.height >= 0):
        return (0, 0, 10 ** 6, 10 ** 6)
    width = getattr(artist, "get_linewidth", lambda: 0)()
    pad = 3 + math.ceil(renderer.points_to_pixels(float(np.max(width, initial=0))))
    r0, c0 = math.floor(height - b.y1) - pad, math.floor(b.x0) - pad
    r1, c1 = math.ceil(height - b.y0) + pad, math.ceil(b.x1) + pad
    if clip is not None and all(map(math.isfinite, clip.extents)):   # nothing is painted out of
        r0, c0 = max(r0, math.floor(height - clip.y1)), max(c0, math.floor(clip.x0))   # the clip
        r1, c1 = min(r1, math.ceil(height - clip.y0)), min(c1, math.ceil(clip.x1))     # box (Agg
    return max(r0, 0), max(c0, 0), max(r1, 0), max(c1, 0)     # rounds it to whole pixels)


def change(artist, **values):
    """Set only the properties whose getter (``get_height()`` for ``height``) gives another
    value. Any matplotlib setter marks its artist changed (``stale``), even one called with the
    value it had, and the toolkit repaints every changed part; so a move that sets all its bars
    each time repaints only those that moved. (Compares numbers, arrays, flags, texts, and
    colours in any spelling: "#0072b2" is the (r, g, b, a) a getter gives back.)"""
    from matplotlib.colors import same_color

    def same(key, now, value):
        return same_color(now, value) if key.endswith("color") else np.array_equal(now, value)
    new = {k: v for k, v in values.items() if not same(k, getattr(artist, f"get_{k}")(), v)}
    if new:
        artist.set(**new)


def pin_labels(ax, under=21, beside=None):
    """Put ``ax``'s x label ``under`` points below the axes (21: where matplotlib puts it under
    one row of tick labels) and, given ``beside``, its y label that many points left of it.
    Matplotlib then need not measure the tick labels to place them whenever it draws the axes
    (about a fifth of redrawing an axes for new limits)."""
    from matplotlib.transforms import ScaledTranslation
    points = ax.get_figure(root=True).dpi_scale_trans
    ax.xaxis.set_label_coords(0.5, 0, ax.transAxes + ScaledTranslation(0, -under / 72, points))
    if beside is not None:
        ax.yaxis.set_label_coords(0, 0.5, ax.transAxes + ScaledTranslation(-beside / 72, 0,
                                                                           points))


class Picture:
    """A figure that ``draw(fig)`` builds and its ``move()`` updates, kept as the PNG shown in
    an ``ipywidgets.Output`` (see "The move protocol" in the module docstring)."""

    def __init__(self, size, draw, alt="", tight=True):
        self.fig, self.draw, self.alt, self.tight = canvas(*size), draw, alt, tight
        self.output, self.png = ipywidgets().Output(), b""
        self._move = self._margins = None
        self.builds = self.paints = 0            # counters, for tests and benchmarks

    def show(self, rebuild=False):
        """Bring the picture up to date (painting only what moved, unless ``rebuild``)."""
        if rebuild or self._move is None or not self._paint():
            self._build()
        self.png = png_bytes(self.fig, draw=False)
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}
        self.output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)
        return self.png

    def _build(self):
        """Clear the figure and build it again; with a ``move``, keep a picture of the still
        parts. The first figure is laid out tight, later ones keep its margins (no jumping)."""
        fig = self.fig
        fig.clear()
        if self._margins:
            fig.subplots_adjust(**self._margins)
        self._move = self.draw(fig)
        if self._move is not None and not callable(self._move):
            raise TypeError(f"{getattr(self.draw, '__name__', 'draw')} returned "
                            f"{type(self._move).__name__}; it should return nothing, or a "
                            f"function move() that updates the moving parts.")
        moving = self._moved() if self._move else []
        if self.tight and not self._margins:
            fig.tight_layout()
            self._margins = {k: getattr(fig.subplotpars, k) for k in ("left", "right", "bottom",
                                                                      "top", "wspace", "hspace")}
        for a in moving:
            a.set_animated(True)                 # left out of the picture of the still parts
        self.builds += 1
        fig.canvas.draw()
        if self._move:                           # keep the still picture, then paint the rest
            self._renderer, self._bases, self._kept = fig.canvas.get_renderer(), {}, {}
            self._still = np.array(self._renderer.buffer_rgba())
            self._still_artists = set(fig.findobj()) - set(moving)
            self._frames = self._frame()
            self._moving = draw_order(fig, moving)
            self._extents = {a: _extent(a, self._renderer, len(self._still)) for a in self._moving}
            for a in self._moving:
                if self._extents[a]:             # not hidden
                    fig.draw_artist(a)

    def _frame(self):
        """Whether each axes is shown, and its limits: what its still parts depend on."""
        return {ax: (ax.get_visible(), ax.viewLim.bounds) for ax in self.fig.axes}

    def _moved(self):
        """Call ``move()`` and check what it returns: artists of this figure."""
        from matplotlib.artist import Artist
        artists = self._move()
        artists = list(artists) if isinstance(artists, list | tuple) else [artists]
        for a in artists:
            if not isinstance(a, Artist) or getattr(a, "figure", None) is not self.fig:
                raise TypeError(f"move() must return the matplotlib artists of this figure that "
                                f"it changed (lines, texts, patches …), not {a!r}.")
        return artists

    def _paint(self):
        """Repaint what ``move()`` changed; False when the figure must be built again."""
        fig, renderer = self.fig, self._renderer
        if fig.canvas.get_renderer() is not renderer:
            return False                         # a new canvas (savefig at another dpi, say)
        changed = [a for a in self._moved() if a.stale]   # matplotlib marks what a setter changed
        dirty, new = [], [a for a in changed if a not in self._extents]
        if new:                                  # e.g. a legend made anew by ax.legend()
            if any(a in self._still_artists for a in new):
                return False                     # a still part began to move: build again
            for a in new:
                a.set_animated(True)
                self._extents[a] = None
            kept = draw_order(fig, [*self._moving, *new])
            dirty += [self._extents.pop(a) for a in set(self._moving) - set(kept)]   # replaced
            self._moving = kept
        self.paints += 1
        frame = self._frame()
        moved = [ax for ax in fig.axes if frame[ax] != self._frames.get(ax)]
        if moved:     # the still picture changes there, and whatever moves in those axes
            dirty.append(self._redraw_axes(moved))
            changed += [a for a in self._moving if a.axes in moved and a not in changed]
        for a in changed:                        # where each changed part was, and is now
            dirty.append(self._extents[a])
            self._extents[a] = _extent(a, renderer, len(self._still))
            dirty.append(self._extents[a])
        dirty = [r for r in dirty if r is not None]
        if dirty:
            buf = np.asarray(renderer.buffer_rgba())
            frame = np.array(buf)
            for r0, c0, r1, c1 in dirty:         # the still picture under every dirty rectangle
                buf[r0:r1, c0:c1] = self._still[r0:r1, c0:c1]
            for a in self._moving:               # then what moves there, in stacking order
                e = self._extents[a]
                if e and any(e[0] < r[2] and r[0] < e[2] and e[1] < r[3] and r[1] < e[3]
                             for r in dirty):
                    fig.draw_artist(a)
            for r0, c0, r1, c1 in dirty:         # keep the new pixels only inside the rectangles
                frame[r0:r1, c0:c1] = buf[r0:r1, c0:c1]
            buf[...] = frame
        return True

    def _redraw_axes(self, axes):
        """Some axes changed their limits or were shown or hidden: draw them again into the
        picture of the still parts (over a picture of the rest, made once and kept while the
        rest stays as it is); return the rectangle where it changed. Panels only shown or
        hidden, all limits as they were, take the picture they had last time, if any."""
        key, buf = frozenset(axes), np.asarray(self._renderer.buffer_rgba())
        frame, shown = tuple(self._frame().values()), np.array(buf)
        toggled = all(self._frames[ax][1] == ax.viewLim.bounds for ax in axes)
        if not toggled:
            self._kept = {}                      # new limits: pictures kept before may be old
        if frame in self._kept:
            buf[...] = self._kept[frame]
        else:
            if key not in self._bases:
                visible = [ax.get_visible() for ax in axes]
                for ax in axes:
                    ax.set_visible(False)
                self.fig.canvas.draw()
                for ax, v in zip(axes, visible):
                    ax.set_visible(v)
                self._bases[key] = np.array(buf)
            self._bases = {key: self._bases[key]}    # (one without other axes shows these old)
            buf[...] = self._bases[key]
            for ax in axes:                      # Axes.draw leaves out the moving (animated) parts
                self.fig.draw_artist(ax)         # (and a hidden axes draws nothing)
            if toggled:
                self._kept[frame] = np.array(buf)
        word = np.uint32                         # a pixel's RGBA as one number: one compare
        changed = buf.view(word)[..., 0] != self._still.view(word)[..., 0]
        rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
        self._still[...], buf[...] = buf, shown
        self._frames = self._frame()
        if rows.size:
            return rows[0], cols[0], rows[-1] + 1, cols[-1] + 1


# ---- controls --------------------------------------------------------------------------------
def on_main_thread(callback):
    """``callback`` for a control, made to run on the thread that runs the notebook's cells.

    JupyterLab 4.4+ sends widget messages to a kernel *subshell* (ipykernel 7), handled on a
    thread of its own while the main thread runs cells, and matplotlib (FreeType under it)
    drawing on two threads at once corrupts the heap: the kernel dies. So a callback arriving
    on another thread is queued on the kernel's main event loop, to run between cells in the
    order the messages came; on the main thread (tests, older kernels) it simply runs."""
    @functools.wraps(callback)
    def run(*args):
        loop = None
        if threading.current_thread() is not threading.main_thread():
            from IPython import get_ipython
            loop = getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
        if loop is None:
            return callback(*args)
        loop.add_callback(callback, *args)
    return run


def same_notch(control, value, new=None):
    """True when ``control.value`` (or ``new``, a value it took) is only the browser's rounding
    of ``value``: a slider in the browser snaps a value to its grid (a log slider's to steps of
    the exponent) and sends it back, and that echo must not replace the exact value set in
    code (lr 0.05 would become 0.0501)."""
    new, step = control.value if new is None else new, getattr(control, "step", None) or 0
    if not (checks.is_number(new) and checks.is_number(value)):
        return new == value
    if isinstance(control, ipywidgets().FloatLogSlider):
        if new <= 0 or value <= 0:
            return False
        new, value = math.log(new, control.base), math.log(value, control.base)
    return abs(new - value) <= step / 2 + 1e-9 * max(1.0, abs(value))


def slider(low, high, step, description="", value=None, whole=False):
    """A slider from ``low`` to ``high`` in steps of ``step`` (an IntSlider if ``whole``)."""
    W = ipywidgets()
    return (W.IntSlider if whole else W.FloatSlider)(
        value=low if value is None else value, min=low, max=high, step=step,
        description=description, continuous_update=True)


def log_range(value, low, high, step=0.01):
    """The exponents (min, max) of a log slider over about [low, high] (widened to take
    ``value``) whose grid passes through ``value``."""
    e, low, high = math.log10(value), min(low, value), max(high, value)
    return (e - math.ceil(round((e - math.log10(low)) / step, 6)) * step,
            e + math.ceil(round((math.log10(high) - e) / step, 6)) * step)


def log_slider(value, low, high, description="", step=0.01, fmt=".3g"):
    """A slider over [low, high] on a log scale whose grid passes through ``value``, so the
    number set in code is the number it shows (2.1, not 2.09); see ``log_range``."""
    lo, hi = log_range(value, low, high, step)
    return ipywidgets().FloatLogSlider(value=value, min=lo, max=hi, step=step, base=10,
                                       description=description, readout_format=fmt)


def menu(options, description="", value=None):
    """A drop-down menu; ``options`` are values or (label, value) pairs."""
    control = ipywidgets().Dropdown(options=options, description=description)
    if value is not None:
        control.value = value
    return control


def button(description, tooltip=""):
    return ipywidgets().Button(description=description, tooltip=tooltip)


def toggle(description, value=False, tooltip=""):
    return ipywidgets().ToggleButton(description=description, value=value, tooltip=tooltip)


def row(*children):
    return ipywidgets().HBox(list(children), layout={"flex_flow": "row wrap",
                                                     "align_items": "center"})


def column(*children):
    return ipywidgets().VBox(list(children))


# ---- readouts ----------------------------------------------------------------------------------
def fmt(x, digits=4):
    """A number for a readout: 4 significant digits, no '-0', 'inf' and 'nan' spelled out."""
    if x is None:
        return "–"
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    return "0" if x == 0 else f"{x:.{digits}g}"


def table(header, rows, colors=None):
    """A small HTML table; ``colors`` gives an optional swatch colour for each row."""
    cell = "padding:1px 8px;text-align:right;font-family:monospace"
    head = "".join(f"<th style='{cell}'>{html.escape(str(h))}</th>" for h in header)
    body = []
    for i, r in enumerate(rows):
        swatch = "" if colors is None else (
            f"<span style='display:inline-block;width:10px;height:10px;background:{colors[i]};"
            f"margin-right:4px'></span>")
        tds = "".join(f"<td style='{cell}'>{swatch if j == 0 else ''}{html.escape(str(v))}</td>"
                      for j, v in enumerate(r))
        body.append(f"<tr>{tds}</tr>")
    return f"<table style='border-collapse:collapse'><tr>{head}</tr>{''.join(body)}</table>"


def banner(text):
    """A warning line in the gradient colour ('' when there is nothing to say)."""
    if not text:
        return ""
    return (f"<div style='color:white;background:{COLORS['gradient']};padding:2px 8px;"
            f"font-weight:bold'>{html.escape(text)}</div>")


# ---- the base class ----------------------------------------------------------------------------
class Widget:
    """A model with a picture and controls; see the module docstring for how to write one.

    ``settings`` maps the names of the model's values to the controls that set them;
    ``actions`` maps names to ``(control, function)``: a button calls the function when
    clicked, any other control (a Play, a toggle) whenever its value changes. The picture is
    built once here and brought up to date after every change.
    """

    size = (6.4, 4.0)     # the figure, in inches (100 px each)
    tight = True          # lay the first figure out with tight_layout (False: draw places axes)
    moving = ()           # settings whose change only moves parts (the others rebuild)
    commands = ()         # the model's methods the view offers, each followed by a repaint
    setting_word = "setting"   # what set() calls its names in an error ("slider", …)

    def __init__(self, model, settings=None, actions=None):
        W = ipywidgets()
        self.model, self._syncing = model, False
        self.controls = dict(settings or {})
        self._settings = tuple(self.controls)
        for name, control in self.controls.items():
            control.observe(on_main_thread(functools.partial(self._on_control, name)), "value")
        for name, (control, function) in (actions or {}).items():
            self.controls[name] = control
            run = on_main_thread(functools.partial(self._on_action, function))
            if isinstance(control, W.Button):
                control.on_click(run)
            else:
                control.observe(run, "value")
        self.picture = Picture(self.size, self.draw, tight=self.tight)
        self.banner, self.panel = W.HTML(), W.HTML()
        self.widget = self.layout()
        self.refresh(rebuild=True)

    # -- what a view defines (draw is required) --
    def draw(self, fig):
        raise NotImplementedError(f"{type(self).__name__} must define draw(fig).")

    def readout(self):
        """HTML shown under the picture."""
        return ""

    def warning(self):
        """Text for the banner above the picture ('' for none)."""
        return ""

    def fit_controls(self):
        """Fit options and ranges to the model (a menu of its current choices, a slider over its
        current range) before the controls get its values; nothing by default."""

    def update_controls(self):
        """Enable, disable or hide controls after a change (nothing by default)."""

    def value_of(self, name):
        """The model's current value of the setting ``name``."""
        return getattr(self.model, name)

    def describe(self):
        """The picture's text alternative (text/plain in the notebook)."""
        return type(self).__name__

    def static_png(self):
        """The PNG a viewer without a kernel shows: the current picture."""
        return self.picture.png

    def layout(self):
        """The controls in one wrapping row, the banner, the picture, the readout."""
        return column(row(*self.controls.values()), self.banner, self.picture.output, self.panel)

    # -- what the toolkit does --
    def set(self, **values):
        """Change several settings at once, checked by the model before anything changes."""
        for name in values:
            checks.choice(self.setting_word, name, self._settings)
        self.model.set(**values)
        self.refresh(rebuild=not set(values) <= set(self.moving))

    def refresh(self, rebuild=False):
        """Show the model's state: controls, picture, banner and readout."""
        self._syncing = True
        try:
            self.fit_controls()
            for name in self._settings:
                value, control = self.value_of(name), self.controls[name]
                if control.value != value and not same_notch(control, value):
                    control.value = value
            self.update_controls()
        finally:
            self._syncing = False
        self.picture.alt = self.describe()
        self.picture.show(rebuild)
        self.banner.value = banner(self.warning())
        self.panel.value = self.readout()

    def _on_control(self, name, change):
        if self._syncing or same_notch(self.controls[name], self.value_of(name), change["new"]):
            return                                   # our own update, or the browser's echo
        try:
            self.set(**{name: change["new"]})
        except (TypeError, ValueError) as err:       # a value the model refuses: say why
            self.refresh()                           # and put the control back
            self.banner.value = banner(str(err))

    def _on_action(self, function, change=None):
        if not self._syncing:
            self._command(function)

    def _command(self, method, *args, redraw=True, **kwargs):
        result = method(*args, **kwargs)
        if redraw:
            self.refresh()
        return result

    @property
    def figure(self):
        return self.picture.fig

    def __getattr__(self, name):
        """Whatever the view does not define is read from the model (``view.error``); a
        model's method named in ``commands`` repaints after it ran (unless ``redraw=False``)."""
        if name == "model" or name.startswith("__"):
            raise AttributeError(name)
        found = getattr(self.model, name)
        return functools.partial(self._command, found) if name in self.commands else found

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data, meta = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = dict(data)
        data["image/png"] = base64.b64encode(self.static_png()).decode("ascii")
        data["text/plain"] = self.describe()
        return data, meta
