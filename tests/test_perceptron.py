"""PerceptronExplorer through its Python API: the model's truth tables, separability and the
perceptron rule; the view's controls, buttons, banner and picture; bad input changes nothing."""

import importlib
import itertools
import sys

import numpy as np
import pytest

from mathdl.widgets import PerceptronExplorer
from mathdl.widgets.perceptron import GATES, INPUTS, Perceptron
from tests.test_toolkit import full_draw, pixels

SOLUTIONS = {"and": ((1, 1), -1.5), "or": ((1, 1), -0.5), "nand": ((-1, -1), 1.5),
             "nor": ((-1, -1), 0.5)}


# ---------------------------------------------------------------- the model

def test_the_contract_defaults_solve_and():
    p = Perceptron()
    assert (p.gate, p.weights, p.bias) == ("and", (1.0, 1.0), -1.5)
    assert p.truth_table == [(0, 0, 0, 0), (0, 1, 0, 0), (1, 0, 0, 0), (1, 1, 1, 1)]
    assert p.correct == 4 and p.separable


@pytest.mark.parametrize("gate", list(SOLUTIONS))
def test_every_separable_gate_has_weights_and_its_table_is_the_gate(gate):
    weights, bias = SOLUTIONS[gate]
    p = Perceptron(gate, weights, bias)
    assert [t for *_, t, _ in p.truth_table] == list(GATES[gate])
    assert [out for *_, out in p.truth_table] == list(GATES[gate])
    assert p.correct == 4 and p.separable


def test_gate_tables_are_the_boolean_functions():
    ops = {"and": lambda a, b: a & b, "or": lambda a, b: a | b, "nand": lambda a, b: 1 - (a & b),
           "nor": lambda a, b: 1 - (a | b), "xor": lambda a, b: a ^ b,
           "xnor": lambda a, b: 1 - (a ^ b)}
    for gate, op in ops.items():
        assert GATES[gate] == tuple(op(a, b) for a, b in INPUTS)
        assert Perceptron(gate).separable == (gate not in ("xor", "xnor"))


def test_output_is_one_only_for_a_positive_score():
    p = Perceptron("or", (1.0, 0.0), 0.0)                  # z = x1: exactly 0 at x1 = 0
    assert [out for *_, out in p.truth_table] == [0, 0, 1, 1]
    p.set(bias=0.1)
    assert [out for *_, out in p.truth_table] == [1, 1, 1, 1]


def test_no_line_on_a_fine_grid_gets_xor_or_xnor_right_but_three_rows_are_possible():
    grid = np.arange(-4, 4.01, 0.5)
    for gate in ("xor", "xnor"):
        p, best = Perceptron(gate), 0
        for w1, w2, b in itertools.product(grid, grid, grid):
            p.set(weights=(w1, w2), bias=b)
            best = max(best, p.correct)
        assert best == 3


def test_the_product_feature_solves_xor_and_off_it_is_ignored():
    p = Perceptron("xor", (1, 1), -0.5, feature=True, product=-2.0)
    assert p.correct == 4 and not p.separable            # separability is the gate's own
    assert p.score(0.5, 0.5) == 0.0                       # boundary through the centre
    p.set(feature=False)
    assert p.product == 0.0 and p.correct == 3


@pytest.mark.parametrize("gate", list(SOLUTIONS))
def test_the_perceptron_rule_settles_on_every_separable_gate(gate):
    p = Perceptron(gate, (0.0, 0.0), 0.0)
    for _ in range(20):
        if p.learn() == 0:
            break
    assert p.correct == 4 and p.history[-1] == 0 and len(p.history) < 20


def test_the_perceptron_rule_never_settles_on_xor_and_does_with_the_feature():
    p = Perceptron("xor", (1.0, 1.0), -1.5)
    mistakes = [p.learn() for _ in range(40)]
    assert min(mistakes) > 0 and p.history == mistakes
    p.set(feature=True)
    assert p.history == []                                 # a change starts a new history
    for _ in range(40):
        if p.learn() == 0:
            break
    assert p.correct == 4 and p.product != 0


def test_the_rule_is_the_textbook_update():
    p = Perceptron("or", (0.0, 0.0), 0.0)     # rows in the order 00, 01, 10, 11
    assert p.learn() == 1                     # 00 right (z = 0); 01 wrong: w += 0.5·(0, 1),
    assert p.weights == (0.0, 0.5) and p.bias == 0.5       # b += 0.5; then 10, 11 score > 0
    assert p.learn() == 2                     # 00 scores 0.5: b −= 0.5; 01 right; 10 scores 0:
    assert p.weights == (0.5, 0.5) and p.bias == 0.5       # w += 0.5·(1, 0), b += 0.5
    assert [p.learn(), p.learn()] == [1, 0] and p.history == [1, 2, 1, 0]


