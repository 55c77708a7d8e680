"""Exercises for chapter 2, Calculus: from pencil-and-paper derivatives to a backward rule.

Formulas are checked with SymPy, numbers with a tolerance, functions by running them on test
inputs (see ``mathdl.exercises`` for the checkers and the feedback they give).
"""

import numpy as np

from . import Exercise, code, numeric, symbolic

derivative_of_sigmoid = Exercise(
    "Differentiate the sigmoid σ(x) = 1 / (1 + exp(-x)). Answer with a formula in x, "
    "for example as a string such as 'exp(-x) / ...'.",
    check=symbolic("exp(-x) / (1 + exp(-x))**2", variables="x", mistakes={
        "-exp(-x) / (1 + exp(-x))**2": "Two minus signs meet here, and they cancel: one from "
                                       "the power -1, one from the derivative of e^(-x).",
        "-1 / (1 + exp(-x))**2": "Chain rule: multiply by the inner derivative too, which is "
                                 "-e^(-x), not 1.",
        "sigmoid(x)": "That is σ itself; its derivative is σ(x)·(1 - σ(x)).",
        "-exp(-x) / (1 + exp(-x))": "Write σ = u⁻¹ with u = 1 + e^(-x): the outer derivative is "
                                    "-u⁻², so the denominator is squared.",
    }),
    hint="Write $\\sigma(x) = (1 + e^{-x})^{-1}$ and use the chain rule: the outer function is "
         "$u^{-1}$, the inner one $u = 1 + e^{-x}$, and the derivative of $e^{-x}$ is $-e^{-x}$.",
    solution="$\\sigma'(x) = \\dfrac{e^{-x}}{(1 + e^{-x})^2} = \\sigma(x)\\,(1 - \\sigma(x))$, "
             "written `'exp(-x) / (1 + exp(-x))**2'` or `'sigmoid(x) * (1 - sigmoid(x))'`. "
             "Its largest value is $1/4$, at $x = 0$.",
)

product_rule = Exercise(
    "Differentiate f(x) = x**2 * exp(-x), the shape of a bump that rises and then decays. "
    "Answer with a formula in x.",
    check=symbolic("2*x*exp(-x) - x**2*exp(-x)", variables="x", mistakes={
        "2*x*exp(-x) + x**2*exp(-x)": "The derivative of e^(-x) is -e^(-x): the second term is "
                                      "subtracted.",
        "2*x*exp(-x)": "That is only u′v; the product rule adds uv′ = -x²e^(-x).",
        "-2*x*exp(-x)": "That multiplies the two derivatives; the product rule is u′v + uv′.",
        "-x**2*exp(-x)": "That is only uv′; the product rule adds u′v = 2x·e^(-x).",
    }),
    hint="Product rule: $(uv)' = u'v + uv'$ with $u = x^2$ and $v = e^{-x}$. "
         "Careful with the sign of the derivative of $e^{-x}$.",
    solution="$f'(x) = 2x e^{-x} - x^2 e^{-x} = x(2 - x)\\,e^{-x}$, written "
             "`'x*(2 - x)*exp(-x)'`: zero at $x = 0$ and at $x = 2$, where the bump peaks.",
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
    ], mistakes=[
        (lambda y, g: g * (1 - np.tanh(y) ** 2), "y is already tanh(x): use 1 - y², not "
                                                  "1 - tanh(y)²."),
        (lambda y, g: 1 - y ** 2, "Multiply by the upstream gradient g (the chain rule)."),
        (lambda y, g: g * (1 - y) ** 2, "The derivative of tanh is 1 - tanh², that is "
                                        "1 - y**2, not (1 - y)**2."),
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
    ], mistakes=[
        (lambda X, dZ: dZ.T @ X, "That is the transpose: dL/dW has W's shape (n_in, n_out)."),
        (lambda X, dZ: X.T @ dZ / len(X), "Don't divide by N: dZ already holds dL/dZ, and the "
                                          "samples' contributions add."),
        (lambda X, dZ: dZ.sum(axis=0), "That is the gradient of the bias b; the weights' "
                                       "gradient also involves X."),
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

learning_rate_ceiling = Exercise(
    "Gradient descent x ← x - η ∇f(x) on f(x, y) = 2*x**2 + 0.5*y**2 converges from every "
    "starting point exactly when the learning rate η is below a ceiling. What is that ceiling? "
    "Give one number.",
    check=numeric(0.5, mistakes=[
        (2.0, "2 = 2/1 is the ceiling for the flat direction; the steep one, with curvature 4, "
              "diverges first. The smallest ceiling wins."),
        (0.25, "0.25 = 1/4 solves the steep direction in one step; gradient descent still "
               "converges (with a zig-zag) up to twice that."),
        (1.0, "The curvature along x is f_xx = 4, the second derivative of 2x², not the "
              "coefficient 2."),
    ]),
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
    check=numeric(0.25 ** 10, digits=2, mistakes=[   # 9.5e-7, as the solution gives it
        (0.5 ** 10, "1/2 is the largest value of σ; the largest value of σ′ is σ(0)(1 - σ(0)) "
                    "= 1/4."),
        (0.25, "That is one layer; ten layers multiply ten such factors."),
        (2.5, "The ten factors multiply; they do not add."),
    ]),
    hint="First find the largest value of $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$; it is "
         "at $z = 0$.",
    solution="$\\sigma'(0) = \\tfrac12 \\cdot \\tfrac12 = \\tfrac14$, so at most "
             "$(1/4)^{10} \\approx 9.5 \\times 10^{-7}$: the gradient reaching the first layer is "
             "about a millionth of what the last layer sees.",
)
