/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The in-memory store of the sync tests (see mem_store.h); the Makefile
 * links it, with the other helpers in TEST_HELPERS, into the test runner.
 */
#include "mem_store.h"
#include "harness.h"

#include "core/utf.h"

#include "pstsync/errors.h"
#include "pstsync/item.h"
#include "pstsync/sys/store_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct blob {
	int refs;
	ps_item *item;
	uint64_t modified, size;
};

struct rec {
	uint32_t nid, folder;
	struct blob *b;
};

struct mfolder {
	uint32_t nid, parent;
	char *name, *cls, *path;
};

struct state {
	struct mfolder *f;
	size_t nf;
	struct rec *r;
	size_t nr;
	uint32_t next;
};

struct mem_store {
	struct ps_store base;
	mem_world *w;
	uint8_t record_key[16];
	struct state cur;
	struct state saved;
	int in_tx;
};

/* ---- items ----------------------------------------------------------------- */

static void propset_dup(ps_propset *dst, const ps_propset *src)
{
	size_t i;

	dst->count = src->count;
	dst->props = calloc(src->count + 1, sizeof(*dst->props));
	for (i = 0; i < src->count; i++) {
		const ps_prop *p = &src->props[i];
		ps_prop *q = &dst->props[i];
		*q = *p;
		q->data = NULL;
		if (p->size) {
			q->data = malloc(p->size);
			memcpy(q->data, p->data, p->size);
		}
		q->named.name = NULL;
		if (p->named.name) {
			q->named.name = malloc(strlen(p->named.name) + 1);
			strcpy(q->named.name, p->named.name);
		}
	}
}

ps_item *mem_item_dup(const ps_item *item)
{
	ps_item *c = calloc(1, sizeof(*c));
	size_t i;

	c->nid = item->nid;
	propset_dup(&c->props, &item->props);
	c->recipient_count = item->recipient_count;
	c->recipients = calloc(item->recipient_count + 1, sizeof(*c->recipients));
	for (i = 0; i < item->recipient_count; i++)
		propset_dup(&c->recipients[i], &item->recipients[i]);
	c->attachment_count = item->attachment_count;
	c->attachments = calloc(item->attachment_count + 1, sizeof(*c->attachments));
	for (i = 0; i < item->attachment_count; i++) {
		propset_dup(&c->attachments[i].props, &item->attachments[i].props);
		c->attachments[i].kind = item->attachments[i].kind;
		if (item->attachments[i].embedded)
			c->attachments[i].embedded = mem_item_dup(item->attachments[i].embedded);
	}
	return c;
}

static uint64_t propset_size(const ps_propset *s)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < s->count; i++)
		n += 8 + s->props[i].size;
	return n;
}

static uint64_t item_size(const ps_item *item)
{
	uint64_t n = 100 + propset_size(&item->props);
	size_t i;

	for (i = 0; i < item->recipient_count; i++)
		n += 16 + propset_size(&item->recipients[i]);
	for (i = 0; i < item->attachment_count; i++) {
		n += 16 + propset_size(&item->attachments[i].props);
		if (item->attachments[i].embedded)
			n += item_size(item->attachments[i].embedded);
	}
	return n;
}

static struct blob *blob_new(const ps_item *item)
{
	struct blob *b = calloc(1, sizeof(*b));
	const ps_prop *m;
	size_t i;

	b->refs = 1;
	b->item = mem_item_dup(item);
	/* what a store computes itself is not kept from the copy */
	for (i = 0; i < b->item->props.count; i++) {
		uint16_t id = PS_PROP_ID(b->item->props.props[i].tag);
		if (id == 0x0E08 || id == 0x0FFF) {
			free(b->item->props.props[i].data);
			free(b->item->props.props[i].named.name);
			b->item->props.props[i] = b->item->props.props[--b->item->props.count];
			i--;
		}
	}
	m = ps_propset_find(&b->item->props, PS_PROP_TAG(0x3008, PS_PT_SYSTIME));
	b->modified = m ? (uint64_t)ps_prop_int(m, 0) : 0;
	b->size = item_size(b->item);
	return b;
}

