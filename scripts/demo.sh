#!/usr/bin/env bash
# Builds jlc and runs every example, in order, printing what each does.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${JLC_BUILD:-$ROOT/build}"
"$ROOT/scripts/build.sh"
cd "$ROOT/examples"
for src in *.c; do
    ex="${src%.c}"
    echo
    echo "==== examples/$src ===="
    "$BUILD/examples/$ex"
done
