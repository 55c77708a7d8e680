"""The exercise mechanism: right answers pass, typical wrong ones get the right feedback, and
nothing a reader types or writes can break a check (hang it, escape it, or run as code).

Each chapter's own exercises are tried in tests/test_exercise_cases.py.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import sympy

import mathdl as md
from mathdl.exercises import Exercise, Feedback, choice, code, numeric, runner, symbolic


def make(checker):
    return Exercise("prompt", check=checker, hint="a hint", solution="the solution")


SIGMOID_PRIME = make(symbolic("exp(-x) / (1 + exp(-x))**2"))


@pytest.mark.parametrize("blank", [None, ..., "", "   \n"])
@pytest.mark.parametrize("checker", [symbolic("x"), numeric(1.0), code(abs, [1.0]),
                                     choice(["yes", "no"], "a", why={"b": "no"})])
def test_blank_answer_gets_a_polite_nudge(blank, checker):
    feedback = make(checker).check(blank)
    assert not feedback and feedback.kind == "blank"
    assert repr(feedback).startswith("✎ No answer yet")


def test_a_none_for_a_number_suggests_backward():
    x = md.tensor([1.0, 2.0], requires_grad=True)      # x.grad is None until backward()
    feedback = make(numeric([2.0, 4.0])).check(x.grad)
    assert feedback.kind == "blank" and "call `backward()` first" in feedback.message
    inside = make(numeric([[2.0, 4.0], [1.0, 1.0]])).check([x.grad, [1.0, 1.0]])
    assert inside.kind == "unreadable" and "call `backward()` first" in inside.message
    assert "backward" not in make(symbolic("x")).check(None).message


# ---------------------------------------------------------------- symbolic

@pytest.mark.parametrize("answer", [
    "sigmoid(x) * (1 - sigmoid(x))",        # a different but equivalent form
    "σ(x)(1 - σ(x))",                       # implicit product, Greek name
    "σ(x)·(1 − σ(x))",                      # pasted Unicode: middle dot, minus sign
    "exp(x) / (exp(x) + 1)^2",              # ^ for powers
    "e^(-x)/(1 + e^(-x))²",                 # e, a superscript square
    "1/(4*cosh(x/2)**2)",                   # equivalent only after real simplification
])
def test_symbolic_accepts_equivalent_strings(answer):
    feedback = SIGMOID_PRIME.check(answer)
    assert feedback and feedback.kind == "correct", feedback


def test_symbolic_accepts_sympy_expressions_with_the_readers_own_symbols():
    x = sympy.Symbol("x")  # no assumptions, unlike the checker's real symbol
    assert SIGMOID_PRIME.check(sympy.exp(x) / (1 + sympy.exp(x)) ** 2)
    y, z = sympy.symbols("y z", positive=True)
    assert make(symbolic("y*z + 1", variables="y z")).check(z * y + 1)
    assert make(symbolic("y*z + 1", variables="y z")).check(z * y).kind == "offset"
    assert "uses w" in make(symbolic("y", variables="y")).check(sympy.Symbol("w")).message


@pytest.mark.parametrize("answer, kind, words", [
    ("-sigmoid(x) * (1 - sigmoid(x))", "sign", "sign"),
    ("2 * sigmoid(x) * (1 - sigmoid(x))", "factor", "2 times"),
    ("sigmoid(x) * (1 - sigmoid(x)) + 1", "offset", "1 more"),
    ("sigmoid(x)", "value", "At x = 0.7 your formula gives 0.668188, but the right one gives 0.22"),
    ("sigmoid(y)", "unreadable", "uses y, which is not a variable of this exercise; the "
                                 "variable is x"),
    ("N * x + S", "unreadable", "uses N and S, which are not variables"),
    ("x**", "unreadable", "ends too early"),
    ("__import__('os').system('echo hi')", "unreadable", "`__import__` is not a function"),
    ("9**9**9", "unreadable", "too large"),
    ([1, 2], "unreadable", "got a list"),
])
def test_symbolic_explains_wrong_answers(answer, kind, words):
    feedback = SIGMOID_PRIME.check(answer)
    assert not feedback and feedback.kind == kind
    assert words in feedback.message


def test_symbolic_explains_with_a_value_at_a_chosen_point():
    feedback = make(symbolic("x*y", variables="x y", points=[(2, 3)])).check("x + y")
    assert feedback.kind == "value"
    assert feedback.message == "At x = 2, y = 3 your formula gives 5, but the right one gives 6."


def test_symbolic_rejects_a_near_miss_and_says_why():
    circle = make(symbolic("pi*x"))
    assert circle.check("πx") and circle.check("pi x") and circle.check("3.14159265358979324x")
    near = circle.check("3.14*x")
    assert not near and near.kind == "value" and "instead of decimals" in near.message
    assert not circle.check("3.1416x") and not circle.check("22/7 x")
    assert make(symbolic("x/3")).check("0.333x").kind == "value"
    assert make(symbolic("x/2")).check("0.5x")      # a decimal that is exact is fine


def test_symbolic_says_neither_only_when_neither_can_be_evaluated():
    at_zero = make(symbolic("x", points=[(0,), (1,), (2,)]))
    mine_only = at_zero.check("1/x")
    assert mine_only.kind == "value" and "neither" not in mine_only.message
    assert mine_only.message.startswith("At x = 0 your formula cannot be evaluated")
    log_at_zero = make(symbolic("1/x", points=[(0,)]))
    assert "and neither can" in log_at_zero.check("log(x)").message
    assert "which cannot" in log_at_zero.check("x").message


def test_symbolic_mistakes_are_named():
    ex = make(symbolic("3*x**2", mistakes={"3*x**3": "Lower the power.", "x^3": "Differentiate."}))
    assert ex.check("3x³").kind == "mistake" and ex.check("3x³").message == "Lower the power."
    assert ex.check("x*x*x").message == "Differentiate."          # equivalence, not text
    assert ex.check("x**2").kind == "factor"                        # not a listed mistake
    assert ex.check("3x²")
    assert [m for _, m in ex.checker.mistakes] == ["Lower the power.", "Differentiate."]


def test_symbolic_time_limit_stops_a_slow_comparison(monkeypatch):
    monkeypatch.setattr(runner, "TIME_LIMIT", 0.2)
    ex = make(symbolic("x", points=[(0.5,)]))   # one point: SymPy's simplify decides
    monkeypatch.setattr(sympy, "simplify", lambda e: time.sleep(5))
    feedback = ex.check("x + 0")
    assert feedback.kind == "timeout" and "more than 0.2 seconds" in feedback.message


def test_symbolic_time_limit_counts_only_the_readers_answer(monkeypatch):
    """Importing SymPy and reading the answer key (slow on a first check) is not timed."""
    from mathdl.exercises import checkers

    read = checkers._formula

    def slow_for_the_key(sympy_, answer, symbols):
        if answer == "x**2 + 1":
            time.sleep(0.5)
        return read(sympy_, answer, symbols)

    monkeypatch.setattr(checkers, "_formula", slow_for_the_key)
    monkeypatch.setattr(runner, "TIME_LIMIT", 0.3)
    assert make(symbolic("x**2 + 1")).check("x² + 1").kind == "correct"


def test_symbolic_variables_are_checked():
    with pytest.raises(ValueError, match="symbolic: variables must be names"):
        symbolic("x", variables="x 1y")


# ---------------------------------------------------------------- numeric

@pytest.mark.parametrize("answer", [[[1, 2], [3, 4]], np.array([[1.0, 2.0], [3.0, 4.0 + 1e-9]]),
                                    md.tensor([[1.0, 2.0], [3.0, 4.0]]), "[[1, 2], [3, 4]]",
                                    ((1, 2), (3, 4)), [md.tensor([1.0, 2.0]), [3, 4]]])
def test_numeric_accepts_lists_arrays_tensors_and_text(answer):
    assert make(numeric([[1, 2], [3, 4]])).check(answer).kind == "correct"


@pytest.mark.parametrize("answer, kind, words", [
    ([[1, 2, 3]], "shape", "shape (1, 3), but the answer has shape (2, 2)"),
    ([[-1, -2], [-3, -4]], "sign", "sign is flipped"),
    ([[0.5, 1], [1.5, 2]], "factor", "0.5 times"),
    ([[1, 2], [3, 5]], "value", "1 of 4 entries is off; the first is at index (1, 1), where you"),
    ([[1, 2], [3, np.nan]], "value", "inf or nan"),
    ([[1, 2], [3]], "unreadable", "rows of your answer have different lengths"),
    ("four", "unreadable", "I could not read 'four' as a number"),
    ({"a": 1}, "unreadable", "Expected a number or an array, got a dict"),
    ([[1, 2], [3, True]], "unreadable", "True is not a number"),
    (10 ** 400, "unreadable", "too large for a floating-point number"),
    (1 + 2j, "unreadable", "complex"),
])
def test_numeric_explains_wrong_answers(answer, kind, words):
    feedback = make(numeric([[1, 2], [3, 4]])).check(answer)
    assert not feedback and feedback.kind == kind
    assert words in feedback.message


def test_numeric_reads_strided_and_integer_arrays():
    wide = np.arange(12.0).reshape(3, 4)
    assert make(numeric([[0, 2], [4, 6], [8, 10]])).check(wide[:, ::2])
    assert make(numeric([1, 2])).check(np.array([1, 2], dtype=np.int8))


def test_numeric_spots_a_transposed_matrix_and_scalar_direction():
    assert "transposed" in make(numeric(np.ones((2, 3)))).check(np.ones((3, 2))).message
    scalar = make(numeric(2.5))
    assert scalar.check(2.5 + 1e-9)
    assert scalar.check(2.6).message == "2.6 is too large (relative error 0.04)."
    assert scalar.check(2.4).message.startswith("2.4 is too small")
    assert scalar.check(5.0).kind == "factor"  # a clean factor of 2 is worth saying
    assert scalar.check([2.5]) and scalar.check(md.tensor([2.5]))   # one entry is a number


@pytest.mark.parametrize("text", ["1/2", "0.5", " 0.5 ", "2^-1", "2**-1", "sqrt(1/4)", "5e-1",
                                  "1 / 2", "½"])
def test_numeric_reads_a_number_written_as_text(text):
    assert make(numeric(0.5)).check(text), text


def test_numeric_text_that_is_not_a_number_is_refused_in_a_sentence():
    half = make(numeric(0.5))
    assert half.check("'0.5'").kind == "unreadable"      # quotes inside the string
    assert "point: 0.5, not 0,5" in half.check("0,5").message
    assert "a number is expected here, without variables" in half.check("x/2").message
    assert "not a real number" in half.check("sqrt(-1)").message


def test_numeric_rtol_is_relative_to_the_expected_value():
    big, small = make(numeric(1000.0, rtol=1e-3, atol=0)), make(numeric(0.001, rtol=1e-3, atol=0))
    assert big.check(1000.9) and not big.check(1001.1)
    assert small.check(0.0010009) and not small.check(0.0010011)


def test_numeric_atol_is_absolute_and_matters_near_zero():
    zero = make(numeric([0.0, 1.0], rtol=0, atol=1e-3))
    assert zero.check([0.0009, 1.0009]) and not zero.check([0.0011, 1.0])
    assert not make(numeric(0.0, rtol=0.5, atol=0)).check(1e-12)   # rtol alone: only exact 0
    assert make(numeric(0.0)).check(1e-10)                          # the default atol is 1e-9


def test_numeric_digits_accept_the_answer_rounded_as_the_solution_states_it():
    ex = make(numeric(0.25 ** 10, digits=2))          # ≈ 9.5 × 10⁻⁷
    assert ex.check(9.5e-7) and ex.check("9.5e-7") and ex.check(9.537e-7)
    assert not ex.check(9.6e-7) and not ex.check(9.4e-7) and not ex.check(1e-6)
    assert not make(numeric(0.25 ** 10)).check(9.5e-7)   # without digits, 9.5e-7 is too far
    entries = make(numeric([2 / 7, 50 / 7], digits=3))
    assert entries.check([0.286, 7.14]) and not entries.check([0.286, 7.15])


def test_numeric_arguments_are_checked_before_anything_is_built():
    with pytest.raises(ValueError, match="numeric: rtol must be a finite number in"):
        numeric(1.0, rtol=-1)
    with pytest.raises(ValueError, match="numeric: digits must be a whole number >= 1"):
        numeric(1.0, digits=0.5)
    with pytest.raises(TypeError, match="numeric: mistakes must be a dict or a list"):
        numeric(1.0, mistakes=[(2.0,)])


def test_numeric_mistakes_values_tests_and_order():
    steps = make(numeric(1375, rtol=0, atol=0, mistakes=[
        (1374, "round up"),
        ("1/2", "a half"),
        (lambda k: k % 1 != 0, "a whole number"),
        ([1375, 1375], "one number"),
    ]))
    assert steps.check(1375) and steps.check("1375")
    assert steps.check(1374).kind == "mistake" and steps.check(1374).message == "round up"
    assert steps.check(1374.6).message == "a whole number"     # a test ``lambda got: ...``
    assert steps.check([1375, 1375]).message == "one number"   # another shape may be listed
    assert steps.check(0.5).message == "a half"                 # a number as text; first wins
    assert steps.check(1376).kind == "value"                    # nothing listed: the usual
    rel = make(numeric(2.0, rtol=1e-2, mistakes=[(4.0, "doubled")]))
    assert rel.check(4.03).message == "doubled"                 # the answer's tolerance applies
    assert rel.check(4.1).kind == "value"


# ---------------------------------------------------------------- code

def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


SOFTMAX = make(code(softmax, [np.array([0.0, 1.0]), np.array([1000.0, 1000.0, 0.0])]))


def test_code_accepts_a_correct_function_and_reports_the_first_failing_input():
    assert SOFTMAX.check(softmax).message == "Your function passed all 2 test inputs."
    with np.errstate(over="ignore", invalid="ignore"):  # overflows on the 2nd input
        naive = SOFTMAX.check(lambda z: np.exp(z) / np.exp(z).sum())
    assert naive.kind == "value" and naive.message.startswith("On input ([1000., 1000.,    0.])")
    assert "inf or nan" in naive.message


def test_code_reports_exceptions_wrong_shapes_and_non_functions():
    raised = SOFTMAX.check(lambda z: z.nonexistent)
    assert raised.kind == "error" and "raised AttributeError" in raised.message
    assert SOFTMAX.check(lambda z: z[:1]).kind == "shape"
    assert SOFTMAX.check(lambda z: "text").message == ("Your function returned a str on input "
                                                       "([0., 1.]), not numbers.")
    assert SOFTMAX.check(lambda z: None).message.startswith("Your function returns nothing")
    assert SOFTMAX.check(42).message == "Expected a function (def or lambda), got an int."
    assert "must take 1 argument" in SOFTMAX.check(lambda: 0).message


def test_code_says_when_a_written_function_returns_none():
    def forgot_return(z):
        e = np.exp(z)
        e / e.sum()

    feedback = SOFTMAX.check(forgot_return)
    assert feedback.kind == "unreadable" and "does it `return` its result?" in feedback.message


def test_code_gives_the_reader_copies_of_the_inputs():
    def mutating(z):
        z -= z.max()
        z[:] = np.exp(z)
        return z / z.sum()

    assert SOFTMAX.check(mutating)
    assert SOFTMAX.check(softmax)  # the stored inputs were not changed by the previous call


def test_code_hands_over_plain_python_numbers():
    seen = []
    ex = make(code(lambda n: n * 2, [np.int64(3), 4, (np.float64(0.5),)]))

    def strict(n):
        seen.append(type(n))
        return md.checks.whole("n", n) * 2 if isinstance(n, int) else n * 2

    assert ex.check(strict)
    assert seen == [int, int, float]


def test_code_runs_the_reference_once():
    calls = []

    def reference(x):
        calls.append(x)
        return x + 1

    ex = make(code(reference, [1, 2]))
    for _ in range(3):
        assert ex.check(lambda x: x + 1)
    assert calls == [1, 2]


def test_code_time_limit_stops_an_endless_function_and_says_so():
    def endless(x):
        while True:
            pass

    started = time.monotonic()
    feedback = make(code(abs, [1.0], time_limit=0.3)).check(endless)
    assert time.monotonic() - started < 3      # (generous: the machine is shared)
    assert feedback.kind == "timeout"
    assert feedback.message == ("Your function did not finish within 0.3 seconds on input (1), "
                                "so it was stopped: is there a loop that never ends?")
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL      # the handler is put back


def test_code_catches_exit_and_keyboard_interrupt():
    ex = make(code(abs, [1.0]))
    assert ex.check(lambda x: sys.exit(1)).message == (
        "Your function called exit() (SystemExit) on input (1); a function should `return` its "
        "result instead.")

    def interrupted(x):
        raise KeyboardInterrupt

    assert ex.check(interrupted).message == ("Your function was interrupted (KeyboardInterrupt) "
                                             "on input (1).")


def test_code_captures_printed_output_and_shows_it_only_when_it_helps(capsys):
    def chatty(z):
        for i in range(5000):
            print("step", i)
        return softmax(z)

    def chatty_and_wrong(z):
        print("z is", z)
        return z

    assert SOFTMAX.check(chatty).message == "Your function passed all 2 test inputs."
    wrong = SOFTMAX.check(chatty_and_wrong)
    assert wrong.message.endswith("It printed 'z is [0. 1.]'.")
    raised = SOFTMAX.check(lambda z: print("x" * 500) or 1 / 0)
    assert "It printed 'xxxx" in raised.message and len(raised.message) < 250
    assert capsys.readouterr().out == ""                # nothing reached the notebook


def test_code_mistakes_need_agreement_on_every_input():
    ex = make(code(lambda w, g: w - g, [(2.0, 0.5), (3.0, 0.25)],
                   mistakes=[(lambda w, g: w + g, "Subtract the gradient.")]))
    assert ex.check(lambda w, g: w + g).kind == "mistake"
    almost = ex.check(lambda w, g: w + g if w < 2.5 else 0.0)   # agrees on the first input only
    assert almost.kind == "value"
    assert almost.message == "On input (2, 0.5): 2.5 is too large (relative error 0.67)."


def test_code_checks_an_experiment_by_its_number():
    """The pattern for "run a small experiment": the reader's function returns its number."""

    def reference(lr):
        x = md.tensor([1.0], requires_grad=True)
        opt = md.optim.SGD([x], lr=lr)
        for _ in range(20):
            opt.zero_grad()
            (x * x).sum().backward()
            opt.step()
        return x.item()

    experiment = make(code(reference, [(0.1,), (0.4,)], rtol=1e-6))
    assert experiment.check(lambda lr: (1 - 2 * lr) ** 20)      # the closed form agrees
    assert experiment.check(lambda lr: (1 - lr) ** 20).kind == "value"
    no_arguments = make(code(lambda: reference(0.1)))
    assert no_arguments.check(lambda: 0.8 ** 20).message == "Your function passed the test."
    reported = make(numeric(reference(0.1), rtol=0.05))       # or the reader reports the number
    assert reported.check(0.0115) and not reported.check(0.02)


