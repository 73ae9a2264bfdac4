"""The four IDX files of a data set other than MNIST (Fashion-MNIST, Kuzushiji-MNIST): found,
unpacked from torchvision's archives, or downloaded by torchvision; never overwritten.

torchvision reads ``root/<class>/raw/<name>``. Its download checks each ``.gz`` archive against
the MD5 it lists (``resources``) and keeps the archive beside the unpacked file; an archive found
there is checked against the same MD5 before anything is read. MNIST has its own module
(``mnist_files``): its offline bundle and the MD5s of its unpacked files.
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

from pipeline.core.errors import DataError

from .catalogue import IDX_FILES, Entry, torchvision_class
from .mnist_files import md5_of


def raw_dir(root: Path, entry: Entry) -> Path:
    return Path(root) / entry.torchvision_class / "raw"


def archive_md5s(entry: Entry) -> dict[str, str]:
    """torchvision's MD5 of each published archive, by the name of the file it unpacks to."""
    return {name.removesuffix(".gz"): md5 for name, md5 in torchvision_class(entry).resources}


def check_archives(raw: Path, entry: Entry) -> None:
    """Raise DataError if an archive under ``raw`` is not the published one."""
    for name, expected in archive_md5s(entry).items():
        archive = raw / f"{name}.gz"
        if archive.is_file() and (got := md5_of(archive)) != expected:
            raise DataError(
                f"{archive} is not the published {entry.title} archive: its MD5 is {got}, "
                f"expected {expected}. Delete it (and {raw / name} if it was unpacked from it) "
                "and run again with network access: torchvision downloads it again.")


def _unpack(archive: Path, target: Path) -> None:
    """Unpack a checked archive into a file that does not exist yet, atomically."""
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    with gzip.open(archive, "rb") as src, open(tmp, "wb") as dst:
        shutil.copyfileobj(src, dst)
    os.replace(tmp, target)


def _download_missing(root: Path, entry: Entry, missing: list[str]) -> None:
    """torchvision's download into a scratch folder; only the missing files (and their checked
    archives) move in, so files already there are never rewritten."""
    scratch = Path(root) / f".download-{os.getpid()}"
    try:
        cls = torchvision_class(entry)
        cls(str(scratch), train=True, download=True)
        cls(str(scratch), train=False, download=True)
        for name in missing:
            for file in (name, f"{name}.gz"):
                if (raw_dir(scratch, entry) / file).is_file():
                    os.replace(raw_dir(scratch, entry) / file, raw_dir(root, entry) / file)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def ensure_idx_files(root: Path, entry: Entry, source: str = "auto") -> str:
    """Make sure the four IDX files are under ``root/<class>/raw``; return the source used
    ('idx', 'archive' or 'download'). Raises DataError naming the missing files and the fix."""
    raw = raw_dir(root, entry)
    if source == "bundle":
        raise DataError(f"data.source = 'bundle' is MNIST's offline bundle; {entry.title} has "
                        "none. Use data.source = 'auto', 'idx' or 'download'.")
    check_archives(raw, entry)
    missing = [n for n in IDX_FILES if not (raw / n).is_file()]
    if not missing:
        return "idx"
    if source in ("auto", "idx") and all((raw / f"{n}.gz").is_file() for n in missing):
        for name in missing:  # archives already checked above
            _unpack(raw / f"{name}.gz", raw / name)
        return "archive"
    if source == "idx":
        raise DataError(f"data.source = 'idx' but {', '.join(missing)} missing from {raw}. Put "
                        f"the uncompressed IDX files there, or use data.source = 'auto'.")
    raw.mkdir(parents=True, exist_ok=True)
    try:
        _download_missing(root, entry, missing)
    except Exception as e:  # no network, a proxy, a server error, a bad archive: all end here
        mirror = torchvision_class(entry).mirrors[0]
        raise DataError(
            f"Cannot get {entry.title}: {', '.join(missing)} missing from {raw}, and torchvision's "
            f"download failed ({type(e).__name__}: {e}). Run once with network access (data.source "
            f"= 'auto' downloads and MD5-checks them), or copy the four files (or their .gz "
            f"archives from {mirror}) into {raw}.") from None
    return "download"
