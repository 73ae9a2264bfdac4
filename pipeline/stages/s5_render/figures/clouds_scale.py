"""Clouds at the scale where they overlap, and holes against a smooth baseline (issue 24 items 4
and 5): the VAE's clouds with a zoom at true scale, the aggregate posterior beside N(0, I), and
the excess-hole maps with the gap points chosen among the excess holes."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import EllipseCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from . import style
from .codes import set_window
from .prior import prior_circles
from .holes import _pad, maps_over_strips, mark_gaps, numbered_digits

Window = tuple[float, float, float, float]
ZOOM_SIGMAS = 3.0      # the zoom box's half-side, in median σ: a few clouds across
ZOOM_MAX_CLOUDS = 900   # clouds drawn in the zoom at most (those nearest its centre)
EXCESS_COLOR = "#fd8d3c"  # excess holes: orange, apart from the pale red tail holes and blue density
TAIL_COLOR = style.HOLE_COLOR


def zoom_box(mu: np.ndarray, sigma: np.ndarray) -> tuple[Window, np.ndarray]:
    """(a square box around the codes' median μ, ZOOM_SIGMAS median σ from centre to edge, where a
    1σ ellipse is a visible shape; the clouds to draw: those centred in it or just outside, at
    most ZOOM_MAX_CLOUDS, the box shrinking until they fit)."""
    centre = np.median(mu[:, :2], axis=0)
    half = ZOOM_SIGMAS * float(np.median(sigma[:, :2], axis=0).max())
    half = min(half, float(np.ptp(mu[:, :2], axis=0).max()) / 8)  # wide clouds: still a zoom
    dist = np.abs(mu[:, :2] - centre).max(1)
    order = np.argsort(dist, kind="stable")
    if len(order) > ZOOM_MAX_CLOUDS and dist[order[ZOOM_MAX_CLOUDS - 1]] < 1.2 * half:
        half = float(dist[order[ZOOM_MAX_CLOUDS - 1]]) / 1.2
    idx = order[dist[order] <= 1.2 * half]
    return (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half), idx


def _ellipses(ax: Axes, mu: np.ndarray, sigma: np.ndarray, colors: list, lw: float,
              fill_alpha: float) -> None:
    """1σ ellipses (width and height are diameters: 2σ per axis), outlined, lightly filled."""
    ax.add_collection(EllipseCollection(
        2 * sigma[:, 0], 2 * sigma[:, 1], np.zeros(len(mu)), units="xy", offsets=mu[:, :2],
        offset_transform=ax.transData, facecolors=[mpl.colors.to_rgba(c, fill_alpha) for c in colors],
        edgecolors=[mpl.colors.to_rgba(c, 0.75) for c in colors], linewidths=lw))


def clouds_zoom_figure(mu: np.ndarray, logvar: np.ndarray, labels: np.ndarray, window: Window,
                       overlap_median: float, layout: style.Layout = "web") -> Figure:
    """Left: every μ (grey) over the window with the N(0, I) circles and the zoom box (a black
    square; no connector lines, which cross the panels' titles). Right: the box at true scale,
    every cloud centred in or near it drawn as its 1σ ellipse outline in its digit's colour, the
    one nearest the centre in black: at this scale the ellipses are shapes and their overlap shows."""
    sigma = np.exp(0.5 * logvar[:, :2].astype(np.float64))
    box, idx = zoom_box(mu, sigma)
    centre = idx[0]
    with mpl.rc_context(style.rc(layout)):
        # Tall enough for the square panels under a three-line title (at 5.4 the layout could not
        # fit them and cut the title and the x labels off)
        # on a phone, stacked: the true-scale square under the whole cloud
        fig, axes = plt.subplots(*style.pair_shape(layout), layout="constrained",
                                 figsize=style.figsize(layout, 6.6, 9.2))
        axes[0].scatter(mu[:, 0], mu[:, 1], s=0.5, c="#9e9e9e", linewidths=0, rasterized=True)
        prior_circles(axes[0])
        set_window(axes[0], window)
        axes[0].set_title(f"μ of all {len(mu):,} images")
        axes[0].add_patch(Rectangle((box[0], box[2]), box[1] - box[0], box[3] - box[2], fill=False,
                                    ec="#000000", lw=1.4, zorder=4))
        _ellipses(axes[1], mu[idx], sigma[idx], [style.DIGIT_COLORS[int(c)] for c in labels[idx]],
                  lw=0.7, fill_alpha=0.0)
        _ellipses(axes[1], mu[[centre]], sigma[[centre]], ["#000000"], lw=2.2, fill_alpha=0.12)
        axes[1].scatter(mu[idx, 0], mu[idx, 1], s=3, c="#222222", linewidths=0, zorder=3)
        set_window(axes[1], box)
        axes[1].xaxis.set_major_locator(MaxNLocator(4))  # long decimals: few ticks, never touching
        axes[1].yaxis.set_major_locator(MaxNLocator(5))
        for spine in axes[1].spines.values():
            spine.set_visible(True)
            spine.set_linewidth(1.4)
        axes[1].set_title(f"the black square, at true scale:\na typical 1σ ellipse (black)\n"
                          f"overlaps {overlap_median:.0f} others", pad=14)
        axes[0].legend(loc="upper right", fontsize="small")
    return fig


def aggregate_figure(aggregate: np.ndarray, prior: np.ndarray, window: Window,
                     layout: style.Layout = "web") -> Figure:
    """Two density maps on one square-root colour scale, density = mass per unit area: the aggregate
    posterior q(z) (the mixture of all training clouds) and N(0, I), each with the 1, 2, 3σ
    circles of N(0, I)."""
    area = ((window[1] - window[0]) / aggregate.shape[1]) * ((window[3] - window[2]) / aggregate.shape[0])
    dens = [np.asarray(aggregate, np.float64) / area, np.asarray(prior, np.float64) / area]
    vmax = max(float(d.max()) for d in dens)
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(*style.pair_shape(layout), figsize=style.figsize(layout, 5.0, 8.4),
                                 layout="constrained")
        for ax, d, title in ((axes[0], dens[0], "aggregate posterior q(z):\nthe mixture of all clouds"),
                             (axes[1], dens[1], "the prior N(0, I)")):
            # Square-root scale: the aggregate's dense centre would leave N(0, I) pale on a linear one.
            im = ax.imshow(d, origin="lower", extent=window, cmap=style.DENSITY_CMAP,
                           norm=mpl.colors.PowerNorm(0.5, vmin=0, vmax=vmax), interpolation="nearest")
            prior_circles(ax, label=False)
            set_window(ax, window)
            ax.set_title(title)
        bar = fig.colorbar(im, ax=axes, shrink=0.85, location="bottom" if layout == "phone" else "right",
                           label="density (probability per unit area;\nsquare-root colour scale)")
        if layout == "phone":  # across a phone the square-root scale crowds its top ticks together
            bar.ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(3))
    return fig


def _excess_map(ax: Axes, m: dict) -> None:
    """One model's map: code density, tail holes pale red, excess holes orange (both inside the
    hull), the prior's region (dashed circle) and the excess gap points."""
    extent = tuple(float(v) for v in m["window"])
    counts = m["counts"]
    shown = np.where(counts > 0, counts, np.nan).astype(float)
    vmax = max(float(np.nanmax(shown)) if np.isfinite(shown).any() else 1.0, 2.0)
    ax.imshow(shown, origin="lower", extent=extent, cmap=style.DENSITY_CMAP,
              norm=mpl.colors.LogNorm(vmin=1, vmax=vmax), interpolation="nearest")
    tail = m["holes"] & m["hull"] & ~m["excess"]
    rgba = np.zeros(counts.shape + (4,))
    rgba[tail] = mpl.colors.to_rgba(TAIL_COLOR)
    rgba[m["excess"]] = mpl.colors.to_rgba(EXCESS_COLOR)
    ax.imshow(rgba, origin="lower", extent=extent, interpolation="nearest")
    ax.add_patch(Circle((0, 0), m["radius"], fill=False, ls="--", lw=1.2, ec="#222222"))
    if len(m["gaps"]):
        mark_gaps(ax, m["gaps"])
    set_window(ax, extent)
    ax.set_title(f"{style.MODEL_LABELS[m['name']]}: {m['empty_vs_gauss']}",
                 color=style.MODEL_COLORS[m["name"]])


