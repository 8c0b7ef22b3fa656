#!/bin/sh
# Regenerates core/src/char_classes.inc from the native ICU (Debian's libicu-dev, ICU 72.1) after
# a change to the rules in scripts/gen_char_classes.cpp or an ICU upgrade; commit the result.
# The unit test (normalize_test, native) fails until the table matches the ICU it is built with.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046 # pkg-config's flags are meant to split
c++ -std=c++20 -O2 -Wall -Wextra -Werror -I"$root/core/src" "$root/scripts/gen_char_classes.cpp" \
  -o "$tmp/gen" $(pkg-config --cflags --libs icu-uc)
"$tmp/gen" "$root/core/src/char_classes.inc"
echo "wrote core/src/char_classes.inc"
