"""PerceptronExplorer: one artificial neuron against the truth tables of the logic gates.

    pe = PerceptronExplorer(gate="and", weights=(1.0, 1.0), bias=-1.5)
    pe.set(gate="xor", weights=(1.0, -1.0), bias=0.5)
    pe.truth_table      # [(x1, x2, target, output), ...] for the inputs 00, 01, 10, 11
    pe.correct          # how many of the four rows the neuron gets right
    pe.separable        # can any line do it? False for xor and xnor
    pe.learn()          # one pass of the perceptron rule over the four rows
    pe.set(feature=True, product=-2.0)   # add the input x1·x2 with its own weight

The neuron outputs 1 when its score z = w₁x₁ + w₂x₂ + b is positive and 0 otherwise, so it
splits the plane along the line z = 0. The picture shows that line, the two half-planes,
the four inputs (filled: target 1, hollow: target 0, ringed: answered wrongly) and the truth
table. With the x₁x₂ feature on, z gains the term w₁₂·x₁x₂ and the boundary bends into a
hyperbola, which can separate XOR.
"""

import numpy as np

from .. import checks
from .toolkit import COLORS, Widget, button, fmt, menu, slider, toggle

GATES = {"and": (0, 0, 0, 1), "or": (0, 1, 1, 1), "nand": (1, 1, 1, 0),
         "nor": (1, 0, 0, 0), "xor": (0, 1, 1, 0), "xnor": (1, 0, 0, 1)}
INPUTS = ((0, 0), (0, 1), (1, 0), (1, 1))
LIMIT = 4.0          # weights and bias live in [-LIMIT, LIMIT], the sliders' range
RATE = 0.5           # the perceptron rule's step


class Perceptron:
    """The model: a gate, two weights, a bias, and optionally the weight of the feature x₁x₂."""

    def __init__(self, gate="and", weights=(1.0, 1.0), bias=-1.5, feature=False, product=0.0):
        self.gate, self.weights, self.bias, self.feature, self.product = "and", (0.0, 0.0), \
            0.0, False, 0.0
        self.history = []        # mistakes in each pass of the perceptron rule since a change
        self.set(gate=gate, weights=weights, bias=bias, feature=feature, product=product)

    def set(self, gate=None, weights=None, bias=None, feature=None, product=None, w1=None,
            w2=None):
        """Change any of the values (``w1``, ``w2`` set one weight); all are checked first."""
        gate = self.gate if gate is None else checks.choice("gate", gate, tuple(GATES))
        if weights is not None:
            if isinstance(weights, str) or not hasattr(weights, "__len__") or len(weights) != 2:
                raise ValueError(f"weights must be a pair (w1, w2) of numbers, got {weights!r}.")
            weights = tuple(checks.number(f"w{i + 1}", w, -LIMIT, LIMIT)
                            for i, w in enumerate(weights))
        w = list(weights or self.weights)
        for i, value in enumerate((w1, w2)):
            if value is not None:
                w[i] = checks.number(f"w{i + 1}", value, -LIMIT, LIMIT)
        bias = self.bias if bias is None else checks.number("bias", bias, -LIMIT, LIMIT)
        if feature is not None and not isinstance(feature, bool | np.bool_):
            raise ValueError(f"feature must be True (add the input x1·x2) or False, "
                             f"got {feature!r}.")
        feature = self.feature if feature is None else bool(feature)
        if product is not None:
            product = checks.number("product", product, -LIMIT, LIMIT)
            if product != 0 and not feature:
                raise ValueError("product is the weight of the x1·x2 feature, which is off: "
                                 "pass feature=True as well.")
        product = (self.product if product is None else product) if feature else 0.0
        self.gate, self.weights, self.bias = gate, tuple(w), bias
        self.feature, self.product, self.history = feature, product, []

    w1 = property(lambda self: self.weights[0])
    w2 = property(lambda self: self.weights[1])

    def score(self, x1, x2):
        """z = w₁x₁ + w₂x₂ (+ w₁₂x₁x₂) + b, for numbers or numpy arrays."""
        return self.w1 * x1 + self.w2 * x2 + self.product * x1 * x2 + self.bias

    @property
    def truth_table(self):
        """(x1, x2, target, output) for the four inputs; output = 1 if z > 0 else 0."""
        return [(x1, x2, t, int(self.score(x1, x2) > 0))
                for (x1, x2), t in zip(INPUTS, GATES[self.gate])]

    @property
    def correct(self):
        return sum(t == out for _, _, t, out in self.truth_table)

    @property
    def separable(self):
        """Whether some line separates the gate's 1s from its 0s (all but xor and xnor)."""
        return self.gate not in ("xor", "xnor")

    def learn(self):
        """One pass of the perceptron rule: for each row in turn, w += RATE·(target − output)·x
        and b += RATE·(target − output) (and w₁₂ with x₁x₂ if the feature is on); values stay
        in [-LIMIT, LIMIT]. Returns the number of mistakes made during the pass."""
        w, b, p, mistakes = np.array(self.weights), self.bias, self.product, 0
        for (x1, x2), t in zip(INPUTS, GATES[self.gate]):
            error = t - int(w[0] * x1 + w[1] * x2 + p * x1 * x2 + b > 0)
            if error:
                mistakes += 1
                w, b = np.clip(w + RATE * error * np.array([x1, x2]), -LIMIT, LIMIT), \
                    float(np.clip(b + RATE * error, -LIMIT, LIMIT))
                p = float(np.clip(p + RATE * error * x1 * x2, -LIMIT, LIMIT)) if self.feature \
                    else 0.0
        history = self.history
        self.set(weights=tuple(float(v) for v in w), bias=b, product=p)
        self.history = history + [mistakes]
        return mistakes