# ---------------------------------------------------------------- choice

DIVERGES = choice(["It converges slowly", "It oscillates and diverges", "It stops at once"],
                  answer="b", why={"a": "Each step multiplies x by 1 - 2η = -1.02: |x| grows.",
                                   "b": "x flips sign each step and grows by 2%.",
                                   "c": "It stops only where the gradient is zero."})


@pytest.mark.parametrize("answer", ["b", "B", "(b)", "b)", "b.", " (B) ", "b) It oscillates",
                                    "It oscillates and diverges", "it oscillates and diverges.",
                                    1, np.int64(1)])
def test_choice_reads_a_letter_a_text_or_an_index(answer):
    feedback = make(DIVERGES).check(answer)
    assert feedback and feedback.message == "(b) x flips sign each step and grows by 2%."


def test_choice_explains_each_wrong_option():
    ex = make(DIVERGES)
    assert ex.check("a").kind == "mistake"
    assert ex.check("a").message == "(a) Each step multiplies x by 1 - 2η = -1.02: |x| grows."
    assert ex.check(2).message == "(c) It stops only where the gradient is zero."
    assert [letter for letter, _ in ex.checker.mistakes] == ["a", "c"]


@pytest.mark.parametrize("answer", ["d", "z", 3, -1, True, "ab", "It diverges", ["b"], 1.0])
def test_choice_refuses_what_is_not_an_option(answer):
    feedback = make(DIVERGES).check(answer)
    assert feedback.kind == "unreadable"
    assert feedback.message == ("Answer with the letter of one option, from 'a' to 'c' (or its "
                                "text).")


