/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The tray application's windows: the profiles window (modeless: the list
 * of profiles with a checkbox each, the Synchronise button, enabled only
 * while a profile is ticked), the settings dialog (the [options] of the
 * settings file), the progress window (modeless, fed by WM_APP_PROGRESS)
 * and the About box. Ticking a profile saves the settings file at once, so
 * that the sync worker, which reads the file itself, sees it. Every
 * control that changes settings is disabled while a sync runs.
 *
 * Not yet: adding and editing profiles (the link editor, IDD_LINKS), the
 * per-link statistics of `pstsync status`, the grouped question dialogs.
 */
#include "win/tray.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pstsync/errors.h"
#include "pstsync/version.h"
#include "resource.h"

#define WIDEN_(x) L##x
#define WIDEN(x) WIDEN_(x)

/* ---- profiles window ------------------------------------------------- */

static int filling;     /* 1 while the list is filled: ignore its notifications */

static void profiles_enable(struct tray *t)
{
	HWND d = t->profiles;
	HWND list;
	int sel, on = !t->syncing;

	if (!d)
		return;
	list = GetDlgItem(d, IDC_PROFILE_LIST);
	sel = ListView_GetNextItem(list, -1, LVNI_SELECTED);
	EnableWindow(list, on);
	EnableWindow(GetDlgItem(d, IDC_PROFILE_ADD), on);
	EnableWindow(GetDlgItem(d, IDC_PROFILE_EDIT), on && sel >= 0);
	EnableWindow(GetDlgItem(d, IDC_PROFILE_REMOVE), on && sel >= 0);
	EnableWindow(GetDlgItem(d, IDC_PROFILE_SYNC), on && tray_any_enabled(t));
}

static void profiles_status(struct tray *t)
{
	HWND list = GetDlgItem(t->profiles, IDC_PROFILE_LIST);
	int sel = ListView_GetNextItem(list, -1, LVNI_SELECTED);
	const ps_profile *p = sel >= 0 ? ps_settings_profile_at(t->settings, (size_t)sel) : NULL;
	char text[1024];
	size_t n = 0, i;

	text[0] = 0;
	if (t->syncing)
		snprintf(text, sizeof(text), "Synchronising: the profiles cannot be changed until it ends.");
	else if (p) {
		n = (size_t)snprintf(text, sizeof(text), "Links of '%s': ", ps_profile_name(p));
		for (i = 0; i < ps_profile_link_count(p) && n < sizeof(text); i++) {
			const ps_link *l = ps_profile_link_at(p, i);
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s %s %s", i ? "; " : "",
				ps_link_local(l), ps_link_direction(l) == PS_DIRECTION_BOTH ? "<->"
				: ps_link_direction(l) == PS_DIRECTION_FROM_GLOBAL ? "<-" : "->",
				ps_link_global(l));
		}
		if (!ps_profile_link_count(p))
			snprintf(text + n, sizeof(text) - n, "none");
	}
	{
		wchar_t *w = tray_wide(text);
		SetDlgItemTextW(t->profiles, IDC_PROFILE_STATUS, w ? w : L"");
		free(w);
	}
}

static void list_set_text(HWND list, int row, int col, const char *s)
{
	wchar_t *w = tray_wide(s);

	ListView_SetItemText(list, row, col, w ? w : (wchar_t *)L"");
	free(w);
}

