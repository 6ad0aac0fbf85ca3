/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the recovery store (src/core/recovery.c) on real PST files: a
 * version kept and read back is the item it was (every property, recipient
 * and attachment, its modification time back); its properties of our own
 * say when, what, why and from where; pruning by days and by size; the
 * path beside the protocol; a damaged file set aside.
 */
#include "harness.h"

#include "pstsync/errors.h"
#include "pstsync/item_edit.h"
#include "pstsync/recovery.h"
#include "pstsync/store.h"
#include "pstsync/sync.h"

#include <stdlib.h>
#include <string.h>

#define DAY 864000000000ull

/* A contact with a recipient-less body and an attachment, in a new store. */
static ps_item *make_item(const char *subject, uint64_t modified)
{
	ps_item *item = calloc(1, sizeof(*item));
	static const uint8_t ns[16] = { 1, 2, 3 };
	uint8_t data[300];
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	CHECK(item != NULL);
	CHECK_OK(ps_propset_set_text(&item->props, "PidTagMessageClass", "IPM.Contact"));
	CHECK_OK(ps_item_set_subject(item, subject));
	CHECK_OK(ps_propset_set_text(&item->props, "PidTagBody", "a body with some words"));
	CHECK_OK(ps_item_defaults(item, "IPM.Contact", ns));
	/* after the defaults: a new item's time is now */
	CHECK_OK(ps_propset_set_time(&item->props, "PidTagLastModificationTime", modified));
	item->recipients = calloc(1, sizeof(ps_propset));
	item->recipient_count = 1;
	CHECK_OK(ps_propset_set_text(&item->recipients[0], "PidTagDisplayName", "Anna"));
	CHECK_OK(ps_propset_set_text(&item->recipients[0], "PidTagEmailAddress", "anna@example.org"));
	CHECK_OK(ps_propset_set_long(&item->recipients[0], "PidTagRecipientType", 1));
	item->attachments = calloc(1, sizeof(ps_attachment));
	item->attachment_count = 1;
	item->attachments[0].kind = PS_ATTACH_BY_VALUE;
	CHECK_OK(ps_propset_set_long(&item->attachments[0].props, "PidTagAttachMethod", 1));
	CHECK_OK(ps_propset_set_text(&item->attachments[0].props, "PidTagAttachLongFilename", "a.bin"));
	CHECK_OK(ps_propset_set_raw(&item->attachments[0].props, "PidTagAttachDataBinary", data, sizeof(data)));
	return item;
}

static ps_recovery_meta meta(const uint8_t eid[24], int side, int what)
{
	ps_recovery_meta m;

	memset(&m, 0, sizeof(m));
	m.sync_id = 42;
	m.what = what;
	m.why = "answer keep-global";
	m.side = side;
	m.store_path = "/somewhere/outlook.pst";
	m.folder = "/Contacts/Family%2FFriends";
	m.container_class = "IPF.Contact";
	m.entry_id = eid;
	m.entry_id_size = 24;
	return m;
}

void test_recovery__path_beside_the_protocol(void)
{
	char *p = NULL;

	CHECK_OK(ps_recovery_path("/home/a/.config/pstsync/protocol-office-1a2b3c4d.db", &p));
	CHECK_EQ_STR("/home/a/.config/pstsync/recovery-office-1a2b3c4d.pst", p);
	free(p);
	CHECK_OK(ps_recovery_path("C:\\x\\protocol-a.db", &p));
	CHECK_EQ_STR("C:\\x\\recovery-a.pst", p);
	free(p);
	CHECK_OK(ps_recovery_path("/tmp/mine.sqlite", &p));
	CHECK_EQ_STR("/tmp/mine.sqlite.recovery.pst", p);
	free(p);
}

