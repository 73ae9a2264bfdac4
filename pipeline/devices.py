"""Device choice: 'auto' means CUDA, then Apple's MPS, then the CPU."""

from __future__ import annotations

import torch

from .errors import DeviceError


def resolve_device(name: str) -> str:
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if name == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if name == "cuda" and not cuda:
        raise DeviceError("device = 'cuda' but torch sees no CUDA GPU here; use device=auto or device=cpu.")
    if name == "mps" and not mps:
        raise DeviceError("device = 'mps' but torch sees no Apple MPS device here; use device=auto or device=cpu.")
    return name
