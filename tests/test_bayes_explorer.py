"""BayesExplorer through its Python API: Bayes' theorem exactly, whole-number counts that add up,
every control and button, bad input refused before anything changes, and a repaint that shows
the pixels of a full draw."""

from fractions import Fraction

import numpy as np
import pytest

from mathdl.widgets import BayesExplorer
from mathdl.widgets.bayes import Screening
from tests.test_toolkit import full_draw, pixels
from tests.widget_checks import model_output_without_matplotlib, queued_from_another_thread


def test_the_model_needs_no_matplotlib():
    out = model_output_without_matplotlib(
        "from mathdl.widgets.bayes import Screening\ns = Screening()\n"
        "print(round(s.posterior, 6), s.counts['false_positive'])")
    assert out.split() == ["0.153846", "50"]


def test_the_rare_condition_example_is_two_in_thirteen():
    # 0.9 · 0.01 / (0.9 · 0.01 + 0.05 · 0.99) = 0.009 / 0.0585 = 2/13, in exact fractions
    exact = Fraction(9, 10) * Fraction(1, 100) / (
        Fraction(9, 10) * Fraction(1, 100) + Fraction(5, 100) * Fraction(99, 100))
    assert exact == Fraction(2, 13)
    assert Screening().posterior == pytest.approx(2 / 13, rel=1e-12)


@pytest.mark.parametrize("prior, sens, spec", [(0.01, 0.9, 0.95), (0.3, 0.7, 0.6),
                                               (1e-4, 1.0, 0.999), (1.0, 0.5, 0.0),
                                               (0.5, 0.2, 0.9)])
def test_posterior_is_bayes_theorem_and_matches_a_simulated_population(prior, sens, spec):
    s = Screening(prior, sens, spec)
    joint = {("C", "+"): prior * sens, ("C", "-"): prior * (1 - sens),
             ("H", "+"): (1 - prior) * (1 - spec), ("H", "-"): (1 - prior) * spec}
    assert sum(joint.values()) == pytest.approx(1)
    p_pos = joint["C", "+"] + joint["H", "+"]
    assert s.evidence == pytest.approx(p_pos)
    assert s.posterior == pytest.approx(joint["C", "+"] / p_pos)
    rng = np.random.default_rng(0)                     # a second method: sample a population
    sick = rng.random(400_000) < prior
    positive = np.where(sick, rng.random(sick.size) < sens, rng.random(sick.size) > spec)
    se = np.sqrt(s.posterior * (1 - s.posterior) / positive.sum())
    assert abs(sick[positive].mean() - s.posterior) < 5 * se + 1e-12


@pytest.mark.parametrize("population", [10, 37, 1000, 9999])
def test_counts_are_whole_numbers_that_add_up_and_follow_the_rates(population):
    s = Screening(0.013, 0.85, 0.93, population)
    c = s.counts
    assert set(c) == {"true_positive", "false_positive", "false_negative", "true_negative"}
    assert all(isinstance(v, int) and v >= 0 for v in c.values())
    assert sum(c.values()) == population
    sick = c["true_positive"] + c["false_negative"]
    assert abs(sick - 0.013 * population) <= 0.5
    assert abs(c["true_positive"] - 0.85 * sick) <= 0.5
    assert abs(c["false_positive"] - 0.07 * (population - sick)) <= 0.5


def test_counts_round_halves_up_and_approach_the_posterior():
    c = Screening(0.01, 0.9, 0.95, 1000).counts          # 990 · 0.05 = 49.5 → 50
    assert c == {"true_positive": 9, "false_positive": 50, "false_negative": 1,
                 "true_negative": 940}
    big = Screening(0.01, 0.9, 0.95, 10000).counts
    assert big["true_positive"] / (big["true_positive"] + big["false_positive"]) == \
        pytest.approx(2 / 13, abs=0.002)


def test_test_again_makes_the_posterior_the_prior():
    s = Screening()
    first = s.posterior
    s.test_again()
    assert s.prior == first
    assert s.posterior == pytest.approx(0.9 * first / (0.9 * first + 0.05 * (1 - first)))
    assert s.posterior > 0.75          # two positives: now most likely has the condition


