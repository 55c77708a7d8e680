"""The four checkers: ``numeric``, ``code``, ``symbolic`` and ``choice`` (see the package's
docstring for how a chapter uses them). Each returns a function ``answer -> Feedback`` with
attributes: ``expects`` ("numbers", "function", "formula" or "option"), ``mistakes`` (the
known wrong answers and their messages), and ``variables`` for ``symbolic``, ``options`` for
``choice``.
"""

import copy
import inspect
import numbers
import re

import numpy as np

from mathdl import checks
from mathdl.tensor import Tensor

from . import runner
from .feedback import Feedback, fmt, mistake_pairs
from .formula import FormulaError, parse_formula, parse_number, unknown_names

__all__ = ["numeric", "code", "symbolic", "choice"]


def _show(value):
    """An input for feedback, kept short: a number, a small array on one line, or a shape."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return fmt(value)
    if isinstance(value, np.ndarray):
        if value.ndim > 1 or value.size > 6:
            return f"a {' × '.join(map(str, value.shape))} array"
        return np.array2string(value, precision=4, suppress_small=True, separator=", ")
    if checks.is_number(value):
        return fmt(value) if isinstance(value, float | np.floating) else str(value)
    return repr(value) if len(repr(value)) <= 30 else f"a {type(value).__name__}"


# ---------------------------------------------------------------- numbers and arrays

class _Refused(Exception):
    """An answer that cannot be read as numbers; the message is for the reader."""


def _plain(value):
    """The reader's answer with tensors replaced by their arrays, lists and tuples recursively."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None:
        raise _Refused("Your answer contains None: if it is a gradient such as `x.grad`, call "
                       "`backward()` first.")
    if isinstance(value, bool | np.bool_):
        raise _Refused(f"{value} is not a number here; give the number itself.")
    if isinstance(value, complex | np.complexfloating):
        raise _Refused("Your answer is a complex number; a real number is expected.")
    if isinstance(value, str):
        try:
            return parse_number(value)
        except FormulaError as err:
            raise _Refused(f"I could not read {value[:40]!r} as a number. {err}") from None
    return value.data if isinstance(value, Tensor) else value


def _numbers(answer):
    """The reader's number / list / array / Tensor / number in a string as a float array."""
    try:
        return np.asarray(_plain(answer), dtype=np.float64)
    except OverflowError:
        raise _Refused("Your answer is too large for a floating-point number (beyond "
                       "1.8e308).") from None
    except (TypeError, ValueError) as err:
        ragged = isinstance(answer, list | tuple) and "inhomogeneous" in str(err)
        raise _Refused("The rows of your answer have different lengths." if ragged else
                       f"Expected a number or an array, got {_a(answer)}.") from None


def _tolerance(want, rtol, atol, digits):
    """How far each entry may be off: atol + rtol·|want|, or half a unit in the last of
    ``digits`` significant digits if that is more (``digits=2`` accepts 9.5e-7 for 9.537e-7)."""
    tol = atol + rtol * np.abs(want)
    if digits:
        size = np.where(want == 0, 1.0, np.abs(want))
        tol = np.maximum(tol, np.where(want == 0, 0, 0.5 * 10.0 ** (
            np.floor(np.log10(size)) - digits + 1)))
    return tol


def _telling_factor(ratio, entries):
    """A constant ratio means something over several entries; for one number only 2, 1/3 …"""
    k = abs(ratio)
    if k == 0:
        return False
    return entries > 1 or any(abs(v - round(v)) < 1e-9 and round(v) >= 2 for v in (k, 1 / k))


