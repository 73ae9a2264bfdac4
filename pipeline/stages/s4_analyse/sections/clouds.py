"""Clouds at the scale where they overlap (issue 24 item 5): for the main VAE, how many other
training clouds overlap a typical cloud's 1σ ellipse, the share of N(0, I) within 2σ of some
cloud, and the aggregate posterior (the mixture of all training clouds) on the hole grid beside
N(0, I), kept in holes.npz for the figure (on a square grid of ``analyse.grid`` cells per side over
the codes' window widened to hold N(0, I) out to 3.5 on each axis)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import cloud_overlap, holes
from ..analysis import Analysis, rng_for
from ..section import Result, Section


def clouds(a: Analysis) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    mid = a.roles.main_pair["vae"]
    c = a.codes(mid)
    mu = c["train_z"].astype(np.float64)
    sigma = np.exp(0.5 * c["train_logvar"].astype(np.float64))
    a.hole_map(mid)  # fixes the codes' window; the aggregate's grid also holds N(0, I) whole
    window, grid = cloud_overlap.aggregate_window(a.windows[mid]), a.cfg.grid
    summary = cloud_overlap.overlap_summary(mu, sigma, rng_for(a.seed, f"cloud-overlap-{mid}"))
    aggregate = cloud_overlap.aggregate_posterior_mass(mu, sigma, window, grid)
    prior = holes.prior_cell_mass(window, grid)
    block = {"model": mid, **summary, "aggregate_vs_prior_tv_fraction": cloud_overlap.total_variation(aggregate, prior)}
    arrays = {f"{mid}_aggregate_mass": aggregate.astype(np.float32),
              f"{mid}_prior_mass": prior.astype(np.float32), f"{mid}_aggregate_window": window}
    return block, arrays


def _run(a: Analysis, _: dict) -> Result:
    block, arrays = clouds(a)
    return Result(block, {"holes": arrays})


SECTION = Section("clouds", _run, models=lambda r: (r.vae,))
