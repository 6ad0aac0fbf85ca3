#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# Seeds for long runs of the PST fuzzer (`make fuzz-seeds`, then `make fuzz`):
# small stores made by `pstsync generate` (271 kB each, so that a run makes
# tens of executions a second, not one), with what the samples lack: row
# matrices in subnodes (folders of tens to a hundred items), data trees of
# two levels (XXBLOCKs), subnode trees of two levels (SIBLOCKs), stores
# edited and deleted from after they were written (tables laid out again
# block by block). The two-level trees come from the seed maker, a pstsync
# whose XBLOCKs hold 3 entries and SLBLOCKs 2 (PS_NDB_SMALL_TREES): stores
# of Outlook's own fan-out reach them only at megabytes. One store of each
# kind is also written by the ordinary pstsync.
#   sh tests/fuzz-seeds.sh BUILD    -> BUILD/fuzz/seeds-pst/*.pst
set -eu
BUILD=${1:-build}
out="$BUILD/fuzz/seeds-pst"
small="$BUILD/fuzz/seedmaker/pstsync"
exe="$BUILD/pstsync"
mkdir -p "$out"
rm -f "$out"/*.pst
for e in small exe; do
	eval "x=\$$e"
	"$x" generate "$out/$e-tasks90.pst" --items 90 --seed 6 --folders Tasks -q
	"$x" generate "$out/$e-contacts40.pst" --items 40 --seed 4 --folders Contacts -q
	"$x" generate "$out/$e-inbox12.pst" --items 12 --seed 3 --folders Inbox -q
	"$x" generate "$out/$e-mix24.pst" --items 24 --seed 5 -q
done
"$small" generate "$out/small-cal30.pst" --items 30 --seed 8 --folders Calendar -q
cp "$out/small-tasks90.pst" "$out/small-tasks90-edited.pst"
"$small" generate "$out/small-tasks90-edited.pst" --change 20 --seed 9 -q
"$small" generate "$out/small-tasks90-edited.pst" --delete 10 --seed 10 -q
cp "$out/small-mix24.pst" "$out/small-mix24-edited.pst"
"$small" generate "$out/small-mix24-edited.pst" --change 30 --seed 11 -q
"$small" generate "$out/small-mix24-edited.pst" --delete 20 --seed 12 -q
ls -l "$out"