def _compare(got, want, tol):
    """Feedback comparing two float arrays: shape first, then values, then what is off."""
    if want.ndim == 0 and got.size == 1:
        got = got.reshape(())                          # [0.46] for 0.46, a one-entry tensor
    if got.shape != want.shape:
        extra = " (transposed?)" if got.shape == want.shape[::-1] else ""
        return Feedback(False, "shape", f"Your answer has shape {got.shape}{extra}, "
                                        f"but the answer has shape {want.shape}.")
    if not np.all(np.isfinite(got)):
        return Feedback(False, "value", "Your answer contains inf or nan.")
    close = np.abs(got - want) <= tol
    if close.all():
        return Feedback(True, "correct", "")
    if np.all(np.abs(got + want) <= tol):
        return Feedback(False, "sign", "The size is right but the sign is flipped.")
    nonzero = np.abs(want) > tol
    if nonzero.any() and np.all(np.abs(got[~nonzero]) <= tol[~nonzero]):
        ratios = got[nonzero] / want[nonzero]
        if np.allclose(ratios, ratios.flat[0], rtol=1e-6) and _telling_factor(
                ratios.flat[0], int(nonzero.sum())):
            return Feedback(False, "factor", "Your answer is off by a constant factor: it is "
                                             f"{fmt(ratios.flat[0])} times the right one.")
    if got.ndim == 0:
        direction = "too large" if got > want else "too small"
        rel = abs(got - want) / max(abs(want), 1e-300)
        return Feedback(False, "value", f"{fmt(got)} is {direction} "
                                        f"(relative error {rel:.2g}).")
    bad = tuple(int(i) for i in np.argwhere(~close)[0])
    wrong = int((~close).sum())
    verb = "is" if wrong == 1 else "are"
    return Feedback(False, "value", f"{wrong} of {got.size} entries {verb} off; the first is "
                                    f"at index {bad}, where you have {fmt(got[bad])}.")


def _same(got, wrong, tolerance):
    """True if the float array ``got`` equals ``wrong`` within ``tolerance(wrong)``."""
    wrong = np.asarray(wrong, dtype=np.float64)
    if wrong.ndim == 0 and got.size == 1:
        got = got.reshape(())
    return got.shape == wrong.shape and bool(np.all(np.abs(got - wrong) <= tolerance(wrong)))


def numeric(expected, rtol=1e-6, atol=1e-9, digits=None, mistakes=None):
    """Checker for a number or an array (a list, numpy array or mathdl Tensor is fine, and so
    is a number in a string such as "1/2").

    An entry passes if it is within ``atol + rtol * |expected|``; ``digits=n`` also accepts the
    answer rounded to n significant digits, as a solution that gives "≈ 9.5 × 10⁻⁷" states it.
    ``mistakes`` maps typical wrong values, or tests ``lambda got: ...`` (``got`` a float or a
    float array), to what to say; the first that matches is said.
    """
    want = np.asarray(expected, dtype=np.float64)
    rtol, atol = checks.number("numeric: rtol", rtol, low=0), checks.number("numeric: atol",
                                                                             atol, low=0)
    if digits is not None:
        checks.whole("numeric: digits", digits, low=1)
    tol = _tolerance(want, rtol, atol, digits)
    known = mistake_pairs(mistakes, "numeric")

    def check(answer):
        if want.ndim == 0 and isinstance(answer, str) and re.fullmatch(r"\s*-?\d+,\d+\s*",
                                                                          answer):
            return Feedback(False, "unreadable", "Write decimals with a point: "
                                                 f"{answer.strip().replace(',', '.')}, not "
                                                 f"{answer.strip()}.")
        try:
            got = _numbers(answer)
        except _Refused as err:
            return Feedback(False, "unreadable", str(err))
        feedback = _compare(got, want, tol)
        if feedback or not np.all(np.isfinite(got)):
            return feedback
        for wrong, message in known:
            if callable(wrong):
                hit = bool(np.all(wrong(got.item() if got.size == 1 else got)))
            else:   # a wrong value, perhaps written as text: read it as the reader's would be
                hit = _same(got, _numbers(wrong), lambda w: _tolerance(w, rtol, atol, digits))
            if hit:
                return Feedback(False, "mistake", message)
        return feedback

    check.expects, check.mistakes = "numbers", known
    return check


# ---------------------------------------------------------------- code

