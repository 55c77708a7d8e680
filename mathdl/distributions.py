"""Probability distributions with differentiable log-densities (chapter 3, used in chapter 4).

    d = Normal(loc=0.0, scale=md.tensor(2.0, requires_grad=True))
    d.log_prob(x)              # log p(x): a Tensor, differentiable in x and in the parameters
    d.sample(1000, rng=0)      # a numpy array of shape (1000, *d.batch_shape)
    d.mean, d.variance, d.entropy()
    kl_divergence(Normal(0, 1), Normal(1, 2))

Parameters are numbers, arrays or Tensors (which may need gradients); arrays make a batch of
distributions, broadcast together as numpy does (``batch_shape``), and ``log_prob(x)`` broadcasts
x against that batch shape. Every formula is written in mathdl operations, so gradients (and
second derivatives) come from autodiff. Invalid parameters raise a ValueError before anything is
built; probabilities must already sum to 1 (within 1e-6): nothing is renormalised.

Values outside the support are not an error: log_prob is -inf there (probability 0). PyTorch,
with validation off (``validate_args=False``), does not raise either and gives -inf for Uniform;
for some others it returns whatever the formula gives there, where -inf is the honest answer.
"""

import math

import numpy as np

from . import checks
from .info import xlogy
from .nn import log_sigmoid
from .ops import Function
from .tensor import Tensor, tensor

__all__ = ["Normal", "Laplace", "Uniform", "Bernoulli", "Categorical", "Beta", "kl_divergence",
           "lgamma", "digamma", "polygamma"]
LOG_2PI = math.log(2 * math.pi)


class Distribution:
    """What all distributions share: checked parameters as Tensors, a batch shape, sampling."""

    def _set(self, **params):
        """Store the parameters (Tensors), broadcast to one batch shape."""
        name = type(self).__name__
        try:
            self.batch_shape = np.broadcast_shapes(*(p.shape for p in params.values()))
        except ValueError:
            shapes = ", ".join(f"{k} {p.shape}" for k, p in params.items())
            raise ValueError(f"{name}: the parameter shapes ({shapes}) do not broadcast to one "
                             f"batch shape.") from None
        for key, p in params.items():
            setattr(self, key, p if p.shape == self.batch_shape else p.broadcast_to(
                self.batch_shape))
        self._names = tuple(params)

    def _value(self, x):
        """x as a Tensor, after checking it broadcasts against the batch shape."""
        x = x if isinstance(x, Tensor) else tensor(x)
        try:
            np.broadcast_shapes(x.shape, self.batch_shape)
        except ValueError:
            raise ValueError(f"{type(self).__name__}.log_prob: x has shape {x.shape}, which does "
                             f"not broadcast with the batch shape {self.batch_shape} (give x "
                             f"the batch shape, or (n, *batch_shape)).") from None
        return x

    def _draw(self, n, rng):
        """The shape (n, *batch_shape) of a sample, and the numpy Generator to draw it with."""
        return (checks.whole("sample: n", n, low=0), *self.batch_shape), checks.generator(rng)

    def sample(self, n, rng=None):
        """n draws, shape (n, *batch_shape), by numpy: e.g. rng.normal(loc, scale, size)."""
        size, rng = self._draw(n, rng)
        return getattr(rng, self.numpy_name)(*(getattr(self, k).data for k in self._names), size)

    def __repr__(self):
        shown = (f"{k}={np.round(getattr(self, k).data, 4).tolist()}" for k in self._names)
        return f"{type(self).__name__}({', '.join(shown)})"


def _parameter(name, value, **interval):
    """A checked parameter as a Tensor (a Tensor given stays itself, so gradients reach it)."""
    data = checks.array(name, value, **interval)
    return value if isinstance(value, Tensor) else tensor(data)


def _on_support(log_density, x, inside, fill):
    """log_density(x) where `inside` (a boolean array), -inf (probability 0) elsewhere.

    Outside, x is first moved to the safe point `fill`, so no NaN appears, and the result there
    is multiplied by 0 before -inf is added: no gradient flows from outside the support.
    """
    if inside.all():
        return log_density(x)
    m = tensor(inside.astype(x.dtype))
    x = x * m + fill * (1 - m) if x.requires_grad else tensor(np.where(inside, x.data, fill))
    return log_density(x) * m + tensor(np.where(inside, 0.0, -np.inf))


