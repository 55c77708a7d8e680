"""The exercise mechanism: right answers pass, typical wrong ones get the right feedback."""

import numpy as np
import pytest
import sympy

import mathdl as md
from mathdl.exercises import Exercise, Feedback, code, numeric, symbolic


def make(checker):
    return Exercise("prompt", check=checker, hint="a hint", solution="the solution")


SIGMOID_PRIME = make(symbolic("exp(-x) / (1 + exp(-x))**2"))


@pytest.mark.parametrize("blank", [None, ..., "", "   \n"])
@pytest.mark.parametrize("checker", [symbolic("x"), numeric(1.0), code(abs, [1.0])])
def test_blank_answer_gets_a_polite_nudge(blank, checker):
    feedback = make(checker).check(blank)
    assert not feedback and feedback.kind == "blank"
    assert repr(feedback).startswith("✎ No answer yet")


@pytest.mark.parametrize("answer", [
    "sigmoid(x) * (1 - sigmoid(x))",        # a different but equivalent form
    "σ(x)(1 - σ(x))",                       # implicit product, Greek name
    "exp(x) / (exp(x) + 1)^2",              # ^ for powers
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


@pytest.mark.parametrize("answer, kind, words", [
    ("-sigmoid(x) * (1 - sigmoid(x))", "sign", "sign"),
    ("2 * sigmoid(x) * (1 - sigmoid(x))", "factor", "2 times"),
    ("sigmoid(x) * (1 - sigmoid(x)) + 1", "offset", "1 more"),
    ("sigmoid(x)", "value", "At x = 0.7 your formula gives 0.668188, but the right one gives 0.22"),
    ("sigmoid(y)", "unreadable", "uses y"),
    ("x**", "unreadable", "could not read"),
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


@pytest.mark.parametrize("answer", [[[1, 2], [3, 4]], np.array([[1.0, 2.0], [3.0, 4.0 + 1e-9]]),
                                    md.tensor([[1.0, 2.0], [3.0, 4.0]])])
def test_numeric_accepts_lists_arrays_and_tensors(answer):
    assert make(numeric([[1, 2], [3, 4]])).check(answer).kind == "correct"


@pytest.mark.parametrize("answer, kind, words", [
    ([[1, 2, 3]], "shape", "shape (1, 3), but the answer has shape (2, 2)"),
    ([[-1, -2], [-3, -4]], "sign", "sign is flipped"),
    ([[0.5, 1], [1.5, 2]], "factor", "0.5 times"),
    ([[1, 2], [3, 5]], "value", "1 of 4 entries is off; the first is at index (1, 1), where you"),
    ([[1, 2], [3, np.nan]], "value", "inf or nan"),
    ("four", "unreadable", "Expected a number or an array"),
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
    assert SOFTMAX.check(lambda z: "text").kind == "unreadable"
    assert SOFTMAX.check(lambda z: None).message.startswith("Your function returns nothing")
    assert SOFTMAX.check(42).message == "Expected a function (def or lambda), got a int."


def test_code_gives_the_reader_copies_of_the_inputs():
    def mutating(z):
        z -= z.max()
        z[:] = np.exp(z)
        return z / z.sum()

    assert SOFTMAX.check(mutating)
    assert SOFTMAX.check(softmax)  # the stored inputs were not changed by the previous call


def test_feedback_displays_as_text_and_html():
    good, bad = Feedback(True, "correct", ""), Feedback(False, "sign", "Flip <it>.")
    assert repr(good) == "✓ Correct!" and repr(bad) == "✗ Not yet. Flip <it>."
    assert "&lt;it&gt;" in bad._repr_html_() and bool(good) and not bool(bad)


def test_hint_solution_and_prompt_render():
    ex = make(numeric(1.0))
    assert repr(ex.hint()) == "Hint: a hint"
    assert ex.solution()._repr_markdown_() == "**Solution.** the solution"
    assert repr(ex) == "Exercise: prompt"


def test_a_broken_checker_still_gives_feedback_not_a_traceback():
    def broken(answer):
        raise RuntimeError("bug in the chapter")

    feedback = make(broken).check(1)
    assert feedback.kind == "error" and "bug in the chapter" in feedback.message


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


def test_chapter0_answers():
    ch0 = md.exercises.chapter0
    assert ch0.derivative_of_cube.check("3x^2")
    assert ch0.derivative_of_cube.check("x**2").kind == "factor"
    x = md.tensor([1.0, -2.0, 3.0], requires_grad=True)
    (x**2).sum().backward()
    assert ch0.gradient_of_sum_of_squares.check(x.grad)
    assert ch0.gradient_of_sum_of_squares.check(x.data).kind == "factor"  # forgot the 2
    assert ch0.sgd_step.check(lambda w, g, lr: w - lr * g)
    assert not ch0.sgd_step.check(lambda w, g, lr: w + lr * g)
