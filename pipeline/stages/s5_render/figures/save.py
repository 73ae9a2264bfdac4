"""Saving figures: PNG (2x, for the web), SVG and PDF, byte-identical across runs."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure
from PIL import Image

from .style import SAVE_METADATA

FORMATS = ("png", "svg", "pdf")


def save_figure(fig: Figure, root: Path, stem: str, dpi: int, prefix: str = "") -> dict[str, dict]:
    """Write ``root/figures/<stem>.{png,svg,pdf}``; returns manifest file entries keyed
    ``<prefix><format>`` with paths relative to ``root`` and, for the PNG, its pixel size.

    The PNG is drawn at 2x ``dpi`` (sharp on high-density screens when shown at 1x); vector files
    embed their rasterized parts (the big scatters, the digit mosaics) at the same 2x resolution.
    No bbox_inches='tight': the pixel size stays what the figure size says, and slides stay 16:9.
    """
    folder = root / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}
    for fmt in FORMATS:
        rel = f"figures/{stem}.{fmt}"
        fig.savefig(root / rel, format=fmt, dpi=2 * dpi, metadata=SAVE_METADATA[fmt])
        entry: dict = {"path": rel}
        if fmt == "png":
            with Image.open(root / rel) as im:  # reads the header only
                entry["width"], entry["height"] = im.size
        files[prefix + fmt] = entry
        if fmt == FORMATS[0]:
            # The layout is solved now; freezing it spares the solver on the other formats (and
            # the positions are the same in every format, as they should be).
            fig.set_layout_engine("none")
    return files
