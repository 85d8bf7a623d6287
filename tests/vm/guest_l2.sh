# Sourced by guest_init.sh (the VM test's /init): a VNIC as a NIC port
# (include/snic/l2.h, docs/kmod.md "Layer 2"). snic.ko is loaded with six
# VNICs: snic1 and snic5 share uplink 1, cabled to the TAP in the host's
# namespace, where Linux holds $PEER (untagged) and snic_vm_vlanpeer
# answers for $SNIC_VLAN10.2 on VLAN 10 and $SNIC_VLAN20.2 on VLAN 20.
# "VMT# host: ..." lines ask test_vm.sh to act (peer ping, VLAN burst,
# VLAN flood); the host checks the peer's side itself.

# Debian's 8021q and bonding modules with their dependencies, in order.
load_extra() {
	[ -d /sys/module/bonding ] && return 0
	for m in $(cat /lib/modules/extra.list); do
		# (bonding would create a bond0 of its own)
		[ "$m" = bonding.ko ] && opt=max_bonds=0 || opt=
		insmod "/lib/modules/$m" $opt || return 1
	done
}

# Counter NAME of the Icmp line of /proc/net/snmp (header, then values).
icmp_stat() {
	awk -v k="$1" '$1 == "Icmp:" && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
		       $1 == "Icmp:" { print $c[k]; exit }' /proc/net/snmp
}
icmp6_stat() { awk -v k="$1" '$1 == k { print $2 }' /proc/net/snmp6; }

link_up() {
	ip link set "$1" up &&
	wait_for 30 sh -c "[ \"\$(cat /sys/class/net/$1/carrier)\" = 1 ]"
}

# Every VNIC's MAC is the card's base MAC + 0x800000 + index, locally
# administered (test_vm.sh computed them from snicctl caps on the host),
# and the same after a reload.
t_l2_load() {
	insmod /lib/modules/snic.ko vnics=6 || return 1
	i=0
	for mac in $(echo "$SNIC_MACS" | tr , ' '); do
		got=$(cat /sys/class/net/snic$i/address)
		echo "snic$i: $got, expected $mac"
		[ "$got" = "$mac" ] || return 1
		i=$((i + 1))
	done
	[ "$i" = 6 ]
}

# The peer, its neighbour cache empty, pings snic1 over IPv4 and IPv6:
# its ARP request is a broadcast, its neighbour solicitation goes to
# snic1's solicited-node group (joined through ndo_set_rx_mode). IPv6 is
# on for snic1 only, and only for this check (exact TX counts elsewhere).
t_peer_ping() {
	echo 0 >/proc/sys/net/ipv6/conf/snic1/router_solicitations
	echo 0 >/proc/sys/net/ipv6/conf/snic1/disable_ipv6
	ip addr add "$SNIC_TAP_NET.1/24" dev snic1 &&
	ip -6 addr add "$SNIC_TAP_NET6::1/64" dev snic1 nodad && link_up snic1 || return 1
	a4=$(icmp_stat OutEchoReps) a6=$(icmp6_stat Icmp6OutEchoReplies)
	echo "VMT# host: peer ping" >/dev/console
	wait_for 300 sh -c "[ \$(awk '\$1 == \"Icmp6OutEchoReplies\" { print \$2 }' /proc/net/snmp6) -ge $((a6 + 3)) ]"
	ip maddr show dev snic1 | tee /tmp/m
	b4=$(icmp_stat OutEchoReps) b6=$(icmp6_stat Icmp6OutEchoReplies)
	echo "echo replies sent: IPv4 $a4 -> $b4, IPv6 $a6 -> $b6"
	echo 1 >/proc/sys/net/ipv6/conf/snic1/disable_ipv6
	[ "$b4" -ge $((a4 + 3)) ] && [ "$b6" -ge $((a6 + 3)) ] && grep -q '33:33:ff:00:00:01' /tmp/m
}

