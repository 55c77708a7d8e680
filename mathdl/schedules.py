"""Learning-rate schedules.

A schedule is a plain function  step ↦ factor  (steps count from 0); the learning rate at step t
is base_lr · factor(t). `Scheduler` applies one to any optimizer:

    opt = md.optim.SGD(net.parameters(), lr=0.1)
    sched = Scheduler(opt, linear_warmup(100, then=cosine(900)))
    for step in range(1000):
        ...; opt.step(); sched.step()

Schedules compose: `then=` runs a second schedule after a warm-up, and since they are functions,
lambda t: step_decay(30)(t) * exponential(0.999)(t) multiplies two.
"""

import math

from .checks import number, positive, whole


def constant():
    """factor(t) = 1."""
    return lambda t: 1.0


def step_decay(step_size, gamma=0.1):
    """factor(t) = γ^⌊t / step_size⌋: multiply the rate by γ every `step_size` steps."""
    whole("step_decay: step_size", step_size, low=1)
    positive("step_decay: gamma", gamma)
    return lambda t: gamma ** (t // step_size)


def exponential(gamma):
    """factor(t) = γᵗ: a smooth decay by γ each step (γ = 0.99 halves the rate in ~69 steps)."""
    positive("exponential: gamma", gamma)
    return lambda t: gamma ** t


def cosine(total_steps, min_factor=0.0):
    """factor(t) = m + (1 - m)·(1 + cos(π t / T)) / 2 for t ≤ T, then m  (m = min_factor).

    Starts at 1, falls slowly, fastest halfway, and lands softly on m at step T.
    """
    whole("cosine: total_steps", total_steps, low=1)
    number("cosine: min_factor", min_factor, low=0, high=1)
    return lambda t: min_factor + (1 - min_factor) * (1 + math.cos(math.pi * min(t, total_steps)
                                                                   / total_steps)) / 2


def linear_warmup(warmup_steps, then=None):
    """factor(t) = (t + 1) / W for t < W, then `then(t - W)` (1 if `then` is None).

    Early steps, taken while gradients and Adam's averages are still unreliable, are kept small;
    the rate reaches its full value at step W - 1. The following schedule starts its own clock
    at 0, so linear_warmup(100, then=cosine(900)) is 1,000 steps in all.
    """
    whole("linear_warmup: warmup_steps", warmup_steps, low=1)
    if then is not None and not callable(then):
        raise TypeError("linear_warmup: then must be a schedule (a function of the step).")
    after = then or constant()
    return lambda t: (t + 1) / warmup_steps if t < warmup_steps else after(t - warmup_steps)


class Scheduler:
    """Drive `optimizer.lr` with a schedule: lr = base_lr · schedule(t), t = 0, 1, 2, ...

    base_lr is the optimizer's lr when the Scheduler is created; schedule(0) is applied at once,
    and each `.step()` (call it after `optimizer.step()`) moves to the next step.
    """

    def __init__(self, optimizer, schedule):
        if not hasattr(optimizer, "lr"):
            raise TypeError(f"Scheduler needs an optimizer with an lr attribute, got "
                            f"{type(optimizer).__name__}.")
        if not callable(schedule):
            raise TypeError("Scheduler needs a schedule: a function from step to factor.")
        self.optimizer, self.schedule = optimizer, schedule
        self.base_lr, self.t = optimizer.lr, 0
        optimizer.lr = self.base_lr * schedule(0)

    @property
    def lr(self):
        return self.optimizer.lr

    def step(self):
        self.optimizer.lr = self.base_lr * self.schedule(self.t + 1)  # validated by the optimizer
        self.t += 1
        return self.optimizer.lr
