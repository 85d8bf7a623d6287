#!/usr/bin/env bash
# Rules mean what they say, on frames through snic-sim (large card): an
# IPv4 rule does not steer IPv6 frames whose address starts with the same
# bytes, port rules catch neither cut TCP headers nor non-first fragments,
# ethtool's syntax (`flow-type ... action N`) lands where it says, and a
# frame longer than the MAC takes is counted (stats, port, drops pcap).
# Every frame is for VNIC 1's MAC: what no rule takes reaches VNIC 1.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d /tmp/snic-rulesem.XXXXXX)
w=/dev/shm/snic-rulesem-$$
sim_pid= rx_pid=
cleanup() {
	[ -n "$rx_pid" ] && kill "$rx_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	rm -rf "$tmp" "$w" "$w.state"
}
trap cleanup EXIT
ctl() { SNIC_DEV=$w "$bin/snicctl" "$@"; }

echo "1..10"

# The trace, one frame per case, in this order (see `want` below).
python3 - "$tmp/in.pcap" <<'PY'
import socket, struct, sys
eth4 = bytes.fromhex("020000000001" "020000000009" "0800")
eth6 = bytes.fromhex("020000000001" "020000000009" "86dd")
def ip4(dst, proto, frag, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, frag, 64, proto, 0,
                    socket.inet_aton("10.0.0.1"), socket.inet_aton(dst))
    return eth4 + h + payload
def l4(sport, dport, n=20):
    return (struct.pack("!HH", sport, dport) + bytes(16))[:n]
def ip6(dst, payload):
    h = struct.pack("!IHBB16s16s", 0x60000000, len(payload), 6, 64,
                    socket.inet_pton(socket.AF_INET6, "fd00::9"),
                    socket.inet_pton(socket.AF_INET6, dst))
    return eth6 + h + payload
frames = [
    ip6("fd00::5", l4(1000, 80)),            # 1 IPv6 fd00::/8: not the 253/8 rule
    ip4("253.1.2.3", 6, 0, l4(1000, 80)),    # 2 IPv4 253/8: VNIC 2
    ip4("10.0.0.2", 6, 0, l4(1000, 0, 2)),   # 3 TCP cut after 2 bytes: not dport 0
    ip4("10.0.0.2", 6, 0x0010, l4(1000, 80)),# 4 non-first fragment: not tcp4 dport 80
    ip4("10.0.0.2", 17, 0, l4(1000, 53, 8)), # 5 UDP 53: `action RING` of VNIC 2
    ip4("10.0.0.2", 6, 0, l4(1000, 80)) + bytes(16400),  # 6 oversize: counted, dropped
]
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, fr in enumerate(frames):
        f.write(struct.pack("<IIII", 1, i * 1000, len(fr), len(fr)) + fr)
PY

"$bin/snic-sim" --profile large --window "$w" --uplink "0:$tmp/in.pcap" \
	--drops "$tmp/drops.pcap" --timeout 120 >"$tmp/sim.log" 2>&1 &
sim_pid=$!
wait_up "$w"
ctl rx --out-dir "$tmp" --idle-exit --idle-ms 3000 >"$tmp/rx.log" 2>&1 &
rx_pid=$!
wait_log "$tmp/rx.log" "buffers posted"
ctl vnic add --id 1 --mac 02:00:00:00:00:01 >/dev/null
ctl vnic add --id 2 --mac 02:00:00:00:00:02 >/dev/null
ring2=$(ctl --json vnic show 2 | python3 -c 'import json,sys; print(json.load(sys.stdin)["rx_ring"])')
: >"$tmp/rules"
for r in "--dst-ip 253.0.0.0/8 --vnic 2" "--proto tcp --dport 0 --vnic 2" \
	"flow-type tcp4 dst-port 80 vf 2" "flow-type udp4 dst-port 53 action $ring2"; do
	# shellcheck disable=SC2086 # the rule's words
	ctl rule add $r >>"$tmp/rules" 2>&1 || echo "FAILED: $r" >>"$tmp/rules"
done
check "the four rules were taken (ethtool syntax and options)" \
	test "$(grep -c '^rule .* added' "$tmp/rules")" -eq 4
