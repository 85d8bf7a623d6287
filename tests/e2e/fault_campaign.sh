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
	local d=$tmp/restore r=restore resets=$scale flashes=$scale vn=4 agent rxp k=0
	local i wins="" lost=0 worst=0 restored=0 failed=0
	rm -f "$res/$r.txt"
	mkdir -p "$d"
	if [ ! -x "$ETCD" ] || [ ! -x "$ETCDCTL" ]; then
		echo "ok $((n += 1)) - restore: # SKIP etcd not installed"
		return
	fi
	etcd_start 0 1 "$d"
	pids+=("${etcd_pids[0]}")
	etcd_wait 0 || { echo "not ok $((n += 1)) - restore: etcd did not start"; return; }
	restore_setup || return
	restore_faults
	restore_report
}

# restore_setup (camp_restore's variables): the card, its configuration,
# the agent and its bookings, the stream and its receiver.
restore_setup() {
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
	agent=$!
	pids+=("$agent")
	booked() { [ "$(snapshot "$w" | grep -c '^booking \|^shaper ')" = 4 ]; }
	until_ok 15 booked || echo "# bookings not applied: $(tail -3 "$d/agent.log")"
	snapshot "$w" >"$d/before"
	restore_rx
	$ctl port up 0 >/dev/null
	sleep 1
}

# restore_rx: a new receiver (into $d/rxK), once its buffers are posted.
restore_rx() {
	k=$((k + 1))
	"$bin/snicctl" -d "$w" rx --out-dir "$d/rx$k" --idle-exit --idle-ms 3000 >"$d/rx$k.log" 2>&1 &
	rxp=$!
	pids+=("$rxp")
	wait_log "$d/rx$k.log" "buffers posted"
}

# restore_faults: resets and flashes in turn, each restored and compared
# with the snapshot before; the outages' device times into $wins.
restore_faults() {
	local ctl="$bin/snicctl -d $w --timeout 5000" kind t0 t1 out l img
	for i in $(seq 1 $((resets + flashes))); do
		t0=$(dev_time "$w")
		if [ $((i % 2)) = 1 ]; then
			kind=reset
			$ctl --state '' reset >/dev/null
		else
			kind=flash
			img=$build/rv32/snic-fw.img
			[ $((i % 4)) = 0 ] && img=$d/v2.img
			$ctl flash "$img" >"$d/flash$i.log" 2>&1 || fail_log "$d/flash$i.log"
			# The window was laid out anew: this receiver's rings are gone.
			wait "$rxp" 2>/dev/null
			restore_rx
		fi
		out=$($ctl restore 2>&1)
		restored=$((restored + $(echo "$out" | sed -n 's/^restore: \([0-9]*\) restored.*/\1/p')))
		failed=$((failed + $(echo "$out" | sed -n 's/.* \([0-9]*\) failed$/\1/p')))
		$ctl port up 0 >/dev/null
		same() { snapshot "$w" >"$d/after$i" && cmp -s "$d/before" "$d/after$i"; }
		until_ok 15 same
		t1=$(dev_time "$w")
		wins+="$t0-$t1,"
		l=$(comm -23 "$d/before" "$d/after$i" | wc -l)
		[ "$l" -gt 0 ] && { echo "# $kind $i: lost"; comm -23 "$d/before" "$d/after$i" | sed 's/^/#   /'; }
		lost=$((lost + l))
		[ $((t1 - t0)) -gt "$worst" ] && worst=$((t1 - t0))
		sleep 0.5
	done
}

