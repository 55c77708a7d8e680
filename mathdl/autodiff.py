"""Functional derivatives: `grad`, `jacobian`, `hessian`, `hvp` — all built on one reverse sweep.

Because every backward rule is written with Tensor operations, a gradient computed with
`create_graph=True` is an ordinary Tensor in a graph, and differentiating it again gives second
derivatives. The Hessian is simply the Jacobian of the gradient.
"""

import numpy as np

from .tensor import Tensor, backprop


def _gradients(y, wrt, create_graph=False):
    """dy/dw for each w in `wrt`, as Tensors (zeros where y does not depend on w)."""
    if not isinstance(y, Tensor) or y.size != 1:
        shape = getattr(y, "shape", type(y).__name__)
        raise ValueError(f"grad needs a function that returns a single number (a Tensor with one "
                         f"element), but got {shape}; reduce it with .sum() or .mean() first.")
    wrt = list(wrt)
    for i, w in enumerate(wrt):
        if not isinstance(w, Tensor) or not w.requires_grad:
            raise ValueError(f"grad: input {i} is not a Tensor with requires_grad=True, so no "
                             f"gradient can be taken with respect to it.")
    found = backprop([y], [np.ones_like(y.data)], create_graph, {id(w) for w in wrt}) \
        if y.requires_grad else {}
    grads = [found[id(w)][1] if id(w) in found else np.zeros_like(w.data) for w in wrt]
    return [g if isinstance(g, Tensor) else Tensor(g) for g in grads]  # Tensors if recorded


def grad(f, wrt=None, argnums=0, create_graph=False):
    """Gradients, in two forms.

    `grad(y, [x1, x2], create_graph=False)` → [dy/dx1, dy/dx2] as Tensors, for a scalar Tensor y.
    `grad(f, argnums=0)` → a function returning the gradient of the scalar function f with respect
    to argument(s) `argnums`, as a Tensor (a tuple for a tuple of argnums), like JAX's `grad`.
    If an argument you pass is already a Tensor that requires grad, the result stays in the graph,
    so `grad(grad(f))` gives a second derivative.
    """
    if isinstance(f, Tensor):
        if wrt is None:
            raise TypeError("grad(y, wrt): pass the tensors to differentiate with respect to.")
        return _gradients(f, [wrt] if isinstance(wrt, Tensor) else wrt, create_graph)
    if not callable(f):
        raise TypeError(f"grad expects a function or a scalar Tensor, not {type(f).__name__}.")

    def gradient_of_f(*args):
        nested = any(isinstance(a, Tensor) and a.requires_grad for a in args)
        args = [a if isinstance(a, Tensor) and a.requires_grad else Tensor(a, requires_grad=True)
                for a in args]
        picks = argnums if isinstance(argnums, tuple) else (argnums,)
        gs = _gradients(f(*args), [args[i] for i in picks], create_graph=nested)
        return tuple(gs) if isinstance(argnums, tuple) else gs[0]

    gradient_of_f.__name__ = f"grad_of_{getattr(f, '__name__', 'f')}"
    return gradient_of_f


def jacobian(f):
    """`jacobian(f)(x)` → numpy array J of shape f(x).shape + x.shape, J[i, j] = ∂fᵢ/∂xⱼ.

    One reverse sweep per output element, each seeded with a one-hot vector.
    """
    def jacobian_of_f(x):
        nested = isinstance(x, Tensor) and x.requires_grad
        x = x if nested else Tensor(x, requires_grad=True)
        y = f(x)
        J = np.zeros(y.shape + x.shape, dtype=x.dtype)
        if not y.requires_grad:
            return J
        for i in np.ndindex(*y.shape):
            seed = np.zeros_like(y.data)
            seed[i] = 1
            found = backprop([y], [seed], False, {id(x)})
            if id(x) in found:
                J[i] = found[id(x)][1]
        return J
    return jacobian_of_f


def hessian(f):
    """`hessian(f)(x)` → numpy array of shape x.shape + x.shape: the Jacobian of the gradient."""
    return jacobian(grad(f))


def hvp(f, x, v):
    """Hessian-vector product H(x)·v in one extra reverse sweep: d/dx ⟨∇f(x), v⟩.

    It never forms H, so it costs about two gradients whatever the size of x.
    """
    x = Tensor(x, requires_grad=True)
    v = Tensor(v, dtype=x.dtype)
    if v.shape != x.shape:
        raise ValueError(f"hvp: the direction v has shape {v.shape} but x has shape {x.shape}.")
    g = grad(f)(x)
    if not g.requires_grad:  # f is linear in x: no curvature
        return np.zeros_like(x.data)
    return _gradients((g * v).sum(), [x])[0].data
