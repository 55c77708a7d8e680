"""Exercises of chapter 5, Optimization: learning rates, losses, optimizers, noise, priors.

Five of the ten are code: the reader writes a derivative, Adam's update, a schedule, and runs two
experiments with mathdl (momentum on a narrow valley, a learning-rate range test on the digits
network). The references run mathdl itself, so a reader's Adam is compared with md.optim.Adam.
"""

import numpy as np

from .. import data, landscapes, nn, optim
from ..tensor import Tensor, tensor
from . import Exercise, choice, code, numeric, symbolic

descent_on_a_bowl = Exercise(
    "Gradient descent on f(x, y) = 3x² + y²/2 with learning rate η = 0.3, from the start (1, 1). "
    "What does the iterate do?",
    check=choice(
        ["It converges, sliding smoothly to the minimum in both coordinates.",
         "It converges, with x changing sign at every step while y shrinks smoothly.",
         "It diverges along x, because 0.3 is above 1/L = 1/6.",
         "It diverges along y."],
        answer="b",
        why={"a": "Along x the curvature is 6, so each step multiplies x by 1 - 6·0.3 = -0.8: "
                  "x changes sign every step.",
             "b": "Yes: x is multiplied by 1 - 6·0.3 = -0.8 (a shrinking zig-zag) and y by "
                  "1 - 0.3 = 0.7 (a smooth slide).",
             "c": "Above 1/L the factor 1 - ηL is negative, but |-0.8| < 1: the zig-zag "
                  "shrinks. Divergence needs η > 2/L = 1/3.",
             "d": "Along y the curvature is 1 and the factor 1 - 0.3 = 0.7: y shrinks smoothly."}),
    hint="The Hessian is $\\mathrm{diag}(6, 1)$. Along each axis a step multiplies the "
         "coordinate by $1 - \\eta\\lambda$: compute both factors, and look at their signs "
         "and sizes.",
    solution="The factors are $1 - 6 \\cdot 0.3 = -0.8$ along $x$ and $1 - 0.3 = 0.7$ along $y$: "
             "both have size below 1, so it converges, zig-zagging across the $y$-axis (b). The "
             "ceiling is $2/L = 1/3$; at $1/L = 1/6$ the $x$ error would vanish in one step.",
)

logistic_gradient = Exercise(
    "A negative example (label y = -1) with score s has margin m = -s and logistic loss "
    "log(1 + exp(-m)) = log(1 + exp(s)). What is its derivative with respect to the score s? "
    "Answer with a formula in s, as a string.",
    check=symbolic("1/(1 + exp(-s))", variables="s", mistakes={
        "-1/(1 + exp(s))": "That is the derivative for a positive example, -σ(-s); here the "
                           "label is -1.",
        "-sigmoid(s)": "For a negative example the loss grows with the score, so its derivative "
                       "is positive.",
        "exp(s)": "The chain rule's outer link is d/du log u = 1/u: divide by 1 + e^s.",
        "1/(1 + exp(s))": "That is σ(-s) = 1 - σ(s); the top of the fraction is e^s, the "
                          "derivative of 1 + e^s.",
    }),
    hint="Chain rule with $u = 1 + e^{s}$: $\\frac{d}{ds}\\log u = \\frac{1}{u}\\,\\frac{du}{ds}$. "
         "Then divide top and bottom by $e^{s}$.",
    solution="$\\frac{d}{ds}\\log(1 + e^{s}) = \\frac{e^{s}}{1 + e^{s}} = \\sigma(s)$: the "
             "predicted probability of the positive class, `'sigmoid(s)'`. Training pushes the "
             "score down with a force equal to how much probability it wrongly gives to +1.",
)


def _squared_hinge_grad(m):
    return -2.0 * np.maximum(0.0, 1.0 - np.asarray(m, dtype=np.float64))


