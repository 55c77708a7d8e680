"""DistributionExplorer: samples from a distribution piling up into its PMF or PDF.

    de = DistributionExplorer(family="normal", n=100, seed=0, mean=0.0, std=1.0)
    de.set(n=10000)                      # more samples: the histogram hugs the density
    de.set(family="beta", a=0.5)         # b takes beta's default, 5
    de.family, de.params, de.samples, de.sample_mean, de.true_mean, de.figure

Left, the n samples against the PMF P(X = k) (the fraction at each value, for a discrete
family) or the PDF p(x) (a histogram of area 1), with the sample mean and the true mean; right,
the fraction of samples ≤ x against the CDF F(x) = P(X ≤ x). As n grows both gaps close (the
law of large numbers): the sample mean misses the true mean by about σ/√n, and the largest CDF
gap shrinks like 1/√n too; the readout gives the numbers. Families (parameter ranges are the
sliders'): bernoulli(p), categorical(probs; classes 0 … K-1, labels without a mean),
binomial(n_trials, p), uniform(low, high), normal(mean, std), laplace(mean, scale),
exponential(rate), beta(a, b). Log-densities come from ``mathdl.distributions``; binomial and
exponential, which it lacks, are written here. The model, :class:`Sampler`, needs no matplotlib.
"""

import math

import numpy as np

from .. import checks
from .. import distributions as D
from .toolkit import COLORS, Widget, button, fmt, ipywidgets, menu, pin_labels, slider, table

# family → {parameter: (default, low, high)}; probs is a tuple, checked as probabilities
FAMILIES = {"bernoulli": {"p": (0.3, 0.0, 1.0)},
            "categorical": {"probs": ((0.2, 0.5, 0.3), None, None)},
            "binomial": {"n_trials": (10, 1, 50), "p": (0.3, 0.0, 1.0)},
            "uniform": {"low": (0.0, -5.0, 5.0), "high": (1.0, -5.0, 5.0)},
            "normal": {"mean": (0.0, -5.0, 5.0), "std": (1.0, 0.1, 5.0)},
            "laplace": {"mean": (0.0, -5.0, 5.0), "scale": (1.0, 0.1, 5.0)},
            "exponential": {"rate": (1.0, 0.1, 5.0)},
            "beta": {"a": (2.0, 0.1, 10.0), "b": (5.0, 0.1, 10.0)}}
DISCRETE = ("bernoulli", "categorical", "binomial")
N_RANGE, SEED_MAX = (1, 100_000), 2 ** 31 - 1


def _check(family, name, value):
    default, low, high = FAMILIES[family][name]
    if name == "probs":
        p = checks.probabilities("categorical: probs", value)
        if p.ndim != 1 or not 2 <= p.size <= 10:
            raise ValueError(f"categorical: probs must be one list of 2 to 10 probabilities, "
                             f"got shape {p.shape}.")
        return tuple(float(v) for v in p)
    check = checks.whole if isinstance(default, int) else checks.number
    return check(f"{family}: {name}", value, low, high)


def _erf(x):
    """erf(x) to within 1.5e-7 (Abramowitz & Stegun 7.1.26), vectorised: for x ≥ 0,
    erf x ≈ 1 - t (a₁ + t (a₂ + t (a₃ + t (a₄ + t a₅)))) e^(-x²) with t = 1 / (1 + 0.3275911 x),
    and erf(-x) = -erf(x). (math.erf, one number at a time, is too slow for 100,000 samples.)"""
    z = np.abs(x)
    t = 1 / (1 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                                                                          + t * 1.061405429))))
    return np.sign(x) * (1 - poly * np.exp(-z * z))


def _beta_cdf(x, a, b):
    """F(x) of Beta(a, b) by integration after substituting s = tᵃ (left half) or
    s = (1 - t)ᵇ (right half), which removes the infinite density at 0 or 1 when a or b < 1:
    ∫₀ˣ tᵃ⁻¹ (1 - t)ᵇ⁻¹ dt = (1/a) ∫₀^(xᵃ) (1 - s^(1/a))ᵇ⁻¹ ds, a smooth integrand for x ≤ ½."""
    beta = math.exp(math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))

    def half(a, b, x):                       # ∫₀ˣ of the density, for x ≤ ½
        s = np.linspace(0, 0.5 ** a, 2001)
        f = (1 - s ** (1 / a)) ** (b - 1)
        area = np.concatenate([[0], np.cumsum((f[1:] + f[:-1]) / 2 * np.diff(s))])
        return np.interp(x ** a, s, area) / (a * beta)
    x = np.clip(x, 0, 1)
    return np.where(x <= 0.5, half(a, b, np.minimum(x, 0.5)),
                    1 - half(b, a, np.minimum(1 - x, 0.5)))