def _a(value):
    """'a list', 'an int': the type of ``value`` with its article."""
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _fresh(value):
    """A copy of a test input for one call: numpy scalars as plain Python numbers."""
    if isinstance(value, np.generic):
        return value.item()
    return value.copy() if isinstance(value, np.ndarray) else copy.deepcopy(value)


def _unwritten(*args):
    ...


def _is_unwritten(function):
    """True for a function whose body is only ``...``, ``pass`` or a docstring."""
    body = getattr(function, "__code__", None)
    return body is not None and body.co_code == _unwritten.__code__.co_code


def _printed(outcome):
    """The reader's printed output, when there is some, as a short sentence."""
    if not outcome.output.strip():
        return ""
    first = outcome.output.strip().splitlines()[0]
    first = first if len(first) <= 80 else first[:77] + "…"
    many = f" ({outcome.lines:,} lines in all)" if outcome.lines > 1 else ""
    return f" It printed {first!r}{many}."


def _where(args, on="on"):
    """ "on input (0, 10, 100)", or "" for a function called without arguments."""
    return f"{on} input ({', '.join(_show(a) for a in args)})" if args else ""


def _failure(outcome, args, seconds):
    """Feedback for a call that raised, exited, was interrupted or ran out of time."""
    err, where = outcome.error, _where(args)
    on = f" {where}" if where else ""
    if isinstance(err, runner.TimeUp):
        return Feedback(False, "timeout", f"Your function did not finish within {seconds:g} "
                                          f"seconds{on}, so it was stopped: is there a loop that "
                                          "never ends?" + _printed(outcome))
    if isinstance(err, SystemExit):
        return Feedback(False, "error", f"Your function called exit() (SystemExit){on}; a "
                                        "function should `return` its result instead.")
    if isinstance(err, KeyboardInterrupt):
        return Feedback(False, "error", f"Your function was interrupted (KeyboardInterrupt){on}.")
    text = " ".join(str(err).split())
    text = text if len(text) <= 150 else text[:147] + "…"
    subject = f"{_where(args, 'On')} your function" if where else "Your function"
    return Feedback(False, "error", f"{subject} raised {type(err).__name__}: {text}"
                                    + _printed(outcome))


