"""The analyse stage's cached jobs (``core/jobcache.py``): one measurement over a few models (a
seed pair's scores, one β-sweep VAE's numbers, the 16-D pair's samples, ...), keyed by what it
reads: the weights, codes and train metrics of the models it declares, the data, the analyse
settings, the seed, the device and the code of its section (``code_of``: the section's module and
the modules of the sections whose results it reads, each with its import closure). So adding a β
to the sweep measures the new model only, editing one section measures that section (and the
sections that read it) again, and returning to a setting seen before measures nothing.

A job may read only the models it declares and the main judge, which every job may read
(``Analysis.job`` checks each read and fails naming the model: a missing declaration is an
error, never a stale result). A job's result is whatever its function returns, pickled.
"""

from __future__ import annotations

import dataclasses
import pickle
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from pipeline.core.codekeys import file_digests
from pipeline.core.config import REPO_ROOT
from pipeline.core.jobcache import sha256_file
from pipeline.core.weights import weights_digest

RESULT = "result.pkl"
# The code of a job run outside any section: the stage module's whole import closure.
STAGE_MODULE = "pipeline.stages.s4_analyse.stage"
T = TypeVar("T")


class UndeclaredRead(RuntimeError):
    """A job read a model it does not declare (a bug in the job's declaration)."""


class AnalyseJobs:
    """Runs the stage's jobs through its cache (``ctx.cache``); without one, just runs them."""

    def __init__(self, ctx: Any, train_models: dict[str, Any], always: frozenset[str]):
        self.ctx, self.train_models, self.always = ctx, train_models, always
        self.cache = getattr(ctx, "cache", None)
        self.modules: tuple[str, ...] = (STAGE_MODULE,)  # the running section's code (code_of)
        self._base: dict[str, Any] | None = None
        self._code: dict[tuple[str, ...], dict[str, str]] = {}
        self._model_parts: dict[str, dict[str, Any]] = {}

    @contextmanager
    def code_of(self, modules: tuple[str, ...]) -> Iterator[None]:
        """Jobs run inside key on these modules' code (``section.run_all`` names a section's)."""
        before, self.modules = self.modules, modules
        try:
            yield
        finally:
            self.modules = before

    def base(self) -> dict[str, Any]:
        """What every job reads: the settings, the data, the seed and the device."""
        if self._base is None:
            cfg = self.ctx.cfg
            self._base = {"analyse": dataclasses.asdict(cfg.analyse), "seed": cfg.seed,
                          "device": self.ctx.device,
                          "data": self.ctx.manifest.get("data", {}).get("digest")}
        return self._base

    def code(self, modules: tuple[str, ...]) -> dict[str, str]:
        """{file: digest} of the modules' import closures (computed once per module set)."""
        if modules not in self._code:
            self._code[modules] = file_digests(REPO_ROOT, *modules)
        return self._code[modules]

    def model_part(self, mid: str) -> dict[str, Any]:
        """A model's weights, codes and train metrics (a judge has no codes; the PCA judge,
        fitted here from the data, has none of them)."""
        if mid not in self._model_parts:
            ckpt = Path(self.ctx.inputs["train"]) / "models" / f"{mid}.pt"
            codes = Path(self.ctx.inputs["encode"]) / f"{mid}.npz"
            self._model_parts[mid] = {
                "weights": weights_digest(ckpt) if ckpt.is_file() else None,
                "codes": sha256_file(codes) if codes.is_file() else None,
                "train": self.train_models.get(mid)}
        return self._model_parts[mid]

    def parts(self, name: str, models: frozenset[str],
              modules: tuple[str, ...] | None = None) -> dict[str, Any]:
        """A job's key parts; its code is the running section's unless ``modules`` are given."""
        modules = self.modules if modules is None else modules
        return {**self.base(), "job": name, "modules": list(modules), "code": self.code(modules),
                "models": {mid: self.model_part(mid) for mid in sorted(models | self.always)}}

    def run(self, name: str, models: frozenset[str], make: Callable[[], T]) -> T:
        """An earlier result of this job for these parts, or ``make()`` (kept for next time)."""
        if self.cache is None:
            return make()
        parts = self.parts(name, models)
        folder = self.cache.job(name, parts)
        if folder is not None:
            return pickle.loads((folder / RESULT).read_bytes())
        value = make()
        with self.cache.building(name, parts) as scratch:
            (scratch / RESULT).write_bytes(pickle.dumps(value, protocol=5))
        return value
