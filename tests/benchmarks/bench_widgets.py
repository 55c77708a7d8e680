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
Chapter 3's two widgets: the distribution explorer resampling (n = 1,000) and moving a parameter
slider within the plotted range (moving parts repainted), and a change of family (the moving parts
change kind and both axes, whose limits change, are drawn again); the Bayes explorer moving its
specificity slider and pressing "test again" / "start over" (the icons repainted).
The entropy explorer repaints its bars, lines and labels when a probability slider moves or a
preset keeps the number of outcomes; its picture is drawn in bits, so a new unit moves nothing
and only relabels the surprisal axis, whose ticks and labels are moving parts. No axes of it ever
changes its limits: another number of outcomes (3 <-> 4) moves bars and relabels the outcome
axes, and a change to or from two outcomes also shows the binary entropy panel in the totals'
place (or hides it), which the toolkit draws again the first time.
"""

import statistics
import time

import numpy as np

from mathdl.widgets import (
    BayesExplorer,
    ChainRuleStepper,
    DistributionExplorer,
    EntropyExplorer,
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

    de, de_family = DistributionExplorer(n=1000, mean=0.1), DistributionExplorer()
    be = BayesExplorer()

    def distribution_resample():
        de.controls["resample"].click()

    def distribution_slider():   # 0.1 ↔ 0.2 keeps the plotted range: a repaint
        de.controls["mean"].value = 0.2 if de.params["mean"] < 0.15 else 0.1

    def distribution_family():
        de_family.controls["family"].value = "laplace" if de_family.family == "normal" \
            else "normal"

    def bayes_slider():
        be.controls["specificity"].value = 0.9 if be.specificity > 0.92 else 0.95

    def bayes_button():
        be.controls["test again" if be.prior < 0.05 else "start over"].click()
    entropy = EntropyExplorer(p=(0.5, 0.3, 0.2), q=(0.2, 0.3, 0.5))

    def entropy_slider():
        p1 = entropy.controls["p1"]
        p1.value = 0.2 if p1.value > 0.35 else 0.5

    def entropy_preset():
        entropy.controls["peaked" if entropy.controls["uniform"].disabled else "uniform"].click()

    def entropy_unit():
        entropy.set(base="e" if entropy.base == 2 else 2)
    entropy_k = EntropyExplorer(p=(0.5, 0.3, 0.2), q=(0.2, 0.3, 0.5))

    def entropy_outcomes():
        entropy_k.controls["outcomes"].value = 4 if entropy_k.outcomes == 3 else 3
    entropy_2 = EntropyExplorer(p=(0.5, 0.3, 0.2), q=(0.2, 0.3, 0.5))

    def entropy_two():
        entropy_2.controls["outcomes"].value = 2 if entropy_2.outcomes == 3 else 3

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
             "perceptron: next gate pressed": (None, perceptron_next_gate),
             "distribution explorer: resample (n = 1,000)": (None, distribution_resample),
             "distribution explorer: mean slider moved": (None, distribution_slider),
             "distribution explorer: family changed (axes redrawn)": (None, distribution_family),
             "bayes explorer: specificity slider moved": (None, bayes_slider),
             "bayes explorer: test again / start over": (None, bayes_button),
             "entropy explorer: p slider moved (with q)": (None, entropy_slider),
             "entropy explorer: preset pressed (same outcomes)": (None, entropy_preset),
             "entropy explorer: unit changed (an axis relabelled)": (None, entropy_unit),
             "entropy explorer: outcomes 3 <-> 4 (bars, axes relabel)": (None, entropy_outcomes),
             "entropy explorer: outcomes 3 <-> 2 (binary panel shown)": (None, entropy_two)}
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
