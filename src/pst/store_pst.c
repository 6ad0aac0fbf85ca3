/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The PST store backend on pstsync's own code: reading with the NDB and LTP
 * readers of src/pst, writing through NDB transactions (ndb_write.h) and
 * the LTP builders (ltp_write.h). Stores opened with PS_STORE_WRITE and
 * stores made by ps_store_create() use it; its reads give the same answers
 * as the libpff backend (folder paths, summaries, item property sets), which
 * tests/test_store_pst.c checks on every sample.
 *
 * Writes are batched per transaction: a put or delete writes the item's own
 * node at once and records the change of its folder's contents table in a
 * table cache (store_tables.c); each touched table, folder PC, hierarchy
 * row, the name-to-id map and the search management queue are written once,
 * when the transaction commits (or before a read needs them), so that ten
 * thousand items in one transaction cost ten thousand item writes and one
 * table rebuild per folder, not ten thousand.
 */
#include "pst/store_pst.h"

#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Folders nest far less deeply in practice; the bound keeps a cyclic or
 * forged hierarchy from recursing without end (as the libpff backend). */
#define MAX_FOLDER_DEPTH 64

/* ---- opening ----------------------------------------------------------------- */

/* 1 when @p nid is a folder of the store: a normal folder node with a PC. */
static int is_folder(struct pst_store *st, uint32_t nid)
{
	ps_pc pc;

	if ((nid & 0x1F) != 0x02 || ps_pc_open_nid(&pc, st->ndb, nid) < 0) {
		ps_error_clear();
		return 0;
	}
	ps_pc_close(&pc);
	return 1;
}

/* How many subfolders of folder @p nid hold items of Outlook's kinds
 * (container class IPF.*). */
static int ipm_children(struct pst_store *st, uint32_t nid)
{
	uint32_t *subs = NULL;
	size_t n = 0, i;
	int score = 0;

	if (pst__table_rows(st, PS_NID_MAKE(PS_NID_TYPE_HIERARCHY_TABLE, nid >> 5), &subs, &n) < 0) {
		ps_error_clear();
		return 0;
	}
	for (i = 0; i < n; i++) {
		ps_pc pc;
		char *cls;
		if (ps_pc_open_nid(&pc, st->ndb, subs[i]) < 0)
			continue;
		cls = pst__pc_string(&pc, PS_PID_CONTAINER_CLASS);
		if (cls && strncmp(cls, "IPF.", 4) == 0)
			score++;
		free(cls);
		ps_pc_close(&pc);
	}
	free(subs);
	ps_error_clear();
	return score;
}

/*
 * The IPM subtree when the message store does not name it by NID (an OST,
 * whose entry ID is Exchange's long-term id): the folder below the root
 * folder that holds Outlook's folders ("Top of Information Store"), beside
 * the search root, views, shortcuts and schedule folders that hold none,
 * as the libpff backend finds it. A PST's NID_IPM_SUBTREE (0x8022) when
 * there is nothing to choose from.
 */
static uint32_t find_ipm_subtree(struct pst_store *st)
{
	uint32_t *subs = NULL, best = 0;
	size_t n = 0, i;
	int score, best_score = 0;

	if (pst__table_rows(st, PS_NID_MAKE(PS_NID_TYPE_HIERARCHY_TABLE, PS_NID_ROOT_FOLDER >> 5),
	    &subs, &n) == 0) {
		for (i = 0; i < n; i++) {
			score = ipm_children(st, subs[i]);
			if (score > best_score) {
				best_score = score;
				best = subs[i];
			}
		}
	}
	free(subs);
	ps_error_clear();
	if (best)
		return best;
	return is_folder(st, 0x8022) ? 0x8022 : PS_NID_ROOT_FOLDER;
}

