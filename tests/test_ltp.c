/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the LTP layer (src/pst/ltp.c) on the real samples, Unicode and
 * ANSI: every property context and table context of every node and of the
 * messages' subnodes opens, every property and every cell decodes, a table's
 * rows counted from its row index alone are its rows, and the
 * contents tables agree with libpff on the number of messages per folder.
 */
#include "harness.h"
#include "pstsync/os.h"
#include "pst/ltp.h"
#include "pstsync/errors.h"

#include <libpff.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_ltp__every_pc_and_tc(void);
void test_ltp__message_store(void);
void test_ltp__ansi_strings(void);
void test_ltp__contents_match_libpff(void);
void test_ltp__flawed_aspose_records(void);


struct totals {
	ps_ndb *ndb;
	unsigned pcs, tcs, props, cells, rows;
};

static void read_tc(struct totals *t, const ps_tc *tc)
{
	size_t r, c;

	t->tcs++;
	t->rows += (unsigned)tc->row_count;
	for (r = 0; r < tc->row_count; r++) {
		CHECK(ps_tc_row_data(tc, r) != NULL);
		for (c = 0; c < tc->col_count; c++) {
			ps_ltp_value v;
			int rc = ps_tc_cell(tc, r, c, &v);
			CHECKF(rc == 0 || rc == PS_ENOTFOUND, "%s row %zu col %zu: %s", tc->hn.what, r, c,
				ps_error_last());
			if (rc == 0) {
				t->cells++;
				CHECK(v.size == 0 || v.value != NULL);
			}
			ps_ltp_value_clear(&v);
		}
	}
}

/* Read a heap's subnodes that are themselves PCs or TCs, recursively
 * (attachments, their tables, embedded messages). */
static void read_subnodes(struct totals *t, const ps_hn *hn, int depth)
{
	size_t i;

	CHECK(depth < 8);
	for (i = 0; i < hn->sub.count; i++) {
		const ps_sl_entry *e = &hn->sub.entries[i];
		ps_hn sub;
		unsigned type = PS_NID_TYPE(e->nid);
		if (type == PS_NID_TYPE_LTP)
			continue;
		CHECK_OK(ps_hn_open_sub(&sub, hn, e));
		if (sub.client_sig == PS_HN_CLIENT_PC) {
			ps_pc pc;
			CHECK_OK(ps_pc_open_sub(&pc, hn, e));
			t->pcs++;
			t->props += (unsigned)pc.count;
			ps_pc_close(&pc);
		} else if (sub.client_sig == PS_HN_CLIENT_TC) {
			ps_tc tc;
			CHECK_OK(ps_tc_open_sub(&tc, hn, e));
			read_tc(t, &tc);
			ps_tc_close(&tc);
		}
		if (sub.client_sig == PS_HN_CLIENT_PC)
			read_subnodes(t, &sub, depth + 1);
		ps_hn_close(&sub);
	}
}

static int read_node(void *ctx, const ps_nbt_entry *e)
{
	struct totals *t = ctx;
	char what[64];
	ps_hn hn;

	snprintf(what, sizeof(what), "node 0x%x", e->nid);
	if (ps_hn_open(&hn, t->ndb, what, e->nid, e->bid_data, e->bid_sub) < 0)
		return 0;          /* not a heap: queues and other raw nodes */
	if (hn.client_sig == PS_HN_CLIENT_PC) {
		ps_pc pc;
		size_t i;
		CHECK_OK(ps_pc_open(&pc, t->ndb, what, e->nid, e->bid_data, e->bid_sub));
		t->pcs++;
		t->props += (unsigned)pc.count;
		for (i = 0; i < pc.count; i++) {
			CHECK(ps_pc_find(&pc, pc.props[i].id) != NULL);
			CHECK(pc.props[i].size == 0 || pc.props[i].value != NULL);
		}
		ps_pc_close(&pc);
	} else if (hn.client_sig == PS_HN_CLIENT_TC) {
		ps_tc tc;
		size_t counted = 0;
		CHECK_OK(ps_tc_open(&tc, t->ndb, what, e->nid, e->bid_data, e->bid_sub));
		read_tc(t, &tc);
		/* the count from the row index alone is the table's */
		CHECK_OK(ps_tc_row_count(t->ndb, e->nid, &counted));
		CHECKF(counted == tc.row_count, "%s: %zu rows counted, %zu in the table", what, counted,
			tc.row_count);
		ps_tc_close(&tc);
	}
	/* Messages carry attachments and tables in subnodes; other nodes'
	 * subnodes (Outlook's 0xAC search tables) are not heaps. */
	if (hn.client_sig == PS_HN_CLIENT_PC)
		read_subnodes(t, &hn, 0);
	ps_hn_close(&hn);
	return 0;
}

void test_ltp__every_pc_and_tc(void)
{
	size_t i;

	for (i = 0; ps_test_samples_all[i]; i++) {
		struct totals t;
		memset(&t, 0, sizeof(t));
		CHECK_OK(ps_ndb_open(&t.ndb, ps_test_sample(ps_test_samples_all[i]), 0));
		CHECK_OK(ps_ndb_nbt_foreach(t.ndb, read_node, &t));
		/* Every store has at least the store, name map and 5 folders as
		 * PCs, and their hierarchy/contents/associated tables. */
		CHECKF(t.pcs >= 8 && t.tcs >= 15 && t.props > 50 && t.cells > 20,
			"%s: %u pcs, %u tcs, %u props, %u cells", ps_test_samples_all[i], t.pcs, t.tcs, t.props, t.cells);
		ps_ndb_close(t.ndb);
	}
}

