#!/usr/bin/env bash
# Load on `doui serve` with wrk on loopback: durably stored, verified consents per second and
# latency percentiles, over SQLite and over PostgreSQL (a server started here on loopback, as the
# tests do), at several numbers of connections; and `doui verify` over the same records for
# comparison. Every request POSTs a record never sent before (bench/server_load.lua), so each is
# verified, appended and committed before its 201. Rewrites the "## Server load" section of
# BENCHMARKS.md. Run on an otherwise idle machine: wrk and the server share its cores.
#   scripts/bench-server.sh [SECONDS]   (default 10 per run)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_PER_RUN=${1:-10}
command -v wrk >/dev/null || { echo "needs wrk (scripts/setup.sh installs it)" >&2; exit 2; }
cmake --preset native >/dev/null && cmake --build --preset native --target doui doui_make_records >/dev/null
dir=$(mktemp -d /tmp/doui-bench-server.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "${PGDATA:-}" ] && $PGRUN "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
# Records in the past (12,000 hours from 2025-04-01), one subject each: every one is a first consent.
build/native/bench/doui_make_records 80000 load- 12000 > "$dir/records.ndjson"
build/native/doui key new --out "$dir/key" >/dev/null

serve() {  # serve DB: starts doui serve, sets PORT and PID
  build/native/doui serve --port 0 --db "$1" --key "$dir/key" > "$dir/serve.out" 2> "$dir/serve.err" &
  PID=$!
  for _ in $(seq 100); do
    PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/serve.out")
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  echo "doui serve did not start: $(cat "$dir/serve.err")" >&2
  exit 1
}
load() {  # load CONNECTIONS: one wrk run; prints "rate p50 p99" (rate: 201s a second)
  local threads=2 out
  [ "$1" -lt 2 ] && threads=1
  out=$(DOUI_RECORDS="$dir/records.ndjson" DOUI_THREADS=$threads \
        wrk -t"$threads" -c"$1" -d"${SECONDS_PER_RUN}s" -s bench/server_load.lua "http://127.0.0.1:$PORT" |
        sed -n 's/^DOUI //p')
  python3 -c '
import sys
kv = dict(x.split("=") for x in sys.argv[1].split())
rate = int(kv["created"]) / float(kv["seconds"])
print("%.0f %s %s %s" % (rate, kv["p50"], kv["p99"], kv["other"]))' "$out"
}

PGBIN=/usr/lib/postgresql/15/bin
PGRUN=""
[ "$(id -u)" -eq 0 ] && PGRUN="runuser -u postgres --"
PGDATA="$dir/pg"
mkdir -p "$PGDATA"
[ "$(id -u)" -eq 0 ] && chown postgres "$dir" "$PGDATA" && chmod 777 "$dir"
$PGRUN "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
PGPORT=$((20000 + RANDOM % 20000))
$PGRUN "$PGBIN/pg_ctl" -D "$PGDATA" -l "$dir/pg.log" -w -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $dir" start >/dev/null

rows=""
n=0
for backend in sqlite postgresql; do
  for conns in 1 4 16 64; do
    n=$((n + 1))
    if [ "$backend" = sqlite ]; then
      db="sqlite:$dir/ledger$n.db"
    else
      psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -qc "CREATE DATABASE ledger$n" >/dev/null
      db="postgresql://postgres@127.0.0.1:$PGPORT/ledger$n"
    fi
    serve "$db"
    read -r rate p50 p99 other < <(load "$conns")
    kill "$PID"; wait "$PID" 2>/dev/null || true
    check=$(build/native/doui ledger check --db "$db" | sed -n 's/.*"valid":\(true\|false\).*/\1/p')
    rows+="| $backend | $conns | $rate | $p50 | $p99 | $other | $check |"$'\n'
  done
done
# doui verify over the same records, one core, for comparison.
t0=$(date +%s.%N)
build/native/doui verify --now 2100-01-01T00:00:00Z "$dir/records.ndjson" > /dev/null
t1=$(date +%s.%N)
verify_rate=$(python3 -c "print(f'{80000 / ($t1 - $t0):,.0f}')")
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n1)

section=$(cat <<MD
## Server load (\`scripts/bench-server.sh\`, wrk on loopback)

Each request POSTs a record never sent before, so each is verified, appended to the ledger and
committed (SQLite: WAL, synchronous=FULL; PostgreSQL: synchronous_commit=on) before its 201;
"consents/s" counts 201s. ${SECONDS_PER_RUN} s a run, a fresh ledger each, wrk and the server
sharing this machine's 2 cores ($cpu). "ledger check" is \`doui ledger check\` after the run.

| ledger | connections | consents/s | p50 ms | p99 ms | answers not 201 | ledger check |
|---|---:|---:|---:|---:|---:|---|
${rows%$'\n'}

For comparison, \`doui verify\` checks the same records at $verify_rate a second on one core: the
server's cost per consent is the HTTP exchange, the ledger's append and its share of a commit.
Aim (issue #8): at least 2,000 consents/s, and p99 under 20 ms at half that rate.
MD
)
printf '%s\n' "$section" | python3 scripts/bench_section.py "Server load"
echo "wrote the server load section of BENCHMARKS.md"