squared_hinge_derivative = Exercise(
    "Write squared_hinge_grad(m) that returns the derivative of the squared hinge loss "
    "max(0, 1 - m)**2 with respect to the margin m, for a numpy array of margins.",
    check=code(_squared_hinge_grad, [np.array([-2.0, 0.5, 3.0]),
                                     np.array([1.5, 0.99, -0.01, 10.0]),
                                     np.array([[0.0, 2.0], [1.2, -5.0]])], mistakes=[
        (lambda m: 2 * np.maximum(0, 1 - m), "The inner derivative, of 1 - m, is -1: the sign "
                                             "flips."),
        (lambda m: -np.maximum(0, 1 - m), "Differentiating u² gives 2u: the factor 2 is "
                                          "missing."),
        (lambda m: np.where(m < 1, -1.0, 0.0), "That is the plain hinge's derivative; the "
                                               "square adds the factor 2(1 - m)."),
    ]),
    hint="Chain rule: the outer function is $u^2$ with $u = \\max(0, 1 - m)$, and $du/dm$ is $-1$ "
         "below margin 1 and $0$ above it. `np.maximum` avoids a loop.",
    solution="`def squared_hinge_grad(m): return -2 * np.maximum(0, 1 - m)`. Unlike the plain "
             "hinge, the pull fades smoothly to zero as the margin reaches 1.",
)


classify_critical_point = Exercise(
    "At a critical point of a loss of three weights the Hessian has eigenvalues 4, 0 and 0.5. "
    "What can you say about the point?",
    check=choice(
        ["It is a minimum.", "It is a maximum.", "It is a saddle point.",
         "The eigenvalue test cannot decide."],
        answer="d",
        why={"a": "Two directions curve up, but along the zero eigenvalue's direction the second "
                  "derivative says nothing: x² + y⁴ (a minimum) and x² - y⁴ (a saddle) both have "
                  "the Hessian diag(2, 0) at the origin.",
             "b": "A maximum needs every eigenvalue ≤ 0 and some curving down; here two are "
                  "positive.",
             "c": "A saddle needs one direction curving down, a negative eigenvalue; here none "
                  "is negative.",
             "d": "Yes: the nonzero eigenvalues share one sign and one is zero, so higher "
                  "derivatives along that direction decide. With a negative one as well, it "
                  "would be a saddle whatever the zero says."}),
    hint="List what each verdict needs: all eigenvalues positive; all negative; one of each "
         "sign. Which of these do 4, 0 and 0.5 meet?",
    solution="(d). No eigenvalue is negative, so it is not a saddle; one is zero, so it is not "
             "certainly a minimum either: along that direction the loss may rise (like $y^4$), "
             "fall (like $-y^4$) or do both (like $y^3$).",
)


def _valley_loss(mu):
    valley = landscapes.quadratic(condition_number=50, angle=30)
    p = tensor([-1.8, -0.4], requires_grad=True)
    opt = optim.SGD([p], lr=0.9, momentum=mu)
    for _ in range(60):
        opt.zero_grad()
        valley(p).backward()
        opt.step()
    return float(valley(p.data))


def _valley_loss_nesterov(mu):
    valley = landscapes.quadratic(condition_number=50, angle=30)
    p = tensor([-1.8, -0.4], requires_grad=True)
    opt = optim.SGD([p], lr=0.9, momentum=mu, nesterov=mu > 0)
    for _ in range(60):
        opt.zero_grad()
        valley(p).backward()
        opt.step()
    return float(valley(p.data))


def _valley_loss_demo_start(mu):
    valley = landscapes.quadratic(condition_number=50, angle=30)
    p = tensor(valley.start, requires_grad=True)
    opt = optim.SGD([p], lr=0.9, momentum=mu)
    for _ in range(60):
        opt.zero_grad()
        valley(p).backward()
        opt.step()
    return float(valley(p.data))


