"""ChainRuleStepper: walk the chain rule through a computational graph, one node at a time.

    cs = ChainRuleStepper(lambda a, b: (a + b) * (b + 1), a=2.0, b=1.0)
    cs.forward_step(); cs.run_forward(); cs.backward_step(); cs.run_backward(); cs.reset()
    cs.values, cs.grads, cs.order, cs.phase, cs.figure

The model, ``ChainRule``, needs no matplotlib. The function runs once on mathdl tensors and
``mathdl.graph.trace`` turns the result into a DAG. Forward steps reveal each node's value in
topological order. Backward steps visit the nodes in reverse order and call each node's own
step of the chain rule (``Node.backward``, the engine's ``backward``) to pass the gradient to
its inputs; a value used twice receives two contributions, listed before their sum.
"""

import copy
import html

import numpy as np

from .. import checks
from ..graph import layout, trace
from ..plotting import COLORS
from ..tensor import Tensor, no_grad, tensor
from .toolkit import (
    Widget,
    button,
    canvas,
    change,
    column,
    fmt,
    menu,
    png_bytes,
    row,
    table,
    toggle,
)


def _neuron(x1, w1, x2, w2, b):
    p1, p2 = x1 * w1, x2 * w2
    s = p1 + p2
    z = s + b
    o = z.tanh()
    return o, {"p1": p1, "p2": p2, "s": s, "z": z, "o": o}


def _network(x1, x2, w11, w12, w21, w22, b1, b2, v1, v2, c, y):
    p1, p2, p3, p4 = w11 * x1, w12 * x2, w21 * x1, w22 * x2
    s1, s2 = p1 + p2, p3 + p4
    z1, z2 = s1 + b1, s2 + b2
    h1, h2 = z1.tanh(), z2.tanh()
    q1, q2 = v1 * h1, v2 * h2
    yhat = q1 + q2 + c
    r = yhat - y
    loss = r ** 2
    return loss, {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "s1": s1, "s2": s2, "z1": z1, "z2": z2,
                  "h1": h1, "h2": h2, "q1": q1, "q2": q2, "ŷ": yhat, "r": r, "L": loss}


PRESETS = {   # name: (title, function, inputs, the parameters among them)
    "product": ("(a + b)(b + 1)", lambda a, b: (a + b) * (b + 1), {"a": 2.0, "b": 1.0}, ("a", "b")),
    "neuron": ("tanh neuron", _neuron, {"x1": 1.5, "w1": -0.8, "x2": 0.5, "w2": 1.2, "b": 0.3},
               ("w1", "w2", "b")),
    "network": ("2-2-1 network, squared error", _network,
                {"x1": 0.5, "x2": -1.0, "w11": 0.8, "w12": -0.4, "w21": 0.3, "w22": 0.9,
                 "b1": 0.1, "b2": -0.2, "v1": 1.1, "v2": -0.7, "c": 0.05, "y": 1.0},
                ("w11", "w12", "w21", "w22", "b1", "b2", "v1", "v2", "c")),
}
INFIX = {"+": "+", "-": "−", "*": "·", "/": "/", "**": "^", "@": "@"}


