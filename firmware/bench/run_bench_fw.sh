#!/usr/bin/env bash
# make bench-fw: run the firmware benches and print the figures that
# docs/benchmarks-firmware.md reports.
#   run_bench_fw.sh BENCH_FW BENCH_FW_RV32_ELF BENCH_METER OUTDIR
set -eu
fw=$1 fw_rv=$2 meter=$3 out=$4
here=$(dirname "$0")
mkdir -p "$out"
rm -f "$out"/callgrind.fw.* "$out"/callgrind.meter.*

echo "== firmware path, x86-64 instructions (callgrind), $(valgrind --version)"
valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out/callgrind.fw.%p" \
	"$fw" >"$out/bench_fw.txt" 2>"$out/bench_fw.err"
cat "$out/bench_fw.txt"
pkts_rx=$(awk '/^rx_packets/ {print $2}' "$out/bench_fw.txt")
pkts_tx=$(awk '/^tx_packets/ {print $2}' "$out/bench_fw.txt")
"$here/callgrind_per_packet.py" rx="$pkts_rx" tx="$pkts_tx" -- "$out"/callgrind.fw.*

echo
echo "== firmware path, rv32imac instructions (qemu-system-riscv32 -icount shift=0, instret)"
timeout 600 qemu-system-riscv32 -M virt -m 256M -bios none -nographic -monitor none \
	-semihosting -icount shift=0 -kernel "$fw_rv" </dev/null 2>&1 | grep -E '^(rv32|rx_|tx_|dma_|bench)'

echo
echo "== meter cost: firmware meter vs DPDK rte_meter, same trace"
valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out/callgrind.meter.%p" \
	"$meter" >"$out/bench_meter_cg.txt" 2>"$out/bench_meter_cg.err"
n=$(awk '/^trace:/ {print $2}' "$out/bench_meter_cg.txt")
"$here/callgrind_per_packet.py" ours_srtcm="$n" rte_srtcm="$n" ours_trtcm="$n" rte_trtcm="$n" \
	-- "$out"/callgrind.meter.* | grep -v '^    '
"$meter"
