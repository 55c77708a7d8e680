"""Real-browser test: every notebook, Run All in JupyterLab, in Debian's Chromium.

JupyterLab serves a temporary copy of notebooks/ (so nothing the browser saves can touch the
committed files) on 127.0.0.1 with a token. The Python ``playwright`` package drives the
system Chromium (``/usr/bin/chromium``; no browser download). For each notebook: open it, use
Run ▸ Run All Cells, wait for the kernel, then check that no cell raised (beyond cells tagged
``raises-exception``), that no widget failed to render, and, where there are widgets, that
pressing a button changes the figure. Without Chromium the test is skipped with the reason; in
CI (``CI=true``) a missing Chromium is an error instead.
"""

import json
import os
import secrets
import shutil
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


def _missing(reason):
    if os.environ.get("CI", "").lower() in ("1", "true"):
        pytest.fail(f"{reason}; CI must run the browser test (.ci/run installs chromium)")
    pytest.skip(f"{reason}: the browser test needs Debian's chromium (apt-get install chromium)")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of notebooks/; yields (base URL, token)."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} not found")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    home = tmp_path_factory.mktemp("lab")
    books = home / "notebooks"
    books.mkdir()
    for path in NOTEBOOKS:
        shutil.copy(path, books / path.name)
    (books / "mathdl").symlink_to(ROOT / "mathdl")
    # no news pop-ups; render every cell (not only those scrolled into view)
    for plugin, values in [("apputils-extension/notification", {"fetchNews": "false",
                                                                 "checkForUpdates": False}),
                           ("notebook-extension/tracker", {"windowingMode": "none"})]:
        file = home / "settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(values))
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, **load_execution_script().kernel_environment(),
           "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "run")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={books}",
         f"--LabApp.user_settings_dir={home / 'settings'}",
         f"--LabApp.workspaces_dir={home / 'workspaces'}"]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        env=env, stdout=subprocess.DEVNULL, stderr=open(home / "server.log", "w"))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = (home / "server.log").read_text()[-2000:]
                    pytest.fail(f"JupyterLab did not start:\n{log}")
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def expected_errors(path):
    """Cells tagged raises-exception are allowed (expected) to show one error each."""
    nb = nbformat.read(path, as_version=4)
    return sum("raises-exception" in c.metadata.get("tags", []) for c in nb.cells)


def has_widgets(path):
    nb = nbformat.read(path, as_version=4)
    return any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def wait_for_kernel(page, base, token, name, timeout=60):
    """Until the notebook has an idle kernel (accepting a "Select Kernel" dialog if shown)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        accept = page.locator(".jp-Dialog .jp-mod-accept")
        if accept.count():
            accept.first.click()
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as r:
            sessions = json.load(r)
        if any(s["path"].endswith(name) and s["kernel"]["execution_state"] == "idle"
               for s in sessions):
            return
        page.wait_for_timeout(500)
    pytest.fail(f"no idle kernel for {name} within {timeout} s")


def wait_for_run_all(page, timeout=180):
    """Until the kernel has been idle, with no cell queued, for 1.5 s; returns the prompts."""
    deadline, quiet = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()
        idle = page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').count() > 0
        started = any(p.strip() not in ("", "[ ]:") for p in prompts)
        quiet = quiet + 1 if idle and started and not any("*" in p for p in prompts) else 0
        if quiet >= 3:
            return prompts
        page.wait_for_timeout(500)
    pytest.fail(f"Run All did not finish within {timeout} s; prompts: {prompts}")


def figure_sources(output):
    return output.locator("img").evaluate_all("imgs => imgs.map(i => i.src)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_run_all_in_jupyterlab(lab, browser, path):
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{base}/lab/tree/{path.name}?reset&token={token}")
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        wait_for_kernel(page, base, token, path.name)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        prompts = wait_for_run_all(page)

        text = "\n".join(page.locator(".jp-OutputArea-output").all_text_contents())
        errors = text.count("Traceback (most recent call last)")
        assert errors == expected_errors(path), text[-3000:]
        code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        ran = [p for p, c in zip(prompts, code) if c.source.strip() and p.strip() != "[ ]:"]
        assert len(ran) == sum(bool(c.source.strip()) for c in code), f"cells not run: {prompts}"
        for broken in BROKEN_WIDGET_TEXTS:
            assert broken not in page.content(), f"{path.name}: {broken}"

        widgets = page.locator(".jp-OutputArea-output:has(.widget-button):has(img)")
        if has_widgets(path):
            assert widgets.count() > 0, f"{path.name}: no widget with a figure rendered"
            output = widgets.first
            buttons = output.locator(".widget-button:not([disabled])")
            steps = output.locator(".widget-button:not([disabled])", has_text="step")
            button = steps.first if steps.count() else buttons.first
            label, before = button.inner_text(), figure_sources(output)
            button.click()
            try:
                page.wait_for_function(
                    "([el, before]) => [...el.querySelectorAll('img')].map(i => i.src).join() "
                    "!== before.join()", arg=[output.element_handle(), before], timeout=20_000)
            except Exception:
                pytest.fail(f"{path.name}: pressing {label!r} did not change the figure")
            assert figure_sources(output) != before
    except BaseException:
        page.screenshot(path=str(SHOTS / f"{path.stem}.png"))  # look here when it fails
        print(f"screenshot: {SHOTS / f'{path.stem}.png'}")
        raise
    finally:
        page.close()
