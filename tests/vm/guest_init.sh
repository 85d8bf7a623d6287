#!/bin/sh
# /init of the VM test's initramfs: loads snic.ko against the simulated NIC
# and drives it with the real ip and ethtool. Each check prints
# "VMT ok - NAME" or "VMT not ok - NAME"; "VMT# ..." lines are diagnostics.
# tests/vm/test_vm.sh turns them into TAP. Expected counts come from the kernel
# command line (test_vm.sh computed them from the traces it generated).
/bin/busybox --install -s /bin
export PATH=/sbin:/bin
# busybox ash prefers its own applets; the test is about the real tools.
ip() { /sbin/ip "$@"; }
ethtool() { /sbin/ethtool "$@"; }
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
dmesg -n 1 # keep kernel messages off the console: it carries the results
# No IPv6 autoconfiguration noise on the wire: TX counts stay exact.
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6

: "${SNIC_RX0:=0}" "${SNIC_RX1:=0}" "${SNIC_RX3:=0}" "${SNIC_DROP1:=0}" "${SNIC_NOMATCH:=0}" "${SNIC_PINGS:=3}"
: "${SNIC_IRQ:=0}" "${SNIC_TAP:=0}" "${SNIC_TAP_NET:=10.10.0}" "${SNIC_TCP_BYTES:=0}" "${SNIC_TCP_SHA:=}" "${SNIC_VF_RATE:=20}"
: "${SNIC_BOOKD:=0}" "${SNIC_ETCD:=0}" "${SNIC_MACS:=}" "${SNIC_TAP_NET6:=fd00:10}"
: "${SNIC_VLAN10:=10.11.0}" "${SNIC_VLAN20:=10.12.0}" "${SNIC_VLAN_BURST:=5}" "${SNIC_VLAN_FLOOD:=4000}"
PEER=$SNIC_TAP_NET.2
# The layer-2 checks (l2_checks)
. /guest_l2.sh
# The RSS checks (rss_checks)
. /guest_rss.sh
# The kernel's own checks (kernel_checks; wraps insmod to record snic.ko)
. /guest_kcheck.sh

ok() { echo "VMT ok - $*"; }
notok() { echo "VMT not ok - $*"; }
diag() { sed 's/^/VMT#   /' "$1"; }

# check NAME CMD...: ok if CMD succeeds; its output is shown when it fails.
check() {
	name=$1
	shift
	if [ "$SNIC_TAP" != 1 ] && [ "${NEEDS_TAP:-0}" = 1 ]; then
		ok "$name # SKIP no TAP uplink on the host"
		return
	fi
	if "$@" >/tmp/out 2>&1; then
		ok "$name"
	else
		notok "$name"
		diag /tmp/out
	fi
}

stat_of() { cat "/sys/class/net/$1/statistics/$2" 2>/dev/null || echo -1; }
# ethtool -S counter by exact name (first match)
ethstat() { ethtool -S "$1" | awk -v k="$2:" '$1 == k { print $2; exit }'; }

# Waits up to $1 tenths of a second for "$2" to succeed.
wait_for() {
	n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	"$@"
}

t_bound() {
	dmesg | grep -q 'snic large: firmware' &&
	[ -d /sys/class/net/snic0 ] && [ -d /sys/class/net/snic1 ]
}

t_drvinfo() {
	ethtool -i snic0 | tee /tmp/i
	grep -q '^driver: snic$' /tmp/i &&
	grep -q '^firmware-version: 0\.1\.0' /tmp/i &&
	# large profile: 16 RX / 16 TX rings, 4 uplinks; the host rule slots
	# as snicctl read them on the host side
	grep -q "^expansion-rom-version: large 16rx/16tx 4up ${SNIC_CLS_USER}cls\$" /tmp/i &&
	grep -q '^bus-info: 0000:' /tmp/i
}

