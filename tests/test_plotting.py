"""The book's palette: every optimizer colour readable as a line on white, every one told apart by
its line style as well (the only shared style, solid, pairs black with blue)."""

import numpy as np

from mathdl.plotting import COLORS, OPTIMIZER_COLORS, OPTIMIZER_STYLES


def _linear(hex_colour):
    c = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _contrast_on_white(hex_colour):
    """WCAG contrast ratio of a colour against white, from its relative luminance."""
    return 1.05 / (_linear(hex_colour) @ [0.2126, 0.7152, 0.0722] + 0.05)


# Machado, Oliveira and Fernandes (2009), severity 1: linear RGB as protan, deutan, tritan see it
VISION = {"normal": np.eye(3),
          "protan": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                     [-0.003882, -0.048116, 1.051998]],
          "deutan": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
          "tritan": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                     [0.004733, 0.691367, 0.303900]]}


def _lab(hex_colour, vision):
    """CIELAB (D65) of a colour as ``vision`` sees it."""
    rgb = np.clip(np.array(VISION[vision]) @ _linear(hex_colour), 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ rgb / [0.95047, 1.0, 1.08883]
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


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


def test_the_descent_arrow_stands_apart_from_every_optimizer_for_every_vision():
    descent, colours = COLORS["descent"], list(OPTIMIZER_COLORS.values())
    assert _contrast_on_white(descent) > 7 and descent != COLORS["gradient"]
    for vision in VISION:
        lab = {c: _lab(c, vision) for c in [descent, *colours]}
        closest_pair = min(np.linalg.norm(lab[a] - lab[b])
                           for i, a in enumerate(colours) for b in colours[i + 1:])
        nearest = min(np.linalg.norm(lab[descent] - lab[c]) for c in colours)
        assert nearest > closest_pair, vision
    # the test can fail: the gradient's vermillion is AdamW's own colour, at distance 0
    assert min(np.linalg.norm(_lab(COLORS["gradient"], "normal") - _lab(c, "normal"))
               for c in colours) == 0