momentum_on_the_valley = Exercise(
    "The narrow valley of section 5.5: md.landscapes.quadratic(condition_number=50, angle=30). "
    "Write valley_loss(mu) that starts at (-1.8, -0.4), takes 60 steps of md.optim.SGD with "
    "lr=0.9 and momentum=mu, and returns the loss at the end. Then find which μ of 0, 0.5, "
    "0.75, 0.9, 0.99 ends lowest.",
    check=code(_valley_loss, [0.0, 0.5, 0.75, 0.9, 0.99], rtol=1e-6, atol=1e-15, mistakes=[
        (_valley_loss_nesterov, "That is Nesterov momentum (nesterov=True); the exercise asks "
                                "for plain momentum."),
        (_valley_loss_demo_start, "Start at (-1.8, -0.4), as in section 5.5, not at the "
                                  "landscape's own demo start."),
    ]),
    hint="Section 5.2's `descend(land, name, steps, start=..., **hyper)` does the loop: "
         "`valley(descend(valley, \"momentum\", 60, start=(-1.8, -0.4), lr=0.9, "
         "momentum=mu)[-1])`.",
    solution="With `descend` from section 5.2: `def valley_loss(mu): return valley(descend("
             "valley, \"momentum\", 60, start=(-1.8, -0.4), lr=0.9, momentum=mu)[-1])`. The "
             "losses are about 3.5e-3 (μ = 0, gradient descent), 3.4e-4, **7.5e-8 (μ = 0.75)**, "
             "2.3e-5 and 0.1: the book's μ = 0.9 is three hundred times worse than 0.75 here, "
             "and 0.99 swings for the whole run. The best momentum depends on the problem "
             "(section 5.8 gives the formula for a tuned learning rate).",
)


def _adam(theta, grads, lr):
    p = Tensor(np.array(theta, dtype=np.float64), requires_grad=True)
    opt = optim.Adam([p], lr=lr)
    path = [p.data.copy()]
    for g in grads:
        p.grad = np.array(g, dtype=np.float64)   # the gradient backward() would leave
        opt.step()
        path.append(p.data.copy())
    return np.array(path)


def _adam_by(correct_m=True, correct_v=True, eps_inside=False):
    """A wrong Adam, for the checker's mistakes (the right one is md.optim.Adam itself)."""
    def adam(theta, grads, lr, b1=0.9, b2=0.999, eps=1e-8):
        theta = np.array(theta, dtype=np.float64)
        m, v, path = np.zeros_like(theta), np.zeros_like(theta), [theta.copy()]
        for t, g in enumerate(grads, start=1):
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            m_hat = m / (1 - b1**t) if correct_m else m
            v_hat = v / (1 - b2**t) if correct_v else v
            scale = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
            theta = theta - lr * m_hat / scale
            path.append(theta.copy())
        return np.array(path)
    return adam


_rng = np.random.default_rng(5)
_ADAM_INPUTS = [
    (np.array([1.0, -2.0]), _rng.normal(size=(5, 2)) * [1.0, 30.0], 0.1),
    (np.array([0.5]), np.full((4, 1), 3.0), 0.01),
    (np.zeros(3), np.array([[1e-9, 2.0, -5e-10], [3e-9, -1.0, 1e-9], [2e-9, 0.5, 0.0]]), 0.05),
    (np.array([2.0, 0.0]), _rng.normal(size=(40, 2)) + [0.3, -0.1], 0.02),
]

adam_update = Exercise(
    "Write adam(theta, grads, lr): Adam with betas (0.9, 0.999) and ε = 1e-8, from the numpy "
    "array theta, fed the gradients grads[0], grads[1], … (one row per step) as if backward() "
    "had produced them. Return every iterate, starting with theta, as an array with one row "
    "per step plus one. It must match md.optim.Adam to rounding error.",
    check=code(_adam, _ADAM_INPUTS, rtol=1e-9, atol=1e-12, mistakes=[
        (_adam_by(correct_m=False, correct_v=False), "Your steps miss the bias correction: "
         "divide m by 1 - β₁ᵗ and v by 1 - β₂ᵗ, with t = 1 at the first step."),
        (_adam_by(correct_v=False), "m is bias-corrected but v is not: divide v by 1 - β₂ᵗ too."),
        (_adam_by(correct_m=False), "v is bias-corrected but m is not: divide m by 1 - β₁ᵗ too."),
        (_adam_by(eps_inside=True), "ε goes outside the square root: m̂ / (√v̂ + ε). It shows "
                                    "when a gradient is tiny."),
    ]),
    hint="Keep two arrays m and v of zeros, and count steps from t = 1. Each step: "
         "$m \\leftarrow \\beta_1 m + (1-\\beta_1) g$, "
         "$v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2$, "
         "$\\hat m = m/(1-\\beta_1^t)$, $\\hat v = v/(1-\\beta_2^t)$, "
         "$\\theta \\leftarrow \\theta - \\eta\\,\\hat m/(\\sqrt{\\hat v} + \\varepsilon)$; "
         "append a copy of θ.",
    solution="```python\n"
             "def adam(theta, grads, lr, b1=0.9, b2=0.999, eps=1e-8):\n"
             "    m, v, path = np.zeros_like(theta), np.zeros_like(theta), [theta.copy()]\n"
             "    for t, g in enumerate(grads, start=1):\n"
             "        m = b1 * m + (1 - b1) * g\n"
             "        v = b2 * v + (1 - b2) * g * g\n"
             "        theta = theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)\n"
             "        path.append(theta.copy())\n"
             "    return np.array(path)\n"
             "```\n"
             "Compare `mathdl/optim.py`'s `Adam.update`: the same lines, updating in place.",
)


