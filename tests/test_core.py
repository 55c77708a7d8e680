"""The mathdl core: every operation's value, first and second derivatives, shapes, and errors."""

import gc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mathdl as md
from mathdl.ops import Function

rng = np.random.default_rng(0)


def r(*shape, low=-2.0, high=2.0):
    return rng.uniform(low, high, size=shape)


def away_from_zero(*shape):
    return r(*shape, low=0.3, high=2.0) * rng.choice([-1.0, 1.0], size=shape)


# (name, function of tensors, numpy reference, inputs) — inputs avoid kinks and ties.
CASES = [
    ("add", lambda a, b: a + b, np.add, (r(3, 4), r(4))),
    ("radd", lambda a: 2.5 + a, lambda a: 2.5 + a, (r(3),)),
    ("sub", lambda a, b: a - b, np.subtract, (r(2, 1, 3), r(4, 1))),
    ("rsub", lambda a: 1.0 - a, lambda a: 1.0 - a, (r(3),)),
    ("mul", lambda a, b: a * b, np.multiply, (r(3, 1), r(1, 5))),
    ("div", lambda a, b: a / b, np.divide, (r(3, 4), away_from_zero(3, 1))),
    ("rdiv", lambda a: 1.0 / a, lambda a: 1.0 / a, (away_from_zero(4),)),
    ("pow_const", lambda a: a ** 3, lambda a: a ** 3, (r(2, 3),)),
    ("pow_tensor", lambda a, b: a ** b, np.power, (r(3, low=0.5), r(3))),
    ("rpow", lambda a: 2.0 ** a, lambda a: 2.0 ** a, (r(3),)),
    ("neg", lambda a: -a, np.negative, (r(3),)),
    ("matmul", lambda a, b: a @ b, np.matmul, (r(3, 4), r(4, 2))),
    ("matvec", lambda a, b: a @ b, np.matmul, (r(3, 4), r(4))),
    ("vecmat", lambda a, b: a @ b, np.matmul, (r(4), r(4, 2))),
    ("vecvec", lambda a, b: a @ b, np.matmul, (r(4), r(4))),
    ("batched_matmul", lambda a, b: a @ b, np.matmul, (r(2, 3, 4), r(4, 5))),
    ("rmatmul", lambda b, W=r(2, 3): W @ b, None, (r(3, 2),)),
    ("exp", lambda a: a.exp(), np.exp, (r(3, 2),)),
    ("log", lambda a: a.log(), np.log, (r(3, low=0.2),)),
    ("sqrt", lambda a: a.sqrt(), np.sqrt, (r(3, low=0.2),)),
    ("abs", lambda a: a.abs(), np.abs, (away_from_zero(5),)),
    ("tanh", lambda a: a.tanh(), np.tanh, (r(4),)),
    ("sigmoid", lambda a: a.sigmoid(), lambda a: 1 / (1 + np.exp(-a)), (r(4),)),
    ("relu", lambda a: a.relu(), lambda a: np.maximum(a, 0), (away_from_zero(6),)),
    ("softmax", lambda a: a.softmax(axis=-1),
     lambda a: np.exp(a) / np.exp(a).sum(-1, keepdims=True), (r(2, 4),)),
    ("softmax_axis0", lambda a: a.softmax(axis=0),
     lambda a: np.exp(a) / np.exp(a).sum(0, keepdims=True), (r(3, 2),)),
    ("log_softmax", lambda a: a.log_softmax(),
     lambda a: a - np.log(np.exp(a).sum(-1, keepdims=True)), (r(2, 4),)),
    ("sum", lambda a: a.sum(), np.sum, (r(3, 4),)),
    ("sum_axis", lambda a: a.sum(axis=0), lambda a: a.sum(axis=0), (r(3, 4),)),
    ("sum_keepdims", lambda a: a.sum(axis=(0, 2), keepdims=True),
     lambda a: a.sum(axis=(0, 2), keepdims=True), (r(2, 3, 4),)),
    ("mean", lambda a: a.mean(), np.mean, (r(3, 4),)),
    ("mean_axis", lambda a: a.mean(axis=-1, keepdims=True),
     lambda a: a.mean(-1, keepdims=True), (r(3, 4),)),
    ("max", lambda a: a.max(), np.max, (r(3, 4),)),
    ("max_axis", lambda a: a.max(axis=1), lambda a: a.max(axis=1), (r(3, 4),)),
    ("reshape", lambda a: a.reshape(4, 3), lambda a: a.reshape(4, 3), (r(3, 4),)),
    ("reshape_tuple", lambda a: a.reshape((-1,)), lambda a: a.reshape(-1), (r(3, 4),)),
    ("transpose", lambda a: a.transpose(2, 0, 1), lambda a: a.transpose(2, 0, 1), (r(2, 3, 4),)),
    ("T", lambda a: a.T, lambda a: a.T, (r(3, 4),)),
    ("slice", lambda a: a[1:, ::2], lambda a: a[1:, ::2], (r(3, 4),)),
    ("int_index_repeats", lambda a: a[[0, 2, 0, 0]], lambda a: a[[0, 2, 0, 0]], (r(3, 2),)),
    ("pick_per_row", lambda a: a[np.arange(3), np.array([1, 0, 1])],
     lambda a: a[np.arange(3), np.array([1, 0, 1])], (r(3, 2),)),
    ("broadcast_to", lambda a: a.broadcast_to((3, 4)),
     lambda a: np.broadcast_to(a, (3, 4)), (r(4),)),
    ("sum_to", lambda a: a.sum_to((1, 4)), lambda a: a.sum(0, keepdims=True), (r(3, 4),)),
    ("composite", lambda a, b: ((a @ b).tanh() * 2 - b.sum()).sigmoid().mean(), None,
     (r(2, 3), r(3, 2))),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("name, f, reference, inputs", CASES, ids=IDS)
def test_forward_matches_numpy(name, f, reference, inputs):
    out = f(*[md.tensor(x) for x in inputs])
    assert isinstance(out, md.Tensor) and out.dtype == np.float64
    if reference is not None:
        np.testing.assert_allclose(out.data, reference(*inputs), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name, f, reference, inputs", CASES, ids=IDS)
def test_first_derivative_matches_finite_differences(name, f, reference, inputs):
    assert md.gradcheck(f, *inputs)


@pytest.mark.parametrize("name, f, reference, inputs", CASES, ids=IDS)
def test_second_derivative_matches_finite_differences(name, f, reference, inputs):
    assert md.gradgradcheck(f, *inputs)


@pytest.mark.parametrize("name, f, reference, inputs", CASES, ids=IDS)
def test_every_gradient_has_its_tensors_shape(name, f, reference, inputs):
    ts = [md.tensor(x, requires_grad=True) for x in inputs]
    out = f(*ts)
    out.backward(np.ones_like(out.data))
    for t in ts:
        assert t.grad.shape == t.shape and t.grad.dtype == t.dtype


def test_gradcheck_catches_a_wrong_derivative():
    class BadSquare(md.ops.Function):
        def forward(self, x):
            return x * x

        def backward(self, g):
            return (g * self.inputs[0] * 3,)  # should be 2x
    with pytest.raises(md.GradcheckError, match=r"input 0 at index \(1,\).*autodiff gives"):
        md.gradcheck(lambda a: BadSquare.apply(a), np.array([0.0, 1.0, 2.0]))
    big = r(60, 80)  # large input: random-direction mode must catch it too
    with pytest.raises(md.GradcheckError, match="directional"):
        md.gradcheck(lambda a: BadSquare.apply(a).sum(), big)


def test_gradgradcheck_catches_a_wrong_second_derivative():
    class FirstOrderOnly(md.ops.Function):  # correct gradient, but detached: no curvature
        def forward(self, x):
            return x ** 3

        def backward(self, g):
            return (g * md.tensor(3 * self.inputs[0].data ** 2),)
    assert md.gradcheck(lambda a: FirstOrderOnly.apply(a).sum(), r(3))
    with pytest.raises(md.GradcheckError, match="Hessian-vector"):
        md.gradgradcheck(lambda a: FirstOrderOnly.apply(a).sum(), r(3))


@settings(max_examples=60, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
       op=st.sampled_from(["+", "-", "*", "/"]))
def test_broadcasting_gradients_property(shapes, op):
    a = rng.uniform(0.5, 1.5, shapes.input_shapes[0])
    b = rng.uniform(0.5, 1.5, shapes.input_shapes[1])
    f = {"+": lambda x, y: x + y, "-": lambda x, y: x - y,
         "*": lambda x, y: x * y, "/": lambda x, y: x / y}[op]
    out = f(md.tensor(a), md.tensor(b))
    assert out.shape == shapes.result_shape
    np.testing.assert_allclose(out.data, f(a, b))
    assert md.gradcheck(lambda x, y: (f(x, y) * np.arange(1.0, 1 + out.size).reshape(out.shape))
                        .sum(), a, b)


@settings(max_examples=40, deadline=None)
@given(m=st.integers(1, 4), n=st.integers(1, 4), p=st.integers(1, 4),
       batch=st.sampled_from([(), (2,), (2, 1)]))
def test_matmul_property(m, n, p, batch):
    a, b = rng.standard_normal(batch + (m, n)), rng.standard_normal((n, p))
    np.testing.assert_allclose((md.tensor(a) @ md.tensor(b)).data, a @ b)
    assert md.gradcheck(lambda x, y: ((x @ y) ** 2).sum(), a, b)


@settings(max_examples=40, deadline=None)
@given(arr=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                      elements=st.floats(-3, 3)),
       keepdims=st.booleans(), data=st.data())
def test_reductions_property(arr, keepdims, data):
    axis = data.draw(st.one_of(st.none(), st.integers(-arr.ndim, arr.ndim - 1)))
    for name in ("sum", "mean", "max"):
        out = getattr(md.tensor(arr), name)(axis=axis, keepdims=keepdims)
        np.testing.assert_allclose(out.data, getattr(np, name)(arr, axis=axis, keepdims=keepdims))
    x = md.tensor(arr, requires_grad=True)
    x.sum(axis=axis, keepdims=keepdims).sum().backward()
    np.testing.assert_array_equal(x.grad, np.ones_like(arr))


def test_max_shares_gradient_between_ties():
    x = md.tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0, 0.5, 0.5, 0])


