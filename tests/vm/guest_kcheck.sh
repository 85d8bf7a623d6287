# The kernel's own checks on snic.ko, sourced by /init (guest_init.sh).
#
# Debian's kernel has no lockdep, KASAN, KFENCE or kmemleak, but it has
# SLUB debugging and page poisoning: test_vm.sh boots it with
# slub_debug=FZPU (sanity checks, red zones, poisoning, the caller of every
# allocation kept) and page_poison=1. With those on, a driver that writes
# past an object, uses one after freeing it or corrupts a list makes the
# kernel report it; these checks turn every such report, and any
# allocation the module still owns after rmmod, into a failed test.

# Every address range snic.ko occupied, one "start end" line per load:
# allocation call sites are kept as return addresses, so after rmmod a
# leaked object still names an address inside one of them. Modules live in
# the top 2 GiB (0xffffffff........), so the low 32 bits are compared: ash
# arithmetic is signed 64-bit.
SNIC_RANGES=/tmp/snic_ranges

insmod() {
	command insmod "$@" || return
	case "$1" in
	*/snic.ko)
		awk '$1 == "snic" { print $6, $2 }' /proc/modules | {
			read -r base size && [ "${base#0xffffffff}" != "$base" ] &&
				lo=$((0x${base#0xffffffff})) &&
				echo "$lo $((lo + size))" >>"$SNIC_RANGES"
		}
		# Its symbols, to name a leaking call site once the module is gone.
		grep '\[snic\]$' /proc/kallsyms >"/tmp/snic_syms.$(wc -l <"$SNIC_RANGES")"
		# The check's own control: the tracking names snic.ko's sites.
		cat /sys/kernel/debug/slab/*/alloc_traces 2>/dev/null |
			grep -c '\[snic\]' >>/tmp/snic_live_sites
		;;
	esac
}

# The kernel reports its own findings in the log; quiet keeps them off the
# console, so they are read back here.
t_dmesg_clean() {
	! dmesg | grep -E 'BUG|WARNING|Oops|Call Trace|general protection|Redzone|Poison overwritten|Object padding|corrupt|list_(add|del) corruption|refcount_t|use-after-free|hung_task|soft lockup|snic.*(timed out|bad completion|resyncing|DESTROY failed|PORT_SET .* failed|lost in the reset|could not be|held by another|stopped running|taken over)'
}

# Taint bits the kernel sets on a warning (W, 512), an oops (D, 128), a
# bad page (B, 32) or a soft lockup (L, 16384). O and E (an out-of-tree,
# unsigned module) are expected.
t_taint() {
	t=$(cat /proc/sys/kernel/tainted)
	echo "tainted=$t"
	[ $((t & (512 | 128 | 32 | 16384))) -eq 0 ]
}

# After the last rmmod no slab object may have been allocated by snic.ko's
# own code. slub_debug=U keeps each object's allocation site and stack;
# alloc_traces (debugfs) prints a freed module's address as a bare hex
# number. Only the allocating function counts: objects the network stack
# allocates while the driver's receive path is on the stack (socket, TCP
# metrics, neighbour entries) rightly outlive it; they are listed, not
# failed.
t_leaks() {
	! grep -q '^snic ' /proc/modules || return 1
	[ -s "$SNIC_RANGES" ] || { echo "no load of snic.ko recorded"; return 1; }
	[ -r /sys/kernel/debug/slab/kmalloc-64/alloc_traces ] ||
		{ echo "no alloc_traces: slub_debug=U not in effect"; return 1; }
	echo "snic.ko loaded $(wc -l <"$SNIC_RANGES") times; allocation sites seen" \
		"while loaded:" $(cat /tmp/snic_live_sites)
	# Tracking that never saw the live module's allocations proves nothing.
	grep -qv '^0$' /tmp/snic_live_sites || return 1
	leaks=0 deeper=0
	for f in /sys/kernel/debug/slab/*/alloc_traces; do
		c=${f#/sys/kernel/debug/slab/}
		# Allocating functions: the first line of each record.
		for a in $(grep -Eo '^ *[0-9]+ 0xffffffff[0-9a-f]{8}' "$f" 2>/dev/null |
			awk '{ print $2 }' | sort -u); do
			load=$(snic_load_of "$a") || continue
			leaks=$((leaks + 1))
			echo "leak in ${c%/alloc_traces}: $(snic_sym "$a" "$load") (load $load):"
			awk -v a="$a" 'BEGIN { RS = "" } index($0, a) { print; exit }' "$f"
		done
		for a in $(grep -Eo '^ +0xffffffff[0-9a-f]{8}$' "$f" 2>/dev/null | sort -u); do
			snic_load_of "$a" >/dev/null && deeper=$((deeper + 1))
		done
	done
	echo "$leaks allocating call sites in a former snic.ko, $deeper deeper frames" |
		tee /tmp/leak_summary
	[ "$leaks" -eq 0 ]
}

# snic_load_of ADDR: which load of snic.ko (1..) held ADDR, if any.
snic_load_of() {
	a32=$((0x${1#0xffffffff})) n=0
	while read -r lo hi; do
		n=$((n + 1))
		[ "$a32" -ge "$lo" ] && [ "$a32" -lt "$hi" ] && { echo $n; return 0; }
	done <"$SNIC_RANGES"
	return 1
}

# snic_sym ADDR LOAD: the symbol of that load at or below ADDR, +offset.
snic_sym() {
	a32=$((0x${1#0xffffffff})) best=0 name=?
	while read -r addr _ sym _; do
		s32=$((0x${addr#ffffffff}))
		[ "$s32" -le "$a32" ] && [ "$s32" -ge "$best" ] && { best=$s32 name=$sym; }
	done <"/tmp/snic_syms.$2"
	printf '%s+0x%x\n' "$name" $((a32 - best))
}

kernel_checks() {
	check "kernel log has no errors, warnings or SLUB reports" t_dmesg_clean
	check "kernel not tainted by a warning, oops, bad page or lockup" t_taint
	check "no slab object allocated by snic.ko outlives rmmod" t_leaks
	echo "VMT# slab: $(cat /tmp/leak_summary 2>/dev/null); taint $(cat /proc/sys/kernel/tainted)"
}
