#!/usr/bin/env bash
# Runs the JLC package's benchmarks (julia/JLC/bench/bench.jl) against the
# test library libjlct_export.so, after building it. Results belong in
# bench/README.md ("JLC package").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${JLC_BUILD:-$ROOT/build}"
"$ROOT/scripts/build.sh" test
. "$ROOT/.deps/julia.env" 2>/dev/null || true
JULIA="${JLC_JULIA_BIN:-julia}"
LD_LIBRARY_PATH="$ROOT/.deps/libunwind/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    "$JULIA" --startup-file=no --project="$ROOT/julia/JLC" "$ROOT/julia/JLC/bench/bench.jl" \
    "$BUILD/tests/libjlct_export.so"
