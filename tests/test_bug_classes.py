"""The classes of bug that used to slip through every test (issue 19), each closed by a table or a
property over all the operations or optimizers it applies to:

1. axis and shape variants: every `axis=` along every axis (negative ones and tuples too, with and
   without keepdims), matmul with batch axes on either side, 0-d tensors, Hessians and Jacobians
   of matrices, layers and losses on (batch, time, classes) and on a single sample;
2. conventions at kinks: abs and relu have derivative 0 at 0, hinge_loss 0 at margin exactly 1;
3. engine state across calls: nested no_grad, `.grad` keeps its type and dtype over repeated
   backward() calls, graphs whose topological order matters (diamonds, random graphs), copies
   and detach, the needs() guards (a gradient does not depend on which other inputs need one);
4. optimizer state per parameter: a parameter without a gradient on some steps;
5. the checkers themselves: gradcheck and gradgradcheck catch a wrong derivative with respect to
   any input, a NaN, a small relative error, and pass a right one in every mode.

`tests/mutation/run.py` plants typical bugs one at a time to show that these tests catch them.
"""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mathdl as md
from mathdl import nn, optim
from mathdl.ops import Function
from mathdl.tensor import enable_grad

rng = np.random.default_rng(19)
X3 = rng.normal(size=(2, 3, 4))   # distinct sizes, so a reduction over the wrong axis shows


def weighted(f, shape_of_output):
    """f followed by a fixed weighted sum: one scalar that still sees every output entry."""
    w = md.tensor(rng.normal(size=shape_of_output))
    return lambda *xs: (f(*xs) * w).sum()


# ---- 1. axis and shape variants ------------------------------------------------------------------
AXES = [None, 0, 1, 2, -1, -2, -3, (0, 2), (-1, 0), (0, 1, 2)]
REDUCTIONS = [(name, axis, keepdims) for name in ("sum", "mean", "max") for axis in AXES
              for keepdims in (False, True)]


@pytest.mark.parametrize("name, axis, keepdims", REDUCTIONS)
def test_every_reduction_along_every_axis_matches_numpy_and_its_derivatives_check(name, axis,
                                                                                    keepdims):
    f = lambda x: getattr(x, name)(axis=axis, keepdims=keepdims)   # noqa: E731
    expected = getattr(np, name)(X3, axis=axis, keepdims=keepdims)
    out = f(md.tensor(X3))
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    squared = weighted(lambda x: f(x) ** 2, expected.shape)   # non-zero second derivative
    assert md.gradcheck(squared, X3) and md.gradgradcheck(squared, X3)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_and_log_softmax_along_every_axis(name, axis):
    e = np.exp(X3 - X3.max(axis=axis, keepdims=True))
    p = e / e.sum(axis=axis, keepdims=True)
    expected = p if name == "softmax" else np.log(p)
    f = lambda x: getattr(x, name)(axis=axis)   # noqa: E731
    np.testing.assert_allclose(f(md.tensor(X3)).data, expected, rtol=1e-12, atol=1e-15)
    g = weighted(f, X3.shape)
    assert md.gradcheck(g, X3) and md.gradgradcheck(g, X3)
    # each slice along `axis` is shifted on its own: slices 2000 apart stay exact and finite
    offsets = 1000.0 * np.sign(rng.normal(size=np.max(X3, axis=axis, keepdims=True).shape))
    np.testing.assert_allclose(f(md.tensor(X3 + offsets)).data, expected, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("axis", [None, 0, 1, 2, -1, (0, 2)])
def test_max_shares_the_gradient_between_ties_within_each_slice(axis):
    x = md.tensor(np.round(X3), requires_grad=True)   # small whole numbers: many ties
    x.max(axis=axis).sum().backward()
    top = x.data == x.data.max(axis=axis, keepdims=True)
    np.testing.assert_allclose(x.grad.sum(axis=axis), 1.0)        # one unit of gradient a slice
    assert np.all(x.grad[~top] == 0) and np.all(x.grad[top] > 0)
    np.testing.assert_array_equal(x.grad, np.where(top, x.grad.max(axis=axis, keepdims=True), 0))


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
    "sum, keepdims": lambda x: x.sum(keepdims=True),
    "max, keepdims": lambda x: x.max(keepdims=True),
    "reshape to (1, 1)": lambda x: x.reshape(1, 1), "reshape to ()": lambda x: x.reshape(()),
    "transpose": lambda x: x.T, "broadcast_to": lambda x: x.broadcast_to((2, 3)),
    "times a vector": lambda x: x * md.tensor([1.0, -2.0]),
}


