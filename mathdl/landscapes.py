"""Two-dimensional test functions ("loss landscapes") for watching optimizers at work.

Each function is written once, with ordinary arithmetic, so the same formula runs on floats,
on numpy grids (for contour plots) and on mathdl Tensors (so gradients and Hessians come from
autodiff, never from a hand-derived formula):

    import mathdl as md
    land = md.landscapes.get("rosenbrock")
    X, Y, Z = land.grid(200)                # numpy arrays for plt.contour(X, Y, Z, land.levels)
    p = md.tensor(land.start, requires_grad=True)
    loss = land(p)                          # a Tensor; loss.backward() fills p.grad
    land.gradient((1.0, 1.0)), land.hessian((1.0, 1.0))   # numpy, via mathdl autodiff

Each landscape knows its critical points (``minima``, ``saddles``, ``maxima``), a plotting
window (``xlim``, ``ylim``), contour ``levels`` and a ``start`` point that makes a good demo.
"""
import numpy as np

from .autodiff import grad, hessian
from .checks import number, positive, whole
from .tensor import Tensor


def _exp(z):
    """e**z for a float, a numpy array or a Tensor."""
    return z.exp() if isinstance(z, Tensor) else np.exp(z)


class Landscape:
    """A function f(x, y) with what is known about it; see the module docstring."""

    def __init__(self, name, formula, f, xlim, ylim, start, levels,
                 minima=(), saddles=(), maxima=()):
        self.name, self.formula, self.f = name, formula, f
        self.xlim, self.ylim, self.start = tuple(xlim), tuple(ylim), tuple(start)
        self.levels = np.asarray(levels, dtype=np.float64)
        self.minima = [tuple(map(float, p)) for p in minima]     # lowest first
        self.saddles = [tuple(map(float, p)) for p in saddles]
        self.maxima = [tuple(map(float, p)) for p in maxima]

    def __repr__(self):
        return f"<landscape {self.name}: minima {self.minima}, window {self.xlim} x {self.ylim}>"

    def __call__(self, p):
        """f at a point p = (x, y): a Tensor of shape (2,) gives a Tensor (differentiable);
        an array of shape (..., 2), e.g. a whole path of iterates, gives numpy values."""
        if isinstance(p, Tensor):
            if p.shape != (2,):
                raise ValueError(f"a landscape takes a point of shape (2,), got shape {p.shape}.")
            return self.f(p[0], p[1])
        p = np.asarray(p, dtype=np.float64)
        if p.shape[-1:] != (2,):
            raise ValueError(f"a landscape takes points (x, y) in a last axis of length 2, "
                             f"got shape {p.shape}.")
        return self.f(p[..., 0], p[..., 1])

    @staticmethod
    def _point(p):
        p = np.array(p.data if isinstance(p, Tensor) else p, dtype=np.float64)
        if p.shape != (2,):
            raise ValueError(f"expected one point (x, y) of shape (2,), got shape {p.shape}.")
        return p

    def gradient(self, p):
        """∇f(p) as a numpy array of shape (2,), computed by mathdl's reverse mode."""
        return grad(self)(self._point(p)).numpy()

    def hessian(self, p):
        """The 2 x 2 Hessian at p (numpy), computed by differentiating the gradient again."""
        return hessian(self)(self._point(p))

    def classify(self, p, tol=1e-8):
        """The second-derivative test at p from the Hessian's eigenvalues: "minimum" (all > 0),
        "maximum" (all < 0), "saddle" (both signs) or "degenerate" (an eigenvalue ~ 0, the test
        cannot decide).  The label describes a critical point; elsewhere it names the local
        curvature (bowl, cap or saddle shape)."""
        eig = np.linalg.eigvalsh(self.hessian(p))
        scale = tol * max(1.0, np.abs(eig).max())
        if np.any(np.abs(eig) <= scale):
            return "degenerate"
        return "minimum" if eig.min() > 0 else "maximum" if eig.max() < 0 else "saddle"

    @property
    def f_min(self):
        """The lowest value among the known minima (None if f has no minimum)."""
        return min(float(self.f(*m)) for m in self.minima) if self.minima else None

    def grid(self, n=200):
        """``(X, Y, Z)``: an n x n grid over the plotting window and f evaluated on it."""
        n = whole("grid: n (the number of points per side)", n, low=2)
        X, Y = np.meshgrid(np.linspace(*self.xlim, n), np.linspace(*self.ylim, n))
        return X, Y, self.f(X, Y)


