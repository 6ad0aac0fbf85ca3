/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of reading stores through the core's store interface: every real
 * sample opens, walks, lists and reads completely; every kind of bad input
 * gives its own clear error naming the file; paths and locations parse.
 */
#include "harness.h"
#include "pstsync/store.h"
#include "core/utf.h"
#include "pstsync/os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


struct walk_totals {
	ps_store *store;
	unsigned folders;
	unsigned items_listed;
	unsigned items_counted;
	unsigned items_read;
	unsigned read_failures;
	int root_seen;
	unsigned warnings;
};

static void count_warning(const char *message, void *ctx)
{
	struct walk_totals *t = ctx;

	(void)message;
	t->warnings++;
}

static int item_seen(const ps_item_summary *it, void *ctx)
{
	struct walk_totals *t = ctx;
	ps_item *item = NULL;

	t->items_listed++;
	CHECK(it->nid != 0);
	CHECK(it->message_class != NULL && it->subject != NULL);
	if (ps_store_read_item(t->store, it->nid, &item) != PS_OK) {
		t->read_failures++;
		return 0;
	}
	CHECK_EQ_INT(it->nid, item->nid);
	CHECK(item->props.count > 0);
	t->items_read++;
	ps_item_free(item);
	return 0;
}

static int folder_seen(const ps_folder_info *f, void *ctx)
{
	struct walk_totals *t = ctx;
	unsigned before = t->items_listed;

	if (f->depth == 0) {
		CHECK_EQ_STR("/", f->path);
		t->root_seen = 1;
	} else {
		CHECK(f->path[0] == '/' && f->path[1] != '\0');
	}
	t->folders++;
	t->items_counted += f->item_count;
	CHECK_OK(ps_store_list_items(t->store, f->nid, item_seen, t));
	CHECKF(t->items_listed - before == f->item_count, "folder '%s': %u listed, %u counted",
		f->path, t->items_listed - before, f->item_count);
	return 0;
}

void test_store__every_sample_reads_completely(void)
{
	const char *const *name;

	for (name = ps_test_samples_all; *name; name++) {
		struct walk_totals t;
		ps_store_info info;
		ps_store *store = NULL;

		memset(&t, 0, sizeof(t));
		CHECK_OK(ps_store_open(&store, ps_test_sample(*name), PS_STORE_READ));
		ps_store_set_warning_cb(store, count_warning, &t);
		t.store = store;
		CHECK_OK(ps_store_get_info(store, &info));
		CHECK(info.display_name != NULL);
		CHECK_EQ_INT(strstr(*name, "ansi") || strstr(*name, "32-bit") ? 0 : 1, info.unicode);
		CHECK_EQ_INT(0, info.ost);
		CHECK_OK(ps_store_walk_folders(store, folder_seen, &t));
		CHECK(t.root_seen);
		CHECK_EQ_INT(t.items_counted, t.items_listed);
		/* Test_part1 holds contacts libpff cannot read: they are reported, not fatal */
		if (!strstr(*name, "Test_part1"))
			CHECKF(t.read_failures == 0, "%s: %u items unreadable", *name, t.read_failures);
		ps_store_info_clear(&info);
		ps_store_close(store);
	}
}

void test_store__password_flag(void)
{
	ps_store *store = NULL;
	ps_store_info info;

	CHECK_OK(ps_store_open(&store, ps_test_sample("aspose-email__passwordprotectedPST.pst"), 0));
	CHECK_OK(ps_store_get_info(store, &info));
	CHECK_EQ_INT(1, info.password_protected);
	ps_store_info_clear(&info);
	ps_store_close(store);
	CHECK_OK(ps_store_open(&store, ps_test_sample("aspose-email__SampleContacts1.pst"), 0));
	CHECK_OK(ps_store_get_info(store, &info));
	CHECK_EQ_INT(0, info.password_protected);
	CHECK(info.has_record_key);
	ps_store_info_clear(&info);
	ps_store_close(store);
}

