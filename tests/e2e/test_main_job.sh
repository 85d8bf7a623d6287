#!/usr/bin/env bash
# The main job (make run), shortened: the whole scenario through the real
# wrapper (etcd, snic-bookd, snicctl at the events), twice on the large
# card and once on the small one. The report's figures are checked against
# the configuration, not against the report's own verdicts: every VM got
# at least 99 % of what it booked in every phase (virtual time), the
# booking change reached the NIC and showed, the rule dropped only what it
# named, the failover was seen by every VM, no frame reached the wrong VM;
# and a second run gives the same figures (the clock is virtual).
set -u
. "$(dirname "$0")/lib.sh"
out=$(mktemp -d /tmp/snic-main-job.XXXXXX)
trap 'rm -rf "$out"' EXIT
echo "1..14"

run() { # run NAME ARGS...: the wrapper, report as JSON in $out/NAME
	"$top/tools/demo.sh" --short --json --out "$out/$1" "${@:2}" >"$out/$1.json" \
		2>"$out/$1.err"
}
# py NAME EXPR: EXPR (Python) holds for report r of run NAME; link L, VMs v,
# phases p (by name), the bookings the scenario configures (book).
py() {
	python3 - "$out/$1.json" "$2" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
L = r["link_bps"]
v = r["vms"]
p = {ph["name"].split(":")[0]: ph for ph in r["phases"]}
# sim/scenario.c: bookings per mille of one uplink; vm2's goes to 650.
book = [L // 1000 * m for m in (200, 100, 50, 50)]
def held(ph, booked):
    return all(x["rate_bps"] >= 0.99 * b for x, b in zip(ph["vms"], booked))
after = book[:1] + [L // 1000 * 650] + book[2:]
ok = eval("(" + sys.argv[2] + ")")
if not ok:
    print("# check failed:", sys.argv[2], file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
}

check "the short main job runs to its end (exit 0, every check held)" run a
check "every operator event went through its tool" \
	py a 'all(e["ok"] for e in r["events"]) and len(r["events"]) == 7'
check "the bookings in force are the configured ones, before and after the change" \
	py a '[x["booked_bps"] for x in p["steady"]["vms"]] == book and
	      [x["booked_bps"] for x in p["booking"]["vms"]] == after'
check "every VM got >= 99 % of its booking in every phase (failover, flood included)" \
	py a 'all(held(ph, [x["booked_bps"] for x in ph["vms"]]) for ph in r["phases"])
	      and held(p["uplink 1 cable pulled"], after) and held(p["vm4 floods 64-byte frames"], after)'
check "the booking change shows: vm2 below 65 % before, at it (+-1 %) after" \
	py a 'p["steady"]["vms"][1]["rate_bps"] < 0.9 * after[1] and
	      abs(p["booking"]["vms"][1]["rate_bps"] - after[1]) <= 0.01 * after[1]'
check "the flood: vm4 sends many more frames, the others stay at >= their booking" \
	py a 'v[3]["tx_packets"] > 2 * v[2]["tx_packets"] and held(p["vm4 floods 64-byte frames"], after)'
check "the rule dropped host B's flood to vm2 only; without it the flood got through" \
	py a 'v[1]["drops"]["rule"] > 0 and all(x["drops"]["rule"] == 0 for x in v[:1] + v[2:])
	      and r["device_drops"].get("rule_drop") == v[1]["drops"]["rule"]
	      and v[1]["rx_packets"] > v[0]["rx_packets"] + 1000'
check "failover seen by every VM, each flow back within 1 ms, little lost" \
	py a 'r["failover"]["seen"] and all(0 < x["failover_tx_ns"] < 1000000 and
	      0 < x["rx_gap_ns"] < 1000000 and x["lost"] < 100 for x in v)'
check "no frame to the wrong VM, nothing dropped for want of a ring" \
	py a 'r["wrong_vm_frames"] == 0 and all(x["wrong_frames"] == 0 and
	      x["drops"]["ring_full"] == 0 and x["rx_packets"] > 0 for x in v)'
check "the plot exists as PNG and SVG where the report says" \
	py a 'open(r["plot"]["png"], "rb").read(8) == b"\x89PNG\r\n\x1a\n" and
	      b"<svg" in open(r["plot"]["svg"], "rb").read()'
run b
check "a second run gives the very same figures (virtual time)" \
	python3 -c 'import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
sys.exit(0 if a["phases"] == b["phases"] and
	 a["vms"] == b["vms"] else 1)' "$out/a.json" "$out/b.json"
check "the small card (software ring, MAC rule): guarantees and isolation hold too" \
	sh -c "'$top/tools/demo.sh' --short --json --profile small --out '$out/s' >'$out/s.json' 2>&1 &&
	       grep -q '\"guarantees_held\": true' '$out/s.json' &&
	       grep -q '\"wrong_vm_frames\": 0,' '$out/s.json'"
bad() { # bad ARGS...: refused with a message, exit 1, no output directory made
	local rc=0
	"$bin/snic-mainjob" --out "$out/bad" "$@" >/dev/null 2>"$out/bad.err" || rc=$?
	[ $rc = 1 ] && grep -q snic-mainjob "$out/bad.err" && [ ! -e "$out/bad" ]
}
check "bad options are refused with a message (step 0, unknown profile)" \
	sh -c "$(declare -f bad); out='$out' bin='$bin'; bad --step 0 && bad --profile nosuch"
# The checks can fail: a hook that does nothing leaves the NIC without the
# bookings, and the run says the guarantees did not hold (exit 1).
nobook() {
	"$bin/snic-mainjob" --short --json --out "$out/nobook" --window /dev/shm/snic-nobook-$$ \
		--hook true >"$out/nobook.json" 2>/dev/null
	[ $? = 1 ] && grep -q '"guarantees_held": false' "$out/nobook.json"
}
check "without the bookings in the NIC the run reports the guarantees broken" nobook
