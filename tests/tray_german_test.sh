#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# The tray application in German and in English under Wine and Xvfb: the
# same prefix, the app started with LANG=de_DE.UTF-8, de_AT.UTF-8 (German
# is chosen for every German display language, not for Germany's alone) and
# en_GB.UTF-8 (Wine takes the display language from them). In each it
#  - waits for its log's first line, in that language;
#  - synchronises from the tray menu: a contact added locally and one changed
#    on both sides give the conflict dialog, whose title, heading and column
#    heads are read (tests/wintext.c reads what xdotool cannot); Cancel
#    leaves the conflict for later, and the log has the sync's counts and
#    the notice in that language;
#  - opens the profiles window (its status line), the profile editor (the
#    line below a folder tree; OK with no name gives a message, read too)
#    and the settings, found by their titles in that language.
# German comes from the resources of res/app_de.rc. A check of the sources
# goes with it: every dialog, menu and string id of res/app.rc is in
# res/app_de.rc, and no string of the tray's code is built in English.
# Screenshots: build/screenshots/tray-de-*.png, tray-at-*.png and
# tray-en-*.png. Ends with "N passed, N failed".
#
# The set-up and helpers are in tests/tray_lib.sh.
SUITE=german SUITE_DISPLAY=:62
. "$(dirname "$0")/tray_lib.sh"
rm -f "$shots"/tray-de-*.png "$shots"/tray-at-*.png "$shots"/tray-en-*.png
wintext="$root/$BUILD/win64/test/wintext.exe"

# ---- the resources: German for every English one ---------------------------------
ids() { sed -n 's/^\(ID[A-Z_0-9]*\) \(MENU\|DIALOGEX\).*/\1/p; s/^    \(IDS_[A-Z_0-9]*\) .*/\1/p' "$1" | sort; }
ids "$root/res/app.rc" > "$work/ids-en.txt"
ids "$root/res/app_de.rc" > "$work/ids-de.txt"
if cmp -s "$work/ids-en.txt" "$work/ids-de.txt" && [ -s "$work/ids-en.txt" ]; then
	ok "res/app_de.rc has every menu, dialog and string of res/app.rc ($(wc -l < "$work/ids-en.txt"))"
else
	bad "res/app_de.rc has every menu, dialog and string of res/app.rc" \
		"$(diff "$work/ids-en.txt" "$work/ids-de.txt" | grep '^[<>]' | tr '\n' ' ')"
fi

# No text a person reads is built in the tray's code: every one comes from
# the string tables (the L"..." left are names, paths, formats and symbols)
if grep -n 'L"[^"]*[a-z]\{2,\} [a-z]\{2,\}' "$root"/src/win/tray*.c \
	> "$work/english.txt"; then
	bad "the tray's code builds no English text" "$(head -n 3 "$work/english.txt" | tr '\n' ' ')"
else
	ok "the tray's code builds no English text"
fi

# A German locale of our own (LOCPATH): a fresh machine may have generated
# none, and Wine takes the display language from the Unix locale
command -v localedef >/dev/null 2>&1 || skip "localedef is not installed (the locales package)"
[ -f "$wintext" ] || skip "build it first: make win"
mkdir -p "$work/locale"
for l in de_DE de_AT en_GB; do
	localedef -i $l -f UTF-8 "$work/locale/$l.UTF-8" >> "$work/localedef.log" 2>&1
done
[ -d "$work/locale/de_DE.UTF-8" ] || skip "localedef cannot make de_DE.UTF-8: $(tail -n 1 "$work/localedef.log")"
export LOCPATH="$work/locale"

cd "$work" || exit 1
{
	wine "$cli" create local.pst --name Anna &&
	wine "$cli" create global.pst --name Office &&
	wine "$cli" add local.pst:/Contacts PidTagGivenName=Bernd PidTagSurname=Krause \
		"PidTagDisplayName=Bernd Krause" PidTagBusinessTelephoneNumber=100 &&
	wine "$cli" --config tray.ini profile add Office --local local.pst --global global.pst &&
	wine "$cli" --config tray.ini profile link Office /Contacts /Contacts &&
	wine "$cli" --config tray.ini options set hide_progress_when_done no &&
	wine "$cli" --config tray.ini sync
} > setup.log 2>&1
check_output "stores, settings and a first sync made with pstsync.exe" "1 items\? on each side" setup.log
config=$(winepath -w "$work/tray.ini")

