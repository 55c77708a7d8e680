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

    size, tight, moving = (10.0, 3.4), False, ("p", "q", "base")   # draw() sets the margins

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
        """Three panels, drawn in bits, whose axes never change their limits: the outcome axes
        run from 0 to 1 (outcome i in the middle of [i/K, (i+1)/K]) and the totals' axis counts
        in units of log K, the largest entropy. So another number of outcomes K moves bars and
        relabels the outcome axes (moving parts here), and another unit, a change of scale
        (1 nat = 1/ln 2 bits), relabels the surprisal axis. With two outcomes the binary entropy
        curve is shown in the totals' place instead."""
        from matplotlib.ticker import MaxNLocator

        m, n, top, wide = self.model, MAX_OUTCOMES, 7.0, 2.2   # 7 bits; log K at 1 of 2.2
        fig.subplots_adjust(left=0.067, right=0.974, bottom=0.172, top=0.838, wspace=0.278)
        probs, bits, totals = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1.1, 1.1]})
        binary = fig.add_subplot(totals.get_subplotspec())     # in the same place, for K = 2
        hatch = dict(facecolor="white", edgecolor=Q_COLOR, hatch="///", lw=1)
        # a bar for each outcome there can be (those past K hidden), p's solid and q's hatched
        pb, sb = (ax.bar(np.zeros(n), np.zeros(n), 0, align="edge", color=COLORS["value"])
                  for ax in (probs, bits))
        qb, sq = (ax.bar(np.zeros(n), np.zeros(n), 0, align="edge", **hatch)
                  for ax in (probs, bits))
        probs.set(xlim=(0, 1), ylim=(0, 1.05), ylabel="probability")
        bits.set(xlim=(0, 1), ylim=(0, top))
        # The outcome axes move (their ticks) but draw no tick marks, so the bars' feet stay
        # clear of them, and their label is a still text where matplotlib would put it. The
        # surprisal axis has no tick marks either: the lines' ends stay clear of it.
        bits.tick_params(axis="y", left=False)
        for ax in (probs, bits):
            ax.tick_params(axis="x", bottom=False)
            ax.annotate("outcome i", (0.5, 0), (0, -21), "axes fraction", "offset points",
                        ha="center", va="top")
            ax.set_title(" ", y=1.0)        # placed by hand: move() writes the text
        h_line = bits.axhline(0, color=COLORS["text"], ls="--", lw=1.5)
        ce_line = bits.axhline(0, color=Q_COLOR, ls=":", lw=2.5)
        caps = [bits.text(0, 0.97 * top, "", ha="center", va="top", fontsize=9,  # values off
                          bbox=dict(facecolor="white", edgecolor="none", pad=1))   # the top
                for _ in range(2 * n)]
        rows = totals.barh([1, 0], [0, 0], 0.5, color=COLORS["value"])
        kl_bar = totals.barh([0], [0], 0.5, facecolor="white", edgecolor=KL_COLOR,
                             hatch="\\\\\\", lw=1)[0]
        ends = [totals.text(0.02 * wide, y, "", va="center", fontsize=9, bbox=dict(
            facecolor="white", edgecolor="none", pad=1)) for y in (1.45, 0.45)]   # over log K
        totals.axvline(1, color=COLORS["muted"], ls="-.", lw=1.2)          # log K
        uniform = totals.text(1, -0.42, "", color=COLORS["muted"], fontsize=8, va="center")
        totals.set(xlim=(0, wide), xticks=[0, 1, 2], xticklabels=["0", "log K", "2 log K"],
                   xlabel="in units of log K", ylim=(-0.55, 1.75), yticks=[1, 0],
                   yticklabels=["H(p)", "H(p, q)"], title="H(p, q) = H(p) + KL(p ‖ q)\n"
                   "(KL hatched)")
        t = np.linspace(0, 1, 201)
        binary.plot(t, info.entropy(np.stack([t, 1 - t], axis=1), base=2).numpy(),
                    color=COLORS["value"])
        tangent, = binary.plot([0, 1], [0, 0], ":", color=Q_COLOR, lw=2.5)
        gap, = binary.plot([0, 0], [0, 0], color=KL_COLOR, lw=3, solid_capstyle="butt")
        dots, = binary.plot([], [], "o", color=COLORS["text"], ms=6)
        touch, = binary.plot([], [], "o", mfc="white", mec=Q_COLOR, mew=2, ms=7)
        binary.set(xlim=(0, 1), ylim=(0, 2), xlabel="p₁", title="binary entropy h(p₁) (solid); "
                   "dotted:\nH(p, q) for this q; the bar between = KL")
        # No grid lines: the bars and lines would have to be drawn again under new ones, and the
        # table gives every number. Axis labels are placed by hand, so matplotlib need not
        # measure them: an x label where it would put it, a y label clear of the widest tick
        # labels (so it stays put in every unit).
        for ax in (probs, bits, totals, binary):
            ax.grid(False)
        for ax in (bits, totals, binary):
            tk.pin_labels(ax, under=21, beside=27)
        shown = {}

        def relabel(axis, end, label):
            """Ticks at round numbers of the unit on an axis that runs from 0 to ``end`` bits."""
            per = math.log(2, m.base)                    # the reader's unit per bit
            values = MaxNLocator(5, steps=[1, 2, 5, 10]).tick_values(0, end * per)
            values = values[(values >= 0) & (values <= end * per * (1 + 1e-9))]
            digits = max(len(f"{v:g}".partition(".")[2]) for v in values)
            axis.set_ticks(values / per, [f"{v:.{digits}f}" for v in values])
            axis.set_label_text(label)

        def move():
            k, two, to_bits = m.outcomes, m.outcomes == 2, math.log2(m.base)
            s, q, q_s, has_q = m.surprisal, m.q, m.q_surprisal, m.q is not None
            h, ce, kl = m.entropy, m.cross_entropy, m.kl
            unit, log = BASES[m.base]
            centre, w = (np.arange(n) + 0.5) / k, 0.4 / k   # each outcome's place, a bar's width
            if shown.get("unit") != m.base:
                relabel(bits.yaxis, top, f"surprisal ({unit})")
                relabel(binary.yaxis, 2, unit)
            if shown.get("outcomes") != k:
                for ax in (probs, bits):
                    ax.set_xticks(centre[:k], range(1, k + 1))
                totals.set_visible(not two)
                binary.set_visible(two)
                for part in [*pb[k:], *qb[k:], *sb[k:], *sq[k:], *caps[2 * k:]]:
                    part.set_visible(False)              # outcomes past K
            shown.update(unit=m.base, outcomes=k)
            probs.title.set_text("pᵢ (solid), qᵢ (hatched)" if has_q else "pᵢ")
            left = centre - (w if has_q else w / 2)      # p's bars centred when alone
            for bars, values, x in ((pb, m.p, left), (qb, q, centre), (sb, s * to_bits, left),
                                    (sq, q_s * to_bits if has_q else None, centre)):
                for i, bar in enumerate(bars[:k]):
                    tk.change(bar, x=x[i], width=w, visible=values is not None,
                              height=0 if values is None else min(values[i], top))
            both = np.column_stack([s, q_s if has_q else np.zeros(k)]).ravel()   # p₁, q₁, p₂, …
            for j, (text, v) in enumerate(zip(caps, both)):
                at = (left if j % 2 == 0 else centre)[j // 2] + w / 2
                tk.change(text, visible=True, position=(at, 0.97 * top),
                          text=("∞" if math.isinf(v) else fmt(v, 3)) if v * to_bits > top else "")
            tk.change(h_line, ydata=[h * to_bits] * 2)
            tk.change(ce_line, ydata=[ce * to_bits] * 2 if has_q else [0, 0], visible=has_q)
            # the formulas, in any unit (the numbers: in the table, and the totals panel)
            bits.title.set_text("-log pᵢ; dashed: H(p) = Σ pᵢ · (-log pᵢ)\n"
                                + ("dotted: H(p, q) = Σ pᵢ · (-log qᵢ)" if has_q else "(no q)"))
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
            else:                                        # in units of log K
                lk = math.log2(k)
                uniform.set_text(f" uniform: {log} {k}")
                tk.change(kl_bar, x=hb / lk, visible=has_q,
                          width=min(kl * to_bits / lk, 2 * wide) if has_q else 0)
                tk.change(rows[0], width=hb / lk)
                tk.change(rows[1], width=hb / lk, visible=has_q)
                ends[0].set_text(f"H(p) = {fmt(h, 3)} {unit}")
                ends[1].set_text(f"{fmt(ce, 3)} = {fmt(h, 3)} + KL {fmt(kl, 3)} {unit}" if has_q
                                 else "no q: press 'compare with q'")
            return [*pb, *qb, *sb, *sq, h_line, ce_line, *caps, bits.title, probs.title,
                    probs.xaxis, bits.xaxis, bits.yaxis, binary.yaxis, *rows,
                    kl_bar, *ends, uniform, tangent, gap, touch, dots]
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
