"""Shared fixtures: the smoke profile, built once per test session into temporary folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.core.config import Config, load_config
from pipeline.core.runner import run


def smoke_config(root: Path, *overrides: str) -> Config:
    """The smoke profile with every output under ``root`` (the repo's data/ cache is shared)."""
    return load_config("smoke", overrides=[f"paths.artifacts={root}/artifacts",
                                           f"paths.docs={root}/docs", f"paths.site={root}/site",
                                           *overrides])


@pytest.fixture(scope="session")
def smoke_build(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The whole pipeline on the smoke profile, built once; tests must not modify it."""
    root = tmp_path_factory.mktemp("smoke")
    cfg = smoke_config(root)
    run(cfg, log=lambda m: None)
    return cfg


@pytest.fixture
def smoke_copy(smoke_build: Config, tmp_path: Path) -> tuple[Path, Config]:
    """A private copy of the smoke build that a test may change."""
    src = Path(smoke_build.paths.artifacts).parent
    shutil.copytree(src, tmp_path / "build", symlinks=True)
    return tmp_path / "build", smoke_config(tmp_path / "build")
