#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# `make install` and the manual page: installs into a fresh DESTDIR with
# PREFIX=/usr/local, checks the two files and that the installed pstsync
# runs, renders the page with `man --warnings -l` and `groff -ww` (no
# warning allowed), and checks that it is complete: every command of
# `pstsync --help`, every option of every `pstsync COMMAND --help`, the
# settings file's keys, the exit statuses, and the version of version.h.
# Ends with "N passed, N failed".
#
# Environment: BUILD (build).
set -u
BUILD=${BUILD:-build}
root=$(pwd)
exe="$root/$BUILD/pstsync"
dest="$root/$BUILD/tmp/install"
page=doc/pstsync.1
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '     %s\n' "$2"; }

rm -rf "$dest" && mkdir -p "$dest"
if make --no-print-directory -s install BUILD="$BUILD" PREFIX=/usr/local DESTDIR="$dest" \
	> "$dest.log" 2>&1; then ok "make install PREFIX=/usr/local DESTDIR=..."
else bad "make install PREFIX=/usr/local DESTDIR=..." "$(tail -n 5 "$dest.log")"; fi
[ -x "$dest/usr/local/bin/pstsync" ] && ok "installs bin/pstsync" || bad "installs bin/pstsync"
[ -f "$dest/usr/local/share/man/man1/pstsync.1" ] && ok "installs share/man/man1/pstsync.1" \
	|| bad "installs share/man/man1/pstsync.1"
version=$(sed -n 's/^#define PSTSYNC_VERSION "\(.*\)"$/\1/p' include/pstsync/version.h)
"$dest/usr/local/bin/pstsync" version | grep -q "^pstsync $version" \
	&& ok "the installed pstsync runs: version $version" || bad "the installed pstsync runs"
grep -q "^\.TH PSTSYNC 1 .*\"pstsync $version\"" "$page" \
	&& ok "the page names version $version" || bad "the page names version $version" "$(grep '^\.TH' "$page")"

# rendering: man's own warnings, and groff's with every warning on
if command -v man >/dev/null 2>&1; then
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$dest/usr/local/share/man/man1/pstsync.1" 2>&1 >"$dest/page.txt")
	if [ -z "$out" ] && grep -q "keep folders of Outlook PST files in step" "$dest/page.txt"; then
		ok "man --warnings -l renders it without a warning"
	else bad "man --warnings -l renders it without a warning" "$out"; fi
else
	bad "man is installed (make deps-tools)"
fi
if command -v groff >/dev/null 2>&1; then
	out=$(groff -ww -man -Tutf8 "$page" 2>&1 >/dev/null)
	[ -z "$out" ] && ok "groff -ww -man: no warning" || bad "groff -ww -man: no warning" "$out"
	text=$(groff -man -Tascii -P-cbou "$page" 2>/dev/null)
else
	bad "groff is installed (make deps-tools)"
	text=
fi

# completeness, against the program's own help
for cmd in $("$exe" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
	printf "%s\n" "$text" | grep -q "pstsync $cmd" && ok "the page has 'pstsync $cmd'" \
		|| bad "the page has 'pstsync $cmd'"
	for opt in $("$exe" "$cmd" --help | awk '/^options:/ { on = 1; next } /^[a-z]/ { on = 0 }
			on { for (i = 1; i <= NF; i++) if ($i ~ /^--?[a-z]/) print $i }' | tr -d ',' | sort -u); do
		printf "%s\n" "$text" | grep -q -- "$opt" || bad "the page has $cmd's option $opt"
	done
done
for key in confirm_deletes mass_delete_percent mass_delete_minimum conflicts show_progress \
	hide_progress_when_done sync_when_outlook_starts sync_when_outlook_exits interval_minutes \
	link1.direction %LOCALAPPDATA% "EXIT STATUS" FILES EXAMPLES; do
	printf "%s\n" "$text" | grep -q -- "$key" || bad "the page has $key"
done
ok "every option of every command and the settings' keys are on the page (unless said above)"

rm -rf "$dest" "$dest.log"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
