"""ChainRuleStepper: walk the chain rule through a computational graph, one node at a time.

    cs = ChainRuleStepper(lambda a, b: (a + b) * (b + 1), a=2.0, b=1.0)
    cs.forward_step(); cs.run_forward(); cs.backward_step(); cs.run_backward(); cs.reset()
    cs.values, cs.grads, cs.order, cs.phase, cs.figure

The function runs once on mathdl tensors; ``mathdl.graph.trace`` turns the result into a DAG.
Forward steps reveal each node's value in topological order. Backward steps visit the nodes
in reverse order and call each node's own ``ctx.backward`` (the engine's real chain rule) to
pass the gradient to its inputs; a value used twice receives two contributions, listed
before their sum.
"""

import html
import math

import numpy as np
from matplotlib.text import Text

from ..graph import layout, trace
from ..tensor import Tensor, no_grad, tensor
from .common import (
    COLORS,
    BookWidget,
    FigureView,
    W,
    check_choice,
    draw_order,
    fmt,
    new_canvas,
    on_main_thread,
    png_bytes,
    table,
)


def _neuron(x1, w1, x2, w2, b):
    p1, p2 = x1 * w1, x2 * w2
    s = p1 + p2
    z = s + b
    o = z.tanh()
    return o, {"p1": p1, "p2": p2, "s": s, "z": z, "o": o}


def _network(x1, x2, w11, w12, w21, w22, b1, b2, v1, v2, c, y):
    names = {}
    for i, (wa, wb, bias) in enumerate(((w11, w12, b1), (w21, w22, b2)), start=1):
        pa, pb = wa * x1, wb * x2
        s = pa + pb
        z = s + bias
        h = z.tanh()
        names.update({f"p{2 * i - 1}": pa, f"p{2 * i}": pb, f"s{i}": s, f"z{i}": z, f"h{i}": h})
    q1, q2 = v1 * names["h1"], v2 * names["h2"]
    yhat = q1 + q2 + c
    r = yhat - y
    loss = r ** 2
    names.update({"q1": q1, "q2": q2, "ŷ": yhat, "r": r, "L": loss})
    return loss, names


PRESETS = {
    "product": ("(a + b)(b + 1)", lambda a, b: (a + b) * (b + 1), {"a": 2.0, "b": 1.0}),
    "neuron": ("tanh neuron", _neuron, {"x1": 1.5, "w1": -0.8, "x2": 0.5, "w2": 1.2, "b": 0.3}),
    "network": ("2-2-1 network, squared error", _network,
                {"x1": 0.5, "x2": -1.0, "w11": 0.8, "w12": -0.4, "w21": 0.3, "w22": 0.9,
                 "b1": 0.1, "b2": -0.2, "v1": 1.1, "v2": -0.7, "c": 0.05, "y": 1.0}),
}
_INFIX = {"+": "+", "-": "−", "*": "·", "/": "/", "**": "^", "@": "@"}


def _number(label):
    return label.split("#")[0]  # constants are labelled by value, "#2" only makes them unique


# The picture's geometry, in pixels (the book draws at 100 dpi) and font sizes in points.
FONT, EDGE_FONT = 7.5, 7
PAD, BOX_H, LINE = 6, 54, 16    # text to box side; box height; from one line in a box to the next
ROW_GAP, PORTS = 24, 20         # between rows of boxes; between two edges entering one box
CURVE, HEAD = 26, 7             # room for an edge's bend; arrowhead length
MARGIN, TOP, CAPTION = 10, 24, 52
MIN_WIDTH, MAX_WIDTH = 500, 1200


def _extent(artist, renderer):
    """The pixels ``artist`` can touch: its extent, widened by what antialiasing and line width
    add (text ink stays inside its layout box; a line's joins can stick out a few pixels)."""
    b, pad = artist.get_window_extent(renderer), 1 if isinstance(artist, Text) else 4
    return (math.floor(b.x0) - pad, math.floor(b.y0) - pad,
            math.ceil(b.x1) + pad, math.ceil(b.y1) + pad)


