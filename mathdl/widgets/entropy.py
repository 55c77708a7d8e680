"""EntropyExplorer: a distribution p (and a model q), each outcome's surprisal, and the totals.

    ee = EntropyExplorer(p=(0.5, 0.3, 0.2), q=None, base=2)
    ee.set(p=(1, 1, 1, 1))             # normalised: p = (0.25, 0.25, 0.25, 0.25), H = 2 bits
    ee.set(q=(0.7, 0.1, 0.1, 0.1))     # now H(p, q) and KL(p ‖ q) too; set(q=None) removes q
    ee.p, ee.q, ee.entropy, ee.cross_entropy, ee.kl, ee.surprisal, ee.figure

Left, p and q; middle, each outcome's surprisal -log pᵢ (and -log qᵢ), H(p) (their average)
and H(p, q); right, H(p, q) = H(p) + KL(p ‖ q) stacked against log K, or with two outcomes the
binary entropy curve with p on it and H(p, q) on its tangent at q (the gap is the KL). A slider
sets one probability, the others keep their ratios. The numbers come from ``md.info``. The
picture is drawn in bits: another unit is a change of scale (1 nat = 1/ln 2 bits), so it moves
no bar or line and only relabels the axes.
"""

import math

import numpy as np

from .. import checks, info
from . import toolkit as tk
from .toolkit import COLORS, fmt

BASES = {2.0: ("bits", "log₂"), math.e: ("nats", "ln"), 10.0: ("hartleys", "log₁₀")}
MAX_OUTCOMES = 8
# presets: p for the current number of outcomes k (the first three keep k, the others set it)
PRESETS = {"uniform": lambda k: np.full(k, 1 / k),
           "peaked": lambda k: np.array([0.85] + [0.15 / (k - 1)] * (k - 1)),
           "certain": lambda k: np.eye(k)[0], "fair coin": lambda k: np.array([0.5, 0.5]),
           "biased coin": lambda k: np.array([0.9, 0.1]), "fair die": lambda k: np.full(6, 1 / 6)}
KEEP = object()          # set(q=KEEP): leave q as it is (q=None removes it)
Q_COLOR, KL_COLOR = COLORS["highlight"], COLORS["gradient"]


def distribution(name, values):
    """``values`` (2 to 8 numbers ≥ 0, not all 0) divided by their sum, as a numpy array."""
    if isinstance(values, str) or not hasattr(values, "__len__"):
        raise ValueError(f"{name} must be a sequence of probabilities or weights, such as "
                         f"(0.5, 0.3, 0.2), got {values!r}.")
    checks.whole(f"The number of outcomes of {name}", len(values), 2, MAX_OUTCOMES)
    w = np.array([checks.number(f"{name}[{i}]", v, low=0) for i, v in enumerate(values)])
    if w.sum() == 0:
        raise ValueError(f"{name} needs at least one positive entry (it is divided by its sum), "
                         f"got {tuple(values)!r}.")
    return w / w.sum()


def reweigh(probs, i, value):
    """Outcome i gets probability ``value``; the others share 1 - value in their old ratios
    (equally, if they were all 0). What a probability slider does."""
    rest = np.delete(probs, i)
    rest = rest / rest.sum() if rest.sum() > 0 else np.full(len(rest), 1 / len(rest))
    return np.insert(rest * (1 - value), i, value)


def resize(probs, k):
    """``probs`` cut to, or extended to, k outcomes (new ones as likely as an average old one)."""
    w = np.concatenate([probs[:k], np.full(max(k - len(probs), 0), 1 / len(probs))])
    return w / w.sum() if w.sum() > 0 else np.full(k, 1 / k)


