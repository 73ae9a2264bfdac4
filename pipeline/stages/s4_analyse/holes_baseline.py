"""Holes with a baseline: how much emptier a model's codes leave the grid than a smooth density of
the same size and spread would.

A grid count of empty cells (``holes.hole_stats``) is never zero for a finite sample: the thin
tails of any smooth density leave cells empty inside the hull. So the hole fraction of the codes
is set beside the same rule (window rule, grid, hull, hole threshold) applied to equal-size
samples from a reference density, and the difference is the *excess*: the part of the empty
space that the smooth density would not leave. Reference densities: a Gaussian fitted to the
codes (mean and full covariance), and N(0, I) itself (the VAE's target).

Arrays in, numbers out: no file I/O, every draw from the generator given.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from pipeline.core.grids import latent_window
from .holes import hole_stats

Reference = Literal["gauss", "prior"]
REFERENCES: tuple[Reference, ...] = ("gauss", "prior")


def reference_sample(codes: np.ndarray, reference: Reference, rng: np.random.Generator) -> np.ndarray:
    """float64 [N, 2]: as many draws as there are codes from the reference density: a Gaussian
    with the codes' mean and covariance ("gauss"), or the standard normal ("prior")."""
    z = np.asarray(codes, dtype=np.float64)
    if z.ndim != 2 or z.shape[1] != 2 or len(z) < 3:
        raise ValueError(f"codes must be [N >= 3, 2] latent points, got shape {z.shape}")
    if reference == "gauss":
        return rng.multivariate_normal(z.mean(0), np.cov(z, rowvar=False), size=len(z))
    if reference == "prior":
        return rng.standard_normal(z.shape)
    raise ValueError(f"unknown reference density {reference!r}: use one of {REFERENCES}")


def hull_hole_fraction(points: np.ndarray, grid: int, hole_max_count: int) -> float:
    """The share of empty cells inside the hull of the occupied cells, with the window the
    project's rule draws around these very points (``grids.latent_window``)."""
    return float(hole_stats(points, latent_window(points), grid, hole_max_count)
                 .summary["hole_fraction_hull"])


def excess_holes(codes: np.ndarray, grid: int, hole_max_count: int, reference: Reference,
                 rng: np.random.Generator, draws: int = 3) -> dict[str, float | int | str]:
    """The codes' hull hole fraction, the reference density's (mean and range over ``draws``
    equal-size samples), and the excess: codes minus the reference mean (in fractions of hull
    cells; near 0 when the codes are as smooth as the reference)."""
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    own = hull_hole_fraction(codes, grid, hole_max_count)
    base = np.array([hull_hole_fraction(reference_sample(codes, reference, rng), grid, hole_max_count)
                     for _ in range(draws)])
    return {"reference": reference, "draws": draws,
            "hole_fraction_hull": own,
            "baseline_hole_fraction_hull": float(base.mean()),
            "baseline_min_fraction": float(base.min()),
            "baseline_max_fraction": float(base.max()),
            "excess_hole_fraction_hull": own - float(base.mean())}


def excess_cells(counts: np.ndarray, baseline_counts: list[np.ndarray], hull: np.ndarray,
                 hole_max_count: int) -> np.ndarray:
    """bool [G, G]: the *excess* holes on one fixed grid: hole cells of the codes inside their hull
    that are occupied in most reference samples counted on the same grid. Gap points picked among
    these cells are emptier than a smooth density would leave them, not a finite sample's tail."""
    if not baseline_counts:
        raise ValueError("excess_cells needs at least one reference sample's counts")
    occupied = np.mean([b > hole_max_count for b in baseline_counts], axis=0)
    return (counts <= hole_max_count) & hull & (occupied > 0.5)
