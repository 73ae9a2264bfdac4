"""Small synthetic data sets in the IDX layout torchvision reads (``root/<class>/raw/``), so the
data sets other than MNIST are tested with no network: each class is its own blob pattern,
shifted and dimmed a little per image, so the judges and autoencoders have something to learn."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import ndimage

from pipeline.stages.s1_data.catalogue import CATALOGUE
from pipeline.stages.s1_data.mnist_files import idx_bytes


def images(labels: np.ndarray, side: int, seed: int) -> np.ndarray:
    """uint8 [n, side, side]: class c's template (fixed by c alone), shifted by up to 2 px."""
    templates = []
    for c in range(int(labels.max()) + 1):
        noise = np.random.default_rng(1000 + c).random((side, side))
        blob = ndimage.gaussian_filter(noise, 2.0)
        templates.append((blob > np.quantile(blob, 0.8)).astype(np.float32))
    rng = np.random.default_rng(seed)
    out = np.empty((len(labels), side, side), np.uint8)
    for i, c in enumerate(labels):
        moved = np.roll(templates[c], tuple(rng.integers(-2, 3, 2)), axis=(0, 1))
        out[i] = np.rint(moved * rng.uniform(180, 255)).astype(np.uint8)
    return out


def write_idx_set(root: Path, dataset: str, n_train: int, n_test: int, side: int = 28,
                  classes: int = 10, seed: int = 0) -> Path:
    """The four IDX files of ``dataset`` (a data.dataset name) under ``root``; returns raw/."""
    raw = Path(root) / CATALOGUE[dataset].torchvision_class / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for split, n in (("train", n_train), ("t10k", n_test)):
        labels = (np.arange(n) % classes).astype(np.uint8)
        rng.shuffle(labels)
        (raw / f"{split}-images-idx3-ubyte").write_bytes(idx_bytes(images(labels, side, seed + n)))
        (raw / f"{split}-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    return raw