class EntropyModel:
    """The state (p, q, base) and the information quantities, in units of ``base``."""

    def __init__(self, p=(0.5, 0.3, 0.2), q=None, base=2):
        self._p, self._q, self.base = np.array([1.0, 0.0]), None, 2.0
        self.set(p=p, q=q, base=base)

    def set(self, p=None, q=KEEP, base=None):
        if base is not None:          # math.e and "e" both mean nats
            named = "e" if checks.is_number(base) and base == math.e else base
            base = float({"e": math.e}.get(checks.choice("base", named, (2, "e", 10)), named))
        new_p = self._p if p is None else distribution("p", p)
        new_q = self._q if q is KEEP else None if q is None else distribution("q", q)
        if new_q is not None and len(new_q) != len(new_p):
            raise ValueError(f"p has {len(new_p)} outcomes but q has {len(new_q)}; give both "
                             f"with the same number of outcomes (or q=None).")
        self._p, self._q = new_p, new_q
        self.base = self.base if base is None else base

    p = property(lambda self: self._p.copy(), doc="The distribution p (sums to 1).")
    q = property(lambda self: None if self._q is None else self._q.copy(), doc="The model q.")
    outcomes = property(lambda self: len(self._p))
    unit = property(lambda self: BASES[self.base][0])
    max_entropy = property(lambda self: math.log(self.outcomes, self.base),
                           doc="log K, the entropy of the uniform distribution on K outcomes.")

    def information(self, name, *probs):
        """``md.info.<name>(*probs)`` in this base, as a float: "entropy", "cross_entropy"
        or "kl_divergence" of any distributions (0 · log 0 = 0)."""
        return float(getattr(info, name)(*probs, base=self.base).item())

    entropy = property(lambda self: self.information("entropy", self._p),
                       doc="H(p) = Σ pᵢ · (-log pᵢ), the average surprisal.")
    cross_entropy = property(lambda self: None if self._q is None else
                             self.information("cross_entropy", self._p, self._q),
                             doc="H(p, q) = Σ pᵢ · (-log qᵢ), None without q.")
    kl = property(lambda self: None if self._q is None else
                  self.information("kl_divergence", self._p, self._q),
                  doc="KL(p ‖ q) = H(p, q) - H(p) ≥ 0, None without q.")

    def _surprisal(self, probs):
        with np.errstate(divide="ignore"):
            return -np.log(probs) / math.log(self.base)
    surprisal = property(lambda self: self._surprisal(self._p), doc="-log pᵢ (inf where pᵢ = 0)")
    q_surprisal = property(lambda self: None if self._q is None else self._surprisal(self._q))


