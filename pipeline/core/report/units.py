"""The shape of metrics.json: units of its keys, and the rounding that makes it byte-stable.

Floats are rounded to 6 significant digits: far more than any figure prints, and it absorbs the
last-bit differences that BLAS threading can leave between runs, so two runs with the same seed
write identical bytes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

SIGNIFICANT = 6

# Key (or key suffix) -> unit. Every number in metrics.json is under one of these.
UNITS: dict[str, str] = {
    "_nats": "nats",
    "_fraction": "fraction (0..1)",
    "_per_pixel": "mean squared error per pixel, pixels scaled to 0..1",
    "fid": "squared distance in the judge's feature space (FID)",
    "window": "latent units [xmin, xmax, ymin, ymax]",
    "window_side": "latent units (side of the square window)",
    "cell_size": "latent units (side of one square grid cell)",
    "clearance": "latent units (radius of the empty disc around a gap point)",
    "x": "latent units", "y": "latent units",
    "nn_threshold": "latent units (95th percentile of code-to-nearest-code distances)",
    "density": "codes in the grid cell at the point (0 = hole or outside the window)",
    "step": "pixel-space L2 distance to the previous frame, pixels scaled to 0..1",
    "step_max_over_mean": "ratio (1 = evenly spaced frames)",
    "class": "digit 0..9 predicted by the judge",
    "classes": "digit 0..9 predicted by the judge",
    "n": "count", "n_codes": "count", "n_mc_samples": "count", "grid_cells_per_axis": "count",
    "latent_dim": "count", "beta": "KL weight",
    "_db": "decibels (PSNR with peak 1, per image, averaged over images)",
    "params": "count", "epochs": "count", "k": "count (neighbours)", "n_samples": "count",
    "level": "corruption strength (Gaussian: noise standard deviation; mask: share of pixels zeroed)",
    "level_within": "fraction of the larger of two numbers within which a comparison calls them level",
    "cases": "count (seeds, or seeds x judges, a comparison or check was made in)",
    "threshold": "the checked number's own unit",
    "_of_kl": "ratio to the average KL",
    "draws": "count", "n_clouds": "count", "n_draws": "count",
    "overlap_count_median": "count (other clouds)", "overlap_count_q1": "count (other clouds)",
    "overlap_count_q3": "count (other clouds)",
    "sigma_median_x": "latent units", "sigma_median_y": "latent units",
    "nearest_centre_median": "latent units", "prior_radius": "latent units",
    "bce_clip": "probability (PCA reconstructions clipped to [bce_clip, 1 - bce_clip] before BCE)",
    "components": "count (principal components of the PCA judge)",
}


def tidy(obj: Any) -> Any:
    """JSON-ready copy: NumPy scalars/arrays to Python, floats rounded, non-finite to None."""
    if isinstance(obj, dict):
        return {str(k): tidy(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [tidy(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return tidy(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        if not math.isfinite(x):
            return None
        return float(f"{x:.{SIGNIFICANT}g}") + 0.0  # + 0.0 turns -0.0 into 0.0
    return obj
