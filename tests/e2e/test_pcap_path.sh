#!/usr/bin/env bash
# End to end: pcap -> Verilated match engine -> firmware steering -> RX
# rings -> user-space host driver -> one pcap per VNIC. The expected output
# of every VNIC is computed independently by libpcap BPF filters
# (pcap_oracle), in the same first-match order as the device's rules;
# unclaimed broadcast is copied to every VNIC of its VLAN (docs/l2.md).
set -u
. "$(dirname "$0")/lib.sh"
out=$(mktemp -d /tmp/snic-e2e.XXXXXX)
trap 'rm -rf "$out"' EXIT

echo "1..7"

SEED=7 FRAMES=800 "$top/tools/run/pcap-demo.sh" "$out" large >"$out/demo.log" 2>&1
rc=$?
check "demo runs to completion" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/# /' "$out/demo.log"

mkdir -p "$out/expect"
"$bin/pcap_oracle" split "$out/in.pcap" "$out/expect" 2048 \
	"vnic3=tcp dst port 80 and dst host 10.0.0.80" \
	"vnic3=vlan and tcp dst port 80 and dst host 10.0.0.80" \
	"vnic1=ether dst 02:00:00:00:00:01 and not vlan" \
	"vnic2=vlan 100 and ether dst 02:00:00:00:00:02" \
	"vnic3=ether dst 02:00:00:00:00:03 and not vlan" \
	"+vnic1=ether broadcast and not vlan" \
	"+vnic2=vlan 100 and ether broadcast" \
	"+vnic3=ether broadcast and not vlan" >"$out/expect/counts"
sed 's/^/# expected /' "$out/expect/counts"

for v in 1 2 3; do
	check "vnic$v receives exactly the frames the BPF oracle selects" \
		"$bin/pcap_oracle" compare "$out/expect/vnic$v.pcap" "$out/vnic$v.pcap"
done
check "dropped frames are exactly the oracle's drops" \
	"$bin/pcap_oracle" compare "$out/expect/drop.pcap" "$out/drops.pcap"

# Every drop is counted: the device's drop counters add up to the oracle's.
expect_drops=$(awk '$1=="drop"{print $2}' "$out/expect/counts")
dev_drops=$(awk '/snic-sim: +drop /{s+=$NF} END{print s+0}' "$out/sim.log")
check "the device's per-reason drop counts (simulator summary) sum to the expected drops ($expect_drops)" \
	test "$dev_drops" = "$expect_drops"
total=$("$bin/pcap_oracle" count "$out/in.pcap")
check "the trace is non-trivial (800 frames, all three VNICs and drops present)" \
	test "$total" -eq 800 -a "$(awk '$2>20' "$out/expect/counts" | wc -l)" -eq 4
