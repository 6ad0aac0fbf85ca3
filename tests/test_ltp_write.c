/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the LTP builders (src/pst/ltp_write.c). Property and table
 * contexts are built as node images and read back with the LTP reader's
 * image entry points (ps_pc_open_image, ps_tc_open_image), without any file:
 * every property type, values of the sizes where the heap, its blocks and
 * subnodes change (0, 1, 3580, 3581, 8176, 100 KB, 1 MB), heaps of many
 * blocks, multi-level BTHs and tables of 0 to 5,000 rows. Then fidelity
 * against Outlook: every PC and TC of the Outlook-made samples is read,
 * rebuilt from the values read and read again, and must give the same
 * values and, for tables, the same column layout.
 */
#include "harness.h"
#include "core/util.h"
#include "pst/ltp.h"
#include "pst/ltp_write.h"
#include "pstsync/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_ltp_write__pc_all_types(void);
void test_ltp_write__pc_value_sizes(void);
void test_ltp_write__pc_many_props(void);
void test_ltp_write__pc_refuses(void);
void test_ltp_write__heap_layout(void);
void test_ltp_write__tc_empty(void);
void test_ltp_write__tc_layout(void);
void test_ltp_write__tc_sizes(void);
void test_ltp_write__tc_refuses(void);
void test_ltp_write__tc_matrix_blocks(void);
void test_ltp_write__image_subnodes(void);
void test_ltp_write__outlook_fidelity(void);

/* ---- helpers ------------------------------------------------------------ */

/* Hands out subnode NIDs of type LTP from index 1, as Outlook's 0x3F, 0x5F... */
struct nids {
	uint32_t next;
	unsigned calls;
};

static int next_nid(void *ctx, uint32_t *nid)
{
	struct nids *n = ctx;

	*nid = PS_NID_MAKE(PS_NID_TYPE_LTP, ++n->next);
	n->calls++;
	return PS_OK;
}

