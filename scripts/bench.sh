#!/usr/bin/env bash
# Measures speed and size and rewrites BENCHMARKS.md. Run on an otherwise idle machine:
#   scripts/bench.sh
# Needs the native and wasm presets built (scripts/test.sh or scripts/demo.sh builds them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NODE_PATH=/usr/share/nodejs
cmake --build --preset native >/dev/null
cmake --build --preset wasm >/dev/null

native_gb=$(build/native/bench/doui_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_format=json 2>/dev/null)
native_loop=$(build/native/bench/doui_render_timing)
wasm_loop=$(node build/wasm/bench/doui_render_timing.js)
browser=$(node bench/wasm_bench.mjs)
size=$(node bench/size.mjs)
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n1)

python3 - "$native_gb" "$native_loop" "$wasm_loop" "$browser" "$size" "$cpu" > BENCHMARKS.md <<'PY'
import json, sys
gb, nloop, wloop, browser, size, cpu = sys.argv[1:7]
gb = json.loads(gb)
def loop(text):
    return {j["case"]: j["us_per_op"] for j in map(json.loads, text.strip().splitlines())}
n, w, b = loop(nloop), loop(wloop), loop(browser)
print("# Benchmarks\n")
print("Reproduce with `scripts/bench.sh` (it rewrites this file) on an idle machine. Measured on: "
      f"{cpu}, 2 cores, Debian 12; g++ 12 -O3 natively, Emscripten 3.1.6 (-O3 for the node programs, "
      "-Oz -flto for the browser module), node 20.\n")
print("## Native (Google Benchmark, `build/native/bench/doui_bench`)\n")
print("| benchmark | median µs | aim |\n|---|---:|---|")
aims = {"BM_RenderHtml": "< 100 µs"}
for r in gb["benchmarks"]:
    if r.get("aggregate_name") == "median":
        name = r["run_name"]
        print(f"| {name} | {r['real_time']:.1f} | {aims.get(name, '')} |")
print("\n## wasm / native ratio (the same timing loop on both targets, `bench/render_timing.cpp`)\n")
print("| operation | native µs | wasm (node) µs | ratio | browser module via JS µs |\n|---|---:|---:|---:|---:|")
for case in n:
    ratio = w[case] / n[case] if n[case] else 0
    print(f"| {case} | {n[case]:.1f} | {w[case]:.1f} | {ratio:.2f}× | {b.get(case, float('nan')):.1f} |")
print("\nAim: wasm within 2× of native. The browser-module column is `bench/wasm_bench.mjs`: the "
      "shipped module (size-optimised) through its JS wrapper, including copying and decoding strings.\n")
print("## Browser module size (`node bench/size.mjs`)\n")
print(size.strip())
print("\nThe policy data is inside doui-core.wasm; ICU data is a trimmed package (icupkg: nfkc.nrm "
      "only). Aim and CI budget (`ctest -R size-budget` in the wasm preset): under 150 KB gzip.")
PY
echo "wrote BENCHMARKS.md"
