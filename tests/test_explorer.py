"""GradientDescentExplorer: its model alone (no matplotlib), then the view through its Python API
and its controls, used the way the browser uses them (setting ``.value``, calling ``.click()``).
"""

import base64
import hashlib
import io
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import mathdl as md
from mathdl.widgets import GradientDescentExplorer
from mathdl.widgets.explorer import KNOBS, Descent
from mathdl.widgets.toolkit import fmt

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


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def full_draw(widget):
    """The picture a full draw of the widget's current state gives (same layout)."""
    shown, builds = widget.picture.png, widget.picture.builds
    widget.refresh(rebuild=True)
    drawn = widget.picture.png
    widget.picture.png, widget.picture.builds = shown, builds
    return pixels(drawn)


# ---- the model, alone ---------------------------------------------------------------------------
def test_the_model_and_its_module_need_no_matplotlib_or_ipywidgets():
    code = textwrap.dedent("""
        import sys
        from mathdl.widgets.explorer import Descent
        m = Descent("quadratic", ("gd", "adam"), lr=0.5, steps=10)
        m.set(lr=0.25, focus="adam")
        m.run(5)
        assert m.paths["gd"].shape == (16, 2) and m.focus == "adam", m.paths
        assert m.curvature()[4] == "curves up in every direction", m.curvature()
        bad = [name for name in ("matplotlib", "ipywidgets") if name in sys.modules]
        assert not bad, bad
        print("light")""")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.stdout.strip() == "light", result.stderr


def test_the_optimizers_are_md_optims_registry_in_its_order():
    assert ALL == tuple(md.optim.names()) == tuple(md.optim.OPTIMIZERS)
    assert set(KNOBS) == {"sgd.noise", "momentum.momentum", "nesterov.momentum", "rmsprop.alpha",
                          "adam.beta1", "adamw.weight_decay"}


@pytest.mark.parametrize("landscape,lr,params", [("rosenbrock", 1e-3, {}),
                                                  ("quadratic", 0.3, {"condition_number": 20,
                                                                      "angle": 30})])
def test_paths_are_exactly_a_hand_run_of_md_optim(landscape, lr, params):
    m = Descent(landscape, ALL, lr=lr, steps=25, landscape_params=params, seed=7)
    land = md.landscapes.get(landscape, **params)
    defaults = {"momentum": {"momentum": 0.9}, "nesterov": {"momentum": 0.9},
                "rmsprop": {"alpha": 0.99}, "adam": {"betas": (0.9, 0.999)},
                "adamw": {"weight_decay": 0.01}}
    for k, o in enumerate(ALL):
        noise, rng = (1.0, np.random.default_rng([7, k])) if o == "sgd" else (0.0, None)
        want = hand_run(land, o, lr, land.start, 25, defaults.get(o), noise, rng)
        np.testing.assert_array_equal(m.paths[o], want, err_msg=o)
    assert not np.array_equal(m.paths["sgd"], m.paths["gd"])   # the noise is really there


def test_model_set_replays_the_steps_and_a_new_landscape_starts_at_its_demo_point():
    m = Descent("quadratic", ("gd",), lr=0.1, steps=12, landscape_params={"L": 4.0})
    m.set(condition=50.0, angle=30.0)
    assert m.land.condition_number == 50 and m.land.L == 4.0 and m.steps == 12   # L kept
    np.testing.assert_array_equal(m.paths["gd"], hand_run(m.land, "gd", 0.1, m.start, 12))
    m.set(landscape="beale")
    np.testing.assert_array_equal(m.paths["gd"][0], m.land.start)
    assert m.steps == 12 and m.condition == 50 and m.angle == 30   # kept for the quadratic
    m.set(**{"momentum.momentum": 0.5})          # an optimizer not shown: remembered, no change
    assert m.hyper["momentum"]["momentum"] == 0.5 and set(m.paths) == {"gd"}


