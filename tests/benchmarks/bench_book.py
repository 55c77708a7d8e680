"""Benchmark: how long each notebook, and the whole book, takes on a fresh kernel.

    python tests/benchmarks/bench_book.py                 # every notebook, one round
    python tests/benchmarks/bench_book.py --rounds 3      # interleaved rounds: A B C A B C …
    python tests/benchmarks/bench_book.py notebooks/02_calculus.ipynb

Each run starts a new kernel and executes the notebook exactly as .ci/execute_notebooks.py
does (nothing is written). The time includes the kernel start, as a reader's "Restart and Run
All" would. Budgets (DESIGN.md): 15 s per notebook, 60 s for the book, on 2 cores. The table
prints each notebook's best time over the rounds and its ratio to the budget; a ratio above
1.00 is over budget. The exit status is 1 if anything is over budget.
"""

import argparse
import importlib.util
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_BUDGET, BOOK_BUDGET = 15.0, 60.0


def load_script():
    spec = importlib.util.spec_from_file_location("execute_notebooks",
                                                  ROOT / ".ci" / "execute_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description="Time the book's notebooks on fresh kernels.")
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    paths = args.paths or sorted((ROOT / "notebooks").glob("*.ipynb"))
    script = load_script()
    times = {p: [] for p in paths}
    for _ in range(args.rounds):
        for path in paths:  # interleaved: every notebook once per round
            start = time.perf_counter()
            script.execute(path)
            times[path].append(time.perf_counter() - start)

    print(f"{os.cpu_count()} cores, {args.rounds} round(s); best and median seconds per notebook")
    print(f"{'notebook':32} {'best':>7} {'median':>7} {'/ 15 s':>7}")
    over = False
    for path, ts in times.items():
        best = min(ts)
        over |= best > NOTEBOOK_BUDGET
        print(f"{path.name:32} {best:7.2f} {statistics.median(ts):7.2f} "
              f"{best / NOTEBOOK_BUDGET:7.2f}")
    book = sum(min(ts) for ts in times.values())
    over |= book > BOOK_BUDGET
    print(f"{'whole book':32} {book:7.2f} {'':7} {book / BOOK_BUDGET:7.2f}  (budget 60 s)")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
