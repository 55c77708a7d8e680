"""Chapter 5's exercises: right answers in several forms, typical mistakes.

(Answers computed by mathdl's own optimizers and autodiff are in tests/test_chapter5.py.)"""

import math

import numpy as np
import sympy as sp

import mathdl as md

s = sp.Symbol("s", real=True)


def _unwritten(m):
    ...


def _unwritten3(t, W, T):
    ...


def _warmup_cosine_math(t, W, T):
    if t < W:
        return (t + 1) / W
    return (1 + math.cos(math.pi * (t - W) / (T - W))) / 2

# ---- what a reader of the notebook has at hand: section 5.2's descend, 5.4's split

def _descend(land, name, steps, start=None, **hyper):
    p = md.tensor(land.start if start is None else start, requires_grad=True)
    opt = md.optim.get(name, [p], **hyper)
    path = [p.numpy().copy()]
    for _ in range(steps):
        opt.zero_grad()
        land(p).backward()
        opt.step()
        path.append(p.numpy().copy())
    return np.array(path)


_VALLEY = md.landscapes.quadratic(condition_number=50, angle=30)
_X, _Y = md.data.load_digits()
_REST, _ = md.data.split_indices(len(_X), test_fraction=0.2, seed=0)
_FIT, _ = md.data.split_indices(len(_REST), test_fraction=0.2, seed=1)
X_train, y_train = _X[_REST[_FIT]] / 16, _Y[_REST[_FIT]]
N = len(X_train)


def _valley_loop(mu, start=(-1.8, -0.4), nesterov=False):
    p = md.tensor(start, requires_grad=True)
    opt = md.optim.SGD([p], lr=0.9, momentum=mu, nesterov=nesterov and mu > 0)
    for _ in range(60):
        opt.zero_grad()
        _VALLEY(p).backward()
        opt.step()
    return _VALLEY(p.numpy())


def _adam_loop(theta, grads, lr, b1=0.9, b2=0.999, eps=1e-8):
    m, v, path = np.zeros_like(theta), np.zeros_like(theta), [theta.copy()]
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        theta = theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        path.append(theta.copy())
    return np.array(path)


def _adam_in_place(theta, grads, lr):
    """Adam as md.optim writes it: updates in place, with the step count in a variable."""
    theta = theta.astype(float)
    m, v, path, t = np.zeros_like(theta), np.zeros_like(theta), [theta.copy()], 0
    for g in grads:
        t += 1
        m *= 0.9
        m += 0.1 * g
        v *= 0.999
        v += 0.001 * g**2
        theta -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        path.append(theta.copy())
    return np.array(path)


def _adam_with_mathdl(theta, grads, lr):
    w = md.tensor(theta, requires_grad=True)
    opt = md.optim.Adam([w], lr=lr)
    path = [w.numpy().copy()]
    for g in grads:
        w.grad = g
        opt.step()
        path.append(w.numpy().copy())
    return np.array(path)


def _adam_wrong(correct_m=True, correct_v=True, eps_inside=False, sign=1):
    def adam(theta, grads, lr, b1=0.9, b2=0.999, eps=1e-8):
        m, v, path = np.zeros_like(theta), np.zeros_like(theta), [theta.copy()]
        for t, g in enumerate(grads, start=1):
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            m_hat = m / (1 - b1**t) if correct_m else m
            v_hat = v / (1 - b2**t) if correct_v else v
            scale = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
            theta = theta - sign * lr * m_hat / scale
            path.append(theta.copy())
        return np.array(path)
    return adam


