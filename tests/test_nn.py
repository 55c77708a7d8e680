"""md.nn: modules, layers, initialisation, losses (values, gradients, stability, errors)."""

import numpy as np
import pytest

import mathdl as md
from mathdl import nn

rng = np.random.default_rng(1)


# ---- Module -------------------------------------------------------------------------------------
class Net(nn.Module):
    def __init__(self):
        self.blocks = [nn.Linear(3, 4, seed=0), {"head": nn.Linear(4, 2, seed=1)}]
        self.scale = md.tensor([2.0], requires_grad=True)
        self.shared = self.scale                 # the same tensor twice: listed once
        self.frozen = md.tensor([1.0, 2.0])      # no requires_grad: not a parameter

    def forward(self, x):
        return self.blocks[1]["head"](self.blocks[0](x).tanh()) * self.scale


def test_parameters_are_found_in_lists_dicts_and_submodules_once_each():
    net = Net()
    params = net.parameters()
    expected = [net.blocks[0].weight, net.blocks[0].bias, net.blocks[1]["head"].weight,
                net.blocks[1]["head"].bias, net.scale]
    assert [id(p) for p in params] == [id(p) for p in expected]


def test_zero_grad_clears_accumulated_gradients():
    net = Net()
    x = md.tensor(rng.normal(size=(5, 3)))
    net(x).sum().backward()
    first = net.scale.grad.copy()
    net(x).sum().backward()  # gradients accumulate across backward() calls
    np.testing.assert_allclose(net.scale.grad, 2 * first)
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_train_and_eval_reach_every_submodule():
    net = Net()
    assert net.eval() is net
    assert not any(m.training for m in net.modules()) and len(net.modules()) == 3
    net.train()
    assert all(m.training for m in net.modules())


def test_module_without_forward_says_so():
    with pytest.raises(NotImplementedError, match="must define forward"):
        nn.Module()(1.0)


# ---- Linear and MLP -----------------------------------------------------------------------------
def test_linear_computes_xW_plus_b_and_its_gradients_check():
    layer = nn.Linear(3, 2, seed=0)
    x = rng.normal(size=(4, 3))
    expected = x @ layer.weight.data + layer.bias.data
    np.testing.assert_allclose(layer(md.tensor(x)).data, expected)
    assert layer.weight.shape == (3, 2) and layer.bias.shape == (2,)
    assert md.gradcheck(lambda X, W, b: X @ W + b, x, layer.weight.data, layer.bias.data)


@pytest.mark.parametrize("shape", [(3,), (4, 3), (2, 4, 3)])
def test_linear_first_and_second_derivatives_check_for_one_sample_a_batch_and_more(shape):
    layer = nn.Linear(3, 2, seed=0)

    def f(x, w, b):
        layer.weight, layer.bias = w, b
        return layer(x).tanh()
    args = rng.normal(size=shape), layer.weight.data, rng.normal(size=2)
    assert md.gradcheck(f, *args) and md.gradgradcheck(f, *args)


@pytest.mark.parametrize("init, variance", [("he", 2 / 400), ("xavier", 2 / (400 + 300))])
def test_initialisation_has_the_documented_variance(init, variance):
    w = nn.Linear(400, 300, init=init, seed=3).weight.data
    assert abs(w.mean()) < 0.05 * np.sqrt(variance)  # standard error: 0.003·σ
    assert w.var() == pytest.approx(variance, rel=0.02)  # 120,000 samples: ~0.4% standard error


def test_he_init_keeps_relu_signal_variance_through_depth_while_a_naive_scale_collapses():
    x = rng.normal(size=(2000, 256))

    def last_variance(scale):
        h = x
        for i in range(20):
            layer = nn.Linear(256, 256, seed=i)
            h = np.maximum(h @ (layer.weight.data * scale), 0)
        return h.var()

    he = last_variance(1.0)
    naive = last_variance(0.01 / np.sqrt(2 / 256))  # weights of standard deviation 0.01
    assert 0.2 < he < 5 and naive < 1e-30