static int load_store_props(struct pst_store *st)
{
	const ps_ltp_value *v;
	ps_pc pc;
	size_t size;
	uint32_t nid;
	int rc;

	rc = ps_pc_open_nid(&pc, st->ndb, PS_NID_MESSAGE_STORE);
	if (rc < 0)
		return ps_error_set(PS_ECORRUPT, "cannot open '%s': its message store is damaged",
			st->base.path ? st->base.path : ps_ndb_name(st->ndb));
	v = ps_pc_find(&pc, PS_PID_RECORD_KEY);
	if (v && v->size == 16) {
		memcpy(st->record_key, v->value, 16);
		st->has_record_key = 1;
	}
	/* A PST's entry ID is 4 flag bytes, the store's provider UID (its
	 * record key) and the NID; an OST's is longer, with the NID in the same
	 * place or none at all */
	v = ps_pc_find(&pc, PS_PID_IPM_SUBTREE_ENTRYID);
	size = v ? v->size : 0;
	nid = size >= 24 ? ps_get32(v->value + 20) : 0;
	ps_pc_close(&pc);
	if (size == 24)
		st->ipm_subtree_nid = nid;
	else if (size > 24)
		st->ipm_subtree_nid = is_folder(st, nid) ? nid : find_ipm_subtree(st);
	else
		st->ipm_subtree_nid = 0x8022;
	return 0;
}

int pst__store_init(struct pst_store *st)
{
	const ps_ndb_header *h = ps_ndb_header_get(st->ndb);
	int rc;

	st->unicode = h->unicode;
	st->encryption = h->crypt;
	if ((rc = load_store_props(st)) < 0)
		return rc;
	return 0;
}

static int pst_open(struct ps_store **out, const char *path, unsigned flags)
{
	struct pst_store *st;
	int rc;

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return ps_error_set(PS_ENOMEM, "out of memory opening '%s'", path);
	st->writable = (flags & PS_STORE_WRITE) != 0;
	if (st->writable) {
		rc = ps_ndb_open_write(&st->ndb, path);
		if (rc == PS_EUNSUPPORTED) {
			/* Say plainly why an ANSI store is not written. */
			ps_ndb *probe = NULL;
			ps_file *f = NULL;
			uint8_t magic[10];
			if (ps_ndb_open(&probe, path, 0) == 0 && !ps_ndb_header_get(probe)->unicode)
				rc = ps_error_set(PS_EUNSUPPORTED, "cannot write '%s': it is an ANSI store "
					"(Outlook 97-2002); convert it to a Unicode PST first", path);
			ps_ndb_close(probe);
			/* An OST is Outlook's copy of an Exchange mailbox: Exchange owns
			 * it, and Outlook would take any change for damage */
			if (ps_file_open(&f, path, PS_OPEN_READ) == PS_OK &&
			    ps_file_read_at(f, 0, magic, sizeof(magic)) == PS_OK &&
			    memcmp(magic, "!BDN", 4) == 0 && magic[8] == 'S' && magic[9] == 'O')
				rc = ps_error_set(PS_EUNSUPPORTED, "cannot write '%s': it is an OST file "
					"(Outlook's offline copy of an Exchange mailbox), which pstsync only "
					"reads; use it as the local store of a to-global link", path);
			ps_file_close(f);
		}
	} else {
		rc = ps_ndb_open(&st->ndb, path, (flags & PS_STORE_SHARED) ?
			PS_NDB_OPEN_SHARED_LOCK | PS_NDB_OPEN_OST : 0);
	}
	if (rc < 0) {
		free(st);
		return rc;
	}
	if ((rc = pst__store_init(st)) < 0) {
		ps_ndb_close(st->ndb);
		free(st);
		return rc;
	}
	*out = &st->base;
	return 0;
}

static void pst_close(struct ps_store *store)
{
	struct pst_store *st = (struct pst_store *)store;

	pst__tx_drop(st);
	pst__recent_clear(st);
	ps_nameid_free(st->map);
	ps_ndb_close(st->ndb);
	free(st->recip_cols);
	free(st->att_cols);
	free(st);
}

int pst__map(struct pst_store *st, ps_nameid_map **out)
{
	int rc;

	if (!st->map && (rc = ps_nameid_load(&st->map, st->ndb)) < 0)
		return ps_error_prefix(rc, "cannot read the named property map of '%s'", st->base.path);
	*out = st->map;
	return 0;
}

