#!/usr/bin/env bash
# Run bare-metal rv32 test programs under qemu-system-riscv32 (virt board,
# semihosting) and print one TAP stream for tests/run.sh.
#
#   run_qemu.sh [--skip NAME:REASON]... TEST.elf...
#
# Each program prints TAP through the cmocka stand-in (tests/rv32) and ends
# with "# rv32 done", then exits 0 (QEMU 7.2 only stops reliably on exit 0).
# A program that hangs is killed after RV32_TIMEOUT seconds (default 240);
# whatever it did not report counts as failed, so a crash is never a pass.
# Two programs run at a time (CI has two cores).
set -u
timeout_s=${RV32_TIMEOUT:-240}
qemu=${QEMU_RV32:-qemu-system-riscv32}
skips=()
elfs=()
while [ $# -gt 0 ]; do
	case $1 in
	--skip) skips+=("$2"); shift 2 ;;
	*) elfs+=("$1"); shift ;;
	esac
done
if ! command -v "$qemu" >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - $qemu not installed (make deps)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_one() {
	local elf=$1 log=$2 t0=$SECONDS
	timeout "$timeout_s" "$qemu" -M virt -m 256M -bios none -nographic \
		-monitor none -semihosting -kernel "$elf" </dev/null >"$log" 2>&1
	echo "# qemu exit $?, $((SECONDS - t0)) s" >>"$log"
}

# Two at a time, the next one starting as soon as either slot is free.
i=0 running=0
for elf in "${elfs[@]}"; do
	if [ "$running" -ge 2 ]; then
		wait -n
		running=$((running - 1))
	fi
	run_one "$elf" "$tmp/$i.log" &
	i=$((i + 1)) running=$((running + 1))
done
wait

# Merge into one plan with suite-prefixed names.
out=()
n=0 failed=0
for idx in "${!elfs[@]}"; do
	elf=${elfs[$idx]}
	suite=$(basename "$elf" .elf)
	log="$tmp/$idx.log"
	plan=$(grep -m1 -oE '^1\.\.[0-9]+' "$log" | cut -d. -f3)
	got=0
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			n=$((n + 1)); got=$((got + 1))
			status=${line%% [0-9]*}
			name=${line#* - }
			[ "$status" = "not ok" ] && failed=$((failed + 1))
			out+=("$status $n - $suite: $name")
			;;
		"# "*) out+=("# $suite: ${line#\# }") ;;
		esac
	done < <(grep -E '^(ok |not ok |# )' "$log")
	done_mark=$(grep -c '^# rv32 done' "$log")
	if [ -z "$plan" ]; then plan=1; fi
	if [ "$done_mark" -eq 0 ] || [ "$got" -lt "$plan" ]; then
		missing=$((plan - got)); [ "$missing" -lt 1 ] && missing=1
		for _ in $(seq "$missing"); do
			n=$((n + 1)); failed=$((failed + 1))
			out+=("not ok $n - $suite: did not finish (crash, abort or timeout; see below)")
		done
		while IFS= read -r line; do out+=("# $suite: $line"); done < <(tail -5 "$log")
	fi
done
for s in "${skips[@]}"; do
	n=$((n + 1))
	out+=("ok $n - ${s%%:*} # SKIP ${s#*:}")
done
echo "1..$n"
printf '%s\n' "${out[@]}"
[ "$failed" -eq 0 ]
