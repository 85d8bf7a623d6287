#!/usr/bin/env bash
# make bench-fw: run the firmware benches, print the figures and write the
# generated tables of docs/benchmarks-firmware.md.
#   run_bench_fw.sh BENCH_FW BENCH_FW_RV32_ELF BENCH_METER OUTDIR [DOC]
set -eu
fw=$1 fw_rv=$2 meter=$3 out=$4 doc=${5:-}
here=$(dirname "$0")
mkdir -p "$out"
rm -f "$out"/callgrind.fw.* "$out"/callgrind.meter.*

echo "== firmware path, x86-64 instructions (callgrind), $(valgrind --version)"
valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out/callgrind.fw.%p" \
	"$fw" >"$out/bench_fw.txt" 2>"$out/bench_fw.err"
grep -v '^phase ' "$out/bench_fw.txt"
# Each phase's packet count, as the bench printed it: NAME=PACKETS.
phases=$(awk '/^phase / {printf "%s=%s ", $2, $3}' "$out/bench_fw.txt")
# shellcheck disable=SC2086
"$here/callgrind_per_packet.py" $phases -- "$out"/callgrind.fw.* | tee "$out/cg_fw.txt"

echo
echo "== firmware path, rv32imac instructions (qemu-system-riscv32 -icount shift=0, instret)"
timeout 1200 qemu-system-riscv32 -M virt -m 256M -bios none -nographic -monitor none \
	-semihosting -icount shift=0 -kernel "$fw_rv" </dev/null 2>&1 |
	grep -E '^(rv32|rx|bench)' | tee "$out/rv32_fw.txt"

if [ -n "$doc" ]; then
	"$here/scaling_table.py" "$out/cg_fw.txt" "$out/rv32_fw.txt" "$doc"
	echo "(the tables between the generated markers of $doc are rewritten)"
fi

echo
echo "== meter cost: firmware meter vs DPDK rte_meter, same trace"
valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out/callgrind.meter.%p" \
	"$meter" >"$out/bench_meter_cg.txt" 2>"$out/bench_meter_cg.err"
n=$(awk '/^trace:/ {print $2}' "$out/bench_meter_cg.txt")
"$here/callgrind_per_packet.py" ours_srtcm="$n" rte_srtcm="$n" ours_trtcm="$n" rte_trtcm="$n" \
	-- "$out"/callgrind.meter.* | grep -v '^    '
"$meter"
