"""SliderFigure: a figure that a drawing function redraws whenever one of its sliders moves.

    import ipywidgets as widgets

    def secant(fig, h):
        '''Secant of x² through x = 1 and x = 1 + h.'''
        ax = fig.add_subplot()
        ...                                   # draw with the current value of h

    sf = SliderFigure(secant, h=widgets.FloatLogSlider(value=1.0, min=-3, max=0))
    sf.controls["h"].value = 0.01             # moving a slider redraws the figure
    sf.set(h=0.1)                             # the same from code, checked first
    sf.values, sf.figure

For the small "one idea, one slider" pictures of a chapter: the notebook writes only the
drawing function (what to plot); the widget owns the figure, the sliders, the redraw and the
PNG shown in the notebook. By default each redraw clears the figure and calls
``draw(fig, **values)`` again: simple, but a matplotlib figure takes 50-150 ms to draw.

A picture whose sliders move only some of its parts can say which, and is then redrawn in
10-30 ms: ``draw`` builds the whole figure and returns a function ``move(**values)``
that updates the moving parts (``line.set_data(...)``, ``title.set_text(...)``) and returns
those artists. The rest (axes, ticks, labels, fixed curves) is drawn once and kept as a
picture; a slider move calls ``move`` and paints only the artists it returns on top of that
picture, in the order returned (as matplotlib's own blitting does). ``move`` takes the values
of the sliders it handles, by name; moving any other slider builds the whole figure again, as
does a ``move`` that changes an axes' limits. ``move`` is also called for the first picture,
so ``draw`` need not set the moving parts itself.
"""

import inspect
import math
import numbers

from matplotlib.artist import Artist

from .common import (
    BookWidget,
    FigureView,
    W,
    check_choice,
    check_positive,
    fmt,
    new_canvas,
    on_main_thread,
)


def _describe(draw):
    """The first line of the drawing function's docstring, else its name."""
    doc = inspect.getdoc(draw)
    return doc.splitlines()[0] if doc else getattr(draw, "__name__", "figure")


def _bounds(slider):
    """(low, high) for a slider's value, or None for a control without a numeric range."""
    if isinstance(slider, W.FloatLogSlider):   # its min and max are exponents of its base
        return slider.base ** slider.min, slider.base ** slider.max
    low, high = getattr(slider, "min", None), getattr(slider, "max", None)
    if isinstance(low, numbers.Real) and isinstance(high, numbers.Real):
        return low, high
    return None


