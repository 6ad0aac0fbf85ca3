/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * When the tray application syncs by itself: around Outlook, and on a
 * schedule. Outlook opens its PST files exclusively, so a sync can only
 * run while Outlook is closed. A timer looks at the process list every two
 * seconds for OUTLOOK.EXE (cheap, and it works under Wine too) and logs
 * every start and exit it sees. At an exit it runs the sync that waited
 * for Outlook (a sync the user asked for while Outlook held a store), or,
 * with the option sync_when_outlook_exits, a sync of its own. "Sync when
 * Outlook starts" can only mean "before it starts": Start Outlook (the
 * menu, or `pstsyncw --start-outlook` as the user's Outlook shortcut)
 * syncs first, then starts Outlook, found through the registry's App
 * Paths or the usual Office folders.
 *
 * The schedule: every interval_minutes a sync of the ticked profiles.
 * When it is due and a store is in use (Outlook, or another program, holds
 * it), it is put off by a minute, again and again; a timed or Outlook-exit
 * sync that still found a store held (PS_ELOCKED, after the engine's own
 * minute of waiting) is tried again a minute later, up to RETRIES times.
 * There is never more than one sync at a time. The environment variable
 * PSTSYNC_TRAY_MINUTE_MS (read once at start, 100 to 60000) makes a minute
 * shorter, for tests.
 *
 * Everything here runs on the UI thread.
 */
#include "win/tray.h"

#include <commctrl.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pstsync/errors.h"
#include "resource.h"

#define OUTLOOK_POLL_MS 2000
/* the SetTimer maximum is about 24 days: longer delays are waited in hours */
#define LONGEST_TIMER_MS (60u * 60 * 1000)
/* tries of an automatic sync that keeps finding a store held */
#define RETRIES 5

static DWORD minute_ms = 60 * 1000;

/* the next timed sync: due at @c due (GetTickCount64), for @c reason */
static struct {
	int armed;
	ULONGLONG due;
	enum tray_reason reason;   /* TRAY_BY_SCHEDULE or TRAY_BY_RETRY */
	int tries;                 /* times it was put off or found a store held */
	int minutes;               /* interval_minutes the schedule was armed with */
} sched;

const char *tray_reason_name(enum tray_reason why, char *buf, size_t size)
{
	static const UINT ids[] = {
		[TRAY_BY_USER] = IDS_REASON_USER, [TRAY_BY_SCHEDULE] = IDS_REASON_SCHEDULE,
		[TRAY_BY_OUTLOOK_EXIT] = IDS_REASON_OUTLOOK_EXIT,
		[TRAY_BY_START_OUTLOOK] = IDS_REASON_START_OUTLOOK, [TRAY_BY_RETRY] = IDS_REASON_RETRY,
	};

	if ((unsigned)why >= sizeof(ids) / sizeof(ids[0])) {
		buf[0] = 0;
		return buf;
	}
	return tray_load_utf8(buf, size, ids[why]);
}

/* ---- Outlook's process --------------------------------------------------- */

/* The id of a running OUTLOOK.EXE; 0: none; -1: the process list cannot be read. */
static long outlook_process(void)
{
	PROCESSENTRY32W pe;
	HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	long pid = 0;

	if (snap == INVALID_HANDLE_VALUE)
		return -1;
	memset(&pe, 0, sizeof(pe));
	pe.dwSize = sizeof(pe);
	if (Process32FirstW(snap, &pe)) {
		do {
			/* the name alone, though some systems put a path there */
			const wchar_t *name = wcsrchr(pe.szExeFile, L'\\');
			name = name ? name + 1 : pe.szExeFile;
			if (_wcsicmp(name, L"OUTLOOK.EXE") == 0) {
				pid = (long)pe.th32ProcessID;
				break;
			}
		} while (Process32NextW(snap, &pe));
	}
	CloseHandle(snap);
	return pid;
}

/*
 * Whether Outlook runs, looked at now rather than at the last poll: the user
 * may have started it a second ago. A start is logged here; an exit is left
 * to the poll, which acts on it.
 */
static int outlook_now(struct tray *t)
{
	long pid = outlook_process();

	if (pid > 0 && !t->outlook_running) {
		t->outlook_running = 1;
		tray_logs(IDS_LOG_OUTLOOK_STARTED, pid);
	}
	return pid > 0 || (pid < 0 && t->outlook_running);
}

