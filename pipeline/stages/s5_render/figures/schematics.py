"""Teaching pictures: the ideas of the story drawn with made-up points, not this run's data.

Every schematic is drawn from a fixed synthetic layout (seeded, the same bytes every run) in the
house style and palette, and carries a "schematic" tag in its corner, so no reader takes it for a
measurement. The real data figures sit next to them on the pages.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch

from pipeline.core.palette import GAP_COLOR, HALO_COLOR, PRIOR_SIGMAS
from . import style

TAG = "SCHEMATIC: a teaching picture, not data"
INK = "#333333"      # text and arrows
FAINT = "#bdbdbd"    # the other codes, in the background
PRIOR = "#555555"    # the dashed N(0, I) circles
SAMPLE = "#000000"   # drawn latent points
WEB_WIDTH = 7.0
_RNG_SEED = 20240  # the synthetic layouts are fixed: a schematic never changes between runs


def _size(layout: style.Layout, height: float, phone_height: float | None = None
          ) -> tuple[float, float]:
    """Schematics are drawn narrower than data figures (7 in, not 10), so that shown at the
    content column's width their text stays about as large as it is set (≥ 12 px); a phone
    variant is style.PHONE_WIDTH wide and ``phone_height`` tall."""
    if layout == "phone":
        return style.PHONE_WIDTH, phone_height or height
    return style.SLIDE_SIZE if layout == "slide" else (WEB_WIDTH, height)


def _pair(layout: style.Layout, height: float, phone_height: float):
    """(figure, (first, second)): two panels side by side, stacked on a phone."""
    return plt.subplots(*style.pair_shape(layout), figsize=_size(layout, height, phone_height),
                        layout="constrained")


def _rng() -> np.random.Generator:
    return np.random.default_rng(_RNG_SEED)


def _tag(fig: Figure, key: str = "", layout: style.Layout = "web") -> None:
    """The label that says "this is not data", under the panels (the layout engine keeps room
    for it), after an optional key to the symbols (on its own line on a phone)."""
    sep = "\n" if layout == "phone" else "    "
    text = f"{key}{sep}{TAG}" if key else TAG
    look = {"ha": "right", "fontsize": "small", "style": "italic", "color": "#555555"}
    if layout == "slide":
        # In the slide's bottom-right corner, at its margins, on a line that blank x labels keep
        # free under the panels (the engine puts a figure label nearer the edge than the margin,
        # and a panel's own label wider than the panel squeezes it).
        for ax in fig.axes:
            ax.set_xlabel(" ", fontsize="small")
        (w, h), m = style.SLIDE_SIZE, style.SLIDE_MARGIN_IN
        fig.text(1 - m / w, m / h, text, va="bottom", **look)
        return
    fig.supxlabel(text, x=0.995, **look)


def _plane(ax: Axes, half: float) -> None:
    """A latent plane: square, the axes through the origin, no ticks (a schematic has no scale)."""
    ax.set_xlim(-half, half)
    ax.set_ylim(-half, half)
    ax.set_aspect("equal")
    ax.axhline(0, color="#e0e0e0", lw=0.8, zorder=0)
    ax.axvline(0, color="#e0e0e0", lw=0.8, zorder=0)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(True)
        side.set_color("#cccccc")


def _prior(ax: Axes, radii: tuple[float, ...] = PRIOR_SIGMAS, label: bool = True) -> None:
    """N(0, I)'s 1σ/2σ/3σ circles, dashed, with a label on the outer one."""
    for r in radii:
        ax.add_patch(Circle((0, 0), r, fill=False, ls="--", lw=1.1, color=PRIOR, zorder=4))
    if label:
        r = radii[-1]
        ax.annotate("N(0, I)", (r * 0.71, -r * 0.71), xytext=(6, -6), textcoords="offset points",
                    ha="left", va="top", fontsize="medium", color=PRIOR, zorder=6)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], **kw) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16,
                                 lw=kw.pop("lw", 1.6), color=kw.pop("color", INK),
                                 zorder=kw.pop("zorder", 5), **kw))


