"""The models, written to be read on the site next to the prose.

``Autoencoder`` and ``VariationalAutoencoder`` share the same encoder and decoder bodies and differ
only in the stochastic layer: the AE maps an image to one point z; the VAE maps it to a Gaussian
N(μ, σ²) and samples z = μ + σ·ε from it (the reparameterisation trick). Images are flat
[batch, C·H·W] tensors in [0, 1]; decoders return Bernoulli logits (``decode`` applies the sigmoid).
The two classifiers that score decoded images are in ``judges.py``.
Every model takes the data set's ``image_shape`` (channels, height, width) and the judges its
``n_classes`` (``dataset_info.DatasetInfo``); both are kept in ``kwargs``, so a checkpoint
rebuilds its model by itself.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from .bernoulli import bernoulli_nll
from .dataset_info import DEFAULT_IMAGE_SHAPE, Shape, pixels
from .judges import JudgeCNN, JudgeMLP


def conv_maps(image_shape: Shape) -> tuple[Shape, Shape]:
    """The conv body's feature maps (channels, height, width) after each stride-2 convolution,
    each halving the side; the architecture figure draws the same shapes."""
    _, h, w = image_shape
    if h % 4 or w % 4:
        raise ValueError(f"the conv body needs image sides divisible by 4, not {h} x {w}")
    return (32, h // 2, w // 2), (64, h // 4, w // 4)


# ------------------------------------------------------------------------------------------ bodies

# --8<-- [start:bodies]
def make_encoder_body(body: str, hidden: list[int], image_shape: Shape) -> tuple[nn.Module, int]:
    """The trunk from a flat image to a feature vector; returns (module, feature size)."""
    if body == "mlp":
        layers: list[nn.Module] = []
        width = pixels(image_shape)
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU()]
            width = h
        return nn.Sequential(*layers), width
    if body == "conv":
        features = hidden[-1]
        (c1, _, _), (c2, h2, w2) = conv_maps(image_shape)
        return nn.Sequential(
            nn.Unflatten(1, tuple(image_shape)),
            nn.Conv2d(image_shape[0], c1, 4, stride=2, padding=1), nn.ReLU(),  # c1 x H/2 x W/2
            nn.Conv2d(c1, c2, 4, stride=2, padding=1), nn.ReLU(),              # c2 x H/4 x W/4
            nn.Flatten(), nn.Linear(c2 * h2 * w2, features), nn.ReLU(),
        ), features
    raise ValueError(f"unknown body {body!r}: use 'mlp' or 'conv'")


def make_decoder(body: str, hidden: list[int], latent_dim: int, image_shape: Shape) -> nn.Module:
    """The mirror of the encoder body, from z to one Bernoulli logit per pixel (C·H·W)."""
    if body == "mlp":
        layers: list[nn.Module] = []
        width = latent_dim
        for h in reversed(hidden):
            layers += [nn.Linear(width, h), nn.ReLU()]
            width = h
        layers.append(nn.Linear(width, pixels(image_shape)))
        return nn.Sequential(*layers)
    if body == "conv":
        (c1, _, _), (c2, h2, w2) = conv_maps(image_shape)
        return nn.Sequential(
            nn.Linear(latent_dim, hidden[-1]), nn.ReLU(),
            nn.Linear(hidden[-1], c2 * h2 * w2), nn.ReLU(), nn.Unflatten(1, (c2, h2, w2)),
            nn.ConvTranspose2d(c2, c1, 4, stride=2, padding=1), nn.ReLU(),  # c1 x H/2 x W/2
            nn.ConvTranspose2d(c1, image_shape[0], 4, stride=2, padding=1), # C x H x W
            nn.Flatten(),
        )
    raise ValueError(f"unknown body {body!r}: use 'mlp' or 'conv'")
# --8<-- [end:bodies]


# ---------------------------------------------------------------------------------- autoencoders

# --8<-- [start:autoencoder]
class Autoencoder(nn.Module):
    """x -> z -> x̂. Each image becomes one point; nothing shapes the space between the points."""

    def __init__(self, latent_dim: int = 2, hidden: list[int] = (512, 256), body: str = "mlp",
                 image_shape: Shape = DEFAULT_IMAGE_SHAPE):
        super().__init__()
        self.kwargs = {"latent_dim": latent_dim, "hidden": list(hidden), "body": body,
                       "image_shape": list(image_shape)}
        self.latent_dim = latent_dim
        self.image_shape = tuple(image_shape)
        self.body, features = make_encoder_body(body, list(hidden), self.image_shape)
        self.fc_z = nn.Linear(features, latent_dim)
        self.decoder = make_decoder(body, list(hidden), latent_dim, self.image_shape)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc_z(self.body(x))

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.decode_logits(z))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode_logits(self.encode(x))

    def loss(self, x: torch.Tensor, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        """Summed BCE per image (nats), averaged over the batch."""
        rec = bce_per_image(self(x), x).mean()
        return {"loss": rec, "rec": rec}
# --8<-- [end:autoencoder]


# --8<-- [start:vae]
class VariationalAutoencoder(nn.Module):
    """x -> q(z|x) = N(μ, σ²) -> z = μ + σ·ε -> x̂. Same body as the Autoencoder; only the
    stochastic layer (two heads, μ and log σ², and the sampling) is new."""

    def __init__(self, latent_dim: int = 2, hidden: list[int] = (512, 256), body: str = "mlp",
                 beta: float = 1.0, image_shape: Shape = DEFAULT_IMAGE_SHAPE):
        super().__init__()
        self.kwargs = {"latent_dim": latent_dim, "hidden": list(hidden), "body": body, "beta": beta,
                       "image_shape": list(image_shape)}
        self.latent_dim = latent_dim
        self.image_shape = tuple(image_shape)
        self.beta = beta
        self.body, features = make_encoder_body(body, list(hidden), self.image_shape)
        self.fc_mu = nn.Linear(features, latent_dim)
        self.fc_logvar = nn.Linear(features, latent_dim)
        self.decoder = make_decoder(body, list(hidden), latent_dim, self.image_shape)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.body(x)
        return self.fc_mu(h), self.fc_logvar(h)

    # --8<-- [start:reparameterize]
    def reparameterize(self, mu: torch.Tensor, logvar: torch.Tensor,
                       generator: torch.Generator | None = None) -> torch.Tensor:
        std = torch.exp(0.5 * logvar)
        eps = torch.randn(std.shape, generator=generator, device=std.device, dtype=std.dtype)
        return mu + eps * std
    # --8<-- [end:reparameterize]

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.decode_logits(z))

    def forward(self, x: torch.Tensor, generator: torch.Generator | None = None
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mu, logvar = self.encode(x)
        z = self.reparameterize(mu, logvar, generator)
        return self.decode_logits(z), mu, logvar

    def loss(self, x: torch.Tensor, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        """Negative ELBO with a β-weighted KL: rec + β·KL, per image, averaged over the batch."""
        logits, mu, logvar = self(x, generator)
        rec = bce_per_image(logits, x).mean()
        kl = gaussian_kl(mu, logvar).mean()
        return {"loss": rec + self.beta * kl, "rec": rec, "kl": kl}
# --8<-- [end:vae]


# --8<-- [start:variants]
def corrupt(x: torch.Tensor, kind: str, level: float,
            generator: torch.Generator | None = None) -> torch.Tensor:
    """A corrupted copy of images in [0, 1]. ``gaussian``: add N(0, level²) per pixel, clip to
    [0, 1]; ``mask``: set each pixel to 0 with probability ``level`` (strokes lose pieces)."""
    if kind == "gaussian":
        noise = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)
        return (x + level * noise).clamp(0.0, 1.0)
    if kind == "mask":
        keep = torch.rand(x.shape, generator=generator, device=x.device, dtype=x.dtype) >= level
        return x * keep
    raise ValueError(f"unknown corruption {kind!r}: use 'gaussian' or 'mask'")


class DenoisingAutoencoder(Autoencoder):
    """The Autoencoder trained to undo a corruption: it encodes a corrupted image and is scored
    on the clean one. Same body and decoder; only the training input differs."""

    def __init__(self, latent_dim: int = 2, hidden: list[int] = (512, 256), body: str = "mlp",
                 noise: str = "gaussian", noise_level: float = 0.5,
                 image_shape: Shape = DEFAULT_IMAGE_SHAPE):
        super().__init__(latent_dim, hidden, body, image_shape)
        self.kwargs.update(noise=noise, noise_level=noise_level)
        self.noise, self.noise_level = noise, noise_level

    def loss(self, x: torch.Tensor, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        noisy = corrupt(x, self.noise, self.noise_level, generator)
        rec = bce_per_image(self.decode_logits(self.encode(noisy)), x).mean()
        return {"loss": rec, "rec": rec}


class SparseAutoencoder(Autoencoder):
    """The Autoencoder with an L1 penalty on the encoder's last hidden layer (the features the
    code is read from): loss = BCE + l1_weight · Σ_units |h|, per image."""

    def __init__(self, latent_dim: int = 2, hidden: list[int] = (512, 256), body: str = "mlp",
                 l1_weight: float = 0.01, image_shape: Shape = DEFAULT_IMAGE_SHAPE):
        super().__init__(latent_dim, hidden, body, image_shape)
        self.kwargs.update(l1_weight=l1_weight)
        self.l1_weight = l1_weight

    def loss(self, x: torch.Tensor, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        h = self.body(x)
        rec = bce_per_image(self.decode_logits(self.fc_z(h)), x).mean()
        l1 = h.abs().sum(dim=1).mean()
        return {"loss": rec + self.l1_weight * l1, "rec": rec, "l1": l1}
# --8<-- [end:variants]


# -------------------------------------------------------------------------------------- the terms

# --8<-- [start:terms]
def bce_per_image(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """-log p(x|z), independent Bernoulli pixels, summed over an image's pixels (nats)."""
    return bernoulli_nll(logits, x).sum(dim=1)


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(μ, σ²) || N(0, I)) per row, in closed form (Kingma & Welling 2014, appendix B):
    -½ Σ_j (1 + log σ_j² − μ_j² − σ_j²)."""
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)
# --8<-- [end:terms]


# ------------------------------------------------------------------------------------ checkpoints

MODEL_CLASSES = {c.__name__: c for c in (Autoencoder, VariationalAutoencoder, JudgeCNN, JudgeMLP,
                                         DenoisingAutoencoder, SparseAutoencoder)}


def checkpoint_dict(model: nn.Module, **extra: Any) -> dict[str, Any]:
    """A self-describing checkpoint: class, constructor args, weights, plus whatever is given
    (config, seed, per-epoch history), so a later stage rebuilds the model from the file alone."""
    return {"class": type(model).__name__, "kwargs": model.kwargs,
            "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()}, **extra}


def load_checkpoint(path: Any, device: str = "cpu") -> tuple[nn.Module, dict[str, Any]]:
    """(model in eval mode on ``device``, the checkpoint dict)."""
    ckpt = torch.load(path, map_location="cpu", weights_only=True)
    model = MODEL_CLASSES[ckpt["class"]](**ckpt["kwargs"])
    model.load_state_dict(ckpt["state_dict"])
    return model.to(device).eval(), ckpt
