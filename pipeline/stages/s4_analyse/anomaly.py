"""Anomaly detection by reconstruction error: deterministic out-of-distribution image sets built
offline, and ROC AUC of a score (higher = more anomalous) against the real test digits.

Every set is a float32 array [n, side²] in [0, 1] for square grayscale images, laid out like
MNIST (white strokes on black, the glyph scaled into a box of 5/7 of the side, 20 x 20 in 28 x 28,
and centred by mass), built from a seed alone."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.ft2font import FT2Font
from scipy import ndimage
from sklearn.metrics import roc_auc_score

from pipeline.core.dataset_info import DEFAULT_IMAGE_SHAPE, pixels
from pipeline.core.imaging import unflatten_square

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# Fonts that ship inside matplotlib's own package (not the system's), so every machine with the
# same matplotlib draws the same glyphs.
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf",
              "DejaVuSansMono.ttf", "STIXGeneral.ttf", "STIXGeneralBol.ttf")
BOX_SHARE = 5 / 7  # MNIST digits are scaled to fit 20 x 20 pixels and centred by mass in 28 x 28


def _font_dir() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def render_glyph(char: str, font_file: str) -> np.ndarray:
    """One character as a grayscale bitmap in [0, 1] (ink = 1), cropped to its ink."""
    font = FT2Font(str(_font_dir() / font_file))
    font.set_size(64, 72)
    font.set_text(char, 0.0)
    font.draw_glyphs_to_bitmap()
    img = np.asarray(font.get_image(), dtype=np.float32) / 255.0
    rows, cols = np.nonzero(img > 0.05)
    return img[rows.min():rows.max() + 1, cols.min():cols.max() + 1]


def to_mnist_frame(glyph: np.ndarray, side: int) -> np.ndarray:
    """Scale the longer side to BOX_SHARE of ``side``, paste into side x side and centre by mass,
    as MNIST."""
    zoom = round(side * BOX_SHARE) / max(glyph.shape)
    small = np.clip(ndimage.zoom(glyph, zoom, order=1), 0, 1)
    frame = np.zeros((side, side), np.float32)
    h, w = small.shape[:2]
    top, left = (side - h) // 2, (side - w) // 2
    frame[top:top + h, left:left + w] = small[:side, :side]
    cy, cx = ndimage.center_of_mass(frame)
    return np.clip(ndimage.shift(frame, (side / 2 - 0.5 - cy, side / 2 - 0.5 - cx), order=1), 0, 1)


def jitter(frame: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A small random affine change: rotation ±12°, scale 0.9–1.1, shear ±0.15, about the centre."""
    angle = np.deg2rad(rng.uniform(-12, 12))
    scale, shear = rng.uniform(0.9, 1.1), rng.uniform(-0.15, 0.15)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    matrix = np.linalg.inv(rot @ np.array([[1.0, shear], [0.0, 1.0]]) * scale)
    centre = np.array(frame.shape, dtype=np.float64) / 2 - 0.5
    offset = centre - matrix @ centre
    return np.clip(ndimage.affine_transform(frame, matrix, offset=offset, order=1), 0, 1)


def letters(n: int, seed: int, side: int = DEFAULT_IMAGE_SHAPE[1]) -> np.ndarray:
    """``n`` letters (upper and lower case, six fonts, cycled in order) each with its own jitter."""
    rng = np.random.default_rng(seed)
    frames = {}
    out = np.empty((n, side * side), np.float32)
    for i in range(n):
        char = LETTERS[i % len(LETTERS)]
        font = FONT_FILES[(i // len(LETTERS)) % len(FONT_FILES)]
        if (char, font) not in frames:
            frames[char, font] = to_mnist_frame(render_glyph(char, font), side)
        out[i] = jitter(frames[char, font], rng).ravel()
    return out


def upside_down(images: np.ndarray) -> np.ndarray:
    """Digits turned by 180° (rows and columns reversed). 0, 1 and 8 look almost the same and
    6 and 9 swap, so this set is partly in distribution by construction."""
    return unflatten_square(images)[:, ::-1, ::-1].reshape(len(images), -1).copy()


def uniform_noise(n: int, seed: int, pixels: int = pixels(DEFAULT_IMAGE_SHAPE)) -> np.ndarray:
    """Every pixel drawn uniformly from [0, 1]."""
    return np.random.default_rng(seed).random((n, pixels), dtype=np.float32)


def auroc(in_scores: np.ndarray, out_scores: np.ndarray) -> float:
    """ROC AUC of telling ``out_scores`` (positives) from ``in_scores`` by thresholding the score:
    1 = every outlier scores higher, 0.5 = no better than a coin."""
    y = np.r_[np.zeros(len(in_scores)), np.ones(len(out_scores))]
    return float(roc_auc_score(y, np.r_[np.asarray(in_scores), np.asarray(out_scores)]))
