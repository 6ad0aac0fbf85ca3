#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# The tray application's grouped question dialogs and Exit during a sync,
# under Wine and Xvfb, driven by mouse and keyboard as a user would.
#
# 1. Two stores and a profile (confirm_deletes yes) linking the Contacts both
#    ways and the Calendar from global only, a first sync with pstsync.exe;
#    then two contacts changed on both sides (conflicts), one deleted on
#    each side (deletions to confirm) and an appointment changed locally (a
#    conflict on the read-only link). Synchronise from the tray menu: the
#    conflict dialog lists the three (screenshot tray-q1-conflicts),
#    answered from the keyboard (keep global, keep local, and for the
#    appointment keep local, which is not offered, then unlink); the
#    deletion dialog (tray-q2-deletes): restore one, delete the other. The
#    log and both stores (pstsync.exe show/ls) must show exactly those
#    answers carried out.
# 2. Two new conflicts and a deletion; in the conflict dialog "Apply to all
#    items" and Keep local set every row, then Escape closes it; the tooltip
#    says questions are waiting (tray-q3-waiting); while the deletion
#    dialog is open Exit is chosen from the menu (tray-q4-exit-menu): the
#    dialog closes, the sync ends, then the application; `pstsync.exe
#    status` lists the three questions as outstanding, the stores are
#    untouched.
# 3. Exit during a long sync (two generated stores of some thousand items):
#    Synchronise, then Exit; the menu says "Exit (after the sync)"
#    (tray-q5-exit-waiting); the application ends only after the log's
#    "sync run ended", with both stores complete.
#
# Ends with "N passed, N failed". The set-up and helpers are in tests/tray_lib.sh.
SUITE=questions SUITE_DISPLAY=:58
. "$(dirname "$0")/tray_lib.sh"
rm -f "$shots"/tray-q*.png
profile="Office (Anna's PC)"

# id_of STORE:/FOLDER SUBJECT: the item's id, from `ls --json`
id_of() {
	wine "$cli" ls --json "$1" 2>/dev/null | python3 -c '
import json, sys
for it in json.load(sys.stdin)["items"]:
    if it["subject"] == sys.argv[1]:
        print(it["id"])
' "$2"
}

# has_value STORE:/FOLDER SUBJECT TEXT: the item's `show` mentions TEXT
has_value() {
	id=$(id_of "$1" "$2")
	[ -n "$id" ] && wine "$cli" show "$1#$id" 2>/dev/null | grep -q -- "$3"
}

# listed STORE:/FOLDER SUBJECT: the folder holds an item with that subject
listed() {
	[ -n "$(id_of "$1" "$2")" ]
}

# absent STORE:/FOLDER SUBJECT: the folder could be listed and holds no such item
absent() {
	wine "$cli" ls --json "$1" 2>/dev/null | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
sys.exit(1 if any(it["subject"] == sys.argv[1] for it in items) else 0)
' "$2" 2>/dev/null
}

# menu_y ITEM: the row of a tray menu item, as menu() of tray_lib.sh knows it
menu_y() {
	sed -n "s/.*[ 	]$1) y=\([0-9][0-9]*\).*/\1/p" "$root/tests/tray_lib.sh"
}

# menu_now ITEM [SHOT]: as menu(), but quicker, pointing at the item before
# the screenshot (the icon's tooltip would hide the last one), and with no
# pause after the click
menu_now() {
	y=$(menu_y "$1")
	xdotool mousemove 1013 757 click 3
	sleep 0.7
	xdotool mousemove 950 "$y"
	if [ -n "${2:-}" ]; then
		sleep 0.5
		shot "$2"
	fi
	xdotool click 1
}

# after_line N PATTERN: the log has a line matching PATTERN after line N
after_line() {
	tail -n +"$(($1 + 1))" "$log" | grep -q -- "$2"
}

