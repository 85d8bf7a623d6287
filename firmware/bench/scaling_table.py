#!/usr/bin/env python3
"""Write the per-packet cost tables of make bench-fw into the doc.

    scaling_table.py CALLGRIND_SUMMARY RV32_SUMMARY DOC

Reads the phase lines of callgrind_per_packet.py ("NAME: P packets, T
instructions/packet in total: firmware logic L ...") and of the rv32 bench
("rv32 NAME: P packets, ... firmware logic L, ..."), and replaces what lies
between the markers BEGIN and END in DOC with a table of the firmware's
own instructions per packet: the dedicated-ring scenario, then the shared
rings against the number of VNICs. Nothing is estimated: a phase missing
from a summary is shown as "not measured".
"""
import re
import sys

BEGIN = "<!-- make bench-fw: generated tables, begin -->"
END = "<!-- make bench-fw: generated tables, end -->"
BUDGET = 100.0

def logic(path, rv32):
    out = {}
    pat = (r"^rv32 (\S+): (\d+) packets, [\d.]+ instructions/packet in total: firmware logic ([\d.]+)"
           if rv32 else
           r"^(\S+): (\d+) packets, [\d.]+ instructions/packet in total: firmware logic ([\d.]+)")
    with open(path) as f:
        for line in f:
            m = re.match(pat, line)
            if m:
                out[m.group(1)] = float(m.group(3))
    return out

def cell(d, k):
    if k not in d:
        return "not measured"
    v = d[k]
    return f"**{v:.1f}**" if v <= BUDGET else f"{v:.1f} (over)"

def main(cg_path, rv_path, doc):
    cg, rv = logic(cg_path, False), logic(rv_path, True)
    rows = ["| scenario | RX x86-64 (callgrind) | RX rv32imac (instret) "
            "| TX x86-64 | TX rv32imac |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| 4 VNICs, dedicated rings | {cell(cg, 'rx')} | {cell(rv, 'rx')} "
            f"| {cell(cg, 'tx')} | {cell(rv, 'tx')} |"]
    for n in sorted({int(k[4:]) for k in list(cg) + list(rv) if k.startswith("rx_s")}):
        rows.append(f"| {n} VNICs, shared rings | {cell(cg, f'rx_s{n}')} | {cell(rv, f'rx_s{n}')} "
                    f"| {cell(cg, f'tx_s{n}')} | {cell(rv, f'tx_s{n}')} |")
    table = "\n".join(rows)
    text = open(doc).read()
    if BEGIN not in text or END not in text:
        sys.exit(f"{doc}: no generated-table markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    open(doc, "w").write(f"{head}{BEGIN}\n{table}\n{END}{tail}")

if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
