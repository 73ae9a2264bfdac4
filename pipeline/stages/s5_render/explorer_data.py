"""Data files of the site's widgets, written by the render stage into its output folder.

``write_explorer_data(ctx)`` writes (see ARCHITECTURE.md, render section, for the contract):

- ``tiles/<id>/``: the decoded-tile pyramid of each 2-D model (``tiles.py``);
- ``explorer/``: the main models for in-page inference and ``live.json`` (``live_data.py``),
  the training codes (float16) and labels (uint8) as raw binaries, hole-map
  overlays, training-image sprite sheets (nearest neighbours), interpolation frames as sprite
  sheets with ``paths.json``, the architecture widget's activations (``arch.json``) and
  ``meta.json`` tying it together;
- ``toy/toy.json``: the toy 8x8 autoencoder and VAEs (``toy.py``).

Everything is deterministic: PNGs through Pillow with no metadata, JSON sorted.
"""

from __future__ import annotations

import base64
import io
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import torch
from PIL import Image

from pipeline.core.codekeys import file_digests
from pipeline.core.config import REPO_ROOT
from pipeline.core.imaging import mosaic
from pipeline.core.io import load_json, load_npz, save_json
from pipeline.core.models import load_checkpoint
from pipeline.core.palette import (DIGIT_COLORS, GAP_COLOR, MODEL_COLORS, MODEL_LABELS, MODEL_TITLES,
                                   PRIOR_SIGMAS, kind_from_id, rgb)
from pipeline.core.widget_palette import MAP_COLORS
from pipeline.core.report import read as read_report
from pipeline.core.sample_sets import PATH_KINDS
from pipeline.core.set_names import PATH_TITLES
from .arch_data import arch_document
from .live_data import write_live_data
from .tiles import write_pyramid
from .toy import build_toy

# The hole overlay uses the site's definition of a hole (issue 24): a cell that stays empty among
# the codes where most equally large samples of a smooth density put a code (analyse's excess
# cells) is the figures' gap red; any other empty cell between the codes, which any finite sample
# leaves in its thin outskirts, only a faint tint; beyond the codes nothing. With every empty
# cell in full red, most of the AE's map turned red.
HOLE_RGBA = (*rgb(GAP_COLOR), 130)
EMPTY_RGBA = (*rgb(GAP_COLOR), 35)
SHEET_PER = 1000  # training images per sprite sheet
SHEET_COLS = 40


def _compact_json(path: Path, data: Any) -> None:
    """Data files for the browser: compact (no indentation), sorted keys, so deterministic."""
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False))


def write_script_companions(root: Path, subdirs: tuple[str, ...] = ("tiles", "explorer", "toy")) -> int:
    """For every .json and .bin data file under root/<subdirs>, write "<file>.js" calling
    HC_DATA_PUT("<path relative to root>", value): browsers refuse fetch() on pages opened from
    a file share (file://), but load <script> tags, so the widgets fall back to these.
    Binary files are base64 strings. Returns the number written."""
    n = 0
    files = [p for sub in subdirs if (root / sub).is_dir() for p in (root / sub).rglob("*")]
    for path in sorted(files):
        if not path.is_file() or path.suffix not in (".json", ".bin"):
            continue
        key = path.relative_to(root).as_posix()
        if path.suffix == ".json":
            payload = json.dumps(json.loads(path.read_text()), separators=(",", ":"),
                                 sort_keys=True, ensure_ascii=False)
        else:
            payload = json.dumps(base64.b64encode(path.read_bytes()).decode("ascii"))
        path.with_name(path.name + ".js").write_text(f"HC_DATA_PUT({json.dumps(key)}, {payload});\n")
        n += 1
    return n


def _png(image: np.ndarray, mode: str | None = None) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(image, mode=mode).save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def sprite_sheet(images: np.ndarray, cols: int) -> np.ndarray:
    """uint8 [M, H, W] -> one [rows*H, cols*W] image, row-major, no gaps, black padding
    (core/imaging.py's mosaic: the widgets crop digit k at a multiple of the side, "px")."""
    return mosaic(images, cols, gap=0, fill=0)


