"""Exercises for chapter 2, Calculus: from pencil-and-paper derivatives to a backward pass.

Formulas are checked with SymPy, numbers with a tolerance, functions by running them on test
inputs, predictions by multiple choice (see ``mathdl.exercises`` for the checkers). Two
exercises hand in a class or a layer's three gradients; small adapters below turn those into
functions that the ``code`` checker runs, so they get its time limit and captured output.
"""

import inspect
import math

import numpy as np

from . import Exercise, Feedback, choice, code, numeric, symbolic

# ---------------------------------------------------------------- 2.1 the derivative

h_sweet_spot = Exercise(
    "Predict before you drag the slider. You will shrink h from 1 down to 10⁻¹⁶ and watch the "
    "error |(f(1 + h) − f(1))/h − f'(1)| of the secant slope, computed in float64. "
    "What will you see?",
    check=choice([
        "The error keeps shrinking, roughly in proportion to h, all the way down.",
        "The error shrinks down to about h ≈ 10⁻⁸, then grows again; near h ≈ 10⁻¹⁶ the "
        "slope is garbage.",
        "The error stays the same: a computer evaluates the slope exactly.",
        "The error grows as soon as h gets smaller than 1.",
    ], answer="b", why={
        "a": "On paper, yes. But f(1 + h) and f(1) are rounded to about 16 digits, and their "
             "difference keeps only the digits where they differ: the rounding error, divided "
             "by a tiny h, takes over below about 10⁻⁸.",
        "b": "Yes: truncation error shrinks like h, round-off error grows like ε/h, and they "
             "cross near h ≈ √ε ≈ 10⁻⁸. Below 1.1 × 10⁻¹⁶, 1 + h rounds to exactly 1.",
        "c": "Every float64 operation rounds to about 16 significant digits, and a difference "
             "of two nearly equal numbers loses most of them.",
        "d": "From h = 1 down to about 10⁻⁸ the secant swings onto the tangent: its error "
             "3h + h² shrinks with h.",
    }),
    hint="Two errors compete. One comes from cutting the limit short (it shrinks with h); the "
         "other from rounding f(1 + h) and f(1) to 16 digits before subtracting them.",
    solution="(b). The error is about $\\tfrac12|f''|h + \\varepsilon|f|/h$ (plus the rounding "
             "of $1 + h$ itself): smallest near $h \\approx \\sqrt{\\varepsilon} \\approx "
             "10^{-8}$, and below $h \\approx 1.1 \\times 10^{-16}$ the computer cannot tell "
             "$1 + h$ from $1$ at all.",
)


def _central_gradient(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def _forward_gradient(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x)) / h
    return g


def _all_at_once(f, x, h=1e-6):
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))


def _cube_sum(x):
    return np.sum(x ** 3)


def _wave(x):
    return np.sin(x[0]) * x[1]


def _softplus_sum(x):
    return np.sum(np.log1p(np.exp(x)))


_GRADIENTS = {   # the exact gradients, by hand
    _cube_sum: lambda x: 3 * x ** 2,
    _wave: lambda x: np.array([np.cos(x[0]) * x[1], np.sin(x[0])]),
    _softplus_sum: lambda x: 1 / (1 + np.exp(-x)),
}


numerical_gradient = Exercise(
    "Write numerical_gradient(f, x): the gradient of a scalar function f at the numpy array x "
    "(any shape) by central differences with h = 1e-6, one entry at a time. Return an array of "
    "x's shape. (This is what md.gradcheck does inside.)",
    check=code(lambda f, x: _GRADIENTS[f](x), [
        (_cube_sum, np.array([1.0, -2.0, 0.5])),
        (_wave, np.array([0.3, 2.0])),
        (_softplus_sum, np.array([[0.5, -1.0], [2.0, 0.0]])),
    ], rtol=1e-6, atol=1e-8, mistakes=[
        (_forward_gradient, "That is the forward difference (f(x + h) − f(x))/h: its error is "
                            "about h·f''/2, far larger than the central difference's. Use "
                            "(f(x + h) − f(x − h))/(2h)."),
        (_all_at_once, "Nudge one entry at a time: moving every entry together measures the "
                       "slope along (1, 1, …), not each partial derivative."),
    ]),
    hint="Loop over the entries with `for i in np.ndindex(x.shape):`, build `e = "
         "np.zeros_like(x)` with `e[i] = h`, and use $(f(x + e) - f(x - e))/(2h)$.",
    solution="```python\ndef numerical_gradient(f, x, h=1e-6):\n    g = np.zeros_like(x)\n"
             "    for i in np.ndindex(x.shape):\n        e = np.zeros_like(x)\n        e[i] = h\n"
             "        g[i] = (f(x + e) - f(x - e)) / (2 * h)\n    return g\n```\n"
             "It costs two evaluations of f per entry: fine for a check, hopeless for training.",
)

