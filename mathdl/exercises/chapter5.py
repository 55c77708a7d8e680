"""Exercises of chapter 5, Optimization: learning rates, losses, optimizers, noise, priors."""

import numpy as np

from . import Exercise, code, numeric, symbolic

learning_rate_ceiling = Exercise(
    "Gradient descent on f(x, y) = 3x² + y²/2. What is the largest learning rate for which it "
    "converges from every start?",
    check=numeric(1 / 3, rtol=2e-3, mistakes=[  # 0.333 is fine
        (1 / 6, "1/6 = 1/L is where the steep direction is solved in one step; gradient descent "
                "still converges (with a zig-zag) up to twice that."),
        (2.0, "2 = 2/μ is the ceiling of the flat direction; the steep direction diverges long "
              "before that. The smallest ceiling wins."),
        (2 / 3, "The curvature along x is 6, the second derivative of 3x², not the "
                "coefficient 3."),
    ]),
    hint="The Hessian is constant, $\\mathrm{diag}(6, 1)$. Along an eigenvector with eigenvalue "
         "$\\lambda$ a step multiplies the coordinate by $1 - \\eta\\lambda$, which must stay "
         "inside $(-1, 1)$.",
    solution="The Hessian is $\\mathrm{diag}(6, 1)$, so $L = 6$ and gradient descent converges "
             "exactly for $0 < \\eta < 2/L = 1/3$.",
)

optimal_learning_rate = Exercise(
    "For the same f = 3x² + y²/2, which fixed learning rate makes the worst per-step contraction "
    "factor max(|1 - 6η|, |1 - η|) smallest, and what is that factor? "
    "Answer [learning_rate, factor].",
    check=numeric([2 / 7, 5 / 7], rtol=2e-3, mistakes=[  # [0.286, 0.714] is fine
        ([1 / 6, 5 / 6], "η = 1/L removes the steep error in one step, but the flat direction then "
                         "shrinks by only 5/6. A longer step trades a little zig-zag for speed."),
        ([5 / 7, 2 / 7], "Right numbers, in the wrong order: [learning_rate, factor]."),
        ([1 / 3, 1.0], "At the ceiling η = 1/3 the steep direction no longer shrinks (factor 1); "
                       "the best rate lies below it."),
    ]),
    hint="The worst factor is smallest when the steep and the flat factor have equal size and "
         "opposite sign: $1 - \\eta \\cdot 1 = -(1 - \\eta \\cdot 6)$.",
    solution="Solve $1 - \\eta\\mu = -(1 - \\eta L)$: $\\eta = 2/(\\mu + L) = 2/7 \\approx 0.286$, "
             "and the factor is $(\\kappa - 1)/(\\kappa + 1) = 5/7 \\approx 0.714$ with "
             "$\\kappa = 6$.",
)

