/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Fuzz entry point for the PST layer: open an in-memory image, read every
 * node through the NDB and LTP readers as the sync would, then run the
 * integrity checker on it. A libFuzzer target only has to call
 * ps_pst_fuzz_one() from LLVMFuzzerTestOneInput(); any input must end
 * without a crash, a leak, an out-of-bounds access or an endless loop.
 */
#include "pst/check.h"

#include "pst/ltp.h"
#include "pst/store_pst.h"
#include "pstsync/errors.h"

#include <stdio.h>

/* Read one node as a PC or a TC, whichever its heap says it is, with the
 * subnodes of a message (attachments and their tables). */
static void read_node(ps_ndb *ndb, const ps_nbt_entry *e)
{
	ps_hn hn;
	ps_pc pc;
	ps_tc tc;
	size_t i, r, k;
	char what[64];

	snprintf(what, sizeof(what), "node 0x%x", e->nid);
	if (ps_hn_open(&hn, ndb, what, e->nid, e->bid_data, e->bid_sub) < 0)
		return;
	if (hn.client_sig == PS_HN_CLIENT_PC &&
	    ps_pc_open(&pc, ndb, what, e->nid, e->bid_data, e->bid_sub) == 0) {
		for (i = 0; i < hn.sub.count; i++) {
			ps_pc sp;
			if (ps_pc_open_sub(&sp, &hn, &hn.sub.entries[i]) == 0)
				ps_pc_close(&sp);
		}
		ps_pc_close(&pc);
	} else if (hn.client_sig == PS_HN_CLIENT_TC &&
		   ps_tc_open(&tc, ndb, what, e->nid, e->bid_data, e->bid_sub) == 0) {
		uint32_t tags[256];
		struct pst_big *big = NULL;
		size_t n = 0, bit;
		for (r = 0; r < tc.row_count; r++) {
			for (k = 0; k < tc.col_count; k++) {
				ps_ltp_value v;
				(void)ps_tc_cell(&tc, r, k, &v);
				ps_ltp_value_clear(&v);
				(void)ps_tc_cell_ref(&tc, r, k, &v);
				ps_ltp_value_clear(&v);
			}
		}
		/* the writer's take-over of a large table, with its columns by bit */
		for (bit = 0; bit < tc.col_count && bit < 256; bit++)
			for (k = 0; k < tc.col_count; k++)
				if (tc.cols[k].bit == bit && tc.cols[k].tag != 0x67F20003 &&
				    tc.cols[k].tag != 0x67F30003 && n < 256)
					tags[n++] = tc.cols[k].tag;
		if (pst__big_from_tc(&tc, e->nid, tags, n, &big) == 0)
			pst__big_free(big);
		ps_tc_close(&tc);
		(void)ps_tc_row_count(ndb, e->nid, &n);
	}
	ps_hn_close(&hn);
}

static int visit(void *ctx, const ps_nbt_entry *e)
{
	read_node(ctx, e);
	return 0;
}

int ps_pst_fuzz_one(const uint8_t *data, size_t size)
{
	ps_check_summary sum;
	ps_ndb *ndb = NULL;

	if (ps_ndb_open_mem(&ndb, data, size, "fuzz.pst", PS_NDB_OPEN_LENIENT) < 0)
		return 0;
	(void)ps_ndb_nbt_foreach(ndb, visit, ndb);
	(void)ps_check__run(ndb, NULL, NULL, &sum);
	ps_ndb_close(ndb);
	return 0;
}
