"""The job cache on its own: keys from parts, reuse, what changed, damage and interruption."""

from __future__ import annotations

import json

import pytest

from pipeline.core.jobcache import JobCache, diff_parts, parts_key
from pipeline.core.store import describe_changes

PARTS = {"spec": {"id": "vae2-beta4", "beta": 4.0, "hidden": [64, 32]}, "data": "d1",
         "code": {"pipeline/stages/s2_train/training.py": "aa", "pipeline/core/models.py": "bb"}}


def _changed(**edits):
    parts = json.loads(json.dumps(PARTS))
    for dotted, value in edits.items():
        *path, last = dotted.split("__")
        node = parts
        for p in path:
            node = node[p]
        node[last] = value
    return parts


def test_a_key_depends_on_every_part_and_not_on_dict_order():
    assert parts_key(PARTS) == parts_key(dict(reversed(list(PARTS.items()))))
    keys = {parts_key(PARTS), parts_key(_changed(spec__beta=8.0)), parts_key(_changed(data="d2")),
            parts_key(_changed(code__pipeline_core="x"))}
    assert len(keys) == 4


def test_diff_names_the_config_value_or_source_file_that_changed():
    assert diff_parts(PARTS, PARTS) == []
    assert diff_parts({"hidden": [64, 32]}, {"hidden": (64, 32)}) == []  # as the key sees them
    assert diff_parts(None, PARTS) == ["new"]
    assert diff_parts(PARTS, _changed(spec__beta=8.0)) == ["spec.beta"]
    edited = _changed()
    edited["code"]["pipeline/core/models.py"] = "cc"
    edited["code"]["pipeline/core/new.py"] = "dd"
    assert diff_parts(PARTS, edited) == ["code.pipeline/core/models.py", "code.pipeline/core/new.py"]


def test_describe_changes_names_keys_files_and_inputs():
    text = describe_changes({"config": ["train.beta_sweep"], "code": ["a.py", "b.py", "c.py", "d.py"],
                             "inputs": []})
    assert text == "config train.beta_sweep; code a.py, b.py, c.py +1 more"
    assert "no details" in describe_changes({})  # a manifest written before details were kept


def _build(cache: JobCache, name: str, parts: dict, text: str):
    with cache.building(name, parts) as folder:
        (folder / "out.txt").write_text(text)
        (folder / "sub").mkdir()
        (folder / "sub" / "more.txt").write_text(text * 2)
    return cache.job(name, parts)


def test_a_built_job_is_found_again_under_its_parts_only(tmp_path):
    cache = JobCache(tmp_path, "train")
    assert cache.job("m", PARTS) is None and not cache.has(PARTS)
    folder = _build(cache, "m", PARTS, "one")
    assert folder == tmp_path / "cache" / "train" / parts_key(PARTS)
    assert (folder / "out.txt").read_text() == "one" and cache.has(PARTS)
    assert cache.parts_of(parts_key(PARTS)) == PARTS
    assert cache.ran() == ["m"]
    again = JobCache(tmp_path, "train")  # a later run
    assert again.job("m", PARTS) == folder and again.reused() == ["m"] and again.ran() == []
    assert again.job("m", _changed(spec__beta=8.0)) is None
    _build(again, "m", _changed(spec__beta=8.0), "two")
    # the earlier setting is still there: going back finds it
    assert (JobCache(tmp_path, "train").job("m", PARTS) / "out.txt").read_text() == "one"
    assert not list((tmp_path / ".tmp").iterdir())  # no scratch left behind


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_job_leaves_nothing_behind(tmp_path, error):
    cache = JobCache(tmp_path, "encode")
    with pytest.raises(error):
        with cache.building("m", PARTS) as folder:
            (folder / "out.txt").write_text("half")
            raise error()
    assert cache.job("m", PARTS) is None and not cache.has(PARTS)
    assert not (tmp_path / "cache" / "encode").exists() or not list((tmp_path / "cache" / "encode").iterdir())
    assert not list((tmp_path / ".tmp").iterdir())


def test_a_killed_run_s_scratch_is_never_trusted(tmp_path):
    # A process killed mid-job leaves its scratch folder under .tmp (emptied by the next run),
    # never a folder under cache/: the job appears there only by one rename, job.json inside.
    cache = JobCache(tmp_path, "train")
    scratch = tmp_path / ".tmp" / "cache-train-m-99999"
    scratch.mkdir(parents=True)
    (scratch / "out.txt").write_text("half")
    assert cache.job("m", PARTS) is None
    half = cache.folder(parts_key(PARTS))  # a folder without job.json (e.g. copied by hand)
    half.mkdir(parents=True)
    (half / "out.txt").write_text("half")
    assert cache.job("m", PARTS) is None and not cache.has(PARTS)


def test_a_damaged_or_extra_file_drops_the_job(tmp_path):
    cache = JobCache(tmp_path, "train")
    folder = _build(cache, "m", PARTS, "one")
    (folder / "out.txt").write_text("One")
    assert cache.job("m", PARTS) is None and not folder.exists()
    folder = _build(cache, "m", PARTS, "one")
    (folder / "stray.txt").write_text("?")
    assert cache.job("m", PARTS) is None
    assert (_build(cache, "m", PARTS, "one") / "out.txt").read_text() == "one"


def test_prune_keeps_the_most_recently_used(tmp_path):
    import os
    cache = JobCache(tmp_path, "runs/train")
    parts = [{"key": k} for k in "abc"]
    folders = [_build(cache, "train", p, p["key"]) for p in parts]
    for age, folder in zip((30, 20, 10), folders):  # a built first, c last
        os.utime(folder / "job.json", (1e9 - age, 1e9 - age))
    assert cache.job("train", parts[0]) == folders[0]  # a used again: now the most recent
    cache.prune(2)
    assert [cache.has(p) for p in parts] == [True, False, True]


def test_prune_to_runs_keeps_as_many_runs_worth_as_this_run_used(tmp_path):
    import os
    cache = JobCache(tmp_path, "train")
    parts = [{"key": k} for k in "abcdef"]
    folders = [_build(cache, p["key"], p, p["key"]) for p in parts]
    for age, folder in zip(range(60, 0, -10), folders):  # a built first, f last
        os.utime(folder / "job.json", (1e9 - age, 1e9 - age))
    cache.record.clear()
    for p in parts[:2]:  # this run used a and b: the most recent now
        assert cache.job(p["key"], p) is not None
    cache.prune_to_runs(2)  # two runs of two jobs: a, b and the two newest others
    assert [cache.has(p) for p in parts] == [True, True, False, False, True, True]
