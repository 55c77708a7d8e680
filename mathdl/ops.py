"""Operations, each with its forward rule and its derivative side by side.

A `Function` computes its output from numpy arrays (`forward`) and, given the gradient
g = dL/d(out), returns dL/d(input) for each input (`backward`). Each backward rule is written
once, with operators that Tensors and numpy arrays share (`*`, `@`, `.sum`, `.T`, ...), so the
same code serves plain training and second derivatives (see `Function`). Below each operation,
one or two lines attach it to Tensor: `Tensor.__mul__` sits under `class Mul`.

Broadcasting: numpy may stretch an input to the output's shape; the chain rule then adds up the
gradient over the stretched axes. One operation does that, `SumTo`, whose own derivative is
`BroadcastTo`. Every gradient therefore has exactly its tensor's shape.
"""

import numbers
import weakref

import numpy as np

from .tensor import Tensor


class Function:
    """One node of the graph: `inputs`, `output`, and the local chain rule in `backward(g)`.

    `g`, `self.args` (the inputs) and `self.result` (the output) change type with the mode, on
    purpose. In an ordinary backward pass they are plain numpy arrays: nothing is recorded, and a
    rule like `g * y` costs what numpy costs. Under `create_graph=True` they are Tensors: the same
    `g * y` records new nodes, so the gradient can be differentiated again (Hessians, ...).
    `self.inputs` are always the input Tensors (for a `.shape` or `.requires_grad`).
    """

    symbol = "?"

    @classmethod
    def apply(cls, *inputs, **params):
        fn = cls()
        fn.__dict__ = params  # e.g. axis=..., keepdims=... for the forward and backward rules
        arrays = [t.data for t in inputs]
        out = _make(fn.forward(*arrays))
        if Tensor.grad_enabled:
            for t in inputs:
                if t.requires_grad:  # record the node only if some input needs a gradient
                    out.requires_grad, out._ctx = True, fn
                    fn.inputs, fn._arrays, fn._out = inputs, arrays, weakref.ref(out)
                    break
        return out

    @property
    def output(self):
        """The Tensor this node produced."""
        return self._out()

    # what `backward` reads (see above): arrays in a plain backward pass, Tensors under create_graph
    args = property(lambda self: self.inputs if Tensor.grad_enabled else self._arrays)
    result = property(lambda self: self._out() if Tensor.grad_enabled else self._out().data)

    def needs(self, i):
        return self.inputs[i].requires_grad

    def __repr__(self):
        params = {k: v for k, v in self.__dict__.items() if k not in ("inputs", "_arrays", "_out")}
        return f"{type(self).__name__}({params})" if params else type(self).__name__


_make = Tensor._make


def _lift(value, like):
    """Numbers and arrays meeting a Tensor become constant Tensors of its dtype."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, numbers.Number):
        return _make(np.asarray(value, dtype=like.dtype))
    return Tensor(value)


def _unbroadcast(g, shape):
    if g.shape == shape:
        return g
    return SumTo.apply(g, shape=shape) if isinstance(g, Tensor) else _sum_to(g, shape)


def _broadcast(g, shape):
    return BroadcastTo.apply(g, shape=shape) if isinstance(g, Tensor) else np.broadcast_to(g, shape)


def _sum_to(x, shape):
    """Add up the axes that broadcasting created or stretched, leaving `shape`."""
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape)
                                      if n == 1 and x.shape[i + lead] != 1)
    return x.sum(axis=axes, keepdims=True).reshape(shape)


def _broadcast_error(name, a, b):
    pairs = zip(reversed(a.shape), reversed(b.shape))
    da, db = next((p, q) for p, q in pairs if p != q and 1 not in (p, q))
    return ValueError(f"{name}: shapes {a.shape} and {b.shape} do not broadcast: aligned from the "
                      f"right, dimensions {da} and {db} differ and neither is 1.")


def _binary(fn, name):
    """The Tensor methods for x ∘ y and for its mirror (`2 * x` calls `x.__rmul__(2)`): numbers
    become constant Tensors, and shapes that do not broadcast are named in the error."""
    def method(reverse):
        def apply(self, other):
            other = _lift(other, self)
            x, y = (other, self) if reverse else (self, other)
            try:
                return fn.apply(x, y)
            except ValueError:
                if x.shape == y.shape:
                    raise
                raise _broadcast_error(name, x, y) from None
        return apply
    return method(False), method(True)


# ---- shape bookkeeping for broadcasting ---------------------------------------------------------
class SumTo(Function):
    """Sum a broadcast array back down to `shape`.  d/dx: broadcast g back up (BroadcastTo)."""
    symbol = "sum_to"

    def forward(self, x):
        return _sum_to(x, self.shape)

    def backward(self, g):
        return (_broadcast(g, self.inputs[0].shape),)
Tensor.sum_to = lambda self, shape: SumTo.apply(self, shape=tuple(shape))


class BroadcastTo(Function):
    """Stretch x to `shape` (numpy rules).  d/dx: sum g back to x's shape (SumTo)."""
    symbol = "broadcast"

    def forward(self, x):
        return np.broadcast_to(x, self.shape)

    def backward(self, g):
        return (_unbroadcast(g, self.inputs[0].shape),)
