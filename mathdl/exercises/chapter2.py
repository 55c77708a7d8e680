"""Exercises for chapter 2, Calculus: from pencil-and-paper derivatives to a backward rule.

Formulas are checked with SymPy, numbers with a tolerance, functions by running them on test
inputs (see ``mathdl.exercises`` for the checkers and the feedback they give).
"""

import numpy as np

from . import Exercise, code, numeric, symbolic

derivative_of_sigmoid = Exercise(
    "Differentiate the sigmoid σ(x) = 1 / (1 + exp(-x)). Answer with a formula in x, "
    "for example as a string such as 'exp(-x) / ...'.",
    check=symbolic("exp(-x) / (1 + exp(-x))**2", variables="x"),
    hint="Write $\\sigma(x) = (1 + e^{-x})^{-1}$ and use the chain rule: the outer function is "
         "$u^{-1}$, the inner one $u = 1 + e^{-x}$, and the derivative of $e^{-x}$ is $-e^{-x}$.",
    solution="$\\sigma'(x) = \\dfrac{e^{-x}}{(1 + e^{-x})^2} = \\sigma(x)\\,(1 - \\sigma(x))$, "
             "written `'exp(-x) / (1 + exp(-x))**2'` or `'sigmoid(x) * (1 - sigmoid(x))'`. "
             "Its largest value is $1/4$, at $x = 0$.",
)

product_rule = Exercise(
    "Differentiate f(x) = x**2 * exp(-x), the shape of a bump that rises and then decays. "
    "Answer with a formula in x.",
    check=symbolic("2*x*exp(-x) - x**2*exp(-x)", variables="x"),
    hint="Product rule: $(uv)' = u'v + uv'$ with $u = x^2$ and $v = e^{-x}$. "
         "Careful with the sign of the derivative of $e^{-x}$.",
    solution="$f'(x) = 2x e^{-x} - x^2 e^{-x} = x(2 - x)\\,e^{-x}$, written "
             "`'x*(2 - x)*exp(-x)'`: zero at $x = 0$ and at $x = 2$, where the bump peaks.",
)

softplus_chain_rule = Exercise(
    "The softplus s(x) = log(1 + exp(3x)) is a smooth ReLU. Differentiate it with the chain rule. "
    "Answer with a formula in x (you may use sigmoid(...)).",
    check=symbolic("3*exp(3*x) / (1 + exp(3*x))", variables="x"),
    hint="Three links: $\\log u$ with $u = 1 + e^{v}$ with $v = 3x$. Multiply the three local "
         "derivatives $1/u$, $e^{v}$ and $3$.",
    solution="$s'(x) = \\dfrac{3e^{3x}}{1 + e^{3x}} = 3\\,\\sigma(3x)$, written "
             "`'3*sigmoid(3*x)'`: the derivative of a softplus is a sigmoid, scaled by the inner "
             "factor 3.",
)

gradient_at_a_point = Exercise(
    "Let f(x, y) = x**2 * y + 3*y. Give its gradient at the point (x, y) = (1, 2) "
    "as a list [∂f/∂x, ∂f/∂y].",
    check=numeric([4.0, 4.0]),
    hint="Treat $y$ as a constant to get $\\partial f/\\partial x = 2xy$; treat $x$ as a "
         "constant to get $\\partial f/\\partial y = x^2 + 3$. Then put in $x = 1$, $y = 2$.",
    solution="$\\nabla f = (2xy,\\ x^2 + 3) = (2 \\cdot 1 \\cdot 2,\\ 1 + 3) = (4, 4)$, "
             "answered as `[4, 4]`.",
)

directional_derivative = Exercise(
    "For the same f(x, y) = x**2 * y + 3*y at (1, 2): how fast does f change per unit step in "
    "the direction of the vector (3, 4)? Give one number.",
    check=numeric(4.0 * 3 / 5 + 4.0 * 4 / 5),
    hint="The directional derivative is $\\nabla f \\cdot \\mathbf u$ for a *unit* vector "
         "$\\mathbf u$; the vector $(3, 4)$ has length 5.",
    solution="$\\mathbf u = (3/5, 4/5)$, so $\\nabla f \\cdot \\mathbf u = 4 \\cdot 0.6 + "
             "4 \\cdot 0.8 = 5.6$. Without normalising you would get 28, five times too much.",
)

sum_over_paths = Exercise(
    "For e = (a + b) * (b + 1) at a = 1, b = 2, what is ∂e/∂b? Remember that b reaches e along "
    "two paths. Give one number.",
    check=numeric(6.0),
    hint="Name $c = a + b$ and $d = b + 1$, so $e = cd$. The path through $c$ contributes "
         "$\\frac{\\partial e}{\\partial c}\\frac{\\partial c}{\\partial b} = d \\cdot 1$, "
         "the path through $d$ contributes $c \\cdot 1$. Add the paths.",
    solution="$\\partial e/\\partial b = d + c = (b + 1) + (a + b) = 3 + 3 = 6$. Keeping only "
             "one path gives 3: that is the bug of overwriting a gradient instead of adding to it.",
)


