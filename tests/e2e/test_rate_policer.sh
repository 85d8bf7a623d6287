#!/usr/bin/env bash
# RX policers end to end on the simulator's virtual clock.
#
# Two streams of sequence-numbered frames (mixed sizes, 13.9 Mbit/s each)
# arrive on uplink 0 for 1.2 s of simulated time. Stream A hits a rule with
# an srTCM policer (8M, L2 bytes, red dropped), stream B a rule with a
# trTCM policer (6M/10M, wire bytes, red marked). The expected colour of
# every frame comes from police_oracle.py (the RFCs in exact fractions,
# no snic code); the device must agree frame for frame in its counts:
# SNIC_DROP_METER, delivered frames and the colours snicctl rx reports.
# The srTCM output rate is measured from the delivered frames' device
# timestamps: within 0.5 % of CIR over 1 s and never above CBS+EBS + CIR*t.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d /tmp/snic-police.XXXXXX)
w=/dev/shm/snic-police-$$
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$tmp"; rm -f "$w" "$w.state"; }
trap cleanup EXIT

A=02:00:00:00:00:0a B=02:00:00:00:00:0b SRC=02:cc:00:00:00:01
COUNT=6000
echo "1..9"

"$bin/gen_seq" "$tmp/in.pcap" --dst $A --dst $B --src $SRC --lens 1000,200,1500,64,700 \
	--gap-ns 200000 --count $COUNT
read -r _ ga _ ya _ ra _ _ _ _ _ _ _ ma <<<"$(python3 "$top/tests/e2e/police_oracle.py" \
	"$tmp/in.pcap" $A srtcm 8000000 8000 16000)"
read -r _ gb _ yb _ rb _ _ _ _ _ _ _ mb <<<"$(python3 "$top/tests/e2e/police_oracle.py" \
	"$tmp/in.pcap" $B trtcm 6000000 6000 10000000 12000 --wire)"
echo "# oracle A (srTCM, drop): green $ga yellow $ya red $ra, margin $ma ns"
echo "# oracle B (trTCM, mark): green $gb yellow $yb red $rb, margin $mb ns"
# Arrivals are exact in the simulator; a margin of whole engine clocks
# (4 ns) keeps the comparison meaningful even for one clock of skew.
check "the trace exercises every colour with margins over 4 ns" \
	python3 -c "import sys; a=[int(x) for x in sys.argv[1:7]]; m=[float(x) for x in sys.argv[7:]]; \
sys.exit(0 if min(a) > 5 and min(m) > 4 else 1)" "$ga" "$ya" "$ra" "$gb" "$yb" "$rb" "$ma" "$mb"

"$bin/snic-sim" --profile large --window "$w" --uplink "0:$tmp/in.pcap" --exit-when-idle \
	--drops "$tmp/drops.pcap" \
	--timeout 60 >"$tmp/sim.log" 2>&1 &
pids+=($!)
sim=$!
wait_up "$w"
ctl() { "$bin/snicctl" -d "$w" "$@"; }
ctl vnic add --id 1 --mac $A >/dev/null
ctl vnic add --id 2 --mac $B >/dev/null
ctl meter set 1 --mode srtcm --cir 8M --cbs 8000 --ebs 16000 >/dev/null
ctl meter set 2 --mode trtcm --cir 6M --cbs 6000 --pir 10M --pbs 12000 --wire --mark >/dev/null
ctl rule add --dst-mac $A --vnic 1 --meter 1 >/dev/null
ctl rule add --dst-mac $B --vnic 2 --meter 2 >/dev/null
receive_all "$w" "$tmp" "$sim"
check "simulator and receiver finish" test -s "$tmp/rx.json"

simdrop() { awk -v r="$1" '$2=="drop" && $3==r {print $4}' "$tmp/sim.log"; }
meter_red=$(simdrop meter_red)
check "SNIC_DROP_METER counts exactly the srTCM's red frames ($ra)" test "${meter_red:-0}" = "$ra"
check "no frame lost for any other reason" \
	test -z "$(awk '$2=="drop" && $3!="meter_red"' "$tmp/sim.log")"

vnic() { # vnic ID FIELD... -> value from snicctl rx --json (0 if absent)
	python3 - "$tmp/rx.json" "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
x = next((v for v in d["vnics"] if v["vnic"] == int(sys.argv[2])), {})
for k in sys.argv[3:]:
    x = x.get(k, {}) if isinstance(x, dict) else {}
print(x if x != {} else 0)
PY
}
check "vnic 1 receives exactly the green and yellow frames ($((ga + ya)))" \
	test "$(vnic 1 frames)" = "$((ga + ya))"
check "vnic 2 receives every frame, red ones marked, not dropped ($((COUNT / 2)))" \
	test "$(vnic 2 frames)" = "$((COUNT / 2))"
check "trTCM colours match the RFC 2698 oracle frame counts" \
	test "$(vnic 2 metered green) $(vnic 2 metered yellow) $(vnic 2 metered red)" = "$gb $yb $rb"
check "the marked stream arrives complete and in order" \
	sh -c "'$bin/seq_check' order '$tmp/out/vnic2.pcap' $((COUNT / 2)) >/dev/null"

res=$("$bin/seq_check" rate "$tmp/out/vnic1.pcap" --src $SRC --rate 8000000 --burst 24000 \
	--min-span-ns 1000000000)
rc=$?
echo "# srTCM output: $res"
check "srTCM output within 0.5 % of CIR over >= 1 s, never above CBS+EBS + CIR*t" test "$rc" -eq 0