# ---------------------------------------------------------------- 2.2 rules

derivative_of_silu = Exercise(
    "The SiLU (or swish) activation of many modern networks is f(x) = x·σ(x), with σ the "
    "sigmoid. Differentiate it. Answer with a formula in x (you may write sigmoid(x) or σ(x)).",
    check=symbolic("sigmoid(x) + x*sigmoid(x)*(1 - sigmoid(x))", variables="x", mistakes={
        "sigmoid(x)": "That is only u′v = 1·σ(x); the product rule adds u·v′ = x·σ′(x).",
        "x*sigmoid(x)*(1 - sigmoid(x))": "That is only u·v′ = x·σ′(x); the product rule adds "
                                         "u′v = σ(x).",
        "sigmoid(x)*(1 - sigmoid(x))": "That is σ′(x), the derivative of σ alone; f = x·σ(x) is "
                                       "a product of two functions of x.",
        "sigmoid(x) + x*sigmoid(x)*(1 + sigmoid(x))": "σ′ = σ(1 − σ), with a minus sign.",
    }),
    hint="Product rule with $u = x$ and $v = \\sigma(x)$, and $\\sigma' = \\sigma(1 - \\sigma)$.",
    solution="$f'(x) = \\sigma(x) + x\\,\\sigma(x)\\,(1 - \\sigma(x))$, written "
             "`'sigmoid(x) + x*sigmoid(x)*(1 - sigmoid(x))'`. Unlike ReLU's, this slope is "
             "smooth, and slightly negative for $x < 0$ (around $x \\approx -2.4$ it is "
             "smallest, about $-0.1$).",
)

product_rule = Exercise(
    "Differentiate f(x) = x·exp(−x²), a wave packet that rises, falls and dies away. Answer with a "
    "formula in x.",
    check=symbolic("exp(-x**2) - 2*x**2*exp(-x**2)", variables="x", mistakes={
        "exp(-x**2)": "That is only u′v = 1·e^(−x²); the product rule adds u·v′ = x·(−2x)e^(−x²).",
        "-2*x**2*exp(-x**2)": "That is only u·v′; the product rule adds u′v = e^(−x²).",
        "exp(-x**2) + 2*x**2*exp(-x**2)": "The derivative of e^(−x²) is −2x·e^(−x²): the second "
                                          "term is subtracted.",
        "-2*x*exp(-x**2)": "That multiplies the two derivatives; the product rule is u′v + uv′.",
        "exp(-x**2) - x*exp(-x**2)": "The derivative of e^(−x²) needs the chain rule: it is "
                                     "−2x·e^(−x²), not −e^(−x²).",
    }),
    hint="Product rule: $(uv)' = u'v + uv'$ with $u = x$ and $v = e^{-x^2}$; the chain rule "
         "gives $v' = -2x\\,e^{-x^2}$.",
    solution="$f'(x) = e^{-x^2} - 2x^2 e^{-x^2} = (1 - 2x^2)\\,e^{-x^2}$, written "
             "`'(1 - 2*x^2)*exp(-x^2)'`: zero at $x = \\pm 1/\\sqrt 2$, where the packet peaks "
             "and bottoms out.",
)

