/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The grouped question dialogs of the tray application. At the end of a
 * profile's sync the engine hands every question of the profile to the
 * worker's ui.ask (tray_sync.c), which posts WM_APP_ASK with the two lists
 * and waits; here, on the UI thread, the conflict dialog (IDD_CONFLICTS)
 * and then the deletion dialog (IDD_DELETES) show them, one row per item
 * with the folder, what happened on each side and when, and the choice
 * made so far. Buttons set the choice of the selected rows (or of every
 * row with "Apply to all items"), offering only the answers the item's
 * link allows (ps_sync_question.answers); Ctrl+A selects every row, a
 * double click steps a row through its answers. OK hands the choices to the engine; Cancel, Escape or the
 * close box leave that dialog's questions outstanding, and so does Exit
 * from the tray menu, which then quits after the sync. While a dialog
 * waits the tray icon and its tooltip say that questions are waiting.
 */
#include "win/tray.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resource.h"

/* DialogBoxParam's result when Exit closed the dialog */
#define Q_EXIT 100
/* how one list of questions ended */
enum outcome { ANSWERED, CLOSED, EXITING };
/* how often an open dialog looks whether Exit was chosen, and at the icon */
#define EXIT_POLL_MS 250

/* the columns; the deletion list has "Deleted" in COL_LOCAL's place, and
 * the choice is the last column of both */
enum { COL_ITEM, COL_TYPE, COL_FOLDER, COL_LOCAL, COL_GLOBAL };

/* which edges of a control follow the dialog's size */
enum { A_RIGHT = 1, A_BOTTOM = 2, A_WIDTH = 4, A_HEIGHT = 8 };

static const struct {
	int id;
	unsigned anchor;
} anchors[] = {
	{ IDC_Q_HEAD, A_WIDTH }, { IDC_Q_LIST, A_WIDTH | A_HEIGHT },
	{ IDC_Q_DETAIL, A_BOTTOM | A_WIDTH }, { IDC_Q_KEEP_LOCAL, A_BOTTOM },
	{ IDC_Q_KEEP_GLOBAL, A_BOTTOM }, { IDC_Q_KEEP_BOTH, A_BOTTOM }, { IDC_Q_UNLINK, A_BOTTOM },
	{ IDC_Q_DELETE, A_BOTTOM }, { IDC_Q_RESTORE, A_BOTTOM }, { IDC_Q_LATER, A_BOTTOM },
	{ IDC_Q_ALL, A_BOTTOM | A_RIGHT }, { IDC_Q_SUMMARY, A_BOTTOM | A_WIDTH },
	{ IDOK, A_BOTTOM | A_RIGHT }, { IDCANCEL, A_BOTTOM | A_RIGHT },
};
#define NANCHORS (sizeof(anchors) / sizeof(anchors[0]))

/* the answer buttons, per dialog kind */
struct answer_button {
	int id, answer;
};

static const struct answer_button conflict_buttons[] = {
	{ IDC_Q_KEEP_LOCAL, PS_ANSWER_KEEP_LOCAL }, { IDC_Q_KEEP_GLOBAL, PS_ANSWER_KEEP_GLOBAL },
	{ IDC_Q_KEEP_BOTH, PS_ANSWER_KEEP_BOTH }, { IDC_Q_UNLINK, PS_ANSWER_UNLINK },
	{ IDC_Q_LATER, PS_ANSWER_LATER },
}, delete_buttons[] = {
	{ IDC_Q_DELETE, PS_ANSWER_DELETE }, { IDC_Q_RESTORE, PS_ANSWER_RESTORE },
	{ IDC_Q_LATER, PS_ANSWER_LATER },
};

/* one open dialog */
struct qdlg {
	struct tray *t;
	const struct tray_ask *ask; /* both lists, for the icon's tooltip */
	const char *profile;
	int kind;                   /* PS_QUESTION_CONFLICT or PS_QUESTION_DELETE */
	ps_sync_question *q;
	size_t n;
	int *choice;                /* per row: the answer chosen, PS_ANSWER_LATER at first */
	HWND d, list;
	int ncols;                  /* columns of this kind's list */
	int item_width;             /* the Item column's width at the size below */
	SIZE base;                  /* the client size the rects below belong to */
	RECT rect[NANCHORS];        /* each control's rect at that size */
	int filling;                /* 1 while rows are inserted: ignore notifications */
	int refresh_posted;         /* a WM_APP_ASK_REFRESH is on its way */
};

static const struct answer_button *buttons_of(const struct qdlg *g, size_t *n)
{
	if (g->kind == PS_QUESTION_CONFLICT) {
		*n = sizeof(conflict_buttons) / sizeof(conflict_buttons[0]);
		return conflict_buttons;
	}
	*n = sizeof(delete_buttons) / sizeof(delete_buttons[0]);
	return delete_buttons;
}

