#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# The Windows setup (build/dist/pstsync-VERSION-setup.exe, `make dist`) under
# Wine and Xvfb, as an admin would use it: a silent install per user (/S),
# then its files, its Start-menu shortcuts, its uninstall entry and Run value
# (`wine reg query`), the installed pstsync.exe's version, the installed tray
# application starting with the user's settings; a silent upgrade while the
# tray application runs (it is asked to exit, and comes back), one with
# /PROFILES=FILE (the office's profiles imported); a silent uninstall, which
# removes program, shortcuts, entry and Run value and keeps the settings; an
# install for all users (/ALLUSERS, /D=DIR) into a folder of its own; and one
# for all users that starts pstsync with Windows (HKLM's Run value, with
# --logon): the tray's Settings show the tick box ticked, a user who unticks
# it (no administrator) gets a value of their own that makes the copy started
# at logon quit, and ticking it again undoes that (tests/wintext.c reads the
# tick box). Ends with "N passed, N failed[, N skipped]".
#
# The set-up and helpers are in tests/tray_lib.sh.
SUITE=setup SUITE_DISPLAY=:61
. "$(dirname "$0")/tray_lib.sh"
rm -f "$shots"/setup-*.png
version=$(sed -n 's/^#define PSTSYNC_VERSION "\(.*\)"$/\1/p' "$root/include/pstsync/version.h")
setup="$root/$BUILD/dist/pstsync-$version-setup.exe"
[ -f "$setup" ] || skip "build it first: make dist"
zip="$root/$BUILD/dist/pstsync-$version-win64.zip"

# a Windows folder of the prefix as a Linux path
unix() { winepath -u "$(wine cmd /c echo "$1" 2>/dev/null | tr -d '\r')" 2>/dev/null; }
appdata=$(unix %APPDATA%)
programs="$(unix %LOCALAPPDATA%)/Programs/pstsync"
startmenu="$appdata/Microsoft/Windows/Start Menu/Programs/pstsync"
uninst='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\pstsync'
run='HKCU\Software\Microsoft\Windows\CurrentVersion\Run'
reg_has() { wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | grep -q -- "$3"; }
reg_lacks() { ! wine reg query "$1" /v "$2" >/dev/null 2>&1; }
count_log() { grep -c -- "$1" "$log" 2>/dev/null || echo 0; }

# wait_file_gone FILE SECONDS (an uninstaller copies itself to %TEMP% and returns at once)
wait_file_gone() {
	i=0
	while [ -e "$1" ] && [ $i -lt $(($2 * 4)) ]; do
		sleep 0.25
		i=$((i + 1))
	done
	[ ! -e "$1" ]
}

# ---- the zip ------------------------------------------------------------------------
if [ -f "$zip" ]; then
	python3 -m zipfile -l "$zip" > "$work/zip.txt" 2>&1
	check "the zip holds both exes, LICENSE and the README" \
		sh -c "cd '$work' && grep -q '^pstsync.exe ' zip.txt && grep -q '^pstsyncw.exe ' zip.txt &&
			grep -q '^LICENSE ' zip.txt && grep -q '^README.md ' zip.txt"
else
	bad "the zip $zip exists"
fi

# ---- the user's settings, made before the install -------------------------------------
cd "$work" || exit 1
# the prefix outlives a run, and an uninstall keeps the settings: start afresh
rm -rf "$appdata/pstsync" "$programs" "$(winepath -u 'C:\Tools\pstsync' 2>/dev/null)"
wine reg delete "$uninst" /f >/dev/null 2>&1
wine reg delete "$run" /v pstsync /f >/dev/null 2>&1
mkdir -p "$appdata/pstsync"
{
	wine "$cli" create local.pst --name Anna &&
	wine "$cli" create global.pst --name Office &&
	wine "$cli" profile add Office --local local.pst --global global.pst &&
	wine "$cli" profile link Office /Contacts /Contacts
} > settings.log 2>&1
check "the user's settings are in %APPDATA%\\pstsync" grep -q '^name = Office' \
	"$appdata/pstsync/pstsync.ini"
cp "$appdata/pstsync/pstsync.ini" settings-before.ini

# ---- silent install, per user ------------------------------------------------------------
if wine "$setup" /S > install.log 2>&1; then ok "setup.exe /S exits with status 0"
else bad "setup.exe /S exits with status 0" "$(cat install.log)"; fi
for f in pstsync.exe pstsyncw.exe LICENSE README.md uninstall.exe; do
	check "installed into %LOCALAPPDATA%\\Programs\\pstsync: $f" test -s "$programs/$f"
done
check "Start menu: pstsync" test -s "$startmenu/pstsync.lnk"
check "Start menu: Outlook (synchronised)" test -s "$startmenu/Outlook (synchronised).lnk"
# a shortcut keeps its arguments in UTF-16
check "the shortcut starts pstsyncw.exe --start-outlook" \
	sh -c "LC_ALL=C grep -aq -- '-.-.s.t.a.r.t.-.o.u.t.l.o.o.k' '$startmenu/Outlook (synchronised).lnk'"
