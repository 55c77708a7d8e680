"""LinearMapExplorer: a 2 × 2 matrix A = [[a, b], [c, d]] as what it does to the plane.

    lm = LinearMapExplorer(matrix=((1.0, 0.5), (0.0, 1.0)))      # or matrix="rotation"
    lm.set(matrix=((0.0, 1.0), (1.0, 0.0)))                       # also set(a=..., d=...)
    lm.matrix, lm.determinant, lm.eigenvalues, lm.eigenvectors, lm.singular_values, lm.figure

Left, the plane before: grid, unit square, e₁ and e₂, unit circle. Right, their images: the
columns of A (where e₁ and e₂ land), the parallelogram of signed area det A (hatched when the
orientation flips), the ellipse with semi-axes σ₁u₁ and σ₂u₂ (A = UΣVᵀ; v₁ and v₂ are marked
on the left), and the real eigen-directions, dashed in both panels (A v = λ v). The model,
:class:`LinearMap`, needs no matplotlib.
"""

import math

import numpy as np

from .. import checks
from .toolkit import COLORS, Widget, button, column, fmt, row, slider, table

ENTRIES = ("a", "b", "c", "d")            # A = [[a, b], [c, d]], row by row
LIMIT = 3.0                                # every entry lies in [-LIMIT, LIMIT], as the sliders
_c, _s = math.cos(math.pi / 6), math.sin(math.pi / 6)
PRESETS = {"rotation": ((_c, -_s), (_s, _c)),            # by 30°: no real eigen-direction
           "shear": ((1.0, 1.0), (0.0, 1.0)),            # area kept, one eigen-direction
           "scaling": ((1.5, 0.0), (0.0, 0.5)),          # stretch x, squeeze y
           "reflection": ((0.0, 1.0), (1.0, 0.0)),       # across y = x: det = -1
           "projection": ((0.5, 0.5), (0.5, 0.5))}       # onto y = x: det = 0, singular
BANDS = (2.25, 3.5, 5.0, 7.0)              # the panels' half-widths, chosen from these


def _as_matrix(matrix):
    """A preset's name or a 2 × 2 array of finite numbers in [-LIMIT, LIMIT], as floats."""
    if isinstance(matrix, str):
        return np.array(PRESETS[checks.choice("preset", matrix, PRESETS)])
    m = np.asarray(matrix, dtype=object)
    if m.shape != (2, 2):
        raise ValueError(f"matrix must be 2 × 2, such as ((1, 0.5), (0, 1)), or a preset name "
                         f"({', '.join(PRESETS)}); got shape {m.shape}.")
    return np.array([[checks.number(f"matrix entry [{i}, {j}]", m[i, j], -LIMIT, LIMIT)
                      for j in range(2)] for i in range(2)])


class LinearMap:
    """The model: a 2 × 2 matrix and what linear algebra says about it."""

    def __init__(self, matrix=((1.0, 0.5), (0.0, 1.0))):
        self._m = _as_matrix(matrix)

    def set(self, matrix=None, a=None, b=None, c=None, d=None):
        """A new matrix (or a preset's name), then single entries; all checked first."""
        m = self._m.copy() if matrix is None else _as_matrix(matrix)
        for k, (name, value) in enumerate(zip(ENTRIES, (a, b, c, d))):
            if value is not None:
                m.flat[k] = checks.number(name, value, -LIMIT, LIMIT)
        self._m = m

    @property
    def matrix(self):
        return self._m.copy()

    @property
    def determinant(self):
        """ad − bc: the signed area of the unit square's image."""
        (a, b), (c, d) = self._m
        return float(a * d - b * c)

    @property
    def eigenvalues(self):
        """Both eigenvalues (a complex pair when A turns every direction)."""
        return np.linalg.eig(self._m)[0]

    @property
    def eigenvectors(self):
        """Unit eigenvectors as columns, as numpy.linalg.eig gives them; None if complex."""
        values, vectors = np.linalg.eig(self._m)
        return None if np.iscomplexobj(values) else vectors

    @property
    def singular_values(self):
        """σ₁ ≥ σ₂ ≥ 0: the semi-axes of the unit circle's image."""
        return np.linalg.svd(self._m, compute_uv=False)

    def eigenlines(self):
        """(λ, unit v) for each distinct real eigen-direction: one when two columns of eig
        are parallel (a shear), none when the eigenvalues are complex."""
        vectors, lines = self.eigenvectors, []
        if vectors is None:
            return lines
        for lam, v in zip(self.eigenvalues, vectors.T):
            if all(abs(v[0] * u[1] - v[1] * u[0]) > 1e-6 for _, u in lines):
                lines.append((float(lam), v))
        return lines