/*
 * The first store of a ticked profile that another program holds, its path
 * in quotes into @p held (UTF-8); 0 when none is. The test opens the file
 * for reading and writing while sharing everything: only a program that
 * denies others reading or writing (Outlook, a sync of another PC) makes it
 * fail, and it disturbs nobody.
 */
static int store_held(const struct tray *t, char *held, size_t size)
{
	size_t i, n = t->settings ? ps_settings_profile_count(t->settings) : 0;
	int side;

	for (i = 0; i < n; i++) {
		const ps_profile *p = ps_settings_profile_at(t->settings, i);
		if (!ps_profile_enabled(p))
			continue;
		for (side = 0; side < 2; side++) {
			const char *path = side ? ps_profile_global(p) : ps_profile_local(p);
			wchar_t *w = tray_wide(path);
			HANDLE h;
			DWORD err;
			if (!w)
				continue;
			h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE,
				FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
				OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
			err = GetLastError();
			free(w);
			if (h != INVALID_HANDLE_VALUE) {
				CloseHandle(h);
				continue;
			}
			if (err == ERROR_SHARING_VIOLATION || err == ERROR_LOCK_VIOLATION) {
				snprintf(held, size, "'%s'", path);
				return 1;
			}
		}
	}
	return 0;
}

/* ---- waiting for Outlook to close --------------------------------------- */

static void show_waiting(struct tray *t)
{
	wchar_t names[128];
	size_t i, n = ps_settings_profile_count(t->settings), len = 0;

	if (!ps_settings_options(t->settings)->show_progress)
		return;
	tray_progress_open(t);
	if (!t->progress)
		return;
	names[0] = 0;
	for (i = 0; i < n && len + 4 < 128; i++) {
		const ps_profile *p = ps_settings_profile_at(t->settings, i);
		if (ps_profile_enabled(p)) {
			if (len) {
				wcscat(names, L", ");
				len += 2;
			}
			tray_wide_buf(names + len, 128 - len, ps_profile_name(p));
			len = wcslen(names);
		}
	}
	SetWindowTextW(t->progress, tray_string(IDS_WAIT_TITLE));
	SetDlgItemTextW(t->progress, IDC_PROG_PROFILE, names);
	SetDlgItemTextW(t->progress, IDC_PROG_LINK, L"");
	SetDlgItemTextW(t->progress, IDC_PROG_ACTION, tray_string(IDS_WAIT_ACTION));
	SetDlgItemTextW(t->progress, IDC_PROG_COUNTS, tray_string(IDS_WAIT_HINT));
	SendDlgItemMessageW(t->progress, IDC_PROG_BAR, PBM_SETPOS, 0, 0);
}

static void schedule_stop(struct tray *t)
{
	KillTimer(t->hwnd, TRAY_TIMER_SCHEDULE);
	sched.armed = 0;
}

int tray_wait_if_outlook_holds(struct tray *t, enum tray_reason why)
{
	char held[600];

	if (!outlook_now(t) || !store_held(t, held, sizeof(held)))
		return 0;
	t->waiting_outlook = 1;
	t->reason = why;
	/* the sync that waits stands for the next timed one too */
	schedule_stop(t);
	tray_logs(IDS_LOG_WAITING_OUTLOOK, held);
	if (why == TRAY_BY_USER)
		show_waiting(t);
	tray_update_icon(t);
	return 1;
}

void tray_cancel_wait(struct tray *t)
{
	if (!t->waiting_outlook)
		return;
	t->waiting_outlook = 0;
	tray_logs(IDS_LOG_WAIT_CANCELLED);
	if (t->progress)
		DestroyWindow(t->progress);
	tray_update_icon(t);
	tray_schedule_update();
}

/* ---- starting Outlook --------------------------------------------------- */

/* The file an App Paths key names, when it exists. */
static int app_path(wchar_t *out, DWORD size, HKEY root, REGSAM view)
{
	wchar_t raw[MAX_PATH], *p = raw;
	DWORD type, bytes = sizeof(raw) - sizeof(wchar_t), n;
	HKEY key;
	LONG rc;

	if (RegOpenKeyExW(root, L"Software\\Microsoft\\Windows\\CurrentVersion\\App Paths\\OUTLOOK.EXE",
		    0, KEY_QUERY_VALUE | view, &key) != ERROR_SUCCESS)
		return 0;
	rc = RegQueryValueExW(key, NULL, NULL, &type, (BYTE *)raw, &bytes);
	RegCloseKey(key);
	if (rc != ERROR_SUCCESS || (type != REG_SZ && type != REG_EXPAND_SZ))
		return 0;
	raw[bytes / sizeof(wchar_t)] = 0;
	/* some installers write the path in quotes */
	if (*p == L'"') {
		wchar_t *end = wcschr(++p, L'"');
		if (end)
			*end = 0;
	}
	n = ExpandEnvironmentStringsW(p, out, size);
	if (!n || n > size)
		return 0;
	return GetFileAttributesW(out) != INVALID_FILE_ATTRIBUTES;
}

