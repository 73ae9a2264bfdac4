"""The widgets' sources: colours come from the data files (pipeline/core/palette.py), never from
the JavaScript or the HTML; every JS file stays small; every script a partial loads exists."""

from __future__ import annotations

import re

import pytest

from pipeline.stages.s6_site.stage import SITE_SRC

SOURCES = sorted([*(SITE_SRC / "assets" / "js").glob("*.js"), *(SITE_SRC / "partials").glob("*.html")])
# "#rgb"/"#rrggbb"(aa) as a string or a CSS value, and rgb(…)/rgba(…) with a number inside
COLOR_LITERAL = re.compile(r"""["':]\s*#[0-9a-fA-F]{3,8}\b|rgba?\(\s*\d""")


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_no_colour_literal_in_widget_sources(path):
    hits = [f"{path.name}:{i}: {line.strip()}" for i, line in enumerate(path.read_text().splitlines(), 1)
            if COLOR_LITERAL.search(line)]
    assert not hits, "colours belong in pipeline/core/palette.py:\n" + "\n".join(hits)


def test_the_colour_check_sees_literals():
    for line in ('g.fillStyle = "#000";', "<span style=\"color:#3f90da\">", "c = 'rgba(255,255,255,0.9)';"):
        assert COLOR_LITERAL.search(line), line
    assert not COLOR_LITERAL.search('g.fillStyle = C.background; var url = base + "#x";')


@pytest.mark.parametrize("path", sorted((SITE_SRC / "assets" / "js").glob("*.js")),
                         ids=lambda p: p.name)
def test_js_files_stay_under_300_lines(path):
    assert len(path.read_text().splitlines()) <= 300


@pytest.mark.parametrize("path", sorted((SITE_SRC / "partials").glob("*.html")), ids=lambda p: p.name)
def test_partials_load_existing_scripts_after_the_shared_helpers(path):
    scripts = re.findall(r'<script src="assets/js/([^"]+)"></script>', path.read_text())
    assert scripts, "a partial ends in its own script tags"
    if any(name.startswith("hc-") for name in scripts):  # the widgets share hc-common.js
        assert scripts[0] == "hc-common.js", scripts
    for name in scripts:
        assert (SITE_SRC / "assets" / "js" / name).is_file(), name