static int pst_get_info(struct ps_store *store, ps_store_info *info)
{
	struct pst_store *st = (struct pst_store *)store;
	const ps_ltp_value *v;
	ps_pc pc;
	int rc;

	if ((rc = pst__flush(st)) < 0)
		return rc;
	info->unicode = st->unicode;
	info->ost = ps_ndb_header_get(st->ndb)->ost;
	info->encryption = st->encryption;
	info->file_size = ps_ndb_size(st->ndb);
	memcpy(info->record_key, st->record_key, 16);
	info->has_record_key = st->has_record_key;
	info->ipm_subtree_nid = st->ipm_subtree_nid;
	if (ps_pc_open_nid(&pc, st->ndb, PS_NID_MESSAGE_STORE) == 0) {
		info->display_name = pst__pc_string(&pc, PS_PID_DISPLAY_NAME);
		v = ps_pc_find(&pc, PS_PID_PST_PASSWORD);
		info->password_protected = v && v->size == 4 && ps_get32(v->value) != 0;
		ps_pc_close(&pc);
	}
	if ((rc = pst__sync_mark(st, &info->sync_mark)) < 0) {
		/* the caller frees nothing of a failed call */
		free(info->display_name);
		info->display_name = NULL;
		return rc;
	}
	info->has_sync_mark = 1;
	if (ps_pc_open_nid(&pc, st->ndb, PS_NID_MESSAGE_STORE) == 0) {
		v = ps_pc_find(&pc, 0x35E3); /* PidTagIpmWastebasketEntryId */
		if (v && v->size == 24)
			info->wastebasket_nid = ps_get32(v->value + 20);
		ps_pc_close(&pc);
	}
	if (!info->display_name)
		info->display_name = ps__strdup("");
	if (!info->display_name)
		return ps_error_set(PS_ENOMEM, "out of memory");
	return 0;
}

/* ---- values --------------------------------------------------------------------- */

char *pst__value_string(const ps_ltp_value *v)
{
	ps_prop p;

	if (!v)
		return NULL;
	memset(&p, 0, sizeof(p));
	p.tag = PS_PROP_TAG(v->id, v->type);
	p.data = (uint8_t *)v->value;
	p.size = v->size;
	if (v->type != PS_PT_UNICODE && v->type != PS_PT_STRING8)
		return NULL;
	if (v->size == 0)
		return ps__strdup("");
	return ps_prop_to_utf8(&p);
}

char *pst__pc_string(const ps_pc *pc, uint16_t id)
{
	return pst__value_string(ps_pc_find(pc, id));
}

static int64_t value_int(const ps_ltp_value *v, int64_t fallback)
{
	ps_prop p;

	if (!v)
		return fallback;
	memset(&p, 0, sizeof(p));
	p.tag = PS_PROP_TAG(v->id, v->type);
	p.data = (uint8_t *)v->value;
	p.size = v->size;
	return ps_prop_int(&p, fallback);
}

/* ---- folders ------------------------------------------------------------------------ */

