"""N(0, I) on a map of codes: its dashed circles and, where the map's window dwarfs them (the
AE's codes spread over tens of units, so the circles shrink to a dot under the codes), a short
named leader to that dot, as the site's maps have."""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Circle
from matplotlib.transforms import Bbox

from pipeline.core.palette import PRIOR_SIGMAS


def prior_circles(ax: Axes, radii: tuple[float, ...] = PRIOR_SIGMAS, label: bool = True,
                  name: bool = True) -> None:
    """Contours of N(0, I) at ``radii`` σ (where the prior puts its mass); with ``name``, named
    where they are too small to see; with ``label``, in the legend."""
    # Above the codes, with a white halo: over 60,000 dots a bare dashed line disappeared.
    halo = [patheffects.withStroke(linewidth=2.6, foreground="white")]
    for r in radii:
        ax.add_patch(Circle((0, 0), r, fill=False, ls="--", lw=1.0, ec="#222222", alpha=0.8,
                            zorder=4, path_effects=halo))
    if label:
        ax.plot([], [], ls="--", color="#222222", lw=1.0,
                label="N(0, I): " + ", ".join(f"{r}σ" for r in radii))
    if name:
        name_small_prior(ax, max(radii))


SMALL_PRIOR = 0.05  # a 3σ circle narrower than this share of its panel gets a name
# Where the name may go from the origin (points; alignment): the first place that covers no
# other text or marker of the panel.
PRIOR_NAME_PLACES = ((-26, -20, "right", "top"), (26, -20, "left", "top"),
                     (-26, 20, "right", "bottom"), (26, 20, "left", "bottom"))


def name_small_prior(ax: Axes, radius: float = max(PRIOR_SIGMAS)) -> None:
    """Name N(0, I)'s circles on a panel whose window dwarfs them (the AE's codes spread over
    tens of units): there they are a dot under the codes, so a short leader says what the dot
    is, as on the site's maps. Whether and where is decided when the figure is drawn."""
    halo = [patheffects.withStroke(linewidth=2.6, foreground="white")]
    dx, dy, ha, va = PRIOR_NAME_PLACES[0]
    note = ax.annotate("N(0, I)", xy=(0, 0), xytext=(dx, dy), textcoords="offset points",
                       fontsize="small", ha=ha, va=va, color="#222222", zorder=6.5,
                       path_effects=halo)
    # The leader apart from the name, so the name's extent is its text alone (as the figure
    # checks measure it), not the box around a diagonal line.
    leader = ax.annotate("", xy=(0, 0), xytext=(dx, dy), textcoords="offset points", zorder=6.5,
                         arrowprops={"arrowstyle": "-", "lw": 0.8, "color": "#222222"})
    ax.add_artist(_PriorNamer(ax, note, leader, radius))


class _PriorNamer(Artist):
    """Invisible, drawn just before the name, once the layout has fixed the axes (and after the
    cluster labels and gap numbers have found their places): shows the name only where the
    circles are small, in the first of PRIOR_NAME_PLACES that covers no other text or cross."""

    def __init__(self, ax: Axes, note, leader, radius: float) -> None:
        super().__init__()
        self.ax, self.note, self.leader, self.radius = ax, note, leader, radius
        self.set_zorder(6.4)
        self.set_in_layout(False)

    def draw(self, renderer) -> None:
        x0, x1 = self.ax.get_xlim()
        small = 2 * self.radius / abs(x1 - x0) < SMALL_PRIOR
        self.note.set_visible(small)
        self.leader.set_visible(small)
        if not small:
            return
        avoid = [t.get_window_extent(renderer) for t in self.ax.texts
                 if t not in (self.note, self.leader) and t.get_visible() and t.get_text()]
        for line in self.ax.lines:  # a few marked points (gap crosses), not the codes' markers
            xy = np.column_stack(line.get_data())
            if line.get_marker() not in (None, "None", "", " ") and len(xy) <= 50:
                avoid += [Bbox.from_extents(x - 6, y - 6, x + 6, y + 6)
                          for x, y in self.ax.transData.transform(xy)]
        for dx, dy, ha, va in (*PRIOR_NAME_PLACES, PRIOR_NAME_PLACES[0]):  # none free: the first
            self.note.xyann = self.leader.xyann = (dx, dy)
            self.note.set_horizontalalignment(ha)
            self.note.set_verticalalignment(va)
            box = self.note.get_window_extent(renderer)
            if not any(box.overlaps(b) for b in avoid):
                return
