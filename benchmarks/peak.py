"""The machine's float32 matmul peak, measured in the benchmark's own run: machines (and a shared
machine from minute to minute) differ, so the benchmarks report seconds and seconds × this peak
("TFLOP of peak time") side by side."""

from __future__ import annotations

import time

import torch


def sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()
    elif device == "mps":
        torch.mps.synchronize()


def matmul_peak(device: str = "cpu", n: int = 4096, repeats: int = 5) -> float:
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
