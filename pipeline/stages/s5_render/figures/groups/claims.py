"""Textbook claims, tested (page claims): the AE variants' codes, PCA beside the AE, the hardest
digits for the MLP and conv AE-2, denoising examples and the anomaly-score histograms. Numbers
in captions come from analyse/metrics.json's ``claims`` block; images from analyse/claims.npz."""

from __future__ import annotations

from matplotlib.figure import Figure

from .. import claims_plots
from pipeline.core.report import Claims

from ..figdata import FigureData
from ..style import Layout
from .common import WINDOW_WORDS, FigureList, has, pct

FIGURES = FigureList()  # filled by @FIGURES.add below, in catalogue order


def _c(d: FigureData) -> Claims:
    """The claims block; the figures that read it are ready only when it is there."""
    if d.m.claims is None:
        raise ValueError("a claims figure was drawn without the claims block (train.claims off)")
    return d.m.claims


def _verdicts(d: FigureData) -> object:
    return d.m.claims and d.m.claims.verdicts


def _name(d: FigureData, role: str) -> str:
    """The name the pages print for a claims role's model ("AE-2", "denoising AE-2", ...)."""
    c = _c(d)
    return c.names[c.ids[role]]


def _arr(d: FigureData, key: str):
    arrays = d.inp.claims
    return None if arrays is None or key not in arrays else arrays[key]


def _cap_variants(d: FigureData) -> str:
    c = _c(d)
    lat, ids = c.latent, c.ids
    shares = "; ".join(f"{_name(d, k)}: {pct(lat[ids[k]].prior_off_manifold_fraction)} of "
                       f"N(0, I) decodes off-manifold" for k in ("ae", "denoise", "sparse", "vae")
                       if ids.get(k) in lat)
    return (f"Codes (AE: z; VAE: μ) of the training images for the plain {_name(d, 'ae')}, the "
            f"{_name(d, 'denoise')} ({c.recipes['denoise']}), the {_name(d, 'sparse')} "
            f"({c.recipes['sparse']}) and the {_name(d, 'vae')}, each in its own window as on the "
            f"hole maps ({WINDOW_WORDS}; the few outlying codes lie beyond its edges). {shares}.")


@FIGURES.add("claims-variant-codes", "Denoising and sparse AE-2: codes beside the AE's", "claims",
             key=True, caption=_cap_variants,
             ready=has(_verdicts, lambda d: d.inp.codes(_c(d).ids["denoise"])), phone=True)
def _variants(d: FigureData, layout: Layout) -> Figure:
    """Four scatter plots of 2-D codes coloured by digit: plain AE, denoising AE, sparse AE and
    VAE, each in its own window."""
    ids = _c(d).ids
    panels = [(_name(d, k) + suffix, d.inp.codes(ids[k])["train_z"]) for k, suffix in
              (("ae", ""), ("denoise", ""), ("sparse", ""), ("vae", " (μ)"))]
    return claims_plots.code_panels_figure(panels, d.labels, layout, d.seed)


def _cap_pca(d: FigureData) -> str:
    c = _c(d)
    acc, rec, ae, name = c.clusters.accuracy_fraction, c.reconstruction, c.ids["ae"], _name(d, "ae")
    return (f"The training images projected to 2-D by PCA and encoded by the {name}, each in its "
            f"own window as on the hole maps ({WINDOW_WORDS}). "
            f"5-NN label accuracy on the test images: PCA-2 {pct(acc['pca2'])}, {name} "
            f"{pct(acc[ae])} (raw pixels {pct(c.clusters.pixels_fraction)}). Test MSE per "
            f"pixel: PCA-2 {rec['pca2']['mse_per_pixel']:.4f}, {name} {rec[ae]['mse_per_pixel']:.4f}.")


@FIGURES.add("claims-pca-maps", "PCA against the AE in two dimensions", "claims", key=True,
             caption=_cap_pca, ready=has(_verdicts, lambda d: _arr(d, "pca2_train_z")), phone=True)
def _pca(d: FigureData, layout: Layout) -> Figure:
    """Two scatter plots of 2-D codes coloured by digit: PCA to two components, and the AE-2."""
    return claims_plots.code_panels_figure(
        [("PCA-2", _arr(d, "pca2_train_z")),
         (_name(d, "ae"), d.inp.codes(_c(d).ids["ae"])["train_z"])],
        d.labels, layout, d.seed)


