#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Independent arithmetic on captures for tests/e2e/fault_campaign.sh.

Reads gen_seq frames (EtherType 0x88b6, "SNSQ", stream, seq) from pcaps
written by snic-sim (--uplink-out, --drops) or snicctl rx; times are the
device's own timestamps (virtual time). Each command prints key=value
lines the campaign stores as results.

  fault_pcap.py count PCAP...          frames, gen_seq frames, distinct
                                       (stream, seq) pairs, duplicates
  fault_pcap.py outside PCAP WINDOWS   frames whose time lies outside every
                                       window "a-b,c-d" (ns)
  fault_pcap.py gap PCAP [SRC_MAC]     longest gap between consecutive frames
                                       (from SRC_MAC only), first/last time
  fault_pcap.py flows PCAP DOWNS      snic-sim --host test frames (UDP, seq and
                                       send time): received, duplicates, seqs
                                       missing between the first and the last,
                                       those whose neighbours' send times do
                                       not enclose one of the link-down
                                       instants DOWNS ("t1,t2,..." ns), the
                                       longest receive gap
  fault_pcap.py bydst PCAP...         "DST_MAC frames" per destination MAC
  fault_pcap.py rate PCAP FROM TO      L2 bit/s between times FROM and TO (ns):
                                       bytes of the frames in [FROM, TO) over
                                       the span from the first to the last
"""
import struct
import sys

from police_oracle import frames  # (time ns, wire length, bytes) per frame


def seq_of(d):
    """(stream, seq) of a gen_seq frame (optionally VLAN-tagged), else None."""
    at = 12
    if d[at:at + 2] == b"\x81\x00":
        at += 4
    if d[at:at + 2] != b"\x88\xb6" or d[at + 2:at + 6] != b"SNSQ":
        return None
    stream = struct.unpack_from(">H", d, at + 6)[0]
    return stream, struct.unpack_from(">Q", d, at + 10)[0]


def count(paths):
    n = seqs = dups = 0
    seen = set()
    for p in paths:
        for _, _, d in frames(p):
            n += 1
            k = seq_of(d)
            if k is None:
                continue
            seqs += 1
            if k in seen:
                dups += 1
            seen.add(k)
    print("frames=%d\nseq_frames=%d\ndistinct=%d\nduplicates=%d" % (n, seqs, len(seen), dups))


def outside(path, spec):
    wins = []
    for w in filter(None, spec.split(",")):
        a, b = w.split("-")
        wins.append((int(a), int(b)))
    n = out = 0
    for t, _, _ in frames(path):
        n += 1
        if not any(a <= t <= b for a, b in wins):
            out += 1
    print("frames=%d\noutside=%d" % (n, out))


def gap(path, src=None):
    want = bytes(int(x, 16) for x in src.split(":")) if src else None
    prev = first = None
    longest = at = 0
    for t, _, d in frames(path):
        if want is not None and d[6:12] != want:
            continue
        if prev is None:
            first = t
        elif t - prev > longest:
            longest, at = t - prev, prev
        prev = t
    print("first_ns=%s\nlast_ns=%s\ngap_ns=%d\ngap_at_ns=%d" % (first, prev, longest, at))


def bydst(paths):
    n = {}
    for p in paths:
        for _, _, d in frames(p):
            mac = ":".join("%02x" % b for b in d[0:6])
            n[mac] = n.get(mac, 0) + 1
    for mac in sorted(n):
        print(mac, n[mac])


def flows(path, downs):
    downs = [int(x) for x in downs.split(",") if x]
    got, dups, rx = {}, 0, []
    for t, _, d in frames(path):
        at = 14 + (4 if d[12:14] == b"\x81\x00" else 0)
        if d[at - 2:at] != b"\x08\x00" or d[at + 9] != 17 or len(d) < at + 28 + 32:
            continue
        seq, sent = struct.unpack_from(">QQ", d, at + 28 + 16)
        if seq in got:
            dups += 1
        got[seq] = sent
        rx.append(t)
    seqs = sorted(got)
    missing = unexplained = 0
    for a, b in zip(seqs, seqs[1:]):
        if b - a > 1:
            missing += b - a - 1
            if not any(got[a] <= x <= got[b] for x in downs):
                unexplained += b - a - 1
    gap = max((y - x for x, y in zip(rx, rx[1:])), default=0)
    print("received=%d\nduplicates=%d\nfirst_seq=%s\nlast_seq=%s\nmissing=%d\n"
          "missing_not_at_a_flap=%d\nlongest_gap_ns=%d"
          % (len(got), dups, seqs[0] if seqs else -1, seqs[-1] if seqs else -1,
             missing, unexplained, gap))


def rate(path, lo, hi):
    ts, total, last = [], 0, 0
    for t, length, _ in frames(path):
        if lo <= t < hi:
            ts.append(t)
            total += length
            last = length
    if len(ts) < 2:
        print("frames=%d\nbps=0" % len(ts))
        return
    # n frames span n-1 inter-frame times: leave the last frame's bytes out.
    span = ts[-1] - ts[0]
    print("frames=%d\nspan_ns=%d\nbps=%d" % (len(ts), span, (total - last) * 8 * 10**9 // span))


def main(a):
    if len(a) >= 2 and a[0] == "count":
        count(a[1:])
    elif len(a) == 3 and a[0] == "outside":
        outside(a[1], a[2])
    elif len(a) in (2, 3) and a[0] == "gap":
        gap(a[1], a[2] if len(a) == 3 else None)
    elif len(a) == 3 and a[0] == "flows":
        flows(a[1], a[2])
    elif len(a) >= 2 and a[0] == "bydst":
        bydst(a[1:])
    elif len(a) == 4 and a[0] == "rate":
        rate(a[1], int(a[2]), int(a[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
