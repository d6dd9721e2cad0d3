#!/usr/bin/env bash
# Builds the API reference from the public headers with docs/Doxyfile and
# fails on any Doxygen warning: an undocumented public function, type, macro
# or field, or a broken reference in a comment.
# Usage: api_docs.sh <repository root> <output dir> [doxygen executable]
# The HTML goes to <output dir>/api, the warnings to <output dir>/warnings.log.
set -euo pipefail
root="$(cd "$1" && pwd)"
out="$2"
doxygen="${3:-doxygen}"
if ! command -v "$doxygen" >/dev/null 2>&1; then
    echo "api_docs: doxygen not found; install it (Debian: apt-get install doxygen)" >&2
    exit 1
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -rf "$out/api" "$out/warnings.log"
version=$(sed -nE 's/^project\(jlc VERSION ([0-9.]+).*/\1/p' "$root/CMakeLists.txt")
JLC_ROOT="$root" JLC_DOCS_OUT="$out" JLC_VERSION="$version" \
    "$doxygen" "$root/docs/Doxyfile"
if [ -s "$out/warnings.log" ]; then
    cat "$out/warnings.log" >&2
    echo "api_docs: $(wc -l < "$out/warnings.log") warning line(s); see above" >&2
    exit 1
fi
echo "api_docs: reference built without warnings: $out/api/index.html"
