"""What a check says: :class:`Feedback` (correct or not, what kind of problem, one sentence),
and :class:`Note` for hints and solutions; shared by every checker."""

__all__ = ["Note", "Feedback", "is_blank", "BLANK", "NONE_NUMBERS", "mistake_pairs", "fmt"]


class Note:
    """Text shown by ``hint()`` and ``solution()``; renders as Markdown in Jupyter."""

    def __init__(self, title, text):
        self.title, self.text = title, text

    def __repr__(self):
        return f"{self.title}: {self.text}"

    def _repr_markdown_(self):
        return f"**{self.title}.** {self.text}"


class Feedback:
    """The result of ``check``: truthy when correct.

    ``kind`` says what happened, so tests and code can act on it: "correct", "blank",
    "unreadable" (the answer could not be read), "mistake" (a known typical mistake, or a wrong
    option), "shape", "sign", "factor", "offset", "value", "error" (the reader's code raised),
    "timeout". It displays itself in Jupyter when it is the last expression of a cell.
    """

    def __init__(self, correct, kind, message):
        self.correct, self.kind, self.message = bool(correct), kind, message

    def __bool__(self):
        return self.correct

    def __repr__(self):
        prefix = "✓ Correct!" if self.correct else "✎" if self.kind == "blank" else "✗ Not yet."
        return f"{prefix} {self.message}".strip()

    def _repr_html_(self):
        colour = "#1a7f37" if self.correct else "#b35900"
        text = repr(self).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<div style="border-left: 4px solid {colour}; padding-left: 8px">{text}</div>'


def is_blank(answer):
    """True for the placeholders a notebook ships with: None, ``...`` and empty strings."""
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


BLANK = Feedback(False, "blank", "No answer yet: replace the placeholder with your answer "
                                 "and run the cell again. `hint()` can help.")
NONE_NUMBERS = Feedback(False, "blank", "No answer yet: your answer is None. If it is a gradient "
                                        "such as `x.grad`, call `backward()` first; otherwise "
                                        "replace the placeholder with your answer.")


def mistake_pairs(mistakes, checker):
    """``mistakes`` (a dict, or (wrong answer, message) pairs) as a list of pairs."""
    pairs = list(mistakes.items() if isinstance(mistakes, dict) else mistakes or ())
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], str)):
            raise TypeError(f"{checker}: mistakes must be a dict or a list of (wrong answer, "
                            f"message) pairs, got {pair!r}.")
    return pairs


def fmt(value):
    """A number for feedback: 6 significant digits (a complex one as a + bi)."""
    value = complex(value)
    if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        return f"{value.real:.6g}{value.imag:+.6g}i"
    return f"{value.real:.6g}"
