#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# Seeds for long runs of the PST fuzzer (`make fuzz-seeds`, then `make fuzz`):
# stores made by `pstsync generate`, each under fuzz-run.sh's 3 MB limit,
# with what the samples lack: row matrices in subnodes of several blocks
# (folders of hundreds of items), data trees of many blocks (XBLOCKs),
# subnode trees of many entries, stores edited and deleted from after they
# were written (tables laid out again block by block).
#   sh tests/fuzz-seeds.sh BUILD    -> BUILD/fuzz/seeds-pst/*.pst
set -eu
BUILD=${1:-build}
out="$BUILD/fuzz/seeds-pst"
exe="$BUILD/pstsync"
mkdir -p "$out"
rm -f "$out"/*.pst
"$exe" generate "$out/inbox250.pst" --items 250 --seed 3 --folders Inbox -q
"$exe" generate "$out/contacts600.pst" --items 600 --seed 4 --folders Contacts -q
"$exe" generate "$out/tasks1200.pst" --items 1200 --seed 6 --folders Tasks -q
"$exe" generate "$out/mix400.pst" --items 400 --seed 5 -q
cp "$out/mix400.pst" "$out/mix400-edited.pst"
"$exe" generate "$out/mix400-edited.pst" --change 10 --seed 9 -q
"$exe" generate "$out/mix400-edited.pst" --delete 5 --seed 10 -q
ls -l "$out"
