#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# The tray application's first start under Wine and Xvfb: with no settings
# file it offers to make a profile and proposes the user's Outlook data
# files. The prefix gets two PST files made by pstsync.exe: one in the
# usual folder (Documents\Outlook Files) and one elsewhere that only an
# Outlook profile in the registry names (Profiles\Outlook\<service>\001f6700,
# a UTF-16 path, as Outlook writes it). The offer must name both (log and
# dialog), Yes must open the profile editor with the first one as the local
# store, and Cancel there must leave no settings file. A second start with a
# settings file that has no profile must not ask again. Screenshots:
# build/screenshots/tray-f*.png. Ends with "N passed, N failed".
#
# The set-up and helpers are in tests/tray_lib.sh.
SUITE=firstrun SUITE_DISPLAY=:63
. "$(dirname "$0")/tray_lib.sh"
rm -f "$shots"/tray-f[0-9]*.png

unix() { winepath -u "$(wine cmd /c echo "$1" 2>/dev/null | tr -d '\r')" 2>/dev/null; }
docs="$(unix %USERPROFILE%)/Documents/Outlook Files"
cd "$work" || exit 1
mkdir -p "$docs" "$work/archive"
rm -f "$docs"/*.pst
{
	wine "$cli" create "$(winepath -w "$docs")\\anna.pst" --name Anna &&
	wine "$cli" create archive/old-mail.pst --name Archive
} > setup.log 2>&1
check "two PST files made with pstsync.exe" test -s "$docs/anna.pst" -a -s archive/old-mail.pst
archive=$(winepath -w "$work/archive/old-mail.pst")
# the path as Outlook keeps it: UTF-16LE with a terminating NUL, in hex
hex=$(printf '%s' "$archive" | iconv -f UTF-8 -t UTF-16LE | od -An -tx1 | tr -d ' \n')0000
key='HKCU\Software\Microsoft\Office\16.0\Outlook\Profiles\Outlook\9207f3e0a3b11019908b08002b2a56c2'
wine reg add "$key" /v 001f6700 /t REG_BINARY /d "$hex" /f > reg.log 2>&1
check "an Outlook profile in the registry names the second file" \
	sh -c "wine reg query '$key' /v 001f6700 | grep -q REG_BINARY"
config=$(winepath -w "$work/first.ini")
rm -f first.ini

# ---- the first start ---------------------------------------------------------------
wine "$gui" --config "$config" > app.log 2>&1 &
app_pid=$!
if wait_log "first start: no settings yet, 2 Outlook data files found" 30; then
	ok "the first start finds both Outlook data files"
else bad "the first start finds both Outlook data files" "$(grep 'first start' "$log" 2>/dev/null)"; fi
check "one in Documents\\Outlook Files" grep -q "found the Outlook data file .*Outlook Files.anna.pst" "$log"
check "one named by the Outlook profile in the registry" grep -q "found the Outlook data file .*old-mail.pst" "$log"
sleep 2
shot tray-f1-offer
check "it offers to make a profile ('pstsync: welcome')" \
	sh -c "xdotool search --onlyvisible --name '^pstsync: welcome\$' >/dev/null"
xdotool key Return    # Yes
sleep 3
shot tray-f2-editor
check "Yes opens the editor of a new profile" \
	sh -c "xdotool search --onlyvisible --name '^pstsync: new profile\$' >/dev/null"
xdotool key Escape
sleep 1
check "Cancel in the editor leaves no settings file" test ! -e first.ini
check "the log says no profile was made" grep -q "first start: no profile made" "$log"
menu exit
if wait_gone "$app_pid" 10; then ok "Exit ends it"; app_pid=; else bad "Exit ends it"; fi
wineserver -w 2>/dev/null

# ---- a settings file without profiles: no offer ------------------------------------------
printf '[options]\nconfirm_deletes = yes\n' > first.ini
rm -f "$log"
wine "$gui" --config "$config" > app2.log 2>&1 &
app_pid=$!
check "a later start reads its settings" wait_log "pstsyncw started" 30
sleep 2
check "and offers nothing" sh -c "! grep -q 'first start' '$log' &&
	! xdotool search --onlyvisible --name '^pstsync: welcome\$' >/dev/null"
menu exit
if wait_gone "$app_pid" 10; then app_pid=; fi

echo "screenshots: $shots/tray-f*.png"
finish