# snic1 in VLAN 10, snic5 in VLAN 20, both on uplink 1: the peer's
# broadcast burst on each VLAN reaches only that VLAN's VNIC (the device's
# per-VNIC broadcast counters and the VLAN interfaces count exactly).
t_vlan_bcast() {
	load_extra &&
	ip link add link snic1 name snic1.10 type vlan id 10 &&
	ip addr add "$SNIC_VLAN10.1/24" dev snic1.10 && ip link set snic1.10 up &&
	ip link add link snic5 name snic5.20 type vlan id 20 &&
	ip addr add "$SNIC_VLAN20.1/24" dev snic5.20 && link_up snic5 &&
	ip link set snic5.20 up || return 1
	b1=$(ethstat snic1 vnic_rx_broadcast) b5=$(ethstat snic5 vnic_rx_broadcast)
	v1=$(stat_of snic1.10 rx_packets) v5=$(stat_of snic5.20 rx_packets)
	echo "VMT# host: vlan burst" >/dev/console
	k=$SNIC_VLAN_BURST # (not n: wait_for counts down its own n)
	wait_for 200 sh -c "[ \$(cat /sys/class/net/snic1.10/statistics/rx_packets) -ge $((v1 + k)) ] &&
			    [ \$(cat /sys/class/net/snic5.20/statistics/rx_packets) -ge $((v5 + k)) ]"
	sleep 1
	echo "snic1: broadcast $b1 -> $(ethstat snic1 vnic_rx_broadcast), snic1.10 rx $v1 -> $(stat_of snic1.10 rx_packets)"
	echo "snic5: broadcast $b5 -> $(ethstat snic5 vnic_rx_broadcast), snic5.20 rx $v5 -> $(stat_of snic5.20 rx_packets)"
	[ "$(ethstat snic1 vnic_rx_broadcast)" = $((b1 + k)) ] &&
	[ "$(ethstat snic5 vnic_rx_broadcast)" = $((b5 + k)) ] &&
	[ "$(stat_of snic1.10 rx_packets)" = $((v1 + k)) ] &&
	[ "$(stat_of snic5.20 rx_packets)" = $((v5 + k)) ]
}

# A VLAN interface talks to the peer's VLAN side: ARP and ping, tagged.
t_vlan_ping() {
	ping -c 3 -i 0.3 -W 3 "$SNIC_VLAN10.2" | tee /tmp/p
	grep -q '3 packets transmitted, 3 packets received' /tmp/p || return 1
	ping -c 3 -i 0.3 -W 3 "$SNIC_VLAN20.2" | tee /tmp/p
	grep -q '3 packets transmitted, 3 packets received' /tmp/p
}

# snic1 takes a new MAC while up; a gratuitous ARP (arp_notify) tells the
# peer, and traffic follows: the device delivers to the new MAC at once.
t_mac_change() {
	new=02:5e:01:77:00:01
	echo 1 >/proc/sys/net/ipv4/conf/snic1/arp_notify
	ip link set dev snic1 address $new || return 1
	ip link show snic1 | grep -q "link/ether $new " || return 1
	ping -c 3 -i 0.3 -W 3 "$PEER" | tee /tmp/p
	grep -q '3 packets transmitted, 3 packets received' /tmp/p
}

# ip maddr joins a group; more groups than the device holds per VNIC fall
# back to ALLMULTI (counted); PROMISC needs the operator's trust.
t_rxmode() {
	# (the stack pushes a receive mode to running netdevs only)
	ip link set snic5 up &&
	ip maddr add 01:00:5e:01:02:03 dev snic5 && ip maddr show dev snic5 | grep -q 01:00:5e:01:02:03 ||
		return 1
	for i in $(seq 10 26); do ip maddr add 01:00:5e:00:01:$i dev snic5 || return 1; done
	wait_for 30 sh -c "[ \$(ethtool -S snic5 | awk '\$1 == \"rx_mc_fallbacks:\" { print \$2 }') -ge 1 ]" ||
		return 1
	for i in $(seq 10 26); do ip maddr del 01:00:5e:00:01:$i dev snic5; done
	ip link set snic5 promisc on
	wait_for 30 sh -c "dmesg | grep -q 'snic5: promiscuous mode refused: VNIC 5 is not trusted'" || return 1
	r=$(ethstat snic5 rx_promisc_refused)
	ip link set snic0 vf 5 trust on || return 1
	sleep 1
	echo "promisc refusals: $r, after trust on: $(ethstat snic5 rx_promisc_refused)"
	[ "$r" -ge 1 ] && [ "$(ethstat snic5 rx_promisc_refused)" = "$r" ] || return 1
	ip link set snic0 vf 5 trust off && ip link set snic5 promisc off
}