void tray_profiles_refresh(struct tray *t)
{
	HWND list;
	size_t i, n;
	int sel;

	if (!t->profiles)
		return;
	list = GetDlgItem(t->profiles, IDC_PROFILE_LIST);
	sel = ListView_GetNextItem(list, -1, LVNI_SELECTED);
	filling = 1;
	ListView_DeleteAllItems(list);
	n = ps_settings_profile_count(t->settings);
	for (i = 0; i < n; i++) {
		const ps_profile *p = ps_settings_profile_at(t->settings, i);
		LVITEMW it;
		wchar_t links[16];
		memset(&it, 0, sizeof(it));
		it.mask = LVIF_TEXT;
		it.iItem = (int)i;
		it.pszText = (wchar_t *)L"";
		ListView_InsertItem(list, &it);
		list_set_text(list, (int)i, 0, ps_profile_name(p));
		list_set_text(list, (int)i, 1, ps_profile_local(p));
		list_set_text(list, (int)i, 2, ps_profile_global(p));
		_snwprintf(links, 15, L"%u", (unsigned)ps_profile_link_count(p));
		links[15] = 0;
		ListView_SetItemText(list, (int)i, 3, links);
		ListView_SetCheckState(list, (int)i, ps_profile_enabled(p) ? TRUE : FALSE);
	}
	if (sel < 0 && n)
		sel = 0;
	if (sel >= 0 && (size_t)sel < n)
		ListView_SetItemState(list, sel, LVIS_SELECTED | LVIS_FOCUSED,
			LVIS_SELECTED | LVIS_FOCUSED);
	filling = 0;
	profiles_enable(t);
	profiles_status(t);
}

static void profiles_init(struct tray *t, HWND d)
{
	static const struct { UINT title; int width; } cols[] = {
		{ IDS_COL_PROFILE, 90 }, { IDS_COL_LOCAL, 150 }, { IDS_COL_GLOBAL, 150 },
		{ IDS_COL_LINKS, 40 },
	};
	HWND list = GetDlgItem(d, IDC_PROFILE_LIST);
	RECT r;
	int i;

	ListView_SetExtendedListViewStyle(list, LVS_EX_CHECKBOXES | LVS_EX_FULLROWSELECT);
	GetClientRect(list, &r);
	for (i = 0; i < 4; i++) {
		LVCOLUMNW c;
		memset(&c, 0, sizeof(c));
		c.mask = LVCF_TEXT | LVCF_WIDTH;
		c.pszText = (wchar_t *)tray_string(cols[i].title);
		/* widths scale with the list, which the dialog units scaled with DPI */
		c.cx = (r.right - 4) * cols[i].width / 430;
		ListView_InsertColumn(list, i, &c);
	}
	SendMessageW(d, WM_SETICON, ICON_SMALL, (LPARAM)t->icons[TRAY_IDLE]);
	SendMessageW(d, WM_SETICON, ICON_BIG, (LPARAM)LoadIconW(t->inst, MAKEINTRESOURCEW(IDI_APP)));
}

static void profile_checked(struct tray *t, int row, int on)
{
	ps_profile *p = ps_settings_profile_at(t->settings, (size_t)row);

	if (!p || ps_profile_enabled(p) == on)
		return;
	if (t->syncing) {
		/* the list is disabled while syncing; the keyboard may still get here */
		tray_profiles_refresh(t);
		return;
	}
	if (ps_profile_set_enabled(p, on) != PS_OK || tray_save_settings(t) != 0) {
		tray_profiles_refresh(t);
		return;
	}
	tray_log("profile '%s' %s", ps_profile_name(p), on ? "ticked" : "unticked");
	profiles_enable(t);
}

static void profile_remove(struct tray *t)
{
	HWND list = GetDlgItem(t->profiles, IDC_PROFILE_LIST);
	int sel = ListView_GetNextItem(list, -1, LVNI_SELECTED);
	ps_profile *p = sel >= 0 ? ps_settings_profile_at(t->settings, (size_t)sel) : NULL;
	wchar_t text[400], *name;
	char *copy;

	if (!p || t->syncing)
		return;
	name = tray_wide(ps_profile_name(p));
	_snwprintf(text, 399, L"Remove the profile '%ls' and its links?\n\n"
		L"The stores themselves are not touched.", name ? name : L"");
	text[399] = 0;
	free(name);
	if (MessageBoxW(t->profiles, text, tray_string(IDS_APP_TITLE),
		    MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON2) != IDYES)
		return;
	copy = _strdup(ps_profile_name(p));
	if (copy && ps_settings_profile_remove(t->settings, copy) == PS_OK &&
	    tray_save_settings(t) == 0)
		tray_log("profile '%s' removed", copy);
	free(copy);
	tray_profiles_refresh(t);
}