Tensor.broadcast_to = lambda self, shape: BroadcastTo.apply(self, shape=tuple(shape))


# ---- arithmetic ---------------------------------------------------------------------------------
class Add(Function):
    """z = x + y.   dz/dx = 1, dz/dy = 1."""
    symbol = "+"

    def forward(self, x, y):
        return x + y

    def backward(self, g):
        x, y = self.inputs
        return _unbroadcast(g, x.shape), _unbroadcast(g, y.shape)
Tensor.__add__, Tensor.__radd__ = _binary(Add, "add")


class Sub(Function):
    """z = x - y.   dz/dx = 1, dz/dy = -1."""
    symbol = "-"

    def forward(self, x, y):
        return x - y

    def backward(self, g):
        x, y = self.inputs
        return _unbroadcast(g, x.shape), _unbroadcast(-g, y.shape) if self.needs(1) else None
Tensor.__sub__, Tensor.__rsub__ = _binary(Sub, "subtract")


class Mul(Function):
    """z = x * y.   dz/dx = y, dz/dy = x."""
    symbol = "*"

    def forward(self, x, y):
        return x * y

    def backward(self, g):
        x, y = self.args   # numpy arrays, or Tensors under create_graph (see Function)
        return (_unbroadcast(g * y, x.shape) if self.needs(0) else None,
                _unbroadcast(g * x, y.shape) if self.needs(1) else None)
Tensor.__mul__, Tensor.__rmul__ = _binary(Mul, "multiply")


class Div(Function):
    """z = x / y.   dz/dx = 1/y, dz/dy = -x/y²."""
    symbol = "/"

    def forward(self, x, y):
        return x / y

    def backward(self, g):
        x, y = self.args
        return (_unbroadcast(g / y, x.shape) if self.needs(0) else None,
                _unbroadcast(-g * x / (y * y), y.shape) if self.needs(1) else None)
Tensor.__truediv__, Tensor.__rtruediv__ = _binary(Div, "divide")


class Pow(Function):
    """z = x ** y.   dz/dx = y·x^(y-1), dz/dy = x^y·ln x (computed only if y needs a gradient)."""
    symbol = "**"

    def forward(self, x, y):
        return np.power(x, y)

    def backward(self, g):
        x, y = self.args
        return (_unbroadcast(g * y * x ** (y - 1), x.shape) if self.needs(0) else None,
                _unbroadcast(g * self.result * _log(x), y.shape) if self.needs(1) else None)
Tensor.__pow__, Tensor.__rpow__ = _binary(Pow, "power")


class Neg(Function):
    """z = -x.   dz/dx = -1."""
    symbol = "neg"

    def forward(self, x):
        return -x

    def backward(self, g):
        return (-g,)
Tensor.__neg__ = lambda self: Neg.apply(self)


class MatMul(Function):
    """Z = X @ Y, (m×n)(n×p) → (m×p), batched over leading axes.   dX = G Yᵀ,  dY = Xᵀ G.

    A 1-D left operand acts as a row vector and a 1-D right operand as a column vector (numpy's
    rule); the backward pass views them as matrices and reshapes the gradients back.
    """
    symbol = "@"

    def forward(self, x, y):
        if x.ndim == 0 or y.ndim == 0:
            raise ValueError(f"matmul: {x.shape} @ {y.shape}: both operands need at least one "
                             f"dimension; use * to multiply by a number.")
        if x.shape[-1] != y.shape[-2 if y.ndim > 1 else 0]:
            n, k = x.shape[-1], y.shape[-2 if y.ndim > 1 else 0]
            raise ValueError(f"matmul: {x.shape} @ {y.shape}: inner dimensions {n} and {k} differ "
                             f"((m×n) @ (n×p) needs the same n).")
        return x @ y

    def backward(self, g):
        x, y = self.args
        x2 = x if x.ndim > 1 else x.reshape(1, -1)
        y2 = y if y.ndim > 1 else y.reshape(-1, 1)
        if x.ndim == 1 or y.ndim == 1:   # put back the axis numpy dropped: (…, m, p)
            g = g.reshape(*np.broadcast_shapes(x2.shape[:-2], y2.shape[:-2]), x2.shape[-2],
                          y2.shape[-1])
        gx = _unbroadcast(g @ _swap(y2), x2.shape) if self.needs(0) else None
        gy = _unbroadcast(_swap(x2) @ g, y2.shape) if self.needs(1) else None
        return (gx if gx is None or x.ndim > 1 else gx.reshape(*x.shape),
                gy if gy is None or y.ndim > 1 else gy.reshape(*y.shape))