def clip(segments, lim):
    """The parts of line segments (n, 2, 2) inside the square [-lim, lim]² (Liang–Barsky): a
    moving part that ends at the axes' edge repaints no more of the picture than it shows."""
    p, d = segments[:, 0], segments[:, 1] - segments[:, 0]
    lo, hi = np.zeros(len(p)), np.ones(len(p))
    with np.errstate(divide="ignore", invalid="ignore"):
        t1, t2 = (-lim - p) / d, (lim - p) / d           # where each coordinate meets ±lim
    for k, moving in enumerate((np.abs(d) > 1e-12).T):
        lo = np.where(moving, np.maximum(lo, np.minimum(t1[:, k], t2[:, k])), lo)
        hi = np.where(moving, np.minimum(hi, np.maximum(t1[:, k], t2[:, k])),
                      np.where(np.abs(p[:, k]) > lim, -1.0, hi))    # parallel: in or out
    keep = lo <= hi
    return p[keep, None] + np.stack([lo, hi], axis=1)[keep, :, None] * d[keep, None]


def number_text(z, digits=4):
    """A real or complex number for a label: '0.866+0.5i'; rounding noise below 1e-12 is 0."""
    z = complex(z)
    re, im = (0.0 if abs(p) < 1e-12 else p for p in (z.real, z.imag))
    if im == 0:
        return fmt(re, digits)
    return f"{fmt(re, digits)}{'+' if im > 0 else '−'}{fmt(abs(im), digits)}i"