check "uninstall entry: DisplayName" reg_has "$uninst" DisplayName "REG_SZ *pstsync$"
check "uninstall entry: DisplayVersion $version" reg_has "$uninst" DisplayVersion "REG_SZ *$version$"
check "uninstall entry: Publisher" reg_has "$uninst" Publisher "REG_SZ *The pstsync authors"
check "uninstall entry: DisplayIcon" reg_has "$uninst" DisplayIcon 'Programs\\pstsync\\pstsyncw.exe,0'
check "uninstall entry: EstimatedSize" reg_has "$uninst" EstimatedSize "REG_DWORD *0x[1-9a-f]"
check "uninstall entry: QuietUninstallString" reg_has "$uninst" QuietUninstallString 'uninstall.exe" /S'
check "pstsync starts with Windows (HKCU Run)" reg_has "$run" pstsync 'pstsyncw.exe"$'
wine "$programs/pstsync.exe" version > version.txt 2>&1
check "the installed pstsync.exe says version $version" grep -q "^pstsync $version" version.txt
check "pstsync.exe's version resource says $version" \
	sh -c "LC_ALL=C grep -aq 'P.r.o.d.u.c.t.V.e.r.s.i.o.n...$(echo "$version" | sed 's/\(.\)/\1./g')' '$programs/pstsync.exe'"
check "the settings are untouched" cmp -s settings-before.ini "$appdata/pstsync/pstsync.ini"

# ---- the installed tray application ---------------------------------------------------
wine "$programs/pstsyncw.exe" > app.log 2>&1 &
app_pid=$!
if wait_log "pstsyncw started: settings .*pstsync.ini', 1 profiles" 30; then
	ok "the installed tray application starts with the user's settings"
else bad "the installed tray application starts with the user's settings" "$(tail -n 3 "$log" 2>/dev/null)"; fi
sleep 2
shot setup-01-installed

# ---- an upgrade while it runs, with the office's profiles ---------------------------------
cat > office.ini <<'EOF'
; the office's profiles, written once by the admin
[profile 1]
name = Team calendar
local = %LOCALAPPDATA%\pstsync\team.pst
global = \\server\office\common.pst
link1.local = /Calendar
link1.global = /Calendar
EOF
started=$(count_log "pstsyncw started")
if wine "$setup" /S "/PROFILES=$(winepath -w "$work/office.ini")" > upgrade.log 2>&1; then
	ok "an upgrade with /PROFILES=FILE exits with status 0"
else bad "an upgrade with /PROFILES=FILE exits with status 0" "$(cat upgrade.log)"; fi
if wait_gone "$app_pid" 20; then ok "the running tray application was asked to exit"; app_pid=
else bad "the running tray application was asked to exit"; fi
check "the log records its exit" grep -q "pstsyncw exited" "$log"
i=0
while [ "$(count_log "pstsyncw started")" -le "$started" ] && [ $i -lt 80 ]; do sleep 0.25; i=$((i + 1)); done
if [ "$(count_log "pstsyncw started")" -gt "$started" ]; then
	ok "the upgrade starts the tray application again"
else bad "the upgrade starts the tray application again"; fi
check "the office's profile is imported" grep -q '^name = Team calendar' "$appdata/pstsync/pstsync.ini"
check "its paths are kept as written" grep -q '^local = %LOCALAPPDATA%\\pstsync\\team.pst' \
	"$appdata/pstsync/pstsync.ini"
check "the user's own profile stays" grep -q '^name = Office' "$appdata/pstsync/pstsync.ini"
cp "$appdata/pstsync/pstsync.ini" settings-before.ini

# ---- silent uninstall ---------------------------------------------------------------------
exited=$(count_log "pstsyncw exited")
wine "$programs/uninstall.exe" /S > uninstall.log 2>&1
if wait_file_gone "$programs/uninstall.exe" 60; then ok "uninstall.exe /S removes the uninstaller"
else bad "uninstall.exe /S removes the uninstaller"; fi
wineserver -w 2>/dev/null
check "the tray application was asked to exit" test "$(count_log "pstsyncw exited")" -gt "$exited"
check "the program folder is gone" test ! -e "$programs"
check "the Start-menu folder is gone" test ! -e "$startmenu"
check "the uninstall entry is gone" sh -c "! wine reg query '$uninst' >/dev/null 2>&1"
check "the Run value is gone" reg_lacks "$run" pstsync
check "the settings stay, unchanged" cmp -s settings-before.ini "$appdata/pstsync/pstsync.ini"
check "the log stays" test -s "$log"

