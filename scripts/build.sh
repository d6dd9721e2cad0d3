#!/usr/bin/env bash
# Configures and builds jlc into $JLC_BUILD (default: build/), after setup.
# Usage: build.sh [build|test|bench]   (default: build = library + examples;
# test adds the test suite, bench the benchmarks; see scripts/setup.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${JLC_BUILD:-$ROOT/build}"
MODE="${1:-build}"
"$ROOT/scripts/setup.sh" "$MODE"
TESTS=OFF; BENCH=OFF
[ "$MODE" = test ] && TESTS=ON
[ "$MODE" = bench ] && BENCH=ON
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DJLC_BUILD_TESTS=$TESTS -DJLC_BUILD_BENCH=$BENCH >/dev/null
cmake --build "$BUILD" -j "$(nproc)" >/dev/null
echo "build: ok ($BUILD)" >&2
