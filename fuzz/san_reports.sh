#!/usr/bin/env bash
# make test SANITIZE=1, last test: every sanitizer report written during
# the run (by a test program or by a tool a test script started in the
# background) fails the run; the reports are printed so the log says where.
set -u
dir=${SNIC_SAN_LOGS:-}
echo "1..1"
if [ -z "$dir" ]; then
	echo "ok 1 - sanitizer reports # SKIP not a SANITIZE=1 run"
	exit 0
fi
shopt -s nullglob
# ASan and LSan write to $dir (log_path); Debian's libubsan ignores
# log_path, so its reports are found in the test logs as well.
reports=("$dir"/*)
for l in "${TEST_LOGDIR:-build/test-logs}"/*.log; do
	grep -qE 'runtime error:|ERROR: (Address|Leak)Sanitizer' "$l" && reports+=("$l")
done
if [ ${#reports[@]} -eq 0 ]; then
	echo "ok 1 - no sanitizer report in $dir"
	exit 0
fi
echo "not ok 1 - ${#reports[@]} sanitizer report(s) in $dir"
for r in "${reports[@]}"; do
	echo "# ---- $r"
	grep -E 'ERROR|runtime error|SUMMARY|^    #[0-5] ' "$r" | head -12 | sed 's/^/# /'
done
exit 1
