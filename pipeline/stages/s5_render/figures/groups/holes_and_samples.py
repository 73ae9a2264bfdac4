"""Holes and what the AE's samplers draw (page generation-problem)."""

from __future__ import annotations

from matplotlib.figure import Figure

from pipeline.core.sample_sets import PRIOR_SETS

from .. import holes, samples
from ..figdata import FigureData
from ..style import Layout
from .common import FigureList, always, fid_vs_recon, main_ids, n, pct

FIGURES = FigureList()  # filled by @FIGURES.add below, in catalogue order


def _gap_models(d: FigureData) -> list[dict]:
    h = d.inp.holes
    out = []
    for name, mid in d.m.main_pair.items():
        pts = d.m.gaps[mid].points
        out.append({"name": name, "counts": h[f"{mid}_counts"], "window": h[f"{mid}_window"],
                    "holes": h[f"{mid}_holes"], "hull": h.get(f"{mid}_hull"), "gaps": h[f"{mid}_gaps"],
                    "gap_images": h[f"{mid}_gap_images"],
                    "hole_share": d.m.holes[mid].hole_fraction_hull,
                    "judge": [(p.class_, p.confidence_fraction) for p in pts]})
    return out


def _cap_holes(d: FigureData) -> str:
    g = d.cfg.analyse.grid
    ae, vae = main_ids(d)
    k_ae, k_vae = (len(d.m.gaps[m].points) for m in (ae, vae))
    gaps = (f"Red crosses: this run's gap points, the centres of the largest empty regions inside "
            f"the codes' hull ({k_ae} for the AE, {k_vae} for the VAE), decoded with each map."
            if k_ae + k_vae else "No empty region inside the codes' hull was large enough to give "
            "a gap point in this run.")
    return (f"Density of the training codes on a {g}×{g} grid over each model's window (log "
            f"colour scale); pale red cells hold no code. Inside the hull of the codes, "
            f"{pct(d.m.holes[ae].hole_fraction_hull)} of the AE's cells are empty and "
            f"{pct(d.m.holes[vae].hole_fraction_hull)} of the VAE's. Dashed: N(0, I)'s 1σ, 2σ "
            f"and 3σ circles (named where the map's scale makes them a dot). {gaps}")


@FIGURES.add("holes", "Holes: code density, empty cells and gap points", "generation-problem",
             key=True, caption=_cap_holes, ready=always, phone=True)
def _holes(d: FigureData, layout: Layout) -> Figure:
    """Two density maps of latent codes, the AE's and the VAE's, with empty cells shaded pale
    red and red crosses at the centres of the largest empty regions; with each map, the digits
    decoded at those crosses, numbered as the crosses are."""
    return holes.hole_map_figure(_gap_models(d), layout)


def _cap_gap_decodes(d: FigureData) -> str:
    parts = []
    for role, mid in d.m.main_pair.items():
        name = role.upper()
        k = len(d.m.gaps[mid].points)
        conf = d.m.gaps[mid].confidence_mean_fraction
        parts.append(f"{name}: {k} gap points, mean judge confidence {pct(conf)}" if k and conf is not None
                     else f"{name}: no gap point in this run")
    return (f"What each decoder draws at the gap points marked on the hole map. Under each "
            f"digit, from the top: its coordinates z₁ and z₂ (whole units from 10 on), then the "
            f"judge's class and its confidence. {'; '.join(parts)}.")


@FIGURES.add("gap-decodes", "What the decoders draw at the gap points", "generation-problem",
             key=False, caption=_cap_gap_decodes, ready=always, phone=True)
def _gap_decodes(d: FigureData, layout: Layout) -> Figure:
    """Two rows of digits decoded at the gap points: AE above, VAE below, each numbered, with
    coordinates and the judge's class."""
    return holes.gap_decodes_figure(_gap_models(d), layout)


def _cap_prior(d: FigureData) -> str:
    # "title: number" joined by semicolons: the titles hold commas ("AE, z ~ N(0, I)")
    fids = "; ".join(f"{samples.SET_TITLES[s]}: {n(d.m.samples[s].fid)}" for s in PRIOR_SETS)
    # no count: the page, a phone and a slide show 64, 36 and 24 of them
    shown = ("FID against its own model's reconstructions of the test images, the score the "
             "verdicts compare (main seed, CNN judge), so that a decoder's blur is not "
             "counted against the way its codes were sampled" if fid_vs_recon(d) else
             "FID against the real test images")
    return (f"The first decodes of each sample set, in draw order (not picked). Under each title: "
            f"{shown}; lower is closer. FID compares whole sets: a set scores badly when its "
            f"images are blurred, and also when it draws some classes far more often than others. "
            f"Against the real test images, a score that mostly measures the blur (main seed, "
            f"CNN judge): {fids}; real test vs training images: "
            f"{n(d.m.reference.test_vs_train.fid)}.")


@FIGURES.add("prior-samples", "Samples: AE with four samplers, VAE from its prior", "generation-problem",
             phone=True, key=True, caption=_cap_prior, ready=always)
def _prior(d: FigureData, layout: Layout) -> Figure:
    """Five grids of decoded digits: the AE's samples from N(0, I), from the box of its codes, from
    a fitted Gaussian and from a fitted mixture, and the VAE's samples from N(0, I); under each
    title its FID against its own model's reconstructions (or, without those, the real images)."""
    sets = {s: d.sample_images(s) for s in PRIOR_SETS}
    own = fid_vs_recon(d)
    fid = own or {s: d.m.samples[s].fid for s in sets}
    # named as the scores chart names it: the deck shows both, and "FID 186" beside "FID 481"
    # (against the real images) read as two answers to one question; a phone's narrow grids
    # shorten it (the caption says which recons)
    name = ("FID vs own recons" if layout != "phone" else "FID vs recons") if own else "FID"
    notes = {s: f"{name} {n(fid[s])}" for s in sets}
    titles = {"ae_gmm": "AE, GMM fitted to its codes"}  # its size: the side-by-side page
    return samples.sample_grids_figure(sets, notes, cols=8, layout=layout, titles=titles)
