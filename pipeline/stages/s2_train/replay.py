"""The codes of a fixed subset of test images after every epoch, for the main 2-D pair: the
explorer's replay of how the AE's rays and the VAE's packed cloud form during training."""

from __future__ import annotations

import torch
from torch import nn

REPLAY_IDS = ("ae2", "vae2")  # the main pair: the explorer replays how their codes formed
REPLAY_SIZE = 2000  # the first test images, encoded after every epoch


@torch.no_grad()
def replay_entry(model: nn.Module, name: str, test_x: torch.Tensor) -> dict[str, torch.Tensor]:
    """For the main 2-D pair only: {"replay_codes": float16 [REPLAY_SIZE, 2] CPU tensor}, the
    codes (μ for a VAE) of the first test images after this epoch, which the render stage turns
    into the explorer's epoch-by-epoch replay; {} for every other model."""
    if name not in REPLAY_IDS or getattr(model, "latent_dim", 0) != 2:
        return {}
    model.eval()
    z = model.encode(test_x[:REPLAY_SIZE].float())
    z = z[0] if isinstance(z, tuple) else z
    return {"replay_codes": z.detach().to("cpu", torch.float16)}