def _range_test(optimizer="adam", grow=lambda k: 10 ** (5 * k / 99), suggest=0.1):
    net = md.nn.MLP([64, 32, 10], activation="relu", seed=0)
    opt = md.optim.get(optimizer, net.parameters(), lr=1e-4)
    best = np.inf
    for k in range(100):
        opt.lr = 1e-4 * grow(k)
        idx = (64 * k + np.arange(64)) % N
        loss = md.nn.cross_entropy(net(md.tensor(X_train[idx])), y_train[idx])
        if loss.item() > 4 * best:
            return suggest * opt.lr
        best = min(best, loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()


def _range_test_losses_first():
    """The reader who records every loss, then looks for the blow-up afterwards."""
    net = md.nn.MLP([64, 32, 10], activation="relu", seed=0)
    opt = md.optim.Adam(net.parameters(), lr=1e-4)
    rates, losses = 1e-4 * np.geomspace(1, 1e5, 100), []
    for k, lr in enumerate(rates):
        opt.lr = lr
        idx = (64 * k + np.arange(64)) % N
        loss = md.nn.cross_entropy(net(md.tensor(X_train[idx])), y_train[idx])
        losses.append(loss.item())
        if losses[-1] > 4 * min(losses[:-1], default=np.inf):
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    return rates[len(losses) - 1] / 10


_INPUTS_NOTE = "On input"   # the checker names the input where a function first differs

CASES = {
    "descent_on_a_bowl": {
        "right": ["b", "B", "(b)", 1,
                  "It converges, with x changing sign at every step while y shrinks smoothly."],
        "wrong": [
            ("a", "mistake", "-0.8"),
            ("c", "mistake", "2/L = 1/3"),
            ("d", "mistake", "0.7"),
            ("e", "unreadable", "letter of one option"),
        ],
    },
    "logistic_gradient": {
        "right": ["sigmoid(s)", "σ(s)", "exp(s)/(1 + exp(s))", "e^s/(1+e^s)", "1/(1+e^(−s))",
                  sp.diff(sp.log(1 + sp.exp(s)), s)],
        "wrong": [
            ("-1/(1 + exp(s))", "mistake", "positive example"),
            ("-sigmoid(s)", "mistake", "derivative is positive"),
            ("exp(s)", "mistake", "1/u"),
            ("1/(1 + exp(s))", "mistake", "σ(-s)"),
            ("2σ(s)", "factor", "2 times"),
            ("sigmoid(m)", "unreadable", "uses m"),
        ],
    },
    "squared_hinge_derivative": {
        "right": [lambda m: -2 * np.maximum(0, 1 - m), lambda m: np.where(m < 1, 2 * m - 2, 0.0),
                  lambda m: -2 * (1 - m).clip(min=0)],
        "wrong": [
            (lambda m: 2 * np.maximum(0, 1 - m), "mistake", "sign flips"),
            (lambda m: -np.maximum(0, 1 - m), "mistake", "factor 2"),
            (lambda m: np.where(m < 1, -1.0, 0.0), "mistake", "plain hinge"),
            (lambda m: -2 * (1 - m), "value", "On input"),
            (_unwritten, "blank", None),
        ],
    },
    "classify_critical_point": {
        "right": ["d", "D", "d)", 3, "The eigenvalue test cannot decide."],
        "wrong": [
            ("a", "mistake", "x² - y⁴"),
            ("b", "mistake", "two are positive"),
            ("c", "mistake", "none is negative"),
            ("minimum", "unreadable", None),
        ],
    },
    "momentum_on_the_valley": {
        "right": [_valley_loop,
                  lambda mu: _VALLEY(_descend(_VALLEY, "momentum", 60, start=(-1.8, -0.4), lr=0.9,
                                              momentum=mu)[-1]),
                  lambda mu: float(_VALLEY.f(*_descend(_VALLEY, "momentum", 60, start=[-1.8, -0.4],
                                                       lr=0.9, momentum=mu)[-1]))],
        "wrong": [
            (lambda mu: _valley_loop(mu, nesterov=True), "mistake", "Nesterov"),
            (lambda mu: _valley_loop(mu, start=_VALLEY.start), "mistake", "demo start"),
            (lambda mu: _VALLEY(_descend(_VALLEY, "momentum", 59, start=(-1.8, -0.4), lr=0.9,
                                         momentum=mu)[-1]), "value", _INPUTS_NOTE),
            (lambda mu: _valley_loop(0.9), "value", "On input (0"),     # ignores mu
        ],
    },
    "adam_update": {
        "right": [_adam_loop, _adam_in_place, _adam_with_mathdl],
        "wrong": [
            (_adam_wrong(correct_m=False, correct_v=False), "mistake", "bias correction"),
            (_adam_wrong(correct_v=False), "mistake", "v is not"),
            (_adam_wrong(correct_m=False), "mistake", "m is not"),
            (_adam_wrong(eps_inside=True), "mistake", "outside the square root"),
            (_adam_wrong(sign=-1), "value", _INPUTS_NOTE),
            (lambda theta, grads, lr: _adam_loop(theta, grads, lr)[-1], "shape", None),
        ],
    },
    "warmup_cosine": {
        "right": [
            lambda t, W, T: (t + 1) / W if t < W else 0.5 * (1 + np.cos(np.pi * (t - W) / (T - W))),
            # the solution's own form, without int(): the checker hands over plain ints
            lambda t, W, T: md.schedules.linear_warmup(W, then=md.schedules.cosine(T - W))(t),
            lambda t, W, T: md.schedules.linear_warmup(int(W), then=md.schedules.cosine(
                int(T - W)))(int(t)),
            _warmup_cosine_math,
        ],
        "wrong": [
            (lambda t, W, T: (t + 1) / W if t < W else 0.5 * (1 + np.cos(np.pi * t / T)),
             "mistake", "restart the cosine"),
            (lambda t, W, T: t / W if t < W else 0.5 * (1 + np.cos(np.pi * (t - W) / (T - W))),
             "mistake", "(t + 1)/W"),
            (lambda t, W, T: (t + 1) / W if t < W
             else 0.5 * (1 - np.cos(np.pi * (t - W) / (T - W))), "mistake", "starts at 1"),
            (lambda t, W, T: (t + 1) / W, "value", "(10, 10, 100)"),
            (_unwritten3, "blank", None),
            (lambda t: t, "unreadable", "must take 3 arguments"),
        ],
    },
    "learning_rate_range_test": {
        "right": [_range_test, _range_test_losses_first,
                  lambda: _range_test(grow=lambda k: 10 ** (5 * k / 100))],   # a slip: k/100
        "wrong": [
            (lambda: _range_test(suggest=1.0), "factor", "10 times"),   # the blow-up itself
            (lambda: _range_test("sgd"), "mistake", "plain SGD"),
            (lambda: _range_test(suggest=0.01), "factor", "0.1 times"),
            (lambda: 0.1, "value", "too large"),
        ],
    },
    "gaussian_prior_lambda": {
        "right": ["1/(n*sigma**2)", "n^-1 sigma^-2", "1/(nσ²)", "(n·σ²)⁻¹", "1/n/sigma^2"],
        "wrong": [
            ("1/(2 n sigma^2)", "mistake", "λ/2"),
            ("1/sigma**2", "mistake", "summed loss"),
            ("n/sigma**2", "mistake", "not multiply"),
            ("1/(n sigma)", "value", None),
            ("1/(n*s**2)", "unreadable", "uses s"),
        ],
    },
    "l1_exact_zeros": {
        "right": [7, "7", 7.0, np.int64(7)],
        "wrong": [
            (9, "mistake", "λ = 0.3"),
            (0, "mistake", "subgradient"),
            (12, "mistake", "too weak"),
            (8, "value", None),
            (7.5, "value", None),
        ],
    },
}
