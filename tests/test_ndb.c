/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the NDB layer (src/pst/ndb.c) on the real samples, Unicode and
 * ANSI: headers parse, every node's data tree and subnode tree reads, the
 * codecs and the CRC are right, a store reads the same from memory as from
 * a file, and damaged copies (a flipped byte in a page or a block, a
 * truncated file) give PS_ECORRUPT with a message naming the damage.
 */
#include "harness.h"
#include "pst/ndb.h"
#include "pstsync/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_ndb__headers(void);
void test_ndb__read_every_node(void);
void test_ndb__memory_image(void);
void test_ndb__crc(void);
void test_ndb__codecs(void);
void test_ndb__bad_sample(void);
void test_ndb__damaged_page(void);
void test_ndb__damaged_block(void);
void test_ndb__truncated(void);
void test_ndb__not_a_pst(void);


struct walk {
	ps_ndb *ndb;
	unsigned nodes, subnodes, blocks;
	int rc;
};

static int read_node(void *ctx, const ps_nbt_entry *e)
{
	struct walk *w = ctx;
	ps_ndb_subnodes sub;
	ps_ndb_data d;
	uint8_t *flat;
	size_t size, i;
	int rc;

	w->nodes++;
	if ((rc = ps_ndb_data_read(w->ndb, e->bid_data, &d)) < 0)
		return rc;
	w->blocks += (unsigned)d.count;
	ps_ndb_data_free(&d);
	if ((rc = ps_ndb_data_read_flat(w->ndb, e->bid_data, &flat, &size)) < 0)
		return rc;
	free(flat);
	if ((rc = ps_ndb_subnodes_read(w->ndb, e->bid_sub, &sub)) < 0)
		return rc;
	for (i = 0; i < sub.count && rc == 0; i++) {
		w->subnodes++;
		if (ps_ndb_subnodes_find(&sub, sub.entries[i].nid) != &sub.entries[i])
			rc = ps_error_set(PS_ERROR, "subnode 0x%x not found by search", sub.entries[i].nid);
		else if ((rc = ps_ndb_data_read(w->ndb, sub.entries[i].bid_data, &d)) == 0)
			ps_ndb_data_free(&d);
	}
	ps_ndb_subnodes_free(&sub);
	return rc;
}

static void *read_sample(const char *name, size_t *size)
{
	return ps_test_read_file(ps_test_sample(name), size);
}

/* Copy @p name into the test's directory after @p damage changed it. */
static const char *damaged_copy(const char *name, const char *copy,
	void (*damage)(uint8_t *data, size_t *size, ps_ndb *ndb))
{
	ps_ndb *ndb = NULL;
	size_t size;
	uint8_t *data = read_sample(name, &size);
	const char *path;

	CHECK_OK(ps_ndb_open_mem(&ndb, data, size, name, 0));
	damage(data, &size, ndb);
	ps_ndb_close(ndb);
	path = ps_test_path(ps_test_tmpdir(), copy);
	ps_test_write_file(path, data, size);
	free(data);
	return path;
}

void test_ndb__headers(void)
{
	size_t i;

	for (i = 0; ps_test_samples_all[i]; i++) {
		const char *path = ps_test_sample(ps_test_samples_all[i]);
		const ps_ndb_header *h;
		size_t size;
		uint8_t *raw = ps_test_read_file(path, &size);
		ps_ndb *ndb = NULL;

		CHECK_OK(ps_ndb_open(&ndb, path, 0));
		h = ps_ndb_header_get(ndb);
		CHECK_EQ_INT(raw[10] >= 0x15, h->unicode);
		CHECK_EQ_INT(h->crc_partial_calc, h->crc_partial);
		if (h->unicode)
			CHECK_EQ_INT(h->crc_full_calc, h->crc_full);
		CHECK_EQ_INT(PS_CRYPT_PERMUTE, h->crypt);
		CHECK_EQ_INT(size, h->file_eof);
		CHECK(h->nbt.ib >= PS_NDB_AMAP_FIRST && h->bbt.ib >= PS_NDB_AMAP_FIRST);
		CHECK(h->amap_valid == 1 || h->amap_valid == 2);
		free(raw);
		ps_ndb_close(ndb);
	}
}