def _log_levels(low, high, n=14, offset=0.0):
    """Contour levels spaced evenly in log scale above `offset` (for steep, narrow valleys)."""
    return offset + np.geomspace(low, high, n)


class Quadratic(Landscape):
    """f(p) = ½ pᵀAp with A = R diag(μ, L) Rᵀ, R the rotation by ``angle`` degrees.

    L is the largest curvature, μ = L / condition_number the smallest; the gentle direction
    (eigenvalue μ) is (cos θ, sin θ) and the steep one (eigenvalue L) is (-sin θ, cos θ).
    Gradient descent p ← p - η A p converges exactly when 0 < η < 2/L (``lr_max``).
    """

    def __init__(self, condition_number=10.0, angle=0.0, L=1.0):
        kappa = number("condition_number", condition_number, low=1)
        theta = np.deg2rad(number("angle (in degrees)", angle))
        self.L = positive("L (the largest eigenvalue)", L)
        self.mu, self.condition_number, self.angle = self.L / kappa, kappa, float(angle)
        R = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
        self.A = R @ np.diag([self.mu, self.L]) @ R.T
        self.lr_max = 2.0 / self.L
        (a, b), (_, c) = self.A
        super().__init__(
            "quadratic", r"$f(p) = \frac{1}{2}\,p^\top A p$",
            lambda x, y: 0.5 * (a * x * x + 2 * b * x * y + c * y * y),
            xlim=(-2, 2), ylim=(-2, 2), start=(-1.5, 1.0), minima=[(0, 0)],
            levels=self.L * np.geomspace(1e-3, 2.0, 12))


quadratic = Quadratic   # the registry's lower-case name for it


def rosenbrock(a=1.0, b=100.0):
    """f = (a - x)² + b (y - x²)²: a curved, flat-bottomed valley; the minimum is (a, a²)."""
    a, b = number("a", a), positive("b", b)
    return Landscape("rosenbrock", rf"$f = ({a:g}-x)^2 + {b:g}\,(y-x^2)^2$",
                     lambda x, y: (a - x) ** 2 + b * (y - x * x) ** 2,
                     xlim=(-2, 2), ylim=(-1, 3), start=(-1.5, 2.0), minima=[(a, a * a)],
                     levels=_log_levels(1e-2, 30 * b))


def himmelblau():
    """f = (x² + y - 11)² + (x + y² - 7)²: four minima of value 0, four saddles, one maximum."""
    return Landscape(
        "himmelblau", r"$f = (x^2+y-11)^2 + (x+y^2-7)^2$",
        lambda x, y: (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
        xlim=(-5, 5), ylim=(-5, 5), start=(0.0, 0.0), levels=_log_levels(0.1, 900, 16),
        minima=[(3.0, 2.0), (-2.805118086953, 3.131312518251),
                (-3.779310253378, -3.283185991286), (3.58442834033, -1.848126526964)],
        saddles=[(0.086677504555, 2.884254701175), (-3.073025750764, -0.081353044288),
                 (3.385154183607, 0.073851879838), (-0.127961346731, -1.953714980245)],
        maxima=[(-0.270844590667, -0.92303855648)])


def beale():
    """f = (1.5 - x + xy)² + (2.25 - x + xy²)² + (2.625 - x + xy³)²: minimum 0 at (3, 0.5) at the
    end of a long flat valley, and a saddle at (0, 1)."""
    return Landscape(
        "beale", r"$f = (1.5-x+xy)^2 + (2.25-x+xy^2)^2 + (2.625-x+xy^3)^2$",
        lambda x, y: ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2
                      + (2.625 - x + x * y * y * y) ** 2),
        xlim=(-4.5, 4.5), ylim=(-4.5, 4.5), start=(1.0, 1.5), minima=[(3.0, 0.5)],
        saddles=[(0.0, 1.0)], levels=_log_levels(0.1, 1e5, 16))