static void blob_unref(struct blob *b)
{
	if (b && --b->refs == 0) {
		ps_item_free(b->item);
		free(b);
	}
}

/* ---- states ---------------------------------------------------------------- */

static char *dupstr(const char *s)
{
	char *c = malloc(strlen(s) + 1);

	strcpy(c, s);
	return c;
}

static void state_free(struct state *s)
{
	size_t i;

	for (i = 0; i < s->nf; i++) {
		free(s->f[i].name);
		free(s->f[i].cls);
		free(s->f[i].path);
	}
	free(s->f);
	for (i = 0; i < s->nr; i++)
		blob_unref(s->r[i].b);
	free(s->r);
	memset(s, 0, sizeof(*s));
}

static void state_copy(struct state *dst, const struct state *src)
{
	size_t i;

	dst->nf = src->nf;
	dst->f = calloc(src->nf + 1, sizeof(*dst->f));
	for (i = 0; i < src->nf; i++) {
		dst->f[i] = src->f[i];
		dst->f[i].name = dupstr(src->f[i].name);
		dst->f[i].cls = dupstr(src->f[i].cls);
		dst->f[i].path = dupstr(src->f[i].path);
	}
	dst->nr = src->nr;
	dst->r = calloc(src->nr + 1, sizeof(*dst->r));
	for (i = 0; i < src->nr; i++) {
		dst->r[i] = src->r[i];
		dst->r[i].b->refs++;
	}
	dst->next = src->next;
}

static struct mfolder *folder_of(struct state *s, uint32_t nid)
{
	size_t i;

	for (i = 0; i < s->nf; i++)
		if (s->f[i].nid == nid)
			return &s->f[i];
	return NULL;
}

static long rec_of(struct state *s, uint32_t nid)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		if (s->r[i].nid == nid)
			return (long)i;
	return -1;
}

static uint32_t add_folder(struct state *s, uint32_t parent, const char *name, const char *cls)
{
	struct mfolder *p = folder_of(s, parent);
	struct mfolder *f;
	char *path;
	size_t len;

	if (!p) {
		path = dupstr("/");
	} else {
		len = strlen(p->path) + strlen(name) + 2;
		path = malloc(len);
		snprintf(path, len, "%s%s%s", p->path, strcmp(p->path, "/") ? "/" : "", name);
	}
	s->f = realloc(s->f, (s->nf + 1) * sizeof(*s->f));
	f = &s->f[s->nf++];
	f->nid = (s->next++ << 5) | 0x02;
	f->parent = parent;
	f->name = dupstr(name);
	f->cls = dupstr(cls ? cls : "");
	f->path = path;
	return f->nid;
}

static uint32_t add_rec(struct state *s, uint32_t folder, struct blob *b)
{
	s->r = realloc(s->r, (s->nr + 1) * sizeof(*s->r));
	s->r[s->nr].nid = (s->next++ << 5) | 0x04;
	s->r[s->nr].folder = folder;
	s->r[s->nr].b = b;
	return s->r[s->nr++].nid;
}

/* ---- faults ------------------------------------------------------------------ */

static void crash(mem_world *w)
{
	int i;

	w->crashed = 1;
	for (i = 0; i < w->nstores; i++) {
		struct mem_store *m = (struct mem_store *)w->stores[i];
		if (m->in_tx) {
			state_free(&m->cur);
			m->cur = m->saved;
			memset(&m->saved, 0, sizeof(m->saved));
			m->in_tx = 0;
		}
	}
}

static int dead(struct mem_store *m)
{
	return ps_error_set(PS_EIO, "cannot use '%s': the process was killed (test)", m->base.path);
}

/* Every write call passes here: 0 go on, 1 go on then crash, <0 fail now. */
static int gate(struct mem_store *m)
{
	mem_world *w = m->w;

	if (w->crashed)
		return dead(m);
	w->writes++;
	if (w->fail_at && w->writes == w->fail_at) {
		if (w->after_effect)
			return 1;
		crash(w);
		return dead(m);
	}
	return 0;
}