@pytest.mark.parametrize("name", ZERO_D)
def test_every_operation_differentiates_a_0d_tensor(name):
    f = weighted(lambda x: ZERO_D[name](x) ** 2, ZERO_D[name](md.tensor(1.3)).shape)
    assert md.gradcheck(f, np.array(1.3)) and md.gradgradcheck(f, np.array(1.3))


A_SYM = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 1.5]])
X23 = rng.normal(size=(3, 2))


def test_hessian_of_a_matrix_input_has_shape_x_shape_twice_and_the_known_entries():
    # f(X) = ½ Σ_j x_jᵀ A x_j over the columns x_j: ∂²f/∂X_ij ∂X_kl = A_ik δ_jl
    f = lambda X: 0.5 * (X * (md.tensor(A_SYM) @ X)).sum()   # noqa: E731
    H = md.hessian(f)(X23)
    assert H.shape == X23.shape + X23.shape
    np.testing.assert_allclose(H, np.einsum("ik,jl->ijkl", A_SYM, np.eye(2)), atol=1e-12)
    # a separable non-quadratic one: f(X) = Σ W·exp(X), H = diag(W·exp(X))
    W = rng.normal(size=X23.shape)
    H = md.hessian(lambda X: (md.tensor(W) * X.exp()).sum())(X23)
    expected = np.zeros(X23.shape * 2)
    for i, j in np.ndindex(*X23.shape):
        expected[i, j, i, j] = W[i, j] * np.exp(X23[i, j])
    np.testing.assert_allclose(H, expected, rtol=1e-12, atol=1e-12)
    V = rng.normal(size=X23.shape)   # hvp is the same contraction, without forming H
    np.testing.assert_allclose(md.hvp(lambda X: (md.tensor(W) * X.exp()).sum(), X23, V),
                               np.tensordot(H, V, axes=2), rtol=1e-12)


def test_jacobian_of_a_matrix_function_has_shape_output_then_input():
    B = rng.normal(size=(2, 4))
    J = md.jacobian(lambda X: X @ md.tensor(B))(X23)          # (3, 4) output, (3, 2) input
    assert J.shape == (3, 4, 3, 2)
    np.testing.assert_allclose(J, np.einsum("ik,lj->ijkl", np.eye(3), B), atol=1e-15)


@pytest.mark.parametrize("sizes", [[3, 2], [3, 5, 2]], ids=["Linear", "MLP"])
def test_layers_treat_a_single_sample_a_batch_and_a_batch_of_sequences_alike(sizes):
    """A layer acts on the last axis: a sample alone, a row of a batch and an entry of a
    (batch, time, features) array all give x W + b (biases made non-zero so they show)."""
    net = nn.MLP(sizes, activation="tanh", seed=0)
    for layer in net.layers:
        layer.bias = md.tensor(rng.normal(size=layer.bias.shape), requires_grad=True)
    X = rng.normal(size=(2, 4, 3))
    h = X
    for i, layer in enumerate(net.layers):
        h = h @ layer.weight.data + layer.bias.data
        h = np.tanh(h) if i < len(net.layers) - 1 else h
    for index in ((), (1,), (1, 2)):       # (batch, time, features), (time, features), (features,)
        np.testing.assert_allclose(net(md.tensor(X[index])).data, h[index], rtol=1e-12)