t_caps() {
	f=$(ls /sys/kernel/debug/snic/*/caps) || return 1
	cat "$f"
	grep -q '^profile large$' "$f" && grep -q '^rx_rings 16$' "$f" &&
	grep -q '^uplink 3: mac 02:5e:01:00:00:03 speed 100000 Mbit/s$' "$f"
}

# devlink dev info: driver, the profile as board.id, firmware, ABI and the
# capability summary (rule slots as snicctl read them on the host).
t_devlink() {
	dev=$(basename "$(readlink /sys/class/net/snic0/device)")
	devlink dev info "pci/$dev" | tee /tmp/d
	grep -Eq '^ +driver snic$' /tmp/d && grep -Eq '^ +board\.id large$' /tmp/d &&
	grep -Eq '^ +fw 0\.1\.0' /tmp/d && grep -Eq '^ +fw\.abi 1\.[0-9]+$' /tmp/d &&
	grep -Eq "^ +fw\.caps large 16rx/16tx 4up ${SNIC_CLS_USER}cls gen[0-9]+\$" /tmp/d
}

t_channels() {
	ethtool -l snic0 | tee /tmp/l
	# up to 4 queue pairs (RSS, guest_rss.sh), one until asked
	grep -q '^Combined:[[:space:]]*4$' /tmp/l && grep -q '^Combined:[[:space:]]*1$' /tmp/l &&
	! ethtool -L snic0 combined 5
}

RULE=
t_rule_add() {
	ethtool -N snic1 flow-type udp4 dst-port 9 action -1 | tee /tmp/n || return 1
	RULE=$(sed -n 's/^Added rule with ID \([0-9]*\)$/\1/p' /tmp/n)
	[ -n "$RULE" ]
}

t_rule_list() {
	ethtool -n snic1 | tee /tmp/n
	grep -q "^Total 1 rules" /tmp/n && grep -q "^Filter: $RULE$" /tmp/n &&
	grep -q 'Dest port: 9 mask: 0x0' /tmp/n && grep -q 'Action: Drop' /tmp/n &&
	# listed through its own netdev only
	ethtool -n snic0 | grep -q '^Total 0 rules'
}

t_rule_bad() {
	# ethtool 6.1 exits 0 when the insert ioctl fails: judge by its message.
	# Queue 3 does not exist (one queue per VNIC) ...
	ethtool -N snic1 flow-type udp4 dst-port 7 action 3 2>&1 | tee /tmp/e
	grep -q 'Cannot insert RX class rule: Invalid argument' /tmp/e || return 1
	# ... and the layer-4 data bytes are not a key field of the device.
	ethtool -N snic1 flow-type ip4 l4data 0x1234 action 0 2>&1 | tee /tmp/e
	grep -q 'Cannot insert RX class rule: Operation not supported' /tmp/e || return 1
	ethtool -n snic1 | grep -q '^Total 1 rules'
}

# The host adds the same words with snicctl and compares what the device
# stores (test_vm.sh, compare_rule); the rule stays while it does.
t_rule_same() {
	# (ethtool prints "Added rule with ID" only for RX_CLS_LOC_ANY, and
	# 6.1 exits 0 when the insert fails: judge by the listing.)
	ethtool -N snic1 flow-type tcp4 dst-ip 10.9.9.9 m 0.0.0.255 dst-port 8080 vlan 7 \
		action 0 loc 9 || return 1
	ethtool -n snic1 | grep -q '^Filter: 9$' || return 1
	echo "VMT# host: compare rule 9" >/dev/console
	sleep 5
	ethtool -N snic1 delete 9 && ethtool -n snic1 | grep -q '^Total 1 rules'
}

t_up() {
	ip link set snic0 up && ip link set snic1 up &&
	wait_for 20 sh -c '[ "$(cat /sys/class/net/snic0/carrier)" = 1 ] &&
			   [ "$(cat /sys/class/net/snic1/carrier)" = 1 ]' &&
	ethtool snic0 | grep -q 'Speed: 100000Mb/s'
}

rx_done() {
	[ "$(stat_of snic0 rx_packets)" -ge "$SNIC_RX0" ] &&
	[ "$(stat_of snic1 rx_packets)" -ge "$SNIC_RX1" ]
}

t_rx0() {
	ip -s link show snic0
	[ "$(stat_of snic0 rx_packets)" = "$SNIC_RX0" ] &&
	[ "$(ethstat snic0 rx_packets)" = "$SNIC_RX0" ]
}

t_rx1() {
	ethtool -S snic1
	[ "$(stat_of snic1 rx_packets)" = "$SNIC_RX1" ] &&
	[ "$(ethstat snic1 drop_rule_drop)" = "$SNIC_DROP1" ] &&
	[ "$(ethstat snic1 drop_no_match)" = "$SNIC_NOMATCH" ] &&
	[ "$(ethstat snic1 drop_ring_full)" = 0 ]
}

t_tx() {
	ip addr add 10.9.0.1/24 dev snic0 &&
	ip neigh replace 10.9.0.2 lladdr 02:aa:00:00:00:01 dev snic0 nud permanent || return 1
	ping -c "$SNIC_PINGS" -i 0.2 -W 1 10.9.0.2
	wait_for 20 sh -c "[ \"\$(ethtool -S snic0 | awk '/txq[0-9]+_hw_packets:/ {print \$2}')\" -ge $SNIC_PINGS ]" &&
	ethtool -S snic0 | grep -E 'tx_packets|txq|tx_spoof' | tee /tmp/s &&
	[ "$(ethstat snic0 tx_packets)" = "$SNIC_PINGS" ] &&
	[ "$(ethstat snic0 drop_tx_spoof)" = 0 ] || return 1
	# Between pings the simulator naps: with ivshmem-doorbell it asks for
	# the TX doorbell and the driver rings it; ivshmem-plain cannot ring.
	kicks=$(awk '/txq[0-9]+_sw_kicks:/ {print $2}' /tmp/s)
	if [ "$SNIC_IRQ" = 1 ]; then
		[ "$kicks" -ge 1 ]
	else
		[ "$kicks" = 0 ]
	fi
}

# Real traffic both ways with the simulator's external host (on its
# switch, 10.9.0.2), which echoes UDP port 7: every round trip answered.
t_echo() {
	snic_vm_blast rtt 10.9.0.2 20 | tee /tmp/b
	grep -q '^rtt: 20/20 answered' /tmp/b && [ "$(ethstat snic0 rx_packets)" -ge $((SNIC_RX0 + 20)) ]
}

# With ivshmem-doorbell the device's RX interrupts arrive as MSI-X: snic0's
# ring raised some (its own counter) and the driver took them (at most as
# many: QEMU may merge signals that come together). With ivshmem-plain the
# rings are polled and no interrupt is taken.
t_irq() {
	ethtool -S snic0 | grep -E 'rxq[0-9]+_(hw|sw)_irqs' | tee /tmp/q
	hw=$(awk '/_hw_irqs:/ {print $2}' /tmp/q)
	sw=$(awk '/_sw_irqs:/ {print $2}' /tmp/q)
	if [ "$SNIC_IRQ" = 1 ]; then
		dmesg | grep -q 'MSI-X: 16 vectors, one per RX ring' &&
		[ "$hw" -ge 1 ] && [ "$sw" -ge 1 ] && [ "$sw" -le "$hw" ]
	else
		dmesg | grep -q 'no MSI-X: RX rings are polled' && [ "$sw" = 0 ]
	fi
}

# Uplink 1 is cabled to a TAP in a network namespace on the host, where
# Linux holds $PEER: ARP is resolved and every echo answered.
t_tap_ping() {
	ip addr add "$SNIC_TAP_NET.1/24" dev snic1 || return 1
	ping -c 5 -i 0.2 -W 5 "$PEER" | tee /tmp/p
	grep -q '5 packets transmitted, 5 packets received' /tmp/p &&
	ip neigh show "$PEER" dev snic1 | grep -q lladdr
}

# A real TCP stack on both ends: fetch the namespace's file, check it
# against the sha256 the host computed, and send it back (the host then
# compares the bytes).
t_tap_tcp() {
	# (the tool's status, not a pipe's: output to a file, shown by check)
	snic_vm_tcp recv "$PEER" 5002 /tmp/tcp_in >/tmp/t1 2>&1
	rc=$?
	cat /tmp/t1
	[ "$rc" = 0 ] || return 1
	sha=$(sha256sum /tmp/tcp_in | cut -d' ' -f1)
	echo "sha256 $sha, expected $SNIC_TCP_SHA"
	[ "$sha" = "$SNIC_TCP_SHA" ] && [ "$(wc -c </tmp/tcp_in)" = "$SNIC_TCP_BYTES" ] || return 1
	snic_vm_tcp send "$PEER" 5001 /tmp/tcp_in >/tmp/t2 2>&1
	rc=$?
	cat /tmp/t2
	[ "$rc" = 0 ] || return 1
	echo "VMT# $(cat /tmp/t1); $(cat /tmp/t2)" >/dev/console
	rm -f /tmp/tcp_in
}

# VF rates: every snic netdev is the card's PF, VF N its N-th VNIC. A
# cap above the uplink's speed (100 Gbit/s), a minimum above the maximum
# and a VF that is not there are refused.
t_vf_bad() {
	! ip link set snic1 vf 0 min_tx_rate 0 max_tx_rate 200000 &&
	! ip link set snic1 vf 0 min_tx_rate 30 max_tx_rate "$SNIC_VF_RATE" &&
	! ip link set snic1 vf 2 min_tx_rate 0 max_tx_rate "$SNIC_VF_RATE" &&
	! echo 200000 >/sys/class/net/snic0/queues/tx-0/tx_maxrate &&
	[ "$(cat /sys/class/net/snic0/queues/tx-0/tx_maxrate)" = 0 ]
}

txq_hw() { ethtool -S snic0 | awk '/txq[0-9]+_hw_packets:/ {print $2}'; }
txq_sw() { ethtool -S snic0 | awk '/txq[0-9]+_sw_packets:/ {print $2}'; }
# The device took everything the driver queued, and nothing more came.
tx_drained() {
	a=$(txq_hw)
	[ "$a" = "$(txq_sw)" ] || return 1
	sleep 0.3
	[ "$a" = "$(txq_hw)" ] && [ "$a" = "$(txq_sw)" ]
}

# 1000-byte UDP datagrams from snic0 to port $1 for 2 s, far above the
# shaped rate; the host measures the rate in uplink 0's pcap. The queue
# drains at the shaped rate before the next check.
shaped_blast() {
	snic_vm_blast 10.9.0.2 "$1" 1000 2 || return 1
	wait_for 150 tx_drained
}

t_vf_rate() {
	ip link set snic1 vf 0 min_tx_rate 0 max_tx_rate "$SNIC_VF_RATE" || return 1
	[ "$(cat /sys/class/net/snic0/queues/tx-0/tx_maxrate)" = "$SNIC_VF_RATE" ] || return 1
	shaped_blast 9
}

# The VNIC still sends: SNIC_PINGS more frames leave through its TX ring.
pings_go_out() {
	a=$(ethtool -S snic0 | awk '/txq[0-9]+_hw_packets:/ {print $2}')
	ping -c "$SNIC_PINGS" -i 0.2 -W 1 10.9.0.2
	wait_for 20 sh -c "[ \"\$(ethtool -S snic0 | awk '/txq[0-9]+_hw_packets:/ {print \$2}')\" = $((a + SNIC_PINGS)) ]"
}

# A firmware reset drops VNICs, rules and links; the driver restores them
# from its own copy: the rule is in the device again (RULE_QUERY answers),
# both links come back, and the VNIC still sends.
t_reset() {
	ethtool --reset snic0 mgmt-shared || return 1
	dmesg | grep -q 'restored after reset requested' || return 1
	wait_for 30 sh -c '[ "$(cat /sys/class/net/snic0/carrier)" = 1 ] &&
			   [ "$(cat /sys/class/net/snic1/carrier)" = 1 ]' || return 1
	ethtool -n snic1 | grep -q "^Filter: $RULE$" || return 1
	cat /sys/kernel/debug/snic/*/rules | tee /tmp/r
	grep -q "^rule $RULE: vnic 1 action drop hits 0$" /tmp/r || return 1
	pings_go_out
}

# The same, when another agent resets the card: test_vm.sh runs
# `snicctl reset` on the host side of the window once it sees the marker;
# the driver's watchdog notices reset_count move and restores.
t_host_reset() {
	echo "VMT# ready for host reset" >/dev/console
	wait_for 150 sh -c "dmesg | grep -q 'restored after device reset detected'" || return 1
	wait_for 30 sh -c '[ "$(cat /sys/class/net/snic0/carrier)" = 1 ] &&
			   [ "$(cat /sys/class/net/snic1/carrier)" = 1 ]' || return 1
	cat /sys/kernel/debug/snic/*/rules | tee /tmp/r
	grep -q "^rule $RULE: vnic 1 action drop hits 0$" /tmp/r || return 1
	pings_go_out
}

t_rule_del() {
	ethtool -N snic1 delete "$RULE" && ethtool -n snic1 | grep -q '^Total 0 rules' &&
	! ethtool -N snic1 delete "$RULE"
}

# The rate goes to the VNIC's shaper (METER_SET, mode SHAPER = 3); a device
# whose METERS capability lacks that mode must refuse it, visibly.
t_rate() {
	f=$(ls /sys/kernel/debug/snic/*/caps)
	q=/sys/class/net/snic0/queues/tx-0/tx_maxrate
	modes=$(sed -n 's/^meters: count [0-9]* modes \(0x[0-9a-f]*\) .*/\1/p' "$f")
	echo "meter modes: $modes"
	[ -n "$modes" ] || return 1
	if [ $((modes & 8)) = 0 ]; then
		! echo 100 >"$q" && dmesg | tail -3 | grep -q 'refused METER_SET'
	else
		echo 100 >"$q" && [ "$(cat $q)" = 100 ] && echo 0 >"$q"
	fi
}