def test_choice_prompt_lists_the_options():
    ex = Exercise("What happens?", check=DIVERGES, hint="h", solution="s")
    assert ex.prompt == ("What happens?\n(a) It converges slowly\n(b) It oscillates and diverges"
                         "\n(c) It stops at once")
    html = ex._repr_html_()
    assert html.startswith('<div style="white-space: pre-line"><b>Exercise.</b> '
                           'What happens?</div>')
    assert html.endswith("<li>(c) It stops at once</li></ul>")
    assert ex.options == ["It converges slowly", "It oscillates and diverges", "It stops at once"]


def test_choice_needs_an_explanation_for_every_wrong_option():
    with pytest.raises(ValueError, match=r"explain every wrong option; missing: \(c\)"):
        choice(["x", "y", "z"], answer=0, why={"b": "because"})
    with pytest.raises(ValueError, match="answer must name one of the options"):
        choice(["x", "y"], answer="c", why=["", "no"])
    with pytest.raises(ValueError, match="'d' is not an option"):
        choice(["x", "y"], answer="a", why={"b": "no", "d": "?"})
    with pytest.raises(ValueError, match="the number of options must be a whole number >= 2"):
        choice(["only"], answer="a", why={})
    listed = choice(["x", "y"], answer="x", why=["right, because", "wrong, because"])
    assert listed("x").message == "(a) right, because" and not listed("y")


