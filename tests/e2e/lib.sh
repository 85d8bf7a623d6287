# Sourced by the end-to-end test scripts (not a test itself): where the
# build is, the TAP `check` helper, and waiting for a simulated card.
# shellcheck shell=bash
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# SNIC_BUILD: another build tree (make test SANITIZE=1 uses build-san).
build=${SNIC_BUILD:-$top/build}
bin=${SNIC_BIN:-$build/bin}

n=0
check() { # check NAME COMMAND...: one TAP line, "ok" when COMMAND succeeds
	n=$((n + 1))
	if "${@:2}"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi
}

# quiet COMMAND...: COMMAND without its output.
quiet() { "$@" >/dev/null; }
# status NAME COMMAND...: prints COMMAND's exit status (NAME only labels it).
status() {
	"${@:2}" >/dev/null 2>&1
	echo $?
}

# wait_up WINDOW [SNICCTL-OPTION...]: until the firmware behind WINDOW
# answers `snicctl caps` (about 10 s at most); 1 if it never did.
wait_up() {
	local w=$1
	shift
	for _ in $(seq 1 200); do
		[ -e "$w" ] && "$bin/snicctl" -d "$w" "$@" caps >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	return 1
}

# wait_log FILE TEXT: until FILE (a background tool's log) contains TEXT.
wait_log() {
	for _ in $(seq 1 200); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# wait_device_time WINDOW NS: until the device's clock passed NS (about 4 s
# at most). The engine takes table writes one per clock behind the
# boot-time clears: rules are in the engine once some device time passed.
wait_device_time() {
	local t
	for _ in $(seq 1 200); do
		t=$("$bin/snicctl" -d "$1" --json stats |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["device_time_ns"])')
		[ "${t:-0}" -gt "$2" ] && return 0
		sleep 0.02
	done
	return 1
}

# receive_all WINDOW DIR SIM_PID: `snicctl rx` into DIR/out (its report in
# DIR/rx.json), uplink 0 up once the rules are in the engine, then until
# the simulator (started with --exit-when-idle) and the receiver are done.
receive_all() {
	local rx
	mkdir -p "$2/out"
	"$bin/snicctl" -d "$1" --json rx --out-dir "$2/out" >"$2/rx.json" 2>"$2/rx.err" &
	rx=$!
	wait_log "$2/rx.err" "buffers posted"
	wait_device_time "$1" 2000000
	"$bin/snicctl" -d "$1" port up 0 >/dev/null
	wait "$3"
	wait "$rx"
}

# receive_idle WINDOW DIR: `snicctl rx` into DIR/out (its log in DIR/rx.log)
# until the traffic has been idle 3 s, uplink 0 up once the rules are in
# the engine; the card stays up (counters can still be read). Start it once
# the VNICs exist, so the idle timeout only runs from the traffic on.
receive_idle() {
	local rx
	# (no mkdir: `snicctl rx` makes its --out-dir itself)
	"$bin/snicctl" -d "$1" rx --out-dir "$2/out" --idle-exit --idle-ms 3000 >"$2/rx.log" 2>&1 &
	rx=$!
	wait_log "$2/rx.log" "buffers posted"
	wait_device_time "$1" 2000000
	"$bin/snicctl" -d "$1" port up 0 >/dev/null
	wait "$rx"
}
