#!/usr/bin/env bash
# Yosys synthesis of the whole match engine (parser + ternary + exact +
# RSS, snic_match_engine) for UltraScale+ (synth_xilinx -family xcup
# -flatten -noiopad; the tcam in its RAM32M16 form, SNIC_TCAM_STRUCTURAL)
# at the small profile's size and key (64 ternary, 18-byte key of flags,
# port, MACs, VLAN, ethertype; exact table at its minimum) and the large
# one's (1024 ternary, 59-byte key, 2048 buckets x 2 ways x 4 = 16K exact),
# then the logic depth of each block (generic synth, abc -lut 6, ltp -noff:
# LUT levels between registers; LUTRAM and block RAM cells count as one
# level). Writes the figures into docs/benchmarks-hdl.md (between the
# synth markers) and $BUILD/synth/report.md.
#   synth.sh BUILD
# SYNTH_REUSE=1 keeps the logs of earlier complete runs (only the report
# is made again); each depth run stops after SYNTH_DEPTH_SECS (default
# 900) and then reports "-".
set -eu
shopt -s inherit_errexit   # a failing yosys inside $(...) stops the script
build=$1
dir=$build/synth
page=docs/benchmarks-hdl.md
mkdir -p "$dir"
command -v yosys >/dev/null || { echo "yosys missing: make deps"; exit 1; }
srcs="hdl/snic_ipv6_ext.sv hdl/snic_parser.sv hdl/snic_tcam.sv hdl/snic_exact.sv"
srcs="$srcs hdl/snic_rss_hash.sv hdl/snic_match_engine.sv"
read="read_verilog -sv -DSNIC_TCAM_STRUCTURAL -I$build/gen -Ihdl $srcs"

# count LOG REGEX: sum of the cells whose type matches, in the last stat
count() {
	local from
	from=$(grep -n 'Printing statistics' "$1" | tail -1 | cut -d: -f1)
	tail -n +"${from:-1}" "$1" | awk -v re="$2" '$1 ~ re { n += $2 } END { print n + 0 }'
}

# engine NAME DEPTH BUCKETS KEY_FIELDS: synth_xilinx, one line of figures
engine() {
	local log=$dir/engine_$1.log secs
	if ! { [ "${SYNTH_REUSE:-0}" = 1 ] && grep -q 'End of script' "$log" 2>/dev/null; }; then
		yosys -q -l "$log" -p "$read; chparam -set DEPTH $2 -set EXACT_BUCKETS $3 -set KEY_FIELDS $4 snic_match_engine;
			synth_xilinx -family xcup -flatten -noiopad -top snic_match_engine; stat" >/dev/null
	fi
	# Yosys CPU seconds (user), from its own summary line
	secs=$(grep -o 'CPU: user [0-9.]*s' "$log" | tail -1 | grep -o '[0-9.]*' | cut -d. -f1)
	local lut ff m8 m4 d srl lram b36 b18 uram carry
	lut=$(count "$log" '^LUT[1-6]$')
	ff=$(count "$log" '^FD[RSCP]E$')
	m8=$(count "$log" '^RAM64M8$|^RAM32M16$')
	m4=$(count "$log" '^RAM(64|32)M$')
	d=$(count "$log" '^RAM(32|64|128|256)X1[SD]$')
	srl=$(count "$log" '^SRL(16E|C32E)$')
	lram=$((8 * m8 + 4 * m4 + 2 * d + srl))   # LUTs used as memory
	b36=$(count "$log" '^RAMB36E2$')
	b18=$(count "$log" '^RAMB18E2$')
	uram=$(count "$log" '^URAM288$')
	carry=$(count "$log" '^CARRY[48]$')
	[ "$lut" -gt 0 ] || { echo "synth.sh: no LUTs in $log" >&2; exit 1; }
	echo "$1 $2 $3 $lut $lram $ff $b36 $b18 $uram $carry $m8 $secs $(key_bits "$4")"
}