static INT_PTR CALLBACK profiles_proc(HWND d, UINT msg, WPARAM wp, LPARAM lp)
{
	struct tray *t = &g_tray;

	switch (msg) {
	case WM_INITDIALOG:
		t->profiles = d;
		profiles_init(t, d);
		tray_profiles_refresh(t);
		return TRUE;
	case WM_NOTIFY: {
		NMHDR *h = (NMHDR *)lp;
		if (h->idFrom == IDC_PROFILE_LIST && h->code == LVN_ITEMCHANGED && !filling) {
			NMLISTVIEW *lv = (NMLISTVIEW *)lp;
			if ((lv->uChanged & LVIF_STATE) && lv->iItem >= 0) {
				if ((lv->uNewState ^ lv->uOldState) & LVIS_STATEIMAGEMASK)
					profile_checked(t, lv->iItem,
						ListView_GetCheckState(h->hwndFrom, lv->iItem) != 0);
				if ((lv->uNewState ^ lv->uOldState) & LVIS_SELECTED) {
					profiles_enable(t);
					profiles_status(t);
				}
			}
		}
		return FALSE;
	}
	case WM_COMMAND:
		switch (LOWORD(wp)) {
		case IDC_PROFILE_SYNC:
			tray_start_sync(t);
			return TRUE;
		case IDC_PROFILE_REMOVE:
			profile_remove(t);
			return TRUE;
		case IDC_PROFILE_ADD:
		case IDC_PROFILE_EDIT:
			MessageBoxW(d, tray_string(IDS_NOT_YET), tray_string(IDS_APP_TITLE),
				MB_ICONINFORMATION);
			return TRUE;
		case IDCANCEL:
			DestroyWindow(d);
			return TRUE;
		}
		return FALSE;
	case WM_DESTROY:
		t->profiles = NULL;
		return FALSE;
	}
	return FALSE;
}

void tray_show_profiles(struct tray *t)
{
	if (!t->profiles)
		CreateDialogParamW(t->inst, MAKEINTRESOURCEW(IDD_PROFILES), NULL, profiles_proc, 0);
	else
		tray_profiles_refresh(t);
	if (t->profiles) {
		ShowWindow(t->profiles, SW_SHOWNORMAL);
		SetForegroundWindow(t->profiles);
	}
}

/* ---- settings dialog ------------------------------------------------- */

static const wchar_t *const conflict_names[] = {
	L"Ask me", L"Keep the local version", L"Keep the global version", L"Keep both",
	L"Leave them for later",
};

static void settings_init(struct tray *t, HWND d)
{
	const ps_options *o = ps_settings_options(t->settings);
	HWND combo = GetDlgItem(d, IDC_OPT_CONFLICTS);
	int i;

	CheckDlgButton(d, IDC_OPT_OUTLOOK_START, o->sync_when_outlook_starts ? BST_CHECKED : 0);
	CheckDlgButton(d, IDC_OPT_OUTLOOK_EXIT, o->sync_when_outlook_exits ? BST_CHECKED : 0);
	SendDlgItemMessageW(d, IDC_OPT_INTERVAL_SPIN, UDM_SETRANGE32, 0, 100000);
	SetDlgItemInt(d, IDC_OPT_INTERVAL, (UINT)o->interval_minutes, FALSE);
	CheckDlgButton(d, IDC_OPT_SHOW_PROGRESS, o->show_progress ? BST_CHECKED : 0);
	CheckDlgButton(d, IDC_OPT_HIDE_PROGRESS, o->hide_progress_when_done ? BST_CHECKED : 0);
	CheckDlgButton(d, IDC_OPT_CONFIRM_DELETES, o->confirm_deletes ? BST_CHECKED : 0);
	SetDlgItemInt(d, IDC_OPT_MASS_PERCENT, (UINT)o->mass_delete_percent, FALSE);
	SetDlgItemInt(d, IDC_OPT_MASS_MINIMUM, (UINT)o->mass_delete_minimum, FALSE);
	for (i = 0; i < 5; i++)
		SendMessageW(combo, CB_ADDSTRING, 0, (LPARAM)conflict_names[i]);
	SendMessageW(combo, CB_SETCURSEL, (WPARAM)o->conflicts, 0);
	/* the Run key comes in a later stage */
	EnableWindow(GetDlgItem(d, IDC_OPT_RUN_AT_LOGON), FALSE);
}