# Ten cluster directions, one per digit, as rays from the origin (the AE's codes in 2-D grow
# outward along such rays; the real layout is on the data figures).
def _ae_clusters(rng: np.random.Generator, n: int = 120, reach: float = 9.0
                 ) -> list[tuple[int, np.ndarray]]:
    out = []
    for d in range(10):
        angle = 2 * np.pi * d / 10 + 0.25
        along = reach * rng.beta(1.6, 2.4, n) + 0.6
        across = rng.normal(0, 0.28 + 0.06 * along, n)
        direction = np.array([np.cos(angle), np.sin(angle)])
        normal = np.array([-direction[1], direction[0]])
        out.append((d, along[:, None] * direction + across[:, None] * normal))
    return out


def _vae_codes(rng: np.random.Generator, n: int = 1200) -> list[tuple[int, np.ndarray]]:
    """Codes distributed like N(0, I) (what the KL term aims for), each digit a wedge of it."""
    pts = rng.normal(0, 1, (n, 2))
    sector = (np.floor((np.arctan2(pts[:, 1], pts[:, 0]) - 0.25) / (2 * np.pi) * 10) % 10).astype(int)
    return [(d, pts[sector == d]) for d in range(10)]


def _scatter(ax: Axes, clusters: list[tuple[int, np.ndarray]], labels: bool, size: float = 7) -> None:
    for d, pts in clusters:
        color = style.DIGIT_COLORS[d]
        ax.scatter(pts[:, 0], pts[:, 1], s=size, color=color, alpha=0.8, linewidths=0, zorder=2)
        if labels:
            tip = pts[np.argmax(np.hypot(pts[:, 0], pts[:, 1]))]
            ax.text(tip[0] * 1.06, tip[1] * 1.06, str(d), color=color, fontsize="large",
                    fontweight="bold", ha="center", va="center", zorder=6)


def _cloud(ax: Axes, xy: tuple[float, float], sd: tuple[float, float], color: str,
           alpha: float = 0.22, z: int = 3) -> None:
    """A Gaussian cloud as three nested ellipses (1σ, 2σ, 3σ), densest in the middle."""
    for k, a in ((3, alpha * 0.45), (2, alpha * 0.7), (1, alpha)):
        ax.add_patch(Ellipse(xy, 2 * k * sd[0], 2 * k * sd[1], color=color, alpha=a, lw=0, zorder=z))


def point_vs_cloud(layout: style.Layout = "web") -> Figure:
    """Left: an autoencoder sends one image to one point. Right: a VAE sends it to a cloud
    (a Gaussian with mean μ and spread σ), and the decoder is trained on points drawn from it."""
    rng = _rng()
    with mpl.rc_context(style.rc(layout)):
        fig, axes = _pair(layout, 4.2, 7.6)
        others = rng.normal(0, 1.1, (40, 2))
        for ax in axes:
            _plane(ax, 3.2)
            ax.scatter(others[:, 0], others[:, 1], s=14, color=FAINT, linewidths=0, zorder=1)
        ae, vae = axes
        ae.scatter([1.2], [0.9], s=90, color=style.MODEL_COLORS["ae"], zorder=5, edgecolors=INK,
                   linewidths=0.8)
        ae.annotate("z: the code of one image\n(one exact point)", (1.2, 0.9), xytext=(-2.9, 2.4),
                    fontsize="medium", color=INK, arrowprops={"arrowstyle": "-|>", "color": INK})
        ae.set_title("Autoencoder: one image → one point", color=style.MODEL_COLORS["ae"])
        _cloud(vae, (1.2, 0.9), (0.55, 0.4), style.MODEL_COLORS["vae"], alpha=0.3)
        draws = np.array([1.2, 0.9]) + rng.normal(0, 1, (7, 2)) * [0.55, 0.4]
        vae.scatter(draws[:, 0], draws[:, 1], s=22, marker="x", color=SAMPLE, zorder=5,
                    linewidths=1.2)
        vae.scatter([1.2], [0.9], s=40, color=INK, zorder=6)
        vae.annotate("μ: the cloud's centre", (1.2, 0.9), xytext=(-2.9, 2.4), fontsize="medium",
                     color=INK, arrowprops={"arrowstyle": "-|>", "color": INK})
        vae.annotate("σ: its spread", (2.85, 0.9), xytext=(1.5, -1.6), fontsize="medium",
                     color=INK, ha="center", bbox={"fc": "white", "ec": "none", "alpha": 0.9},
                     arrowprops={"arrowstyle": "-|>", "color": INK})
        vae.text(-3.0, -2.95, "×: draws the decoder is trained on", fontsize="medium", color=INK,
                 bbox={"fc": "white", "ec": "none", "alpha": 0.9})
        vae.set_title("VAE: one image → a cloud N(μ, σ²)", color=style.MODEL_COLORS["vae"])
        _tag(fig, layout=layout)
    return fig


