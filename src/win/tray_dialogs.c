/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The tray application's windows: the profiles window (modeless: the list
 * of profiles with a checkbox each, the Synchronise button, enabled only
 * while a profile is ticked), the settings dialog (the [options] of the
 * settings file), the progress window (modeless, fed by WM_APP_PROGRESS)
 * and the About box. Ticking a profile saves the settings file at once, so
 * that the sync worker, which reads the file itself, sees it. Below the
 * profiles, the selected one's links with the figures of `pstsync status`
 * (last synchronised, items on each side, questions outstanding), read
 * from the profile's protocol alone, never from the stores, so the window
 * opens fast; they are read again after each sync. Add and Edit open the
 * profile editor (tray_links.c). The settings dialog also writes the
 * per-user Run key ("Start pstsync when I log on"). Every control that
 * changes settings is disabled while a sync runs.
 */
#include "win/tray.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/protocol.h"
#include "pstsync/version.h"
#include "resource.h"

#define WIDEN_(x) L##x
#define WIDEN(x) WIDEN_(x)

/* ---- profiles window ------------------------------------------------- */

static int filling;     /* 1 while the lists are filled: ignore their notifications */

/* What the selected profile's protocol says: per link the figures of `pstsync status`. */
struct link_stats {
	int known;                  /* the protocol has this link */
	uint64_t last_sync;         /* 0: never */
	uint64_t items[2];
	int64_t questions;
	uint64_t not_carried[2];    /* what a one-way link leaves on each side */
};

struct profile_stats {
	char name[256];             /* the profile they are of */
	int exists;                 /* a protocol exists: the profile was synchronised */
	int have_last;
	uint64_t last_when;         /* the last sync's end (its start when it did not end) */
	int last_status, last_finished;
	char last_error[300];       /* the first error line of the last sync */
	int64_t outstanding;
	char problem[400];          /* the protocol could not be read: why */
	struct link_stats *links;   /* by the settings' link index */
	size_t nlinks;
};

static struct profile_stats stats;

static int history_cb(const ps_protocol_sync *s, void *ctx)
{
	struct profile_stats *ps = ctx;
	const char *e = s->errors;
	size_t len;

	ps->have_last = 1;
	ps->last_finished = s->finished != 0;
	ps->last_when = s->finished ? s->finished : s->started;
	ps->last_status = s->status;
	ps->last_error[0] = 0;
	if (e && e[0]) {
		len = strcspn(e, "\n");
		snprintf(ps->last_error, sizeof(ps->last_error), "%.*s", (int)len, e);
	}
	return 1;
}

/*
 * Read @p p's statistics from its protocol alone, never from the stores,
 * so the window opens fast even when a store is on a slow share. A profile
 * never synchronised has no protocol, and none is created here.
 */
static void stats_load(struct tray *t, const ps_profile *p)
{
	ps_protocol *proto = NULL;
	char *path = NULL;
	size_t i;
	int rc;

	free(stats.links);
	memset(&stats, 0, sizeof(stats));
	if (!p)
		return;
	snprintf(stats.name, sizeof(stats.name), "%s", ps_profile_name(p));
	stats.nlinks = ps_profile_link_count(p);
	stats.links = calloc(stats.nlinks + 1, sizeof(*stats.links));
	if (!stats.links) {
		stats.nlinks = 0;
		return;
	}
	if ((rc = ps_sync_protocol_path(t->settings, p, &path)) != PS_OK)
		goto fail;
	if (ps_path_kind(path) != PS_PATH_FILE) {
		free(path);
		return;
	}
	stats.exists = 1;
	/* only read: works on a full disk; an older schema is updated as a sync would */
	rc = ps_protocol_open_read(&proto, path);
	if (rc == PS_EPROTOCOL)
		rc = ps_protocol_open(&proto, path);
	if (rc != PS_OK)
		goto fail;
	/* a sync of another program may hold it: rather show less than hang */
	ps_protocol_set_busy_timeout(proto, 1000);
	for (i = 0; i < stats.nlinks; i++) {
		const ps_link *l = ps_profile_link_at(p, i);
		ps_protocol_link pl;
		struct link_stats *ls = &stats.links[i];
		memset(&pl, 0, sizeof(pl));
		if (ps_protocol_link_find(proto, &pl, ps_link_local(l), ps_link_global(l)) != PS_OK)
			continue;
		ls->known = 1;
		ls->last_sync = pl.last_sync;
		ls->items[0] = pl.items[0];
		ls->items[1] = pl.items[1];
		ls->not_carried[0] = pl.not_carried[0];
		ls->not_carried[1] = pl.not_carried[1];
		ps_protocol_question_count(proto, pl.id, &ls->questions);
		ps_protocol_link_clear(&pl);
	}
	ps_protocol_question_count(proto, 0, &stats.outstanding);
	rc = ps_protocol_history_last(proto, 1, history_cb, &stats);
	if (rc < 0)
		goto fail;
	ps_protocol_close(proto);
	free(path);
	return;
fail:
	snprintf(stats.problem, sizeof(stats.problem), "%s", ps_error_last());
	ps_protocol_close(proto);
	free(path);
}

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

