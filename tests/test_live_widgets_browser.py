"""The widgets that run the real models in the page, driven as a reader would: the home page's
hero (sample buttons) and draw your own digit (drawing, clear, a test image), over http and from
file://, on a desktop (1400 x 900) and a phone (390 x 844), with no console error and no request
leaving the site."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from pipeline.stages.s6_site.stage import SITE_SRC

from .browser import browser, serve, watch, widget_problems

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": (1400, 900), "phone": (390, 844)}
NONBLACK = "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;" \
           " let n = 0; for (let i = 0; i < d.length; i += 4) n += d[i] > 40; return n; }"


INKED_COLUMNS = "c => { c.blur(); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;" \
                " const cols = new Set(); for (let i = 0; i < d.length; i += 4) if (d[i] > 40) cols.add((i / 4) % c.width);" \
                " return [...cols]; }"


HERO_PAGE = "hero-widget"  # the hero alone on a page of its own (the home page includes it too)


@pytest.fixture(scope="module")
def site(smoke_build, tmp_path_factory) -> Path:
    """A copy of the smoke site plus <HERO_PAGE>.html: the hero partial in a page with the site's
    stylesheets, so the widget is tested whichever page includes it."""
    built = Path(smoke_build.paths.site)
    copy = tmp_path_factory.mktemp("live") / "site"
    shutil.copytree(built, copy)
    styles = re.findall(r'<link rel="stylesheet" href="[^"]+"[^>]*>', (built / "explorer.html").read_text())
    partial = (SITE_SRC / "partials" / "hero.html").read_text()
    (copy / f"{HERO_PAGE}.html").write_text(
        "<!doctype html><html><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\">" + "".join(styles) +
        "</head><body><article class=\"md-content__inner md-typeset\">" + partial + "</article></body></html>")
    return copy


@pytest.fixture(scope="module")
def live(site) -> dict:
    return json.loads((site / "assets" / "data" / "explorer" / "live.json").read_text())


@pytest.fixture(scope="module")
def open_widget(site):
    """open_widget(page name, selector, mode, viewport) -> page with that widget ready."""
    with serve(site) as base, browser() as b:
        logs = []

        def open_page(name: str, selector: str, mode: str, viewport: str, touch: bool = False):
            w, h = VIEWPORTS[viewport]
            page = (b.new_context(viewport={"width": w, "height": h}, has_touch=True, is_mobile=True).new_page()
                    if touch else b.new_page(viewport={"width": w, "height": h}))
            logs.append(watch(page, base))
            root = base if mode == "http" else site.as_uri() + "/"
            page.goto(root + f"{name}.html", wait_until="load")
            page.wait_for_selector(f"{selector}[data-ready='1']", timeout=20000)
            return page
        yield open_page
        for log in logs:
            assert not widget_problems(log), log


def panel_z(page, selector: str, model: str) -> tuple[float, ...]:
    return tuple(float(v) for v in page.locator(f"{selector} [data-model='{model}']").get_attribute("data-z").split(","))


@pytest.mark.parametrize("mode", ["http", "file"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_hero_samples_both_models_and_the_aes_own_sets(open_widget, live, mode, viewport):
    page = open_widget(HERO_PAGE, ".hc-hero", mode, viewport)
    panels = page.locator(".hc-hero-panel")
    assert panels.count() == 2
    # one legend for both maps: each class's colour and the sampled points' mark
    legend = page.locator(".hc-hero .hc-legend")
    assert legend.is_visible()
    assert re.fullmatch(r"Training codes by digit:(\s*\u25a0\s*\d\s*){10}\u25cf\s*sampled points\s*",
                        legend.inner_text()), legend.inner_text()
    page.get_by_role("button", name="Sample from N(0, I)").click()
    page.wait_for_selector(".hc-hero-panel[data-model='vae2'][data-set='prior']", timeout=20000)
    for model in ("ae2", "vae2"):
        fig = page.locator(f".hc-hero-panel[data-model='{model}']")
        assert fig.get_attribute("data-n") == "64"
        assert fig.locator("canvas.hc-hero-grid").evaluate(NONBLACK) > 0, f"{model}: nothing decoded"
    before = page.locator(".hc-hero-panel[data-model='ae2'] canvas.hc-hero-grid").evaluate("c => c.toDataURL()")
    vae = page.locator(".hc-hero-panel[data-model='vae2']")
    vae_before = (vae.get_attribute("data-z0"), vae.locator("canvas.hc-hero-grid").evaluate("c => c.toDataURL()"))
    page.locator("button[data-set='box']").focus()
    page.keyboard.press("Enter")  # keyboard operable
    page.wait_for_selector(".hc-hero-panel[data-model='ae2'][data-set='box']", timeout=20000)
    ae = page.locator(".hc-hero-panel[data-model='ae2']")
    z0 = [float(v) for v in ae.get_attribute("data-z0").split(",")]
    assert np.allclose(z0, live["samples"]["ae_box"][0]), "the AE decodes the report's box points"
    # the points beyond the map's window are counted in the caption, not piled on its edge unsaid
    w = live["models"]["ae2"]["window"]
    box = np.asarray(live["samples"]["ae_box"])[:64]  # the first press shows the first 64
    out = int(((box[:, 0] < w[0]) | (box[:, 0] > w[1]) | (box[:, 1] < w[2]) | (box[:, 1] > w[3])).sum())
    assert ae.get_attribute("data-outside") == str(out)
    assert (f"{out} of them lie beyond the map" in ae.locator(".hc-hero-caption").inner_text()) == (out > 0)
    assert ae.locator("canvas.hc-hero-grid").evaluate("c => c.toDataURL()") != before
    # an AE button changes the AE panel only: the VAE keeps the N(0, I) sample it shows
    assert vae.get_attribute("data-set") == "prior"
    assert (vae.get_attribute("data-z0"), vae.locator("canvas.hc-hero-grid").evaluate("c => c.toDataURL()")) == vae_before
    if len(live["samples"]["ae_box"]) >= 128:  # a second press shows the report's next 64 points
        first = ae.get_attribute("data-z0")
        page.locator("button[data-set='box']").click()
        page.wait_for_function("() => document.querySelector(\".hc-hero-panel[data-model='ae2']\")"
                               ".getAttribute('data-z0') !== " + json.dumps(first))
        z0 = [float(v) for v in ae.get_attribute("data-z0").split(",")]
        assert np.allclose(z0, live["samples"]["ae_box"][64])
        assert "set 2 of" in ae.locator(".hc-hero-caption").inner_text()
    page.locator("button[data-set='gmm']").click()
    page.wait_for_selector(".hc-hero-panel[data-model='ae2'][data-set='gmm']", timeout=20000)
    assert "Gaussian mixture" in ae.locator(".hc-hero-caption").inner_text()
    pressed = [b.get_attribute("data-set") for b in page.locator(".hc-hero button[aria-pressed='true']").all()]
    assert pressed == ["gmm"], "the pressed button shows which set is on the maps"
    assert page.locator(".hc-hero details.hc-alt").count() == 1


def test_an_ae_button_pressed_first_fills_the_vae_panel_with_n01_once(open_widget):
    page = open_widget(HERO_PAGE, ".hc-hero", "http", next(iter(VIEWPORTS)))
    page.locator("button[data-set='gmm']").click()
    page.wait_for_selector(".hc-hero-panel[data-model='ae2'][data-set='gmm']", timeout=20000)
    vae = page.locator(".hc-hero-panel[data-model='vae2']")
    assert vae.get_attribute("data-set") == "prior" and vae.get_attribute("data-n") == "64"
    assert "N(0, I)" in vae.locator(".hc-hero-caption").inner_text()
    first = vae.get_attribute("data-z0")
    page.locator("button[data-set='gmm']").click()
    page.wait_for_selector(".hc-hero-caption:has-text('set 2 of')", timeout=20000)
    assert vae.get_attribute("data-z0") == first, "a second AE press redrew the VAE panel"


def draw_stroke(page, points: list[tuple[float, float]]) -> None:
    box = page.locator("canvas.hc-draw-canvas").bounding_box()
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for p in xy[1:]:
        page.mouse.move(*p, steps=4)
    page.mouse.up()


@pytest.mark.parametrize("mode", ["http", "file"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_draw_places_the_drawing_in_both_spaces(open_widget, live, mode, viewport):
    page = open_widget("draw", ".hc-draw", mode, viewport)
    canvas = page.locator("canvas.hc-draw-canvas")
    assert page.locator(".hc-draw").get_attribute("data-example") == "0"
    first = (panel_z(page, ".hc-draw", "ae2"), panel_z(page, ".hc-draw", "vae2"))
    page.locator("button.hc-draw-clear").focus()
    page.keyboard.press("Enter")
    assert canvas.evaluate(NONBLACK) == 0, "clear left ink on the canvas"
    for model in ("ae2", "vae2"):  # an empty canvas is no digit: nothing is placed or matched
        fig = page.locator(f".hc-draw [data-model='{model}']")
        assert fig.get_attribute("data-z") is None and fig.locator(".hc-nn-label").count() == 0
        assert fig.locator("canvas.hc-draw-recon").evaluate(NONBLACK) == 0
        assert "empty" in fig.locator(".hc-draw-code").inner_text()
    draw_stroke(page, [(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)])  # a "1"
    assert canvas.evaluate(NONBLACK) >= 20, "the stroke inked too few pixels"
    page.wait_for_timeout(100)
    drawn = (panel_z(page, ".hc-draw", "ae2"), panel_z(page, ".hc-draw", "vae2"))
    assert drawn[0] != first[0] and drawn[1] != first[1]
    vae = page.locator(".hc-draw [data-model='vae2']")
    sigma = [float(v) for v in vae.get_attribute("data-sigma").split(",")]
    assert all(s > 0 for s in sigma) and "\u03c3 = (" in vae.locator(".hc-draw-code").inner_text()
    assert page.locator(".hc-draw [data-model='ae2'] .hc-draw-zoombox").is_hidden(), "a point has no size to zoom into"
    for model in ("ae2", "vae2"):
        fig = page.locator(f".hc-draw [data-model='{model}']")
        assert fig.locator("canvas.hc-draw-recon").evaluate(NONBLACK) > 0
        assert fig.locator(".hc-nn-label").count() == 5
    page.locator("button.hc-draw-test").click()
    assert page.locator(".hc-draw").get_attribute("data-example") == "1"
    label = str(live["test_labels"][1])
    assert f"a {label}" in canvas.get_attribute("aria-label")


def test_draw_from_the_keyboard_alone(open_widget):
    page = open_widget("draw", ".hc-draw", "http", "desktop")
    canvas = page.locator("canvas.hc-draw-canvas")
    first = panel_z(page, ".hc-draw", "ae2")  # the first test image, not cleared
    canvas.focus()
    for key in ["Shift+ArrowUp"] * 3 + ["Space"] + ["ArrowDown"] * 12 + ["Space"]:
        page.keyboard.press(key)
    assert page.locator(".hc-draw").get_attribute("data-pen") == "up"
    assert canvas.evaluate(NONBLACK) >= 20, "the keyboard stroke inked too few pixels"
    assert len(canvas.evaluate(INKED_COLUMNS)) <= 6, "the stroke was added to the test image"
    page.wait_for_timeout(100)
    assert panel_z(page, ".hc-draw", "ae2") != first
    assert "Arrow keys" in canvas.get_attribute("aria-label")
    assert canvas.get_attribute("tabindex") == "0"


@pytest.mark.parametrize("mode", ["http", "file"])
def test_explorer_hover_decodes_the_exact_point_live(open_widget, mode):
    page = open_widget("explorer", ".hc-explorer", mode, "desktop")
    fig = page.locator(".hc-map[data-model='vae2']")
    box = fig.locator("canvas.hc-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.6)
    page.wait_for_selector(".hc-map[data-model='vae2'] canvas.hc-hover:not([hidden])", timeout=20000)
    first = fig.get_attribute("data-hover-z")
    image = fig.locator("canvas.hc-hover").evaluate("c => c.toDataURL()")
    page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.2)
    page.wait_for_function("([f, z]) => f.getAttribute('data-hover-z') !== z", arg=[fig.element_handle(), first])
    x, y = (float(v) for v in fig.get_attribute("data-hover-z").split(","))
    assert f"({x:.2f}".replace("-", "\u2212") in fig.locator(".hc-hover-text").inner_text()
    assert fig.locator("canvas.hc-hover").evaluate("c => c.toDataURL()") != image
    page.mouse.move(1, 1)
    page.wait_for_selector(".hc-map[data-model='vae2'] canvas.hc-hover[hidden]", state="attached")


def drag(page, selector: str, start: tuple[float, float], end: tuple[float, float]) -> None:
    box = page.locator(selector).bounding_box()
    page.mouse.move(box["x"] + start[0] * box["width"], box["y"] + start[1] * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + end[0] * box["width"], box["y"] + end[1] * box["height"], steps=12)
    page.mouse.up()


@pytest.mark.parametrize("mode", ["http", "file"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_toy_paints_by_drag_switches_models_and_keeps_input_and_output_honest(open_widget, mode, viewport):
    page = open_widget("toy", ".hc-toy", mode, viewport)
    root, code = page.locator(".hc-toy"), page.locator("output.hc-code")
    page.locator("button.hc-toy-clear").click()
    drag(page, ".hc-toy-grid", (0.55, 0.04), (0.55, 0.96))  # down one column
    pressed = page.locator(".hc-cell[aria-pressed='true']").count()
    assert pressed >= 6, f"a drag down the grid painted {pressed} cells"
    ae_z = code.get_attribute("data-z")
    assert page.locator(".hc-toy-beta-value").inner_text() == "\u03b2: VAE only"  # an AE has no β
    page.locator(".hc-toy-kind[value='vae']").check()
    assert root.get_attribute("data-model").startswith("vae-")
    assert code.get_attribute("data-z") != ae_z and "\u03c3 = (" in code.inner_text()
    vae_z = code.get_attribute("data-z")
    slider = page.locator("input.hc-toy-beta")
    slider.focus()
    page.keyboard.press("ArrowLeft")
    assert code.get_attribute("data-z") != vae_z, "another β, another code"
    assert "\u03b2 = " in page.locator(".hc-toy-beta-value").inner_text()
    page.locator("button.hc-toy-prior").click()
    assert "hc-idle" in page.locator(".hc-toy-grid").get_attribute("class")
    assert "Not in use" in page.locator(".hc-toy-input-note").inner_text()
    sample_z = code.get_attribute("data-z")
    recon = page.locator("canvas.hc-toy-recon").evaluate("c => c.toDataURL()")
    slider.focus()
    page.keyboard.press("ArrowRight")  # another β decodes the same sample, not the grid's input
    assert code.get_attribute("data-z") == sample_z
    assert page.locator(".hc-toy-what").inner_text().replace("\xa0", " ") == "Showing a sample of N(0, I)."
    assert "hc-idle" in page.locator(".hc-toy-grid").get_attribute("class")
    assert page.locator("canvas.hc-toy-recon").evaluate("c => c.toDataURL()") != recon, "another β, another decoder"
    page.locator(".hc-cell[data-index='0']").click()  # painting again encodes the grid again
    assert "hc-idle" not in page.locator(".hc-toy-grid").get_attribute("class")
    box = page.locator("canvas.hc-toy-map").bounding_box()
    page.locator("canvas.hc-toy-map").click(position={"x": box["width"] * 0.2, "y": box["height"] * 0.3})
    assert "hc-idle" in page.locator(".hc-toy-grid").get_attribute("class")
    assert page.locator(".hc-toy-what").inner_text() == "Showing the point you clicked on the map."
    page.locator(".hc-toy-kind[value='ae']").check()
    assert slider.is_disabled() and root.get_attribute("data-model") == "ae"


@pytest.mark.parametrize("mode", ["http", "file"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_interpolation_minimaps_follow_the_slider(open_widget, mode, viewport):
    page = open_widget("interpolation", ".hc-interp", mode, viewport)
    maps = page.locator(".hc-minimaps canvas")
    assert maps.count() == 2 and [maps.nth(i).get_attribute("data-kind") for i in (0, 1)] == ["ae_linear", "vae_linear"]
    pixels = "c => c.toDataURL()"  # from file:// the hole map's image taints the canvas: no pixels
    before = maps.nth(0).evaluate(pixels) if mode == "http" else None
    page.locator("input.hc-slider").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert all(maps.nth(i).get_attribute("data-step") == "2" for i in (0, 1))
    assert "current step 3 at" in maps.nth(1).get_attribute("aria-label")
    if mode == "http":
        assert maps.nth(0).evaluate(pixels) != before, "the current step's ring did not move"
    page.locator(".hc-slerp").check()
    assert page.locator(".hc-minimaps canvas").nth(1).get_attribute("data-kind") == "vae_slerp"
    width = page.locator(".hc-chart").first.bounding_box()["width"]
    assert width >= min(300, VIEWPORTS[viewport][0] - 60), f"chart only {width} px wide"


@pytest.mark.parametrize("mode", ["http", "file"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_architecture_bars_are_proportional_in_the_models_colours(open_widget, site, mode, viewport):
    from pipeline.core.palette import MODEL_COLORS
    page = open_widget("autoencoders", ".hc-arch", mode, viewport)
    arch = json.loads((site / "assets" / "data" / "explorer" / "arch.json").read_text())
    for i, mid in enumerate(sorted(arch["models"])):
        page.locator("input.hc-arch-model").nth(i).check()
        sizes = [layer["size"] for layer in arch["models"][mid]["layers"]]
        bars = page.locator(".hc-layer-bar").evaluate_all(
            "els => els.map(e => [e.getBoundingClientRect().height, getComputedStyle(e).backgroundColor])")
        top = max(h for h, _ in bars)
        for (h, color), size in zip(bars, sizes):
            assert abs(h - max(3.0, top * size / max(sizes))) <= 1.0, (mid, size, h)
        kind = "vae" if mid.startswith("vae") else "ae"
        h = MODEL_COLORS[kind].lstrip("#")
        assert bars[1][1] == f"rgb({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)})", bars[1]
    texts = {}
    for i, layer in enumerate(arch["models"]["vae2"]["layers"]):
        if layer["role"] == "code":
            page.locator("button.hc-layer").nth(i).click()
            texts[layer["code"]] = page.locator(".hc-arch-text").inner_text()
    assert texts["sigma"].split(":", 1)[1] != texts["mu"].split(":", 1)[1], texts
    assert "how far around" in texts["sigma"]


@pytest.mark.parametrize("mode", ["http", "file"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_explorer_replays_training_epoch_by_epoch(open_widget, site, mode, viewport):
    page = open_widget("explorer", ".hc-explorer", mode, viewport)
    meta = json.loads((site / "assets" / "data" / "explorer" / "meta.json").read_text())
    epochs = meta["live"]["replay"]["epochs"]
    assert epochs >= 2
    page.locator(".hc-toggle-replay").check()
    page.wait_for_selector(f".hc-explorer[data-epoch='{epochs}']", timeout=20000)
    assert f"epoch {epochs} of {epochs}" in page.locator(".hc-replay-epoch").inner_text()
    assert "after epoch" in page.locator(".hc-map:not([hidden]) .hc-legend").first.inner_text()
    slider = page.locator("input.hc-replay")
    slider.focus()
    page.keyboard.press("Home")
    assert page.locator(".hc-explorer").get_attribute("data-epoch") == "1"
    assert slider.get_attribute("aria-valuetext") == f"epoch 1 of {epochs}"
    if mode == "http":  # from file:// the tiles taint the canvas: no pixels to compare
        canvas = page.locator(".hc-map[data-model='ae2'] canvas.hc-canvas")
        page.wait_for_timeout(200)
        first = canvas.evaluate("c => c.toDataURL()")
        page.keyboard.press("End")
        page.wait_for_timeout(200)
        assert canvas.evaluate("c => c.toDataURL()") != first, "the codes did not move between epochs"
    page.locator("button.hc-replay-play").click()
    page.wait_for_selector(f".hc-explorer[data-epoch='{epochs}']", timeout=20000)


@pytest.mark.parametrize("mode", ["http", "file"])
def test_touch_paints_the_toy_and_inks_the_drawing(open_widget, mode):
    """A finger (touch events, as a phone sends them) works where a mouse does."""
    page = open_widget("toy", ".hc-toy", mode, "phone", touch=True)
    page.locator("button.hc-toy-clear").tap()
    page.locator(".hc-cell[data-index='27']").tap()
    assert page.locator(".hc-cell[data-index='27']").get_attribute("aria-pressed") == "true"
    page = open_widget("draw", ".hc-draw", mode, "phone", touch=True)
    page.locator("button.hc-draw-clear").tap()
    page.locator("canvas.hc-draw-canvas").tap()
    assert page.locator("canvas.hc-draw-canvas").evaluate(NONBLACK) > 0, "a tap left no ink"