void test_ltp__message_store(void)
{
	size_t i;

	for (i = 0; ps_test_samples_all[i]; i++) {
		const ps_ltp_value *p;
		ps_ndb *ndb = NULL;
		ps_pc pc;
		CHECK_OK(ps_ndb_open(&ndb, ps_test_sample(ps_test_samples_all[i]), 0));
		CHECK_OK(ps_pc_open_nid(&pc, ndb, PS_NID_MESSAGE_STORE));
		/* PidTagRecordKey: 16 bytes, the store's provider UID. */
		p = ps_pc_find(&pc, 0x0FF9);
		CHECKF(p && p->type == PS_PT_BINARY && p->size == 16, "%s: record key", ps_test_samples_all[i]);
		/* PidTagIpmSubTreeEntryId: flags, provider UID, NID. */
		p = ps_pc_find(&pc, 0x35E0);
		CHECK(p && p->size == 24);
		ps_pc_close(&pc);
		ps_ndb_close(ndb);
	}
}

void test_ltp__ansi_strings(void)
{
	const char *ansi[] = { "emk_pstsdk__test_ansi.pst", "mooijtech_go-pst__32-bit.pst", NULL };
	size_t i;

	for (i = 0; ansi[i]; i++) {
		const ps_ltp_value *p;
		ps_ndb *ndb = NULL;
		ps_pc pc;
		CHECK_OK(ps_ndb_open(&ndb, ps_test_sample(ansi[i]), 0));
		CHECK_EQ_INT(0, ps_ndb_header_get(ndb)->unicode);
		CHECK_OK(ps_pc_open_nid(&pc, ndb, PS_NID_ROOT_FOLDER));
		/* PidTagDisplayName in an ANSI store is a STRING8. */
		p = ps_pc_find(&pc, 0x3001);
		CHECK(p && p->type == PS_PT_STRING8);
		ps_pc_close(&pc);
		ps_ndb_close(ndb);
	}
}

/* Walk libpff's folders; each one's message count must be the number of
 * rows of our contents table for the same NID. */
static void compare_folder(ps_ndb *ndb, libpff_item_t *folder, unsigned *checked, int depth)
{
	libpff_error_t *err = NULL;
	uint32_t nid = 0;
	int n = 0, subs = 0, i;
	ps_tc tc;

	CHECK(depth < 32);
	CHECK(libpff_item_get_identifier(folder, &nid, &err) == 1);
	if (PS_NID_TYPE(nid) == PS_NID_TYPE_NORMAL_FOLDER &&
	    libpff_folder_get_number_of_sub_messages(folder, &n, &err) == 1) {
		CHECK_OK(ps_tc_open_nid(&tc, ndb, (nid & ~0x1Fu) | PS_NID_TYPE_CONTENTS_TABLE));
		CHECKF((size_t)n == tc.row_count, "folder 0x%x: libpff %d messages, contents table %zu",
			nid, n, tc.row_count);
		ps_tc_close(&tc);
		(*checked)++;
	}
	libpff_error_free(&err);
	if (libpff_folder_get_number_of_sub_folders(folder, &subs, &err) != 1) {
		libpff_error_free(&err);
		return;
	}
	for (i = 0; i < subs; i++) {
		libpff_item_t *sub = NULL;
		if (libpff_folder_get_sub_folder(folder, i, &sub, &err) != 1) {
			libpff_error_free(&err);
			continue;
		}
		compare_folder(ndb, sub, checked, depth + 1);
		libpff_item_free(&sub, NULL);
	}
}

void test_ltp__contents_match_libpff(void)
{
	size_t i;

	for (i = 0; ps_test_samples_all[i]; i++) {
		const char *path = ps_test_sample(ps_test_samples_all[i]);
		libpff_file_t *file = NULL;
		libpff_item_t *root = NULL;
		unsigned checked = 0;
		ps_ndb *ndb = NULL;

		char *full = NULL;
		int opened;

		/* libpff on Windows wants a full path with backslashes */
		CHECK_OK(ps_path_absolute(path, &full));
		CHECK(libpff_file_initialize(&file, NULL) == 1);
		opened = libpff_file_open(file, full, LIBPFF_OPEN_READ, NULL);
		free(full);
		CHECK(opened == 1);
		CHECK(libpff_file_get_root_folder(file, &root, NULL) == 1);
		CHECK_OK(ps_ndb_open(&ndb, path, 0));
		compare_folder(ndb, root, &checked, 0);
		CHECKF(checked >= 3, "%s: %u folders compared", ps_test_samples_all[i], checked);
		ps_ndb_close(ndb);
		libpff_item_free(&root, NULL);
		libpff_file_close(file, NULL);
		libpff_file_free(&file, NULL);
	}
}

void test_ltp__flawed_aspose_records(void)
{
	const ps_ltp_value *p;
	ps_ndb *ndb = NULL;
	ps_pc pc;

	/* Aspose wrote records of type 0x0000 after the others: the contact
	 * still reads, the flaw is counted and the properties are sorted. */
	CHECK_OK(ps_ndb_open(&ndb, ps_test_sample("aspose-email__Test_part1.pst"), 0));
	CHECK_OK(ps_pc_open_nid(&pc, ndb, 0x200784));
	CHECK_EQ_INT(1, pc.disorder);
	CHECK_EQ_INT(0, pc.props[0].id);
	CHECK_EQ_INT(PS_PT_UNSPECIFIED, pc.props[0].type);
	p = ps_pc_find(&pc, 0x001A);
	CHECK(p && p->type == PS_PT_UNICODE && p->size == 22);    /* "IPM.Contact" */
	CHECK(memcmp(p->value, "I\0P\0M\0.\0C\0", 10) == 0);
	ps_pc_close(&pc);
	ps_ndb_close(ndb);
}