struct contact_probe {
	unsigned contacts;
	int entry_id_ok;
	uint8_t record_key[16];
};

static int contact_seen(const ps_item_summary *it, void *ctx)
{
	struct contact_probe *p = ctx;

	if (strcmp(it->message_class, "IPM.Contact") == 0)
		p->contacts++;
	p->entry_id_ok = memcmp(it->entry_id + 4, p->record_key, 16) == 0
		&& it->entry_id[20] == (uint8_t)it->nid;
	return 0;
}

void test_store__contacts_listed_from_table(void)
{
	ps_store *store = NULL;
	ps_store_info info;
	struct contact_probe probe;
	uint32_t nid = 0;

	memset(&probe, 0, sizeof(probe));
	CHECK_OK(ps_store_open(&store, ps_test_sample("aspose-email__SampleContacts1.pst"), 0));
	CHECK_OK(ps_store_get_info(store, &info));
	memcpy(probe.record_key, info.record_key, 16);
	CHECK_OK(ps_store_find_folder(store, "/Contacts", &nid));
	CHECK_OK(ps_store_list_items(store, nid, contact_seen, &probe));
	CHECK_EQ_INT(6, probe.contacts);
	CHECK(probe.entry_id_ok);
	CHECK_STATUS(PS_ENOTFOUND, ps_store_find_folder(store, "/No such folder", &nid));
	CHECK(strstr(ps_error_last(), "No such folder") != NULL);
	ps_store_info_clear(&info);
	ps_store_close(store);
}

static int find_embedded(const ps_item_summary *it, void *ctx)
{
	struct walk_totals *t = ctx;
	ps_item *item = NULL;
	size_t i;

	CHECK_OK(ps_store_read_item(t->store, it->nid, &item));
	for (i = 0; i < item->attachment_count; i++) {
		if (item->attachments[i].kind == PS_ATTACH_EMBEDDED) {
			CHECK(item->attachments[i].embedded != NULL);
			CHECK(item->attachments[i].embedded->props.count > 0);
			t->items_read++;
		}
	}
	ps_item_free(item);
	return 0;
}

static int folder_embedded(const ps_folder_info *f, void *ctx)
{
	struct walk_totals *t = ctx;

	return ps_store_list_items(t->store, f->nid, find_embedded, t);
}

void test_store__embedded_message_read(void)
{
	static const char *const names[] = {
		"emk_pstsdk__submessage.pst", "aquasync_ruby-msg__msgInMsg.pst"
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		struct walk_totals t;
		ps_store *store = NULL;

		memset(&t, 0, sizeof(t));
		CHECK_OK(ps_store_open(&store, ps_test_sample(names[i]), 0));
		t.store = store;
		CHECK_OK(ps_store_walk_folders(store, folder_embedded, &t));
		CHECKF(t.items_read >= 1, "%s: no embedded message found", names[i]);
		ps_store_close(store);
	}
}

/* ---- bad input ---- */

static void expect_open_error(const char *path, int want, const char *fragment)
{
	ps_store *store = NULL;
	int rc = ps_store_open(&store, path, PS_STORE_READ);

	CHECKF(rc == want, "'%s': got %d (%s), expected %d", path, rc, ps_error_last(), want);
	CHECK(store == NULL);
	CHECKF(strstr(ps_error_last(), path) != NULL, "message does not name the file: %s",
		ps_error_last());
	CHECKF(strstr(ps_error_last(), fragment) != NULL, "message '%s' lacks '%s'",
		ps_error_last(), fragment);
	CHECKF(strchr(ps_error_last(), '\n') == NULL, "message is not one line: %s", ps_error_last());
}

void test_store__missing_file(void)
{
	const char *dir = ps_test_tmpdir();

	expect_open_error(ps_test_path(dir, "absent.pst"), PS_ENOTFOUND, "cannot open");
}

void test_store__directory(void)
{
	expect_open_error(ps_test_tmpdir(), PS_EINVAL, "directory");
}

