"""The encode stage's UMAP takes exact neighbours from a k-d tree (``s3_encode/exact_knn.py``)
and never builds pynndescent's index, whose compilation numba cannot cache."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from pipeline.stages.s3_encode import stage
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


def test_umap_map_never_builds_pynndescent_and_warns_nothing(monkeypatch):
    import pynndescent

    def refuse(*args, **kwargs):
        raise AssertionError("pynndescent's NNDescent was built")

    monkeypatch.setattr(pynndescent.NNDescent, "__init__", refuse)
    rng = np.random.default_rng(5)
    # 4,200 fitted codes: from 4,096 on, UMAP left alone would search with pynndescent
    train, test = rng.normal(size=(4400, 16)).astype(np.float32), rng.normal(size=(90, 16)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # UMAP's "not an NNDescent object" warning included
        train_map, test_map = stage.umap_map(train, test, neighbors=10, min_dist=0.1, fit_size=4200, seed=2)
    assert train_map.shape == (4400, 2) and test_map.shape == (90, 2)
    assert train_map.dtype == np.float32 and test_map.dtype == np.float32
    assert np.isfinite(train_map).all() and np.isfinite(test_map).all()
    again = stage.umap_map(train, test, neighbors=10, min_dist=0.1, fit_size=4200, seed=2)
    np.testing.assert_array_equal(again[0], train_map)  # seeded: the same bytes
    np.testing.assert_array_equal(again[1], test_map)


@pytest.mark.parametrize("fit_size", [700, 5000])
def test_fitting_everything_embeds_train_and_test_in_one_fit(fit_size):
    rng = np.random.default_rng(6)
    train, test = rng.normal(size=(700, 16)).astype(np.float32), rng.normal(size=(90, 16)).astype(np.float32)
    train_map, test_map = stage.umap_map(train, test, neighbors=10, min_dist=0.1, fit_size=fit_size, seed=2)
    assert train_map.shape == (700, 2) and test_map.shape == (90, 2)
    assert train_map.dtype == np.float32 and np.isfinite(test_map).all()
