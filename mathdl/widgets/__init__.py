"""The book's interactive figures (ipywidgets + matplotlib), one file per widget.

Importing this package needs matplotlib and ipywidgets; ``import mathdl`` alone does not.
"""

from .chain_rule import ChainRuleStepper
from .explorer import GradientDescentExplorer
from .slider_figure import SliderFigure

__all__ = ["ChainRuleStepper", "GradientDescentExplorer", "SliderFigure"]
