#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# Runs the libFuzzer targets of `make fuzz` and `make fuzz-short`:
#   sh tests/fuzz-run.sh SECONDS TARGET...
# SECONDS are shared equally among the targets (at least 5 each). Each target
# runs on its growing corpus $BUILD/fuzz/corpus-TARGET, after replaying the
# seeds and regression inputs of tests/corpus/TARGET (and, for pst and store,
# the sample stores), with tests/corpus/TARGET.dict when there is one. Per
# target one line of figures (executions, coverage, corpus); a crash, leak or
# timeout is a failure, its input kept as $BUILD/fuzz/TARGET-crash-* (or
# -leak-, -timeout-): add it to tests/corpus/TARGET once fixed. Ends with
# "N passed, N failed". Environment: BUILD (build), SAMPLES, FUZZ_NICE (a
# nice level for long runs beside other work, default none), FUZZ_RSS_MB
# (the memory limit of the pst and store targets, 2048: a long run holds a
# corpus of whole stores in memory and needs more), FUZZ_SHORT=1
# (the run of `make check`: a fresh corpus from the seeds alone, so that
# its time does not grow with the corpus of long runs).
set -u
BUILD=${BUILD:-build}
SAMPLES=${SAMPLES:-../shared/pst-samples}
seconds=$1
shift
count=$#
each=$((seconds / (count > 0 ? count : 1)))
[ "$each" -ge 5 ] || each=5
pass=0 fail=0
nice=""
[ -n "${FUZZ_NICE:-}" ] && nice="nice -n $FUZZ_NICE"
# leaks inside Debian's libraries (libpff) are theirs, not pstsync's
LSAN_OPTIONS="suppressions=$(pwd)/tests/corpus/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
# the targets' scratch folders (tests/fuzz_common.h) go here, and with it
# when a target dies without cleaning up
scratch=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/pstsync-fuzz-run-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
PSTSYNC_FUZZ_TMP=$scratch
export PSTSYNC_FUZZ_TMP

# (the list of targets is expanded once: the loop reuses "$@" for the arguments)
for t in "$@"; do
	exe="$BUILD/fuzz/fuzz_$t"
	corpus="$BUILD/fuzz/corpus-$t"
	log="$BUILD/fuzz/$t.log"
	if [ "${FUZZ_SHORT:-}" = 1 ]; then
		corpus="$BUILD/fuzz/short-$t"
		rm -rf "$corpus"
	fi
	mkdir -p "$corpus"
	set -- -max_total_time="$each" -print_final_stats=1 -artifact_prefix="$BUILD/fuzz/$t-"
	case $t in
	pst|store)
		# whole stores: large inputs, slower units; one process, so the
		# corpus folder needs no rereading
		set -- "$@" -max_len=3000000 -timeout=30 -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -reload=0 ;;
	protocol)
		set -- "$@" -max_len=65536 -timeout=20 ;;
	*)
		set -- "$@" -max_len=8192 -timeout=10 ;;
	esac
	[ -f "tests/corpus/$t.dict" ] && set -- "$@" -dict="tests/corpus/$t.dict"
	set -- "$@" "$corpus"
	[ -d "tests/corpus/$t" ] && set -- "$@" "tests/corpus/$t"
	case $t in
	pst|store) [ -d "$SAMPLES" ] && set -- "$@" "$SAMPLES" ;;
	esac
	# big generated stores (make fuzz-seeds), for long runs only
	if [ "$t" = pst ] && [ "${FUZZ_SHORT:-}" != 1 ] && [ -d "$BUILD/fuzz/seeds-pst" ]; then
		set -- "$@" "$BUILD/fuzz/seeds-pst"
	fi
	$nice "$exe" "$@" > "$log" 2>&1
	status=$?
	runs=$(grep -a 'stat::number_of_executed_units' "$log" | tail -n 1 | sed 's/.*: *//')
	speed=$(grep -a 'stat::average_exec_per_sec' "$log" | tail -n 1 | sed 's/.*: *//')
	cov=$(grep -a -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 | sed -E 's/.*(cov: [0-9]+ ft: [0-9]+ corp: [^ ]+).*/\1/')
	if [ $status = 0 ]; then
		printf 'fuzz %-9s %s runs in %ss (%s/s), %s\n' "$t" "${runs:-?}" "$each" "${speed:-?}" "${cov:-?}"
		pass=$((pass + 1))
	else
		echo "FAIL fuzz $t (exit status $status): the end of $log:"
		grep -a -E 'ERROR|SUMMARY|Test unit written|fuzz_[a-z]+:' "$log" | head -n 20 | sed 's/^/    /'
		tail -n 15 "$log" | cat -v | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
