#!/usr/bin/env bash
# Two simulated cards, one capability format: the same tools work on both;
# the small card refuses what it cannot hold and falls back to the shared
# (software) ring when its hardware rings run out.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d /tmp/snic-prof.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp" /dev/shm/snic-prof-$$-*; }
trap cleanup EXIT

echo "1..9"

start() { # start PROFILE -> window path
	local w=/dev/shm/snic-prof-$$-$1
	"$bin/snic-sim" --profile "$1" --window "$w" --timeout 60 --quiet >"$tmp/sim-$1.log" 2>&1 &
	pids+=($!)
	wait_up "$w"
	echo "$w"
}
wl=$(start large)
ws=$(start small)
ctl_l() { SNIC_DEV=$wl "$bin/snicctl" "$@"; }
ctl_s() { SNIC_DEV=$ws "$bin/snicctl" "$@"; }

ctl_l --json caps >"$tmp/large.json"
ctl_s --json caps >"$tmp/small.json"
check "both cards advertise valid JSON capabilities" \
	python3 -c 'import json,sys; [json.load(open(f)) for f in sys.argv[1:]]' "$tmp/large.json" "$tmp/small.json"

shape_and_contents() {
	python3 - "$tmp/large.json" "$tmp/small.json" <<'PY'
import json, sys
def shape(x):
    if isinstance(x, dict): return {k: shape(v) for k, v in x.items()}
    if isinstance(x, list): return [shape(x[0])] if x else []
    return type(x).__name__
a, b = (json.load(open(f)) for f in sys.argv[1:])
ok = shape(a) == shape(b)
ok &= len(a["rx_rings"]) == 16 and len(b["rx_rings"]) == 4
ok &= a["classifier"]["ternary"] == 1024 and b["classifier"]["ternary"] == 64
sys.exit(0 if ok else 1)
PY
}
check "same format, different contents (16 vs 4 HRRs, 1024 vs 64 entries)" shape_and_contents

ring_order() {
	python3 - "$tmp/small.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
ids = [r["id"] for r in c["rx_rings"]]
sys.exit(0 if ids == sorted(ids) and all(r["size"] > 0 and r["poll_off"] > 0 for r in c["rx_rings"]) else 1)
PY
}
check "every HRR record has a size and a poll entry point" ring_order

out=$(ctl_s rule add --dst-ip 10.0.0.1 --drop 2>&1); rc=$?
check "small card refuses an IP rule with a clear error" \
	test "$rc" -ne 0 -a -n "$(echo "$out" | grep -i 'not supported')"

for i in 1 2 3 4 5; do
	ctl_s vnic add --id "$i" --mac "02:00:00:00:01:0$i" >"$tmp/vnic$i.out" 2>&1
done
check "the first three VNICs get dedicated HRRs" \
	test "$(grep -l dedicated "$tmp"/vnic[123].out | wc -l)" -eq 3
check "VNICs beyond the HRRs fall back to the shared ring" \
	test "$(grep -l shared "$tmp"/vnic[45].out | wc -l)" -eq 2

out=$(ctl_s vnic add --mac 02:00:00:00:01:01 2>&1); rc=$?
check "a duplicate MAC is refused" test "$rc" -ne 0

# The freed HRR goes back to hardware at once: the host promotes the first
# shared-ring VNIC (4) onto it, so the next new VNIC shares HRR 0.
out=$(ctl_s vnic del 2 2>&1)
out6=$(ctl_s vnic add --id 6 --mac 02:00:00:00:01:06 2>&1)
check "a freed HRR goes to a VNIC from the shared ring" \
	test -n "$(echo "$out" | grep 'vnic 4 moved from the shared ring to rx ring 2')" \
	-a -n "$(echo "$out6" | grep shared)"

ctl_l rule add --dst-ip 10.0.0.0/24 --drop >"$tmp/rule.out" 2>&1
check "large card takes the IP rule the small one refused" test $? -eq 0
