"""GradientDescentExplorer: optimizers from md.optim stepping side by side across a landscape.

    gd = GradientDescentExplorer(landscape="rosenbrock", optimizers=("sgd", "momentum", "adam"),
                                 lr=1e-3, start=(-1.5, 2.0))
    gd.step(); gd.run(50); gd.reset()
    gd.paths, gd.losses, gd.diverged, gd.figure

The model, ``Descent``, needs no matplotlib. Its optimizers are ``md.optim``'s own (it only
computes f, calls backward and ``opt.step()``); "sgd" is gradient descent on a gradient with
seeded Gaussian noise added. Landscapes come from ``md.landscapes``. A step that leaves the
region around the plot (or gives a non-finite value) is refused, and that optimizer stops.
Changing a setting starts every optimizer afresh and replays the steps taken so far.
"""

import numpy as np

from .. import checks, landscapes, optim
from ..plotting import COLORS, OPTIMIZER_COLORS, OPTIMIZER_STYLES
from ..tensor import tensor
from . import toolkit as tk
from .toolkit import Widget, fmt, table

NAMES = tuple(optim.names())
NOISE = optim.Tunable("noise", 0.0, 5.0, 1.0)     # sgd's noise is the explorer's, not md.optim's
TUNABLE = {o: NOISE if o == "sgd" else optim.OPTIMIZERS[o].tunable for o in NAMES}
KNOBS = {f"{o}.{t.keyword}": (o, t) for o, t in TUNABLE.items() if t}   # slider: (optimizer, t)
ESCAPE = 10.0   # an iterate farther than ESCAPE window-widths from the window has diverged


