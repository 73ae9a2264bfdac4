#!/usr/bin/env bash
# Runs the test suite: installs the locked environment (and chromium when root), then pytest.
# The tests run the whole pipeline on the tiny smoke profile in temporary folders.
# Extra arguments go to pytest, e.g. ./test.sh -k config
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup-env.sh test
exec .venv/bin/python -m pytest "$@"
