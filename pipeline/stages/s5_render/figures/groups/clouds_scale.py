"""Clouds at their scale and holes against a baseline (issue 24 items 4, 5): the VAE's clouds
zoomed to true size and its aggregate posterior (page vaes), the excess holes of both models
(page generation-problem). Captions print the report's numbers (``holes_excess``, ``clouds``)."""

from __future__ import annotations

from matplotlib.figure import Figure

from pipeline.core.report import BaselineHoles

from .. import clouds_scale
from ..figdata import FigureData
from ..style import Layout
from .common import FigureList, always, n, pct

FIGURES = FigureList()  # filled by @FIGURES.add below, in catalogue order


def _cap_zoom(d: FigureData) -> str:
    c = d.m.clouds
    return (f"First: μ of every training image of the VAE, with the N(0, I) circles (dashed: 1, "
            f"2, 3σ); then the black box at true scale, each cloud q(z|x) as its 1σ "
            f"ellipse in its digit's colour. Median σ is {n(c.sigma_median_x, 3)} × "
            f"{n(c.sigma_median_y, 3)}, and the median distance from a μ to the nearest other μ "
            f"is {n(c.nearest_centre_median, 3)}. A typical cloud's 1σ ellipse overlaps "
            f"{n(c.overlap_count_median, 0)} other training clouds (median over {c.n_clouds:,} "
            f"sampled clouds; quartiles {n(c.overlap_count_q1, 0)} and "
            f"{n(c.overlap_count_q3, 0)}). Of {c.n_draws:,} draws from N(0, I), "
            f"{pct(c.prior_mass_within_2sigma_fraction, 1)} lie within 2σ of at least one "
            f"training cloud.")


@FIGURES.add("clouds-zoom", "At true size, the VAE's clouds overlap",
             "vaes", phone=True, key=True, caption=_cap_zoom, ready=always)
def _clouds_zoom(d: FigureData, layout: Layout) -> Figure:
    """The VAE's training means as a grey cloud with the standard normal's circles and a small
    black box near the centre; then that box enlarged to true scale, where hundreds of
    translucent coloured ellipses, one standard deviation wide, lie on top of one another."""
    mid = d.m.clouds.model
    return clouds_scale.clouds_zoom_figure(d.vae["train_z"], d.vae["train_logvar"], d.labels,
                                           d.window(mid), d.m.clouds.overlap_count_median, layout)


def _cap_aggregate(d: FigureData) -> str:
    c, g = d.m.clouds, d.cfg.analyse.grid
    return (f"First: the aggregate posterior q(z), the average of the VAE's training clouds "
            f"N(μ, σ²), as its exact probability per cell of a {g}×{g} grid over a square holding "
            f"the VAE's window and N(0, I) out to 3.5σ, shown as density; then N(0, I) on the same "
            f"grid and (square-root) colour scale, with its 1, 2, 3σ circles on both. Total "
            f"variation between the two: {pct(c.aggregate_vs_prior_tv_fraction, 0)} (0 % = the "
            f"same distribution, 100 % = no common mass). Sampling the VAE draws from the N(0, I) "
            f"map; its decoder was trained on codes from the mixture's.")


@FIGURES.add("aggregate-posterior", "All the VAE's clouds together, beside the prior it samples from",
             "vaes", key=False, caption=_cap_aggregate, ready=always, phone=True)
def _aggregate(d: FigureData, layout: Layout) -> Figure:
    """Two square density maps on one colour scale: first the mixture of all the VAE's training
    clouds, then the standard normal prior; dashed circles at one, two and three standard
    deviations on both."""
    mid = d.m.clouds.model
    h = d.inp.holes
    window = tuple(float(v) for v in h[f"{mid}_aggregate_window"])
    return clouds_scale.aggregate_figure(h[f"{mid}_aggregate_mass"], h[f"{mid}_prior_mass"],
                                         window, layout)


def _excess_models(d: FigureData) -> list[dict]:
    h, out = d.inp.holes, []
    for name, mid in d.m.main_pair.items():
        e = d.m.holes_excess[mid]
        out.append({"name": name, "counts": h[f"{mid}_counts"], "window": h[f"{mid}_window"],
                    "holes": h[f"{mid}_holes"], "hull": h[f"{mid}_hull"],
                    "excess": h[f"{mid}_excess_cells"], "radius": e.prior_radius,
                    "gaps": h[f"{mid}_excess_gaps"], "gap_images": h[f"{mid}_excess_gap_images"],
                    "empty_vs_gauss": _empty_vs_gauss(e.baselines["gauss"])})
    return out


def _empty_vs_gauss(b: BaselineHoles) -> str:
    """A panel's title: its empty hull cells beside the fitted Gaussian's, the two numbers whose
    difference is the excess (the caption's and the deck notes')."""
    return (f"{pct(b.hole_fraction_hull)} of hull cells empty,\n"
            f"{pct(b.baseline_hole_fraction_hull)} for a fitted Gaussian")


def _baseline_words(name: str, mid: str, d: FigureData) -> str:
    """One model's empty hull cells against a Gaussian fitted to its codes; the draws' range and
    the N(0, I) baseline are in the page's "How we measured"."""
    b = d.m.holes_excess[mid].baselines["gauss"]
    return (f"{name}: {pct(b.hole_fraction_hull)} of the hull cells hold no code, against "
            f"{pct(b.baseline_hole_fraction_hull)} for equal-size samples of a Gaussian fitted to "
            f"its codes, {n(100 * b.excess_hole_fraction_hull, 0)} percentage points more (the "
            f"excess).")


def _cap_excess(d: FigureData) -> str:
    roles = d.m.main_pair
    k = {r: len(d.m.holes_excess[mid].gaps.points) for r, mid in roles.items()}
    gaps = " and ".join(f"{k[r]} for the {r.upper()}" for r in roles)
    return (" ".join(_baseline_words(r.upper(), mid, d) for r, mid in roles.items())
            + " Orange: the excess holes, the cells empty here but filled in most of the "
            "Gaussian's samples; pale red: the other empty cells inside the hull (a cell the "
            "Gaussian fills in fewer than half of its samples is pale red, so the orange area "
            f"is not the excess itself). Red crosses: gap points among the excess "
            f"holes inside N(0, I)'s 3σ circle (dashed), where prior samples land ({gaps}), "
            "decoded below.")


@FIGURES.add("excess-holes", "Excess holes: cells a fitted Gaussian fills",
             "generation-problem", key=True, caption=_cap_excess, ready=always, phone=True)
def _excess(d: FigureData, layout: Layout) -> Figure:
    """Two density maps of latent codes, the AE's and the VAE's: empty cells a fitted Gaussian would
    fill in orange, other empty cells pale red, a dashed circle for the prior's three standard
    deviations, red crosses at gap points inside it, and the digits decoded there below each map."""
    return clouds_scale.excess_holes_figure(_excess_models(d), layout)
