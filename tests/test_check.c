/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the integrity checker (src/pst/check.c): the Outlook-made
 * samples have no problem at all; the flawed Aspose-made ones show exactly
 * their known flaws; the corrupt one is refused with its problems reported;
 * copies damaged on purpose (a page, a block, a B-tree entry, an AMap bit,
 * a truncation) report that specific damage; and the fuzz entry point
 * survives every sample and many mutations of one.
 */
#include "harness.h"
#include "pst/check.h"
#include "pst/ltp.h"
#include "pstsync/check.h"
#include "pstsync/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_check__outlook_samples_are_clean(void);
void test_check__personal_storage_density_list(void);
void test_check__test_part1_flaws(void);
void test_check__bad_sample(void);
void test_check__damaged_page(void);
void test_check__damaged_block(void);
void test_check__damaged_bbt_entry(void);
void test_check__damaged_amap(void);
void test_check__truncated(void);
void test_check__not_a_pst(void);
void test_check__fuzz_entry(void);


/* Collects the reported lines. */
struct lines {
	char text[64][256];
	unsigned count;
	unsigned by_area[PS_CHECK_AREA_COUNT];
};

static void collect(void *ctx, enum ps_check_area area, const char *line)
{
	struct lines *l = ctx;

	CHECK(area < PS_CHECK_AREA_COUNT);
	CHECK(line[0] != '\0');
	l->by_area[area]++;
	if (l->count < 64)
		snprintf(l->text[l->count], sizeof(l->text[0]), "%s", line);
	l->count++;
}

static int has_line(const struct lines *l, const char *a, const char *b)
{
	unsigned i;

	for (i = 0; i < l->count && i < 64; i++) {
		if (strstr(l->text[i], a) && (!b || strstr(l->text[i], b)))
			return 1;
	}
	return 0;
}

static void dump(const struct lines *l)
{
	unsigned i;

	for (i = 0; i < l->count && i < 64; i++)
		fprintf(stderr, "    %s\n", l->text[i]);
}

void test_check__outlook_samples_are_clean(void)
{
	size_t i;

	for (i = 0; ps_test_samples_clean[i]; i++) {
		struct lines l;
		ps_check_summary s;
		memset(&l, 0, sizeof(l));
		CHECK_OK(ps_pst_check(ps_test_sample(ps_test_samples_clean[i]), collect, &l, &s));
		if (s.problems)
			dump(&l);
		CHECKF(s.problems == 0, "%s: %u problems", ps_test_samples_clean[i], s.problems);
		CHECK_EQ_INT(s.problems, l.count);
		CHECK(s.nodes >= 34 && s.blocks > 0 && s.pages >= 6 && s.folders >= 4);
	}
}

void test_check__personal_storage_density_list(void)
{
	struct lines l;
	ps_check_summary s;

	memset(&l, 0, sizeof(l));
	CHECK_OK(ps_pst_check(ps_test_sample("aspose-email__PersonalStorage.pst"), collect, &l, &s));
	CHECK_EQ_INT(1, s.problems);
	CHECK_EQ_INT(1, s.by_area[PS_CHECK_MAPS]);
	CHECK(has_line(&l, "density list page at 0x4200 has a bad crc", NULL));
}

void test_check__test_part1_flaws(void)
{
	struct lines l;
	ps_check_summary s;
	unsigned i, zero = 0;

	memset(&l, 0, sizeof(l));
	CHECK_OK(ps_pst_check(ps_test_sample("aspose-email__Test_part1.pst"), collect, &l, &s));
	CHECK(has_line(&l, "density list page at 0x4200 has a bad crc", NULL));
	for (i = 0; i < l.count && i < 64; i++)
		zero += strstr(l.text[i], "of type 0x0000 (unspecified)") != NULL;
	/* Twelve contacts carry an Aspose record of type 0x0000. */
	CHECK_EQ_INT(12, zero);
	/* Nothing wrong below the LTP layer but the density list. */
	CHECK_EQ_INT(0, s.by_area[PS_CHECK_HEADER]);
	CHECK_EQ_INT(0, s.by_area[PS_CHECK_BTREE]);
	CHECK_EQ_INT(0, s.by_area[PS_CHECK_BLOCKS]);
	CHECK_EQ_INT(0, s.by_area[PS_CHECK_REFS]);
	CHECK_EQ_INT(1, s.by_area[PS_CHECK_MAPS]);
}

