"""The encode and analyse stages on the smoke build: files laid out as ARCHITECTURE.md says, and
the same bytes when analyse runs again with the same seed."""

from __future__ import annotations

import shutil

from pathlib import Path

import numpy as np
import pytest

from pipeline.core.config import Config
from pipeline.core.io import load_json, load_npz
from pipeline.core.runner import hash_tree, run

pytestmark = pytest.mark.slow

TOP_KEYS = {"config", "seed", "units", "train", "holes", "gaps", "samples", "reference", "surgery",
            "paths", "beta_sweep", "high_dim", "robustness", "holes_excess", "clouds"}
MAIN_SETS = ("ae_prior", "ae_box", "ae_gauss", "ae_gmm", "vae_prior", "ae_recon", "vae_recon")
SCORE_KEYS = {"fid", "precision_fraction", "recall_fraction", "confidence_mean_fraction",
              "entropy_mean_nats", "class_hist_fraction", "class_tv_from_uniform_fraction",
              "class_kl_from_uniform_nats", "far_fraction", "n"}


def art(cfg: Config) -> Path:
    return Path(cfg.paths.artifacts)


def test_encode_writes_codes_of_every_autoencoder(smoke_build):
    cfg = smoke_build
    models = load_json(art(cfg) / "train" / "metrics.json")["models"]
    for mid, info in models.items():
        if info["kind"] not in ("ae", "vae"):  # the judges have no latent space
            continue
        z = load_npz(art(cfg) / "encode" / f"{mid}.npz")
        d = info["latent_dim"]
        assert z["train_z"].shape == (cfg.data.train_size, d) and z["train_z"].dtype == np.float32
        assert z["test_z"].shape == (cfg.data.test_size, d)
        assert ("train_logvar" in z) == (info["kind"] == "vae")
        assert ("train_umap" in z) == (d > 2)
        if d > 2:
            assert z["train_umap"].shape == (cfg.data.train_size, 2)
            assert np.isfinite(z["test_umap"]).all()


def test_analyse_metrics_and_arrays_follow_the_contract(smoke_build):
    cfg = smoke_build
    out = art(cfg) / "analyse"
    m = load_json(out / "metrics.json")
    # The claims block comes with the claims models (train.claims), and only with them.
    expected = TOP_KEYS | ({"claims"} if cfg.train.claims else set())
    assert set(m) == expected and m["seed"] == cfg.seed
    for name in MAIN_SETS:
        assert SCORE_KEYS <= set(m["samples"][name]), name
        assert m["samples"][name]["fid"] >= 0
    ref = m["reference"]["test_vs_train"]
    assert ref["fid"] < min(s["fid"] for s in m["samples"].values())
    for mid in ("ae2", "vae2"):
        h = m["holes"][mid]
        for key in ("hole_fraction_hull", "hole_fraction_window", "prior_mass_in_holes_fraction"):
            assert 0 <= h[key] <= 1, (mid, key)
        assert 0 <= h["prior_mass_uncovered_fraction"] <= 1
    # The per-seed evidence of the main seed is the main analysis's own numbers (one rule each).
    ev, main = m["robustness"], m["robustness"]["seeds"][0]
    for kind, mid in (("ae", "ae2"), ("vae", "vae2")):
        assert ev["holes"]["per_seed"][main][kind]["hole_fraction_hull"] == m["holes"][mid]["hole_fraction_hull"]
        path = ev["paths"]["per_seed"][main][kind]
        assert path == {k: m["paths"]["summary"][f"{kind}_linear"][k] for k in path}
    assert ev["paths"]["comparisons"]["ae_vs_vae_step_max_over_mean"]["cases"] == len(cfg.train.seeds)
    s = m["surgery"]["vae2"]
    assert s["mutual_info_nats"] <= s["log_n_nats"] + 1e-6
    assert len(m["beta_sweep"]) == len(cfg.train.beta_sweep)

    g, steps = cfg.analyse.grid, cfg.analyse.n_steps
    holes = load_npz(out / "holes.npz")
    assert holes["ae2_counts"].shape == (g, g) and holes["ae2_counts"].dtype == np.int32
    assert holes["vae2_holes"].dtype == bool and holes["vae2_window"].shape == (4,)
    assert holes["ae2_gap_images"].dtype == np.uint8
    assert holes["ae2_gap_images"].shape[0] == holes["ae2_gaps"].shape[0] <= cfg.analyse.n_gap_points
    samples = load_npz(out / "samples.npz")
    for name in MAIN_SETS:
        assert samples[f"{name}_images"].dtype == np.uint8
        assert len(samples[f"{name}_classes"]) == len(samples[f"{name}_z"])
    assert len(samples["ae_prior_z"]) == cfg.analyse.n_samples
    paths = load_npz(out / "paths.npz")
    p = len(paths["pairs"])
    for kind in ("ae_linear", "vae_linear", "vae_slerp"):
        assert paths[f"{kind}_frames"].shape == (p, steps, 28, 28)
        assert paths[f"{kind}_step"].shape == (p, steps)
        assert len(m["paths"]["per_pair"]) == p


def test_analyse_is_byte_identical_on_rerun(smoke_copy):
    root, cfg = smoke_copy
    before = hash_tree(art(cfg) / "analyse")
    # measured again, not taken from the stage's cached jobs
    shutil.rmtree(art(cfg) / "cache" / "analyse")
    assert "analyse" in run(cfg, ["analyse"], force=True, only=True, log=lambda msg: None)
    assert hash_tree(art(cfg) / "analyse") == before
