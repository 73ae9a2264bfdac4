"""Content-addressed results of a stage's jobs (one trained model, one model's codes, one UMAP
map; later one analyse section or one figure group), so a job seen before is never redone.

A job is named (``"vae2-beta8"``) and keyed by its *parts*: a JSON-able dict of everything that
can change its result (its spec, config values, the digests of the data it reads and of each
source file it runs). Its result is a folder ``<artifacts>/cache/<stage>/<key>/`` holding the
job's files and ``job.json`` (the parts, and each file's sha256). A folder is built under the
store's scratch (``.tmp/``, emptied at the start of every run) and moved into place whole with
one ``os.replace``, so a killed run leaves no half-written job that a later run trusts, and a
damaged one (a file whose hash no longer matches) is dropped and rebuilt.

How a stage uses it (``ctx.cache`` is this stage's cache)::

    folder = ctx.cache.job(name, parts)          # a verified earlier result, or None
    if folder is None:
        with ctx.cache.building(name, parts) as scratch:
            ...write the job's files into scratch...   # committed when the block ends cleanly
        folder = ctx.cache.job(name, parts)
    link(folder / "x.npz", ctx.out / "x.npz")    # the stage output, byte for byte

``record`` tells the runner which jobs ran and which were reused; it keeps the keys in the
manifest so that ``status`` can say, per job, what changed since the last run (``diff_parts``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterator

from .io import walk_files

JOB_FILE = "job.json"


def sha256_file(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def hash_tree(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under ``root``."""
    return {str(p.relative_to(root)): sha256_file(p) for p in walk_files(root)}


def parts_key(parts: dict[str, Any]) -> str:
    """The key of a job: sha256 of its parts as canonical JSON."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def link(src: Path | str, dest: Path | str) -> None:
    """Put ``src``'s bytes at ``dest``: a hard link (no disk, no time), a copy across
    filesystems. Safe because no stage writes into a file it did not create: outputs are
    replaced whole, never edited in place (and a damaged shared file fails its hash check)."""
    src, dest = Path(src), Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{"a": {"b": 1}} -> {"a.b": 1}: the dotted names ``status`` prints."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: value}


def diff_parts(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """The dotted names whose values differ between two sets of parts (a source file shows as
    ``code.<path>``), sorted; ["new"] when there is nothing to compare with."""
    if old is None:
        return ["new"]
    # compared as the key hashes them (JSON): a tuple in the new parts equals the list stored
    a, b = (flatten(json.loads(json.dumps(p, sort_keys=True))) for p in (old, new))
    return sorted(k for k in set(a) | set(b) if a.get(k, None) != b.get(k, None))


class JobCache:
    """One stage's cached jobs under ``<artifacts>/cache/<stage>/``; scratch under ``.tmp/``."""

    def __init__(self, artifacts: Path, stage: str):
        self.stage = stage
        self.home = artifacts / "cache" / stage
        self.scratch = artifacts / ".tmp"
        self.record: dict[str, dict[str, Any]] = {}  # name -> {"key", "ran": bool}

    def folder(self, key: str) -> Path:
        return self.home / key

    def _about(self, key: str) -> dict[str, Any]:
        try:
            about = json.loads((self.folder(key) / JOB_FILE).read_text())
            return about if isinstance(about, dict) else {}
        except (OSError, ValueError):
            return {}

    def parts_of(self, key: str) -> dict[str, Any] | None:
        """The parts an existing job was built from (for reasons), or None."""
        return self._about(key).get("parts")

    def meta_of(self, key: str) -> dict[str, Any]:
        """What the job's builder noted beside its files (``commit(meta=)``)."""
        return self._about(key).get("meta", {})

    def has(self, parts: dict[str, Any]) -> bool:
        """Whether a result exists for these parts (unverified: for ``status``)."""
        return (self.folder(parts_key(parts)) / JOB_FILE).is_file()

    def job(self, name: str, parts: dict[str, Any]) -> Path | None:
        """The folder of a verified earlier result of this job, or None (a damaged one is
        removed). Records the job as reused."""
        key = parts_key(parts)
        folder = self.folder(key)
        try:
            recorded = json.loads((folder / JOB_FILE).read_text())["files"]
        except (OSError, ValueError, KeyError):
            return None
        on_disk = {str(p.relative_to(folder)) for p in walk_files(folder)} - {JOB_FILE}
        if on_disk != set(recorded) or any(sha256_file(folder / rel) != digest
                                           for rel, digest in recorded.items()):
            shutil.rmtree(folder, ignore_errors=True)
            return None
        self.record.setdefault(name, {"key": key, "ran": False})
        os.utime(folder / JOB_FILE)  # last used now: ``prune`` drops the least recently used
        return folder

    @contextlib.contextmanager
    def building(self, name: str, parts: dict[str, Any]) -> Iterator[Path]:
        """A fresh scratch folder for the job's files, committed when the block ends without an
        exception and removed otherwise (a Ctrl-C, an error: nothing half-written is kept)."""
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in f"{self.stage}-{name}")
        scratch = self.scratch / f"cache-{safe}-{os.getpid()}"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        try:
            yield scratch
            self.commit(name, parts, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def commit(self, name: str, parts: dict[str, Any], scratch: Path,
               files: dict[str, str] | None = None, meta: dict[str, Any] | None = None) -> Path:
        """Move a finished job folder into place (one rename); returns its cache folder.
        ``files``: the folder's hashes when the caller has them already; ``meta``: small notes
        kept in job.json (not part of the result's bytes)."""
        key = parts_key(parts)
        files = hash_tree(scratch) if files is None else files
        (scratch / JOB_FILE).write_text(json.dumps(
            {"stage": self.stage, "name": name, "parts": parts, "files": files,
             "meta": meta or {}}, indent=1, sort_keys=True))
        final = self.folder(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():  # a damaged or concurrent leftover: the new result replaces it
            shutil.rmtree(final, ignore_errors=True)
        os.replace(scratch, final)
        self.record[name] = {"key": key, "ran": True}
        return final

    def ran(self) -> list[str]:
        return [name for name, r in self.record.items() if r["ran"]]

    def reused(self) -> list[str]:
        return [name for name, r in self.record.items() if not r["ran"]]

    def prune_to_runs(self, runs: int) -> None:
        """Keep about the last ``runs`` runs' worth of results: ``runs`` times as many as this
        run used (the ones it used are the most recent), so the cache of a stage whose settings
        are changed again and again stays bounded."""
        if self.record:
            self.prune(runs * len(self.record))

    def prune(self, keep: int) -> None:
        """Keep the ``keep`` most recently used results of this stage, drop the others."""
        found = [f for f in self.home.iterdir() if (f / JOB_FILE).is_file()] if self.home.is_dir() else []
        found.sort(key=lambda f: (f / JOB_FILE).stat().st_mtime, reverse=True)
        for folder in found[keep:]:
            shutil.rmtree(folder, ignore_errors=True)
