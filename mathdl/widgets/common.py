"""Interim: the parts of the old widget base that GradientDescentExplorer and ChainRuleStepper
still use until they are rewritten on ``toolkit``; everything else comes from ``toolkit``."""

import base64

import ipywidgets as W

from ..plotting import BOOK_RC, COLORS
from .toolkit import (  # noqa: F401
    banner,
    checks,
    column,
    draw_order,
    fmt,
    on_main_thread,
    png_bytes,
    row,
    same_notch,
    table,
)
from .toolkit import canvas as new_canvas  # noqa: F401

__all__ = ["W", "BOOK_RC", "COLORS", "new_canvas", "png_bytes", "draw_order", "FigureView", "fmt",
           "table", "banner", "row", "column", "check_choice", "check_positive", "on_main_thread",
           "same_notch", "BookWidget"]


def check_choice(what, value, choices):
    return checks.choice(what, value, choices)


def check_positive(what, value):
    return checks.positive(what, value)


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


class BookWidget:
    """The old base: ``.widget`` is the ipywidgets box, ``.figure`` the figure."""

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
