#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# Runs every test suite of `make check` and adds up what they report:
#   unit      the core's tests (build/tests/run-tests)
#   cli       the command line against the samples and libpff/libpst (tests/cli_tests.py)
#   write     the writing commands, judged through libpff and libpst (tests/write_tests.py)
#   truth     the sync where the stores change under it: search keys, questions while
#             another desk syncs, one-way links, small things (tests/sync_truth_tests.py)
#   recovery  the recovery store and `pstsync recover`: versions back whole, kills at
#             every write of a sync, retention (tests/recovery_tests.py)
#   pstsdk    every kind of store pstsync writes (copies of every sample, generated
#             stores of 1,000 and 10,000 items, stores after syncs and after kills,
#             stores of earlier versions repaired) read by Microsoft's pstsdk, and
#             pstsdk's own test suite on them (tests/pstsdk_tests.py)
#   items     an item alike in every store, judged through pstsdk too (tests/item_tests.py)
#   install   make install into a temporary DESTDIR, and the manual page (tests/install_test.sh)
#   history   stores restored from older copies or replaced, linked folders renamed,
#             moved or trashed, read-only sources (tests/history_tests.py)
#   unchanged a link whose tables did not change is not read, and every change is
#             still noticed (tests/unchanged_tests.py)
#   san       both again, built with AddressSanitizer and UndefinedBehaviorSanitizer
#   endure    a few rounds of tests/endurance.py: syncs killed at random instants, a
#             disk that fills up during a sync, two processes syncing with one store,
#             restored copies and moved folders (natively; the kill part again with
#             the sanitizer build)
#   fuzz      a short libFuzzer run over every parser of input (tests/fuzz_*.c)
#   win       the Windows build's tests and command line under Wine, the tray
#             application under Wine and Xvfb (tests/tray_test.sh, tests/tray_*_test.sh)
#             and the setup of `make dist` (tests/setup_test.sh)
# Each suite ends with "N passed, N failed[, N skipped]"; a suite that dies
# before its closing line counts as one failure. The last line is the total.
#
# Environment: BUILD (build), SAMPLES (../shared/pst-samples), PARTS (all of them).
set -u
BUILD=${BUILD:-build}
SAMPLES=${SAMPLES:-../shared/pst-samples}
PARTS=${PARTS:-unit cli write truth history unchanged install recovery pstsdk items san endure fuzz win}
export PSTSYNC_SAMPLES="$SAMPLES" SAMPLES BUILD
total_pass=0 total_fail=0 total_skip=0
log_dir="$BUILD/check"
mkdir -p "$log_dir"

if [ ! -d "$SAMPLES" ]; then
	echo "note: the sample PST folder '$SAMPLES' is absent: tests that need it are skipped"
fi

# run_suite NAME COMMAND...: run, show failures, add its counts to the totals
run_suite() {
	name=$1
	shift
	log="$log_dir/$name.log"
	start=$(date +%s)
	"$@" > "$log" 2>&1
	status=$?
	secs=$(( $(date +%s) - start ))
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	{ grep -E '^FAIL ' -A1 "$log"; grep -E '^skip ' "$log"; } | grep -v '^--$' | sed 's/^/    /'
	if [ -z "$line" ]; then
		echo "  $name: no result line (exit status $status); the end of $log:"
		tail -n 15 "$log" | sed 's/^/    /'
		total_fail=$((total_fail + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	s=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
	s=${s:-0}
	if [ "$f" = 0 ] && [ "$status" != 0 ]; then
		echo "  $name: exit status $status although no test failed; the end of $log:"
		tail -n 15 "$log" | sed 's/^/    /'
		f=1
	fi
	printf '  %-10s %s (%ss)\n' "$name" "$line" "$secs"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
}

for part in $PARTS; do
	case $part in
	unit)
		run_suite unit "$BUILD/tests/run-tests" ;;
	cli)
		run_suite cli python3 tests/cli_tests.py --exe "$BUILD/pstsync" ;;
	write)
		run_suite write python3 tests/write_tests.py --exe "$BUILD/pstsync" ;;
	truth)
		run_suite truth python3 tests/sync_truth_tests.py --exe "$BUILD/pstsync" ;;
	recovery)
		run_suite recovery python3 tests/recovery_tests.py --exe "$BUILD/pstsync" ;;
	pstsdk)
		run_suite pstsdk python3 tests/pstsdk_tests.py --exe "$BUILD/pstsync" \
			--samples "$SAMPLES" --build "$BUILD" ;;
	items)
		run_suite items python3 tests/item_tests.py --exe "$BUILD/pstsync" ;;
	install)
		run_suite install sh tests/install_test.sh ;;
	history)
		run_suite history python3 tests/history_tests.py --exe "$BUILD/pstsync" ;;
	unchanged)
		run_suite unchanged python3 tests/unchanged_tests.py --exe "$BUILD/pstsync" ;;
	san)
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98 \
			run_suite unit-san "$BUILD/san/run-tests"
		ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=halt_on_error=1:exitcode=98 \
			run_suite cli-san python3 tests/cli_tests.py --exe "$BUILD/san/pstsync"
		ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=halt_on_error=1:exitcode=98 \
			run_suite write-san python3 tests/write_tests.py --exe "$BUILD/san/pstsync" ;;
	endure)
		run_suite endurance python3 tests/endurance.py --short --exe "$BUILD/pstsync"
		# the history part on a budget of its own: the others use up the shared one
		run_suite endurance-history python3 tests/endurance.py --short --only history \
			--exe "$BUILD/pstsync"
		ENDURANCE_ROUNDS=1 ENDURANCE_ITEMS=60 \
		ASAN_OPTIONS=detect_leaks=1:exitcode=97 UBSAN_OPTIONS=halt_on_error=1:exitcode=98 \
			run_suite endurance-san python3 tests/endurance.py --short --only kill \
			--exe "$BUILD/san/pstsync" ;;
	fuzz)
		run_suite fuzz sh tests/fuzz-short.sh ;;
	win)
		export WINEPREFIX="$(pwd)/$BUILD/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
		if [ ! -f "$WINEPREFIX/system.reg" ]; then
			wineboot --init > "$log_dir/wineboot.log" 2>&1
			wineserver -w
		fi
		# a persistent server saves seconds on every program started
		wineserver -p
		run_suite unit-wine wine "$BUILD/win64/run-tests.exe"
		run_suite cli-wine python3 tests/cli_tests.py --exe "wine $BUILD/win64/pstsync.exe"
		wineserver -k 2>/dev/null
		# the tray application needs a display: Xvfb (each suite has its own
		# Wine prefix, build/wine-SUITE, and display; see tests/tray_lib.sh)
		if command -v Xvfb >/dev/null 2>&1; then
			for suite in tests/tray_test.sh tests/tray_*_test.sh tests/setup_test.sh; do
				[ -f "$suite" ] || continue
				name=$(basename "$suite" _test.sh)
				run_suite "$name-wine" env -u WINEPREFIX sh "$suite"
			done
		else
			echo "    skip tray-wine: Xvfb is not installed (make deps-win)"
		fi ;;
	*)
		echo "unknown part '$part'"; total_fail=$((total_fail + 1)) ;;
	esac
done

echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" = 0 ]
