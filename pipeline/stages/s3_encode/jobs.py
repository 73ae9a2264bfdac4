"""The encode stage's cached jobs (``core/jobcache.py``): one model's codes, and one UMAP map
per model with d > 2. So adding a model to the train stage encodes that model only, and a map is
remade only when its codes or the UMAP settings change.

Codes are keyed by the model's *weights* (class, constructor arguments, state dict), not the
checkpoint file's digest: the checkpoint also records the run's whole train section, which
changes for every model when, say, one β is added. A map is keyed by its codes' key, the UMAP
settings and its seed. Each key also holds the source files its job runs and the data digest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.core import artifacts, seeding
from pipeline.core.codekeys import file_digests
from pipeline.core.config import REPO_ROOT
from pipeline.core.devices import resolve_device
from pipeline.core.jobcache import parts_key
from pipeline.core.weights import weights_digest

CODES = "codes.npz"  # train_z, train_logvar?, test_z, test_logvar?: the output of a d ≤ 2 model
MAPS = "umap.npz"  # train_umap, test_umap
ENCODING_CODE = ("pipeline.core.batched", "pipeline.core.artifacts")  # the pass; the model rebuilt
MAPPING_CODE = "pipeline.stages.s3_encode.projection"


def encoders(train_dir: Path) -> tuple[list[str], list[str]]:
    """(every autoencoder's id, those with d > 2 that get a UMAP map), from train/metrics.json."""
    models = artifacts.train_metrics(train_dir)["models"]
    ids = [mid for mid in sorted(models) if models[mid]["kind"] in ("ae", "vae")]
    return ids, [mid for mid in ids if models[mid]["latent_dim"] > 2]


def job_parts(cfg: Any, manifest: dict[str, Any], train_dir: Path,
              device: str) -> dict[str, dict]:
    """{job name: parts}: ``<id>`` for a model's codes, ``<id>:umap`` for its map."""
    ids, mapped = encoders(train_dir)
    data = manifest.get("data", {}).get("digest")
    encoding, mapping = file_digests(REPO_ROOT, *ENCODING_CODE), file_digests(REPO_ROOT, MAPPING_CODE)
    jobs: dict[str, dict] = {}
    for mid in ids:
        jobs[mid] = {"weights": weights_digest(train_dir / "models" / f"{mid}.pt"), "data": data,
                     "device": device, "code": encoding}
    e = cfg.encode
    for mid in mapped:
        jobs[f"{mid}:umap"] = {"codes": parts_key(jobs[mid]), "neighbors": e.umap_neighbors,
                               "min_dist": e.umap_min_dist, "fit_size": e.umap_fit_size,
                               "seed": seeding.seed31(cfg.seed, f"umap:{mid}"), "code": mapping}
    return jobs


def plan_jobs(cfg: Any, manifest: dict[str, Any], inputs: dict[str, Path]) -> dict[str, dict]:
    """The stage's jobs for ``status`` (the train stage must be up to date)."""
    return job_parts(cfg, manifest, inputs["train"], resolve_device(cfg.device))