void test_ndb__read_every_node(void)
{
	size_t i;

	for (i = 0; ps_test_samples_all[i]; i++) {
		struct walk w;
		ps_nbt_entry e;

		memset(&w, 0, sizeof(w));
		CHECK_OK(ps_ndb_open(&w.ndb, ps_test_sample(ps_test_samples_all[i]), 0));
		CHECK_OK(ps_ndb_nbt_foreach(w.ndb, read_node, &w));
		CHECKF(w.nodes >= 34, "%s: %u nodes", ps_test_samples_all[i], w.nodes);
		CHECK(w.blocks > 0);
		/* The store, the name map and the root folder are always there. */
		CHECK_OK(ps_ndb_nbt_lookup(w.ndb, PS_NID_MESSAGE_STORE, &e));
		CHECK_OK(ps_ndb_nbt_lookup(w.ndb, PS_NID_NAME_TO_ID_MAP, &e));
		CHECK_OK(ps_ndb_nbt_lookup(w.ndb, PS_NID_ROOT_FOLDER, &e));
		CHECK_EQ_INT(PS_NID_ROOT_FOLDER, e.nid_parent);
		CHECK_STATUS(PS_ENOTFOUND, ps_ndb_nbt_lookup(w.ndb, 0x7FFFFFE2u, &e));
		ps_ndb_close(w.ndb);
	}
	/* The empty store holds exactly the 47 nodes Outlook creates. */
	{
		struct walk w;
		memset(&w, 0, sizeof(w));
		CHECK_OK(ps_ndb_open(&w.ndb, ps_test_sample("microsoft_outlook-pst-rs__Empty.pst"), 0));
		CHECK_OK(ps_ndb_nbt_foreach(w.ndb, read_node, &w));
		CHECK_EQ_INT(47, w.nodes);
		ps_ndb_close(w.ndb);
	}
}

static int count_block(void *ctx, const ps_bbt_entry *e)
{
	(void)e;
	(*(unsigned *)ctx)++;
	return 0;
}

void test_ndb__memory_image(void)
{
	const char *name = "emk_pstsdk__test_ansi.pst";
	unsigned from_file = 0, from_mem = 0;
	ps_ndb *a = NULL, *b = NULL;
	ps_bbt_entry e;
	uint8_t *x, *y;
	size_t size, sx, sy;
	void *data = read_sample(name, &size);

	CHECK_OK(ps_ndb_open(&a, ps_test_sample(name), 0));
	CHECK_OK(ps_ndb_open_mem(&b, data, size, name, 0));
	CHECK_OK(ps_ndb_bbt_foreach(a, count_block, &from_file));
	CHECK_OK(ps_ndb_bbt_foreach(b, count_block, &from_mem));
	CHECK_EQ_INT(from_file, from_mem);
	CHECK_OK(ps_ndb_nbt_lookup(a, PS_NID_MESSAGE_STORE, &(ps_nbt_entry){0}));
	{
		ps_nbt_entry n;
		CHECK_OK(ps_ndb_nbt_lookup(b, PS_NID_MESSAGE_STORE, &n));
		CHECK_OK(ps_ndb_block_read(a, n.bid_data, &x, &sx, &e));
		CHECK_OK(ps_ndb_block_read(b, n.bid_data, &y, &sy, NULL));
		CHECK_EQ_INT(sx, sy);
		CHECK(memcmp(x, y, sx) == 0);
		/* Decoded heap: signature 0xEC, property context 0xBC. */
		CHECK_EQ_INT(0xEC, x[2]);
		CHECK_EQ_INT(0xBC, x[3]);
		free(x);
		free(y);
	}
	ps_ndb_close(a);
	ps_ndb_close(b);
	free(data);
}

void test_ndb__crc(void)
{
	/* [MS-PST] 5.3: initial 0, no final xor. */
	CHECK_EQ_INT(0x2DFD2D88u, ps_ndb__crc(0, "123456789", 9));
	CHECK_EQ_INT(0, ps_ndb__crc(0, "\0\0\0\0", 4));
	/* 5.5: the signature folds ib ^ bid to 16 bits. */
	CHECK_EQ_INT(0x4372, ps_ndb__sig(0x4200, 0x172));
	CHECK_EQ_INT(0, ps_ndb__sig(0x4200, 0x4200));
}

void test_ndb__codecs(void)
{
	uint8_t buf[256], orig[256];
	int i;

	for (i = 0; i < 256; i++)
		orig[i] = (uint8_t)i;
	/* Permutation: encode then decode is the identity, and it is a
	 * permutation (no two bytes map to one). */
	memcpy(buf, orig, sizeof(buf));
	ps_ndb__crypt(PS_CRYPT_PERMUTE, 0, buf, sizeof(buf), 1);
	CHECK(memcmp(buf, orig, sizeof(buf)) != 0);
	{
		uint8_t seen[256] = {0};
		for (i = 0; i < 256; i++)
			CHECK(seen[buf[i]]++ == 0);
	}
	ps_ndb__crypt(PS_CRYPT_PERMUTE, 0, buf, sizeof(buf), 0);
	CHECK(memcmp(buf, orig, sizeof(buf)) == 0);
	/* Cyclic: keyed by the BID, its own inverse. */
	memcpy(buf, orig, sizeof(buf));
	ps_ndb__crypt(PS_CRYPT_CYCLIC, 0x12345678, buf, sizeof(buf), 1);
	CHECK(memcmp(buf, orig, sizeof(buf)) != 0);
	ps_ndb__crypt(PS_CRYPT_CYCLIC, 0x12345678, buf, sizeof(buf), 0);
	CHECK(memcmp(buf, orig, sizeof(buf)) == 0);
	/* None leaves the data alone. */
	ps_ndb__crypt(PS_CRYPT_NONE, 1, buf, sizeof(buf), 0);
	CHECK(memcmp(buf, orig, sizeof(buf)) == 0);
}

