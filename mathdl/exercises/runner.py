"""Running a reader's code for a check: with a time limit, its printed output captured.

    outcome = run(reader_function, (x, y), seconds=5)
    outcome.value      # what it returned (None if it raised)
    outcome.error      # the exception it raised, TimeUp if it ran out of time, else None
    outcome.output     # what it printed (stdout and stderr), cut to the first 2,000 characters
    outcome.lines      # how many lines it printed in all

Nothing escapes: an exception, ``sys.exit()`` (SystemExit) and ``KeyboardInterrupt`` are all
caught and returned, and printed output never reaches the notebook.

The time limit. On the main thread (where a Jupyter kernel runs its cells) a timer signal
(``signal.setitimer`` and SIGALRM) raises :class:`TimeUp` inside the running code, even inside
``time.sleep``; then every 50 ms again, so that a bare ``except:`` in a loop cannot hold on to
it. Whatever handler and timer were set before are restored afterwards. Elsewhere (another
thread, or a system without SIGALRM) a trace function checks the clock at every line of Python,
which stops any Python loop but not one long call into C (a huge matrix product, a sleep).
"""

import contextlib
import io
import signal
import sys
import threading
import time
from typing import Any, NamedTuple

__all__ = ["TIME_LIMIT", "TimeUp", "Outcome", "run", "time_limit"]

TIME_LIMIT = 5.0      # seconds for one call of a reader's function, or one formula comparison
OUTPUT_CHARS = 2000   # printed characters kept


class TimeUp(BaseException):
    """Raised in code that runs past its time limit. It is a BaseException, like
    KeyboardInterrupt, so that a reader's ``except Exception:`` does not catch it."""


def _on_main_thread():
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def _alarm(seconds):
    armed = [True]

    def ring(signum, frame):
        if armed[0]:
            raise TimeUp

    previous = signal.signal(signal.SIGALRM, ring)
    earlier, interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    start = time.monotonic()
    try:
        yield
    finally:
        try:
            armed[0] = False             # from here on a late alarm is ignored
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if earlier:                  # someone else's timer was running: give it back
                left = max(earlier - (time.monotonic() - start), 1e-3)
                signal.setitimer(signal.ITIMER_REAL, left, interval)


@contextlib.contextmanager
def _traced(seconds):
    deadline = time.monotonic() + seconds
    previous = sys.gettrace()

    def tracer(frame, event, arg):
        if time.monotonic() > deadline:
            raise TimeUp
        return tracer

    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(previous)


def time_limit(seconds, trace=True):
    """A context manager raising :class:`TimeUp` in its body after ``seconds`` (None: no limit).

    Off the main thread it traces every line (``trace=False``: no limit there instead)."""
    if seconds is None:
        return contextlib.nullcontext()
    if _on_main_thread():
        return _alarm(seconds)
    return _traced(seconds) if trace else contextlib.nullcontext()


class _Capped(io.StringIO):
    """A text stream that keeps the first ``OUTPUT_CHARS`` characters and counts lines."""

    def __init__(self):
        super().__init__()
        self.lines, self.open_line = 0, False

    def write(self, text):
        self.lines += text.count("\n")
        if text:
            self.open_line = not text.endswith("\n")
        room = OUTPUT_CHARS - self.tell()
        if room > 0:
            super().write(text[:room])
        return len(text)


class Outcome(NamedTuple):
    value: Any
    error: BaseException | None
    output: str
    lines: int


def run(function, args=(), seconds=5.0):
    """Call ``function(*args)`` with a time limit and captured output; see the module's text."""
    printed = _Capped()
    value, error = None, None
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed), \
                time_limit(seconds):
            value = function(*args)
    except BaseException as err:  # noqa: B036 (SystemExit, KeyboardInterrupt, TimeUp too)
        error = err
    return Outcome(value, error, printed.getvalue(), printed.lines + printed.open_line)
