"""Numbers as charts: sample-set scores against the real-data floor, the judge's class balance,
and the training curves."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from pipeline.core.set_names import SHORT_TITLES

from . import style
from .samples import SET_TITLES, set_color


def scores_figure(scores: dict[str, dict[str, float]], reference: dict[str, float] | None,
                  metrics: list[tuple[str, str, str]], layout: style.Layout = "web") -> Figure:
    """Horizontal bars, one panel per metric, one bar per sample set (same order everywhere).
    ``metrics``: (key, axis label, 'lower'/'higher' is better). ``reference`` holds the real
    test images' scores against the training images: a reference (not a ceiling: precision
    rewards typical samples, and real test digits include odd ones)."""
    names = list(scores)
    y = np.arange(len(names))[::-1]
    with mpl.rc_context(style.rc(layout)):
        # A phone: two rows of two panels (four side by side leave each under an inch).
        rows = 2 if layout == "phone" and len(metrics) > 2 else 1
        cols = -(-len(metrics) // rows)
        height = 0.9 + 0.42 * len(names)
        fig, axes = plt.subplots(rows, cols, figsize=style.figsize(layout, height, rows * 0.75 * height),
                                 layout="constrained", sharey=True, squeeze=False)
        for ax, metric in zip(axes.flat, metrics):
            _score_panel(ax, metric, scores, reference, layout)
        for ax in axes.flat[len(metrics):]:  # five panels in a phone's rows of three
            ax.set_visible(False)
        for ax in axes[:, 0]:
            ax.set_yticks(y, [_set_title(n, layout) for n in names])
    return fig


def _score_panel(ax, metric: tuple[str, str, str], scores: dict[str, dict[str, float]],
                 reference: dict[str, float] | None, layout: style.Layout) -> None:
    """One metric's panel of scores_figure: a bar per sample set (top to bottom in ``scores``'
    order), the real images' reference line, the metric's name and which way is better."""
    key, label, better = metric
    names = list(scores)
    y = np.arange(len(names))[::-1]
    # Fractions are shown in %, on a fixed 0..100 axis.
    unit = 100.0 if key.endswith("_fraction") else 1.0
    vals = np.array([scores[n].get(key, np.nan) for n in names], float) * unit
    floor = reference.get(key) * unit if reference and reference.get(key) is not None else None
    ax.barh(y, vals, color=[set_color(n) for n in names], height=0.7)
    for yi, v in zip(y, vals):
        if np.isfinite(v):
            ax.text(v, yi, f" {v:.0f}%" if unit > 1 else f" {v:.3g}", va="center",
                    ha="left", fontsize="small")
    if floor is not None:
        ax.axvline(floor, color="#000000", ls="--", lw=1.2, gid="real images (reference)")
        # Real test images against training images: a reference, not a ceiling (a set of
        # typical, smooth samples can out-score real digits on precision).
        right = floor > 0.6 * (118 if unit > 1 else 1.3 * np.nanmax(np.append(vals, floor)))
        ax.text(floor, y.max() + 0.5, "real images " if right else " real images",
                ha="right" if right else "left", va="bottom", fontsize="small")
    # The metric's name, and under it in small grey type which way is better: the title
    # is raised by the note's height (a blank title line left the two texts overlapping).
    note = ax.annotate(f"{better} is better", (0.5, 1.0), xycoords="axes fraction",
                       xytext=(0, 3), textcoords="offset points", ha="center",
                       va="bottom", fontsize="small", color="#555555")
    if len(label) > 10:  # four narrow panels side by side
        label = label.replace(" ", "\n", 1)
    ax.set_title(label, fontsize="medium", pad=6 + 1.3 * note.get_fontsize())
    top = np.nanmax(np.append(vals, floor if floor is not None else np.nan))
    ax.set_xlim(0, 118 if unit > 1 else (1.3 * top if np.isfinite(top) and top > 0 else 1))
    if unit == 1.0:  # scores in the hundreds: "0 200400600" ran together on a slide
        style.few_ticks(ax, nbins=2 if layout == "phone" else 3, axis="x")
    # a phone's larger text needs a row's room above the bars for "real images"
    ax.set_ylim(-0.6, len(names) + (0.5 if layout == "phone" else -0.1))
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _set_title(name: str, layout: style.Layout) -> str:
    """A sample set's label: its short one on a phone, where the labels share 4.4 in with the bars."""
    if layout == "phone":
        return {**SHORT_TITLES, "real": "real images"}.get(name, name)
    return SET_TITLES.get(name, name)


