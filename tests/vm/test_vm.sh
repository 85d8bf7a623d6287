#!/usr/bin/env bash
# VM test of the snic kernel driver: snic-sim serves the device window in a
# shared-memory file, QEMU (TCG) maps the same file as an ivshmem-plain
# BAR, Debian's kernel boots a busybox initramfs that loads snic.ko and
# drives it with the real ip and ethtool (tests/vm/guest_init.sh).
# Prints TAP; on failure the guest console log follows as "#" lines.
#   BUILD=build tests/vm/test_vm.sh          the test
#   BUILD=build tests/vm/test_vm.sh bench    throughput numbers instead
#   BUILD=build tests/vm/test_vm.sh stress [N]  only "rmmod under RX
#                                            traffic", N rounds (default 12)
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
GUEST_CHECKS=60
HOST_CHECKS=12
# Uplink 1 is cabled to a TAP device in a network namespace holding
# 10.10.0.2: a real Linux stack answers ARP, ping and TCP. TCP_BYTES go to
# the guest and come back; the host compares them.
TAP_NET=10.10.0
TCP_BYTES=2097152
# The layer-2 checks: the peer's VLANs, its broadcast burst per VLAN, the
# flood that fills snic5's ring, the IPv6 prefix of the neighbour check.
VLAN10_NET=10.11.0 VLAN20_NET=10.12.0 VLAN_BURST=5 VLAN_FLOOD=4000 TAP_NET6=fd00:10
# VNIC 0's shaper, set as VF 0 through snic1 (ip link ... vf 0 max_tx_rate),
# measured in the virtual-time stamps of uplink 0's pcap.
VF_RATE_MBPS=20
BENCH=0
# The simulator's external host (on its switch) echoes UDP port 7; it has
# the MAC and address the guest's static neighbour entry names.
SIM_NET="--host 02:aa:00:00:00:01,10.9.0.2,echo"
STRESS=0
if [ "$MODE" = bench ]; then
	# A dense flood (3 us apart) on uplink 2; the guest measures RX and TX.
	BENCH=1 GUEST_CHECKS=5 HOST_CHECKS=1 U2_FLOOD=300000 U2_GAP=1 TCP_BYTES=$((32 << 20))
elif [ "$MODE" = stress ]; then
	# Unload and reload under the uplink 2 flood, again and again.
	STRESS=${2:-12}
	GUEST_CHECKS=$((STRESS + 3)) HOST_CHECKS=1 U2_FLOOD=400000
fi
echo "1..$((GUEST_CHECKS + HOST_CHECKS))"

work=$(mktemp -d /tmp/snic-vmtest.XXXXXX)
shm=/dev/shm/snic-vmtest-$$
ns=snicvm$$
sim_pid=
tcp_pids=
etcd_pid=
vlanpeer_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	for p in $tcp_pids $etcd_pid $vlanpeer_pid; do kill "$p" 2>/dev/null; done
	ip netns del "$ns" 2>/dev/null
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

tcp_tool=$BUILD/bin/snic_vm_tcp
[ -x "$tcp_tool" ] || bail "missing $tcp_tool (make all)"
vlanpeer=$BUILD/bin/snic_vm_vlanpeer
[ -x "$vlanpeer" ] || bail "missing $vlanpeer (make all)"
# The booking agent runs in the guest (with snicctl to write its booking);
# without it its checks are skipped, visibly.
BOOKD=0
bookd_args=
if [ "$MODE" = test ] && [ -x "$BUILD/bin/snic-bookd" ]; then
	BOOKD=1
	bookd_args="$BUILD/bin/snic-bookd $snicctl"
elif [ "$MODE" = test ]; then
	echo "# no $BUILD/bin/snic-bookd (make $BUILD/bin/snic-bookd): its checks are skipped"
fi
# Firmware 0.2.0 for devlink dev flash (guest_devlink.sh), from the
# cross-built firmware; without the toolchain those checks are skipped.
fwimg=
if [ -x "$BUILD/bin/snic-fwimg" ] && [ -r "$BUILD/rv32/snic-fw.elf" ] &&
	"$BUILD/bin/snic-fwimg" build --elf "$BUILD/rv32/snic-fw.elf" --out "$work/snic-fw.img" \
		--objcopy riscv64-unknown-elf-objcopy --version 0.2.0 --build "vm devlink" >/dev/null; then
	fwimg=$work/snic-fw.img
