"""Holes with a baseline (issue 24): an exact Gaussian sample has no excess holes, clusters do."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.stages.s4_analyse import holes_baseline as hb


def clusters(rng: np.random.Generator, n: int) -> np.ndarray:
    """Ten tight blobs on a ring: empty space between them that no smooth density leaves."""
    centres = 4 * np.stack([np.cos(np.arange(10) * 0.628), np.sin(np.arange(10) * 0.628)], 1)
    return centres[rng.integers(0, 10, n)] + rng.normal(0, 0.25, (n, 2))


@pytest.mark.parametrize("reference", hb.REFERENCES)
def test_an_exact_gaussian_sample_has_an_excess_near_zero(reference) -> None:
    rng = np.random.default_rng(0)
    codes = rng.standard_normal((20_000, 2))
    out = hb.excess_holes(codes, grid=64, hole_max_count=0, reference=reference, rng=rng, draws=3)
    assert out["hole_fraction_hull"] > 0.05  # the raw count is far from zero: tails leave holes
    assert abs(out["excess_hole_fraction_hull"]) < 0.03


def test_clusters_have_a_large_excess_over_their_fitted_gaussian() -> None:
    rng = np.random.default_rng(1)
    out = hb.excess_holes(clusters(rng, 20_000), grid=64, hole_max_count=0, reference="gauss",
                          rng=rng, draws=2)
    assert out["excess_hole_fraction_hull"] > 0.3
    assert out["baseline_min_fraction"] <= out["baseline_hole_fraction_hull"] <= out["baseline_max_fraction"]


def test_excess_cells_keep_only_holes_the_reference_fills() -> None:
    counts = np.array([[0, 0], [5, 0]])
    hull = np.ones((2, 2), bool)
    filled, empty = np.array([[3, 0], [4, 2]]), np.array([[2, 0], [1, 1]])
    cells = hb.excess_cells(counts, [filled, empty, filled], hull, hole_max_count=0)
    assert cells.tolist() == [[True, False], [False, True]]


def test_bad_input_is_named() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="codes must be"):
        hb.reference_sample(np.zeros((10, 3)), "gauss", rng)
    with pytest.raises(ValueError, match="unknown reference"):
        hb.reference_sample(np.zeros((10, 2)), "uniform", rng)
