"""ChainRuleStepper: its model alone (no matplotlib), then the view through its Python API and
its controls, used the way the browser uses them (setting ``.value``, calling ``.click()``)."""

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import mathdl as md
from mathdl.widgets import ChainRuleStepper
from mathdl.widgets.chain_rule import DONE, PRESETS, ChainRule
from mathdl.widgets.toolkit import fmt

ROOT = Path(__file__).resolve().parents[1]


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def full_draw(widget):
    """The picture a full draw of the widget's current state gives."""
    shown, builds = widget.picture.png, widget.picture.builds
    widget.refresh(rebuild=True)
    drawn = widget.picture.png
    widget.picture.png, widget.picture.builds = shown, builds
    return pixels(drawn)


# ---- the model, alone ---------------------------------------------------------------------------
def test_the_model_and_its_module_need_no_matplotlib_or_ipywidgets():
    code = textwrap.dedent("""
        import sys
        from mathdl.widgets.chain_rule import ChainRule
        m = ChainRule(lambda a, b: (a + b) * (b + 1), a=2.0, b=1.0)
        m.run_backward()
        assert m.grads["b"] == 5.0 and m.phase == "done", m.grads
        m.set(preset="network")
        assert len(m.leaves) == 12 and m.phase == "forward"
        bad = [name for name in ("matplotlib", "ipywidgets") if name in sys.modules]
        assert not bad, bad
        print("light")""")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.stdout.strip() == "light", result.stderr


@pytest.mark.parametrize("preset", ChainRuleStepper.PRESETS)
def test_values_and_gradients_equal_mathdl_autodiff(preset):
    m = ChainRule(preset=preset)
    m.run_backward()
    assert m.phase == "done"
    nodes = [m.nodes[k].tensor for k in m.order]
    grads = md.grad(m.nodes[m.graph.output].tensor, nodes)
    for k, t, g in zip(m.order, nodes, grads):
        assert m.values[k] == pytest.approx(float(t.data), abs=1e-12)
        assert m.grads[k] == pytest.approx(float(g.data), abs=1e-12), k
    # independent of the trace: the leaf gradients of a fresh evaluation
    _, f, inputs, _ = PRESETS[preset]
    xs = {k: md.tensor(v, requires_grad=True) for k, v in inputs.items()}
    y = f(**xs)
    y = y[0] if isinstance(y, tuple) else y
    for k, g in zip(xs, md.grad(y, list(xs.values()))):
        assert m.grads[k] == pytest.approx(float(g.data), abs=1e-12)
    for k, (auto, numeric) in m.nudge_check().items():
        assert auto == pytest.approx(numeric, abs=1e-6), k
        assert m.path_sum(k)[0] == pytest.approx(auto, abs=1e-12)


def test_each_local_derivative_is_the_nodes_own_chain_rule_step():
    m = ChainRule(preset="neuron")
    o = m.nodes["o"]                                      # o = tanh(z): ∂o/∂z = 1 − o²
    assert m.local[("z", "o", 0)] == pytest.approx(1 - float(o.tensor.data) ** 2, abs=1e-15)
    assert m.local[("x1", "p1", 0)] == 1.5 * 0 - 0.8      # p1 = x1·w1: ∂p1/∂x1 = w1
    assert [float(g.data) for g in o.backward(2.0)] == [pytest.approx(2 * m.local[("z", "o", 0)])]


def test_fan_out_lists_both_contributions_before_the_sum():
    m = ChainRule(lambda a, b: (a + b) * (b + 1), a=2.0, b=1.0)
    m.run_forward()
    assert m.values == {"a": 2.0, "b": 1.0, "c": 3.0, "d": 2.0, "e": 6.0}
    while m.phase != "done":
        m.backward_step()
    b_lines = [line for line in m.log if line.startswith("grad[b]")]
    assert b_lines[0].startswith("grad[b] += grad[d] · ∂d/∂b = 3 · 1 = 3")
    assert b_lines[1].startswith("grad[b] += grad[c] · ∂c/∂b = 2 · 1 = 2")
    assert b_lines[2].startswith("grad[b] = 3 + 2 = 5")
    assert m.grads["b"] == 5.0 and m.grads["a"] == 2.0   # ∂/∂b (a+b)(b+1) = a + 2b + 1


