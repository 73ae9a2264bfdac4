"""The render stage's jobs as ``status`` lists them (``core/jobstatus.py``): the toy models, and
each figure the last run drew or reused, keyed as it would be now from the names it read when it
was last drawn (``figure_jobs.py``). A figure none of whose read sets is cached is planned with
its newest, so the reasons name the reads that changed (``reads.report.beta_sweep``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.core.jobcache import JobCache
from .explorer_data import toy_parts
from .figure_jobs import FigureJobs, job_name
from .figures.inputs import RenderInputs

STAGE = "render"


def plan_jobs(cfg: Any, manifest: dict[str, Any], inputs: dict[str, Path]) -> dict[str, dict]:
    cache = JobCache(cfg.resolve(cfg.paths.artifacts), STAGE)
    jobs = FigureJobs(cfg, manifest, RenderInputs(inputs), cache)
    planned: dict[str, dict] = {"toy": toy_parts(cfg)}
    for name in manifest.get(STAGE, {}).get("jobs", {}):
        figure_id = name.removeprefix("figure-")
        sets = jobs.read_sets(figure_id)
        if name == job_name(figure_id) and sets:
            keyed = [jobs.parts(figure_id, reads) for reads in sets]
            planned[name] = next((p for p in keyed if cache.has(p)), keyed[0])
    return planned
