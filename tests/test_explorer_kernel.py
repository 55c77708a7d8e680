"""Explorers in a real kernel, driven the way JupyterLab drives them.

JupyterLab 4.4+ sends widget messages to a kernel *subshell*; ipykernel 7 handles a subshell
on a thread of its own while the main thread runs cells. Explorers used to draw right there, on
that thread, at the same time as the main thread drew (another explorer, a pyplot figure):
matplotlib and FreeType corrupted the heap and the kernel died ("malloc(): ... corrupted"),
more surely the more explorers a notebook had. This test starts a kernel, opens a subshell as
JupyterLab does, and sends clicks, slider moves and Play ticks through it while the main shell
keeps running explorer and pyplot code; every redraw must happen on the main thread, none may
overlap another, and no message may be lost. It also sends the browser's rounded echo of a
slider value, which must not replace the exact value set in code.
"""

import ast
import json
import time

import pytest

from tests.nbval_fixes import load_execution_script

jupyter_client = pytest.importorskip("jupyter_client")

SETUP = """
import json, threading, time
import matplotlib.pyplot as plt
import numpy as np
from mathdl.widgets import GradientDescentExplorer
from mathdl.widgets import explorer

draws, busy = [], []
def watched(refresh):   # record which thread draws, and whether another draw is in progress
    def run(self, *args, **kwargs):
        draws.append((threading.current_thread().name, len(busy)))
        busy.append(1)
        try:
            time.sleep(0.002)   # widen the window in which two draws could meet
            return refresh(self, *args, **kwargs)
        finally:
            busy.pop()
    return run
explorer.GradientDescentExplorer.refresh = watched(explorer.GradientDescentExplorer.refresh)

gds = [GradientDescentExplorer("rosenbrock", ("gd", "momentum", "adam"), lr=1e-3, steps=5),
       GradientDescentExplorer("saddle", ("gd", "sgd"), lr=0.05, start=(-1.8, 0.01), steps=5),
       GradientDescentExplorer("quadratic", ("gd", "momentum"), lr=0.05, steps=5,
                               landscape_params={"condition_number": 50}),
       GradientDescentExplorer("himmelblau", ("adam", "rmsprop"), lr=0.05, steps=5)]
ids = [{k: g.controls[k].model_id for k in ("step", "play", "lr")} for g in gds]
"""

MAIN_WORK = """
for _ in range(3):
    for g in gds:
        g.run(2)
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot(np.arange(10) ** 2)
    ax.set_title("drawn on the main thread")
    fig.canvas.draw()
    plt.close(fig)
"""

TICKS = 6
STATE = ("json.dumps({'threads': sorted({t for t, _ in draws}), "
         "'overlaps': sum(n > 0 for _, n in draws), 'draws': len(draws), "
         "'steps': [g.steps for g in gds], 'lrs': [g.lr for g in gds]})")


class Kernel:
    """A kernel and a client; ``run`` executes code on the main shell or on a subshell."""

    def __init__(self, tmp_path):
        env = load_execution_script().kernel_environment()
        self.km = jupyter_client.KernelManager(kernel_name="python3")
        self.km.start_kernel(env={**__import__("os").environ, **env}, cwd=str(tmp_path))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def send(self, msg_type, content, subshell=None, channel="shell"):
        msg = self.kc.session.msg(msg_type, content)
        if subshell:
            msg["header"]["subshell_id"] = subshell
        getattr(self.kc, f"{channel}_channel").send(msg)
        return msg["header"]["msg_id"]

    def reply(self, msg_id, channel="shell", timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.km.is_alive():
                pytest.fail("the kernel died (see the kernel's stderr for the C-level error)")
            try:
                msg = getattr(self.kc, f"get_{channel}_msg")(timeout=1)
            except Exception:   # queue.Empty: nothing yet
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]
        pytest.fail(f"no reply within {timeout} s; kernel alive: {self.km.is_alive()}")

    def run(self, code, subshell=None, result=None):
        content = {"code": code, "silent": False, "store_history": False, "allow_stdin": False,
                   "user_expressions": {"r": result} if result else {}, "stop_on_error": True}
        return self.send("execute_request", content, subshell)

    def value(self, msg_id):
        content = self.reply(msg_id)
        assert content["status"] == "ok", content.get("traceback")
        if content["user_expressions"]:
            out = content["user_expressions"]["r"]
            assert out["status"] == "ok", out
            return json.loads(ast.literal_eval(out["data"]["text/plain"]))

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def update(kernel, subshell, model_id, value):
    kernel.send("comm_msg", {"comm_id": model_id, "data": {
        "method": "update", "state": {"value": value}, "buffer_paths": []}}, subshell)


def click(kernel, subshell, model_id):
    kernel.send("comm_msg", {"comm_id": model_id, "data": {
        "method": "custom", "content": {"event": "click"}}}, subshell)


def test_widget_messages_on_a_subshell_never_draw_beside_the_main_thread(tmp_path):
    kernel = Kernel(tmp_path)
    try:
        info = kernel.reply(kernel.send("kernel_info_request", {}))
        if "kernel subshells" not in info.get("supported_features", []):
            pytest.skip("this ipykernel has no subshells, so widget messages share the main "
                        "thread")
        ids = kernel.value(kernel.run(SETUP, result="json.dumps(ids)"))
        sub = kernel.reply(kernel.send("create_subshell_request", {}, channel="control"),
                           channel="control")["subshell_id"]
        # As in JupyterLab: a widget's first message is handled by the main shell; the kernel's
        # echo of it carries the subshell's id, and from then on ipykernel routes that widget's
        # messages to the subshell's thread. The lr message is the browser's echo of lr = 0.05
        # snapped to its log slider's grid (10^-1.3): it must leave lr exactly 0.05.
        for w in ids:
            update(kernel, sub, w["play"], 1)
        update(kernel, sub, ids[2]["lr"], 10 ** -1.3)
        kernel.value(kernel.run("pass"))

        main = kernel.run(MAIN_WORK)   # the main thread draws while the subshell gets messages
        for tick in range(2, TICKS + 2):
            for w in ids:
                update(kernel, sub, w["play"], tick)
                click(kernel, sub, w["step"])
            update(kernel, sub, ids[3]["lr"], 0.01 * tick)
        kernel.value(main)
        kernel.value(kernel.run("pass", subshell=sub))   # the subshell has read every message

        expected = [5 + 1 + 3 * 2 + 2 * TICKS] * 4
        for _ in range(40):   # callbacks queued for the main thread run between cells
            state = kernel.value(kernel.run("", result=STATE))
            if state["steps"] == expected and state["lrs"][3] == 0.01 * (TICKS + 1):
                break
            time.sleep(0.25)
        assert state["threads"] == ["MainThread"], state
        assert state["overlaps"] == 0, state
        assert state["steps"] == expected, state
        assert state["lrs"] == [1e-3, 0.05, 0.05, 0.01 * (TICKS + 1)], state
        assert kernel.km.is_alive()
    finally:
        kernel.close()