def _log_binomial(k, n, p):
    """log P(K = k) = log C(n, k) + k log p + (n - k) log(1 - p), with 0 · log 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(k > 0, k * np.log(p), 0.0) + np.where(k < n, (n - k) * np.log1p(-p), 0)
    return logs + [math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1) for j in k]


class _Family:
    """A family md.distributions lacks: its sampler, log-density, mean and variance."""

    def __init__(self, sample, log_prob, mean, variance):
        self.sample, self.log_prob, self.mean, self.variance = sample, log_prob, mean, variance


MAKE = {"bernoulli": lambda p: D.Bernoulli(probs=p["p"]),
        "categorical": lambda p: D.Categorical(probs=p["probs"]),
        "binomial": lambda p: _Family(      # successes in n_trials tries of probability p
            lambda size, rng: rng.binomial(p["n_trials"], p["p"], size),
            lambda k: _log_binomial(k, p["n_trials"], p["p"]),
            p["n_trials"] * p["p"], p["n_trials"] * p["p"] * (1 - p["p"])),
        "uniform": lambda p: D.Uniform(p["low"], p["high"]),
        "normal": lambda p: D.Normal(p["mean"], p["std"]),
        "laplace": lambda p: D.Laplace(p["mean"], p["scale"]),
        "exponential": lambda p: _Family(   # log p(x) = log rate - rate · x for x ≥ 0
            lambda size, rng: rng.exponential(1 / p["rate"], size),
            lambda x: np.where(x >= 0, math.log(p["rate"]) - p["rate"] * x, -np.inf),
            1 / p["rate"], 1 / p["rate"] ** 2),
        "beta": lambda p: D.Beta(p["a"], p["b"])}
CDF = {"normal": lambda x, p: 0.5 * (1 + _erf((x - p["mean"]) / (p["std"] * math.sqrt(2)))),
       "laplace": lambda x, p: 0.5 - 0.5 * np.sign(x - p["mean"]) * np.expm1(
           -np.abs(x - p["mean"]) / p["scale"]),
       "uniform": lambda x, p: np.clip((x - p["low"]) / (p["high"] - p["low"]), 0, 1),
       "exponential": lambda x, p: -np.expm1(-p["rate"] * np.maximum(x, 0)),
       "beta": lambda x, p: _beta_cdf(x, p["a"], p["b"])}
SPAN = {"normal": lambda p: (p["mean"] - 4 * p["std"], p["mean"] + 4 * p["std"]),
        "laplace": lambda p: (p["mean"] - 6 * p["scale"], p["mean"] + 6 * p["scale"]),
        "uniform": lambda p: (p["low"] - 0.15 * (p["high"] - p["low"]),
                              p["high"] + 0.15 * (p["high"] - p["low"])),
        "exponential": lambda p: (-0.5 / p["rate"], 6 / p["rate"])}   # beta: always [0, 1]
SUPPORT = {"uniform": lambda p: (p["low"], p["high"]), "beta": lambda p: (0.0, 1.0),
           "exponential": lambda p: (0.0, None)}                      # bounded ends, as bin edges


def _nice_top(y):
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is ≥ y, so
    the axes keep their limits while a histogram wobbles (changing them costs a redraw)."""
    e = 10.0 ** math.floor(math.log10(y))
    return e * next(s for s in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if s * e >= y * 0.9999)