# losses: (batch, time, classes) and single samples. A loss averages over every entry (or every
# position, for cross-entropy), so the loss of a batch is the mean of the losses of its samples.
Z3 = rng.normal(size=(2, 3, 4))
SIGNS3 = np.where(rng.normal(size=Z3.shape) > 0, 1.0, -1.0)
LOSSES = {
    "mse": (nn.mse_loss, Z3, rng.normal(size=Z3.shape), lambda p, y: np.mean((p - y) ** 2)),
    "mae": (nn.mae_loss, Z3, Z3 + 0.5 * SIGNS3, lambda p, y: np.mean(np.abs(p - y))),
    "cross_entropy (classes)": (nn.cross_entropy, Z3, rng.integers(0, 4, size=(2, 3)),
                                lambda z, y: -np.mean(np.take_along_axis(
                                    z - np.log(np.exp(z).sum(-1, keepdims=True)), y[..., None],
                                    -1))),
    "cross_entropy (probabilities)": (nn.cross_entropy, Z3, rng.dirichlet(np.ones(4), (2, 3)),
                                      lambda z, y: -np.mean(np.sum(y * (z - np.log(np.exp(
                                          z).sum(-1, keepdims=True))), -1))),
    "binary_cross_entropy": (nn.binary_cross_entropy, rng.uniform(0.1, 0.9, Z3.shape),
                             rng.uniform(size=Z3.shape),
                             lambda p, y: -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))),
    "binary_cross_entropy_with_logits": (nn.binary_cross_entropy_with_logits, Z3,
                                         rng.uniform(size=Z3.shape),
                                         lambda z, y: np.mean(np.log1p(np.exp(z)) - y * z)),
    "hinge": (nn.hinge_loss, SIGNS3 * rng.choice([0.5, 1.5], Z3.shape), np.sign(Z3),
              lambda s, y: np.mean(np.maximum(0, 1 - y * s))),
}


@pytest.mark.parametrize("name", LOSSES)
def test_losses_on_batch_time_classes_and_on_single_samples(name):
    loss, x, y, by_hand = LOSSES[name]
    value = loss(md.tensor(x), y).item()
    assert value == pytest.approx(by_hand(x, y), rel=1e-12)
    per_sequence = [loss(md.tensor(x[b]), y[b]).item() for b in range(2)]
    per_sample = [loss(md.tensor(x[b, t]), y[b, t]).item() for b in range(2) for t in range(3)]
    assert value == pytest.approx(np.mean(per_sequence), rel=1e-12)
    assert value == pytest.approx(np.mean(per_sample), rel=1e-12)
    assert md.gradcheck(lambda p: loss(p, y), x)


def test_cross_entropy_of_one_sample_is_that_of_a_batch_of_one_and_shifts_each_row_alone():
    z = rng.normal(size=4)
    one = nn.cross_entropy(md.tensor(z), 2).item()
    assert one == pytest.approx(nn.cross_entropy(md.tensor(z[None]), [2]).item(), rel=1e-15)
    assert one == pytest.approx(-(z[2] - np.log(np.exp(z).sum())), rel=1e-12)
    rows = rng.normal(size=(3, 4)) + np.array([[1000.0], [0.0], [-1000.0]])   # far-apart rows
    for targets in ([0, 3, 1], np.eye(4)[[0, 3, 1]]):
        shifted = nn.cross_entropy(md.tensor(rows), targets).item()
        plain = nn.cross_entropy(md.tensor(rows - rows.max(-1, keepdims=True)), targets).item()
        assert np.isfinite(shifted) and shifted == pytest.approx(plain, rel=1e-9)


# ---- 2. conventions at kinks ---------------------------------------------------------------------
KINKS = [  # (name, function, x, gradient of f(x).sum() by the documented convention)
    ("abs", lambda x: x.abs(), [-2.0, 0.0, 3.0], [-1.0, 0.0, 1.0]),
    ("relu", lambda x: x.relu(), [-2.0, 0.0, 3.0], [0.0, 0.0, 1.0]),
    ("mae_loss at p = y", lambda p: nn.mae_loss(p, [1.0, 0.0, 0.0]), [1.0, 1.0, -1.0],
     [0.0, 1 / 3, -1 / 3]),
    ("hinge_loss at margin exactly 1", lambda s: nn.hinge_loss(s, [1.0, -1.0, 1.0]),
     [1.0, -1.0, 0.5], [0.0, 0.0, -1 / 3]),
    ("max with a tie", lambda x: x.max(), [3.0, 3.0, 1.0], [0.5, 0.5, 0.0]),
]


@pytest.mark.parametrize("name, f, x, expected", KINKS, ids=[k[0] for k in KINKS])
def test_derivatives_at_kinks_follow_the_documented_convention(name, f, x, expected):
    t = md.tensor(x, requires_grad=True)
    f(t).sum().backward()
    np.testing.assert_allclose(t.grad, expected, rtol=1e-15, atol=0)
    (g,) = md.grad(f(t).sum(), [t], create_graph=True)   # the recorded backward agrees
    np.testing.assert_allclose(g.data, expected, rtol=1e-15, atol=0)


