"""The slide decks: the same 16:9 slides as an editable PowerPoint file (python-pptx) and a PDF.

A title slide with the run's headline numbers, one slide per key figure (its title, and its
slide variant as a picture under the title; in the PowerPoint file its caption is the speaker
notes), then a closing slide with the profile, seed and the digests of the outputs drawn from.
Both files are byte-identical across reruns: fixed PDF metadata, and a PowerPoint package with
fixed core properties and zip timestamps.
"""

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

from .style import SAVE_METADATA, SLIDE_SIZE

# Slide geometry in inches (13.33 × 7.5). A slide variant is drawn on the whole slide with its
# top TITLE_BAND left empty, so the deck lays the picture over the full slide and the title in
# that band: the figure's text keeps its true size (>= 14 pt), where a picture shrunk to fit
# under a title would not.
TITLE_BAND = 1.0
TITLE_BOX = (0.5, 0.15, 12.33, 0.8)  # left, top, width, height
TITLE_PT, BODY_PT = 30, 22
BODY_CHARS = 72  # characters per line of body text at BODY_PT on the slide's width
FIXED_TIME = datetime(2000, 1, 1, tzinfo=timezone.utc)  # instead of "now": reruns match


@dataclass(frozen=True)
class Slide:
    title: str
    picture: Path | None = None  # a 16:9 PNG (a figure's slide variant)
    lines: list[str] = field(default_factory=list)  # body text (title and closing slides)
    notes: str = ""  # speaker notes: the figure's caption


def picture_box() -> tuple[float, float, float, float]:
    """Where a slide variant goes: the whole slide (its title band is empty)."""
    return 0.0, 0.0, SLIDE_SIZE[0], SLIDE_SIZE[1]


def draw_slide(spec, data) -> Figure:
    """A key figure's slide variant: the figure's slide layout, laid out below the title band."""
    fig = spec.build(data, "slide")
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0.0, 0.0, 1.0, 1.0 - TITLE_BAND / SLIDE_SIZE[1]))
    return fig


def add_title(fig: Figure, title: str) -> None:
    """The slide's title in its band, as the PDF deck draws it (and the PowerPoint box sits)."""
    left, top, _, height = TITLE_BOX
    w, h = SLIDE_SIZE
    fig.text(left / w, 1 - (top + height / 2) / h, title, ha="left", va="center",
             fontsize=TITLE_PT, weight="bold")


def write_pptx(path: Path, slides: list[Slide]) -> None:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_SIZE[0]), Inches(SLIDE_SIZE[1])
    blank = prs.slide_layouts[6]
    for s in slides:
        slide = prs.slides.add_slide(blank)
        if s.picture is not None:  # first, so the title box lies on top of its empty band
            left, top, width, height = picture_box()
            slide.shapes.add_picture(str(s.picture), Inches(left), Inches(top), Inches(width),
                                     Inches(height))
        title = slide.shapes.add_textbox(*(Inches(v) for v in TITLE_BOX))
        title.name = "Title"
        title.text_frame.word_wrap = True
        title.text_frame.text = s.title
        title.text_frame.paragraphs[0].runs[0].font.size = Pt(TITLE_PT)
        title.text_frame.paragraphs[0].runs[0].font.bold = True
        if s.lines:
            body = slide.shapes.add_textbox(Inches(0.7), Inches(1.5), Inches(11.9), Inches(5.5))
            body.text_frame.word_wrap = True
            for i, line in enumerate(s.lines):
                para = body.text_frame.paragraphs[0] if i == 0 else body.text_frame.add_paragraph()
                para.text = line
                para.runs[0].font.size = Pt(BODY_PT)
                para.space_after = Pt(10)
        if s.notes:
            slide.notes_slide.notes_text_frame.text = s.notes
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = slides[0].title, "Holes & Clouds", ""
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
    with PdfPages(path, metadata=SAVE_METADATA["pdf"]) as pdf:
        for s in slides:
            fig = plt.figure(figsize=SLIDE_SIZE)
            if s.picture is not None:
                left, top, width, height = picture_box()
                ax = fig.add_axes((left / w, 1 - (top + height) / h, width / w, height / h))
                with Image.open(s.picture) as im:
                    # "none": the PNG goes into the PDF at its own resolution, not resampled.
                    ax.imshow(np.asarray(im.convert("RGB")), interpolation="none", aspect="auto")
                ax.set_axis_off()
            add_title(fig, s.title)
            y = 1.5  # inches from the top, as the PowerPoint body's text box
            for line in s.lines:
                wrapped = textwrap.wrap(line, BODY_CHARS) or [""]
                fig.text(0.7 / w, 1 - y / h, "\n".join(wrapped), ha="left", va="top",
                         fontsize=BODY_PT, linespacing=1.2)
                y += len(wrapped) * BODY_PT * 1.2 / 72 + 10 / 72  # lines + space_after
            pdf.savefig(fig)
            plt.close(fig)
