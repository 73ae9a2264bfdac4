"""Every figure of the run: stable id, title, page, key flag, how to draw it, and its caption and
alt text written from this run's numbers (a caption never states a number the run did not give).

Ids are stable file names and the site's references (``figure("holes")`` in site_src/pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from matplotlib.figure import Figure

from . import architecture, codes, holes, metrics_plots, paths, samples
from .figdata import CLOUD_SAMPLE, MANIFOLD_N, FigureData, get
from .style import Layout

SCORED_SETS = ("ae_prior", "ae_box", "ae_gauss", "ae_gmm", "vae_prior", "ae_recon", "vae_recon")
PRIOR_SETS = ("ae_prior", "ae_box", "ae_gauss", "ae_gmm", "vae_prior")


@dataclass(frozen=True)
class FigureSpec:
    id: str
    title: str
    page: str  # site page slug (site_src/pages/<page>.md.j2)
    key: bool  # a main figure: gets a 16:9 slide variant and a page in the deck
    build: Callable[[FigureData, Layout], Figure]
    caption: Callable[[FigureData], str]
    alt: Callable[[FigureData], str]
    ready: Callable[[FigureData], bool] = lambda d: True  # inputs present (else left out)


def n(x: float | None, digits: int = 1) -> str:
    return "n/a" if x is None else f"{x:,.{digits}f}"


def pct(x: float | None, digits: int = 0) -> str:
    return "n/a" if x is None else f"{100 * x:.{digits}f}%"


def spread(z: np.ndarray) -> str:
    lo, hi = np.percentile(z[:, :2], [0.5, 99.5], axis=0)
    return f"z₁ {lo[0]:.1f} to {hi[0]:.1f}, z₂ {lo[1]:.1f} to {hi[1]:.1f}"


# ----------------------------------------------------------------------------------- builders

def _architecture(d: FigureData, layout: Layout) -> Figure:
    t = d.cfg.train
    r = d.recon
    imgs = {"input": r["input"][0], "ae": r["ae"][0], "vae": r["vae"][0]} if r else None
    return architecture.architecture_figure(t.body, t.hidden, t.latent_dim, imgs, layout)


def _recon(d: FigureData, layout: Layout) -> Figure:
    r = d.recon
    notes = {"ae": f"test BCE {n(d.model_test('ae2').get('bce'))} nats/image",
             "vae": f"test BCE {n(d.model_test('vae2').get('bce'))} nats/image"}
    return samples.reconstructions_figure(r["input"], r["ae"], r["vae"], notes, layout)


def _codes(same: bool) -> Callable[[FigureData, Layout], Figure]:
    def build(d: FigureData, layout: Layout) -> Figure:
        # The analyse stage's windows (those of the hole maps and the tiles), when present.
        windows = (d.window("ae2"), d.window("vae2")) if d.window("ae2") and d.window("vae2") else None
        return codes.codes_figure(d.ae["train_z"], d.vae["train_z"], d.labels, windows, same,
                                  layout, d.seed)
    return build


def _codes_ae(d: FigureData, layout: Layout) -> Figure:
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from . import style
    z = d.ae["train_z"]
    with mpl.rc_context(style.rc(layout)):
        fig, ax = plt.subplots(figsize=style.figsize(layout, 6.4), layout="constrained")
        codes.scatter_codes(ax, z, d.labels, size=1.2, seed=d.seed)
        codes.prior_circles(ax)
        codes.set_window(ax, d.window("ae2") or codes.code_window(z))
        ax.set_title(f"AE: the codes z of {len(z):,} training images", color=style.MODEL_COLORS["ae"])
        ax.legend(loc="upper right", fontsize="small")
        codes.digit_legend(fig, layout)
    return fig


def _gap_models(d: FigureData) -> list[dict]:
    h = d.inp.holes
    out = []
    for mid, name in (("ae2", "ae"), ("vae2", "vae")):
        pts = get(d.m, f"gaps.{mid}.points", []) or []
        out.append({"name": name, "counts": h[f"{mid}_counts"], "window": h[f"{mid}_window"],
                    "holes": h[f"{mid}_holes"], "hull": h.get(f"{mid}_hull"), "gaps": h[f"{mid}_gaps"],
                    "gap_images": h[f"{mid}_gap_images"],
                    "hole_share": get(d.m, f"holes.{mid}.hole_fraction_hull"),
                    "judge": [(p.get("class"), p.get("confidence_fraction")) for p in pts]})
    return out


def _holes(d: FigureData, layout: Layout) -> Figure:
    return holes.hole_map_figure(_gap_models(d), layout)


def _gap_decodes(d: FigureData, layout: Layout) -> Figure:
    return holes.gap_decodes_figure(_gap_models(d), layout)


def _prior(d: FigureData, layout: Layout) -> Figure:
    sets = {s: d.sample_images(s) for s in PRIOR_SETS if d.sample_images(s) is not None}
    notes = {s: f"FID {n(get(d.m, f'samples.{s}.fid'))}" for s in sets if get(d.m, f"samples.{s}.fid") is not None}
    k = get(d.m, "samples.ae_gmm.components")
    titles = {"ae_gmm": f"AE, GMM-{k} fitted to codes"} if k else None
    return samples.sample_grids_figure(sets, notes, cols=8, layout=layout, titles=titles)


def _manifold(d: FigureData, layout: Layout) -> Figure:
    panels = []
    for kind, what in (("linear", "linear grid over its window"), ("icdf", "Φ⁻¹ grid (equal prior mass)")):
        for mid, name in (("ae2", "ae"), ("vae2", "vae")):
            g = d.manifold(mid, kind)
            panels.append({"name": name, "title": f"{name.upper()}: {what}", **g})
    return samples.manifold_figure(panels, MANIFOLD_N, layout=layout)


def _clouds(d: FigureData, layout: Layout) -> Figure:
    return codes.clouds_figure(d.vae["train_z"], d.vae["train_logvar"], d.labels, CLOUD_SAMPLE,
                               None, layout, d.seed)


def _strips(d: FigureData, layout: Layout) -> Figure:
    # A slide has room for two pairs at a readable frame size; the page shows three.
    pairs = d.strip_pairs[:2] if layout == "slide" else d.strip_pairs
    return paths.interpolation_figure(d.inp.paths, pairs, ["ae_linear", "vae_linear"],
                                      [d.pair_label(i) for i in pairs], layout)


def _scores(d: FigureData, layout: Layout) -> Figure:
    s = {k: get(d.m, f"samples.{k}") for k in SCORED_SETS if get(d.m, f"samples.{k}")}
    ref = get(d.m, "reference.test_vs_train")
    return metrics_plots.scores_figure(
        s, ref, [("fid", "FID", "lower"), ("precision_fraction", "precision", "higher"),
                 ("recall_fraction", "recall", "higher"),
                 ("confidence_mean_fraction", "judge confidence", "higher")], layout)


def _balance(d: FigureData, layout: Layout) -> Figure:
    hists = {k: np.array(get(d.m, f"samples.{k}.class_hist_fraction")) for k in SCORED_SETS
             if get(d.m, f"samples.{k}.class_hist_fraction")}
    ref = get(d.m, "reference.test_vs_train.class_hist_fraction")
    if ref:
        hists["real"] = np.array(ref)
    return metrics_plots.class_balance_figure(hists, layout)


def _curves(d: FigureData, layout: Layout) -> Figure:
    return metrics_plots.training_curves_figure(
        {"ae": d.inp.history("ae2"), "vae": d.inp.history("vae2")}, layout)


def _beta(d: FigureData, layout: Layout) -> Figure:
    return codes.beta_sweep_figure(d.beta_runs, d.labels, layout, d.seed)


def _umap(d: FigureData, layout: Layout) -> Figure:
    ids = d.inp.model_ids()
    a, v = d.inp.codes(ids["ae_high"]), d.inp.codes(ids["vae_high"])
    return codes.umap_figure(a["train_umap"], v["train_umap"], d.labels, a["train_z"].shape[1],
                             layout, d.seed)


# ----------------------------------------------------------------------------------- captions

def _cap_arch(d: FigureData) -> str:
    t = d.cfg.train
    widths = "-".join(str(w) for w in [784, *t.hidden, t.latent_dim])
    pa = get(d.inp.train_metrics, "models.ae2.params")
    pv = get(d.inp.train_metrics, "models.vae2.params")
    return (f"The AE (top) and the VAE (bottom) share one {t.body.upper()} body ({widths} and its "
            f"mirror); only the bottleneck differs. The AE maps an image to one point z; the VAE "
            f"maps it to a mean μ and a log-variance log σ² and samples z = μ + σ·ε. Bar heights are "
            f"proportional to layer widths: 784 pixels squeezed into {t.latent_dim} numbers. "
            f"Parameters: AE {n(pa, 0)}, VAE {n(pv, 0)}.")


def _cap_recon(d: FigureData) -> str:
    k = len(d.recon["index"]) if d.recon else 0
    return (f"{k} test images (top; the first {k // 10} of each digit), their AE reconstructions "
            f"(middle) and VAE reconstructions, decoded from μ (bottom). Test reconstruction error "
            f"(summed binary cross-entropy): AE {n(d.model_test('ae2').get('bce'))}, VAE "
            f"{n(d.model_test('vae2').get('bce'))} nats per image.")


def _cap_codes(same: bool) -> Callable[[FigureData], str]:
    def cap(d: FigureData) -> str:
        scale = ("Both panels share one window, so the VAE's codes appear at their true size "
                 "next to the AE's." if same else
                 "Each panel has its own window (equal units on both axes); the tick labels give "
                 "the scale.")
        out = [get(d.m, f"holes.{m}.codes_outside_window_fraction") for m in ("ae2", "vae2")]
        window = ("Windows as in the hole maps; outside them lie "
                  f"{pct(out[0], 1)} (AE) and {pct(out[1], 1)} (VAE) of the codes. "
                  if None not in out else "")
        return (f"Codes of all {len(d.labels):,} training images, coloured by digit: AE z (left; "
                f"99% within {spread(d.ae['train_z'])}) and VAE μ (right; {spread(d.vae['train_z'])}). "
                f"{scale} {window}Dashed circles: 1, 2 and 3σ of the prior N(0, I).")
    return cap


def _cap_codes_ae(d: FigureData) -> str:
    return (f"The AE's codes z of all {len(d.labels):,} training images, coloured by digit "
            f"(99% within {spread(d.ae['train_z'])}). Nothing in the AE's loss says where codes "
            f"should go; the dashed circles (1, 2, 3σ of N(0, I)) show how little of this space a "
            f"standard normal would reach.")


def _cap_holes(d: FigureData) -> str:
    g = d.cfg.analyse.grid
    k_ae, k_vae = (len(get(d.m, f"gaps.{m}.points", []) or []) for m in ("ae2", "vae2"))
    gaps = (f"Red crosses: this run's gap points, the centres of the largest empty regions inside "
            f"the codes' hull ({k_ae} for the AE, {k_vae} for the VAE), decoded on the right."
            if k_ae + k_vae else "No empty region inside the codes' hull was large enough to give "
            "a gap point in this run.")
    return (f"Density of the training codes on a {g}×{g} grid over each model's window (log "
            f"colour scale); pale red cells hold no code. Inside the hull of the codes, "
            f"{pct(get(d.m, 'holes.ae2.hole_fraction_hull'))} of the AE's cells are empty and "
            f"{pct(get(d.m, 'holes.vae2.hole_fraction_hull'))} of the VAE's. {gaps}")


def _cap_gap_decodes(d: FigureData) -> str:
    parts = []
    for mid, name in (("ae2", "AE"), ("vae2", "VAE")):
        k = len(get(d.m, f"gaps.{mid}.points", []) or [])
        conf = get(d.m, f"gaps.{mid}.confidence_mean_fraction")
        parts.append(f"{name}: {k} gap points, mean judge confidence {pct(conf)}" if k and conf is not None
                     else f"{name}: no gap point in this run")
    return (f"What each decoder draws at the gap points marked on the hole map, with each point's "
            f"coordinates and the judge's class and confidence. {'; '.join(parts)}.")


def _cap_prior(d: FigureData) -> str:
    fids = ", ".join(f"{samples.SET_TITLES[s]} {n(get(d.m, f'samples.{s}.fid'))}" for s in PRIOR_SETS)
    return (f"The first 64 decodes of each sample set, in draw order (not picked). FID in the "
            f"judge's feature space against the test images (lower is better): {fids}; real test "
            f"vs training images {n(get(d.m, 'reference.test_vs_train.fid'))}.")


def _cap_manifold(d: FigureData) -> str:
    return (f"Decoder output on a {MANIFOLD_N}×{MANIFOLD_N} grid of latent points. Top: a regular "
            f"grid over each model's window (the window of the hole map). Bottom: the grid laid "
            f"through the inverse CDF of N(0, I), as in Kingma & Welling (2014, fig. 4), so every "
            f"cell holds the same prior mass; for the AE this covers only the prior's small patch "
            f"of its much larger code space.")


def _cap_clouds(d: FigureData) -> str:
    sd = np.exp(0.5 * d.vae["train_logvar"][:, :2])
    return (f"VAE: μ of every training image (grey) and the 1σ ellipse of q(z|x) for "
            f"{CLOUD_SAMPLE} of them (stratified by digit); median σ is "
            f"{np.median(sd[:, 0]):.2f} × {np.median(sd[:, 1]):.2f}. The KL term pulls these "
            f"clouds toward N(0, I) (dashed: 1, 2, 3σ) until they overlap. Average KL "
            f"{n(get(d.m, 'surgery.vae2.avg_kl_nats'), 2)} nats = KL(q(z)‖p(z)) "
            f"{n(get(d.m, 'surgery.vae2.marginal_kl_nats'), 2)} + mutual information "
            f"{n(get(d.m, 'surgery.vae2.mutual_info_nats'), 2)} nats (at most log N = "
            f"{n(get(d.m, 'surgery.vae2.log_n_nats'), 1)}).")


def _cap_strips(d: FigureData) -> str:
    s = get(d.m, "paths.summary", {}) or {}
    return (f"Straight-line paths between the codes of two test images, decoded in "
            f"{get(d.m, 'paths.n_steps', '?')} steps by the AE and the VAE; under each frame the "
            f"judge's class and confidence. Over all {len(get(d.m, 'paths.pairs', []) or [])} pairs, "
            f"{pct(get(s, 'ae_linear.steps_in_holes_fraction'))} of the AE's steps fall in holes "
            f"(VAE {pct(get(s, 'vae_linear.steps_in_holes_fraction'))}); mean judge confidence AE "
            f"{pct(get(s, 'ae_linear.confidence_mean_fraction'))}, VAE "
            f"{pct(get(s, 'vae_linear.confidence_mean_fraction'))}.")


def _cap_scores(d: FigureData) -> str:
    ref = get(d.m, "reference.test_vs_train", {}) or {}
    return (f"Each sample set scored in the judge's feature space against the "
            f"{n(get(ref, 'n'), 0)} test images: FID (lower is better), improved precision and "
            f"recall (k-NN manifolds, Kynkäänniemi et al. 2019) and the judge's mean confidence. "
            f"Dashed line: real test images against as many training images, the best a set can "
            f"score (FID {n(ref.get('fid'))}, precision {pct(ref.get('precision_fraction'))}, recall "
            f"{pct(ref.get('recall_fraction'))}).")


def _cap_balance(d: FigureData) -> str:
    tv = ", ".join(f"{samples.SET_TITLES[s]} {pct(get(d.m, f'samples.{s}.class_tv_from_uniform_fraction'))}"
                   for s in PRIOR_SETS)
    return (f"Share of each set that the judge assigns to each digit (%). Real data sit near 10% "
            f"per digit; a generator that favours a few digits shows bright columns. Distance from "
            f"a uniform histogram (total variation): {tv}.")


def _cap_curves(d: FigureData) -> str:
    ae, vae = d.model_test("ae2"), d.model_test("vae2")
    return (f"Per epoch: training (solid) and test (dashed) terms, nats per image. Final test: AE "
            f"reconstruction {n(ae.get('bce'))}; VAE reconstruction {n(vae.get('rec'))} + KL "
            f"{n(vae.get('kl'))} = −ELBO {n(-vae['elbo'] if vae.get('elbo') is not None else None)}.")


def _cap_beta(d: FigureData) -> str:
    parts = "; ".join(f"β = {r['beta']:g}: KL {n(r['kl'])}, rec {n(r['rec'])}" for r in d.beta_runs)
    return (f"VAEs trained with KL weight β: their μ of the training images (own window each; dashed "
            f"circles: 1σ and 2σ of N(0, I)) and decodes of the same 36 draws from N(0, I). Test "
            f"terms in nats per image: {parts}. β = 0 is an autoencoder with noise; large β "
            f"trades reconstruction for overlap.")


def _cap_umap(d: FigureData) -> str:
    hd = get(d.m, "high_dim", {}) or {}
    return (f"UMAP projections to 2-D of the {hd.get('latent_dim', '?')}-dimensional AE codes (left) "
            f"and VAE means (right) of the training images. UMAP keeps neighbourhoods, not "
            f"densities or distances, so holes are measured in the latent space itself (see the "
            f"page's table), not on this map.")


# ----------------------------------------------------------------------------------- alt text

ALT = {
    "architecture": "Diagram of two networks as rows of bars whose heights are layer widths: the "
                    "AE narrows 784 to a 2-unit code and widens back; the VAE narrows to two "
                    "2-unit heads, mu and log sigma squared, samples z, and widens back.",
    "reconstructions": "Three rows of handwritten digits: test images, then the AE's and the "
                       "VAE's blurrier reconstructions of the same digits.",
    "codes-matched": "Two scatter plots of 2-D codes coloured by digit: the AE's spread in long "
                     "rays over a large range, the VAE's packed into a round blob near the origin.",
    "codes-same-axes": "The same two scatter plots on one shared scale: the VAE's codes form a "
                       "small blob at the centre of the AE's much larger spread.",
    "codes-ae": "Scatter plot of the AE's 2-D codes coloured by digit, spreading as rays and "
                "clusters with empty space between them.",
    "holes": "Two density maps of latent codes, AE above VAE, with empty cells shaded pale red "
             "and red crosses at the centres of the largest empty regions; beside each map, "
             "the digits decoded at those crosses.",
    "gap-decodes": "Two rows of digits decoded at the gap points: AE above, VAE below, each "
                   "numbered, with coordinates and the judge's class.",
    "prior-samples": "Five grids of decoded digits: the AE's samples from N(0, I), from the box "
                     "of its codes, from a fitted Gaussian and from a fitted mixture, and the "
                     "VAE's samples from N(0, I).",
    "manifold": "Four grids of decoded digits laid out by latent coordinate: AE and VAE over "
                "their windows, and AE and VAE over a grid of equal prior mass.",
    "clouds": "Scatter of VAE means in grey with coloured translucent ellipses of one standard "
              "deviation for a sample of images; on the right the ellipses against circles of "
              "the standard normal prior.",
    "interpolation-strips": "Strips of digits morphing from one digit to another, AE above VAE "
                            "for each pair, with the judge's predicted class and confidence "
                            "printed under every frame.",
    "sample-scores": "Horizontal bar charts of FID, precision, recall and judge confidence for "
                     "each sample set, with a dashed line for real data.",
    "class-balance": "Heat map of the share of each sample set assigned to each digit class.",
    "training-curves": "Line charts of reconstruction loss and KL per epoch for training and "
                       "test data, AE and VAE.",
    "beta-sweep": "One column per beta: a scatter of the VAE's codes and a grid of digits decoded "
                  "from standard normal draws.",
    "umap": "Two UMAP scatter plots of the higher-dimensional codes coloured by digit, AE left, "
            "VAE right.",
}


def _alt(fid: str) -> Callable[[FigureData], str]:
    return lambda d: ALT[fid]


def _present(v: object) -> bool:
    """None, False and empty containers mean 'not there' (arrays count as present)."""
    if v is None or v is False:
        return False
    return not (isinstance(v, (list, tuple, dict)) and len(v) == 0)


def _has(*checks: Callable[[FigureData], object]) -> Callable[[FigureData], bool]:
    return lambda d: all(_present(c(d)) for c in checks)


_pair = _has(lambda d: d.ae, lambda d: d.vae)
_dec = _has(lambda d: d.recon)
_h = _has(lambda d: d.inp.holes, lambda d: d.inp.holes and "ae2_counts" in d.inp.holes or None)
_s = _has(lambda d: d.inp.samples, lambda d: get(d.m, "samples"))
_p = _has(lambda d: d.inp.paths, lambda d: d.strip_pairs or None)


def catalogue() -> list[FigureSpec]:
    F = FigureSpec
    specs = [
        F("codes-matched", "AE vs VAE: the codes of all training images", "index", True,
          _codes(False), _cap_codes(False), _alt("codes-matched"), _pair),
        F("architecture", "Architecture: AE and VAE, layer widths to scale", "autoencoders", True,
          _architecture, _cap_arch, _alt("architecture"), _dec),
        F("reconstructions", "Reconstructions: test images, AE, VAE", "autoencoders", False,
          _recon, _cap_recon, _alt("reconstructions"), _dec),
        F("codes-ae", "The AE's codes", "autoencoders", False, _codes_ae, _cap_codes_ae,
          _alt("codes-ae"), _pair),
        F("codes-same-axes", "AE vs VAE codes on the same axes", "vaes", False, _codes(True),
          _cap_codes(True), _alt("codes-same-axes"), _pair),
        F("holes", "Holes: code density, empty cells and gap points", "generation-problem", True,
          _holes, _cap_holes, _alt("holes"), _h),
        F("gap-decodes", "What the decoders draw at the gap points", "generation-problem", False,
          _gap_decodes, _cap_gap_decodes, _alt("gap-decodes"), _h),
        F("prior-samples", "Samples: AE with four samplers, VAE from its prior", "generation-problem",
          True, _prior, _cap_prior, _alt("prior-samples"), _s),
        F("clouds", "VAE clouds: μ with 1σ ellipses", "vaes", True, _clouds, _cap_clouds,
          _alt("clouds"), _pair),
        F("training-curves", "Training curves", "vaes", False, _curves, _cap_curves,
          _alt("training-curves"), _has(lambda d: d.inp.history("ae2"), lambda d: d.inp.history("vae2"))),
        F("sample-scores", "Sample sets scored by the judge", "side-by-side", True, _scores,
          _cap_scores, _alt("sample-scores"), _s),
        F("class-balance", "Which digits each sampler produces", "side-by-side", False, _balance,
          _cap_balance, _alt("class-balance"), _s),
        F("manifold", "Decoded manifolds: linear and inverse-CDF grids", "side-by-side", True,
          _manifold, _cap_manifold, _alt("manifold"), _dec),
        F("interpolation-strips", "Interpolations: AE vs VAE, judged frame by frame",
          "side-by-side", True, _strips, _cap_strips, _alt("interpolation-strips"), _p),
        F("beta-sweep", "The β sweep", "beyond-2d", False, _beta, _cap_beta, _alt("beta-sweep"),
          _has(lambda d: d.beta_runs or None)),
        F("umap", "Beyond 2-D: UMAP of the higher-dimensional codes", "beyond-2d", False, _umap,
          _cap_umap, _alt("umap"),
          _has(lambda d: d.inp.model_ids()["ae_high"], lambda d: d.inp.model_ids()["ae_high"]
               and d.inp.codes(d.inp.model_ids()["ae_high"]),
               lambda d: d.inp.model_ids()["vae_high"] and d.inp.codes(d.inp.model_ids()["vae_high"]))),
    ]
    return specs
