"""End-to-end budget: cold build per stage, no-op rerun, template-edit rerun, peak memory, site size
and the explorer's first load. Prints figures to compare across machines; asserts nothing.

Machines differ (a 2-core cloud VM measured 178 or ~290 GFLOP/s float32 matmul peak), so the cold
build is reported per stage and in total both in seconds and in "TFLOP of peak time" = seconds ×
the float32 matmul peak measured in this run (the best of 5 4096² torch.mm before and after the
builds; the higher of the two, as a shared machine's peak moves from minute to minute). Issue 16's
goal: ≤ 100 TFLOP (required ≤ 135) for the default profile.

    .venv/bin/python benchmarks/bench_e2e.py                  # default profile (the main job)
    .venv/bin/python benchmarks/bench_e2e.py --profile quick
    .venv/bin/python benchmarks/bench_e2e.py --device cuda

Each build goes into a fresh temporary folder (the data/ IDX cache is shared), so the cold time
is really cold for every stage after the IDX files exist; the folder is removed at the end
(``--keep DIR`` builds into DIR and keeps it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from peak import matmul_peak  # noqa: E402  (benchmarks/peak.py, beside this script)
TEMPLATE = REPO / "site_src" / "pages" / "index.md.j2"


def pipeline(root: Path, profile: str, device: str, *extra: str) -> tuple[float, int]:
    """Run the CLI; (wall seconds, peak RSS in MB of the slowest-growing child so far)."""
    cmd = [sys.executable, "-m", "pipeline", "run", "--profile", profile, "--device", device,
           f"paths.artifacts={root}/artifacts", f"paths.docs={root}/docs", f"paths.site={root}/site",
           *extra]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, check=True)
    wall = time.perf_counter() - t0
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def explorer_first_load(site: Path) -> float | None:
    """MB transferred when explorer.html loads, before any interaction (None without chromium)."""
    try:
        from tests.browser import CHROMIUM_ARGS, CHROMIUM, serve, watch
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    with serve(site) as base, sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = b.new_page()
        log = watch(page, base)
        page.goto(base + "explorer.html", wait_until="networkidle")
        page.wait_for_timeout(1000)
        b.close()
    return sum(log.bytes_by_url.values()) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", default="default")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--keep", help="build here instead of a temporary folder (kept afterwards)")
    args = ap.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="hc-bench-"))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"python {platform.python_version()}; profile {args.profile}; device {args.device}; in {root}")
    try:
        measure(root, args)
    finally:
        if not args.keep:  # half a GB a build: left behind, they once filled the disk CI shares
            shutil.rmtree(root, ignore_errors=True)


def measure(root: Path, args: argparse.Namespace) -> None:
    """Build into ``root`` cold, rerun, edit a template, and print every figure."""
    peak_device = "cuda" if args.device in ("auto", "cuda") and torch.cuda.is_available() else "cpu"
    before = matmul_peak(peak_device)
    cold, rss = pipeline(root, args.profile, args.device)
    peak = max(before, matmul_peak(peak_device))  # GFLOP/s; × seconds / 1000 = TFLOP
    print(f"\nmatmul peak           {peak:8.1f} GFLOP/s ({peak_device} float32 torch.mm 4096², best "
          f"of 5, the higher of before ({before:.1f}) and after the cold build)")
    manifest = json.loads((root / "artifacts" / "manifest.json").read_text())
    print(f"cold build            {cold:8.1f} s   {cold * peak / 1000:6.1f} TFLOP of peak time")
    for name, entry in manifest.items():
        sec = entry["seconds"]
        print(f"  {name:<8}            {sec:8.1f} s   {sec * peak / 1000:6.1f} TFLOP   "
              f"{entry.get('summary', '')}")
    noop, _ = pipeline(root, args.profile, args.device)
    print(f"no-op rerun           {noop:8.1f} s")
    original = TEMPLATE.read_text()
    try:
        TEMPLATE.write_text(original + "\n{# benchmark: a template edit #}\n")
        edit, _ = pipeline(root, args.profile, args.device)
    finally:
        TEMPLATE.write_text(original)
    print(f"template-edit rerun   {edit:8.1f} s")
    print(f"peak memory (RSS)     {rss:8d} MB  (largest single process of the runs)")
    print(f"built site            {folder_mb(root / 'site'):8.1f} MB")
    print(f"  decoded tiles       {folder_mb(root / 'site' / 'assets' / 'data' / 'tiles'):8.1f} MB")
    first = explorer_first_load(root / "site")
    print(f"explorer first load   {first:8.2f} MB" if first is not None else
          "explorer first load   (chromium/playwright not available)")
    pipeline(root, args.profile, args.device)  # put the template's own output back


if __name__ == "__main__":
    main()