def _warmup_cosine(t, W, T):
    t, W, T = float(t), float(W), float(T)
    if t < W:
        return (t + 1) / W
    return 0.5 * (1 + np.cos(np.pi * (t - W) / (T - W)))


warmup_cosine = Exercise(
    "Write warmup_cosine(t, W, T), the learning-rate factor at step t (t = 0, 1, ..., T) of a "
    "linear warm-up over W steps, (t + 1)/W for t < W, followed by a cosine decay from 1 to 0 "
    "over the remaining T - W steps. t, W and T are whole numbers.",
    check=code(_warmup_cosine, [(0, 10, 100), (4, 10, 100), (9, 10, 100), (10, 10, 100),
                                (55, 10, 100), (100, 10, 100), (3, 1, 7)], mistakes=[
        (lambda t, W, T: (t + 1) / W if t < W else 0.5 * (1 + np.cos(np.pi * t / T)),
         "After the warm-up, restart the cosine's clock: use s = t - W over T - W steps."),
        (lambda t, W, T: t / W if t < W else 0.5 * (1 + np.cos(np.pi * (t - W) / (T - W))),
         "The warm-up factor at step t is (t + 1)/W, so that step 0 already moves a little."),
        (lambda t, W, T: (t + 1) / W if t < W else 0.5 * (1 - np.cos(np.pi * (t - W) / (T - W))),
         "The cosine decay starts at 1: it is (1 + cos)/2, not (1 - cos)/2."),
    ]),
    hint="After the warm-up, start the cosine's own clock at zero: $s = t - W$ runs from 0 to "
         "$T - W$, and the cosine factor is $\\tfrac12(1 + \\cos(\\pi s / (T - W)))$.",
    solution="`def warmup_cosine(t, W, T): return (t + 1) / W if t < W else 0.5 * (1 + "
             "np.cos(np.pi * (t - W) / (T - W)))` (the same as `md.schedules.linear_warmup(W, "
             "then=md.schedules.cosine(T - W))`).",
)

def _digits_train():
    """The training images of chapter 5 (section 5.4's split), recomputed the same way."""
    X, y = data.load_digits()
    rest, _ = data.split_indices(len(X), test_fraction=0.2, seed=0)
    fit, _ = data.split_indices(len(rest), test_fraction=0.2, seed=1)
    return X[rest[fit]] / 16, y[rest[fit]]