# key_bits FIELDS: the ternary key bits a profile stores (snic_key_fields_bytes)
key_bits() {
	local f=$1 bits=0 i
	# the field of each key byte, SNIC_KEY_BYTE_FIELD of the generated header
	local map
	map=$(grep -o "SNIC_KEY_BYTE_FIELD = 1024'h[0-9a-f]*" "$build/gen/snic_abi.svh" | cut -d"'" -f2 | cut -c2-)
	for ((i = 0; i < 64; i++)); do
		local hex=${map:$(((63 - i) * 4)):4}
		(( (16#$hex & f) != 0 )) && bits=$((bits + 8))
	done
	echo "$bits"
}

# depth TOP PARAMS: LUT levels of one block between registers
depth() {
	local log=$dir/depth_$1.log
	if ! { [ "${SYNTH_REUSE:-0}" = 1 ] && grep -q 'length=' "$log" 2>/dev/null; }; then
		timeout "${SYNTH_DEPTH_SECS:-900}" yosys -q -l "$log" -p "read_verilog -lib -sv tests/hdl/RAM32M16.sv;
			$read; $2 synth -flatten -top $1 -run begin:fine; techmap; opt -fast;
			abc -lut 6; opt_clean; ltp -noff" >/dev/null || true
	fi
	local n
	n=$(grep -o 'length=[0-9]*' "$log" | tail -1 | cut -d= -f2)
	echo "${n:--}"
}

# SNIC_FIELD_* of the profiles (sim/profile.c): small 0x6f, large all.
small=$(engine small 64 2 111)
large=$(engine large 1024 2048 16383)
set -- $large; l_kbits=${13}
d_parser=$(depth snic_parser "")
d_tcam=$(depth snic_tcam "chparam -set DEPTH 1024 -set KEY_BITS $l_kbits snic_tcam;")
d_exact=$(depth snic_exact "chparam -set BUCKETS 2048 snic_exact;")
d_rss=$(depth snic_rss_hash "")

row() { # row FIGURES: a table row
	set -- $1
	local bram=$(echo "$7 + $8 / 2" | bc -l)
	printf '| %s | %s x %s | %s | %s | %s | %s | %.1f | %s | %s s |\n' "$1" "$2" "${13}" \
		"$(( $3 * 8 ))" "$4" "$5" "$6" "$bram" "$9" "${12}"
}
per_bit() { # per_bit FIGURES: (LUT + LUTRAM) per stored ternary bit
	set -- $1
	echo "($4 + $5) / ($2 * ${13})" | bc -l
}
set -- $small; s_lut=$4; s_lram=$5; s_ff=$6; s_depth=$2; s_kbits=${13}
set -- $large; l_lut=$4; l_lram=$5; l_ff=$6; l_depth=$2; l_m8=${11}; l_b36=$7; l_b18=$8
# RAM32M16 per entry pair: 7 slices of 5 bits each, 8 LUTs
l_nsl=$(( (l_kbits + 4) / 5 )); l_ng=$(( (l_nsl + 6) / 7 ))
store=$(echo "8 * $l_ng / (2 * $l_kbits)" | bc -l)
store_abi=$(echo "8 * $l_ng / (2 * 512)" | bc -l)
# The AND of the slices (l_nsl inputs per entry, LUT6 tree) on top
and_luts=$(echo "($l_nsl + 4) / 5" | bc)
with_and=$(echo "(8 * $l_ng / 2 + $and_luts) / $l_kbits" | bc -l)
tot=$((l_lut + l_lram))
bram36=$(echo "$l_b36 + $l_b18 / 2" | bc -l)
fit() { # fit NAME LUT FF BRAM36: utilisation of a card's FPGA
	printf '| %s | %s K | %s K | %s | %.1f %% | %.1f %% | %.1f %% |\n' "$1" "$(( $2 / 1000 ))" \
		"$(( $3 / 1000 ))" "$4" "$(echo "100 * $tot / $2" | bc -l)" \
		"$(echo "100 * $l_ff / $3" | bc -l)" "$(echo "100 * $bram36 / $4" | bc -l)"
}

{
echo "<!-- synth:begin (written by make synth: tests/hdl/synth.sh) -->"
echo "## Resources (Yosys \`synth_xilinx\`, whole engine, UltraScale+)"
echo
echo "\`make synth\`: Yosys $(yosys -V | awk '{ print $2 }') \`synth_xilinx -family xcup -flatten"
echo "-noiopad\` of \`snic_match_engine\` (parser, ternary table in its RAM32M16"
echo "form, exact table, RSS hash, combine; no AXI wrapper), default \`abc\`"
echo "(\`-abc9\` was not run). LUT = logic"
echo "LUTs; LUTRAM = LUTs used as memory (8 per RAM64M8/RAM32M16, 4 per RAM64M/32M, 2"
echo "per RAM64X1D, 1 per SRL); BRAM in 36-Kbit blocks (RAMB18 = 1/2)."
echo
echo "| profile | ternary entries x stored key bits | exact slots | LUT | LUTRAM | FF | BRAM36 | URAM | Yosys CPU |"
echo "|---------|----------------------------------:|------------:|----:|-------:|---:|-------:|-----:|----------:|"
row "$small"
row "$large"
echo
echo "- **Stored key** (KEY_FIELDS: the bytes of the fields the profile matches on):"
echo "  large $l_kbits bits (every field: the 5 reserved bytes go), small $s_kbits bits."
printf -- '- **LUT per stored ternary bit, the storage** (large: %s RAM32M16 per entry pair,\n' "$l_ng"
printf -- '  8 LUTs each, for 2 x %s bits): **%.3f** (%.3f per bit of the 512-bit ABI key);\n' "$l_kbits" "$store" "$store_abi"
printf -- '  with the %s-input AND per entry (about %s LUT6) **%.3f**. %s RAM32M16 in the netlist.\n' \
	"$l_nsl" "$and_luts" "$with_and" "$l_m8"
printf -- '- **The whole engine** (large, LUT + LUTRAM / (1024 x %s)): **%.3f** per stored\n' "$l_kbits" "$(per_bit "$large")"
echo "  ternary bit; this charges the parser, exact table, RSS hash, pending"
echo "  slots and priority encoders to the table bits."
echo "- LUT6 levels between registers (generic \`synth; abc -lut 6; ltp -noff\`,"
echo "  a LUTRAM read counts as one level): parser **$d_parser**, ternary table"
echo "  (1024 entries) **$d_tcam**, exact table (2048 buckets) **$d_exact**, RSS hash"
echo "  **$d_rss** (\"-\": the generic synthesis for the depth did not finish"
echo "  within SYNTH_DEPTH_SECS = ${SYNTH_DEPTH_SECS:-900} s on this machine)."
echo "  The longest path of a block is its deepest stage. Assumption: on"
echo "  UltraScale+ -2 one LUT level plus local routing costs about 0.5-0.6 ns"
echo "  and a register 0.3-0.4 ns, so 6-7 levels close 250 MHz (4 ns);"
echo "  deeper blocks need a stage split before they do (estimate, not a"
echo "  placed-and-routed timing)."
echo
echo "Beside published FPGA TCAMs (their figures from their documents; ours measured):"
echo
echo "| design | entries x key bits | LUT per TCAM bit | latency | lookups/clock | clock |"
echo "|--------|-------------------:|-----------------:|--------:|--------------:|------:|"
printf '| snic ternary table (storage, RAM32M16 32x2) | 1024 x %s | %.3f (with the AND %.3f) | 13 clocks incl. parser | 1 | depth above |\n' \
	"$l_kbits" "$store" "$with_and"
printf '| snic engine (whole: parser, ternary, exact, RSS) | 1024 x %s | %.3f | 13 clocks | 1 | depth above |\n' \
	"$l_kbits" "$(per_bit "$large")"
echo "| AMD TCAM IP (PG318), 1K x 104 | 1024 x 104 | see PG318 (per configuration) | 21 clocks | 1 | up to 600 MHz (-2 UltraScale+) |"
echo "| LUTRAM TCAM emulation (D-TCAM, IEEE Access 2019) | - | ~1/6 (64x1 LUTRAM, 6 bits), ~0.1 in 32x2 mode | - | 1 | - |"
echo
echo "The 32x2 mode holds 10 ternary bits per LUT; a lookup runs every clock"
echo "while entries are written, so each RAM32M16 gives one of its 8 LUTs to"
echo "the write address (7/8 of the ideal 0.1). Writing a word writes both"
echo "entries of a pair: the partner's value and mask come from a copy of"
echo "the table in block RAM (in the BRAM36 column above)."
echo
echo "Fit on real cards (the FPGA's LUT, FF and 36-Kbit BRAM totals as AMD's data"
echo "sheets give them: DS962 U250, DS963 U280, DS890 XCVU9P; quoted, not re-read"
echo "from the documents here):"
echo
echo "| card (FPGA) | LUT | FF | BRAM36 | LUT+LUTRAM used | FF used | BRAM used |"
echo "|-------------|----:|---:|-------:|----------------:|--------:|----------:|"
fit "Alveo U250 (XCU250)" 1728000 3456000 2688
fit "Alveo U280 (XCU280)" 1304000 2607000 2016
fit "VCU118 (XCVU9P)" 1182240 2364480 2160
echo
echo "LUTRAM needs SLICEM LUTs, about half of all LUTs on these parts (the"
echo "XCVU9P: 591 840 of 1 182 240); the large engine's $l_lram LUTRAM LUTs"
echo "use a fraction of that. The shell (Corundum, OpenNIC) comes on top of"
echo "these figures; it was not synthesized here."
echo "<!-- synth:end -->"
} > "$dir/report.md"

tools/doc_section.sh "$page" synth "$dir/report.md"
cat "$dir/report.md"
