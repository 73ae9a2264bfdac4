"""The decoded-quality map: how far each cell's decode lies from the decoder's own
reconstructions (realism, in judge features), with the code-density contour and the gap points,
AE beside VAE; and the spread of the key scores over the main pair's seeds."""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from . import style
from .codes import set_window
from .holes import mark_gaps

REALISM_CMAP = "magma_r"  # light = like a reconstruction, dark = far from every reconstruction
# The edge of the occupied cells: white on a black halo, seen on light and dark cells alike and
# unlike the threshold's green (a blue edge and the green threshold looked alike on dark cells).
EDGE_COLOR = "#ffffff"
EDGE_HALO = [patheffects.withStroke(linewidth=3.4, foreground="#000000")]
THRESHOLD_COLOR = "#1b9e77"  # the off-manifold threshold (readable on light and dark cells)


def codes_region(counts: np.ndarray, cells: float = 1.5) -> np.ndarray:
    """A smooth 0..1 field whose 0.5 contour outlines the region the codes fill: the occupied
    cells closed over small gaps and filled inside, then blurred by ``cells`` grid cells. Drawn
    cell by cell, the edge was thousands of specks around single empty or lone occupied cells."""
    from scipy import ndimage
    occupied = counts > 0
    region = ndimage.binary_fill_holes(ndimage.binary_closing(occupied, iterations=2))
    region = ndimage.binary_opening(region, iterations=1)  # lone occupied cells are not a region
    return ndimage.gaussian_filter(region.astype(float), cells)


def draw_realism(ax: mpl.axes.Axes, realism: np.ndarray, counts: np.ndarray, window: np.ndarray,
                 threshold: float) -> mpl.image.AxesImage:
    """Realism per cell (log colour scale, 1 = a reconstruction's typical neighbour distance),
    off-manifold cells outlined by the threshold contour, occupied cells by a white contour."""
    extent = tuple(float(v) for v in window)
    lo = max(float(np.nanmin(realism)), 0.1)
    hi = max(float(np.nanmax(realism)), lo * 10)
    image = ax.imshow(np.clip(realism, lo, None), origin="lower", extent=extent, cmap=REALISM_CMAP,
                      norm=LogNorm(vmin=lo, vmax=hi), interpolation="nearest")
    g = counts.shape[0]
    centres = np.linspace(extent[0], extent[1], g + 1)[:-1] + (extent[1] - extent[0]) / (2 * g)
    ys = np.linspace(extent[2], extent[3], g + 1)[:-1] + (extent[3] - extent[2]) / (2 * g)
    edge = ax.contour(centres, ys, codes_region(counts), levels=[0.5], colors=EDGE_COLOR, linewidths=1.6)
    edge.set_path_effects(EDGE_HALO)
    ax.contour(centres, ys, realism, levels=[threshold], colors=THRESHOLD_COLOR, linewidths=1.2,
               linestyles="--")
    set_window(ax, extent)
    style.few_ticks(ax)  # a slide's two maps are narrow: default labels ran together ('−60−40−20')
    return image


def quality_map_figure(models: list[dict], layout: style.Layout = "web") -> Figure:
    """One panel per model. ``models``: dicts with 'name' ('ae'/'vae'), 'realism' [G, G],
    'counts' [G, G], 'window', 'threshold', 'gaps' [k, 2], optional 'off_in_holes' and
    'off_in_occupied' (fractions) for the title."""
    n = len(models)
    with mpl.rc_context(style.rc(layout)):
        phone = layout == "phone"  # the maps stacked, the colour bar and the legend under them
        fig, axes = plt.subplots(*style.pair_shape(layout, n), figsize=style.figsize(layout, 5.2, 4.3 * n + 1.6),
                                 squeeze=False, layout="constrained")
        for ax, m in zip(axes.flat, models):
            image = draw_realism(ax, m["realism"], m["counts"], m["window"], m["threshold"])
            if len(m["gaps"]):
                mark_gaps(ax, np.asarray(m["gaps"]))
            title = style.MODEL_LABELS[m["name"]]
            if m.get("off_in_holes") is not None and m.get("off_in_occupied") is not None:
                title += f"\noff-manifold: {100 * m['off_in_holes']:.0f}% of holes"
                if layout == "web":  # the slide's notes give the rest (three lines ran too tall)
                    title += f",\n{100 * m['off_in_occupied']:.0f}% of occupied cells"
            ax.set_title(title, color=style.MODEL_COLORS[m["name"]])
        bar = fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, location="bottom" if phone else "right")
        bar.set_label("distance to nearest reconstruction\n(1 = typical between reconstructions)")
        handles = [mpl.lines.Line2D([], [], color=EDGE_COLOR, path_effects=EDGE_HALO, label="edge of the codes"),
                   mpl.lines.Line2D([], [], color=THRESHOLD_COLOR, ls="--", label="off-manifold threshold"),
                   mpl.lines.Line2D([], [], ls="", marker="x", mew=2, color=style.GAP_COLOR,
                                    label="gap point")]
        fig.legend(handles=handles, loc="outside lower center", ncols=1 if phone else 3, fontsize="small",
                   borderaxespad=1.4 if layout == "slide" else 0.5)
    return fig