static int settings_apply(struct tray *t, HWND d)
{
	ps_options o = *ps_settings_options(t->settings);
	BOOL ok1, ok2, ok3;
	wchar_t *msg;

	o.sync_when_outlook_starts = IsDlgButtonChecked(d, IDC_OPT_OUTLOOK_START) == BST_CHECKED;
	o.sync_when_outlook_exits = IsDlgButtonChecked(d, IDC_OPT_OUTLOOK_EXIT) == BST_CHECKED;
	o.interval_minutes = (int)GetDlgItemInt(d, IDC_OPT_INTERVAL, &ok1, FALSE);
	o.show_progress = IsDlgButtonChecked(d, IDC_OPT_SHOW_PROGRESS) == BST_CHECKED;
	o.hide_progress_when_done = IsDlgButtonChecked(d, IDC_OPT_HIDE_PROGRESS) == BST_CHECKED;
	o.confirm_deletes = IsDlgButtonChecked(d, IDC_OPT_CONFIRM_DELETES) == BST_CHECKED;
	o.mass_delete_percent = (int)GetDlgItemInt(d, IDC_OPT_MASS_PERCENT, &ok2, FALSE);
	o.mass_delete_minimum = (int)GetDlgItemInt(d, IDC_OPT_MASS_MINIMUM, &ok3, FALSE);
	o.conflicts = (ps_conflicts)SendDlgItemMessageW(d, IDC_OPT_CONFLICTS, CB_GETCURSEL, 0, 0);
	if (!ok1 || !ok2 || !ok3 || ps_settings_set_options(t->settings, &o) != PS_OK) {
		msg = tray_wide(ok1 && ok2 && ok3 ? ps_error_last() : "a number is missing");
		MessageBoxW(d, msg ? msg : L"", tray_string(IDS_APP_TITLE), MB_ICONERROR);
		free(msg);
		return -1;
	}
	if (tray_save_settings(t) != 0)
		return 0; /* reloaded: close, the dialog's values are lost anyway */
	tray_log("settings changed");
	return 0;
}

static INT_PTR CALLBACK settings_proc(HWND d, UINT msg, WPARAM wp, LPARAM lp)
{
	struct tray *t = &g_tray;

	switch (msg) {
	case WM_INITDIALOG:
		settings_init(t, d);
		return TRUE;
	case WM_COMMAND:
		if (LOWORD(wp) == IDOK) {
			if (settings_apply(t, d) == 0)
				EndDialog(d, IDOK);
			return TRUE;
		}
		if (LOWORD(wp) == IDCANCEL) {
			EndDialog(d, IDCANCEL);
			return TRUE;
		}
		return FALSE;
	}
	return FALSE;
}

void tray_show_settings(struct tray *t)
{
	static int open;

	if (t->syncing || open)
		return;
	open = 1;
	DialogBoxParamW(t->inst, MAKEINTRESOURCEW(IDD_SETTINGS), NULL, settings_proc, 0);
	open = 0;
}

/* ---- about ----------------------------------------------------------- */

