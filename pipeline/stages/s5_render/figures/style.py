"""One style for every figure: fonts, sizes, the digit palette, deterministic output settings.

The render stage calls ``apply()`` once before it draws (it is idempotent; the claims plots call
it too), and every plot module takes its colours from here, so a digit has the same colour in
every figure, on the page and on a slide.
"""

from __future__ import annotations

from typing import Literal

import matplotlib

matplotlib.use("Agg")  # no display: the stage only writes files

import matplotlib as mpl  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402

# The digit palette, the model colours and names (one definition for figures, GIFs and widgets).
from pipeline.core.palette import (DIGIT_COLORS, DIGIT_TEXT_COLORS, GAP_COLOR, MODEL_COLORS,  # noqa: E402,F401
                                   MODEL_LABELS)

# Code density: white (empty) to dark blue; sequential and perceptually ordered for CVD readers.
DENSITY_CMAP = LinearSegmentedColormap.from_list(
    "density", ["#ffffff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"])
HOLE_COLOR = "#f2c6c6"  # pale red fill of empty (hole) cells

# Sizes in inches. A web figure is shown in the theme's content column, 688 px wide at a
# 1400 px window (CONTENT_PX); at WEB_WIDTH = 7.5 in a point of figure text is 1.27 px there, so
# WEB_MIN_PT keeps every text at WEB_MIN_PX or more (at 10 in wide the smallest fell to 7 px).
# Slides are 16:9.
WEB_WIDTH = 7.5
CONTENT_PX = 688
WEB_MIN_PX = 12.0
WEB_MIN_PT = WEB_MIN_PX * WEB_WIDTH * 72 / CONTENT_PX  # 9.4 pt
SLIDE_SIZE = (13.333, 7.5)
# A phone shows the content column about 358 px wide (a 390 px screen less the theme's margins):
# a 7.5 in figure's text falls to 5-7 px there. The story pages' figures get a phone variant,
# PHONE_WIDTH wide with larger text, that the page serves below PHONE_MAX_PX (a <picture>).
PHONE_WIDTH = 4.4
PHONE_PX = 358
PHONE_MAX_PX = 600
PHONE_MIN_PT = WEB_MIN_PX * PHONE_WIDTH * 72 / PHONE_PX  # 10.6 pt
Layout = Literal["web", "slide", "phone"]

# Deterministic files: no software version, no dates, fixed SVG ids.
SAVE_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
}

_RC = {
    # DejaVu Sans is bundled with matplotlib, so the PNGs and PDFs look the same on every machine;
    # SVGs keep their text as text and name this stack, so a viewer without DejaVu falls back to
    # a close sans-serif rather than a serif.
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Bitstream Vera Sans", "Verdana", "Arial", "Helvetica"],
    "axes.unicode_minus": True,  # true minus signs (U+2212) in tick labels, not hyphens
    "font.size": 11.5,  # "small" (5/6) is then 9.6 pt, above WEB_MIN_PT
    "axes.titlesize": 12,
    "axes.labelsize": 11.5,
    "figure.titlesize": 14,
    "legend.fontsize": 10,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.prop_cycle": mpl.cycler(color=list(MODEL_COLORS.values())),
    "image.interpolation": "nearest",  # digits are pixel art: never blur them
    "image.interpolation_stage": "data",
    "svg.hashsalt": "holes-and-clouds",  # fixed ids in SVG files (byte-identical reruns)
    # Text stays text: an SVG's labels can be edited and translated, a PDF's fonts are embedded
    # TrueType (Type 42), which every editor opens (Type 3 glyphs are drawings, not a font).
    # Embedding subsets the font with fontTools; _lean_truetype_subsets makes that cheap.
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "pdf.compression": 6,
    "path.simplify": True,
    "agg.path.chunksize": 20000,
    "savefig.facecolor": "white",
    "figure.facecolor": "white",
    "legend.frameon": False,
}

# A slide is read from the back of a room: larger text, thicker lines. Sizes are in points at
# the slide's true size (13.33 × 7.5 in); the smallest relative size a figure uses on a slide
# ("small", 5/6 of font.size) stays at 18 pt, the floor for a large hall that the tests check.
_SLIDE_RC = {"font.size": 21.7, "axes.titlesize": 21.6, "axes.labelsize": 20, "figure.titlesize": 24,
             "legend.fontsize": 18, "legend.title_fontsize": 18, "xtick.labelsize": 18,
             "ytick.labelsize": 18, "lines.linewidth": 2.4,
             # 18-pt tick labels at a panel's top ran into its title at the default pad (6 pt)
             "axes.titlepad": 11}