class Descent:
    """The model: each optimizer steps its own copy of the point ``start`` downhill.

    ``hyper`` gives per-optimizer settings, e.g. ``{"momentum": {"momentum": 0.5}, "sgd":
    {"noise": 2.0}, "adam": {"lr": 0.05}}`` (an "lr" there overrides the shared learning
    rate); ``start=None`` is the landscape's own demo start; ``steps`` are taken at once.
    """

    SETTINGS = ("landscape", "condition", "angle", "optimizers", "lr", "x", "y", "focus", *KNOBS)

    def __init__(self, landscape="rosenbrock", optimizers=("sgd", "momentum", "adam"), lr=1e-3,
                 start=None, hyper=None, steps=100, landscape_params=None, seed=0):
        steps, self.seed = checks.whole("steps", steps, low=0), checks.whole("seed", seed, low=0)
        params = dict(landscape_params or {})
        optimizers = (optimizers,) if isinstance(optimizers, str) else tuple(optimizers)
        unknown = set(hyper or {}) - set(optimizers)
        if unknown:
            raise ValueError(f"hyper names optimizers that are not selected: {sorted(unknown)}.")
        full = {o: {t.keyword: t.default} if t else {} for o, t in TUNABLE.items()}
        for o, given in (hyper or {}).items():
            full[o] |= dict(given)
            if "betas" in given and "beta1" not in given:     # the β₁ slider shows betas[0]
                full[o]["beta1"] = given["betas"][0]
        self._configure(landscape, params, optimizers, lr, start, full,
                        params.get("condition_number", 10.0), params.get("angle", 0.0), None)
        self.run(steps)

    def _configure(self, name, params, optimizers, lr, start, hyper, condition, angle, focus):
        """Check a whole configuration, then take it (nothing changes if any part is wrong)."""
        condition = checks.number("The condition number κ", condition, low=1)
        angle = checks.number("The angle", angle)
        land = landscapes.get(name, **params)
        for o in optimizers:
            checks.choice("optimizer", o, NAMES)
        if not optimizers or len(set(optimizers)) != len(optimizers):
            raise ValueError(f"optimizers must name at least one optimizer, each once; got "
                             f"{optimizers!r}.")
        lr = checks.positive("The learning rate", lr)
        given, start = start, land.start if start is None else start
        try:
            start = np.array(start, dtype=np.float64)
        except (TypeError, ValueError):
            start = np.array([np.nan])
        (x0, x1), (y0, y1) = land.xlim, land.ylim
        if start.shape != (2,) or not (x0 <= start[0] <= x1 and y0 <= start[1] <= y1):
            raise ValueError(f"start must be a point (x, y) inside the plot window x in "
                             f"[{x0}, {x1}], y in [{y0}, {y1}]; got {given!r}.")
        checks.number("sgd's noise", hyper["sgd"]["noise"], low=0)
        for o in optimizers:   # md.optim checks every setting, on a throw-away tensor
            optim.get(o, [tensor(start, requires_grad=True)], **self._keywords(o, lr, hyper))
        self.land, self.landscape_params, self.optimizers = land, params, optimizers
        self.lr, self.start, self.hyper = lr, start, hyper
        self.condition = getattr(land, "condition_number", condition)
        self.angle = getattr(land, "angle", angle)
        self.focus = focus if focus in optimizers else optimizers[0]
        self.reset()

    @staticmethod
    def _keywords(o, lr, hyper):
        return {"lr": lr} | {k: v for k, v in hyper[o].items() if k != "noise"}

    def set(self, **values):
        """Change any of ``SETTINGS`` (all checked first); then every optimizer starts afresh
        and replays the steps taken so far. A new landscape starts at its own demo point."""
        for key in values:
            checks.choice("setting", key, self.SETTINGS)
        optimizers = values.get("optimizers", self.optimizers)
        optimizers = (optimizers,) if isinstance(optimizers, str) else tuple(optimizers)
        focus = values.get("focus", self.focus)
        if "focus" in values:
            checks.choice("optimizer for the curvature", focus, optimizers)
            if len(values) == 1:       # the curvature moves to another point: nothing to replay
                self.focus = focus
                return
        name = values.get("landscape", self.land.name)
        params = dict(self.landscape_params) if name == self.land.name else {}
        condition, angle = values.get("condition", self.condition), values.get("angle", self.angle)
        if name == "quadratic":
            params |= {"condition_number": condition, "angle": angle}
        start = (values.get("x", self.start[0]), values.get("y", self.start[1]))
        if name != self.land.name and not {"x", "y"} & set(values):
            start = None
        hyper = {o: dict(h) for o, h in self.hyper.items()}
        for key in set(values) & set(KNOBS):
            o, t = KNOBS[key]
            hyper[o][t.keyword] = values[key]
        steps = self.steps
        self._configure(name, params, optimizers, values.get("lr", self.lr), start, hyper,
                        condition, angle, focus)
        self.run(steps)

    def reset(self):
        """Back to the start point: fresh optimizers (no momentum, no averages), step 0."""
        self.steps, self.runs = 0, {}
        for k, o in enumerate(self.optimizers):
            p = tensor(self.start.copy(), requires_grad=True)
            opt = optim.get(o, [p], **self._keywords(o, self.lr, self.hyper))
            self.runs[o] = {"p": p, "opt": opt, "path": [self.start.copy()], "diverged": None,
                            "rng": np.random.default_rng([self.seed, k])}

    def _step(self, o, run):
        p, noise = run["p"], self.hyper[o].get("noise")
        old = p.data.copy()
        with np.errstate(all="ignore"):
            run["opt"].zero_grad()
            self.land(p).backward()
            if noise:
                p.grad = p.grad + noise * run["rng"].standard_normal(2)
            run["opt"].step()
            new = p.data.copy()
            (x0, x1), (y0, y1) = self.land.xlim, self.land.ylim
            reach = ESCAPE * max(x1 - x0, y1 - y0)
            inside = x0 - reach < new[0] < x1 + reach and y0 - reach < new[1] < y1 + reach
            if not (inside and np.isfinite(self.land(new))):
                p.data[...] = old          # refuse the step: the path ends at the last sane point
                run["diverged"] = len(run["path"])
            else:
                run["path"].append(new)

    def step(self):
        """One step of every optimizer that has not diverged."""
        self.run(1)

    def run(self, n):
        """``n`` steps of every optimizer that has not diverged."""
        n = checks.whole("The number of steps n", n, low=0)
        self.steps += n
        for _ in range(n):
            for o, run in self.runs.items():
                if run["diverged"] is None:
                    self._step(o, run)

    # ---- what the view (and the tests) read ---------------------------------------------------
    @property
    def paths(self):
        """{optimizer: the iterates so far, shape (k + 1, 2)}."""
        return {o: np.array(r["path"]) for o, r in self.runs.items()}

    @property
    def losses(self):
        return {o: self.land(np.array(r["path"])) for o, r in self.runs.items()}

    @property
    def diverged(self):
        return {o: r["diverged"] is not None for o, r in self.runs.items()}

    @property
    def stopped(self):
        """True when every optimizer has diverged, so stepping changes nothing."""
        return all(self.diverged.values())

    @property
    def gradients(self):
        """{optimizer: ∇f at its current point}."""
        return {o: self.land.gradient(r["path"][-1]) for o, r in self.runs.items()}

    def lr_marks(self):
        """On a quadratic: the learning rates {"1/L", "2/(μ+L)", "2/L"}; None elsewhere."""
        L, mu = getattr(self.land, "L", None), getattr(self.land, "mu", None)
        return None if L is None else {"1/L": 1 / L, "2/(μ+L)": 2 / (mu + L), "2/L": 2 / L}

    def curvature(self):
        """At the current point of ``focus``: (point, Hessian eigenvalues ascending, their
        eigenvectors as columns, condition number |λ|max/|λ|min, what they say)."""
        point = self.runs[self.focus]["path"][-1]
        lam, vec = np.linalg.eigh(self.land.hessian(point))
        small = np.abs(lam).min()
        kappa = np.abs(lam).max() / small if small > 0 else float("inf")
        return point, lam, vec, kappa, self.shape(point, lam, vec, self.land.gradient(point))

    def shape(self, point, lam, vec, gradient):
        """The second-derivative test's name (md.landscapes' classify: minimum, maximum, saddle
        or degenerate) at a critical point; elsewhere, what the curvature does there.

        A point counts as critical when the local quadratic model f + g·d + ½ dᵀHd has its own
        critical point within 0.1 % of the window's diagonal: along each eigen-direction that
        is |gᵢ / λᵢ| ≤ 0.001 · diagonal (written without dividing, so λᵢ = 0 needs gᵢ = 0)."""
        g = vec.T @ gradient
        diagonal = np.hypot(np.ptp(self.land.xlim), np.ptp(self.land.ylim))
        if np.all(np.abs(g) <= 1e-3 * diagonal * np.abs(lam)):
            return self.land.classify(point)
        if np.any(np.abs(lam) <= 1e-8 * max(1.0, np.abs(lam).max())):
            return "flat along one direction"
        if lam.min() > 0:
            return "curves up in every direction"
        return "curves down in every direction" if lam.max() < 0 else \
            "curves up one way, down the other"


