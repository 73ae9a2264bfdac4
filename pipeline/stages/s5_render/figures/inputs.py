"""Everything the render stage reads, loaded lazily (each file once) from the upstream artifact
folders through the typed loaders of ``pipeline.core.artifacts``. The runner hands render
complete upstream folders, so nothing here is optional: a missing file is an ArtifactError."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Callable

import numpy as np

from pipeline.core import artifacts
from pipeline.core.report import AnalysisReport, read as read_report


class RenderInputs:
    def __init__(self, inputs: dict[str, Path], device: str = "cpu"):
        self.dirs = inputs
        self.device = device
        self._codes: dict[str, dict[str, np.ndarray]] = {}
        self._ckpts: dict[str, tuple[Any, dict]] = {}

    @cached_property
    def mnist(self) -> dict[str, np.ndarray]:
        return artifacts.mnist(self.dirs["data"])

    @cached_property
    def train_metrics(self) -> dict:
        return artifacts.train_metrics(self.dirs["train"])

    @cached_property
    def sweep(self) -> dict:
        return artifacts.sweep(self.dirs["train"])

    @cached_property
    def metrics(self) -> AnalysisReport:
        """analyse/metrics.json as the typed report."""
        return read_report(self.dirs["analyse"])

    @cached_property
    def holes(self) -> dict[str, np.ndarray]:
        return artifacts.analyse_arrays(self.dirs["analyse"], "holes")

    @cached_property
    def samples(self) -> dict[str, np.ndarray]:
        return artifacts.analyse_arrays(self.dirs["analyse"], "samples")

    @cached_property
    def paths(self) -> dict[str, np.ndarray]:
        return artifacts.analyse_arrays(self.dirs["analyse"], "paths")

    @cached_property
    def claims(self) -> dict[str, np.ndarray] | None:
        """analyse/claims.npz: the textbook-claims figures' arrays (None when train.claims is off,
        the one optional input)."""
        if not (self.dirs["analyse"] / "claims.npz").is_file():
            return None
        return artifacts.analyse_arrays(self.dirs["analyse"], "claims")

    def codes(self, model_id: str) -> dict[str, np.ndarray]:
        if model_id not in self._codes:
            self._codes[model_id] = artifacts.codes(self.dirs["encode"], model_id)
        return self._codes[model_id]

    def checkpoint(self, model_id: str) -> tuple[Any, dict]:
        """(model, checkpoint dict) of train/models/<id>.pt (torch loads only when a figure decodes)."""
        if model_id not in self._ckpts:
            self._ckpts[model_id] = artifacts.checkpoint(self.dirs["train"], model_id, self.device)
        return self._ckpts[model_id]

    def history(self, model_id: str) -> list[dict]:
        return self.checkpoint(model_id)[1]["history"]

    def decoder(self, model_id: str) -> Callable[[np.ndarray], np.ndarray]:
        """z [n, d] -> uint8 images [n, H, W] through the model's decoder (mean of p(x|z))."""
        from pipeline.core import batched  # torch only when a figure decodes
        model = self.checkpoint(model_id)[0]
        return lambda z: batched.decode(model, z, self.device)

    def model_ids(self) -> dict[str, str | None]:
        """Ids of the main pair and the 16-D pair as the train stage recorded them."""
        high = self.sweep["high"] or {}
        return {"ae": "ae2", "vae": "vae2", "ae_high": high.get("ae"), "vae_high": high.get("vae")}
