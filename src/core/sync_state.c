/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * What the sync engine knows during a sync, shared by its parts: the
 * listing of a linked folder (its items, found by NID or by a recorded
 * side; an item's fingerprint and search key, read once), the pairs the
 * protocol recorded for a link, a pair side packed for memory and unpacked
 * for the protocol, the list of actions, and how a sync reports (warnings,
 * errors and how far they spread, actions, progress). The decisions
 * (sync.c), their execution (sync_apply.c) and the history, folder,
 * recovery and reference parts build on this file and it calls none of
 * them, so the engine's files form layers.
 */
#include "core/sync_int.h"

#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reporting ---------------------------------------------------------- */

/* A failure that stops the profile (errors.h: store scope). */
int ps_sync__is_store_error(int rc)
{
	return ps_status_scope(rc) == PS_SCOPE_STORE;
}

/* A failure of one item only: skip it (errors.h: item scope). */
int ps_sync__is_item_error(int rc)
{
	return ps_status_scope(rc) == PS_SCOPE_ITEM;
}

void ps_sync__note_error(struct sync *sy, const char *msg)
{
	size_t len = strlen(msg);
	char *grown = realloc(sy->errors, sy->errors_len + len + 2);

	if (!grown)
		return;
	sy->errors = grown;
	memcpy(sy->errors + sy->errors_len, msg, len);
	sy->errors_len += len;
	sy->errors[sy->errors_len++] = '\n';
	sy->errors[sy->errors_len] = '\0';
}

void ps_sync__warn(struct sync *sy, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sy->ui && sy->ui->warning)
		sy->ui->warning(sy->ui->ctx, sy->profile, msg);
}

void ps_sync__progress(struct sync *sy, struct link_run *lr, int phase, uint64_t done, uint64_t total)
{
	ps_sync_progress p;

	if (!sy->ui || !sy->ui->progress)
		return;
	p.profile = sy->profile;
	p.path[0] = lr ? lr->path[0] : NULL;
	p.path[1] = lr ? lr->path[1] : NULL;
	p.phase = (ps_sync_phase)phase;
	p.done = done;
	p.total = total;
	sy->ui->progress(sy->ui->ctx, &p);
}

void ps_sync__action(struct sync *sy, struct link_run *lr, int kind, int side, const struct entry *e,
	int status, const char *error)
{
	ps_sync_action a;

	if (!sy->ui || !sy->ui->action)
		return;
	a.profile = sy->profile;
	a.path[0] = lr->path[0];
	a.path[1] = lr->path[1];
	a.kind = (ps_sync_action_kind)kind;
	a.side = side;
	a.subject = e && e->subject ? e->subject : "";
	a.message_class = e && e->cls ? e->cls : "";
	a.planned = sy->opt.dry_run;
	a.status = status;
	a.error = status < 0 ? error : NULL;
	sy->ui->action(sy->ui->ctx, &a);
}

/* A link failed: say so, and go on with the others. */
void ps_sync__link_fail(struct sync *sy, struct link_run *lr, int rc)
{
	char *msg = ps__asprintf("link '%s' -> '%s': %s", lr->path[0], lr->path[1], ps_error_last());

	lr->failed = 1;
	lr->res->status = rc;
	free(lr->res->error);
	lr->res->error = ps__strdup(ps_error_last());
	if (msg) {
		ps_sync__warn(sy, "%s", msg);
		ps_sync__note_error(sy, msg);
		free(msg);
	}
}

/* ---- listings ------------------------------------------------------------ */

static size_t nid_hash(uint32_t nid)
{
	return (size_t)(nid * 2654435761u);
}

static int listing_index(struct listing *ls)
{
	size_t want = 16, i;

	while (want < ls->n * 2 + 2)
		want *= 2;
	free(ls->slot);
	ls->slot = calloc(want, sizeof(*ls->slot));
	if (!ls->slot)
		return ps_error_set(PS_ENOMEM, "out of memory");
	ls->nslot = want;
	for (i = 0; i < ls->n; i++) {
		size_t h = nid_hash(ls->e[i].nid) & (want - 1);
		while (ls->slot[h])
			h = (h + 1) & (want - 1);
		ls->slot[h] = (uint32_t)(i + 1);
	}
	return PS_OK;
}