def test_seeds_make_layers_reproducible():
    np.testing.assert_array_equal(nn.Linear(5, 3, seed=7).weight.data,
                                  nn.Linear(5, 3, seed=7).weight.data)
    a, b = nn.MLP([2, 8, 1], seed=4), nn.MLP([2, 8, 1], seed=4)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
    assert not np.array_equal(nn.MLP([2, 8, 1], seed=5).layers[0].weight.data,
                              a.layers[0].weight.data)


@pytest.mark.parametrize("activation, f", [("tanh", np.tanh), ("relu", lambda z: np.maximum(z, 0)),
                                           ("sigmoid", lambda z: 1 / (1 + np.exp(-z)))])
def test_mlp_is_linear_layers_with_activations_in_between(activation, f):
    net = nn.MLP([3, 5, 4, 2], activation=activation, seed=0)
    x = rng.normal(size=(6, 3))
    h = x
    for i, layer in enumerate(net.layers):
        h = h @ layer.weight.data + layer.bias.data
        h = f(h) if i < 2 else h
    np.testing.assert_allclose(net(md.tensor(x)).data, h)
    assert len(net.parameters()) == 6
    assert repr(net) == f"MLP([3, 5, 4, 2], activation={activation!r})"


def test_float32_networks_stay_float32():
    net = nn.MLP([2, 3, 1], dtype=np.float32)
    out = net(md.tensor(np.ones((4, 2), dtype=np.float32)))
    assert out.dtype == np.float32 and all(p.dtype == np.float32 for p in net.parameters())


def test_mlp_learns_xor():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0])
    net = nn.MLP([2, 8, 2], activation="tanh", seed=0)
    opt = md.optim.Adam(net.parameters(), lr=0.05)
    for _ in range(300):
        loss = nn.cross_entropy(net(md.tensor(X)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.01
    assert np.array_equal(net(md.tensor(X)).data.argmax(axis=1), y)


@pytest.mark.parametrize("make, message", [
    (lambda: nn.Linear(0, 3), "Linear: in_features must be a whole number >= 1, got 0."),
    (lambda: nn.Linear(2, True), "out_features must be a whole number >= 1, got True"),
    (lambda: nn.Linear(2.0, 3), "in_features must be a whole number >= 1, got 2.0"),
    (lambda: nn.Linear(2, 3, seed=-1), "seed must be a whole number >= 0, got -1"),
    (lambda: nn.Linear(2, 3, init="lecun"), "unknown init 'lecun'"),
    (lambda: nn.MLP([3]), "at least an input and an output"),
    (lambda: nn.MLP([3, 1], activation="swish"),
     "unknown MLP activation 'swish'; choose one of: relu, tanh, sigmoid."),
    (lambda: nn.MLP([3, 1], activation="tahn"), "'tahn' \\(did you mean 'tanh'\\?\\)"),
    (lambda: nn.Linear(3, 2)(md.tensor(np.ones((4, 5)))),
     r"input has shape \(4, 5\) but this layer expects 3 features"),
])
def test_bad_layer_arguments_get_one_clear_sentence(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# ---- losses: values by hand ---------------------------------------------------------------------
def test_regression_losses_match_hand_computation():
    p, y = md.tensor([1.0, 2.0, 4.0]), [2.0, 2.0, 1.0]
    assert nn.mse_loss(p, y).item() == pytest.approx((1 + 0 + 9) / 3)
    assert nn.mae_loss(p, y).item() == pytest.approx((1 + 0 + 3) / 3)


def test_cross_entropy_matches_hand_computation_for_classes_and_one_hot():
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]])
    by_hand = -np.mean([np.log(np.exp(2.0) / np.exp([2.0, 1.0, 0.1]).sum()),
                        np.log(np.exp(2.5) / np.exp([0.5, 2.5, 0.0]).sum())])
    classes = nn.cross_entropy(md.tensor(logits), [0, 1]).item()
    one_hot = nn.cross_entropy(md.tensor(logits), [[1.0, 0, 0], [0, 1.0, 0]]).item()
    float_classes = nn.cross_entropy(md.tensor(logits), md.tensor([0, 1])).item()
    assert classes == pytest.approx(by_hand) and one_hot == pytest.approx(by_hand)
    assert float_classes == pytest.approx(by_hand)