def code(reference, inputs=((),), rtol=1e-6, atol=1e-9, digits=None, mistakes=None,
         time_limit=None):
    """Checker for a function: run it and ``reference`` on each input and compare the results.

    ``inputs`` is a list of argument tuples (a non-tuple item is a single argument; the default
    calls the functions once, without arguments). The reader's function gets fresh copies, so
    mutating its arguments cannot spoil the test, and numpy scalars arrive as plain Python
    numbers. Each call may take ``time_limit`` seconds (by default ``runner.TIME_LIMIT``).
    ``mistakes`` pairs wrong functions with what to say: said when the reader's function agrees
    with a wrong one on every input.
    """
    if not callable(reference):
        raise TypeError(f"code: reference must be a function, got {type(reference).__name__}.")
    cases = [args if isinstance(args, tuple) else (args,) for args in inputs]
    if time_limit is not None:
        checks.positive("code: time_limit", time_limit)
    known = mistake_pairs(mistakes, "code")
    tolerance = lambda w: _tolerance(w, rtol, atol, digits)  # noqa: E731
    expected = {}

    def results_of(function):  # a reference's (or a mistake's) results, computed once
        if function not in expected:
            expected[function] = [_numbers(function(*[_fresh(a) for a in args]))
                                  for args in cases]
        return expected[function]

    def call(answer, args, seconds):
        """(float array or None, Feedback on a problem or None, outcome) for one call."""
        where = _where(args)
        outcome = runner.run(answer, [_fresh(a) for a in args], seconds)
        value, problem = outcome.value, None
        if outcome.error is not None:
            problem = _failure(outcome, args, seconds)
        elif value is None and _is_unwritten(answer):
            problem = Feedback(False, "blank", "Your function returns nothing yet: write its "
                                               "body, and remember to `return` the result.")
        elif value is None:
            problem = Feedback(False, "unreadable", f"Your function returned None{' ' + where}: "
                                                    "does it `return` its result? (A gradient "
                                                    "`x.grad` is None until `backward()` is "
                                                    "called.)" + _printed(outcome))
        elif isinstance(value, str | bytes | dict | set) or callable(value):
            problem = Feedback(False, "unreadable", f"Your function returned {_a(value)}"
                                                    f"{' ' + where}, not numbers."
                                                    + _printed(outcome))
        else:
            try:
                return _numbers(value), None, outcome
            except _Refused as err:
                problem = Feedback(False, "unreadable", f"Your function returned {_a(value)}"
                                                        f"{' ' + where} that I cannot use: {err}")
        return None, problem, outcome

    def check(answer):
        if not callable(answer):
            return Feedback(False, "unreadable", "Expected a function (def or lambda), "
                                                 f"got {_a(answer)}.")
        try:
            inspect.signature(answer).bind(*cases[0])
        except TypeError:
            n = len(cases[0])
            return Feedback(False, "unreadable", f"Your function must take {n} argument"
                                                 f"{'s' * (n != 1)}, as in the exercise; yours "
                                                 f"is {getattr(answer, '__name__', 'it')}"
                                                 f"{inspect.signature(answer)}.")
        except ValueError:  # no signature to read (a builtin): just call it
            pass
        seconds = time_limit or runner.TIME_LIMIT
        mine = []   # the reader's results so far
        for i, (args, want) in enumerate(zip(cases, results_of(reference))):
            got, problem, outcome = call(answer, args, seconds)
            if problem is not None:
                return problem
            mine.append(got)
            feedback = _compare(got, want, tolerance(want))
            if feedback:
                continue
            if known:   # is it a known mistake? That needs its results on every input
                mine += [call(answer, a, seconds)[0] for a in cases[i + 1:]]
                for wrong, message in known:
                    if all(g is not None and _same(g, w, tolerance)
                           for g, w in zip(mine, results_of(wrong))):
                        return Feedback(False, "mistake", message)
            where = f"{_where(args, 'On')}: " if args else ""
            feedback.message = where + feedback.message + _printed(outcome)
            return feedback
        total = f"all {len(cases)} test inputs" if cases[0] else "the test"
        return Feedback(True, "correct", f"Your function passed {total}.")

    check.expects, check.mistakes = "function", known
    return check


# ---------------------------------------------------------------- formulas (SymPy)

def _formula(sympy, answer, symbols):
    """A string or SymPy expression as a SymPy expression; raises FormulaError if unreadable."""
    if isinstance(answer, str):
        return parse_formula(answer, symbols)
    if isinstance(answer, sympy.Basic | int | float | numbers.Rational) and not isinstance(
            answer, bool):
        expr = sympy.sympify(answer)
        # the reader's own Symbol('x') may carry other assumptions: match symbols by name
        expr = expr.subs({s: symbols[s.name] for s in expr.free_symbols if s.name in symbols})
        unknown = sorted(s.name for s in expr.free_symbols if s.name not in symbols)
        if unknown:
            raise FormulaError(unknown_names(unknown, list(symbols)))
        return expr
    raise FormulaError("Expected a formula as a string such as '3*x**2' or a SymPy expression, "
                       f"got {_a(answer)}.")


def _values(expr, symbols, points):
    """The expression's values at the points, nan where it cannot be evaluated."""
    out = []
    for point in points:
        try:
            out.append(complex(expr.evalf(subs=dict(zip(symbols, point)))))
        except (TypeError, ValueError, OverflowError, ZeroDivisionError, AttributeError):
            out.append(complex(np.nan))
    return np.array(out)


