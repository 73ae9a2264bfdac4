"""Template slips in the built pages (issue 24): a space before a colon ("prior samples :"), two
spaces inside a sentence ("the VAE's  in"), and a count that disagrees with its verb ("1 say",
"3 says"). They come from templates that join optional pieces, so the check reads the built HTML,
as a reader gets it, and only its prose: code, maths, scripts and styles are left out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.core.config import Config

# Prose lives in text nodes; code blocks, maths and scripts keep their own spacing rules.
SKIPPED = re.compile(r"<(script|style|svg|pre|code|math|textarea)\b.*?</\1>", re.S | re.I)
TEXT_NODE = re.compile(r">([^<>]+)<")
SLIPS = {
    "space before a colon": re.compile(r"[\w)\]’'] :(?=\s|$)"),
    "double space": re.compile(r"\S {2,}(?=\S)"),
    # A plural verb after "1", or a singular verb after any other whole count.
    "count and verb disagree": re.compile(
        r"(?<![\d.,])(?:1 (?:say|give|are|were|have|show|hold)"
        r"|(?<!= )(?<!or )(?<!and )(?:0|[2-9]|[1-9]\d+) (?:says|gives|is|was|has|shows|holds))\b"),
}


def slips(html: str) -> list[tuple[str, str]]:
    """Every slip in a page's prose, as (kind, the text around it)."""
    found = []
    for node in TEXT_NODE.findall(SKIPPED.sub("<x>", html)):
        for line in node.splitlines():  # a line break in the source is not a double space
            for kind, pattern in SLIPS.items():
                for m in pattern.finditer(line):
                    found.append((kind, line[max(0, m.start() - 30):m.end() + 30].strip()))
    return found


@pytest.mark.parametrize("html, kind", [
    ("<p>prior samples : 12</p>", "space before a colon"),
    ("<p>the VAE's  in every seed</p>", "double space"),
    ("<p>of 3 seeds, 1 say the AE's</p>", "count and verb disagree"),
    ("<p>of 4 cases, 3 says better</p>", "count and verb disagree"),
])
def test_each_slip_is_found(html: str, kind: str) -> None:
    assert [k for k, _ in slips(html)] == [kind]


@pytest.mark.parametrize("html", [
    "<p>of 3 seeds, 1 says the AE's and 2 say the VAE's</p>",
    "<p>time 12:30: done</p>",
    "<pre><code>x  =  1 :</code></pre>",
    "<p>a line\n    continued</p>",
    "<p>β = 0.5 is weak; β = 0 is an AE with noise; a 0, 1 or 8 is still that digit</p>",
    "<p><strong>Note</strong>: fine</p>",
])
def test_good_prose_passes(html: str) -> None:
    assert slips(html) == []


@pytest.mark.slow
def test_no_built_page_has_a_template_slip(smoke_build: Config) -> None:
    site = Path(smoke_build.resolve(smoke_build.paths.site))
    found = {p.name: slips(p.read_text()) for p in sorted(site.glob("*.html"))}
    assert not {k: v for k, v in found.items() if v}, found
