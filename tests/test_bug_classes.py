"""Bugs of the kinds that used to slip through every test (issue 19), each class closed by a
table or a property over all the operations it applies to."""

import numpy as np
import pytest

import mathdl as md

rng = np.random.default_rng(19)


def weighted(f, shape_of_output):
    """f followed by a fixed weighted sum: one scalar that still sees every output entry."""
    w = md.tensor(rng.normal(size=shape_of_output))
    return lambda *xs: (f(*xs) * w).sum()


@pytest.mark.parametrize("a_shape, b_shape", [
    ((3, 4), (2, 4, 5)), ((2, 1, 3, 4), (3, 4, 2)), ((1, 3, 4), (2, 4, 2)),
    ((4,), (2, 4, 3)), ((2, 3, 4), (4,)), ((2, 3, 4), (2, 4, 1)), ((4,), (1, 2, 4, 3)),
])
def test_matmul_broadcasts_batch_axes_on_either_side(a_shape, b_shape):
    a, b = rng.normal(size=a_shape), rng.normal(size=b_shape)
    np.testing.assert_allclose((md.tensor(a) @ md.tensor(b)).data, a @ b, rtol=1e-12)
    f = weighted(lambda x, y: (x @ y) ** 2, (a @ b).shape)
    assert md.gradcheck(f, a, b) and md.gradgradcheck(f, a, b)


ZERO_D = {  # every operation that accepts a single number (a 0-d tensor)
    "neg": lambda x: -x, "pow": lambda x: x ** 3, "exp": lambda x: x.exp(),
    "log": lambda x: x.log(), "sqrt": lambda x: x.sqrt(), "abs": lambda x: x.abs(),
    "tanh": lambda x: x.tanh(), "sigmoid": lambda x: x.sigmoid(), "relu": lambda x: x.relu(),
    "sum": lambda x: x.sum(), "mean": lambda x: x.mean(), "max": lambda x: x.max(),
    "sum, keepdims": lambda x: x.sum(keepdims=True), "max, keepdims": lambda x: x.max(keepdims=True),
    "reshape to (1, 1)": lambda x: x.reshape(1, 1), "reshape to ()": lambda x: x.reshape(()),
    "transpose": lambda x: x.T, "broadcast_to": lambda x: x.broadcast_to((2, 3)),
    "times a vector": lambda x: x * md.tensor([1.0, -2.0]),
}


@pytest.mark.parametrize("name", ZERO_D)
def test_every_operation_differentiates_a_0d_tensor(name):
    f = weighted(lambda x: ZERO_D[name](x) ** 2, ZERO_D[name](md.tensor(1.3)).shape)
    assert md.gradcheck(f, np.array(1.3)) and md.gradgradcheck(f, np.array(1.3))