long ps_sync__listing_find(const struct listing *ls, uint32_t nid)
{
	size_t mask, h;

	if (!ls->nslot)
		return -1;
	mask = ls->nslot - 1;
	for (h = nid_hash(nid) & mask; ls->slot[h]; h = (h + 1) & mask)
		if (ls->e[ls->slot[h] - 1].nid == nid)
			return (long)ls->slot[h] - 1;
	return -1;
}

/* The entry a recorded side names: same NID and same entry ID (a store
 * swapped for another file has other entry IDs for the same NIDs). */
long ps_sync__listing_find_side(const struct listing *ls, const struct pside *s)
{
	long i;

	if (!s->eid_size)
		return -1;
	i = ps_sync__listing_find(ls, s->nid);
	if (i < 0 || s->eid_size != EID_SIZE || memcmp(ls->e[i].eid, s->eid, EID_SIZE) != 0)
		return -1;
	return i;
}

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	uint8_t data[];
};

#define ARENA_CHUNK 65536

/* @p size bytes of @p ls's arena, with @p data copied in (and a 0 after
 * them when @p nul); NULL when out of memory. */
static void *arena_put(struct listing *ls, const void *data, size_t size, int nul)
{
	struct arena_chunk *c = ls->arena;
	size_t need = size + (nul ? 1 : 0);
	uint8_t *p;

	if (!c || c->cap - c->used < need) {
		size_t cap = need > ARENA_CHUNK / 4 ? need : ARENA_CHUNK;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		if (cap == need && ls->arena) {
			/* a large piece: its own chunk, behind the one being filled */
			c->next = ls->arena->next;
			ls->arena->next = c;
		} else {
			c->next = ls->arena;
			ls->arena = c;
		}
	}
	p = c->data + c->used;
	c->used += need;
	if (size)
		memcpy(p, data, size);
	if (nul)
		p[size] = 0;
	return p;
}

/* A message class, stored once per listing (a folder has a few). */
static const char *class_put(struct listing *ls, const char *cls)
{
	const char *got;
	size_t i;

	for (i = 0; i < ls->nclasses; i++)
		if (strcmp(ls->classes[i], cls) == 0)
			return ls->classes[i];
	got = arena_put(ls, cls, strlen(cls), 1);
	if (got && ls->nclasses < sizeof(ls->classes) / sizeof(ls->classes[0]))
		ls->classes[ls->nclasses++] = got;
	return got;
}

static int list_cb(const ps_item_summary *it, void *ctx)
{
	struct listing *ls = ctx;
	struct entry *e;
	const char *subject = it->subject ? it->subject : "";

	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 64;
		struct entry *grown = realloc(ls->e, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		ls->e = grown;
		ls->cap = cap;
	}
	e = &ls->e[ls->n];
	memset(e, 0, sizeof(*e));
	e->nid = it->nid;
	memcpy(e->eid, it->entry_id, EID_SIZE);
	e->modified = it->modified;
	e->size = it->size;
	e->pair = -1;
	e->subject = arena_put(ls, subject, strlen(subject), 1);
	e->cls = class_put(ls, it->message_class ? it->message_class : "");
	if (it->search_key && it->search_key_size && it->search_key_size <= PS_PROTOCOL_KEY_MAX) {
		e->skey = arena_put(ls, it->search_key, it->search_key_size, 0);
		if (e->skey)
			e->skey_size = it->search_key_size;
	}
	/* the version (sync_history.c); an overlong one is left out */
	if (it->change_key && it->change_key_size && it->change_key_size <= 64) {
		e->ckey = arena_put(ls, it->change_key, it->change_key_size, 0);
		if (e->ckey)
			e->ckey_size = (uint8_t)it->change_key_size;
	}
	ls->n++;
	if (!e->subject || !e->cls || (it->search_key_size && it->search_key_size <= PS_PROTOCOL_KEY_MAX &&
	    it->search_key && !e->skey))
		return ps_error_set(PS_ENOMEM, "out of memory");
	return 0;
}

