/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The recovery store (include/pstsync/recovery.h): a PST of the profile's
 * own that keeps every version a sync overwrites or deletes, with when, why
 * and from where, and gives them back. The sync engine calls it through
 * sync_recovery.c before each batch of destructive actions; `pstsync
 * recover` and the tray list and restore from it.
 *
 * A copy is the item as it was, shallowly extended by the properties of
 * the recovery store (the item itself is not copied: its values are
 * shared, only the array of properties is new).
 */
#include "pstsync/recovery.h"

#include "core/utf.h"
#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/item_edit.h"
#include "pstsync/os.h"
#include "pstsync/sync.h"

#include <stdlib.h>
#include <string.h>

#define TAG_LAST_MODIFIED PS_PROP_TAG(0x3008, PS_PT_SYSTIME)
#define FILETIME_DAY 864000000000ull

/* The properties of our own on each copy. */
enum {
	P_WHEN, P_SYNC, P_WHAT, P_WHY, P_SIDE, P_STORE, P_FOLDER, P_EID, P_MARKER, P_MODIFIED, P_COUNT
};
static const struct {
	const char *name;
	uint16_t type;
} own[P_COUNT] = {
	{ "PstsyncRecoveredWhen", PS_PT_SYSTIME },
	{ "PstsyncRecoveredSync", PS_PT_LONGLONG },
	{ "PstsyncRecoveredWhat", PS_PT_UNICODE },
	{ "PstsyncRecoveredWhy", PS_PT_UNICODE },
	{ "PstsyncRecoveredSide", PS_PT_UNICODE },
	{ "PstsyncRecoveredStore", PS_PT_UNICODE },
	{ "PstsyncRecoveredFolder", PS_PT_UNICODE },
	{ "PstsyncRecoveredEntryId", PS_PT_BINARY },
	{ "PstsyncRecoveredMarker", PS_PT_BINARY },
	{ "PstsyncRecoveredModified", PS_PT_SYSTIME },
};

static const char *const side_folder[2] = { "Local", "Global" };
static const char *const side_name[2] = { "local", "global" };

struct folder_slot {
	char *path;                /* "/Local/Contacts" */
	uint32_t nid;
};

struct ps_recovery {
	ps_store *st;
	char *path;
	char *warning;
	struct folder_slot *folders;   /* every folder, once read (folders_read) */
	size_t nfolders;
	int folders_read;
	int in_tx;
	uint64_t prune_due;            /* ps_recovery_prune_due() */
	/* the strings of the last version handed out */
	char *s_why, *s_store, *s_folder, *s_class, *s_subject;
	uint8_t eid[256];
};

const char *ps_recovery_what_name(int what)
{
	return what == PS_RECOVERY_OVERWRITTEN ? "overwritten" : what == PS_RECOVERY_DELETED ? "deleted" : NULL;
}