softplus_chain_rule = Exercise(
    "The softplus s(x) = log(1 + exp(3x)) is a smooth ReLU. Differentiate it with the chain rule. "
    "Answer with a formula in x (you may use sigmoid(...)).",
    check=symbolic("3*exp(3*x) / (1 + exp(3*x))", variables="x", mistakes={
        "sigmoid(3*x)": "Don't forget the innermost link: the derivative of 3x is 3.",
        "3*exp(3*x)": "The outer link log(u) contributes 1/u = 1/(1 + e^(3x)).",
        "1 / (1 + exp(3*x))": "The top of the fraction is the derivative of u = 1 + e^(3x), "
                              "which is 3e^(3x).",
        "3 / (1 + exp(3*x))": "The top of the fraction is the derivative of u = 1 + e^(3x), "
                              "which is 3e^(3x), not 3.",
    }),
    hint="Three links: $\\log u$ with $u = 1 + e^{v}$ with $v = 3x$. Multiply the three local "
         "derivatives $1/u$, $e^{v}$ and $3$.",
    solution="$s'(x) = \\dfrac{3e^{3x}}{1 + e^{3x}} = 3\\,\\sigma(3x)$, written "
             "`'3*sigmoid(3*x)'`: the derivative of a softplus is a sigmoid, scaled by the inner "
             "factor 3.",
)

# ---------------------------------------------------------------- 2.3 partials and gradient

gradient_at_a_point = Exercise(
    "Let f(x, y) = x**2 * y + 3*y. Give its gradient at the point (x, y) = (1, 2) "
    "as a list [∂f/∂x, ∂f/∂y].",
    check=numeric([4.0, 4.0], mistakes=[
        ([2.0, 4.0], "∂f/∂x = 2xy: the factor y = 2 stays when you differentiate in x."),
        ([4.0, 1.0], "∂f/∂y = x² + 3: the term 3y contributes 3."),
        ([4.0, 3.0], "∂f/∂y = x² + 3: the term x²y contributes x² = 1."),
        (10.0, "10 is the value f(1, 2); the gradient is the list of the two partial "
               "derivatives."),
    ]),
    hint="Treat $y$ as a constant to get $\\partial f/\\partial x = 2xy$; treat $x$ as a "
         "constant to get $\\partial f/\\partial y = x^2 + 3$. Then put in $x = 1$, $y = 2$.",
    solution="$\\nabla f = (2xy,\\ x^2 + 3) = (2 \\cdot 1 \\cdot 2,\\ 1 + 3) = (4, 4)$, "
             "answered as `[4, 4]`.",
)

directional_derivative = Exercise(
    "For the same f(x, y) = x**2 * y + 3*y at (1, 2): how fast does f change per unit step in "
    "the direction of the vector (3, 4)? Give one number.",
    check=numeric(4.0 * 3 / 5 + 4.0 * 4 / 5, mistakes=[
        (28.0, "(3, 4) is not a unit vector: divide by its length, 5."),
        (28.0 / 25, "Divide by the length of (3, 4), which is 5, not by its square."),
        (32 ** 0.5, "That is |∇f|, the rate along the gradient itself, the fastest there is; "
                    "along (3, 4) it is a little less."),
    ]),
    hint="The directional derivative is $\\nabla f \\cdot \\mathbf u$ for a *unit* vector "
         "$\\mathbf u$; the vector $(3, 4)$ has length 5.",
    solution="$\\mathbf u = (3/5, 4/5)$, so $\\nabla f \\cdot \\mathbf u = 4 \\cdot 0.6 + "
             "4 \\cdot 0.8 = 5.6$. Without normalising you would get 28, five times too much.",
)

# ---------------------------------------------------------------- 2.4 the chain rule

sum_over_paths = Exercise(
    "For e = (a + b) * (b + 1) at a = 1, b = 2, what is ∂e/∂b? Remember that b reaches e along "
    "two paths. Give one number.",
    check=numeric(6.0, mistakes=[
        (3.0, "That is one path only; b also reaches e through the other factor. Add both."),
        (9.0, "9 is e itself (and the product of the paths); the paths' contributions add."),
    ]),
    hint="Name $c = a + b$ and $d = b + 1$, so $e = cd$. The path through $c$ contributes "
         "$\\frac{\\partial e}{\\partial c}\\frac{\\partial c}{\\partial b} = d \\cdot 1$, "
         "the path through $d$ contributes $c \\cdot 1$. Add the paths.",
    solution="$\\partial e/\\partial b = d + c = (b + 1) + (a + b) = 3 + 3 = 6$. Keeping only "
             "one path gives 3: that is the bug of overwriting a gradient instead of adding to it.",
)

