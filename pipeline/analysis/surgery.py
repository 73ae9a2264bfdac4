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

LOG_2PI = math.log(2 * math.pi)


def _log_normal_all(z: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """[B, N]: log N(z_b; μ_n, diag σ_n²) for every sample b and component n.

    The quadratic form is expanded into matrix products (Σ z²/σ² − 2 z μ/σ² + μ²/σ²), so a block
    costs one B x N x d matmul instead of a B x N x d tensor in memory; float64 keeps the
    cancellation between the terms harmless when posteriors are narrow.
    """
    inv = torch.exp(-logvar)                                         # [N, d]
    const = (mu * mu * inv).sum(1) + logvar.sum(1) + mu.shape[1] * LOG_2PI   # [N]
    quad = (z * z) @ inv.T - 2 * z @ (mu * inv).T + const[None, :]
    return -0.5 * quad


def elbo_surgery(mu: np.ndarray, logvar: np.ndarray, seed: int, n_mc: int | None = None,
                 chunk: int = 256) -> dict[str, float]:
    """Monte-Carlo split of the average KL, in nats.

    One z ~ q(z|n) is drawn for each of ``n_mc`` codes n (all N when None; a seeded subset
    otherwise), and log q(z) is the log-mean-exp over *all* N components, in chunks.
    E[log q(z|n) − log q(z)] estimates I(n; z), E[log q(z) − log p(z)] estimates KL(q(z) || p(z));
    the average KL itself is exact (closed form), and ``avg_kl_mc_nats`` = their sum checks the
    estimate.
    """
    mu_t = torch.from_numpy(np.asarray(mu, dtype=np.float64))
    lv_t = torch.from_numpy(np.asarray(logvar, dtype=np.float64))
    n, d = mu_t.shape
    gen = torch.Generator().manual_seed(seed)
    if n_mc is None or n_mc >= n:
        idx = torch.arange(n)
    else:
        idx = torch.sort(torch.randperm(n, generator=gen)[:n_mc]).values
    eps = torch.randn((len(idx), d), generator=gen, dtype=torch.float64)
    z_all = mu_t[idx] + torch.exp(0.5 * lv_t[idx]) * eps
    log_n = math.log(n)
    log_qzn, log_qz, log_pz = [], [], []
    with torch.no_grad():
        for i in range(0, len(idx), chunk):
            z = z_all[i:i + chunk]
            own = idx[i:i + chunk]
            ll = _log_normal_all(z, mu_t, lv_t)
            log_qz.append(torch.logsumexp(ll, dim=1) - log_n)
            log_qzn.append(ll[torch.arange(len(z)), own])
            log_pz.append(-0.5 * ((z * z).sum(1) + d * LOG_2PI))
    qzn, qz, pz = torch.cat(log_qzn), torch.cat(log_qz), torch.cat(log_pz)
    avg_kl = float((-0.5 * (1 + lv_t - mu_t ** 2 - lv_t.exp()).sum(1)).mean())
    mi = float((qzn - qz).mean())
    marg = float((qz - pz).mean())
    return {
        "avg_kl_nats": avg_kl,
        "mutual_info_nats": mi,
        "marginal_kl_nats": marg,
        "avg_kl_mc_nats": mi + marg,
        "log_n_nats": log_n,
        "mutual_info_fraction_of_log_n": mi / log_n if log_n > 0 else 0.0,
        "n_codes": int(n),
        "n_mc_samples": int(len(idx)),
    }
