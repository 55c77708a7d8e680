"""The two stepping widgets, driven only through their Python API and their controls.

Controls are used the way the browser uses them: setting ``.value`` or calling ``.click()``.
"""

import base64
import hashlib
import io
import warnings
from pathlib import Path

import numpy as np
import pytest

import mathdl as md
from mathdl.widgets import ChainRuleStepper, GradientDescentExplorer
from mathdl.widgets.chain_rule import PRESETS

ROOT = Path(__file__).resolve().parents[1]
ALL = GradientDescentExplorer.OPTIMIZERS


def hand_run(land, name, lr, start, steps, hyper=None, noise=0.0, rng=None):
    """The plain md.optim loop the widget must reproduce exactly."""
    p = md.tensor(np.array(start, dtype=float), requires_grad=True)
    opt = md.optim.get(name, [p], lr=lr, **(hyper or {}))
    path = [p.data.copy()]
    for _ in range(steps):
        opt.zero_grad()
        land(p).backward()
        if noise:
            p.grad = p.grad + noise * rng.standard_normal(2)
        opt.step()
        path.append(p.data.copy())
    return np.array(path)


@pytest.fixture(scope="module")
def rosen():
    return GradientDescentExplorer(optimizers=ALL, lr=1e-3, steps=40)


# ---- GradientDescentExplorer: numbers ---------------------------------------------------------
def test_creation_already_shows_paths_and_a_png(rosen):
    assert rosen.land.name == "rosenbrock" and rosen.optimizers == ALL
    for o in ALL:
        assert rosen.paths[o].shape == (41, 2) and rosen.losses[o].shape == (41,)
        np.testing.assert_array_equal(rosen.paths[o][0], (-1.5, 2.0))
        np.testing.assert_allclose(rosen.losses[o], rosen.land(rosen.paths[o]))
    assert rosen.view.png.startswith(b"\x89PNG")
    assert rosen.view.output.outputs[0]["data"]["image/png"]
    assert not any(rosen.diverged.values())


@pytest.mark.parametrize("landscape,lr,params", [("rosenbrock", 1e-3, {}),
                                                  ("quadratic", 0.3, {"condition_number": 20,
                                                                      "angle": 30})])
def test_paths_are_exactly_a_hand_run_of_md_optim(landscape, lr, params):
    gd = GradientDescentExplorer(landscape, ALL, lr=lr, steps=25, landscape_params=params, seed=7)
    land = md.landscapes.get(landscape, **params)
    defaults = {"momentum": {"momentum": 0.9}, "nesterov": {"momentum": 0.9},
                "rmsprop": {"alpha": 0.99}, "adam": {"betas": (0.9, 0.999)}}
    for k, o in enumerate(ALL):
        noise, rng = (1.0, np.random.default_rng([7, k])) if o == "sgd" else (0.0, None)
        want = hand_run(land, o, lr, land.start, 25, defaults.get(o), noise, rng)
        np.testing.assert_array_equal(gd.paths[o], want, err_msg=o)
    assert not np.array_equal(gd.paths["sgd"], gd.paths["gd"])   # the noise is really there


def test_step_run_reset_and_the_png_changes():
    gd = GradientDescentExplorer(steps=3)
    png = gd.view.png
    gd.step()
    assert gd.paths["adam"].shape == (5, 2) and gd.view.png != png
    gd.run(10)
    assert {p.shape for p in gd.paths.values()} == {(15, 2)}
    gd.reset()
    for p in gd.paths.values():
        np.testing.assert_array_equal(p, [[-1.5, 2.0]])
    # after a reset the optimizers are fresh: the same steps give the same path again
    first = GradientDescentExplorer(steps=6).paths
    gd.run(6)
    for o in first:
        np.testing.assert_array_equal(gd.paths[o], first[o])


