"""Argument checks: one clear sentence, raised before anything is built or changed.

Every public function, layer, optimizer and widget of mathdl checks what a reader passes with
these few functions, before it touches any state, so a typo costs one message and never a
half-built object. Each returns the checked value in a plain Python type (`array` and
`probabilities`, which check every entry of a number, list, array or Tensor: a float numpy array).

    number("The learning rate", lr, low=0)                  # a finite real number ≥ 0 → float
    number("momentum", m, low=0, high=1, high_open=True)    # a number in [0, 1)
    positive("scale", s)                                    # a finite number > 0
    whole("steps", n, low=0)                                # a whole number ≥ 0 → int
    choice("optimizer", name, ("sgd", "adam"))              # one of the options (with a guess)
    generator(seed)                                         # a numpy Generator from a seed
    array("scale", s, low=0, low_open=True)                 # every entry a finite number > 0
    probabilities("probs", p)                               # rows of a distribution (last axis)

A bool is refused wherever a number is asked for: Python counts True as the integer 1, but
``lr=True`` is a mistake, not a learning rate. numpy numbers are accepted like Python's.
"""

import difflib
import math
import numbers

import numpy as np

from .tensor import Tensor

__all__ = ["is_number", "number", "positive", "whole", "choice", "generator", "array",
           "probabilities"]


def is_number(value):
    """True for a real number (int, float, numpy int or float), False for bools and the rest."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _interval(low, high, low_open, high_open):
    left = "(" if low_open or low == -math.inf else "["
    right = ")" if high_open or high == math.inf else "]"
    show = {-math.inf: "-∞", math.inf: "∞"}
    return f"{left}{show.get(low, f'{low:g}')}, {show.get(high, f'{high:g}')}{right}"


def number(name, value, low=-math.inf, high=math.inf, *, low_open=False, high_open=False):
    """``value`` as a float, if it is a finite real number in the interval from low to high
    (closed at each end unless ``low_open`` / ``high_open``); otherwise a ValueError naming it."""
    inside = is_number(value) and math.isfinite(value) and (
        low < value if low_open else low <= value) and (value < high if high_open else
                                                         value <= high)
    if not inside:
        where = "" if (low, high) == (-math.inf, math.inf) else \
            f" in {_interval(low, high, low_open, high_open)}"
        raise ValueError(f"{name} must be a finite number{where}, got {value!r}.")
    return float(value)


def positive(name, value):
    """``value`` as a float, if it is a finite number greater than 0."""
    return number(name, value, low=0, low_open=True)


def whole(name, value, low=None, high=None):
    """``value`` as an int, if it is a whole number (not a float, not a bool) in [low, high]."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_) and (
        low is None or value >= low) and (high is None or value <= high)
    if not ok:
        bounds = [f">= {low}"] * (low is not None) + [f"<= {high}"] * (high is not None)
        raise ValueError(f"{name} must be a whole number{' ' if bounds else ''}"
                         f"{' and '.join(bounds)}, got {value!r}.")
    return int(value)


def choice(name, value, options):
    """``value``, if it is one of ``options``; otherwise a ValueError listing them (and the
    closest one, when the value looks like a misspelling of it)."""
    options = tuple(options)
    try:
        found = value in options
    except TypeError:   # an unhashable value tested against a set or dict
        found = False
    if not found:
        names = [o for o in options if isinstance(o, str)]
        guess = difflib.get_close_matches(value, names, n=1) if isinstance(value, str) else []
        hint = f" (did you mean {guess[0]!r}?)" if guess else ""
        raise ValueError(f"unknown {name} {value!r}{hint}; choose one of: "
                         f"{', '.join(map(str, options))}.")
    return value


def generator(seed):
    """A numpy random Generator: ``seed`` itself if it is one, else a new one seeded with a
    whole number >= 0 (None: fresh randomness, different on every run)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None:
        whole("seed", seed, low=0)
    return np.random.default_rng(seed)


def _numeric(name, value):
    """``value`` (a number, nested list, numpy array or Tensor) as a float numpy array."""
    try:
        data = np.asarray(value.data if isinstance(value, Tensor) else value)
    except ValueError:   # ragged nested lists
        data = np.array(None)
    if data.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be numbers (a number, a list or an array of them), "
                         f"got {value!r}.")
    return data if data.dtype.kind == "f" else data.astype(np.float64)


def array(name, value, low=-math.inf, high=math.inf, *, low_open=False, high_open=False):
    """``value`` (a number, list, array or Tensor) as a float array, if every entry is a finite
    number in the interval; otherwise a ValueError naming it and the first entry that is not."""
    data = _numeric(name, value)
    with np.errstate(invalid="ignore"):
        inside = np.isfinite(data) & (data > low if low_open else data >= low) & (
            data < high if high_open else data <= high)
    if not inside.all():
        where = "" if (low, high) == (-math.inf, math.inf) else \
            f" in {_interval(low, high, low_open, high_open)}"
        if data.ndim == 0:
            raise ValueError(f"{name} must be a finite number{where}, got {data.item()!r}.")
        bad = tuple(int(i) for i in np.argwhere(~inside)[0])
        raise ValueError(f"{name} must hold finite numbers{where}, but entry {bad} is "
                         f"{data[bad].item()!r}.")
    return data


def probabilities(name, value, tolerance=1e-6):
    """``value`` as a float array whose last axis holds probability vectors: no entry below 0,
    and each vector summing to 1 within ``tolerance``. Nothing is renormalised: a vector that
    is not a distribution is a mistake worth hearing about."""
    data = array(name, value, low=0)
    if data.ndim == 0 or data.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one entry on its last axis (the outcomes), "
                         f"got shape {data.shape}.")
    off = np.abs(data.sum(axis=-1) - 1) > tolerance
    if off.any():
        row = tuple(int(i) for i in np.argwhere(off)[0])
        total = data.sum(axis=-1)[row]
        which = f" along its last axis (within {tolerance:g}), but vector {row}" if row else \
            f" (within {tolerance:g}), but it"
        raise ValueError(f"{name} must sum to 1{which} sums to {total:.10g}; nothing is "
                         f"renormalised for you.")
    return data
