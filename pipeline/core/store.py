"""The artifact store: one folder per stage, a manifest of keys and file hashes, scratch, a lock.

A stage is up to date when the manifest holds the same key and every output file still has the
hash recorded for it (so a damaged or deleted artifact is rebuilt, not trusted). Finished stage
folders are swapped into place whole, so a killed run never leaves a half-written artifact that
a later run trusts. Every committed stage folder is also kept in the run cache
(``cache/runs/<stage>/``, by stage key, hard links), so returning to settings seen before restores
the stage instead of recomputing it; the manifest keeps what each key hashed (config sections,
each source file's digest, upstream digests), so ``why_stale`` can name what changed.
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

from .codekeys import code_digest, file_digests
from .config import REPO_ROOT, Config, section_dict
from .errors import PipelineError
from .io import walk_files
from .jobcache import JobCache, diff_parts, hash_tree, link, sha256_file
from .stage_table import Stage

__all__ = ["Store", "files_digest", "hash_tree", "sha256_file"]

# Stage outputs kept per stage in the run cache, the most recently used: a few settings to go
# back and forth between. The current outputs are hard links (no disk); each other setting costs
# its own outputs (the default build's render and site folders are the largest). Per-model jobs
# (cache/train, cache/encode) keep about as many runs' worth (JobCache.prune_to_runs).
RUNS_KEPT = 8


# ---------------------------------------------------------------------------------------- hashing

def files_digest(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


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
            "config": self.config_of(stage),
            "code": code_digest(REPO_ROOT, stage.module, stage.sources),
            "upstream": self.upstream_of(stage),
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def config_of(self, stage: Stage) -> dict[str, Any]:
        return {s: section_dict(self.cfg, s) for s in stage.sections}

    def upstream_of(self, stage: Stage) -> dict[str, Any]:
        return {u: self.manifest.get(u, {}).get("digest") for u in stage.upstream}

    def inputs(self, stage: Stage) -> dict[str, Any]:
        """What the key hashes, kept in the manifest in full (each source file's own digest), so
        that a later ``status`` can name what changed."""
        return {"config": self.config_of(stage), "upstream": self.upstream_of(stage),
                "code": file_digests(REPO_ROOT, stage.module, sources=stage.sources)}

    def changes(self, stage: Stage) -> dict[str, list[str]]:
        """What changed since the stage last ran: {"config": dotted keys, "code": source files,
        "inputs": upstream stages}; {} when the last run recorded nothing to compare with."""
        before = self.manifest.get(stage.name, {}).get("inputs")
        if not isinstance(before, dict):
            return {}
        now = self.inputs(stage)
        return {
            "config": [k[len("config."):] for k in diff_parts({"config": before.get("config", {})},
                                                               {"config": now["config"]})],
            "code": [k[len("code."):] for k in diff_parts({"code": before.get("code", {})},
                                                           {"code": now["code"]})],
            "inputs": sorted(u for u in now["upstream"]
                             if before.get("upstream", {}).get(u) != now["upstream"][u]),
        }

    def why_stale(self, stage: Stage) -> str | None:
        """None if the stage is up to date, else a short reason."""
        entry = self.manifest.get(stage.name)
        if not entry:
            return "never run"
        if any(not self.manifest.get(u) for u in stage.upstream):
            return "upstream not built"
        if entry.get("key") != self.key(stage):
            return describe_changes(self.changes(stage))
        folder = self.stage_dir(stage.name)
        recorded: dict[str, str] = entry.get("files", {})
        on_disk = {str(p.relative_to(folder)) for p in walk_files(folder)}
        if on_disk != set(recorded):
            return "outputs missing or unexpected files"
        for rel, digest in recorded.items():
            if sha256_file(folder / rel) != digest:
                return f"output {rel} damaged (hash mismatch)"
        return None

    # The run cache: every stage output ever committed, by stage key (DVC's run-cache): a
    # setting seen before is restored by hard links instead of being recomputed.
    def runs(self, stage: Stage) -> JobCache:
        return JobCache(self.root, f"runs/{stage.name}")

    def restore(self, stage: Stage, key: str, tmp: Path) -> dict[str, Any] | None:
        """Fill ``tmp`` with the outputs an earlier run of this stage made under ``key`` (verified
        by hash); that run's manifest details (summary, seconds), or None when there is none."""
        runs = self.runs(stage)
        folder = runs.job(stage.name, {"key": key})
        if folder is None:
            return None
        for p in walk_files(folder):
            rel = p.relative_to(folder)
            if str(rel) != "job.json":
                link(p, tmp / rel)
        return runs.meta_of(folder.name)

    def remember(self, stage: Stage) -> None:
        """Keep the stage's committed outputs in the run cache (hard links: no disk)."""
        entry = self.manifest[stage.name]
        runs = self.runs(stage)
        if runs.has({"key": entry["key"]}):  # restored from it, or the same outputs again
            return
        scratch = self.root / ".tmp" / f"run-{stage.name}-{os.getpid()}"
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            for rel in entry["files"]:
                link(self.stage_dir(stage.name) / rel, scratch / rel)
            scratch.mkdir(parents=True, exist_ok=True)
            meta = {k: entry[k] for k in ("summary", "seconds", "device", "jobs") if k in entry}
            runs.commit(stage.name, {"key": entry["key"]}, scratch, files=entry["files"], meta=meta)
            runs.prune(RUNS_KEPT)
        finally:  # a Ctrl-C here leaves the stage committed but not remembered: no harm
            shutil.rmtree(scratch, ignore_errors=True)

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
            shutil.copytree(src, staging, copy_function=link)  # hard links where it can
            old = dest.with_name(f".{dest.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            if dest.exists():
                os.replace(dest, old)
            os.replace(staging, dest)
            shutil.rmtree(old, ignore_errors=True)


def describe_changes(changes: dict[str, list[str]], most: int = 3) -> str:
    """"config train.beta_sweep; code pipeline/x.py; inputs train" (at most ``most`` names of
    each, then how many more)."""
    if not changes:
        return "config, code or inputs changed (the last run recorded no details)"
    words = []
    for what, names in changes.items():
        if names:
            shown = ", ".join(names[:most]) + (f" +{len(names) - most} more" if len(names) > most else "")
            words.append(f"{what} {shown}")
    return "; ".join(words) or "config, code or inputs changed"