void test_recovery__kept_and_read_back_whole(void)
{
	const char *dir = ps_test_tmpdir();
	const char *path = ps_test_path(dir, "recovery.pst");
	ps_recovery *r = NULL;
	ps_item *item = make_item("Walter Kowalski", 130000000000000000ull), *back = NULL, *raw = NULL;
	uint8_t eid[24], fp1[PS_SYNC_FINGERPRINT_SIZE], fp2[PS_SYNC_FINGERPRINT_SIZE];
	ps_recovery_version v;
	uint32_t id = 0, folder = 0;
	const ps_prop *p;

	memset(eid, 0xAB, sizeof(eid));
	CHECK_STATUS(PS_ENOTFOUND, ps_recovery_open(&r, path, 0));
	CHECK_OK(ps_recovery_open(&r, path, 1));
	CHECK(ps_recovery_warning(r) == NULL);
	{
		ps_recovery_meta m = meta(eid, 1, PS_RECOVERY_OVERWRITTEN);
		m.when = 133000000000000000ull;
		CHECK_OK(ps_recovery_begin(r));
		CHECK_OK(ps_recovery_keep(r, item, &m, &id));
		CHECK_OK(ps_recovery_commit(r));
	}
	ps_recovery_close(r);

	/* in its folder, under Global, as a contact */
	CHECK_OK(ps_recovery_open(&r, path, 0));
	CHECK_OK(ps_recovery_get(r, id, &v));
	CHECK_EQ_INT(PS_RECOVERY_OVERWRITTEN, v.what);
	CHECK_EQ_INT(1, v.side);
	CHECK_EQ_INT(42, (int)v.sync_id);
	CHECK(v.when == 133000000000000000ull);
	CHECK_EQ_STR("answer keep-global", v.why);
	CHECK_EQ_STR("/somewhere/outlook.pst", v.store_path);
	CHECK_EQ_STR("/Contacts/Family%2FFriends", v.folder);
	CHECK_EQ_STR("Walter Kowalski", v.subject);
	CHECK_EQ_STR("IPM.Contact", v.message_class);
	CHECK(v.entry_id_size == 24 && memcmp(v.entry_id, eid, 24) == 0);
	CHECK_OK(ps_recovery_read(r, id, &back));
	ps_recovery_close(r);
	{
		ps_store *s = NULL;
		CHECK_OK(ps_store_open(&s, path, PS_STORE_READ));
		CHECK_OK(ps_store_find_folder(s, "/Global/Contacts/Family%2FFriends", &folder));
		CHECK_OK(ps_store_read_item(s, id, &raw));
		ps_store_close(s);
	}
	{
		/* what a listing reads of it (our own reader, as the recovery
		 * store is opened): the same properties, no more */
		ps_store *s = NULL;
		ps_item *props = NULL;
		CHECK_OK(ps_store_open(&s, path, PS_STORE_WRITE));
		CHECK_OK(ps_store_read_props(s, id, &props));
		CHECK_EQ_INT((int)raw->props.count, (int)props->props.count);
		CHECK_EQ_INT(0, (int)props->recipient_count);
		CHECK_EQ_INT(0, (int)props->attachment_count);
		CHECK(raw->recipient_count == 1 && raw->attachment_count == 1);
		ps_item_free(props);
		ps_store_close(s);
	}
	/* the copy's time is when it was kept; the version read back has its own */
	p = ps_propset_find_id(&raw->props, 0x3008);
	CHECK(p && ps_prop_int(p, 0) == (int64_t)133000000000000000ull);
	p = ps_propset_find_id(&back->props, 0x3008);
	CHECKF(p && ps_prop_int(p, 0) == (int64_t)130000000000000000ull, "%lld",
		p ? (long long)ps_prop_int(p, 0) : -1LL);
	/* the same content: properties, recipient, attachment */
	ps_sync_fingerprint(item, fp1);
	ps_sync_fingerprint(back, fp2);
	CHECK(memcmp(fp1, fp2, sizeof(fp1)) == 0);
	CHECK_EQ_INT(1, (int)back->recipient_count);
	CHECK_EQ_INT(1, (int)back->attachment_count);
	p = ps_propset_find_id(&back->attachments[0].props, 0x3701);
	CHECK(p && p->size == 300);
	/* no property of the recovery store is left on it */
	{
		size_t i;
		for (i = 0; i < back->props.count; i++)
			CHECK(!back->props.props[i].named.name ||
				strncmp(back->props.props[i].named.name, "PstsyncRecovered", 16) != 0);
	}
	ps_item_free(item);
	ps_item_free(back);
	ps_item_free(raw);
}

static int count_cb(const ps_recovery_version *v, void *ctx)
{
	(void)v;
	(*(int *)ctx)++;
	return 0;
}

