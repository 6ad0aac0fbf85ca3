/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The sync engine where the stores change under it, on PST files made by
 * our writer (no in-memory store): how far an error spreads (a folder whose
 * contents table is damaged, beside healthy links, for each side and each
 * direction), pairing by PR_SEARCH_KEY whatever the contents (an item
 * edited before the first sync; a link removed, synced, the item edited,
 * the link added again), what a one-way link leaves on one side on
 * purpose, and answered questions counted as what was done.
 */
#include "harness.h"
#include "mem_store.h"

#include "core/utf.h"
#include "pst/ndb.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/protocol.h"
#include "pstsync/settings.h"
#include "pstsync/store.h"
#include "pstsync/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- items ---------------------------------------------------------------------- */

#define T0 0x01DA000000000000ULL

/* An item of class @p cls: subject, body, time and a search key (0: none). */
static ps_item *item_new(const char *cls, const char *subject, const char *body, uint64_t modified,
	int skey)
{
	ps_item *it = calloc(1, sizeof(*it));

	CHECK(it);
	mem_prop_put_text(&it->props, 0x001A, cls);
	mem_prop_put_text(&it->props, 0x0037, subject);
	mem_prop_put_text(&it->props, 0x1000, body);
	mem_prop_put_time(&it->props, 0x3008, modified);
	if (skey) {
		uint8_t k[16];
		memset(k, 0x11, sizeof(k));
		k[0] = (uint8_t)skey;
		k[1] = (uint8_t)(skey >> 8);
		mem_prop_put(&it->props, PS_PROP_TAG(0x300B, PS_PT_BINARY), k, sizeof(k));
	}
	return it;
}

/* ---- a rig: two PST files, a protocol, links ----------------------------------------- */

struct rig {
	char path[2][1024];
	ps_store *st[2];
	ps_protocol *proto;
	char db[1024];
	ps_options options;
	ps_sync_options opt;
	ps_sync_link_spec links[4];
	size_t nlinks;
	ps_sync_result res;
};

static void rig_open(struct rig *r)
{
	int t;

	for (t = 0; t < 2; t++)
		CHECK_OK(ps_store_open(&r->st[t], r->path[t], PS_STORE_WRITE));
}

static void rig_close_stores(struct rig *r)
{
	ps_store_close(r->st[0]);
	ps_store_close(r->st[1]);
	r->st[0] = r->st[1] = NULL;
}

static void rig_init(struct rig *r, const char *tag)
{
	static const char *const names[2] = { "local", "global" };
	int t;

	memset(r, 0, sizeof(*r));
	for (t = 0; t < 2; t++) {
		char file[128];
		snprintf(file, sizeof(file), "%s-%s.pst", tag, names[t]);
		snprintf(r->path[t], sizeof(r->path[t]), "%s", ps_test_path(ps_test_tmpdir(), file));
		CHECK_OK(ps_store_create(&r->st[t], r->path[t], names[t]));
	}
	snprintf(r->db, sizeof(r->db), "%s", ps_test_path(ps_test_tmpdir(), tag));
	CHECK_OK(ps_protocol_open(&r->proto, r->db));
	ps_settings_options_default(&r->options);
	ps_sync_options_init(&r->opt);
}

static void rig_link(struct rig *r, const char *local, const char *global, int direction)
{
	CHECK(r->nlinks < 4);
	r->links[r->nlinks].path[0] = local;
	r->links[r->nlinks].path[1] = global;
	r->links[r->nlinks].direction = direction;
	r->nlinks++;
}

static void rig_free(struct rig *r)
{
	ps_sync_result_clear(&r->res);
	ps_protocol_close(r->proto);
	rig_close_stores(r);
}

static int rig_sync(struct rig *r)
{
	ps_sync_result_clear(&r->res);
	return ps_sync_run(r->proto, r->st, "test", r->links, r->nlinks, &r->options, &r->opt, NULL,
		&r->res);
}

static uint32_t rig_folder(struct rig *r, int t, const char *path)
{
	uint32_t nid = 0;

	CHECK_OK(ps_store_find_folder(r->st[t], path, &nid));
	return nid;
}

