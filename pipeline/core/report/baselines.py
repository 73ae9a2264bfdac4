"""Blocks of issue 24: holes measured against a smooth baseline, and the VAE's clouds at the scale
where they overlap. Units as in ``blocks.py``: ``_fraction`` 0..1, latent units for lengths."""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import Gaps


@dataclass
class BaselineHoles:
    """The hull hole rule (window rule, grid, hull, hole threshold) applied to equal-size samples
    from one smooth reference density, beside the codes' own hole fraction."""

    reference: str
    """"gauss": a Gaussian with the codes' mean and covariance; "prior": N(0, I)."""
    draws: int
    """Reference samples drawn, each as large as the codes (count)."""
    hole_fraction_hull: float
    """The codes' own hull hole fraction (the same number as ``holes.<id>.hole_fraction_hull``; 0..1)."""
    baseline_hole_fraction_hull: float
    """The reference samples' hull hole fraction, mean over the draws: the empty cells a smooth
    density of that size leaves in its own tails (0..1)."""
    baseline_min_fraction: float
    """Smallest of the draws' hull hole fractions (0..1)."""
    baseline_max_fraction: float
    """Largest of the draws' hull hole fractions (0..1)."""
    excess_hole_fraction_hull: float
    """The codes' fraction minus the baseline mean: the share of hull cells emptier than the
    smooth density leaves them (fraction of hull cells; near 0 for codes as smooth as it)."""


@dataclass
class HolesExcess:
    """A main 2-D model's holes against smooth baselines, and gap points among the excess holes."""

    baselines: dict[str, BaselineHoles]
    """Per reference density: "gauss" for every model, "prior" (N(0, I)) for a VAE."""
    excess_cells_fraction_hull: float
    """Share of the codes' hull cells that are excess holes: empty in the codes, occupied in most
    samples of the fitted Gaussian counted on the same grid (0..1)."""
    excess_cells_in_prior_fraction: float
    """Share of the cells inside the prior's region (centre within ``prior_radius`` of 0) that
    are excess holes (0..1)."""
    prior_mass_in_excess_fraction: float
    """N(0, I) probability mass over the excess-hole cells, exact via the normal CDF (0..1)."""
    prior_radius: float
    """Radius of the region the prior covers, where the excess gap points are chosen (latent
    units; N(0, I)'s 3σ circle)."""
    gaps: Gaps
    """Gap points by the standard of ``gaps`` (largest empty discs), among the excess-hole cells
    inside the prior's region, with the judge's reading of their decodes."""


@dataclass
class Clouds:
    """The main VAE's clouds q(z | x) = N(μ, diag σ²) at the scale where they overlap."""

    model: str
    """The VAE's model id."""
    n_clouds: int
    """Clouds (a seeded sample of the training images) whose overlaps are counted (count)."""
    overlap_count_median: float
    """Median over those clouds of how many other training clouds' 1σ ellipses overlap the
    cloud's own 1σ ellipse (count)."""
    overlap_count_q1: float
    """Lower quartile of that count (count)."""
    overlap_count_q3: float
    """Upper quartile of that count (count)."""
    sigma_median_x: float
    """Median σ of q(z | x) along z₁ over all training images (latent units)."""
    sigma_median_y: float
    """Median σ along z₂ (latent units)."""
    nearest_centre_median: float
    """Median distance from a cloud's μ to the nearest other μ (latent units)."""
    n_draws: int
    """N(0, I) draws behind the next number (count)."""
    prior_mass_within_2sigma_fraction: float
    """Share of N(0, I) draws within 2σ (Mahalanobis) of at least one training cloud (0..1)."""
    aggregate_vs_prior_tv_fraction: float
    """Total variation between the aggregate posterior q(z) (the mixture of all training clouds)
    and N(0, I), over the cells of the aggregate's grid (holes.npz ``<id>_aggregate_window``:
    the codes' window widened to hold [-3.5, 3.5]²), the mass outside it as one more cell
    (0 = the same distribution; 0..1)."""
