/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the generator of realistic stores (src/core/generate.c): the same
 * seed gives the same items and another seed other ones; a generated store
 * passes the check and every item reads back through both backends (our
 * own PST code and libpff), with the fields the generator promises; edits
 * and deletions of a share of the items leave a clean store.
 */
#include "harness.h"

#include "pstsync/check.h"
#include "pstsync/errors.h"
#include "pstsync/generate.h"
#include "pstsync/item_edit.h"
#include "pstsync/store.h"

#include <stdlib.h>
#include <string.h>

/* 1 when two property sets hold the same properties, byte for byte. */
static int same_props(const ps_propset *a, const ps_propset *b)
{
	size_t i;

	if (a->count != b->count)
		return 0;
	for (i = 0; i < a->count; i++)
		if (a->props[i].tag != b->props[i].tag || a->props[i].size != b->props[i].size
		    || (a->props[i].size && memcmp(a->props[i].data, b->props[i].data, a->props[i].size)))
			return 0;
	return 1;
}

void test_generate__same_seed_same_items(void)
{
	uint32_t index;

	for (index = 0; index < 60; index++) {
		ps_generate_kind kind = ps_generate_kind_of(index);
		ps_item *a = NULL, *b = NULL, *c = NULL;
		size_t k;

		CHECK_OK(ps_generate_item(&a, kind, 42, index));
		CHECK_OK(ps_generate_item(&b, kind, 42, index));
		CHECK_OK(ps_generate_item(&c, kind, 43, index));
		CHECKF(same_props(&a->props, &b->props), "item %u differs between two runs", index);
		CHECKF(!same_props(&a->props, &c->props), "item %u is the same for another seed", index);
		CHECK_EQ_INT(a->recipient_count, b->recipient_count);
		CHECK_EQ_INT(a->attachment_count, b->attachment_count);
		for (k = 0; k < a->recipient_count; k++)
			CHECK(same_props(&a->recipients[k], &b->recipients[k]));
		for (k = 0; k < a->attachment_count; k++)
			CHECK(same_props(&a->attachments[k].props, &b->attachments[k].props));
		ps_item_free(a);
		ps_item_free(b);
		ps_item_free(c);
	}
}

void test_generate__contacts_have_the_usual_fields(void)
{
	uint32_t index, photos = 0, three_emails = 0;

	for (index = 0; index < 400; index += 10) {
		ps_item *it = NULL;
		char *s;

		CHECK_OK(ps_generate_item(&it, PS_GENERATE_CONTACT, 5, index));
		CHECK(ps_item_prop(it, "PidTagGivenName") && ps_item_prop(it, "PidTagSurname"));
		CHECK(ps_item_prop(it, "PidLidEmail1EmailAddress"));
		CHECK(ps_item_prop(it, "PidLidFileUnder"));
		CHECK(ps_item_prop(it, "PidTagBusinessTelephoneNumber"));
		CHECK(ps_item_prop(it, "PidLidWorkAddressCity"));
		s = ps_item_text(it, "PidTagMessageClass");
		CHECK_EQ_STR("IPM.Contact", s);
		free(s);
		three_emails += ps_item_prop(it, "PidLidEmail3EmailAddress") != NULL;
		if (ps_item_prop(it, "PidLidHasPicture")) {
			photos++;
			CHECK_EQ_INT(1, it->attachment_count);
		}
		ps_item_free(it);
	}
	CHECK(photos > 0 && photos < 40);
	CHECK(three_emails > 0);
}

void test_generate__appointments_recur_with_exceptions(void)
{
	uint32_t index, recurring = 0, exceptions = 0, meetings = 0;

	for (index = 0; index < 300; index++) {
		ps_item *it = NULL;
		const ps_prop *rec;

		CHECK_OK(ps_generate_item(&it, PS_GENERATE_APPOINTMENT, 9, index));
		CHECK(ps_item_prop(it, "PidLidAppointmentStartWhole") != NULL);
		rec = ps_item_prop(it, "PidLidAppointmentRecur");
		if (rec) {
			recurring++;
			/* weekly (0x200B), pattern type week, ReaderVersion2 0x3006 after the dates */
			CHECK(rec->size >= 70 && rec->data[4] == 0x0B && rec->data[5] == 0x20);
			if (it->attachment_count) {
				exceptions++;
				CHECK_EQ_INT(PS_ATTACH_EMBEDDED, it->attachments[0].kind);
			}
		}
		meetings += it->recipient_count > 0;
		ps_item_free(it);
	}
	CHECK(recurring > 20 && exceptions > 3 && meetings > 30);
}