class ChainRule:
    """The model: ``f(**inputs)`` traced into a DAG, and how far the two passes have got.

    ``f`` takes scalar tensors as keyword arguments and returns a one-number Tensor, or a pair
    ``(result, {label: inner tensor})`` to give inner nodes readable names; its ``__name__`` is
    the title. ``wrt`` names the inputs that are parameters, whose gradients are wanted (by
    default all; the others are data), for ``costs()``. ``preset`` (one of ``PRESETS``)
    replaces ``f``; ``set(preset=None)`` goes back to ``f``.
    """

    def __init__(self, f=None, preset=None, wrt=None, **inputs):
        if f is not None and not callable(f):
            raise TypeError(f"ChainRuleStepper needs a function of tensors, not "
                            f"{type(f).__name__}.")
        if preset is not None and (f, wrt) != (None, None):
            raise ValueError("give either a function (and its wrt=) or preset=, not both.")
        self.custom = None if f is None else (getattr(f, "__name__", "f"), f, inputs, wrt)
        if f is None:
            preset = checks.choice("preset", preset or "product", tuple(PRESETS))
            title, f, defaults, wrt = PRESETS[preset]
            inputs = {**defaults, **inputs}
        self._load(preset, *(self.custom or (title, f, inputs, wrt)))

    def set(self, preset):
        """Trace a preset instead; ``None`` goes back to the function given (if one was)."""
        checks.choice("preset", preset, (*PRESETS, None) if self.custom else tuple(PRESETS))
        self._load(preset, *(self.custom if preset is None else PRESETS[preset]))

    def _load(self, preset, title, f, inputs, wrt):
        """Trace ``f`` at ``inputs``; every check comes before any attribute changes."""
        if not inputs:
            raise ValueError("give the function's inputs as keyword arguments, e.g. "
                             "ChainRuleStepper(f, a=2.0, b=1.0).")
        leaves = {k: tensor(checks.number(f"input {k!r}", v), requires_grad=True)
                  for k, v in inputs.items()}
        out, labels = f(**leaves), {}
        if isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], dict):
            out, labels = out
        if not isinstance(out, Tensor) or out.size != 1:
            got = out.shape if isinstance(out, Tensor) else type(out).__name__
            raise ValueError(f"ChainRuleStepper needs a function that returns a single number "
                             f"(a Tensor with one element), but it returned {got}.")
        if not out.requires_grad:
            raise ValueError("the function's result does not depend on any of its inputs, "
                             "so there is no chain rule to step through.")
        graph = trace(out, names=leaves, labels=labels)
        nodes = {k: n for k, n in graph.nodes.items() if n.op != "const"}
        inputs_used = [k for k, n in nodes.items() if n.op == "input"]
        wrt = tuple(inputs_used if wrt is None else wrt if isinstance(wrt, list | tuple) else
                    [wrt])
        for k in wrt:
            checks.choice("wrt input", k, inputs_used)
        if not wrt or len(set(wrt)) < len(wrt):
            raise ValueError(f"wrt must name at least one input, each once; got {wrt!r}.")
        self.local = {(u, n.label, k): float(d.data) for n in nodes.values() if not n.is_leaf
                      for k, (u, d) in enumerate(zip(n.inputs, n.backward(1.0))) if u in nodes}
        self.f, self.title, self.inputs, self.graph = f, title, dict(inputs), graph
        self.preset, self.wrt = preset, wrt
        self.nodes, self.order, self.leaves = nodes, list(nodes), inputs_used
        self.ops = [k for k, n in nodes.items() if not n.is_leaf]
        self.edges = list(self.local)            # (input, node, argument position), one per use
        self.uses = {k: [e for e in self.edges if e[0] == k] for k in nodes}
        self.reset()

    def reset(self):
        """Back to the start: only the inputs' values are known, no gradients yet."""
        self.done_forward = self.done_backward = 0
        self.active, self.lines, self.log = None, [], []
        self._values = {k: float(self.nodes[k].tensor.data) for k in self.leaves}
        self._grads, self.received = {}, {k: [] for k in self.nodes}

    @property
    def phase(self):
        if self.done_forward < len(self.ops):
            return "forward"
        return "backward" if self.done_backward <= len(self.ops) else "done"

    values = property(lambda self: dict(self._values), doc="{node: value computed so far}")
    grads = property(lambda self: dict(self._grads), doc="{node: gradient accumulated so far}")

    def expr(self, n, numbers=False):
        """Node ``n``'s operation on its inputs' labels (or, with ``numbers``, their values)."""
        args = [a.split("#")[0] if a not in self.nodes else   # a constant: its value
                fmt(self._values[a]) if numbers else a for a in n.inputs]
        if n.symbol in INFIX and len(args) == 2:
            return f"{args[0]} {INFIX[n.symbol]} {args[1]}"
        return f"−{args[0]}" if n.symbol == "neg" else f"{n.symbol}({', '.join(args)})"

    def forward_step(self):
        """Compute the next node's value from its inputs (topological order)."""
        if self.phase != "forward":
            raise RuntimeError("the forward pass is complete; use backward_step(), or reset().")
        n = self.nodes[self.ops[self.done_forward]]
        self._values[n.label] = v = float(n.tensor.data)
        self.done_forward += 1
        self._record(("forward", n.label),
                     [f"{n.label} = {self.expr(n)} = {self.expr(n, True)} = {fmt(v)}"])

    def backward_step(self):
        """Seed the output's gradient, then pass one node's gradient to its inputs."""
        if self.phase != "backward":
            raise RuntimeError("backward_step() needs the forward pass done first (run_forward())."
                               if self.phase == "forward" else
                               "the backward pass is complete; reset() to start again.")
        if self.done_backward == 0:
            out = self.graph.output
            self._grads[out], self.done_backward = 1.0, 1
            return self._record(("backward", out), [f"grad[{out}] = ∂{out}/∂{out} = 1  (the seed)"])
        n = self.nodes[self.ops[-self.done_backward]]
        g, lines = self._grads.get(n.label, 0.0), []
        for k, (u, c) in enumerate(zip(n.inputs, n.backward(g))):
            if u not in self.nodes:
                continue
            c = float(c.data)
            self._grads[u] = self._grads.get(u, 0.0) + c
            self.received[u].append(c)
            lines.append(f"grad[{u}] += grad[{n.label}] · ∂{n.label}/∂{u} = {fmt(g)} · "
                         f"{fmt(self.local[(u, n.label, k)])} = {fmt(c)}")
            uses, got = len(self.uses[u]), len(self.received[u])
            if uses > 1 and got < uses:
                lines[-1] += f"   ({got} of {uses} uses of {u})"
            elif uses > 1:
                parts = " + ".join(fmt(x) for x in self.received[u])
                lines.append(f"grad[{u}] = {parts} = {fmt(self._grads[u])}   "
                             f"({u} feeds {uses} places: their contributions add)")
        self.done_backward += 1
        self._record(("backward", n.label), lines)

    def _record(self, active, lines):
        self.active, self.lines = active, lines
        self.log.extend(lines)

    def step(self):
        """One forward step, or one backward step once the forward pass is done."""
        if self.phase != "done":
            (self.forward_step if self.phase == "forward" else self.backward_step)()

    def run_forward(self):
        while self.phase == "forward":
            self.forward_step()

    def run_backward(self):
        """Finish the backward pass (running the rest of the forward pass first if needed)."""
        while self.phase != "done":
            self.step()

    # ---- the same numbers, seen other ways ----------------------------------------------------
    def paths(self, leaf):
        """Every path from ``leaf`` to the output, as lists of edges (input, node, position)."""
        checks.choice("input", leaf, self.leaves)
        found, stack = [], [(leaf, [])]
        while stack:
            node, path = stack.pop()
            if node == self.graph.output:
                found.append(path)
                continue
            stack.extend((e[1], path + [e]) for e in reversed(self.uses[node]))
        return found

    def path_sum(self, leaf):
        """∂out/∂leaf as the sum over paths of the product of local derivatives: (value, text)."""
        terms, total = [], 0.0
        for path in self.paths(leaf):
            factors = [self.local[e] for e in reversed(path)]
            total += float(np.prod(factors))
            terms.append("·".join(fmt(x) for x in factors) or "1")
        return total, f"∂{self.graph.output}/∂{leaf} = " + " + ".join(terms) + f" = {fmt(total)}"

    def costs(self):
        """Multiplications (one per edge and sweep) for the gradient with respect to ``wrt``:
        summing over its paths, one reverse sweep, and forward mode (a sweep per parameter)."""
        per_path = [len(p) - 1 for leaf in self.wrt for p in self.paths(leaf)]
        return {"paths": len(per_path), "sum_over_paths": sum(per_path) + len(per_path),
                "reverse": len(self.edges), "forward_mode": len(self.wrt) * len(self.edges),
                "inputs": len(self.leaves), "parameters": len(self.wrt), "edges": len(self.edges)}

    def nudge_check(self, h=1e-6):
        """Central differences (f(x+h) − f(x−h)) / 2h for every input: {name: (backprop, numeric)}.

        The backprop column is the stepper's own gradient once the backward pass is done, and
        the engine's ``backward()`` otherwise.
        """
        def f_at(name, delta):
            with no_grad():
                out = self.f(**{k: tensor(float(v) + (delta if k == name else 0.0))
                                for k, v in self.inputs.items()})
            return float((out[0] if isinstance(out, tuple) else out).data)

        numeric = {k: (f_at(k, h) - f_at(k, -h)) / (2 * h) for k in self.leaves}
        if self.phase == "done":
            auto = {k: self._grads.get(k, 0.0) for k in self.leaves}
        else:
            from ..autodiff import grad
            gs = grad(self.nodes[self.graph.output].tensor,
                      [self.nodes[k].tensor for k in self.leaves])
            auto = {k: float(g.data) for k, g in zip(self.leaves, gs)}
        return {k: (auto[k], numeric[k]) for k in self.leaves}


