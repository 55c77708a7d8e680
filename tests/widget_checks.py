"""Checks the widget tests share: a model that imports without matplotlib, and controls that,
moved on another thread (as JupyterLab's kernel subshell moves them), run on the main one."""

import subprocess
import sys
import threading
import types


def model_output_without_matplotlib(code):
    """Run ``code`` in a fresh Python, then assert neither matplotlib nor ipywidgets got imported;
    return what it printed (stripped)."""
    check = ("\nimport sys\n"
             "assert 'matplotlib' not in sys.modules and 'ipywidgets' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code + check], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def queued_from_another_thread(monkeypatch, action):
    """Run ``action`` on a worker thread inside a kernel whose event loop only queues callbacks;
    return the queued (function, args) pairs, which have not run yet."""
    import IPython

    queued = []
    loop = types.SimpleNamespace(add_callback=lambda f, *args: queued.append((f, args)))
    monkeypatch.setattr(IPython, "get_ipython",
                        lambda: types.SimpleNamespace(kernel=types.SimpleNamespace(io_loop=loop)))
    worker = threading.Thread(target=action)
    worker.start()
    worker.join()
    return queued
