"""The book's interactive figures, one file per widget, all written on ``toolkit``.

Each widget loads on first use, so importing a model (or the toolkit) needs neither
matplotlib nor ipywidgets; building a widget's view needs both.
"""

import importlib

WIDGETS = {"ChainRuleStepper": "chain_rule", "GradientDescentExplorer": "explorer",
           "LinearMapExplorer": "linear_map", "PerceptronExplorer": "perceptron",
           "SliderFigure": "slider_figure"}
__all__ = list(WIDGETS)


def __getattr__(name):
    if name in WIDGETS:
        return getattr(importlib.import_module(f"{__name__}.{WIDGETS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