def test_model_bad_settings_change_nothing_and_say_why_in_one_sentence():
    m = Descent("rosenbrock", ("gd", "adam"), steps=5)
    before = {o: p.copy() for o, p in m.paths.items()}
    for values, words in [({"lr": 0.0}, r"The learning rate must be a finite number in \(0, ∞\), "
                                         r"got 0\.0\.$"),
                          ({"optimizers": ()}, "at least one optimizer"),
                          ({"x": 9.0}, r"inside the plot window x in \[-2, 2\]"),
                          ({"adam.beta1": 1.0}, r"beta1 must be a finite number in \[0"),
                          ({"sgd.noise": -1.0}, "sgd's noise must be a finite number"),
                          ({"focus": "sgd"}, "unknown optimizer for the curvature 'sgd'"),
                          ({"speed": 2}, "unknown setting 'speed'"),
                          ({"lr": 0.1, "condition": 0.5}, "condition number κ must be")]:
        with pytest.raises(ValueError, match=words) as err:
            m.set(**values)
        assert str(err.value).endswith(".") and "\n" not in str(err.value)
    assert m.lr == 1e-3 and m.optimizers == ("gd", "adam") and m.steps == 5
    for o, path in before.items():
        np.testing.assert_array_equal(m.paths[o], path)


@pytest.mark.parametrize("landscape,start,words", [
    ("quadratic", (0.0, 0.0), "minimum"), ("saddle", (0.0, 0.0), "saddle"),
    ("himmelblau", md.landscapes.himmelblau().maxima[0], "maximum"),
    ("monkey_saddle", (0.0, 0.0), "degenerate"),
    ("quadratic", (1.0, 1.0), "curves up in every direction"),     # a bowl, but not its bottom
    ("himmelblau", (-0.3, -0.5), "curves down in every direction"),
    ("saddle", (0.5, 0.0), "curves up one way, down the other"),
])
def test_the_curvature_names_critical_points_and_describes_the_shape_elsewhere(landscape, start,
                                                                              words):
    m = Descent(landscape, ("gd",), lr=1e-3, start=start, steps=0)
    assert m.curvature()[4] == words
    critical = np.linalg.norm(m.land.gradient(start)) < 1e-6
    # md.landscapes' second-derivative test names the point the same only where ∇f = 0;
    # elsewhere it would call a mere slope a minimum, maximum or saddle
    assert (m.land.classify(start) == words) == critical


def test_a_point_near_the_critical_point_counts_and_one_farther_does_not():
    # on f = x² − y², the local model's critical point is exactly the saddle: 0.1 % of the
    # window's diagonal (4√2 ≈ 5.66) is 0.00566
    assert Descent("saddle", ("gd",), start=(0.005, 0.0), steps=0).curvature()[4] == "saddle"
    assert Descent("saddle", ("gd",), start=(0.006, 0.0), steps=0).curvature()[4] != "saddle"


