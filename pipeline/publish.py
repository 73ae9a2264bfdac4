"""``python -m pipeline publish``: bring the build up to date, then push the built site to a branch.

The built site (``paths.site``) becomes the only content of one commit on ``gh-pages`` (with a
``.nojekyll`` file, so GitHub Pages serves folders that start with an underscore), pushed to a git
remote. The commit is made with ghp-import, the library behind ``mkdocs gh-deploy``: our site is
built by the pipeline's site stage, not by a bare ``mkdocs build``, so the stage's output is what
gets pushed. The branch's earlier commits are kept as its history when the remote has them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
from pathlib import Path
from typing import Callable, Iterator

import ghp_import

from pipeline.core.config import Config
from pipeline.core.errors import PipelineError
from pipeline.core.runner import run, status


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("items", nargs="*", metavar="KEY=VALUE", help="config overrides")
    parser.add_argument("--remote", default="origin", help="git remote to push to (default: origin)")
    parser.add_argument("--branch", default="gh-pages",
                        help="branch that receives the built site (default: gh-pages)")
    parser.add_argument("--message", help="commit message (default: names the source commit)")
    parser.add_argument("--no-build", action="store_true",
                        help="do not run the pipeline first: publish the site as built, and fail "
                             "if any stage is not up to date")


def command(cfg: Config, args: argparse.Namespace, log: Callable[[str], None],
            on_stage: Callable[[str], None] | None = None) -> int:
    """The CLI's ``publish``: build (or check the build), then push ``cfg.paths.site``."""
    if args.no_build:
        stale = [f"{stage.name} ({reason})" for stage, reason, _ in status(cfg) if reason]
        if stale:
            raise PipelineError("the built site is not up to date, stale: " + "; ".join(stale)
                                + ". Build it first (./build.sh with the same settings), or "
                                "leave out --no-build to build it now.")
    else:
        run(cfg, log=log, on_stage=on_stage)
    if not cfg.site.url:
        log("publish: site.url is empty, so the pages carry no canonical address; set it to the "
            "address they are published at, e.g. site.url=https://<user>.github.io/<repo>/")
    log(publish_site(cfg.resolve(cfg.paths.site), Path.cwd(), remote=args.remote,
                     branch=args.branch, message=args.message))
    return 0


def publish_site(site: Path, repo: Path, *, remote: str = "origin", branch: str = "gh-pages",
                 message: str | None = None) -> str:
    """Commit the files under ``site`` as ``branch`` of the git repository at ``repo`` and push
    that branch to ``remote``; returns a line saying what was published where."""
    if not (site / "index.html").is_file():
        raise PipelineError(f"no built site at {site} (no index.html): build it first with "
                            "./build.sh (or python -m pipeline run).")
    if _git(repo, "rev-parse", "--git-dir").returncode != 0:
        raise PipelineError(f"{repo} is not a git repository: publish from a clone of the project.")
    url = _git(repo, "remote", "get-url", remote)
    if url.returncode != 0:
        known = _git(repo, "remote").stdout.split()
        raise PipelineError(f"git remote {remote!r} does not exist (remotes here: "
                            f"{', '.join(known) or 'none'}): add it with `git remote add {remote} "
                            "URL`, or name another with --remote.")
    # The branch's last published commit becomes the parent of the new one (history kept); a
    # remote without the branch yet gives a first commit.
    _git(repo, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    source = _git(repo, "rev-parse", "--short", "HEAD").stdout.strip() or "an uncommitted tree"
    text = message or f"Publish the site built from {source}"
    with _in_dir(repo):
        try:
            ghp_import.ghp_import(str(site.resolve()), mesg=text, remote=remote, branch=branch,
                                  push=True, force=True, nojekyll=True)
        except (ghp_import.GhpError, subprocess.CalledProcessError) as e:
            raise PipelineError(f"publishing to {remote} ({url.stdout.strip()}) failed: {e}") from None
    head = _git(repo, "rev-parse", "--short", f"refs/heads/{branch}").stdout.strip()
    return f"published {site} to {remote} ({url.stdout.strip()}), branch {branch} at {head}"


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


@contextlib.contextmanager
def _in_dir(path: Path) -> Iterator[None]:
    """ghp-import runs git in the current folder."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)