def test_cross_entropy_has_correct_second_derivatives_also_for_differentiable_targets():
    z, y = rng.normal(size=(3, 4)), rng.dirichlet(np.ones(4), size=3)
    assert md.gradgradcheck(lambda z: nn.cross_entropy(z, [3, 0, 1]), z)
    assert md.gradcheck(lambda z, y: nn.cross_entropy(z, y), z, y)  # y perturbed off the simplex
    assert md.gradgradcheck(lambda z, y: nn.cross_entropy(z, y), z, y)


def test_cross_entropy_gradient_is_softmax_minus_one_hot_over_batch():
    z = md.tensor(rng.normal(size=(4, 3)), requires_grad=True)
    y = np.array([2, 0, 1, 2])
    nn.cross_entropy(z, y).backward()
    p = np.exp(z.data) / np.exp(z.data).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(z.grad, (p - np.eye(3)[y]) / 4, atol=1e-12)


def test_binary_losses_match_hand_computation():
    p, y = np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 0.5])
    by_hand = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert nn.binary_cross_entropy(md.tensor(p), y).item() == pytest.approx(by_hand)
    z = np.log(p / (1 - p))  # logits of the same probabilities
    assert nn.binary_cross_entropy_with_logits(md.tensor(z), y).item() == pytest.approx(by_hand)
    s, t = md.tensor([2.0, 0.5, -0.3]), [1.0, 1.0, -1.0]
    assert nn.hinge_loss(s, t).item() == pytest.approx((0 + 0.5 + 0.7) / 3)


# ---- losses: gradients against finite differences ------------------------------------------------
Y_REG = rng.normal(size=(4, 3))
Y_CLASS = np.array([0, 2, 1, 1])
Y_BIN = rng.uniform(size=(4, 3))
Y_SIGN = rng.choice([-1.0, 1.0], size=(4, 3))


@pytest.mark.parametrize("loss, x", [
    (lambda p: nn.mse_loss(p, Y_REG), rng.normal(size=(4, 3))),
    (lambda p: nn.mae_loss(p, Y_REG), Y_REG + rng.choice([-1, 1], size=(4, 3)) * 0.5),
    (lambda z: nn.cross_entropy(z, Y_CLASS), rng.normal(size=(4, 3))),
    (lambda z: nn.cross_entropy(z, np.eye(3)[Y_CLASS] * 0.8 + 0.2 / 3), rng.normal(size=(4, 3))),
    (lambda p: nn.binary_cross_entropy(p, Y_BIN), rng.uniform(0.1, 0.9, size=(4, 3))),
    (lambda z: nn.binary_cross_entropy(z.sigmoid(), Y_BIN), rng.normal(size=(4, 3))),
    (lambda z: nn.binary_cross_entropy_with_logits(z, Y_BIN), rng.normal(size=(4, 3))),
    (lambda s: nn.hinge_loss(s, Y_SIGN), Y_SIGN * rng.choice([0.5, 1.5], size=(4, 3))),
])
def test_losses_pass_gradcheck(loss, x):
    assert md.gradcheck(loss, x)


def test_bce_with_logits_has_the_right_gradient_at_zero():
    z = md.tensor([0.0, 0.0], requires_grad=True)  # a kink-based formula would give -y here
    nn.binary_cross_entropy_with_logits(z, [1.0, 0.0]).backward()
    np.testing.assert_allclose(z.grad, [(0.5 - 1) / 2, 0.5 / 2])


