"""Benchmark (not a test): one training epoch of AE-2 on the 60,000 MNIST images, against the
machine's float32 matmul peak measured in the same run.

    .venv/bin/python benchmarks/bench_train.py [--profile default] [--device auto]
        [--batch-size N] [--artifacts DIR] [--matmul-size 4096]

Prints images/s, the achieved GFLOP/s of the training step and its ratio to the peak. FLOPs are
counted for the Linear layers only: 2·in·out per image for the forward pass, ×3 for forward plus
backward (the backward pass computes two matmuls of the same size: input and weight gradients).
Uses the data stage's mnist.npz (built first into --artifacts if missing), the training loop of
the train stage (pipeline.training.train_model) and torch's default thread count.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from pipeline.config import load_config  # noqa: E402
from pipeline.devices import resolve_device  # noqa: E402
from pipeline.runner import run  # noqa: E402
from pipeline.training import (build_model, derive_seed, load_mnist,  # noqa: E402
                               train_model)


def sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()
    elif device == "mps":
        torch.mps.synchronize()


def matmul_peak(device: str, n: int, repeats: int = 5) -> float:
    """Best-of-``repeats`` GFLOP/s of an n×n float32 torch.mm (2·n³ FLOPs)."""
    g = torch.Generator(device=device).manual_seed(0)
    a = torch.randn(n, n, generator=g, device=device)
    b = torch.randn(n, n, generator=g, device=device)
    torch.mm(a, b)  # warm-up
    sync(device)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        torch.mm(a, b)
        sync(device)
        best = min(best, time.perf_counter() - t0)
    return 2 * n ** 3 / best / 1e9


def linear_flops_per_image(model: nn.Module) -> int:
    """Forward + backward FLOPs of the Linear layers for one image: 3 × Σ 2·in·out."""
    return 3 * sum(2 * m.in_features * m.out_features for m in model.modules()
                   if isinstance(m, nn.Linear))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--profile", default="default")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"])
    p.add_argument("--batch-size", type=int, default=None, help="default: train.batch_size")
    p.add_argument("--artifacts", default=None, help="artifact store holding data/mnist.npz "
                   "(default: paths.artifacts of the profile)")
    p.add_argument("--matmul-size", type=int, default=4096)
    args = p.parse_args()

    overrides = [f"device={args.device}"] + ([f"paths.artifacts={args.artifacts}"] if args.artifacts else [])
    cfg = load_config(args.profile, overrides=overrides)
    npz = cfg.resolve(cfg.paths.artifacts) / "data" / "mnist.npz"
    if not npz.is_file():
        run(cfg, ["data"], only=True)
    device = resolve_device(cfg.device)
    t = cfg.train
    batch = args.batch_size or t.batch_size
    data = load_mnist(npz, device)
    n = len(data.train_x)

    peak = matmul_peak(device, args.matmul_size)
    model = build_model("ae", latent_dim=t.latent_dim, hidden=t.hidden, body=t.body,
                        seed=derive_seed(cfg.seed, "bench", "init")).to(device)
    sync(device)
    t0 = time.perf_counter()
    train_model(model, data, name="ae2-bench", epochs=1, batch_size=batch, lr=t.lr, seed=cfg.seed,
                epoch_test_size=0, progress=False)
    sync(device)
    seconds = time.perf_counter() - t0
    flops = linear_flops_per_image(model) * n
    achieved = flops / seconds / 1e9
    print(f"device            {device} ({torch.get_num_threads()} threads, torch {torch.__version__}, "
          f"{os.cpu_count()} CPUs seen)")
    print(f"matmul peak       {peak:,.1f} GFLOP/s (float32 torch.mm {args.matmul_size}², best of 5)")
    print(f"AE-{t.latent_dim} epoch        {seconds:.2f} s for {n:,} images "
          f"(body {t.body} {t.hidden}, batch {batch})")
    print(f"throughput        {n / seconds:,.0f} images/s")
    print(f"training step     {achieved:,.1f} GFLOP/s (Linear layers, {flops / n / 1e6:.2f} MFLOP "
          f"per image fwd+bwd) = {100 * achieved / peak:.0f} % of matmul peak")


if __name__ == "__main__":
    main()