static int allowed(const ps_sync_question *q, int answer)
{
	return answer == PS_ANSWER_LATER || (answer > 0 && answer < 32 && (q->answers & (1u << answer)));
}

/* the side whose deletion a deletion question is about */
static int deleting_side(const ps_sync_question *q)
{
	return q->change[0] == PS_CHANGE_DELETED ? 0 : 1;
}

/* ---- texts ----------------------------------------------------------- */

/* A FILETIME as the user's short date and time, local time; empty for 0. */
static void when_text(wchar_t *buf, size_t size, uint64_t filetime)
{
	FILETIME ft;
	SYSTEMTIME utc, local;
	wchar_t date[64], time[64];

	buf[0] = 0;
	if (!filetime)
		return;
	ft.dwLowDateTime = (DWORD)filetime;
	ft.dwHighDateTime = (DWORD)(filetime >> 32);
	if (!FileTimeToSystemTime(&ft, &utc) || !SystemTimeToTzSpecificLocalTime(NULL, &utc, &local))
		return;
	if (!GetDateFormatW(LOCALE_USER_DEFAULT, DATE_SHORTDATE, &local, NULL, date, 64) ||
	    !GetTimeFormatW(LOCALE_USER_DEFAULT, TIME_NOSECONDS, &local, NULL, time, 64))
		return;
	_snwprintf(buf, size - 1, L"%ls %ls", date, time);
	buf[size - 1] = 0;
}

/* What happened on one side: "changed 21/11/2026 06:57", "deleted (noticed ...)". */
static void change_text(wchar_t *buf, size_t size, int change, uint64_t when)
{
	wchar_t at[140];

	when_text(at, 140, when);
	if (change == PS_CHANGE_MODIFIED)
		tray_format(buf, size, at[0] ? IDS_Q_CHANGED_AT : IDS_Q_CHANGED, at);
	else if (change == PS_CHANGE_DELETED)
		tray_format(buf, size, at[0] ? IDS_Q_DELETED_AT : IDS_Q_DELETED, at);
	else
		tray_format(buf, size, IDS_Q_UNCHANGED);
}

/* "Contact", "Appointment", ... from the message class */
static void type_text(wchar_t *buf, size_t size, const char *cls)
{
	static const struct {
		const char *prefix;
		UINT name;
	} types[] = {
		{ "IPM.Contact", IDS_TYPE_CONTACT }, { "IPM.DistList", IDS_TYPE_DISTLIST },
		{ "IPM.Appointment", IDS_TYPE_APPOINTMENT }, { "IPM.Schedule.Meeting", IDS_TYPE_MEETING },
		{ "IPM.Task", IDS_TYPE_TASK }, { "IPM.StickyNote", IDS_TYPE_NOTE },
		{ "IPM.Activity", IDS_TYPE_JOURNAL }, { "IPM.Note", IDS_TYPE_MAIL },
		{ "IPM.Post", IDS_TYPE_POST },
	};
	size_t i, len;

	for (i = 0; cls && i < sizeof(types) / sizeof(types[0]); i++) {
		len = strlen(types[i].prefix);
		if (_strnicmp(cls, types[i].prefix, len) == 0 && (cls[len] == 0 || cls[len] == '.')) {
			tray_load(buf, size, types[i].name);
			return;
		}
	}
	if (cls && cls[0])
		tray_wide_buf(buf, size, cls);
	else
		tray_load(buf, size, IDS_TYPE_ITEM);
}

/* "/Contacts", or "/Contacts <-> /Office contacts"; one-way links say which way */
static void folder_text(wchar_t *buf, size_t size, const ps_sync_question *q)
{
	wchar_t a[200], b[200];
	const wchar_t *arrow = q->direction == PS_DIRECTION_FROM_GLOBAL ? L"\x2190"
		: q->direction == PS_DIRECTION_TO_GLOBAL ? L"\x2192" : L"\x2194";

	tray_wide_buf(a, 200, q->path[0]);
	tray_wide_buf(b, 200, q->path[1]);
	if (wcscmp(a, b) == 0 && q->direction == PS_DIRECTION_FROM_GLOBAL)
		tray_format(buf, size, IDS_Q_FROM_GLOBAL_ONLY, a);
	else if (wcscmp(a, b) == 0 && q->direction == PS_DIRECTION_TO_GLOBAL)
		tray_format(buf, size, IDS_Q_TO_GLOBAL_ONLY, a);
	else if (wcscmp(a, b) == 0)
		_snwprintf(buf, size - 1, L"%ls", a);
	else
		_snwprintf(buf, size - 1, L"%ls %ls %ls", a, arrow, b);
	buf[size - 1] = 0;
}

