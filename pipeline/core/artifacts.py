"""Typed loaders for what one stage hands to the next (layouts in ARCHITECTURE.md).

The runner always gives a stage its upstream folders complete, so a missing or unreadable file
here means the artifact store was changed by hand or a stage broke its contract: the loaders
fail loudly with an :class:`ArtifactError` naming the file and the command that rewrites it,
and the stages keep no fallbacks for inputs that cannot be absent.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .dataset_info import DatasetInfo
from .errors import PipelineError
from .io import load_json, load_npz

if TYPE_CHECKING:  # torch is imported only by the loaders that need it
    from torch import nn


class ArtifactError(PipelineError):
    """An upstream artifact is missing or unreadable."""


def read_artifact(path: Path, stage: str, reader: Any) -> Any:
    fix = (f"Run `python -m pipeline run {stage} --force` to write it again (and everything "
           "after it).")
    if not path.is_file():
        raise ArtifactError(f"{path} is missing; the {stage} stage writes it. {fix}")
    try:
        return reader(path)
    except (OSError, ValueError, KeyError, EOFError, RuntimeError, zipfile.BadZipFile,
            json.JSONDecodeError) as e:
        raise ArtifactError(f"{path} cannot be read ({type(e).__name__}: {e}). {fix}") from None


def mnist(data_dir: Path) -> dict[str, np.ndarray]:
    """data/mnist.npz: train_x, test_x uint8 [N, 28, 28]; train_y, test_y uint8 [N]."""
    return read_artifact(data_dir / "mnist.npz", "data", load_npz)


def data_checksums(data_dir: Path) -> dict[str, Any]:
    return read_artifact(data_dir / "checksums.json", "data", load_json)


def train_metrics(train_dir: Path) -> dict[str, Any]:
    """train/metrics.json: {"models": {id: {kind, latent_dim, beta, epochs, params, file, test}}}."""
    return read_artifact(train_dir / "metrics.json", "train", load_json)


def sweep(train_dir: Path) -> dict[str, Any]:
    """train/sweep.json: {"beta_sweep": [{beta, id}], "high": {ae, vae} or None, "seeds",
    "judges", "claims": {role: id}}."""
    return read_artifact(train_dir / "sweep.json", "train", load_json)


@dataclass(frozen=True)
class ModelRoles:
    """Which trained model plays which part, from the train stage's sweep.json: the one place
    that maps roles to model ids (the main pair is the first seed's)."""

    seeds: dict[str, tuple[str, str]]
    """Seed key -> (AE id, VAE id); the first is the main pair."""
    judges: dict[str, str]
    """Judge name -> model id ("cnn" is the main judge)."""
    sweep: tuple[tuple[float, str], ...]
    """(β, VAE id) of the β sweep, in order."""
    high: tuple[str, str] | None
    """(AE id, VAE id) of the higher-dimensional pair, or None."""
    claims: tuple[tuple[str, str], ...] = ()
    """(role, id) of each textbook-claims variant of the main AE the train stage trained
    ("denoise", "sparse", "conv"); none without ``train.claims``."""

    @property
    def main_seed(self) -> str:
        return next(iter(self.seeds))

    @property
    def ae(self) -> str:
        """The main AE."""
        return self.seeds[self.main_seed][0]

    @property
    def vae(self) -> str:
        """The main VAE."""
        return self.seeds[self.main_seed][1]

    @property
    def variants(self) -> dict[str, str]:
        """The textbook-claims variants of the main AE that the train stage trained, role ->
        id (sweep.json's "claims"; empty without ``train.claims``)."""
        return dict(self.claims)

    @property
    def main_pair(self) -> dict[str, str]:
        """{"ae": main AE id, "vae": main VAE id}: the roles a figure or section loops over."""
        return {"ae": self.ae, "vae": self.vae}

    @classmethod
    def from_sweep(cls, sweep: dict[str, Any]) -> "ModelRoles":
        """From sweep.json's data. A train stage without seeds or a second judge (trained before
        them) has the main pair ae2/vae2 and the CNN judge alone."""
        seeds = sweep.get("seeds") or {"seed0": ["ae2", "vae2"]}
        high = sweep.get("high")
        return cls(seeds={s: (p[0], p[1]) for s, p in seeds.items()},
                   judges=dict(sweep.get("judges") or {"cnn": "judge"}),
                   sweep=tuple((float(e["beta"]), e["id"]) for e in sweep.get("beta_sweep", [])),
                   high=(high["ae"], high["vae"]) if high else None,
                   claims=tuple(sorted((sweep.get("claims") or {}).items())))


def model_roles(train_dir: Path) -> ModelRoles:
    """The model roles of train/sweep.json."""
    return ModelRoles.from_sweep(sweep(train_dir))


def checkpoint(train_dir: Path, model_id: str, device: str = "cpu") -> tuple[nn.Module, dict]:
    """train/models/<id>.pt as (model in eval mode on ``device``, the checkpoint dict)."""
    from .models import load_checkpoint
    return read_artifact(train_dir / "models" / f"{model_id}.pt", "train",
                 lambda p: load_checkpoint(p, device))


def codes(encode_dir: Path, model_id: str) -> dict[str, np.ndarray]:
    """encode/<id>.npz: train_z, test_z (μ for a VAE), train_logvar/test_logvar for a VAE."""
    return read_artifact(encode_dir / f"{model_id}.npz", "encode", load_npz)


def analyse_arrays(analyse_dir: Path, name: str) -> dict[str, np.ndarray]:
    """analyse/<name>.npz for name in holes, samples, paths."""
    return read_artifact(analyse_dir / f"{name}.npz", "analyse", load_npz)


def render_figures(render_dir: Path) -> list[dict[str, Any]]:
    """render/figures.json: one entry per figure (id, title, caption, alt, key, page, files)."""
    return read_artifact(render_dir / "figures.json", "render", load_json)


def render_deck(render_dir: Path, ext: str) -> Path:
    """render/deck.<ext> (pptx or pdf): the slide deck's path, checked to exist."""
    return read_artifact(render_dir / f"deck.{ext}", "render", lambda path: path)


def render_kit(render_dir: Path) -> dict[str, Any]:
    """render/kit.json: the "download all" zip (`zip.path`, `zip.bytes`), the GIFs, each
    figure's slide in the deck (`slides`: {figure id: {number, title}}) and the licence
    strings (core/licence.py)."""
    return read_artifact(render_dir / "kit.json", "render", load_json)


def dataset_info(data_dir: Path) -> DatasetInfo:
    """data/dataset.json: what the data set is (image shape, classes, the word for one item)."""
    return read_artifact(data_dir / "dataset.json", "data", lambda p: DatasetInfo.from_json(load_json(p)))
