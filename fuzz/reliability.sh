#!/usr/bin/env bash
# Write docs/reliability.md (stdout) from the runs: the fuzz figures of
# `make fuzz-sw` (DIR/results/*.txt), the admin model test's output
# (DIR/results/admin_model.log), the last `make test SANITIZE=1` summary
# (SAN_SUMMARY, if that run was made) and the regression inputs kept in
# fuzz/corpus/. Nothing here is typed in by hand except what each target
# decodes.
#   fuzz/reliability.sh DIR [SAN_SUMMARY]
set -u
dir=$1 san=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)

what() {
	case $1 in
	parse)    echo "frame parser + ternary lookup (classifier/parse*.c, match.c): any frame, any rule table" ;;
	args)     echo "snicctl's words: MAC/IP/number/rate/byte arguments, ethtool and --option rules, verbs flow specs (hostdrv/lib/args.c, units.c, ntuple*.c, verbs_flow.c)" ;;
	win)      echo "libsnic against a hostile device window: block chain, capability records, ring indices, RX completions, admin completions (hostdrv/lib, hostdrv/proto)" ;;
	fwimg)    echo "firmware image validation and the boot loader over a fuzzed flash (include/snic/fwimage.h, bootctl.h, sim/flash.c)" ;;
	pcap)     echo "the simulator's pcap reader (sim/pcap_io.c)" ;;
	booking)  echo "booking records from the shared store, and store keys (hostdrv/bookd/booking.c)" ;;
	etcd)     echo "etcd gateway replies and the chunked watch stream (hostdrv/bookd/etcd_json.c, etcd_watch.c)" ;;
	fw_admin) echo "the firmware's admin decoder: many commands per input with wire frames and firmware update commands, state checked against a model of the accepted commands (firmware/core via tests/unit/test_fw_util.c)" ;;
	*)        echo "?" ;;
	esac
}
val() { sed -n "s/^$1=//p" "$2"; }

echo "# Reliability"
echo
echo "Written by \`make reliability\` from the runs it makes (\`make fuzz-sw\` with"
echo "FUZZ_TIME seconds per target, the admin model test) on $(date -u +%Y-%m-%d), $(nproc) CPUs"
echo "shared with other work; figures are what those runs measured. Do not edit by hand."
echo
echo "## Fuzzing"
echo
echo "libFuzzer targets in fuzz/ (Debian's clang, \`-fsanitize=fuzzer,address,undefined"
echo "-fno-sanitize-recover=all\`; a broken invariant aborts like a crash). Each has a seed"
echo "corpus in fuzz/corpus/<target>/; \`make test\` replays every committed input and"
echo "fuzzes each target a few seconds (test_fuzz_<target>)."
echo
echo "| target | input | seconds | execs | execs/s | coverage (edges) | features | corpus (seeds) | result |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
total=0
for f in "$dir"/results/*.txt; do
	[ -f "$f" ] || continue
	case $f in *admin_model*) continue ;; esac
	t=$(val target "$f") s=$(val seconds "$f") e=$(val execs "$f")
	rate=$(( s > 0 ? ${e:-0} / s : 0 ))
	total=$(( total + ${e:-0} ))
	res=$([ "$(val rc "$f")" = 0 ] && echo "no finding" || echo "**finding** (DIR/crashes)")
	echo "| $t | $(what "$t") | $s | $e | $rate | $(val cov "$f") | $(val ft "$f") | $(val corpus "$f") ($(val seeds "$f")) | $res |"
done
echo
echo "In all: $total executions. Coverage is libFuzzer's count of instrumented edges"
echo "reached in the code built into the target (libpcap, json-c and libc are not"
echo "instrumented, so pcap's figure counts only sim/pcap_io.c)."
echo
echo "### Regression inputs"
echo
echo "Inputs that once found a bug, kept next to the seeds and replayed by \`make test\`:"
echo
n=0
for r in "$top"/fuzz/corpus/*/regress-*; do
	[ -f "$r" ] || continue
	n=$((n + 1))
	echo "- fuzz/corpus/$(basename "$(dirname "$r")")/$(basename "$r")"