else
	echo "# no firmware image (make fw): devlink flash checks skipped"
fi
KVER=$kver SNIC_VM_FWIMG=$fwimg tests/vm/mkinitramfs.sh "$work/initrd.cpio" "$ko" "$BUILD/bin/snic_vm_blast" "$tcp_tool" \
	$bookd_args || bail "initramfs build failed"

# The far end of the TAP uplink: a network namespace (root, /dev/net/tun).
# Without them (or with SNIC_VM_TAP=0) the TAP checks are skipped, visibly.
TAP=0
run_ns=
if [ "${SNIC_VM_TAP:-1}" = 1 ] && [ "$(id -u)" = 0 ] && [ -c /dev/net/tun ] &&
	ip netns add "$ns" 2>/dev/null; then
	TAP=1
	run_ns="ip netns exec $ns"
	# No IPv6 chatter: what crosses the uplink is what the test sends.
	$run_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n "$ns" link set lo up
	TAP_OPT="--tap 1:snictap0"
else
	echo "# no network namespace or /dev/net/tun (needs root): TAP checks skipped"
	TAP_OPT=
fi
# VNIC MACs as the driver derives them (docs/kmod.md): the card's base MAC
# (uplink 0's, asked from a simulator of the same profile) made locally
# administered and unicast, 0x800000 + the VNIC index added to its low 24
# bits.
vnic_mac() {
	local IFS=:
	set -- $1 "$2"
	local low=$(((0x$4 << 16 | 0x$5 << 8 | 0x$6) + 0x800000 + $7))
	printf '%02x:%s:%s:%02x:%02x:%02x' $(((0x$1 | 2) & ~1)) "$2" "$3" \
		$((low >> 16 & 255)) $((low >> 8 & 255)) $((low & 255))
}
"$sim" --profile large --window "$shm" --timeout 2 >/dev/null 2>&1 &
probe_pid=$!
for _ in $(seq 50); do
	base=$("$snicctl" -d "$shm" --state '' caps 2>/dev/null |
		sed -n 's/^  0  \([0-9a-f:]\{17\}\)  .*/\1/p')
	[ -n "$base" ] && break
	sleep 0.1
done
kill "$probe_pid" 2>/dev/null
wait "$probe_pid" 2>/dev/null
rm -f "$shm"
[ -n "$base" ] || bail "could not read uplink 0's MAC from snicctl caps"
MACS=
for i in 0 1 2 3 4 5; do
	eval "MAC$i=$(vnic_mac "$base" $i)"
	MACS="$MACS${MACS:+,}$(vnic_mac "$base" $i)"
done

tcp_sha=none
if [ "$BENCH" = 0 ] && [ "$STRESS" = 0 ]; then
	head -c "$TCP_BYTES" /dev/urandom >"$work/tcp_src"
	tcp_sha=$(sha256sum "$work/tcp_src" | cut -d' ' -f1)
fi
"$frames" "$work/in0.pcap" "$MAC0" $U0_P7 $U0_P9 $U0_STRANGE &&
"$frames" "$work/in1.pcap" "$MAC1" $U1_P7 $U1_P9 $U1_STRANGE &&
"$frames" "$work/in3.pcap" "$MAC3" $U3_P7 0 0 &&
"$frames" "$work/in2.pcap" "$MAC2" "$U2_FLOOD" 0 0 "$U2_GAP" ||
	bail "trace generation failed"

