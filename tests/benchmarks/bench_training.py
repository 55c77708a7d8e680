"""Benchmark: one training step (forward, backward, SGD update) of an MLP, float64, one thread.

    python tests/benchmarks/bench_training.py [--rounds 30] [--steps 100]

Three implementations of the same step on the same data, timed in interleaved rounds (so a slow
moment of the machine hits all of them alike); reported: median times, and the median over rounds
of each round's time ratio, with the quartiles of those ratios in brackets (on a shared virtual
machine the middle half of the rounds can span ±5 %, so a ratio is only known that well):
  mathdl  — md.nn.MLP, md.nn.cross_entropy, backward(), md.optim.SGD
  numpy   — the forward and backward written out by hand: the floor for any numpy-based engine
  torch   — PyTorch CPU with autograd and torch.optim.SGD (skipped if torch is not installed)
Each block is 100 steps and starts with a few untimed ones: switching libraries evicts the
other's code and data from the CPU caches (PyTorch most of all), a cost that a real training loop,
which runs one library for thousands of steps, never pays. (With blocks of 20 steps that switching
still added about 8 % to mathdl's ratio at the toy size.)
Targets: mathdl within 1.3× of numpy at 64-128-10 (batch 128) and 2.5× at 2-16-2 (batch 32),
and faster than PyTorch at both. Every BLAS library and PyTorch are pinned to one thread.
"""

import argparse
import os
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy loads its BLAS

import numpy as np  # noqa: E402

import mathdl as md  # noqa: E402

try:
    import torch
    torch.set_num_threads(1)
except ImportError:
    torch = None

LR = 0.01
WARMUP = 5   # untimed steps at the start of each block (see bench)
CONFIGS = [("2-16-2", [2, 16, 2], 32, "tanh"), ("64-128-10", [64, 128, 10], 128, "relu")]
TARGETS = {"2-16-2": 2.5, "64-128-10": 1.3}   # mathdl/numpy, from the issue; and < 1 vs torch


def make_mathdl(sizes, activation, X, y):
    net = md.nn.MLP(sizes, activation=activation, seed=0)
    opt = md.optim.SGD(net.parameters(), lr=LR)
    Xt = md.tensor(X)

    def step():
        loss = md.nn.cross_entropy(net(Xt), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step, [p.data for p in net.parameters()]


def make_numpy(sizes, activation, X, y, params):
    """Same network, same initial weights; the derivatives are written out by hand."""
    W1, b1, W2, b2 = (p.copy() for p in params)
    one_hot = np.eye(sizes[-1])[y]
    n = len(X)

    def step():
        Z1 = X @ W1 + b1
        H = np.tanh(Z1) if activation == "tanh" else np.maximum(Z1, 0)
        Z2 = H @ W2 + b2
        shifted = Z2 - Z2.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -(one_hot * log_p).sum() / n
        dZ2 = (np.exp(log_p) - one_hot) / n            # softmax minus one-hot
        dH = dZ2 @ W2.T
        dZ1 = dH * (1 - H * H) if activation == "tanh" else dH * (Z1 > 0)
        for p, g in ((W2, H.T @ dZ2), (b2, dZ2.sum(0)), (W1, X.T @ dZ1), (b1, dZ1.sum(0))):
            p -= LR * g
        return loss
    return step


def make_torch(sizes, activation, X, y, params):
    W1, b1, W2, b2 = (torch.tensor(p.copy(), requires_grad=True) for p in params)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    act = torch.tanh if activation == "tanh" else torch.relu
    opt = torch.optim.SGD([W1, b1, W2, b2], lr=LR)

    def step():
        loss = torch.nn.functional.cross_entropy(act(Xt @ W1 + b1) @ W2 + b2, yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def bench(sizes, batch, activation, rounds, steps_per_round):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(batch, sizes[0]))
    y = rng.integers(0, sizes[-1], size=batch)
    mathdl_step, params = make_mathdl(sizes, activation, X, y)
    steps = {"numpy": make_numpy(sizes, activation, X, y, params)}
    if torch is not None:
        steps["torch"] = make_torch(sizes, activation, X, y, params)
    steps["mathdl"] = mathdl_step
    # the three start from the same weights: their first losses must agree
    first = {name: step() for name, step in steps.items()}
    assert np.allclose(list(first.values()), first["numpy"]), first
    times = {name: [] for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            for _ in range(WARMUP):   # untimed: refill the caches the previous library evicted
                step()
            start = time.perf_counter()
            for _ in range(steps_per_round):
                step()
            times[name].append((time.perf_counter() - start) / steps_per_round)
    # each round timed all three back to back, so per-round ratios cancel slow spells of the machine
    median = {name: float(np.median(t)) for name, t in times.items()}
    ratios = {name: np.percentile(np.array(times["mathdl"]) / np.array(t), [50, 25, 75])
              for name, t in times.items()}
    return median, ratios


def _spread(q):
    """'2.51× [2.40–2.63]': the median ratio and its quartiles over the rounds."""
    return f"{q[0]:.2f}× [{q[1]:.2f}–{q[2]:.2f}]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--steps", type=int, default=100, help="steps per timed block")
    args = parser.parse_args()
    print(f"numpy {np.__version__}, torch {torch.__version__ if torch else 'not installed'}, "
          f"1 thread, float64, median of {args.rounds} interleaved rounds of {args.steps} steps")
    for label, sizes, batch, activation in CONFIGS:
        t, ratio = bench(sizes, batch, activation, args.rounds, args.steps)
        line = (f"{label:>9} batch {batch:3} ({activation}): mathdl {t['mathdl'] * 1e6:6.1f} µs, "
                f"numpy {t['numpy'] * 1e6:6.1f} µs, mathdl/numpy {_spread(ratio['numpy'])} "
                f"({'meets' if ratio['numpy'][0] <= TARGETS[label] else 'MISSES'} "
                f"≤ {TARGETS[label]}×)")
        if "torch" in t:
            line += (f"; torch {t['torch'] * 1e6:6.1f} µs, mathdl/torch {_spread(ratio['torch'])} "
                     f"({'faster' if ratio['torch'][0] < 1 else 'NOT faster'})")
        print(line)


if __name__ == "__main__":
    main()