# ---------------------------------------------------------------- the runner

def test_time_limit_restores_the_previous_handler_and_timer():
    rung = []

    def mine(signum, frame):
        rung.append(signum)

    original = signal.signal(signal.SIGALRM, mine)
    signal.setitimer(signal.ITIMER_REAL, 50.0)
    try:
        outcome = runner.run(time.sleep, (5,), seconds=0.2)
        assert isinstance(outcome.error, runner.TimeUp)
        assert signal.getsignal(signal.SIGALRM) is mine and rung == []
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 45 < left <= 50                          # the outer timer runs on
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, original)


def test_time_limit_is_not_an_exception_a_reader_can_swallow():
    def stubborn():
        while True:
            try:
                sum(range(1000))
            except Exception:
                pass

    assert issubclass(runner.TimeUp, BaseException) and not issubclass(runner.TimeUp, Exception)
    assert isinstance(runner.run(stubborn, (), seconds=0.2).error, runner.TimeUp)


def test_a_late_alarm_after_the_body_is_ignored():
    for _ in range(20):   # bodies that end right at the limit
        outcome = runner.run(time.sleep, (0.01,), seconds=0.01)
        assert outcome.error is None or isinstance(outcome.error, runner.TimeUp)
    time.sleep(0.1)       # no alarm may still be pending or armed
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_limit_off_the_main_thread_traces_python_lines():
    results = []

    def endless():
        while True:
            pass

    def worker():
        results.append(runner.run(endless, (), seconds=0.2))
        results.append(make(code(abs, [1.0], time_limit=0.2)).check(lambda x: endless()))
        results.append(sys.gettrace())      # the thread's trace function is put back

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(10)
    assert not thread.is_alive()
    assert isinstance(results[0].error, runner.TimeUp) and results[1].kind == "timeout"
    assert results[2] is None and signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


