"""Latent windows and the cells of a grid over them, one rule each: the window around 2-D codes
(analyse's hole grid and quality map; render's code figures, with all codes inside), and the cell
centres of a regular n × n grid over a window [xmin, xmax, ymin, ymax] (the hole grid and
quality map in analyse, the decoded tiles and the manifold figure in render)."""

from __future__ import annotations

import numpy as np


def axis_centres(lo: float, hi: float, n: int, descending: bool = False) -> np.ndarray:
    """The n cell centres between ``lo`` and ``hi``, ascending, or from ``hi`` down (the top row
    of a map first) when ``descending``."""
    steps = (np.arange(n) + 0.5) * (hi - lo) / n
    return hi - steps if descending else lo + steps


def window_centres(window: np.ndarray, n: int, top_first: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(x of each column left to right, y of each row: lowest first, or highest first when
    ``top_first``, as on a screen)."""
    xmin, xmax, ymin, ymax = (float(v) for v in window)
    return axis_centres(xmin, xmax, n), axis_centres(ymin, ymax, n, descending=top_first)


WINDOW_PERCENTILES = (0.5, 99.5)
WINDOW_PAD = 0.10
WINDOW_RULE = ("square box centred on the 0.5..99.5 percentile box of the codes (per axis), "
               "half-side = the larger percentile half-range x 1.10")


def latent_window(codes: np.ndarray, percentiles: tuple[float, float] = WINDOW_PERCENTILES,
                  pad: float = WINDOW_PAD) -> np.ndarray:
    """A robust square window around 2-D codes (the same rule for AE and VAE).

    Percentiles ignore the few far outliers an AE produces; a square window keeps grid cells
    square, so distances on the grid are distances in latent space, and the pan/zoom maps of
    the site need no aspect correction. Returns float32 [xmin, xmax, ymin, ymax].
    """
    lo, hi = np.percentile(np.asarray(codes, dtype=np.float64), percentiles, axis=0)
    centre = (lo + hi) / 2
    half = float((hi - lo).max()) / 2 * (1 + pad)
    half = half if half > 0 else 1.0
    return np.array([centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half],
                    dtype=np.float32)