def _boundary(z, grid):
    """The curve z = 0 of a grid of scores, as one (x, y) polyline with NaN between pieces."""
    if not (z.min() < 0 < z.max()):
        return [], []
    import contourpy
    pieces = contourpy.contour_generator(grid, grid, z).lines(0.0)
    joined = np.concatenate([np.vstack([p, [[np.nan, np.nan]]]) for p in pieces])
    return joined[:, 0], joined[:, 1]


class PerceptronExplorer(Widget):
    """The view: the plane with the boundary and the inputs, next to the truth table."""

    size = (8.6, 3.9)
    tight = False         # draw places the two axes itself
    moving = ("gate", "w1", "w2", "bias", "feature", "product")
    GRID = np.linspace(-0.6, 1.6, 221)

    def __init__(self, gate="and", weights=(1.0, 1.0), bias=-1.5, feature=False, product=0.0):
        model = Perceptron(gate, weights, bias, feature, product)
        settings = {"gate": menu([(g.upper(), g) for g in GATES], "gate", value=model.gate),
                    "w1": slider(-LIMIT, LIMIT, 0.1, "w₁", value=model.w1),
                    "w2": slider(-LIMIT, LIMIT, 0.1, "w₂", value=model.w2),
                    "bias": slider(-LIMIT, LIMIT, 0.1, "b", value=model.bias),
                    "feature": toggle("x₁x₂ feature", model.feature,
                                      "add the input x₁·x₂ with its own weight w₁₂"),
                    "product": slider(-LIMIT, LIMIT, 0.1, "w₁₂", value=model.product)}
        actions = {"next": (button("next gate", "the next truth table"), self._next_gate),
                   "learn": (button("perceptron rule", "one pass of w += 0.5·(target − "
                                    "output)·x over the four rows"), self._learn)}
        super().__init__(model, settings, actions)

    def set(self, **values):
        """Like the model's ``set`` (gate, weights, bias, feature, product, w1, w2)."""
        for name in values:
            checks.choice("setting", name, (*self.moving, "weights"))
        self.model.set(**values)
        self.refresh()

    def _next_gate(self):
        names = list(GATES)
        self.model.set(gate=names[(names.index(self.model.gate) + 1) % len(names)])

    def _learn(self):
        self.model.learn()

    def learn(self):
        """One pass of the perceptron rule (see ``Perceptron.learn``), then the picture."""
        mistakes = self.model.learn()
        self.refresh()
        return mistakes

    def update_controls(self):
        self.controls["product"].disabled = not self.model.feature

    def draw(self, fig):
        from matplotlib.colors import ListedColormap
        m, grid = self.model, self.GRID
        plane = fig.add_axes((0.07, 0.13, 0.43, 0.76))
        table = fig.add_axes((0.55, 0.05, 0.44, 0.84))
        plane.set(xlim=(-0.6, 1.6), ylim=(-0.6, 1.6), aspect="equal", xlabel="x₁", ylabel="x₂",
                  xticks=[0, 1], yticks=[0, 1])
        plane.grid(False)
        shading = ListedColormap([COLORS["value"], COLORS["highlight"]])
        regions = plane.imshow(np.zeros((len(grid), len(grid))), origin="lower", cmap=shading,
                               extent=(-0.6, 1.6, -0.6, 1.6), vmin=0, vmax=1, alpha=0.22,
                               interpolation="nearest")
        line, = plane.plot([], [], color=COLORS["text"], lw=2)
        xs, ys = np.array(INPUTS, dtype=float).T
        rings, = plane.plot([], [], "o", ms=22, mfc="none", mec=COLORS["gradient"], mew=2.5)
        points = [plane.plot([x], [y], "o", ms=11, mec=COLORS["text"], mew=1.5)[0]
                  for x, y in INPUTS]
        for x, y in INPUTS:
            plane.annotate(f"({x}, {y})", (x, y), xytext=(0, -17), textcoords="offset points",
                           ha="center", va="top", fontsize=8,
                           bbox={"fc": "white", "ec": "none", "alpha": 0.75, "pad": 1})
        title = plane.set_title("")
        table.set_axis_off()
        table.set(xlim=(0, 1), ylim=(0, 1))
        columns = (0.07, 0.21, 0.39, 0.63, 0.84, 0.96)
        for x, head in zip(columns, ("x₁", "x₂", "target", "z", "output", "")):
            table.text(x, 0.86, head, ha="center", fontsize=10, weight="bold")
        table.plot([0.0, 1.0], [0.83, 0.83], color=COLORS["muted"], lw=1)
        cells = [[table.text(x, 0.72 - 0.13 * r, "", ha="center", fontsize=10)
                  for x in columns] for r in range(4)]
        for row_cells in cells:
            row_cells[-1].set(fontsize=12, weight="bold")
        formula = table.text(0.0, 0.17, "", fontsize=10.5)
        table.text(0.0, 0.01, "points: filled = target 1, hollow = target 0, red ring = wrong\n"
                   "shading: orange side = output 1 (z > 0), blue side = output 0",
                   fontsize=8, color="#555555", linespacing=1.5)

        x1, x2 = np.meshgrid(grid, grid)
        shown = {}                       # what each moving part shows now

        def move():                      # returns only the parts whose content changed
            z = m.score(x1, x2)
            rows = m.truth_table
            wrong = [r for r in rows if r[2] != r[3]]
            wanted = {regions: (z > 0).tobytes(), line: z.tobytes(), rings: str(wrong),
                      title: self._headline(), formula: "z = " + self._formula()}
            wanted.update({p: t for p, (_, _, t, _) in zip(points, rows)})
            for row_cells, (a, b, t, out) in zip(cells, rows):
                texts = (a, b, t, fmt(m.score(a, b), 3), out, "✓" if t == out else "✗")
                wanted.update({cell: str(text) for cell, text in zip(row_cells, texts)})
            changed = [a for a, state in wanted.items() if shown.get(a) != state]
            for a in changed:
                if a is regions:
                    regions.set_data((z > 0).astype(float))
                elif a is line:
                    line.set_data(*_boundary(z, grid))
                elif a is rings:
                    rings.set_data([r[0] for r in wrong], [r[1] for r in wrong])
                elif a in points:
                    a.set_markerfacecolor(COLORS["text"] if wanted[a] else "white")
                else:
                    a.set_text(wanted[a])
                    if wanted[a] in "✓✗":
                        a.set_color(COLORS["minimum"] if wanted[a] == "✓" else COLORS["gradient"])
                shown[a] = wanted[a]
            return changed
        return move

    def _formula(self):
        """The score as a formula: '1·x₁ + 1·x₂ − 1.5'."""
        m = self.model
        terms = [(m.w1, "·x₁"), (m.w2, "·x₂")] + [(m.product, "·x₁x₂")] * m.feature + \
            [(m.bias, "")]
        text = "".join(f" {'−' if w < 0 else '+'} {fmt(abs(w), 3)}{name}" for w, name in terms)
        return text[3:] if text.startswith(" +") else "−" + text[3:]

    def _headline(self):
        m = self.model
        return f"{m.gate.upper()}: {m.correct} of 4 correct"

    def warning(self):
        m, h = self.model, self.model.history
        if not m.separable and not m.feature and len(h) >= 3 and all(h):
            return (f"{len(h)} passes of the perceptron rule and still wrong: no line "
                    f"separates {m.gate.upper()}, so it never settles.")
        return ""

    def readout(self):
        h = self.model.history
        if not h:
            return ""
        settled = " (settled: every row right)" if h[-1] == 0 else ""
        return (f"perceptron rule: {len(h)} pass{'es' * (len(h) > 1)} since the last change, "
                f"mistakes per pass {', '.join(map(str, h[-12:]))}{settled}")

    def describe(self):
        return f"PerceptronExplorer({self._headline()}; z = {self._formula()})"
