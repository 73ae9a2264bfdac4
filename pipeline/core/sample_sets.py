"""The sample-set registry: every set the analyse stage scores and the render stage shows, in
order, with its key, how it is drawn and its role. Analyse draws and scores these
(``s4_analyse/draws.py``, ``sections/samples.py``, ``sections/robustness.py``), figures and tests iterate
them, and metrics.json names them by ``key``. A new sampler is one entry here, its draw in
``draws.pair_sets`` and its names in ``core/set_names.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class SampleSet:
    """One set of decoded images. Its names in figures are render's
    (``core/set_names.py``): analyse imports this registry, so a name kept here
    would rerun every analyse job when a chart's label is reworded."""

    key: str
    """Its name in metrics.json and samples.npz (``samples.<key>``, ``<key>_images``)."""
    source: str
    """How it is made, in words (metrics.json's ``source``)."""
    role: Literal["ae", "vae"]
    """Which model of a seed pair decodes it."""
    kind: Literal["prior", "fitted", "recon"]
    """prior: N(0, I) draws; fitted: draws from a density fitted to the AE's codes; recon: the
    reconstructions of the test images (the decoder-relative reference itself)."""


REGISTRY: tuple[SampleSet, ...] = (
    SampleSet("ae_prior", "AE decoder on z ~ N(0, I)", "ae", "prior"),
    SampleSet("ae_box", "AE decoder on z uniform in the codes' bounding box", "ae", "fitted"),
    SampleSet("ae_gauss", "AE decoder on z ~ Gaussian fitted to the AE codes", "ae", "fitted"),
    SampleSet("ae_gmm", "AE decoder on z ~ Gaussian mixture fitted to the AE codes", "ae", "fitted"),
    SampleSet("vae_prior", "VAE decoder on z ~ N(0, I)", "vae", "prior"),
    SampleSet("ae_recon", "AE reconstructions of the test images (decode of z)", "ae", "recon"),
    SampleSet("vae_recon", "VAE reconstructions of the test images (decode of μ)", "vae", "recon"),
)

# Decodes of drawn latent points (the AE with four samplers, the VAE from its prior) ...
PRIOR_SETS = tuple(s.key for s in REGISTRY if s.kind != "recon")
# ... and the two models' reconstructions of the test images, scored alike.
SCORED_SETS = tuple(s.key for s in REGISTRY)
RECON_SETS = tuple(s.key for s in REGISTRY if s.kind == "recon")
# The N(0, I) set of each role (the claims test their decodes' off-manifold share).
PRIOR_OF_ROLE = {s.role: s.key for s in REGISTRY if s.kind == "prior"}
SOURCES = {s.key: s.source for s in REGISTRY}

# The interpolation paths (analyse's paths.npz), in order.
PATH_KINDS = ("ae_linear", "vae_linear", "vae_slerp")
