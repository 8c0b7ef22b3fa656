#!/usr/bin/env bash
# Installs everything doui needs, idempotently: Debian packages, npm packages, and ICU + libsodium
# built for WebAssembly from Debian's source packages (Emscripten's ports cannot be downloaded here).
# Built libraries go to a cache outside the clone ($DOUI_CACHE) that later runs reuse.
# Usage: scripts/setup.sh [--no-wasm]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${DOUI_CACHE:-/var/cache/doui}
WANT_WASM=1
[ "${1:-}" = "--no-wasm" ] && WANT_WASM=0
JOBS=$(nproc)
log() { printf '[setup] %s\n' "$*" >&2; }
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

# ---- Debian packages -------------------------------------------------------------------------
PKGS=(build-essential cmake ninja-build clang clang-format libclang-rt-14-dev lld
  libicu-dev icu-devtools nlohmann-json3-dev googletest libsodium-dev libbenchmark-dev
  emscripten node-acorn binaryen wabt chromium fonts-noto-cjk
  autoconf automake libtool pkg-config dpkg-dev gzip python3
  libcpp-httplib-dev libsqlite3-dev libpq-dev postgresql wrk)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- npm packages (playwright-core for browser tests; closure compiler for the wasm glue) ----------
if [ ! -d "$ROOT/node_modules/playwright-core" ] || [ ! -d "$ROOT/node_modules/google-closure-compiler" ] ||
   [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  log "npm ci"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

[ "$WANT_WASM" = 1 ] || exit 0

# ---- Debian source packages for the wasm libraries ------------------------------------------------
mkdir -p "$CACHE/src"
if ! ls "$CACHE"/src/icu_72.1*.dsc >/dev/null 2>&1 || ! ls "$CACHE"/src/libsodium_1.0.18*.dsc >/dev/null 2>&1; then
  if [ -f /etc/apt/sources.list.d/debian.sources ] &&
     ! grep -q '^Types:.*deb-src' /etc/apt/sources.list.d/debian.sources; then
    log "enabling deb-src for the Debian sources already configured"
    $SUDO sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
  fi
  $SUDO apt-get update -qq
  (cd "$CACHE/src" && apt-get source --download-only -qq icu libsodium >/dev/null)
fi

export NODE_PATH=/usr/share/nodejs
PREFIX="$CACHE/wasm"
mkdir -p "$PREFIX"

# ---- ICU 72 for wasm ------------------------------------------------------------------------------
ICU_SRC="$CACHE/icu-src"
if [ ! -f "$ICU_SRC/.stamp" ]; then
  log "unpacking ICU (with Debian's patches)"
  rm -rf "$ICU_SRC"
  dsc=$(ls "$CACHE"/src/icu_72.1*.dsc | head -n1)
  dpkg-source --no-check -x "$dsc" "$ICU_SRC" >/dev/null
  touch "$ICU_SRC/.stamp"
fi
HOST="$CACHE/icu-host"
if [ ! -f "$HOST/.stamp" ]; then
  log "building ICU for the host (tools for the cross build, ~4 min)"
  rm -rf "$HOST"; mkdir -p "$HOST"
  (cd "$HOST" && "$ICU_SRC/source/configure" --disable-tests --disable-samples --disable-extras \
      --with-data-packaging=archive >/dev/null && mkdir -p data/out/tmp && make -j"$JOBS" >/dev/null 2>&1)
  touch "$HOST/.stamp"
fi
UCONFIG_DEFS="-DUCONFIG_NO_LEGACY_CONVERSION=1 -DUCONFIG_NO_TRANSLITERATION=1 -DUCONFIG_NO_SERVICE=1"
# Two builds: -O2 for the node programs (CLI, tests, benchmarks: speed), -Os for the browser
# module (NFKC of a name or a date is microseconds either way; size is what the widget pays).
build_icu_wasm() {  # build_icu_wasm PREFIX CFLAGS DIRS...
  local prefix=$1 flags=$2
  shift 2
  local cross="$CACHE/icu-wasm-build$flags"
  rm -rf "$cross"; mkdir -p "$cross"
  (cd "$cross" && emconfigure "$ICU_SRC/source/configure" --host=wasm32-unknown-linux-gnu \
      --with-cross-build="$HOST" --prefix="$prefix" --enable-static --disable-shared \
      --with-data-packaging=static --disable-tools --disable-extras --disable-tests --disable-samples \
      --disable-dyload --disable-icuio --disable-layoutex \
      CFLAGS="$flags" CXXFLAGS="$flags" CPPFLAGS="$UCONFIG_DEFS" >/dev/null 2>&1 &&
    mkdir -p lib bin &&
    for d in stubdata "$@"; do emmake make -j"$JOBS" -C "$d" >/dev/null 2>&1; done &&
    for d in "$@"; do emmake make -C "$d" install >/dev/null 2>&1; done)
  # The UCONFIG switches must match for the library and every file that includes ICU headers.
  python3 - "$prefix/include/unicode/uconfig.h" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
marker = "/* doui: switches the wasm ICU was built with */"
if marker not in s:
    add = marker + "\n#define UCONFIG_NO_LEGACY_CONVERSION 1\n#define UCONFIG_NO_TRANSLITERATION 1\n#define UCONFIG_NO_SERVICE 1\n"
    s = s.replace("#define __UCONFIG_H__\n", "#define __UCONFIG_H__\n" + add, 1)
    open(p, "w").write(s)
PY
}
if [ ! -f "$PREFIX/.icu-stamp-o2" ]; then
  log "building ICU for wasm, -O2 (~3 min)"
  build_icu_wasm "$PREFIX" -O2 common i18n
  touch "$PREFIX/.icu-stamp-o2"
fi
SIZE_PREFIX="$CACHE/wasm-size"
if [ ! -f "$SIZE_PREFIX/.icu-stamp-os" ]; then
  log "building ICU for wasm, -Os, for the browser module (~2 min)"
  mkdir -p "$SIZE_PREFIX"
  build_icu_wasm "$SIZE_PREFIX" -Os common
  touch "$SIZE_PREFIX/.icu-stamp-os"
fi

# ---- trimmed ICU data packages (icupkg) ------------------------------------------------------------
# browser: NFKC only (NFC is built into the library). No wasm program reads it any more: in wasm
# normalize.cpp compiles ICU's NFC data in and builds NFKC over it (core/src/compat_map.hpp);
# wasm/node still names it in its link line.
# cli: NFKC + the ja line-break rules.
DATA="$CACHE/icu-data"
if [ ! -f "$DATA/.stamp-v1" ]; then
  log "building trimmed ICU data"
  rm -rf "$DATA"; mkdir -p "$DATA/items"
  icupkg -d "$DATA/items" -x '*' "$ICU_SRC/source/data/in/icudt72l.dat" >/dev/null
  printf '%s\n' nfkc.nrm > "$DATA/browser.txt"
  printf '%s\n' nfkc.nrm brkitr/root.res brkitr/ja.res brkitr/line.brk brkitr/line_normal.brk \
    brkitr/line_cj.brk brkitr/line_normal_cj.brk brkitr/line_loose.brk brkitr/line_loose_cj.brk \
    > "$DATA/cli.txt"
  for kind in browser cli; do
    mkdir -p "$DATA/$kind"
    # The output file name sets the package's table-of-contents prefix (icudt72l).
    icupkg -tl --ignore-deps -s "$DATA/items" -a "$DATA/$kind.txt" new "$DATA/$kind/icudt72l.dat" >/dev/null
    cp "$DATA/$kind/icudt72l.dat" "$DATA/$kind/icudt72.dat"
    (cd "$DATA/$kind" && genccode icudt72.dat >/dev/null)  # -> icudt72_dat.c, symbol icudt72_dat
  done
  touch "$DATA/.stamp-v1"
fi

# ---- libsodium for wasm ------------------------------------------------------------------------
if [ ! -f "$PREFIX/.sodium-stamp-os" ]; then
  log "building libsodium for wasm (~3.5 min)"
  SOD="$CACHE/libsodium-src"
  rm -rf "$SOD"
  dsc=$(ls "$CACHE"/src/libsodium_1.0.18*.dsc | head -n1)
  dpkg-source --no-check -x "$dsc" "$SOD" >/dev/null
  (cd "$SOD" && ./autogen.sh -s >/dev/null 2>&1 &&
    emconfigure ./configure --host=wasm32-unknown-linux-gnu --prefix="$PREFIX" --disable-shared \
      --enable-static --disable-asm --disable-ssp --without-pthreads --enable-minimal CFLAGS=-Os >/dev/null 2>&1 &&
    emmake make -j"$JOBS" >/dev/null 2>&1 && make install >/dev/null 2>&1)
  touch "$PREFIX/.sodium-stamp-os"
fi
log "ready: wasm libraries in $PREFIX, ICU data in $DATA"
