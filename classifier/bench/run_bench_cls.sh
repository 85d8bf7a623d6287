#!/usr/bin/env bash
# make bench-cls: run the classifier bench twice (under callgrind for
# instructions per lookup, natively for ns per lookup) and write the
# measured figures into the page given.
#   run_bench_cls.sh BENCH_CLS OUTDIR PAGE
set -eu
bench=$1 out=$2 page=$3
mkdir -p "$out"
rm -f "$out"/callgrind.cls.*

valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out/callgrind.cls.%p" \
	"$bench" --callgrind >"$out/bench_cls_cg.txt" 2>"$out/bench_cls_cg.err"
# Natively three times, minutes apart in effect: the machine is shared, and
# the best of three runs of each phase is the least disturbed one.
for run in 1 2 3; do "$bench" >"$out/bench_cls.$run.txt"; done
cat "$out/bench_cls.1.txt"

# Instructions per lookup of each phase: its dump's total over its keys.
for f in "$out"/callgrind.cls.*.*; do
	name=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
	total=$(sed -n 's/^summary: //p' "$f")
	[ -n "$name" ] && echo "$name $total"
done >"$out/bench_cls_ir.txt"

python3 - "$out/bench_cls_cg.txt" "$out/bench_cls_ir.txt" "$(valgrind --version)" \
	"$(lscpu | sed -n 's/^Model name: *//p')" "$out"/bench_cls.[123].txt >"$page" <<'PY'
import sys
cg_run, ir_file, vg, cpu, *runs = sys.argv[1:]
ns, keys, checks, upd, method = {}, {}, [], {}, {}
# enum rte_acl_classify_alg (rte_acl.h)
algs = {1: "scalar", 2: "SSE", 3: "AVX2", 4: "NEON", 5: "ALTIVEC", 6: "AVX512X16",
        7: "AVX512X32"}
for line in open(cg_run):
    f = line.split()
    if f and f[0] == "method":
        method[f[1]] = algs.get(int(f[2]), f[2])
for run in runs:
    for line in open(run):
        f = line.split()
        if f and f[0] == "phase":
            ns[f[1]] = min(ns.get(f[1], float(f[5])), float(f[5]))
            keys[f[1]] = int(f[3])
        elif f and f[0] in ("ternary", "exact") and line.strip() not in checks:
            checks.append(line.strip())
        elif f and f[0] == "method":
            method[f[1]] = algs.get(int(f[2]), f[2])
        elif f and f[0] == "update":
            upd[f[1]] = min(upd.get(f[1], float(f[3])), float(f[3]))
ir = {}
for line in open(ir_file):
    name, total = line.split()
    ir[name] = int(total) / keys[name]

def cell(name):
    return f"{ir[name]:,.0f} | {ns[name]:.1f}"

def ratio(a, b):
    return f"{ir[a] / ir[b]:.2f}x | {ns[a] / ns[b]:.2f}x"

print("# Benchmarks: host software classifier against rte_acl and rte_hash\n")
print("Written by `make bench-cls` (classifier/bench/); every figure below is "
      "measured in that run. Instructions per lookup are x86-64 instructions "
      f"counted by callgrind ({vg}), one pass over the keys; ns per lookup is "
      "wall time, the best of 3 runs of the bench, each the best of 5 runs of "
      "~20 ms after a warm-up pass, on "
      f"{cpu} (a shared machine: ns figures vary from run to run, instruction "
      "counts do not). Both sides get the same rules and the same keys; every "
      "key's result is compared before timing and the run fails on a "
      "difference. DPDK is Debian's (static libraries, EAL started without "
      "hugepages; its side built with DPDK's flags, -march=corei7); rte_acl "
      "uses its default classify method for the CPU it finds: "
      f"{method.get('native', '?')} natively, {method.get('callgrind', '?')} under "
      "callgrind (valgrind has no AVX-512), so its instruction counts are those "
      "of the latter. The snic code is built with the project's flags (-O2, "
      "baseline x86-64: SSE2) and runs the same code in both. "
      "A batch is 64 keys per call on both sides.\n")
print("Results checked:\n")
for c in checks:
    print(f"- {c}")
print("\n## Ternary: fast classifier vs rte_acl (5-tuple ACL)\n")
print("Rules: protocol exact (70 %) or any, source and destination prefixes "
      "/0 to /32, source port exact (20 %) or any, destination port exact (70 %) "
      "or any; the lowest index wins (rte_acl: priority n - index). Keys: 90 % "
      "fall in a random rule, 10 % random.\n")
print("| rules | lookup | snic fast: instr | ns | rte_acl: instr | ns | "
      "snic / rte_acl: instr | ns | reference scan: instr | ns |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in (10, 100, 1024):
    for kind, ours, theirs in (("single", "fast", "acl"), ("batch 64", "fast_burst", "acl_burst")):
        a, b = f"tern_{ours}_{n}", f"tern_{theirs}_{n}"
        ref = cell(f"tern_ref_{n}") if kind == "single" else "| "
        print(f"| {n} | {kind} | {cell(a)} | {cell(b)} | {ratio(a, b)} | {ref} |")
print("\nAdding one rule to the fast classifier (snic_fcls_set: bit i of every "
      "row of all 64 key bytes, no rebuild; best of the 3 runs): " +
      ", ".join(f"{upd[n]:.1f} us at {n} rules" for n in sorted(upd, key=int)) + ".")
print("\nThe scheme's worst case, snic alone: 1024 rules each masking all 64 key "
      "bytes, random keys (all miss), so every byte and every chunk is ANDed: "
      f"{cell('worst_fast_1024').replace(' | ', ' instructions, ')} ns per lookup "
      f"(reference scan: {cell('worst_ref_1024').replace(' | ', ' instructions, ')} ns).")
print("\n## Exact: fast exact lookup vs rte_hash (16K keys)\n")
print("16,384 (MAC, VLAN) keys placed by cuckoo insertion in the firmware's "
      "layout (2 ways x 4096 buckets x 4 slots); rte_hash holds the same keys "
      "(8-byte keys, CRC hash, 32K entries). 90 % of the looked-up keys are "
      "present.\n")
print("| lookup | snic fast: instr | ns | rte_hash: instr | ns | "
      "snic / rte_hash: instr | ns | reference: instr | ns |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for kind, ours, theirs in (("single", "exact_fast", "exact_rte_hash"),
                           ("batch 64", "exact_fast_burst", "exact_rte_hash_bulk")):
    ref = cell("exact_ref") if kind == "single" else "| "
    print(f"| {kind} | {cell(ours)} | {cell(theirs)} | {ratio(ours, theirs)} | {ref} |")
PY
echo "bench-cls: figures written to $page"