def test_readouts_gradient_norm_step_and_hessian():
    gd = GradientDescentExplorer("quadratic", ("gd",), lr=0.5, steps=4,
                                 landscape_params={"condition_number": 10, "angle": 30})
    path, land = gd.paths["gd"], gd.land
    g = land.gradient(path[-1])
    assert md.widgets.common.fmt(np.linalg.norm(g)) in gd.panel.value
    assert md.widgets.common.fmt(np.linalg.norm(path[-1] - path[-2])) in gd.panel.value
    point, lam, vec, kappa, label = gd.curvature()
    np.testing.assert_allclose(lam, [0.1, 1.0])             # μ = L/κ and L
    np.testing.assert_allclose(abs(vec[:, 0] @ [np.cos(np.pi / 6), np.sin(np.pi / 6)]), 1.0)
    assert kappa == pytest.approx(10) and label == "minimum"
    marks = gd.lr_marks()
    assert marks == pytest.approx({"1/L": 1.0, "2/(μ+L)": 2 / 1.1, "2/L": 2.0})
    assert "2/L (2)" in gd.panel.value and "0.25 × 2/L" in gd.panel.value
    assert GradientDescentExplorer("rosenbrock", steps=0).lr_marks() is None
    saddle = GradientDescentExplorer("saddle", ("gd",), lr=0.01, steps=0, start=(0.0, 0.0))
    assert saddle.curvature()[4] == "saddle" and "saddle" in saddle.panel.value