# ---- 3. engine state across calls ----------------------------------------------------------------
def test_nested_no_grad_and_enable_grad_restore_what_was_there_before():
    x = md.tensor([1.0, 2.0], requires_grad=True)
    y = md.tensor([3.0], requires_grad=True)
    loss = (y * y).sum()
    with md.no_grad():
        with md.no_grad():
            pass
        assert not (x * 2).requires_grad          # still inside the outer no_grad
        with enable_grad():
            assert (x * 2).requires_grad
        assert not (x * 2).requires_grad
        loss.backward()                           # backward's own no_grad, nested in ours
        assert not (x * 2).requires_grad and y.grad[0] == 6
    assert (x * 2).requires_grad
    with pytest.raises(ZeroDivisionError), md.no_grad():
        raise ZeroDivisionError("an error inside no_grad")
    assert md.Tensor.grad_enabled


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(), (3,)])
@pytest.mark.parametrize("create_graph", [False, True])
def test_grad_keeps_its_type_dtype_and_shape_over_repeated_backward_calls(dtype, shape,
                                                                           create_graph):
    x = md.tensor(np.full(shape, 1.5), requires_grad=True, dtype=dtype)
    for k in range(1, 4):
        # a float64 constant makes the incoming gradient float64: .grad stays x's own dtype
        (x * md.tensor(np.float64(2.0)) + x * x).sum().backward(create_graph=create_graph)
        assert type(x.grad) is np.ndarray and x.grad.dtype == dtype and x.grad.shape == shape
        np.testing.assert_allclose(x.grad, np.full(shape, k * (2 + 2 * 1.5)), rtol=1e-6)


def test_a_diamond_of_inner_nodes_gets_every_path():
    """x → a = eˣ → b = 2a and c = tanh(tanh(a)) → y = b·c: a reaches y by two paths of different
    lengths, so a's gradient is complete only after both branches are done."""
    x = md.tensor(0.3, requires_grad=True)
    a = x.exp()
    b, c = a * 2, a.tanh().tanh()
    (b * c).backward()
    ea = np.exp(0.3)
    t1 = np.tanh(ea)
    dc_da = (1 - np.tanh(t1) ** 2) * (1 - t1 ** 2)
    assert x.grad == pytest.approx((2 * np.tanh(t1) + 2 * ea * dc_da) * ea, rel=1e-12)


OPS = [lambda a, b: (a + b) * 0.5, lambda a, b: a * b.tanh(), lambda a, b: a - b.sigmoid() * 0.5,
       lambda a, b: (a * b).tanh(), lambda a, b: (a * 0.5).exp() * b.sigmoid()]   # stay O(1)


@settings(max_examples=25, deadline=None)
@given(recipe=st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99),
                                  st.integers(0, len(OPS) - 1)), min_size=1, max_size=12))
def test_gradients_of_random_graphs_with_shared_inner_nodes_check(recipe):
    """Each new node combines two earlier nodes (any of them, so values are reused along paths
    of different lengths); the output sums every node."""
    def f(x, y):
        nodes = [x, y]
        for i, j, op in recipe:
            nodes.append(OPS[op](nodes[i % len(nodes)], nodes[j % len(nodes)]))
        return sum(nodes[2:], nodes[0] * 0)
    assert md.gradcheck(f, np.array([0.3, -0.2]), np.array([0.5, 0.1]))


def test_backward_on_a_tensor_that_needs_no_gradient_says_so_and_changes_nothing():
    c = md.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="nothing to differentiate"):
        c.sum().backward()
    assert c.grad is None


def linear(x, w, b):
    layer = nn.Linear(3, 4)
    layer.weight, layer.bias = w, b
    return layer(x)


def test_tensor_copies_a_tensor_too_and_makes_numbers_float64():
    source = md.tensor([1.0, 2.0])
    copy = md.tensor(source)
    source.data[0] = 99.0
    assert copy.data[0] == 1.0 and not np.shares_memory(copy.data, source.data)
    for data in ([1, 2], np.arange(3, dtype=np.int32), True, 7):
        t = md.tensor(data, requires_grad=True)
        assert t.dtype == np.float64
    assert md.tensor(np.ones(2, dtype=np.float32)).dtype == np.float32


def test_detach_cuts_the_graph():
    x = md.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).detach()
    assert not y.requires_grad and y.grad_fn is None and y is not x
    (y * x).sum().backward()           # only the direct path: d/dx (y·x) with y constant
    np.testing.assert_array_equal(x.grad, [3.0, 6.0])


