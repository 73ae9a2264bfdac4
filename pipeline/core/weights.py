"""The digest of what a model computes: its class, constructor arguments and weights.

Encode and analyse key their cached jobs by it, not by the checkpoint file's digest: the file
also records the run's whole train section, which changes for every model when, say, one β is
added to the sweep, although no model but the new one changed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch


def weights_digest(path: Path) -> str:
    """sha256 of what encoding reads from a checkpoint: class, kwargs and every weight."""
    ckpt = torch.load(path, map_location="cpu", weights_only=True)
    h = hashlib.sha256(json.dumps([ckpt["class"], ckpt["kwargs"]], sort_keys=True).encode())
    for name, tensor in ckpt["state_dict"].items():
        h.update(f"{name}:{tensor.dtype}:{tuple(tensor.shape)}".encode())
        # flat first: a 0-d tensor (a judge's BatchNorm counter) cannot be viewed as bytes;
        # the bytes of any other tensor are the same either way
        h.update(tensor.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()
