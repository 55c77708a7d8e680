"""Exercises with instant feedback.

Each chapter keeps its exercises in a module of this package (``chapter2.py`` …), so the
answers are not visible in the notebook. A notebook shows::

    ex = md.exercises.chapter2.derivative_of_silu
    ex.check(answer)      # Feedback: correct, or what is wrong, in a sentence or two
    ex.hint()
    ex.solution()

An exercise pairs a prompt with a *checker*, a function ``answer -> Feedback``. Four checkers
cover the book:

- :func:`symbolic` compares a formula with SymPy (equivalence, not string equality). Readers
  type ``"3x^2"``, ``"3x²"``, ``"σ(x)·(1 − σ(x))"`` or ``"2xe^(-x)"``; the text is read by
  :mod:`mathdl.exercises.formula`, which allows only numbers, the variables, arithmetic and a
  fixed list of functions, and never runs what the reader typed.
- :func:`numeric` compares numbers or arrays (a list, numpy array, mathdl Tensor, or a number
  in a string such as ``"1/2"``) within a tolerance, and says what is wrong: the shape, the
  sign, a constant factor, which entry.
- :func:`code` runs the reader's function on test inputs, with a time limit and its printed
  output captured, and compares with a reference function.
- :func:`choice` is multiple choice, each wrong option with its own explanation.

Each of ``symbolic``, ``numeric`` and ``code`` takes ``mistakes=``: the typical wrong answers of
the exercise and what to say about them, as a dict or a list of (wrong answer, message) pairs.
A wrong answer is a formula for ``symbolic``, a value or a test ``lambda got: ...`` for
``numeric``, a wrong function for ``code``. Messages are one or two short sentences::

    from mathdl.exercises import Exercise, choice, code, numeric, symbolic

    derivative_of_cube = Exercise(
        "Differentiate x**3. Answer with a formula in x, as a string.",
        check=symbolic("3*x**2", variables="x", mistakes={
            "3*x**3": "Lower the power by one: the derivative of xⁿ is n·xⁿ⁻¹.",
            "x**4/4": "That is an antiderivative; the question asks for the derivative."}),
        hint="The power rule.", solution="$3x^2$")

    steps = Exercise("...", check=numeric(1375, atol=0, mistakes=[
        (1374, "After 1374 steps the error is still just above 10⁻⁶: round up."),
        (lambda k: k % 1 != 0, "A number of steps is a whole number: round up.")]), ...)

    first_step = Exercise("...", check=code(reference_step, [(w, g, 0.1), (w2, g2, 1.0)],
                                            mistakes=[(lambda w, g, lr: w + lr * g,
                                                       "That step goes uphill: subtract.")]), ...)

    what_happens = Exercise(
        "Gradient descent on f(x) = x² with η = 1.01: what happens?",
        check=choice(["It converges slowly", "It oscillates and diverges", "It stops"],
                     answer="b",
                     why={"a": "Each step multiplies x by 1 - 2η = -1.02: |x| grows.",
                          "b": "Yes: x flips sign each step and grows by 2% in size.",
                          "c": "It stops only where the gradient is zero, at x = 0."}),
        hint="...", solution="...")

The reader answers a ``choice`` with the option's letter (``"b"``, ``"B"``, ``"(b)"``, ``"b)"``),
its text, or its 0-based index as in ``options[1]``; the feedback names the option it read. Every
wrong option must have its ``why``; the right option's ``why`` is shown when it is chosen. The
exercise's prompt lists the options, ``(a) …``, ``(b) …``.

Experiments. A reader's code can be checked by the number an experiment gives, in two ways:
with ``code(reference, inputs)``, where the reader's function runs the experiment (a few
training steps, say) and returns a number that is compared with the reference's; or with
``numeric(expected, rtol=...)`` on the number the reader reports, with a tolerance as wide as
the experiment's spread. ``code`` runs the reference once and remembers its results, and
``code(reference)`` with no inputs calls both functions without arguments.

Limits. Each call of a reader's function, and each formula comparison, may take
``mathdl.exercises.runner.TIME_LIMIT`` seconds (5 by default; ``code(time_limit=...)`` sets
its own), and the message says so when that is reached. ``check`` never raises on a reader's
answer: a blank (``None``, ``...``, an empty string) gets a polite nudge, and an answer that
cannot be read is described in one sentence.

Modules: :mod:`~mathdl.exercises.checkers` (the four checkers), :mod:`~.formula` (reading
formulas), :mod:`~.runner` (time limit, captured output), :mod:`~.feedback` (what a check
returns), and one module per chapter.
"""

import importlib
import pkgutil
import re

from .checkers import choice, code, numeric, symbolic
from .feedback import BLANK, NONE_NUMBERS, Feedback, Note, is_blank

__all__ = ["Exercise", "Feedback", "Note", "symbolic", "numeric", "code", "choice", "is_blank"]


class Exercise:
    """An exercise: a prompt, a checker ``answer -> Feedback``, a hint and a solution.

    A ``choice`` checker's options are added to the prompt, one per line.
    """

    def __init__(self, prompt, check, hint, solution):
        if not callable(check):
            raise TypeError("Exercise(check=...) must be a checker such as symbolic(...), "
                            f"numeric(...), code(...) or choice(...), not {type(check).__name__}.")
        self.options = list(getattr(check, "options", ()))
        lines = [f"({chr(97 + i)}) {text}" for i, text in enumerate(self.options)]
        self.prompt = "\n".join([prompt, *lines])
        self._check, self._hint, self._solution = check, hint, solution

    @property
    def checker(self):
        """The checker, with its ``expects``, ``mistakes`` (and ``options``) attributes."""
        return self._check

    def check(self, answer):
        """Compare ``answer`` with the expected one and return :class:`Feedback`."""
        if answer is None and getattr(self._check, "expects", "") == "numbers":
            return NONE_NUMBERS
        if is_blank(answer):
            return BLANK
        try:
            return self._check(answer)
        except Exception as err:  # a bug of the exercise itself: still no traceback
            return Feedback(False, "error", "Sorry: this answer could not be checked, because the "
                                            f"exercise's checker failed ({type(err).__name__}).")

    def hint(self):
        return Note("Hint", self._hint)

    def solution(self):
        return Note("Solution", self._solution)

    def __repr__(self):
        return f"Exercise: {self.prompt}"

    def _repr_markdown_(self):
        items = "".join(f"\n- ({chr(97 + i)}) {text}" for i, text in enumerate(self.options))
        return f"**Exercise.** {self.prompt.splitlines()[0]}{items}"


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