# In the namespace, so the TAP it creates is there (exec: $! is snic-sim).
$run_ns "$sim" --profile large --window "$shm" --uplink "0:$work/in0.pcap" \
	--uplink "1:$work/in1.pcap" --uplink "2:$work/in2.pcap" --uplink "3:$work/in3.pcap" \
	--uplink-out "0:$work/out0.pcap" --uplink-out "3:$work/out3.pcap" --timeout 200 $SIM_NET \
	--flash "$work/flash.bin" $TAP_OPT --ivshmem-server "$work/ivshmem.sock" >"$work/sim.log" 2>&1 &
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
# The rule slots the card offers host rules, as libsnic reads them: the
# driver must report the same (ethtool -i).
cls_user=$("$snicctl" -d "$shm" --state '' caps |
	sed -n 's/^classifier: .*(\([0-9]*\) for host rules).*/\1/p')
[ -n "$cls_user" ] || bail "snicctl caps did not report the classifier"

if [ "$TAP" = 1 ]; then
	# snic-sim opens the TAP just after the firmware runs.
	for _ in $(seq 50); do
		ip -n "$ns" link show snictap0 >/dev/null 2>&1 && break
		sleep 0.1
	done
	ip -n "$ns" link set snictap0 up &&
	ip -n "$ns" addr add "$TAP_NET.2/24" dev snictap0 || bail "TAP snictap0 setup failed"
	# The guest fetches tcp_src from port 5002 and sends it back to 5001
	# (bench: TCP_BYTES of pattern each way, nothing kept).
	src=$work/tcp_src back=$work/tcp_back
	[ "$BENCH" = 1 ] && src=:$TCP_BYTES back=-
	$run_ns "$tcp_tool" send -l 5002 "$src" >"$work/tcp_srv_send.log" 2>&1 &
	tcp_pids="$tcp_pids $!"
	$run_ns "$tcp_tool" recv -l 5001 "$back" >"$work/tcp_srv_recv.log" 2>&1 &
	tcp_pids="$tcp_pids $!"
	# The RSS checks (guest_rss.sh): the far end of iperf3 -P 4 -R.
	if command -v iperf3 >/dev/null; then
		$run_ns iperf3 -s -p 5201 >"$work/iperf3.log" 2>&1 &
		tcp_pids="$tcp_pids $!"
	fi
	# The peer's VLANs 10 and 20 (no VLAN devices needed on the host):
	# answers ARP and ping, and sends VLAN_BURST broadcasts on each on
	# SIGUSR1, VLAN_FLOOD on VLAN 20 on SIGUSR2 (the guest's L2 checks).
	$run_ns "$vlanpeer" snictap0 $VLAN_BURST $VLAN_FLOOD 10:$VLAN10_NET.2 20:$VLAN20_NET.2 \
		>"$work/vlanpeer.log" 2>&1 &
	vlanpeer_pid=$!
fi

