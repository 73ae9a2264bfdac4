"""Training on a small slice of real MNIST: losses fall, checkpoints reload, runs repeat exactly,
divergence stops cleanly, and the stage writes what ARCHITECTURE.md promises."""

from __future__ import annotations

import hashlib
import json
import math

import pytest
import torch

from pipeline.core import devices
from pipeline.core.config import load_config
from pipeline.core.dataset_info import DatasetInfo
from pipeline.core.devices import training_dtype
from pipeline.core.errors import DivergenceError
from pipeline.core.io import load_npz
from pipeline.core.models import load_checkpoint
from pipeline.core.runner import run
from pipeline.stages.s2_train.specs import ModelSpec, plan
from pipeline.core import artifacts as artifact_files
from pipeline.stages.s2_train.training import (DataTensors, build_model, evaluate, to_tensors,
                                               train_and_save,
                                               train_model)

HIDDEN = [64, 32]
MNIST_INFO = DatasetInfo("mnist", "MNIST", (1, 28, 28), 10, tuple("0123456789"), "digit", "")


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Tiny models train faster on one thread (and far faster on a busy machine, where two
    threads wait on each other at every op); restored afterwards."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory):
    """The data stage (smoke profile) run into a temporary artifact store."""
    root = tmp_path_factory.mktemp("train-art")
    cfg = load_config("smoke", overrides=[f"paths.artifacts={root}"])
    run(cfg, ["data"], only=True, log=lambda m: None)
    return root


@pytest.fixture(scope="module")
def data(artifacts) -> DataTensors:
    arrays = load_npz(artifacts / "data" / "mnist.npz")
    return to_tensors({"train_x": arrays["train_x"][:1000], "train_y": arrays["train_y"][:1000],
                       "test_x": arrays["test_x"][:300], "test_y": arrays["test_y"][:300]},
                      artifact_files.dataset_info(artifacts / "data"))


def test_tensors_are_flat_scaled_float(data):
    assert data.train_x.shape == (1000, 784) and data.train_x.dtype == torch.float32
    assert float(data.train_x.min()) == 0.0 and float(data.train_x.max()) == 1.0
    assert data.train_y.dtype == torch.int64 and data.test_x.shape == (300, 784)


def _spec(kind, epochs=3, lr=3e-3):
    latent = None if kind == "judge" else 2
    beta = 1.0 if kind == "vae" else None
    return ModelSpec(f"{kind}-test", kind, epochs, lr, latent_dim=latent, beta=beta,
                     hidden=tuple(HIDDEN))


def _train(kind, data, path, seed=0, lr=3e-3, epochs=3):
    model = build_model(_spec(kind, epochs, lr), seed, data.info)
    test = train_and_save(model, data, path, name=f"{kind}-test", epochs=epochs, batch_size=100,
                          lr=lr, seed=seed, config={"lr": lr}, progress=False)
    return model, test


@pytest.mark.parametrize("kind", ["ae", "vae", "judge"])
def test_each_model_trains_and_its_checkpoint_reloads(kind, data, tmp_path):
    path = tmp_path / f"{kind}.pt"
    model, test = _train(kind, data, path)
    ckpt = torch.load(path, weights_only=True)
    assert {"class", "kwargs", "state_dict", "config", "seed", "history"} <= set(ckpt)
    history = ckpt["history"]
    assert [h["epoch"] for h in history] == [1, 2, 3]
    for h in history:
        for part in ("train", "test"):
            assert all(math.isfinite(v) for v in h[part].values())
    if kind == "vae":
        assert {"loss", "rec", "kl"} <= set(history[0]["train"]) and "elbo" in history[0]["test"]
        assert test["elbo"] == pytest.approx(-(test["rec"] + test["kl"]))
        assert {"elbo", "rec", "kl", "bce", "mse"} <= set(test)
    elif kind == "ae":
        assert {"bce", "mse"} <= set(test)
    else:
        assert 0.5 < test["accuracy"] <= 1.0  # 3 epochs on 1,000 images
    assert history[-1]["train"]["loss"] < history[0]["train"]["loss"]
    assert history[-1]["test"]["loss"] < history[0]["test"]["loss"]

    loaded, _ = load_checkpoint(path)
    with torch.no_grad():
        x = data.test_x[:50]
        if kind == "judge":
            assert torch.equal(model(x), loaded(x))
            assert torch.equal(model.features(x), loaded.features(x))
        else:
            assert torch.equal(model.encode(x)[0] if kind == "vae" else model.encode(x),
                               loaded.encode(x)[0] if kind == "vae" else loaded.encode(x))
            z = torch.randn(10, 2, generator=torch.Generator().manual_seed(0))
            assert torch.equal(model.decode(z), loaded.decode(z))
    assert evaluate(loaded, data.test_x, data.test_y, 7) == evaluate(model, data.test_x, data.test_y, 7)


