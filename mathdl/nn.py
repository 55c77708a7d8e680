"""Neural-network building blocks: modules, layers, activations and losses.

    net = MLP([2, 16, 2], activation="tanh", seed=0)
    loss = cross_entropy(net(X), y)      # X: (batch, 2) inputs, y: integer classes
    net.zero_grad(); loss.backward()     # every parameter's .grad is now dL/dparameter

Layout is batch-first: a batch is a matrix with one sample per row, and a layer computes
Z = X W + b with W of shape (in_features, out_features).
"""

import numpy as np

from .checks import choice, generator, whole
from .ops import Function, Sigmoid
from .tensor import Tensor, tensor


class Module:
    """Base class: a callable with parameters.

    `parameters()` finds every Tensor with `requires_grad=True` stored on the module, also inside
    sub-modules and inside lists, tuples and dicts of them, so subclasses only write `__init__` and
    `forward`.
    """

    training = True

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward().")

    def parameters(self):
        """The trainable tensors (requires_grad=True), each once, in the order they were set."""
        found = {id(t): t for t in _walk(vars(self)) if isinstance(t, Tensor) and t.requires_grad}
        return list(found.values())

    def modules(self):
        return [self] + [m for m in _walk(vars(self)) if isinstance(m, Module)]

    def zero_grad(self):
        """Forget accumulated gradients (backward() adds to .grad; see tensor.py)."""
        for p in self.parameters():
            p.grad = None

    def train(self, mode=True):
        """Switch training behaviour on (or off); layers like dropout would read `self.training`."""
        for m in self.modules():
            m.training = mode
        return self

    def eval(self):
        return self.train(False)


def _walk(value):
    """Every Tensor and Module inside value, looking into modules, lists, tuples and dicts."""
    if isinstance(value, Module):
        yield value
        value = vars(value)
    if isinstance(value, Tensor):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _walk(v)


class Linear(Module):
    """An affine layer  y = x W + b,  W: (in_features, out_features),  b: (out_features,).

    Initialisation. Each output sums `in_features` terms wᵢxᵢ, so with independent zero-mean
    weights Var(y) = in_features · Var(w) · E[x²]. Keeping that variance the same from layer to
    layer is what stops signals (and, symmetrically, gradients) from shrinking or exploding with
    depth:
      - "he" (He et al., 2015), for ReLU: ReLU zeroes half its inputs, halving E[x²], so
        Var(w) = 2 / in_features makes up for it;
      - "xavier" (Glorot & Bengio, 2010), for tanh and sigmoid, which are roughly linear near 0:
        Var(w) = 2 / (in_features + out_features), a compromise between keeping the forward
        variance (1/in) and the backward variance (1/out).
    Weights are drawn from a normal distribution with that variance; biases start at zero.
    """

    def __init__(self, in_features, out_features, init="he", seed=None, dtype=np.float64):
        in_features = whole("Linear: in_features", in_features, low=1)
        out_features = whole("Linear: out_features", out_features, low=1)
        variances = {"he": 2 / in_features, "xavier": 2 / (in_features + out_features)}
        if init not in variances:
            raise ValueError(f"Linear: unknown init {init!r}; choose 'he' (for ReLU) or "
                             f"'xavier' (for tanh and sigmoid).")
        rng = generator(seed)
        w = rng.normal(0.0, np.sqrt(variances[init]), (in_features, out_features))
        self.weight = tensor(w.astype(dtype), requires_grad=True)
        self.bias = tensor(np.zeros(out_features, dtype=dtype), requires_grad=True)

    def forward(self, x):
        shape, n_in = x.shape, self.weight.shape[0]
        if not shape or shape[-1] != n_in:
            raise ValueError(f"Linear: the input has shape {shape} but this layer expects "
                             f"{n_in} features in its last axis.")
        if len(shape) == 2:  # a batch: one graph node (see Affine)
            return Affine.apply(x, self.weight, self.bias)
        return x @ self.weight + self.bias

    def __repr__(self):
        return f"Linear({self.weight.shape[0]}, {self.weight.shape[1]})"


class Affine(Function):
    """Y = X W + b for a batch X (n×in).   dL/dX = G Wᵀ,  dL/dW = Xᵀ G,  dL/db = Σ_rows G.

    The same as `x @ W + b` (MatMul, then Add with b broadcast over the rows), in one node whose
    backward is the three formulas above.
    """
    symbol = "xW+b"

    def forward(self, x, w, b):
        out = x @ w
        out += b      # in place: saves a temporary of the output's size
        return out

    def backward(self, g):
        x, w, _ = self.args
        return (g @ w.T if self.needs(0) else None, x.T @ g if self.needs(1) else None,
                g.sum(axis=0) if self.needs(2) else None)


