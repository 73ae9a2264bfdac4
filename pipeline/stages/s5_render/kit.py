"""The teacher's kit: one "download all" zip of the figures (every format and the CSVs), their
captions and alt texts, both decks and the GIFs, with the licence and the line to credit; and
``kit.json``, which tells the site where the zip is, which GIFs exist and the licence strings.

The zip is byte-identical across reruns: members in sorted order with a fixed timestamp. PNG,
PDF, GIF and PPTX are already compressed, so they are stored; text is deflated.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from pipeline.core import licence
from pipeline.core.io import save_json

ZIP_PATH = "downloads/holes-and-clouds-kit.zip"
FOLDER = "holes-and-clouds"  # the folder the zip unpacks to
_STORED = {".png", ".pdf", ".gif", ".pptx", ".zip"}


def readme(entries: list[dict[str, Any]]) -> str:
    """The kit's README.md: licence, credit line, and every figure's caption and alt text."""
    lines = [f"# {licence.PROJECT}: figures, captions and slides", "",
             f"{licence.COPYRIGHT}. Licensed {licence.CONTENT_LICENCE_NAME} ({licence.CONTENT_LICENCE}), "
             f"{licence.CONTENT_LICENCE_URL}. {licence.MNIST_CREDIT} "
             f"({licence.MNIST_LICENCE_URL}); the share-alike term carries over to these figures.", "",
             "Credit line to paste under a reused figure or slide:", "", f"> {licence.ATTRIBUTION}", "",
             "figures/: every figure as PNG (2x), SVG (text kept as text) and PDF; each figure of "
             "the deck also as a 16:9 slide (-slide: PNG, SVG and PDF for the main ones, PNG for "
             "the rest); <id>.csv holds the data a figure plots (panel 1, 2, ... in "
             "reading order). deck.pptx / deck.pdf: the slide deck (speaker notes in the PPTX). "
             "gifs/: the interpolation animations.", ""]
    for e in entries:
        lines += [f"## {e['title']} (`{e['id']}`)", "", f"Caption: {e['caption']}", "",
                  f"Alt text: {e['alt']}", ""]
    return "\n".join(lines)


def _member(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED if Path(name).suffix in _STORED else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data, compresslevel=1)  # the fastest level: the CSVs are large, the stage timed


def write_kit(out: Path, entries: list[dict[str, Any]], gifs: list[dict[str, Any]],
              slides: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Write the zip under ``out`` and ``out/kit.json``; returns what kit.json holds. ``slides``:
    each figure's slide in the deck (``deck_write.figure_slides``)."""
    # every figure file but the phone variants, which only the pages' <picture>s need
    files = sorted({f["path"] for e in entries for k, f in e["files"].items()
                    if not k.startswith("phone_")}
                   | {g["path"] for g in gifs} | {"deck.pptx", "deck.pdf"})
    (out / ZIP_PATH).parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out / ZIP_PATH, "w") as zf:
        _member(zf, "README.md", readme(entries).encode())
        for rel in files:
            _member(zf, rel, (out / rel).read_bytes())
    kit = {"zip": {"path": ZIP_PATH, "bytes": (out / ZIP_PATH).stat().st_size, "files": len(files) + 1},
           "gifs": gifs, "slides": slides, "licence": licence.strings()}
    save_json(out / "kit.json", kit)
    return kit
