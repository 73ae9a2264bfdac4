"""The config tree: profiles load, bad keys/types/values are refused with a message naming them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.core.config import (ConfigError, REPO_ROOT, describe_fields, load_config,
                                  parse_override, to_toml)


def test_profiles_load_and_differ():
    default, quick, smoke = (load_config(p) for p in ("default", "quick", "smoke"))
    assert default.data.train_size == 60000 and default.data.test_size == 10000
    assert quick.data.train_size < default.data.train_size
    assert smoke.data.train_size < quick.data.train_size
    assert smoke.profile == "smoke"


def test_overrides_are_typed_and_nested():
    cfg = load_config("smoke", overrides=["train.epochs=7", "device=cpu", "train.beta_sweep=[0, 2]"])
    assert cfg.train.epochs == 7 and cfg.device == "cpu" and cfg.train.beta_sweep == [0.0, 2.0]
    assert parse_override("a.b.c=1") == {"a": {"b": {"c": 1}}}


@pytest.mark.parametrize("override, words", [
    ("train.epcohs=3", ["train.epcohs", "Did you mean 'train.epochs'"]),
    ("trian.epochs=3", ["trian", "Did you mean 'train'"]),
    ("train.epochs=-1", ["train.epochs", "-1", "between 1 and 1000"]),
    ("train.epochs=2.5", ["train.epochs", "expected an integer"]),
    ("train.latent_dim=0", ["train.latent_dim", "between 1 and 512"]),
    ("train.beta=-0.5", ["train.beta", "-0.5", "between 0.0 and 100.0"]),
    ("train.beta=nan", ["train.beta", "finite"]),
    ("render.tile_levels=12", ["render.tile_levels", "12", "between 1 and 8"]),
    ("device=cdua", ["device", "'cdua'", "'cuda'", "'cpu'"]),
    ("train.hidden=[]", ["train.hidden", "at least 1"]),
    ("train.hidden=[64, 0]", ["train.hidden[1]"]),
    ("data=3", ["'data' is a section"]),
    ("epochs", ["key.sub=value"]),
])
def test_bad_values_name_the_key_and_what_is_allowed(override, words):
    with pytest.raises(ConfigError) as e:
        load_config("default", overrides=[override])
    for w in words:
        assert w in str(e.value)


def test_unknown_profile_suggests_one():
    with pytest.raises(ConfigError, match="Did you mean 'quick'"):
        load_config("quik")


def test_every_field_has_a_docstring_and_the_dump_reloads(tmp_path):
    assert all(doc for _, doc in describe_fields())
    cfg = load_config("quick", overrides=["train.epochs=5"])
    path = tmp_path / "c.toml"
    path.write_text(to_toml(cfg))
    assert load_config(config_file=path) == cfg


def test_cli_refuses_bad_config_with_exit_2_and_touches_nothing(tmp_path):
    art = tmp_path / "artifacts"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", "--profile", "smoke",
                           f"paths.artifacts={art}", "train.latent_dim=0"],
                          cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "train.latent_dim = 0" in lines[0] and "between 1 and 512" in lines[0]
    assert not art.exists()