# ---- divergence ---------------------------------------------------------------------------------
@pytest.mark.parametrize("factor,flagged", [(1.05, True), (0.95, False)])
def test_divergence_on_a_quadratic_is_flagged_exactly_above_2_over_L(factor, flagged):
    land = md.landscapes.get("quadratic", condition_number=5.0, L=4.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gd = GradientDescentExplorer("quadratic", ("gd",), lr=factor * land.lr_max, steps=400,
                                     landscape_params={"condition_number": 5.0, "L": 4.0})
    assert gd.diverged == {"gd": flagged}
    path = gd.paths["gd"]
    assert np.all(np.isfinite(path)) and np.all(np.isfinite(gd.losses["gd"]))
    art = gd._art
    assert np.all(np.isfinite(art["path"]["gd"].get_xydata()))
    assert art["banner"].get_visible() == flagged
    assert ("diverging" in gd.banner.value) == flagged
    if flagged:   # stopped: more steps change nothing
        n = len(path)
        gd.run(5)
        assert len(gd.paths["gd"]) == n and n < 401
    else:
        assert len(path) == 401 and gd.losses["gd"][-1] < 1e-6


def test_huge_steps_stop_every_optimizer_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            gd = GradientDescentExplorer("rosenbrock", ALL, lr=50.0, steps=200)
    assert gd.diverged["gd"] and gd.diverged["momentum"]
    for o in ALL:
        assert np.all(np.isfinite(gd.paths[o])) and np.all(np.isfinite(gd.losses[o]))


# ---- every control ------------------------------------------------------------------------------
def test_landscape_menu_and_quadratic_sliders():
    gd = GradientDescentExplorer(optimizers=("gd",), lr=0.01, steps=5)
    c = gd.controls
    assert c["condition"].layout.display == "none"
    c["landscape"].value = "himmelblau"
    assert gd.land.name == "himmelblau" and gd.paths["gd"].shape == (6, 2)
    np.testing.assert_array_equal(gd.paths["gd"][0], gd.land.start)
    assert (c["x"].min, c["x"].max) == gd.land.xlim
    c["landscape"].value = "quadratic"
    assert c["condition"].layout.display is None
    c["condition"].value = 100.0
    c["angle"].value = 45.0
    assert gd.land.condition_number == pytest.approx(100) and gd.land.angle == 45
    np.testing.assert_allclose(np.linalg.eigvalsh(gd.land.A), [0.01, 1.0])


def test_optimizer_selection_lr_and_start_sliders():
    gd = GradientDescentExplorer(optimizers=("gd",), lr=1e-3, steps=8)
    c = gd.controls
    c["optimizers"].value = ("gd", "adam")
    assert set(gd.paths) == {"gd", "adam"} and gd.paths["adam"].shape == (9, 2)
    c["optimizers"].value = ()   # refused: at least one stays selected
    assert c["optimizers"].value == ("gd", "adam") and set(gd.paths) == {"gd", "adam"}
    c["lr"].value = 2e-4
    assert gd.lr == pytest.approx(2e-4)
    np.testing.assert_array_equal(gd.paths["gd"], hand_run(gd.land, "gd", c["lr"].value,
                                                           (-1.5, 2.0), 8))
    c["x"].value, c["y"].value = 0.5, -0.5
    np.testing.assert_array_equal(gd.paths["gd"][0], (0.5, -0.5))
    gd.lr = 1e-3   # the API setter moves the slider
    assert c["lr"].value == pytest.approx(1e-3)


def test_shared_lr_slider_is_disabled_while_every_optimizer_has_its_own_lr():
    gd = GradientDescentExplorer(optimizers=("gd", "adam"), lr=1e-3, steps=3,
                                 hyper={"gd": {"lr": 2e-3}, "adam": {"lr": 0.1}})
    c = gd.controls
    assert c["lr"].disabled and "own lr" in c["lr"].tooltip
    np.testing.assert_array_equal(gd.paths["gd"], hand_run(gd.land, "gd", 2e-3, (-1.5, 2.0), 3))
    c["optimizers"].value = ("gd", "adam", "momentum")   # momentum follows the shared slider
    assert not c["lr"].disabled
    c["lr"].value = 5e-4
    np.testing.assert_array_equal(gd.paths["momentum"],
                                  hand_run(gd.land, "momentum", 5e-4, (-1.5, 2.0), 3,
                                           {"momentum": 0.9}))
    np.testing.assert_array_equal(gd.paths["gd"], hand_run(gd.land, "gd", 2e-3, (-1.5, 2.0), 3))
    c["optimizers"].value = ("adam",)
    assert c["lr"].disabled


@pytest.mark.parametrize("steps, right_end", [(8, 10), (25, 30), (45, 50), (120, 200)])
def test_loss_panel_step_axis_ends_at_the_next_1_2_3_5_times_a_power_of_ten(steps, right_end):
    gd = GradientDescentExplorer("quadratic", ("gd",), lr=0.1, steps=steps)
    assert gd._art["lax"].get_xlim() == (0, right_end)


def test_hyper_parameter_sliders():
    gd = GradientDescentExplorer("quadratic", ALL, lr=0.2, steps=10)
    c = gd.controls
    c["momentum.momentum"].value = 0.0     # momentum 0 is plain gradient descent
    np.testing.assert_array_equal(gd.paths["momentum"], gd.paths["gd"])
    c["sgd.noise"].value = 0.0             # no noise: sgd is gd
    np.testing.assert_array_equal(gd.paths["sgd"], gd.paths["gd"])
    c["nesterov.momentum"].value = 0.5
    c["rmsprop.alpha"].value = 0.9
    c["adam.beta1"].value = 0.5
    for o, h in (("nesterov", {"momentum": 0.5}), ("rmsprop", {"alpha": 0.9}),
                 ("adam", {"betas": (0.5, 0.999)})):
        np.testing.assert_array_equal(gd.paths[o], hand_run(gd.land, o, 0.2, gd.land.start, 10, h))
    c["optimizers"].value = ("gd",)
    assert c["adam.beta1"].layout.display == "none"


def test_step_play_and_reset_buttons():
    gd = GradientDescentExplorer(steps=2)
    c = gd.controls
    c["step"].click()
    assert gd.paths["sgd"].shape == (4, 2)
    c["play"].value = 1
    c["play"].value = 2
    assert gd.paths["sgd"].shape == (6, 2)
    c["reset"].click()
    assert gd.paths["sgd"].shape == (1, 2) and c["play"].value == 0


# ---- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,words", [
    ({"landscape": "bowl"}, "Unknown landscape"), ({"optimizers": ("lbfgs",)}, "unknown optimizer"),
    ({"optimizers": ()}, "at least one"), ({"optimizers": ("gd", "gd")}, "each once"),
    ({"lr": -0.1}, "in \\(0, ∞\\)"), ({"lr": float("nan")}, "got nan"),
    ({"start": (5.0, 0.0)}, "inside the plot window"), ({"start": "here"}, "inside the plot"),
    ({"start": (np.nan, 1.0)}, "inside the plot window"), ({"steps": -1}, "steps"),
    ({"hyper": {"gd": {"momentum": 0.5}}}, "not selected"),
    ({"hyper": {"adam": {"beta1": 1.5}}}, "beta1"), ({"hyper": {"sgd": {"noise": -1.0}}}, "noise"),
    ({"seed": -3}, "seed"), ({"seed": "a"}, "seed"),
])
def test_bad_input_is_one_clear_sentence(kwargs, words):
    with pytest.raises(ValueError, match=words) as err:
        GradientDescentExplorer(**kwargs)
    text = str(err.value)
    assert text.endswith(".") and "\n" not in text


