"""Chapter 2's exercises: right answers in several forms, typical mistakes.

(More readers' answers, built on mathdl, are in tests/test_chapter2.py.)"""

import math

import numpy as np
import sympy as sp

import mathdl as md
from mathdl.exercises import chapter2 as ch2

x = sp.Symbol("x")   # a reader's own symbol, without the checker's assumptions


def _unwritten(*args):
    ...


def _quadratic(p):
    return p[0] ** 2 + 3 * p[0] * p[1] + p[1] ** 2


# ---- numerical_gradient: readers' versions
def _central_in_place(f, x, h=1e-6):
    g = np.empty_like(x)
    flat, out = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + h
        up = f(x)
        flat[i] = keep - h
        down = f(x)
        flat[i] = keep
        out[i] = (up - down) / (2 * h)
    return g


def _central_smaller_step(f, x):
    return ch2._central_gradient(f, x, h=1e-5)


def _forgets_the_two(f, x, h=1e-6):
    return 2 * ch2._central_gradient(f, x, h)


# ---- value_autodiff: a skeleton like the notebook's, and a Value without seed
class _Skeleton(ch2._Value):
    def backward(self):
        ...


class _NoSeed(ch2._Value):
    def backward(self):   # the right order, but the seed self.grad = 1 is missing
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node.parents)
        for node in reversed(order):
            node.backward_step()


class ReaderValue:
    """The notebook's skeleton, completed the way the solution says (recursive walk)."""

    def __init__(self, data, parents=()):
        self.data, self.grad = float(data), 0.0
        self.parents = parents
        self.backward_step = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, ReaderValue) else ReaderValue(other)
        out = ReaderValue(self.data + other.data, (self, other))

        def backward_step():
            self.grad += out.grad
            other.grad += out.grad
        out.backward_step = backward_step
        return out

    def __mul__(self, other):
        other = other if isinstance(other, ReaderValue) else ReaderValue(other)
        out = ReaderValue(self.data * other.data, (self, other))

        def backward_step():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out.backward_step = backward_step
        return out

    def tanh(self):
        out = ReaderValue(math.tanh(self.data), (self,))

        def backward_step():
            self.grad += (1 - out.data ** 2) * out.grad
        out.backward_step = backward_step
        return out

    __radd__, __rmul__ = __add__, __mul__

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if id(v) not in seen:
                seen.add(id(v))
                for p in v.parents:
                    visit(p)
                order.append(v)
        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v.backward_step()


def power_iteration(H, steps=300):
    v = np.ones(len(H))
    for _ in range(steps):
        w = H @ v
        v = w / np.linalg.norm(w)
    return v @ H @ v


class _NoRadd(ch2._Value):
    __radd__ = None   # 2 * v works, 1 + v does not


def _value_instance():
    return ch2._Value(1.0)


# ---- sigmoid_layer_backward: readers' versions
def _layer_einsum(X, W, Y, G):
    dZ = G * Y * (1 - Y)
    return np.einsum("nj,ij->ni", dZ, W), np.einsum("ni,nj->ij", X, dZ), np.einsum("nj->j", dZ)


def _layer_as_list(X, W, Y, G):
    dZ = G * (Y - Y ** 2)
    return [np.dot(dZ, W.T), np.dot(X.T, dZ), dZ.sum(0)]


def _layer_by_mathdl(X, W, Y, G):
    Xt, Wt = md.tensor(X, requires_grad=True), md.tensor(W, requires_grad=True)
    Z = md.tensor(np.log(Y / (1 - Y)))                   # Z, recovered from Y
    bt = md.tensor(np.zeros(W.shape[1]), requires_grad=True)
    (Xt @ Wt + bt + (Z - md.tensor(X @ W))).sigmoid().backward(G)
    return Xt.grad, Wt.grad, bt.grad


def _chain_slope_by_hand(n, x):
    z, slope = np.float64(x), 1.0
    for _ in range(n):
        s = 1 / (1 + np.exp(-z))
        slope, z = slope * s * (1 - s), s
    return slope


def _apply_sigmoid(t, n):
    for _ in range(n):
        t = t.sigmoid()
    return t


