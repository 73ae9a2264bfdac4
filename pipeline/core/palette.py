"""The colours and model names of the whole project, written once.

Figures take them through ``figures/style.py``; the widgets get them through their data files
(``explorer/meta.json``, ``explorer/paths.json``, ``explorer/arch.json``, ``toy/toy.json``), so
the JavaScript and HTML hold no colour of their own and a digit is the same colour in a figure,
a GIF and a widget. The colours only widgets use live in ``widget_palette.py``: every figure job
keys on this module, so a widget's colour kept here would redraw every figure.
"""

from __future__ import annotations

# The ten digits: Petroff's 10-colour sequence (M. A. Petroff, "Accessible Color Sequences for
# Data Visualization", arXiv:2107.02270, 2021; matplotlib's 'petroff10' style). It was chosen by
# modelling deuteranopia, protanopia and tritanopia so that neighbours stay distinguishable,
# which tab10 (red next to green) does not. Hex values are copied, not looked up, so the figures
# look the same with older matplotlib versions.
DIGIT_COLORS: tuple[str, ...] = ("#3f90da", "#ffa90e", "#bd1f01", "#94a4a2", "#832db6",
                                 "#a96b59", "#e76300", "#b9ac70", "#717581", "#92dadd")

# The two models keep one colour each wherever they are compared (Okabe-Ito blue / vermillion,
# a pair readable under every common colour-vision deficiency).
MODEL_COLORS: dict[str, str] = {"ae": "#0072B2", "vae": "#D55E00", "real": "#000000", "other": "#009E73"}
MODEL_LABELS: dict[str, str] = {"ae": "AE", "vae": "VAE"}  # short names, for titles and legends
MODEL_TITLES: dict[str, str] = {"ae": "Autoencoder (AE)", "vae": "Variational autoencoder (VAE)"}

# The N(0, I) circles the latent maps draw, figures and widgets alike (radii in standard
# deviations): one set, so a reader who saw three rings on one page does not count two on another.
# Only the β sweep's small panels, whose window ends at ±2.5, draw 1σ and 2σ (their caption says so).
PRIOR_SIGMAS: tuple[int, ...] = (1, 2, 3)

GAP_COLOR = "#e8000b"  # the red crosses of the textbook figure; drawn with a white halo
HALO_COLOR = "#ffffff"

def kind_from_id(model_id: str) -> str:
    """'ae' or 'vae' for a model id such as 'vae2' or 'vae2-beta1'."""
    return "vae" if model_id.startswith("vae") else "ae"


def rgb(color: str) -> tuple[int, int, int]:
    """'#rrggbb' -> (r, g, b) in 0..255."""
    h = color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _luminance(color: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    def lin(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_color(color: str, background: str = "#ffffff", minimum: float = 4.5) -> str:
    """``color`` darkened in steps until text in it reaches ``minimum`` contrast on
    ``background`` (WCAG AA for normal text): a digit's label keeps its hue but stays readable
    (the palette's 1 and 9, orange and pale cyan, reach only 1.9:1 and 1.6:1 on white)."""
    r, g, b = rgb(color)
    for k in range(101):
        f = 1 - k / 100
        out = "#{:02x}{:02x}{:02x}".format(round(r * f), round(g * f), round(b * f))
        if contrast(out, background) >= minimum:
            return out
    return "#000000"


# The digits' colours for text on white (labels drawn in a digit's colour).
DIGIT_TEXT_COLORS: tuple[str, ...] = tuple(text_color(c) for c in DIGIT_COLORS)
