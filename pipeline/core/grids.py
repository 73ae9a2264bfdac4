"""Cell centres of a regular n × n grid over a latent window [xmin, xmax, ymin, ymax]: the hole
grid and quality map (analyse), the decoded tiles and the manifold figure (render) use one rule."""

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
