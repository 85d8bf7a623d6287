#!/usr/bin/env bash
# Build the VM test's initramfs: busybox-static, Debian's real ethtool, ip
# and devlink with the shared libraries they need, snic.ko and tests/vm/guest_init.sh as
# /init.
#   tests/vm/mkinitramfs.sh OUT.cpio SNIC.KO [BLAST [TCP [BOOKD [SNICCTL]]]]
# BLAST, TCP: the static UDP sender (snic_vm_blast) and TCP transfer tool
# (snic_vm_tcp); BOOKD, SNICCTL: the booking agent (snic-bookd) and
# snicctl, which writes its bookings, with their shared libraries. All
# optional ("" to skip one). With KVER set, the guest kernel's 8021q and
# bonding modules (and what they need) go to /lib/modules/extra.list.
set -euo pipefail

out=$1
ko=$2
blast=${3:-}
tcp=${4:-}
bookd=${5:-}
snicctl=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,lib,lib64,proc,sys,dev,tmp,etc,root,mnt,lib/modules}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

# Real tools (busybox's ip/ethtool would test busybox, not the interfaces).
copy_with_libs() {
	local bin=$1 dest=$2
	cp "$bin" "$root/$dest"
	ldd "$bin" | awk '/=> \//{print $3} /^\t\/lib/{print $1}' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
copy_with_libs "$(command -v ethtool || echo /usr/sbin/ethtool)" sbin/ethtool
copy_with_libs /bin/ip sbin/ip
copy_with_libs "$(command -v devlink || echo /sbin/devlink)" sbin/devlink
# iperf3 for the RSS checks (guest_rss.sh), when the host has it.
if command -v iperf3 >/dev/null; then copy_with_libs "$(command -v iperf3)" bin/iperf3; fi

# The module without debug info: the guest only needs the code.
objcopy --strip-debug "$ko" "$root/lib/modules/snic.ko"
[ -n "$blast" ] && cp "$blast" "$root/bin/snic_vm_blast"
[ -n "$tcp" ] && cp "$tcp" "$root/bin/snic_vm_tcp"
[ -n "$bookd" ] && copy_with_libs "$bookd" bin/snic-bookd
[ -n "$snicctl" ] && copy_with_libs "$snicctl" bin/snicctl
# Debian's VLAN and bonding modules with their dependencies, in load
# order (the layer-2 checks): KVER is the guest kernel's version.
if [ -n "${KVER:-}" ]; then
	for m in net/llc/llc net/802/stp net/802/garp net/802/mrp net/8021q/8021q \
		net/tls/tls drivers/net/bonding/bonding; do
		cp "/lib/modules/$KVER/kernel/$m.ko" "$root/lib/modules/" &&
		echo "$(basename "$m").ko" >>"$root/lib/modules/extra.list"
	done
fi
cp "$here/guest_init.sh" "$root/init"
cp "$here/guest_l2.sh" "$root/guest_l2.sh"
cp "$here/guest_devlink.sh" "$root/guest_devlink.sh"
cp "$here/guest_rss.sh" "$root/guest_rss.sh"
cp "$here/guest_kcheck.sh" "$root/guest_kcheck.sh"
# The image `devlink dev flash` loads (request_firmware: /lib/firmware).
if [ -n "${SNIC_VM_FWIMG:-}" ]; then
	mkdir -p "$root/lib/firmware"
	cp "$SNIC_VM_FWIMG" "$root/lib/firmware/snic-fw.img"
fi
chmod +x "$root/init"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) >"$out"
