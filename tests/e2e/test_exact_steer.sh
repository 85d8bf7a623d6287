#!/usr/bin/env bash
# VNIC (MAC, VLAN) steering through the exact-match table, end to end: the
# same VNICs on the large card (every VNIC in the exact table) and on the
# small card (everything ternary) must deliver exactly the frames libpcap's
# BPF filters select (pcap_oracle). An untagged, a VLAN 0 (priority-tagged
# frames only) and a VLAN 100 VNIC share a MAC; one tagged VNIC is on the
# shared ring (host software classifier). On the large card the MAC entries
# (numbered past the ternary table, which is all the host's) count no hits:
# the exact table did the steering.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d /tmp/snic-exact.XXXXXX)
sim_pid= rx_pid=
cleanup() {
	[ -n "$rx_pid" ] && kill "$rx_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	rm -rf "$tmp" /dev/shm/snic-exact-$$-*
}
trap cleanup EXIT

echo "1..13"

"$bin/gen_trace" "$tmp/in.pcap" 11 700 prio
mkdir -p "$tmp/expect"
filters=("vnic1=ether dst 02:00:00:00:00:01 and not vlan"
	"vnic2=vlan 100 and ether dst 02:00:00:00:00:01"
	"vnic3=vlan 200 and ether dst 02:00:00:00:00:02"
	"vnic4=vlan 100 and ether dst 02:00:00:00:00:03"
	"vnic5=vlan 0 and ether dst 02:00:00:00:00:01")
# Unclaimed broadcast: a copy to every VNIC of its VLAN (docs/l2.md).
groups=("+vnic1=ether broadcast and not vlan"
	"+vnic2=vlan 100 and ether broadcast"
	"+vnic3=vlan 200 and ether broadcast"
	"+vnic4=vlan 100 and ether broadcast"
	"+vnic5=vlan 0 and ether broadcast")
"$bin/pcap_oracle" split "$tmp/in.pcap" "$tmp/expect" 2048 "${filters[@]}" "${groups[@]}" \
	>"$tmp/expect/counts"
sed 's/^/# expected /' "$tmp/expect/counts"
# Hit counters also count frames later dropped as too long: no length limit
# (and group copies are no hits).
mkdir -p "$tmp/all"
"$bin/pcap_oracle" split "$tmp/in.pcap" "$tmp/all" 65535 "${filters[@]}" >"$tmp/all/counts"

run_card() { # run_card PROFILE: leaves $tmp/PROFILE/{vnic*.pcap,drops.pcap,hits}
	local p=$1 out=$tmp/$1 w=/dev/shm/snic-exact-$$-$1
	mkdir -p "$out"
	ctl() { SNIC_DEV=$w "$bin/snicctl" "$@"; }
	"$bin/snic-sim" --profile "$p" --window "$w" --uplink "0:$tmp/in.pcap" \
		--drops "$out/drops.pcap" --timeout 120 >"$out/sim.log" 2>&1 &
	sim_pid=$!
	wait_up "$w"
	ctl --json caps >"$out/caps.json"
	ctl rx --out-dir "$out" --idle-exit --idle-ms 3000 >"$out/rx.log" 2>&1 &
	rx_pid=$!
	wait_log "$out/rx.log" "buffers posted"
	ctl vnic add --id 1 --mac 02:00:00:00:00:01 >"$out/vnics" 2>&1
	ctl vnic add --id 2 --mac 02:00:00:00:00:01 --vlan 100 >>"$out/vnics" 2>&1
	ctl vnic add --id 3 --mac 02:00:00:00:00:02 --vlan 200 --sw-only >>"$out/vnics" 2>&1
	ctl vnic add --id 4 --mac 02:00:00:00:00:03 --vlan 100 >>"$out/vnics" 2>&1
	ctl vnic add --id 5 --mac 02:00:00:00:00:01 --vlan 0 >>"$out/vnics" 2>&1
	ctl port up 0 >/dev/null
	wait "$rx_pid"; rx_pid=
	# Hits of each VNIC's MAC entry, then a clean stop.
	: >"$out/hits" ; : >"$out/locs"
	for v in 1 2 3 4 5; do
		local loc
		loc=$(ctl --json vnic show $v | python3 -c 'import json,sys; print(json.load(sys.stdin)["mac_rule"])')
		echo "$loc" >>"$out/locs"
		ctl --json rule show "$loc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"])' >>"$out/hits"
	done
	kill "$sim_pid"; wait "$sim_pid"; sim_pid=
}

same_as_oracle() { # same_as_oracle PROFILE
	local ok=0
	for v in 1 2 3 4 5; do
		"$bin/pcap_oracle" compare "$tmp/expect/vnic$v.pcap" "$tmp/$1/vnic$v.pcap" || ok=1
	done
	"$bin/pcap_oracle" compare "$tmp/expect/drop.pcap" "$tmp/$1/drops.pcap" || ok=1
	return $ok
}

run_card large
run_card small
check "large: five VNICs created" test "$(grep -c '^vnic' "$tmp/large/vnics")" -eq 5
check "small: five VNICs created" test "$(grep -c '^vnic' "$tmp/small/vnics")" -eq 5
cls_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["classifier"][sys.argv[2]])' "$1" "$2"; }
check "the large card advertises 16384 exact entries, the small one none" \
	test "$(cls_of "$tmp/large/caps.json" exact) $(cls_of "$tmp/small/caps.json" exact)" = "16384 0"
user_large=$(cls_of "$tmp/large/caps.json" user_entries)
user_small=$(cls_of "$tmp/small/caps.json" user_entries)
check "large: all 1024 ternary entries for host rules, MAC entries past them; small: 48" \
	test "$user_large $(tr '\n' ' ' <"$tmp/large/locs")$user_small" = "1024 1025 1026 1027 1028 1029 48"
check "large (exact table): every VNIC and the drops match the oracle" same_as_oracle large
check "small (ternary only): every VNIC and the drops match the oracle" same_as_oracle small
check "the shared-ring tagged VNIC was split by the host software classifier" \
	test -n "$(grep -E "vnic 3: [1-9][0-9]* frames \(([1-9][0-9]*) via its software ring" "$tmp/large/rx.log")"
check "no software/hardware disagreement on the large card" \
	test -n "$(grep '0 disagreed with hardware' "$tmp/large/rx.log")"
check "large: the MAC entries saw no hits (exact steering)" \
	test "$(tr '\n' ' ' <"$tmp/large/hits")" = "0 0 0 0 0 "
hits_small=$(awk '{s+=$1} END{print s+0}' "$tmp/small/hits")
want=$(awk '$1 ~ /^vnic/ {s+=$2} END{print s+0}' "$tmp/all/counts")
check "small: the same entries count every steered frame ($want)" test "$hits_small" = "$want"
check "the trace has frames for every VNIC" \
	test "$(awk '$1 ~ /^vnic/ && $2 > 5' "$tmp/expect/counts" | wc -l)" -eq 5
check "untagged, priority-tagged and VLAN 100 frames to one MAC are told apart" \
	test "$(awk '$1=="vnic1"||$1=="vnic2"||$1=="vnic5"{print ($2>0)}' "$tmp/expect/counts" | tr -d '\n')" = "111"
check "drops are present" test "$(awk '$1=="drop"{print $2}' "$tmp/expect/counts")" -gt 0
