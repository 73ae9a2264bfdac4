"""UMAP 2-D maps of the higher-dimensional codes, made side by side in worker processes.

UMAP is fitted on ``encode.umap_fit_size`` training codes (a seeded subset) with their exact
neighbours (``exact_knn``) and then places the others by ``transform``: fitting on all 60,000
costs minutes on a laptop, and the map of the rest is placed by the same embedding, so train and
test codes share one 2-D map. A fixed random_state makes UMAP single-threaded and deterministic,
which the byte-identical outputs need; so on a multi-core machine the maps of the 16-D AE and VAE
are made at once, one in a spawned worker process (``umap_maps``): side by side each map takes
longer than alone, but the stage finishes sooner (BENCHMARKS.md).
"""

from __future__ import annotations

import multiprocessing
import os
import warnings

import numpy as np

from pipeline.core.workers import start_worker
from .exact_knn import NOT_NNDESCENT, ExactIndex
from .numba_cache import use_venv_cache

use_venv_cache()  # before umap (and numba) is imported: compiled kernels live in the venv
import umap  # noqa: E402

Maps = tuple[np.ndarray, np.ndarray]  # (train_umap, test_umap), float32 [N, 2] each


def _fit(codes: np.ndarray, neighbors: int, min_dist: float, seed: int) -> umap.UMAP:
    """UMAP fitted on ``codes`` with their exact neighbours."""
    index = ExactIndex(codes)
    reducer = umap.UMAP(n_neighbors=neighbors, min_dist=min_dist, n_components=2,
                        random_state=seed, transform_seed=seed, n_jobs=1,
                        precomputed_knn=index.precomputed_knn(neighbors))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=NOT_NNDESCENT)
        return reducer.fit(codes)


def umap_map(train_z: np.ndarray, test_z: np.ndarray, neighbors: int, min_dist: float,
             fit_size: int, seed: int) -> Maps:
    """(train_umap, test_umap): UMAP fitted on ``fit_size`` seeded training codes, the rest
    placed by ``transform``."""
    if fit_size >= len(train_z):
        # Fitting on everything: embed train and test codes in one fit. UMAP's transform is the
        # slow part (one fit of all the codes beat a fit and a transform: BENCHMARKS.md).
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


def umap_maps(jobs: dict[str, tuple[np.ndarray, np.ndarray, int]], workers: int, neighbors: int,
              min_dist: float, fit_size: int) -> dict[str, Maps]:
    """{model id: maps} of ``jobs`` ({model id: (train codes, test codes, seed)}). The first
    ``workers`` jobs go to as many spawned worker processes, one each, while this process makes
    the others. Called once every code is computed: a worker mapping beside torch's threads
    (encoding on both cores) slowed both, and the stage gained nothing (BENCHMARKS.md)."""
    def args(mid: str) -> tuple:
        train_z, test_z, seed = jobs[mid]
        return train_z, test_z, neighbors, min_dist, fit_size, seed

    if not workers:
        return {mid: umap_map(*args(mid)) for mid in jobs}
    # A Pool leaving its with-block is terminated: on a Ctrl-C or an error, its workers stop.
    with multiprocessing.get_context("spawn").Pool(
            workers, initializer=start_worker, initargs=(os.getpid(),)) as pool:
        sent = {mid: pool.apply_async(umap_map, args(mid)) for mid in list(jobs)[:workers]}
        here = {mid: umap_map(*args(mid)) for mid in jobs if mid not in sent}
        maps = {mid: sent[mid].get() if mid in sent else here[mid] for mid in jobs}
        # Let the workers exit on their own: terminated, a worker leaves the semaphore of its
        # tqdm lock behind, and the run ends with a resource_tracker "leaked semaphore" warning.
        pool.close()
        pool.join()
        return maps