static INT_PTR CALLBACK about_proc(HWND d, UINT msg, WPARAM wp, LPARAM lp)
{
	if (msg == WM_INITDIALOG) {
		SetDlgItemTextW(d, IDC_ABOUT_VERSION, L"pstsync " WIDEN(PSTSYNC_VERSION));
		return TRUE;
	}
	if (msg == WM_COMMAND && (LOWORD(wp) == IDOK || LOWORD(wp) == IDCANCEL)) {
		EndDialog(d, 0);
		return TRUE;
	}
	return FALSE;
}

void tray_show_about(struct tray *t)
{
	static int open;

	if (open)
		return;
	open = 1;
	DialogBoxParamW(t->inst, MAKEINTRESOURCEW(IDD_ABOUT), NULL, about_proc, 0);
	open = 0;
}

/* ---- progress window ------------------------------------------------- */

static INT_PTR CALLBACK progress_proc(HWND d, UINT msg, WPARAM wp, LPARAM lp)
{
	struct tray *t = &g_tray;

	switch (msg) {
	case WM_INITDIALOG:
		SendDlgItemMessageW(d, IDC_PROG_BAR, PBM_SETRANGE32, 0, 1000);
		SendMessageW(d, WM_SETICON, ICON_SMALL, (LPARAM)t->icons[TRAY_SYNCING]);
		return TRUE;
	case WM_COMMAND:
		if (LOWORD(wp) == IDCANCEL) {
			/* hiding never stops the sync: it cannot be interrupted */
			DestroyWindow(d);
			return TRUE;
		}
		return FALSE;
	case WM_DESTROY:
		t->progress = NULL;
		return FALSE;
	}
	return FALSE;
}

void tray_progress_open(struct tray *t)
{
	if (!t->progress)
		t->progress = CreateDialogParamW(t->inst, MAKEINTRESOURCEW(IDD_PROGRESS), NULL,
			progress_proc, 0);
	if (t->progress) {
		SetWindowTextW(t->progress, L"pstsync: synchronising");
		SetDlgItemTextW(t->progress, IDCANCEL, L"&Hide");
		ShowWindow(t->progress, SW_SHOWNOACTIVATE);
	}
}

void tray_progress_update(struct tray *t, const struct tray_progress *p)
{
	wchar_t counts[128];
	HWND d = t->progress;

	if (!d)
		return;
	SetDlgItemTextW(d, IDC_PROG_PROFILE, p->profile);
	SetDlgItemTextW(d, IDC_PROG_LINK, p->link);
	SetDlgItemTextW(d, IDC_PROG_ACTION, p->action);
	_snwprintf(counts, 127, L"%u action%ls so far, %u error%ls", p->actions,
		p->actions == 1 ? L"" : L"s", p->errors, p->errors == 1 ? L"" : L"s");
	counts[127] = 0;
	SetDlgItemTextW(d, IDC_PROG_COUNTS, counts);
	if (p->total)
		SendDlgItemMessageW(d, IDC_PROG_BAR, PBM_SETPOS,
			(WPARAM)(p->done >= p->total ? 1000 : p->done * 1000 / p->total), 0);
}

void tray_progress_end(struct tray *t, const wchar_t *summary)
{
	HWND d = t->progress;

	if (!d)
		return;
	if (ps_settings_options(t->settings)->hide_progress_when_done && !t->last_errors) {
		DestroyWindow(d);
		return;
	}
	SetWindowTextW(d, L"pstsync: done");
	SetDlgItemTextW(d, IDC_PROG_ACTION, summary);
	SetDlgItemTextW(d, IDCANCEL, L"&Close");
	SendDlgItemMessageW(d, IDC_PROG_BAR, PBM_SETPOS, 1000, 0);
}

void tray_dialogs_syncing(struct tray *t, int syncing)
{
	(void)syncing;
	profiles_enable(t);
	if (t->profiles)
		profiles_status(t);
}