def test_phases_steps_and_reset():
    m = ChainRule(preset="product")
    assert m.phase == "forward" and m.values == {"a": 2.0, "b": 1.0} and m.grads == {}
    with pytest.raises(RuntimeError, match="forward pass done first"):
        m.backward_step()
    for _ in m.ops:
        m.forward_step()
    assert m.phase == "backward"
    with pytest.raises(RuntimeError, match="forward pass is complete"):
        m.forward_step()
    m.backward_step()
    assert m.grads == {"e": 1.0} and m.lines == ["grad[e] = ∂e/∂e = 1  (the seed)"]
    m.run_backward()
    assert m.phase == "done"
    with pytest.raises(RuntimeError, match="complete"):
        m.backward_step()
    m.reset()
    assert m.phase == "forward" and m.values == {"a": 2.0, "b": 1.0} and m.grads == {}


def test_costs_count_paths_sweeps_and_forward_mode():
    m = ChainRule(preset="product")
    assert m.costs() == {"paths": 3, "sum_over_paths": 6, "reverse": 5, "forward_mode": 10,
                         "inputs": 2, "parameters": 2, "edges": 5}
    assert [len(p) for p in m.paths("b")] == [2, 2]
    assert m.path_sum("b")[1] == "∂e/∂b = 2·1 + 3·1 = 5"


def network_loss(x1, x2, w11, w12, w21, w22, v1, v2, y):
    """Chapter 2's network: no biases, 6 parameters, 3 data inputs, 23 edges."""
    a1, a2 = (w11 * x1 + w12 * x2).tanh(), (w21 * x1 + w22 * x2).tanh()
    return (v1 * a1 + v2 * a2 - y) ** 2


NET = {"x1": 0.5, "x2": -1.0, "w11": 0.8, "w12": -0.4, "w21": 0.3, "w22": 0.9, "v1": 1.1,
       "v2": -0.7, "y": 1.0}
WEIGHTS = ("w11", "w12", "w21", "w22", "v1", "v2")


def test_forward_mode_counts_one_sweep_per_parameter_named_in_wrt():
    everything = ChainRule(network_loss, **NET).costs()
    weights = ChainRule(network_loss, wrt=WEIGHTS, **NET).costs()
    assert (everything["edges"], everything["parameters"], everything["forward_mode"]) == \
        (23, 9, 207)                                     # every input counted: data as well
    assert (weights["edges"], weights["parameters"], weights["forward_mode"]) == (23, 6, 138)
    assert weights["inputs"] == 9 and weights["reverse"] == 23
    # each weight has one path to L (x1 and x2 have two each): the paths a sum over paths needs
    assert weights["paths"] == 6 and everything["paths"] == 6 + 2 + 2 + 1
    m = ChainRule(network_loss, wrt=WEIGHTS, **NET)
    assert weights["sum_over_paths"] == sum(len(p) for k in WEIGHTS for p in m.paths(k))
    neuron, network = ChainRule(preset="neuron"), ChainRule(preset="network")   # presets name
    assert neuron.wrt == ("w1", "w2", "b") and neuron.costs()["forward_mode"] == 3 * 9   # theirs
    assert set(network.leaves) - set(network.wrt) == {"x1", "x2", "y"}
    assert network.costs()["forward_mode"] == 9 * len(network.edges)
    assert ChainRule(lambda a, b: a * b, wrt="b", a=1.0, b=2.0).wrt == ("b",)