static int after(struct mem_store *m, int g, int rc)
{
	if (g == 1) {
		crash(m->w);
		return dead(m);
	}
	return rc;
}

/* ---- the backend ---------------------------------------------------------------- */

static void mem_close(struct ps_store *store)
{
	struct mem_store *m = (struct mem_store *)store;

	state_free(&m->cur);
	state_free(&m->saved);
	free(m);
}

static int mem_get_info(struct ps_store *store, ps_store_info *info)
{
	struct mem_store *m = (struct mem_store *)store;

	info->unicode = 1;
	info->display_name = dupstr("mem");
	memcpy(info->record_key, m->record_key, 16);
	info->has_record_key = 1;
	info->ipm_subtree_nid = m->cur.f[0].nid;
	return PS_OK;
}

static int mem_walk_folders(struct ps_store *store, ps_folder_cb cb, void *ctx)
{
	struct mem_store *m = (struct mem_store *)store;
	size_t i;
	int rc;

	if (m->w->crashed)
		return dead(m);
	for (i = 0; i < m->cur.nf; i++) {
		ps_folder_info fi;
		const char *p;
		memset(&fi, 0, sizeof(fi));
		fi.nid = m->cur.f[i].nid;
		fi.parent_nid = m->cur.f[i].parent;
		fi.path = m->cur.f[i].path;
		fi.name = m->cur.f[i].name;
		fi.container_class = m->cur.f[i].cls;
		for (p = fi.path; *p; p++)
			fi.depth += *p == '/' && p[1];
		if ((rc = cb(&fi, ctx)) != 0)
			return rc;
	}
	return PS_OK;
}

static int mem_list_items(struct ps_store *store, uint32_t folder, ps_item_cb cb, void *ctx)
{
	struct mem_store *m = (struct mem_store *)store;
	size_t i;
	int rc = 0;

	if (m->w->crashed)
		return dead(m);
	m->w->lists++;
	if (!folder_of(&m->cur, folder))
		return ps_error_set(PS_ENOTFOUND, "no folder 0x%x", folder);
	for (i = 0; i < m->cur.nr && rc == 0; i++) {
		const struct rec *r = &m->cur.r[i];
		const ps_item *it = r->b->item;
		const ps_prop *skey = ps_propset_find(&it->props, PS_PROP_TAG(0x300B, PS_PT_BINARY));
		ps_item_summary s;
		char *subject, *cls;
		if (r->folder != folder)
			continue;
		memset(&s, 0, sizeof(s));
		s.nid = r->nid;
		ps_entry_id_make(s.entry_id, m->record_key, r->nid);
		subject = ps_prop_to_utf8(ps_propset_find_id(&it->props, 0x0037));
		cls = ps_prop_to_utf8(ps_propset_find_id(&it->props, 0x001A));
		s.subject = subject ? subject : "";
		s.message_class = cls ? cls : "";
		s.modified = r->b->modified;
		s.size = r->b->size;
		if (skey) {
			s.search_key = skey->data;
			s.search_key_size = skey->size;
		}
		rc = cb(&s, ctx);
		free(subject);
		free(cls);
	}
	return rc;
}

static int mem_read_item(struct ps_store *store, uint32_t nid, ps_item **out)
{
	struct mem_store *m = (struct mem_store *)store;
	long i;

	if (m->w->crashed)
		return dead(m);
	m->w->reads++;
	if (m->w->bad_nid && nid == m->w->bad_nid)
		return ps_error_set(PS_EITEM, "item 0x%x of '%s' is damaged (test)", nid, store->path);
	i = rec_of(&m->cur, nid);
	if (i < 0)
		return ps_error_set(PS_ENOTFOUND, "no item 0x%x in '%s'", nid, store->path);
	*out = mem_item_dup(m->cur.r[i].b->item);
	(*out)->nid = nid;
	return PS_OK;
}

