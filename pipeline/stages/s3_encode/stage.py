"""Encode stage: the codes of all training and test images for every trained autoencoder
(AE: z; VAE: μ and log σ²), plus a seeded UMAP 2-D map of the codes of models with d > 2
(``projection``: once every code is computed, one map per core).
"""

from __future__ import annotations

import numpy as np

# At the top although only d > 2 needs it: the runner defers Ctrl-C while a stage's modules are
# imported, and numba's start-up (imported with UMAP) is where a Ctrl-C could otherwise abort or
# be swallowed.
from .projection import umap_maps

from pipeline.core.batched import encode as encode_images
from pipeline.core import artifacts, seeding
from pipeline.core.io import save_npz
from pipeline.core.context import StageContext
from pipeline.core.workers import process_count


def run(ctx: StageContext) -> str:
    cfg = ctx.cfg.encode
    data = artifacts.mnist(ctx.inputs["data"])
    models = artifacts.train_metrics(ctx.inputs["train"])["models"]
    encoders = [mid for mid in sorted(models) if models[mid]["kind"] in ("ae", "vae")]
    mapped = [mid for mid in encoders if models[mid]["latent_dim"] > 2]
    workers = process_count(cfg.processes, len(mapped)) - 1  # besides this process
    codes = {mid: model_codes(ctx, data, mid) for mid in encoders}
    jobs = {mid: (codes[mid]["train_z"], codes[mid]["test_z"],
                  seeding.seed31(ctx.cfg.seed, f"umap:{mid}")) for mid in mapped}
    maps = umap_maps(jobs, workers, cfg.umap_neighbors, cfg.umap_min_dist, cfg.umap_fit_size)
    for mid, (train_map, test_map) in maps.items():
        codes[mid].update(train_umap=train_map, test_umap=test_map)
    for mid, arrays in codes.items():
        save_npz(ctx.out / f"{mid}.npz", **arrays)
    n = len(data["train_x"]) + len(data["test_x"])
    return f"{n:,} images encoded by {len(codes)} models ({', '.join(codes)})"


def model_codes(ctx: StageContext, data: dict[str, np.ndarray], mid: str) -> dict[str, np.ndarray]:
    """The codes of every train and test image by model ``mid`` (a VAE's: μ and log σ²)."""
    model, _ = artifacts.checkpoint(ctx.inputs["train"], mid, ctx.device)
    arrays: dict[str, np.ndarray] = {}
    for split in ("train", "test"):
        z, logvar = encode_images(model, data[f"{split}_x"], ctx.device)
        arrays[f"{split}_z"] = z
        if logvar is not None:
            arrays[f"{split}_logvar"] = logvar
    return arrays
