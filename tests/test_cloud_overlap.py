"""Clouds at the scale where they overlap (issue 24 item 5): overlap counts, prior mass near the
clouds, and the aggregate posterior on a grid."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.stages.s4_analyse import cloud_overlap as co
from pipeline.stages.s4_analyse.holes import prior_cell_mass


def test_overlap_counts_follow_the_distance_between_circles() -> None:
    mu = np.array([[0.0, 0.0], [1.5, 0.0], [2.5, 0.0], [10.0, 0.0]])
    sigma = np.ones((4, 2))  # unit circles: overlap when centres are at most 2 apart
    assert co.overlap_counts(mu, sigma, np.arange(4)).tolist() == [1, 2, 1, 0]


def test_overlap_of_ellipses_uses_each_axis_own_widths() -> None:
    mu = np.array([[0.0, 0.0], [0.0, 1.5]])
    narrow_y = np.array([[1.0, 0.5], [1.0, 0.5]])  # 0.5 + 0.5 < 1.5 along y: apart
    wide_y = np.array([[0.1, 1.0], [0.1, 1.0]])    # 1 + 1 > 1.5 along y: overlapping
    assert co.overlap_counts(mu, narrow_y, np.arange(2)).tolist() == [0, 0]
    assert co.overlap_counts(mu, wide_y, np.arange(2)).tolist() == [1, 1]


def test_one_standard_cloud_reaches_the_chi_square_share_of_the_prior() -> None:
    rng = np.random.default_rng(0)
    share = co.prior_mass_near_clouds(np.zeros((1, 2)), np.ones((1, 2)), rng.standard_normal((40_000, 2)))
    assert share == pytest.approx(1 - np.exp(-2), abs=0.01)  # P(chi²₂ ≤ 4)


def test_many_narrow_clouds_packed_like_the_prior_reach_most_of_it() -> None:
    rng = np.random.default_rng(1)
    mu = rng.standard_normal((20_000, 2))
    share = co.prior_mass_near_clouds(mu, np.full_like(mu, 0.04), rng.standard_normal((5_000, 2)))
    assert share > 0.9
    sparse = co.prior_mass_near_clouds(mu[:50], np.full((50, 2), 0.04), rng.standard_normal((5_000, 2)))
    assert sparse < share / 4  # 50 such clouds cover only a small part of it


def test_aggregate_of_one_standard_cloud_is_the_prior() -> None:
    window = np.array([-3.0, 3.0, -2.0, 4.0])
    mass = co.aggregate_posterior_mass(np.zeros((1, 2)), np.ones((1, 2)), window, 16)
    assert np.allclose(mass, prior_cell_mass(window, 16))


def test_aggregate_mass_sits_where_the_clouds_are() -> None:
    mu = np.array([[-1.5, -1.5], [1.5, 1.5]])
    mass = co.aggregate_posterior_mass(mu, np.full((2, 2), 0.1), np.array([-2.0, 2.0, -2.0, 2.0]), 4,
                                       chunk=1)
    assert mass.sum() == pytest.approx(1.0, abs=1e-6)
    assert mass[0, 0] == pytest.approx(0.5, abs=1e-3) and mass[3, 3] == pytest.approx(0.5, abs=1e-3)


def test_summary_and_bad_input() -> None:
    rng = np.random.default_rng(2)
    mu = rng.standard_normal((3_000, 2))
    out = co.overlap_summary(mu, np.full_like(mu, 0.05), rng, n_clouds=200, n_draws=2_000)
    assert out["overlap_count_median"] >= 1 and 0 < out["prior_mass_within_2sigma_fraction"] <= 1
    with pytest.raises(ValueError, match="positive"):
        co.overlap_counts(mu, np.zeros_like(mu), np.arange(3))
