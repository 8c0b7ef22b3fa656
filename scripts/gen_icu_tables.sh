#!/bin/sh
# Regenerates the tables the core takes from ICU, from the native ICU (Debian's libicu-dev, ICU
# 72.1), after a change to a generator or an ICU upgrade; commit the result:
#   core/src/char_classes.inc  (scripts/gen_char_classes.cpp)  what a typed name may contain
#   core/src/compat_map.inc    (scripts/gen_compat_map.cpp)    NFKC over NFC in the browser module
# The unit test (normalize_test, native) fails until each table matches the ICU it is built with.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for table in char_classes compat_map; do
  # shellcheck disable=SC2046 # pkg-config's flags are meant to split
  c++ -std=c++20 -O2 -Wall -Wextra -Werror -I"$root/core/src" -I"$root/scripts" "$root/scripts/gen_$table.cpp" \
    -o "$tmp/gen_$table" $(pkg-config --cflags --libs icu-uc)
  "$tmp/gen_$table" "$root/core/src/$table.inc"
  echo "wrote core/src/$table.inc"
done