@pytest.mark.parametrize("kwargs, words", [
    ({"prior": 0}, "prior must be a finite number in [0.0001, 1], got 0."),
    ({"prior": 1.5}, "prior must be a finite number in [0.0001, 1], got 1.5."),
    ({"sensitivity": 0.0}, "sensitivity must be a finite number in (0, 1], got 0.0."),
    ({"specificity": float("nan")}, "specificity must be a finite number in [0, 1], got nan."),
    ({"population": 100.0}, "population must be a whole number >= 10 and <= 10000, got 100.0."),
    ({"population": 5}, "population must be a whole number >= 10 and <= 10000, got 5."),
    ({"prior": True}, "prior must be a finite number in [0.0001, 1], got True."),
])
def test_bad_input_is_one_sentence_and_changes_nothing(kwargs, words):
    be = BayesExplorer()
    png, before = be.picture.png, (be.prior, be.sensitivity, be.specificity, be.population)
    values = {"specificity": 0.5} if "prior" in kwargs else {"prior": 0.5}
    with pytest.raises(ValueError) as err:
        be.set(**values, **kwargs)                   # a good value beside the bad one
    assert str(err.value) == words
    assert (be.prior, be.sensitivity, be.specificity, be.population) == before
    assert be.picture.png == png
    with pytest.raises(ValueError, match="unknown setting 'specifity'.*did you mean"):
        be.set(specifity=0.5)


def test_creation_shows_a_static_picture_with_every_person():
    be = BayesExplorer()
    assert pixels(be.picture.png).shape == (440, 980, 3)
    left, right = be.figure.axes
    shown = {kind: len(c.get_offsets()) for kind, c in zip(
        ("true_positive", "false_negative", "false_positive", "true_negative"),
        left.collections)}
    assert shown == be.counts and sum(shown.values()) == 1000
    assert [len(c.get_offsets()) for c in right.collections] == [9, 50]
    assert "15.4%" in right.get_title() and "59" in right.get_title()
    data, _ = be._repr_mimebundle_()
    assert data["image/png"] and data["text/plain"].startswith("BayesExplorer: prior 0.01")
    assert "P(condition | positive) = 0.1538" in data["text/plain"]
    assert "0.1538" in be.panel.value and "940" in be.panel.value


@pytest.mark.parametrize("name, value", [("prior", 0.2), ("sensitivity", 0.5),
                                         ("specificity", 0.999), ("population", 200)])
def test_every_control_changes_the_model_and_the_picture(name, value):
    be = BayesExplorer()
    png = be.picture.png
    be.controls[name].value = value            # what a reader's drag or typing does
    assert getattr(be, name) == pytest.approx(value, rel=0.02)   # a log slider snaps its value
    assert be.picture.png != png
    assert sum(len(c.get_offsets()) for c in be.figure.axes[0].collections) == be.population


def test_the_buttons_retest_and_start_over():
    be = BayesExplorer()
    png, first = be.picture.png, be.posterior
    be.controls["test again"].click()
    assert be.prior == first and be.picture.png != png
    assert be.controls["prior"].value == pytest.approx(first, rel=0.06)   # on the slider's grid
    be.controls["start over"].click()
    assert (be.prior, be.sensitivity, be.specificity) == (0.01, 0.9, 0.95)
    assert list(be.controls)[4] == "test again"          # the first button changes the figure


def test_a_repaint_shows_exactly_the_pixels_of_a_full_draw():
    be = BayesExplorer()
    for values in [{"prior": 0.05}, {"specificity": 0.8}, {"sensitivity": 0.6, "prior": 0.3},
                   {"prior": 0.001}]:
        be.set(**values)
        np.testing.assert_array_equal(pixels(be.picture.png), full_draw(be))
    assert be.picture.builds == 1                        # moves only, no rebuild
    fresh = BayesExplorer(prior=be.prior, sensitivity=be.sensitivity,
                          specificity=be.specificity)
    np.testing.assert_array_equal(pixels(be.picture.png), pixels(fresh.picture.png))


def test_a_new_population_rebuilds_the_grid():
    be = BayesExplorer()
    be.set(population=100)
    assert be.picture.builds == 2
    assert sum(len(c.get_offsets()) for c in be.figure.axes[0].collections) == 100


def test_controls_moved_on_another_thread_run_on_the_main_one(monkeypatch):
    be = BayesExplorer()
    queued = queued_from_another_thread(monkeypatch, lambda: (
        setattr(be.controls["specificity"], "value", 0.5), be.controls["test again"].click()))
    assert len(queued) == 2 and be.specificity == 0.95       # nothing ran on that thread
    for f, args in queued:
        f(*args)
    assert be.specificity == 0.5 and be.prior > 0.01
