#!/usr/bin/env bash
# The receive path alone, pcap in -> VNIC pcaps out (make run before the
# main job; docs/main-job.md). Still handy to see the classifier at work.
#
# A pcap of mixed traffic enters uplink 0 of the simulated NIC. The host
# side (snicctl, the user-space driver) reads the capabilities, creates
# three VNICs (two with dedicated hardware rings, one on the shared ring),
# adds an n-tuple rule, brings the port up and writes one pcap per VNIC.
#
#   tools/run/pcap-demo.sh [OUTDIR] [PROFILE]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SNIC_BIN:-$top/build/bin}
out=${1:-$top/build/demo}
profile=${2:-large}
win=/dev/shm/snic-demo-$$
export SNIC_DEV=$win

mkdir -p "$out"
rm -f "$out"/vnic*.pcap
sim_pid= rx_pid=
cleanup() {
	[ -n "$rx_pid" ] && kill "$rx_pid" 2>/dev/null || true
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
	rm -f "$win" "$win.state"
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

"$bin/gen_trace" "$out/in.pcap" "${SEED:-1}" "${FRAMES:-600}"
say "snic-sim: $profile NIC, uplink 0 fed from $out/in.pcap"
"$bin/snic-sim" --profile "$profile" --window "$win" --uplink "0:$out/in.pcap" \
	--drops "$out/drops.pcap" --exit-when-idle --timeout 120 >"$out/sim.log" 2>&1 &
sim_pid=$!

# The device is ready once the firmware has booted (state RUNNING).
for _ in $(seq 1 200); do
	"$bin/snicctl" caps >/dev/null 2>&1 && break
	kill -0 "$sim_pid" 2>/dev/null || { cat "$out/sim.log"; exit 1; }
	sleep 0.05
done

say "capabilities (the standardized format)"
run "$bin/snicctl" caps

say "host: receive on every ring, one pcap per VNIC"
"$bin/snicctl" rx --out-dir "$out" >"$out/rx.log" 2>&1 &
rx_pid=$!
for _ in $(seq 1 200); do
	grep -q "buffers posted" "$out/rx.log" 2>/dev/null && break
	kill -0 "$rx_pid" 2>/dev/null || { cat "$out/rx.log"; exit 1; }
	sleep 0.05
done

say "VNICs and rules"
run "$bin/snicctl" vnic add --id 1 --mac 02:00:00:00:00:01
run "$bin/snicctl" vnic add --id 2 --mac 02:00:00:00:00:02 --vlan 100
run "$bin/snicctl" vnic add --id 3 --mac 02:00:00:00:00:03 --sw-only
if [ "$profile" = large ]; then
	run "$bin/snicctl" rule add --proto tcp --dst-ip 10.0.0.80 --dport 80 --vnic 3
fi
run "$bin/snicctl" port up 0

wait "$sim_pid"; sim_pid=
wait "$rx_pid"; rx_pid=
say "simulator"
cat "$out/sim.log"
say "host receive"
cat "$out/rx.log"
say "device counters"
"$bin/snicctl" stats
say "outputs in $out: in.pcap, vnic1.pcap vnic2.pcap vnic3.pcap, drops.pcap"