class MLP(Module):
    """A multi-layer perceptron: Linear layers of the given `sizes` with `activation` in between
    ("relu", "tanh" or "sigmoid": the Tensor method of that name).

    MLP([2, 16, 1]) is 2 inputs → 16 hidden units → 1 output. The last layer has no activation:
    it returns logits (or raw regression outputs); the loss decides how to read them. Layers use
    He initialisation for ReLU and Xavier for tanh/sigmoid (see `Linear`); `seed` makes it
    reproducible.
    """

    def __init__(self, sizes, activation="tanh", seed=0, dtype=np.float64):
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"MLP needs at least an input and an output size, got {sizes}.")
        choice("MLP activation", activation, ("relu", "tanh", "sigmoid"))
        init = "he" if activation == "relu" else "xavier"
        rng = generator(seed)
        self.layers = [Linear(a, b, init=init, seed=rng, dtype=dtype)
                       for a, b in zip(sizes, sizes[1:])]
        self.activation = activation

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = getattr(layer(x), self.activation)()  # e.g. layer(x).tanh()
        return self.layers[-1](x)

    def __repr__(self):
        sizes = [self.layers[0].weight.shape[0]] + [m.weight.shape[1] for m in self.layers]
        return f"MLP({sizes}, activation={self.activation!r})"


# ---- all parameters as one vector: for md.grad/md.hessian over a whole network -----------------
def flatten_parameters(params):
    """Concatenate the values of `params` (Tensors or arrays) into one flat float array (a copy)."""
    return np.concatenate([np.ravel(p.data if isinstance(p, Tensor) else p) for p in params])


def unflatten_parameters(theta, shapes):
    """Cut the flat vector `theta` (a Tensor or an array) back into pieces of the given shapes.

    Slicing and reshaping are mathdl operations, so when `theta` is a Tensor every piece stays
    on its graph: a loss built from the pieces is a function of `theta`, and md.grad, md.hessian
    and md.hvp see all parameters as one vector.
    """
    shapes = [tuple(s) for s in shapes]
    sizes = [int(np.prod(s)) for s in shapes]
    if len(np.shape(theta)) != 1 or np.shape(theta)[0] != sum(sizes):
        raise ValueError(f"unflatten_parameters: theta must be a vector of {sum(sizes)} numbers "
                         f"for the shapes {shapes}, but it has shape {tuple(np.shape(theta))}.")
    pieces, start = [], 0
    for shape, size in zip(shapes, sizes):
        pieces.append(theta[start:start + size].reshape(*shape))
        start += size
    return pieces


# ---- losses: (prediction, target) -> a scalar Tensor, averaged over all entries ------------------
def _target(name, prediction, target):
    """Targets are constants: lift them to Tensors and insist on the prediction's exact shape."""
    target = target if isinstance(target, Tensor) else tensor(target, dtype=prediction.dtype)
    if target.shape != prediction.shape:
        raise ValueError(f"{name}: prediction has shape {prediction.shape} but target has shape "
                         f"{target.shape}; they must match exactly (broadcasting here would "
                         f"silently compare every prediction with every target).")
    return target


def mse_loss(prediction, target):
    """Mean squared error  (1/n) Σ (pᵢ - yᵢ)²  (the Gaussian negative log-likelihood, up to
    constants)."""
    diff = prediction - _target("mse_loss", prediction, target)
    return (diff * diff).mean()


def mae_loss(prediction, target):
    """Mean absolute error  (1/n) Σ |pᵢ - yᵢ|  (the Laplace negative log-likelihood)."""
    return (prediction - _target("mae_loss", prediction, target)).abs().mean()


class CrossEntropy(Function):
    """L = -(1/n) Σ_rows Σ_c y_c log softmax(z)_c, from logits z (…, C) and target rows y.

    dL/dz = (softmax(z) - y) / n   (if rows of y sum to 1: the famous "prediction minus target")
    dL/dy = -log softmax(z) / n
    One node instead of five (log_softmax, *, sum, -, /) for the commonest loss: same numbers,
    a shorter graph. The log-softmax subtracts each row's largest logit before exponentiating.
    """
    symbol = "CE"

    def forward(self, z, y):
        log_p = z - z.max(axis=-1, keepdims=True)
        log_p -= np.log(np.exp(log_p).sum(axis=-1, keepdims=True))
        self.log_p = log_p
        return -np.vdot(y, log_p) / self.n

    def backward(self, g):
        z, y = self.args
        if isinstance(z, Tensor):  # create_graph: rebuild log-softmax as a differentiable graph
            log_p = z.log_softmax(axis=-1)
            p = log_p.exp()
        else:                      # plain backward: reuse the forward's numbers
            log_p = self.log_p
            p = np.exp(log_p)
        scale = g * (1 / self.n)
        # for any y, dL/dz = (p·Σ_c y_c - y)/n; one-hot rows (from class indices) sum to 1
        p_minus_y = p - y if self.one_hot else p * y.sum(axis=-1, keepdims=True) - y
        return (scale * p_minus_y if self.needs(0) else None,
                -scale * log_p if self.needs(1) else None)


