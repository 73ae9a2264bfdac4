"""Per-image scores of a trained autoencoder, built on the models' own loss terms
(``bce_per_image``, ``gaussian_kl``): the one place where a reconstruction's BCE and squared
error, and a VAE's ELBO terms, are computed outside training. The train stage's test metrics, the
analyse stage's reconstruction numbers and the claims' anomaly scores all come from here, so a
BCE on one page is the same quantity as on another.

Inputs are float32 tensors in [0, 1], [N, pixels], on the model's device; outputs are per-image
float32 tensors [N]. Callers batch and reduce (means in float64)."""

from __future__ import annotations

import torch
from torch import nn

from .models import VariationalAutoencoder, bce_per_image, gaussian_kl


def code_of(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The deterministic code of each image: an AE's z, a VAE's mean μ."""
    out = model.encode(x)
    return out[0] if isinstance(out, tuple) else out


@torch.no_grad()
def decoded_terms(model: nn.Module, z: torch.Tensor, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """Decode the codes ``z`` and score the decodes against the images ``x``, per image:
    ``bce`` = -log p(x|z) in nats (the training loss's term, from the logits, no clipping) and
    ``se`` = the squared error of the decoded means (sigmoid of the logits), summed over pixels."""
    logits = model.decode_logits(z)
    return {"bce": bce_per_image(logits, x), "se": (torch.sigmoid(logits) - x).pow(2).sum(dim=1)}


def reconstruction_terms(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """``decoded_terms`` of each image's own deterministic code (AE: z, VAE: μ)."""
    with torch.no_grad():
        return decoded_terms(model, code_of(model, x), x)


@torch.no_grad()
def elbo_terms(model: VariationalAutoencoder, x: torch.Tensor,
               generator: torch.Generator | None = None,
               encoded: tuple[torch.Tensor, torch.Tensor] | None = None) -> dict[str, torch.Tensor]:
    """A VAE's ELBO terms per image, with one draw z ~ q(z|x) from ``generator``: ``rec`` =
    -log p(x|z) and ``kl`` = KL(q(z|x) || N(0, I)), both in nats; the ELBO is -(rec + kl).
    ``encoded``: (μ, log σ²) of ``x`` when the caller has them already."""
    mu, logvar = model.encode(x) if encoded is None else encoded
    z = model.reparameterize(mu, logvar, generator)
    return {"rec": bce_per_image(model.decode_logits(z), x), "kl": gaussian_kl(mu, logvar)}


def total(terms: list[torch.Tensor]) -> float:
    """The sum of per-image terms over all batches, in float64 (so the batch size cannot move it)."""
    return float(torch.cat(terms).double().sum()) if terms else 0.0
