"""Compile UMAP's numba kernels into the venv's cache by running the encode stage's ``umap_map``
on random codes: the same code path as a build (the neighbours are always given to UMAP, see
``exact_knn``, so any size takes it), with the same dtypes.
``scripts/setup-env.sh`` runs it once per environment:  python -m pipeline.stages.s3_encode.warmup
"""

from __future__ import annotations

import time

import numpy as np

from .projection import umap_map

FIT_SIZE = 2000  # fitted points; 200 more are placed by transform


def main() -> None:
    t0 = time.perf_counter()
    rng = np.random.default_rng(0)
    codes = rng.normal(size=(FIT_SIZE + 200, 16)).astype(np.float32)
    # fit_size < N: both the fit and the transform (of the rest and of "test" codes) compile
    umap_map(codes, codes[:200], neighbors=15, min_dist=0.1, fit_size=FIT_SIZE, seed=0)
    print(f"setup: UMAP's kernels compiled and cached in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