def test_the_readout_counts_forward_mode_per_parameter():
    network_loss.__name__ = "a small network"           # the title: the function's own name
    try:
        cs = ChainRuleStepper(network_loss, wrt=WEIGHTS, **NET)
    finally:
        network_loss.__name__ = "network_loss"
    assert cs.title == "a small network" and cs.describe().startswith("ChainRuleStepper(a small "
                                                                      "network: 9 inputs")
    assert ("with respect to the 6 parameters (w11, w12, w21, w22, v1, v2; data: x1, x2, y)"
            in cs.panel.value)
    assert "a sweep per parameter, 6 × 23 = 138" in cs.panel.value
    assert cs.controls["preset"].options[0] == ("custom: a small network", None)
    cs.set(preset="neuron")
    assert "3 parameters (w1, w2, b; data: x1, x2)" in cs.panel.value and "3 × 9 = 27" in \
        cs.panel.value
    cs.set(preset=None)                          # back to the function given, with its own
    assert cs.title == "a small network" and cs.wrt == WEIGHTS
    assert "2 parameters (a, b), 5 edges" in ChainRuleStepper().panel.value   # no data


def test_set_goes_to_a_preset_and_back_to_the_function_given():
    m = ChainRule(lambda a: a * a + a, a=3.0)
    m.set(preset="neuron")
    assert m.preset == "neuron" and m.title == "tanh neuron"
    m.set(preset=None)
    m.run_backward()
    assert m.preset is None and m.grads["a"] == 7.0
    with pytest.raises(ValueError, match="unknown preset 'lstm'; choose one of: product, neuron, "
                                         "network, None."):
        m.set(preset="lstm")
    with pytest.raises(ValueError, match="unknown preset None; choose one of: product"):
        ChainRule(preset="product").set(preset=None)     # no function of its own to go back to


@pytest.mark.parametrize("args,kwargs,error,words", [
    ((lambda a: a * md.tensor([1.0, 2.0]),), {"a": 1.0}, ValueError,
     "ChainRuleStepper needs a function that returns a single number"),
    ((3.0,), {"a": 1.0}, TypeError, "needs a function of tensors, not float"),
    ((lambda a: a * 2,), {"a": "x"}, ValueError, "input 'a' must be a finite number, got 'x'"),
    ((lambda a: a * 2,), {"a": float("inf")}, ValueError, "input 'a' must be a finite number"),
    ((lambda a: a * 2,), {}, ValueError, "give the function's inputs as keyword arguments"),
    ((), {"preset": "lstm"}, ValueError, "unknown preset 'lstm'"),
    ((lambda a: a,), {"preset": "neuron"}, ValueError, r"give either a function \(and its wrt="),
    ((lambda a: md.tensor(2.0),), {"a": 1.0}, ValueError, "does not depend on any of its inputs"),
    ((lambda a, b: a * b,), {"a": 1.0, "b": 2.0, "wrt": ("a", "c")}, ValueError,
     "unknown wrt input 'c'; choose one of: a, b"),
    ((lambda a, b: a * b,), {"a": 1.0, "b": 2.0, "wrt": 3}, ValueError, "unknown wrt input 3"),
    ((lambda a, b: a * b,), {"a": 1.0, "b": 2.0, "wrt": ()}, ValueError,
     "wrt must name at least one input, each once"),
    ((lambda a, b: a * b,), {"a": 1.0, "b": 2.0, "wrt": ("a", "a")}, ValueError, "each once"),
    ((), {"preset": "neuron", "wrt": ("w1",)}, ValueError, "or preset=, not both"),
])
def test_bad_input_is_one_clear_sentence(args, kwargs, error, words):
    with pytest.raises(error, match=words) as err:
        ChainRuleStepper(*args, **kwargs)
    assert str(err.value).endswith(".") and "\n" not in str(err.value)


def test_a_refused_preset_changes_nothing():
    cs = ChainRuleStepper(preset="product")
    cs.forward_step()
    png = cs.picture.png
    with pytest.raises(ValueError, match="unknown preset 'lstm'"):
        cs.set(preset="lstm")
    assert cs.preset == "product" and cs.values["c"] == 3.0 and cs.picture.png == png


