#!/usr/bin/env python3
"""Instructions per packet from callgrind dumps of the firmware benches.

    callgrind_per_packet.py NAME=PACKETS... -- DUMP...

Each dump holds one phase (the bench dumps with CALLGRIND_DUMP_STATS_AT(name)
and only counts inside the measured calls). For each phase whose name was
given with its packet count, prints the total instructions per packet and
the split: the DMA engine's transfers (hal_dma_* of the bench HAL and the
libc copies they make: the hardware's work, not the core's), the receive
queue engine's model (hal_rxq_*: descriptor, buffer check, completion; also
hardware), the rest of the bench HAL (stand-in for register accesses) and
the firmware's own logic. Byte loops of the firmware itself (fw_memcpy, fw_memset) count as
firmware logic, and are also shown apart.
"""
import re
import subprocess
import sys

DMA = {"hal_dma_to_host", "hal_dma_from_host", "memcpy", "memset", "memmove"}
RXQ = {"hal_rxq_put"}
CORE_COPY = {"fw_memcpy", "fw_memset"}

def phase_name(path):
    with open(path, errors="replace") as f:
        for line in f:
            prefix = "desc: Trigger: Client Request: "
            if line.startswith(prefix):
                return line[len(prefix):].strip()
            if line.startswith("fn="):
                break
    return None

def functions(path):
    out = subprocess.run(["callgrind_annotate", "--threshold=100", "--inclusive=no",
                          "--auto=no", "--tree=none", path],
                         capture_output=True, text=True, check=True).stdout
    total, fns, table = 0, {}, False
    for line in out.splitlines():
        if line.startswith("Ir") and "file:function" in line:
            table = True
            continue
        m = re.match(r"^\s*([\d,]+)\s+(?:\(\s*[\d.]+%\)\s+)?(.*)$", line)
        if not m:
            continue
        ir = int(m.group(1).replace(",", ""))
        what = m.group(2)
        if what.startswith("PROGRAM TOTALS"):
            total = ir
            continue
        if not table:
            continue
        # "file:function [binary]"; code inlined from a header is listed
        # under the header's name: count it with its function.
        fn = what.split(" [")[0].rsplit(":", 1)[-1]
        fns[fn] = fns.get(fn, 0) + ir
    return total, sorted(fns.items(), key=lambda x: -x[1])

def main(argv):
    if "--" not in argv:
        sys.exit(__doc__)
    sep = argv.index("--")
    counts = dict(a.split("=", 1) for a in argv[:sep])
    for path in argv[sep + 1:]:
        name = phase_name(path)
        if name not in counts:
            continue
        pkts = int(counts[name])
        total, fns = functions(path)
        dma = sum(ir for fn, ir in fns if fn in DMA or fn.startswith("__mem"))
        rxq = sum(ir for fn, ir in fns if fn in RXQ)
        hal = sum(ir for fn, ir in fns if fn.startswith("hal_") and fn not in DMA | RXQ)
        core_copy = sum(ir for fn, ir in fns if fn in CORE_COPY)
        logic = total - dma - rxq - hal
        print(f"{name}: {pkts} packets, {total / pkts:.1f} instructions/packet in total: "
              f"firmware logic {logic / pkts:.1f} (of it byte loops {core_copy / pkts:.1f}), "
              f"DMA engine stand-in {dma / pkts:.1f}, queue engine stand-in {rxq / pkts:.1f}, "
              f"bench HAL {hal / pkts:.1f}")
        # Entries above the total are callgrind's view of frames entered
        # before counting started ("below main"): not costs of this phase.
        for fn, ir in [x for x in fns if x[1] < total and not
                       x[0].startswith(("(below", "__libc_start", "0x"))][:12]:
            print(f"    {ir / pkts:8.1f}  {fn}")

if __name__ == "__main__":
    main(sys.argv[1:])
