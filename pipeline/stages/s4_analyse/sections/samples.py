"""The main sample sets of the AE and the VAE (priors, fitted densities, reconstructions), scored."""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.core import batched, sample_sets
from .. import samplers
from ..analysis import Analysis
from ..section import Result, Section
from .. import draws

SET_SOURCES = sample_sets.SOURCES


def main_samples(a: Analysis) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    ae, vae = a.roles.ae, a.roles.vae
    drawn = a.pair_draws(ae, vae)
    sets = {name: (mid, name, z) for name, (mid, z) in drawn.sets.items()}
    sets.update({f"{kind}_recon": (mid, draws.RECON, a.codes(mid)["test_z"])
                 for kind, mid in a.roles.main_pair.items()})
    metrics, arrays = {}, {}
    for name, (mid, key, z) in sets.items():
        metrics[name], arr = a.score_set(mid, key, z, SET_SOURCES[name])
        arrays.update({f"{name}_{k}": v for k, v in arr.items()})
    # How well each density fitted to the AE's training codes explains its test codes.
    ae_z = a.codes(ae)["train_z"]
    test_z = a.codes(ae)["test_z"].astype(np.float64)
    metrics["ae_gauss"]["fit_test_loglik_nats"] = samplers.gaussian_loglik(ae_z, test_z)
    metrics["ae_gmm"]["fit_test_loglik_nats"] = float(drawn.gmm.score(test_z))
    metrics["ae_gmm"]["components"] = a.cfg.gmm_components
    for name in ("ae_recon", "vae_recon"):
        mid = sets[name][0]
        metrics[name].update(batched.recon_errors(a.model(mid), a.data["test_x"], sets[name][2], a.device))
    return metrics, arrays


def _run(a: Analysis, _: dict) -> Result:
    block, arrays = main_samples(a)
    return Result(block, {"samples": arrays})


SECTION = Section("samples", _run, models=lambda r: (r.ae, r.vae))
