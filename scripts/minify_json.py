#!/usr/bin/env python3
"""Writes a JSON file without insignificant whitespace (key order and every string kept).

Used at build time so the embedded policy and messages cost fewer bytes in the browser; the
policy's digest is over its canonical form, so it does not change.
Usage: minify_json.py IN OUT [--drop-errors PREFIX...] [--drop-ui PREFIX...]
With --drop-errors (a message catalog), the "errors" entries whose code starts with a PREFIX are
left out: the browser module's catalogs hold no messages for codes it never gives. --drop-ui does
the same for "ui" texts (the privacy center's, which its server renders into its pages).
"""
import json
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)
drops = {}
table = None
for arg in sys.argv[3:]:
    if arg in ("--drop-errors", "--drop-ui"):
        table = "errors" if arg == "--drop-errors" else "ui"
        drops.setdefault(table, [])
    elif table is None:
        sys.exit(f"minify_json.py: unexpected argument {arg!r}")
    else:
        drops[table].append(arg)
for table, prefixes in drops.items():
    data[table] = {k: v for k, v in data[table].items() if not k.startswith(tuple(prefixes))}
text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    f.write(text)
