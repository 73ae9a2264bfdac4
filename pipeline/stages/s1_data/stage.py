"""Data stage: MNIST's 60,000 training and 10,000 test images as uint8 arrays.

The IDX files are made sure of (and MD5-checked) by mnist_files, then read through
torchvision.datasets.MNIST(download=False), the loader every reader knows.
"""

from __future__ import annotations

import numpy as np
from torchvision.datasets import MNIST  # at the top: the runner defers Ctrl-C while it imports

from pipeline.core.io import save_json, save_npz
from .mnist_files import MD5S, ensure_idx_files
from pipeline.core.context import StageContext


def run(ctx: StageContext) -> str:
    from pipeline.core.devices import configure_cpu_math
    # Before torchvision's first tensor op starts torch's CPU threads, which copy the setting
    # when created: the train stage that follows in this process then runs at full speed.
    configure_cpu_math()

    cfg = ctx.cfg.data
    root = ctx.cfg.resolve(cfg.root)
    source = ensure_idx_files(root, cfg.source)
    train = MNIST(str(root), train=True, download=False)
    test = MNIST(str(root), train=False, download=False)
    save_npz(ctx.out / "mnist.npz",
             train_x=train.data.numpy()[: cfg.train_size],
             train_y=train.targets.numpy()[: cfg.train_size].astype(np.uint8),
             test_x=test.data.numpy()[: cfg.test_size],
             test_y=test.targets.numpy()[: cfg.test_size].astype(np.uint8))
    # Only what the files are, not where they came from: a rerun must give the same bytes.
    save_json(ctx.out / "checksums.json", {"md5": MD5S, "train_size": cfg.train_size,
                                           "test_size": cfg.test_size})
    return f"{cfg.train_size:,} train + {cfg.test_size:,} test images (IDX files from {source}, MD5 ok)"