steps_for_condition_number = Exercise(
    "Gradient descent with η = 1/L on a quadratic with condition number κ = 100 multiplies the "
    "error along the flattest direction by 1 - 1/κ per step. After how many steps is that error "
    "below 10⁻⁶ of its start?",
    check=numeric(1375, rtol=0, atol=0, mistakes=[
        (1374, "After 1374 steps the factor 0.99¹³⁷⁴ is still just above 10⁻⁶: round up."),
        (lambda k: 1381 <= k <= 1382, "κ·ln(10⁶) ≈ 1381.6 is the usual estimate (from "
                                      "ln(1 - 1/κ) ≈ -1/κ); the exact count is a little smaller."),
        (lambda k: 1374 < k < 1375, "A number of steps is a whole number: after 1374 steps "
                                    "the error is still above 10⁻⁶, so round up."),
        (lambda k: k % 1 != 0, "A number of steps is a whole number: round your answer."),
        (600, "The estimate uses the natural logarithm: κ·ln(10⁶) ≈ 1382, not κ·log₁₀(10⁶) "
              "= 600."),
    ]),
    hint="You need the smallest whole $k$ with $0.99^k < 10^{-6}$; take logarithms of both "
         "sides (careful: $\\ln 0.99$ is negative, which flips the inequality).",
    solution="$k > \\ln(10^{-6}) / \\ln(0.99) = 1374.6$, so $k = 1375$ steps. (Roughly "
             "$\\kappa \\ln 10^6 \\approx 1382$: gradient descent needs a number of steps "
             "proportional to the condition number.)",
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

momentum_two_steps = Exercise(
    "Minimise f(x) = x² from x₀ = 1 with momentum: v ← μv + f'(x), x ← x - ηv, with η = 0.1, "
    "μ = 0.9 and v starting at 0. What is x₂ (after two steps)?",
    check=numeric(0.46, rtol=1e-6, mistakes=[
        (0.64, "0.64 is what plain gradient descent gives. With momentum the second step also "
               "carries 0.9 times the first step's velocity."),
        (0.8, "0.8 is x₁, after one step; take one more."),
        (0.42, "The second gradient is f′(x₁) = 1.6, at the new point, not f′(x₀) = 2."),
    ]),
    hint="Step 1: $g = f'(1) = 2$, $v = 2$, $x_1 = 1 - 0.1 \\cdot 2$. Step 2: $g = f'(x_1)$, "
         "$v = 0.9 \\cdot 2 + g$, $x_2 = x_1 - 0.1\\, v$.",
    solution="$v_1 = 2$, $x_1 = 0.8$; $g_1 = 1.6$, $v_2 = 0.9 \\cdot 2 + 1.6 = 3.4$, "
             "$x_2 = 0.8 - 0.34 = 0.46$. Plain gradient descent would be at $0.64$.",
)

adam_first_step = Exercise(
    "A weight θ = 5 has gradient g = 250 at the first step of Adam with η = 0.01 (betas "
    "(0.9, 0.999), ε = 1e-8). What is θ after that step?",
    check=numeric(5 - 0.01 * 250 / (250 + 1e-8), rtol=1e-7, mistakes=[
        (2.5, "2.5 = 5 - 0.01·250 is a plain gradient step. Adam divides the (bias-corrected) "
              "mean by the root of the (bias-corrected) mean square."),
        (5 - 0.01 * 25 / (np.sqrt(62.5) + 1e-8), "That used m and v without the bias "
         "correction: at step 1 divide m by 1 - β₁ and v by 1 - β₂."),
        (5.01, "Adam, like gradient descent, steps against the gradient: subtract."),
    ]),
    hint="At $t = 1$: $m = (1-\\beta_1)g$ and $v = (1-\\beta_2)g^2$, so the bias-corrected "
         "$\\hat m = g$ and $\\hat v = g^2$.",
    solution="$\\hat m = g$, $\\hat v = g^2$, so the step is $\\eta\\, g/(|g| + \\varepsilon) "
             "\\approx \\eta$: $\\theta = 5 - 0.01 = 4.99$. For $g = 0.003$ the step is also "
             "almost exactly $0.01$: Adam's first step has size $\\eta$ whatever the size of "
             "the gradient.",
)

batch_noise = Exercise(
    "With batches of 16, the mini-batch gradient's deviation from the full gradient has "
    "root-mean-square size 0.8 (the data set is huge). Which batch size brings it down to 0.1?",
    check=numeric(1024, rtol=1e-6, mistakes=[
        (128, "128 is 8 times 16, the factor by which the size must shrink. But the size only "
              "falls like 1/sqrt(B): the batch must grow by the square of that factor."),
        (2, "Larger batches average more examples, so the noise gets smaller, not larger: "
            "the batch must grow."),
        (64, "64 = 8² is the factor by which the batch must grow; the batch itself is 16·64."),
    ]),
    hint="The variance of an average of $B$ independent terms is $\\sigma^2/B$, so the "
         "root-mean-square size is proportional to $1/\\sqrt B$.",
    solution="The size must shrink by a factor $8$, so $B$ must grow by $8^2 = 64$: "
             "$B = 16 \\cdot 64 = 1024$. Noise is expensive to remove by brute force.",
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

classify_critical_point = Exercise(
    "f(x, y) = x³ - 3x + y² has critical points at (1, 0) and (-1, 0). Give the two eigenvalues "
    "of the Hessian at (-1, 0), smallest first.",
    check=numeric([-6.0, 2.0], mistakes=[
        ([2.0, -6.0], "Right numbers, please list the smallest first."),
        ([2.0, 6.0], "Those are the eigenvalues at (1, 0), a minimum. At x = -1 the entry 6x "
                     "changes sign."),
        ([6.0, 2.0], "Those are the eigenvalues at (1, 0), a minimum. At x = -1 the entry 6x "
                     "changes sign."),
    ]),
    hint="The Hessian is $\\begin{pmatrix} f_{xx} & f_{xy} \\\\ f_{yx} & f_{yy} \\end{pmatrix} "
         "= \\begin{pmatrix} 6x & 0 \\\\ 0 & 2 \\end{pmatrix}$. Evaluate it at $x = -1$.",
    solution="The Hessian at $(-1, 0)$ is $\\mathrm{diag}(-6, 2)$: eigenvalues $-6$ and $2$, one "
             "negative and one positive, so $(-1, 0)$ is a **saddle point**; $(1, 0)$, with "
             "$\\mathrm{diag}(6, 2)$, is a minimum.",
)

EXERCISES = ["learning_rate_ceiling", "optimal_learning_rate", "steps_for_condition_number",
             "logistic_gradient", "squared_hinge_derivative", "momentum_two_steps",
             "adam_first_step", "batch_noise", "warmup_cosine", "gaussian_prior_lambda",
             "classify_critical_point"]
