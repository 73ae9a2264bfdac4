"""The two models and where they put the codes (pages index, autoencoders, vaes)."""

from __future__ import annotations

from typing import Callable

from matplotlib.figure import Figure

from .. import architecture, codes, prior, samples
from ..figdata import FigureData
from ..style import Layout
from .common import WINDOW_WORDS, FigureList, always, main_ids, n, pct

FIGURES = FigureList()  # filled by @FIGURES.add below, in catalogue order


def _codes(d: FigureData, layout: Layout, same: bool) -> Figure:
    # The analyse stage's windows (those of the hole maps and the tiles).
    windows = tuple(d.window(mid) for mid in main_ids(d))
    return codes.codes_figure(d.ae["train_z"], d.vae["train_z"], d.labels, windows, same,
                              layout, d.seed)


def _cap_codes(same: bool) -> Callable[[FigureData], str]:
    def cap(d: FigureData) -> str:
        if same:
            sides = [d.m.holes[m].window_side for m in d.m.main_pair.values()]
            # said only where the VAE's window is a small part of the AE's (a fifth or less)
            patch = (": on this scale they are the small patch at the centre of their panel"
                     if sides[1] <= sides[0] / 5 else "")
            scale = ("Both panels share one window, the smallest holding both hole maps' windows "
                     f"({WINDOW_WORDS} for each model), so the VAE's codes appear at their true "
                     f"size next to the AE's{patch}; the framed inset draws them again in their "
                     "own window. ")
        else:
            out = [d.m.holes[m].codes_outside_window_fraction for m in d.m.main_pair.values()]
            scale = ("Each panel has its own window (equal units on both axes); the tick labels "
                     f"give the scale. The windows are the hole maps' ({WINDOW_WORDS}, per "
                     f"model); outside them lie {pct(out[0], 1)} (AE) and {pct(out[1], 1)} (VAE) "
                     "of the codes. ")
        return (f"Codes of all {len(d.labels):,} training images, coloured by digit: AE z and "
                f"VAE μ. {scale}Dashed circles: 1, 2 and 3σ of the prior N(0, I).")
    return cap


@FIGURES.add("codes-matched", "AE vs VAE: the codes of all training images", "index",
             key=True, caption=_cap_codes(False), ready=always, phone=True)
def _codes_matched(d: FigureData, layout: Layout) -> Figure:
    """Two scatter plots of 2-D codes coloured by digit: the AE's spread in long rays over a large
    range, the VAE's packed into a round blob near the origin."""
    return _codes(d, layout, same=False)


def _cap_arch(d: FigureData) -> str:
    t = d.cfg.train
    px = d.recon["input"][0].size  # pixels per image
    widths = "-".join(str(w) for w in [px, *t.hidden, t.latent_dim])
    ae, vae = main_ids(d)
    pa, pv = (d.inp.train_model(mid)["params"] for mid in (ae, vae))
    return (f"The AE (top) and the VAE (bottom) share one {t.body.upper()} body ({widths} and its "
            f"mirror); only the bottleneck differs. The AE maps an image to one point z; the VAE "
            f"maps it to a mean μ and a log-variance log σ² and samples z = μ + σ·ε. Bar lengths are "
            f"proportional to layer widths: {px} pixels squeezed into {t.latent_dim} numbers. "
            f"Parameters: AE {n(pa, 0)}, VAE {n(pv, 0)}.")


@FIGURES.add("architecture", "Architecture: AE and VAE, layer widths to scale", "autoencoders",
             key=True, caption=_cap_arch, ready=always, phone=True)
def _architecture(d: FigureData, layout: Layout) -> Figure:
    """Diagram of two networks as rows of bars whose heights are layer widths: the AE narrows the
    pixels to a 2-unit code and widens back; the VAE narrows to two 2-unit heads, mu and log sigma
    squared, samples z, and widens back."""
    t = d.cfg.train
    r = d.recon
    imgs = {"input": r["input"][0], "ae": r["ae"][0], "vae": r["vae"][0]}
    return architecture.architecture_figure(t.body, t.hidden, t.latent_dim, imgs, layout)


