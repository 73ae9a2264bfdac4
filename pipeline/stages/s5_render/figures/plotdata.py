"""The data a figure plots, read back from the drawn Figure and written as one CSV beside it.

Reading the artists (lines and markers, scatter points, bars) rather than the arrays that went
into the plot function means every figure gets its CSV with no code of its own, and the CSV holds
exactly what is drawn. Pictures (digit grids, density maps) are not tables and are left out; a
figure that draws only pictures gets no CSV. A step histogram is its outline's corners; a small
heat map (at most TABLE_CELLS cells) is one series per row.

Columns: ``panel`` (1, 2, ... in the figure's reading order, left to right then top to bottom),
``panel_title``, ``series`` (the artist's legend label or, for the digit scatters, its gid such
as "digit 3"), ``x``, ``y`` in the axes' data units (a bar: its centre and its length).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

HEADER = "panel,panel_title,series,x,y"


def _clean(text: str) -> str:
    """One line of text (titles and labels may hold line breaks)."""
    return " ".join(text.split())


def _field(text: str) -> str:
    """A quoted CSV field (RFC 4180)."""
    return '"' + text.replace('"', '""') + '"'



def _name(artist, k: int) -> str:
    label = artist.get_label() or ""
    if label and not label.startswith("_"):
        return _clean(label)
    gid = artist.get_gid() if hasattr(artist, "get_gid") else None  # a BarContainer has none
    return _clean(gid or f"series {k + 1}")


def _tick_names(ax: Axes, horizontal: bool) -> dict[float, str]:
    """{position: tick label} along the bars' category axis; a panel that shares that axis with
    another shows no labels of its own (the bars' names are on the first panel), so those."""
    shared = ax.get_shared_y_axes() if horizontal else ax.get_shared_x_axes()
    for a in sorted(shared.get_siblings(ax), key=lambda s: s is not ax):  # its own labels first
        labels = a.get_yticklabels() if horizontal else a.get_xticklabels()
        names = {round(float(t.get_position()[1 if horizontal else 0]), 6): t.get_text()
                 for t in labels if t.get_text()}
        if names:
            return names
    return {}


def _bars(ax: Axes) -> list[tuple[str, np.ndarray]]:
    """Each bar as (its tick label or its set's name, [[position, length]]); for horizontal
    bars x is the length, as drawn."""
    out = []
    for k, c in enumerate(ax.containers):
        if not isinstance(c, BarContainer):
            continue
        horizontal = getattr(c, "orientation", "vertical") == "horizontal"
        names = _tick_names(ax, horizontal)
        for r in c.patches:
            pos = r.get_y() + r.get_height() / 2 if horizontal else r.get_x() + r.get_width() / 2
            length = r.get_width() if horizontal else r.get_height()
            name = _clean(names.get(round(pos, 6)) or _name(c, k))
            out.append((name, np.array([[length, pos]] if horizontal else [[pos, length]])))
    return out


TABLE_CELLS = 2000  # an image this small is a table of numbers (a heat map), not a picture


def _table_rows(ax: Axes) -> list[tuple[str, np.ndarray]]:
    """A small heat map, one series per row (named by its tick label): x is the column's
    position, y the cell's value."""
    out = []
    for image in ax.images:
        a = np.asarray(image.get_array(), dtype=float)
        if a.ndim != 2 or a.size > TABLE_CELLS:
            continue
        names = _tick_names(ax, horizontal=True)
        for r, row in enumerate(a):
            name = _clean(names.get(float(r)) or f"row {r + 1}")
            out.append((name, np.stack([np.arange(len(row), dtype=float), row], 1)))
    return out


def axes_series(ax: Axes) -> list[tuple[str, np.ndarray]]:
    """(series name, [n, 2] x/y array) for every line, scatter and bar set drawn in ``ax``."""
    out = []
    for k, line in enumerate(ax.lines):
        xy = np.asarray(line.get_xydata(), dtype=float)
        if line.get_visible() and len(xy):
            out.append((_name(line, k), xy))
    for k, coll in enumerate(ax.collections):
        if isinstance(coll, PathCollection) and coll.get_visible():
            xy = np.asarray(coll.get_offsets(), dtype=float)
            if len(xy):
                out.append((_name(coll, k), xy))
    for patch in ax.patches:  # a step histogram is one labelled outline
        label = patch.get_label() or ""
        if isinstance(patch, Polygon) and label and not label.startswith("_"):
            out.append((_clean(label), np.asarray(patch.get_xy(), dtype=float)))
    return out + _bars(ax) + _table_rows(ax)


def _reading_order(fig: Figure) -> list[Axes]:
    axes = [ax for ax in fig.axes if ax.get_visible()]
    pos = [ax.get_position() for ax in axes]
    return [ax for _, ax in sorted(zip(pos, axes), key=lambda p: (-round(p[0].y1, 2), p[0].x0))]


def write_csv(fig: Figure, path: Path) -> bool:
    """Write ``path`` with every plotted series of ``fig``; False (nothing written) when the
    figure plots no data series (pictures only)."""
    blocks = []
    for i, ax in enumerate(_reading_order(fig), start=1):
        title = _clean(ax.get_title() or ax.get_title(loc="left") or "")
        for name, xy in axes_series(ax):
            xy = xy[np.isfinite(xy).all(axis=1)]
            if len(xy):
                blocks.append((f"{i},{_field(title)},{_field(name)},", xy))
    if not blocks:
        return False
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(HEADER + "\n")
        for prefix, xy in blocks:
            numbers = io.StringIO()
            np.savetxt(numbers, xy, fmt="%.6g", delimiter=",")
            fh.writelines(prefix + line + "\n" for line in numbers.getvalue().splitlines())
    return True