# The operator's knobs through the PF side (snic0 for VF 5 = snic5).
t_vf_knobs() {
	ip link set snic0 vf 5 mac 02:5e:01:55:00:05 &&
	[ "$(cat /sys/class/net/snic5/address)" = 02:5e:01:55:00:05 ] || return 1
	# locked: snic5's own driver cannot change it, the operator can unlock
	! ip link set snic5 address 02:5e:01:55:00:06 || return 1
	dmesg | grep -q 'snic5: MAC 02:5e:01:55:00:06 refused: the operator locked' || return 1
	ip link set snic0 vf 5 mac 00:00:00:00:00:00 &&
	ip link set snic5 address 02:5e:01:55:00:06 || return 1
	ip link set snic0 vf 5 spoofchk on && ! ip link set snic0 vf 5 spoofchk off || return 1
	# snic5 has a VLAN interface (snic5.20): no port VLAN behind it; and
	# the device inserts 802.1Q tags only
	! ip link set snic0 vf 5 vlan 10 &&
	dmesg | grep -q 'vf 5: snic5 has VLAN interfaces' &&
	! ip link set snic0 vf 5 vlan 10 proto 802.1ad || return 1
	ip link set snic0 vf 5 min_tx_rate 10 max_tx_rate 0 &&
	ip link set snic0 vf 5 min_tx_rate 0 max_tx_rate 0
}

# A rule through snic5 matches only frames for snic5's MAC: naming snic1's
# MAC is refused, and a drop-all-ICMP rule leaves snic1's pings alone.
# ntuple off is refused while snic5 has rules (they would stay in the
# device, invisible), accepted once they are gone.
SCOPED=
t_rule_scope() {
	mac1=$(cat /sys/class/net/snic1/address)
	ethtool -N snic5 flow-type ether dst "$mac1" action -1 2>&1 | tee /tmp/e
	grep -q 'Cannot insert RX class rule: Invalid argument' /tmp/e || return 1
	ethtool -N snic5 flow-type ip4 l4proto 1 action -1 | tee /tmp/n
	SCOPED=$(sed -n 's/^Added rule with ID \([0-9]*\)$/\1/p' /tmp/n)
	[ -n "$SCOPED" ] && ethtool -n snic1 | grep -q '^Total 0 rules' &&
	! ethtool -N snic1 delete "$SCOPED" 2>/dev/null || return 1
	ping -c 3 -i 0.3 -W 3 "$PEER" | tee /tmp/p
	grep -q '3 packets transmitted, 3 packets received' /tmp/p
}

t_ntuple_off() {
	ethtool -K snic5 ntuple off # (its exit status varies between versions)
	ethtool -k snic5 | grep -q '^ntuple-filters: on' &&
	dmesg | grep -q 'snic5: ntuple off refused: 1 n-tuple rules present' || return 1
	ethtool -N snic5 delete "$SCOPED" && ethtool -K snic5 ntuple off &&
	ethtool -k snic5 | grep -q '^ntuple-filters: off' && ethtool -K snic5 ntuple on
}

# Two VNICs (snic3 on uplink 3, snic4 on uplink 0) enslaved to a bond: the
# bond gives both its MAC (ndo_set_mac_address); releasing gives theirs back.
t_bond() {
	load_extra && ip link add bond0 type bond mode "$1" || return 1
	ip link set snic3 master bond0 && ip link set snic4 master bond0
	rc=$?
	cat /proc/net/bonding/bond0
	[ "$rc" = 0 ] && [ -e /sys/class/net/bond0/lower_snic3 ] &&
	[ -e /sys/class/net/bond0/lower_snic4 ] &&
	[ "$(cat /sys/class/net/snic4/address)" = "$(cat /sys/class/net/bond0/address)" ]
	rc=$?
	ip link del bond0
	[ "$rc" = 0 ] && [ "$(cat /sys/class/net/snic4/address)" = "$(echo "$SNIC_MACS" | cut -d, -f5)" ]
}

# ethtool -G: snic5 keeps 64 RX buffers posted (live), beyond the ring's
# buffers is refused; -C: no interrupt moderation to change.
t_ringparam() {
	ethtool -g snic5 | tee /tmp/g
	max=$(awk '/^Pre-set/ { p = 1 } p && /^RX:/ { print $2; exit }' /tmp/g)
	ethtool -G snic5 rx 64 tx 64 && ethtool -g snic5 | tee /tmp/g &&
	[ "$(awk '/^Current/ { p = 1 } p && /^RX:/ { print $2; exit }' /tmp/g)" = 64 ] || return 1
	! ethtool -G snic5 rx $((max + 1)) && ! ethtool -G snic5 rx 8 &&
	! ethtool -C snic5 rx-usecs 12345
}