# snic-bookd, the booking agent, mirrors VF 0's booking (out 100M, cap
# 500M) into snic1 with its vfrate back end (rtnetlink IFLA_VF_RATE, read
# back from IFLA_VFINFO_LIST). Its outcome must follow what rtnetlink says
# about snic1's VFs: with VF 0 listed the booking is applied; an ivshmem
# function has no SR-IOV, so the kernel lists none (IFLA_NUM_VF 0) and
# the agent must say that VF 0 is unknown and keep it pending (status 1)
# rather than set a rate it cannot read back.
BOOKING='{"v":1,"out_bandwidth":"100M","cap":"500M"}'
vf_listed() { ip link show snic1 | grep -q "^ *vf $1 "; }

# bookd_outcome STATUS SNAPSHOT: the agent's status and state for VF 0.
bookd_outcome() {
	echo "snic-bookd status $1"
	if vf_listed 0; then
		[ "$1" = 0 ] && grep -q '"state":"applied"' "$2"
	else
		[ "$1" = 1 ] && grep -q '"state":"unknown_vnic"' "$2" &&
		grep -q '"reason":"snic1 has no VF 0 (rtnetlink lists 0)"' "$2"
	fi
}

# The embedded store (a journal in a directory), written by snicctl.
t_bookd_dir() {
	snicctl booking set 0 --node vm --store-dir /tmp/bookd --raw "$BOOKING" || return 1
	snic-bookd --nic vfrate:snic1 --store-dir /tmp/bookd --node vm --once \
		--state /tmp/bookd.json -v
	rc=$?
	cat /tmp/bookd.json
	bookd_outcome "$rc" /tmp/bookd.json
}

