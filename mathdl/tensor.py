"""The Tensor: a numpy array that remembers how it was made.

Every operation on tensors that need gradients records a small `Function` node (see `ops.py`) that
knows its inputs and its local derivative. `Tensor.backward()` walks those nodes from the output
back to the leaves in reverse topological order and applies the chain rule once per node.

Gradients **accumulate**: a value used twice receives the sum of both contributions, and calling
`backward()` again adds to `.grad` until you reset it (`x.grad = None`, or `zero_grad()` on a module
or an optimizer), exactly as in PyTorch.
"""

import gc
from operator import attrgetter

import numpy as np


class no_grad:
    """Context manager: operations inside record no graph (for updates and evaluation)."""

    def __enter__(self):
        self.previous, Tensor.grad_enabled = Tensor.grad_enabled, False

    def __exit__(self, *exc):
        Tensor.grad_enabled = self.previous


class enable_grad(no_grad):
    """Context manager: record the graph even inside `no_grad` (used for `create_graph=True`)."""

    def __enter__(self):
        self.previous, Tensor.grad_enabled = Tensor.grad_enabled, True


class gc_paused:
    """Context manager: pause Python's cycle collector (reference counting still frees memory).

    A backward pass creates no reference cycles, so the collector would find nothing there; but
    left running it re-scans every object of a large graph again and again as the pass allocates,
    and backward time would grow faster than the graph (about 2× per node at 100,000 nodes).
    """

    def __enter__(self):
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was_enabled:
            gc.enable()


