"""ELBO surgery (Hoffman & Johnson 2016): the average KL term of a VAE splits exactly as

    E_n KL(q(z|n) || p(z)) = KL(q(z) || p(z)) + I(n; z),

where q(z) = (1/N) Σ_n q(z|n) is the aggregate posterior (a mixture of the N Gaussians) and
I(n; z) <= log N is the mutual information between an image's index and its code. A large I
with a small marginal KL means the codes are informative *and* their union still matches the
prior: clouds that overlap into N(0, I).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from pipeline.core.models import gaussian_kl

LOG_2PI = math.log(2 * math.pi)
# 1/σ² = e^60 ≈ 1e26 times squared differences of up to ~1e5 stays below float32's 3.4e38.
FLOAT32_SAFE_LOG_INV_VAR = 60.0
# Below this log σ² the expanded quadratic form cancels terms of size μ²/σ² > 1e8·μ²:
# float32's round-off would then exceed a nat, so the difference form is used instead.
EXPAND_MIN_LOGVAR = -12.0


def _log_normal_all(z: torch.Tensor, mu: torch.Tensor, inv_var: torch.Tensor,
                    const: torch.Tensor, expand: bool) -> torch.Tensor:
    """[B, N]: log N(z_b; μ_n, diag σ_n²) for every sample b and component n.

    By default the quadratic form Σ_j (z_j − μ_nj)² / σ_nj² is accumulated one latent dimension
    at a time: differences come first, so the precision of the blocks loses nothing even for
    very narrow posteriors, and memory stays at a few B x N blocks. ``const`` = Σ_j log σ_nj² +
    d log 2π.
    """
    if expand:
        # Many dimensions: expand Σ z²/σ² − 2 zμ/σ² + μ²/σ² into matrix products (one B x N x d
        # matmul). Float32 round-off is then ~1e-7 of the largest term: thousandths of a nat
        # while no σ is tiny (the caller checks; the terms grow as 1/σ² and cancel).
        quad = (z * z) @ inv_var.T - 2 * z @ (mu * inv_var).T + (mu * mu * inv_var).sum(1)[None, :]
        return -0.5 * (quad + const[None, :])
    quad = torch.zeros((z.shape[0], mu.shape[0]), dtype=z.dtype)
    for j in range(z.shape[1]):
        diff = z[:, j, None] - mu[None, :, j]
        quad.addcmul_(diff * diff, inv_var[None, :, j].expand_as(diff))
    return -0.5 * (quad + const[None, :])


def elbo_surgery(mu: np.ndarray, logvar: np.ndarray, seed: int, n_mc: int | None = None,
                 chunk: int = 512) -> dict[str, float]:
    """Monte-Carlo split of the average KL, in nats.

    One z ~ q(z|n) is drawn for each of ``n_mc`` codes n (all N when None; a seeded subset
    otherwise), and log q(z) is the log-mean-exp over *all* N components, in chunks.
    E[log q(z|n) − log q(z)] estimates I(n; z), E[log q(z) − log p(z)] estimates KL(q(z) || p(z));
    the average KL itself is exact (closed form), and ``avg_kl_mc_nats`` = their sum checks the
    estimate.
    """
    mu64, lv64 = (np.asarray(a, dtype=np.float64) for a in (mu, logvar))
    n, d = mu64.shape
    rng = np.random.default_rng(seed)
    idx = np.arange(n) if n_mc is None or n_mc >= n else np.sort(rng.permutation(n)[:n_mc])
    z_all = mu64[idx] + np.exp(0.5 * lv64[idx]) * rng.standard_normal((len(idx), d))
    # The big B x N blocks are float32 (speed, memory) unless some 1/σ² would overflow it (a
    # β = 0 VAE reaches log σ² < −150, where float32 gave inf · 0 = NaN); the per-sample sums
    # are float64. The fast expanded form is kept for many dimensions with no narrow posterior.
    lv_min = float(lv64.min())
    dtype = np.float64 if -lv_min > FLOAT32_SAFE_LOG_INV_VAR else np.float32
    expand = d > 4 and lv_min > EXPAND_MIN_LOGVAR
    mu_t = torch.from_numpy(mu64.astype(dtype))
    inv_t = torch.from_numpy(np.exp(-lv64).astype(dtype))
    const_t = torch.from_numpy((lv64.sum(1) + d * LOG_2PI).astype(dtype))
    z_t = torch.from_numpy(z_all.astype(dtype))
    log_n = math.log(n)
    log_qz = np.empty(len(idx))
    with torch.no_grad():
        for i in range(0, len(idx), chunk):
            ll = _log_normal_all(z_t[i:i + chunk], mu_t, inv_t, const_t, expand)
            log_qz[i:i + chunk] = torch.logsumexp(ll, dim=1).double().numpy() - log_n
    # The code's own component and the prior, exactly, in float64.
    log_qzn = -0.5 * (((z_all - mu64[idx]) ** 2 * np.exp(-lv64[idx])).sum(1)
                      + lv64[idx].sum(1) + d * LOG_2PI)
    log_pz = -0.5 * ((z_all ** 2).sum(1) + d * LOG_2PI)
    avg_kl = mean_gaussian_kl(mu64, lv64)
    mi_terms = log_qzn - log_qz
    mi = float(mi_terms.mean())
    marg = float((log_qz - log_pz).mean())
    return {
        "avg_kl_nats": avg_kl,
        "mutual_info_nats": mi,
        "marginal_kl_nats": marg,
        "avg_kl_mc_nats": mi + marg,
        "log_n_nats": log_n,
        "mutual_info_fraction_of_log_n": mi / log_n if log_n > 0 else 0.0,
        "mutual_info_stderr_nats": float(mi_terms.std() / math.sqrt(len(idx))),
        "n_codes": int(n),
        "n_mc_samples": int(len(idx)),
    }


def mean_gaussian_kl(mu: np.ndarray, logvar: np.ndarray) -> float:
    """Mean over rows of KL(N(μ, σ²) || N(0, I)), in float64, by the models' own closed form."""
    return float(gaussian_kl(torch.from_numpy(np.asarray(mu, np.float64)),
                             torch.from_numpy(np.asarray(logvar, np.float64))).mean())