/* OUTLOOK.EXE's path into @p out; 0 when it is nowhere to be found. */
static int find_outlook(wchar_t *out, DWORD size)
{
	static const wchar_t *const bases[] = {
		L"%ProgramW6432%", L"%ProgramFiles%", L"%ProgramFiles(x86)%",
	};
	static const wchar_t *const dirs[] = {
		L"Microsoft Office\\root\\Office16", L"Microsoft Office\\Office16",
		L"Microsoft Office\\root\\Office15", L"Microsoft Office 15\\root\\office15",
		L"Microsoft Office\\Office15", L"Microsoft Office\\Office14",
		L"Microsoft Office\\Office12",
	};
	wchar_t pattern[MAX_PATH];
	size_t b, d;
	DWORD n;

	/* the per-user key first, as the shell looks; 32-bit Office may sit in the 32-bit view */
	if (app_path(out, size, HKEY_CURRENT_USER, 0) ||
	    app_path(out, size, HKEY_LOCAL_MACHINE, KEY_WOW64_64KEY) ||
	    app_path(out, size, HKEY_LOCAL_MACHINE, KEY_WOW64_32KEY))
		return 1;
	for (b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
		for (d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
			_snwprintf(pattern, MAX_PATH - 1, L"%ls\\%ls\\OUTLOOK.EXE", bases[b], dirs[d]);
			pattern[MAX_PATH - 1] = 0;
			n = ExpandEnvironmentStringsW(pattern, out, size);
			/* an unset variable stays as it is: "%ProgramW6432%\..." does not exist */
			if (n && n <= size && GetFileAttributesW(out) != INVALID_FILE_ATTRIBUTES)
				return 1;
		}
	return 0;
}

/* OUTLOOK.EXE's path into @p path, or a message saying it is nowhere; 0 then. */
static int outlook_path(struct tray *t, wchar_t *path)
{
	if (find_outlook(path, MAX_PATH))
		return 1;
	tray_logs(IDS_LOG_OUTLOOK_NOT_FOUND);
	MessageBoxW(t->hwnd, tray_string(IDS_OUTLOOK_NOT_FOUND), tray_string(IDS_APP_TITLE),
		MB_ICONERROR);
	return 0;
}

static void launch_outlook(struct tray *t)
{
	wchar_t path[MAX_PATH], cmd[MAX_PATH + 3], dir[MAX_PATH], *slash;
	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	char *u;

	if (!outlook_path(t, path))
		return;
	u = tray_utf8(path);
	tray_logs(IDS_LOG_STARTING_OUTLOOK, u ? u : "?");
	_snwprintf(cmd, MAX_PATH + 2, L"\"%ls\"", path);
	cmd[MAX_PATH + 2] = 0;
	wcscpy(dir, path);
	if ((slash = wcsrchr(dir, L'\\')))
		*slash = 0;
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	if (CreateProcessW(path, cmd, NULL, NULL, FALSE, 0, NULL, dir, &si, &pi)) {
		CloseHandle(pi.hThread);
		CloseHandle(pi.hProcess);
	} else {
		DWORD err = GetLastError();
		wchar_t sys[256], text[700];
		if (!FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
			    err, 0, sys, 256, NULL))
			tray_format(sys, 256, IDS_SYSTEM_ERROR, err);
		sys[255] = 0;
		tray_logs(IDS_LOG_OUTLOOK_FAILED, u ? u : "?", err);
		tray_format(text, 700, IDS_OUTLOOK_FAILED, path, sys);
		MessageBoxW(t->hwnd, text, tray_string(IDS_APP_TITLE), MB_ICONERROR);
	}
	free(u);
}

