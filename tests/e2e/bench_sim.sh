#!/usr/bin/env bash
# make bench-sim: the whole simulated NIC end to end, measured on the wall
# clock: 64-byte frames from a pcap on uplink 0 through the Verilated match
# engine, the firmware and an RX ring to the user-space driver (`snicctl
# rx`, writing a pcap), with 10 and with 1024 ternary rules installed. The
# simulator reports the span in which frames moved (its "traffic:" line);
# the figures go into docs/benchmarks-sim.md between the bench-sim markers.
#   bench_sim.sh [FRAMES]
set -eu
. "$(dirname "$0")/lib.sh"
frames=${1:-100000}
tmp=$(mktemp -d /tmp/snic-bsim.XXXXXX)
sim=
cleanup() { [ -n "$sim" ] && kill "$sim" 2>/dev/null; rm -rf "$tmp" /dev/shm/snic-bsim-$$*; }
trap cleanup EXIT
page=$top/docs/benchmarks-sim.md

"$bin/gen_seq" "$tmp/in.pcap" --count "$frames" --src 02:aa:00:00:00:01 \
	--dst 02:00:00:00:00:01 --len 64 >/dev/null

# run RULES: one pass; prints the simulator's traffic figures
run() {
	local rules=$1 w=/dev/shm/snic-bsim-$$-$1 d=$tmp/r$1
	mkdir -p "$d"
	"$bin/snic-sim" --profile large --window "$w" --uplink "0:$tmp/in.pcap" \
		--exit-when-idle --timeout 600 >"$d/sim.log" 2>&1 &
	sim=$!
	wait_up "$w"
	local ctl="$bin/snicctl -d $w"
	$ctl vnic add --id 1 --mac 02:00:00:00:00:01 >/dev/null
	# rules ahead of the VNIC's MAC entry that these frames miss (other
	# destination ports), so the engine holds a full table
	for ((i = 0; i < rules - 1; i++)); do
		$ctl rule add --loc "$i" --proto udp --dport $((20000 + i)) --vnic 1 >/dev/null
	done
	$ctl rule add --loc "$((rules - 1))" --dst-mac 02:00:00:00:00:01 --vnic 1 >/dev/null
	receive_all "$w" "$d" "$sim"
	sim=
	local got drops line
	line=$(grep -o 'traffic: .*' "$d/sim.log") || { cat "$d/sim.log" >&2; return 1; }
	got=$("$bin/pcap_oracle" count "$d/out/vnic1.pcap")
	drops=$(sed -n 's/^snic-sim: [0-9]* frames delivered to rings, \([0-9]*\) dropped$/\1/p' "$d/sim.log")
	# The host may not keep up (ring full, counted); nothing may vanish.
	[ "$((got + drops))" -eq "$frames" ] ||
		{ echo "bench-sim: VNIC 1 got $got, $drops counted drops, of $frames frames" >&2; return 1; }
	echo "$line received $got"
}

load0=$(cut -d' ' -f1 /proc/loadavg)
r10=$(run 10)
echo "10 rules: $r10"
r1024=$(run 1024)
echo "1024 rules: $r1024"

# fig LINE: "frames seconds fps ratio received"
fig() { sed -E 's/traffic: ([0-9]+) frames .* in ([0-9.]+) s wall, [0-9.]+ ms virtual: ([0-9]+) frames per wall second, virtual\/wall ([0-9.]+) received ([0-9]+)/\1 \2 \3 \4 \5/' <<<"$1"; }
row() { # row RULES LINE
	local rules=$1 slow
	set -- $(fig "$2")
	slow=$(echo "148809524 / $3" | bc)
	printf '| %s | %s | %s s | %s | %sx | %s |\n' "$rules" "$1" "$2" "$3" "$slow" "$5"
}
out=$tmp/section.md
{
echo "<!-- bench-sim:begin (written by make bench-sim: tests/e2e/bench_sim.sh) -->"
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores (load average $load0 at the start)."
echo "$frames 64-byte frames from a pcap on uplink 0, large profile, one VNIC"
echo "with a dedicated ring, received by \`snicctl rx\` into a pcap; wall time"
echo "from the first frame the simulator moved to the last. The device runs on"
echo "its virtual clock as fast as it can; a host that falls behind loses"
echo "frames to a full ring, counted (\`ring_full\`): received + counted drops"
echo "= frames is checked. 100 GbE carries 148.8 M such frames per second."
echo
echo "| ternary rules installed | frames | wall | frames per wall second | slower than 100 GbE line rate | received by the host |"
echo "|---:|---:|---:|---:|---:|---:|"
row 10 "$r10"
row 1024 "$r1024"
echo "<!-- bench-sim:end -->"
} >"$out"
[ -f "$page" ] || printf '# Simulator benchmarks (measured)\n\nThe whole NIC simulated end to end, on the wall clock.\n' >"$page"
"$top/tools/doc_section.sh" "$page" bench-sim "$out"
cat "$out"
