#!/usr/bin/env bash
# make test's bounded pass of the fault campaigns (tests/e2e/fault_campaign.sh,
# FAULT_SCALE=1): firmware reset and flash under traffic with restore and
# the booking agent, table full, ring overflow, uplink flaps on a bond, a
# rate changed under load. Not here: the kill
# campaign (every admin lock a killed snicctl held costs a 20 s lease of
# device time before the takeover); `make fault-campaign` runs them all.
set -u
res=$(mktemp -d /tmp/snic-fault-res.XXXXXX)
trap 'rm -rf "$res"' EXIT
FAULT_SCALE=1 "$(dirname "$0")/fault_campaign.sh" "$res" restore full ring flap rate
