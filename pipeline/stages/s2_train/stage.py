"""Train stage: the 2-D AE/VAE pair, the judge CNN, the β sweep and the higher-dimensional pair.

Writes (ARCHITECTURE.md, train/): ``models/<id>.pt`` (self-describing checkpoints with per-epoch
train and test history), ``metrics.json`` (test metrics on all test images) and ``sweep.json``.
What to train is ``specs.plan`` (one ``ModelSpec`` per model); the loops and metrics live in
``training.py``. On a multi-core CPU the models train side by side in one-thread worker
processes (``pool.py``, ``train.processes``); on a GPU one after another.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.core.io import save_json
from pipeline.core.context import StageContext
from pipeline.core.devices import dtype_name, training_dtype
from . import pool
from .training import count_params, load_mnist, train_job
from .specs import JUDGES, ModelSpec, plan, seed_pairs


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
    models_dir = ctx.out / "models"
    models_dir.mkdir(parents=True)
    processes = pool.processes_for(t.processes, device, len(specs))
    results = (pool.train_parallel(cfg, specs, ctx.inputs["data"] / "mnist.npz", models_dir, processes)
               if processes > 1 else _train_serial(cfg, specs, ctx.inputs["data"] / "mnist.npz",
                                                   models_dir, device))
    precision = dtype_name(training_dtype(t.precision, device))
    metrics: dict[str, Any] = {}
    for spec in specs:
        test, params = results[spec.id]
        metrics[spec.id] = {**spec.metrics_row(), "params": params, "precision": precision,
                            "file": f"models/{spec.id}.pt", "test": test}
    save_json(ctx.out / "metrics.json", {"models": metrics})
    save_json(ctx.out / "sweep.json", {"beta_sweep": sweep, "high": high,
                                       "seeds": seed_pairs(t.seeds), "judges": JUDGES})

    d = t.latent_dim
    ae, vae, judge = metrics["ae2"]["test"], metrics["vae2"]["test"], metrics["judge"]["test"]
    return (f"AE-{d} BCE {ae['bce']:.1f} · VAE-{d} ELBO {_signed(vae['elbo'])} "
            f"(KL {vae['kl']:.1f}) · judge {100 * judge['accuracy']:.2f} % · {len(specs)} models"
            + (" · warning: denormals were not flushed on every CPU thread (torch computed in "
               "parallel before the train stage), so training ran slower" if slow_denormals else ""))


def _train_serial(cfg: Any, specs: list[ModelSpec], data_path: Path, models_dir: Path,
                  device: str) -> dict[str, tuple[dict[str, float], int]]:
    """Train the specs one after another in this process, on every core (or the GPU)."""
    data = load_mnist(data_path, device)
    results = {}
    for spec in specs:
        model, test = train_job(cfg, spec, data, models_dir / f"{spec.id}.pt", device)
        results[spec.id] = (test, count_params(model))
    return results


def _signed(x: float) -> str:
    return f"{x:.1f}".replace("-", "\u2212")