void test_store__empty_file(void)
{
	const char *path = ps_test_path(ps_test_tmpdir(), "empty.pst");

	ps_test_write_file(path, "", 0);
	expect_open_error(path, PS_ENOTPST, "empty");
}

void test_store__text_file(void)
{
	const char *path = ps_test_path(ps_test_tmpdir(), "notes.pst");
	char text[4096];
	size_t i;

	for (i = 0; i < sizeof(text); i++)
		text[i] = "Dear colleagues, the contacts are in common.pst.\n"[i % 50];
	ps_test_write_file(path, text, sizeof(text));
	expect_open_error(path, PS_ENOTPST, "not a PST");
}

void test_store__random_bytes(void)
{
	const char *path = ps_test_path(ps_test_tmpdir(), "random.pst");
	unsigned char data[65536];
	uint32_t x = 12345;
	size_t i;

	for (i = 0; i < sizeof(data); i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (unsigned char)(x >> 16);
	}
	ps_test_write_file(path, data, sizeof(data));
	expect_open_error(path, PS_ENOTPST, "not a PST");
}

static void *sample_bytes(const char *name, size_t *size)
{
	return ps_test_read_file(ps_test_sample(name), size);
}

void test_store__truncated_files(void)
{
	static const size_t cuts[] = { 3, 100, 511, 600, 4096, 17408, 65536, 200000 };
	size_t size, i;
	unsigned char *data = sample_bytes("aspose-email__SampleContacts1.pst", &size);
	const char *dir = ps_test_tmpdir();

	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		const char *path = ps_test_path(dir, "truncated.pst");
		ps_store *store = NULL;
		int rc;

		ps_test_write_file(path, data, cuts[i]);
		rc = ps_store_open(&store, path, 0);
		if (rc == PS_OK) {
			/* libpff may open a file cut after its indexes; reading must still fail cleanly */
			struct walk_totals t;
			memset(&t, 0, sizeof(t));
			t.store = store;
			ps_store_set_warning_cb(store, count_warning, &t);
			rc = ps_store_walk_folders(store, folder_seen, &t);
			ps_store_close(store);
			continue;
		}
		CHECKF(rc == PS_ECORRUPT || rc == PS_ENOTPST, "cut at %lu: %d %s", (unsigned long)cuts[i], rc,
			ps_error_last());
		CHECK(strstr(ps_error_last(), path) != NULL);
	}
	free(data);
}

void test_store__corrupt_header(void)
{
	size_t size;
	unsigned char *data = sample_bytes("aspose-email__SampleContacts1.pst", &size);
	const char *path = ps_test_path(ps_test_tmpdir(), "header.pst");

	/* the root's B-tree pointers (offsets 0xE0.. in a Unicode header) */
	memset(data + 0xB4, 0xA5, 0x50);
	ps_test_write_file(path, data, size);
	expect_open_error(path, PS_ECORRUPT, "cannot open");
	free(data);
}

void test_store__corrupt_btree_page(void)
{
	size_t size, off;
	unsigned char *data = sample_bytes("aspose-email__SampleContacts1.pst", &size);
	const char *path = ps_test_path(ps_test_tmpdir(), "btree.pst");
	uint64_t nbt = 0, bbt = 0;
	int i;

	/* Unicode root at 0xB4: BREFs (bid, ib) of the NBT at 0xD8 and the BBT at 0xE8 */
	for (i = 7; i >= 0; i--) {
		nbt = (nbt << 8) | data[0xE0 + i];
		bbt = (bbt << 8) | data[0xF0 + i];
	}
	CHECK(nbt + 512 <= size && bbt + 512 <= size);
	for (off = 0; off < 488; off++) {
		data[nbt + off] ^= 0x5A;
		data[bbt + off] ^= 0x3C;
	}
	ps_test_write_file(path, data, size);
	expect_open_error(path, PS_ECORRUPT, "cannot open");
	free(data);
}