# snic-bookd with its devlink back end (docs/bookings.md): the same
# booking onto VNIC 0's rate leaf (the port with vfnum 0): tx_share 100
# Mbit/s, tx_max 500 Mbit/s. The firmware's own answer is read by the host
# (VNIC_SHARE_QUERY through the window: sysfs cannot map a BAR the driver
# holds) while the booking is in force and after it is deleted; test_vm.sh
# checks those answers. The shaper, which the device cannot report, is
# checked in the driver's copy (tx_maxrate) and devlink's.
# (DLDEV: set by bookd_checks, once the driver runs)

# host_reads N: the host reads VNIC 0's share from the firmware and says it
# is done by adding $SNIC_TAP_NET.N on its end of the TAP uplink (without
# a TAP uplink nothing tells the guest when: no wait, the host skips).
host_reads() {
	echo "VMT# host: firmware share $1" >/dev/console
	[ "$SNIC_TAP" = 1 ] || return 0
	wait_for 30 ping -c 1 -W 1 "$SNIC_TAP_NET.$1" >/dev/null
}

# bookd_devlink SPEC STATE: one pass of the agent; what the leaf holds.
bookd_devlink() {
	snic-bookd --nic "devlink:$1" --store-dir /tmp/bookd --node vm --once --state "$2" -v
	rc=$?
	cat "$2"
	devlink port function rate show "$DLDEV/0" | tee /tmp/rt
	echo "tx_maxrate $(cat /sys/class/net/snic0/queues/tx-0/tx_maxrate)"
	return $rc
}