def excess_holes_figure(models: list[dict], layout: style.Layout = "web") -> Figure:
    """One column per model (dicts with name, counts, window, holes, hull, excess, radius, gaps,
    gap_images, empty_vs_gauss: its title's numbers): its excess-hole map above the digits
    decoded at its excess gap points."""
    cols = 8
    with mpl.rc_context(style.rc(layout)):
        n = len(models)
        if layout == "phone":  # one column: each map above its decodes
            fig, axes = maps_over_strips(n, style.figsize(layout, 0, 5.0 * n + 0.8), 4)
            axes = axes.T
        else:
            fig, axes = plt.subplots(2, n, figsize=style.figsize(layout, 6.6),
                                     layout="constrained", squeeze=False, height_ratios=[4, 1])
        for k, m in enumerate(models):
            _excess_map(axes[0, k], m)
            if layout != "web":
                # half a slide wide: −30−20−10 ran together; a tick at the top edge ran into
                # the two-line title
                style.few_ticks(axes[0, k])
            images = m["gap_images"][:cols]
            if len(images):
                numbered_digits(axes[1, k], _pad(images, cols), cols, count=len(images),
                                fontsize="small", under=True)
            else:
                axes[1, k].set_axis_off()
                axes[1, k].text(0.5, 0.5, "no excess hole within 3σ of N(0, I)\n"
                                "(the dashed circle, however small)",
                                ha="center", va="center", transform=axes[1, k].transAxes,
                                color="#555555")
        handles = [Patch(color=EXCESS_COLOR, label="excess hole (a fitted Gaussian fills it)"),
                   Patch(color=TAIL_COLOR, label="other empty cell inside the hull"),
                   mpl.lines.Line2D([], [], ls="--", color="#222222", label="N(0, I): 3σ")]
        # two columns on a slide: in one row the last entry came within 0.22 in of its edge
        fig.legend(handles=handles, loc="outside lower center",
                   ncols={"slide": 2, "phone": 1}.get(layout, 3),
                   fontsize="small",
                   borderaxespad=1.4 if layout == "slide" else 0.5)  # 0.3 in from a slide's edge
    return fig
