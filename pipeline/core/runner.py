"""The stage runner: decides what is stale, runs it atomically, times it.

A stage's *key* hashes its own config section(s), its source code (the files its stage module
imports, found by ``codekeys``) and the content digests of its upstream stages' outputs. A stage
writes into a fresh temporary folder; only when it returns is that folder moved into place and
the manifest updated (``store``). A stage whose key an earlier run committed is restored from
the run cache instead (``store.restore``), and a stage that runs reuses its cached jobs
(``ctx.cache``, ``jobcache``). The stages themselves are declared in ``stage_table``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Callable

from . import interrupts
from .config import Config
from .context import StageContext
from .errors import PipelineError
from .jobcache import JobCache
from .stage_table import BY_NAME, STAGE_NAMES, STAGES, Stage
from .store import RUNS_KEPT, Store, hash_tree


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
        log: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True),
        on_stage: Callable[[str], None] = lambda name: None) -> list[str]:
    """Bring the targets (default: all stages) and everything downstream of them up to date.

    Stale upstream stages run too, since their outputs are needed. With ``force`` the targets and
    their downstream stages rerun even when up to date; with ``only`` the downstream stages are
    left alone. A stale stage whose outputs under its key are in the run cache is restored, not
    rerun (``force`` reruns it). ``on_stage`` is called with a stage's name just before it runs
    (the CLI names the stage an error or a Ctrl-C came from). Returns the names of the stages
    executed (run or restored).
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
            on_stage(stage.name)
            _run_one(store, stage, reason, log)
    return executed


def _run_one(store: Store, stage: Stage, reason: str, log: Callable[[str], None]) -> None:
    key = store.key(stage)
    tmp = store.root / ".tmp" / f"{stage.name}-{os.getpid()}"
    t0 = time.perf_counter()
    # From the scratch folder's making to its commit, a Ctrl-C anywhere (torch's import too, or
    # the bookkeeping after the stage returned) must not leave the folder behind.
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        earlier = store.restore(stage, key, tmp) if reason != "forced" else None
        if earlier is None:
            log(f"▶ {stage.name:<8} running ({reason}): {stage.doc}")
        entry = _restored(earlier, time.perf_counter() - t0) if earlier is not None else \
            _execute(store, stage, tmp)
        entry.update(key=key, inputs=store.inputs(stage),
                     finished=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
        for sub, _ in stage.publish:
            entry["files_" + sub] = hash_tree(tmp / sub)
        store.commit(stage, tmp, entry)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # nothing half-written survives
        raise
    store.remember(stage)
    store.publish(stage)
    if earlier is not None:
        log(f"↺ {stage.name:<8} {_fmt_seconds(entry['restored_in']):>8}  restored ({reason}): "
            f"built before with these settings ({_fmt_seconds(entry.get('seconds', 0))} then)")
    else:
        log(f"✓ {stage.name:<8} {_fmt_seconds(entry['seconds']):>8}  {entry['summary']}")


def _execute(store: Store, stage: Stage, tmp: Path) -> dict[str, Any]:
    """Run the stage's ``run(ctx)`` into ``tmp``; its manifest entry (timing, summary, jobs)."""
    cache = JobCache(store.root, stage.name)
    ctx = StageContext(cfg=store.cfg, out=tmp, manifest=store.manifest, cache=cache,
                       inputs={u: store.stage_dir(u) for u in stage.upstream})
    t0 = time.perf_counter()
    with interrupts.deferred():
        module = importlib.import_module(stage.module)
    summary = module.run(ctx) or ""
    interrupts.check()  # a Ctrl-C that was lost inside a library: the stage is interrupted
    entry: dict[str, Any] = {"seconds": round(time.perf_counter() - t0, 3), "summary": summary}
    if ctx._device:
        entry["device"] = ctx._device
    if cache.record:  # which jobs ran and which were reused: status's per-job reasons read it
        entry["jobs"] = {name: r["key"] for name, r in sorted(cache.record.items())}
        entry["jobs_ran"] = sorted(cache.ran())
        cache.prune_to_runs(RUNS_KEPT)
    return entry


def _restored(earlier: dict[str, Any], seconds: float) -> dict[str, Any]:
    """The manifest entry of a stage restored from the run cache: the original run's summary,
    time and jobs (what these outputs cost to compute), and how long restoring took."""
    entry = {k: earlier[k] for k in ("summary", "seconds", "device", "jobs") if k in earlier}
    entry.setdefault("summary", "")
    entry.update(restored_in=round(seconds, 3), jobs_ran=[])
    return entry
