#!/usr/bin/env bash
# Builds the API reference (HTML) from the comments of the public headers
# into $JLC_BUILD/docs/api (default: build/docs/api); open
# build/docs/api/index.html in a browser. Doxygen's warnings (a public name
# without a comment, a broken reference) are printed and fail the command.
# Needs doxygen only (not Julia, not a configured build); `setup.sh docs`
# installs it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${JLC_BUILD:-$ROOT/build}"
DOXYGEN="${DOXYGEN:-doxygen}"
if ! "$ROOT/scripts/setup.sh" docs; then
    echo "docs: scripts/setup.sh docs failed; going on with the doxygen already installed, if any" >&2
fi
if ! command -v "$DOXYGEN" >/dev/null 2>&1; then
    echo "docs: doxygen is not installed. Install it (Debian/Ubuntu: sudo apt-get install doxygen)" >&2
    echo "docs: or set DOXYGEN=/path/to/doxygen, then run scripts/docs.sh again." >&2
    exit 1
fi
exec "$ROOT/cmake/api_docs.sh" "$ROOT" "$BUILD/docs" "$DOXYGEN"
