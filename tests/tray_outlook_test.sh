#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# The tray application around Outlook, under Wine and Xvfb: a fake
# OUTLOOK.EXE (tests/fake_outlook.c, built by `make win` into
# build/win64/test/OUTLOOK.EXE and registered under App Paths in the test's
# Wine prefix) holds the local store exclusively, as Outlook does, and
# records its starts and exits in the work folder. Three runs of the app:
#
#   A  sync_when_outlook_starts: the app sees Outlook start and exit; a
#      Synchronise asked for while Outlook runs waits (log, tooltip and
#      progress window), and still waits after Explorer's TaskbarCreated
#      (sent by the fake under another name), then runs when Outlook exits;
#      a wait cancelled from the menu runs nothing; Start Outlook from the
#      menu and `pstsyncw --start-outlook` (a second copy) sync first, then
#      start Outlook; no Outlook to be found gives a message and no sync;
#   B  sync_when_outlook_exits: Outlook's exit starts a sync; a balloon
#      notice tells its changes, none comes for a sync with nothing to do;
#      Start Outlook without sync_when_outlook_starts starts it at once;
#   C  the schedule, a minute made 4 s long by PSTSYNC_TRAY_MINUTE_MS: a
#      timed sync runs, is put off while Outlook holds the store, and runs
#      after its exit; never two syncs at once.
#
# Each step is judged on the app's log, the fake Outlook's record and the
# stores (pstsync.exe ls). Screenshots: build/screenshots/tray-o*.png.
# Ends with "N passed, N failed[, N skipped]". Helpers: tests/tray_lib.sh.
SUITE=outlook SUITE_DISPLAY=:59
. "$(dirname "$0")/tray_lib.sh"
rm -f "$shots"/tray-o*.png

fake="$root/$BUILD/win64/test/OUTLOOK.EXE"
[ -f "$fake" ] || skip "build it first: make win ($fake is missing)"
app_paths='HKLM\Software\Microsoft\Windows\CurrentVersion\App Paths\OUTLOOK.EXE'

# ---- helpers ------------------------------------------------------------------------

# the log from the last mark on: each step looks only at its own lines
mark() { mark=$(cat "$log" 2>/dev/null | wc -l); }
new() { tail -n +$((mark + 1)) "$log" 2>/dev/null | tr -d '\r'; }
# wait_new PATTERN SECONDS: 0 when a line after the mark matches (grep -E)
wait_new() {
	i=0
	while [ $i -lt $(($2 * 4)) ]; do
		new | grep -q -E -- "$1" && return 0
		sleep 0.25
		i=$((i + 1))
	done
	return 1
}
# line PATTERN: the number of the first line after the mark that matches (999999: none)
line() { n=$(new | grep -n -E -- "$1" | head -n 1 | cut -d: -f1); echo "${n:-999999}"; }
# before A B: the first line matching A comes before the first matching B, both there
before() { a=$(line "$1"); b=$(line "$2"); [ "$a" -lt 999999 ] && [ "$a" -lt "$b" ] && [ "$b" -lt 999999 ]; }
# expect NAME PATTERN SECONDS: a log line after the mark, else show the log's end
expect() {
	if wait_new "$2" "$3"; then ok "$1"; else bad "$1" "$(new | tail -n 6)"; fi
}

starts() { n=$(grep -c '^started' "$work/outlook-started.txt" 2>/dev/null); echo "${n:-0}"; }
exits() { n=$(grep -c '^exited' "$work/outlook-started.txt" 2>/dev/null); echo "${n:-0}"; }
# wait_count FUNCTION N SECONDS
wait_count() {
	i=0
	while [ "$($1)" -lt "$2" ] && [ $i -lt $(($3 * 4)) ]; do
		sleep 0.25
		i=$((i + 1))
	done
	[ "$($1)" -ge "$2" ]
}
# outlook_start: the fake Outlook, as the user would start it
outlook_start() {
	rm -f "$work/outlook-quit"
	want=$(($(starts) + 1))
	wine "$fake" >/dev/null 2>&1 &
	wait_count starts "$want" 20
}
outlook_quit() {
	want=$(($(exits) + 1))
	: > "$work/outlook-quit"
	wait_count exits "$want" 20
}

