"""Reading a formula the way a reader types it, safely: text → tokens → tree → SymPy.

Nothing a reader types is run as Python or given to SymPy's own string parser (which runs its
input). This module reads the text itself and allows only numbers, the exercise's variables,
``+ - * / ^`` (or ``**``), parentheses and the functions in :data:`FUNCTIONS`; anything else is
refused with a :class:`FormulaError` whose message is one sentence naming what was refused.
It reads formulas as people write them::

    3x^2    3x²    2xe^(-x)    x(1 - x)    σ(x)·(1 − σ(x))    e⁻ˣ    √x    (n·σ²)⁻¹

Implicit products bind like ``*`` (``1/2x`` is ``(1/2)·x``), ``^`` is a power, a function needs
parentheses (``sin(x)``, not ``sin x``), and a run of letters that is not a known name is read as
a product of known ones (``xe`` is ``x·e``). Numbers stay exact (``0.1`` is 1/10). Exponent
towers and huge numbers are refused before SymPy sees them, so ``9**9**9`` costs nothing.

    parse_formula("2xe^(-x)", ["x"])     # a SymPy expression in the real symbol x
    parse_number("1/2")                 # 0.5;  parse_number("[4, -2]") gives [4.0, -2.0]
"""

import contextlib
import math
import operator
import re
import unicodedata

__all__ = ["FUNCTIONS", "FormulaError", "parse_formula", "parse_number", "unknown_names"]

MAX_LENGTH = 1000       # characters in a formula
MAX_DEPTH = 40          # nested parentheses and powers
MAX_EXPONENT = 1000     # |exponent| of a power with a numeric exponent
MAX_DIGITS = 300        # a number's size, in decimal digits (10^300 fits a float)


class FormulaError(ValueError):
    """A formula that cannot be read; ``str(err)`` is the sentence to show the reader."""


def _functions():
    """name -> (number of arguments, builder from SymPy and argument expressions)."""
    def one(name):
        return 1, lambda sp, a: getattr(sp, name)(a)

    table = {name: one(name) for name in ("exp", "sqrt", "sin", "cos", "tan", "tanh", "sinh",
                                          "cosh", "asin", "acos", "atan", "erf", "sign")}
    table.update({
        "log": ((1, 2), lambda sp, *a: sp.log(*a)), "ln": one("log"), "abs": one("Abs"),
        "arcsin": one("asin"), "arccos": one("acos"), "arctan": one("atan"),
        "sigmoid": (1, lambda sp, a: 1 / (1 + sp.exp(-a))),
        "relu": (1, lambda sp, a: sp.Max(0, a)),
        "softplus": (1, lambda sp, a: sp.log(1 + sp.exp(a))),
        "max": ((2, 9), lambda sp, *a: sp.Max(*a)), "min": ((2, 9), lambda sp, *a: sp.Min(*a)),
    })
    table["sigma"] = table["sigmoid"]   # σ, unless the exercise has a variable called sigma
    return table


FUNCTIONS = _functions()
CONSTANTS = {"pi": "pi", "e": "E", "E": "E"}
_KNOWN_FUNCTIONS = "exp, log (or ln), sqrt, sin, cos, tan, tanh, sigmoid (or σ), relu, abs, …"

# ---------------------------------------------------------------- Unicode → plain text

_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿˣʸⁱᵗᵏ", "0123456789+-()nxyitk"))
_GREEK = dict(zip("αβγδεζηθικλμνξπρστφχψωΔΣ",
                  "alpha beta gamma delta epsilon zeta eta theta iota kappa lam mu nu xi pi "
                  "rho sigma tau phi chi psi omega Delta Sigma".split()))
_SYMBOLS = {"·": "*", "⋅": "*", "×": "*", "∙": "*", "∗": "*", "−": "-", "–": "-", "—": "-",
            "‐": "-", "÷": "/", "∕": "/", "√": "sqrt", "π": "pi", "ϵ": "epsilon"}