def symbolic(expected, variables="x", points=None, mistakes=None):
    """Checker for a formula: equivalent to ``expected`` as SymPy sees it.

    ``variables`` names the symbols ("x" or "sigma n"); ``points`` are where values are
    compared, tuples with one number per variable (by default four generic ones). ``mistakes``
    maps typical wrong formulas to what to say. A string answer may use ``^`` for powers,
    implicit products (``2x``), Unicode (``x²``, ``·``, ``−``, ``σ``) and the functions of
    :data:`mathdl.exercises.formula.FUNCTIONS` (``sigmoid`` or ``σ``, ``relu``, ``exp`` …).
    """
    names = variables.split() if isinstance(variables, str) else list(variables)
    if not names or not all(isinstance(n, str) and n.isidentifier() for n in names):
        raise ValueError(f"symbolic: variables must be names such as 'x' or 'x y', got "
                         f"{variables!r}.")
    grid = [tuple(p) if isinstance(p, tuple | list) else (p,) for p in points] if points else [
        (0.7, -1.3, 0.4), (-1.3, 0.4, 2.1), (2.1, 0.7, -0.6), (0.35, 1.6, 1.2)]
    grid = [p[:len(names)] for p in grid]
    known = mistake_pairs(mistakes, "symbolic")
    prepared = {}

    def prepare(sympy):  # the expected formula and the mistakes, read once
        if not prepared:
            symbols = {n: sympy.Symbol(n, real=True) for n in names}
            want = _formula(sympy, expected, symbols)
            wrong = [(_values(_formula(sympy, w, symbols), symbols.values(), grid), message)
                     for w, message in known]
            prepared.update(symbols=symbols, want=want, wrong=wrong,
                            values=_values(want, symbols.values(), grid))
        return prepared

    def compare(sympy, p, answer):
        symbols = list(p["symbols"].values())
        try:
            got = _formula(sympy, answer, p["symbols"])
        except FormulaError as err:
            return Feedback(False, "unreadable", str(err))
        g, w = _values(got, symbols, grid), p["values"]
        both, only_right = np.isfinite(g) & np.isfinite(w), np.isfinite(w) & ~np.isfinite(g)
        agree = np.allclose(g[both], w[both], rtol=1e-9, atol=1e-12)
        if agree and not only_right.any() and (
                both.sum() >= 3 or sympy.simplify(got - p["want"]) == 0):
            return Feedback(True, "correct", "")
        for values, message in p["wrong"]:
            usable = both & np.isfinite(values)
            if usable.sum() >= min(3, both.sum()) > 0 and np.allclose(
                    g[usable], values[usable], rtol=1e-9, atol=1e-12):
                return Feedback(False, "mistake", message)
        if only_right.any():
            i = int(np.argmax(only_right))
            at = ", ".join(f"{s} = {v}" for s, v in zip(symbols, grid[i]))
            return Feedback(False, "value", f"At {at} your formula cannot be evaluated (it is "
                                            "infinite or undefined there), but the right one "
                                            f"gives {fmt(w[i])}.")
        if not both.any():   # the right formula cannot be evaluated at the test points
            neither = "and neither can" if not np.isfinite(g).any() else "which cannot"
            return Feedback(False, "value", "Your formula is not equivalent to the answer, "
                                            f"{neither} be evaluated at the test points.")
        g, w, at_points = g[both], w[both], [q for q, b in zip(grid, both) if b]
        patterns = len(g) >= 3  # a sign, factor or offset shows only across several points
        if patterns and np.allclose(g, -w, rtol=1e-9, atol=1e-12):
            return Feedback(False, "sign", "Your formula has the wrong sign.")
        if isinstance(answer, str) and re.search(r"\d\.\d", answer) and np.allclose(
                g, w, rtol=1e-2):
            return Feedback(False, "value", "Your formula is close but not exact: write exact "
                                            "numbers such as pi, e or 1/3 instead of decimals.")
        if patterns and np.all(np.abs(w) > 1e-12) and np.allclose(g / w, g[0] / w[0], rtol=1e-9):
            return Feedback(False, "factor", "Your formula is off by a constant factor: it is "
                                             f"{fmt(g[0] / w[0])} times the right one.")
        if patterns and np.allclose(g - w, g[0] - w[0], rtol=1e-9, atol=1e-12):
            return Feedback(False, "offset", "Your formula is off by a constant: it is "
                                             f"{fmt(g[0] - w[0])} more than the right one.")
        differ = [k for k in range(len(g)) if not np.isclose(g[k], w[k], rtol=1e-9)]
        if not differ:
            return Feedback(False, "value", "Your formula agrees with the answer at the test "
                                            "points, but it is not the same formula.")
        k = differ[0]
        at = ", ".join(f"{s} = {v}" for s, v in zip(symbols, at_points[k]))
        return Feedback(False, "value", f"At {at} your formula gives {fmt(g[k])}, "
                                        f"but the right one gives {fmt(w[k])}.")

    def check(answer):
        import sympy

        key = prepare(sympy)                # importing SymPy, reading the key: not timed
        seconds = runner.TIME_LIMIT
        try:
            with runner.time_limit(seconds, trace=False):   # (the parser stops blow-ups)
                return compare(sympy, key, answer)
        except runner.TimeUp:
            return Feedback(False, "timeout", f"Comparing this formula took more than {seconds:g} "
                                              "seconds, so it was stopped; try a simpler form.")

    check.expects, check.mistakes, check.variables = "formula", known, names
    return check


