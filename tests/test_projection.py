"""The encode stage's UMAP maps (``s3_encode/projection.py``): exact neighbours instead of
pynndescent's, and the maps of several models made at once in worker processes, the same bytes
as one after another."""

from __future__ import annotations

import functools
import multiprocessing
import warnings

import numpy as np
import pytest

from pipeline.stages.s3_encode import projection


def codes(seed: int, n_train: int = 700, n_test: int = 90) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n_train, 16)).astype(np.float32),
            rng.normal(size=(n_test, 16)).astype(np.float32))


def test_umap_map_never_builds_pynndescent_and_warns_nothing(monkeypatch):
    import pynndescent

    def refuse(*args, **kwargs):
        raise AssertionError("pynndescent's NNDescent was built")

    monkeypatch.setattr(pynndescent.NNDescent, "__init__", refuse)
    # 5 layout epochs instead of 500: the neighbour search is what this test is about
    monkeypatch.setattr(projection.umap, "UMAP", functools.partial(projection.umap.UMAP, n_epochs=5))
    rng = np.random.default_rng(5)
    # 4,200 fitted codes: from 4,096 on, UMAP left alone would search with pynndescent
    train, test = rng.normal(size=(4400, 16)).astype(np.float32), rng.normal(size=(90, 16)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # UMAP's "not an NNDescent object" warning included
        train_map, test_map = projection.umap_map(train, test, neighbors=10, min_dist=0.1, fit_size=4200, seed=2)
    assert train_map.shape == (4400, 2) and test_map.shape == (90, 2)
    assert train_map.dtype == np.float32 and test_map.dtype == np.float32
    assert np.isfinite(train_map).all() and np.isfinite(test_map).all()
    again = projection.umap_map(train, test, neighbors=10, min_dist=0.1, fit_size=4200, seed=2)
    np.testing.assert_array_equal(again[0], train_map)  # seeded: the same bytes
    np.testing.assert_array_equal(again[1], test_map)


@pytest.mark.parametrize("fit_size", [700, 5000])
def test_fitting_everything_embeds_train_and_test_in_one_fit(fit_size):
    train, test = codes(6)
    train_map, test_map = projection.umap_map(train, test, neighbors=10, min_dist=0.1, fit_size=fit_size, seed=2)
    assert train_map.shape == (700, 2) and test_map.shape == (90, 2)
    assert train_map.dtype == np.float32 and np.isfinite(test_map).all()


def test_maps_made_in_a_worker_are_the_bytes_made_here():
    jobs = {"ae16": (*codes(7), 11), "vae16": (*codes(8), 12), "other16": (*codes(9), 13)}
    here = projection.umap_maps(jobs, 0, neighbors=10, min_dist=0.1, fit_size=500)
    beside = projection.umap_maps(jobs, 1, neighbors=10, min_dist=0.1, fit_size=500)
    assert list(beside) == list(jobs)
    for mid in jobs:
        for mine, theirs in zip(here[mid], beside[mid]):
            np.testing.assert_array_equal(mine, theirs)
    assert not multiprocessing.active_children()  # the worker is stopped


def test_an_error_in_a_worker_reaches_the_stage_and_stops_the_worker():
    train, test = codes(10)
    jobs = {"ae16": (train[:, 0], test, 1), "vae16": (*codes(11), 2)}  # codes without their rows
    with pytest.raises(ValueError):
        projection.umap_maps(jobs, 1, neighbors=10, min_dist=0.1, fit_size=500)
    assert not multiprocessing.active_children()
