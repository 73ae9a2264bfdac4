"""Everything the render stage reads, loaded lazily from the upstream artifact folders.

Absent optional inputs (no β sweep, no 16-D pair, an upstream stage that wrote less) read as
None, so the catalogue can leave out the figures that need them instead of failing.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Callable

import numpy as np

from pipeline.core.io import load_json, load_npz


class RenderInputs:
    def __init__(self, inputs: dict[str, Path], device: str = "cpu"):
        self.dirs = inputs
        self.device = device
        self._codes: dict[str, dict | None] = {}
        self._ckpts: dict[str, Any] = {}

    def _json(self, stage: str, name: str) -> Any:
        p = self.dirs[stage] / name
        return load_json(p) if p.is_file() else None

    def _npz(self, stage: str, name: str) -> dict[str, np.ndarray] | None:
        p = self.dirs[stage] / name
        return load_npz(p) if p.is_file() else None

    @cached_property
    def mnist(self) -> dict[str, np.ndarray]:
        return load_npz(self.dirs["data"] / "mnist.npz")

    @cached_property
    def train_metrics(self) -> dict:
        return self._json("train", "metrics.json") or {"models": {}}

    @cached_property
    def sweep(self) -> dict:
        return self._json("train", "sweep.json") or {"beta_sweep": [], "high": None}

    @cached_property
    def metrics(self) -> dict:
        """analyse/metrics.json (empty until the analyse stage writes it)."""
        return self._json("analyse", "metrics.json") or {}

    @cached_property
    def holes(self) -> dict[str, np.ndarray] | None:
        return self._npz("analyse", "holes.npz")

    @cached_property
    def samples(self) -> dict[str, np.ndarray] | None:
        return self._npz("analyse", "samples.npz")

    @cached_property
    def paths(self) -> dict[str, np.ndarray] | None:
        return self._npz("analyse", "paths.npz")

    @cached_property
    def claims(self) -> dict[str, np.ndarray] | None:
        """analyse/claims.npz: the textbook-claims figures' arrays (None when not trained)."""
        return self._npz("analyse", "claims.npz")

    def codes(self, model_id: str) -> dict[str, np.ndarray] | None:
        if model_id not in self._codes:
            self._codes[model_id] = self._npz("encode", f"{model_id}.npz")
        return self._codes[model_id]

    def checkpoint(self, model_id: str) -> tuple[Any, dict] | None:
        """(model, checkpoint dict) or None when train/models/<id>.pt is absent."""
        if model_id not in self._ckpts:
            p = self.dirs["train"] / "models" / f"{model_id}.pt"
            if not p.is_file():
                self._ckpts[model_id] = None
            else:
                from pipeline.core.models import load_checkpoint  # torch only when a figure decodes
                self._ckpts[model_id] = load_checkpoint(p, self.device)
        return self._ckpts[model_id]

    def history(self, model_id: str) -> list[dict] | None:
        ck = self.checkpoint(model_id)
        return ck[1].get("history") if ck else None

    def decoder(self, model_id: str) -> Callable[[np.ndarray], np.ndarray] | None:
        """z [n, d] -> uint8 images [n, 28, 28] through the model's decoder (mean of p(x|z))."""
        ck = self.checkpoint(model_id)
        if ck is None:
            return None
        model = ck[0]

        def decode(z: np.ndarray) -> np.ndarray:
            import torch
            from .images import to_uint8
            with torch.no_grad():
                x = model.decode(torch.as_tensor(np.asarray(z, np.float32), device=self.device))
            return to_uint8(x.cpu().numpy())

        return decode

    def model_ids(self) -> dict[str, str | None]:
        """Ids of the main pair and the 16-D pair as the train stage recorded them."""
        high = self.sweep.get("high") or {}
        return {"ae": "ae2", "vae": "vae2", "ae_high": high.get("ae"), "vae_high": high.get("vae")}