class SliderFigure(BookWidget):
    """A figure drawn by ``draw(fig, **values)``, redrawn when any slider changes.

    ``draw`` receives a cleared matplotlib Figure and one keyword argument per slider (its
    current value); it may return ``move(**values)`` for fast redraws (see the module's
    docstring). ``sliders`` are ipywidgets controls given by keyword, e.g.
    ``h=widgets.FloatLogSlider(...)``; ``size`` is the figure size in inches. ``.controls``
    holds the sliders by name, ``.values`` their current values.
    """

    def __init__(self, draw, size=(6.4, 3.6), **sliders):
        if not callable(draw):
            raise TypeError(f"SliderFigure needs a drawing function draw(fig, **values) as its "
                            f"first argument, not {type(draw).__name__}.")
        if not sliders:
            raise ValueError("SliderFigure needs at least one slider, given by keyword, for "
                             "example SliderFigure(draw, h=W.FloatSlider(min=0, max=2)).")
        for name, slider in sliders.items():
            if not isinstance(slider, W.ValueWidget):
                raise TypeError(f"slider {name!r} must be an ipywidgets control with a .value "
                                f"(such as W.FloatSlider), not {type(slider).__name__}.")
        try:
            inspect.signature(draw).bind(None, **{name: None for name in sliders})
        except TypeError:
            raise TypeError(f"{getattr(draw, '__name__', 'draw')} must accept the figure and "
                            f"the keyword arguments {', '.join(sliders)} (one per slider)."
                            ) from None
        except ValueError:   # a built-in without a readable signature: trust it
            pass
        if not (isinstance(size, (tuple, list)) and len(size) == 2):
            raise ValueError(f"size must be (width, height) in inches, not {size!r}.")
        width = check_positive("The figure's width", size[0])
        height = check_positive("The figure's height", size[1])
        self.draw, self.controls, self._holding = draw, dict(sliders), False
        self._margins = None   # the layout, computed for the first picture and then kept
        self._move = self._background = None   # for pictures with moving parts
        self._shown = {}                          # the values of the picture on show
        self.view = FigureView(new_canvas(width, height), _describe(draw))
        for slider in self.controls.values():   # redraws run where the cells run (see common)
            slider.observe(on_main_thread(self._on_change), "value")
        self.widget = W.VBox([*self.controls.values(), self.view.output])
        self.redraw()

    @property
    def values(self):
        """The current value of every slider, by name."""
        return {name: slider.value for name, slider in self.controls.items()}

    def set(self, **values):
        """Move several sliders at once and redraw once; every value is checked first."""
        for name, value in values.items():
            check_choice("slider", name, tuple(self.controls))
            self._check_value(name, value)
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.redraw()

    def _check_value(self, name, value):
        slider = self.controls[name]
        options = getattr(slider, "options", None)
        if options is not None:   # a Dropdown, ToggleButtons … : one of its options
            allowed = [o[1] if isinstance(o, tuple) else o for o in options]
            check_choice(f"value for {name!r}", value, allowed)
            return
        bounds = _bounds(slider)
        if bounds is None:
            return
        if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                or not math.isfinite(value):
            raise TypeError(f"{name} must be a finite number, not {value!r}.")
        if isinstance(slider, W.IntSlider) and value != int(value):
            raise ValueError(f"{name} is a whole-number slider; {value!r} is not a whole number.")
        low, high = bounds
        if not low <= value <= high:
            raise ValueError(f"{name} = {value!r} is outside its slider's range "
                             f"[{fmt(low)}, {fmt(high)}].")

    def _on_change(self, change):
        if not self._holding:
            self.redraw()

    def redraw(self):
        """Show the picture for the current values: move its moving parts if only sliders that
        ``move`` handles changed and the axes' limits stay put, else build the figure again."""
        changed = {name for name, v in self.values.items() if v != self._shown.get(name)}
        if not (self._move and changed <= set(self._moves) and self._paint_moved()):
            self._build()
        self._shown = self.values
        self.view.alt = self._summary()
        self.view.refresh(draw=self._move is None)

    def _build(self):
        """Clear the figure and call ``draw(fig, **values)`` (and ``move``, if it returns one).

        The first picture is laid out with matplotlib's tight layout; later ones reuse its
        margins, so the axes do not jump while a slider moves (and redraws are twice as fast).
        """
        fig = self.view.fig
        fig.clear()
        if self._margins:
            fig.subplots_adjust(**self._margins)
        self._move = self.draw(fig, **self.values)
        if self._move is not None and not callable(self._move):
            raise TypeError(f"{getattr(self.draw, '__name__', 'draw')} returned "
                            f"{type(self._move).__name__}; it should return nothing, or a "
                            f"function move(**values) that updates the moving parts.")
        moving = ()
        if self._move:   # the sliders move() handles: the names it takes, or all for **values
            takes = inspect.signature(self._move).parameters.values()
            self._moves = tuple(self.controls) if any(p.kind is p.VAR_KEYWORD for p in takes) \
                else tuple(p.name for p in takes if p.name in self.controls)
            moving = self._moved_artists()
        if not self._margins:
            fig.tight_layout()
            p = fig.subplotpars
            self._margins = {"left": p.left, "right": p.right, "bottom": p.bottom, "top": p.top,
                             "wspace": p.wspace, "hspace": p.hspace}
        if self._move:   # a picture of everything that does not move, then the moving parts
            fig.canvas.draw()
            self._limits = [ax.viewLim.bounds for ax in fig.axes]
            self._background = fig.canvas.copy_from_bbox(fig.bbox)
            for artist in moving:
                fig.draw_artist(artist)

    def _moved_artists(self):
        """Call ``move(**values)``; check and return the artists it says it changed."""
        artists = self._move(**{name: self.controls[name].value for name in self._moves})
        artists = list(artists) if isinstance(artists, (list, tuple)) else [artists]
        for artist in artists:
            if not isinstance(artist, Artist) or artist.figure is not self.view.fig:
                raise TypeError(f"move() must return the matplotlib artists of this figure that "
                                f"it changed (lines, texts, the legend ...), not {artist!r}.")
            artist.set_animated(True)   # left out of the picture of what stays
        return artists

    def _paint_moved(self):
        """Paint the moving parts over the kept picture; False if the limits changed."""
        fig = self.view.fig
        moving = self._moved_artists()
        if [ax.viewLim.bounds for ax in fig.axes] != self._limits:
            return False
        fig.canvas.restore_region(self._background)
        for artist in moving:
            fig.draw_artist(artist)
        return True

    def _summary(self):
        def shown(v):
            return fmt(v) if isinstance(v, numbers.Real) and not isinstance(v, bool) else v

        settings = ", ".join(f"{name} = {shown(v)}" for name, v in self.values.items())
        return f"{_describe(self.draw).rstrip('.')} ({settings})"
