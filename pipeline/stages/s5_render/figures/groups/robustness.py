"""Robustness across seeds and judges (issue 13): the decoded-quality map (page
generation-problem) and the spread of the key scores over the main pair's seeds and every judge:
against each model's own reconstructions (page side-by-side, where the story compares them) and
against the real images (page robustness, where the blur they mostly measure is explained)."""

from __future__ import annotations

from matplotlib.figure import Figure

from pipeline.core.sample_sets import PRIOR_SETS, SCORED_SETS
from pipeline.core.set_names import SHORT_TITLES

from .. import quality
from ..figdata import FigureData
from ..style import Layout
from .common import FigureList, has, n, pct

FIGURES = FigureList()  # filled by @FIGURES.add below, in catalogue order

realism_maps = has(lambda d: f"{d.m.main_pair['ae']}_cnn_realism" in d.inp.holes or None)


def _cap_quality(d: FigureData) -> str:
    q = d.m.main_quality_maps
    pctl = q["ae"].percentile
    return (f"Each grid cell's decode, embedded by the CNN judge: its distance to the nearest "
            f"reconstruction of a test image, over the reconstructions' typical distance to their "
            f"nearest neighbour (log colour scale; darker = less like anything the decoder draws "
            f"for a real image). Dashed green: the off-manifold threshold (the {pctl:g}th "
            f"percentile of the reconstructions' own scores); white outline: the edge of the "
            f"occupied cells; red crosses: gap points. Off-manifold: AE {pct(q['ae'].off_manifold_in_holes_fraction)} "
            f"of hole cells and {pct(q['ae'].off_manifold_in_occupied_fraction)} of occupied "
            f"cells; VAE {pct(q['vae'].off_manifold_in_holes_fraction)} and "
            f"{pct(q['vae'].off_manifold_in_occupied_fraction)} (main seed). "
            f"{HOLES_VERDICT[_holes_verdict(d)]}")


# What the quality map's main-seed shares say across every case, by the stored verdict: the
# figure is a slide, and a teacher would present one case's numbers as a result.
HOLES_VERDICT = {
    "worse": "The AE's share of off-manifold hole cells is the larger in every seed under every judge.",
    "better": "The VAE's share of off-manifold hole cells is the larger in every seed under every judge.",
    "level": "The two shares of off-manifold hole cells are level in every seed under every judge.",
    "unsettled": "Which share of off-manifold hole cells is the larger is not settled across seeds "
                 "and judges (the robustness page).",
    None: "One model has no hole cells in some case, so the shares are not compared across cases.",
}


def _holes_verdict(d: FigureData) -> str | None:
    c = d.m.robustness.comparisons.get("ae_vs_vae_off_manifold_in_holes_fraction")
    return c.verdict if c else None


@FIGURES.add("quality-map", "Decoded quality: where decodes leave the manifold",
             "generation-problem", key=True, caption=_cap_quality, ready=realism_maps, phone=True)
def _quality(d: FigureData, layout: Layout) -> Figure:
    """Two square maps of each model's latent window, the AE's and the VAE's, coloured by how far
    each point's decode lies from the decoder's reconstructions of real digits, with the edge of
    the codes, the off-manifold threshold and the gap points drawn on top."""
    h, q = d.inp.holes, d.m.main_quality_maps
    models = [{"name": name, "realism": h[f"{mid}_cnn_realism"], "counts": h[f"{mid}_counts"],
               "window": h[f"{mid}_window"], "threshold": q[name].threshold_realism,
               "gaps": h[f"{mid}_gaps"], "off_in_holes": q[name].off_manifold_in_holes_fraction,
               "off_in_occupied": q[name].off_manifold_in_occupied_fraction}
              for name, mid in d.m.main_pair.items()]
    return quality.quality_map_figure(models, layout)


REFERENCES = {"vs_recon": "FID vs own reconstructions", "vs_real": "FID vs real test images"}


def _spread_scores(d: FigureData, ref: str) -> dict[str, dict[str, list[float]]]:
    """{panel title: {set label: FID per seed}}, one panel per judge, against ``ref``; against
    the real images the reconstructions too (against themselves they have no score)."""
    e = d.m.robustness
    keys = SCORED_SETS if ref == "vs_real" else PRIOR_SETS
    return {f"{judge.upper()} judge": {SHORT_TITLES[key]: [getattr(e.per_seed[s][judge].sets[key], ref).fid
                                                           for s in e.seeds] for key in keys}
            for judge in e.judges}


def _seed_names(d: FigureData) -> tuple[str, ...]:
    """The legend's seed names; the main seed (the report lists it first), whose numbers the
    pages quote, says so."""
    names = [f"seed {s.removeprefix('seed')}" for s in d.m.robustness.seeds]
    return tuple([f"{names[0]} (main)", *names[1:]] if names else names)


def _cap_spread(d: FigureData) -> str:
    return (f"FID of each way of picking codes against the model's own reconstructions of the "
            f"test images (lower is better), for each of the {len(d.m.robustness.seeds)} seeds of "
            f"the main pair (a marker's shape names its seed; the bar spans their range), one panel "
            f"per judge. A comparison is stated on the pages only when it holds in every one of "
            f"these cases.")


def _cap_spread_real(d: FigureData) -> str:
    return (f"The sample sets and seeds of the side-by-side page's chart, and the two models' "
            f"reconstructions of the test images, scored against the real test images instead "
            f"(lower is better), one panel per judge. A 2-D decoder draws every image blurred, so "
            f"these scores mostly measure the blur: its reconstructions of real images score far "
            f"from them too (the real test images against the training images: "
            f"{n(d.m.reference.test_vs_train.fid)} under the CNN judge).")


@FIGURES.add("seed-spread", "How much the scores move between seeds and judges", "side-by-side",
             phone=True, key=False, caption=_cap_spread, ready=has(lambda d: d.m.robustness.per_seed))
def _spread(d: FigureData, layout: Layout) -> Figure:
    """Dot plots of FID against each model's own reconstructions, one per judge (a CNN and an MLP
    classifier and a PCA of the pixels): one row per way of picking codes, one marker per seed."""
    return quality.seed_spread_figure(_spread_scores(d, "vs_recon"), layout, REFERENCES["vs_recon"], _seed_names(d))


@FIGURES.add("seed-spread-real", "Scores against the real images, over seeds and judges", "robustness",
             phone=True, key=False, caption=_cap_spread_real,
             ready=has(lambda d: d.m.robustness.per_seed))
def _spread_real(d: FigureData, layout: Layout) -> Figure:
    """Dot plots of FID against the real test images, one per judge (a CNN and an MLP classifier
    and a PCA of the pixels): one row per way of picking codes and per model's reconstructions,
    one marker per seed."""
    return quality.seed_spread_figure(_spread_scores(d, "vs_real"), layout, REFERENCES["vs_real"], _seed_names(d))
