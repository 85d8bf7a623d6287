#!/usr/bin/env bash
# Run every test program given on the command line and count TAP results.
# Each program prints TAP ("1..N", "ok K - name", "not ok K - name",
# "# SKIP" directives); cmocka suites do so via CMOCKA_MESSAGE_OUTPUT=TAP.
# A program that exits non-zero, or reports fewer results than its plan,
# counts the difference as failures, so a crash is never a pass.
# Ends with one line: "N passed, N failed, N skipped".
set -u
export CMOCKA_MESSAGE_OUTPUT=TAP
pass=0 fail=0 skip=0
logdir=${TEST_LOGDIR:-build/test-logs}
mkdir -p "$logdir"
for t in "$@"; do
	name=$(basename "$t")
	log="$logdir/$name.log"
	start=$(date +%s)
	"$t" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	# A skip is a skip whether the harness prints it as "ok" or, as
	# cmocka does, as "not ok ... # SKIP".
	p=$(grep -cE '^ok ' "$log" | head -1)
	s=$(grep -cE '^(not )?ok .*# ?SKIP' "$log" | head -1)
	ns=$(grep -cE '^not ok .*# ?SKIP' "$log" | head -1)
	f=$(( $(grep -cE '^not ok ' "$log" | head -1) - ns ))
	p=$((p + ns))
	# The plan: the sum of every "1..N" (cmocka prints one per group).
	plan=$(grep -oE '^1\.\.[0-9]+' "$log" | cut -d. -f3 | awk '{ s += $1 } END { if (NR) print s }')
	p=$((p - s))
	got=$((p + s + f))
	if [ -n "$plan" ] && [ "$got" -lt "$plan" ]; then
		f=$((f + plan - got))
	elif [ -n "$plan" ] && [ "$got" -gt "$plan" ]; then
		# More results than planned: the plan is wrong, so is a count.
		echo "# $got results for a plan of $plan" >>"$log"; f=$((f + 1))
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ -z "$plan" ] && [ "$got" -eq 0 ] && [ "$rc" -eq 0 ]; then
		echo "no TAP output" >>"$log"; f=1
	fi
	status=ok; [ "$f" -ne 0 ] && status=FAIL
	printf '%-28s %4s  %3d passed %3d failed %3d skipped  (%ss)\n' "$name" "$status" "$p" "$f" "$s" "$secs"
	if [ "$f" -ne 0 ]; then
		echo "---- $log (failures) ----"
		grep -E '^not ok|^# |ERROR|error|FAIL' "$log" | head -40
		echo "----"
	fi
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
