"""The widgets of the built smoke site, driven in a real chromium the way a reader uses them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.core.config import Config

from .browser import browser, serve, watch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(smoke_build) -> Path:
    return Path(smoke_build.paths.site)


@pytest.fixture(scope="module")
def page_at(site):
    """page_at(name[, viewport, scale]) -> a fresh page on <name>.html with its widgets
    initialised (scale: device pixels per CSS pixel)."""
    with serve(site) as base, browser() as b:
        logs = []

        def open_page(name: str, viewport: tuple[int, int] = (1280, 1000), scale: float = 1):
            page = b.new_page(viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=scale)
            logs.append(watch(page, base))
            page.goto(base + f"{name}.html", wait_until="load")
            page.wait_for_selector(".hc-widget[data-ready='1']", timeout=20000)
            return page
        yield open_page
        for log in logs:
            assert not log.console_errors and not log.failed and not log.foreign, log


def explorer_file(site: Path, name: str) -> Path:
    return site / "assets" / "data" / "explorer" / name


def js_round(x: float) -> int:
    """JavaScript's Math.round (halves go up), not Python's round (halves go to even)."""
    return int(np.floor(x + 0.5))


def js_fmt(x: float, nd: int = 2) -> str:
    """HC.fmt: fixed decimals with a true minus sign."""
    return ("\u2212" if x < 0 else "") + f"{abs(x):.{nd}f}"


def grid_cell(m: dict, z: tuple[float, float]) -> tuple[int, int] | None:
    """(row, col) of analyse's grid cell holding z (row 0 = lowest y), for a model's meta.json
    entry; None outside the window."""
    (x0, x1, y0, y1), g = m["window"], m["grid"]
    col, row = int(np.floor((z[0] - x0) / (x1 - x0) * g)), int(np.floor((z[1] - y0) / (y1 - y0) * g))
    return (row, col) if 0 <= col < g and 0 <= row < g else None


def codes_in_cell(site: Path, model: str, z: tuple[float, float]) -> int:
    """The count analyse's grid holds at z (0 outside the window), read from the data files."""
    m = json.loads(explorer_file(site, "meta.json").read_text())["models"][model]
    cell, g = grid_cell(m, z), m["grid"]
    if cell is None:
        return 0
    return int(np.fromfile(explorer_file(site, m["counts"]), dtype="<u2").reshape(g, g)[cell])


def nearest_labels(site: Path, model: str, z: tuple[float, float], k: int = 5) -> list[int]:
    data = site / "assets" / "data" / "explorer"
    codes = np.fromfile(data / f"codes-{model}.bin", dtype="<f2").astype(np.float64).reshape(-1, 2)
    labels = np.fromfile(data / "labels.bin", dtype=np.uint8)
    d2 = ((codes - np.asarray(z)) ** 2).sum(1)
    return sorted(int(labels[i]) for i in np.argsort(d2, kind="stable")[:k])


def test_explorer_click_shows_decode_coordinates_and_right_neighbours(site, page_at):
    page = page_at("explorer")
    fig = page.locator(".hc-map[data-model='ae2']")
    info = page.locator(".hc-info[data-model='ae2']")  # the inspect panel, beside the maps
    canvas = fig.locator("canvas.hc-canvas")
    box = canvas.bounding_box()
    assert info.locator("img.hc-decode").is_hidden(), "an empty decode box before any inspect"
    seen = []
    for fx, fy in [(0.25, 0.3), (0.7, 0.75)]:
        canvas.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
        page.wait_for_function("""f => { const i = f.querySelector('img.hc-decode');
            return i.src.startsWith('data:image/png') && f.querySelectorAll('.hc-nn-label').length == 5; }""",
                               arg=info.element_handle(), timeout=10000)
        page.wait_for_timeout(200)
        src = info.locator("img.hc-decode").get_attribute("src")
        z = tuple(float(v) for v in fig.get_attribute("data-z").split(","))
        shown = sorted(int(e.get_attribute("data-label")) for e in info.locator(".hc-nn-label").all())
        assert shown == nearest_labels(site, "ae2", z), (z, shown)
        count = codes_in_cell(site, "ae2", z)
        assert fig.get_attribute("data-density") == str(count)
        n_train = json.loads(explorer_file(site, "meta.json").read_text())["n_train"]
        assert info.locator(".hc-density").inner_text().startswith(f"{count} of {n_train:,}")
        assert fig.get_attribute("data-decoded") == "live", "the real decoder drew the exact point"
        seen.append((src, z))
    assert seen[0][0] != seen[1][0], "two different latent points showed the same decode"
    assert seen[0][1] != seen[1][1]


