"""The slide decks: the same 16:9 slides as an editable PowerPoint file (python-pptx) and a PDF.

What the slides say and in which order is ``deck_slides.py``'s; this module lays them out. Every
PowerPoint slide is built on the default template's layouts, widened to 16:9, with a real title
placeholder (outline view, accessibility checkers), body text in the body placeholder, a figure's
slide variant as a picture behind the title band with the figure's alt text, and speaker notes.
Every run has an explicit size (>= SLIDE_MIN_PT) and every text box keeps SLIDE_MARGIN_IN from
the edges. Both files are byte-identical across reruns: fixed PDF metadata (with the licence),
and a PowerPoint package with fixed core properties and zip timestamps."""

from __future__ import annotations

import io
import textwrap
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from PIL import Image

from pipeline.core import licence

from .save import metadata
from .style import SLIDE_MARGIN_IN, SLIDE_SIZE

# Slide geometry in inches (13.33 × 7.5). A slide variant is drawn on the whole slide with its
# top TITLE_BAND left empty, so the deck lays the picture over the full slide and the title in
# that band: the figure's text keeps its true size (>= SLIDE_MIN_PT), where a picture shrunk to fit
# under a title would not.
TITLE_BAND = 1.0
TITLE_BOX = (0.5, 0.3, 12.33, 0.7)  # left, top, width, height
TITLE_PT, BODY_PT = 28, 22
# The slide's number, at the title band's right end, which no title reaches (a title fits 90 %
# of TITLE_BOX's width: tests/test_deck.py); in grey, at the smallest slide text size.
NUMBER_BOX = (SLIDE_SIZE[0] - SLIDE_MARGIN_IN - 1.0, 0.3, 1.0, 0.7)
NUMBER_PT, NUMBER_COLOR = 18, "#555555"
BODY_CHARS = 72  # characters per line of body text at BODY_PT on the slide's width
FIXED_TIME = datetime(2000, 1, 1, tzinfo=timezone.utc)  # instead of "now": reruns match


@dataclass(frozen=True)
class Slide:
    title: str
    picture: Path | None = None  # a 16:9 PNG (a figure's slide variant)
    lines: list[str] = field(default_factory=list)  # body text (text slides)
    notes: str = ""  # speaker notes: take-home message, caption, terms defined here
    alt: str = ""  # the picture's alt text (figures.json)
    figure: str = ""  # the figure id the picture shows (the gallery names the slide)


def picture_box() -> tuple[float, float, float, float]:
    """Where a slide variant goes: the whole slide (its title band is empty)."""
    return 0.0, 0.0, SLIDE_SIZE[0], SLIDE_SIZE[1]


def slide_rect() -> tuple[float, float, float, float]:
    """Where a slide variant's content goes, in figure fractions: below the title band and
    SLIDE_MARGIN_IN clear of the other three edges."""
    (w, h), m = SLIDE_SIZE, SLIDE_MARGIN_IN
    return m / w, m / h, 1 - 2 * m / w, 1 - (TITLE_BAND + m) / h


def draw_slide(spec, data) -> Figure:
    """A figure's slide variant: its slide layout, laid out below the title band and inside the
    margins."""
    fig = spec.build(data, "slide")
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        # The pads keep every decoration (figure legends "outside" too) SLIDE_MARGIN_IN clear.
        engine.set(rect=slide_rect(), w_pad=SLIDE_MARGIN_IN / 2, h_pad=SLIDE_MARGIN_IN / 2)
    return fig


def add_title(fig: Figure, title: str) -> None:
    """The slide's title in its band, as the PDF deck draws it (and the PowerPoint box sits)."""
    left, top, _, height = TITLE_BOX
    w, h = SLIDE_SIZE
    fig.text(left / w, 1 - (top + height / 2) / h, title, ha="left", va="center",
             fontsize=TITLE_PT, weight="bold")


# python-pptx's default template is 4:3 (10 in wide); its master and layouts are widened to the
# 16:9 slide so a title placeholder, and a slide a teacher adds, spans the slide.
_TEMPLATE_WIDTH_IN = 10.0
LAYOUT_TITLE_ONLY, LAYOUT_TITLE_AND_CONTENT = 5, 1
BODY_BOX = (0.7, 1.4, 11.93, 5.7)  # left, top, width, height of a text slide's body
BODY_PAD = 0.1  # inches between the body box's top and its first bullet, as PowerPoint sets it
BODY_ROOM = BODY_BOX[3] - BODY_PAD  # inches of the box that the bullets may fill


def body_lines(line: str) -> list[str]:
    """One bullet as the PDF sets it: BODY_CHARS a line, indented under its bullet."""
    return textwrap.wrap(f"• {line}", BODY_CHARS, subsequent_indent="   ") or [""]


def body_height(lines: list[str]) -> float:
    """Inches a text slide's bullets take: lines at BODY_PT, 1.2 apart, 10 pt after each."""
    return sum(len(body_lines(line)) * BODY_PT * 1.2 / 72 + 10 / 72 for line in lines)


def _widen_template(prs) -> None:
    scale = SLIDE_SIZE[0] / _TEMPLATE_WIDTH_IN
    for holder in (prs.slide_master, *prs.slide_layouts):
        for shape in holder.placeholders:
            shape.left, shape.width = round(shape.left * scale), round(shape.width * scale)


