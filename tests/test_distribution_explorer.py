"""DistributionExplorer through its Python API: every family's PMF/PDF, CDF and moments against
SciPy, samples obeying the law of large numbers, switching families and parameters, bad input
refused before anything changes, every control and button, and repaints equal to full draws."""

import math
import re

import numpy as np
import pytest
from scipy import stats

import mathdl as md
from mathdl.widgets import DistributionExplorer
from mathdl.widgets.distribution import FAMILIES, Sampler, _beta_cdf, _erf
from tests.test_toolkit import full_draw, pixels
from tests.widget_checks import model_output_without_matplotlib, queued_from_another_thread

SCIPY = {"bernoulli": lambda p: stats.bernoulli(p["p"]),
         "binomial": lambda p: stats.binom(p["n_trials"], p["p"]),
         "uniform": lambda p: stats.uniform(p["low"], p["high"] - p["low"]),
         "normal": lambda p: stats.norm(p["mean"], p["std"]),
         "laplace": lambda p: stats.laplace(p["mean"], p["scale"]),
         "exponential": lambda p: stats.expon(scale=1 / p["rate"]),
         "beta": lambda p: stats.beta(p["a"], p["b"])}
CASES = [("bernoulli", {"p": 0.8}), ("bernoulli", {"p": 0.0}), ("binomial", {}),
         ("binomial", {"n_trials": 7, "p": 1.0}), ("uniform", {"low": -2.0, "high": 3.5}),
         ("normal", {"mean": 1.5, "std": 0.4}), ("laplace", {"mean": -1.0, "scale": 2.0}),
         ("exponential", {"rate": 2.5}), ("beta", {}), ("beta", {"a": 0.1, "b": 0.5}),
         ("beta", {"a": 9.0, "b": 0.3})]


def test_the_model_needs_no_matplotlib():
    out = model_output_without_matplotlib(
        "from mathdl.widgets.distribution import Sampler\n"
        "print(Sampler('beta', n=10).samples.shape)")
    assert out == "(10,)"


@pytest.mark.parametrize("family, params", CASES)
def test_density_cdf_and_moments_agree_with_scipy(family, params):
    s, ref = Sampler(family, **params), SCIPY[family]({**Sampler(family).params, **params})
    if s.discrete:
        k = s.values()
        np.testing.assert_allclose(s.density(k), ref.pmf(k), atol=1e-12)
        x = np.array([-1.0, -0.5, 0.0, 0.3, 1.0, 2.7, k[-1], k[-1] + 3.0])
    else:
        x = np.linspace(*s.view(), 301)
        inside = np.isfinite(ref.logpdf(x)) & (x != 0) & (x != 1)  # beta's ends may be infinite
        np.testing.assert_allclose(s.density(x)[inside], ref.pdf(x)[inside], rtol=1e-9)
    np.testing.assert_allclose(s.cdf(x), ref.cdf(x), atol=2e-5 if family == "beta" else 2e-7)
    assert s.true_mean == pytest.approx(ref.mean()) and s.true_std == pytest.approx(ref.std())


def test_categorical_pmf_cdf_and_its_missing_mean():
    s = Sampler("categorical", probs=(0.1, 0.0, 0.6, 0.3), n=2000)
    np.testing.assert_allclose(s.density(s.values()), [0.1, 0.0, 0.6, 0.3])
    np.testing.assert_allclose(s.cdf([-0.5, 0, 1, 2.5, 3, 7]), [0, 0.1, 0.1, 0.7, 1, 1])
    assert s.samples.dtype == np.int64 and set(np.unique(s.samples)) == {0, 2, 3}
    assert s.true_mean is None and s.sample_mean is None and s.true_std is None


def test_likelihoods_come_from_md_distributions():
    s = Sampler("laplace", mean=0.5, scale=2.0)
    x = np.linspace(-3, 3, 7)
    log_p = md.distributions.Laplace(0.5, 2.0).log_prob(x).numpy()
    np.testing.assert_allclose(s.density(x), np.exp(log_p), rtol=1e-15)
    assert isinstance(s.dist, md.distributions.Laplace)