# balloon: 0 when a notice's balloon is on the screen: white where the desktop
# is blue, between its title and its text, left of the tray icon
balloon() {
	/usr/bin/import -display "$disp" -window root -crop 1x1+1000+705 -depth 8 txt:- 2>/dev/null |
		grep -q -i -E '#FFFFFF|white'
}
wait_balloon() {
	i=0
	while ! balloon && [ $i -lt 20 ]; do sleep 0.25; i=$((i + 1)); done
	balloon
}
# omenu ITEM: the tray menu, once no balloon covers its lower items (a click
# on a balloon closes it; one may come up to a few seconds after its log line)
omenu() {
	sleep 2
	i=0
	while balloon && [ $i -lt 10 ]; do
		xdotool mousemove 1000 705 click 1
		sleep 0.5
		i=$((i + 1))
	done
	menu "$@"
}

app_start() { # app_start NAME: start pstsyncw on tray.ini, wait for its log line
	mark
	wine "$gui" --config "$config" > "app-$1.log" 2>&1 &
	app_pid=$!
	expect "run $1: the application starts" "pstsyncw started" 30
	sleep 2
}
app_exit() {
	omenu exit
	if wait_gone "$app_pid" 15; then ok "run $1: Exit ends the application"; app_pid=
	else bad "run $1: Exit ends the application"; kill "$app_pid" 2>/dev/null; app_pid=; fi
	wineserver -w 2>/dev/null &
	sleep 1
}
options() { wine "$cli" --config tray.ini options set "$@" >> setup.log 2>&1; }
add_global() { wine "$cli" add global.pst:/Contacts PidTagGivenName="$1" PidTagSurname="$2" >> setup.log 2>&1; }
has_contact() { wine "$cli" ls "$1":/Contacts 2>&1 | grep -q "$2"; }

# ---- two stores, a profile, the fake Outlook ---------------------------------------------
cd "$work" || exit 1
{
	wine "$cli" create local.pst --name Anna &&
	wine "$cli" create global.pst --name Office &&
	wine "$cli" add local.pst:/Contacts PidTagGivenName=Bernd PidTagSurname=Krause &&
	wine "$cli" add global.pst:/Contacts PidTagGivenName=Dora PidTagSurname=Weiss &&
	wine "$cli" --config tray.ini profile add Office --local local.pst --global global.pst &&
	wine "$cli" --config tray.ini profile link Office /Contacts /Contacts
} > setup.log 2>&1
options sync_when_outlook_starts yes
options sync_when_outlook_exits no
options interval_minutes 0
options hide_progress_when_done yes
check "stores and settings made with pstsync.exe" test -s tray.ini -a -s global.pst
config=$(winepath -w "$work/tray.ini")
FAKE_OUTLOOK_DIR=$(winepath -w "$work")
export FAKE_OUTLOOK_DIR
winepath -w "$work/local.pst" > outlook-stores.txt
wine reg add "$app_paths" /ve /d "$(winepath -w "$fake")" /f >/dev/null 2>&1
check "the fake OUTLOOK.EXE is registered under App Paths" \
	sh -c "wine reg query '$app_paths' /ve 2>/dev/null | grep -q OUTLOOK.EXE"

# ==== run A: Outlook's start and exit seen; a sync that waits; Start Outlook ===========
app_start A

mark
if outlook_start; then ok "the fake Outlook starts and holds the local store"
else bad "the fake Outlook starts and holds the local store" "$(cat outlook-started.txt 2>/dev/null)"; fi
expect "the app sees Outlook start (log)" "Outlook started \(process [0-9]+\)" 10

# Synchronise while Outlook holds the local store: the sync waits
mark
omenu sync
expect "Synchronise while Outlook runs waits for it (log)" \
	"sync waiting for Outlook to close: '.*local.pst' is in use" 10
# hover over the icon for its tooltip; the progress window says it waits
xdotool mousemove 1013 757
sleep 3
shot tray-o1-waiting
# Explorer started again: the icon comes back as it was
cp "$fake" "$work/explorer-restart.exe"
check "TaskbarCreated sent to the app" wine "$work/explorer-restart.exe" --taskbar-created
expect "after TaskbarCreated the icon is back, still waiting (log)" \
	"the taskbar was created again: icon added \(waiting for Outlook\)" 10
check "no sync starts while Outlook runs" sh -c "! tail -n +$((mark + 1)) '$log' | grep -q 'sync run started'"