void ps_sync__listing_free(struct listing *ls)
{
	while (ls->arena) {
		struct arena_chunk *next = ls->arena->next;
		free(ls->arena);
		ls->arena = next;
	}
	free(ls->e);
	free(ls->slot);
	memset(ls, 0, sizeof(*ls));
}

int ps_sync__listing_load(struct listing *ls, ps_store *st, uint32_t folder)
{
	int rc;

	ps_sync__listing_free(ls);
	rc = ps_store_list_items(st, folder, list_cb, ls);
	if (rc < 0) {
		ps_sync__listing_free(ls);
		return rc;
	}
	return listing_index(ls);
}

int ps_sync__listing_load_given(struct listing *ls, ps_store *st, uint32_t folder,
	const uint32_t *nids, size_t count)
{
	int rc;

	ps_sync__listing_free(ls);
	rc = ps_store_list_given(st, folder, nids, count, list_cb, ls);
	if (rc < 0) {
		ps_sync__listing_free(ls);
		return rc;
	}
	return listing_index(ls);
}

void ps_sync__side_from_entry(ps_protocol_side *s, const struct entry *e)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->eid, e->eid, EID_SIZE);
	s->eid_size = EID_SIZE;
	s->nid = e->nid;
	s->modified = e->modified;
	s->size = e->size;
	if (e->has_fp) {
		memcpy(s->fingerprint, e->fp, PS_SYNC_FINGERPRINT_SIZE);
		s->fingerprint_size = PS_SYNC_FINGERPRINT_SIZE;
	}
}

void ps_sync__side_pack(struct pside *d, const ps_protocol_side *s)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->eid, s->eid, s->eid_size < EID_SIZE ? s->eid_size : EID_SIZE);
	d->eid_size = (uint16_t)s->eid_size;
	memcpy(d->fp, s->fingerprint, s->fingerprint_size < PS_SYNC_FINGERPRINT_SIZE ?
		s->fingerprint_size : PS_SYNC_FINGERPRINT_SIZE);
	d->fp_size = (uint16_t)s->fingerprint_size;
	d->nid = s->nid;
	d->modified = s->modified;
	d->size = s->size;
}

void ps_sync__side_unpack(ps_protocol_side *d, const struct pside *s)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->eid, s->eid, EID_SIZE);
	d->eid_size = s->eid_size;
	memcpy(d->fingerprint, s->fp, PS_SYNC_FINGERPRINT_SIZE);
	d->fingerprint_size = s->fp_size;
	d->nid = s->nid;
	d->modified = s->modified;
	d->size = s->size;
}

/* ---- reading items ---------------------------------------------------------- */

/*
 * The fingerprint of entry @p i of side @p t, read once. An item that
 * cannot be read is warned about once and reported as PS_EITEM; a store
 * failure is returned as it is.
 */
int ps_sync__entry_read(struct sync *sy, struct link_run *lr, int t, long i)
{
	struct entry *e = &lr->ls[t].e[i];
	ps_item *item = NULL;
	int rc;

	if (e->has_fp)
		return PS_OK;
	if (e->unreadable)
		return PS_EITEM;
	rc = ps_store_read_item(sy->st[t], e->nid, &item);
	if (rc < 0) {
		if (!ps_sync__is_item_error(rc))
			return rc;
		e->unreadable = 1;
		lr->res->counts.errors++;
		ps_sync__warn(sy, "cannot read '%s' in '%s' of '%s' (skipped): %s", e->subject,
			lr->path[t], ps_store_path(sy->st[t]), ps_error_last());
		return PS_EITEM;
	}
	e->fp_before = (uint8_t)ps_sync__fingerprints(item, e->fp);
	e->has_fp = 1;
	if (!e->skey) {
		/* Outlook's contents tables have no PR_SEARCH_KEY column: the
		 * item's own is what pairs it with its copy */
		const ps_prop *k = ps_propset_find(&item->props, PS_PROP_TAG(0x300B, PS_PT_BINARY));
		if (k && k->size && k->size <= PS_PROTOCOL_KEY_MAX) {
			e->skey = arena_put(&lr->ls[t], k->data, k->size, 0);
			e->skey_size = e->skey ? k->size : 0;
		}
	}
	ps_item_free(item);
	return PS_OK;
}