static const ps_profile *selected_profile(struct tray *t)
{
	HWND list = GetDlgItem(t->profiles, IDC_PROFILE_LIST);
	int sel = ListView_GetNextItem(list, -1, LVNI_SELECTED);

	return sel >= 0 ? ps_settings_profile_at(t->settings, (size_t)sel) : NULL;
}

static void profiles_status(struct tray *t)
{
	const ps_profile *p = selected_profile(t);
	wchar_t text[1024], when[64], *w;

	text[0] = 0;
	if (t->syncing) {
		tray_format(text, 1024, IDS_STATUS_SYNCING);
	} else if (!ps_settings_profile_count(t->settings)) {
		tray_format(text, 1024, IDS_STATUS_NO_PROFILES);
	} else if (p && stats.problem[0]) {
		w = tray_wide(stats.problem);
		tray_format(text, 1024, IDS_STATUS_CANNOT_READ, w ? w : L"");
		free(w);
	} else if (p && (!stats.exists || !stats.have_last)) {
		tray_format(text, 1024, IDS_STATUS_NEVER);
	} else if (p) {
		size_t n;
		tray_format_time(when, 64, stats.last_when);
		if (!stats.last_finished)
			n = (size_t)tray_format(text, 1024, IDS_STATUS_UNFINISHED, when);
		else if (stats.last_status != PS_OK || stats.last_error[0]) {
			w = tray_wide(stats.last_error[0] ? stats.last_error
				: ps_status_name(stats.last_status));
			n = (size_t)tray_format(text, 1024, IDS_STATUS_ERRORS, when, w ? w : L"");
			free(w);
		} else
			n = (size_t)tray_format(text, 1024, IDS_STATUS_COMPLETED, when);
		if (n < 1000 && stats.outstanding)
			tray_format(text + n, 1024 - n, TRAY_PLURAL(stats.outstanding,
				IDS_STATUS_OUTSTANDING_1, IDS_STATUS_OUTSTANDING_N),
				(long long)stats.outstanding);
	}
	text[1023] = 0;
	SetDlgItemTextW(t->profiles, IDC_PROFILE_STATUS, text);
}

static void list_set_text(HWND list, int row, int col, const char *s)
{
	wchar_t *w = tray_wide(s);

	ListView_SetItemText(list, row, col, w ? w : (wchar_t *)L"");
	free(w);
}

