# Sourced by tests/e2e/fault_campaign.sh (not a test itself): results,
# device snapshots and the simulator's own accounting.
# shellcheck shell=bash

# put NAME KEY=VALUE...: append result lines to $res/NAME.txt.
put() {
	local f=$res/$1.txt
	shift
	printf '%s\n' "$@" >>"$f"
}
# get NAME KEY: a result stored by put (the last one).
get() { sed -n "s/^$2=//p" "$res/$1.txt" 2>/dev/null | tail -1; }

# dev_time WINDOW: the device's clock (ns), virtual time.
dev_time() {
	"$bin/snicctl" -d "$1" --json stats |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["device_time_ns"])'
}

# snapshot WINDOW: what the device holds, one line per object, read back
# from the device (VNICs with their MACs from `vnic l2`; every rule the
# host mirror names, queried at its location, hit counter left out; every
# VNIC's bandwidth share) plus the meters the host mirror holds (the
# device has no meter query: the shaper is checked by its rate).
snapshot() {
	local w=$1 ctl="$bin/snicctl -d $1 --json"
	{
		echo "== l2"; $ctl vnic l2
		echo "== state"; $ctl state
		for loc in $($ctl state | python3 -c \
			'import json,sys; print(" ".join(str(r["loc"]) for r in json.load(sys.stdin)["rules"]))'); do
			echo "== rule $loc"; $ctl rule show "$loc" || echo '{"loc": '"$loc"', "missing": true}'
		done
		for v in $($ctl vnic l2 | python3 -c \
			'import json,sys; print(" ".join(str(x["vnic"]) for x in json.load(sys.stdin)))'); do
			echo "== share $v"; $ctl vnic share "$v"
		done
	} 2>/dev/null | python3 "$top/tests/e2e/fault_snap.py"
}

# past_w NS: the device clock of window $w passed NS.
past_w() { [ "$(dev_time "$w")" -ge "$1" ]; }

# sim_total LOG KEY: from snic-sim's exit summary: delivered, dropped,
# drop_REASON, up0_rx (frames taken from uplink 0's input), up0_tx.
sim_total() {
	case $2 in
	delivered) sed -n 's/^snic-sim: \([0-9]*\) frames delivered.*/\1/p' "$1" ;;
	dropped) sed -n 's/^snic-sim: .* delivered to rings, \([0-9]*\) dropped/\1/p' "$1" ;;
	drop_*) sed -n "s/^snic-sim:   drop ${2#drop_} *\([0-9]*\)$/\1/p" "$1" ;;
	up*_rx) sed -n "s/^snic-sim:   uplink ${2:2:1}: \([0-9]*\)\/.*/\1/p" "$1" ;;
	up*_tx) sed -n "s/^snic-sim:   uplink ${2:2:1}: .* received, \([0-9]*\) sent.*/\1/p" "$1" ;;
	esac | awk '{s += $1} END {print s + 0}'
}

# sim_drops LOG: "reason=N ..." of every drop reason the simulator counted.
sim_drops() {
	sed -n 's/^snic-sim:   drop \([a-z_]*\) *\([0-9]*\)$/\1=\2/p' "$1" | tr '\n' ' ' | sed 's/ $//'
}

# until_ok SECONDS COMMAND...: poll COMMAND every 100 ms, SECONDS of wall
# time at most.
until_ok() {
	local end=$((SECONDS + $1))
	shift
	while [ "$SECONDS" -lt "$end" ]; do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# in_pct VALUE TARGET PCT: VALUE within PCT % of TARGET.
in_pct() { [ "${1:-0}" -ge $(($2 - $2 * $3 / 100)) ] && [ "${1:-0}" -le $(($2 + $2 * $3 / 100)) ]; }

# tx_span WINDOW VNIC DIR: VNIC (MAC 02:fa:00:00:00:0VNIC) sends 600
# frames of 1000 bytes; prints "FROM TO", the device times around it, the
# first 50 ms (the bucket's burst) left out. pcap_rate reads the capture
# once the simulator has stopped (it writes the file buffered).
tx_span() {
	local ts
	"$bin/gen_seq" "$3/tx$2.pcap" --count 600 --src "02:fa:00:00:00:0$2" \
		--dst 02:bb:00:00:00:01 --len 1000
	ts=$(dev_time "$1")
	"$bin/snicctl" -d "$1" --timeout 60000 tx --vnic "$2" --pcap "$3/tx$2.pcap" >"$3/tx$2.log" 2>&1
	echo "$((ts + 50000000)) $(dev_time "$1")"
}
# pcap_rate PCAP FROM TO: bit/s of the frames captured between FROM and TO.
pcap_rate() { python3 "$top/tests/e2e/fault_pcap.py" rate "$@" | sed -n 's/^bps=//p'; }

# admin_lock WINDOW: the ADMIN block's lock word (0: free; else the tag of
# the agent holding the queue), read from the window file.
admin_lock() {
	python3 - "$1" <<'PY'
import struct, sys
w = open(sys.argv[1], "rb").read(1 << 20)
at = 0
while True:
    typ, _, _, nxt, _ = struct.unpack_from("<IHHII", w, at)
    if typ == 3:                      # SNIC_BLK_ADMIN: lock after 64 bytes + 2 words
        print(struct.unpack_from("<I", w, at + 72)[0])
        break
    if not nxt:
        sys.exit("no ADMIN block")
    at = nxt
PY
}

# mirror_vs_device WINDOW LOCS: the host mirror's VNICs (id, MAC) and rules
# (location, target) against the device's (`vnic l2`, `rule show` at each
# of the locations 0..LOCS-1); prints one line per difference.
mirror_vs_device() {
	local ctl="$bin/snicctl -d $1 --json" loc
	{
		$ctl state | python3 -c 'import json,sys
s = json.load(sys.stdin)
for v in s["vnics"]: print("vnic", v["vnic"], v["mac"])
for r in s["rules"]: print("rule", r["loc"], r.get("vnic"))' | sort >"$tmp/mirror"
		$ctl vnic l2 | python3 -c 'import json,sys
for v in json.load(sys.stdin): print("vnic", v["vnic"], v["mac"])'
		for loc in $(seq 0 $(($2 - 1))); do
			$ctl rule show "$loc" 2>/dev/null | python3 -c 'import json,sys
r = json.load(sys.stdin); print("rule", r["loc"], r["action"]["vnic"])'
		done
	} 2>/dev/null | sort >"$tmp/device"
	diff "$tmp/mirror" "$tmp/device" | grep '^[<>]'
}
