"""Reading formulas safely: what readers type becomes the right SymPy expression, and anything
else is refused with a sentence naming it, before SymPy (or Python) sees it."""

import re
import time

import numpy as np
import pytest
import sympy as sp

from mathdl.exercises.formula import (
    MAX_EXPONENT,
    FormulaError,
    normalise,
    parse_formula,
    parse_number,
)

x, y, n, sigma = sp.symbols("x y n sigma", real=True)
X = {"x": x}
SIG = 1 / (1 + sp.exp(-x))


@pytest.mark.parametrize("text, plain", [
    ("3x²", "3x**(2)"), ("x⁻¹", "x**(-1)"), ("e⁻ˣ", "e**(-x)"), ("σ(x)·(1 − σ(x))",
                                                                   "sigma(x)*(1 - sigma(x))"),
    ("2 × 3 ÷ 4", "2 * 3 / 4"), ("√x", "sqrt(x)"), ("√(x + 1)", "sqrt(x + 1)"), ("πx", "pix"),
    ("x^2", "x**2"), ("ｘ＋１", "x+1"), ("½", "1/2"), ("λη", "lameta"),
])
def test_unicode_becomes_plain_text(text, plain):
    assert normalise(text) == plain


@pytest.mark.parametrize("text, expected", [
    ("3x^2", 3 * x ** 2), ("3x²", 3 * x ** 2), ("3·x²", 3 * x ** 2), ("3 x ^ 2", 3 * x ** 2),
    ("2xe^(-x)", 2 * x * sp.exp(-x)), ("2x exp(-x)", 2 * x * sp.exp(-x)),
    ("xexp(x)", x * sp.exp(x)), ("x(1-x)", x * (1 - x)), ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("σ(x)(1 − σ(x))", SIG * (1 - SIG)), ("sigmoid(x)", SIG), ("e⁻ˣ", sp.exp(-x)),
    ("e^-x", sp.exp(-x)), ("-x^2", -x ** 2), ("2^3^2", 512), ("1/2x", x / 2), ("x/2/2", x / 4),
    ("0.1", sp.Rational(1, 10)), ("1e-3x", x / 1000), ("√x", sp.sqrt(x)), ("2√x", 2 * sp.sqrt(x)),
    ("πx", sp.pi * x), ("pi x", sp.pi * x), ("ln(x)", sp.log(x)), ("Exp(x)", sp.exp(x)),
    ("LOG(x)", sp.log(x)), ("log(x, 2)", sp.log(x, 2)), ("abs(x)", sp.Abs(x)),
    ("relu(x)", sp.Max(0, x)), ("max(x, 1, 2)", sp.Max(x, 2)), ("tanh(x)^2", sp.tanh(x) ** 2),
    ("sin(x)cos(x)", sp.sin(x) * sp.cos(x)), ("softplus(x)", sp.log(1 + sp.exp(x))),
    ("+x", x), ("--x", x), ("x**-1", 1 / x), ("2 e", 2 * sp.E), ("xe", sp.E * x),
])
def test_formulas_are_read_as_people_write_them(text, expected):
    assert sp.simplify(parse_formula(text, X) - expected) == 0, parse_formula(text, X)