int ps_sync__entry_fp_before(struct sync *sy, struct link_run *lr, int t, long i,
	uint8_t out[PS_SYNC_FINGERPRINT_SIZE])
{
	ps_item *item = NULL;
	int rc;

	if (!lr->ls[t].e[i].fp_before)
		return PS_ENOTFOUND;
	/* rare: an item with such recipients whose time changed */
	if ((rc = ps_store_read_item(sy->st[t], lr->ls[t].e[i].nid, &item)) < 0) {
		if (!ps_sync__is_item_error(rc))
			return rc;
		ps_error_clear();
		return PS_ENOTFOUND;
	}
	rc = ps_sync__fingerprint_before(item, out) ? PS_OK : PS_ENOTFOUND;
	ps_item_free(item);
	return rc;
}

/* ---- pairs ---------------------------------------------------------------- */

/* Room for @p cap pairs in all. */
static int pairs_grow_to(struct link_run *lr, size_t cap)
{
	struct pair *grown;
	unsigned char *g2;

	if (cap <= lr->cappairs)
		return PS_OK;
	grown = realloc(lr->pairs, cap * sizeof(*grown));
	if (!grown)
		return ps_error_set(PS_ENOMEM, "out of memory");
	lr->pairs = grown;
	g2 = realloc(lr->gone, cap);
	if (!g2)
		return ps_error_set(PS_ENOMEM, "out of memory");
	lr->gone = g2;
	lr->cappairs = cap;
	return PS_OK;
}

/* Room for @p extra more pairs, exactly (the copies of a sync are known
 * before they run: no doubling of an array of 100,000 pairs). */
int ps_sync__pairs_reserve(struct link_run *lr, size_t extra)
{
	return pairs_grow_to(lr, lr->npairs + extra);
}

/* Append @p p to the link's pairs (compacted). */
int ps_sync__pair_append(struct link_run *lr, const ps_protocol_pair *p, long *index_out)
{
	struct pair *q;
	int t, rc;

	if (lr->npairs == lr->cappairs &&
	    (rc = pairs_grow_to(lr, lr->cappairs ? lr->cappairs * 2 : 64)) != PS_OK)
		return rc;
	q = &lr->pairs[lr->npairs];
	q->id = p->id;
	for (t = 0; t < 2; t++)
		ps_sync__side_pack(&q->side[t], &p->side[t]);
	lr->gone[lr->npairs] = 0;
	if (index_out)
		*index_out = (long)lr->npairs;
	lr->npairs++;
	return PS_OK;
}

static int pairs_cb(const ps_protocol_pair *p, void *ctx)
{
	return ps_sync__pair_append(ctx, p, NULL);
}

void ps_sync__pairs_free(struct link_run *lr)
{
	free(lr->pairs);
	free(lr->gone);
	lr->pairs = NULL;
	lr->gone = NULL;
	lr->npairs = lr->cappairs = 0;
}

int ps_sync__pairs_load(struct link_run *lr)
{
	ps_sync__pairs_free(lr);
	if (!lr->link_id)
		return PS_OK;
	return ps_protocol_pair_foreach(lr->sy->proto, lr->link_id, pairs_cb, lr);
}

/* The loaded pair with id @p id; valid before pairs are appended (the
 * walk gives them in id order). */
long ps_sync__pair_index(const struct link_run *lr, int64_t id)
{
	size_t lo = 0, hi = lr->npairs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (lr->pairs[mid].id == id)
			return (long)mid;
		if (lr->pairs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* ---- actions ------------------------------------------------------------ */

/* A new action at the end of @p l, its indexes unset (-1). */
int ps_sync__ops_push(struct op_list *l, struct op **out)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct op *grown = realloc(l->v, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		l->v = grown;
		l->cap = cap;
	}
	*out = &l->v[l->n++];
	memset(*out, 0, sizeof(**out));
	(*out)->pair = -1;
	(*out)->src = -1;
	(*out)->dst = -1;
	return PS_OK;
}

void ps_sync__ops_clear(struct op_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].error);
		free(l->v[i].old_side);
		free(l->v[i].version);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
