"""Exercises with instant feedback.

Each chapter keeps its exercises in a module of this package (``chapter2.py`` …), so the
answers are not visible in the notebook. A notebook shows::

    ex = md.exercises.chapter2.derivative_of_sigmoid
    ex.check(answer)      # Feedback: correct, or what is wrong
    ex.hint()
    ex.solution()

An exercise pairs a prompt with a *checker*: a function ``answer -> Feedback``. Three
checkers cover the book:

- :func:`symbolic` compares formulas with SymPy (equivalence, not string equality);
- :func:`numeric` compares numbers or arrays with a tolerance and says what is wrong
  (shape, sign, a constant factor, which entry);
- :func:`code` runs the reader's function on test inputs and reports the first failure.

A chapter module defines its exercises like this::

    from mathdl.exercises import Exercise, code, numeric, symbolic

    derivative_of_sigmoid = Exercise(
        "Differentiate sigma(x) = 1 / (1 + exp(-x)). Answer with a formula in x.",
        check=symbolic("exp(-x) / (1 + exp(-x))**2", variables="x"),
        hint="Write sigma as (1 + exp(-x))**(-1) and use the chain rule.",
        solution="sigma'(x) = sigma(x) * (1 - sigma(x))",
    )

``check`` never raises on a reader's answer: a blank answer (``None``, ``...`` or an empty
string) gets a polite nudge, and an answer that cannot be read is described in one sentence.
"""

import importlib
import pkgutil
import re

import numpy as np

__all__ = ["Exercise", "Feedback", "Note", "symbolic", "numeric", "code", "is_blank"]


class Note:
    """Text shown by ``hint()`` and ``solution()``; renders as Markdown in Jupyter."""

    def __init__(self, title, text):
        self.title, self.text = title, text

    def __repr__(self):
        return f"{self.title}: {self.text}"

    def _repr_markdown_(self):
        return f"**{self.title}.** {self.text}"


class Feedback:
    """The result of ``check``: truthy when correct.

    ``kind`` says what happened, so tests and code can act on it: "correct", "blank",
    "unreadable", "shape", "sign", "factor", "offset", "value", "error".
    It displays itself in Jupyter when it is the last expression of a cell; ``print`` works too.
    """

    def __init__(self, correct, kind, message):
        self.correct, self.kind, self.message = bool(correct), kind, message

    def __bool__(self):
        return self.correct

    def __repr__(self):
        prefix = "✓ Correct!" if self.correct else "✎" if self.kind == "blank" else "✗ Not yet."
        return f"{prefix} {self.message}".strip()

    def _repr_html_(self):
        colour = "#1a7f37" if self.correct else "#b35900"
        text = repr(self).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<div style="border-left: 4px solid {colour}; padding-left: 8px">{text}</div>'


def is_blank(answer):
    """True for the placeholders a notebook ships with: None, ``...`` and empty strings."""
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


BLANK = Feedback(False, "blank", "No answer yet: replace the placeholder with your answer "
                                 "and run the cell again. `hint()` can help.")


class Exercise:
    """An exercise: a prompt, a checker ``answer -> Feedback``, a hint and a solution."""

    def __init__(self, prompt, check, hint, solution):
        if not callable(check):
            raise TypeError("Exercise(check=...) must be a checker such as symbolic(...), "
                            f"numeric(...) or code(...), not {type(check).__name__}.")
        self.prompt, self._check, self._hint, self._solution = prompt, check, hint, solution

    def check(self, answer):
        """Compare ``answer`` with the expected one and return :class:`Feedback`."""
        if is_blank(answer):
            return BLANK
        try:
            return self._check(answer)
        except Exception as err:  # a last resort: the reader never sees a traceback
            return Feedback(False, "error", f"This answer could not be checked "
                                            f"({type(err).__name__}: {err}).")

    def hint(self):
        return Note("Hint", self._hint)

    def solution(self):
        return Note("Solution", self._solution)

    def __repr__(self):
        return f"Exercise: {self.prompt}"


def _fmt(value):
    """Numbers in feedback: 6 significant digits, arrays compactly."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return np.array2string(value, precision=4, suppress_small=True, separator=", ")
    return f"{float(np.real(value)):.6g}"


# ---------------------------------------------------------------- numbers and arrays

def _as_array(answer):
    """The reader's number / list / numpy array / mathdl Tensor as a float array, or None."""
    data = answer if isinstance(answer, np.ndarray) else getattr(answer, "data", answer)
    # (a mathdl Tensor keeps its numpy array in .data; a numpy array's .data is a raw buffer)
    if is_blank(data) or isinstance(data, str):
        return None
    try:
        return np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _telling_factor(ratios, nonzero):
    """A constant ratio means something over several entries; for one number only 2, 1/3 …"""
    k = abs(ratios.flat[0])
    if k == 0:
        return False
    if nonzero.sum() > 1:
        return True
    return any(abs(v - round(v)) < 1e-9 and round(v) >= 2 for v in (k, 1 / k))


