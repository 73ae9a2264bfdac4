"""Decoded tiles, explorer data files and the toy autoencoder: what the site's widgets read.

The pyramid must show, at every level, the decoder's own output at each digit cell's centre
(checked by decoding a few cell centres directly), and index.json must describe the files that
are there. write_explorer_data is run on small synthetic inputs in the artifact layout.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from PIL import Image

from pipeline.core import palette, report, widget_palette
from pipeline.core.config import load_config
from pipeline.core.io import save_npz
from pipeline.core.models import Autoencoder, VariationalAutoencoder, checkpoint_dict
from pipeline.stages.s5_render import explorer_data, live_data, tiles, toy
from tests.report_examples import example


def _model(cls=Autoencoder, seed=0, **kw):
    torch.manual_seed(seed)
    return cls(latent_dim=2, hidden=[16], **kw).eval()


def _decode_direct(model, points, side=28):
    with torch.no_grad():
        x = model.decode(torch.tensor(np.asarray(points), dtype=torch.float32)).numpy()
    return np.clip(np.rint(x * 255), 0, 255).astype(np.uint8).reshape(-1, side, side)


@pytest.fixture(scope="module")
def pyramid(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiles") / "ae2"
    model = _model()
    window = np.array([-3.0, 5.0, -2.0, 6.0], np.float32)
    index = tiles.write_pyramid(model, window, out, levels=3, tile_digits=4)
    return model, window, out, index


def test_index_json_describes_the_files(pyramid):
    _, window, out, index = pyramid
    written = json.loads((out / "index.json").read_text())
    assert written["levels"] == 3 and written["tile_digits"] == 4
    assert written["tile_px"] == 4 * 28 and written["digit_px"] == 28
    assert np.allclose(written["window"], window)
    files = {p.relative_to(out).as_posix() for p in out.rglob("*.png")}
    expected = {written["pattern"].format(level=k, x=x, y=y)
                for k in range(3) for x in range(2 ** k) for y in range(2 ** k)}
    assert files == expected
    for rel in expected:
        with Image.open(out / rel) as im:
            assert im.size == (112, 112) and im.mode == "L"


@pytest.mark.parametrize("level", [0, 1, 2])
def test_tiles_show_the_decode_at_cell_centres(pyramid, level):
    model, window, out, index = pyramid
    per_axis = 2 ** level * index["tile_digits"]
    rng = np.random.default_rng(level)
    cells = rng.integers(0, per_axis, size=(6, 2))  # (column i, row j from the top)
    xs, ys = tiles.cell_centres(window, per_axis)
    points = np.column_stack([xs[cells[:, 0]], ys[cells[:, 1]]])
    direct = _decode_direct(model, points)
    for (i, j), z, want in zip(cells, points, direct):
        name, px, py = tiles.tile_pixel(index, level, tuple(z))
        with Image.open(out / name) as im:
            tile = np.asarray(im)
        # the cell's top-left pixel: px, py point at the centre of the cell
        x0, y0 = px - px % 28, py - py % 28
        assert (x0, y0) == ((i % index["tile_digits"]) * 28, (j % index["tile_digits"]) * 28)
        got = tile[y0:y0 + 28, x0:x0 + 28]
        assert np.abs(got.astype(int) - want.astype(int)).max() <= 1  # batch size may move a rounding


def test_pyramid_is_byte_identical_when_rebuilt(pyramid, tmp_path):
    model, window, out, _ = pyramid
    tiles.write_pyramid(model, window, tmp_path / "again", levels=3, tile_digits=4)
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = {p.relative_to(tmp_path / "again"): p.read_bytes() for p in (tmp_path / "again").rglob("*") if p.is_file()}
    assert first == again


def test_tiles_take_the_image_side_from_the_model(tmp_path):
    """A data set of 16 x 16 images gets 16 px digits; a non-square one is refused by name."""
    model = _model(image_shape=(1, 16, 16))
    window = np.array([-1.0, 1.0, -1.0, 1.0], np.float32)
    index = tiles.write_pyramid(model, window, tmp_path / "t", levels=2, tile_digits=3)
    assert index["digit_px"] == 16 and index["tile_px"] == 48
    with Image.open(tmp_path / "t" / "1" / "1_0.png") as im:
        tile = np.asarray(im)
    xs, ys = tiles.cell_centres(window, 6)
    want = _decode_direct(model, [[xs[3], ys[0]]], side=16)[0]
    assert tile.shape == (48, 48) and np.array_equal(tile[:16, :16], want)
    with pytest.raises(ValueError, match=r"square grayscale images, not \[1, 16, 12\]"):
        tiles.write_pyramid(_model(image_shape=(1, 16, 12)), window, tmp_path / "u", 1, 2)


def test_top_row_is_the_highest_latent_y():
    xs, ys = tiles.cell_centres(np.array([0, 1, 10, 20]), 4)
    assert np.all(np.diff(xs) > 0) and np.all(np.diff(ys) < 0)
    assert ys[0] == pytest.approx(20 - 10 / 8)


def test_toy_export_runs_as_the_page_runs_it():
    """The widget computes W·x + b with W as [out][in] lists: that must reproduce the codes."""
    model, x, y, losses = toy.train_toy(seed=0, steps=60)
    d = toy.export(model, x, y, losses)
    L = {k: (np.array(v["W"]), np.array(v["b"])) for k, v in d["layers"].items()}
    h = np.tanh(x @ L["enc1"][0].T + L["enc1"][1])
    z = h @ L["enc2"][0].T + L["enc2"][1]
    assert np.allclose(z, np.array(d["codes"]), atol=2e-3)
    assert len(d["codes"]) == len(d["labels"]) == len(d["pixels"]) == 1797
    assert d["train_loss_bce_nats"][-1] < d["train_loss_bce_nats"][0]


def test_toy_vae_export_runs_as_the_page_runs_it():
    """The VAE's μ head, computed as the widget does, reproduces its exported codes; a larger β
    pulls the codes closer to N(0, I) (smaller KL)."""
    x, _ = toy.load_digits()
    docs = [toy.export_vae(toy.train_toy_vae(beta, steps=80), beta, x) for beta in (0.1, 4.0)]
    L = {k: (np.array(v["W"]), np.array(v["b"])) for k, v in docs[0]["layers"].items()}
    mu = np.tanh(x @ L["enc1"][0].T + L["enc1"][1]) @ L["mu"][0].T + L["mu"][1]
    assert np.allclose(mu, np.array(docs[0]["codes"]), atol=2e-3)
    assert docs[1]["final_kl_nats_per_image"] < docs[0]["final_kl_nats_per_image"]


def _write_report(analyse: Path, pair_kinds: list[str], thresholds: dict[str, float]) -> None:
    """A whole synthetic metrics.json whose path pairs and main quality maps are the given ones."""
    rep = example(report.AnalysisReport)
    rep.paths.pairs = [dataclasses.replace(rep.paths.pairs[0], kind=k) for k in pair_kinds]
    judged = rep.robustness.per_seed["ae2"]["ae2"]
    maps = {kind: dataclasses.replace(judged.quality_map["ae2"], threshold_realism=t)
            for kind, t in thresholds.items()}
    rep.robustness.seeds = ["seed0"]
    rep.robustness.models = {"seed0": ["ae2", "vae2"]}  # the main pair, whose maps are drawn
    rep.robustness.per_seed = {"seed0": {"cnn": dataclasses.replace(judged, quality_map=maps)}}
    report.write(analyse / "metrics.json", rep)


def test_write_explorer_data_on_synthetic_inputs(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    n, nt, P, S, G = 1200, 50, 3, 5, 16
    data = tmp_path / "data"; train = tmp_path / "train"; enc = tmp_path / "encode"; an = tmp_path / "analyse"
    for d in (data, train / "models", enc, an):
        d.mkdir(parents=True)
    save_npz(data / "mnist.npz", train_x=rng.integers(0, 255, (n, 28, 28), dtype=np.uint8),
             train_y=(np.arange(n) % 10).astype(np.uint8),
             test_x=rng.integers(0, 255, (nt, 28, 28), dtype=np.uint8),
             test_y=(np.arange(nt) % 10).astype(np.uint8))
    holes, paths = {}, {"pairs": np.array([[0, 1], [2, 3], [4, 5]])}
    for mid, cls in (("ae2", Autoencoder), ("vae2", VariationalAutoencoder)):
        torch.save(checkpoint_dict(_model(cls)), train / "models" / f"{mid}.pt")
        z = rng.normal(size=(n, 2)).astype(np.float32)
        save_npz(enc / f"{mid}.npz", train_z=z, test_z=z[:nt])
        holes[f"{mid}_window"] = np.array([-3, 3, -3, 3], np.float32)
        holes[f"{mid}_holes"] = rng.random((G, G)) < 0.3
        holes[f"{mid}_counts"] = rng.integers(0, 9, (G, G)).astype(np.int32)
        holes[f"{mid}_gaps"] = np.zeros((2, 2), np.float32)
        holes[f"{mid}_hull"] = rng.random((G, G)) < 0.5
        holes[f"{mid}_excess_cells"] = holes[f"{mid}_holes"] & holes[f"{mid}_hull"] & (rng.random((G, G)) < 0.5)
        holes[f"{mid}_cnn_realism"] = rng.uniform(0.2, 6.0, (G, G)).astype(np.float32)
    for kind in explorer_data.PATH_KINDS:
        paths[f"{kind}_frames"] = rng.integers(0, 255, (P, S, 28, 28), dtype=np.uint8)
        paths[f"{kind}_z"] = rng.normal(size=(P, S, 2)).astype(np.float32)
        for key in ("density", "confidence", "step"):
            paths[f"{kind}_{key}"] = rng.random((P, S)).astype(np.float32)
        paths[f"{kind}_class"] = rng.integers(0, 10, (P, S)).astype(np.uint8)
    save_npz(an / "holes.npz", **holes)
    save_npz(an / "paths.npz", **paths)
    save_npz(an / "samples.npz", ae_box_z=rng.normal(size=(100, 2)).astype(np.float32),
             ae_gmm_z=rng.normal(size=(100, 2)).astype(np.float32))
    pair_kinds = ["look-alike", "far", "far"]
    _write_report(an, pair_kinds, {"ae": 1.5, "vae": 2.0})
    monkeypatch.setattr(explorer_data, "build_toy",
                        lambda seed, steps: {**toy.export(*toy.train_toy(seed, steps=20)), "vaes": []})
    cfg = load_config("smoke")
    out = tmp_path / "render"; out.mkdir()
    ctx = SimpleNamespace(cfg=cfg, out=out, device="cpu",
                          inputs={"data": data, "train": train, "encode": enc, "analyse": an})
    explorer_data.write_explorer_data(ctx)
    exp = out / "explorer"
    meta = json.loads((exp / "meta.json").read_text())
    assert sorted(meta["models"]) == ["ae2", "vae2"]
    assert meta["main_pair"] == {"ae": "ae2", "vae": "vae2"}  # the hero's and the draw page's
    expected = {"labels.bin", "paths.json", "arch.json", "meta.json", "live.json",
                "train-sheet-0.png", "train-sheet-1.png",
                *(f"model-{mid}-{part}.js" for mid in ("ae2", "vae2") for part in ("encoder", "decoder")),
                *(f"paths-{kind}.png" for kind in explorer_data.PATH_KINDS),
                *(f"{what}-{mid}.{ext}" for mid in ("ae2", "vae2")
                  for what, ext in (("codes", "bin"), ("counts", "bin"), ("holes", "png"),
                                    ("realism", "bin"), ("realism", "png")))}
    assert sorted(meta["files"]) == sorted(expected)
    on_disk = {p.name for p in exp.iterdir()}
    assert on_disk == expected | {f"{name}.js" for name in expected if name.endswith((".json", ".bin"))}
    # the real models for the page (model_export.py) and the points the hero decodes
    assert meta["live"]["files"]["vae2"] == {"encoder": "model-vae2-encoder.js", "decoder": "model-vae2-decoder.js"}
    live = json.loads((exp / "live.json").read_text())
    kept = live_data.HERO_SETS * live_data.HERO_SAMPLES  # a press shows the next 64 of these
    assert np.allclose(live["samples"]["ae_box"], np.load(an / "samples.npz")["ae_box_z"][:kept], atol=1e-4)
    assert live["hero_samples"] == live_data.HERO_SAMPLES
    # the palette and model names reach the widgets through their data, from pipeline/core/palette.py and widget_palette.py
    assert meta["digit_colors"] == list(palette.DIGIT_COLORS) and meta["map_colors"] == widget_palette.MAP_COLORS
    # every map draws the same N(0, I) circles as the figures (the hero once drew two, not three)
    assert meta["prior_sigmas"] == live["prior_sigmas"] == list(palette.PRIOR_SIGMAS)
    shorts = [(m["short"], m["kind"]) for _, m in sorted(meta["models"].items())]
    assert shorts == [("AE", "ae"), ("VAE", "vae")]
    assert "file_mode" not in meta
    counts = np.frombuffer((exp / "counts-vae2.bin").read_bytes(), "<u2").reshape(G, G)
    assert np.array_equal(counts, holes["vae2_counts"])
    codes = np.frombuffer((exp / "codes-ae2.bin").read_bytes(), "<f2").reshape(-1, 2)
    assert codes.shape == (n, 2)
    assert np.allclose(codes, np.load(enc / "ae2.npz")["train_z"], atol=1e-2)
    assert (exp / "labels.bin").stat().st_size == n
    assert len(meta["train_sheets"]["files"]) == 2  # 1,200 images, 1,000 per sheet
    with Image.open(exp / "train-sheet-1.png") as im:  # 200 images, 40 per row: 5 rows
        assert im.size == (40 * 28, 5 * 28)
        sheet = np.asarray(im)
    q = 1000 + 87  # image 87 of sheet 1: row 2, column 7
    want = np.load(data / "mnist.npz")["train_x"][q]
    assert np.array_equal(sheet[2 * 28:3 * 28, 7 * 28:8 * 28], want)
    with Image.open(exp / "holes-ae2.png") as im:
        overlay = np.asarray(im)
    assert overlay.shape == (G, G, 4)
    # row 0 of the PNG = top; only empty cells between the codes are tinted
    assert np.array_equal(overlay[::-1, :, 3] > 0, holes["ae2_holes"] & holes["ae2_hull"])
    with Image.open(exp / "holes-vae2.png") as im:
        alpha = np.asarray(im)[::-1, :, 3]
    h, hull, excess = holes["vae2_holes"], holes["vae2_hull"], holes["vae2_excess_cells"]
    assert excess.any() and (h & hull & ~excess).any()
    assert np.all(alpha[excess] == explorer_data.HOLE_RGBA[3])  # the holes of the site's definition
    assert np.all(alpha[h & hull & ~excess] == explorer_data.EMPTY_RGBA[3])  # any sample's outskirts
    assert np.all(alpha[~(h & hull)] == 0)
    # the decoded-quality overlay: the main seed's CNN realism map, tinted only where off-manifold
    assert meta["models"]["vae2"]["realism_threshold"] == 2.0
    realism = np.frombuffer((exp / "realism-vae2.bin").read_bytes(), "<f4").reshape(G, G)
    assert np.array_equal(realism, holes["vae2_cnn_realism"])
    with Image.open(exp / "realism-vae2.png") as im:
        alpha = np.asarray(im)[::-1, :, 3].astype(int)
    off = realism > 2.0
    assert off.any() and (~off).any()
    assert np.all(alpha[~off] == 0) and np.all(alpha[off] >= 40)
    order = np.argsort(realism[off])  # deeper yellow the farther beyond the threshold
    assert np.all(np.diff(alpha[off][order]) >= 0) and alpha[off][order][-1] > alpha[off][order][0]
    pj = json.loads((exp / "paths.json").read_text())
    assert pj["pairs"] == paths["pairs"].tolist()
    assert set(pj["kinds"]) == set(explorer_data.PATH_KINDS)
    assert pj["pair_kinds"] == pair_kinds
    assert pj["model_colors"] == {"ae": palette.MODEL_COLORS["ae"], "vae": palette.MODEL_COLORS["vae"]}
    assert [pj["kinds"][k]["title"] for k in explorer_data.PATH_KINDS] == [
        "AE, straight line", "VAE, straight line", "VAE, spherical path"]
    with Image.open(exp / "paths-vae_slerp.png") as im:
        frames = np.asarray(im)
    assert np.array_equal(frames[28:56, 3 * 28:4 * 28], paths["vae_slerp_frames"][1, 3])
    arch = json.loads((exp / "arch.json").read_text())
    sizes = [layer["size"] for layer in arch["models"]["ae2"]["layers"]]
    assert sizes == [784, 16, 2, 16, 784]
    assert [layer["size"] for layer in arch["models"]["vae2"]["layers"]] == [784, 16, 2, 2, 16, 784]
    assert arch["example"]["label"] == 3 and arch["example"]["test_index"] == 3  # test_y = index % 10
    assert arch["layer_colors"] == widget_palette.LAYER_COLORS
    # file:// companions: the same data, as scripts calling HC_DATA_PUT(key, value)
    for rel in ("explorer/meta.json", "toy/toy.json", "tiles/ae2/index.json", "explorer/codes-ae2.bin"):
        text = (out / (rel + ".js")).read_text()
        prefix = f'HC_DATA_PUT("{rel}", '
        assert text.startswith(prefix) and text.endswith(");\n")
        value = json.loads(text[len(prefix):-3])
        if rel.endswith(".bin"):
            import base64
            assert base64.b64decode(value) == (out / rel).read_bytes()
        else:
            assert value == json.loads((out / rel).read_text())
    assert not list(out.glob("*.js"))  # nothing outside tiles/, explorer/, toy/
    t = json.loads((out / "toy" / "toy.json").read_text())
    assert len(t["codes"]) == 1797
    assert t["digit_colors"] == list(palette.DIGIT_COLORS) and t["prior_sigmas"] == list(palette.PRIOR_SIGMAS)
    for mid in ("ae2", "vae2"):
        idx = json.loads((out / "tiles" / mid / "index.json").read_text())
        assert idx["levels"] == cfg.render.tile_levels
        assert len(list((out / "tiles" / mid).rglob("*.png"))) == sum(4 ** k for k in range(idx["levels"]))