# ---------------------------------------------------------------- 2.5 build it yourself


class _Value:
    """The solution: a scalar that remembers how it was computed (micrograd's idea)."""

    def __init__(self, data, parents=()):
        self.data, self.grad = float(data), 0.0
        self.parents = parents
        self.backward_step = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, _Value) else type(self)(other)
        out = type(self)(self.data + other.data, (self, other))

        def backward_step():
            self._receive(out.grad)
            other._receive(out.grad)
        out.backward_step = backward_step
        return out

    def __mul__(self, other):
        other = other if isinstance(other, _Value) else type(self)(other)
        out = type(self)(self.data * other.data, (self, other))

        def backward_step():
            self._receive(self._factor(other) * out.grad)
            other._receive(other._factor(self) * out.grad)
        out.backward_step = backward_step
        return out

    def tanh(self):
        out = type(self)(math.tanh(self.data), (self,))

        def backward_step():
            self._receive(self._tanh_slope(out) * out.grad)
        out.backward_step = backward_step
        return out

    __radd__, __rmul__ = __add__, __mul__

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:                       # iterative depth-first walk: parents first
            node, done = stack.pop()
            if done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node.parents)
        self.grad = 1.0
        for node in reversed(order):
            node.backward_step()

    # the three places the mistakes below change
    def _receive(self, g):
        self.grad += g

    def _factor(self, other):
        return other.data

    def _tanh_slope(self, out):
        return 1 - out.data ** 2


class _Overwrites(_Value):
    def _receive(self, g):
        self.grad = g


class _OwnFactor(_Value):
    def _factor(self, other):
        return self.data


class _TanhOneMinus(_Value):
    def _tanh_slope(self, out):
        return 1 - out.data


class _TanhOfInput(_Value):
    def _tanh_slope(self, out):
        return 1 - self.data ** 2


class _NoOrder(_Value):
    def backward(self):   # a walk without order: gradients passed on before complete
        self.grad = 1.0
        stack = [self]
        while stack:
            node = stack.pop()
            node.backward_step()
            stack.extend(node.parents)


class _Expression:
    """A test expression: leaf values and how to combine them with +, *, tanh and numbers."""

    def __init__(self, text, values, build):
        self.text, self.values, self.build = text, values, build

    def __repr__(self):
        return self.text


def _combine(op, a, b, c):
    if op == "+":
        return a + b
    if op == "*":
        return a * b
    if op == "tanh":
        return a.tanh()
    return c + a if op == "+c" else c * a


def _random_expression(seed, n_leaves=3, n_ops=9):
    rng = np.random.default_rng(seed)
    values = tuple(float(v) for v in rng.uniform(-1.5, 1.5, n_leaves))
    plan = []
    for k in range(n_ops):
        op = rng.choice(["+", "*", "tanh", "+c", "*c"], p=[0.3, 0.3, 0.2, 0.1, 0.1])
        size = n_leaves + k
        i, j = (int(v) for v in rng.integers(0, size, 2))   # any earlier node: fan-out happens
        if k < n_leaves - 1:
            i, j = k, k + 1                                 # every leaf is used
        plan.append((str(op), i, j, float(rng.uniform(-2, 2))))

    def build(leaves):
        nodes = list(leaves)
        for op, i, j, c in plan:
            nodes.append(_combine(op, nodes[i], nodes[j], c))
        last = nodes[-1]
        for leaf in leaves:                    # make sure the output depends on every leaf
            last = last + 0.5 * leaf * last
        return last
    return _Expression(f"random expression {seed}", values, build)


_EXPRESSIONS = [
    _Expression("a * b", (2.0, -3.0), lambda v: v[0] * v[1]),
    _Expression("(a + b) * (b + 1)", (2.0, 1.0), lambda v: (v[0] + v[1]) * (v[1] + 1)),
    _Expression("tanh(a * w + b)", (1.5, -0.8, 0.3), lambda v: (v[0] * v[1] + v[2]).tanh()),
    _Expression("a * a * a", (0.7,), lambda v: v[0] * v[0] * v[0]),
    _Expression("tanh(tanh(a) * a) + 2a", (-0.4,), lambda v: (v[0].tanh() * v[0]).tanh()
                + 2 * v[0]),
    *[_random_expression(seed) for seed in range(5)],
]


