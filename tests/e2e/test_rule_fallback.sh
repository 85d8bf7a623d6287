#!/usr/bin/env bash
# Software fallback for rules the card cannot match (small card: no IP
# addresses, protocols or ports in its classifier). `rule add flow-type
# tcp4 dst-ip 10.0.0.80 dst-port 80 vf 2` is held in software: the card
# sends every frame of the rule's coarse form (IPv4 with valid L4 fields)
# to the shared ring, and the host software classifier (snicctl rx) gives
# VNIC 2 exactly the frames of the rule, and every other frame where it
# would have gone without the rule. VNICs 1-3 have their own rings, VNIC 4
# is on the shared ring. Each VNIC's pcap must equal what libpcap's BPF
# filters select (pcap_oracle, no snic code); the card's and the software
# classifier's counters must say the same. A rule software cannot hold
# either (a drop) is refused and adds nothing; restore after the card came
# back empty puts the coarse form back; rule del removes both parts.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d /tmp/snic-swfb.XXXXXX)
w=/dev/shm/snic-swfb-$$
sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	rm -rf "$tmp" "$w" "$w.state"
}
trap cleanup EXIT
ctl() { "$bin/snicctl" -d "$w" "$@"; }

echo "1..13"

# The mixed trace, 100 us apart: the host keeps up with the shared ring.
"$bin/gen_trace" "$tmp/gen.pcap" 21 1500
python3 - "$tmp/gen.pcap" "$tmp/in.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
out, o, i = [d[:24]], 24, 0
while o < len(d):
    s, u, c, l = struct.unpack("<IIII", d[o:o + 16])
    out.append(struct.pack("<IIII", 1 + i // 10000, (i % 10000) * 100, c, l) + d[o + 16:o + 16 + c])
    o, i = o + 16 + c, i + 1
open(sys.argv[2], "wb").write(b"".join(out))
PY
both() { echo "($1) or (vlan and $1)"; }   # untagged or 802.1Q-tagged
flow=$(both "ip and dst host 10.0.0.80 and tcp dst port 80")
mkdir -p "$tmp/expect" "$tmp/flow"
mac() { echo "vnic$1=ether dst 02:00:00:00:00:0$1 and not vlan"; }
bcast() { echo "+vnic$1=ether broadcast and not vlan"; }
"$bin/pcap_oracle" split "$tmp/in.pcap" "$tmp/expect" 2048 "vnic2=$flow" \
	"$(mac 1)" "$(mac 2)" "$(mac 3)" "$(mac 4)" \
	"$(bcast 1)" "$(bcast 2)" "$(bcast 3)" "$(bcast 4)" >"$tmp/expect/counts"
sed 's/^/# expected /' "$tmp/expect/counts"
"$bin/pcap_oracle" split "$tmp/in.pcap" "$tmp/flow" 2048 "f=$flow" "rest=not ($flow)" \
	>"$tmp/flow/counts"
want=$(awk '$1 == "f" { print $2 }' "$tmp/flow/counts")

"$bin/snic-sim" --profile small --window "$w" --uplink "0:$tmp/in.pcap" --realtime \
	--drops "$tmp/drops.pcap" --timeout 120 >"$tmp/sim.log" 2>&1 &
sim_pid=$!
wait_up "$w"
for v in 1 2 3 4; do ctl vnic add --id $v --mac "02:00:00:00:00:0$v" >/dev/null; done
ctl rule add flow-type tcp4 dst-ip 10.0.0.80 dst-port 80 vf 2 loc 0 >"$tmp/add" 2>&1
rc=$?
sed 's/^/# /' "$tmp/add"
check "rule add succeeds and says it is held in software, naming the fields" \
	grep -q "^rule 0 added, held in software: this device cannot match ip_proto, dip, dport" \
	"$tmp/add"
test "$rc" -eq 0 || echo "# rule add exit status $rc"
ctl rule show >"$tmp/show"
sed 's/^/# /' "$tmp/show"
check "rule show gives the rule as asked, marked as software" \
	grep -q "dst_ip 10.0.0.80/32 dport 80 -> vnic 2 \[in software: device lacks" "$tmp/show"
sw_json() {
	ctl --json rule show 0 | python3 -c 'import json,sys
r = json.load(sys.stdin)
sys.exit(not (r["software"] and r["match"]["dport"] == "80" and r["device_lacks"]))'
}
check "rule show --json marks it software" sw_json
ctl rule add flow-type tcp4 dst-ip 10.0.0.81 action -1 loc 1 >"$tmp/drop" 2>&1
rc=$?
sed 's/^/# /' "$tmp/drop"
refused() {
	[ "$rc" -ne 0 ] && grep -q "not supported by this device (profile small); the software" \
		"$tmp/drop" && ! ctl rule show 1 >/dev/null 2>&1
}
check "a drop on fields the card lacks is refused, nothing added" refused

mkdir -p "$tmp/out"
ctl --json rx --out-dir "$tmp/out" --idle-exit --idle-ms 3000 >"$tmp/rx.json" 2>"$tmp/rx.err" &
rx=$!
wait_log "$tmp/rx.err" "buffers posted"
wait_device_time "$w" 2000000
ctl port up 0 >/dev/null
wait "$rx"
sed 's/^/# rx: /' "$tmp/rx.err"
# The same frames, order aside: a VNIC with its own ring gets the rule's
# frames through the software path, which interleaves with its ring's
# frames otherwise than on the wire (other flows, as across RSS queues).
same_frames() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
def frames(path):
    d, o, out = open(path, "rb").read(), 24, []
    while o < len(d):
        c = struct.unpack("<IIII", d[o:o + 16])[2]
        out.append(d[o + 16:o + 16 + c])
        o += 16 + c
    return sorted(out)
a, b = frames(sys.argv[1]), frames(sys.argv[2])
if a != b:
    print("# %d frames expected, %d received, %d differ" % (len(a), len(b), len(set(a) ^ set(b))))
sys.exit(a != b or not a)
PY
}
for v in 1 2 3 4; do
	check "vnic $v got exactly the oracle's frames" \
		same_frames "$tmp/expect/vnic$v.pcap" "$tmp/out/vnic$v.pcap"
done

# The card's hit counter counts the coarse form; software splits it.
hits=$(ctl --json rule show 0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"])')
ctl --json stats >"$tmp/stats.json"
python3 - "$tmp/rx.json" "$tmp/stats.json" "$hits" "$want" >"$tmp/counts" <<'PY'
import json, sys
rx, st = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
sw, hits, want = rx["software_classifier"], int(sys.argv[3]), int(sys.argv[4])
print(sw["software_rule_hits"], sw["software_rule_fallthrough"], sw["mismatch_with_hw"],
      hits, want, st["drops"]["ring_full"], sw["drop_no_match"])
PY
read -r sw_hits sw_fall mism hw_hits want_n ring_full sw_nomatch <"$tmp/counts"
echo "# device hits $hw_hits; software: $sw_hits rule, $sw_fall fell through," \
	"$mism disagreed; oracle $want_n; ring_full $ring_full"
check "software rule hits equal the oracle's frames of the rule (> 10)" \
	test "$sw_hits" = "$want_n" -a "$want_n" -gt 10
check "card's hits = software hits + fall-throughs (> 0), no disagreement, no ring full" \
	test "$hw_hits" = $((sw_hits + sw_fall)) -a "$sw_fall" -gt 0 -a "$mism:$ring_full" = 0:0

# A frame nobody wants is dropped by the card, or (caught by the coarse
# form) by the software classifier: together exactly the oracle's drops.
kill "$sim_pid"; wait "$sim_pid" 2>/dev/null; sim_pid=
n_frames() { python3 -c 'import sys
d, o, n = open(sys.argv[1], "rb").read(), 24, 0
while o < len(d):
    o += 16 + int.from_bytes(d[o + 8:o + 12], "little"); n += 1
print(n)' "$1"; }
card_drops=$(n_frames "$tmp/drops.pcap") want_drops=$(n_frames "$tmp/expect/drop.pcap")
echo "# drops: card $card_drops, software $sw_nomatch, oracle $want_drops"
check "card drops + software no-match drops = the oracle's drops (software > 0)" \
	test $((card_drops + sw_nomatch)) = "$want_drops" -a "$sw_nomatch" -gt 0

# The card comes back empty (a new simulator on the window): restore puts
# the coarse form back, and the rule is again held in software.
"$bin/snic-sim" --profile small --window "$w" --timeout 60 >"$tmp/sim2.log" 2>&1 &
sim_pid=$!
wait_up "$w"
ctl restore >"$tmp/restore" 2>&1
sed 's/^/# /' "$tmp/restore"
restored() {
	grep -q "^rule 0: restored" "$tmp/restore" &&
		ctl rule show 0 | grep -q "dport 80 -> vnic 2 \[in software"
}
check "restore re-adds the coarse form; rule show gives the software rule" restored
gone() {
	ctl rule del 0 >/dev/null && ! ctl rule show 0 >/dev/null 2>&1 &&
		[ "$(ctl --json rule show)" = "[]" ] && ctl state | grep -q ", 0 rules," &&
		ctl rule add flow-type ether dst 02:00:00:00:00:03 vf 3 loc 0 >"$tmp/hwadd" &&
		grep -qx "rule 0 added" "$tmp/hwadd"
}
check "rule del removes it from the card and the mirror; a plain rule goes in hardware" gone

