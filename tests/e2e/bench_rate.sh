#!/usr/bin/env bash
# make bench-rate: TX shaper accuracy over a sweep of frame sizes and rates
# on the simulator's virtual clock (test_rate_shaper.sh does the work: the
# burst plus 1.45 s of frames per case, measured from the uplink-out pcap's
# device timestamps after the first 300 ms). Prints a markdown table of measured numbers for
# docs/benchmarks-rate.md; exit status 1 if any case misses 0.5 % or the
# burst bound. RATE_SCALE=N makes every run N times longer.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/snic-bench-rate.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# burst = 200 ms at the rate (host stalls), at least two of the largest frames.
burst() { # burst RATE MAXCOST
	local b=$(( $1 / 8 / 5 ))
	[ "$b" -lt $((2 * $2)) ] && b=$((2 * $2))
	echo "$b"
}
# One round = at most one case per (profile, uplink); rounds run one after another.
rounds=(
	"large 64 1000000 wire|large 64 10000000 l2|large 64 100000000 l2|large 64 1000000000 l2"
	"large 512 10000000 wire|large 512 100000000 l2|large 512 1000000000 wire|large 1500 1000000000 l2"
	"large 1500 10000000 wire|large 1500 100000000 l2|large 2048 1000000000 wire|large 2048 10000000000 l2"
	"jumbo 9216 1000000 l2|jumbo 9216 100000000 wire|jumbo 9216 1000000000 l2|jumbo 9216 10000000000 wire"
	"jumbo 65 5000000 wire|jumbo 4096 400000000 l2|jumbo 1024 1000000000 wire|jumbo 8000 2000000000 l2"
)
echo "| profile | frame B | accounting | rate bit/s | burst B | frames measured | span s | measured bit/s | error % | max excess over burst+rate*t |"
echo "|---|---|---|---|---|---|---|---|---|---|"
fail=0
for round in "${rounds[@]}"; do
	IFS='|' read -ra cs <<<"$round"
	: >"$tmp/cases"
	up=0
	for c in "${cs[@]}"; do
		read -r prof len rate acct <<<"$c"
		max=2048; [ "$prof" = jumbo ] && max=9216
		[ "$acct" = wire ] && max=$((max + 24))
		echo "${len}B_$up $prof $up $len $rate $(burst "$rate" "$max") $acct 0 0" >>"$tmp/cases"
		up=$((up + 1))
	done
	RATE_CASES_FILE=$tmp/cases "$top/tests/e2e/test_rate_shaper.sh" >"$tmp/out" 2>&1
	grep -q '^not ok' "$tmp/out" && fail=1
	while read -r name prof up len rate b acct _; do
		line=$(grep "^# $name $prof $acct rate $rate:" "$tmp/out")
		set -- $(echo "$line" | sed 's/.*: //')
		# frames N span_ns S rate_bps R error_pct E excess_bytes X
		if [ "${1:-}" = frames ]; then
			span=$(awk -v s="$4" 'BEGIN{printf "%.3f", s/1e9}')
			echo "| $prof | $len | $acct | $rate | $b | $2 | $span | $6 | $8 | ${10} |"
		else
			echo "| $prof | $len | $acct | $rate | $b | - | - | - | - | not measured: ${line#*: } |"
			fail=1
		fi
	done <"$tmp/cases"
	grep -E '^not ok' "$tmp/out" | sed 's/^/<!-- /; s/$/ -->/'
done
exit $fail