# ---- losses: huge logits ------------------------------------------------------------------------
def test_cross_entropy_is_exact_for_logits_of_plus_minus_1000():
    z = md.tensor([[1000.0, -1000.0], [-1000.0, 1000.0]], requires_grad=True)
    loss = nn.cross_entropy(z, [1, 1])  # first row wrong by 2000, second right
    loss.backward()
    assert loss.item() == pytest.approx(1000.0)
    np.testing.assert_allclose(z.grad, [[0.5, -0.5], [0.0, 0.0]])


@pytest.mark.parametrize("via_sigmoid", [False, True])
def test_binary_cross_entropy_is_exact_for_logits_of_plus_minus_1000(via_sigmoid):
    z = md.tensor([1000.0, -1000.0, 1000.0, -1000.0], requires_grad=True)
    y = [1.0, 0.0, 0.0, 1.0]  # two right, two wrong by a logit of 1000
    loss = nn.binary_cross_entropy(z.sigmoid(), y) if via_sigmoid else \
        nn.binary_cross_entropy_with_logits(z, y)
    loss.backward()
    assert loss.item() == pytest.approx(500.0)
    np.testing.assert_allclose(z.grad, [0, 0, 0.25, -0.25])


def test_binary_cross_entropy_recognises_a_sigmoid_by_its_class_not_its_name():
    class SteepSigmoid(md.ops.Sigmoid):      # a subclass is a sigmoid: the logits path is taken
        pass

    class Sigmoid(md.ops.Function):          # only the name: clip(x, 0, 1), read as probabilities
        def forward(self, x):
            return np.clip(x, 0.0, 1.0)

        def backward(self, g):
            return (g * ((self.inputs[0].data > 0) & (self.inputs[0].data < 1)),)

    z = md.tensor([100.0, -100.0], requires_grad=True)
    loss = nn.binary_cross_entropy(SteepSigmoid.apply(z), [0.0, 1.0])   # σ(±100) is 1 or 0
    assert loss.item() == pytest.approx(100.0)        # from the logits: finite, exact
    x = md.tensor([0.25, 0.5], requires_grad=True)
    loss = nn.binary_cross_entropy(Sigmoid.apply(x), [1.0, 0.0])
    assert loss.item() == pytest.approx(-(np.log(0.25) + np.log(0.5)) / 2)   # not σ(0.25) …


def test_binary_cross_entropy_of_certain_correct_probabilities_is_zero_not_nan():
    p = md.tensor([1.0, 0.0], requires_grad=True)
    loss = nn.binary_cross_entropy(p, [1.0, 0.0])
    loss.backward()
    assert loss.item() == 0.0 and np.all(np.isfinite(p.grad))
    with np.errstate(divide="ignore"):
        wrong = nn.binary_cross_entropy(md.tensor([0.0]), [1.0]).item()
    assert wrong == np.inf  # honest: probability 0 was given to what happened


def test_losses_have_the_same_gradient_with_float32():
    z = md.tensor(np.array([[3.0, -2.0, 0.5]], dtype=np.float32), requires_grad=True)
    loss = nn.cross_entropy(z, [1])
    loss.backward()
    assert loss.dtype == np.float32 and z.grad.dtype == np.float32


