# Sourced by guest_init.sh (the VM test's /init): receive-side scaling
# (docs/rss.md). snic1 is on uplink 1, cabled to the TAP in the host's
# namespace, where an iperf3 server runs on $PEER (test_vm.sh). With four
# queues, TCP streams from the peer must spread over the RX queues by the
# device's Toeplitz hash; the card-wide hash settings stay the operator's
# (snic1 is trusted only to set the key below). 16 streams with a fixed
# key: Toeplitz is linear, so with a random key the two hash bits that
# pick a queue may follow too few of the bits in which the client's ports
# differ; the key aa:aa:... makes them follow any two adjacent port bits,
# and 16 consecutive or same-parity ports then cover all four queues.

rss_q() { ethstat snic1 "rx_queue_$1_packets"; }

t_rss_channels() {
	ethtool -L snic1 combined 4 || return 1
	ethtool -l snic1 | tee /tmp/l
	# pre-set maximum and current
	[ "$(grep -c '^Combined:[[:space:]]*4$' /tmp/l)" = 2 ] || return 1
	ethtool -x snic1 | tee /tmp/x
	grep -q 'with 4 RX ring' /tmp/x && grep -q 'toeplitz: on' /tmp/x &&
	[ -d /sys/class/net/snic1/queues/rx-3 ] && [ -d /sys/class/net/snic1/queues/tx-3 ] &&
	! ethtool -L snic1 combined 5 || return 1
	# the card-wide key, through a VNIC the operator trusts
	key=aa
	for _ in $(seq 39); do key="$key:aa"; done
	ip link set snic0 vf 1 trust on && ethtool -X snic1 hkey "$key" &&
	ip link set snic0 vf 1 trust off && ethtool -x snic1 | grep -q "^$key\$" &&
	wait_for 30 sh -c '[ "$(cat /sys/class/net/snic1/carrier)" = 1 ]'
}

# iperf3 from the peer to snic1 (LABEL for the console line): the
# streams must land on 3 or more of the 4 RX queues.
rss_spread() {
	command -v iperf3 || { echo "no iperf3 in the initramfs"; return 1; }
	for q in 0 1 2 3; do eval "b$q=\$(rss_q $q)"; done
	# -R: the peer sends, so the streams arrive on snic1.
	iperf3 -c "$PEER" -P 16 -t 2 -R >/tmp/ip 2>&1
	rc=$?
	cat /tmp/ip
	[ "$rc" = 0 ] && grep -q 'SUM.*receiver' /tmp/ip || return 1
	grew=0 seen=
	for q in 0 1 2 3; do
		eval "b=\$b$q"
		a=$(rss_q $q)
		seen="$seen q$q:$((a - b))"
		[ "$a" -gt "$b" ] && grew=$((grew + 1))
	done
	echo "VMT# rss ($1): iperf3 -P 16 -R, RX packets per queue:$seen ($grew of 4 grew)" >/dev/console
	[ "$grew" -ge 3 ]
}

t_rss_iperf() { rss_spread "4 queues"; }

# A device reset: the driver puts the queue set back (the rings may differ).
t_rss_reset() {
	ethtool --reset snic1 mgmt-shared || return 1
	wait_for 30 sh -c '[ "$(cat /sys/class/net/snic1/carrier)" = 1 ]' || return 1
	ethtool -l snic1 | tee /tmp/l
	[ "$(grep -c '^Combined:[[:space:]]*4$' /tmp/l)" = 2 ] &&
	rss_spread "after reset"
}

# ethtool may exit 0 when the ioctl fails: judge by its message.
refused() {
	"$@" >/tmp/e 2>&1
	cat /tmp/e
	grep -q 'Operation not permitted' /tmp/e
}

t_rss_knobs() {
	ethtool -n snic1 rx-flow-hash tcp4 | tee /tmp/h
	grep -q 'L4 bytes 0 & 1' /tmp/h && grep -q 'IP DA' /tmp/h || return 1
	key=01
	for _ in $(seq 39); do key="$key:01"; done
	# card-wide settings: refused to an untrusted VNIC, nothing changed
	refused ethtool -N snic1 rx-flow-hash tcp4 sd &&
	refused ethtool -X snic1 hkey "$key" &&
	ethtool -n snic1 rx-flow-hash tcp4 | grep -q 'L4 bytes 0 & 1' &&
	! ethtool -x snic1 | grep -q "^$key\$" || return 1
	# the table is the VNIC's own: two queues, then back to one queue
	ethtool -X snic1 equal 2 && ethtool -x snic1 | tee /tmp/x &&
	! grep -Eq '^ +[0-9]+: .*[23]( |$)' /tmp/x &&
	ethtool -X snic1 default && ethtool -L snic1 combined 1 &&
	[ "$(ethtool -l snic1 | grep -c '^Combined:[[:space:]]*1$')" = 1 ] &&
	wait_for 30 sh -c '[ "$(cat /sys/class/net/snic1/carrier)" = 1 ]' &&
	ping -c 2 -W 5 "$PEER"
}

rss_checks() {
	NEEDS_TAP=1
	check "ethtool -L snic1 combined 4: four queue pairs, table over 4, key set when trusted" \
		t_rss_channels
	check "iperf3 -P 16 -R through snic1: at least 3 of its 4 RX queues get frames" t_rss_iperf
	check "ethtool --reset: the queue set is restored and still spreads" t_rss_reset
	check "rx-flow-hash shown, card-wide changes refused untrusted, -X equal 2, back to 1 queue" \
		t_rss_knobs
	NEEDS_TAP=0
}