def _run_with(make):
    """Build each test expression from ``make(value)`` leaves, call backward, return
    [output value, gradient of each leaf]; something that is not a Value is handed back as is,
    so the checker says what it is."""
    def run(expression):
        first = make(expression.values[0])
        if not (hasattr(first, "data") and hasattr(first, "grad")):
            return first
        leaves = [first, *(make(v) for v in expression.values[1:])]
        out = expression.build(leaves)
        out.backward()
        return [out.data, *(leaf.grad for leaf in leaves)]
    return run


def _by_mathdl(expression):
    import mathdl as md
    leaves = [md.tensor(v, requires_grad=True) for v in expression.values]
    out = expression.build(leaves)
    out.backward()
    return [out.item(), *(leaf.grad.item() for leaf in leaves)]


def _values_only(expression):
    return [_by_mathdl(expression)[0]] + [0.0] * len(expression.values)


_NOT_YET = ("Your Value computes every value, but no gradient reaches the inputs yet (all are 0): "
            "write the three backward steps, and let backward() set the output's grad to 1 "
            "before calling them in reverse topological order.")
_value_code = code(_by_mathdl, [(e,) for e in _EXPRESSIONS], rtol=1e-9, atol=1e-12, mistakes=[
    (_values_only, _NOT_YET),
    (_run_with(_Overwrites), "A value used twice must receive both contributions: add to "
                             ".grad (+=) instead of overwriting it."),
    (_run_with(_NoOrder), "Some gradients are passed on before they are complete (or more than "
                          "once): visit each node once, in reverse topological order, so every "
                          "user of a node adds its share first."),
    (_run_with(_OwnFactor), "In a product each factor receives the *other* factor times "
                            "out.grad: ∂(a·b)/∂a = b."),
    (_run_with(_TanhOneMinus), "tanh's slope is 1 − tanh², that is 1 − out.data**2."),
    (_run_with(_TanhOfInput), "tanh's slope is 1 − tanh(x)², computed from the output "
                              "(1 − out.data**2), not from the input."),
])


def _value_check(answer):
    if not callable(answer):
        return _value_code(answer)   # "Expected a function …", one sentence
    feedback = _value_code(_run_with(answer))
    if isinstance(answer, type):      # the reader handed in a class: name it so
        feedback.message = feedback.message.replace("your function", "your Value") \
            .replace("Your function", "Your Value")
    if feedback.message == _NOT_YET:
        feedback.kind = "blank"      # the notebook's unfinished skeleton
    return feedback


_value_check.expects, _value_check.mistakes = "function", _value_code.mistakes

value_autodiff = Exercise(
    "Complete the class Value: a number that remembers how it was computed. Write the backward "
    "step of +, * and tanh, and backward(), which puts every Value the output depends on in "
    "topological order, sets the output's grad to 1 and calls each backward step in reverse "
    "order. Hand in the class itself: ex.check(Value). It is compared with mathdl on ten "
    "expressions, five of them random, with values used more than once.",
    check=_value_check,
    hint="Each backward step *adds* to its parents' `.grad`: for `out = a + b` both get "
         "`out.grad`; for `out = a * b`, `a` gets `b.data * out.grad` and `b` gets "
         "`a.data * out.grad`; for `out = a.tanh()`, `a` gets `(1 - out.data**2) * out.grad`. "
         "For the order, a depth-first walk that appends a node after all its parents gives "
         "a topological order; then go through it backwards.",
    solution="The three backward steps are `self.grad += out.grad; other.grad += out.grad`, "
             "`self.grad += other.data * out.grad; other.grad += self.data * out.grad`, and "
             "`self.grad += (1 - out.data**2) * out.grad`. And backward:\n\n```python\n"
             "def backward(self):\n    order, seen = [], set()\n    def visit(v):\n"
             "        if id(v) not in seen:\n            seen.add(id(v))\n"
             "            for p in v.parents:\n                visit(p)\n"
             "            order.append(v)          # after all its parents\n    visit(self)\n"
             "    self.grad = 1.0\n    for v in reversed(order):\n        v.backward_step()\n"
             "```\n(The recursive walk is fine for small graphs; `mathdl` walks iteratively so "
             "that a 100,000-node chain cannot overflow Python's stack.)",
)