class Normal(Distribution):
    """N(μ, σ²) on the real line:  log p(x) = -(x - μ)² / (2σ²) - log σ - ½ log 2π.

    mean μ, variance σ², entropy ½ log(2πe σ²) = ½ + ½ log 2π + log σ.
    """
    numpy_name = "normal"

    def __init__(self, loc, scale):
        self._set(loc=_parameter("Normal: loc", loc),
                  scale=_parameter("Normal: scale", scale, low=0, low_open=True))

    def log_prob(self, x):
        z = (self._value(x) - self.loc) / self.scale
        return -0.5 * z * z - self.scale.log() - 0.5 * LOG_2PI

    mean = property(lambda self: self.loc)
    variance = property(lambda self: self.scale * self.scale)

    def entropy(self):
        return 0.5 + 0.5 * LOG_2PI + self.scale.log()


class Laplace(Distribution):
    """Laplace(μ, b) on the real line:  log p(x) = -log(2b) - |x - μ| / b.

    mean μ, variance 2b², entropy 1 + log(2b). (Its negative log-likelihood is the MAE loss.)
    """
    numpy_name = "laplace"

    def __init__(self, loc, scale):
        self._set(loc=_parameter("Laplace: loc", loc),
                  scale=_parameter("Laplace: scale", scale, low=0, low_open=True))

    def log_prob(self, x):
        return -(2 * self.scale).log() - (self._value(x) - self.loc).abs() / self.scale

    mean = property(lambda self: self.loc)
    variance = property(lambda self: 2 * self.scale * self.scale)

    def entropy(self):
        return 1 + (2 * self.scale).log()


class Uniform(Distribution):
    """Uniform(a, b) on [a, b) (as numpy draws it):  log p(x) = -log(b - a) there, -inf outside.

    mean (a + b) / 2, variance (b - a)² / 12, entropy log(b - a).
    """
    numpy_name = "uniform"

    def __init__(self, low, high):
        self._set(low=_parameter("Uniform: low", low), high=_parameter("Uniform: high", high))
        bad = np.argwhere(~(self.low.data < self.high.data))   # the object is not returned
        if len(bad):
            i = tuple(int(k) for k in bad[0])
            raise ValueError(f"Uniform: low must be less than high, but{f' at {i}' if i else ''} "
                             f"low = {self.low.data[i]:g} and high = {self.high.data[i]:g}.")

    def log_prob(self, x):
        x = self._value(x)
        inside = (self.low.data <= x.data) & (x.data < self.high.data)
        width = (self.high - self.low).broadcast_to(inside.shape)
        return _on_support(lambda x: -width.log(), x, inside, 0.0)

    mean = property(lambda self: (self.low + self.high) / 2)
    variance = property(lambda self: (self.high - self.low) ** 2 / 12)

    def entropy(self):
        return (self.high - self.low).log()


def _probs_or_logits(name, probs, logits, vectors):
    """Exactly one of probs= and logits=, checked: (Tensor, True if it holds logits)."""
    if (probs is None) == (logits is None):
        raise ValueError(f"{name}: give exactly one of probs= or logits=, not "
                         f"{'both' if probs is not None else 'neither'}.")
    if logits is not None:
        chosen, data = logits, checks.array(f"{name}: logits", logits)
    elif vectors:
        chosen, data = probs, checks.probabilities(f"{name}: probs", probs)
    else:
        chosen, data = probs, checks.array(f"{name}: probs", probs, low=0, high=1)
    if vectors and (data.ndim == 0 or data.shape[-1] == 0):
        raise ValueError(f"{name}: the last axis holds the classes, so probs or logits need at "
                         f"least one dimension with at least one entry, got shape {data.shape}.")
    return (chosen if isinstance(chosen, Tensor) else tensor(data)), logits is not None


class Bernoulli(Distribution):
    """Bernoulli(p) on {0, 1}:  log p(x) = x log p + (1 - x) log(1 - p),  -inf for other x.

    From logits z (p = σ(z)) both logs come from `nn.log_sigmoid`: log p = log σ(z) and
    log(1 - p) = log σ(-z), finite for any z; from probs, with 0 · log 0 = 0 (`info.xlogy`).
    mean p, variance p(1 - p), entropy -p log p - (1 - p) log(1 - p). Samples are 0.0 or 1.0.
    """

    def __init__(self, probs=None, logits=None):
        given, self._from_logits = _probs_or_logits("Bernoulli", probs, logits, vectors=False)
        self._set(**{"logits" if self._from_logits else "probs": given})
        if self._from_logits:
            self.probs = self.logits.sigmoid()
        else:
            with np.errstate(divide="ignore"):   # p = 0 or 1 gives logits ∓inf or ±inf
                self.logits = self.probs.log() - (1 - self.probs).log()

    def _log_weighted(self, w1, w0):
        """w1 · log p + w0 · log(1 - p), the building block of log_prob, entropy and KL."""
        if self._from_logits:
            return w1 * log_sigmoid(self.logits) + w0 * log_sigmoid(-self.logits)
        return xlogy(w1, self.probs) + xlogy(w0, 1 - self.probs)

    def log_prob(self, x):
        x = self._value(x)
        inside = (x.data == 0) | (x.data == 1)
        return _on_support(lambda x: self._log_weighted(x, 1 - x), x, inside, 0.0)

    def sample(self, n, rng=None):
        size, rng = self._draw(n, rng)
        return (rng.random(size) < self.probs.data).astype(np.float64)

    mean = property(lambda self: self.probs)
    variance = property(lambda self: self.probs * (1 - self.probs))

    def entropy(self):
        return 0 - self._log_weighted(self.probs, 1 - self.probs)   # 0 - …: p = 0 gives 0, not -0


