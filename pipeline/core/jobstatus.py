"""Per-job status for ``python -m pipeline status``: which of a stale stage's cached jobs (one
trained model, one model's codes, ...) will run and why, and which an earlier run left in the
cache. The stage declares its jobs in ``stage_table`` (``jobs``: a module with ``plan_jobs``);
a job's reasons are the dotted names of its key parts that differ from those of the job of the
same name in the stage's last run (``jobcache.diff_parts``): ``spec.beta``, ``data``,
``code.pipeline/stages/s2_train/training.py``, or ``new``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from .jobcache import JobCache, diff_parts
from .config import Config
from .stage_table import STAGES, Stage
from .store import Store


MOST_NAMES = 12  # a line names this many jobs (a render of 31 figures would fill the screen)


@dataclass
class JobState:
    name: str
    cached: bool  # a result with this key exists: the job will not run
    reasons: list[str] = field(default_factory=list)  # why it runs (empty when cached)


def stage_jobs(store: Store, stage: Stage) -> list[JobState]:
    """The jobs a run of ``stage`` would find cached or run now (its upstream must be built and
    up to date: the jobs are planned from its outputs)."""
    planner = importlib.import_module(stage.jobs)
    planned = planner.plan_jobs(store.cfg, store.manifest,
                                {u: store.stage_dir(u) for u in stage.upstream})
    cache = JobCache(store.root, stage.name)
    previous = store.manifest.get(stage.name, {}).get("jobs", {})
    states = []
    for name, parts in planned.items():
        if cache.has(parts):
            states.append(JobState(name, True))
            continue
        before = cache.parts_of(previous[name]) if name in previous else None
        gone = name in previous and before is None
        states.append(JobState(name, False, ["its last result is gone from the cache"] if gone
                               else diff_parts(before, parts)))
    return states


def describe_jobs(states: list[JobState], most: int = 4) -> list[str]:
    """Lines for ``status``: the jobs to run grouped by reason, then how many are cached."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for s in states:
        if not s.cached:
            groups.setdefault(tuple(s.reasons), []).append(s.name)
    lines = []
    for reasons, names in groups.items():
        shown = ", ".join(reasons[:most]) + (f" +{len(reasons) - most} more" if len(reasons) > most else "")
        listed = ", ".join(names[:MOST_NAMES]) + (
            f" +{len(names) - MOST_NAMES} more" if len(names) > MOST_NAMES else "")
        lines.append(f"to run: {listed} ({shown})")
    cached = sum(s.cached for s in states)
    lines.append(f"cached: {cached} of {len(states)} jobs" if cached else f"cached: none of {len(states)} jobs")
    return lines


def explain(cfg: Config) -> dict[str, list[str]]:
    """{stage: detail lines} for every stale stage: what changed since its last run (every
    config key, source file and input, not only the first few), then its jobs."""
    store = Store(cfg)
    fresh: set[str] = set()
    out: dict[str, list[str]] = {}
    for stage in STAGES:
        if store.why_stale(stage) is None:
            fresh.add(stage.name)
            continue
        lines = [f"{what}: {', '.join(names)}" for what, names in store.changes(stage).items() if names]
        if stage.jobs and stage.name in store.manifest and set(stage.upstream) <= fresh:
            try:
                lines += describe_jobs(stage_jobs(store, stage))
            except Exception as error:  # status informs; a job it cannot plan must not stop it
                lines.append(f"jobs: not listed ({type(error).__name__}: {error})")
        elif stage.jobs:
            stale = [u for u in stage.upstream if u not in fresh]
            lines.append(f"jobs: listed once {', '.join(stale)} is up to date (they are planned "
                         "from its outputs)" if stale else "jobs: never run, all to run")
        out[stage.name] = lines
    return out
