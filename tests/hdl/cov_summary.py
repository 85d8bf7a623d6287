#!/usr/bin/env python3
# Summarise a Verilator coverage.dat by point type (line, toggle, ...):
# covered points / all points, overall and per module.
import re
import sys
from collections import defaultdict

total = defaultdict(int)
hit = defaultdict(int)
per_mod = defaultdict(lambda: [0, 0])
for line in open(sys.argv[1], encoding="latin-1"):
    if not line.startswith("C "):
        continue
    m = re.match(r"C '(.*)' (\d+)", line.rstrip("\n"))
    if not m:
        continue
    fields = dict(kv.split("\x02", 1) for kv in m.group(1).split("\x01") if "\x02" in kv)
    # page is e.g. "v_toggle/snic_exact__B40" or "v_line/snic_parser"
    kind = fields.get("page", "v_?").split("/")[0][2:]
    count = int(m.group(2))
    total[kind] += 1
    hit[kind] += count > 0
    mod = fields.get("f", "?").split("/")[-1]
    per_mod[(mod, kind)][0] += 1
    per_mod[(mod, kind)][1] += count > 0
for kind in sorted(total):
    print(f"{kind:7s} coverage: {hit[kind]}/{total[kind]} points "
          f"({100.0 * hit[kind] / total[kind]:.1f}%)")
for (mod, kind), (t, h) in sorted(per_mod.items()):
    print(f"  {mod:24s} {kind:7s} {h}/{t} ({100.0 * h / t:.1f}%)")