done
[ $n -eq 0 ] && echo "- none"
echo
echo "## Admin command sequences against a model"
echo
echo "tests/unit/test_fw_admin_model.c (part of \`make test\`): seeded adversarial"
echo "sequences on the firmware's real admin path; after every sequence each VNIC and"
echo "rule location is queried back and compared with a model of the accepted commands"
echo "(tests/unit/fw_admin_model.h). Any divergence fails. Last run:"
echo
if [ -f "$dir/results/admin_model.log" ]; then
	grep -E '^# (small|large):|^ok|^not ok' "$dir/results/admin_model.log" | sed 's/^# //; s/^/    /'
else
	echo "    (not run)"
fi
echo
echo "## Sanitizers"
echo
echo "\`make test SANITIZE=1\` builds the unit, simulator and end-to-end suites with ASan +"
echo "UBSan (\`-fno-sanitize-recover=all\`, leaks on) into build-san/; any report fails the"
echo "test that made it, and fuzz/san_reports.sh fails the run if a background process"
echo "(snic-sim, snic-bookd) reported. Not run in that mode: the QEMU guest test, the"
echo "rv32 runners, make install's file list and the fuzz targets (sanitized in every"
echo "make test already); fuzz/sanitize.mk says why."
echo
if [ -n "$san" ] && [ -f "$san" ]; then
	echo "Last run ($(date -u -r "$san" +%Y-%m-%d)):"
	echo
	grep -E ' FAIL |passed, .* failed' "$san" | sed 's/^/    /'
else
	echo "(No SANITIZE=1 run recorded in this tree.)"
fi
echo
echo "## Isolation property"
echo
echo "tests/unit/test_fw_isolation.c (docs/firmware.md, \"Isolation property\"): random"
echo "VNIC, rule, bond, RSS and port-VLAN configurations on the four simulated cards,"
echo "hostile traffic both ways, resets, reboots, failovers, ring moves and commands"
echo "racing frames in flight; an exact oracle from the applied configuration. \`make"
echo "test\` runs 1,000,000 frames; \`make fuzz-isolation\` (run here) 10,000,000. One"
echo "violation fails. Last run:"
echo
if [ -f "$dir/results/isolation.log" ]; then
	grep -E '^# isolation property|fuzz-isolation:' "$dir/results/isolation.log" |
		sed 's/^# //; s/^/    /'
else
	echo "    (no make fuzz-isolation run recorded in this tree)"
fi
echo
echo "## Determinism under load"
echo
echo "tests/e2e/test_rate_determinism.sh (part of \`make test\`): two shaped streams on"
echo "snic-sim --lockstep, once on an idle machine and once against two busy loops per"
echo "core; every frame must leave at the same device time in both runs. Last run:"
echo
if [ -f "$dir/results/determinism.log" ]; then
	sed 's/^/    /' "$dir/results/determinism.log"
else
	echo "    (no run recorded in this tree)"
