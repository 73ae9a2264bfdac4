"""Decoded tiles: a multi-resolution pyramid of what a 2-D decoder draws over its latent window.

Zoom level k is a 2^k x 2^k grid of tile images; each tile is a block of n x n decoded digits of
the data set's image side (n = ``render.tile_digits``; square grayscale images), so level k
shows (2^k n)^2 decodes over the whole window. A digit is decoded at the centre of its cell.
Tile (x, y) at level k covers latent x from xmin + x·w/2^k to xmin + (x+1)·w/2^k and latent y
from ymax - y·h/2^k down to ymax - (y+1)·h/2^k (y = 0 is the *top* row, the highest latent y,
as on screen). Tiles are grayscale PNGs, white strokes on black as in MNIST. ``index.json``
records all of this for the site's explorer.

Everything is decoded level by level in large batches under ``torch.no_grad``; PNG encoding
(zlib) releases the GIL, so tiles are encoded on a small thread pool.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from pipeline.core import batched, imaging
from pipeline.core.grids import window_centres
from pipeline.core.io import save_json

BATCH = 8192
PATTERN = "{level}/{x}_{y}.png"


def cell_centres(window: np.ndarray, per_axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Latent x of each column (left to right) and latent y of each row (top = highest y first)
    of a per_axis x per_axis grid of cells over ``window``."""
    return window_centres(window, per_axis, top_first=True)


def decode_grid(model: torch.nn.Module, window: np.ndarray, per_axis: int,
                device: str = "cpu") -> np.ndarray:
    """uint8 [per_axis, per_axis, H, W]: the decode at every cell centre, row 0 = top."""
    xs, ys = cell_centres(window, per_axis)
    gx, gy = np.meshgrid(xs, ys)  # [row, col]
    z = np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32)
    digits = batched.decode(model, z, device, batch=BATCH)
    return digits.reshape(per_axis, per_axis, *digits.shape[1:])


def mosaic(digits: np.ndarray) -> np.ndarray:
    """[R, C, H, W] -> one [R*H, C*W] image."""
    r, c, h, w = digits.shape
    return imaging.mosaic(digits.reshape(r * c, h, w), cols=c, gap=0)


def png_bytes(image: np.ndarray) -> bytes:
    """Grayscale PNG at zlib level 6: optimize=True saves little for much more time, and lossless
    WebP is no smaller (BENCHMARKS.md), so plain PNG it is."""
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def write_pyramid(model: torch.nn.Module, window: np.ndarray, out: Path, levels: int,
                  tile_digits: int, device: str = "cpu", workers: int = 2) -> dict[str, Any]:
    """Write ``out/<level>/<x>_<y>.png`` for levels 0..levels-1 and ``out/index.json``.
    Returns the index (plus the byte count under "bytes", which is not written to the file)."""
    out.mkdir(parents=True, exist_ok=True)
    n = tile_digits
    channels, digit_px, width = model.image_shape
    if channels != 1 or width != digit_px:
        raise ValueError(f"tiles need square grayscale images, not {list(model.image_shape)}")
    tile_px = n * digit_px
    total = 0
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for k in range(levels):
            side = 2 ** k
            big = mosaic(decode_grid(model, window, side * n, device))
            (out / str(k)).mkdir(exist_ok=True)
            jobs = {}
            for ty in range(side):
                for tx in range(side):
                    tile = np.ascontiguousarray(big[ty * tile_px:(ty + 1) * tile_px,
                                                    tx * tile_px:(tx + 1) * tile_px])
                    jobs[(tx, ty)] = pool.submit(png_bytes, tile)
            for (tx, ty), job in jobs.items():
                data = job.result()
                (out / PATTERN.format(level=k, x=tx, y=ty)).write_bytes(data)
                total += len(data)
    index = {
        "window": [round(float(v), 6) for v in window],
        "levels": levels,
        "tile_digits": n,
        "digit_px": digit_px,
        "tile_px": tile_px,
        "pattern": PATTERN,
        "y_origin": "top",
        "digit_at": "cell centre",
        "format": "png",
        "colors": "grayscale, white strokes on black (decoded mean, 0..255)",
    }
    save_json(out / "index.json", index)
    return {**index, "bytes": total}


def tile_pixel(index: dict[str, Any], level: int, z: tuple[float, float]) -> tuple[str, int, int]:
    """(tile file name, pixel column, pixel row) showing latent point z at ``level``."""
    xmin, xmax, ymin, ymax = index["window"]
    per_axis = 2 ** level * index["tile_px"]
    px = int(np.floor((z[0] - xmin) / (xmax - xmin) * per_axis))
    py = int(np.floor((ymax - z[1]) / (ymax - ymin) * per_axis))
    tx, ty = px // index["tile_px"], py // index["tile_px"]
    return (index["pattern"].format(level=level, x=tx, y=ty),
            px - tx * index["tile_px"], py - ty * index["tile_px"])
