#!/usr/bin/env bash
# verbs flow specs end to end: examples/verbs_steer (written only against
# the rdma-core verbs structures: ibv_flow_attr + eth/ipv4/tcp specs + an
# action_tag naming the VNIC) steers TCP flows to VNICs through snic-sim.
# Two flows, added in the "wrong" order: priority 1 sends TCP port 80 to
# 10.0.0.0/24 to VNIC 3, then priority 0 sends port 80 to 10.0.0.80 to
# VNIC 2. The priority-0 flow must win where both match (its band of rule
# locations comes first). Every VNIC's pcap and the drops must equal what
# libpcap's BPF filters select (pcap_oracle, no snic code), and the rules'
# hit counters the oracle's counts. On the small card, which cannot match
# IP addresses, the example must fail with a sentence naming the spec and
# the field, and add nothing.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d /tmp/snic-verbs.XXXXXX)
sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	rm -rf "$tmp" /dev/shm/snic-verbs-$$-*
}
trap cleanup EXIT

echo "1..10"

"$bin/gen_trace" "$tmp/in.pcap" 21 1500
both() { echo "($1) or (vlan and $1)"; }   # untagged or 802.1Q-tagged
flow2=$(both "ip and dst host 10.0.0.80 and tcp dst port 80")
flow3=$(both "ip and dst net 10.0.0.0/24 and tcp dst port 80")
mkdir -p "$tmp/expect" "$tmp/flows"
"$bin/pcap_oracle" split "$tmp/in.pcap" "$tmp/expect" 2048 \
	"vnic2=$flow2" "vnic3=$flow3" \
	"vnic1=ether dst 02:00:00:00:00:01 and not vlan" \
	"vnic2=ether dst 02:00:00:00:00:02 and not vlan" \
	"vnic3=ether dst 02:00:00:00:00:03 and not vlan" \
	"+vnic1=ether broadcast and not vlan" "+vnic2=ether broadcast and not vlan" \
	"+vnic3=ether broadcast and not vlan" >"$tmp/expect/counts"
sed 's/^/# expected /' "$tmp/expect/counts"
# What each rule alone should count (hits count every match, any length).
"$bin/pcap_oracle" split "$tmp/in.pcap" "$tmp/flows" 65535 "f2=$flow2" "f3=$flow3" \
	>"$tmp/flows/counts"
want2=$(awk '$1 == "f2" { print $2 }' "$tmp/flows/counts")
want3=$(awk '$1 == "f3" { print $2 }' "$tmp/flows/counts")
echo "# the flows alone: $want2 frames to VNIC 2, $want3 more to VNIC 3"

w=/dev/shm/snic-verbs-$$-large
ctl() { "$bin/snicctl" -d "$w" "$@"; }
"$bin/snic-sim" --profile large --window "$w" --uplink "0:$tmp/in.pcap" \
	--drops "$tmp/drops.pcap" --timeout 120 >"$tmp/sim.log" 2>&1 &
sim_pid=$!
wait_up "$w"
for v in 1 2 3; do ctl vnic add --id $v --mac "02:00:00:00:00:0$v" >/dev/null; done
"$bin/verbs_steer" "$w" 3 10.0.0.0/24 80 1 >"$tmp/steer3" 2>&1
rc3=$?
"$bin/verbs_steer" "$w" 2 10.0.0.80 80 0 >"$tmp/steer2" 2>&1
rc2=$?
sed 's/^/# /' "$tmp/steer3" "$tmp/steer2"
check "priority 1 flow added in its band (location 128 of 1024)" \
	grep -q "to VNIC 3 at rule location 128$" "$tmp/steer3"
check "priority 0 flow added later still lands first (location 0)" \
	grep -q "to VNIC 2 at rule location 0$" "$tmp/steer2"
check "both example runs exit 0" test "$rc2$rc3" = 00
receive_idle "$w" "$tmp"     # the card stays up: hit counters next

for v in 1 2 3; do
	check "vnic $v got exactly the oracle's frames" \
		"$bin/pcap_oracle" compare "$tmp/expect/vnic$v.pcap" "$tmp/out/vnic$v.pcap"
done
hits() { ctl --json rule show "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"])'; }
h2=$(hits 0) h3=$(hits 128)
echo "# hits: location 0 $h2 (want $want2), location 128 $h3 (want $want3)"
check "the flows matched traffic at all" test "${want2:-0}" -gt 10 -a "${want3:-0}" -gt 10
check "hit counters equal the oracle's counts" test "$h2:$h3" = "$want2:$want3"
kill "$sim_pid"; wait "$sim_pid" 2>/dev/null; sim_pid=
check "drops are exactly the oracle's" \
	"$bin/pcap_oracle" compare "$tmp/expect/drop.pcap" "$tmp/drops.pcap"

# The small card cannot match addresses: a clear refusal, nothing added.
w=/dev/shm/snic-verbs-$$-small
"$bin/snic-sim" --profile small --window "$w" --timeout 60 >"$tmp/sim-small.log" 2>&1 &
sim_pid=$!
wait_up "$w"
ctl vnic add --id 2 --mac 02:00:00:00:00:02 >/dev/null
"$bin/verbs_steer" "$w" 2 10.0.0.80 80 >"$tmp/small" 2>&1
rc=$?
sed 's/^/# /' "$tmp/small"
small_refused() {
	[ "$rc" -eq 1 ] && grep -q 'spec 1 (ipv4): dst_ip: the small profile' "$tmp/small" &&
		! ctl rule show 0 >/dev/null 2>"$tmp/show0" && grep -q NOENT "$tmp/show0"
}
check "small card: refused, naming the spec and field, nothing added" small_refused
kill "$sim_pid"; wait "$sim_pid" 2>/dev/null; sim_pid=