/* The words for answer @p a to @p q, as the Choice column shows them. */
static const wchar_t *choice_text(const ps_sync_question *q, int a, wchar_t *buf, size_t size)
{
	int d;

	if (q->kind == PS_QUESTION_DELETE) {
		d = deleting_side(q);
		if (a == PS_ANSWER_DELETE)
			tray_load(buf, size, IDS_Q_DELETE_IN_LOCAL + (d ^ 1));
		else if (a == PS_ANSWER_RESTORE)
			tray_load(buf, size, IDS_Q_RESTORE_IN_LOCAL + d);
		else
			tray_load(buf, size, IDS_Q_LATER);
	} else {
		switch (a) {
		case PS_ANSWER_KEEP_LOCAL:
		case PS_ANSWER_KEEP_GLOBAL:
			d = a == PS_ANSWER_KEEP_LOCAL ? 0 : 1;
			tray_load(buf, size, (q->change[d] == PS_CHANGE_DELETED
				? IDS_Q_KEEP_LOCAL_DELETION : IDS_Q_KEEP_LOCAL_VERSION) + d);
			break;
		case PS_ANSWER_KEEP_BOTH:
			tray_load(buf, size, IDS_Q_KEEP_BOTH);
			break;
		case PS_ANSWER_UNLINK:
			tray_load(buf, size, IDS_Q_KEEP_EACH);
			break;
		default:
			tray_load(buf, size, IDS_Q_LATER);
		}
	}
	return buf;
}

/* ---- the list -------------------------------------------------------- */

static void set_cell(struct qdlg *g, int row, int col, const wchar_t *text)
{
	ListView_SetItemText(g->list, row, col, (wchar_t *)text);
}

/* the column a row's choice is in: the last one */
static int choice_col(const struct qdlg *g)
{
	return g->ncols - 1;
}

static void show_choice(struct qdlg *g, int row)
{
	wchar_t buf[128];

	set_cell(g, row, choice_col(g), choice_text(&g->q[row], g->choice[row], buf, 128));
}

static void fill_row(struct qdlg *g, int row)
{
	const ps_sync_question *q = &g->q[row];
	wchar_t buf[420];
	wchar_t *subject = q->subject && q->subject[0] ? tray_wide(q->subject) : NULL;
	LVITEMW it;
	int d;

	memset(&it, 0, sizeof(it));
	it.mask = LVIF_TEXT;
	it.iItem = row;
	if (!subject && q->subject && q->subject[0])
		wcscpy(buf, L"?");
	else if (!subject)
		tray_load(buf, 420, IDS_Q_NO_SUBJECT);
	it.pszText = subject ? subject : buf;
	ListView_InsertItem(g->list, &it);
	free(subject);
	type_text(buf, 420, q->message_class);
	set_cell(g, row, COL_TYPE, buf);
	folder_text(buf, 420, q);
	set_cell(g, row, COL_FOLDER, buf);
	if (g->kind == PS_QUESTION_CONFLICT) {
		change_text(buf, 420, q->change[0], q->when[0]);
		set_cell(g, row, COL_LOCAL, buf);
		change_text(buf, 420, q->change[1], q->when[1]);
		set_cell(g, row, COL_GLOBAL, buf);
	} else {
		/* one "Deleted" column in place of Local and Global */
		wchar_t at[140];
		d = deleting_side(q);
		when_text(at, 140, q->when[d]);
		tray_format(buf, 420, (at[0] ? IDS_Q_IN_LOCAL_AT : IDS_Q_IN_LOCAL) + d, at);
		set_cell(g, row, COL_LOCAL, buf);
	}
	show_choice(g, row);
}

/* the widest text a row's choice can take, in pixels */
static int choice_width(struct qdlg *g)
{
	static const int answers[] = {
		PS_ANSWER_LATER, PS_ANSWER_KEEP_LOCAL, PS_ANSWER_KEEP_GLOBAL, PS_ANSWER_KEEP_BOTH,
		PS_ANSWER_UNLINK, PS_ANSWER_DELETE, PS_ANSWER_RESTORE,
	};
	wchar_t buf[128];
	size_t i, k;
	int w, best = 0;

	for (i = 0; i < g->n; i++)
		for (k = 0; k < sizeof(answers) / sizeof(answers[0]); k++)
			if (allowed(&g->q[i], answers[k])) {
				w = ListView_GetStringWidth(g->list, choice_text(&g->q[i], answers[k], buf, 128));
				if (w > best)
					best = w;
			}
	return best;
}

/*
 * Columns as wide as their content (headers included), each at most 40%
 * of the screen; returns the width they need together.
 */
