"""The β sweep: holes, prior samples and surgery of each VAE trained with another KL weight."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import samplers
from pipeline.core.sample_sets import SOURCES
from ..analysis import Analysis, rng_for
from ..section import Result, Section
from .vae_terms import surgery_of, vae_test_terms


def beta_sweep(a: Analysis, main_prior: dict[str, Any]
               ) -> tuple[list[dict[str, Any]], dict[str, np.ndarray], dict[str, np.ndarray]]:
    entries, sample_arrays, hole_arrays = [], {}, {}
    for item in a.sweep.get("beta_sweep", []):
        mid = item["id"]
        if mid == a.roles.vae:
            prior = main_prior
        else:
            z = samplers.prior(a.cfg.n_samples, 2, rng_for(a.seed, f"{mid}_prior"))
            prior, arr = a.score_set(mid, "vae_prior", z, SOURCES["vae_prior"])
            sample_arrays.update({f"{mid}_prior_{k}": v for k, v in arr.items()})
            h = a.hole_map(mid)
            hole_arrays.update({f"{mid}_counts": h.counts, f"{mid}_window": a.windows[mid],
                                f"{mid}_holes": h.holes})
        entries.append({"beta": item["beta"], "id": mid, **vae_test_terms(a, mid),
                        "holes": a.hole_summary(mid), "prior": prior,
                        "surgery": surgery_of(a, mid)})
    return entries, sample_arrays, hole_arrays


def _run(a: Analysis, needs: dict[str, Result]) -> Result:
    entries, samples, holes = beta_sweep(a, needs["samples"].block["vae_prior"])
    return Result(entries, {"samples": samples, "holes": holes})


SECTION = Section("beta_sweep", _run, needs=("samples",))