static int mem_begin(struct ps_store *store)
{
	struct mem_store *m = (struct mem_store *)store;
	int g = gate(m);

	if (g < 0)
		return g;
	if (m->in_tx)
		return ps_error_set(PS_EINVAL, "a transaction is open already");
	state_copy(&m->saved, &m->cur);
	m->in_tx = 1;
	return after(m, g, PS_OK);
}

static int mem_commit(struct ps_store *store)
{
	struct mem_store *m = (struct mem_store *)store;
	int g = gate(m);

	if (g < 0)
		return g;
	if (m->in_tx) {
		state_free(&m->saved);
		m->in_tx = 0;
	}
	return after(m, g, PS_OK);
}

static void mem_abort(struct ps_store *store)
{
	struct mem_store *m = (struct mem_store *)store;

	if (m->in_tx) {
		state_free(&m->cur);
		m->cur = m->saved;
		memset(&m->saved, 0, sizeof(m->saved));
		m->in_tx = 0;
	}
}

static int mem_create_folder(struct ps_store *store, uint32_t parent, const char *name,
	const char *cls, uint32_t *nid_out)
{
	struct mem_store *m = (struct mem_store *)store;
	size_t i;
	int g = gate(m);

	if (g < 0)
		return g;
	if (!folder_of(&m->cur, parent))
		return after(m, g, ps_error_set(PS_ENOTFOUND, "no folder 0x%x", parent));
	for (i = 0; i < m->cur.nf; i++) {
		if (m->cur.f[i].parent == parent && strcmp(m->cur.f[i].name, name) == 0) {
			*nid_out = m->cur.f[i].nid;
			return after(m, g, ps_error_set(PS_EEXISTS, "folder '%s' exists", name));
		}
	}
	*nid_out = add_folder(&m->cur, parent, name, cls);
	return after(m, g, PS_OK);
}

static int mem_put_item(struct ps_store *store, uint32_t folder, const ps_item *item,
	uint32_t replace_nid, uint32_t *nid_out)
{
	struct mem_store *m = (struct mem_store *)store;
	int g = gate(m);

	if (g < 0)
		return g;
	if (!folder_of(&m->cur, folder))
		return after(m, g, ps_error_set(PS_ENOTFOUND, "no folder 0x%x", folder));
	if (replace_nid) {
		long i = rec_of(&m->cur, replace_nid);
		if (i < 0 || m->cur.r[i].folder != folder)
			return after(m, g, ps_error_set(PS_ENOTFOUND, "no item 0x%x in folder 0x%x",
				replace_nid, folder));
		blob_unref(m->cur.r[i].b);
		m->cur.r[i].b = blob_new(item);
		*nid_out = replace_nid;
	} else {
		*nid_out = add_rec(&m->cur, folder, blob_new(item));
	}
	return after(m, g, PS_OK);
}

static int mem_delete_item(struct ps_store *store, uint32_t nid)
{
	struct mem_store *m = (struct mem_store *)store;
	long i;
	int g = gate(m);

	if (g < 0)
		return g;
	i = rec_of(&m->cur, nid);
	if (i < 0)
		return after(m, g, ps_error_set(PS_ENOTFOUND, "no item 0x%x", nid));
	blob_unref(m->cur.r[i].b);
	m->cur.r[i] = m->cur.r[--m->cur.nr];
	return after(m, g, PS_OK);
}

static const struct ps_store_ops mem_ops = {
	.name = "mem",
	.open = NULL,
	.close = mem_close,
	.get_info = mem_get_info,
	.walk_folders = mem_walk_folders,
	.list_items = mem_list_items,
	.read_item = mem_read_item,
	.begin = mem_begin,
	.commit = mem_commit,
	.abort = mem_abort,
	.create_folder = mem_create_folder,
	.rename_folder = NULL,
	.delete_folder = NULL,
	.put_item = mem_put_item,
	.delete_item = mem_delete_item,
};

