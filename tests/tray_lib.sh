# SPDX-License-Identifier: LGPL-3.0-or-later
#
# What the tray application's Wine tests share: sourced by tests/tray_*.sh
# after they set SUITE (a short name: its work folder, Wine prefix and
# screenshots' prefix) and SUITE_DISPLAY (an X display of its own, so that
# suites can run side by side). It checks the tools, starts Xvfb and a Wine
# prefix whose desktop is a 1024x768 "shell" window with a tray, and gives
# the helpers below. Nothing here asserts anything.
#
# Environment: BUILD (build); TRAY_DISPLAY overrides SUITE_DISPLAY.
set -u
BUILD=${BUILD:-build}
root=$(pwd)
shots="$root/$BUILD/screenshots"
work="$root/$BUILD/tmp/$SUITE"
gui="$root/$BUILD/win64/pstsyncw.exe"
cli="$root/$BUILD/win64/pstsync.exe"
disp=${TRAY_DISPLAY:-$SUITE_DISPLAY}
pass=0 fail=0
xvfb_pid= app_pid=

skip() {
	echo "skip $SUITE: $1"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}

for tool in Xvfb xdotool wine wineserver winepath /usr/bin/import; do
	command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is not installed (make deps-win)"
done
[ -f "$gui" ] && [ -f "$cli" ] || skip "build it first: make win"

export WINEPREFIX="$root/$BUILD/wine-$SUITE" WINEDEBUG=-all \
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
# check_output NAME PATTERN FILE: FILE has a line matching PATTERN; when not,
# its last lines go with the failure, so that a CI log tells why
check_output() {
	if grep -q -- "$2" "$3" 2>/dev/null; then
		ok "$1"
	else
		bad "$1"
		tail -n 12 "$3" 2>/dev/null | tr -d '\r' | sed 's/^/     | /'
	fi
}
shot() { /usr/bin/import -display "$disp" -window root "$shots/$1.png" 2>/dev/null; }

# finish: the closing line; the exit status tells whether all passed
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
}

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

# wait_gone PID SECONDS: 0 when the process has ended
wait_gone() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt $(($2 * 4)) ]; do
		sleep 0.25
		i=$((i + 1))
	done
	! kill -0 "$1" 2>/dev/null
}

# menu ITEM [SHOT]: open the tray menu with a right click on the icon and
# click ITEM. Keys do not reach Wine's popup menus under Xvfb, so items are
# clicked where the menu puts them: it opens up and left of the icon, one
# row per item (the y values below, in the order of IDM_TRAY in res/app.rc).
menu() {
	case $1 in
	sync) y=599 ;; profiles) y=625 ;; settings) y=642 ;; log) y=659 ;;
	recover) y=676 ;; outlook) y=693 ;; about) y=719 ;; exit) y=736 ;;
	esac
	xdotool mousemove 1013 757 click 3
	sleep 1
	[ -n "${2:-}" ] && shot "$2"
	xdotool mousemove 950 "$y" click 1
	sleep 1
}

rm -rf "$work" && mkdir -p "$work" "$shots"

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
