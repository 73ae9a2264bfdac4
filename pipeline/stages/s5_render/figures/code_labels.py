"""Digit names written on a scatter of codes, where each digit's codes are the most common, so
that the reader needs no legend and near-twin colours are told apart."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes

from . import style


def label_clusters(ax: Axes, z: np.ndarray, labels: np.ndarray, fontsize: str = "large") -> None:
    """Each digit's name written on its own codes, in its colour darkened for text and with a
    white halo: the reader needs no legend, and colours that a colour-vision deficiency merges
    (the palette's 1/6, 3/8, 2/5) are told apart by their labels. A label sits where its digit's
    codes are the most common (``_label_spots``), so it names the colour under it; the digits
    with the clearest spot choose first, each its first free spot, and a digit with no such
    spot, or whose every such spot is near a label already placed, goes unlabelled rather than
    on a mix or another label."""
    xy = z[:, :2]
    lo, hi = np.percentile(xy, [0.5, 99.5], axis=0)
    span = float(np.max(hi - lo))
    min_sep = 0.1 * span  # labels apart by a few times their size in a panel of the codes
    spots = {int(d): _label_spots(xy, labels, int(d), 0.05 * span)
             for d in np.unique(labels) if np.sum(labels == d) >= 5}
    placed: list[np.ndarray] = []
    texts = []
    for d in sorted(spots, key=lambda d: -max((share for share, _ in spots[d]), default=0.0)):
        free = [spot for _, spot in spots[d] if all(np.linalg.norm(spot - p) >= min_sep for p in placed)]
        if not free:  # crowded: this digit keeps only its colour (and the legend)
            continue
        placed.append(free[0])
        texts.append(ax.text(free[0][0], free[0][1], str(d), ha="center", va="center", weight="bold",
                             fontsize=fontsize, color=style.DIGIT_TEXT_COLORS[d], zorder=5,
                             gid=f"label {d}",
                             path_effects=[patheffects.withStroke(linewidth=3, foreground="white")]))
    ax.add_artist(_Declutter(texts))


def _label_spots(xy: np.ndarray, labels: np.ndarray, digit: int, radius: float) -> list[tuple[float, np.ndarray]]:
    """Where a digit's label could sit, best first: the middle of each tenth of its codes
    ordered by distance from the middle of all codes, each with the share of the codes within
    ``radius`` that are this digit's. Only spots where the digit is the most common, with at
    least 40 % of the codes around (where all meet, none is)."""
    centre = np.median(xy, axis=0)
    pts = xy[labels == digit]
    order = np.argsort(np.linalg.norm(pts - centre, axis=1))
    stride = max(1, len(xy) // 6000)  # a fixed subsample: the shares need no more
    sample, sample_labels = xy[::stride], np.asarray(labels)[::stride]
    found = []
    for k, part in enumerate(np.array_split(order, min(10, len(order)))):
        spot = np.median(pts[part], axis=0)
        near = np.linalg.norm(sample - spot, axis=1) < radius
        if near.sum() < 5:
            continue
        shares = np.bincount(sample_labels[near], minlength=digit + 1) / near.sum()
        if shares[digit] == shares.max() and shares[digit] >= 0.4:
            found.append((float(shares[digit]), k, spot))
    # Clearest first; among about equally clear, the farthest out, away from where the clusters
    # meet (an AE's do at the centre, round N(0, I)'s name).
    return [(share, spot) for share, _, spot in sorted(found, key=lambda f: (-round(f[0], 1), -f[1]))]


class _Declutter(mpl.artist.Artist):
    """Invisible, drawn just before the cluster labels: once the layout has fixed the axes'
    size, a label that sticks out of the panel is moved in, and one that would overlap one drawn
    before it, or the panel's legend, is hidden (the spacing rule above works in data units and
    cannot know how large the text will be on the page)."""

    def __init__(self, texts: list) -> None:
        super().__init__()
        self.texts = texts
        self.set_zorder(4.9)
        self.set_in_layout(False)

    def draw(self, renderer) -> None:
        legend = self.axes.get_legend() if self.axes else None
        kept = [legend.get_window_extent(renderer)] if legend else []  # a label under it: hidden
        for t in self.texts:
            t.set_visible(True)
            _inside(t, self.axes, renderer)
            box = t.get_window_extent(renderer).padded(2)
            if any(box.overlaps(k) for k in kept):
                t.set_visible(False)
            else:
                kept.append(box)


def _inside(text, ax: Axes, renderer) -> None:
    """Move a label that sticks out of its panel (a cluster's far end at the window's edge) in
    by as much as it sticks out."""
    box, frame = text.get_window_extent(renderer), ax.bbox
    dx = max(0.0, frame.x0 - box.x0) - max(0.0, box.x1 - frame.x1)
    dy = max(0.0, frame.y0 - box.y0) - max(0.0, box.y1 - frame.y1)
    if dx or dy:
        x, y = ax.transData.transform(text.get_position())
        text.set_position(ax.transData.inverted().transform((x + dx, y + dy)))
