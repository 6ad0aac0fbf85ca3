#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# `make demo`: shows pstsync reading a real Outlook store. Lists the store's
# folders, then the items of every folder that has some, then every property
# of the first item found. PST=file.pst picks the store; by default a sample
# from ../shared/pst-samples.
set -eu
BUILD=${BUILD:-build}
PST=${PST:-}
pstsync="$BUILD/pstsync"
if [ -z "$PST" ]; then
	echo "pstsync demo: no store given and no sample found in '${SAMPLES:-../shared/pst-samples}';" >&2
	echo "run it on one of yours: make demo PST=/path/to/outlook.pst" >&2
	exit 2
fi
echo "== pstsync ls $PST"
"$pstsync" ls "$PST"
first=""
"$pstsync" ls --json "$PST" | python3 -c '
import json, sys
for f in json.load(sys.stdin)["folders"]:
    if f["items"] > 0:
        print(f["path"])
' > "$BUILD/demo-folders.txt"
while IFS= read -r folder; do
	echo
	echo "== pstsync ls '$PST:$folder'"
	"$pstsync" ls "$PST:$folder"
	if [ -z "$first" ]; then
		first="$folder#$("$pstsync" ls --json "$PST:$folder" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
	fi
done < "$BUILD/demo-folders.txt"
if [ -n "$first" ]; then
	echo
	echo "== pstsync show '$PST:$first'"
	"$pstsync" show "$PST:$first"
fi
