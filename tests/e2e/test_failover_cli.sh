#!/usr/bin/env bash
# End to end: snic-sim with the switch model and a fault script, configured
# by `snicctl team` like an operator would: the bond's membership rules, a
# link-down on the active member (failover to the standby) and its return
# (failback), read back through `snicctl team show --json`.
set -u
. "$(dirname "$0")/lib.sh"
win=/dev/shm/snic-fo-cli-$$
out=$(mktemp -d /tmp/snic-fo-cli.XXXXXX)
sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -rf "$out" "$win"
}
trap cleanup EXIT

echo "1..9"
export SNIC_DEV=$win
ctl() { "$bin/snicctl" --timeout 5000 "$@"; }

# Uplink 0 dies 1.5 s into the run and returns 1 s later (virtual time).
"$bin/snic-sim" --window "$win" --switch --host 02:aa:00:00:00:01,10.9.0.1 \
	--fault "1500ms 0 down" --fault "2500ms 0 up" --timeout 60 >"$out/sim.log" 2>&1 &
sim_pid=$!
wait_up "$win" --timeout 5000

ctl port up 0 >/dev/null && ctl port up 1 >/dev/null
check "a bond of uplinks 0 (active) and 1 (standby) with notify" \
	quiet ctl team set 0 --members 0,1 --roles active,standby --notify rarp --notify-count 2
check "a VNIC joins the bond (uplink 128 + bond)" \
	quiet ctl vnic add --mac 02:00:00:00:00:05 --uplink 128
check "a bonded uplink cannot carry a VNIC directly (device says busy: exit 1)" \
	test "$(status x ctl vnic add --mac 02:00:00:00:00:06 --uplink 1)" = 1
check "membership of a bond in use cannot change (exit 1)" \
	test "$(status x ctl team set 0 --members 0,1,2)" = 1
check "bad arguments are refused before anything is sent (exit 2)" \
	test "$(status x ctl team set 0 --members 0,1 --policy fastest)" = 2

# Wait for the failover, then for the failback.
field() { ctl --json team show 0 2>/dev/null | sed -n "s/^  \"$1\": \([0-9]*\),*$/\1/p"; }
for _ in $(seq 300); do [ "$(field failovers)" = 1 ] && break; sleep 0.1; done
ctl --json team show 0 >"$out/after_down.json"
check "the link-down failed the bond over once" test "$(field failovers)" = 1
check "member 0 is down for lack of link, not in use" \
	grep -q '"state": "down"' "$out/after_down.json"
for _ in $(seq 300); do [ "$(field failbacks)" = 1 ] && break; sleep 0.1; done
check "its return failed back" test "$(field failbacks)" = 1
# One RARP per move, twice each: failover and failback.
check "notify sent 2 RARPs per move" test "$(field notify_sent)" = 4
[ "$(field failbacks)" = 1 ] || { sed 's/^/# /' "$out/sim.log"; ctl team show 0 | sed 's/^/# /'; }
