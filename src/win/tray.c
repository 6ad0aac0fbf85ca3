/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * pstsyncw.exe: the tray application. wWinMain makes sure only one copy
 * runs (a named mutex; a second start shows the first one's profiles
 * window), reads the settings file (the command line's; `--config FILE`
 * names another), and creates a hidden window that owns the notification
 * icon. The icon tells the state (idle, synchronising, something needs the
 * user) in its picture and tooltip; its menu comes from the resources
 * (IDM_TRAY). A sync runs on a worker thread (tray_sync.c) that reports
 * through messages; while it runs everything that changes settings is
 * disabled and Exit waits for its end. At the end of a sync a balloon
 * notice tells what it changed, its first error or the questions left; a
 * sync with nothing to do says nothing. When and why syncs start by
 * themselves (Outlook's exit, the schedule) is tray_outlook.c's business.
 *
 * Options: --config FILE, --sync (start a sync of the ticked profiles at
 * once), --start-outlook (sync when sync_when_outlook_starts asks for it,
 * then start Outlook; a copy already running does it when a second one is
 * started so), --logon (started by the Run value of an install for all
 * users: quit when this user turned that off, or when a copy runs already).
 * Environment: PSTSYNC_TRAY_MINUTE_MS (see tray_outlook.c).
 */
#include "win/tray.h"

#include <commctrl.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pstsync/errors.h"
#include "resource.h"

struct tray g_tray;

static void message_box(struct tray *t, UINT flags, const wchar_t *fmt, ...)
{
	wchar_t text[1024];
	va_list ap;

	va_start(ap, fmt);
	_vsnwprintf(text, 1023, fmt, ap);
	va_end(ap);
	text[1023] = 0;
	MessageBoxW(t->hwnd, text, tray_string(IDS_APP_TITLE), flags);
}

int tray_any_enabled(const struct tray *t)
{
	size_t i, n = t->settings ? ps_settings_profile_count(t->settings) : 0;

	for (i = 0; i < n; i++)
		if (ps_profile_enabled(ps_settings_profile_at(t->settings, i)))
			return 1;
	return 0;
}

int tray_reload_settings(struct tray *t)
{
	ps_settings *s = NULL;
	wchar_t *msg;

	if (ps_settings_load(&s, t->config) != PS_OK) {
		msg = tray_wide(ps_error_last());
		tray_logs(IDS_LOG_ERROR, ps_error_last());
		message_box(t, MB_ICONERROR, tray_string(IDS_BAD_SETTINGS), msg ? msg : L"");
		free(msg);
		return -1;
	}
	ps_settings_free(t->settings);
	t->settings = s;
	return 0;
}

int tray_save_settings(struct tray *t)
{
	wchar_t *msg;
	int rc = ps_settings_save(t->settings);

	if (rc == PS_OK)
		return 0;
	msg = tray_wide(ps_error_last());
	tray_logs(IDS_LOG_ERROR, ps_error_last());
	message_box(t, MB_ICONERROR, L"%ls", msg ? msg : tray_string(IDS_SAVE_FAILED));
	free(msg);
	/* another program changed the file, or it cannot be written: show what it holds */
	tray_reload_settings(t);
	return -1;
}

/* ---- the icon -------------------------------------------------------- */

static void icon_data(struct tray *t, NOTIFYICONDATAW *nid)
{
	wchar_t when[64];

	memset(nid, 0, sizeof(*nid));
	nid->cbSize = sizeof(*nid);
	nid->hWnd = t->hwnd;
	nid->uID = 1;
	nid->uFlags = NIF_ICON | NIF_TIP | NIF_MESSAGE;
	nid->uCallbackMessage = WM_APP_TRAY;
	nid->hIcon = t->icons[t->state];
	if (t->waiting_outlook && !t->syncing)
		wcsncpy(nid->szTip, tray_string(IDS_TIP_WAITING), 127);
	else if (t->syncing)
		_snwprintf(nid->szTip, 127, tray_string(IDS_TIP_SYNCING), t->syncing_profile);
	else if (t->last_outstanding || t->last_errors) {
		wchar_t what[96];
		if (t->last_errors)
			tray_format(what, 96, TRAY_PLURAL(t->last_errors, IDS_TIP_ERRORS_1,
				IDS_TIP_ERRORS_N), t->last_errors);
		else
			tray_format(what, 96, TRAY_PLURAL(t->last_outstanding, IDS_TIP_QUESTIONS_1,
				IDS_TIP_QUESTIONS_N), t->last_outstanding);
		_snwprintf(nid->szTip, 127, tray_string(IDS_TIP_ATTENTION), what);
	} else if (t->last_sync.wYear) {
		_snwprintf(when, 63, L"%02u:%02u", t->last_sync.wHour, t->last_sync.wMinute);
		when[63] = 0;
		_snwprintf(nid->szTip, 127, tray_string(IDS_TIP_LAST), when);
	} else
		wcsncpy(nid->szTip, tray_string(IDS_TIP_IDLE), 127);
	nid->szTip[127] = 0;
}

void tray_update_icon(struct tray *t)
{
	NOTIFYICONDATAW nid;

	t->state = t->syncing || t->waiting_outlook ? TRAY_SYNCING
		: t->last_outstanding || t->last_errors ? TRAY_ATTENTION : TRAY_IDLE;
	icon_data(t, &nid);
	/* an icon the tray still has refuses NIM_ADD: then it takes NIM_MODIFY */
	if (!t->icon_added)
		t->icon_added = Shell_NotifyIconW(NIM_ADD, &nid) != FALSE ||
			Shell_NotifyIconW(NIM_MODIFY, &nid) != FALSE;
	else if (!Shell_NotifyIconW(NIM_MODIFY, &nid))
		t->icon_added = Shell_NotifyIconW(NIM_ADD, &nid) != FALSE;
}

void tray_notice(struct tray *t, DWORD flags, const wchar_t *title, const wchar_t *text)
{
	NOTIFYICONDATAW nid;
	char *a = tray_utf8(title), *b = tray_utf8(text);

	tray_logs(IDS_LOG_NOTICE, a ? a : "", b ? b : "");
	free(a);
	free(b);
	icon_data(t, &nid);
	nid.uFlags |= NIF_INFO;
	wcsncpy(nid.szInfoTitle, title, 63);
	nid.szInfoTitle[63] = 0;
	wcsncpy(nid.szInfo, text, 255);
	nid.szInfo[255] = 0;
	nid.dwInfoFlags = flags;
	/* the shortest a balloon may stay (Windows since Vista keeps its own time) */
	nid.uTimeout = 10000;
	if (!Shell_NotifyIconW(NIM_MODIFY, &nid))
		tray_logs(IDS_LOG_NOTICE_FAILED, GetLastError());
}

static void remove_icon(struct tray *t)
{
	NOTIFYICONDATAW nid;

	if (!t->icon_added)
		return;
	memset(&nid, 0, sizeof(nid));
	nid.cbSize = sizeof(nid);
	nid.hWnd = t->hwnd;
	nid.uID = 1;
	Shell_NotifyIconW(NIM_DELETE, &nid);
	t->icon_added = 0;
}

/* ---- syncing --------------------------------------------------------- */

int tray_start_sync(struct tray *t)
{
	if (t->syncing) {
		message_box(t, MB_ICONINFORMATION, L"%ls", tray_string(IDS_ALREADY_SYNCING));
		return -1;
	}
	if (t->waiting_outlook) {
		message_box(t, MB_ICONINFORMATION, L"%ls", tray_string(IDS_ALREADY_WAITING));
		return -1;
	}
	if (!tray_any_enabled(t)) {
		message_box(t, MB_ICONINFORMATION, L"%ls", tray_string(IDS_NO_PROFILE));
		return -1;
	}
	/* Outlook holds a store: the sync waits for it to close instead of failing */
	if (tray_wait_if_outlook_holds(t, TRAY_BY_USER))
		return 0;
	return tray_run_sync(t, TRAY_BY_USER);
}

int tray_run_sync(struct tray *t, enum tray_reason why)
{
	if (t->syncing)
		return -1;
	/* only a sync someone started asks: they are at the screen */
	t->worker = tray_sync_thread(t->hwnd, t->config,
		why == TRAY_BY_USER || why == TRAY_BY_START_OUTLOOK);
	if (!t->worker) {
		tray_logs(IDS_LOG_THREAD_FAILED, GetLastError());
		return -1;
	}
	{
		char name[100];
		tray_logs(IDS_LOG_RUN_STARTED, tray_reason_name(why, name, 100));
	}
	t->syncing = 1;
	t->waiting_outlook = 0;
	t->reason = why;
	t->last_outstanding = t->last_errors = 0;
	memset(&t->run_counts, 0, sizeof(t->run_counts));
	t->run_held = 0;
	t->run_error[0] = 0;
	t->syncing_profile[0] = 0;
	tray_dialogs_syncing(t, 1);
	/* timed and Outlook-exit syncs run quietly: the icon and a notice tell */
	if (ps_settings_options(t->settings)->show_progress &&
	    (why == TRAY_BY_USER || why == TRAY_BY_START_OUTLOOK))
		tray_progress_open(t);
	tray_update_icon(t);
	return 0;
}

/* "3 copied to local, 1 deleted on global": what the sync wrote, or "" */
static void changes_text(wchar_t *buf, size_t size, const ps_sync_counts *c)
{
	int s;

	buf[0] = 0;
	for (s = 0; s < 2; s++) {
		if (c->copied[s])
			tray_counts_add(buf, size, IDS_CHG_COPIED_LOCAL + s, c->copied[s]);
		if (c->overwritten[s])
			tray_counts_add(buf, size, IDS_CHG_OVERWRITTEN_LOCAL + s, c->overwritten[s]);
		if (c->deleted[s])
			tray_counts_add(buf, size, IDS_CHG_DELETED_LOCAL + s, c->deleted[s]);
	}
	if (c->unlinked)
		tray_counts_add(buf, size, IDS_CHG_UNLINKED, c->unlinked);
}

/* The balloon at the end of a sync: errors first, then questions, then changes. */
static void end_notice(struct tray *t)
{
	wchar_t text[256];

	if (t->last_errors) {
		if (t->run_error[0])
			_snwprintf(text, 255, L"%ls", t->run_error);
		else
			tray_format(text, 255, TRAY_PLURAL(t->last_errors, IDS_NOTICE_ERRORS_1,
				IDS_NOTICE_ERRORS_N), t->last_errors);
		text[255] = 0;
		tray_notice(t, NIIF_ERROR, tray_string(IDS_NOTICE_FAILED), text);
	} else if (t->last_outstanding) {
		tray_format(text, 256, TRAY_PLURAL(t->last_outstanding, IDS_NOTICE_WAITING_1,
			IDS_NOTICE_WAITING_N), t->last_outstanding);
		tray_notice(t, NIIF_WARNING, tray_string(IDS_NOTICE_QUESTIONS), text);
	} else {
		const ps_sync_counts *c = &t->run_counts;
		changes_text(text, 256, c);
		if (c->overwritten[0] + c->overwritten[1] + c->deleted[0] + c->deleted[1]) {
			/* what was destroyed is in the recovery store: say so */
			wchar_t more[256];
			_snwprintf(more, 255, tray_string(IDS_REC_NOTICE), text);
			more[255] = 0;
			wcscpy(text, more);
		}
		if (text[0])
			tray_notice(t, NIIF_INFO, tray_string(IDS_NOTICE_SYNCED), text);
	}
}

static void sync_ended(struct tray *t)
{
	wchar_t summary[200];

	WaitForSingleObject(t->worker, INFINITE);
	CloseHandle(t->worker);
	t->worker = NULL;
	t->syncing = 0;
	GetLocalTime(&t->last_sync);
	if (t->last_errors)
		tray_format(summary, 200, TRAY_PLURAL(t->last_errors, IDS_DONE_ERRORS_1,
			IDS_DONE_ERRORS_N), t->last_errors);
	else if (t->last_outstanding)
		tray_format(summary, 200, TRAY_PLURAL(t->last_outstanding, IDS_DONE_LATER_1,
			IDS_DONE_LATER_N), t->last_outstanding);
	else
		tray_format(summary, 200, IDS_DONE_IN_STEP);
	tray_progress_end(t, summary);
	tray_dialogs_syncing(t, 0);
	/* the worker may have changed nothing in the file, but the protocol's news is shown */
	tray_profiles_refresh(t);
	tray_update_icon(t);
	end_notice(t);
	tray_outlook_sync_ended(t);
	if (t->exit_pending)
		DestroyWindow(t->hwnd);
}

/* ---- the menu -------------------------------------------------------- */

static void show_log(struct tray *t)
{
	const wchar_t *path = tray_log_path();

	if (!path[0] || GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES) {
		tray_logs(IDS_LOG_OPENED);
	}
	if ((INT_PTR)ShellExecuteW(t->hwnd, L"open", path, NULL, NULL, SW_SHOWNORMAL) <= 32)
		ShellExecuteW(t->hwnd, L"open", L"notepad.exe", path, NULL, SW_SHOWNORMAL);
}

static void request_exit(struct tray *t)
{
	if (t->syncing) {
		/* never interrupt a sync: quit when it ends */
		t->exit_pending = 1;
		tray_logs(IDS_LOG_EXIT_WAITS);
		return;
	}
	if (t->waiting_outlook)
		tray_logs(IDS_LOG_EXIT_DROPS);
	DestroyWindow(t->hwnd);
}

static void command(struct tray *t, UINT id)
{
	switch (id) {
	case IDM_SYNC: tray_start_sync(t); break;
	case IDM_PROFILES: tray_show_profiles(t); break;
	case IDM_SETTINGS: tray_show_settings(t); break;
	case IDM_SHOW_LOG: show_log(t); break;
	case IDM_RECOVER: tray_show_recover(t, NULL, NULL); break;
	case IDM_START_OUTLOOK: tray_start_outlook(t); break;
	case IDM_CANCEL_WAIT: tray_cancel_wait(t); break;
	case IDM_ABOUT: tray_show_about(t); break;
	case IDM_EXIT: request_exit(t); break;
	}
}

static void show_menu(struct tray *t)
{
	HMENU bar = LoadMenuW(t->inst, MAKEINTRESOURCEW(IDM_TRAY));
	HMENU menu;
	POINT pt;
	UINT id;

	if (!bar)
		return;
	menu = GetSubMenu(bar, 0);
	EnableMenuItem(menu, IDM_SYNC, MF_BYCOMMAND |
		(!t->syncing && tray_any_enabled(t) ? MF_ENABLED : MF_GRAYED));
	EnableMenuItem(menu, IDM_SETTINGS, MF_BYCOMMAND | (t->syncing ? MF_GRAYED : MF_ENABLED));
	/* during a sync, Start Outlook starts it when the sync ends */
	EnableMenuItem(menu, IDM_START_OUTLOOK, MF_BYCOMMAND |
		(t->start_outlook_after ? MF_GRAYED : MF_ENABLED));
	/* in Synchronise's place, so that the items keep their places */
	if (t->waiting_outlook && !t->syncing)
		ModifyMenuW(menu, IDM_SYNC, MF_BYCOMMAND | MF_STRING, IDM_CANCEL_WAIT,
			tray_string(IDS_CANCEL_WAIT));
	if (t->syncing)
		ModifyMenuW(menu, IDM_EXIT, MF_BYCOMMAND | MF_STRING |
			(t->exit_pending ? MF_GRAYED : 0), IDM_EXIT, tray_string(IDS_EXIT_WAITING));
	SetMenuDefaultItem(menu, IDM_PROFILES, FALSE);
	GetCursorPos(&pt);
	/* without this the menu does not close when the user clicks elsewhere */
	SetForegroundWindow(t->hwnd);
	id = (UINT)TrackPopupMenu(menu, TPM_RETURNCMD | TPM_RIGHTBUTTON | TPM_NONOTIFY,
		pt.x, pt.y, 0, t->hwnd, NULL);
	PostMessageW(t->hwnd, WM_NULL, 0, 0);
	DestroyMenu(bar);
	if (id)
		command(t, id);
}

/* ---- the window ------------------------------------------------------ */

static LRESULT CALLBACK wnd_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
	struct tray *t = &g_tray;

	if (msg == t->taskbar_created && msg) {
		char state[100];
		/* Explorer restarted: its tray forgot our icon */
		t->icon_added = 0;
		tray_update_icon(t);
		tray_logs(t->icon_added ? IDS_LOG_TASKBAR_ADDED : IDS_LOG_TASKBAR_NOT_ADDED,
			tray_load_utf8(state, 100, t->waiting_outlook ? IDS_LOG_STATE_WAITING
				: t->state == TRAY_SYNCING ? IDS_LOG_STATE_SYNCING
				: t->state == TRAY_ATTENTION ? IDS_LOG_STATE_ATTENTION : IDS_LOG_STATE_IDLE));
		return 0;
	}
	switch (msg) {
	case WM_APP_TRAY:
		switch (LOWORD(lp)) {
		case WM_RBUTTONUP:
		case WM_CONTEXTMENU:
			show_menu(t);
			break;
		case WM_LBUTTONDBLCLK:
			tray_show_profiles(t);
			break;
		}
		return 0;
	case WM_APP_ACTIVATE:
		tray_show_profiles(t);
		return 0;
	case WM_APP_START_OUTLOOK:
		tray_logs(IDS_LOG_SECOND_START);
		tray_start_outlook(t);
		return 0;
	case WM_TIMER:
		tray_outlook_timer(t, wp);
		return 0;
	case WM_APP_PROGRESS: {
		struct tray_progress *p = (struct tray_progress *)lp;
		if (wcscmp(t->syncing_profile, p->profile) != 0) {
			wcscpy(t->syncing_profile, p->profile);
			tray_update_icon(t);
		}
		tray_progress_update(t, p);
		free(p);
		return 0;
	}
	case WM_APP_WARNING:
		free((wchar_t *)lp);
		return 0;
	case WM_APP_PROFILE_DONE: {
		struct tray_profile_done *d = (struct tray_profile_done *)lp;
		t->last_outstanding += d->counts.outstanding;
		t->last_errors += d->counts.errors + (d->status != PS_OK);
		ps_sync_counts_add(&t->run_counts, &d->counts);
		if (d->status == PS_ELOCKED)
			t->run_held++;
		if (d->status != PS_OK && !t->run_error[0])
			wcscpy(t->run_error, d->error);
		free(d);
		return 0;
	}
	case WM_APP_SYNC_DONE:
		sync_ended(t);
		return 0;
	case WM_APP_ASK:
		tray_questions_ask(t, (struct tray_ask *)lp);
		return 0;
	case WM_COMMAND:
		command(t, LOWORD(wp));
		return 0;
	case WM_QUERYENDSESSION:
		/* Windows is shutting down: ask it to wait while a sync runs */
		return !t->syncing;
	case WM_CLOSE:
		request_exit(t);
		return 0;
	case WM_DESTROY:
		remove_icon(t);
		PostQuitMessage(0);
		return 0;
	}
	return DefWindowProcW(hwnd, msg, wp, lp);
}

