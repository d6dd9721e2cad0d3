#!/usr/bin/env bash
# Runs the whole suite, both lanes (like scripts/test.sh), against each Julia
# listed in JLC_JULIA_DIRS (install prefixes, colon-separated; default: the
# Julia scripts/setup.sh picks), each in its own build folder
# (build-matrix/<version>), and prints one line per release:
#   julia <version>  normal: P passed / F failed  gcstress: P passed / F failed
# Exits non-zero if anything failed; a failing release does not stop the others.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IFS=: read -r -a DIRS <<<"${JLC_JULIA_DIRS:-}"
[ ${#DIRS[@]} -eq 0 ] && DIRS=("")
summary=()
status=0

# "P passed / F failed" from ctest's output ("NN% tests passed, F tests failed out of T").
counts() {
    local line total failed
    line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$1" | tail -n1)
    [ -n "$line" ] || { echo "did not run"; return; }
    failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
    echo "$((total - failed)) passed / $failed failed"
}

for dir in "${DIRS[@]}"; do
    if [ -n "$dir" ]; then export JULIA_DIR="$dir"; else unset JULIA_DIR; fi
    exe="${dir:+$dir/bin/}julia"
    ver=$("$exe" --startup-file=no -e 'print(VERSION)' 2>/dev/null ||
          LD_LIBRARY_PATH="$ROOT/.deps/libunwind/usr/lib/x86_64-linux-gnu" "$exe" --startup-file=no -e 'print(VERSION)' 2>/dev/null ||
          echo unknown)
    build="$ROOT/build-matrix/$ver"
    log="$build.log"
    mkdir -p "$build"
    echo "==== Julia $ver (${dir:-default}) -> $build"
    if ! JLC_BUILD="$build" "$ROOT/scripts/build.sh" test >"$log" 2>&1; then
        summary+=("julia $ver  build failed (see $log)")
        status=1
        continue
    fi
    (cd "$build" && ctest --output-on-failure -j 2 -L 'unit|example') >"$build/normal.log" 2>&1 || status=1
    (cd "$build" && ctest --output-on-failure -j 2 -L gcstress) >"$build/gcstress.log" 2>&1 || status=1
    grep -E "^ *[0-9]+/[0-9]+ Test .*(Failed|Timeout|Exception)" "$build/normal.log" "$build/gcstress.log" | sed 's/^/    /'
    summary+=("julia $ver  normal: $(counts "$build/normal.log")  gcstress: $(counts "$build/gcstress.log")")
done

echo "==== version matrix ($(date -u +%Y-%m-%d))"
printf '%s\n' "${summary[@]}"
exit $status
