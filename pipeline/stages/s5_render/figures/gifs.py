"""Interpolation GIFs, drawn with Pillow directly (no matplotlib per frame: fast, and the bytes
depend only on the arrays): AE and VAE frames side by side, the judge's verdict under each."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline.core.palette import DIGIT_COLORS, DIGIT_TEXT_COLORS, MODEL_COLORS

SCALE = 6          # screen pixels per image pixel
PAD = 16
FONT_PATH = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
BOLD_PATH = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD_PATH if bold else FONT_PATH), size)


def gif_frames(columns: list[dict], title: str) -> list[Image.Image]:
    """``columns``: dicts with 'label' ('AE'…), 'model' ('ae'/'vae'), 'frames' uint8 [S,H,W],
    'class' [S], 'confidence' [S]. Returns the frames there and back again (a seamless loop)."""
    steps = len(columns[0]["frames"])
    side = columns[0]["frames"].shape[-1] * SCALE
    w = PAD + len(columns) * (side + PAD)
    h = 34 + 30 + side + 96  # title, labels, the digit, the judge's two lines, the step track
    title_f, head_f, text_f = _font(True, 17), _font(True, 18), _font(False, 16)
    label_f = _font(True, 16)  # "VAE, spherical path" is 176 px at 16 px: inside its 184 px column
    out = []
    for s in list(range(steps)) + list(range(steps - 2, 0, -1)):
        im = Image.new("RGB", (w, h), "white")
        d = ImageDraw.Draw(im)
        d.text((w // 2, 8), title, fill="#222222", font=title_f, anchor="mt")
        for c, col in enumerate(columns):
            x0 = PAD + c * (side + PAD)
            d.text((x0 + side // 2, 36), col["label"], fill=MODEL_COLORS[col["model"]],
                   font=label_f, anchor="mt")
            digit = Image.fromarray(255 - col["frames"][s]).resize((side, side), Image.NEAREST)
            im.paste(digit, (x0, 64))
            d.rectangle((x0 - 1, 63, x0 + side, 64 + side), outline="#bbbbbb")
            cls, conf = int(col["class"][s]), float(col["confidence"][s])
            d.text((x0 + side // 2, 64 + side + 8), f"judge: {cls}", font=head_f,
                   fill=DIGIT_TEXT_COLORS[cls % len(DIGIT_TEXT_COLORS)], anchor="mt")
            d.text((x0 + side // 2, 64 + side + 32), f"confidence {100 * conf:.0f}%", font=text_f,
                   fill="#333333", anchor="mt")
        _step_track(d, s, steps, w, h, text_f)
        out.append(im)
    return out


def _step_track(d: ImageDraw.ImageDraw, s: int, steps: int, w: int, h: int,
                font: ImageFont.FreeTypeFont) -> None:
    """Where on the path this frame is: a dot on a track from the first image to the second,
    and the step in words. A grey bar growing along the bottom edge read as a scrollbar."""
    y, x0, x1 = h - 34, PAD + 40, w - PAD - 40
    d.line((x0, y, x1, y), fill="#bbbbbb", width=2)
    x = x0 + (x1 - x0) * s / max(steps - 1, 1)
    d.ellipse((x - 6, y - 6, x + 6, y + 6), fill="#333333")
    d.text((w // 2, y + 10), f"step {s + 1} of {steps} along the path", font=font, fill="#333333",
           anchor="mt")


def _palette() -> Image.Image:
    """One fixed palette for every frame: 64 greys (the digits) plus the exact colours of the
    labels. An adaptive per-frame palette shifts the label colours and speckles the digits."""
    colours = [(v, v, v) for v in np.linspace(0, 255, 64).round().astype(int)]
    for hex_ in (*DIGIT_COLORS, *DIGIT_TEXT_COLORS, *MODEL_COLORS.values(), "#222222", "#333333", "#bbbbbb"):
        colours.append(tuple(int(hex_[i:i + 2], 16) for i in (1, 3, 5)))
    flat = [c for rgb in colours for c in rgb]
    pal = Image.new("P", (1, 1))
    pal.putpalette(flat + flat[:3] * (256 - len(colours)))
    return pal


def write_gif(path: Path, frames: list[Image.Image], fps: int) -> None:
    """Palette GIF, looping forever, every frame mapped to the same fixed palette (no dither)."""
    pal = _palette()
    q = [f.quantize(palette=pal, dither=Image.Dither.NONE) for f in frames]
    q[0].save(path, save_all=True, append_images=q[1:], duration=round(1000 / fps), loop=0,
              optimize=False, disposal=1)