static uint32_t rig_add(struct rig *r, int t, const char *folder, const ps_item *it)
{
	uint32_t nid = 0;

	CHECK_OK(ps_store_put_item(r->st[t], rig_folder(r, t, folder), it, 0, &nid));
	return nid;
}

static void rig_set(struct rig *r, int t, const char *folder, uint32_t nid, const ps_item *it)
{
	uint32_t out = 0;

	CHECK_OK(ps_store_put_item(r->st[t], rig_folder(r, t, folder), it, nid, &out));
}

struct names {
	char text[2048];
	size_t n;
};

static int names_cb(const ps_item_summary *it, void *ctx)
{
	struct names *s = ctx;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s%s", s->n ? "," : "", it->subject);
	s->n++;
	return 0;
}

/* The subjects of a folder, in the store's order ("a,b"). */
static const char *rig_names(struct rig *r, int t, const char *folder)
{
	static struct names s;

	memset(&s, 0, sizeof(s));
	CHECK_OK(ps_store_list_items(r->st[t], rig_folder(r, t, folder), names_cb, &s));
	return s.text;
}

static char *body_of_nid(struct rig *r, int t, uint32_t nid)
{
	ps_item *it = NULL;
	char *b;

	CHECK_OK(ps_store_read_item(r->st[t], nid, &it));
	b = ps_prop_to_utf8(ps_propset_find(&it->props, PS_PROP_TAG(0x1000, PS_PT_UNICODE)));
	ps_item_free(it);
	return b;
}

struct bodies {
	struct rig *r;
	int t;
	char text[2048];
};

static int bodies_cb(const ps_item_summary *it, void *ctx)
{
	struct bodies *b = ctx;
	char *body = body_of_nid(b->r, b->t, it->nid);
	size_t len = strlen(b->text);

	snprintf(b->text + len, sizeof(b->text) - len, "%s%s", len ? "," : "", body ? body : "");
	free(body);
	return 0;
}

/* The bodies of a folder, in the store's order. */
static const char *rig_bodies(struct rig *r, int t, const char *folder)
{
	static struct bodies b;

	memset(&b, 0, sizeof(b));
	b.r = r;
	b.t = t;
	CHECK_OK(ps_store_list_items(r->st[t], rig_folder(r, t, folder), bodies_cb, &b));
	return b.text;
}

/* Flip a byte in the contents table of @p folder of side @p t (stores closed
 * and opened again): the folder can no longer be listed. */
static void damage_contents_table(struct rig *r, int t, const char *folder)
{
	uint32_t fnid = rig_folder(r, t, folder);
	ps_ndb *ndb = NULL;
	ps_nbt_entry n;
	ps_bbt_entry e;
	size_t size = 0;
	uint8_t *data;

	rig_close_stores(r);
	data = ps_test_read_file(r->path[t], &size);
	CHECK_OK(ps_ndb_open_mem(&ndb, data, size, r->path[t], 0));
	CHECK_OK(ps_ndb_nbt_lookup(ndb, PS_NID_MAKE(PS_NID_TYPE_CONTENTS_TABLE, fnid >> 5), &n));
	CHECK_OK(ps_ndb_bbt_lookup(ndb, n.bid_data, &e));
	ps_ndb_close(ndb);
	data[e.bref.ib + 8] ^= 0x5A;
	ps_test_write_file(r->path[t], data, size);
	free(data);
	rig_open(r);
}

/* ---- how far an error spreads ------------------------------------------------------- */

