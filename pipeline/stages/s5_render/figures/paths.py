"""Interpolations: AE vs VAE frames along straight lines between the same two test images, with
the judge's class and confidence under every frame."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from pipeline.core.sample_sets import PATH_TITLES

from . import style
from .images import cell_centre, show_digits


def interpolation_figure(paths: dict[str, np.ndarray], pairs: list[int], kinds: list[str],
                         pair_labels: list[str], layout: style.Layout = "web") -> Figure:
    """For each chosen pair, one strip per path kind. Under each frame: the judge's class
    (in that digit's colour) and its confidence in %. ``paths`` follows paths.npz."""
    steps = paths[f"{kinds[0]}_frames"].shape[1]
    rows = len(pairs) * len(kinds)
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(rows, 1, figsize=style.figsize(layout, 0.5 + rows * (10 / steps) * 1.55),
                                 layout="constrained", squeeze=False)
        fs = "x-small" if layout == "web" else "small"
        for r, (p, kind) in enumerate((p, k) for p in pairs for k in kinds):
            ax = axes[r, 0]
            show_digits(ax, paths[f"{kind}_frames"][p], cols=steps)
            cls, conf = paths[f"{kind}_class"][p], paths[f"{kind}_confidence"][p]
            for i in range(steps):
                x, y = cell_centre(i, steps)
                ax.text(x, y + 15.5, f"{int(cls[i])}", ha="right", va="top", weight="bold",
                        color=style.DIGIT_COLORS[int(cls[i]) % len(style.DIGIT_COLORS)], fontsize=fs)
                ax.text(x + 1, y + 15.5, f"{100 * float(conf[i]):.0f}%", ha="left", va="top",
                        fontsize=fs, color="#333333")
            ax.set_ylim(paths[f"{kind}_frames"].shape[-2] + 10, -0.5)
            name = kind.split("_")[0]
            prefix = f"{pair_labels[pairs.index(p)]}   " if kind == kinds[0] else ""
            ax.set_title(f"{prefix}{PATH_TITLES.get(kind, kind)}", loc="left",
                         color=style.MODEL_COLORS.get(name, "#000000"), fontsize="medium")
        note = "under each frame: the judge's class and confidence"
        if layout == "slide":  # on a slide's larger type it would run into the first title
            fig.supxlabel(note, fontsize="small", color="#555555")
        else:
            axes[0, 0].set_title(note, loc="right", fontsize="small", color="#555555")
    return fig
