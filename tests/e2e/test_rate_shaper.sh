#!/usr/bin/env bash
# Per-VNIC transmit shapers, measured on the simulator's virtual clock.
#
# Each VNIC gets a shaper (snicctl vnic rate) and a backlog of gen_seq
# frames (snicctl tx keeps its TX ring full). The rate is measured from the
# device's own timestamps in the uplink-out pcap (virtual time, not wall
# time) over more than 1 s of simulated time, past the initial burst, by
# seq_check (independent arithmetic): within 0.5 %, and no window of any
# length carries more than burst + rate * t (and peak_burst + peak * t).
# Frames of 64 to 2048 bytes on the "large" card, 9216 on "jumbo".
# bench_rate.sh reuses it: RATE_CASES_FILE replaces the case list (one
# case per line, each profile/uplink pair at most once), RATE_SCALE=N
# stretches every run N times.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d /tmp/snic-rate.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp" /dev/shm/snic-rate-$$-*; }
trap cleanup EXIT
scale=${RATE_SCALE:-1}

# name profile uplink len rate_bps burst wire peak_bps peak_burst
# Bursts of 200 ms at the rate: the host is wall-clock driven and may be
# descheduled on a busy machine; tokens saved while its ring runs dry are
# spent afterwards, so the average rate does not depend on it.
cases=(
	"64B    large 0   64   10000000   250000 l2   0        0"
	"1500B  large 1 1500  100000000  2500000 wire 0        0"
	"512B   large 2  512   40000000  1000000 wire 80000000 2072"
	"2048B  large 3 2048  200000000  5000000 l2   0        0"
	"9216B  jumbo 0 9216  100000000  2500000 wire 0        0"
	"64Bmin jumbo 1   64    1000000    25000 wire 0        0"
	"4000B  jumbo 2 4000  300000000  7500000 l2   0        0"
)
if [ -n "${RATE_CASES_FILE:-}" ]; then
	mapfile -t cases < <(grep -v '^#' "$RATE_CASES_FILE" | grep .)
fi
profiles=$(printf '%s\n' "${cases[@]}" | awk '{print $2}' | sort -u)
echo "1..$(( ${#cases[@]} * 2 + 2 ))"

start() { # start PROFILE: window /dev/shm/snic-rate-PID-PROFILE, outputs $tmp/PROFILE-upN.pcap
	local w=/dev/shm/snic-rate-$$-$1 outs=()
	for u in 0 1 2 3; do outs+=(--uplink-out "$u:$tmp/$1-up$u.pcap"); done
	# --lockstep: a host starved by a loaded machine changes nothing here.
	"$bin/snic-sim" --profile "$1" --window "$w" --lockstep "${outs[@]}" --timeout $((60 * scale)) \
		>"$tmp/sim-$1.log" 2>&1 &
	pids+=($!)
	wait_up "$w"
}
declare -A win sim
for prof in $profiles; do
	start "$prof"
	sim[$prof]=${pids[-1]}
	win[$prof]=/dev/shm/snic-rate-$$-$prof
done

# Frames for the initial burst plus 1.45 s (x scale) at each case's rate:
# count = (burst + rate * T / 8) / cost. The first 300 ms (the burst and
# its tail) are not measured.
txpids=()
i=0
for c in "${cases[@]}"; do
	read -r name prof up len rate burst acct peak pburst <<<"$c"
	i=$((i + 1))
	w=${win[$prof]}
	mac=$(printf '02:aa:00:00:00:%02x' "$i")
	cost=$len; [ "$acct" = wire ] && cost=$(( (len < 60 ? 60 : len) + 24 ))
	count=$(( (burst + rate / 8 * 145 * scale / 100) / cost + 1 ))
	"$bin/gen_seq" "$tmp/$name.pcap" --count "$count" --src "$mac" --dst 02:bb:00:00:00:01 \
		--len "$len"
	ctl="$bin/snicctl -d $w"
	$ctl vnic add --id "$i" --mac "$mac" --uplink "$up" >/dev/null
	$ctl port up "$up" >/dev/null
	opts=(--avg "$rate" --burst "$burst")
	[ "$acct" = wire ] && opts+=(--wire)
	[ "$peak" != 0 ] && opts+=(--peak "$peak" --peak-burst "$pburst")
	$ctl vnic rate "$i" "${opts[@]}" >"$tmp/$name.rate" 2>&1 || cat "$tmp/$name.rate" >&2
	$ctl --timeout $((120000 * scale)) tx --vnic "$i" --pcap "$tmp/$name.pcap" \
		>"$tmp/$name.tx" 2>&1 &
	txpids+=($!)
done
txok=0
for p in "${txpids[@]}"; do wait "$p" || txok=1; done
check "every backlog was sent through its shaper" test "$txok" -eq 0
kill -TERM "${sim[@]}" 2>/dev/null
wait "${sim[@]}" 2>/dev/null
check "no frame was dropped on the way" \
	test -z "$(grep -h 'drop ' "$tmp"/sim-*.log)"

i=0
for c in "${cases[@]}"; do
	read -r name prof up len rate burst acct peak pburst <<<"$c"
	i=$((i + 1))
	mac=$(printf '02:aa:00:00:00:%02x' "$i")
	args=(--src "$mac" --rate "$rate" --burst "$burst" --skip-ns 300000000 --min-span-ns 1000000000)
	[ "$acct" = wire ] && args+=(--wire)
	[ "$peak" != 0 ] && args+=(--peak "$peak" --peak-burst "$pburst")
	res=$("$bin/seq_check" rate "$tmp/$prof-up$up.pcap" "${args[@]}")
	rc=$?
	echo "# $name $prof $acct rate $rate: $res"
	check "$name frames at $rate bit/s ($acct): within 0.5 % over >= 1 s, burst conformant" \
		test "$rc" -eq 0
	count=$(awk '/frames queued/{print $3}' "$tmp/$name.tx")
	check "$name: every frame left in order" \
		sh -c "'$bin/seq_check' order '$tmp/$prof-up$up.pcap' '$count' >/dev/null"
done
