"""The real AE-2 and VAE-2 running in the page (hc-models.js over model_export.py's files) give
PyTorch's codes and decodes within the tolerances model_export.py states, over http and from
file://; and the explorer's first load does not carry them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.core import artifacts
from pipeline.core.io import load_npz
from pipeline.stages.s5_render.model_export import CODE_TOLERANCE, PIXEL_TOLERANCE, reference_outputs

from .browser import browser, serve, watch, widget_problems

pytestmark = pytest.mark.browser

# Fixed inputs: 6 test images and 9 latent points (inside, at the edge of and far outside both windows).
N_IMAGES = 6
POINTS = [[0.0, 0.0], [1.0, -0.5], [-2.0, 2.0], [0.3, 3.0], [-4.0, -1.0], [6.0, 6.0],
          [-10.0, 4.0], [2.5, 0.1], [0.01, -0.01]]

RUN_IN_PAGE = """async ([x, z]) => {
  const nn = await HC.models();
  const meta = await HC.json('assets/data/explorer/meta.json');
  const out = {};
  for (const id of ['ae2', 'vae2']) {
    const m = await nn.load('assets/data/', meta.live, id, true);
    out[id] = {codes: x.map(im => m.encode(im)), decoded: z.map(p => Array.from(m.decode(p)))};
  }
  return out;
}"""


@pytest.fixture(scope="module")
def site(smoke_build) -> Path:
    return Path(smoke_build.paths.site)


@pytest.fixture(scope="module")
def reference(smoke_build) -> tuple[np.ndarray, dict[str, dict[str, np.ndarray]], dict[str, float]]:
    """(images [6, 784] in [0, 1], PyTorch's outputs per model id, each model's code spread)."""
    art = Path(smoke_build.paths.artifacts)
    x = load_npz(art / "data" / "mnist.npz")["test_x"][:N_IMAGES].reshape(N_IMAGES, -1) / 255.0
    ref, spread = {}, {}
    for mid in ("ae2", "vae2"):
        model, _ = artifacts.checkpoint(art / "train", mid)
        ref[mid] = reference_outputs(model, x, np.asarray(POINTS))
        spread[mid] = float(np.std(artifacts.codes(art / "encode", mid)["train_z"][:, :2]))
    return x.astype(np.float32), ref, spread


def check_against_pytorch(got: dict, ref: dict, spread: dict) -> dict[str, tuple[float, float]]:
    """Assert the tolerances; returns each model's (max pixel error, max code error / spread)."""
    worst = {}
    for mid, out in got.items():
        pixel = float(np.abs(np.asarray(out["decoded"]) - ref[mid]["decoded"]).max())
        key = "mu" if "mu" in ref[mid] else "z"
        codes = np.asarray([c["mu"] if key == "mu" else c["z"] for c in out["codes"]])
        code = float(np.abs(codes - ref[mid][key]).max()) / spread[mid]
        if key == "mu":  # σ is in latent units too
            sigma = np.asarray([c["sigma"] for c in out["codes"]])
            code = max(code, float(np.abs(sigma - np.exp(0.5 * ref[mid]["logvar"])).max()) / spread[mid])
        assert pixel <= PIXEL_TOLERANCE, f"{mid}: a decoded pixel differs by {pixel:.4f} from PyTorch"
        assert code <= CODE_TOLERANCE, f"{mid}: a code coordinate differs by {code:.4f} x the spread"
        worst[mid] = (pixel, code)
    return worst


@pytest.mark.parametrize("mode", ["http", "file"])
def test_page_models_match_pytorch(site, reference, mode):
    x, ref, spread = reference
    with serve(site) as base, browser() as b:
        page = b.new_page()
        log = watch(page, base)
        url = (base if mode == "http" else site.as_uri() + "/") + "explorer.html"
        page.goto(url, wait_until="load")
        got = page.evaluate(RUN_IN_PAGE, [x.tolist(), POINTS])
        worst = check_against_pytorch(got, ref, spread)
        print(mode, "max errors (pixel, code / spread):", worst)
        assert not widget_problems(log), log


def test_explorer_first_load_leaves_the_models_out(site):
    """The weights load on first use only: the explorer page's first load stays under 3 MB."""
    with serve(site) as base, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 900})
        log = watch(page, base)
        page.goto(base + "explorer.html", wait_until="load")
        page.wait_for_selector(".hc-explorer[data-ready='1']", timeout=20000)
        page.wait_for_timeout(1500)
        total = sum(log.bytes_by_url.values())
        assert not [u for u in log.bytes_by_url if "/model-" in u], "model weights in the first load"
        assert total < 3e6, f"first load {total / 1e6:.2f} MB"
        meta = json.loads((site / "assets" / "data" / "explorer" / "meta.json").read_text())
        assert meta["live"]["pixel_tolerance"] == PIXEL_TOLERANCE
