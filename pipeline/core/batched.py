"""Models applied in batches under no_grad in float32: decoding latent points to uint8 images
and judging images (class probabilities and penultimate features)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from . import scoring
from .dataset_info import array_shape
from .imaging import to_uint8, to_unit

BATCH = 2000


def encode(model: nn.Module, images: np.ndarray, device: str = "cpu"
           ) -> tuple[np.ndarray, np.ndarray | None]:
    """uint8 images [N, H, W] -> (z or μ float32 [N, d], log σ² float32 [N, d] for a VAE, else
    None)."""
    zs, lvs = [], []
    with torch.no_grad():
        for i in range(0, len(images), BATCH):
            out = model.encode(torch.from_numpy(to_unit(images[i:i + BATCH])).to(device))
            if isinstance(out, tuple):
                zs.append(out[0].cpu().numpy())
                lvs.append(out[1].cpu().numpy())
            else:
                zs.append(out.cpu().numpy())
    z = np.concatenate(zs).astype(np.float32)
    return z, (np.concatenate(lvs).astype(np.float32) if lvs else None)


def decode(model: nn.Module, z: np.ndarray, device: str = "cpu", batch: int = BATCH) -> np.ndarray:
    """float32 [M, d] latent points -> uint8 [M, H, W] decoded means (sigmoid of the logits), in
    the model's image shape.
    Rounding to uint8 is what a viewer sees, and it is what the judge scores, for every set alike."""
    out = []
    with torch.no_grad():
        for i in range(0, len(z), batch):
            zt = torch.from_numpy(np.ascontiguousarray(z[i:i + batch], dtype=np.float32))
            out.append(to_uint8(model.decode(zt.to(device)).cpu().numpy()))
    shape = array_shape(model.image_shape)
    return np.concatenate(out).reshape(-1, *shape) if out else np.zeros((0, *shape), np.uint8)


def judge(model: nn.Module, images: np.ndarray, device: str = "cpu"
          ) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images [M, H, W] -> (class probabilities float32 [M, classes], features float32
    [M, F])."""
    probs, feats = [], []
    with torch.no_grad():
        for i in range(0, len(images), BATCH):
            f = model.features(torch.from_numpy(to_unit(images[i:i + BATCH])).to(device))
            probs.append(torch.softmax(model.head(f), dim=1).cpu().numpy())
            feats.append(f.cpu().numpy())
    return np.concatenate(probs), np.concatenate(feats)


def recon_errors(model: nn.Module, images: np.ndarray, z: np.ndarray, device: str = "cpu"
                 ) -> dict[str, float]:
    """Reconstruction of ``images`` from their codes ``z`` (AE: z; VAE: μ): summed BCE per image
    (nats, as in the training loss) and per-pixel MSE on the 0..1 scale (``scoring``'s terms)."""
    bce, se = [], []
    for i in range(0, len(images), BATCH):
        x = torch.from_numpy(to_unit(images[i:i + BATCH])).to(device)
        zt = torch.from_numpy(np.ascontiguousarray(z[i:i + BATCH], dtype=np.float32)).to(device)
        terms = scoring.decoded_terms(model, zt, x)
        bce.append(terms["bce"])
        se.append(terms["se"])
    n, pixels = len(images), images[0].size if len(images) else 1
    return {"bce_nats": scoring.total(bce) / n, "mse_per_pixel": scoring.total(se) / (n * pixels)}