# id_of STORE:/FOLDER SUBJECT: the item's id, from `ls --json`
id_of() {
	wine "$cli" ls --json "$1" 2>/dev/null | python3 -c '
import json, sys
for it in json.load(sys.stdin)["items"]:
    if it["subject"] == sys.argv[1]:
        print(it["id"])
' "$2"
}

# has_window TITLE: a window of that exact title shows
has_window() { xdotool search --onlyvisible --name "^$1\$" >/dev/null 2>&1; }
# wait_window TITLE SECONDS
wait_window() {
	i=0
	while [ $i -lt $(($2 * 4)) ]; do
		has_window "$1" && return 0
		sleep 0.25
		i=$((i + 1))
	done
	return 1
}
# texts TITLE FILE: what the window of that title shows (tests/wintext.c)
texts() { wine "$wintext" "$1" 2>/dev/null | tr -d '\r' > "$2"; }
# shows FILE KIND TEXT: FILE has a line "KIND<TAB>TEXT" (TEXT: a grep pattern)
shows() { grep -q "^$2	$3" "$1"; }

# in_language LANG CODE: start, synchronise, look at the windows, exit; the
# words each language must show come in the variables the caller sets
in_language() {
	lang=$1 code=$2
	rm -f "$log"
	# each run: a new contact to copy, and a conflict
	{
		wine "$cli" add local.pst:/Contacts "PidTagGivenName=Neu $code" PidTagSurname=Kontakt \
			"PidTagDisplayName=Neu $code" &&
		wine "$cli" set "local.pst:/Contacts#$(id_of local.pst:/Contacts "Bernd Krause")" \
			"PidTagBusinessTelephoneNumber=111-$code" &&
		wine "$cli" set "global.pst:/Contacts#$(id_of global.pst:/Contacts "Bernd Krause")" \
			"PidTagBusinessTelephoneNumber=222-$code"
	} >> edits.log 2>&1
	LANG=$lang LC_ALL=$lang wine "$gui" --config "$config" > "app-$code.log" 2>&1 &
	app_pid=$!
	if wait_log "$L_STARTED" 30; then ok "$code: the application starts; the log says '$L_STARTED'"
	else
		bad "$code: the application starts; the log says '$L_STARTED'" "$(tail -n 2 "$log" 2>/dev/null)"
		kill "$app_pid" 2>/dev/null
		wineserver -k 2>/dev/null
		app_pid=
		return
	fi
	sleep 2

	# a sync from the menu: the conflict dialog, then Cancel
	menu sync
	if wait_window "$L_CONFLICTS" 60; then ok "$code: the conflict dialog is '$L_CONFLICTS'"
	else bad "$code: the conflict dialog is '$L_CONFLICTS'"; fi
	sleep 2
	shot "tray-$code-5-conflicts"
	texts "$L_CONFLICTS" "conflicts-$code.txt"
	check "$code: its column heads: $L_COLUMNS" \
		test "$(sed -n 's/^column	//p' "conflicts-$code.txt" | tr '\n' ',')" = "$L_COLUMNS,"
	check "$code: its heading: '$L_HEAD'" shows "conflicts-$code.txt" Static "$L_HEAD"
	check "$code: its summary: '$L_SUMMARY'" shows "conflicts-$code.txt" Static "$L_SUMMARY"
	xdotool key Escape
	if wait_log "$L_ENDED" 60; then ok "$code: the sync ends: '$L_ENDED'"
	else bad "$code: the sync ends: '$L_ENDED'" "$(tail -n 2 "$log" 2>/dev/null)"; fi
	sleep 1
	check "$code: the log has the sync's counts: '$L_DONE'" grep -q -- "$L_DONE" "$log"
	check "$code: the log has the notice: '$L_NOTICE'" grep -q -- "$L_NOTICE" "$log"
	sleep 1

	menu profiles "tray-$code-1-menu"
	sleep 1
	shot "tray-$code-2-profiles"
	check "$code: the profiles window is '$L_PROFILES'" has_window "$L_PROFILES"
	texts "$L_PROFILES" "profiles-$code.txt"
	check "$code: its status line: '$L_STATUS'" shows "profiles-$code.txt" Static "$L_STATUS"
	check "$code: its column heads: $L_PCOLUMNS" \
		grep -q "^column	$L_PCOLUMNS" "profiles-$code.txt"
	# the first profile is selected when the window opens, so Edit... edits it
	xdotool key "$L_EDIT_KEY"
	sleep 3
	shot "tray-$code-3-editor"
	check "$code: the profile editor is '$L_EDITOR'" has_window "$L_EDITOR"
	texts "$L_EDITOR" "editor-$code.txt"
	check "$code: below the local folders: '$L_FOLDERS'" shows "editor-$code.txt" Static "$L_FOLDERS"
	# no name, then OK: the editor says what is missing
	xdotool key alt+n
	sleep 0.5
	xdotool key BackSpace
	sleep 0.5
	xdotool key Return
	if wait_window pstsync 10; then
		sleep 1
		shot "tray-$code-6-message"
		texts pstsync "message-$code.txt"
		check "$code: the editor's message: '$L_NO_NAME'" shows "message-$code.txt" Static "$L_NO_NAME"
		xdotool key Return
		sleep 1
	else
		bad "$code: the editor's message: '$L_NO_NAME'" "no message box"
	fi
	xdotool key Escape
	sleep 1
	xdotool key Escape
	sleep 1
	menu settings
	shot "tray-$code-4-settings"
	check "$code: the settings are '$L_SETTINGS'" has_window "$L_SETTINGS"
	texts "$L_SETTINGS" "settings-$code.txt"
	check "$code: the conflicts' choice: '$L_ASK'" shows "settings-$code.txt" ComboBox "$L_ASK"
	xdotool key Escape
	sleep 1
	menu exit
	if wait_gone "$app_pid" 15; then ok "$code: Exit ends it"; app_pid=
	else bad "$code: Exit ends it"; kill "$app_pid" 2>/dev/null; app_pid=; fi
	check "$code: the log's last line: '$L_EXITED'" sh -c "tail -n 1 '$log' | grep -q '$L_EXITED'"
	wineserver -w 2>/dev/null
}

