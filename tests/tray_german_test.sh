#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# The tray application in German and in English under Wine and Xvfb: the
# same prefix, the app started once with LANG=de_DE.UTF-8 and once with
# LANG=en_GB.UTF-8 (Wine takes the display language from them). In each it
# opens the tray menu, the profiles window, the profile editor and the
# settings, and finds those windows by their titles in that language
# (xdotool search); German is chosen by the user's display language from the
# resources of res/app_de.rc. A check of the sources goes with it: every
# dialog, menu and string id of res/app.rc is in res/app_de.rc.
# Screenshots: build/screenshots/tray-de-*.png and tray-en-*.png. Ends with
# "N passed, N failed".
#
# The set-up and helpers are in tests/tray_lib.sh.
SUITE=german SUITE_DISPLAY=:62
. "$(dirname "$0")/tray_lib.sh"
rm -f "$shots"/tray-de-*.png "$shots"/tray-en-*.png

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

# A German locale of our own (LOCPATH): a fresh machine may have generated
# none, and Wine takes the display language from the Unix locale
command -v localedef >/dev/null 2>&1 || skip "localedef is not installed (the locales package)"
mkdir -p "$work/locale"
localedef -i de_DE -f UTF-8 "$work/locale/de_DE.UTF-8" > "$work/localedef.log" 2>&1
localedef -i en_GB -f UTF-8 "$work/locale/en_GB.UTF-8" >> "$work/localedef.log" 2>&1
[ -d "$work/locale/de_DE.UTF-8" ] || skip "localedef cannot make de_DE.UTF-8: $(tail -n 1 "$work/localedef.log")"
export LOCPATH="$work/locale"

cd "$work" || exit 1
{
	wine "$cli" create local.pst --name Anna &&
	wine "$cli" create global.pst --name Office &&
	wine "$cli" --config tray.ini profile add Office --local local.pst --global global.pst &&
	wine "$cli" --config tray.ini profile link Office /Contacts /Contacts
} > setup.log 2>&1
config=$(winepath -w "$work/tray.ini")

# has_window TITLE: a window of that exact title shows
has_window() { xdotool search --onlyvisible --name "^$1\$" >/dev/null 2>&1; }

# in_language LANG CODE PROFILES SETTINGS EDITOR EDIT-KEY: start, look at the windows, exit
in_language() {
	lang=$1 code=$2
	rm -f "$log"
	LANG=$lang LC_ALL=$lang wine "$gui" --config "$config" > "app-$code.log" 2>&1 &
	app_pid=$!
	if wait_log "pstsyncw started" 30; then ok "$code: the application starts"
	else bad "$code: the application starts"; return; fi
	sleep 2
	menu profiles "tray-$code-1-menu"
	sleep 1
	shot "tray-$code-2-profiles"
	check "$code: the profiles window is '$3'" has_window "$3"
	xdotool key "$6"    # Edit... (&Edit, &Bearbeiten)
	sleep 2
	shot "tray-$code-3-editor"
	check "$code: the profile editor is '$5'" has_window "$5"
	xdotool key Escape
	sleep 1
	xdotool key Escape
	sleep 1
	menu settings
	shot "tray-$code-4-settings"
	check "$code: the settings are '$4'" has_window "$4"
	xdotool key Escape
	sleep 1
	menu exit
	if wait_gone "$app_pid" 15; then ok "$code: Exit ends it"; app_pid=
	else bad "$code: Exit ends it"; kill "$app_pid" 2>/dev/null; app_pid=; fi
	wineserver -w 2>/dev/null
}

# the first profile is selected when the window opens, so Edit... edits it
in_language de_DE.UTF-8 de "pstsync: Profile" "pstsync: Einstellungen" "pstsync: Profil Office" alt+b
in_language en_GB.UTF-8 en "pstsync: profiles" "pstsync: settings" "pstsync: profile Office" alt+e

echo "screenshots: $shots/tray-de-*.png, $shots/tray-en-*.png"
finish