def test_grad_and_hvp_refuse_what_they_cannot_differentiate():
    x, c = md.tensor([1.0, 2.0], requires_grad=True), md.tensor([3.0, 4.0])
    with pytest.raises(ValueError, match="input 1 is not a Tensor with requires_grad=True"):
        md.grad((x * c).sum(), [x, c])
    with pytest.raises(ValueError, match=r"hvp: the direction v has shape \(1,\) but x has shape "
                                         r"\(2,\)"):
        md.hvp(lambda t: (t ** 3).sum(), np.ones(2), np.ones(1))


# A gradient must not depend on which *other* inputs need one (the needs() guards of each rule).
GUARDED = {
    "sub": (lambda a, b: a - b, (rng.normal(size=(2, 3)), rng.normal(size=3))),
    "mul": (lambda a, b: a * b, (rng.normal(size=(2, 3)), rng.normal(size=(2, 1)))),
    "div": (lambda a, b: a / b, (rng.normal(size=3), rng.uniform(0.5, 2, size=(2, 3)))),
    "pow": (lambda a, b: a ** b, (rng.uniform(0.5, 2, size=3), rng.normal(size=3))),
    "matmul": (lambda a, b: a @ b, (rng.normal(size=(2, 3)), rng.normal(size=(3, 4)))),
    "linear (one Affine node)": (linear, (rng.normal(size=(5, 3)), rng.normal(size=(3, 4)),
                                          rng.normal(size=4))),
    "cross_entropy": (lambda z, y: nn.cross_entropy(z, y),
                      (rng.normal(size=(3, 4)), rng.dirichlet(np.ones(4), 3))),
}


@pytest.mark.parametrize("name", GUARDED)
def test_each_gradient_is_the_same_whichever_other_inputs_need_gradients(name):
    f, arrays = GUARDED[name]

    def gradients(needs):
        ts = [md.tensor(a, requires_grad=n) for a, n in zip(arrays, needs)]
        out = f(*ts)
        out.backward(np.ones(out.shape))
        return [t.grad for t in ts]
    full = gradients([True] * len(arrays))
    for i in range(len(arrays)):
        alone = [k == i for k in range(len(arrays))]
        np.testing.assert_allclose(gradients(alone)[i], full[i], rtol=1e-12)


def test_powers_with_a_constant_exponent_never_take_the_log_of_the_base():
    """d(x**2)/dx needs no ln x; computing it anyway warns (or raises) for x <= 0."""
    x = md.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    with np.errstate(all="raise"):
        (x ** 2).sum().backward()
        (x ** md.tensor(3.0)).sum().backward()
        (md.grad((x ** 2).sum(), [x], create_graph=True)[0]).sum().backward()
    np.testing.assert_allclose(x.grad, [-4 + 12 + 2, 0 + 0 + 2, 6 + 27 + 2])


# ---- 4. optimizer state per parameter -----------------------------------------------------------
STATEFUL = [("gd", dict(lr=0.1)), ("sgd", dict(lr=0.1, weight_decay=0.2)),
            ("momentum", dict(lr=0.05)), ("nesterov", dict(lr=0.05, weight_decay=0.1)),
            ("adagrad", dict(lr=0.3)), ("rmsprop", dict(lr=0.05, alpha=0.9)),
            ("adam", dict(lr=0.1, weight_decay=0.1)), ("adamw", dict(lr=0.1, weight_decay=0.2))]
ACTIVE = [True, False, False, True, True, False, True, True]   # steps where q has a gradient


def quadratic(theta, centre):
    return ((theta - md.tensor(centre)) ** 2 * md.tensor([1.0, 3.0, 0.5])).sum()


