"""Data files of the site's widgets, written by the render stage into its output folder.

``write_explorer_data(ctx)`` writes (see ARCHITECTURE.md, render section, for the contract):

- ``tiles/<id>/``: the decoded-tile pyramid of each 2-D model (``tiles.py``);
- ``explorer/``: the training codes (float16) and labels (uint8) as raw binaries, hole-map
  overlays, training-image sprite sheets (nearest neighbours), interpolation frames as sprite
  sheets with ``paths.json``, the architecture widget's activations (``arch.json``) and
  ``meta.json`` tying it together;
- ``toy/toy.json``: the toy 8x8 autoencoder (``toy.py``).

Everything is deterministic: PNGs through Pillow with no metadata, JSON sorted.
"""

from __future__ import annotations

import base64
import io
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from pipeline.core.io import load_npz, save_json
from pipeline.core.models import load_checkpoint
from .tiles import write_pyramid
from .toy import build_toy

MODEL_IDS = ("ae2", "vae2")
MODEL_LABELS = {"ae2": "Autoencoder (AE)", "vae2": "Variational autoencoder (VAE)"}
# The digit palette of every figure (figures/style.py DIGIT_COLORS, Petroff's
# colour-blind-safe 10-colour cycle); the widgets use the same list (hc-common.js).
DIGIT_COLORS = ("#3f90da", "#ffa90e", "#bd1f01", "#94a4a2", "#832db6",
                "#a96b59", "#e76300", "#b9ac70", "#717581", "#92dadd")
