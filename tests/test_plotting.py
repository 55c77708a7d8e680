"""The book's palette: every optimizer colour readable as a line on white, every one told apart by
its line style as well (the only shared style, solid, pairs black with blue)."""

import numpy as np

from mathdl.plotting import OPTIMIZER_COLORS, OPTIMIZER_STYLES


def _contrast_on_white(hex_colour):
    """WCAG contrast ratio of a colour against white, from its relative luminance."""
    c = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 1.05 / (linear @ [0.2126, 0.7152, 0.0722] + 0.05)


def test_every_optimizer_colour_is_readable_on_white():
    # Okabe and Ito's yellow scored 1.3 and was unreadable; sky blue and orange, the lightest
    # kept, score 2.2 to 2.4 (they are drawn with distinct line styles too)
    contrasts = {name: _contrast_on_white(c) for name, c in OPTIMIZER_COLORS.items()}
    assert min(contrasts.values()) > 2.0, contrasts
    assert _contrast_on_white("#F0E442") < 2.0          # the test can fail: yellow would


def test_optimizers_differ_by_line_style_too():
    styles = [str(s) for s in OPTIMIZER_STYLES.values()]
    shared = {s for s in styles if styles.count(s) > 1}
    assert set(OPTIMIZER_STYLES) == set(OPTIMIZER_COLORS)
    solid = {name for name, style in OPTIMIZER_STYLES.items() if style == "-"}
    assert shared == {"-"} and solid == {"gd", "adam"}
    assert len(set(OPTIMIZER_COLORS.values())) == len(OPTIMIZER_COLORS)
