#!/usr/bin/env bash
# A figure on the virtual clock must not move with the machine's load.
#
# Two VNICs stream through their TX shapers on one simulated card in
# lockstep (snic-sim --lockstep): once on an idle machine, once while
# busy loops (two per core) compete with the host processes. The
# uplink-out pcaps carry the device's own timestamps: both runs must give
# every frame the same time, counted from the stream's first frame (the
# streams start when the host gets to them), so every rate derived from
# them is identical. The hog's effect on the host is shown: the wall time of each
# run and how often the clock waited for the host.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d /tmp/snic-det.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp" /dev/shm/snic-det-$$-*; }
trap cleanup EXIT
echo "1..5"

# name uplink len rate burst
cases=("64B 0 64 4000000 4096" "1024B 1 1024 200000000 40000")
for c in "${cases[@]}"; do
	read -r name up len rate burst <<<"$c"
	"$bin/gen_seq" "$tmp/$name.pcap" --count 3000 --src "02:de:00:00:00:0$up" \
		--dst 02:bb:00:00:00:01 --len "$len"
done

run() { # run TAG: one card, both streams; pcaps in $tmp/TAG-upN.pcap
	local tag=$1 w=/dev/shm/snic-det-$$-$1 t0 txp=()
	t0=$(date +%s.%N)
	"$bin/snic-sim" --profile large --window "$w" --lockstep \
		--uplink-out "0:$tmp/$tag-up0.pcap" --uplink-out "1:$tmp/$tag-up1.pcap" \
		--timeout 120 >"$tmp/sim-$tag.log" 2>&1 &
	local sim=$!
	pids+=("$sim")
	wait_up "$w" || return 1
	local ctl="$bin/snicctl -d $w"
	for c in "${cases[@]}"; do
		read -r name up len rate burst <<<"$c"
		$ctl vnic add --id "$((up + 1))" --mac "02:de:00:00:00:0$up" --uplink "$up" >/dev/null &&
			$ctl port up "$up" >/dev/null &&
			$ctl vnic rate "$((up + 1))" --avg "$rate" --burst "$burst" >/dev/null || return 1
	done
	for c in "${cases[@]}"; do
		read -r name up _ <<<"$c"
		$ctl --timeout 120000 tx --vnic "$((up + 1))" --pcap "$tmp/$name.pcap" \
			>"$tmp/tx-$tag-$name.log" 2>&1 &
		txp+=($!)
	done
	local ok=0
	for p in "${txp[@]}"; do wait "$p" || ok=1; done
	kill -TERM "$sim"
	wait "$sim" 2>/dev/null
	echo "# $tag: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}') s wall;" \
		"$(grep -o 'waited for the host in [0-9]* loop turns' "$tmp/sim-$tag.log")"
	return $ok
}

check "idle machine: both streams sent" run quiet
hogs=()
for _ in $(seq 1 $((2 * $(nproc)))); do
	sh -c 'while :; do :; done' &
	hogs+=($!)
done
pids+=("${hogs[@]}")
check "under $((2 * $(nproc))) busy loops: both streams sent" run hog
kill "${hogs[@]}" 2>/dev/null

# rel PCAP: each frame's device time in ns since the first frame, and its
# summary line.
rel() {
	tcpdump -nn -tt --time-stamp-precision=nano -r "$1" 2>/dev/null | awk '
		/^[0-9]/ { split($1, t, "."); if (!n++) { s = t[1]; ns = t[2] }
			   $1 = sprintf("%.0f", (t[1] - s) * 1e9 + (t[2] - ns)); print }'
}
for up in 0 1; do
	rel "$tmp/quiet-up$up.pcap" >"$tmp/quiet-up$up.txt"
	rel "$tmp/hog-up$up.pcap" >"$tmp/hog-up$up.txt"
	check "uplink $up: every frame at the same device time under load ($(wc -l <"$tmp/hog-up$up.txt") frames)" \
		sh -c "[ -s '$tmp/quiet-up$up.txt' ] && diff -q '$tmp/quiet-up$up.txt' '$tmp/hog-up$up.txt' >/dev/null"
done
frames=$("$bin/seq_check" order "$tmp/hog-up1.pcap" 3000 2>&1)
check "the stream under load is whole and in order ($frames)" \
	quiet "$bin/seq_check" order "$tmp/hog-up1.pcap" 3000