leaf_clear() { ! devlink port function rate show "$DLDEV/0" | grep -Eq 'tx_(share|max) [1-9]'; }
leaf_booked() {
	grep -q 'type leaf tx_share 100Mbit tx_max 500Mbit' /tmp/rt &&
	[ "$(cat /sys/class/net/snic0/queues/tx-0/tx_maxrate)" = 500 ]
}

# A booking the driver refuses half-way: the share first (10M, as the
# ceiling drops below the share held), then the ceiling (50.5M: snic
# shapes whole Mbit/s only) refused: the agent puts the share back and
# says why in the kernel's words.
dl_refused() {
	snicctl booking set 0 --node vm --store-dir /tmp/bookd \
		--raw '{"v":1,"out_bandwidth":"10M","cap":"50.5M"}' || return 1
	bookd_devlink "$DLDEV" /tmp/bookd-dl3.json
	grep -q '"vnic":0,"state":"refused_by_nic"' /tmp/bookd-dl3.json &&
	grep -q 'tx_max 6312500 B/s: the kernel says Invalid argument: snic: tx_max must be a whole number of Mbit/s' \
		/tmp/bookd-dl3.json &&
	grep -q '(tx_share put back to 12500000 B/s)' /tmp/bookd-dl3.json && leaf_booked
}

