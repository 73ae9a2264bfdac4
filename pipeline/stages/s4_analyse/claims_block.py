"""The ``claims`` block of metrics.json: each model's latent profile (holes, decoded-quality map,
N(0, I) decodes off the manifold) and the verdict of every claim from the block's numbers.

Off-manifold is h4's measure (quality_map): a decode is off-manifold when, in judge features,
it lies farther from every reconstruction of a test image than 99 % of reconstructions lie from
their nearest other one. The same rule scores grid cells (the quality map) and prior samples."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from torch import nn

from pipeline.core import batched
from pipeline.core.grids import latent_window
from . import holes, quality_map, samplers, verdicts as v

JudgeFn = Callable[[np.ndarray], np.ndarray]  # uint8 [M, 28, 28] -> judge features [M, F]


def off_manifold_share(sample_feats: np.ndarray, recon_feats: np.ndarray,
                       percentile: float = quality_map.OFF_PERCENTILE) -> float:
    """Share of samples whose realism exceeds the reconstructions' own ``percentile``."""
    scores, own, _ = quality_map.realism(sample_feats, recon_feats)
    return float(np.mean(scores > np.percentile(own, percentile)))


def latent_profile(model: nn.Module, train_z: np.ndarray, test_images: np.ndarray,
                   features: JudgeFn, n_samples: int, rng: np.random.Generator, grid: int,
                   hole_max_count: int, device: str = "cpu") -> dict[str, Any]:
    """N(0, I) decodes off the manifold (any dimension); for 2-D codes also the hole fractions
    and the decoded-quality map's off-manifold shares. ``train_z``: AE z or VAE μ."""
    test_z = batched.encode(model, test_images, device)[0]
    recon_feats = features(batched.decode(model, test_z, device))
    prior_z = samplers.prior(n_samples, train_z.shape[1], rng)
    out: dict[str, Any] = {"latent_dim": int(train_z.shape[1]), "n_samples": n_samples,
                           "prior_off_manifold_fraction": off_manifold_share(
                               features(batched.decode(model, prior_z, device)), recon_feats)}
    if train_z.shape[1] == 2:
        window = latent_window(train_z)
        stats = holes.hole_stats(train_z, window, grid, hole_max_count)
        cells = batched.decode(model, quality_map.cell_centres(window, grid).astype(np.float32), device)
        qmap, _ = quality_map.quality_map(features(cells), recon_feats, stats.counts,
                                          hole_max_count, holes.prior_cell_mass(window, grid))
        out["holes"] = {k: stats.summary[k] for k in ("hole_fraction_hull", "hole_fraction_window",
                                                      "prior_mass_uncovered_fraction")}
        out["quality"] = {k: val for k, val in qmap.items() if k.endswith("_fraction")}
    return out


def _ids(c: dict[str, Any]) -> dict[str, str]:
    return c["ids"]


def claim_checks(c: dict[str, Any], paths: dict[str, Any], sweep: list[dict[str, Any]],
                 surgery: dict[str, Any]) -> dict[str, list[v.Check]]:
    """The checks of each claim (1..10), from the claims block and the existing path, β-sweep
    and ELBO-surgery numbers of metrics.json."""
    ids, lat, rec, cl = _ids(c), c["latent"], c["reconstruction"], c["clusters"]
    ae, vae, hi = ids["ae"], ids["vae"], ids.get("ae_high")
    q = lat[ae]["quality"]
    variants = {ids[k]: lat[ids[k]]["prior_off_manifold_fraction"] for k in ("denoise", "sparse")
                if ids.get(k) in lat}
    prior_models = [m for m in (ae, hi) if m in lat]
    pca_pairs = {f"{m} below PCA-{lat[m]['latent_dim']} in {unit}":
                 (rec[m][key], rec[f"pca{lat[m]['latent_dim']}"][key])
                 for m in prior_models for unit, key in (("BCE", "bce_nats"), ("MSE", "mse_per_pixel"))}
    acc = cl["accuracy_fraction"]
    pca_pairs[f"{ae} codes sort digits better (5-NN error) than PCA-2's"] = (1 - acc[ae], 1 - acc["pca2"])
    conv = ids["conv"]
    per_class = c["conv"]["per_class_bce_nats"]
    conv_pairs = {f"{conv} test BCE below {ae}'s": (rec[conv]["bce_nats"], rec[ae]["bce_nats"]),
                  f"{conv} BCE below {ae}'s on the hardest class": (
                      per_class[conv][int(np.argmax(per_class[ae]))], max(per_class[ae]))}
    kl_by_beta = {e["beta"]: e["test_kl_nats"] for e in sweep}
    return {
        "clusters": v.clusters(acc[ae], cl["chance_fraction"], cl["pixels_fraction"], ae),
        "holes": v.holes_decode_badly(q["off_manifold_in_holes_fraction"] or 0.0,
                                      q["off_manifold_in_occupied_fraction"] or 0.0, ae),
        "random_codes": v.prior_decodes_are_garbage(
            {m: lat[m]["prior_off_manifold_fraction"] for m in prior_models}),
        "vae_complete": v.vae_prior_is_complete(
            lat[vae]["prior_off_manifold_fraction"], lat[ae]["prior_off_manifold_fraction"],
            paths["vae_linear"]["step_max_over_mean"], paths["ae_linear"]["step_max_over_mean"]),
        "variants": v.variants_stay_autoencoders(variants, lat[ae]["prior_off_manifold_fraction"],
                                                 lat[vae]["prior_off_manifold_fraction"]),
        "conv": v.lower_is_better(conv_pairs),
        "pca": v.lower_is_better(pca_pairs),
        "denoising": v.denoiser_cleans({label: {"noisy": row["noisy"]["psnr_db"],
                                                "ae": row[ae]["psnr_db"],
                                                "denoising": row[ids["denoise"]]["psnr_db"]}
                                        for label, row in c["denoising"].items()}),
        "anomaly": v.anomalies_flagged(c["anomaly"]["auroc_fraction"][ae]),
        "kl": v.kl_pulls_to_prior(kl_by_beta, surgery["mutual_info_nats"], surgery["log_n_nats"]),
    }


def judge_all(c: dict[str, Any], paths: dict[str, Any], sweep: list[dict[str, Any]],
              surgery: dict[str, Any]) -> dict[str, Any]:
    """{claim: {"checks": [...], "verdict": ...}} plus the rule, for metrics.json."""
    checks = claim_checks(c, paths, sweep, surgery)
    return {"rule": v.RULE, **{name: v.judged(cs) for name, cs in checks.items()}}
