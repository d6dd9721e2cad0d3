#!/usr/bin/env bash
# Instruction counts per iteration for a bench program's counted cases
# (jlcb::add_case), under valgrind --tool=callgrind, and the program's ratio
# table computed from them. Deterministic where wall-clock ratios are noisy:
# what it leaves out is what the machine adds (caches, branch prediction,
# TLS and atomics cost the same one instruction each).
#   bench/callgrind.sh build/bench/bench_cfunc [iterations, default 20000]
set -euo pipefail
prog="$1"
n="${2:-20000}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --collect-atstart=no --smc-check=all-non-file \
    --callgrind-out-file="$out/cg.out" "$prog" "--jlcb_callgrind=$n" >"$out/stdout" 2>"$out/stderr" || {
    tail -20 "$out/stderr" >&2
    exit 1
}
# One dump per case: "desc: Trigger: Client Request: jlcb <name>" and "summary: <Ir>".
for f in "$out"/cg.out*; do
    awk '/^desc: Trigger: Client Request: jlcb /{name=$6} /^summary:/{ir=$2} END{if (name != "") print name, ir}' "$f"
done >"$out/counts"
awk -v n="$(awk '/^jlcb-iterations/{print $2}' "$out/stdout")" '
    FNR == NR { ir[$1] = $2 / n; next }
    /^jlcb-ratio/ {
        a = $2; b = $3; t = $4
        if (!(a in ir) || !(b in ir)) next
        r = ir[a] / ir[b]
        tgt = t > 0 ? sprintf("%s%.2f", r <= t ? "ok " : "MISS ", t) : "-"
        printf "%-34s %-26s %10.1f %10.1f %8.3f %8s\n", a, b, ir[a], ir[b], r, tgt
    }
    BEGIN { printf "%-34s %-26s %10s %10s %8s %8s\n", "jlc benchmark", "baseline", "jlc Ir", "base Ir", "ratio", "target" }
' "$out/counts" "$out/stdout"