void test_sync_truth__scope_of_every_status(void)
{
	static const struct { int code; ps_scope scope; } rows[] = {
		{ PS_OK, PS_SCOPE_NONE },
		{ PS_EITEM, PS_SCOPE_ITEM }, { PS_ENOTFOUND, PS_SCOPE_ITEM },
		{ PS_EUNSUPPORTED, PS_SCOPE_ITEM },
		{ PS_EFOLDER, PS_SCOPE_LINK }, { PS_EINVAL, PS_SCOPE_LINK }, { PS_EEXISTS, PS_SCOPE_LINK },
		{ PS_ERROR, PS_SCOPE_STORE }, { PS_ENOMEM, PS_SCOPE_STORE }, { PS_EIO, PS_SCOPE_STORE },
		{ PS_ENOSPC, PS_SCOPE_STORE }, { PS_ELOCKED, PS_SCOPE_STORE },
		{ PS_ENOTPST, PS_SCOPE_STORE }, { PS_ECORRUPT, PS_SCOPE_STORE },
		{ PS_ECONFIG, PS_SCOPE_STORE }, { PS_EPROTOCOL, PS_SCOPE_STORE },
		{ PS_EABORTED, PS_SCOPE_STORE },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CHECKF(ps_status_scope(rows[i].code) == rows[i].scope, "%s: scope %d, wanted %d",
			ps_status_name(rows[i].code), (int)ps_status_scope(rows[i].code), (int)rows[i].scope);
}

/*
 * Rows: the side whose /Calendar is damaged x the direction of both links.
 * The healthy link (/Contacts) carries its new item where the direction
 * allows; the damaged one fails with a message naming the folder's damage;
 * the profile completes; nothing of the damaged link is written anywhere.
 */
void test_sync_truth__damaged_folder_beside_healthy_ones(void)
{
	static const int dirs[3] = { PS_DIRECTION_BOTH, PS_DIRECTION_FROM_GLOBAL, PS_DIRECTION_TO_GLOBAL };
	int side, d;

	for (side = 0; side < 2; side++) {
		for (d = 0; d < 3; d++) {
			struct rig r;
			char tag[64];
			int from = dirs[d] == PS_DIRECTION_FROM_GLOBAL ? 1 : 0, to = from ^ 1;
			ps_item *a = item_new("IPM.Contact", "Anna", "a", T0, 1);
			ps_item *b = item_new("IPM.Contact", "Bert", "b", T0, 2);
			ps_item *m = item_new("IPM.Appointment", "Meeting", "m", T0, 3);
			ps_item *n = item_new("IPM.Appointment", "Lunch", "l", T0, 4);
			const ps_sync_link_result *cal, *con;

			snprintf(tag, sizeof(tag), "dmg-%d-%d", side, d);
			rig_init(&r, tag);
			rig_link(&r, "/Contacts", "/Contacts", dirs[d]);
			rig_link(&r, "/Calendar", "/Calendar", dirs[d]);
			rig_add(&r, from, "/Contacts", a);
			rig_add(&r, from, "/Calendar", m);
			CHECK_OK(rig_sync(&r));
			CHECK_EQ_STR("Anna", rig_names(&r, to, "/Contacts"));
			CHECK_EQ_STR("Meeting", rig_names(&r, to, "/Calendar"));
			/* new items on both links, then one side's /Calendar damaged */
			rig_add(&r, from, "/Contacts", b);
			rig_add(&r, side == from ? to : from, "/Calendar", n);
			damage_contents_table(&r, side, "/Calendar");
			CHECKF(rig_sync(&r) == PS_OK, "row side %d dir %d: %s", side, d, ps_error_last());
			con = &r.res.links[0];
			cal = &r.res.links[1];
			CHECKF(con->status == PS_OK, "row side %d dir %d: healthy link failed: %s", side, d,
				con->error ? con->error : "");
			CHECK_EQ_INT(1, con->counts.copied[to]);
			CHECK_EQ_STR("Anna,Bert", rig_names(&r, to, "/Contacts"));
			CHECK_EQ_INT(PS_EFOLDER, cal->status);
			CHECKF(cal->error && strstr(cal->error, "damaged"), "row side %d dir %d: %s", side, d,
				cal->error ? cal->error : "(none)");
			CHECK_EQ_INT(0, cal->counts.copied[0] + cal->counts.copied[1]);
			/* and the next sync: the healthy link in step, the damaged one fails again */
			CHECK_OK(rig_sync(&r));
			CHECK_EQ_INT(0, r.res.links[0].counts.copied[0] + r.res.links[0].counts.copied[1]);
			CHECK_EQ_INT(PS_EFOLDER, r.res.links[1].status);
			ps_item_free(a);
			ps_item_free(b);
			ps_item_free(m);
			ps_item_free(n);
			rig_free(&r);
		}
	}
}

/* An item the writer refuses is skipped alone (item scope), not the link. */
void test_sync_truth__refused_item_is_skipped_alone(void)
{
	struct rig r;
	ps_item *good = item_new("IPM.Contact", "Good", "g", T0, 1);
	ps_item *bad = item_new("IPM.Contact", "Bad", "b", T0, 2);
	uint32_t tag = PS_PROP_TAG(0x6ABC, 0x0048); /* PT_CLSID of 3 bytes: cannot be written */
	int rc;

	mem_prop_put(&bad->props, tag, "abc", 3);
	rig_init(&r, "refused");
	rig_link(&r, "/Contacts", "/Contacts", PS_DIRECTION_BOTH);
	rig_add(&r, 0, "/Contacts", good);
	/* the writer refuses it outright, with an item-scope status */
	{
		uint32_t nid = 0;
		rc = ps_store_put_item(r.st[1], rig_folder(&r, 1, "/Contacts"), bad, 0, &nid);
		if (rc == PS_OK) {
			/* this writer drops what it cannot write: nothing to refuse here */
			ps_store_delete_item(r.st[1], nid);
		} else {
			CHECK_EQ_INT(PS_SCOPE_ITEM, ps_status_scope(rc));
		}
	}
	CHECK_OK(rig_sync(&r));
	CHECK_EQ_INT(PS_OK, r.res.links[0].status);
	CHECK_EQ_STR("Good", rig_names(&r, 1, "/Contacts"));
	ps_item_free(good);
	ps_item_free(bad);
	rig_free(&r);
}

/* ---- pairing by search key -------------------------------------------------------------- */

/* Two stores with the same contacts, one edited locally before the first
 * sync: one pair per contact (a conflict for the edited one), never two. */
void test_sync_truth__same_key_edited_before_first_sync(void)
{
	struct rig r;
	const char *names[3] = { "Anna", "Bert", "Carl" };
	uint32_t nid0 = 0;
	int i, t;

	rig_init(&r, "skey1");
	rig_link(&r, "/Contacts", "/Contacts", PS_DIRECTION_BOTH);
	for (i = 0; i < 3; i++) {
		for (t = 0; t < 2; t++) {
			ps_item *it = item_new("IPM.Contact", names[i], "same", T0, 10 + i);
			uint32_t nid = rig_add(&r, t, "/Contacts", it);
			if (i == 0 && t == 0)
				nid0 = nid;
			ps_item_free(it);
		}
	}
	{
		ps_item *it = item_new("IPM.Contact", "Anna", "edited before", T0 + 1000, 10);
		rig_set(&r, 0, "/Contacts", nid0, it);
		ps_item_free(it);
	}
	r.opt.conflicts = PS_SYNC_CONFLICTS_LATER;
	CHECK_OK(rig_sync(&r));
	CHECK_EQ_INT(2, r.res.counts.paired);
	CHECK_EQ_INT(1, r.res.counts.conflicts);
	CHECK_EQ_INT(0, r.res.counts.copied[0] + r.res.counts.copied[1]);
	for (t = 0; t < 2; t++)
		CHECK_EQ_STR("Anna,Bert,Carl", rig_names(&r, t, "/Contacts"));
	r.opt.conflicts = PS_SYNC_CONFLICTS_LOCAL;
	CHECK_OK(rig_sync(&r));
	CHECK_EQ_INT(1, r.res.counts.overwritten[1]);
	CHECK_EQ_INT(1, r.res.counts.kept[0]);
	for (t = 0; t < 2; t++) {
		CHECK_EQ_STR("Anna,Bert,Carl", rig_names(&r, t, "/Contacts"));
		CHECK_EQ_STR("edited before,same,same", rig_bodies(&r, t, "/Contacts"));
	}
	CHECK_OK(rig_sync(&r));
	CHECK_EQ_INT(0, r.res.counts.overwritten[0] + r.res.counts.overwritten[1] +
		r.res.counts.copied[0] + r.res.counts.copied[1] + r.res.counts.conflicts);
	rig_free(&r);
}

/* A link removed, synced (its record retired), the item edited, the link
 * added again: the edited item and its old copy are one pair, and the
 * retired record tells that only the global side changed: carried over,
 * no question. */
void test_sync_truth__same_key_after_link_readded(void)
{
	struct rig r;
	ps_item *a = item_new("IPM.Contact", "Anna", "first", T0, 7);
	ps_item *b = item_new("IPM.Contact", "Bert", "first", T0, 8);
	ps_item *e = item_new("IPM.Contact", "Anna", "edited later", T0 + 5000, 7);
	uint32_t nid;
	int t;

	rig_init(&r, "skey2");
	rig_link(&r, "/Contacts", "/Contacts", PS_DIRECTION_BOTH);
	nid = rig_add(&r, 1, "/Contacts", a);
	rig_add(&r, 1, "/Contacts", b);
	CHECK_OK(rig_sync(&r));
	CHECK_EQ_INT(2, r.res.counts.copied[0]);
	r.nlinks = 0;
	CHECK_OK(rig_sync(&r));
	rig_set(&r, 1, "/Contacts", nid, e);
	rig_link(&r, "/Contacts", "/Contacts", PS_DIRECTION_BOTH);
	r.opt.conflicts = PS_SYNC_CONFLICTS_LATER;
	CHECK_OK(rig_sync(&r));
	CHECK_EQ_INT(1, r.res.counts.paired);
	CHECK_EQ_INT(0, r.res.counts.conflicts);
	CHECK_EQ_INT(0, r.res.counts.copied[0] + r.res.counts.copied[1]);
	CHECK_EQ_INT(1, r.res.counts.overwritten[0]);
	for (t = 0; t < 2; t++) {
		CHECK_EQ_STR("Anna,Bert", rig_names(&r, t, "/Contacts"));
		CHECK_EQ_STR("edited later,first", rig_bodies(&r, t, "/Contacts"));
	}
	ps_item_free(a);
	ps_item_free(b);
	ps_item_free(e);
	rig_free(&r);
}

/* ---- one-way links: what they leave on one side ---------------------------------------- */

/*
 * Rows: direction x the side a new item appears on -> not_carried per
 * side, after the sync and after a second one (the figure is a state, not
 * an event); a two-way link leaves nothing.
 */
void test_sync_truth__not_carried_rows(void)
{
	static const struct { int dir, side; unsigned want[2]; } rows[] = {
		{ PS_DIRECTION_BOTH, 0, { 0, 0 } },
		{ PS_DIRECTION_BOTH, 1, { 0, 0 } },
		{ PS_DIRECTION_FROM_GLOBAL, 0, { 1, 0 } },
		{ PS_DIRECTION_FROM_GLOBAL, 1, { 0, 0 } },
		{ PS_DIRECTION_TO_GLOBAL, 0, { 0, 0 } },
		{ PS_DIRECTION_TO_GLOBAL, 1, { 0, 1 } },
	};
	size_t i;
	int round;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct rig r;
		char tag[32];
		ps_item *it = item_new("IPM.Contact", "New", "n", T0, 40);
		ps_item *old = item_new("IPM.Contact", "Old", "o", T0, 41);

		snprintf(tag, sizeof(tag), "nc-%zu", i);
		rig_init(&r, tag);
		rig_link(&r, "/Contacts", "/Contacts", rows[i].dir);
		rig_add(&r, rows[i].dir == PS_DIRECTION_TO_GLOBAL ? 0 : 1, "/Contacts", old);
		CHECK_OK(rig_sync(&r));
		CHECK_EQ_INT(0, r.res.links[0].counts.not_carried[0] + r.res.links[0].counts.not_carried[1]);
		rig_add(&r, rows[i].side, "/Contacts", it);
		for (round = 0; round < 2; round++) {
			CHECK_OK(rig_sync(&r));
			CHECKF(r.res.links[0].counts.not_carried[0] == rows[i].want[0] &&
				r.res.links[0].counts.not_carried[1] == rows[i].want[1],
				"row %zu round %d: not carried %u/%u, wanted %u/%u", i, round,
				r.res.links[0].counts.not_carried[0], r.res.links[0].counts.not_carried[1],
				rows[i].want[0], rows[i].want[1]);
		}
		ps_item_free(it);
		ps_item_free(old);
		rig_free(&r);
	}
}

