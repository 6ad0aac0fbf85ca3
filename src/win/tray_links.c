/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The profile editor of the tray application (IDD_LINKS): a profile's name,
 * its two stores (typed, or chosen with the common file dialog) and its
 * links. The folder trees of both stores come from the core: each store is
 * opened for reading, walked and closed again at once, so that no store
 * stays open while the dialog is, and a store that cannot be opened (missing,
 * held by Outlook, not a PST) is said below its tree. A link is made from the
 * folder selected in each tree, with the direction chosen beside them; the
 * same choice changes the direction of the link selected in the list.
 *
 * The dialog edits a copy of its own. OK applies it through ps_settings_* to
 * a fresh reading of the settings file, saves that (the file keeps its
 * comments and order) and only then hands it to the tray, so a refused
 * change leaves both the file and the tray's settings as they were; Cancel
 * drops the copy. A global store that does not exist yet can be created here
 * (after asking). While a sync runs, OK and every control that edits are
 * disabled.
 */
#include "win/tray.h"

#include <commctrl.h>
#include <commdlg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/store.h"
#include "resource.h"

enum { LOCAL = 0, GLOBAL = 1 };

static const int id_edit[2] = { IDC_LINK_LOCAL, IDC_LINK_GLOBAL };
static const int id_tree[2] = { IDC_LINK_LOCAL_TREE, IDC_LINK_GLOBAL_TREE };
static const int id_info[2] = { IDC_LINK_LOCAL_INFO, IDC_LINK_GLOBAL_INFO };

/* the direction combo's rows, in the order the user reads them */
static const ps_direction combo_direction[3] = {
	PS_DIRECTION_BOTH, PS_DIRECTION_TO_GLOBAL, PS_DIRECTION_FROM_GLOBAL,
};

/* one folder of a tree; the tree item's lParam is its index */
struct node {
	char *path;
	uint32_t nid;
	HTREEITEM item;
};

struct side {
	struct node *nodes;
	size_t n, cap;
	wchar_t *shown;            /* the store path the tree was read for, or NULL */
	int failed;                /* that store could not be opened */
	int missing;               /* ... because the file does not exist */
	wchar_t info[400];         /* what the line below the tree says */
};

struct elink {
	char *path[2];
	ps_direction direction;
};

struct editor {
	struct tray *t;
	HWND d;
	char *name;                /* the profile edited; NULL: a new one */
	char *saved;               /* the name it was saved under */
	struct side side[2];
	struct elink *links;
	size_t nlinks, cap;
	int filling;               /* 1 while lists are filled: ignore their notifications */
};

static struct editor *shown_editor;    /* the dialog on screen, for tray_links_syncing */

/* ---- helpers --------------------------------------------------------- */

const wchar_t *tray_direction_text(ps_direction d)
{
	return tray_string(d == PS_DIRECTION_TO_GLOBAL ? IDS_DIR_TO_GLOBAL
		: d == PS_DIRECTION_FROM_GLOBAL ? IDS_DIR_FROM_GLOBAL : IDS_DIR_BOTH);
}

void tray_format_time(wchar_t *buf, size_t size, uint64_t filetime)
{
	FILETIME ft;
	SYSTEMTIME utc, local;
	int n;

	buf[0] = 0;
	ft.dwLowDateTime = (DWORD)filetime;
	ft.dwHighDateTime = (DWORD)(filetime >> 32);
	if (!FileTimeToSystemTime(&ft, &utc) || !SystemTimeToTzSpecificLocalTime(NULL, &utc, &local))
		return;
	/* the user's own short date and time, as Explorer shows them */
	n = GetDateFormatW(LOCALE_USER_DEFAULT, DATE_SHORTDATE, &local, NULL, buf, (int)size);
	if (n <= 0 || (size_t)n >= size - 1)
		return;
	buf[n - 1] = L' ';
	GetTimeFormatW(LOCALE_USER_DEFAULT, TIME_NOSECONDS, &local, NULL, buf + n,
		(int)(size - (size_t)n));
}

static void message(HWND d, UINT flags, const wchar_t *fmt, ...)
{
	wchar_t text[1400];
	va_list ap;

	va_start(ap, fmt);
	_vsnwprintf(text, 1399, fmt, ap);
	va_end(ap);
	text[1399] = 0;
	MessageBoxW(d, text, tray_string(IDS_APP_TITLE), flags);
}

/* A control's text, blanks at both ends dropped, as malloc'ed UTF-16. */
static wchar_t *control_text(HWND d, int id)
{
	HWND c = GetDlgItem(d, id);
	int n = GetWindowTextLengthW(c);
	wchar_t *w = malloc(((size_t)n + 1) * sizeof(wchar_t)), *a;
	size_t len;

	if (!w)
		return NULL;
	GetWindowTextW(c, w, n + 1);
	w[n] = 0;
	for (a = w; *a == L' ' || *a == L'\t'; a++)
		;
	len = wcslen(a);
	while (len && (a[len - 1] == L' ' || a[len - 1] == L'\t'))
		len--;
	memmove(w, a, len * sizeof(wchar_t));
	w[len] = 0;
	return w;
}

