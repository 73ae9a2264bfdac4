"""Holes with a baseline (issue 24 item 4): each main 2-D model's hull hole fraction beside the
same rule on equal-size samples from smooth densities (a Gaussian fitted to the codes; N(0, I) for
the VAE), the excess over them, and gap points among the excess holes inside the prior's region.

The old hole numbers and gap points (``holes``, ``gaps``) stay as they are; this block adds the
baseline. Draws come from (seed, purpose) streams of their own, so they move no other number."""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.core import batched
from .. import holes, holes_baseline
from ..analysis import Analysis, rng_for
from ..section import Result, Section

DRAWS = 3            # reference samples per density: the three draws spread by ~1 point
CELLS_REFERENCE = "gauss"  # the excess cells: emptier than the codes' own fitted Gaussian leaves them


def judged_points(a: Analysis, mid: str, pts: np.ndarray, clearance: np.ndarray
                  ) -> tuple[dict[str, Any], np.ndarray]:
    """A gaps block (points, the judge's class and confidence of each decode) and the decodes."""
    images = batched.decode(a.model(mid), pts, a.device)
    probs = (batched.judge(a.judge, images, a.device)[0] if len(pts)
             else np.zeros((0, a.judge.head.out_features)))
    block = {"points": [{"x": p[0], "y": p[1], "clearance": c, "class": int(q.argmax()),
                         "confidence_fraction": float(q.max())}
                        for p, c, q in zip(pts, clearance, probs)],
             "confidence_mean_fraction": float(probs.max(1).mean()) if len(pts) else None}
    return block, images


def model_excess(a: Analysis, mid: str, references: tuple[str, ...]
                 ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """One model's block and arrays: a baseline per reference density, its excess cells (against
    the fitted Gaussian's samples counted on the codes' grid) and the gap points among them."""
    z, h, window = a.codes(mid)["train_z"], a.hole_map(mid), a.windows[mid]
    grid, hmc = a.cfg.grid, a.cfg.hole_max_count
    own = h.summary["hole_fraction_hull"]
    baselines, cell_counts = {}, []
    for ref in references:
        base, counts = holes_baseline.baseline_draws(
            z, window, grid, hmc, ref, rng_for(a.seed, f"holes-baseline-{mid}-{ref}"), DRAWS)
        baselines[ref] = holes_baseline.excess_summary(own, ref, base)
        if ref == CELLS_REFERENCE:
            cell_counts = counts
    cells = holes_baseline.excess_cells(h.counts, cell_counts, h.hull, hmc)
    region = holes_baseline.prior_region(window, grid)
    pts, clearance = holes.gap_points(cells & region, h.hull, window, a.cfg.n_gap_points)
    gaps, images = judged_points(a, mid, pts, clearance)
    block = {"baselines": baselines,
             "excess_cells_fraction_hull": float(cells[h.hull].mean()) if h.hull.any() else 0.0,
             "excess_cells_in_prior_fraction": float(cells[region].mean()) if region.any() else 0.0,
             "prior_mass_in_excess_fraction": float(holes.prior_cell_mass(window, grid)[cells].sum()),
             "prior_radius": holes_baseline.PRIOR_RADIUS, "gaps": gaps}
    arrays = {f"{mid}_excess_cells": cells, f"{mid}_excess_gaps": pts,
              f"{mid}_excess_gap_clearance": clearance, f"{mid}_excess_gap_images": images}
    return block, arrays


def _run(a: Analysis, _: dict) -> Result:
    blocks, arrays = {}, {}
    for role, mid in a.roles.main_pair.items():
        refs = ("gauss", "prior") if role == "vae" else ("gauss",)
        blocks[mid], kept = model_excess(a, mid, refs)
        arrays.update(kept)
    return Result(blocks, {"holes": arrays})


SECTION = Section("holes_excess", _run, models=lambda r: (r.ae, r.vae))