# The first agent resumed and watching, the booking deleted: the leaf
# goes back to none.
dl_deleted() {
	snic-bookd --nic "devlink:$DLDEV" --store-dir /tmp/bookd --node vm \
		--state /tmp/bookd-dl.json -v >/tmp/bookd-dl.log 2>&1 &
	pid=$!
	snicctl booking del 0 --node vm --store-dir /tmp/bookd && wait_for 50 leaf_clear
	rc=$?
	kill "$pid"
	wait "$pid"
	cat /tmp/bookd-dl.log
	devlink port function rate show "$DLDEV/0"
	[ $rc = 0 ] && [ "$(cat /sys/class/net/snic0/queues/tx-0/tx_maxrate)" = 0 ]
}

# Applied once; a second agent (by netdev name, its own state) reads the
# leaf back and applies nothing; a refused change leaves it whole (the
# host reads the firmware's share then); deleted, it goes.
t_bookd_devlink() {
	bookd_devlink "$DLDEV" /tmp/bookd-dl.json &&
	grep -q '"vnic":0,"state":"applied"' /tmp/bookd-dl.json &&
	grep -q '"stats":{"events":[0-9]*,"applies":1,' /tmp/bookd-dl.json && leaf_booked &&
	bookd_devlink snic1 /tmp/bookd-dl2.json &&
	grep -q '"vnic":0,"state":"applied"' /tmp/bookd-dl2.json &&
	grep -q '"stats":{"events":[0-9]*,"applies":0,' /tmp/bookd-dl2.json &&
	dl_refused && host_reads 3 && dl_deleted && host_reads 4
}

# The same with the store across the wire: etcd runs in the host's
# namespace behind uplink 1 ($PEER), so every request of the agent goes
# through snic1's rings. test_vm.sh wrote the booking there (out 100M, cap
# 500M); the agent applies it through devlink, the leaf holds it, the host
# reads the firmware's share (marker 5) and, after the run, the agent's
# grant record back from etcd.
t_bookd_etcd() {
	snic-bookd --nic "devlink:$DLDEV" --etcd "http://$PEER:2379" --node vm --once \
		--state /tmp/bookd-etcd.json -v
	rc=$?
	cat /tmp/bookd-etcd.json
	devlink port function rate show "$DLDEV/0" | tee /tmp/rt
	[ "$rc" = 0 ] && grep -q '"vnic":0,"state":"applied"' /tmp/bookd-etcd.json &&
	leaf_booked && host_reads 5
}

