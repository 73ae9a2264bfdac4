"""Per-job caching on the smoke build: one more β trains, encodes and measures that model only and
redraws one figure, going back trains nothing (the run cache restores it), a spec change
retrains that model only, the cached path gives the bytes a fresh run gives, and ``status``
names the stale jobs and why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.core.jobcache import parts_key
from pipeline.core.jobstatus import describe_jobs, explain, stage_jobs
from pipeline.core.runner import run
from pipeline.core.stage_table import BY_NAME
from pipeline.core.store import Store, hash_tree

from .conftest import smoke_config

ONE_MORE_BETA = "train.beta_sweep=[0.0, 1.0, 4.0]"  # the smoke sweep is [0, 1]
JOB_STAGES = ("train", "encode", "analyse")  # the stages whose work is cached job by job


def _run(cfg, *stages: str) -> list[str]:
    return run(cfg, list(stages), only=True, log=lambda m: None)


def _entry(root: Path, stage: str) -> dict:
    return json.loads((root / "artifacts" / "manifest.json").read_text())[stage]


def _outputs(root: Path, *stages: str) -> dict[str, str]:
    return {f"{s}/{k}": v for s in stages for k, v in hash_tree(root / "artifacts" / s).items()}


def test_one_more_beta_trains_one_model_and_going_back_trains_nothing(smoke_copy, tmp_path):
    root, cfg = smoke_copy
    before = _outputs(root, *JOB_STAGES)
    wider = smoke_config(root, ONE_MORE_BETA)
    lines = explain(wider)["train"]
    assert "config: train.beta_sweep" in lines and "to run: vae2-beta4 (new)" in lines, lines
    assert any(line.startswith("cached: ") and " of " in line for line in lines), lines

    assert _run(wider, "train", "encode") == ["train", "encode"]
    # status lists analyse's jobs from its last run: all cached, and the new model's to find
    lines = explain(wider)["analyse"]
    assert [line for line in lines if line.startswith("to run:")] == ["to run: jobs of vae2-beta4 (new)"], lines
    n_jobs = len(_entry(root, "analyse")["jobs"])
    assert f"cached: {n_jobs} of {n_jobs + 1} jobs" in lines, lines
    assert _run(wider, "analyse") == ["analyse"]
    assert _entry(root, "train")["jobs_ran"] == ["vae2-beta4"]
    assert _entry(root, "encode")["jobs_ran"] == ["vae2-beta4"]  # 2-D: no UMAP map to make
    # analyse measures the new VAE alone: its β-sweep numbers and its quality maps
    assert _entry(root, "analyse")["jobs_ran"] == ["beta-sweep-vae2-beta4", "quality-map-vae2-beta4"]
    # render redraws the one figure that read what changed, and status says so beforehand
    lines = explain(wider)["render"]
    assert [line.split(" (")[0] for line in lines if line.startswith("to run:")] == [
        "to run: figure-beta-sweep"], lines
    assert any("reads.sweep.beta_sweep" in line for line in lines), lines
    assert _run(wider, "render") == ["render"]
    assert _entry(root, "render")["jobs_ran"] == ["figure-beta-sweep"]
    cached_path = _outputs(root, *JOB_STAGES, "render")

    assert _run(cfg, *JOB_STAGES, "render") == [*JOB_STAGES, "render"]
    for stage in (*JOB_STAGES, "render"):  # restored whole from the run cache
        assert _entry(root, stage)["jobs_ran"] == [] and "restored_in" in _entry(root, stage)
    assert _outputs(root, *JOB_STAGES) == before

    # A fresh run of the wider sweep (nothing cached) writes the same bytes as the cached path.
    fresh = tmp_path / "fresh"
    (fresh / "artifacts").mkdir(parents=True)
    shutil.copytree(root / "artifacts" / "data", fresh / "artifacts" / "data")
    manifest = {"data": _entry(root, "data")}
    (fresh / "artifacts" / "manifest.json").write_text(json.dumps(manifest))
    assert _run(smoke_config(fresh, ONE_MORE_BETA), *JOB_STAGES, "render") == [*JOB_STAGES, "render"]
    for stage in JOB_STAGES:
        assert len(_entry(fresh, stage)["jobs_ran"]) == len(_entry(fresh, stage)["jobs"])
    assert _outputs(fresh, *JOB_STAGES, "render") == cached_path


def test_a_spec_change_retrains_only_that_model(smoke_copy):
    root, cfg = smoke_copy
    changed = smoke_config(root, f"train.judge_epochs={cfg.train.judge_epochs + 1}")
    lines = explain(changed)["train"]
    assert "to run: judge (spec.epochs)" in lines, lines
    assert _run(changed, "train", "encode") == ["train", "encode"]
    assert _entry(root, "train")["jobs_ran"] == ["judge"]
    assert _entry(root, "encode")["jobs_ran"] == []  # the judge has no codes; the rest unchanged


def test_status_names_the_source_file_behind_a_stale_model(smoke_copy):
    # Stand-in for an edit of training.py: ae2's job is gone from the cache and the job the last
    # run used was keyed with another digest of that file.
    root, cfg = smoke_copy
    entry = _entry(root, "train")
    cache = root / "artifacts" / "cache" / "train"
    about = json.loads((cache / entry["jobs"]["ae2"] / "job.json").read_text())
    shutil.rmtree(cache / entry["jobs"]["ae2"])
    about["parts"]["code"]["pipeline/stages/s2_train/training.py"] = "0" * 64
    old_key = parts_key(about["parts"])
    (cache / old_key).mkdir()
    (cache / old_key / "job.json").write_text(json.dumps(about))
    manifest_path = root / "artifacts" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["train"]["jobs"]["ae2"] = old_key
    manifest["train"]["key"] = "changed"  # the stage is stale too
    manifest_path.write_text(json.dumps(manifest))
    lines = explain(cfg)["train"]
    assert "to run: ae2 (code.pipeline/stages/s2_train/training.py)" in lines, lines


def test_training_in_this_process_is_another_job_and_cached_too(smoke_copy):
    # train.processes=1 trains on every core in this process (as on a GPU): other bytes than a
    # one-thread worker's, so another key for every model; the serial path caches each as well.
    root, cfg = smoke_copy
    few = ["train.processes=1", "train.claims=false", "train.seeds=[0]", "train.high_latent_dim=0",
           "train.beta_sweep=[]"]  # ae2, vae2 and the two judges: a short test
    serial = smoke_config(root, *few)
    lines = explain(serial)["train"]
    assert "to run: ae2, vae2, judge, judge-mlp (recipe.threads)" in lines, lines
    assert _run(serial, "train") == ["train"]
    assert _entry(root, "train")["jobs_ran"] == ["ae2", "judge", "judge-mlp", "vae2"]
    longer = smoke_config(root, *few, f"train.judge_epochs={cfg.train.judge_epochs + 1}")
    assert _run(longer, "train") == ["train"]
    assert _entry(root, "train")["jobs_ran"] == ["judge"]


def test_an_analyse_job_that_reads_an_undeclared_model_fails_naming_it(smoke_build):
    """A job's key holds only the models it declares, so reading another one would let a
    changed model leave a stale result: it fails instead, also through a value made once in
    another job."""
    from pipeline.core.context import StageContext
    from pipeline.stages.s4_analyse.analysis import Analysis
    from pipeline.stages.s4_analyse.jobs import UndeclaredRead
    art = Path(smoke_build.paths.artifacts)
    manifest = json.loads((art / "manifest.json").read_text())
    a = Analysis(StageContext(cfg=smoke_build, out=art / "unused",
                              inputs={s: art / s for s in ("data", "train", "encode")}, manifest=manifest))
    assert a.job("declared", ("vae2",), lambda: a.codes("vae2")["train_z"].shape[1]) == 2
    with pytest.raises(UndeclaredRead, match="'sneaky' reads \\['vae2'\\]"):
        a.job("sneaky", ("ae2",), lambda: a.codes("vae2"))
    first = lambda: a.once(("first codes", "vae2"), lambda: a.codes("vae2")["train_z"][:3])
    a.job("maker", ("vae2",), first)
    with pytest.raises(UndeclaredRead, match="vae2"):  # made once, in another job
        a.job("reuser", ("ae2",), first)
    with pytest.raises(UndeclaredRead, match="vae2"):  # a model's hole map, kept once made
        a.job("holes", ("ae2",), lambda: a.hole_map("vae2"))



def _job_parts(root: Path, stage: str) -> dict[str, dict]:
    """{job: its key parts} of the stage's last run."""
    return {name: json.loads((root / "artifacts/cache" / stage / key / "job.json").read_text())["parts"]
            for name, key in _entry(root, stage)["jobs"].items()}


