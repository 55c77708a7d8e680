"""Every exercise of every chapter, answered the way readers answer.

The rows come from ``tests/exercise_cases/chapterN.py`` (see that package's docstring): right
answers in several forms must pass, typical mistakes must get their feedback. Then hostile
answers, the same for every exercise: text that would run code, exponent towers, huge numbers,
and functions that never return, exit, interrupt or flood the output.
"""

import builtins
import importlib
import sys
import time

import pytest

import mathdl as md
from mathdl.exercises import Exercise, Feedback

CHAPTERS = [c for c in dir(md.exercises) if c.startswith("chapter")]


def exercises(chapter):
    module = getattr(md.exercises, chapter)
    return {name: ex for name, ex in vars(module).items() if isinstance(ex, Exercise)}


def cases(chapter):
    try:
        return importlib.import_module(f"tests.exercise_cases.{chapter}").CASES
    except ModuleNotFoundError:
        return {}


def rows(part):
    return [pytest.param(c, name, row, id=f"{c}-{name}-{i}") for c in CHAPTERS
            for name, table in cases(c).items() for i, row in enumerate(table[part])]


def every(expects=None):
    return [pytest.param(c, name, id=f"{c}-{name}") for c in CHAPTERS
            for name, ex in exercises(c).items()
            if expects is None or ex.checker.expects in expects]


def short(feedback):
    """The issue's bar for a message: one line, a sentence or two, no traceback."""
    text = feedback.message
    return isinstance(feedback, Feedback) and "\n" not in text and len(text) <= 320 \
        and "Traceback" not in text


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exercise_has_its_rows(chapter):
    table, found = cases(chapter), exercises(chapter)
    assert table, f"tests/exercise_cases/{chapter}.py with a CASES dict is missing"
    assert set(table) == set(found), "CASES must have one entry per exercise"
    for name, ex in found.items():
        right, wrong = table[name]["right"], table[name]["wrong"]
        assert len(right) >= 3 and len(wrong) >= 3, f"{name}: three right, three wrong at least"
        if ex.checker.expects == "formula":
            assert any(isinstance(a, str) and not a.isascii() for a in right), \
                f"{name}: a right answer written with Unicode (x², ·, −, σ …)"
        said = [ex.check(answer).message for answer, _, _ in wrong]
        for _, message in ex.checker.mistakes:
            assert any(message in s for s in said), f"{name}: no row reaches {message!r}"


@pytest.mark.parametrize("chapter, name, answer", rows("right"))
def test_right_answer_passes(chapter, name, answer):
    feedback = exercises(chapter)[name].check(answer)
    assert feedback and feedback.kind == "correct", feedback


@pytest.mark.parametrize("chapter, name, row", rows("wrong"))
def test_typical_mistake_gets_its_feedback(chapter, name, row):
    answer, kind, phrase = row
    feedback = exercises(chapter)[name].check(answer)
    assert not feedback and feedback.kind == kind, feedback
    assert phrase is None or phrase in feedback.message, feedback.message
    assert feedback.message and short(feedback), feedback.message


@pytest.mark.parametrize("chapter, name", every())
@pytest.mark.parametrize("blank", [None, ..., "", "   \n"])
def test_blank_answer_gets_the_polite_nudge(chapter, name, blank):
    feedback = exercises(chapter)[name].check(blank)
    assert not feedback and feedback.kind == "blank"
    assert repr(feedback).startswith("✎ No answer yet")


# ---------------------------------------------------------------- hostile answers

HOSTILE = [
    "__import__('os').system('echo hacked')", "9**9**9", "10^10^10^10", "2^(2^(2^(2^(2^9))))",
    "1" + "0" * 400, "(" * 500 + "x" + ")" * 500, "x" * 2000, "exp(" * 60 + "x" + ")" * 60,
    "lambda: 0", "x.__class__", "[c for c in ()]", "open('f', 'w')", "exec('1')", "N*x + S",
    "f(x)", "x = 3", "\x00", "x ** -", b"3*x**2", 10 ** 400, float("nan"), float("inf"), True,
    1j, object(), {"x": 1}, [[1, 2], [3]], [None], print, sys.exit,
]