mark
outlook_quit
expect "the app sees Outlook exit (log)" "Outlook exited$" 10
expect "the sync that waited starts when Outlook exits (log)" \
	"Outlook exited: the sync that waited for it starts" 10
expect "... and runs to its end" "sync run ended" 60
check "the exit comes before the sync in the log" before "Outlook exited$" "sync run started"
check "the sync copied both ways" \
	sh -c "tail -n +$((mark + 1)) '$log' | grep -q \"sync 'Office' done.*1 copied to local, 1 copied to global, 0 errors\""
expect "a notice tells the changes (log)" \
	"notice: pstsync: synchronised: 1 copied to local, 1 copied to global" 5
check "the local store got the global contact" has_contact local.pst Weiss
check "the global store got the local contact" has_contact global.pst Krause

# a wait cancelled from the menu runs nothing
mark
outlook_start
expect "the app sees Outlook start again" "Outlook started \(process" 10
mark
omenu sync
expect "a second wait for Outlook (log)" "sync waiting for Outlook to close" 10
omenu sync # now "Cancel the wait for Outlook", in Synchronise's place
expect "Cancel the wait from the menu (log)" "the wait for Outlook was cancelled" 10
outlook_quit
expect "Outlook's exit seen again" "Outlook exited$" 10
sleep 3
check "a cancelled wait runs no sync at Outlook's exit" sh -c "! tail -n +$((mark + 1)) '$log' | grep -q 'sync run started'"

# Start Outlook from the menu: sync first (sync_when_outlook_starts), then Outlook
add_global Emil Faber
mark
want=$(($(starts) + 1))
omenu outlook
expect "Start Outlook syncs first (log)" "Start Outlook: syncing first" 10
expect "... the sync ends" "sync run ended" 60
if wait_count starts "$want" 20; then ok "... then the fake Outlook starts"
else bad "... then the fake Outlook starts" "$(tail -n 3 outlook-started.txt 2>/dev/null)"; fi
expect "... and the app sees it" "Outlook started \(process" 10
check "Outlook starts after the sync's end (log order)" before "sync run ended" "starting Outlook: '.*OUTLOOK.EXE'"
check "... and the sync found the stores free" \
	sh -c "tail -n +$((mark + 1)) '$log' | grep -q \"sync 'Office' done.*1 copied to local, 0 errors\""
outlook_quit
check "the local store got the contact added before Start Outlook" has_contact local.pst Faber

# pstsyncw --start-outlook, a second copy: the first one syncs, then starts Outlook
add_global Frida Gerber
wait_new "Outlook exited$" 10
mark
want=$(($(starts) + 1))
if wine "$gui" --config "$config" --start-outlook >/dev/null 2>&1; then
	ok "pstsyncw --start-outlook as a second copy exits at once"
else
	bad "pstsyncw --start-outlook as a second copy exits at once"
fi
expect "the running copy takes the request (log)" "Start Outlook asked for by a second pstsyncw" 10
expect "... syncs first" "sync run ended" 60
if wait_count starts "$want" 20; then ok "... then starts the fake Outlook"
else bad "... then starts the fake Outlook"; fi
check "Outlook starts after the sync's end (log order, --start-outlook)" \
	before "sync run ended" "starting Outlook: '"
check "... and the sync found the stores free (--start-outlook)" \
	sh -c "tail -n +$((mark + 1)) '$log' | grep -q \"sync 'Office' done.*1 copied to local, 0 errors\""
outlook_quit
check "the local store got the contact added before --start-outlook" has_contact local.pst Gerber

# no Outlook to start: a message, and no sync
wait_new "Outlook exited$" 10
wine reg delete "$app_paths" /f >/dev/null 2>&1
mark
omenu outlook
expect "Start Outlook with no Outlook installed says so (log)" "Outlook not found" 10
shot tray-o3-not-found
xdotool key Return
sleep 1
check "... and runs no sync" sh -c "! tail -n +$((mark + 1)) '$log' | grep -q 'sync run started'"
wine reg add "$app_paths" /ve /d "$(winepath -w "$fake")" /f >/dev/null 2>&1

app_exit A