def quality_overlay(realism: np.ndarray, threshold: float) -> np.ndarray:
    """float [G, G] realism map (row 0 = lowest y) -> RGBA [G, G, 4] with row 0 at the top:
    cells at or under the off-manifold threshold stay clear; off-manifold cells get
    MAP_COLORS["off_manifold"], more opaque the farther they lie beyond the threshold (opacity
    40-150 over 1 to 4 times the threshold, log scale), so the worst regions stand out and the
    digits under them stay readable."""
    img = np.zeros(realism.shape + (4,), np.uint8)
    over = np.log(np.maximum(realism, threshold) / threshold) / np.log(4.0)
    off = realism > threshold
    img[..., :3] = rgb(MAP_COLORS["off_manifold"])
    img[..., 3] = np.where(off, 40 + 110 * np.clip(over, 0.0, 1.0), 0).astype(np.uint8)
    return img[::-1].copy()


def hole_overlay(holes: np.ndarray, hull: np.ndarray, excess: np.ndarray) -> np.ndarray:
    """bool [G, G] grids (row 0 = lowest y) -> RGBA [G, G, 4] with row 0 at the top: the excess
    holes in HOLE_RGBA, the other empty cells inside the codes' hull in EMPTY_RGBA."""
    img = np.zeros(holes.shape + (4,), np.uint8)
    img[(holes & hull)[::-1]] = EMPTY_RGBA
    img[(excess & holes & hull)[::-1]] = HOLE_RGBA
    return img


# ------------------------------------------------------------------------------------ the writers

def write_quality(exp: Path, mid: str, holes: dict[str, np.ndarray], threshold: float
                  ) -> dict[str, Any]:
    """The decoded-quality overlay of a 2-D model (main seed, CNN judge): the realism grid as
    float32 (for the readout) and its overlay PNG, coloured against the quality map's
    realism threshold; their meta.json fields."""
    realism = holes[f"{mid}_cnn_realism"]
    (exp / f"realism-{mid}.bin").write_bytes(realism.astype("<f4").tobytes())
    (exp / f"realism-{mid}.png").write_bytes(_png(quality_overlay(realism, threshold), "RGBA"))
    return {"realism": f"realism-{mid}.bin", "realism_png": f"realism-{mid}.png",
            "realism_threshold": round(threshold, 6), "realism_judge": "CNN"}


def write_model_map(exp: Path, out: Path, mid: str, model: torch.nn.Module, holes: dict[str, np.ndarray],
                    codes: np.ndarray, ctx: Any, threads: int) -> tuple[dict[str, Any], int]:
    """A 2-D model's tile pyramid, codes, density counts and hole overlay: (its meta.json entry,
    the tiles' bytes). The quality overlay is added by write_quality."""
    render = ctx.cfg.render
    window = holes[f"{mid}_window"].astype(np.float64)
    index = write_pyramid(model, window, out / "tiles" / mid, render.tile_levels, render.tile_digits,
                          ctx.device, workers=threads)
    (exp / f"codes-{mid}.bin").write_bytes(codes[:, :2].astype("<f2").tobytes())
    overlay = hole_overlay(holes[f"{mid}_holes"], holes[f"{mid}_hull"], holes[f"{mid}_excess_cells"])
    (exp / f"holes-{mid}.png").write_bytes(_png(overlay, "RGBA"))
    # analyse's own density grid, so the page's numbers match it
    (exp / f"counts-{mid}.bin").write_bytes(np.clip(holes[f"{mid}_counts"], 0, 65535).astype("<u2").tobytes())
    kind = kind_from_id(mid)
    entry = {"label": MODEL_TITLES[kind], "short": MODEL_LABELS[kind], "kind": kind,
             "window": [round(float(v), 6) for v in window], "grid": int(holes[f"{mid}_holes"].shape[0]),
             "codes": f"codes-{mid}.bin", "holes": f"holes-{mid}.png", "counts": f"counts-{mid}.bin",
             "tiles": f"tiles/{mid}/", "gaps": np.round(holes[f"{mid}_gaps"].astype(np.float64), 4).tolist()}
    return entry, index["bytes"]


