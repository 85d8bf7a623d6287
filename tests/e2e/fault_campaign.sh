#!/usr/bin/env bash
# Fault campaigns on the simulator (issue 15, "Faults"): each injects one
# kind of fault with the real tools (snic-sim, snicctl, snic-bookd against
# a real etcd on loopback), says what it injected, and counts what was
# lost, which must be only what the documented semantics allow.
#
#   tests/e2e/fault_campaign.sh RESULTS_DIR [CAMPAIGN...]
#
# Campaigns: restore (firmware reset and flash under traffic; the host
# and the booking agent restore), kill (snicctl SIGKILLed mid-command),
# full (table-full), ring (a host that stops draining), flap (uplink
# flaps on a bond), rate (a shaper changed under load). Default: all.
# FAULT_SCALE=N (default 1) multiplies the faults injected. Each campaign
# writes RESULTS_DIR/NAME.txt (key=value: what was injected, what was
# lost); fuzz/reliability.sh turns them into docs/reliability.md. TAP on
# stdout. Times and rates are the device's (virtual time).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../bookd/lib.sh"
. "$here/fault_lib.sh"
res=${1:?usage: fault_campaign.sh RESULTS_DIR [CAMPAIGN...]}
shift
mkdir -p "$res"
res=$(cd "$res" && pwd)
scale=${FAULT_SCALE:-1}
tmp=$(mktemp -d /tmp/snic-fault.XXXXXX)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	etcd_stop_all
	[ -n "${KEEP:-}" ] && echo "# kept $tmp" >&2 || rm -rf "$tmp"
	rm -f /dev/shm/snic-fault-$$-*
}
trap cleanup EXIT
fail_log() { sed 's/^/#   /' "$@" 2>/dev/null | tail -20; }

# start_sim NAME ARGS...: snic-sim on /dev/shm/snic-fault-PID-NAME, log in
# $tmp/NAME.sim; sets $sim (its pid) and $w (the window).
start_sim() {
	w=/dev/shm/snic-fault-$$-$1
	rm -f "$w" "$w".*
	"$bin/snic-sim" --window "$w" --timeout $((300 * scale)) "${@:2}" >"$tmp/$1.sim" 2>&1 &
	sim=$!
	pids+=("$sim")
	wait_up "$w" --timeout 5000 || { echo "# simulator $1 did not come up"; fail_log "$tmp/$1.sim"; return 1; }
}
# stop_sim: SIGTERM (the simulator prints its summary), then wait.
stop_sim() { kill -TERM "$sim" 2>/dev/null; wait "$sim" 2>/dev/null; }

