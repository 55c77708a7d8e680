"""Real-browser test: every notebook, Run All in JupyterLab, in Debian's Chromium.

JupyterLab serves copies of the notebooks *with their outputs removed* (in a temporary folder,
so nothing the browser saves can touch the committed files) on 127.0.0.1 with a token. The
Python ``playwright`` package drives the system Chromium (``/usr/bin/chromium``; no browser
download). For each notebook: open it, wait for an idle ``python3`` kernel, use Run ▸ Run All
Cells, and wait until the run is over. Because the copy started empty, everything checked
afterwards was produced by this run:

- the code cells carry execution counts 1, 2, …, N (a fresh kernel ran every cell once, in
  order), and every cell with output in the committed notebook has output again;
- no cell raised (beyond cells tagged ``raises-exception``) and no widget failed to render;
- where there are widgets, pressing a button changes the figure.

The server knows one kernel, ``python3`` from this very Python (as .ci/execute_notebooks.py
uses); a "Select Kernel" dialog is answered with it, and any other dialog (a kernel that died,
say) fails the test at once, naming the notebook and the first cell left unfinished. Waits are
on conditions read from the page (JupyterLab runs with ``expose_app_in_browser``), not sleeps.
Two notebooks built to fail show that the checks do fire: one raises, loses an output, shows a
broken widget and stops early (``test_the_checks_can_fail``); one kills its kernel
(``test_a_dying_kernel_is_reported``).

Without Chromium the test is skipped with the reason; in CI (``CI=true``) a missing Chromium is
an error instead.
"""