def test_explorer_takes_a_reader_to_the_ae_largest_hole_and_inspects_it_on_both_maps(site, page_at):
    """"Take me to a hole" switches the hole map on, centres the view on the AE's first gap point
    (the VAE's in a build whose AE has none) and inspects it on both maps; the readouts stay in model order (AE, then VAE) whichever
    map's tiles arrived first."""
    page = page_at("explorer")
    assert [e.get_attribute("data-model") for e in page.locator(".hc-inspect .hc-info").all()] == ["ae2", "vae2"]
    holes = page.locator(".hc-toggle-holes")
    assert not holes.is_checked()
    page.locator(".hc-tour-hole").click()
    for model in ("ae2", "vae2"):
        page.wait_for_function("""f => f.querySelector('img.hc-decode').src.startsWith('data:image/png')""",
                               arg=page.locator(f".hc-info[data-model='{model}']").element_handle(), timeout=10000)
    assert holes.is_checked(), "the hole map is on"
    models = json.loads(explorer_file(site, "meta.json").read_text())["models"]
    # the AE's largest hole; the VAE's where the AE has none (the smoke build's AE may not)
    target = "ae2" if models["ae2"]["gaps"] else "vae2"
    assert page.locator(".hc-explorer").get_attribute("data-tour") == target
    m = models[target]
    gap = m["gaps"][0]
    z = tuple(float(v) for v in page.locator(f".hc-map[data-model='{target}']").get_attribute("data-z").split(","))
    cell_side = (m["window"][1] - m["window"][0]) / m["grid"]
    assert abs(z[0] - gap[0]) < cell_side and abs(z[1] - gap[1]) < cell_side, (z, gap)
    density = page.locator(f".hc-map[data-model='{target}']").get_attribute("data-density")
    assert density == str(codes_in_cell(site, target, z)) and int(density) <= json.loads(
        explorer_file(site, "meta.json").read_text())["hole_max_count"], "the point is in a hole"
    assert float(page.locator(".hc-explorer").get_attribute("data-view").split(",")[2]) > 1, "zoomed in"
    assert js_fmt(gap[0], 1) in page.locator(".hc-tour-text").inner_text()


def test_explorer_toggles_and_zoom_work_by_keyboard(page_at):
    page = page_at("explorer")
    canvas = page.locator(".hc-map[data-model='vae2'] canvas.hc-canvas")
    toggle = page.locator(".hc-toggle-codes")
    assert not toggle.is_checked(), "the default view leads with the decodes, codes off"
    without = canvas.evaluate("c => c.toDataURL()")
    toggle.focus()
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    assert toggle.is_checked() and canvas.evaluate("c => c.toDataURL()") != without
    with_codes = canvas.evaluate("c => c.toDataURL()")
    canvas.focus()
    page.keyboard.press("+")
    page.wait_for_timeout(500)
    assert canvas.evaluate("c => c.toDataURL()") != with_codes


def test_explorer_quality_overlay_and_readout_follow_the_realism_map(site, page_at):
    """The decoded-quality toggle changes the map, and the readout gives the realism analyse
    measured in the probed cell, called off-manifold exactly when it is over the threshold."""
    page = page_at("explorer")
    fig = page.locator(".hc-map[data-model='ae2']")
    info = page.locator(".hc-info[data-model='ae2']")
    canvas = fig.locator("canvas.hc-canvas")
    toggle = page.locator(".hc-toggle-quality")
    assert not toggle.is_checked()
    before = canvas.evaluate("c => c.toDataURL()")
    toggle.check()
    page.wait_for_timeout(300)
    assert canvas.evaluate("c => c.toDataURL()") != before, "the overlay drew nothing"
    m = json.loads(explorer_file(site, "meta.json").read_text())["models"]["ae2"]
    realism = np.fromfile(explorer_file(site, m["realism"]), dtype="<f4").reshape(m["grid"], m["grid"])
    box = canvas.bounding_box()
    for fx, fy in [(0.5, 0.5), (0.04, 0.04), (0.3, 0.7)]:
        canvas.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
        page.wait_for_function("f => f.querySelector('.hc-realism')", arg=info.element_handle(), timeout=10000)
        z = tuple(float(v) for v in fig.get_attribute("data-z").split(","))
        r = float(realism[grid_cell(m, z)])
        text = info.locator(".hc-realism").inner_text()
        assert text.startswith(js_fmt(r)), (z, r, text)
        verdict = "off the manifold" if r > m["realism_threshold"] else "on the manifold"
        assert verdict in text, (r, m["realism_threshold"], text)


