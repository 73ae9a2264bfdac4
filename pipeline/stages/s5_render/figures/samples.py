"""Decoded images: reconstructions, prior sample grids, decoded manifold grids."""

from __future__ import annotations

import textwrap
from typing import Callable

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from scipy.stats import norm

from pipeline.core.grids import window_centres
from pipeline.core.imaging import mosaic
from pipeline.core.set_names import TITLES as SET_TITLES

from . import style
from .images import ink, show_digits

Decoder = Callable[[np.ndarray], np.ndarray]


def reconstructions_figure(originals: np.ndarray, ae: np.ndarray, vae: np.ndarray,
                           row_notes: dict[str, str] | None = None,
                           layout: style.Layout = "web") -> Figure:
    """Three rows of the same test images: the originals, the AE's and the VAE's reconstructions
    (the VAE decodes μ, its most likely code)."""
    notes = row_notes or {}
    n = len(originals)
    # A phone: the same images in rows of ten, each set's numbers on a line of their own.
    phone = layout == "phone"
    cols = min(n, 10) if phone else n
    rows = -(-n // cols)
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(3, 1, layout="constrained", figsize=style.figsize(
            layout, 1.1 + 3 * 10 / n * 1.05, 3 * (0.5 + rows * style.PHONE_WIDTH / cols)))
        for ax, imgs, name, label in ((axes[0], originals, "real", "test images"),
                                      (axes[1], ae, "ae", "AE reconstructions"),
                                      (axes[2], vae, "vae", "VAE reconstructions (decode of μ)")):
            show_digits(ax, imgs, cols=cols)
            sep = "\n" if phone else " — "
            ax.set_title(label + (f"{sep}{notes[name]}" if name in notes else ""), loc="left",
                         color=style.MODEL_COLORS[name])
    return fig


def set_color(name: str) -> str:
    return style.MODEL_COLORS["vae" if name.startswith("vae") else "ae" if name.startswith("ae")
                              else "real"]


def sample_grids_figure(sets: dict[str, np.ndarray], notes: dict[str, str] | None = None,
                        cols: int = 8, layout: style.Layout = "web",
                        titles: dict[str, str] | None = None) -> Figure:
    """One panel per sample set: the first decoded samples, in draw order (not picked). The web
    shows cols×cols per set in one row; a slide shows fewer, larger digits (6 × 4 per set) in
    two rows of panels, so each digit is about 0.6 in tall when projected."""
    notes = notes or {}
    titles = {**SET_TITLES, **(titles or {})}
    n = len(sets)
    # Two rows of panels from three sets on: five in one row left no room for their titles.
    # A phone: two panels a row, of 6 × 6 digits (a phone shows 8 × 8 too small to read).
    phone = layout == "phone"
    panel_rows, panel_cols = (-(-n // 2), min(n, 2)) if phone else (2, -(-n // 2)) if n > 2 else (1, n)
    digit_cols, count = (6, 24) if layout == "slide" else (6, 36) if phone else (cols, cols * cols)
    with mpl.rc_context(style.rc(layout)):
        size = style.figsize(layout, 2.9 if panel_rows == 1 else 4.0 * panel_rows, 2.75 * panel_rows)
        fig, axes = plt.subplots(panel_rows, panel_cols, figsize=size, layout="constrained",
                                 squeeze=False)
        if phone:  # the two grids of a row ran into each other: a gutter, as on the hero figure
            fig.get_layout_engine().set(wspace=0.08)
        for ax in axes.ravel()[n:]:
            ax.set_axis_off()  # an odd number of sets leaves the last cell empty
        for ax, (name, imgs) in zip(axes.ravel(), sets.items()):
            show_digits(ax, imgs[:count], cols=digit_cols)
            title = titles.get(name, name)
            if phone:  # a phone's panels are narrower still
                title = textwrap.fill(title, 17)
            elif len(title) > 22:  # the sampler on a line of its own: panels are narrow
                title = title.replace(", ", ",\n", 1)
            if name in notes:
                title += f"\n{notes[name]}"
            ax.set_title(title, color=set_color(name), fontsize="medium")
    return fig


def linear_grid(window: tuple[float, float, float, float], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell centres of an n×n grid over the window: (z [n*n, 2] row-major from the top, xs, ys)."""
    xs, ys = window_centres(np.asarray(window), n, top_first=True)  # top row = highest y, like a map
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], 1).astype(np.float32), xs, ys


def icdf_grid(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kingma & Welling (2014), fig. 4: the unit square's quantiles through the inverse Gaussian
    CDF, so each cell holds equal prior mass (probabilities 1/(2n) .. 1 - 1/(2n))."""
    p = (np.arange(n) + 0.5) / n
    xs = norm.ppf(p)
    ys = norm.ppf(p[::-1])
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], 1).astype(np.float32), xs, ys


def _tick(v: float) -> str:
    """A coordinate as a tick label, with a true minus sign (U+2212), not a hyphen."""
    return f"{v:.1f}".replace("-", "\u2212")


def _coarser(p: dict, n: int, step: int) -> dict:
    """Every ``step``-th row and column of a decoded n×n grid (larger digits on a slide)."""
    images = p["images"].reshape(n, n, *p["images"].shape[1:])[::step, ::step]
    return {**p, "images": images.reshape(-1, *images.shape[2:]), "xs": p["xs"][::step],
            "ys": p["ys"][::step]}


def _manifold_panel(ax, p: dict, n: int, ticks: int = 5) -> None:
    """One decoded grid, ticks at a few cell centres labelled with their z coordinate."""
    m = mosaic(ink(p["images"]), cols=n, gap=0)
    ax.imshow(m, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    idx = np.unique(np.linspace(0, n - 1, min(n, ticks)).round().astype(int))
    side = p["images"].shape[-1]  # the image side in pixels; ticks at cell centres
    ax.set_xticks(idx * side + (side - 1) / 2, [_tick(p['xs'][i]) for i in idx])
    ax.set_yticks(idx * side + (side - 1) / 2, [_tick(p['ys'][i]) for i in idx])
    ax.set_xlabel("z₁", labelpad=1)
    ax.set_ylabel("z₂", labelpad=1)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)


def manifold_step(n: int, layout: style.Layout) -> int:
    """Every how-many-th row and column of an n × n decoded grid a layout shows: a 20 × 20 grid
    is unreadable projected, or two grids across a phone."""
    return 2 if layout != "web" and n >= 12 else 1


def manifold_figure(panels: list[dict], n: int, layout: style.Layout = "web") -> Figure:
    """Decoded grids, two per row (four panels: 2×2). On the web each panel has its own title;
    on a slide the model names head the columns and the grid kinds label the rows, so the
    panels can be as large as the slide's height allows (long titles side by side collided).
    ``panels``: dicts with 'name', 'images' uint8 [n*n, H, W] (row-major from the top), 'xs',
    'ys' (grid coordinates, for the tick labels), 'title' ("<MODEL>: <grid kind>")."""
    cols = 1 if layout == "phone" else min(2, len(panels))  # a phone: one grid under another
    rows = -(-len(panels) // cols)
    with mpl.rc_context(style.rc(layout)):
        if layout == "slide":
            fig = plt.figure(figsize=style.SLIDE_SIZE, layout="constrained")
            # A text column names each row; the square grids are as tall as the slide allows,
            # and the block is centred between two empty margin columns.
            grid = fig.add_gridspec(rows, cols + 3, width_ratios=[0.5, 1.3] + [2] * cols + [0.5])
            axes = np.array([[fig.add_subplot(grid[r, c + 2], anchor="C") for c in range(cols)]
                             for r in range(rows)])
        else:
            fig, axes = plt.subplots(rows, cols, figsize=style.figsize(layout, 5.0 * rows + 0.4, 4.5 * rows + 0.5),
                                     layout="constrained", squeeze=False)
        step = manifold_step(n, layout)
        for i, (ax, p) in enumerate(zip(axes.ravel(), panels)):
            _manifold_panel(ax, _coarser(p, n, step), -(-n // step), 5 if layout == "web" else 3)
            if layout != "slide":
                ax.set_title(p["title"], color=style.MODEL_COLORS[p["name"]])
                continue
            r, c = divmod(i, cols)
            model, _, kind = p["title"].partition(": ")
            if r == 0:
                ax.set_title(model, color=style.MODEL_COLORS[p["name"]], weight="bold")
            if c == 0:
                label = fig.add_subplot(grid[r, 1])
                label.set_axis_off()
                label.text(0, 0.5, textwrap.fill(kind, 16), ha="left", va="center",
                           linespacing=1.4)
        if step > 1 and layout == "phone":  # the caption speaks of the full grid
            fig.suptitle(f"every other point of the {n} × {n} grid", fontsize="small", color="#555555")
    return fig


def decode_grid(decoder: Decoder, z: np.ndarray, latent_dim: int) -> np.ndarray:
    """Decode 2-D grid points; for a latent size above 2 the other coordinates stay at 0."""
    if latent_dim > z.shape[1]:
        z = np.concatenate([z, np.zeros((len(z), latent_dim - z.shape[1]), np.float32)], 1)
    return decoder(z)