# ---- the view -------------------------------------------------------------------------------
def test_stepper_controls():
    cs = ChainRuleStepper(preset="product")
    c, png = cs.controls, cs.picture.png
    assert cs.describe() == "ChainRuleStepper((a + b)(b + 1): 2 inputs, 3 operations, 5 edges)"
    c["forward"].click()
    assert cs.values["c"] == 3.0 and cs.picture.png != png
    c["run_forward"].click()
    assert cs.phase == "backward" and c["forward"].disabled and c["run_forward"].disabled
    c["backward"].click()
    assert cs.grads == {"e": 1.0}
    c["run_backward"].click()
    assert cs.phase == "done" and c["backward"].disabled and c["run_backward"].disabled
    c["paths"].value = True
    assert "sum over paths" in cs.panel.value and "∂e/∂b = 2·1 + 3·1 = 5" in cs.panel.value
    c["nudge"].value = True
    assert "nudge check" in cs.panel.value
    c["reset"].click()
    assert cs.phase == "forward" and not c["forward"].disabled
    assert "Finish the forward pass" in cs.panel.value
    c["backward"].click()                      # in the forward phase: runs the forward pass
    assert cs.phase == "backward"
    c["preset"].value = "network"
    assert cs.preset == "network" and len(cs.leaves) == 12 and cs.phase == "forward"


def test_the_commands_repaint_unless_told_not_to():
    cs = ChainRuleStepper(preset="product")
    png = cs.picture.png
    cs.forward_step(redraw=False)
    assert cs.values["c"] == 3.0 and cs.picture.png == png
    cs.forward_step()
    assert cs.picture.png != png
    cs.reset(redraw=False)
    assert cs.phase == "forward" and cs.values == {"a": 2.0, "b": 1.0}


@pytest.mark.parametrize("preset", ChainRuleStepper.PRESETS)
def test_every_step_repaints_a_small_part_exactly_as_a_full_draw_shows(preset):
    cs = ChainRuleStepper(preset=preset)
    picture = cs.picture
    actions = ["step"] * (2 * len(cs.ops) + 1) + ["static_png", "reset", "run_backward"]
    painted = []
    for k, act in enumerate(actions):
        before = pixels(picture.png)
        getattr(cs, act)()
        after = pixels(picture.png)
        if act == "step":
            painted.append((before != after).any(axis=-1).mean())
        np.testing.assert_array_equal(after, full_draw(cs), err_msg=f"action {k}")
    assert cs.phase == "done" and picture.builds == 1
    assert 0 < max(painted) < 0.15, painted             # a step changes a small part
    for k in cs.order:
        assert cs.art["value"][k].get_text() == fmt(cs.values[k])
        assert cs.art["grad"][k].get_text() == f"∇ {fmt(cs.grads[k])}"


def test_the_active_node_is_framed_and_its_edges_drawn_in_the_highlight_colour():
    import matplotlib.colors
    import matplotlib.patches

    from mathdl.plotting import COLORS
    cs = ChainRuleStepper(preset="product")
    cs.forward_step()                                    # c = a + b
    fig = cs.figure
    frame = [p for p in fig.axes[0].patches if isinstance(p, matplotlib.patches.Rectangle)
             and p.get_visible()]
    assert len(frame) == 1 and matplotlib.colors.same_color(frame[0].get_edgecolor(),
                                                            COLORS["highlight"])
    title = next(t for t in fig.axes[0].texts if t.get_text() == "c = a + b")
    renderer = fig.canvas.get_renderer()
    box, framed = title.get_window_extent(renderer), frame[0].get_window_extent(renderer)
    assert framed.x0 < box.x0 and box.x1 < framed.x1 and framed.y0 < box.y0 < box.y1 < framed.y1
    lit = [e for e, line in cs.art["line"].items() if line.get_visible()]
    assert sorted(lit) == [("a", "c", 0), ("b", "c", 1)]
    cs.run_backward()                                    # the last node visited is c again
    for e, line in cs.art["line"].items():               # every edge carries its gradient
        want = COLORS["highlight" if e[1] == "c" else "gradient"]
        assert line.get_visible() and matplotlib.colors.same_color(line.get_edgecolor(), want)