MAP_BOXES = """() => [...document.querySelectorAll('.hc-map')].map(m => {
  const r = m.querySelector('canvas.hc-canvas').getBoundingClientRect();
  const legend = m.querySelector('.hc-legend');
  return {x: r.left, y: r.top, w: r.width, h: r.height, model: m.getAttribute('data-model'),
          legend: !!legend && legend.getBoundingClientRect().height > 0};
})"""


def test_explorer_maps_are_wide_on_a_desktop_with_the_inspect_panel_beside(page_at):
    page = page_at("explorer")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_timeout(600)  # the maps follow their container's size
    wide = page.evaluate(MAP_BOXES)
    assert len(wide) == 2
    for box in wide:
        assert box["w"] >= 480 and abs(box["w"] - box["h"]) < 1, wide
        assert not box["legend"], "no overlay is on, so no legend"
    assert abs(wide[0]["y"] - wide[1]["y"]) < 1 and wide[1]["x"] >= wide[0]["x"] + wide[0]["w"]
    inspect = page.locator(".hc-inspect").bounding_box()
    assert inspect["x"] >= wide[1]["x"] + wide[1]["w"] and inspect["y"] < 900, f"inspect panel at {inspect}"
    page.locator(".hc-toggle-holes").check()
    page.wait_for_timeout(200)
    assert all(b["legend"] for b in page.evaluate(MAP_BOXES)), "each map's panel shows the legend of what is on"
    assert "gap points" in page.locator(".hc-map .hc-legend").first.inner_text()


def test_explorer_on_a_phone_switches_maps_with_tabs_at_a_shared_position(page_at):
    page = page_at("explorer")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(600)
    shown = [b for b in page.evaluate(MAP_BOXES) if b["w"] > 0]
    assert [b["model"] for b in shown] == ["ae2"], shown
    assert shown[0]["w"] >= 300 and abs(shown[0]["w"] - shown[0]["h"]) < 1 and shown[0]["x"] + shown[0]["w"] <= 390
    page.locator(".hc-map[data-model='ae2'] canvas.hc-canvas").focus()
    page.keyboard.press("+")
    page.keyboard.press("ArrowLeft")
    view = page.locator(".hc-explorer").get_attribute("data-view")
    cx, cy, zoom = (float(v) for v in view.split(","))
    assert zoom == 1.5 and cx < 0.5, view
    page.get_by_role("tab", name="VAE").click()
    page.wait_for_timeout(300)
    shown = [b for b in page.evaluate(MAP_BOXES) if b["w"] > 0]
    assert [b["model"] for b in shown] == ["vae2"], shown
    assert page.get_by_role("tab", name="VAE").get_attribute("aria-selected") == "true"
    assert page.locator(".hc-explorer").get_attribute("data-view") == view, "the VAE map opens at the AE's position"


@pytest.mark.parametrize("viewport, scale", [((390, 844), 3), ((1400, 900), 1)], ids=["phone", "desktop"])
def test_explorer_draws_legible_digits_at_full_view(site, page_at, viewport, scale):
    """A phone has 2-3 device px per CSS px: tiles matched to device pixels alone drew 64 digits
    of 6 CSS px across its map. The map draws the level of ``HC.tileLevel``; on the default
    build's pyramid that rule draws every digit at least 14 CSS px wide at full view, phone or
    desktop, and picks no coarser level than the screen's pixels need where digits are large
    enough anyway."""
    page = page_at("explorer", viewport, scale)
    page.wait_for_timeout(600)
    index = json.loads((site / "assets" / "data" / "tiles" / "ae2" / "index.json").read_text())
    canvas = page.locator(".hc-map[data-model='ae2'] canvas.hc-canvas")
    width = canvas.bounding_box()["width"]
    drawn = int(canvas.get_attribute("data-level"))
    assert drawn == page.evaluate("([ix, S, d]) => HC.tileLevel(ix, S, d)", [index, width * scale, scale])
    r = Config().render
    default = {"levels": r.tile_levels, "tile_digits": r.tile_digits, "tile_px": r.tile_digits * 28}
    for css in (300, 370, 480, 640):
        for dpr in (1, 2, 3):
            level = page.evaluate("([ix, S, d]) => HC.tileLevel(ix, S, d)", [default, css * dpr, dpr])
            digit_css = css / (2 ** level * r.tile_digits)
            assert digit_css >= 14, f"{digit_css:.1f} CSS px per digit on a {css}-px map at {dpr}x"
            sharp = int(np.ceil(np.log2(css * dpr / default["tile_px"])))
            if css / (2 ** sharp * r.tile_digits) >= 14:
                assert level == sharp, (css, dpr, level)


