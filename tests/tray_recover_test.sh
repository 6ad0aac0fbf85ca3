#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# The tray application's "Recover items..." under Wine and Xvfb. Two stores
# and a profile are made with pstsync.exe and synchronised; then contacts
# are changed and deleted in the local store and a sync from the tray
# carries that across, overwriting and deleting their global versions: the
# notice at its end must say that they can be brought back. The tray menu's
# "Recover items..." lists the versions kept; typing in the Text filter
# leaves the one contact asked for; Restore puts it back into the global
# store (`pstsync.exe ls` finds it again) and the log records it. The
# profiles window's "Recover items..." button opens the same window. A
# screenshot of each step: build/screenshots/tray-r*.png. Ends with
# "N passed, N failed".
#
# The set-up and helpers are in tests/tray_lib.sh.
SUITE=recover SUITE_DISPLAY=:63
. "$(dirname "$0")/tray_lib.sh"
rm -f "$shots"/tray-r[0-9]*.png

keys() {
	for k in "$@"; do
		xdotool key "$k"
		sleep 0.4
	done
}
typed() { xdotool type --delay 15 "$1"; sleep 0.3; }
focus() {
	sleep 0.5
	w=$(xdotool search --name "^$1" 2>/dev/null | tail -n 1)
	[ -n "$w" ] && xdotool windowfocus --sync "$w" >/dev/null 2>&1
	sleep 0.3
}
cli_ok() { wine "$cli" --config recover.ini "$@" 2>&1 | tr -d '\r'; }

# ---- two stores, a profile, a first sync, then changes in the local store -----------------
cd "$work" || exit 1
{
	wine "$cli" create local.pst --name Anna &&
	wine "$cli" create global.pst --name Office &&
	for who in "Bernd Krause" "Clara Vogel" "Dora Weiss" "Emil Brandt"; do
		wine "$cli" add local.pst:/Contacts "PidTagGivenName=${who% *}" "PidTagSurname=${who#* }" || exit 1
	done &&
	cli_ok profile add Office --local local.pst --global global.pst &&
	cli_ok profile link Office /Contacts /Contacts &&
	cli_ok options set confirm_deletes no &&
	cli_ok sync
} > setup.log 2>&1
check_output "stores and a profile made and synchronised with pstsync.exe" "in step" setup.log
ls_local=$(cli_ok ls local.pst:/Contacts)
krause=$(printf '%s\n' "$ls_local" | awk '/Bernd Krause/ { print $1 }')
weiss=$(printf '%s\n' "$ls_local" | awk '/Dora Weiss/ { print $1 }')
cli_ok set "local.pst:/Contacts#$krause" PidTagSurname=Krause-Berg "PidTagDisplayName=Bernd Krause-Berg" \
	"PidTagSubject=Bernd Krause-Berg" > edit.log 2>&1
cli_ok rm "local.pst:/Contacts#$weiss" >> edit.log 2>&1
check "a contact changed and one deleted in the local store" grep -q "removed" edit.log

config=$(winepath -w "$work/recover.ini")
wine "$gui" --config "$config" > app.log 2>&1 &
app_pid=$!
check "the application starts" wait_log "pstsyncw started" 30
sleep 2

# ---- a sync from the tray: its notice mentions what can be recovered ----------------------
menu sync
if wait_log "sync run ended" 60; then ok "a sync from the tray menu"
else bad "a sync from the tray menu" "$(tail -n 5 "$log" 2>/dev/null)"; fi
sleep 1
shot tray-r0-notice
check "the notice after a sync that overwrote and deleted says they can be brought back" \
	grep -q "notice: .*overwritten on global.*deleted on global.*can be brought back: Recover items" "$log"
check "the global versions were kept" sh -c "wine '$cli' --config recover.ini recover Office 2>&1 | grep -q 'Dora Weiss'"

# ---- Recover items... from the tray menu ---------------------------------------------------
menu recover tray-r1-menu
focus "pstsync: recover items"
if xdotool search --name "^pstsync: recover items" >/dev/null 2>&1; then
	ok "Recover items... in the tray menu opens the window"
else
	bad "Recover items... in the tray menu opens the window"
fi
shot tray-r2-list
check "the log records the window" grep -q "recover items: window opened" "$log"
keys alt+t
typed "Weiss"
sleep 0.5
shot tray-r3-filtered
# the list's first row, clicked, then Restore by its mnemonic
xdotool mousemove 300 237 click 1
sleep 0.5
shot tray-r3-selected
keys alt+r
sleep 2
shot tray-r4-restored
check "the log records the restore" grep -q "restored \"Dora Weiss\" (version 0x[0-9a-f]* of profile 'Office') into global /Contacts as new item" "$log"
check "the deleted contact is back in the global store" sh -c "wine '$cli' ls global.pst:/Contacts 2>&1 | grep -q 'Dora Weiss'"
keys Escape
sleep 1

# ---- the same from the profiles window ----------------------------------------------------
menu profiles
focus "pstsync: profiles"
keys alt+c
sleep 1
if xdotool search --name "^pstsync: recover items" >/dev/null 2>&1; then
	ok "Recover items... in the profiles window opens the window"
else
	bad "Recover items... in the profiles window opens the window"
fi
shot tray-r5-from-profiles
keys Escape
sleep 0.5
focus "pstsync: profiles"
keys Escape
menu exit
wait_gone "$app_pid" 20 && app_pid=
finish
