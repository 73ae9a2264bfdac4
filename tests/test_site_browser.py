"""The built smoke site in a real chromium: every page loads cleanly, offline, with every image."""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser import browser, serve, watch

pytestmark = pytest.mark.browser

# The pages of the design, in the reader's order (mkdocs.yml's nav).
PAGES = ["index", "autoencoders", "generation-problem", "vaes", "side-by-side", "explorer", "draw",
         "interpolation", "toy", "claims", "robustness", "beyond-2d", "glossary", "gallery", "code",
         "reproduce"]

BROKEN_IMAGES_JS = """async () => {
  for (const img of document.images) { img.loading = 'eager'; img.scrollIntoView(); }
  await Promise.all([...document.images].map(img => img.complete ? null :
      new Promise(r => { img.onload = r; img.onerror = r; setTimeout(r, 5000); })));
  return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))
                             .map(i => i.currentSrc || i.src);
}"""


@pytest.fixture(scope="module")
def site(smoke_build) -> Path:
    return Path(smoke_build.paths.site)


def test_every_page_of_the_design_is_built(site):
    for name in PAGES:
        assert (site / f"{name}.html").is_file(), name


def test_every_page_loads_offline_with_no_error_and_every_image(site):
    problems = []
    with serve(site) as base, browser() as b:
        page = b.new_page()
        log = watch(page, base)
        for name in PAGES:
            before = (len(log.console_errors), len(log.failed), len(log.foreign))
            page.goto(base + f"{name}.html", wait_until="load")
            page.wait_for_timeout(300)
            broken = page.evaluate(BROKEN_IMAGES_JS)
            page.wait_for_timeout(200)
            errs = log.console_errors[before[0]:]
            failed = log.failed[before[1]:]
            foreign = log.foreign[before[2]:]
            if errs or failed or foreign or broken:
                problems.append(f"{name}: console={errs} failed={failed} foreign={foreign} broken={broken}")
            assert page.locator("h1").count() >= 1, f"{name} has no title"
    assert not problems, "\n".join(problems)


def test_pages_open_with_a_picture(site):
    """Pictures first: each content page shows a figure or a widget before its second section."""
    with serve(site) as base, browser() as b:
        page = b.new_page()
        for name in PAGES:
            if name in ("code", "reproduce", "gallery"):
                continue
            page.goto(base + f"{name}.html")
            first = page.evaluate("""() => {
              const c = document.querySelector('article');
              const visual = c.querySelector('figure, img, canvas, svg.hc-visual, .hc-widget');
              const h2 = c.querySelector('h2');
              if (!visual) return 'none';
              if (!h2) return 'ok';
              return (h2.compareDocumentPosition(visual) & Node.DOCUMENT_POSITION_FOLLOWING) ? 'late' : 'ok';
            }""")
            assert first == "ok", f"{name}: first picture is {first}"


FIRST_SCREEN_PICTURES_JS = """() => [...document.querySelectorAll(
    'article img, article canvas, article svg, article video')].filter(e => {
  const r = e.getBoundingClientRect();
  return r.width >= 150 && r.height >= 100 && r.top < innerHeight && r.bottom > 0;
}).length"""


@pytest.mark.parametrize("width, height", [(1400, 900), (400, 800)])
def test_every_page_shows_a_picture_on_its_first_screen(site, width, height):
    """Every page, the code and reproduce pages and the gallery included, shows a figure or a
    widget's picture (at least 150 × 100 px) without scrolling, on a desktop and on a phone."""
    missing = []
    with serve(site) as base, browser() as b:
        page = b.new_page(viewport={"width": width, "height": height})
        for name in PAGES:
            page.goto(base + f"{name}.html", wait_until="load")
            page.wait_for_timeout(300)  # widgets draw their canvases after loading their data
            if not page.evaluate(FIRST_SCREEN_PICTURES_JS):
                missing.append(name)
    assert not missing, f"no picture on the first screen at {width}×{height}: {missing}"