# etcd on the far side of uplink 1, for the agent in the guest: it holds
# VF 0's booking for node "vm" (BOOKING_REV: the put's revision), and the
# agent's answer lands next to it.
ETCD=0 etcd_why="no TAP uplink"
BOOKING='{"v":1,"out_bandwidth":"100M","cap":"500M"}'
BOOK_KEYS=/snic/v1/default/nodes/vm
etcdctl() { $run_ns /usr/bin/etcdctl --endpoints http://127.0.0.1:2379 --command-timeout=5s "$@"; }
if [ "$TAP" = 1 ] && [ "$BOOKD" = 1 ] && [ -x /usr/bin/etcd ] && [ -x /usr/bin/etcdctl ]; then
	$run_ns /usr/bin/etcd --name vmtest --data-dir "$work/etcd" \
		--listen-client-urls "http://$TAP_NET.2:2379,http://127.0.0.1:2379" \
		--advertise-client-urls "http://$TAP_NET.2:2379" \
		--listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
		--initial-cluster vmtest=http://127.0.0.1:2380 >"$work/etcd.log" 2>&1 &
	etcd_pid=$!
	etcd_why="etcd did not answer in 10 s"
	for _ in $(seq 50); do
		etcdctl endpoint health >/dev/null 2>&1 && break
		sleep 0.2
	done
	if etcdctl put "$BOOK_KEYS/bookings/0" "$BOOKING" >/dev/null 2>&1 &&
		BOOKING_REV=$(etcdctl get "$BOOK_KEYS/bookings/0" -w fields |
			sed -n 's/^"ModRevision" : \([0-9]*\)$/\1/p') && [ -n "$BOOKING_REV" ]; then
		ETCD=1
	else
		echo "# etcd in the namespace: $etcd_why; its log:"
		show "$work/etcd.log" 20
	fi
elif [ "$TAP" = 1 ] && [ "$BOOKD" = 1 ]; then
	etcd_why="no /usr/bin/etcd and etcdctl (apt-get install etcd-server etcd-client)"
elif [ "$BOOKD" != 1 ]; then
	etcd_why="no snic-bookd"
fi

# What the guest asks the host to do, once each, by a console marker: a
# reset by another agent (snicctl on the host side); the peer pings the
# guest with an empty neighbour cache, over IPv4 and IPv6 (IPv6 on the
# peer's TAP only for this); the VLAN peer's broadcast burst and flood.
peer_ping() {
	ip -n "$ns" neigh flush dev snictap0
	$run_ns sysctl -qw net.ipv6.conf.snictap0.disable_ipv6=0
	ip -n "$ns" -6 addr add "$TAP_NET6::2/64" dev snictap0 nodad
	echo "neighbours before: $(ip -n "$ns" neigh show dev snictap0 | wc -l)"
	# (busybox's ping: the host may have no other)
	$run_ns /bin/busybox ping -c 3 -W 5 "$TAP_NET.1"
	$run_ns /bin/busybox ping -6 -c 3 -W 5 "$TAP_NET6::1"
	$run_ns sysctl -qw net.ipv6.conf.snictap0.disable_ipv6=1
}
# VNIC 0's share as the firmware answers VNIC_SHARE_QUERY, while the
# guest's snic-bookd holds its booking (3) and after (4); the address
# $TAP_NET.N on the namespace's end tells the guest the read is done.
fw_share() {
	"$snicctl" -d "$shm" --state '' --json vnic share 0 >"$work/fw_share_$1.json" 2>&1
	ip -n "$ns" addr add "$TAP_NET.$1/24" dev snictap0
}
# The guest added an n-tuple rule with ethtool -N at location 9: add the
# same words with snicctl (plus the VNIC and MAC the driver confines it to)
# at 10 and compare what the device stores (RULE_QUERY), then take ours out.
SAME_RULE="flow-type tcp4 dst-ip 10.9.9.9 m 0.0.0.255 dst-port 8080 vlan 7"
compare_rule() {
	local g h vnic mac
	g=$("$snicctl" -d "$shm" --state '' --json rule show 9) || return 1
	vnic=$(echo "$g" | python3 -c 'import json,sys; print(json.load(sys.stdin)["action"]["vnic"])')
	mac=$(echo "$g" | python3 -c 'import json,sys; print(json.load(sys.stdin)["match"]["dst_mac"])')
	# shellcheck disable=SC2086 # the rule's words
	"$snicctl" -d "$shm" --state '' rule add $SAME_RULE dst-mac "$mac" vf "$vnic" loc 10 || return 1
	h=$("$snicctl" -d "$shm" --state '' --json rule show 10)
	"$snicctl" -d "$shm" --state '' rule del 10
	echo "ethtool: $g"
	echo "snicctl: $h"
	python3 -c 'import json,sys; g,h=(json.loads(x) for x in sys.argv[1:]); sys.exit(0 if g["match"]==h["match"] and g["action"]==h["action"] and "flags" in g["match"] else 1)' "$g" "$h" &&
		echo SAME
}
host_hooks() {
	local done_reset=0 done_ping=0 done_burst=0 done_flood=0 done_share3=0 done_share4=0 done_share5=0 done_cmp=0
	for _ in $(seq 3000); do
		if [ $done_reset = 0 ] && grep -q 'VMT# ready for host reset' "$work/console.log" 2>/dev/null; then
			"$snicctl" -d "$shm" --state '' reset >"$work/snicctl.log" 2>&1
			done_reset=1
		fi
		if [ $done_ping = 0 ] && grep -q 'VMT# host: peer ping' "$work/console.log" 2>/dev/null; then
			peer_ping >"$work/peer_ping.log" 2>&1
			done_ping=1
		fi
		if [ $done_burst = 0 ] && grep -q 'VMT# host: vlan burst' "$work/console.log" 2>/dev/null; then
			kill -USR1 "$vlanpeer_pid"
			done_burst=1
		fi
		if [ $done_flood = 0 ] && grep -q 'VMT# host: vlan flood' "$work/console.log" 2>/dev/null; then
			kill -USR2 "$vlanpeer_pid"
			done_flood=1
		fi
		for i in 3 4 5; do
			eval "[ \$done_share$i = 0 ]" &&
			grep -q "VMT# host: firmware share $i" "$work/console.log" 2>/dev/null &&
			fw_share $i >>"$work/fw_share.log" 2>&1 && eval "done_share$i=1"
		done
		if [ $done_cmp = 0 ] && grep -q 'VMT# host: compare rule 9' "$work/console.log" 2>/dev/null; then
			compare_rule >"$work/rule_cmp.log" 2>&1
			done_cmp=1
		fi
		sleep 0.1
	done
}
host_hooks &
resetter=$!

# Stress: another agent on the admin queue the whole time, as an operator
# running snicctl next to the guest's driver would be (read-only queries).
hammer=
if [ "$STRESS" != 0 ] && [ "${SNIC_VM_HOST_ADMIN:-1}" = 1 ]; then
	(
		q=0 bad=0
		while [ ! -f "$work/stop_hammer" ]; do
			out=$("$snicctl" -d "$shm" --state '' vnic show $((q % 3)) 2>&1)
			case "$out" in *"timed out"*|*"no completion"*|*"held by"*|*corrupt*|*foreign*|*"echoes"*)
				bad=$((bad + 1)); echo "$out" ;; esac
			q=$((q + 1))
		done
		echo "host queries: $q, failed: $bad"
	) >"$work/hammer.log" 2>&1 &
	hammer=$!
