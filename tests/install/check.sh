#!/usr/bin/env bash
# Installs the built jlc into a temporary prefix and proves the prefix works
# alone: no installed file names the build tree, and with the build tree and
# the clone's .deps hidden (a private mount namespace mounts empty folders over
# them), seven consumers build and run, each catching a Julia exception:
# find_package (shared, static), pkg-config (shared, --static, jlc-static,
# and a C++ build), one using a header the installed jlc-reflect writes
# (jlc_reflect()), and the installed Python package.
# Usage: check.sh <jlc build dir> <folder to hide>...
set -euo pipefail
BUILD="$(cd "$1" && pwd)"; shift
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$(cd "$HERE/../.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cmake --install "$BUILD" --prefix "$TMP/prefix" >/dev/null
cp "$HERE/consumer.c" "$HERE/consumer_reflect.c" "$HERE/consumer_types.jl" "$HERE/CMakeLists.txt" "$TMP/"

test -f "$TMP/prefix/share/doc/jlc/LICENSE" || { echo "install_consumer: LICENSE not installed" >&2; exit 1; }

# 1. Nothing installed refers to the build tree or the clone.
fail=0
for f in $(grep -rlI -e "$BUILD" -e "$SRC" "$TMP/prefix" || true); do
    echo "install_consumer: $f names the build tree:"; grep -n -e "$BUILD" -e "$SRC" "$f" | head -3
    fail=1
done
for f in $(find "$TMP/prefix" -name '*.so*' -type f); do
    if readelf -d "$f" | grep -E 'RUNPATH|RPATH' | grep -q -e "$BUILD" -e "$SRC"; then
        echo "install_consumer: $f has a build-tree RUNPATH:"; readelf -d "$f" | grep -E 'RUNPATH|RPATH'
        fail=1
    fi
done
[ $fail = 0 ] || exit 1

# 2. Build and run the consumers with the build tree and .deps out of reach.
cat > "$TMP/consumers.sh" <<SH
set -euo pipefail
for d in $*; do [ -d "\$d" ] && mount -t tmpfs jlc-hidden "\$d"; done
if [ -e "$BUILD/CMakeCache.txt" ]; then echo "install_consumer: could not hide $BUILD"; exit 1; fi
cd "$TMP"
cmake -S . -B build -DCMAKE_PREFIX_PATH="$TMP/prefix" >/dev/null
cmake --build build >/dev/null
export PKG_CONFIG_PATH="\$(ls -d "$TMP"/prefix/lib*/pkgconfig)"
cc consumer.c -o consumer_pc \$(pkg-config --cflags --libs jlc)
cc consumer.c -o consumer_pc_static \$(pkg-config --static --cflags --libs jlc)
cc consumer.c -o consumer_jlc_static \$(pkg-config --cflags --libs jlc-static)
g++ -x c++ -std=c++17 consumer.c -o consumer_cxx \$(pkg-config --cflags --libs jlc)
# the installed Python package finds the installed libjlc by itself
py=\$(PYTHONPATH="$TMP/prefix/share/jlc/python" JLC_LIBRARY= JLC_PREFIX= python3 -c '
import jlc
jlc.init()
with jlc.Scope() as s:
    x = s.eval("6 * 7").to_python()
    try:
        s.eval("[1, 2][5]")
    except jlc.JuliaError as e:
        print(x, e.type_name)
')
[ "\$py" = "42 BoundsError" ] || { echo "install_consumer: python said '\$py'"; exit 1; }
echo "python: \$py"
for c in build/consumer_cmake build/consumer_static consumer_pc consumer_pc_static consumer_jlc_static consumer_cxx build/consumer_reflect; do
    echo "\$c: \$(./\$c)"
done
SH
if unshare -m true 2>/dev/null; then
    unshare -m bash "$TMP/consumers.sh"
elif unshare -r -m true 2>/dev/null; then
    unshare -r -m bash "$TMP/consumers.sh"
else
    echo "install_consumer: cannot make a private mount namespace (unshare -m or -r -m) to hide the build tree"
    exit 1
fi
echo "install_consumer: 7 consumers (one C++, one with a jlc-reflect header) and the Python package ran against the installed prefix alone"
