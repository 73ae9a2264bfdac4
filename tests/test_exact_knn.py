"""The encode stage's UMAP takes exact neighbours from a k-d tree (``s3_encode/exact_knn.py``)
and never builds pynndescent's index, whose compilation numba cannot cache."""

from __future__ import annotations

import numpy as np
from pipeline.stages.s3_encode.exact_knn import ExactIndex


def brute_force_knn(queries: np.ndarray, fitted: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    d = np.sqrt(((queries[:, None, :] - fitted[None, :, :]) ** 2).sum(-1))
    idx = np.argsort(d, axis=1)[:, :k]
    return idx, np.take_along_axis(d, idx, axis=1)


def test_query_gives_the_exact_neighbours_nearest_first():
    rng = np.random.default_rng(3)
    fitted, queries = rng.normal(size=(300, 16)), rng.normal(size=(40, 16))
    idx, dist = ExactIndex(fitted).query(queries, 7, epsilon=0.12)
    want_idx, want_dist = brute_force_knn(queries, fitted, 7)
    assert idx.dtype == np.int32 and dist.dtype == np.float32
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_allclose(dist, want_dist, rtol=1e-6)


def test_a_fit_gets_each_fitted_row_with_itself_first():
    fitted = np.random.default_rng(4).normal(size=(200, 16))
    idx, dist, index = ExactIndex(fitted).precomputed_knn(5)
    np.testing.assert_array_equal(idx[:, 0], np.arange(200))
    assert np.all(dist[:, 0] == 0) and np.all(np.diff(dist, axis=1) >= 0)
    assert isinstance(index, ExactIndex)
