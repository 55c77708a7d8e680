"""The book's figure style: one colour-blind-safe palette and one set of matplotlib defaults.

Every chapter and every widget draws with these names, so "gradient" is the same colour on
every page. The palette is Okabe and Ito's eight colours, chosen to stay distinguishable
for the common forms of colour blindness; lines also differ by style where it matters.

    from mathdl.plotting import COLORS, use_book_style, new_figure
    use_book_style()
    fig, ax = new_figure()
    ax.plot(x, y, color=COLORS["value"])

Importing this module needs no matplotlib (the widgets' models read the palette without it);
matplotlib is imported by the functions that draw, and never by ``import mathdl`` itself.
"""

# Okabe–Ito palette (hex values as published by its authors).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

# What each colour means throughout the book.
COLORS = {
    "value": OKABE_ITO["blue"],          # a forward value, a function, data
    "gradient": OKABE_ITO["vermillion"],  # a derivative, a gradient arrow, a backward step
    "highlight": OKABE_ITO["orange"],     # the active node / point / step
    "minimum": OKABE_ITO["green"],        # known minima, "correct"
    "curvature": OKABE_ITO["purple"],     # Hessian eigen-directions
    "descent": "#332288",                 # −∇f, the way down (an arrow): see below
    "muted": "#999999",                   # inactive things, grids, contours' labels
    "text": OKABE_ITO["black"],
}

# Okabe and Ito's yellow is unreadable as a thin line on white (contrast 1.3:1), so the eighth
# optimizer takes "wine" from Paul Tol's colour-blind-safe "muted" scheme instead: contrast 8.7:1
# on white, and under simulated protan, deutan and tritan vision it stays at least as far from the
# other seven colours as those stay from one another.
WINE = "#882255"

# −∇f is not the gradient: its arrow takes "indigo" from Paul Tol's colour-blind-safe schemes
# (every Okabe–Ito colour is an optimizer's, and vermillion, +∇f, is also AdamW's). Contrast 12:1
# on white; for normal, protan, deutan and tritan vision (simulated) it lies farther from every
# optimizer colour than the two closest optimizer colours lie from each other (CIELAB distance).

# One colour per optimizer, the same in every chapter (gd is black: the reference method).
OPTIMIZER_COLORS = {
    "gd": OKABE_ITO["black"],
    "sgd": OKABE_ITO["sky_blue"],
    "momentum": OKABE_ITO["orange"],
    "nesterov": OKABE_ITO["purple"],
    "adagrad": OKABE_ITO["green"],
    "rmsprop": WINE,
    "adam": OKABE_ITO["blue"],
    "adamw": OKABE_ITO["vermillion"],
}

# Line styles paired with the optimizer colours, so paths differ without colour too: no two
# optimizers share a dash pattern except gd and adam (solid; black and blue differ in lightness).
OPTIMIZER_STYLES = {
    "gd": "-", "sgd": ":", "momentum": "--", "nesterov": "-.",
    "adagrad": (0, (5, 1, 1, 1)), "rmsprop": (0, (7, 2)), "adam": "-",
    "adamw": (0, (3, 1, 1, 1, 1, 1)),
}

CYCLE = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange", "purple", "sky_blue",
                                 "black", "yellow")]

BOOK_RC = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": f"cycler('color', {CYCLE!r})",   # read by matplotlib's rc parser
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "lines.linewidth": 1.8,
    "legend.frameon": False,
    "image.cmap": "viridis",
    "svg.hashsalt": "mathdl",  # deterministic ids if someone does save SVG
}


def optimizer_color(name):
    """The book's colour for an optimizer name (grey for a name the palette does not know)."""
    return OPTIMIZER_COLORS.get(str(name).lower(), COLORS["muted"])


def use_book_style():
    """Apply the book's matplotlib defaults and, inside IPython, show figures inline as PNG.

    PNG (not SVG) keeps executed notebooks small and byte-stable for the nbval run.
    """
    import matplotlib
    matplotlib.rcParams.update(BOOK_RC)
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("png")


def new_figure(nrows=1, ncols=1, size=None, pyplot=True, **subplot_kw):
    """A figure and its axes in the book's style: ``fig, ax = new_figure()``.

    ``pyplot=False`` returns a figure that pyplot does not track (it is never shown
    automatically and never leaks memory): a ``canvas``, as the widgets draw on.
    """
    import matplotlib
    matplotlib.rcParams.update(BOOK_RC)
    size = size or (BOOK_RC["figure.figsize"][0] * (1 if ncols == 1 else 0.75 * ncols),
                    BOOK_RC["figure.figsize"][1] * (1 if nrows == 1 else 0.75 * nrows))
    if pyplot:
        import matplotlib.pyplot as plt
        return plt.subplots(nrows, ncols, figsize=size, **subplot_kw)
    fig = canvas(*size)
    return fig, fig.subplots(nrows, ncols, **subplot_kw)


def canvas(width, height):
    """A Figure of ``width`` × ``height`` inches on its own Agg canvas, invisible to pyplot."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    matplotlib.rcParams.update(BOOK_RC)
    fig = Figure(figsize=(width, height), dpi=BOOK_RC["figure.dpi"])
    FigureCanvasAgg(fig)
    return fig
