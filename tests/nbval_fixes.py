"""A pytest plugin that makes nbval 0.11.0 compare notebooks the way Jupyter shows them.

Loaded with ``-p tests.nbval_fixes`` (see pyproject.toml). nbval runs each cell on a kernel
and compares the fresh outputs with the stored ones; in three situations its idea of "the
outputs" differs from what Jupyter (and nbclient, which produced the stored notebook) shows:

1. Output captured by an ``ipywidgets.Output`` (``with out: ...``, ``interact``) belongs to the
   widget, not to the cell. nbval sees it on the kernel's channel and counts it as cell output.
   We track every widget whose ``msg_id`` says "capture this cell" and drop what it captures.
2. ``clear_output()`` outside a widget empties the cell's outputs (``wait=True``: just before
   the next output arrives). nbval ignores it and accumulates; we clear.
3. A trailing ``;`` hides a cell's value only when IPython records the cell in its history;
   nbval executes with ``store_history=False``, so the value shows. We execute with history.

Kernels also get the book's environment (``PYTHONHASHSEED=0`` …) from the execution script.
"""

import importlib.util
import os
from pathlib import Path

import pytest

try:
    import nbval
    from nbval.kernel import RunningKernel
    from nbval.plugin import IPyNbCell, IPyNbFile
except ImportError as err:
    raise ImportError(f'{err.name} is missing: the tests need the test extra, '
                      f'pip install -e ".[test]"') from err

ROOT = Path(__file__).resolve().parents[1]
OUTPUT_MESSAGES = {"stream", "display_data", "execute_result", "update_display_data"}


def load_execution_script():
    """The module .ci/execute_notebooks.py (its folder name is not a package name)."""
    spec = importlib.util.spec_from_file_location("execute_notebooks",
                                                  ROOT / ".ci" / "execute_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _execute_with_history(self, cell_input, allow_stdin=None):
    """nbval's execute_cell_input, but recorded in history so that a trailing ``;`` works."""
    return self.kc.execute(cell_input, store_history=True, allow_stdin=allow_stdin,
                           stop_on_error=False)


def _filtered(get_kernel_message):
    """Wrap IPyNbFile.get_kernel_message: hide widget-captured output, honour clear_output."""

    def get_message(self, timeout=None, stream="iopub"):
        while True:
            msg = get_kernel_message(self, timeout=timeout, stream=stream)
            if stream != "iopub" or _keep(self, msg):
                return msg

    return get_message


def _keep(nbfile, msg):
    """False for a message Jupyter would not show as cell output; tracks widget captures."""
    capturing = nbfile.__dict__.setdefault("_capturing", {})  # comm id -> captured msg_id
    kind, content = msg["msg_type"], msg["content"]
    if kind in ("comm_open", "comm_msg"):
        state = content.get("data", {}).get("state", {})
        if "msg_id" in state:  # only Output widgets have this trait
            capturing[content["comm_id"]] = state["msg_id"]
        return True
    parent = msg["parent_header"].get("msg_id")
    if kind in OUTPUT_MESSAGES | {"clear_output"} and parent in capturing.values():
        return False  # it belongs to an Output widget
    cell = getattr(nbfile, "_running_cell", None)
    outputs = getattr(cell, "test_outputs", None)
    if kind == "clear_output":
        if content.get("wait"):
            nbfile._clear_pending = True
        elif outputs is not None:
            outputs.clear()
        return False
    if kind in OUTPUT_MESSAGES and getattr(nbfile, "_clear_pending", False):
        nbfile._clear_pending = False
        if outputs is not None:
            outputs.clear()
    return True


def pytest_configure(config):
    if nbval.__version__ != "0.11.0":
        raise pytest.UsageError(f"tests/nbval_fixes.py patches nbval 0.11.0, but nbval "
                                f"{nbval.__version__} is installed: pip install nbval==0.11.0")
    os.environ.update(load_execution_script().kernel_environment())
    sanitize = config.option.nbval_sanitize_with  # relative to the project, wherever pytest runs
    if sanitize and not os.path.isabs(sanitize):
        config.option.nbval_sanitize_with = str(config.rootpath / sanitize)
    if not getattr(IPyNbFile.get_kernel_message, "_book_fix", False):
        IPyNbFile.get_kernel_message = _filtered(IPyNbFile.get_kernel_message)
        IPyNbFile.get_kernel_message._book_fix = True
        RunningKernel.execute_cell_input = _execute_with_history


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Let the message filter know which cell is running (to clear its outputs)."""
    if isinstance(item, IPyNbCell):
        item.parent._running_cell, item.parent._clear_pending = item, False
    yield
