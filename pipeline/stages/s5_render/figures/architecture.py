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


class Frame:
    """Where a row's drawing goes: as written (layers left to right, bar heights the widths) or,
    for a phone, turned to run top to bottom (bar lengths across). The diagram is drawn in row
    coordinates; a vertical frame maps (x, y) to (-y, -x), a mirror, so a label below a bar
    lands right of it, and text stays upright."""

    _HA_TO_VA = {"left": "top", "right": "bottom", "center": "center"}
    _VA_TO_HA = {"top": "left", "bottom": "right", "center": "center", "baseline": "right"}

    def __init__(self, ax: Axes, vertical: bool) -> None:
        self.ax, self.vertical = ax, vertical

    def p(self, x: float, y: float) -> tuple[float, float]:
        return (-y, -x) if self.vertical else (x, y)

    def rect(self, x0: float, y0: float, w: float, h: float, **kw) -> None:
        self.poly([(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)], **kw)

    def poly(self, points: list[tuple[float, float]], **kw) -> None:
        self.ax.add_patch(Polygon([self.p(x, y) for x, y in points], closed=True, **kw))

    def text(self, x: float, y: float, s: str, ha: str = "center", va: str = "center", **kw) -> None:
        if self.vertical:
            ha, va = self._VA_TO_HA[va], self._HA_TO_VA[ha]
        self.ax.text(*self.p(x, y), s, ha=ha, va=va, **kw)

    def arrow(self, head: tuple[float, float], tail: tuple[float, float]) -> None:
        self.ax.annotate("", self.p(*head), self.p(*tail), arrowprops={"arrowstyle": "->", "lw": 1})

    def image(self, img: np.ndarray, x: float, half: float = 0.6) -> None:
        cx, cy = self.p(x, 0.0)
        self.ax.imshow(255 - img, cmap="gray", vmin=0, vmax=255,
                       extent=(cx - half, cx + half, cy - half, cy + half))

    def limits(self, x0: float, x1: float, y0: float, y1: float) -> None:
        (ax0, ay0), (ax1, ay1) = self.p(x0, y0), self.p(x1, y1)
        self.ax.set_xlim(min(ax0, ax1), max(ax0, ax1))
        self.ax.set_ylim(min(ay0, ay1), max(ay0, ay1))


def _bar(f: Frame, x: float, units: int, scale: float, color: str, width: float = 0.32,
         label: str | None = None) -> tuple[float, float]:
    h = max(units * scale, MIN_HEIGHT)
    f.rect(x - width / 2, -h / 2, width, h, facecolor=color, edgecolor="none")
    f.text(x, -h / 2 - 0.06, f"{units:,}", va="top", fontsize="small")
    if label:
        f.text(x, h / 2 + 0.06, label, va="bottom", fontsize="small")
    return h, width


def _link(f: Frame, x0: float, h0: float, x1: float, h1: float, w: float = 0.32,
          dy: float = 0.0) -> None:
    """The trapezoid between two layers (the weights); ``dy`` shifts the second layer."""
    f.poly([(x0 + w / 2, -h0 / 2), (x0 + w / 2, h0 / 2), (x1 - w / 2, dy + h1 / 2),
            (x1 - w / 2, dy - h1 / 2)], facecolor="#d9d9d9", edgecolor="none")


def _bottleneck(f: Frame, x_last: float, h_last: float, latent: int, vae: bool, hz: float) -> float:
    """The code layer after the encoder's last layer (at ``x_last``); returns the code's x."""
    xz = x_last + 1.3
    if not vae:
        f.rect(xz - 0.16, -hz / 2, 0.32, hz, color=style.MODEL_COLORS["ae"])
        _link(f, x_last, h_last, xz, hz)
        f.text(xz, 0.1, f"z  ({latent:,})", va="bottom", fontsize="small")
        return xz
    # Two heads (μ and log σ²), then the sampling step z = μ + σ·ε.
    for dy, name in ((0.3, "μ"), (-0.3, "log σ²")):
        f.rect(xz - 0.16, dy - hz / 2, 0.32, hz, color=style.MODEL_COLORS["vae"])
        _link(f, x_last, h_last, xz, hz, dy=dy)
        f.text(xz, dy + (0.08 if dy > 0 else -0.08), f"{name}  ({latent:,})",
               va="bottom" if dy > 0 else "top", fontsize="small")
    x_s = xz + 1.6  # room for the heads' labels and the sampling step's at slide size
    f.rect(x_s - 0.16, -hz / 2, 0.32, hz, color=style.MODEL_COLORS["vae"])
    f.arrow((x_s - 0.2, 0), (xz + 0.2, 0.28))
    f.arrow((x_s - 0.2, 0), (xz + 0.2, -0.28))
    # above the heads' arrows, which ran through the two lines set beside z; below z the
    # decoder's first width label leaves no room
    f.text(x_s, 0.3, "z = μ + σ·ε\nε ~ N(0, I)", va="bottom", fontsize="small")
    return x_s


