"""Code keys follow imports, both ways: editing a module a stage imports (at any depth) makes the
stage stale; editing one it does not import leaves it up to date.

Everything runs on a copy of the repository's sources in a temporary folder, so the real tree is
never edited. The expected stage sets are written out by hand from what each module is for, and
the closures are checked against the standard library's ``modulefinder`` (a separate reading of
the same imports, from bytecode rather than the syntax tree).
"""

from __future__ import annotations

import json
import modulefinder
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from pipeline.core.codekeys import code_digest, code_files, import_closure
from pipeline.core.io import walk_files
from pipeline.core.config import REPO_ROOT
from pipeline.core.stage_table import STAGE_NAMES, STAGES

COPIED = ("pipeline", "configs", "site_src", "mkdocs.yml")
ALL = set(STAGE_NAMES)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sources every stage's key reads; tests edit it and put each file back."""
    root = tmp_path_factory.mktemp("repo")
    for name in COPIED:
        src = REPO_ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, root / name)
    return root


@pytest.fixture(scope="module")
def baseline(repo: Path) -> dict[str, str]:
    return digests(repo)


def digests(root: Path) -> dict[str, str]:
    return {s.name: code_digest(root, s.module, s.sources) for s in STAGES}


@contextmanager
def edited(path: Path, line: bytes | None = None) -> Iterator[None]:
    """Append a line to a file for the duration of the block: by default one of code (to a
    Python file) or of text (to a template)."""
    original = path.read_bytes()
    line = line or (b"_an_edit = 1" if path.suffix == ".py" else b"<!-- an edit -->")
    path.write_bytes(original + b"\n" + line + b"\n")
    try:
        yield
    finally:
        path.write_bytes(original)


@pytest.mark.parametrize("stage", STAGES, ids=STAGE_NAMES)
def test_code_files_are_the_import_closure_modulefinder_sees(repo: Path, stage) -> None:
    finder = modulefinder.ModuleFinder(path=[str(repo)])
    finder.import_hook(stage.module)
    found = {Path(m.__file__).resolve() for m in finder.modules.values()
             if m.__file__ and Path(m.__file__).resolve().is_relative_to(repo)}
    assert set(import_closure(repo, stage.module)) == found
    ours = set(code_files(repo, stage.module, stage.sources))
    assert ours == found | {p for rel in stage.sources for p in walk_files(repo / rel)}
    for other in STAGES:  # a stage never reads another stage's folder
        if other is not stage:
            folder = repo / Path(*other.module.split(".")[:-1])
            assert not any(p.is_relative_to(folder) for p in ours), (stage.name, other.name)


# (edited file, stages that must go stale, stages that must stay up to date)
CASES = [
    ("pipeline/core/batched.py", {"encode", "analyse"}, {"data", "train"}),
    ("pipeline/core/config.py", ALL, set()),
    ("pipeline/stages/s1_data/mnist_files.py", {"data"}, ALL - {"data"}),
    ("pipeline/stages/s2_train/training.py", {"train"}, ALL - {"train"}),
    ("pipeline/stages/s4_analyse/knn.py", {"analyse"}, ALL - {"analyse"}),
    ("pipeline/stages/s5_render/tiles.py", {"render"}, ALL - {"render"}),
    ("pipeline/stages/s5_render/figures/style.py", {"render"}, ALL - {"render"}),
    ("site_src/macros.j2", {"site"}, ALL - {"site"}),
    ("mkdocs.yml", {"site"}, ALL - {"site"}),
    ("pipeline/cli.py", set(), ALL),  # the CLI and the runner are no stage's code
    ("pipeline/core/runner.py", set(), ALL),
    ("pipeline/core/jobstatus.py", set(), ALL),
    ("pipeline/core/jobcache.py", ALL - {"data", "site"}, {"data", "site"}),  # their jobs
    # The report's types are analyse's output and its readers' input: editing one retrains nothing.
    ("pipeline/core/report/blocks.py", {"analyse", "render", "site"}, {"data", "train", "encode"}),
]


@pytest.mark.parametrize("rel, stale, fresh", CASES, ids=[c[0] for c in CASES])
def test_editing_a_file_changes_the_keys_of_exactly_the_stages_that_read_it(
        repo: Path, baseline: dict[str, str], rel: str, stale: set[str], fresh: set[str]) -> None:
    with edited(repo / rel):
        after = digests(repo)
    changed = {name for name in STAGE_NAMES if after[name] != baseline[name]}
    assert stale <= changed, f"editing {rel} left {sorted(stale - changed)} up to date"
    assert not changed & fresh, f"editing {rel} made {sorted(changed & fresh)} stale"
    assert digests(repo) == baseline  # the edit was undone


