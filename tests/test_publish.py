"""The publish command pushes a built site to a gh-pages branch: here into a local bare repository,
with a tiny fake site (the command does not care how the site was built)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.core.errors import PipelineError
from pipeline.publish import publish_site

from .conftest import smoke_config


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project clone with one commit, pushed to its remote 'origin', a bare repository."""
    for key in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{key}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{key}_EMAIL", "test@example.org")
    bare, repo = tmp_path / "remote.git", tmp_path / "clone"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "README.md").write_text("project\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "-m", "first")
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "push", "-q", "origin", "HEAD")
    return repo


def fake_site(root: Path, text: str) -> Path:
    (root / "search").mkdir(parents=True)
    (root / "index.html").write_text(f"<h1>{text}</h1>")
    (root / "search" / "search_index.js").write_text("var __index = {}")
    return root


def remote_files(bare: Path, branch: str = "gh-pages") -> set[str]:
    return set(git(bare, "ls-tree", "-r", "--name-only", branch).splitlines())


def test_publish_pushes_the_site_as_the_branch_content_and_keeps_history(clone, tmp_path):
    bare = tmp_path / "remote.git"
    site = fake_site(tmp_path / "site", "one")
    line = publish_site(site, clone)
    assert "gh-pages" in line and "origin" in line
    assert remote_files(bare) == {"index.html", "search/search_index.js", ".nojekyll"}
    assert git(bare, "show", "gh-pages:index.html") == "<h1>one</h1>"
    source = git(clone, "rev-parse", "--short", "HEAD")
    assert source in git(bare, "log", "-1", "--format=%s", "gh-pages")
    # The project's own branch is untouched: the site lives only on gh-pages.
    assert git(clone, "status", "--porcelain") == ""

    # Publishing again from a fresh clone of one branch (as CI checks out) adds a commit on top
    # of the first one.
    again = tmp_path / "clone2"
    subprocess.run(["git", "clone", "-q", "--single-branch", "--branch",
                    git(clone, "branch", "--show-current"), str(bare), str(again)], check=True)
    assert "gh-pages" not in git(again, "branch", "-a")
    (again / "x").write_text("x")
    git(again, "add", "x")
    git(again, "commit", "-q", "-m", "main")
    site2 = fake_site(tmp_path / "site2", "two")
    publish_site(site2, again, message="second")
    assert git(bare, "show", "gh-pages:index.html") == "<h1>two</h1>"
    assert git(bare, "log", "--format=%s", "gh-pages").splitlines() == [
        "second", f"Publish the site built from {source}"]


def test_publish_to_another_branch_and_remote(clone, tmp_path):
    other = tmp_path / "other.git"
    subprocess.run(["git", "init", "-q", "--bare", str(other)], check=True)
    git(clone, "remote", "add", "pages", str(other))
    publish_site(fake_site(tmp_path / "site", "x"), clone, remote="pages", branch="site")
    assert "index.html" in remote_files(other, "site")


def test_missing_site_is_a_clear_error(clone, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(PipelineError, match=r"no built site at .*empty.*build it first"):
        publish_site(tmp_path / "empty", clone)
    assert "gh-pages" not in git(tmp_path / "remote.git", "branch", "--list")


def test_missing_remote_is_a_clear_error(clone, tmp_path):
    with pytest.raises(PipelineError, match=r"remote 'upstream' does not exist \(remotes here: "
                                            r"origin\).*git remote add upstream"):
        publish_site(fake_site(tmp_path / "site", "x"), clone, remote="upstream")


def test_not_a_repository_is_a_clear_error(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    with pytest.raises(PipelineError, match="not a git repository"):
        publish_site(fake_site(tmp_path / "site", "x"), folder)


def test_cli_publish_no_build_refuses_a_site_that_is_not_built(clone, tmp_path, monkeypatch, capsys):
    cfg = smoke_config(tmp_path / "build")
    monkeypatch.chdir(clone)
    code = cli.main(["publish", "--no-build", "--profile", "smoke",
                     f"paths.artifacts={cfg.paths.artifacts}", f"paths.site={cfg.paths.site}"])
    assert code == 1
    err = capsys.readouterr().err
    assert "not up to date" in err and "./build.sh" in err
    assert "gh-pages" not in git(tmp_path / "remote.git", "branch", "--list")


@pytest.mark.slow
def test_cli_publishes_an_up_to_date_smoke_build(smoke_build, clone, tmp_path, monkeypatch, capsys):
    paths = smoke_build.paths
    monkeypatch.chdir(clone)
    code = cli.main(["publish", "--no-build", "--profile", "smoke",
                     f"paths.artifacts={paths.artifacts}", f"paths.docs={paths.docs}",
                     f"paths.site={paths.site}"])
    assert code == 0, capsys.readouterr().err
    files = remote_files(tmp_path / "remote.git")
    assert {"index.html", "vaes.html", "search/search_index.js", ".nojekyll"} <= files
    assert "site.url is empty" in capsys.readouterr().err  # told how to set the address