PHONE_PICTURES_JS = """() => [...document.querySelectorAll('article picture')].map(p => {
  const img = p.querySelector('img');
  return {src: img.currentSrc, shown: img.getBoundingClientRect().width, natural: img.naturalWidth};
})"""


@pytest.mark.parametrize("width, phone", [(390, True), (1400, False)])
def test_story_figures_serve_their_phone_variant_on_a_phone_only(site, width, phone):
    """A story page's figure with a phone variant shows it on a 390 px screen (its text is set
    for that width) and the web PNG on a desktop."""
    with serve(site) as base, browser() as b:
        page = b.new_page(viewport={"width": width, "height": 900})
        seen = []
        for name in ("index", "autoencoders", "generation-problem", "vaes", "side-by-side"):
            page.goto(base + f"{name}.html", wait_until="load")
            page.evaluate("() => document.querySelectorAll('article picture img').forEach(i => i.loading = 'eager')")
            page.wait_for_timeout(300)
            seen += page.evaluate(PHONE_PICTURES_JS)
    assert len(seen) >= 8, seen
    for pic in seen:
        assert pic["src"].endswith("-phone.png") == phone, pic
        if phone:  # about its natural size (2x PNG, at least half of it on the screen)
            assert pic["shown"] <= width and pic["natural"] >= pic["shown"], pic


@pytest.mark.parametrize("name, label", [("claims", '"The test: "'),
                                         ("robustness", '"Cases better / worse / level: "'),
                                         ("index", '"Read more: "')])
def test_a_wide_table_is_cards_on_a_phone_and_a_table_on_a_desktop(site, name, label):
    """Five columns in a phone's column leave each a word's width: there each row (a claim, a
    comparison) is a card that fits the screen, its cells labelled; a desktop keeps the table
    with its header."""
    with serve(site) as base, browser() as b:
        page = b.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + f"{name}.html", wait_until="load")
        card = page.evaluate("""() => { const t = document.querySelector('.hc-cards table');
          const td = t.querySelector('tbody td:nth-child(3)');
          return {wide: t.scrollWidth, room: t.closest('article').clientWidth,
                  label: getComputedStyle(td, '::before').content,
                  head: getComputedStyle(t.querySelector('thead')).display}; }""")
        assert card["wide"] <= card["room"] and card["head"] == "none", card
        assert card["label"] == label, card
        page.set_viewport_size({"width": 1400, "height": 900})
        assert page.evaluate("getComputedStyle(document.querySelector('.hc-cards thead'))"
                             ".display") == "table-header-group"


def test_the_claims_table_keeps_its_number_column_narrow_and_its_terms_undotted(site):
    """On a desktop the claim number's column is as narrow as its numbers (the theme's 5rem
    minimum for a header cell made it a fifth of the table), and the defined terms in the
    cells, which name AE, VAE or PCA in every row, carry no dotted underline; in prose they do."""
    with serve(site) as base, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base + "claims.html", wait_until="load")
        got = page.evaluate("""() => { const t = document.querySelector('.hc-claims-cards table');
          const line = e => e ? getComputedStyle(e).borderBottomStyle : null;
          return {first: t.querySelector('th').getBoundingClientRect().width,
                  table: t.getBoundingClientRect().width,
                  cell: line(t.querySelector('td abbr')),
                  prose: line(document.querySelector('article p abbr'))}; }""")
        assert got["first"] < 0.08 * got["table"], got
        assert got["cell"] == "none" and got["prose"] == "dotted", got


def test_a_link_to_how_we_measured_opens_the_box(site):
    """The results table links into a page's collapsed "How we measured": the box opens."""
    with serve(site) as base, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base + "side-by-side.html#how-we-measured", wait_until="load")
        page.wait_for_timeout(500)
        assert page.evaluate("() => document.getElementById('how-we-measured').closest('details').open")
