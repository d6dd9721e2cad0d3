#!/usr/bin/env bash
# Builds jlc and runs the whole suite twice: normally (unit tests and
# examples), then again under GC stress. Extra arguments go to ctest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${JLC_BUILD:-$ROOT/build}"
"$ROOT/scripts/build.sh" test
cd "$BUILD"
echo "==== normal lane (unit + example) ===="
ctest --output-on-failure -j 2 -L 'unit|example' "$@"
echo "==== GC stress lane ===="
ctest --output-on-failure -j 2 -L gcstress "$@"
