"""BayesExplorer: why a good test for a rare condition still gives mostly false positives.

    be = BayesExplorer(prior=0.01, sensitivity=0.9, specificity=0.95, population=1000)
    be.posterior    # P(condition | positive test) = 0.1538…, exact, from Bayes' theorem
    be.counts       # {"true_positive": 9, "false_positive": 50, "false_negative": 1,
                    #  "true_negative": 940}: the same population in whole people
    be.set(specificity=0.99); be.figure

Bayes' theorem with the prior P(C), the sensitivity P(+ | C) and the specificity P(- | not C):

    P(C | +) = P(+ | C) P(C) / P(+),   P(+) = P(+ | C) P(C) + (1 - P(- | not C)) (1 - P(C)).

The picture counts it out: the population as an icon array (a circle for each person with the
condition, a square for each without; filled and coloured when the test says positive), and
beside it only the people who tested positive, so the share of true positives among them, the
posterior, can be seen. "test again" gives everyone who tested positive a second, independent
test: the posterior becomes the new prior. The model, :class:`Screening`, needs no matplotlib.
"""

import math

import numpy as np

from .. import checks
from .toolkit import COLORS, Widget, button, fmt, ipywidgets, log_slider, slider, table

RANGES = {"prior": (1e-4, 1.0), "sensitivity": (0.0, 1.0), "specificity": (0.0, 1.0),
          "population": (10, 10000)}                    # the controls' ranges, too
DEFAULTS = {"prior": 0.01, "sensitivity": 0.9, "specificity": 0.95, "population": 1000}
KINDS = ("true_positive", "false_negative", "false_positive", "true_negative")
# (label, marker, face colour, edge colour): filled and coloured = the test said positive
STYLE = {"true_positive": ("has the condition, tests positive", "o", COLORS["gradient"],
                           COLORS["gradient"]),
         "false_negative": ("has the condition, tests negative (missed)", "o", "none",
                            COLORS["gradient"]),
         "false_positive": ("does not, tests positive (false alarm)", "s", COLORS["value"],
                            COLORS["value"]),
         "true_negative": ("does not, tests negative", "s", "#d4d4d4", "#d4d4d4")}


def _round(x):
    """Round half up (Python's round() sends 0.5 to the even neighbour)."""
    return math.floor(x + 0.5)


class Screening:
    """The model: a screening test applied to a population, by probabilities and by counts."""

    def __init__(self, prior=0.01, sensitivity=0.9, specificity=0.95, population=1000):
        self.prior, self.sensitivity, self.specificity, self.population = 0.5, 1.0, 1.0, 10
        self.set(prior=prior, sensitivity=sensitivity, specificity=specificity,
                 population=population)

    def set(self, prior=None, sensitivity=None, specificity=None, population=None):
        """Change any of the four; each is checked before anything changes."""
        new = {"prior": self.prior, "sensitivity": self.sensitivity,
               "specificity": self.specificity, "population": self.population}
        if prior is not None:           # the prior is a probability > 0: someone has it
            new["prior"] = checks.number("prior", prior, *RANGES["prior"])
        if sensitivity is not None:     # > 0: a test that never says positive tells nothing
            new["sensitivity"] = checks.number("sensitivity", sensitivity, *RANGES["sensitivity"],
                                               low_open=True)
        if specificity is not None:
            new["specificity"] = checks.number("specificity", specificity,
                                               *RANGES["specificity"])
        if population is not None:
            new["population"] = checks.whole("population", population, *RANGES["population"])
        for name, value in new.items():
            setattr(self, name, value)

    @property
    def evidence(self):
        """P(+) = P(+ | C) P(C) + P(+ | not C) P(not C): how often the test says positive."""
        return (self.sensitivity * self.prior
                + (1 - self.specificity) * (1 - self.prior))

    @property
    def posterior(self):
        """P(C | +) = P(+ | C) P(C) / P(+), exact (P(+) > 0 as prior and sensitivity are)."""
        return self.sensitivity * self.prior / self.evidence

    @property
    def counts(self):
        """The population in whole people: the sick are prior · population (rounded), the test
        finds sensitivity of them and raises a false alarm for 1 - specificity of the rest."""
        sick = _round(self.prior * self.population)
        healthy = self.population - sick
        tp = _round(self.sensitivity * sick)
        fp = _round((1 - self.specificity) * healthy)
        return {"true_positive": tp, "false_positive": fp, "false_negative": sick - tp,
                "true_negative": healthy - fp}

    def test_again(self):
        """Test everyone who tested positive once more: the posterior becomes the prior."""
        self.set(prior=max(self.posterior, RANGES["prior"][0]))


def _grid(n, aspect):
    """Columns and rows of an icon grid for n icons, about aspect times wider than tall."""
    cols = max(1, math.ceil(math.sqrt(n * aspect)))
    return cols, max(1, math.ceil(n / cols))


