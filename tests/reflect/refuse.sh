#!/usr/bin/env bash
# jlc-reflect refuses what jlc cannot map, with a message naming the reason
# (and the field), exit status 1 and no header written.
# Usage: refuse.sh <jlc-reflect> <tests/data> <Julia version>
set -uo pipefail
TOOL="$1"; DATA="$2"; VERSION="$3"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
fail=0
# expect <message part> <args...>
expect() {
    local want="$1"; shift
    local err rc
    err="$("$TOOL" -o "$TMP/out.h" --include "$DATA/reflect_types.jl" "$@" 2>&1 >/dev/null)"
    rc=$?
    if [ $rc -ne 1 ]; then
        echo "FAIL: jlc-reflect $* exited $rc, expected 1"; fail=1
    elif [[ "$err" != *"$want"* ]]; then
        echo "FAIL: jlc-reflect $*: message lacks '$want':"; echo "  $err"; fail=1
    elif [ -e "$TMP/out.h" ]; then
        echo "FAIL: jlc-reflect $* wrote a header"; fail=1
    else
        echo "ok: $* -> $err"
    fi
}
expect '`Real` is not a concrete type (abstract)' Real
expect '`RPoint` is not concrete: it has free type parameters' RPoint
expect 'NoSuchType is not defined in Main' 'RPoint{Float64}' NoSuchType
expect '`Int64` is a primitive type, not a struct' Int64
expect '`Union{Int32, Float64}` is a Union, not a struct' 'Union{Int32, Float64}'
expect '`String` has no fixed size' String
expect 'field `r` of RInlineRefs has type RHoldsRefs, which Julia stores inline but which holds references' RInlineRefs
expect 'both map to the C name `Same`' --name 'RPoint{Float64}=Same' --name 'RPoint{Int32}=Same' 'RPoint{Float64}' 'RPoint{Int32}'
# Atomic fields exist from Julia 1.7 (reflect_types.jl defines RAtomic there).
if [ "$(printf '%s\n1.7\n' "$VERSION" | sort -V | head -n1)" = 1.7 ]; then
    expect 'field `n` of RAtomic is atomic' RAtomic
else
    echo "note: Julia $VERSION has no atomic fields (1.7+): RAtomic is not defined, so that refusal cannot be checked here"
    expect 'RAtomic is not defined in Main' RAtomic
fi
# A usage error is status 2.
"$TOOL" "$TMP/x.h" >/dev/null 2>&1
rc=$?
if [ $rc -ne 2 ]; then echo "FAIL: no -o: status $rc, expected 2"; fail=1; else echo "ok: no -o -> status 2"; fi
exit $fail