def _layers(f: Frame, xs: np.ndarray, dims: list[tuple[str, int]], scale: float,
            colors: list[str], labels: dict[int, str]) -> list[float]:
    """A run of layer bars joined by weight trapezoids; returns their heights."""
    heights = [_bar(f, x, units, scale, c, label=labels.get(i))[0]
               for i, (x, (_, units), c) in enumerate(zip(xs, dims, colors))]
    for i in range(len(dims) - 1):
        _link(f, xs[i], heights[i], xs[i + 1], heights[i + 1])
    return heights


def _row(f: Frame, dims: list[tuple[str, int]], latent: int, vae: bool, scale: float,
         image: np.ndarray | None, recon: np.ndarray | None) -> tuple[float, float]:
    """One network, input to output; returns its span along the row."""
    n = len(dims)
    xs = np.arange(n) * 1.0
    enc = ["#333333"] + [style.MODEL_COLORS["ae"]] * (n - 1)
    heights = _layers(f, xs, dims, scale, enc, {0: "input x"})
    hz = max(latent * scale, MIN_HEIGHT)
    xz = _bottleneck(f, xs[-1], heights[-1], latent, vae, hz)
    # Decoder: the mirror image.
    xd = xz + 1.3 + np.arange(n) * 1.0
    dec = ["#7a7a7a"] * (n - 1) + ["#333333"]
    _link(f, xz, hz, xd[0], max(dims[-1][1] * scale, MIN_HEIGHT))
    _layers(f, xd, list(reversed(dims)), scale, dec, {n - 1: "output x̂"})
    # The image that goes in and what comes out, beside the first and last layer.
    for img, x in ((image, xs[0] - 1.0), (recon, xd[-1] + 1.0)):
        if img is not None:
            f.image(img, x)
    f.text(xs[0] - 1.8, 0.0, "VAE" if vae else "AE", ha="right", weight="bold",
           fontsize="large", color=style.MODEL_COLORS["vae" if vae else "ae"])
    f.ax.set_aspect("equal")
    f.ax.set_axis_off()
    return xs[0] - 2.9, xd[-1] + 1.7


def architecture_figure(body: str, hidden: list[int], latent_dim: int,
                        images: dict[str, np.ndarray] | None = None,
                        layout: style.Layout = "web") -> Figure:
    """Two rows, AE above VAE, same scale: height of each bar ∝ units of that layer (on a
    phone, two columns running downwards, AE left of VAE).
    ``images`` may hold 'input', 'ae', 'vae' digit images shown at the ends of the rows."""
    images = images or {}
    shape = (1, *np.shape(images["input"])) if "input" in images else DEFAULT_IMAGE_SHAPE
    dims = layer_dims(body, hidden, shape)
    scale = MAX_HEIGHT / max(u for _, u in dims)
    vertical = layout == "phone"  # a row is too long for a phone's width: run it downwards
    with mpl.rc_context(style.rc(layout)):
        grid = (1, 2) if vertical else (2, 1)
        fig, axes = plt.subplots(*grid, figsize=style.figsize(layout, 5.2, phone_height=6.6),
                                 layout="constrained")
        frames = [Frame(ax, vertical) for ax in axes]
        spans = [_row(f, dims, latent_dim, vae, scale, images.get("input"), images.get(key))
                 for f, vae, key in ((frames[0], False, "ae"), (frames[1], True, "vae"))]
        # Same span for both networks, so the same number of units is the same length in both.
        length = max(b - a for a, b in spans)
        # a phone's labels sit beside the bars, and its model names above the images, not left
        across, lead = (MAX_HEIGHT / 2 + 1.0, 0.6) if vertical else (MAX_HEIGHT / 2 + 0.3, 0.0)
        for f, (a, _) in zip(frames, spans):
            f.limits(a + lead, a + length, -across, across)
        # Inside an axes, not a figure label: the deck shrinks the axes into a band and a
        # figure-level label would be left behind under the caption.
        if vertical:  # the deck never shows this variant, so a figure label is safe here
            fig.supxlabel("Bar length ∝ units in the layer (number beside it);\ngrey = "
                          "weights between layers", fontsize="small", color="#555555")
        else:
            axes[1].text(0.5, -0.06, "Bar height ∝ number of units in the layer (numbers below "
                         "each bar); grey = weights between layers", transform=axes[1].transAxes,
                         ha="center", va="top", fontsize="small", color="#555555")
    return fig
