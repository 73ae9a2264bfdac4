"""The teacher's deck: lecture order, a real title placeholder and notes on every PowerPoint
slide, alt text from figures.json, every text at least 18 pt and 0.3 in clear of the edges, the
PDF with the same slides; and the rules of its words (terms defined, no unverified comparison)."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from pipeline.core import licence
from pipeline.core.config import Config
from pipeline.stages.s5_render import deck_slides
from pipeline.stages.s5_render.deck_write import for_the_deck
from pipeline.stages.s5_render.deck_glossary import GLOSSARY
from pipeline.stages.s5_render.figures import style

# The lecture's order: each figure must come after the ones listed before it.
# The lecture order: the AE, the generation problem, the VAE, then the samples side by
# side (no sample grid before the VAE's mechanism), beyond 2-D.
ORDER = ["architecture", "reconstructions", "codes-ae", "hero-samples", "schematic-between-clusters",
         "holes", "quality-map", "schematic-point-cloud", "clouds", "schematic-kl-pull",
         "codes-matched", "schematic-prior-match", "prior-samples", "sample-scores", "manifold",
         "beta-sweep"]
COMPARING = re.compile(r"\b(better|worse|level|more|less|fewer|than|beats?)\b", re.I)


def test_every_term_of_the_deck_has_a_definition() -> None:
    used = {t for part in deck_slides.LECTURE for t in part.terms}
    assert used <= set(GLOSSARY), used - set(GLOSSARY)


def test_fixed_take_home_lines_do_not_compare() -> None:
    """Only a stored verdict may compare: the fixed take-home lines never do."""
    fixed = [p.takeaway for p in deck_slides.LECTURE if isinstance(p.takeaway, str)]
    assert fixed and not [t for t in fixed if COMPARING.search(t)]


def test_a_verdict_line_prints_the_stored_verdict_only() -> None:
    from types import SimpleNamespace
    from pipeline.core.report import Comparison
    def comparison(verdict: str) -> Comparison:
        return Comparison(verdict=verdict, cases=6, counts={}, a_range=[0, 1], b_range=[0, 1],
                          level_within=0.05)
    m = SimpleNamespace(robustness=SimpleNamespace(comparisons={
        "x": comparison("worse"), "y": comparison("unsettled"), "z": comparison("level")}))
    assert "worse than" in deck_slides.verdict(m, "x", "A", "B", "here")
    assert "not settled" in deck_slides.verdict(m, "y", "A", "B", "here")
    assert "within 5%" in deck_slides.verdict(m, "z", "A", "B", "here")  # the stored threshold
    with pytest.raises(KeyError):  # the typed report: a missing comparison fails loudly
        deck_slides.verdict(m, "missing", "A", "B", "here")


def test_a_claim_line_gives_the_stored_verdict_and_the_checks_that_failed() -> None:
    """A lecturer asked why a claim fails needs the failed checks, not the verdict alone."""
    from types import SimpleNamespace
    from pipeline.core.report import Check
    checks = [Check(test="A beats B, in 3 seeds", passed=True),
              Check(test="C beats D, in 1 seed", passed=False),
              Check(test="upside_down: E at least 0.9, in 2 seeds", passed=False)]
    verdicts = SimpleNamespace(kl=SimpleNamespace(verdict="holds in part", checks=checks),
                               pca=SimpleNamespace(verdict="holds", checks=checks[:1]))
    m = SimpleNamespace(claims=SimpleNamespace(verdicts=verdicts))
    line = deck_slides.claim(m, "kl", "the claim")
    assert line == ("Claim tested: the claim. Verdict of this run: holds in part. "
                    "Requirements not met: C beats D, in 1 seed; upside down: E at least 0.9, in 2 seeds.")
    assert deck_slides.claim(m, "pca", "the claim").endswith("Verdict of this run: holds.")


@pytest.fixture(scope="module")
def render(smoke_build: Config) -> Path:
    return smoke_build.resolve(smoke_build.paths.artifacts) / "render"


def _inches(emu: int) -> float:
    return emu / 914400


@pytest.mark.slow
def test_pptx_is_a_lecture_with_titles_notes_alt_text_and_large_text(render: Path) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

    entries = {e["id"]: e for e in json.loads((render / "figures.json").read_text())}
    prs = Presentation(str(render / "deck.pptx"))
    w, h = _inches(prs.slide_width), _inches(prs.slide_height)
    assert (round(w, 2), round(h, 2)) == (13.33, 7.5)
    titles, at, problems = [], {}, []
    for k, slide in enumerate(prs.slides, start=1):
        title = slide.shapes.title
        assert title is not None and title.is_placeholder, f"slide {k}: no title placeholder"
        assert title.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        titles.append(title.text_frame.text)
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        assert notes.strip(), f"slide {k} ({titles[-1]}): no notes"
        # every slide but the title slide shows its number, as a field that follows the slide
        fields = [f for shape in slide.shapes if shape.name == "Slide number"
                  for f in shape._element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}fld")]
        assert [(f.get("type"), f[-1].text) for f in fields] == ([("slidenum", str(k))] if k > 1 else []), k
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                fid = shape.name.removesuffix("-slide")  # the slide variant's file name
                at[fid] = k - 1
                descr = shape._element.nvPicPr.cNvPr.get("descr")
                assert descr == entries[fid]["alt"], f"slide {k}: alt text {descr!r}"
                assert notes.startswith("Take-home: ") and for_the_deck(entries[fid]["caption"]) in notes, k
                assert " page" not in notes, k  # the notes name slides, not the website's pages
                # a figure's slide reused alone carries its credit
                assert notes.endswith(f"Credit, when you reuse this slide: {licence.ATTRIBUTION}"), k
                continue
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            edges = (_inches(shape.left), _inches(shape.top),
                     w - _inches(shape.left + shape.width), h - _inches(shape.top + shape.height))
            if min(edges) < style.SLIDE_MARGIN_IN - 1e-6:
                problems.append(f"slide {k}: {shape.name} {min(edges):.2f} in from an edge")
            for para in shape.text_frame.paragraphs:
                for run in para.runs:
                    if run.font.size is None or run.font.size.pt < style.SLIDE_MIN_PT:
                        problems.append(f"slide {k}: {run.text[:30]!r} at {run.font.size}")
    assert not problems, "\n".join(problems[:10])
    order = [at[f] for f in ORDER if f in at]
    assert order == sorted(order) and len(order) >= 8, at
    summary = titles.index("Take-home points")
    assert max(order) < summary < titles.index(f"Appendix: glossary (1/{deck_slides.GLOSSARY_SLIDES})")
    for claim in ("claims-variant-codes", "claims-ood-histograms", "seed-spread"):
        if claim in at:
            assert at[claim] > summary, f"{claim} is not in the appendix"
    assert titles[-1].startswith("About this deck")


def test_every_deck_title_fits_one_line_of_the_title_band() -> None:
    """The PDF deck draws a title on one line at TITLE_PT; LibreOffice's fonts run about 10 %
    wider than DejaVu Sans, so a title must leave that much room."""
    import matplotlib.pyplot as plt

    from pipeline.stages.s5_render.figures import deck
    from pipeline.stages.s5_render.figures.catalogue import catalogue

    names = {s.id: s.title for s in catalogue()}
    titles = [p.title or names[p.figure] for p in deck_slides.LECTURE]
    fig = plt.figure(figsize=deck.SLIDE_SIZE)
    renderer = fig.canvas.get_renderer()
    too_long = [t for t in titles if fig.text(0, 0.5, t, fontsize=deck.TITLE_PT, weight="bold")
                .get_window_extent(renderer).width / fig.dpi > 0.9 * deck.TITLE_BOX[2]]
    plt.close(fig)
    assert not too_long, too_long


@pytest.mark.slow
def test_pdf_deck_has_the_same_slides_and_no_type3_fonts(render: Path) -> None:
    from pptx import Presentation
    from pypdf import PdfReader

    reader = PdfReader(render / "deck.pdf")
    assert len(reader.pages) == len(Presentation(str(render / "deck.pptx")).slides)
    fonts = {str(f["/Subtype"]) for page in reader.pages
             for f in (page["/Resources"].get_object().get("/Font") or {}).values()
             for f in [f.get_object()]}
    assert "/Type3" not in fonts, fonts


def test_glossary_slides_hold_every_term_in_order_and_fit_the_body() -> None:
    """Five long definitions ran off the PDF slide's bottom edge: a glossary slide takes at most
    five terms and no more text than the body holds."""
    from pipeline.stages.s5_render.deck_glossary import defined
    from pipeline.stages.s5_render.figures.deck import BODY_ROOM, body_height

    pages = deck_slides.GLOSSARY_PAGES
    assert [t for page in pages for t in page] == list(GLOSSARY)
    for page in pages:
        assert 0 < len(page) <= 5
        assert body_height(defined(page)) <= BODY_ROOM, page
    assert min(map(len, pages)) >= 2, [len(p) for p in pages]  # the last slide held one term alone


@pytest.mark.parametrize("lands", ["better", "worse", "unsettled"])
def test_the_text_slides_fit_their_body_whatever_the_verdicts(lands: str) -> None:
    """The take-home slide's last line ran to the PDF slide's bottom edge: the bullets are chosen by verdicts, so
    every combination must fit."""
    from types import SimpleNamespace

    from pipeline.stages.s5_render.figures.deck import BODY_ROOM, body_height

    def comparison(verdict: str) -> SimpleNamespace:
        return SimpleNamespace(verdict=verdict, cases=9, level_within=0.05)
    for prior, gmm in itertools.product(("better", "worse", "level", "unsettled"), repeat=2):
        m = SimpleNamespace(robustness=SimpleNamespace(
            comparisons={"ae_prior_vs_vae_fid_vs_recon": comparison(prior),
                         "gmm_vs_vae_fid_vs_recon": comparison(gmm)},
            holes=SimpleNamespace(comparisons={"ae_vs_vae_prior_mass_uncovered_fraction": comparison(lands)})))
        lines = deck_slides._summary(SimpleNamespace(m=m))
        assert len(lines) == 5 and body_height(lines) <= BODY_ROOM, (prior, gmm, lines)
    loss = next(p for p in deck_slides.LECTURE if p.title.startswith("The VAE's loss"))
    assert body_height(loss.lines(None)) <= BODY_ROOM  # its text does not read the run
