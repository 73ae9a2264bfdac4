"""The decks assembled and written: the title slide, a slide per part of the lecture
(``deck_slides.LECTURE``, what the decks say) with its notes, and the closing slide with
provenance, licence and credit; deck.pptx and deck.pdf hold the same slides.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pipeline.core import licence
from pipeline.core.context import StageContext
from pipeline.core.data_words import data_words, retell

from .deck_glossary import definitions
from .deck_slides import DECK_TITLE, LECTURE, SUBTITLE, Text
from .figures.deck import Slide, write_pdf, write_pptx
from .figures.figdata import FigureData


def headline(data: FigureData) -> list[str]:
    """The title slide: the question, the data and the credit (no comparison is claimed)."""
    return [SUBTITLE, f"Trained on {len(data.labels):,} MNIST training images; "
            f"{data.cfg.train.latent_dim}-D codes.", f"{licence.COPYRIGHT}; {licence.CONTENT_LICENCE}."]


def provenance(ctx: StageContext) -> list[str]:
    """Licence, credit, profile, seed and the upstream digests: no date, so reruns match."""
    digests = ", ".join(f"{name} {str(ctx.manifest.get(name, {}).get('digest', '?'))[:12]}"
                        for name in sorted(ctx.inputs))
    return [f"{licence.COPYRIGHT}. Slides and figures: {licence.CONTENT_LICENCE} "
            f"({licence.CONTENT_LICENCE_URL}); code: {licence.CODE_LICENCE}.",
            f"{licence.MNIST_CREDIT}.",
            f"Profile: {ctx.cfg.profile}; seed {ctx.cfg.seed}. Rebuild: python -m pipeline run "
            f"--profile {ctx.cfg.profile}",
            f"Drawn from the outputs with digests {digests} (SHA-256, first 12 hex digits)."]


def _text(value: str | Text, d: FigureData) -> str:
    return value(d) if callable(value) else value


# The captions are the website's and name its pages; in the deck's notes they name slides.
PAGES_TO_SLIDES = (("on the side-by-side page", "on the robustness slide of the appendix"),
                   ("(the robustness page)", "(the robustness slide of the appendix)"),
                   ("stated on the pages", "stated in this deck"))


def for_the_deck(caption: str) -> str:
    """A caption as the deck's notes give it: its references to the site's pages made slides."""
    for page, slide in PAGES_TO_SLIDES:
        caption = caption.replace(page, slide)
    return caption


def notes(takeaway: str, caption: str, terms: list[str], credit: str = "") -> str:
    """A slide's speaker notes: the take-home first, then the caption, the terms it uses for the
    first time and, on a figure's slide, the credit line (a slide reused alone must carry it)."""
    parts = [f"Take-home: {takeaway}"] if takeaway else []
    if caption:
        parts.append(f"Caption: {caption}")
    if terms:
        parts.append("Terms used here for the first time:\n" + "\n".join(f"- {t}" for t in terms))
    if credit:
        parts.append(f"Credit, when you reuse this slide: {credit}")
    return "\n\n".join(parts)


def lecture_slides(ctx: StageContext, data: FigureData, entries: list[dict[str, Any]]) -> list[Slide]:
    """The slides in lecture order; a figure that this run did not draw is left out."""
    by_id = {e["id"]: e for e in entries if "slide_png" in e["files"]}
    seen: set[str] = set()
    title_terms = definitions(("autoencoder (AE)", "VAE"), seen)
    slides = [Slide(DECK_TITLE, lines=headline(data), notes=notes(
        "A lecture on why decoding random codes fails for an autoencoder and what a VAE changes.",
        "", title_terms))]
    for part in LECTURE:
        if part.figure and part.figure not in by_id:
            continue
        takeaway = _text(part.takeaway, data)
        defined = definitions(part.terms, seen)
        if part.figure:
            e = by_id[part.figure]
            slides.append(Slide(part.title or e["title"], ctx.out / e["files"]["slide_png"]["path"],
                                notes=notes(takeaway, for_the_deck(e["caption"]), defined,
                                            licence.ATTRIBUTION),
                                alt=e["alt"],
                                figure=part.figure))
        else:
            lines = part.lines(data) if part.lines else []
            slides.append(Slide(part.title, lines=lines, notes=notes(takeaway, "", defined)))
    slides.append(Slide("About this deck: licence and credit", lines=provenance(ctx),
                        notes=notes(f"Reuse these slides with this credit: {licence.ATTRIBUTION}",
                                    "", [])))
    return slides


def write_decks(ctx: StageContext, data: FigureData, entries: list[dict[str, Any]]) -> list[Slide]:
    """deck.pptx and deck.pdf with the same slides; returns the slides."""
    words = data_words(data.inp.dataset)  # the lecture is written for MNIST's digits
    slides = [dataclasses.replace(s, title=retell(s.title, words), notes=retell(s.notes, words),
                                  lines=[retell(line, words) for line in s.lines])
              for s in lecture_slides(ctx, data, entries)]
    write_pptx(ctx.out / "deck.pptx", slides, author=licence.AUTHORS)
    write_pdf(ctx.out / "deck.pdf", slides)
    return slides


def figure_slides(slides: list[Slide]) -> dict[str, dict[str, Any]]:
    """Each figure's slide in the deck, {figure id: {"number", "title"}} (the title slide is
    number 1, as the slides print it): a slide's title can be shorter than its figure's, so the
    gallery names both for a teacher matching one with the other."""
    return {s.figure: {"number": k, "title": s.title} for k, s in enumerate(slides, start=1) if s.figure}
