"""Runs the textbook-claims measurements on the analyse stage's loaded inputs and returns the
``claims`` block of metrics.json with the arrays its figures need (claims.npz).

Model ids (the train stage's claims specs): the main AE's id with ``-denoise``, ``-sparse``,
``-conv``; they are compared with the main AE (same body and recipe; conv: see ``CONV_MATCH``)."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from pipeline.core import seeding
from pipeline.core.robust import Case
from .. import samplers
from ..claims import cases, checks, measure
from ..analysis import Analysis, rng_for
from ..section import Result, Section

N_HARDEST = 12  # test digits in the hardest-digits figure


def _floats(images: np.ndarray) -> np.ndarray:
    return images.reshape(len(images), -1).astype(np.float32) / 255.0


def _ids(an: Analysis) -> dict[str, str]:
    trained = an.train_metrics["models"]
    high = an.roles.high or (None, None)
    ids = {"ae": an.roles.ae, "vae": an.roles.vae, "ae_high": high[0], "vae_high": high[1]}
    ids.update({k: mid for k, mid in an.roles.variants.items() if mid in trained})
    return {k: mid for k, mid in ids.items() if mid}


# What the pages call each role's model, before its code size: "denoising AE-2", "VAE-16".
ROLE_NAMES = {"ae": "AE", "vae": "VAE", "ae_high": "AE", "vae_high": "VAE",
              "denoise": "denoising AE", "sparse": "sparse AE", "conv": "conv AE"}


def reader_names(ids: dict[str, str], latent_dims: dict[str, int]) -> dict[str, str]:
    """Model id -> the name the pages print: the role's name and the code size."""
    return {mid: f"{ROLE_NAMES[role]}-{latent_dims[mid]}" for role, mid in ids.items()}


def trained(an: Analysis) -> bool:
    """Did the train stage train the claims models (``train.claims``)?"""
    variants = an.roles.variants
    return bool(variants) and all(mid in an.train_metrics["models"] for mid in variants.values())