# ---- two stores, a profile, a first sync --------------------------------------------
cd "$work" || exit 1
{
	wine "$cli" create local.pst --name Anna &&
	wine "$cli" create global.pst --name Office &&
	wine "$cli" add local.pst:/Contacts PidTagGivenName=Bernd PidTagSurname=Krause \
		"PidTagDisplayName=Bernd Krause" PidTagBusinessTelephoneNumber=100 &&
	wine "$cli" add local.pst:/Contacts PidTagGivenName=Jürgen PidTagSurname=Weiß \
		"PidTagDisplayName=Jürgen Weiß" &&
	wine "$cli" add local.pst:/Contacts PidTagGivenName=Erika PidTagSurname=Mustermann \
		"PidTagDisplayName=Erika Mustermann" &&
	wine "$cli" add global.pst:/Contacts PidTagGivenName=Dora PidTagSurname=Weiss \
		"PidTagDisplayName=Dora Weiss" "PidTagCompanyName=Weiss & Co" &&
	wine "$cli" add global.pst:/Contacts PidTagGivenName=Chloé PidTagSurname=Dubois \
		"PidTagDisplayName=Chloé Dubois" &&
	wine "$cli" add global.pst:/Calendar "PidTagSubject=Team meeting" \
		PidLidAppointmentStartWhole=2026-12-01T09:00:00Z PidLidAppointmentDuration=60 \
		"PidLidLocation=Room 1" &&
	wine "$cli" --config tray.ini profile add "$profile" --local local.pst --global global.pst &&
	wine "$cli" --config tray.ini profile link "$profile" /Contacts /Contacts &&
	wine "$cli" --config tray.ini profile link "$profile" /Calendar /Calendar \
		--direction from-global &&
	wine "$cli" --config tray.ini options set confirm_deletes yes &&
	wine "$cli" --config tray.ini options set hide_progress_when_done no &&
	wine "$cli" --config tray.ini sync
} > setup.log 2>&1
check_output "stores, settings and a first sync made with pstsync.exe" \
	"5 items on each side" setup.log

# both sides change Bernd and Dora; Jürgen goes locally, Erika globally
{
	wine "$cli" set "local.pst:/Contacts#$(id_of local.pst:/Contacts "Bernd Krause")" \
		PidTagBusinessTelephoneNumber=111-local &&
	wine "$cli" set "global.pst:/Contacts#$(id_of global.pst:/Contacts "Bernd Krause")" \
		PidTagBusinessTelephoneNumber=222-global &&
	wine "$cli" set "local.pst:/Contacts#$(id_of local.pst:/Contacts "Dora Weiss")" \
		"PidTagCompanyName=Weiss Local Ltd" &&
	wine "$cli" set "global.pst:/Contacts#$(id_of global.pst:/Contacts "Dora Weiss")" \
		"PidTagCompanyName=Weiss Global Ltd" &&
	wine "$cli" rm "local.pst:/Contacts#$(id_of local.pst:/Contacts "Jürgen Weiß")" &&
	wine "$cli" rm "global.pst:/Contacts#$(id_of global.pst:/Contacts "Erika Mustermann")" &&
	wine "$cli" set "local.pst:/Calendar#$(id_of local.pst:/Calendar "Team meeting")" \
		"PidLidLocation=Room 2, local"
} > edits.log 2>&1
check "three conflicts and two deletions made with pstsync.exe" \
	test "$(grep -c "^set\|^removed" edits.log)" = 7
config=$(winepath -w "$work/tray.ini")

# ---- 1. answer both dialogs ------------------------------------------------------------
wine "$gui" --config "$config" > app.log 2>&1 &
app_pid=$!
check "the application starts" wait_log "pstsyncw started" 30
sleep 2
menu sync
if wait_log "questions of profile '$profile': 3 conflicts, 2 deletions" 60; then
	ok "the sync hands its questions to the dialogs"
else
	bad "the sync hands its questions to the dialogs" "$(tail -n 5 "$log" 2>/dev/null)"
fi
sleep 2
# the list has the focus; typing a name selects its row, Alt+letter answers it
xdotool type --delay 150 "Bernd"
sleep 0.5
xdotool key alt+g
sleep 0.5
xdotool type --delay 150 "Dora"
sleep 0.5
xdotool key alt+l
sleep 0.5
# the read-only link's conflict: keeping the local version is not offered
xdotool type --delay 150 "Team"
sleep 0.5
xdotool key alt+l
sleep 0.5
xdotool key alt+u
sleep 1
shot tray-q1-conflicts
xdotool key Return
sleep 2
xdotool type --delay 150 "J"
sleep 0.5
xdotool key alt+r
sleep 0.5
xdotool type --delay 150 "Erika"
sleep 0.5
xdotool key alt+d
sleep 1
shot tray-q2-deletes
xdotool key Return
if wait_log "sync run ended" 60; then ok "the sync ends after the answers"
else bad "the sync ends after the answers" "$(tail -n 5 "$log" 2>/dev/null)"; fi
sleep 1
check "log: Bernd Krause, keep the global version" \
	grep -q "answer: profile '$profile', conflict 'Bernd Krause' in /Contacts: keep-global" "$log"