# ---- losses: errors ----------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: nn.mse_loss(md.tensor(np.ones((4, 1))), np.ones(4)), ValueError,
     r"prediction has shape \(4, 1\) but target has shape \(4,\)"),
    (lambda: nn.mae_loss(md.tensor(np.ones(3)), np.ones(2)), ValueError, "must match exactly"),
    (lambda: nn.cross_entropy(md.tensor(np.ones((2, 3))), [0, 3]), ValueError,
     r"class index 3 is out of range for 3 classes \(valid: 0 to 2\)"),
    (lambda: nn.cross_entropy(md.tensor(np.ones((2, 3))), [-1, 0]), ValueError, "class index -1"),
    (lambda: nn.cross_entropy(md.tensor(np.ones((2, 3))), [0.5, 1]), ValueError, "whole numbers"),
    (lambda: nn.cross_entropy(md.tensor(np.ones((2, 3))), [0, 1, 2]), ValueError,
     r"class indices of shape \(2,\) or one-hot"),
    (lambda: nn.binary_cross_entropy(md.tensor([0.5, 2.0]), [1.0, 0.0]), ValueError,
     "probabilities must lie in \\[0, 1\\].*binary_cross_entropy_with_logits"),
    (lambda: nn.binary_cross_entropy(md.tensor([0.5]), [2.0]), ValueError, "targets must lie"),
    (lambda: nn.binary_cross_entropy_with_logits(md.tensor([0.5]), [1.0, 0.0]), ValueError,
     "must match exactly"),
    (lambda: nn.hinge_loss(md.tensor([0.5, 1.0]), [0.0, 1.0]), ValueError, "-1 or \\+1"),
])
def test_bad_loss_inputs_get_one_clear_sentence(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_flatten_and_unflatten_parameters_round_trip_and_carry_gradients():
    net = md.nn.MLP([3, 4, 2], seed=1)
    params = net.parameters()
    theta = md.nn.flatten_parameters(params)
    assert theta.shape == (sum(p.data.size for p in params),)
    before = params[0].data.copy()
    theta[0] += 1.0                                  # a copy: the network is untouched
    assert np.array_equal(params[0].data, before)
    theta[0] -= 1.0
    X, y = np.random.default_rng(0).normal(size=(5, 3)), np.array([0, 1, 1, 0, 1])

    def loss_of(theta):
        W1, b1, W2, b2 = md.nn.unflatten_parameters(theta, [p.shape for p in params])
        return md.nn.cross_entropy((md.tensor(X) @ W1 + b1).tanh() @ W2 + b2, y)

    # the gradient with respect to the one vector is the per-parameter gradients, concatenated
    net.zero_grad()
    md.nn.cross_entropy(net(md.tensor(X)), y).backward()
    expected = md.nn.flatten_parameters([p.grad for p in params])
    assert np.allclose(md.grad(loss_of)(theta).data, expected, atol=1e-12)
    md.gradcheck(loss_of, theta)


def test_unflatten_parameters_names_the_sizes_when_theta_does_not_fit():
    with pytest.raises(ValueError, match=r"vector of 13 numbers .* shape \(12,\)"):
        md.nn.unflatten_parameters(np.zeros(12), [(2, 3), (3,), (3, 1), (1,)])


# ---- log_sigmoid ---------------------------------------------------------------------------------
def test_log_sigmoid_is_exact_for_large_logits_and_its_derivatives_check():
    z = md.tensor([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    expected = -np.logaddexp(0, -z.data)                    # -log(1 + e^(-z)), a second method
    # (log-softmax takes log(1 + e^-30), not log1p: its answer near 0 is good to 1e-16 absolute)
    np.testing.assert_allclose(nn.log_sigmoid(z).data, expected, rtol=1e-15, atol=1e-15)
    assert nn.log_sigmoid(z).data[0] == -1000.0
    x = rng.normal(size=(2, 3)) * 3
    assert md.gradcheck(nn.log_sigmoid, x) and md.gradgradcheck(nn.log_sigmoid, x)
    t = md.tensor(x, requires_grad=True)
    nn.log_sigmoid(t).sum().backward()
    np.testing.assert_allclose(t.grad, 1 / (1 + np.exp(x)))  # d log σ(z)/dz = σ(-z)


# ---- BatchNorm1d ---------------------------------------------------------------------------------
def test_batchnorm_in_train_mode_normalises_each_feature_with_the_batch_statistics():
    bn = nn.BatchNorm1d(3)
    assert [id(p) for p in bn.parameters()] == [id(bn.weight), id(bn.bias)]
    assert bn.weight.data.tolist() == [1.0] * 3 and bn.bias.data.tolist() == [0.0] * 3
    assert bn.running_mean.tolist() == [0.0] * 3 and bn.running_var.tolist() == [1.0] * 3
    x = rng.normal(2.0, 3.0, size=(8, 3))
    y = bn(md.tensor(x)).data
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), x.var(axis=0) / (x.var(axis=0) + 1e-5))  # biased
    np.testing.assert_allclose(bn.running_mean, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * x.var(axis=0, ddof=1))     # unbiased
    bn.weight.data[:], bn.bias.data[:] = [1.0, 2.0, 3.0], [0.0, -1.0, 5.0]
    np.testing.assert_allclose(bn(x).data, y * [1.0, 2.0, 3.0] + [0.0, -1.0, 5.0])


def test_batchnorm_running_statistics_follow_the_momentum_rule_and_eval_uses_them():
    bn = nn.BatchNorm1d(2, momentum=0.3, eps=1e-3)
    mean, var = np.zeros(2), np.ones(2)
    for _ in range(5):
        x = rng.normal([1.0, -4.0], [2.0, 0.5], size=(6, 2))
        bn(x)
        mean = 0.7 * mean + 0.3 * x.mean(axis=0)
        var = 0.7 * var + 0.3 * x.var(axis=0, ddof=1)
    np.testing.assert_allclose(bn.running_mean, mean)
    np.testing.assert_allclose(bn.running_var, var)
    bn.eval()
    one = rng.normal(size=(1, 2))                      # a single sample is fine in eval mode
    np.testing.assert_allclose(bn(one).data, (one - mean) / np.sqrt(var + 1e-3))
    bn(rng.normal(size=(4, 2)))
    np.testing.assert_array_equal(bn.running_mean, mean)   # eval() leaves the statistics alone
    x = rng.normal(size=(4, 2))
    np.testing.assert_allclose(bn(x[:2]).data, bn(x).data[:2])  # samples do not see each other


def test_batchnorm_gradients_check_in_both_modes_and_match_the_written_formula():
    x = rng.normal(size=(5, 3))
    gamma, beta = rng.normal(size=3), rng.normal(size=3)

    def layer(mode):
        bn = nn.BatchNorm1d(3).train(mode == "train")
        bn.running_mean, bn.running_var = rng.normal(size=3), rng.uniform(0.5, 2, size=3)

        def f(x, w, b):
            bn.weight, bn.bias = w, b
            return bn(x)
        return f

    for mode in ("train", "eval"):
        assert md.gradcheck(layer(mode), x, gamma, beta)
        assert md.gradgradcheck(layer(mode), x, gamma, beta)
    # the docstring's dL/dx = γ/√(σ²+ε) · (g - mean(g) - x̂ · mean(g x̂)), and dL/dγ, dL/dβ
    bn, g = nn.BatchNorm1d(3), rng.normal(size=(5, 3))
    bn.weight.data[:] = gamma
    xt = md.tensor(x, requires_grad=True)
    bn(xt).backward(g)
    std = np.sqrt(x.var(axis=0) + 1e-5)
    x_hat = (x - x.mean(axis=0)) / std
    expected = gamma / std * (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0))
    np.testing.assert_allclose(xt.grad, expected, atol=1e-12)
    np.testing.assert_allclose(bn.weight.grad, (g * x_hat).sum(axis=0))
    np.testing.assert_allclose(bn.bias.grad, g.sum(axis=0))


