"""The main sample sets of the AE and the VAE (priors, fitted densities, reconstructions), scored."""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.core import batched, sample_sets, seeding
from .. import samplers
from ..analysis import Analysis, rng_for

SET_SOURCES = sample_sets.SOURCES

def main_samples(a: Analysis) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    m = a.cfg.n_samples
    ae_z, vae_mu = a.codes("ae2")["train_z"], a.codes("vae2")["train_z"]
    d = ae_z.shape[1]
    gmm = samplers.fit_gmm(ae_z, a.cfg.gmm_components, seeding.seed31(a.seed, "gmm-fit:ae2"))
    sets = {
        "ae_prior": ("ae2", samplers.prior(m, d, rng_for(a.seed, "ae_prior"))),
        "ae_box": ("ae2", samplers.box(ae_z, m, rng_for(a.seed, "ae_box"))),
        "ae_gauss": ("ae2", samplers.gaussian(ae_z, m, rng_for(a.seed, "ae_gauss"))),
        "ae_gmm": ("ae2", samplers.gmm_sample(gmm, m, rng_for(a.seed, "ae_gmm"))),
        "vae_prior": ("vae2", samplers.prior(m, vae_mu.shape[1], rng_for(a.seed, "vae_prior"))),
        "ae_recon": ("ae2", a.codes("ae2")["test_z"]),
        "vae_recon": ("vae2", a.codes("vae2")["test_z"]),
    }
    metrics, arrays = {}, {}
    for name, (mid, z) in sets.items():
        metrics[name], arr = a.score_set(mid, z, SET_SOURCES[name])
        arrays.update({f"{name}_{k}": v for k, v in arr.items()})
    # How well each density fitted to the AE's training codes explains its test codes.
    test_z = a.codes("ae2")["test_z"].astype(np.float64)
    metrics["ae_gauss"]["fit_test_loglik_nats"] = samplers.gaussian_loglik(ae_z, test_z)
    metrics["ae_gmm"]["fit_test_loglik_nats"] = float(gmm.score(test_z))
    metrics["ae_gmm"]["components"] = a.cfg.gmm_components
    for name in ("ae_recon", "vae_recon"):
        mid = sets[name][0]
        metrics[name].update(batched.recon_errors(a.model(mid), a.data["test_x"], sets[name][1], a.device))
    return metrics, arrays