check "log: Dora Weiss, keep the local version" \
	grep -q "answer: profile '$profile', conflict 'Dora Weiss' in /Contacts: keep-local" "$log"
check "log: Team meeting, unlinked (keep local was not offered)" \
	grep -q "answer: profile '$profile', conflict 'Team meeting' in /Calendar: unlink" "$log"
check "log: Jürgen Weiß restored" \
	grep -q "answer: profile '$profile', deletion 'Jürgen Weiß' in /Contacts: restore" "$log"
check "log: Erika Mustermann deleted" \
	grep -q "answer: profile '$profile', deletion 'Erika Mustermann' in /Contacts: delete" "$log"
check "log: the counts of the answers carried out" grep -q \
	"sync '$profile' done.*1 copied to local, 1 overwritten on local, 1 deleted on local, 1 overwritten on global, 1 unlinked.*0 errors" \
	"$log"
check "local Bernd Krause has the global version" \
	has_value local.pst:/Contacts "Bernd Krause" '"222-global"'
check "global Bernd Krause kept its version" \
	has_value global.pst:/Contacts "Bernd Krause" '"222-global"'
check "global Dora Weiss has the local version" \
	has_value global.pst:/Contacts "Dora Weiss" '"Weiss Local Ltd"'
check "local Dora Weiss kept its version" \
	has_value local.pst:/Contacts "Dora Weiss" '"Weiss Local Ltd"'
check "local Team meeting kept its change" \
	has_value local.pst:/Calendar "Team meeting" '"Room 2, local"'
check "global Team meeting kept its version" \
	has_value global.pst:/Calendar "Team meeting" '"Room 1"'
check "Jürgen Weiß is restored in the local store" listed local.pst:/Contacts "Jürgen Weiß"
check "Jürgen Weiß is still in the global store" listed global.pst:/Contacts "Jürgen Weiß"
if absent local.pst:/Contacts "Erika Mustermann" && absent global.pst:/Contacts "Erika Mustermann"
then ok "Erika Mustermann is deleted on both sides"
else bad "Erika Mustermann is deleted on both sides"; fi
wine "$cli" --config tray.ini status 2>&1 | tr -d '\r' > status1.txt
check "status: no question outstanding" \
	test "$(grep -c "^  /Contacts <-> /Contacts .*  0$\|^  /Calendar <- /Calendar .*  0$" status1.txt)" = 2

# ---- 2. Escape, then Exit while a dialog is open ------------------------------------------
{
	wine "$cli" set "local.pst:/Contacts#$(id_of local.pst:/Contacts "Bernd Krause")" \
		PidTagBusinessTelephoneNumber=333-local &&
	wine "$cli" set "global.pst:/Contacts#$(id_of global.pst:/Contacts "Bernd Krause")" \
		PidTagBusinessTelephoneNumber=444-global &&
	wine "$cli" set "local.pst:/Contacts#$(id_of local.pst:/Contacts "Dora Weiss")" \
		"PidTagCompanyName=Weiss Local 2" &&
	wine "$cli" set "global.pst:/Contacts#$(id_of global.pst:/Contacts "Dora Weiss")" \
		"PidTagCompanyName=Weiss Global 2" &&
	wine "$cli" rm "global.pst:/Contacts#$(id_of global.pst:/Contacts "Chloé Dubois")"
} > edits2.log 2>&1
mark=$(wc -l < "$log")
menu sync
if wait_log "questions of profile '$profile': 2 conflicts, 1 deletion" 60; then
	ok "the second sync asks again"
else
	bad "the second sync asks again" "$(tail -n 5 "$log" 2>/dev/null)"
fi
sleep 2
# every row keeps the local version ("Apply to all items"), then Escape drops it all
xdotool key alt+a
sleep 0.5
xdotool key alt+l
sleep 0.5
# hovering over the icon shows its tooltip
xdotool mousemove 1013 757
sleep 2
shot tray-q3-waiting
xdotool mousemove 512 100
xdotool key Escape
sleep 2
check "Escape leaves the conflicts for later" \
	after_line "$mark" "conflicts of profile '$profile' left for later: the dialog was closed"
# the deletion dialog is open now: Exit from the menu closes it, then the application
menu_now exit tray-q4-exit-menu
if wait_gone "$app_pid" 60; then ok "Exit while a dialog is open ends the application"; app_pid=
else bad "Exit while a dialog is open ends the application"; fi
check "log: the deletions are left for later because of Exit" \
	after_line "$mark" "deletions of profile '$profile' left for later: exit requested"
