#!/usr/bin/env bash
# Verilator vs Icarus on the same testbench (tests/hdl/tb_bench.sv), side
# by side in one run: build both at DEPTH=64, run each for a wall time of a
# few seconds, print cycles/s and the ratio. Also Verilator at DEPTH=1024.
#   bench_sim.sh BUILD hdl-sources...
set -eu
build=$1; shift
dir=$build/bench
mkdir -p "$dir"
tb=tests/hdl/tb_bench.sv
vflags=(--binary --timing -O3 --x-assign fast --x-initial fast --noassert -Wno-fatal
	-I"$build/gen" -Ihdl -Itests/hdl --top-module tb_bench -j 2)

run() { # name cycles command... ; prints "name cycles seconds line"
	local name=$1 cycles=$2; shift 2
	local t0 t1 out
	t0=$(date +%s.%N)
	out=$("$@" +cycles="$cycles" | grep '^tb_bench:')
	t1=$(date +%s.%N)
	echo "$name $cycles $(echo "$t1 - $t0" | bc -l) $out"
}

stale() { # stale BINARY: missing, or older than the testbench or any HDL source
	local f
	[ -x "$1" ] || return 0
	for f in "$tb" "$@"; do [ "$f" -nt "$1" ] && return 0; done
	return 1
}
for depth in 64 1024; do
	if stale "$dir/vl$depth/Vtb_bench" "$@"; then
		verilator "${vflags[@]}" -GDEPTH=$depth -Mdir "$dir/vl$depth" "$tb" "$@" \
			>"$dir/vl$depth.log" 2>&1
	fi
done
iverilog -g2012 -I"$build/gen" -Ihdl -Itests/hdl -Ptb_bench.DEPTH=64 -o "$dir/tb64.vvp" "$tb" "$@"

results=$(
	run icarus-64 3000 vvp -n "$dir/tb64.vvp"
	run verilator-64 1000000 "$dir/vl64/Vtb_bench"
	run verilator-1024 200000 "$dir/vl1024/Vtb_bench"
)
echo "$results" | while read -r name cycles secs rest; do
	printf '%-15s %8d clocks %7.2f s %12.0f clocks/s   %s\n' "$name" "$cycles" "$secs" \
		"$(echo "$cycles / $secs" | bc -l)" "${rest#tb_bench: }"
done
icarus=$(echo "$results" | awk '$1 == "icarus-64" { print $2 / $3 }')
vl=$(echo "$results" | awk '$1 == "verilator-64" { print $2 / $3 }')
printf 'verilator/icarus speed ratio at DEPTH=64: %.0fx\n' "$(echo "$vl / $icarus" | bc -l)"