def _as_array(data, dtype=None):
    """Turn numbers, nested lists or arrays into a float numpy array, or explain why not."""
    if isinstance(data, Tensor):
        data = data.data
    try:
        array = np.asarray(data, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise TypeError(f"mathdl.tensor needs numbers (a number, a nested list of numbers or a "
                        f"numpy array), but could not turn {type(data).__name__} into one: {err}"
                        ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"mathdl.tensor needs numbers, but got data of dtype {array.dtype} "
                        f"(for example {array.flat[0]!r} if any); convert it to numbers first.")
    if dtype is None and array.dtype.kind != "f":
        array = array.astype(np.float64)  # integers and booleans become float64 by default
    return array


class Tensor:
    """An n-dimensional array of numbers, with an optional gradient and the op that produced it.

    The arithmetic and math methods (`+`, `@`, `exp`, `sum`, ...) are attached in `ops.py`, each
    right below the operation that computes it and its derivative (`__mul__` under `class Mul`),
    so `ops.py` is part of this class: the one module that uses its private `_make` and `_ctx`.
    """

    __slots__ = ("data", "grad", "requires_grad", "_ctx", "__weakref__")
    __hash__ = object.__hash__  # `==` is elementwise (see ops.py), so hash by identity
    __array_ufunc__ = None  # `numpy_array * tensor` defers to Tensor.__rmul__ instead of looping
    grad_enabled = True     # switched off by `no_grad()`

    def __init__(self, data, requires_grad=False, dtype=None):
        self.data = _as_array(data, dtype)
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError("only floating-point tensors can require gradients")
        self.grad, self.requires_grad, self._ctx = None, bool(requires_grad), None

    @classmethod
    def _make(cls, data):
        """Fast constructor for results of operations (data is already a valid numpy array)."""
        t = cls.__new__(cls)
        t.data, t.grad, t.requires_grad, t._ctx = data, None, False, None
        return t

    # ---- reading ----------------------------------------------------------------------------
    shape = property(attrgetter("data.shape"))   # t.shape is t.data.shape, and so on
    ndim = property(attrgetter("data.ndim"))
    size = property(attrgetter("data.size"))
    dtype = property(attrgetter("data.dtype"))
    T = property(lambda self: self.transpose())
    grad_fn = property(attrgetter("_ctx"))   # the Function that made this tensor; None for a leaf

    def __len__(self):
        return len(self.data)

    def item(self):
        return self.data.item()

    def numpy(self):
        return self.data

    def detach(self):
        """The same numbers, cut off from the graph."""
        return Tensor._make(self.data)

    def __repr__(self):
        body = np.array2string(self.data, precision=4, separator=", ", prefix="tensor(")
        return f"tensor({body}{', requires_grad=True' if self.requires_grad else ''})"

    # ---- backpropagation ----------------------------------------------------------------------
    def backward(self, gradient=None, create_graph=False):
        """Fill `.grad` of every leaf this tensor depends on with d(self)/d(leaf), accumulating.

        `gradient` is the seed dL/d(self); it may be omitted only when self holds a single number.
        With `create_graph=True` the backward pass is itself recorded, so the gradients can be
        differentiated again (see `mathdl.grad` for getting them as Tensors).
        """
        if not self.requires_grad:
            raise RuntimeError("backward(): this tensor does not depend on any tensor created with "
                               "requires_grad=True, so there is nothing to differentiate.")
        if gradient is None:
            if self.size != 1:
                raise RuntimeError(f"backward() without a seed gradient needs a single number, but "
                                   f"this tensor has shape {self.shape}; reduce it first (e.g. "
                                   f".sum() or .mean()) or pass gradient= of that shape.")
            gradient = np.array(1, self.dtype).reshape(self.shape)  # dself/dself = 1
        for leaf, g in backprop([self], [gradient], create_graph).values():
            g = g.data if isinstance(g, Tensor) else g
            if leaf.grad is None:
                leaf.grad = np.array(g, dtype=leaf.data.dtype)  # a private copy
            else:
                leaf.grad += g


def tensor(data, requires_grad=False, dtype=None):
    """Create a Tensor (float64 unless you pass float32 data or `dtype`) holding its own copy of
    `data`, so that changing your array later cannot change the tensor, nor the other way round."""
    t = Tensor(data, requires_grad=requires_grad, dtype=dtype)
    if t.data is data or isinstance(data, Tensor) and t.data is data.data:
        t.data = t.data.copy()
    return t


def topological_order(roots, constants=False):
    """Every tensor that `roots` depend on through recorded ops, inputs before outputs.

    An iterative depth-first walk with an explicit stack, so a chain of 100,000 ops needs no
    recursion, and each node is visited once (linear time). `constants=True` also keeps the leaves
    that need no gradient, and walks inputs in argument order (for drawing: in a + b, a first).
    """
    order, seen = [], set()  # Tensors hash by identity (see Tensor.__hash__)
    stack = [(r, False) for r in roots]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            if node._ctx is None:   # a leaf: nothing comes before it
                order.append(node)
                continue
            stack.append((node, True))
            if constants:   # the first input is pushed last, so popped and walked first
                stack.extend((t, False) for t in reversed(node._ctx.inputs) if t not in seen)
                continue
            for t in node._ctx.inputs:   # the hot path of backward
                if t.requires_grad and t not in seen:
                    stack.append((t, False))
    return order


def backprop(roots, seeds, create_graph=False, wanted=None):
    """Reverse-mode sweep: {id(t): (t, gradient)} for the leaves (or for the `wanted` ids).

    Each node's gradient is complete once every node after it in topological order has been
    processed, so one pass in reverse order applies the chain rule exactly once per node.
    With `create_graph` the gradients are Tensors (recorded, differentiable again); without it
    they travel, and are returned, as plain numpy arrays (see ops.py).
    """
    grads = {}
    for root, seed in zip(roots, seeds):
        seed = _as_array(seed, root.dtype)
        if seed.shape != root.shape:
            raise ValueError(f"backward(): the seed gradient has shape {seed.shape} but the tensor "
                             f"has shape {root.shape}; they must match.")
        seed = Tensor._make(seed) if create_graph else seed
        grads[root] = seed if root not in grads else grads[root] + seed
    result = {}
    with gc_paused(), (enable_grad() if create_graph else no_grad()):
        for node in reversed(topological_order(roots)):
            g = grads.pop(node, None)
            if g is None:
                continue
            ctx = node._ctx
            if (ctx is None) if wanted is None else (id(node) in wanted):
                result[id(node)] = (node, g)
            if ctx is None:
                continue
            for inp, g_in in zip(ctx.inputs, ctx.backward(g)):
                if g_in is not None and inp.requires_grad:
                    old = grads.get(inp)
                    grads[inp] = g_in if old is None else old + g_in
    return result