# restore_report: the shapers' rates, then the frames' accounting and the
# results (the receiver and the card stopped first).
restore_report() {
	local ctl="$bin/snicctl -d $w" span4 span1 bps4 bps1 sent recv dropped unacc
	# The shapers are back: each VNIC sends 600 frames; its rate on the
	# wire within 5 % (the host here runs on the wall clock and may leave
	# the ring short; unshaped it would be the 1 Gbit/s line rate).
	span4=$(tx_span "$w" 4 "$d")
	span1=$(tx_span "$w" 1 "$d")
	# Stop the stream, let the receiver drain and stop, then the card.
	$ctl port down 0 >/dev/null
	wait "$rxp" 2>/dev/null
	stop_sim
	kill "$agent" 2>/dev/null
	etcd_stop_all
	bps4=$(pcap_rate "$d/out0.pcap" $span4)
	bps1=$(pcap_rate "$d/out0.pcap" $span1)
	sent=$(sim_total "$tmp/restore.sim" up0_rx)
	dropped=$(sim_total "$tmp/restore.sim" dropped)
	eval "$(python3 "$here/fault_pcap.py" count "$d"/rx*/*.pcap | sed 's/^/rx_/')"
	recv=$rx_distinct
	unacc=$((sent - recv - dropped))
	eval "$(python3 "$here/fault_pcap.py" outside "$d/drops.pcap" "$wins" | sed 's/^/dr_/')"
	cnt() { grep -c "^$1 " "$2"; }
	put $r "resets=$resets" "flashes=$flashes" \
		"vnics_before=$(cnt vnic "$d/before")" "vnics_after=$(cnt vnic "$d/after$i")" \
		"rules_before=$(cnt rule "$d/before")" "rules_after=$(cnt rule "$d/after$i")" \
		"meters_before=$(( $(cnt policer "$d/before") + $(cnt shaper "$d/before") ))" \
		"meters_after=$(( $(cnt policer "$d/after$i") + $(cnt shaper "$d/after$i") ))" \
		"bookings_before=$(cnt booking "$d/before")" "bookings_after=$(cnt booking "$d/after$i")" \
		"objects_lost=$lost" "restored_items=$restored" "restore_failed=$failed" \
		"fault_to_verified_ns=$worst" "frames_sent=$sent" "frames_received=$recv" \
		"frames_dropped=$dropped" "drops=$(sim_drops "$tmp/restore.sim" | grep . || echo none)" \
		"drops_outside_outage=$dr_outside" "ring_loss_at_reboot=$unacc" \
		"duplicates=$rx_duplicates" "shaper_bps=$bps4" "cap_bps=$bps1"
	check "restore: $((resets + flashes)) faults, configuration present before ($(wc -l <"$d/before") objects)" \
		test "$(cnt vnic "$d/before")" = $vn -a "$(cnt booking "$d/before")" = 2
	check "restore: every VNIC, rule, meter and booking back after each fault ($lost lost)" \
		test "$lost" = 0 -a "$failed" = 0
	check "restore: drops only inside the outages ($dropped dropped: $(get $r drops))" \
		test "$dr_outside" = 0 -a "$dr_frames" = "$dropped"
	check "restore: sent $sent = received $recv + dropped $dropped + held in rings at a reboot ($unacc)" \
		test "$unacc" -ge 0 -a "$unacc" -le $((flashes * vn * 512)) -a "$rx_duplicates" = 0
	check "restore: traffic flowed through the campaign ($recv frames)" test "$recv" -gt $((sent / 2))
	check "restore: VNIC 4's shaper is back ($bps4 bit/s for 20M)" in_pct "$bps4" 20000000 5
	check "restore: VNIC 1's booked cap is back ($bps1 bit/s for 30M)" in_pct "$bps1" 30000000 5
}

