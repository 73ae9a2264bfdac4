"""Pixels between uint8 images and the models' floats, written once.

Images travel as uint8 [N, 28, 28] (what a viewer sees, and what the judge scores); the models
take flat float32 [N, 784] in [0, 1] and their decoders return floats in [0, 1].
"""

from __future__ import annotations

import numpy as np

SIDE = 28
PIXELS = SIDE * SIDE


def to_unit(images: np.ndarray) -> np.ndarray:
    """uint8 [N, 28, 28] (or [N, 784]) -> float32 [N, 784] in [0, 1]."""
    return images.reshape(-1, PIXELS).astype(np.float32) / 255.0


def to_uint8(x: np.ndarray) -> np.ndarray:
    """Floats in [0, 1] (decoder output) -> uint8, rounded to the nearest level; a last axis of
    784 pixels becomes [.., 28, 28]."""
    arr = np.clip(np.rint(np.asarray(x, dtype=np.float32) * 255.0), 0, 255).astype(np.uint8)
    return arr.reshape(*arr.shape[:-1], SIDE, SIDE) if arr.shape[-1] == PIXELS else arr


def mosaic(images: np.ndarray, cols: int, gap: int = 2, fill: int = 255) -> np.ndarray:
    """[n, h, w] uint8 -> one [rows*(h+gap)-gap, cols*(w+gap)-gap] uint8 image (row-major),
    with ``fill``-coloured gaps between digits; missing cells stay ``fill``. Vectorised: the
    tiles lay out a million digits at their finest level."""
    images = np.asarray(images)
    n, h, w = images.shape
    rows = max(1, -(-n // cols))
    cells = np.full((rows * cols, h + gap, w + gap), fill, dtype=np.uint8)
    cells[:n, :h, :w] = images
    sheet = cells.reshape(rows, cols, h + gap, w + gap).transpose(0, 2, 1, 3)
    sheet = sheet.reshape(rows * (h + gap), cols * (w + gap))
    return np.ascontiguousarray(sheet[:rows * (h + gap) - gap, :cols * (w + gap) - gap])
