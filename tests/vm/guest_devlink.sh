# shellcheck shell=sh
# Sourced by guest_init.sh once snic0 and snic1 run (after the host's
# reset): the devlink objects of the driver (docs/kmod.md, "devlink").
# Uses guest_init.sh's check/ok/notok, wait_for, pings_go_out and $RULE.
# /lib/firmware/snic-fw.img is an image test_vm.sh built as firmware
# 0.2.0 (snic-sim runs with --flash, both slots empty at the start).
devlink() { /sbin/devlink "$@"; }
DL=pci/$(basename "$(readlink /sys/class/net/snic0/device)")
FW_IMG=/lib/firmware/snic-fw.img

# The "running:" or "stored:" part of devlink dev info.
dl_versions() {
	devlink dev info "$DL" | awk -v want="$1:" '
		$1 == "running:" || $1 == "stored:" || $1 == "fixed:" { on = ($1 == want); next }
		on { print $1, $2 }'
}

# A pci_vf port per VNIC, linked to its netdev; a physical port per uplink.
t_dl_ports() {
	devlink port show | tee /tmp/dp
	grep -q "^$DL/0: type eth netdev snic0 flavour pcivf controller 0 pfnum 0 vfnum 0 " /tmp/dp &&
	grep -q "^$DL/1: type eth netdev snic1 flavour pcivf controller 0 pfnum 0 vfnum 1 " /tmp/dp &&
	for u in 0 1 2 3; do
		grep -q "^$DL/100$u: type notset flavour physical port $u " /tmp/dp || return 1
	done
}

# Three reporters; fw_fatal counted and recovered the host's reset; the
# diagnoses say what an operator needs.
t_dl_health() {
	# (devlink 6.1 wants a reporter name with a device: list them all)
	devlink health show | sed -n "\|^$DL:|,\|^[^ ]|p" | tee /tmp/dh
	for r in fw_fatal tx_timeout admin_timeout; do
		grep -q "reporter $r\$" /tmp/dh || return 1
	done
	sed -n '/reporter fw_fatal$/{n;p}' /tmp/dh | grep -Eq 'state healthy error [1-9][0-9]* recover [1-9]' &&
	devlink health diagnose "$DL" reporter fw_fatal | tee /tmp/dd &&
	grep -q 'running: true' /tmp/dd && grep -q 'last_fault: device reset detected' /tmp/dd &&
	devlink health diagnose "$DL" reporter admin_timeout | tee /tmp/dd &&
	grep -q 'timeouts: 0 takeovers: [0-9]* last_opcode: none' /tmp/dd &&
	devlink health diagnose "$DL" reporter tx_timeout | tee /tmp/dd &&
	grep -q 'netdev: snic0 vnic: 0' /tmp/dd && grep -q 'netdev: snic1 vnic: 1' /tmp/dd

}

# Flip 4 bytes in the payload: header intact, payload CRC wrong.
t_dl_flash_bad() {
	cp "$FW_IMG" /lib/firmware/snic-bad.img &&
	printf 'XXXX' | dd of=/lib/firmware/snic-bad.img bs=1 seek=2000 conv=notrunc 2>/dev/null &&
	! cmp -s "$FW_IMG" /lib/firmware/snic-bad.img || return 1
	dl_versions stored >/tmp/before
	! devlink dev flash "$DL" file snic-bad.img 2>/tmp/e
	cat /tmp/e
	grep -q 'image payload is corrupt (CRC mismatch)' /tmp/e &&
	! devlink dev flash "$DL" file no-such.img 2>/dev/null &&
	dl_versions stored | cmp -s - /tmp/before && [ ! -s /tmp/before ]
}

# Into the spare slot; the running firmware and the VNICs carry on.
t_dl_flash() {
	dl_versions running >/tmp/run0
	# Progress goes to a terminal only: the console shows it.
	devlink dev flash "$DL" file snic-fw.img >/dev/console 2>/tmp/e || { cat /tmp/e; return 1; }
	dl_versions stored | tee /tmp/st
	grep -q '^fw 0\.2\.0' /tmp/st && grep -q '^fw.slot 0$' /tmp/st &&
	dl_versions running | cmp -s - /tmp/run0 &&
	grep -q '^fw.slot built-in$' /tmp/run0 &&
	dmesg | grep -q 'firmware 0.2.0 written to slot 0' &&
	pings_go_out
}