# ==== run B: sync when Outlook exits; notices ===========================================
options sync_when_outlook_starts no
options sync_when_outlook_exits yes
app_start B
outlook_start
expect "run B: the app sees Outlook start" "Outlook started \(process" 10
add_global Gustav Hahn
mark
outlook_quit
expect "Outlook's exit starts a sync (sync_when_outlook_exits)" \
	"Outlook exited: syncing \(sync_when_outlook_exits\)" 10
expect "... it runs to its end" "sync run ended" 60
check "... and copies what changed" \
	sh -c "tail -n +$((mark + 1)) '$log' | grep -q \"sync 'Office' done.*1 copied to local, 0 errors\""
expect "a balloon notice tells the changes (log)" "notice: pstsync: synchronised: 1 copied to local$" 5
# Wine shows the balloon a moment later, left of the icon
if wait_balloon; then shot tray-o2-balloon; echo "note: the balloon is on the screen"
else shot tray-o2-balloon; echo "note: Wine showed no balloon"; fi
check "the local store got the contact" has_contact local.pst Hahn

# Start Outlook without sync_when_outlook_starts: at once, no sync
mark
want=$(($(starts) + 1))
omenu outlook
if wait_count starts "$want" 20; then ok "Start Outlook without sync_when_outlook_starts starts it"
else bad "Start Outlook without sync_when_outlook_starts starts it"; fi
check "... with no sync before it" sh -c "! tail -n +$((mark + 1)) '$log' | grep -q 'sync run started'"
expect "run B: the app sees that Outlook start" "Outlook started \(process" 10
mark
outlook_quit
expect "its exit syncs again" "sync run ended" 60
sleep 2
check "a sync with nothing to do gives no notice" sh -c "! tail -n +$((mark + 1)) '$log' | grep -q 'notice:'"
app_exit B

# ==== run C: the schedule ===================================================================
options sync_when_outlook_exits no
options interval_minutes 1
add_global Hanna Iske
export PSTSYNC_TRAY_MINUTE_MS=4000
app_start C
unset PSTSYNC_TRAY_MINUTE_MS
check "the minute is scaled (log)" wait_new "a minute lasts 4000 ms" 1
check "the schedule is on (log)" wait_new "schedule: a sync every 1 minute$" 1
expect "a timed sync runs" "sync run started \(scheduled\)" 15
expect "... to its end" "sync run ended" 60
check "... and copies what changed (scheduled)" \
	sh -c "tail -n +$((mark + 1)) '$log' | grep -q \"sync 'Office' done.*1 copied to local, 0 errors\""

# Outlook holds the local store: the schedule is put off, minute after minute
mark
outlook_start
expect "a timed sync is put off while Outlook holds the store (log)" \
	"scheduled sync put off: '.*local.pst' is in use \(Outlook is running\); trying again in a minute" 15
mark
add_global Ida Jansen
sleep 9
check "no sync runs while Outlook holds the store" sh -c "! tail -n +$((mark + 1)) '$log' | grep -q 'sync run started'"
mark
outlook_quit
expect "after Outlook's exit the timed sync runs (log)" \
	"scheduled sync starts, put off [0-9]+ times before" 15
n=$(new | sed -n -E 's/.*put off ([0-9]+) times before.*/\1/p' | head -n 1)
check "... having been put off at least twice ($n times)" test "${n:-0}" -ge 2
expect "... to its end" "sync run ended" 60
check "... and copies what changed while it waited" \
	sh -c "tail -n +$((mark + 1)) '$log' | grep -q \"sync 'Office' done.*1 copied to local, 0 errors\""
sleep 5
app_exit C
check "never two syncs at once (every start is followed by its end)" awk '
	/sync run started/ { if (running) bad = 1; running = 1 }
	/sync run ended/ { running = 0 }
	END { exit bad }' "$log"
check "no sync failed in all these runs" sh -c "! grep -q \"sync 'Office' failed\" '$log'"
check "the local store got the contacts of the timed syncs" has_contact local.pst Jansen
check "the global store has every contact once" sh -c \
	"[ \$(wine '$cli' ls global.pst:/Contacts 2>&1 | grep -c -E 'Krause|Weiss|Faber|Gerber|Hahn|Iske|Jansen') = 7 ]"

cp "$log" "$work/pstsync.log" 2>/dev/null
echo "screenshots: $shots/tray-o*.png; log: $work/pstsync.log"
finish
