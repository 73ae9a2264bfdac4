"""Each trained model is one cached job (``core/jobcache.py``): keyed by its own ``ModelSpec``,
what of the run's recipe it uses (seed, batch size, precision, device, one thread or all), the
data's digest and the source files its training runs; so adding a β trains that one model, and
going back to a sweep seen before trains nothing.

A job's folder holds the checkpoint as trained (``<id>.pt``) and ``result.json`` (its test
metrics, parameter count and precision). The stage's ``models/<id>.pt`` is that checkpoint with
``config`` set to the run's train section (``with_run_config``), rewritten by this process for
cached and fresh models alike, so its bytes depend on the run's settings only, never on which
earlier run trained the model.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import torch

from pipeline.core.codekeys import file_digests
from pipeline.core.config import REPO_ROOT
from pipeline.core.devices import dtype_name, resolve_device, training_dtype
from pipeline.core.io import load_json, save_json
from pipeline.core.workers import available_cores
from . import pool
from .specs import ModelSpec, plan

RESULT = "result.json"
TRAINING_CODE = "pipeline.stages.s2_train.pool"  # the worker, the loop, the specs, the models


def thread_mode(cfg: Any, device: str, n_models: int) -> int:
    """How many threads a model computes with (1 in the worker pool, else every core): part of
    a model's key because its bytes depend on it. Decided on the whole plan, not on how many
    models are left to train, so a model's bytes never depend on what was cached."""
    return 1 if pool.processes_for(cfg.train.processes, device, n_models) > 1 else available_cores()


def job_parts(cfg: Any, specs: list[ModelSpec], data_digest: str, device: str) -> dict[str, dict]:
    """{model id: the parts of its key} for every spec of the plan."""
    t = cfg.train
    recipe = {"seed": cfg.seed, "batch_size": t.batch_size, "device": device,
              "precision": dtype_name(training_dtype(t.precision, device)),
              "threads": thread_mode(cfg, device, len(specs))}
    code = file_digests(REPO_ROOT, TRAINING_CODE)
    return {s.id: {"spec": dataclasses.asdict(s), "recipe": recipe, "data": data_digest,
                   "code": code} for s in specs}


def plan_jobs(cfg: Any, manifest: dict[str, Any], inputs: dict[str, Path]) -> dict[str, dict]:
    """The stage's jobs for ``status``: the same parts the stage computes when it runs."""
    specs, _, _ = plan(cfg)
    return job_parts(cfg, specs, manifest.get("data", {}).get("digest"), resolve_device(cfg.device))


def train_config(cfg: Any) -> dict[str, Any]:
    """The ``config`` a checkpoint records: the run's whole train section."""
    return dataclasses.asdict(cfg.train)


def save_result(folder: Path, test: dict[str, float], params: int, precision: str) -> None:
    save_json(folder / RESULT, {"test": test, "params": params, "precision": precision})


def load_result(folder: Path) -> dict[str, Any]:
    return load_json(folder / RESULT)


def with_run_config(trained: Path, dest: Path, config: dict[str, Any]) -> None:
    """Write the checkpoint ``trained`` to ``dest`` with ``config`` as its recorded train
    section. Saved the same way whatever run trained it: the same bytes for the same settings
    (torch's zip records are content-derived, checked in tests/test_jobcache.py)."""
    ckpt = torch.load(trained, map_location="cpu", weights_only=True)
    ckpt["config"] = config
    torch.save(ckpt, dest)
