"""The built site's pages as files: no unrendered icon shortcode, and both decks downloadable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.core.config import Config

# ":material-file-pdf-box:" and the like: what an icon shortcode looks like when no extension
# rendered it (lowercase words joined by hyphens between colons, outside any tag).
SHORTCODE = re.compile(r":[a-z][a-z0-9]*(?:-[a-z0-9]+)+:")


def visible_text(html: str) -> str:
    """The page without scripts, styles, inline SVG and tags: what a reader sees as text."""
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", html)


def test_shortcode_pattern_finds_an_unrendered_icon_and_not_a_time() -> None:
    assert SHORTCODE.findall(visible_text("<a>:material-file-pdf-box: Deck</a>")) == [":material-file-pdf-box:"]
    assert SHORTCODE.findall(visible_text("<p>at 12:30: done</p><svg>:a-b:</svg>")) == []


@pytest.mark.slow
def test_no_built_page_shows_an_icon_shortcode(smoke_build: Config) -> None:
    site = smoke_build.resolve(smoke_build.paths.site)
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 12
    found = {p.name: SHORTCODE.findall(visible_text(p.read_text())) for p in pages}
    assert not {k: v for k, v in found.items() if v}, found


@pytest.mark.slow
def test_gallery_links_both_decks(smoke_build: Config) -> None:
    site = smoke_build.resolve(smoke_build.paths.site)
    html = (site / "gallery.html").read_text()
    for ext in ("pptx", "pdf"):
        assert f'href="downloads/holes-and-clouds-deck.{ext}"' in html
        assert (site / "downloads" / f"holes-and-clouds-deck.{ext}").is_file()
    assert html.count("-slide.png") >= 8  # each key figure's card links its slide variants
    # and names its slide, whose title can be shorter than the figure's
    assert len(re.findall(r'In the deck: slide \d+, "[^"]+"', html)) >= 8
    # in the deck's order, the figures not in it last: a teacher reads the two side by side
    places = re.findall(r"In the deck: slide (\d+)|(Not in the deck)", html)
    numbers = [int(k) for k, _ in places if k]
    assert numbers == sorted(numbers) and places[:len(numbers)] == [(str(k), "") for k in numbers]


@pytest.mark.slow
def test_the_gallery_s_credit_line_names_the_site_where_it_is_published(smoke_copy) -> None:
    from pipeline.core.runner import run

    from .conftest import smoke_config
    root, _ = smoke_copy
    assert run(smoke_config(root, "site.url=https://example.org/hc/"), log=lambda m: None) == ["site"]
    html = (root / "site" / "gallery.html").read_text()
    credit = re.search(r'id="caption-attribution">([^<]+)<', html).group(1)
    assert credit.startswith('Figure from "Holes &amp; Clouds" (https://example.org/hc/) by ')


@pytest.mark.slow
def test_every_page_front_matter_is_read_not_printed(smoke_build):
    """A page's YAML front matter (``hide: - toc``) must reach mkdocs as front matter: a Jinja
    tag that ate the newline after its ``---`` once printed it as the draw page's title."""
    site = Path(smoke_build.resolve(smoke_build.paths.site))
    for page in sorted(site.glob("*.html")):
        text = visible_text(page.read_text())
        assert "hide:" not in text and "---" not in text, page.name


def broken_anchors(site: Path) -> list[tuple[str, str]]:
    """(page, href) of every link to a page of the site whose #fragment is no id on that page
    (mkdocs checks the Markdown links it sees; not those written as HTML in a table)."""
    ids = {p.name: set(re.findall(r'\bid="([^"]+)"', p.read_text())) for p in site.glob("*.html")}
    bad = []
    for page in sorted(ids):
        for target, frag in re.findall(r'href="([^"#:/]*\.html)?#([^"]+)"', (site / page).read_text()):
            if (target or page) in ids and frag not in ids[target or page]:
                bad.append((page, f"{target}#{frag}"))
    return bad


def test_anchor_check_finds_a_missing_id(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<a href="b.html#here">x</a><a href="#top">t</a><p id="top"></p>')
    (tmp_path / "b.html").write_text('<h2 id="there">x</h2>')
    assert broken_anchors(tmp_path) == [("a.html", "b.html#here")]


@pytest.mark.slow
def test_every_link_into_a_page_lands_on_an_id_there(smoke_build: Config) -> None:
    """The links to a story page's "How we measured" box land on it (an id inside the box)."""
    site = smoke_build.resolve(smoke_build.paths.site)
    assert "side-by-side.html#how-we-measured" in (site / "index.html").read_text()
    assert broken_anchors(site) == []


def test_caption_terms_get_the_pages_definitions() -> None:
    """A figure's caption is raw HTML, which Markdown's abbr extension skips: helpers marks its
    terms from the same definitions, whole words only, and escapes the rest."""
    from pipeline.stages.s6_site.helpers import abbreviations, with_definitions
    html = str(with_definitions("FID <of> the AE's samples; AEs and FIDelity stay plain"))
    assert html.count("<abbr ") == 2 and "&lt;of&gt;" in html
    assert f'title="{abbreviations()["AE"]}">AE</abbr>' in html.replace("&#39;", "'")
    assert "AEs and FIDelity" in html


@pytest.mark.slow
def test_built_captions_define_their_terms(smoke_build: Config) -> None:
    site = smoke_build.resolve(smoke_build.paths.site)
    captions = re.findall(r"<figcaption>.*?</figcaption>", (site / "generation-problem.html").read_text(), re.S)
    assert any('<abbr title="Fréchet' in c for c in captions), captions[:2]


@pytest.mark.slow
def test_the_robustness_table_gives_each_judge_its_verdict_and_its_ranges(smoke_build: Config) -> None:
    # Judges measure in their own features (a PCA FID is far from a CNN FID), so one range over
    # all judges mixed scales; and the page is to say which verdicts held under which judges.
    from pipeline.core.report import read as read_report
    e = read_report(smoke_build.resolve(smoke_build.paths.artifacts) / "analyse").robustness
    judges = [j.upper() for j in e.judges]
    html = (smoke_build.resolve(smoke_build.paths.site) / "robustness.html").read_text()
    table = re.search(r'class="hc-cards hc-compare-cards".*?</table>', html, re.S).group(0)
    table = re.sub(r"</?(abbr|strong|span)\b[^>]*>", "", table)  # the glossary's tooltips, emphasis
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    judged = [c for c in cells if c and "<br" in c[1]]
    assert len(judged) == sum(1 for c in e.comparisons.values() if c.by_judge) >= 4
    for name, verdict, _, a, b in judged:
        lines = re.split(r"<br\s*/?>", verdict)
        assert [line.split(":")[0] for line in lines[1:]] == judges, (name, verdict)
        assert all(line.split(": ")[1] in ("better", "worse", "level", "not settled") for line in lines[1:])
        for side in (a, b):
            assert [line.split()[0] for line in re.split(r"<br\s*/?>", side)] == judges, (name, side)
