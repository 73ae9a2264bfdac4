"""Encode stage: the codes of all training and test images for every trained autoencoder
(AE: z; VAE: μ and log σ²), plus a seeded UMAP 2-D map of the codes of models with d > 2.

UMAP is fitted on ``encode.umap_fit_size`` training codes (a seeded subset) and then transforms
all codes: fitting on all 60,000 costs minutes on a laptop, and the map of the rest is placed by
the same embedding, so train and test codes share one 2-D map.
"""

from __future__ import annotations

import warnings

import numpy as np

from .exact_knn import NOT_NNDESCENT, ExactIndex
from .numba_cache import use_venv_cache

use_venv_cache()  # before umap (and numba) is imported: compiled kernels live in the venv
# At the top although only d > 2 needs it: the runner defers Ctrl-C while a stage's modules are
# imported, and numba's start-up is where a Ctrl-C could otherwise abort or be swallowed.
import umap  # noqa: E402

from pipeline.core.batched import encode as encode_images  # noqa: E402
from pipeline.core import artifacts, seeding  # noqa: E402
from pipeline.core.io import save_npz  # noqa: E402
from pipeline.core.context import StageContext  # noqa: E402


def _fit(codes: np.ndarray, neighbors: int, min_dist: float, seed: int) -> umap.UMAP:
    """UMAP fitted on ``codes`` with their exact neighbours (``exact_knn``). A fixed random_state
    makes UMAP single-threaded and deterministic, which the byte-identical outputs need."""
    index = ExactIndex(codes)
    reducer = umap.UMAP(n_neighbors=neighbors, min_dist=min_dist, n_components=2,
                        random_state=seed, transform_seed=seed, n_jobs=1,
                        precomputed_knn=index.precomputed_knn(neighbors))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=NOT_NNDESCENT)
        return reducer.fit(codes)


def umap_map(train_z: np.ndarray, test_z: np.ndarray, neighbors: int, min_dist: float,
             fit_size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train_umap, test_umap) float32 [N, 2]: UMAP fitted on ``fit_size`` seeded training codes,
    the rest placed by ``transform``."""
    if fit_size >= len(train_z):
        # Fitting on everything: embed train and test codes in one fit. UMAP's transform is the
        # slow part (measured: fit 3,000 + transform 9,000 took 55 s, one fit of 12,000 took 32 s).
        both = _fit(np.concatenate([train_z, test_z]), neighbors, min_dist, seed).embedding_
        return both[:len(train_z)].astype(np.float32), both[len(train_z):].astype(np.float32)
    rng = np.random.default_rng(seed)
    fit_idx = np.sort(rng.permutation(len(train_z))[:fit_size])
    reducer = _fit(train_z[fit_idx], neighbors, min_dist, seed)
    # The fitted points keep their own embedding; only the rest are placed by transform.
    train_map = np.empty((len(train_z), 2), dtype=np.float32)
    train_map[fit_idx] = reducer.embedding_
    rest = np.setdiff1d(np.arange(len(train_z)), fit_idx)
    if len(rest):
        train_map[rest] = reducer.transform(train_z[rest])
    return train_map, reducer.transform(test_z).astype(np.float32)


def run(ctx: StageContext) -> str:
    cfg = ctx.cfg.encode
    data = artifacts.mnist(ctx.inputs["data"])
    models = artifacts.train_metrics(ctx.inputs["train"])["models"]
    done = []
    for mid in sorted(models):
        if models[mid]["kind"] not in ("ae", "vae"):
            continue
        model, _ = artifacts.checkpoint(ctx.inputs["train"], mid, ctx.device)
        arrays: dict[str, np.ndarray] = {}
        for split in ("train", "test"):
            z, logvar = encode_images(model, data[f"{split}_x"], ctx.device)
            arrays[f"{split}_z"] = z
            if logvar is not None:
                arrays[f"{split}_logvar"] = logvar
        if arrays["train_z"].shape[1] > 2:
            arrays["train_umap"], arrays["test_umap"] = umap_map(
                arrays["train_z"], arrays["test_z"], cfg.umap_neighbors, cfg.umap_min_dist,
                cfg.umap_fit_size, seeding.seed31(ctx.cfg.seed, f"umap:{mid}"))
        save_npz(ctx.out / f"{mid}.npz", **arrays)
        done.append(mid)
    n = len(data["train_x"]) + len(data["test_x"])
    return f"{n:,} images encoded by {len(done)} models ({', '.join(done)})"
