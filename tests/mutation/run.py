"""A small mutation run: plant typical bugs in mathdl one at a time; do the tests notice?

    python tests/mutation/run.py                 # every mutant in mutants.py (a few minutes)
    python tests/mutation/run.py -k optim -k Adam   # only mutants whose file or bug mentions a word
    python tests/mutation/run.py --list          # the mutants and the test files each one runs
    python tests/mutation/run.py --jobs 2        # two mutants at a time (each in its own copy)

Each mutant (see `mutants.py`) is an exact text replacement in one file. The run copies the
repository (the files git knows about, as they are in the working tree, uncommitted changes
included) into a temporary directory, checks that every mutant's original text occurs exactly
once, runs the relevant test files on the unmutated copy (they must pass), and then, for each
mutant: plants it in the copy, runs those test files with `pytest -x -q` and a time limit, and puts
the file back. A mutant is *killed* when a test fails (or the run errors or times out) and
*survives* when every test passes. The score is killed / total; the survivors are printed with
their bug, so you can write the test that catches them. The working tree is never touched.

Not part of the default test run (pytest does not collect this folder; see pyproject's
`norecursedirs`). CONTRIBUTING.md says when to run it. Exit status: 0 if the score is at least
--min-score (95 by default), 1 if not, 2 if the list or the unmutated tests are broken.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutants import MUTANTS  # noqa: E402

# The test files that matter for each file (fast and targeted first: -x stops at the first failure).
CORE = ["tests/test_bug_classes.py", "tests/test_core.py"]
TESTS = {
    "mathdl/ops.py": CORE + ["tests/test_nn.py", "tests/test_torch_parity.py"],
    "mathdl/tensor.py": CORE + ["tests/test_graph.py"],
    "mathdl/autodiff.py": CORE + ["tests/test_landscapes.py"],
    "mathdl/gradcheck.py": CORE,
    "mathdl/nn.py": ["tests/test_bug_classes.py", "tests/test_nn.py", "tests/test_torch_parity.py"],
    "mathdl/optim.py": ["tests/test_bug_classes.py", "tests/test_optim.py",
                        "tests/test_torch_parity.py"],
    "mathdl/exercises/": ["tests/test_exercises.py", "tests/test_formula.py",
                          "tests/test_exercise_cases.py"],
}


def tests_for(path):
    for prefix, files in TESTS.items():
        if path == prefix or prefix.endswith("/") and path.startswith(prefix):
            return files
    raise SystemExit(f"mutants.py: no test files are listed for {path} in run.py's TESTS.")


def copy_repository(destination):
    """The files git tracks or would track (not ignored), as they are now, into destination."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def environment(copy):
    """The copy's mathdl first on the path (also for subprocesses), no stale bytecode."""
    return dict(os.environ, PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1",
                PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONHASHSEED="0")


def imports_its_own_mathdl(copy):
    found = subprocess.run([sys.executable, "-c", "import mathdl; print(mathdl.__file__)"],
                           cwd=copy, env=environment(copy), capture_output=True, text=True)
    return Path(found.stdout.strip()).resolve().is_relative_to(copy.resolve())


