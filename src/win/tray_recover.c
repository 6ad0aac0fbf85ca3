/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The tray's "Recover items..." window: the versions the syncs of a profile
 * overwrote or deleted, from its recovery store (include/pstsync/recovery.h),
 * filtered by folder and text, and put back into the stores they came from
 * with Restore, as new items or over the current version. Every restore is
 * written to the log. While a sync runs the recovery store is the sync's:
 * Restore waits for its end.
 */
#include "tray.h"

#include "../res/resource.h"
#include "pstsync/errors.h"
#include "pstsync/recovery.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct version {
	uint32_t id;
	uint64_t when;
	int64_t sync_id;
	int side, what;
	wchar_t *folder, *subject, *cls;
};

static struct {
	struct version *v;
	size_t n, cap;
	int profile;               /* index in the settings */
	wchar_t *preselect;        /* the profile to show first, or NULL */
} rec;

static void versions_clear(void)
{
	size_t i;

	for (i = 0; i < rec.n; i++) {
		free(rec.v[i].folder);
		free(rec.v[i].subject);
		free(rec.v[i].cls);
	}
	free(rec.v);
	rec.v = NULL;
	rec.n = rec.cap = 0;
}

static int version_cb(const ps_recovery_version *v, void *ctx)
{
	struct version *d;

	(void)ctx;
	if (rec.n == rec.cap) {
		size_t cap = rec.cap ? rec.cap * 2 : 64;
		struct version *grown = realloc(rec.v, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		rec.v = grown;
		rec.cap = cap;
	}
	d = &rec.v[rec.n++];
	d->id = v->id;
	d->when = v->when;
	d->sync_id = v->sync_id;
	d->side = v->side;
	d->what = v->what;
	d->folder = tray_wide(v->folder);
	d->subject = tray_wide(v->subject);
	d->cls = tray_wide(v->message_class);
	return 0;
}

static int open_recovery(struct tray *t, const ps_profile *p, ps_recovery **out)
{
	char *proto = NULL, *path = NULL;
	int rc;

	if ((rc = ps_sync_protocol_path(t->settings, p, &proto)) == PS_OK &&
	    (rc = ps_recovery_path(proto, &path)) == PS_OK)
		rc = ps_recovery_open(out, path, 0);
	free(proto);
	free(path);
	return rc;
}

static void status(HWND d, const wchar_t *text)
{
	SetDlgItemTextW(d, IDC_REC_STATUS, text);
}

static const ps_profile *current_profile(struct tray *t)
{
	return rec.profile >= 0 && (size_t)rec.profile < ps_settings_profile_count(t->settings)
		? ps_settings_profile_at(t->settings, (size_t)rec.profile) : NULL;
}

static int contains_ci(const wchar_t *hay, const wchar_t *needle)
{
	size_t n = wcslen(needle), i;

	if (!n)
		return 1;
	for (i = 0; hay && hay[i]; i++)
		if (_wcsnicmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

/* Fill the list from the versions that pass the filter. */
static void list_fill(HWND d)
{
	HWND list = GetDlgItem(d, IDC_REC_LIST);
	wchar_t folder[260], text[260], buf[64];
	size_t i;
	int row = 0;

	GetDlgItemTextW(d, IDC_REC_FOLDER, folder, 260);
	GetDlgItemTextW(d, IDC_REC_TEXT, text, 260);
	SendMessageW(list, WM_SETREDRAW, FALSE, 0);
	ListView_DeleteAllItems(list);
	for (i = rec.n; i-- > 0;) {   /* newest first */
		const struct version *v = &rec.v[i];
		LVITEMW it;
		FILETIME ft;
		SYSTEMTIME st, lt;
		if (!contains_ci(v->folder, folder) || (!contains_ci(v->subject, text) && !contains_ci(v->cls, text)))
			continue;
		memset(&it, 0, sizeof(it));
		it.mask = LVIF_TEXT | LVIF_PARAM;
		it.iItem = row;
		it.lParam = (LPARAM)i;
		ft.dwLowDateTime = (DWORD)v->when;
		ft.dwHighDateTime = (DWORD)(v->when >> 32);
		FileTimeToSystemTime(&ft, &st);
		SystemTimeToTzSpecificLocalTime(NULL, &st, &lt);
		_snwprintf(buf, 63, L"%04u-%02u-%02u %02u:%02u", lt.wYear, lt.wMonth, lt.wDay, lt.wHour, lt.wMinute);
		buf[63] = 0;
		it.pszText = buf;
		row = ListView_InsertItem(list, &it);
		if (row < 0)
			break;
		ListView_SetItemText(list, row, 1, (wchar_t *)tray_string(v->side ? IDS_REC_GLOBAL : IDS_REC_LOCAL));
		ListView_SetItemText(list, row, 2, v->folder ? v->folder : L"");
		ListView_SetItemText(list, row, 3, v->subject ? v->subject : L"");
		ListView_SetItemText(list, row, 4, (wchar_t *)tray_string(v->what == PS_RECOVERY_DELETED ?
			IDS_REC_DELETED : IDS_REC_OVERWRITTEN));
		_snwprintf(buf, 63, L"%lld", (long long)v->sync_id);
		buf[63] = 0;
		ListView_SetItemText(list, row, 5, buf);
		row++;
	}
	SendMessageW(list, WM_SETREDRAW, TRUE, 0);
	EnableWindow(GetDlgItem(d, IDC_REC_RESTORE), FALSE);
}

/* Read the versions of the chosen profile. */
static void load(struct tray *t, HWND d)
{
	const ps_profile *p = current_profile(t);
	ps_recovery *r = NULL;
	wchar_t text[600];
	int rc;

	versions_clear();
	if (!p) {
		list_fill(d);
		return;
	}
	rc = open_recovery(t, p, &r);
	if (rc == PS_OK)
		rc = ps_recovery_list(r, version_cb, NULL);
	ps_recovery_close(r);
	if (rc == PS_ENOTFOUND) {
		status(d, tray_string(IDS_REC_NONE));
	} else if (rc < 0) {
		wchar_t *w = tray_wide(ps_error_last());
		_snwprintf(text, 599, tray_string(IDS_REC_CANNOT_READ), w ? w : L"");
		text[599] = 0;
		free(w);
		status(d, text);
	} else {
		_snwprintf(text, 599, tray_string(IDS_REC_COUNT), (unsigned)rec.n);
		text[599] = 0;
		status(d, text);
	}
	list_fill(d);
}

/* Restore the selected versions; each one to the log. */
static void restore(struct tray *t, HWND d)
{
	HWND list = GetDlgItem(d, IDC_REC_LIST);
	const ps_profile *p = current_profile(t);
	const char *paths[2];
	ps_store *st[2] = { NULL, NULL };
	ps_recovery *r = NULL;
	int replace = IsDlgButtonChecked(d, IDC_REC_REPLACE) == BST_CHECKED, row = -1;
	unsigned done = 0, failed = 0;
	wchar_t text[700];
	char *first_error = NULL;

	if (!p)
		return;
	if (t->syncing) {
		status(d, tray_string(IDS_REC_SYNCING));
		return;
	}
	paths[0] = ps_profile_local(p);
	paths[1] = ps_profile_global(p);
	if (open_recovery(t, p, &r) != PS_OK) {
		first_error = _strdup(ps_error_last());
		failed = 1;
		goto report;
	}
	while ((row = ListView_GetNextItem(list, row, LVNI_SELECTED)) >= 0) {
		LVITEMW it;
		const struct version *v;
		uint32_t nid = 0;
		int replaced = 0, rc;
		char *folder, *subject;
		memset(&it, 0, sizeof(it));
		it.mask = LVIF_PARAM;
		it.iItem = row;
		if (!ListView_GetItem(list, &it) || (size_t)it.lParam >= rec.n)
			continue;
		v = &rec.v[it.lParam];
		rc = st[v->side] ? PS_OK : ps_store_open(&st[v->side], paths[v->side], PS_STORE_WRITE);
		if (rc == PS_OK)
			rc = ps_recovery_restore(r, v->id, st[v->side], replace, &nid, &replaced);
		folder = tray_utf8(v->folder);
		subject = tray_utf8(v->subject);
		if (rc == PS_OK) {
			done++;
			tray_logs((replaced ? IDS_LOG_RESTORED_OVER_LOCAL : IDS_LOG_RESTORED_NEW_LOCAL)
				+ (v->side ? 1 : 0), subject ? subject : "", (unsigned)v->id,
				ps_profile_name(p), folder ? folder : "", (unsigned)nid);
		} else {
			failed++;
			tray_logs(IDS_LOG_RESTORE_FAILED, subject ? subject : "", (unsigned)v->id,
				ps_profile_name(p), ps_error_last());
			if (!first_error)
				first_error = _strdup(ps_error_last());
		}
		free(folder);
		free(subject);
	}
report:
	ps_store_close(st[0]);
	ps_store_close(st[1]);
	ps_recovery_close(r);
	if (failed) {
		wchar_t *w = tray_wide(first_error ? first_error : "");
		_snwprintf(text, 699, tray_string(IDS_REC_RESTORE_FAILED), done, failed, w ? w : L"");
		free(w);
	} else {
		_snwprintf(text, 699, tray_string(IDS_REC_RESTORED), done);
	}
	text[699] = 0;
	free(first_error);
	load(t, d);
	status(d, text);
}

static void init(struct tray *t, HWND d)
{
	static const struct { UINT ids; int width; } cols[] = {
		{ IDS_REC_COL_WHEN, 125 }, { IDS_REC_COL_STORE, 55 }, { IDS_REC_COL_FOLDER, 110 },
		{ IDS_REC_COL_SUBJECT, 220 }, { IDS_REC_COL_WHAT, 95 }, { IDS_REC_COL_SYNC, 50 },
	};
	HWND list = GetDlgItem(d, IDC_REC_LIST), combo = GetDlgItem(d, IDC_REC_PROFILE);
	size_t i;
	int sel = 0;

	ListView_SetExtendedListViewStyle(list, LVS_EX_FULLROWSELECT);
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		LVCOLUMNW c;
		memset(&c, 0, sizeof(c));
		c.mask = LVCF_TEXT | LVCF_WIDTH;
		c.pszText = (wchar_t *)tray_string(cols[i].ids);
		c.cx = cols[i].width;
		ListView_InsertColumn(list, (int)i, &c);
	}
	for (i = 0; i < ps_settings_profile_count(t->settings); i++) {
		wchar_t *w = tray_wide(ps_profile_name(ps_settings_profile_at(t->settings, i)));
		SendMessageW(combo, CB_ADDSTRING, 0, (LPARAM)(w ? w : L""));
		if (w && rec.preselect && wcscmp(w, rec.preselect) == 0)
			sel = (int)i;
		free(w);
	}
	SendMessageW(combo, CB_SETCURSEL, (WPARAM)sel, 0);
	rec.profile = ps_settings_profile_count(t->settings) ? sel : -1;
	load(t, d);
}

static INT_PTR CALLBACK recover_proc(HWND d, UINT msg, WPARAM wp, LPARAM lp)
{
	struct tray *t = &g_tray;

	switch (msg) {
	case WM_INITDIALOG:
		init(t, d);
		PostMessageW(d, WM_APP_RECOVER_FRONT, 0, 0);
		return TRUE;
	case WM_APP_RECOVER_FRONT:
		SetForegroundWindow(d);
		BringWindowToTop(d);
		return TRUE;
	case WM_NOTIFY: {
		NMHDR *h = (NMHDR *)lp;
		if (h->idFrom == IDC_REC_LIST && h->code == LVN_ITEMCHANGED)
			EnableWindow(GetDlgItem(d, IDC_REC_RESTORE),
				ListView_GetSelectedCount(h->hwndFrom) > 0);
		else if (h->idFrom == IDC_REC_LIST && h->code == NM_DBLCLK)
			restore(t, d);
		return FALSE;
	}
	case WM_COMMAND:
		switch (LOWORD(wp)) {
		case IDC_REC_PROFILE:
			if (HIWORD(wp) == CBN_SELCHANGE) {
				rec.profile = (int)SendDlgItemMessageW(d, IDC_REC_PROFILE, CB_GETCURSEL, 0, 0);
				load(t, d);
			}
			return TRUE;
		case IDC_REC_FOLDER:
		case IDC_REC_TEXT:
			if (HIWORD(wp) == EN_CHANGE)
				list_fill(d);
			return TRUE;
		case IDC_REC_RESTORE:
			restore(t, d);
			return TRUE;
		case IDCANCEL:
			EndDialog(d, 0);
			return TRUE;
		}
		return FALSE;
	}
	return FALSE;
}

void tray_show_recover(struct tray *t, HWND owner, const char *profile)
{
	static int open;

	if (open)
		return; /* one at a time: the menu while it shows does nothing */
	open = 1;
	rec.preselect = profile ? tray_wide(profile) : NULL;
	tray_logs(IDS_LOG_RECOVER_OPENED);
	DialogBoxParamW(t->inst, MAKEINTRESOURCEW(IDD_RECOVER), owner, recover_proc, 0);
	versions_clear();
	free(rec.preselect);
	rec.preselect = NULL;
	open = 0;
}
