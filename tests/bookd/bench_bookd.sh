#!/usr/bin/env bash
# make bench-bookd: the booking agent against a real etcd (one member,
# loopback), measured here; writes docs/benchmarks-bookd.md.
#   BENCH_BOOKINGS (10000) BENCH_ROUNDS (2000) BENCH_NODES (128)
#   BENCH_TOTAL (100000) BENCH_STEADY_S (20)
set -eu
. "$(dirname "$0")/lib.sh"
[ -x "$ETCD" ] || { echo "bench-bookd: etcd not installed (etcd-server, etcd-client)"; exit 1; }
books=${BENCH_BOOKINGS:-10000}
rounds=${BENCH_ROUNDS:-2000}
nodes=${BENCH_NODES:-128}
total=${BENCH_TOTAL:-100000}
steady=${BENCH_STEADY_S:-20}
page=$top/docs/benchmarks-bookd.md
out=$(mktemp -d /tmp/snic-bench-bookd.XXXXXX)
win=/dev/shm/snic-bench-bookd-$$
sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	etcd_stop_all
	wait 2>/dev/null || true
	rm -rf "$out" "$win" "$win.state" "$win.bookings" "$win.bookings.log"
}
trap cleanup EXIT

# metric NAME: an etcd server metric (sum over label sets) from /metrics
metric() { curl -s "$(etcd_url 0)/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $2} END {printf "%.0f", s}'; }
fresh_etcd() {
	etcd_stop_all
	rm -rf "${out:?}/m0"
	etcd_start 0 1 "$out"
	etcd_wait 0
}
val() { sed -n "s/^$1 //p" "$2"; }

echo "bench-bookd: one node, $books bookings, NIC model ($rounds changes)"
fresh_etcd
"$bin/bench_bookd" latency "$(etcd_url 0)" "model:$books:16:100000000000" "$books" "$rounds" \
	>"$out/model.txt"
cat "$out/model.txt"

echo "bench-bookd: one node, the simulated snic (128 VNICs, read back from the device)"
fresh_etcd
"$bin/snic-sim" --profile large --window "$win" --timeout 600 >"$out/sim.log" 2>&1 &
sim_pid=$!
wait_up "$win" --timeout 5000
for v in $(seq 0 127); do
	SNIC_DEV=$win "$bin/snicctl" vnic add --id "$v" --uplink $((v % 2)) \
		--mac "$(printf '02:00:00:00:%02x:%02x' $((v / 256)) $((v % 256)))" >/dev/null
done
"$bin/bench_bookd" latency "$(etcd_url 0)" "snic:$win" 128 "$rounds" >"$out/snic.txt"
cat "$out/snic.txt"
kill "$sim_pid"
sim_pid=

echo "bench-bookd: $nodes nodes, $total bookings, ${steady}s steady state with a shared pipe"
fresh_etcd
ectl put /snic/v1/default/pipes/bench/config '{"v":1,"capacity":"10G"}' >/dev/null
rx0=$(metric etcd_network_client_grpc_received_bytes_total)
tx0=$(metric etcd_network_client_grpc_sent_bytes_total)
"$bin/bench_bookd" cluster "$(etcd_url 0)" "$nodes" "$total" 20 "$steady" >"$out/cluster.txt"
rx1=$(metric etcd_network_client_grpc_received_bytes_total)
tx1=$(metric etcd_network_client_grpc_sent_bytes_total)
cat "$out/cluster.txt"
secs=$(val steady_seconds "$out/cluster.txt")

cpu=$(grep -c ^processor /proc/cpuinfo)
m=$out/model.txt s=$out/snic.txt c=$out/cluster.txt
{
	echo "# Booking agent benchmarks"
	echo
	echo "Written by \`make bench-bookd\` (tests/bookd/bench_bookd.sh) on $(date -u +%Y-%m-%d),"
	echo "$cpu CPUs ($(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)), etcd $("$ETCD" --version | sed -n 's/^etcd Version: //p')"
	echo "(one member on loopback, Debian's package), the agent's etcd client"
	echo "(libcurl through the v3 JSON gateway). Every figure is measured; the"
	echo "NIC model is an in-memory NIC (no traffic), the snic figures read the"
	echo "device back through the simulator's admin queue."
	echo
	echo "## From an etcd put to the NIC holding it (one node)"
	echo
	echo "Each round writes one changed booking and steps the agent until the"
	echo "NIC reads the new minimum back. Side by side, the same client's bare"
	echo "etcd put (what any change costs before the agent sees it)."
	echo
	echo "| NIC | bookings on the node | changes | p50 | p99 | max | etcd put alone p50 / p99 |"
	echo "|---|---|---|---|---|---|---|"
	for f in "$m" "$s"; do
		name="NIC model"
		[ "$f" = "$s" ] && name="snic (simulated, read back)"
		printf '| %s | %s | %s | %s us | %s us | %s us | %s / %s us |\n' "$name" \
			"$(val bookings "$f")" "$(val put_to_nic_n "$f")" "$(val put_to_nic_p50_us "$f")" \
			"$(val put_to_nic_p99_us "$f")" "$(val put_to_nic_max_us "$f")" \
			"$(val etcd_put_p50_us "$f")" "$(val etcd_put_p99_us "$f")"
	done
	echo
	echo "Target (issue): p99 <= 10 ms on one node. First load of $(val bookings "$m")"
	echo "bookings: $(val first_resync_ms "$m") ms ($(val first_resync_applies "$m") NIC applies, a grant"
	echo "record stored per booking); bookings written at $(val load_puts_per_s "$m") puts/s."
	echo
	echo "## $nodes nodes on this machine"
	echo
	echo "$(val nodes "$c") agents in one process, each with its own etcd connection (and"
	echo "watch) and NIC model, $(val bookings_total "$c") bookings spread over them."
	echo
	echo "| what | measured | target |"
	echo "|---|---|---|"
	echo "| a change on every node, until in force on that node: p50 / p99 ($(val cluster_change_n "$c") changes) | $(val cluster_change_p50_us "$c") / $(val cluster_change_p99_us "$c") us | p99 <= 100 ms |"
	echo "| full resync of all $(val bookings_total "$c") bookings, NICs already holding them (agent restarts) | $(val resync_held_ms "$c") ms, $(val resync_held_applies "$c") applies | <= 1 s |"
	echo "| full resync of all $(val bookings_total "$c") bookings into empty NICs (every booking applied, grant stored) | $(val resync_empty_ms "$c") ms, $(val resync_empty_applies "$c") applies | |"
	echo "| agent CPU per node, steady state, shared pipe every 50 ms | $(val steady_cpu_percent_per_node "$c") % of one core | <= 2 % |"
	printf '| etcd traffic per node, steady state (etcd client gRPC bytes, both ways) | %s bytes/s | <= 2 %% of the link |\n' \
		"$(( (rx1 - rx0 + tx1 - tx0) / nodes / ${secs%.*} ))"
	echo
	echo "The etcd traffic figure covers the whole run (load, changes, resyncs"
	echo "and ${secs}s steady state) divided by the steady-state seconds, so it"
	echo "is an upper bound for the steady state; a 1 Gbit/s link's 2 % is"
	echo "2,500,000 bytes/s."
} >"$page"
echo "bench-bookd: figures in $page"
