"""The textbook variants of the AE: the corruption, the denoising and the sparse objective."""

from __future__ import annotations

import pytest
import torch

from pipeline.core.dataset_info import DEFAULT_IMAGE_SHAPE, pixels
from pipeline.core.models import (Autoencoder, DenoisingAutoencoder,
                                  SparseAutoencoder, bce_per_image, checkpoint_dict, corrupt,
                                  load_checkpoint)

IMAGE_PIXELS = pixels(DEFAULT_IMAGE_SHAPE)


@pytest.fixture
def x() -> torch.Tensor:
    return torch.rand(16, IMAGE_PIXELS, generator=torch.Generator().manual_seed(0))


def test_gaussian_corruption_is_seeded_clipped_and_changes_pixels(x):
    a = corrupt(x, "gaussian", 0.5, torch.Generator().manual_seed(1))
    b = corrupt(x, "gaussian", 0.5, torch.Generator().manual_seed(1))
    assert torch.equal(a, b) and not torch.equal(a, x)
    assert float(a.min()) >= 0.0 and float(a.max()) <= 1.0


def test_mask_corruption_zeroes_about_the_stated_share():
    ones = torch.ones(100, IMAGE_PIXELS)
    masked = corrupt(ones, "mask", 0.25, torch.Generator().manual_seed(2))
    zero_share = float((masked == 0).float().mean())
    assert abs(zero_share - 0.25) < 0.01
    assert set(masked.unique().tolist()) == {0.0, 1.0}


def test_unknown_corruption_names_the_choices(x):
    with pytest.raises(ValueError, match="gaussian"):
        corrupt(x, "blur", 0.1)


@torch.no_grad()  # values only
def test_denoising_loss_scores_the_clean_image(x):
    torch.manual_seed(0)
    dae = DenoisingAutoencoder(latent_dim=2, hidden=[32, 16], noise="gaussian", noise_level=0.0)
    # No noise: the denoising objective is the plain AE's.
    assert torch.allclose(dae.loss(x)["loss"], bce_per_image(dae(x), x).mean())
    dae.noise_level = 0.5
    noisy_input = corrupt(x, "gaussian", 0.5, torch.Generator().manual_seed(3))
    expected = bce_per_image(dae(noisy_input), x).mean()  # encodes the noisy, scores the clean
    got = dae.loss(x, torch.Generator().manual_seed(3))["loss"]
    assert torch.allclose(got, expected)
    assert float(got) != float(bce_per_image(dae(x), x).mean())  # the input really was noisy


@torch.no_grad()  # values only
def test_sparse_loss_adds_the_weighted_l1_of_the_hidden_layer(x):
    torch.manual_seed(0)
    sae = SparseAutoencoder(latent_dim=2, hidden=[32, 16], l1_weight=0.1)
    terms = sae.loss(x)
    h = sae.body(x)
    assert torch.allclose(terms["l1"], h.abs().sum(1).mean())
    assert torch.allclose(terms["loss"], terms["rec"] + 0.1 * terms["l1"])
    assert float(terms["l1"]) > 0
    plain = Autoencoder(latent_dim=2, hidden=[32, 16])
    plain.load_state_dict(sae.state_dict())
    assert torch.allclose(terms["rec"], plain.loss(x)["rec"])


@pytest.mark.parametrize("make", [
    lambda: DenoisingAutoencoder(latent_dim=2, hidden=[16], noise="mask", noise_level=0.3),
    lambda: SparseAutoencoder(latent_dim=2, hidden=[16], body="conv", l1_weight=0.05),
])
def test_variant_checkpoints_rebuild_the_same_model(tmp_path, x, make):
    torch.manual_seed(0)
    model = make().eval()
    torch.save(checkpoint_dict(model), tmp_path / "m.pt")
    loaded, ckpt = load_checkpoint(tmp_path / "m.pt")
    assert type(loaded) is type(model) and ckpt["kwargs"] == model.kwargs
    with torch.no_grad():
        assert torch.equal(model(x), loaded(x))