static int first_cb(const ps_item_summary *it, void *ctx)
{
	*(uint32_t *)ctx = it->nid;
	return 1;
}

static uint32_t rig_first_nid(struct rig *r, int t, const char *folder)
{
	uint32_t nid = 0;

	CHECK(ps_store_list_items(r->st[t], rig_folder(r, t, folder), first_cb, &nid) >= 0);
	CHECK(nid);
	return nid;
}

/* "Keep mine, unlinked" on a from-global link: the global item is kept
 * unlinked (not received), the local one is an item of its own (not
 * published); relink makes them one pair again, a conflict answered. */
void test_sync_truth__unlinked_then_relinked(void)
{
	struct rig r;
	ps_item *a = item_new("IPM.Contact", "Anna", "first", T0, 50);
	ps_item *mine = item_new("IPM.Contact", "Anna", "mine", T0 + 100, 50);
	ps_item *theirs = item_new("IPM.Contact", "Anna", "theirs", T0 + 200, 50);
	uint32_t g;

	rig_init(&r, "relink");
	rig_link(&r, "/Contacts", "/Contacts", PS_DIRECTION_FROM_GLOBAL);
	g = rig_add(&r, 1, "/Contacts", a);
	CHECK_OK(rig_sync(&r));
	rig_set(&r, 0, "/Contacts", rig_first_nid(&r, 0, "/Contacts"), mine);
	r.opt.conflicts = PS_SYNC_CONFLICTS_LOCAL; /* keep mine: unlinked on a read-only link */
	CHECK_OK(rig_sync(&r));
	CHECK_EQ_INT(1, r.res.counts.unlinked);
	CHECK_EQ_INT(1, r.res.links[0].counts.not_carried[0]);
	CHECK_EQ_INT(1, r.res.links[0].counts.not_carried[1]);
	/* later global edits do not arrive, and the figures say why */
	rig_set(&r, 1, "/Contacts", g, theirs);
	CHECK_OK(rig_sync(&r));
	CHECK_EQ_STR("mine", rig_bodies(&r, 0, "/Contacts"));
	CHECK_EQ_INT(1, r.res.links[0].counts.not_carried[1]);
	/* "both" is no answer on a one-way link: left for a person, not unlinked */
	r.opt.relink = 1;
	r.opt.conflicts = PS_SYNC_CONFLICTS_BOTH;
	CHECK_OK(rig_sync(&r));
	CHECK_EQ_INT(0, r.res.counts.unlinked);
	CHECK_EQ_INT(1, r.res.counts.outstanding);
	CHECK_EQ_STR("mine", rig_bodies(&r, 0, "/Contacts"));
	r.opt.relink = 0;
	r.opt.conflicts = PS_SYNC_CONFLICTS_GLOBAL;
	CHECK_OK(rig_sync(&r));
	CHECK_EQ_INT(1, r.res.counts.kept[1]);
	CHECK_EQ_STR("theirs", rig_bodies(&r, 0, "/Contacts"));
	CHECK_EQ_STR("Anna", rig_names(&r, 0, "/Contacts"));
	CHECK_EQ_INT(0, r.res.links[0].counts.not_carried[0] + r.res.links[0].counts.not_carried[1]);
	ps_item_free(a);
	ps_item_free(mine);
	ps_item_free(theirs);
	rig_free(&r);
}
