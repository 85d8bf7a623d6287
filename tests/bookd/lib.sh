# Sourced by the booking agent's end-to-end tests (not a test itself):
# real etcd servers on loopback (one member or a three-member cluster),
# started and stopped by the tests, plus the snic e2e helpers.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

ETCD=${ETCD:-/usr/bin/etcd}
ETCDCTL=${ETCDCTL:-/usr/bin/etcdctl}
# Ports from the pid, so parallel runs do not collide.
etcd_base=$((21000 + ($$ * 17) % 20000))
etcd_pids=()
etcd_names=()

# need_etcd: skip the whole test (TAP plan with a SKIP) where etcd cannot run.
need_etcd() {
	if [ ! -x "$ETCD" ] || [ ! -x "$ETCDCTL" ]; then
		echo "1..0 # SKIP etcd not installed (Debian packages etcd-server, etcd-client)"
		exit 0
	fi
}

# etcd_url I: client URL of member I (0..2)
etcd_url() { echo "http://127.0.0.1:$((etcd_base + 2 * $1))"; }
etcd_peer() { echo "http://127.0.0.1:$((etcd_base + 2 * $1 + 1))"; }

# etcd_start I N DATADIR: start member I of an N-member cluster (N 1 or 3).
etcd_start() {
	local i=$1 n=$2 dir=$3 cluster="" j
	for ((j = 0; j < n; j++)); do
		cluster+="${cluster:+,}m$j=$(etcd_peer $j)"
	done
	"$ETCD" --name "m$i" --data-dir "$dir/m$i" \
		--listen-client-urls "$(etcd_url "$i")" --advertise-client-urls "$(etcd_url "$i")" \
		--listen-peer-urls "$(etcd_peer "$i")" --initial-advertise-peer-urls "$(etcd_peer "$i")" \
		--initial-cluster "$cluster" --initial-cluster-token "snic-test-$$" \
		--initial-cluster-state new --heartbeat-interval 50 --election-timeout 500 \
		>"$dir/m$i.log" 2>&1 &
	etcd_pids[$i]=$!
}

# etcd_wait I: until member I answers (about 15 s at most).
etcd_wait() {
	for _ in $(seq 1 300); do
		"$ETCDCTL" --endpoints "$(etcd_url "$1")" --command-timeout=1s endpoint health \
			>/dev/null 2>&1 && return 0
		sleep 0.05
	done
	return 1
}

# etcd_kill I: SIGKILL member I (data kept: etcd_start brings it back).
etcd_kill() {
	[ -n "${etcd_pids[$1]:-}" ] || return 0
	kill -9 "${etcd_pids[$1]}" 2>/dev/null || true
	wait "${etcd_pids[$1]}" 2>/dev/null || true
	etcd_pids[$1]=
}

etcd_stop_all() {
	local i
	for i in "${!etcd_pids[@]}"; do etcd_kill "$i"; done
}

# ectl ARGS...: etcdctl against every member running.
ectl() {
	local eps="" i
	for i in "${!etcd_pids[@]}"; do
		[ -n "${etcd_pids[$i]}" ] && eps+="${eps:+,}$(etcd_url "$i")"
	done
	"$ETCDCTL" --endpoints "$eps" --command-timeout=3s "$@"
}

# until_true SECONDS COMMAND...: poll COMMAND every 50 ms.
until_true() {
	local t=$1
	shift
	for _ in $(seq 1 $((t * 20))); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