def write_train_sheets(exp: Path, train_x: np.ndarray, threads: int) -> dict[str, Any]:
    """Training images as sprite sheets, for the nearest-neighbour display (loaded on demand)."""
    names = []
    with ThreadPoolExecutor(max_workers=threads) as pool:
        jobs = [pool.submit(lambda s: _png(sprite_sheet(train_x[s:s + SHEET_PER], SHEET_COLS)), s)
                for s in range(0, len(train_x), SHEET_PER)]
        for k, job in enumerate(jobs):
            names.append(f"train-sheet-{k}.png")
            (exp / names[-1]).write_bytes(job.result())
    return {"files": names, "per_sheet": SHEET_PER, "cols": SHEET_COLS, "px": int(train_x.shape[-1])}


def path_kind_entry(exp: Path, kind: str, paths: dict[str, np.ndarray]) -> dict[str, Any]:
    """One interpolation kind: its frames as a sprite sheet (row = pair, column = step) and its
    per-step numbers."""
    frames = paths[f"{kind}_frames"]  # [P, S, H, W]
    p, s = frames.shape[:2]
    (exp / f"paths-{kind}.png").write_bytes(_png(sprite_sheet(frames.reshape(p * s, *frames.shape[2:]), s)))
    model = kind.split("_")[0]
    entry: dict[str, Any] = {"sheet": f"paths-{kind}.png", "steps": int(s), "px": int(frames.shape[-1]),
                             "title": PATH_TITLES[kind], "model": model,
                             "class": paths[f"{kind}_class"].astype(int).tolist(),
                             "z": np.round(paths[f"{kind}_z"][..., :2].astype(np.float64), 4).tolist()}
    for key, nd in (("density", 2), ("confidence", 4), ("step", 3)):
        entry[key] = np.round(paths[f"{kind}_{key}"].astype(np.float64), nd).tolist()
    return entry


def write_paths(exp: Path, paths: dict[str, np.ndarray], pair_kinds: list[str],
                test_y: np.ndarray, hole_max_count: int) -> None:
    """paths.json and one sprite sheet per interpolation kind (pairs in analyse's order)."""
    pairs = paths["pairs"].astype(int)
    _compact_json(exp / "paths.json", {
        "pairs": pairs.tolist(),
        "pair_labels": [[int(test_y[a]), int(test_y[b])] for a, b in pairs],
        "pair_kinds": pair_kinds,  # "look-alike" / "far"
        "hole_max_count": hole_max_count,
        "model_colors": {k: MODEL_COLORS[k] for k in MODEL_LABELS},
        "kinds": {kind: path_kind_entry(exp, kind, paths) for kind in PATH_KINDS},
    })


TOY_CODE = "pipeline.stages.s5_render.toy"


def toy_parts(cfg: Any) -> dict[str, Any]:
    """The toy job's key parts: the seed, the steps and the toy's code, nothing of this run's
    data."""
    return {"seed": int(cfg.seed), "steps": int(cfg.render.toy_steps),
            "code": file_digests(REPO_ROOT, TOY_CODE)}


def toy_document(ctx: Any) -> dict[str, Any]:
    """The toy AE and VAEs, trained and exported once per seed and toy code: a render job
    (``core/jobcache.py``), so a render rerun for a figure or a page does not train them again.
    They read scikit-learn's 8 x 8 digits, never this run's data."""
    seed, cache = int(ctx.cfg.seed), getattr(ctx, "cache", None)
    if cache is None:
        return build_toy(seed, ctx.cfg.render.toy_steps)
    parts = toy_parts(ctx.cfg)
    folder = cache.job("toy", parts)
    if folder is None:
        with cache.building("toy", parts) as scratch:
            save_json(scratch / "toy.json", build_toy(seed, ctx.cfg.render.toy_steps))
        folder = cache.job("toy", parts)
    return load_json(folder / "toy.json")