static char *control_utf8(HWND d, int id)
{
	wchar_t *w = control_text(d, id);
	char *u = tray_utf8(w);

	free(w);
	return u;
}

/* ASCII case aside, as the settings compare folder paths */
static int same_path(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* The reason of a core message "cannot open 'FILE': reason" (the file is in the edit above). */
static const char *reason(const char *msg)
{
	const char *r = strstr(msg, "': ");

	return r ? r + 3 : msg;
}

/* ---- the folder trees ------------------------------------------------ */

static void side_clear(struct editor *e, int s)
{
	struct side *sd = &e->side[s];
	size_t i;

	e->filling = 1;
	TreeView_DeleteAllItems(GetDlgItem(e->d, id_tree[s]));
	e->filling = 0;
	for (i = 0; i < sd->n; i++)
		free(sd->nodes[i].path);
	sd->n = 0;
}

struct walk {
	struct editor *e;
	int s;
	HWND tree;
	const char *store_name;
};

static int walk_folder(const ps_folder_info *f, void *ctx)
{
	struct walk *w = ctx;
	struct side *sd = &w->e->side[w->s];
	TVINSERTSTRUCTW ins;
	HTREEITEM parent = TVI_ROOT;
	struct node *nd;
	wchar_t *name, text[600];
	size_t i;

	if (sd->n == sd->cap) {
		size_t cap = sd->cap ? sd->cap * 2 : 32;
		struct node *grown = realloc(sd->nodes, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		sd->nodes = grown;
		sd->cap = cap;
	}
	/* parents come before their children: the nearest one with that id */
	for (i = sd->n; f->depth > 0 && i-- > 0;)
		if (sd->nodes[i].nid == f->parent_nid) {
			parent = sd->nodes[i].item;
			break;
		}
	nd = &sd->nodes[sd->n];
	if (!(nd->path = _strdup(f->path)))
		return ps_error_set(PS_ENOMEM, "out of memory");
	nd->nid = f->nid;
	/* the top of the file shows the store's name, as Outlook's folder list does */
	name = tray_wide(f->depth == 0 ? (w->store_name[0] ? w->store_name : "Top of the file")
		: f->name);
	if (f->depth > 0 && f->item_count)
		_snwprintf(text, 599, L"%ls (%u)", name ? name : L"", f->item_count);
	else
		_snwprintf(text, 599, L"%ls", name ? name : L"");
	text[599] = 0;
	free(name);
	memset(&ins, 0, sizeof(ins));
	ins.hParent = parent;
	ins.hInsertAfter = TVI_LAST;
	ins.item.mask = TVIF_TEXT | TVIF_PARAM;
	ins.item.pszText = text;
	ins.item.lParam = (LPARAM)sd->n;
	nd->item = (HTREEITEM)SendMessageW(w->tree, TVM_INSERTITEMW, 0, (LPARAM)&ins);
	if (!nd->item) {
		free(nd->path);
		return 0;
	}
	sd->n++;
	return 0;
}

/* Bold the folders that take part in a link, so the trees show what is linked. */
static void mark_linked(struct editor *e)
{
	int s;
	size_t i, j;

	for (s = 0; s < 2; s++) {
		HWND tree = GetDlgItem(e->d, id_tree[s]);
		for (i = 0; i < e->side[s].n; i++) {
			int linked = 0;
			for (j = 0; j < e->nlinks && !linked; j++)
				linked = strcmp(e->links[j].path[s], e->side[s].nodes[i].path) == 0;
			TreeView_SetItemState(tree, e->side[s].nodes[i].item, linked ? TVIS_BOLD : 0,
				TVIS_BOLD);
		}
	}
}

static void show_info(struct editor *e, int s)
{
	SetDlgItemTextW(e->d, id_info[s], e->side[s].info);
	EnableWindow(GetDlgItem(e->d, IDC_LINK_GLOBAL_CREATE), e->side[GLOBAL].missing &&
		!e->t->syncing);
}

/*
 * Read the folder tree of side @p s's store, unless the tree already shows
 * the store typed there (@p force: read it again anyway).
 */
static void load_tree(struct editor *e, int s, int force)
{
	struct side *sd = &e->side[s];
	wchar_t *typed = control_text(e->d, id_edit[s]);
	char *path = NULL, *abs = NULL;
	ps_store *store = NULL;
	ps_store_info info;
	struct walk w;
	HCURSOR cursor;
	HTREEITEM root;
	int rc;

	if (!typed)
		return;
	if (!force && sd->shown && wcscmp(sd->shown, typed) == 0) {
		free(typed);
		return;
	}
	side_clear(e, s);
	free(sd->shown);
	sd->shown = typed;
	sd->failed = sd->missing = 0;
	if (!typed[0]) {
		_snwprintf(sd->info, 399, L"Type the store's file above, or choose it with Browse.");
		show_info(e, s);
		return;
	}
	cursor = SetCursor(LoadCursorW(NULL, (const wchar_t *)IDC_WAIT));
	memset(&info, 0, sizeof(info));
	path = tray_utf8(typed);
	/* opened as the sync opens it: the settings' variables put in */
	rc = path ? ps_path_expand(&abs, path) : ps_error_set(PS_ENOMEM, "out of memory");
	if (rc == PS_OK) {
		char *x = abs;
		rc = ps_path_absolute(x, &abs);
		free(x);
	}
	if (rc == PS_OK)
		rc = ps_store_open(&store, abs, PS_STORE_BROWSE);
	if (rc == PS_OK)
		rc = ps_store_get_info(store, &info);
	if (rc == PS_OK) {
		w.e = e;
		w.s = s;
		w.tree = GetDlgItem(e->d, id_tree[s]);
		w.store_name = info.display_name;
		e->filling = 1;
		rc = ps_store_walk_folders(store, walk_folder, &w);
		e->filling = 0;
	}
	if (rc == PS_OK) {
		wchar_t *name = tray_wide(info.display_name);
		_snwprintf(sd->info, 399, L"%ls%ls%u folder%ls", name && name[0] ? name : L"",
			name && name[0] ? L": " : L"", (unsigned)(sd->n ? sd->n - 1 : 0),
			sd->n == 2 ? L"" : L"s");
		free(name);
		root = TreeView_GetRoot(w.tree);
		TreeView_Expand(w.tree, root, TVE_EXPAND);
		TreeView_SelectItem(w.tree, root);
	} else {
		wchar_t *why = tray_wide(reason(ps_error_last()));
		sd->failed = 1;
		sd->missing = rc == PS_ENOTFOUND;
		if (rc == PS_ENOTFOUND && s == GLOBAL)
			_snwprintf(sd->info, 399, L"This store does not exist yet: Create makes a new, "
				L"empty one.");
		else if (rc == PS_ENOTFOUND)
			_snwprintf(sd->info, 399, L"This store does not exist: check the path.");
		else
			_snwprintf(sd->info, 399, L"Cannot open this store: %ls", why ? why : L"");
		free(why);
		side_clear(e, s);
	}
	sd->info[399] = 0;
	ps_store_info_clear(&info);
	ps_store_close(store);
	free(abs);
	free(path);
	mark_linked(e);
	show_info(e, s);
	SetCursor(cursor);
}

/* ---- the links ------------------------------------------------------- */

static int selected_link(struct editor *e)
{
	return ListView_GetNextItem(GetDlgItem(e->d, IDC_LINK_LIST), -1, LVNI_SELECTED);
}

static void set_text(HWND list, int row, int col, const char *s)
{
	wchar_t *w = tray_wide(s);

	ListView_SetItemText(list, row, col, w ? w : (wchar_t *)L"");
	free(w);
}

static void links_fill(struct editor *e, int select)
{
	HWND list = GetDlgItem(e->d, IDC_LINK_LIST);
	size_t i;

	e->filling = 1;
	ListView_DeleteAllItems(list);
	for (i = 0; i < e->nlinks; i++) {
		LVITEMW it;
		memset(&it, 0, sizeof(it));
		it.mask = LVIF_TEXT;
		it.iItem = (int)i;
		it.pszText = (wchar_t *)L"";
		ListView_InsertItem(list, &it);
		set_text(list, (int)i, 0, e->links[i].path[LOCAL]);
		ListView_SetItemText(list, (int)i, 1,
			(wchar_t *)tray_direction_text(e->links[i].direction));
		set_text(list, (int)i, 2, e->links[i].path[GLOBAL]);
	}
	if (select >= (int)e->nlinks)
		select = (int)e->nlinks - 1;
	if (select >= 0) {
		ListView_SetItemState(list, select, LVIS_SELECTED | LVIS_FOCUSED,
			LVIS_SELECTED | LVIS_FOCUSED);
		ListView_EnsureVisible(list, select, FALSE);
	}
	e->filling = 0;
	EnableWindow(GetDlgItem(e->d, IDC_LINK_REMOVE), select >= 0 && !e->t->syncing);
	mark_linked(e);
}

static int combo_row(ps_direction d)
{
	int i;

	for (i = 0; i < 3; i++)
		if (combo_direction[i] == d)
			return i;
	return 0;
}

static int link_push(struct editor *e, const char *local, const char *global, ps_direction d)
{
	struct elink *l;

	if (e->nlinks == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 8;
		struct elink *grown = realloc(e->links, cap * sizeof(*grown));
		if (!grown)
			return -1;
		e->links = grown;
		e->cap = cap;
	}
	l = &e->links[e->nlinks];
	l->path[LOCAL] = _strdup(local);
	l->path[GLOBAL] = _strdup(global);
	l->direction = d;
	if (!l->path[LOCAL] || !l->path[GLOBAL]) {
		free(l->path[LOCAL]);
		free(l->path[GLOBAL]);
		return -1;
	}
	e->nlinks++;
	return 0;
}

/* The folder selected in side @p s's tree, or NULL. */
static const char *tree_selection(struct editor *e, int s)
{
	HWND tree = GetDlgItem(e->d, id_tree[s]);
	TVITEMW it;

	memset(&it, 0, sizeof(it));
	it.hItem = TreeView_GetSelection(tree);
	it.mask = TVIF_PARAM;
	if (!it.hItem || !TreeView_GetItem(tree, &it) || (size_t)it.lParam >= e->side[s].n)
		return NULL;
	return e->side[s].nodes[it.lParam].path;
}

static void link_add(struct editor *e)
{
	const char *path[2];
	ps_direction d;
	size_t i;
	int row;

	path[LOCAL] = tree_selection(e, LOCAL);
	path[GLOBAL] = tree_selection(e, GLOBAL);
	if (!path[LOCAL] || !path[GLOBAL]) {
		message(e->d, MB_ICONINFORMATION, L"Choose a folder in each tree first: the local one on "
			L"the left, the global one on the right.");
		SetFocus(GetDlgItem(e->d, id_tree[path[LOCAL] ? GLOBAL : LOCAL]));
		return;
	}
	for (i = 0; i < e->nlinks; i++)
		if (same_path(e->links[i].path[LOCAL], path[LOCAL]) &&
		    same_path(e->links[i].path[GLOBAL], path[GLOBAL])) {
			message(e->d, MB_ICONINFORMATION, L"These two folders are linked already.");
			links_fill(e, (int)i);
			return;
		}
	row = (int)SendDlgItemMessageW(e->d, IDC_LINK_DIRECTION, CB_GETCURSEL, 0, 0);
	d = combo_direction[row >= 0 && row < 3 ? row : 0];
	if (link_push(e, path[LOCAL], path[GLOBAL], d) != 0) {
		message(e->d, MB_ICONERROR, L"Out of memory.");
		return;
	}
	links_fill(e, (int)e->nlinks - 1);
}

static void link_remove(struct editor *e)
{
	int row = selected_link(e);

	if (row < 0 || (size_t)row >= e->nlinks || e->t->syncing)
		return;
	free(e->links[row].path[LOCAL]);
	free(e->links[row].path[GLOBAL]);
	memmove(&e->links[row], &e->links[row + 1], (e->nlinks - (size_t)row - 1) * sizeof(*e->links));
	e->nlinks--;
	links_fill(e, row);
}

/* The direction chosen: the selected link's, and that of the links to come. */
static void direction_changed(struct editor *e)
{
	int row = selected_link(e);
	int c = (int)SendDlgItemMessageW(e->d, IDC_LINK_DIRECTION, CB_GETCURSEL, 0, 0);

	if (row < 0 || (size_t)row >= e->nlinks || c < 0 || c >= 3)
		return;
	e->links[row].direction = combo_direction[c];
	ListView_SetItemText(GetDlgItem(e->d, IDC_LINK_LIST), row, 1,
		(wchar_t *)tray_direction_text(combo_direction[c]));
}

static void link_selected(struct editor *e)
{
	int row = selected_link(e);

	EnableWindow(GetDlgItem(e->d, IDC_LINK_REMOVE), row >= 0 && !e->t->syncing);
	if (row >= 0 && (size_t)row < e->nlinks)
		SendDlgItemMessageW(e->d, IDC_LINK_DIRECTION, CB_SETCURSEL,
			(WPARAM)combo_row(e->links[row].direction), 0);
}

/* ---- stores: browse, create ------------------------------------------ */

static void browse(struct editor *e, int s)
{
	OPENFILENAMEW ofn;
	wchar_t file[1024], filter[256], *typed = control_text(e->d, id_edit[s]), *p;

	file[0] = 0;
	if (typed)
		wcsncpy(file, typed, 1023);
	file[1023] = 0;
	free(typed);
	/* the string table cannot hold NULs: '|' stands for them */
	wcsncpy(filter, tray_string(s == LOCAL ? IDS_PST_FILTER_LOCAL : IDS_PST_FILTER_GLOBAL), 255);
	filter[255] = 0;
	for (p = filter; *p; p++)
		if (*p == L'|')
			*p = 0;
	memset(&ofn, 0, sizeof(ofn));
	ofn.lStructSize = sizeof(ofn);
	ofn.hwndOwner = e->d;
	ofn.lpstrFilter = filter;
	ofn.lpstrFile = file;
	ofn.nMaxFile = 1024;
	ofn.lpstrDefExt = L"pst";
	ofn.lpstrTitle = s == LOCAL ? L"Choose the local store (your own PST file)"
		: L"Choose the global store (the shared PST file; a new name makes a new store)";
	/* a new global store may be named here and created with Create */
	ofn.Flags = OFN_EXPLORER | OFN_HIDEREADONLY | OFN_NOCHANGEDIR | OFN_PATHMUSTEXIST |
		(s == LOCAL ? OFN_FILEMUSTEXIST : 0);
	if (!GetOpenFileNameW(&ofn))
		return;
	SetDlgItemTextW(e->d, id_edit[s], file);
	load_tree(e, s, 1);
}

static void create_global(struct editor *e)
{
	wchar_t *typed = control_text(e->d, IDC_LINK_GLOBAL);
	char *path = tray_utf8(typed), *abs = NULL;
	ps_store *store = NULL;
	wchar_t *why;

	if (!typed || !typed[0] || !path || e->t->syncing)
		goto cleanup;
	if (MessageBoxW(e->d, L"The global store does not exist yet. Create a new, empty PST file "
		    L"there, with Outlook's standard folders?", tray_string(IDS_APP_TITLE),
		    MB_YESNO | MB_ICONQUESTION) != IDYES)
		goto cleanup;
	if (ps_path_absolute(path, &abs) != PS_OK || ps_store_create(&store, abs, NULL) != PS_OK) {
		why = tray_wide(ps_error_last());
		message(e->d, MB_ICONERROR, L"%ls", why ? why : L"");
		free(why);
		goto cleanup;
	}
	ps_store_close(store);
	tray_log("store '%s' created for a profile's global store", abs);
	load_tree(e, GLOBAL, 1);
	/* the Create button is disabled now: the keyboard goes on in the new tree */
	SetFocus(GetDlgItem(e->d, IDC_LINK_GLOBAL_TREE));
cleanup:
	free(abs);
	free(path);
	free(typed);
}

/* ---- OK -------------------------------------------------------------- */

static int has_link(const struct editor *e, const char *local, const char *global)
{
	size_t i;

	for (i = 0; i < e->nlinks; i++)
		if (strcmp(e->links[i].path[LOCAL], local) == 0 &&
		    strcmp(e->links[i].path[GLOBAL], global) == 0)
			return 1;
	return 0;
}

/* Make @p p's links those of the editor: drop the others, add the new, set directions. */
static int apply_links(struct editor *e, ps_profile *p)
{
	size_t i;
	int rc;

	/* dropped first, so that a link re-added with other letter case is new */
	for (i = ps_profile_link_count(p); i-- > 0;) {
		const ps_link *l = ps_profile_link_at(p, i);
		char *a, *b;
		if (has_link(e, ps_link_local(l), ps_link_global(l)))
			continue;
		a = _strdup(ps_link_local(l));
		b = _strdup(ps_link_global(l));
		rc = a && b ? ps_profile_link_remove(p, a, b)
			: ps_error_set(PS_ENOMEM, "out of memory");
		free(a);
		free(b);
		if (rc != PS_OK)
			return rc;
	}
	for (i = 0; i < e->nlinks; i++) {
		const struct elink *el = &e->links[i];
		ps_link *l = NULL;
		if (ps_profile_link_find(&l, p, el->path[LOCAL], el->path[GLOBAL]) == PS_OK &&
		    strcmp(ps_link_local(l), el->path[LOCAL]) == 0 &&
		    strcmp(ps_link_global(l), el->path[GLOBAL]) == 0) {
			if (ps_link_direction(l) != el->direction &&
			    (rc = ps_link_set_direction(l, el->direction)) != PS_OK)
				return rc;
		} else if ((rc = ps_profile_link_add(NULL, p, el->path[LOCAL], el->path[GLOBAL],
				    el->direction)) != PS_OK)
			return rc;
	}
	return PS_OK;
}

/* One log line naming the profile's stores and links. */
static void log_profile(const char *what, const ps_profile *p)
{
	char text[1500];
	size_t n = 0, i;

	text[0] = 0;
	for (i = 0; i < ps_profile_link_count(p) && n < sizeof(text); i++) {
		const ps_link *l = ps_profile_link_at(p, i);
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s -> %s (%s)", i ? ", " : "",
			ps_link_local(l), ps_link_global(l), ps_direction_name(ps_link_direction(l)));
	}
	tray_log("profile '%s' %s: local '%s', global '%s', links: %s", ps_profile_name(p), what,
		ps_profile_local(p), ps_profile_global(p), n ? text : "none");
}

/* 1 when the profile edited was synchronised before: it has a protocol. */
static int was_synchronised(const struct editor *e)
{
	ps_profile *p = NULL;
	char *path = NULL;
	int r;

	if (!e->name || ps_settings_profile_find(&p, e->t->settings, e->name) != PS_OK ||
	    ps_sync_protocol_path(e->t->settings, p, &path) != PS_OK)
		return 0;
	r = ps_path_kind(path) == PS_PATH_FILE;
	free(path);
	return r;
}

/* OK: 0 when saved (the dialog may close). */
static int editor_save(struct editor *e)
{
	struct tray *t = e->t;
	char *name = control_utf8(e->d, IDC_LINK_NAME), *typed[2], *abs[2] = { NULL, NULL };
	ps_settings *s = NULL;
	ps_profile *p = NULL;
	const wchar_t *own = NULL;     /* a message of ours, else the core's */
	int focus = 0, rc = PS_OK, i;

	typed[LOCAL] = control_utf8(e->d, IDC_LINK_LOCAL);
	typed[GLOBAL] = control_utf8(e->d, IDC_LINK_GLOBAL);
	if (!name || !typed[LOCAL] || !typed[GLOBAL]) {
		own = L"Out of memory.";
		goto fail;
	}
	if (!name[0]) {
		own = L"Give the profile a name.";
		focus = IDC_LINK_NAME;
		goto fail;
	}
	for (i = 0; i < 2; i++) {
		if (!typed[i][0]) {
			own = i == LOCAL ? L"Choose the local store: your own PST file."
				: L"Choose the global store: the shared PST file.";
			focus = id_edit[i];
			goto fail;
		}
		if ((rc = ps_path_for_settings(&abs[i], typed[i])) != PS_OK) {
			focus = id_edit[i];
			goto fail;
		}
		/* the trees follow what was typed last */
		load_tree(e, i, 0);
	}
	if (_stricmp(abs[LOCAL], abs[GLOBAL]) == 0) {
		own = L"The local and the global store are the same file: a profile links two "
			L"different stores.";
		focus = IDC_LINK_GLOBAL;
		goto fail;
	}
	for (i = 0; i < 2; i++)
		if (e->side[i].failed && MessageBoxW(e->d, i == LOCAL
			    ? L"The local store cannot be opened now (see below its folders). Save the "
			      L"profile anyway?"
			    : L"The global store cannot be opened now (see below its folders). Save the "
			      L"profile anyway?", tray_string(IDS_APP_TITLE),
			    MB_YESNO | MB_ICONWARNING | MB_DEFBUTTON2) != IDYES) {
			focus = id_edit[i];
			goto cancelled;
		}
	/* the protocol is named after the profile (letter case aside): a new name starts it anew */
	if (e->name && !same_path(name, e->name) && was_synchronised(e) &&
	    MessageBoxW(e->d, L"A renamed profile starts its synchronisation history anew: the next "
		    L"synchronisation pairs the items that are alike on both sides again, and an item "
		    L"deleted on one side since the last one comes back instead of being deleted on "
		    L"the other.\n\nRename the profile?", tray_string(IDS_APP_TITLE),
		    MB_YESNO | MB_ICONWARNING | MB_DEFBUTTON2) != IDYES) {
		focus = IDC_LINK_NAME;
		goto cancelled;
	}

	/* a fresh reading of the file: what is saved is the file plus this change */
	if ((rc = ps_settings_load(&s, t->config)) != PS_OK)
		goto fail;
	if (!e->name) {
		if ((rc = ps_settings_profile_add(&p, s, name, abs[LOCAL], abs[GLOBAL])) != PS_OK) {
			focus = rc == PS_EEXISTS ? IDC_LINK_NAME : 0;
			goto fail;
		}
	} else {
		if ((rc = ps_settings_profile_find(&p, s, e->name)) != PS_OK)
			goto fail;
		if (strcmp(name, ps_profile_name(p)) != 0 &&
		    (rc = ps_profile_rename(p, name)) != PS_OK) {
			focus = IDC_LINK_NAME;
			goto fail;
		}
		if ((strcmp(abs[LOCAL], ps_profile_local_written(p)) != 0 ||
		     strcmp(abs[GLOBAL], ps_profile_global_written(p)) != 0) &&
		    (rc = ps_profile_set_stores(p, abs[LOCAL], abs[GLOBAL])) != PS_OK)
			goto fail;
	}
	if ((rc = apply_links(e, p)) != PS_OK || (rc = ps_settings_save(s)) != PS_OK)
		goto fail;
	log_profile(e->name ? "changed" : "added", p);
	free(e->saved);
	e->saved = _strdup(ps_profile_name(p));
	ps_settings_free(t->settings);
	t->settings = s;
	s = NULL;
	rc = 0;
	goto cleanup;

fail:
	{
		wchar_t *w = own ? NULL : tray_wide(ps_error_last());
		if (!own)
			tray_log("error: %s", ps_error_last());
		message(e->d, own ? MB_ICONINFORMATION : MB_ICONERROR, L"%ls", own ? own : w ? w : L"");
		free(w);
	}
cancelled:
	if (focus)
		SetFocus(GetDlgItem(e->d, focus));
	rc = -1;
cleanup:
	ps_settings_free(s);
	free(abs[LOCAL]);
	free(abs[GLOBAL]);
	free(typed[LOCAL]);
	free(typed[GLOBAL]);
	free(name);
	return rc;
}

/* ---- the dialog ------------------------------------------------------ */

static void editor_enable(struct editor *e)
{
	static const int ids[] = {
		IDC_LINK_NAME, IDC_LINK_LOCAL, IDC_LINK_LOCAL_BROWSE, IDC_LINK_GLOBAL,
		IDC_LINK_GLOBAL_BROWSE, IDC_LINK_DIRECTION, IDC_LINK_ADD, IDOK,
	};
	int on = !e->t->syncing;
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		EnableWindow(GetDlgItem(e->d, ids[i]), on);
	EnableWindow(GetDlgItem(e->d, IDC_LINK_REMOVE), on && selected_link(e) >= 0);
	EnableWindow(GetDlgItem(e->d, IDC_LINK_GLOBAL_CREATE), on && e->side[GLOBAL].missing);
}

void tray_links_syncing(int syncing)
{
	(void)syncing; /* g_tray.syncing says it */
	if (shown_editor)
		editor_enable(shown_editor);
}

static void editor_init(struct editor *e)
{
	HWND list = GetDlgItem(e->d, IDC_LINK_LIST);
	static const UINT cols[3] = { IDS_COL_LOCAL_FOLDER, IDS_COL_DIRECTION, IDS_COL_GLOBAL_FOLDER };
	const ps_profile *p = NULL;
	wchar_t title[300];
	RECT r;
	int i, dir_width;

	/* the direction column as wide as its longest word, the folders share the rest */
	ListView_SetExtendedListViewStyle(list, LVS_EX_FULLROWSELECT);
	GetClientRect(list, &r);
	dir_width = 16 + ListView_GetStringWidth(list, tray_direction_text(PS_DIRECTION_TO_GLOBAL));
	i = 16 + ListView_GetStringWidth(list, tray_direction_text(PS_DIRECTION_FROM_GLOBAL));
	if (i > dir_width)
		dir_width = i;
	for (i = 0; i < 3; i++) {
		LVCOLUMNW c;
		memset(&c, 0, sizeof(c));
		c.mask = LVCF_TEXT | LVCF_WIDTH;
		c.pszText = (wchar_t *)tray_string(cols[i]);
		c.cx = i == 1 ? dir_width : (r.right - GetSystemMetrics(SM_CXVSCROLL) - dir_width) / 2;
		ListView_InsertColumn(list, i, &c);
	}
	for (i = 0; i < 3; i++)
		SendDlgItemMessageW(e->d, IDC_LINK_DIRECTION, CB_ADDSTRING, 0,
			(LPARAM)tray_direction_text(combo_direction[i]));
	SendDlgItemMessageW(e->d, IDC_LINK_DIRECTION, CB_SETCURSEL, 0, 0);
	SendDlgItemMessageW(e->d, IDC_LINK_NAME, EM_LIMITTEXT, 200, 0);
	SendMessageW(e->d, WM_SETICON, ICON_SMALL, (LPARAM)e->t->icons[TRAY_IDLE]);

	if (e->name && ps_settings_profile_find((ps_profile **)&p, e->t->settings, e->name) == PS_OK) {
		wchar_t *w = tray_wide(ps_profile_name(p));
		size_t k;
		_snwprintf(title, 299, tray_string(IDS_EDIT_PROFILE), w ? w : L"");
		free(w);
		for (k = 0; k < 3; k++) {
			const char *v = k == 0 ? ps_profile_name(p) : k == 1
				? ps_profile_local_written(p) : ps_profile_global_written(p);
			w = tray_wide(v);
			SetDlgItemTextW(e->d, k == 0 ? IDC_LINK_NAME : id_edit[k - 1], w ? w : L"");
			free(w);
		}
		for (k = 0; k < ps_profile_link_count(p); k++) {
			const ps_link *l = ps_profile_link_at(p, k);
			link_push(e, ps_link_local(l), ps_link_global(l), ps_link_direction(l));
		}
	} else {
		wcsncpy(title, tray_string(IDS_NEW_PROFILE), 299);
	}
	title[299] = 0;
	SetWindowTextW(e->d, title);
	links_fill(e, e->nlinks ? 0 : -1);
	link_selected(e);
	for (i = 0; i < 2; i++) {
		_snwprintf(e->side[i].info, 399, L"%ls", e->name ? L"Reading the folders..."
			: L"Type the store's file above, or choose it with Browse.");
		show_info(e, i);
	}
	editor_enable(e);
	/* the trees are read once the dialog shows: a slow share must not hide it */
	PostMessageW(e->d, WM_APP_LINKS_LOAD, 0, 0);
}

static INT_PTR CALLBACK editor_proc(HWND d, UINT msg, WPARAM wp, LPARAM lp)
{
	struct editor *e = (struct editor *)GetWindowLongPtrW(d, DWLP_USER);

	switch (msg) {
	case WM_INITDIALOG:
		e = (struct editor *)lp;
		e->d = d;
		SetWindowLongPtrW(d, DWLP_USER, (LONG_PTR)e);
		shown_editor = e;
		editor_init(e);
		/* a new profile on the first start: the user's Outlook file proposed */
		if (!e->name && e->t->propose_local) {
			wchar_t *w = tray_wide(e->t->propose_local);
			SetDlgItemTextW(d, IDC_LINK_LOCAL, w ? w : L"");
			free(w);
			PostMessageW(d, WM_APP_LINKS_LOAD, 0, 0);
		}
		return TRUE;
	case WM_APP_LINKS_LOAD:
		if (!e->name && e->t->propose_local)
			load_tree(e, LOCAL, 0);
		if (e->name) {
			load_tree(e, LOCAL, 0);
			load_tree(e, GLOBAL, 0);
		}
		return TRUE;
	case WM_NOTIFY: {
		NMHDR *h = (NMHDR *)lp;
		if (!e || e->filling || h->idFrom != IDC_LINK_LIST)
			return FALSE;
		if (h->code == LVN_ITEMCHANGED) {
			NMLISTVIEW *lv = (NMLISTVIEW *)lp;
			if ((lv->uChanged & LVIF_STATE) &&
			    ((lv->uNewState ^ lv->uOldState) & LVIS_SELECTED))
				link_selected(e);
		} else if (h->code == LVN_KEYDOWN && ((NMLVKEYDOWN *)lp)->wVKey == VK_DELETE) {
			link_remove(e);
		}
		return FALSE;
	}
	case WM_COMMAND:
		if (!e)
			return FALSE;
		switch (LOWORD(wp)) {
		case IDC_LINK_LOCAL:
		case IDC_LINK_GLOBAL:
			/* a path typed in: read its tree once the user moves on */
			if (HIWORD(wp) == EN_KILLFOCUS)
				load_tree(e, LOWORD(wp) == IDC_LINK_LOCAL ? LOCAL : GLOBAL, 0);
			return TRUE;
		case IDC_LINK_LOCAL_BROWSE:
			browse(e, LOCAL);
			return TRUE;
		case IDC_LINK_GLOBAL_BROWSE:
			browse(e, GLOBAL);
			return TRUE;
		case IDC_LINK_GLOBAL_CREATE:
			create_global(e);
			return TRUE;
		case IDC_LINK_ADD:
			if (!e->t->syncing)
				link_add(e);
			return TRUE;
		case IDC_LINK_REMOVE:
			link_remove(e);
			return TRUE;
		case IDC_LINK_DIRECTION:
			if (HIWORD(wp) == CBN_SELCHANGE)
				direction_changed(e);
			return TRUE;
		case IDOK:
			if (!e->t->syncing && editor_save(e) == 0)
				EndDialog(d, IDOK);
			return TRUE;
		case IDCANCEL:
			EndDialog(d, IDCANCEL);
			return TRUE;
		}
		return FALSE;
	case WM_DESTROY:
		shown_editor = NULL;
		return FALSE;
	}
	return FALSE;
}

int tray_edit_profile(struct tray *t, HWND owner, const char *name, char **saved)
{
	struct editor e;
	INT_PTR rc;
	size_t i;
	int s;

	if (saved)
		*saved = NULL;
	if (t->syncing || shown_editor)
		return 0;
	memset(&e, 0, sizeof(e));
	e.t = t;
	if (name && !(e.name = _strdup(name)))
		return 0;
	rc = DialogBoxParamW(t->inst, MAKEINTRESOURCEW(IDD_LINKS), owner, editor_proc, (LPARAM)&e);
	shown_editor = NULL;
	for (s = 0; s < 2; s++) {
		for (i = 0; i < e.side[s].n; i++)
			free(e.side[s].nodes[i].path);
		free(e.side[s].nodes);
		free(e.side[s].shown);
	}
	for (i = 0; i < e.nlinks; i++) {
		free(e.links[i].path[LOCAL]);
		free(e.links[i].path[GLOBAL]);
	}
	free(e.links);
	free(e.name);
	if (rc == IDOK && saved)
		*saved = e.saved;
	else
		free(e.saved);
	return rc == IDOK;
}