Tensor.__matmul__ = lambda self, other: MatMul.apply(self, _lift(other, self))
Tensor.__rmatmul__ = lambda self, other: MatMul.apply(_lift(other, self), self)


def _swap(t):
    """Transpose the last two axes."""
    return t.T if t.ndim == 2 else t.transpose(*range(t.ndim - 2), t.ndim - 1, t.ndim - 2)


# ---- elementwise functions ----------------------------------------------------------------------
class Exp(Function):
    """z = eˣ.   dz/dx = eˣ = z."""
    symbol = "exp"

    def forward(self, x):
        return np.exp(x)

    def backward(self, g):
        return (g * self.result,)
Tensor.exp = lambda self: Exp.apply(self)


def _exp(x):
    return Exp.apply(x) if isinstance(x, Tensor) else np.exp(x)


class Log(Function):
    """z = ln x.   dz/dx = 1/x."""
    symbol = "log"

    def forward(self, x):
        return np.log(x)

    def backward(self, g):
        return (g / self.args[0],)
Tensor.log = lambda self: Log.apply(self)


def _log(x):
    return Log.apply(x) if isinstance(x, Tensor) else np.log(x)


class Sqrt(Function):
    """z = √x.   dz/dx = 1/(2√x) = 1/(2z)."""
    symbol = "sqrt"

    def forward(self, x):
        return np.sqrt(x)

    def backward(self, g):
        return (g / (2 * self.result),)
Tensor.sqrt = lambda self: Sqrt.apply(self)


class Abs(Function):
    """z = |x|.   dz/dx = sign(x) (we use 0 at the kink x = 0)."""
    symbol = "abs"

    def forward(self, x):
        return np.abs(x)

    def backward(self, g):
        return (g * np.sign(self.inputs[0].data),)
Tensor.abs = Tensor.__abs__ = lambda self: Abs.apply(self)


class Tanh(Function):
    """z = tanh x.   dz/dx = 1 - tanh²x = 1 - z²."""
    symbol = "tanh"

    def forward(self, x):
        return np.tanh(x)

    def backward(self, g):
        z = self.result
        return (g * (1 - z * z),)
Tensor.tanh = lambda self: Tanh.apply(self)


class Sigmoid(Function):
    """z = σ(x) = 1/(1 + e⁻ˣ).   dz/dx = σ(x)(1 - σ(x)) = z(1 - z)."""
    symbol = "σ"

    def forward(self, x):
        e = np.exp(-np.abs(x))  # never overflows: for x < 0 use σ(x) = eˣ/(1 + eˣ)
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

    def backward(self, g):
        z = self.result
        return (g * z * (1 - z),)
Tensor.sigmoid = lambda self: Sigmoid.apply(self)


class ReLU(Function):
    """z = max(0, x).   dz/dx = 1 where x > 0, else 0 (0 at the kink)."""
    symbol = "relu"

    def forward(self, x):
        return np.maximum(x, 0)

    def backward(self, g):
        return (g * (self.inputs[0].data > 0),)
Tensor.relu = lambda self: ReLU.apply(self)


class Softmax(Function):
    """zᵢ = e^{xᵢ} / Σⱼ e^{xⱼ} along `axis`.   dL/dxᵢ = zᵢ (gᵢ - Σⱼ gⱼ zⱼ)."""
    symbol = "softmax"

    def forward(self, x):
        e = np.exp(x - x.max(axis=self.axis, keepdims=True))  # shift: same result, no overflow
        return e / e.sum(axis=self.axis, keepdims=True)

    def backward(self, g):
        z = self.result
        return (z * (g - (g * z).sum(axis=self.axis, keepdims=True)),)
Tensor.softmax = lambda self, axis=-1: Softmax.apply(self, axis=axis)


class LogSoftmax(Function):
    """zᵢ = xᵢ - log Σⱼ e^{xⱼ} along `axis`.   dL/dxᵢ = gᵢ - softmax(x)ᵢ Σⱼ gⱼ."""
    symbol = "log_softmax"

    def forward(self, x):
        shifted = x - x.max(axis=self.axis, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=self.axis, keepdims=True))

    def backward(self, g):
        return (g - _exp(self.result) * g.sum(axis=self.axis, keepdims=True),)
Tensor.log_softmax = lambda self, axis=-1: LogSoftmax.apply(self, axis=axis)


