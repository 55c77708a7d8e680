"""Parity with PyTorch: operations, losses, optimizer steps and schedules give the same numbers.

Optional: PyTorch is not a dependency of the book. Without it this module is skipped, and pytest's
summary (-ra) says why.
"""

import numpy as np
import pytest

import mathdl as md

torch = pytest.importorskip("torch", reason="PyTorch is not installed; the parity tests need it "
                                            "(pip install torch), the book does not")
F = torch.nn.functional
rng = np.random.default_rng(7)


def both(f_md, f_torch, *arrays):
    """Value and input gradients of a scalar-reduced function, in mathdl and in PyTorch."""
    weights = rng.normal(size=np.shape(f_md(*[md.tensor(a) for a in arrays]).data))
    xs = [md.tensor(a, requires_grad=True) for a in arrays]
    out = f_md(*xs)
    (out * md.tensor(weights)).sum().backward()
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out_t = f_torch(*ts)
    (out_t * torch.tensor(weights)).sum().backward()
    return (out.data, [x.grad for x in xs]), (out_t.detach().numpy(), [t.grad.numpy() for t in ts])


def assert_same(pair, atol=1e-10):
    (value, grads), (value_t, grads_t) = pair
    np.testing.assert_allclose(value, value_t, rtol=1e-10, atol=atol)
    for g, g_t in zip(grads, grads_t):
        np.testing.assert_allclose(g, g_t, rtol=1e-9, atol=atol)


X34, Y34 = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
OPS = {
    "broadcast add": (lambda a, b: a + b, lambda a, b: a + b, X34, rng.normal(size=4)),
    "mul, div": (lambda a, b: a * b / (b * b + 1), lambda a, b: a * b / (b * b + 1), X34, Y34),
    "pow": (lambda a: a ** 3, lambda a: a ** 3, X34),
    "matmul": (lambda a, b: a @ b, lambda a, b: a @ b, X34, rng.normal(size=(4, 2))),
    "matvec": (lambda a, b: a @ b, lambda a, b: a @ b, X34, rng.normal(size=4)),
    "exp, log": (lambda a: (a.exp() + 1).log(), lambda a: (a.exp() + 1).log(), X34),
    "sqrt, abs": (lambda a: (a.abs() + 0.5).sqrt(), lambda a: (a.abs() + 0.5).sqrt(), X34),
    "tanh, sigmoid, relu": (lambda a: a.tanh() + a.sigmoid() * a.relu(),
                            lambda a: a.tanh() + a.sigmoid() * a.relu(), X34),
    "softmax": (lambda a: a.softmax(axis=0), lambda a: a.softmax(dim=0), X34),
    "log_softmax": (lambda a: a.log_softmax(), lambda a: a.log_softmax(dim=-1), X34),
    "sum, mean, max": (lambda a: a.sum(axis=0) + a.mean(axis=1, keepdims=True) * a.max(axis=0),
                       lambda a: a.sum(0) + a.mean(1, keepdim=True) * a.amax(0), X34),
    "reshape, transpose": (lambda a: a.reshape(2, 6).T, lambda a: a.reshape(2, 6).T, X34),
    "integer-array indexing": (lambda a: a[np.array([0, 2, 0]), 1:],
                               lambda a: a[torch.tensor([0, 2, 0]), 1:], X34),
}


@pytest.mark.parametrize("name", OPS)
def test_operations_match_pytorch(name):
    f_md, f_torch, *arrays = OPS[name]
    assert_same(both(f_md, f_torch, *arrays))


