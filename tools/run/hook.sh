#!/usr/bin/env bash
# The operator's side of the main job (docs/main-job.md): snic-mainjob runs
# this at each event with the device's clock frozen, and resumes when it
# returns. Every change goes through the product's real paths: bookings
# into etcd with etcdctl, mirrored into the NIC by snic-bookd; rules with
# snicctl. Lines starting with "$ " or "hook: " are shown in the live view.
#
#   hook.sh start VNIC:BPS...   bookings in force (agent started), then return
#   hook.sh book VNIC BPS       change one booking, return once the NIC holds it
#   hook.sh rule-add PORT       n-tuple rule: drop UDP to PORT
#   hook.sh rule-del            remove it
#
# Environment (set by tools/demo.sh): SNIC_DEV (the window), SNIC_BIN,
# RUN_OUT (output directory), ETCD_URL (empty: no etcd, snicctl sets the
# shares directly), ETCDCTL.
set -u
bin=${SNIC_BIN:?}
out=${RUN_OUT:?}
K=/snic/v1/default/nodes/main-job/bookings
RULE_LOC=10 # a fixed slot, so the removal names the rule it added
HOST_B_MAC=02:ee:00:00:00:0b # the flood's sender (sim/scenario.c)

say() { printf '$ %s\n' "$*"; }
ctl() { "$bin/snicctl" --timeout 5000 "$@"; }
# snicctl ARGS...: shown as the operator would type it, then run.
snicctl() { say "snicctl $*"; ctl "$@"; }

# min_is VNIC BPS: the device holds that guaranteed minimum (read back).
min_is() {
	ctl --json vnic share "$1" 2>/dev/null | grep -q "\"min_bps\": $2\b"
}
wait_min() {
	for _ in $(seq 1 200); do
		min_is "$1" "$2" && return 0
		sleep 0.05
	done
	echo "hook: VNIC $1 never got minimum $2 (see $out/bookd.log)" >&2
	return 1
}

book() { # book VNIC BPS: the booking record, or the share where no etcd runs
	if [ -n "${ETCD_URL:-}" ]; then
		local rec="{\"v\":1,\"out_bandwidth\":$2}"
		say "etcdctl put $K/$1 '$rec'"
		"${ETCDCTL:-etcdctl}" --endpoints "$ETCD_URL" put "$K/$1" "$rec" >/dev/null
	else
		say "snicctl vnic share $1 --weight 1000 --min $2"
		ctl vnic share "$1" --weight 1000 --min "$2" >/dev/null
	fi
}

start_agent() {
	[ -n "${ETCD_URL:-}" ] || return 0
	say "snic-bookd --etcd $ETCD_URL --node main-job --nic snic:$SNIC_DEV &"
	setsid "$bin/snic-bookd" --etcd "$ETCD_URL" --node main-job --nic "snic:$SNIC_DEV" -v \
		>>"$out/bookd.log" 2>&1 </dev/null &
	echo $! >"$out/bookd.pid"
}

case ${1:-} in
start)
	shift
	[ -n "${ETCD_URL:-}" ] ||
		echo "hook: no etcd here: the bookings go to the NIC with snicctl, no agent"
	for b in "$@"; do book "${b%%:*}" "${b#*:}" || exit 1; done
	start_agent
	for b in "$@"; do wait_min "${b%%:*}" "${b#*:}" || exit 1; done
	;;
book)
	book "$2" "$3" && wait_min "$2" "$3"
	;;
rule-add)
	# A card whose classifier has no L4 fields (the small profile) refuses
	# the n-tuple rule; it can still drop host B's flood by source MAC.
	snicctl rule add --loc "$RULE_LOC" --proto udp --dport "$2" --drop && exit 0
	echo "hook: this card cannot match UDP ports; dropping host B by its MAC instead"
	snicctl rule add --loc "$RULE_LOC" --src-mac "$HOST_B_MAC" --drop
	;;
rule-del)
	snicctl rule del "$RULE_LOC"
	;;
*)
	echo "hook: unknown event '${1:-}'" >&2
	exit 2
	;;
esac
