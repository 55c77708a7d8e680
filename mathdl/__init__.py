"""mathdl: the small automatic-differentiation package behind *Math for Deep Learning*.

    import mathdl as md
    x = md.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = (x @ x.T).relu().sum()
    y.backward()
    x.grad          # dy/dx, a numpy array of x's shape

Submodules (`nn`, `optim`, `schedules`, `landscapes`, `data`, `exercises`, `plotting`, `widgets`,
`graph`, `distributions`, `info`) load on first use, so `import mathdl` needs nothing but numpy.
"""

import importlib

from . import ops  # noqa: F401  (attaches the operations to Tensor)
from .autodiff import grad, hessian, hvp, jacobian
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .tensor import Tensor, enable_grad, no_grad, tensor

__all__ = ["Tensor", "tensor", "no_grad", "enable_grad", "grad", "jacobian", "hessian", "hvp",
           "gradcheck", "gradgradcheck", "GradcheckError"]
_SUBMODULES = {"nn", "optim", "schedules", "landscapes", "data", "exercises", "plotting",
               "widgets", "graph", "distributions", "info"}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'mathdl' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