def _outline(r, width=8):
    """The frame of rectangle ``r`` (a box whose outline changed but not its inside) as four
    strips that do not overlap."""
    x0, y0, x1, y1 = r
    return [(x0, y0, x1, y0 + width), (x0, y1 - width, x1, y1),
            (x0, y0 + width, x0 + width, y1 - width), (x1 - width, y0 + width, x1, y1 - width)]


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _union(a, b):
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


class ChainRuleStepper(BookWidget):
    """Step forward and backward through the graph of ``f(**inputs)``; see the module docstring.

    ``f`` takes scalar tensors as keyword arguments and returns a one-number Tensor, or a pair
    ``(result, {label: inner tensor})`` to give inner nodes readable names. ``preset`` is one of
    ``ChainRuleStepper.PRESETS`` ("product", "neuron", "network") instead of ``f``.
    """

    PRESETS = tuple(PRESETS)

    def __init__(self, f=None, *, preset=None, **inputs):
        self._controls_ready = False
        if f is None and preset is None:
            preset = "product"
        self._load(f, preset, inputs)
        self._build_controls()
        self._redraw()

    # ---- tracing --------------------------------------------------------------------------------
    def _load(self, f, preset, inputs):
        """Trace the function; all checks happen before any attribute changes."""
        if preset is not None:
            if f is not None:
                raise ValueError("give either a function or preset=, not both.")
            check_choice("preset", preset, self.PRESETS)
            title, f, defaults = PRESETS[preset]
            inputs = {**defaults, **inputs}
        else:
            if not callable(f):
                raise TypeError(f"ChainRuleStepper needs a function of tensors, not "
                                f"{type(f).__name__}.")
            title = getattr(f, "__name__", "f")
        if not inputs:
            raise ValueError("give the function's inputs as keyword arguments, e.g. "
                             "ChainRuleStepper(f, a=2.0, b=1.0).")
        for k, v in inputs.items():
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
                    or not np.isfinite(v):
                raise TypeError(f"input {k!r} must be one finite number, not {v!r}.")
        leaves = {k: tensor(float(v), requires_grad=True) for k, v in inputs.items()}
        out = f(**leaves)
        labels = {}
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
        local = {}
        with no_grad():
            for n in nodes.values():
                if not n.is_leaf:
                    seed = Tensor._make(np.ones_like(n.tensor.data))
                    for k, (u, g) in enumerate(zip(n.inputs, n.tensor._ctx.backward(seed))):
                        if u in nodes:
                            local[(u, n.label, k)] = float(g.data)
        self.f, self.title, self.inputs, self.graph = f, title, dict(inputs), graph
        self.preset = preset
        self.nodes, self.local = nodes, local
        self.order = list(nodes)
        self.ops = [k for k, n in nodes.items() if not n.is_leaf]
        self.leaves = [k for k, n in nodes.items() if n.op == "input"]
        self.edges = list(local)  # (input, node, argument position), one per use
        self.uses = {k: [e for e in self.edges if e[0] == k] for k in nodes}
        self.pos = layout(self.order, [(u, v) for u, v, _ in self.edges])
        self._state = None
        self.reset(redraw=False)

    def reset(self, redraw=True):
        """Back to the start: only the inputs' values are known, no gradients yet."""
        self._state = {"fwd": 0, "bwd": 0, "active": None, "lines": [], "log": [],
                       "values": {k: float(self.nodes[k].tensor.data) for k in self.leaves},
                       "grads": {}, "received": {k: [] for k in self.nodes}}
        if redraw:
            self._redraw()

    # ---- state --------------------------------------------------------------------------------
    @property
    def phase(self):
        s = self._state
        if s["fwd"] < len(self.ops):
            return "forward"
        return "backward" if s["bwd"] < len(self.ops) + 1 else "done"

    @property
    def values(self):
        return dict(self._state["values"])

    @property
    def grads(self):
        return dict(self._state["grads"])

    @property
    def lines(self):
        """The arithmetic of the last step, one string per line."""
        return list(self._state["lines"])

    def _expr(self, n, numbers=False):
        args = [_number(a) if a not in self.nodes else
                (fmt(self._state["values"][a]) if numbers else a) for a in n.inputs]
        if n.symbol in _INFIX and len(args) == 2:
            return f"{args[0]} {_INFIX[n.symbol]} {args[1]}"
        if n.symbol == "neg":
            return f"−{args[0]}"
        return f"{n.symbol}({', '.join(args)})"

    # ---- stepping -------------------------------------------------------------------------------
    def forward_step(self, redraw=True):
        """Compute the next node's value from its inputs (topological order)."""
        if self.phase != "forward":
            raise RuntimeError("the forward pass is complete; use backward_step(), or reset().")
        s = self._state
        n = self.nodes[self.ops[s["fwd"]]]
        s["values"][n.label] = float(n.tensor.data)
        text = f"{n.label} = {self._expr(n)} = {self._expr(n, True)} = {fmt(s['values'][n.label])}"
        s["fwd"] += 1
        self._record(("forward", n.label), [text], redraw)

    def backward_step(self, redraw=True):
        """Seed the output's gradient, then pass one node's gradient to its inputs."""
        if self.phase != "backward":
            raise RuntimeError("backward_step() needs the forward pass done first (run_forward())."
                               if self.phase == "forward" else
                               "the backward pass is complete; reset() to start again.")
        s = self._state
        if s["bwd"] == 0:
            out = self.graph.output
            s["grads"][out] = 1.0
            s["bwd"] = 1
            return self._record(("backward", out), [f"grad[{out}] = ∂{out}/∂{out} = 1  (the seed)"],
                                redraw)
        n = self.nodes[self.ops[-s["bwd"]]]
        g = s["grads"].get(n.label, 0.0)
        with no_grad():   # the engine's own chain rule for this node
            contributions = n.tensor._ctx.backward(Tensor._make(np.full_like(n.tensor.data, g)))
        lines = []
        for k, (u, c) in enumerate(zip(n.inputs, contributions)):
            if u not in self.nodes:
                continue
            c = float(c.data)
            s["grads"][u] = s["grads"].get(u, 0.0) + c
            s["received"][u].append(c)
            lines.append(f"grad[{u}] += grad[{n.label}] · ∂{n.label}/∂{u} = {fmt(g)} · "
                         f"{fmt(self.local[(u, n.label, k)])} = {fmt(c)}")
            uses, got = len(self.uses[u]), len(s["received"][u])
            if uses > 1 and got < uses:
                lines[-1] += f"   ({got} of {uses} uses of {u})"
            elif uses > 1:
                parts = " + ".join(fmt(x) for x in s["received"][u])
                lines.append(f"grad[{u}] = {parts} = {fmt(s['grads'][u])}   "
                             f"({u} feeds {uses} places: their contributions add)")
        s["bwd"] += 1
        self._record(("backward", n.label), lines, redraw)

    def step(self):
        """One forward step, or one backward step once the forward pass is done."""
        if self.phase == "forward":
            self.forward_step()
        elif self.phase == "backward":
            self.backward_step()

    def run_forward(self):
        while self.phase == "forward":
            self.forward_step(redraw=False)
        self._redraw()

    def run_backward(self):
        """Finish the backward pass (running the rest of the forward pass first if needed)."""
        while self.phase != "done":
            (self.forward_step if self.phase == "forward" else self.backward_step)(redraw=False)
        self._redraw()

    def _record(self, active, lines, redraw):
        s = self._state
        s["active"], s["lines"] = active, lines
        s["log"].extend(lines)
        if redraw:
            self._redraw()

    # ---- views of the same numbers ----------------------------------------------------------
    def paths(self, leaf):
        """Every path from ``leaf`` to the output, as lists of edges (input, node, position)."""
        check_choice("input", leaf, self.leaves)
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
        """Multiplication counts: sum over paths, one reverse sweep, and forward mode."""
        per_path = [len(p) - 1 for leaf in self.leaves for p in self.paths(leaf)]
        n_paths = len(per_path)
        return {"paths": n_paths, "sum_over_paths": sum(per_path) + n_paths,
                "reverse": len(self.edges), "forward_mode": len(self.leaves) * len(self.edges),
                "inputs": len(self.leaves), "edges": len(self.edges)}

    def nudge_check(self, h=1e-6):
        """Central differences (f(x+h) − f(x−h)) / 2h for every input: {name: (backprop, numeric)}.

        The backprop column is the stepper's own gradient once the backward pass is done, and
        the engine's ``backward()`` otherwise.
        """
        with no_grad():
            def f_at(name, delta):
                args = {k: tensor(float(v) + (delta if k == name else 0.0))
                        for k, v in self.inputs.items()}
                out = self.f(**args)
                return float((out[0] if isinstance(out, tuple) else out).data)

            numeric = {k: (f_at(k, h) - f_at(k, -h)) / (2 * h) for k in self.leaves}
        if self.phase == "done":
            auto = {k: self._state["grads"].get(k, 0.0) for k in self.leaves}
        else:
            from ..autodiff import grad
            gs = grad(self.nodes[self.graph.output].tensor,
                      [self.nodes[k].tensor for k in self.leaves])
            auto = {k: float(g.data) for k, g in zip(self.leaves, gs)}
        return {k: (auto[k], numeric[k]) for k in self.leaves}

    # ---- drawing --------------------------------------------------------------------------------
    # The axes fill the figure and one data unit is one pixel, so boxes can be sized to the text
    # the renderer measures. Each column of boxes is followed by a channel where the edges bend;
    # an edge enters its box horizontally, and its label sits on that straight last stretch, clear
    # of every box. A graph too wide for the page writes only the number on each edge.
    def _geometry(self, measure):
        col = {k: int(x) for k, (x, _) in self.pos.items()}
        ncol = max(col.values()) + 1
        width = [0.0] * ncol
        for k in self.nodes:
            w = max(measure(self._title(k), FONT, "bold"), measure("∇ -0.0000", FONT))
            width[col[k]] = max(width[col[k]], w + 2 * PAD)
        for full in (True, False):
            labels = {e: self._edge_label(e, full) for e in self.edges}
            arm = [0.0] * ncol
            for e in self.edges:
                arm[col[e[1]]] = max(arm[col[e[1]]], measure(labels[e], EDGE_FONT) + 6)
            graph = 2 * MARGIN + sum(width) + sum(CURVE + a + HEAD for a in arm[1:])
            if graph <= MAX_WIDTH:
                break
        ys = [y for _, y in self.pos.values()]
        size = (max(MIN_WIDTH, round(graph)),
                round(CAPTION + (max(ys) - min(ys)) * (BOX_H + ROW_GAP) + BOX_H + TOP))
        left = [(size[0] - graph) / 2 + MARGIN]
        for c in range(1, ncol):
            left.append(left[-1] + width[c - 1] + CURVE + arm[c] + HEAD)
        box = {k: (left[col[k]], CAPTION + (y - min(ys)) * (BOX_H + ROW_GAP), width[col[k]])
               for k, (_, y) in self.pos.items()}
        edges = {}
        for v in self.nodes:
            into = sorted((e for e in self.edges if e[1] == v), key=lambda e: e[2])
            for i, e in enumerate(into):
                x0, y0, w = box[e[0]]
                x1, y1 = box[v][0], box[v][1] + BOX_H / 2 + ((len(into) - 1) / 2 - i) * PORTS
                edges[e] = ((x0 + w, y0 + BOX_H / 2), (x1 - HEAD - arm[col[v]], y1), (x1, y1))
        return {"size": size, "box": box, "edge": edges, "labels": labels, "full": full}

    def _title(self, k):
        return k if self.nodes[k].is_leaf else f"{k} = {self._expr(self.nodes[k])}"

    def _edge_label(self, e, full=True):
        """∂v/∂u = its value on the edge u → v; only the value when space is short."""
        number = fmt(self.local[e], 3)
        return f"∂{e[1]}/∂{e[0]}={number}" if full else number

    def _new_figure(self):
        from matplotlib.font_manager import FontProperties
        from matplotlib.patches import FancyBboxPatch, PathPatch, Polygon
        from matplotlib.path import Path

        fig = new_canvas(1, 1)
        renderer = fig.canvas.get_renderer()

        def measure(text, size, weight="normal"):
            prop = FontProperties(size=size, weight=weight)
            return renderer.get_text_width_height_descent(text, prop, ismath=False)[0]

        g = self._geometry(measure)
        (width, height), dpi = g["size"], fig.dpi
        fig.set_size_inches(width / dpi, height / dpi)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set_xlim(0, fig.bbox.width)
        ax.set_ylim(0, fig.bbox.height)
        art = {"box": {}, "title": {}, "value": {}, "grad": {}, "line": {}, "head": {}, "edge": {}}
        for e, ((x0, y0), (xa, y1), (x1, _)) in g["edge"].items():   # under the boxes they pass
            xm = (x0 + xa) / 2   # a cubic that leaves and arrives horizontally, then a straight arm
            path = Path([(x0, y0), (xm, y0), (xm, y1), (xa, y1), (x1 - HEAD, y1)],
                        [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO])
            art["line"][e] = ax.add_patch(PathPatch(path, fill=False, lw=1))
            art["head"][e] = ax.add_patch(Polygon(
                [(x1, y1), (x1 - HEAD, y1 + HEAD / 2.5), (x1 - HEAD, y1 - HEAD / 2.5)], lw=1))
            art["edge"][e] = ax.text((xa + x1 - HEAD) / 2, y1 + 2, "", ha="center", va="bottom",
                                     fontsize=EDGE_FONT)
        for k, n in self.nodes.items():
            x, y, w = g["box"][k]
            art["box"][k] = ax.add_patch(FancyBboxPatch(
                (x, y), w, BOX_H, boxstyle="round,pad=0,rounding_size=5",
                fc="#f2f2f2" if n.is_leaf else "white", ec=COLORS["muted"], lw=1))
            for part, dy, kw in (("title", LINE, {"fontweight": "bold"}), ("value", 0, {}),
                                 ("grad", -LINE, {"color": COLORS["gradient"]})):
                art[part][k] = ax.text(x + w / 2, y + BOX_H / 2 + dy, "", ha="center",
                                       va="center", fontsize=FONT, **kw)
            art["title"][k].set_text(self._title(k))
        legend = [("value", COLORS["value"]), ("∇ gradient", COLORS["gradient"])]
        if not g["full"]:
            legend.append(("on each edge: ∂node/∂input", COLORS["text"]))
        x = fig.bbox.width - MARGIN
        for text, colour in reversed(legend):
            ax.text(x, fig.bbox.height - 5, text, color=colour, ha="right", va="top", fontsize=8)
            x -= measure(text, 8) + 12
        art["header"] = ax.text(MARGIN, fig.bbox.height - 5, "", va="top", fontsize=8,
                                fontweight="bold")
        art["caption"] = ax.text(MARGIN, CAPTION - 4, "", va="top", fontsize=8,
                                 family="monospace")
        art["labels"], art["boxes"] = g["labels"], set(art["box"].values())
        art["order"] = [fig.patch, *draw_order(fig, [*ax.patches, *ax.texts])]
        art.update(props={}, changed=set(), extent={}, renderer=None, dirty=[])
        self._art = art
        return fig

    def _put(self, artist, **props):
        """Set ``artist``'s properties; if any changed, it is repainted at the next render."""
        if self._art["props"].get(artist) != props:
            self._art["props"][artist] = props
            artist.set(**props)
            self._art["changed"].add(artist)

    def _draw_state(self, s):
        art, active, put = self._art, s["active"], self._put
        act_node = active[1] if active else None
        for name in self.nodes:
            v, g = s["values"].get(name), s["grads"].get(name)
            on = name == act_node
            put(art["box"][name], edgecolor=COLORS["highlight" if on else "muted"],
                linewidth=2.5 if on else 1.0)
            put(art["value"][name], text="?" if v is None else fmt(v),
                color=COLORS["muted" if v is None else "value"])
            put(art["grad"][name], text="" if g is None else f"∇ {fmt(g)}")
        for e in self.edges:
            u, v, _ = e
            on = v == act_node
            colour = COLORS["highlight"] if on else (
                COLORS["gradient"] if v in s["grads"] and active and active[0] == "backward"
                and u in s["grads"] else COLORS["muted"])
            put(art["line"][e], edgecolor=colour, linewidth=2.0 if on else 1.0)
            put(art["head"][e], color=colour, linewidth=2.0 if on else 1.0)
            put(art["edge"][e], text=art["labels"][e] if v in s["values"] else "",
                color=COLORS["highlight" if on else "text"])
        head = {"forward": "forward pass", "backward": "backward pass", "done": "done"}
        phase = "done" if s is not self._state else self.phase
        put(art["header"], text=f"{self.title} — {head[phase]}")
        put(art["caption"], text="\n".join(s["lines"][-3:]))

    def _redraw(self):
        if not self._controls_ready:
            return
        if self.view.fig is None:
            self.view.fig = self._new_figure()
        self._draw_state(self._state)
        self._render()
        self.view.refresh(draw=False)
        self._update_panel()

    def _render(self):
        """Repaint only what changed since the last frame.

        The dirty rectangles are those a changed artist covered before or covers now. The
        canvas is cleared and every artist touching a dirty rectangle is drawn, in the order
        a full draw uses; inside those rectangles this is exactly what a full draw gives (all
        that paints there was drawn), so only they are copied into the kept frame. A step
        then draws a few labels instead of all of them (drawing text is most of the cost).
        The first frame, or one on a canvas matplotlib has re-created, is drawn in full.
        """
        fig, art = self.view.fig, self._art
        renderer = fig.canvas.get_renderer()
        if renderer is not art["renderer"]:
            fig.canvas.draw()
            art["extent"] = {a: _extent(a, renderer) for a in art["order"]}
            art["frame"] = np.array(renderer.buffer_rgba())
            art["renderer"], art["dirty"] = renderer, [art["extent"][fig.patch]]
            art["changed"].clear()
            return
        dirty = []
        for a in art["changed"]:   # only texts change size; patches change colour and width
            old = art["extent"][a]
            if isinstance(a, Text):
                art["extent"][a] = _extent(a, renderer)
            dirty += _outline(old) if a in art["boxes"] else [_union(old, art["extent"][a])]
        art["changed"].clear()
        art["dirty"] = dirty
        for a in art["order"]:   # the figure's background patch comes first
            if any(_overlap(art["extent"][a], r) for r in dirty):
                a.draw(renderer)
        canvas, frame = np.asarray(renderer.buffer_rgba()), art["frame"]
        height = frame.shape[0]
        for x0, y0, x1, y1 in dirty:
            rows = slice(max(height - y1, 0), max(height - y0, 0))
            cols = slice(max(x0, 0), max(x1, 0))
            frame[rows, cols] = canvas[rows, cols]
        canvas[...] = frame

    def static_png(self):
        """PNG of the finished sweep (all values and gradients), for viewers without a kernel."""
        saved = self._state
        self._state = {**saved, "values": dict(saved["values"]), "grads": dict(saved["grads"]),
                       "received": {k: list(v) for k, v in saved["received"].items()},
                       "log": list(saved["log"])}
        while self.phase != "done":
            (self.forward_step if self.phase == "forward" else self.backward_step)(redraw=False)
        done = self._state
        self._state = saved
        self._draw_state({**done, "active": None,
                          "lines": ["forward pass, then backward pass: every value and gradient"]})
        self._render()
        png = png_bytes(self.figure, draw=False)
        self._draw_state(saved)
        self._render()
        return png

    def _repr_mimebundle_(self, **kwargs):
        import base64
        data, meta = super()._repr_mimebundle_(**kwargs)
        data["image/png"] = base64.b64encode(self.static_png()).decode("ascii")
        return data, meta

    def _summary(self):
        return (f"ChainRuleStepper({self.title}: {len(self.leaves)} inputs, {len(self.ops)} "
                f"operations, {len(self.edges)} edges)")

    # ---- controls ------------------------------------------------------------------------------
    def _build_controls(self):
        options = [(PRESETS[k][0], k) for k in self.PRESETS]
        if self.preset is None:
            options = [(f"custom: {self.title}", None)] + options
        c = self.controls = {
            "preset": W.Dropdown(options=options, value=self.preset, description="graph"),
            "forward": W.Button(description="forward step", tooltip="compute the next value"),
            "backward": W.Button(description="backward step", tooltip="pass one gradient back"),
            "run_forward": W.Button(description="run forward"),
            "run_backward": W.Button(description="run backward"),
            "reset": W.Button(description="reset"),
            "paths": W.ToggleButton(description="sum over paths", value=False),
            "nudge": W.ToggleButton(description="nudge check", value=False),
        }
        # callbacks change the state and draw, so they run where the cells run (on_main_thread)
        c["forward"].on_click(on_main_thread(
            lambda _: self.forward_step() if self.phase == "forward" else None))
        c["backward"].on_click(on_main_thread(lambda _: self._safe_backward()))
        c["run_forward"].on_click(on_main_thread(lambda _: self.run_forward()))
        c["run_backward"].on_click(on_main_thread(lambda _: self.run_backward()))
        c["reset"].on_click(on_main_thread(lambda _: self.reset()))
        c["preset"].observe(on_main_thread(self._on_preset), "value")
        c["paths"].observe(on_main_thread(lambda _: self._update_panel()), "value")
        c["nudge"].observe(on_main_thread(lambda _: self._update_panel()), "value")
        self.panel = W.HTML()
        self.view = FigureView(None, self._summary())
        self.widget = W.VBox([
            W.HBox([c["preset"], c["reset"]]),
            W.HBox([c["forward"], c["backward"], c["run_forward"], c["run_backward"]]),
            self.view.output,
            W.HBox([c["paths"], c["nudge"]]),
            self.panel,
        ])
        self._controls_ready = True

    def _safe_backward(self):
        if self.phase == "forward":
            self.run_forward()
        elif self.phase == "backward":
            self.backward_step()

    def _on_preset(self, change):
        if change["new"] is None:
            return
        self._load(None, change["new"], {})
        self.view.fig = None
        self.view.alt = self._summary()
        self._redraw()

    def _update_panel(self):
        s, parts = self._state, []
        phase = self.phase
        self.controls["forward"].disabled = phase != "forward"
        self.controls["backward"].disabled = phase == "done"
        if s["log"]:
            recent = s["log"][-8:]
            parts.append("<b>steps so far</b> (latest last)<pre style='margin:2px'>"
                         + html.escape("\n".join(recent)) + "</pre>")
        cost = self.costs()
        parts.append(
            f"<b>cost</b>: {cost['inputs']} inputs, 1 output, {cost['edges']} edges. "
            f"Reverse mode: one backward sweep, {cost['reverse']} multiplications for every "
            f"gradient. Forward mode: one sweep per input, {cost['forward_mode']}. "
            f"Sum over paths: {cost['paths']} paths, {cost['sum_over_paths']} multiplications.")
        if self.controls["paths"].value:
            if phase == "forward":
                parts.append("<i>Finish the forward pass: each path needs the local "
                             "derivatives.</i>")
            else:
                lines = [self.path_sum(k)[1] for k in self.leaves]
                parts.append("<b>sum over paths</b> (product of local derivatives along each path)"
                             "<pre style='margin:2px'>" + html.escape("\n".join(lines)) + "</pre>")
        if self.controls["nudge"].value:
            rows = [(k, fmt(a, 8), fmt(b, 8), f"{abs(a - b):.1e}")
                    for k, (a, b) in self.nudge_check().items()]
            parts.append("<b>nudge check</b>: (f(x+h) − f(x−h)) / 2h with h = 1e-6"
                         + table(("input", "backprop", "numeric", "|difference|"), rows))
        self.panel.value = "".join(parts)

