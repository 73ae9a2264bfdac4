"""The higher-dimensional pair: sample sets scored by distance to the codes instead of a hole map."""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.core import batched
from pipeline.core.sample_sets import SOURCES
from ..analysis import Analysis
from ..section import Result, Section
from .vae_terms import surgery_of, vae_test_terms

HIGH_MEASURE = ("Holes are not measured on the UMAP map (UMAP does not preserve density). "
                "Instead: far_fraction = share of latent points whose nearest training code is "
                "farther than the 95th percentile of code-to-nearest-other-code distances, in the "
                "d-dimensional latent space itself (VAE codes: one draw z ~ q(z|x) per training "
                "image). Points drawn like the codes score about 0.05; points in holes score higher.")


def high_dim(a: Analysis) -> tuple[dict[str, Any] | None, dict[str, np.ndarray]]:
    high = a.sweep.get("high")
    if not high:
        return None, {}
    ae, vae = high["ae"], high["vae"]
    drawn = a.high_draws(ae, vae)
    d = drawn.sets[f"{ae}_prior"][1].shape[1]
    sources = {f"{ae}_prior": SOURCES["ae_prior"], f"{ae}_gmm": SOURCES["ae_gmm"],
               f"{vae}_prior": SOURCES["vae_prior"]}
    metrics, arrays = {}, {}
    for name, (mid, z) in drawn.sets.items():
        metrics[name], arr = a.score_set(mid, name, z, sources[name])
        arrays.update({f"{name}_{k}": v for k, v in arr.items()})
    metrics[f"{ae}_gmm"]["fit_test_loglik_nats"] = float(drawn.gmm.score(a.codes(ae)["test_z"].astype(np.float64)))
    return {"latent_dim": d, "ae": ae, "vae": vae, "measure": HIGH_MEASURE,
            "nn_threshold": {ae: a.nn_threshold(ae), vae: a.nn_threshold(vae)},
            "ae_test": batched.recon_errors(a.model(ae), a.data["test_x"], a.codes(ae)["test_z"], a.device),
            "vae_test": vae_test_terms(a, vae), "surgery": surgery_of(a, vae), "sets": metrics}, arrays


def _run(a: Analysis, _: dict) -> Result:
    block, arrays = high_dim(a)
    return Result(block, {"samples": arrays})


SECTION = Section("high_dim", _run, models=lambda r: r.high or ())
