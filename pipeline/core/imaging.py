"""Pixels between uint8 images and the models' floats, written once.

Images travel as uint8 [N, H, W] (what a viewer sees, and what the judge scores; [N, C, H, W]
for more than one channel: ``dataset_info.array_shape``); the models take flat float32
[N, C·H·W] in [0, 1] and their decoders return floats in [0, 1].
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


def to_unit(images: np.ndarray) -> np.ndarray:
    """uint8 [N, H, W] (or [N, C, H, W], or already flat [N, P]) -> float32 [N, P] in [0, 1]."""
    images = np.asarray(images)
    return images.reshape(len(images), -1).astype(np.float32) / 255.0


def to_uint8(x: np.ndarray, shape: Sequence[int] | None = None) -> np.ndarray:
    """Floats in [0, 1] (decoder output) -> uint8, rounded to the nearest level; with ``shape``
    (one image's array shape, e.g. ``DatasetInfo.array_shape``) a flat last axis becomes it."""
    arr = np.clip(np.rint(np.asarray(x, dtype=np.float32) * 255.0), 0, 255).astype(np.uint8)
    return arr.reshape(*arr.shape[:-1], *shape) if shape is not None else arr


def unflatten_square(images: np.ndarray) -> np.ndarray:
    """Flat grayscale images [n, P] -> [n, s, s] with s² = P (for figures handed flat arrays);
    images that are not flat pass unchanged."""
    images = np.asarray(images)
    if images.ndim != 2:
        return images
    side = round(images.shape[1] ** 0.5)
    if side * side != images.shape[1]:
        raise ValueError(f"{images.shape[1]} pixels per image are not a square image; pass the "
                         "images in their array shape [n, H, W]")
    return images.reshape(len(images), side, side)


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
