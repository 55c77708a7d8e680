"""What the widgets share: an Agg figure shown as PNG in an Output, readouts, layout, checks.

Figures are drawn with matplotlib's non-interactive Agg canvas and handed to the browser as a
PNG inside an ``ipywidgets.Output``. Setting the Output's ``outputs`` directly (instead of
printing into it) keeps cell outputs clean and deterministic for nbval, works the same in
JupyterLab, Binder and a headless kernel, and lets tests read back exactly what is shown.
"""

import base64
import functools
import html
import math
import struct
import threading
import zlib

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..plotting import BOOK_RC, COLORS

__all__ = ["W", "BOOK_RC", "COLORS", "new_canvas", "png_bytes", "draw_order", "FigureView", "fmt",
           "table", "banner", "row", "column", "check_choice", "check_positive", "on_main_thread",
           "same_notch", "BookWidget"]


def new_canvas(width, height):
    """A Figure of ``width`` × ``height`` inches on its own Agg canvas, invisible to pyplot."""
    import matplotlib
    matplotlib.rcParams.update(BOOK_RC)
    fig = Figure(figsize=(width, height), dpi=BOOK_RC["figure.dpi"])
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig, draw=True):
    """Render ``fig`` and encode it as an 8-bit RGB PNG for the browser.

    ``draw=False`` encodes the canvas as it is (for a widget that blitted its moving parts).
    A PNG is a signature and three chunks (length, type, data, CRC-32): IHDR with the size and
    pixel format, IDAT with the zlib-compressed rows (each row prefixed by filter type 0, "none"),
    and IEND. Written out like this it takes half the time of a general-purpose encoder, which
    matters for a widget that redraws on every step.
    """
    if draw:
        fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    h, w = rgba.shape[:2]
    rows = np.zeros((h, 1 + 3 * w), dtype=np.uint8)   # column 0: the filter byte, 0
    rows[:, 1:] = rgba[:, :, :3].reshape(h, 3 * w)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8 bits, colour type 2 = RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


def on_main_thread(callback):
    """``callback`` for a control, made to run on the thread that runs the notebook's cells.

    JupyterLab (4.4 and later) sends widget messages to a kernel *subshell* (ipykernel 7), and
    a subshell handles them on a thread of its own, while the main thread goes on running
    cells. Matplotlib, and the FreeType library under it, must never draw from two threads at
    once: two threads drawing corrupt the heap and the kernel dies. So a callback that arrives
    on another thread is queued on the kernel's main event loop, where it runs between cells,
    one callback at a time, in the order the messages came; on the main thread (tests, older
    kernels) it simply runs.
    """
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


def same_notch(slider, value):
    """True when ``slider.value`` is just the browser's rounding of ``value``.

    A slider in the browser snaps the value it is given to its own grid (a log slider's to
    whole steps of the exponent) and sends the snapped value back; that echo is not a reader's
    change, and must not replace the exact value set in code (lr 0.05 would become 0.0501).
    """
    new, step = slider.value, slider.step or 0
    if isinstance(slider, W.FloatLogSlider):
        if new <= 0 or value <= 0:
            return False
        new, value = math.log(new, slider.base), math.log(value, slider.base)
    return abs(new - value) <= step / 2 + 1e-6 * max(1.0, abs(value))


def draw_order(fig, artists):
    """``artists`` sorted the way a full draw of ``fig`` stacks them (axes by axes, then by
    zorder, ties in the order they were added), so blitting them gives the same picture."""
    wanted, order = set(artists), []
    for ax in fig.axes:
        order += sorted((a for a in ax.get_children() if a in wanted), key=lambda a: a.zorder)
    return order + sorted((a for a in fig.get_children() if a in wanted), key=lambda a: a.zorder)


class FigureView:
    """An ``ipywidgets.Output`` that always shows the latest PNG of one figure."""

    def __init__(self, fig, alt):
        self.fig, self.alt = fig, alt
        self.output = W.Output()
        self.png = b""

    def refresh(self, draw=True):
        self.png = png_bytes(self.fig, draw)
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}
        self.output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)
        return self.png


def fmt(x, digits=4):
    """A number for a readout: 4 significant digits, no '-0', 'inf' and 'nan' spelled out."""
    if x is None:
        return "–"
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    return text


def table(header, rows, colors=None):
    """A small HTML table; ``colors`` gives an optional swatch colour per row."""
    cell = "padding:1px 8px;text-align:right;font-family:monospace"
    head = "".join(f"<th style='{cell}'>{html.escape(h)}</th>" for h in header)
    body = []
    for i, r in enumerate(rows):
        swatch = ""
        if colors is not None:
            swatch = (f"<span style='display:inline-block;width:10px;height:10px;"
                      f"background:{colors[i]};margin-right:4px'></span>")
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


def row(*children):
    return W.HBox(list(children), layout=W.Layout(flex_flow="row wrap", align_items="center"))


def column(*children):
    return W.VBox(list(children))


def check_choice(what, value, choices):
    """Raise one clear ValueError when ``value`` is not one of ``choices``."""
    if value not in choices:
        names = ", ".join(map(str, choices))
        raise ValueError(f"unknown {what} {value!r}; choose one of: {names}.")
    return value


def check_positive(what, value):
    """Raise one clear error unless ``value`` is a finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}.")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{what} must be a finite number greater than 0, but is {value}.")
    return float(value)


class BookWidget:
    """Base for the book's widgets: ``.widget`` is the ipywidgets box, ``.figure`` the figure.

    Displaying the object shows the live widget; the same display also carries the current
    figure as a PNG, so a notebook viewer without a kernel (GitHub, nbviewer) shows the
    static picture instead of nothing.
    """

    widget = None
    view = None

    @property
    def figure(self):
        return self.view.fig

    def _summary(self):
        return type(self).__name__

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data, meta = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = dict(data)
        data["image/png"] = base64.b64encode(self.view.png or self.view.refresh()).decode("ascii")
        data["text/plain"] = self._summary()
        return data, meta
