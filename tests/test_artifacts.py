"""The typed loaders of upstream artifacts fail loudly, naming the file and the command to fix it."""

from __future__ import annotations

import pytest

from pipeline.core import artifacts
from pipeline.core.errors import PipelineError
from pipeline.core.io import save_json, save_npz


def test_missing_artifact_names_the_file_and_the_stage_to_rerun(tmp_path):
    with pytest.raises(artifacts.ArtifactError) as err:
        artifacts.codes(tmp_path, "ae2")
    msg = str(err.value)
    assert str(tmp_path / "ae2.npz") in msg and "python -m pipeline run encode --force" in msg
    assert isinstance(err.value, PipelineError)  # the CLI's one except ladder catches it


def test_damaged_artifact_is_an_artifact_error_not_a_traceback(tmp_path):
    (tmp_path / "metrics.json").write_text("{not json")
    with pytest.raises(artifacts.ArtifactError, match=r"metrics\.json cannot be read .*run train"):
        artifacts.train_metrics(tmp_path)
    (tmp_path / "holes.npz").write_bytes(b"not a zip")
    with pytest.raises(artifacts.ArtifactError, match=r"holes\.npz cannot be read"):
        artifacts.analyse_arrays(tmp_path, "holes")


def test_present_artifacts_load_as_written(tmp_path):
    import numpy as np

    save_json(tmp_path / "sweep.json", {"beta_sweep": [], "high": None})
    save_npz(tmp_path / "vae2.npz", train_z=np.zeros((3, 2), np.float32))
    assert artifacts.sweep(tmp_path) == {"beta_sweep": [], "high": None}
    assert artifacts.codes(tmp_path, "vae2")["train_z"].shape == (3, 2)