ended=$(grep -n "sync run ended" "$log" | tail -n 1 | cut -d: -f1)
exited=$(grep -n "pstsyncw exited" "$log" | tail -n 1 | cut -d: -f1)
check "the application exited after the sync's end" test "${ended:-0}" -gt "$mark" -a \
	"${exited:-0}" -gt "${ended:-0}"
wine "$cli" --config tray.ini status 2>&1 | tr -d '\r' > status2.txt
if [ "$(grep -c 'conflict  *"Bernd Krause"\|conflict  *"Dora Weiss"' status2.txt)" = 2 ]
then ok "status: the conflicts are outstanding"
else bad "status: the conflicts are outstanding" "$(cat status2.txt; tail -n 8 "$log")"; fi
check "status: the deletion is outstanding" grep -q 'deletion  *"Chloé Dubois"' status2.txt
check "local Bernd Krause kept its own change" \
	has_value local.pst:/Contacts "Bernd Krause" '"333-local"'
check "global Bernd Krause kept its own change" \
	has_value global.pst:/Contacts "Bernd Krause" '"444-global"'
check "global Dora Weiss kept its own change" \
	has_value global.pst:/Contacts "Dora Weiss" '"Weiss Global 2"'
check "Chloé Dubois is still in the local store" listed local.pst:/Contacts "Chloé Dubois"

# ---- 3. Exit during a long sync ---------------------------------------------------------
{
	wine "$cli" generate big-local.pst --items 8000 --seed 1 -q &&
	wine "$cli" generate big-global.pst --items 8000 --seed 2 -q &&
	wine "$cli" --config big.ini profile add Big --local big-local.pst --global big-global.pst &&
	for f in Contacts Calendar Tasks Inbox; do
		wine "$cli" --config big.ini profile link Big "/$f" "/$f" || exit 1
	done
} > big.log 2>&1
check "two stores of 8000 items each made with pstsync.exe" test -s big-global.pst -a -s big.ini
mark=$(wc -l < "$log")
wine "$gui" --config "$(winepath -w "$work/big.ini")" > app2.log 2>&1 &
app_pid=$!
wait_log "pstsyncw started: settings '.*big.ini'" 30
sleep 2
# the sync's first seconds: the menu changed, Exit chosen
menu_now sync
sleep 0.3
menu_now exit tray-q5-exit-waiting
sleep 0.5
if after_line "$mark" "sync 'Big' started"; then ok "a long sync runs"
else bad "a long sync runs" "$(tail -n 3 "$log")"; fi
if after_line "$mark" "exit requested: waiting for the sync to end" &&
	! after_line "$mark" "sync run ended"; then
	ok "Exit during the sync is noted while the sync still runs"
else
	bad "Exit during the sync is noted while the sync still runs" "$(tail -n 3 "$log")"
fi
if kill -0 "$app_pid" 2>/dev/null; then ok "the application waits for the sync"
else bad "the application waits for the sync"; fi
if wait_gone "$app_pid" 300; then ok "the application ends after the sync"; app_pid=
else bad "the application ends after the sync"; fi
ended=$(grep -n "sync run ended" "$log" | tail -n 1 | cut -d: -f1)
exited=$(grep -n "pstsyncw exited" "$log" | tail -n 1 | cut -d: -f1)
check "log: the sync ended, then the application" test "${ended:-0}" -gt "$mark" -a \
	"${exited:-0}" -gt "${ended:-0}"
check "log: the long sync copied everything" \
	after_line "$mark" "sync 'Big' done.*8000 copied to local, 8000 copied to global, 0 errors"
wine "$cli" ls big-local.pst > big-ls-local.txt 2>&1
wine "$cli" ls big-global.pst > big-ls-global.txt 2>&1
for f in Contacts Calendar Tasks Inbox; do
	l=$(awk -v f="/$f" '$1 == f { print $3 }' big-ls-local.txt)
	g=$(awk -v f="/$f" '$1 == f { print $3 }' big-ls-global.txt)
	check "both stores hold the same /$f ($l and $g items)" test -n "$l" -a "$l" = "$g"
done
total=$(awk '$1 ~ /^\/(Contacts|Calendar|Tasks|Inbox)$/ { n += $3 } END { print n + 0 }' \
	big-ls-local.txt)
check "the local store holds all 16000 items ($total)" test "$total" = 16000
cp "$log" "$work/pstsync.log" 2>/dev/null
rm -f big-local.pst big-global.pst # some 250 MB

echo "screenshots: $shots/tray-q*.png; log: $work/pstsync.log"
finish