def test_a_comment_rewrap_or_docstring_changes_no_key_where_it_is_not_printed(repo: Path, baseline) -> None:
    """A Python module counts by its code: editing a comment or a docstring, adding blank lines or
    rewrapping a call retrains nothing. Where the text is the output it counts: the render
    stage's docstrings (a plot function's is its figure's alt text), a template, and a Python
    file a stage declares as a source (the code page prints models.py, comments and all)."""
    path = repo / "pipeline/stages/s2_train/training.py"
    with edited(path, b"# a comment only\n\n\n"):
        assert digests(repo) == baseline
    original = path.read_text()
    call = "training_dtype(cfg.train.precision, device)"  # one call, wrapped inside its brackets
    rewrapped = original.replace(call, "training_dtype(cfg.train.precision,\n    device)", 1)
    rewrapped = rewrapped.replace("import torch\n", "import torch  # a trailing comment\n", 1)
    assert call in original and rewrapped.count("\n") == original.count("\n") + 1
    path.write_text(rewrapped)
    try:
        assert digests(repo) == baseline
    finally:
        path.write_text(original)
    assert changed_by_docstring(repo, "pipeline/stages/s4_analyse/knn.py", baseline) == set()
    assert changed_by_docstring(repo, "pipeline/stages/s2_train/training.py", baseline) == set()
    render_module = "pipeline/stages/s5_render/figures/groups/common.py"
    assert changed_by_docstring(repo, render_module, baseline) == {"render"}
    with edited(repo / "site_src/macros.j2", b"{# a template comment is text #}"):
        assert digests(repo)["site"] != baseline["site"]
    with edited(repo / "pipeline/core/models.py", b"# a comment the code page prints\n"):
        assert {n for n, d in digests(repo).items() if d != baseline[n]} == {"site"}


def changed_by_docstring(repo: Path, rel: str, baseline: dict[str, str]) -> set[str]:
    """The stages whose code key changes when the module's docstring gains a word."""
    module = repo / rel
    original = module.read_text()
    assert original.startswith('"""'), module
    module.write_text('"""Another word. ' + original[3:])
    try:
        return {n for n, d in digests(repo).items() if d != baseline[n]}
    finally:
        module.write_text(original)


MANIFEST_SCRIPT = """
import sys
from pipeline.core.config import REPO_ROOT, load_config
from pipeline.core.stage_table import STAGES
from pipeline.core.store import Store, files_digest
assert str(REPO_ROOT) == sys.argv[2], (REPO_ROOT, sys.argv[2])
store = Store(load_config("smoke", overrides=["paths.artifacts=" + sys.argv[1]]))
for stage in STAGES:  # every stage "built" with no output files under its current key
    store.stage_dir(stage.name).mkdir(parents=True, exist_ok=True)
    store.manifest[stage.name] = {"files": {}, "digest": files_digest({})}
    store.manifest[stage.name]["key"] = store.key(stage)
    if sys.argv[3:] == ["details"]:  # what a run records, so that status can name what changed
        store.manifest[stage.name]["inputs"] = store.inputs(stage)
store.write_manifest()
"""


def _status(repo: Path, artifacts: Path) -> tuple[int, dict[str, str]]:
    """`python -m pipeline status` run from the copy: (exit code, {stage: its status line})."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-m", "pipeline", "status", "--profile", "smoke",
                           f"paths.artifacts={artifacts}"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.stderr == "", proc.stderr
    # one line per stage; the indented lines under a stale one say what changed (ignored here)
    lines = {line.split()[0]: line for line in proc.stdout.splitlines()
             if line.strip() and not line[0].isspace()}
    assert set(lines) == ALL, proc.stdout
    return proc.returncode, lines


def test_status_marks_a_stage_stale_when_a_module_it_imports_changes(repo: Path, tmp_path: Path) -> None:
    artifacts = tmp_path / "artifacts"
    subprocess.run([sys.executable, "-c", MANIFEST_SCRIPT, str(artifacts), str(repo)], cwd=repo,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, check=True,
                   timeout=120)
    assert json.loads((artifacts / "manifest.json").read_text()).keys() == ALL
    code, lines = _status(repo, artifacts)
    assert code == 0 and all("up to date" in line for line in lines.values()), lines
    with edited(repo / "pipeline/core/batched.py"):
        code, lines = _status(repo, artifacts)
    assert code == 3
    for name in ("encode", "analyse"):  # a manifest of an older run: nothing to compare with
        assert "stale: config, code or inputs changed" in lines[name], lines[name]
    for name in ("data", "train"):
        assert "up to date" in lines[name], lines[name]
    with edited(repo / "pipeline/stages/s5_render/tiles.py"):
        code, lines = _status(repo, artifacts)
    assert code == 3 and {n for n, line in lines.items() if "stale" in line} == {"render"}, lines
    assert _status(repo, artifacts)[0] == 0  # every edit undone: up to date again


def test_status_names_the_source_file_that_changed(repo: Path, tmp_path: Path) -> None:
    artifacts = tmp_path / "artifacts"
    subprocess.run([sys.executable, "-c", MANIFEST_SCRIPT, str(artifacts), str(repo), "details"],
                   cwd=repo, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
                   check=True, timeout=120)
    with edited(repo / "pipeline/core/batched.py"):
        code, lines = _status(repo, artifacts)
    assert code == 3
    for name in ("encode", "analyse"):
        assert "stale: code pipeline/core/batched.py" in lines[name], lines[name]
    assert "up to date" in lines["train"]
