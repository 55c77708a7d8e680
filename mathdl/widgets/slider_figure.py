"""SliderFigure: a figure that a drawing function redraws whenever one of its sliders moves.

    def secant(fig, h):
        '''Secant of x² through x = 1 and x = 1 + h.'''
        ax = fig.add_subplot()
        ...                                   # draw with the current value of h

    sf = SliderFigure(secant, h=log_slider(1.0, 1e-3, 1.0, "h"))
    sf.controls["h"].value = 0.01             # moving a slider redraws the figure
    sf.set(h=0.1)                             # the same from code, checked first
    sf.values, sf.figure

For a chapter's small "one idea, one slider" pictures: the notebook writes only what to plot.
Each change clears the figure and calls ``draw(fig, **values)`` again (a matplotlib figure
takes 50-150 ms to draw), unless ``draw`` returns ``move(**values)``: the toolkit's move
protocol, which updates and returns the parts the sliders it names move (10-30 ms a move).
Moving any other slider builds the figure again; ``move`` also makes the first picture.
"""

import inspect

from .. import checks
from .toolkit import Widget, column, fmt, ipywidgets


class SliderValues:
    """The model: one value per slider, each checked against its slider's range or options."""

    def __init__(self, sliders):
        self.sliders, self.values = sliders, {name: s.value for name, s in sliders.items()}

    def set(self, **values):
        W = ipywidgets()
        for name, value in values.items():
            s = self.sliders[name]
            if getattr(s, "options", None) is not None:   # a Dropdown, ToggleButtons …
                checks.choice(f"value for {name!r}", value,
                              [o[1] if isinstance(o, tuple) else o for o in s.options])
            elif isinstance(s, W.FloatLogSlider):         # its min and max are exponents
                checks.number(name, value, s.base ** s.min, s.base ** s.max)
            elif checks.is_number(getattr(s, "min", None)):   # else a control we cannot check
                (checks.whole if isinstance(s, W.IntSlider) else checks.number)(
                    name, value, s.min, s.max)
        self.values.update(values)


class SliderFigure(Widget):
    """A figure drawn by ``draw(fig, **values)``, redrawn when any slider changes.

    ``sliders`` are ipywidgets controls given by keyword (``h=log_slider(...)``); ``size`` is
    the figure size in inches. ``.controls`` holds the sliders, ``.values`` their values.
    """

    setting_word = "slider"

    def __init__(self, draw, size=(6.4, 3.6), **sliders):
        if not callable(draw):
            raise TypeError(f"SliderFigure needs a drawing function draw(fig, **values) as its "
                            f"first argument, not {type(draw).__name__}.")
        if not sliders:
            raise ValueError("SliderFigure needs at least one slider, given by keyword, for "
                             "example SliderFigure(draw, h=slider(0, 2, 0.1)).")
        for name, s in sliders.items():
            if not isinstance(s, ipywidgets().ValueWidget):
                raise TypeError(f"slider {name!r} must be an ipywidgets control with a .value "
                                f"(such as a FloatSlider), not {type(s).__name__}.")
        try:
            inspect.signature(draw).bind(None, **dict.fromkeys(sliders))
        except TypeError:
            raise TypeError(f"{getattr(draw, '__name__', 'draw')} must accept the figure and "
                            f"the keyword arguments {', '.join(sliders)} (one per slider)."
                            ) from None
        except ValueError:   # a built-in without a readable signature: trust it
            pass
        if not (isinstance(size, tuple | list) and len(size) == 2):
            raise ValueError(f"size must be (width, height) in inches, not {size!r}.")
        self.size = (checks.positive("The figure's width", size[0]),
                     checks.positive("The figure's height", size[1]))
        self.user_draw, self.moving = draw, ()
        super().__init__(SliderValues(sliders), settings=sliders)

    def value_of(self, name):
        return self.model.values[name]

    @property
    def values(self):
        """The current value of every slider, by name."""
        return dict(self.model.values)

    def draw(self, fig):
        move = self.user_draw(fig, **self.model.values)
        self.moving = ()
        if move is None or not callable(move):
            return move      # the toolkit explains a wrong return value
        takes = inspect.signature(move).parameters.values()
        self.moving = tuple(self.controls) if any(p.kind is p.VAR_KEYWORD for p in takes) \
            else tuple(p.name for p in takes if p.name in self.controls)
        return lambda: move(**{name: self.model.values[name] for name in self.moving})

    def describe(self):
        """The drawing function's first docstring line (else its name), and the values."""
        doc = inspect.getdoc(self.user_draw)
        what = doc.splitlines()[0] if doc else getattr(self.user_draw, "__name__", "figure")
        values = ", ".join(f"{name} = {fmt(v) if checks.is_number(v) else v}"
                           for name, v in self.model.values.items())
        return f"{what.rstrip('.')} ({values})"

    def layout(self):
        return column(*self.controls.values(), self.banner, self.picture.output)