def test_the_static_picture_is_the_finished_sweep_and_the_view_is_untouched():
    cs = ChainRuleStepper(preset="neuron")
    cs.forward_step()
    png, art = cs.picture.png, cs.art
    static = ChainRuleStepper(preset="neuron")
    static.run_backward(redraw=False)
    static.model.active, static.model.lines = None, [DONE]
    static.refresh()
    np.testing.assert_array_equal(pixels(cs.static_png()), pixels(static.picture.png))
    assert cs.picture.png == png and cs.art is art and cs.phase == "forward"
    data, _ = cs._repr_mimebundle_()
    assert data["text/plain"] == "ChainRuleStepper(tanh neuron: 5 inputs, 5 operations, 9 edges)"


def test_stepper_survives_a_canvas_matplotlib_re_created():
    cs = ChainRuleStepper(preset="neuron")
    cs.run_forward()
    cs.figure.savefig(io.BytesIO(), format="png", dpi=50)   # a new renderer, then another
    cs.backward_step()
    np.testing.assert_array_equal(pixels(cs.picture.png), full_draw(cs))
    cs.controls["preset"].value = "product"                   # a new figure
    cs.step()
    np.testing.assert_array_equal(pixels(cs.picture.png), full_draw(cs))


def make(graph):
    """A preset, or chapter 2's network (a function of the reader's own)."""
    if graph == "chapter 2":
        return ChainRuleStepper(network_loss, wrt=WEIGHTS, **NET)
    return ChainRuleStepper(preset=graph)


@pytest.mark.parametrize("graph,titles", [("product", 1), ("neuron", 1), ("chapter 2", 1),
                                          ("network", 2)])
def test_every_graph_of_the_book_fits_the_page_shrinking_as_it_must(graph, titles):
    from mathdl.widgets.chain_rule import MAX_WIDTH
    cs = make(graph)
    cs.run_backward()
    assert MAX_WIDTH == 980 and cs.figure.bbox.width <= MAX_WIDTH
    assert pixels(cs.static_png()).shape[1] <= MAX_WIDTH
    texts = [t.get_text() for t in cs.figure.axes[0].texts]
    one_line = [t for t in texts if " = " in t and "grad[" not in t]   # "c = a + b"
    two_lines = [t for t in texts if t.endswith(" =")]                 # "c =" over "a + b"
    assert len(one_line if titles == 1 else two_lines) == len(cs.ops)
    assert not (two_lines if titles == 1 else one_line)


@pytest.mark.parametrize("graph", [*ChainRuleStepper.PRESETS, "chapter 2"])
def test_edge_labels_sit_clear_of_boxes_and_of_each_other(graph):
    from matplotlib.patches import FancyBboxPatch
    cs, preset = make(graph), graph
    cs.run_backward()
    fig, art = cs.figure, cs.art
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [b.get_window_extent(renderer) for b in ax.patches if isinstance(b, FancyBboxPatch)]
    labels = [t.get_window_extent(renderer) for t in art["edge"].values()]
    legend = " ".join(t.get_text() for t in ax.texts)
    assert len(boxes) == len(cs.order) and len(labels) == len(cs.edges)
    assert all(b.width > 0 for b in labels)
    for i, label in enumerate(labels):
        assert not any(label.overlaps(b) for b in boxes)
        assert not any(label.overlaps(other) for other in labels[i + 1:])
    for k, box in zip(cs.order, boxes):                # text stays inside its box, apart
        inside = [t.get_window_extent(renderer) for t in ax.texts if t.get_text() and
                  box.contains(*t.get_window_extent(renderer).get_points().mean(axis=0))]
        two_lines = any(t.get_text().endswith(" =") for t in ax.texts)
        assert len(inside) == 3 + (k in cs.ops and two_lines)   # title (1 or 2 lines), value, grad
        for i, e in enumerate(inside):
            assert box.x0 < e.x0 and e.x1 < box.x1 and box.y0 < e.y0 and e.y1 < box.y1
            assert not any(e.overlaps(other) for other in inside[i + 1:])
    for (u, v, k), text in zip(art["edge"], (t.get_text() for t in art["edge"].values())):
        number = fmt(cs.local[(u, v, k)], 3)
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