fi
echo
echo "## The kernel module under the kernel's own checks"
echo
echo "tests/vm/test_vm.sh boots Debian's kernel with slub_debug=FZPU and page_poison=1"
echo "and fails on any BUG, WARNING, oops, SLUB report or list corruption in the guest's"
echo "log, on the taint bits of a warning, oops, bad page or lockup, and on any slab"
echo "object a former snic.ko allocated still live after the last rmmod (docs/kmod.md)."
echo "Debian's kernel has no lockdep, KASAN, KFENCE or kmemleak."
echo
echo "## Fault campaigns"
echo
echo "tests/e2e/fault_campaign.sh with the real tools (snic-sim, snicctl, snic-bookd"
echo "against a real etcd on loopback): each campaign injects one kind of fault, writes"
echo "what it injected and what was lost (key=value) and checks that the loss is only"
echo "what the documented semantics allow. Times and rates are the device's (virtual"
echo "time, from its timestamps). \`make fault-campaign\` (FAULT_SCALE=2 by default) ran"
echo "the figures below; \`make test\` runs a bounded pass (test_fault_campaign.sh:"
echo "every campaign but kill at FAULT_SCALE=1)."
echo
fdir=$dir/results/faults
fault_what() {
	case $1 in
	restore) echo "Firmware reset and flash under traffic. Four VNICs, rules (one naming a policer), an operator's TX shaper, bookings applied by snic-bookd from etcd (shares, a booked cap, receive ceilings as policers and rules); a stream from uplink 0 to every VNIC. Faults alternate: a device RESET the host did not ask for, and a firmware flash and reboot. The host runs \`snicctl restore\` and brings the port up (after a reboot, a new receiver: the window is laid out anew); the agent resyncs by itself. Every VNIC, rule and share is read back from the device and compared with the snapshot before the fault; the meters (the device has no meter query) by the host mirror and by the shapers' measured rates. Allowed loss: frames arriving while the VNICs are gone (dropped, counted, inside the outage) and frames an RX ring held at a reboot. A reset or reboot leaves the ports down and the link partner holds its frames until the host brings them up again, so frames dropped is 0 when the host restores before it does. fault_to_verified_ns: device time from the fault until every object read back equal (the host's restore, the agent's resync and the campaign's polling)." ;;
	kill) echo "The host driver killed mid-command: snicctl VNIC and rule add/del SIGKILLed 0-9 ms after start, at random. After each kill the next command must succeed (an admin lock the dead process held is taken over once its 20 s lease has passed by the device clock), the lock must be free again and the host mirror (\`snicctl state\`) must equal what the device holds (\`vnic l2\`, \`rule show\`). A divergence is printed with the kill that made it: \`>\` an object the device holds and the mirror lacks, \`<\` the reverse." ;;
	full) echo "Table full on the small card: VNICs to its limit and rules into every free host location; the add past the end is refused with a clear error and exit 1 and changes nothing (device and mirror read back alike); then every rule still steers its frames to its VNIC." ;;
	ring) echo "Ring overflow: the receiving host is stopped (SIGSTOP) while a stream arrives at line rate. Frames beyond the ring's posted buffers must be dropped as ring_full (device and ring counters, and the drop capture); frames sent = received + counted drops." ;;
	flap) echo "Uplink flaps under traffic on a bond: snic-sim --switch with a fault script in virtual time; VNIC 5 on bond 0 (uplink 0 active, 1 standby, RARP notify) receives a stream from an external host on the switch, one frame every 500 us, while uplink 0's link goes down and up. Allowed (docs/teaming.md): frames on the dead cable and what the failover and the switch's flush cost; every lost frame must have been sent around a link-down instant and be counted where it died; no duplicates; longest gap in device time." ;;
	rate) echo "A shaper's rate changed under load: VNIC 1 streams through its TX shaper (snic-sim --lockstep --realtime) while the rate is changed up and down; each rate is measured from the device's timestamps in the uplink-out capture between the changes (from 20 ms after a change was answered): within 1 % of what was set, no frame lost or reordered." ;;
	*) echo "?" ;;
	esac
}
if ls "$fdir"/*.txt >/dev/null 2>&1; then
	for f in "$fdir"/*.txt; do
		c=$(basename "$f" .txt)
		echo "### $c"
		echo
		fault_what "$c" | fold -s -w 80 | sed 's/ *$//'
		echo
		echo "| figure | value |"
		echo "|---|---:|"
		sed 's/^\([^=]*\)=\(.*\)$/| \1 | \2 |/' "$f"
		echo
		grep -E "^(not )?ok [0-9]+ - $c:" "$fdir/tap.log" 2>/dev/null | sed 's/^/    /'
		# What the campaign printed about a failure ("# kill 3 (...) left ...").
		awk -v c="# $c " 'index($0, c) == 1 { on = 1; print; next }
			on && /^#   / { print; next } { on = 0 }' "$fdir/tap.log" 2>/dev/null |
			sed 's/^# /    /; s/^#   /        /'
		echo
	done
	echo "Last run: $(date -u -r "$fdir/tap.log" +%Y-%m-%d 2>/dev/null), $(grep -c '^ok' "$fdir/tap.log" 2>/dev/null) checks passed, $(grep -c '^not ok' "$fdir/tap.log" 2>/dev/null) failed."
else
	echo "(no make fault-campaign run recorded in this tree)"
fi
echo
echo "## Not covered here yet"
echo
echo "Fault campaigns: the kill campaign kills snicctl only (not a long-lived library"
echo "user such as snic-bookd); the restore campaign's meters are checked by the host"
echo "mirror and the shapers' rates (the device has no meter query); the flap campaign"
echo "flaps one member of one bond, receive direction only."
