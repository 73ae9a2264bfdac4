"""One evaluation: the train stage's test metrics, the analyse stage's reconstruction numbers and
the claims' anomaly scores are the models' own training terms, computed once (core/scoring)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline.core import batched, scoring
from pipeline.core.imaging import to_uint8
from pipeline.core.dataset_info import DEFAULT_IMAGE_SHAPE, pixels
from pipeline.core.models import Autoencoder, VariationalAutoencoder

IMAGE_PIXELS = pixels(DEFAULT_IMAGE_SHAPE)
from pipeline.stages.s2_train.evaluation import EVAL_BATCH, evaluate_ae, evaluate_vae
from pipeline.stages.s4_analyse.claims import measure as claims


@pytest.fixture
def x() -> torch.Tensor:
    # Pixels that are exact uint8 steps, so the uint8 path (batched) sees the same images.
    images = torch.randint(0, 256, (EVAL_BATCH + 37, IMAGE_PIXELS),
                           generator=torch.Generator().manual_seed(0), dtype=torch.uint8)
    return images.float() / 255


def _training_rec_ae(model: Autoencoder, x: torch.Tensor) -> float:
    with torch.no_grad():
        return float(model.eval().loss(x)["rec"])


def test_ae_test_metric_is_its_training_loss_and_every_path_agrees(x):
    torch.manual_seed(0)
    ae = Autoencoder(latent_dim=2, hidden=[32, 16]).eval()
    metrics = evaluate_ae(ae, x)  # two batches: 2000 + 37
    assert metrics["bce"] == pytest.approx(_training_rec_ae(ae, x), rel=1e-6)
    with torch.no_grad():
        mse = float(((ae.decode(ae.encode(x)) - x) ** 2).mean())
    assert metrics["mse"] == pytest.approx(mse, rel=1e-5)
    # The analyse stage's paths: from uint8 images and precomputed codes, and from float arrays.
    images = to_uint8(x.numpy()).reshape(-1, 28, 28)
    z = batched.encode(ae, images)[0]
    from_codes = batched.recon_errors(ae, images, z)
    assert from_codes["bce_nats"] == pytest.approx(metrics["bce"], rel=1e-6)
    assert from_codes["mse_per_pixel"] == pytest.approx(metrics["mse"], rel=1e-6)
    numbers = claims.recon_numbers(ae, x.numpy())
    assert numbers["bce_nats"] == pytest.approx(metrics["bce"], rel=1e-6)
    assert numbers["mse_per_pixel"] == pytest.approx(metrics["mse"], rel=1e-6)
    assert claims.anomaly_score(ae, x.numpy(), seed=0).mean() == pytest.approx(metrics["bce"], rel=1e-6)


def test_vae_elbo_is_its_training_loss_at_beta_one_with_the_same_draws(x):
    torch.manual_seed(0)
    vae = VariationalAutoencoder(latent_dim=3, hidden=[32]).eval()
    batch = x[:EVAL_BATCH]  # one batch: evaluation and the loss draw ε in the same order
    metrics = evaluate_vae(vae, batch, torch.Generator().manual_seed(5))
    with torch.no_grad():
        terms = vae.loss(batch, torch.Generator().manual_seed(5))
    assert -metrics["elbo"] == pytest.approx(float(terms["loss"]), rel=1e-6)
    assert metrics["kl"] == pytest.approx(float(terms["kl"]), rel=1e-6)
    # The claims' anomaly score is the same negative ELBO per image, seeded the same way.
    score = claims.anomaly_score(vae, batch.numpy(), seed=5)
    assert score.shape == (len(batch),)
    assert float(np.mean(score, dtype=np.float64)) == pytest.approx(-metrics["elbo"], rel=1e-6)
    # Its deterministic reconstruction is the decode of μ, not of a draw.
    with torch.no_grad():
        bce_mu = float(scoring.decoded_terms(vae, vae.encode(batch)[0], batch)["bce"].mean())
    assert metrics["bce"] == pytest.approx(bce_mu, rel=1e-6)
    assert metrics["bce"] != pytest.approx(float(terms["rec"]), rel=1e-6)


def test_total_is_order_free_float64():
    parts = [torch.full((3,), 1e8, dtype=torch.float32), torch.ones(5, dtype=torch.float32)]
    assert scoring.total(parts) == 3e8 + 5  # float32 accumulation would lose the ones
    assert scoring.total([]) == 0.0