# ---------------------------------------------------------------------
# 2. The host driver killed mid-command. Admin commands that change the
# device (VNIC and rule add/del) are started and SIGKILLed at a
# random point (0 to 9 ms: process start, the state file's lock, the
# admin lock, the command in flight, the mirror's update). After each:
# the next command must succeed (the admin lock, if the dead process held
# it, is taken over after its lease: docs/abi.md "The admin lock"), the
# lock is free again, the state file is readable, and the host mirror
# equals what the device holds. A divergence is reported with the kill
# that made it, then cleared (`snicctl reset`) so the next one counts.
camp_kill() {
	local r=kill iters=$((60 * scale)) i cmd p held t0 age
	local killed=0 finished=0 takeovers=0 next_fail=0 stuck=0 diverged=0 state_bad=0 worst=0 early=0
	rm -f "$res/$r.txt"
	start_sim kill --timeout 7200 || return
	local ctl="$bin/snicctl -d $w --timeout 30000"
	for i in $(seq 1 "$iters"); do
		local v=$((RANDOM % 6 + 1)) loc=$((RANDOM % 8))
		case $((RANDOM % 5)) in
		0|1) cmd=(vnic add --id $v --mac 02:4b:00:00:00:0$v) ;;
		2) cmd=(vnic del $v) ;;
		3) cmd=(rule add --loc $loc --dst-mac 02:4b:00:00:01:0$loc --vnic $v) ;;
		4) cmd=(rule del $loc) ;;
		esac
		$ctl "${cmd[@]}" >/dev/null 2>&1 &
		p=$!
		sleep "0.00$((RANDOM % 10))"
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
		[ $? = 137 ] && killed=$((killed + 1)) || finished=$((finished + 1))
		held=$(admin_lock "$w")
		[ "$held" != 0 ] && takeovers=$((takeovers + 1))
		# The next command: retried while the queue is held (the library
		# waits half a lease per try), a minute of wall time at most.
		t0=$SECONDS
		until $ctl --json vnic l2 >/dev/null 2>"$tmp/kill.err"; do
			[ $((SECONDS - t0)) -ge 60 ] && break
			grep -q 'admin queue held' "$tmp/kill.err" || break
		done
		if [ -s "$tmp/kill.err" ] && ! $ctl --json vnic l2 >/dev/null 2>&1; then
			next_fail=$((next_fail + 1))
			echo "# after kill $i (${cmd[*]}): $(cat "$tmp/kill.err")"
			continue
		fi
		if [ "$held" != 0 ]; then
			# The lock's age by the device clock when it was taken over.
			age=$(( ($(dev_time "$w") / 1000000 - (held & 0xffffff)) & 0xffffff ))
			[ "$age" -gt "$worst" ] && worst=$age
			[ "$age" -lt 20000 ] && early=$((early + 1))
		fi
		[ "$(admin_lock "$w")" != 0 ] && stuck=$((stuck + 1))
		$ctl state >/dev/null 2>&1 || state_bad=$((state_bad + 1))
		local dv
		dv=$(mirror_vs_device "$w" 8)
		if [ -n "$dv" ]; then
			diverged=$((diverged + 1))
			echo "# kill $i (${cmd[*]}, lock held: $held) left the mirror and the device apart:"
			echo "$dv" | sed 's/^/#   /'
			$ctl reset >/dev/null 2>&1
		fi
	done
	stop_sim
	put $r "iterations=$iters" "killed_mid_run=$killed" "finished_before_kill=$finished" \
		"lock_held_at_kill=$takeovers" "next_command_failed=$next_fail" "lock_left_held=$stuck" \
		"state_file_unreadable=$state_bad" "divergences=$diverged" "oldest_lock_at_takeover_ms=$worst" \
		"taken_before_lease=$early"
	check "kill: $iters commands SIGKILLed at random points ($killed mid-run)" test "$killed" -ge $((iters / 3))
	check "kill: the next command succeeded every time, the lock free after it, the state file readable" \
		test "$next_fail" = 0 -a "$stuck" = 0 -a "$state_bad" = 0
	check "kill: $takeovers locks of dead holders taken over, none before the 20 s lease (oldest ${worst} ms)" \
		test "$early" = 0
	check "kill: the host mirror equals the device after every kill ($diverged divergences)" \
		test "$diverged" = 0
}