void test_check__bad_sample(void)
{
	const char *dir = ps_test_samples_dir();
	struct lines l;
	ps_check_summary s;
	char path[1024];

	if (!dir)
		SKIP("the sample PST folder is absent");
	snprintf(path, sizeof(path), "%s/bad/aspose-email__AddingBulkMessagesWithImprovedPerformance.pst", dir);
	if (ps_path_kind(path) != PS_PATH_FILE)
		SKIP("the bad sample is absent");
	memset(&l, 0, sizeof(l));
	CHECK_STATUS(PS_ECORRUPT, ps_pst_check(path, collect, &l, &s));
	CHECK(strstr(ps_error_last(), "b-tree root") != NULL);
	CHECK(has_line(&l, "header: bad partial crc", NULL));
	CHECK(has_line(&l, "note: header: the allocation maps are marked invalid", NULL));
	CHECK(has_line(&l, "bbt page at", "bad crc"));
	CHECK_EQ_INT(l.count, s.problems + s.notes);
	CHECK(s.notes >= 1);
}

/* Check a copy of @p name changed by @p damage; return its lines. */
static int check_damaged(const char *name, void (*damage)(uint8_t *data, size_t *size, ps_ndb *ndb),
	struct lines *l, ps_check_summary *s)
{
	ps_ndb *ndb = NULL;
	size_t size;
	uint8_t *data = ps_test_read_file(ps_test_sample(name), &size);
	const char *path;
	int rc;

	CHECK_OK(ps_ndb_open_mem(&ndb, data, size, name, 0));
	damage(data, &size, ndb);
	ps_ndb_close(ndb);
	path = ps_test_path(ps_test_tmpdir(), "damaged.pst");
	ps_test_write_file(path, data, size);
	free(data);
	memset(l, 0, sizeof(*l));
	rc = ps_pst_check(path, collect, l, s);
	CHECK_EQ_INT(s->problems, l->count);
	return rc;
}

/* Rewrite the CRC of the page at @p ib after a deliberate change, so that
 * only the change itself is wrong. */
static void fix_page_crc(uint8_t *data, uint64_t ib, int unicode)
{
	size_t t = unicode ? 16 : 12;
	uint32_t crc = ps_ndb__crc(0, data + ib, 512 - t);
	uint8_t *p = data + ib + 512 - t + (unicode ? 4 : 8);

	p[0] = (uint8_t)crc;
	p[1] = (uint8_t)(crc >> 8);
	p[2] = (uint8_t)(crc >> 16);
	p[3] = (uint8_t)(crc >> 24);
}

static void flip_nbt_root(uint8_t *data, size_t *size, ps_ndb *ndb)
{
	(void)size;
	data[ps_ndb_header_get(ndb)->nbt.ib + 40] ^= 0x10;
}

void test_check__damaged_page(void)
{
	struct lines l;
	ps_check_summary s;

	/* The root page itself: nothing of the NBT is readable. */
	CHECK_STATUS(PS_ECORRUPT, check_damaged("emk_pstsdk__sample1.pst", flip_nbt_root, &l, &s));
	CHECK(has_line(&l, "nbt page at", "bad crc"));
	CHECK_EQ_INT(1, s.by_area[PS_CHECK_BTREE]);
}

static uint64_t damaged_bid;

static void flip_message_block(uint8_t *data, size_t *size, ps_ndb *ndb)
{
	ps_nbt_entry n;
	ps_bbt_entry e;

	(void)size;
	CHECK_OK(ps_ndb_nbt_lookup(ndb, PS_NID_ROOT_FOLDER, &n));
	CHECK_OK(ps_ndb_bbt_lookup(ndb, n.bid_data, &e));
	damaged_bid = e.bref.bid;
	data[e.bref.ib + 30] ^= 0x80;
}

void test_check__damaged_block(void)
{
	struct lines l;
	ps_check_summary s;
	char want[64];

	CHECK_OK(check_damaged("rjohnsondev_java-libpst__dist-list.pst", flip_message_block, &l, &s));
	snprintf(want, sizeof(want), "block 0x%llx at", (unsigned long long)damaged_bid);
	CHECK(has_line(&l, want, "bad crc"));
	CHECK_EQ_INT(1, s.by_area[PS_CHECK_BLOCKS]);
}

/* Raise the reference count of the first BBT leaf entry and fix the
 * page's CRC, so that only the count is wrong. */
static uint64_t leaf_bid;

static void bump_cref(uint8_t *data, size_t *size, ps_ndb *ndb)
{
	const ps_ndb_header *h = ps_ndb_header_get(ndb);
	ps_bt_page page;
	ps_bref ref = h->bbt;

	(void)size;
	for (;;) {
		CHECK_OK(ps_ndb_bt_page_read(ndb, &ref, PS_PTYPE_BBT, &page));
		if (page.level == 0)
			break;
		ref = page.children[0];
	}
	leaf_bid = page.bbt[0].bref.bid;
	/* cRef sits after BREF and cb: at 18 (Unicode) or 10 (ANSI). */
	data[ref.ib + (h->unicode ? 18 : 10)] += 3;
	fix_page_crc(data, ref.ib, h->unicode);
}

