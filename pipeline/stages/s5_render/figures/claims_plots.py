"""Figures of the page "Textbook claims, tested": codes of several models side by side (the AE
variants; PCA beside the AE), digit rows (hardest digits, denoising examples) and the anomaly
score histograms. Every function returns a Figure in the house style, web or slide layout."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, NullFormatter

from pipeline.core.grids import latent_window
from pipeline.core.imaging import to_uint8, unflatten_square

from . import style
from .codes import digit_legend, scatter_codes, set_window
from .images import show_digits

# Not the AE's blue or the VAE's vermillion, which mean the two models on every other figure:
# Okabe-Ito's reddish purple and bluish green, and grey for digits turned over (still digits).
OOD_COLORS = {"test": style.MODEL_COLORS["real"], "letters": "#CC79A7",
              "upside_down": "#888888", "uniform_noise": "#009E73"}
OOD_LABELS = {"test": "test digits", "letters": "letters", "upside_down": "upside-down digits",
              "uniform_noise": "uniform noise"}


def code_panels_figure(panels: list[tuple[str, np.ndarray]], labels: np.ndarray,
                       layout: style.Layout = "web", seed: int = 0) -> Figure:
    """One square panel per (title, 2-D codes), coloured by digit, each in its own window by the
    hole maps' rule: a window around all codes let a few stray AE codes stretch a panel to
    z = -250 and shrink the clusters to a corner."""
    style.apply()
    n = len(panels)
    # Four panels in a row leave a slide's upper half empty: a slide puts them 2 × 2; a phone
    # stacks two and puts four 2 × 2.
    rows = 2 if n >= 4 else (n if layout == "phone" else 1)
    cols = -(-n // rows)
    # A square panel's height is its width: in a grid (2 × 2) the digit legend's column takes
    # its share of each panel's width, so each row is shorter than a lone row's panels.
    row_in = (10.0 if rows == 1 else 7.6) / cols + 0.9
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(rows, cols, figsize=style.figsize(layout, row_in * rows,
                                                                   (4.4 / cols + 0.7) * rows + 1.4),
                                 layout="constrained", squeeze=False)
        for ax in axes.ravel()[n:]:
            ax.set_axis_off()
        for ax, (title, z) in zip(axes.ravel(), panels):
            scatter_codes(ax, z, labels, size=1.5 if layout == "slide" else 0.6, seed=seed,
                          label_size="medium" if n >= 3 else "large")
            set_window(ax, tuple(float(v) for v in latent_window(z[:, :2])))
            ax.set_title(title, fontsize="medium")
            ax.tick_params(labelsize="small")
            ax.xaxis.set_major_locator(MaxNLocator(nbins=3))  # four panels: few, short labels
        digit_legend(fig, layout, circles=())  # no N(0, I) circles drawn here
    return fig


def digit_rows_figure(rows: list[tuple[str, np.ndarray]], layout: style.Layout = "web") -> Figure:
    """Rows of digits with a label on the left: e.g. originals, then each model's output.
    Images are flat floats [n, H·W] in [0, 1] or uint8 [n, H, W]; every row shows the same count."""
    style.apply()
    with mpl.rc_context(style.rc(layout)):
        count = len(rows[0][1]) if rows else 1
        fig, axes = plt.subplots(len(rows), 1, figsize=style.figsize(layout, 1.0 * len(rows) + 0.3,
                                                                     (4.4 / count + 0.3) * len(rows) + 0.2),
                                 layout="constrained", squeeze=False)
        for ax, (label, images) in zip(axes[:, 0], rows):
            images = unflatten_square(to_uint8(images))
            show_digits(ax, images, cols=len(images))
            if layout == "phone":  # above its row: on the left it would take a third of the width
                ax.set_title(label, loc="left", fontsize="small", pad=2)
                continue
            # A y label, not a free text: the constrained layout makes room for it (a text left
            # of the axes was cut off at the figure's edge). show_digits hides the axes, so the
            # label needs them back, without ticks or frame.
            ax.set_axis_on()
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize="small")
        # The layout makes room for the labels only from its second pass (the rows' fixed
        # aspect moves the axes in the first): run one here, so saving runs the second.
        fig.draw_without_rendering()
    return fig


def ood_histograms_figure(scores: dict[str, dict[str, np.ndarray]], auroc: dict[str, dict[str, float]],
                          titles: dict[str, str], layout: style.Layout = "web") -> Figure:
    """Per model, histograms of the anomaly score (log scale) of the test digits and of each OOD
    set, with the ROC AUC of each set in the legend."""
    style.apply()
    with mpl.rc_context(style.rc(layout)):
        # the models' panels stacked on a phone
        fig, axes = plt.subplots(*style.pair_shape(layout, len(scores)), layout="constrained",
                                 figsize=style.figsize(layout, 4.6, 4.2 * len(scores)), squeeze=False)
        for ax, (mid, sets) in zip(axes.flat, scores.items()):
            everything = np.concatenate(list(sets.values()))
            bins = np.geomspace(max(float(everything.min()), 1e-3), float(everything.max()), 60)
            for name, values in sets.items():
                label = OOD_LABELS.get(name, name)
                if name in auroc.get(mid, {}):
                    label += f" (AUC {auroc[mid][name]:.2f})"
                ax.hist(values, bins=bins, histtype="step", lw=1.6, density=True,
                        color=OOD_COLORS.get(name), label=label)
            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(NullFormatter())  # minor labels collide on short ranges
            ax.set_xlabel(titles[mid])
            # Under the panel, never on a histogram's peak.
            ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.3))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=3, prune="lower"))
        axes[0, 0].set_ylabel("density\n(per log-spaced bin)")  # one line outran short axes
    return fig