bookd_checks() {
	DLDEV=pci/$(basename "$(readlink /sys/class/net/snic0/device)")
	if [ "$SNIC_BOOKD" != 1 ]; then
		for c in "vfrate:snic1, embedded store" "devlink:$DLDEV, VNIC 0 holds the booking" \
			 "devlink:$DLDEV with etcd across the TAP uplink"; do
			ok "snic-bookd $c # SKIP no snic-bookd in the initramfs"
		done
		return
	fi
	t0=$(cut -d' ' -f1 /proc/uptime)
	check "snic-bookd vfrate:snic1, embedded store: VF 0's booking resynced as rtnetlink lists VFs" \
		t_bookd_dir
	echo "VMT# snic-bookd: VF 0 $(sed -n 's/.*"state":"\([a-z_]*\)".*"reason":"\([^"]*\)".*/\1: \2/p' \
		/tmp/bookd.json)" >/dev/console
	check "snic-bookd devlink:$DLDEV: VNIC 0's leaf holds min 100, max 500 Mbit/s; a re-run applies nothing; a refused change is undone; deleted, removed" \
		t_bookd_devlink
	echo "VMT# snic-bookd devlink, the refused change: $(sed -n 's/.*"reason":"\([^"]*\)".*/\1/p' \
		/tmp/bookd-dl3.json)" >/dev/console
	NEEDS_TAP=1
	if [ "$SNIC_TAP" = 1 ] && [ "$SNIC_ETCD" != 1 ]; then
		ok "snic-bookd devlink:$DLDEV with etcd across the TAP uplink # SKIP no etcd in the host's namespace"
	else
		check "snic-bookd devlink:$DLDEV with etcd across the TAP uplink: booking applied, VNIC 0's leaf holds min 100, max 500 Mbit/s" \
			t_bookd_etcd
	fi
	NEEDS_TAP=0
	echo "VMT# snic-bookd checks: $(awk -v t0="$t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime) s" \
		>/dev/console
}

t_unload() {
	rmmod snic && [ ! -e /sys/class/net/snic0 ] && [ ! -e /sys/class/net/snic1 ]
}

# Reload with four VNICs, the last on the shared rings (software-ring
# fallback): HRR 0 carries its frames from uplink 3, TRR 0 its pings.
t_reload() {
	insmod /lib/modules/snic.ko vnics=4 sw_vnics=1 && [ -d /sys/class/net/snic3 ] &&
	dmesg | grep -q 'snic3: VNIC 3 on uplink 3, RX ring 0 (shared), TX ring 0 (shared)' &&
	ip addr add 10.9.3.1/24 dev snic3 &&
	ip neigh replace 10.9.3.2 lladdr 02:aa:00:00:00:01 dev snic3 nud permanent &&
	ip link set snic3 up || return 1
	wait_for 20 sh -c '[ "$(cat /sys/class/net/snic3/carrier)" = 1 ]' || return 1
	wait_for 100 sh -c "[ \$(cat /sys/class/net/snic3/statistics/rx_packets) -ge $SNIC_RX3 ]"
	ping -c "$SNIC_PINGS" -i 0.2 -W 1 10.9.3.2
	ethtool -S snic3 | grep -E 'rx_packets|rxq0|tx_packets|txq0' | tee /tmp/s
	[ "$(stat_of snic3 rx_packets)" = "$SNIC_RX3" ] &&
	[ "$(ethstat snic3 rxq0_hw_packets)" -ge "$SNIC_RX3" ] &&
	[ "$(ethstat snic3 tx_packets)" = "$SNIC_PINGS" ] &&
	rmmod snic
}

# Unload while uplink 2 floods snic2 (the partner pauses while the port is
# down and resumes after the reload): frames must still be arriving when
# rmmod runs, and the reloaded driver must receive the rest.
t_unload_traffic() {
	insmod /lib/modules/snic.ko vnics=3 && ip link set snic2 up || return 1
	wait_for 100 sh -c '[ "$(cat /sys/class/net/snic2/statistics/rx_packets)" -ge 200 ]' ||
		return 1
	a=$(stat_of snic2 rx_packets)
	sleep 0.2
	b=$(stat_of snic2 rx_packets)
	echo "snic2 rx: $a then $b"
	[ "$b" -gt "$a" ] || return 1
	rmmod snic || return 1
	insmod /lib/modules/snic.ko vnics=3 && ip link set snic2 up || return 1
	wait_for 100 sh -c '[ "$(cat /sys/class/net/snic2/statistics/rx_packets)" -ge 200 ]' ||
		return 1
	ethtool -S snic2 | grep -E 'rx_packets|rxq|drop_ring_full|drop_port_down'
	rmmod snic
}

# make kmod-bench: RX rate from the uplink 2 flood, TX rate of a UDP blast.
bench_rx() {
	insmod /lib/modules/snic.ko vnics=3 && ip link set snic2 up || return 1
	sleep 1
	a=$(stat_of snic2 rx_packets)
	f0=$(ethstat snic2 drop_ring_full)
	sleep 5
	b=$(stat_of snic2 rx_packets)
	f1=$(ethstat snic2 drop_ring_full)
	echo "VMT# bench rx: $(((b - a) / 5)) frames/s of 106 bytes" \
	     "($(((b - a) * 106 * 8 / 5000)) kbit/s), ring_full drops $((f1 - f0)) in 5 s" >/dev/console
	# The flood pauses while the port is down: it must not slow what follows.
	ip link set snic2 down
	[ "$b" -gt "$a" ]
}

bench_tx() {
	ip addr add 10.9.0.1/24 dev snic0 &&
	ip neigh replace 10.9.0.2 lladdr 02:aa:00:00:00:01 dev snic0 nud permanent &&
	ip link set snic0 up || return 1
	for size in 64 1400; do
		a=$(stat_of snic0 tx_packets)
		snic_vm_blast 10.9.0.2 9 $size 5 | tee /tmp/b
		b=$(stat_of snic0 tx_packets)
		echo "VMT# bench tx $size-byte UDP: $(((b - a) / 5)) frames/s" \
		     "($(((b - a) * (size + 42) * 8 / 5000)) kbit/s on the ring)" >/dev/console
		[ "$b" -gt "$a" ] || return 1
	done
}

# Round trips through the simulator's external host (UDP echo, port 7).
bench_rtt() {
	snic_vm_blast rtt 10.9.0.2 200 | tee /tmp/b || return 1
	echo "VMT# bench $(cat /tmp/b)" >/dev/console
}

# TCP both ways and ping with Linux in the host's namespace (TAP uplink 1).
bench_tcp() {
	ip addr add "$SNIC_TAP_NET.1/24" dev snic1 && ip link set snic1 up || return 1
	wait_for 20 sh -c '[ "$(cat /sys/class/net/snic1/carrier)" = 1 ]' || return 1
	ping -c 2 -W 5 "$PEER" >/dev/null
	snic_vm_tcp recv "$PEER" 5002 - >/tmp/t1 2>&1
	r1=$?
	snic_vm_tcp send "$PEER" 5001 ":$SNIC_TCP_BYTES" >/tmp/t2 2>&1
	r2=$?
	echo "VMT# bench namespace -> guest: $(cat /tmp/t1)" >/dev/console
	echo "VMT# bench guest -> namespace: $(cat /tmp/t2)" >/dev/console
	[ "$r1" = 0 ] && [ "$r2" = 0 ]
}

bench_ping() {
	ping -c 100 -i 0.05 "$PEER" | tee /tmp/p
	echo "VMT# bench ping: $(tail -2 /tmp/p | tr '\n' ' ')" >/dev/console
	grep -q '100 packets received' /tmp/p
}

# make vmtest MODE=stress: only the unload under traffic, many rounds.
if [ "${SNIC_STRESS:-0}" -gt 0 ]; then
	check "insmod snic.ko vnics=2" insmod /lib/modules/snic.ko vnics=2
	check "rmmod" rmmod snic
	for i in $(seq "$SNIC_STRESS"); do
		check "round $i: rmmod under RX traffic, reload receives the rest" t_unload_traffic
	done
	check "kernel log has no errors or warnings" t_dmesg_clean
	dmesg | grep -i 'snic.*admin' | sed 's/^/VMT#   dmesg: /'
	echo "VMT done"
	poweroff -f
fi

if [ "${SNIC_BENCH:-0}" = 1 ]; then
	check "bench: RX" bench_rx
	check "bench: TX" bench_tx
	check "bench: round trips to the external host" bench_rtt
	NEEDS_TAP=1
	check "bench: TCP with the host's namespace" bench_tcp
	check "bench: ping the host's namespace" bench_ping
	echo "VMT done"
	poweroff -f
fi

check "insmod snic.ko vnics=2" insmod /lib/modules/snic.ko vnics=2
check "device bound, snic0 and snic1 registered" t_bound
check "ethtool -i shows driver, firmware and capabilities" t_drvinfo
check "debugfs caps holds the capability records" t_caps
check "devlink dev info: driver, board, firmware, capabilities" t_devlink
check "ethtool -l: one combined channel, -L 2 refused" t_channels
check "ethtool -N adds a drop rule at RX_CLS_LOC_ANY" t_rule_add
check "ethtool -n lists the rule" t_rule_list
check "unsupported rules are refused" t_rule_bad
check "ethtool -N flow-type tcp4 ... loc 9 (the host compares it with snicctl's)" t_rule_same
check "links up, carrier on, speed from caps" t_up
wait_for 100 rx_done
check "snic0 received all $SNIC_RX0 frames for it" t_rx0
check "snic1: $SNIC_RX1 frames, rule dropped $SNIC_DROP1, $SNIC_NOMATCH unmatched" t_rx1
check "RX interrupts: MSI-X taken with ivshmem-doorbell (SNIC_IRQ=$SNIC_IRQ)" t_irq
check "ping sends $SNIC_PINGS frames through the TX ring, doorbell rung when asked" t_tx
check "UDP round trips with the simulator's external host" t_echo
NEEDS_TAP=1
check "ping through the TAP uplink: ARP and 5 replies from Linux on the host" t_tap_ping
check "TCP from the host's namespace and back: $SNIC_TCP_BYTES bytes, sha256 intact" t_tap_tcp
NEEDS_TAP=0
rss_checks
check "ip link set vf: rate above the uplink, min above max and unknown VF refused" t_vf_bad
check "ip link set snic1 vf 0 max_tx_rate $SNIC_VF_RATE shapes snic0" t_vf_rate
check "ethtool --reset mgmt-shared: VNICs, rule and links restored" t_reset
check "reset by snicctl on the host: watchdog restores" t_host_reset
check "snic0 sends through its restored shaper" shaped_blast 19
. /guest_devlink.sh
check "ethtool -N delete removes the rule" t_rule_del
check "tx_maxrate maps to the device meter" t_rate
bookd_checks
check "rmmod removes both netdevs" t_unload
check "reload; a software-ring VNIC receives and sends on the shared rings" t_reload
check "rmmod under RX traffic, reload receives the rest" t_unload_traffic
l2_checks
kernel_checks

dmesg | grep -i snic | sed 's/^/VMT#   dmesg: /'
echo "VMT done"
poweroff -f