# ---- reductions ---------------------------------------------------------------------------------
def _kept_shape(shape, axis):
    """The shape a reduction over `axis` has with keepdims=True."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in (axis if isinstance(axis, tuple) else (axis,))}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


class Sum(Function):
    """z = Σ x over `axis`.   dz/dxᵢ = 1: each input receives g (broadcast back)."""
    symbol = "Σ"

    def forward(self, x):
        return np.sum(x, axis=self.axis, keepdims=self.keepdims)

    def backward(self, g):
        shape = self.inputs[0].shape
        if g.ndim and not self.keepdims:
            g = g.reshape(*_kept_shape(shape, self.axis))
        return (_broadcast(g, shape),)
Tensor.sum = lambda self, axis=None, keepdims=False: Sum.apply(self, axis=axis, keepdims=keepdims)


class Mean(Sum):
    """z = mean of x over `axis` (n numbers).   dz/dxᵢ = 1/n."""
    symbol = "mean"

    def forward(self, x):
        out = np.mean(x, axis=self.axis, keepdims=self.keepdims)
        self.n = x.size // max(out.size, 1)
        return out

    def backward(self, g):
        return Sum.backward(self, g * (1.0 / self.n))
Tensor.mean = lambda self, axis=None, keepdims=False: Mean.apply(self, axis=axis, keepdims=keepdims)


class Max(Function):
    """z = max x over `axis`.   dz/dxᵢ = 1 at the maximum (shared equally between ties), else 0."""
    symbol = "max"

    def forward(self, x):
        return np.max(x, axis=self.axis, keepdims=self.keepdims)

    def backward(self, g):
        x = self.inputs[0]
        kept = _kept_shape(x.shape, self.axis)
        hit = x.data == self.output.data.reshape(kept)
        share = hit / hit.sum(axis=self.axis, keepdims=True)
        return (g.reshape(kept) * share,)
Tensor.max = lambda self, axis=None, keepdims=False: Max.apply(self, axis=axis, keepdims=keepdims)


# ---- shape -------------------------------------------------------------------------------------
class Reshape(Function):
    """Same numbers, new shape.   dL/dx = g reshaped back."""
    symbol = "reshape"

    def forward(self, x):
        try:
            return x.reshape(self.shape)
        except ValueError:
            raise ValueError(f"reshape: cannot view {x.size} numbers of shape {x.shape} as shape "
                             f"{self.shape}; the number of elements must stay the same.") from None

    def backward(self, g):
        return (g.reshape(self.inputs[0].shape),)
Tensor.reshape = lambda self, *shape: Reshape.apply(self, shape=tuple(
    shape[0]) if len(shape) == 1 and isinstance(shape[0], tuple | list) else shape)


class Transpose(Function):
    """Permute axes.   dL/dx = g permuted back by the inverse permutation."""
    symbol = "T"

    def forward(self, x):
        return np.transpose(x, self.axes)

    def backward(self, g):
        inverse = None if self.axes is None else tuple(np.argsort(self.axes))
        return (g.transpose(*(inverse or ())),)
Tensor.transpose = lambda self, *axes: Transpose.apply(self, axes=axes or None)


class GetItem(Function):
    """z = x[index].   dL/dx: scatter g back into a zero array, adding where indices repeat."""
    symbol = "[]"

    def forward(self, x):
        return x[self.index]

    def backward(self, g):
        shape = self.inputs[0].shape
        if isinstance(g, Tensor):
            return (ScatterAdd.apply(g, index=self.index, shape=shape),)
        return (_scatter_add(g, self.index, shape),)
Tensor.__getitem__ = lambda self, key: GetItem.apply(self, index=_index(key))


def _index(key):
    """Tensors used as indices become their integer/boolean arrays."""
    if isinstance(key, tuple):
        return tuple(k.data if isinstance(k, Tensor) else k for k in key)
    return key.data if isinstance(key, Tensor) else key


class ScatterAdd(Function):
    """z = zeros(shape); z[index] += x (repeats add up).   dL/dx = g[index]."""
    symbol = "scatter"

    def forward(self, x):
        return _scatter_add(x, self.index, self.shape)

    def backward(self, g):
        return (g[self.index],)


def _scatter_add(x, index, shape):
    out = np.zeros(shape, dtype=x.dtype)
    np.add.at(out, index, x)  # unbuffered: repeated indices add up
    return out


# ---- comparisons: elementwise, numpy booleans as a Tensor, no gradient (so no Function) --------
def _compare(op):
    return lambda self, other: _make(op(self.data, _lift(other, self).data))


Tensor.__lt__, Tensor.__le__, Tensor.__gt__, Tensor.__ge__, Tensor.__eq__, Tensor.__ne__ = map(
    _compare, (np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal))
