"""The decoded-quality map: what a 2-D decoder draws at every point of its window, scored by how
far each decode lies from the decoder's own reconstructions of real test images.

The grid is the hole grid (same window, same cells), so "hole cell" and "occupied cell" mean what
they mean on the hole maps. Each cell centre is decoded and embedded by a judge. Its realism score
is the distance, in judge features, to the nearest reconstruction, divided by the reconstructions'
own typical (median) distance to their nearest other reconstruction: 1 is as close as a
reconstruction typically is to its neighbour. A cell is off-manifold when its score exceeds the
``percentile``-th percentile of the reconstructions' own scores: farther from every
reconstruction than all but (100 − percentile) % of reconstructions are from their nearest one.
Measuring against reconstructions, not real images, keeps the decoder's blur out of the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.core.grids import window_centres

from .knn import nn_distance

OFF_PERCENTILE = 99.0
RULE = ("realism = distance in judge features from a cell's decode to the nearest reconstruction "
        "of a test image, divided by the reconstructions' median distance to their nearest other "
        "reconstruction; a cell is off-manifold when its realism exceeds the {p:g}th percentile "
        "of the reconstructions' own realism")


def cell_centres(window: np.ndarray, grid: int) -> np.ndarray:
    """float32 [grid * grid, 2] latent points at the cell centres, row-major with row = y (the
    hole grid's convention), so ``values.reshape(grid, grid)`` lines up with the counts."""
    xs, ys = window_centres(window, grid)
    yy, xx = np.meshgrid(ys, xs, indexing="ij")
    return np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32)


@dataclass(frozen=True)
class Manifold:
    """One model's reconstructions of the test images in one judge's features, with the scale and
    the off-manifold threshold computed once: every set scored against it (grid cells, prior
    draws) shares them, and the reconstructions' own distance pass is made once."""

    feats: np.ndarray      # float32 [N, F] judge features of the reconstructions
    typical: float         # median distance from a reconstruction to its nearest other one
    own: np.ndarray        # realism of each reconstruction (its NN distance / typical)
    percentile: float
    threshold: float       # realism above this is off-manifold


def manifold(recon_feats: np.ndarray, percentile: float = OFF_PERCENTILE,
             nearest: np.ndarray | None = None) -> Manifold:
    """The ``Manifold`` of a model's reconstructions (judge features). ``nearest``: each
    reconstruction's distance to its nearest other one, where the caller has it already (a
    ``JudgedSet``'s); otherwise one distance pass computes it."""
    own = nn_distance(recon_feats, recon_feats, exclude_self=True) if nearest is None else nearest
    # Median over the positive distances: a weak decoder can draw many identical (uint8)
    # reconstructions, whose zero distances would otherwise set the scale to 0.
    positive = own[own > 0]
    typical = float(np.median(positive)) if len(positive) else 0.0
    if not typical > 0:
        raise ValueError("the reconstructions' typical nearest-neighbour distance is 0 "
                         "(all reconstructions identical): realism is undefined")
    own = own / typical
    return Manifold(np.asarray(recon_feats, np.float32), typical, own, percentile,
                    float(np.percentile(own, percentile)))


def realism(m: Manifold, feats: np.ndarray) -> np.ndarray:
    """Realism of each row of ``feats`` (judge features of decodes): its distance to the nearest
    reconstruction over the typical one. Lower is more like a reconstruction."""
    return nn_distance(feats, m.feats) / m.typical


def off_manifold_share(m: Manifold, feats: np.ndarray) -> float:
    """Share of the decodes (judge features) that lie off the manifold ``m``."""
    return float(np.mean(realism(m, feats) > m.threshold))


def summary(off: np.ndarray, counts: np.ndarray, hole_max_count: int, prior_mass: np.ndarray
            ) -> dict[str, float | None]:
    """Off-manifold shares of a [G, G] boolean map: in hole cells, in occupied cells, in the
    window, and the N(0, I) mass on off-manifold cells (within the window; the mass outside it is
    reported with the holes). A share over no cells is None."""
    holes = counts <= hole_max_count

    def share(mask: np.ndarray) -> float | None:
        return float(off[mask].mean()) if mask.any() else None

    mass_off = float(prior_mass[off].sum())
    mass_window = float(prior_mass.sum())
    return {
        "off_manifold_in_holes_fraction": share(holes),
        "off_manifold_in_occupied_fraction": share(~holes),
        "off_manifold_in_window_fraction": float(off.mean()),
        "prior_mass_off_manifold_fraction": mass_off,
        "prior_mass_off_manifold_of_window_fraction": mass_off / mass_window if mass_window > 0 else None,
    }


def quality_map(cell_feats: np.ndarray, m: Manifold, counts: np.ndarray, hole_max_count: int,
                prior_mass: np.ndarray) -> tuple[dict[str, Any], np.ndarray]:
    """(metrics, float32 [G, G] realism map) for one model under one judge; ``cell_feats`` are
    the judge features of the decodes at ``cell_centres`` (row-major)."""
    g = counts.shape[0]
    if len(cell_feats) != g * g:
        raise ValueError(f"{len(cell_feats)} cell features for a {g} x {g} grid")
    cells = realism(m, cell_feats)
    score = cells.reshape(g, g)
    off = score > m.threshold
    metrics = {"rule": RULE.format(p=m.percentile), "percentile": m.percentile,
               "typical_nn_distance": m.typical, "threshold_realism": m.threshold,
               "realism_median": float(np.median(cells)), "n_reconstructions": len(m.feats),
               **summary(off, counts, hole_max_count, prior_mass)}
    return metrics, score.astype(np.float32)