fi

# The NIC as QEMU sees it: ivshmem-doorbell, whose window and MSI-X
# eventfds come from snic-sim's ivshmem server (interrupts), or with
# SNIC_VM_IRQ=0 ivshmem-plain on the window file (the driver then polls).
# 32 vectors: one per ring of the large profile (RX ring r is vector r).
IRQ=${SNIC_VM_IRQ:-1}
if [ "$IRQ" = 1 ]; then
	# QEMU connects once, at start: the server must be listening.
	for _ in $(seq 50); do
		[ -S "$work/ivshmem.sock" ] && break
		sleep 0.1
	done
	[ -S "$work/ivshmem.sock" ] || bail "snic-sim's ivshmem server socket did not appear"
	ivshmem_dev="-chardev socket,id=snicivs,path=$work/ivshmem.sock
		-device ivshmem-doorbell,chardev=snicivs,vectors=32"
else
	ivshmem_dev="-object memory-backend-file,id=snicwin,share=on,mem-path=$shm,size=$size
		-device ivshmem-plain,memdev=snicwin"
fi

# One vCPU, but maxcpus=2: with a single possible CPU QEMU's TCG runs the
# guest "serially" and emits its atomic instructions as plain loads and
# stores and its fences as nothing. The window is shared with other
# processes (the simulator, snicctl), so the admin lock's compare-and-swap
# and the full barriers of the TX doorbell and interrupt re-arm need the
# parallel mode, which a second possible CPU turns on.
# (SNIC_VM_SMP=1 for the serial mode, to compare.)
start=$(date +%s)
timeout 240 qemu-system-x86_64 -accel tcg -m 256 -smp "${SNIC_VM_SMP:-1,maxcpus=2}" -nographic -no-reboot \
	-kernel "$kernel" -initrd "$work/initrd.cpio" -nic none \
	-append "console=ttyS0 quiet panic=-1 slub_debug=FZPU page_poison=1 SNIC_RX0=$RX0 SNIC_RX1=$RX1 SNIC_RX3=$RX3 SNIC_DROP1=$DROP1 SNIC_NOMATCH=$NOMATCH SNIC_PINGS=$PINGS SNIC_BENCH=$BENCH SNIC_STRESS=$STRESS SNIC_TAP=$TAP SNIC_TAP_NET=$TAP_NET SNIC_TCP_BYTES=$TCP_BYTES SNIC_TCP_SHA=$tcp_sha SNIC_VF_RATE=$VF_RATE_MBPS SNIC_CLS_USER=$cls_user SNIC_IRQ=$IRQ SNIC_BOOKD=$BOOKD SNIC_ETCD=$ETCD SNIC_MACS=$MACS SNIC_TAP_NET6=$TAP_NET6 SNIC_VLAN10=$VLAN10_NET SNIC_VLAN20=$VLAN20_NET SNIC_VLAN_BURST=$VLAN_BURST SNIC_VLAN_FLOOD=$VLAN_FLOOD" \
	$ivshmem_dev \
	</dev/null >"$work/console.log" 2>&1
