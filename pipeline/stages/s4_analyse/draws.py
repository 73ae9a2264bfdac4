"""The latent sample sets, drawn in one place: the five sets of a 2-D seed pair (the sample-set
registry's drawn sets, ``pipeline/core/sample_sets.py``) and the three of the higher-dimensional
pair. ``Analysis.pair_draws`` / ``high_draws`` / ``gmm`` call these once per analysis, so the
samples and high_dim sections (main judge, against the real images) and the robustness block (every
judge, against the reconstructions too) score the very same draws, decoded and judged once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from pipeline.core import seeding
from . import samplers

if TYPE_CHECKING:
    from .analysis import Analysis

RECON = "recon"  # the set key of a model's reconstructions of the test images (AE: z; VAE: μ)


@dataclass(frozen=True)
class Draws:
    """Named latent sets, each (model id, points [M, d]), and the Gaussian mixture fitted to the
    AE's training codes that one of them was drawn from."""

    sets: dict[str, tuple[str, np.ndarray]]
    gmm: Any


def fit_gmm(a: Analysis, ae: str) -> Any:
    """The Gaussian mixture fitted to AE ``ae``'s training codes."""
    return samplers.fit_gmm(a.codes(ae)["train_z"], a.cfg.gmm_components,
                            seeding.seed31(a.seed, f"gmm-fit:{ae}"))


def pair_sets(a: Analysis, ae: str, vae: str) -> Draws:
    """The five sets of one seed pair; the main pair's draws keep their historical stream names
    (``ae_prior``, ...), another pair's add its AE id (``ae_prior-ae2-seed1``)."""
    m, ae_z = a.cfg.n_samples, a.codes(ae)["train_z"]
    tag = "" if ae == a.roles.ae else f"-{ae}"
    gmm = a.gmm(ae)
    d_vae = a.codes(vae)["train_z"].shape[1]

    def rng(key: str) -> np.random.Generator:
        return seeding.rng(a.seed, f"{key}{tag}")
    return Draws({
        "ae_prior": (ae, samplers.prior(m, ae_z.shape[1], rng("ae_prior"))),
        "ae_box": (ae, samplers.box(ae_z, m, rng("ae_box"))),
        "ae_gauss": (ae, samplers.gaussian(ae_z, m, rng("ae_gauss"))),
        "ae_gmm": (ae, samplers.gmm_sample(gmm, m, rng("ae_gmm"))),
        "vae_prior": (vae, samplers.prior(m, d_vae, rng("vae_prior"))),
    }, gmm)


def high_sets(a: Analysis, ae: str, vae: str) -> Draws:
    """The higher-dimensional pair's sets: the AE from N(0, I) and from a Gaussian mixture fitted
    to its codes, the VAE from its prior."""
    m, ae_z = a.cfg.n_samples, a.codes(ae)["train_z"]
    d = ae_z.shape[1]
    gmm = a.gmm(ae)
    return Draws({f"{ae}_prior": (ae, samplers.prior(m, d, seeding.rng(a.seed, f"{ae}_prior"))),
                  f"{ae}_gmm": (ae, samplers.gmm_sample(gmm, m, seeding.rng(a.seed, f"{ae}_gmm"))),
                  f"{vae}_prior": (vae, samplers.prior(m, d, seeding.rng(a.seed, f"{vae}_prior")))},
                 gmm)