def test_bad_input_changes_nothing():
    gd = GradientDescentExplorer(optimizers=("gd",), steps=3)
    before = gd.paths["gd"].copy()
    with pytest.raises(ValueError, match="in \\(0, ∞\\)"):
        gd.lr = -1.0
    with pytest.raises(ValueError, match="whole number"):
        gd.run(-2)
    assert gd.lr == 1e-3 and gd.controls["lr"].value == pytest.approx(1e-3)
    np.testing.assert_array_equal(gd.paths["gd"], before)


# ---- ChainRuleStepper --------------------------------------------------------------------------
@pytest.mark.parametrize("preset", ChainRuleStepper.PRESETS)
def test_values_and_gradients_equal_mathdl_autodiff(preset):
    cs = ChainRuleStepper(preset=preset)
    cs.run_backward()
    assert cs.phase == "done"
    nodes = [cs.nodes[k].tensor for k in cs.order]
    out = cs.nodes[cs.graph.output].tensor
    grads = md.grad(out, nodes)
    for k, t, g in zip(cs.order, nodes, grads):
        assert cs.values[k] == pytest.approx(float(t.data), abs=1e-12)
        assert cs.grads[k] == pytest.approx(float(g.data), abs=1e-12), k
    # independent of the trace: the leaf gradients of a fresh evaluation
    _, f, inputs = PRESETS[preset]
    xs = {k: md.tensor(v, requires_grad=True) for k, v in inputs.items()}
    y = f(**xs)
    y = y[0] if isinstance(y, tuple) else y
    for k, g in zip(xs, md.grad(y, list(xs.values()))):
        assert cs.grads[k] == pytest.approx(float(g.data), abs=1e-12)
    for k, (auto, numeric) in cs.nudge_check().items():
        assert auto == pytest.approx(numeric, abs=1e-6), k
        assert cs.path_sum(k)[0] == pytest.approx(auto, abs=1e-12)


def test_fan_out_lists_both_contributions_before_the_sum():
    cs = ChainRuleStepper(lambda a, b: (a + b) * (b + 1), a=2.0, b=1.0)
    cs.run_forward()
    assert cs.values == {"a": 2.0, "b": 1.0, "c": 3.0, "d": 2.0, "e": 6.0}
    while cs.phase != "done":
        cs.backward_step()
    log = cs._state["log"]
    b_lines = [line for line in log if line.startswith("grad[b]")]
    assert b_lines[0].startswith("grad[b] += grad[d] · ∂d/∂b = 3 · 1 = 3")
    assert b_lines[1].startswith("grad[b] += grad[c] · ∂c/∂b = 2 · 1 = 2")
    assert b_lines[2].startswith("grad[b] = 3 + 2 = 5")
    assert cs.grads["b"] == 5.0 and cs.grads["a"] == 2.0   # ∂/∂b (a+b)(b+1) = a + 2b + 1


def test_phases_steps_and_reset():
    cs = ChainRuleStepper(preset="product")
    assert cs.phase == "forward" and cs.values == {"a": 2.0, "b": 1.0} and cs.grads == {}
    with pytest.raises(RuntimeError, match="forward pass done first"):
        cs.backward_step()
    for _ in cs.ops:
        cs.forward_step()
    assert cs.phase == "backward"
    with pytest.raises(RuntimeError, match="forward pass is complete"):
        cs.forward_step()
    cs.backward_step()
    assert cs.grads == {"e": 1.0}
    cs.run_backward()
    assert cs.phase == "done"
    with pytest.raises(RuntimeError, match="complete"):
        cs.backward_step()
    cs.reset()
    assert cs.phase == "forward" and cs.values == {"a": 2.0, "b": 1.0} and cs.grads == {}


