"""Train stage: the 2-D AE/VAE pair, the judge CNN, the β sweep and the higher-dimensional pair.

Writes (ARCHITECTURE.md, train/): ``models/<id>.pt`` (self-describing checkpoints with per-epoch
train and test history), ``metrics.json`` (test metrics on all test images) and ``sweep.json``.
What to train is ``specs.plan`` (one ``ModelSpec`` per model); the loops and metrics live in
``training.py``. On a multi-core CPU the models train side by side in one-thread worker
processes (``pool.py``, ``train.processes``); on a GPU one after another. Each model is a
cached job (``jobs.py``): only the models no earlier run trained with the same key are trained.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable

from pipeline.core.io import save_json
from pipeline.core.context import StageContext
from pipeline.core.devices import dtype_name, training_dtype
from pipeline.core.jobcache import JobCache
from . import pool
from .jobs import job_parts, load_result, save_result, train_config, with_run_config
from .training import count_params, load_mnist, train_job
from .specs import JUDGES, ModelSpec, plan, seed_pairs

Done = Callable[[ModelSpec, dict[str, float], int], None]  # (spec, test metrics, parameters)


def run(ctx: StageContext) -> str:
    cfg = ctx.cfg
    t = cfg.train
    device = ctx.device
    if device == "cuda":  # the same results on every run: no autotuned, nondeterministic kernels
        import torch
        torch.backends.cudnn.benchmark = False
        torch.backends.cudnn.deterministic = True
    from pipeline.core.devices import configure_cpu_math
    slow_denormals = device == "cpu" and not configure_cpu_math()
    specs, sweep, high = plan(cfg)
    cache = ctx.cache or JobCache(ctx.out.parent, "train")
    parts = job_parts(cfg, specs, ctx.manifest.get("data", {}).get("digest"), device)
    todo = [s for s in specs if cache.job(s.id, parts[s.id]) is None]
    _train_missing(ctx, cache, todo, parts, pool.processes_for(t.processes, device, len(specs)))
    models_dir = ctx.out / "models"
    models_dir.mkdir(parents=True)
    config = train_config(cfg)
    metrics: dict[str, Any] = {}
    for spec in specs:
        folder = cache.job(spec.id, parts[spec.id])
        with_run_config(folder / f"{spec.id}.pt", models_dir / f"{spec.id}.pt", config)
        result = load_result(folder)
        metrics[spec.id] = {**spec.metrics_row(), "params": result["params"],
                            "precision": result["precision"], "file": f"models/{spec.id}.pt",
                            "test": result["test"]}
    save_json(ctx.out / "metrics.json", {"models": metrics})
    save_json(ctx.out / "sweep.json", {"beta_sweep": sweep, "high": high,
                                       "seeds": seed_pairs(t.seeds), "judges": JUDGES,
                                       "claims": claims_variants(specs)})

    d = t.latent_dim
    ae, vae, judge = metrics["ae2"]["test"], metrics["vae2"]["test"], metrics["judge"]["test"]
    return (f"AE-{d} BCE {ae['bce']:.1f} · VAE-{d} ELBO {_signed(vae['elbo'])} "
            f"(KL {vae['kl']:.1f}) · judge {100 * judge['accuracy']:.2f} % · {len(specs)} models"
            f" ({len(todo)} trained, {len(specs) - len(todo)} cached)"
            + (" · warning: denormals were not flushed on every CPU thread (torch computed in "
               "parallel before the train stage), so training ran slower" if slow_denormals else ""))


def _train_missing(ctx: StageContext, cache: JobCache, todo: list[ModelSpec],
                   parts: dict[str, dict], processes: int) -> None:
    """Train the models that no earlier run left in the cache, committing each to the cache as
    soon as it is done (a run stopped later keeps it). ``processes`` was decided on the whole
    plan (``jobs.thread_mode``): one model left still trains in a one-thread worker."""
    if not todo:
        return
    work = cache.scratch / f"jobs-train-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    precision = dtype_name(training_dtype(ctx.cfg.train.precision, ctx.device))

    def done(spec: ModelSpec, test: dict[str, float], params: int) -> None:
        job = work / f"job-{spec.id}"
        job.mkdir()
        os.replace(work / f"{spec.id}.pt", job / f"{spec.id}.pt")
        save_result(job, test, params, precision)
        cache.commit(spec.id, parts[spec.id], job)

    data_path = ctx.inputs["data"] / "mnist.npz"
    try:
        if processes > 1:
            pool.train_parallel(ctx.cfg, todo, data_path, work, min(processes, len(todo)), on_done=done)
        else:
            _train_serial(ctx.cfg, todo, data_path, work, ctx.device, done)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _train_serial(cfg: Any, specs: list[ModelSpec], data_path: Path, models_dir: Path,
                  device: str, on_done: Done) -> None:
    """Train the specs one after another in this process, on every core (or the GPU)."""
    data = load_mnist(data_path, device)
    for spec in specs:
        model, test = train_job(cfg, spec, data, models_dir / f"{spec.id}.pt", device)
        on_done(spec, test, count_params(model))


def _signed(x: float) -> str:
    return f"{x:.1f}".replace("-", "\u2212")


def claims_variants(specs: list[ModelSpec]) -> dict[str, str]:
    """The textbook-claims variants of the main AE being trained, role -> id, for sweep.json
    (``ModelRoles.variants``): the denoising and sparse AEs by their variant, the conv AE by its
    body."""
    return {("conv" if s.body == "conv" else s.variant): s.id for s in specs
            if s.kind == "ae" and (s.variant or s.body == "conv")}