/* Deterministic bytes. */
static uint8_t *pattern(size_t size, uint32_t seed)
{
	uint8_t *p = malloc(size ? size : 1);
	size_t i;

	CHECK(p != NULL);
	for (i = 0; i < size; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
	return p;
}

static ps_prop mkprop(uint32_t tag, const void *data, size_t size)
{
	ps_prop p;

	memset(&p, 0, sizeof(p));
	p.tag = tag;
	p.data = (uint8_t *)(uintptr_t)data;
	p.size = size;
	return p;
}

/* Every property of @p props must read back from @p pc, and nothing else. */
static void check_pc(const ps_pc *pc, const ps_prop *props, size_t n)
{
	size_t i;

	CHECK_EQ_INT(n, pc->count);
	CHECK_EQ_INT(0, pc->disorder);
	for (i = 0; i < n; i++) {
		const ps_ltp_value *v = ps_pc_find(pc, PS_PROP_ID(props[i].tag));
		CHECKF(v != NULL, "property 0x%08x is missing", props[i].tag);
		CHECKF(v->type == PS_PROP_TYPE(props[i].tag), "property 0x%08x read as type 0x%04x",
			props[i].tag, v->type);
		CHECKF(v->size == props[i].size, "property 0x%08x: %zu bytes, wrote %zu", props[i].tag,
			v->size, props[i].size);
		CHECKF(props[i].size == 0 || memcmp(v->value, props[i].data, props[i].size) == 0,
			"property 0x%08x: value differs", props[i].tag);
	}
}

/* Build, open, check; returns the image (caller clears it) and leaves
 * the PC open in *@p pc. */
static void pc_round_trip(const ps_prop *props, size_t n, ps_node_image *img, ps_pc *pc)
{
	struct nids nids = { 0, 0 };

	CHECK_OK(ps_pc_build(props, n, next_nid, &nids, img));
	CHECK_OK(ps_pc_open_image(pc, img, "built pc"));
	check_pc(pc, props, n);
}

/* The fill level of a block with @p free_bytes unused ([MS-PST] 2.3.1.2). */
static unsigned fill_level(size_t free_bytes)
{
	static const size_t at_least[15] = { 3584, 2560, 2048, 1792, 1536, 1280, 1024,
		768, 512, 256, 128, 64, 32, 16, 8 };
	unsigned level = 0;

	while (level < 15 && free_bytes < at_least[level])
		level++;
	return level;
}

/* The heap facts Outlook's files show, checked on a built image. */
static void check_heap_layout(const ps_node_image *img, uint8_t client_sig)
{
	size_t i;

	CHECK(img->block_count > 0);
	CHECK_EQ_INT(PS_HN_SIG, img->blocks[0].data[2]);
	CHECK_EQ_INT(client_sig, img->blocks[0].data[3]);
	for (i = 0; i < img->block_count; i++) {
		const uint8_t *p = img->blocks[i].data;
		size_t size = img->blocks[i].size, ib = ps_get16(p), count = ps_get16(p + ib);
		size_t used = ib + 4 + 2 * (count + 1), holder, k;
		uint8_t fill;

		CHECK(ib % 2 == 0);
		CHECK_EQ_INT(0, ps_get16(p + ib + 2));                      /* cFree */
		/* Every block but the last at full size, the last one trimmed. */
		CHECK_EQ_INT(i + 1 < img->block_count ? PS_NODE_BLOCK_MAX : used, size);
		/* Its fill level: in HNHDR for blocks 0-7, else in the
		 * HNBITMAPHDR of block 8 + 128n; the low nibble first. */
		if (i < 8) {
			fill = img->blocks[0].data[8 + i / 2];
			k = i;
		} else {
			holder = 8 + (i - 8) / 128 * 128;
			k = i - holder;
			fill = img->blocks[holder].data[2 + k / 2];
		}
		CHECKF(fill_level(PS_NODE_BLOCK_MAX - used) == (k % 2 ? fill >> 4 : fill & 0xFu),
			"block %zu: fill level %u, %zu bytes free", i, (k % 2 ? fill >> 4 : fill & 0xFu),
			PS_NODE_BLOCK_MAX - used);
	}
}

/* ---- property contexts -------------------------------------------------- */

void test_ltp_write__pc_all_types(void)
{
	static const uint8_t i2[2] = { 0x34, 0x12 }, i4[4] = { 1, 2, 3, 4 },
		r4[4] = { 0, 0, 0x80, 0x3F }, r8[8] = { 0, 0, 0, 0, 0, 0, 0xF0, 0x3F },
		cur[8] = { 0x10, 0x27, 0, 0, 0, 0, 0, 0 }, at[8] = { 0, 0, 0, 0, 0, 0x40, 0xE5, 0x40 },
		err[4] = { 0x0F, 0x01, 0x04, 0x80 }, bt[1] = { 1 }, bf[1] = { 0 },
		i8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, st[8] = { 0x00, 0x80, 0x3E, 0xD5, 0xDE, 0xB1, 0x9D, 0x01 },
		guid[16] = { 0x13, 0x08, 0x20, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46 },
		s8[] = "Hello", uni[] = { 'H', 0, 'i', 0, 0xE9, 0 }, bin[3] = { 0xDE, 0xAD, 0xBE },
		obj[8] = { 0x3F, 0, 0, 0, 0x10, 0, 0, 0 },
		mv_i2[6] = { 1, 0, 2, 0, 3, 0 }, mv_i4[8] = { 1, 0, 0, 0, 2, 0, 0, 0 },
		mv_i8[16] = { 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0 },
		/* Variable multi-values: count, offsets, then the values. */
		mv_uni[4 + 8 + 4 + 6] = { 2, 0, 0, 0, 12, 0, 0, 0, 16, 0, 0, 0, 'a', 0, 'b', 0,
			'c', 0, 'd', 0, 'e', 0 },
		mv_bin[4 + 4 + 3] = { 1, 0, 0, 0, 8, 0, 0, 0, 7, 8, 9 },
		mv_s8[4 + 8 + 4] = { 2, 0, 0, 0, 12, 0, 0, 0, 14, 0, 0, 0, 'x', 0, 'y', 0 };
	ps_prop props[] = {
		mkprop(PS_PROP_TAG(0x3A40, PS_PT_BOOLEAN), bt, 1),
		mkprop(PS_PROP_TAG(0x0017, PS_PT_LONG), i4, 4),
		mkprop(PS_PROP_TAG(0x1000, PS_PT_SHORT), i2, 2),
		mkprop(PS_PROP_TAG(0x1001, PS_PT_FLOAT), r4, 4),
		mkprop(PS_PROP_TAG(0x1002, PS_PT_DOUBLE), r8, 8),
		mkprop(PS_PROP_TAG(0x1003, PS_PT_CURRENCY), cur, 8),
		mkprop(PS_PROP_TAG(0x1004, PS_PT_APPTIME), at, 8),
		mkprop(PS_PROP_TAG(0x1005, PS_PT_ERROR), err, 4),
		mkprop(PS_PROP_TAG(0x1006, PS_PT_BOOLEAN), bf, 1),
		mkprop(PS_PROP_TAG(0x1007, PS_PT_LONGLONG), i8, 8),
		mkprop(PS_PROP_TAG(0x0E06, PS_PT_SYSTIME), st, 8),
		mkprop(PS_PROP_TAG(0x1008, PS_PT_CLSID), guid, 16),
		mkprop(PS_PROP_TAG(0x1009, PS_PT_STRING8), s8, 5),
		mkprop(PS_PROP_TAG(0x3001, PS_PT_UNICODE), uni, 6),
		mkprop(PS_PROP_TAG(0x0FF9, PS_PT_BINARY), bin, 3),
		mkprop(PS_PROP_TAG(0x3701, PS_PT_OBJECT), obj, 8),
		mkprop(PS_PROP_TAG(0x100A, PS_PT_MV | PS_PT_SHORT), mv_i2, 6),
		mkprop(PS_PROP_TAG(0x100B, PS_PT_MV | PS_PT_LONG), mv_i4, 8),
		mkprop(PS_PROP_TAG(0x100C, PS_PT_MV | PS_PT_FLOAT), mv_i4, 8),
		mkprop(PS_PROP_TAG(0x100D, PS_PT_MV | PS_PT_DOUBLE), mv_i8, 16),
		mkprop(PS_PROP_TAG(0x100E, PS_PT_MV | PS_PT_CURRENCY), mv_i8, 16),
		mkprop(PS_PROP_TAG(0x100F, PS_PT_MV | PS_PT_APPTIME), mv_i8, 16),
		mkprop(PS_PROP_TAG(0x1010, PS_PT_MV | PS_PT_LONGLONG), mv_i8, 16),
		mkprop(PS_PROP_TAG(0x1011, PS_PT_MV | PS_PT_SYSTIME), mv_i8, 16),
		mkprop(PS_PROP_TAG(0x1012, PS_PT_MV | PS_PT_CLSID), guid, 16),
		mkprop(PS_PROP_TAG(0x1013, PS_PT_MV | PS_PT_STRING8), mv_s8, sizeof(mv_s8)),
		mkprop(PS_PROP_TAG(0x1014, PS_PT_MV | PS_PT_UNICODE), mv_uni, sizeof(mv_uni)),
		mkprop(PS_PROP_TAG(0x1015, PS_PT_MV | PS_PT_BINARY), mv_bin, sizeof(mv_bin)),
		mkprop(PS_PROP_TAG(0x8001, PS_PT_LONG), i4, 4),           /* a named one */
	};
	size_t n = sizeof(props) / sizeof(props[0]), i;
	ps_node_image img;
	ps_pc pc;

	pc_round_trip(props, n, &img, &pc);
	/* Where each value went: up to 4 bytes in the record, else the heap. */
	for (i = 0; i < n; i++) {
		const ps_ltp_value *v = ps_pc_find(&pc, PS_PROP_ID(props[i].tag));
		int fixed = ps_prop_type_size(v->type);
		CHECK_EQ_INT(fixed > 0 && fixed <= 4 ? PS_PROP_INLINE : PS_PROP_HEAP, v->where);
	}
	/* Booleans and shorts: the value, then zero bytes, in dwValueHnid. */
	CHECK_EQ_INT(1, ps_pc_find(&pc, 0x3A40)->hnid);
	CHECK_EQ_INT(0x1234, ps_pc_find(&pc, 0x1000)->hnid);
	CHECK_EQ_INT(0, img.sub_count);
	CHECK_EQ_INT(1, img.block_count);
	check_heap_layout(&img, PS_HN_CLIENT_PC);
	/* As in Outlook's files: BTH header at 0x20, records at 0x40. */
	CHECK_EQ_INT(0x20, pc.hn.user_root);
	{
		ps_bth bth;
		CHECK_OK(ps_bth_open(&bth, &pc.hn, pc.hn.user_root));
		CHECK_EQ_INT(0x40, bth.root);
		CHECK_EQ_INT(0, bth.levels);
	}
	ps_pc_close(&pc);
	ps_node_image_clear(&img);
}

void test_ltp_write__pc_value_sizes(void)
{
	static const size_t sizes[] = { 0, 1, 3580, 3581, 8176, 8177, 100 * 1024, 1024 * 1024 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	ps_prop props[2 * N];
	uint8_t *bufs[2 * N];
	ps_node_image img;
	ps_pc pc;
	size_t i, subs = 0;

	/* Each size as binary and as Unicode (even sizes), one PC. */
	for (i = 0; i < N; i++) {
		size_t usize = sizes[i] & ~(size_t)1;
		bufs[2 * i] = pattern(sizes[i], (uint32_t)i);
		bufs[2 * i + 1] = pattern(usize, (uint32_t)i + 100);
		props[2 * i] = mkprop(PS_PROP_TAG(0x6000 + i, PS_PT_BINARY), bufs[2 * i], sizes[i]);
		props[2 * i + 1] = mkprop(PS_PROP_TAG(0x7000 + i, PS_PT_UNICODE), bufs[2 * i + 1], usize);
	}
	pc_round_trip(props, 2 * N, &img, &pc);
	for (i = 0; i < 2 * N; i++) {
		const ps_ltp_value *v = ps_pc_find(&pc, PS_PROP_ID(props[i].tag));
		int want = props[i].size == 0 ? PS_PROP_NONE :
			props[i].size <= 3580 ? PS_PROP_HEAP : PS_PROP_SUBNODE;
		CHECKF(v->where == want, "%zu bytes stored as %d", props[i].size, v->where);
		if (want == PS_PROP_NONE)
			CHECK_EQ_INT(0, v->hnid);
		if (want == PS_PROP_SUBNODE) {
			/* A plain stream in the subnode, cut into full blocks. */
			const ps_sl_entry *e = ps_ndb_subnodes_find(&pc.hn.sub, v->hnid);
			const ps_node_image *sub;
			CHECK(e != NULL);
			CHECK_EQ_INT(PS_NID_TYPE_LTP, PS_NID_TYPE(v->hnid));
			sub = &img.subs[e->bid_data - 1].image;
			CHECK_EQ_INT((props[i].size + PS_NODE_BLOCK_MAX - 1) / PS_NODE_BLOCK_MAX, sub->block_count);
			CHECK_EQ_INT(props[i].size < PS_NODE_BLOCK_MAX ? props[i].size : PS_NODE_BLOCK_MAX,
				sub->blocks[0].size);
			CHECK_EQ_INT(0, sub->sub_count);
			subs++;
		}
	}
	CHECK_EQ_INT(subs, img.sub_count);
	CHECK_EQ_INT(9, subs);     /* 5 binaries, 4 Unicode (3581 became 3580) */
	/* 2 x 3580 + 2 x 1 bytes of values do not fit one heap block. */
	CHECK(img.block_count == 2);
	check_heap_layout(&img, PS_HN_CLIENT_PC);
	ps_pc_close(&pc);
	ps_node_image_clear(&img);
	for (i = 0; i < 2 * N; i++)
		free(bufs[i]);
}

void test_ltp_write__pc_many_props(void)
{
	enum { N = 3000 };
	ps_prop *props = calloc(N, sizeof(*props));
	uint8_t **bufs = calloc(N, sizeof(*bufs));
	ps_node_image img;
	ps_pc pc;
	ps_bth bth;
	size_t i;

	CHECK(props && bufs);
	/* Ids given in descending order, mixed types and sizes. */
	for (i = 0; i < N; i++) {
		uint16_t id = (uint16_t)(0x9000 - i * 3);
		switch (i % 4) {
		case 0:
			bufs[i] = pattern(4, (uint32_t)i);
			props[i] = mkprop(PS_PROP_TAG(id, PS_PT_LONG), bufs[i], 4);
			break;
		case 1:
			bufs[i] = pattern(8, (uint32_t)i);
			props[i] = mkprop(PS_PROP_TAG(id, PS_PT_SYSTIME), bufs[i], 8);
			break;
		case 2:
			bufs[i] = pattern(2 * (i % 90), (uint32_t)i);
			props[i] = mkprop(PS_PROP_TAG(id, PS_PT_UNICODE), bufs[i], 2 * (i % 90));
			break;
		default:
			bufs[i] = pattern(i % 700, (uint32_t)i);
			props[i] = mkprop(PS_PROP_TAG(id, PS_PT_BINARY), bufs[i], i % 700);
			break;
		}
	}
	pc_round_trip(props, N, &img, &pc);
	/* 3000 records of 8 bytes: 7 leaves of at most 447, one index level. */
	CHECK_OK(ps_bth_open(&bth, &pc.hn, pc.hn.user_root));
	CHECK_EQ_INT(1, bth.levels);
	CHECK(img.block_count > 8);             /* past the first HNBITMAPHDR */
	CHECK_EQ_INT(0, img.sub_count);
	check_heap_layout(&img, PS_HN_CLIENT_PC);
	ps_pc_close(&pc);
	ps_node_image_clear(&img);
	for (i = 0; i < N; i++)
		free(bufs[i]);
	free(bufs);
	free(props);
}

void test_ltp_write__pc_refuses(void)
{
	static const uint8_t v[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t *big = pattern(5000, 7);
	ps_node_image img;
	ps_prop p[2];

	p[0] = mkprop(PS_PROP_TAG(0x3001, PS_PT_UNSPECIFIED), v, 4);
	CHECK_STATUS(PS_EINVAL, ps_pc_build(p, 1, NULL, NULL, &img));
	CHECK_EQ_INT(0, img.block_count);
	p[0] = mkprop(PS_PROP_TAG(0x3001, PS_PT_NULL), v, 4);
	CHECK_STATUS(PS_EINVAL, ps_pc_build(p, 1, NULL, NULL, &img));
	p[0] = mkprop(PS_PROP_TAG(0x3001, 0x0099), v, 4);
	CHECK_STATUS(PS_EINVAL, ps_pc_build(p, 1, NULL, NULL, &img));
	/* Two types of one id. */
	p[0] = mkprop(PS_PROP_TAG(0x3001, PS_PT_LONG), v, 4);
	p[1] = mkprop(PS_PROP_TAG(0x3001, PS_PT_BINARY), v, 4);
	CHECK_STATUS(PS_EINVAL, ps_pc_build(p, 2, NULL, NULL, &img));
	/* A fixed-size value of the wrong size. */
	p[0] = mkprop(PS_PROP_TAG(0x3001, PS_PT_LONG), v, 8);
	CHECK_STATUS(PS_EINVAL, ps_pc_build(p, 1, NULL, NULL, &img));
	p[0] = mkprop(PS_PROP_TAG(0x3001, PS_PT_BOOLEAN), v, 4);
	CHECK_STATUS(PS_EINVAL, ps_pc_build(p, 1, NULL, NULL, &img));
	p[0] = mkprop(PS_PROP_TAG(0x3001, PS_PT_BINARY), NULL, 4);
	CHECK_STATUS(PS_EINVAL, ps_pc_build(p, 1, NULL, NULL, &img));
	/* A value that needs a subnode and no allocator. */
	p[0] = mkprop(PS_PROP_TAG(0x1000, PS_PT_BINARY), big, 5000);
	CHECK_STATUS(PS_EINVAL, ps_pc_build(p, 1, NULL, NULL, &img));
	CHECK_EQ_INT(0, img.sub_count);
	/* No properties at all is a valid, empty PC. */
	CHECK_OK(ps_pc_build(NULL, 0, NULL, NULL, &img));
	{
		ps_pc pc;
		CHECK_OK(ps_pc_open_image(&pc, &img, "empty pc"));
		CHECK_EQ_INT(0, pc.count);
		ps_pc_close(&pc);
	}
	ps_node_image_clear(&img);
	free(big);
}

void test_ltp_write__heap_layout(void)
{
	enum { N = 60 };
	ps_prop props[N];
	uint8_t *bufs[N];
	ps_node_image img;
	ps_pc pc;
	size_t i;

	/* 60 values of 3000 bytes: two a block, 30 blocks, one of them (8)
	 * with an HNBITMAPHDR. */
	for (i = 0; i < N; i++) {
		bufs[i] = pattern(3000, (uint32_t)i);
		props[i] = mkprop(PS_PROP_TAG(0x4000 + i, PS_PT_BINARY), bufs[i], 3000);
	}
	pc_round_trip(props, N, &img, &pc);
	CHECK_EQ_INT(30, img.block_count);
	CHECK_EQ_INT(30, pc.hn.page_count);
	check_heap_layout(&img, PS_HN_CLIENT_PC);
	/* Block 8 starts with HNBITMAPHDR: its first allocation is at 66. */
	CHECK_EQ_INT(66, ps_get16(pc.hn.pages[8].alloc));
	CHECK_EQ_INT(2, ps_get16(pc.hn.pages[7].alloc));
	CHECK_EQ_INT(2, ps_get16(pc.hn.pages[9].alloc));
	/* Values in id order: 0x4000 right after the records, in block 0. */
	CHECK_EQ_INT(0, PS_HID_BLOCK(ps_pc_find(&pc, 0x4000)->hnid));
	CHECK_EQ_INT(29, PS_HID_BLOCK(ps_pc_find(&pc, 0x4000 + N - 1)->hnid));
	ps_pc_close(&pc);
	ps_node_image_clear(&img);
	for (i = 0; i < N; i++)
		free(bufs[i]);
}

/* ---- table contexts ----------------------------------------------------- */

/* Every cell of @p rows must read back from @p tc, rows in the given
 * order in the matrix. */
static void check_tc(const ps_tc *tc, const ps_tc_build_col *cols, size_t ncols,
	const ps_tc_build_row *rows, size_t nrows)
{
	size_t r, c;

	CHECK_EQ_INT(nrows, tc->row_count);
	CHECK_EQ_INT(nrows, tc->matrix_rows);
	for (r = 0; r < tc->row_count; r++) {
		const ps_tc_build_row *row = NULL;
		/* Key order in the index; position = the given order. */
		CHECK(r == 0 || tc->rows[r - 1].id < tc->rows[r].id);
		CHECK(tc->rows[r].index < nrows);
		row = &rows[tc->rows[r].index];
		CHECK_EQ_INT(row->row_id, tc->rows[r].id);
		for (c = 0; c < ncols; c++) {
			const ps_prop *want = row->cells ? &row->cells[c] : NULL;
			int col = ps_tc_col_find(tc, cols[c].tag);
			ps_ltp_value v;
			int rc;
			CHECK(col >= 0);
			rc = ps_tc_cell(tc, r, (size_t)col, &v);
			if (cols[c].tag == 0x67F20003u) {
				CHECK_OK(rc);
				CHECK_EQ_INT(row->row_id, ps_get32(v.value));
			} else if (!want || (want->size == 0 && !want->data)) {
				if (cols[c].tag == 0x67F30003u)
					CHECK_OK(rc);
				else
					CHECKF(rc == PS_ENOTFOUND, "row 0x%x col 0x%08x should be absent",
						row->row_id, cols[c].tag);
			} else {
				CHECKF(rc == 0, "row 0x%x col 0x%08x: %d", row->row_id, cols[c].tag, rc);
				CHECKF(v.size == want->size && (v.size == 0 ||
					memcmp(v.value, want->data, v.size) == 0),
					"row 0x%x col 0x%08x: value differs", row->row_id, cols[c].tag);
			}
			ps_ltp_value_clear(&v);
		}
	}
}

void test_ltp_write__tc_empty(void)
{
	/* A contents-table-like empty table, as Outlook writes one for an
	 * empty folder: BTH header at 0x20, TCINFO at 0x40, no rows. */
	static const ps_tc_build_col cols[] = {
		{ 0x0E170003 }, { 0x001A001F }, { 0x0E070003 }, { 0x3001001F }, { 0x30080040 },
		{ 0x6803000B }, { 0x68051003 },
	};
	ps_node_image img;
	ps_tc tc;
	const uint8_t *p;
	size_t size;

	CHECK_OK(ps_tc_build(cols, 7, NULL, 0, NULL, NULL, &img));
	CHECK_EQ_INT(1, img.block_count);
	CHECK_EQ_INT(0, img.sub_count);
	check_heap_layout(&img, PS_HN_CLIENT_TC);
	CHECK_OK(ps_tc_open_image(&tc, &img, "empty tc"));
	CHECK_EQ_INT(0x40, tc.hn.user_root);
	CHECK_EQ_INT(0x20, tc.hid_row_index);
	CHECK_EQ_INT(0, tc.hnid_rows);
	CHECK_EQ_INT(0, tc.row_count);
	CHECK_EQ_INT(9, tc.col_count);
	CHECK_EQ_INT(2, tc.hn.pages[0].count);  /* two allocations, as Outlook */
	CHECK_OK(ps_hn_get(&tc.hn, 0x20, &p, &size));
	CHECK_EQ_INT(8, size);
	CHECK_EQ_INT(0xB5, p[0]);
	CHECK_EQ_INT(4, p[1]);
	CHECK_EQ_INT(4, p[2]);
	CHECK_EQ_INT(0, ps_get32(p + 4));
	ps_tc_close(&tc);
	ps_node_image_clear(&img);
}

void test_ltp_write__tc_layout(void)
{
	/* Columns of every size class given in mixed order, the row version
	 * among them: bits follow that order after RowId/RowVer, 4- and 8-byte
	 * cells sit in bit order, then 2-byte, then 1-byte ones. */
	static const ps_tc_build_col cols[] = {
		{ 0x0037001F }, { 0x0E06 << 16 | PS_PT_SYSTIME }, { 0x1000 << 16 | PS_PT_SHORT },
		{ 0x67F30003 }, { 0x0057000B }, { 0x0E070003 }, { 0x1001 << 16 | PS_PT_CLSID },
		{ 0x0058000B }, { 0x1002 << 16 | PS_PT_SHORT },
	};
	static const struct { uint32_t tag; uint16_t off; uint8_t size, bit; } want[] = {
		{ 0x67F20003, 0, 4, 0 }, { 0x67F30003, 4, 4, 1 }, { 0x0037001F, 8, 4, 2 },
		{ 0x0E060040, 12, 8, 3 }, { 0x10000002, 28, 2, 4 }, { 0x0057000B, 32, 1, 5 },
		{ 0x0E070003, 20, 4, 6 }, { 0x10010048, 24, 4, 7 }, { 0x0058000B, 33, 1, 8 },
		{ 0x10020002, 30, 2, 9 },
	};
	static const uint8_t subj[] = { 'S', 0, 'u', 0 }, tm[8] = { 1, 2, 3, 4, 5, 6, 7, 8 },
		sh[2] = { 7, 0 }, t[1] = { 1 }, fl[4] = { 9, 0, 0, 0 }, ver[4] = { 42, 0, 0, 0 },
		guid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	ps_prop cells[2][9];
	ps_tc_build_row rows[2];
	ps_node_image img;
	struct nids nids = { 0, 0 };
	ps_tc tc;
	size_t i;

	memset(cells, 0, sizeof(cells));
	cells[0][0] = mkprop(cols[0].tag, subj, 4);
	cells[0][1] = mkprop(cols[1].tag, tm, 8);
	cells[0][2] = mkprop(cols[2].tag, sh, 2);
	cells[0][3] = mkprop(cols[3].tag, ver, 4);
	cells[0][4] = mkprop(cols[4].tag, t, 1);
	cells[0][5] = mkprop(cols[5].tag, fl, 4);
	cells[0][6] = mkprop(cols[6].tag, guid, 16);
	cells[1][0] = mkprop(cols[0].tag, subj, 0);     /* empty, present */
	cells[1][1] = mkprop(cols[1].tag, NULL, 0);     /* absent */
	cells[1][7] = mkprop(cols[7].tag, t, 1);
	cells[1][8] = mkprop(cols[8].tag, sh, 2);
	cells[1][0].data = (uint8_t *)(uintptr_t)subj;
	rows[0].row_id = 0x200024;
	rows[0].cells = cells[0];
	rows[1].row_id = 0x200004;
	rows[1].cells = cells[1];
	CHECK_OK(ps_tc_build(cols, 9, rows, 2, next_nid, &nids, &img));
	CHECK_EQ_INT(0, nids.calls);
	check_heap_layout(&img, PS_HN_CLIENT_TC);
	CHECK_OK(ps_tc_open_image(&tc, &img, "layout tc"));
	CHECK_EQ_INT(10, tc.col_count);
	CHECK_EQ_INT(28, tc.rgib[PS_TCI_4B]);
	CHECK_EQ_INT(32, tc.rgib[PS_TCI_2B]);
	CHECK_EQ_INT(34, tc.rgib[PS_TCI_1B]);
	CHECK_EQ_INT(36, tc.rgib[PS_TCI_BM]);
	for (i = 0; i < 10; i++) {
		int c = ps_tc_col_find(&tc, want[i].tag);
		CHECKF(c >= 0, "column 0x%08x", want[i].tag);
		CHECKF(tc.cols[c].offset == want[i].off && tc.cols[c].size == want[i].size &&
			tc.cols[c].bit == want[i].bit, "column 0x%08x at %u/%u/%u", want[i].tag,
			tc.cols[c].offset, tc.cols[c].size, tc.cols[c].bit);
		/* Descriptors sorted by tag. */
		CHECK(i == 0 || tc.cols[i - 1].tag < tc.cols[i].tag);
	}
	check_tc(&tc, cols, 9, rows, 2);
	/* Row 0x200004 is second in the matrix, first in the index. */
	CHECK_EQ_INT(0x200004, tc.rows[0].id);
	CHECK_EQ_INT(1, tc.rows[0].index);
	/* Its version was not given: numbered by position from 1. */
	{
		ps_ltp_value v;
		CHECK_OK(ps_tc_cell(&tc, 0, (size_t)ps_tc_col_find(&tc, 0x67F30003), &v));
		CHECK_EQ_INT(2, ps_get32(v.value));
		ps_ltp_value_clear(&v);
		/* The empty string: bit set, HNID 0. */
		CHECK_OK(ps_tc_cell(&tc, 0, (size_t)ps_tc_col_find(&tc, 0x0037001F), &v));
		CHECK_EQ_INT(PS_PROP_NONE, v.where);
		CHECK_EQ_INT(0, v.size);
		ps_ltp_value_clear(&v);
	}
	/* Existence bits of row 0: bits 0-7 (RowId, RowVer and all of row 0's
	 * cells but the last two), bits 8 and 9 clear. */
	CHECK_EQ_INT(0xFF, ps_tc_row_data(&tc, 1)[34]);
	CHECK_EQ_INT(0x00, ps_tc_row_data(&tc, 1)[35]);
	/* Row 1: RowId, RowVer, the empty string, bits 8 and 9. */
	CHECK_EQ_INT(0xE0, ps_tc_row_data(&tc, 0)[34]);
	CHECK_EQ_INT(0xC0, ps_tc_row_data(&tc, 0)[35]);
	ps_tc_close(&tc);
	ps_node_image_clear(&img);
}

/* A table of @p nrows rows and 20 columns (RowId and RowVer added by the
 * builder), with absent cells, empty and large variable-size cells. */
static void tc_sized(size_t nrows)
{
	static const uint16_t types[20] = {
		PS_PT_LONG, PS_PT_UNICODE, PS_PT_SYSTIME, PS_PT_BOOLEAN, PS_PT_BINARY,
		PS_PT_SHORT, PS_PT_STRING8, PS_PT_LONGLONG, PS_PT_DOUBLE, PS_PT_CLSID,
		PS_PT_MV | PS_PT_UNICODE, PS_PT_ERROR, PS_PT_FLOAT, PS_PT_CURRENCY, PS_PT_APPTIME,
		PS_PT_MV | PS_PT_LONG, PS_PT_BOOLEAN, PS_PT_SHORT, PS_PT_UNICODE, PS_PT_BINARY,
	};
	ps_tc_build_col cols[20];
	ps_tc_build_row *rows = calloc(nrows ? nrows : 1, sizeof(*rows));
	ps_prop *cells = calloc((nrows ? nrows : 1) * 20, sizeof(*cells));
	uint8_t **bufs = calloc((nrows ? nrows : 1) * 20, sizeof(*bufs));
	struct nids nids = { 0, 0 };
	ps_node_image img;
	ps_tc tc;
	size_t r, c, large = 0;

	CHECK(rows && cells && bufs);
	for (c = 0; c < 20; c++)
		cols[c].tag = PS_PROP_TAG(0x3000 + c, types[c]);
	for (r = 0; r < nrows; r++) {
		/* Ids not in matrix order. */
		rows[r].row_id = (uint32_t)(((r * 7919) % (nrows * 2 + 1)) << 5 | 4);
		rows[r].cells = &cells[r * 20];
		for (c = 0; c < 20; c++) {
			uint16_t type = types[c];
			int fixed = ps_prop_type_size(type);
			size_t size;
			ps_prop *p = &cells[r * 20 + c];
			if ((r + c) % 5 == 3)
				continue;                       /* absent */
			if (fixed > 0)
				size = (size_t)fixed;
			else if (r % 1000 == 17 && c == 4)
				size = 100 * 1024, large++;     /* a subnode */
			else if (r % 500 == 10 && c == 19)
				size = 3581, large++;
			else if (r % 100 == 5 && c == 19)
				size = 3580;
			else
				size = (r * 13 + c) % 60;       /* 0 now and then: empty */
			if (type == PS_PT_UNICODE || type == (PS_PT_MV | PS_PT_UNICODE))
				size &= ~(size_t)1;
			bufs[r * 20 + c] = pattern(size, (uint32_t)(r * 20 + c));
			*p = mkprop(cols[c].tag, bufs[r * 20 + c], size);
		}
	}
	CHECK_OK(ps_tc_build(cols, 20, rows, nrows, next_nid, &nids, &img));
	check_heap_layout(&img, PS_HN_CLIENT_TC);
	CHECK_OK(ps_tc_open_image(&tc, &img, "sized tc"));
	CHECK_EQ_INT(22, tc.col_count);
	check_tc(&tc, cols, 20, rows, nrows);
	if (nrows == 0) {
		CHECK_EQ_INT(0, tc.hnid_rows);
		CHECK_EQ_INT(0, nids.calls);
	} else if (tc.rgib[PS_TCI_BM] * nrows <= 3580) {
		CHECK_EQ_INT(PS_NID_TYPE_HID, PS_NID_TYPE(tc.hnid_rows));
	} else {
		/* The matrix in a subnode, whole rows a block, every block but the
		 * last holding floor(8176 / row size) rows and padded to a full
		 * block of 8176 bytes ([MS-PST] 2.3.4.4), the last its rows only. */
		const ps_sl_entry *e = ps_ndb_subnodes_find(&tc.hn.sub, tc.hnid_rows);
		const ps_node_image *m;
		size_t per = PS_NODE_BLOCK_MAX / tc.rgib[PS_TCI_BM], b;
		CHECK(e != NULL);
		m = &img.subs[e->bid_data - 1].image;
		CHECK_EQ_INT((nrows + per - 1) / per, m->block_count);
		for (b = 0; b < m->block_count; b++)
			CHECK_EQ_INT(b + 1 < m->block_count ? PS_NODE_BLOCK_MAX :
				(nrows - b * per) * tc.rgib[PS_TCI_BM], m->blocks[b].size);
		CHECK_EQ_INT(nrows, tc.matrix_rows);
		/* The first NID asked for is the matrix's. */
		CHECK_EQ_INT(PS_NID_MAKE(PS_NID_TYPE_LTP, 1), tc.hnid_rows);
	}
	CHECK_EQ_INT(nids.calls, img.sub_count);
	CHECK_EQ_INT(large + (tc.hnid_rows && PS_NID_TYPE(tc.hnid_rows) != PS_NID_TYPE_HID), img.sub_count);
	if (nrows >= 5000) {
		ps_bth bth;
		CHECK_OK(ps_bth_open(&bth, &tc.hn, tc.hid_row_index));
		CHECK_EQ_INT(1, bth.levels);    /* 5000 x 8 bytes: 12 leaves */
		CHECK(img.block_count > 8);
	}
	ps_tc_close(&tc);
	ps_node_image_clear(&img);
	for (r = 0; r < nrows * 20; r++)
		free(bufs[r]);
	free(bufs);
	free(cells);
	free(rows);
}

void test_ltp_write__tc_sizes(void)
{
	tc_sized(0);
	tc_sized(1);
	tc_sized(100);
	tc_sized(5000);
}

/* A row matrix in a subnode: every block but the last full (rows, then
 * zeros: [MS-PST] 2.3.4.4) and read back so; a block of broken rows is a
 * clear error, not the crash it once was (the message read the sizes of
 * blocks already freed). */
void test_ltp_write__tc_matrix_blocks(void)
{
	static const ps_tc_build_col one[] = { { 0x0E070003 } };
	ps_tc_build_row *rows = calloc(2000, sizeof(*rows));
	ps_prop *cells = calloc(2000, sizeof(*cells));
	uint8_t *vals = calloc(2000, 4);
	struct nids nids = { 0, 0 };
	ps_node_image img, *m;
	ps_tc tc;
	size_t r, per;

	CHECK(rows && cells && vals);
	for (r = 0; r < 2000; r++) {
		ps__put32(vals + 4 * r, (uint32_t)r * 3);
		cells[r] = mkprop(0x0E070003, vals + 4 * r, 4);
		rows[r].row_id = (uint32_t)(r << 5 | 4);
		rows[r].cells = &cells[r];
	}
	CHECK_OK(ps_tc_build(one, 1, rows, 2000, next_nid, &nids, &img));
	CHECK_OK(ps_tc_open_image(&tc, &img, "padded"));
	per = PS_NODE_BLOCK_MAX / tc.rgib[PS_TCI_BM];       /* 13-byte rows: 628 a block */
	CHECK_EQ_INT((2000 + per - 1) / per, tc.matrix_blocks);
	CHECK_EQ_INT(PS_NODE_BLOCK_MAX, tc.matrix_sizes[0]);
	CHECK_EQ_INT(PS_NODE_BLOCK_MAX, tc.matrix_sizes[tc.matrix_blocks - 2]);
	CHECK_EQ_INT((2000 % per) * tc.rgib[PS_TCI_BM], tc.matrix_sizes[tc.matrix_blocks - 1]);
	CHECK_EQ_INT(2000, tc.matrix_rows);
	/* the first row of the second block: right after the padding */
	CHECK_EQ_INT(per * 3, ps_get32(tc.matrix[per] + tc.cols[ps_tc_col_find(&tc, 0x0E070003)].offset));
	CHECK_EQ_INT(1, img.sub_count);
	ps_tc_close(&tc);
	/* a block cut short in the middle of a row */
	m = &img.subs[0].image;
	m->blocks[0].size = PS_NODE_BLOCK_MAX - 6;
	CHECK_STATUS(PS_ECORRUPT, ps_tc_open_image(&tc, &img, "broken"));
	CHECK(strstr(ps_error_last(), "row matrix block 0 is 8170 bytes") != NULL);
	ps_node_image_clear(&img);
	free(rows);
	free(cells);
	free(vals);
}

void test_ltp_write__tc_refuses(void)
{
	static const ps_tc_build_col dup[] = { { 0x3001001F }, { 0x3001001F } };
	static const ps_tc_build_col bad[] = { { 0x30010000 } };
	static const ps_tc_build_col badid[] = { { 0x67F20014 } };
	static const ps_tc_build_col one[] = { { 0x0E070003 } };
	static const uint8_t v[8] = { 0 };
	ps_prop cell = mkprop(0x0E070003, v, 8);
	ps_tc_build_row rows[2] = { { 0x24, NULL }, { 0x24, NULL } };
	ps_node_image img;

	CHECK_STATUS(PS_EINVAL, ps_tc_build(dup, 2, NULL, 0, NULL, NULL, &img));
	CHECK_STATUS(PS_EINVAL, ps_tc_build(bad, 1, NULL, 0, NULL, NULL, &img));
	CHECK_STATUS(PS_EINVAL, ps_tc_build(badid, 1, NULL, 0, NULL, NULL, &img));
	CHECK_STATUS(PS_EINVAL, ps_tc_build(one, 1, rows, 2, NULL, NULL, &img));
	CHECK_EQ_INT(0, img.block_count);
	/* A 4-byte column given 8 bytes. */
	rows[0].cells = &cell;
	CHECK_STATUS(PS_EINVAL, ps_tc_build(one, 1, rows, 1, NULL, NULL, &img));
	/* Without cells, a row has only RowId and RowVer. */
	rows[0].cells = NULL;
	CHECK_OK(ps_tc_build(one, 1, rows, 1, NULL, NULL, &img));
	ps_node_image_clear(&img);
}

void test_ltp_write__image_subnodes(void)
{
	/* A message-like image: its PC with an attachment table and an
	 * attachment PC added as subnodes, opened through the parent as the
	 * messaging layer will (ps_pc_open_sub on an image). */
	static const uint8_t four[4] = { 5, 0, 0, 0 }, name[] = { 'a', 0, '.', 0, 't', 0 };
	static const ps_tc_build_col cols[] = { { 0x3704001F }, { 0x0E200003 } };
	ps_prop msg[1] = { mkprop(0x0E080003, four, 4) };
	ps_prop att[2] = { mkprop(0x3704001F, name, 6), mkprop(0x0E200003, four, 4) };
	ps_tc_build_row row = { 0x8025, att };
	ps_node_image img, sub;
	struct nids nids = { 0, 0 };
	ps_hn hn;
	ps_pc pc;
	ps_tc tc;
	size_t i;

	CHECK_OK(ps_pc_build(msg, 1, next_nid, &nids, &img));
	CHECK_OK(ps_tc_build(cols, 2, &row, 1, next_nid, &nids, &sub));
	CHECK_OK(ps_node_image_add_sub(&img, 0x671, &sub));
	CHECK_OK(ps_pc_build(att, 2, next_nid, &nids, &sub));
	CHECK_OK(ps_node_image_add_sub(&img, 0x8025, &sub));
	CHECK_OK(ps_hn_open_image(&hn, &img, "message", 0x200024));
	CHECK_EQ_INT(2, hn.sub.count);
	for (i = 0; i < hn.sub.count; i++) {
		if (hn.sub.entries[i].nid == 0x671) {
			CHECK_OK(ps_tc_open_sub(&tc, &hn, &hn.sub.entries[i]));
			check_tc(&tc, cols, 2, &row, 1);
			ps_tc_close(&tc);
		} else {
			CHECK_EQ_INT(0x8025, hn.sub.entries[i].nid);
			CHECK_OK(ps_pc_open_sub(&pc, &hn, &hn.sub.entries[i]));
			check_pc(&pc, att, 2);
			ps_pc_close(&pc);
		}
	}
	ps_hn_close(&hn);
	/* A damaged image gives PS_ECORRUPT, not a crash. */
	img.blocks[0].data[2] = 0x00;
	CHECK_STATUS(PS_ECORRUPT, ps_pc_open_image(&pc, &img, "damaged"));
	ps_node_image_clear(&img);
}

/* ---- fidelity against Outlook ------------------------------------------- */

struct fidelity {
	const char *file;
	unsigned pcs, tcs, props, cells;
	unsigned where_diff;    /* values Outlook placed otherwise (heap/subnode) */
	unsigned rows_diff;     /* row matrices Outlook placed otherwise */
	unsigned blocks_diff;   /* heaps with another block count */
	unsigned skipped;       /* properties of types never written */
	unsigned same_bytes;    /* heaps rebuilt byte for byte */
};

/* Whether the rebuilt heap is Outlook's, byte for byte. */
static int same_heap(const ps_hn *orig, const ps_node_image *img)
{
	size_t i;

	if (orig->data.count != img->block_count)
		return 0;
	for (i = 0; i < img->block_count; i++) {
		if (orig->data.sizes[i] != img->blocks[i].size ||
		    memcmp(orig->data.blocks[i], img->blocks[i].data, img->blocks[i].size) != 0)
			return 0;
	}
	return 1;
}

static void fidelity_pc(struct fidelity *f, const ps_pc *orig)
{
	ps_prop *props = calloc(orig->count ? orig->count : 1, sizeof(*props));
	struct nids nids = { 0, 0 };
	ps_node_image img;
	ps_pc pc;
	size_t i, n = 0;

	CHECK(props != NULL);
	for (i = 0; i < orig->count; i++) {
		const ps_ltp_value *v = &orig->props[i];
		if (v->type == PS_PT_UNSPECIFIED || ps_prop_type_size(v->type) < 0) {
			f->skipped++;
			continue;
		}
		props[n++] = mkprop(PS_PROP_TAG(v->id, v->type), v->value, v->size);
	}
	CHECKF(ps_pc_build(props, n, next_nid, &nids, &img) == 0, "%s: %s: %s", f->file,
		orig->hn.what, ps_error_last());
	CHECKF(ps_pc_open_image(&pc, &img, "rebuilt") == 0, "%s: %s: %s", f->file, orig->hn.what,
		ps_error_last());
	check_pc(&pc, props, n);
	for (i = 0; i < n; i++) {
		const ps_ltp_value *a = ps_pc_find(orig, PS_PROP_ID(props[i].tag));
		const ps_ltp_value *b = ps_pc_find(&pc, PS_PROP_ID(props[i].tag));
		if (a->where != b->where)
			f->where_diff++;
	}
	if (pc.hn.page_count != orig->hn.page_count)
		f->blocks_diff++;
	f->same_bytes += (unsigned)same_heap(&orig->hn, &img);
	f->pcs++;
	f->props += (unsigned)n;
	ps_pc_close(&pc);
	ps_node_image_clear(&img);
	free(props);
}

static void fidelity_tc(struct fidelity *f, const ps_tc *orig)
{
	size_t ncols = orig->col_count, nrows = orig->row_count, r, c;
	ps_tc_build_col *cols = calloc(ncols ? ncols : 1, sizeof(*cols));
	ps_tc_build_row *rows = calloc(nrows ? nrows : 1, sizeof(*rows));
	ps_prop *cells = calloc((ncols ? ncols : 1) * (nrows ? nrows : 1), sizeof(*cells));
	ps_ltp_value *vals = calloc((ncols ? ncols : 1) * (nrows ? nrows : 1), sizeof(*vals));
	size_t *order = calloc(nrows ? nrows : 1, sizeof(*order));
	struct nids nids = { 0, 0 };
	ps_node_image img;
	ps_tc tc;

	CHECK(cols && rows && cells && vals && order);
	/* Columns in bit order, as Outlook defined them. */
	for (c = 0; c < ncols; c++) {
		size_t k;
		for (k = 0; k < ncols; k++) {
			if (orig->cols[k].bit == c)
				cols[c].tag = orig->cols[k].tag;
		}
	}
	/* Rows in matrix order. */
	for (r = 0; r < nrows; r++)
		order[r] = r;
	for (r = 1; r < nrows; r++) {
		size_t v = order[r], k;
		for (k = r; k > 0 && orig->rows[order[k - 1]].index > orig->rows[v].index; k--)
			order[k] = order[k - 1];
		order[k] = v;
	}
	for (r = 0; r < nrows; r++) {
		const ps_tc_row *src = &orig->rows[order[r]];
		rows[r].row_id = src->id;
		rows[r].cells = &cells[r * ncols];
		for (c = 0; c < ncols; c++) {
			int col = ps_tc_col_find(orig, cols[c].tag);
			ps_ltp_value *v = &vals[r * ncols + c];
			int rc = ps_tc_cell(orig, order[r], (size_t)col, v);
			CHECKF(rc == 0 || rc == PS_ENOTFOUND, "%s: %s: %s", f->file, orig->hn.what,
				ps_error_last());
			if (rc == 0) {
				/* Present: data non-NULL even when empty. */
				cells[r * ncols + c] = mkprop(cols[c].tag, v->value ? v->value :
					(const uint8_t *)"", v->size);
				f->cells++;
			}
		}
	}
	CHECKF(ps_tc_build(cols, ncols, rows, nrows, next_nid, &nids, &img) == 0, "%s: %s: %s",
		f->file, orig->hn.what, ps_error_last());
	CHECKF(ps_tc_open_image(&tc, &img, "rebuilt") == 0, "%s: %s: %s", f->file, orig->hn.what,
		ps_error_last());
	/* Identical column descriptors and row layout. */
	CHECKF(tc.col_count == ncols, "%s: %s: %zu columns, Outlook %zu", f->file, orig->hn.what,
		tc.col_count, ncols);
	CHECKF(memcmp(tc.rgib, orig->rgib, sizeof(tc.rgib)) == 0,
		"%s: %s: rgib %u,%u,%u,%u, Outlook %u,%u,%u,%u", f->file, orig->hn.what,
		tc.rgib[0], tc.rgib[1], tc.rgib[2], tc.rgib[3],
		orig->rgib[0], orig->rgib[1], orig->rgib[2], orig->rgib[3]);
	for (c = 0; c < ncols; c++) {
		const ps_tc_col *a = &orig->cols[c], *b = &tc.cols[c];
		CHECKF(a->tag == b->tag && a->offset == b->offset && a->size == b->size &&
			a->bit == b->bit, "%s: %s: column 0x%08x at %u/%u/%u, Outlook 0x%08x at %u/%u/%u",
			f->file, orig->hn.what, b->tag, b->offset, b->size, b->bit, a->tag, a->offset,
			a->size, a->bit);
	}
	check_tc(&tc, cols, ncols, rows, nrows);
	/* Whole rows identical, existence bitmap included, apart from the
	 * HNIDs of variable-size cells, which depend on the heap layout. */
	for (r = 0; r < nrows; r++) {
		const uint8_t *a = ps_tc_row_data(orig, order[r]);
		const uint8_t *b = NULL;
		size_t k;
		for (k = 0; k < tc.row_count; k++) {
			if (tc.rows[k].id == rows[r].row_id)
				b = ps_tc_row_data(&tc, k);
		}
		CHECK(b != NULL);
		CHECKF(memcmp(a + orig->rgib[PS_TCI_1B], b + tc.rgib[PS_TCI_1B],
			(size_t)(tc.rgib[PS_TCI_BM] - tc.rgib[PS_TCI_1B])) == 0,
			"%s: %s: row 0x%x: existence bitmap differs", f->file, orig->hn.what, rows[r].row_id);
	}
	if (nrows > 0 && PS_NID_TYPE(orig->hnid_rows) != PS_NID_TYPE(tc.hnid_rows))
		f->rows_diff++;
	if (tc.hn.page_count != orig->hn.page_count)
		f->blocks_diff++;
	f->same_bytes += (unsigned)same_heap(&orig->hn, &img);
	f->tcs++;
	ps_tc_close(&tc);
	ps_node_image_clear(&img);
	for (r = 0; r < ncols * nrows; r++)
		ps_ltp_value_clear(&vals[r]);
	free(vals);
	free(cells);
	free(rows);
	free(cols);
	free(order);
}

static void fidelity_heap(struct fidelity *f, ps_hn *hn, ps_ndb *ndb, uint64_t bid_data,
	uint64_t bid_sub, int depth)
{
	size_t i;

	CHECK(depth < 8);
	if (hn->client_sig == PS_HN_CLIENT_PC) {
		ps_pc pc;
		CHECK_OK(ps_pc_open(&pc, ndb, hn->what, hn->nid, bid_data, bid_sub));
		fidelity_pc(f, &pc);
		ps_pc_close(&pc);
	} else if (hn->client_sig == PS_HN_CLIENT_TC) {
		ps_tc tc;
		CHECK_OK(ps_tc_open(&tc, ndb, hn->what, hn->nid, bid_data, bid_sub));
		fidelity_tc(f, &tc);
		ps_tc_close(&tc);
		return;
	} else {
		return;
	}
	/* Attachments, their tables and embedded messages. */
	for (i = 0; i < hn->sub.count; i++) {
		const ps_sl_entry *e = &hn->sub.entries[i];
		ps_hn sub;
		if (PS_NID_TYPE(e->nid) == PS_NID_TYPE_LTP)
			continue;
		if (ps_hn_open_sub(&sub, hn, e) < 0)
			continue;
		fidelity_heap(f, &sub, ndb, e->bid_data, e->bid_sub, depth + 1);
		ps_hn_close(&sub);
	}
}

struct fidelity_walk {
	struct fidelity *f;
	ps_ndb *ndb;
};

static int fidelity_node(void *ctx, const ps_nbt_entry *e)
{
	struct fidelity_walk *w = ctx;
	char what[64];
	ps_hn hn;

	snprintf(what, sizeof(what), "node 0x%x", e->nid);
	if (ps_hn_open(&hn, w->ndb, what, e->nid, e->bid_data, e->bid_sub) < 0)
		return 0;               /* not a heap */
	fidelity_heap(w->f, &hn, w->ndb, e->bid_data, e->bid_sub, 0);
	ps_hn_close(&hn);
	return 0;
}

void test_ltp_write__outlook_fidelity(void)
{
	struct fidelity total;
	size_t i;

	memset(&total, 0, sizeof(total));
	for (i = 0; ps_test_samples_clean[i]; i++) {
		struct fidelity f;
		struct fidelity_walk w;
		memset(&f, 0, sizeof(f));
		f.file = ps_test_samples_clean[i];
		w.f = &f;
		CHECK_OK(ps_ndb_open(&w.ndb, ps_test_sample(f.file), 0));
		CHECK_OK(ps_ndb_nbt_foreach(w.ndb, fidelity_node, &w));
		ps_ndb_close(w.ndb);
		CHECKF(f.pcs >= 8 && f.tcs >= 15, "%s: %u pcs, %u tcs", f.file, f.pcs, f.tcs);
		total.pcs += f.pcs;
		total.tcs += f.tcs;
		total.props += f.props;
		total.cells += f.cells;
		total.where_diff += f.where_diff;
		total.rows_diff += f.rows_diff;
		total.blocks_diff += f.blocks_diff;
		total.skipped += f.skipped;
		total.same_bytes += f.same_bytes;
	}
	CHECK_EQ_INT(0, total.skipped);
	/* What differs from Outlook's layout, for the record. */
	printf("        ltp fidelity: %u pcs, %u tcs, %u props, %u cells rebuilt, %u heaps byte for "
		"byte; layout differences: %u values placed otherwise, %u row matrices placed "
		"otherwise, %u heaps of another block count\n", total.pcs, total.tcs, total.props,
		total.cells, total.same_bytes, total.where_diff, total.rows_diff, total.blocks_diff);
}
