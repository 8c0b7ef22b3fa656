#!/usr/bin/env bash
# Runs every test doui has, on a fresh machine too: installs what is missing (scripts/setup.sh),
# then builds and tests each preset. Warnings are errors in every build.
#   native       unit tests (GoogleTest) + the CLI suite against build/native/doui
#   native-asan  the same under AddressSanitizer + UndefinedBehaviorSanitizer (clang)
#   wasm         the same unit tests under node, the CLI suite against build/wasm/doui.js,
#                native/wasm byte parity, the browser module in headless Chromium, the size budget
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
export NODE_PATH=/usr/share/nodejs

echo "== clang-format"
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || true)
if [ ${#sources[@]} -gt 0 ]; then clang-format --dry-run --Werror "${sources[@]}"; fi

for preset in native native-asan wasm; do
  echo "== $preset"
  cmake --workflow --preset "$preset"
done
echo "== all presets passed"
