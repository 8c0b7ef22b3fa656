#!/usr/bin/env bash
# Runs every test doui has, on a fresh machine too: installs what is missing (scripts/setup.sh),
# then builds and tests each preset. Warnings are errors in every build.
#   native       unit tests (GoogleTest) + the CLI suite against build/native/doui + the installed
#                CMake package, built into a consumer (tests/consumer)
#   native-asan  the same under AddressSanitizer + UndefinedBehaviorSanitizer (clang), but the package
#   wasm         the same unit tests under node, the CLI suite against build/wasm/doui.js,
#                native/wasm byte parity, the browser module in headless Chromium, the size budget,
#                the Node module's verdicts against build/native/doui (tests/node)
#   fuzz         a short libFuzzer run of each target: verify_record, the policy and links
#                loaders, the CLI's argument parser, receipts and key files, the search
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
# Each libFuzzer target for a share of DOUI_FUZZ_SECONDS (default 60): verify_record on arbitrary
# bytes (half), the policy loader, the links loader, the CLI's arguments, receipts and the search
# (a sixth each). Seed corpora are in the repo; new inputs
# go to build/ so the clone stays clean. (Their corpora also replay in every preset's ctest.)
FUZZ_SECONDS=${DOUI_FUZZ_SECONDS:-60}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
for target in verify policy links cli receipt search; do
  [ "$target" = verify ] && share=$((FUZZ_SECONDS / 2)) || share=$((FUZZ_SECONDS / 6))
  echo "== fuzz: $target ($share s, ASan + UBSan)"
  mkdir -p "build/fuzz/corpus/$target"
  "build/fuzz/tests/fuzz/doui_${target}_fuzz" -max_total_time="$share" -max_len=65536 \
    -print_final_stats=1 "build/fuzz/corpus/$target" "tests/fuzz/corpus/$target" 2>&1 | tail -n 12
done
echo "== all presets passed"
echo "presets: 4 passed, 0 failed"
