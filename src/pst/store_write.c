/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The writing side of the PST backend: transactions, folders and items.
 *
 * Every change runs in an NDB transaction (ndb_write.h): the one
 * ps_store_begin() opened, or one of its own. An item's node is written
 * when the item is put; what the item changes elsewhere is recorded in
 * memory and written once, at the flush before the commit (or before a
 * read, which must see the transaction's changes):
 *
 *   - tables (pst_table): a folder's contents or hierarchy table, loaded
 *     once, changed row by row, rebuilt once (ps_tc_build) with its columns
 *     in their bit order, so that Outlook's layout is kept; a large
 *     contents table in the writer's grouped layout is instead kept in step
 *     block by block (table_big.c: no rows in memory, only the changed
 *     blocks written). The tables stay cached after a commit, while the
 *     store is open (it is locked: nobody else changes them);
 *   - folders (pst_folder): the PC of a folder whose counts, subfolder flag
 *     or name change, rewritten once, and then its row in the parent's
 *     hierarchy table;
 *   - the name-to-id map (node 0x61), rewritten when names were added;
 *   - search update descriptors ([MS-PST] 2.4.8), appended to the search
 *     management queue (node 0x1E1) for changes in folders of the search
 *     domain (node 0x261), as 2.4.8.1 rule 3 asks.
 *
 * The order of the flush matters: contents tables first (the folder counts
 * are taken from them), then the folder PCs, whose new values go into the
 * hierarchy rows of their parents, then the hierarchy tables.
 */
#include "pst/store_pst.h"

#include "core/util.h"
#include "pst/ltp_write.h"
#include "pst/row_index.h"
#include "pst/templates.h"
#include "pstsync/errors.h"
#include "pstsync/propnames.h"

#include <stdlib.h>
#include <string.h>

/* Search update descriptor types and flags (2.4.8.1.1). */
#define SUDT_MSG_ADD 1
#define SUDT_MSG_MOD 2
#define SUDT_MSG_DEL 3
#define SUDT_FLD_ADD 5
#define SUDT_FLD_MOD 6
#define SUDT_FLD_DEL 7
#define SUDT_FLD_MOV 8

/* Folders nest far less deeply; the bound stops a walk up a forged, cyclic tree. */
#define MAX_MOVE_DEPTH 64
#define SUDF_NAME_CHANGED 0x0008
#define SUD_SIZE 20

struct pst_row {
	uint32_t id;
	uint32_t ver;              /* PidTagLtpRowVer */
	ps_prop *cells;            /* one a column; size 0 and data NULL: absent */
};

struct pst_table {
	uint32_t nid;
	uint32_t *cols;            /* tags in bit order, without RowId and RowVer */
	size_t ncols;
	struct pst_big *big;       /* kept block by block: rows and index unused */
	int reload;                /* rebuilt whole into the grouped layout: load it again
	                            * after the commit, to keep it block by block */
	struct pst_row *rows;      /* in row-matrix order */
	size_t nrows, caprows, live;
	pst_row_index index;       /* row id -> row index */
	uint32_t max_ver;
	int dirty;
};

struct pst_folder {
	uint32_t nid;
	int counts;                /* content and unread counts from the contents table */
	int subfolders;            /* PidTagSubfolders from the hierarchy table */
	int row;                   /* the parent's hierarchy row needs the new values */
	ps_prop *set;              /* properties to set (a new name, ...) */
	size_t nset;
};

/* ---- items written, as a listing gives them ----------------------------------- */

static void recent_free(struct pst_recent *r)
{
	free(r->cls);
	free(r->subject);
	free(r->search_key);
	free(r->change_key);
}

void pst__recent_clear(struct pst_store *st)
{
	size_t i;

	for (i = 0; i < st->nrecent; i++)
		recent_free(&st->recent[i]);
	free(st->recent);
	st->recent = NULL;
	st->nrecent = st->caprecent = 0;
	st->recent_sorted = 1;
}

static int cmp_recent(const void *a, const void *b)
{
	const struct pst_recent *x = a, *y = b;

	return x->nid < y->nid ? -1 : x->nid > y->nid;
}

const struct pst_recent *pst__recent_find(struct pst_store *st, uint32_t nid)
{
	struct pst_recent key;

	if (!st->nrecent)
		return NULL;
	if (!st->recent_sorted) {
		qsort(st->recent, st->nrecent, sizeof(*st->recent), cmp_recent);
		st->recent_sorted = 1;
	}
	key.nid = nid;
	return bsearch(&key, st->recent, st->nrecent, sizeof(key), cmp_recent);
}

static void recent_forget(struct pst_store *st, uint32_t nid)
{
	struct pst_recent *r = (struct pst_recent *)pst__recent_find(st, nid);

	if (r) {
		/* keeps the order: a later note of the same NID goes to the end */
		recent_free(r);
		memmove(r, r + 1, (size_t)(st->recent + st->nrecent - (r + 1)) * sizeof(*r));
		st->nrecent--;
	}
}

static uint8_t *bytes_dup(const ps_prop *p, size_t *size)
{
	uint8_t *d;

	*size = 0;
	if (!p)
		return NULL;
	d = malloc(p->size + 1);
	if (d) {
		if (p->size)
			memcpy(d, p->data, p->size);
		*size = p->size;
	}
	return d;
}

static const ps_prop *props_find_id(const ps_prop *props, size_t n, uint16_t id);

static char *string_of(const ps_prop *props, size_t n, uint16_t id)
{
	const ps_prop *p = props_find_id(props, n, id);

	if (!p || (PS_PROP_TYPE(p->tag) != PS_PT_UNICODE && PS_PROP_TYPE(p->tag) != PS_PT_STRING8))
		return NULL;
	return p->size ? ps_prop_to_utf8(p) : ps__strdup("");
}

/* Note item @p nid as written with @p props (what its row is made of).
 * Best effort: without memory the item is read back instead. */
static void recent_note(struct pst_store *st, uint32_t nid, const ps_prop *props, size_t n)
{
	struct pst_recent r;
	const ps_prop *p;

	recent_forget(st, nid);
	if (st->nrecent == st->caprecent) {
		size_t cap = st->caprecent ? st->caprecent * 2 : 256;
		struct pst_recent *grown = realloc(st->recent, cap * sizeof(*grown));
		if (!grown)
			return;
		st->recent = grown;
		st->caprecent = cap;
	}
	memset(&r, 0, sizeof(r));
	r.nid = nid;
	r.cls = string_of(props, n, PS_PID_MESSAGE_CLASS);
	r.subject = string_of(props, n, PS_PID_SUBJECT);
	if (!r.subject)
		r.subject = string_of(props, n, PS_PID_DISPLAY_NAME);
	r.modified = (uint64_t)ps_prop_int(props_find_id(props, n, PS_PID_LAST_MODIFIED), 0);
	r.size = (uint64_t)ps_prop_int(props_find_id(props, n, PS_PID_MESSAGE_SIZE), 0);
	r.flags = (uint32_t)ps_prop_int(props_find_id(props, n, PS_PID_MESSAGE_FLAGS), 0);
	p = props_find_id(props, n, PS_PID_SEARCH_KEY);
	r.search_key = bytes_dup(p, &r.search_key_size);
	p = props_find_id(props, n, PS_PID_CHANGE_KEY);
	r.change_key = bytes_dup(p, &r.change_key_size);
	st->recent[st->nrecent++] = r;
	if (st->nrecent > 1 && st->recent[st->nrecent - 2].nid > nid)
		st->recent_sorted = 0;
}

/* ---- small helpers ---------------------------------------------------------- */

static int not_writable(struct pst_store *st)
{
	return ps_error_set(PS_EUNSUPPORTED, "cannot write '%s': it is open for reading only",
		st->base.path);
}

static uint32_t table_of(uint32_t folder, unsigned type)
{
	return PS_NID_MAKE(type, folder >> 5);
}

static void cells_free(ps_prop *cells, size_t n)
{
	size_t i;

	if (!cells)
		return;
	for (i = 0; i < n; i++)
		free(cells[i].data);
	free(cells);
}

static int prop_copy(ps_prop *dst, const void *data, size_t size, uint32_t tag)
{
	memset(dst, 0, sizeof(*dst));
	dst->tag = tag;
	dst->size = size;
	/* A present cell has data, even when empty. */
	dst->data = malloc(size ? size : 1);
	if (!dst->data)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (size)
		memcpy(dst->data, data, size);
	return 0;
}

static const ps_prop *props_find_tag(const ps_prop *props, size_t n, uint32_t tag)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (props[i].tag == tag)
			return &props[i];
	return NULL;
}

static const ps_prop *props_find_id(const ps_prop *props, size_t n, uint16_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (PS_PROP_ID(props[i].tag) == id)
			return &props[i];
	return NULL;
}

/* ---- the table cache ------------------------------------------------------------ */

static void table_free(struct pst_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nrows; i++)
		cells_free(t->rows[i].cells, t->ncols);
	pst__big_free(t->big);
	free(t->rows);
	free(t->cols);
	pst_row_index_free(&t->index);
	free(t);
}

static size_t table_count(const struct pst_table *t)
{
	return t->big ? pst__big_count(t->big) : t->live;
}

static uint32_t table_id_at(const struct pst_table *t, size_t i)
{
	return t->big ? pst__big_id_at(t->big, i) : t->rows[i].id;
}