def normalise(text):
    """Plain-text form of what a reader pasted: superscripts become powers (x² → x^(2)),
    ·, × and − become * and -, Greek letters their names (σ → sigma), other characters
    their compatibility form (full-width digits, ﬁ …)."""
    text = re.sub(r"√\s*([^\W\d]\w*|\d+\.?\d*)", r"sqrt(\1)", text)     # √x → sqrt(x)
    text = re.sub(f"[{''.join(_SUPERSCRIPTS)}]+",
                  lambda m: "^(" + "".join(_SUPERSCRIPTS[c] for c in m.group()) + ")", text)
    text = "".join(_SYMBOLS.get(c, _GREEK.get(c, c)) for c in text)
    return unicodedata.normalize("NFKC", text).replace("⁄", "/").replace("^", "**")   # ½


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(r"""(?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/(),\[\]])""", re.VERBOSE)

_REFUSED = {  # characters that mean something specific to a reader
    "=": "write only the formula, without '=' or a left-hand side",
    "'": "give the formula once, as one string, without quotes inside it",
    '"': "give the formula once, as one string, without quotes inside it",
    ".": "a '.' belongs only inside a number (attributes such as os.system are not formulas)",
    "|": "write abs(x) for |x|",
    "!": "factorials are not part of these formulas",
    "<": "write a formula, not a comparison", ">": "write a formula, not a comparison",
}


def _tokens(text):
    """The formula as a list of (kind, text) pairs: kind is "number", "name", "op", or "bad"
    for a character that has no place in a formula."""
    found, at = [], 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:   # kept as a "bad" token: a name before it is refused first
            found.append(("bad", text[at]))
            at += 1
            continue
        kind, at = match.lastgroup, match.end()
        if kind == "number" and at < len(text) and text[at] == ".":
            run = re.match(r"[\d.]+", text[match.start():]).group()
            raise FormulaError(f"{run} is not a number I can read.")
        if kind != "space":
            found.append((kind, match.group()))
    return found


def _split(name, known):
    """``name`` as a product of known names ("xe" -> ["x", "e"]), or None; longest first."""
    if name in known:
        return [name]
    for end in range(len(name) - 1, 0, -1):
        if name[:end] in known:
            rest = _split(name[end:], known)
            if rest:
                return [name[:end], *rest]
    return None


def _resolve(tokens, variables):
    """Tokens with every name replaced by known names; unknown names are refused by name."""
    known = set(variables) | set(CONSTANTS) | set(FUNCTIONS)
    out, unknown = [], []
    for i, (kind, text) in enumerate(tokens):
        if kind == "bad":
            why = _REFUSED.get(text, "a formula has only numbers, variables, + - * / ^, "
                                     "parentheses and functions such as exp(...)")
            raise FormulaError(f"The formula contains {text!r}, which I cannot read: {why}.")
        if kind != "name":
            out.append((kind, text))
            continue
        calls = i + 1 < len(tokens) and tokens[i + 1] == ("op", "(")
        if text not in known and text.lower() in FUNCTIONS and calls:
            text = text.lower()                               # Exp(x), LOG(x)
        parts = _split(text, known) if text.isalpha() else (
            [text] if text in known else None)
        if parts is None:
            if calls:
                raise FormulaError(f"`{text}` is not a function this exercise knows; use "
                                   f"{_KNOWN_FUNCTIONS}")
            unknown.append(text)
            continue
        out.extend(("name", part) for part in parts)
    if unknown:
        raise FormulaError(unknown_names(unknown, variables))
    return out


def unknown_names(unknown, variables):
    """The sentence for names that are not variables of the exercise."""
    unknown = list(dict.fromkeys(unknown))
    names = " and ".join(unknown)
    if not variables:
        return f"The answer uses {names}, but a number is expected here, without variables."
    are = "is not a variable" if len(unknown) == 1 else "are not variables"
    which = "the variable is" if len(variables) == 1 else "the variables are"
    return f"Your formula uses {names}, which {are} of this exercise; {which} " \
           f"{', '.join(variables)}."


# ---------------------------------------------------------------- tokens → tree

