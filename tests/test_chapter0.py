"""The introduction: its answer keys are true and its claims about the line fit hold.

(Answers in several forms and typical mistakes are in tests/exercise_cases/chapter0.py.)
"""

import numpy as np
import sympy as sp

import mathdl as md
from mathdl.exercises import chapter0 as ch0


def line_fit():
    """The introduction's data and training run, exactly as the notebook draws them."""
    rng = np.random.default_rng(0)
    rng.normal(size=(4, 3))                     # the notation cell draws first
    x = np.linspace(-1, 1, 20).reshape(-1, 1)
    y = 2.0 * x + 1.0 + 0.1 * rng.normal(size=(20, 1))
    model = md.nn.Linear(1, 1, seed=0)
    optimizer = md.optim.SGD(model.parameters(), lr=0.3)
    for _ in range(60):
        optimizer.zero_grad()
        loss = md.nn.mse_loss(model(md.tensor(x)), md.tensor(y))
        loss.backward()
        optimizer.step()
    return x, y, md.nn.mse_loss(model(md.tensor(x)), md.tensor(y)).item()


def test_the_loss_levels_off_below_the_noise_at_the_least_squares_floor():
    x, y, final = line_fit()
    design = np.hstack([x, np.ones_like(x)])
    best, *_ = np.linalg.lstsq(design, y, rcond=None)
    floor = np.mean((design @ best - y) ** 2)
    true_line = np.mean((y - (2 * x + 1)) ** 2)
    assert abs(final - floor) < 1e-5
    assert round(final, 4) == 0.0066 and round(true_line, 4) == 0.0076   # as the text says
    assert floor < true_line < 0.01
    assert ch0.loss_floor.check("b")


def test_the_average_floor_is_sigma_squared_times_n_minus_2_over_n():
    rng = np.random.default_rng(7)
    x = np.linspace(-1, 1, 20).reshape(-1, 1)
    design = np.hstack([x, np.ones_like(x)])
    floors = []
    for _ in range(4000):
        y = 2 * x + 1 + 0.1 * rng.normal(size=(20, 1))
        fit, *_ = np.linalg.lstsq(design, y, rcond=None)
        floors.append(np.mean((design @ fit - y) ** 2))
    assert abs(np.mean(floors) - 0.01 * 18 / 20) < 1.5e-4


def test_gradients_add_up_key_is_what_mathdl_does():
    x = md.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = (x ** 2).sum()
    y.backward()
    y.backward()
    assert np.allclose(x.grad, [4.0, -8.0, 12.0])
    assert ch0.gradients_add_up.check(ch0.gradients_add_up.options[1])


def test_gradient_of_sum_of_cubes_key_by_mathdl():
    x = md.tensor([1.0, -2.0, 0.5], requires_grad=True)
    ((x ** 3).sum() - 2 * x.sum()).backward()
    assert ch0.gradient_of_sum_of_cubes.check(x.grad)
    t = sp.Symbol("x")
    assert ch0.derivative_of_cube.check(str(sp.diff(t ** 3, t)))
