"""Digit images as single mosaics: one imshow per panel instead of one axes per digit, which is
what keeps 100-digit grids fast to draw and small in SVG/PDF."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from pipeline.core.imaging import mosaic


def ink(images: np.ndarray) -> np.ndarray:
    """MNIST stores ink as high values; printed figures read better as dark ink on white."""
    return 255 - np.asarray(images, dtype=np.uint8)


def show_digits(ax: Axes, images: np.ndarray, cols: int, gap: int = 2, **kwargs) -> tuple[int, int]:
    """Draw ``images`` as an ink-on-white mosaic filling ``ax``; returns (rows, cols).
    Pixel (0, 0) of the mosaic is at the top left; axes ticks and frame are removed."""
    m = mosaic(ink(images), cols, gap)
    ax.imshow(m, cmap="gray", vmin=0, vmax=255, interpolation="nearest", **kwargs)
    ax.set_axis_off()
    return -(-len(images) // cols), cols


def cell_centre(i: int, cols: int, size: int = 28, gap: int = 2) -> tuple[float, float]:
    """(x, y) in mosaic pixel coordinates of the centre of cell ``i``, for labels under digits."""
    r, c = divmod(i, cols)
    return c * (size + gap) + (size - 1) / 2, r * (size + gap) + (size - 1) / 2
