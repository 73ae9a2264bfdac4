"""The toy autoencoder of the site: 64 -> 32 -> 2 -> 32 -> 64 on scikit-learn's bundled 8x8 digits.

Small enough that the page runs it: the weights are exported to JSON and the widget computes
the encoder and decoder with plain matrix-vector products as the reader toggles pixels. Trained
full-batch with Adam on all 1,797 digits (pixels / 16, so in [0, 1]), seeded: a few seconds on
a CPU. Layers: tanh hidden layers, a linear 2-D code, a sigmoid output (BCE loss).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from pipeline.core import seeding

HIDDEN = 32
LATENT = 2


class ToyAutoencoder(nn.Module):
    def __init__(self, hidden: int = HIDDEN, latent: int = LATENT):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, hidden), nn.Tanh(), nn.Linear(hidden, latent))
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.Tanh(), nn.Linear(hidden, 64))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = self.encoder(x)
        return z, self.decoder(z)  # decoder returns logits


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """(float32 [1797, 64] pixels in [0, 1], uint8 [1797] labels) from scikit-learn's bundle."""
    from sklearn.datasets import load_digits as sk_load
    d = sk_load()
    return (d.data / 16.0).astype(np.float32), d.target.astype(np.uint8)


def train_toy(seed: int = 0, steps: int = 600, lr: float = 1e-2
              ) -> tuple[ToyAutoencoder, np.ndarray, np.ndarray, list[float]]:
    """Train on all digits full-batch; returns (model, pixels, labels, loss per 100 steps)."""
    x_np, y = load_digits()
    gen = seeding.torch_generator(seed, "toy-init")
    torch.manual_seed(seeding.seed_for(seed, "toy-global"))
    model = ToyAutoencoder()
    for p in model.parameters():  # seeded init independent of torch's global state
        if p.dim() > 1:
            nn.init.xavier_uniform_(p, generator=gen)
        else:
            nn.init.zeros_(p)
    x = torch.from_numpy(x_np)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    losses = []
    for step in range(steps):
        _, logits = model(x)
        loss = nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0 or step == steps - 1:
            losses.append(round(float(loss.detach()), 3))
    return model.eval(), x_np, y, losses


def _r(a: np.ndarray, nd: int = 5) -> Any:
    if isinstance(a, torch.Tensor):
        a = a.detach().cpu().numpy()
    return np.round(np.asarray(a, dtype=np.float64), nd).tolist()


def export(model: ToyAutoencoder, x: np.ndarray, y: np.ndarray, losses: list[float]) -> dict[str, Any]:
    """JSON-ready dict: weights as row-major [out][in] matrices, codes, labels, pixels (0..16)."""
    with torch.no_grad():
        z, logits = model(torch.from_numpy(x))
        rec = torch.sigmoid(logits)
    z = z.numpy()
    lo, hi = z.min(0), z.max(0)
    c, half = (lo + hi) / 2, float((hi - lo).max()) / 2 * 1.1
    e1, e2 = model.encoder[0], model.encoder[2]
    d1, d2 = model.decoder[0], model.decoder[2]
    bce = float(nn.functional.binary_cross_entropy(rec, torch.from_numpy(x), reduction="none").sum(1).mean())
    return {
        "architecture": "64 -> 32 (tanh) -> 2 (linear) -> 32 (tanh) -> 64 (sigmoid)",
        "layers": {
            "enc1": {"W": _r(e1.weight), "b": _r(e1.bias), "act": "tanh"},
            "enc2": {"W": _r(e2.weight), "b": _r(e2.bias), "act": "linear"},
            "dec1": {"W": _r(d1.weight), "b": _r(d1.bias), "act": "tanh"},
            "dec2": {"W": _r(d2.weight), "b": _r(d2.bias), "act": "sigmoid"},
        },
        "codes": _r(z, 3),
        "labels": y.astype(int).tolist(),
        # pixels as 0..16 integers, as scikit-learn ships them (the widget divides by 16)
        "pixels": np.rint(x * 16).astype(int).tolist(),
        "window": [round(float(c[0] - half), 4), round(float(c[0] + half), 4),
                   round(float(c[1] - half), 4), round(float(c[1] + half), 4)],
        "train_loss_bce_nats": losses,
        "final_bce_nats_per_image": round(bce, 3),
        "n": int(len(x)),
    }


def build_toy(seed: int = 0, steps: int = 600) -> dict[str, Any]:
    """Train and export. One thread: the tensors are tiny, and on a busy 2-core machine more
    threads only wait on each other (measured: minutes instead of seconds)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.random.fork_rng():
            model, x, y, losses = train_toy(seed, steps)
    finally:
        torch.set_num_threads(threads)
    return export(model, x, y, losses)
