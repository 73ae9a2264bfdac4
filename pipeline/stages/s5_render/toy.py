"""The toy models of the site: 64 -> 32 -> 2 -> 32 -> 64 on scikit-learn's bundled 8x8 digits,
an autoencoder and a VAE at each of a few β (``TOY_BETAS``).

Small enough that the page runs them: the weights are exported to JSON and the widget computes
the encoders and decoders with plain matrix-vector products as the reader paints pixels.
Trained full-batch with Adam on all 1,797 digits (pixels / 16, so in [0, 1]), seeded: a few
seconds each on a CPU. Layers: tanh hidden layers, a linear 2-D code (the VAE: μ and log σ²
heads), a sigmoid output (BCE loss; the VAE adds β·KL to N(0, I)).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from pipeline.core import seeding

HIDDEN = 32
LATENT = 2
TOY_BETAS = (0.1, 0.5, 1.0, 4.0)  # the β slider: weak to strong pull to N(0, I) (4: the code is ignored)


class ToyAutoencoder(nn.Module):
    def __init__(self, hidden: int = HIDDEN, latent: int = LATENT):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, hidden), nn.Tanh(), nn.Linear(hidden, latent))
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.Tanh(), nn.Linear(hidden, 64))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = self.encoder(x)
        return z, self.decoder(z)  # decoder returns logits


class ToyVAE(nn.Module):
    def __init__(self, hidden: int = HIDDEN, latent: int = LATENT):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(64, hidden), nn.Tanh())
        self.mu, self.logvar = nn.Linear(hidden, latent), nn.Linear(hidden, latent)
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.Tanh(), nn.Linear(hidden, 64))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.body(x)
        return self.mu(h), self.logvar(h)


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """(float32 [1797, 64] pixels in [0, 1], uint8 [1797] labels) from scikit-learn's bundle."""
    from sklearn.datasets import load_digits as sk_load
    d = sk_load()
    return (d.data / 16.0).astype(np.float32), d.target.astype(np.uint8)


def _fit(model: nn.Module, loss_fn: Any, x: torch.Tensor, seed: int, name: str, steps: int,
         lr: float) -> list[float]:
    """Seeded init, full-batch Adam with a cosine schedule; the loss every 100 steps."""
    gen = seeding.torch_generator(seed, f"{name}-init")
    for p in model.parameters():  # seeded init independent of torch's global state
        if p.dim() > 1:
            nn.init.xavier_uniform_(p, generator=gen)
        else:
            nn.init.zeros_(p)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    noise = seeding.torch_generator(seed, f"{name}-noise")
    losses = []
    for step in range(steps):
        loss = loss_fn(model, x, noise)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0 or step == steps - 1:
            losses.append(round(float(loss.detach()), 3))
    return losses


def _bce(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)


def train_toy(seed: int = 0, steps: int = 600, lr: float = 1e-2
              ) -> tuple[ToyAutoencoder, np.ndarray, np.ndarray, list[float]]:
    """Train the AE on all digits full-batch; returns (model, pixels, labels, loss per 100 steps)."""
    x_np, y = load_digits()
    torch.manual_seed(seeding.seed_for(seed, "toy-global"))
    model = ToyAutoencoder()
    losses = _fit(model, lambda m, x, g: _bce(m(x)[1], x).mean(), torch.from_numpy(x_np), seed, "toy", steps, lr)
    return model.eval(), x_np, y, losses


def vae_loss(beta: float) -> Any:
    """BCE + β·KL(N(μ, σ²) || N(0, I)) per image, averaged; z = μ + σ·ε."""
    def loss(m: ToyVAE, x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        mu, logvar = m.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn(mu.shape, generator=gen)
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)
        return (_bce(m.decoder(z), x) + beta * kl).mean()
    return loss


def train_toy_vae(beta: float, seed: int = 0, steps: int = 600, lr: float = 1e-2) -> ToyVAE:
    x_np, _ = load_digits()
    model = ToyVAE()
    _fit(model, vae_loss(beta), torch.from_numpy(x_np), seed, f"toy-vae-{beta}", steps, lr)
    return model.eval()


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


def _layer(linear: nn.Linear, act: str) -> dict[str, Any]:
    return {"W": _r(linear.weight), "b": _r(linear.bias), "act": act}


def export_vae(model: ToyVAE, beta: float, x: np.ndarray) -> dict[str, Any]:
    """A toy VAE for the widget: its layers (enc1, mu, logvar, dec1, dec2), the μ of every
    digit, a square window around 0 holding them and N(0, I)'s 3σ circle, its BCE and KL."""
    with torch.no_grad():
        mu, logvar = model.encode(torch.from_numpy(x))
        rec = torch.sigmoid(model.decoder(mu))
    half = max(3.0, float(mu.abs().max()) * 1.1)
    kl = float((-0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)).mean())
    bce = float(nn.functional.binary_cross_entropy(rec, torch.from_numpy(x), reduction="none").sum(1).mean())
    return {"beta": beta, "codes": _r(mu, 3), "window": [-round(half, 4), round(half, 4), -round(half, 4), round(half, 4)],
            "layers": {"enc1": _layer(model.body[0], "tanh"), "mu": _layer(model.mu, "linear"),
                       "logvar": _layer(model.logvar, "linear"), "dec1": _layer(model.decoder[0], "tanh"),
                       "dec2": _layer(model.decoder[2], "sigmoid")},
            "final_bce_nats_per_image": round(bce, 3), "final_kl_nats_per_image": round(kl, 3)}


def build_toy(seed: int = 0, steps: int = 600) -> dict[str, Any]:
    """Train and export the AE and a VAE per β in TOY_BETAS. One thread: the tensors are tiny,
    and on a busy 2-core machine more threads only wait on each other (measured: minutes
    instead of seconds)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.random.fork_rng():
            model, x, y, losses = train_toy(seed, steps)
            vaes = [export_vae(train_toy_vae(b, seed, steps), b, x) for b in TOY_BETAS]
    finally:
        torch.set_num_threads(threads)
    return {**export(model, x, y, losses), "vaes": vaes}