def test_repeated_indices_accumulate():
    x = md.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad, [3, 0, 1])


def test_gradients_accumulate_across_uses_and_calls_until_reset():
    x = md.tensor(3.0, requires_grad=True)
    y = x * x + x          # x used three times: dy/dx = 2x + 1 = 7
    y.backward()
    assert x.grad == 7
    (x * 2).backward()     # a second backward adds 2
    assert x.grad == 9
    x.grad = None
    (x * 2).backward()
    assert x.grad == 2


def test_every_grad_is_the_leafs_own_writeable_array():
    """The cases where one array could end up in two places: the seed, the g that Add hands to
    both inputs, views of g, a dtype change."""
    a, b = md.tensor([1.0, 2.0], requires_grad=True), md.tensor([3.0, 4.0], requires_grad=True)
    seed = np.array([1.0, 10.0])
    (a + b).backward(seed)            # Add hands the very same g (here: the seed) to a and b
    assert a.grad is not b.grad and not np.shares_memory(a.grad, seed)
    a.grad *= 0                       # a reader changing one .grad changes nothing else
    np.testing.assert_array_equal(b.grad, [1, 10])
    np.testing.assert_array_equal(seed, [1, 10])
    x = md.tensor([[1.0, 2.0]], requires_grad=True)
    t = md.tensor([[5.0, 6.0]])
    x.backward(t)                     # a leaf's own seed, given as a Tensor
    assert not np.shares_memory(x.grad, t.data)
    for y in (x.sum(), x.reshape(2).sum(), x.T.sum(), x.mean(), x[0, 1]):
        x.grad = None
        y.backward()                  # broadcast and reshaped views of g become arrays
        assert x.grad.flags.writeable and x.grad.flags.owndata and x.grad.shape == (1, 2)
    a, b = md.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True), md.tensor(np.eye(2),
                                                                              requires_grad=True)
    (a + b.T).backward(np.array([[1.0, 2.0], [3.0, 4.0]]))   # b gets a view of a's gradient
    a.grad *= 0
    np.testing.assert_array_equal(b.grad, [[1, 3], [2, 4]])
    s = md.tensor(3.0, requires_grad=True)
    (s * 2).backward()                # 0-d arithmetic gives numpy scalars, .grad stays an array
    assert type(s.grad) is np.ndarray and s.grad.shape == () and s.grad == 2
    f32 = md.tensor([1.0, 2.0], requires_grad=True, dtype=np.float32)
    (f32 * md.tensor([2.0, 2.0])).sum().backward()   # a float64 gradient for a float32 leaf
    assert f32.grad.dtype == np.float32