void test_check__damaged_bbt_entry(void)
{
	const char *names[] = { "aspose-email__Outlook_1.pst", "emk_pstsdk__test_ansi.pst", NULL };
	size_t i;

	for (i = 0; names[i]; i++) {
		struct lines l;
		ps_check_summary s;
		char want[64];
		CHECK_OK(check_damaged(names[i], bump_cref, &l, &s));
		snprintf(want, sizeof(want), "block 0x%llx has reference count", (unsigned long long)leaf_bid);
		if (s.problems != 1)
			dump(&l);
		CHECK_EQ_INT(1, s.problems);
		CHECK(has_line(&l, want, NULL));
		CHECK_EQ_INT(1, s.by_area[PS_CHECK_REFS]);
	}
}

/* Clear the AMap bit of the first 64 bytes of the NBT root page. */
static void clear_amap_bit(uint8_t *data, size_t *size, ps_ndb *ndb)
{
	const ps_ndb_header *h = ps_ndb_header_get(ndb);
	uint64_t ib = h->nbt.ib;
	uint64_t k = (ib - PS_NDB_AMAP_FIRST) / PS_NDB_AMAP_SPAN;
	uint64_t amap = PS_NDB_AMAP_FIRST + k * PS_NDB_AMAP_SPAN;
	uint64_t slot = (ib - amap) / 64;

	(void)size;
	data[amap + (h->unicode ? 0 : 4) + slot / 8] &= (uint8_t)~(0x80u >> (slot % 8));
	fix_page_crc(data, amap, h->unicode);
}

void test_check__damaged_amap(void)
{
	struct lines l;
	ps_check_summary s;

	CHECK_OK(check_damaged("microsoft_outlook-pst-rs__Empty.pst", clear_amap_bit, &l, &s));
	CHECK(has_line(&l, "is in use but free in the amap", NULL));
	/* The free-space counter no longer agrees either. */
	CHECK(has_line(&l, "cbamapfree", NULL));
	CHECK_EQ_INT(2, s.problems);
}

static void cut(uint8_t *data, size_t *size, ps_ndb *ndb)
{
	(void)data;
	(void)ndb;
	*size = 0x4400 + 0x3E000 + 0x2000;     /* into the second AMap's span */
}

void test_check__truncated(void)
{
	struct lines l;
	ps_check_summary s;
	int rc;

	rc = check_damaged("aspose-email__Outlook_1.pst", cut, &l, &s);
	CHECK(rc == 0 || rc == PS_ECORRUPT);
	CHECK(has_line(&l, "header: file is truncated", NULL));
	CHECK(s.problems > 1);
}

void test_check__not_a_pst(void)
{
	const char *path = ps_test_path(ps_test_tmpdir(), "notes.txt");
	ps_check_summary s;

	ps_test_write_file(path, "just some text, not a pst file at all", 37);
	CHECK_STATUS(PS_ENOTPST, ps_pst_check(path, NULL, NULL, &s));
	CHECK_EQ_INT(0, s.problems);
	CHECK_STATUS(PS_ENOTFOUND, ps_pst_check(ps_test_path(ps_test_tmpdir(), "absent.pst"),
		NULL, NULL, &s));
}

void test_check__fuzz_entry(void)
{
	const char *names[] = { "microsoft_outlook-pst-rs__Empty.pst", "mooijtech_go-pst__32-bit.pst",
		"aquasync_ruby-msg__msgInMsg.pst", NULL };
	uint32_t seed = 12345;
	size_t i, size;
	int round;

	for (i = 0; names[i]; i++) {
		uint8_t *orig = ps_test_read_file(ps_test_sample(names[i]), &size);
		uint8_t *data = malloc(size);
		CHECK(data != NULL);
		CHECK_EQ_INT(0, ps_pst_fuzz_one(orig, size));
		/* Flip bytes in the area the trees live in, and cut the
		 * image short: every run must end cleanly (sanitizers watch). */
		for (round = 0; round < 60; round++) {
			size_t n = size, k;
			memcpy(data, orig, size);
			for (k = 0; k < 8; k++) {
				seed = seed * 1103515245u + 12345u;
				data[(seed >> 8) % size] ^= (uint8_t)(1u << (seed % 8));
			}
			if (round % 10 == 9)
				n = (seed >> 4) % size;
			CHECK_EQ_INT(0, ps_pst_fuzz_one(data, n));
		}
		free(data);
		free(orig);
	}
	CHECK_EQ_INT(0, ps_pst_fuzz_one((const uint8_t *)"", 0));
	CHECK_EQ_INT(0, ps_pst_fuzz_one((const uint8_t *)"!BDN", 4));
}
