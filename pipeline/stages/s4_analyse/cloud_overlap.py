"""Clouds at the scale where they overlap (issue 24 item 5): how many other training clouds
overlap a typical VAE cloud, how much of N(0, I) lies near at least one cloud, and the
aggregate posterior (the mixture of all clouds) on a grid beside N(0, I).

A VAE's posterior q(z | x) = N(μ, diag σ²) is narrow for each image, but 60,000 of them packed
into N(0, I) lie far closer together than their own width; the figure's 1σ ellipses drawn at the
window's scale hide that. These functions measure it. Arrays in, numbers out: no file I/O.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import ndtr


def _check(mu: np.ndarray, sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu, sigma = np.asarray(mu, np.float64), np.asarray(sigma, np.float64)
    if mu.ndim != 2 or mu.shape != sigma.shape:
        raise ValueError(f"mu and sigma must be [N, d] arrays of one shape, got {mu.shape} and {sigma.shape}")
    if (sigma <= 0).any():
        raise ValueError("sigma must be positive (pass exp(0.5 * logvar))")
    return mu, sigma


def overlap_counts(mu: np.ndarray, sigma: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """int [len(idx)]: for each cloud ``idx[k]``, how many *other* clouds' 1σ ellipses overlap its
    own. Two axis-aligned ellipses are taken to overlap when their centres' offset, scaled per
    axis by the sum of the two σ, has length at most 1 (exact for circles; for ellipses it is the
    test of the box-aligned sum of both, close to the exact contact)."""
    mu, sigma = _check(mu, sigma)
    tree = cKDTree(mu)
    reach = sigma.max(1)
    out = np.zeros(len(idx), dtype=np.int64)
    for k, i in enumerate(np.asarray(idx)):
        near = np.asarray(tree.query_ball_point(mu[i], reach[i] + reach.max()), dtype=np.int64)
        near = near[near != i]
        scaled = (mu[near] - mu[i]) / (sigma[near] + sigma[i])
        out[k] = int((np.einsum("nd,nd->n", scaled, scaled) <= 1.0).sum())
    return out


def prior_mass_near_clouds(mu: np.ndarray, sigma: np.ndarray, draws: np.ndarray,
                           k_sigma: float = 2.0, wide_share: float = 0.01) -> float:
    """The share of ``draws`` (points from N(0, I)) that lie within ``k_sigma`` standard deviations
    (Mahalanobis) of at least one cloud: a Monte Carlo estimate of the prior mass the clouds reach.

    The widest clouds (``wide_share`` of them) are checked against every draw directly, the
    rest through a k-d tree whose search radius is set by the widest of the rest, so one broad
    outlier cloud cannot make every search visit all clouds."""
    mu, sigma = _check(mu, sigma)
    z = np.asarray(draws, np.float64)
    width = sigma.max(1)
    n_wide = int(np.ceil(wide_share * len(mu)))
    order = np.argsort(width)
    wide, narrow = order[len(mu) - n_wide:], order[:len(mu) - n_wide]
    hit = np.zeros(len(z), dtype=bool)
    for i in wide:
        hit |= (((z - mu[i]) / sigma[i]) ** 2).sum(1) <= k_sigma ** 2
    if len(narrow):
        tree = cKDTree(mu[narrow])
        radius = k_sigma * width[narrow].max()
        for j in np.flatnonzero(~hit):
            near = narrow[np.asarray(tree.query_ball_point(z[j], radius), dtype=np.int64)]
            if len(near):
                d = (((z[j] - mu[near]) / sigma[near]) ** 2).sum(1)
                hit[j] = bool((d <= k_sigma ** 2).any())
    return float(hit.mean())


def _axis_mass(centre: np.ndarray, scale: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """[N, G]: each 1-D Gaussian's probability mass in each of the G cells between ``edges``."""
    return np.diff(ndtr((edges[None, :] - centre[:, None]) / scale[:, None]), axis=1)


def aggregate_posterior_mass(mu: np.ndarray, sigma: np.ndarray, window: np.ndarray, grid: int,
                             chunk: int = 8192) -> np.ndarray:
    """float64 [grid, grid] (row = y from low to high, col = x, as the hole grids): the probability
    mass of the aggregate posterior q(z) = (1/N) Σ N(μᵢ, diag σᵢ²) in each cell, exact per cell.
    Each cloud factorises over the two axes, so the grid is a sum of outer products of 1-D cell
    masses: a [G, N] × [N, G] product instead of N × G² evaluations."""
    mu, sigma = _check(mu, sigma)
    if mu.shape[1] != 2:
        raise ValueError(f"the aggregate posterior grid is for 2-D codes, got d = {mu.shape[1]}")
    xmin, xmax, ymin, ymax = (float(v) for v in window)
    ex, ey = np.linspace(xmin, xmax, grid + 1), np.linspace(ymin, ymax, grid + 1)
    mass = np.zeros((grid, grid))
    for s in range(0, len(mu), chunk):
        gx = _axis_mass(mu[s:s + chunk, 0], sigma[s:s + chunk, 0], ex)
        gy = _axis_mass(mu[s:s + chunk, 1], sigma[s:s + chunk, 1], ey)
        mass += gy.T @ gx
    return mass / len(mu)


def overlap_summary(mu: np.ndarray, sigma: np.ndarray, rng: np.random.Generator,
                    n_clouds: int = 2000, n_draws: int = 20_000) -> dict[str, float | int]:
    """The numbers a page prints: the median and quartiles of how many other clouds overlap a
    cloud's 1σ ellipse (over a seeded sample of clouds), the median σ per axis and the median
    distance to the nearest other centre (the scale at which the overlap shows), and the share of
    N(0, I) draws within 2σ of some cloud."""
    mu, sigma = _check(mu, sigma)
    idx = rng.choice(len(mu), size=min(n_clouds, len(mu)), replace=False)
    counts = overlap_counts(mu, sigma, idx)
    nearest = cKDTree(mu).query(mu[idx], k=2)[0][:, 1]
    q1, med, q3 = np.percentile(counts, [25, 50, 75])
    return {"n_clouds": int(len(idx)), "overlap_count_median": float(med),
            "overlap_count_q1": float(q1), "overlap_count_q3": float(q3),
            "sigma_median_x": float(np.median(sigma[:, 0])), "sigma_median_y": float(np.median(sigma[:, 1])),
            "nearest_centre_median": float(np.median(nearest)),
            "n_draws": int(n_draws),
            "prior_mass_within_2sigma_fraction": prior_mass_near_clouds(
                mu, sigma, rng.standard_normal((n_draws, mu.shape[1])))}