def test_run_captures_output_and_caps_it():
    def flood():
        for i in range(10_000):
            print(i)
        sys.stderr.write("warning, no newline")
        return 7

    outcome = runner.run(flood)
    assert outcome.value == 7 and outcome.error is None
    assert len(outcome.output) == runner.OUTPUT_CHARS and outcome.output.startswith("0\n1\n")
    assert outcome.lines == 10_001


# ---------------------------------------------------------------- display and plumbing

def test_feedback_displays_as_text_and_html():
    good, bad = Feedback(True, "correct", ""), Feedback(False, "sign", "Flip <it>.")
    assert repr(good) == "✓ Correct!" and repr(bad) == "✗ Not yet. Flip <it>."
    assert "&lt;it&gt;" in bad._repr_html_() and bool(good) and not bool(bad)


def test_hint_solution_and_prompt_render():
    ex = make(numeric(1.0))
    assert repr(ex.hint()) == "Hint: a hint"
    assert ex.solution()._repr_markdown_() == "**Solution.** the solution"
    assert repr(ex) == "Exercise: prompt"
    plain = Exercise("Is x**3 < 2*x_1?", check=numeric(1.0), hint="h", solution="s")
    assert "Is x**3 &lt; 2*x_1?</div>" in plain._repr_html_()   # escaped, not Markdown
    assert "<ul" not in plain._repr_html_()


