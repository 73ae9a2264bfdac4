"""Train stage: the 2-D AE/VAE pair, the judge CNN, the β sweep and the higher-dimensional pair.

Writes (ARCHITECTURE.md, train/): ``models/<id>.pt`` (self-describing checkpoints with per-epoch
train and test history), ``metrics.json`` (test metrics on all test images) and ``sweep.json``.
What to train is ``specs.plan`` (one ``ModelSpec`` per model); the loops and metrics live in
``training.py``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from torch import nn

from pipeline.core.io import save_json
from pipeline.core.context import StageContext
from pipeline.core.devices import training_dtype
from .training import (MnistTensors, build_model, count_params, derive_seed, load_mnist,
                       train_and_save)
from .specs import JUDGES, ModelSpec, plan, seed_pairs


def train_job(cfg: Any, spec: ModelSpec, data: MnistTensors, path: Path, device: str,
              progress: bool | None = None) -> tuple[nn.Module, dict[str, float]]:
    """Build the model of ``spec``, train it and write its checkpoint to ``path``; returns the
    trained model and its test metrics. benchmarks/bench_train.py times the same call."""
    model = build_model(spec, seed=derive_seed(cfg.seed, spec.id, "init")).to(device)
    test = train_and_save(model, data, path, name=spec.id, epochs=spec.epochs,
                          batch_size=cfg.train.batch_size, lr=spec.lr, seed=cfg.seed,
                          config=dataclasses.asdict(cfg.train),
                          dtype=training_dtype(cfg.train.precision, device), progress=progress)
    return model, test


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
    data = load_mnist(ctx.inputs["data"] / "mnist.npz", device)
    specs, sweep, high = plan(cfg)
    models_dir = ctx.out / "models"
    models_dir.mkdir(parents=True)
    metrics: dict[str, Any] = {}
    precision = str(training_dtype(t.precision, device)).removeprefix("torch.")
    for spec in specs:
        model, test = train_job(cfg, spec, data, models_dir / f"{spec.id}.pt", device)
        metrics[spec.id] = {**spec.metrics_row(), "params": count_params(model), "precision": precision,
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


def _signed(x: float) -> str:
    return f"{x:.1f}".replace("-", "\u2212")