void test_store__bad_sample(void)
{
	const char *dir = ps_test_samples_dir();
	char path[1024];

	if (!dir)
		SKIP("the sample PST folder is absent");
	snprintf(path, sizeof(path), "%s/bad/aspose-email__AddingBulkMessagesWithImprovedPerformance.pst", dir);
	if (ps_path_kind(path) != PS_PATH_FILE)
		SKIP("'%s' is absent", path);
	expect_open_error(path, PS_ECORRUPT, "cannot open");
}

void test_store__locked_by_another_program(void)
{
	size_t size;
	unsigned char *data = sample_bytes("aspose-email__SampleContacts1.pst", &size);
	const char *path = ps_test_path(ps_test_tmpdir(), "held.pst");
	ps_file *holder = NULL;

	ps_test_write_file(path, data, size);
	free(data);
	/* what Outlook does: hold the file with no sharing */
	CHECK_OK(ps_file_open(&holder, path, PS_OPEN_WRITE | PS_OPEN_LOCK_EXCLUSIVE));
	expect_open_error(path, PS_ELOCKED, "in use by another program");
	ps_file_close(holder);
	{
		ps_store *store = NULL;
		CHECK_OK(ps_store_open(&store, path, 0));
		ps_store_close(store);
	}
}

/* ---- locations ---- */

void test_store__location_parse(void)
{
	static const struct {
		const char *arg, *store, *folder;
		uint32_t nid;
		int has_nid;
	} cases[] = {
		{ "a.pst", "a.pst", NULL, 0, 0 },
		{ "a.pst:/", "a.pst", "/", 0, 0 },
		{ "a.pst:/Contacts", "a.pst", "/Contacts", 0, 0 },
		{ "a.pst:/Contacts#0x200024", "a.pst", "/Contacts", 0x200024, 1 },
		{ "a.pst:/Contacts#200024", "a.pst", "/Contacts", 0x200024, 1 },
		{ "C:/x/a.pst:/Inbox/Sub", "C:/x/a.pst", "/Inbox/Sub", 0, 0 },
		{ "Z:/x/a.pst", "Z:/x/a.pst", NULL, 0, 0 },
		{ "Z:/x/a.pst:/", "Z:/x/a.pst", "/", 0, 0 },
		{ "C:\\x\\a.pst:/Contacts#0x24", "C:\\x\\a.pst", "/Contacts", 0x24, 1 },
		{ "dir:/with/a.pst:/Inbox", "dir:/with/a.pst", "/Inbox", 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *store = NULL, *folder = NULL;
		uint32_t nid;
		int has_nid;

		CHECK_OK(ps_location_parse(cases[i].arg, &store, &folder, &nid, &has_nid));
		CHECK_EQ_STR(cases[i].store, store);
		if (cases[i].folder)
			CHECK_EQ_STR(cases[i].folder, folder);
		else
			CHECK(folder == NULL);
		CHECK_EQ_INT(cases[i].has_nid, has_nid);
		CHECK_EQ_INT(cases[i].nid, nid);
		free(store);
		free(folder);
	}
	{
		char *store = NULL, *folder = NULL;
		uint32_t nid;
		int has_nid;
		CHECK_STATUS(PS_EINVAL, ps_location_parse("a.pst:/Contacts#zz", &store, &folder,
			&nid, &has_nid));
	}
}

/* An empty 8-bit string may come with no data at all (libpff gives NULL). */
void test_store__empty_string8_without_data(void)
{
	static const uint8_t latin1[] = { 'M', 0xFC, 'l', 'l', 'e', 'r', 0 };
	char *s = ps_string8_to_utf8(NULL, 0);

	CHECK(s != NULL && s[0] == '\0');
	free(s);
	s = ps_string8_to_utf8(latin1, sizeof(latin1));
	CHECK(s != NULL && strcmp(s, "M\xC3\xBCller") == 0);
	free(s);
}