static int size_columns(struct qdlg *g)
{
	int i, w, total = 0, cap = GetSystemMetrics(SM_CXSCREEN) * 2 / 5;
	wchar_t title[64];
	LVCOLUMNW c;

	for (i = 0; i < g->ncols; i++) {
		memset(&c, 0, sizeof(c));
		c.mask = LVCF_TEXT;
		c.pszText = title;
		c.cchTextMax = 64;
		title[0] = 0;
		ListView_GetColumn(g->list, i, &c);
		ListView_SetColumnWidth(g->list, i, LVSCW_AUTOSIZE);
		w = ListView_GetColumnWidth(g->list, i);
		/* the header's text and the padding the list puts around it */
		if (ListView_GetStringWidth(g->list, title) + 16 > w)
			w = ListView_GetStringWidth(g->list, title) + 16;
		if (i == choice_col(g) && choice_width(g) + 16 > w)
			w = choice_width(g) + 16;
		if (w > cap)
			w = cap;
		ListView_SetColumnWidth(g->list, i, w);
		total += w;
	}
	return total;
}

static void list_init(struct qdlg *g)
{
	static const UINT conflict_cols[] = {
		IDS_QCOL_ITEM, IDS_QCOL_TYPE, IDS_QCOL_FOLDER, IDS_COL_LOCAL, IDS_COL_GLOBAL,
		IDS_QCOL_CHOICE,
	};
	static const UINT delete_cols[] = {
		IDS_QCOL_ITEM, IDS_QCOL_TYPE, IDS_QCOL_FOLDER, IDS_QCOL_DELETED, IDS_QCOL_CHOICE,
	};
	const UINT *cols = g->kind == PS_QUESTION_CONFLICT ? conflict_cols : delete_cols;
	wchar_t title[64];
	size_t i;
	int k;

	g->ncols = g->kind == PS_QUESTION_CONFLICT ? 6 : 5;
	ListView_SetExtendedListViewStyle(g->list, LVS_EX_FULLROWSELECT | LVS_EX_GRIDLINES |
		LVS_EX_LABELTIP);
	for (k = 0; k < g->ncols; k++) {
		LVCOLUMNW c;
		memset(&c, 0, sizeof(c));
		c.mask = LVCF_TEXT | LVCF_WIDTH;
		c.pszText = (wchar_t *)tray_load(title, 64, cols[k]);
		c.cx = 80;
		ListView_InsertColumn(g->list, k, &c);
	}
	g->filling = 1;
	for (i = 0; i < g->n; i++)
		fill_row(g, (int)i);
	g->filling = 0;
	if (g->n)
		ListView_SetItemState(g->list, 0, LVIS_SELECTED | LVIS_FOCUSED,
			LVIS_SELECTED | LVIS_FOCUSED);
}

/* ---- the dialog's state ---------------------------------------------- */

/* Rows the buttons act on: every row with "Apply to all items", else the selected ones. */
static int targeted(const struct qdlg *g, int row)
{
	if (IsDlgButtonChecked(g->d, IDC_Q_ALL) == BST_CHECKED)
		return 1;
	return (ListView_GetItemState(g->list, row, LVIS_SELECTED) & LVIS_SELECTED) != 0;
}

static void buttons_update(struct qdlg *g)
{
	size_t i, k, nb;
	const struct answer_button *b = buttons_of(g, &nb);

	for (k = 0; k < nb; k++) {
		int on = 0;
		/* a button works when at least one row it acts on allows its answer */
		for (i = 0; i < g->n && !on; i++)
			on = targeted(g, (int)i) && allowed(&g->q[i], b[k].answer);
		EnableWindow(GetDlgItem(g->d, b[k].id), on);
	}
}

static void summary_update(struct qdlg *g)
{
	size_t i, decided = 0;
	wchar_t text[300];

	for (i = 0; i < g->n; i++)
		decided += g->choice[i] != PS_ANSWER_LATER;
	if (decided == g->n)
		tray_format(text, 300, TRAY_PLURAL(g->n, IDS_Q_ALL_DECIDED_1, IDS_Q_ALL_DECIDED_N),
			(unsigned)g->n);
	else
		tray_format(text, 300, IDS_Q_SOME_DECIDED, (unsigned)decided, (unsigned)g->n);
	SetDlgItemTextW(g->d, IDC_Q_SUMMARY, text);
}

