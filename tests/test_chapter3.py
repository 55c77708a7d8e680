"""Chapter 3's claims, re-checked through the package, and every exercise's answer key derived a
second way (simulation, SymPy, mathdl autodiff), so that a change in mathdl that breaks the
chapter, or a wrong key, fails here too."""

import math

import numpy as np
import pytest
import sympy as sp

import mathdl as md
from mathdl.distributions import Bernoulli, Beta, Categorical, Laplace, Normal, Uniform

ex = md.exercises.chapter3


def grad_of(loss, wrt):
    wrt.grad = None
    loss.backward()
    return wrt.grad.copy()


# ---------------------------------------------------------------- the chapter's claims

def test_standard_losses_are_negative_log_likelihoods():
    rng = np.random.default_rng(1)
    pred, target = md.tensor(rng.normal(size=7), requires_grad=True), rng.normal(size=7)
    sigma, b = 0.6, 0.4
    mse, nll = md.nn.mse_loss(pred, target), -Normal(pred, sigma).log_prob(target).mean()
    assert np.isclose(nll.item(), mse.item() / (2 * sigma**2) + math.log(sigma)
                      + 0.5 * math.log(2 * math.pi))
    assert np.allclose(grad_of(nll, pred), grad_of(mse, pred) / (2 * sigma**2))
    mae, lap = md.nn.mae_loss(pred, target), -Laplace(pred, b).log_prob(target).mean()
    assert np.isclose(lap.item(), mae.item() / b + math.log(2 * b))
    logits = md.tensor(rng.normal(size=(5, 3)), requires_grad=True)
    labels = np.array([0, 2, 1, 1, 0])
    ce = md.nn.cross_entropy(logits, labels)
    cat = -Categorical(logits=logits).log_prob(labels).mean()
    assert np.isclose(ce.item(), cat.item())
    assert np.allclose(grad_of(ce, logits), grad_of(cat, logits))
    z, y = md.tensor(rng.normal(size=6), requires_grad=True), np.array([0, 1, 1, 0, 1, 0.0])
    bce = md.nn.binary_cross_entropy_with_logits(z, y)
    bern = -Bernoulli(logits=z).log_prob(y).mean()
    assert np.isclose(bce.item(), bern.item()) and np.allclose(grad_of(bce, z), grad_of(bern, z))


@pytest.mark.parametrize("w_ml", [-3.0, -0.6, 0.0, 0.4, 2.5])
def test_map_under_gaussian_and_laplace_priors_shrinks_and_soft_thresholds(w_ml):
    s, tau, beta = 0.8, 1.2, 0.5
    grid = np.linspace(-5, 5, 100_001)

    def argmin(prior):
        return grid[np.argmin(-(Normal(w_ml, s).log_prob(grid) + prior.log_prob(grid)).numpy())]

    assert abs(argmin(Normal(0.0, tau)) - tau**2 / (tau**2 + s**2) * w_ml) < 1e-4
    soft = math.copysign(max(abs(w_ml) - s**2 / beta, 0.0), w_ml)
    assert abs(argmin(Laplace(0.0, beta)) - soft) < 1e-4


def test_beta_bernoulli_conjugacy():
    theta = np.linspace(1e-4, 1 - 1e-4, 20_001)
    h, t = 13, 4
    post = Beta(3.0, 2.0).log_prob(theta).exp().numpy() * theta**h * (1 - theta) ** t
    post /= np.trapezoid(post, theta)
    assert np.allclose(post, Beta(3.0 + h, 2.0 + t).log_prob(theta).exp().numpy(), atol=1e-4)


def test_batch_norm_train_eval_and_tiny_batches():
    rng = np.random.default_rng(2)
    bn = md.nn.BatchNorm1d(2)
    x = rng.normal([3.0, -1.0], [2.0, 0.5], size=(16, 2))
    out = bn(md.tensor(x)).numpy()
    assert np.allclose(out.mean(0), 0) and np.allclose(out.var(0), x.var(0) / (x.var(0) + 1e-5))
    assert np.allclose(bn.running_var, 0.9 + 0.1 * x.var(0, ddof=1))
    pair = bn(md.tensor(x[:2])).numpy()
    assert np.allclose(np.abs(pair), 1, atol=1e-3) and np.allclose(pair[0], -pair[1])
    with pytest.raises(ValueError, match="at least 2 samples"):
        bn(md.tensor(x[:1]))
    bn.eval()
    assert np.allclose(bn(md.tensor(x[:1])).numpy(), bn(md.tensor(x)).numpy()[:1])


def relu_variances(var_w, width=100, depth=12, seed=0):
    rng = np.random.default_rng(seed)
    h, out = md.tensor(rng.standard_normal((300, width))), []
    with md.no_grad():
        for _ in range(depth):
            layer = md.nn.Linear(width, width, seed=rng)
            layer.weight.data[...] = rng.normal(0, math.sqrt(var_w), (width, width))
            z = layer(h)
            out.append(z.numpy().var())
            h = z.relu()
    return np.array(out)


def test_he_initialisation_keeps_the_variance_and_naive_ones_do_not():
    he = np.mean([relu_variances(2 / 100, seed=s) for s in range(4)], axis=0)
    assert np.all(np.abs(np.log(he / he[0])) < np.log(1.6))
    naive = relu_variances(1.0)
    assert np.allclose(np.log(naive[1:] / naive[:-1]), math.log(50), atol=0.3)
    he_default = md.nn.Linear(400, 300, seed=0).weight.numpy()
    assert abs(he_default.var() - 2 / 400) < 0.03 * 2 / 400


