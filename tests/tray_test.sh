#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# The tray application (build/win64/pstsyncw.exe) under Wine and Xvfb, driven
# by mouse and keyboard as a user would: two stores made with pstsync.exe
# (create, add), a settings file with one profile linking their Contacts,
# the app started with --config, its tray menu opened by a right click on
# the icon (about (1013,757) on Wine's 1024x768 "shell" desktop), then
# Synchronise; it waits for the log line of the sync's end and checks the
# log (%LOCALAPPDATA%\pstsync\pstsync.log in the Wine prefix) and both
# stores (pstsync.exe ls); then opens the profiles window, the settings
# and the About box, and exits through the menu. Screenshots of each step
# land in build/screenshots/. Ends with "N passed, N failed[, N skipped]".
#
# The set-up and helpers are in tests/tray_lib.sh.
SUITE=tray SUITE_DISPLAY=:57
. "$(dirname "$0")/tray_lib.sh"
rm -f "$shots"/tray-*.png

# ---- two stores and a profile ---------------------------------------------------
cd "$work" || exit 1
{
	wine "$cli" create local.pst --name Anna &&
	wine "$cli" create global.pst --name Office &&
	wine "$cli" add local.pst:/Contacts PidTagGivenName=Bernd PidTagSurname=Krause &&
	wine "$cli" add global.pst:/Contacts PidTagGivenName=Dora PidTagSurname=Weiss &&
	wine "$cli" --config tray.ini profile add "Office (Anna's PC)" --local local.pst \
		--global global.pst &&
	wine "$cli" --config tray.ini profile link "Office (Anna's PC)" /Contacts /Contacts &&
	wine "$cli" --config tray.ini options set hide_progress_when_done no
} > setup.log 2>&1
check "stores and settings made with pstsync.exe" test -s tray.ini -a -s global.pst
config=$(winepath -w "$work/tray.ini")

# ---- start ------------------------------------------------------------------------
wine "$gui" --config "$config" > app.log 2>&1 &
app_pid=$!
check "the application starts and writes its log" wait_log "pstsyncw started" 30
sleep 2
shot tray-01-icon

# a second copy only shows the first one's profiles window, then exits
if wine "$gui" --config "$config" >/dev/null 2>&1; then ok "a second copy exits at once"
else bad "a second copy exits at once"; fi
sleep 1
shot tray-02-profiles
xdotool key Escape
sleep 1

# ---- Synchronise from the menu ----------------------------------------------------------
menu sync tray-03-menu
if wait_log "sync run ended" 90; then ok "Synchronise from the tray menu runs a sync"
else bad "Synchronise from the tray menu runs a sync" "$(tail -n 5 "$log" 2>/dev/null)"; fi
sleep 1
shot tray-04-progress
check "the log records the sync's start" grep -q "sync 'Office (Anna's PC)' started" "$log"
check "the log records the counts" \
	grep -q "sync 'Office (Anna's PC)' done.*1 copied to local, 1 copied to global, 0 errors" "$log"
wine "$cli" ls local.pst:/Contacts > ls-local.txt 2>&1
wine "$cli" ls global.pst:/Contacts > ls-global.txt 2>&1
check "the local store got the global contact" grep -q "Weiss" ls-local.txt
check "the global store got the local contact" grep -q "Krause" ls-global.txt
check "the local store kept its own contact" grep -q "Krause" ls-local.txt

# ---- the other windows ---------------------------------------------------------------
menu profiles
shot tray-05-profiles
xdotool key Escape
sleep 1
menu settings
shot tray-06-settings
xdotool key Escape
sleep 1
menu about
shot tray-07-about
xdotool key Escape
sleep 1

# ---- Exit --------------------------------------------------------------------------
menu exit
if wait_gone "$app_pid" 10; then ok "Exit from the menu ends the application"; app_pid=
else bad "Exit from the menu ends the application"; fi
check "the log records the exit" grep -q "pstsyncw exited" "$log"
cp "$log" "$work/pstsync.log" 2>/dev/null

echo "screenshots: $shots/tray-*.png; log: $work/pstsync.log"
finish