class EntropyExplorer(tk.Widget):
    """Set p (and q) with sliders or presets; read surprisals, H(p), H(p, q) and KL(p ‖ q)."""

    size, moving = (10.0, 3.4), ("p", "q", "base")   # to or from two outcomes: a new figure

    def __init__(self, p=(0.5, 0.3, 0.2), q=None, base=2):
        model = EntropyModel(p, q, base)
        bases = [(f"{u} ({s})", b) for b, (u, s) in BASES.items()]
        actions = {name: (tk.button(name, f"p = {name}"), self._preset(make))
                   for name, make in PRESETS.items()}
        actions["q = p"] = (tk.button("q = p", "copy p into q: KL = 0"),
                            lambda: self.model.set(q=self.model.p))
        actions["compare with q"] = (tk.toggle("compare with q"), self._toggle_q)
        actions["outcomes"] = (tk.slider(2, MAX_OUTCOMES, 1, "outcomes", model.outcomes, True),
                               self._resize)
        for which, i in ((w, i) for w in "pq" for i in range(MAX_OUTCOMES)):
            control = tk.slider(0.0, 1.0, 0.01, f"{which}{i + 1}")
            control.layout.width = "260px"
            actions[f"{which}{i + 1}"] = (control, self._slide(which, i))
        self._drawn = None
        super().__init__(model, settings={"base": tk.menu(bases, "unit")}, actions=actions)

    # -- what the controls do --
    def _preset(self, make):
        def apply():
            values, q = make(self.outcomes), self.model.q
            self.model.set(p=values, q=None if q is None else
                           q if len(q) == len(values) else resize(q, len(values)))
        return apply

    def _toggle_q(self):
        on = self.controls["compare with q"].value
        self.model.set(q=np.full(self.outcomes, 1 / self.outcomes) if on else None)

    def _resize(self):
        k, q = self.controls["outcomes"].value, self.model.q
        self.model.set(p=resize(self.model.p, k), q=None if q is None else resize(q, k))

    def _slide(self, which, i):
        def apply():
            probs, control = getattr(self.model, which), self.controls[f"{which}{i + 1}"]
            if probs is not None and i < len(probs) and not tk.same_notch(control, probs[i]):
                self.model.set(**{which: reweigh(probs, i, control.value)})
        return apply

    def set(self, **values):
        """``set(p=..., q=..., base=...)``, checked before anything changes."""
        for name in values:
            checks.choice("setting", name, self.moving)
        self.model.set(**values)
        self.refresh()

    def refresh(self, rebuild=False):
        super().refresh(rebuild or self._drawn != (self.outcomes == 2))

    def update_controls(self):
        m, c = self.model, self.controls
        c["outcomes"].value, c["compare with q"].value = m.outcomes, m.q is not None
        for name, make in PRESETS.items():
            values = make(m.outcomes)
            c[name].disabled = len(values) == m.outcomes and np.allclose(values, m.p)
        c["q = p"].disabled = m.q is None or np.allclose(m.q, m.p)
        for which, probs in (("p", m.p), ("q", m.q)):
            for i in range(MAX_OUTCOMES):
                control = c[f"{which}{i + 1}"]
                shown = probs is not None and i < len(probs)
                control.layout.display = None if shown else "none"
                notch = round(float(probs[i]), 2) if shown else control.value
                if control.value != notch:     # on the slider's grid: a browser never sends a
                    control.value = notch      # snapped echo back (it could overtake a change)

    def layout(self):
        c = self.controls
        sliders = [tk.column(*(c[f"{w}{i + 1}"] for i in range(MAX_OUTCOMES))) for w in "pq"]
        return tk.column(tk.row(*(c[n] for n in [*PRESETS, "q = p"])),
                         tk.row(c["base"], c["outcomes"], c["compare with q"]), tk.row(*sliders),
                         self.banner, self.picture.output, self.panel)

    # -- the picture --
    def draw(self, fig):
        """Three panels, drawn in bits. Another unit is only a change of scale (1 nat = 1/ln 2
        bits), so it moves nothing: it relabels the axes, which are moving parts here. Another
        number of outcomes shows or hides bars and sets new limits; only two outcomes, where the
        right panel is the binary entropy curve, need a figure of their own."""
        from matplotlib.ticker import MaxNLocator

        m, two = self.model, self.model.outcomes == 2
        self._drawn = two                    # two outcomes: another right panel (a new figure)
        slots = 2 if two else MAX_OUTCOMES   # a bar for each outcome there can be, past k hidden
        x, zeros, top = np.arange(slots), np.zeros(slots), 7.0   # the surprisal axis: 7 bits
        probs, bits, totals = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1.1, 1.1]})
        hatch = dict(facecolor="white", edgecolor=Q_COLOR, hatch="///", lw=1)
        pb = probs.bar(x - 0.2, zeros, 0.4, color=COLORS["value"])
        qb = probs.bar(x + 0.2, zeros, 0.4, **hatch)
        sb = bits.bar(x - 0.2, zeros, 0.4, color=COLORS["value"])
        sq = bits.bar(x + 0.2, zeros, 0.4, **hatch)
        probs.set(ylim=(0, 1.05), ylabel="probability")
        bits.set_ylim(0, top)
        for ax in (probs, bits):
            ax.set_xlabel("outcome i")
            ax.set_title(" ", y=1.0)        # placed by hand: move() writes the text
        h_line = bits.axhline(0, color=COLORS["text"], ls="--", lw=1.5)
        ce_line = bits.axhline(0, color=Q_COLOR, ls=":", lw=2.5)
        caps = [bits.text(j + d, 0.97 * top, "", ha="center", va="top", fontsize=9,  # values
                          bbox=dict(facecolor="white", edgecolor="none", pad=1))  # off the top
                for j in range(slots) for d in (-0.2, 0.2)]
        if two:
            t = np.linspace(0, 1, 201)
            h2 = info.entropy(np.stack([t, 1 - t], axis=1), base=2).numpy()
            curve, = totals.plot(t, h2, color=COLORS["value"])
            tangent, = totals.plot([0, 1], [0, 0], ":", color=Q_COLOR, lw=2.5)
            gap, = totals.plot([0, 0], [0, 0], color=KL_COLOR, lw=3, solid_capstyle="butt")
            dots, = totals.plot([], [], "o", color=COLORS["text"], ms=6)
            touch, = totals.plot([], [], "o", mfc="white", mec=Q_COLOR, mew=2, ms=7)
            totals.set(xlim=(0, 1), ylim=(0, 2), xlabel="p₁", title="binary entropy h(p₁) "
                       "(solid); dotted:\nH(p, q) for this q; the bar between = KL")
            scale = totals.yaxis                         # the axis in the unit
        else:
            rows = totals.barh([1, 0], [0, 0], 0.5, color=COLORS["value"])
            kl_bar = totals.barh([0], [0], 0.5, facecolor="white", edgecolor=KL_COLOR,
                                 hatch="\\\\\\", lw=1)[0]
            ends = [totals.text(0, y, "", va="center", fontsize=9, bbox=dict(
                facecolor="white", edgecolor="none", pad=1)) for y in (1.45, 0.45)]   # over log K
            largest = totals.axvline(0, color=COLORS["muted"], ls="-.", lw=1.2)
            uniform = totals.text(0, -0.42, "", color=COLORS["muted"], fontsize=8, va="center")
            totals.set(ylim=(-0.55, 1.75), yticks=[1, 0], yticklabels=["H(p)", "H(p, q)"],
                       title="H(p, q) = H(p) + KL(p ‖ q)\n(KL hatched)")
            scale = totals.xaxis
        # The two axes in the unit relabel as moving parts. No grid lines: the bars and lines
        # would have to be drawn again under new ones, and the table gives every number. Labels
        # are placed by hand, so matplotlib need not measure them: an x label where it would put
        # it, a y label clear of the widest tick labels (so it stays put in every unit).
        for ax in (probs, bits, totals):
            ax.grid(False)
        for ax in (bits, totals):
            tk.pin_labels(ax, under=21, beside=27)
        shown = {}

        def relabel(axis, end, label):
            """Ticks at round numbers of the unit on an axis that runs from 0 to ``end`` bits."""
            per_bit = math.log(2, m.base)
            values = MaxNLocator(5, steps=[1, 2, 5, 10]).tick_values(0, end * per_bit)
            values = values[(values >= 0) & (values <= end * per_bit * (1 + 1e-9))]
            digits = max(len(f"{v:g}".partition(".")[2]) for v in values)
            axis.set_ticks(values / per_bit, [f"{v:.{digits}f}" for v in values])
            axis.set_label_text(label)

        def move():
            k, to_bits = m.outcomes, math.log2(m.base)
            s, q, q_s, has_q = m.surprisal, m.q, m.q_surprisal, m.q is not None
            h, ce, kl = m.entropy, m.cross_entropy, m.kl
            unit, log = BASES[m.base]
            right = 2 if two else 2.2 * math.log2(k)     # where the unit axis ends, in bits
            if shown.get("scale") != (m.base, k):        # another unit, or number of outcomes
                shown["scale"] = (m.base, k)
                for ax in (probs, bits):                 # new limits: the toolkit redraws them
                    ax.set(xlim=(-0.6, k - 0.4), xticks=range(k), xticklabels=range(1, k + 1))
                if not two:                              # log K, and room for the texts
                    totals.set_xlim(0, right)
                    largest.set_xdata([math.log2(k)] * 2)
                    uniform.set_x(math.log2(k))
                    for text in ends:
                        text.set_x(0.02 * right)
                relabel(bits.yaxis, top, f"surprisal ({unit})")
                relabel(scale, right, unit)
                for part in [*pb[k:], *qb[k:], *sb[k:], *sq[k:], *caps[2 * k:]]:
                    part.set_visible(False)              # outcomes past k
            probs.title.set_text("pᵢ (solid), qᵢ (hatched)" if has_q else "pᵢ")
            for bars, values in ((pb, m.p), (qb, q), (sb, s * to_bits),
                                 (sq, q_s * to_bits if has_q else None)):
                for bar, v in zip(bars[:k], values if values is not None else zeros):
                    tk.change(bar, height=min(v, top), visible=values is not None)
            for i, bar in enumerate([*pb[:k], *sb[:k]]):     # p's bars centred when alone
                tk.change(bar, x=i % k - (0.4 if has_q else 0.2))
            both = np.column_stack([s, q_s if has_q else np.zeros(k)]).ravel()   # p₁, q₁, p₂, …
            for j, (text, v) in enumerate(zip(caps, both)):
                at = j // 2 + (0.2 if j % 2 else -0.2 if has_q else 0)
                tk.change(text, visible=True, position=(at, 0.97 * top),
                          text=("∞" if math.isinf(v) else fmt(v, 3)) if v * to_bits > top else "")
            tk.change(h_line, ydata=[h * to_bits] * 2)
            tk.change(ce_line, ydata=[ce * to_bits] * 2 if has_q else [0, 0], visible=has_q)
            bits.title.set_text(f"-{log} pᵢ; dashed: H(p) = {fmt(h, 3)}\n"
                                + (f"dotted: H(p, q) = {fmt(ce, 3)}" if has_q else "(no q)"))
            moved = [*pb, *qb, *sb, *sq, h_line, ce_line, *caps, bits.title, probs.title,
                     bits.yaxis, scale]
            hb, cb, far = h * to_bits, (ce or 0) * to_bits, 10 * top
            if two:
                p1 = m.p[0]
                if has_q:   # H(p, q) is linear in p₁, from -log q₂ at p₁ = 0 to -log q₁ at 1
                    tk.change(tangent, ydata=np.minimum(q_s[::-1] * to_bits, far))
                    tk.change(gap, data=([p1, p1], [hb, min(cb, far)]))
                    tk.change(touch, data=([q[0]], [info.entropy(q, base=2).item()]))   # at q
                for line in (tangent, gap, touch):
                    tk.change(line, visible=has_q)
                tk.change(dots, data=([p1, p1], [hb, min(cb, far)]) if has_q else ([p1], [hb]))
                return moved + [curve, tangent, gap, touch, dots]
            uniform.set_text(f" uniform: {log} {k}")
            tk.change(kl_bar, x=hb, width=min(kl * to_bits, 2 * right) if has_q else 0,
                      visible=has_q)
            tk.change(rows[0], width=hb)
            tk.change(rows[1], width=hb, visible=has_q)
            ends[0].set_text(f"H(p) = {fmt(h, 3)}")
            ends[1].set_text(f"{fmt(ce, 3)} = {fmt(h, 3)} + KL {fmt(kl, 3)}" if has_q
                             else "no q: press 'compare with q'")
            return moved + [*rows, kl_bar, *ends, largest, uniform]
        return move

    def warning(self):
        if self.kl is not None and math.isinf(self.kl):
            return ("q gives probability 0 to an outcome p can produce: that outcome's "
                    "surprisal under q is infinite, and so are H(p, q) and KL(p ‖ q).")
        return ""

    def readout(self):
        m, unit, no = self.model, self.unit, [None] * MAX_OUTCOMES
        rows = [(i + 1, *(fmt(v, 3) for v in values)) for i, values in enumerate(zip(
            m.p, m.surprisal, no if m.q is None else m.q, no if m.q is None else m.q_surprisal))]
        head = ("outcome", "pᵢ", f"-log pᵢ ({unit})", "qᵢ", f"-log qᵢ ({unit})")
        totals = [("H(p)", fmt(m.entropy)), ("H(p, q)", fmt(m.cross_entropy)),
                  ("KL(p ‖ q)", fmt(m.kl)), (f"largest H, log {m.outcomes}", fmt(m.max_entropy))]
        return (tk.table(head, rows) + "<br>"
                + tk.table([t for t, _ in totals], [[v for _, v in totals]]) + f" ({unit})")

    def describe(self):
        m, p = self.model, ", ".join(fmt(v, 3) for v in self.model.p)
        text = f"EntropyExplorer: p = ({p}), H(p) = {fmt(m.entropy)} {m.unit}"
        if m.q is not None:
            q = ", ".join(fmt(v, 3) for v in m.q)
            text += f"; q = ({q}), H(p, q) = {fmt(m.cross_entropy)}, KL(p ‖ q) = {fmt(m.kl)}"
        return text