def test_a_graph_can_be_backpropagated_again_after_its_grad_was_adopted():
    w = md.tensor([1.0, -2.0], requires_grad=True)
    loss = (w * md.tensor([3.0, 4.0])).sum()
    for k in range(1, 4):             # each call adds [3, 4]; the graph itself is unchanged
        loss.backward()
        np.testing.assert_array_equal(w.grad, [3 * k, 4 * k])
    x = md.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(create_graph=True)
    y.backward(create_graph=True)
    np.testing.assert_array_equal(x.grad, [4, 8])


def test_backward_pauses_the_cycle_collector_and_restores_it_even_after_an_error():
    class Spy(Function):
        seen = []

        def forward(self, x):
            return x.copy()

        def backward(self, g):
            Spy.seen.append(gc.isenabled())
            if self.fail:
                raise ArithmeticError("inside backward")
            return (g,)

    x = md.tensor([1.0, 2.0], requires_grad=True)
    assert gc.isenabled()
    Spy.apply(x, fail=False).sum().backward()
    assert Spy.seen == [False] and gc.isenabled()
    with pytest.raises(ArithmeticError):
        Spy.apply(x, fail=True).sum().backward()
    assert gc.isenabled()
    gc.disable()                      # a reader's own choice is left as it was
    try:
        Spy.apply(x, fail=False).sum().backward()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_softmax_and_log_softmax_are_stable_for_huge_inputs():
    big = md.tensor([[1000.0, 0.0, -1000.0]], requires_grad=True)
    np.testing.assert_allclose(big.softmax().data, [[1, 0, 0]], atol=1e-300)
    np.testing.assert_allclose(big.log_softmax().data, [[0, -1000, -2000]])
    big.log_softmax()[0, 1].backward()
    assert np.all(np.isfinite(big.grad))
    s = md.tensor([-1000.0, 1000.0]).sigmoid().data
    np.testing.assert_allclose(s, [0, 1])


