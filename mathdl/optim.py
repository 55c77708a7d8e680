"""Optimizers, in order of increasing complexity.

Each one turns the gradients g = ∇L(θ) left in `p.grad` by `backward()` into an update of the
parameters θ, in place on `p.data` (numpy, outside the graph). A parameter whose `.grad` is None
is skipped altogether: no update, no weight decay, and its state (velocity, running averages,
Adam's step count t) stays as it was. So each parameter's state counts only its own steps, the
ones where it had a gradient (PyTorch's convention too). Typical loop:

    opt = Adam(net.parameters(), lr=1e-3)
    for step in range(steps):
        loss = cross_entropy(net(X), y)
        opt.zero_grad(); loss.backward(); opt.step()
        check_finite(loss, step, opt)    # stop with a clear message if training diverges

`lr` is a plain attribute you may change between steps (that is all a schedule does).
"""

import math

import numpy as np

from .checks import choice, number
from .tensor import Tensor


class Optimizer:
    """Holds the parameters and the learning rate; subclasses define `update(θ, g, state)`."""

    decoupled = False  # weight decay as an L2 term in g (False) or as a direct shrink (AdamW)

    def __init__(self, params, lr, weight_decay=0.0):
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__} got an empty list of parameters; pass e.g. "
                             f"model.parameters() of a model that has some.")
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"{type(self).__name__} optimizes Tensors, but parameter {i} is a "
                                f"{type(p).__name__}; create it with md.tensor(..., "
                                f"requires_grad=True).")
            if not p.requires_grad:
                raise ValueError(f"{type(self).__name__}: parameter {i} was created without "
                                 f"requires_grad=True, so it would never receive a gradient.")
        number("The learning rate", lr, low=0)
        number("weight_decay", weight_decay, low=0)
        self.params, self.lr, self.weight_decay = params, lr, weight_decay
        self.state = [{} for _ in params]  # per parameter: velocities, running averages, ...
        self.steps = 0

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = number("The learning rate", value, low=0)

    def zero_grad(self):
        """Forget the gradients: backward() adds to .grad, so clear it before each step."""
        for p in self.params:
            p.grad = None

    def step(self):
        self.steps += 1
        for p, state in zip(self.params, self.state):
            if p.grad is None:
                continue
            g = p.grad
            if self.weight_decay and self.decoupled:
                p.data *= 1 - self.lr * self.weight_decay
            elif self.weight_decay:
                g = g + self.weight_decay * p.data
            self.update(p.data, g, state)

    def __repr__(self):
        hyper = [f"{k.strip('_')}={v}" for k, v in vars(self).items()
                 if k not in ("params", "state", "steps")]
        return f"{type(self).__name__}({', '.join(hyper)})"


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay.

        g ← ∇L(θ) + λθ                      (weight_decay λ: an L2 penalty λ/2·‖θ‖²)
        plain:     θ ← θ - η g
        momentum:  v ← μ v + g,   θ ← θ - η v             (v starts at 0)
        Nesterov:  v ← μ v + g,   θ ← θ - η (g + μ v)     (look one momentum step ahead)

    On a quadratic with largest curvature L, plain gradient descent converges only if η < 2/L.
    """

    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        number("momentum", momentum, low=0, high=1, high_open=True)
        if nesterov and momentum == 0:
            raise ValueError("nesterov=True needs a momentum > 0 (e.g. momentum=0.9).")
        super().__init__(params, lr, weight_decay)
        self.momentum, self.nesterov = momentum, nesterov

    def update(self, theta, g, state):
        if self.momentum:
            v = state.setdefault("v", np.zeros_like(theta))
            v *= self.momentum
            v += g
            g = g + self.momentum * v if self.nesterov else v
        theta -= self.lr * g


class Adagrad(Optimizer):
    """Adagrad: each coordinate's step shrinks with the gradients it has seen so far.

        G ← G + g²                      (elementwise, G starts at 0)
        θ ← θ - η g / (√G + ε)
    Coordinates with rare, small gradients keep large steps; the steps only ever shrink.
    """

    def __init__(self, params, lr=0.01, eps=1e-10, weight_decay=0.0):
        number("eps", eps, low=0)
        super().__init__(params, lr, weight_decay)
        self.eps = eps

    def update(self, theta, g, state):
        G = state.setdefault("G", np.zeros_like(theta))
        G += g * g
        theta -= self.lr * g / (np.sqrt(G) + self.eps)


class RMSprop(Optimizer):
    """RMSprop: Adagrad with a leaky (exponentially weighted) average, so steps can grow again.

        s ← α s + (1 - α) g²            (s starts at 0)
        θ ← θ - η g / (√s + ε)
    """

    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0):
        number("alpha", alpha, low=0, high=1, high_open=True)
        number("eps", eps, low=0)
        super().__init__(params, lr, weight_decay)
        self.alpha, self.eps = alpha, eps

    def update(self, theta, g, state):
        s = state.setdefault("s", np.zeros_like(theta))
        s *= self.alpha
        s += (1 - self.alpha) * g * g
        theta -= self.lr * g / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Adam: momentum (a running mean of g) divided by RMSprop's running scale, bias-corrected.

        m ← β₁ m + (1 - β₁) g,      v ← β₂ v + (1 - β₂) g²        (both start at 0; t = 1, 2, ...)
        m̂ = m / (1 - β₁ᵗ),          v̂ = v / (1 - β₂ᵗ)
        θ ← θ - η m̂ / (√v̂ + ε)
    Because m and v start at 0, early averages are biased toward 0; dividing by 1 - βᵗ removes
    that bias exactly (for a constant gradient, m̂ = g from the first step on). t is the
    parameter's own step count, its steps with a gradient (`state["t"]`), not the number of
    `step()` calls: a parameter that first gets a gradient at call 10 takes a first step, t = 1.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        if len(tuple(betas)) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}.")
        for name, beta in zip(("beta1", "beta2"), betas):
            number(name, beta, low=0, high=1, high_open=True)
        number("eps", eps, low=0)
        super().__init__(params, lr, weight_decay)
        self.betas, self.eps = tuple(betas), eps

    def update(self, theta, g, state):
        (b1, b2), t = self.betas, state.get("t", 0) + 1
        state["t"] = t  # steps this parameter has taken (it may have skipped some)
        m = state.setdefault("m", np.zeros_like(theta))
        v = state.setdefault("v", np.zeros_like(theta))
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        theta -= self.lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): shrink θ directly, then Adam.

        θ ← θ - η λ θ,   then the Adam step with the plain gradient g = ∇L(θ)
    In Adam, an L2 term λθ added to g would be divided by √v̂ like the rest of the gradient, so
    weights with large gradients would hardly decay; decoupling makes every weight decay at the
    same rate η λ.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01):
        super().__init__(params, lr, betas, eps, weight_decay)

    decoupled = True


# ---- by name: md.optim.get, and the GradientDescentExplorer's optimizer menu ------------------
def _momentum(params, lr, momentum=0.9, **kw):
    return SGD(params, lr, momentum=momentum, **kw)


def _nesterov(params, lr, momentum=0.9, **kw):
    return SGD(params, lr, momentum=momentum, nesterov=True, **kw)


def _with_beta1(kind):
    """Adam or AdamW that also takes β₁ on its own (β₂ stays 0.999), as a slider sets it."""
    def make(params, lr=1e-3, beta1=None, **kw):
        if beta1 is not None:
            kw["betas"] = (beta1, tuple(kw.get("betas", (0.9, 0.999)))[-1])
        return kind(params, lr, **kw)
    return make


class Tunable:
    """The hyper-parameter of an optimizer most worth turning (by a slider), and its range."""

    def __init__(self, keyword, low, high, default):
        self.keyword, self.low, self.high, self.default = keyword, low, high, default


class Entry:
    """A registered optimizer: ``make(params, lr, **hyper)``, its label in menus, its tunable."""

    def __init__(self, make, label, tunable=None):
        self.make, self.label, self.tunable = make, label, tunable


# In order of increasing complexity (the explorer's menu lists them so).
OPTIMIZERS = {
    "gd": Entry(SGD, "gradient descent"),
    "sgd": Entry(SGD, "SGD"),
    "momentum": Entry(_momentum, "momentum", Tunable("momentum", 0.0, 0.99, 0.9)),
    "nesterov": Entry(_nesterov, "Nesterov", Tunable("momentum", 0.0, 0.99, 0.9)),
    "adagrad": Entry(Adagrad, "Adagrad"),
    "rmsprop": Entry(RMSprop, "RMSprop", Tunable("alpha", 0.5, 0.999, 0.99)),
    "adam": Entry(_with_beta1(Adam), "Adam", Tunable("beta1", 0.0, 0.999, 0.9)),
    "adamw": Entry(_with_beta1(AdamW), "AdamW", Tunable("weight_decay", 0.0, 1.0, 0.01)),
}


def names():
    """The registered optimizers' names, in order of increasing complexity."""
    return list(OPTIMIZERS)


def get(name, params, **hyper):
    """Build an optimizer by name: get("momentum", params, lr=0.01) (momentum defaults to 0.9);
    Adam and AdamW also take ``beta1`` alone."""
    key = name.lower() if isinstance(name, str) else name
    return OPTIMIZERS[choice("optimizer", key, OPTIMIZERS)].make(params, **hyper)


def check_finite(loss, step, optimizer=None):
    """Return the loss as a float, or raise FloatingPointError if it became inf or NaN.

    The usual cause is a learning rate that is too large: along a direction of curvature L, a
    gradient step multiplies the error by (1 - ηL), which grows without bound once η > 2/L.
    """
    value = float(loss.item() if isinstance(loss, Tensor) else loss)
    if math.isfinite(value):
        return value
    lr = f"learning rate {optimizer.lr:g}" if optimizer is not None else "learning rate"
    raise FloatingPointError(
        f"The training loss became {value} at step {step}: training diverged. Try a smaller {lr} "
        f"(e.g. ten times smaller): on a quadratic with largest curvature L, gradient descent "
        f"diverges once the learning rate exceeds 2/L.")