# The picture's geometry, in pixels (the book draws at 100 dpi), and font sizes in points.
FONT, EDGE_FONT = 7.5, 7
PAD, BOX_H, LINE = 6, 54, 16    # text to box side; box height; from one line in a box to the next
ROW_GAP, PORTS = 24, 20         # between rows of boxes; between two edges entering one box
HEAD, MARGIN, TOP, CAPTION = 7, 10, 24, 52     # arrowhead length; margins; caption's height
MIN_WIDTH, MAX_WIDTH = 500, 980                # the book's figures stay within ~1,000 px
# Ever tighter layouts, tried in turn until the graph fits MAX_WIDTH: each edge labelled in full
# (∂c/∂a=1) or by its number; each box's title on one line or two (p1 = over w11 · x1); the
# room left for an edge's bend between two columns.
FITS = ((True, 1, 26), (False, 1, 26), (False, 1, 14), (False, 2, 12))
DONE = "forward pass, then backward pass: every value and gradient"


class ChainRuleStepper(Widget):
    """The view: the DAG left to right, value and gradient in each box, the local derivative
    on each edge, the active node highlighted and the step's arithmetic under it."""

    tight, PRESETS = False, tuple(PRESETS)
    commands = ("forward_step", "backward_step", "step", "run_forward", "run_backward", "reset")

    def __init__(self, f=None, *, preset=None, wrt=None, **inputs):
        m = ChainRule(f, preset, wrt, **inputs)
        options = [(p[0], k) for k, p in PRESETS.items()]
        options = [(f"custom: {m.title}", None)] * bool(m.custom) + options
        actions = {"forward": (button("forward step", "compute the next value"), self._forward),
                   "backward": (button("backward step", "pass one gradient back"),
                                self._backward),
                   "run_forward": (button("run forward"), m.run_forward),
                   "run_backward": (button("run backward"), m.run_backward),
                   "reset": (button("reset"), m.reset),
                   "paths": (toggle("sum over paths"), lambda: None),
                   "nudge": (toggle("nudge check"), lambda: None)}
        super().__init__(m, {"preset": menu(options, "graph", m.preset)}, actions)

    def _forward(self):
        if self.model.phase == "forward":
            self.model.forward_step()

    def _backward(self):
        (self.model.run_forward if self.model.phase == "forward" else self.model.step)()

    def layout(self):
        c = self.controls
        return column(row(c["preset"], c["reset"]),
                      row(c["forward"], c["backward"], c["run_forward"], c["run_backward"]),
                      self.picture.output, row(c["paths"], c["nudge"]), self.panel)

    def update_controls(self):
        c, phase = self.controls, self.model.phase
        c["forward"].disabled = c["run_forward"].disabled = phase != "forward"
        c["backward"].disabled = c["run_backward"].disabled = phase == "done"

    def _geometry(self, m, measure):
        """In pixels (the axes fill the figure, one data unit a pixel): the figure's size, each
        box's (left, bottom, width, height) and title lines sized to its measured text, each
        edge's start (x0, y0), the end of its bend xa and its tip (x1, y1), the edge labels and
        whether they are whole. Edges bend in the channel after each column and enter their box
        horizontally, with the label on that last straight stretch, clear of every box; a graph
        too wide for the page takes the first of ``FITS`` that fits (or the last)."""
        pos = layout(m.order, [(u, v) for u, v, _ in m.edges])
        col = {k: int(x) for k, (x, _) in pos.items()}
        title = {k: k if n.is_leaf else f"{k} = {m.expr(n)}" for k, n in m.nodes.items()}
        for full, lines, curve in FITS:
            titles = {k: t.replace(" = ", " =\n", lines - 1).split("\n") for k, t in title.items()}
            width, arm = [0.0] * (max(col.values()) + 1), [0.0] * (max(col.values()) + 1)
            for k in m.nodes:
                w = max(measure("∇ -0.0000", FONT), *(measure(t, FONT, "bold") for t in titles[k]))
                width[col[k]] = max(width[col[k]], w + 2 * PAD)
            labels = {e: f"∂{e[1]}/∂{e[0]}={fmt(m.local[e], 3)}" if full else
                      fmt(m.local[e], 3) for e in m.edges}
            for e in m.edges:
                arm[col[e[1]]] = max(arm[col[e[1]]], measure(labels[e], EDGE_FONT) + 6)
            graph = 2 * MARGIN + sum(width) + sum(curve + a + HEAD for a in arm[1:])
            if graph <= MAX_WIDTH:
                break
        ys, h = [y for _, y in pos.values()], BOX_H + (lines - 1) * LINE
        size = (max(MIN_WIDTH, round(graph)),
                round(CAPTION + (max(ys) - min(ys)) * (h + ROW_GAP) + h + TOP))
        left = [(size[0] - graph) / 2 + MARGIN]
        for c in range(1, len(width)):
            left.append(left[-1] + width[c - 1] + curve + arm[c] + HEAD)
        box = {k: (left[col[k]], CAPTION + (y - min(ys)) * (h + ROW_GAP), width[col[k]], h)
               for k, (_, y) in pos.items()}
        edges = {}
        for v in m.nodes:
            into = sorted((e for e in m.edges if e[1] == v), key=lambda e: e[2])
            for i, e in enumerate(into):
                x0, y0, w, _ = box[e[0]]
                x1, y1 = box[v][0], box[v][1] + h / 2 + ((len(into) - 1) / 2 - i) * PORTS
                edges[e] = (x0 + w, y0 + h / 2, x1 - HEAD - arm[col[v]], x1, y1)
        return size, box, titles, edges, labels, full

    def draw(self, fig, m=None):
        """Build the picture of model ``m`` (this widget's own by default); return move()."""
        from matplotlib.font_manager import FontProperties
        from matplotlib.patches import FancyBboxPatch, PathPatch, Polygon, Rectangle
        from matplotlib.path import Path

        m, renderer = m or self.model, fig.canvas.get_renderer()

        def measure(text, size, weight="normal"):
            prop = FontProperties(size=size, weight=weight)
            return renderer.get_text_width_height_descent(text, prop, ismath=False)[0]

        (width, height), box, titles, edges, labels, full = self._geometry(m, measure)
        fig.set_size_inches(width / fig.dpi, height / fig.dpi)
        ax = fig.add_axes((0, 0, 1, 1), xlim=(0, width), ylim=(0, height))
        ax.set_axis_off()
        # Still: the boxes, their titles and the grey edges under them. Moving: the values and
        # gradients, the edge labels, an edge's colour drawn over it when it has one, a frame
        # around the active box, the header and the caption.
        art = {"value": {}, "grad": {}, "line": {}, "head": {}, "edge": {}}
        grey = {"color": COLORS["muted"], "lw": 1}
        for e, (x0, y0, xa, x1, y1) in edges.items():
            xm = (x0 + xa) / 2   # a cubic leaving and arriving horizontally, then a straight arm
            path = Path([(x0, y0), (xm, y0), (xm, y1), (xa, y1), (x1 - HEAD, y1)],
                        [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO])
            tip = [(x1, y1), (x1 - HEAD, y1 + HEAD / 2.5), (x1 - HEAD, y1 - HEAD / 2.5)]
            ax.add_patch(PathPatch(path, fill=False, **grey))
            ax.add_patch(Polygon(tip, **grey))
            art["line"][e] = ax.add_patch(PathPatch(path, fill=False, visible=False))
            art["head"][e] = ax.add_patch(Polygon(tip, visible=False))
            art["edge"][e] = ax.text((xa + x1 - HEAD) / 2, y1 + 2, "", ha="center", va="bottom",
                                     fontsize=EDGE_FONT)
        for k, n in m.nodes.items():
            x, y, w, h = box[k]
            ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=5",
                                        fc="#f2f2f2" if n.is_leaf else "white", **grey))
            n = len(titles[k])
            for i, text in enumerate([*titles[k], "", ""]):   # the lines, centred in the box
                t = ax.text(x + w / 2, y + h / 2 + ((n + 1) / 2 - i) * LINE, text, ha="center",
                            va="center", fontsize=FONT, fontweight="bold" if i < n else "normal")
                if i >= n:                              # the value, then the gradient: move()'s
                    art[("value", "grad")[i - n]][k] = t
                    t.set_color(COLORS[("value", "gradient")[i - n]])
        frame = ax.add_patch(Rectangle((0, 0), 0, 0, fill=False, ec=COLORS["highlight"], lw=2))
        key = [("value", COLORS["value"]), ("∇ gradient", COLORS["gradient"])]
        if not full:                                       # the edges show only numbers
            key.append(("on each edge: ∂node/∂input", COLORS["text"]))
        x = width - MARGIN
        for text, colour in reversed(key):                 # right-aligned, from the right
            ax.text(x, height - 5, text, color=colour, ha="right", va="top", fontsize=8)
            x -= measure(text, 8) + 12
        header = ax.text(MARGIN, height - 5, "", va="top", fontsize=8, fontweight="bold")
        caption = ax.text(MARGIN, CAPTION - 4, "", va="top", fontsize=8, family="monospace")
        def move():
            now, values, grads = m.active[1] if m.active else None, m.values, m.grads
            for k in m.nodes:
                v, g = values.get(k), grads.get(k)
                change(art["value"][k], text="?" if v is None else fmt(v),
                    color=COLORS["muted" if v is None else "value"])
                change(art["grad"][k], text="" if g is None else f"∇ {fmt(g)}")
            x, y, w, h = box[now] if now else (0, 0, 0, 0)
            change(frame, xy=(x - 4, y - 4), width=w + 8, height=h + 8, visible=now is not None)
            for e in m.edges:
                u, v, _ = e
                back = m.active and m.active[0] == "backward" and {u, v} <= set(grads)
                colour = "highlight" if v == now else "gradient" if back else None
                ink = COLORS[colour or "muted"]
                for part, paint in (("line", {}), ("head", {"facecolor": ink})):
                    change(art[part][e], visible=colour is not None, linewidth=2 if v == now else 1,
                        edgecolor=ink, **paint)
                change(art["edge"][e], text=labels[e] if v in values else "")
            change(header, text=f"{m.title} — {m.phase}" + (" pass" if m.phase != "done" else ""))
            change(caption, text="\n".join(m.lines[-3:]))
            return [*art["value"].values(), *art["grad"].values(), frame, *art["line"].values(),
                    *art["head"].values(), *art["edge"].values(), header, caption]
        if m is self.model:
            self.art = art          # for the tests: where each box, text and edge is
        return move

    def static_png(self):
        """The finished sweep (every value and gradient), for viewers without a kernel."""
        done = copy.copy(self.model)
        done.reset()
        done.run_backward()
        done.active, done.lines = None, [DONE]
        fig = canvas(1, 1)
        self.draw(fig, done)()
        return png_bytes(fig)

    def describe(self):
        m = self.model
        return (f"ChainRuleStepper({m.title}: {len(m.leaves)} inputs, {len(m.ops)} operations, "
                f"{len(m.edges)} edges)")

    def readout(self):
        m, c, parts = self.model, self.controls, []
        if m.log:
            parts.append("<b>steps so far</b> (latest last)<pre style='margin:2px'>"
                         + html.escape("\n".join(m.log[-8:])) + "</pre>")
        cost, data = m.costs(), ", ".join(k for k in m.leaves if k not in m.wrt)
        parts.append(
            f"<b>cost</b> of the gradient with respect to the {cost['parameters']} parameters "
            f"({', '.join(m.wrt)}{'; data: ' + data if data else ''}), {cost['edges']} edges. "
            f"Reverse mode: one backward sweep, {cost['reverse']} multiplications. Forward mode: "
            f"a sweep per parameter, {cost['parameters']} × {cost['edges']} = "
            f"{cost['forward_mode']}. Sum over paths: {cost['paths']} paths, "
            f"{cost['sum_over_paths']} multiplications.")
        if c["paths"].value and m.phase == "forward":
            parts.append("<i>Finish the forward pass: each path needs the local derivatives.</i>")
        elif c["paths"].value:
            parts.append("<b>sum over paths</b> (product of local derivatives along each path)"
                         "<pre style='margin:2px'>" + html.escape("\n".join(
                             m.path_sum(k)[1] for k in m.leaves)) + "</pre>")
        if c["nudge"].value:
            rows = [(k, fmt(a, 8), fmt(b, 8), f"{abs(a - b):.1e}")
                    for k, (a, b) in m.nudge_check().items()]
            parts.append("<b>nudge check</b>: (f(x+h) − f(x−h)) / 2h with h = 1e-6"
                         + table(("input", "backprop", "numeric", "|difference|"), rows))
        return "".join(parts)