def _tanh_backward(y, g):
    return g * (1 - y ** 2)


tanh_backward = Exercise(
    "Write the backward rule of tanh: a function tanh_backward(y, g) that receives the forward "
    "output y = tanh(x) (a numpy array) and the upstream gradient g = dL/dy (same shape) and "
    "returns dL/dx.",
    check=code(_tanh_backward, [
        (np.array([0.0]), np.array([1.0])),
        (np.array([0.5, -0.9, 0.99]), np.array([1.0, 2.0, -3.0])),
        (np.tanh(np.linspace(-2, 2, 6)).reshape(2, 3), np.linspace(-1, 1, 6).reshape(2, 3)),
    ]),
    hint="$\\frac{d}{dx}\\tanh x = 1 - \\tanh^2 x$, and you already have $\\tanh x$: it is "
         "`y`. Multiply elementwise by `g` (the chain rule).",
    solution="`def tanh_backward(y, g): return g * (1 - y**2)`. Reusing the saved output instead "
             "of recomputing tanh is exactly what mathdl's `Tanh.backward` does.",
)


def _weight_gradient(X, dZ):
    return X.T @ dZ


_rng = np.random.default_rng(2)
linear_weight_gradient = Exercise(
    "A layer computes Z = X @ W + b for a batch X of shape (N, n_in) and W of shape (n_in, n_out). "
    "Given X and dZ = dL/dZ (shape (N, n_out)), write weight_gradient(X, dZ) returning dL/dW.",
    check=code(_weight_gradient, [
        (np.array([[1.0, 2.0]]), np.array([[3.0]])),
        (_rng.standard_normal((4, 3)), _rng.standard_normal((4, 2))),
        (_rng.standard_normal((5, 2)), _rng.standard_normal((5, 3))),
    ]),
    hint="$\\partial L/\\partial W$ has $W$'s shape `(n_in, n_out)`. Each $W_{ij}$ multiplies "
         "$X_{ki}$ into $Z_{kj}$ for every sample $k$, so sum $X_{ki}\\,\\bar Z_{kj}$ over $k$. "
         "Which matrix product does that?",
    solution="`def weight_gradient(X, dZ): return X.T @ dZ`. The shapes force it: "
             "`(n_in, N) @ (N, n_out)` gives `(n_in, n_out)`, and the product sums over the batch.",
)

hessian_of_quadratic = Exercise(
    "Give the Hessian of f(x, y) = x**2 + 3*x*y + y**2 as a 2 × 2 nested list. "
    "(Then look at its eigenvalues: is the origin a minimum, a maximum or a saddle?)",
    check=numeric([[2.0, 3.0], [3.0, 2.0]]),
    hint="The Hessian holds the second partial derivatives: $\\partial^2 f/\\partial x^2$ and "
         "$\\partial^2 f/\\partial y^2$ on the diagonal, $\\partial^2 f/\\partial x\\partial y$ "
         "in both corners off it.",
    solution="$H = \\begin{pmatrix} 2 & 3 \\\\ 3 & 2 \\end{pmatrix}$, answered as "
             "`[[2, 3], [3, 2]]`. Its eigenvalues are 5 (direction $(1, 1)$) and $-1$ (direction "
             "$(1, -1)$): one up, one down, so the origin is a saddle, although $f$ curves upward "
             "along both axes.",
)

learning_rate_ceiling = Exercise(
    "Gradient descent x ← x - η ∇f(x) on f(x, y) = 2*x**2 + 0.5*y**2 converges from every "
    "starting point exactly when the learning rate η is below a ceiling. What is that ceiling? "
    "Give one number.",
    check=numeric(0.5),
    hint="Each coordinate evolves on its own: $x \\leftarrow (1 - \\eta\\lambda)\\,x$ with "
         "$\\lambda$ the curvature (second derivative) along it. The iteration shrinks only if "
         "$|1 - \\eta\\lambda| < 1$.",
    solution="The curvatures are 4 (along $x$) and 1 (along $y$). $|1 - 4\\eta| < 1$ needs "
             "$\\eta < 2/4 = 0.5$: the sharpest direction sets the ceiling $2/\\lambda_{\\max}$. "
             "(At exactly 0.5, $x$ bounces forever between $\\pm x_0$: 0.5 is the boundary.)",
)

vanishing_sigmoid = Exercise(
    "Through a chain of 10 sigmoid layers, each multiplying the gradient by at most the largest "
    "value of σ'(z) (weights aside), what is the largest factor the gradient can keep? "
    "Give one number.",
    check=numeric(0.25 ** 10, rtol=1e-3),
    hint="First find the largest value of $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$; it is "
         "at $z = 0$.",
    solution="$\\sigma'(0) = \\tfrac12 \\cdot \\tfrac12 = \\tfrac14$, so at most "
             "$(1/4)^{10} \\approx 9.5 \\times 10^{-7}$: the gradient reaching the first layer is "
             "about a millionth of what the last layer sees.",
)
