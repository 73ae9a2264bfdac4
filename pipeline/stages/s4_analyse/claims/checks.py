"""The textbook claims' checks: what each claim is split into, from the claims block's numbers
(its ``cases``: each number in every seed, and under every judge where one is involved), the
β sweep and the ELBO surgery. Each check is made by the rule (``rule.py``); the builders are pure
functions of numbers, so every branch is unit-tested."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from pipeline.core import robust
from pipeline.core.report import Check
from pipeline.core.robust import Case
from .rule import RULE, Cases, better, judged, no_better, on_side, where

CLUSTER_CHANCE_FACTOR = 2.0     # codes must beat chance by this factor to "sort" digits
CLUSTER_PIXEL_SHARE = 0.9       # ... and reach this share of the raw-pixel accuracy to match them
OFF_MANIFOLD_MAJORITY = 0.5     # "nonsense"/"garbage": at least half the decodes off-manifold
ANOMALY_AUROC = 0.9             # a score "flags" an OOD set when its ROC AUC reaches this


def clusters(code_accuracy: Cases, chance: float, pixel_accuracy: float, model: str) -> list[Check]:
    """Claim 1: codes sort digits without labels (5-NN accuracy of the codes, per seed)."""
    return [
        on_side(f"{model} codes' 5-NN accuracy is at least {CLUSTER_CHANCE_FACTOR:g}× chance, "
                f"{where(code_accuracy)}", code_accuracy, CLUSTER_CHANCE_FACTOR * chance, True),
        on_side(f"{model} codes reach {CLUSTER_PIXEL_SHARE:.0%} of the raw-pixel 5-NN accuracy, "
                f"{where(code_accuracy)}", code_accuracy, CLUSTER_PIXEL_SHARE * pixel_accuracy, True),
    ]


def holes_decode_badly(off_in_holes: Cases, off_in_occupied: Cases, model: str) -> list[Check]:
    """Claim 2: decodes in empty regions are off-manifold (share of decodes off the manifold)."""
    return [
        on_side(f"at least {OFF_MANIFOLD_MAJORITY:.0%} of {model}'s decodes in holes are "
                f"off-manifold, {where(off_in_holes)}", off_in_holes, OFF_MANIFOLD_MAJORITY, True),
        better(f"{model}'s decodes in holes are off-manifold more often than in occupied cells, "
               f"{where(off_in_holes)}", off_in_holes, off_in_occupied, lower_is_better=False),
    ]


def prior_decodes_are_garbage(off_share: dict[str, Cases]) -> list[Check]:
    """Claim 3: N(0, I) decodes of plain AEs are mostly off-manifold; one check per model, in
    the order given (the main AE first: the home page reads its check)."""
    return [on_side(f"at least {OFF_MANIFOLD_MAJORITY:.0%} of {m}'s N(0, I) decodes are "
                    f"off-manifold, {where(share)}", share, OFF_MANIFOLD_MAJORITY, True)
            for m, share in off_share.items()]


def vae_prior_is_complete(vae_off: Cases, ae_off: Cases, vae_step_ratio: Cases,
                          ae_step_ratio: Cases) -> list[Check]:
    """Claim 4: VAE prior samples decode on-manifold, and its paths are smoother than the AE's."""
    return [
        on_side(f"fewer than {OFF_MANIFOLD_MAJORITY:.0%} of the VAE's N(0, I) decodes are "
                f"off-manifold, {where(vae_off)}", vae_off, OFF_MANIFOLD_MAJORITY, False),
        better(f"the VAE's N(0, I) decodes are off-manifold less often than the AE's, {where(vae_off)}",
               vae_off, ae_off, lower_is_better=True),
        better("the VAE's interpolation paths have a smaller largest-step/mean-step ratio than the "
               f"AE's, {where(vae_step_ratio)}", vae_step_ratio, ae_step_ratio, lower_is_better=True),
    ]


def variants_stay_autoencoders(variant_off: dict[str, Cases], ae_off: Cases) -> list[Check]:
    """Claim 5: denoising/sparse AEs stay AEs: their N(0, I) decodes are off-manifold at least
    about as often as the plain AE's (never fewer beyond the level band, under the same judge).
    Checked against the AE alone: "nearer the AE's share than the VAE's" decides on noise
    wherever the AE and the VAE are level."""
    return [no_better(f"{m}'s N(0, I) decodes are off-manifold no less often than the plain "
                      f"AE's, {where(off)}", off, ae_off, lower_is_better=True)
            for m, off in variant_off.items()]


def lower_is_better(pairs: dict[str, tuple[Cases | float, Cases | float]]) -> list[Check]:
    """Claims 6 and 7: for each named comparison (challenger, baseline), the challenger's error
    is lower in every case. The name says what is compared, in which unit."""
    out = []
    for name, (challenger, baseline) in pairs.items():
        cases = challenger if isinstance(challenger, Mapping) else baseline
        suffix = f", {where(cases)}" if isinstance(cases, Mapping) else ""
        out.append(better(name + suffix, challenger, baseline, lower_is_better=True))
    return out


def denoiser_cleans(psnr: dict[str, dict[str, Cases]]) -> list[Check]:
    """Claim 8: per corruption, the denoising AE's output has a higher PSNR than both the noisy
    input and the plain AE's output. ``psnr[corruption]`` holds noisy, ae and denoising."""
    checks = []
    for corruption, p in psnr.items():
        checks.append(better(f"{corruption}: the denoising AE's output is cleaner (PSNR) than the "
                             f"noisy input, {where(p['denoising'])}", p["denoising"], p["noisy"],
                             lower_is_better=False))
        checks.append(better(f"{corruption}: the denoising AE's output is cleaner (PSNR) than the "
                             f"plain AE's, {where(p['denoising'])}", p["denoising"], p["ae"],
                             lower_is_better=False))
    return checks


