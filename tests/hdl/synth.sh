#!/usr/bin/env bash
# Yosys synth_xilinx of the ternary table at several depths: LUT, FF,
# LUTRAM/BRAM counts, per entry (from the difference between sizes, so the
# fixed pipeline is not charged to entries) and the logic depth (ltp).
#   synth.sh BUILD "16 32 64"
set -eu
build=$1
sizes=$2
dir=$build/synth
mkdir -p "$dir"
command -v yosys >/dev/null || { echo "yosys missing: make deps"; exit 1; }

printf '%-6s %8s %8s %8s %8s %6s\n' depth LUT FF LUTRAM BRAM depth_lvls
prev=""
for d in $sizes; do
	log=$dir/tcam_$d.log
	yosys -q -l "$log" -p "read_verilog -sv -I$build/gen hdl/snic_tcam.sv;
		chparam -set DEPTH $d snic_tcam; synth_xilinx -top snic_tcam -flatten;
		stat; ltp -noff" >/dev/null 2>&1
	# the last statistics block is the final netlist
	stats=$(awk '/Printing statistics/ { s = "" } { s = s "\n" $0 } END { print s }' "$log")
	lut=$(echo "$stats" | awk '$1 ~ /^LUT[1-6]$/ { n += $2 } END { print n + 0 }')
	ff=$(echo "$stats" | awk '$1 ~ /^FD[RSCP]E$/ { n += $2 } END { print n + 0 }')
	lram=$(echo "$stats" | awk '$1 ~ /^RAM(32|64|128|256)[MXS]/ || $1 ~ /^SRL/ { n += $2 } END { print n + 0 }')
	bram=$(echo "$stats" | awk '$1 ~ /^RAMB(18|36)/ { n += $2 } END { print n + 0 }')
	lvl=$(grep -o 'length=[0-9]*' "$log" | tail -1 | cut -d= -f2)
	printf '%-6s %8s %8s %8s %8s %6s\n' "$d" "$lut" "$ff" "$lram" "$bram" "$lvl"
	if [ -n "$prev" ]; then
		set -- $prev
		printf '  per entry (%s -> %s): %.0f LUT, %.0f FF, %.2f BRAM\n' "$1" "$d" \
			"$(echo "($lut - $2) / ($d - $1)" | bc -l)" \
			"$(echo "($ff - $3) / ($d - $1)" | bc -l)" \
			"$(echo "($bram - $4) / ($d - $1)" | bc -l)"
	fi
	prev="$d $lut $ff $bram"
done | tee "$dir/report.txt"