def test_precision_resolves_and_bfloat16_steps_train_the_same_weights_dtype(data, tmp_path,
                                                                          monkeypatch):
    assert training_dtype("float32", "cpu") == torch.float32
    assert training_dtype("bfloat16", "cpu") == torch.bfloat16
    for native in (True, False):  # 'auto' follows what the hardware multiplies natively
        monkeypatch.setattr(devices, "native_bfloat16", lambda device: native)
        assert training_dtype("auto", "cpu") == (torch.bfloat16 if native else torch.float32)
    model = build_model(_spec("ae", 2), 0, data.info)
    calls = []  # the step's matrix products really run in bfloat16 (autocast's rule for linear)
    model.register_forward_hook(lambda m, i, out: calls.append(out.dtype) if m.training else None)
    train_and_save(model, data, tmp_path / "ae.pt", name="ae-bf16", epochs=2, batch_size=100,
                   lr=3e-3, seed=0, config={}, dtype=torch.bfloat16, progress=False)
    assert set(calls) == {torch.bfloat16}
    ckpt = torch.load(tmp_path / "ae.pt", weights_only=True)
    assert ckpt["precision"] == "bfloat16"
    assert all(t.dtype == torch.float32 for t in ckpt["state_dict"].values())
    assert ckpt["history"][-1]["train"]["loss"] < ckpt["history"][0]["train"]["loss"]


def test_same_seed_same_bytes_other_seed_other_model(data, tmp_path):
    # torch.save names the zip's inner folder after the file, so compare same-named files.
    paths = {run: tmp_path / run / "vae.pt" for run in ("a", "b", "c")}
    _train("vae", data, paths["a"], epochs=1)
    _train("vae", data, paths["b"], epochs=1)
    _train("vae", data, paths["c"], epochs=1, seed=1)
    digest = {run: hashlib.sha256(p.read_bytes()).hexdigest() for run, p in paths.items()}
    assert digest["a"] == digest["b"]
    assert digest["a"] != digest["c"]


# A VAE's log-variance overflows at lr = 1e6; a plain AE or the judge only reaches huge but
# finite losses there (BCE/cross-entropy with logits stay finite), so they get 1e30.
@pytest.mark.parametrize("kind, lr", [("ae", 1e30), ("vae", 1e6), ("judge", 1e30)])
def test_a_huge_learning_rate_raises_divergence_and_writes_nothing(kind, lr, data, tmp_path):
    path = tmp_path / f"{kind}.pt"
    with pytest.raises(DivergenceError) as e:
        _train(kind, data, path, lr=lr)
    msg = str(e.value)
    assert f"'{kind}-test'" in msg and "epoch 1/3" in msg and "learning rate" in msg
    assert not path.exists()


def test_nan_weights_mid_training_raise_divergence(data):
    model = build_model(_spec("vae"), 0, data.info)
    with torch.no_grad():
        model.fc_logvar.bias.fill_(float("nan"))
    with pytest.raises(DivergenceError, match=r"'vae2' diverged at epoch 1/1"):
        train_model(model, data, name="vae2", epochs=1, batch_size=100, lr=1e-3, seed=0,
                    progress=False)


