"""The story's pictures: the home page's payoff (both models' N(0, I) samples side by side) and
the teaching schematics of the story pages (made-up points, labelled as such)."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from .. import schematics, style
from ..figdata import FigureData
from ..images import show_digits
from ..samples import set_color
from ..style import Layout
from .common import FigureList, always, fid_vs_recon, n

FIGURES = FigureList()  # filled by @FIGURES.add below, in catalogue order

HERO_SETS = {"ae_prior": "Autoencoder (AE): z ~ N(0, I)", "vae_prior": "VAE: z ~ N(0, I)"}
HERO_PHONE_TITLES = {"ae_prior": "Autoencoder (AE)\nz ~ N(0, I)", "vae_prior": "VAE\nz ~ N(0, I)"}
HERO_COLS, HERO_ROWS = 5, 5  # a block per model, tall enough to read on a phone, short enough for the first screen


def _cap_hero(d: FigureData) -> str:
    k, s, own = HERO_COLS * HERO_ROWS, d.m.samples, fid_vs_recon(d)
    fids = (f"against each model's own reconstructions of the test images, the score the "
            f"verdicts compare: AE {n(own['ae_prior'])}, VAE {n(own['vae_prior'])}; against the "
            f"test images themselves" if own else "against the test images")
    return (f"The first {k} points drawn from the standard normal N(0, I), decoded by each "
            f"model's decoder, in draw order (not picked). FID of all "
            f"{n(s['ae_prior'].n, 0)} samples in the judge's features (lower is closer), "
            f"{fids}: AE {n(s['ae_prior'].fid)}, VAE {n(s['vae_prior'].fid)} (main seed, CNN "
            f"judge; every seed and judge on the side-by-side page).")


@FIGURES.add("hero-samples", "Draw z from N(0, I) and decode it: AE and VAE", "index",
             phone=True, key=False, caption=_cap_hero, ready=always)
def _hero(d: FigureData, layout: Layout) -> Figure:
    """Two blocks of decoded digits side by side: on the left the autoencoder's decodes of points
    drawn from the standard normal, on the right the VAE's decodes of such points."""
    k = HERO_COLS * HERO_ROWS
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(1, 2, figsize=style.figsize(layout, 3.6, 2.75), layout="constrained")
        # a clear gap between the two blocks: on a phone the digits ran from one into the other
        fig.get_layout_engine().set(wspace=0.08)
        titles = HERO_PHONE_TITLES if layout == "phone" else HERO_SETS
        for ax, (name, title) in zip(axes, titles.items()):
            show_digits(ax, d.sample_images(name)[:k], cols=HERO_COLS)
            ax.set_title(title, color=set_color(name), fontsize="large", fontweight="bold")
    return fig


SCHEMATIC_NOTE = "A teaching picture drawn from made-up points, not this run's data."


def _cap(text: str):
    return lambda d: f"{SCHEMATIC_NOTE} {text}"


@FIGURES.add("schematic-point-cloud", "Schematic: a point or a cloud", "vaes", phone=True, key=False,
             caption=_cap("An autoencoder encodes an image as one point z; a VAE encodes it as a "
                          "small Gaussian cloud with centre μ and spread σ, and its decoder is "
                          "trained on points drawn from that cloud."),
             ready=always)
def _point_cloud(d: FigureData, layout: Layout) -> Figure:
    """Schematic, two panels. Left: an autoencoder sends one image to one point in the latent
    plane. Right: a VAE sends it to a cloud, a Gaussian with centre mu and spread sigma, with a
    few points drawn from it marked by crosses."""
    return schematics.point_vs_cloud(layout)


@FIGURES.add("schematic-between-clusters", "Schematic: a sample between clusters",
             "generation-problem", phone=True, key=False,
             caption=_cap("An autoencoder's codes form one cluster per digit. A point picked at "
                          "random can land in the empty space between clusters, where the "
                          "decoder never saw a code and nothing in training says what it should "
                          "draw."),
             ready=always)
def _between(d: FigureData, layout: Layout) -> Figure:
    """Schematic: ten clusters of points spreading out from the centre, one per digit and
    labelled with it. A red cross marks a random point between two clusters; a circle marks a
    point on a cluster."""
    return schematics.sample_between_clusters(layout)


@FIGURES.add("schematic-kl-pull", "Schematic: the KL term pulls the clouds together", "vaes",
             phone=True, key=False,
             caption=_cap("Trained for reconstruction alone, an encoder may make its clouds tiny "
                          "and far apart. The VAE's KL term pulls every cloud toward N(0, I) "
                          "(dashed circles: 1, 2 and 3 standard deviations) and widens it, so the "
                          "clouds of different images overlap and fill the region N(0, I) "
                          "samples from. Not to scale: the real clouds are far smaller, and "
                          "overlap because one cloud per training image packs them close "
                          "together (“At true size, the VAE's clouds overlap”)."),
             ready=always)
def _kl(d: FigureData, layout: Layout) -> Figure:
    """Schematic, two panels. Left: ten small coloured clouds far from the centre and from each
    other. Right: the same clouds pulled toward the dashed circles of the standard normal, larger
    and overlapping, with grey arrows showing the pull."""
    return schematics.kl_pull(layout)


@FIGURES.add("schematic-prior-match", "Schematic: sample where the codes are", "side-by-side",
             phone=True, key=False,
             caption=_cap("Where you draw z decides what you get. An AE's codes spread far wider "
                          "than N(0, I), so N(0, I) draws come only from the crowded centre; "
                          "draws over its whole range land between clusters; a mixture fitted "
                          "to its codes after training draws where the codes are. A VAE's KL "
                          "term makes its codes fill N(0, I), so N(0, I) draws land on codes."),
             ready=always)
def _match(d: FigureData, layout: Layout) -> Figure:
    """Schematic, four panels of clustered points with drawn points as black crosses: an AE with
    draws from the standard normal bunched at the centre; the AE with draws over its whole range,
    many between clusters; the AE with draws from a fitted mixture, on the clusters; a VAE whose
    codes fill the standard normal's circles, with draws among them."""
    return schematics.prior_match(layout)