# ---------------------------------------------------------------- 2.6-2.7 a layer's backward


def _sigmoid_layer(X, W, Y, G):
    dZ = G * Y * (1 - Y)
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def _piece(function, k, names=("dX", "dW", "db")):
    """The k-th of the three gradients the function returns; anything else handed back as is."""
    def one(X, W, Y, G):
        out = function(X, W, Y, G)
        if isinstance(out, tuple | list) and len(out) == 3 and not all(
                np.ndim(o) == 0 for o in out):
            return out[k]
        if isinstance(out, tuple | list) and len(out) in (2, 4, 5):
            raise ValueError(f"return the three gradients ({', '.join(names)}), not {len(out)} "
                             "values")
        return out
    return one


_layer_rng = np.random.default_rng(2)


def _layer_case(n, n_in, n_out):
    X = _layer_rng.standard_normal((n, n_in))
    W = _layer_rng.standard_normal((n_in, n_out))
    b = _layer_rng.standard_normal(n_out)
    Y = 1 / (1 + np.exp(-(X @ W + b)))
    return X, W, Y, _layer_rng.standard_normal((n, n_out))


_LAYER_CASES = [_layer_case(1, 2, 1), _layer_case(4, 3, 2), _layer_case(6, 2, 5)]
def _tanh_layer(X, W, Y, G):
    dZ = G * (1 - Y ** 2)
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def _sigmoid_of_output(X, W, Y, G):
    s = 1 / (1 + np.exp(-Y))
    dZ = G * s * (1 - s)
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


_LAYER_MISTAKES = [
    (lambda X, W, Y, G: (G @ W.T, X.T @ G, G.sum(axis=0)),
     "Multiply by the sigmoid's slope first: dZ = G ⊙ Y(1 − Y), then use dZ everywhere."),
    (_tanh_layer,
     "1 − Y² is tanh's slope; the sigmoid's is Y(1 − Y)."),
    (_sigmoid_of_output,
     "Y is already σ(Z): its slope is Y(1 − Y), not σ(Y)(1 − σ(Y))."),
    (lambda X, W, Y, G: (*_sigmoid_layer(X, W, Y, G)[:2], _sigmoid_layer(X, W, Y, G)[2]
                         / len(X)),
     "Sum db over the batch, don't average it: the bias is added to every row, so the rows' "
     "contributions add (like b used twice in (a + b)(b + 1))."),
]


_layer_codes = [code(_piece(_sigmoid_layer, k), _LAYER_CASES, mistakes=[
    (_piece(wrong, k), message) for wrong, message in _LAYER_MISTAKES]) for k in range(3)]


def _unwritten(*args):
    ...


def _layer_check(answer):
    if not callable(answer):
        return _layer_codes[0](answer)
    if getattr(answer, "__code__", None) is not None and \
            answer.__code__.co_code == _unwritten.__code__.co_code:
        return Feedback(False, "blank", "Your function returns nothing yet: write its body, and "
                                        "remember to `return` the three gradients.")
    try:
        inspect.signature(answer).bind(*_LAYER_CASES[0])
    except TypeError:
        return Feedback(False, "unreadable", "Your function must take 4 arguments (X, W, Y, G), "
                                             f"as in the exercise; yours is "
                                             f"{getattr(answer, '__name__', 'it')}"
                                             f"{inspect.signature(answer)}.")
    except ValueError:   # no signature to read (a builtin): just call it
        pass
    for name, checker, k in zip(("dX", "dW", "db"), _layer_codes, range(3)):
        feedback = checker(_piece(answer, k))
        if not feedback:
            if feedback.kind in ("shape", "value", "factor", "sign", "mistake") and \
                    not feedback.message.startswith("Your function returns"):
                feedback.message = f"{name}: {feedback.message}"
            return feedback
    return feedback


_layer_check.expects = "function"
_layer_check.mistakes = _layer_codes[0].mistakes

