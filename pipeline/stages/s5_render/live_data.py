"""The data of the widgets that run the real models in the page (the hero, draw your own digit,
the explorer's live decode): the model scripts (``model_export.py``) and ``explorer/live.json``.

``live.json`` holds what those widgets show around the live models, small enough for the home
page: each 2-D model's window and a fixed subsample of its training codes with their labels
(the map under the samples), the first ``HERO_SETS`` × ``HERO_SAMPLES`` points of analyse's
AE box and GMM sample sets (the report's own points; the page decodes the next ``HERO_SAMPLES``
of them at each press), a few test images for "use a test image", and the colours.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import numpy as np
import torch

from pipeline.core import artifacts
from pipeline.core.io import load_npz
from pipeline.core.palette import DIGIT_COLORS, MODEL_COLORS, MODEL_LABELS, PRIOR_SIGMAS, kind_from_id
from pipeline.core.widget_palette import MAP_COLORS
from .model_export import ModelExportError, write_model_scripts

HERO_SAMPLES = 64  # points per sample set in the hero (an 8 x 8 grid of decodes)
HERO_SETS = 8  # presses before the AE's sets repeat: one fixed set looked like a broken button
MAP_CODES = 3000  # training codes per model on the small maps (a fixed, evenly spaced subset)
TEST_IMAGES = 24  # test images the draw widget offers


def _rounded(a: np.ndarray, nd: int = 4) -> list:
    return np.round(np.asarray(a, dtype=np.float64), nd).tolist()


def live_document(windows: dict[str, np.ndarray], codes: dict[str, np.ndarray], train_y: np.ndarray,
                  samples: dict[str, np.ndarray], test_x: np.ndarray, test_y: np.ndarray) -> dict[str, Any]:
    """live.json's content from arrays (codes [N, 2] per model id, windows [4] per model id)."""
    n = len(train_y)
    pick = np.linspace(0, n - 1, min(MAP_CODES, n)).astype(int)
    sets = {name: _rounded(samples[f"{name}_z"][:HERO_SETS * HERO_SAMPLES, :2])
            for name in ("ae_box", "ae_gmm") if f"{name}_z" in samples}
    k = min(TEST_IMAGES, len(test_y))
    return {
        "models": {mid: {"window": _rounded(windows[mid], 6), "codes": _rounded(codes[mid][pick, :2], 3),
                         "kind": kind_from_id(mid), "label": MODEL_LABELS[kind_from_id(mid)],
                         "color": MODEL_COLORS[kind_from_id(mid)]} for mid in codes},
        "code_labels": train_y[pick].astype(int).tolist(),
        "samples": sets,
        "hero_samples": HERO_SAMPLES,
        "test_images": base64.b64encode(test_x[:k].astype(np.uint8).tobytes()).decode("ascii"),
        "test_labels": test_y[:k].astype(int).tolist(),
        "digit_colors": list(DIGIT_COLORS),
        "map_colors": MAP_COLORS,
        "prior_sigmas": list(PRIOR_SIGMAS),
        "image_side": int(test_x.shape[1]),
    }


def write_live_data(exp: Path, models: dict[str, torch.nn.Module], inputs: dict[str, Path],
                    data: dict[str, np.ndarray], holes: dict[str, np.ndarray]) -> dict[str, Any] | None:
    """Model scripts and live.json for the 2-D models; meta.json's "live" entry, or None (and
    nothing written) when the models' body cannot run in the page."""
    two_d = {mid: m.cpu() for mid, m in models.items() if m.latent_dim == 2}
    if not two_d:
        return None
    try:
        entry = write_model_scripts(exp, two_d)
    except ModelExportError:
        return None  # a conv body: the pages keep their precomputed tiles only
    codes = {mid: load_npz(inputs["encode"] / f"{mid}.npz")["train_z"] for mid in two_d}
    windows = {mid: holes[f"{mid}_window"] for mid in two_d}
    samples = load_npz(inputs["analyse"] / "samples.npz")
    doc = live_document(windows, codes, data["train_y"], samples, data["test_x"], data["test_y"])
    (exp / "live.json").write_text(json.dumps(doc, separators=(",", ":"), sort_keys=True))
    entry["data"] = "live.json"
    entry["replay"] = write_replay(exp, inputs["train"], list(two_d), data["test_y"])
    entry["code_spread"] = {mid: float(np.std(codes[mid][:, :2])) for mid in two_d}
    return entry


def write_replay(exp: Path, train_dir: Path, ids: list[str], test_y: np.ndarray) -> dict[str, Any] | None:
    """The explorer's training replay: each model's per-epoch codes of the first test images
    (the train stage's ``replay_codes``, s2_train/replay.replay_entry) as ``replay-<id>.bin`` float16
    [epochs, n, 2], and their labels as ``replay-labels.bin``; meta.json's entry, or None where
    a checkpoint has no replay codes."""
    stacks = {}
    for mid in ids:
        history = artifacts.checkpoint(train_dir, mid)[1].get("history", [])
        codes = [h["replay_codes"] for h in history if "replay_codes" in h]
        if not codes or len(codes) != len(history):
            return None
        stacks[mid] = np.stack([c.float().numpy() for c in codes])
    shapes = {stack.shape[:2] for stack in stacks.values()}
    if len(shapes) != 1:
        return None
    (epochs, n), = shapes
    for mid, stack in stacks.items():
        (exp / f"replay-{mid}.bin").write_bytes(stack[..., :2].astype("<f2").tobytes())
    (exp / "replay-labels.bin").write_bytes(test_y[:n].astype(np.uint8).tobytes())
    return {"epochs": int(epochs), "n": int(n), "labels": "replay-labels.bin",
            "files": {mid: f"replay-{mid}.bin" for mid in stacks}}