def test_stepper_controls():
    cs = ChainRuleStepper(preset="product")
    c, png = cs.controls, cs.view.png
    c["forward"].click()
    assert cs.values["c"] == 3.0 and cs.view.png != png
    c["run_forward"].click()
    assert cs.phase == "backward" and c["forward"].disabled
    c["backward"].click()
    assert cs.grads == {"e": 1.0}
    c["run_backward"].click()
    assert cs.phase == "done"
    c["paths"].value = True
    assert "sum over paths" in cs.panel.value and "∂e/∂b = " in cs.panel.value
    c["nudge"].value = True
    assert "nudge check" in cs.panel.value
    c["reset"].click()
    assert cs.phase == "forward"
    c["preset"].value = "network"
    assert cs.preset == "network" and len(cs.leaves) == 12


def shown_and_full(fig):
    """The frame on the canvas and in its PNG, and the frame a plain full draw gives."""
    shown = np.asarray(fig.canvas.buffer_rgba()).copy()
    fig.canvas.draw()
    return shown, np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("preset", ChainRuleStepper.PRESETS)
def test_stepper_repaints_exactly_what_a_full_draw_shows(preset):
    """Each step repaints only the rectangles that changed, yet the picture (and the PNG the
    browser gets) is pixel for pixel the full draw, with every number the stepper knows."""
    from PIL import Image

    cs = ChainRuleStepper(preset=preset)
    fig, art = cs.figure, cs._art
    height, width = np.asarray(fig.canvas.buffer_rgba()).shape[:2]
    actions = [cs.step] * (2 * len(cs.ops) + 1) + [cs.static_png, cs.reset, cs.run_backward]
    for k, act in enumerate(actions):
        act()
        if act is cs.step:    # a step repaints a small part of the figure
            area = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in art["dirty"])
            assert 0 < area < 0.3 * width * height, (k, area / (width * height))
        png = np.asarray(Image.open(io.BytesIO(cs.view.png)).convert("RGBA"))
        shown, full = shown_and_full(fig)
        np.testing.assert_array_equal(shown, full, err_msg=f"action {k}")
        np.testing.assert_array_equal(png, full, err_msg=f"action {k}: PNG")
    assert cs.phase == "done"
    for k in cs.order:
        assert art["value"][k].get_text() == md.widgets.common.fmt(cs.values[k])
        assert art["grad"][k].get_text() == f"∇ {md.widgets.common.fmt(cs.grads[k])}"


def test_stepper_survives_a_canvas_matplotlib_re_created():
    cs = ChainRuleStepper(preset="neuron")
    cs.run_forward()
    cs.figure.savefig(io.BytesIO(), format="png", dpi=50)   # a new renderer, then another
    cs.backward_step()
    shown, full = shown_and_full(cs.figure)
    np.testing.assert_array_equal(shown, full)
    cs.controls["preset"].value = "product"                    # a new figure
    cs.step()
    shown, full = shown_and_full(cs.figure)
    np.testing.assert_array_equal(shown, full)


@pytest.mark.parametrize("preset", ChainRuleStepper.PRESETS)
def test_edge_labels_sit_clear_of_boxes_and_of_each_other(preset):
    cs = ChainRuleStepper(preset=preset)
    cs.run_backward()
    fig, art = cs.figure, cs._art
    renderer = fig.canvas.get_renderer()
    boxes = [b.get_window_extent(renderer) for b in art["box"].values()]
    labels = [t.get_window_extent(renderer) for t in art["edge"].values()]
    assert len(labels) == len(cs.edges) and all(b.width > 0 for b in labels)
    for i, label in enumerate(labels):
        assert not any(label.overlaps(b) for b in boxes)
        assert not any(label.overlaps(other) for other in labels[i + 1:])
    # text stays inside its box
    for k, box in zip(art["box"], boxes):
        for part in ("title", "value", "grad"):
            t = art[part][k].get_window_extent(renderer)
            assert box.x0 < t.x0 and t.x1 < box.x1 and box.y0 < t.y0 and t.y1 < box.y1
    # each label is the local derivative; it names it when the graph leaves room
    legend = " ".join(t.get_text() for t in fig.axes[0].texts)
    for (u, v, k), text in zip(art["edge"], (t.get_text() for t in art["edge"].values())):
        number = md.widgets.common.fmt(cs.local[(u, v, k)], 3)
        assert text in (f"∂{v}/∂{u}={number}", number)
        assert text.startswith("∂") or "on each edge: ∂node/∂input" in legend
    if preset == "product":
        assert art["edge"][("c", "e", 0)].get_text() == "∂e/∂c=2"


