#!/usr/bin/env bash
# The firmware bench's scenarios as a test: every frame of each scenario
# must be delivered or sent (the figures `make bench-fw` reports are only
# worth something if the trace takes the path it claims to measure).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$("${SNIC_BUILD:-$top/build}/bench/bench_fw_path" 2>&1)
rc=$?
n=0
echo "1..2"
while read -r line; do
	case $line in
	"rx: "*|"rx_s"*) n=$((n + 1)) ;;
	esac
done <<<"$out"
if [ "$rc" -eq 0 ]; then echo "ok 1 - every scenario delivers and sends every frame"
else echo "not ok 1 - a scenario lost frames (exit $rc)"; grep '^bench:\|VNICs' <<<"$out" | sed 's/^/# /'; fi
if [ "$n" -eq 6 ]; then echo "ok 2 - all 6 scenarios ran (4 VNICs dedicated; 4, 16, 64, 256, 1024 shared)"
else echo "not ok 2 - $n of 6 scenarios ran"; fi
