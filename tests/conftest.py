"""Shared fixtures: the smoke profile, built once per test run into a temporary folder.

The tests run in one pytest worker per core (pytest-xdist, ``addopts`` in pyproject.toml): the
first worker to ask builds the smoke site under a file lock in the run's shared temp folder, and
the others wait for it and read it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from filelock import FileLock

from pipeline.core.config import Config, load_config
from pipeline.core.runner import run


def smoke_config(root: Path, *overrides: str) -> Config:
    """The smoke profile with every output under ``root`` (the repo's data/ cache is shared)."""
    return load_config("smoke", overrides=[f"paths.artifacts={root}/artifacts",
                                           f"paths.docs={root}/docs", f"paths.site={root}/site",
                                           *overrides])


@pytest.fixture(scope="session")
def smoke_build(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The whole pipeline on the smoke profile, built once per run; tests must not modify it."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # one process (-n 0): nothing to share
        root = tmp_path_factory.mktemp("smoke")
        cfg = smoke_config(root)
        run(cfg, log=lambda m: None)
        return cfg
    root = tmp_path_factory.getbasetemp().parent / "smoke"  # the run's folder, above each worker's
    with FileLock(f"{root}.lock"):
        cfg = smoke_config(root)
        if not (root / "built").is_file():
            shutil.rmtree(root, ignore_errors=True)  # a worker that failed mid-build left a part
            run(cfg, log=lambda m: None)
            (root / "built").touch()
    return cfg


@pytest.fixture
def smoke_copy(smoke_build: Config, tmp_path: Path) -> tuple[Path, Config]:
    """A private copy of the smoke build that a test may change."""
    src = Path(smoke_build.paths.artifacts).parent
    shutil.copytree(src, tmp_path / "build", symlinks=True)
    return tmp_path / "build", smoke_config(tmp_path / "build")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The controller of a run in workers removes the run's shared smoke build when every test
    passed (each worker's own folders follow ``tmp_path_retention_policy``): it is about 1 GB."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if os.environ.get("PYTEST_XDIST_WORKER") or exitstatus != 0 or factory is None:
        return
    root = factory.getbasetemp() / "smoke"
    shutil.rmtree(root, ignore_errors=True)
    Path(f"{root}.lock").unlink(missing_ok=True)
