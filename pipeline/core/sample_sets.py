"""The sample-set registry: every set the analyse stage scores and the render stage shows, in
order, with its key, titles, how it is drawn and its role. Analyse draws and scores these
(``s4_analyse/draws.py``, ``sections/samples.py``, ``sections/robustness.py``), figures and tests iterate
them, and metrics.json names them by ``key``. A new sampler is one entry here and its draw in
``draws.pair_sets``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class SampleSet:
    """One set of decoded images."""

    key: str
    """Its name in metrics.json and samples.npz (``samples.<key>``, ``<key>_images``)."""
    title: str
    """Its title in figures ("AE, GMM fitted to codes")."""
    short: str
    """A short label for dense plots, in the pages' words ("AE, whole range", "AE, fitted GMM")."""
    source: str
    """How it is made, in words (metrics.json's ``source``)."""
    role: Literal["ae", "vae"]
    """Which model of a seed pair decodes it."""
    kind: Literal["prior", "fitted", "recon"]
    """prior: N(0, I) draws; fitted: draws from a density fitted to the AE's codes; recon: the
    reconstructions of the test images (the decoder-relative reference itself)."""


REGISTRY: tuple[SampleSet, ...] = (
    SampleSet("ae_prior", "AE, z ~ N(0, I)", "AE, N(0, I)", "AE decoder on z ~ N(0, I)", "ae", "prior"),
    SampleSet("ae_box", "AE, z ~ box of its codes", "AE, whole range",
              "AE decoder on z uniform in the codes' bounding box", "ae", "fitted"),
    SampleSet("ae_gauss", "AE, Gaussian fitted to codes", "AE, fitted Gaussian",
              "AE decoder on z ~ Gaussian fitted to the AE codes", "ae", "fitted"),
    SampleSet("ae_gmm", "AE, GMM fitted to codes", "AE, fitted GMM",
              "AE decoder on z ~ Gaussian mixture fitted to the AE codes", "ae", "fitted"),
    SampleSet("vae_prior", "VAE, z ~ N(0, I)", "VAE, N(0, I)", "VAE decoder on z ~ N(0, I)", "vae",
              "prior"),
    SampleSet("ae_recon", "AE reconstructions", "AE recon.",
              "AE reconstructions of the test images (decode of z)", "ae", "recon"),
    SampleSet("vae_recon", "VAE reconstructions", "VAE recon.",
              "VAE reconstructions of the test images (decode of μ)", "vae", "recon"),
)
BY_KEY = {s.key: s for s in REGISTRY}

# Decodes of drawn latent points (the AE with four samplers, the VAE from its prior) ...
PRIOR_SETS = tuple(s.key for s in REGISTRY if s.kind != "recon")
# ... and the two models' reconstructions of the test images, scored alike.
SCORED_SETS = tuple(s.key for s in REGISTRY)
RECON_SETS = tuple(s.key for s in REGISTRY if s.kind == "recon")
# The N(0, I) set of each role (the claims test their decodes' off-manifold share).
PRIOR_OF_ROLE = {s.role: s.key for s in REGISTRY if s.kind == "prior"}

TITLES = {**{s.key: s.title for s in REGISTRY}, "real": "real test images"}
SHORT_TITLES = {s.key: s.short for s in REGISTRY}
SOURCES = {s.key: s.source for s in REGISTRY}

# The interpolation paths (analyse's paths.npz), in order, and their titles in figures, GIFs
# and the interpolation explorer.
PATH_KINDS = ("ae_linear", "vae_linear", "vae_slerp")
PATH_TITLES = {"ae_linear": "AE, straight line", "vae_linear": "VAE, straight line",
               "vae_slerp": "VAE, spherical path"}