def _to_run(cfg, stage: str) -> list[str]:
    """``status``'s lines of the jobs a run of the stage would run now."""
    lines = describe_jobs(stage_jobs(Store(cfg), BY_NAME[stage]))
    return [line for line in lines if line.startswith("to run:")]


def _pretend_edited(monkeypatch, module, path: str) -> None:
    """Stand-in for an edit of ``path``: the code keys ``module`` makes see another digest of it."""
    real = module.file_digests

    def edited(root_dir, *modules, **kwargs):
        digests = real(root_dir, *modules, **kwargs)
        return {**digests, path: "0" * 64} if path in digests else digests
    monkeypatch.setattr(module, "file_digests", edited)


def test_editing_one_analyse_section_measures_that_section_only(smoke_copy, monkeypatch):
    # Each analyse job keys on its own section's code and the code of the sections it reads; no
    # section reads the clouds, so an edit of sections/clouds.py runs one job and the outputs stay.
    from pipeline.stages.s4_analyse import jobs
    root, cfg = smoke_copy
    parts = _job_parts(root, "analyse")
    clouds, robustness = "pipeline/stages/s4_analyse/sections/clouds.py", "pipeline/stages/s4_analyse/sections/robustness.py"
    assert [name for name, p in parts.items() if clouds in p["code"]] == ["section-clouds"]
    assert robustness in parts["claims"]["code"] and robustness not in parts["section-samples"]["code"]
    before = _outputs(root, "analyse")
    _pretend_edited(monkeypatch, jobs, clouds)
    assert _to_run(cfg, "analyse") == [f"to run: section-clouds (code.{clouds})"]
    assert run(cfg, ["analyse"], force=True, only=True, log=lambda m: None) == ["analyse"]
    assert _entry(root, "analyse")["jobs_ran"] == ["section-clouds"]
    assert _outputs(root, "analyse") == before


def test_editing_one_figure_group_redraws_that_group_only(smoke_copy, monkeypatch):
    # Each figure keys on the code that draws and saves every figure and on its own group's
    # module, so an edit of figures/groups/claims.py redraws the claims figures alone.
    from pipeline.stages.s5_render import figure_jobs
    from pipeline.stages.s5_render.figures.groups import claims
    root, cfg = smoke_copy
    group = "pipeline/stages/s5_render/figures/groups/claims.py"
    parts = {name: p for name, p in _job_parts(root, "render").items() if name.startswith("figure-")}
    in_group = sorted(f"figure-{spec.id}" for spec in claims.FIGURES if f"figure-{spec.id}" in parts)
    assert len(in_group) >= 4, in_group
    assert sorted(name for name, p in parts.items() if group in p["code"]) == in_group
    before = _outputs(root, "render")
    _pretend_edited(monkeypatch, figure_jobs, group)
    assert _to_run(cfg, "render") == [f"to run: {', '.join(in_group)} (code.{group})"]
    assert run(cfg, ["render"], force=True, only=True, log=lambda m: None) == ["render"]
    assert _entry(root, "render")["jobs_ran"] == in_group
    assert _outputs(root, "render") == before