def test_the_formulas_written_here_are_right():
    x = np.linspace(-6, 6, 20001)                       # erf to 1.5e-7, as the docstring says
    assert np.abs(_erf(x) - np.vectorize(math.erf)(x)).max() < 1.5e-7
    for a, b in [(0.1, 0.1), (0.5, 3.0), (2.0, 5.0), (10.0, 0.2)]:
        t = np.linspace(0, 1, 101)
        np.testing.assert_allclose(_beta_cdf(t, a, b), stats.beta(a, b).cdf(t), atol=2e-5)


@pytest.mark.parametrize("family", list(FAMILIES))
def test_samples_obey_the_law_of_large_numbers(family):
    s = Sampler(family, n=100_000, seed=3)
    assert s.samples.shape == (100_000,)
    if s.discrete:
        assert s.samples.dtype == np.int64 and s.samples.min() >= 0
        assert s.samples.max() <= s.values()[-1]
        np.testing.assert_allclose(s.frequencies(), s.density(s.values()), atol=0.006)
    if s.true_mean is not None:                          # within 5 standard errors
        assert abs(s.sample_mean - s.true_mean) < 5 * s.true_std / math.sqrt(s.n)
    assert s.cdf_gap() < 0.01                            # about 1/√n at the most
    small = Sampler(family, n=20, seed=3)
    assert small.cdf_gap() > s.cdf_gap()


def test_the_histogram_has_area_one_and_bounded_supports_are_bin_edges():
    for family, params in [("uniform", {"low": -1.3, "high": 2.2}), ("beta", {}),
                           ("exponential", {"rate": 0.3}), ("normal", {"mean": 2.0})]:
        s = Sampler(family, n=5000, **params)
        edges = s.bin_edges()
        inside = ((s.samples >= edges[0]) & (s.samples < edges[-1])).mean()
        assert (s.histogram(edges) * np.diff(edges)).sum() == pytest.approx(inside)
        assert edges[0] >= s.view()[0] - 1e-9 and edges[-1] <= s.view()[1] + 1e-9
        for end in {"uniform": (-1.3, 2.2), "beta": (0, 1), "exponential": (0,)}.get(family, ()):
            assert np.abs(edges - end).min() < 1e-9


def test_switching_family_takes_its_defaults_and_keeps_what_is_given():
    s = Sampler("normal", mean=1.0)
    s.set(std=2.0)
    assert s.params == {"mean": 1.0, "std": 2.0}         # same family: the others kept
    s.set(family="beta", a=0.5)
    assert s.params == {"a": 0.5, "b": 5.0} and s.family == "beta"
    s.set(family="normal")
    assert s.params == {"mean": 0.0, "std": 1.0}
    before = s.samples.copy()
    s.set(n=1000)                                        # the same seed: more of one stream
    np.testing.assert_array_equal(s.samples[:100], before)