struct count {
	ps_store *store;
	unsigned items, failed;
	ps_item_summary last;
};

static int read_cb(const ps_item_summary *s, void *ctx)
{
	struct count *c = ctx;
	ps_item *it = NULL;

	c->items++;
	if (ps_store_read_item(c->store, s->nid, &it) != PS_OK || it->damaged)
		c->failed++;
	ps_item_free(it);
	return 0;
}

static int folder_cb(const ps_folder_info *f, void *ctx)
{
	(void)f;
	(void)ctx;
	return 0;
}

/* Every item of every folder of @p path, read whole through the backend @p flags opens. */
static unsigned read_all(const char *path, unsigned flags, unsigned *failed)
{
	static const char *const folders[] = { "/Contacts", "/Calendar", "/Tasks", "/Inbox" };
	struct count c;
	size_t k;

	memset(&c, 0, sizeof(c));
	CHECK_OK(ps_store_open(&c.store, path, flags));
	CHECK_OK(ps_store_walk_folders(c.store, folder_cb, NULL));
	for (k = 0; k < 4; k++) {
		uint32_t nid;
		CHECK_OK(ps_store_find_folder(c.store, folders[k], &nid));
		CHECK_OK(ps_store_list_items(c.store, nid, read_cb, &c));
	}
	ps_store_close(c.store);
	*failed = c.failed;
	return c.items;
}

static void check_clean(const char *path)
{
	ps_check_summary sum;

	CHECK_OK(ps_pst_check(path, NULL, NULL, &sum));
	CHECKF(sum.problems == 0, "'%s': %u problems", path, sum.problems);
}

void test_generate__store_reads_back_through_both_backends(void)
{
	const char *path = ps_test_path(ps_test_tmpdir(), "gen.pst");
	ps_generate_options opt;
	ps_generate_stats st;
	ps_store *s = NULL;
	unsigned failed = 0;
	uint32_t changed = 0;

	CHECK_OK(ps_store_create(&s, path, NULL));
	ps_generate_options_init(&opt);
	opt.seed = 3;
	opt.items = 500;
	opt.batch = 150;
	CHECK_OK(ps_generate_store(s, &opt, &st));
	ps_store_close(s);
	CHECK_EQ_INT(200, st.items[PS_GENERATE_CONTACT]);
	CHECK_EQ_INT(150, st.items[PS_GENERATE_APPOINTMENT]);
	CHECK_EQ_INT(50, st.items[PS_GENERATE_TASK]);
	CHECK_EQ_INT(100, st.items[PS_GENERATE_MAIL]);
	check_clean(path);
	CHECK_EQ_INT(500, read_all(path, PS_STORE_WRITE, &failed));
	CHECK_EQ_INT(0, failed);
	CHECK_EQ_INT(500, read_all(path, PS_STORE_READ, &failed));
	CHECK_EQ_INT(0, failed);

	/* 5% edited, then 5% deleted: still clean, and the counts add up */
	CHECK_OK(ps_store_open(&s, path, PS_STORE_WRITE));
	CHECK_OK(ps_generate_change(s, 11, 50, PS_GENERATE_EDIT, &changed));
	CHECK(changed > 5 && changed < 60);
	CHECK_OK(ps_generate_change(s, 12, 50, PS_GENERATE_DELETE, &changed));
	CHECK(changed > 5 && changed < 60);
	ps_store_close(s);
	check_clean(path);
	CHECK_EQ_INT(500 - changed, read_all(path, PS_STORE_READ, &failed));
	CHECK_EQ_INT(0, failed);
}
