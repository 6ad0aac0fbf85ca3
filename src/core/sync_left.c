/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The items a profile's links leave on one side on purpose, by name, for
 * `status`: on a one-way link the items of the side it does not copy from
 * that no pair names (new ones), and on any link the items a "keep mine,
 * unlinked" answer unlinked (a pair with one side). The protocol says which
 * pairs there are; the stores, opened read-only under a shared lock (no
 * waiting: a running sync holds them), give the names. The same rules as
 * the sync's count (count_not_carried() in sync.c).
 */
#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/protocol.h"
#include "pstsync/settings.h"
#include "pstsync/store.h"
#include "pstsync/sync.h"

#include <stdlib.h>
#include <string.h>

#define EID_SIZE 24

/* The entry IDs a link's pairs name on one side, sorted; half: an unlinked one. */
struct name {
	uint8_t eid[EID_SIZE];
	unsigned char half;
};

struct named {
	struct name *v;
	size_t n, cap;
};

struct link_pairs {
	struct named side[2];
};

static int pairs_cb(const ps_protocol_pair *p, void *ctx)
{
	struct link_pairs *lp = ctx;
	int t;

	for (t = 0; t < 2; t++) {
		struct named *s = &lp->side[t];
		if (p->side[t].eid_size != EID_SIZE)
			continue;
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 64;
			struct name *grown = realloc(s->v, cap * sizeof(*grown));
			if (!grown)
				return ps_error_set(PS_ENOMEM, "out of memory");
			s->v = grown;
			s->cap = cap;
		}
		memcpy(s->v[s->n].eid, p->side[t].eid, EID_SIZE);
		s->v[s->n].half = !p->side[t ^ 1].eid_size;
		s->n++;
	}
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return memcmp(((const struct name *)a)->eid, ((const struct name *)b)->eid, EID_SIZE);
}

/* -1: no pair names it; 0: a pair; 1: a half pair (unlinked) */
static int named_find(const struct named *s, const uint8_t *eid)
{
	struct name key;
	const struct name *hit;

	if (!s->n)
		return -1;
	memcpy(key.eid, eid, EID_SIZE);
	hit = bsearch(&key, s->v, s->n, sizeof(key), name_cmp);
	return hit ? hit->half : -1;
}

struct walk {
	const struct named *named;
	int carried;               /* the link copies this side's new items */
	size_t link;
	int side;
	ps_sync_left_item **v;
	size_t *n, cap;
};

static int item_cb(const ps_item_summary *it, void *ctx)
{
	struct walk *w = ctx;
	int reason, k = named_find(w->named, it->entry_id);
	ps_sync_left_item *e;

	if (k == 1)
		reason = PS_LEFT_UNLINKED;
	else if (k < 0 && !w->carried)
		reason = PS_LEFT_ONE_WAY;
	else
		return 0;
	if (*w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		ps_sync_left_item *grown = realloc(*w->v, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		*w->v = grown;
		w->cap = cap;
	}
	e = &(*w->v)[*w->n];
	memset(e, 0, sizeof(*e));
	e->link = w->link;
	e->side = w->side;
	e->reason = reason;
	e->subject = ps__strdup(it->subject ? it->subject : "");
	e->cls = ps__strdup(it->message_class ? it->message_class : "");
	(*w->n)++;
	if (!e->subject || !e->cls)
		return ps_error_set(PS_ENOMEM, "out of memory");
	return 0;
}

static int open_shared(ps_store **st, const char *path)
{
	int rc = ps_store_open(st, path, PS_STORE_SHARED);

	if (rc == PS_EUNSUPPORTED || rc == PS_ENOTPST)
		rc = ps_store_open(st, path, PS_STORE_READ);
	return rc;
}

int ps_sync_left_items(const ps_settings *settings, const ps_profile *profile, ps_sync_left_item **out,
	size_t *count)
{
	ps_protocol *proto = NULL;
	ps_store *st[2] = { NULL, NULL };
	char *path = NULL;
	size_t n = ps_profile_link_count(profile), i;
	int t, rc;

	*out = NULL;
	*count = 0;
	if ((rc = ps_sync_protocol_path(settings, profile, &path)) < 0)
		return rc;
	if (ps_path_kind(path) != PS_PATH_FILE) {
		free(path);
		return PS_OK;          /* never synced: nothing left */
	}
	if ((rc = ps_protocol_open_read(&proto, path)) < 0)
		goto cleanup;
	for (i = 0; i < n && rc >= 0; i++) {
		const ps_link *l = ps_profile_link_at(profile, i);
		ps_protocol_link pl;
		struct link_pairs lp;
		int dir = (int)ps_link_direction(l);
		memset(&pl, 0, sizeof(pl));
		rc = ps_protocol_link_find(proto, &pl, ps_link_local(l), ps_link_global(l));
		if (rc == PS_ENOTFOUND) {
			rc = PS_OK;
			continue;
		}
		if (rc < 0)
			break;
		if (!pl.last_sync) {
			ps_protocol_link_clear(&pl);
			continue;
		}
		memset(&lp, 0, sizeof(lp));
		rc = ps_protocol_pair_foreach(proto, pl.id, pairs_cb, &lp);
		for (t = 0; t < 2 && rc >= 0; t++) {
			int carried = dir == PS_DIRECTION_BOTH || dir == (t ? PS_DIRECTION_FROM_GLOBAL
				: PS_DIRECTION_TO_GLOBAL);
			size_t k, halves = 0;
			uint32_t folder;
			struct walk w;
			for (k = 0; k < lp.side[t].n; k++)
				halves += lp.side[t].v[k].half;
			if (carried && !halves)
				continue;      /* nothing left on this side */
			if (lp.side[t].n > 1)
				qsort(lp.side[t].v, lp.side[t].n, sizeof(*lp.side[t].v), name_cmp);
			if (!st[t] && (rc = open_shared(&st[t], t ? ps_profile_global(profile)
				: ps_profile_local(profile))) < 0)
				break;
			rc = ps_store_find_folder(st[t], pl.path[t], &folder);
			if (rc == PS_ENOTFOUND) {
				rc = PS_OK;
				continue;
			}
			if (rc < 0)
				break;
			memset(&w, 0, sizeof(w));
			w.named = &lp.side[t];
			w.carried = carried;
			w.link = i;
			w.side = t;
			w.v = out;
			w.n = count;
			w.cap = *count;
			rc = ps_store_list_items(st[t], folder, item_cb, &w);
		}
		for (t = 0; t < 2; t++)
			free(lp.side[t].v);
		ps_protocol_link_clear(&pl);
	}
cleanup:
	for (t = 0; t < 2; t++)
		if (st[t])
			ps_store_close(st[t]);
	if (proto)
		ps_protocol_close(proto);
	free(path);
	if (rc < 0) {
		ps_sync_left_items_free(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return rc < 0 ? rc : PS_OK;
}

void ps_sync_left_items_free(ps_sync_left_item *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].subject);
		free(v[i].cls);
	}
	free(v);
}
