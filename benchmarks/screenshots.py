"""Full-page screenshots of every page of a built site, light and dark, for a human to look at.

    .venv/bin/python benchmarks/screenshots.py site/ /tmp/shots [page ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from tests.test_site_browser import PAGES  # noqa: E402


def main() -> None:
    site, out = Path(sys.argv[1]), Path(sys.argv[2])
    pages = sys.argv[3:] or PAGES
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright
    with serve(site) as base, sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for scheme in ("light", "dark"):
            page = b.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
            for name in pages:
                page.goto(base + f"{name}.html", wait_until="networkidle")
                page.evaluate("() => { for (const i of document.images) i.loading = 'eager'; }")
                page.wait_for_timeout(800)
                page.screenshot(path=str(out / f"{name}-{scheme}.png"), full_page=True)
            page.close()
        b.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
