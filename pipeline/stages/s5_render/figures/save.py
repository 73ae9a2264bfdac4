"""Saving figures: PNG (2x, for the web), SVG and PDF, byte-identical across runs."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure
from PIL import Image

from pipeline.core import licence

from . import plotdata
from .style import SAVE_METADATA

FORMATS = ("png", "svg", "pdf")


def metadata(fmt: str, title: str = "") -> dict:
    """A format's fixed metadata (no dates, no versions) with the licence and credit."""
    return {**SAVE_METADATA[fmt], **licence.file_metadata(title)[fmt]}


def save_figure(fig: Figure, root: Path, stem: str, dpi: int, prefix: str = "",
                title: str = "", data_csv: bool = False,
                formats: tuple[str, ...] = FORMATS) -> dict[str, dict]:
    """Write ``root/figures/<stem>.{png,svg,pdf}``; returns manifest file entries keyed
    ``<prefix><format>`` with paths relative to ``root`` and, for the PNG, its pixel size.

    The PNG is drawn at 2x ``dpi`` (sharp on high-density screens when shown at 1x); vector files
    embed their rasterized parts (the big scatters, the digit mosaics) at the same 2x resolution.
    With ``data_csv``, the plotted data go to ``<stem>.csv`` beside them (``plotdata.py``; none
    for a figure of pictures only). Every file carries the licence and credit in its metadata (``core/licence.py``).
    No bbox_inches='tight': the pixel size stays what the figure size says, and slides stay 16:9.
    """
    folder = root / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}
    for fmt in formats:
        rel = f"figures/{stem}.{fmt}"
        fig.savefig(root / rel, format=fmt, dpi=2 * dpi, metadata=metadata(fmt, title))
        entry: dict = {"path": rel}
        if fmt == "png":
            with Image.open(root / rel) as im:  # reads the header only
                entry["width"], entry["height"] = im.size
        files[prefix + fmt] = entry
        if fmt == formats[0]:
            # The layout is solved now; freezing it spares the solver on the other formats (and
            # the positions are the same in every format, as they should be).
            fig.set_layout_engine("none")
    if data_csv and plotdata.write_csv(fig, root / f"figures/{stem}.csv"):
        files[prefix + "csv"] = {"path": f"figures/{stem}.csv"}
    return files
