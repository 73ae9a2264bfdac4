"""Test metrics of the trained models, in batches under no_grad: the AE's BCE and MSE, the VAE's
ELBO terms, the judge's cross-entropy and accuracy."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from pipeline.core import scoring
from pipeline.core.judges import Judge
from pipeline.core.models import Autoencoder, VariationalAutoencoder

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
    parts = [scoring.reconstruction_terms(model, x[s]) for s in _batches(len(x))]
    n = len(x)
    bce = scoring.total([p["bce"] for p in parts]) / n
    return {"loss": bce, "rec": bce, "bce": bce,
            "mse": scoring.total([p["se"] for p in parts]) / (n * x.shape[1])}


@torch.no_grad()
def evaluate_vae(model: VariationalAutoencoder, x: torch.Tensor,
                 generator: torch.Generator | None = None) -> dict[str, float]:
    """Over ``x``: the ELBO in nats (-(rec + KL), β = 1 whatever the training β, one ε sample per
    image), its reconstruction and KL terms, the training loss (rec + β·KL), and the BCE and
    per-pixel MSE of the decode of μ (the deterministic reconstruction)."""
    model.eval()
    elbo, recon = [], []
    for s in _batches(len(x)):
        encoded = model.encode(x[s])  # once for both: the ELBO's q(z|x) and the decode of μ
        elbo.append(scoring.elbo_terms(model, x[s], generator, encoded))
        recon.append(scoring.decoded_terms(model, encoded[0], x[s]))
    n = len(x)
    rec, kl = scoring.total([e["rec"] for e in elbo]) / n, scoring.total([e["kl"] for e in elbo]) / n
    return {"loss": rec + model.beta * kl, "rec": rec, "kl": kl, "elbo": -(rec + kl),
            "bce": scoring.total([r["bce"] for r in recon]) / n,
            "mse": scoring.total([r["se"] for r in recon]) / (n * x.shape[1])}


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