/* The focused row in words, below the list: all of it, whatever the columns cut. */
static void detail_update(struct qdlg *g)
{
	int row = ListView_GetNextItem(g->list, -1, LVNI_FOCUSED);
	const ps_sync_question *q;
	wchar_t text[1200], type[64], folder[420], what[2][200], way[200], held[200], *subject;

	if (row < 0 || (size_t)row >= g->n) {
		SetDlgItemTextW(g->d, IDC_Q_DETAIL, L"");
		return;
	}
	q = &g->q[row];
	subject = tray_wide(q->subject ? q->subject : "");
	type_text(type, 64, q->message_class);
	folder_text(folder, 420, q);
	change_text(what[0], 200, q->change[0], q->when[0]);
	change_text(what[1], 200, q->change[1], q->when[1]);
	way[0] = held[0] = 0;
	if (q->direction == PS_DIRECTION_FROM_GLOBAL)
		tray_load(way, 200, IDS_Q_RECEIVES_ONLY);
	else if (q->direction == PS_DIRECTION_TO_GLOBAL)
		tray_load(way, 200, IDS_Q_PUBLISHES_ONLY);
	if (q->mass_delete)
		tray_load(held, 200, IDS_Q_HELD_BACK);
	tray_format(text, 1200, IDS_Q_DETAIL, subject ? subject : L"", type, folder, what[0],
		what[1], way, held);
	free(subject);
	SetDlgItemTextW(g->d, IDC_Q_DETAIL, text);
}

/* Set @p answer on the rows the buttons act on, where it is allowed. */
static void apply_answer(struct qdlg *g, int answer)
{
	int all = IsDlgButtonChecked(g->d, IDC_Q_ALL) == BST_CHECKED;
	int row, nsel = ListView_GetSelectedCount(g->list);
	size_t i;

	for (i = 0; i < g->n; i++)
		if (targeted(g, (int)i) && allowed(&g->q[i], answer)) {
			g->choice[i] = answer;
			show_choice(g, (int)i);
		}
	/* one row decided from the keyboard: go on to the next, as a terminal would */
	row = ListView_GetNextItem(g->list, -1, LVNI_SELECTED);
	if (!all && nsel == 1 && row >= 0 && (size_t)row + 1 < g->n) {
		ListView_SetItemState(g->list, row, 0, LVIS_SELECTED | LVIS_FOCUSED);
		ListView_SetItemState(g->list, row + 1, LVIS_SELECTED | LVIS_FOCUSED,
			LVIS_SELECTED | LVIS_FOCUSED);
		ListView_EnsureVisible(g->list, row + 1, FALSE);
	}
	summary_update(g);
	SetFocus(g->list);
}

/* A double click steps a row through the answers it allows. */
static void cycle_answer(struct qdlg *g, int row)
{
	static const int order[] = {
		PS_ANSWER_LATER, PS_ANSWER_KEEP_LOCAL, PS_ANSWER_KEEP_GLOBAL, PS_ANSWER_KEEP_BOTH,
		PS_ANSWER_UNLINK, PS_ANSWER_DELETE, PS_ANSWER_RESTORE,
	};
	size_t n = sizeof(order) / sizeof(order[0]), i, at = 0;

	if (row < 0 || (size_t)row >= g->n)
		return;
	for (i = 0; i < n; i++)
		if (order[i] == g->choice[row])
			at = i;
	for (i = 1; i <= n; i++)
		if (allowed(&g->q[row], order[(at + i) % n])) {
			g->choice[row] = order[(at + i) % n];
			break;
		}
	show_choice(g, row);
	summary_update(g);
}

/* ---- layout ---------------------------------------------------------- */

static void layout_record(struct qdlg *g)
{
	RECT rc;
	size_t i;

	GetClientRect(g->d, &rc);
	g->base.cx = rc.right;
	g->base.cy = rc.bottom;
	for (i = 0; i < NANCHORS; i++) {
		HWND c = GetDlgItem(g->d, anchors[i].id);
		SetRectEmpty(&g->rect[i]);
		if (c) {
			GetWindowRect(c, &g->rect[i]);
			MapWindowPoints(NULL, g->d, (POINT *)&g->rect[i], 2);
		}
	}
	g->item_width = ListView_GetColumnWidth(g->list, COL_ITEM);
}

static void layout(struct qdlg *g, int cx, int cy)
{
	int dx = cx - g->base.cx, dy = cy - g->base.cy;
	HDWP dwp = BeginDeferWindowPos((int)NANCHORS);
	size_t i;

	for (i = 0; i < NANCHORS; i++) {
		HWND c = GetDlgItem(g->d, anchors[i].id);
		RECT r = g->rect[i];
		unsigned a = anchors[i].anchor;
		if (!c || IsRectEmpty(&r))
			continue;
		if (a & A_RIGHT)
			OffsetRect(&r, dx, 0);
		if (a & A_BOTTOM)
			OffsetRect(&r, 0, dy);
		if (a & A_WIDTH)
			r.right += dx;
		if (a & A_HEIGHT)
			r.bottom += dy;
		if (dwp)
			dwp = DeferWindowPos(dwp, c, NULL, r.left, r.top, r.right - r.left,
				r.bottom - r.top, SWP_NOZORDER | SWP_NOACTIVATE);
	}
	if (dwp)
		EndDeferWindowPos(dwp);
	/* the item's name takes what the window gains */
	ListView_SetColumnWidth(g->list, COL_ITEM, g->item_width + dx > g->item_width / 2
		? g->item_width + dx : g->item_width / 2);
	InvalidateRect(g->d, NULL, TRUE);
}

