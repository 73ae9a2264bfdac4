"""Jinja filters and functions for the page templates: numbers, figures, equations.

All of them return escaped text or ``Markup`` built from escaped parts, so values from config or
data never reach a page as raw markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import jinja2
import latex2mathml.converter
from markupsafe import Markup, escape

from pipeline.core.config import REPO_ROOT
from pipeline.core.formatting import num, pct, times  # noqa: F401  (the templates' filters)
from pipeline.core.report import Spread


def _formatter(digits: int, percent: bool) -> Callable[[Any], str]:
    """How the seed filters print one value: a percentage or a plain number."""
    return (lambda x: pct(x, digits)) if percent else (lambda x: num(x, digits))


def _between(lo: str, hi: str, negative: bool) -> str:
    """"a–b", or "a to b" where a bound is negative: "−137.0–−136.2" read as a slip."""
    return f"{lo} to {hi}" if negative else f"{lo}\u2013{hi}"


def over_seeds(values: Any, digits: int = 1, percent: bool = False) -> str:
    """The range over the seeds, "range 231.0–262.0 over 3 seeds", or "" for one seed.
    ``values``: the per-seed values (list or dict)."""
    fmt = _formatter(digits, percent)
    vals = [v for v in (values.values() if isinstance(values, dict) else values) if v is not None]
    if len(vals) < 2:
        return ""
    lo, hi = min(vals), max(vals)
    return f"range {_between(fmt(lo), fmt(hi), lo < 0)} over {len(vals)} seeds"


def pct_tiny(x: Any, digits: int = 2) -> str:
    """A share that may be tiny: "less than 0.01 %" where it rounds to zero but is not zero
    ("0.00 %" read as a slip), "0 %" where it is zero."""
    smallest = 10.0 ** -(digits + 2)
    if x is None or x >= smallest / 2:
        return pct(x, digits)
    return "0\u00a0%" if x == 0 else f"less than {pct(smallest, digits)}"


def ranged(values: Any, main: Any, digits: int = 1, percent: bool = False) -> str:
    """The main seed's value with its range over all seeds: "246.7 (range 231.0–262.0 over 3
    seeds)"; one seed gives the bare value. ``values``: the per-seed values (list or dict)."""
    fmt = _formatter(digits, percent)
    spread = over_seeds(values, digits, percent)
    return f"{fmt(main)} ({spread})" if spread else fmt(main)


def span(sp: Spread | None, digits: int = 1, percent: bool = False, short: bool = False) -> str:
    """A spread record of the report ({main, min, max, n_seeds}) as "main (range a–b over N
    seeds)", or with ``short`` (table cells, whose header names the seeds) "main (a–b)"; one seed
    gives the bare value."""
    fmt = _formatter(digits, percent)
    if sp is None or sp.main is None:
        return "n/a"
    if sp.n_seeds < 2 or sp.min is None:
        return fmt(sp.main)
    between = _between(fmt(sp.min), fmt(sp.max), sp.min < 0)
    if short:
        return f"{fmt(sp.main)} ({between})"
    return f"{fmt(sp.main)} (range {between} over {sp.n_seeds} seeds)"


def tex(source: str) -> Markup:
    """Inline LaTeX -> MathML, rendered at build time (no math script is loaded by the page)."""
    return Markup(latex2mathml.converter.convert(source))


def texblock(source: str) -> Markup:
    """Display LaTeX -> a centred MathML block."""
    mathml = latex2mathml.converter.convert(source, display="block")
    return Markup(f'<div class="hc-eq">{mathml}</div>')


# The hover definitions Markdown's abbr extension appends to every page (mkdocs.yml). It does
# not reach into raw HTML, so a figure's caption marks its terms itself, from the same lines.
ABBREVIATIONS = REPO_ROOT / "site_src" / "includes" / "abbreviations.md"


@cache
def abbreviations() -> dict[str, str]:
    """{term: definition} from the "*[term]: definition" lines of ABBREVIATIONS."""
    lines = [line for line in ABBREVIATIONS.read_text().splitlines()
             if line.startswith("*[") and "]: " in line]
    return dict(line[2:].split("]: ", 1) for line in lines)


@cache
def _term_pattern() -> re.Pattern[str]:
    """Any defined term as a whole word, longest first (made once, not once per caption)."""
    longest_first = sorted(abbreviations(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, longest_first)) + r")(?![\w-])")


def with_definitions(text: str) -> Markup:
    """``text`` escaped, each defined term in it (whole words, longest first) an <abbr> with
    its definition: the hover and tap definitions the page's own text gets."""
    terms = abbreviations()
    parts, last = [], 0
    for match in _term_pattern().finditer(text):
        term = match.group(1)
        parts += [escape(text[last:match.start()]),
                  Markup(f'<abbr title="{escape(terms[term])}">{escape(term)}</abbr>')]
        last = match.end()
    return Markup("").join(parts + [escape(text[last:])])


PICTURE_IMG_CLASS = "hc-picture-img"  # mkdocs.yml's glightbox skip_classes lists it


@jinja2.pass_context
def figure(ctx: jinja2.runtime.Context, fig_id: str, width: int | None = None,
           caption: bool = True) -> Markup:
    """A figure from the render manifest: 2x PNG shown at 1x, opens large in the lightbox, with
    its caption and links to the SVG and PDF. A missing id fails the build (no silent gaps)."""
    figures = ctx["figures"]
    if fig_id not in figures:
        raise jinja2.TemplateRuntimeError(f"figure {fig_id!r} is not in render/figures.json "
                                          f"(known: {', '.join(sorted(figures))})")
    f = figures[fig_id]
    png = f["files"]["png"]
    shown = width or png["width"] // 2
    links = " · ".join(f'<a href="{escape(f["files"][k]["path"])}" download>{k.upper()}</a>'
                       for k in ("png", "svg", "pdf") if k in f["files"])
    cap = (f'<figcaption><strong>{escape(f["title"])}.</strong> {with_definitions(f["caption"])} '
           f'<span class="hc-dl">{links}</span></figcaption>') if caption else ""
    img = (f'<img src="{escape(png["path"])}" alt="{escape(f["alt"])}" width="{shown}" '
           f'height="{round(shown * png["height"] / png["width"])}" loading="lazy">')
    phone = f["files"].get("phone_png")
    if phone:  # a narrow screen gets the phone variant, whose text stays legible there
        # (its class keeps the lightbox plugin from wrapping the img, not a link's child here,
        # in a second link: that tore the <picture> apart)
        img = img.replace("<img ", f'<img class="{PICTURE_IMG_CLASS}" ', 1)
        img = (f'<picture><source media="(max-width: {phone["max_px"]}px)" '
               f'srcset="{escape(phone["path"])}" width="{phone["width"] // 2}" '
               f'height="{phone["height"] // 2}">{img}</picture>')
    return Markup(
        f'<figure class="hc-figure" id="fig-{escape(fig_id)}">'
        f'<a class="glightbox" href="{escape(png["path"])}" data-title="{escape(f["title"])}" '
        f'data-description="{escape(f["caption"])}">{img}</a>{cap}</figure>')


def install(env: jinja2.Environment) -> None:
    env.filters.update(num=num, pct=pct, pct_tiny=pct_tiny, ranged=ranged, over_seeds=over_seeds,
                       span=span, tex=tex, texblock=texblock)
    env.globals.update(figure=figure, times=times, tex=tex, texblock=texblock)
