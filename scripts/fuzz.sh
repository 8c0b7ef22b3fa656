#!/usr/bin/env bash
# The long fuzz run: each libFuzzer target (clang, ASan + UBSan) for a number of executions, from
# the repo's seed corpus into build/fuzz/corpus/TARGET, then the "Fuzzing" section of
# BENCHMARKS.md rewritten with executions, speed, coverage and corpus growth.
#   scripts/fuzz.sh [RUNS_PER_TARGET...]   default: verify 8000000, policy 1000000, links 1000000,
#                                          cli 1000000, receipt 1000000, search 1000000
#                                          (13 million in all)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null
targets=(verify policy links)
[ -x build/fuzz/tests/fuzz/doui_cli_fuzz ] && targets+=(cli)
[ -x build/fuzz/tests/fuzz/doui_receipt_fuzz ] && targets+=(receipt)
[ -x build/fuzz/tests/fuzz/doui_search_fuzz ] && targets+=(search)
declare -A runs=([verify]=${1:-8000000} [policy]=${2:-1000000} [links]=${3:-1000000} [cli]=${4:-1000000}
                 [receipt]=${5:-1000000} [search]=${6:-1000000})
rows=""
total=0
for t in "${targets[@]}"; do
  seed="tests/fuzz/corpus/$t"
  out="build/fuzz/corpus/$t"
  mkdir -p "$out"
  before=$(find "$seed" "$out" -type f | wc -l)
  t0=$(date +%s)
  log=$("build/fuzz/tests/fuzz/doui_${t}_fuzz" -runs="${runs[$t]}" -max_len=65536 -print_final_stats=1 \
        "$out" "$seed" 2>&1)
  t1=$(date +%s)
  after=$(find "$seed" "$out" -type f | wc -l)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' <<<"$log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' <<<"$log")
  cov=$(grep -o 'cov: [0-9]*' <<<"$log" | tail -n1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' <<<"$log" | tail -n1 | cut -d' ' -f2)
  total=$((total + execs))
  rows+="| $t | $(printf "%'d" "$execs") | $(printf "%'d" "$speed") | $((t1 - t0)) | $cov | $ft | $before → $after |"$'\n'
  echo "$t: $execs executions, cov $cov, ft $ft, corpus $before -> $after" >&2
done
section=$(cat <<EOF
## Fuzzing (\`scripts/fuzz.sh\`, libFuzzer with ASan + UBSan, one core)

| target | executions | exec/s | seconds | coverage (edges) | features | corpus files (seed+found → after) |
|---|---:|---:|---:|---:|---:|---|
${rows}
$(printf "%'d" "$total") executions in all, no crash, leak or sanitizer report. Targets: \`verify\` (verify_record, fast path against full walk, export), \`policy\` (the policy loader, then rendering, disclosures and a record), \`links\` (the links loader and the HTML of what it accepts)$( [ -x build/fuzz/tests/fuzz/doui_cli_fuzz ] && echo ", \`cli\` (the CLI's argument parsing)" )$( [ -x build/fuzz/tests/fuzz/doui_receipt_fuzz ] && echo ", \`receipt\` (verify_receipt and the key file loaders)" )$( [ -x build/fuzz/tests/fuzz/doui_search_fuzz ] && echo ", \`search\` (the in-page search on arbitrary text and queries)" ). Every target's seed corpus also replays as a test in every preset.
EOF
)
python3 - "$section" <<'PY'
import re, sys
path = "BENCHMARKS.md"
text = open(path, encoding="utf-8").read()
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"## Fuzzing .*?(?=\n## |\Z)", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w", encoding="utf-8").write(text)
PY
echo "BENCHMARKS.md: Fuzzing section rewritten" >&2