@pytest.mark.parametrize("values, message", [
    ({"gate": "xro"}, "unknown gate 'xro' (did you mean 'xor'?)"),
    ({"weights": (1.0,)}, "weights must be a pair (w1, w2) of numbers, got (1.0,)."),
    ({"weights": "11"}, "weights must be a pair"),
    ({"weights": (1.0, float("nan"))}, "w2 must be a finite number in [-4, 4], got nan."),
    ({"w1": 7}, "w1 must be a finite number in [-4, 4], got 7."),
    ({"bias": True}, "bias must be a finite number in [-4, 4], got True."),
    ({"product": -2.0}, "product is the weight of the x1·x2 feature, which is off"),
    ({"feature": "yes"}, "feature must be True (add the input x1·x2) or False, got 'yes'."),
])
def test_bad_values_are_refused_and_change_nothing(values, message):
    p = Perceptron("or", (0.5, 0.25), -0.25)
    p.learn()
    before = (p.gate, p.weights, p.bias, p.feature, p.product, list(p.history))
    with pytest.raises(ValueError) as err:
        p.set(**{"gate": "nand", "bias": 1.0, **values})     # good values beside the bad one
    assert message in str(err.value)
    assert (p.gate, p.weights, p.bias, p.feature, p.product, p.history) == before


def test_the_model_needs_neither_matplotlib_nor_ipywidgets(monkeypatch):
    for name in [m for m in sys.modules if m.split(".")[0] in ("matplotlib", "ipywidgets",
                                                                 "contourpy")]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("matplotlib", "ipywidgets", "contourpy"):
        monkeypatch.setitem(sys.modules, name, None)      # any import of them now fails
    monkeypatch.delitem(sys.modules, "mathdl.widgets.perceptron")
    module = importlib.import_module("mathdl.widgets.perceptron")
    p = module.Perceptron("xor")
    p.learn()
    p.set(feature=True, product=-2.0, weights=(1, 1), bias=-0.5)
    assert p.correct == 4
    with pytest.raises(ImportError):
        import matplotlib  # noqa: F401


# ---------------------------------------------------------------- the view

def test_the_static_picture_and_description():
    pe = PerceptronExplorer()
    assert pixels(pe.picture.png).shape == (390, 860, 3)
    data, _ = pe._repr_mimebundle_()
    assert data["image/png"] and "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"] == "PerceptronExplorer(AND: 4 of 4 correct; z = 1·x₁ + 1·x₂ − 1.5)"
    plane = pe.figure.axes[0]
    assert plane.get_title() == "AND: 4 of 4 correct"
    x, y = plane.get_lines()[0].get_data()                  # the boundary x1 + x2 = 1.5
    x, y = np.asarray(x), np.asarray(y)
    assert np.isfinite(x).sum() > 2 and np.allclose((x + y)[np.isfinite(x)], 1.5)
    assert pe.correct == 4 and pe.truth_table == Perceptron().truth_table   # read from the model


@pytest.mark.parametrize("name, value, check", [
    ("gate", "xor", lambda pe: pe.gate == "xor" and pe.correct == 1),
    ("w1", -0.5, lambda pe: pe.weights == (-0.5, 1.0)),
    ("w2", 2.0, lambda pe: pe.weights == (1.0, 2.0) and pe.correct == 3),
    ("bias", 0.5, lambda pe: pe.bias == 0.5 and pe.correct == 1),
    ("feature", True, lambda pe: pe.feature and not pe.controls["product"].disabled),
])
def test_every_control_sets_the_model_and_repaints(name, value, check):
    pe = PerceptronExplorer()
    before = pe.picture.png
    assert not check(pe)
    pe.controls[name].value = value                       # what a reader's move does
    assert check(pe) and pe.picture.builds == 1          # repainted, not rebuilt
    if name != "feature":                                 # the feature alone changes no pixel
        assert not np.array_equal(pixels(pe.picture.png), pixels(before))
    np.testing.assert_array_equal(pixels(pe.picture.png), full_draw(pe))


