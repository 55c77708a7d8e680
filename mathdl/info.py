"""Information theory on probability vectors: entropy, cross-entropy, KL divergence, mutual
information (chapter 4).

    p, q = [0.5, 0.25, 0.25], [1/3, 1/3, 1/3]
    entropy(p, base=2)              # 1.5 bits
    cross_entropy(p, q)             # = entropy(p) + kl_divergence(p, q)
    kl_divergence(p, q)             # ≥ 0, and 0 only when q = p

Each function takes probability vectors along the last axis (lists, numpy arrays or Tensors; a
batch of vectors on the leading axes) and returns a Tensor, so gradients flow back to p and q.
Logarithms are natural (nats) unless ``base=`` is given: base=2 gives bits, since
log_b x = ln x / ln b. The inputs must already be distributions (no entry below 0, each vector
summing to 1 within 1e-6), otherwise a ValueError says so; nothing is renormalised.

The convention 0 · log 0 = 0 (the limit of p log p as p → 0) lives in `xlogy`, which every function
here uses: an outcome of probability 0 contributes nothing. An outcome that can happen (p > 0) but
that q calls impossible (q = 0) makes cross-entropy and KL divergence +inf.
"""

import math

import numpy as np

from . import checks
from .tensor import Tensor, tensor


def xlogy(x, y):
    """x · log y elementwise, with 0 · log 0 = 0; numbers, arrays or Tensors in, a Tensor out.

    Where x = 0 and y = 0 the log reads log 1 instead (the same product, 0, without the NaN of
    0 · (-inf)); everywhere else it is the plain product, so autodiff gives d/dx = log y and
    d/dy = x / y (both taken as 0 at such a (0, 0) entry).
    """
    x = x if isinstance(x, Tensor) else tensor(x)
    y = y if isinstance(y, Tensor) else tensor(y)
    both_zero = (x.data == 0) & (y.data == 0)
    if both_zero.any():
        y = y + tensor(both_zero.astype(y.dtype))   # y is 0 there: a 1 in its place
    with np.errstate(divide="ignore"):              # log 0 = -inf is the intended answer
        return x * y.log()


def _log_base(base):
    """ln(base): dividing a quantity in nats by it converts it to that base (1 for nats)."""
    if base is None:
        return 1.0
    if checks.positive("base", base) == 1:
        raise ValueError("base must be a positive number other than 1 (there is no logarithm to "
                         "base 1), got 1.")
    return math.log(base)


def _distributions(name, *ps):
    """Check each of ps is a batch of probability vectors (last axis), with matching outcomes;
    return them as Tensors (Tensors given stay themselves, so gradients reach them)."""
    arrays = [checks.probabilities(f"{name}: {'pq'[i]}", p) for i, p in enumerate(ps)]
    if len(arrays) == 2:
        a, b = arrays
        if a.shape[-1] != b.shape[-1] or not _broadcasts(a.shape[:-1], b.shape[:-1]):
            raise ValueError(f"{name}: p has shape {a.shape} and q has shape {b.shape}; they need "
                             f"the same number of outcomes on the last axis, and batch shapes "
                             f"that broadcast.")
    return [p if isinstance(p, Tensor) else tensor(a) for p, a in zip(ps, arrays)]


def _broadcasts(*shapes):
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        return False
    return True


def entropy(p, base=None):
    """H(p) = -Σᵢ pᵢ log pᵢ: the average surprisal -log pᵢ of an outcome drawn from p.

    Largest, log K, for the uniform distribution on K outcomes; 0 for a certain outcome.
    Gradient (autodiff): dH/dpᵢ = -(log pᵢ + 1).
    """
    scale = _log_base(base)
    (p,) = _distributions("entropy", p)
    return (0 - xlogy(p, p).sum(axis=-1)) / scale    # 0 - …: a certain outcome gives 0, not -0


def cross_entropy(p, q, base=None):
    """H(p, q) = -Σᵢ pᵢ log qᵢ: the average surprisal of outcomes drawn from p, measured by q.

    H(p, q) = H(p) + KL(p ‖ q) ≥ H(p). dH/dqᵢ = -pᵢ / qᵢ, dH/dpᵢ = -log qᵢ.
    """
    scale = _log_base(base)
    p, q = _distributions("cross_entropy", p, q)
    return (0 - xlogy(p, q).sum(axis=-1)) / scale


def kl_divergence(p, q, base=None):
    """KL(p ‖ q) = Σᵢ pᵢ log(pᵢ / qᵢ) = H(p, q) - H(p): the extra surprisal of using q for p.

    Always ≥ 0 (Gibbs' inequality), 0 exactly when q = p, and not symmetric in p and q.
    dKL/dqᵢ = -pᵢ / qᵢ, dKL/dpᵢ = log(pᵢ / qᵢ) + 1.
    """
    scale = _log_base(base)
    p, q = _distributions("kl_divergence", p, q)
    return (xlogy(p, p) - xlogy(p, q)).sum(axis=-1) / scale


def mutual_information(joint, base=None):
    """I(X; Y) = Σᵢⱼ Pᵢⱼ log(Pᵢⱼ / (Pᵢ Pⱼ)) for one matrix joint[i, j] = P(X = i, Y = j).

    It is KL(joint ‖ Pₓ ⊗ P_y), the divergence from independence, with the marginals
    Pᵢ = Σⱼ Pᵢⱼ and Pⱼ = Σᵢ Pᵢⱼ; equally H(X) + H(Y) - H(X, Y). 0 exactly when X and Y are
    independent; at most min(H(X), H(Y)).
    """
    scale = _log_base(base)
    data = checks.array("mutual_information: joint", joint)
    if data.ndim != 2:
        raise ValueError(f"mutual_information: joint must be one 2-D matrix with joint[i, j] = "
                         f"P(X = i, Y = j), got shape {data.shape}.")
    checks.probabilities("mutual_information: joint (all its entries)", data.ravel())
    P = joint if isinstance(joint, Tensor) else tensor(data)
    Px, Py = P.sum(axis=1, keepdims=True), P.sum(axis=0, keepdims=True)   # a column, a row
    # log(Pᵢ Pⱼ) as log Pᵢ + log Pⱼ: the product of two tiny marginals could round to 0
    return (xlogy(P, P) - xlogy(P, Px) - xlogy(P, Py)).sum() / scale