sigmoid_layer_backward = Exercise(
    "A sigmoid layer computes Y = σ(Z) with Z = X @ W + b, for a batch X of shape (N, n_in), W "
    "of shape (n_in, n_out) and b of shape (n_out,). Write sigmoid_layer_backward(X, W, Y, G): "
    "given the layer's output Y and G = ∂L/∂Y, return the three gradients (dX, dW, db), each "
    "with the shape of what it is the gradient of. Then gradcheck it.",
    check=_layer_check,
    hint="First the slope: $\\bar Z = G \\odot Y(1 - Y)$ (elementwise). Then $Z = XW + b$ is "
         "the layer of §2.7: each factor's gradient is $\\bar Z$ times the *other* factor, "
         "transposed and placed where the shapes fit, and the bias's gradient sums $\\bar Z$ "
         "over the batch.",
    solution="```python\ndef sigmoid_layer_backward(X, W, Y, G):\n    dZ = G * Y * (1 - Y)\n"
             "    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)\n```\nThe bias itself is not needed: "
             "the gradients depend on it only through Y.",
)

# ---------------------------------------------------------------- 2.8 the Hessian

hessian_of_quadratic = Exercise(
    "Give the Hessian of f(x, y) = x**2 + 3*x*y + y**2 as a 2 × 2 nested list. "
    "(Then look at its eigenvalues: is the origin a minimum, a maximum or a saddle?)",
    check=numeric([[2.0, 3.0], [3.0, 2.0]], mistakes=[
        ([[2.0, 1.5], [1.5, 2.0]], "The mixed partial ∂²(3xy)/∂x∂y is 3; it appears in full in "
                                   "both corners, not split in half."),
        ([[1.0, 1.5], [1.5, 1.0]], "That is the matrix A with f = [x y] A [x y]ᵀ; the Hessian "
                                   "is twice that."),
        ([[2.0, 0.0], [0.0, 2.0]], "The cross term 3xy has a mixed partial derivative: 3."),
    ]),
    hint="The Hessian holds the second partial derivatives: $\\partial^2 f/\\partial x^2$ and "
         "$\\partial^2 f/\\partial y^2$ on the diagonal, $\\partial^2 f/\\partial x\\partial y$ "
         "in both corners off it.",
    solution="$H = \\begin{pmatrix} 2 & 3 \\\\ 3 & 2 \\end{pmatrix}$, answered as "
             "`[[2, 3], [3, 2]]`. Its eigenvalues are 5 (direction $(1, 1)$) and $-1$ (direction "
             "$(1, -1)$): one up, one down, so the origin is a saddle, although $f$ curves upward "
             "along both axes.",
)

_CEILING = 2 / (5 + math.sqrt(5))
learning_rate_ceiling = Exercise(
    "Gradient descent x ← x − η∇f(x) on f(x, y) = 3x² + 2xy + 2y² converges from every "
    "starting point exactly when the learning rate η is below a ceiling. What is that ceiling? "
    "Give one number (three digits are enough).",
    check=numeric(_CEILING, digits=3, mistakes=[
        (1 / 3, "2/6 uses the curvature along the x-axis, but the cross term 2xy tilts the bowl: "
                "the sharpest curvature is the Hessian's largest eigenvalue."),
        (2 / (5 - math.sqrt(5)), "That is 2/λ_min, the ceiling of the flattest direction; the "
                                 "sharpest direction diverges first."),
        (1 / (5 + math.sqrt(5)), "1/λ_max solves the sharpest direction in one step; gradient "
                                 "descent still converges, zig-zagging, up to twice that."),
        (2 / 3, "The curvature along x is the second derivative of 3x², which is 6, not the "
                "coefficient 3; and the cross term matters too."),
    ]),
    hint="The Hessian is constant: $\\begin{pmatrix} 6 & 2 \\\\ 2 & 4 \\end{pmatrix}$. Along "
         "each of its eigenvectors a step multiplies the error by $1 - \\eta\\lambda$.",
    solution="The eigenvalues of $\\begin{pmatrix} 6 & 2 \\\\ 2 & 4 \\end{pmatrix}$ are "
             "$5 \\pm \\sqrt 5$, so $\\lambda_{\\max} = 5 + \\sqrt 5 \\approx 7.24$ and the "
             "ceiling is $2/\\lambda_{\\max} = (5 - \\sqrt 5)/10 \\approx 0.276$, below the "
             "$1/3$ that the diagonal alone suggests.",
)


