"""Beyond the main pair: the β sweep and the higher-dimensional codes (page beyond-2d)."""

from __future__ import annotations

from matplotlib.figure import Figure

from .. import codes
from ..figdata import FigureData
from ..style import Layout
from .common import FigureList, has, n

FIGURES = FigureList()  # filled by @FIGURES.add below, in catalogue order


def _cap_beta(d: FigureData) -> str:
    parts = "; ".join(f"β = {r['beta']:g}: KL {n(r['kl'])}, rec {n(r['rec'])}" for r in d.beta_runs)
    return (f"VAEs trained with KL weight β: their μ of the training images (own window each; dashed "
            f"circles: 1σ and 2σ of N(0, I)) and decodes of the same 36 draws from N(0, I). The "
            f"training objective's test terms in nats per image (rec: decoding a z drawn from each "
            f"cloud, not μ): {parts}. β = 0 is an autoencoder with noise; large β "
            f"trades reconstruction for overlap.")


@FIGURES.add("beta-sweep", "The β sweep", "beyond-2d",
             key=False, caption=_cap_beta, ready=has(lambda d: d.beta_runs or None), phone=True)
def _beta(d: FigureData, layout: Layout) -> Figure:
    """One column per beta: a scatter of the VAE's codes and a grid of digits decoded from standard
    normal draws."""
    return codes.beta_sweep_figure(d.beta_runs, d.labels, layout, d.seed)


def _high_codes(d: FigureData, which: str) -> object:
    mid = d.inp.model_ids()[which]
    return mid and d.inp.codes(mid)


_has_high_codes = has(lambda d: d.inp.model_ids()["ae_high"], lambda d: _high_codes(d, "ae_high"),
                      lambda d: _high_codes(d, "vae_high"))


def _cap_umap(d: FigureData) -> str:
    # Ready only with a higher-dimensional pair, so its block is there.
    return (f"UMAP projections to 2-D of the {d.m.high_dim.latent_dim}-dimensional AE codes "
            f"and VAE means of the training images. UMAP keeps neighbourhoods, not "
            f"densities or distances, so holes are measured in the "
            f"{d.m.high_dim.latent_dim}-dimensional codes themselves, not on this map.")


@FIGURES.add("umap", "Beyond 2-D: UMAP of the higher-dimensional codes", "beyond-2d",
             key=False, caption=_cap_umap, ready=_has_high_codes, phone=True)
def _umap(d: FigureData, layout: Layout) -> Figure:
    """Two UMAP scatter plots of the higher-dimensional codes coloured by digit, the AE's and the
    VAE's."""
    ids = d.inp.model_ids()
    a, v = d.inp.codes(ids["ae_high"]), d.inp.codes(ids["vae_high"])
    return codes.umap_figure(a["train_umap"], v["train_umap"], d.labels, a["train_z"].shape[1],
                             layout, d.seed)
