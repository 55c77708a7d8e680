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