# ---- for all users, into a folder of one's choice ------------------------------------------
hklm='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\pstsync'
wine "$setup" /S /ALLUSERS /NOAUTOSTART '/D=C:\Tools\pstsync' > allusers.log 2>&1
tools="$(winepath -u 'C:\Tools\pstsync' 2>/dev/null)"
check "/ALLUSERS /D=C:\\Tools\\pstsync installs there" test -s "$tools/pstsyncw.exe"
check "/ALLUSERS registers under HKLM" reg_has "$hklm" InstallLocation 'C:\\Tools\\pstsync'
check "/ALLUSERS leaves HKCU alone" sh -c "! wine reg query '$uninst' >/dev/null 2>&1"
check "/NOAUTOSTART leaves the Run value out" reg_lacks 'HKLM\Software\Microsoft\Windows\CurrentVersion\Run' pstsync
wine "$tools/uninstall.exe" /S > uninstall2.log 2>&1
wait_file_gone "$tools/uninstall.exe" 60
check "its uninstaller removes it and its HKLM entry" \
	sh -c "[ ! -e '$tools/pstsyncw.exe' ] && ! wine reg query '$hklm' >/dev/null 2>&1"

# ---- for all users, started with Windows: each user may say no -------------------------
hklm_run='HKLM\Software\Microsoft\Windows\CurrentVersion\Run'
prefs='HKCU\Software\pstsync'
wintext="$root/$BUILD/win64/test/wintext.exe"
logon_box='Start pstsync when I &log on to Windows'
# texts TITLE: what the window of that title shows (tests/wintext.c), one line a text
texts() { wine "$wintext" "$1" 2>/dev/null | tr -d '\r'; }
# tick_box STATE: the settings show the tick box so ("checked", "unchecked"); closes them
tick_box() {
	menu settings
	texts "pstsync: settings" > box.txt
	xdotool key Escape
	sleep 1
	grep -qx "$1	$logon_box" box.txt
}
# toggle: the settings' tick box clicked (Alt+L), then OK
toggle() {
	menu settings
	xdotool key alt+l
	sleep 0.5
	xdotool key Return
	sleep 1
}
# app_start ARGS: the installed tray application, waited for
app_start() {
	started=$(count_log "pstsyncw started")
	wine "$tools/pstsyncw.exe" "$@" > app-logon.log 2>&1 &
	app_pid=$!
	i=0
	while [ "$(count_log "pstsyncw started")" -le "$started" ] && [ $i -lt 120 ]; do sleep 0.25; i=$((i + 1)); done
	[ "$(count_log "pstsyncw started")" -gt "$started" ] && sleep 2
}
app_exit() {
	menu exit
	wait_gone "$app_pid" 15
	app_pid=
}

wine reg delete "$prefs" /f >/dev/null 2>&1
wine reg delete "$run" /v pstsync /f >/dev/null 2>&1
wine "$setup" /S /ALLUSERS '/D=C:\Tools\pstsync' > allusers2.log 2>&1
check "/ALLUSERS starts pstsync with Windows for every user (HKLM Run, --logon)" \
	reg_has "$hklm_run" pstsync 'pstsyncw.exe" --logon$'
check "... and writes no Run value of the user's own" reg_lacks "$run" pstsync
if [ -f "$wintext" ] && app_start; then
	ok "the installed tray application (for all users) starts"
	check "its Settings show 'start when I log on' ticked" tick_box checked
	toggle
	shot setup-03-logon-off
	check "unticked: the user's own 'no' (HKCU\Software\pstsync RunAtLogon = 0)" \
		reg_has "$prefs" RunAtLogon '0x0$'
	check "... the all-users Run value stays (it is the admin's)" \
		reg_has "$hklm_run" pstsync 'pstsyncw.exe" --logon$'
	check "... no Run value of the user's own" reg_lacks "$run" pstsync
	check "... the log says so" grep -q "run at logon: off for this user" "$log"
	check "the Settings show it unticked" tick_box unchecked
	app_exit
	# a logon: the all-users value starts it with --logon, and for this user it quits
	wine "$tools/pstsyncw.exe" --logon > logon.log 2>&1 &
	logon_pid=$!
	if wait_gone "$logon_pid" 20; then ok "started with --logon, it quits at once for this user"
	else bad "started with --logon, it quits at once for this user"; kill "$logon_pid" 2>/dev/null; fi
	check "... and says why in the log" \
		grep -q "started at logon, but this user turned that off: pstsyncw ends" "$log"
	app_start
	toggle
	check "ticked again: the user's 'no' is gone" reg_lacks "$prefs" RunAtLogon
	check "... and no Run value of the user's own (the all-users one starts it)" \
		reg_lacks "$run" pstsync
	check "... the log says so" grep -q "run at logon: on (the all-users Run value)" "$log"
	check "the Settings show it ticked" tick_box checked
	app_exit
	if app_start --logon; then ok "started with --logon, it runs again"
	else bad "started with --logon, it runs again"; fi
	app_exit
else
	bad "the installed tray application (for all users) starts" "$(tail -n 3 "$log" 2>/dev/null)"
fi
wine "$tools/uninstall.exe" /S > uninstall3.log 2>&1
wait_file_gone "$tools/uninstall.exe" 60
check "its uninstaller removes the all-users Run value" reg_lacks "$hklm_run" pstsync

# ---- the wizard, for the README ---------------------------------------------------------
wine "$setup" > wizard.log 2>&1 &
wizard_pid=$!
sleep 4
shot setup-02-wizard
kill "$wizard_pid" 2>/dev/null
wineserver -k 2>/dev/null

echo "screenshots: $shots/setup-*.png"
finish