class _Parser:
    """Recursive descent over the tokens, producing a tree of tuples:
    ("number", text), ("name", text), ("call", name, [args]), ("neg", a), (op, a, b) with op
    in + - * / **, and ("list", [items]) where lists are allowed."""

    def __init__(self, tokens, variables, lists):
        self.tokens, self.at, self.depth = tokens, 0, 0
        self.variables, self.lists = set(variables), lists

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, text=None):
        token = self.peek()
        if text is not None and token != ("op", text):
            shown = "the end of the formula" if token[0] == "end" else repr(token[1])
            raise FormulaError(f"Expected {text!r} but found {shown}; check the parentheses.")
        self.at += 1
        return token

    @contextlib.contextmanager
    def nested(self):
        """One level deeper in parentheses or powers, within MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"The formula is nested too deeply (more than {MAX_DEPTH} levels "
                               "of parentheses or powers).")
        yield
        self.depth -= 1

    def separated(self, parse):
        """``parse()`` once, then again after each comma: a list of trees."""
        trees = [parse()]
        while self.peek() == ("op", ","):
            self.take()
            trees.append(parse())
        return trees

    def whole(self):
        if self.lists:                                          # 4, 4 without brackets too
            items = self.separated(self.item)
            tree = items[0] if len(items) == 1 else ("list", items)
        else:
            tree = self.expression()
        kind, text = self.peek()
        if kind != "end":
            if text == ",":
                raise FormulaError("The formula has a comma outside a function's parentheses; "
                                   "give one formula.")
            raise FormulaError(f"I could not read the formula from {text!r} on; is an operator "
                               "or a parenthesis missing?")
        return tree

    def item(self):  # a list of items in brackets, or one expression
        if self.peek() != ("op", "["):
            return self.expression()
        self.take()
        with self.nested():
            items = self.separated(self.item)
            self.take("]")
        return ("list", items)

    def expression(self):
        tree = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            tree = (self.take()[1], tree, self.term())
        return tree

    def starts_factor(self):
        kind, text = self.peek()
        return kind in ("number", "name") or text == "("

    def term(self):
        tree = self.unary()
        while True:
            if self.peek() in (("op", "*"), ("op", "/")):
                tree = (self.take()[1], tree, self.unary())
            elif self.starts_factor():                          # 2x, x(1 - x), )(
                if self.peek()[0] == "number" and self.tokens[self.at - 1][0] == "number":
                    raise FormulaError(f"Two numbers in a row ({self.tokens[self.at - 1][1]} "
                                       f"{self.peek()[1]}): put an operator between them.")
                tree = ("*", tree, self.unary())
            else:
                return tree

    def unary(self):
        if self.peek() in (("op", "-"), ("op", "+")):
            sign = self.take()[1]
            with self.nested():
                operand = self.unary()
            return ("neg", operand) if sign == "-" else operand
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek() == ("op", "**"):
            self.take()
            with self.nested():
                exponent = self.unary()                         # right-associative: 2^3^2
            return ("**", base, exponent)
        return base

    def atom(self):
        kind, text = self.take()
        if kind == "number":
            return ("number", text)
        if kind == "name":
            if text in self.variables or text in CONSTANTS:
                return ("name", text)
            return self.call(text)
        if text == "(":
            with self.nested():
                items = self.separated(self.expression) if self.lists else [self.expression()]
                self.take(")")
            return items[0] if len(items) == 1 else ("list", items)     # a tuple (4, 4)
        if kind == "end":
            raise FormulaError("The formula ends too early: something is missing after "
                               f"{self.tokens[-1][1]!r}.")
        if text == "[":
            raise FormulaError("Square brackets are not part of a formula; use parentheses.")
        raise FormulaError(f"Something is missing before {text!r}.")

    def call(self, name):
        if self.peek() != ("op", "("):
            raise FormulaError(f"Write {name} with parentheses around its argument, "
                               f"as in {name}(x).")
        self.take()
        with self.nested():
            args = self.separated(self.expression)
            self.take(")")
        arity = FUNCTIONS[name][0]
        low, high = arity if isinstance(arity, tuple) else (arity, arity)
        if not low <= len(args) <= high:
            wanted = f"{low}" if low == high else f"{low} to {high}"
            raise FormulaError(f"{name} takes {wanted} argument{'s' * (high > 1)}, "
                               f"but here it has {len(args)}.")
        return ("call", name, args)


# ---------------------------------------------------------------- tree → SymPy

def _magnitude(sp, value):
    """|value| of a SymPy number as a float (inf when too large for one)."""
    try:
        return abs(complex(value.evalf()))
    except (TypeError, ValueError, OverflowError):
        return float("inf")


def _build(sp, tree, symbols):
    kind = tree[0]
    if kind == "number":
        text = tree[1]
        digits = len(text.lower().split("e")[0].replace(".", "").lstrip("0"))
        if digits > MAX_DIGITS or not float(text) < 10.0 ** MAX_DIGITS:
            raise FormulaError(f"The number {text[:20]}… is too large to work with here.")
        return sp.Rational(text) if re.search("[.eE]", text) else sp.Integer(text)
    if kind == "name":
        name = tree[1]
        return symbols[name] if name in symbols else getattr(sp, CONSTANTS[name])
    if kind == "call":
        args = [_build(sp, a, symbols) for a in tree[2]]
        return FUNCTIONS[tree[1]][1](sp, *args)
    if kind == "neg":
        return -_build(sp, tree[1], symbols)
    if kind == "list":
        return [_build(sp, item, symbols) for item in tree[1]]
    a, b = _build(sp, tree[1], symbols), _build(sp, tree[2], symbols)
    if isinstance(a, list) or isinstance(b, list):
        raise FormulaError("A list cannot be part of a calculation; give one list of numbers.")
    if kind == "**" and not b.free_symbols:
        size = _magnitude(sp, b)
        if size > MAX_EXPONENT:
            raise FormulaError(f"The exponent {_show(b)} is too large to work with here "
                               f"(exponents up to {MAX_EXPONENT} are fine).")
        base = _magnitude(sp, a) if not a.free_symbols else 0.0
        power = complex(b.evalf()).real if size < float("inf") else 0.0
        if 0 < base < float("inf") and power * math.log10(base) > MAX_DIGITS:
            shown = _show(a) if str(a).isdigit() else f"({_show(a)})"
            raise FormulaError(f"{shown}^{_show(b)} is too large a number to work with here "
                               f"(more than 10^{MAX_DIGITS}).")
    return _OPERATORS[kind](a, b)


_OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
              "**": operator.pow}


def _show(value):
    text = str(value)
    return text if len(text) <= 20 else f"{text[:17]}…"


def _tree(text, variables, lists):
    if not isinstance(text, str):
        raise FormulaError(f"Expected a formula as a string, got a {type(text).__name__}.")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"This formula is too long to check (over {MAX_LENGTH} characters).")
    tokens = _resolve(_tokens(normalise(text)), variables)
    if not tokens:
        raise FormulaError("The formula is empty.")
    return _Parser(tokens, variables, lists).whole()


def parse_formula(text, symbols):
    """The formula ``text`` as a SymPy expression; ``symbols`` maps each variable's name to its
    SymPy symbol. Raises :class:`FormulaError` with a sentence for the reader."""
    import sympy

    expr = _build(sympy, _tree(text, list(symbols), lists=False), symbols)
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise FormulaError("This formula is undefined everywhere: it divides by zero (or takes "
                           "log(0)) in a part without variables.")
    return expr


def parse_number(text):
    """A number written as text ("1/2", "5.6", "2^-3", "sqrt(2)/2") as a float, or a list
    written as text ("[4, -2]", "4, -2", "[[2, 3], [3, 2]]") as nested lists of floats."""
    import sympy

    def value(expr):
        if isinstance(expr, list):
            return [value(e) for e in expr]
        number = complex(expr.evalf()) if expr.is_number else None
        if number is None or abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
            raise FormulaError(f"{_show(expr)} is not a real number.")
        return number.real

    return value(_build(sympy, _tree(text, [], lists=True), {}))
