#!/usr/bin/env python3
"""Replaces (or appends) one "## TITLE …" section of BENCHMARKS.md with the text on stdin.

Usage: bench_section.py TITLE_PREFIX < section.md
The section runs from its "## TITLE_PREFIX" heading to the next "## " heading. The benchmark
scripts that own a section (bench-instructions.sh, bench-server.sh, fuzz.sh) write it this way,
and scripts/bench.sh keeps those sections when it rewrites the rest.
"""
import re
import sys

title = sys.argv[1]
section = sys.stdin.read().rstrip() + "\n"
path = "BENCHMARKS.md"
text = open(path, encoding="utf-8").read()
pattern = re.compile(r"## " + re.escape(title) + r".*?(?=\n## |\Z)", re.S)
if pattern.search(text):
    text = pattern.sub(lambda m: section.rstrip("\n"), text)
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w", encoding="utf-8").write(text if text.endswith("\n") else text + "\n")