def _cap_hardest(d: FigureData) -> str:
    c = _c(d)
    conv, ids = c.conv, c.ids
    return (f"The test digits that the two models together reconstruct worst (by {conv.hardest_by}), "
            f"and each model's reconstruction. MLP {_name(d, 'ae')}: {conv.params[ids['ae']]:,} "
            f"parameters, {conv.epochs[ids['ae']]} epochs; {_name(d, 'conv')}: "
            f"{conv.params[ids['conv']]:,} parameters, {conv.epochs[ids['conv']]} epochs "
            f"({conv.matched_by}).")


@FIGURES.add("claims-hardest-digits", "Hardest digits: fully connected against convolutional", "claims",
             key=False, caption=_cap_hardest, ready=has(lambda d: d.m.claims, lambda d: _arr(d, "hardest_images")), phone=True)
def _hardest(d: FigureData, layout: Layout) -> Figure:
    """Three rows of digits: hard test images, the MLP AE-2's reconstructions and the
    convolutional AE-2's."""
    return claims_plots.digit_rows_figure([("test image", _arr(d, "hardest_images")),
                                           ("MLP " + _name(d, "ae"), _arr(d, "hardest_ae")),
                                           (_name(d, "conv"), _arr(d, "hardest_conv"))], layout)


def _cap_denoise(d: FigureData) -> str:
    c = _c(d)
    ids, rows = c.ids, c.denoising
    parts = "; ".join(f"{label} corruption ({r['corruption']} {r['level']:g}): PSNR noisy "
                      f"{r['noisy']['psnr_db']:.1f} dB, AE {r[ids['ae']]['psnr_db']:.1f} dB, denoising AE "
                      f"{r[ids['denoise']]['psnr_db']:.1f} dB" for label, r in rows.items())
    return (f"Clean test digits, a corruption the denoising AE was trained on and one it never saw, "
            f"and what the plain {_name(d, 'ae')} and the {_name(d, 'denoise')} make of each. "
            f"Over all test images: {parts}.")


@FIGURES.add("claims-denoising", "Denoising: noisy inputs and two autoencoders' outputs", "claims",
             key=False, caption=_cap_denoise, ready=has(lambda d: d.m.claims, lambda d: _arr(d, "denoise_clean")), phone=True)
def _denoise(d: FigureData, layout: Layout) -> Figure:
    """Seven rows of eight digits: clean test images; Gaussian-noised inputs with the plain and the
    denoising AE's outputs; masked inputs with the same two outputs."""
    ids = _c(d).ids
    rows = [("clean", _arr(d, "denoise_clean"))]
    for label in ("trained", "unseen"):
        rows += [(f"{label}: noisy", _arr(d, f"denoise_{label}_noisy")),
                 ("plain AE", _arr(d, f"denoise_{label}_{ids['ae']}")),
                 ("denoising AE", _arr(d, f"denoise_{label}_{ids['denoise']}"))]
    return claims_plots.digit_rows_figure(rows, layout)


def _cap_ood(d: FigureData) -> str:
    c = _c(d)
    au, ids = c.anomaly.auroc_fraction, c.ids
    parts = "; ".join(f"{s.replace('_', ' ')}: AE {a:.3f}, VAE {au[ids['vae']][s]:.3f}"
                      for s, a in au[ids["ae"]].items())
    return (f"Anomaly scores of the test digits and of three out-of-distribution sets built offline "
            f"(letters from matplotlib's fonts with small random affine jitter, the test digits "
            f"turned by 180°, uniform noise). ROC AUC: {parts}.")


@FIGURES.add("claims-ood-histograms", "Anomaly detection by reconstruction error", "claims", key=True,
             caption=_cap_ood, ready=has(lambda d: d.m.claims, lambda d: _arr(d, f"ood_score__{_c(d).ids['ae']}__test")), phone=True)
def _ood(d: FigureData, layout: Layout) -> Figure:
    """Two panels of overlaid histograms on a log axis: the AE-2's reconstruction BCE and the
    VAE-2's negative ELBO, for the test digits, letters, upside-down digits and uniform noise."""
    ids = _c(d).ids
    sets = ("test", "letters", "upside_down", "uniform_noise")
    scores = {ids[k]: {s: _arr(d, f"ood_score__{ids[k]}__{s}") for s in sets} for k in ("ae", "vae")}
    titles = {ids["ae"]: f"{_name(d, 'ae')} reconstruction BCE (nats)",
              ids["vae"]: f"{_name(d, 'vae')} negative ELBO (nats)"}
    return claims_plots.ood_histograms_figure(scores, _c(d).anomaly.auroc_fraction, titles, layout)