@pytest.mark.parametrize("kwargs, words", [
    ({"family": "gaussian"}, "unknown family 'gaussian'; choose one of: bernoulli,"),
    ({"family": "normall"}, "unknown family 'normall' (did you mean 'normal'?)"),
    ({"p": 0.5}, "normal has no parameter 'p'; its parameters are: mean, std."),
    ({"std": 0}, "normal: std must be a finite number in [0.1, 5], got 0."),
    ({"mean": float("inf")}, "normal: mean must be a finite number in [-5, 5], got inf."),
    ({"n": 0}, "n must be a whole number >= 1 and <= 100000, got 0."),
    ({"n": 10.0}, "n must be a whole number >= 1 and <= 100000, got 10.0."),
    ({"seed": -1}, "seed must be a whole number >= 0"),
    ({"family": "uniform", "low": 2.0}, "uniform: low must be less than high, got low = 2 and "
                                        "high = 1."),
    ({"family": "binomial", "n_trials": 2.5}, "binomial: n_trials must be a whole number >= 1"),
    ({"family": "categorical", "probs": (0.5, 0.6)}, "categorical: probs must sum to 1"),
    ({"family": "categorical", "probs": (1.0,)}, "categorical: probs must be one list of 2 "
                                                    "to 10 probabilities, got shape (1,)."),
    ({"family": "categorical", "probs": "0.5, x"}, "probs must be numbers separated by commas"),
    ({"family": "beta", "a": -1}, "beta: a must be a finite number in [0.1, 10], got -1."),
])
def test_bad_input_is_one_sentence_and_changes_nothing(kwargs, words):
    de = DistributionExplorer(n=50)
    png, samples = de.picture.png, de.samples.copy()
    with pytest.raises(ValueError, match="^" + re.escape(words)):
        de.set(**kwargs)
    assert (de.family, de.params, de.n, de.seed) == ("normal", {"mean": 0.0, "std": 1.0}, 50, 0)
    np.testing.assert_array_equal(de.samples, samples)
    assert de.picture.png == png


def test_creation_shows_a_static_picture_and_the_readout():
    de = DistributionExplorer()
    assert pixels(de.picture.png).shape == (410, 980, 3)
    left, right = de.figure.axes
    assert "normal(mean = 0, std = 1): 100 samples" == left.get_title()
    assert left.get_ylabel() == "density" and right.get_title() == "the CDF"
    assert "sample mean" in de.panel.value and fmt4(de.sample_mean) in de.panel.value
    data, _ = de._repr_mimebundle_()
    assert data["image/png"] and data["text/plain"].startswith("DistributionExplorer: 100")
    shown = [c for c in de.controls if de.controls[c].layout.display != "none"]
    assert shown == ["family", "n", "seed", "mean", "std", "probs"][:5] + [
        "resample", "n × 10", "n ÷ 10"]


def fmt4(x):
    return f"{x:.4g}"


@pytest.mark.parametrize("name, value", [("family", "laplace"), ("n", 2000), ("seed", 7),
                                         ("mean", 1.5), ("std", 0.5)])
def test_every_control_changes_the_model_and_the_picture(name, value):
    de = DistributionExplorer()
    png = de.picture.png
    de.controls[name].value = value                       # a reader's choice or drag
    assert de.value_of(name) == value and de.picture.png != png


def test_each_familys_sliders_and_the_probs_box():
    de = DistributionExplorer()
    for family, params in FAMILIES.items():
        de.controls["family"].value = family
        visible = {c for c in params if de.controls[c].layout.display != "none"}
        assert visible == set(params)
        for name, (default, low, high) in params.items():
            png = de.picture.png
            if name == "probs":
                de.controls["probs"].value = "0.25, 0.25, 0.5"
                assert de.params["probs"] == (0.25, 0.25, 0.5)
            else:
                new = high if default != high else low
                de.controls[name].value = new
                if name == "low":                        # low = high is refused: banner
                    assert "low must be less than high" in de.banner.value
                    continue
                assert de.params[name] == new
            assert de.picture.png != png, (family, name)
    de.controls["family"].value = "categorical"
    de.controls["probs"].value = "0.25, 0.25, 0.5"
    de.controls["probs"].value = "0.3, 0.3"
    assert "must sum to 1" in de.banner.value and de.controls["probs"].value == "0.25, 0.25, 0.5"


def test_the_buttons_resample_and_scale_n():
    de = DistributionExplorer()
    png, first = de.picture.png, de.samples.copy()
    de.controls["resample"].click()
    assert de.seed == 1 and de.picture.png != png and not np.array_equal(de.samples, first)
    de.controls["n × 10"].click()
    assert de.n == 1000 and de.controls["n"].value == 1000
    de.controls["n ÷ 10"].click()
    de.controls["n ÷ 10"].click()
    de.controls["n ÷ 10"].click()
    assert de.n == 1                                       # never below 1
    assert list(de.controls).index("resample") < list(de.controls).index("n × 10")


