#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Normalise a device snapshot for tests/e2e/fault_campaign.sh.

stdin: sections "== l2", "== state", "== rule LOC", "== share VNIC", each
followed by the JSON snicctl printed. stdout: one sorted line per object,
"KIND ID {fields}", so two snapshots compare with diff and objects count
by kind: vnic (the device's VNICs and their L2 state), rule (read back
from the device, hit counter left out), booking (a VNIC share the device
holds, as snic-bookd sets it), share (a VNIC without one), policer and
shaper (the host mirror's meters).
"""
import json
import sys


def line(kind, ident, obj):
    return "%s %s %s" % (kind, ident, json.dumps(obj, sort_keys=True))


def section(name, obj, out):
    if name == "l2":
        for v in obj:
            out.append(line("vnic", v["vnic"], v))
    elif name == "state":
        for v in obj.get("vnics", []):
            if v.get("shaper"):
                out.append(line("shaper", v["vnic"], v["shaper"]))
        for p in obj.get("policers", []):
            out.append(line("policer", p["policer"], p))
    elif name.startswith("rule "):
        obj.pop("hits", None)
        out.append(line("rule", name.split()[1], obj))
    elif name.startswith("share "):
        keep = {k: obj.get(k) for k in ("uplink", "weight", "prio", "min_bps", "set")}
        out.append(line("booking" if obj.get("set") else "share", name.split()[1], keep))


def main():
    out, name, buf = [], None, []
    for raw in sys.stdin.read().splitlines() + ["== end"]:
        if raw.startswith("== "):
            if name and buf:
                try:
                    section(name, json.loads("\n".join(buf)), out)
                except ValueError:
                    out.append("unreadable %s" % name.replace(" ", "_"))
            name, buf = raw[3:], []
        else:
            buf.append(raw)
    print("\n".join(sorted(out)))


if __name__ == "__main__":
    main()