int pst__table_rows(struct pst_store *st, uint32_t table_nid, uint32_t **ids, size_t *count)
{
	ps_tc tc;
	size_t i;

	*ids = NULL;
	*count = 0;
	if (ps_tc_open_nid(&tc, st->ndb, table_nid) < 0)
		return PS_EFOLDER;
	*ids = malloc((tc.row_count + 1) * sizeof(**ids));
	if (!*ids) {
		ps_tc_close(&tc);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	/* In the order of the row index (by row id), the order libpff gives. */
	for (i = 0; i < tc.row_count; i++)
		(*ids)[i] = tc.rows[i].id;
	*count = tc.row_count;
	ps_tc_close(&tc);
	return 0;
}

struct walk {
	struct pst_store *st;
	ps_folder_cb cb;
	void *ctx;
	int tree_only;             /* ps_store_walk_tree(): no contents table is read */
	uint32_t seen[MAX_FOLDER_DEPTH];
};

static int walk_folder(struct walk *w, uint32_t nid, uint32_t parent_nid, const char *path,
	int depth);

/*
 * Sibling folders with the same name (Outlook forbids them, other tools make
 * them) would share a path; the later ones get their NID added, " (0x8062)",
 * so that every path names one folder.
 */
static int walk_subfolders(struct walk *w, uint32_t nid, const char *path, int depth)
{
	struct pst_store *st = w->st;
	uint32_t *subs = NULL;
	char **names = NULL;
	size_t n = 0, i, j;
	int rc;

	rc = pst__table_rows(st, PS_NID_MAKE(PS_NID_TYPE_HIERARCHY_TABLE, nid >> 5), &subs, &n);
	if (rc == PS_EFOLDER) {
		ps_store__warn(&st->base, "'%s': the subfolder list of folder '%s' is damaged; "
			"its subfolders are skipped", st->base.path, path);
		return 0;
	}
	if (rc < 0)
		return rc;
	names = calloc(n + 1, sizeof(*names));
	PS_CHECK_ALLOC(names, rc);
	for (i = 0; i < n; i++) {
		ps_pc pc;
		if (ps_pc_open_nid(&pc, st->ndb, subs[i]) == 0) {
			names[i] = pst__pc_string(&pc, PS_PID_DISPLAY_NAME);
			ps_pc_close(&pc);
		}
		if (!names[i])
			names[i] = ps__asprintf("folder-0x%x", subs[i]);
		PS_CHECK_ALLOC(names[i], rc);
	}
	for (i = 0; i < n && rc == 0; i++) {
		char *subpath;
		int duplicate = 0;
		for (j = 0; j < i; j++)
			if (strcmp(names[j], names[i]) == 0)
				duplicate = 1;
		subpath = ps_store__child_path(path, names[i], duplicate, subs[i]);
		if (!subpath)
			rc = ps_error_set(PS_ENOMEM, "out of memory");
		else
			rc = walk_folder(w, subs[i], nid, subpath, depth + 1);
		free(subpath);
		if (rc == PS_EFOLDER) {
			ps_store__warn(&st->base, "%s", ps_error_last());
			rc = 0;
		}
	}
cleanup:
	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
	free(subs);
	return rc;
}

static int walk_folder(struct walk *w, uint32_t nid, uint32_t parent_nid, const char *path,
	int depth)
{
	struct pst_store *st = w->st;
	ps_folder_info info;
	char *name = NULL, *cls = NULL;
	uint32_t *ids = NULL;
	size_t n = 0;
	ps_pc pc;
	int i, rc;

	memset(&info, 0, sizeof(info));
	for (i = 0; i < depth; i++) {
		if (w->seen[i] == nid) {
			ps_store__warn(&st->base, "'%s': folder %s appears inside itself; "
				"its subfolders are skipped", st->base.path, path);
			return 0;
		}
	}
	w->seen[depth] = nid;
	if (ps_pc_open_nid(&pc, st->ndb, nid) < 0)
		return ps_error_set(PS_EFOLDER, "cannot read a folder of '%s': folder 0x%x is damaged",
			st->base.path, nid);
	name = pst__pc_string(&pc, PS_PID_DISPLAY_NAME);
	cls = pst__pc_string(&pc, PS_PID_CONTAINER_CLASS);
	info.unread_count = (uint32_t)value_int(ps_pc_find(&pc, PS_PID_CONTENT_UNREAD), 0);
	ps_pc_close(&pc);
	if (w->tree_only)
		goto counted;
	/* the count from the row index alone: a walk does not read every
	 * folder's items */
	rc = ps_tc_row_count(st->ndb, PS_NID_MAKE(PS_NID_TYPE_CONTENTS_TABLE, nid >> 5), &n);
	if (rc == PS_ECORRUPT || rc == PS_ENOTFOUND) {
		ps_store__warn(&st->base, "'%s': the item list of folder '%s' is damaged; "
			"its items are skipped", st->base.path, path);
		info.damaged = 1;
		rc = 0;
	} else if (rc < 0) {
		goto cleanup;
	}
	info.item_count = (uint32_t)n;
	rc = pst__table_rows(st, PS_NID_MAKE(PS_NID_TYPE_HIERARCHY_TABLE, nid >> 5), &ids, &n);
	if (rc == PS_EFOLDER) {
		info.damaged = 1;
		n = 0;
	} else if (rc < 0) {
		goto cleanup;
	}
	free(ids);
	info.subfolder_count = (uint32_t)n;
counted:
	info.nid = nid;
	info.parent_nid = parent_nid;
	info.path = path;
	info.name = name ? name : "";
	info.container_class = cls ? cls : "";
	info.depth = depth;
	rc = w->cb(&info, w->ctx);
	if (rc != 0)
		goto cleanup;
	if (depth + 1 >= MAX_FOLDER_DEPTH) {
		if (n > 0)
			ps_store__warn(&st->base, "'%s': folders below '%s' nest deeper than %d "
				"levels and are skipped", st->base.path, path, MAX_FOLDER_DEPTH);
		goto cleanup;
	}
	rc = walk_subfolders(w, nid, path, depth);
cleanup:
	free(name);
	free(cls);
	return rc;
}

static int walk_all(struct ps_store *store, ps_folder_cb cb, void *ctx, int tree_only)
{
	struct pst_store *st = (struct pst_store *)store;
	struct walk *w;
	int rc;

	if ((rc = pst__flush(st)) < 0)
		return rc;
	w = calloc(1, sizeof(*w));
	if (!w)
		return ps_error_set(PS_ENOMEM, "out of memory");
	w->st = st;
	w->cb = cb;
	w->ctx = ctx;
	w->tree_only = tree_only;
	rc = walk_folder(w, st->ipm_subtree_nid, 0, "/", 0);
	if (rc == PS_EFOLDER)
		rc = ps_error_set(PS_ECORRUPT, "cannot find the top folder of '%s'", store->path);
	free(w);
	return rc;
}

static int pst_walk_folders(struct ps_store *store, ps_folder_cb cb, void *ctx)
{
	return walk_all(store, cb, ctx, 0);
}

static int pst_walk_tree(struct ps_store *store, ps_folder_cb cb, void *ctx)
{
	return walk_all(store, cb, ctx, 1);
}

int pst__check_folder(struct pst_store *st, uint32_t nid)
{
	ps_nbt_entry e;

	if (PS_NID_TYPE(nid) != PS_NID_TYPE_NORMAL_FOLDER && PS_NID_TYPE(nid) != PS_NID_TYPE_SEARCH_FOLDER)
		return ps_error_set(PS_ENOTFOUND, "0x%x is not a folder in '%s'", nid, st->base.path);
	if (ps_ndb_nbt_lookup(st->ndb, nid, &e) < 0)
		return ps_error_set(PS_ENOTFOUND, "no folder 0x%x in '%s'", nid, st->base.path);
	return 0;
}

/* ---- items ---------------------------------------------------------------------------- */

/* A cell of column @p c (-1: the table has none), pointing into the table. */
static int cell_get(const ps_tc *tc, size_t r, int c, ps_ltp_value *v)
{
	if (c < 0)
		return PS_ENOTFOUND;
	return ps_tc_cell_ref(tc, r, (size_t)c, v);
}

static int64_t cell_int(const ps_tc *tc, size_t r, int c, int64_t fallback)
{
	ps_ltp_value v;
	int64_t x;

	if (cell_get(tc, r, c, &v) < 0)
		return fallback;
	x = value_int(&v, fallback);
	ps_ltp_value_clear(&v);
	return x;
}

static char *cell_string(const ps_tc *tc, size_t r, int c)
{
	ps_ltp_value v;
	char *s;

	if (cell_get(tc, r, c, &v) < 0)
		return NULL;
	s = pst__value_string(&v);
	ps_ltp_value_clear(&v);
	return s;
}

static uint8_t *cell_bytes(const ps_tc *tc, size_t r, int c, size_t *size)
{
	ps_ltp_value v;
	uint8_t *p;

	*size = 0;
	if (cell_get(tc, r, c, &v) < 0)
		return NULL;
	p = malloc(v.size + 1);
	if (p) {
		if (v.size)
			memcpy(p, v.value, v.size);
		*size = v.size;
	}
	ps_ltp_value_clear(&v);
	return p;
}

static int cell_present(const ps_tc *tc, size_t r, int c)
{
	ps_ltp_value v;

	if (cell_get(tc, r, c, &v) < 0)
		return 0;
	ps_ltp_value_clear(&v);
	return 1;
}

static uint8_t *pc_bytes(const ps_pc *pc, uint16_t id, size_t *size)
{
	const ps_ltp_value *v = ps_pc_find(pc, id);
	uint8_t *p;

	*size = 0;
	if (!v)
		return NULL;
	p = malloc(v->size + 1);
	if (p && v->size)
		memcpy(p, v->value, v->size);
	if (p)
		*size = v->size;
	return p;
}

/* A subject may start with 0x01 and a character giving the length of its
 * prefix ("RE: "); the marker is no part of what Outlook shows. */
static void strip_subject_marker(char *subject)
{
	if (subject && subject[0] == 0x01 && subject[1] != '\0')
		memmove(subject, subject + 2, strlen(subject + 2) + 1);
}

/* What a listing gives of an item, from its own properties. */
static void summary_from_pc(const ps_pc *pc, ps_item_summary *sum, char **cls, char **subject,
	uint8_t **search_key, uint8_t **change_key)
{
	*cls = pst__pc_string(pc, PS_PID_MESSAGE_CLASS);
	*subject = pst__pc_string(pc, PS_PID_SUBJECT);
	if (!*subject)
		*subject = pst__pc_string(pc, PS_PID_DISPLAY_NAME);
	sum->modified = (uint64_t)value_int(ps_pc_find(pc, PS_PID_LAST_MODIFIED), 0);
	sum->size = (uint64_t)value_int(ps_pc_find(pc, PS_PID_MESSAGE_SIZE), 0);
	sum->flags = (uint32_t)value_int(ps_pc_find(pc, PS_PID_MESSAGE_FLAGS), 0);
	*search_key = pc_bytes(pc, PS_PID_SEARCH_KEY, &sum->search_key_size);
	*change_key = pc_bytes(pc, PS_PID_CHANGE_KEY, &sum->change_key_size);
}

/* The rows of contents table @p ttype (normal or associated) of a folder. */
static int list_table(struct ps_store *store, uint32_t folder_nid, unsigned ttype, ps_item_cb cb,
	void *ctx)
{
	struct pst_store *st = (struct pst_store *)store;
	int c_cls, c_subject, c_name, c_modified, c_size, c_flags, c_skey, c_ckey;
	ps_tc tc;
	size_t i;
	int rc;

	if ((rc = pst__flush(st)) < 0)
		return rc;
	if ((rc = pst__check_folder(st, folder_nid)) < 0)
		return rc;
	if (ps_tc_open_nid(&tc, st->ndb, PS_NID_MAKE(ttype, folder_nid >> 5)) < 0)
		return ps_error_set(PS_EFOLDER, "cannot list the items of a folder of '%s': the "
			"contents table of folder 0x%x is damaged", store->path, folder_nid);
	pst__table_adopt(st, PS_NID_MAKE(ttype, folder_nid >> 5), &tc);
	/* the columns once per table, not once per cell */
	c_cls = ps_tc_col_find_id(&tc, PS_PID_MESSAGE_CLASS);
	c_subject = ps_tc_col_find_id(&tc, PS_PID_SUBJECT);
	c_name = ps_tc_col_find_id(&tc, PS_PID_DISPLAY_NAME);
	c_modified = ps_tc_col_find_id(&tc, PS_PID_LAST_MODIFIED);
	c_size = ps_tc_col_find_id(&tc, PS_PID_MESSAGE_SIZE);
	c_flags = ps_tc_col_find_id(&tc, PS_PID_MESSAGE_FLAGS);
	c_skey = ps_tc_col_find_id(&tc, PS_PID_SEARCH_KEY);
	c_ckey = ps_tc_col_find_id(&tc, PS_PID_CHANGE_KEY);
	/* Rows in the order of the row index (by NID), as libpff lists them. */
	for (i = 0; i < tc.row_count && rc == 0; i++) {
		size_t r = i;
		ps_item_summary sum;
		char *cls = NULL, *subject = NULL;
		uint8_t *search_key = NULL, *change_key = NULL;
		uint32_t nid = tc.rows[r].id;

		memset(&sum, 0, sizeof(sum));
		/* A row that lacks the class or the modification time (tables written
		 * by tools other than Outlook) is completed from the message itself. */
		if (!cell_present(&tc, r, c_cls) || !cell_present(&tc, r, c_modified)) {
			ps_pc pc;
			if (ps_pc_open_nid(&pc, st->ndb, nid) < 0) {
				ps_store__warn(&st->base, "'%s': item 0x%x is damaged and skipped", store->path, nid);
				continue;
			}
			summary_from_pc(&pc, &sum, &cls, &subject, &search_key, &change_key);
			ps_pc_close(&pc);
		} else {
			cls = cell_string(&tc, r, c_cls);
			subject = cell_string(&tc, r, c_subject);
			if (!subject)
				subject = cell_string(&tc, r, c_name);
			sum.modified = (uint64_t)cell_int(&tc, r, c_modified, 0);
			sum.size = (uint64_t)cell_int(&tc, r, c_size, 0);
			sum.flags = (uint32_t)cell_int(&tc, r, c_flags, 0);
			search_key = cell_bytes(&tc, r, c_skey, &sum.search_key_size);
			change_key = cell_bytes(&tc, r, c_ckey, &sum.change_key_size);
		}
		strip_subject_marker(subject);
		rc = ps_store__emit_item(&sum, st->record_key, nid, cls, subject, search_key,
			change_key, cb, ctx);
	}
	ps_tc_close(&tc);
	return rc;
}

static int pst_list_items(struct ps_store *store, uint32_t folder_nid, ps_item_cb cb, void *ctx)
{
	return list_table(store, folder_nid, PS_NID_TYPE_CONTENTS_TABLE, cb, ctx);
}

static int pst_list_assoc_items(struct ps_store *store, uint32_t folder_nid, ps_item_cb cb,
	void *ctx)
{
	return list_table(store, folder_nid, PS_NID_TYPE_ASSOC_CONTENTS_TABLE, cb, ctx);
}

/*
 * The items asked for, each from its own properties: the writer puts the
 * same values in the item and in its contents-table row, so this gives what
 * a listing gives, for the cost of those items and not of the folder. No
 * flush is needed: an item is its own node.
 */
static int pst_list_given(struct ps_store *store, uint32_t folder_nid, const uint32_t *nids,
	size_t count, ps_item_cb cb, void *ctx)
{
	struct pst_store *st = (struct pst_store *)store;
	size_t i;
	int rc;

	if ((rc = pst__check_folder(st, folder_nid)) < 0)
		return rc;
	for (i = 0, rc = 0; i < count && rc == 0; i++) {
		const struct pst_recent *r = pst__recent_find(st, nids[i]);
		ps_item_summary sum;
		char *cls = NULL, *subject = NULL, what[32];
		uint8_t *search_key = NULL, *change_key = NULL;
		ps_nbt_entry e;
		ps_pc pc;

		if (r) {
			/* just written: from the properties it was written with */
			if (ps_ndb_nbt_lookup(st->ndb, nids[i], &e) < 0 || e.nid_parent != folder_nid)
				continue;
			memset(&sum, 0, sizeof(sum));
			subject = ps__strdup(r->subject ? r->subject : "");
			if (!subject)
				return ps_error_set(PS_ENOMEM, "out of memory");
			strip_subject_marker(subject);
			sum.nid = nids[i];
			ps_entry_id_make(sum.entry_id, st->record_key, nids[i]);
			sum.message_class = r->cls ? r->cls : "";
			sum.subject = subject;
			sum.modified = r->modified;
			sum.size = r->size;
			sum.flags = r->flags;
			sum.search_key = r->search_key;
			sum.search_key_size = r->search_key_size;
			sum.change_key = r->change_key;
			sum.change_key_size = r->change_key_size;
			rc = cb(&sum, ctx);
			free(subject);
			continue;
		}
		if ((PS_NID_TYPE(nids[i]) != PS_NID_TYPE_NORMAL_MESSAGE &&
		     PS_NID_TYPE(nids[i]) != PS_NID_TYPE_ASSOC_MESSAGE) ||
		    ps_ndb_nbt_lookup(st->ndb, nids[i], &e) < 0 || e.nid_parent != folder_nid)
			continue;
		snprintf(what, sizeof(what), "node 0x%x", nids[i]);
		if (ps_pc_open(&pc, st->ndb, what, nids[i], e.bid_data, e.bid_sub) < 0) {
			ps_store__warn(&st->base, "'%s': item 0x%x is damaged and skipped", store->path, nids[i]);
			continue;
		}
		memset(&sum, 0, sizeof(sum));
		summary_from_pc(&pc, &sum, &cls, &subject, &search_key, &change_key);
		ps_pc_close(&pc);
		strip_subject_marker(subject);
		rc = ps_store__emit_item(&sum, st->record_key, nids[i], cls, subject, search_key,
			change_key, cb, ctx);
	}
	return rc;
}

static int read_message(struct ps_store *store, uint32_t nid, int props_only, ps_item **out)
{
	struct pst_store *st = (struct pst_store *)store;
	ps_nameid_map *map = NULL;
	int rc;

	/* No flush: an item is its own node (and subnodes), written into the
	 * transaction when it was put, and its named properties are resolved
	 * through the map in memory; the tables a flush writes play no part.
	 * (A flush here made reading and writing in turn rebuild the folder's
	 * contents table at every read.) */
	if (PS_NID_TYPE(nid) == PS_NID_TYPE_NORMAL_FOLDER || PS_NID_TYPE(nid) == PS_NID_TYPE_SEARCH_FOLDER) {
		ps_nbt_entry e;
		if (ps_ndb_nbt_lookup(st->ndb, nid, &e) == 0)
			return ps_error_set(PS_EINVAL, "0x%x in '%s' is a folder, not an item", nid, store->path);
	}
	if (PS_NID_TYPE(nid) != PS_NID_TYPE_NORMAL_MESSAGE && PS_NID_TYPE(nid) != PS_NID_TYPE_ASSOC_MESSAGE)
		return ps_error_set(PS_ENOTFOUND, "0x%x in '%s' is not an item", nid, store->path);
	if ((rc = pst__map(st, &map)) < 0)
		return rc;
	return props_only ? ps_msg_read_props(st->ndb, map, nid, store->path, out) :
		ps_msg_read(st->ndb, map, nid, store->path, out);
}

static int pst_read_item(struct ps_store *store, uint32_t nid, ps_item **out)
{
	return read_message(store, nid, 0, out);
}

static int pst_read_props(struct ps_store *store, uint32_t nid, ps_item **out)
{
	return read_message(store, nid, 1, out);
}

static int pst_io_stats(struct ps_store *store, ps_io_stats *out)
{
	struct pst_store *st = (struct pst_store *)store;
	ps_file *f = ps_ndb_file(st->ndb);

	if (!f)
		return PS_EUNSUPPORTED; /* an image in memory */
	ps_file_io(f, out);
	return 0;
}

static int pst_table_stamp(struct ps_store *store, uint32_t folder_nid, uint64_t out[2])
{
	struct pst_store *st = (struct pst_store *)store;
	ps_nbt_entry e;
	int rc;

	/* what the file holds, not what an open transaction will write */
	if (st->tx)
		return PS_EUNSUPPORTED;
	if ((folder_nid & 0x1F) != PS_NID_TYPE_NORMAL_FOLDER)
		return ps_error_set(PS_EINVAL, "0x%x is not a folder of '%s'", folder_nid, store->path);
	rc = ps_ndb_nbt_lookup(st->ndb, PS_NID_MAKE(PS_NID_TYPE_CONTENTS_TABLE, folder_nid >> 5), &e);
	if (rc < 0)
		return rc;
	out[0] = e.bid_data;
	out[1] = e.bid_sub;
	return 0;
}

const struct ps_store_ops ps_store_pst_ops = {
	.name = "pst",
	.open = pst_open,
	.close = pst_close,
	.get_info = pst_get_info,
	.walk_folders = pst_walk_folders,
	.list_items = pst_list_items,
	.list_assoc_items = pst_list_assoc_items,
	.read_item = pst_read_item,
	.read_props = pst_read_props,
	.list_given = pst_list_given,
	.begin = pst__begin,
	.commit = pst__commit,
	.abort = pst__abort,
	.create_folder = pst__create_folder,
	.rename_folder = pst__rename_folder,
	.delete_folder = pst__delete_folder,
	.put_item = pst__put_item,
	.delete_item = pst__delete_item,
	.move_folder = pst__move_folder,
	.set_sync_mark = pst__set_sync_mark,
	.io_stats = pst_io_stats,
	.walk_tree = pst_walk_tree,
	.table_stamp = pst_table_stamp,
};
