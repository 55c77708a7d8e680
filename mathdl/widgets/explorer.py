"""GradientDescentExplorer: several optimizers stepping side by side across a loss landscape.

    gd = GradientDescentExplorer(landscape="rosenbrock", optimizers=("sgd", "momentum", "adam"),
                                 lr=1e-3, start=(-1.5, 2.0))
    gd.step(); gd.run(50); gd.reset()
    gd.paths, gd.losses, gd.diverged, gd.figure

Every update comes from ``mathdl.optim.get`` (the widget only computes f, calls backward and
``opt.step()``); "sgd" is plain gradient descent on a gradient with seeded Gaussian noise added.
Landscapes come from ``mathdl.landscapes.get``. A step that leaves the region around the plot
(or gives a non-finite value) is refused, and that optimizer stops with a "diverging" banner.
"""

import math

import numpy as np

from .. import landscapes, optim
from ..plotting import OPTIMIZER_COLORS, OPTIMIZER_STYLES
from ..tensor import tensor
from .common import (
    COLORS,
    BookWidget,
    FigureView,
    W,
    banner,
    check_choice,
    check_positive,
    draw_order,
    fmt,
    new_canvas,
    on_main_thread,
    same_notch,
    table,
)

OPTIMIZERS = ("gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
# Per-optimizer sliders: (optimizer, hyper-parameter, low, high, default).
HYPER = (("sgd", "noise", 0.0, 5.0, 1.0), ("momentum", "momentum", 0.0, 0.99, 0.9),
         ("nesterov", "momentum", 0.0, 0.99, 0.9), ("rmsprop", "alpha", 0.5, 0.999, 0.99),
         ("adam", "beta1", 0.0, 0.999, 0.9))
ESCAPE = 10.0   # an iterate farther than ESCAPE window-widths from the window counts as diverged


def _hyper_for_optim(name, hyper):
    """Translate the widget's hyper-parameters into md.optim.get keywords (noise is ours)."""
    h = {k: v for k, v in hyper.items() if k != "noise"}
    if "beta1" in h:
        h["betas"] = (h.pop("beta1"), h.pop("beta2", 0.999))
    return h


class GradientDescentExplorer(BookWidget):
    """Step optimizers from ``md.optim`` on a landscape from ``md.landscapes``.

    ``start=None`` uses the landscape's own demo start; ``hyper`` gives per-optimizer settings,
    e.g. ``{"momentum": {"momentum": 0.5}, "sgd": {"noise": 2.0}, "adam": {"lr": 0.05}}``
    (an "lr" there overrides the shared learning rate). ``steps`` are taken on creation, so the
    first picture already shows the paths; ``landscape_params`` go to ``md.landscapes.get``.
    """

    OPTIMIZERS = OPTIMIZERS

    def __init__(self, landscape="rosenbrock", optimizers=("sgd", "momentum", "adam"), lr=1e-3,
                 start=None, *, hyper=None, steps=100, landscape_params=None, seed=0):
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
            raise ValueError(f"steps must be a whole number >= 0, not {steps!r}.")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a whole number >= 0, not {seed!r}.")
        self._controls_ready = self._syncing = False
        self._configure(landscape, dict(landscape_params or {}), optimizers, lr, start,
                        hyper or {}, seed)
        self._build_controls()
        self.run(int(steps))

    # ---- configuration: everything is checked before anything is changed -----------------------
    def _configure(self, landscape, params, optimizers, lr, start, hyper, seed):
        land = landscapes.get(landscape, **params)
        if isinstance(optimizers, str):
            optimizers = (optimizers,)
        optimizers = tuple(check_choice("optimizer", o, OPTIMIZERS) for o in optimizers)
        if not optimizers or len(set(optimizers)) != len(optimizers):
            raise ValueError(f"optimizers must name at least one optimizer, each once; got "
                             f"{optimizers!r}.")
        lr = check_positive("The learning rate", lr)
        given, start = start, land.start if start is None else start
        try:
            start = np.array(start, dtype=np.float64)
        except (TypeError, ValueError):
            start = np.array([np.nan])
        (x0, x1), (y0, y1) = land.xlim, land.ylim
        if start.shape != (2,) or not (x0 <= start[0] <= x1 and y0 <= start[1] <= y1):
            raise ValueError(f"start must be a point (x, y) inside the plot window x in "
                             f"[{x0}, {x1}], y in [{y0}, {y1}]; got {given!r}.")
        unknown = set(hyper) - set(optimizers)
        if unknown:
            raise ValueError(f"hyper names optimizers that are not selected: {sorted(unknown)}.")
        full = {o: {k: d for (n, k, *_, d) in HYPER if n == o} | dict(hyper.get(o, {}))
                for o in optimizers}
        for o in optimizers:   # let md.optim check every setting once, on a throw-away tensor
            h = full[o]
            noise = h.get("noise", 0.0)
            if not (isinstance(noise, (int, float)) and math.isfinite(noise) and noise >= 0):
                raise ValueError(f"sgd's noise must be a finite number >= 0, not {noise!r}.")
            kw = {"lr": lr} | _hyper_for_optim(o, h)
            optim.get(o, [tensor(start, requires_grad=True)], **kw)
        self.land, self.landscape_params, self.optimizers = land, params, optimizers
        self._lr, self._start, self.hyper, self.seed = lr, start, full, seed
        self._grid = land.grid(160)
        self.reset(redraw=False)

    def reset(self, redraw=True):
        """Back to the start point: fresh optimizers (no momentum, no averages), step 0."""
        self._runs, self._k = {}, 0   # _k: steps asked for (diverged runs stop earlier)
        for k, o in enumerate(self.optimizers):
            p = tensor(self._start.copy(), requires_grad=True)
            kw = {"lr": self._lr} | _hyper_for_optim(o, self.hyper[o])
            self._runs[o] = {"p": p, "opt": optim.get(o, [p], **kw), "path": [self._start.copy()],
                             "diverged": None,
                             "rng": np.random.default_rng([self.seed, k])}
        if redraw and self._controls_ready:
            self._set_play(0)
            self._redraw()

    # ---- stepping ----------------------------------------------------------------------------
    def _step_one(self, name, r):
        p, opt = r["p"], r["opt"]
        old = p.data.copy()
        with np.errstate(all="ignore"):
            opt.zero_grad()
            self.land(p).backward()
            if self.hyper[name].get("noise"):
                p.grad = p.grad + self.hyper[name]["noise"] * r["rng"].standard_normal(2)
            opt.step()
            new = p.data.copy()
            (x0, x1), (y0, y1) = self.land.xlim, self.land.ylim
            reach = ESCAPE * max(x1 - x0, y1 - y0)
            value = self.land(new) if np.all(np.isfinite(new)) else np.nan
            inside = x0 - reach < new[0] < x1 + reach and y0 - reach < new[1] < y1 + reach
            if not (inside and np.isfinite(value)):
                p.data[...] = old   # refuse the step: the path ends at the last sane point
                r["diverged"] = len(r["path"])
                return
            r["path"].append(new)

    def step(self):
        """One step of every selected optimizer that has not diverged."""
        self.run(1)

    def run(self, n):
        """``n`` steps of every optimizer, then one redraw."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"run(n) needs a whole number of steps n >= 0, not {n!r}.")
        self._k += int(n)
        for _ in range(int(n)):
            for name, r in self._runs.items():
                if r["diverged"] is None:
                    self._step_one(name, r)
        self._redraw()

    # ---- what the reader (and the tests) can read back -------------------------------------
    @property
    def paths(self):
        return {o: np.array(r["path"]) for o, r in self._runs.items()}

    @property
    def losses(self):
        return {o: self.land(np.array(r["path"])) for o, r in self._runs.items()}

    @property
    def diverged(self):
        return {o: r["diverged"] is not None for o, r in self._runs.items()}

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value):
        self.controls["lr"].value = check_positive("The learning rate", value)

    def lr_marks(self):
        """On a quadratic: {"1/L", "2/(μ+L)", "2/L"} learning rates; None elsewhere."""
        L, mu = getattr(self.land, "L", None), getattr(self.land, "mu", None)
        if L is None:
            return None
        return {"1/L": 1 / L, "2/(μ+L)": 2 / (mu + L), "2/L": 2 / L}

    @property
    def focus(self):
        """The optimizer at whose current point the Hessian is shown ("curvature at" menu)."""
        chosen = self.controls["focus"].value if self._controls_ready else None
        return chosen if chosen in self._runs else self.optimizers[0]

    def curvature(self):
        """At the current point of `focus`: Hessian eigenvalues, eigenvectors (columns),
        condition number |λ|max/|λ|min and the second-derivative label."""
        point = self._runs[self.focus]["path"][-1]
        H = self.land.hessian(point)
        lam, vec = np.linalg.eigh(H)
        small = np.abs(lam).min()
        kappa = np.abs(lam).max() / small if small > 0 else math.inf
        return point, lam, vec, kappa, self.land.classify(point)

    # ---- drawing: the contour is drawn once per landscape; steps only move artists ------------
    def _new_figure(self):
        fig = new_canvas(9.6, 4.2)
        ax, lax = fig.add_axes((0.07, 0.11, 0.43, 0.78)), fig.add_axes((0.60, 0.11, 0.38, 0.78))
        X, Y, Z = self._grid
        land = self.land
        ax.contour(X, Y, Z, levels=land.levels, colors=COLORS["muted"], linewidths=0.6)
        for m in land.minima:
            ax.plot(*m, marker="*", ms=11, color=COLORS["minimum"], ls="none")
        for s in land.saddles:
            ax.plot(*s, marker="x", ms=8, color=COLORS["muted"], ls="none")
        ax.set(xlim=land.xlim, ylim=land.ylim, xlabel="x", ylabel="y", title=land.formula)
        ax.set_aspect("auto")
        art = {"ax": ax, "lax": lax, "path": {}, "dot": {}, "loss": {},
               "start": ax.plot([], [], "o", color=COLORS["text"], ms=5)[0]}
        for o in self.optimizers:
            c, ls = OPTIMIZER_COLORS[o], OPTIMIZER_STYLES[o]
            art["path"][o], = ax.plot([], [], color=c, ls=ls, lw=1.6, label=o)
            art["dot"][o], = ax.plot([], [], "o", color=c, ms=6, mec="white")
            art["loss"][o], = lax.plot([], [], color=c, ls=ls, lw=1.6, label=o)
        zeros = np.zeros(len(self.optimizers))
        art["arrows"] = ax.quiver(zeros, zeros, zeros, zeros, color=COLORS["gradient"],
                                  angles="xy", scale_units="xy", scale=1, width=0.006, zorder=5)
        art["eig"] = [ax.plot([], [], color=COLORS["curvature"], lw=2.2)[0] for _ in range(2)]
        art["eigtext"] = [ax.text(0, 0, "", color=COLORS["curvature"], fontsize=8)
                          for _ in range(2)]
        art["label"] = ax.text(0.02, 0.02, "", transform=ax.transAxes, fontsize=8,
                               color=COLORS["curvature"],
                               bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
        ax.legend(loc="upper right", fontsize=8)
        shifted = land.f_min is not None
        lax.set(xlabel="step", ylabel="f − f_min" if shifted else "f",
                yscale="log" if shifted else "linear", title="loss")
        art["banner"] = fig.text(0.5, 0.955, "", ha="center", color="white", fontweight="bold",
                                 bbox={"facecolor": COLORS["gradient"], "edgecolor": "none"})
        art["moving"] = [art["start"], *art["path"].values(), *art["dot"].values(),
                         *art["loss"].values(), art["arrows"], *art["eig"], *art["eigtext"],
                         art["label"], art["banner"]]
        art["moving"] = draw_order(fig, art["moving"])
        for a in art["moving"]:   # left out of fig.draw(); blitted onto the cached background
            a.set_animated(True)
        art["base"] = art["background"] = art["limits"] = None
        return fig, art

    def _draw(self):
        art, land = self._art, self.land
        (x0, x1), (y0, y1) = land.xlim, land.ylim
        size = 0.12 * max(x1 - x0, y1 - y0)   # arrow and eigen-direction length on the plot
        tips, f_min, top = [], land.f_min, 0
        art["start"].set_data(self._start[:1], self._start[1:])
        for o, r in self._runs.items():
            path = np.array(r["path"])
            art["path"][o].set_data(path[:, 0], path[:, 1])
            art["dot"][o].set_data(path[-1:, 0], path[-1:, 1])
            loss = land(path)
            if f_min is not None:
                loss = np.maximum(loss - f_min, 1e-16)
            art["loss"][o].set_data(np.arange(len(loss)), loss)
            top = max(top, len(loss))
            g = self._grad[o]
            norm = np.linalg.norm(g)
            tips.append(-g / norm * size if norm > 0 else np.zeros(2))
        art["arrows"].set_offsets(np.array([r["path"][-1] for r in self._runs.values()]))
        tips = np.array(tips)
        art["arrows"].set_UVC(tips[:, 0], tips[:, 1])
        point, lam, vec, kappa, label = self.curvature()
        for i in range(2):
            a, b = point - size * vec[:, i], point + size * vec[:, i]
            art["eig"][i].set_data([a[0], b[0]], [a[1], b[1]])
            art["eigtext"][i].set_position(b)
            art["eigtext"][i].set_text(f"λ{i + 1}")
        art["label"].set_text(f"at {self.focus}'s point: λ = {fmt(lam[0], 3)}, "
                              f"{fmt(lam[1], 3)}; κ = {fmt(kappa, 3)}; {label}")
        lax, low, high = art["lax"], np.inf, -np.inf
        for line in art["loss"].values():
            y = line.get_ydata()
            low, high = min(low, y.min()), max(high, y.max())
        if f_min is not None:   # whole decades, so the axes (and background) rarely change
            low = 10.0 ** math.floor(math.log10(low))
            high = max(10.0 ** math.ceil(math.log10(high)), 10 * low)
        else:
            pad = 0.05 * (high - low) + 1e-12
            low, high = low - pad, high + pad
        nice = next(n for n in (k * 10 ** e for e in range(1, 9) for k in (1, 2, 3, 5))
                    if n >= top - 1)
        lax.set(xlim=(0, nice), ylim=(low, high))
        gone = [o for o, r in self._runs.items() if r["diverged"] is not None]
        art["banner"].set_text(f"diverging: {', '.join(gone)} stopped" if gone else "")
        art["banner"].set_visible(bool(gone))

    def _redraw(self):
        if not self._controls_ready:
            return
        if self.view.fig is None:
            self.view.fig, self._art = self._new_figure()
        self._grad = {o: self.land.gradient(r["path"][-1]) for o, r in self._runs.items()}
        self._draw()
        art, canvas = self._art, self.view.fig.canvas
        limits = (art["lax"].get_xlim(), art["lax"].get_ylim())
        if limits != art["limits"]:   # the loss axes changed: redraw their still parts once
            if art["base"] is None:    # the figure without the loss panel, drawn only once
                art["lax"].set_visible(False)
                canvas.draw()
                art["base"] = canvas.copy_from_bbox(self.view.fig.bbox)
                art["lax"].set_visible(True)
            canvas.restore_region(art["base"])
            self.view.fig.draw_artist(art["lax"])
            art["background"], art["limits"] = canvas.copy_from_bbox(self.view.fig.bbox), limits
        else:
            canvas.restore_region(art["background"])
        for a in art["moving"]:
            self.view.fig.draw_artist(a)
        self.view.refresh(draw=False)
        self._update_panel()

    # ---- readouts ------------------------------------------------------------------------------
    def _update_panel(self):
        rows, colors = [], []
        for o, r in self._runs.items():
            path, g = r["path"], self._grad[o]
            stepped = np.linalg.norm(path[-1] - path[-2]) if len(path) > 1 else 0.0
            state = f"diverged at step {r['diverged']}" if r["diverged"] is not None else "running"
            rows.append((o, len(path) - 1, fmt(path[-1][0]), fmt(path[-1][1]),
                         fmt(self.land(path[-1])), fmt(np.linalg.norm(g)), fmt(stepped), state))
            colors.append(OPTIMIZER_COLORS[o])
        point, lam, _, kappa, label = self.curvature()
        parts = [table(("optimizer", "step", "x", "y", "f", "‖∇f‖", "last step ‖Δp‖", "status"),
                       rows, colors),
                 f"<b>Hessian</b> at {self.focus}'s point ({fmt(point[0])}, "
                 f"{fmt(point[1])}): eigenvalues {fmt(lam[0])}, {fmt(lam[1])}; condition number "
                 f"{fmt(kappa)}; curvature: <b>{label}</b>."]
        marks = self.lr_marks()
        if marks:
            parts.append("<b>learning rate</b> " + fmt(self._lr) + " = " + ", ".join(
                f"{fmt(self._lr / v, 3)} × {k} ({fmt(v)})" for k, v in marks.items())
                + ". Gradient descent converges exactly when lr < 2/L.")
        gone = [o for o, r in self._runs.items() if r["diverged"] is not None]
        why = ("f has no minimum here, so it falls without bound" if self.land.f_min is None
               else "try a smaller learning rate")
        self.banner.value = banner(
            f"diverging: {', '.join(gone)} left the region around the plot; those steps were "
            f"refused ({why})." if gone else "")
        self.panel.value = "<br>".join(parts)

    def _summary(self):
        return (f"GradientDescentExplorer({self.land.name}: {', '.join(self.optimizers)}, "
                f"lr={self._lr:g})")

    # ---- controls ------------------------------------------------------------------------------
    def _build_controls(self):
        land, lr = self.land, self._lr
        exp = math.log10(lr)
        c = self.controls = {
            "landscape": W.Dropdown(options=landscapes.names(), value=land.name,
                                    description="landscape"),
            "condition": W.FloatLogSlider(value=getattr(land, "condition_number", 10.0), min=0,
                                          max=3, description="κ (quadratic)"),
            "angle": W.FloatSlider(value=getattr(land, "angle", 0.0), min=-90, max=90, step=5,
                                   description="angle°"),
            "optimizers": W.SelectMultiple(options=OPTIMIZERS, value=self.optimizers, rows=7,
                                           description="optimizers"),
            "lr": W.FloatLogSlider(value=lr, min=min(-5, math.floor(exp)),
                                   max=max(1, math.ceil(exp)), step=0.01, description="lr",
                                   readout_format=".2e"),
            "x": W.FloatSlider(value=self._start[0], min=land.xlim[0], max=land.xlim[1],
                               step=0.05, description="start x"),
            "y": W.FloatSlider(value=self._start[1], min=land.ylim[0], max=land.ylim[1],
                               step=0.05, description="start y"),
            "step": W.Button(description="step"),
            "play": W.Play(value=0, min=0, max=100000, interval=120, description="play"),
            "reset": W.Button(description="reset"),
            "focus": W.Dropdown(options=self.optimizers, description="curvature at"),
        }
        for o, k, low, high, _ in HYPER:
            c[f"{o}.{k}"] = W.FloatSlider(value=self.hyper.get(o, {}).get(k, _), min=low,
                                          max=high, step=0.01 if high < 1 else 0.1,
                                          description=f"{o} {k}")
        # every callback draws, so it must run where the cells run (see common.on_main_thread)
        c["step"].on_click(on_main_thread(lambda _: self.step()))
        c["reset"].on_click(on_main_thread(lambda _: self.reset()))
        c["play"].observe(on_main_thread(self._on_play), "value")
        c["focus"].observe(on_main_thread(lambda _: None if self._syncing else self._redraw()),
                           "value")
        for key in ("landscape", "condition", "angle", "optimizers", "lr", "x", "y") + tuple(
                f"{o}.{k}" for o, k, *_ in HYPER):
            c[key].observe(on_main_thread(self._on_setting), "value")
        self.panel, self.banner = W.HTML(), W.HTML()
        self.view = FigureView(None, self._summary())
        hyper = [c[f"{o}.{k}"] for o, k, *_ in HYPER]
        self.widget = W.VBox([
            W.HBox([c["landscape"], c["condition"], c["angle"]]),
            W.HBox([c["optimizers"], W.VBox([c["lr"], c["x"], c["y"]]), W.VBox(hyper)]),
            W.HBox([c["step"], c["play"], c["reset"], c["focus"]]), self.banner, self.view.output,
            self.panel])
        self._sync_controls()
        self._controls_ready = True

    def _sync_controls(self):
        """Show only the sliders that mean something for the current choices."""
        c, quad = self.controls, self.land.name == "quadratic"
        c["condition"].layout.display = c["angle"].layout.display = None if quad else "none"
        for o, k, *_ in HYPER:
            c[f"{o}.{k}"].layout.display = None if o in self.optimizers else "none"
        own = all("lr" in self.hyper[o] for o in self.optimizers)   # e.g. the race in ch5
        c["lr"].disabled = own
        c["lr"].tooltip = ("every optimizer shown has its own lr (set with hyper=...), so this "
                           "shared one changes nothing" if own else "learning rate, shared by "
                           "every optimizer without an lr of its own")

    def _set_play(self, value):
        self._replaying = True
        self.controls["play"].value = value
        self._replaying = False

    def _on_play(self, change):
        if not getattr(self, "_replaying", False) and change["new"] > change["old"]:
            self.step()

    def _on_setting(self, change):
        """A setting changed: rebuild from the start and replay as many steps as were shown.

        A slider keeps the exact value set in code (lr=0.05, κ=50) for as long as it shows it:
        the browser's echo of that value rounded onto the slider's grid is not a change, and
        neither is a change to a hidden slider (it counts once its optimizer is selected)."""
        c, steps, land = self.controls, self._k, self.land
        key = next(k for k, w in c.items() if w is change["owner"])
        exact = {"lr": self._lr, "x": self._start[0], "y": self._start[1],
                 "condition": getattr(land, "condition_number", None),
                 "angle": getattr(land, "angle", None)}
        exact |= {f"{o}.{k}": v for o, h in self.hyper.items() for k, v in h.items()}

        def read(k):
            keep = exact.get(k) is not None and same_notch(c[k], exact[k])
            return exact[k] if keep else c[k].value

        if self._syncing or c[key].layout.display == "none" or (
                key in exact and read(key) == exact[key]):
            return
        name = c["landscape"].value
        params = dict(self.landscape_params) if name == land.name else {}
        if name == "quadratic":
            params |= {"condition_number": read("condition"), "angle": read("angle")}
        start = (read("x"), read("y"))
        if key == "landscape":
            start = None   # a new landscape starts from its own demo point
        hyper = {o: dict(self.hyper.get(o, {})) for o in c["optimizers"].value}
        for o, k, *_ in HYPER:   # the sliders' values, over settings given in code (e.g. "lr")
            if o in hyper:
                hyper[o][k] = read(f"{o}.{k}")
        if not c["optimizers"].value:   # keep at least one selected
            self._syncing = True
            c["optimizers"].value = change["old"]
            self._syncing = False
            return
        old = (self.land.name, self.landscape_params, self.optimizers)
        self._configure(name, params, tuple(c["optimizers"].value), read("lr"), start, hyper,
                        self.seed)
        self._syncing = True
        if old[:2] != (self.land.name, self.landscape_params):
            for i, (axis, lim) in enumerate((("x", self.land.xlim), ("y", self.land.ylim))):
                c[axis].min, c[axis].max = -1e9, 1e9
                c[axis].value = self._start[i]
                c[axis].min, c[axis].max = lim
        focus = c["focus"].value
        c["focus"].options = self.optimizers
        c["focus"].value = focus if focus in self.optimizers else self.optimizers[0]
        self._syncing = False
        self._sync_controls()
        if old != (self.land.name, self.landscape_params, self.optimizers):
            self.view.fig = None   # new contour or new legend: a new figure
        self.view.alt = self._summary()
        self.run(steps)