@pytest.mark.parametrize("factor,flagged", [(1.05, True), (0.95, False)])
def test_divergence_on_a_quadratic_is_flagged_exactly_above_2_over_L(factor, flagged):
    land = md.landscapes.get("quadratic", condition_number=5.0, L=4.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = Descent("quadratic", ("gd",), lr=factor * land.lr_max, steps=400,
                    landscape_params={"condition_number": 5.0, "L": 4.0})
    assert m.diverged == {"gd": flagged} and m.stopped == flagged
    assert np.all(np.isfinite(m.paths["gd"])) and np.all(np.isfinite(m.losses["gd"]))
    if flagged:   # stopped: more steps change nothing
        n = len(m.paths["gd"])
        m.run(5)
        assert len(m.paths["gd"]) == n and n < 401
    else:
        assert len(m.paths["gd"]) == 401 and m.losses["gd"][-1] < 1e-6


@pytest.mark.parametrize("landscape", md.landscapes.names())
def test_every_landscape_with_every_optimizer_stays_finite_and_quiet(landscape):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            gd = GradientDescentExplorer(landscape, ALL, lr=1.0, steps=30)
    for o in ALL:
        assert np.all(np.isfinite(gd.paths[o])) and np.all(np.isfinite(gd.losses[o]))
        assert gd.diverged[o] == (len(gd.paths[o]) < 31)


def test_huge_steps_stop_every_optimizer_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            gd = GradientDescentExplorer("rosenbrock", ALL, lr=50.0, steps=200)
    assert gd.diverged["gd"] and gd.diverged["momentum"]
    for o in ALL:
        assert np.all(np.isfinite(gd.paths[o])) and np.all(np.isfinite(gd.losses[o]))
    assert gd.controls["lr"].value == pytest.approx(50.0)   # its range widened to take it


# ---- the view -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rosen():
    return GradientDescentExplorer(optimizers=ALL, lr=1e-3, steps=40)


def test_creation_already_shows_paths_and_a_png(rosen):
    assert rosen.land.name == "rosenbrock" and rosen.optimizers == ALL
    for o in ALL:
        assert rosen.paths[o].shape == (41, 2) and rosen.losses[o].shape == (41,)
        np.testing.assert_array_equal(rosen.paths[o][0], (-1.5, 2.0))
    assert rosen.picture.png.startswith(b"\x89PNG")
    assert rosen.picture.output.outputs[0]["data"]["image/png"]
    assert rosen.describe() == ("GradientDescentExplorer(rosenbrock: gd, sgd, momentum, "
                                "nesterov, adagrad, rmsprop, adam, adamw, lr=0.001)")
    assert not any(rosen.diverged.values())


def test_step_run_reset_repaint_without_rebuilding():
    gd = GradientDescentExplorer(steps=3)
    png, builds = gd.picture.png, gd.picture.builds
    gd.step()
    assert gd.paths["adam"].shape == (5, 2) and gd.picture.png != png
    gd.run(10)
    assert {p.shape for p in gd.paths.values()} == {(15, 2)}
    gd.reset()
    for p in gd.paths.values():
        np.testing.assert_array_equal(p, [[-1.5, 2.0]])
    assert gd.picture.builds == builds           # all of it by the move protocol
    first = GradientDescentExplorer(steps=6).paths   # fresh optimizers after a reset
    gd.run(6)
    for o in first:
        np.testing.assert_array_equal(gd.paths[o], first[o])


def test_every_kind_of_change_repaints_exactly_what_a_full_draw_shows():
    gd = GradientDescentExplorer("rosenbrock", ("sgd", "momentum", "adam"), steps=25)
    c = gd.controls
    def move(key, value):
        return lambda: setattr(c[key], "value", value)

    changes = [gd.step, lambda: gd.run(10),                         # 36 steps: new loss axes
               move("focus", "adam"), move("lr", 3e-3), move("x", 0.5), move("adam.beta1", 0.5),
               gd.reset, lambda: gd.run(40), move("optimizers", ("gd",)),
               lambda: gd.set(landscape="saddle"), lambda: gd.run(30)]
    for k, change in enumerate(changes):
        change()
        np.testing.assert_array_equal(pixels(gd.picture.png), full_draw(gd), err_msg=f"change {k}")
    assert gd.picture.paints >= 8


def test_readouts_gradient_norm_step_hessian_and_lr_marks():
    gd = GradientDescentExplorer("quadratic", ("gd",), lr=0.5, steps=4,
                                 landscape_params={"condition_number": 10, "angle": 30})
    path, land = gd.paths["gd"], gd.land
    assert fmt(np.linalg.norm(land.gradient(path[-1]))) in gd.panel.value
    assert fmt(np.linalg.norm(path[-1] - path[-2])) in gd.panel.value
    point, lam, vec, kappa, label = gd.curvature()
    np.testing.assert_allclose(lam, [0.1, 1.0])             # μ = L/κ and L
    np.testing.assert_allclose(abs(vec[:, 0] @ [np.cos(np.pi / 6), np.sin(np.pi / 6)]), 1.0)
    assert kappa == pytest.approx(10) and label == "curves up in every direction"
    assert "curves up in every direction" in gd.panel.value
    assert gd.lr_marks() == pytest.approx({"1/L": 1.0, "2/(μ+L)": 2 / 1.1, "2/L": 2.0})
    assert "2/L (2)" in gd.panel.value and "0.25 × 2/L" in gd.panel.value
    assert GradientDescentExplorer("rosenbrock", steps=0).lr_marks() is None
    gd.run(300)                                              # now at the minimum
    assert gd.curvature()[4] == "minimum" and "<b>minimum</b>" in gd.panel.value


def test_the_readout_in_the_figure_sits_below_the_axes_clear_of_every_path():
    gd = GradientDescentExplorer("quadratic", ("gd",), lr=2.1, steps=60,
                                 landscape_params={"condition_number": 10})   # the zig-zag
    fig = gd.figure
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.texts if t.get_text()]
    assert [t.get_text() for t in texts] == [f"Hessian at gd's point: {gd.curvature()[4]}",
                                             "λ = 0.1, 1;  κ = 10"]
    for t in texts:
        box = t.get_window_extent(renderer)
        assert box.x1 < fig.bbox.width and box.y0 > 0
        for ax in fig.axes:             # not over the paths, the loss panel or their labels
            for where in (ax.bbox, ax.xaxis.get_tightbbox(renderer)):
                assert not box.overlaps(where), t.get_text()
    for a, b in zip(texts, texts[1:]):
        assert not a.get_window_extent(renderer).overlaps(b.get_window_extent(renderer))


