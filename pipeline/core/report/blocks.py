"""The main seed's blocks of the analysis report: holes and gaps of the 2-D maps, the scored
sample sets, the reference floor, the ELBO surgery, the β sweep and the higher-dimensional pair
(the interpolation paths: ``paths.py``). Units: ``_fraction`` 0..1, ``_nats`` nats per image, ``_per_pixel``
mean squared error on pixels scaled to 0..1, latent units for coordinates."""

from __future__ import annotations

from dataclasses import dataclass
from .codec import optional, renamed


@dataclass
class HoleSummary:
    """A 2-D model's hole map: the density grid over its latent window and what N(0, I) finds."""

    window: list[float]
    """The latent window [xmin, xmax, ymin, ymax] (latent units), the same rule for every model."""
    window_side: float
    """Side of the (square) window (latent units)."""
    hole_max_count: int
    """A grid cell with at most this many training codes is a hole (count)."""
    grid_cells_per_axis: int
    """Cells per side of the square grid (count)."""
    cell_size: float
    """Side of one grid cell (latent units)."""
    n_codes: int
    """Training codes binned (count)."""
    codes_outside_window_fraction: float
    """Share of the training codes outside the window (0..1)."""
    hole_fraction_window: float
    """Hole cells over all cells of the window (0..1)."""
    hole_fraction_hull: float
    """Hole cells over the cells inside the convex hull of the occupied cells: the holes
    *between* codes (0..1)."""
    hull_fraction_window: float
    """Cells inside the hull over all cells (0..1)."""
    prior_mass_in_holes_fraction: float
    """N(0, I) probability mass over hole cells, exact via the normal CDF (0..1)."""
    prior_mass_outside_window_fraction: float
    """N(0, I) mass outside the window (0..1)."""
    prior_mass_uncovered_fraction: float
    """The two above summed: where prior draws find no code (0..1)."""
    window_rule: str | None = optional()
    """The window rule in words (main pair only)."""


@dataclass
class GapPoint:
    """A point in a hole, as far from every code as the hole allows."""

    x: float
    """Latent x (latent units)."""
    y: float
    """Latent y (latent units)."""
    clearance: float
    """Radius of the empty disc around the point inside the hull (latent units)."""
    class_: int = renamed("class")
    """The judge's class of the point's decode (digit 0..9); JSON key ``class``."""
    confidence_fraction: float = 0.0
    """The judge's confidence in that class (0..1)."""


@dataclass
class Gaps:
    """The gap points of a 2-D model's holes, greatest clearance first."""

    points: list[GapPoint]
    """At most ``analyse.n_gap_points`` points."""
    confidence_mean_fraction: float | None
    """The judge's mean confidence on their decodes (0..1); null without gap points."""


@dataclass
class ScoreBlock:
    """A set of decoded latent points (or reconstructions) scored by the main judge against the
    real test images."""

    model: str
    """Model id that decoded the set."""
    source: str
    """How the set was made, in words (the sample-set registry's description)."""
    n: int
    """Images in the set (count)."""
    fid: float
    """FID against the test images in the judge's feature space (lower is closer)."""
    precision_fraction: float
    """Share of the set inside the real images' k-NN balls (k = ``analyse.pr_k``; 0..1)."""
    recall_fraction: float
    """Share of the real images inside the set's k-NN balls (0..1)."""
    confidence_mean_fraction: float
    """The judge's mean top-class probability (0..1)."""
    entropy_mean_nats: float
    """Mean entropy of the judge's class distribution (nats)."""
    class_hist_fraction: list[float]
    """Share of the set in each predicted class (0..1 per class)."""
    class_tv_from_uniform_fraction: float
    """Total variation between that histogram and uniform (0 = balanced; 0..1)."""
    class_kl_from_uniform_nats: float
    """KL(histogram || uniform) (nats; 0 = balanced)."""
    far_fraction: float
    """Share of points whose nearest training code is farther than the 95th percentile of
    code-to-nearest-code distances (≈ 0.05 for points distributed like the codes; 0..1)."""
    in_holes_fraction: float | None = optional()
    """2-D sets: share of points in a hole cell or outside the window (0..1)."""
    outside_window_fraction: float | None = optional()
    """2-D sets: share of points outside the window the maps show (part of
    ``in_holes_fraction``; a few stray codes stretch a bounding box far beyond it; 0..1)."""
    fit_test_loglik_nats: float | None = optional()
    """Fitted-density sets: mean log-likelihood of the test codes under the density fitted to
    the training codes (nats per code)."""
    components: int | None = optional()
    """GMM sets: mixture components (count)."""
    bce_nats: float | None = optional()
    """Reconstruction sets: test BCE (nats per image)."""
    mse_per_pixel: float | None = optional()
    """Reconstruction sets: test MSE (per pixel)."""


