#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# `make demo`: pstsync's main job, from nothing, in build/demo. Makes a
# local store (a user's own PST) and a global one (the shared PST on the
# office server), puts contacts and appointments in each with `pstsync add`,
# links their Contacts and Calendar folders in a profile, syncs, changes
# items on both sides (a conflict, a deletion, new items), shows the plan of
# the next sync, syncs again with the answers given on the command line,
# and shows the result and `pstsync status`. Each step prints a heading and
# the commands it runs, as a person would type them in build/demo.
#
# `make demo PST=file.pst` shows one existing store instead, read only:
# its folders, the items of each folder and the first item whole.
set -eu
BUILD=${BUILD:-build}
PST=${PST:-}
SAMPLES=${SAMPLES:-../shared/pst-samples}
exe="$(cd "$BUILD" && pwd)/pstsync"

if [ -n "$PST" ]; then
	echo "== pstsync ls $PST"
	"$exe" ls "$PST"
	first=""
	"$exe" ls --json "$PST" | python3 -c '
import json, sys
for f in json.load(sys.stdin)["folders"]:
    if f["items"] > 0:
        print(f["path"])
' > "$BUILD/demo-folders.txt"
	while IFS= read -r folder; do
		echo
		echo "== pstsync ls '$PST:$folder'"
		"$exe" ls "$PST:$folder"
		if [ -z "$first" ]; then
			first="$folder#$("$exe" ls --json "$PST:$folder" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
		fi
	done < "$BUILD/demo-folders.txt"
	if [ -n "$first" ]; then
		echo
		echo "== pstsync show '$PST:$first'"
		"$exe" show "$PST:$first"
	fi
	exit 0
fi

demo="$BUILD/demo"
rm -rf "$demo"
mkdir -p "$demo"
cd "$demo"
start=$(date +%s.%N 2>/dev/null || date +%s)

step() {
	printf '\n== %s\n' "$1"
	shift
	for line in "$@"; do
		printf '   %s\n' "$line"
	done
}

# Print a command as one would type it, then run it.
p() {
	line="pstsync"
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./:#=@+,-]*) line="$line '$a'" ;;
		*) line="$line $a" ;;
		esac
	done
	printf '$ %s\n' "$line"
	"$exe" "$@"
}

# The id of the item whose subject is $3 in folder $2 of store $1.
id_of() {
	"$exe" ls "$1:$2" | grep -F "  $3" | awk '{ print $1 }' | head -n 1
}

# A sync whose exit status is shown, not fatal; the labels are those of
# `pstsync sync --help` (0 in step, 1 failed, 2 wrong command line, 3 questions).
sync() {
	status=0
	p --config pstsync.ini sync "$@" || status=$?
	case $status in
	0)	case " $* " in
		*" --dry-run "*) label="the plan is made, nothing changed" ;;
		*) label="every link in step" ;;
		esac ;;
	1)	label="a profile, a link or an item failed" ;;
	2)	label="a wrong command line" ;;
	3)	label="questions left outstanding, nothing failed" ;;
	*)	label="unexpected" ;;
	esac
	printf '(exit status %s: %s)\n' "$status" "$label"
	# a sync that fails ends the demo with its own status
	case $status in 0|3) ;; *) exit "$status" ;; esac
}

step "1. Two new PST files" \
	"local.pst is Anna's own Outlook file; global.pst the file the whole office" \
	"shares on the server (\\\\server\\office\\common.pst in real life)."
p create local.pst --name "Anna"
p create global.pst --name "Office"

step "2. A few contacts and appointments in each (pstsync add)" \
	"Outlook would set the rest: display name, file-as, times, keys."
p add local.pst:/Contacts PidTagGivenName=Bernd PidTagSurname=Krause \
	PidTagCompanyName="Krause GmbH" PidLidEmail1EmailAddress=bernd@krause.example
p add local.pst:/Contacts PidTagGivenName=Clara PidTagSurname=Jung \
	PidLidEmail1EmailAddress=clara.jung@example.com
p add local.pst:/Calendar PidTagSubject="Visit Krause GmbH" \
	PidLidAppointmentStartWhole=2024-06-04T13:00:00Z PidLidAppointmentDuration=90