def test_plan_ids_follow_the_architecture():
    cfg = load_config("default")
    jobs, sweep, high = plan(cfg)
    ids = [j.id for j in jobs]
    assert cfg.train.sweep_epochs != cfg.train.epochs
    assert ids == ["ae2", "vae2", "judge", "judge-mlp", "ae2-seed1", "vae2-seed1", "ae2-seed2",
                   "vae2-seed2", "vae2-beta0", "vae2-beta0.5", "vae2-beta1", "vae2-beta4",
                   "ae16", "vae16", "ae2-denoise", "ae2-sparse", "ae2-conv"]
    # the claims variants: ae2's recipe; the conv body for a sixth of the epochs (its epochs
    # cost about 6x an MLP epoch: matched by training time)
    variants = {j.id: j for j in jobs if j.id in ("ae2-denoise", "ae2-sparse", "ae2-conv")}
    assert {j.epochs for j in variants.values()} == {cfg.train.epochs, cfg.train.epochs // 6}
    assert [variants[m].build(MNIST_INFO).__class__.__name__
            for m in ("ae2-denoise", "ae2-sparse", "ae2-conv")] \
        == ["DenoisingAutoencoder", "SparseAutoencoder", "Autoencoder"]
    assert variants["ae2-conv"].body == "conv" and variants["ae2-sparse"].body == cfg.train.body
    # every sweep point is trained for sweep_epochs, β = 1 included: a fair sweep
    assert sweep == [{"beta": 0.0, "id": "vae2-beta0"}, {"beta": 0.5, "id": "vae2-beta0.5"},
                     {"beta": 1.0, "id": "vae2-beta1"}, {"beta": 4.0, "id": "vae2-beta4"}]
    assert {j.epochs for j in jobs if j.id.startswith("vae2-beta")} == {cfg.train.sweep_epochs}
    # the seeds of the main pair repeat its recipe exactly, under their own ids
    assert {j.epochs for j in jobs if "-seed" in j.id} == {cfg.train.epochs}
    assert [j.beta for j in jobs if j.id.startswith("vae2-seed")] == [cfg.train.beta] * 2
    assert high == {"ae": "ae16", "vae": "vae16"}
    # with equal epoch counts the main VAE is the β = 1 point: the same training, not repeated
    jobs, sweep, _ = plan(load_config("default", overrides=["train.sweep_epochs=32",
                                                            "train.epochs=32"]))
    assert "vae2-beta1" not in [j.id for j in jobs] and {"beta": 1.0, "id": "vae2"} in sweep
    jobs, sweep, high = plan(load_config("default", overrides=["train.high_latent_dim=0",
                                                               "train.beta_sweep=[]",
                                                               "train.claims=false", "train.seeds=[7]"]))
    assert [j.id for j in jobs] == ["ae2", "vae2", "judge", "judge-mlp"] and sweep == [] and high is None


def test_stage_writes_the_contract_and_repeats_byte_for_byte(artifacts):
    overrides = [f"paths.artifacts={artifacts}", "train.epochs=1", "train.sweep_epochs=1",
                 "train.hidden=[32]", "train.beta_sweep=[0.0, 1.0]", "train.high_latent_dim=3",
                 "train.batch_size=250"]
    cfg = load_config("smoke", overrides=overrides)
    run(cfg, ["train"], only=True, log=lambda m: None)
    out = artifacts / "train"
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["metrics.json", "models/ae2-conv.pt", "models/ae2-denoise.pt",
                     "models/ae2-seed1.pt", "models/ae2-sparse.pt", "models/ae2.pt", "models/ae3.pt",
                     "models/judge-mlp.pt", "models/judge.pt", "models/vae2-beta0.pt",
                     "models/vae2-seed1.pt", "models/vae2.pt", "models/vae3.pt", "sweep.json"]
    sweep = json.loads((out / "sweep.json").read_text())
    assert sweep == {"beta_sweep": [{"beta": 0.0, "id": "vae2-beta0"}, {"beta": 1.0, "id": "vae2"}],
                     "high": {"ae": "ae3", "vae": "vae3"},
                     "seeds": {"seed0": ["ae2", "vae2"], "seed1": ["ae2-seed1", "vae2-seed1"]},
                     "judges": {"cnn": "judge", "mlp": "judge-mlp"},
                     "claims": {"conv": "ae2-conv", "denoise": "ae2-denoise", "sparse": "ae2-sparse"}}
    metrics = json.loads((out / "metrics.json").read_text())["models"]
    assert metrics["ae2"]["kind"] == "ae" and {"bce", "mse"} <= set(metrics["ae2"]["test"])
    assert {m["precision"] for m in metrics.values()} == {
        str(training_dtype(cfg.train.precision, "cpu")).removeprefix("torch.")}
    assert metrics["vae3"]["latent_dim"] == 3 and metrics["vae2-beta0"]["beta"] == 0.0
    assert {"elbo", "rec", "kl", "bce", "mse"} <= set(metrics["vae2"]["test"])
    assert {"accuracy", "loss"} <= set(metrics["judge"]["test"])
    model, ckpt = load_checkpoint(out / "models" / "vae2.pt")
    assert ckpt["config"]["hidden"] == [32] and ckpt["seed"] == cfg.seed and model.beta == 1.0
    assert {"train", "test"} <= set(ckpt["history"][0])

    before = {f: hashlib.sha256((out / f).read_bytes()).hexdigest() for f in files}
    run(cfg, ["train"], force=True, only=True, log=lambda m: None)
    after = {f: hashlib.sha256((out / f).read_bytes()).hexdigest() for f in files}
    assert after == before