SLIDE_MIN_PT = 18.0  # no text on a slide is set smaller (tests/test_figure_text.py checks it)
# A phone variant: the web sizes scaled so that "small" (5/6 of font.size) stays at PHONE_MIN_PT.
_PHONE_RC = {"font.size": 12.8, "axes.titlesize": 12.8, "axes.labelsize": 12.2,
             "figure.titlesize": 13.5, "legend.fontsize": 10.8, "legend.title_fontsize": 10.8,
             "xtick.labelsize": 10.8, "ytick.labelsize": 10.8}
SLIDE_MARGIN_IN = 0.3  # and none nearer than this to the slide's edge


def _lean_truetype_subsets() -> None:
    """Subset embedded TrueType fonts without their layout tables (GSUB, GPOS, GDEF, kern) and
    hinting: a PDF places every glyph itself and uses neither, and subsetting DejaVu Sans's large
    layout tables was most of the cost of each PDF (BENCHMARKS.md). matplotlib builds its subsetting
    options inside a private function, so the options class it looks up is swapped; if a later
    matplotlib moves it, fonts are simply subset in full as before."""
    import types
    from fontTools import subset
    try:
        from matplotlib.backends import _backend_pdf_ps as pdf_ps
    except ImportError:
        return
    if getattr(pdf_ps, "subset", None) is not subset:
        return  # already swapped, or matplotlib no longer works this way

    class LeanOptions(subset.Options):
        def __init__(self, **kwargs) -> None:
            super().__init__(**kwargs)
            self.drop_tables += ["GSUB", "GPOS", "GDEF", "kern"]
            self.layout_features = []
            self.hinting = False

    pdf_ps.subset = types.SimpleNamespace(Options=LeanOptions, Subsetter=subset.Subsetter,
                                          load_font=subset.load_font)


def apply() -> None:
    """Install the house style in matplotlib's global rcParams."""
    mpl.rcParams.update(_RC)
    _lean_truetype_subsets()


def rc(layout: Layout) -> dict:
    """rcParams for a layout, to use as ``with mpl.rc_context(style.rc(layout)):``."""
    return {**_RC, **{"slide": _SLIDE_RC, "phone": _PHONE_RC}.get(layout, {})}


def figsize(layout: Layout, web_height: float,
            phone_height: float | None = None) -> tuple[float, float]:
    """Web figures are WEB_WIDTH wide and as tall as they need (``web_height`` is given for a
    10 in wide figure and scaled with the width); slides are always 16:9; a phone variant is
    PHONE_WIDTH wide and ``phone_height`` tall (by default the web height scaled to its width,
    which suits a figure whose panels stack or keep their aspect)."""
    if layout == "slide":
        return SLIDE_SIZE
    if layout == "phone":
        return PHONE_WIDTH, phone_height or web_height * PHONE_WIDTH / 10.0
    return WEB_WIDTH, web_height * WEB_WIDTH / 10.0


def pair_shape(layout: Layout, n: int = 2) -> tuple[int, int]:
    """(rows, columns) of a figure's ``n`` panels: side by side, stacked on a phone."""
    return (n, 1) if layout == "phone" else (1, n)


# The data set's class names where they are words (Fashion-MNIST's "Trouser"); empty for MNIST,
# whose classes are its digits. Set by the render stage before a figure is drawn (use_classes).
_CLASS_NAMES: list[str] = []


def use_classes(names: list[str]) -> None:
    """The class names the legends show (``data_words``' "classes": [] for numerals)."""
    _CLASS_NAMES[:] = names


def class_label(k: int) -> str:
    """Class k as a legend names it: "3" for MNIST, "1 Trouser" where the classes are words (the
    numeral stays: the maps label each cluster with it)."""
    return f"{k} {_CLASS_NAMES[k]}" if k < len(_CLASS_NAMES) else str(k)


def class_title() -> str:
    return "class" if _CLASS_NAMES else "digit"


def digit_legend_handles(marker_size: float = 8.0) -> list:
    """Ten legend entries, one per class, in the digit palette."""
    from matplotlib.lines import Line2D
    return [Line2D([], [], ls="", marker="o", ms=marker_size, color=c, label=class_label(d))
            for d, c in enumerate(DIGIT_COLORS)]


def few_ticks(ax, nbins: int = 3, axis: str = "both") -> None:
    """At most ``nbins`` + 1 tick labels on a narrow panel, written short ('5', not '5.0') and
    with a true minus sign: matplotlib's default labels on an axis a quarter of a slide or page
    wide ran into each other."""
    formatter = mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}".replace("-", "\u2212"))
    axes = [ax.xaxis, ax.yaxis] if axis == "both" else [getattr(ax, f"{axis}axis")]
    for a in axes:
        a.set_major_locator(mpl.ticker.MaxNLocator(nbins))
        a.set_major_formatter(formatter)
