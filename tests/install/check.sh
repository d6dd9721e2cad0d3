#!/usr/bin/env bash
# Installs the built jlc into a temporary prefix, then builds and runs a
# consumer with find_package(jlc) (shared and static) and with pkg-config.
# Usage: check.sh <jlc build dir>
set -euo pipefail
BUILD="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cmake --install "$BUILD" --prefix "$TMP/prefix" >/dev/null
test -f "$TMP/prefix/share/doc/jlc/LICENSE" || { echo "install_consumer: LICENSE not installed" >&2; exit 1; }
cmake -S "$HERE" -B "$TMP/build" -DCMAKE_PREFIX_PATH="$TMP/prefix" >/dev/null
cmake --build "$TMP/build" >/dev/null
"$TMP/build/consumer_cmake"
"$TMP/build/consumer_static"
PC="$(ls -d "$TMP"/prefix/lib*/pkgconfig)"
cc "$HERE/consumer.c" -o "$TMP/consumer_pc" $(PKG_CONFIG_PATH="$PC" pkg-config --cflags --libs jlc) \
   -Wl,-rpath,"$(dirname "$PC")"
"$TMP/consumer_pc"
echo "install_consumer: 3 consumers built and ran"
