"""The architecture diagram: AE and VAE drawn layer by layer, each layer's height proportional to
its number of units, so the bottleneck (2 units out of an image's hundreds of pixels) is visibly
a bottleneck."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from pipeline.core.dataset_info import DEFAULT_IMAGE_SHAPE, pixels
from pipeline.core.models import conv_maps

from . import style

MIN_HEIGHT = 0.03  # so a 2-unit layer is still a visible sliver (its label gives the number)
MAX_HEIGHT = 2.4  # the height of the widest layer's bar, in units of the spacing between layers


def layer_dims(body: str, hidden: list[int], image_shape: tuple[int, int, int] = DEFAULT_IMAGE_SHAPE
               ) -> list[tuple[str, int]]:
    """(label, units) of the encoder from the image to the last feature layer."""
    if body == "conv":
        maps = [(f"conv {c}×{h}×{w}", c * h * w) for c, h, w in conv_maps(image_shape)]
        return [("x", pixels(image_shape)), *maps, ("dense", hidden[-1])]
    return [("x", pixels(image_shape))] + [(f"{h}", h) for h in hidden]


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


def _bottleneck(ax: Axes, x_last: float, h_last: float, latent: int, vae: bool, hz: float) -> float:
    """The code layer after the encoder's last layer (at ``x_last``); returns the code's x."""
    xz = x_last + 1.3
    if not vae:
        ax.add_patch(Rectangle((xz - 0.16, -hz / 2), 0.32, hz, color=style.MODEL_COLORS["ae"]))
        _link(ax, x_last, h_last, xz, hz)
        ax.text(xz, 0.1, f"z  ({latent:,})", ha="center", va="bottom", fontsize="small")
        return xz
    # Two heads (μ and log σ²), then the sampling step z = μ + σ·ε.
    for dy, name in ((0.3, "μ"), (-0.3, "log σ²")):
        ax.add_patch(Rectangle((xz - 0.16, dy - hz / 2), 0.32, hz, color=style.MODEL_COLORS["vae"]))
        ax.add_patch(Polygon([(x_last + 0.16, -h_last / 2), (x_last + 0.16, h_last / 2),
                              (xz - 0.16, dy + hz / 2), (xz - 0.16, dy - hz / 2)],
                             facecolor="#d9d9d9", edgecolor="none"))
        ax.text(xz, dy + (0.08 if dy > 0 else -0.08), f"{name}  ({latent:,})", ha="center",
                va="bottom" if dy > 0 else "top", fontsize="small")
    x_s = xz + 1.6  # room for the heads' labels and the sampling step's at slide size
    ax.add_patch(Rectangle((x_s - 0.16, -hz / 2), 0.32, hz, color=style.MODEL_COLORS["vae"]))
    ax.annotate("", (x_s - 0.2, 0), (xz + 0.2, 0.28), arrowprops={"arrowstyle": "->", "lw": 1})
    ax.annotate("", (x_s - 0.2, 0), (xz + 0.2, -0.28), arrowprops={"arrowstyle": "->", "lw": 1})
    # above the heads' arrows, which ran through the two lines set beside z; below z the
    # decoder's first width label leaves no room
    ax.text(x_s, 0.3, "z = μ + σ·ε\nε ~ N(0, I)", ha="center", va="bottom", fontsize="small")
    return x_s


def _layers(ax: Axes, xs: np.ndarray, dims: list[tuple[str, int]], scale: float,
            colors: list[str], labels: dict[int, str]) -> list[float]:
    """A run of layer bars joined by weight trapezoids; returns their heights."""
    heights = [_bar(ax, x, units, scale, c, label=labels.get(i))[0]
               for i, (x, (_, units), c) in enumerate(zip(xs, dims, colors))]
    for i in range(len(dims) - 1):
        _link(ax, xs[i], heights[i], xs[i + 1], heights[i + 1])
    return heights


def _row(ax: Axes, dims: list[tuple[str, int]], latent: int, vae: bool, scale: float,
         image: np.ndarray | None, recon: np.ndarray | None) -> None:
    n = len(dims)
    xs = np.arange(n) * 1.0
    enc = ["#333333"] + [style.MODEL_COLORS["ae"]] * (n - 1)
    heights = _layers(ax, xs, dims, scale, enc, {0: "input x"})
    hz = max(latent * scale, MIN_HEIGHT)
    xz = _bottleneck(ax, xs[-1], heights[-1], latent, vae, hz)
    # Decoder: the mirror image.
    xd = xz + 1.3 + np.arange(n) * 1.0
    dec = ["#7a7a7a"] * (n - 1) + ["#333333"]
    _link(ax, xz, hz, xd[0], max(dims[-1][1] * scale, MIN_HEIGHT))
    _layers(ax, xd, list(reversed(dims)), scale, dec, {n - 1: "output x̂"})
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
    shape = (1, *np.shape(images["input"])) if "input" in images else DEFAULT_IMAGE_SHAPE
    dims = layer_dims(body, hidden, shape)
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
        axes[1].text(0.5, -0.06, "Bar height ∝ number of units in the layer (numbers below each "
                     "bar); grey = weights between layers", transform=axes[1].transAxes,
                     ha="center", va="top", fontsize="small", color="#555555")
    return fig
