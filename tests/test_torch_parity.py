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