def test_central_limit_theorem_and_gradient_noise_scaling():
    rng = np.random.default_rng(3)
    for n in (4, 25):
        means = rng.exponential(2.0, size=(40_000, n)).mean(axis=1)
        assert abs(means.std() / (2.0 / math.sqrt(n)) - 1) < 0.02


def test_reparameterisation_gradient_matches_the_closed_form():
    mu, sigma = md.tensor(-0.5, requires_grad=True), md.tensor(1.3, requires_grad=True)
    eps = Normal(0.0, 1.0).sample(400_000, rng=4)
    z = mu + sigma * eps
    (-(z * z) / 2).exp().mean().backward()
    v = 1 + 1.3**2
    e = math.exp(-0.25 / (2 * v)) / math.sqrt(v)
    assert abs(mu.grad.item() - (0.5 / v) * e) < 3e-3
    assert abs(sigma.grad.item() - 1.3 * (0.25 - v) / v**2 * e) < 3e-3


# ---------------------------------------------------------------- the exercises' answer keys

def simulate_posterior(prior, sens, spec, n=2_000_000, seed=0):
    rng = np.random.default_rng(seed)
    sick = rng.random(n) < prior
    positive = np.where(sick, rng.random(n) < sens, rng.random(n) > spec)
    return sick[positive].mean()


def test_key_rare_condition_and_second_opinion():
    assert abs(simulate_posterior(0.01, 0.9, 0.95) - 0.154) < 0.01      # "about 15 %"
    assert ex.rare_condition.check("c")
    assert ex.second_opinion.check(round(simulate_posterior(0.02, 0.95, 0.90), 2))   # 0.16


def test_key_densities_and_the_coin():
    assert ex.density_height.check(Uniform(2.0, 2.25).log_prob(2.1).exp().item())
    theta = np.linspace(0, 1, 200_001)
    post = theta ** (2 - 1 + 7) * (1 - theta) ** (2 - 1 + 3)
    mean = np.trapezoid(theta * post, theta) / np.trapezoid(post, theta)
    assert ex.coin_posterior_mean.check(mean)


def test_key_gaussian_nll_is_minus_log_prob():
    feedback = ex.gaussian_nll.check(lambda y, mu, sigma: -Normal(mu, sigma).log_prob(y).numpy())
    assert feedback, feedback


def test_key_log_sigma_gradient_by_sympy_and_autodiff():
    y, mu, s = sp.symbols("y mu s", real=True)
    sigma = sp.exp(s)
    nll = -sp.log(sp.exp(-(y - mu) ** 2 / (2 * sigma**2)) / (sigma * sp.sqrt(2 * sp.pi)))
    derivative = sp.diff(nll, s)
    assert ex.log_sigma_gradient.check(derivative)
    for yv, mv, sv in [(0.7, -0.2, 0.3), (-1.5, 0.4, -0.8)]:
        log_sigma = md.tensor(sv, requires_grad=True)
        (-Normal(mv, log_sigma.exp()).log_prob(yv)).backward()
        assert np.isclose(float(derivative.subs({y: yv, mu: mv, s: sv})), log_sigma.grad.item())


def test_key_map_mean_by_autodiff():
    def by_descent(x, sigma, tau):             # minimise the negative log posterior with mathdl
        mu = md.tensor(0.0, requires_grad=True)
        opt = md.optim.SGD([mu], lr=0.5 / (len(x) / sigma**2 + 1 / tau**2))
        for _ in range(200):
            opt.zero_grad()
            (-(Normal(mu, sigma).log_prob(x).sum() + Normal(0.0, tau).log_prob(mu))).backward()
            opt.step()
        return mu.item()
    feedback = ex.map_mean.check(by_descent)
    assert feedback, feedback


def test_key_batchnorm_train_is_md_batchnorm():
    assert ex.batchnorm_train.check(lambda x, eps=1e-5: md.nn.BatchNorm1d(x.shape[1], eps=eps)(
        md.tensor(x)).numpy())


def test_key_he_std_and_the_depth_experiment():
    # measure the per-layer factor with σ_w² = 1/512, then scale σ_w² to make it 1
    v = np.mean([relu_variances(1 / 512, width=512, depth=6, seed=s) for s in range(3)], axis=0)
    factor = np.exp(np.mean(np.log(v[1:] / v[:-1])))
    assert ex.he_std.check(round(math.sqrt(1 / 512 / factor), 4)), factor
    logs = [np.log2(relu_variances(4 / 200, width=200, depth=10, seed=s)) for s in range(5)]
    measured = np.mean([r[-1] - r[0] for r in logs])
    assert ex.relu_depth.check(measured), measured


def test_key_waiting_times_by_simulation():
    averages = np.random.default_rng(6).exponential(0.5, size=(20_000, 400)).mean(axis=1)
    assert ex.mean_of_waiting_times.check(round(averages.std(), 3))


def test_key_reparam_gradients_by_autodiff():
    def by_backward(mu, sigma, eps):
        m, s = md.tensor(mu, requires_grad=True), md.tensor(sigma, requires_grad=True)
        z = m + s * eps
        ((z - 1) * (z - 1)).mean().backward()
        return [m.grad.item(), s.grad.item()]
    feedback = ex.reparam_gradients.check(by_backward)
    assert feedback, feedback
