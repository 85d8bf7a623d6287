#!/usr/bin/env bash
# Group delivery end to end (include/snic/l2.h): snicctl sets multicast
# lists, then a pcap with a broadcast, a joined and an unjoined multicast
# group, a broadcast on VLAN 10 and a unicast frame must reach exactly the
# VNICs of each frame's domain that want it, on dedicated rings and on the
# shared ring (host software classifier), and `snicctl stats --vnic
# --json` must count the copies per VNIC.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d /tmp/snic-l2.XXXXXX)
w=/dev/shm/snic-l2-$$
sim_pid= rx_pid=
cleanup() {
	[ -n "$rx_pid" ] && kill "$rx_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	rm -rf "$tmp" "$w" "$w".*
}
trap cleanup EXIT
ctl() { "$bin/snicctl" -d "$w" "$@"; }

echo "1..9"

# Frames (dst, VLAN or -, a tag byte in the payload to tell them apart).
python3 - "$tmp/in.pcap" <<'PY'
import struct, sys
frames = [("ff:ff:ff:ff:ff:ff", None, 1),   # broadcast, untagged: 1, 2, 4
          ("01:00:5e:00:00:fb", None, 2),   # joined by 2 and 4
          ("01:00:5e:00:00:fc", None, 3),   # joined by nobody
          ("ff:ff:ff:ff:ff:ff", 10, 4),     # broadcast on VLAN 10: 3
          ("02:00:00:00:00:01", None, 5)]   # unicast: 1
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, (dst, vlan, tag) in enumerate(frames):
        b = bytes.fromhex(dst.replace(":", "")) + bytes.fromhex("020000000099")
        if vlan is not None:
            b += struct.pack(">HH", 0x8100, vlan)
        b += struct.pack(">H", 0x88b6) + bytes([tag]) * 46
        f.write(struct.pack("<IIII", 0, 10 * i, len(b), len(b)) + b)
PY

"$bin/snic-sim" --profile large --window "$w" --uplink "0:$tmp/in.pcap" \
	--drops "$tmp/drops.pcap" --timeout 120 >"$tmp/sim.log" 2>&1 &
sim_pid=$!
wait_up "$w"
{
	ctl vnic add --id 1 --mac 02:00:00:00:00:01
	ctl vnic add --id 2 --mac 02:00:00:00:00:02
	ctl vnic add --id 3 --mac 02:00:00:00:00:03 --vlan 10
	ctl vnic add --id 4 --mac 02:00:00:00:00:04 --sw-only
	ctl vnic rxmode 2 --mc 01:00:5e:00:00:fb
	ctl vnic rxmode 4 --mc 01:00:5e:00:00:fb
} >"$tmp/setup.log" 2>&1
check "four VNICs and two multicast lists set" \
	test "$(grep -c '^vnic [0-9]*:' "$tmp/setup.log")" -eq 6
check "vnic l2 shows the group VNIC 2 joined" \
	test "$(ctl --json vnic l2 2 | python3 -c 'import json,sys; print(json.load(sys.stdin)["multicast"])')" = "['01:00:5e:00:00:fb']"
# The receiver starts once the VNICs exist, so its idle timeout only runs
# from the traffic on (a loaded machine may take seconds for the setup).
receive_idle "$w" "$tmp"

# The tag bytes each VNIC's pcap received, in order.
tags() {
	python3 - "$tmp/out/vnic$1.pcap" <<'PY'
import struct, sys
try:
    d = open(sys.argv[1], "rb").read()
except OSError:
    d = b""
at, out = 24, []
while at + 16 <= len(d):
    n = struct.unpack("<IIII", d[at:at + 16])[2]
    fr = d[at + 16:at + 16 + n]
    out.append(str(fr[-1]))
    at += 16 + n
print(" ".join(out))
PY
}
check "vnic 1 (untagged): the broadcast and its unicast" test "$(tags 1)" = "1 5"
check "vnic 2 (joined): the broadcast and the joined group" test "$(tags 2)" = "1 2"
check "vnic 3 (VLAN 10): only the VLAN 10 broadcast" test "$(tags 3)" = "4"
check "vnic 4 (shared ring, joined): the broadcast and the group via its software ring" \
	test "$(tags 4)" = "1 2"

check "the software classifier took both shared-ring copies as group copies, no disagreement" \
	grep -q "0 disagreed with hardware; group copies: 2 delivered, 0 refused" "$tmp/rx.log"
ctl --json stats --vnic >"$tmp/vstats.json"
cnt() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
v = {x["vnic"]: x for x in d["vnics"]}
print(" ".join(str(v[int(i)][sys.argv[2]]) for i in sys.argv[3:]))' "$tmp/vstats.json" "$@"; }
check "stats --vnic: broadcast copies per VNIC" test "$(cnt rx_broadcast 1 2 3 4)" = "1 1 1 1"
check "stats --vnic: multicast copies per VNIC" test "$(cnt rx_multicast 1 2 3 4)" = "0 1 0 1"
kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; sim_pid=