def load_models(models_dir: Path, ids: Iterable[str], device: Any) -> dict[str, torch.nn.Module]:
    return {mid: load_checkpoint(models_dir / f"{mid}.pt", device)[0] for mid in ids}


def write_explorer_data(ctx: Any) -> str:
    """Write tiles/, explorer/ and toy/ into ctx.out. Returns a one-line summary."""
    cfg, out, inputs = ctx.cfg, Path(ctx.out), {k: Path(v) for k, v in ctx.inputs.items()}
    data = load_npz(inputs["data"] / "mnist.npz")
    holes = load_npz(inputs["analyse"] / "holes.npz")
    exp = out / "explorer"
    exp.mkdir(parents=True, exist_ok=True)
    clock = [time.perf_counter()]  # wall times, for the one-line summary only
    threads = max(1, min(4, torch.get_num_threads()))
    report = read_report(inputs["analyse"])
    models = load_models(inputs["train"] / "models", report.main_pair.values(), ctx.device)
    quality = report.main_quality_maps
    maps, tile_bytes = {}, 0
    for mid, model in models.items():
        if model.latent_dim == 2:  # a map needs a 2-D latent space (train.latent_dim)
            codes = load_npz(inputs["encode"] / f"{mid}.npz")["train_z"]
            maps[mid], size = write_model_map(exp, out, mid, model, holes, codes, ctx, threads)
            maps[mid].update(write_quality(exp, mid, holes,
                                           quality[kind_from_id(mid)].threshold_realism))
            tile_bytes += size
    clock.append(time.perf_counter())
    (exp / "labels.bin").write_bytes(data["train_y"].astype(np.uint8).tobytes())
    sheets = write_train_sheets(exp, data["train_x"], threads)
    pair_kinds = [pair.kind for pair in report.paths.pairs]  # "look-alike" / "far"
    write_paths(exp, load_npz(inputs["analyse"] / "paths.npz"), pair_kinds, data["test_y"],
                int(cfg.analyse.hole_max_count))
    _compact_json(exp / "arch.json", arch_document({m: v.cpu() for m, v in models.items()},
                                                   data["test_x"], data["test_y"]))
    meta = {"version": 1, "models": maps, "n_train": int(len(data["train_y"])), "labels": "labels.bin",
            "digit_colors": list(DIGIT_COLORS), "map_colors": MAP_COLORS, "prior_sigmas": list(PRIOR_SIGMAS),
            "hole_max_count": int(cfg.analyse.hole_max_count), "train_sheets": sheets,
            "main_pair": report.main_pair,  # role -> id: the hero's and draw page's two models
            "paths": "paths.json", "arch": "arch.json",
            # the real models in the page (None for a body the page cannot run)
            "live": write_live_data(exp, models, inputs, data, holes)}
    meta["files"] = sorted(p.name for p in exp.iterdir()) + ["meta.json"]
    save_json(exp / "meta.json", meta)
    clock.append(time.perf_counter())
    toy = toy_document(ctx)
    (out / "toy").mkdir(exist_ok=True)
    _compact_json(out / "toy" / "toy.json", {**toy, "digit_colors": list(DIGIT_COLORS),
                                             "model_colors": {k: MODEL_COLORS[k] for k in MODEL_LABELS},
                                             "map_colors": MAP_COLORS,
                                             "prior_sigmas": list(PRIOR_SIGMAS)})
    write_script_companions(out)
    clock.append(time.perf_counter())
    return (f"tiles {'+'.join(sorted(maps)) or 'none'} ({tile_bytes / 1e6:.1f} MB, "
            f"{cfg.render.tile_levels} levels) in {clock[1] - clock[0]:.1f}s, "
            f"{len(sheets['files'])} training sheets + paths in {clock[2] - clock[1]:.1f}s, toy AE "
            f"(BCE {toy['final_bce_nats_per_image']:.1f} nats) + {len(toy['vaes'])} VAEs in {clock[3] - clock[2]:.1f}s")