/* Make the dialog wide enough for the columns (within the screen) and centre it. */
static void fit_content(struct qdlg *g, int need)
{
	RECT wr, lr, work;
	MONITORINFO mi;
	int grow, w, h;

	GetWindowRect(g->d, &wr);
	GetClientRect(g->list, &lr);
	mi.cbSize = sizeof(mi);
	if (GetMonitorInfoW(MonitorFromWindow(g->d, MONITOR_DEFAULTTONEAREST), &mi))
		work = mi.rcWork;
	else
		SystemParametersInfoW(SPI_GETWORKAREA, 0, &work, 0);
	need += GetSystemMetrics(SM_CXVSCROLL);
	grow = need > lr.right ? need - lr.right : 0;
	w = wr.right - wr.left + grow;
	if (w > work.right - work.left)
		w = work.right - work.left;
	h = wr.bottom - wr.top;
	SetWindowPos(g->d, NULL, work.left + (work.right - work.left - w) / 2,
		work.top + (work.bottom - work.top - h) / 2, w, h, SWP_NOZORDER);
}

/* Give the Item column what the list has left over: no empty column at the right. */
static void fill_width(struct qdlg *g)
{
	RECT r;
	int i, sum = 0;

	GetClientRect(g->list, &r);
	for (i = 0; i < g->ncols; i++)
		sum += ListView_GetColumnWidth(g->list, i);
	if (sum < r.right)
		ListView_SetColumnWidth(g->list, COL_ITEM,
			ListView_GetColumnWidth(g->list, COL_ITEM) + r.right - sum);
}

/* No unlink answer anywhere: hide its button and close the gap. */
static void hide_unused_unlink(struct qdlg *g)
{
	HWND unlink = GetDlgItem(g->d, IDC_Q_UNLINK), later = GetDlgItem(g->d, IDC_Q_LATER);
	RECT r;
	size_t i;

	if (!unlink || g->kind != PS_QUESTION_CONFLICT)
		return;
	for (i = 0; i < g->n; i++)
		if (allowed(&g->q[i], PS_ANSWER_UNLINK))
			return;
	GetWindowRect(unlink, &r);
	MapWindowPoints(NULL, g->d, (POINT *)&r, 2);
	ShowWindow(unlink, SW_HIDE);
	SetWindowPos(later, NULL, r.left, r.top, 0, 0, SWP_NOSIZE | SWP_NOZORDER);
}

/* ---- the icon -------------------------------------------------------- */

/* The icon and tooltip while the dialogs wait: "3 questions waiting (Office)". */
static void waiting_icon(struct tray *t, const struct tray_ask *a)
{
	NOTIFYICONDATAW nid;
	wchar_t what[100], profile[40];
	unsigned n = (unsigned)(a->n[0] + a->n[1]);

	if (!t->icon_added)
		return;
	tray_wide_buf(profile, 40, a->profile);
	tray_format(what, 100, TRAY_PLURAL(n, IDS_Q_WAITING_1, IDS_Q_WAITING_N), n, profile);
	memset(&nid, 0, sizeof(nid));
	nid.cbSize = sizeof(nid);
	nid.hWnd = t->hwnd;
	nid.uID = 1;
	nid.uFlags = NIF_ICON | NIF_TIP;
	nid.hIcon = t->icons[TRAY_ATTENTION];
	_snwprintf(nid.szTip, 127, tray_string(IDS_TIP_ATTENTION), what);
	nid.szTip[127] = 0;
	t->state = TRAY_ATTENTION;
	Shell_NotifyIconW(NIM_MODIFY, &nid);
}

/* ---- the dialog ------------------------------------------------------ */

