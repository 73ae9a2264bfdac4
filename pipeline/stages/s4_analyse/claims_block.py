"""The ``claims`` block of metrics.json: each model's latent profile (holes, decoded-quality map,
N(0, I) decodes off the manifold) and the verdict of every claim from the block's numbers.

Off-manifold is h4's measure (quality_map): a decode is off-manifold when, in judge features,
it lies farther from every reconstruction of a test image than all but 1 % of reconstructions
lie from their nearest other one (``analyse.quality_percentile``, 99 by default). The same rule
scores grid cells (the quality map) and prior samples."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from torch import nn

from pipeline.core import batched
from pipeline.core.grids import latent_window
from pipeline.core.robust import Case
from . import holes, quality_map, verdicts as v

# The hole numbers of a 2-D model's profile (as the page prints them).
HOLE_KEYS = ("hole_fraction_hull", "hole_fraction_window", "prior_mass_uncovered_fraction")
JudgeFn = Callable[[np.ndarray], np.ndarray]  # uint8 [M, 28, 28] -> judge features [M, F]


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


def _only(cases: dict[str, float], seed: str) -> dict[str, float]:
    """The cases of one seed (a single-seed model is compared with the pair of its seed)."""
    return {k: val for k, val in cases.items() if Case.parse(k).seed == seed}


def claim_checks(c: dict[str, Any], sweep: list[dict[str, Any]], surgery: dict[str, Any]
                 ) -> dict[str, list[v.Check]]:
    """The checks of each claim (1..10) from the claims block: its ``cases`` (each number in
    every seed, and under every judge where one is involved) and the β-sweep and ELBO-surgery
    numbers of metrics.json (``surgery``: the main VAE's, for log N)."""
    ids, rec, cl, cs = c["ids"], c["reconstruction"], c["clusters"], c["cases"]
    ae, vae, hi, main = ids["ae"], ids["vae"], ids.get("ae_high"), c["main_seed"]
    off = cs["prior_off_manifold"]
    variants = {ids[k]: off[ids[k]] for k in ("denoise", "sparse") if ids.get(k) in off}
    prior_models = [m for m in (ae, hi) if m in off]
    recon_cases = {ae: cs["ae_recon"]}
    if hi in rec:
        recon_cases[hi] = {key: {main: rec[hi][key]} for key in ("bce_nats", "mse_per_pixel")}
    pca_pairs = {f"{m} below PCA-{d} in {unit}": (recon_cases[m][key], rec[f"pca{d}"][key])
                 for m, d in ((ae, 2), (hi, c["latent"].get(hi, {}).get("latent_dim"))) if m in recon_cases
                 for unit, key in (("BCE", "bce_nats"), ("MSE", "mse_per_pixel"))}
    pca_pairs[f"{ae} codes sort digits better (5-NN error) than PCA-2's"] = (
        {s: 1 - acc for s, acc in cs["code_knn_accuracy"].items()}, 1 - cl["accuracy_fraction"]["pca2"])
    conv, per_class = ids["conv"], c["conv"]["per_class_bce_nats"]
    hardest = int(np.argmax(per_class[ae]))
    conv_pairs = {f"{conv} test BCE below {ae}'s": ({main: rec[conv]["bce_nats"]}, rec[ae]["bce_nats"]),
                  f"{conv} BCE below {ae}'s on the hardest class": (
                      {main: per_class[conv][hardest]}, per_class[ae][hardest])}
    kl_by_beta = {e["beta"]: e["test_kl_nats"] for e in sweep}
    steps = cs["step_max_over_mean"]
    return {
        "clusters": v.clusters(cs["code_knn_accuracy"], cl["chance_fraction"], cl["pixels_fraction"], ae),
        "holes": v.holes_decode_badly(cs["off_manifold_in_holes"], cs["off_manifold_in_occupied"], ae),
        "random_codes": v.prior_decodes_are_garbage({m: off[m] for m in prior_models}),
        "vae_complete": v.vae_prior_is_complete(off[vae], off[ae], steps["vae"], steps["ae"]),
        "variants": v.variants_stay_autoencoders(
            variants, _only(off[ae], main), _only(off[vae], main)),
        "conv": v.lower_is_better(conv_pairs),
        "pca": v.lower_is_better(pca_pairs),
        "denoising": v.denoiser_cleans({label: {"noisy": row["noisy"]["psnr_db"],  # no seed
                                                "ae": {main: row[ae]["psnr_db"]},
                                                "denoising": {main: row[ids["denoise"]]["psnr_db"]}}
                                        for label, row in c["denoising"].items()}),
        "anomaly": v.anomalies_flagged(cs["auroc"]),
        "kl": v.kl_pulls_to_prior(kl_by_beta, cs["mutual_info_nats"], surgery["log_n_nats"]),
    }


def judge_all(c: dict[str, Any], sweep: list[dict[str, Any]], surgery: dict[str, Any]) -> dict[str, Any]:
    """{claim: {"checks": [...], "verdict": ...}} plus the rule, for metrics.json."""
    checks = claim_checks(c, sweep, surgery)
    return {"rule": v.RULE, **{name: v.judged(cs) for name, cs in checks.items()}}