def test_a_broken_checker_still_gives_feedback_not_a_traceback():
    def broken(answer):
        raise RuntimeError("bug in the chapter")

    feedback = make(broken).check(1)
    assert feedback.kind == "error" and "checker failed (RuntimeError)" in feedback.message


def test_exercise_needs_a_checker():
    with pytest.raises(TypeError, match="must be a checker"):
        Exercise("p", check="3*x**2", hint="", solution="")


def test_chapters_are_attributes_imported_on_first_use():
    assert "chapter0" in dir(md.exercises)
    assert md.exercises.chapter0.derivative_of_cube.check("3*x^2")
    with pytest.raises(AttributeError, match="chapters with exercises are: chapter0"):
        getattr(md.exercises, "chapter99")  # noqa: B009 (attribute access is what is tested)


def test_every_chapter_exercise_has_text_and_a_working_checker():
    for chapter in [c for c in dir(md.exercises) if c.startswith("chapter")]:
        module = getattr(md.exercises, chapter)
        exercises = [v for v in vars(module).values() if isinstance(v, Exercise)]
        assert exercises, f"{chapter} defines no exercises"
        for ex in exercises:
            assert ex.prompt and ex.hint().text and ex.solution().text
            assert ex.check(None).kind == "blank"
            assert ex.checker.expects in {"formula", "numbers", "function", "option"}


