"""The architecture diagram: AE and VAE drawn layer by layer, each layer's height proportional to
its number of units, so the bottleneck (2 units out of 784) is visibly a bottleneck."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from . import style

MIN_HEIGHT = 0.03
MAX_HEIGHT = 2.4  # the widest layer, in units of the spacing between layers  # so a 2-unit layer is still a visible sliver (its label gives the number)


def layer_dims(body: str, hidden: list[int]) -> list[tuple[str, int]]:
    """(label, units) of the encoder from the image to the last feature layer."""
    if body == "conv":
        return [("x", 784), ("conv 32×14×14", 32 * 14 * 14), ("conv 64×7×7", 64 * 7 * 7),
                ("dense", hidden[-1])]
    return [("x", 784)] + [(f"{h}", h) for h in hidden]


def _bar(ax: Axes, x: float, units: int, scale: float, color: str, width: float = 0.32,
         label: str | None = None) -> tuple[float, float]:
    h = max(units * scale, MIN_HEIGHT)
    ax.add_patch(Rectangle((x - width / 2, -h / 2), width, h, facecolor=color, edgecolor="none"))
    ax.text(x, -h / 2 - 0.06, f"{units:,}", ha="center", va="top", fontsize="small")
    if label:
        ax.text(x, h / 2 + 0.06, label, ha="center", va="bottom", fontsize="small")
    return h, width


def _link(ax: Axes, x0: float, h0: float, x1: float, h1: float, w: float = 0.32) -> None:
    """The trapezoid between two layers (the weights)."""
    ax.add_patch(Polygon([(x0 + w / 2, -h0 / 2), (x0 + w / 2, h0 / 2), (x1 - w / 2, h1 / 2),
                          (x1 - w / 2, -h1 / 2)], closed=True, facecolor="#d9d9d9", edgecolor="none"))


def _row(ax: Axes, dims: list[tuple[str, int]], latent: int, vae: bool, scale: float,
         image: np.ndarray | None, recon: np.ndarray | None) -> None:
    enc, dec = style.MODEL_COLORS["ae"], "#7a7a7a"
    xs = np.arange(len(dims)) * 1.0
    heights = []
    for i, (label, units) in enumerate(dims):
        h, _ = _bar(ax, xs[i], units, scale, enc if i else "#333333",
                    label="input x" if i == 0 else None)
        heights.append(h)
    for i in range(len(dims) - 1):
        _link(ax, xs[i], heights[i], xs[i + 1], heights[i + 1])
    xz = xs[-1] + 1.3
    hz = max(latent * scale, MIN_HEIGHT)
    if vae:
        # Two heads (μ and log σ²), then the sampling step z = μ + σ·ε.
        for dy, name in ((0.3, "μ"), (-0.3, "log σ²")):
            ax.add_patch(Rectangle((xz - 0.16, dy - hz / 2), 0.32, hz, color=style.MODEL_COLORS["vae"]))
            ax.add_patch(Polygon([(xs[-1] + 0.16, -heights[-1] / 2), (xs[-1] + 0.16, heights[-1] / 2),
                                  (xz - 0.16, dy + hz / 2), (xz - 0.16, dy - hz / 2)],
                                 facecolor="#d9d9d9", edgecolor="none"))
            ax.text(xz, dy + (0.08 if dy > 0 else -0.08), f"{name}  ({latent:,})", ha="center",
                    va="bottom" if dy > 0 else "top", fontsize="small")
        x_s = xz + 1.0
        ax.add_patch(Rectangle((x_s - 0.16, -hz / 2), 0.32, hz, color=style.MODEL_COLORS["vae"]))
        ax.annotate("", (x_s - 0.2, 0), (xz + 0.2, 0.28), arrowprops={"arrowstyle": "->", "lw": 1})
        ax.annotate("", (x_s - 0.2, 0), (xz + 0.2, -0.28), arrowprops={"arrowstyle": "->", "lw": 1})
        ax.text(x_s, 0.12, "z = μ + σ·ε", ha="center", va="bottom", fontsize="small")
        ax.text(x_s, -0.12, "ε ~ N(0, I)", ha="center", va="top", fontsize="small", style="italic")
        xz = x_s
    else:
        ax.add_patch(Rectangle((xz - 0.16, -hz / 2), 0.32, hz, color=style.MODEL_COLORS["ae"]))
        _link_poly = [(xs[-1] + 0.16, -heights[-1] / 2), (xs[-1] + 0.16, heights[-1] / 2),
                      (xz - 0.16, hz / 2), (xz - 0.16, -hz / 2)]
        ax.add_patch(Polygon(_link_poly, facecolor="#d9d9d9", edgecolor="none"))
        ax.text(xz, 0.1, f"z  ({latent:,})", ha="center", va="bottom", fontsize="small")
    # Decoder: the mirror image.
    dec_dims = list(reversed(dims))
    xd = xz + 1.3 + np.arange(len(dec_dims)) * 1.0
    hd = [max(u * scale, MIN_HEIGHT) for _, u in dec_dims]
    ax.add_patch(Polygon([(xz + 0.16, -hz / 2), (xz + 0.16, hz / 2), (xd[0] - 0.16, hd[0] / 2),
                          (xd[0] - 0.16, -hd[0] / 2)], facecolor="#d9d9d9", edgecolor="none"))
    for i, (label, units) in enumerate(dec_dims):
        _bar(ax, xd[i], units, scale, dec if i < len(dec_dims) - 1 else "#333333",
             label="output x̂" if i == len(dec_dims) - 1 else None)
    for i in range(len(dec_dims) - 1):
        _link(ax, xd[i], hd[i], xd[i + 1], hd[i + 1])
    # The digit that goes in and what comes out, beside the first and last layer.
    for img, x in ((image, xs[0] - 1.0), (recon, xd[-1] + 1.0)):
        if img is not None:
            ax.imshow(255 - img, cmap="gray", vmin=0, vmax=255, extent=(x - 0.6, x + 0.6, -0.6, 0.6))
    ax.text(xs[0] - 1.8, 0.0, "VAE" if vae else "AE", ha="right", va="center", weight="bold",
            fontsize="large", color=style.MODEL_COLORS["vae" if vae else "ae"])
    ax.set_xlim(xs[0] - 2.9, xd[-1] + 1.7)  # widened by the caller to match the other row
    ax.set_ylim(-MAX_HEIGHT / 2 - 0.3, MAX_HEIGHT / 2 + 0.3)
    ax.set_aspect("equal")
    ax.set_axis_off()


def architecture_figure(body: str, hidden: list[int], latent_dim: int,
                        images: dict[str, np.ndarray] | None = None,
                        layout: style.Layout = "web") -> Figure:
    """Two rows, AE above VAE, same scale: height of each bar ∝ units of that layer.
    ``images`` may hold 'input', 'ae', 'vae' digit images shown at the ends of the rows."""
    images = images or {}
    dims = layer_dims(body, hidden)
    scale = MAX_HEIGHT / max(u for _, u in dims)
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(2, 1, figsize=style.figsize(layout, 5.2), layout="constrained")
        _row(axes[0], dims, latent_dim, False, scale, images.get("input"), images.get("ae"))
        _row(axes[1], dims, latent_dim, True, scale, images.get("input"), images.get("vae"))
        # Same x-span for both rows, so the same number of units is the same height in both.
        spans = [ax.get_xlim() for ax in axes]
        width = max(b - a for a, b in spans)
        for ax, (a, b) in zip(axes, spans):
            ax.set_xlim(a, a + width)
        # Inside an axes, not a figure label: the deck shrinks the axes into a band and a
        # figure-level label would be left behind under the caption.
        axes[1].text(0.5, 0.0, "Bar height ∝ number of units in the layer (numbers below each "
                     "bar); grey = weights between layers", transform=axes[1].transAxes,
                     ha="center", va="top", fontsize="small", color="#555555")
    return fig