@pytest.mark.parametrize("name, hyper", STATEFUL, ids=[s[0] for s in STATEFUL])
def test_a_parameter_without_a_gradient_keeps_its_own_state_and_step_count(name, hyper):
    """q has no gradient on some steps: it moves exactly as if an optimizer of its own had seen
    only its steps with a gradient; p, beside it, as if alone (the same shape: shared state
    would show)."""
    start_p, start_q = np.array([1.0, -1.0, 2.0]), np.array([0.5, 0.5, -1.5])
    p, q = md.tensor(start_p, requires_grad=True), md.tensor(start_q, requires_grad=True)
    opt = optim.get(name, [p, q], **hyper)
    p_alone, q_alone = (md.tensor(s, requires_grad=True) for s in (start_p, start_q))
    opt_p, opt_q = optim.get(name, [p_alone], **hyper), optim.get(name, [q_alone], **hyper)
    for step, active in enumerate(ACTIVE):
        opt.zero_grad()
        loss = quadratic(p, [0.0, 1.0, -1.0]) + (quadratic(q, [2.0, 0.0, 1.0]) if active else 0)
        loss.backward()
        opt.step()
        opt_p.zero_grad()
        quadratic(p_alone, [0.0, 1.0, -1.0]).backward()
        opt_p.step()
        if active:
            opt_q.zero_grad()
            quadratic(q_alone, [2.0, 0.0, 1.0]).backward()
            opt_q.step()
        np.testing.assert_allclose(p.data, p_alone.data, rtol=1e-14, err_msg=f"p, step {step}")
        np.testing.assert_allclose(q.data, q_alone.data, rtol=1e-14, err_msg=f"q, step {step}")
    if name.startswith("adam"):
        assert opt.state[1]["t"] == sum(ACTIVE) and opt.state[0]["t"] == len(ACTIVE)


def test_check_finite_refuses_inf_as_well_as_nan():
    for bad in (float("inf"), -float("inf"), float("nan")):
        with pytest.raises(FloatingPointError, match="training diverged"):
            optim.check_finite(md.tensor(bad), 7)


# ---- 5. the checkers themselves ------------------------------------------------------------------
class OffForInput(Function):
    """f(x, y, z) = Σ x·y·z whose derivative is off by `factor` for input `wrong` only."""

    def forward(self, x, y, z):
        return x * y * z

    def backward(self, g):
        x, y, z = self.args
        grads = [g * y * z, g * x * z, g * x * y]
        grads[self.wrong] = grads[self.wrong] * self.factor
        return tuple(grads)


@pytest.mark.parametrize("size", [(3,), (70, 70)], ids=["every entry", "random directions"])
@pytest.mark.parametrize("wrong", [0, 1, 2])
def test_gradcheck_catches_a_wrong_derivative_with_respect_to_any_input(wrong, size):
    xs = [rng.uniform(0.5, 1.5, size=size) for _ in range(3)]
    for factor in (-1.0, 1.001):   # a wrong sign, and an error of 0.1 %
        with pytest.raises(md.GradcheckError, match=f"input {wrong} "):
            md.gradcheck(lambda *ts, k=factor: OffForInput.apply(*ts, wrong=wrong, factor=k).sum(),
                         *xs)
    assert md.gradcheck(lambda *ts: OffForInput.apply(*ts, wrong=0, factor=1.0).sum(), *xs)


@pytest.mark.parametrize("output", [(), (2, 3)], ids=["scalar", "matrix output"])
def test_gradcheck_passes_a_right_gradient_in_every_mode(output):
    """Full mode for small inputs, random directions for large ones: both must accept a right
    derivative (or every gradcheck above proves nothing)."""
    for n in (4, 5000):
        x = rng.normal(size=n)
        W = md.tensor(rng.normal(size=output + (n,)))
        assert md.gradcheck(lambda t, W=W: ((W * t).tanh() * t).sum(axis=-1), x)


def test_gradcheck_catches_a_nan_gradient():
    class NaNGradient(Function):
        def forward(self, x):
            return 2 * x

        def backward(self, g):
            return (g * np.nan,)
    with pytest.raises(md.GradcheckError, match="nan"):
        md.gradcheck(lambda t: NaNGradient.apply(t).sum(), np.ones(3))


class FirstOrderOnly(Function):
    """x³ with the right gradient, detached: no second derivative."""

    def forward(self, x):
        return x ** 3

    def backward(self, g):
        return (g * md.tensor(3 * self.inputs[0].data ** 2),)


@pytest.mark.parametrize("wrong", [0, 1, 2])
def test_gradgradcheck_catches_a_wrong_second_derivative_with_respect_to_any_input(wrong):
    def f(*ts):
        return sum((FirstOrderOnly.apply(t) if i == wrong else t ** 3).sum()
                   for i, t in enumerate(ts))
    xs = [rng.uniform(0.5, 1.5, size=3) for _ in range(3)]
    assert md.gradcheck(f, *xs)
    with pytest.raises(md.GradcheckError, match=f"Hessian-vector product mismatch for input "
                                                f"{wrong} "):
        md.gradgradcheck(f, *xs)