german() {
	L_STARTED="pstsyncw gestartet: Einstellungen" L_CONFLICTS="pstsync: Konflikte"
	L_COLUMNS="Element,Art,Ordner,Lokale Datei,Globale Datei,Auswahl"
	L_HEAD="Profil 'Office': 1 Element wurde seit der letzten Synchronisation auf beiden Seiten geändert"
	L_SUMMARY="0 von 1 entschieden."
	L_ENDED="Synchronisationslauf beendet: 1 Profil.\$"
	L_DONE="Synchronisation 'Office' fertig in .*: 1 nach global kopiert, 1 Rückfrage auf später verschoben, 0 Fehler"
	L_NOTICE="Hinweis: pstsync: Rückfragen warten: 1 Rückfrage wartet auf eine Antwort"
	L_PROFILES="pstsync: Profile" L_STATUS="Zuletzt synchronisiert am .*: abgeschlossen. 1 Rückfrage offen"
	L_PCOLUMNS="Profil" L_EDIT_KEY=alt+b L_EDITOR="pstsync: Profil Office"
	L_FOLDERS="Anna: [0-9]* Ordner" L_NO_NAME="Bitte dem Profil einen Namen geben."
	L_SETTINGS="pstsync: Einstellungen" L_ASK="Mich fragen" L_EXITED="pstsyncw beendet"
}
german
in_language de_DE.UTF-8 de
# Austria's German is German too (Windows falls back from de-AT to German)
german
in_language de_AT.UTF-8 at
L_STARTED="pstsyncw started: settings" L_CONFLICTS="pstsync: conflicts"
L_COLUMNS="Item,Type,Folder,Local store,Global store,Choice"
L_HEAD="Profile 'Office': 1 item was changed on both sides since the last sync"
L_SUMMARY="0 of 1 decided."
L_ENDED="sync run ended: 1 profile.\$"
L_DONE="sync 'Office' done in .*: 1 copied to global, 1 question left for later, 0 errors"
L_NOTICE="notice: pstsync: questions waiting: 1 question waits for an answer"
L_PROFILES="pstsync: profiles" L_STATUS="Last synchronised .*: completed. 1 question outstanding"
L_PCOLUMNS="Profile" L_EDIT_KEY=alt+e L_EDITOR="pstsync: profile Office"
L_FOLDERS="Anna: [0-9]* folders" L_NO_NAME="Give the profile a name."
L_SETTINGS="pstsync: settings" L_ASK="Ask me" L_EXITED="pstsyncw exited"
in_language en_GB.UTF-8 en

echo "screenshots: $shots/tray-de-*.png, $shots/tray-at-*.png, $shots/tray-en-*.png"
finish
