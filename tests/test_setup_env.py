"""scripts/setup-env.sh decides from its marker whether to install: it must install when the
extras asked for are not installed yet, and install nothing when they are (./build.sh right after
./test.sh). The venv's python is a stub that logs its arguments, so nothing is installed here."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

STUB = """#!/usr/bin/env bash
echo "$*" >> "$(dirname "$0")/../calls.log"
[ "$1 $2" = "-m pipeline.stages.s3_encode.warmup" ] && mkdir -p "$(dirname "$0")/../numba-cache"
exit 0
"""


def setup_copy(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "setup-env.sh", tmp_path / "scripts")
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(STUB)
    python.chmod(0o755)
    return tmp_path


def setup(root: Path, *extras: str) -> list[str]:
    """Run the script; the venv-python calls it made."""
    log = root / ".venv" / "calls.log"
    log.unlink(missing_ok=True)
    subprocess.run(["bash", str(root / "scripts" / "setup-env.sh"), *extras], check=True,
                   env={"PATH": "/usr/bin:/bin", "HC_SKIP_BROWSER": "1"}, capture_output=True)
    return log.read_text().splitlines() if log.exists() else []


def installs(calls: list[str]) -> list[str]:
    return [c for c in calls if c.startswith("-m pip install -q -e")]


def test_build_after_test_installs_nothing(tmp_path):
    root = setup_copy(tmp_path)
    assert installs(setup(root, "test")) == ["-m pip install -q -e .[test]"]
    assert setup(root) == []  # base is covered by test: no pip, no warm-up
    assert setup(root, "test") == []


def test_test_after_build_installs_the_union_and_warms_umap_once(tmp_path):
    root = setup_copy(tmp_path)
    first = setup(root)
    assert installs(first) == ["-m pip install -q -e ."]
    assert "-m pipeline.stages.s3_encode.warmup" in first
    assert installs(setup(root, "test")) == ["-m pip install -q -e .[test]"]
    assert setup(root) == []


def test_changed_pyproject_or_lost_cache_redoes_its_part(tmp_path):
    root = setup_copy(tmp_path)
    setup(root, "test")
    (root / "pyproject.toml").write_text((root / "pyproject.toml").read_text() + "\n# edited\n")
    assert installs(setup(root)) == ["-m pip install -q -e ."]
    shutil.rmtree(root / ".venv" / "numba-cache")
    assert setup(root) == ["-m pipeline.stages.s3_encode.warmup"]


def test_older_marker_format_is_read(tmp_path):
    root = setup_copy(tmp_path)
    setup(root, "test")
    marker = root / ".venv" / ".hc-installed"
    digest, extras = marker.read_text().split()
    marker.write_text(f"{digest}-{extras}\n")  # as written before issue 16
    assert setup(root) == []