def sample_between_clusters(layout: style.Layout = "web") -> Figure:
    """An autoencoder's codes as ten clusters spreading out from the centre, each labelled with
    its digit. A random point lands in the empty space between two clusters, where the decoder
    never saw a code; a point on a cluster decodes to that cluster's digit."""
    rng = _rng()
    phone = layout == "phone"
    with mpl.rc_context(style.rc(layout)):
        fig, ax = plt.subplots(figsize=_size(layout, 4.6, 6.4), layout="constrained")
        _plane(ax, 10.5)
        if phone:  # the notes above and below the clusters: beside them there is no room
            ax.set_ylim(-16.5, 16.5)
        else:  # room beside the clusters for the two notes; a slide's larger text needs more
            ax.set_xlim(*((-30, 30) if layout == "slide" else (-19, 19)))
        clusters = _ae_clusters(rng)
        _scatter(ax, clusters, labels=True)
        gap = (6.2 * np.cos(2 * np.pi * 3.5 / 10 + 0.25), 6.2 * np.sin(2 * np.pi * 3.5 / 10 + 0.25))
        on = clusters[7][1][np.argsort(np.hypot(*clusters[7][1].T))[100]]
        ax.scatter(*gap, s=260, marker="X", color=GAP_COLOR, edgecolors=HALO_COLOR, linewidths=1.5,
                   zorder=7)
        # Text and arrow drawn apart: an annotation's extent spans its arrow, over the labels.
        if phone:
            ax.text(-10.2, 16.0, "a random z between clusters:\nthe decoder never saw a code\n"
                    "here, nothing says what to draw", va="top", fontsize="small", color=INK)
            _arrow(ax, (-6.0, 11.2), (gap[0] - 0.3, gap[1] + 0.4), lw=1.2)
            ax.text(10.2, -16.0, "a z on a cluster: decodes\nto that cluster's digit",
                    fontsize="small", color=INK, ha="right", va="bottom")
            _arrow(ax, (4.0, -12.4), (on[0] + 0.3, on[1] - 0.4), lw=1.2)
            ax.set_title("An AE's codes: clusters with\nempty space between them")
        else:
            left = ax.get_xlim()[0] + 0.5
            ax.text(left, 10.5, "a random z between\nclusters: the decoder\nnever saw a code here,\n"
                    "nothing says what\nit should draw", va="top", fontsize="medium", color=INK)
            tail = -11.4 if layout != "slide" else -10.6  # the note's right end, at its size
            _arrow(ax, (tail, 6.5), (gap[0] - 0.4, gap[1] + 0.3), lw=1.2)
            ax.text(11.0, -7.5, "a z on a cluster:\ndecodes to that\ncluster's digit",
                    fontsize="medium", color=INK, va="center")
            _arrow(ax, (10.7, -7.5), (on[0] + 0.5, on[1]), lw=1.2)
            ax.set_title("An autoencoder's codes: clusters with empty space between them")
        ax.scatter(*on, s=160, marker="o", facecolors="none", edgecolors=INK, linewidths=1.8,
                   zorder=7)
        _tag(fig, layout=layout)
    return fig


