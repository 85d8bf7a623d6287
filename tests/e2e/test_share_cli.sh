#!/usr/bin/env bash
# End to end: `snicctl vnic share` against snic-sim (1 Gbit/s uplinks, a
# bond of two): set, show (the device's own view), argument checks, the
# host mirror surviving a device reset through `snicctl restore`, removal.
set -u
. "$(dirname "$0")/lib.sh"
win=/dev/shm/snic-share-cli-$$
out=$(mktemp -d /tmp/snic-share-cli.XXXXXX)
sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -rf "$out" "$win" "$win.state"
}
trap cleanup EXIT

echo "1..15"
export SNIC_DEV=$win
ctl() { "$bin/snicctl" --timeout 5000 "$@"; }
# field VNIC NAME: one member of `vnic share VNIC --json`
field() { ctl --json vnic share "$1" 2>/dev/null | sed -n "s/^  \"$2\": \([0-9a-z]*\),*$/\1/p"; }

"$bin/snic-sim" --profile gig --window "$win" --switch --timeout 60 >"$out/sim.log" 2>&1 &
sim_pid=$!
wait_up "$win" --timeout 5000
rm -f "$win.state"

bond() { quiet ctl team set 0 --members 0,1; }
ctl port up 0 >/dev/null && ctl port up 1 >/dev/null && bond
for m in 10 11 12; do quiet ctl vnic add --mac 02:00:00:00:00:$m --uplink 128 --id $((m - 10)); done

check "shares 2000 / 2000 (100M guaranteed) / 1000 (priority 1)" \
	quiet sh -c "$bin/snicctl vnic share 0 --weight 2000 &&
		$bin/snicctl vnic share 1 --weight 2000 --min 100M &&
		$bin/snicctl vnic share 2 --weight 1000 --prio 1"
check "the device reports the share as set" test "$(field 1 weight)/$(field 1 min_bps)/$(field 1 set)" = "2000/100000000/true"
check "the bond is split over its 2 x 1 Gbit/s" test "$(field 0 capacity_bps)/$(field 0 active)" = "2000000000/true"
check "VNIC 2 keeps priority 1" test "$(field 2 prio)" = 1
check "a priority above 7 is refused before sending (exit 2)" \
	test "$(status x ctl vnic share 0 --weight 5 --prio 8)" = 2
check "a minimum below the device's 1 Mbit/s is refused (exit 2)" \
	test "$(status x ctl vnic share 0 --weight 5 --min 500k)" = 2
check "no such VNIC: the device says so (exit 1)" \
	test "$(status x ctl vnic share 9 --weight 5)" = 1
check "nothing changed by the refused commands" test "$(field 0 weight)" = 2000
check "the host mirror holds the shares" \
	sh -c "$bin/snicctl state | grep -q 'share: weight 2000, min 100M bit/s, prio 0'"

# A new device life (the simulator restarted: everything is gone) while the
# host's state file survives: restore brings the VNICs and shares back (the
# bond first: teams are the operator's to configure).
start_sim() {
	"$bin/snic-sim" --profile gig --window "$win" --switch --timeout 60 >"$out/sim.log" 2>&1 &
	sim_pid=$!
	wait_up "$win" --timeout 5000
}
kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
rm -f "$win"
start_sim
bond
check "after a device restart, restore re-creates VNICs and shares" quiet ctl restore
check "VNIC 1's share is back, minimum included" \
	test "$(field 1 weight)/$(field 1 min_bps)/$(field 1 set)" = "2000/100000000/true"
check "--off removes a share (default weight again)" \
	test "$(ctl --json vnic share 0 --off | sed -n 's/^  "set": \(.*\),$/\1/p')/$(field 0 weight)" = "false/1000"
# The split follows the members in use: none, one, both.
check "ports down after the restart: nothing to split" test "$(field 2 capacity_bps)" = 0
quiet ctl port up 0
check "one member up: split over 1 Gbit/s" test "$(field 2 capacity_bps)" = 1000000000
quiet ctl port up 1
check "the text view explains the split over both" \
	sh -c "$bin/snicctl vnic share 2 | grep -q 'capacity 2G'"