class Sampler:
    """The model: a family, its parameters, and n samples drawn with a seeded generator."""

    def __init__(self, family="normal", n=100, seed=0, **params):
        self.family, self.params, self.n, self.seed = "normal", {}, 1, 0
        self.set(family=family, n=n, seed=seed, **params)

    def set(self, n=None, family=None, seed=None, **params):
        """Change any of n, family, seed and the family's parameters, all checked first.
        A new family starts from its own defaults for the parameters not given."""
        family = self.family if family is None else checks.choice("family", family, FAMILIES)
        new = {k: v[0] for k, v in FAMILIES[family].items()} if family != self.family \
            or not self.params else dict(self.params)
        for name, value in params.items():
            if name not in FAMILIES[family]:
                raise ValueError(f"{family} has no parameter {name!r}; its parameters are: "
                                 f"{', '.join(FAMILIES[family])}.")
            new[name] = _check(family, name, value)
        if family == "uniform" and not new["low"] < new["high"]:
            raise ValueError(f"uniform: low must be less than high, got low = {new['low']:g} "
                             f"and high = {new['high']:g}.")
        n = self.n if n is None else checks.whole("n", n, *N_RANGE)
        seed = self.seed if seed is None else checks.whole("seed", seed, 0, SEED_MAX)
        self.family, self.params, self.n, self.seed = family, new, n, seed
        self.dist = MAKE[family](new)
        self.samples = self.dist.sample(n, np.random.default_rng(seed))
        if self.discrete:
            self.samples = self.samples.astype(np.int64)
        self.sorted = np.sort(self.samples)

    discrete = property(lambda self: self.family in DISCRETE)

    def _moment(self, name):           # categorical has neither: its classes are labels
        if self.family != "categorical":
            value = getattr(self.dist, name)
            return float(getattr(value, "data", value))   # a Tensor from md.distributions

    true_mean = property(lambda self: self._moment("mean"), doc="E[X] (None for categorical)")
    true_std = property(lambda self: self._moment("variance") and math.sqrt(
        self._moment("variance")))
    sample_mean = property(lambda self: None if self.family == "categorical" else float(
        self.samples.mean()))

    def values(self):
        """The discrete family's possible values 0, 1, …"""
        return np.arange(len(self.params["probs"]) if self.family == "categorical"
                         else self.params.get("n_trials", 1) + 1)

    def density(self, x):
        """The PMF at whole x (discrete) or the PDF at x (continuous): exp(log_prob(x))."""
        with np.errstate(divide="ignore", invalid="ignore"):
            log_p = self.dist.log_prob(np.asarray(x, dtype=np.float64))
            return np.exp(np.asarray(getattr(log_p, "data", log_p)))

    def cdf(self, x):
        """F(x) = P(X ≤ x): cumulative sums of the PMF, or the family's formula."""
        x = np.asarray(x, dtype=np.float64)
        if not self.discrete:
            return CDF[self.family](x, self.params)
        k = self.values()
        return np.cumsum(self.density(k))[np.clip(np.floor(x).astype(int), -1, k[-1])] * (x >= 0)

    def view(self):
        """The plotted x-range: where nearly all the probability is, widened to whole steps of a
        round size, so that small parameter changes keep it (new limits cost a redraw)."""
        if self.discrete or self.family == "beta":
            return (-0.6, self.values()[-1] + 0.6) if self.discrete else (-0.05, 1.05)
        r0, r1 = SPAN[self.family](self.params)
        step = _nice_top(r1 - r0) / 10
        return math.floor(r0 / step) * step, math.ceil(r1 / step) * step

    def bin_edges(self):
        """About √n histogram bins (8 to 60) across the view; the ends of a bounded support
        (uniform, beta, and 0 for the exponential) are bin edges."""
        (v0, v1), k = self.view(), int(np.clip(round(math.sqrt(self.n)), 8, 60))
        a, b = SUPPORT.get(self.family, lambda p: (v0, None))(self.params)
        w = ((v1 if b is None else b) - a) / k
        return a + w * np.arange(math.ceil((v0 - a) / w - 1e-9), math.floor((v1 - a) / w + 1e-9)
                                 + 1)

    def histogram(self, edges):
        """Heights of a histogram of the samples with area = the fraction of samples inside."""
        return np.histogram(self.samples, edges)[0] / (self.n * np.diff(edges))

    def frequencies(self):
        return np.bincount(self.samples, minlength=self.values().size) / self.n

    def cdf_gap(self):
        """max over x of |empirical CDF - F|, checked where the empirical CDF jumps."""
        if self.discrete:
            return float(np.abs(np.cumsum(self.frequencies()) - self.cdf(self.values())).max())
        F, i = self.cdf(self.sorted), np.arange(1, self.n + 1) / self.n
        return float(max(np.abs(i - F).max(), np.abs(i - 1 / self.n - F).max()))


