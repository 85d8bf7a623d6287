#!/usr/bin/env bash
# Firmware update end to end: snicctl flash against snic-sim --flash.
# Bad images (corrupt, truncated, wrong ABI) are refused before the device
# is touched; good ones land in the spare slot and boot; an image that
# cannot boot rolls back to the previous slot; the flash file persists.
set -u
. "$(dirname "$0")/lib.sh"
img0=$build/rv32/snic-fw.img
elf=$build/rv32/snic-fw.elf
tmp=$(mktemp -d /tmp/snic-flash.XXXXXX)
win=/dev/shm/snic-flash-$$
flash=$tmp/flash.bin
sim_pid=
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$tmp" "$win" "$win".*; }
trap cleanup EXIT

echo "1..19"
ctl() { SNIC_DEV=$win "$bin/snicctl" --timeout 5000 "$@"; }

start_sim() { # start_sim [--flash FILE]
	rm -f "$win" # never mistake the previous run's halted window for the new one
	"$bin/snic-sim" --window "$win" --timeout 120 --quiet "$@" >"$tmp/sim.log" 2>&1 &
	sim_pid=$!
	wait_up "$win" --timeout 5000 && return 0
	echo "# simulator did not come up"; cat "$tmp/sim.log"
}
stop_sim() { kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; sim_pid=; }

status_field() { # status_field PY-EXPR -> value from snicctl --json flash status
	ctl --json flash status | python3 -c "import json,sys; s=json.load(sys.stdin); print($1)"
}

# Images: the real cross-built firmware, and variants made with snic-fwimg.
"$bin/snic-fwimg" build --elf "$elf" --out "$tmp/v2.img" --objcopy riscv64-unknown-elf-objcopy \
	--version 0.2.0 --build "e2e v2" >/dev/null
"$bin/snic-fwimg" build --elf "$elf" --out "$tmp/abi2.img" --objcopy riscv64-unknown-elf-objcopy \
	--version 0.3.0 --abi 2.0 >/dev/null
head -c 4000 /dev/urandom >"$tmp/payload.bin"
# Valid image, but its bss does not fit the core's 512 KiB RAM: fails at boot.
"$bin/snic-fwimg" pack --payload "$tmp/payload.bin" --out "$tmp/huge.img" \
	--load-addr 0x80000000 --entry 0x80000000 --text-size 4000 --bss 0x100000 \
	--version 0.9.0 >/dev/null
flip() { # flip FILE OFFSET: invert one byte in place
	python3 -c 'import sys; f=open(sys.argv[1],"r+b"); o=int(sys.argv[2]); f.seek(o); b=f.read(1); f.seek(o); f.write(bytes([b[0]^0xff]))' "$1" "$2"
}
cp "$img0" "$tmp/corrupt.img"
flip "$tmp/corrupt.img" 2000
head -c $(( $(stat -c %s "$img0") - 100 )) "$img0" >"$tmp/trunc.img"

# A simulator without a flash says so.
start_sim
out=$(ctl flash "$img0" 2>&1); rc=$?
check "a device without flash refuses with a clear error" \
	test "$rc" -eq 1 -a -n "$(echo "$out" | grep 'has no flash')"
stop_sim

start_sim --flash "$flash"
check "fresh flash: the built-in firmware runs, both slots empty" \
	test "$(status_field '(s["running"], [x["state"] for x in s["slots"]])')" = "(None, ['empty', 'empty'])"
boots=$(status_field 's["boot_count"]')

out=$(ctl flash "$tmp/corrupt.img" 2>&1); rc=$?
check "a corrupt image is refused" test "$rc" -eq 1 -a -n "$(echo "$out" | grep 'corrupt (CRC mismatch)')"
out=$(ctl flash "$tmp/trunc.img" 2>&1); rc=$?
check "a truncated image is refused" test "$rc" -eq 1 -a -n "$(echo "$out" | grep 'truncated')"
out=$(ctl flash "$tmp/abi2.img" 2>&1); rc=$?
check "a wrong-ABI image is refused" test "$rc" -eq 1 -a -n "$(echo "$out" | grep 'built for ABI 2.0')"
out=$(ctl flash /nonexistent.img 2>&1); rc=$?
check "a missing file is refused" test "$rc" -eq 1 -a -n "$(echo "$out" | grep 'No such file')"
check "refused images never reached the device" \
	test "$(status_field '(s["boot_count"], [x["state"] for x in s["slots"]])')" = "($boots, ['empty', 'empty'])"

out=$(ctl flash "$img0" 2>&1); rc=$?
check "the built firmware flashes into slot 0 and boots" \
	test "$rc" -eq 0 -a -n "$(echo "$out" | grep 'slot 0 now running firmware 0.1.0')"
check "the device reports the booted image in its FW block" \
	test -n "$(ctl --json caps | python3 -c 'import json,sys; d=json.load(sys.stdin)["device"]; print("y" if d["fw_slot"]==0 and d["fw_build"]=="snic-fw rv32imac" else "")')"

out=$(ctl flash "$tmp/v2.img" 2>&1); rc=$?
check "a second image goes to slot 1 and boots" \
	test "$rc" -eq 0 -a -n "$(echo "$out" | grep 'slot 1 now running firmware 0.2.0')"
check "slot 0 keeps the previous image" \
	test "$(status_field '(s["running"], s["active"], s["slots"][0]["version"], s["last_event"])')" = "(1, 1, '0.1.0', 'updated')"

out=$(ctl flash "$tmp/huge.img" 2>&1); rc=$?
check "an image that cannot boot is reported as rolled back" \
	test "$rc" -eq 1 -a -n "$(echo "$out" | grep 'did not boot; the device rolled back to slot 1')"
check "after the rollback slot 1 runs again, event recorded" \
	test "$(status_field '(s["running"], s["active"], s["trial"], s["last_event"], s["event_slot"])')" = "(1, 1, None, 'rolled_back', 0)"

# A committed image damaged in flash before the reboot (a failing cell).
out=$(ctl flash --no-reboot "$img0" 2>&1); rc=$?
check "--no-reboot writes the spare slot and leaves a trial pending" \
	test "$rc" -eq 0 -a "$(status_field '(s["running"], s["trial"])')" = "(1, 0)"
flip "$flash" $((4096 + 96 + 1000))
out=$(ctl flash reboot 2>&1); rc=$?
check "a trial image damaged in flash rolls back on reboot" \
	test "$rc" -eq 1 -a "$(status_field '(s["running"], s["last_event"], s["slots"][0]["state"])')" = "(1, 'rolled_back', 'invalid')"

check "the device still works after all that" \
	test -n "$(ctl vnic add --mac 02:00:00:00:00:42 2>&1 | grep -i 'vnic')"

# The flash outlives the simulator.
stop_sim
start_sim --flash "$flash"
check "a restarted simulator boots the default slot from its flash file" \
	test "$(status_field '(s["running"], s["slots"][1]["version"])')" = "(1, '0.2.0')"
stop_sim
head -c 1000 /dev/zero >"$tmp/bad-flash.bin"
"$bin/snic-sim" --window "$win" --timeout 5 --quiet --flash "$tmp/bad-flash.bin" >"$tmp/sim2.log" 2>&1
rc=$?
check "a flash file of the wrong size is refused" \
	test "$rc" -ne 0 -a -n "$(grep 'a snic flash is' "$tmp/sim2.log")"

out=$("$bin/snic-fwimg" verify "$tmp/corrupt.img" 2>&1); rc=$?
check "snic-fwimg verify names the problem" test "$rc" -eq 1 -a -n "$(echo "$out" | grep 'CRC mismatch')"