void tray_start_outlook(struct tray *t)
{
	wchar_t path[MAX_PATH];
	int running = outlook_now(t);

	/* say at once when there is nothing to start, before any sync */
	if (!outlook_path(t, path))
		return;
	if (t->syncing) {
		/* the running sync holds the stores: Outlook could not open them */
		t->start_outlook_after = 1;
		tray_logs(IDS_LOG_OUTLOOK_AFTER);
		return;
	}
	if (running) {
		/* a second OUTLOOK.EXE brings the first one's window forward */
		tray_logs(IDS_LOG_OUTLOOK_RUNS);
		launch_outlook(t);
		return;
	}
	if (!ps_settings_options(t->settings)->sync_when_outlook_starts || !tray_any_enabled(t)) {
		launch_outlook(t);
		return;
	}
	tray_logs(IDS_LOG_OUTLOOK_SYNC_FIRST);
	t->start_outlook_after = 1;
	if (tray_run_sync(t, TRAY_BY_START_OUTLOOK) != 0) {
		t->start_outlook_after = 0;
		launch_outlook(t);
	}
}

/* ---- the schedule -------------------------------------------------------- */

static void schedule_arm(struct tray *t, ULONGLONG delay, enum tray_reason why)
{
	sched.armed = 1;
	sched.due = GetTickCount64() + delay;
	sched.reason = why;
	SetTimer(t->hwnd, TRAY_TIMER_SCHEDULE,
		(UINT)(delay > LONGEST_TIMER_MS ? LONGEST_TIMER_MS : delay ? delay : 1), NULL);
}

void tray_schedule_update(void)
{
	struct tray *t = &g_tray;
	int minutes = t->settings ? ps_settings_options(t->settings)->interval_minutes : 0;

	if (minutes != sched.minutes)
		tray_logs(!minutes ? IDS_LOG_SCHEDULE_OFF : TRAY_PLURAL(minutes, IDS_LOG_SCHEDULE_1,
			IDS_LOG_SCHEDULE_N), minutes);
	sched.minutes = minutes;
	sched.tries = 0;
	/* a running or waiting sync re-arms the schedule when it ends */
	if (t->syncing || t->waiting_outlook || !t->hwnd)
		return;
	if (minutes > 0)
		schedule_arm(t, (ULONGLONG)minutes * minute_ms, TRAY_BY_SCHEDULE);
	else
		schedule_stop(t);
}

/* Try again in a minute; 0 when the tries of a retry are used up. */
static int put_off(struct tray *t, enum tray_reason why, const char *held)
{
	sched.tries++;
	if (why == TRAY_BY_RETRY && sched.tries > RETRIES) {
		tray_logs(IDS_LOG_RETRIES_USED, RETRIES);
		return 0;
	}
	/* a schedule put off all day long while Outlook runs logs it once */
	if (sched.tries == 1 || why == TRAY_BY_RETRY) {
		char runs[100];
		tray_logs(why == TRAY_BY_RETRY ? IDS_LOG_PUT_OFF_AUTO : IDS_LOG_PUT_OFF_SCHEDULED, held,
			t->outlook_running ? tray_load_utf8(runs, 100, IDS_LOG_OUTLOOK_RUNNING) : "");
	}
	schedule_arm(t, minute_ms, why);
	return 1;
}

static void schedule_due(struct tray *t)
{
	enum tray_reason why = sched.reason;
	char held[600];

	sched.armed = 0;
	if (t->syncing || t->waiting_outlook) {
		/* never two at once: the running one re-arms the schedule when it ends */
		char name[100];
		tray_logs(t->syncing ? IDS_LOG_SKIPPED_RUNNING : IDS_LOG_SKIPPED_WAITING,
			tray_reason_name(why, name, 100));
		return;
	}
	if (!tray_any_enabled(t)) {
		tray_schedule_update();
		return;
	}
	if (store_held(t, held, sizeof(held))) {
		outlook_now(t);
		if (!put_off(t, why, held))
			tray_schedule_update();
		return;
	}
	if (sched.tries)
		tray_logs(why == TRAY_BY_RETRY ? TRAY_PLURAL(sched.tries, IDS_LOG_AUTO_STARTS_1,
			IDS_LOG_AUTO_STARTS_N) : TRAY_PLURAL(sched.tries, IDS_LOG_SCHEDULED_STARTS_1,
			IDS_LOG_SCHEDULED_STARTS_N), sched.tries);
	if (tray_run_sync(t, why) != 0)
		tray_schedule_update();
}

