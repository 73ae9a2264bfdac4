"""The models on their own: shapes, the KL term, checkpoints that rebuild the same model."""

from __future__ import annotations

import math

import pytest
import torch

from pipeline.core.dataset_info import DEFAULT_IMAGE_SHAPE, pixels
from pipeline.core.judges import JudgeCNN
from pipeline.core.models import (Autoencoder, VariationalAutoencoder,
                                  bce_per_image, checkpoint_dict,
                                  gaussian_kl, load_checkpoint)

IMAGE_PIXELS = pixels(DEFAULT_IMAGE_SHAPE)


@pytest.fixture
def x() -> torch.Tensor:
    return torch.rand(8, IMAGE_PIXELS, generator=torch.Generator().manual_seed(0))


@pytest.mark.parametrize("body", ["mlp", "conv"])
def test_autoencoder_shapes(x, body):
    torch.manual_seed(0)
    ae = Autoencoder(latent_dim=3, hidden=[32, 16], body=body)
    z = ae.encode(x)
    assert z.shape == (8, 3)
    assert ae(x).shape == (8, IMAGE_PIXELS)
    d = ae.decode(z).detach()
    assert d.shape == (8, IMAGE_PIXELS) and float(d.min()) >= 0 and float(d.max()) <= 1
    terms = ae.loss(x)
    assert set(terms) == {"loss", "rec"} and terms["loss"].ndim == 0 and torch.isfinite(terms["loss"])


@pytest.mark.parametrize("body", ["mlp", "conv"])
def test_vae_shapes_and_seeded_sampling(x, body):
    torch.manual_seed(0)
    vae = VariationalAutoencoder(latent_dim=2, hidden=[32, 16], body=body, beta=0.5)
    mu, logvar = vae.encode(x)
    assert mu.shape == logvar.shape == (8, 2)
    z1 = vae.reparameterize(mu, logvar, torch.Generator().manual_seed(1))
    z2 = vae.reparameterize(mu, logvar, torch.Generator().manual_seed(1))
    assert torch.equal(z1, z2)  # ε comes from the generator only
    logits, mu2, _ = vae(x, torch.Generator().manual_seed(1))
    assert logits.shape == (8, IMAGE_PIXELS) and torch.equal(mu, mu2)
    terms = vae.loss(x, torch.Generator().manual_seed(1))
    assert set(terms) == {"loss", "rec", "kl"}
    assert torch.allclose(terms["loss"], terms["rec"] + 0.5 * terms["kl"])


def test_judge_shapes(x):
    torch.manual_seed(0)
    judge = JudgeCNN().eval()
    assert judge(x).shape == (8, 10)
    assert judge.features(x).shape == (8, judge.kwargs["features"])
    terms = judge.loss(x, torch.arange(8) % 10)
    assert 0 <= float(terms["accuracy"]) <= 1 and torch.isfinite(terms["loss"])


def test_gaussian_kl_is_zero_for_the_prior_itself():
    mu, logvar = torch.zeros(5, 3), torch.zeros(5, 3)
    assert torch.equal(gaussian_kl(mu, logvar), torch.zeros(5))


def test_gaussian_kl_matches_a_monte_carlo_estimate():
    g = torch.Generator().manual_seed(0)
    mu = torch.tensor([[0.5, -1.0, 2.0], [0.0, 0.3, -0.7]], dtype=torch.float64)
    logvar = torch.tensor([[0.2, -1.5, 0.7], [1.0, 0.0, -0.3]], dtype=torch.float64)
    std = (0.5 * logvar).exp()
    n = 200_000
    z = mu[:, None] + std[:, None] * torch.randn(2, n, 3, generator=g, dtype=torch.float64)
    log_q = (-0.5 * ((z - mu[:, None]) / std[:, None]) ** 2 - torch.log(std[:, None])
             - 0.5 * math.log(2 * math.pi)).sum(-1)
    log_p = (-0.5 * z ** 2 - 0.5 * math.log(2 * math.pi)).sum(-1)
    mc = (log_q - log_p).mean(1)
    closed = gaussian_kl(mu, logvar)
    assert torch.all(closed > 0)
    assert torch.allclose(closed, mc, atol=0.02), (closed, mc)


def test_bce_per_image_is_summed_over_pixels():
    x = torch.full((2, IMAGE_PIXELS), 0.5)
    logits = torch.zeros(2, IMAGE_PIXELS)  # p = 0.5 everywhere: log 2 nats per pixel
    assert torch.allclose(bce_per_image(logits, x), torch.full((2,), IMAGE_PIXELS * math.log(2)))


@pytest.mark.parametrize("make", [
    lambda: Autoencoder(latent_dim=2, hidden=[32, 16]),
    lambda: VariationalAutoencoder(latent_dim=4, hidden=[16], body="conv", beta=4.0),
    lambda: JudgeCNN(channels=(4, 8), features=16),
])
def test_checkpoint_rebuilds_the_same_model(tmp_path, x, make):
    torch.manual_seed(0)
    model = make().eval()
    path = tmp_path / "m.pt"
    torch.save(checkpoint_dict(model, seed=3, history=[{"epoch": 1}]), path)
    loaded, ckpt = load_checkpoint(path)
    assert type(loaded) is type(model) and ckpt["kwargs"] == model.kwargs and ckpt["seed"] == 3
    assert not loaded.training
    with torch.no_grad():
        if isinstance(model, VariationalAutoencoder):
            assert torch.equal(model.encode(x)[0], loaded.encode(x)[0])
        assert torch.equal(model.decode(torch.zeros(1, model.latent_dim)),
                           loaded.decode(torch.zeros(1, model.latent_dim))) \
            if not isinstance(model, JudgeCNN) else torch.equal(model(x), loaded(x))