# ---------------------------------------------------------------------
# 1. Firmware reset and flash under traffic. Four VNICs, rules (one
# naming a policer), a TX shaper, bookings (shares, and receive ceilings
# the agent installs as policers + rules) applied by snic-bookd from a
# real etcd; a stream of frames from uplink 0's link partner to every
# VNIC, received by `snicctl rx`. Each fault: a device RESET the host did
# not ask for (`snicctl --state '' reset`: the mirror keeps the
# configuration) or a firmware flash and reboot (alternating images).
# The host restores (`snicctl restore`, the ports up; after a reboot a
# new receiver, since the window is laid out anew), the agent resyncs by
# itself. Then every object is read back from the device and compared
# with the snapshot before the fault. Allowed losses (docs/firmware.md,
# firmware-image.md): frames arriving while the VNICs are gone, dropped
# and counted, inside the outage; frames a ring held at a reboot.
camp_restore() {
	local d=$tmp/restore r=restore
	rm -f "$res/$r.txt"
	mkdir -p "$d"
	if [ ! -x "$ETCD" ] || [ ! -x "$ETCDCTL" ]; then
		echo "ok $((n += 1)) - restore: # SKIP etcd not installed"
		return
	fi
	etcd_start 0 1 "$d"
	pids+=("${etcd_pids[0]}")
	etcd_wait 0 || { echo "not ok $((n += 1)) - restore: etcd did not start"; return; }
	local resets=$scale flashes=$scale vn=4
	# 4 streams, one frame every 500 us in all, for far longer than the
	# campaign: the link partner sends only while port 0 is up.
	local dsts=() v
	for v in $(seq 1 $vn); do dsts+=(--dst "02:fa:00:00:00:0$v"); done
	"$bin/gen_seq" "$d/in.pcap" --count $((100000 * scale)) "${dsts[@]}" --gap-ns 500000 --len 200
	"$bin/snic-fwimg" build --elf "$build/rv32/snic-fw.elf" --out "$d/v2.img" \
		--objcopy riscv64-unknown-elf-objcopy --version 0.2.0 --build "fault v2" >/dev/null
	# --realtime: the stream runs on the wall clock's pace, so it flows
	# while the host injects and restores.
	start_sim restore --profile gig --realtime --flash "$d/flash.bin" --uplink "0:$d/in.pcap" \
		--uplink-out "0:$d/out0.pcap" --drops "$d/drops.pcap" || return
	local ctl="$bin/snicctl -d $w --timeout 5000"
	for v in $(seq 1 $vn); do $ctl vnic add --id "$v" --mac "02:fa:00:00:00:0$v" --uplink 0 >/dev/null; done
	$ctl meter set 7 --mode srtcm --cir 200M --cbs 64k >/dev/null
	$ctl rule add --loc 10 --dst-mac 02:fa:00:00:00:03 --vnic 3 --meter 7 >/dev/null
	$ctl rule add --loc 11 --ethertype 0x88b5 --drop >/dev/null
	$ctl rule add --loc 12 --dst-mac 02:fa:00:00:00:44 --vnic 4 >/dev/null
	# VNIC 4 has no booking: its shaper is the operator's. VNIC 1's
	# shaper is its booking's cap (the agent owns it).
	$ctl vnic rate 4 --avg 20M --burst 16k >/dev/null
	local K=/snic/v1/default/nodes/n1
	ectl put "$K/bookings/1" '{"v":1,"out_bandwidth":"10M","cap":"30M"}' >/dev/null
	ectl put "$K/bookings/2" '{"v":1,"out_bandwidth":"50M","in_bandwidth":"100M"}' >/dev/null
	"$bin/snic-bookd" --etcd "$(etcd_url 0)" --node n1 --nic "snic:$w" -v >"$d/agent.log" 2>&1 &
	local agent=$!
	pids+=("$agent")
	booked() { [ "$(snapshot "$w" | grep -c '^booking \|^shaper ')" = 4 ]; }
	until_ok 15 booked || echo "# bookings not applied: $(tail -3 "$d/agent.log")"
	snapshot "$w" >"$d/before"
	local k=0
	rx_start() {
		k=$((k + 1))
		"$bin/snicctl" -d "$w" rx --out-dir "$d/rx$k" --idle-exit --idle-ms 3000 >"$d/rx$k.log" 2>&1 &
		rxp=$!
		pids+=("$rxp")
		wait_log "$d/rx$k.log" "buffers posted"
	}
	local rxp
	rx_start
	$ctl port up 0 >/dev/null
	sleep 1
	local i kind t0 t1 wins="" lost=0 worst=0 restored=0 failed=0 out
	for i in $(seq 1 $((resets + flashes))); do
		t0=$(dev_time "$w")
		if [ $((i % 2)) = 1 ]; then
			kind=reset
			$ctl --state '' reset >/dev/null
		else
			kind=flash
			local img=$build/rv32/snic-fw.img
			[ $((i % 4)) = 0 ] && img=$d/v2.img
			$ctl flash "$img" >"$d/flash$i.log" 2>&1 || fail_log "$d/flash$i.log"
			# The window was laid out anew: this receiver's rings are gone.
			wait "$rxp" 2>/dev/null
			rx_start
		fi
		out=$($ctl restore 2>&1)
		restored=$((restored + $(echo "$out" | sed -n 's/^restore: \([0-9]*\) restored.*/\1/p')))
		failed=$((failed + $(echo "$out" | sed -n 's/.* \([0-9]*\) failed$/\1/p')))
		$ctl port up 0 >/dev/null
		same() { snapshot "$w" >"$d/after$i" && cmp -s "$d/before" "$d/after$i"; }
		until_ok 15 same
		t1=$(dev_time "$w")
		wins+="$t0-$t1,"
		local l
		l=$(comm -23 "$d/before" "$d/after$i" | wc -l)
		[ "$l" -gt 0 ] && { echo "# $kind $i: lost"; comm -23 "$d/before" "$d/after$i" | sed 's/^/#   /'; }
		lost=$((lost + l))
		[ $((t1 - t0)) -gt "$worst" ] && worst=$((t1 - t0))
		sleep 0.5
	done
	# The shapers are back: each VNIC sends 600 frames; its rate on the
	# wire within 5 % (the host here runs on the wall clock and may leave
	# the ring short; unshaped it would be the 1 Gbit/s line rate).
	local span4 span1 bps4 bps1
	span4=$(tx_span "$w" 4 "$d")
	span1=$(tx_span "$w" 1 "$d")
	# Stop the stream, let the receiver drain and stop, then the card.
	$ctl port down 0 >/dev/null
	wait "$rxp" 2>/dev/null
	stop_sim
	kill "$agent" 2>/dev/null
	etcd_stop_all
	local sent recv dropped unacc
	bps4=$(pcap_rate "$d/out0.pcap" $span4)
	bps1=$(pcap_rate "$d/out0.pcap" $span1)
	sent=$(sim_total "$tmp/restore.sim" up0_rx)
	dropped=$(sim_total "$tmp/restore.sim" dropped)
	eval "$(python3 "$here/fault_pcap.py" count "$d"/rx*/*.pcap | sed 's/^/rx_/')"
	recv=$rx_distinct
	unacc=$((sent - recv - dropped))
	eval "$(python3 "$here/fault_pcap.py" outside "$d/drops.pcap" "$wins" | sed 's/^/dr_/')"
	local cnt
	cnt() { grep -c "^$1 " "$2"; }
	put $r "resets=$resets" "flashes=$flashes" \
		"vnics_before=$(cnt vnic "$d/before")" "vnics_after=$(cnt vnic "$d/after$i")" \
		"rules_before=$(cnt rule "$d/before")" "rules_after=$(cnt rule "$d/after$i")" \
		"meters_before=$(( $(cnt policer "$d/before") + $(cnt shaper "$d/before") ))" \
		"meters_after=$(( $(cnt policer "$d/after$i") + $(cnt shaper "$d/after$i") ))" \
		"bookings_before=$(cnt booking "$d/before")" "bookings_after=$(cnt booking "$d/after$i")" \
		"objects_lost=$lost" "restored_items=$restored" "restore_failed=$failed" \
		"longest_outage_ns=$worst" "frames_sent=$sent" "frames_received=$recv" \
		"frames_dropped=$dropped" "drops=$(sim_drops "$tmp/restore.sim")" \
		"drops_outside_outage=$dr_outside" "ring_loss_at_reboot=$unacc" \
		"duplicates=$rx_duplicates" "shaper_bps=$bps4" "cap_bps=$bps1"
	check "restore: $((resets + flashes)) faults, configuration present before ($(wc -l <"$d/before") objects)" \
		test "$(cnt vnic "$d/before")" = $vn -a "$(cnt booking "$d/before")" = 2
	check "restore: every VNIC, rule, meter and booking back after each fault ($lost lost)" \
		test "$lost" = 0 -a "$failed" = 0
	check "restore: drops only inside the outages ($dropped dropped: $(sim_drops "$tmp/restore.sim"))" \
		test "$dr_outside" = 0 -a "$dr_frames" = "$dropped"
	check "restore: sent $sent = received $recv + dropped $dropped + held in rings at a reboot ($unacc)" \
		test "$unacc" -ge 0 -a "$unacc" -le $((flashes * vn * 512)) -a "$rx_duplicates" = 0
	check "restore: traffic flowed through the campaign ($recv frames)" test "$recv" -gt $((sent / 2))
	check "restore: VNIC 4's shaper is back ($bps4 bit/s for 20M)" in_pct "$bps4" 20000000 5
	check "restore: VNIC 1's booked cap is back ($bps1 bit/s for 30M)" in_pct "$bps1" 30000000 5
}

want=("$@")
[ ${#want[@]} -eq 0 ] && want=(restore)
for c in "${want[@]}"; do
	case $c in
	restore) camp_restore ;;
	*) echo "fault_campaign.sh: unknown campaign $c" >&2; exit 2 ;;
	esac
done
echo "1..$n"