def pytest(copy, test_file, timeout):
    """(outcome, seconds, last line) of one test file: "passed", "failed", "error", "timeout"."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               "-o", "addopts=", test_file]
    start = time.monotonic()
    try:
        done = subprocess.run(command, cwd=copy, env=environment(copy), capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - start, f"stopped after {timeout:.0f} s"
    seconds = time.monotonic() - start
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    last = lines[-1] if lines else done.stderr.strip()[-200:]
    outcome = {0: "passed", 1: "failed"}.get(done.returncode, "error")
    return outcome, seconds, last


def run_tests(copy, test_files, timeouts):
    """Run the files one by one (a cheap file that fails spares the costly ones), stopping at the
    first that does not pass: (outcome, seconds, the file that decided, its last line)."""
    total = 0.0
    for test_file in test_files:
        outcome, seconds, last = pytest(copy, test_file, timeouts[test_file])
        total += seconds
        if outcome != "passed":
            return outcome, total, test_file, last
    return "passed", total, None, last


def check_list(mutants):
    """Every mutant's original text must occur exactly once in its file, and change something."""
    problems = []
    for m in mutants:
        path = ROOT / m.path
        count = path.read_text().count(m.original) if path.is_file() else 0
        if count != 1 or m.original == m.mutated:
            problems.append(f"  {m.path}: {m.bug}: the original text occurs {count} times "
                            f"(it must occur exactly once)")
    if problems:
        print("mutants.py no longer fits the code; update these snippets (or remove the mutant "
              "if its code is gone):\n" + "\n".join(problems))
        raise SystemExit(2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", action="append", default=[], metavar="WORD",
                        help="only mutants whose file or bug contains WORD (repeatable: any)")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at a time (default 1)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per test file and mutant (default: 3 × its unmutated "
                             "run + 30)")
    parser.add_argument("--min-score", type=float, default=95.0)
    args = parser.parse_args(argv)

    words = [w.lower() for w in args.k]
    chosen = [m for m in MUTANTS if not words or any(w in (m.path + " " + m.bug).lower()
                                                      for w in words)]
    if not chosen:
        raise SystemExit("No mutant matches " + ", ".join(args.k))
    if args.list:
        for i, m in enumerate(chosen, 1):
            print(f"{i:3}. {m.path}: {m.bug}\n       runs {' '.join(tests_for(m.path))}")
        return 0
    check_list(chosen)

    with tempfile.TemporaryDirectory(prefix="mathdl-mutation-") as tmp:
        copies = [Path(tmp) / f"copy{j}" for j in range(max(1, args.jobs))]
        for copy in copies:
            copy_repository(copy)
            if not imports_its_own_mathdl(copy):
                print(f"In {copy}, `import mathdl` does not find the copy's own package.")
                return 2
        test_files = sorted({f for m in chosen for f in tests_for(m.path)})
        print(f"{len(chosen)} mutants; the unmutated tests first, in {copies[0].parent}")
        timeouts = {}
        for test_file in test_files:
            outcome, seconds, last = pytest(copies[0], test_file, timeout=1800)
            print(f"  unmutated {test_file}: {last} ({seconds:.0f} s)")
            if outcome != "passed":
                print("The tests fail without any mutant; fix that first.")
                return 2
            timeouts[test_file] = args.timeout or 3 * seconds + 30

        free = list(copies)

        def run_one(numbered):
            i, m = numbered
            copy = free.pop()
            try:
                target = copy / m.path
                original = target.read_text()
                target.write_text(original.replace(m.original, m.mutated, 1))
                try:
                    outcome, seconds, by, last = run_tests(copy, tests_for(m.path), timeouts)
                finally:
                    target.write_text(original)
            finally:
                free.append(copy)
            verdict = "SURVIVED" if outcome == "passed" else "killed" + (
                "" if outcome == "failed" else f" ({outcome})")
            by = f" (by {Path(by).name})" if by else ""
            print(f"{i:3}. {verdict:18} {seconds:5.1f} s  {m.path}: {m.bug}{by}", flush=True)
            return m, outcome, last

        start = time.monotonic()
        with ThreadPoolExecutor(len(copies)) as pool:
            results = list(pool.map(run_one, enumerate(chosen, 1)))

    survivors = [m for m, outcome, _ in results if outcome == "passed"]
    killed = len(results) - len(survivors)
    score = 100 * killed / len(results)
    print(f"\nScore: {killed} of {len(results)} mutants killed = {score:.1f} % "
          f"({time.monotonic() - start:.0f} s)")
    if survivors:
        print("Survivors (no test noticed these bugs):")
        for m in survivors:
            print(f"  {m.path}: {m.bug}")
    return 0 if score >= args.min_score else 1


if __name__ == "__main__":
    sys.exit(main())