def cross_entropy(logits, targets):
    """Mean over the batch of  -Σ_c y_c log softmax(z)_c,  from logits z of shape (..., C).

    `targets` are either integer classes of shape logits.shape[:-1] (each in 0..C-1), or
    probability vectors (e.g. one-hot) of the logits' shape. Stable for any logits (±1000
    included): see `CrossEntropy`. Gradient with respect to the logits: (softmax(z) - y) / batch.
    """
    z = logits.data
    t = targets.data if isinstance(targets, Tensor) else np.asarray(targets)
    if z.ndim and t.shape == z.shape[:-1]:   # class indices
        return CrossEntropy.apply(logits, _one_hot(t, z.shape[-1], z.dtype), n=max(t.size, 1),
                                  one_hot=True)
    if t.shape != z.shape or z.ndim == 0:
        raise ValueError(f"cross_entropy: logits have shape {z.shape}, so targets must be "
                         f"class indices of shape {z.shape[:-1]} or one-hot/probability "
                         f"vectors of shape {z.shape}, but got shape {t.shape}.")
    if not isinstance(targets, Tensor):
        targets = tensor(t, dtype=z.dtype)
    return CrossEntropy.apply(logits, targets, n=max(z.size // max(z.shape[-1], 1), 1),
                              one_hot=False)


def _one_hot(t, n_classes, dtype):
    """Class indices t → rows with a 1 in column t and 0 elsewhere (a constant Tensor)."""
    if t.dtype.kind not in "iu":
        if t.dtype.kind != "f" or np.any(t != np.round(t)):
            raise ValueError("cross_entropy: class targets must be whole numbers.")
        t = t.astype(np.intp)
    rows = t[..., None] == np.arange(n_classes)
    if np.count_nonzero(rows) != t.size:   # an index outside 0..C-1 matches no column
        bad = int(t.max() if t.max() >= n_classes else t.min())
        raise ValueError(f"cross_entropy: class index {bad} is out of range for {n_classes} "
                         f"classes (valid: 0 to {n_classes - 1}).")
    return Tensor(rows.astype(dtype))


def binary_cross_entropy_with_logits(logits, targets):
    """Mean of  -[y log σ(z) + (1-y) log(1-σ(z))]  computed from logits z, stably.

    It is cross-entropy with two classes whose logits are 0 and z, since softmax([0, z]) =
    [1-σ(z), σ(z)]; log_softmax then handles any z (±1000 included) without overflow and
    without a kink. Gradient with respect to z: (σ(z) - y) / n.
    """
    targets = _target("binary_cross_entropy_with_logits", logits, targets)
    two = logits.reshape(*logits.shape, 1) * tensor(np.array([0.0, 1.0], dtype=logits.dtype))
    logs = two.log_softmax(axis=-1)
    log_q, log_p = logs[..., 0], logs[..., 1]
    return -(targets * log_p + (1 - targets) * log_q).mean()


def binary_cross_entropy(probabilities, targets):
    """Mean of  -[y log p + (1-y) log(1-p)]  for probabilities p in [0, 1] and targets y in [0, 1].

    No clipping. Two things keep it finite where the answer is finite:
      - a term whose weight is 0 is left out (the convention 0·log 0 = 0), so a confident, correct
        prediction (p = 1, y = 1) costs exactly 0 instead of 0·(-inf) = NaN;
      - if p was produced by `.sigmoid()`, the logit z is read from the graph and the loss is
        computed by `binary_cross_entropy_with_logits(z, y)`. Once |z| > 37, σ(z) rounds to
        exactly 0 or 1 in float64 and the information the loss needs is gone from p, but not
        from z. (The gradient still reaches every parameter before the sigmoid.)
    A probability of exactly 0 on something that happened honestly costs +inf: prefer logits.
    """
    made_by = probabilities.grad_fn
    if isinstance(made_by, Sigmoid):
        return binary_cross_entropy_with_logits(made_by.inputs[0], targets)
    targets = _target("binary_cross_entropy", probabilities, targets)
    p, y = probabilities.data, targets.data
    if p.size and (np.nanmin(p) < 0 or np.nanmax(p) > 1 or np.isnan(p).any()):
        raise ValueError(f"binary_cross_entropy: probabilities must lie in [0, 1], got values from "
                         f"{np.min(p):.4g} to {np.max(p):.4g}; for raw scores (logits) use "
                         f"binary_cross_entropy_with_logits.")
    if y.size and (y.min() < 0 or y.max() > 1):
        raise ValueError("binary_cross_entropy: targets must lie in [0, 1].")
    on, off = tensor((y > 0).astype(p.dtype)), tensor((y < 1).astype(p.dtype))
    # where a weight is 0 its log reads log(1) = 0: same loss, and no 0 · (-inf)
    log_p = (probabilities * on + (1 - on)).log()
    log_q = ((1 - probabilities) * off + (1 - off)).log()
    return -(targets * log_p + (1 - targets) * log_q).mean()


def hinge_loss(scores, targets):
    """Mean of  max(0, 1 - y·s)  for labels y in {-1, +1}: zero once a point is on the right side
    with margin 1 (the support-vector-machine loss)."""
    targets = _target("hinge_loss", scores, targets)
    if not np.all(np.abs(targets.data) == 1):
        raise ValueError("hinge_loss: targets must be -1 or +1 (convert 0/1 labels with 2*y - 1).")
    return (1 - targets * scores).relu().mean()
