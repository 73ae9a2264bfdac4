"""The arrays the figures draw, prepared once from the render inputs and shared by the web and
slide variants of a figure (decoding a manifold grid twice would double the cost for nothing)."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

import numpy as np

from pipeline.core import seeding
from pipeline.core.config import Config
from pipeline.core.report import AnalysisReport
from .inputs import RenderInputs
from .reads import Traced
from .samples import decode_grid, icdf_grid, linear_grid

MANIFOLD_N = 20           # decoded grid side (Kingma & Welling show 20×20)
RECON_PER_DIGIT = 2       # test images per digit in the reconstruction figure
CLOUD_SAMPLE = 300        # images whose 1σ ellipses are drawn
BETA_SAMPLES = 36         # 6×6 prior decodes per β
STRIP_PAIRS = 3           # pairs shown in the interpolation strips
T = TypeVar("T")


class FigureData:
    def __init__(self, inputs: RenderInputs, cfg: Config):
        self.inp = inputs
        self._cfg = cfg

    @property
    def cfg(self) -> Config:
        """The run's config; each section a figure reads is noted (its job's key holds it)."""
        return Traced(self._cfg, "cfg", self.inp.trace, depth=1)  # type: ignore[return-value]

    @property
    def seed(self) -> int:
        return self.cfg.seed

    def _memo(self, key: Any, make: Callable[[], T]) -> T:
        """``make()`` once; every use notes the reads it was made from (``reads.py``)."""
        return self.inp.trace.memo(key, make)

    def prepare(self) -> None:
        """Compute everything that needs torch (decodes) or heavy loading now, once: the render
        stage calls this before forking its figure workers, which then only draw."""
        ids = self.inp.model_ids()
        for mid in (ids["ae"], ids["vae"]):
            self.inp.codes(mid)
            for kind in ("linear", "icdf"):
                self.manifold(mid, kind)
        _ = self.recon, self.beta_runs, self.labels, self.strip_pairs
        _ = self.inp.holes, self.inp.samples, self.inp.paths, self.inp.metrics
        for mid in (ids["ae"], ids["vae"]):
            self.inp.history(mid)
        for key in ("ae_high", "vae_high"):
            if ids[key]:
                self.inp.codes(ids[key])

    # ------------------------------------------------------------------------------- basics
    @property
    def m(self) -> AnalysisReport:
        return self.inp.metrics

    @property
    def labels(self) -> np.ndarray:
        return self.inp.mnist["train_y"]

    def model_test(self, mid: str) -> dict:
        """A model's test terms from train/metrics.json ({} where it has none)."""
        return self.inp.train_model(mid).get("test") or {}

    @property
    def ae(self) -> dict[str, np.ndarray]:
        return self.inp.codes(self.inp.model_ids()["ae"])

    @property
    def vae(self) -> dict[str, np.ndarray]:
        return self.inp.codes(self.inp.model_ids()["vae"])

    def window(self, mid: str) -> tuple[float, float, float, float]:
        """The model's latent window as the analyse stage fixed it (the hole map's, the tiles')."""
        return tuple(float(v) for v in self.inp.holes[f"{mid}_window"])

    # ------------------------------------------------------------------------- decoded sets
    @property
    def recon(self) -> dict[str, np.ndarray]:
        """The first RECON_PER_DIGIT test images of each digit, and both reconstructions."""
        return self._memo("recon", self._recon)

    def _recon(self) -> dict[str, np.ndarray]:
        ids = self.inp.model_ids()
        dec_ae, dec_vae = self.inp.decoder(ids["ae"]), self.inp.decoder(ids["vae"])
        y = self.inp.mnist["test_y"]
        idx = np.array([np.flatnonzero(y == d)[k] for k in range(RECON_PER_DIGIT) for d in np.unique(y)
                        if (y == d).sum() > k])
        return {"index": idx, "input": self.inp.mnist["test_x"][idx],
                "ae": dec_ae(self.ae["test_z"][idx]), "vae": dec_vae(self.vae["test_z"][idx])}

    def manifold(self, mid: str, kind: str) -> dict:
        """Decoded MANIFOLD_N² grid: 'linear' over the model's window, 'icdf' through Φ⁻¹."""
        def make() -> dict:
            dec, codes = self.inp.decoder(mid), self.inp.codes(mid)
            if kind == "linear":
                z, xs, ys = linear_grid(self.window(mid), MANIFOLD_N)
            else:
                z, xs, ys = icdf_grid(MANIFOLD_N)
            return {"images": decode_grid(dec, z, codes["train_z"].shape[1]), "xs": xs, "ys": ys}
        return self._memo(("manifold", mid, kind), make)

    def sample_images(self, name: str) -> np.ndarray:
        return self.inp.samples[f"{name}_images"]

    @property
    def beta_runs(self) -> list[dict]:
        """Per β of the sweep: codes, 6×6 decodes of the same N(0, I) draws, test terms."""
        return self._memo("beta_runs", self._beta_runs)

    def _beta_runs(self) -> list[dict]:
        runs = []
        rng = seeding.rng(self.seed, "beta-sweep-draws")
        z = rng.standard_normal((BETA_SAMPLES, 2)).astype(np.float32)
        for item in self.inp.sweep_part("beta_sweep"):
            codes, dec = self.inp.codes(item["id"]), self.inp.decoder(item["id"])
            test = self.model_test(item["id"])
            runs.append({"beta": float(item["beta"]), "id": item["id"], "z": codes["train_z"],
                         "samples": dec(z), "rec": test.get("rec"),
                         "kl": test.get("kl")})
        return runs

    @property
    def strip_pairs(self) -> list[int]:
        """Which path pairs the strips show: the first look-alike and the first far pairs first."""
        pairs = self.m.paths.pairs
        if not pairs:
            return []
        order = sorted(range(len(pairs)), key=lambda i: (i > 0 and pairs[i].kind == pairs[0].kind, i))
        return sorted(order[:STRIP_PAIRS])

    def pair_label(self, i: int) -> str:
        p = self.m.paths.pairs[i]
        return f"{p.digits[0]} → {p.digits[1]} ({p.kind})"

    def pair_id(self, i: int) -> str:
        return self.m.paths.pairs[i].id
