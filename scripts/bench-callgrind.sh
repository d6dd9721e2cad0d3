#!/usr/bin/env bash
# Instruction counts of the core's key operations against raw julia.h, under
# valgrind's callgrind (repeatable on a loaded machine). Builds first; prints
# one line per pair: instructions per iteration and the jlc/raw ratio.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${JLC_BUILD:-$ROOT/build}"
"$ROOT/scripts/build.sh" bench >/dev/null 2>&1
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt install valgrind)"; exit 1; }
BIN="$BUILD/bench/callgrind_core"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
N=$("$BIN" | awk '/iterations/ {print $2}')
count() { # function name -> instructions collected inside it
    valgrind --tool=callgrind --callgrind-out-file="$OUT/$1" --toggle-collect="$1" \
        "$BIN" >/dev/null 2>&1
    callgrind_annotate "$OUT/$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}
printf '%-22s %-22s %12s %12s %7s\n' jlc raw "jlc instr" "raw instr" ratio
for pair in "jlc_call_get raw_call_unbox" "jlc_box raw_box" "jlc_scope_only raw_scope_only" \
            "jlc_struct_unbox raw_struct_read" "jlc_struct_box raw_struct_box"; do
    set -- $pair
    j=$(count "measure_$1"); r=$(count "measure_$2")
    awk -v j="$j" -v r="$r" -v n="$N" -v a="$1" -v b="$2" \
        'BEGIN { printf "%-22s %-22s %12.1f %12.1f %7.3f\n", a, b, j/n, r/n, j/r }'
done