def test_a_repaint_shows_exactly_the_pixels_of_a_full_draw():
    de = DistributionExplorer()
    for values in [{"n": 1000}, {"seed": 4}, {"mean": 0.05}, {"std": 2.0}, {"n": 100_000}]:
        de.set(**values)
        np.testing.assert_array_equal(pixels(de.picture.png), full_draw(de))
    de.set(family="binomial")                              # a new family moves parts too
    np.testing.assert_array_equal(pixels(de.picture.png), full_draw(de))
    assert de.picture.builds == 1
    for values in [{"p": 0.7}, {"n_trials": 30}, {"n": 5}]:
        de.set(**values)
        np.testing.assert_array_equal(pixels(de.picture.png), full_draw(de))
    for values in [{"family": "categorical", "probs": (0.5, 0.5)},
                   {"probs": (0.1, 0.2, 0.3, 0.4)}, {"family": "beta"}, {"family": "exponential"}]:
        de.set(**values)
        np.testing.assert_array_equal(pixels(de.picture.png), full_draw(de))
    assert de.picture.builds == 1


def test_the_picture_shows_the_samples_and_the_density():
    de = DistributionExplorer("binomial", n=500, n_trials=4, p=0.5)
    left, right = de.figure.axes
    line = {ln.get_label(): ln for ln in left.lines}
    bars = left.collections[0].get_paths()
    np.testing.assert_allclose([p.vertices[:, 1].max() for p in bars], de.frequencies())
    np.testing.assert_allclose(line["PMF P(X = k)"].get_ydata(), np.array([1, 4, 6, 4, 1]) / 16)
    assert line["true mean E[X]"].get_xdata()[0] == pytest.approx(de.true_mean)
    assert line["sample mean"].get_xdata()[0] == pytest.approx(de.sample_mean)
    assert not line["PDF p(x)"].get_visible() and line["PMF P(X = k)"].get_visible()
    de.set(family="normal")                  # the same artists, the continuous ones shown
    assert line["PDF p(x)"].get_visible() and not line["PMF P(X = k)"].get_visible()
    assert left.get_ylabel() == "density" and right.get_xlabel() == "x"
    de.set(family="categorical")
    assert not line["sample mean"].get_visible()
    labels = [t.get_text() for t in de.figure.legends[0].get_texts()]
    assert len(de.figure.legends) == 1 and "PMF P(X = k) (dots), or PDF p(x)" in labels


def test_controls_moved_on_another_thread_run_on_the_main_one(monkeypatch):
    de = DistributionExplorer()
    queued = queued_from_another_thread(monkeypatch, lambda: (
        setattr(de.controls["n"], "value", 500), de.controls["resample"].click()))
    assert len(queued) == 2 and (de.n, de.seed) == (100, 0)   # nothing ran on that thread
    for f, args in queued:
        f(*args)
    assert (de.n, de.seed) == (500, 1)



@pytest.mark.parametrize("family", list(FAMILIES))
def test_x_labels_placed_by_hand_sit_where_matplotlib_puts_them(family):
    """draw() places the x labels 21 pt under the axes (faster redraws); matplotlib's own layout
    puts an x label ``labelpad`` points under the lowest tick label: the same place, so the
    label neither overlaps the tick labels nor floats away from them."""
    de = DistributionExplorer(family=family)
    fig = de.figure
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        label = ax.xaxis.label.get_window_extent(renderer)
        ticks = min(t.get_window_extent(renderer).y0 for t in ax.get_xticklabels() if t.get_text())
        gap = (ticks - label.y1) * 72 / fig.dpi               # in points
        assert abs(gap - ax.xaxis.labelpad) < 0.5, f"{family}: {gap:.2f} pt under the ticks"
