#!/usr/bin/env bash
# jlc_init against jl_init_with_image: N fresh processes of each (default 7),
# alternating; prints the median and range of each and the difference.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${JLC_BUILD:-$ROOT/build}"
N="${1:-7}"
"$ROOT/scripts/build.sh" bench >/dev/null 2>&1
BIN="$BUILD/bench/init_time"
for _ in $(seq "$N"); do "$BIN" raw; "$BIN" jlc; done | sort -k1,1 -k3,3n |
awk '{ v[$1, ++n[$1]] = $3 }
     END { for (k in n) { m[k] = v[k, int((n[k] + 1) / 2)]; lo[k] = v[k, 1]; hi[k] = v[k, n[k]] }
           printf "jl_init_with_image: median %.3f s (%.3f..%.3f)\n", m["raw"], lo["raw"], hi["raw"]
           printf "jlc_init:           median %.3f s (%.3f..%.3f)\n", m["jlc"], lo["jlc"], hi["jlc"]
           printf "difference of medians:     %.3f s\n", m["jlc"] - m["raw"] }'