CLASSES = np.array([2, 0, 3])
PROBS = rng.dirichlet(np.ones(4), size=3)
BIN = rng.uniform(size=(3, 4))
SIGNS = rng.choice([-1.0, 1.0], size=(3, 4))
LOSSES = {
    "mse": (lambda p: md.nn.mse_loss(p, Y34), lambda p: F.mse_loss(p, torch.tensor(Y34)), X34),
    "mae": (lambda p: md.nn.mae_loss(p, Y34), lambda p: F.l1_loss(p, torch.tensor(Y34)), X34),
    "cross-entropy, classes": (lambda z: md.nn.cross_entropy(z, CLASSES),
                               lambda z: F.cross_entropy(z, torch.tensor(CLASSES)), X34),
    "cross-entropy, probabilities": (lambda z: md.nn.cross_entropy(z, PROBS),
                                     lambda z: F.cross_entropy(z, torch.tensor(PROBS)), X34),
    "cross-entropy, logits ±1000": (lambda z: md.nn.cross_entropy(z, CLASSES),
                                    lambda z: F.cross_entropy(z, torch.tensor(CLASSES)),
                                    np.sign(X34) * 1000),
    "binary cross-entropy": (lambda p: md.nn.binary_cross_entropy(p, BIN),
                             lambda p: F.binary_cross_entropy(p, torch.tensor(BIN)),
                             rng.uniform(0.05, 0.95, size=(3, 4))),
    "binary cross-entropy with logits": (
        lambda z: md.nn.binary_cross_entropy_with_logits(z, BIN),
        lambda z: F.binary_cross_entropy_with_logits(z, torch.tensor(BIN)), X34),
    "binary cross-entropy with logits ±1000": (
        lambda z: md.nn.binary_cross_entropy_with_logits(z, BIN),
        lambda z: F.binary_cross_entropy_with_logits(z, torch.tensor(BIN)), np.sign(X34) * 1000),
    "hinge": (lambda s: md.nn.hinge_loss(s, SIGNS),
              lambda s: (1 - torch.tensor(SIGNS) * s).clamp(min=0).mean(), X34),
}


@pytest.mark.parametrize("name", LOSSES)
def test_losses_match_pytorch(name):
    f_md, f_torch, x = LOSSES[name]
    assert_same(both(f_md, f_torch, x), atol=1e-9)


OPTIMIZERS = [
    ("sgd", dict(lr=0.1), torch.optim.SGD, dict(lr=0.1)),
    ("sgd", dict(lr=0.1, momentum=0.9, weight_decay=0.01), torch.optim.SGD,
     dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    ("nesterov", dict(lr=0.05, momentum=0.8), torch.optim.SGD,
     dict(lr=0.05, momentum=0.8, nesterov=True)),
    ("adagrad", dict(lr=0.1), torch.optim.Adagrad, dict(lr=0.1)),
    ("rmsprop", dict(lr=0.01, alpha=0.9), torch.optim.RMSprop, dict(lr=0.01, alpha=0.9)),
    ("adam", dict(lr=0.01, weight_decay=0.1), torch.optim.Adam, dict(lr=0.01, weight_decay=0.1)),
    ("adamw", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1), torch.optim.AdamW,
     dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)),
]


@pytest.mark.parametrize("name, hyper, torch_class, torch_hyper", OPTIMIZERS,
                         ids=[f"{o[0]}-{i}" for i, o in enumerate(OPTIMIZERS)])
def test_optimizer_steps_on_a_network_match_pytorch(name, hyper, torch_class, torch_hyper):
    X, y = rng.normal(size=(16, 3)), rng.integers(0, 4, size=16)
    net = md.nn.MLP([3, 8, 4], activation="tanh", seed=1)
    opt = md.optim.get(name, net.parameters(), **hyper)
    params_t = [torch.tensor(p.data.copy(), requires_grad=True) for p in net.parameters()]
    opt_t = torch_class(params_t, **torch_hyper)
    W1, b1, W2, b2 = params_t
    for _ in range(6):
        loss = md.nn.cross_entropy(net(md.tensor(X)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss_t = F.cross_entropy(torch.tanh(torch.tensor(X) @ W1 + b1) @ W2 + b2, torch.tensor(y))
        opt_t.zero_grad()
        loss_t.backward()
        opt_t.step()
        assert loss.item() == pytest.approx(loss_t.item(), rel=1e-10)
    for p, p_t in zip(net.parameters(), params_t):
        np.testing.assert_allclose(p.data, p_t.detach().numpy(), rtol=1e-9, atol=1e-12)


SCHEDULES = [
    (md.schedules.step_decay(3, gamma=0.5),
     lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    (md.schedules.exponential(0.9), lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9)),
    (md.schedules.cosine(8, min_factor=0.1),
     lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=8, eta_min=0.02)),
    (md.schedules.linear_warmup(4),
     lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=3)),
]


@pytest.mark.parametrize("schedule, torch_scheduler", SCHEDULES,
                         ids=["step", "exponential", "cosine", "warmup"])
