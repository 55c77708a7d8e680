"""Benchmark: one step plus its repaint (and the PNG the browser gets), per widget.

Run: PYTHONPATH=$PWD python tests/benchmarks/bench_widgets.py
Target (DESIGN.md): ≤ 50 ms per step; 100 ms is where "instant" ends. The cases are measured
interleaved, round-robin, and the median is reported, so a slow moment hits every case alike.
Every widget repaints through the toolkit's move protocol: only the rectangles its moving
parts covered before and cover now. The explorer's "loss axes changed" case steps across the
end of the loss panel's step axis (30 → 31 steps: 0..30 becomes 0..50), so that axes is
drawn again; the state before the step is set up untimed. The stepper cycles through every
forward and backward step of the network. A SliderFigure whose drawing function returns
``move`` is measured beside the same picture drawn whole on every move, for comparison.
The linear-map explorer repaints both panels' moving parts; its slider case moves one entry,
its preset case presses the preset buttons in turn (the panels' limits change now and then).
The perceptron explorer repaints the plane (its shading and boundary) and the table cells
whose text changed; "next gate" changes the targets, so more of the table moves.
"""

import statistics
import time

import numpy as np

from mathdl.widgets import (
    ChainRuleStepper,
    GradientDescentExplorer,
    LinearMapExplorer,
    PerceptronExplorer,
    SliderFigure,
)
from mathdl.widgets.linear_map import PRESETS
from mathdl.widgets.toolkit import ipywidgets

TARGET_MS = 50.0


def secant_picture(fig, h, whole=False):
    """A chapter-2 style picture: a curve and its tangent fixed; a secant, its two points, the
    title and the legend (its label shows the slope) move with h."""
    ax = fig.add_subplot()
    xs = np.linspace(-1.6, 2.6, 300)
    ax.plot(xs, xs**3 - 2 * xs + 1, label="f")
    ax.plot(xs, xs - 1 + 0 * xs, label="tangent")
    secant, = ax.plot([], [], "--")
    ends, = ax.plot([], [], "o")
    ax.set(ylim=(-3, 8), xlabel="x", ylabel="f(x)")

    def move(h):
        slope = ((1 + h) ** 3 - 2 * (1 + h) + 1) / h
        secant.set_data(xs, slope * (xs - 1))
        secant.set_label(f"secant, slope {slope:.4f}")
        ends.set_data([1, 1 + h], [0, slope * h])
        ax.set_title(f"h = {h:.4g}: secant slope {slope:.4f}")
        return secant, ends, ax.title, ax.legend(loc="upper left")
    return move(h) and None if whole else move


def main(rounds=25):
    # 20 steps on creation + 2 per round stay on the loss panel's 0..100 axis
    gd = GradientDescentExplorer("rosenbrock", ("sgd", "momentum", "adam"), lr=1e-3, steps=20)
    axes = GradientDescentExplorer("rosenbrock", ("sgd", "momentum", "adam"), lr=1e-3, steps=30)
    cs = ChainRuleStepper(preset="network")
    lr_slider = gd.controls["lr"]

    def stepper_step():
        if cs.phase == "done":
            cs.reset(redraw=False)
        cs.step()

    def explorer_slider():   # a control change starts afresh and replays every step so far
        lr_slider.value = 1.2e-3 if lr_slider.value < 1.1e-3 else 1e-3

    pictures = {whole: SliderFigure(lambda fig, h, whole=whole: secant_picture(fig, h, whole),
                                    h=ipywidgets().FloatLogSlider(value=1.0, min=-3, max=0,
                                                                  step=0.05))
                for whole in (False, True)}

    def slider_move(whole):
        h = pictures[whole].controls["h"]
        return lambda: setattr(h, "value", 0.01 if h.value > 0.5 else 1.0)

    lm = LinearMapExplorer()
    entry, presets = lm.controls["b"], iter(np.tile(list(PRESETS), 10 * rounds))

    def linear_map_slider():
        entry.value = 0.6 if entry.value < 0.55 else 0.5

    def linear_map_preset():
        lm.controls[next(presets)].click()

    pe = PerceptronExplorer()

    def perceptron_slider():   # a reader dragging w1 (as the browser sends it)
        w1 = pe.controls["w1"]
        w1.value = 0.4 if w1.value > 0.7 else 1.0

    def perceptron_next_gate():
        pe.controls["next"].click()

    cases = {"explorer: step + repaint (3 optimizers, Rosenbrock)": (None, gd.step),
             "explorer: step + repaint, loss axes changed": (lambda: axes.model.reset() or
                                                             axes.run(30), axes.step),
             "stepper: step + repaint (2-2-1 network)": (None, stepper_step),
             "explorer: lr slider moved (replay 20-70 steps)": (None, explorer_slider),
             "slider figure: slider moved (moving parts repainted)": (None, slider_move(False)),
             "  (the same picture drawn whole, for comparison)": (None, slider_move(True)),
             "linear map: entry slider moved (both panels repainted)": (None, linear_map_slider),
             "linear map: preset button pressed": (None, linear_map_preset),
             "perceptron: w1 slider moved": (None, perceptron_slider),
             "perceptron: next gate pressed": (None, perceptron_next_gate)}
    times = {name: [] for name in cases}
    for _ in range(rounds):
        for name, (setup, case) in cases.items():
            if setup:
                setup()
            start, cpu = time.perf_counter(), time.process_time()
            case()
            times[name].append((time.perf_counter() - start, time.process_time() - cpu))
    print(f"{'case':<56} {'median ms':>9} {'p90 ms':>7} {'CPU ms':>7} {'/ target':>8}")
    for name, ts in times.items():
        wall, cpu = [t for t, _ in ts], [c for _, c in ts]
        med, p90 = statistics.median(wall) * 1e3, statistics.quantiles(wall, n=10)[-1] * 1e3
        print(f"{name:<56} {med:>9.1f} {p90:>7.1f} {statistics.median(cpu) * 1e3:>7.1f} "
              f"{med / TARGET_MS:>8.2f}")
    print("(wall-clock median and 90th percentile; CPU = this process's own CPU time, which a "
          "busy machine inflates less)")
    print(f"target: {TARGET_MS:.0f} ms per step (ratio ≤ 1 meets it); {rounds} interleaved rounds")


if __name__ == "__main__":
    main()
