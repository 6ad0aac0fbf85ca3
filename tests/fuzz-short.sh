#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# The short fuzzing run of `make check`: every libFuzzer target (see the
# Makefile's fuzzing section) for its share of FUZZ_SHORT_SECONDS (60), each
# replaying its corpus and regression inputs first. A target passes when it
# ends without a crash, a leak or a timeout; one line of figures each.
BUILD=${BUILD:-build}
out=$(make --no-print-directory fuzz-short BUILD="$BUILD" 2>&1)
status=$?
echo "$out"
if ! echo "$out" | grep -q -E '^[0-9]+ passed, [0-9]+ failed'; then
	echo "0 passed, 1 failed"
elif [ $status != 0 ] && ! echo "$out" | grep -q -E '^[0-9]+ passed, [1-9][0-9]* failed'; then
	echo "0 passed, 1 failed"
fi
