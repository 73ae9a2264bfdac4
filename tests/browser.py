"""A real browser for the tests: Debian's chromium driven by Playwright, on a local static server."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("HC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    if os.environ.get("HC_SKIP_BROWSER") == "1":
        pytest.skip("HC_SKIP_BROWSER=1")
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: run ./test.sh as root (it installs Debian's chromium), "
                    "install it yourself, or set HC_SKIP_BROWSER=1 to skip the browser tests.")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageLog:
    """Everything a page did that a test may object to."""
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    bytes_by_url: dict[str, int] = field(default_factory=dict)


def watch(page, base: str) -> PageLog:
    """Record console errors, failed requests and requests to any other host than ``base``."""
    log = PageLog()
    host = urlparse(base).netloc

    def on_request(req):
        if urlparse(req.url).scheme in ("http", "https", "ws", "wss") and urlparse(req.url).netloc != host:
            log.foreign.append(req.url)

    def on_response(resp):
        if resp.status >= 400:
            log.failed.append(f"{resp.status} {resp.url}")
        with contextlib.suppress(Exception):
            log.bytes_by_url[resp.url] = len(resp.body())

    page.on("console", lambda msg: msg.type == "error" and log.console_errors.append(msg.text))
    page.on("pageerror", lambda err: log.console_errors.append(str(err)))
    # ERR_ABORTED is the browser cancelling a request because the test navigated on; a missing
    # file shows up as a 4xx response above, so nothing real hides behind this filter.
    page.on("requestfailed", lambda req: req.failure != "net::ERR_ABORTED"
            and log.failed.append(f"{req.failure} {req.url}"))
    page.on("request", on_request)
    page.on("response", on_response)
    return log


@contextlib.contextmanager
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def widget_problems(log: PageLog) -> list[str]:
    """Console errors, failed requests and foreign requests of a page (the search index too: the
    offline plugin writes it, so a page opened from disk must find it)."""
    return log.console_errors + log.failed + log.foreign
