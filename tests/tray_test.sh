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
# Environment: BUILD (build); WINEPREFIX_TRAY (default build/wine-tray: a
# prefix of its own, because of its desktop settings); TRAY_DISPLAY (:57).
set -u
BUILD=${BUILD:-build}
root=$(pwd)
shots="$root/$BUILD/screenshots"
work="$root/$BUILD/tmp/tray"
gui="$root/$BUILD/win64/pstsyncw.exe"
cli="$root/$BUILD/win64/pstsync.exe"
disp=${TRAY_DISPLAY:-:57}
pass=0 fail=0
xvfb_pid= app_pid=

skip() {
	echo "skip tray: $1"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}

for tool in Xvfb xdotool wine wineserver winepath /usr/bin/import; do
	command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is not installed (make deps-win)"
done
[ -f "$gui" ] && [ -f "$cli" ] || skip "build it first: make win"

export WINEPREFIX="${WINEPREFIX_TRAY:-$root/$BUILD/wine-tray}" WINEDEBUG=-all \
	WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY="$disp"

cleanup() {
	[ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
	wineserver -k 2>/dev/null
	[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '     %s\n' "$2"; }
check() { # check NAME COMMAND...: the command's success is the test
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else bad "$name"; fi
}
shot() { /usr/bin/import -display "$disp" -window root "$shots/$1.png" 2>/dev/null; }

# wait_log PATTERN SECONDS: 0 when the log has a line matching PATTERN
wait_log() {
	i=0
	while [ $i -lt $(($2 * 4)) ]; do
		[ -f "$log" ] && grep -q -- "$1" "$log" && return 0
		sleep 0.25
		i=$((i + 1))
	done
	return 1
}

# menu ITEM [SHOT]: open the tray menu with a right click on the icon and
# click ITEM. Keys do not reach Wine's popup menus under Xvfb, so items are
# clicked where the menu puts them: it opens up and left of the icon, one
# row per item (the y values below, in the order of IDM_TRAY in res/app.rc).
menu() {
	case $1 in
	sync) y=616 ;; profiles) y=642 ;; settings) y=659 ;; log) y=676 ;;
	outlook) y=693 ;; about) y=719 ;; exit) y=736 ;;
	esac
	xdotool mousemove 1013 757 click 3
	sleep 1
	[ -n "${2:-}" ] && shot "$2"
	xdotool mousemove 950 "$y" click 1
	sleep 1
}

rm -rf "$work" && mkdir -p "$work" "$shots"
rm -f "$shots"/tray-*.png

# ---- the prefix and the display ------------------------------------------------
Xvfb "$disp" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
if [ ! -f "$WINEPREFIX/system.reg" ]; then
	wineboot --init >/dev/null 2>&1
	wineserver -w
fi
wine reg add 'HKCU\Software\Wine\Explorer' /v Desktop /d shell /f >/dev/null 2>&1
wine reg add 'HKCU\Software\Wine\Explorer\Desktops' /v shell /d 1024x768 /f >/dev/null 2>&1
localapp=$(wine cmd /c echo %LOCALAPPDATA% 2>/dev/null | tr -d '\r')
log="$(winepath -u "$localapp" 2>/dev/null)/pstsync/pstsync.log"
rm -f "$log"

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
i=0
while kill -0 "$app_pid" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.25; i=$((i + 1)); done
if kill -0 "$app_pid" 2>/dev/null; then bad "Exit from the menu ends the application"
else ok "Exit from the menu ends the application"; app_pid=; fi
check "the log records the exit" grep -q "pstsyncw exited" "$log"
cp "$log" "$work/pstsync.log" 2>/dev/null

echo "screenshots: $shots/tray-*.png; log: $work/pstsync.log"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
