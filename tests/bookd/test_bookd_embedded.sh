#!/usr/bin/env bash
# End to end on one machine with nothing else installed: snic-bookd on its
# embedded store (a directory), bookings written with `snicctl booking
# set/del`, applied to a simulated snic, shown with `snicctl booking show`.
set -u
. "$(dirname "$0")/../e2e/lib.sh"
win=/dev/shm/snic-bookd-emb-$$
out=$(mktemp -d /tmp/snic-bookd-emb.XXXXXX)
store=$out/store
sim_pid= agent_pid=
cleanup() {
	[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -rf "$out" "$win" "$win.state" "$win.bookings" "$win.bookings.log"
}
trap cleanup EXIT
echo "1..16"

export SNIC_DEV=$win SNIC_BOOKD_DIR=$store
ctl() { "$bin/snicctl" --timeout 5000 "$@"; }
min() { ctl --json vnic share "$1" | sed -n 's/^  "min_bps": \([0-9]*\),*$/\1/p'; }
is_set() { ctl --json vnic share "$1" | grep -q '"set": true'; }
min_is() { is_set "$1" && [ "$(min "$1")" = "$2" ]; }
until_true() { local t=$1; shift; for _ in $(seq 1 $((t * 20))); do "$@" && return 0; sleep 0.05; done; return 1; }

"$bin/snic-sim" --profile gig --window "$win" --flash "$out/flash.bin" --timeout 120 \
	>"$out/sim.log" 2>&1 &
sim_pid=$!
wait_up "$win" --timeout 5000 || { echo "Bail out! simulator did not start"; exit 1; }
rm -f "$win.state"
for v in 0 1; do quiet ctl vnic add --id $v --mac 02:00:00:00:02:0$v --uplink 0; done
"$bin/snic-bookd" --node host1 -v >"$out/agent.log" 2>&1 &
agent_pid=$!

check "booking set writes the embedded store" quiet ctl booking set 0 --node host1 --out 100M --cap 400M --prio 3
check "the agent applies it (share minimum read back from the device)" until_true 10 min_is 0 100000000
check "booking show: applied, ceiling and priority as booked" \
	until_true 5 sh -c "[ \"\$($bin/snicctl booking show 0 --json | grep -c -e '\"state\": \"applied\"' -e '\"nic_cap_bps\": 400000000' -e '\"nic_priority\": 3')\" = 3 ]"
check "a bad booking is refused by snicctl before it is written (exit 2)" \
	test "$(status x ctl booking set 1 --node host1 --out 100M --cap 50M)" = 2
check "--raw writes anything; the agent refuses it with a reason" \
	quiet ctl booking set 1 --node host1 --raw '{"v":1,"out_bandwidth":"lots"}'
check "booking show gives the reason" until_true 5 sh -c "$bin/snicctl booking show 1 | grep -q 'bad_record.*bad rate'"
check "and VNIC 1's share is untouched" sh -c "! $bin/snicctl --json vnic share 1 | grep -q '\"set\": true'"
# Over the 1 Gbit/s uplink: granted in part.
quiet ctl booking set 1 --node host1 --out 950M
check "over-booking granted in part: 900M of 950M" until_true 10 min_is 1 900000000
check "booking show says partial" until_true 5 sh -c "[ \"\$(SNIC_DEV=$win $bin/snicctl booking show 1 --json | grep -c '\"state\": \"partial\"')\" = 1 ]"
check "booking del deletes the booking from the store" \
	sh -c "$bin/snicctl booking del 0 --node host1 >/dev/null"
check "the agent removes its share from the NIC" until_true 10 sh -c "! SNIC_DEV=$win $bin/snicctl --json vnic share 0 | grep -q '\"set\": true'"
check "the freed part goes to the one still short" until_true 10 min_is 1 950000000
# A firmware flash (the card reboots into it, its tables empty): once the
# VNICs are back, the agent has put every booking back.
"$bin/snic-fwimg" build --elf "$build/rv32/snic-fw.elf" --out "$out/v2.img" \
	--objcopy riscv64-unknown-elf-objcopy --version 0.2.0 --build "bookd e2e" >/dev/null
quiet ctl flash "$out/v2.img"
for v in 0 1; do quiet ctl vnic add --id $v --mac 02:00:00:00:02:0$v --uplink 0; done
check "after a firmware flash: the agent saw it and resynced" \
	until_true 10 grep -q "reset or reflashed" "$out/agent.log"
check "after a firmware flash: the booking is back on the NIC" until_true 10 min_is 1 950000000
check "a second agent on the same NIC refuses to start (exit 2, says why)" \
	sh -c "$bin/snic-bookd --node host1 --once 2>&1 | grep -q 'another snic-bookd drives this NIC'"
# SIGTERM: the agent saves its snapshot and leaves.
kill "$agent_pid"
wait "$agent_pid"
rc=$?
agent_pid=
check "SIGTERM: clean exit, snapshot kept ($rc)" sh -c "[ $rc = 0 ] && $bin/snicctl booking show | grep -q 'not running'"