def _dominant_eigenvalue(H):
    lam = np.linalg.eigvalsh(H)
    return lam[np.argmax(np.abs(lam))]


def _rotated(eigenvalues, seed):
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((len(eigenvalues),) * 2))
    return q @ np.diag(eigenvalues) @ q.T


power_iteration = Exercise(
    "Write power_iteration(H): the eigenvalue of largest magnitude of the symmetric matrix H, "
    "using only products H @ v (as md.hvp gives them for a network's Hessian). Start from any "
    "vector, repeat v ← Hv/‖Hv‖ a few hundred times, then return a number that keeps the "
    "eigenvalue's sign.",
    check=code(_dominant_eigenvalue, [(_rotated([5.0, 2.0, 1.0], 0),),
                                      (_rotated([-6.0, 3.0, 1.0], 1),),
                                      (_rotated([4.0, -2.5, 0.5, 1.0], 2),)],
               rtol=1e-6, mistakes=[
                   (lambda H: abs(_dominant_eigenvalue(H)),
                    "Right size, but a norm ‖Hv‖ is never negative, and the second matrix's "
                    "dominant eigenvalue is −6. Return the Rayleigh quotient v·Hv (with ‖v‖ = 1)."),
                   (lambda H: np.linalg.eigvalsh(H).max(),
                    "That is the largest eigenvalue; power iteration finds the one largest in "
                    "size, which for the second matrix is −6."),
               ]),
    hint="Normalise after every product so the numbers stay finite. At the end $v$ is (nearly) "
         "a unit eigenvector, so $v \\cdot Hv = \\lambda$, sign included.",
    solution="```python\ndef power_iteration(H, steps=300):\n    v = np.ones(len(H))\n"
             "    for _ in range(steps):\n        w = H @ v\n        v = w / np.linalg.norm(w)\n"
             "    return v @ H @ v\n```\nIt converges like $|\\lambda_2/\\lambda_1|^k$: fast "
             "when the two largest sizes differ. Near a minimum the Hessian has no large "
             "negative eigenvalue, so the dominant one is $\\lambda_{\\max}$.",
)

# ---------------------------------------------------------------- 2.9 vanishing gradients


def _chain_slope(n, x):
    slope = 1.0
    for _ in range(n):
        s = 1 / (1 + math.exp(-x))
        slope *= s * (1 - s)
        x = s
    return slope


sigmoid_chain_slope = Exercise(
    "Write sigmoid_chain_slope(n, x): the derivative of σ(σ(…σ(x)…)), n sigmoids deep, at x. "
    "Let mathdl compute it (md.grad), or multiply the local slopes yourself. Then try "
    "n = 1, 5, 10, 20 at x = 0.",
    check=code(_chain_slope, [(1, 0.0), (3, 0.0), (10, 0.0), (5, -2.0), (20, 1.0)],
               mistakes=[
                   (lambda n, x: 0.25 ** n, "That is the bound (1/4)ⁿ; each layer's actual slope "
                                            "is σ′ at that layer's own input, which is not 0 "
                                            "after the first layer."),
                   (lambda n, x: _chain_slope(1, x) ** n, "Each layer's slope is σ′ at its own "
                                                         "input: z₁ = x, z₂ = σ(z₁), …, not σ′(x) "
                                                         "every time."),
               ]),
    hint="With mathdl: `def f(t): ...` applying `.sigmoid()` n times, then "
         "`md.grad(f)(x).item()`. By hand: keep `z`, multiply `slope` by `σ(z)(1 − σ(z))`, "
         "then set `z = σ(z)`.",
    solution="```python\ndef sigmoid_chain_slope(n, x):\n    def f(t):\n"
             "        for _ in range(n):\n            t = t.sigmoid()\n        return t\n"
             "    return md.grad(f)(x).item()\n```\n"
             "At $x = 0$: 0.25 for one layer, 0.0134 for three, $3.9 \\times 10^{-7}$ for ten and "
             "$1.3 \\times 10^{-13}$ for twenty. After the first layer every input sits near "
             "$z \\approx 0.66$, where $\\sigma' \\approx 0.22$: each layer keeps only that "
             "share of the slope.",
)