# ---------------------------------------------------------------- multiple choice

def _option(answer, options):
    """The index of the option ``answer`` names (letter, text or 0-based index), or None."""
    if isinstance(answer, numbers.Integral) and not isinstance(answer, bool | np.bool_):
        return int(answer) if 0 <= answer < len(options) else None
    if not isinstance(answer, str):
        return None
    said = " ".join(answer.split()).rstrip(".").casefold()
    texts = [" ".join(o.split()).rstrip(".").casefold() for o in options]
    letter = re.fullmatch(r"\(?([a-z])\)?[.:)]?", said) or re.fullmatch(r"\(?([a-z])[.:)]\s.*",
                                                                        said)
    if letter and ord(letter.group(1)) - 97 < len(options):
        return ord(letter.group(1)) - 97
    return texts.index(said) if said in texts else None


def choice(options, answer, why):
    """Checker for multiple choice: ``options`` are the texts, ``answer`` names the right one
    (its letter "b", its text, or its index), and ``why`` explains each option: a dict keyed by
    letter, text or index, or a list in the options' order. Every wrong option needs its
    explanation; the right one's is shown when it is chosen.

    A reader answers with the letter ("b", "B", "(b)", "b)"), the option's text, or its 0-based
    index; the feedback names the option it read, "(b) …".
    """
    options = [str(o) for o in options]
    checks.whole("choice: the number of options", len(options), low=2, high=26)
    right = _option(answer, options)
    if right is None:
        raise ValueError(f"choice: answer must name one of the options (a letter from 'a' to "
                         f"{chr(96 + len(options))!r}, its text or its index), got {answer!r}.")
    reasons = [""] * len(options)
    for key, text in (why.items() if isinstance(why, dict) else enumerate(why)):
        index = _option(key, options)
        if index is None or not isinstance(text, str):
            raise ValueError(f"choice: why= must map options to explanations; {key!r} is not "
                             "an option or its explanation is not text.")
        reasons[index] = text
    missing = [f"({chr(97 + i)})" for i, r in enumerate(reasons) if not r and i != right]
    if missing:
        raise ValueError(f"choice: why= must explain every wrong option; missing: "
                         f"{', '.join(missing)}.")

    def check(reply):
        index = _option(reply, options)
        if index is None:
            return Feedback(False, "unreadable", f"Answer with the letter of one option, from "
                                                 f"'a' to {chr(96 + len(options))!r} (or its "
                                                 f"text).")
        said = f"({chr(97 + index)}) {reasons[index]}".strip()
        return Feedback(index == right, "correct" if index == right else "mistake", said)

    check.expects, check.options = "option", options
    check.mistakes = [(chr(97 + i), r) for i, r in enumerate(reasons) if i != right]
    return check
