"""Latent codes: the 60,000 training codes of AE and VAE, the VAE's clouds (μ with 1σ ellipses),
the β sweep and the UMAP panels of the higher-dimensional pair."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import EllipseCollection
from matplotlib.figure import Figure

from pipeline.core import seeding
from pipeline.core.grids import latent_window
from pipeline.core.palette import PRIOR_SIGMAS

from . import style
from .code_labels import label_clusters
from .prior import prior_circles

Window = tuple[float, float, float, float]  # xmin, xmax, ymin, ymax


def code_window(z: np.ndarray, margin: float = 0.05) -> Window:
    """A square window around *all* codes (equal units on both axes, so shapes are not
    distorted): core/grids.py's window rule with the 0th and 100th percentiles, since a figure
    of the codes shows the outliers the hole grid leaves out."""
    return tuple(float(v) for v in latent_window(z[:, :2], (0.0, 100.0), margin))


def union_window(*windows: Window) -> Window:
    w = np.array(windows)
    return float(w[:, 0].min()), float(w[:, 1].max()), float(w[:, 2].min()), float(w[:, 3].max())


def scatter_codes(ax: Axes, z: np.ndarray, labels: np.ndarray, size: float = 1.0,
                  alpha: float = 0.6, seed: int = 0, direct_labels: bool = True,
                  label_size: str = "large") -> None:
    """All codes, coloured by digit, in a fixed shuffled order (so no digit is always on top),
    each digit's cluster labelled with its digit (``label_clusters``).
    Rasterized: 60,000 vector markers would make SVG/PDF files huge and slow to open."""
    # Drawn as markers, one call per (round, digit): Agg's marker path is several times faster
    # than a 60,000-colour PathCollection, and drawing in 8 shuffled rounds keeps the digits
    # interleaved (no digit always on top) at the cost of 80 small calls.
    rounds = 8
    labels = np.asarray(labels)
    chunk = seeding.rng(seed, "scatter-rounds").integers(0, rounds, len(z))
    ms = np.sqrt(size)  # scatter's s is an area in pt², plot's markersize a diameter in pt
    for r in range(rounds):
        for d in np.unique(labels):
            sel = (chunk == r) & (labels == d)
            if sel.any():
                ax.plot(z[sel, 0], z[sel, 1], ls="", marker="o", ms=ms, mew=0, alpha=alpha,
                        color=style.DIGIT_COLORS[d], rasterized=True, gid=f"digit {d}")
    if direct_labels:
        label_clusters(ax, z, labels, label_size)


def set_window(ax: Axes, w: Window) -> None:
    ax.set_xlim(w[0], w[1])
    ax.set_ylim(w[2], w[3])
    ax.set_aspect("equal")
    ax.set_xlabel("z₁")
    ax.set_ylabel("z₂")


def digit_legend(fig: Figure, layout: style.Layout, circles: tuple[int, ...] = PRIOR_SIGMAS,
                 **kwargs) -> None:
    """The ten classes' colours beside the panels; under them, in rows, on a phone, whose legend
    title also keys the N(0, I) circles the figure draws (``circles``: their radii in σ; there is
    no room for a second legend)."""
    if layout == "slide":  # an outside legend sits at the figure's edge: keep the slide margin
        kwargs.setdefault("borderaxespad", 1.4)
    title = style.class_title()
    if layout == "phone":
        if circles:
            title += f"  (dashed circles: N(0, I) at {', '.join(f'{r}σ' for r in circles)})"
        kwargs = {"loc": "outside lower center", "ncols": 5 if style.class_title() == "digit" else 2,
                  "columnspacing": 0.8, "handletextpad": 0.1, **kwargs}
    fig.legend(handles=style.digit_legend_handles(9 if layout == "slide" else 7),
               **{"title": title, "loc": "outside right center", **kwargs})


def codes_figure(ae_z: np.ndarray, vae_z: np.ndarray, labels: np.ndarray,
                 windows: tuple[Window, Window] | None = None, same_axes: bool = False,
                 layout: style.Layout = "web", seed: int = 0) -> Figure:
    """AE codes beside VAE means. Matched: each panel square with its own window (same panel
    size, both with the N(0, I) circles for scale). ``same_axes``: one window for both, which
    shows honestly how much smaller the VAE's space is."""
    w_ae, w_vae = windows or (code_window(ae_z), code_window(vae_z))
    own_vae = w_vae
    if same_axes:
        w_ae = w_vae = union_window(w_ae, w_vae)
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(*style.pair_shape(layout), layout="constrained",
                                 figsize=style.figsize(layout, 5.2, 8.4))
        for ax, z, w, name in ((axes[0], ae_z, w_ae, "ae"), (axes[1], vae_z, w_vae, "vae")):
            # On the AE's axes the VAE's codes are a speck that its labels would cover.
            scatter_codes(ax, z, labels, size=1.5 if layout == "slide" else 1.0, seed=seed,
                          direct_labels=not (same_axes and name == "vae"))
            prior_circles(ax, label=name == "vae")
            set_window(ax, w)
            what = "z" if name == "ae" else "μ"
            ax.set_title(f"{style.MODEL_LABELS[name]}: {what} of {len(z):,} training images",
                         color=style.MODEL_COLORS[name])
        if same_axes:
            zoom_inset(axes[1], vae_z, labels, own_vae, seed)
        if layout != "phone":  # a phone's digit legend keys the circles
            axes[1].legend(loc="upper right", fontsize="small")
        digit_legend(fig, layout)
    return fig