CASES = {
    "h_sweet_spot": {
        "right": ["b", "(b)", "B", 1],
        "wrong": [
            ("a", "mistake", "On paper, yes"),
            ("c", "mistake", "rounds to about 16"),
            ("d", "mistake", "swings onto the tangent"),
            ("z", "unreadable", "letter of one option"),
        ],
    },
    "numerical_gradient": {
        "right": [ch2._central_gradient, _central_in_place, _central_smaller_step],
        "wrong": [
            (ch2._forward_gradient, "mistake", "forward difference"),
            (ch2._all_at_once, "mistake", "one entry at a time"),
            (_forgets_the_two, "factor", "2 times"),
            (lambda f, x: ch2._central_gradient(f, x).ravel(), "shape", "shape (4,)"),
            (lambda f, x: f(x), "shape", "shape ()"),
            (_unwritten, "blank", "returns nothing yet"),
            (lambda f: 0, "unreadable", "must take 2 arguments"),
        ],
    },
    "derivative_of_silu": {
        "right": ["sigmoid(x) + x*sigmoid(x)*(1 - sigmoid(x))", "σ(x)·(1 + x·(1 − σ(x)))",
                  "sigmoid(x)(1 + x - x sigmoid(x))", "(1 + exp(-x) + x*exp(-x))/(1 + exp(-x))^2",
                  sp.exp(x) * (sp.exp(x) + x + 1) / (sp.exp(x) + 1) ** 2],
        "wrong": [
            ("sigmoid(x)", "mistake", "only u′v"),
            ("x σ(x)(1 − σ(x))", "mistake", "only u·v′"),
            ("σ(x)(1 - σ(x))", "mistake", "derivative of σ alone"),
            ("σ(x) + x σ(x)(1 + σ(x))", "mistake", "with a minus sign"),
            ("2σ(x) + 2x σ(x)(1 − σ(x))", "factor", "2 times"),
            ("x sigmoid(x)", "value", "At x = 0.7"),
            ("sigmoid(t)", "unreadable", "uses t"),
        ],
    },
    "product_rule": {
        "right": ["(1 - 2*x^2)*exp(-x^2)", "exp(-x**2) - 2*x**2*exp(-x**2)",
                  "(1 − 2x²)·e^(−x²)", "e^(-x^2) - 2x^2 e^(-x^2)"],
        "wrong": [
            ("exp(-x^2)", "mistake", "only u′v"),
            ("-2x² e^(-x²)", "mistake", "only u·v′"),
            ("exp(-x^2) + 2x^2 exp(-x^2)", "mistake", "subtracted"),
            ("-2x exp(-x^2)", "mistake", "multiplies the two derivatives"),
            ("exp(-x^2) - x exp(-x^2)", "mistake", "needs the chain rule"),
            ("(2x^2 - 1) exp(-x^2)", "sign", "wrong sign"),
            ("x exp(-x^2)", "value", "At x = 0.7"),
        ],
    },
    "softplus_chain_rule": {
        "right": ["3*sigmoid(3*x)", "3σ(3x)", "3exp(3x)/(1+exp(3x))", "3/(1+exp(-3x))",
                  "3e^(3x)/(1 + e^(3x))"],
        "wrong": [
            ("sigmoid(3*x)", "mistake", "innermost link"),
            ("3*exp(3*x)", "mistake", "1/u"),
            ("1/(1+exp(3x))", "mistake", "3e^(3x)"),
            ("3/(1+exp(3x))", "mistake", "not 3"),
            ("9σ(3x)", "factor", "3 times"),
            ("log(1 + exp(3x))", "value", None),
        ],
    },
    "gradient_at_a_point": {
        "right": [[4, 4], md.tensor([4.0, 4.0]), "[4, 4]", (4.0, 4.0), "4, 4",
                  md.grad(lambda p: p[0] ** 2 * p[1] + 3 * p[1])(np.array([1.0, 2.0]))],
        "wrong": [
            ([2, 4], "mistake", "factor y = 2"),
            ([4, 1], "mistake", "3y"),
            ([4, 3], "mistake", "x²y"),
            (10, "mistake", "value f(1, 2)"),
            ([4, 5], "value", "index (1,)"),
            ([4], "shape", "shape (1,)"),
            ([[4], [4]], "shape", "(2, 1)"),
        ],
    },
    "directional_derivative": {
        "right": [5.6, "5.6", "28/5", 5.6000001, np.float64(5.6), md.tensor(5.6), "4·3/5 + 4·4/5"],
        "wrong": [
            (28, "mistake", "unit vector"),
            (1.12, "mistake", "not by its square"),
            (32 ** 0.5, "mistake", "fastest"),
            (-5.6, "sign", "sign is flipped"),
            ("5,6", "unreadable", "with a point: 5.6"),
            ("'5.6'", "unreadable", "without quotes"),
        ],
    },
    "sum_over_paths": {
        "right": [6, 6.0, "6", "3 + 3",
                  md.grad(lambda a, b: (a + b) * (b + 1), argnums=(0, 1))(1.0, 2.0)[1]],
        "wrong": [
            (3, "mistake", "one path only"),
            (9, "mistake", "e itself"),
            (-6, "sign", None),
            (12, "factor", "2 times"),
            (5, "value", "too small"),
        ],
    },
    "value_autodiff": {
        "right": [ReaderValue, ch2._Value, type("MyValue", (ch2._Value,), {})],
        "wrong": [
            (_Skeleton, "blank", "no gradient reaches the inputs yet"),
            (_NoSeed, "blank", "set the output's grad to 1"),
            (ch2._Overwrites, "mistake", "add to .grad (+=)"),
            (ch2._NoOrder, "mistake", "reverse topological order"),
            (ch2._OwnFactor, "mistake", "*other* factor"),
            (ch2._TanhOneMinus, "mistake", "1 − out.data**2"),
            (ch2._TanhOfInput, "mistake", "not from the input"),
            (_NoRadd, "error", "your Value raised TypeError"),
            (_value_instance(), "unreadable", "Expected a function"),
            (_unwritten, "unreadable", "returned None"),
        ],
    },
    "sigmoid_layer_backward": {
        "right": [ch2._sigmoid_layer, _layer_einsum, _layer_as_list, _layer_by_mathdl],
        "wrong": [
            (lambda X, W, Y, G: (G @ W.T, X.T @ G, G.sum(0)), "mistake", "sigmoid's slope"),
            (ch2._tanh_layer, "mistake", "tanh's slope"),
            (ch2._sigmoid_of_output, "mistake", "already σ(Z)"),
            (lambda X, W, Y, G: (*ch2._sigmoid_layer(X, W, Y, G)[:2],
                                 ch2._sigmoid_layer(X, W, Y, G)[2] / len(X)),
             "mistake", "don't average"),
            (lambda X, W, Y, G: (ch2._sigmoid_layer(X, W, Y, G)[0],
                                 ch2._sigmoid_layer(X, W, Y, G)[1].T,
                                 ch2._sigmoid_layer(X, W, Y, G)[2]), "shape", "dW: "),
            (lambda X, W, Y, G: (*ch2._sigmoid_layer(X, W, Y, G)[:2],
                                 (G * Y * (1 - Y)).sum(1)), "shape", "db: "),
            (lambda X, W, Y, G: ch2._sigmoid_layer(X, W, Y, G)[:2], "error",
             "return the three gradients"),
            (lambda X, W, Y, G: (-ch2._sigmoid_layer(X, W, Y, G)[0],
                                 *ch2._sigmoid_layer(X, W, Y, G)[1:]), "sign", "dX: "),
            (_unwritten, "blank", "returns nothing yet"),
            (lambda X, W, G: G, "unreadable", "must take 4 arguments"),
        ],
    },
    "hessian_of_quadratic": {
        "right": [[[2, 3], [3, 2]], np.array([[2.0, 3.0], [3.0, 2.0]]), "[[2, 3], [3, 2]]",
                  ((2, 3), (3, 2)), md.hessian(_quadratic)(np.array([0.3, -0.2]))],
        "wrong": [
            ([[2, 1.5], [1.5, 2]], "mistake", "in full"),
            ([[1, 1.5], [1.5, 1]], "mistake", "twice that"),
            ([[2, 0], [0, 2]], "mistake", "cross term"),
            ([2, 3, 3, 2], "shape", "shape (4,)"),
            ([[-2, -3], [-3, -2]], "sign", None),
            ([[2, 3], [3, 3]], "value", "1 of 4 entries is off"),
        ],
    },
    "learning_rate_ceiling": {
        "right": [0.2764, "0.276", "2/(5+sqrt(5))", "(5 − √5)/10", 2 / (5 + math.sqrt(5))],
        "wrong": [
            (1 / 3, "mistake", "tilts the bowl"),
            (0.7236, "mistake", "flattest direction"),
            (0.138, "mistake", "one step"),
            ("2/3", "mistake", "not the coefficient 3"),
            (0.25, "value", "too small"),
            (-0.2764, "sign", None),
        ],
    },
    "power_iteration": {
        "right": [power_iteration, lambda H: ch2._dominant_eigenvalue(H),
                  lambda H: (lambda lam: lam[np.abs(lam).argmax()])(np.linalg.eigvals(H).real)],
        "wrong": [
            (lambda H: abs(ch2._dominant_eigenvalue(H)), "mistake", "Rayleigh quotient"),
            (lambda H: np.linalg.eigvalsh(H).max(), "mistake", "largest in size"),
            (lambda H: np.trace(H), "value", "too large"),
            (lambda H: np.ones(len(H)), "shape", "shape (3,)"),
            (_unwritten, "blank", "returns nothing yet"),
        ],
    },
    "sigmoid_chain_slope": {
        "right": [ch2._chain_slope, _chain_slope_by_hand,
                  lambda n, x: md.grad(lambda t: _apply_sigmoid(t, n))(x).item()],
        "wrong": [
            (lambda n, x: 0.25 ** n, "mistake", "the bound (1/4)ⁿ"),
            (lambda n, x: ch2._chain_slope(1, x) ** n, "mistake", "its own input"),
            (lambda n, x: ch2._chain_slope(n + 1, x), "value", "too small"),
            (lambda n: 0.25, "unreadable", "must take 2 arguments"),
            (_unwritten, "blank", "returns nothing yet"),
        ],
    },
}
