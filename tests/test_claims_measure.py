"""The claims measurements on tiny untrained models and synthetic images."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline.core.models import Autoencoder, VariationalAutoencoder, bce_per_image, gaussian_kl
from pipeline.stages.s4_analyse.claims import measure as claims


@pytest.fixture
def images() -> np.ndarray:
    return np.random.default_rng(0).random((40, 784)).astype(np.float32)


@pytest.fixture
def ae() -> Autoencoder:
    torch.manual_seed(0)
    return Autoencoder(latent_dim=2, hidden=[16]).eval()


@pytest.fixture
def vae() -> VariationalAutoencoder:
    torch.manual_seed(1)
    return VariationalAutoencoder(latent_dim=2, hidden=[16]).eval()


def test_recon_bce_is_the_training_loss_per_image(ae, images):
    x = torch.from_numpy(images)
    with torch.no_grad():
        expected = bce_per_image(ae(x), x).numpy()
    assert np.allclose(claims.recon_bce(ae, images), expected, rtol=1e-5)
    numbers = claims.recon_numbers(ae, images)
    assert numbers["bce_nats"] == pytest.approx(float(expected.mean()), rel=1e-5)
    assert 0 < numbers["mse_per_pixel"] < 1


def test_vae_anomaly_score_is_a_seeded_negative_elbo(vae, images):
    a = claims.anomaly_score(vae, images, seed=5)
    assert np.array_equal(a, claims.anomaly_score(vae, images, seed=5))
    x = torch.from_numpy(images)
    with torch.no_grad():
        mu, logvar = vae.encode(x)
        z = vae.reparameterize(mu, logvar, torch.Generator().manual_seed(5))
        expected = (bce_per_image(vae.decode_logits(z), x) + gaussian_kl(mu, logvar)).numpy()
    assert np.allclose(a, expected, rtol=1e-5)


def test_anomalies_give_a_coin_for_a_copy_of_the_test_set(ae, vae, images):
    numbers, scores = claims.anomalies({"ae2": ae, "vae2": vae}, images,
                                       {"copy": images.copy(), "bright": np.ones_like(images)}, seed=0)
    assert numbers["auroc_fraction"]["ae2"]["copy"] == pytest.approx(0.5)
    assert 0.0 <= numbers["auroc_fraction"]["vae2"]["bright"] <= 1.0
    assert set(scores) == {f"{m}/{s}" for m in ("ae2", "vae2") for s in ("test", "copy", "bright")}


def test_denoising_reports_the_noisy_input_and_each_model(ae, images):
    numbers, examples = claims.denoising({"ae2": ae}, images, seed=0)
    assert set(numbers) == {"trained", "unseen"}
    assert numbers["trained"]["corruption"] == claims.TRAINED_CORRUPTION[0]
    for row in numbers.values():
        assert row["noisy"]["psnr_db"] < 100 and "ae2" in row
    assert examples["trained_ae2"].shape == (8, 784)


def test_clusters_and_pca_blocks(images):
    y = np.arange(40) % 4
    block = claims.clusters({"raw": (images, images)}, images, y, images, y, k=1)
    assert block["accuracy_fraction"]["raw"] == 1.0 == block["pixels_fraction"]  # self-matches
    assert block["chance_fraction"] == 0.25
    numbers, fits = claims.pca_baseline(images, images, [2, 4])
    assert numbers["pca4"]["mse_per_pixel"] < numbers["pca2"]["mse_per_pixel"]
    assert fits[2].codes.shape == (40, 2)


def test_per_class_bce_has_ten_classes(ae, images):
    per_class, per_image = claims.per_class_bce(ae, images, np.arange(40) % 10)
    assert len(per_class) == 10 and per_image.shape == (40,)
    assert per_class[0] == pytest.approx(float(per_image[::10].mean()), rel=1e-5)


def test_ood_sets_have_the_stated_sizes(images):
    sets = claims.ood_sets(images, seed=0)
    assert len(sets["letters"]) == claims.N_LETTERS
    assert sets["upside_down"].shape == images.shape == sets["uniform_noise"].shape
