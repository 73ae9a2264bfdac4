"""Checks on a figure's text as it is drawn: no two texts overlap, slide text is large enough and
clear of the slide's edges.

Only texts that are really drawn count: each Text's ``draw`` is watched while the canvas draws, so
tick labels outside the view, hidden artists and empty strings are skipped, and every extent is
the one the renderer measured (font metrics, rotation, multi-line text, legends included).
"""

from __future__ import annotations

from dataclasses import dataclass
from unittest import mock

from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

# Extents that merely touch (a pixel of antialiasing, a shared baseline) are not overlaps.
TOLERANCE_PT = 0.75


@dataclass(frozen=True)
class DrawnText:
    text: str
    box: Bbox  # in display pixels
    size_pt: float


def drawn_texts(fig: Figure) -> list[DrawnText]:
    """Every non-empty text the renderer draws for ``fig``, with its rendered extent and size."""
    seen: list[DrawnText] = []
    original = Text.draw

    def record(self: Text, renderer) -> None:
        original(self, renderer)
        if renderer is not None and self.get_visible() and self.get_text().strip():
            seen.append(DrawnText(self.get_text(), self.get_window_extent(renderer),
                                  float(self.get_fontsize())))

    with mock.patch.object(Text, "draw", record):
        fig.canvas.draw()
    return seen


def _overlap_pt(a: Bbox, b: Bbox, px_per_pt: float) -> float:
    """The smaller side of the two boxes' intersection, in points (0 when they do not meet)."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(0.0, min(w, h)) / px_per_pt


def text_overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose extents overlap by more than TOLERANCE_PT; [] when none do."""
    texts = drawn_texts(fig)
    px_per_pt = fig.dpi / 72
    return [(a.text, b.text) for i, a in enumerate(texts) for b in texts[i + 1:]
            if _overlap_pt(a.box, b.box, px_per_pt) > TOLERANCE_PT]


def small_texts(fig: Figure, min_pt: float) -> list[tuple[str, float]]:
    """Drawn texts set smaller than ``min_pt`` points (at the figure's true size)."""
    return [(t.text, t.size_pt) for t in drawn_texts(fig) if t.size_pt < min_pt]


def edge_texts(fig: Figure, min_in: float) -> list[tuple[str, float]]:
    """Drawn texts nearer than ``min_in`` inches to an edge of the figure, with that distance
    (a projector crops the slide's rim; the deck needs 0.3 in clear)."""
    w, h = fig.bbox.width, fig.bbox.height
    out = []
    for t in drawn_texts(fig):
        gap = min(t.box.x0, t.box.y0, w - t.box.x1, h - t.box.y1) / fig.dpi
        if gap < min_in:
            out.append((t.text, round(gap, 2)))
    return out