def test_the_product_slider_is_disabled_until_the_feature_is_on():
    pe = PerceptronExplorer(gate="xor")
    assert pe.controls["product"].disabled
    pe.controls["feature"].value = True
    pe.controls["product"].value = -2.0
    pe.set(weights=(1.0, 1.0), bias=-0.5)
    assert pe.correct == 4 and pe.figure.axes[0].get_title() == "XOR: 4 of 4 correct"
    assert "− 2·x₁x₂" in pe.describe()
    pe.controls["feature"].value = False
    assert pe.product == 0.0 and pe.controls["product"].value == 0.0
    assert pe.controls["product"].disabled


def test_next_gate_cycles_through_all_six_and_changes_the_figure():
    pe = PerceptronExplorer()
    seen = []
    for _ in range(6):
        before = pe.picture.png
        pe.controls["next"].click()
        seen.append(pe.gate)
        assert pe.picture.png != before and pe.controls["gate"].value == pe.gate
        np.testing.assert_array_equal(pixels(pe.picture.png), full_draw(pe))
    assert seen == ["or", "nand", "nor", "xor", "xnor", "and"]


def test_the_first_button_changes_the_figure():
    # the browser test presses a widget's first button (none of ours says "step")
    pe = PerceptronExplorer()
    buttons = [c for c in pe.controls.values() if type(c).__name__ == "Button"]
    assert [b.description for b in buttons] == ["next gate", "perceptron rule"]
    before = pe.picture.png
    buttons[0].click()
    assert pe.picture.png != before


def test_the_perceptron_rule_button_learns_and_the_banner_says_xor_never_settles():
    pe = PerceptronExplorer(gate="xor")
    for _ in range(3):
        assert pe.banner.value == ""
        pe.controls["learn"].click()
    assert "no line separates XOR" in pe.banner.value
    assert "3 passes" in pe.panel.value and pe.history == [m for m in pe.history if m]
    np.testing.assert_array_equal(pixels(pe.picture.png), full_draw(pe))
    pe.set(gate="and", weights=(0.0, 0.0), bias=0.0)
    assert pe.banner.value == "" and pe.panel.value == ""
    while pe.learn():
        pass
    assert pe.correct == 4 and "settled" in pe.panel.value


def test_many_changes_give_the_pixels_of_a_full_draw():
    rng = np.random.default_rng(1)
    pe = PerceptronExplorer(feature=True)
    for gate in GATES:
        w1, w2, b, p = (float(v) for v in np.round(rng.uniform(-3, 3, 4), 1))
        pe.set(gate=gate, weights=(w1, w2), bias=b, product=p)
        np.testing.assert_array_equal(pixels(pe.picture.png), full_draw(pe))
    pe.set(weights=(0.0, 0.0), bias=1.0, product=0.0)      # no boundary at all: all output 1
    assert len(pe.figure.axes[0].get_lines()[0].get_xdata()) == 0
    np.testing.assert_array_equal(pixels(pe.picture.png), full_draw(pe))


def test_set_refuses_bad_names_and_values_before_anything_changes():
    pe = PerceptronExplorer()
    png = pe.picture.png
    with pytest.raises(ValueError, match="unknown setting 'weight'"):
        pe.set(weight=(1, 1))
    with pytest.raises(ValueError, match=r"w1 must be a finite number in \[-4, 4\]"):
        pe.set(gate="xor", w1=9.0)
    assert pe.gate == "and" and pe.weights == (1.0, 1.0) and pe.picture.png == png


def test_a_refused_control_value_is_put_back_and_the_banner_says_why():
    pe = PerceptronExplorer()
    pe.controls["product"].value = 1.5                    # the feature is off
    assert pe.product == 0.0 and pe.controls["product"].value == 0.0
    assert "which is off" in pe.banner.value


def test_controls_moved_on_another_thread_run_on_the_main_one(monkeypatch):
    import threading
    import types

    import IPython

    queued = []
    loop = types.SimpleNamespace(add_callback=lambda f, *args: queued.append((f, args)))
    monkeypatch.setattr(IPython, "get_ipython",
                        lambda: types.SimpleNamespace(kernel=types.SimpleNamespace(io_loop=loop)))
    pe = PerceptronExplorer()
    worker = threading.Thread(target=lambda: (setattr(pe.controls["w1"], "value", 2.0),
                                              pe.controls["next"].click()))
    worker.start()
    worker.join()
    assert len(queued) == 2 and pe.weights == (1.0, 1.0) and pe.gate == "and"
    for f, args in queued:
        f(*args)
    assert pe.weights == (2.0, 1.0) and pe.gate == "or"
