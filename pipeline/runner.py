"""The stage runner: declares the stages once, decides what is stale, runs it atomically, times it.

A stage's *key* hashes its own config section(s), its source code and the content digests of its
upstream stages' outputs. A stage is up to date when the manifest holds the same key and every
output file still has the hash recorded for it (so a damaged or deleted artifact is rebuilt, not
trusted). A stage writes into a fresh temporary folder; only when it returns is that folder moved
into place and the manifest updated, so a killed run never leaves a half-written artifact that a
later run trusts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import importlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from . import interrupts
from .config import REPO_ROOT, Config, section_dict
from .errors import PipelineError


@dataclass(frozen=True)
class Stage:
    name: str
    doc: str
    sections: tuple[str, ...]  # config sections (or top-level keys) that belong to its key
    upstream: tuple[str, ...]  # stages whose outputs it reads
    code: tuple[str, ...]  # source files/folders (repo-relative) whose content belongs to its key
    publish: tuple[tuple[str, str], ...] = ()  # (output subfolder, paths.<field>) copied out after a run


# The data flow, in order. Shared model code sits with `train`: a change there retrains, and the
# new checkpoints' digests then carry the change downstream.
STAGES: tuple[Stage, ...] = (
    Stage("data", "MNIST as uint8 arrays, from MD5-checked IDX files via torchvision",
          ("data",), (), ("pipeline/stages/data.py", "pipeline/mnist_files.py")),
    Stage("train", "AE, VAE, judge CNN, β sweep and 16-D pair; checkpoints and test metrics",
          ("train", "seed"), ("data",),
          ("pipeline/stages/train.py", "pipeline/models.py", "pipeline/training.py",
           "pipeline/devices.py")),
    Stage("encode", "codes of all train and test images; UMAP of the 16-D codes",
          ("encode", "seed"), ("data", "train"), ("pipeline/stages/encode.py",)),
    Stage("analyse", "holes, gap points, sample sets, judge scores, ELBO surgery, paths",
          ("analyse", "seed"), ("data", "train", "encode"),
          ("pipeline/stages/analyse.py", "pipeline/analysis")),
    Stage("render", "figures (PNG/SVG/PDF, slides), deck, GIFs, decoded tiles, explorer data",
          ("render", "seed"), ("data", "train", "encode", "analyse"),
          ("pipeline/stages/render.py", "pipeline/plots", "pipeline/tiles.py", "pipeline/toy.py",
           "pipeline/explorer_data.py")),
    Stage("site", "docs/ from site_src/ templates, then mkdocs build --strict into site/",
          ("site", "profile", "seed", "data", "train", "encode", "analyse", "render"),
          ("data", "train", "analyse", "render"),
          ("pipeline/stages/site.py", "pipeline/stages/site_helpers.py", "site_src", "mkdocs.yml",
           "pipeline/models.py"),
          publish=(("docs", "docs"), ("site", "site"))),
)
STAGE_NAMES = tuple(s.name for s in STAGES)
BY_NAME = {s.name: s for s in STAGES}


@dataclass
class StageContext:
    """What a stage function gets: the config, its inputs, and a fresh folder to write into."""

    cfg: Config
    inputs: dict[str, Path]  # upstream stage name -> its (read-only) artifact folder
    out: Path
    manifest: dict[str, Any]  # the manifest as it stands (upstream timings, for the reproduce page)
    _device: str | None = field(default=None, repr=False)

    @property
    def device(self) -> str:
        """The torch device for `cfg.device`; imported lazily so no-op runs never load torch."""
        if self._device is None:
            from .devices import resolve_device
            self._device = resolve_device(self.cfg.device)
        return self._device


# ---------------------------------------------------------------------------------------- hashing

def sha256_file(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _walk(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
    elif path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                yield p


def code_digest(paths: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for rel in paths:
        for p in _walk(REPO_ROOT / rel):
            h.update(str(p.relative_to(REPO_ROOT)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def files_digest(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


def hash_tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): sha256_file(p) for p in _walk(root)}


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
            "code": code_digest(stage.code),
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
        on_disk = {str(p.relative_to(folder)) for p in _walk(folder)}
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


# ---------------------------------------------------------------------------------------- running

def downstream_of(names: list[str]) -> list[str]:
    chosen = set(names)
    for s in STAGES:  # STAGES is in data-flow order, so one pass closes the set
        if chosen & set(s.upstream):
            chosen.add(s.name)
    return [s for s in STAGE_NAMES if s in chosen]


def status(cfg: Config) -> list[tuple[Stage, str | None, dict[str, Any]]]:
    """(stage, reason it is stale or None, manifest entry) for every stage."""
    store = Store(cfg)
    return [(s, store.why_stale(s), store.manifest.get(s.name, {})) for s in STAGES]


def _fmt_seconds(s: float) -> str:
    return f"{s:.1f}s" if s < 60 else f"{int(s // 60)}m{s % 60:04.1f}s"


def run(cfg: Config, targets: list[str] | None = None, force: bool = False, only: bool = False,
        log: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True)) -> list[str]:
    """Bring the targets (default: all stages) and everything downstream of them up to date.

    Stale upstream stages run too, since their outputs are needed. With ``force`` the targets and
    their downstream stages rerun even when up to date; with ``only`` the downstream stages are
    left alone. Returns the names of the stages executed.
    """
    for t in targets or []:
        if t not in BY_NAME:
            raise PipelineError(f"Unknown stage {t!r}; stages are: {', '.join(STAGE_NAMES)}.")
    if targets:
        selected = [s for s in STAGE_NAMES if s in targets] if only else downstream_of(targets)
    else:
        selected = list(STAGE_NAMES)
    store = Store(cfg)
    executed: list[str] = []
    with interrupts.installed(), store.lock():
        store.clean_scratch()
        # Only stages the selection needs: the selection and, transitively, its upstream.
        needed = set(selected)
        for s in reversed(STAGES):
            if s.name in needed:
                needed |= set(s.upstream)
        for stage in STAGES:
            if stage.name not in needed:
                continue
            reason = "forced" if force and stage.name in selected else store.why_stale(stage)
            if reason is None:
                log(f"  {stage.name:<8} up to date")
                store.publish(stage)
                continue
            executed.append(stage.name)
            _run_one(store, stage, reason, log)
    return executed


def _run_one(store: Store, stage: Stage, reason: str, log: Callable[[str], None]) -> None:
    log(f"▶ {stage.name:<8} running ({reason}): {stage.doc}")
    tmp = store.root / ".tmp" / f"{stage.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    key = store.key(stage)
    ctx = StageContext(cfg=store.cfg, out=tmp, manifest=store.manifest,
                       inputs={u: store.stage_dir(u) for u in stage.upstream})
    t0 = time.perf_counter()
    try:  # the import too: a Ctrl-C while torch loads must not leave the scratch folder behind
        with interrupts.deferred():
            module = importlib.import_module(f"pipeline.stages.{stage.name}")
        summary = module.run(ctx) or ""
        interrupts.check()  # a Ctrl-C that was lost inside a library: the stage is interrupted
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # nothing half-written survives
        raise
    seconds = time.perf_counter() - t0
    entry = {"key": key, "seconds": round(seconds, 3), "summary": summary,
             "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    if ctx._device:
        entry["device"] = ctx._device
    for sub, _ in stage.publish:
        entry["files_" + sub] = hash_tree(tmp / sub)
    store.commit(stage, tmp, entry)
    store.publish(stage)
    log(f"✓ {stage.name:<8} {_fmt_seconds(seconds):>8}  {summary}")
