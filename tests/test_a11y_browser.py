"""Accessibility: axe-core (installed from npm into a cache folder once, never from a CDN) run in
chromium over every page of the built smoke site: no violation at all.

The theme's own issues (mkdocs-material's search dialog, its footer contrast, indigo links in
text) are fixed through the palette and site.css rather than excused, so the list of allowed
rules is empty."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .browser import browser, serve

pytestmark = pytest.mark.browser

AXE_VERSION = "4"
AXE_CACHE = Path(os.environ.get("HC_AXE_CACHE", Path.home() / ".cache" / "holes-and-clouds" / "axe"))
# WCAG 2.1 A and AA rules, and axe's best practices for landmarks and ARIA.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                     "best-practice"]},
               "resultTypes": ["violations"]}
ALLOWED: set[str] = set()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js, installed by npm into AXE_CACHE the first time (later runs reuse it)."""
    script = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed, so axe-core cannot be installed: install npm "
                        "(apt-get install npm) to run the accessibility check")
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([npm, "install", "--prefix", str(AXE_CACHE), f"axe-core@{AXE_VERSION}",
                               "--no-audit", "--no-fund"], capture_output=True, text=True, timeout=300)
        if proc.returncode != 0 or not script.is_file():
            pytest.fail(f"npm install axe-core@{AXE_VERSION} into {AXE_CACHE} failed "
                        f"(network? registry?):\n{proc.stderr[-2000:]}")
    return script.read_text()


def _describe(violation: dict) -> str:
    targets = [" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
               for n in violation["nodes"][:3]]
    return f"{violation['id']} ({len(violation['nodes'])}×: {violation['help']}): {targets}"


def _violations(site: Path, axe_source: str) -> list[str]:
    pages = sorted(p.name for p in site.glob("*.html") if p.name != "404.html")
    assert len(pages) >= 10, pages
    problems = []
    with serve(site) as base, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 900})
        for name in pages:
            page.goto(base + name, wait_until="load")
            page.wait_for_timeout(300)  # the widgets draw after load
            page.add_script_tag(content=axe_source)
            result = page.evaluate("opts => axe.run(document, opts)", AXE_OPTIONS)
            problems += [f"{name}: {_describe(v)}" for v in result["violations"]
                         if v["id"] not in ALLOWED]
    return problems


def test_every_page_has_no_axe_violation(smoke_build, axe_source: str) -> None:
    problems = _violations(Path(smoke_build.paths.site), axe_source)
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not os.environ.get("HC_A11Y_SITE"),
                    reason="set HC_A11Y_SITE to a built site folder (e.g. the default build's) to check it")
def test_a_given_site_has_no_axe_violation(axe_source: str) -> None:
    """The same check on another build, e.g. HC_A11Y_SITE=artifacts/site/site for the default."""
    problems = _violations(Path(os.environ["HC_A11Y_SITE"]), axe_source)
    assert not problems, "\n".join(problems)
