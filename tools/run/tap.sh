#!/usr/bin/env bash
# make run ARGS=--tap (docs/main-job.md): the main job with real programs.
# Each VM is a network namespace (snic-vm1..4) whose interface is a TAP the
# simulated NIC serves as its VNIC; uplink 0 is cabled to a TAP in the
# namespace snic-ext (10.2.0.100), the outside world. From every VM at
# once: ping, then iperf3 (if installed) to the outside; their own figures
# end the report. Called by tools/demo.sh with etcd already running:
#
#   tools/run/tap.sh OUTDIR PROFILE WINDOW
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SNIC_BIN:-$top/build/bin}
out=$1 profile=$2 win=$3
N=4
EXT=10.2.0.100

skip() {
	echo "make run --tap: skipped: $*"
	echo "(make run without --tap shows the same NIC with generated traffic)"
	exit 0
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces and TAP devices)"
[ -c /dev/net/tun ] || skip "no /dev/net/tun on this machine"
command -v ip >/dev/null || skip "no ip command (Debian iproute2)"
ip netns add snic-probe-$$ 2>/dev/null || skip "this machine cannot create network namespaces"
ip netns del snic-probe-$$
command -v ping >/dev/null || skip "no ping (Debian iputils-ping)"
have_iperf=1
command -v iperf3 >/dev/null || have_iperf=0

sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	for i in $(seq 1 $N) ext; do
		ip netns pids "snic-vm$i" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "snic-vm$i" 2>/dev/null
	done
	ip netns pids snic-ext 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del snic-ext 2>/dev/null
	true
}
trap cleanup EXIT
cleanup # leftovers of an interrupted run

rm -f "$out/tap.ready"
"$bin/snic-mainjob" --tap --profile "$profile" --window "$win" --out "$out" \
	--hook "$top/tools/run/hook.sh" --plain &
sim_pid=$!
for _ in $(seq 1 400); do
	[ -e "$out/tap.ready" ] && break
	kill -0 "$sim_pid" 2>/dev/null || { sim_pid=; echo "make run --tap: the simulator stopped"; exit 1; }
	sleep 0.05
done
[ -e "$out/tap.ready" ] || { echo "make run --tap: the simulator never got ready"; exit 1; }

# ns NAME IF IP [MAC]: a namespace holding interface IF with address IP.
ns() {
	ip netns add "$1" &&
	ip link set "$2" netns "$1" &&
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
	{ [ -z "${4:-}" ] || ip -n "$1" link set "$2" address "$4"; } &&
	ip -n "$1" addr add "$3/24" dev "$2" &&
	ip -n "$1" link set lo up && ip -n "$1" link set "$2" up
}
ns snic-ext snic-ext0 $EXT || exit 1
for i in $(seq 1 $N); do
	# The VNIC's MAC and address (sim/scenario.c): anything else is a spoof.
	ns "snic-vm$i" "snic-vm$i" "10.2.0.$i" "02:00:00:00:00:1$i" || exit 1
done
echo "namespaces: snic-vm1..$N (10.2.0.1-$N) behind the simulated NIC, snic-ext ($EXT) on uplink 0"

echo "\$ ping -c 20 -i 0.05 $EXT   (from every VM at once)"
pids=()
for i in $(seq 1 $N); do
	ip netns exec "snic-vm$i" ping -c 20 -i 0.05 -W 2 $EXT >"$out/ping-vm$i.txt" 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
if [ $have_iperf = 1 ]; then
	for i in $(seq 1 $N); do
		ip netns exec snic-ext iperf3 -s -1 -p $((5200 + i)) >/dev/null 2>&1 &
	done
	sleep 0.3
	echo "\$ iperf3 -c $EXT -t 3   (from every VM at once)"
	pids=()
	for i in $(seq 1 $N); do
		ip netns exec "snic-vm$i" iperf3 -c $EXT -p $((5200 + i)) -t 3 -J \
			>"$out/iperf-vm$i.json" 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
fi

kill -TERM "$sim_pid"
wait "$sim_pid"
rc=$?
sim_pid=

{
	echo "real programs (their own figures):"
	for i in $(seq 1 $N); do
		p=$(grep -E "packets transmitted|rtt" "$out/ping-vm$i.txt" | tr '\n' ' ')
		line="  vm$i ping: ${p:-no answer (see $out/ping-vm$i.txt)}"
		if [ $have_iperf = 1 ]; then
			bps=$(python3 -c 'import json,sys
try:
    print("%.0f Mbit/s" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e6))
except Exception:
    print("failed")' "$out/iperf-vm$i.json")
			line="$line; iperf3 TCP: $bps"
		fi
		echo "$line"
	done
	[ $have_iperf = 1 ] || echo "  (iperf3 is not installed: Debian iperf3)"
} | tee -a "$out/report.txt"
exit $rc
