"""Typed loaders for what one stage hands to the next (layouts in ARCHITECTURE.md).

The runner always gives a stage its upstream folders complete, so a missing or unreadable file
here means the artifact store was changed by hand or a stage broke its contract: the loaders
fail loudly with an :class:`ArtifactError` naming the file and the command that rewrites it,
and the stages keep no fallbacks for inputs that cannot be absent.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import PipelineError
from .io import load_json, load_npz

if TYPE_CHECKING:  # torch is imported only by the loaders that need it
    from torch import nn


class ArtifactError(PipelineError):
    """An upstream artifact is missing or unreadable."""


def _read(path: Path, stage: str, reader: Any) -> Any:
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
    return _read(data_dir / "mnist.npz", "data", load_npz)


def data_checksums(data_dir: Path) -> dict[str, Any]:
    return _read(data_dir / "checksums.json", "data", load_json)


def train_metrics(train_dir: Path) -> dict[str, Any]:
    """train/metrics.json: {"models": {id: {kind, latent_dim, beta, epochs, params, file, test}}}."""
    return _read(train_dir / "metrics.json", "train", load_json)


def sweep(train_dir: Path) -> dict[str, Any]:
    """train/sweep.json: {"beta_sweep": [{beta, id}], "high": {ae, vae} or None}."""
    return _read(train_dir / "sweep.json", "train", load_json)


def checkpoint(train_dir: Path, model_id: str, device: str = "cpu") -> tuple[nn.Module, dict]:
    """train/models/<id>.pt as (model in eval mode on ``device``, the checkpoint dict)."""
    from .models import load_checkpoint
    return _read(train_dir / "models" / f"{model_id}.pt", "train",
                 lambda p: load_checkpoint(p, device))


def codes(encode_dir: Path, model_id: str) -> dict[str, np.ndarray]:
    """encode/<id>.npz: train_z, test_z (μ for a VAE), train_logvar/test_logvar for a VAE."""
    return _read(encode_dir / f"{model_id}.npz", "encode", load_npz)


def analyse_metrics(analyse_dir: Path) -> dict[str, Any]:
    return _read(analyse_dir / "metrics.json", "analyse", load_json)


def main_quality_maps(analyse: dict[str, Any]) -> dict[str, Any]:
    """The main seed's quality-map numbers under the CNN judge, from analyse/metrics.json:
    {"ae": {...}, "vae": {...}} (the explorer's overlay and the quality-map figure read them)."""
    evidence = analyse["evidence"]
    return evidence["per_seed"][str(evidence["seeds"][0])]["cnn"]["quality_map"]


def analyse_arrays(analyse_dir: Path, name: str) -> dict[str, np.ndarray]:
    """analyse/<name>.npz for name in holes, samples, paths."""
    return _read(analyse_dir / f"{name}.npz", "analyse", load_npz)


def render_figures(render_dir: Path) -> list[dict[str, Any]]:
    """render/figures.json: one entry per figure (id, title, caption, alt, key, page, files)."""
    return _read(render_dir / "figures.json", "render", load_json)


def render_deck(render_dir: Path, ext: str) -> Path:
    """render/deck.<ext> (pptx or pdf): the slide deck's path, checked to exist."""
    return _read(render_dir / f"deck.{ext}", "render", lambda path: path)


def render_kit(render_dir: Path) -> dict[str, Any]:
    """render/kit.json: the "download all" zip (`zip.path`, `zip.bytes`), the GIFs and the
    licence strings (core/licence.py)."""
    return _read(render_dir / "kit.json", "render", load_json)
