"""An importance-weighted estimate of a VAE's test log-likelihood (Burda et al. 2016).

log p(x) ≥ E[log (1/k) Σ_i p(x|z_i) p(z_i) / q(z_i|x)], z_i ~ q(z|x); the bound tightens to
log p(x) as k grows, and k = 1 is the ELBO. p(x|z) is the model's Bernoulli likelihood of the
[0, 1] pixel intensities (the training loss), which is not the binarized-MNIST likelihood papers
report: these nats are not comparable with theirs.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from pipeline.core.imaging import to_unit
from pipeline.core.models import VariationalAutoencoder, bce_per_image

LOG_2PI = math.log(2 * math.pi)
DECODES_PER_BLOCK = 50_000  # z's decoded at once: 157 MB of float32 logits for MNIST-sized images


def _log_normal(z: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """log N(z; μ, diag σ²) summed over the last axis."""
    return -0.5 * (LOG_2PI + logvar + (z - mu) ** 2 / logvar.exp()).sum(-1)


@torch.no_grad()
def log_weights(model: VariationalAutoencoder, x: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """float64 [n, k]: log p(x|z_i) + log p(z_i) − log q(z_i|x) for z_i = μ + σ·ε_i ~ q(z|x)
    (``eps``: [n, k, d] standard normal draws), in float64 so the log-mean-exp of 500+ terms
    loses nothing."""
    mu, logvar = model.encode(x)
    k = eps.shape[1]
    z = mu[:, None] + (0.5 * logvar).exp()[:, None] * eps.to(mu.device, mu.dtype)
    logits = model.decode_logits(z.reshape(-1, z.shape[-1]))
    log_px = -bce_per_image(logits, x.repeat_interleave(k, dim=0)).reshape(len(x), k)
    zero = torch.zeros_like(mu)[:, None]
    log_pz = _log_normal(z, zero, zero)
    log_qz = _log_normal(z, mu[:, None], logvar[:, None])
    return (log_px + log_pz - log_qz).double()


def iwae_bound(model: VariationalAutoencoder, images: np.ndarray, k: int, seed: int,
               device: str = "cpu") -> dict[str, float | int]:
    """Mean IWAE bound over uint8 [n, H, W] ``images`` with ``k`` importance samples each, its
    standard error over images, and the k = 1 estimate (the ELBO) from the same draws."""
    if k < 1:
        raise ValueError(f"k = {k}: the IWAE bound needs at least one importance sample")
    # All draws up front (n x k x d floats: 8 MB for 1,000 images, k = 500, d = 2), so the
    # result does not depend on the block size.
    gen = torch.Generator().manual_seed(seed)
    eps = torch.randn((len(images), k, model.latent_dim), generator=gen)
    per_block = max(1, DECODES_PER_BLOCK // k)
    bounds, elbos = [], []
    for i in range(0, len(images), per_block):
        x = torch.from_numpy(to_unit(images[i:i + per_block]))
        w = log_weights(model, x.to(device), eps[i:i + per_block])
        bounds.append((torch.logsumexp(w, dim=1) - math.log(k)).cpu().numpy())
        elbos.append(w.mean(dim=1).cpu().numpy())
    b, e = np.concatenate(bounds), np.concatenate(elbos)
    n = len(b)
    return {"iwae_nats": float(b.mean()),
            "iwae_se_nats": float(b.std(ddof=1) / math.sqrt(n)) if n > 1 else None,
            "elbo_same_draws_nats": float(e.mean()), "k": k, "n_images": n}