void test_recovery__pruned_by_days_and_size(void)
{
	const char *dir = ps_test_tmpdir();
	const char *path = ps_test_path(dir, "recovery.pst");
	ps_recovery *r = NULL;
	uint64_t t0 = 133000000000000000ull;
	uint8_t eid[24];
	size_t removed = 99;
	int i, n = 0;

	memset(eid, 1, sizeof(eid));
	CHECK_OK(ps_recovery_open(&r, path, 1));
	CHECK_OK(ps_recovery_begin(r));
	for (i = 0; i < 20; i++) {
		ps_item *item = make_item("x", t0);
		ps_recovery_meta m = meta(eid, i & 1, PS_RECOVERY_DELETED);
		m.when = t0 + (uint64_t)i * DAY; /* one a day */
		CHECK_OK(ps_recovery_keep(r, item, &m, NULL));
		ps_item_free(item);
	}
	CHECK_OK(ps_recovery_commit(r));
	CHECK(ps_recovery_prune_due(r) == 0);
	/* on day 19 with 30 days kept: nothing goes; the first is due on day 30 */
	CHECK_OK(ps_recovery_prune(r, 30, 500, t0 + 19 * DAY, &removed));
	CHECK_EQ_INT(0, (int)removed);
	CHECK(ps_recovery_prune_due(r) == t0 + 30 * DAY);
	/* on day 40: the ten kept before day 10 go; the next is due on day 40 */
	CHECK_OK(ps_recovery_prune(r, 30, 500, t0 + 40 * DAY, &removed));
	CHECK_EQ_INT(10, (int)removed);
	CHECK(ps_recovery_prune_due(r) == t0 + 40 * DAY);
	CHECK_OK(ps_recovery_list(r, count_cb, &n));
	CHECK_EQ_INT(10, n);
	ps_recovery_close(r);
	/* by size: each copy takes over 300 bytes; a limit of 1 MB keeps them,
	 * so fill past it with large ones */
	CHECK_OK(ps_recovery_open(&r, path, 0));
	CHECK_OK(ps_recovery_begin(r));
	for (i = 0; i < 12; i++) {
		ps_item *item = make_item("big", t0);
		ps_recovery_meta m = meta(eid, 0, PS_RECOVERY_OVERWRITTEN);
		uint8_t *blob = calloc(1, 200000);
		m.when = t0 + (uint64_t)(30 + i) * DAY;
		CHECK_OK(ps_propset_set_raw(&item->attachments[0].props, "PidTagAttachDataBinary", blob, 200000));
		CHECK_OK(ps_recovery_keep(r, item, &m, NULL));
		free(blob);
		ps_item_free(item);
	}
	CHECK_OK(ps_recovery_commit(r));
	CHECK_OK(ps_recovery_prune(r, 30, 1, t0 + 45 * DAY, &removed));
	n = 0;
	CHECK_OK(ps_recovery_list(r, count_cb, &n));
	/* 1 MB holds 5 of the 200 KB ones, the newest; the small old ones went first */
	CHECK_EQ_INT(5, n);
	CHECK_EQ_INT(17, (int)removed);
	/* the oldest left was kept on day 37 */
	CHECK(ps_recovery_prune_due(r) == t0 + 67 * DAY);
	ps_recovery_close(r);
}

void test_recovery__damaged_file_set_aside(void)
{
	const char *dir = ps_test_tmpdir();
	const char *path = ps_test_path(dir, "recovery.pst");
	ps_recovery *r = NULL;
	static const char junk[] = "certainly not a PST file, but long enough to look at: 0123456789abcdef";

	ps_test_write_file(path, junk, sizeof(junk));
	CHECK(ps_recovery_open(&r, path, 0) < 0);
	CHECK_OK(ps_recovery_open(&r, path, 1));
	CHECK(ps_recovery_warning(r) != NULL);
	CHECKF(strstr(ps_recovery_warning(r), "kept as") != NULL, "%s", ps_recovery_warning(r));
	ps_recovery_close(r);
	CHECK_OK(ps_recovery_open(&r, path, 0));
	CHECK(ps_recovery_warning(r) == NULL);
	ps_recovery_close(r);
}
