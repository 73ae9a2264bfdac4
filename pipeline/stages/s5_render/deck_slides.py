"""What the decks say: the title slide's headline numbers from this run, one slide per key figure
(its saved slide variant, caption as notes), and the closing slide's date-free provenance."""

from __future__ import annotations

from typing import Any

from pipeline.core.context import StageContext

from .figures.deck import Slide, write_pdf, write_pptx
from .figures.figdata import FigureData

DECK_TITLE = "Holes & Clouds"
SUBTITLE = "Why an autoencoder's latent space has holes and a VAE's clouds fill it, measured."


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:,.1f}"


def headline(data: FigureData) -> list[str]:
    """The run's headline numbers, each as measured (no comparison is claimed here)."""
    m = data.m
    lines = [SUBTITLE, f"Trained on {len(data.labels):,} MNIST training images; "
             f"{data.cfg.train.latent_dim}-D codes."]
    ae, vae = (m.holes[k].hole_fraction_hull for k in m.main_pair.values())
    lines.append(f"Empty grid cells inside the codes' hull: AE {_pct(ae)}, VAE {_pct(vae)}.")
    fa, fv = (m.samples[k].fid for k in ("ae_prior", "vae_prior"))
    lines.append(f"FID of samples decoded from z ~ N(0, I) (lower is better): AE {_num(fa)}, "
                 f"VAE {_num(fv)}; real test images {_num(m.reference.test_vs_train.fid)}.")
    return lines


def provenance(ctx: StageContext) -> list[str]:
    """Profile, seed and the digests of the upstream outputs: no date, so reruns match."""
    digests = ", ".join(f"{name} {str(ctx.manifest.get(name, {}).get('digest', '?'))[:12]}"
                        for name in sorted(ctx.inputs))
    return [f"Profile: {ctx.cfg.profile}; seed {ctx.cfg.seed}.",
            f"Rebuild: python -m pipeline run --profile {ctx.cfg.profile}",
            f"Drawn from the outputs with digests {digests} (SHA-256, first 12 hex digits).",
            "Every number and picture in this deck comes from that run; the captions are in "
            "each slide's notes."]


def write_decks(ctx: StageContext, data: FigureData, entries: list[dict[str, Any]]) -> int:
    """deck.pptx and deck.pdf with the same slides; returns the number of figure slides."""
    figures = [Slide(e["title"], ctx.out / e["files"]["slide_png"]["path"], notes=e["caption"])
               for e in entries if e["key"] and "slide_png" in e["files"]]
    slides = [Slide(DECK_TITLE, lines=headline(data)), *figures,
              Slide("About this deck", lines=provenance(ctx))]
    write_pptx(ctx.out / "deck.pptx", slides)
    write_pdf(ctx.out / "deck.pdf", slides)
    return len(figures)
