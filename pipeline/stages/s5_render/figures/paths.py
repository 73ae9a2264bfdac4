"""Interpolations: AE vs VAE frames along straight lines between the same two test images, with
the judge's class and confidence under every frame."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from pipeline.core.palette import text_color
from pipeline.core.set_names import PATH_TITLES

from . import style
from .images import cell_centre, show_digits


PHONE_FRAMES = 8


def interpolation_figure(paths: dict[str, np.ndarray], pairs: list[int], kinds: list[str],
                         pair_labels: list[str], layout: style.Layout = "web") -> Figure:
    """For each chosen pair, one strip per path kind. Under each frame: the judge's class
    (in that digit's colour) and its confidence in %. ``paths`` follows paths.npz."""
    total = paths[f"{kinds[0]}_frames"].shape[1]
    if layout == "slide":  # one pair: frames large enough for a class and a % under each
        pairs, pair_labels = pairs[:1], pair_labels[:1]
    # A phone shows at most PHONE_FRAMES of them, first and last included: sixteen across 4.4 in
    # leave no room for a class and a % under each.
    shown = np.unique(np.linspace(0, total - 1, min(total, PHONE_FRAMES)).round().astype(int)) \
        if layout == "phone" else np.arange(total)
    steps = len(shown)
    rows = len(pairs) * len(kinds)
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(rows, 1, figsize=style.figsize(layout, 0.5 + rows * (10 / steps) * 1.8,
                                                                0.6 + rows * (4.4 / steps) * 1.9),
                                 layout="constrained", squeeze=False)
        fs = "small"
        # On the web, 16 frames to 7.5 in: "100%" under each ran into the next ("100%100%"), so
        # the note above the strips gives the unit once.
        unit = "%" if layout == "slide" else ""
        line_pt = mpl.font_manager.FontProperties(size=fs).get_size_in_points() * 1.15
        for r, (p, kind) in enumerate((p, k) for p in pairs for k in kinds):
            ax = axes[r, 0]
            show_digits(ax, paths[f"{kind}_frames"][p][shown], cols=steps)
            cls, conf = paths[f"{kind}_class"][p][shown], paths[f"{kind}_confidence"][p][shown]
            for i in range(steps):
                x, y = cell_centre(i, steps)
                # Class above confidence, never side by side: "4" and "100%" read as "4100%".
                ax.text(x, y + 14.5, f"{int(cls[i])}", ha="center", va="top", weight="bold",
                        color=text_color(style.DIGIT_COLORS[int(cls[i]) % len(style.DIGIT_COLORS)]), fontsize=fs)
                ax.annotate(f"{100 * float(conf[i]):.0f}{unit}", (x, y + 14.5), xytext=(0, -line_pt),
                            textcoords="offset points", ha="center", va="top", fontsize=fs,
                            color="#333333")
            ax.set_ylim(paths[f"{kind}_frames"].shape[-2] + 17, -0.5)  # room for two lines under each frame
            name = kind.split("_")[0]
            prefix = f"{pair_labels[pairs.index(p)]}   " if kind == kinds[0] else ""
            ax.set_title(f"{prefix}{PATH_TITLES.get(kind, kind)}", loc="left",
                         color=style.MODEL_COLORS.get(name, "#000000"), fontsize="medium")
        if layout == "web":  # a slide leaves it to the speaker notes (it ran into the titles)
            fig.suptitle("under each frame: the judge's class and its confidence in %",
                         fontsize="small", color="#555555", x=0.99, ha="right")
        elif layout == "phone":
            which = f"{steps} of the {total} frames; under each" if steps < total else "under each frame"
            fig.suptitle(f"{which}: the judge's\nclass and its confidence in %", fontsize="small",
                         color="#555555")
    return fig
