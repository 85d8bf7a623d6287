#!/usr/bin/env bash
# The main job (make run; docs/main-job.md): the simulated NIC with four
# VMs behind it, a two-uplink bond to a switch with two external hosts,
# traffic both ways, a local etcd holding the VMs' bookings and snic-bookd
# mirroring them into the NIC; on the way a booking changes, an n-tuple
# rule comes and goes, an uplink fails and comes back, and one VM floods.
# Ends with a report and a plot.
#
#   tools/demo.sh [--profile large|small] [--short] [--json] [--plain]
#                 [--tap] [--out DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SNIC_BIN:-$top/build/bin}
out=$top/build/run
profile=large
args=()
tap=0
while [ $# -gt 0 ]; do
	case $1 in
	--profile) profile=$2; shift ;;
	--out) out=$2; shift ;;
	--short | --json | --plain) args+=("$1") ;;
	--tap) tap=1 ;;
	-h | --help) sed -n '2,11p' "$0"; exit 0 ;;
	*) echo "demo.sh: unknown option '$1' (see --help)" >&2; exit 1 ;;
	esac
	shift
done
json=0
for a in "${args[@]}"; do [ "$a" = --json ] && json=1; done
note() { [ $json = 1 ] || echo "$*"; }

mkdir -p "$out"
rm -f "$out"/bookd.log "$out"/bookd.pid "$out"/etcd.log
win=/dev/shm/snic-run-$$
etcd_pid=
cleanup() {
	local agent
	agent=$(cat "$out/bookd.pid" 2>/dev/null) || true
	if [ -n "$agent" ] && kill "$agent" 2>/dev/null; then
		# It writes its snapshot as it exits: remove the files after that.
		for _ in $(seq 1 100); do kill -0 "$agent" 2>/dev/null || break; sleep 0.02; done
	fi
	[ -n "$etcd_pid" ] && kill "$etcd_pid" 2>/dev/null && wait "$etcd_pid" 2>/dev/null || true
	rm -rf "$out/etcd" "$win" "$win.state" "$win.bookings" "$win.bookings.log"
}
trap cleanup EXIT

# etcd: one member on loopback, ports from our pid, data in the output dir.
ETCD_URL=
if [ -x /usr/bin/etcd ] && [ -x /usr/bin/etcdctl ]; then
	port=$((23000 + ($$ * 13) % 20000))
	ETCD_URL=http://127.0.0.1:$port
	/usr/bin/etcd --name main-job --data-dir "$out/etcd" \
		--listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
		--listen-peer-urls "http://127.0.0.1:$((port + 1))" \
		--initial-advertise-peer-urls "http://127.0.0.1:$((port + 1))" \
		--initial-cluster "main-job=http://127.0.0.1:$((port + 1))" \
		--heartbeat-interval 50 --election-timeout 500 >"$out/etcd.log" 2>&1 &
	etcd_pid=$!
	for _ in $(seq 1 300); do
		etcdctl --endpoints "$ETCD_URL" --command-timeout=1s endpoint health >/dev/null 2>&1 &&
			break
		sleep 0.05
	done
	note "etcd: one member on $ETCD_URL (log $out/etcd.log); snic-bookd mirrors the bookings"
else
	note "etcd is not installed (Debian etcd-server, etcd-client): the bookings are set with snicctl instead"
fi

export SNIC_DEV=$win SNIC_BIN=$bin RUN_OUT=$out ETCD_URL ETCDCTL=/usr/bin/etcdctl
if [ $tap = 1 ]; then
	"$top/tools/run/tap.sh" "$out" "$profile" "$win"
	exit
fi
"$bin/snic-mainjob" --profile "$profile" --window "$win" --out "$out" \
	--hook "$top/tools/run/hook.sh" ${args[@]+"${args[@]}"}
