"""Holes: where the codes are not. Density maps with empty cells shaded and this run's gap
points marked (the red crosses of the textbook figure), and what the decoder makes of them."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from . import style
from .codes import set_window
from .prior import prior_circles
from .images import cell_centre, show_digits

HALO = [patheffects.withStroke(linewidth=3, foreground="white")]


def draw_density(ax: Axes, counts: np.ndarray, window: np.ndarray, holes: np.ndarray,
                 hull: np.ndarray | None = None) -> None:
    """Counts per cell on a log scale; empty ("hole") cells inside the codes' convex hull filled
    pale red (outside the hull nearly every cell is empty, and shading it all would drown the
    picture; the hull is where the textbook's question is asked). Row 0 of the grid is the
    lowest y (contract of holes.npz), hence origin='lower'."""
    if hull is not None:
        holes = holes & hull
    extent = tuple(float(v) for v in window)
    shown = np.where(counts > 0, counts, np.nan).astype(float)
    vmax = max(float(np.nanmax(shown)) if np.isfinite(shown).any() else 1.0, 2.0)
    ax.imshow(shown, origin="lower", extent=extent, cmap=style.DENSITY_CMAP,
              norm=LogNorm(vmin=1, vmax=vmax), interpolation="nearest")
    rgba = np.zeros(holes.shape + (4,))
    rgba[holes] = mpl.colors.to_rgba(style.HOLE_COLOR)
    ax.imshow(rgba, origin="lower", extent=extent, interpolation="nearest")
    set_window(ax, extent)


# Where a gap point's number goes, in offset points, tried in this order: up-right first; the
# other corners when the number would run into one already placed (two gap points close together).
# In a tight cluster of gap points all four corners can be taken: then the same corners farther out.
_CORNERS = (((5, 4), "left", "bottom"), ((-5, 4), "right", "bottom"),
            ((5, -4), "left", "top"), ((-5, -4), "right", "top"))
# At a slide's 18 pt, eight crosses in one corner need a third ring.
LABEL_OFFSETS = _CORNERS + tuple(((k * x, k * y), ha, va) for k in (3, 6) for (x, y), ha, va in _CORNERS)


def _label_box(anchor: np.ndarray, offset: tuple, ha: str, va: str, size_pt: tuple) -> np.ndarray:
    """[x0, y0, x1, y1] in points of a label of size_pt (w, h) at anchor + offset, aligned ha/va."""
    x = anchor[0] + offset[0] - (size_pt[0] if ha == "right" else 0)
    y = anchor[1] + offset[1] - (size_pt[1] if va == "top" else 0)
    return np.array([x, y, x + size_pt[0], y + size_pt[1]])


def _overlap(box: np.ndarray, taken: list[np.ndarray]) -> float:
    """Summed area (pt²) that ``box`` shares with the boxes already taken; 0 when it is free."""
    return sum(max(0.0, min(box[2], t[2]) - max(box[0], t[0]))
               * max(0.0, min(box[3], t[3]) - max(box[1], t[1])) for t in taken)


CROSS_PT = 11  # a gap cross's size (points)


def mark_gaps(ax: Axes, gaps: np.ndarray) -> None:
    """Red crosses, numbered 1..K in the order of the gap images; a number moves to another
    corner of its cross when it would overlap a number already placed or another cross."""
    ax.plot(gaps[:, 0], gaps[:, 1], ls="", marker="x", ms=CROSS_PT, mew=2.4, color=style.GAP_COLOR,
            path_effects=HALO, zorder=5)
    (offset, ha, va), labels = LABEL_OFFSETS[0], []
    for i in range(len(gaps)):
        labels.append(ax.annotate(str(i + 1), gaps[i, :2], xytext=offset, textcoords="offset points",
                                  ha=ha, va=va, color=style.GAP_COLOR, weight="bold",
                                  fontsize="small", path_effects=HALO, zorder=6))
    ax.add_artist(_GapLabelPlacer(ax, gaps, labels))


class _GapLabelPlacer(mpl.artist.Artist):
    """Invisible: picks each gap number's corner when the figure is drawn. By then the layout
    engine has fixed the axes (a slide's maps shrink a lot after they are built, and numbers that
    were apart at build time met), and it draws before the numbers (lower zorder)."""

    def __init__(self, ax: Axes, gaps: np.ndarray, labels: list) -> None:
        super().__init__()
        self.ax, self.gaps, self.labels = ax, gaps, labels
        self.set_zorder(5.5)
        self.set_in_layout(False)

    def draw(self, renderer) -> None:
        to_pt = 72.0 / self.ax.figure.dpi
        anchors = self.ax.transData.transform(self.gaps[:, :2]) * to_pt
        # a number may sit on neither another number nor another gap's cross
        arm = CROSS_PT / 2 + 1
        crosses = [np.array([x - arm, y - arm, x + arm, y + arm]) for x, y in anchors]
        taken: list[np.ndarray] = []
        for i, (label, anchor) in enumerate(zip(self.labels, anchors)):
            font_pt = label.get_fontsize()
            size_pt = (0.65 * font_pt * len(label.get_text()) + 2, font_pt + 2)  # bold, with halo
            boxes = [(_label_box(anchor, o, ha, va, size_pt), o, ha, va) for o, ha, va in LABEL_OFFSETS]
            avoid = taken + crosses[:i] + crosses[i + 1:]
            # the first free place in LABEL_OFFSETS' order (min keeps the first of equals); in a
            # crowd where none is free, the least covered one
            box, offset, ha, va = min(boxes, key=lambda b: _overlap(b[0], avoid))
            taken.append(box)
            label.xyann = offset
            label.set_horizontalalignment(ha)
            label.set_verticalalignment(va)


def _pad(images: np.ndarray, cols: int) -> np.ndarray:
    """Blank (white) cells up to a full row, so one gap image is not blown up to the panel size."""
    missing = max(0, cols - len(images))
    return np.concatenate([images, np.zeros((missing, *images.shape[1:]), np.uint8)]) if missing else images


def numbered_digits(ax: Axes, images: np.ndarray, cols: int, start: int = 1,
                    color: str = style.GAP_COLOR, count: int | None = None,
                    fontsize: str = "small", under: bool = False) -> None:
    """Images in a grid, each numbered from ``start``: in its top left corner (a grid has no
    room between its rows) or, ``under``, centred under it, where it covers no stroke (a strip
    with nothing else under it)."""
    show_digits(ax, images, cols)
    for i in range(len(images) if count is None else count):
        x, y = cell_centre(i, cols)
        if under:
            ax.text(x, y + 14, str(i + start), color=color, weight="bold", fontsize=fontsize,
                    ha="center", va="top", clip_on=False)
        else:
            ax.text(x - 12, y - 12, str(i + start), color=color, weight="bold", fontsize=fontsize,
                    ha="left", va="top", path_effects=HALO)


def no_gaps(ax: Axes) -> None:
    ax.text(0.5, 0.5, "no empty region inside the codes' hull\nwas large enough for a gap point",
            ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_axis_off()


def maps_over_strips(n: int, figsize: tuple[float, float], map_height: float) -> tuple[Figure, np.ndarray]:
    """A phone's one column: each of ``n`` maps above its strip of decodes (``map_height`` times
    the strip's height); (figure, axes [n, 2]: each map and its strip)."""
    fig, grid = plt.subplots(2 * n, 1, figsize=figsize, layout="constrained",
                             height_ratios=[map_height, 1] * n)
    return fig, grid.reshape(n, 2)


def hole_map_figure(models: list[dict], layout: style.Layout = "web") -> Figure:
    """One row per model: density/hole map with gap crosses, then the gap decodes beside it.
    ``models``: dicts with 'name' ('ae'/'vae'), 'counts', 'window', 'holes', 'gaps',
    'gap_images', optional 'hole_share' (fraction of the window in holes) for the title."""
    n = len(models)
    with mpl.rc_context(style.rc(layout)):
        if layout == "slide":
            # 16:9: models side by side, each map above a strip of its gap decodes.
            fig, grid = plt.subplots(2, n, figsize=style.figsize(layout, 0), squeeze=False,
                                     layout="constrained", height_ratios=[3.2, 1])
            axes = grid.T
        elif layout == "phone":
            fig, axes = maps_over_strips(n, style.figsize(layout, 0, 5.2 * n), 3.6)
        else:
            fig, axes = plt.subplots(n, 2, figsize=style.figsize(layout, 4.4 * n), squeeze=False,
                                     layout="constrained", width_ratios=[1.25, 1])
        cols = 4 if layout == "web" else 8
        for row, m in zip(axes, models):
            draw_density(row[0], m["counts"], m["window"], m["holes"], m.get("hull"))
            prior_circles(row[0], label=False)
            mark_gaps(row[0], m["gaps"])
            title = f"{style.MODEL_LABELS[m['name']]}: code density"
            if m.get("hole_share") is not None:
                title += ("\n" if layout == "phone" else "; ") + f"{100 * m['hole_share']:.0f}% of its hull empty"
            # Padded: the top y tick label sits at the axes' top edge and would touch the title.
            # On a slide the gap numbers above the map's top edge also need the room.
            row[0].set_title(title, color=style.MODEL_COLORS[m["name"]], pad=28 if layout == "slide" else 10)
            if layout != "web":
                style.few_ticks(row[0])  # half a slide wide: −30−20−10 ran together
            k = len(m["gap_images"])
            if k == 0:
                no_gaps(row[1])
                continue
            numbered_digits(row[1], _pad(m["gap_images"], cols), cols=cols, count=k,
                            fontsize="small", under=k <= cols)
            row[1].set_title(f"decodes of the {k} gap points (×)" if k > 1 else "decode of the gap point (×)")
        from matplotlib.patches import Patch
        handles = [Patch(facecolor=style.HOLE_COLOR, label="empty cell (hole)"),
                   mpl.lines.Line2D([], [], ls="", marker="x", mew=2, color=style.GAP_COLOR,
                                    label="gap point")]
        # Inside the first map (a figure-level legend would not follow the deck's layout band).
        # Under the first map, so it never hides a gap cross.
        axes[0, 0].legend(handles=handles, loc="upper center",
                          bbox_to_anchor=(0.5, -0.26),
                          ncols=2, fontsize="small")
    return fig


def _coord(v: float) -> str:
    """A gap point's coordinate under its digit: whole units from 10 on ("\u2212109", not
    "\u2212108.5", which ran into the next column's number on the AE's wide map)."""
    return (f"{v:.0f}" if abs(v) >= 10 else f"{v:.1f}").replace("-", "\u2212")


def gap_decodes_figure(models: list[dict], layout: style.Layout = "web") -> Figure:
    """The gap decodes alone, one row per model, large, each with its number and its code."""
    k = max(max(len(m["gap_images"]) for m in models), 8)  # at least 8 columns: digit size fixed
    with mpl.rc_context(style.rc(layout)):
        web_h = 1.0 + 10 / k * 1.15 * len(models)
        phone_h = 0.3 + 16 / k * 1.0 * len(models)  # a row of k digits and their labels, and a title
        fig, axes = plt.subplots(len(models), 1, figsize=style.figsize(layout, web_h, phone_h),
                                 layout="constrained", squeeze=False)
        for ax, m in zip(axes[:, 0], models):
            if len(m["gap_images"]) == 0:
                no_gaps(ax)
            else:
                numbered_digits(ax, _pad(m["gap_images"], k), cols=k, count=len(m["gap_images"]))
            judge = m.get("judge") or []
            # what the lines under the digits are, left of the first (a phone has no room: the
            # labels squeezed the digits until their numbers ran together; its caption says)
            if len(m["gap_images"]) and layout != "phone":
                row = cell_centre(0, k)[1]
                for dy, words in ((15, "z\u2081\nz\u2082"), (33, "class\nconfidence" if judge else "")):
                    ax.text(-6, row + dy, words, ha="right", va="top", fontsize="small",
                            color="#444444", linespacing=1.0)
            for i, (x, y) in enumerate(m["gaps"][:, :2]):
                cx, cy = cell_centre(i, k)
                # Three short lines under each digit: at 12 px or more, one long line ran into
                # the next digit's.
                ax.text(cx, cy + 15, f"{_coord(x)}\n{_coord(y)}", ha="center",
                        va="top", fontsize="small", color="#444444", linespacing=1.0)
                if i < len(judge) and judge[i][0] is not None:
                    c, p = judge[i]
                    # class above confidence: "7 · 61%" on one line ran into the next one's
                    ax.text(cx, cy + 33, f"{c}\n{100 * p:.0f}%", ha="center", va="top",
                            fontsize="small", color=style.DIGIT_TEXT_COLORS[int(c) % len(style.DIGIT_TEXT_COLORS)],
                            weight="bold", linespacing=1.0)
            if len(m["gap_images"]):
                ax.set_ylim(m["gap_images"].shape[1] + 48, -0.5)  # room under the single row for the labels
                ax.set_xlim(-0.5, k * 30 - 2.5)
            ax.set_title(f"{style.MODEL_LABELS[m['name']]}: decoder output at the centres of"
                         + ("\n" if layout == "phone" else " ") + "the largest empty regions",
                         color=style.MODEL_COLORS[m["name"]])
    return fig
