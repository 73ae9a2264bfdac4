"""Measurements for the page "Textbook claims, tested", on float arrays and loaded models.

Images are float32 [N, pixels] in [0, 1]. Every function returns plain numbers (for metrics.json)
and, where a figure needs them, the arrays behind the numbers. Nothing here reads or writes files;
the analyse stage passes the models and arrays in and stores what comes back."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import torch
from torch import nn

from pipeline.core import batched, scoring
from pipeline.core.grids import latent_window
from pipeline.core.imaging import unflatten_square
from pipeline.core.models import VariationalAutoencoder, corrupt
from .. import anomaly, baselines, holes, quality_map

BATCH = 2000
# The corruption the denoising AE is trained with, and one it never saw (for claim 8).
TRAINED_CORRUPTION = ("gaussian", 0.5)
UNSEEN_CORRUPTION = ("mask", 0.5)
N_LETTERS = 2000  # letters in the OOD set (52 characters x 6 fonts, each with its own jitter)
# The hole numbers of a 2-D model's latent profile (as the page prints them).
HOLE_KEYS = ("hole_fraction_hull", "hole_fraction_window", "prior_mass_uncovered_fraction")
JudgeFn = Callable[[np.ndarray], np.ndarray]  # uint8 images [M, H, W] -> judge features [M, F]


@torch.no_grad()
def reconstruct(model: nn.Module, x: np.ndarray, device: str = "cpu") -> np.ndarray:
    """Decoded means (sigmoid of the logits) of each image's code (AE: z; VAE: μ)."""
    out = [model.decode(scoring.code_of(model, xt)).cpu().numpy() for xt in _batches(x, device)]
    return np.concatenate(out) if out else np.zeros((0, x.shape[1]), np.float32)


def _batches(x: np.ndarray, device: str):
    for i in range(0, len(x), BATCH):
        yield torch.from_numpy(np.ascontiguousarray(x[i:i + BATCH], dtype=np.float32)).to(device)


def _per_image(score: Callable[[torch.Tensor], dict[str, torch.Tensor]], x: np.ndarray,
               device: str) -> dict[str, np.ndarray]:
    """``score`` (one of ``scoring``'s per-image terms) over ``x`` in batches, as arrays [N]."""
    parts = [score(xt) for xt in _batches(x, device)]
    keys = parts[0].keys() if parts else ()
    return {k: torch.cat([p[k] for p in parts]).cpu().numpy() for k in keys}


def recon_bce(model: nn.Module, x: np.ndarray, device: str = "cpu") -> np.ndarray:
    """Per image: BCE summed over pixels (nats) of the reconstruction from the code (AE: z;
    VAE: μ), computed from the logits."""
    if not len(x):
        return np.zeros(0, np.float32)
    return _per_image(lambda xt: scoring.reconstruction_terms(model, xt), x, device)["bce"]


def anomaly_score(model: nn.Module, x: np.ndarray, seed: int, device: str = "cpu") -> np.ndarray:
    """Per image: the AE's reconstruction BCE (nats), or the VAE's negative ELBO (BCE of one
    seeded draw z ~ q(z|x) plus the KL term, nats). Higher = less like the training digits."""
    if not isinstance(model, VariationalAutoencoder):
        return recon_bce(model, x, device)
    gen = torch.Generator(device=device).manual_seed(seed)
    terms = _per_image(lambda xt: scoring.elbo_terms(model, xt, gen), x, device)
    return terms["rec"] + terms["kl"]


def clusters(code_sets: dict[str, tuple[np.ndarray, np.ndarray]], train_x: np.ndarray,
             train_y: np.ndarray, test_x: np.ndarray, test_y: np.ndarray, k: int = 5
             ) -> dict[str, Any]:
    """Claim 1: 5-NN label accuracy (train codes -> test codes) per named code set, with the
    majority-class guess (chance) and the same classifier on raw pixels."""
    acc = {name: baselines.knn_accuracy(tr, train_y, te, test_y, k)
           for name, (tr, te) in code_sets.items()}
    return {"k": k, "accuracy_fraction": acc,
            "pixels_fraction": baselines.knn_accuracy(train_x, train_y, test_x, test_y, k),
            "chance_fraction": baselines.chance_accuracy(train_y, test_y)}


def pca_baseline(train_x: np.ndarray, test_x: np.ndarray, dims: list[int]
                 ) -> tuple[dict[str, Any], dict[int, baselines.PcaResult]]:
    """Claim 7: PCA to each of ``dims`` components: test BCE (nats, clipped, see baselines) and
    MSE per pixel, and the share of variance kept. Also the fits (codes for maps and k-NN)."""
    fits = {d: baselines.pca_fit(train_x, test_x, d) for d in dims}
    numbers = {f"pca{d}": {"bce_nats": baselines.bce_nats(f.reconstructions, test_x),
                           "mse_per_pixel": baselines.mse_per_pixel(f.reconstructions, test_x),
                           "explained_variance_fraction": f.explained_variance_fraction,
                           "bce_clip": baselines.BCE_EPS}
               for d, f in fits.items()}
    return numbers, fits


