"""Data sets other than MNIST, on small synthetic IDX files in each data set's torchvision layout
(no network): what the data stage writes, the clear errors, and models that take their image
shape and classes from the data."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from pptx import Presentation

from pipeline.core import artifacts
from pipeline.core.config import REPO_ROOT, load_config
from pipeline.core.dataset_info import DatasetInfo
from pipeline.core.errors import ConfigError, DataError
from pipeline.core.io import load_npz
from pipeline.core.models import load_checkpoint
from pipeline.stages.s1_data import stage as data_stage
from tests.browser import browser
from pipeline.stages.s1_data import torchvision_files
from pipeline.stages.s1_data.catalogue import CATALOGUE, IDX_FILES
from pipeline.stages.s2_train.specs import ModelSpec
from pipeline.stages.s2_train.training import build_model, to_tensors, train_and_save

from .synthetic_idx import write_idx_set

OTHERS = ["fashion-mnist", "kmnist"]
CLASS_NAMES = {"fashion-mnist": ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                                 "Shirt", "Sneaker", "Bag", "Ankle boot"),
               "kmnist": ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo")}


def _run_data_stage(root: Path, out: Path, dataset: str, *extra: str) -> None:
    cfg = load_config("smoke", overrides=[f"data.root={root}", f"data.dataset={dataset}", *extra])
    out.mkdir(parents=True, exist_ok=True)
    data_stage.run(SimpleNamespace(cfg=cfg, out=out))


@pytest.mark.parametrize("dataset", OTHERS)
def test_the_data_stage_reads_a_data_set_and_says_what_it_is(dataset, tmp_path):
    raw = write_idx_set(tmp_path / "root", dataset, n_train=1600, n_test=600)
    _run_data_stage(tmp_path / "root", tmp_path / "out", dataset)
    arrays = load_npz(tmp_path / "out" / "mnist.npz")
    assert arrays["train_x"].shape == (1500, 28, 28) and arrays["test_x"].shape == (500, 28, 28)
    info = artifacts.dataset_info(tmp_path / "out")
    assert info.name == dataset and info.title == CATALOGUE[dataset].title
    assert info.image_shape == (1, 28, 28) and info.n_classes == 10
    assert info.class_names == CLASS_NAMES[dataset]  # torchvision's .classes
    assert info.item_noun == {"fashion-mnist": "item", "kmnist": "character"}[dataset]
    sums = json.loads((tmp_path / "out" / "checksums.json").read_text())
    assert sums["dataset"] == dataset
    assert sums["md5"] == {n: hashlib.md5((raw / n).read_bytes()).hexdigest() for n in IDX_FILES}


def test_mnist_class_names_are_the_numerals():
    assert data_stage.describe(CATALOGUE["mnist"], np.zeros((2, 28, 28), np.uint8),
                               np.arange(2)).class_names == tuple("0123456789")


def test_missing_files_offline_name_the_files_and_the_fix(tmp_path, monkeypatch):
    def offline(root, entry, missing):
        raise OSError("Network is unreachable")
    monkeypatch.setattr(torchvision_files, "_download_missing", offline)
    with pytest.raises(DataError) as e:
        _run_data_stage(tmp_path, tmp_path / "out", "fashion-mnist")
    msg = str(e.value)
    assert "Fashion-MNIST" in msg and all(n in msg for n in IDX_FILES)
    assert str(tmp_path / "FashionMNIST" / "raw") in msg and "Network is unreachable" in msg
    assert "network access" in msg and "fashion-mnist.s3" in msg  # what to do, and where from


def test_idx_source_and_bundle_source_say_what_is_wrong(tmp_path):
    with pytest.raises(DataError, match="data.source = 'idx'.*KMNIST/raw"):
        _run_data_stage(tmp_path, tmp_path / "out", "kmnist", "data.source=idx")
    with pytest.raises(DataError, match="MNIST's offline bundle; Kuzushiji-MNIST has none"):
        _run_data_stage(tmp_path, tmp_path / "out", "kmnist", "data.source=bundle")


def test_archives_are_md5_checked_and_unpacked(tmp_path, monkeypatch):
    raw = write_idx_set(tmp_path, "kmnist", n_train=1500, n_test=500)
    payloads = {}
    for name in IDX_FILES:
        (raw / f"{name}.gz").write_bytes(gzip.compress((raw / name).read_bytes(), mtime=0))
        payloads[name] = (raw / name).read_bytes()
        (raw / name).unlink()
    # Not torchvision's published archives: refused, with the file named.
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte\.gz is not the published"):
        _run_data_stage(tmp_path, tmp_path / "out", "kmnist")
    # With these archives' MD5s listed, they are unpacked, byte for byte.
    md5s = {n: hashlib.md5((raw / f"{n}.gz").read_bytes()).hexdigest() for n in IDX_FILES}
    monkeypatch.setattr(torchvision_files, "archive_md5s", lambda entry: md5s)
    assert torchvision_files.ensure_idx_files(tmp_path, CATALOGUE["kmnist"]) == "archive"
    assert all((raw / n).read_bytes() == payloads[n] for n in IDX_FILES)


def test_sizes_are_capped_by_the_data_set_not_the_config(tmp_path):
    write_idx_set(tmp_path, "fashion-mnist", n_train=400, n_test=600)
    with pytest.raises(DataError, match="data.train_size = 1,500, but Fashion-MNIST has 400 "
                                        "training images. Set data.train_size to at most 400"):
        _run_data_stage(tmp_path, tmp_path / "out", "fashion-mnist")
    assert load_config("smoke", overrides=["data.train_size=100000"]).data.train_size == 100000
    with pytest.raises(ConfigError, match="data.dataset"):
        load_config("smoke", overrides=["data.dataset=cifar10"])


def test_dataset_json_round_trips_and_a_bad_one_is_an_artifact_error(tmp_path):
    info = DatasetInfo("kmnist", "Kuzushiji-MNIST", (1, 28, 28), 10, CLASS_NAMES["kmnist"],
                       "character", "credit")
    (tmp_path / "dataset.json").write_text(json.dumps(info.to_json()))
    assert artifacts.dataset_info(tmp_path) == info and info.pixels == 784
    (tmp_path / "dataset.json").write_text(json.dumps({**info.to_json(), "n_classes": 9}))
    with pytest.raises(artifacts.ArtifactError, match="class_names must hold n_classes = 9"):
        artifacts.dataset_info(tmp_path)


def test_models_take_shape_and_classes_from_the_data_and_their_checkpoints_keep_them(tmp_path):
    """A data set of 16 x 16 images in 4 classes: every kind of model is built for it, trains a
    step, and rebuilds itself from its checkpoint."""
    info = DatasetInfo("toy", "Toy", (1, 16, 16), 4, ("a", "b", "c", "d"), "item", "")
    rng = np.random.default_rng(0)
    arrays = {"train_x": rng.integers(0, 256, (200, 16, 16), dtype=np.uint8),
              "train_y": rng.integers(0, 4, 200), "test_x": rng.integers(0, 256, (50, 16, 16),
                                                                          dtype=np.uint8),
              "test_y": rng.integers(0, 4, 50)}
    data = to_tensors(arrays, info)
    specs = [ModelSpec("ae", "ae", 1, 1e-3, latent_dim=2, hidden=(32,), body="conv"),
             ModelSpec("vae", "vae", 1, 1e-3, latent_dim=2, beta=1.0, hidden=(32,)),
             ModelSpec("judge", "judge", 1, 1e-3), ModelSpec("judge-mlp", "judge_mlp", 1, 1e-3)]
    for spec in specs:
        model = build_model(spec, 0, info)
        train_and_save(model, data, tmp_path / f"{spec.id}.pt", name=spec.id, epochs=1,
                       batch_size=50, lr=1e-3, seed=0, config={}, progress=False)
        again, ckpt = load_checkpoint(tmp_path / f"{spec.id}.pt")
        assert ckpt["kwargs"]["image_shape"] == [1, 16, 16]
        with torch.no_grad():
            out = again(data.test_x[:3])
        out = out[0] if isinstance(out, tuple) else out
        assert out.shape == ((3, 4) if spec.kind.startswith("judge") else (3, 256)), spec.id


@pytest.mark.slow
def _pages_saying_digit(site: Path) -> list[str]:
    """Where a page (its text, alt and ARIA labels; code blocks aside) says "digit": only the
    toy page may, its models learn scikit-learn's digits whatever the data set. A figure's id
    ("claims-hardest-digits") is a name, not a word of the page."""
    said = []
    for page in sorted(site.glob("*.html")):
        if page.name == "toy.html":
            continue
        html = re.sub(r"(?s)<(script|style|svg|code|pre)\b.*?</\1>", "", page.read_text())
        for m in re.finditer(r"(?i)[^<>\"]{0,50}(?<![\w/#.-])digits?\b(?!-)[^<>\"]{0,30}", html):
            said.append(f"{page.name}: {m.group(0)}")
    return said


def _explorer_legend(site: Path) -> str:
    """The explorer's legend with the training codes on, opened from disk in the browser (the
    widgets name the classes from the attributes the site sets on them)."""
    with browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 900})
        page.goto((site / "explorer.html").as_uri())
        page.wait_for_selector(".hc-explorer[data-ready='1']", timeout=30_000)
        page.check(".hc-toggle-codes")
        return page.inner_text(".hc-explorer .hc-legend")


def test_fashion_mnist_builds_the_smoke_profile_end_to_end(tmp_path):
    """`python -m pipeline run --profile smoke data.dataset=fashion-mnist` on synthetic IDX files
    placed where torchvision looks: every stage runs, and the pages get the data set."""
    write_idx_set(tmp_path / "data", "fashion-mnist", n_train=1500, n_test=500)
    paths = [f"paths.{k}={tmp_path / k}" for k in ("artifacts", "docs", "site")]
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", "--profile", "smoke",
                           "data.dataset=fashion-mnist", f"data.root={tmp_path / 'data'}", *paths],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    art = tmp_path / "artifacts"
    info = artifacts.dataset_info(art / "data")
    assert info.title == "Fashion-MNIST" and info.class_names == CLASS_NAMES["fashion-mnist"]
    _, ckpt = load_checkpoint(art / "train" / "models" / "judge.pt")
    assert ckpt["kwargs"]["n_classes"] == 10 and ckpt["kwargs"]["image_shape"] == [1, 28, 28]
    assert (tmp_path / "site" / "index.html").is_file()
    # the pages name the data set and its classes ("digit" is MNIST's word)
    index = (tmp_path / "site" / "index.html").read_text()
    assert "clothing item (Fashion-MNIST)" in index and "handwritten digit" not in index
    said = _pages_saying_digit(tmp_path / "site")
    assert not said, said[:3]
    assert "Training codes by class:" in _explorer_legend(tmp_path / "site")
    assert ", ".join(CLASS_NAMES["fashion-mnist"]) in (tmp_path / "site" / "autoencoders.html").read_text()
    # the interpolation paths join this data set's nearest and farthest classes, not MNIST's pairs
    from pipeline.stages.s4_analyse import paths as interpolation_paths
    arrays = artifacts.mnist(art / "data")
    chosen = interpolation_paths.class_pairs("fashion-mnist", arrays["train_x"], arrays["train_y"])
    from pipeline.core import report
    stored = report.read(art / "analyse").paths.pairs
    assert [(p.digits[0], p.digits[1], p.kind) for p in stored] == list(chosen) != list(interpolation_paths.PAIR_DIGITS)
    assert "(look-alike)" in (tmp_path / "site" / "interpolation.html").read_text()
    # ... and so do the figures, their captions and the deck: legends name the classes
    said = [f"{e['id']}: {e[k]}" for e in artifacts.render_figures(art / "render")
            for k in ("title", "caption", "alt") if re.search(r"(?i)\bdigits?\b", e[k])]
    assert not said, said[:3]
    svg = (art / "render" / "figures" / "codes-matched.svg").read_text()
    assert "1 Trouser" in svg  # the legend (SVG text stays text)
    deck = Presentation(str(art / "render" / "deck.pptx"))
    text = " ".join([shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                     if shape.has_text_frame]
                    + [slide.notes_slide.notes_text_frame.text for slide in deck.slides])
    assert "clothing items" in text and not re.search(r"(?i)\bdigits?\b", text)
    from pipeline.stages.s6_site import stage as site_stage
    ctx = SimpleNamespace(cfg=load_config("smoke", overrides=["data.dataset=fashion-mnist"]),
                          manifest={}, inputs={n: art / n for n in ("data", "train", "analyse",
                                                                     "render")})
    assert site_stage.template_context(ctx)["dataset"] == info


def test_figure_text_is_retold_in_the_data_sets_words_and_mnist_keeps_its_own():
    from pipeline.core.data_words import retell
    fashion = {"noun": "item", "nouns": "items", "phrase": "clothing item", "label": "class"}
    assert retell("Codes of 1,500 images, coloured by digit", fashion) == "Codes of 1,500 images, coloured by class"
    assert retell("Two rows of handwritten digits; each digit's colour", fashion) == \
        "Two rows of clothing items; each class's colour"
    assert retell("Hardest digits", fashion) == "Hardest items"
    mnist = {"noun": "digit", "nouns": "digits", "phrase": "handwritten digit", "label": "digit"}
    assert retell("coloured by digit", mnist) == "coloured by digit"