def test_100000_node_chain_backpropagates_without_recursion():
    x = md.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y.backward()  # 200,000 ops deep
    assert x.grad == 1.0


def test_create_graph_gives_differentiable_gradients():
    x = md.tensor([1.0, 2.0], requires_grad=True)
    (g,) = md.grad((x ** 3).sum(), [x], create_graph=True)
    np.testing.assert_allclose(g.data, 3 * x.data ** 2)
    (h,) = md.grad(g.sum(), [x])
    np.testing.assert_allclose(h.data, 6 * x.data)
    assert x.grad is None  # md.grad never touches .grad


def test_grad_hessian_jacobian_hvp_agree_with_formulas():
    f = lambda p: p[0] ** 2 * p[1] + p[1].exp()  # noqa: E731
    p = np.array([1.5, -0.5])
    np.testing.assert_allclose(md.grad(f)(p).data, [2 * p[0] * p[1], p[0] ** 2 + np.exp(p[1])])
    H = np.array([[2 * p[1], 2 * p[0]], [2 * p[0], np.exp(p[1])]])
    np.testing.assert_allclose(md.hessian(f)(p), H)
    v = np.array([0.3, -2.0])
    np.testing.assert_allclose(md.hvp(f, p, v), H @ v)
    W = r(3, 2)
    np.testing.assert_allclose(md.jacobian(lambda x: md.tensor(W) @ x)(p), W)
    assert md.grad(md.grad(lambda x: x.tanh()))(0.5).item() == pytest.approx(
        -2 * np.tanh(0.5) * (1 - np.tanh(0.5) ** 2))
    ga, gb = md.grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(np.ones(2), np.full(2, 3.0))
    np.testing.assert_allclose(ga.data, [3, 3])
    np.testing.assert_allclose(gb.data, [1, 1])


def test_no_grad_records_nothing_and_comparisons_carry_no_gradient():
    x = md.tensor([1.0, -2.0], requires_grad=True)
    with md.no_grad():
        y = x * 2
    assert not y.requires_grad and y.grad_fn is None
    mask = x > 0
    assert not mask.requires_grad and mask.data.tolist() == [True, False]
    assert (x == md.tensor([1.0, 0.0])).data.tolist() == [True, False]


def test_float32_is_kept():
    x = md.tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    y = (x * 2.0 + 1).tanh().sum()
    y.backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32


def test_numpy_array_on_the_left_defers_to_tensor():
    x = md.tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0]) * x
    assert isinstance(y, md.Tensor) and y.requires_grad


def test_grad_fn_is_the_function_that_made_a_tensor():
    x = md.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).sum()
    assert isinstance(y.grad_fn, md.ops.Sum) and y.grad_fn.output is y
    assert isinstance(y.grad_fn.inputs[0].grad_fn, md.ops.Mul) and x.grad_fn is None