def saddle():
    """f = x² - y²: a saddle at the origin, curving up along x and down along y; no minimum.
    Gradient descent started near the x-axis first slides toward the saddle, then escapes."""
    return Landscape("saddle", r"$f = x^2 - y^2$", lambda x, y: x * x - y * y,
                     xlim=(-2, 2), ylim=(-2, 2), start=(-1.8, 0.05), saddles=[(0.0, 0.0)],
                     levels=np.linspace(-4, 4, 17))


def monkey_saddle():
    """f = x³ - 3xy²: three valleys meet at the origin, where the Hessian is zero, so the
    second-derivative test cannot decide (a degenerate saddle).  No minimum."""
    return Landscape("monkey_saddle", r"$f = x^3 - 3xy^2$", lambda x, y: x ** 3 - 3 * x * y * y,
                     xlim=(-1.5, 1.5), ylim=(-1.5, 1.5), start=(1.0, 0.1),
                     saddles=[(0.0, 0.0)], levels=np.linspace(-6, 6, 25))


def plateau(width=1.0):
    """f = 1 - exp(-(x² + y²) / width²): a round well at the origin inside a plateau so flat
    that the gradient almost vanishes (below 1e-4 at the start point): plain gradient descent
    crawls, methods that rescale the step (Adam, RMSprop) walk off it."""
    w2 = positive("width", width) ** 2
    return Landscape("plateau", r"$f = 1 - e^{-(x^2+y^2)/w^2}$",
                     lambda x, y: 1 - _exp(-(x * x + y * y) / w2),
                     xlim=(-4 * width, 4 * width), ylim=(-4 * width, 4 * width),
                     start=(3.0 * width, 1.5 * width), minima=[(0.0, 0.0)],
                     levels=np.sort(1 - np.geomspace(1e-6, 0.99, 13)))


def double_well(tilt=0.3):
    """f = (x² - 1)² + tilt·x + y²: two valleys; the tilt makes the left one the global minimum
    and the right one only local, with a saddle between them (the critical points are the roots
    of 4x³ - 4x + tilt = 0 on y = 0).  Started on the right, gradient descent gets stuck."""
    tilt = number("tilt", tilt)
    if abs(tilt) >= 1.5:   # beyond 8/(3√3) ≈ 1.54 one valley disappears
        raise ValueError(f"tilt must lie strictly between -1.5 and 1.5 so that both valleys "
                         f"exist, got {tilt!r}.")
    left, middle, right = np.sort(np.roots([4.0, 0.0, -4.0, tilt]).real)
    f = lambda x, y: (x * x - 1) ** 2 + tilt * x + y * y  # noqa: E731
    minima = sorted([(left, 0.0), (right, 0.0)], key=lambda m: f(*m))
    return Landscape("double_well", rf"$f = (x^2-1)^2 + {tilt:g}\,x + y^2$", f,
                     xlim=(-2, 2), ylim=(-1.5, 1.5), start=(1.8, 1.0), minima=minima,
                     saddles=[(middle, 0.0)], levels=_log_levels(1e-2, 12, 14, f(*minima[0])))


_REGISTRY = {"quadratic": Quadratic, **{f.__name__: f for f in (
    rosenbrock, himmelblau, beale, saddle, monkey_saddle, plateau, double_well)}}


def names():
    """The registered landscape names, in the order the book introduces them."""
    return list(_REGISTRY)


def get(name, **params):
    """Build a landscape by name, e.g. ``get("quadratic", condition_number=50, angle=30)``."""
    if not isinstance(name, str) or name not in _REGISTRY:
        raise ValueError(f"Unknown landscape {name!r}; choose one of: {', '.join(_REGISTRY)}.")
    return _REGISTRY[name](**params)