def _cell(fig, ax, cols, rows):
    """The side, in points, of one cell of a cols × rows grid drawn to scale in ax."""
    box = ax.get_position()
    width, height = fig.get_size_inches()
    return 72 * min(box.width * width / cols, box.height * height / rows)


def _places(start, n, cols):
    """(column, row) of the icons start, start + 1, …, start + n - 1, filled row by row."""
    i = np.arange(start, start + n)
    return np.column_stack([i % cols, i // cols]).astype(float)


class BayesExplorer(Widget):
    """Prior, sensitivity, specificity → the posterior, drawn as a population of icons."""

    size = (9.8, 4.4)
    tight = False         # draw places the axes: room for the legend under them
    moving = ("prior", "sensitivity", "specificity")

    def __init__(self, prior=0.01, sensitivity=0.9, specificity=0.95, population=1000):
        model = Screening(prior, sensitivity, specificity, population)
        W = ipywidgets()
        settings = {
            "prior": log_slider(model.prior, *RANGES["prior"], "prior", step=0.05, fmt=".4f"),
            "sensitivity": slider(*RANGES["sensitivity"], 0.001, "sensitivity", model.sensitivity),
            "specificity": slider(*RANGES["specificity"], 0.001, "specificity", model.specificity),
            "population": W.BoundedIntText(value=model.population, min=RANGES["population"][0],
                                           max=RANGES["population"][1], description="population"),
        }
        for control in settings.values():
            control.style.description_width = "initial"
        settings["population"].layout.width = "170px"
        actions = {"test again": (button("test again", "test everyone who tested positive "
                                         "once more: the posterior becomes the prior"),
                                  model.test_again),
                   "start over": (button("start over", "prior 1 %, sensitivity 90 %, "
                                         "specificity 95 %"), lambda: model.set(**DEFAULTS))}
        super().__init__(model, settings, actions)

    def draw(self, fig):
        m = self.model
        fig.subplots_adjust(left=0.01, right=0.99, top=0.86, bottom=0.15, wspace=0.06)
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.55, 1]})
        cols, rows = _grid(m.population, 1.55)
        side = 0.8 * _cell(fig, left, cols, rows)           # an icon's side in points
        for ax in (left, right):
            ax.set_aspect("equal")
            ax.set_axis_off()
        left.set(xlim=(-0.7, cols - 0.3), ylim=(rows - 0.3, -0.7))
        dots = {}
        for kind in KINDS:
            label, marker, face, edge = STYLE[kind]
            dots[kind] = left.scatter([], [], s=side ** 2, marker=marker, facecolors=face,
                                      edgecolors=edge, linewidths=max(0.6, side / 8),
                                      label=label)
        fig.legend(handles=[dots[k] for k in KINDS], loc="lower center", ncol=2, fontsize=9,
                   markerscale=max(1.0, 8 / side))
        pos = {kind: right.scatter([], [], marker=STYLE[kind][1], facecolors=STYLE[kind][2])
               for kind in ("true_positive", "false_positive")}

        def move():
            c = m.counts
            start = 0
            for kind in KINDS:                               # row by row, kind after kind
                dots[kind].set_offsets(_places(start, c[kind], cols))
                start += c[kind]
            left.set_title(f"{m.population} people: {c['true_positive'] + c['false_negative']} "
                           f"have the condition")
            positives = c["true_positive"] + c["false_positive"]
            pcols, prows = (max(k, 8) for k in _grid(positives, 1.0))
            right.set(xlim=(-0.7, pcols - 0.3), ylim=(prows - 0.3, -0.7))
            psize = 0.8 * _cell(fig, right, pcols, prows)
            start = 0
            for kind in ("true_positive", "false_positive"):
                pos[kind].set_offsets(_places(start, c[kind], pcols))
                pos[kind].set_sizes([psize ** 2])
                start += c[kind]
            share = f"{c['true_positive'] / positives:.0%}" if positives else "–"
            right.set_title(f"the {positives} who test positive:\n{c['true_positive']} have it "
                            f"({share}); exact P(C | +) = {m.posterior:.1%}")
            return [*dots.values(), *pos.values(), left.title, right.title]
        return move

    def readout(self):
        m, c = self.model, self.model.counts
        rows = [("has the condition", c["true_positive"], c["false_negative"],
                 c["true_positive"] + c["false_negative"]),
                ("does not", c["false_positive"], c["true_negative"],
                 c["false_positive"] + c["true_negative"]),
                ("P(condition | positive)", fmt(m.posterior), f"P(+) = {fmt(m.evidence)}",
                 f"prior {fmt(m.prior)}")]
        return table(("", "tests positive", "tests negative", "total"), rows)

    def describe(self):
        m, c = self.model, self.model.counts
        return (f"BayesExplorer: prior {fmt(m.prior)}, sensitivity {fmt(m.sensitivity)}, "
                f"specificity {fmt(m.specificity)}: of {m.population} people "
                f"{c['true_positive'] + c['false_positive']} test positive, "
                f"{c['true_positive']} of them have the condition; "
                f"P(condition | positive) = {fmt(m.posterior)}")