# The peer floods snic5 (VLAN 20) back to back: its ring fills, and
# `ip -s link` shows exactly the device's ring-full drops for it.
t_ring_full() {
	v=$(stat_of snic5.20 rx_packets)
	echo "VMT# host: vlan flood" >/dev/console
	wait_for 300 sh -c "[ \$(cat /sys/class/net/snic5/statistics/rx_missed_errors) -gt 0 ]"
	sleep 2
	ip -s -s link show snic5 | tee /tmp/s
	m=$(stat_of snic5 rx_missed_errors) d=$(ethstat snic5 vnic_rx_drop_ring)
	f=$(ethtool -S snic5 | awk '/rxq[0-9]+_hw_drop_full:/ { print $2 }')
	echo "VMT# ring full: rx_missed_errors $m, device vnic_rx_drop_ring $d, ring drop_full $f," \
	     "snic5.20 received $(($(stat_of snic5.20 rx_packets) - v)) of $SNIC_VLAN_FLOOD" >/dev/console
	[ "$m" -gt 0 ] && [ "$m" = "$d" ] && [ "$m" = "$f" ] &&
	[ "$(stat_of snic5 rx_dropped)" -ge "$m" ]
}

# The operator's port VLAN: snic5 without a VLAN interface talks to the
# peer's VLAN 20 side (the device tags and strips); a VLAN interface is
# refused behind it; vlan 0 gives the VNIC its own tags back.
t_port_vlan() {
	ip link del snic5.20 && ip link set snic1 vf 5 vlan 20 qos 3 || return 1
	ip -d link show snic1 | tee /tmp/l
	# VF lines only with SR-IOV: then they must show it
	! grep -q 'vf 5 ' /tmp/l || grep -q 'vf 5 .*vlan 20, qos 3' /tmp/l || return 1
	ip addr add "$SNIC_VLAN20.1/24" dev snic5 && ip neigh flush dev snic5 &&
	ping -c 3 -i 0.3 -W 3 "$SNIC_VLAN20.2" | tee /tmp/p
	grep -q '3 packets transmitted, 3 packets received' /tmp/p || return 1
	! ip link add link snic5 name snic5.30 type vlan id 30 &&
	dmesg | grep -q 'snic5: VLAN 30: the operator set port VLAN 20' || return 1
	ip link set snic1 vf 5 vlan 0 && ip addr del "$SNIC_VLAN20.1/24" dev snic5 &&
	ip link add link snic5 name snic5.20 type vlan id 20 &&
	ip addr add "$SNIC_VLAN20.1/24" dev snic5.20 && ip link set snic5.20 up || return 1
	ping -c 3 -i 0.3 -W 3 "$SNIC_VLAN20.2" | tee /tmp/p
	grep -q '3 packets transmitted, 3 packets received' /tmp/p
}

l2_checks() {
	check "reload with 6 VNICs: MACs from the card's base MAC" t_l2_load
	NEEDS_TAP=1
	check "the peer with an empty neighbour cache pings snic1 (IPv4 and IPv6 replies)" t_peer_ping
	check "VLANs 10 and 20 on one uplink: each VNIC gets its VLAN's broadcasts only" t_vlan_bcast
	check "VLAN interfaces exchange traffic with the peer on VLANs 10 and 20" t_vlan_ping
	check "MAC change on a live VNIC: traffic follows" t_mac_change
	NEEDS_TAP=0
	check "ip maddr joins, ALLMULTI fallback, PROMISC only with trust" t_rxmode
	check "vf mac locks, spoofchk off and vf vlan over VLAN interfaces/802.1ad refused, min_tx_rate set" t_vf_knobs
	NEEDS_TAP=1
	check "a rule through snic5 cannot touch snic1's traffic" t_rule_scope
	check "ethtool -K ntuple off refused while rules exist" t_ntuple_off
	NEEDS_TAP=0
	check "bonding balance-rr enslaves two VNICs" t_bond balance-rr
	check "bonding 802.3ad enslaves two VNICs" t_bond 802.3ad
	check "ethtool -G sets the buffers posted, -C refused" t_ringparam
	NEEDS_TAP=1
	check "ip -s link counts the device's ring-full drops (64 buffers posted)" t_ring_full
	check "vf 5 vlan 20: snic5 untagged talks to the peer's VLAN 20, the device tags" t_port_vlan
	NEEDS_TAP=0
	check "rmmod with VLANs and rules gone" sh -c 'ip link del snic1.10; ip link del snic5.20; rmmod snic'
}
