#!/usr/bin/env bash
# A receive guarantee, enforced end to end on the simulator's virtual
# clock: VNIC 2 books 990M of its 1 Gbit/s uplink's receive capacity, so
# snic-bookd caps the other VNIC on that uplink (VNIC 1) at the 10M left,
# with a policer the agent sets up through the library. Two streams of
# 13.9 Mbit/s arrive for 1.2 s: VNIC 2 receives all of its stream, VNIC 1
# exactly what an srTCM at 10M lets through (independent oracle:
# tests/e2e/police_oracle.py). Then the booking goes and so does the cap.
set -u
. "$(dirname "$0")/../e2e/lib.sh"
tmp=$(mktemp -d /tmp/snic-bookd-rx.XXXXXX)
w=/dev/shm/snic-bookd-rx-$$
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"
	rm -f "$w" "$w.state" "$w.bookings" "$w.bookings.log"
}
trap cleanup EXIT
echo "1..10"

A=02:00:00:00:00:0a B=02:00:00:00:00:0b SRC=02:cc:00:00:00:01
COUNT=6000
CAP=10000000
"$bin/gen_seq" "$tmp/in.pcap" --dst $A --dst $B --src $SRC --lens 1000,200,1500,64,700 \
	--gap-ns 200000 --count $COUNT
"$bin/snic-sim" --profile gig --window "$w" --uplink "0:$tmp/in.pcap" --exit-when-idle \
	--timeout 60 >"$tmp/sim.log" 2>&1 &
sim=$!
pids+=($sim)
wait_up "$w" || { echo "Bail out! simulator did not start"; exit 1; }
rm -f "$w.state"
ctl() { "$bin/snicctl" -d "$w" "$@"; }
ctl vnic add --id 1 --mac $A --uplink 0 >/dev/null
ctl vnic add --id 2 --mac $B --uplink 0 >/dev/null
export SNIC_BOOKD_DIR=$tmp/store
"$bin/snic-bookd" --node n1 --nic "snic:$w" -v >"$tmp/agent.log" 2>&1 &
pids+=($!)
ctl booking set 2 --node n1 --in 990M >/dev/null

rx_cap() { ctl booking show 1 --json 2>/dev/null | sed -n 's/^ *"nic_rx_cap_bps": \([0-9]*\),*$/\1/p'; }
cap_is() { [ "$(rx_cap)" = "$1" ]; }
until_true() { local t=$1; shift; for _ in $(seq 1 $((t * 20))); do "$@" && return 0; sleep 0.05; done; return 1; }
check "the agent caps VNIC 1's receive rate at what VNIC 2's booking leaves (10M)" \
	until_true 10 cap_is $CAP
rules() { ctl state | sed -n 's/.* VNICs, \([0-9]*\) rules.*/\1/p'; }
rules_are() { [ "$(rules)" = "$1" ]; }
check "the cap is one rule (host mirror)" rules_are 1
ctl booking del 2 --node n1 >/dev/null
check "the booking goes: so does the cap (rule removed)" until_true 10 rules_are 0
ctl booking set 2 --node n1 --in 990M >/dev/null
check "booked again: the cap is back (its policer reused)" until_true 10 rules_are 1
until_true 10 cap_is $CAP
policer=$(ctl --json meter show | python3 -c '
import json, sys
m = [x for x in json.load(sys.stdin) if x.get("cir_bps") == '$CAP' and x.get("mode") == "srtcm"]
print(m[0]["cbs"] if m else "")' 2>/dev/null)
check "a 10M srTCM policer is set on the device" test -n "$policer"
read -r _ ga _ ya _ ra _ _ _ _ _ _ _ ma <<<"$(python3 "$top/tests/e2e/police_oracle.py" \
	"$tmp/in.pcap" $A srtcm $CAP "$policer" 0)"
echo "# oracle (srTCM $CAP bit/s, CBS ${policer:-?}, EBS 0): green $ga yellow $ya red $ra, margin $ma ns"

receive_all "$w" "$tmp" "$sim"
check "simulator and receiver finish" test -s "$tmp/rx.json"
frames() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(next((v["frames"] for v in d["vnics"] if v["vnic"] == int(sys.argv[2])), 0))' "$tmp/rx.json" "$1"
}
red=$(awk '$2=="drop" && $3=="meter_red" {print $4}' "$tmp/sim.log")
check "VNIC 2 (booked) receives its whole stream ($((COUNT / 2)))" test "$(frames 2)" = $((COUNT / 2))
check "VNIC 1 receives exactly what the srTCM lets through ($((ga + ya)))" test "$(frames 1)" = $((ga + ya))
check "the rest of VNIC 1's stream is counted as policed ($ra)" test "${red:-0}" = "$ra"
res=$("$bin/seq_check" rate "$tmp/out/vnic1.pcap" --src $SRC --rate $CAP --burst "$policer" \
	--min-span-ns 1000000000)
rc=$?
echo "# VNIC 1 output: $res"
check "VNIC 1's rate within 0.5 % of the cap over >= 1 s" test "$rc" -eq 0