void tray_outlook_sync_ended(struct tray *t)
{
	enum tray_reason why = t->reason;
	char held[600];
	int again = t->sync_again;

	t->sync_again = 0;
	if (t->start_outlook_after) {
		t->start_outlook_after = 0;
		launch_outlook(t);
		/* Outlook is about to open the stores: no sync may follow now */
		again = 0;
	}
	if (t->exit_pending)
		return;
	if (again) {
		tray_logs(IDS_LOG_SYNC_AGAIN);
		if (tray_run_sync(t, TRAY_BY_OUTLOOK_EXIT) == 0)
			return;
	}
	if (t->run_held) {
		/* name the store when it is still held; else the profile said which */
		if (!store_held(t, held, sizeof(held)))
			tray_load_utf8(held, sizeof(held), IDS_LOG_A_STORE);
		if (why == TRAY_BY_USER && outlook_now(t)) {
			/* the store was free when the sync began: Outlook took it since */
			t->waiting_outlook = 1;
			tray_logs(IDS_LOG_WAITING_OUTLOOK, held);
			tray_update_icon(t);
			return;
		}
		if (why == TRAY_BY_SCHEDULE || why == TRAY_BY_OUTLOOK_EXIT || why == TRAY_BY_RETRY) {
			/* an exit's sync gets RETRIES tries of its own */
			if (why == TRAY_BY_OUTLOOK_EXIT)
				sched.tries = 0;
			if (put_off(t, why == TRAY_BY_SCHEDULE ? why : TRAY_BY_RETRY, held))
				return;
		}
	}
	tray_schedule_update();
}

/* ---- the timers ------------------------------------------------------------- */

static void outlook_poll(struct tray *t)
{
	long pid = outlook_process();

	if (pid < 0)
		return; /* cannot tell: keep what was known */
	if (pid > 0 && !t->outlook_running) {
		t->outlook_running = 1;
		tray_logs(IDS_LOG_OUTLOOK_STARTED, pid);
	} else if (pid == 0 && t->outlook_running) {
		t->outlook_running = 0;
		tray_logs(IDS_LOG_OUTLOOK_EXITED);
		if (t->waiting_outlook) {
			t->waiting_outlook = 0;
			tray_logs(IDS_LOG_OUTLOOK_EXITED_WAITED);
			if (tray_run_sync(t, t->reason) != 0) {
				tray_update_icon(t);
				tray_schedule_update();
			}
		} else if (ps_settings_options(t->settings)->sync_when_outlook_exits &&
			   tray_any_enabled(t)) {
			if (t->syncing) {
				t->sync_again = 1;
				tray_logs(IDS_LOG_OUTLOOK_EXITED_DURING);
			} else {
				tray_logs(IDS_LOG_OUTLOOK_EXITED_SYNC);
				tray_run_sync(t, TRAY_BY_OUTLOOK_EXIT);
			}
		}
	}
}

void tray_outlook_timer(struct tray *t, UINT_PTR id)
{
	if (id == TRAY_TIMER_OUTLOOK) {
		outlook_poll(t);
	} else if (id == TRAY_TIMER_SCHEDULE) {
		ULONGLONG now = GetTickCount64(), left;
		KillTimer(t->hwnd, TRAY_TIMER_SCHEDULE);
		if (!sched.armed)
			return;
		/* timers may fire a little early, and long delays come in parts */
		if (now + 20 < sched.due) {
			left = sched.due - now;
			SetTimer(t->hwnd, TRAY_TIMER_SCHEDULE,
				(UINT)(left > LONGEST_TIMER_MS ? LONGEST_TIMER_MS : left), NULL);
			return;
		}
		schedule_due(t);
	}
}

void tray_outlook_init(struct tray *t)
{
	wchar_t env[32];
	DWORD n = GetEnvironmentVariableW(L"PSTSYNC_TRAY_MINUTE_MS", env, 32);
	long pid;

	if (n > 0 && n < 32) {
		long ms = wcstol(env, NULL, 10);
		if (ms >= 100 && ms <= 60000) {
			minute_ms = (DWORD)ms;
			tray_log("a minute lasts %lu ms (PSTSYNC_TRAY_MINUTE_MS)", minute_ms);
		}
	}
	pid = outlook_process();
	if (pid > 0) {
		t->outlook_running = 1;
		tray_logs(IDS_LOG_OUTLOOK_IS_RUNNING, pid);
	}
	SetTimer(t->hwnd, TRAY_TIMER_OUTLOOK, OUTLOOK_POLL_MS, NULL);
	sched.minutes = -1; /* log the first state */
	tray_schedule_update();
}
