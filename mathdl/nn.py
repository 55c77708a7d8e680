"""Neural-network building blocks: modules, layers, activations and losses.

    net = MLP([2, 16, 2], activation="tanh", seed=0)
    loss = cross_entropy(net(X), y)      # X: (batch, 2) inputs, y: integer classes
    net.zero_grad(); loss.backward()     # every parameter's .grad is now dL/dparameter

Layout is batch-first: a batch is a matrix with one sample per row, and a layer computes
Z = X W + b with W of shape (in_features, out_features).
"""

import numpy as np

from . import checks
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
        in_features = checks.whole("Linear: in_features", in_features, low=1)
        out_features = checks.whole("Linear: out_features", out_features, low=1)
        variances = {"he": 2 / in_features, "xavier": 2 / (in_features + out_features)}
        if init not in variances:
            raise ValueError(f"Linear: unknown init {init!r}; choose 'he' (for ReLU) or "
                             f"'xavier' (for tanh and sigmoid).")
        rng = checks.generator(seed)
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
        checks.choice("MLP activation", activation, ("relu", "tanh", "sigmoid"))
        init = "he" if activation == "relu" else "xavier"
        rng = checks.generator(seed)
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


def log_sigmoid(z):
    """log σ(z) = -log(1 + e⁻ᶻ) for a Tensor z, stably, never as log(sigmoid(z)).

    softmax([0, z]) = [1-σ(z), σ(z)], so log σ(z) is the second entry of log_softmax([0, z]),
    which handles any z (±1000 included) without overflow and without a kink; and
    log(1 - σ(z)) = log σ(-z). Derivative (autodiff): d/dz log σ(z) = 1 - σ(z) = σ(-z).
    """
    two = z.reshape(*z.shape, 1) * tensor(np.array([0.0, 1.0], dtype=z.dtype))
    return two.log_softmax(axis=-1)[..., 1]


def binary_cross_entropy_with_logits(logits, targets):
    """Mean of  -[y log σ(z) + (1-y) log(1-σ(z))]  computed from logits z, stably.

    It is cross-entropy with two classes whose logits are 0 and z: both logs come from
    `log_sigmoid` (log(1-σ(z)) = log σ(-z)). Gradient with respect to z: (σ(z) - y) / n.
    """
    targets = _target("binary_cross_entropy_with_logits", logits, targets)
    return -(targets * log_sigmoid(logits) + (1 - targets) * log_sigmoid(-logits)).mean()


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


