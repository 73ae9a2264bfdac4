"""The train stage's worker pool: how many processes, longest first, the same bytes whichever
worker trains a model, and a worker's error raised in the parent."""

from __future__ import annotations

import hashlib
import os

import numpy as np
import pytest
import torch

from pipeline.core.config import load_config
from pipeline.core.dataset_info import DatasetInfo
from pipeline.core.io import save_json
from pipeline.core.devices import configure_cpu_math
from pipeline.core.errors import DivergenceError, PipelineError
from pipeline.stages.s2_train import pool
from pipeline.stages.s2_train.specs import ModelSpec
from pipeline.stages.s2_train.training import load_mnist, train_job


@pytest.fixture(scope="module")
def mnist_npz(tmp_path_factory):
    """A small stand-in for data/mnist.npz (random strokes are enough to train on)."""
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("pool") / "mnist.npz"
    np.savez(path, train_x=(rng.random((400, 28, 28)) > 0.8).astype(np.uint8) * 255,
             train_y=rng.integers(0, 10, 400), test_x=(rng.random((100, 28, 28)) > 0.8).astype(np.uint8) * 255,
             test_y=rng.integers(0, 10, 100))
    save_json(path.parent / "dataset.json",  # what the data stage writes beside it
              DatasetInfo("mnist", "MNIST", (1, 28, 28), 10, tuple("0123456789"), "digit", "").to_json())
    return path


def _cfg(*extra: str):
    return load_config("smoke", overrides=["train.batch_size=100", *extra])


def _specs(lr: float = 3e-3) -> list[ModelSpec]:
    return [ModelSpec("ae-p", "ae", 2, lr, latent_dim=2, hidden=(32,)),
            ModelSpec("vae-p", "vae", 3, lr, latent_dim=2, beta=1.0, hidden=(32,)),
            ModelSpec("judge-mlp-p", "judge_mlp", 1, lr)]


def _digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.pt"))}


def test_process_count_follows_the_setting_the_cores_and_the_device():
    cores = len(os.sched_getaffinity(0))
    assert pool.processes_for(0, "cpu", 100) == cores
    assert pool.processes_for(0, "cpu", 1) == 1          # never more than the models
    assert pool.processes_for(3, "cpu", 2) == 2
    assert pool.processes_for(1, "cpu", 10) == 1
    assert pool.processes_for(4, "cuda", 10) == 1        # a GPU trains one model at a time


def test_the_longest_models_start_first():
    conv = ModelSpec("c", "ae", 4, 1e-3, latent_dim=2, body="conv")
    mlp = ModelSpec("m", "ae", 20, 1e-3, latent_dim=2)
    judge = ModelSpec("j", "judge", 3, 1e-3)
    assert sorted([mlp, judge, conv], key=pool.cost, reverse=True) == [conv, mlp, judge]


def test_a_model_has_the_same_bytes_in_any_worker_in_any_order(mnist_npz, tmp_path):
    cfg = _cfg()
    two, three = tmp_path / "two", tmp_path / "three"
    two.mkdir(), three.mkdir()
    results = pool.train_parallel(cfg, _specs(), mnist_npz, two, 2)
    assert set(results) == {"ae-p", "vae-p", "judge-mlp-p"}
    test, params = results["vae-p"]
    assert np.isfinite(test["elbo"]) and params > 0
    pool.train_parallel(cfg, list(reversed(_specs())), mnist_npz, three, 3)
    assert _digests(two) == _digests(three) and len(_digests(two)) == 3
    # ... and the same weights and numbers as one thread in this process: a worker is just a
    # one-thread trainer. (Not the same file bytes: pickle writes equal strings once or twice
    # depending on whether they are one object, which differs between processes.)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        configure_cpu_math()
        here = tmp_path / "here"
        train_job(cfg, _specs()[1], load_mnist(mnist_npz), here / "vae-p.pt", "cpu", progress=False)
    finally:
        torch.set_num_threads(threads)
    mine, theirs = (torch.load(d / "vae-p.pt", weights_only=False) for d in (here, two))
    assert mine.keys() == theirs.keys()
    assert all(torch.equal(mine["state_dict"][k], theirs["state_dict"][k]) for k in mine["state_dict"])
    assert {k: v for k, v in mine.items() if k != "state_dict"} == \
        {k: v for k, v in theirs.items() if k != "state_dict"}


def test_a_worker_s_divergence_is_raised_in_the_parent_and_the_workers_stop(mnist_npz, tmp_path):
    import multiprocessing

    specs = _specs()
    specs[1] = ModelSpec("vae-p", "vae", 3, 1e6, latent_dim=2, beta=1.0, hidden=(32,))  # log σ² overflows
    with pytest.raises(DivergenceError, match="'vae-p' diverged"):
        pool.train_parallel(_cfg(), specs, mnist_npz, tmp_path, 2)
    assert not (tmp_path / "vae-p.pt").exists()
    assert multiprocessing.active_children() == []


def test_a_worker_that_cannot_start_or_dies_is_an_error_not_a_hang(mnist_npz, tmp_path):
    import multiprocessing
    import signal
    import threading

    with pytest.raises(FileNotFoundError):
        pool.train_parallel(_cfg(), _specs(), tmp_path / "missing.npz", tmp_path, 2)
    assert multiprocessing.active_children() == []

    def kill_workers():
        for child in multiprocessing.active_children():
            os.kill(child.pid, signal.SIGKILL)

    endless = [ModelSpec("ae-long", "ae", 10**6, 3e-3, latent_dim=2, hidden=(32,))]  # never ends
    timer = threading.Timer(1.5, kill_workers)  # starting, or training: either way a death
    timer.start()
    try:
        with pytest.raises(PipelineError, match="exit code -9"):
            pool.train_parallel(_cfg(), endless, mnist_npz, tmp_path, 2)
    finally:
        timer.cancel()
    assert multiprocessing.active_children() == []
