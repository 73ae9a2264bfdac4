"""The typed loaders of upstream artifacts fail loudly, naming the file and the command to fix it."""

from __future__ import annotations

import pytest

from pipeline.core import artifacts
from pipeline.core.config import REPO_ROOT
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


def test_model_roles_come_from_sweep_json(tmp_path):
    save_json(tmp_path / "sweep.json", {
        "beta_sweep": [{"beta": 0.5, "id": "vae2-beta0.5"}], "high": {"ae": "ae16", "vae": "vae16"},
        "seeds": {"seed0": ["ae2", "vae2"], "seed1": ["ae2-seed1", "vae2-seed1"]},
        "judges": {"cnn": "judge", "mlp": "judge-mlp"},
        "claims": {"denoise": "ae2-denoise", "sparse": "ae2-sparse", "conv": "ae2-conv"}})
    roles = artifacts.model_roles(tmp_path)
    assert (roles.ae, roles.vae, roles.main_seed) == ("ae2", "vae2", "seed0")
    assert roles.main_pair == {"ae": "ae2", "vae": "vae2"}
    assert roles.seeds["seed1"] == ("ae2-seed1", "vae2-seed1") and roles.high == ("ae16", "vae16")
    assert roles.sweep == ((0.5, "vae2-beta0.5"),) and roles.judges["mlp"] == "judge-mlp"
    assert roles.variants == {"denoise": "ae2-denoise", "sparse": "ae2-sparse", "conv": "ae2-conv"}
    # A train stage from before seeds and the second judge: the main pair and the CNN alone.
    old = artifacts.ModelRoles.from_sweep({"beta_sweep": [], "high": None})
    assert old.seeds == {"seed0": ("ae2", "vae2")} and old.judges == {"cnn": "judge"} and old.high is None
    assert old.variants == {}  # no claims models were trained


def test_the_sample_set_registry_is_the_one_list():
    from pipeline.core import sample_sets as ss
    keys = [s.key for s in ss.REGISTRY]
    assert len(keys) == len(set(keys)) and ss.SCORED_SETS == tuple(keys)
    assert ss.PRIOR_SETS == ("ae_prior", "ae_box", "ae_gauss", "ae_gmm", "vae_prior")
    assert ss.RECON_SETS == ("ae_recon", "vae_recon") and ss.PRIOR_OF_ROLE == {"ae": "ae_prior", "vae": "vae_prior"}
    assert all(ss.SOURCES[k] for k in keys)


def test_every_sample_set_and_path_has_its_names_and_analyse_never_reads_them():
    # A chart label is render's and the site's: were analyse to import the names, rewording
    # one would rerun every analyse job (as it did while they lived in the registry).
    from pipeline.core import sample_sets as ss, set_names
    assert set(set_names.TITLES) == set(ss.SCORED_SETS) | {"real"}
    assert set(set_names.SHORT_TITLES) == set(ss.SCORED_SETS)
    assert set(set_names.PATH_TITLES) == set(ss.PATH_KINDS)
    assert all(set_names.TITLES.values()) and all(set_names.SHORT_TITLES.values())
    analyse = REPO_ROOT / "pipeline" / "stages" / "s4_analyse"
    readers = [p.name for p in analyse.rglob("*.py") if "set_names" in p.read_text()]
    assert not readers, readers
