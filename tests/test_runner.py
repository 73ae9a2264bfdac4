"""The stage runner: no-op reruns, minimal reruns after a config change, damaged caches rebuilt."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipeline.core.config import REPO_ROOT
from pipeline.core.runner import STAGE_NAMES, downstream_of, run, status

from .conftest import smoke_config


def _quiet(cfg, *targets, force=False):
    return run(cfg, list(targets) or None, force=force, log=lambda m: None)


def test_second_run_executes_nothing(smoke_copy):
    root, cfg = smoke_copy
    manifest = json.loads((root / "artifacts" / "manifest.json").read_text())
    assert set(manifest) == set(STAGE_NAMES)
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", "--profile", "smoke",
                           f"paths.artifacts={root}/artifacts", f"paths.docs={root}/docs",
                           f"paths.site={root}/site"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "0 stage(s) ran" in proc.stderr
    assert json.loads((root / "artifacts" / "manifest.json").read_text()) == manifest
    st = subprocess.run([sys.executable, "-m", "pipeline", "status", "--profile", "smoke",
                         f"paths.artifacts={root}/artifacts"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert st.returncode == 0 and st.stdout.count("up to date") == len(STAGE_NAMES)


def test_a_config_change_reruns_that_stage_and_downstream_only(smoke_copy):
    root, cfg = smoke_copy
    changed = smoke_config(root, f"render.dpi={cfg.render.dpi + 7}")
    assert [s for s, reason, _ in ((s.name, r, e) for s, r, e in status(changed)) if reason] == ["render", "site"]
    assert _quiet(changed) == ["render", "site"]
    changed = smoke_config(root, f"render.dpi={cfg.render.dpi + 7}", f"analyse.n_steps={cfg.analyse.n_steps + 1}")
    assert _quiet(changed) == ["analyse", "render", "site"]
    assert _quiet(changed) == []


def test_named_stage_with_force_reruns_it_and_downstream(smoke_copy):
    root, cfg = smoke_copy
    assert downstream_of(["encode"]) == ["encode", "analyse", "render", "site"]
    assert _quiet(cfg, "render", force=True) == ["render", "site"]
    entry = json.loads((root / "artifacts" / "manifest.json").read_text())["render"]
    assert "toy" in entry["jobs"] and entry["jobs_ran"] == [], "the toy models are trained again"
    assert run(cfg, ["render"], force=True, only=True, log=lambda m: None) == ["render"]


def test_a_damaged_or_deleted_artifact_is_rebuilt_not_trusted(smoke_copy):
    root, cfg = smoke_copy
    victim = next(p for p in sorted((root / "artifacts" / "analyse").rglob("*")) if p.is_file())
    data = victim.read_bytes()
    victim.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))  # one flipped byte
    reasons = {s.name: r for s, r, _ in status(cfg)}
    assert "damaged" in reasons["analyse"] and reasons["encode"] is None
    assert _quiet(cfg)[0] == "analyse"
    assert status(cfg)[3][1] is None
    victim.unlink()
    assert "missing" in {s.name: r for s, r, _ in status(cfg)}["analyse"]
    assert _quiet(cfg)[0] == "analyse"


def test_a_damaged_manifest_means_everything_reruns(smoke_copy):
    root, cfg = smoke_copy
    (root / "artifacts" / "manifest.json").write_text("{not json")
    assert all(reason for _, reason, _ in status(cfg))


def test_leftovers_of_a_killed_run_are_ignored_and_cleaned(smoke_copy):
    root, cfg = smoke_copy
    half = root / "artifacts" / ".tmp" / "train-99999"
    half.mkdir(parents=True)
    (half / "models").mkdir()
    (half / "models" / "ae2.pt").write_bytes(b"half-written")
    assert _quiet(cfg) == []
    assert not (root / "artifacts" / ".tmp").exists()


def test_published_site_is_restored_if_deleted(smoke_copy):
    root, cfg = smoke_copy
    index = Path(cfg.paths.site) / "index.html"
    assert index.is_file()
    index.unlink()
    assert _quiet(cfg) == []
    assert index.is_file()
