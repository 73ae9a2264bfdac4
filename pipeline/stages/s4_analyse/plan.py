"""The analyse stage's jobs as ``status`` lists them (``core/jobstatus.py``).

Analyse finds its jobs as its sections run (a seed pair's scores, one β-sweep VAE's numbers, ...),
so they cannot be planned from the config alone as train's and encode's are. ``status`` lists
the jobs of the stage's last run, each keyed as it would be now from the models it declared
then, plus one line per model that no job of the last run read (one more β in the sweep): the
jobs such a model brings are named when the stage runs.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pipeline.core import artifacts
from pipeline.core.devices import resolve_device
from pipeline.core.jobcache import JobCache
from .analysis import EVERY_JOB_READS
from .jobs import STAGE_MODULE, AnalyseJobs

STAGE = "analyse"


def plan_jobs(cfg: Any, manifest: dict[str, Any], inputs: dict[str, Path]) -> dict[str, dict]:
    """{job: its key parts now} for the last run's jobs whose models still exist, and
    {"jobs of <id>": {"model": id}} for each model no earlier job read (reported as new)."""
    models = artifacts.train_metrics(inputs["train"])["models"]
    ctx = SimpleNamespace(cfg=cfg, device=resolve_device(cfg.device), manifest=manifest,
                          inputs=inputs, cache=None)
    jobs = AnalyseJobs(ctx, models, EVERY_JOB_READS)
    cache = JobCache(cfg.resolve(cfg.paths.artifacts), STAGE)
    planned: dict[str, dict] = {}
    read: set[str] = set()
    for name, key in manifest.get(STAGE, {}).get("jobs", {}).items():
        before = cache.parts_of(key)
        if before is None:  # its result is gone: the parts it had are unknown
            planned[name] = {"job": name, "gone": True}
            continue
        declared = frozenset(before.get("models", {}))
        if any(part.get("weights") and mid not in models
               for mid, part in before.get("models", {}).items()):
            continue  # a model it read is no longer trained: the job will not run
        read |= declared
        modules = tuple(before.get("modules", (STAGE_MODULE,)))
        planned[name] = jobs.parts(name, declared - jobs.always, modules)
    for mid in sorted(set(models) - read):
        planned[f"jobs of {mid}"] = {"model": mid}
    return planned
