"""The explorer's training replay: the train stage keeps the main pair's codes of the first test
images after every epoch (replay.replay_entry), and the render stage writes them for the page
(live_data.write_replay)."""

from __future__ import annotations

import numpy as np
import torch

from pipeline.core.models import Autoencoder, VariationalAutoencoder, checkpoint_dict
from pipeline.stages.s2_train.replay import REPLAY_SIZE, replay_entry
from pipeline.stages.s5_render.live_data import write_replay


def test_replay_codes_are_the_main_pairs_codes_and_nothing_else():
    torch.manual_seed(0)
    x = torch.rand(REPLAY_SIZE + 10, 784)
    vae = VariationalAutoencoder(latent_dim=2, hidden=[16])
    entry = replay_entry(vae, "vae2", x)
    codes = entry["replay_codes"]
    assert codes.dtype == torch.float16 and codes.shape == (REPLAY_SIZE, 2)
    with torch.no_grad():
        mu = vae.encode(x[:REPLAY_SIZE])[0]
    assert torch.allclose(codes.float(), mu, atol=2e-2)
    ae = Autoencoder(latent_dim=2, hidden=[16])
    for name in ("ae2-seed1", "vae2-beta0", "judge"):
        assert replay_entry(ae, name, x) == {}
    assert replay_entry(Autoencoder(latent_dim=16, hidden=[16]), "ae2", x) == {}


def test_write_replay_stacks_the_epochs_for_the_page(tmp_path):
    rng = np.random.default_rng(0)
    (tmp_path / "train" / "models").mkdir(parents=True)
    exp = tmp_path / "explorer"
    exp.mkdir()
    stacks = {}
    for mid, cls in (("ae2", Autoencoder), ("vae2", VariationalAutoencoder)):
        stacks[mid] = rng.normal(size=(3, 50, 2)).astype(np.float16)
        history = [{"epoch": e + 1, "replay_codes": torch.from_numpy(stacks[mid][e])} for e in range(3)]
        torch.save(checkpoint_dict(cls(latent_dim=2, hidden=[8]), history=history),
                   tmp_path / "train" / "models" / f"{mid}.pt")
    test_y = (np.arange(80) % 10).astype(np.uint8)
    entry = write_replay(exp, tmp_path / "train", ["ae2", "vae2"], test_y)
    assert entry == {"epochs": 3, "n": 50, "labels": "replay-labels.bin",
                     "files": {"ae2": "replay-ae2.bin", "vae2": "replay-vae2.bin"}}
    got = np.frombuffer((exp / "replay-vae2.bin").read_bytes(), "<f2").reshape(3, 50, 2)
    assert np.array_equal(got, stacks["vae2"])
    assert np.array_equal(np.frombuffer((exp / "replay-labels.bin").read_bytes(), np.uint8), test_y[:50])


def test_no_replay_without_codes_in_the_history(tmp_path):
    (tmp_path / "train" / "models").mkdir(parents=True)
    torch.save(checkpoint_dict(Autoencoder(latent_dim=2, hidden=[8]), history=[{"epoch": 1}]),
               tmp_path / "train" / "models" / "ae2.pt")
    assert write_replay(tmp_path, tmp_path / "train", ["ae2"], np.zeros(10, np.uint8)) is None
