#!/usr/bin/env python3
"""Write the seed inputs of the fuzz targets into fuzz/corpus/<target>/.

Seeds are small, valid examples of each input format (frames, rule
words, records, images, pcap files, JSON); the fuzzer mutates from them.
Run again after changing a format; regression inputs (crashes found and
fixed) live next to the seeds as regress-* files and are not touched here.
"""
import os, struct, sys, zlib

top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, data):
    d = os.path.join(top, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


D, S = mac("02:00:00:00:00:01"), mac("02:00:00:00:00:99")


def eth(et, payload, tags=()):
    h = D + S
    for tpid, tci in tags:
        h += struct.pack(">HH", tpid, tci)
    return h + struct.pack(">H", et) + payload


def ipv4(proto, l4, tos=0, frag=0):
    total = 20 + len(l4)
    return struct.pack(">BBHHHBBH4s4s", 0x45, tos, total, 1, frag, 64, proto, 0,
                       bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + l4


def ipv6(nh, payload):
    return struct.pack(">IHBB16s16s", 0x60000000, len(payload), nh, 64,
                       bytes(15) + b"\1", bytes(15) + b"\2") + payload


TCP = struct.pack(">HHIIHHHH", 1234, 80, 0, 0, 0x5000, 0, 0, 0)
UDP = struct.pack(">HHHH", 53, 5353, 8, 0)
ICMP = struct.pack(">BBHI", 8, 0, 0, 0)
ARP = struct.pack(">HHBBH6s4s6s4s", 1, 0x800, 6, 4, 1, S, b"\x0a\0\0\1", bytes(6), b"\x0a\0\0\2")
FRAMES = {
    "tcp4": eth(0x800, ipv4(6, TCP)),
    "udp4-vlan": eth(0x800, ipv4(17, UDP), [(0x8100, 100)]),
    "icmp4-frag": eth(0x800, ipv4(1, ICMP, frag=0x2000)),
    "arp-qinq": eth(0x806, ARP, [(0x88a8, 10), (0x8100, 20)]),
    "tcp6-hbh": eth(0x86dd, ipv6(0, struct.pack(">BB6s", 6, 0, bytes(6)) + TCP)),
    "udp6": eth(0x86dd, ipv6(17, UDP)),
    "short": eth(0x800, b"\x45\0"),
}


def frame_seeds():
    for n, f in FRAMES.items():
        put("parse", n, b"\0\0" + f)
    # One rule on the destination MAC (valid: action.rsvd bit 0).
    key = bytearray(64)
    key[2:8] = D
    mask = bytearray(64)
    mask[2:8] = b"\xff" * 6
    act = struct.pack("<HHHBB", 3, 0xffff, 0xffff, 0, 1)
    put("parse", "rule-dmac", b"\1\1" + bytes(key) + bytes(mask) + act + FRAMES["tcp4"])


def args_seeds():
    # Selector byte, then NUL-separated words (fuzz_args.c).
    seeds = {
        "mac": (0, ["02:00:00:00:00:01"]), "macmask": (1, ["02:00:00:00:00:00/ff:ff:ff:00:00:00"]),
        "ip": (2, ["10.0.0.1"]), "prefix": (3, ["10.0.0.0/24"]), "uint": (4, ["0x1f"]),
        "proto": (5, ["tcp"]), "rate": (6, ["2.5G"]), "bytes": (7, ["64Ki"]),
        "ethtool": (8, "flow-type tcp4 dst-ip 10.0.0.2 dst-port 80 action 3 loc 5".split()),
        "ethtool6": (8, "flow-type udp6 src-ip 2001:db8::1 m ::ff action -1".split()),
        "opts": (9, "--dmac 02:00:00:00:00:01 --vlan 100 --vnic 2 --loc 7".split()),
        "opts-ip": (9, "--dip 10.0.0.0/8 --proto udp --dport 53 --drop".split()),
    }
    for n, (sel, words) in seeds.items():
        put("args", n, bytes([sel]) + b"\0".join(w.encode() for w in words))


def verbs_seeds():
    # ibv_flow_attr (20 bytes) + specs: eth (40), ipv4 (24), tcp (16), tag (12).
    def attr(n, size, prio=1):
        return struct.pack("<IIHHBBxxI", 0, 0, size, prio, n, 1, 0)
    eth_s = struct.pack("<IH", 0x20, 40) + D + b"\0\0" + struct.pack("<H", 0) + bytes(6) + \
        b"\xff" * 6 + bytes(10)
    ip4_s = struct.pack("<IH2x", 0x30, 24) + bytes([10, 0, 0, 1, 10, 0, 0, 2]) + b"\xff" * 8
    tcp_s = struct.pack("<IHHHHH", 0x40, 16, 0, 80, 0, 0xffff) + bytes(2)
    tag_s = struct.pack("<IHxxI", 0x1000, 12, 2)
    specs = eth_s + ip4_s + tcp_s + tag_s
    put("args", "verbs-eth-ip-tcp-tag", b"\x0a" + attr(4, 20 + len(specs)) + specs)
    put("args", "verbs-eth", b"\x0a" + attr(1, 60) + eth_s)


def fwimg_seeds():
    # A small valid image (header of include/snic/fwimage.h + payload).
    def image(payload, text, load=0x80000000, bss=0x100):
        h = struct.pack("<IHHHHIIIIIIIII44s", 0x57464E53, 1, 96, 1, 0, 0x000100,
                        len(payload), zlib.crc32(payload), load, load, text,
                        len(payload) - text, bss, 0, b"fuzz seed")
        return h + struct.pack("<I", zlib.crc32(h)) + payload
    def bootctl(active, trial):
        w = struct.pack("<8I", 0x43424E53, 1, active, trial, 0xffffffff, 3, 0, 0xffffffff)
        return w + struct.pack("<I", zlib.crc32(w))
    img = image(bytes(range(64)) * 4, 192)
    none = 0xffffffff
    for name, ctl, rec, a, b in [
        ("a-active", 0, bootctl(0, none), img, b""),
        ("b-trial", 0, bootctl(0, 1), img, img),
        ("trial-fails", 8, bootctl(0, 1), img, img),
        ("erased", 0, b"\xff" * 36, b"", img),
        ("fixcrc", 7, bootctl(1, none), img[:100], img),
    ]:
        put("fwimg", name, bytes([ctl]) + struct.pack("<H", len(a)) + rec + a + b)


def pcap_seeds():
    def pcap(frames, magic=0xA1B23C4D, link=1, snap=65535):
        out = struct.pack("<IHHiIII", magic, 2, 4, 0, 0, snap, link)
        for i, f in enumerate(frames):
            out += struct.pack("<IIII", i, 1000 * i, len(f), len(f)) + f
        return out
    put("pcap", "two-frames-ns", pcap([FRAMES["tcp4"], FRAMES["udp6"]]))
    put("pcap", "usec", pcap([FRAMES["arp-qinq"]], magic=0xA1B2C3D4))
    put("pcap", "truncated-record", pcap([FRAMES["tcp4"]])[:-10])
    put("pcap", "not-ethernet", pcap([FRAMES["tcp4"]], link=101))
    put("pcap", "empty-frame", pcap([b""]))


def booking_seeds():
    for name, vnic, rec in [
        ("full", 3, '{"v": 1, "out_bandwidth": "250M", "in_bandwidth": "100M", "cap": "1G", '
                    '"priority": 2, "cpu": 1.5, "comm": "10M", "pipe": "p-1"}'),
        ("vnic-in-record", 0xffff, '{"v":1,"vnic":7,"out_bandwidth":1000000}'),
        ("bad-rate", 1, '{"v":1,"out_bandwidth":"-100"}'),
        ("future", 1, '{"v":2}'),
        ("key", 0xffff, "/snic/bookings/12"),
    ]:
        put("booking", name, struct.pack("<H", vnic) + rec.encode())


def etcd_seeds():
    # Mode 0: a unary reply; mode 1: a watch stream (first byte: chunk size).
    kv = '{"key":"L3NuaWMvYm9va2luZ3MvMQ==","value":"e30=","create_revision":"5",' \
         '"mod_revision":"7","lease":"0"}'
    put("etcd", "range", b"\0" + ('{"header":{"revision":"9"},"kvs":[%s],"count":"1"}' % kv).encode())
    put("etcd", "error", b"\0" + b'{"error":"etcdserver: mvcc: required revision has been compacted","code":11}')
    stream = ('{"result":{"header":{"revision":"9"},"created":true}}'
              '{"result":{"header":{"revision":"10"},"events":[{"kv":%s},{"type":"DELETE","kv":%s}]}}'
              '{"result":{"canceled":true,"cancel_reason":"bye"}}' % (kv, kv))
    put("etcd", "watch", b"\1\x07" + stream.encode())
    put("etcd", "watch-compacted", b"\1\x40" + b'{"result":{"created":true}}{"result":{"compact_revision":"3"}}')


def fw_admin_seeds():
    # Choice bytes for tests/unit/fw_admin_model.h's generator (its first
    # pick per command: <30 create, <42 destroy, <75 rule add, <90 rule
    # delete, <94 garbage, <98 firmware update, else reset), and 0xf7 LEN
    # FRAME for a frame.
    create = bytes([5, 1, 3, 1, 7, 1, 0, 1])        # VNIC 3, vlan 0..., MAC ..:07
    rule = bytes([50, 1, 4, 1, 5, 1, 0, 0, 1, 1, 3])
    put("fw_admin", "create-rule-delete", create + rule + bytes([80, 4]) + bytes([35, 3]))
    put("fw_admin", "frames", create + bytes([0xf7, 60]) + FRAMES["tcp4"] + rule +
        bytes([0xf7, 64]) + FRAMES["udp4-vlan"][:64])
    put("fw_admin", "garbage-reset", bytes([92, 1, 0x20, 7] + list(range(64)) + [99]))
    put("fw_admin", "flash-begin-write", bytes([95, 1, 1, 4, 0, 95, 2, 200] + [1] * 64 + [95, 0]))


def main():
    frame_seeds()
    args_seeds()
    verbs_seeds()
    fwimg_seeds()
    pcap_seeds()
    booking_seeds()
    etcd_seeds()
    fw_admin_seeds()
    for name in sys.argv[1:]:
        globals()[name + "_seeds"]()


if __name__ == "__main__":
    main()
