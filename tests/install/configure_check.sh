#!/usr/bin/env bash
# Configuring jlc without the private libunwind: when this Julia needs one
# (the build under test has JLC_LIBUNWIND), configure must stop and say what
# to run; when it does not, configure must succeed.
# Usage: configure_check.sh <source dir> <julia dir or ""> <libunwind or "">
set -euo pipefail
SRC="$1"; JDIR="$2"; UNW="$3"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
set +e
JLC_DEPS="$TMP/no-deps" cmake -S "$SRC" -B "$TMP/build" ${JDIR:+-DJULIA_DIR="$JDIR"} \
    -DJLC_BUILD_TESTS=OFF -DJLC_BUILD_EXAMPLES=OFF -DJLC_BUILD_BENCH=OFF >"$TMP/log" 2>&1
rc=$?
set -e
if [ -n "$UNW" ]; then
    if [ $rc = 0 ]; then echo "configure_check: configure succeeded without the libunwind this Julia needs"; exit 1; fi
    grep -q "crashes on a caught" "$TMP/log" && grep -q "scripts/setup.sh" "$TMP/log" \
        || { echo "configure_check: configure failed, but not with the expected message:"; cat "$TMP/log"; exit 1; }
    echo "configure_check: refused as expected:"; grep -A4 "crashes on a caught" "$TMP/log" | head -6
else
    [ $rc = 0 ] || { echo "configure_check: configure failed:"; cat "$TMP/log"; exit 1; }
    echo "configure_check: this Julia needs no private libunwind; configure succeeded"
fi
