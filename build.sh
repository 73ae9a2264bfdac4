#!/usr/bin/env bash
# Builds the whole site with the default config (the main job): installs the locked environment
# into .venv (nothing when it is there already), then runs every stage that is not up to date.
# Extra arguments go to `python -m pipeline run`, e.g. ./build.sh --profile quick,
# ./build.sh --device cuda, ./build.sh train.epochs=20
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup-env.sh
exec .venv/bin/python -m pipeline run "$@"
