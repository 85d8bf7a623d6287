#!/usr/bin/env bash
# The firmware image's own start-up (start.S, snic-fw.ld, fw_main, the
# RISC-V HAL, the core) boots on rv32 under qemu-system-riscv32: built with
# the RAM stand-in of the memory map, fed the hardware's registers by
# QEMU's generic loader, then read back through the QEMU monitor: the
# device window must show a running snic device whose heartbeat moves.
#   test_fw_boot.sh STANDIN.elf STANDIN-REGS.bin
set -u
elf=$1 regs=$2
tmp=$(mktemp -d /tmp/snic-fwboot.XXXXXX)
qpid=
cleanup() { [ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
echo "1..4"

qemu-system-riscv32 -M virt -m 256M -bios none -display none -serial none \
	-monitor "unix:$tmp/mon,server,nowait" -kernel "$elf" \
	-device loader,file="$regs",addr=0x8c000000,force-raw=on </dev/null >"$tmp/qemu.log" 2>&1 &
qpid=$!

python3 - "$tmp" <<'PY'
import socket, struct, sys, time, os
tmp = sys.argv[1]
mon = os.path.join(tmp, "mon")
for _ in range(100):
    if os.path.exists(mon):
        break
    time.sleep(0.05)
s = socket.socket(socket.AF_UNIX)
s.connect(mon)
s.settimeout(5)
def cmd(c):
    s.sendall((c + "\n").encode())
    time.sleep(0.2)
    try:
        s.recv(65536)
    except socket.timeout:
        pass
def devid(name):
    path = os.path.join(tmp, name)
    cmd(f'pmemsave 0x8d000000 64 "{path}"')
    for _ in range(50):
        if os.path.exists(path) and os.path.getsize(path) == 64:
            break
        time.sleep(0.05)
    return open(path, "rb").read()
# Poll until the device says RUNNING (or give up after 20 s: a loaded
# machine runs QEMU slowly), then look again for the heartbeat.
deadline = time.time() + 20
k = 0
while True:
    k += 1
    a = devid("a%d.bin" % k)
    if struct.unpack_from("<I", a, 28)[0] == 2 or time.time() > deadline:
        break
    time.sleep(0.2)
time.sleep(0.5)
b = devid("b.bin")
cmd("quit")
n = 0
def check(name, ok):
    global n
    n += 1
    print(("ok" if ok else "not ok"), n, "-", name)
btype, = struct.unpack_from("<I", a, 0)
magic, amaj, amin, wsize, state, hb1 = struct.unpack_from("<IHHIII", a, 16)
hb2, = struct.unpack_from("<I", b, 32)
check("the image booted and laid out the device window (devid block, magic)",
      btype == 1 and magic == 0x43494e53)
check("ABI and window size as the hardware described them", amaj == 1 and wsize == 16 << 20)
check("the device state is RUNNING", state == 2)
check("the main loop runs (heartbeat moved %d -> %d)" % (hb1, hb2), hb2 != hb1)
PY
