"""The robustness block (metrics.json key ``robustness``): every number measured for each seed of
the main pair under each judge, the spread over the seeds, and the comparisons a page may state,
each decided by the one rule of ``pipeline/core/robust.py`` and stored with its threshold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .codec import optional

Verdict = Literal["better", "worse", "level", "unsettled"]


@dataclass
class JudgeRanges:
    """A comparison's two numbers over the seeds under one judge: each judge measures in its own
    feature space, so a range pooled over judges would mix scales."""

    a_range: list[float]
    """[min, max] of A over the seeds under this judge (A's unit)."""
    b_range: list[float]
    """[min, max] of B over the seeds under this judge (B's unit)."""


@dataclass
class Comparison:
    """A against B over every case (seed × judge, or seed alone for judge-free numbers).
    A page says "better", "worse" or "level" only from ``verdict``, and prints the ranges."""

    verdict: Verdict
    """The per-case verdict every case agrees on, else "unsettled"."""
    cases: int
    """Cases compared (count)."""
    counts: dict[str, int]
    """Cases per per-case verdict: better, worse, level (count)."""
    a_range: list[float]
    """[min, max] of A over the cases (A's unit)."""
    b_range: list[float]
    """[min, max] of B over the cases (B's unit)."""
    level_within: float
    """Threshold of "level": |a − b| at most this share of the larger (0..1); pages print it."""
    by_judge: dict[str, Verdict] | None = optional()
    """{judge: the verdict every seed agrees on under that judge alone, else "unsettled"}: which
    judges held the verdict ("cnn", "mlp", "pca"); absent for judge-free comparisons."""
    ranges_by_judge: dict[str, JudgeRanges] | None = optional()
    """{judge: A's and B's ranges over the seeds under that judge}: what pages print beside a
    verdict, since judges' scales differ; absent for judge-free comparisons."""

    @property
    def settled(self) -> bool:
        """True when every case agrees."""
        return self.verdict != "unsettled"


@dataclass
class Spread:
    """A number's main-seed value and its range over the seeds."""

    main: float | None
    """The main seed's value (the number's unit; null where it cannot be measured)."""
    min: float | None
    """Smallest over the seeds."""
    max: float | None
    """Largest over the seeds."""
    n_seeds: int
    """Seeds (count)."""


@dataclass
class ThresholdCheck:
    """A number against a fixed threshold in every case: ``holds`` only if it is on the stated
    side in each (the pages and the claims switch on it instead of comparing)."""

    holds: bool
    """On the stated side of ``threshold`` in every case."""
    threshold: float
    """The threshold (the number's unit)."""
    at_least: bool
    """True: the number must be at least the threshold; false: below it."""
    cases: int
    """Cases checked (count)."""
    passed: int
    """Cases on the stated side (count)."""
    range: list[float]
    """[min, max] of the number over the cases."""
    by_judge: dict[str, bool] | None = optional()
    """{judge: on the stated side in every seed under that judge alone}; absent for judge-free
    checks."""


@dataclass
class VsScores:
    """A set's scores against one reference set of images."""

    fid: float
    """FID (judge feature space; lower is closer)."""
    precision_fraction: float
    """Share of the set inside the reference's k-NN balls (0..1)."""
    recall_fraction: float
    """Share of the reference inside the set's k-NN balls (0..1)."""


@dataclass
class SetScores:
    """One sample set under one judge."""

    vs_recon: VsScores | None
    """Against the same model's reconstructions (decoder-relative); null for the
    reconstruction sets themselves."""
    vs_real: VsScores
    """Against the real test images."""


@dataclass
class QualityMap:
    """The decoded-quality map of a 2-D model under one judge: which grid cells decode off the
    manifold of the model's own reconstructions."""

    rule: str
    """The off-manifold rule in words."""
    percentile: float
    """Percentile of reconstruction-to-nearest-reconstruction distances that sets the
    threshold."""
    typical_nn_distance: float
    """Median of those distances (judge feature units)."""
    threshold_realism: float
    """Realism above which a decode is off-manifold (ratio to the typical distance)."""
    realism_median: float
    """Median realism over the cells (ratio)."""
    n_reconstructions: int
    """Reconstructions forming the manifold (count)."""
    off_manifold_in_holes_fraction: float | None
    """Share of hole cells that decode off-manifold (0..1; null without hole cells)."""
    off_manifold_in_occupied_fraction: float | None
    """Share of occupied cells that decode off-manifold (0..1)."""
    off_manifold_in_window_fraction: float
    """Share of all cells that decode off-manifold (0..1)."""
    prior_mass_off_manifold_fraction: float
    """N(0, I) mass on off-manifold cells inside the window (0..1)."""
    prior_mass_off_manifold_of_window_fraction: float | None
    """The same over the prior mass inside the window (0..1)."""


@dataclass
class JudgeResult:
    """One seed pair under one judge."""

    sets: dict[str, SetScores]
    """Per sample set (the registry's scored sets)."""
    quality_map: dict[str, QualityMap]
    """Per role "ae" / "vae"."""
    prior_off_manifold_fraction: dict[str, float]
    """Per role: share of the N(0, I) decodes off the model's reconstruction manifold (0..1)."""


@dataclass
class IwaeBound:
    """The importance-weighted bound of a seed's VAE on the first test images."""

    iwae_nats: float
    """Mean IWAE bound (nats per image; Bernoulli on [0, 1] intensities)."""
    iwae_se_nats: float | None
    """Its standard error (nats)."""
    elbo_same_draws_nats: float
    """The ELBO on the same draws (nats)."""
    k: int
    """Importance samples per image (count)."""
    n_images: int
    """Test images (count)."""


@dataclass
class SeedVerdicts:
    """Judge-free numbers of every seed pair, their spread and the AE-against-VAE comparisons
    (the seeds are the cases; "worse" = the AE's number is higher in every seed)."""

    per_seed: dict[str, dict[str, dict[str, float]]]
    """{seed: {ae|vae: {number: value}}}."""
    spread: dict[str, dict[str, Spread]]
    """{ae|vae: {number: spread}}."""
    comparisons: dict[str, Comparison]
    """``ae_vs_vae_<number>``."""


@dataclass
class HighSets:
    """The higher-dimensional pair's sets under every judge."""

    sets: dict[str, dict[str, SetScores]]
    """{judge: {set: scores}}."""
    prior_off_manifold_fraction: dict[str, dict[str, float]]
    """{judge: {ae|vae: share of N(0, I) decodes off the manifold}} (0..1)."""
    comparisons: dict[str, Comparison]
    """FID comparisons of its sets over the judges (main seed): ``ae_prior_vs_vae``,
    ``gmm_vs_vae``, ``gmm_vs_ae_prior``, each ``_fid_vs_recon`` and ``_fid_vs_real``."""


@dataclass
class PcaJudge:
    """The third judge: a PCA of the training images' pixels (no labels involved), features
    only (no classes, so no confidence or class histogram under it)."""

    components: int
    """Principal components kept: the judge's feature dimension (count)."""
    explained_variance_fraction: float
    """Share of the training pixels' variance the components hold (0..1)."""
    whitened: bool
    """Whether components are scaled to unit variance (false: pixel distances are kept)."""


@dataclass
class Robustness:
    """Every seed of the main pair under every judge (metrics.json key ``robustness``)."""

    seeds: list[str]
    """Seed keys, the main seed first ("seed0", ...)."""
    judges: dict[str, str]
    """Judge name -> id ("cnn": "judge", "mlp": "judge-mlp": the trained classifiers; "pca":
    "judge-pca", a PCA of the training pixels fitted in analyse, features only, no checkpoint)."""
    models: dict[str, list[str]]
    """Seed -> [AE id, VAE id] (the train stage's sweep.json)."""
    references: dict[str, str]
    """Reference key (vs_recon, vs_real) -> what the scores are measured against, in words."""
    per_seed: dict[str, dict[str, JudgeResult]]
    """{seed: {judge: results}}."""
    beta_sweep_quality_map: dict[str, dict[str, Any]]
    """{sweep model id: {"beta": KL weight, <judge>: quality map}} (main seed)."""
    high_dim: HighSets | None
    """The higher-dimensional pair (null without one)."""
    iwae: dict[str, IwaeBound]
    """Per seed."""
    holes: SeedVerdicts
    """Hole numbers per seed."""
    paths: SeedVerdicts
    """Straight-path numbers per seed."""
    iwae_note: str
    """What the IWAE numbers are not comparable with, in words."""
    spread: dict[str, dict[str, dict[str, dict[str, Spread]]]]
    """{judge: {set: {reference: {score: spread over seeds}}}}."""
    spread_quality: dict[str, dict[str, dict[str, Spread]]]
    """{judge: {ae|vae: {quality-map number: spread}}}."""
    comparisons: dict[str, Comparison]
    """Sample-set and quality-map comparisons over every seed × judge (names
    ``<a>_vs_<b>_fid_<reference>``, ``ae_vs_vae_<number>``), and ``vae_rec_vs_ae_bce`` (the
    VAE's test reconstruction against the AE's, over the seeds)."""
    checks: dict[str, ThresholdCheck]
    """Threshold checks a page switches on: ``recall_2d_near_zero`` (every seed × judge),
    ``ae|vae_gap_decodes_confident`` (main seed, CNN; absent without gap points),
    ``clouds_fill_prior`` (main VAE: KL(q(z)‖p(z)) below half of I(n; z))."""
    pca_judge: PcaJudge | None = optional()
    """The PCA judge's fit (absent in reports made before it)."""

    @property
    def main_seed(self) -> str:
        """The main seed's key (its pair is ae2/vae2)."""
        return self.seeds[0]

    @property
    def main_quality_maps(self) -> dict[str, QualityMap]:
        """The main seed's quality maps under the CNN judge: {"ae": ..., "vae": ...} (the
        explorer's overlay and the quality-map figure read them)."""
        return self.per_seed[self.main_seed]["cnn"].quality_map
