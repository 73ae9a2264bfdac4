"""Test metrics of the trained models, in batches under no_grad: the AE's BCE and MSE, the VAE's
ELBO terms, the judge's cross-entropy and accuracy."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from pipeline.core.models import Autoencoder, Judge, VariationalAutoencoder, gaussian_kl

EVAL_BATCH = 2000  # images per forward pass when scoring (bounds memory, not results)


def model_kind(model: nn.Module) -> str:
    """The training recipe of a model: 'vae', 'ae' (its variants included) or 'judge'."""
    if isinstance(model, VariationalAutoencoder):
        return "vae"
    if isinstance(model, Autoencoder):
        return "ae"
    if isinstance(model, Judge):
        return "judge"
    raise TypeError(f"no training recipe for {type(model).__name__}")


def _batches(n: int, size: int = EVAL_BATCH):
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


@torch.no_grad()
def evaluate_ae(model: Autoencoder, x: torch.Tensor) -> dict[str, float]:
    """Summed BCE per image (nats) and per-pixel MSE of the reconstructions, over ``x``."""
    model.eval()
    bce = mse = 0.0
    for s in _batches(len(x)):
        logits = model(x[s])
        bce += F.binary_cross_entropy_with_logits(logits, x[s], reduction="sum").item()
        mse += F.mse_loss(torch.sigmoid(logits), x[s], reduction="sum").item()
    n = len(x)
    return {"loss": bce / n, "rec": bce / n, "bce": bce / n, "mse": mse / (n * x.shape[1])}


@torch.no_grad()
def evaluate_vae(model: VariationalAutoencoder, x: torch.Tensor,
                 generator: torch.Generator | None = None) -> dict[str, float]:
    """Over ``x``: the ELBO in nats (-(rec + KL), β = 1 whatever the training β, one ε sample per
    image), its reconstruction and KL terms, the training loss (rec + β·KL), and the BCE and
    per-pixel MSE of the decode of μ (the deterministic reconstruction)."""
    model.eval()
    rec = kl = bce = mse = 0.0
    for s in _batches(len(x)):
        mu, logvar = model.encode(x[s])
        z = model.reparameterize(mu, logvar, generator)
        rec += F.binary_cross_entropy_with_logits(model.decode_logits(z), x[s], reduction="sum").item()
        kl += gaussian_kl(mu, logvar).sum().item()
        logits_mu = model.decode_logits(mu)
        bce += F.binary_cross_entropy_with_logits(logits_mu, x[s], reduction="sum").item()
        mse += F.mse_loss(torch.sigmoid(logits_mu), x[s], reduction="sum").item()
    n = len(x)
    rec, kl = rec / n, kl / n
    return {"loss": rec + model.beta * kl, "rec": rec, "kl": kl, "elbo": -(rec + kl),
            "bce": bce / n, "mse": mse / (n * x.shape[1])}


@torch.no_grad()
def evaluate_judge(model: Judge, x: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    """Mean cross-entropy (nats) and accuracy (0..1) over ``x``."""
    model.eval()
    loss = 0.0
    correct = 0
    for s in _batches(len(x)):
        logits = model(x[s])
        loss += F.cross_entropy(logits, y[s], reduction="sum").item()
        correct += int((logits.argmax(1) == y[s]).sum().item())
    return {"loss": loss / len(x), "accuracy": correct / len(x)}


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eval_seed: int) -> dict[str, float]:
    """The test terms of any of the three kinds; the VAE's ε comes from a fresh generator seeded
    with ``eval_seed``, so the same model always gets the same score."""
    kind = model_kind(model)
    if kind == "ae":
        return evaluate_ae(model, x)
    if kind == "vae":
        return evaluate_vae(model, x, torch.Generator(device=x.device.type).manual_seed(eval_seed))
    return evaluate_judge(model, x, y)


