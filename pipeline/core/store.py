"""The artifact store: one folder per stage, a manifest of keys and file hashes, scratch, a lock.

A stage is up to date when the manifest holds the same key and every output file still has the
hash recorded for it (so a damaged or deleted artifact is rebuilt, not trusted). Finished stage
folders are swapped into place whole, so a killed run never leaves a half-written artifact that
a later run trusts.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any, Iterator

from .codekeys import code_digest
from .config import REPO_ROOT, Config, section_dict
from .errors import PipelineError
from .io import walk_files
from .stage_table import Stage


# ---------------------------------------------------------------------------------------- hashing

def sha256_file(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def files_digest(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


def hash_tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): sha256_file(p) for p in walk_files(root)}


# --------------------------------------------------------------------------------------- the store

class Store:
    """The artifact folder: one sub-folder per stage, a manifest, scratch space and a lock."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.root = cfg.resolve(cfg.paths.artifacts)
        self.manifest_path = self.root / "manifest.json"
        self.manifest: dict[str, Any] = self._read_manifest()

    def _read_manifest(self) -> dict[str, Any]:
        try:
            data = json.loads(self.manifest_path.read_text())
            return data if isinstance(data, dict) else {}
        except FileNotFoundError:
            return {}
        except (json.JSONDecodeError, UnicodeDecodeError):
            # A damaged manifest means nothing can be trusted: every stage reruns.
            print(f"warning: {self.manifest_path} is damaged; every stage will rerun.", file=sys.stderr)
            return {}

    def write_manifest(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.manifest_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.manifest, indent=1, sort_keys=True))
        os.replace(tmp, self.manifest_path)

    def stage_dir(self, name: str) -> Path:
        return self.root / name

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise PipelineError(f"Another pipeline run holds {self.root}/.lock; wait for it to "
                                    "finish (or stop it) and try again.") from None
            yield

    def clean_scratch(self) -> None:
        """Remove what killed runs left behind; no trusted artifact lives there."""
        for name in (".tmp", ".old"):
            shutil.rmtree(self.root / name, ignore_errors=True)

    # The key of a stage: everything that can change its outputs.
    def key(self, stage: Stage) -> str:
        parts = {
            "config": {s: section_dict(self.cfg, s) for s in stage.sections},
            "code": code_digest(REPO_ROOT, stage.module, stage.sources),
            "upstream": {u: self.manifest.get(u, {}).get("digest") for u in stage.upstream},
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def why_stale(self, stage: Stage) -> str | None:
        """None if the stage is up to date, else a short reason."""
        entry = self.manifest.get(stage.name)
        if not entry:
            return "never run"
        if any(not self.manifest.get(u) for u in stage.upstream):
            return "upstream not built"
        if entry.get("key") != self.key(stage):
            return "config, code or inputs changed"
        folder = self.stage_dir(stage.name)
        recorded: dict[str, str] = entry.get("files", {})
        on_disk = {str(p.relative_to(folder)) for p in walk_files(folder)}
        if on_disk != set(recorded):
            return "outputs missing or unexpected files"
        for rel, digest in recorded.items():
            if sha256_file(folder / rel) != digest:
                return f"output {rel} damaged (hash mismatch)"
        return None

    def commit(self, stage: Stage, tmp: Path, entry: dict[str, Any]) -> None:
        """Move a finished stage's folder into place, then record it in the manifest."""
        files = hash_tree(tmp)
        entry.update(files=files, digest=files_digest(files))
        self.manifest.pop(stage.name, None)
        self.write_manifest()
        final = self.stage_dir(stage.name)
        if final.exists():
            old = self.root / ".old" / f"{stage.name}-{os.getpid()}"
            old.parent.mkdir(parents=True, exist_ok=True)
            os.replace(final, old)
        os.replace(tmp, final)
        self.manifest[stage.name] = entry
        self.write_manifest()
        shutil.rmtree(self.root / ".old", ignore_errors=True)

    def publish(self, stage: Stage) -> None:
        """Copy published sub-folders (docs/, site/) to their configured places, swapping whole."""
        for sub, path_field in stage.publish:
            src = self.stage_dir(stage.name) / sub
            dest = self.cfg.resolve(getattr(self.cfg.paths, path_field))
            if not src.is_dir():
                continue
            if dest.is_dir() and hash_tree(dest) == self.manifest[stage.name]["files_" + sub]:
                continue
            staging = dest.with_name(f".{dest.name}.new")
            shutil.rmtree(staging, ignore_errors=True)
            # Hard links cost no disk and no time; fall back to copies across filesystems.
            try:
                shutil.copytree(src, staging, copy_function=os.link)
            except OSError:
                shutil.rmtree(staging, ignore_errors=True)
                shutil.copytree(src, staging)
            old = dest.with_name(f".{dest.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            if dest.exists():
                os.replace(dest, old)
            os.replace(staging, dest)
            shutil.rmtree(old, ignore_errors=True)


