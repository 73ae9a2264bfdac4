"""The claims block (metrics.json key ``claims``, present when ``train.claims`` trained the
variants): the numbers behind each textbook claim and its verdict (holds / holds in part / not
supported). Case keys are ``Case`` keys: "seed1/mlp" (a seed under a judge) or "seed1"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .codec import optional
from .robustness import Comparison, ThresholdCheck

ClaimVerdictName = Literal["holds", "holds in part", "not supported"]
CaseValues = dict[str, float]  # case key -> value


@dataclass
class Check:
    """One check of a claim, made by the one rule of ``pipeline/core/robust.py``: A against B
    (passes when A is better beyond the "level" band in every case, or, for a claim that a
    change does not help, when A is better in no case) or a number against a threshold (passes
    when it is on the stated side in every case)."""

    test: str
    """What was tested, with its threshold and where ("in 2 seeds × 2 judges")."""
    passed: bool
    """It passed in every case."""
    comparison: Comparison | None = optional()
    """The A-against-B comparison it rests on (verdict, cases, counts, ranges, threshold)."""
    threshold: ThresholdCheck | None = optional()
    """The threshold check it rests on."""


@dataclass
class ClaimVerdict:
    """A claim's checks and the verdict they give by the rule."""

    checks: list[Check]
    """Its checks, in order."""
    verdict: ClaimVerdictName
    """All checks pass -> holds; some -> holds in part; none -> not supported."""


@dataclass
class ClaimVerdicts:
    """One verdict per claim, and the rule in words."""

    rule: str
    """The rule, in words (printed on the claims page)."""
    clusters: ClaimVerdict
    """1: codes sort digits without labels."""
    holes: ClaimVerdict
    """2: decodes in empty regions are off-manifold."""
    random_codes: ClaimVerdict
    """3: N(0, I) decodes of plain AEs are mostly off-manifold."""
    vae_complete: ClaimVerdict
    """4: VAE prior samples decode on-manifold, its paths are smoother."""
    variants: ClaimVerdict
    """5: denoising and sparse AEs stay autoencoders."""
    conv: ClaimVerdict
    """6: a convolutional AE reconstructs better."""
    pca: ClaimVerdict
    """7: the AE beats PCA."""
    denoising: ClaimVerdict
    """8: the denoising AE cleans corrupted inputs."""
    anomaly: ClaimVerdict
    """9: reconstruction error flags out-of-distribution inputs."""
    kl: ClaimVerdict
    """10: a larger KL weight pulls the codes towards the prior."""


@dataclass
class ClaimCases:
    """Every number a verdict reads, in every case it was measured in."""

    prior_off_manifold: dict[str, CaseValues]
    """{model id: {case: share of N(0, I) decodes off the manifold}} (0..1)."""
    off_manifold_in_holes: CaseValues
    """The main AE's quality map: share of hole cells decoding off-manifold (0..1)."""
    off_manifold_in_occupied: CaseValues
    """The same for occupied cells (0..1)."""
    step_max_over_mean: dict[str, CaseValues]
    """{ae|vae: {seed: straight paths' largest over mean step}} (ratio)."""
    code_knn_accuracy: CaseValues
    """{seed: the AE codes' 5-NN label accuracy} (0..1)."""
    ae_recon: dict[str, CaseValues]
    """{bce_nats|mse_per_pixel: {seed: the AE's test error}}."""
    auroc: dict[str, CaseValues]
    """{OOD set: {seed: ROC AUC of the AE's reconstruction error}} (0..1)."""
    mutual_info_nats: CaseValues
    """{seed: the VAE's I(n; z)} (nats)."""


@dataclass
class Clusters:
    """k-NN label accuracy, train codes -> test codes."""

    k: int
    """Neighbours (count)."""
    accuracy_fraction: dict[str, float]
    """Per code set (model ids, ``pca<d>``) (0..1)."""
    chance_fraction: float
    """Accuracy of guessing the commonest class (0..1)."""
    pixels_fraction: float
    """Accuracy on raw pixels (0..1)."""


@dataclass
class LatentProfile:
    """A model's latent profile as the claims page prints it (main seed, main judge)."""

    latent_dim: int
    """Latent size (count)."""
    n_samples: int
    """N(0, I) draws (count)."""
    prior_off_manifold_fraction: float
    """Share of their decodes off the manifold (0..1)."""
    holes: dict[str, float] | None = optional()
    """2-D: hole_fraction_hull, hole_fraction_window, prior_mass_uncovered_fraction (0..1)."""
    quality: dict[str, float | None] | None = optional()
    """2-D: the quality map's ``_fraction`` numbers (0..1)."""


@dataclass
class ConvComparison:
    """The MLP AE against the conv AE."""

    per_class_bce_nats: dict[str, list[float]]
    """{model id: test BCE per digit class} (nats per image)."""
    matched_by: str
    """How the two were matched, in words."""
    params: dict[str, int]
    """Parameters per model (count)."""
    epochs: dict[str, int]
    """Epochs per model (count)."""
    hardest_by: str
    """How the hardest test digits were chosen, in words."""


@dataclass
class Anomaly:
    """Out-of-distribution detection."""

    auroc_fraction: dict[str, dict[str, float]]
    """{model id: {OOD set: ROC AUC against the test digits}} (0..1)."""
    n: dict[str, int]
    """Images per set (count)."""


@dataclass
class Claims:
    """The textbook claims, tested."""

    ids: dict[str, str]
    """Role -> model id: ae, vae, ae_high, vae_high, denoise, sparse, conv."""
    names: dict[str, str]
    """Model id -> the name the pages and the checks print ("AE-2", "denoising AE-2", "VAE-16")."""
    clusters: Clusters
    """Codes as a classifier's input."""
    reconstruction: dict[str, dict[str, float]]
    """{model id | pca<d>: {bce_nats, mse_per_pixel[, bce_clip, explained_variance_fraction]}}."""
    main_seed: str
    """The main seed's key."""
    latent: dict[str, LatentProfile]
    """Per model id."""
    conv: ConvComparison
    """The conv AE against the MLP AE."""
    denoising: dict[str, dict[str, Any]]
    """{trained|unseen: {corruption, level, noisy|<model id>: {bce_nats, psnr_db}}}."""
    anomaly: Anomaly
    """OOD detection."""
    recipes: dict[str, str]
    """Each variant's difference from the plain AE, in words."""
    cases: ClaimCases
    """The numbers the verdicts read, per case."""
    verdicts: ClaimVerdicts | None = optional()
    """The verdicts (when all three variants were trained)."""
