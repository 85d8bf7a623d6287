#!/usr/bin/env bash
# VM test of the snic kernel driver: snic-sim serves the device window in a
# shared-memory file, QEMU (TCG) maps the same file as an ivshmem-plain
# BAR, Debian's kernel boots a busybox initramfs that loads snic.ko and
# drives it with the real ip and ethtool (tests/vm/guest_init.sh).
# Prints TAP; on failure the guest console log follows as "#" lines.
#   BUILD=build tests/vm/test_vm.sh          the test
#   BUILD=build tests/vm/test_vm.sh bench    throughput numbers instead
set -u
MODE=${1:-test}

BUILD=${BUILD:-build}
PINGS=3
# Traces: uplink 0 -> snic0 (no rules), uplink 1 -> snic1 (drop rule, UDP 9).
U0_P7=15 U0_P9=10 U0_STRANGE=3
U1_P7=12 U1_P9=8 U1_STRANGE=4
# Uplink 3 -> snic3, a software-ring VNIC (shared HRR 0) after the reload.
U3_P7=10
RX3=$U3_P7
# Uplink 2 floods snic2 for the unload-under-traffic check.
U2_FLOOD=200000 U2_GAP=1000
RX0=$((U0_P7 + U0_P9))
RX1=$U1_P7
DROP1=$U1_P9
NOMATCH=$((U0_STRANGE + U1_STRANGE))
# Guest checks (guest_init.sh) plus the host's own below.
GUEST_CHECKS=21
HOST_CHECKS=4
BENCH=0
# The simulator's external host (on its switch) echoes UDP port 7; it has
# the MAC and address the guest's static neighbour entry names.
SIM_NET="--host 02:aa:00:00:00:01,10.9.0.2,echo"
if [ "$MODE" = bench ]; then
	# A dense flood (3 us apart) on uplink 2; the guest measures RX and TX.
	BENCH=1 GUEST_CHECKS=3 HOST_CHECKS=1 U2_FLOOD=300000 U2_GAP=1
fi
echo "1..$((GUEST_CHECKS + HOST_CHECKS))"

work=$(mktemp -d /tmp/snic-vmtest.XXXXXX)
shm=/dev/shm/snic-vmtest-$$
sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -f "$shm"
	rm -rf "$work"
}
trap cleanup EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
show() { sed 's/^/#   /' "$1" | tail -n "${2:-200}"; }
# Reports every check not reached as failed, with the reason.
bail() {
	echo "# $*"
	while [ "$n" -lt $((GUEST_CHECKS + HOST_CHECKS)) ]; do notok "not run: $1"; done
	[ -f "$work/console.log" ] && { echo "# guest console:"; show "$work/console.log"; }
	[ -f "$work/sim.log" ] && { echo "# snic-sim:"; show "$work/sim.log" 40; }
	exit 1
}

kver=$(ls /usr/src 2>/dev/null | sed -n 's/^linux-headers-\(.*-amd64\)$/\1/p' | sort -V | tail -1)
kernel=/boot/vmlinuz-$kver
ko=$BUILD/kmod/snic.ko
sim=$BUILD/bin/snic-sim
frames=$BUILD/bin/snic_vm_frames
for need in "$kernel" "$ko" "$sim" "$frames" "$BUILD/bin/snic_vm_blast" /bin/busybox; do
	[ -r "$need" ] || bail "missing $need (make kmod all; apt-get install linux-image-amd64 busybox-static)"
done
snicctl=$BUILD/bin/snicctl
[ -x "$snicctl" ] || bail "missing $snicctl (make all)"
for tool in qemu-system-x86_64 ethtool cpio tcpdump objcopy; do
	command -v "$tool" >/dev/null || bail "missing $tool (see deps/debian-packages.txt)"
done

tests/vm/mkinitramfs.sh "$work/initrd.cpio" "$ko" "$BUILD/bin/snic_vm_blast" || bail "initramfs build failed"
"$frames" "$work/in0.pcap" 02:73:6e:69:00:00 $U0_P7 $U0_P9 $U0_STRANGE &&
"$frames" "$work/in1.pcap" 02:73:6e:69:00:01 $U1_P7 $U1_P9 $U1_STRANGE &&
"$frames" "$work/in3.pcap" 02:73:6e:69:00:03 $U3_P7 0 0 &&
"$frames" "$work/in2.pcap" 02:73:6e:69:00:02 "$U2_FLOOD" 0 0 "$U2_GAP" ||
	bail "trace generation failed"

"$sim" --profile large --window "$shm" --uplink "0:$work/in0.pcap" \
	--uplink "1:$work/in1.pcap" --uplink "2:$work/in2.pcap" --uplink "3:$work/in3.pcap" \
	--uplink-out "0:$work/out0.pcap" --uplink-out "3:$work/out3.pcap" --timeout 200 $SIM_NET \
	>"$work/sim.log" 2>&1 &
sim_pid=$!
# QEMU must map the window only after the simulator sized it and the
# firmware ran: DEVID magic at offset 16, state RUNNING (2) at offset 28.
for _ in $(seq 100); do
	magic=$(od -An -tx4 -j16 -N4 "$shm" 2>/dev/null | tr -d ' ')
	state=$(od -An -tu4 -j28 -N4 "$shm" 2>/dev/null | tr -d ' ')
	[ "$magic" = 43494e53 ] && [ "$state" = 2 ] && break
	sleep 0.1
done
[ "${state:-}" = 2 ] || bail "snic-sim did not start (state '${state:-}')"
size=$(stat -c %s "$shm")