# ---- normalisation and graph layers ------------------------------------------------------------
class BatchNorm1d(Module):
    """Batch normalisation (Ioffe & Szegedy, 2015) of x of shape (batch, features), per feature:

        y = γ · (x - μ) / √(σ² + ε) + β,      γ = weight (starts at 1), β = bias (starts at 0).

    train() mode: μ and σ² are the batch's own mean and biased variance (1/n) Σ (xᵢ - μ)², and the
    running estimates (numpy arrays, starting at 0 and 1) move towards the batch's, as in PyTorch:
        running_mean ← (1 - momentum) · running_mean + momentum · μ
        running_var  ← (1 - momentum) · running_var  + momentum · σ² · n / (n - 1)   (unbiased)
    eval() mode: μ and σ² are the running estimates, so each sample is normalised on its own and
    the layer is a fixed affine map of x.

    The backward pass is autodiff over the formula. In train mode every output depends on the
    whole batch through μ and σ²; with x̂ = (x - μ)/√(σ² + ε) and g = dL/dy it comes to
        dL/dx = γ / √(σ² + ε) · (g - mean(g) - x̂ · mean(g x̂)),   means over the batch,
        dL/dγ = Σ g x̂,   dL/dβ = Σ g,
    and in eval mode simply dL/dx = γ g / √(running_var + ε).
    """

    def __init__(self, num_features, momentum=0.1, eps=1e-5):
        n = checks.whole("BatchNorm1d: num_features", num_features, low=1)
        self.momentum = checks.number("BatchNorm1d: momentum", momentum, low=0, high=1)
        self.eps = checks.positive("BatchNorm1d: eps", eps)
        self.weight = tensor(np.ones(n), requires_grad=True)
        self.bias = tensor(np.zeros(n), requires_grad=True)
        self.running_mean, self.running_var = np.zeros(n), np.ones(n)

    def forward(self, x):
        x = x if isinstance(x, Tensor) else tensor(x)
        n_features = self.weight.shape[0]
        if x.ndim != 2 or x.shape[1] != n_features:
            raise ValueError(f"BatchNorm1d: the input has shape {x.shape} but this layer expects "
                             f"(batch, {n_features}).")
        if not self.training:
            return (x - self.running_mean) / np.sqrt(self.running_var + self.eps) * self.weight \
                + self.bias
        n = x.shape[0]
        if n < 2:
            raise ValueError("BatchNorm1d: in train() mode a batch needs at least 2 samples (the "
                             "unbiased variance of one sample is undefined); got 1. Call eval() "
                             "to normalise single samples with the running statistics.")
        mean = x.mean(axis=0)
        centred = x - mean
        var = (centred * centred).mean(axis=0)                     # biased: divides by n
        m = self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * mean.data
        self.running_var = (1 - m) * self.running_var + m * var.data * (n / (n - 1))
        return centred / (var + self.eps).sqrt() * self.weight + self.bias

    def __repr__(self):
        return f"BatchNorm1d({self.weight.shape[0]}, momentum={self.momentum}, eps={self.eps})"


class GraphConv(Module):
    """A graph convolution (Kipf & Welling, 2017):  H' = Â H W + b.

    H (nodes, in_features) holds one row of features per node; Â (nodes, nodes), numpy or Tensor,
    is a normalised adjacency matrix such as `mathdl.graph.normalized_adjacency(A)`. Row v of Â H
    mixes node v's features with its neighbours' (weights Âᵥᵤ); then the same Linear map (W of
    shape (in_features, out_features), bias b) acts on every node. Relabelling the nodes by a
    permutation P (Â → P Â Pᵀ, H → P H) therefore just relabels the output (H' → P H').
    Initialisation, as Linear's "xavier": W ~ N(0, 2 / (in_features + out_features)) (Glorot &
    Bengio, 2010; Kipf & Welling used its uniform variant), b = 0; ``seed`` makes it reproducible.
    Gradients come from autodiff: dL/dH = Âᵀ G Wᵀ, dL/dW = (Â H)ᵀ G, dL/db = Σ_rows G.
    """

    def __init__(self, in_features, out_features, seed=None):
        checks.whole("GraphConv: in_features", in_features, low=1)
        checks.whole("GraphConv: out_features", out_features, low=1)
        self.linear = Linear(in_features, out_features, init="xavier", seed=seed)

    weight = property(lambda self: self.linear.weight)   # W: (in_features, out_features)
    bias = property(lambda self: self.linear.bias)       # b: (out_features,)

    def forward(self, H, A_hat):
        H = H if isinstance(H, Tensor) else tensor(H)
        n_in = self.weight.shape[0]
        if H.ndim != 2 or H.shape[1] != n_in:
            raise ValueError(f"GraphConv: H must have shape (nodes, {n_in}), one row of "
                             f"{n_in} features per node, got {H.shape}.")
        nodes, a_shape = H.shape[0], A_hat.shape if isinstance(A_hat, Tensor) else np.shape(A_hat)
        if a_shape != (nodes, nodes):
            raise ValueError(f"GraphConv: A_hat must have shape ({nodes}, {nodes}) to match the "
                             f"{nodes} nodes of H, got {a_shape}.")
        return self.linear(A_hat @ H if isinstance(A_hat, Tensor) else tensor(A_hat) @ H)

    def __repr__(self):
        return f"GraphConv({self.weight.shape[0]}, {self.weight.shape[1]})"
