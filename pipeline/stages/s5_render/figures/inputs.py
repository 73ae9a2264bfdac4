"""Everything the render stage reads, loaded lazily (each file once) from the upstream artifact
folders through the typed loaders of ``pipeline.core.artifacts``. The runner hands render
complete upstream folders, so nothing here is optional: a missing file is an ArtifactError."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np

from pipeline.core import artifacts
from pipeline.core.dataset_info import DatasetInfo
from pipeline.core.report import AnalysisReport, read as read_report
from .reads import ReadTrace, Traced, TracedArrays


class RenderInputs:
    """Each accessor notes what it read on ``trace`` (``reads.py``): the names a figure job is
    keyed by (``figure_jobs.py`` turns each into a digest)."""

    def __init__(self, inputs: dict[str, Path], device: str = "cpu"):
        self.dirs = inputs
        self.device = device
        self.trace = ReadTrace()
        self._loaded: dict[str, Any] = {}

    def _load(self, read: str, make: Callable[[], Any]) -> Any:
        self.trace.note(read)
        if read not in self._loaded:
            self._loaded[read] = make()
        return self._loaded[read]

    @property
    def mnist(self) -> dict[str, np.ndarray]:
        return self._load("data", lambda: artifacts.mnist(self.dirs["data"]))

    @property
    def dataset(self) -> DatasetInfo:
        """data/dataset.json: the data set's name, image shape and class names (a read of
        "data", whose digest covers the file)."""
        self.trace.note("data")
        if "dataset" not in self._loaded:
            self._loaded["dataset"] = artifacts.dataset_info(self.dirs["data"])
        return self._loaded["dataset"]

    def train_model(self, model_id: str) -> dict:
        """train/metrics.json's entry of one model ({} for a model it does not list)."""
        models = self._loaded.get("train") or artifacts.train_metrics(self.dirs["train"])["models"]
        self._loaded["train"] = models
        self.trace.note(f"train:{model_id}")
        return models.get(model_id) or {}

    def sweep_part(self, key: str) -> Any:
        """One entry of train/sweep.json ("beta_sweep", "high", "claims")."""
        return self._load(f"sweep.{key}", lambda: artifacts.sweep(self.dirs["train"])[key])

    def report(self) -> AnalysisReport:
        """analyse/metrics.json as the typed report, read once; its reads are not noted."""
        if "report" not in self._loaded:
            self._loaded["report"] = read_report(self.dirs["analyse"])
        return self._loaded["report"]

    @property
    def metrics(self) -> AnalysisReport:
        """The typed report; each block a figure reads is noted (``Traced``)."""
        return Traced(self.report(), "report", self.trace, depth=1)  # type: ignore[return-value]

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        """analyse/<name>.npz, read once; its reads are not noted."""
        key = f"arrays:{name}"
        if key not in self._loaded:
            self._loaded[key] = artifacts.analyse_arrays(self.dirs["analyse"], name)
        return self._loaded[key]

    def _arrays(self, name: str) -> dict[str, np.ndarray]:
        return TracedArrays(self.arrays(name), name, self.trace)  # type: ignore[return-value]

    @property
    def holes(self) -> dict[str, np.ndarray]:
        return self._arrays("holes")

    @property
    def samples(self) -> dict[str, np.ndarray]:
        return self._arrays("samples")

    @property
    def paths(self) -> dict[str, np.ndarray]:
        return self._arrays("paths")

    @property
    def claims(self) -> dict[str, np.ndarray] | None:
        """analyse/claims.npz: the textbook-claims figures' arrays (None when train.claims is off,
        the one optional input)."""
        if not (self.dirs["analyse"] / "claims.npz").is_file():
            return None
        return self._arrays("claims")

    def codes(self, model_id: str) -> dict[str, np.ndarray]:
        return self._load(f"codes:{model_id}", lambda: artifacts.codes(self.dirs["encode"], model_id))

    def checkpoint(self, model_id: str) -> tuple[Any, dict]:
        """(model, checkpoint dict) of train/models/<id>.pt (torch loads only when a figure decodes)."""
        key = f"checkpoint:{model_id}"
        if key not in self._loaded:
            self._loaded[key] = artifacts.checkpoint(self.dirs["train"], model_id, self.device)
        return self._loaded[key]

    def history(self, model_id: str) -> list[dict]:
        self.trace.note(f"history:{model_id}")
        return self.checkpoint(model_id)[1]["history"]

    def decoder(self, model_id: str) -> Callable[[np.ndarray], np.ndarray]:
        """z [n, d] -> uint8 images [n, H, W] through the model's decoder (mean of p(x|z))."""
        from pipeline.core import batched  # torch only when a figure decodes
        self.trace.note(f"model:{model_id}")
        model = self.checkpoint(model_id)[0]
        return lambda z: batched.decode(model, z, self.device)

    def model_ids(self) -> dict[str, str | None]:
        """Ids of the main pair (the first seed's) and the 16-D pair as the train stage
        recorded them."""
        ae, vae = next(iter(self.sweep_part("seeds").values()))
        high = self.sweep_part("high") or {}
        return {"ae": ae, "vae": vae, "ae_high": high.get("ae"), "vae_high": high.get("vae")}