@pytest.mark.parametrize("make, message", [
    (lambda: nn.BatchNorm1d(0), "BatchNorm1d: num_features must be a whole number >= 1, got 0"),
    (lambda: nn.BatchNorm1d(2.0), "num_features must be a whole number"),
    (lambda: nn.BatchNorm1d(2, momentum=1.5), r"momentum must be a finite number in \[0, 1\]"),
    (lambda: nn.BatchNorm1d(2, eps=0), r"eps must be a finite number in \(0, ∞\)"),
    (lambda: nn.BatchNorm1d(3)(np.ones((4, 2))),
     r"BatchNorm1d: the input has shape \(4, 2\) but this layer expects \(batch, 3\)"),
    (lambda: nn.BatchNorm1d(3)(np.ones(3)), r"input has shape \(3,\)"),
    (lambda: nn.BatchNorm1d(3)(np.ones((1, 3))),
     r"in train\(\) mode a batch needs at least 2 samples \(the unbiased variance of one sample "
     r"is undefined\); got 1\. Call eval\(\)"),
    (lambda: nn.GraphConv(0, 2), "GraphConv: in_features must be a whole number >= 1"),
    (lambda: nn.GraphConv(2, True), "GraphConv: out_features must be a whole number"),
    (lambda: nn.GraphConv(3, 2)(np.ones((4, 2)), np.eye(4)),
     r"GraphConv: H must have shape \(nodes, 3\), one row of 3 features per node, got \(4, 2\)"),
    (lambda: nn.GraphConv(3, 2)(np.ones((4, 3)), np.eye(3)),
     r"GraphConv: A_hat must have shape \(4, 4\) to match the 4 nodes of H, got \(3, 3\)"),
    (lambda: nn.GraphConv(3, 2)(np.ones((4, 3)), md.tensor(np.ones((4, 5)))),
     r"A_hat must have shape \(4, 4\) .* got \(4, 5\)"),
])
def test_bad_normalisation_and_graph_layer_arguments_get_one_clear_sentence(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_batchnorm_refuses_a_bad_batch_before_changing_its_statistics():
    bn = nn.BatchNorm1d(2)
    with pytest.raises(ValueError):
        bn(np.ones((1, 2)))
    assert bn.running_mean.tolist() == [0.0, 0.0] and bn.running_var.tolist() == [1.0, 1.0]


# ---- GraphConv -----------------------------------------------------------------------------------
def _graph(n=5):
    A = (rng.random((n, n)) < 0.5).astype(float)
    A = np.triu(A, 1)
    return md.graph.normalized_adjacency(A + A.T)


def test_graph_conv_computes_A_H_W_plus_b_with_documented_initialisation():
    layer = nn.GraphConv(3, 2, seed=0)
    assert [id(p) for p in layer.parameters()] == [id(layer.weight), id(layer.bias)]
    assert layer.weight.shape == (3, 2) and layer.bias.data.tolist() == [0.0, 0.0]
    A_hat, H = _graph(), rng.normal(size=(5, 3))
    expected = A_hat @ H @ layer.weight.data + layer.bias.data
    np.testing.assert_allclose(layer(H, A_hat).data, expected)
    np.testing.assert_allclose(layer(md.tensor(H), md.tensor(A_hat)).data, expected)
    big = nn.GraphConv(200, 300, seed=1).weight.data
    assert big.mean() == pytest.approx(0, abs=0.01)
    assert big.var() == pytest.approx(2 / (200 + 300), rel=0.02)         # Xavier: 2/(in + out)
    assert np.array_equal(nn.GraphConv(3, 2, seed=4).weight.data,
                          nn.GraphConv(3, 2, seed=4).weight.data)


def test_graph_conv_gradients_check_in_features_adjacency_and_parameters():
    layer = nn.GraphConv(3, 2, seed=0)
    A_hat, H = _graph(), rng.normal(size=(5, 3))

    def f(H, A, W, b):
        layer.linear.weight, layer.linear.bias = W, b
        return layer(H, A).tanh()

    args = (H, A_hat, layer.weight.data.copy(), rng.normal(size=2))
    assert md.gradcheck(f, *args) and md.gradgradcheck(f, *args)


def test_graph_conv_is_permutation_equivariant():
    layer = nn.GraphConv(3, 4, seed=2)
    layer.bias.data[:] = rng.normal(size=4)
    A_hat, H = _graph(6), rng.normal(size=(6, 3))
    P = np.eye(6)[rng.permutation(6)]
    np.testing.assert_allclose(layer(P @ H, P @ A_hat @ P.T).data, P @ layer(H, A_hat).data,
                               atol=1e-12)
    A = (rng.random((6, 6)) < 0.5).astype(float)
    A = np.triu(A, 1) + np.triu(A, 1).T
    np.testing.assert_allclose(md.graph.normalized_adjacency(P @ A @ P.T),
                               P @ md.graph.normalized_adjacency(A) @ P.T, atol=1e-15)