p add global.pst:/Contacts PidTagGivenName=Dora PidTagSurname=Weiss \
	PidTagBusinessTelephoneNumber="+49 30 555 0100"
p add global.pst:/Contacts PidTagGivenName=Emil PidTagSurname=Roth \
	PidLidEmail1EmailAddress=emil.roth@example.com
p add global.pst:/Calendar PidTagSubject="Team meeting" \
	PidLidAppointmentStartWhole=2024-06-03T08:00:00Z PidLidAppointmentDuration=60

step "3. A profile says which folders are kept in step" \
	"Profile 'Office': local.pst's Contacts with global.pst's Contacts, and the" \
	"same for Calendar, both ways. It lives in the settings file pstsync.ini."
p --config pstsync.ini profile add Office --local local.pst --global global.pst
p --config pstsync.ini profile link Office /Contacts /Contacts
p --config pstsync.ini profile link Office /Calendar /Calendar

step "4. The first sync: what is new on either side is copied to the other"
sync

step "5. Both files now hold the same contacts and appointments"
p ls local.pst:/Contacts
p ls global.pst:/Contacts
p ls local.pst:/Calendar
p ls global.pst:/Calendar

step "6. Between two syncs, people change things on both sides" \
	"Anna adds a phone number to Clara Jung in her own file, while a colleague" \
	"corrects Clara's e-mail address in the shared file: a conflict. The" \
	"colleague also deletes Emil Roth from the shared file. Anna adds a contact," \
	"the colleague an appointment."
p set "local.pst:/Contacts#$(id_of local.pst /Contacts "Clara Jung")" \
	PidTagBusinessTelephoneNumber="+49 40 555 0199"
p set "global.pst:/Contacts#$(id_of global.pst /Contacts "Clara Jung")" \
	PidLidEmail1EmailAddress=clara@jung.example
p rm "global.pst:/Contacts#$(id_of global.pst /Contacts "Emil Roth")"
p add local.pst:/Contacts PidTagGivenName=Frank PidTagSurname=Otto
p add global.pst:/Calendar PidTagSubject="Office party" \
	PidLidAppointmentStartWhole=2024-06-07T16:00:00Z PidLidAppointmentDuration=180

step "7. A dry run shows what the next sync would do, and changes nothing" \
	"Conflicts and deletions are questions: pstsync never decides them alone."
sync --dry-run

step "8. The second sync, with the answers given on the command line" \
	"--conflicts both: keep both versions of Clara Jung (each side gets the other's);" \
	"--deletes apply: Emil Roth goes from Anna's file too. Without these options," \
	"pstsync asks at a terminal, or leaves the questions for later (exit status 3)."
sync --conflicts both --deletes apply

step "9. The result: the same items on both sides again"
p ls local.pst:/Contacts
p ls global.pst:/Contacts
p ls local.pst:/Calendar
p ls global.pst:/Calendar

step "10. pstsync status: when each link was synchronised, its items, open questions" \
	"It reads only pstsync's own records, so it works while Outlook holds the files."
p --config pstsync.ini status

step "11. Both files pass pstsync's integrity check (what Outlook's scanpst checks)"
p check local.pst
p check global.pst

end=$(date +%s.%N 2>/dev/null || date +%s)
printf '\nThe demo took %.1f s. Its files are in %s.\n' \
	"$(echo "$end - $start" | awk '{ print $1 - $3 }')" "$demo"
cat <<NEXT

What to try next, in $demo (ID: an id from pstsync ls):
   pstsync set 'local.pst:/Contacts#ID' PidTagTitle=Director    change an item
   pstsync --config pstsync.ini sync --dry-run                   the plan of that change
   pstsync --config pstsync.ini sync                             at a terminal it asks
   pstsync show 'global.pst:/Contacts#ID'                        one item whole
   pstsync --config pstsync.ini profile show Office              the profile and its links
   make demo PST=your-own.pst                                    read your PST, change nothing
pstsync --help lists every command, pstsync COMMAND --help its options.
NEXT
