"""Small, deterministic file formats shared by the stages.

Outputs must be byte-identical for identical inputs (the runner compares content digests, and
the determinism tests compare files), so nothing here writes a timestamp.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any, Iterator

import numpy as np

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold; fixed, so no wall clock


def walk_files(path: Path) -> Iterator[Path]:
    """A file itself, or every file under a folder (sorted, caches left out): what gets hashed."""
    if path.is_file():
        yield path
    elif path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                yield p


def save_npz(path: Path, **arrays: np.ndarray) -> None:
    """Like np.savez (uncompressed, loadable by np.load) but with fixed entry dates."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(array), allow_pickle=False)
            zf.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH), buf.getvalue())


def load_npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def save_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def load_json(path: Path) -> Any:
    return json.loads(Path(path).read_text())