def zoom_inset(ax: Axes, z: np.ndarray, labels: np.ndarray, window: Window, seed: int = 0) -> None:
    """The codes again at their own scale in a corner of a panel whose scale shrinks them to a
    patch (readers took the patch for an empty panel), in the lower corner away from the origin,
    with lines from the patch to the magnified copy."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    origin_left = (0 - x0) / (x1 - x0) < 0.5
    inset = ax.inset_axes((0.56 if origin_left else 0.02, 0.02, 0.42, 0.42))
    scatter_codes(inset, z, labels, size=0.4, seed=seed, direct_labels=False)
    prior_circles(inset, label=False, name=False)
    inset.set_xlim(window[0], window[1])
    inset.set_ylim(window[2], window[3])
    inset.set_aspect("equal")
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():  # the style draws two; a magnifier is a closed frame
        spine.set_visible(True)
    zoom = (x1 - x0) / (window[1] - window[0])  # it has no ticks: the tag gives its scale
    inset.text(0.04, 0.96, f"×{zoom:.0f} zoom", transform=inset.transAxes, ha="left", va="top",
               fontsize="small", color="#222222", zorder=6,
               path_effects=[patheffects.withStroke(linewidth=2.6, foreground="white")])
    ax.indicate_inset_zoom(inset, edgecolor="#444444", alpha=0.8)


def clouds_figure(mu: np.ndarray, logvar: np.ndarray, labels: np.ndarray, n: int = 300,
                  window: Window | None = None, layout: style.Layout = "web",
                  seed: int = 0) -> Figure:
    """Left: all μ in grey with ``n`` images' 1σ ellipses in their digit colour (a stratified
    random sample, the same images every run). Right: the same ellipses drawn alone, zoomed out
    to the prior's 3σ circle, to show how the clouds cover the space the prior samples from."""
    rng = seeding.rng(seed, "cloud-sample")
    per = max(1, n // len(np.unique(labels)))
    idx = np.concatenate([rng.choice(np.flatnonzero(labels == d), min(per, int((labels == d).sum())),
                                     replace=False) for d in np.unique(labels)])
    sigma = np.exp(0.5 * logvar[idx, :2])
    w = window or code_window(mu)
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(*style.pair_shape(layout), figsize=style.figsize(layout, 5.2, 8.6),
                                 layout="constrained")
        for k, ax in enumerate(axes):
            if k == 0:
                ax.scatter(mu[:, 0], mu[:, 1], s=0.5, c="#bdbdbd", linewidths=0, rasterized=True)
            colors = [style.DIGIT_COLORS[int(c)] for c in labels[idx]]
            # Width/height of an ellipse are diameters: 2σ per axis (the VAE's q is diagonal).
            ax.add_collection(EllipseCollection(
                2 * sigma[:, 0], 2 * sigma[:, 1], np.zeros(len(idx)), units="xy",
                offsets=mu[idx, :2], offset_transform=ax.transData, facecolors=colors,
                edgecolors=colors, alpha=0.25, linewidths=0.6))
            ax.scatter(mu[idx, 0], mu[idx, 1], s=6, c=colors, linewidths=0, zorder=3)
            prior_circles(ax, label=k == 1)
            set_window(ax, w if k == 0 else union_window(w, (-3.3, 3.3, -3.3, 3.3)))
        # two lines: on one, the title ran past the figure's left edge and into the next one
        axes[0].set_title(f"μ of all {len(mu):,} images (grey);\n1σ ellipses of {len(idx)}")
        axes[1].set_title("the same clouds against N(0, I)")
        if layout != "phone":  # a phone's digit legend keys the circles
            axes[1].legend(loc="upper right", fontsize="small")
        digit_legend(fig, layout)
    return fig


def umap_figure(ae_u: np.ndarray, vae_u: np.ndarray, labels: np.ndarray, latent_dim: int,
                layout: style.Layout = "web", seed: int = 0) -> Figure:
    """UMAP projections of the d-dimensional AE and VAE codes (UMAP axes have no units, so each
    panel keeps its own window; distances between clusters are not comparable across panels)."""
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(*style.pair_shape(layout), figsize=style.figsize(layout, 5.2, 8.6),
                                 layout="constrained")
        for ax, u, name in ((axes[0], ae_u, "ae"), (axes[1], vae_u, "vae")):
            scatter_codes(ax, u, labels, size=1.0, seed=seed)
            w = code_window(u)
            ax.set_xlim(w[0], w[1])
            ax.set_ylim(w[2], w[3])
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("UMAP 1")
            ax.set_ylabel("UMAP 2")
            ax.set_title(f"{style.MODEL_LABELS[name]}-{latent_dim}: UMAP of {len(u):,} codes",
                         color=style.MODEL_COLORS[name])
        digit_legend(fig, layout, circles=())  # no N(0, I) circles drawn here
    return fig


def beta_sweep_figure(runs: list[dict], labels: np.ndarray, layout: style.Layout = "web",
                      seed: int = 0) -> Figure:
    """One column per β: the training μ (own window, with the N(0, I) circles for scale) above
    decodes of the same 6×6 draws from N(0, I). ``runs``: dicts with 'beta', 'z', 'samples'
    (uint8 [36, H, W] or None), 'rec', 'kl' (nats, may be None)."""
    from .images import show_digits
    n = len(runs)
    with mpl.rc_context(style.rc(layout)):
        col = min(9.0 / max(n, 1), 3.2)  # inches per column: the two square panels set the height
        # A phone: two βs a row, each its codes above its decodes.
        per_row = 2 if layout == "phone" else n
        bands = -(-n // per_row)
        fig, grid = plt.subplots(2 * bands, per_row, figsize=style.figsize(layout, 2 * col + 1.4, 4.6 * bands + 1.2),
                                 layout="constrained", squeeze=False, height_ratios=[1.1, 1] * bands)
        cells = [[grid[2 * (k // per_row) + r, k % per_row] for k in range(bands * per_row)]
                 for r in (0, 1)]  # β k's codes (row 0) and decodes (row 1)
        for ax in cells[0][n:] + cells[1][n:]:  # a phone's odd β leaves a column empty
            ax.set_axis_off()
        axes = np.array([row[:n] for row in cells])
        for k, run in enumerate(runs):
            ax = axes[0, k]
            scatter_codes(ax, run["z"], labels, size=0.6, seed=seed, direct_labels=False)
            # no name: a name would crowd these small panels, whose caption keys the circles
            prior_circles(ax, radii=(1, 2), label=False, name=False)
            set_window(ax, union_window(code_window(run["z"]), (-2.5, 2.5, -2.5, 2.5)))
            # Square panels a fraction of the width: default ticks crowded even two columns
            # on a slide ('−10.0−7.5−5.0').
            style.few_ticks(ax)
            if k % per_row:
                ax.set_ylabel("")
            terms = []
            if run.get("rec") is not None:
                terms.append(f"rec {run['rec']:.0f}")
            if run.get("kl") is not None:
                terms.append(f"KL {run['kl']:.1f}")
            # one term a line: side by side, four columns' terms ran into each other
            ax.set_title(f"β = {run['beta']:g}" + ("\n" + "\n".join(terms) + " nats" if terms else ""))
            if run.get("samples") is not None:
                show_digits(axes[1, k], run["samples"], cols=6)
            else:
                axes[1, k].set_axis_off()
        axes[1, 0].set_title("decodes of z ~ N(0, I)", loc="left", fontsize="medium")
        digit_legend(fig, layout, circles=(1, 2))
    return fig