/* The selected profile's links with the statistics of its protocol. */
static void links_refresh(struct tray *t)
{
	HWND list = GetDlgItem(t->profiles, IDC_PROFILE_LINKS);
	const ps_profile *p = selected_profile(t);
	size_t i, n = p ? ps_profile_link_count(p) : 0;
	int known;

	/* the protocol is read while no sync writes it; during one the last figures stay */
	if (!t->syncing)
		stats_load(t, p);
	known = p && strcmp(stats.name, ps_profile_name(p)) == 0;
	filling = 1;
	ListView_DeleteAllItems(list);
	for (i = 0; i < n; i++) {
		const ps_link *l = ps_profile_link_at(p, i);
		const struct link_stats *ls = known && i < stats.nlinks ? &stats.links[i] : NULL;
		wchar_t cell[64];
		LVITEMW it;
		int c;
		memset(&it, 0, sizeof(it));
		it.mask = LVIF_TEXT;
		it.iItem = (int)i;
		it.pszText = (wchar_t *)L"";
		ListView_InsertItem(list, &it);
		list_set_text(list, (int)i, 0, ps_link_local(l));
		ListView_SetItemText(list, (int)i, 1,
			(wchar_t *)tray_direction_text(ps_link_direction(l)));
		list_set_text(list, (int)i, 2, ps_link_global(l));
		if (!known)
			continue;       /* another profile's figures: none until the sync ends */
		if (!ls || !ls->known || !ls->last_sync) {
			ListView_SetItemText(list, (int)i, 3, (wchar_t *)tray_string(IDS_NEVER));
			continue;
		}
		tray_format_time(cell, 64, ls->last_sync);
		ListView_SetItemText(list, (int)i, 3, cell);
		for (c = 0; c < 3; c++) {
			_snwprintf(cell, 63, L"%llu", c < 2 ? (unsigned long long)ls->items[c]
				: (unsigned long long)ls->questions);
			cell[63] = 0;
			ListView_SetItemText(list, (int)i, 4 + c, cell);
		}
		{
			/* "1 local", "2 global", both, or 0 */
			wchar_t part[32];
			int k;
			cell[0] = 0;
			for (k = 0; k < 2; k++) {
				if (!ls->not_carried[k])
					continue;
				_snwprintf(part, 31, tray_string(k ? IDS_NOT_CARRIED_GLOBAL : IDS_NOT_CARRIED_LOCAL),
					(unsigned long long)ls->not_carried[k]);
				part[31] = 0;
				if (cell[0])
					wcsncat(cell, L", ", 63 - wcslen(cell));
				wcsncat(cell, part, 63 - wcslen(cell));
			}
			if (!cell[0])
				wcscpy(cell, L"0");
			ListView_SetItemText(list, (int)i, 7, cell);
		}
	}
	filling = 0;
}

/* Fill the profiles list and select @p name (NULL: keep the selected row). */
static void profiles_fill(struct tray *t, const char *name)
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
		if (name && strcmp(name, ps_profile_name(p)) == 0)
			sel = (int)i;
	}
	if (sel >= (int)n)
		sel = (int)n - 1;
	if (sel < 0 && n)
		sel = 0;
	if (sel >= 0) {
		ListView_SetItemState(list, sel, LVIS_SELECTED | LVIS_FOCUSED,
			LVIS_SELECTED | LVIS_FOCUSED);
		ListView_EnsureVisible(list, sel, FALSE);
	}
	filling = 0;
	profiles_enable(t);
	links_refresh(t);
	profiles_status(t);
}

void tray_profiles_refresh(struct tray *t)
{
	profiles_fill(t, NULL);
}

/* Column widths from the text they show, so they fit the font at any DPI. */
static int text_width(HWND list, const wchar_t *s)
{
	return ListView_GetStringWidth(list, s) + 16;
}