# Restores done so far (the reload or the watchdog, whichever is first).
restores() { dmesg | grep -c 'snic.*restored after'; }

# The device boots the new image; the driver restores and traffic flows.
t_dl_activate() {
	n=$(restores)
	devlink dev reload "$DL" action fw_activate | tee /tmp/r || return 1
	grep -q 'reload_actions_performed:' /tmp/r || return 1
	dl_versions running | tee /tmp/run1
	devlink dev info "$DL" | sed 's/^/VMT# info: /' >/dev/console
	grep -q '^fw 0\.2\.0' /tmp/run1 && grep -q '^fw.slot 0$' /tmp/run1 &&
	[ "$(restores)" = $((n + 1)) ] &&
	wait_for 30 sh -c '[ "$(cat /sys/class/net/snic0/carrier)" = 1 ] &&
			   [ "$(cat /sys/class/net/snic1/carrier)" = 1 ]' &&
	ethtool -n snic1 | grep -q "^Filter: $RULE$" &&
	pings_go_out
}

# refused PORT KNOB VALUE REASON: devlink says no, with that reason.
refused() {
	! devlink port function rate set "$1" "$2" "$3" 2>/tmp/e
	r=$?
	echo "$2 $3: rc $r: $(cat /tmp/e)"
	[ $r = 0 ] && grep -q "$4" /tmp/e
}

# Rate leaves of VNIC 1: tx_max is its shaper (tx_maxrate follows),
# tx_share its guaranteed share; values the device or uplink cannot hold
# are refused with a reason and change nothing.
t_dl_rate() {
	q=/sys/class/net/snic1/queues/tx-0/tx_maxrate
	devlink port function rate set "$DL/1" tx_max 30mbit tx_share 5mbit || return 1
	[ "$(cat $q)" = 30 ] || return 1
	devlink port function rate show "$DL/1" | tee /tmp/rt
	grep -q 'type leaf tx_share 5Mbit tx_max 30Mbit' /tmp/rt || return 1
	# (devlink itself refuses tx_share above tx_max)
	refused "$DL/1" tx_max 10000008bit 'whole number of Mbit/s' &&
	refused "$DL/1" tx_max 200gbit 'above the capacity' &&
	[ "$(cat $q)" = 30 ] &&
	devlink port function rate show "$DL/1" | grep -q 'tx_share 5Mbit tx_max 30Mbit'
}

# driver_reinit: the device forgets everything, the driver restores VNICs,
# rule, links, the shaper and the share from its own copy.
t_dl_reinit() {
	n=$(restores)
	devlink dev reload "$DL" | tee /tmp/r || return 1
	[ "$(restores)" = $((n + 1)) ] &&
	wait_for 30 sh -c '[ "$(cat /sys/class/net/snic0/carrier)" = 1 ] &&
			   [ "$(cat /sys/class/net/snic1/carrier)" = 1 ]' &&
	ethtool -n snic1 | grep -q "^Filter: $RULE$" &&
	[ "$(cat /sys/class/net/snic1/queues/tx-0/tx_maxrate)" = 30 ] &&
	! dmesg | grep -q 'could not be restored' &&
	pings_go_out &&
	devlink port function rate set "$DL/1" tx_share 0 tx_max 0 &&
	[ "$(cat /sys/class/net/snic1/queues/tx-0/tx_maxrate)" = 0 ]
}

check "devlink port show: a pci_vf port per VNIC, a physical port per uplink" t_dl_ports
check "devlink health: fw_fatal, tx_timeout, admin_timeout; fw_fatal saw the host's reset" t_dl_health
if [ -r "$FW_IMG" ]; then
	check "devlink dev flash: a corrupt image is refused with a reason, nothing changes" t_dl_flash_bad
	check "devlink dev flash: firmware 0.2.0 into the spare slot, the running one carries on" t_dl_flash
	check "devlink dev reload action fw_activate: 0.2.0 runs, VNICs restored and sending" t_dl_activate
else
	for c in "corrupt image refused" "flash into the spare slot" "reload action fw_activate"; do
		ok "devlink dev flash: $c # SKIP no $FW_IMG (test_vm.sh builds it with snic-fwimg)"
	done
fi
check "devlink port function rate: tx_max shapes, tx_share set, bad values refused" t_dl_rate
check "devlink dev reload (driver_reinit): VNICs, rule, links and rates restored" t_dl_reinit
