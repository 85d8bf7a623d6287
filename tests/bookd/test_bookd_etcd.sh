#!/usr/bin/env bash
# End to end: snic-bookd between a real etcd (one member, loopback) and a
# simulated snic (1 Gbit/s uplinks). Bookings are written with Debian's
# etcdctl; what the NIC holds is read back from the device with snicctl.
# Faults: agent SIGKILLed and restarted, etcd SIGKILLed and restarted,
# compaction while the agent is down, a NIC reset; every kind of bad record.
set -u
. "$(dirname "$0")/lib.sh"
need_etcd

win=/dev/shm/snic-bookd-etcd-$$
out=$(mktemp -d /tmp/snic-bookd-etcd.XXXXXX)
sim_pid= agent_pid=
cleanup() {
	[ -n "$agent_pid" ] && kill -9 "$agent_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	etcd_stop_all
	[ -n "${KEEP:-}" ] && echo "kept $out" >&2 || rm -rf "$out" "$win" "$win.state" "$win.bookings" "$win.bookings.log"
}
trap cleanup EXIT
echo "1..24"

K=/snic/v1/default/nodes/n1
export SNIC_DEV=$win
ctl() { "$bin/snicctl" --timeout 5000 "$@"; }
# min VNIC: the guaranteed minimum the device holds for VNIC (0: none)
min() {
	local s
	s=$(ctl --json vnic share "$1" 2>/dev/null) || { echo gone; return; }
	if echo "$s" | grep -q '"set": true'; then
		echo "$s" | sed -n 's/^  "min_bps": \([0-9]*\),*$/\1/p'
	else echo 0; fi
}
min_is() { [ "$(min "$1")" = "$2" ]; }
wait_min() { until_true 10 min_is "$1" "$2"; }
rec() { ectl get --print-value-only "$K/$1"; }
rec_has() { rec "$1" | grep -q "$2"; }
book() { ectl put "$K/bookings/$1" "$2" >/dev/null; }
no_rec() { ! rec "$1" | grep -q .; }
no_recs() { no_rec "$1" && no_rec "$2"; }

start_agent() {
	"$bin/snic-bookd" --etcd "$(etcd_url 0)" --node n1 --nic "snic:$win" -v \
		>>"$out/agent.log" 2>&1 &
	agent_pid=$!
}
kill_agent() { kill -9 "$agent_pid" 2>/dev/null; wait "$agent_pid" 2>/dev/null; agent_pid=; }
add_vnics() {
	for v in 0 1 2 3; do
		quiet ctl vnic add --id $v --mac 02:00:00:00:01:0$v --uplink $((v % 2)) || return 1
	done
}
# Every (VNIC, booking revision) reached the NIC once per NIC life.
journal_once() {
	[ -s "$win.bookings.log" ] && ! grep -v -e rollback -e removed "$win.bookings.log" |
		awk '{print $1, $2, $7}' | sort | uniq -d | grep -q .
}

etcd_start 0 1 "$out"
etcd_wait 0 || { echo "Bail out! etcd did not start: $(tail -5 "$out/m0.log")"; exit 1; }
"$bin/snic-sim" --profile gig --window "$win" --timeout 300 >"$out/sim.log" 2>&1 &
sim_pid=$!
wait_up "$win" --timeout 5000 || { echo "Bail out! simulator did not start"; exit 1; }
rm -f "$win.state"
add_vnics || { echo "Bail out! cannot create VNICs"; exit 1; }
start_agent

book 0 '{"v":1,"out_bandwidth":"100M","cap":"300M","priority":2}'
check "a booking put with etcdctl is in force on the NIC (read back)" wait_min 0 100000000
check "snicctl booking show --json: applied, ceiling 300M on the NIC" \
	until_true 5 sh -c "$bin/snicctl booking show 0 --json | grep -q '\"nic_cap_bps\": 300000000' &&
		$bin/snicctl booking show 0 --json | grep -q '\"state\": \"applied\"'"
check "the grant is stored beside the booking" rec_has grants/0 '"out_bandwidth":100000000'
check "the human view lists it" sh -c "$bin/snicctl booking show | grep -q '^0 .*applied'"

# Admission on uplink 0 (1 Gbit/s): VNIC 0 asks 700M, then VNIC 2 asks 600M.
book 0 '{"v":1,"out_bandwidth":"700M"}'
wait_min 0 700000000
book 2 '{"v":1,"out_bandwidth":"600M"}'
check "over-booking: granted in part (300M of 600M)" wait_min 2 300000000
check "an alarm record the operator can see" rec_has alarms/2 '"granted_out":300000000'
check "and a log line" grep -q "ALARM VNIC 2" "$out/agent.log"
book 1 '{"v":1,"out_bandwidth":"600M"}'
check "VNIC 1 on uplink 1 gets all of it" wait_min 1 600000000

# Bad records: each refused with a reason, nothing on the NIC changes.
book 1 'this is not json'
book 3 '{"v":1,"out_bandwidth":-100}'
book 99 '{"v":1,"out_bandwidth":"10M"}'
ectl put "$K/bookings/2x" '{"v":1}' >/dev/null
check "not JSON: error record beside the booking" until_true 5 rec_has errors/1 'not JSON'
check "negative rate: error record" until_true 5 rec_has errors/3 negative
check "unknown VNIC: error record" until_true 5 rec_has errors/99 unknown_vnic
unchanged() { min_is 1 600000000 && min_is 3 0; }
check "nothing changed on the NIC" unchanged
check "the agent is still running" kill -0 "$agent_pid"

# The agent dies; a booking changes meanwhile; the new agent applies it.
kill_agent
book 1 '{"v":1,"out_bandwidth":"250M"}'
start_agent
check "after SIGKILL + restart: the change made meanwhile is in force" wait_min 1 250000000
check "the restarted agent resumed from its snapshot's revision (no list)" \
	grep -q "resumed at revision" "$out/agent.log"
check "its error record is gone" until_true 5 no_rec errors/1

# etcd dies and comes back (same data); the agent resumes its watch.
etcd_kill 0
sleep 0.5
etcd_start 0 1 "$out"
etcd_wait 0
book 1 '{"v":1,"out_bandwidth":"260M"}'
check "after an etcd restart: updates flow again" wait_min 1 260000000

# Compaction while the agent is down: it must resync, not replay.
kill_agent
book 0 '{"v":1,"out_bandwidth":"400M"}'
ectl del "$K/bookings/2" >/dev/null
book 3 '{"v":1,"out_bandwidth":"30M"}'
rev=$(ectl put /snic/v1/probe x -w json | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
ectl compact "$rev" >/dev/null
start_agent
check "compaction during an outage: changed booking in force" wait_min 0 400000000
check "deleted booking gone from the NIC" until_true 10 min_is 2 0
check "and its grant and alarm records too" until_true 5 no_recs grants/2 alarms/2
check "the bad record fixed meanwhile is applied" wait_min 3 30000000
check "the agent resynced (log)" grep -q "compacted\|resync" "$out/agent.log"

# The NIC is reset (everything gone); the VNICs come back; the agent resyncs.
quiet ctl reset
add_vnics
all_back() { wait_min 0 400000000 && wait_min 1 260000000 && wait_min 3 30000000; }
check "after a NIC reset: every booking applied again" all_back
check "each booking revision reached the NIC once per NIC life (journal)" journal_once
