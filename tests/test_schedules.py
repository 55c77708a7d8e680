"""md.schedules: each schedule's values at given steps, composition, and driving optimizers."""

import math

import numpy as np
import pytest

import mathdl as md
from mathdl import schedules as S


def values(schedule, steps):
    return [schedule(t) for t in steps]


def test_step_decay_multiplies_by_gamma_every_step_size_steps():
    assert values(S.step_decay(3, gamma=0.5), [0, 2, 3, 5, 6, 10]) == [1, 1, 0.5, 0.5, 0.25, 0.125]


def test_exponential_is_gamma_to_the_t():
    assert values(S.exponential(0.9), [0, 1, 2, 10]) == pytest.approx([1, 0.9, 0.81, 0.9 ** 10])


def test_cosine_starts_at_one_passes_the_midpoint_and_ends_at_min_factor():
    c = S.cosine(100, min_factor=0.1)
    assert values(c, [0, 50, 100, 150]) == pytest.approx([1.0, 0.55, 0.1, 0.1])
    assert c(25) == pytest.approx(0.1 + 0.9 * (1 + math.cos(math.pi / 4)) / 2)
    assert values(S.cosine(4), [0, 1, 2, 3, 4]) == pytest.approx(
        [1, (1 + 2 ** -0.5) / 2, 0.5, (1 - 2 ** -0.5) / 2, 0])


def test_linear_warmup_rises_to_one_then_hands_over():
    assert values(S.linear_warmup(4), [0, 1, 2, 3, 4, 100]) == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    w = S.linear_warmup(2, then=S.cosine(10))
    assert values(w, [0, 1, 2, 7, 12, 20]) == pytest.approx([0.5, 1.0, 1.0, 0.5, 0.0, 0.0])


def test_schedules_multiply_as_plain_functions():
    both = lambda t: S.step_decay(2)(t) * S.exponential(0.5)(t)  # noqa: E731
    assert values(both, [0, 1, 2, 3]) == pytest.approx([1, 0.5, 0.1 * 0.25, 0.1 * 0.125])


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw"])
def test_scheduler_sets_the_learning_rate_of_any_optimizer(name):
    w = md.tensor([1.0, -1.0], requires_grad=True)
    opt = md.optim.get(name, [w], lr=0.2)
    sched = S.Scheduler(opt, S.linear_warmup(2, then=S.step_decay(2, gamma=0.1)))
    seen = [opt.lr]
    for _ in range(5):
        (w * w).sum().backward()
        opt.step()
        opt.zero_grad()
        seen.append(sched.step())
    assert seen == pytest.approx([0.1, 0.2, 0.2, 0.2, 0.02, 0.02])
    assert sched.lr == opt.lr and sched.base_lr == 0.2


def test_scheduled_gradient_descent_uses_the_scheduled_rate_in_its_update():
    w = md.tensor([1.0], requires_grad=True)
    opt = md.optim.SGD([w], lr=0.1)
    sched = S.Scheduler(opt, S.exponential(0.5))
    expected = 1.0
    for t in range(4):
        (w * w).sum().backward()  # gradient 2w
        opt.step()
        opt.zero_grad()
        sched.step()
        expected -= 0.1 * 0.5 ** t * 2 * expected
    assert w.item() == pytest.approx(expected)


@pytest.mark.parametrize("make, error, message", [
    (lambda: S.step_decay(0), ValueError,
     "step_decay: step_size must be a whole number >= 1, got 0."),
    (lambda: S.step_decay(2.5), ValueError, "step_size must be a whole number >= 1, got 2.5"),
    (lambda: S.cosine(True), ValueError, "total_steps must be a whole number >= 1, got True"),
    (lambda: S.exponential(-0.5), ValueError,
     r"exponential: gamma must be a finite number in \(0, ∞\), got -0.5."),
    (lambda: S.cosine(10, min_factor=2), ValueError,
     r"cosine: min_factor must be a finite number in \[0, 1\], got 2."),
    (lambda: S.cosine(10, min_factor="0"), ValueError, "min_factor .* got '0'"),
    (lambda: S.linear_warmup(np.nan), ValueError, "warmup_steps"),
    (lambda: S.linear_warmup(5, then=0.5), TypeError, "then must be a schedule"),
    (lambda: S.Scheduler(object(), S.constant()), TypeError, "optimizer with an lr"),
    (lambda: S.Scheduler(md.optim.SGD([md.tensor([1.0], requires_grad=True)], lr=0.1), 0.5),
     TypeError, "a function from step to factor"),
])
def test_bad_schedule_arguments_get_one_clear_sentence(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_a_schedule_that_returns_nan_is_refused_by_the_optimizer():
    opt = md.optim.SGD([md.tensor([1.0], requires_grad=True)], lr=0.1)
    sched = S.Scheduler(opt, lambda t: 1.0 if t == 0 else math.nan)
    with pytest.raises(ValueError, match="learning rate"):
        sched.step()
    assert opt.lr == 0.1 and sched.t == 0
