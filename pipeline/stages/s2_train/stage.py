"""Train stage: the 2-D AE/VAE pair, the judge CNN, the β sweep and the higher-dimensional pair.

Writes (ARCHITECTURE.md, train/): ``models/<id>.pt`` (self-describing checkpoints with per-epoch
train and test history), ``metrics.json`` (test metrics on all test images) and ``sweep.json``.
The loops and metrics live in ``training.py`` beside it; this module only decides what to train.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from torch import nn

from pipeline.core.io import save_json
from pipeline.core.models import beta_id
from pipeline.core.context import StageContext
from .training import (MnistTensors, build_model, count_params, derive_seed, load_mnist,
                       train_and_save)


def plan(cfg: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str] | None]:
    """(models to train, in order; the β sweep as [{beta, id}]; the high pair or None).

    Each model: id, kind, latent_dim, beta (None for AE/judge), epochs, lr."""
    t = cfg.train
    d, hd = t.latent_dim, t.high_latent_dim
    # The main pair keeps the ids ae2/vae2 (ARCHITECTURE.md) whatever train.latent_dim is.
    jobs = [
        {"id": "ae2", "kind": "ae", "latent_dim": d, "beta": None, "epochs": t.epochs, "lr": t.lr},
        {"id": "vae2", "kind": "vae", "latent_dim": d, "beta": t.beta, "epochs": t.epochs, "lr": t.lr},
        {"id": "judge", "kind": "judge", "latent_dim": None, "beta": None,
         "epochs": t.judge_epochs, "lr": t.judge_lr},
    ]
    sweep = []
    for b in dict.fromkeys(float(b) for b in t.beta_sweep):  # unique, in the order given
        if b == t.beta and t.sweep_epochs == t.epochs:
            sweep.append({"beta": b, "id": "vae2"})  # the main VAE is this sweep point
            continue
        # Otherwise β = t.beta gets its own sweep model: every point of the sweep is trained
        # for the same number of epochs, so the curve compares β and nothing else.
        mid = beta_id(b)
        sweep.append({"beta": b, "id": mid})
        jobs.append({"id": mid, "kind": "vae", "latent_dim": d, "beta": b,
                     "epochs": t.sweep_epochs, "lr": t.lr})
    high = None
    if hd:
        if hd == d:  # the "high" pair is the main pair: nothing more to train
            high = {"ae": "ae2", "vae": "vae2"}
        else:
            high = {"ae": f"ae{hd}", "vae": f"vae{hd}"}
            jobs += [
                {"id": f"ae{hd}", "kind": "ae", "latent_dim": hd, "beta": None,
                 "epochs": t.sweep_epochs, "lr": t.lr},
                {"id": f"vae{hd}", "kind": "vae", "latent_dim": hd, "beta": t.beta,
                 "epochs": t.sweep_epochs, "lr": t.lr},
            ]
    return jobs, sweep, high


def train_job(cfg: Any, job: dict[str, Any], data: MnistTensors, path: Path, device: str,
              progress: bool | None = None) -> tuple[nn.Module, dict[str, float]]:
    """Build one model of ``plan``, train it and write its checkpoint to ``path``; returns the
    trained model and its test metrics. benchmarks/bench_train.py times the same call."""
    t = cfg.train
    mid = job["id"]
    model = build_model(job["kind"], latent_dim=job["latent_dim"] or 2, hidden=t.hidden,
                        body=t.body, beta=job["beta"] if job["beta"] is not None else 1.0,
                        seed=derive_seed(cfg.seed, mid, "init")).to(device)
    test = train_and_save(model, data, path, name=mid, epochs=job["epochs"],
                          batch_size=t.batch_size, lr=job["lr"], seed=cfg.seed,
                          config=dataclasses.asdict(t), progress=progress)
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
    jobs, sweep, high = plan(cfg)
    models_dir = ctx.out / "models"
    models_dir.mkdir(parents=True)
    metrics: dict[str, Any] = {}
    for job in jobs:
        mid = job["id"]
        model, test = train_job(cfg, job, data, models_dir / f"{mid}.pt", device)
        metrics[mid] = {"kind": job["kind"], "latent_dim": job["latent_dim"], "beta": job["beta"],
                        "epochs": job["epochs"], "params": count_params(model),
                        "file": f"models/{mid}.pt", "test": test}
    save_json(ctx.out / "metrics.json", {"models": metrics})
    save_json(ctx.out / "sweep.json", {"beta_sweep": sweep, "high": high})

    d = t.latent_dim
    ae, vae, judge = metrics["ae2"]["test"], metrics["vae2"]["test"], metrics["judge"]["test"]
    return (f"AE-{d} BCE {ae['bce']:.1f} · VAE-{d} ELBO {_signed(vae['elbo'])} "
            f"(KL {vae['kl']:.1f}) · judge {100 * judge['accuracy']:.2f} % · {len(jobs)} models"
            + (" · warning: denormals were not flushed on every CPU thread (torch computed in "
               "parallel before the train stage), so training ran slower" if slow_denormals else ""))


def _signed(x: float) -> str:
    return f"{x:.1f}".replace("-", "\u2212")
