"""Device choice ('auto' means CUDA, then Apple's MPS, then the CPU) and CPU float settings."""

from __future__ import annotations

import functools

import torch

from .errors import DeviceError


def resolve_device(name: str) -> str:
    configure_cpu_math()  # before this process's first parallel CPU op, whatever the device
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if name == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if name == "cuda" and not cuda:
        raise DeviceError("device = 'cuda' but torch sees no CUDA GPU here; use device=auto or device=cpu.")
    if name == "mps" and not mps:
        raise DeviceError("device = 'mps' but torch sees no Apple MPS device here; use device=auto or device=cpu.")
    return name


def native_bfloat16(device: str) -> bool:
    """Whether ``device`` multiplies bfloat16 matrices in hardware. Elsewhere torch emulates
    them, slower than float32, so 'auto' precision must not pick bfloat16 there."""
    if device == "cuda":
        return torch.cuda.is_bf16_supported()
    if device == "cpu":  # private probes (torch >= 2.1); a torch without them reads as "no"
        probes = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
        return any(getattr(torch.cpu, name, lambda: False)() for name in probes)
    return False


def training_dtype(precision: str, device: str) -> torch.dtype:
    """The autocast dtype of training steps for config ``train.precision`` on ``device``."""
    if precision == "bfloat16" or (precision == "auto" and native_bfloat16(device)):
        return torch.bfloat16
    return torch.float32


def dtype_name(dtype: torch.dtype) -> str:
    """'bfloat16' for torch.bfloat16: how checkpoints, metrics and benchmarks name a precision."""
    return str(dtype).removeprefix("torch.")


@functools.cache
def configure_cpu_math() -> bool:
    """Flush denormal floats to zero on the CPU (FTZ/DAZ). Returns whether every intra-op thread
    now flushes them; False on CPUs without the switch or when the threads predate the call.

    Why: late in training, Adam's second-moment estimates of the weights of always-black pixels
    fall below 1.2e-38 (denormal), and x86 arithmetic on denormals is about 100x slower: without
    flushing, the optimiser step and the epochs slow down as training goes on (BENCHMARKS.md).
    Flushing changes no value above 1.2e-38. The setting is per thread and
    torch's OpenMP workers copy it when they are created, so this must run before the process's
    first parallel op: the data stage calls it before torchvision's first tensor op, and
    ``resolve_device`` before any other stage computes.
    """
    if not torch.set_flush_denormal(True):  # not an x86 CPU with SSE3
        return False
    # 1e-30 * 1e-10 is denormal; the 2^17 elements are split across all intra-op threads.
    probe = torch.full((1 << 17,), 1e-30) * 1e-10
    return bool((probe == 0).all())