def _set_text(frame, lines: list[str], size_pt: float, bold: bool = False) -> None:
    """Text of a placeholder, every run at an explicit size (nothing inherits a smaller one)."""
    from pptx.util import Pt
    frame.word_wrap = True
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        para.space_after = Pt(10)
        for run in para.runs:
            run.font.size, run.font.bold = Pt(size_pt), bold


def _place(shape, box: tuple[float, float, float, float]) -> None:
    from pptx.util import Inches
    shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in box)


def _add_number(slide, number: int) -> None:
    """The slide's number as a field (PowerPoint and LibreOffice keep it current when a teacher
    moves slides); ``number`` is what it shows until then."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.oxml.ns import qn
    from pptx.util import Inches
    box = slide.shapes.add_textbox(*(Inches(v) for v in NUMBER_BOX))
    box.name = "Slide number"
    box.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    para = box.text_frame.paragraphs[0]
    para.alignment = PP_ALIGN.RIGHT
    field = para._p.makeelement(qn("a:fld"), {"id": "{6D1C7C3E-0B5A-4C6E-9E43-5F0C1A2B3C4D}",
                                              "type": "slidenum"})
    props = field.makeelement(qn("a:rPr"), {"lang": "en-GB", "sz": str(NUMBER_PT * 100)})
    fill = props.makeelement(qn("a:solidFill"), {})
    fill.append(fill.makeelement(qn("a:srgbClr"), {"val": str(RGBColor.from_string(NUMBER_COLOR[1:]))}))
    props.append(fill)
    text = field.makeelement(qn("a:t"), {})
    text.text = str(number)
    field.extend([props, text])
    para._p.append(field)


def _add_slide(prs, s: Slide, number: int) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches
    layout = prs.slide_layouts[LAYOUT_TITLE_AND_CONTENT if s.lines else LAYOUT_TITLE_ONLY]
    slide = prs.slides.add_slide(layout)
    title = slide.shapes.title  # a real title placeholder: outline view, accessibility checker
    _place(title, TITLE_BOX)
    _set_text(title.text_frame, [s.title], TITLE_PT, bold=True)
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT  # as the PDF deck draws it
    if s.lines:
        body = slide.placeholders[1]
        _place(body, BODY_BOX)
        _set_text(body.text_frame, s.lines, BODY_PT)
    if s.picture is not None:
        left, top, width, height = picture_box()
        pic = slide.shapes.add_picture(str(s.picture), Inches(left), Inches(top), Inches(width),
                                       Inches(height))
        pic.name = s.picture.stem
        pic._element.nvPicPr.cNvPr.set("descr", s.alt or s.title)
        # Behind the title: the picture covers the whole slide, its top band left white.
        tree = slide.shapes._spTree
        tree.remove(pic._element)
        tree.insert(2, pic._element)
    if number > 1:  # the title slide goes without
        _add_number(slide, number)
    slide.notes_slide.notes_text_frame.text = s.notes or s.title


def write_pptx(path: Path, slides: list[Slide], author: str = "") -> None:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_SIZE[0]), Inches(SLIDE_SIZE[1])
    _widen_template(prs)
    for number, s in enumerate(slides, start=1):
        _add_slide(prs, s, number)
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = slides[0].title, author, ""
    props.subject, props.keywords = licence.SHORT_ATTRIBUTION, licence.CONTENT_LICENCE  # File > Properties
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    path.write_bytes(fixed_zip(buf.getvalue()))


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every member's timestamp set to 1980-01-01 (zipfile stamps "now")."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_pdf(path: Path, slides: list[Slide]) -> None:
    """The same slides as PDF pages: title, the picture at the same place, body text."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    w, h = SLIDE_SIZE
    with PdfPages(path, metadata=metadata("pdf", slides[0].title)) as pdf:
        for number, s in enumerate(slides, start=1):
            fig = plt.figure(figsize=SLIDE_SIZE)
            if s.picture is not None:
                left, top, width, height = picture_box()
                ax = fig.add_axes((left / w, 1 - (top + height) / h, width / w, height / h))
                with Image.open(s.picture) as im:
                    # "none": the PNG goes into the PDF at its own resolution, not resampled.
                    ax.imshow(np.asarray(im.convert("RGB")), interpolation="none", aspect="auto")
                ax.set_axis_off()
            add_title(fig, s.title)
            if number > 1:
                left, top, width, height = NUMBER_BOX
                fig.text((left + width) / w, 1 - (top + height / 2) / h, str(number), ha="right",
                         va="center", fontsize=NUMBER_PT, color=NUMBER_COLOR)
            y = BODY_BOX[1] + BODY_PAD  # inches from the top, as the PowerPoint body's text box
            for line in s.lines:  # bulleted, as the PowerPoint body placeholder shows them
                wrapped = body_lines(line)
                fig.text(0.7 / w, 1 - y / h, "\n".join(wrapped), ha="left", va="top",
                         fontsize=BODY_PT, linespacing=1.2)
                y += body_height([line])
            pdf.savefig(fig)
            plt.close(fig)
