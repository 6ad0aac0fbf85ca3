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
 * disabled and Exit waits for its end.
 *
 * Options: --config FILE, --sync (start a sync of the ticked profiles at once).
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
		tray_log("error: %s", ps_error_last());
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
	tray_log("error: %s", ps_error_last());
	message_box(t, MB_ICONERROR, L"%ls", msg ? msg : L"cannot save the settings");
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
	if (t->syncing)
		_snwprintf(nid->szTip, 127, tray_string(IDS_TIP_SYNCING), t->syncing_profile);
	else if (t->last_outstanding || t->last_errors) {
		wchar_t what[96];
		if (t->last_errors)
			_snwprintf(what, 95, L"the last sync had %u error%ls", t->last_errors,
				t->last_errors == 1 ? L"" : L"s");
		else
			_snwprintf(what, 95, L"%u question%ls waiting", t->last_outstanding,
				t->last_outstanding == 1 ? L"" : L"s");
		what[95] = 0;
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

	t->state = t->syncing ? TRAY_SYNCING
		: t->last_outstanding || t->last_errors ? TRAY_ATTENTION : TRAY_IDLE;
	icon_data(t, &nid);
	if (!t->icon_added)
		t->icon_added = Shell_NotifyIconW(NIM_ADD, &nid) != FALSE;
	else if (!Shell_NotifyIconW(NIM_MODIFY, &nid))
		t->icon_added = Shell_NotifyIconW(NIM_ADD, &nid) != FALSE;
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
	if (!tray_any_enabled(t)) {
		message_box(t, MB_ICONINFORMATION, L"%ls", tray_string(IDS_NO_PROFILE));
		return -1;
	}
	t->worker = tray_sync_thread(t->hwnd, t->config);
	if (!t->worker) {
		tray_log("error: cannot start the sync thread (error %lu)", GetLastError());
		return -1;
	}
	t->syncing = 1;
	t->last_outstanding = t->last_errors = 0;
	t->syncing_profile[0] = 0;
	tray_dialogs_syncing(t, 1);
	if (ps_settings_options(t->settings)->show_progress)
		tray_progress_open(t);
	tray_update_icon(t);
	return 0;
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
		_snwprintf(summary, 199, L"Done, with %u error%ls: see the log.", t->last_errors,
			t->last_errors == 1 ? L"" : L"s");
	else if (t->last_outstanding)
		_snwprintf(summary, 199, L"Done; %u question%ls left for later.", t->last_outstanding,
			t->last_outstanding == 1 ? L"" : L"s");
	else
		_snwprintf(summary, 199, L"Done: everything is in step.");
	summary[199] = 0;
	tray_progress_end(t, summary);
	tray_dialogs_syncing(t, 0);
	/* the worker may have changed nothing in the file, but the protocol's news is shown */
	tray_profiles_refresh(t);
	tray_update_icon(t);
	if (t->exit_pending)
		DestroyWindow(t->hwnd);
}

/* ---- the menu -------------------------------------------------------- */

static void show_log(struct tray *t)
{
	const wchar_t *path = tray_log_path();

	if (!path[0] || GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES) {
		tray_log("log opened");
	}
	if ((INT_PTR)ShellExecuteW(t->hwnd, L"open", path, NULL, NULL, SW_SHOWNORMAL) <= 32)
		ShellExecuteW(t->hwnd, L"open", L"notepad.exe", path, NULL, SW_SHOWNORMAL);
}

static void request_exit(struct tray *t)
{
	if (t->syncing) {
		/* never interrupt a sync: quit when it ends */
		t->exit_pending = 1;
		tray_log("exit requested: waiting for the sync to end");
		return;
	}
	DestroyWindow(t->hwnd);
}

static void command(struct tray *t, UINT id)
{
	switch (id) {
	case IDM_SYNC: tray_start_sync(t); break;
	case IDM_PROFILES: tray_show_profiles(t); break;
	case IDM_SETTINGS: tray_show_settings(t); break;
	case IDM_SHOW_LOG: show_log(t); break;
	case IDM_START_OUTLOOK:
		message_box(t, MB_ICONINFORMATION, L"%ls", tray_string(IDS_NOT_YET));
		break;
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
	EnableMenuItem(menu, IDM_START_OUTLOOK, MF_BYCOMMAND | (t->syncing ? MF_GRAYED : MF_ENABLED));
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
		/* Explorer restarted: its tray forgot our icon */
		t->icon_added = 0;
		tray_update_icon(t);
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
		free(d);
		return 0;
	}
	case WM_APP_SYNC_DONE:
		sync_ended(t);
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
	int argc, i, sync_now = 0;
	MSG m;

	t->inst = inst;
	argv = CommandLineToArgvW(GetCommandLineW(), &argc);
	for (i = 1; argv && i < argc; i++) {
		if (wcscmp(argv[i], L"--config") == 0 && i + 1 < argc)
			t->config = tray_utf8(argv[++i]);
		else if (wcscmp(argv[i], L"--sync") == 0)
			sync_now = 1;
		else {
			MessageBoxW(NULL, tray_string(IDS_USAGE), tray_string(IDS_APP_TITLE), MB_ICONERROR);
			return 2;
		}
	}
	LocalFree(argv);

	mutex = CreateMutexW(NULL, TRUE, TRAY_MUTEX);
	if (mutex && GetLastError() == ERROR_ALREADY_EXISTS) {
		HWND other = FindWindowW(TRAY_CLASS, NULL);
		if (other)
			PostMessageW(other, WM_APP_ACTIVATE, 0, 0);
		CloseHandle(mutex);
		return 0;
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
	tray_log("pstsyncw started: settings '%s', %u profiles", ps_settings_path(t->settings),
		(unsigned)ps_settings_profile_count(t->settings));
	tray_update_icon(t);
	if (sync_now)
		tray_start_sync(t);

	while (GetMessageW(&m, NULL, 0, 0) > 0) {
		if (t->profiles && IsDialogMessageW(t->profiles, &m))
			continue;
		if (t->progress && IsDialogMessageW(t->progress, &m))
			continue;
		TranslateMessage(&m);
		DispatchMessageW(&m);
	}
	tray_log("pstsyncw exited");
	ps_settings_free(t->settings);
	free(t->config);
	ReleaseMutex(mutex);
	CloseHandle(mutex);
	(void)prev;
	(void)cmdline;
	(void)show;
	return (int)m.wParam;
}