import contextlib
import copy
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.nbval_fixes import load_execution_script

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(os.environ.get("TMPDIR", "/tmp"))
BROKEN_WIDGET_TEXTS = ["Error displaying widget", "Error rendering output item"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNEL_TIMEOUT, START_TIMEOUT, RUN_TIMEOUT = 60, 15, 150  # seconds
BROKEN, DYING = "broken_on_purpose.ipynb", "dying_on_purpose.ipynb"


def _missing(reason):
    if os.environ.get("CI", "").lower() in ("1", "true"):
        pytest.fail(f"{reason}; CI must run the browser test (.ci/run installs chromium)")
    pytest.skip(f"{reason}: the browser test needs Debian's chromium (apt-get install chromium)")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def without_outputs(nb):
    """A copy of ``nb`` as if never run: no outputs, no execution counts, no widget state."""
    nb = copy.deepcopy(nb)
    for cell in code_cells(nb):
        cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    return nb


def broken_notebook():
    """A notebook with four faults, after a cell that checks the kernel runs this Python: a
    widget that cannot be displayed, a cell whose (committed) output does not come back, a cell
    that raises and a cell never reached. No kernelspec, so JupyterLab asks for a kernel."""
    new = nbformat.v4.new_code_cell
    missing_model = {WIDGET_VIEW: {"model_id": "0" * 32, "version_major": 2, "version_minor": 0}}
    printed = nbformat.v4.new_output("stream", name="stdout", text="printed\n")
    return nbformat.v4.new_notebook(cells=[
        new(f"import sys\nassert sys.executable == {sys.executable!r}, sys.executable"),
        new(f"display({missing_model}, raw=True)"),
        new("silent = 'no print'", outputs=[printed]),
        new("1 / 0"),
        new("print('printed')", outputs=[printed])])


def dying_notebook():
    """A notebook whose kernel dies in its second cell (after a second, so that the first
    cell's reply has surely reached the page)."""
    new = nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(cells=[new("x = 1"),
                                         new("import os, time\ntime.sleep(1)\nos._exit(1)"),
                                         new("print(x)")])
    nb.metadata.kernelspec = load_execution_script().KERNELSPEC
    return nb


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on output-free copies of notebooks/; yields (base URL, token)."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} not found")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    home = tmp_path_factory.mktemp("lab")
    books = home / "notebooks"
    books.mkdir()
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        kernel = nb.metadata.get("kernelspec", {}).get("name")
        assert kernel == "python3", f"{path.name}: kernelspec {kernel!r}, the book uses python3"
        nbformat.write(without_outputs(nb), books / path.name)
    nbformat.write(without_outputs(broken_notebook()), books / BROKEN)
    nbformat.write(dying_notebook(), books / DYING)
    (books / "mathdl").symlink_to(ROOT / "mathdl")
    # no news pop-ups; render every cell (not only those scrolled into view)
    for plugin, values in [("apputils-extension/notification", {"fetchNews": "false",
                                                                 "checkForUpdates": False}),
                           ("notebook-extension/tracker", {"windowingMode": "none"})]:
        file = home / "settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(values))
    # no kernelspec folders: only the native python3 kernel, i.e. this very Python
    (home / "config").mkdir()
    (home / "config" / "jupyter_server_config.json").write_text(
        json.dumps({"KernelSpecManager": {"kernel_dirs": []}}))
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, **load_execution_script().kernel_environment(),
           "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "run")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={books}",
         f"--LabApp.user_settings_dir={home / 'settings'}",
         f"--LabApp.workspaces_dir={home / 'workspaces'}", "--LabApp.expose_app_in_browser=True"]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        env=env, stdout=subprocess.DEVNULL, stderr=open(home / "server.log", "w"))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                specs = _api(base, token, "kernelspecs")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = (home / "server.log").read_text()[-2000:]
                    pytest.fail(f"JupyterLab did not start:\n{log}")
                time.sleep(0.5)
        assert list(specs["kernelspecs"]) == ["python3"], f"kernels offered: {specs}"
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _api(base, token, path, method="GET"):
    request = urllib.request.Request(f"{base}/api/{path}", method=method,
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        body = response.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _load_lab(page, base, token):
    page.goto(f"{base}/lab?reset&token={token}")
    page.wait_for_function("() => window.jupyterapp", timeout=60_000)
    page.evaluate("() => window.jupyterapp.restored")


@pytest.fixture(scope="module")
def page(lab, browser):
    """One JupyterLab page for all notebooks (loading Lab costs seconds); each test closes its
    notebook and shuts its kernel down."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    _load_lab(page, *lab)
    yield page
    page.close()


@contextlib.contextmanager
def notebook_open(page, lab, name):
    """Open ``name``; on the way out close it, shut its kernel down, keep a screenshot of a failure
    and start the next test on a freshly loaded Lab."""
    page.evaluate("path => { window.jupyterapp.commands.execute('docmanager:open', {path}); }",
                  name)
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):  # report the failure, not a problem with the page
            shot = SHOTS / f"{Path(name).stem}.png"
            page.screenshot(path=str(shot))
            print(f"screenshot: {shot}")  # look here when it fails
            _load_lab(page, *lab)
        raise
    finally:
        with contextlib.suppress(Exception):
            page.evaluate("""path => [...window.jupyterapp.shell.widgets('main')]
                .filter(w => w.context?.path === path).forEach(w => w.dispose())""", name)
        for session in _api(*lab, "sessions"):
            _api(*lab, f"sessions/{session['id']}", method="DELETE")


# What the page shows of one notebook: kernel, open dialogs, and per code cell its execution
# count, whether it is queued or running, its outputs, output nodes not rendered yet (a widget
# view says "Loading widget..." until its model arrives) and texts of widgets that failed.
STATE = """([path, brokenTexts]) => {
  const app = window.jupyterapp;
  const dialogs = [...document.querySelectorAll('.jp-Dialog')].map(d => ({
    title: (d.querySelector('.jp-Dialog-header')?.innerText ?? '').trim(),
    text: d.innerText.trim()}));
  const panel = [...app.shell.widgets('main')].find(w => w.context?.path === path);
  if (!panel) return {open: false, dialogs, cells: []};
  const kernel = panel.sessionContext.session?.kernel;
  const codeCells = () => panel.content.widgets.filter(c => c.model.type === 'code');
  if (!panel.lostKernel) {  // the first unfinished cell when the kernel died (Lab forgets it)
    panel.lostKernel = {};
    panel.sessionContext.statusChanged.connect((_, status) => {
      if (['restarting', 'autorestarting', 'dead'].includes(status) && !panel.lostKernel.status)
        panel.lostKernel = {status,
                            cell: codeCells().findIndex(c => c.model.executionState === 'running')};
    });
  }
  const cells = codeCells().map(c => ({
    count: c.model.executionCount ?? null,
    running: c.model.executionState === 'running',
    outputs: c.model.outputs.length,
    errors: Array.from({length: c.model.outputs.length}, (_, i) => c.model.outputs.get(i))
      .filter(o => o.type === 'error').map(o => `${o.toJSON().ename}: ${o.toJSON().evalue}`),
    unrendered: [...c.outputArea.node.querySelectorAll(
        ':scope > .jp-OutputArea-child > .jp-OutputArea-output')]
      .filter(n => !n.childElementCount && ['', 'Loading widget...'].includes(n.innerText.trim()))
      .length,
    broken: brokenTexts.filter(t => c.node.textContent.includes(t)),
  }));
  return {open: true, current: app.shell.currentWidget === panel, dialogs, cells,
          lost: panel.lostKernel,
          kernel: kernel ? {name: kernel.name, status: kernel.status} : null};
}"""


def where(state, cells):
    """Where the run is, for a failure message: kernel, cells done, the running cell."""
    done = sum(c["count"] is not None for c in state["cells"])
    text = f"kernel {state.get('kernel')}, {done} of {len(cells)} code cells executed"
    running = [n for n, c in enumerate(state["cells"]) if c["running"]]
    if running:
        text += f", running {describe(running[0], cells)}"
    lost = state.get("lost") or {}
    if lost.get("status"):
        cell = describe(lost["cell"], cells) if lost["cell"] >= 0 else "no cell"
        text += f"; the kernel went {lost['status']} before finishing {cell}"
    return text


def describe(index, cells):
    line = cells[index].source.strip().split("\n")[0][:40]
    return f"code cell {index + 1} `{line}`"


def choose_python3(page, name):
    """Answer JupyterLab's "Select Kernel" dialog with python3 (the only kernel served)."""
    dialog = page.locator(".jp-Dialog")
    values = dialog.locator("select option").evaluate_all("os => os.map(o => o.value)")
    python3 = [v for v in values if v.startswith("{") and json.loads(v).get("name") == "python3"]
    if not python3:
        pytest.fail(f"{name}: the Select Kernel dialog offers no python3 kernel: {values}")
    dialog.locator("select").select_option(python3[0])
    dialog.locator(".jp-mod-accept").click()
    dialog.wait_for(state="detached")


def wait_until(page, name, cells, ready, failure, timeout):
    """Poll the notebook's state until ``ready(state)``; fail with ``failure`` at the timeout.

    A "Select Kernel" dialog is answered with python3; any other dialog fails at once.
    Returns (state, whether a kernel had to be chosen).
    """
    deadline, chose = time.monotonic() + timeout, False
    while True:
        state = page.evaluate(STATE, [name, BROKEN_WIDGET_TEXTS])
        for dialog in state["dialogs"][:1]:
            kernel_choice = dialog["title"] == "Select Kernel" or \
                dialog["text"].startswith("Select kernel for")   # header not yet drawn
            if not kernel_choice:
                pytest.fail(f"{name}: dialog {dialog['text']!r}; {where(state, cells)}")
            choose_python3(page, name)
            chose = True
        if not state["dialogs"] and ready(state):
            return state, chose
        if time.monotonic() > deadline:
            pytest.fail(f"{name}: {failure} within {timeout} s; {where(state, cells)}")
        page.wait_for_timeout(200)


def run_all(page, name, cells):
    """Run ▸ Run All Cells in the open notebook ``name`` and wait until the run is over.

    Returns the final state and whether the kernel had to be chosen in a dialog.
    """
    def kernel_idle(state):
        return (state["open"] and state["current"] and len(state["cells"]) == len(cells)
                and state["kernel"] is not None and state["kernel"]["status"] == "idle")

    state, chose = wait_until(page, name, cells, kernel_idle, "no idle kernel", KERNEL_TIMEOUT)
    assert state["kernel"]["name"] == "python3", f"{name}: kernel {state['kernel']}"
    assert not any(c["count"] or c["outputs"] for c in state["cells"]), \
        f"{name}: opened with outputs already, so this run could not be told from an old one"
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    wait_until(page, name, cells,
               lambda s: any(c["running"] or c["count"] is not None for c in s["cells"]),
               "Run All did not start a single cell", START_TIMEOUT)

    def finished(state):  # every cell ran, or a cell raised and Run All stopped there
        seen = state["cells"]
        return (state["kernel"] is not None and state["kernel"]["status"] == "idle"
                and not any(c["running"] or c["unrendered"] for c in seen)
                and (all(c["count"] is not None for c, s in zip(seen, cells) if s.source.strip())
                     or any(c["errors"] for c in seen)))

    state, _ = wait_until(page, name, cells, finished, "Run All did not finish", RUN_TIMEOUT)
    return state, chose


def problems(state, cells):
    """What the run got wrong, one line each; [] after a fresh, complete, error-free run.

    ``cells`` are the notebook's code cells as committed (with their outputs).
    """
    found, expected, not_run = [], 0, []
    for n, (seen, cell) in enumerate(zip(state["cells"], cells)):
        expected += bool(cell.source.strip())  # JupyterLab does not send empty cells
        if seen["count"] is None and cell.source.strip():
            not_run.append(n)
            continue
        if seen["count"] != (expected if cell.source.strip() else None):
            found.append(f"{describe(n, cells)}: execution count {seen['count']}, expected "
                         f"{expected} on a fresh kernel")
        allowed = "raises-exception" in cell.metadata.get("tags", [])
        found += [f"{describe(n, cells)} raised {error}" for error in seen["errors"]
                  if not allowed]
        found += [f"{describe(n, cells)}: {text}" for text in seen["broken"]]
        if cell.outputs and not seen["outputs"]:
            found.append(f"{describe(n, cells)}: no output (the committed notebook has "
                         f"{len(cell.outputs)})")
    if not_run:
        found.append(f"{len(not_run)} of {len(cells)} code cells not executed, from "
                     f"{describe(not_run[0], cells)}")
    return found


def press_buttons(page, name):
    """Press a button (preferably "step") in every widget with a figure; some figure changes.

    Not every press must change its figure: an explorer whose optimizer diverged rightly
    refuses further steps, say."""
    widgets = page.locator(".jp-NotebookPanel .jp-OutputArea-output:has(.widget-button):has(img)")
    assert widgets.count() > 0, f"{name}: no widget with a figure rendered"
    figures = "els => els.map(el => [...el.querySelectorAll('img')].map(i => i.src).join())"
    before, pressed = widgets.evaluate_all(figures), []
    for output in widgets.all():
        buttons = output.locator(".widget-button:not([disabled])")
        steps = buttons.filter(has_text="step")
        button = steps.first if steps.count() else buttons.first
        pressed.append(button.inner_text())
        button.click()
    try:
        page.wait_for_function(
            f"([els, before]) => ({figures})(els).some((now, i) => now !== before[i])",
            arg=[widgets.element_handles(), before], timeout=20_000)
    except Exception:
        pytest.fail(f"{name}: pressing {pressed} in its widgets changed no figure")
    after = widgets.evaluate_all(figures)
    print(f"{name}: pressed {pressed}; figures changed: {[a != b for a, b in zip(after, before)]}")


def move_sliders(page, name):
    """In every slider picture (a figure with sliders, no buttons), move its first slider a few
    notches with the keyboard, as a reader would; every one of those figures must change."""
    pictures = page.locator(".jp-NotebookPanel .jp-OutputArea-output"
                            ":has(.widget-slider):has(img):not(:has(.widget-button))")
    figures = "els => els.map(el => [...el.querySelectorAll('img')].map(i => i.src).join())"
    before = pictures.evaluate_all(figures)
    for picture in pictures.all():
        handle = picture.locator(".widget-slider .noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        for key in ("ArrowLeft", "ArrowLeft", "ArrowRight", "ArrowLeft"):   # 2 notches left net
            page.keyboard.press(key)
    try:
        page.wait_for_function(
            f"([els, before]) => ({figures})(els).every((now, i) => now !== before[i])",
            arg=[pictures.element_handles(), before], timeout=20_000)
    except Exception:
        after = pictures.evaluate_all(figures)
        pytest.fail(f"{name}: moving a slider left these slider pictures unchanged: "
                    f"{[i for i, (a, b) in enumerate(zip(after, before)) if a == b]}")
    print(f"{name}: moved the sliders of {len(before)} slider pictures; every figure changed")
    return len(before)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_run_all_in_jupyterlab(lab, page, path):
    nb = nbformat.read(path, as_version=4)
    cells = code_cells(nb)
    with notebook_open(page, lab, path.name):
        state, _ = run_all(page, path.name, cells)
        found = problems(state, cells)
        assert not found, f"{path.name} after Run All:\n" + "\n".join(found)
        if any(WIDGET_VIEW in o.get("data", {}) for c in cells for o in c.outputs):
            press_buttons(page, path.name)
        if "SliderFigure(" in "".join(c.source for c in cells):
            assert move_sliders(page, path.name) == "".join(c.source for c in cells).count(
                "SliderFigure(")


def test_the_checks_can_fail(lab, page):
    """On a notebook built to break, the checks report each fault, and nothing else."""
    cells = code_cells(broken_notebook())
    with notebook_open(page, lab, BROKEN):
        state, chose = run_all(page, BROKEN, cells)
        found = problems(state, cells)
    assert chose, "JupyterLab did not ask for a kernel, so choose_python3 went untested"
    assert found == [
        "code cell 2 `display({'application/vnd.jupyter.widget`: Error displaying widget",
        "code cell 3 `silent = 'no print'`: no output (the committed notebook has 1)",
        "code cell 4 `1 / 0` raised ZeroDivisionError: division by zero",
        "1 of 5 code cells not executed, from code cell 5 `print('printed')`",
    ], found


def test_a_dying_kernel_is_reported(lab, page):
    """A kernel that dies mid-run fails the test at once, naming the notebook and the cell
    (the first unfinished one)."""
    cells = code_cells(dying_notebook())
    with pytest.raises(pytest.fail.Exception) as failure:
        with notebook_open(page, lab, DYING):
            run_all(page, DYING, cells)
    message = str(failure.value)
    assert message.startswith(f"{DYING}: dialog") and "appears to have died" in message, message
    assert "before finishing code cell 2 `import os, time`" in message, message
