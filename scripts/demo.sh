#!/usr/bin/env bash
# The demo: builds what is needed and serves it on loopback with `doui serve` (the consent API
# over a SQLite ledger in build/demo/, and the pages): a signup form with the widget
# <doui-consent> at /, the policy rendered in the browser at /policy.html (the native renderings
# are written next to the ledger); the privacy center at /privacy/ (its in-page search over the
# search module, doui_search_web).
#   scripts/demo.sh [PORT]   (default 8080; 0 picks a free port)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT=${1:-${PORT:-8080}}
scripts/setup.sh
export NODE_PATH=/usr/share/nodejs
cmake --preset native >/dev/null && cmake --build --preset native --target doui
cmake --preset wasm >/dev/null && cmake --build --preset wasm --target doui_widget doui_search_web
mkdir -p build/demo
build/native/doui render --format text --width 80 > build/demo/policy.txt
build/native/doui render > build/demo/policy.html
echo "native renderings: build/demo/policy.txt, build/demo/policy.html"
# The receipt-signing key of this demo server, made once.
[ -f build/demo/doui.key ] || build/native/doui key new --out build/demo/doui.key >/dev/null
exec build/native/doui serve --host 127.0.0.1 --port "$PORT" --db sqlite:build/demo/ledger.db \
  --key build/demo/doui.key --web web --dist build/wasm/web