def test_stepper_controls_clicked_on_another_thread_run_on_the_main_one(monkeypatch):
    """In JupyterLab 4.4+ widget messages arrive on a kernel subshell's thread; the stepper's
    callbacks must be queued for the main thread (drawing from two threads kills the kernel)."""
    import threading
    import types

    import IPython

    queued = []
    loop = types.SimpleNamespace(add_callback=lambda f, *args: queued.append((f, args)))
    monkeypatch.setattr(IPython, "get_ipython",
                        lambda: types.SimpleNamespace(kernel=types.SimpleNamespace(io_loop=loop)))
    cs = ChainRuleStepper(preset="product")
    c = cs.controls
    clicks = [c["forward"].click, c["run_backward"].click, c["reset"].click,
              lambda: setattr(c["nudge"], "value", True),
              lambda: setattr(c["preset"], "value", "neuron")]
    for click in clicks:
        worker = threading.Thread(target=click)
        worker.start()
        worker.join()
    assert len(queued) == len(clicks) and cs.values == {"a": 2.0, "b": 1.0}   # nothing ran yet
    for f, args in queued[:2]:
        f(*args)
    assert cs.phase == "done" and cs.grads["b"] == 5.0
    for f, args in queued[2:]:
        f(*args)
    assert cs.preset == "neuron" and cs.phase == "forward" and "nudge check" in cs.panel.value


@pytest.mark.parametrize("args,kwargs,error,words", [
    ((lambda a: a * md.tensor([1.0, 2.0]),), {"a": 1.0}, ValueError, "single number"),
    ((3.0,), {"a": 1.0}, TypeError, "function of tensors"),
    ((lambda a: a * 2,), {"a": "x"}, TypeError, "finite number"),
    ((lambda a: a * 2,), {}, ValueError, "keyword arguments"),
    ((), {"preset": "lstm"}, ValueError, "unknown preset"),
    ((lambda a: a,), {"preset": "neuron"}, ValueError, "not both"),
    ((lambda a: md.tensor(2.0),), {"a": 1.0}, ValueError, "does not depend"),
])
def test_stepper_bad_input(args, kwargs, error, words):
    with pytest.raises(error, match=words):
        ChainRuleStepper(*args, **kwargs)


# ---- kernel level: the displayed Output really receives the new PNG ---------------------------
def test_in_a_kernel_step_updates_the_displayed_output():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    cells = [
        f"import sys, hashlib\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from mathdl.widgets import GradientDescentExplorer\n"
        "gd = GradientDescentExplorer(steps=5)\ndisplay(gd)\n"
        "print(hashlib.sha256(gd.view.png).hexdigest())",
        "gd.step()\nprint(hashlib.sha256(gd.view.png).hexdigest())",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}}).execute()
    before = nb.cells[0].outputs[-1]["text"].strip()
    after = nb.cells[1].outputs[-1]["text"].strip()
    assert before != after
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    shown = [m["state"]["outputs"] for m in state.values() if m["model_name"] == "OutputModel"]
    assert len(shown) == 1 and len(shown[0]) == 1
    png = base64.b64decode(shown[0][0]["data"]["image/png"])
    assert hashlib.sha256(png).hexdigest() == after   # the front end holds the stepped figure


def test_figures_draw_on_their_own_agg_canvas():
    gd = GradientDescentExplorer(steps=1)
    assert gd.figure.canvas.__class__.__name__ == "FigureCanvasAgg"


@pytest.mark.parametrize("landscape", md.landscapes.names())
def test_every_landscape_with_every_optimizer_stays_finite_and_quiet(landscape):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            gd = GradientDescentExplorer(landscape, ALL, lr=1.0, steps=30)
    for o in ALL:
        assert np.all(np.isfinite(gd.paths[o])) and np.all(np.isfinite(gd.losses[o]))
        assert gd.diverged[o] == (len(gd.paths[o]) < 31)


