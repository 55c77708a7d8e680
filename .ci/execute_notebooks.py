"""Execute the book's notebooks on a fresh kernel and save them normalised.

This is the only way committed notebook outputs are produced:

    python .ci/execute_notebooks.py                      # every notebook in notebooks/
    python .ci/execute_notebooks.py notebooks/02_calculus.ipynb [more.ipynb ...]
    python .ci/execute_notebooks.py --check              # only verify they are normalised

Each notebook runs top to bottom on a new kernel from the current environment, with
PYTHONHASHSEED=0 and inline PNG figures, from the notebooks/ folder (so `import mathdl`
finds the package through the notebooks/mathdl symlink). Then `normalise` removes what
changes from run to run (timings, interpreter version, random widget ids), so running the
script twice yields identical files. A cell that fails stops the script with the cell and
the error, unless the cell carries the tag `raises-exception` (for errors the book shows).
"""

import argparse
import copy
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
VOLATILE_CELL_METADATA = {"execution", "ExecuteTime", "collapsed", "scrolled", "trusted"}
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def kernel_environment():
    """Variables every book kernel runs with (the browser test and nbval use the same)."""
    return {"PYTHONHASHSEED": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def _sanitize(text):
    """Apply the sanitize patterns nbval uses (memory addresses …) to one output text."""
    rules = re.findall(r"^regex: (.*)\n^replace: (.*)$", SANITIZE.read_text(), flags=re.M)
    for regex, replacement in rules:
        text = re.sub(regex, replacement, text)
    return text


def _coalesce_streams(outputs):
    """Merge consecutive stream outputs of the same name (stdout, stderr) into one."""
    merged = []
    for out in outputs:
        last = merged[-1] if merged else {}
        if out.get("output_type") == last.get("output_type") == "stream" \
                and last["name"] == out["name"]:
            last["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def _rename_widgets(nb, stem):
    """Replace random widget model ids by ids derived from the notebook name and their order.

    The order: widgets shown in cells, top to bottom, then the models they refer to, breadth
    first. Models no shown widget reaches are dropped: nothing can display them, and two
    identical ones would have no order to keep from run to run.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    if not state:
        return nb
    ref = re.compile("IPY_MODEL_([0-9a-f]{32})")
    queue = [out["data"][WIDGET_VIEW]["model_id"] for cell in nb.cells
             for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {})]
    order = []
    while queue:
        mid = queue.pop(0)
        if mid in state and mid not in order:
            order.append(mid)
            queue += ref.findall(json.dumps(state[mid], sort_keys=True))
    for unreachable in set(state) - set(order):   # no view can ever show it
        del state[unreachable]
    mapping = {old: hashlib.sha256(f"{stem}/{n}".encode()).hexdigest()[:32]
               for n, old in enumerate(order)}
    pattern = re.compile("|".join(map(re.escape, mapping)))
    text = pattern.sub(lambda m: mapping[m.group(0)], json.dumps(nb))
    return nbformat.from_dict(json.loads(text))


def normalise(nb, stem):
    """A copy of ``nb`` with run-to-run noise removed; normalise(normalise(nb)) == normalise(nb)."""
    nb = copy.deepcopy(nb)
    language = {k: v for k, v in nb.metadata.get("language_info", {"name": "python"}).items()
                if k != "version"}
    keep = {"kernelspec": KERNELSPEC, "language_info": language}
    if "widgets" in nb.metadata:
        keep["widgets"] = nb.metadata["widgets"]
    nb.metadata = nbformat.from_dict(keep)
    count, seen = 0, set()
    for index, cell in enumerate(nb.cells):
        for key in VOLATILE_CELL_METADATA & set(cell.metadata):
            del cell.metadata[key]
        if not cell.get("id") or cell["id"] in seen:
            cell["id"] = f"cell-{index}"
        seen.add(cell["id"])
        if cell.cell_type != "code":
            continue
        cell.outputs = _coalesce_streams(cell.outputs)
        for out in cell.outputs:
            if out.get("output_type") == "error":  # tracebacks name this machine's paths
                out["traceback"] = [t.replace(f"{ROOT}{os.sep}", "") for t in out["traceback"]]
            if "text" in out:
                out["text"] = _sanitize(out["text"])
            for mime, value in out.get("data", {}).items():
                if mime.startswith("text/") and isinstance(value, str):
                    out["data"][mime] = _sanitize(value)
        if cell.execution_count is not None:
            count += 1
            cell.execution_count = count
            for out in cell.outputs:
                if out.get("output_type") == "execute_result":
                    out["execution_count"] = count
    return _rename_widgets(nb, stem)


def dumps(nb):
    """The exact text written for a notebook."""
    return nbformat.writes(nb) + "\n"


def is_normalised(path):
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    return dumps(normalise(nbformat.reads(text, as_version=4), path.stem)) == text


def execute(path, timeout=300):
    """Run one notebook on a fresh kernel; return (normalised notebook, seconds)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    os.environ.update(kernel_environment())
    # kernel_dirs=[]: the kernel of this very Python, not a "python3" installed elsewhere
    km = KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    client = NotebookClient(nb, km=km, timeout=timeout, record_timing=False,
                            store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        if km.has_kernel:  # nbclient leaves a kernel it was given running
            km.shutdown_kernel(now=True)
    return normalise(nb, path.stem), time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path,
                        help="notebooks to execute (default: all of notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true",
                        help="execute nothing; fail if a notebook is not normalised")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file() or p.suffix != ".ipynb"]
    if missing:
        parser.error(f"not a notebook file: {', '.join(missing)}")
    if args.check:
        bad = [str(p) for p in paths if not is_normalised(p)]
        for p in bad:
            print(f"not normalised: {p} (run python .ci/execute_notebooks.py {p})")
        return 1 if bad else 0
    total = 0.0
    from nbclient.exceptions import CellExecutionError

    for path in paths:
        try:
            nb, seconds = execute(path)
        except CellExecutionError as err:
            print(f"FAILED: {path} (nothing written)\n{err}", file=sys.stderr)
            return 1
        path.write_text(dumps(nb), encoding="utf-8")
        total += seconds
        print(f"{seconds:6.1f} s  {path}", flush=True)
    print(f"{total:6.1f} s  total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