HOLE_RGBA = (232, 0, 11, 110)  # the figures' gap red, translucent: empty cells between codes
HOLE_OUTSIDE_RGBA = (232, 0, 11, 40)  # empty cells outside the codes' hull (window corners)
SHEET_PER = 1000  # training images per sprite sheet
SHEET_COLS = 40
PATH_KINDS = ("ae_linear", "vae_linear", "vae_slerp")
ARCH_EXAMPLE_DIGIT = 3  # the example digit of the architecture widget: first test image of this class


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
    """uint8 [M, 28, 28] -> one [rows*28, cols*28] image, row-major, black padding."""
    m = len(images)
    rows = max(1, -(-m // cols))
    pad = np.zeros((rows * cols, 28, 28), np.uint8)
    pad[:m] = images
    return pad.reshape(rows, cols, 28, 28).transpose(0, 2, 1, 3).reshape(rows * 28, cols * 28)


def hole_overlay(holes: np.ndarray, hull: np.ndarray | None = None) -> np.ndarray:
    """bool [G, G] (row 0 = lowest y) -> RGBA [G, G, 4] with row 0 at the top, holes coloured.
    With analyse's hull mask, holes *between* codes (inside the hull) get HOLE_RGBA and empty
    cells beyond the codes a fainter tint (HOLE_OUTSIDE_RGBA)."""
    img = np.zeros(holes.shape + (4,), np.uint8)
    if hull is None:
        img[holes[::-1]] = HOLE_RGBA
    else:
        img[(holes & ~hull)[::-1]] = HOLE_OUTSIDE_RGBA
        img[(holes & hull)[::-1]] = HOLE_RGBA
    return img


# ------------------------------------------------------------------------------- architecture

def _layer(name: str, t: torch.Tensor, role: str) -> dict[str, Any]:
    a = t.detach().float().cpu().numpy()[0]
    entry: dict[str, Any] = {"name": name, "role": role, "size": int(a.size),
                             "shape": list(a.shape)}
    if a.ndim == 3:  # conv feature maps: show the mean over channels
        a = a.mean(0)
        entry["shown"] = "mean over channels"
    flat = a.reshape(-1)
    if flat.size == 784 and a.ndim == 1:
        grid = [28, 28]
    elif a.ndim == 2:
        grid = list(a.shape)
    else:
        cols = int(np.ceil(np.sqrt(flat.size)))
        grid = [int(np.ceil(flat.size / cols)), cols]
    entry["grid"] = grid
    entry["values"] = np.round(flat.astype(np.float64), 3).tolist()
    return entry


def _run_seq(seq: torch.nn.Module, x: torch.Tensor, prefix: str, role: str,
             layers: list[dict[str, Any]]) -> torch.Tensor:
    """Run a Sequential child by child, recording the output after each non-linearity."""
    children = list(seq.children()) if isinstance(seq, torch.nn.Sequential) else [seq]
    for i, mod in enumerate(children):
        x = mod(x)
        if isinstance(mod, (torch.nn.ReLU, torch.nn.Tanh, torch.nn.LeakyReLU)):
            prev = children[i - 1] if i > 0 else mod
            what = (f"Linear {prev.in_features}→{prev.out_features}" if isinstance(prev, torch.nn.Linear)
                    else type(prev).__name__)
            layers.append(_layer(f"{prefix} {what} + {type(mod).__name__}", x, role))
    return x


def activations(model: torch.nn.Module, image: np.ndarray) -> dict[str, Any]:
    """Every layer's activation for one image: input, encoder layers, code, decoder, output."""
    x = torch.from_numpy(image.reshape(1, 784).astype(np.float32) / 255.0)
    layers: list[dict[str, Any]] = [_layer("Input image 28×28", x, "input")]
    with torch.no_grad():
        h = _run_seq(model.body, x, "Encoder", "encoder", layers)
        if hasattr(model, "fc_mu"):
            mu, logvar = model.fc_mu(h), model.fc_logvar(h)
            layers.append(_layer("Code mean μ", mu, "code"))
            layers.append(_layer("Code spread σ = exp(½ log σ²)", torch.exp(0.5 * logvar), "code"))
            z = mu  # the page shows the decode of μ, no sampling
        else:
            z = model.fc_z(h)
            layers.append(_layer("Code z", z, "code"))
        logits = _run_seq(model.decoder, z, "Decoder", "decoder", layers)
        layers.append(_layer("Output image 28×28 (sigmoid)", torch.sigmoid(logits), "output"))
    return {"layers": layers, "params": int(sum(p.numel() for p in model.parameters()))}


# ------------------------------------------------------------------------------------ the writer

def write_explorer_data(ctx: Any) -> str:
    """Write tiles/, explorer/ and toy/ into ctx.out. Returns a one-line summary."""
    cfg = ctx.cfg
    out = Path(ctx.out)
    device = ctx.device
    data = load_npz(Path(ctx.inputs["data"]) / "mnist.npz")
    holes = load_npz(Path(ctx.inputs["analyse"]) / "holes.npz")
    models_dir = Path(ctx.inputs["train"]) / "models"
    exp = out / "explorer"
    exp.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"tile_bytes": 0}
    clock = {"start": time.perf_counter()}  # wall times, for the one-line summary only
    meta: dict[str, Any] = {
        "version": 1,
        "models": {},
        "n_train": int(len(data["train_y"])),
        "labels": "labels.bin",
        "digit_colors": list(DIGIT_COLORS),
        "prior_sigmas": [1, 2, 3],
        "hole_max_count": int(cfg.analyse.hole_max_count),
    }
    (exp / "labels.bin").write_bytes(data["train_y"].astype(np.uint8).tobytes())

    threads = max(1, min(4, torch.get_num_threads()))
    arch: dict[str, Any] = {}
    test_y = data["test_y"]
    hits = np.flatnonzero(test_y == ARCH_EXAMPLE_DIGIT)
    example = int(hits[0]) if len(hits) else 0
    for mid in MODEL_IDS:
        ckpt_path = models_dir / f"{mid}.pt"
        if not ckpt_path.is_file():
            continue
        model, _ = load_checkpoint(ckpt_path, device)
        arch[mid] = activations(model.cpu(), data["test_x"][example])
        model.to(device)
        if model.latent_dim != 2 or f"{mid}_window" not in holes:
            continue
        window = holes[f"{mid}_window"].astype(np.float64)
        index = write_pyramid(model, window, out / "tiles" / mid, cfg.render.tile_levels,
                              cfg.render.tile_digits, device, workers=threads)
        summary["tile_bytes"] += index["bytes"]
        codes = load_npz(Path(ctx.inputs["encode"]) / f"{mid}.npz")["train_z"]
        (exp / f"codes-{mid}.bin").write_bytes(codes[:, :2].astype("<f2").tobytes())
        (exp / f"holes-{mid}.png").write_bytes(_png(hole_overlay(holes[f"{mid}_holes"], holes.get(f"{mid}_hull")), "RGBA"))
        if f"{mid}_counts" in holes:  # analyse's own density grid, so the page's numbers match it
            counts = np.clip(holes[f"{mid}_counts"], 0, 65535).astype("<u2")
            (exp / f"counts-{mid}.bin").write_bytes(counts.tobytes())
        meta["models"][mid] = {
            "label": MODEL_LABELS[mid],
            "kind": "vae" if mid.startswith("vae") else "ae",
            "window": [round(float(v), 6) for v in window],
            "grid": int(holes[f"{mid}_holes"].shape[0]),
            "codes": f"codes-{mid}.bin",
            "holes": f"holes-{mid}.png",
            "counts": f"counts-{mid}.bin" if f"{mid}_counts" in holes else None,
            "tiles": f"tiles/{mid}/",
            "gaps": np.round(holes[f"{mid}_gaps"].astype(np.float64), 4).tolist()
            if f"{mid}_gaps" in holes else [],
        }
        del model

    clock["tiles"] = time.perf_counter()
    # Training images as sprite sheets, for the nearest-neighbour display (loaded on demand).
    train_x = data["train_x"]
    sheets = []
    with ThreadPoolExecutor(max_workers=threads) as pool:
        jobs = [pool.submit(lambda s: _png(sprite_sheet(train_x[s:s + SHEET_PER], SHEET_COLS)), s)
                for s in range(0, len(train_x), SHEET_PER)]
        for k, job in enumerate(jobs):
            name = f"train-sheet-{k}.png"
            (exp / name).write_bytes(job.result())
            sheets.append(name)
    meta["train_sheets"] = {"files": sheets, "per_sheet": SHEET_PER, "cols": SHEET_COLS, "px": 28}

    # Interpolation paths: one sprite sheet per kind (row = pair, column = step) + paths.json.
    paths_file = Path(ctx.inputs["analyse"]) / "paths.npz"
    if paths_file.is_file():
        paths = load_npz(paths_file)
        pairs = paths["pairs"].astype(int)
        info = []
        metrics_file = Path(ctx.inputs["analyse"]) / "metrics.json"
        if metrics_file.is_file():  # pair ids and kinds ("look-alike" / "far"), same order
            info = (json.loads(metrics_file.read_text()).get("paths") or {}).get("pairs") or []
        pj: dict[str, Any] = {
            "pairs": pairs.tolist(),
            "pair_labels": [[int(test_y[a]), int(test_y[b])] for a, b in pairs],
            "pair_kinds": [str(info[i].get("kind", "")) if i < len(info) else "" for i in range(len(pairs))],
            "hole_max_count": int(cfg.analyse.hole_max_count),
            "kinds": {},
        }
        for kind in PATH_KINDS:
            if f"{kind}_frames" not in paths:
                continue
            frames = paths[f"{kind}_frames"]  # [P, S, 28, 28]
            p, s = frames.shape[:2]
            sheet = frames.transpose(0, 2, 1, 3).reshape(p * 28, s * 28)
            (exp / f"paths-{kind}.png").write_bytes(_png(np.ascontiguousarray(sheet)))
            entry = {"sheet": f"paths-{kind}.png", "steps": int(s), "px": 28}
            for key, nd in (("density", 2), ("confidence", 4), ("step", 3)):
                if f"{kind}_{key}" in paths:
                    entry[key] = np.round(paths[f"{kind}_{key}"].astype(np.float64), nd).tolist()
            if f"{kind}_class" in paths:
                entry["class"] = paths[f"{kind}_class"].astype(int).tolist()
            if f"{kind}_z" in paths:
                entry["z"] = np.round(paths[f"{kind}_z"][..., :2].astype(np.float64), 4).tolist()
            pj["kinds"][kind] = entry
        _compact_json(exp / "paths.json", pj)
        meta["paths"] = "paths.json"

    arch_doc = {"example": {"test_index": example, "label": int(test_y[example]) if len(test_y) else None},
                "models": arch}
    _compact_json(exp / "arch.json", arch_doc)
    meta["arch"] = "arch.json"
    meta["files"] = sorted(p.name for p in exp.iterdir()) + ["meta.json"]
    meta["file_mode"] = "each .json/.bin file also exists as <file>.js (HC_DATA_PUT) for file:// pages"
    save_json(exp / "meta.json", meta)

    clock["files"] = time.perf_counter()
    toy_dir = out / "toy"
    toy_dir.mkdir(exist_ok=True)
    toy = build_toy(int(cfg.seed))
    _compact_json(toy_dir / "toy.json", toy)
    write_script_companions(out)
    end = time.perf_counter()
    return (f"tiles {'+'.join(sorted(meta['models'])) or 'none'} "
            f"({summary['tile_bytes'] / 1e6:.1f} MB, {cfg.render.tile_levels} levels) in "
            f"{clock['tiles'] - clock['start']:.1f}s, {len(sheets)} training sheets + paths in "
            f"{clock['files'] - clock['tiles']:.1f}s, toy AE (BCE {toy['final_bce_nats_per_image']:.1f} "
            f"nats) in {end - clock['files']:.1f}s")
