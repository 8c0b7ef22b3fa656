#!/usr/bin/env bash
# Instructions per record of `doui verify` by callgrind: exact and repeatable on a busy machine,
# where wall-clock rates are not. Rewrites the "## Instructions per record" section of
# BENCHMARKS.md. With --against REV, the same is measured for the CLI built at REV (in a
# temporary git worktree), so a change can show it did not make verification slower.
#   scripts/bench-instructions.sh [--against REV]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
against=""
[ "${1:-}" = "--against" ] && against=$2
cmake --preset native >/dev/null && cmake --build --preset native --target doui doui_make_records >/dev/null
dir=build/bench/instructions
mkdir -p "$dir"
build/native/bench/doui_make_records 2000 > "$dir/canonical.ndjson"
# The same records re-serialised by another JSON library: every one takes the full schema walk.
head -n 300 "$dir/canonical.ndjson" | python3 -c '
import json, sys
for line in sys.stdin: print(json.dumps(json.loads(line), ensure_ascii=False))' > "$dir/reserialised.ndjson"
count() {  # count CLI FILE: instructions of `CLI verify FILE`, and its verdicts in $dir/verdicts
  valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" "$1" verify \
    --now 2100-01-01T00:00:00Z "$2" > "$dir/verdicts" 2>/dev/null
  callgrind_annotate "$dir/callgrind.out" | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,
}
rows=""
for cli in build/native/doui ${against:+against}; do
  bin=$cli label="this tree ($(git rev-parse --short HEAD)$(git diff --quiet || echo ', modified'))"
  if [ "$cli" = against ]; then
    wt=$(mktemp -d)
    git worktree add -q --detach "$wt" "$against"
    (cd "$wt" && cmake --preset native -DDOUI_BUILD_TESTS=OFF -DDOUI_BENCH=OFF >/dev/null &&
       cmake --build --preset native --target doui >/dev/null)
    bin=$wt/build/native/doui label="$(git rev-parse --short "$against")"
  fi
  key=${cli//\//-}
  fast=$(count "$bin" "$dir/canonical.ndjson"); cp "$dir/verdicts" "$dir/verdicts-fast-$key"
  full=$(count "$bin" "$dir/reserialised.ndjson"); cp "$dir/verdicts" "$dir/verdicts-full-$key"
  rows+="| $label | $(python3 -c "print(f'{$fast:,}')") | $(python3 -c "print(f'{$full:,}')") |"$'\n'
  if [ "$cli" = against ]; then git worktree remove --force "$wt"; fi
done
same=""
if [ -n "$against" ]; then
  if cmp -s "$dir/verdicts-fast-build-native-doui" "$dir/verdicts-fast-against" &&
     cmp -s "$dir/verdicts-full-build-native-doui" "$dir/verdicts-full-against"; then
    same=$'\n\nBoth builds give byte-identical verdicts on both files.'
  else
    same=$'\n\nThe two builds give different verdicts on these files.'
  fi
fi
section=$(cat <<MD
## Instructions per record (\`scripts/bench-instructions.sh${against:+ --against $against}\`, callgrind)

| build | \`doui verify\`, 2,000 canonical records (fast path) | 300 re-serialised records (full walk) |
|---|---:|---:|
${rows%$'\n'}

Whole runs, start-up included (the policy load is ~12 million of them). Instruction counts do not
depend on what else the machine is doing, so they compare builds where wall-clock rates cannot.
About 80 million of the fast path's are libsodium's SHA-256 over each record's variable bytes.${same}
MD
)
printf '%s\n' "$section" | python3 scripts/bench_section.py "Instructions per record"
echo "wrote the instructions section of BENCHMARKS.md"