# The guest asks for a reset by another agent: snicctl on the host side.
(
	for _ in $(seq 1500); do
		if grep -q 'VMT# ready for host reset' "$work/console.log" 2>/dev/null; then
			"$snicctl" -d "$shm" --state '' reset >"$work/snicctl.log" 2>&1
			exit
		fi
		sleep 0.1
	done
) &
resetter=$!

start=$(date +%s)
timeout 150 qemu-system-x86_64 -accel tcg -m 256 -smp 1 -nographic -no-reboot \
	-kernel "$kernel" -initrd "$work/initrd.cpio" -nic none \
	-append "console=ttyS0 quiet panic=-1 SNIC_RX0=$RX0 SNIC_RX1=$RX1 SNIC_RX3=$RX3 SNIC_DROP1=$DROP1 SNIC_NOMATCH=$NOMATCH SNIC_PINGS=$PINGS SNIC_BENCH=$BENCH" \
	-object "memory-backend-file,id=snicwin,share=on,mem-path=$shm,size=$size" \
	-device ivshmem-plain,memdev=snicwin \
	</dev/null >"$work/console.log" 2>&1
qemu_rc=$?
secs=$(( $(date +%s) - start ))
kill "$resetter" 2>/dev/null
wait "$resetter" 2>/dev/null
kill "$sim_pid" 2>/dev/null
wait "$sim_pid" 2>/dev/null
sim_pid=
# Kept for inspection after the run.
mkdir -p "$BUILD/vmtest"
cp "$work/console.log" "$work/sim.log" "$BUILD/vmtest/" 2>/dev/null

# Guest results, renumbered in order.
# (Terminal escapes may precede a line's "VMT": cut everything before it.)
tr -d '\r' <"$work/console.log" | sed 's/^[^V]*VMT/VMT/' >"$work/console.txt"
while IFS= read -r line; do
	case "$line" in
	"VMT ok - "*) ok "${line#VMT ok - }" ;;
	"VMT not ok - "*) notok "${line#VMT not ok - }" ;;
	"VMT#"*) echo "#${line#VMT#}" ;;
	esac
done <"$work/console.txt"
got=$n
while [ "$n" -lt "$GUEST_CHECKS" ]; do notok "guest check not reached"; done

if grep -q '^VMT done' "$work/console.txt" && [ "$got" -eq "$GUEST_CHECKS" ]; then
	ok "guest ran every check and powered off (qemu rc $qemu_rc, ${secs}s)"
else
	notok "guest finished (qemu rc $qemu_rc after ${secs}s, $got/$GUEST_CHECKS checks)"
fi

if [ "$BENCH" = 1 ]; then
	sent=$(tcpdump -nn -r "$work/out0.pcap" 2>/dev/null | wc -l)
	echo "# bench: uplink 0 carried $sent frames (simulator's uplink-out pcap)"
	sed -n 's/^snic-sim: /# bench: snic-sim: /p' "$work/sim.log"
	if [ "$failed" -ne 0 ]; then
		echo "# guest console:"
		show "$work/console.txt"
		exit 1
	fi
	exit 0
fi

# What left the NIC: exactly the pings, from snic0's MAC, on uplink 0.
pings=$(tcpdump -nn -r "$work/out0.pcap" \
	'ether src 02:73:6e:69:00:00 and icmp[icmptype] == icmp-echo and dst host 10.9.0.2' \
	2>/dev/null | wc -l)
# (PINGS before the resets, PINGS after each of the two.)
if [ "$pings" -eq $((3 * PINGS)) ]; then
	ok "uplink 0 carried the $((3 * PINGS)) echo requests"
else
	notok "uplink 0 carried $pings echo requests, expected $((3 * PINGS))"
fi

pings3=$(tcpdump -nn -r "$work/out3.pcap" \
	'ether src 02:73:6e:69:00:03 and icmp[icmptype] == icmp-echo and dst host 10.9.3.2' \
	2>/dev/null | wc -l)
if [ "$pings3" -eq "$PINGS" ]; then
	ok "uplink 3 carried the $PINGS echo requests sent on the shared TRR"
else
	notok "uplink 3 carried $pings3 echo requests, expected $PINGS"
fi

# Every frame of uplinks 0 and 1 reached the NIC (the flood on uplink 2
# need not finish), and at least the ones the guest counted were delivered.
u0=$(sed -n 's/^snic-sim:   uplink 0: \([0-9]*\/[0-9]*\) frames received.*/\1/p' "$work/sim.log")
u1=$(sed -n 's/^snic-sim:   uplink 1: \([0-9]*\/[0-9]*\) frames received.*/\1/p' "$work/sim.log")
delivered=$(sed -n 's/^snic-sim: \([0-9]*\) frames delivered to rings.*/\1/p' "$work/sim.log")
t0=$((U0_P7 + U0_P9 + U0_STRANGE)) t1=$((U1_P7 + U1_P9 + U1_STRANGE))
if [ "$u0" = "$t0/$t0" ] && [ "$u1" = "$t1/$t1" ] && [ "${delivered:-0}" -ge $((RX0 + RX1)) ]; then
	ok "simulator took all uplink 0/1 frames ($u0, $u1), delivered $delivered"
else
	notok "simulator: uplink 0 '$u0', uplink 1 '$u1', delivered '${delivered:-?}'"
fi

if [ "$failed" -ne 0 ]; then
	echo "# guest console:"
	show "$work/console.txt"
	echo "# snic-sim:"
	show "$work/sim.log" 40
	exit 1
fi
exit 0