def _range_test(name="adam"):
    X, y = _digits_train()
    net = nn.MLP([64, 32, 10], activation="relu", seed=0)
    opt = optim.get(name, net.parameters(), lr=1e-4)
    best = np.inf
    for k in range(100):
        opt.lr = 1e-4 * 10 ** (5 * k / 99)
        idx = (64 * k + np.arange(64)) % len(X)
        loss = nn.cross_entropy(net(tensor(X[idx])), y[idx])
        if not loss.item() <= 4 * best:
            return opt.lr / 10
        best = min(best, loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return None


learning_rate_range_test = Exercise(
    "A learning-rate range test on the digits network. Write range_test() that trains a fresh "
    "md.nn.MLP([64, 32, 10], activation=\"relu\", seed=0) with md.optim.Adam for up to 100 "
    "steps; at step k = 0, 1, … it sets the learning rate to 1e-4 · 10^(5k/99) (from 1e-4 up to "
    "10), computes the cross-entropy on the training images X_train[(64k + np.arange(64)) % N], "
    "and stops as soon as that loss exceeds 4 times the smallest loss of the earlier steps. "
    "Return a tenth of the learning rate at which it stopped: the range test's suggestion.",
    check=code(_range_test, rtol=0.6, mistakes=[   # rtol: a reader's loop may differ a little
        (lambda: _range_test("sgd"), "That looks like plain SGD's range test; the exercise asks "
                                     "for Adam."),
    ]),
    hint="Each step: set `opt.lr`, compute the loss on the batch, compare `loss.item()` with "
         "`4 * best` (return `opt.lr / 10` if it is larger), update `best`, then "
         "`opt.zero_grad(); loss.backward(); opt.step()`. Start with `best = np.inf`.",
    solution="The loss blows up at about $\\eta = 0.12$ (step 61), so the test suggests "
             "$\\eta \\approx 0.012$; other seeds give 0.01 to 0.03. The validation grid of "
             "section 5.9 chose 0.03 for Adam: one short run lands in the right range, for a "
             "fraction of the grid's cost. (Plain SGD's test suggests about 0.35, where the "
             "grid's choice was 1.0: a range test gives a starting point, not the optimum.)",
)

gaussian_prior_lambda = Exercise(
    "Training minimises the *mean* negative log-likelihood over n examples plus (λ/2)‖θ‖². "
    "Which λ makes this the MAP estimate under a Gaussian prior N(0, σ²) on every weight? "
    "Answer with a formula in sigma and n, as a string.",
    check=symbolic("1/(n*sigma**2)", variables="sigma n", mistakes={
        "1/sigma**2": "That is the decay for the summed loss; dividing the objective by n "
                      "divides λ by n too.",
        "1/(2*n*sigma**2)": "The λ/2 already holds the 1/2: (λ/2)‖θ‖² = ‖θ‖²/(2nσ²) gives "
                            "λ = 1/(nσ²).",
        "n/sigma**2": "Dividing the objective by n divides λ by n; it does not multiply it.",
    }),
    hint="MAP minimises the *sum* of the negative log-likelihoods plus $-\\log p(\\theta)$. "
         "Divide that whole objective by $n$ (which does not move its minimum) and compare.",
    solution="MAP minimises $\\sum_i \\text{NLL}_i + \\|\\theta\\|^2/(2\\sigma^2)$. Dividing by "
             "$n$ gives the mean NLL $+\\,\\|\\theta\\|^2/(2n\\sigma^2)$, so "
             "$\\lambda = 1/(n\\sigma^2)$: with more data the same prior means weaker decay.",
)


l1_exact_zeros = Exercise(
    "Rerun section 5.7's proximal (ISTA) experiment, the same data, η = 0.05 and 300 steps, but "
    "with λ = 0.05 instead of 0.3. How many of the 12 weights end exactly zero?",
    check=numeric(7, rtol=0, atol=0, mistakes=[   # tests/test_chapter5.py reruns it
        (9, "9 is what λ = 0.3 gives; with a six times smaller penalty, fewer weights are "
            "pushed all the way to zero. Run it."),
        (0, "No exact zeros is what the subgradient method gives; the proximal step (soft "
            "thresholding after each gradient step) sets weights to exactly 0."),
        (12, "All twelve at zero would mean the penalty beats even the true features; at "
             "λ = 0.05 it is far too weak for that."),
    ]),
    hint="Copy the experiment's cell, keep only the proximal method, set `lam = 0.05`, and count "
         "`np.sum(w.numpy() == 0)` at the end.",
    solution="**7**: at λ = 0.05 two of the nine useless features keep small nonzero weights "
             "(about 0.03 and -0.02); from λ ≈ 0.1 up, all nine are exactly zero, and only above "
             "λ ≈ 1 does the penalty start zeroing a true feature too. λ trades sparsity "
             "against fit.",
)

EXERCISES = ["descent_on_a_bowl", "logistic_gradient", "squared_hinge_derivative",
             "classify_critical_point", "momentum_on_the_valley", "adam_update",
             "warmup_cosine", "learning_rate_range_test", "gaussian_prior_lambda",
             "l1_exact_zeros"]
