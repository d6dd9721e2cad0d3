#!/usr/bin/env bash
# jlc setup: make sure a Julia, a C toolchain and the test/bench libraries are
# present. Idempotent; safe to run on every build.
#
# Julia selection, first match wins:
#   1. $JULIA_DIR (a Julia install prefix: $JULIA_DIR/bin/julia)
#   2. `julia` on PATH
#   3. Debian's Julia 1.5.3 from the bullseye suite, installed here with a
#      one-off apt sources list (the machine's apt configuration is not changed).
#
# Debian's 1.5.3 was built against bullseye's libunwind 1.3.2; with bookworm's
# 1.6.2 most Julia exceptions segfault. So for that Julia we also unpack
# bullseye's libunwind8 into $JLC_DEPS/libunwind (the system copy stays) and the
# build links it ahead of libjulia.
#
# Prints nothing on success but a summary; writes $JLC_DEPS/julia.env.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JLC_DEPS="${JLC_DEPS:-$ROOT/.deps}"
mkdir -p "$JLC_DEPS"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

log() { echo "setup: $*" >&2; }

apt_updated=0
apt_install() {
    # Install Debian packages from the machine's own sources when missing.
    local missing=()
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ $apt_updated = 0 ]; then
        $SUDO apt-get update -qq >/dev/null
        apt_updated=1
    fi
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The machine's Debian mirror, read from its own apt sources (never hard-coded).
debian_mirror() {
    local uri=""
    if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
        uri=$(awk '/^URIs:/ {print $2}' /etc/apt/sources.list.d/*.sources \
              | grep -v -- '-security' | head -n1 || true)
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' \
              /etc/apt/sources.list || true)
    fi
    [ -n "$uri" ] || { log "no Debian mirror found in /etc/apt sources"; exit 1; }
    echo "${uri%/}"
}

# A private apt state holding the machine's sources plus bullseye, used only
# through -o options so /etc/apt is left untouched.
BULLSEYE_APT="$JLC_DEPS/apt-bullseye"
bullseye_apt_opts() {
    echo "-o Dir::Etc::sourcelist=$BULLSEYE_APT/sources.list" \
         "-o Dir::Etc::sourceparts=$BULLSEYE_APT/sources.list.d" \
         "-o Dir::State::Lists=$BULLSEYE_APT/lists" \
         "-o Dir::Cache::archives=$BULLSEYE_APT/archives" \
         "-o Dir::Cache::pkgcache=" "-o Dir::Cache::srcpkgcache="
}
bullseye_apt_prepare() {
    [ -f "$BULLSEYE_APT/.updated" ] && return 0
    local mirror; mirror=$(debian_mirror)
    mkdir -p "$BULLSEYE_APT/sources.list.d" "$BULLSEYE_APT/lists/partial" \
             "$BULLSEYE_APT/archives/partial"
    local codename; codename=$(. /etc/os-release; echo "${VERSION_CODENAME:-bookworm}")
    {
        echo "deb $mirror $codename main"
        echo "deb $mirror bullseye main"
    } > "$BULLSEYE_APT/sources.list"
    log "reading package lists for $codename + bullseye from $mirror"
    # shellcheck disable=SC2046
    $SUDO apt-get $(bullseye_apt_opts) update -qq >/dev/null
    touch "$BULLSEYE_APT/.updated"
}

install_debian_julia() {
    bullseye_apt_prepare
    log "installing Debian's Julia 1.5.3 (bullseye)"
    # shellcheck disable=SC2046
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get $(bullseye_apt_opts) install -y -qq \
        -t bullseye julia libjulia-dev >/dev/null
}

fetch_bullseye_libunwind() {
    local dest="$JLC_DEPS/libunwind"
    if ls "$dest"/usr/lib/*/libunwind.so.8 >/dev/null 2>&1; then return 0; fi
    bullseye_apt_prepare
    local tmp; tmp=$(mktemp -d); chmod 755 "$tmp"
    log "fetching bullseye's libunwind8 1.3.2 into $dest"
    # shellcheck disable=SC2046
    (cd "$tmp" && apt-get $(bullseye_apt_opts) download -qq libunwind8/bullseye >/dev/null)
    rm -rf "$dest"; mkdir -p "$dest"
    dpkg -x "$tmp"/libunwind8_*.deb "$dest"
    rm -rf "$tmp"
}

# --- toolchain, test framework, benchmark support -------------------------
apt_install build-essential g++ cmake pkg-config libcmocka-dev libbenchmark-dev
# Python 3 for the Python package's tests (python/), from Debian when missing.
command -v python3 >/dev/null 2>&1 || apt_install python3

# --- Julia -----------------------------------------------------------------
JULIA_BIN=""
if [ -n "${JULIA_DIR:-}" ]; then
    JULIA_BIN="$JULIA_DIR/bin/julia"
    [ -x "$JULIA_BIN" ] || { log "JULIA_DIR=$JULIA_DIR has no bin/julia"; exit 1; }
elif command -v julia >/dev/null 2>&1; then
    JULIA_BIN="$(command -v julia)"
else
    install_debian_julia
    JULIA_BIN=/usr/bin/julia
fi
JULIA_BIN="$(readlink -f "$JULIA_BIN")"

# Debian's packaged Julia needs the old libunwind; official builds bundle theirs.
LIBUNWIND=""
if dpkg -S "$JULIA_BIN" >/dev/null 2>&1; then
    fetch_bullseye_libunwind
    LIBUNWIND=$(ls "$JLC_DEPS"/libunwind/usr/lib/*/libunwind.so.8 | head -n1)
fi

JULIA_LD=""
[ -n "$LIBUNWIND" ] && JULIA_LD="$(dirname "$LIBUNWIND")"
VERSION=$(LD_LIBRARY_PATH="$JULIA_LD${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$JULIA_BIN" --startup-file=no -e 'print(VERSION)')

cat > "$JLC_DEPS/julia.env" <<ENV
JLC_JULIA_BIN=$JULIA_BIN
JLC_JULIA_VERSION=$VERSION
JLC_LIBUNWIND=$LIBUNWIND
ENV
log "Julia $VERSION at $JULIA_BIN${LIBUNWIND:+ (with private libunwind $LIBUNWIND)}"
