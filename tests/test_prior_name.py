"""N(0, I)'s circles on a map are named only where the window makes them a dot, and the name
finds a place clear of the map's other texts (figures/prior.py)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from pipeline.stages.s5_render.figures import textcheck  # noqa: E402
from pipeline.stages.s5_render.figures.prior import prior_circles  # noqa: E402


def _name(ax):
    return next(t for t in ax.texts if t.get_text() == "N(0, I)")


def test_the_name_shows_only_where_the_circles_are_a_dot():
    fig, (wide, tight) = plt.subplots(1, 2, figsize=(8, 4), layout="constrained")
    for ax, half in ((wide, 100), (tight, 4)):
        prior_circles(ax)
        ax.set_xlim(-half, half), ax.set_ylim(-half, half)
    fig.canvas.draw()
    assert _name(wide).get_visible() and not _name(tight).get_visible()
    plt.close(fig)


def test_the_name_moves_off_a_label_in_its_first_place():
    fig, ax = plt.subplots(figsize=(4, 4), layout="constrained")
    prior_circles(ax)
    ax.set_xlim(-100, 100), ax.set_ylim(-100, 100)
    # a cluster label where the name goes first: left of and below the origin
    ax.annotate("1", xy=(0, 0), xytext=(-40, -26), textcoords="offset points", fontsize="large",
                ha="center", va="center")
    assert textcheck.text_overlaps(fig) == []
    assert _name(ax).get_horizontalalignment() == "left"  # it took another place
    plt.close(fig)