SEED_MARKERS = ("o", "s", "^", "D", "v", "P")  # one shape per seed, largest first: none hides another


def seed_spread_figure(scores: dict[str, dict[str, list[float]]], layout: style.Layout = "web",
                       xlabel: str = "FID", seeds: tuple[str, ...] = ()) -> Figure:
    """One panel per score (e.g. "CNN judge"), one row of markers per sample set, one marker per
    seed (its shape names the seed, so two sets can be compared seed by seed): the spread that
    decides whether a comparison is settled. ``scores``: {panel title: {set label: [value per
    seed]}}; ``xlabel`` names what every panel's axis measures; ``seeds`` the seeds' names."""
    n = len(scores)
    # One panel per judge: on a slide three judges in one row (its height holds no more than
    # two), on a page two columns (three squeezed the set names and the ticks), on a phone one.
    cols = 1 if layout == "phone" else 3 if layout == "slide" and n % 3 == 0 else min(n, 2)
    rows = -(-n // cols)
    n_sets = max(len(v) for v in scores.values())
    n_seeds = max(len(vs) for sets in scores.values() for vs in sets.values())
    seeds = seeds or tuple(f"seed {k}" for k in range(n_seeds))
    per_panel, per_phone_panel = 1.0 + 0.4 * n_sets, 0.75 + 0.24 * n_sets
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(rows, cols, squeeze=False, layout="constrained", sharey=True,
                                 figsize=style.figsize(layout, rows * per_panel + 0.4, rows * per_phone_panel + 0.5))
        for ax in axes.ravel()[n:]:
            ax.set_axis_off()
        if n < axes.size:  # a spare panel says how to read the others
            spare = axes.ravel()[n]
            spare.text(0.5, 0.5, "one panel per judge;\nlower is better", ha="center", va="center",
                       transform=spare.transAxes, color="#444444")
        for ax, (title, sets) in zip(axes.ravel(), scores.items()):
            _spread_panel(ax, sets, layout, seeds)
            # on a slide, short lines: a two-line title overhung its narrow panel by half an inch
            ax.set_title(textwrap.fill(title, 20) if layout == "slide" else title,
                         fontsize="medium" if layout == "phone" else None)
            if layout == "slide" and cols > 2 and ax.get_xscale() == "linear":
                style.few_ticks(ax, axis="x")  # narrow panels: few ticks
            ax.set_xlabel(textwrap.fill(xlabel, 16) if layout == "slide" else xlabel)
        fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncols=len(seeds),
                   **({"borderaxespad": 1.4} if layout == "slide" else {}))
        if layout == "slide":
            fig.get_layout_engine().set(h_pad=0.34, w_pad=0.34)  # text ≥ 0.3 in from the edges
    return fig


def _spread_panel(ax: Axes, sets: dict[str, list[float]], layout: style.Layout, seeds: tuple[str, ...]) -> None:
    """One panel of ``seed_spread_figure``: a row per set, its range as a grey bar, a marker per
    seed; a log axis where the values span more than tenfold."""
    for row, values in enumerate(sets.values()):
        ax.plot([min(values), max(values)], [row, row], "-", color="#bbbbbb", lw=2, zorder=0)
    for k, seed in enumerate(seeds):
        ax.plot([vs[k] for vs in sets.values()], range(len(sets)), ls="", alpha=0.85,
                marker=SEED_MARKERS[k % len(SEED_MARKERS)], ms=9 - 1.2 * min(k, 3), color="#333333",
                mec="white", mew=0.6, zorder=2 + k, label=seed)
    ax.set_yticks(range(len(sets)), list(sets))
    ax.set_ylim(len(sets) - 0.5, -0.5)  # first set on top (shared y: not invert twice)
    values = [v for vs in sets.values() for v in vs if v is not None]
    if values and min(values) > 0 and max(values) / min(values) > 10:
        decades = np.log10(max(values) / min(values))
        if decades < 1.5 or layout == "web":
            subs = (1.0, 2.0, 5.0)
        elif layout == "phone" or decades < 2.5:
            subs = (1.0, 3.0)
        else:  # a slide's three narrow panels over a wide range: one label a decade
            subs = (1.0,)
        ax.set_xscale("log")  # scores of very different size: a log axis keeps each readable
        # Labels at 1, 2, 5, 10, 20, ... only: matplotlib's default labels every minor tick
        # of a short log range (2×10², 3×10², ...), and they run into each other.
        ax.xaxis.set_major_locator(mpl.ticker.LogLocator(base=10, subs=subs))
        ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    ax.grid(axis="x", alpha=0.3)