@pytest.mark.parametrize("chapter, name", every())
def test_hostile_answers_get_a_sentence_not_a_traceback(chapter, name, capsys):
    ex = exercises(chapter)[name]
    for answer in HOSTILE:
        feedback = ex.check(answer)
        assert not feedback and short(feedback), (repr(answer)[:40], feedback)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("chapter, name", every({"formula"}))
def test_exponent_towers_are_refused_before_sympy(chapter, name, monkeypatch):
    monkeypatch.setattr(md.exercises.runner, "TIME_LIMIT", 2.0)   # refused, not timed out
    ex = exercises(chapter)[name]
    v = ex.checker.variables[0]
    for tower in ["9**9**9", "10^10^10^10", f"{v}^(9^9)", f"(9^99)^99 {v}", "1" + "0" * 400]:
        feedback = ex.check(tower)
        assert feedback.kind == "unreadable" and "too large" in feedback.message, feedback


ATTACKS = [
    "__import__('pathlib').Path({marker!r}).touch()",
    "open({marker!r}, 'w').write('ran')",
    "__import__('builtins').__setattr__('HACKED', 1)",
    "setattr(__import__('builtins'), 'HACKED', 1)",
    "exec(\"import builtins; builtins.HACKED = 1\")",
    "(lambda: __import__('builtins').__setattr__('HACKED', 1))()",
    "().__class__.__base__.__subclasses__()",
]


@pytest.mark.parametrize("chapter, name", every({"formula", "numbers"}))
def test_text_that_would_run_code_is_refused_and_runs_nothing(chapter, name, tmp_path):
    marker = tmp_path / "ran.txt"
    ex = exercises(chapter)[name]
    for attack in ATTACKS:
        feedback = ex.check(attack.format(marker=str(marker)))
        assert feedback.kind == "unreadable", feedback
        assert not marker.exists() and not hasattr(builtins, "HACKED"), attack
    named = ex.check("__import__('os').system('echo hacked')").message
    assert "`__import__` is not a function this exercise knows" in named


def _loops(*args):
    while True:
        pass


def _catches_exceptions(*args):
    while True:
        try:
            while True:
                pass
        except Exception:   # a reader's catch-all: the time limit is not an Exception
            pass


def _sleeps(*args):
    time.sleep(30)


def _exits(*args):
    sys.exit(3)


def _interrupts(*args):
    raise KeyboardInterrupt


def _floods(*args):
    print("\n".join(f"spam {i}" for i in range(20_000)))   # one call: quick under 0.2 s
    return 0.123


def _recurses(*args):
    return _recurses(*args)


def _generator(*args):
    yield 1


CODE_HOSTILE = [
    (_loops, "timeout", "did not finish within 0.2 seconds"),
    (_catches_exceptions, "timeout", "is there a loop that never ends?"),
    (_sleeps, "timeout", "so it was stopped"),
    (_exits, "error", "called exit() (SystemExit)"),
    (_interrupts, "error", "interrupted (KeyboardInterrupt)"),
    (_floods, None, "It printed 'spam 0' (20,000 lines in all)."),
    (_recurses, "error", "RecursionError"),
    (lambda *a: 10 ** 400, "unreadable", "too large"),
    (lambda *a: "0.5", "unreadable", "returned a str"),
    (_generator, "unreadable", "returned a generator"),
    (lambda *a: 1 / 0, "error", "ZeroDivisionError: division by zero"),
    (lambda *a: [None], "unreadable", "call `backward()` first"),
    (lambda *a: exec("raise ValueError('x' * 10_000)"), "error", "ValueError: xxx"),
]


@pytest.mark.parametrize("chapter, name", every({"function"}))
def test_hostile_functions_are_stopped_and_reported(chapter, name, monkeypatch, capsys):
    monkeypatch.setattr(md.exercises.runner, "TIME_LIMIT", 0.2)
    ex = exercises(chapter)[name]
    for function, kind, phrase in CODE_HOSTILE:
        feedback = ex.check(function)
        assert not feedback and short(feedback), (function, feedback)
        assert kind is None or feedback.kind == kind, (function, feedback)
        assert phrase in feedback.message, (function, feedback.message)
    assert capsys.readouterr().out == ""   # nothing reached the notebook
