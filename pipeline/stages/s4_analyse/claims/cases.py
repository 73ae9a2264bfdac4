"""The claims' numbers in every case they were measured in, for the verdicts: each seed of the
main pair, and under each judge where a judge is involved. A check passes only if it passes in
every case (rule.py), the rule of every comparing sentence on the site.

Most numbers are already in the robustness block (every seed × judge); the few the claims add per
seed (5-NN accuracy of the codes, test reconstruction, anomaly ROC AUC, I(n; z)) are measured
here for the other seeds' models; the main seed's come from the claims block itself.

Case names: "seed1/mlp" (a seed under a judge) or "seed1" (a judge-free number)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from pipeline.core import seeding
from pipeline.core.robust import Case
from .. import baselines
from ..analysis import Analysis
from ..sections import vae_terms
from . import measure

Cases = dict[str, float]


def _seed_judge(per_seed: dict[str, Any], number: Callable[[dict[str, Any]], float]) -> Cases:
    """A number of the robustness block's per-seed, per-judge results, in every case."""
    return {str(Case(s, j)): number(res) for s, judged in per_seed.items() for j, res in judged.items()}


def _judged(ev: dict[str, Any], variants_off: dict[str, Cases], ids: dict[str, str]
            ) -> dict[str, Any]:
    """The judge-dependent numbers: N(0, I) off-manifold shares per model, and the AE's quality
    map (off-manifold shares in holes and in occupied cells)."""
    per, main = ev["per_seed"], ev["seeds"][0]
    off = {ids[k]: _seed_judge(per, lambda r, k=k: r["prior_off_manifold_fraction"][k])
           for k in ("ae", "vae")}
    if "ae_high" in ids and ev["high_dim"]:
        off[ids["ae_high"]] = {str(Case(main, j)): shares["ae"] for j, shares in
                               ev["high_dim"]["prior_off_manifold_fraction"].items()}
    off.update(variants_off)
    # A map without hole cells has no share there (None): no decodes in holes to be off-manifold.
    return {"prior_off_manifold": off,
            "off_manifold_in_holes": _seed_judge(
                per, lambda r: r["quality_map"]["ae"]["off_manifold_in_holes_fraction"] or 0.0),
            "off_manifold_in_occupied": _seed_judge(
                per, lambda r: r["quality_map"]["ae"]["off_manifold_in_occupied_fraction"] or 0.0)}


def _per_seed(an: Analysis, mids: dict[str, str], main_value: float,
              measure: Callable[[str], float]) -> Cases:
    """{seed: number}: the main seed's already measured, the others' measured now."""
    main = next(iter(mids))
    return {s: main_value if s == main else measure(mid) for s, mid in mids.items()}


def cases(an: Analysis, block: dict[str, Any], ev: dict[str, Any], surgery: dict[str, Any],
          variants_off: dict[str, Cases], ood_sets: dict[str, np.ndarray]) -> dict[str, Any]:
    """The ``cases`` of the claims block (see the module docstring)."""
    ids = block["ids"]
    aes = {s: pair[0] for s, pair in ev["models"].items()}
    vaes = {s: pair[1] for s, pair in ev["models"].items()}
    data, dev = an.data, an.device
    test_x = data["test_x"].reshape(len(data["test_x"]), -1).astype(np.float32) / 255.0
    recon = {s: block["reconstruction"][ids["ae"]] if mid == ids["ae"] else
             measure.recon_numbers(an.model(mid), test_x, dev) for s, mid in aes.items()}
    auroc = block["anomaly"]["auroc_fraction"][ids["ae"]]
    others = {mid: an.model(mid) for mid in aes.values() if mid != ids["ae"]}
    other_auroc = measure.anomalies(others, test_x, ood_sets,
                                   seeding.seed_for(an.seed, "claims-ood-scores"), dev)[0]["auroc_fraction"]
    return {
        **_judged(ev, variants_off, ids),
        "step_max_over_mean": {kind: {s: ev["paths"]["per_seed"][s][kind]["step_max_over_mean"]
                                      for s in ev["models"]} for kind in ("ae", "vae")},
        "code_knn_accuracy": _per_seed(
            an, aes, block["clusters"]["accuracy_fraction"][ids["ae"]],
            lambda mid: baselines.knn_accuracy(an.codes(mid)["train_z"], data["train_y"],
                                               an.codes(mid)["test_z"], data["test_y"],
                                               block["clusters"]["k"])),
        "ae_recon": {key: {s: r[key] for s, r in recon.items()} for key in ("bce_nats", "mse_per_pixel")},
        "auroc": {name: {s: auroc[name] if mid == ids["ae"] else other_auroc[mid][name]
                         for s, mid in aes.items()} for name in auroc},
        "mutual_info_nats": _per_seed(an, vaes, surgery["mutual_info_nats"],
                                      lambda mid: vae_terms.surgery_of(an, mid)["mutual_info_nats"]),
    }