def class_balance_figure(hists: dict[str, np.ndarray], layout: style.Layout = "web") -> Figure:
    """Share of each sample set the judge puts in each class (%), as a table-like heat map.
    ``hists``: per set, one fraction per class (``class_hist_fraction`` of the metrics, summing
    to 1). A balanced generator gives each class the same share; a collapsed one lights up one
    column."""
    names = list(hists)
    share = np.array([np.asarray(hists[n], dtype=float) for n in names]) * 100
    if share.ndim != 2 or not np.allclose(share.sum(1), 100, atol=1.0):
        raise ValueError("class_balance_figure wants class fractions summing to 1 per set (one "
                         "per class)")
    with mpl.rc_context(style.rc(layout)):
        fig, ax = plt.subplots(figsize=style.figsize(layout, 1.2 + 0.45 * len(names),
                                                     1.6 + 0.3 * len(names)), layout="constrained")
        im = ax.imshow(share, cmap="Blues", vmin=0, vmax=max(30.0, float(share.max())), aspect="auto")
        for (i, j), v in np.ndenumerate(share):
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize="small",
                    color="white" if v > 0.6 * im.norm.vmax else "#222222")
        ax.set_xticks(range(share.shape[1]), [str(d) for d in range(share.shape[1])])
        for t, c in zip(ax.get_xticklabels(), style.DIGIT_TEXT_COLORS):
            t.set_color(c)
            t.set_fontweight("bold")
        ax.set_yticks(range(len(names)), [_set_title(n, layout) for n in names])
        ax.set_xlabel("class the judge assigns")
        ax.tick_params(length=0)
        for s in ax.spines.values():
            s.set_visible(False)
        phone = layout == "phone"
        fig.colorbar(im, ax=ax, shrink=0.9, location="bottom" if phone else "right",
                     label=f"% of the set{chr(10) if phone else ' '}({100 / share.shape[1]:.0f}% = balanced)")
    return fig


def training_curves_figure(histories: dict[str, list[dict]], layout: style.Layout = "web") -> Figure:
    """Per epoch, train (solid) and test (dashed), nats per image: the AE's loss, the VAE's
    reconstruction term (same units as the AE's loss, so they share a panel) and its KL."""
    with mpl.rc_context(style.rc(layout)):
        fig, axes = plt.subplots(*style.pair_shape(layout), figsize=style.figsize(layout, 4.0, 6.6),
                                 layout="constrained")
        for name, hist in histories.items():
            ep = [h["epoch"] for h in hist]
            color = style.MODEL_COLORS[name]
            for split, ls in (("train", "-"), ("test", "--")):
                rec = [h[split].get("rec", h[split].get("loss")) for h in hist]
                axes[0].plot(ep, rec, ls=ls, color=color, marker="o", ms=3,
                             label=f"{style.MODEL_LABELS[name]} {split}")
                if name == "vae" and "kl" in hist[0][split]:
                    axes[1].plot(ep, [h[split]["kl"] for h in hist], ls=ls, color=color,
                                 marker="o", ms=3, label=f"VAE {split}")
        axes[0].set_title("reconstruction (BCE, nats per image)")
        axes[1].set_title("VAE: KL to N(0, I) (nats per image)")
        for ax in axes:
            ax.set_xlabel("epoch")
            ax.legend(fontsize="small")
            ax.xaxis.get_major_locator().set_params(integer=True)
    return fig