class GradientDescentExplorer(Widget):
    """The view: the paths on the contour, the gradient arrows, the Hessian's eigen-directions
    at one optimizer's point, and the loss per step; arguments as ``Descent``'s."""

    size, tight, OPTIMIZERS = (9.6, 4.4), False, NAMES
    moving, commands = ("lr", "x", "y", "focus", *KNOBS), ("step", "run", "reset")

    def __init__(self, landscape="rosenbrock", optimizers=("sgd", "momentum", "adam"), lr=1e-3,
                 start=None, *, hyper=None, steps=100, landscape_params=None, seed=0):
        m = Descent(landscape, optimizers, lr, start, hyper, steps, landscape_params, seed)
        (x0, x1), (y0, y1) = m.land.xlim, m.land.ylim
        settings = {
            "landscape": tk.menu(landscapes.names(), "landscape", m.land.name),
            "condition": tk.log_slider(m.condition, 1.0, 1000.0, "κ (quadratic)", step=0.05),
            "angle": tk.slider(-90, 90, 5, "angle°", m.angle),
            "optimizers": tk.ipywidgets().SelectMultiple(
                options=[(optim.OPTIMIZERS[o].label, o) for o in NAMES], value=m.optimizers,
                rows=len(NAMES), description="optimizers"),
            "lr": tk.log_slider(m.lr, 1e-5, 10.0, "lr"),
            "x": tk.slider(x0, x1, 0.05, "start x", m.start[0]),
            "y": tk.slider(y0, y1, 0.05, "start y", m.start[1]),
            "focus": tk.menu(m.optimizers, "curvature at", m.focus),
            **{key: tk.slider(t.low, t.high, 0.01 if t.high <= 1 else 0.1, f"{o} {t.keyword}",
                              m.hyper[o][t.keyword]) for key, (o, t) in KNOBS.items()}}
        play = tk.ipywidgets().Play(value=0, min=0, max=10 ** 6, interval=120, description="play")
        actions = {"step": (tk.button("step"), m.step), "play": (play, self._tick),
                   "reset": (tk.button("reset", "back to the start, step 0"), m.reset)}
        super().__init__(m, settings, actions)

    def _tick(self):
        if self.controls["play"].value > 0:   # its stop button sends the Play back to 0
            self.model.step()

    @property
    def lr(self):
        return self.model.lr

    @lr.setter
    def lr(self, value):
        self.set(lr=value)

    def value_of(self, name):
        m = self.model
        if name in KNOBS:
            o, t = KNOBS[name]
            return m.hyper[o][t.keyword]
        if name in ("x", "y"):
            return m.start["xy".index(name)]
        return m.land.name if name == "landscape" else getattr(m, name)

    def layout(self):
        c = self.controls
        return tk.column(tk.row(c["landscape"], c["condition"], c["angle"]),
                         tk.row(c["optimizers"], tk.column(c["lr"], c["x"], c["y"]),
                                tk.column(*(c[key] for key in KNOBS))),
                         tk.row(c["step"], c["play"], c["reset"], c["focus"]),
                         self.banner, self.picture.output, self.panel)

    def fit_controls(self):
        c, m = self.controls, self.model
        for axis, (low, high) in (("x", m.land.xlim), ("y", m.land.ylim)):
            c[axis].min, c[axis].max = low, high
        if c["focus"].options != m.optimizers:
            c["focus"].options = m.optimizers
        c["lr"].min, c["lr"].max = tk.log_range(m.lr, 1e-5, 10.0, c["lr"].step)   # lr on its grid

    def update_controls(self):
        c, m = self.controls, self.model
        c["condition"].layout.display = c["angle"].layout.display = (
            None if m.land.name == "quadratic" else "none")
        for key, (o, _) in KNOBS.items():
            c[key].layout.display = None if o in m.optimizers else "none"
        own = all("lr" in m.hyper[o] for o in m.optimizers)   # e.g. the race in chapter 5
        c["lr"].disabled = own
        c["lr"].tooltip = ("every optimizer shown has its own lr (set with hyper=...), so this "
                           "shared one changes nothing" if own else "learning rate, shared by "
                           "every optimizer without an lr of its own")
        for key in ("step", "play"):
            c[key].disabled = m.stopped
            c[key].tooltip = ("every optimizer has stopped (diverged): press reset, or choose a "
                              "smaller learning rate" if m.stopped else "")
        if m.stopped:
            c["play"].playing = False
        if m.steps == 0:
            c["play"].value = 0

    def draw(self, fig):
        m, land = self.model, self.model.land
        (x0, x1), (y0, y1) = land.xlim, land.ylim
        ax, lax = fig.add_axes((0.075, 0.2, 0.4, 0.7)), fig.add_axes((0.565, 0.2, 0.3, 0.7))
        ax.contour(*land.grid(160), levels=land.levels, colors=COLORS["muted"], linewidths=0.6)
        stars = [ax.plot(*p, marker="*", ms=12, color=COLORS["minimum"], mec="white", mew=0.6,
                         ls="none", zorder=2.5)[0] for p in land.minima]   # over the paths
        for p in land.saddles:
            ax.plot(*p, marker="x", ms=8, color=COLORS["muted"], ls="none")
        ax.set(xlim=land.xlim, ylim=land.ylim, xlabel="x", ylabel="y", title=land.formula)
        shifted = land.f_min is not None
        lax.set(xlabel="step", ylabel="f − f_min" if shifted else "f",
                yscale="log" if shifted else "linear")
        lax.set_title("loss", y=1.0)    # placed by hand, like the axis labels and without minor
        lax.xaxis.set_label_coords(0.5, -0.1)    # ticks, so redrawing this axes (when its
        lax.yaxis.set_label_coords(-0.17, 0.5)   # limits change) takes half the time
        lax.minorticks_off()
        start = ax.plot([], [], "o", color=COLORS["text"], ms=5)[0]
        style = {o: {"color": OPTIMIZER_COLORS[o], "ls": OPTIMIZER_STYLES[o], "lw": 1.6}
                 for o in m.optimizers}
        paths = {o: ax.plot([], [], label=o, **style[o])[0] for o in m.optimizers}
        dots = {o: ax.plot([], [], "o", color=style[o]["color"], ms=6, mec="white", zorder=3)[0]
                for o in m.optimizers}
        losses = {o: lax.plot([], [], **style[o])[0] for o in m.optimizers}
        zeros = np.zeros(len(m.optimizers))   # −∇f over the paths, the eigen-directions under
        arrows = ax.quiver(zeros, zeros, zeros, zeros, color=COLORS["descent"], angles="xy",
                           scale_units="xy", scale=1, width=0.005, minlength=0, zorder=2.2)
        eig = [ax.plot([], [], color=COLORS["curvature"], lw=1.3, ls=ls, zorder=1.8)[0]
               for ls in (":", "--")]
        where, numbers = (fig.text(0.075, y, "", fontsize=9, color=COLORS["curvature"])
                          for y in (0.065, 0.015))   # under the axes, clear of the paths
        arrow_key = ax.plot([], [], ls="none", marker="$→$", ms=11, color=COLORS["descent"],
                            label="−∇f")[0]
        fig.legend(handles=[*paths.values(), arrow_key], loc="center right", fontsize=8)
        size = 0.12 * max(x1 - x0, y1 - y0)   # of the arrows and eigen-directions on the plot

        def move():
            start.set_data(m.start[:1], m.start[1:])
            tips, top, low, high = [], 0, np.inf, -np.inf
            full = np.linalg.norm(land.gradient(m.start))   # the ‖∇f‖ drawn full length
            for o, run in m.runs.items():
                path = np.array(run["path"])
                paths[o].set_data(*path.T)
                dots[o].set_data(path[-1:, 0], path[-1:, 1])
                dots[o].set_marker("X" if run["diverged"] else "o")
                loss = land(path) - land.f_min if shifted else land(path)
                loss = np.maximum(loss, 1e-16) if shifted else loss
                losses[o].set_data(np.arange(len(loss)), loss)
                top, low, high = max(top, len(loss)), min(low, loss.min()), max(high, loss.max())
                tips.append(self.arrow(land.gradient(path[-1]), full) * size)
            arrows.set_offsets([r["path"][-1] for r in m.runs.values()])
            arrows.set_UVC(*np.array(tips).T)
            point, lam, vec, kappa, shape = m.curvature()
            for i in range(2):
                eig[i].set_data(*np.array([point - size * vec[:, i], point + size * vec[:, i]]).T)
            where.set_text(f"Hessian at {m.focus}'s point: {shape}")   # repainted if changed
            numbers.set_text(f"λ1 = {fmt(lam[0], 3)} (dotted), λ2 = {fmt(lam[1], 3)} (dashed);  "
                             f"κ = {fmt(kappa, 3)}")
            if shifted:   # whole decades, so the loss axes rarely change
                low = 10.0 ** np.floor(np.log10(low))
                high = max(10.0 ** np.ceil(np.log10(high)), 10 * low)
            else:
                pad = 0.05 * (high - low) + 1e-12
                low, high = low - pad, high + pad
            end = next(n for n in (k * 10 ** e for e in range(1, 9) for k in (1, 2, 3, 5))
                       if n >= top - 1)
            lax.set(xlim=(0, end), ylim=(low, high))
            return [start, *paths.values(), *dots.values(), *losses.values(), arrows, *eig,
                    *stars, where, numbers]
        return move

    @staticmethod
    def arrow(g, full):
        """−∇f as drawn, in units of the full length: full where ‖∇f‖ ≥ ``full``, a third
        shorter for each factor of 10 below it, and nothing below full / 500."""
        norm = np.linalg.norm(g)
        part = 1 + np.log10(norm / full) / 3 if norm > 0 < full else float(norm > 0)
        return -g / norm * min(part, 1.0) if part >= 0.1 else np.zeros(2)

    def warning(self):
        m = self.model
        gone = [o for o, d in m.diverged.items() if d]
        if not gone:
            return ""
        marks = m.lr_marks()
        why = ("f has no minimum here, so it falls without bound" if m.land.f_min is None else
               f"try a learning rate below 2/L = {fmt(marks['2/L'])}" if marks else
               "try a smaller learning rate")
        return (f"diverging: {', '.join(gone)} left the region around the plot; those steps "
                f"were refused ({why})." + (" Every optimizer has stopped, so step and play are "
                                            "off: press reset." if m.stopped else ""))

    def readout(self):
        m, rows, gradients = self.model, [], self.model.gradients
        for o, run in m.runs.items():
            p, stop = run["path"], run["diverged"]
            rows.append((o, len(p) - 1, fmt(p[-1][0]), fmt(p[-1][1]), fmt(m.land(p[-1])),
                         fmt(np.linalg.norm(gradients[o])),
                         fmt(np.linalg.norm(p[-1] - p[-2]) if len(p) > 1 else 0),
                         "running" if stop is None else f"diverged at step {stop}"))
        point, lam, _, kappa, shape = m.curvature()
        full = np.linalg.norm(m.land.gradient(m.start))
        parts = [table(("optimizer", "step", "x", "y", "f", "‖∇f‖", "last step ‖Δp‖", "status"),
                       rows, [OPTIMIZER_COLORS[o] for o in m.runs]),
                 f"<b>Hessian</b> at {m.focus}'s point ({fmt(point[0])}, {fmt(point[1])}): "
                 f"eigenvalues λ1 = {fmt(lam[0])}, λ2 = {fmt(lam[1])} (their directions dotted "
                 f"and dashed); condition number {fmt(kappa)}; <b>{shape}</b>.",
                 f"<b>arrows</b>: −∇f, full length where ‖∇f‖ ≥ {fmt(full)} (as at the start), "
                 f"a third shorter for each factor of 10 less, none below 1/500 of it."]
        marks = m.lr_marks()
        if marks:
            parts.append(f"<b>learning rate</b> {fmt(m.lr)} = " + ", ".join(
                f"{fmt(m.lr / v, 3)} × {k} ({fmt(v)})" for k, v in marks.items())
                + ". Gradient descent converges exactly when lr < 2/L.")
        return "<br>".join(parts)

    def describe(self):
        m = self.model
        return (f"GradientDescentExplorer({m.land.name}: {', '.join(m.optimizers)}, "
                f"lr={m.lr:g})")
