"""Search works on the built smoke site opened from disk (file://, no server), as a reader who
downloaded the site would open it, and makes no request outside the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser import browser, watch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(smoke_build) -> Path:
    return Path(smoke_build.paths.site)


def test_the_search_index_is_also_a_script_and_no_page_asks_a_cdn(site):
    assert (site / "search" / "search_index.js").read_text().startswith("var __index = ")
    assert (site / "assets" / "vendor" / "iframe-worker" / "shim.js").is_file()
    for page in site.glob("*.html"):
        assert "unpkg.com" not in page.read_text(), page.name


@pytest.mark.parametrize("start, query", [("index", "latent"), ("vaes", "decoder")])
def test_search_from_disk_finds_pages(site, start, query):
    url = (site / f"{start}.html").as_uri()
    with browser() as b:
        page = b.new_page(viewport={"width": 1280, "height": 900})
        log = watch(page, url)
        page.goto(url, wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()  # hidden when the search worker cannot start (file:// without the shim)
        box.press_sequentially(query, delay=30)  # typed keys: Material searches on keyup
        results = page.locator(".md-search-result__item")
        results.first.wait_for(state="visible", timeout=15000)
        meta = page.locator(".md-search-result__meta").inner_text()
        first_link = results.first.locator("a").first.get_attribute("href")
        assert results.count() >= 1, meta
        assert "matching document" in meta, meta
        assert first_link and ".html" in first_link, first_link
        assert not log.console_errors, log.console_errors
        assert not log.failed, log.failed
        assert not log.foreign, log.foreign
        # A result opens its page from disk too.
        results.first.locator("a").first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith("file://") and page.locator("h1").count() >= 1