qemu_rc=$?
secs=$(( $(date +%s) - start ))
kill "$resetter" 2>/dev/null
wait "$resetter" 2>/dev/null
if [ -n "$hammer" ]; then
	touch "$work/stop_hammer"
	wait "$hammer" 2>/dev/null
fi
# What the simulator cost the machine (user + system CPU, clock ticks of 10 ms).
sim_cpu=$(awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$sim_pid/stat" 2>/dev/null)
# Still running here, it exits 0 on our SIGTERM; anything else (a crash,
# its own timeout) is reported with the guest's results.
sim_state=$(awk '{ print $3 }' "/proc/$sim_pid/stat" 2>/dev/null)
# Where it was (for a simulator found asleep: which wait, with what timeout).
sim_where="wchan $(cat "/proc/$sim_pid/wchan" 2>/dev/null), syscall $(cat "/proc/$sim_pid/syscall" 2>/dev/null)"
kill "$sim_pid" 2>/dev/null
wait "$sim_pid" 2>/dev/null
sim_rc=$?
sim_pid=
for p in $tcp_pids $vlanpeer_pid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
tcp_pids= vlanpeer_pid=
# What the guest's agent left in etcd, read before etcd stops.
[ "$ETCD" = 1 ] && etcdctl get --prefix "$BOOK_KEYS/" >"$work/etcd_after.txt" 2>&1
if [ -n "$etcd_pid" ]; then
	kill "$etcd_pid" 2>/dev/null
	wait "$etcd_pid" 2>/dev/null
	etcd_pid=
fi
# Kept for inspection after the run.
mkdir -p "$BUILD/vmtest"
cp "$work/console.log" "$work/sim.log" "$work"/tcp_srv_*.log "$work"/peer_ping.log "$work"/vlanpeer.log "$work"/out*.pcap "$BUILD/vmtest/" 2>/dev/null

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
echo "# snic-sim used ${sim_cpu:-?} s of CPU in ${secs} s; at the end: $sim_where"
if [ "${sim_state:-}" = Z ] || [ "$sim_rc" -ne 0 ]; then
	echo "# snic-sim had stopped before the end (process state '${sim_state:-gone}', exit status $sim_rc)"
fi

if grep -q '^VMT done' "$work/console.txt" && [ "$got" -eq "$GUEST_CHECKS" ]; then
	ok "guest ran every check and powered off (qemu rc $qemu_rc, ${secs}s)"
else
	notok "guest finished (qemu rc $qemu_rc after ${secs}s, $got/$GUEST_CHECKS checks)"
fi

if [ "$STRESS" != 0 ]; then
	sed -n 's/^snic-sim: /# snic-sim: /p' "$work/sim.log"
	[ -n "$hammer" ] && sed 's/^/# snicctl on the host: /' "$work/hammer.log"
	if [ "$failed" -ne 0 ]; then
		echo "# guest console:"
		show "$work/console.txt"
		exit 1
	fi
	exit 0
fi

if [ "$BENCH" = 1 ]; then
	sent=$(tcpdump -nn -r "$work/out0.pcap" 2>/dev/null | wc -l)
	echo "# bench: uplink 0 carried $sent frames (simulator's uplink-out pcap)"
	sed -n 's/^snic-sim: /# bench: snic-sim: /p' "$work/sim.log"
	sed 's/^/# bench: namespace: /' "$work"/tcp_srv_*.log 2>/dev/null
	if [ "$failed" -ne 0 ]; then
		echo "# guest console:"
		show "$work/console.txt"
		exit 1
	fi
	exit 0
fi

# What left the NIC: exactly the pings, from snic0's MAC, on uplink 0.
pings=$(tcpdump -nn -r "$work/out0.pcap" \
	"ether src $MAC0 and icmp[icmptype] == icmp-echo and dst host 10.9.0.2" \
	2>/dev/null | wc -l)
# (PINGS before the resets, PINGS after each of the two, and after the
# devlink flash and fw_activate (with an image) and driver_reinit of
# guest_devlink.sh.)
rounds=4
[ -n "$fwimg" ] && rounds=6
if [ "$pings" -eq $((rounds * PINGS)) ]; then
	ok "uplink 0 carried the $((rounds * PINGS)) echo requests"
else
	notok "uplink 0 carried $pings echo requests, expected $((rounds * PINGS))"
fi

pings3=$(tcpdump -nn -r "$work/out3.pcap" \
	"ether src $MAC3 and icmp[icmptype] == icmp-echo and dst host 10.9.3.2" \
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

# The TCP round trip: what the guest fetched and sent back is byte for
# byte what the namespace served.
if [ "$TAP" != 1 ]; then
	ok "TCP data came back through the TAP uplink # SKIP no TAP"
elif cmp -s "$work/tcp_src" "$work/tcp_back"; then
	ok "TCP data came back through the TAP uplink ($TCP_BYTES bytes, identical)"
else
	notok "TCP data did not come back intact ($(stat -c %s "$work/tcp_back" 2>/dev/null || echo no) bytes)"
	echo "# namespace side:"
	cat "$work"/tcp_srv_*.log | sed 's/^/#   /'
fi

# The booking the guest's snic-bookd applied through devlink (out 100M,
# cap 500M on VNIC 0), as the firmware itself holds it: the share minimum
# (VNIC_SHARE_QUERY) while booked (after a refused change the agent undid:
# 100M, not its 10M), none after the deletion, and 100M again once the
# agent took the booking from etcd across the TAP uplink.
fw_min() { sed -n 's/.*"min_bps": *\([0-9]*\).*/\1/p' "$work/fw_share_$1.json" 2>/dev/null; }
if [ "$BOOKD" != 1 ] || [ "$TAP" != 1 ]; then
	ok "firmware holds the booking snic-bookd applied through devlink # SKIP no snic-bookd or no TAP (the guest's signal)"
elif [ "$(fw_min 3)" = 100000000 ] && [ "$(fw_min 4)" = 0 ] &&
	{ [ "$ETCD" != 1 ] || [ "$(fw_min 5)" = 100000000 ]; }; then
	ok "firmware holds the booking snic-bookd applied through devlink: VNIC 0 min 100000000 bit/s, 0 once deleted$([ "$ETCD" = 1 ] && echo ", 100000000 again from etcd across the TAP uplink")"
else
	notok "firmware: VNIC 0's share min '$(fw_min 3)' while booked (want 100000000), '$(fw_min 4)' after (want 0), '$(fw_min 5)' booked through etcd (want 100000000)"
	cat "$work"/fw_share_[345].json "$work/fw_share.log" 2>&1 | sed 's/^/#   /'
fi

# The peer, its neighbour cache flushed, reached the guest: ARP by
# broadcast and IPv6 neighbour discovery by the solicited-node multicast
# group, both delivered by the device to snic1 (group delivery, rx mode).
for fam in 4 6; do
	if [ "$TAP" != 1 ]; then
		ok "the peer pings snic1 over IPv$fam with an empty neighbour cache # SKIP no TAP"
		continue
	fi
	[ $fam = 4 ] && dst=$TAP_NET.1 || dst=$TAP_NET6::1
	if grep -A6 "^PING $dst " "$work/peer_ping.log" 2>/dev/null |
		grep -q '3 packets transmitted, 3 packets received' &&
		grep -q '^neighbours before: 0$' "$work/peer_ping.log"; then
		ok "the peer pings snic1 over IPv$fam with an empty neighbour cache (3/3)"
	else
		notok "the peer could not ping snic1 over IPv$fam ($dst)"
		show "$work/peer_ping.log" 30
	fi
done

if grep -q '^SAME$' "$work/rule_cmp.log" 2>/dev/null; then
	ok "ethtool -N in the guest and snicctl on the host store the same rule for the same words"
else
	notok "ethtool -N and snicctl rule add built different rules (or the compare did not run)"
	show "$work/rule_cmp.log" 20
fi

# The guest's agent read its booking from etcd and wrote its answer back,
# all through snic1 and uplink 1: a grant, or (as snic1 lists no VFs to
# rtnetlink) an unknown_vnic error record, for the booking's revision.
if [ "$ETCD" != 1 ]; then
	ok "etcd behind the TAP uplink holds the guest agent's answer # SKIP $etcd_why"
elif grep -A1 -E "^$BOOK_KEYS/grants/0\$" "$work/etcd_after.txt" |
	grep -q "\"booking_rev\":$BOOKING_REV[,}]"; then
	ok "etcd behind the TAP uplink holds the guest agent's grant for VNIC 0 (revision $BOOKING_REV)"
else
	notok "etcd behind the TAP uplink has no grant from the guest agent for revision $BOOKING_REV"
	show "$work/etcd_after.txt" 20
fi

# The shaper's rate as the device applied it, from the virtual-time stamps
# of one blast's frames on uplink 0 after the first 100 (the burst the
# bucket allows): the median over windows of 100 frames (41 ms at 20
# Mbit/s) of their L2 bits per second. A window where the starved guest
# let the ring run dry is slower, one with a burst after the simulator
# caught up with wall time (tokens kept) faster; the median ignores both.
# The mean over all of them must not exceed the rate. L2 lengths: the
# first "length" of tcpdump -e. Prints "MEDIAN MEAN WINDOWS" in bit/s.
shaped_rate() {
	tcpdump -tt -nn -e -r "$work/out0.pcap" \
		"ether src $MAC0 and udp dst port $1" 2>/dev/null |
	awk '{ for (i = 1; i < NF; i++) if ($i == "length") { l = $(i + 1); sub(":", "", l); break }
	       n++
	       if (n < 100) next
	       if (n == 100) { t0 = $1; w0 = $1; next }
	       bytes += l; wb += l; t = $1
	       if ((n - 100) % 100 == 0) { printf "w %.0f\n", wb * 8 / (t - w0); wb = 0; w0 = t } }
	     END { printf "mean %.0f\n", (t > t0 ? bytes * 8 / (t - t0) : 0) }' |
	sort -k1,1 -k2,2n |
	awk '$1 == "w" { r[++k] = $2 } $1 == "mean" { mean = $2 }
	     END { if (k < 5) { print "0 " mean + 0 " " k + 0; exit }
		   printf "%d %d %d\n", r[int((k + 1) / 2)], mean, k }'
}
# Within 2% of the rate set: a shaper that ignored it, or took another
# unit, is far off.
check_rate() {
	set -- $(shaped_rate "$1") "$2"
	want=$((VF_RATE_MBPS * 1000000))
	if [ "$1" -ge $((want * 98 / 100)) ] && [ "$1" -le $((want * 102 / 100)) ] &&
	   [ "$2" -le $((want * 102 / 100)) ]; then
		ok "VNIC 0 shaped to $VF_RATE_MBPS Mbit/s $4: median $1 bit/s over $3 windows, mean $2"
	else
		notok "VNIC 0 $4: median $1 bit/s over $3 windows, mean $2; expected $want bit/s (+-2%)"
	fi
}
check_rate 9 "(VF rate through snic1)"
check_rate 19 "after both resets (rate restored)"

if [ "$failed" -ne 0 ]; then
	echo "# guest console:"
	show "$work/console.txt"
	echo "# snic-sim:"
	show "$work/sim.log" 40
	exit 1
fi
exit 0