void test_ndb__bad_sample(void)
{
	const char *dir = ps_test_samples_dir();
	char path[1024];
	ps_ndb *ndb = NULL;
	ps_bbt_entry e;

	if (!dir)
		SKIP("the sample PST folder is absent");
	snprintf(path, sizeof(path), "%s/bad/aspose-email__AddingBulkMessagesWithImprovedPerformance.pst", dir);
	if (ps_path_kind(path) != PS_PATH_FILE)
		SKIP("the bad sample is absent");
	CHECK_STATUS(PS_ECORRUPT, ps_ndb_open(&ndb, path, 0));
	CHECK(strstr(ps_error_last(), "bad crc") != NULL);
	CHECK(strstr(ps_error_last(), "AddingBulk") != NULL);
	/* Leniently opened, its block B-tree root still fails cleanly. */
	CHECK_OK(ps_ndb_open(&ndb, path, PS_NDB_OPEN_LENIENT));
	CHECK_STATUS(PS_ECORRUPT, ps_ndb_bbt_lookup(ndb, 4, &e));
	ps_ndb_close(ndb);
}

static void flip_nbt_root(uint8_t *data, size_t *size, ps_ndb *ndb)
{
	(void)size;
	data[ps_ndb_header_get(ndb)->nbt.ib + 5] ^= 0x40;
}

void test_ndb__damaged_page(void)
{
	const char *path = damaged_copy("emk_pstsdk__sample1.pst", "page.pst", flip_nbt_root);
	ps_nbt_entry e;
	ps_ndb *ndb = NULL;

	CHECK_OK(ps_ndb_open(&ndb, path, 0));
	CHECK_STATUS(PS_ECORRUPT, ps_ndb_nbt_lookup(ndb, PS_NID_ROOT_FOLDER, &e));
	CHECKF(strstr(ps_error_last(), "nbt page at") && strstr(ps_error_last(), "bad crc"),
		"message: %s", ps_error_last());
	ps_ndb_close(ndb);
}

static uint64_t store_block_ib;

static void flip_store_block(uint8_t *data, size_t *size, ps_ndb *ndb)
{
	ps_nbt_entry n;
	ps_bbt_entry e;

	(void)size;
	CHECK_OK(ps_ndb_nbt_lookup(ndb, PS_NID_MESSAGE_STORE, &n));
	CHECK_OK(ps_ndb_bbt_lookup(ndb, n.bid_data, &e));
	store_block_ib = e.bref.ib;
	data[e.bref.ib + 20] ^= 0x01;
}

void test_ndb__damaged_block(void)
{
	const char *path = damaged_copy("aspose-email__SampleContacts1.pst", "block.pst", flip_store_block);
	ps_nbt_entry n;
	uint8_t *data;
	size_t size;
	ps_ndb *ndb = NULL;
	char want[64];

	CHECK_OK(ps_ndb_open(&ndb, path, 0));
	CHECK_OK(ps_ndb_nbt_lookup(ndb, PS_NID_MESSAGE_STORE, &n));
	CHECK_STATUS(PS_ECORRUPT, ps_ndb_block_read(ndb, n.bid_data, &data, &size, NULL));
	snprintf(want, sizeof(want), "at 0x%llx has a bad crc", (unsigned long long)store_block_ib);
	CHECKF(strstr(ps_error_last(), want) != NULL, "message: %s", ps_error_last());
	ps_ndb_close(ndb);
}

static void truncate_half(uint8_t *data, size_t *size, ps_ndb *ndb)
{
	(void)data;
	(void)ndb;
	*size = 0x4400 + 4096;
}

static int read_all(void *ctx, const ps_nbt_entry *e)
{
	return read_node(ctx, e);
}

void test_ndb__truncated(void)
{
	const char *path = damaged_copy("aspose-email__Outlook_1.pst", "short.pst", truncate_half);
	struct walk w;
	int rc;

	memset(&w, 0, sizeof(w));
	CHECK_OK(ps_ndb_open(&w.ndb, path, 0));
	rc = ps_ndb_nbt_foreach(w.ndb, read_all, &w);
	CHECK_STATUS(PS_ECORRUPT, rc);
	CHECKF(strstr(ps_error_last(), "past the end") || strstr(ps_error_last(), "invalid offset"),
		"message: %s", ps_error_last());
	ps_ndb_close(w.ndb);
}

void test_ndb__not_a_pst(void)
{
	const char *path = ps_test_path(ps_test_tmpdir(), "text.pst");
	char text[600];
	ps_ndb *ndb = NULL;

	memset(text, 'x', sizeof(text));
	ps_test_write_file(path, text, sizeof(text));
	CHECK_STATUS(PS_ENOTPST, ps_ndb_open(&ndb, path, 0));
	ps_test_write_file(path, "!BDN", 4);
	CHECK_STATUS(PS_ENOTPST, ps_ndb_open(&ndb, path, 0));
	CHECK(ndb == NULL);
}