class LinearMapExplorer(Widget):
    """The plane before and after A; sliders for the four entries, a button per preset."""

    size = (8.8, 4.5)
    moving = ENTRIES

    def __init__(self, matrix=((1.0, 0.5), (0.0, 1.0))):
        model = LinearMap(matrix)
        entries = {name: slider(-LIMIT, LIMIT, 0.1, name, value=float(model.matrix.flat[k]))
                   for k, name in enumerate(ENTRIES)}
        presets = {name: (button(name, f"A = {np.round(PRESETS[name], 3).tolist()}"),
                          lambda name=name: model.set(matrix=name)) for name in PRESETS}
        super().__init__(model, settings=entries, actions=presets)

    def set(self, **values):
        """``set(matrix=...)`` (a 2 × 2 array or a preset's name) and/or entries a, b, c, d."""
        for name in values:
            checks.choice("setting", name, ("matrix", *ENTRIES))
        self.model.set(**values)
        self.refresh()

    def value_of(self, name):
        return float(self.model.matrix.flat[ENTRIES.index(name)])

    def layout(self):
        """The preset buttons, the sliders laid out like the matrix, then the picture."""
        c = self.controls
        return column(row(*(c[name] for name in PRESETS)), row(c["a"], c["b"]),
                      row(c["c"], c["d"]), self.banner, self.picture.output, self.panel)

    def draw(self, fig):
        from matplotlib.collections import LineCollection
        from matplotlib.patches import FancyArrowPatch, Polygon

        before, after = fig.subplots(1, 2)
        ks = np.arange(-8, 9)
        lines = np.array([[[k, -8], [k, 8]] for k in ks] + [[[-8, k], [8, k]] for k in ks], float)
        t = np.linspace(0, 2 * np.pi, 121)
        circle = np.stack([np.cos(t), np.sin(t)], axis=1)
        square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], float)
        for ax in (before, after):
            ax.set(aspect="equal", xlabel="x₁", ylabel="x₂")
            ax.grid(False)
            ax.axhline(0, color=COLORS["muted"], lw=0.6)
            ax.axvline(0, color=COLORS["muted"], lw=0.6)
        before.add_collection(LineCollection(lines, colors="#cccccc", linewidths=0.7))
        before.add_patch(Polygon(square, facecolor=COLORS["value"], alpha=0.25,
                                 edgecolor=COLORS["value"]))
        before.plot(*circle.T, color=COLORS["highlight"], lw=1.5)
        before.set_title("before: unit square (blue), unit circle (orange)")

        parts, tips, shown_before = [], {}, {}      # the moving parts; arrows' tips; last states

        def part(artist):
            parts.append(artist)
            return artist

        def arrow(ax, color, lw=1.6, z=4):
            return part(ax.add_patch(FancyArrowPatch((0, 0), (1, 0), arrowstyle="-|>", lw=lw,
                                                     mutation_scale=11, color=color, shrinkA=0,
                                                     shrinkB=0, zorder=z)))

        def aim(a, tip, visible=True):
            a.set_positions((0, 0), tip)
            a.set_visible(bool(visible))
            tips[a] = (tuple(tip), bool(visible))

        def label(ax, color, boxed=False):
            box = {"facecolor": "white", "alpha": 0.7, "pad": 0.5, "edgecolor": "none"}
            return part(ax.text(0, 0, "", color=color, fontsize=9, ha="center", va="center",
                                zorder=5, bbox=box if boxed else None))

        def line(ax, style, color, lw):
            return part(ax.plot([], [], style, color=color, lw=lw)[0])

        for e, name in zip(np.eye(2), ("e₁", "e₂")):   # moving, to stay above the eigen-arrows
            aim(arrow(before, COLORS["text"]), e)
            before.text(*(e * 1.18 + [0.06, 0.06]), name, fontsize=9, ha="center", va="center")
        grid = part(after.add_collection(LineCollection([], colors=COLORS["value"],
                                                        linewidths=0.7, alpha=0.35)))
        image = part(after.add_patch(Polygon(square, alpha=0.25, lw=1.5)))
        ellipse = line(after, "-", COLORS["highlight"], 1.5)
        basis = [(arrow(after, COLORS["text"]), label(after, COLORS["text"])) for _ in range(2)]
        axes_ = [(arrow(after, COLORS["highlight"], 1.2), label(after, COLORS["highlight"]),
                  line(before, ":", COLORS["highlight"], 1.4), label(before, COLORS["highlight"]))
                 for _ in range(2)]
        eig = [(line(before, "--", COLORS["curvature"], 1.2), line(after, "--",
                COLORS["curvature"], 1.2), arrow(before, COLORS["curvature"], 1.2, z=3),
                arrow(after, COLORS["curvature"], 1.2, z=3),
                label(after, COLORS["curvature"], boxed=True)) for _ in range(2)]
        no_real = part(after.text(0.5, 0.04, "", transform=after.transAxes, ha="center",
                                  color=COLORS["curvature"], fontsize=9,
                                  bbox={"facecolor": "white"}))
        part(after.title)

        def place(text, tip, words, scale, side=(0.0, 0.0)):
            """A label just beyond the tip of a vector (and ``side`` across it)."""
            n = np.hypot(*tip)
            text.set_position(tip + (0.28 * scale * tip / n if n > 1e-9 else 0)
                              + scale * np.asarray(side))
            text.set_text(words)

        def state(a):
            if a in tips:
                return tips[a]
            if hasattr(a, "get_text"):
                return a.get_text(), tuple(a.get_position())
            if hasattr(a, "get_xydata"):
                return a.get_xydata().tobytes(), a.get_visible()
            return self.model.matrix.tobytes()      # the grid, the square: A decides them

        def move():
            m, lm = self.model.matrix, self.model
            det, sigma = lm.determinant, lm.singular_values
            ellipse_points = circle @ m.T
            corners = square @ m.T
            extent = max(np.abs(corners).max(), np.abs(ellipse_points).max(), 1.45)
            lim = next((b for b in BANDS if b >= 1.05 * extent), BANDS[-1])
            scale = lim / BANDS[0]
            for ax in (before, after):
                ax.set(xlim=(-lim, lim), ylim=(-lim, lim))
            grid.set_segments(clip(lines @ m.T, lim))
            image.set_xy(corners)
            flat = abs(det) < 1e-9
            colour = COLORS["gradient" if det < 0 else "value"]
            image.set(color=colour, hatch="///" if det < 0 else None, lw=3 if flat else 1.5)
            ellipse.set_data(*ellipse_points.T)
            for k, (a, text) in enumerate(basis):
                place(text, m[:, k], f"Ae{'₁₂'[k]}", scale)
                aim(a, m[:, k], np.hypot(*m[:, k]) > 1e-9)
            u, _, vt = np.linalg.svd(m)
            round_ = sigma[0] - sigma[1] < 1e-9   # a circle again: no special semi-axes
            for k, (a, text, r, rt) in enumerate(axes_):
                tip, shown = sigma[k] * u[:, k], sigma[k] > 1e-9 and not round_
                aim(a, tip if shown else u[:, k], shown)
                r.set_data([0, vt[k, 0]], [0, vt[k, 1]])
                r.set_visible(not round_)
                place(text, tip if shown else u[:, k], f"σ{'₁₂'[k]}" if shown else "", scale)
                place(rt, vt[k], f"v{'₁₂'[k]}" if not round_ else "", scale)
            found = lm.eigenlines()
            for k, (*lines_, a_before, a_after, text) in enumerate(eig):
                shown = k < len(found)
                lam, v = found[k] if shown else (0.0, np.zeros(2))
                reach = lim / max(np.abs(v).max(), 1e-12)          # to the edge of the axes
                for ax_line in lines_:
                    ax_line.set_data(*(np.outer([-reach, reach], v).T))
                    ax_line.set_visible(shown)
                aim(a_before, v, shown)
                aim(a_after, lam * v, shown and abs(lam) > 1e-9)
                place(text, lam * v if abs(lam) > 0.4 else 0.5 * v, f"λ = {number_text(lam, 3)}"
                      if shown else "", scale, 0.22 * v[::-1] * [-1, 1])
            values = lm.eigenvalues
            no_real.set_text("" if lm.eigenvectors is not None else
                             f"no real eigen-direction: λ = {number_text(values[0], 3)}, "
                             f"{number_text(values[1], 3)}")
            how = ("flattened" if flat else "orientation flipped" if det < 0
                   else "orientation kept")
            after.set_title(f"after: area det A = {number_text(det, 3)} ({how})")
            changed = [a for a in parts if shown_before.get(a) != state(a)]
            shown_before.update((a, state(a)) for a in changed)
            return changed                          # only these need repainting
        return move

    def readout(self):
        lm = self.model
        return table(("det A", "λ₁", "λ₂", "σ₁", "σ₂"), [tuple(map(number_text, (
            lm.determinant, *lm.eigenvalues, *lm.singular_values)))])

    def warning(self):
        return ("det A = 0: A is singular. It flattens the plane onto a line (or a point), so "
                "different inputs land on the same output and cannot be told apart."
                if abs(self.model.determinant) < 1e-9 else "")

    def describe(self):
        lm, (a, b, c, d) = self.model, map(fmt, self.model.matrix.flat)
        return (f"The map A = [[{a}, {b}], [{c}, {d}]]: det {number_text(lm.determinant)}, "
                f"eigenvalues {', '.join(map(number_text, lm.eigenvalues))}, singular values "
                f"{', '.join(map(number_text, lm.singular_values))}")
