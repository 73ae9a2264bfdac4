"""One seeding scheme for every random draw: a stream per (run seed, purpose).

``seed_for(seed, purpose)`` hashes the two with SHA-256 into a 63-bit integer, so each purpose
(a model's weights, its shuffling, a sample set, a UMAP fit) gets its own stream and adding a
draw never moves another. ``rng`` and ``torch_generator`` wrap it for NumPy and PyTorch;
libraries that take an integer (scikit-learn, UMAP) get ``seed_for`` itself (reduced to 31 bits
where they need it). Purposes name what is drawn, e.g. ``"vae2:eps"`` or ``"ae_prior"``.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch


def seed_for(seed: int, purpose: str) -> int:
    """A 63-bit integer seed from the run's seed and a purpose."""
    digest = hashlib.sha256(f"{seed}:{purpose}".encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1


def seed31(seed: int, purpose: str) -> int:
    """``seed_for`` reduced to 0 .. 2^31 - 2, for libraries that want a 32-bit seed."""
    return seed_for(seed, purpose) % (2**31 - 1)


def rng(seed: int, purpose: str) -> np.random.Generator:
    """A NumPy generator of its own for (seed, purpose)."""
    return np.random.default_rng(seed_for(seed, purpose))


def torch_generator(seed: int, purpose: str, device: str = "cpu") -> torch.Generator:
    """A torch generator on ``device`` of its own for (seed, purpose)."""
    import torch
    return torch.Generator(device=device).manual_seed(seed_for(seed, purpose))
