#!/usr/bin/env bash
# Installs, builds and runs the whole test suite (unit + end-to-end).
# Usage: scripts/test.sh [BUILD_DIR]   (extra meson test flags via MESON_TEST_ARGS)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
scripts/setup.sh "$build_dir"
# shellcheck disable=SC2086
meson test -C "$build_dir" --print-errorlogs ${MESON_TEST_ARGS:-}