def _cap_recon(d: FigureData) -> str:
    k = len(d.recon["index"])
    return (f"{k} test images (top; the first {k // 10} of each digit), their AE reconstructions "
            f"(middle) and VAE reconstructions, decoded from μ (bottom). Test reconstruction error "
            f"(summed binary cross-entropy): AE {n(d.model_test(main_ids(d)[0]).get('bce'))}, VAE "
            f"{n(d.model_test(main_ids(d)[1]).get('bce'))} nats per image.")


@FIGURES.add("reconstructions", "Reconstructions: test images, AE, VAE", "autoencoders",
             phone=True, key=False, caption=_cap_recon, ready=always)
def _recon(d: FigureData, layout: Layout) -> Figure:
    """Three rows of handwritten digits: test images, then the AE's and the VAE's blurrier
    reconstructions of the same digits."""
    r = d.recon
    notes = {"ae": f"test BCE {n(d.model_test(main_ids(d)[0]).get('bce'))} nats/image",
             "vae": f"test BCE {n(d.model_test(main_ids(d)[1]).get('bce'))} nats/image"}
    return samples.reconstructions_figure(r["input"], r["ae"], r["vae"], notes, layout)


def _cap_codes_ae(d: FigureData) -> str:
    w = d.window(main_ids(d)[0])  # the window the figure shows, as the page quotes it
    return (f"The AE's codes z of all {len(d.labels):,} training images, coloured by digit "
            f"(z₁ from {n(w[0])} to {n(w[1])}, z₂ from {n(w[2])} to {n(w[3])}: the part of the "
            f"plane that holds 99 % of the codes, the window every map of the AE's codes uses). "
            f"Nothing in the AE's loss says where codes should go. The dashed circles around the origin (radius "
            f"1, 2 and 3) hold {_prior_shares()} of the draws of a standard normal N(0, I): they "
            f"show how little of this space such draws would reach.")


def _prior_shares() -> str:
    """The shares of 2-D N(0, I) inside radius 1, 2 and 3: 1 - exp(-r²/2) (in 2-D, not the
    68/95/99.7 % of one coordinate)."""
    import math
    return ", ".join(pct(1 - math.exp(-r * r / 2)) for r in (1, 2)) + \
        f" and {pct(1 - math.exp(-9 / 2))}"


@FIGURES.add("codes-ae", "The AE's codes", "autoencoders",
             phone=True, key=False, caption=_cap_codes_ae, ready=always)
def _codes_ae(d: FigureData, layout: Layout) -> Figure:
    """Scatter plot of the AE's 2-D codes coloured by digit, spreading as rays and clusters with
    empty space between them."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from .. import style
    z = d.ae["train_z"]
    with mpl.rc_context(style.rc(layout)):
        fig, ax = plt.subplots(figsize=style.figsize(layout, 6.4, 5.3), layout="constrained")
        codes.scatter_codes(ax, z, d.labels, size=1.2, seed=d.seed)
        prior.prior_circles(ax)
        codes.set_window(ax, d.window(main_ids(d)[0]))
        what = "codes z" if layout == "phone" else "the codes z"  # a phone's title runs wall to wall
        ax.set_title(f"AE: {what} of {len(z):,} training images", color=style.MODEL_COLORS["ae"])
        if layout != "phone":  # a phone's digit legend keys the circles
            ax.legend(loc="lower right", fontsize="small")  # upper right sat on the 2s
        codes.digit_legend(fig, layout)
    return fig


@FIGURES.add("codes-same-axes", "AE vs VAE codes on the same axes", "vaes",
             phone=True, key=False, caption=_cap_codes(True), ready=always)
def _codes_same_axes(d: FigureData, layout: Layout) -> Figure:
    """The same two scatter plots on one shared scale: the VAE's codes form a small blob at the
    centre of the AE's much larger spread, with a framed inset that magnifies the blob."""
    return _codes(d, layout, same=True)