int ps_recovery_path(const char *protocol_path, char **out)
{
	const char *base = protocol_path, *p;
	size_t n = strlen(protocol_path);

	for (p = protocol_path; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	if (strncmp(base, "protocol-", 9) == 0 && n > 3 && strcmp(protocol_path + n - 3, ".db") == 0)
		*out = ps__asprintf("%.*srecovery-%.*s.pst", (int)(base - protocol_path), protocol_path,
			(int)(protocol_path + n - 3 - (base + 9)), base + 9);
	else
		*out = ps__asprintf("%s.recovery.pst", protocol_path);
	return *out ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
}

/* "YYYYMMDD-HHMMSS" (UTC) of a FILETIME. */
static void stamp(char *out, size_t size, uint64_t filetime)
{
	int64_t secs = (int64_t)(filetime / 10000000u) - INT64_C(11644473600);
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400, rem = secs - days * 86400;
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);

	snprintf(out, size, "%04d%02d%02d-%02d%02d%02d", (int)(y % 10000), (int)m, (int)d,
		(int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

/* Rename @p path to "PATH.damaged-STAMP"; *aside_out (malloc'ed) says where. */
static int set_aside(const char *path, char **aside_out)
{
	char when[48];

	stamp(when, sizeof(when), ps_time_now());
	*aside_out = ps__asprintf("%s.damaged-%s", path, when);
	if (!*aside_out)
		return ps_error_set(PS_ENOMEM, "out of memory");
	return ps_path_rename(path, *aside_out);
}

int ps_recovery_discard(ps_recovery *r, char **aside_out)
{
	char *path = ps__strdup(r->path);
	int rc;

	*aside_out = NULL;
	if (r->in_tx)
		ps_store_abort(r->st);
	ps_store_close(r->st);
	r->st = NULL;
	r->in_tx = 0;
	ps_recovery_close(r);
	if (!path)
		return ps_error_set(PS_ENOMEM, "out of memory");
	rc = set_aside(path, aside_out);
	free(path);
	return rc;
}

static int create_store(ps_recovery *r)
{
	return ps_store_create(&r->st, r->path, "pstsync recovery");
}

int ps_recovery_open(ps_recovery **out, const char *path, int create)
{
	ps_recovery *r = calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	if (!r || !(r->path = ps__strdup(path))) {
		free(r);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	if (ps_path_kind(path) == PS_PATH_NONE) {
		if (!create) {
			rc = ps_error_set(PS_ENOTFOUND, "no recovery store '%s': no sync has replaced or "
				"deleted anything yet", path);
			goto fail;
		}
		rc = create_store(r);
	} else {
		rc = ps_store_open(&r->st, path, PS_STORE_WRITE);
		if ((rc == PS_ENOTPST || rc == PS_ECORRUPT || rc == PS_EUNSUPPORTED) && create) {
			char *aside = NULL, *why = ps__strdup(ps_error_last());
			if (!why) {
				rc = ps_error_set(PS_ENOMEM, "out of memory");
				goto fail;
			}
			rc = set_aside(path, &aside);
			if (rc == PS_OK) {
				r->warning = ps__asprintf("the recovery store '%s' could not be used (%s): it was "
					"kept as '%s' and a new one started", path, why, aside);
				rc = create_store(r);
			}
			free(aside);
			free(why);
		}
	}
	if (rc < 0)
		goto fail;
	*out = r;
	return PS_OK;
fail:
	ps_recovery_close(r);
	return rc;
}

/* Forget the folders read: a transaction dropped may have made some of them. */
static void cache_clear(ps_recovery *r)
{
	size_t i;

	for (i = 0; i < r->nfolders; i++)
		free(r->folders[i].path);
	free(r->folders);
	r->folders = NULL;
	r->nfolders = 0;
	r->folders_read = 0;
}

void ps_recovery_close(ps_recovery *r)
{
	if (!r)
		return;
	if (r->st) {
		if (r->in_tx)
			ps_store_abort(r->st);
		ps_store_close(r->st);
	}
	cache_clear(r);
	free(r->path);
	free(r->warning);
	free(r->s_why);
	free(r->s_store);
	free(r->s_folder);
	free(r->s_class);
	free(r->s_subject);
	free(r);
}

const char *ps_recovery_warning(const ps_recovery *r)
{
	return r->warning;
}

const char *ps_recovery_file(const ps_recovery *r)
{
	return r->path;
}

int ps_recovery_begin(ps_recovery *r)
{
	int rc = ps_store_begin(r->st);

	r->in_tx = rc == PS_OK;
	return rc;
}

int ps_recovery_commit(ps_recovery *r)
{
	int rc = ps_store_commit(r->st);

	r->in_tx = 0;
	if (rc < 0)
		cache_clear(r);
	return rc;
}

void ps_recovery_abort(ps_recovery *r)
{
	if (r->in_tx)
		ps_store_abort(r->st);
	r->in_tx = 0;
	cache_clear(r);
}

/* ---- folders ------------------------------------------------------------------------- */

static char *unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 3 <= n && (strncmp(s + i, "%2F", 3) == 0 || strncmp(s + i, "%2f", 3) == 0)) {
			*o++ = '/';
			i += 2;
		} else if (s[i] == '%' && i + 3 <= n && strncmp(s + i, "%25", 3) == 0) {
			*o++ = '%';
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static int cache_add(ps_recovery *r, const char *path, uint32_t nid)
{
	struct folder_slot *grown = realloc(r->folders, (r->nfolders + 1) * sizeof(*grown));
	char *copy = ps__strdup(path);

	if (grown)
		r->folders = grown;
	if (!grown || !copy) {
		free(copy);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	r->folders[r->nfolders].path = copy;
	r->folders[r->nfolders++].nid = nid;
	return PS_OK;
}

static int cache_find(const ps_recovery *r, const char *path, size_t len, uint32_t *nid)
{
	size_t i;

	for (i = 0; i < r->nfolders; i++) {
		if (strlen(r->folders[i].path) == len && memcmp(r->folders[i].path, path, len) == 0) {
			*nid = r->folders[i].nid;
			return 1;
		}
	}
	return 0;
}

static int cache_cb(const ps_folder_info *f, void *ctx)
{
	return cache_add(ctx, f->path, f->nid);
}

/* The recovery folder of @p side and @p folder, made when @p make. The
 * folders are read once (one walk), then made and remembered as needed. */
static int folder_of(ps_recovery *r, int side, const char *folder, const char *cls, int make,
	uint32_t *nid_out)
{
	char *path = ps__asprintf("/%s%s", side_folder[side & 1], strcmp(folder, "/") == 0 ? "" : folder);
	uint32_t nid = 0;
	const char *p, *q;
	int rc = PS_OK;

	if (!path)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (!r->folders_read) {
		if ((rc = ps_store_walk_folders(r->st, cache_cb, r)) < 0)
			goto cleanup;
		r->folders_read = 1;
	}
	if (cache_find(r, path, strlen(path), nid_out))
		goto cleanup;
	if (!make || !cache_find(r, "/", 1, &nid)) {
		rc = ps_error_set(PS_ENOTFOUND, "no folder '%s' in the recovery store '%s'", path, r->path);
		goto cleanup;
	}
	/* component by component from the top: "/Local", "/Local/Contacts", ... */
	for (p = path + 1; *p; p = *q ? q + 1 : q) {
		uint32_t child = 0;
		char *name, *sub;
		for (q = p; *q && *q != '/'; q++)
			;
		if (cache_find(r, path, (size_t)(q - path), &child)) {
			nid = child;
			continue;
		}
		if (!(name = unescape(p, (size_t)(q - p))) || !(sub = ps__strndup(path, (size_t)(q - path)))) {
			free(name);
			rc = ps_error_set(PS_ENOMEM, "out of memory");
			goto cleanup;
		}
		rc = ps_store_create_folder(r->st, nid, name, *q ? "IPF.Note" : (cls && *cls ? cls : "IPF.Note"),
			&child);
		if (rc == PS_EEXISTS)
			rc = PS_OK;
		if (rc == PS_OK)
			rc = cache_add(r, sub, child);
		free(name);
		free(sub);
		if (rc < 0)
			goto cleanup;
		nid = child;
	}
	*nid_out = nid;
cleanup:
	free(path);
	return rc;
}

/* ---- our own properties ----------------------------------------------------------------- */

static int is_own(const ps_prop *p)
{
	return PS_PROP_ID(p->tag) >= 0x8000 && p->named.kind == PS_NAME_STRING && p->named.name &&
		memcmp(p->named.guid.bytes, PS_PSETID_PSTSYNC.bytes, 16) == 0;
}

static int own_index(const ps_prop *p)
{
	int i;

	if (!is_own(p))
		return -1;
	for (i = 0; i < P_COUNT; i++)
		if (strcmp(p->named.name, own[i].name) == 0)
			return i;
	return -1;
}

/* Fill @p p (zeroed) as own property @p i with a copy of @p data. */
static int own_make(ps_prop *p, int i, const void *data, size_t size)
{
	memset(p, 0, sizeof(*p));
	p->tag = PS_PROP_TAG(0xFFFE, own[i].type); /* a writer maps the name to its own id */
	p->named.kind = PS_NAME_STRING;
	p->named.guid = PS_PSETID_PSTSYNC;
	if (!(p->named.name = ps__strdup(own[i].name)))
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (size && !(p->data = malloc(size))) {
		free(p->named.name);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	if (size)
		memcpy(p->data, data, size);
	p->size = size;
	return PS_OK;
}

static int own_text(ps_prop *p, int i, const char *text)
{
	size_t n = 0;
	uint8_t *u = ps_utf8_to_utf16le(text ? text : "", &n);
	int rc;

	if (!u)
		return ps_error_set(PS_ENOMEM, "out of memory");
	rc = own_make(p, i, u, n);
	free(u);
	return rc;
}

static int own_u64(ps_prop *p, int i, uint64_t v)
{
	uint8_t b[8];

	ps__put64(b, v);
	return own_make(p, i, b, 8);
}

/* The folder class Outlook shows items of @p item's class in. */
static const char *class_folder(const ps_item *item)
{
	static const char *const map[][2] = {
		{ "IPM.Contact", "IPF.Contact" }, { "IPM.DistList", "IPF.Contact" },
		{ "IPM.Appointment", "IPF.Appointment" }, { "IPM.Task", "IPF.Task" },
		{ "IPM.StickyNote", "IPF.StickyNote" }, { "IPM.Activity", "IPF.Journal" },
	};
	const ps_prop *p = ps_propset_find_id(&item->props, 0x001A);
	char *cls = p ? ps_prop_to_utf8(p) : NULL;
	const char *out = "IPF.Note";
	size_t i;

	for (i = 0; cls && i < sizeof(map) / sizeof(map[0]); i++)
		if (ps_item_class_is(cls, map[i][0]))
			out = map[i][1];
	free(cls);
	return out;
}

int ps_recovery_keep(ps_recovery *r, const ps_item *item, const ps_recovery_meta *meta,
	uint32_t *id_out)
{
	ps_item copy;
	ps_prop *props = NULL, *added;
	const ps_prop *mod = NULL;
	size_t n = 0, k = 0, i;
	uint64_t when = meta->when ? meta->when : ps_time_now();
	uint32_t folder, nid = 0;
	uint8_t now[8];
	int rc;

	if ((rc = folder_of(r, meta->side, meta->folder,
		meta->container_class && *meta->container_class ? meta->container_class : class_folder(item), 1,
		&folder)) < 0)
		return rc;
	props = calloc(item->props.count + P_COUNT + 1, sizeof(*props));
	if (!props)
		return ps_error_set(PS_ENOMEM, "out of memory");
	/* the item's own values, shared; a copy of a copy drops the older marks */
	for (i = 0; i < item->props.count; i++) {
		const ps_prop *p = &item->props.props[i];
		if (PS_PROP_ID(p->tag) == 0x3008) {
			mod = p;
			continue;
		}
		if (own_index(p) >= 0)
			continue;
		props[n++] = *p;
	}
	added = props + n;
	ps__put64(now, when);
	rc = own_u64(&added[k++], P_WHEN, when);
	if (rc == PS_OK)
		rc = own_u64(&added[k++], P_SYNC, (uint64_t)meta->sync_id);
	if (rc == PS_OK)
		rc = own_text(&added[k++], P_WHAT, ps_recovery_what_name(meta->what));
	if (rc == PS_OK)
		rc = own_text(&added[k++], P_WHY, meta->why);
	if (rc == PS_OK)
		rc = own_text(&added[k++], P_SIDE, side_name[meta->side & 1]);
	if (rc == PS_OK)
		rc = own_text(&added[k++], P_STORE, meta->store_path);
	if (rc == PS_OK)
		rc = own_text(&added[k++], P_FOLDER, meta->folder);
	if (rc == PS_OK && meta->entry_id_size)
		rc = own_make(&added[k++], P_EID, meta->entry_id, meta->entry_id_size);
	if (rc == PS_OK && meta->marker_size)
		rc = own_make(&added[k++], P_MARKER, meta->marker, meta->marker_size);
	if (rc == PS_OK && mod && mod->size == 8)
		rc = own_make(&added[k++], P_MODIFIED, mod->data, 8);
	if (rc == PS_OK) {
		/* the age of the copy, visible in the contents table (retention) */
		ps_prop *m = &added[k++];
		memset(m, 0, sizeof(*m));
		m->tag = TAG_LAST_MODIFIED;
		m->data = malloc(8);
		if (!m->data)
			rc = ps_error_set(PS_ENOMEM, "out of memory");
		else {
			memcpy(m->data, now, 8);
			m->size = 8;
		}
	}
	if (rc == PS_OK) {
		copy = *item;
		copy.props.props = props;
		copy.props.count = n + k;
		rc = ps_store_put_item(r->st, folder, &copy, 0, &nid);
		if (rc == PS_ENOTFOUND || rc == PS_EITEM || rc == PS_EINVAL)
			ps_error_prefix(rc, "cannot keep a copy in the recovery store '%s'", r->path);
	}
	for (i = 0; i < k; i++) {
		free(added[i].named.name);
		free(added[i].data);
	}
	free(props);
	if (rc == PS_OK && id_out)
		*id_out = nid;
	return rc;
}

/* ---- reading ---------------------------------------------------------------------------- */

static const ps_prop *own_find(const ps_item *item, int which)
{
	size_t i;

	for (i = 0; i < item->props.count; i++)
		if (own_index(&item->props.props[i]) == which)
			return &item->props.props[i];
	return NULL;
}

static char *own_string(const ps_item *item, int which)
{
	const ps_prop *p = own_find(item, which);

	return p ? ps_prop_to_utf8(p) : NULL;
}

/* Fill @p v from a copy (its own properties) and its table row. */
static int version_fill(ps_recovery *r, const ps_item *item, ps_recovery_version *v)
{
	const ps_prop *p;
	char *what, *side;

	memset(v, 0, sizeof(*v));
	v->id = item->nid;
	free(r->s_why);
	free(r->s_store);
	free(r->s_folder);
	free(r->s_class);
	free(r->s_subject);
	r->s_why = own_string(item, P_WHY);
	r->s_store = own_string(item, P_STORE);
	r->s_folder = own_string(item, P_FOLDER);
	p = ps_propset_find_id(&item->props, 0x001A);
	r->s_class = p ? ps_prop_to_utf8(p) : NULL;
	p = ps_propset_find_id(&item->props, 0x0037);
	if (!p)
		p = ps_propset_find_id(&item->props, 0x3001);
	r->s_subject = p ? ps_prop_to_utf8(p) : NULL;
	what = own_string(item, P_WHAT);
	side = own_string(item, P_SIDE);
	v->when = (uint64_t)ps_prop_int(own_find(item, P_WHEN), 0);
	v->sync_id = ps_prop_int(own_find(item, P_SYNC), 0);
	v->what = what && strcmp(what, "deleted") == 0 ? PS_RECOVERY_DELETED : PS_RECOVERY_OVERWRITTEN;
	v->side = side && strcmp(side, "global") == 0;
	free(what);
	free(side);
	v->why = r->s_why ? r->s_why : "";
	v->store_path = r->s_store ? r->s_store : "";
	v->folder = r->s_folder ? r->s_folder : "/";
	v->message_class = r->s_class ? r->s_class : "";
	v->subject = r->s_subject ? r->s_subject : "";
	p = own_find(item, P_EID);
	if (p && p->size <= sizeof(r->eid)) {
		memcpy(r->eid, p->data, p->size);
		v->entry_id = r->eid;
		v->entry_id_size = p->size;
	}
	v->size = (uint64_t)ps_prop_int(ps_propset_find_id(&item->props, 0x0E08), 0);
	if (!own_find(item, P_WHEN))
		return ps_error_set(PS_ENOTFOUND, "item 0x%x of the recovery store '%s' is no version kept "
			"by pstsync", (unsigned)item->nid, r->path);
	return PS_OK;
}

/* The copies of the recovery store, from the contents tables. */
struct row {
	uint32_t nid;
	uint64_t when, size;
};

struct rows {
	struct row *v;
	size_t n, cap;
	uint64_t since;
};

static int rows_cb(const ps_item_summary *it, void *ctx)
{
	struct rows *rs = ctx;

	if (it->modified < rs->since)
		return 0;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 256;
		struct row *grown = realloc(rs->v, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		rs->v = grown;
		rs->cap = cap;
	}
	rs->v[rs->n].nid = it->nid;
	rs->v[rs->n].when = it->modified;
	rs->v[rs->n++].size = it->size;
	return 0;
}

struct walk {
	ps_recovery *r;
	struct rows *rows;
};

static int walk_cb(const ps_folder_info *f, void *ctx)
{
	struct walk *w = ctx;

	if (strncmp(f->path, "/Local/", 7) != 0 && strncmp(f->path, "/Global/", 8) != 0 &&
	    strcmp(f->path, "/Local") != 0 && strcmp(f->path, "/Global") != 0)
		return 0;
	if (!f->item_count)
		return 0;
	return ps_store_list_items(w->r->st, f->nid, rows_cb, w->rows);
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return x->nid < y->nid ? -1 : x->nid > y->nid;
}

static int all_rows(ps_recovery *r, struct rows *rows)
{
	struct walk w;
	int rc;

	w.r = r;
	w.rows = rows;
	if ((rc = ps_store_walk_folders(r->st, walk_cb, &w)) < 0)
		return rc;
	if (rows->n)
		qsort(rows->v, rows->n, sizeof(*rows->v), row_cmp);
	return PS_OK;
}

int ps_recovery_has_marker(ps_recovery *r, int side, const char *folder, const uint8_t *marker,
	size_t marker_size, uint64_t since, int *yes)
{
	struct rows rows;
	uint32_t nid;
	size_t i;
	int rc;

	*yes = 0;
	memset(&rows, 0, sizeof(rows));
	rows.since = since;
	rc = folder_of(r, side, folder, NULL, 0, &nid);
	if (rc == PS_ENOTFOUND)
		return PS_OK;
	if (rc < 0 || (rc = ps_store_list_items(r->st, nid, rows_cb, &rows)) < 0)
		goto cleanup;
	for (i = 0; i < rows.n && !*yes; i++) {
		ps_item *item = NULL;
		const ps_prop *m;
		rc = ps_store_read_props(r->st, rows.v[i].nid, &item);
		if (rc == PS_EITEM || rc == PS_ENOTFOUND) {
			rc = PS_OK;
			continue;
		}
		if (rc < 0)
			goto cleanup;
		m = own_find(item, P_MARKER);
		*yes = m && m->size == marker_size && memcmp(m->data, marker, marker_size) == 0;
		ps_item_free(item);
	}
	rc = PS_OK;
cleanup:
	free(rows.v);
	return rc;
}

int ps_recovery_list(ps_recovery *r, ps_recovery_cb cb, void *ctx)
{
	struct rows rows;
	size_t i;
	int rc;

	memset(&rows, 0, sizeof(rows));
	if ((rc = all_rows(r, &rows)) < 0)
		goto cleanup;
	for (i = 0; i < rows.n; i++) {
		ps_recovery_version v;
		rc = ps_recovery_get(r, rows.v[i].nid, &v);
		if (rc == PS_EITEM || rc == PS_ENOTFOUND) {
			rc = PS_OK; /* an item dragged in by hand, or damaged: not ours to list */
			continue;
		}
		if (rc < 0 || (rc = cb(&v, ctx)) != 0)
			goto cleanup;
	}
	rc = PS_OK;
cleanup:
	free(rows.v);
	return rc;
}

int ps_recovery_get(ps_recovery *r, uint32_t id, ps_recovery_version *out)
{
	ps_item *item = NULL;
	/* what a listing shows is in the copy's own properties: its
	 * recipients and attachments are not read */
	int rc = ps_store_read_props(r->st, id, &item);

	if (rc == PS_ENOTFOUND)
		return ps_error_set(PS_ENOTFOUND, "no version 0x%x in the recovery store '%s'", (unsigned)id, r->path);
	if (rc < 0)
		return rc;
	rc = version_fill(r, item, out);
	ps_item_free(item);
	return rc;
}

int ps_recovery_read(ps_recovery *r, uint32_t id, ps_item **out)
{
	ps_item *item = NULL;
	ps_recovery_version v;
	const ps_prop *orig;
	uint8_t modified[8];
	int has_mod = 0, rc;
	size_t i, n = 0;

	*out = NULL;
	rc = ps_store_read_item(r->st, id, &item);
	if (rc == PS_ENOTFOUND)
		return ps_error_set(PS_ENOTFOUND, "no version 0x%x in the recovery store '%s'", (unsigned)id, r->path);
	if (rc < 0)
		return rc;
	if ((rc = version_fill(r, item, &v)) < 0) {
		ps_item_free(item);
		return rc;
	}
	orig = own_find(item, P_MODIFIED);
	if (orig && orig->size == 8) {
		memcpy(modified, orig->data, 8);
		has_mod = 1;
	}
	/* the recovery store's properties go, and the time of the copy: the
	 * version comes back as it was (with the marker of the sync that
	 * copied it there, when it had one) */
	for (i = 0; i < item->props.count; i++) {
		ps_prop *p = &item->props.props[i];
		if (own_index(p) >= 0 || p->tag == TAG_LAST_MODIFIED) {
			free(p->named.name);
			free(p->data);
			continue;
		}
		item->props.props[n++] = *p;
	}
	item->props.count = n;
	if (has_mod && (rc = ps_propset_put_tag(&item->props, TAG_LAST_MODIFIED, modified, 8)) < 0) {
		ps_item_free(item);
		return rc;
	}
	*out = item;
	return PS_OK;
}

/* ---- retention ---------------------------------------------------------------------------- */

int ps_recovery_prune(ps_recovery *r, int days, int max_mb, uint64_t now, size_t *removed_out)
{
	struct rows rows;
	uint64_t cutoff = days > 0 && now > (uint64_t)days * FILETIME_DAY ? now - (uint64_t)days * FILETIME_DAY : 0;
	uint64_t sum = 0, limit = (uint64_t)(max_mb > 0 ? max_mb : 0) << 20;
	size_t i, removed = 0;
	int begun = 0, rc;

	if (removed_out)
		*removed_out = 0;
	memset(&rows, 0, sizeof(rows));
	if ((rc = all_rows(r, &rows)) < 0)
		goto cleanup;
	for (i = 0; i < rows.n; i++)
		sum += rows.v[i].size;
	/* oldest first: the ones past their days, then as many as the size asks */
	for (i = 0; i < rows.n; i++) {
		if (rows.v[i].when >= cutoff && (!limit || sum <= limit))
			break;
		if (!begun) {
			if ((rc = ps_recovery_begin(r)) < 0)
				goto cleanup;
			begun = 1;
		}
		rc = ps_store_delete_item(r->st, rows.v[i].nid);
		if (rc < 0 && rc != PS_ENOTFOUND)
			goto cleanup;
		sum -= rows.v[i].size;
		removed++;
	}
	if (begun) {
		begun = 0;
		if ((rc = ps_recovery_commit(r)) < 0)
			goto cleanup;
	}
	if (removed_out)
		*removed_out = removed;
	/* the rest is newer than rows.v[i]: nothing is due before it is */
	r->prune_due = days > 0 && i < rows.n ? rows.v[i].when + (uint64_t)days * FILETIME_DAY :
		UINT64_MAX;
	rc = PS_OK;
cleanup:
	if (begun)
		ps_recovery_abort(r);
	free(rows.v);
	return rc;
}

uint64_t ps_recovery_prune_due(const ps_recovery *r)
{
	return r->prune_due;
}

/* ---- restoring ------------------------------------------------------------------------------ */

struct given {
	int found;
};

static int given_cb(const ps_item_summary *it, void *ctx)
{
	(void)it;
	((struct given *)ctx)->found = 1;
	return 0;
}

int ps_recovery_restore(ps_recovery *r, uint32_t id, ps_store *store, int replace,
	uint32_t *nid_out, int *replaced_out)
{
	ps_recovery_version v;
	ps_item *item = NULL, *current = NULL;
	ps_store_info info;
	uint32_t folder = 0, target = 0;
	char *folder_path = NULL, *cls = NULL;
	uint8_t eid[24];
	size_t eid_size = 0;
	int side, rc;

	*nid_out = 0;
	if (replaced_out)
		*replaced_out = 0;
	memset(&info, 0, sizeof(info));
	if ((rc = ps_recovery_get(r, id, &v)) < 0)
		return rc;
	side = v.side;
	folder_path = ps__strdup(v.folder);
	if (v.entry_id_size == sizeof(eid)) {
		memcpy(eid, v.entry_id, sizeof(eid));
		eid_size = sizeof(eid);
	}
	if (!folder_path) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = ps_store_find_folder(store, folder_path, &folder)) < 0) {
		ps_error_prefix(rc, "cannot put version %u back", (unsigned)id);
		goto cleanup;
	}
	if ((rc = ps_recovery_read(r, id, &item)) < 0)
		goto cleanup;
	if (replace && eid_size && (rc = ps_store_get_info(store, &info)) == PS_OK &&
	    (!info.has_record_key || memcmp(info.record_key, eid + 4, 16) == 0)) {
		/* the item it came from, when it is still in that folder */
		struct given g = { 0 };
		uint32_t nid = ps__le32(eid + 20);
		if ((rc = ps_store_list_given(store, folder, &nid, 1, given_cb, &g)) < 0)
			goto cleanup;
		if (g.found)
			target = nid;
	}
	if (rc < 0)
		goto cleanup;
	if (target) {
		/* what it replaces is kept first, like anything a sync replaces */
		ps_recovery_meta m;
		if ((rc = ps_store_read_item(store, target, &current)) < 0)
			goto cleanup;
		memset(&m, 0, sizeof(m));
		m.what = PS_RECOVERY_OVERWRITTEN;
		m.why = "recover --replace";
		m.side = side;
		m.store_path = ps_store_path(store);
		m.folder = folder_path;
		m.entry_id = eid;
		m.entry_id_size = eid_size;
		if ((rc = ps_recovery_begin(r)) < 0)
			goto cleanup;
		if ((rc = ps_recovery_keep(r, current, &m, NULL)) < 0) {
			ps_recovery_abort(r);
			goto cleanup;
		}
		if ((rc = ps_recovery_commit(r)) < 0)
			goto cleanup;
	}
	if ((rc = ps_store_begin(store)) < 0)
		goto cleanup;
	rc = ps_store_put_item(store, folder, item, target, nid_out);
	if (rc < 0) {
		ps_store_abort(store);
		goto cleanup;
	}
	if ((rc = ps_store_commit(store)) < 0)
		goto cleanup;
	if (target) {
		*nid_out = target;
		if (replaced_out)
			*replaced_out = 1;
	}
cleanup:
	ps_store_info_clear(&info);
	ps_item_free(item);
	ps_item_free(current);
	free(folder_path);
	free(cls);
	return rc;
}
