#!/usr/bin/env python3
"""Writes a JSON file without insignificant whitespace (key order and every string kept).

Used at build time so the embedded policy and messages cost fewer bytes in the browser; the
policy's digest is over its canonical form, so it does not change.
Usage: minify_json.py IN OUT [--drop-errors PREFIX...]
With --drop-errors (a message catalog), the "errors" entries whose code starts with a PREFIX are
left out: the browser module's catalogs hold no messages for codes it never gives.
"""
import json
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)
if len(sys.argv) > 3 and sys.argv[3] == "--drop-errors":
    prefixes = tuple(sys.argv[4:])
    data["errors"] = {k: v for k, v in data["errors"].items() if not k.startswith(prefixes)}
text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    f.write(text)
