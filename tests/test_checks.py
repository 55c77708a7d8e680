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
