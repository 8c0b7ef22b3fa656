#!/usr/bin/env bash
# Runs every test doui has, on a fresh machine too: installs what is missing (scripts/setup.sh),
# then builds and tests each preset. Warnings are errors in every build.
#   native       unit tests (GoogleTest) + the CLI suite against build/native/doui
#   native-asan  the same under AddressSanitizer + UndefinedBehaviorSanitizer (clang)
#   wasm         the same unit tests under node, the CLI suite against build/wasm/doui.js,
#                native/wasm byte parity, the browser module in headless Chromium, the size budget
#   fuzz         a short libFuzzer run of verify_record (clang, ASan + UBSan)
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
echo "== fuzz: verify_record on arbitrary bytes (${DOUI_FUZZ_SECONDS:-60} s, ASan + UBSan)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
mkdir -p build/fuzz/corpus
# The seed corpus is in the repo; new inputs go to build/ so the clone stays clean.
build/fuzz/tests/fuzz/doui_verify_fuzz -max_total_time="${DOUI_FUZZ_SECONDS:-60}" -max_len=65536 \
  -print_final_stats=1 build/fuzz/corpus tests/fuzz/corpus/verify 2>&1 | tail -n 12
echo "== all presets passed"
echo "presets: 4 passed, 0 failed"