def test_diverging_is_said_once_in_the_banner_and_stopped_buttons_say_why():
    gd = GradientDescentExplorer("quadratic", ("gd",), lr=2.1, steps=60,
                                 landscape_params={"condition_number": 10})
    c = gd.controls
    assert gd.diverged == {"gd": True}
    assert gd.banner.value.count("diverging") == 1 and "below 2/L = 2" in gd.banner.value
    assert "Every optimizer has stopped, so step and play are off: press reset." in gd.banner.value
    from matplotlib.text import Text
    assert not any("diverg" in t.get_text() for t in gd.figure.findobj(Text))   # said once
    for key in ("step", "play"):
        assert c[key].disabled and "every optimizer has stopped (diverged)" in c[key].tooltip
    c["reset"].click()                                # running again: the buttons come back
    assert not c["step"].disabled and not c["play"].disabled and gd.banner.value == ""
    gd.lr = 1.0
    assert not gd.stopped and not c["step"].disabled


def test_a_diverging_optimizer_among_running_ones_is_named_and_the_others_go_on():
    gd = GradientDescentExplorer("rosenbrock", ("gd", "adam"), lr=3e-3, steps=20)
    assert gd.diverged == {"gd": True, "adam": False}
    assert "diverging: gd left the region" in gd.banner.value
    assert "stopped" not in gd.banner.value and not gd.controls["step"].disabled
    gd.controls["step"].click()
    assert gd.paths["adam"].shape == (22, 2)


def test_the_lr_slider_shows_the_learning_rate_given():
    gd = GradientDescentExplorer("quadratic", ("gd",), lr=2.1, steps=5)
    s = gd.controls["lr"]

    def on_grid(value):
        notches = (np.log10(value) - s.min) / s.step
        return abs(notches - round(notches)) < 1e-6

    assert s.value == 2.1 and on_grid(2.1) and s.readout_format == ".3g"
    assert f"{10 ** (s.min + round((np.log10(2.1) - s.min) / s.step) * s.step):.3g}" == "2.1"
    assert 10 ** s.min <= 1e-5 and 10 ** s.max >= 10
    gd.lr = 0.037                    # set in code: the grid moves to pass through it
    assert s.value == 0.037 and on_grid(0.037) and gd.lr == 0.037


def test_landscape_menu_and_quadratic_sliders():
    gd = GradientDescentExplorer(optimizers=("gd",), lr=0.01, steps=5)
    c = gd.controls
    assert c["condition"].layout.display == "none"
    c["landscape"].value = "himmelblau"
    assert gd.land.name == "himmelblau" and gd.paths["gd"].shape == (6, 2)
    np.testing.assert_array_equal(gd.paths["gd"][0], gd.land.start)
    assert (c["x"].min, c["x"].max) == gd.land.xlim and c["x"].value == gd.land.start[0]
    c["landscape"].value = "plateau"        # a start beyond the last window's x range
    assert c["x"].value == gd.land.start[0] == 3.0
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
    c["optimizers"].value = ()   # refused: at least one stays selected, and the banner says why
    assert c["optimizers"].value == ("gd", "adam") and set(gd.paths) == {"gd", "adam"}
    assert "optimizers must name at least one optimizer" in gd.banner.value
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
    assert gd.figure.axes[1].get_xlim() == (0, right_end)


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
    c["adamw.weight_decay"].value = 0.2
    for o, h in (("nesterov", {"momentum": 0.5}), ("rmsprop", {"alpha": 0.9}),
                 ("adam", {"betas": (0.5, 0.999)}), ("adamw", {"weight_decay": 0.2})):
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
    c["play"].value = 0                    # the Play's stop button: no step
    assert gd.paths["sgd"].shape == (6, 2)
    c["play"].value = 1
    c["reset"].click()
    assert gd.paths["sgd"].shape == (1, 2) and c["play"].value == 0