def test_topological_order_skips_constants_unless_asked_and_then_keeps_argument_order():
    from mathdl.tensor import topological_order
    a, b, c = md.tensor(2.0, requires_grad=True), md.tensor(3.0, requires_grad=True), md.tensor(5.0)
    s = a * c                 # c is a constant: no gradient, so backward skips it
    t = s + b
    ids = lambda order: [id(n) for n in order]   # noqa: E731 (Tensors compare elementwise)
    order = ids(topological_order([t]))
    assert sorted(order) == sorted(ids([a, s, b, t])) and order[-1] == id(t)
    assert order.index(id(a)) < order.index(id(s))
    assert ids(topological_order([t], constants=True)) == ids([a, c, s, b, t])


def test_each_tensor_method_is_attached_right_below_its_operation():
    """A reader finds `__mul__` under `class Mul`: every assignment of a Tensor method in ops.py
    follows its Function's class at once and uses it (comparisons, which have no Function, and
    ScatterAdd, backward-only, are the exceptions)."""
    import ast
    import inspect
    body = ast.parse(inspect.getsource(md.ops)).body
    attached, owner = {}, None     # owner: the class just above, while assignments continue
    for stmt in body:
        targets = [t for a in ast.walk(stmt) if isinstance(a, ast.Assign) for t in a.targets]
        names = [e.attr for t in targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])
                 if isinstance(e, ast.Attribute) and getattr(e.value, "id", "") == "Tensor"]
        if not names or names[0] == "__lt__":
            owner = stmt if isinstance(stmt, ast.ClassDef) else None
            continue
        assert owner is not None, f"Tensor.{names[0]} is not right below its operation"
        used = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
        assert owner.name in used, f"Tensor.{names[0]} is below {owner.name} but does not use it"
        attached.setdefault(owner.name, []).extend(names)
    functions = {c.name for c in body if isinstance(c, ast.ClassDef) and c.name != "Function"}
    assert functions - set(attached) == {"ScatterAdd"}
    assert {"__add__", "__rpow__", "__matmul__", "exp", "softmax", "sum", "__getitem__"} <= {
        n for names in attached.values() for n in names}


# ---- errors that teach --------------------------------------------------------------------------
def test_matmul_shape_error_names_both_shapes_and_the_rule():
    with pytest.raises(ValueError, match=r"matmul: \(3, 4\) @ \(5, 2\): inner dimensions 4 and 5"):
        md.tensor(np.ones((3, 4))) @ md.tensor(np.ones((5, 2)))


def test_broadcast_error_names_both_shapes_and_the_rule():
    with pytest.raises(ValueError, match=r"add: shapes \(3, 4\) and \(5,\) do not broadcast.*"
                                         r"dimensions 4 and 5 differ and neither is 1"):
        md.tensor(np.ones((3, 4))) + md.tensor(np.ones(5))


def test_backward_on_non_scalar_without_seed():
    x = md.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"shape \(2,\).*\.sum\(\)"):
        (x * 2).backward()
    assert x.grad is None  # nothing changed


def test_non_numeric_data():
    with pytest.raises(TypeError, match="needs numbers"):
        md.tensor(["a", "b"])
    with pytest.raises(TypeError, match="needs numbers"):
        md.tensor({"a": 1})


def test_grad_of_non_scalar_function_and_reshape_errors():
    with pytest.raises(ValueError, match="single number"):
        md.grad(lambda x: x * 2)(np.ones(3))
    with pytest.raises(ValueError, match="cannot view 6 numbers"):
        md.tensor(np.ones((2, 3))).reshape(4, 2)
    with pytest.raises(ValueError, match="seed gradient has shape"):
        md.tensor(np.ones(2), requires_grad=True).sum().backward(np.ones(3))


def test_import_mathdl_stays_light():
    import subprocess
    import sys
    code = ("import sys, mathdl; heavy = [m for m in ('matplotlib', 'ipywidgets', 'sympy', "
            "'scipy') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tensor_copies_its_data_so_later_changes_to_the_array_do_not_leak_in():
    a = np.array([1.0, 2.0, 3.0])
    for source in (a, a[1:], md.tensor(a)):
        t = md.tensor(source)
        before = t.data.copy()
        a *= 10
        assert np.array_equal(t.data, before), "md.tensor must not share memory with its input"
        t.data[0] = -1.0
        assert not np.shares_memory(t.data, a)