# The device's refusals name the word at fault (each: exit 1, nothing added).
: >"$tmp/errs"
for r in "flow-type tcp4 dst-port 1 vf 9" "flow-type tcp4 dst-port 1 vf 2 loc 0" \
	"flow-type tcp4 dst-port 1 vf 2 meter 5" "flow-type tcp4 dst-port 1 vf 2 queue 99" \
	"--dport 1 --vnic 2 --loc 5000"; do
	# shellcheck disable=SC2086 # the rule's words
	ctl rule add $r >>"$tmp/errs" 2>&1; echo "exit $?" >>"$tmp/errs"
done
ctl vnic add --id 2 --mac 02:00:00:00:00:07 >>"$tmp/errs" 2>&1
ctl vnic add --mac 02:00:00:00:00:01 >>"$tmp/errs" 2>&1
ctl vnic del 2 >>"$tmp/errs" 2>&1
ctl vnic rate 9 --avg 1G --burst 64k >>"$tmp/errs" 2>&1
sed 's/^/# /' "$tmp/errs"
errs_named() {
	grep -q 'rule add: vf 9: no such VNIC (SNIC_E_NOENT)' "$tmp/errs" &&
	grep -q 'rule add: loc 0: a rule is already there (snicctl rule del 0) (SNIC_E_EXIST)' "$tmp/errs" &&
	grep -q 'rule add: meter 5: no such meter' "$tmp/errs" &&
	grep -q 'rule add: queue 99: no RX ring 99 on this device (SNIC_E_NOENT)' "$tmp/errs" &&
	grep -q 'rule add: --loc 5000: beyond the rule table (0..1023) (SNIC_E_RANGE)' "$tmp/errs" &&
	grep -q 'vnic add: --id 2: VNIC 2 already exists (SNIC_E_EXIST)' "$tmp/errs" &&
	grep -q 'vnic add: --mac 02:00:00:00:00:01: another VNIC has this MAC' "$tmp/errs" &&
	grep -q 'vnic del: vnic 2: rules still steer to it' "$tmp/errs" &&
	grep -q 'vnic rate: vnic 9: no such VNIC (SNIC_E_NOENT)' "$tmp/errs" &&
	test "$(grep -c '^exit 1$' "$tmp/errs")" -eq 5
}
check "device refusals name the argument at fault" errs_named
ctl port up 0 >/dev/null
wait "$rx_pid"; rx_pid=
ctl --json stats >"$tmp/stats.json"
ctl rule show >"$tmp/show"
kill "$sim_pid"; wait "$sim_pid" 2>/dev/null; sim_pid=
sed 's/^/# /' "$tmp/rules" "$tmp/show"

# Frame numbers in each output, by their IPv4 id / IPv6 address / length.
frames_of() { # frames_of PCAP: the sizes of its frames, in order
	python3 - "$1" <<'PY'
import struct, sys
try:
    d = open(sys.argv[1], "rb").read()
except FileNotFoundError:
    print(""); sys.exit(0)
off, out = 24, []
while off + 16 <= len(d):
    incl = struct.unpack_from("<I", d, off + 8)[0]
    out.append(str(struct.unpack_from("<I", d, off + 12)[0]))
    off += 16 + incl
print(" ".join(out))
PY
}
v1=$(frames_of "$tmp/vnic1.pcap"); v2=$(frames_of "$tmp/vnic2.pcap"); dr=$(frames_of "$tmp/drops.pcap")
echo "# vnic1: $v1 / vnic2: $v2 / drops: $dr"
# Lengths: 1 = 74 (IPv6), 2 = 54, 3 = 36 (cut), 4 = 54 (fragment), 5 = 42, 6 = 16454.
check "VNIC 2 got the IPv4 253/8 frame and the UDP 53 one (action RING), nothing else" \
	test "$v2" = "54 42"
check "VNIC 1 got the IPv6 fd00:: frame, the cut TCP header and the non-first fragment" \
	test "$v1" = "74 36 54"
stat() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/stats.json" "$1"; }
check "the oversize frame is counted as its own drop reason" test "$(stat 'd["drops"]["oversize"]')" = 1
check "and is in the drops pcap, whole" test "$dr" = "16454"
check "every frame that reached the port is in its counters (6)" \
	test "$(stat 'd["ports"][0]["rx_packets"]')" = 6
check "rule show lists the flags each rule requires" \
	test -n "$(grep 'dst_ip 253.0.0.0/8' "$tmp/show" | grep 'flags ipv4,!malformed')"
check "the port rule requires a whole transport header" \
	test -n "$(grep 'dport 0' "$tmp/show" | grep 'flags l4,!malformed')"
check "the simulator's summary names the reason" test -n "$(grep 'drop oversize' "$tmp/sim.log")"