static void dialog_init(struct qdlg *g, HWND d)
{
	wchar_t head[600], *profile = tray_wide(g->profile);
	unsigned n = (unsigned)g->n, held = 0;
	int need, item;
	size_t i;

	for (i = 0; i < g->n; i++)
		held += g->q[i].mass_delete != 0;

	g->d = d;
	g->list = GetDlgItem(d, IDC_Q_LIST);
	SetWindowLongPtrW(d, DWLP_USER, (LONG_PTR)g);
	if (g->kind == PS_QUESTION_CONFLICT)
		tray_format(head, 600, TRAY_PLURAL(n, IDS_Q_HEAD_CONFLICTS_1, IDS_Q_HEAD_CONFLICTS_N),
			profile ? profile : L"", n);
	else if (held)
		tray_format(head, 600, TRAY_PLURAL(n, IDS_Q_HEAD_HELD_1, IDS_Q_HEAD_HELD_N),
			profile ? profile : L"", n, held);
	else
		tray_format(head, 600, TRAY_PLURAL(n, IDS_Q_HEAD_DELETES_1, IDS_Q_HEAD_DELETES_N),
			profile ? profile : L"", n);
	free(profile);
	SetDlgItemTextW(d, IDC_Q_HEAD, head);
	SendMessageW(d, WM_SETICON, ICON_SMALL, (LPARAM)g->t->icons[TRAY_ATTENTION]);
	SendMessageW(d, WM_SETICON, ICON_BIG, (LPARAM)LoadIconW(g->t->inst, MAKEINTRESOURCEW(IDI_APP)));

	list_init(g);
	hide_unused_unlink(g);
	/* grow the window for the columns, moving the controls; then start afresh from there */
	layout_record(g);
	need = size_columns(g);
	item = ListView_GetColumnWidth(g->list, COL_ITEM);
	fit_content(g, need);
	ListView_SetColumnWidth(g->list, COL_ITEM, item);
	fill_width(g);
	layout_record(g);
	buttons_update(g);
	summary_update(g);
	detail_update(g);
	SetTimer(d, 1, EXIT_POLL_MS, NULL);
}

static INT_PTR CALLBACK dialog_proc(HWND d, UINT msg, WPARAM wp, LPARAM lp)
{
	struct qdlg *g = (struct qdlg *)GetWindowLongPtrW(d, DWLP_USER);
	size_t k;

	switch (msg) {
	case WM_INITDIALOG:
		dialog_init((struct qdlg *)lp, d);
		SetFocus(GetDlgItem(d, IDC_Q_LIST));
		PostMessageW(d, WM_APP_ASK_FRONT, 0, 0);
		return FALSE; /* the focus is set */
	case WM_APP_ASK_FRONT:
		/* brought up by a sync, perhaps while the user works elsewhere: Windows
		 * may refuse the foreground, then the taskbar button flashes */
		if (!SetForegroundWindow(d)) {
			FLASHWINFO fw = { sizeof(fw), d, FLASHW_ALL | FLASHW_TIMERNOFG, 0, 0 };
			FlashWindowEx(&fw);
		}
		return TRUE;
	case WM_GETMINMAXINFO:
		if (g && g->base.cx) {
			MINMAXINFO *mm = (MINMAXINFO *)lp;
			RECT r = { 0, 0, g->base.cx * 3 / 4, g->base.cy };
			AdjustWindowRectEx(&r, (DWORD)GetWindowLongW(d, GWL_STYLE), FALSE,
				(DWORD)GetWindowLongW(d, GWL_EXSTYLE));
			mm->ptMinTrackSize.x = r.right - r.left;
			mm->ptMinTrackSize.y = r.bottom - r.top;
		}
		return TRUE;
	case WM_SIZE:
		if (g && g->base.cx && wp != SIZE_MINIMIZED)
			layout(g, LOWORD(lp), HIWORD(lp));
		return TRUE;
	case WM_APP_ASK_REFRESH:
		if (g) {
			g->refresh_posted = 0;
			buttons_update(g);
			detail_update(g);
		}
		return TRUE;
	case WM_TIMER:
		if (g && g->t->exit_pending) {
			KillTimer(d, 1);
			EndDialog(d, Q_EXIT);
		} else if (g && g->t->state != TRAY_ATTENTION) {
			/* something updated the icon (a new taskbar, Outlook): questions still wait */
			waiting_icon(g->t, g->ask);
		}
		return TRUE;
	case WM_NOTIFY: {
		NMHDR *h = (NMHDR *)lp;
		if (!g || h->idFrom != IDC_Q_LIST || g->filling)
			return FALSE;
		if (h->code == LVN_ITEMCHANGED) {
			NMLISTVIEW *lv = (NMLISTVIEW *)lp;
			/* selecting all of a long list sends one notification per row:
			 * update once, when they are through */
			if ((lv->uChanged & LVIF_STATE) &&
			    ((lv->uNewState ^ lv->uOldState) & (LVIS_SELECTED | LVIS_FOCUSED)) &&
			    !g->refresh_posted)
				g->refresh_posted = PostMessageW(d, WM_APP_ASK_REFRESH, 0, 0) != 0;
		} else if (h->code == LVN_KEYDOWN) {
			/* the list view leaves Ctrl+A to its owner */
			if (((NMLVKEYDOWN *)lp)->wVKey == 'A' && GetKeyState(VK_CONTROL) < 0)
				ListView_SetItemState(g->list, -1, LVIS_SELECTED, LVIS_SELECTED);
		} else if (h->code == NM_DBLCLK) {
			cycle_answer(g, ((NMITEMACTIVATE *)lp)->iItem);
		}
		return FALSE;
	}
	case WM_COMMAND:
		if (!g)
			return FALSE;
		switch (LOWORD(wp)) {
		case IDOK:
			for (k = 0; k < g->n; k++)
				g->q[k].answer = g->choice[k];
			KillTimer(d, 1);
			EndDialog(d, IDOK);
			return TRUE;
		case IDCANCEL:
			KillTimer(d, 1);
			EndDialog(d, IDCANCEL);
			return TRUE;
		case IDC_Q_ALL:
			buttons_update(g);
			return TRUE;
		}
		if (HIWORD(wp) == BN_CLICKED) {
			size_t nb;
			const struct answer_button *b = buttons_of(g, &nb);
			for (k = 0; k < nb; k++)
				if (b[k].id == LOWORD(wp)) {
					apply_answer(g, b[k].answer);
					return TRUE;
				}
		}
		return FALSE;
	}
	return FALSE;
}

