"""mathdl.checks: the one place where arguments are checked, and the sentences it says."""

import math

import numpy as np
import pytest

from mathdl import checks


@pytest.mark.parametrize("value", [0, 1, 2.5, np.float32(0.5), np.int64(3)])
def test_numbers_in_range_come_back_as_floats(value):
    out = checks.number("x", value, low=0)
    assert type(out) is float and out == float(value)


@pytest.mark.parametrize("value", [True, np.bool_(True), "1", None, [1.0], math.nan, math.inf])
def test_what_is_not_a_finite_number_is_refused_by_name(value):
    with pytest.raises(ValueError, match=r"^lr must be a finite number, got "):
        checks.number("lr", value)


@pytest.mark.parametrize("value, kwargs, interval", [
    (-0.1, {"low": 0}, r"\[0, ∞\)"),
    (1.0, {"low": 0, "high": 1, "high_open": True}, r"\[0, 1\)"),
    (0.0, {"low": 0, "low_open": True}, r"\(0, ∞\)"),
    (2.0, {"high": 1}, r"\(-∞, 1\]"),
])
def test_the_interval_is_named_with_its_open_and_closed_ends(value, kwargs, interval):
    with pytest.raises(ValueError, match=f"in {interval}, got {value!r}"):
        checks.number("m", value, **kwargs)
    edge = kwargs.get("high", kwargs.get("low"))
    if not (kwargs.get("low_open") or kwargs.get("high_open")):
        assert checks.number("m", edge, **kwargs) == edge   # closed ends are inside


def test_positive_refuses_zero_and_accepts_a_tiny_number():
    assert checks.positive("scale", 1e-300) == 1e-300
    with pytest.raises(ValueError, match=r"scale must be a finite number in \(0, ∞\), got 0"):
        checks.positive("scale", 0)


@pytest.mark.parametrize("value", [2.0, True, "3", -1, 11])
def test_whole_numbers_are_ints_within_bounds(value):
    assert checks.whole("n", np.int32(4), low=0, high=10) == 4
    with pytest.raises(ValueError, match=r"^n must be a whole number >= 0 and <= 10, got "):
        checks.whole("n", value, low=0, high=10)


def test_choice_lists_the_options_and_guesses_a_misspelling():
    assert checks.choice("optimizer", "adam", ("sgd", "adam")) == "adam"
    with pytest.raises(ValueError, match=r"unknown optimizer 'adma' \(did you mean 'adam'\?\); "
                                         r"choose one of: sgd, adam\.$"):
        checks.choice("optimizer", "adma", ("sgd", "adam"))
    with pytest.raises(ValueError, match=r"unknown gate \['and'\]; choose one of: and, or\.$"):
        checks.choice("gate", ["and"], {"and": 1, "or": 2})   # unhashable: refused, not a crash


def test_generator_passes_a_generator_through_and_seeds_the_rest():
    g = np.random.default_rng(1)
    assert checks.generator(g) is g
    assert checks.generator(7).integers(1000) == np.random.default_rng(7).integers(1000)
    assert isinstance(checks.generator(None), np.random.Generator)
    with pytest.raises(ValueError, match="seed must be a whole number >= 0, got -1"):
        checks.generator(-1)


def test_array_checks_every_entry_and_names_the_first_bad_one():
    out = checks.array("scale", [1, 2], low=0, low_open=True)
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.0]
    assert checks.array("x", np.float32([1.5])).dtype == np.float32     # floats keep their type
    with pytest.raises(ValueError, match=r"^scale must hold finite numbers in \(0, ∞\), but entry "
                                         r"\(1, 0\) is -2\.0\.$"):
        checks.array("scale", [[1.0], [-2.0]], low=0, low_open=True)
    with pytest.raises(ValueError, match=r"^scale must be a finite number in \(0, ∞\), got "
                                         r"0\.0\.$"):
        checks.array("scale", 0.0, low=0, low_open=True)
    for bad in ([1.0, math.inf], [math.nan]):
        with pytest.raises(ValueError, match="^x must hold finite numbers, but entry"):
            checks.array("x", bad)
    for bad in ("abc", [True, False], [[1.0], [1.0, 2.0]], None):
        with pytest.raises(ValueError, match="^x must be numbers"):
            checks.array("x", bad)


def test_probabilities_must_already_sum_to_one_on_the_last_axis():
    rows = checks.probabilities("p", [[0.5, 0.5], [0.1, 0.9]])
    assert rows.shape == (2, 2)
    checks.probabilities("p", [1 / 3] * 3)
    checks.probabilities("p", [0.5, 0.5 + 9e-7])                  # within the 1e-6 tolerance
    with pytest.raises(ValueError, match=r"^p must sum to 1 \(within 1e-06\), but it sums to "
                                         r"1\.000002; nothing is renormalised for you\.$"):
        checks.probabilities("p", [0.5, 0.500002])
    with pytest.raises(ValueError, match=r"along its last axis .* vector \(1,\) sums to 0\.5"):
        checks.probabilities("p", [[0.5, 0.5], [0.25, 0.25]])
    with pytest.raises(ValueError, match=r"p must hold finite numbers in \[0, ∞\)"):
        checks.probabilities("p", [1.5, -0.5])
    with pytest.raises(ValueError, match="at least one entry on its last axis"):
        checks.probabilities("p", np.zeros((2, 0)))