def recon_numbers(model: nn.Module, x: np.ndarray, device: str = "cpu") -> dict[str, float]:
    """Test BCE (nats, from logits, no clipping) and MSE per pixel of a model's reconstructions."""
    terms = _per_image(lambda xt: scoring.reconstruction_terms(model, xt), x, device)
    return {"bce_nats": float(terms["bce"].astype(np.float64).mean()),
            "mse_per_pixel": float(terms["se"].astype(np.float64).mean()) / x.shape[1]}


def per_class_bce(model: nn.Module, x: np.ndarray, y: np.ndarray, device: str = "cpu"
                  ) -> tuple[list[float], np.ndarray]:
    """Claim 6: mean reconstruction BCE per digit class, and the per-image BCE (to pick the
    hardest digits for the figure)."""
    per_image = recon_bce(model, x, device)
    return [float(per_image[y == c].mean()) for c in range(int(y.max()) + 1)], per_image


def denoising(models: dict[str, nn.Module], clean: np.ndarray, seed: int, device: str = "cpu"
              ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Claim 8: per corruption (the trained one and an unseen one): PSNR (dB) and BCE (nats,
    against the clean image) of the noisy input and of each model's output. Also the arrays for
    the example figure (noisy inputs and outputs of the first images)."""
    numbers: dict[str, Any] = {}
    examples: dict[str, np.ndarray] = {"clean": clean[:8]}
    gen = torch.Generator().manual_seed(seed)
    for label, (kind, level) in {"trained": TRAINED_CORRUPTION, "unseen": UNSEEN_CORRUPTION}.items():
        noisy = corrupt(torch.from_numpy(clean), kind, level, gen).numpy()
        row = {"corruption": kind, "level": level,
               "noisy": {"psnr_db": baselines.psnr_db(noisy, clean),
                         "bce_nats": baselines.bce_nats(noisy, clean)}}
        examples[f"{label}_noisy"] = noisy[:8]
        for name, model in models.items():
            out = reconstruct(model, noisy, device)
            row[name] = {"psnr_db": baselines.psnr_db(out, clean),
                         "bce_nats": baselines.bce_nats(out, clean)}
            examples[f"{label}_{name}"] = out[:8]
        numbers[label] = row
    return numbers, examples


def ood_sets(test_x: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """The out-of-distribution sets, built from the seed alone (upside-down: the test digits)."""
    side = unflatten_square(test_x[:1]).shape[1]  # flat square grayscale test images
    return {"letters": anomaly.letters(N_LETTERS, seed, side),
            "upside_down": anomaly.upside_down(test_x),
            "uniform_noise": anomaly.uniform_noise(len(test_x), seed, test_x.shape[1])}


def anomalies(models: dict[str, nn.Module], test_x: np.ndarray, sets: dict[str, np.ndarray],
              seed: int, device: str = "cpu") -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Claim 9: ROC AUC of each model's score (AE: reconstruction BCE; VAE: negative ELBO) for
    telling each OOD set from the real test digits. Also the scores (for histograms)."""
    auroc: dict[str, dict[str, float]] = {}
    scores: dict[str, np.ndarray] = {}
    for mid, model in models.items():
        inside = anomaly_score(model, test_x, seed, device)
        scores[f"{mid}/test"] = inside
        auroc[mid] = {}
        for name, images in sets.items():
            outside = anomaly_score(model, images, seed, device)
            scores[f"{mid}/{name}"] = outside
            auroc[mid][name] = anomaly.auroc(inside, outside)
    return {"auroc_fraction": auroc, "n": {k: len(v) for k, v in sets.items()}}, scores


def latent_profile(model: nn.Module, train_z: np.ndarray, test_images: np.ndarray,
                   judges: dict[str, JudgeFn], prior_z: np.ndarray, grid: int,
                   hole_max_count: int, percentile: float, device: str = "cpu") -> dict[str, Any]:
    """Under each judge: the share of the decodes of ``prior_z`` (N(0, I) draws) off the
    manifold of the model's reconstructions, and for 2-D codes the decoded-quality map's shares;
    for 2-D codes also the hole fractions. ``train_z``: AE z or VAE μ."""
    test_z = batched.encode(model, test_images, device)[0]
    recons = batched.decode(model, test_z, device)
    priors = batched.decode(model, prior_z, device)
    out: dict[str, Any] = {"latent_dim": int(train_z.shape[1]), "n_samples": len(prior_z),
                           "by_judge": {}}
    if train_z.shape[1] == 2:
        window = latent_window(train_z)
        stats = holes.hole_stats(train_z, window, grid, hole_max_count)
        cells = batched.decode(model, quality_map.cell_centres(window, grid).astype(np.float32), device)
        out["holes"] = {k: stats.summary[k] for k in HOLE_KEYS}
    for jname, features in judges.items():
        m = quality_map.manifold(features(recons), percentile)
        share = quality_map.off_manifold_share(m, features(priors))
        view: dict[str, Any] = {"prior_off_manifold_fraction": share}
        if train_z.shape[1] == 2:
            qmap, _ = quality_map.quality_map(features(cells), m, stats.counts, hole_max_count,
                                              holes.prior_cell_mass(window, grid))
            view["quality"] = {k: val for k, val in qmap.items() if k.endswith("_fraction")}
        out["by_judge"][jname] = view
    return out
