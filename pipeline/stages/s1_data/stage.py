"""Data stage: the configured data set's training and test images as uint8 arrays, and what the
data set is (``dataset.json``: image shape, classes, the word for one item).

The IDX files are made sure of (and MD5-checked) by mnist_files (MNIST) or torchvision_files (the
others), then read through the data set's torchvision class with download=False, the loader
every reader knows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torchvision.datasets  # noqa: F401  at the top: the runner defers Ctrl-C while it imports

from pipeline.core.context import StageContext
from pipeline.core.dataset_info import DatasetInfo
from pipeline.core.errors import DataError
from pipeline.core.io import save_json, save_npz

from . import mnist_files, torchvision_files
from .catalogue import CATALOGUE, IDX_FILES, Entry, class_names, torchvision_class


def ensure_files(root: Path, entry: Entry, source: str) -> tuple[str, dict[str, str]]:
    """(where the IDX files came from, the MD5 of each unpacked file)."""
    if entry.name == "mnist":
        return mnist_files.ensure_idx_files(root, source), dict(mnist_files.MD5S)
    found = torchvision_files.ensure_idx_files(root, entry, source)
    raw = torchvision_files.raw_dir(root, entry)
    return found, {name: mnist_files.md5_of(raw / name) for name in IDX_FILES}


def describe(entry: Entry, images: np.ndarray, labels: np.ndarray) -> DatasetInfo:
    """The data set as read: shape from the image array, classes from torchvision's list."""
    names = class_names(entry)
    shape = (1, *images.shape[1:]) if images.ndim == 3 else tuple(images.shape[1:])
    if labels.size and int(labels.max()) >= len(names):
        raise DataError(f"{entry.title}'s labels go up to {int(labels.max())}, but the data set "
                        f"has {len(names)} classes: the IDX files are not {entry.title}'s.")
    return DatasetInfo(name=entry.name, title=entry.title, image_shape=shape,
                       n_classes=len(names), class_names=names, item_noun=entry.item_noun,
                       credit=entry.credit)


def _take(split: Any, n: int, what: str, key: str, entry: Entry) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n`` images and labels of a split, or a DataError if it holds fewer."""
    if n > len(split.data):
        raise DataError(f"data.{key} = {n:,}, but {entry.title} has {len(split.data):,} {what} "
                        f"images. Set data.{key} to at most {len(split.data):,}.")
    return split.data.numpy()[:n], split.targets.numpy()[:n].astype(np.uint8)


def run(ctx: StageContext) -> str:
    from pipeline.core.devices import configure_cpu_math
    # Before torchvision's first tensor op starts torch's CPU threads, which copy the setting
    # when created: the train stage that follows in this process then runs at full speed.
    configure_cpu_math()

    cfg = ctx.cfg.data
    root = ctx.cfg.resolve(cfg.root)
    entry = CATALOGUE[cfg.dataset]
    source, md5s = ensure_files(root, entry, cfg.source)
    reader = torchvision_class(entry)
    train_x, train_y = _take(reader(str(root), train=True, download=False), cfg.train_size,
                             "training", "train_size", entry)
    test_x, test_y = _take(reader(str(root), train=False, download=False), cfg.test_size,
                           "test", "test_size", entry)
    info = describe(entry, train_x, np.concatenate([train_y, test_y]))
    # The file keeps its name (every reader opens data/mnist.npz); dataset.json says what it holds.
    save_npz(ctx.out / "mnist.npz", train_x=train_x, train_y=train_y, test_x=test_x, test_y=test_y)
    save_json(ctx.out / "dataset.json", info.to_json())
    # Only what the files are, not where they came from: a rerun must give the same bytes.
    save_json(ctx.out / "checksums.json", {"dataset": entry.name, "md5": md5s,
                                           "train_size": cfg.train_size,
                                           "test_size": cfg.test_size})
    # MNIST's unpacked files are checked against their published MD5s; the others' archives are
    # (when torchvision's download left them there), and their unpacked files' MD5s are recorded.
    checked = "MD5 ok" if entry.name == "mnist" else "MD5s recorded"
    return (f"{entry.title}: {cfg.train_size:,} train + {cfg.test_size:,} test images "
            f"(IDX files from {source}, {checked})")
