"""Issue 27's rebuild budget: on a built artifacts folder, add one β to the sweep and rerun, then
go back to the original sweep and rerun. Prints both wall times, each stage's time, and which jobs
ran (trained models, encoded models, UMAP maps) or whether a stage was restored from the run
cache. Goal on the default build: add-one-β ≤ 90 s, back ≤ 30 s. Asserts nothing.

    .venv/bin/python benchmarks/bench_rerun.py artifacts                      # default profile
    .venv/bin/python benchmarks/bench_rerun.py /tmp/smoke/artifacts --profile smoke

The folder is copied first (into a temporary folder, or ``--keep DIR``) and never changed. A
first run brings the copy up to date with this code and config (timed apart; nothing should run
when the folder was built by this code with the same profile).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.core.config import load_config  # noqa: E402


def pipeline(root: Path, profile: str, command: str, *overrides: str) -> tuple[float, str, str]:
    """Run ``python -m pipeline <command>`` on the copy: (wall seconds, stdout, stderr)."""
    paths = [f"paths.artifacts={root}/artifacts", f"paths.docs={root}/docs", f"paths.site={root}/site"]
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipeline", command, "--profile", profile, *paths,
                           *overrides],
                          cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 3):  # 3: status found stale stages
        sys.exit(f"pipeline {command} {' '.join(overrides)} failed ({proc.returncode}):\n{proc.stderr}")
    return seconds, proc.stdout, proc.stderr


def report(title: str, seconds: float, stderr: str, root: Path) -> None:
    """The wall time, each stage's line from the run's log, and the jobs each stage ran."""
    manifest = json.loads((root / "artifacts" / "manifest.json").read_text())
    print(f"\n{title}: {seconds:.1f} s wall")
    for line in stderr.splitlines():
        if line[:1] in ("✓", "↺"):
            mark, name, took = line.split()[:3]
            entry = manifest.get(name, {})
            jobs = entry.get("jobs_ran")
            what = "restored from the run cache" if mark == "↺" else "ran"
            if jobs is not None and "jobs" in entry and mark == "✓":
                what += f"; jobs ran: {', '.join(jobs) or 'none'} (of {len(entry['jobs'])})"
            print(f"  {name:<8} {took:>8}  {what}")
    if not any(line[:1] in ("✓", "↺") for line in stderr.splitlines()):
        print("  nothing ran")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("artifacts", type=Path, help="a built artifacts folder (copied, not changed)")
    p.add_argument("--profile", default="default")
    p.add_argument("--beta", type=float, help="the β to add (default: the sweep's largest + 4)")
    p.add_argument("--keep", type=Path, help="copy into this folder and keep it (a folder kept "
                   "by an earlier call is used as it is)")
    args = p.parse_args()
    sweep = load_config(args.profile).train.beta_sweep
    beta = args.beta if args.beta is not None else max(sweep, default=0.0) + 4
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-rerun-"))
    try:
        t0 = time.perf_counter()
        if not (root / "artifacts").exists():  # --keep DIR of an earlier call: its copy again
            shutil.copytree(args.artifacts, root / "artifacts", symlinks=True)
        print(f"copied {args.artifacts} in {time.perf_counter() - t0:.1f} s; sweep {sweep} + β {beta:g}")
        report("bring the copy up to date", *pipeline(root, args.profile, "run")[::2], root)
        wider = f"train.beta_sweep={json.dumps([*sweep, beta])}"
        print("\nstatus with one more β:\n" + pipeline(root, args.profile, "status", wider)[1])
        seconds, _, err = pipeline(root, args.profile, "run", wider)
        report(f"add β = {beta:g}", seconds, err, root)
        seconds, _, err = pipeline(root, args.profile, "run")
        report("back to the original sweep", seconds, err, root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
