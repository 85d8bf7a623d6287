#!/usr/bin/env bash
# Yosys synth_xilinx of the ternary table at several depths: LUT, FF,
# LUTRAM/BRAM counts, per entry (from the difference between sizes, so the
# fixed pipeline is not charged to entries), and the logic depth in LUT6
# levels between registers (generic synth + abc -lut 6 + ltp -noff, at the
# first size only: ltp does not know the Xilinx flip-flop cells). Then the
# same for the RSS hash (snic_rss_hash), which has no size parameter.
#   synth.sh BUILD "16 32 64"
set -eu
build=$1
sizes=$2
dir=$build/synth
mkdir -p "$dir"
command -v yosys >/dev/null || { echo "yosys missing: make deps"; exit 1; }

printf '%-6s %8s %8s %8s %8s %6s\n' depth LUT FF LUTRAM BRAM LUT_lvls
prev=""
for d in $sizes; do
	log=$dir/tcam_$d.log
	yosys -q -l "$log" -p "read_verilog -sv -I$build/gen hdl/snic_tcam.sv;
		chparam -set DEPTH $d snic_tcam; synth_xilinx -top snic_tcam -flatten;
		stat" >/dev/null 2>&1
	lvl=-
	if [ -z "$prev" ]; then
		yosys -q -l "$dir/tcam_${d}_depth.log" -p "read_verilog -sv -I$build/gen hdl/snic_tcam.sv;
			chparam -set DEPTH $d snic_tcam; synth -flatten -top snic_tcam;
			abc -lut 6; opt_clean; ltp -noff" >/dev/null 2>&1
		lvl=$(grep -o 'length=[0-9]*' "$dir/tcam_${d}_depth.log" | tail -1 | cut -d= -f2)
	fi
	# the last statistics block is the final netlist
	stats=$(awk '/Printing statistics/ { s = "" } { s = s "\n" $0 } END { print s }' "$log")
	lut=$(echo "$stats" | awk '$1 ~ /^LUT[1-6]$/ { n += $2 } END { print n + 0 }')
	ff=$(echo "$stats" | awk '$1 ~ /^FD[RSCP]E$/ { n += $2 } END { print n + 0 }')
	lram=$(echo "$stats" | awk '$1 ~ /^RAM(32|64|128|256)[MXS]/ || $1 ~ /^SRL/ { n += $2 } END { print n + 0 }')
	bram=$(echo "$stats" | awk '$1 ~ /^RAMB(18|36)/ { n += $2 } END { print n + 0 }')
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

# The RSS hash: one size, the same counts and depth.
log=$dir/rss_hash.log
yosys -q -l "$log" -p "read_verilog -sv -I$build/gen hdl/snic_rss_hash.sv;
	synth_xilinx -top snic_rss_hash -flatten; stat" >/dev/null 2>&1
yosys -q -l "$dir/rss_hash_depth.log" -p "read_verilog -sv -I$build/gen hdl/snic_rss_hash.sv;
	synth -flatten -top snic_rss_hash; abc -lut 6; opt_clean; ltp -noff" >/dev/null 2>&1
lvl=$(grep -o 'length=[0-9]*' "$dir/rss_hash_depth.log" | tail -1 | cut -d= -f2)
stats=$(awk '/Printing statistics/ { s = "" } { s = s "\n" $0 } END { print s }' "$log")
lut=$(echo "$stats" | awk '$1 ~ /^LUT[1-6]$/ { n += $2 } END { print n + 0 }')
ff=$(echo "$stats" | awk '$1 ~ /^FD[RSCP]E$/ { n += $2 } END { print n + 0 }')
muxf=$(echo "$stats" | awk '$1 ~ /^MUXF[78]$/ { n += $2 } END { print n + 0 }')
printf 'snic_rss_hash: %s LUT, %s FF, %s MUXF7/8, %s LUT6 levels\n' "$lut" "$ff" "$muxf" "$lvl" |
	tee -a "$dir/report.txt"
