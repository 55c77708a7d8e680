"""Benchmark: backward time against graph size (it must grow linearly), and `import mathdl`.

Run: python tests/benchmarks/bench_core.py
Sizes are measured interleaved (round-robin, several rounds) and the median is reported, so a
slow moment of the machine affects every size alike. (Before backprop paused Python's cycle
collector, the fan-out ladder took 1.5× longer per node at 100,000 nodes than at 1,000: the
collector re-scanned the whole live graph again and again; see `mathdl.tensor.gc_paused`.)
"""

import statistics
import subprocess
import sys
import time

import mathdl as md


def chain(n):
    x = md.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(n // 2):
        y = (y * 1.000001).tanh()
    return x, y


def diamond_ladder(n):
    """Fan-out at every step: y_{k+1} = 0.5 y_k + 0.25 y_k, so each node has two consumers."""
    x = md.tensor(0.1, requires_grad=True)
    y = x
    for _ in range(n // 2):
        y = y * 0.5 + y * 0.25
    return x, y


def time_backward(build, n):
    x, y = build(n)
    start = time.perf_counter()
    y.backward()
    return time.perf_counter() - start


def main():
    sizes = [1_000, 10_000, 100_000]
    results = {(b.__name__, n): [] for b in (chain, diamond_ladder) for n in sizes}
    for _ in range(5):
        for build in (chain, diamond_ladder):
            for n in sizes:
                results[build.__name__, n].append(time_backward(build, n))
    print(f"{'graph':>15} {'nodes':>8} {'backward (ms)':>14} {'µs per node':>12}")
    for (name, n), times in results.items():
        t = statistics.median(times)
        print(f"{name:>15} {n:>8} {t * 1e3:>14.2f} {t / n * 1e6:>12.2f}")
    for name in ("chain", "diamond_ladder"):
        per_small = statistics.median(results[name, sizes[0]]) / sizes[0]
        per_big = statistics.median(results[name, sizes[-1]]) / sizes[-1]
        print(f"{name}: time per node at {sizes[-1]:,} / at {sizes[0]:,} nodes = "
              f"{per_big / per_small:.2f} (1.0 means perfectly linear)")

    code = ("import sys, time; t = time.perf_counter(); import mathdl; "
            "print(time.perf_counter() - t, [m for m in ('matplotlib', 'ipywidgets', 'sympy', "
            "'scipy') if m in sys.modules])")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            .stdout.split(maxsplit=1) for _ in range(5)]
    print(f"import mathdl: {statistics.median(float(r[0]) for r in runs) * 1e3:.1f} ms median, "
          f"heavy modules imported: {runs[0][1].strip()}")


if __name__ == "__main__":
    main()