def _compare(got, want, rtol, atol):
    """Feedback comparing two float arrays: shape first, then values, then what is off."""
    if got.shape != want.shape:
        extra = " (transposed?)" if got.shape == want.shape[::-1] else ""
        return Feedback(False, "shape", f"Your answer has shape {got.shape}{extra}, "
                                        f"but the answer has shape {want.shape}.")
    if not np.all(np.isfinite(got)):
        return Feedback(False, "value", "Your answer contains inf or nan.")
    close = np.isclose(got, want, rtol=rtol, atol=atol)
    if close.all():
        return Feedback(True, "correct", "")
    if np.allclose(got, -want, rtol=rtol, atol=atol):
        return Feedback(False, "sign", "The size is right but the sign is flipped.")
    nonzero = np.abs(want) > atol
    if nonzero.any() and np.allclose(got[~nonzero], 0, atol=atol):
        ratios = got[nonzero] / want[nonzero]
        if np.allclose(ratios, ratios.flat[0], rtol=rtol) and _telling_factor(ratios, nonzero):
            return Feedback(False, "factor", "Your answer is off by a constant factor: it is "
                                             f"{_fmt(ratios.flat[0])} times the right one.")
    if got.ndim == 0:
        direction = "too large" if got > want else "too small"
        rel = abs(got - want) / max(abs(want), atol)
        return Feedback(False, "value", f"{_fmt(got)} is {direction} "
                                        f"(relative error {rel:.2g}).")
    bad = tuple(int(i) for i in np.argwhere(~close)[0])
    wrong = int((~close).sum())
    verb = "is" if wrong == 1 else "are"
    return Feedback(False, "value", f"{wrong} of {got.size} entries {verb} off; the first is "
                                    f"at index {bad}, where you have {_fmt(got[bad])}.")


def numeric(expected, rtol=1e-6, atol=1e-9):
    """Checker for a number or an array (a list, numpy array or mathdl Tensor is fine)."""
    want = np.asarray(expected, dtype=np.float64)

    def check(answer):
        got = _as_array(answer)
        if got is None:
            return Feedback(False, "unreadable", f"Expected a number or an array, "
                                                 f"got a {type(answer).__name__}.")
        return _compare(got, want, rtol, atol)

    return check


# ---------------------------------------------------------------- code

def code(reference, inputs, rtol=1e-6, atol=1e-9):
    """Checker for a function: run it and ``reference`` on each input and compare.

    ``inputs`` is a list of argument tuples (a non-tuple item is a single argument). The
    reader's function gets fresh copies, so mutating its arguments cannot spoil the test.
    """
    cases = [args if isinstance(args, tuple) else (args,) for args in inputs]

    def check(answer):
        if not callable(answer):
            return Feedback(False, "unreadable", "Expected a function (def or lambda), "
                                                 f"got a {type(answer).__name__}.")
        for args in cases:
            shown = ", ".join(_fmt(np.asarray(a)) for a in args)
            try:
                got = answer(*[np.copy(a) for a in args])
            except Exception as err:  # the reader's bug, reported instead of raised
                return Feedback(False, "error", f"On input ({shown}) your function raised "
                                                f"{type(err).__name__}: {err}")
            if got is None or got is Ellipsis:
                return Feedback(False, "blank", "Your function returns nothing yet: write its "
                                                "body, and remember to `return` the result.")
            result = _as_array(got)
            if result is None:
                return Feedback(False, "unreadable", f"On input ({shown}) your function returned "
                                                     f"a {type(got).__name__}, not numbers.")
            feedback = _compare(result, np.asarray(reference(*args), dtype=np.float64), rtol, atol)
            if not feedback:
                feedback.message = f"On input ({shown}): {feedback.message}"
                return feedback
        return Feedback(True, "correct", f"Your function passed all {len(cases)} test inputs.")

    return check


# ---------------------------------------------------------------- formulas (SymPy)

def _namespace(sympy, symbols):
    """Names a reader may use in a formula string, beyond SymPy's own functions."""
    t = sympy.Dummy("t")
    sigmoid = sympy.Lambda(t, 1 / (1 + sympy.exp(-t)))
    names = {"sigmoid": sigmoid, "sigma": sigmoid, "σ": sigmoid, "e": sympy.E,
             "relu": sympy.Lambda(t, sympy.Max(0, t)), "ln": sympy.log}
    names.update({s.name: s for s in symbols})
    return names


