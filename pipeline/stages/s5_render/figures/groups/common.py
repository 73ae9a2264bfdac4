"""What every figure group shares: the figure record, the number formats of captions, and the
checks that a figure's inputs are present."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from matplotlib.figure import Figure

from pipeline.core import formatting
from pipeline.core.grids import WINDOW_PERCENTILES

from ..figdata import FigureData
from ..style import Layout


@dataclass(frozen=True)
class FigureSpec:
    """One figure: where it goes, how to draw it, and what to say about it."""

    id: str
    title: str
    page: str  # site page slug (site_src/pages/<page>.md.j2)
    key: bool  # a main figure: gets a 16:9 slide variant and a page in the deck
    build: Callable[[FigureData, Layout], Figure]
    caption: Callable[[FigureData], str]
    alt: str  # what the figure shows, for screen readers (the same in every run)
    ready: Callable[[FigureData], bool]  # inputs present (else the figure is left out)
    phone: bool = False  # also drawn as a narrow phone variant (a story page's main pictures)


class FigureList(list):
    """A group's figures, in the order they are declared; ``add`` is the decorator that declares
    one on its plot function (whose docstring is the figure's alt text)."""

    def add(self, fid: str, title: str, page: str, *, key: bool,
            caption: Callable[[FigureData], str], ready: Callable[[FigureData], bool],
            phone: bool = False) -> Callable[[Callable[[FigureData, Layout], Figure]], Callable[[FigureData, Layout], Figure]]:
        def declare(build: Callable[[FigureData, Layout], Figure]) -> Callable[[FigureData, Layout], Figure]:
            alt = " ".join((build.__doc__ or "").split())
            if not alt:
                raise ValueError(f"figure {fid!r}: its plot function needs a docstring (the alt text)")
            self.append(FigureSpec(fid, title, page, key, build, caption, alt, ready, phone))
            return build
        return declare


# The hole maps' window rule in a caption's words (every figure's map of codes uses that window).
WINDOW_WORDS = f"a square around the middle {WINDOW_PERCENTILES[1] - WINDOW_PERCENTILES[0]:g}% of the codes"


def n(x: float | None, digits: int = 1) -> str:
    """A number in a caption, written as the pages write it (``core.formatting``)."""
    return formatting.num(x, digits)


def pct(x: float | None, digits: int = 0) -> str:
    """A fraction in a caption as a whole percentage unless told otherwise."""
    return formatting.pct(x, digits)


def fid_vs_recon(d: FigureData) -> dict[str, float | None] | None:
    """Each sample set's FID against its own model's reconstructions of the test images (main
    seed, CNN judge): the score the verdicts compare (None for a reconstruction set); None in
    a report without the per-seed scores."""
    e = d.m.robustness
    if not e.per_seed:
        return None
    sets = e.per_seed[e.main_seed]["cnn"].sets
    return {k: s.vs_recon.fid if s.vs_recon else None for k, s in sets.items()}


def present(v: object) -> bool:
    """None, False and empty containers mean 'not there' (arrays count as present)."""
    if v is None or v is False:
        return False
    return not (isinstance(v, (list, tuple, dict)) and len(v) == 0)


def has(*checks: Callable[[FigureData], object]) -> Callable[[FigureData], bool]:
    return lambda d: all(present(c(d)) for c in checks)


def main_ids(d: FigureData) -> tuple[str, str]:
    """(main AE id, main VAE id), from the report (its first seed's pair)."""
    return d.m.main_pair["ae"], d.m.main_pair["vae"]


def always(d: FigureData) -> bool:
    """Inputs the runner always provides (the main pair's codes, models and analyse arrays)."""
    return True


path_strips = has(lambda d: d.strip_pairs)
