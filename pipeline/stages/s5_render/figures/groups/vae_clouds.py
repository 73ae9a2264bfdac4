"""The VAE's clouds and its training (page vaes)."""

from __future__ import annotations

from matplotlib.figure import Figure

from .. import codes, metrics_plots
from ..figdata import CLOUD_SAMPLE, FigureData
from ..style import Layout
from .common import FigureList, always, main_ids, n

FIGURES = FigureList()  # filled by @FIGURES.add below, in catalogue order


def _cap_clouds(d: FigureData) -> str:
    s, c = d.m.surgery[d.m.main_pair["vae"]], d.m.clouds
    # the report's median σ, as the other figure and the page print it (one number, one place)
    return (f"VAE: μ of every training image (grey) and the 1σ ellipse of q(z|x) for "
            f"{CLOUD_SAMPLE} of them (stratified by digit); median σ is "
            f"{n(c.sigma_median_x, 3)} × {n(c.sigma_median_y, 3)}. The KL term pulls these "
            f"clouds toward N(0, I) (dashed: 1, 2, 3σ). At this scale small ellipses look like "
            f"dots: the figure “At true size, the VAE's clouds overlap” enlarges a small box "
            f"of this map and counts how many clouds each one overlaps. Average KL "
            f"{n(s.avg_kl_nats, 2)} nats = KL(q(z)‖p(z)) "
            f"{n(s.marginal_kl_nats, 2)} + mutual information "
            f"{n(s.mutual_info_nats, 2)} nats (at most log N = "
            f"{n(s.log_n_nats, 1)}).")


@FIGURES.add("clouds", "VAE clouds: μ with 1σ ellipses", "vaes",
             key=True, caption=_cap_clouds, ready=always, phone=True)
def _clouds(d: FigureData, layout: Layout) -> Figure:
    """Scatter of VAE means in grey with coloured translucent ellipses of one standard deviation
    for a sample of images; beside it the same ellipses against circles of the standard normal
    prior."""
    return codes.clouds_figure(d.vae["train_z"], d.vae["train_logvar"], d.labels, CLOUD_SAMPLE,
                               None, layout, d.seed)


def _cap_curves(d: FigureData) -> str:
    ae, vae = (d.model_test(mid) for mid in main_ids(d))
    return (f"Per epoch: training (solid) and test (dashed) terms, nats per image. Final test: AE "
            f"reconstruction {n(ae.get('bce'))}; VAE reconstruction of a z drawn from each image's "
            f"cloud {n(vae.get('rec'))} + KL "
            f"{n(vae.get('kl'))} = −ELBO {n(-vae['elbo'] if vae.get('elbo') is not None else None)}.")


@FIGURES.add("training-curves", "Training curves", "vaes",
             key=False, caption=_cap_curves, ready=always, phone=True)
def _curves(d: FigureData, layout: Layout) -> Figure:
    """Line charts of reconstruction loss and KL per epoch for training and test data, AE and VAE."""
    return metrics_plots.training_curves_figure(
        {role: d.inp.history(mid) for role, mid in d.m.main_pair.items()}, layout)
