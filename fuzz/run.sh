#!/usr/bin/env bash
# Run one libFuzzer target (built by fuzz/build.mk).
#   run.sh fuzz DIR TARGET SECONDS   fuzz for SECONDS from fuzz/corpus/TARGET
#                                    plus the corpus kept in DIR/corpus;
#                                    figures into DIR/results/TARGET.txt
#   run.sh test DIR TARGET SECONDS   make test's short pass, as TAP: replay
#                                    every committed input, then fuzz SECONDS
# A crash, sanitizer report or broken invariant fails the run; the input is
# kept in DIR/crashes/ (add it to fuzz/corpus/TARGET/ as a regression input
# once the bug is fixed).
set -u
mode=$1 dir=$2 target=$3 secs=$4
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$dir/fuzz_$target
seeds=$top/fuzz/corpus/$target
mkdir -p "$dir/crashes" "$dir/results"
# The targets report through libFuzzer, not through make test's log files.
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
opts=(-rss_limit_mb=2048 -timeout=20 -print_final_stats=1
      -artifact_prefix="$dir/crashes/$target-")

# fuzz_once SECONDS WORKDIR LOG: 0 when no finding.
fuzz_once() {
	"$bin" "${opts[@]}" -max_total_time="$1" "$2" "$seeds" >"$3" 2>&1
}
stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }
cov() { grep -oE "$1: [0-9]+" "$2" | tail -1 | awk '{ print $2 }'; }

case $mode in
test)
	log=$(mktemp /tmp/snic-fuzz.XXXXXX)
	work=$(mktemp -d /tmp/snic-fuzz.XXXXXX)
	trap 'rm -rf "$log" "$work"' EXIT
	echo "1..2"
	n=$(find "$seeds" -type f | wc -l)
	if "$bin" "${opts[@]}" -runs=0 "$seeds" >"$log" 2>&1; then
		echo "ok 1 - $target: $n committed inputs replay clean"
	else
		echo "not ok 1 - $target: a committed input fails"
		grep -E 'ERROR|runtime error|invariant|Test unit written' "$log" | head -10 | sed 's/^/# /'
	fi
	if fuzz_once "$secs" "$work" "$log"; then
		echo "ok 2 - $target: ${secs}s of fuzzing, $(stat number_of_executed_units "$log") execs, cov $(cov cov "$log"), no finding"
	else
		echo "not ok 2 - $target: finding in ${secs}s of fuzzing"
		grep -E 'ERROR|runtime error|invariant|Test unit written' "$log" | head -10 | sed 's/^/# /'
	fi
	;;
fuzz)
	work=$dir/corpus/$target
	log=$dir/results/$target.log
	mkdir -p "$work"
	start=$(date +%s)
	fuzz_once "$secs" "$work" "$log"
	rc=$?
	{
		echo "target=$target"
		echo "seconds=$(( $(date +%s) - start ))"
		echo "execs=$(stat number_of_executed_units "$log")"
		echo "cov=$(cov cov "$log")"
		echo "ft=$(cov ft "$log")"
		echo "corpus=$(find "$work" -type f | wc -l)"
		echo "seeds=$(find "$seeds" -type f | wc -l)"
		echo "rc=$rc"
		echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
	} >"$dir/results/$target.txt"
	printf 'fuzz %-9s %ss  %s execs  cov %s  corpus %s  %s\n' "$target" \
		"$(sed -n 's/^seconds=//p' "$dir/results/$target.txt")" \
		"$(stat number_of_executed_units "$log")" "$(cov cov "$log")" \
		"$(find "$work" -type f | wc -l)" "$([ $rc -eq 0 ] && echo ok || echo FINDING)"
	if [ $rc -ne 0 ]; then
		grep -E 'ERROR|runtime error|invariant|Test unit written' "$log" | head -10
		exit 1
	fi
	;;
*)
	echo "usage: $0 fuzz|test DIR TARGET SECONDS" >&2
	exit 2
	;;
esac
