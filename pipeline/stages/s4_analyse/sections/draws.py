"""The latent sample sets, drawn in one place and once per analysis: the five sets of a 2-D seed
pair, and the three of the higher-dimensional pair. The samples and high_dim sections score them
under the main judge against the real images, the evidence under every judge against the
model's reconstructions too: the very same draws, decoded and judged once (``Analysis.once``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.core import seeding
from .. import samplers
from ..analysis import Analysis, rng_for


@dataclass(frozen=True)
class Draws:
    """Named latent sets, each (model id, points [M, d]), and the Gaussian mixture fitted to the
    AE's training codes that one of them was drawn from."""

    sets: dict[str, tuple[str, np.ndarray]]
    gmm: Any


def ae_gmm(a: Analysis, ae: str) -> Any:
    """The Gaussian mixture fitted to AE ``ae``'s training codes, once per analysis."""
    return a.once(("gmm", ae), lambda: samplers.fit_gmm(
        a.codes(ae)["train_z"], a.cfg.gmm_components, seeding.seed31(a.seed, f"gmm-fit:{ae}")))


def pair_draws(a: Analysis, ae: str, vae: str) -> Draws:
    """The five sets of one seed pair; the main pair's draws keep their historical stream names
    (``ae_prior``, ...), another pair's add its AE id (``ae_prior-ae2-seed1``)."""
    def make() -> Draws:
        m, ae_z = a.cfg.n_samples, a.codes(ae)["train_z"]
        tag = "" if ae == "ae2" else f"-{ae}"
        gmm = ae_gmm(a, ae)
        d_vae = a.codes(vae)["train_z"].shape[1]
        return Draws({
            "ae_prior": (ae, samplers.prior(m, ae_z.shape[1], rng_for(a.seed, f"ae_prior{tag}"))),
            "ae_box": (ae, samplers.box(ae_z, m, rng_for(a.seed, f"ae_box{tag}"))),
            "ae_gauss": (ae, samplers.gaussian(ae_z, m, rng_for(a.seed, f"ae_gauss{tag}"))),
            "ae_gmm": (ae, samplers.gmm_sample(gmm, m, rng_for(a.seed, f"ae_gmm{tag}"))),
            "vae_prior": (vae, samplers.prior(m, d_vae, rng_for(a.seed, f"vae_prior{tag}"))),
        }, gmm)
    return a.once(("pair_draws", ae, vae), make)


def high_draws(a: Analysis, ae: str, vae: str) -> Draws:
    """The higher-dimensional pair's sets: the AE from N(0, I) and from a Gaussian mixture fitted
    to its codes, the VAE from its prior."""
    def make() -> Draws:
        m, ae_z = a.cfg.n_samples, a.codes(ae)["train_z"]
        d = ae_z.shape[1]
        gmm = ae_gmm(a, ae)
        return Draws({f"{ae}_prior": (ae, samplers.prior(m, d, rng_for(a.seed, f"{ae}_prior"))),
                      f"{ae}_gmm": (ae, samplers.gmm_sample(gmm, m, rng_for(a.seed, f"{ae}_gmm"))),
                      f"{vae}_prior": (vae, samplers.prior(m, d, rng_for(a.seed, f"{vae}_prior")))},
                     gmm)
    return a.once(("high_draws", ae, vae), make)


RECON = "recon"  # the set key of a model's reconstructions of the test images (AE: z; VAE: μ)
