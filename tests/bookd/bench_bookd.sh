#!/usr/bin/env bash
# make bench-bookd: the booking agent against a real etcd (one member,
# loopback), measured here; writes docs/benchmarks-bookd.md.
#   BENCH_BOOKINGS (10000) BENCH_ROUNDS (2000) BENCH_NODES (128)
#   BENCH_TOTAL (100000) BENCH_STEADY_S (20)
#   BENCH_RESYNC_WORKERS (all nodes at once): agents resyncing at the same time
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
pids=()
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
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

echo "bench-bookd: $nodes nodes, $total bookings"
fresh_etcd
# CPU of etcd and of the agents over the whole cluster run, side by side.
etcd_ticks() { awk '{print $14 + $15}' "/proc/${etcd_pids[0]}/stat"; }
e0=$(etcd_ticks)
TIMEFORMAT='%U %S'
{ time "$bin/bench_bookd" cluster "$(etcd_url 0)" "$nodes" "$total" 20 >"$out/cluster.txt"; } \
	2>"$out/cluster.time"
e1=$(etcd_ticks)
cat "$out/cluster.txt"
etcd_cpu_s=$(awk -v t=$((e1 - e0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}')
agents_cpu_s=$(awk '{printf "%.1f", $1 + $2}' "$out/cluster.time")
echo "cluster_run_cpu_s etcd $etcd_cpu_s agents $agents_cpu_s"

# Steady state, real agents: $nodes snic-bookd processes (NIC models, 8
# bookings each, 4 of them on the shared pipe), every one publishing on
# the pipe every 50 ms. CPU from /proc, etcd traffic from its metrics.
echo "bench-bookd: $nodes snic-bookd processes on a shared pipe, ${steady}s"
fresh_etcd
ectl put /snic/v1/default/pipes/bench/config '{"v":1,"capacity":"10G"}' >/dev/null
pids=()
for i in $(seq 1 "$nodes"); do
	for v in 0 1 2 3 4 5 6 7; do
		extra=
		[ $v -lt 4 ] && extra=',"comm":"10M","pipe":"bench"'
		echo "/snic/v1/default/nodes/n$i/bookings/$v {\"v\":1,\"out_bandwidth\":\"5M\"$extra}"
	done
done | while read -r k v; do ectl put "$k" "$v" >/dev/null; done
for i in $(seq 1 "$nodes"); do
	"$bin/snic-bookd" --etcd "$(etcd_url 0)" --node "n$i" --nic model:8:1:1000000000 \
		--state "" --journal "" --pipe bench --pipe-interval 50 2>>"$out/agents.log" &
	pids+=($!)
done
sleep 3   # every agent listed, applied, joined the pipe
ticks() { local t=0 p; for p in "${pids[@]}"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
lo_bytes() { awk -F'[: ]+' '$2 == "lo" {print $3}' /proc/net/dev; }
rx0=$(metric etcd_network_client_grpc_received_bytes_total)
tx0=$(metric etcd_network_client_grpc_sent_bytes_total)
lo0=$(lo_bytes)
c0=$(ticks)
sleep "$steady"
c1=$(ticks)
lo1=$(lo_bytes)
rx1=$(metric etcd_network_client_grpc_received_bytes_total)
tx1=$(metric etcd_network_client_grpc_sent_bytes_total)
kill "${pids[@]}" 2>/dev/null
pids=()
hz=$(getconf CLK_TCK)
cpu_pct=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v s="$steady" -v n="$nodes" 'BEGIN {printf "%.3f", 100 * t / hz / s / n}')
bytes_s=$(( (rx1 - rx0 + tx1 - tx0) / nodes / steady ))
lo_s=$(( (lo1 - lo0) / nodes / steady ))
echo "steady_cpu_percent_per_node $cpu_pct"
echo "steady_etcd_grpc_bytes_per_node_s $bytes_s"
echo "steady_loopback_bytes_per_node_s $lo_s"

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
	echo "| full resync of all $(val bookings_total "$c") bookings, NICs already holding them (new agents, no snapshot) | $(val resync_held_ms "$c") ms, $(val resync_held_applies "$c") applies | <= 1 s |"
	echo "| full resync of all $(val bookings_total "$c") bookings into empty NICs (every booking applied, grant stored) | $(val resync_empty_ms "$c") ms, $(val resync_empty_applies "$c") applies | |"
	echo "| all $nodes agents restarted, resuming from their snapshots ($(val restart_snapshot_resumed "$c") resumed: no list, every booking read back from the NIC) | $(val restart_snapshot_ms "$c") ms | |"
	echo "| full resync of all $(val bookings_total "$c") bookings by the running agents after every NIC was reset (they know their own records: bookings listed, NICs compared and refilled) | $(val resync_reset_ms "$c") ms | <= 1 s |"
	echo "| full resync of one node alone ($(val resync_one_node_bookings "$c") bookings, NIC holding them) | $(val resync_one_node_ms "$c") ms | |"
	echo "| agent CPU per node, steady state: $nodes snic-bookd processes, each on a shared pipe every 50 ms, ${steady} s | $cpu_pct % of one core | <= 2 % |"
	echo "| traffic per node, same run: on the loopback interface (all of it) / etcd's gRPC counters | $lo_s / $bytes_s bytes/s | <= 2 % of the link (1 Gbit/s: 2,500,000 bytes/s) |"
	echo
	echo "All $nodes agents resync at once against one etcd member on this"
	echo "$cpu-CPU machine, which also runs them all: the figure is bound by"
	echo "etcd's JSON gateway encoding every key and value (over this whole run"
	echo "etcd used $etcd_cpu_s s of CPU, the $nodes agents $agents_cpu_s s). In a cluster"
	echo "each node resyncs on its own machine, as the one-node row shows. New"
	echo "agents without a snapshot also read their grant records, which is why"
	echo "their row is the slowest."
	echo
	echo "In the steady state the NIC models' demand does not change, so a node"
	echo "only renews its lease (every 667 ms) and publishes nothing new (no change,"
	echo "no send). A node whose demand changed every interval would add one put"
	echo "of about 600 bytes (request, reply, headers) every 50 ms, about 12,000"
	echo "bytes/s: an estimate from the request size, not a measurement."
	echo
	echo "The change latency: each agent in its own thread of one process, blocked"
	echo "in its watch as snic-bookd is. The steady-state figures: real snic-bookd"
	echo "processes; CPU from /proc; traffic as the loopback interface counted it"
	echo "(everything on lo during the window: HTTP, JSON, TCP/IP headers; nothing"
	echo "else ran), and etcd's own gRPC counters for the part the gateway forwards."
} >"$page"
echo "bench-bookd: figures in $page"
