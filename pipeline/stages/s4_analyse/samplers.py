"""Where to draw latent points from. The prior N(0, I) is what a VAE is trained to match; for the
AE the other three are the natural guesses of someone who has only the codes: their bounding
box, one Gaussian fitted to them, and a Gaussian mixture fitted to them (the ex-post density
estimation of Ghosh et al. 2020). All are seeded NumPy/scikit-learn, hence reproducible."""

from __future__ import annotations

import numpy as np
from sklearn.mixture import GaussianMixture


def prior(m: int, d: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal((m, d)).astype(np.float32)


def box(codes: np.ndarray, m: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform over the codes' bounding box (min..max per axis, outliers included, as a naive
    user would take it)."""
    lo, hi = codes.min(0).astype(np.float64), codes.max(0).astype(np.float64)
    return (lo + rng.random((m, codes.shape[1])) * (hi - lo)).astype(np.float32)


def gaussian_fit(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = np.asarray(codes, dtype=np.float64)
    return c.mean(0), np.cov(c, rowvar=False).reshape(c.shape[1], c.shape[1])


def gaussian(codes: np.ndarray, m: int, rng: np.random.Generator) -> np.ndarray:
    """From N(mean, cov) of the codes (Cholesky of the covariance, standard normal draws)."""
    mean, cov = gaussian_fit(codes)
    chol = np.linalg.cholesky(cov + 1e-9 * np.eye(len(mean)))
    return (mean + rng.standard_normal((m, len(mean))) @ chol.T).astype(np.float32)


def gaussian_loglik(codes_fit: np.ndarray, codes_eval: np.ndarray) -> float:
    """Mean log-density (nats per code) of ``codes_eval`` under the Gaussian fitted to ``codes_fit``."""
    mean, cov = gaussian_fit(codes_fit)
    x = np.asarray(codes_eval, dtype=np.float64) - mean
    sign, logdet = np.linalg.slogdet(cov)
    maha = np.einsum("ij,ij->i", x @ np.linalg.inv(cov), x)
    return float((-0.5 * (maha + logdet + len(mean) * np.log(2 * np.pi))).mean())


GMM_FIT_MAX = 20000  # codes used to fit a GMM: all 60,000 in 16-D cost ~30 s of CPU for no gain


def fit_gmm(codes: np.ndarray, components: int, seed: int, max_fit: int = GMM_FIT_MAX) -> GaussianMixture:
    """Full-covariance GMM, k-means initialised, seeded; fitted on a seeded subset of at most
    ``max_fit`` codes (10 components x a 16-D covariance need far fewer)."""
    c = np.asarray(codes, dtype=np.float64)
    if len(c) > max_fit:
        c = c[np.sort(np.random.default_rng(seed).permutation(len(c))[:max_fit])]
    gmm = GaussianMixture(n_components=components, covariance_type="full", random_state=seed,
                          max_iter=200, reg_covar=1e-6)
    return gmm.fit(c)


def gmm_sample(gmm: GaussianMixture, m: int, rng: np.random.Generator) -> np.ndarray:
    """Draws from a fitted GMM. sklearn's ``sample`` returns them grouped by component; shuffle
    so that the first images kept for grids are a fair mix."""
    gmm.random_state = int(rng.integers(2**31 - 1))
    z, _ = gmm.sample(m)
    return z[rng.permutation(m)].astype(np.float32)