/* Every answer of a list, or why it was left for later, in the log. */
static void log_outcome(const char *profile, int kind, const ps_sync_question *q, size_t n,
	enum outcome how)
{
	int c = kind == PS_QUESTION_CONFLICT;
	size_t i, later = 0;

	if (how != ANSWERED) {
		tray_logs(c ? (how == EXITING ? IDS_LOG_Q_CONFLICTS_EXIT : IDS_LOG_Q_CONFLICTS_CLOSED)
			: (how == EXITING ? IDS_LOG_Q_DELETES_EXIT : IDS_LOG_Q_DELETES_CLOSED), profile);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *name = ps_protocol_answer_name(q[i].answer);
		if (q[i].answer == PS_ANSWER_NONE || q[i].answer == PS_ANSWER_LATER)
			later++;
		else
			tray_logs(c ? IDS_LOG_ANSWER_CONFLICT : IDS_LOG_ANSWER_DELETION, profile,
				q[i].subject ? q[i].subject : "", q[i].path[0], name ? name : "?");
	}
	if (later)
		tray_logs(c ? TRAY_PLURAL(later, IDS_LOG_Q_CONFLICTS_LATER_1, IDS_LOG_Q_CONFLICTS_LATER_N)
			: TRAY_PLURAL(later, IDS_LOG_Q_DELETES_LATER_1, IDS_LOG_Q_DELETES_LATER_N),
			(unsigned)later, profile);
}

/* One list of questions in its dialog. */
static enum outcome run_dialog(struct tray *t, const struct tray_ask *ask, int kind,
	ps_sync_question *q, size_t n)
{
	const char *profile = ask->profile;
	struct qdlg g;
	INT_PTR r;
	size_t i;

	memset(&g, 0, sizeof(g));
	g.t = t;
	g.ask = ask;
	g.profile = profile;
	g.kind = kind;
	g.q = q;
	g.n = n;
	if (!(g.choice = malloc(n * sizeof(*g.choice)))) {
		tray_logs(IDS_LOG_Q_NO_MEMORY);
		return CLOSED;
	}
	for (i = 0; i < n; i++)
		g.choice[i] = PS_ANSWER_LATER;
	/* no owner: the hidden window would keep it off the taskbar, and a
	 * disabled owner would keep the tray menu (Exit) from working */
	r = DialogBoxParamW(t->inst, MAKEINTRESOURCEW(kind == PS_QUESTION_CONFLICT ? IDD_CONFLICTS
		: IDD_DELETES), NULL, dialog_proc, (LPARAM)&g);
	free(g.choice);
	if (r == -1) {
		tray_logs(IDS_LOG_Q_NO_DIALOG, GetLastError());
		return CLOSED;
	}
	return r == IDOK ? ANSWERED : r == Q_EXIT ? EXITING : CLOSED;
}

void tray_questions_ask(struct tray *t, struct tray_ask *ask)
{
	enum outcome how;
	int k;

	if (!t->exit_pending)
		waiting_icon(t, ask);
	for (k = 0; k < 2; k++) {
		int kind = k == 0 ? PS_QUESTION_CONFLICT : PS_QUESTION_DELETE;
		if (!ask->n[k])
			continue;
		/* Exit chosen before or during the first dialog: the rest wait for the next start */
		how = t->exit_pending ? EXITING : run_dialog(t, ask, kind, ask->q[k], ask->n[k]);
		log_outcome(ask->profile, kind, ask->q[k], ask->n[k], how);
	}
	tray_update_icon(t);
	/* the worker goes on and its block is gone: touch nothing after this */
	SetEvent(ask->done);
}