def test_importing_mathdl_and_its_exercises_does_not_import_sympy():
    script = ("import sys, mathdl as md; ex = md.exercises.chapter2.derivative_of_silu; "
              "ex.check(...); "
              "md.exercises.chapter0.gradient_of_sum_of_cubes.check([1, 10, -1.25]); "
              "print('sympy' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env=env).stdout
    assert out.strip() == "False"


# ---- issue 19: bugs in the checkers that used to go unnoticed ----------------------------------
def test_symbolic_refuses_a_formula_undefined_where_the_answer_is_defined():
    """x·ln(x²)/(2 ln x) equals x for x > 0 except at x = 1, where it is 0/0."""
    ex = make(symbolic("x", points=[(1,), (2,), (3,), (4,)]))
    feedback = ex.check("x*log(x**2)/(2*log(x))")
    assert not feedback and "At x = 1 your formula cannot be evaluated" in feedback.message
    assert ex.check("x*(x - 1)/(x - 1)")     # SymPy cancels this one itself: it is x everywhere


def test_numeric_defaults_and_zero_tolerance():
    assert make(numeric(3.0, rtol=0, atol=0)).check(3)          # exact is always close enough
    assert not make(numeric(3.0, rtol=0, atol=0)).check(3 + 1e-15 * 4)
    default = make(numeric(1.0))                                  # rtol 1e-6, atol 1e-9
    assert default.check(1 + 9e-7) and not default.check(1 + 2e-6)