def anomalies_flagged(auroc: dict[str, Cases]) -> list[Check]:
    """Claim 9: reconstruction error flags each OOD set (ROC AUC against the test digits)."""
    return [on_side(f"{name}: ROC AUC at least {ANOMALY_AUROC:g}, {where(value)}", value,
                    ANOMALY_AUROC, True) for name, value in auroc.items()]


def kl_pulls_to_prior(kl_agg_by_beta: dict[float, float], mi_nats: Cases,
                      log_n: float) -> list[Check]:
    """Claim 10: a larger KL weight brings the aggregate posterior nearer N(0, I), and at β = 1
    the codes overlap (mutual information I(n; z) well below log N: images share their clouds).
    The sweep was trained once, so its trend is one case: each step down must be better than
    level (the one rule)."""
    betas = sorted(kl_agg_by_beta)
    kls = [kl_agg_by_beta[b] for b in betas]
    steps = [robust.case_verdict(b, a) == "better" for a, b in zip(kls, kls[1:])]
    return [
        Check(test="the test KL per image falls as β rises across the sweep, in 1 seed (the sweep's)",
              passed=bool(steps) and all(steps)),
        on_side(f"I(n; z) of the 2-D VAE is below half of log N, {where(mi_nats)}", mi_nats,
                0.5 * log_n, False),
    ]


def _only(cases: dict[str, float], seed: str) -> dict[str, float]:
    """The cases of one seed (a single-seed model is compared with the pair of its seed)."""
    return {k: val for k, val in cases.items() if Case.parse(k).seed == seed}


def claim_checks(c: dict[str, Any], sweep: list[dict[str, Any]], surgery: dict[str, Any]
                 ) -> dict[str, list[Check]]:
    """The checks of each claim (1..10) from the claims block: its ``cases`` (each number in
    every seed, and under every judge where one is involved) and the β-sweep and ELBO-surgery
    numbers of metrics.json (``surgery``: the main VAE's, for log N)."""
    ids, rec, cl, cs, name = c["ids"], c["reconstruction"], c["clusters"], c["cases"], c["names"]
    ae, vae, hi, main = ids["ae"], ids["vae"], ids.get("ae_high"), c["main_seed"]
    off = cs["prior_off_manifold"]
    variants = {name[ids[k]]: off[ids[k]] for k in ("denoise", "sparse") if ids.get(k) in off}
    prior_models = [m for m in (ae, hi) if m in off]
    recon_cases = {ae: cs["ae_recon"]}
    if hi in rec:
        recon_cases[hi] = {key: {main: rec[hi][key]} for key in ("bce_nats", "mse_per_pixel")}
    pca_pairs = {f"{name[m]} below PCA-{d} in {unit}": (recon_cases[m][key], rec[f"pca{d}"][key])
                 for m, d in ((ae, 2), (hi, c["latent"].get(hi, {}).get("latent_dim"))) if m in recon_cases
                 for unit, key in (("BCE", "bce_nats"), ("MSE", "mse_per_pixel"))}
    pca_pairs[f"{name[ae]} codes sort digits better (5-NN error) than PCA-2's"] = (
        {s: 1 - acc for s, acc in cs["code_knn_accuracy"].items()}, 1 - cl["accuracy_fraction"]["pca2"])
    conv, per_class = ids["conv"], c["conv"]["per_class_bce_nats"]
    hardest = int(np.argmax(per_class[ae]))
    conv_pairs = {f"{name[conv]} test BCE below {name[ae]}'s": (
                      {main: rec[conv]["bce_nats"]}, rec[ae]["bce_nats"]),
                  f"{name[conv]} BCE below {name[ae]}'s on the hardest class": (
                      {main: per_class[conv][hardest]}, per_class[ae][hardest])}
    kl_by_beta = {e["beta"]: e["test_kl_nats"] for e in sweep}
    steps = cs["step_max_over_mean"]
    return {
        "clusters": clusters(cs["code_knn_accuracy"], cl["chance_fraction"], cl["pixels_fraction"],
                             name[ae]),
        "holes": holes_decode_badly(cs["off_manifold_in_holes"], cs["off_manifold_in_occupied"], name[ae]),
        "random_codes": prior_decodes_are_garbage({name[m]: off[m] for m in prior_models}),
        "vae_complete": vae_prior_is_complete(off[vae], off[ae], steps["vae"], steps["ae"]),
        "variants": variants_stay_autoencoders(variants, _only(off[ae], main)),
        "conv": lower_is_better(conv_pairs),
        "pca": lower_is_better(pca_pairs),
        "denoising": denoiser_cleans({label: {"noisy": row["noisy"]["psnr_db"],  # no seed
                                                "ae": {main: row[ae]["psnr_db"]},
                                                "denoising": {main: row[ids["denoise"]]["psnr_db"]}}
                                        for label, row in c["denoising"].items()}),
        "anomaly": anomalies_flagged(cs["auroc"]),
        "kl": kl_pulls_to_prior(kl_by_beta, cs["mutual_info_nats"], surgery["log_n_nats"]),
    }


def judge_all(c: dict[str, Any], sweep: list[dict[str, Any]], surgery: dict[str, Any]) -> dict[str, Any]:
    """{claim: {"checks": [...], "verdict": ...}} plus the rule, for metrics.json."""
    checks = claim_checks(c, sweep, surgery)
    return {"rule": RULE, **{name: judged(cs) for name, cs in checks.items()}}
