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

# Verification throughput: 100,000 varied records (NDJSON), the same file for both targets.
records=build/bench/records-100k.ndjson
mkdir -p build/bench
[ -s "$records" ] || build/native/bench/doui_make_records 100000 > "$records"
t0=$(date +%s.%N); build/native/doui verify --now 2100-01-01T00:00:00Z "$records" > build/bench/verdicts-native.ndjson; t1=$(date +%s.%N)
node build/wasm/doui.js verify --now 2100-01-01T00:00:00Z "$records" > build/bench/verdicts-wasm.ndjson; t2=$(date +%s.%N)
cmp -s build/bench/verdicts-native.ndjson build/bench/verdicts-wasm.ndjson && same=yes || same=no
valid=$(grep -c '"valid":true' build/bench/verdicts-native.ndjson || true)
# Peak memory of doui verify over a million records, streamed through a pipe.
/usr/bin/time -f '%M' -o build/bench/rss.txt sh -c \
  "build/native/bench/doui_make_records ${DOUI_BENCH_MILLION:-1000000} | build/native/doui verify --now 2100-01-01T00:00:00Z - > /dev/null"
rss_kb=$(tail -n1 build/bench/rss.txt)
verify_line=$(python3 -c "import sys; n=100000; a,b,c=map(float,sys.argv[1:4]); print(f'{n/(b-a):.0f} {n/(c-b):.0f} {(c-b)/(b-a):.2f}')" "$t0" "$t1" "$t2")

python3 - "$native_gb" "$native_loop" "$wasm_loop" "$browser" "$size" "$cpu" "$verify_line" "$same" "$valid" "$rss_kb" "${DOUI_BENCH_MILLION:-1000000}" > BENCHMARKS.md <<'PY'
import json, sys
gb, nloop, wloop, browser, size, cpu, verify_line, same, valid, rss_kb, million = sys.argv[1:12]
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
aims = {"BM_RenderHtml": "< 100 µs", "BM_VerifyRecord": "≤ 10 µs (100,000/s)"}
for r in gb["benchmarks"]:
    if r.get("aggregate_name") == "median":
        name = r["run_name"]
        print(f"| {name} | {r['real_time']:.1f} | {aims.get(name, '')} |")
print("\n## wasm / native ratio (the same timing loop on both targets, `bench/render_timing.cpp`)\n")
print("| operation | native µs | wasm (node) µs | ratio | browser module via JS µs |\n|---|---:|---:|---:|---:|")
for case in n:
    ratio = w[case] / n[case] if n[case] else 0
    shipped = f"{b[case]:.1f}" if case in b else "— (not in the browser module)"
    print(f"| {case} | {n[case]:.1f} | {w[case]:.1f} | {ratio:.2f}× | {shipped} |")
for case in b:
    if case not in n:
        print(f"| {case} (browser module only) | | | | {b[case]:.1f} |")
print("\nAim: wasm within 2× of native. The browser-module column is `bench/wasm_bench.mjs`: the "
      "shipped module (size-optimised) through its JS wrapper, including copying and decoding strings.\n")
nat, was, ratio = verify_line.split()
print("## Verification throughput (`doui verify` over 100,000 varied records, one core)\n")
print("| target | records / s | note |\n|---|---:|---|")
print(f"| native | {int(nat):,} | {valid} of 100,000 valid |")
print(f"| wasm (node) | {int(was):,} | {ratio}× the native time; verdicts byte-identical: {same} |")
print(f"\nPeak memory of `doui verify` over {int(million):,} records streamed through a pipe: "
      f"{int(rss_kb)/1024:.1f} MiB (maximum resident set size). Aim: 100,000 records/s per core "
      "natively, wasm within 2×; see the note below.\n")
print("## Browser module size (`node bench/size.mjs`)\n")
print(size.strip())
print("\nThe policy data is inside doui-core.wasm; ICU data is a trimmed package (icupkg: nfkc.nrm "
      "only). Aim and CI budget (`ctest -R size-budget` in the wasm preset): under 150 KB gzip.")
print("""
## Notes

- **Verification is below its aim of 100,000 records/s per core.** A record is ~3.8 KB because each
  of its three linkage decisions carries the recipient, purposes and data items (the APPI Art. 29
  record); re-deriving it means parsing that JSON (nlohmann_json DOM, about a third of the time),
  rebuilding the expected record and hashing its canonical form (libsodium's portable SHA-256,
  about a fifth). Callgrind (`valgrind --tool=callgrind build/native/doui verify …`) shows where.
  Memory stays flat: the verifier streams NDJSON line by line.
- The browser module is built for size (-Oz, LTO, ICU -Os); the node programs for speed (-O3, ICU
  -O2). The browser-module column therefore runs slower than the wasm column, and includes copying
  strings across the JS boundary.
- Timings on this shared 2-core VM vary by ±20% between runs; the ratios are what to compare.""")
PY
echo "wrote BENCHMARKS.md"