def test_variables_win_over_functions_and_constants():
    assert parse_formula("(n·σ²)⁻¹", {"sigma": sigma, "n": n}) == 1 / (n * sigma ** 2)
    assert parse_formula("nsigma", {"sigma": sigma, "n": n}) == n * sigma
    assert parse_formula("σ(x)", {"sigma": sigma, "x": x}) == sigma * x   # σ is the variable
    e = sp.Symbol("e", real=True)
    assert parse_formula("2e", {"e": e}) == 2 * e


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('echo hi')", "`__import__` is not a function this exercise "
                                           "knows; use exp, log (or ln), sqrt"),
    ("eval('1')", "`eval` is not a function"), ("f(x)", "`f` is not a function"),
    ("os.system(1)", "a '.' belongs only inside a number"),
    ("x.__class__", "a '.' belongs only inside a number"),
    ("lambda: 0", "':'"), ("[x]", "Square brackets are not part of a formula"),
    ("[c for c in x]", "uses c and for and in"),
    ("x = 3", "without '=' or a left-hand side"), ("'x'", "without quotes inside it"),
    ("|x|", "write abs(x) for |x|"), ("x!", "factorials"), ("x < 1", "not a comparison"),
    ("x @ x", "'@'"), ("x\x00", "'\\x00'"),
    ("N*x", "Your formula uses N, which is not a variable of this exercise; the variable is x."),
    ("N + S x", "uses N and S, which are not variables"), ("x y", "uses y"),
    ("sin x", "Write sin with parentheses around its argument, as in sin(x)."),
    ("exp", "Write exp with parentheses"), ("log(x, 2, 3)", "log takes 1 to 2 arguments"),
    ("sigmoid(x, 1)", "sigmoid takes 1 argument, but here it has 2"),
    ("x**", "ends too early: something is missing after '**'"), ("(x", "Expected ')'"),
    ("x)", "from ')' on"), ("*x", "Something is missing before '*'"), ("", "empty"),
    ("x, 1", "comma outside a function's parentheses"), ("3.14.15", "3.14.15 is not a number"),
    ("2 3", "Two numbers in a row (2 3)"), ("1/0", "divides by zero"), ("log(0)", "log(0)"),
])
def test_anything_else_is_refused_by_name(text, message):
    with pytest.raises(FormulaError) as refused:
        parse_formula(text, X)
    assert message in str(refused.value)


@pytest.mark.parametrize("text", ["9**9**9", "9^9^9^9^9", "10^10^10", "x^(9^9)", "x^1001",
                                  "9^999", "(10^200)^2", "2^(2^(2^(2^9)))", "1" + "0" * 301,
                                  "1e301", "exp(x)^(10^10)"])
def test_huge_numbers_and_towers_are_refused_at_once(text):
    started = time.perf_counter()
    with pytest.raises(FormulaError, match="too large"):
        parse_formula(text, X)
    assert time.perf_counter() - started < 5   # (generous: refusing takes microseconds)


def test_limits_allow_what_exercises_need():
    assert parse_formula(f"x^{MAX_EXPONENT}", X) == x ** MAX_EXPONENT
    assert parse_formula("10^300 x", X) == 10 ** 300 * x
    assert parse_formula("(1/4)^10", X) == sp.Rational(1, 4 ** 10)
    assert parse_formula("2^-1000", X) == sp.Rational(1, 2 ** 1000)     # tiny is fine
    with pytest.raises(FormulaError, match=r"\(1/2\)\^-1000 is too large"):
        parse_formula("(1/2)^-1000", X)
    with pytest.raises(FormulaError, match="nested too deeply"):
        parse_formula("(" * 41 + "x" + ")" * 41, X)
    with pytest.raises(FormulaError, match="too long"):
        parse_formula("x+" * 600 + "x", X)
    parse_formula("(" * 30 + "x" + ")" * 30, X)


def test_only_strings_are_read():
    with pytest.raises(FormulaError, match="Expected a formula as a string, got a bytes"):
        parse_formula(b"x", X)


@pytest.mark.parametrize("text, value", [
    ("1/2", 0.5), ("5.6", 5.6), ("-3", -3.0), ("2^-3", 0.125), ("sqrt(2)/2", 2 ** 0.5 / 2),
    ("1e-3", 0.001), ("(1/4)^10", 0.25 ** 10), ("[4, -2]", [4.0, -2.0]), ("4, -2", [4.0, -2.0]),
    ("(4, 4)", [4.0, 4.0]), ("[[2, 3], [3, 2]]", [[2.0, 3.0], [3.0, 2.0]]),
    ("e", 2.718281828459045), ("2π", 6.283185307179586),
])
def test_numbers_written_as_text(text, value):
    assert np.allclose(parse_number(text), value, rtol=1e-15, atol=0)


@pytest.mark.parametrize("text, message", [
    ("x", "a number is expected here, without variables"), ("sqrt(-1)", "not a real number"),
    ("(1, 2) + 1", "A list cannot be part of a calculation"), ("[1, 2] + 1", "from '+' on"),
    ("9^9^9", "too large"),
    ("__import__('os')", "`__import__` is not a function"),
])
def test_text_that_is_not_a_number_is_refused(text, message):
    with pytest.raises(FormulaError, match=re.escape(message)):
        parse_number(text)
