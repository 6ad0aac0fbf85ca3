#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# The short fuzzing run of `make check`: libFuzzer on our PST parsing code
# for FUZZ_SHORT_SECONDS (60), seeded with the samples. Passes when it ends
# without a crash, a leak or a timeout; prints the executions it made.
BUILD=${BUILD:-build}
out=$(make --no-print-directory fuzz-short BUILD="$BUILD" 2>&1)
status=$?
echo "$out" | grep -a -E 'stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY|crash-|timeout-|leak-' | head -20
if [ $status = 0 ]; then
	echo "1 passed, 0 failed"
else
	echo "$out" | tail -30 | cat -v
	echo "0 passed, 1 failed"
fi
