#!/usr/bin/env bash
# Builds jlc and runs every benchmark program; extra arguments go to each
# (e.g. --benchmark_filter=call). Results belong in bench/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${JLC_BUILD:-$ROOT/build}"
"$ROOT/scripts/build.sh" bench
for b in "$BUILD"/bench/bench_*; do
    [ -x "$b" ] || continue
    echo "==== $(basename "$b") ===="
    "$b" "$@"
done