def interpolation_readout(pj: dict, pair: int, step: int) -> str:
    """What the slider must announce at a step: each path's judge verdict and code density there."""
    parts = []
    for kind in ("ae_linear", "vae_linear"):
        k = pj["kinds"][kind]
        dens = k["density"][pair][step]
        confidence = js_round(k["confidence"][pair][step] * 100)
        parts.append(f"{k['title']}: judge: {k['class'][pair][step]} ({confidence} %) · {js_round(dens)} codes "
                     "in cell" + (" — a hole" if dens <= pj["hole_max_count"] else ""))
    return f"step {step + 1} of {pj['kinds']['ae_linear']['steps']}; " + "; ".join(parts)


def test_interpolation_slider_changes_frames(site, page_at):
    page = page_at("interpolation")
    pj = json.loads(explorer_file(site, "paths.json").read_text())
    holes = [sum(d <= pj["hole_max_count"] for d in path) for path in pj["kinds"]["ae_linear"]["density"]]
    pair = holes.index(max(holes))  # the page opens on the pair whose AE path crosses the most holes
    assert page.locator("select.hc-pair").input_value() == str(pair)
    assert f": AE path {holes[pair]} step" in page.locator("select.hc-pair option:checked").inner_text()
    slider = page.locator("input.hc-slider")
    frame = page.locator("img.hc-frame").first
    first = frame.get_attribute("src")
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert frame.get_attribute("src") != first
    assert slider.get_attribute("aria-valuetext") == interpolation_readout(pj, pair, 3)


@pytest.mark.parametrize("width", [1400, 400])
def test_interpolation_step_readout_is_off_the_slider_track(page_at, width):
    page = page_at("interpolation")
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(300)
    slider = page.locator("input.hc-slider").bounding_box()
    step = page.locator("output.hc-step").bounding_box()
    assert "step 1 of" in page.locator("output.hc-step").inner_text()
    apart = (step["x"] >= slider["x"] + slider["width"] or step["y"] >= slider["y"] + slider["height"]
             or step["x"] + step["width"] <= slider["x"])
    assert apart, f"the readout {step} lies on the slider {slider}"


def test_toy_cell_toggle_changes_code_and_reconstruction(page_at):
    page = page_at("toy")
    code = page.locator("output.hc-code")
    recon = page.locator("canvas.hc-toy-recon")
    z0, r0 = code.get_attribute("data-z"), recon.evaluate("c => c.toDataURL()")
    cell = page.locator("button.hc-cell[data-index='27']")
    pressed = cell.get_attribute("aria-pressed")
    cell.click()
    page.wait_for_timeout(200)
    assert cell.get_attribute("aria-pressed") != pressed
    assert code.get_attribute("data-z") != z0
    assert recon.evaluate("c => c.toDataURL()") != r0
    # The code is the page's own forward pass through the exported weights: check it in NumPy.
    toy = json.loads(page.evaluate("() => fetch('assets/data/toy/toy.json').then(r => r.text())"))
    h = np.array(page.evaluate("""() => [...document.querySelectorAll('button.hc-cell')]
        .map(b => parseFloat(b.style.getPropertyValue('--hc-ink')))"""))
    for name in ("enc1", "enc2"):
        layer = toy["layers"][name]
        h = np.asarray(layer["W"]) @ h + np.asarray(layer["b"])
        h = np.tanh(h) if layer["act"] == "tanh" else h
    shown = [float(v) for v in code.get_attribute("data-z").split(",")]
    assert np.allclose(shown, h, atol=1e-2), (shown, h)