static HICON load_icon(HINSTANCE inst, int id)
{
	return (HICON)LoadImageW(inst, MAKEINTRESOURCEW(id), IMAGE_ICON,
		GetSystemMetrics(SM_CXSMICON), GetSystemMetrics(SM_CYSMICON), LR_DEFAULTCOLOR);
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR cmdline, int show)
{
	struct tray *t = &g_tray;
	INITCOMMONCONTROLSEX icc = { sizeof(icc), ICC_WIN95_CLASSES | ICC_STANDARD_CLASSES };
	WNDCLASSEXW wc;
	HANDLE mutex;
	wchar_t **argv;
	int argc, i, sync_now = 0, start_outlook = 0, logon = 0;
	MSG m;

	t->inst = inst;
	argv = CommandLineToArgvW(GetCommandLineW(), &argc);
	for (i = 1; argv && i < argc; i++) {
		if (wcscmp(argv[i], L"--config") == 0 && i + 1 < argc)
			t->config = tray_utf8(argv[++i]);
		else if (wcscmp(argv[i], L"--sync") == 0)
			sync_now = 1;
		else if (wcscmp(argv[i], L"--start-outlook") == 0)
			start_outlook = 1;
		else if (wcscmp(argv[i], L"--logon") == 0)
			logon = 1;
		else {
			MessageBoxW(NULL, tray_string(IDS_USAGE), tray_string(IDS_APP_TITLE), MB_ICONERROR);
			return 2;
		}
	}
	LocalFree(argv);

	/* started by the all-users Run value: this user may have said no to it */
	if (logon && tray_logon_off()) {
		tray_log_init();
		tray_logs(IDS_LOG_LOGON_SKIPPED);
		return 0;
	}
	mutex = CreateMutexW(NULL, TRUE, TRAY_MUTEX);
	if (mutex && GetLastError() == ERROR_ALREADY_EXISTS && logon) {
		/* a copy runs already (the user's own Run value too): nothing to show at logon */
		CloseHandle(mutex);
		return 0;
	}
	if (mutex && GetLastError() == ERROR_ALREADY_EXISTS) {
		HWND other = FindWindowW(TRAY_CLASS, NULL);
		/* the first copy may still be starting (both started at logon) */
		for (i = 0; !other && start_outlook && i < 50; i++) {
			Sleep(100);
			other = FindWindowW(TRAY_CLASS, NULL);
		}
		if (other && start_outlook) {
			DWORD pid = 0;
			/* we were started by the user: let the first copy bring Outlook forward */
			GetWindowThreadProcessId(other, &pid);
			AllowSetForegroundWindow(pid);
			PostMessageW(other, WM_APP_START_OUTLOOK, 0, 0);
		} else if (other)
			PostMessageW(other, WM_APP_ACTIVATE, 0, 0);
		CloseHandle(mutex);
		return other || !start_outlook ? 0 : 1;
	}

	InitCommonControlsEx(&icc);
	tray_log_init();
	t->icons[TRAY_IDLE] = load_icon(inst, IDI_IDLE);
	t->icons[TRAY_SYNCING] = load_icon(inst, IDI_SYNCING);
	t->icons[TRAY_ATTENTION] = load_icon(inst, IDI_ATTENTION);
	t->taskbar_created = RegisterWindowMessageW(L"TaskbarCreated");

	memset(&wc, 0, sizeof(wc));
	wc.cbSize = sizeof(wc);
	wc.lpfnWndProc = wnd_proc;
	wc.hInstance = inst;
	wc.hIcon = LoadIconW(inst, MAKEINTRESOURCEW(IDI_APP));
	wc.lpszClassName = TRAY_CLASS;
	if (!RegisterClassExW(&wc))
		return 1;
	/* a hidden top-level window: message-only windows miss TaskbarCreated */
	t->hwnd = CreateWindowExW(0, TRAY_CLASS, L"pstsync", WS_OVERLAPPED, 0, 0, 0, 0,
		NULL, NULL, inst, NULL);
	if (!t->hwnd)
		return 1;

	if (tray_reload_settings(t) != 0) {
		DestroyWindow(t->hwnd);
		return 1;
	}
	tray_logs(IDS_LOG_STARTED, ps_settings_path(t->settings),
		(unsigned)ps_settings_profile_count(t->settings));
	tray_update_icon(t);
	tray_outlook_init(t);
	tray_first_start(t);
	if (sync_now)
		tray_start_sync(t);
	if (start_outlook)
		tray_start_outlook(t);

	while (GetMessageW(&m, NULL, 0, 0) > 0) {
		if (t->profiles && IsDialogMessageW(t->profiles, &m))
			continue;
		if (t->progress && IsDialogMessageW(t->progress, &m))
			continue;
		TranslateMessage(&m);
		DispatchMessageW(&m);
	}
	tray_logs(IDS_LOG_EXITED);
	ps_settings_free(t->settings);
	free(t->config);
	ReleaseMutex(mutex);
	CloseHandle(mutex);
	(void)prev;
	(void)cmdline;
	(void)show;
	return (int)m.wParam;
}