def test_curvature_menu_moves_the_hessian_to_another_optimizer():
    gd = GradientDescentExplorer(optimizers=("gd", "adam"), steps=20)
    c = gd.controls
    assert gd.focus == "gd"
    np.testing.assert_array_equal(gd.curvature()[0], gd.paths["gd"][-1])
    c["focus"].value = "adam"
    point, lam, *_ = gd.curvature()
    np.testing.assert_array_equal(point, gd.paths["adam"][-1])
    np.testing.assert_allclose(lam, np.linalg.eigvalsh(gd.land.hessian(point)))
    assert "adam's point" in gd.panel.value
    assert any("adam's point" in t.get_text() for t in gd.figure.texts)
    c["optimizers"].value = ("gd",)    # the menu follows the selection
    assert c["focus"].options == ("gd",) and gd.focus == "gd"


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
    before, png = gd.paths["gd"].copy(), gd.picture.png
    with pytest.raises(ValueError, match="The learning rate must be a finite number in \\(0, ∞\\)"):
        gd.lr = -1.0
    with pytest.raises(ValueError, match="The number of steps n must be a whole number >= 0"):
        gd.run(-2)
    with pytest.raises(ValueError, match="unknown setting 'speed'"):
        gd.set(lr=0.1, speed=3)
    gd.controls["sgd.noise"].value = 5.0               # hidden: sgd is not shown; nothing moves
    gd.controls["adam.beta1"].value = 0.999            # likewise
    assert gd.lr == 1e-3 and gd.controls["lr"].value == pytest.approx(1e-3)
    np.testing.assert_array_equal(gd.paths["gd"], before)
    assert gd.picture.png == png


def test_settings_given_in_code_survive_the_sliders():
    gd = GradientDescentExplorer("quadratic", ("gd", "adam"), lr=0.1, steps=10,
                                 hyper={"adam": {"lr": 0.05}})
    gd.controls["adam.beta1"].value = 0.8
    want = hand_run(gd.land, "adam", 0.05, gd.land.start, 10, {"betas": (0.8, 0.999)})
    np.testing.assert_array_equal(gd.paths["adam"], want)
    with_betas = GradientDescentExplorer("quadratic", ("adam",), lr=0.1, steps=3,
                                         hyper={"adam": {"betas": (0.7, 0.99)}})
    assert with_betas.controls["adam.beta1"].value == 0.7
    np.testing.assert_array_equal(with_betas.paths["adam"], hand_run(
        with_betas.land, "adam", 0.1, with_betas.land.start, 3, {"betas": (0.7, 0.99)}))


def test_landscape_parameters_survive_other_controls():
    gd = GradientDescentExplorer(optimizers=("gd",), steps=3, landscape_params={"b": 10.0})
    gd.controls["lr"].value = 2e-3
    assert "10" in gd.land.formula and gd.land.f(0.0, 1.0) == pytest.approx(11.0)


def test_controls_moved_on_another_thread_run_on_the_main_one(monkeypatch):
    import threading
    import types

    import IPython

    queued = []
    loop = types.SimpleNamespace(add_callback=lambda f, *args: queued.append((f, args)))
    monkeypatch.setattr(IPython, "get_ipython",
                        lambda: types.SimpleNamespace(kernel=types.SimpleNamespace(io_loop=loop)))
    gd = GradientDescentExplorer(optimizers=("gd", "adam"), steps=2)
    c = gd.controls
    for act in (c["step"].click, lambda: setattr(c["lr"], "value", 2e-3),
                lambda: setattr(c["play"], "value", 1), c["reset"].click):
        worker = threading.Thread(target=act)
        worker.start()
        worker.join()
    assert len(queued) == 4 and gd.paths["gd"].shape == (3, 2) and gd.lr == 1e-3
    for f, args in queued[:3]:
        f(*args)
    assert gd.paths["gd"].shape == (5, 2) and gd.lr == 2e-3
    queued[3][0](*queued[3][1])
    assert gd.paths["gd"].shape == (1, 2)


def test_figures_draw_on_their_own_agg_canvas():
    gd = GradientDescentExplorer(steps=1)
    assert gd.figure.canvas.__class__.__name__ == "FigureCanvasAgg"


# ---- kernel level: the displayed Output really receives the new PNG ---------------------------
def test_in_a_kernel_step_updates_the_displayed_output():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    cells = [
        f"import sys, hashlib\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from mathdl.widgets import GradientDescentExplorer\n"
        "gd = GradientDescentExplorer(steps=5)\ndisplay(gd)\n"
        "print(hashlib.sha256(gd.picture.png).hexdigest())",
        "gd.step()\nprint(hashlib.sha256(gd.picture.png).hexdigest())",
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