def _parse(sympy, answer, names):
    """A string or SymPy expression as a SymPy expression; raises ValueError if unreadable."""
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication,
        parse_expr,
        standard_transformations,
    )

    if isinstance(answer, str):
        try:
            transformations = standard_transformations + (implicit_multiplication, convert_xor)
            return sympy.sympify(parse_expr(answer, local_dict=names,
                                            transformations=transformations))
        except Exception as err:
            raise ValueError(f"I could not read {answer!r} as a formula "
                             f"({type(err).__name__}).") from None
    if isinstance(answer, (sympy.Basic, int, float)):
        expr = sympy.sympify(answer)
        # the reader's own Symbol('x') may carry other assumptions: match symbols by name
        return expr.subs({s: names[s.name] for s in expr.free_symbols if s.name in names})
    raise ValueError("Expected a formula as a string such as 'x**2 + 1' or a SymPy "
                     f"expression, got a {type(answer).__name__}.")


def symbolic(expected, variables="x", points=None):
    """Checker for a formula: equivalent to ``expected`` as SymPy sees it.

    ``variables`` names the symbols ("x" or "x y"); ``points`` are where values are compared
    to explain a wrong answer (tuples, one number per variable), by default a few generic ones.
    Strings may use ``^`` for powers, implicit products (``2x``), ``sigmoid``/``sigma``, ``relu``.
    """

    def check(answer):
        import sympy

        symbols = sympy.symbols(variables, real=True, seq=True)
        names = _namespace(sympy, symbols)
        want = _parse(sympy, expected, names)
        try:
            got = _parse(sympy, answer, names)
        except ValueError as err:
            return Feedback(False, "unreadable", str(err))
        unknown = sorted(s.name for s in got.free_symbols if s not in symbols)
        if unknown:
            ours = ", ".join(map(str, symbols))
            return Feedback(False, "unreadable", f"Your formula uses {', '.join(unknown)}, "
                                                 f"but this exercise is about {ours}.")
        grid = points or [(0.7, -1.3, 0.4)[: len(symbols)], (-1.3, 0.4, 2.1)[: len(symbols)],
                          (2.1, 0.7, -0.6)[: len(symbols)], (0.35, 1.6, 1.2)[: len(symbols)]]
        pairs = []
        for point in grid:
            point = tuple(point) if isinstance(point, (tuple, list)) else (point,)
            at = dict(zip(symbols, point))
            try:
                g, w = complex(got.evalf(subs=at)), complex(want.evalf(subs=at))
            except (TypeError, ValueError):  # not a number here, e.g. an unknown function
                continue
            if np.isfinite(g) and np.isfinite(w):
                pairs.append((point, g, w))
        g = np.array([p[1] for p in pairs])
        w = np.array([p[2] for p in pairs])
        if np.allclose(g, w, rtol=1e-9, atol=1e-12) and (
                len(pairs) >= 3 or sympy.simplify(got - want) == 0):
            return Feedback(True, "correct", "")
        if not pairs:
            return Feedback(False, "value", "Your formula is not equivalent to the answer, and "
                                            "neither can be evaluated at the test points.")
        patterns = len(pairs) >= 3  # a sign, factor or offset shows only across several points
        if patterns and np.allclose(g, -w, rtol=1e-9, atol=1e-12):
            return Feedback(False, "sign", "Your formula has the wrong sign.")
        if patterns and np.all(np.abs(w) > 1e-12) and np.allclose(g / w, g[0] / w[0], rtol=1e-9):
            return Feedback(False, "factor", "Your formula is off by a constant factor: it is "
                                             f"{_fmt(g[0] / w[0])} times the right one.")
        if patterns and np.allclose(g - w, g[0] - w[0], rtol=1e-9, atol=1e-12):
            return Feedback(False, "offset", "Your formula is off by a constant: it is "
                                             f"{_fmt(g[0] - w[0])} more than the right one.")
        point, gv, wv = next(p for p in pairs if not np.isclose(p[1], p[2], rtol=1e-9))
        at = ", ".join(f"{s} = {v}" for s, v in zip(symbols, point))
        return Feedback(False, "value", f"At {at} your formula gives {_fmt(gv)}, "
                                        f"but the right one gives {_fmt(wv)}.")

    return check


# ---------------------------------------------------------------- chapters, imported lazily

def _chapters():
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("chapter"))


def __getattr__(name):
    """``md.exercises.chapter2`` imports ``mathdl/exercises/chapter2.py`` on first use."""
    if re.fullmatch(r"chapter\d+", name) and name in _chapters():
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"mathdl.exercises has no {name!r}; the chapters with exercises "
                         f"are: {', '.join(_chapters())}.")


def __dir__():
    return sorted(__all__ + _chapters())