def test_schedules_match_pytorch(schedule, torch_scheduler):
    opt = md.optim.SGD([md.tensor([1.0], requires_grad=True)], lr=0.2)
    sched = md.schedules.Scheduler(opt, schedule)
    opt_t = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.2)
    sched_t = torch_scheduler(opt_t)
    for _ in range(9):  # up to the cosine's end: after it, PyTorch's cosine rises again
        assert opt.lr == pytest.approx(opt_t.param_groups[0]["lr"], rel=1e-12)
        opt_t.step()
        sched.step()
        sched_t.step()


# ---- distributions, information, batch normalisation ---------------------------------------------
D, TD = md.distributions, torch.distributions
X3, P3, Q3 = rng.normal(size=3), rng.uniform(0.1, 0.9, size=3), rng.uniform(0.1, 0.9, size=3)
Z23 = rng.normal(size=(2, 3))
X3R, Z23R = X3[::-1].copy(), Z23[::-1].copy()     # (torch refuses negative strides)
K = np.array([[2, 0], [1, 1]])
DISTRIBUTIONS = {   # name: (mathdl, PyTorch, differentiable arrays)
    "Normal.log_prob": (lambda x, m, s: D.Normal(m, s).log_prob(x),
                        lambda x, m, s: TD.Normal(m, s).log_prob(x), X3, X3R, P3 + 0.5),
    "Laplace.log_prob": (lambda x, m, s: D.Laplace(m, s).log_prob(x),
                         lambda x, m, s: TD.Laplace(m, s).log_prob(x), X3, X3R, P3 + 0.5),
    "Uniform.log_prob": (lambda a, b: D.Uniform(a, b).log_prob(X3),
                         lambda a, b: TD.Uniform(a, b).log_prob(torch.tensor(X3)), X3 - 1, X3 + 2),
    "Beta.log_prob": (lambda x, a, b: D.Beta(a, b).log_prob(x),
                      lambda x, a, b: TD.Beta(a, b).log_prob(x), P3, P3 + 1, Q3 + 0.5),
    "Bernoulli(probs).log_prob": (lambda p: D.Bernoulli(probs=p).log_prob([1.0, 0.0, 1.0]),
                                  lambda p: TD.Bernoulli(probs=p).log_prob(
                                      torch.tensor([1.0, 0.0, 1.0], dtype=p.dtype)), P3),
    "Bernoulli(logits).log_prob": (lambda z: D.Bernoulli(logits=z).log_prob([1.0, 0.0, 1.0]),
                                   lambda z: TD.Bernoulli(logits=z).log_prob(
                                       torch.tensor([1.0, 0.0, 1.0], dtype=z.dtype)), X3 * 5),
    "Categorical(logits).log_prob": (lambda z: D.Categorical(logits=z).log_prob(K),
                                     lambda z: TD.Categorical(logits=z).log_prob(torch.tensor(K)),
                                     Z23),
    "entropies": (lambda s, a, b, z: D.Normal(0.0, s).entropy() + D.Laplace(0.0, s).entropy()
                  + D.Uniform(a, a + s).entropy() + D.Beta(a + 1, b).entropy()
                  + D.Bernoulli(probs=b).entropy() + D.Bernoulli(logits=a).entropy()
                  + D.Categorical(logits=z).entropy().sum(),
                  lambda s, a, b, z: TD.Normal(0.0, s).entropy() + TD.Laplace(0.0, s).entropy()
                  + TD.Uniform(a, a + s).entropy() + TD.Beta(a + 1, b).entropy()
                  + TD.Bernoulli(probs=b).entropy() + TD.Bernoulli(logits=a).entropy()
                  + TD.Categorical(logits=z).entropy().sum(), P3 + 0.5, X3, Q3, Z23),
    "KL Normal": (lambda a, b, c, d: D.kl_divergence(D.Normal(a, b), D.Normal(c, d)),
                  lambda a, b, c, d: TD.kl_divergence(TD.Normal(a, b), TD.Normal(c, d)),
                  X3, P3, X3R, Q3),
    "KL Bernoulli": (lambda p, q: D.kl_divergence(D.Bernoulli(probs=p), D.Bernoulli(logits=q)),
                     lambda p, q: TD.kl_divergence(TD.Bernoulli(probs=p), TD.Bernoulli(logits=q)),
                     P3, X3),
    "KL Categorical": (lambda a, b: D.kl_divergence(D.Categorical(logits=a),
                                                    D.Categorical(logits=b)),
                       lambda a, b: TD.kl_divergence(TD.Categorical(logits=a),
                                                     TD.Categorical(logits=b)), Z23, Z23R),
}