/* ---- test set-up ------------------------------------------------------------------- */

ps_store *mem_store_new(mem_world *world, const char *name)
{
	struct mem_store *m = calloc(1, sizeof(*m));
	static uint8_t counter;
	int i;

	m->base.ops = &mem_ops;
	m->base.path = dupstr(name);
	m->w = world;
	for (i = 0; i < 16; i++)
		m->record_key[i] = (uint8_t)(0x40 + i * 7 + counter);
	counter++;
	m->cur.next = 0x400;
	add_folder(&m->cur, 0, "", "");
	if (world->nstores < 2)
		world->stores[world->nstores++] = &m->base;
	return &m->base;
}

void mem_world_revive(mem_world *world)
{
	world->crashed = 0;
	world->fail_at = 0;
	world->after_effect = 0;
}

uint32_t mem_store_add_folder(ps_store *store, const char *path, const char *cls)
{
	struct mem_store *m = (struct mem_store *)store;
	const char *slash = strrchr(path, '/');
	char parent[512];
	size_t i;

	snprintf(parent, sizeof(parent), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	for (i = 0; i < m->cur.nf; i++)
		if (strcmp(m->cur.f[i].path, parent) == 0)
			return add_folder(&m->cur, m->cur.f[i].nid, slash + 1, cls);
	return 0;
}

uint32_t mem_store_add_item(ps_store *store, uint32_t folder, const ps_item *item)
{
	struct mem_store *m = (struct mem_store *)store;

	return add_rec(&m->cur, folder, blob_new(item));
}

void mem_store_set_item(ps_store *store, uint32_t nid, const ps_item *item)
{
	struct mem_store *m = (struct mem_store *)store;
	long i = rec_of(&m->cur, nid);

	if (i < 0)
		return;
	blob_unref(m->cur.r[i].b);
	m->cur.r[i].b = blob_new(item);
}

void mem_store_remove_item(ps_store *store, uint32_t nid)
{
	struct mem_store *m = (struct mem_store *)store;
	long i = rec_of(&m->cur, nid);

	if (i < 0)
		return;
	blob_unref(m->cur.r[i].b);
	m->cur.r[i] = m->cur.r[--m->cur.nr];
}

size_t mem_store_items(ps_store *store, uint32_t folder, uint32_t *nids, size_t max)
{
	struct mem_store *m = (struct mem_store *)store;
	size_t i, n = 0;

	for (i = 0; i < m->cur.nr; i++) {
		if (m->cur.r[i].folder != folder)
			continue;
		if (n < max)
			nids[n] = m->cur.r[i].nid;
		n++;
	}
	return n;
}

const ps_item *mem_store_item(ps_store *store, uint32_t nid)
{
	struct mem_store *m = (struct mem_store *)store;
	long i = rec_of(&m->cur, nid);

	return i < 0 ? NULL : m->cur.r[i].b->item;
}

/* ---- properties for test items ---------------------------------------------- */

void mem_prop_put(ps_propset *set, uint32_t tag, const void *data, size_t size)
{
	ps_prop *p;

	set->props = realloc(set->props, (set->count + 1) * sizeof(*set->props));
	CHECK(set->props);
	p = &set->props[set->count++];
	memset(p, 0, sizeof(*p));
	p->tag = tag;
	p->size = size;
	if (size) {
		p->data = malloc(size);
		CHECK(p->data);
		memcpy(p->data, data, size);
	}
}

void mem_prop_put_text(ps_propset *set, uint16_t id, const char *text)
{
	size_t n = 0;
	uint8_t *w = ps_utf8_to_utf16le(text, &n);

	CHECK(w);
	mem_prop_put(set, PS_PROP_TAG(id, PS_PT_UNICODE), w, n);
	free(w);
}

void mem_prop_put_time(ps_propset *set, uint16_t id, uint64_t t)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(t >> (8 * i));
	mem_prop_put(set, PS_PROP_TAG(id, PS_PT_SYSTIME), b, 8);
}