def kl_pull(layout: style.Layout = "web") -> Figure:
    """Left: with reconstruction alone, an encoder's clouds can be tiny and far apart. Right:
    the KL term pulls every cloud toward N(0, I), the dashed circles, and widens it, so the
    clouds of different images overlap and fill the circle."""
    rng = _rng()
    centres = [(6.0 * np.cos(a), 6.0 * np.sin(a)) for a in np.linspace(0.3, 2 * np.pi + 0.3, 10,
                                                                          endpoint=False)]
    with mpl.rc_context(style.rc(layout)):
        fig, axes = _pair(layout, 3.9, 7.4)
        loose, pulled = axes
        _plane(loose, 8.0)
        _plane(pulled, 8.0)
        for d, c in enumerate(centres):
            jitter = rng.normal(0, 0.6, 2)
            _cloud(loose, (c[0] + jitter[0], c[1] + jitter[1]), (0.25, 0.2),
                   style.DIGIT_COLORS[d], alpha=0.6)
            near = (0.28 * c[0] + jitter[0] * 0.3, 0.28 * c[1] + jitter[1] * 0.3)
            _cloud(pulled, near, (0.9, 0.8), style.DIGIT_COLORS[d], alpha=0.22)
            _arrow(pulled, (c[0] * 0.95, c[1] * 0.95), (near[0] * 1.9, near[1] * 1.9),
                   color="#999999", zorder=2)
        _prior(loose)
        _prior(pulled)
        loose.set_title("reconstruction alone:\nsmall clouds, far apart")
        pulled.set_title("+ KL term: pulled toward\nN(0, I), overlapping")
        pulled.text(-7.7, 7.6, "arrows: the KL term's pull", fontsize="medium", color=INK, va="top")
        _tag(fig, layout=layout)
    return fig


def _samples_panel(ax: Axes, clusters, pts: np.ndarray, title: str, color: str,
                   half: float, prior: bool) -> None:
    _plane(ax, half)
    _scatter(ax, clusters, labels=False, size=4)
    if prior:
        _prior(ax, label=False)
    ax.scatter(pts[:, 0], pts[:, 1], s=30, marker="x", color=SAMPLE, linewidths=1.3, zorder=6)
    ax.set_title(title, color=color, fontsize="medium")


# The four panels' titles: two lines each, three on a phone's narrower panels.
PRIOR_MATCH_TITLES = {
    False: ("AE, z ~ N(0, I): only the\ncrowded centre",
            "AE, z anywhere in its range:\nmany land between clusters",
            "AE, z ~ a mixture fitted\nto its codes: on the codes",
            "VAE, z ~ N(0, I): the prior\nis where the codes are"),
    True: ("AE, z ~ N(0, I):\nonly the\ncrowded centre",
           "AE, z anywhere in\nits range: many land\nbetween clusters",
           "AE, z ~ a mixture\nfitted to its codes:\non the codes",
           "VAE, z ~ N(0, I):\nthe prior is where\nthe codes are")}


def prior_match(layout: style.Layout = "web") -> Figure:
    """Four panels of codes with drawn points as black crosses. AE with N(0, I): the codes spread
    far wider than the prior's circles, so every draw comes from the crowded centre. AE with its
    whole range: many draws land between clusters. AE with a mixture fitted to its codes: draws
    land on the clusters. VAE with N(0, I): the codes fill the circles, so draws land on codes."""
    rng = _rng()
    ae, vae = _ae_clusters(rng), _vae_codes(rng)
    n = 26
    centre = rng.normal(0, 1, (n, 2))
    box = rng.uniform(-9.5, 9.5, (n, 2))
    pick = rng.integers(0, 10, n)
    fitted = np.array([ae[k][1][rng.integers(0, len(ae[k][1]))] for k in pick])
    fitted += rng.normal(0, 0.3, fitted.shape)
    titles = PRIOR_MATCH_TITLES[layout in ("phone", "slide")]
    panels = [(ae, centre, titles[0], "ae", 10.5, True),
              (ae, box, titles[1], "ae", 10.5, False),
              (ae, fitted, titles[2], "ae", 10.5, False),
              (vae, rng.normal(0, 1, (n, 2)), titles[3], "vae", 3.6, True)]
    with mpl.rc_context(style.rc(layout)):
        # a slide is wide and short: the four panels in a row, each as tall as the slide allows
        shape = (1, 4) if layout == "slide" else (2, 2)
        fig, axes = plt.subplots(*shape, figsize=_size(layout, 7.0, 6.8), layout="constrained")
        for ax, (clusters, pts, title, kind, half, prior) in zip(axes.ravel(), panels):
            _samples_panel(ax, clusters, pts, title, style.MODEL_COLORS[kind], half, prior)
        _tag(fig, "×: drawn z   dashed circles: N(0, I)", layout)
    return fig
