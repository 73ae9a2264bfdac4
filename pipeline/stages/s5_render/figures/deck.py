"""The slide deck: one 16:9 page per key figure, with its title and caption, in one PDF."""

from __future__ import annotations

import textwrap

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from .style import SAVE_METADATA

TITLE_BAND = 0.12    # top share of the page for the title
CAPTION_BAND = 0.17  # bottom share for the caption


def open_deck(path) -> PdfPages:
    return PdfPages(path, metadata=SAVE_METADATA["pdf"])


def make_room(fig: Figure, bottom: float = CAPTION_BAND, top: float = TITLE_BAND) -> None:
    """Shrink the drawing into the band between title and caption: constrained layout again,
    within a rect (save_figure froze the layout, so it is switched back on here)."""
    height = 1 - bottom - top
    if not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        try:
            fig.set_layout_engine("constrained", rect=(0.0, bottom, 1.0, height))
            return
        except RuntimeError:  # incompatible engine: fall back to scaling the axes' positions
            pass
    else:
        fig.get_layout_engine().set(rect=(0.0, bottom, 1.0, height))
        return
    for ax in fig.axes:
        x0, y0, w, h = ax.get_position().bounds
        ax.set_position((x0, bottom + y0 * height, w, h * height))


def add_page(deck: PdfPages, fig: Figure, title: str, caption: str, number: int) -> None:
    """Add ``fig`` (already drawn at slide size) with its title and caption as one deck page."""
    make_room(fig)
    fig.text(0.03, 1 - TITLE_BAND / 2, title, ha="left", va="center", fontsize=22, weight="bold")
    fig.text(0.03, CAPTION_BAND - 0.02, "\n".join(textwrap.wrap(caption, 150)), ha="left",
             va="top", fontsize=11.5, color="#333333", linespacing=1.35)
    fig.text(0.985, 0.02, str(number), ha="right", va="bottom", fontsize=10, color="#888888")
    deck.savefig(fig)