@dataclass
class ReferenceScores:
    """Real test images scored against a seeded subset of as many training images: the floor
    of every set's scores."""

    source: str
    """What was scored, in words."""
    n: int
    """Images (count)."""
    fid: float
    """FID of test against training images (the floor)."""
    precision_fraction: float
    """As in a score block (0..1)."""
    recall_fraction: float
    """As in a score block (0..1)."""
    judge_test_accuracy_fraction: float
    """The main judge's accuracy on the test images (0..1)."""
    confidence_mean_fraction: float
    """The judge's mean top-class probability (0..1)."""
    entropy_mean_nats: float
    """Mean entropy of the judge's class distribution (nats)."""
    class_hist_fraction: list[float]
    """Share of images per predicted class (0..1)."""
    class_tv_from_uniform_fraction: float
    """Total variation from uniform (0..1)."""
    class_kl_from_uniform_nats: float
    """KL from uniform (nats)."""


@dataclass
class Reference:
    """The reference floor."""

    test_vs_train: ReferenceScores
    """Test images against training images."""


@dataclass
class Surgery:
    """ELBO surgery of a VAE's training codes: the average KL split into the mutual information
    I(n; z) and the marginal KL(q(z) || p(z)) (Hoffman & Johnson, 2016)."""

    avg_kl_nats: float
    """Mean KL(q(z|x) || p(z)), closed form (nats)."""
    mutual_info_nats: float
    """I(n; z), Monte Carlo (nats; at most log N)."""
    marginal_kl_nats: float
    """KL(q(z) || p(z)), Monte Carlo (nats)."""
    avg_kl_mc_nats: float
    """The two summed: checks the Monte Carlo against the closed form (nats)."""
    log_n_nats: float
    """log of the number of codes, the ceiling of I(n; z) (nats)."""
    mutual_info_fraction_of_log_n: float
    """I(n; z) / log N (0..1)."""
    mutual_info_stderr_nats: float
    """Standard error of I(n; z) (nats)."""
    n_codes: int
    """Codes whose mixture is q(z) (count)."""
    n_mc_samples: int
    """Codes drawn for the Monte Carlo, one z each (count)."""
    mutual_info_fraction_of_kl: float | None
    """I(n; z) over the average KL (ratio; null when the KL is 0)."""
    marginal_kl_fraction_of_kl: float | None
    """KL(q(z) || p(z)) over the average KL (ratio; null when the KL is 0)."""
    test_kl_nats: float | None = optional()
    """Main VAE: closed-form KL per test image (nats)."""
    test_bce_nats: float | None = optional()
    """Main VAE: test BCE of the decode of μ (nats per image)."""
    test_mse_per_pixel: float | None = optional()
    """Main VAE: test MSE of the decode of μ (per pixel)."""


@dataclass
class SweepEntry:
    """One VAE of the β sweep (trained once, main seed)."""

    beta: float
    """KL weight."""
    id: str
    """Model id (``beta_id``)."""
    test_kl_nats: float
    """Closed-form KL per test image (nats)."""
    test_bce_nats: float
    """Test BCE of the decode of μ (nats per image)."""
    test_mse_per_pixel: float
    """Test MSE of the decode of μ (per pixel)."""
    holes: HoleSummary
    """Its hole map."""
    prior: ScoreBlock
    """Its N(0, I) samples, scored."""
    surgery: Surgery
    """Its ELBO surgery."""


@dataclass
class ReconErrors:
    """Test reconstruction errors of a model."""

    bce_nats: float
    """BCE (nats per image)."""
    mse_per_pixel: float
    """MSE (per pixel)."""


@dataclass
class VaeTestTerms:
    """A VAE's test terms."""

    test_kl_nats: float
    """Closed-form KL per test image (nats)."""
    test_bce_nats: float
    """BCE of the decode of μ (nats per image)."""
    test_mse_per_pixel: float
    """MSE of the decode of μ (per pixel)."""


@dataclass
class HighDim:
    """The higher-dimensional pair (``train.high_latent_dim``): holes measured by distance to
    the codes, not on a grid."""

    latent_dim: int
    """Latent size (count)."""
    ae: str
    """The AE's model id."""
    vae: str
    """The VAE's model id."""
    measure: str
    """What ``far_fraction`` means here, in words."""
    nn_threshold: dict[str, float]
    """Per model id: 95th percentile of code-to-nearest-code distances (latent units)."""
    ae_test: ReconErrors
    """The AE's test reconstruction."""
    vae_test: VaeTestTerms
    """The VAE's test terms."""
    surgery: Surgery
    """The VAE's ELBO surgery."""
    sets: dict[str, ScoreBlock]
    """``<ae>_prior``, ``<ae>_gmm``, ``<vae>_prior``: score blocks."""