static void profiles_init(struct tray *t, HWND d)
{
	static const struct { UINT title; int width; } cols[] = {
		{ IDS_COL_PROFILE, 130 }, { IDS_COL_LOCAL, 130 }, { IDS_COL_GLOBAL, 130 },
		{ IDS_COL_LINKS, 40 },
	};
	static const UINT link_cols[8] = {
		IDS_COL_LOCAL_FOLDER, IDS_COL_DIRECTION, IDS_COL_GLOBAL_FOLDER, IDS_COL_LAST_SYNC,
		IDS_COL_LOCAL_ITEMS, IDS_COL_GLOBAL_ITEMS, IDS_COL_QUESTIONS, IDS_COL_NOT_CARRIED,
	};
	HWND list = GetDlgItem(d, IDC_PROFILE_LIST);
	HWND links = GetDlgItem(d, IDC_PROFILE_LINKS);
	int width[8], rest, i;
	wchar_t sample[64];
	RECT r;

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

	/* links: the figures as wide as their headings, the time as a time, folders share the rest */
	ListView_SetExtendedListViewStyle(links, LVS_EX_FULLROWSELECT);
	GetClientRect(links, &r);
	width[1] = text_width(links, tray_direction_text(PS_DIRECTION_FROM_GLOBAL));
	i = text_width(links, tray_direction_text(PS_DIRECTION_TO_GLOBAL));
	if (i > width[1])
		width[1] = i;
	tray_format_time(sample, 64, 133000000000000000ULL); /* a date with two-digit parts */
	width[3] = text_width(links, sample);
	i = text_width(links, tray_string(IDS_COL_LAST_SYNC));
	if (i > width[3])
		width[3] = i;
	for (i = 4; i < 8; i++)
		width[i] = text_width(links, tray_string(link_cols[i]));
	rest = r.right - GetSystemMetrics(SM_CXVSCROLL) - width[1] - width[3] - width[4] - width[5]
		- width[6] - width[7];
	width[0] = width[2] = rest > 160 ? rest / 2 : 80;
	for (i = 0; i < 8; i++) {
		LVCOLUMNW c;
		memset(&c, 0, sizeof(c));
		c.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_FMT;
		c.fmt = i >= 4 ? LVCFMT_RIGHT : LVCFMT_LEFT;
		c.pszText = (wchar_t *)tray_string(link_cols[i]);
		c.cx = width[i];
		ListView_InsertColumn(links, i, &c);
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
	tray_logs(on ? IDS_LOG_PROFILE_TICKED : IDS_LOG_PROFILE_UNTICKED, ps_profile_name(p));
	profiles_enable(t);
}

/* Add (@p edit 0) or edit the selected profile in the profile editor. */
static void profile_edit(struct tray *t, int edit)
{
	const ps_profile *p = selected_profile(t);
	char *name = NULL, *saved = NULL;

	if (t->syncing || (edit && !p))
		return;
	if (edit && !(name = _strdup(ps_profile_name(p))))
		return;
	if (tray_edit_profile(t, t->profiles, name, &saved))
		profiles_fill(t, saved);
	else
		tray_profiles_refresh(t);
	free(saved);
	free(name);
}

static void profile_remove(struct tray *t)
{
	const ps_profile *p = selected_profile(t);
	wchar_t text[400], *name;
	char *copy;

	if (!p || t->syncing)
		return;
	name = tray_wide(ps_profile_name(p));
	tray_format(text, 400, IDS_REMOVE_PROFILE, name ? name : L"");
	free(name);
	if (MessageBoxW(t->profiles, text, tray_string(IDS_APP_TITLE),
		    MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON2) != IDYES)
		return;
	copy = _strdup(ps_profile_name(p));
	if (copy && ps_settings_profile_remove(t->settings, copy) == PS_OK &&
	    tray_save_settings(t) == 0)
		tray_logs(IDS_LOG_PROFILE_REMOVED, copy);
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
		if (filling)
			return FALSE;
		if (h->idFrom == IDC_PROFILE_LIST && h->code == LVN_ITEMCHANGED) {
			NMLISTVIEW *lv = (NMLISTVIEW *)lp;
			if ((lv->uChanged & LVIF_STATE) && lv->iItem >= 0) {
				if ((lv->uNewState ^ lv->uOldState) & LVIS_STATEIMAGEMASK)
					profile_checked(t, lv->iItem,
						ListView_GetCheckState(h->hwndFrom, lv->iItem) != 0);
				if ((lv->uNewState ^ lv->uOldState) & LVIS_SELECTED) {
					profiles_enable(t);
					links_refresh(t);
					profiles_status(t);
				}
			}
		} else if (h->idFrom == IDC_PROFILE_LIST && h->code == LVN_KEYDOWN &&
			   ((NMLVKEYDOWN *)lp)->wVKey == VK_DELETE) {
			profile_remove(t);
		} else if ((h->idFrom == IDC_PROFILE_LIST || h->idFrom == IDC_PROFILE_LINKS) &&
			   h->code == NM_DBLCLK && selected_profile(t)) {
			profile_edit(t, 1);
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
			profile_edit(t, 0);
			return TRUE;
		case IDC_PROFILE_EDIT:
			profile_edit(t, 1);
			return TRUE;
		case IDC_PROFILE_RECOVER: {
			const ps_profile *p = selected_profile(t);
			tray_show_recover(t, d, p ? ps_profile_name(p) : NULL);
			return TRUE;
		}
		case IDCANCEL:
			DestroyWindow(d);
			return TRUE;
		}
		return FALSE;
	case WM_DESTROY:
		t->profiles = NULL;
		free(stats.links);
		memset(&stats, 0, sizeof(stats));
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

static HWND settings_dlg;       /* the settings dialog while it shows */

/* the choices of "Conflicts:", in the order of ps_conflicts */
static const UINT conflict_names[] = {
	IDS_CONFLICTS_ASK, IDS_CONFLICTS_LOCAL, IDS_CONFLICTS_GLOBAL, IDS_CONFLICTS_BOTH,
	IDS_CONFLICTS_LATER,
};

/*
 * "Start pstsync when I log on": the value "pstsync" of the per-user Run key,
 * which this dialog writes. An install for all users (setup.exe /ALLUSERS)
 * writes the same value under HKLM instead, with --logon; only an
 * administrator may remove that one, so each user turns it off for
 * themselves with a value of their own, HKCU\Software\pstsync RunAtLogon = 0,
 * which makes a copy started with --logon quit at once (tray_logon_off).
 */
#define RUN_KEY L"Software\\Microsoft\\Windows\\CurrentVersion\\Run"
#define RUN_VALUE L"pstsync"
#define PREFS_KEY L"Software\\pstsync"
#define LOGON_OFF L"RunAtLogon"

int tray_logon_off(void)
{
	DWORD v = 1, size = sizeof(v);

	return RegGetValueW(HKEY_CURRENT_USER, PREFS_KEY, LOGON_OFF, RRF_RT_REG_DWORD, NULL, &v,
		&size) == ERROR_SUCCESS && v == 0;
}

/* 1 when the all-users install starts pstsync at every logon (HKLM's Run value). */
static int all_users_run(void)
{
	return RegGetValueW(HKEY_LOCAL_MACHINE, RUN_KEY, RUN_VALUE, RRF_RT_REG_SZ, NULL, NULL, NULL)
		== ERROR_SUCCESS;
}

/* The command Windows runs at logon: this program, with the settings file it was given. */
static wchar_t *run_command(const struct tray *t)
{
	wchar_t exe[MAX_PATH * 2], *config = NULL, *cmd;
	char *abs = NULL;
	DWORD n = GetModuleFileNameW(NULL, exe, MAX_PATH * 2);
	size_t size;

	if (!n || n >= MAX_PATH * 2)
		return NULL;
	/* a relative --config would depend on the folder Windows starts it in */
	if (t->config && ps_path_absolute(t->config, &abs) == PS_OK)
		config = tray_wide(abs);
	free(abs);
	size = wcslen(exe) + (config ? wcslen(config) : 0) + 32;
	if ((cmd = malloc(size * sizeof(wchar_t)))) {
		if (config)
			_snwprintf(cmd, size, L"\"%ls\" --config \"%ls\"", exe, config);
		else
			_snwprintf(cmd, size, L"\"%ls\"", exe);
		cmd[size - 1] = 0;
	}
	free(config);
	return cmd;
}

/* The Run value now (malloc'ed), or NULL when there is none. */
static wchar_t *run_value(void)
{
	DWORD size = 0;
	wchar_t *v;

	if (RegGetValueW(HKEY_CURRENT_USER, RUN_KEY, RUN_VALUE, RRF_RT_REG_SZ, NULL, NULL, &size)
	    != ERROR_SUCCESS || !(v = malloc(size + sizeof(wchar_t))))
		return NULL;
	if (RegGetValueW(HKEY_CURRENT_USER, RUN_KEY, RUN_VALUE, RRF_RT_REG_SZ, NULL, v, &size)
	    != ERROR_SUCCESS) {
		free(v);
		return NULL;
	}
	return v;
}

/* Whether pstsync starts at this user's logon: their Run value, or the all-users one they kept. */
static int runs_at_logon(void)
{
	wchar_t *run = run_value();
	int on = run || (all_users_run() && !tray_logon_off());

	free(run);
	return on;
}

/* Start pstsync at logon (@p on) or not; 0, or -1 after saying why. */
static int run_at_logon(struct tray *t, HWND d, int on)
{
	wchar_t *now = run_value(), *cmd = on ? run_command(t) : NULL, why[300];
	int all = all_users_run(), off = tray_logon_off(), changed = 0;
	LSTATUS rc = ERROR_SUCCESS;
	DWORD zero = 0;
	size_t n;
	char *u;

	if (on && !cmd)
		rc = ERROR_OUTOFMEMORY;
	if (rc == ERROR_SUCCESS && on && off) {
		/* the all-users value works again for this user */
		rc = RegDeleteKeyValueW(HKEY_CURRENT_USER, PREFS_KEY, LOGON_OFF);
		changed = 1;
	}
	/* with the all-users value there, a value of the user's own would start a second copy */
	if (rc == ERROR_SUCCESS && on && !all && (!now || wcscmp(now, cmd) != 0)) {
		rc = RegSetKeyValueW(HKEY_CURRENT_USER, RUN_KEY, RUN_VALUE, REG_SZ, cmd,
			(DWORD)((wcslen(cmd) + 1) * sizeof(wchar_t)));
		changed = 1;
	}
	if (rc == ERROR_SUCCESS && !on && now) {
		rc = RegDeleteKeyValueW(HKEY_CURRENT_USER, RUN_KEY, RUN_VALUE);
		changed = 1;
	}
	if (rc == ERROR_SUCCESS && !on && all && !off) {
		rc = RegSetKeyValueW(HKEY_CURRENT_USER, PREFS_KEY, LOGON_OFF, REG_DWORD, &zero,
			sizeof(zero));
		changed = 1;
	}
	if (rc != ERROR_SUCCESS) {
		wchar_t text[600];
		why[0] = 0;
		FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
			(DWORD)rc, 0, why, 299, NULL);
		why[299] = 0;
		for (n = wcslen(why); n && (why[n - 1] == L'\r' || why[n - 1] == L'\n' ||
			why[n - 1] == L' ' || why[n - 1] == L'.'); n--)
			why[n - 1] = 0;
		u = tray_utf8(why);
		tray_logs(on ? IDS_LOG_LOGON_ON_FAILED : IDS_LOG_LOGON_OFF_FAILED, u ? u : "", (long)rc);
		free(u);
		tray_format(text, 600, on ? IDS_LOGON_ON_FAILED : IDS_LOGON_OFF_FAILED, why);
		MessageBoxW(d, text, tray_string(IDS_APP_TITLE), MB_ICONERROR);
		free(now);
		free(cmd);
		return -1;
	}
	if (changed) {
		u = tray_utf8(cmd);
		if (on && all)
			tray_logs(IDS_LOG_LOGON_ON_ALL);
		else if (on)
			tray_logs(IDS_LOG_LOGON_ON, u ? u : "");
		else if (all)
			tray_logs(IDS_LOG_LOGON_OFF_USER);
		else
			tray_logs(IDS_LOG_LOGON_OFF);
		free(u);
	}
	free(now);
	free(cmd);
	return 0;
}

static void settings_enable(struct tray *t, HWND d)
{
	static const int ids[] = {
		IDC_OPT_OUTLOOK_START, IDC_OPT_OUTLOOK_EXIT, IDC_OPT_INTERVAL, IDC_OPT_INTERVAL_SPIN,
		IDC_OPT_SHOW_PROGRESS, IDC_OPT_HIDE_PROGRESS, IDC_OPT_CONFIRM_DELETES,
		IDC_OPT_MASS_PERCENT, IDC_OPT_MASS_MINIMUM, IDC_OPT_CONFLICTS, IDC_OPT_RUN_AT_LOGON,
		IDOK,
	};
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		EnableWindow(GetDlgItem(d, ids[i]), !t->syncing);
}

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
		SendMessageW(combo, CB_ADDSTRING, 0, (LPARAM)tray_string(conflict_names[i]));
	SendMessageW(combo, CB_SETCURSEL, (WPARAM)o->conflicts, 0);
	/* ticked when a Run key names pstsync, whichever copy: OK makes it this one */
	CheckDlgButton(d, IDC_OPT_RUN_AT_LOGON, runs_at_logon() ? BST_CHECKED : 0);
	settings_enable(t, d);
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
		msg = ok1 && ok2 && ok3 ? tray_wide(ps_error_last()) : NULL;
		MessageBoxW(d, msg ? msg : tray_string(IDS_NUMBER_MISSING), tray_string(IDS_APP_TITLE),
			MB_ICONERROR);
		free(msg);
		return -1;
	}
	if (run_at_logon(t, d, IsDlgButtonChecked(d, IDC_OPT_RUN_AT_LOGON) == BST_CHECKED) != 0)
		return -1;
	if (tray_save_settings(t) != 0) {
		tray_schedule_update(); /* reloaded: close, the dialog's values are lost anyway */
		return 0;
	}
	tray_logs(IDS_LOG_SETTINGS_CHANGED);
	tray_schedule_update();
	return 0;
}

