"""Encode stage: the codes of all training and test images for every trained autoencoder
(AE: z; VAE: μ and log σ²), plus a seeded UMAP 2-D map of the codes of models with d > 2
(``projection``: once every code is computed, one map per core). Each model's codes and each map
is a cached job (``jobs.py``): only what no earlier run made with the same key is computed.
"""

from __future__ import annotations

import numpy as np

# At the top although only d > 2 needs it: the runner defers Ctrl-C while a stage's modules are
# imported, and numba's start-up (imported with UMAP) is where a Ctrl-C could otherwise abort or
# be swallowed.
from .projection import umap_maps

from pipeline.core.batched import encode as encode_images
from pipeline.core import artifacts, seeding
from pipeline.core.io import load_npz, save_npz
from pipeline.core.context import StageContext
from pipeline.core.jobcache import JobCache, link
from pipeline.core.workers import process_count
from .jobs import CODES, MAPS, encoders, job_parts


def run(ctx: StageContext) -> str:
    cfg = ctx.cfg.encode
    cache = ctx.cache or JobCache(ctx.out.parent, "encode")
    data = artifacts.mnist(ctx.inputs["data"])
    ids, mapped = encoders(ctx.inputs["train"])
    parts = job_parts(ctx.cfg, ctx.manifest, ctx.inputs["train"], ctx.device)
    encoded = [mid for mid in ids if cache.job(mid, parts[mid]) is None]
    for mid in encoded:
        with cache.building(mid, parts[mid]) as folder:
            save_npz(folder / CODES, **model_codes(ctx, data, mid))
    unmapped = [mid for mid in mapped if cache.job(f"{mid}:umap", parts[f"{mid}:umap"]) is None]
    _make_maps(ctx, cache, unmapped, parts)
    for mid in ids:
        codes = cache.job(mid, parts[mid]) / CODES
        if mid in mapped:  # the codes and the map in one file, in the contract's order
            maps = load_npz(cache.job(f"{mid}:umap", parts[f"{mid}:umap"]) / MAPS)
            save_npz(ctx.out / f"{mid}.npz", **load_npz(codes), **maps)
        else:
            link(codes, ctx.out / f"{mid}.npz")
    n = len(data["train_x"]) + len(data["test_x"])
    return (f"{n:,} images encoded by {len(ids)} models ({', '.join(ids)}); "
            f"{len(encoded)} encoded and {len(unmapped)} mapped here, the rest cached")


def _make_maps(ctx: StageContext, cache: JobCache, mids: list[str], parts: dict[str, dict]) -> None:
    """UMAP maps of ``mids``' codes (from the cache), side by side (``projection.umap_maps``)."""
    cfg = ctx.cfg.encode
    workers = process_count(cfg.processes, len(mids)) - 1  # besides this process
    jobs = {}
    for mid in mids:
        codes = load_npz(cache.job(mid, parts[mid]) / CODES)
        jobs[mid] = (codes["train_z"], codes["test_z"], seeding.seed31(ctx.cfg.seed, f"umap:{mid}"))
    maps = umap_maps(jobs, workers, cfg.umap_neighbors, cfg.umap_min_dist, cfg.umap_fit_size)
    for mid, (train_map, test_map) in maps.items():
        with cache.building(f"{mid}:umap", parts[f"{mid}:umap"]) as folder:
            save_npz(folder / MAPS, train_umap=train_map, test_umap=test_map)


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
