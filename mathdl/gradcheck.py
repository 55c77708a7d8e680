"""Gradient checking: compare autodiff with central finite differences.

    ∂f/∂xᵢ ≈ (f(x + h·eᵢ) - f(x - h·eᵢ)) / 2h,   error O(h²) (truncation) + O(ε/h) (round-off),

so with float64 (ε ≈ 1e-16) and h = 1e-6 the two agree to about 1e-9. For small inputs every entry
of the Jacobian is compared; for large ones, a few random directions (a directional derivative
checks all entries at once, weighted). A mismatch raises `GradcheckError` with a report.
"""

import numpy as np

from .autodiff import grad
from .tensor import Tensor, no_grad


class GradcheckError(AssertionError):
    """Autodiff and finite differences disagree; the message says where and by how much."""


def _fail(what, i, where, auto, numeric):
    raise GradcheckError(
        f"{what} mismatch for input {i} at index {where}: autodiff gives {auto:.10g}, finite "
        f"differences give {numeric:.10g} (difference {abs(auto - numeric):.3g}).")


def _compare(what, i, auto, numeric, atol, rtol):
    bad = np.abs(auto - numeric) > atol + rtol * np.abs(numeric)
    if np.any(bad) or not np.all(np.isfinite(auto)):
        worst = np.unravel_index(np.argmax(np.where(np.isfinite(auto), np.abs(auto - numeric),
                                                    np.inf)), auto.shape)
        _fail(what, i, tuple(int(w) for w in worst), auto[worst], numeric[worst])


def _prepare(inputs):
    arrays = [np.array(x.data if isinstance(x, Tensor) else x, dtype=np.float64) for x in inputs]
    return arrays, [Tensor(a.copy(), requires_grad=True) for a in arrays]


def _scalar(f, arrays, weights):
    with no_grad():
        return float((f(*[Tensor(a) for a in arrays]).data * weights).sum())


def gradcheck(f, *inputs, h=1e-6, atol=1e-6, rtol=1e-5, full_limit=4096, directions=3, seed=0):
    """Check the autodiff gradient of f (any output shape) at `inputs`; return True or raise.

    The output is reduced to a scalar with fixed random weights u, so the check covers uᵀJ for
    every input entry (full mode, when outputs × inputs ≤ full_limit, also checks each output),
    and `directions` random directions otherwise.
    """
    rng = np.random.default_rng(seed)
    arrays, leaves = _prepare(inputs)
    out = f(*leaves)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: f must return a Tensor, not {type(out).__name__}.")
    n_in = sum(a.size for a in arrays)
    seeds = [np.eye(out.size)[k].reshape(out.shape) for k in range(out.size)] \
        if out.size * n_in <= full_limit else [rng.standard_normal(out.shape)]
    for u in seeds:
        auto = grad((out * Tensor(u)).sum(), leaves) if out.requires_grad else \
            [np.zeros_like(a) for a in arrays]
        auto = [a.data if isinstance(a, Tensor) else a for a in auto]
        what = "gradient" if out.size == 1 else \
            f"Jacobian (output weights {np.round(u, 3).tolist()}"[:60] + ")"
        for i, a in enumerate(arrays):
            if a.size * out.size <= full_limit:
                numeric = np.zeros_like(a)
                for j in np.ndindex(*a.shape):
                    plus, minus = [x.copy() for x in arrays], [x.copy() for x in arrays]
                    plus[i][j] += h
                    minus[i][j] -= h
                    numeric[j] = (_scalar(f, plus, u) - _scalar(f, minus, u)) / (2 * h)
                _compare(what, i, auto[i], numeric, atol, rtol)
            else:
                for _ in range(directions):
                    v = rng.standard_normal(a.shape)
                    plus, minus = list(arrays), list(arrays)
                    plus[i], minus[i] = a + h * v, a - h * v
                    numeric = (_scalar(f, plus, u) - _scalar(f, minus, u)) / (2 * h)
                    _compare(f"directional {what}", i, np.array([(auto[i] * v).sum()]),
                             np.array([numeric]), atol * np.sqrt(a.size), rtol)
    return True


def gradgradcheck(f, *inputs, h=1e-5, atol=1e-5, rtol=1e-4, directions=3, seed=0):
    """Second-order check: Hessian-vector products from double backward vs differences of gradients.

        H v ≈ (∇f(x + h v) - ∇f(x - h v)) / 2h,

    for random directions v moving all inputs at once (f's output is reduced with random weights).
    """
    rng = np.random.default_rng(seed)
    arrays, leaves = _prepare(inputs)
    out = f(*leaves)
    u = rng.standard_normal(out.shape)

    def gradients(arrs, create_graph=False):
        ts = [Tensor(a, requires_grad=True) for a in arrs]
        y = f(*ts)
        s = (y * Tensor(u)).sum()
        return ts, grad(s, ts, create_graph=create_graph) if y.requires_grad else \
            [Tensor(np.zeros_like(a)) for a in arrs]

    for _ in range(directions):
        vs = [rng.standard_normal(a.shape) for a in arrays]
        ts, gs = gradients(arrays, create_graph=True)
        inner = sum(((g * Tensor(v)).sum() for g, v in zip(gs, vs)), Tensor(0.0))
        auto = grad(inner, ts) if inner.requires_grad else [Tensor(np.zeros_like(a))
                                                            for a in arrays]
        _, gp = gradients([a + h * v for a, v in zip(arrays, vs)])
        _, gm = gradients([a - h * v for a, v in zip(arrays, vs)])
        for i in range(len(arrays)):
            _compare("Hessian-vector product", i, auto[i].data, (gp[i].data - gm[i].data) / (2 * h),
                     atol, rtol)
    return True
