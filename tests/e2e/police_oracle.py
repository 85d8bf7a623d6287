#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Independent colours for the RX policer test, straight from the RFCs.

  police_oracle.py TRACE.pcap DST_MAC MODE CIR CBS [EBS | PIR PBS | EIR EBS] [--wire]

MODE is srtcm (RFC 2697: CIR CBS EBS), trtcm (RFC 2698: CIR CBS PIR PBS) or
rfc4115 (CIR CBS EIR EBS). Colour-blind; buckets start full; tokens refill
continuously (exact fractions of a byte). Frames of the trace whose
destination MAC is DST_MAC are metered at their capture times; a frame costs
its length, or with --wire max(len, 60) + 24. Prints one line:
  green G yellow Y red R green_bytes GB yellow_bytes YB red_bytes RB
  margin_ns M
where M is the closest any decision came to flipping: the fewest
nanoseconds of extra refill that would have turned a short bucket into
enough (a device timestamping arrivals a few ns late must agree when M is
larger than that).
"""
import struct
import sys
from fractions import Fraction


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack_from("<I", data, 0)[0]
    if magic == 0xA1B23C4D:
        scale = 1
    elif magic == 0xA1B2C3D4:
        scale = 1000
    else:
        sys.exit("police_oracle: %s is not a little-endian pcap" % path)
    at = 24
    while at + 16 <= len(data):
        sec, frac, caplen, length = struct.unpack_from("<IIII", data, at)
        at += 16
        yield sec * 1000000000 + frac * scale, length, data[at:at + caplen]
        at += caplen


def main(argv):
    wire = "--wire" in argv
    argv = [a for a in argv if a != "--wire"]
    path, mac, mode = argv[1], bytes.fromhex(argv[2].replace(":", "")), argv[3]
    nums = [int(x) for x in argv[4:]]
    cir, cbs = Fraction(nums[0], 8 * 10**9), Fraction(nums[1])  # bytes per ns
    if mode == "srtcm":
        ebs, rate2, b2 = Fraction(nums[2]), None, None
    else:
        rate2, b2 = Fraction(nums[2], 8 * 10**9), Fraction(nums[3])

    tc = cbs
    te = ebs if mode == "srtcm" else b2       # E bucket (srTCM, RFC 4115) or P (RFC 2698)
    last = None
    count = [0, 0, 0]
    nbytes = [0, 0, 0]
    margin = None
    for t, length, data in frames(path):
        if data[:6] != mac:
            continue
        cost = max(length, 60) + 24 if wire else length
        if last is not None:
            dt = t - last
            if mode == "srtcm":
                tc += cir * dt
                if tc > cbs:                   # overflow of C fills E
                    te = min(ebs, te + tc - cbs)
                    tc = cbs
            else:
                tc = min(cbs, tc + cir * dt)
                te = min(b2, te + rate2 * dt)
        last = t
        # A later arrival only adds tokens: only a bucket short of the
        # cost can change its answer, after (cost - level) / rate ns.
        for level, rate in ((tc, cir), (te, rate2 or cir)):
            if level < cost:
                d = (cost - level) / rate
                margin = d if margin is None or d < margin else margin
        if mode == "trtcm":                   # RFC 2698
            if te < cost:
                c = 2
            elif tc < cost:
                c = 1
                te -= cost
            else:
                c = 0
                te -= cost
                tc -= cost
        else:                                 # RFC 2697 / RFC 4115
            if tc >= cost:
                c = 0
                tc -= cost
            elif te >= cost:
                c = 1
                te -= cost
            else:
                c = 2
        count[c] += 1
        nbytes[c] += length
    print("green %d yellow %d red %d green_bytes %d yellow_bytes %d red_bytes %d margin_ns %.3f"
          % (count[0], count[1], count[2], nbytes[0], nbytes[1], nbytes[2],
             float(margin if margin is not None else 0)))


if __name__ == "__main__":
    main(sys.argv)