# ---------------------------------------------------------------------
# 3. Table full, on the "small" card (16 VNICs, 48 host rules): VNICs to
# the limit, then rules into every free host location. The add past the
# end is refused with a clear error and exit 1 (rule and VNIC), and
# changes nothing: the device and the mirror read back the same before
# and after. Then a stream to every rule: each VNIC receives exactly the
# frames its rules steer to it.
camp_full() {
	local r=full d=$tmp/full i nv nr out rc frames=$((10 * scale))
	rm -f "$res/$r.txt"
	mkdir -p "$d"
	local dsts=()
	for i in $(seq 0 47); do dsts+=(--dst "$(printf '02:7f:00:00:00:%02x' "$i")"); done
	# One frame every 100 us, the clock no faster than the wall's: the
	# receiver keeps up (a ring overflow is campaign 4's subject).
	"$bin/gen_seq" "$d/in.pcap" --count $((48 * frames)) "${dsts[@]}" --len 100 --gap-ns 100000
	start_sim full --profile small --realtime --uplink "0:$d/in.pcap" --exit-when-idle || return
	local ctl="$bin/snicctl -d $w"
	nv=$($ctl --json caps | python3 -c 'import json,sys; print(json.load(sys.stdin)["max_vnics"])')
	local vnics=0
	for i in $(seq 0 $((nv - 1))); do
		$ctl vnic add --id "$i" --mac "$(printf '02:7e:00:00:00:%02x' "$i")" >/dev/null &&
			vnics=$((vnics + 1))
	done
	nr=0
	for i in $(seq 0 47); do
		$ctl rule add --dst-mac "$(printf '02:7f:00:00:00:%02x' "$i")" --vnic $((i % nv)) \
			>/dev/null 2>"$d/rule.err" && nr=$((nr + 1))
	done
	local snap0 snap1
	snap0=$(snapshot "$w")
	out=$($ctl rule add --dst-mac 02:7f:00:00:01:00 --vnic 0 2>&1); rc=$?
	local rule_rc=$rc rule_msg=$out
	out=$($ctl vnic add --mac 02:7e:00:00:01:00 2>&1); rc=$?
	local vnic_rc=$rc vnic_msg=$out
	snap1=$(snapshot "$w")
	local changed
	changed=$(diff <(echo "$snap0") <(echo "$snap1") | grep -c '^[<>]')
	echo "# refused rule: $rule_msg"
	echo "# refused VNIC: $vnic_msg"
	mkdir -p "$d/out"
	receive_all "$w" "$d" "$sim"
	python3 "$here/fault_pcap.py" bydst "$d"/out/*.pcap >"$d/got"
	# Rule k (destination 02:7f:00:00:00:k) steers to VNIC k % nv: every
	# VNIC's capture holds only its rules' frames, all of them.
	local v bad=0
	for v in $(seq 0 $((nv - 1))); do
		[ -f "$d/out/vnic$v.pcap" ] || { bad=$((bad + 1)); continue; }
		python3 "$here/fault_pcap.py" bydst "$d/out/vnic$v.pcap" | python3 -c '
import sys
v, nv, f = map(int, sys.argv[1:])
got = {int(l.split()[0][-2:], 16): int(l.split()[1]) for l in sys.stdin}
sys.exit(got != {k: f for k in range(48) if k % nv == v})' "$v" "$nv" "$frames" ||
			bad=$((bad + 1))
	done
	local recv
	recv=$(awk '{s += $2} END {print s + 0}' "$d/got")
	put $r "vnics=$vnics" "vnic_limit=$nv" "rules=$nr" "refused_adds=2" \
		"refused_rule_exit=$rule_rc" "refused_vnic_exit=$vnic_rc" "objects_changed_by_refusals=$changed" \
		"frames_sent=$((48 * frames))" "frames_received=$recv" "vnics_misdelivered=$bad"
	check "full: $vnics VNICs (the card's $nv) and $nr rules (every free host location)" \
		test "$vnics" = "$nv" -a "$nr" = 48
	check "full: the rule past the end is refused, exit 1, clear error" \
		test "$rule_rc" = 1 -a -n "$(echo "$rule_msg" | grep -i 'full\|no free\|NOSPC')"
	check "full: the VNIC past the limit is refused, exit 1, clear error" \
		test "$vnic_rc" = 1 -a -n "$(echo "$vnic_msg" | grep -i 'full\|no free\|NOSPC\|limit')"
	check "full: the refusals changed nothing on the device or in the mirror ($(echo "$snap0" | wc -l) objects)" \
		test "$changed" = 0
	check "full: every rule still steers: $recv of $((48 * frames)) frames, each at its VNIC (drops: $(sim_drops "$tmp/full.sim" | grep . || echo none))" \
		test "$recv" = $((48 * frames)) -a "$bad" = 0
}

# ---------------------------------------------------------------------
# 4. Ring overflow: a host that stops draining. `snicctl rx` posts its
# buffers on VNIC 1's dedicated ring, then is stopped (SIGSTOP) while a
# stream of frames arrives at line rate; it resumes once the stream is
# over. Frames beyond the ring's buffers are dropped as ring_full, in the
# device's counters and the ring's own; none is lost otherwise: frames
# sent = frames received + frames counted dropped.
camp_ring() {
	local r=ring d=$tmp/ring count=$((4000 * scale)) rxp i got
	rm -f "$res/$r.txt"
	mkdir -p "$d"
	"$bin/gen_seq" "$d/in.pcap" --count "$count" --dst 02:52:00:00:00:01 --gap-ns 1000 --len 300
	start_sim ring --uplink "0:$d/in.pcap" --drops "$d/drops.pcap" || return
	local ctl="$bin/snicctl -d $w"
	$ctl vnic add --id 1 --mac 02:52:00:00:00:01 --uplink 0 >/dev/null
	"$bin/snicctl" -d "$w" rx --out-dir "$d/out" --idle-exit --idle-ms 1500 >"$d/rx.log" 2>&1 &
	rxp=$!
	pids+=("$rxp")
	wait_log "$d/rx.log" "buffers posted"
	wait_device_time "$w" 2000000
	kill -STOP "$rxp"
	$ctl port up 0 >/dev/null
	port_rx() { $ctl --json stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["ports"][0]["rx_packets"])'; }
	for i in $(seq 1 100); do
		got=$(port_rx)
		[ "$got" = "$count" ] && break
		sleep 0.1
	done
	local stats size
	stats=$($ctl --json stats)
	size=$($ctl --json caps | python3 -c 'import json,sys; print(json.load(sys.stdin)["rx_rings"][1]["size"])')
	kill -CONT "$rxp"
	wait "$rxp"
	stop_sim
	local ring_full ring_drop recv sent dropped
	ring_full=$(echo "$stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["drops"]["ring_full"])')
	ring_drop=$(echo "$stats" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["rx_rings"][1]["drop_full"])')
	eval "$(python3 "$here/fault_pcap.py" count "$d"/out/*.pcap | sed 's/^/rx_/')"
	eval "$(python3 "$here/fault_pcap.py" count "$d/drops.pcap" | sed 's/^/dr_/')"
	recv=$rx_distinct
	sent=$(sim_total "$tmp/ring.sim" up0_rx)
	dropped=$(sim_total "$tmp/ring.sim" dropped)
	put $r "frames_sent=$sent" "frames_received=$recv" "ring_full_drops=$ring_full" \
		"ring_drop_counter=$ring_drop" "frames_dropped=$dropped" "drops=$(sim_drops "$tmp/ring.sim")" \
		"dropped_frames_captured=$dr_frames" "lost_uncounted=$((sent - recv - dropped))" "duplicates=$rx_duplicates" "ring_size=$size"
	check "ring: the stream overflowed the stopped host's ring ($ring_full ring_full drops)" \
		test "$sent" = "$count" -a "$ring_full" -gt 0
	check "ring: the ring's own counter agrees ($ring_drop), every drop is ring_full, each one captured" \
		test "$ring_drop" = "$ring_full" -a "$dropped" = "$ring_full" -a "$dr_frames" = "$dropped"
	check "ring: sent $sent = received $recv + dropped $dropped (none silently lost)" \
		test $((recv + dropped)) = "$sent" -a "$rx_duplicates" = 0
	check "ring: the host received what its $size posted buffers held" test "$recv" = "$size"
}

# ---------------------------------------------------------------------
# 5. Uplink flaps under traffic on a bond (snic-sim --switch, a fault
# script in virtual time): VNIC 5 on bond 0 (uplink 0 active, 1 standby,
# RARP notify), an external host on the switch streams to it, one frame
# every 500 us; uplink 0's link goes down and up FAULT_SCALE * 4 times.
# Allowed (docs/teaming.md): frames on the dead cable when the link
# fails, and whatever the failover (<= 10 us) and the switch's flush
# (<= 30 us outage) cost: a lost frame must have been sent around a
# link-down instant; none elsewhere, no duplicates, no gap longer than
# two frames.
camp_flap() {
	local r=flap d=$tmp/flap flaps=$((4 * scale)) period=250 start=4000 i downs=""
	rm -f "$res/$r.txt"
	mkdir -p "$d"
	for i in $(seq 0 $((flaps - 1))); do downs+="$(( (start + 2 * i * period) * 1000000 )),"; done
	start_sim flap --realtime --switch --host "02:aa:00:00:00:01,10.9.0.1,to=02:00:00:00:00:05@10.9.0.5,every=500us,len=200" \
		--fault "${start}ms 0 flap ${period}ms $flaps" || return
	local ctl="$bin/snicctl -d $w"
	$ctl port up 0 >/dev/null && $ctl port up 1 >/dev/null
	$ctl team set 0 --members 0,1 --roles active,standby --notify rarp --notify-count 2 >/dev/null
	$ctl vnic add --id 5 --mac 02:00:00:00:00:05 --ip 10.9.0.5 --uplink 128 >/dev/null
	# The VNIC speaks once, as a VM would, so the switch learns where it
	# is: until then it floods the stream to both members, and the bond
	# delivers what its standby member receives too (duplicates, counted
	# before the receiver starts: flood_duplicates).
	"$bin/gen_seq" "$d/hello.pcap" --count 1 --src 02:00:00:00:00:05 --dst 02:aa:00:00:00:01
	$ctl tx --vnic 5 --pcap "$d/hello.pcap" >/dev/null
	sleep 0.2
	"$bin/snicctl" -d "$w" rx --out-dir "$d/out" >"$d/rx.log" 2>&1 &
	local rxp=$!
	pids+=("$rxp")
	wait_log "$d/rx.log" "buffers posted"
	local t0 setup_ok=0
	t0=$(dev_time "$w")
	[ "$t0" -lt $((start * 1000000 - 500000000)) ] && setup_ok=1
	until_ok 60 past_w $(( (start + 2 * flaps * period + 500) * 1000000 ))
	local team
	team=$($ctl --json team show 0)
	kill -INT "$rxp"
	wait "$rxp" 2>/dev/null
	stop_sim
	eval "$(python3 "$here/fault_pcap.py" flows "$d/out/vnic5.pcap" "$downs" | sed 's/^/fl_/')"
	local fo fb
	fo=$(echo "$team" | python3 -c 'import json,sys; print(json.load(sys.stdin)["failovers"])')
	fb=$(echo "$team" | python3 -c 'import json,sys; print(json.load(sys.stdin)["failbacks"])')
	put $r "flaps=$flaps" "flap_period_ms=$period" "failovers=$fo" "failbacks=$fb" \
		"frames_received=$fl_received" "frames_sent_between=$((fl_last_seq - fl_first_seq + 1))" \
		"frames_lost=$fl_missing" "lost_not_at_a_flap=$fl_missing_not_at_a_flap" \
		"duplicates=$fl_duplicates" "longest_gap_ns=$fl_longest_gap_ns" \
		"link_changes=$(sed -n 's/.*uplink 0 link: \([0-9]*\) changes.*/\1/p' "$tmp/flap.sim")" \
		"lost_on_wire=$(sed -n 's/.*lost: down \([0-9]*\) wire \([0-9]*\)\/\([0-9]*\).*/\1 \2 \3/p' "$tmp/flap.sim" |
			awk '{s += $1 + $2 + $3} END {print s + 0}')" \
		"nic_rx_lost_wire=$(sed -n 's/.*uplink 0 link: .*rx lost wire \([0-9]*\),.*/\1/p' "$tmp/flap.sim")"
	check "flap: $flaps link flaps on the active member, all before traffic ended" \
		test "$setup_ok" = 1 -a "$fo" = "$flaps" -a "$fb" = "$flaps"
	local counted=$(( $(get flap lost_on_wire) + $(get flap nic_rx_lost_wire) ))
	check "flap: $fl_missing of $((fl_last_seq - fl_first_seq + 1)) frames lost, each at a link-down instant and counted ($counted)" \
		test "$fl_missing_not_at_a_flap" = 0 -a "$fl_missing" -le "$flaps" -a "$fl_received" -gt 0 \
			-a "$fl_missing" -le "$counted"
	check "flap: no duplicates; longest gap $fl_longest_gap_ns ns (one frame is 500 us)" \
		test "$fl_duplicates" = 0 -a "$fl_longest_gap_ns" -le 1100000
}