def claims_block(an: Analysis, metrics: dict[str, Any]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The claims block's numbers (``_run`` adds the verdicts from them) and the figure arrays.
    ``an`` is the stage's Analysis (model, codes, data, judge, device, seed, cfg); ``metrics``
    the numbers measured before (robustness, surgery)."""
    ids, seed, dev = _ids(an), an.seed, an.device
    train_x, test_x = _floats(an.data["train_x"]), _floats(an.data["test_x"])
    train_y, test_y = an.data["train_y"], an.data["test_y"]
    models = {k: an.model(mid) for k, mid in ids.items()}
    dims = sorted({2} | {models[k].latent_dim for k in ("ae", "ae_high") if k in models})
    pca_numbers, pca_fits = measure.pca_baseline(train_x, test_x, dims)
    code_sets = {ids[k]: (an.codes(ids[k])["train_z"], an.codes(ids[k])["test_z"])
                 for k in ("ae", "vae", "ae_high", "vae_high") if k in ids}
    code_sets.update({f"pca{d}": (f.train_codes, f.codes) for d, f in pca_fits.items()})
    names = reader_names(ids, {mid: models[k].latent_dim for k, mid in ids.items()})
    block: dict[str, Any] = {"ids": ids, "names": names,
                             "clusters": measure.clusters(code_sets, train_x, train_y, test_x, test_y)}
    block["reconstruction"] = {**pca_numbers, **{ids[k]: measure.recon_numbers(models[k], test_x, dev)
                                                  for k in ("ae", "ae_high", "conv") if k in ids}}
    ev = metrics["robustness"]
    block["main_seed"] = ev["seeds"][0]
    block["latent"], variants_off = _latent(an, ids, models, ev)
    arrays = {"pca2_train_z": pca_fits[2].train_codes}
    if "conv" in ids:
        block["conv"], arrays_conv = _conv(an, ids, models, test_x, test_y)
        arrays.update(arrays_conv)
    if "denoise" in ids:
        block["denoising"], examples = measure.denoising(
            {ids["ae"]: models["ae"], ids["denoise"]: models["denoise"]}, test_x,
            seed=int(rng_for(seed, "claims-noise").integers(2**31)), device=dev)
        arrays.update({f"denoise_{k}": v for k, v in examples.items()})
    sets = measure.ood_sets(test_x, int(rng_for(seed, "claims-ood").integers(2**31)))
    block["anomaly"], scores = measure.anomalies({ids["ae"]: models["ae"], ids["vae"]: models["vae"]},
                                                test_x, sets, seeding.seed_for(seed, "claims-ood-scores"), dev)
    arrays.update({f"ood_score__{k.replace('/', '__')}": v for k, v in scores.items()})
    arrays["ood_letters"] = sets["letters"][:12]
    block["recipes"] = {k: _recipe(models[k]) for k in ("denoise", "sparse") if k in ids}
    block["cases"] = cases.cases(an, block, ev, metrics["surgery"][ids["vae"]], variants_off, sets)
    return block, arrays


def claims_models(an: Analysis) -> tuple[str, ...]:
    """What the claims measurements read: the main, variant and higher-dimensional models,
    every seed pair (the cases) and the trained judges."""
    seeds = [mid for pair in an.roles.seeds.values() for mid in pair]
    return tuple(dict.fromkeys([*_ids(an).values(), *seeds, *an.roles.judges.values()]))


def _recipe(model: Any) -> str:
    """The variant's difference from the plain AE, in words, from its own constructor args."""
    kw = model.kwargs
    if "noise" in kw:
        what = "Gaussian noise of standard deviation" if kw["noise"] == "gaussian" else "masking at rate"
        return f"{what} {kw['noise_level']:g} (pixels clipped to [0, 1])"
    return f"an L1 penalty of weight {kw['l1_weight']:g} on the encoder's last hidden layer"


def _latent(an: Analysis, ids: dict[str, str], models: dict[str, Any], ev: dict[str, Any]
            ) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    """Each model's latent profile as the page prints it (main seed, main judge), and the
    variants' N(0, I) off-manifold shares under every judge ({model: {"seed0/judge": share}}).
    The main and higher-dimensional pairs' numbers are the robustness block's (measured there for every
    seed and judge); the denoising and sparse AEs are measured here."""
    main, judge = ev["seeds"][0], next(iter(ev["judges"]))
    first, n = ev["per_seed"][main][judge], an.cfg.n_samples
    lat: dict[str, Any] = {}
    for kind in ("ae", "vae"):
        summary = an.hole_summary(ids[kind])
        lat[ids[kind]] = {"latent_dim": 2, "n_samples": n,
                          "prior_off_manifold_fraction": first["prior_off_manifold_fraction"][kind],
                          "holes": {k: summary[k] for k in measure.HOLE_KEYS},
                          "quality": {k: val for k, val in first["quality_map"][kind].items()
                                      if k.endswith("_fraction")}}
    for kind in ("ae", "vae"):
        if f"{kind}_high" in ids and ev["high_dim"]:
            lat[ids[f"{kind}_high"]] = {
                "latent_dim": models[f"{kind}_high"].latent_dim, "n_samples": n,
                "prior_off_manifold_fraction": ev["high_dim"]["prior_off_manifold_fraction"][judge][kind]}
    judges = {j: functools.partial(an.features, mid) for j, mid in ev["judges"].items()}
    variants_off: dict[str, dict[str, float]] = {}
    for k in ("denoise", "sparse"):
        if k not in ids:
            continue
        mid = ids[k]
        prof = measure.latent_profile(
            models[k], an.codes(mid)["train_z"], an.data["test_x"], judges,
            samplers.prior(n, 2, rng_for(an.seed, f"claims-prior-{mid}")), an.cfg.grid,
            an.cfg.hole_max_count, an.cfg.quality_percentile, an.device)
        by_judge = prof.pop("by_judge")
        lat[mid] = {**prof, **by_judge[judge]}
        variants_off[mid] = {str(Case(main, j)): view["prior_off_manifold_fraction"]
                             for j, view in by_judge.items()}
    return lat, variants_off


def _conv(an: Analysis, ids: dict[str, str], models: dict[str, Any], test_x: np.ndarray,
          test_y: np.ndarray) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Per-class BCE of the MLP and conv AE-2, and the hardest test digits (by the MLP's BCE)
    with both reconstructions."""
    trained = an.train_metrics["models"]
    per_class, per_image = {}, {}
    for k in ("ae", "conv"):
        per_class[ids[k]], per_image[k] = measure.per_class_bce(models[k], test_x, test_y, an.device)
    hardest = np.argsort(-(per_image["ae"] + per_image["conv"]), kind="stable")[:N_HARDEST]
    block = {"per_class_bce_nats": per_class, "matched_by": CONV_MATCH,
             "params": {ids[k]: trained[ids[k]]["params"] for k in ("ae", "conv")},
             "epochs": {ids[k]: trained[ids[k]]["epochs"] for k in ("ae", "conv")},
             "hardest_by": "the sum of both models' BCE (so neither model picks its own test)"}
    arrays = {"hardest_images": test_x[hardest],
              **{f"hardest_{k}": measure.reconstruct(models[k], test_x[hardest], an.device)
                 for k in ("ae", "conv")}}
    return block, arrays


CONV_MATCH = "comparable training time (fewer epochs of the slower conv body)"


def _run(an: Analysis, needs: dict[str, Result]) -> Result:
    """The claims block, after the sections whose numbers its verdicts read; none (the key is
    left out) when the claims models were not trained."""
    if not trained(an):
        return Result(None)
    metrics = {name: r.block for name, r in needs.items()}
    # The measurements are one cached job (they read the models, not the β sweep); the verdicts,
    # which also read the sweep, are applied to them here.
    block, arrays = an.job("claims", claims_models(an), lambda: claims_block(an, metrics))
    if {"conv", "denoise", "sparse"} <= set(block["ids"]):
        surgery = metrics["surgery"][block["ids"]["vae"]]
        block = {**block, "verdicts": checks.judge_all(block, metrics["beta_sweep"], surgery)}
    return Result(block, {"claims": arrays})


SECTION = Section("claims", _run, needs=("robustness", "surgery", "beta_sweep", "paths"))