SLIDERS = {}                   # one slider per parameter name: (low, high, step, first default)
for _spec in FAMILIES.values():
    for _name, (_d, _low, _high) in _spec.items():
        SLIDERS.setdefault(_name, (_low, _high, 1 if isinstance(_d, int) else 0.01 if _high == 1
                                   else 0.05, _d))


class DistributionExplorer(Widget):
    """Draw n samples of a family and compare them with its PMF / PDF and CDF."""

    size, tight = (9.8, 4.1), False     # draw places the axes: room for the legend under them
    moving = ("family", "n", "seed", *SLIDERS)   # every change only moves parts (and may
    #                                             redraw the axes whose limits change)

    def __init__(self, family="normal", n=100, seed=0, **params):
        model, W = Sampler(family, n, seed, **params), ipywidgets()
        settings = {"family": menu(list(FAMILIES), "family", model.family),
                    "n": W.BoundedIntText(model.n, min=1, max=N_RANGE[1], description="n"),
                    "seed": W.BoundedIntText(model.seed, min=0, max=SEED_MAX, description="seed"),
                    **{name: slider(low, high, step, name, d, whole=step == 1)
                       for name, (low, high, step, d) in SLIDERS.items() if name != "probs"},
                    "probs": W.Text(description="probs", continuous_update=False)}
        for control in settings.values():
            control.style.description_width = "initial"
        settings["n"].layout.width = settings["seed"].layout.width = "150px"

        def times(k):
            return lambda: model.set(n=int(np.clip(round(model.n * k), *N_RANGE)))
        super().__init__(model, settings, {
            "resample": (button("resample", "n new samples (the next seed)"),
                         lambda: model.set(seed=(model.seed + 1) % (SEED_MAX + 1))),
            "n × 10": (button("n × 10"), times(10)), "n ÷ 10": (button("n ÷ 10"), times(0.1))})

    def set(self, **values):
        """As the model's set(); probs may also be a string of numbers, "0.2, 0.5, 0.3"."""
        if isinstance(values.get("probs"), str):
            try:
                values["probs"] = tuple(float(v) for v in values["probs"].split(","))
            except ValueError:
                raise ValueError(f"probs must be numbers separated by commas, such as "
                                 f"0.2, 0.5, 0.3; got {values['probs']!r}.") from None
        super().set(**values)

    def value_of(self, name):
        m = self.model
        if name in ("family", "n", "seed"):
            return getattr(m, name)
        if name not in m.params:                 # another family's parameter: left as it is
            return self.controls[name].value
        return ", ".join(f"{v:g}" for v in m.params[name]) if name == "probs" else m.params[name]

    def update_controls(self):
        for name in SLIDERS:
            self.controls[name].layout.display = None if name in self.model.params else "none"

    def draw(self, fig):
        from matplotlib.collections import PolyCollection
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch, StepPatch
        from matplotlib.ticker import MaxNLocator

        m, ink, shade = self.model, COLORS["text"], dict(facecolor=COLORS["value"], alpha=0.4,
                                                          edgecolor=COLORS["value"])
        fig.subplots_adjust(left=0.07, right=0.98, top=0.9, bottom=0.25, wspace=0.22)
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
        bars = left.add_collection(PolyCollection([], **shade, label="fraction of samples"))
        stems, = left.plot([], [], color=ink, lw=1.2)
        heads, = left.plot([], [], "o", color=ink, ms=5, label="PMF P(X = k)")
        hist = left.add_patch(StepPatch([0], [0, 1], fill=True, **shade,
                                        label="histogram (area 1)"))
        curve, = left.plot([], [], color=ink, label="PDF p(x)")
        kinds = {True: (bars, stems, heads), False: (hist, curve)}     # discrete or not
        left.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))   # few, round ticks
        right.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
        means = (left.axvline(0, color=COLORS["minimum"], lw=1.6, label="true mean E[X]"),
                 left.axvline(0, color=COLORS["gradient"], lw=1.6, ls="--", label="sample mean"))
        cdf, = right.plot([], [], color=ink, label="CDF F(x) = P(X ≤ x)")
        ecdf, = right.plot([], [], color=COLORS["value"], ls=(0, (4, 1.5)), lw=1.5,
                           drawstyle="steps-post", label="fraction of samples ≤ x")
        # Titles and x labels at given places, where matplotlib would put them: redrawing an
        # axes for new limits then need not measure it, ~20% faster.
        right.set_ylim(-0.03, 1.03)
        right.set_title("the CDF", y=1.0)
        for ax in (left, right):
            pin_labels(ax)
        right.yaxis.set_label_coords(-0.13, 0.5)          # (it has no y label)
        fig.legend(handles=[Patch(**shade, label="samples: fractions, or histogram (area 1)"),
                            Line2D([], [], color=ink, marker="o", ms=4,
                                   label="PMF P(X = k) (dots), or PDF p(x)"), *means, cdf, ecdf],
                   loc="lower center", ncol=3, fontsize=9)          # one legend for all families
        shown_kind = {}

        def move():                                      # a new family only moves parts too
            (lo, hi), n, d = m.view(), m.n, m.discrete
            for line, value in zip(means, (m.true_mean, m.sample_mean)):
                line.set_visible(value is not None)      # categorical: no mean
                line.set_xdata([value or 0.0] * 2)
            relabelled = []                              # returned only when they change
            if shown_kind.get("discrete") is not d:
                shown_kind["discrete"] = d
                for artist in (*kinds[True], *kinds[False]):
                    artist.set_visible(artist in kinds[d])
                for ax in (left, right):
                    ax.xaxis.set_major_locator(MaxNLocator(6, integer=d))
                    ax.set_xlabel("k" if d else "x")
                left.set_ylabel("probability" if d else "density")
                cdf.set_drawstyle("steps-post" if d else "default")
                relabelled = [left.xaxis.label, left.yaxis.label, right.xaxis.label]
            if d:
                k, f = m.values(), m.frequencies()
                pmf = m.density(k)
                bars.set_verts([[(j - .35, 0), (j - .35, h), (j + .35, h), (j + .35, 0)]
                                for j, h in zip(k, f)])
                stems.set_data(np.repeat(k, 3),                # 0 → P(k), then a break
                               np.column_stack([0 * pmf, pmf, pmf + np.nan]).ravel())
                heads.set_data(k, pmf)
                x, top = np.concatenate([[lo], k, [hi]]), max(f.max(), pmf.max())
                ecdf.set_data(x, np.concatenate([[0], np.cumsum(f), [1]]))
            else:
                edges = m.bin_edges()
                hist.set_data(m.histogram(edges), edges)
                x = np.linspace(lo, hi, 501)
                pdf = m.density(x)
                curve.set_data(x, np.where(np.isfinite(pdf), pdf, np.nan))
                top = max(hist.get_data().values.max(), min(np.nanmax(pdf[np.isfinite(pdf)]), 10))
                every = max(1, n // 2000)               # at most 2,000 steps are drawn
                ecdf.set_data(np.concatenate([[lo], m.sorted[every - 1::every], [hi]]),
                              np.concatenate([[0], np.arange(every, n + 1, every) / n, [1]]))
            left.set(xlim=(lo, hi), ylim=(0, _nice_top(1.08 * top)))
            right.set_xlim(lo, hi)
            cdf.set_data(x, m.cdf(x))
            shown = ", ".join(f"{k} = {fmt(v, 3) if k != 'probs' else v}"
                              for k, v in m.params.items())
            left.set_title(f"{m.family}({shown}): {n} samples", y=1.0)
            return [*kinds[True], *kinds[False], *means, cdf, ecdf, left.title, *relabelled]
        return move

    def readout(self):
        m, std = self.model, self.model.true_std
        gap = None if m.sample_mean is None else abs(m.sample_mean - m.true_mean)
        return table(("n", "sample mean", "true mean", "|difference|", "σ/√n",
                      "largest CDF gap", "1/√n"),
                     [(m.n, fmt(m.sample_mean), fmt(m.true_mean), fmt(gap),
                       fmt(std and std / math.sqrt(m.n)), fmt(m.cdf_gap(), 3),
                       fmt(1 / math.sqrt(m.n), 3))])

    def describe(self):
        m = self.model
        return (f"DistributionExplorer: {m.n} samples of {m.family} {m.params}; sample mean "
                f"{fmt(m.sample_mean)}, true mean {fmt(m.true_mean)}")