static INT_PTR CALLBACK settings_proc(HWND d, UINT msg, WPARAM wp, LPARAM lp)
{
	struct tray *t = &g_tray;

	switch (msg) {
	case WM_INITDIALOG:
		settings_dlg = d;
		settings_init(t, d);
		/* opened from the tray menu it has no owner to take the focus from:
		   it asks for the front once it shows */
		PostMessageW(d, WM_APP_SETTINGS_FRONT, 0, 0);
		return TRUE;
	case WM_APP_SETTINGS_FRONT:
		SetForegroundWindow(d);
		return TRUE;
	case WM_COMMAND:
		if (LOWORD(wp) == IDOK) {
			if (!t->syncing && settings_apply(t, d) == 0)
				EndDialog(d, IDOK);
			return TRUE;
		}
		if (LOWORD(wp) == IDCANCEL) {
			EndDialog(d, IDCANCEL);
			return TRUE;
		}
		return FALSE;
	case WM_DESTROY:
		settings_dlg = NULL;
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

/* the counts the progress window shows last, for its end: no "so far" then */
static struct { uint32_t actions, errors; } shown;

void tray_progress_open(struct tray *t)
{
	if (!t->progress)
		t->progress = CreateDialogParamW(t->inst, MAKEINTRESOURCEW(IDD_PROGRESS), NULL,
			progress_proc, 0);
	memset(&shown, 0, sizeof(shown));
	if (t->progress) {
		SetWindowTextW(t->progress, tray_string(IDS_PROGRESS_TITLE));
		SetDlgItemTextW(t->progress, IDCANCEL, tray_string(IDS_PROGRESS_HIDE));
		ShowWindow(t->progress, SW_SHOWNOACTIVATE);
	}
}

static void progress_counts(HWND d, int done)
{
	wchar_t counts[128];

	counts[0] = 0;
	if (done)
		tray_counts_add2(counts, 128, IDS_PROG_ACTIONS_1, IDS_PROG_ACTIONS_N, shown.actions);
	else
		tray_counts_add2(counts, 128, IDS_PROG_ACTIONS_SO_FAR_1, IDS_PROG_ACTIONS_SO_FAR_N,
			shown.actions);
	tray_counts_add2(counts, 128, IDS_PROG_ERRORS_1, IDS_PROG_ERRORS_N, shown.errors);
	SetDlgItemTextW(d, IDC_PROG_COUNTS, counts);
}

void tray_progress_update(struct tray *t, const struct tray_progress *p)
{
	HWND d = t->progress;

	if (!d)
		return;
	SetDlgItemTextW(d, IDC_PROG_PROFILE, p->profile);
	SetDlgItemTextW(d, IDC_PROG_LINK, p->link);
	SetDlgItemTextW(d, IDC_PROG_ACTION, p->action);
	shown.actions = p->actions;
	shown.errors = p->errors;
	progress_counts(d, p->phase == PS_SYNC_PHASE_DONE);
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
	SetWindowTextW(d, tray_string(IDS_PROGRESS_DONE));
	SetDlgItemTextW(d, IDC_PROG_ACTION, summary);
	progress_counts(d, 1);
	SetDlgItemTextW(d, IDCANCEL, tray_string(IDS_PROGRESS_CLOSE));
	SendDlgItemMessageW(d, IDC_PROG_BAR, PBM_SETPOS, 1000, 0);
}

void tray_dialogs_syncing(struct tray *t, int syncing)
{
	profiles_enable(t);
	if (t->profiles)
		profiles_status(t);
	if (settings_dlg)
		settings_enable(t, settings_dlg);
	tray_links_syncing(syncing);
}
