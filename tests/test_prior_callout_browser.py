"""The N(0, I) callout of the widgets' latent maps (hc-common.js's priorRings), run in a real
browser: where the circles shrink to a dot, the label goes up where there is room above the dot
and below it where the origin is near the map's top (the AE's codes run far down and little up,
and the label was cut off by the canvas's top edge)."""

from __future__ import annotations

import pytest

from pipeline.stages.s6_site.stage import SITE_SRC

from .browser import browser

pytestmark = pytest.mark.browser

PLACE = """([y0, height]) => {
  const c = document.createElement('canvas'); c.width = 300; c.height = height;
  const g = c.getContext('2d'); g.font = '10px sans-serif';
  let at = null;
  HC.priorRings(g, {x0: 150, y0: y0, ux: 1, uy: 1, sigmas: [1, 2, 3], smallPx: 20, lead: 16,
                    width: 300, smallText: 'N(0, I)', label: (text, x, y) => { at = [x, y, g.textBaseline]; }});
  return at;
}"""


@pytest.mark.parametrize("y0, below", [(150, False), (8, True)])
def test_the_prior_callout_stays_on_the_map(y0: int, below: bool) -> None:
    with browser() as b:
        page = b.new_page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(content=(SITE_SRC / "assets" / "js" / "hc-common.js").read_text())
        x, y, baseline = page.evaluate(PLACE, [y0, 300])
    if below:  # the text hangs from y: its top must be inside, under the dot
        assert baseline == "top" and y > y0 and y + 12 < 300
    else:  # the text stands on y: above the dot, and room for it above
        assert baseline == "bottom" and y < y0 and y - 12 > 0