# ---------------------------------------------------------------------
# 6. A shaper's rate changed under load. VNIC 1 streams 1000-byte frames
# through its TX shaper (snic-sim --lockstep: the device clock waits for
# a host that falls behind); the rate is changed while it streams, up
# and down, FAULT_SCALE rounds. Each rate is measured from the device's
# timestamps in the uplink-out capture between the changes, 20 ms after
# each (the burst the bucket may hold) to the next: within 1 % of what
# was set. No frame is lost or reordered.
camp_rate() {
	local r=rate d=$tmp/rate rates=() k i t0 t1 spans=()
	rm -f "$res/$r.txt"
	mkdir -p "$d"
	for k in $(seq 1 "$scale"); do rates+=(20000000 60000000 10000000); done
	# 3 s of frames per rate: more than the stream needs (it is stopped
	# after the last segment), whenever the host gets to each change.
	local seg=200000000 total=0 rt
	for rt in "${rates[@]}"; do total=$((total + rt / 8 * 3 / 1000)); done
	"$bin/gen_seq" "$d/tx.pcap" --count "$total" --src 02:5a:00:00:00:01 --dst 02:bb:00:00:00:01 --len 1000
	# --realtime: the device's clock does not run ahead of the host that
	# times the changes; --lockstep: nor does it leave a slow host's ring short.
	start_sim rate --lockstep --realtime --uplink-out "0:$d/out0.pcap" || return
	local ctl="$bin/snicctl -d $w"
	$ctl vnic add --id 1 --mac 02:5a:00:00:00:01 --uplink 0 >/dev/null
	$ctl port up 0 >/dev/null
	$ctl vnic rate 1 --avg "${rates[0]}" --burst 16k >/dev/null
	$ctl --timeout 600000 tx --vnic 1 --pcap "$d/tx.pcap" >"$d/tx.log" 2>&1 &
	local txp=$!
	pids+=("$txp")
	t1=$(dev_time "$w")
	past() { [ "$(dev_time "$w")" -ge "$1" ]; }
	for i in $(seq 1 ${#rates[@]}); do
		# Let the current rate run a segment of device time, then change it.
		until_ok 30 past $((t1 + seg))
		t0=$(dev_time "$w")
		spans+=("$t1 $t0")
		[ "$i" = ${#rates[@]} ] && break
		$ctl vnic rate 1 --avg "${rates[$i]}" --burst 16k >/dev/null
		t1=$(dev_time "$w")
	done
	local streaming=0
	kill -0 "$txp" 2>/dev/null && streaming=1
	kill "$txp" 2>/dev/null
	wait "$txp" 2>/dev/null
	stop_sim
	local worst=0 pct bps out=() ok=0
	for i in "${!rates[@]}"; do
		read -r t0 t1 <<<"${spans[$i]}"
		# From 20 ms after the change was answered (the burst the bucket
		# may hold; the first rate: after the stream's first frame) to
		# just before the next was sent.
		[ "$i" = 0 ] && t0=$(python3 "$here/fault_pcap.py" gap "$d/out0.pcap" | sed -n 's/^first_ns=//p')
		bps=$(pcap_rate "$d/out0.pcap" $((t0 + 20000000)) "$t1")
		pct=$(( (bps - rates[i]) * 10000 / rates[i] ))
		pct=${pct#-}
		[ "$pct" -gt "$worst" ] && worst=$pct
		out+=("${rates[$i]}:${bps}")
		in_pct "$bps" "${rates[$i]}" 1 || ok=1
	done
	local sent order
	sent=$(python3 "$here/fault_pcap.py" count "$d/out0.pcap" | sed -n 's/^frames=//p')
	order=$("$bin/seq_check" order "$d/out0.pcap" "$sent")
	put $r "rate_changes=$((${#rates[@]} - 1))" "frames_sent=$sent" "set_vs_measured_bps=${out[*]}" \
		"worst_error_pct=$(printf '%d.%02d' $((worst / 100)) $((worst % 100)))" "order=$order"
	check "rate: $((${#rates[@]} - 1)) rate changes while VNIC 1 streamed" test "$streaming" = 1
	check "rate: each rate measured within 1 % of what was set (set:measured ${out[*]})" test "$ok" = 0
	check "rate: no frame lost or reordered ($order)" \
		quiet "$bin/seq_check" order "$d/out0.pcap" "$sent"
}

want=("$@")
[ ${#want[@]} -eq 0 ] && want=(restore kill full ring flap rate)
for c in "${want[@]}"; do
	case $c in
	restore) camp_restore ;;
	kill) camp_kill ;;
	full) camp_full ;;
	ring) camp_ring ;;
	flap) camp_flap ;;
	rate) camp_rate ;;
	*) echo "fault_campaign.sh: unknown campaign $c" >&2; exit 2 ;;
	esac
done
echo "1..$n"