@pytest.mark.parametrize("name", DISTRIBUTIONS)
def test_distributions_match_pytorch(name):
    f_md, f_torch, *arrays = DISTRIBUTIONS[name]
    assert_same(both(f_md, f_torch, *arrays), atol=1e-12)


def test_categorical_and_info_from_probabilities_match_pytorch_in_value():
    p, q = rng.dirichlet(np.ones(4), size=3), rng.dirichlet(np.ones(4), size=3)
    k = np.array([0, 3, 1])
    for ours, theirs in [
            (D.Categorical(probs=p).log_prob(k), TD.Categorical(probs=torch.tensor(p)).log_prob(
                torch.tensor(k))),
            (D.Categorical(probs=p).entropy(), TD.Categorical(probs=torch.tensor(p)).entropy()),
            (md.info.kl_divergence(p, q), TD.kl_divergence(TD.Categorical(probs=torch.tensor(p)),
                                                           TD.Categorical(probs=torch.tensor(q)))),
            (md.info.entropy(p), TD.Categorical(probs=torch.tensor(p)).entropy())]:
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12)


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_batchnorm1d_matches_pytorch_in_train_and_eval_mode(mode):
    bn = md.nn.BatchNorm1d(3, momentum=0.2, eps=1e-4)
    bn_t = torch.nn.BatchNorm1d(3, momentum=0.2, eps=1e-4, dtype=torch.float64)
    gamma, beta = rng.normal(size=3), rng.normal(size=3)
    bn.weight.data[:], bn.bias.data[:] = gamma, beta
    with torch.no_grad():
        bn_t.weight[:], bn_t.bias[:] = torch.tensor(gamma), torch.tensor(beta)
    for _ in range(3):        # a few training steps, so the running statistics have moved
        x = rng.normal(1.0, 2.0, size=(6, 3))
        bn(x)
        bn_t(torch.tensor(x))
    np.testing.assert_allclose(bn.running_mean, bn_t.running_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(bn.running_var, bn_t.running_var.numpy(), rtol=1e-12)
    bn.train(mode == "train")
    bn_t.train(mode == "train")
    x, g = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    xs, xt = md.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, out_t = bn(xs), bn_t(xt)
    out.backward(g)
    out_t.backward(torch.tensor(g))
    np.testing.assert_allclose(out.data, out_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    for ours, theirs in [(xs.grad, xt.grad), (bn.weight.grad, bn_t.weight.grad),
                         (bn.bias.grad, bn_t.bias.grad)]:
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(bn.running_var, bn_t.running_var.numpy(), rtol=1e-12)


# ---- defaults (issue 19): a wrong default is a bug that no test with explicit values sees ------
@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_optimizer_defaults_are_pytorchs(name):
    import inspect
    defaults = getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)]).defaults
    ours = {k: p.default for k, p in inspect.signature(getattr(md.optim, name)).parameters.items()
            if p.default is not inspect.Parameter.empty}
    assert ours, f"{name} has no defaults to compare"
    for key, value in ours.items():
        assert tuple(np.atleast_1d(value)) == tuple(np.atleast_1d(defaults[key])), key


@pytest.mark.parametrize("name, hyper, torch_class, torch_hyper", OPTIMIZERS,
                         ids=[f"{o[0]}-{i}" for i, o in enumerate(OPTIMIZERS)])
def test_a_parameter_that_skips_steps_moves_as_in_pytorch(name, hyper, torch_class, torch_hyper):
    """q has no gradient (.grad None) on some steps: state and step counts per parameter, as
    md.optim's docstring says PyTorch does too."""
    start = rng.normal(size=(2, 3))
    params = [md.tensor(s, requires_grad=True) for s in start]
    params_t = [torch.tensor(s, requires_grad=True) for s in start]
    opt, opt_t = md.optim.get(name, params, **hyper), torch_class(params_t, **torch_hyper)
    for active in (True, False, False, True, True, False, True):
        for ps, o in ((params, opt), (params_t, opt_t)):
            loss = (ps[0] ** 2).sum() + (((ps[1] - 1) ** 4).sum() if active else 0)
            o.zero_grad()
            loss.backward()
            o.step()
        assert (params[1].grad is None) == (params_t[1].grad is None) == (not active)
    for p, p_t in zip(params, params_t):
        np.testing.assert_allclose(p.data, p_t.detach().numpy(), rtol=1e-10, atol=1e-12)