class Categorical(Distribution):
    """Categorical(p) on the classes 0 … K-1 (last axis of probs or logits; rows make a batch):

        log p(k) = log pₖ,   = log_softmax(z)ₖ from logits z (p = softmax(z)),   -inf for other k.

    entropy -Σₖ pₖ log pₖ (0 · log 0 = 0). It has no mean or variance: classes are labels, not
    numbers. Samples are integer classes, drawn by inverting the cumulative sums of p. probs are
    used as given (never renormalised), so d log pₖ / dpₖ = 1/pₖ, unlike PyTorch's p / Σp.
    """

    def __init__(self, probs=None, logits=None):
        given, self._from_logits = _probs_or_logits("Categorical", probs, logits, vectors=True)
        self.batch_shape, self.num_classes = given.shape[:-1], given.shape[-1]
        self._names = ("logits" if self._from_logits else "probs",)
        if self._from_logits:
            self.logits, self.probs = given, given.softmax(axis=-1)
        else:
            with np.errstate(divide="ignore"):   # a class of probability 0 has logit -inf
                self.probs, self.logits = given, given.log()

    def _log_weighted(self, w):
        """Σₖ wₖ log pₖ over the classes (w: weights on the last axis)."""
        if self._from_logits:
            return (w * self.logits.log_softmax(axis=-1)).sum(axis=-1)
        return xlogy(w, self.probs).sum(axis=-1)

    def _log_p(self, k):
        """log p_k for a Tensor k of whole classes (broadcast against the batch)."""
        shape = np.broadcast_shapes(k.shape, self.batch_shape)
        index = np.broadcast_to(k.data.astype(np.intp), shape)
        table = self.logits.log_softmax(axis=-1) if self._from_logits else self.probs
        picked = table.broadcast_to(shape + (self.num_classes,))[
            tuple(np.indices(shape)) + (index,)]          # table[..., k], row by row
        if self._from_logits:
            return picked
        with np.errstate(divide="ignore"):                # log of the probabilities picked
            return picked.log()

    def log_prob(self, x):
        k = self._value(x).detach()       # class labels: not differentiable
        inside = (k.data >= 0) & (k.data < self.num_classes) & (k.data == np.round(k.data))
        return _on_support(self._log_p, k, inside, 0)

    def sample(self, n, rng=None):
        size, rng = self._draw(n, rng)
        cdf = np.cumsum(self.probs.data, axis=-1)
        k = (cdf <= rng.random(size + (1,))).sum(axis=-1)   # how many classes u has passed
        return np.minimum(k, self.num_classes - 1)           # (rounding: cdf[-1] may be < 1)

    def _none(self, what):
        raise AttributeError(f"Categorical has no {what}: its classes 0 … K-1 are labels, not "
                             f"numbers, so averages of them mean nothing; look at .probs instead.")

    mean = property(lambda self: self._none("mean"))
    variance = property(lambda self: self._none("variance"))

    def entropy(self):
        return 0 - self._log_weighted(self.probs)    # 0 - …: a certain class gives 0, not -0