def test_landscape_parameters_survive_other_controls():
    gd = GradientDescentExplorer(optimizers=("gd",), steps=3, landscape_params={"b": 10.0})
    gd.controls["lr"].value = 2e-3
    assert "10" in gd.land.formula and gd.land.f(0.0, 1.0) == pytest.approx(11.0)


def test_settings_given_in_code_survive_the_sliders():
    gd = GradientDescentExplorer("quadratic", ("gd", "adam"), lr=0.1, steps=10,
                                 hyper={"adam": {"lr": 0.05}})
    gd.controls["adam.beta1"].value = 0.8
    want = hand_run(gd.land, "adam", 0.05, gd.land.start, 10, {"betas": (0.8, 0.999)})
    np.testing.assert_array_equal(gd.paths["adam"], want)


def full_redraw(fig):
    """The frame a plain full draw gives (every artist drawn, nothing cached)."""
    moving = [a for a in fig.findobj() if a.get_animated()]
    for a in moving:
        a.set_animated(False)
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba()).copy()
    for a in moving:
        a.set_animated(True)
    return image


def test_cached_redraws_show_the_same_picture_as_a_full_draw():
    """Blitting onto a cached background may only differ in stacking order (a few pixels
    where a path crosses the legend), never by stale paths, dots or numbers."""
    gd = GradientDescentExplorer(steps=5)
    cs = ChainRuleStepper(preset="network")
    actions = [gd.step, lambda: gd.run(200), lambda: setattr(gd.controls["lr"], "value", 2e-3),
               cs.step, cs.run_forward, cs.backward_step, cs.run_backward, cs.reset]
    for act in actions:
        act()
        fig = gd.figure if act in actions[:3] else cs.figure
        shown = np.asarray(fig.canvas.buffer_rgba()).copy()
        differ = (shown != full_redraw(fig)).any(axis=-1).mean()
        assert differ < 5e-4, (act, differ)


def test_curvature_menu_moves_the_hessian_to_another_optimizer():
    gd = GradientDescentExplorer(optimizers=("gd", "adam"), steps=20)
    c = gd.controls
    assert gd.focus == "gd"
    np.testing.assert_array_equal(gd.curvature()[0], gd.paths["gd"][-1])
    c["focus"].value = "adam"
    point, lam, *_ = gd.curvature()
    np.testing.assert_array_equal(point, gd.paths["adam"][-1])
    np.testing.assert_allclose(lam, np.linalg.eigvalsh(gd.land.hessian(point)))
    assert "adam's point" in gd.panel.value and "adam's point" in gd._art["label"].get_text()
    c["optimizers"].value = ("gd",)    # the menu follows the selection
    assert c["focus"].options == ("gd",) and gd.focus == "gd"


def test_png_bytes_is_a_valid_png_of_exactly_the_canvas_pixels():
    import io

    from PIL import Image

    from mathdl.widgets.common import new_canvas, png_bytes
    fig = new_canvas(3.1, 1.7)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [2, 0, 1], color="#d55e00")
    ax.set_title("odd size, every colour channel used")
    png = png_bytes(fig)
    image = Image.open(io.BytesIO(png))
    image.load()                                     # decodes and checks every CRC
    assert image.mode == "RGB" and image.size == fig.canvas.get_width_height()
    pixels = np.asarray(fig.canvas.buffer_rgba())[:, :, :3]
    assert np.array_equal(np.asarray(image), pixels)


def test_same_notch_tells_the_browsers_rounding_from_a_readers_move():
    import ipywidgets as widgets

    from mathdl.widgets.common import same_notch
    log = widgets.FloatLogSlider(value=0.05, min=-5, max=1, step=0.01)
    log.value = 10 ** -1.30                      # what the browser sends back for 0.05
    assert same_notch(log, 0.05)                 # 0.0501…: the echo of 0.05 on the 0.01 grid
    log.value = 10 ** (-1.28)                    # two notches away: a reader moved it
    assert not same_notch(log, 0.05)
    lin = widgets.FloatSlider(value=0.9, min=0, max=0.99, step=0.01)
    lin.value = 0.9000000000000001
    assert same_notch(lin, 0.9)
    lin.value = 0.92
    assert not same_notch(lin, 0.9)
