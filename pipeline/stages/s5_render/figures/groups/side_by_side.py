"""The two models side by side: scores, class balance, manifolds, interpolations (page side-by-side)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from pipeline.core.sample_sets import PRIOR_SETS, SCORED_SETS

from .. import metrics_plots, paths, samples
from pipeline.core.report import dump

from ..figdata import MANIFOLD_N, FigureData
from ..style import Layout
from .common import FigureList, always, fid_vs_recon, n, path_strips, pct

FIGURES = FigureList()  # filled by @FIGURES.add below, in catalogue order


# Why the chart looks as it does: precision above the "real" line, recall near zero (improved
# precision and recall, Kynkäänniemi et al. 2019, with k-NN balls in the judge's features).
SCORES_NOTE = ("Precision asks how many samples land among real digits; smooth, typical decodes "
               "land in the dense middle of each class, so a sampler can beat real images, whose "
               "odd ones sit at the edges. Recall asks how many real digits land among the "
               "samples; blurry decodes crowd into a small region of the judge's features, so few "
               "real digits fall near them and recall is near zero.")


def _cap_scores(d: FigureData) -> str:
    ref = d.m.reference.test_vs_train
    if fid_vs_recon(d):
        lead = ("First, the score the verdicts compare: FID against the set's own model's "
                "reconstructions of the test images (main seed, CNN judge; lower is closer), so "
                "a decoder's blur is not counted against its sampler. Then each sample set "
                f"against the {n(ref.n, 0)} real test images, in the judge's feature space: FID, "
                "improved precision and recall (k-NN manifolds, Kynkäänniemi et al. 2019). ")
    else:
        lead = (f"Each sample set scored in the judge's feature space against the {n(ref.n, 0)} "
                "test images: FID (lower is better), improved precision and recall (k-NN "
                "manifolds, Kynkäänniemi et al. 2019) and the judge's mean confidence. ")
    return (f"{lead}"
            f"Dashed line: real test images against as many training images (FID {n(ref.fid)}, "
            f"precision {pct(ref.precision_fraction)}, recall {pct(ref.recall_fraction)}), a "
            f"reference, not a ceiling. {SCORES_NOTE}")


@FIGURES.add("sample-scores", "Sample sets scored by the judge", "side-by-side",
             key=True, caption=_cap_scores, ready=always, phone=True)
def _scores(d: FigureData, layout: Layout) -> Figure:
    """Horizontal bar charts for each sample set: FID against its own model's reconstructions,
    FID against the real test images, precision and recall, with a dashed line for real data."""
    s = {k: dump(d.m.samples[k]) for k in SCORED_SETS}
    ref = dump(d.m.reference.test_vs_train)
    own = fid_vs_recon(d)
    against_real = [("precision_fraction", "precision", "higher"), ("recall_fraction", "recall", "higher")]
    if own:
        # First the score the verdicts compare (a reconstruction set has none); four panels
        # are all a page's width holds, so the judge's confidence (in the pages' sentences
        # and the report) gives way.
        for k in s:
            s[k]["fid_vs_recon"] = own.get(k)
        metrics = [("fid_vs_recon", "FID vs own recons", "lower"), ("fid", "FID vs real", "lower"),
                   *against_real]
    else:
        metrics = [("fid", "FID", "lower"), *against_real,
                   ("confidence_mean_fraction", "judge confidence", "higher")]
    return metrics_plots.scores_figure(s, ref, metrics, layout)


def _cap_balance(d: FigureData) -> str:
    tv = "; ".join(f"{samples.SET_TITLES[s]}: {pct(d.m.samples[s].class_tv_from_uniform_fraction)}"
                   for s in PRIOR_SETS)
    return (f"Share of each set that the judge assigns to each digit (%). Real data sit near 10% "
            f"per digit; a generator that favours a few digits shows bright columns. Distance from "
            f"a uniform histogram (total variation): {tv}.")


@FIGURES.add("class-balance", "Which digits each sampler produces", "side-by-side",
             key=False, caption=_cap_balance, ready=always, phone=True)
def _balance(d: FigureData, layout: Layout) -> Figure:
    """Heat map of the share of each sample set assigned to each digit class."""
    hists = {k: np.array(d.m.samples[k].class_hist_fraction) for k in SCORED_SETS}
    ref = d.m.reference.test_vs_train.class_hist_fraction
    if ref:
        hists["real"] = np.array(ref)
    return metrics_plots.class_balance_figure(hists, layout)


def _cap_manifold(d: FigureData) -> str:
    return (f"Decoder output on a {MANIFOLD_N}×{MANIFOLD_N} grid of latent points. Top: a regular "
            f"grid over each model's window (the window of the hole map). Bottom: the grid laid "
            f"through the inverse CDF of N(0, I), as in Kingma & Welling (2014, fig. 4), so every "
            f"cell holds the same prior mass; for the AE this covers only the prior's small patch "
            f"of its much larger code space.{_coarser_note()}")


def _coarser_note() -> str:
    """What a slide and a phone show of the grid, when they thin it."""
    step = samples.manifold_step(MANIFOLD_N, "slide")
    k = -(-MANIFOLD_N // step)
    return f" A slide or a phone shows every other row and column ({k}×{k})." if step > 1 else ""


@FIGURES.add("manifold", "Decoded manifolds: linear and inverse-CDF grids", "side-by-side",
             key=True, caption=_cap_manifold, ready=always, phone=True)
def _manifold(d: FigureData, layout: Layout) -> Figure:
    """Four grids of decoded digits laid out by latent coordinate: AE and VAE over their windows,
    and AE and VAE over a grid of equal prior mass."""
    panels = []
    for kind, what in (("linear", "linear grid over its window"), ("icdf", "Φ⁻¹ grid (equal prior mass)")):
        for name, mid in d.m.main_pair.items():
            g = d.manifold(mid, kind)
            panels.append({"name": name, "title": f"{name.upper()}: {what}", **g})
    return samples.manifold_figure(panels, MANIFOLD_N, layout=layout)


def _cap_strips(d: FigureData) -> str:
    p = d.m.paths
    s = p.summary
    return (f"Straight-line paths between the codes of two test images, decoded in "
            f"{p.n_steps} steps by the AE and the VAE; under each frame the "
            f"judge's class and confidence. Over all {len(p.pairs)} pairs, "
            f"{pct(s['ae_linear'].steps_in_holes_fraction)} of the AE's steps fall in holes "
            f"(VAE {pct(s['vae_linear'].steps_in_holes_fraction)}); mean judge confidence AE "
            f"{pct(s['ae_linear'].confidence_mean_fraction)}, VAE "
            f"{pct(s['vae_linear'].confidence_mean_fraction)}.")


@FIGURES.add("interpolation-strips", "Interpolations: AE vs VAE, judged frame by frame", "side-by-side",
             key=True, caption=_cap_strips, ready=path_strips, phone=True)
def _strips(d: FigureData, layout: Layout) -> Figure:
    """Strips of digits morphing from one digit to another, AE above VAE for each pair, with the
    judge's predicted class and confidence printed under every frame."""
    # the page shows three pairs; a slide has room for one at a readable frame size (paths.py)
    pairs = d.strip_pairs
    return paths.interpolation_figure(d.inp.paths, pairs, ["ae_linear", "vae_linear"],
                                      [d.pair_label(i) for i in pairs], layout)
