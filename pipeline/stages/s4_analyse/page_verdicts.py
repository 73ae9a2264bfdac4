"""The remaining comparisons the pages make, decided here by the one rule
(``pipeline/core/robust.py``) and stored in the report, so the templates only switch on them:
the higher-dimensional pair's sample sets (the judges are its cases: it is trained in one seed),
the price of the VAE's clouds in reconstruction (every seed), and three threshold checks.
Each function is pure: numbers in, ``Comparison`` / ``ThresholdCheck`` out."""

from __future__ import annotations

from typing import Any

from pipeline.core import robust
from pipeline.core.report import Comparison, ThresholdCheck
from pipeline.core.robust import Case

# (name, set A, set B) of the higher-dimensional pair, named as the 2-D comparisons are.
HIGH_COMPARISONS = (("ae_prior_vs_vae", "{ae}_prior", "{vae}_prior"),
                    ("gmm_vs_vae", "{ae}_gmm", "{vae}_prior"),
                    ("gmm_vs_ae_prior", "{ae}_gmm", "{ae}_prior"))
CONFIDENT = 0.5           # a judge "is fooled" by gap decodes when its mean confidence reaches this
CLOUDS_FILL_PRIOR = 0.5   # the clouds fill N(0, I) when KL(q(z)‖p(z)) < this share of I(n; z)


def high_comparisons(sets: dict[str, dict[str, Any]], ae: str, vae: str, seed: str
                     ) -> dict[str, Comparison]:
    """FID comparisons of the higher-dimensional pair's sets over the judges, against the
    reconstructions and against the real images. ``sets``: {judge: {set: scores}}."""
    out = {}
    for name, a_key, b_key in HIGH_COMPARISONS:
        set_a, set_b = a_key.format(ae=ae, vae=vae), b_key.format(ae=ae, vae=vae)
        for ref in ("vs_recon", "vs_real"):
            fid = {side: {Case(seed, j): res[key][ref]["fid"] for j, res in sets.items()}
                   for side, key in (("a", set_a), ("b", set_b))}
            out[f"{name}_fid_{ref}"] = robust.compare(fid["a"], fid["b"])
    return out


def recon_price(train_models: dict[str, Any], pairs: dict[str, tuple[str, str]]) -> Comparison:
    """The VAE's test reconstruction (nats) against the AE's, over the seeds: "worse" means the
    clouds cost reconstruction quality in every seed."""
    vae = {Case(s): train_models[v]["test"]["rec"] for s, (_, v) in pairs.items()}
    ae = {Case(s): train_models[a]["test"]["bce"] for s, (a, _) in pairs.items()}
    return robust.compare(vae, ae)


def page_checks(gaps: dict[str, Any], surgery: dict[str, Any], main: str, ae: str, vae: str
                ) -> dict[str, ThresholdCheck]:
    """Threshold checks of the main seed: the judge's confidence on each model's gap decodes
    (no check without gap points), and whether the aggregate posterior fills the prior."""
    out = {}
    for role, mid in (("ae", ae), ("vae", vae)):
        conf = gaps[mid]["confidence_mean_fraction"]
        if conf is not None:
            out[f"{role}_gap_decodes_confident"] = robust.threshold_check(
                {Case(main, "cnn"): conf}, CONFIDENT, at_least=True)
    s = surgery[vae]
    ratio = s["marginal_kl_nats"] / s["mutual_info_nats"] if s["mutual_info_nats"] > 0 else float("inf")
    out["clouds_fill_prior"] = robust.threshold_check({Case(main): ratio}, CLOUDS_FILL_PRIOR)
    return out