def test_architecture_layer_selection_shows_its_size(site, page_at):
    page = page_at("autoencoders")
    arch = json.loads(explorer_file(site, "arch.json").read_text())
    model = page.locator("input.hc-arch-model:checked").input_value()
    want = arch["models"][model]["layers"]
    layers = page.locator("button.hc-layer")
    assert layers.count() == len(want)
    for i in (1, 2):  # an encoder layer (all >= 0 after its ReLU) and the code
        layers.nth(i).focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
        assert layers.nth(i).get_attribute("aria-pressed") == "true"
        text = page.locator(".hc-arch-text").inner_text()
        assert page.locator(".hc-arch-name").inner_text() == want[i]["name"]
        values = want[i]["values"]
        if want[i]["role"] == "code":
            assert text.startswith(f"{want[i]['name']} = ({', '.join(js_fmt(v) for v in values)})"), text
        else:
            assert f"{want[i]['size']:,} numbers" in text, text
            assert f"values from {js_fmt(min(values))} to {js_fmt(max(values))}" in text, text
            zeros = js_round(100 * sum(v == 0 for v in values) / len(values))
            assert f"{zeros} % are exactly zero" in text, text


def css_rgb(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    return f"rgb({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)})"


@pytest.mark.parametrize("page_name, data_file, key", [
    ("explorer", "explorer/meta.json", "digit_colors"), ("toy", "toy/toy.json", "digit_colors")])
def test_digit_legends_are_drawn_in_the_palette_of_the_data(site, page_at, page_name, data_file, key):
    """The widgets take their colours from the data files (pipeline/core/palette.py)."""
    page = page_at(page_name)
    if page_name == "explorer":  # the digits' legend shows with the codes only
        page.locator(".hc-toggle-codes").check()
    colors = json.loads((site / "assets" / "data" / data_file).read_text())[key]
    marks = page.locator(".hc-legend span").evaluate_all("els => els.map(e => getComputedStyle(e).color)")
    assert marks[:10] == [css_rgb(c) for c in colors]


def test_quiz_reacts_to_right_and_wrong_answers(page_at):
    # The quiz moved to the end of the story (side by side) and has several questions, each its
    # own .hc-quiz block: the checks are scoped to the first one (issue 24).
    page = page_at("side-by-side")
    quizzes = page.locator(".hc-quiz")
    assert quizzes.count() >= 5
    for i in range(quizzes.count()):
        assert quizzes.nth(i).locator(".hc-quiz-option[data-correct='1']").count() == 1
    quiz = quizzes.first
    options = quiz.locator(".hc-quiz-option")
    wrong = options.nth(0)
    wrong.click()
    assert "hc-wrong" in wrong.get_attribute("class")
    assert quiz.locator(".hc-quiz-explain [data-for='0']").is_visible()
    right = quiz.locator(".hc-quiz-option[data-correct='1']")
    right.click()
    assert "hc-right" in right.get_attribute("class")
    assert not quiz.locator(".hc-quiz-explain [data-for='0']").is_visible()
    assert quiz.locator(".hc-quiz-explain [data-for='1']").is_visible()


PRIOR_RINGS_CALL = """([ux, x0]) => {
  const labels = [], ellipses = [];
  const g = {beginPath() {}, stroke() {}, moveTo() {}, lineTo() {}, save() {}, restore() {},
             setLineDash() {}, measureText: t => ({width: 7 * t.length}),
             ellipse: (x, y, rx) => ellipses.push(rx), textAlign: "start"};
  HC.priorRings(g, {x0: x0, y0: 150, ux: ux, uy: ux, sigmas: [1, 2, 3], ringLabels: true,
                    smallPx: 40, lead: 18, width: 300, smallText: "N(0, I)",
                    label: (text, x) => labels.push([text, x, g.textAlign])});
  return {labels, ellipses};
}"""


def test_prior_rings_keep_true_size_and_label_a_dot_once_on_the_side_with_room(page_at):
    """The N(0, I) circles (HC.priorRings, every map widget's): drawn at true size whatever
    their size; each circle named "kσ" while they are wide enough to tell apart, else one
    "N(0, I)" label on a leader, turned left near the right edge so it stays on the map."""
    page = page_at("index")
    wide = page.evaluate(PRIOR_RINGS_CALL, [20, 150])
    assert wide["ellipses"] == [20, 40, 60]
    assert [t for t, _, _ in wide["labels"]] == ["1σ", "2σ", "3σ"]
    dot = page.evaluate(PRIOR_RINGS_CALL, [2, 150])
    assert dot["ellipses"] == [2, 4, 6]
    assert len(dot["labels"]) == 1 and dot["labels"][0][0] == "N(0, I)"
    assert dot["labels"][0][1] > 150 and dot["labels"][0][2] == "left"
    edge = page.evaluate(PRIOR_RINGS_CALL, [2, 280])
    assert edge["labels"][0][1] < 280 and edge["labels"][0][2] == "right"
