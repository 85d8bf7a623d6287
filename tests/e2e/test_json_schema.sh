#!/usr/bin/env bash
# End to end: every `snicctl --json` output validates against its schema in
# docs/json/ (docs/json.md), on both simulated profiles, with a VNIC set up
# of each kind of object (bond, VNICs, share, meter, rules, a booking in
# the embedded store). Also: every command in `snicctl --help` has a schema
# (or is listed in docs/json.md as printing no JSON), so none can skip it.
# JSON_SCHEMA_KEEP=DIR keeps the outputs (to write or review a schema).
set -u
. "$(dirname "$0")/lib.sh"
schemas=$top/docs/json
out=$(mktemp -d /tmp/snic-json-schema.XXXXXX)
sim_pid= agent_pid= win=
cleanup() {
	[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	[ -n "$win" ] && rm -f "$win" "$win.state" "$win.bookings" "$win.bookings.log"
	[ -n "${JSON_SCHEMA_KEEP:-}" ] && cp -r "$out"/. "$JSON_SCHEMA_KEEP"/
	rm -rf "$out"
}
trap cleanup EXIT
echo "1..5"
# Debian's python3-jsonschema is for Debian's python3; a python3 earlier
# on PATH (a pyenv) may lack it.
py=
for c in /usr/bin/python3 python3; do
	"$c" -c 'import jsonschema' 2>/dev/null && { py=$c; break; }
done
[ -n "$py" ] ||
	{ echo "Bail out! no python3 with jsonschema (Debian: python3-jsonschema, make deps)"; exit 1; }
ctl() { "$bin/snicctl" --timeout 5000 "$@"; }

# run NAME SCHEMA CMD...: CMD's --json output into $out/$p/NAME.json, and
# the schema ($defs member of docs/json/CMD.schema.json) it must follow.
run() {
	local name=$1 def=$2
	shift 2
	ctl --json "$@" >"$out/$p/$name.json" 2>"$out/$p/$name.err"
	echo "$? $name $def" >>"$out/$p/list"
}

# A card of profile $1, set up with one object of every kind, then every
# --json command run on it.
exercise() {
	p=$1 win=/dev/shm/snic-json-$1-$$
	mkdir -p "$out/$p/store" "$out/$p/rx"
	export SNIC_DEV=$win SNIC_BOOKD_DIR=$out/$p/store
	"$bin/snic-sim" --profile "$p" --window "$win" --switch --flash "$out/$p/flash.bin" \
		--timeout 60 >"$out/$p/sim.log" 2>&1 &
	sim_pid=$!
	wait_up "$win" --timeout 5000 || { echo "Bail out! simulator ($p) did not start"; exit 1; }
	rm -f "$win.state"
	run port_up port.done port up 0
	quiet ctl port up 1
	run team_set team.done team set 0 --members 0,1
	run vnic_add vnic.add vnic add --mac 02:00:00:00:00:10 --uplink 128 --id 0
	quiet ctl vnic add --mac 02:00:00:00:00:11 --uplink 128 --id 1 --vlan 5
	run vnic_share_set vnic.share vnic share 0 --weight 100 --min 10M
	run meter_set meter.set meter set 0 --mode srtcm --cir 10M --cbs 64k
	# held by the device on large, by the host software classifier on small
	run rule_add rule.add rule add flow-type udp4 dst-port 53 vf 0 loc 5
	run booking_set booking.write booking set 1 --node host1 --out 100M --cap 400M --prio 3
	"$bin/snic-bookd" --node host1 >"$out/$p/agent.log" 2>&1 &
	agent_pid=$!
	for _ in $(seq 1 100); do
		ctl booking show 1 2>/dev/null | grep -q applied && break
		sleep 0.05
	done
	run caps caps.show caps
	run vnic_show vnic.show vnic show 0
	run vnic_share vnic.share vnic share 0
	run vnic_l2 vnic.l2 vnic l2
	run vnic_l2_one vnic.l2 vnic l2 1
	run rule_show rule.show rule show 5
	run rule_show_all rule.show_all rule show
	run stats stats.stats stats
	run stats_vnic stats.vnic stats --vnic
	run stats_vnic_one stats.vnic stats --vnic 1
	run meter_show meter.show meter show
	run meter_show_one meter.show meter show 0
	run team_show team.show team show 0
	run state state.show state
	run ring_show ring.show ring show
	run ring_mode ring.mode ring mode 1 intr
	run booking_show booking.show booking show
	run booking_show_one booking.show booking show 1
	run flash_status flash.status flash status
	run rx rx.report rx --out-dir "$out/$p/rx" --idle-exit --idle-ms 300
	run vnic_rate vnic.rate vnic rate 1 --avg 100M --burst 64k
	run vnic_mac vnic.mac vnic mac 1 02:00:00:00:00:12
	run vnic_vlans vnic.vlans vnic vlans 1 5 6
	run vnic_rxmode vnic.rxmode vnic rxmode 1 --allmulti --mc 01:00:5e:00:00:01
	run vnic_policy vnic.policy vnic policy 1 --trusted on
	run vnic_port_vlan vnic.port_vlan vnic port-vlan 0 7
	run state_set state.show state
	run team_prio team.done team prio 0 1
	run team_failback team.done team failback 0
	run booking_del booking.write booking del 1 --node host1
	run rule_del rule.del rule del 5
	run vnic_del vnic.del vnic del 1
	run vnic_promote vnic.promote vnic promote
	run restore restore.result restore
	run tx tx.report tx --vnic 0 --pcap "$out/one.pcap"
	quiet ctl vnic del 0
	run team_del team.done team del 0
	run port_down port.done port down 1
	run reset reset.done reset
	run flash_reboot flash.status flash reboot
	kill "$agent_pid" "$sim_pid" 2>/dev/null
	wait "$agent_pid" "$sim_pid" 2>/dev/null
	agent_pid= sim_pid=
	rm -f "$win" "$win.state" "$win.bookings" "$win.bookings.log"
}

# one 64-byte frame from VNIC 0's MAC, for `tx`
python3 -c 'import struct, sys
f = bytes.fromhex("ffffffffffff020000000010" + "0800") + bytes(50)
sys.stdout.buffer.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
	+ struct.pack("<IIII", 0, 0, len(f), len(f)) + f)' >"$out/one.pcap"
exercise large
exercise small
check "every --json command succeeded on both profiles" \
	sh -c "! cat '$out'/*/list | grep -v '^0 '"
check "every output validates against its schema (large)" \
	"$py" "$top/tests/e2e/json_validate.py" "$schemas" "$out/large"
check "every output validates against its schema (small)" \
	"$py" "$top/tests/e2e/json_validate.py" "$schemas" "$out/small"
"$bin/snicctl" --help >"$out/usage.txt"
check "every command in the usage text has a schema (or is listed as printing none)" \
	"$py" "$top/tests/e2e/json_validate.py" --coverage "$schemas" "$out/usage.txt" "$top/docs/json.md"
# The validator can say no: an output that breaks its schema is refused.
mkdir "$out/bad"
sed 's/"vnic": 0/"vnic": "0"/' "$out/large/vnic_show.json" >"$out/bad/vnic_show.json"
echo "0 vnic_show vnic.show" >"$out/bad/list"
check "a wrong type (vnic id as a string) fails validation" \
	sh -c "! '$py' '$top/tests/e2e/json_validate.py' '$schemas' '$out/bad' 2>/dev/null"