static int table_dirty(const struct pst_table *t)
{
	return t->big ? pst__big_dirty(t->big) : t->dirty;
}

/* Contents tables (normal and associated) may be kept block by block. */
static int table_may_be_big(uint32_t nid)
{
	return PS_NID_TYPE(nid) == PS_NID_TYPE_CONTENTS_TABLE ||
		PS_NID_TYPE(nid) == PS_NID_TYPE_ASSOC_CONTENTS_TABLE;
}

/* The rows' ids, for the index: the id field of each row. */
#define ROW_IDS(t) ((t)->rows ? (const void *)&(t)->rows[0].id : NULL), sizeof(struct pst_row)

static int rows_index(struct pst_table *t)
{
	return pst_row_index_build(&t->index, ROW_IDS(t), t->nrows);
}

/* The row with id @p id, or NULL. */
static struct pst_row *table_find(struct pst_table *t, uint32_t id)
{
	long pos = pst_row_index_find(&t->index, ROW_IDS(t), id);

	return pos < 0 ? NULL : &t->rows[pos];
}

static int cmp_bit(const void *a, const void *b)
{
	const ps_tc_col *x = a, *y = b;

	return x->bit < y->bit ? -1 : x->bit > y->bit;
}

static int cmp_index(const void *a, const void *b)
{
	const ps_tc_row *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The cache entry of table @p nid from @p tc, opened whole. With
 * @p big_only, a table that cannot be kept block by block gives none
 * (*out NULL).
 */
static int table_from_tc(const ps_tc *ctc, uint32_t nid, int big_only, struct pst_table **out)
{
	const ps_tc tc = *ctc;
	struct pst_table *t;
	ps_tc_col *cols = NULL;
	ps_tc_row *order = NULL;
	int ver_col, rc = 0;
	size_t i, c;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	cols = malloc((tc.col_count + 1) * sizeof(*cols));
	order = malloc((tc.row_count + 1) * sizeof(*order));
	PS_CHECK_ALLOC(t && cols && order, rc);
	t->nid = nid;
	/* Columns in their bit order: rebuilt in that order, the table keeps
	 * the layout Outlook gave it. */
	if (tc.col_count)
		memcpy(cols, tc.cols, tc.col_count * sizeof(*cols));
	qsort(cols, tc.col_count, sizeof(*cols), cmp_bit);
	t->cols = malloc((tc.col_count + 1) * sizeof(*t->cols));
	PS_CHECK_ALLOC(t->cols, rc);
	for (c = 0; c < tc.col_count; c++)
		if (cols[c].tag != 0x67F20003 && cols[c].tag != 0x67F30003)
			t->cols[t->ncols++] = cols[c].tag;
	/* a large table in the grouped layout: no rows in memory */
	if (table_may_be_big(nid) &&
	    (rc = pst__big_from_tc(&tc, nid, t->cols, t->ncols, &t->big)) < 0)
		goto cleanup;
	if (t->big) {
		*out = t;
		t = NULL;
		goto cleanup;
	}
	if (big_only)
		goto cleanup;
	if (tc.row_count)
		memcpy(order, tc.rows, tc.row_count * sizeof(*order));
	for (i = 0; i < tc.row_count; i++)
		order[i].id = (uint32_t)i;     /* its place in tc.rows */
	qsort(order, tc.row_count, sizeof(*order), cmp_index);
	t->caprows = tc.row_count + 16;
	t->rows = calloc(t->caprows, sizeof(*t->rows));
	PS_CHECK_ALLOC(t->rows, rc);
	ver_col = ps_tc_col_find(&tc, 0x67F30003);
	for (i = 0; i < tc.row_count; i++) {
		size_t r = order[i].id;
		struct pst_row *row = &t->rows[t->nrows];
		row->id = tc.rows[r].id;
		row->cells = calloc(t->ncols + 1, sizeof(ps_prop));
		PS_CHECK_ALLOC(row->cells, rc);
		t->nrows++;
		for (c = 0; c < t->ncols; c++) {
			ps_ltp_value v;
			int col = ps_tc_col_find(&tc, t->cols[c]);
			if (col < 0 || ps_tc_cell(&tc, r, (size_t)col, &v) < 0)
				continue;
			rc = prop_copy(&row->cells[c], v.value, v.size, t->cols[c]);
			ps_ltp_value_clear(&v);
			if (rc < 0)
				goto cleanup;
		}
		if (ver_col >= 0) {
			ps_ltp_value v;
			if (ps_tc_cell(&tc, r, (size_t)ver_col, &v) == 0) {
				row->ver = v.size == 4 ? ps_get32(v.value) : 0;
				ps_ltp_value_clear(&v);
			}
		}
		if (row->ver > t->max_ver)
			t->max_ver = row->ver;
	}
	t->live = t->nrows;
	if ((rc = rows_index(t)) < 0)
		goto cleanup;
	*out = t;
	t = NULL;
cleanup:
	table_free(t);
	free(cols);
	free(order);
	return rc;
}

static int table_load(struct pst_store *st, uint32_t nid, struct pst_table **out)
{
	ps_tc tc;
	int rc;

	*out = NULL;
	rc = ps_tc_open_nid(&tc, st->ndb, nid);
	if (rc < 0)
		return ps_error_prefix(rc == PS_ENOTFOUND ? PS_ECORRUPT : rc,
			"cannot write '%s': table 0x%x cannot be read", st->base.path, nid);
	rc = table_from_tc(&tc, nid, 0, out);
	ps_tc_close(&tc);
	return rc;
}

static struct pst_table *table_cached(struct pst_store *st, uint32_t nid)
{
	size_t i;

	for (i = 0; i < st->ntables; i++)
		if (st->tables[i]->nid == nid)
			return st->tables[i];
	return NULL;
}

static int table_add(struct pst_store *st, struct pst_table *t)
{
	if (st->ntables == st->captables) {
		size_t cap = st->captables ? st->captables * 2 : 16;
		struct pst_table **p = realloc(st->tables, cap * sizeof(*p));
		if (!p)
			return ps_error_set(PS_ENOMEM, "out of memory");
		st->tables = p;
		st->captables = cap;
	}
	st->tables[st->ntables++] = t;
	return 0;
}

void pst__table_adopt(struct pst_store *st, uint32_t nid, const ps_tc *tc)
{
	struct pst_table *t = NULL;

	if (!st->writable || !table_may_be_big(nid) || table_cached(st, nid))
		return;
	/* best effort: without it, a write loads the table itself */
	if (table_from_tc(tc, nid, 1, &t) == 0 && t && table_add(st, t) < 0)
		table_free(t);
}

/* The cached table @p nid, loaded on first use. */
static int table_get(struct pst_store *st, uint32_t nid, struct pst_table **out)
{
	struct pst_table *t = table_cached(st, nid);
	int rc;

	if (t) {
		*out = t;
		return 0;
	}
	if ((rc = table_load(st, nid, &t)) < 0)
		return rc;
	if ((rc = table_add(st, t)) < 0) {
		table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

static void table_forget(struct pst_store *st, uint32_t nid)
{
	size_t i;

	for (i = 0; i < st->ntables; i++) {
		if (st->tables[i]->nid == nid) {
			table_free(st->tables[i]);
			st->tables[i] = st->tables[--st->ntables];
			return;
		}
	}
}

/* A table kept block by block back to whole rows in memory (a value too
 * large for its layout, or few rows left): rebuilt whole at the flush. */
static int table_to_rows(struct pst_store *st, struct pst_table *t)
{
	uint32_t *ids = NULL, *vers = NULL;
	ps_prop **cells = NULL;
	size_t i, n = pst__big_count(t->big);
	int rc;

	if ((rc = pst__big_rows(st, t->big, &ids, &vers, &cells)) < 0)
		return rc;
	t->rows = calloc(n + 16, sizeof(*t->rows));
	if (!t->rows) {
		for (i = 0; i < n; i++)
			cells_free(cells[i], t->ncols);
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	t->caprows = n + 16;
	for (i = 0; i < n; i++) {
		t->rows[i].id = ids[i];
		t->rows[i].ver = vers[i];
		t->rows[i].cells = cells[i];
		if (vers[i] > t->max_ver)
			t->max_ver = vers[i];
	}
	t->nrows = t->live = n;
	pst__big_free(t->big);
	t->big = NULL;
	t->dirty = 1;
	rc = rows_index(t);
cleanup:
	free(ids);
	free(vers);
	free(cells);
	return rc;
}

/*
 * Set row @p id to @p cells (one a column, taken over), adding it when
 * absent. Its RowVer goes past every other in the table, as Outlook's do.
 */
static int table_put(struct pst_table *t, uint32_t id, ps_prop *cells)
{
	struct pst_row *row = table_find(t, id);

	if (row) {
		cells_free(row->cells, t->ncols);
	} else {
		if (t->nrows == t->caprows) {
			size_t cap = t->caprows * 2 + 16;
			struct pst_row *p = realloc(t->rows, cap * sizeof(*p));
			if (!p) {
				cells_free(cells, t->ncols);
				return ps_error_set(PS_ENOMEM, "out of memory");
			}
			t->rows = p;
			t->caprows = cap;
		}
		row = &t->rows[t->nrows++];
		memset(row, 0, sizeof(*row));
		row->id = id;
		t->live++;
		if (pst_row_index_add(&t->index, ROW_IDS(t), t->nrows) < 0) {
			t->nrows--;
			t->live--;
			cells_free(cells, t->ncols);
			return PS_ENOMEM;
		}
	}
	row->cells = cells;
	row->ver = ++t->max_ver;
	t->dirty = 1;
	return 0;
}

/*
 * Remove row @p id. The last row takes its place in the row matrix, so that
 * a rebuild changes two matrix blocks rather than every block after the
 * row, and unchanged blocks are shared with the table's previous version.
 */
static int table_delete(struct pst_table *t, uint32_t id)
{
	long pos;
	size_t i, last;

	if (t->big)
		return pst__big_delete(t->big, id);
	if ((pos = pst_row_index_remove(&t->index, ROW_IDS(t), id)) < 0)
		return PS_ENOTFOUND;
	i = (size_t)pos;
	last = t->nrows - 1;
	cells_free(t->rows[i].cells, t->ncols);
	if (i != last) {
		t->rows[i] = t->rows[last];
		pst_row_index_move(&t->index, ROW_IDS(t), last, i);
	}
	t->nrows--;
	t->live--;
	t->dirty = 1;
	return 0;
}

/* Cells for the columns of @p t from properties (exact tags). */
static int cells_from_props(const struct pst_table *t, const ps_prop *props, size_t n,
	ps_prop **out)
{
	ps_prop *cells;
	size_t c;
	int rc;

	*out = NULL;
	cells = calloc(t->ncols + 1, sizeof(*cells));
	if (!cells)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (c = 0; c < t->ncols; c++) {
		const ps_prop *p = props_find_tag(props, n, t->cols[c]);
		if (!p)
			continue;
		if ((rc = prop_copy(&cells[c], p->data, p->size, t->cols[c])) < 0) {
			cells_free(cells, t->ncols);
			return rc;
		}
	}
	*out = cells;
	return 0;
}

static int col_index(const struct pst_table *t, uint32_t tag)
{
	size_t c;

	for (c = 0; c < t->ncols; c++)
		if (t->cols[c] == tag)
			return (int)c;
	return -1;
}

/* Write table @p t into the transaction. */
static int table_write_rows(struct pst_store *st, struct pst_table *t);

static int table_write(struct pst_store *st, struct pst_table *t)
{
	int rc;

	if (t->big && pst__big_small(t->big) && (rc = table_to_rows(st, t)) < 0)
		return rc;
	if (t->big)
		return pst__big_write(st, t->big);
	return table_write_rows(st, t);
}

/* The whole-table path: every row laid out again (blocks whose bytes come
 * out the same shared with the table's previous version). */
static int table_write_rows(struct pst_store *st, struct pst_table *t)
{
	ps_tc_build_col *cols = NULL;
	ps_tc_build_row *rows = NULL;
	ps_prop *cells = NULL;
	uint8_t *vers = NULL;
	ps_node_image img;
	size_t ncols = t->ncols + 2, i, k = 0, c;
	uint32_t gen = 0x400;
	int rc = 0;

	memset(&img, 0, sizeof(img));
	cols = malloc(ncols * sizeof(*cols));
	rows = calloc(t->live + 1, sizeof(*rows));
	cells = calloc(t->live * ncols + 1, sizeof(*cells));
	vers = malloc(4 * t->live + 1);
	PS_CHECK_ALLOC(cols && rows && cells && vers, rc);
	cols[0].tag = 0x67F20003;
	cols[1].tag = 0x67F30003;
	for (c = 0; c < t->ncols; c++)
		cols[c + 2].tag = t->cols[c];
	for (i = 0; i < t->nrows; i++) {
		const struct pst_row *row = &t->rows[i];
		ps_prop *rc_cells;
		rc_cells = cells + k * ncols;
		ps__put32(vers + 4 * k, row->ver);
		rc_cells[1].tag = 0x67F30003;
		rc_cells[1].data = vers + 4 * k;
		rc_cells[1].size = 4;
		for (c = 0; c < t->ncols; c++)
			if (row->cells[c].data)
				rc_cells[c + 2] = row->cells[c];
		rows[k].row_id = row->id;
		rows[k].cells = rc_cells;
		k++;
	}
	if ((rc = ps_tc_build_ex(cols, ncols, rows, k, PS_TC_BUILD_GROUPED, ps_ltp_alloc_nid, &gen,
		&img)) < 0 ||
	    (rc = ps_image_share_blocks(st->ndb, t->nid, &img)) < 0)
		goto cleanup;
	if ((rc = ps_ndb_tx_put_node(st->tx, t->nid, 0, &img)) < 0)
		goto cleanup;
	t->dirty = 0;
	/* rows in a subnode: the grouped layout, kept block by block from now on */
	if (table_may_be_big(t->nid) && img.sub_count > 0)
		t->reload = 1;
cleanup:
	ps_node_image_clear(&img);
	free(cols);
	free(rows);
	free(cells);
	free(vers);
	return rc;
}

/* ---- folders to rewrite at the flush -------------------------------------------- */

static int folder_touch(struct pst_store *st, uint32_t nid, struct pst_folder **out)
{
	struct pst_folder *f;
	size_t i;

	for (i = 0; i < st->nfolders; i++) {
		if (st->folders[i]->nid == nid) {
			*out = st->folders[i];
			return 0;
		}
	}
	if (st->nfolders == st->capfolders) {
		size_t cap = st->capfolders ? st->capfolders * 2 : 16;
		struct pst_folder **p = realloc(st->folders, cap * sizeof(*p));
		if (!p)
			return ps_error_set(PS_ENOMEM, "out of memory");
		st->folders = p;
		st->capfolders = cap;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return ps_error_set(PS_ENOMEM, "out of memory");
	f->nid = nid;
	st->folders[st->nfolders++] = f;
	*out = f;
	return 0;
}

static void folder_free(struct pst_folder *f)
{
	if (!f)
		return;
	ps_props_free(f->set, f->nset);
	free(f);
}

static void folder_forget(struct pst_store *st, uint32_t nid)
{
	size_t i;

	for (i = 0; i < st->nfolders; i++) {
		if (st->folders[i]->nid == nid) {
			folder_free(st->folders[i]);
			st->folders[i] = st->folders[--st->nfolders];
			return;
		}
	}
}

int pst__folder_set(struct pst_store *st, uint32_t nid, const ps_prop *props, size_t n)
{
	struct pst_folder *f;
	size_t i;
	int rc;

	if ((rc = folder_touch(st, nid, &f)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = ps_props_set(&f->set, &f->nset, props[i].tag, props[i].data, props[i].size)) < 0)
			return rc;
	f->row = 1;
	return 0;
}

/* The row of folder @p nid in its parent's hierarchy table, from its PC. */
static int hierarchy_row(struct pst_store *st, uint32_t nid, const ps_prop *props, size_t n)
{
	struct pst_table *t;
	ps_nbt_entry e;
	ps_prop *cells;
	int rc;

	if ((rc = ps_ndb_tx_lookup(st->tx, nid, &e)) < 0)
		return rc;
	if (e.nid_parent == nid || e.nid_parent == 0)
		return 0;              /* the root folder is its own parent */
	if ((rc = table_get(st, table_of(e.nid_parent, PS_NID_TYPE_HIERARCHY_TABLE), &t)) < 0 ||
	    (rc = cells_from_props(t, props, n, &cells)) < 0)
		return rc;
	return table_put(t, nid, cells);
}

int pst__hierarchy_add(struct pst_store *st, uint32_t nid)
{
	ps_prop *props = NULL;
	size_t n = 0;
	ps_pc pc;
	int rc;

	if ((rc = ps_pc_open_nid(&pc, st->ndb, nid)) < 0)
		return rc;
	rc = ps_props_from_pc(&pc, &props, &n);
	ps_pc_close(&pc);
	if (rc == 0)
		rc = hierarchy_row(st, nid, props, n);
	ps_props_free(props, n);
	return rc;
}

/* Rewrite the PC of a touched folder and, when it changed, its hierarchy row. */
static int folder_write(struct pst_store *st, struct pst_folder *f)
{
	ps_prop *props = NULL;
	size_t n = 0, i;
	ps_nbt_entry e;
	ps_pc pc;
	int changed = 0, rc;

	if ((rc = ps_ndb_tx_lookup(st->tx, f->nid, &e)) < 0)
		return rc == PS_ENOTFOUND ? 0 : rc;
	if ((rc = ps_pc_open(&pc, st->ndb, "", f->nid, e.bid_data, e.bid_sub)) < 0)
		return ps_error_prefix(rc, "cannot write '%s': folder 0x%x cannot be read",
			st->base.path, f->nid);
	rc = ps_props_from_pc(&pc, &props, &n);
	ps_pc_close(&pc);
	if (rc < 0)
		return rc;
	if (f->counts) {
		struct pst_table *t;
		uint32_t unread = 0;
		const ps_prop *p;
		int fc;
		if ((rc = table_get(st, table_of(f->nid, PS_NID_TYPE_CONTENTS_TABLE), &t)) < 0)
			goto cleanup;
		fc = col_index(t, PS_PROP_TAG(PS_PID_MESSAGE_FLAGS, PS_PT_LONG));
		if (t->big)
			unread = (uint32_t)pst__big_unread(t->big);
		for (i = 0; !t->big && fc >= 0 && i < t->nrows; i++) {
			const ps_prop *c = &t->rows[i].cells[fc];
			if (c->data && c->size == 4 && !(ps_get32(c->data) & PS_MSGFLAG_READ))
				unread++;
		}
		p = props_find_tag(props, n, PS_PROP_TAG(PS_PID_CONTENT_COUNT, PS_PT_LONG));
		if (!p || p->size != 4 || ps_get32(p->data) != table_count(t)) {
			if ((rc = ps_props_set_long(&props, &n, PS_PID_CONTENT_COUNT, (uint32_t)table_count(t))) < 0)
				goto cleanup;
			changed = 1;
		}
		p = props_find_tag(props, n, PS_PROP_TAG(PS_PID_CONTENT_UNREAD, PS_PT_LONG));
		if (!p || p->size != 4 || ps_get32(p->data) != unread) {
			if ((rc = ps_props_set_long(&props, &n, PS_PID_CONTENT_UNREAD, unread)) < 0)
				goto cleanup;
			changed = 1;
		}
	}
	if (f->subfolders) {
		struct pst_table *t;
		const ps_prop *p;
		if ((rc = table_get(st, table_of(f->nid, PS_NID_TYPE_HIERARCHY_TABLE), &t)) < 0)
			goto cleanup;
		p = props_find_tag(props, n, PS_PROP_TAG(PS_PID_SUBFOLDERS, PS_PT_BOOLEAN));
		if (!p || p->size != 1 || (p->data[0] != 0) != (table_count(t) > 0)) {
			if ((rc = ps_props_set_bool(&props, &n, PS_PID_SUBFOLDERS, table_count(t) > 0)) < 0)
				goto cleanup;
			changed = 1;
		}
	}
	for (i = 0; i < f->nset; i++) {
		if ((rc = ps_props_set(&props, &n, f->set[i].tag, f->set[i].data, f->set[i].size)) < 0)
			goto cleanup;
		changed = 1;
	}
	if (changed && (rc = ps_pc_rewrite(st->ndb, st->tx, f->nid, e.nid_parent, props, n)) < 0)
		goto cleanup;
	if (changed || f->row)
		rc = hierarchy_row(st, f->nid, props, n);
cleanup:
	ps_props_free(props, n);
	return rc;
}

/* ---- search update queue ------------------------------------------------------------ */

static int sdo_load(struct pst_store *st)
{
	ps_nbt_entry e;
	uint8_t *buf = NULL;
	size_t size = 0, i;
	int rc;

	if (st->sdo_loaded)
		return 0;
	st->sdo_loaded = 1;
	if (ps_ndb_nbt_lookup(st->ndb, PS_NID_SEARCH_DOMAIN, &e) < 0 || !e.bid_data)
		return 0;
	if ((rc = ps_ndb_data_read_flat(st->ndb, e.bid_data, &buf, &size)) < 0)
		return 0;              /* an unreadable domain: queue nothing, as without one */
	st->sdo = malloc((size / 4 + 1) * sizeof(*st->sdo));
	if (!st->sdo) {
		free(buf);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	for (i = 0; i + 4 <= size; i += 4)
		st->sdo[st->nsdo++] = ps_get32(buf + i);
	free(buf);
	return 0;
}

/*
 * Queue a search update descriptor when @p folder is in the search domain.
 * Outlook's domain lists the folders' NIDs with another type in the low
 * bits (0x8023 for folder 0x8022), so the index is what is compared.
 */
static int suq_add(struct pst_store *st, uint16_t type, uint16_t flags, uint32_t folder,
	uint32_t a, uint32_t b)
{
	uint8_t sud[SUD_SIZE];
	size_t i;
	int rc, found = 0;

	if ((rc = sdo_load(st)) < 0)
		return rc;
	for (i = 0; i < st->nsdo && !found; i++)
		found = (st->sdo[i] >> 5) == (folder >> 5);
	if (!found)
		return 0;
	memset(sud, 0, sizeof(sud));
	ps__put16(sud, flags);
	ps__put16(sud + 2, type);
	ps__put32(sud + 4, a);
	ps__put32(sud + 8, b);
	if (st->suq_size + SUD_SIZE > st->suq_cap) {
		size_t cap = st->suq_cap ? st->suq_cap * 2 : 40 * SUD_SIZE;
		uint8_t *p = realloc(st->suq, cap);
		if (!p)
			return ps_error_set(PS_ENOMEM, "out of memory");
		st->suq = p;
		st->suq_cap = cap;
	}
	memcpy(st->suq + st->suq_size, sud, SUD_SIZE);
	st->suq_size += SUD_SIZE;
	return 0;
}

static int suq_write(struct pst_store *st)
{
	ps_node_image img;
	ps_nbt_entry e;
	uint8_t *old = NULL, *all;
	size_t size = 0;
	int rc;

	if (!st->suq_size)
		return 0;
	if (ps_ndb_tx_lookup(st->tx, PS_NID_SEARCH_QUEUE, &e) == 0 && e.bid_data &&
	    (rc = ps_ndb_data_read_flat(st->ndb, e.bid_data, &old, &size)) < 0)
		return rc;
	all = malloc(size + st->suq_size);
	if (!all) {
		free(old);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	if (size)
		memcpy(all, old, size);
	memcpy(all + size, st->suq, st->suq_size);
	free(old);
	memset(&img, 0, sizeof(img));
	rc = ps_node_image_from_buffer(&img, all, size + st->suq_size);
	free(all);
	if (rc == 0)
		rc = ps_ndb_tx_put_node(st->tx, PS_NID_SEARCH_QUEUE, 0, &img);
	ps_node_image_clear(&img);
	if (rc == 0)
		st->suq_size = 0;
	return rc;
}

/* ---- the name-to-id map ------------------------------------------------------------- */

static int nameid_write(struct pst_store *st)
{
	ps_prop *props = NULL, *mprops = NULL;
	size_t n = 0, nm = 0, i;
	ps_pc pc;
	int rc;

	if (!ps_nameid_dirty(st->map))
		return 0;
	if (ps_pc_open_nid(&pc, st->ndb, PS_NID_NAME_TO_ID_MAP) == 0) {
		rc = ps_props_from_pc(&pc, &props, &n);
		ps_pc_close(&pc);
		if (rc < 0)
			return rc;
	}
	/* The streams and every bucket are regenerated; the rest stays. */
	for (i = 0; i < n; )
		if (PS_PROP_ID(props[i].tag) <= 0x0004 || (PS_PROP_ID(props[i].tag) >= 0x1000 &&
		    PS_PROP_ID(props[i].tag) < 0x2000))
			ps_props_remove_id(props, &n, PS_PROP_ID(props[i].tag));
		else
			i++;
	if ((rc = ps_nameid_props(st->map, &mprops, &nm)) < 0)
		goto cleanup;
	for (i = 0; i < nm; i++)
		if ((rc = ps_props_set(&props, &n, mprops[i].tag, mprops[i].data, mprops[i].size)) < 0)
			goto cleanup;
	rc = ps_pc_rewrite(st->ndb, st->tx, PS_NID_NAME_TO_ID_MAP, 0, props, n);
cleanup:
	ps_props_free(props, n);
	ps_props_free(mprops, nm);
	return rc;
}

/* ---- transactions ---------------------------------------------------------------------- */

static int flush(struct pst_store *st);

/* A flush that fails leaves the cache half written: the transaction goes
 * with it (its commit then fails, saying no transaction is open). */
int pst__flush(struct pst_store *st)
{
	int rc = flush(st);

	if (rc < 0)
		pst__tx_drop(st);
	return rc;
}

/* ---- tables written before the padding of 2.3.4.4 --------------------------------- */

/* 1 when a block but the last of the data tree at @p bid is not full. */
static int tree_short(ps_ndb *ndb, uint64_t bid)
{
	ps_ndb_data d;
	ps_bbt_entry e;
	size_t i;
	int bad = 0;

	if (!(bid & PS_BID_INTERNAL) || ps_ndb_data_bids(ndb, bid, &d) < 0)
		return 0;
	for (i = 0; i + 1 < d.count && !bad; i++)
		bad = ps_ndb_bbt_lookup(ndb, d.bids[i], &e) == 0 && e.cb != ps_ndb__block_data_max(ndb);
	ps_ndb_data_free(&d);
	return bad;
}

struct short_scan {
	ps_ndb *ndb;
	uint32_t *nids;
	size_t n, cap;
};

/* A folder's table with a data tree (its own or a subnode's, the row
 * matrix) whose blocks are not all full but the last. */
static int short_table(void *ctx, const ps_nbt_entry *e)
{
	struct short_scan *sc = ctx;
	ps_ndb_subnodes sub;
	size_t i;
	int bad;

	if (PS_NID_TYPE(e->nid) != PS_NID_TYPE_HIERARCHY_TABLE &&
	    PS_NID_TYPE(e->nid) != PS_NID_TYPE_CONTENTS_TABLE &&
	    PS_NID_TYPE(e->nid) != PS_NID_TYPE_ASSOC_CONTENTS_TABLE)
		return 0;
	bad = tree_short(sc->ndb, e->bid_data);
	if (!bad && e->bid_sub && ps_ndb_subnodes_read(sc->ndb, e->bid_sub, &sub) == 0) {
		for (i = 0; i < sub.count && !bad; i++)
			bad = tree_short(sc->ndb, sub.entries[i].bid_data);
		ps_ndb_subnodes_free(&sub);
	}
	if (bad && sc->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 16;
		uint32_t *g = realloc(sc->nids, cap * sizeof(*g));
		if (!g)
			return ps_error_set(PS_ENOMEM, "out of memory");
		sc->nids = g;
		sc->cap = cap;
	}
	if (bad)
		sc->nids[sc->n++] = e->nid;
	return 0;
}

int pst__repair_tables(struct pst_store *st, unsigned *fixed)
{
	struct short_scan sc;
	size_t i;
	int rc;
	if (fixed)
		*fixed = 0;
	const ps_ndb_header *h = ps_ndb_header_get(st->ndb);
	uint32_t top = h->rgnid[PS_NID_TYPE_NORMAL_FOLDER] > h->rgnid[PS_NID_TYPE_SEARCH_FOLDER] ?
		h->rgnid[PS_NID_TYPE_NORMAL_FOLDER] : h->rgnid[PS_NID_TYPE_SEARCH_FOLDER];

	memset(&sc, 0, sizeof(sc));
	sc.ndb = st->ndb;
	/* a folder's tables share its NID index, below the next folder index
	 * the header hands out (messages come far above: [MS-PST] 2.2.2.5):
	 * the NBT is walked that far only, not through every item */
	if (top > 0 && top < (UINT32_MAX >> 5))
		rc = ps_ndb_nbt_foreach_below(st->ndb, PS_NID_MAKE(0, top), short_table, &sc);
	else
		rc = ps_ndb_nbt_foreach(st->ndb, short_table, &sc);
	if (rc < 0)
		goto cleanup;
	/* each is rebuilt at the flush: a table kept block by block pads its
	 * matrix blocks (table_big.c marks it changed), the others are laid
	 * out again whole */
	for (i = 0; i < sc.n; i++) {
		struct pst_table *t;
		if (table_get(st, sc.nids[i], &t) < 0)
			continue;       /* unreadable: `check` says so */
		if (!t->big)
			t->dirty = 1;
		if (fixed && table_dirty(t))
			(*fixed)++;
	}
	rc = 0;
cleanup:
	free(sc.nids);
	return rc;
}

static int flush(struct pst_store *st)
{
	size_t i;
	int rc;

	if (!st->tx)
		return 0;
	/* once per store opened: tables an earlier pstsync left unpadded are
	 * repaired with this first write (best effort: the write goes on) */
	if (!st->tables_scanned) {
		st->tables_scanned = 1;
		(void)pst__repair_tables(st, NULL);
	}
	/* Contents tables first: the folder counts come from them. */
	for (i = 0; i < st->ntables; i++) {
		struct pst_table *t = st->tables[i];
		if (table_dirty(t) && PS_NID_TYPE(t->nid) != PS_NID_TYPE_HIERARCHY_TABLE &&
		    (rc = table_write(st, t)) < 0)
			return rc;
	}
	/* Then the folders, whose new values go into their parents' rows. */
	while (st->nfolders) {
		struct pst_folder *f = st->folders[st->nfolders - 1];
		if ((rc = folder_write(st, f)) < 0)
			return rc;
		st->nfolders--;
		folder_free(f);
	}
	for (i = 0; i < st->ntables; i++) {
		struct pst_table *t = st->tables[i];
		if (table_dirty(t) && (rc = table_write(st, t)) < 0)
			return rc;
	}
	if (st->map && (rc = nameid_write(st)) < 0)
		return rc;
	if (st->map)
		ps_nameid_saved(st->map);
	return suq_write(st);
}

/* What a transaction gathered besides the tables. */
static void tx_state_free(struct pst_store *st)
{
	size_t i;

	st->tx_explicit = 0;
	for (i = 0; i < st->nfolders; i++)
		folder_free(st->folders[i]);
	free(st->folders);
	st->folders = NULL;
	st->nfolders = st->capfolders = 0;
	free(st->suq);
	st->suq = NULL;
	st->suq_size = st->suq_cap = 0;
	free(st->sdo);
	st->sdo = NULL;
	st->nsdo = 0;
	st->sdo_loaded = 0;
}

void pst__tx_drop(struct pst_store *st)
{
	size_t i;

	if (st->tx) {
		ps_ndb_tx_abort(st->tx);
		st->tx = NULL;
		/* Names added in the transaction are gone with it. */
		ps_nameid_free(st->map);
		st->map = NULL;
	}
	/* the tables may hold the transaction's changes: all go */
	pst__recent_clear(st);
	for (i = 0; i < st->ntables; i++)
		table_free(st->tables[i]);
	free(st->tables);
	st->tables = NULL;
	st->ntables = st->captables = 0;
	tx_state_free(st);
}

static int tx_commit(struct pst_store *st)
{
	size_t i;
	int rc;

	if ((rc = pst__flush(st)) < 0) {
		pst__tx_drop(st);
		return rc;
	}
	rc = ps_ndb_tx_commit(st->tx);
	st->tx = NULL;             /* ended either way */
	if (rc < 0) {
		ps_nameid_free(st->map);
		st->map = NULL;
		pst__tx_drop(st);
		return rc;
	}
	/* The tables are what the file now holds: kept for the next
	 * transaction (the store is locked, nobody else writes it), so that a
	 * large table is not read again at every commit. One rebuilt whole into
	 * the grouped layout is read once more, to be kept block by block. */
	for (i = 0; i < st->ntables; ) {
		if (st->tables[i]->reload) {
			table_free(st->tables[i]);
			st->tables[i] = st->tables[--st->ntables];
		} else {
			i++;
		}
	}
	tx_state_free(st);
	return rc;
}

/* Start a change: in the open transaction, or in one of its own. */
static int change_begin(struct pst_store *st, int *own)
{
	int rc;

	*own = 0;
	if (!st->writable)
		return not_writable(st);
	if (st->tx)
		return 0;
	if ((rc = ps_ndb_tx_begin(st->ndb, &st->tx)) < 0)
		return rc;
	*own = 1;
	pst__recent_clear(st);
	return 0;
}

static int change_end(struct pst_store *st, int own, int rc)
{
	if (!own)
		return rc;
	if (rc < 0) {
		pst__tx_drop(st);
		return rc;
	}
	return tx_commit(st);
}

int pst__begin(struct ps_store *store)
{
	struct pst_store *st = (struct pst_store *)store;
	int rc;

	if (!st->writable)
		return not_writable(st);
	if (st->tx)
		return ps_error_set(PS_EINVAL, "cannot begin a transaction on '%s': one is open already",
			store->path);
	if ((rc = ps_ndb_tx_begin(st->ndb, &st->tx)) < 0)
		return rc;
	st->tx_explicit = 1;
	pst__recent_clear(st);
	return 0;
}

int pst__commit(struct ps_store *store)
{
	struct pst_store *st = (struct pst_store *)store;

	if (!st->tx)
		return ps_error_set(PS_EINVAL, "cannot commit to '%s': no transaction is open", store->path);
	return tx_commit(st);
}

void pst__abort(struct ps_store *store)
{
	pst__tx_drop((struct pst_store *)store);
}

/* ---- folders ----------------------------------------------------------------------------- */

static int check_normal_folder(struct pst_store *st, uint32_t nid, ps_nbt_entry *e)
{
	if (PS_NID_TYPE(nid) != PS_NID_TYPE_NORMAL_FOLDER || ps_ndb_nbt_lookup(st->ndb, nid, e) < 0)
		return ps_error_set(PS_ENOTFOUND, "no folder 0x%x in '%s'", nid, st->base.path);
	return 0;
}

/* The row of the subfolder of @p t named @p name, other than @p except. */
static const struct pst_row *find_by_name(const struct pst_table *t, const char *name,
	uint32_t except)
{
	int c = col_index(t, PS_PROP_TAG(PS_PID_DISPLAY_NAME, PS_PT_UNICODE));
	size_t i;

	if (c < 0)
		return NULL;
	for (i = 0; i < t->nrows; i++) {
		const ps_prop *cell = &t->rows[i].cells[c];
		ps_prop p;
		char *s;
		int same;
		if (!cell || !cell->data || t->rows[i].id == except)
			continue;
		memset(&p, 0, sizeof(p));
		p.tag = cell->tag;
		p.data = cell->data;
		p.size = cell->size;
		s = cell->size ? ps_prop_to_utf8(&p) : ps__strdup("");
		same = s && strcmp(s, name) == 0;
		free(s);
		if (same)
			return &t->rows[i];
	}
	return NULL;
}

static int check_name(struct pst_store *st, const char *name)
{
	if (!name || !name[0])
		return ps_error_set(PS_EINVAL, "a folder of '%s' needs a name", st->base.path);
	return 0;
}

/* An empty table for a new folder: the store's template shared, as Outlook
 * shares them, or one built from the template's columns. */
static int empty_table(struct pst_store *st, uint32_t nid, uint32_t template_nid,
	const uint32_t *cols, size_t ncols)
{
	ps_tc_build_col bcols[64];
	ps_node_image img;
	ps_nbt_entry e;
	uint32_t gen = 0x400;
	size_t i;
	int rc;

	if (ps_ndb_tx_lookup(st->tx, template_nid, &e) == 0 && e.bid_data)
		return ps_ndb_tx_put_node_blocks(st->tx, nid, 0, e.bid_data, e.bid_sub);
	for (i = 0; i < ncols && i < 64; i++)
		bcols[i].tag = cols[i];
	memset(&img, 0, sizeof(img));
	if ((rc = ps_tc_build(bcols, i, NULL, 0, ps_ltp_alloc_nid, &gen, &img)) < 0)
		return rc;
	rc = ps_ndb_tx_put_node(st->tx, nid, 0, &img);
	ps_node_image_clear(&img);
	return rc;
}

int pst__folder_tables(struct pst_store *st, uint32_t nid)
{
	int rc;

	if ((rc = empty_table(st, table_of(nid, PS_NID_TYPE_HIERARCHY_TABLE), PS_NID_HIERARCHY_TEMPLATE,
		ps_tpl_hierarchy, ps_tpl_hierarchy_count)) < 0 ||
	    (rc = empty_table(st, table_of(nid, PS_NID_TYPE_CONTENTS_TABLE), PS_NID_CONTENTS_TEMPLATE,
		ps_tpl_contents, ps_tpl_contents_count)) < 0 ||
	    (rc = empty_table(st, table_of(nid, PS_NID_TYPE_ASSOC_CONTENTS_TABLE), PS_NID_ASSOC_TEMPLATE,
		ps_tpl_assoc, ps_tpl_assoc_count)) < 0)
		return rc;
	return 0;
}

int pst__create_folder(struct ps_store *store, uint32_t parent_nid, const char *name,
	const char *container_class, uint32_t *nid_out)
{
	struct pst_store *st = (struct pst_store *)store;
	struct pst_table *hier;
	const struct pst_row *dup;
	struct pst_folder *f;
	ps_prop *props = NULL;
	ps_node_image img;
	ps_nbt_entry e;
	size_t n = 0;
	uint32_t nid = 0, gen = 0x400;
	int own, rc;

	if (nid_out)
		*nid_out = 0;
	memset(&img, 0, sizeof(img));
	if ((rc = check_name(st, name)) < 0 || (rc = check_normal_folder(st, parent_nid, &e)) < 0)
		return rc;
	if ((rc = change_begin(st, &own)) < 0)
		return rc;
	if ((rc = table_get(st, table_of(parent_nid, PS_NID_TYPE_HIERARCHY_TABLE), &hier)) < 0)
		goto cleanup;
	if ((dup = find_by_name(hier, name, 0)) != NULL) {
		if (nid_out)
			*nid_out = dup->id;
		rc = ps_error_set(PS_EEXISTS, "cannot create folder '%s' in '%s': the folder has a "
			"subfolder of that name", name, store->path);
		goto cleanup;
	}
	if ((rc = ps_ndb_tx_new_nid(st->tx, PS_NID_TYPE_NORMAL_FOLDER, &nid)) < 0)
		goto cleanup;
	/* A folder's tables take the folder's index. */
	if ((rc = ps_ndb_tx_reserve_nid(st->tx, table_of(nid, PS_NID_TYPE_HIERARCHY_TABLE))) < 0 ||
	    (rc = ps_ndb_tx_reserve_nid(st->tx, table_of(nid, PS_NID_TYPE_CONTENTS_TABLE))) < 0 ||
	    (rc = ps_ndb_tx_reserve_nid(st->tx, table_of(nid, PS_NID_TYPE_ASSOC_CONTENTS_TABLE))) < 0)
		goto cleanup;
	if ((rc = ps_props_set_unicode(&props, &n, PS_PID_DISPLAY_NAME, name)) < 0 ||
	    (rc = ps_props_set_long(&props, &n, PS_PID_CONTENT_COUNT, 0)) < 0 ||
	    (rc = ps_props_set_long(&props, &n, PS_PID_CONTENT_UNREAD, 0)) < 0 ||
	    (rc = ps_props_set_bool(&props, &n, PS_PID_SUBFOLDERS, 0)) < 0)
		goto cleanup;
	if (container_class && container_class[0] &&
	    (rc = ps_props_set_unicode(&props, &n, PS_PID_CONTAINER_CLASS, container_class)) < 0)
		goto cleanup;
	if ((rc = ps_pc_build(props, n, ps_ltp_alloc_nid, &gen, &img)) < 0 ||
	    (rc = ps_ndb_tx_put_node(st->tx, nid, parent_nid, &img)) < 0)
		goto cleanup;
	if ((rc = pst__folder_tables(st, nid)) < 0)
		goto cleanup;
	if ((rc = hierarchy_row(st, nid, props, n)) < 0 ||
	    (rc = folder_touch(st, parent_nid, &f)) < 0)
		goto cleanup;
	f->subfolders = 1;
	if ((rc = suq_add(st, SUDT_FLD_ADD, 0, parent_nid, parent_nid, nid)) < 0)
		goto cleanup;
	if (nid_out)
		*nid_out = nid;
cleanup:
	ps_node_image_clear(&img);
	ps_props_free(props, n);
	if (rc == PS_EEXISTS && own) {
		pst__tx_drop(st);
		return rc;
	}
	return change_end(st, own, rc);
}

int pst__rename_folder(struct ps_store *store, uint32_t folder_nid, const char *name)
{
	struct pst_store *st = (struct pst_store *)store;
	struct pst_table *hier;
	ps_prop *props = NULL;
	ps_nbt_entry e;
	size_t n = 0;
	int own, rc;

	if ((rc = check_name(st, name)) < 0 || (rc = check_normal_folder(st, folder_nid, &e)) < 0)
		return rc;
	if (e.nid_parent == folder_nid)
		return ps_error_set(PS_EINVAL, "cannot rename the root folder of '%s'", store->path);
	if ((rc = change_begin(st, &own)) < 0)
		return rc;
	if ((rc = table_get(st, table_of(e.nid_parent, PS_NID_TYPE_HIERARCHY_TABLE), &hier)) < 0)
		goto cleanup;
	if (find_by_name(hier, name, folder_nid)) {
		rc = ps_error_set(PS_EEXISTS, "cannot rename folder 0x%x of '%s' to '%s': a folder "
			"of that name is there already", folder_nid, store->path, name);
		goto cleanup;
	}
	if ((rc = ps_props_set_unicode(&props, &n, PS_PID_DISPLAY_NAME, name)) < 0 ||
	    (rc = pst__folder_set(st, folder_nid, props, n)) < 0)
		goto cleanup;
	rc = suq_add(st, SUDT_FLD_MOD, SUDF_NAME_CHANGED, e.nid_parent, folder_nid, 0);
cleanup:
	ps_props_free(props, n);
	return change_end(st, own, rc);
}

/* Folders the store's entry IDs name (Inbox, Deleted Items, ...): kept. */
static int is_special(struct pst_store *st, uint32_t nid)
{
	uint32_t nodes[2] = { PS_NID_MESSAGE_STORE, PS_NID_ROOT_FOLDER };
	size_t i, k;
	int special = nid == st->ipm_subtree_nid;

	for (k = 0; k < 2 && !special; k++) {
		ps_pc pc;
		if (ps_pc_open_nid(&pc, st->ndb, nodes[k]) < 0)
			continue;
		for (i = 0; i < pc.count; i++) {
			const ps_ltp_value *v = &pc.props[i];
			if (v->type == PS_PT_BINARY && v->size == 24 && ps_get32(v->value + 20) == nid &&
			    ((v->id >= 0x35E0 && v->id <= 0x35E7) || (v->id >= 0x36D0 && v->id <= 0x36D7)))
				special = 1;
		}
		ps_pc_close(&pc);
	}
	return special;
}

int pst__delete_folder(struct ps_store *store, uint32_t folder_nid)
{
	struct pst_store *st = (struct pst_store *)store;
	struct pst_table *hier, *contents, *assoc, *parent_hier;
	struct pst_folder *f;
	ps_nbt_entry e;
	size_t i;
	int own, rc;

	if ((rc = check_normal_folder(st, folder_nid, &e)) < 0)
		return rc;
	if (e.nid_parent == folder_nid || is_special(st, folder_nid))
		return ps_error_set(PS_EINVAL, "cannot delete folder 0x%x of '%s': the store needs it",
			folder_nid, store->path);
	if ((rc = change_begin(st, &own)) < 0)
		return rc;
	if ((rc = table_get(st, table_of(folder_nid, PS_NID_TYPE_HIERARCHY_TABLE), &hier)) < 0 ||
	    (rc = table_get(st, table_of(folder_nid, PS_NID_TYPE_CONTENTS_TABLE), &contents)) < 0 ||
	    (rc = table_get(st, table_of(folder_nid, PS_NID_TYPE_ASSOC_CONTENTS_TABLE), &assoc)) < 0)
		goto cleanup;
	if (table_count(hier) || table_count(contents)) {
		rc = ps_error_set(PS_EINVAL, "cannot delete folder 0x%x of '%s': it holds %zu items "
			"and %zu subfolders", folder_nid, store->path, table_count(contents), table_count(hier));
		goto cleanup;
	}
	/* Hidden (associated) items go with the folder: views, rules, forms. */
	for (i = 0; i < table_count(assoc); i++) {
		ps_nbt_entry me;
		if (ps_ndb_tx_lookup(st->tx, table_id_at(assoc, i), &me) < 0)
			continue;
		if ((rc = ps_ndb_tx_delete_node(st->tx, table_id_at(assoc, i))) < 0)
			goto cleanup;
	}
	if ((rc = ps_ndb_tx_delete_node(st->tx, folder_nid)) < 0)
		goto cleanup;
	for (i = 0; i < 3; i++) {
		static const unsigned types[3] = { PS_NID_TYPE_HIERARCHY_TABLE, PS_NID_TYPE_CONTENTS_TABLE,
			PS_NID_TYPE_ASSOC_CONTENTS_TABLE };
		uint32_t t = table_of(folder_nid, types[i]);
		table_forget(st, t);
		rc = ps_ndb_tx_delete_node(st->tx, t);
		if (rc < 0 && rc != PS_ENOTFOUND)
			goto cleanup;
		rc = 0;
	}
	folder_forget(st, folder_nid);
	if ((rc = table_get(st, table_of(e.nid_parent, PS_NID_TYPE_HIERARCHY_TABLE), &parent_hier)) < 0)
		goto cleanup;
	table_delete(parent_hier, folder_nid);
	if ((rc = folder_touch(st, e.nid_parent, &f)) < 0)
		goto cleanup;
	f->subfolders = 1;
	rc = suq_add(st, SUDT_FLD_DEL, 0, e.nid_parent, e.nid_parent, folder_nid);
cleanup:
	return change_end(st, own, rc);
}

/*
 * Move (or rename) a folder as Outlook does: its node stays, so its NID and
 * entry ID; its PC is rewritten under the new parent, its row leaves the old
 * parent's hierarchy table for the new one's, both parents' PidTagSubfolders
 * follow at the flush.
 */
int pst__move_folder(struct ps_store *store, uint32_t folder_nid, uint32_t parent_nid, const char *name)
{
	struct pst_store *st = (struct pst_store *)store;
	struct pst_table *old_hier, *new_hier;
	struct pst_folder *f;
	ps_prop *props = NULL;
	ps_nbt_entry e, pe;
	size_t n = 0;
	uint32_t up;
	int own, depth, rc;
	ps_pc pc;

	if ((rc = check_name(st, name)) < 0 || (rc = check_normal_folder(st, folder_nid, &e)) < 0 ||
	    (rc = check_normal_folder(st, parent_nid, &pe)) < 0)
		return rc;
	if (e.nid_parent == folder_nid || is_special(st, folder_nid))
		return ps_error_set(PS_EINVAL, "cannot move folder 0x%x of '%s': the store needs it where "
			"it is", folder_nid, store->path);
	/* not into itself or below it */
	for (up = parent_nid, depth = 0; depth < MAX_MOVE_DEPTH; depth++) {
		ps_nbt_entry ue;
		if (up == folder_nid)
			return ps_error_set(PS_EINVAL, "cannot move folder 0x%x of '%s' into itself or one "
				"of its subfolders", folder_nid, store->path);
		if (ps_ndb_nbt_lookup(st->ndb, up, &ue) < 0 || ue.nid_parent == up || !ue.nid_parent)
			break;
		up = ue.nid_parent;
	}
	if ((rc = change_begin(st, &own)) < 0)
		return rc;
	if ((rc = ps_ndb_tx_lookup(st->tx, folder_nid, &e)) < 0 ||
	    (rc = table_get(st, table_of(parent_nid, PS_NID_TYPE_HIERARCHY_TABLE), &new_hier)) < 0)
		goto cleanup;
	if (find_by_name(new_hier, name, folder_nid)) {
		rc = ps_error_set(PS_EEXISTS, "cannot move folder 0x%x of '%s' to '%s': a folder of that "
			"name is there already", folder_nid, store->path, name);
		goto cleanup;
	}
	/* what the folder's PC will say, with changes waiting for the flush */
	if ((rc = pst__flush(st)) < 0)
		goto cleanup;
	if ((rc = ps_ndb_tx_lookup(st->tx, folder_nid, &e)) < 0 ||
	    (rc = ps_pc_open(&pc, st->ndb, "", folder_nid, e.bid_data, e.bid_sub)) < 0)
		goto cleanup;
	rc = ps_props_from_pc(&pc, &props, &n);
	ps_pc_close(&pc);
	if (rc < 0 || (rc = ps_props_set_unicode(&props, &n, PS_PID_DISPLAY_NAME, name)) < 0)
		goto cleanup;
	if (e.nid_parent != parent_nid) {
		if ((rc = table_get(st, table_of(e.nid_parent, PS_NID_TYPE_HIERARCHY_TABLE), &old_hier)) < 0)
			goto cleanup;
		table_delete(old_hier, folder_nid);
		if ((rc = folder_touch(st, e.nid_parent, &f)) < 0)
			goto cleanup;
		f->subfolders = 1;
		if ((rc = suq_add(st, SUDT_FLD_MOV, 0, e.nid_parent, folder_nid, parent_nid)) < 0)
			goto cleanup;
	} else if ((rc = suq_add(st, SUDT_FLD_MOD, SUDF_NAME_CHANGED, e.nid_parent, folder_nid, 0)) < 0) {
		goto cleanup;
	}
	if ((rc = ps_pc_rewrite(st->ndb, st->tx, folder_nid, parent_nid, props, n)) < 0 ||
	    (rc = hierarchy_row(st, folder_nid, props, n)) < 0 ||
	    (rc = folder_touch(st, parent_nid, &f)) < 0)
		goto cleanup;
	f->subfolders = 1;
cleanup:
	ps_props_free(props, n);
	return change_end(st, own, rc);
}

/* ---- the sync mark ------------------------------------------------------------------------- */

/* {PS_PSETID_PSTSYNC, "PstsyncStoreMark"}, PT_I8, on the message store object */
static void mark_name(ps_prop_name *name)
{
	/* PS_PSETID_PSTSYNC (include/pstsync/sync.h): the set of the copy marker */
	static const ps_guid pstsync = { { 0x3C, 0x4A, 0x1B, 0x6F, 0x85, 0x2D, 0x0B, 0x4E,
		0x9A, 0x7C, 0x5E, 0x31, 0xD8, 0xF0, 0xB2, 0xA6 } };

	memset(name, 0, sizeof(*name));
	name->kind = PS_NAME_STRING;
	name->guid = pstsync;
	name->name = (char *)"PstsyncStoreMark";
}

int pst__sync_mark(struct pst_store *st, uint64_t *out)
{
	ps_nameid_map *map;
	ps_prop_name name;
	const ps_ltp_value *v;
	uint16_t id;
	ps_pc pc;
	int rc;

	*out = 0;
	if ((rc = pst__map(st, &map)) < 0)
		return rc;
	mark_name(&name);
	if (ps_nameid_find(map, &name, &id) != 0)
		return 0;
	if (ps_pc_open_nid(&pc, st->ndb, PS_NID_MESSAGE_STORE) < 0)
		return 0;
	v = ps_pc_find(&pc, id);
	if (v && v->type == PS_PT_LONGLONG && v->size == 8)
		*out = ps_get64(v->value);
	ps_pc_close(&pc);
	return 0;
}

int pst__set_sync_mark(struct ps_store *store, uint64_t mark)
{
	struct pst_store *st = (struct pst_store *)store;
	ps_nameid_map *map;
	ps_prop_name name;
	ps_prop *props = NULL;
	uint8_t v[8];
	size_t n = 0;
	uint16_t id;
	int own, rc;

	if ((rc = change_begin(st, &own)) < 0)
		return rc;
	if ((rc = pst__map(st, &map)) < 0)
		goto cleanup;
	mark_name(&name);
	if (ps_nameid_find(map, &name, &id) != 0 && (rc = ps_nameid_add(map, &name, &id)) < 0)
		goto cleanup;
	ps__put64(v, mark);
	if ((rc = ps_props_set(&props, &n, PS_PROP_TAG(id, PS_PT_LONGLONG), v, 8)) < 0)
		goto cleanup;
	rc = pst__folder_set(st, PS_NID_MESSAGE_STORE, props, n);
cleanup:
	ps_props_free(props, n);
	return change_end(st, own, rc);
}

/* ---- items ----------------------------------------------------------------------------------- */

/* The columns of the store's template @p nid, or @p fallback. */
static int template_cols(struct pst_store *st, uint32_t nid, const uint32_t *fallback, size_t nfb,
	uint32_t **cols, size_t *n)
{
	struct pst_table *t = NULL;
	int rc;

	*cols = NULL;
	*n = 0;
	if (table_load(st, nid, &t) < 0) {
		*cols = malloc(nfb * sizeof(**cols));
		if (!*cols)
			return ps_error_set(PS_ENOMEM, "out of memory");
		memcpy(*cols, fallback, nfb * sizeof(**cols));
		*n = nfb;
		return 0;
	}
	*cols = t->cols;
	*n = t->ncols;
	t->cols = NULL;
	t->ncols = 0;
	rc = 0;
	table_free(t);
	return rc;
}

/* The contents-table row of a message from the properties it was written with. */
static int message_row(struct pst_table *t, const ps_prop *props, size_t n,
	const struct pst_row *old, ps_prop **out)
{
	int c, rc;

	if ((rc = cells_from_props(t, props, n, out)) < 0)
		return rc;
	/* PidTagMessageStatus lives in the row only (0 in Outlook's new rows);
	 * a table kept block by block finds the old row's itself. */
	c = col_index(t, PS_PROP_TAG(PS_PID_MESSAGE_STATUS, PS_PT_LONG));
	if (c >= 0 && !(*out)[c].data && !t->big) {
		uint8_t zero[4] = { 0, 0, 0, 0 };
		const void *v = old && old->cells && old->cells[c].data ? old->cells[c].data : zero;
		if ((rc = prop_copy(&(*out)[c], v, 4, t->cols[c])) < 0)
			goto fail;
	}
	/* PidTagConversationId, computed as [MS-OXOMSG] 2.2.1.3 says when the
	 * conversation index is tracked: its GUID part, bytes 6-21. */
	c = col_index(t, PS_PROP_TAG(PS_PID_CONVERSATION_ID, PS_PT_BINARY));
	if (c >= 0 && !(*out)[c].data) {
		const ps_prop *idx = props_find_tag(props, n, PS_PROP_TAG(PS_PID_CONVERSATION_INDEX, PS_PT_BINARY));
		const ps_prop *trk = props_find_id(props, n, PS_PID_CONVERSATION_INDEX_TRACKING);
		if (idx && idx->size >= 22 && trk && trk->size >= 1 && trk->data[0] &&
		    (rc = prop_copy(&(*out)[c], idx->data + 6, 16,
			PS_PROP_TAG(PS_PID_CONVERSATION_ID, PS_PT_BINARY))) < 0)
			goto fail;
	}
	return 0;
fail:
	cells_free(*out, t->ncols);
	*out = NULL;
	return rc;
}

/* Whether @p item holds PidLidReferenceEntryId, its own entry ID (contacts). */
static int has_own_entry_id(const ps_item *item)
{
	size_t i;

	for (i = 0; i < item->props.count; i++) {
		const ps_prop *p = &item->props.props[i];
		if (PS_PROP_ID(p->tag) >= 0x8000 && p->size == 24 && p->named.kind == PS_NAME_ID &&
		    p->named.lid == 0x85BD && memcmp(p->named.guid.bytes, PS_PSETID_COMMON.bytes, 16) == 0)
			return 1;
	}
	return 0;
}

int pst__put_item(struct ps_store *store, uint32_t folder_nid, const ps_item *item,
	uint32_t replace_nid, uint32_t *nid_out)
{
	struct pst_store *st = (struct pst_store *)store;
	ps_msg_build_ctx ctx;
	struct pst_table *t;
	struct pst_folder *f;
	ps_node_image img;
	ps_prop *props = NULL, *cells = NULL;
	ps_nbt_entry e;
	size_t n = 0;
	uint32_t nid = replace_nid;
	unsigned ttype = PS_NID_TYPE_CONTENTS_TABLE;
	int own, rc;

	if (nid_out)
		*nid_out = 0;
	memset(&img, 0, sizeof(img));
	if ((rc = check_normal_folder(st, folder_nid, &e)) < 0)
		return rc;
	if (replace_nid) {
		if ((PS_NID_TYPE(replace_nid) != PS_NID_TYPE_NORMAL_MESSAGE &&
		     PS_NID_TYPE(replace_nid) != PS_NID_TYPE_ASSOC_MESSAGE) ||
		    ps_ndb_nbt_lookup(st->ndb, replace_nid, &e) < 0)
			return ps_error_set(PS_ENOTFOUND, "no item 0x%x in '%s'", replace_nid, store->path);
		if (e.nid_parent != folder_nid)
			return ps_error_set(PS_EINVAL, "item 0x%x of '%s' is not in folder 0x%x",
				replace_nid, store->path, folder_nid);
		if (PS_NID_TYPE(replace_nid) == PS_NID_TYPE_ASSOC_MESSAGE)
			ttype = PS_NID_TYPE_ASSOC_CONTENTS_TABLE;
	} else if (item->assoc) {
		/* a hidden item (a view, a folder's settings) goes with the folder */
		ttype = PS_NID_TYPE_ASSOC_CONTENTS_TABLE;
	}
	if ((rc = change_begin(st, &own)) < 0)
		return rc;
	memset(&ctx, 0, sizeof(ctx));
	ctx.tx = st->tx;
	ctx.path = store->path;
	if ((rc = pst__map(st, &ctx.map)) < 0)
		goto cleanup;
	if (!st->recip_cols &&
	    ((rc = template_cols(st, PS_NID_RECIPIENT_TEMPLATE, ps_tpl_recipients,
		ps_tpl_recipients_count, &st->recip_cols, &st->nrecip_cols)) < 0 ||
	     (rc = template_cols(st, PS_NID_ATTACHMENT_TEMPLATE, ps_tpl_attachments,
		ps_tpl_attachments_count, &st->att_cols, &st->natt_cols)) < 0))
		goto cleanup;
	ctx.recip_cols = st->recip_cols;
	ctx.nrecip_cols = st->nrecip_cols;
	ctx.att_cols = st->att_cols;
	ctx.natt_cols = st->natt_cols;
	/* an item that holds its own entry ID gets its NID first, to name itself */
	if (!nid && has_own_entry_id(item) &&
	    (rc = ps_ndb_tx_new_nid(st->tx, ttype == PS_NID_TYPE_ASSOC_CONTENTS_TABLE ?
		PS_NID_TYPE_ASSOC_MESSAGE : PS_NID_TYPE_NORMAL_MESSAGE, &nid)) < 0)
		goto cleanup;
	ctx.record_key = st->has_record_key ? st->record_key : NULL;
	ctx.self_nid = nid;
	if ((rc = table_get(st, table_of(folder_nid, ttype), &t)) < 0)
		goto cleanup;
	if ((rc = ps_msg_build(&ctx, item, &img, &props, &n)) < 0) {
		/* an item this writer cannot store: refused alone (errors.h: item scope) */
		if (rc == PS_EINVAL || rc == PS_EUNSUPPORTED)
			rc = ps_error_prefix(PS_EITEM, "cannot write the item to '%s'", store->path);
		goto cleanup;
	}
	if (!nid && (rc = ps_ndb_tx_new_nid(st->tx, ttype == PS_NID_TYPE_ASSOC_CONTENTS_TABLE ?
		PS_NID_TYPE_ASSOC_MESSAGE : PS_NID_TYPE_NORMAL_MESSAGE, &nid)) < 0)
		goto cleanup;
	if ((rc = ps_ndb_tx_put_node(st->tx, nid, folder_nid, &img)) < 0 ||
	    (rc = message_row(t, props, n, replace_nid && !t->big ? table_find(t, nid) : NULL, &cells)) < 0)
		goto cleanup;
	if (t->big && (rc = pst__big_put(st, t->big, nid, cells, replace_nid != 0)) == 1) {
		/* a value this layout cannot hold: the table goes back to whole rows */
		cells_free(cells, t->ncols);
		cells = NULL;
		if ((rc = table_to_rows(st, t)) < 0 ||
		    (rc = message_row(t, props, n, replace_nid ? table_find(t, nid) : NULL, &cells)) < 0)
			goto cleanup;
		rc = table_put(t, nid, cells);
	} else if (!t->big) {
		rc = table_put(t, nid, cells);
	}
	cells = NULL;
	if (rc < 0 || (rc = folder_touch(st, folder_nid, &f)) < 0)
		goto cleanup;
	f->counts = 1;
	if ((rc = suq_add(st, replace_nid ? SUDT_MSG_MOD : SUDT_MSG_ADD, 0, folder_nid, folder_nid, nid)) < 0)
		goto cleanup;
	recent_note(st, nid, props, n);
	st->skipped = ctx.skipped;
	if (ctx.skipped)
		ps_store__warn(&st->base, "'%s': item 0x%x: %u propert%s could not be written (type 0x0000, "
			"a bad size or a named property without a name) and %s left out", store->path,
			nid, ctx.skipped, ctx.skipped == 1 ? "y" : "ies", ctx.skipped == 1 ? "was" : "were");
	if (nid_out)
		*nid_out = nid;
cleanup:
	ps_node_image_clear(&img);
	ps_props_free(props, n);
	return change_end(st, own, rc);
}

int pst__delete_item(struct ps_store *store, uint32_t nid)
{
	struct pst_store *st = (struct pst_store *)store;
	struct pst_table *t;
	struct pst_folder *f;
	ps_nbt_entry e;
	unsigned ttype;
	int own, rc;

	if ((PS_NID_TYPE(nid) != PS_NID_TYPE_NORMAL_MESSAGE && PS_NID_TYPE(nid) != PS_NID_TYPE_ASSOC_MESSAGE) ||
	    ps_ndb_nbt_lookup(st->ndb, nid, &e) < 0)
		return ps_error_set(PS_ENOTFOUND, "no item 0x%x in '%s'", nid, store->path);
	ttype = PS_NID_TYPE(nid) == PS_NID_TYPE_ASSOC_MESSAGE ? PS_NID_TYPE_ASSOC_CONTENTS_TABLE :
		PS_NID_TYPE_CONTENTS_TABLE;
	if ((rc = change_begin(st, &own)) < 0)
		return rc;
	if ((rc = ps_ndb_tx_delete_node(st->tx, nid)) < 0 ||
	    (rc = table_get(st, table_of(e.nid_parent, ttype), &t)) < 0)
		goto cleanup;
	table_delete(t, nid);
	recent_forget(st, nid);
	if ((rc = folder_touch(st, e.nid_parent, &f)) < 0)
		goto cleanup;
	f->counts = 1;
	rc = suq_add(st, SUDT_MSG_DEL, 0, e.nid_parent, e.nid_parent, nid);
cleanup:
	return change_end(st, own, rc);
}