class Beta(Distribution):
    """Beta(a, b) on [0, 1]:  log p(x) = (a - 1) log x + (b - 1) log(1 - x) - log B(a, b),

    log B(a, b) = lnΓ(a) + lnΓ(b) - lnΓ(a + b), -inf outside [0, 1]. At x = 0 or 1 the density is
    its limit (0 · log 0 = 0 when a = 1 or b = 1). mean a / (a + b),
    variance ab / ((a + b)² (a + b + 1)), entropy
    log B(a, b) - (a - 1) ψ(a) - (b - 1) ψ(b) + (a + b - 2) ψ(a + b),  ψ = digamma.
    lnΓ and ψ come from SciPy (`LogGamma`, `Polygamma`), imported on first use.
    """
    numpy_name = "beta"

    def __init__(self, a, b):
        self._set(a=_parameter("Beta: a", a, low=0, low_open=True),
                  b=_parameter("Beta: b", b, low=0, low_open=True))

    def _log_beta(self):
        return lgamma(self.a) + lgamma(self.b) - lgamma(self.a + self.b)

    def log_prob(self, x):
        x = self._value(x)
        inside = (x.data >= 0) & (x.data <= 1)
        return _on_support(lambda x: xlogy(self.a - 1, x) + xlogy(self.b - 1, 1 - x)
                           - self._log_beta(), x, inside, 0.5)

    mean = property(lambda self: self.a / (self.a + self.b))
    variance = property(lambda self: self.a * self.b / (
        (self.a + self.b) ** 2 * (self.a + self.b + 1)))

    def entropy(self):
        a, b = self.a, self.b
        return (self._log_beta() - (a - 1) * digamma(a) - (b - 1) * digamma(b)
                + (a + b - 2) * digamma(a + b))


# ---- special functions for Beta: SciPy's, each with its derivative beside it -------------------
def _special():
    """scipy.special, imported on first use: only Beta needs it, so `import mathdl` stays light."""
    try:
        import scipy.special
    except ImportError:
        raise ImportError("Beta needs SciPy's special functions (log-gamma, digamma): "
                          "pip install scipy") from None
    return scipy.special


class LogGamma(Function):
    """z = ln Γ(x) for x > 0 (Γ(n) = (n - 1)! for whole n).   dz/dx = ψ(x), the digamma function."""
    symbol = "lnΓ"

    def forward(self, x):
        return _special().gammaln(x)

    def backward(self, g):
        return (g * polygamma(0, self.args[0]),)


class Polygamma(Function):
    """z = ψ⁽ⁿ⁾(x), the n-th derivative of ψ = (ln Γ)′ (n = 0: digamma itself).

    dz/dx = ψ⁽ⁿ⁺¹⁾(x): the next one (polygamma(1, ·) for digamma), so every order is available.
    """
    symbol = "ψ"

    def forward(self, x):
        return _special().polygamma(self.n, x)

    def backward(self, g):
        return (g * polygamma(self.n + 1, self.args[0]),)


def lgamma(x):
    """ln Γ(x) of a Tensor (or number, array), differentiable any number of times."""
    return LogGamma.apply(x if isinstance(x, Tensor) else tensor(x))


def polygamma(n, x):
    """ψ⁽ⁿ⁾(x): of a Tensor, a differentiable Tensor; of a numpy array, an array."""
    return Polygamma.apply(x, n=n) if isinstance(x, Tensor) else _special().polygamma(n, x)


def digamma(x):
    """ψ(x) = d ln Γ(x) / dx."""
    return polygamma(0, x if isinstance(x, Tensor) else tensor(x))


# ---- KL divergence in closed form ---------------------------------------------------------------
def kl_divergence(p, q):
    """KL(p ‖ q) = E_{x~p}[log p(x) - log q(x)] in nats, elementwise over the batch:

        Normal:       log(σ_q / σ_p) + (σ_p² + (μ_p - μ_q)²) / (2σ_q²) - ½
        Bernoulli:    p log(p / q) + (1 - p) log((1 - p) / (1 - q))
        Categorical:  Σₖ pₖ log(pₖ / qₖ)
    (the two discrete ones from logits by log-sigmoid / log-softmax when those were given).
    """
    pair = (type(p), type(q))
    if pair == (Normal, Normal):
        ratio = p.scale / q.scale
        gap = (p.loc - q.loc) / q.scale
        return -ratio.log() + (ratio * ratio + gap * gap) / 2 - 0.5
    if pair == (Bernoulli, Bernoulli):
        w1, w0 = p.probs, 1 - p.probs
        return p._log_weighted(w1, w0) - q._log_weighted(w1, w0)
    if pair == (Categorical, Categorical):
        if p.num_classes != q.num_classes:
            raise ValueError(f"kl_divergence: p has {p.num_classes} classes and q has "
                             f"{q.num_classes}; they must be distributions over the same classes.")
        return p._log_weighted(p.probs) - q._log_weighted(p.probs)
    raise NotImplementedError(
        f"kl_divergence has a closed form here only for Normal‖Normal, Bernoulli‖Bernoulli and "
        f"Categorical‖Categorical, not {pair[0].__name__}‖{pair[1].__name__}; estimate it by "
        f"sampling instead: the mean of p.log_prob(x) - q.log_prob(x) over x = p.sample(n).")
