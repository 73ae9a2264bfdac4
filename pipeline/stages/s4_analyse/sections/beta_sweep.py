"""The β sweep: holes, prior samples and surgery of each VAE trained with another KL weight."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import samplers
from pipeline.core.sample_sets import SOURCES
from ..analysis import Analysis, rng_for
from ..section import Result, Section
from .vae_terms import surgery_of, vae_test_terms


def sweep_entry(a: Analysis, beta: float, mid: str, main_prior: dict[str, Any] | None
                ) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """One β-sweep VAE's entry, its prior samples (for samples.npz) and its hole map (for
    holes.npz); the main VAE's prior samples are the samples section's (``main_prior``)."""
    sample_arrays, hole_arrays = {}, {}
    if main_prior is not None:
        prior = main_prior
    else:
        z = samplers.prior(a.cfg.n_samples, 2, rng_for(a.seed, f"{mid}_prior"))
        prior, arr = a.score_set(mid, "vae_prior", z, SOURCES["vae_prior"])
        sample_arrays.update({f"{mid}_prior_{k}": v for k, v in arr.items()})
        h = a.hole_map(mid)
        hole_arrays.update({f"{mid}_counts": h.counts, f"{mid}_window": a.windows[mid],
                            f"{mid}_holes": h.holes})
    entry = {"beta": beta, "id": mid, **vae_test_terms(a, mid), "holes": a.hole_summary(mid),
             "prior": prior, "surgery": surgery_of(a, mid)}
    return entry, sample_arrays, hole_arrays


def beta_sweep(a: Analysis, main_prior: dict[str, Any]
               ) -> tuple[list[dict[str, Any]], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every sweep VAE's entry, each a cached job (a β added to the sweep measures one VAE)."""
    entries, sample_arrays, hole_arrays = [], {}, {}
    for item in a.sweep.get("beta_sweep", []):
        mid = item["id"]
        main = mid == a.roles.vae  # its samples are the main VAE's, measured by samples
        entry, samples, holes = a.job(f"beta-sweep-{mid}" + ("-main" if main else ""), (mid,),
                                      lambda: sweep_entry(a, item["beta"], mid, main_prior if main else None))
        entries.append(entry)
        sample_arrays.update(samples)
        hole_arrays.update(holes)
    return entries, sample_arrays, hole_arrays


def _run(a: Analysis, needs: dict[str, Result]) -> Result:
    entries, samples, holes = beta_sweep(a, needs["samples"].block["vae_prior"])
    return Result(entries, {"samples": samples, "holes": holes})


SECTION = Section("beta_sweep", _run, needs=("samples",))
