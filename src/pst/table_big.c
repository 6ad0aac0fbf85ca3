/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Large contents tables kept in step block by block (see store_pst.h).
 *
 * A contents table of thousands of rows has its row matrix in a subnode,
 * a block of whole rows at a time (a "group": 8176 / row size rows; every
 * block but the last padded to 8176 bytes, as [MS-PST] 2.3.4.4 requires). In
 * the layout the writer gives such a table (ltp_write.h,
 * PS_TC_BUILD_GROUPED), the variable-size values of each group's rows sit
 * in heap blocks of that group's own; heap block 0 holds the heap header,
 * the row index's BTH header and the TCINFO only; the fill-level blocks
 * (8, 136, ...) hold nothing else; the row index's nodes have blocks of
 * their own. A table found laid out so is taken over here with no copy of
 * its rows in memory: per row its id, per block its BID and owner (and a
 * hash of the bytes of the blocks that are laid out again at every flush).
 * A change marks the row's group; at the flush only the
 * marked groups are read back (their matrix block and heap blocks), laid
 * out again into the blocks they had (or free ones, or new ones at the end
 * of the heap), and the row index is laid out again when rows came or
 * went. Every other block is shared as it is (node_image.h,
 * ps_node_image_add_shared), not read and not written: replacing a row of
 * a 40,000-row table writes a few blocks, not the table.
 *
 * A table that stores before this padding wrote, blocks of whole rows
 * only, is taken over all the same and marked changed: its matrix blocks,
 * and no other block, are written again padded at the next flush.
 *
 * A deleted row is replaced by the last one (as in the rest of the
 * writer), so a deletion changes two groups. A table laid out otherwise
 * (by Outlook, or with values too large for the heap) is left to the
 * whole-table path of store_write.c, which rebuilds it in this layout.
 */
#include "pst/store_pst.h"

#include "core/util.h"
#include "pst/ltp.h"
#include "pst/ndb_write.h"
#include "pst/row_index.h"
#include "pstsync/errors.h"

#include <stdlib.h>
#include <string.h>

#define HEAP_MAX 3580u           /* largest heap allocation (2.3.1.1) */
#define ALLOCS_MAX 2047u         /* allocations per heap block */
#define HEAP_BLOCKS_MAX 65536u   /* hidBlockIndex has 16 bits */
#define BLOCK PS_NODE_BLOCK_MAX
#define TAG_ROW_ID 0x67F20003u
#define TAG_ROW_VER 0x67F30003u
#define HID_BTH_HEADER 0x20u     /* block 0, allocation 1 */
#define HID_TCINFO 0x40u         /* block 0, allocation 2 */
#define BTH_PER_LEAF (HEAP_MAX / 8u)   /* 4-byte key, 4-byte position */
#define BTH_PER_INDEX (HEAP_MAX / 8u)  /* 4-byte key, 4-byte HID */

enum blk_kind { BK_HEADER = 0, BK_BITMAP, BK_GROUP, BK_BTH, BK_FREE };
enum slot_kind { SLOT_SAME = 0, SLOT_CELLS, SLOT_MOVED };

struct bblk {
	uint64_t bid;                /* committed (or written at an earlier flush of the tx) */
	uint64_t hash[2];            /* of those bytes, when hashed */
	uint32_t csize;              /* their size */
	uint32_t size;               /* the size it is written with (fresh, or csize) */
	uint32_t owner;              /* BK_GROUP: the group */
	uint8_t kind;
	uint8_t level;               /* fill level */
	uint8_t hashed;              /* hash is known (groups' blocks are hashed once written) */
	uint8_t *fresh;              /* bytes laid out at this flush, or NULL */
	uint8_t *raw;                /* committed bytes read at this flush, or NULL */
};

struct bgroup {
	uint64_t mbid;               /* its row-matrix block */
	uint32_t msize;              /* that block's size as committed (padding included) */
	uint32_t *blk;               /* its heap blocks, ascending */
	uint32_t nblk;
	uint8_t dirty;
	uint8_t *mraw;               /* committed matrix block read at this flush */
	uint8_t *mfresh;             /* laid out at this flush */
};

struct bslot {
	ps_prop *cells;              /* SLOT_CELLS: one a data column */
	uint32_t src;                /* SLOT_MOVED: the committed position whose row is here */
	uint32_t ver;                /* SLOT_CELLS: its RowVer */
	uint8_t kind;
};

struct pst_big {
	uint32_t nid, matrix_nid;
	ps_tc_col *cols;             /* every TCINFO column, by bit */
	size_t ncols;
	size_t *data;                /* data column i (the pst_table's) -> cols index */
	size_t ndata;
	uint16_t rgib[4];
	size_t rsize, per;           /* row size, rows per matrix block */
	long c_flags;                /* data column of PidTagMessageFlags, or -1 */
	long c_status;               /* data column of PidTagMessageStatus, or -1 */

	uint32_t *ids;               /* by matrix position */
	uint8_t *unread;
	size_t nrows, caprows, nunread, committed_rows;
	pst_row_index index;         /* id -> position */
	uint32_t max_ver;

	struct bblk *blk;
	size_t nblk, capblk;
	struct bgroup *grp;
	size_t ngrp, capgrp;
	uint32_t *bth;               /* the row index's blocks */
	size_t nbth;
	uint32_t bth_root;           /* the row index's root and depth as written */
	uint8_t bth_levels;

	struct bslot *pend;          /* per position, while the transaction changes rows */
	size_t cappend;
	int bth_dirty, dirty;
};

/* ---- small helpers ---------------------------------------------------------------- */

static int is_bitmap(size_t k)
{
	return k >= 8 && (k - 8) % 128 == 0;
}

static size_t head_size(size_t k)
{
	return k == 0 ? 12 : is_bitmap(k) ? 66 : 2;
}

static size_t page_used(size_t end, size_t count)
{
	return ((end + 1) & ~(size_t)1) + 4 + 2 * (count + 1);
}

static uint8_t fill_level(size_t free_bytes)
{
	static const size_t at_least[15] = { 3584, 2560, 2048, 1792, 1536, 1280, 1024,
		768, 512, 256, 128, 64, 32, 16, 8 };
	uint8_t i;

	for (i = 0; i < 15; i++)
		if (free_bytes >= at_least[i])
			return i;
	return 15;
}

/* Two 64-bit multiply-and-mix lanes over the bytes: blocks laid out again
 * with the very bytes they had are shared instead of written. */
static void block_hash(const uint8_t *p, size_t n, uint64_t out[2])
{
	uint64_t a = 0x9E3779B97F4A7C15ull ^ n, b = 0xC2B2AE3D27D4EB4Full + n, w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		a = (a ^ w) * 0xFF51AFD7ED558CCDull;
		a ^= a >> 32;
		b = (b + w) * 0xC4CEB9FE1A85EC53ull;
		b ^= b >> 29;
	}
	for (; i < n; i++) {
		a = (a ^ p[i]) * 0x100000001B3ull;
		b = (b + p[i]) * 0x9E3779B97F4A7C15ull;
	}
	out[0] = a ^ (a >> 31);
	out[1] = b ^ (b >> 33);
}

static int is_inline(uint16_t type)
{
	int fixed = ps_prop_type_size(type);

	return fixed > 0 && fixed <= 8;
}

static void cells_release(ps_prop *cells, size_t n)
{
	size_t i;

	if (!cells)
		return;
	for (i = 0; i < n; i++)
		free(cells[i].data);
	free(cells);
}

/* ---- rows by id ---------------------------------------------------------------- */

/* the index reads ids from b->ids */
#define IDS(b) (b)->ids, sizeof(uint32_t)

long pst__big_find(const struct pst_big *b, uint32_t id)
{
	return pst_row_index_find(&b->index, IDS(b), id);
}

size_t pst__big_count(const struct pst_big *b)
{
	return b->nrows;
}

size_t pst__big_unread(const struct pst_big *b)
{
	return b->nunread;
}

uint32_t pst__big_id_at(const struct pst_big *b, size_t pos)
{
	return b->ids[pos];
}

int pst__big_dirty(const struct pst_big *b)
{
	return b->dirty;
}

int pst__big_small(const struct pst_big *b)
{
	return b->nrows * b->rsize <= HEAP_MAX;
}

/* ---- state ------------------------------------------------------------------------ */

static void flush_free(struct pst_big *b)
{
	size_t i;

	for (i = 0; i < b->nblk; i++) {
		free(b->blk[i].fresh);
		free(b->blk[i].raw);
		b->blk[i].fresh = b->blk[i].raw = NULL;
	}
	for (i = 0; i < b->ngrp; i++) {
		free(b->grp[i].mraw);
		free(b->grp[i].mfresh);
		b->grp[i].mraw = b->grp[i].mfresh = NULL;
	}
}

static void pend_free(struct pst_big *b)
{
	size_t i;

	if (b->pend) {
		for (i = 0; i < b->cappend; i++)
			cells_release(b->pend[i].cells, b->ndata);
		free(b->pend);
	}
	b->pend = NULL;
	b->cappend = 0;
}

void pst__big_free(struct pst_big *b)
{
	size_t i;

	if (!b)
		return;
	flush_free(b);
	pend_free(b);
	for (i = 0; i < b->ngrp; i++)
		free(b->grp[i].blk);
	free(b->grp);
	free(b->blk);
	free(b->bth);
	free(b->cols);
	free(b->data);
	free(b->ids);
	free(b->unread);
	pst_row_index_free(&b->index);
	free(b);
}

/* An allocation of a heap block as read: @p head is the block's header size. */
static int page_alloc(const uint8_t *data, size_t size, size_t head, uint32_t index,
	const uint8_t **p, size_t *n)
{
	size_t ib, count, start, end;

	if (size < head + 4)
		return PS_ECORRUPT;
	ib = ps_get16(data);
	if (ib < head || ib + 4 > size)
		return PS_ECORRUPT;
	count = ps_get16(data + ib);
	if (index == 0 || index > count || ib + 4 + 2 * (count + 1) > size)
		return PS_ECORRUPT;
	start = ps_get16(data + ib + 4 + 2 * (index - 1));
	end = ps_get16(data + ib + 4 + 2 * index);
	if (start < head || start > end || end > ib)
		return PS_ECORRUPT;
	*p = data + start;
	*n = end - start;
	return 0;
}

static int page_count(const uint8_t *data, size_t size, size_t head, size_t *count, size_t *used)
{
	size_t ib;

	if (size < head + 4)
		return PS_ECORRUPT;
	ib = ps_get16(data);
	if (ib < head || ib + 4 > size)
		return PS_ECORRUPT;
	*count = ps_get16(data + ib);
	if (ib + 4 + 2 * (*count + 1) > size)
		return PS_ECORRUPT;
	*used = ib + 4 + 2 * (*count + 1);
	return 0;
}

static int group_add_blk(struct bgroup *g, uint32_t k)
{
	uint32_t *grown;
	size_t i;

	for (i = 0; i < g->nblk; i++)
		if (g->blk[i] == k)
			return 0;
	grown = realloc(g->blk, (g->nblk + 1) * sizeof(*grown));
	if (!grown)
		return ps_error_set(PS_ENOMEM, "out of memory");
	g->blk = grown;
	i = g->nblk++;
	while (i > 0 && g->blk[i - 1] > k) {
		g->blk[i] = g->blk[i - 1];
		i--;
	}
	g->blk[i] = k;
	return 0;
}

/* The BTH nodes' blocks, walked from @p hid down @p level levels. */
static int bth_blocks(struct pst_big *b, const ps_hn *hn, uint32_t hid, int level)
{
	const uint8_t *p;
	size_t size, i, k = PS_HID_BLOCK(hid);
	int rc;

	if (PS_NID_TYPE(hid) != PS_NID_TYPE_HID || ps_hn_get(hn, hid, &p, &size) < 0 || k >= b->nblk)
		return 1;
	if (b->blk[k].kind != BK_BTH) {
		if (b->blk[k].kind != BK_FREE)
			return 1;
		b->blk[k].kind = BK_BTH;
		b->bth[b->nbth++] = (uint32_t)k;
	}
	if (level == 0)
		return 0;
	if (size % 8 != 0)
		return 1;
	for (i = 0; i < size; i += 8)
		if ((rc = bth_blocks(b, hn, ps_get32(p + i + 4), level - 1)) != 0)
			return rc;
	return 0;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, c = *(const uint32_t *)y;

	return a < c ? -1 : a > c;
}

static int cmp_col_bit(const void *x, const void *y)
{
	const ps_tc_col *a = x, *c = y;

	return a->bit < c->bit ? -1 : a->bit > c->bit;
}

int pst__big_from_tc(const ps_tc *tc, uint32_t nid, const uint32_t *data_tags, size_t ndata,
	struct pst_big **out)
{
	const ps_hn *hn = &tc->hn;
	struct pst_big *b;
	ps_bth bth;
	size_t i, k, c;
	int rc = 0, ok = 0;
	long c_ver = -1;

	*out = NULL;
	/* the layout this file keeps in step: a subnode row matrix, nothing
	 * else in subnodes, heap block 0 with the two header allocations */
	if (PS_NID_TYPE(tc->hnid_rows) == PS_NID_TYPE_HID || tc->hnid_rows == 0 || hn->sub.count != 1 ||
	    hn->sub.entries[0].nid != tc->hnid_rows || hn->sub.entries[0].bid_sub != 0 ||
	    !tc->matrix_bids || tc->matrix_rows != tc->row_count || tc->row_count == 0 ||
	    tc->hid_row_index != HID_BTH_HEADER || hn->user_root != HID_TCINFO ||
	    hn->page_count == 0 || hn->page_count > HEAP_BLOCKS_MAX || tc->odd_cols ||
	    hn->pages[0].count != 2 || !hn->data.bids)
		return 0;
	b = calloc(1, sizeof(*b));
	PS_CHECK_ALLOC(b, rc);
	b->nid = nid;
	b->matrix_nid = tc->hnid_rows;
	b->rsize = tc->rgib[PS_TCI_BM];
	memcpy(b->rgib, tc->rgib, sizeof(b->rgib));
	b->per = BLOCK / b->rsize;
	b->c_flags = b->c_status = -1;
	b->ncols = tc->col_count;
	b->cols = malloc((b->ncols + 1) * sizeof(*b->cols));
	b->data = malloc((ndata + 1) * sizeof(*b->data));
	PS_CHECK_ALLOC(b->cols && b->data, rc);
	memcpy(b->cols, tc->cols, b->ncols * sizeof(*b->cols));
	qsort(b->cols, b->ncols, sizeof(*b->cols), cmp_col_bit);
	for (c = 0; c < b->ncols; c++) {
		int want = ps_tc__cell_size((uint16_t)b->cols[c].tag);
		if (want < 0 || b->cols[c].size != want || b->cols[c].bit != c)
			goto cleanup;   /* bits not 0..n-1 or a cell of another size */
		if (b->cols[c].tag == TAG_ROW_VER)
			c_ver = (long)c;
	}
	if (c_ver != 1 || b->cols[0].tag != TAG_ROW_ID)
		goto cleanup;       /* RowId bit 0, RowVer bit 1, as every table the samples have */
	/* the pst_table's data columns, in the same bit order */
	for (i = 0, c = 0; c < b->ncols; c++) {
		if (b->cols[c].tag == TAG_ROW_ID || b->cols[c].tag == TAG_ROW_VER)
			continue;
		if (i >= ndata || data_tags[i] != b->cols[c].tag)
			goto cleanup;
		if (b->cols[c].tag == PS_PROP_TAG(PS_PID_MESSAGE_FLAGS, PS_PT_LONG))
			b->c_flags = (long)i;
		if (b->cols[c].tag == PS_PROP_TAG(PS_PID_MESSAGE_STATUS, PS_PT_LONG))
			b->c_status = (long)i;
		b->data[i++] = c;
	}
	if (i != ndata)
		goto cleanup;
	b->ndata = ndata;

	/* rows: the matrix in blocks of exactly `per` rows (the last fewer) */
	if (tc->matrix_blocks != (tc->row_count + b->per - 1) / b->per)
		goto cleanup;
	b->nrows = b->committed_rows = tc->row_count;
	b->caprows = b->nrows + 64;
	b->ids = calloc(b->caprows, sizeof(*b->ids));
	b->unread = calloc(b->caprows, 1);
	PS_CHECK_ALLOC(b->ids && b->unread, rc);
	for (i = 0; i < b->nrows; i++)
		b->ids[i] = UINT32_MAX;
	for (i = 0; i < tc->row_count; i++) {
		uint32_t pos = tc->rows[i].index;
		if (pos >= b->nrows || b->ids[pos] != UINT32_MAX)
			goto cleanup;   /* a position twice */
		b->ids[pos] = tc->rows[i].id;
	}
	for (i = 0; i < b->nrows; i++) {
		const uint8_t *row = tc->matrix[i];
		uint32_t ver = ps_get32(row + b->cols[c_ver].offset);
		if (ver > b->max_ver)
			b->max_ver = ver;
		if (b->c_flags >= 0) {
			const ps_tc_col *fc = &b->cols[b->data[b->c_flags]];
			if ((row[b->rgib[PS_TCI_1B] + fc->bit / 8] & (0x80u >> (fc->bit % 8))) &&
			    !(ps_get32(row + fc->offset) & PS_MSGFLAG_READ)) {
				b->unread[i] = 1;
				b->nunread++;
			}
		}
	}
	if ((rc = pst_row_index_build(&b->index, IDS(b), b->nrows)) < 0)
		goto cleanup;

	/* heap blocks: whose they are */
	b->nblk = b->capblk = hn->page_count;
	b->blk = calloc(b->capblk, sizeof(*b->blk));
	b->bth = calloc(b->nblk + 1, sizeof(*b->bth));
	b->ngrp = b->capgrp = tc->matrix_blocks;
	b->grp = calloc(b->capgrp, sizeof(*b->grp));
	PS_CHECK_ALLOC(b->blk && b->bth && b->grp, rc);
	for (k = 0; k < b->nblk; k++) {
		struct bblk *x = &b->blk[k];
		size_t count, used;
		if (page_count(hn->pages[k].data, hn->pages[k].size, head_size(k), &count, &used) < 0)
			goto cleanup;
		x->bid = hn->data.bids[k];
		x->size = x->csize = (uint32_t)hn->pages[k].size;
		x->kind = k == 0 ? BK_HEADER : is_bitmap(k) ? BK_BITMAP : BK_FREE;
		x->level = fill_level(BLOCK - used);
		if (x->kind == BK_BITMAP && count != 0)
			goto cleanup;   /* values in a fill-level block */
	}
	for (i = 0; i < b->ngrp; i++) {
		b->grp[i].mbid = tc->matrix_bids[i];
		b->grp[i].msize = (uint32_t)tc->matrix_sizes[i];
		/* a block but the last not full: padded at the next flush */
		if (i + 1 < b->ngrp && b->grp[i].msize != BLOCK)
			b->dirty = 1;
	}
	if (ps_bth_open(&bth, hn, tc->hid_row_index) < 0 || bth.key_size != 4 || bth.data_size != 4 ||
	    (bth.root && bth_blocks(b, hn, bth.root, bth.levels) != 0))
		goto cleanup;
	b->bth_root = bth.root;
	b->bth_levels = bth.levels;
	/* the blocks laid out again at every flush are hashed, to be shared when
	 * they come out the same; a group's come out the same too seldom (and a
	 * sync's scan takes tables over without changing most of them) */
	for (k = 0; k < b->nblk; k++) {
		if (b->blk[k].kind != BK_FREE) {
			block_hash(hn->pages[k].data, hn->pages[k].size, b->blk[k].hash);
			b->blk[k].hashed = 1;
		}
	}
	/* every value of a group in blocks of that group only, none in subnodes */
	for (i = 0; i < b->nrows; i++) {
		const uint8_t *row = tc->matrix[i];
		struct bgroup *g = &b->grp[i / b->per];
		for (c = 0; c < b->ncols; c++) {
			const ps_tc_col *col = &b->cols[c];
			uint32_t hnid;
			if (is_inline((uint16_t)col->tag) ||
			    !(row[b->rgib[PS_TCI_1B] + col->bit / 8] & (0x80u >> (col->bit % 8))))
				continue;
			hnid = ps_get32(row + col->offset);
			if (hnid == 0)
				continue;
			k = PS_HID_BLOCK(hnid);
			if (PS_NID_TYPE(hnid) != PS_NID_TYPE_HID || k >= b->nblk)
				goto cleanup;
			if (b->blk[k].kind == BK_FREE) {
				b->blk[k].kind = BK_GROUP;
				b->blk[k].owner = (uint32_t)(i / b->per);
			} else if (b->blk[k].kind != BK_GROUP || b->blk[k].owner != i / b->per) {
				goto cleanup;
			}
			if ((rc = group_add_blk(g, (uint32_t)k)) < 0)
				goto cleanup;
		}
	}
	ok = 1;
cleanup:
	if (rc < 0 || !ok) {
		pst__big_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

/* ---- changes ------------------------------------------------------------------------ */

static int pend_ready(struct pst_big *b)
{
	if (b->cappend < b->caprows) {
		struct bslot *grown = realloc(b->pend, b->caprows * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		memset(grown + b->cappend, 0, (b->caprows - b->cappend) * sizeof(*grown));
		b->pend = grown;
		b->cappend = b->caprows;
	}
	return 0;
}

static int group_touch(struct pst_big *b, size_t pos)
{
	size_t g = pos / b->per;

	if (g >= b->ngrp) {
		if (g >= b->capgrp) {
			size_t cap = b->capgrp * 2 + 16;
			struct bgroup *grown = realloc(b->grp, cap * sizeof(*grown));
			if (!grown)
				return ps_error_set(PS_ENOMEM, "out of memory");
			memset(grown + b->capgrp, 0, (cap - b->capgrp) * sizeof(*grown));
			b->grp = grown;
			b->capgrp = cap;
		}
		b->ngrp = g + 1;
	}
	b->grp[g].dirty = 1;
	b->dirty = 1;
	return 0;
}

static int row_unread(const struct pst_big *b, const ps_prop *cells)
{
	const ps_prop *f;

	if (b->c_flags < 0)
		return 0;
	f = &cells[b->c_flags];
	return f->data && f->size == 4 && !(ps_get32(f->data) & PS_MSGFLAG_READ);
}

/* Read a committed block (decoded) into *@p out. */
static int read_block(struct pst_store *st, uint64_t bid, uint8_t **out, size_t *size)
{
	return ps_ndb_block_read(st->ndb, bid, out, size, NULL);
}

/* The committed matrix row at position @p pos (read on first need). */
static int committed_row(struct pst_store *st, struct pst_big *b, size_t pos, const uint8_t **row)
{
	struct bgroup *g = &b->grp[pos / b->per];
	size_t m = b->committed_rows - pos / b->per * b->per, size = 0;
	int rc;

	if (pos >= b->committed_rows)
		return ps_error_set(PS_ECORRUPT, "cannot write '%s': row %zu of table 0x%x is not there",
			st->base.path, pos, b->nid);
	if (m > b->per)
		m = b->per;
	if (!g->mraw) {
		if ((rc = read_block(st, g->mbid, &g->mraw, &size)) < 0)
			return rc;
		if (size != m * b->rsize && !(m == b->per && size == BLOCK)) {
			free(g->mraw);
			g->mraw = NULL;
			return ps_error_set(PS_ECORRUPT, "cannot write '%s': a row block of table 0x%x is "
				"%zu bytes, not %zu rows", st->base.path, b->nid, size, m);
		}
	}
	*row = g->mraw + (pos % b->per) * b->rsize;
	return 0;
}

/* Cell @p c (a cols index) of a committed row: present or not, and its bytes. */
static int committed_cell(struct pst_store *st, struct pst_big *b, const uint8_t *row, size_t c,
	int *present, const uint8_t **p, size_t *n)
{
	const ps_tc_col *col = &b->cols[c];
	uint32_t hnid;
	size_t k;
	int rc;

	*present = (row[b->rgib[PS_TCI_1B] + col->bit / 8] & (0x80u >> (col->bit % 8))) != 0;
	*p = NULL;
	*n = 0;
	if (!*present)
		return 0;
	if (is_inline((uint16_t)col->tag)) {
		*p = row + col->offset;
		*n = col->size;
		return 0;
	}
	hnid = ps_get32(row + col->offset);
	if (hnid == 0)
		return 0;
	k = PS_HID_BLOCK(hnid);
	/* by the committed state: at a flush the block may be laid out anew
	 * already, its committed bytes (bid, csize) stay until the write */
	if (PS_NID_TYPE(hnid) != PS_NID_TYPE_HID || k >= b->nblk || !b->blk[k].bid)
		return ps_error_set(PS_ECORRUPT, "cannot write '%s': table 0x%x names value 0x%x, "
			"which is not there", st->base.path, b->nid, hnid);
	if (!b->blk[k].raw) {
		size_t size = 0;
		if ((rc = read_block(st, b->blk[k].bid, &b->blk[k].raw, &size)) < 0)
			return rc;
		if (size != b->blk[k].csize) {
			free(b->blk[k].raw);
			b->blk[k].raw = NULL;
			return ps_error_set(PS_ECORRUPT, "cannot write '%s': heap block %zu of table 0x%x "
				"changed size", st->base.path, k, b->nid);
		}
	}
	if (page_alloc(b->blk[k].raw, b->blk[k].csize, head_size(k), PS_HID_INDEX(hnid), p, n) < 0)
		return ps_error_set(PS_ECORRUPT, "cannot write '%s': value 0x%x of table 0x%x is damaged",
			st->base.path, hnid, b->nid);
	return 0;
}

int pst__big_put(struct pst_store *st, struct pst_big *b, uint32_t id, ps_prop *cells, int keep_status)
{
	long pos = pst__big_find(b, id);
	struct bslot *sl;
	size_t i;
	int rc;

	/* a value only a subnode holds: not this layout (cells not taken) */
	for (i = 0; i < b->ndata; i++)
		if (!is_inline((uint16_t)b->cols[b->data[i]].tag) && cells[i].size > HEAP_MAX)
			return 1;
	if (pos < 0) {
		if (b->nrows == b->caprows) {
			size_t cap = b->caprows * 2 + 64;
			uint32_t *ids = realloc(b->ids, cap * sizeof(*ids));
			uint8_t *ur;
			if (!ids) {
				cells_release(cells, b->ndata);
				return ps_error_set(PS_ENOMEM, "out of memory");
			}
			b->ids = ids;
			ur = realloc(b->unread, cap);
			if (!ur) {
				cells_release(cells, b->ndata);
				return ps_error_set(PS_ENOMEM, "out of memory");
			}
			b->unread = ur;
			b->caprows = cap;
		}
		pos = (long)b->nrows++;
		b->ids[pos] = id;
		b->unread[pos] = 0;
		if ((rc = pst_row_index_add(&b->index, IDS(b), b->nrows)) < 0) {
			b->nrows--;
			cells_release(cells, b->ndata);
			return rc;
		}
		b->bth_dirty = 1;
		keep_status = 0;
	}
	if ((rc = pend_ready(b)) < 0 || (rc = group_touch(b, (size_t)pos)) < 0) {
		cells_release(cells, b->ndata);
		return rc;
	}
	sl = &b->pend[pos];
	/* PidTagMessageStatus lives in the row only: a replaced row keeps it */
	if (b->c_status >= 0 && !cells[b->c_status].data) {
		uint8_t zero[4] = { 0, 0, 0, 0 };
		const uint8_t *v = zero;
		if (keep_status && sl->kind == SLOT_CELLS && sl->cells[b->c_status].data &&
		    sl->cells[b->c_status].size == 4) {
			v = sl->cells[b->c_status].data;
		} else if (keep_status && sl->kind != SLOT_CELLS) {
			const uint8_t *row, *p;
			size_t n;
			int present;
			if ((rc = committed_row(st, b, sl->kind == SLOT_MOVED ? sl->src : (size_t)pos, &row)) < 0 ||
			    (rc = committed_cell(st, b, row, b->data[b->c_status], &present, &p, &n)) < 0) {
				cells_release(cells, b->ndata);
				return rc;
			}
			if (present && n == 4)
				v = p;
		}
		cells[b->c_status].data = malloc(4);
		if (!cells[b->c_status].data) {
			cells_release(cells, b->ndata);
			return ps_error_set(PS_ENOMEM, "out of memory");
		}
		memcpy(cells[b->c_status].data, v, 4);
		cells[b->c_status].size = 4;
		cells[b->c_status].tag = b->cols[b->data[b->c_status]].tag;
	}
	cells_release(sl->cells, b->ndata);
	sl->cells = cells;
	sl->kind = SLOT_CELLS;
	sl->ver = ++b->max_ver;
	b->nunread -= b->unread[pos];
	b->unread[pos] = (uint8_t)row_unread(b, cells);
	b->nunread += b->unread[pos];
	return 0;
}

int pst__big_delete(struct pst_big *b, uint32_t id)
{
	size_t pos, last;
	int rc;

	if (pst_row_index_find(&b->index, IDS(b), id) < 0)
		return PS_ENOTFOUND;
	if ((rc = pend_ready(b)) < 0)
		return rc;
	pos = (size_t)pst_row_index_remove(&b->index, IDS(b), id);
	last = b->nrows - 1;
	b->nunread -= b->unread[pos];
	if ((rc = group_touch(b, pos)) < 0 || (rc = group_touch(b, last)) < 0)
		return rc;
	cells_release(b->pend[pos].cells, b->ndata);
	memset(&b->pend[pos], 0, sizeof(b->pend[pos]));
	if (pos != last) {
		/* the last row takes the place: two groups change, not all after it */
		b->ids[pos] = b->ids[last];
		b->unread[pos] = b->unread[last];
		if (b->pend[last].kind == SLOT_SAME) {
			b->pend[pos].kind = SLOT_MOVED;
			b->pend[pos].src = (uint32_t)last;
		} else {
			b->pend[pos] = b->pend[last];
		}
		memset(&b->pend[last], 0, sizeof(b->pend[last]));
		pst_row_index_move(&b->index, IDS(b), last, pos);
	}
	b->nrows--;
	b->bth_dirty = 1;
	return 0;
}

/* ---- laying out again ------------------------------------------------------------------ */

/* A unit (a group, or the row index) packing its allocations into heap blocks. */
struct packer {
	struct pst_big *b;
	uint8_t kind;
	uint32_t owner;
	const uint32_t *old;         /* the blocks it had, to be used again first */
	size_t nold, next_old;
	uint32_t *now;               /* the blocks it has now */
	size_t nnow, capnow;
	uint8_t *cur;
	uint32_t cur_k;
	size_t end, count;
	uint16_t offs[ALLOCS_MAX + 1];
};

/* A heap block index for new content: a free block (lowest first), else
 * one past the end (a fill-level block goes there first when its turn
 * comes). */
static int take_block(struct pst_big *b, uint32_t *k)
{
	size_t i;

	for (i = 1; i < b->nblk; i++) {
		if (b->blk[i].kind == BK_FREE && !b->blk[i].fresh) {
			*k = (uint32_t)i;
			return 0;
		}
	}
	for (;;) {
		if (b->nblk >= HEAP_BLOCKS_MAX)
			return ps_error_set(PS_EINVAL, "table 0x%x needs more than %u heap blocks", b->nid,
				HEAP_BLOCKS_MAX);
		if (b->nblk == b->capblk) {
			size_t cap = b->capblk * 2 + 16;
			struct bblk *grown = realloc(b->blk, cap * sizeof(*grown));
			if (!grown)
				return ps_error_set(PS_ENOMEM, "out of memory");
			memset(grown + b->capblk, 0, (cap - b->capblk) * sizeof(*grown));
			b->blk = grown;
			b->capblk = cap;
		}
		i = b->nblk++;
		memset(&b->blk[i], 0, sizeof(b->blk[i]));
		if (is_bitmap(i)) {
			b->blk[i].kind = BK_BITMAP;
			continue;
		}
		b->blk[i].kind = BK_FREE;
		*k = (uint32_t)i;
		return 0;
	}
}

static int packer_close(struct packer *pk)
{
	struct bblk *x;
	size_t ib, j;

	if (!pk->cur)
		return 0;
	ib = (pk->end + 1) & ~(size_t)1;
	ps_put16(pk->cur, (uint16_t)ib);
	ps_put16(pk->cur + ib, (uint16_t)pk->count);
	ps_put16(pk->cur + ib + 2, 0);
	for (j = 0; j <= pk->count; j++)
		ps_put16(pk->cur + ib + 4 + 2 * j, pk->offs[j]);
	x = &pk->b->blk[pk->cur_k];
	free(x->fresh);
	x->fresh = pk->cur;
	x->size = BLOCK;           /* every block at its full size, as the builder writes them */
	x->kind = pk->kind;
	x->owner = pk->owner;
	x->level = fill_level(BLOCK - page_used(pk->end, pk->count));
	pk->cur = NULL;
	return 0;
}

static int packer_alloc(struct packer *pk, size_t size, uint32_t *hid, uint8_t **p)
{
	int rc;

	if (!pk->cur || pk->count == ALLOCS_MAX || page_used(pk->end + size, pk->count + 1) > BLOCK) {
		uint32_t k = 0;
		if ((rc = packer_close(pk)) < 0)
			return rc;
		if (pk->next_old < pk->nold)
			k = pk->old[pk->next_old++];
		else if ((rc = take_block(pk->b, &k)) < 0)
			return rc;
		if (pk->nnow == pk->capnow) {
			size_t cap = pk->capnow * 2 + 4;
			uint32_t *grown = realloc(pk->now, cap * sizeof(*grown));
			if (!grown)
				return ps_error_set(PS_ENOMEM, "out of memory");
			pk->now = grown;
			pk->capnow = cap;
		}
		pk->now[pk->nnow++] = k;
		pk->cur = calloc(1, BLOCK);
		if (!pk->cur)
			return ps_error_set(PS_ENOMEM, "out of memory");
		/* reserve the block at once, so that take_block() passes it over */
		pk->b->blk[k].kind = pk->kind;
		pk->b->blk[k].owner = pk->owner;
		pk->cur_k = k;
		pk->end = 2;
		pk->count = 0;
		pk->offs[0] = 2;
	}
	*p = pk->cur + pk->end;
	pk->end += size;
	pk->count++;
	pk->offs[pk->count] = (uint16_t)pk->end;
	*hid = PS_HID_MAKE(pk->cur_k, pk->count);
	return 0;
}

/* Finish: the blocks the unit no longer needs are free. */
static int packer_finish(struct packer *pk)
{
	int rc;

	if ((rc = packer_close(pk)) < 0)
		return rc;
	for (; pk->next_old < pk->nold; pk->next_old++) {
		struct bblk *x = &pk->b->blk[pk->old[pk->next_old]];
		x->kind = BK_FREE;
		free(x->fresh);
		x->fresh = NULL;
	}
	return 0;
}

/* Where row @p pos comes from at this flush. */
struct rowsrc {
	const ps_prop *cells;        /* new cells, or */
	const uint8_t *row;          /* a committed row */
	uint32_t ver;
};

static int row_source(struct pst_store *st, struct pst_big *b, size_t pos, struct rowsrc *rs)
{
	const struct bslot *sl = b->pend && pos < b->cappend ? &b->pend[pos] : NULL;
	int rc;

	memset(rs, 0, sizeof(*rs));
	if (sl && sl->kind == SLOT_CELLS) {
		rs->cells = sl->cells;
		rs->ver = sl->ver;
		return 0;
	}
	if ((rc = committed_row(st, b, sl && sl->kind == SLOT_MOVED ? sl->src : pos, &rs->row)) < 0)
		return rc;
	rs->ver = ps_get32(rs->row + b->cols[1].offset);
	return 0;
}

/* Lay out one row into @p out (rsize bytes, zeroed) and its values into @p pk. */
static int encode_row(struct pst_store *st, struct pst_big *b, struct packer *pk, uint32_t id,
	const struct rowsrc *rs, uint8_t *out)
{
	size_t c, i;
	int rc;

	for (c = 0; c < b->ncols; c++) {
		const ps_tc_col *col = &b->cols[c];
		const uint8_t *p = NULL;
		size_t n = 0;
		int present;

		if (col->tag == TAG_ROW_ID) {
			ps_put32(out + col->offset, id);
		} else if (col->tag == TAG_ROW_VER) {
			ps_put32(out + col->offset, rs->ver);
		} else {
			if (rs->cells) {
				for (i = 0; i < b->ndata && b->data[i] != c; i++)
					;
				present = i < b->ndata && (rs->cells[i].data || rs->cells[i].size);
				if (present) {
					p = rs->cells[i].data;
					n = rs->cells[i].size;
				}
			} else if ((rc = committed_cell(st, b, rs->row, c, &present, &p, &n)) < 0) {
				return rc;
			}
			if (!present)
				continue;
			if (is_inline((uint16_t)col->tag)) {
				if (n != col->size)
					return ps_error_set(PS_EINVAL, "cannot write '%s': a %zu-byte value in "
						"column 0x%08x of table 0x%x", st->base.path, n, col->tag, b->nid);
				memcpy(out + col->offset, p, n);
			} else if (n == 0) {
				ps_put32(out + col->offset, 0);   /* empty: HNID 0, as Outlook */
			} else if (n > HEAP_MAX) {
				/* pst__big_put() keeps such rows out */
				return ps_error_set(PS_EINVAL, "cannot write '%s': a %zu-byte value in table 0x%x",
					st->base.path, n, b->nid);
			} else {
				uint32_t hid;
				uint8_t *dst;
				if ((rc = packer_alloc(pk, n, &hid, &dst)) < 0)
					return rc;
				memcpy(dst, p, n);
				ps_put32(out + col->offset, hid);
			}
		}
		out[b->rgib[PS_TCI_1B] + col->bit / 8] |= (uint8_t)(0x80u >> (col->bit % 8));
	}
	return 0;
}

static int encode_group(struct pst_store *st, struct pst_big *b, size_t g)
{
	struct bgroup *gr = &b->grp[g];
	size_t first = g * b->per, m = b->nrows - first, i;
	struct packer pk;
	int rc = 0;

	if (m > b->per)
		m = b->per;
	memset(&pk, 0, sizeof(pk));
	pk.b = b;
	pk.kind = BK_GROUP;
	pk.owner = (uint32_t)g;
	pk.old = gr->blk;
	pk.nold = gr->nblk;
	free(gr->mfresh);
	gr->mfresh = calloc(m ? m : 1, b->rsize);
	PS_CHECK_ALLOC(gr->mfresh, rc);
	for (i = 0; i < m; i++) {
		struct rowsrc rs;
		if ((rc = row_source(st, b, first + i, &rs)) < 0 ||
		    (rc = encode_row(st, b, &pk, b->ids[first + i], &rs, gr->mfresh + i * b->rsize)) != 0)
			goto cleanup;
	}
	if ((rc = packer_finish(&pk)) < 0)
		goto cleanup;
	free(gr->blk);
	gr->blk = pk.now;
	gr->nblk = (uint32_t)pk.nnow;
	pk.now = NULL;
	qsort(gr->blk, gr->nblk, sizeof(*gr->blk), cmp_u32);
cleanup:
	free(pk.cur);
	free(pk.now);
	return rc;
}

struct rkey {
	uint32_t id, pos;
};

static int cmp_rkey(const void *x, const void *y)
{
	const struct rkey *a = x, *c = y;

	return a->id < c->id ? -1 : a->id > c->id;
}

/* The row index, laid out again; its root and depth for the BTH header. */
static int encode_bth(struct pst_big *b, uint32_t *root, uint8_t *levels)
{
	struct node { uint32_t key, hid; } *nodes = NULL, *up = NULL;
	struct rkey *keys = NULL;
	struct packer pk;
	size_t n = b->nrows, count = 0, i;
	int rc = 0;

	*root = 0;
	*levels = 0;
	memset(&pk, 0, sizeof(pk));
	pk.b = b;
	pk.kind = BK_BTH;
	pk.old = b->bth;
	pk.nold = b->nbth;
	keys = malloc((n + 1) * sizeof(*keys));
	nodes = malloc(((n + BTH_PER_LEAF - 1) / BTH_PER_LEAF + 1) * sizeof(*nodes));
	PS_CHECK_ALLOC(keys && nodes, rc);
	for (i = 0; i < n; i++) {
		keys[i].id = b->ids[i];
		keys[i].pos = (uint32_t)i;
	}
	qsort(keys, n, sizeof(*keys), cmp_rkey);
	for (i = 0; i < n; i += BTH_PER_LEAF) {
		size_t k, m = n - i < BTH_PER_LEAF ? n - i : BTH_PER_LEAF;
		uint8_t *p;
		if ((rc = packer_alloc(&pk, m * 8, &nodes[count].hid, &p)) < 0)
			goto cleanup;
		nodes[count++].key = keys[i].id;
		for (k = 0; k < m; k++) {
			ps_put32(p + 8 * k, keys[i + k].id);
			ps_put32(p + 8 * k + 4, keys[i + k].pos);
		}
	}
	while (count > 1) {
		size_t nup = 0;
		up = malloc(((count + BTH_PER_INDEX - 1) / BTH_PER_INDEX + 1) * sizeof(*up));
		PS_CHECK_ALLOC(up, rc);
		for (i = 0; i < count; i += BTH_PER_INDEX) {
			size_t k, m = count - i < BTH_PER_INDEX ? count - i : BTH_PER_INDEX;
			uint8_t *p;
			if ((rc = packer_alloc(&pk, m * 8, &up[nup].hid, &p)) < 0)
				goto cleanup;
			up[nup++].key = nodes[i].key;
			for (k = 0; k < m; k++) {
				ps_put32(p + 8 * k, nodes[i + k].key);
				ps_put32(p + 8 * k + 4, nodes[i + k].hid);
			}
		}
		free(nodes);
		nodes = up;
		up = NULL;
		count = nup;
		(*levels)++;
	}
	if (count)
		*root = nodes[0].hid;
	if ((rc = packer_finish(&pk)) < 0)
		goto cleanup;
	free(b->bth);
	b->bth = pk.now;
	b->nbth = pk.nnow;
	pk.now = NULL;
cleanup:
	free(pk.cur);
	free(pk.now);
	free(keys);
	free(nodes);
	free(up);
	return rc;
}

/* Heap block 0: the heap header, the BTH header and the TCINFO. */
static int encode_header(struct pst_big *b, uint32_t root, uint8_t levels)
{
	uint8_t *p = calloc(1, BLOCK), *info;
	ps_tc_col *sorted = NULL;
	size_t end, info_size = 22 + 8 * b->ncols, i;

	if (!p)
		return ps_error_set(PS_ENOMEM, "out of memory");
	sorted = malloc((b->ncols + 1) * sizeof(*sorted));
	if (!sorted) {
		free(p);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	p[2] = PS_HN_SIG;
	p[3] = PS_HN_CLIENT_TC;
	ps_put32(p + 4, HID_TCINFO);
	/* fill levels of blocks 0-7 are set with the others (write_levels) */
	p[12] = PS_HN_CLIENT_BTH;
	p[13] = 4;
	p[14] = 4;
	p[15] = levels;
	ps_put32(p + 16, root);
	info = p + 20;
	info[0] = PS_HN_CLIENT_TC;
	info[1] = (uint8_t)b->ncols;
	for (i = 0; i < 4; i++)
		ps_put16(info + 2 + 2 * i, b->rgib[i]);
	ps_put32(info + 10, HID_BTH_HEADER);
	ps_put32(info + 14, b->matrix_nid);
	ps_put32(info + 18, 0);
	memcpy(sorted, b->cols, b->ncols * sizeof(*sorted));
	for (i = 1; i < b->ncols; i++) {   /* TCOLDESC by tag (insertion: few columns) */
		ps_tc_col x = sorted[i];
		size_t j = i;
		while (j > 0 && sorted[j - 1].tag > x.tag) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = x;
	}
	for (i = 0; i < b->ncols; i++) {
		uint8_t *d = info + 22 + 8 * i;
		ps_put32(d, sorted[i].tag);
		ps_put16(d + 4, sorted[i].offset);
		d[6] = sorted[i].size;
		d[7] = sorted[i].bit;
	}
	free(sorted);
	end = 20 + info_size;
	{
		size_t ib = (end + 1) & ~(size_t)1;
		ps_put16(p, (uint16_t)ib);
		ps_put16(p + ib, 2);
		ps_put16(p + ib + 2, 0);
		ps_put16(p + ib + 4, 12);
		ps_put16(p + ib + 6, 20);
		ps_put16(p + ib + 8, (uint16_t)end);
	}
	free(b->blk[0].fresh);
	b->blk[0].fresh = p;
	b->blk[0].size = BLOCK;
	b->blk[0].kind = BK_HEADER;
	b->blk[0].level = fill_level(BLOCK - page_used(end, 2));
	return 0;
}

/* Fill levels into block 0 and the fill-level blocks, whose bytes change
 * only when a level in their range does. */
static int write_levels(struct pst_big *b)
{
	size_t k, h;

	for (h = 8; h < b->nblk; h += 128) {
		struct bblk *x = &b->blk[h];
		uint8_t *p = calloc(1, BLOCK);
		if (!p)
			return ps_error_set(PS_ENOMEM, "out of memory");
		ps_put16(p, 66);                    /* page map right after the HNBITMAPHDR */
		ps_put16(p + 66, 0);
		ps_put16(p + 68, 0);
		ps_put16(p + 70, 66);
		free(x->fresh);
		x->fresh = p;
		x->size = BLOCK;
		x->kind = BK_BITMAP;
		x->level = fill_level(BLOCK - 72);
	}
	for (k = 0; k < b->nblk; k++) {
		uint8_t level = b->blk[k].level, *fill;
		size_t at;
		if (k < 8) {
			fill = b->blk[0].fresh + 8;
			at = k;
		} else {
			size_t holder = 8 + (k - 8) / 128 * 128;
			fill = b->blk[holder].fresh + 2;
			at = k - holder;
		}
		fill[at / 2] |= (uint8_t)(at % 2 ? level << 4 : level);
	}
	return 0;
}

/* Free blocks at the end of the heap go; a fill-level block left last goes too. */
static void trim_blocks(struct pst_big *b)
{
	while (b->nblk > 1 && (b->blk[b->nblk - 1].kind == BK_FREE || b->blk[b->nblk - 1].kind == BK_BITMAP)) {
		free(b->blk[b->nblk - 1].fresh);
		free(b->blk[b->nblk - 1].raw);
		b->nblk--;
	}
}

/* Take back the BIDs the transaction gave the table's blocks. */
static int read_back(struct pst_store *st, struct pst_big *b)
{
	ps_ndb_subnodes sub;
	const ps_sl_entry *e;
	ps_ndb_data d;
	ps_nbt_entry n;
	size_t i;
	int rc;

	if ((rc = ps_ndb_tx_lookup(st->tx, b->nid, &n)) < 0)
		return rc;
	if ((rc = ps_ndb_data_bids(st->ndb, n.bid_data, &d)) < 0)
		return rc;
	if (d.count != b->nblk) {
		size_t count = d.count;    /* taken before the data goes */
		ps_ndb_data_free(&d);
		return ps_error_set(PS_ECORRUPT, "cannot write '%s': table 0x%x has %zu blocks, %zu "
			"were written", st->base.path, b->nid, count, b->nblk);
	}
	for (i = 0; i < b->nblk; i++)
		b->blk[i].bid = d.bids[i];
	ps_ndb_data_free(&d);
	if ((rc = ps_ndb_subnodes_read(st->ndb, n.bid_sub, &sub)) < 0)
		return rc;
	e = ps_ndb_subnodes_find(&sub, b->matrix_nid);
	rc = e ? ps_ndb_data_bids(st->ndb, e->bid_data, &d) : PS_ECORRUPT;
	ps_ndb_subnodes_free(&sub);
	if (rc < 0 || d.count != b->ngrp) {
		if (rc == 0)
			ps_ndb_data_free(&d);
		return ps_error_set(PS_ECORRUPT, "cannot write '%s': the rows of table 0x%x were not "
			"written as laid out", st->base.path, b->nid);
	}
	for (i = 0; i < b->ngrp; i++)
		b->grp[i].mbid = d.bids[i];
	ps_ndb_data_free(&d);
	return 0;
}

/* The size group @p g's matrix block is written with: every block but the
 * last full (its rows, then zeros), the last its rows only (2.3.4.4). */
static size_t matrix_size(const struct pst_big *b, size_t g)
{
	return g + 1 < b->ngrp ? BLOCK : (b->nrows - g * b->per) * b->rsize;
}

/* Group @p g's matrix block into @p mat: laid out afresh, shared as it is,
 * or (a group that is no longer the last, or a block written before the
 * padding) its committed rows written again at the size it must have. */
static int matrix_block(struct pst_store *st, struct pst_big *b, size_t g, ps_node_image *mat)
{
	struct bgroup *gr = &b->grp[g];
	size_t want = matrix_size(b, g), rows = want < BLOCK ? want : b->per * b->rsize, size = 0;
	uint8_t block[BLOCK], *raw = NULL;
	int rc;

	if (!gr->dirty && gr->msize == want)
		return ps_node_image_add_shared(mat, gr->mbid, want);
	memset(block, 0, sizeof(block));
	if (gr->dirty) {
		memcpy(block, gr->mfresh, rows);
	} else {
		if ((rc = read_block(st, gr->mbid, &raw, &size)) < 0)
			return rc;
		if (size < rows) {
			free(raw);
			return ps_error_set(PS_ECORRUPT, "cannot write '%s': a row block of table 0x%x is "
				"%zu bytes, not %zu", st->base.path, b->nid, size, rows);
		}
		memcpy(block, raw, rows);
		free(raw);
	}
	return ps_node_image_add_block(mat, block, want);
}

int pst__big_write(struct pst_store *st, struct pst_big *b)
{
	ps_node_image img, mat;
	size_t g, k, ngrp_new = (b->nrows + b->per - 1) / b->per;
	uint32_t root = 0;
	uint8_t levels = 0;
	int rc = 0;

	memset(&img, 0, sizeof(img));
	memset(&mat, 0, sizeof(mat));
	if (!b->dirty)
		return 0;
	for (g = 0; g < ngrp_new && g < b->ngrp; g++) {
		if (b->grp[g].dirty && (rc = encode_group(st, b, g)) != 0)
			goto cleanup;
	}
	/* groups past the end (rows deleted) give their blocks back, once the
	 * rows moved out of them are laid out */
	for (g = ngrp_new; g < b->ngrp; g++) {
		for (k = 0; k < b->grp[g].nblk; k++) {
			struct bblk *x = &b->blk[b->grp[g].blk[k]];
			if (x->kind == BK_GROUP && x->owner == g)
				x->kind = BK_FREE;
		}
		free(b->grp[g].blk);
		free(b->grp[g].mraw);
		free(b->grp[g].mfresh);
		memset(&b->grp[g], 0, sizeof(b->grp[g]));
	}
	b->ngrp = ngrp_new;
	if (b->bth_dirty) {
		if ((rc = encode_bth(b, &root, &levels)) < 0)
			goto cleanup;
	} else {
		root = b->bth_root;
		levels = b->bth_levels;
	}
	if ((rc = encode_header(b, root, levels)) < 0)
		goto cleanup;
	trim_blocks(b);
	if ((rc = write_levels(b)) < 0)
		goto cleanup;
	for (k = 0; k < b->nblk; k++) {
		struct bblk *x = &b->blk[k];
		if (x->fresh) {
			uint64_t h[2];
			block_hash(x->fresh, x->size, h);
			/* laid out to the very bytes it has (a row whose values in the
			 * heap did not change, only its cells in the row matrix): shared,
			 * known by the committed bytes read for the layout, or by hash */
			if (x->bid && ((x->raw && x->size == x->csize && memcmp(x->fresh, x->raw, x->size) == 0) ||
			    (x->hashed && h[0] == x->hash[0] && h[1] == x->hash[1]))) {
				free(x->fresh);
				x->fresh = NULL;
			} else {
				x->hash[0] = h[0];
				x->hash[1] = h[1];
				x->hashed = 1;
				x->bid = 0;
			}
		}
		rc = x->fresh ? ps_node_image_add_block(&img, x->fresh, x->size) :
			ps_node_image_add_shared(&img, x->bid, x->size);
		if (rc < 0)
			goto cleanup;
	}
	for (g = 0; g < b->ngrp; g++) {
		if ((rc = matrix_block(st, b, g, &mat)) < 0)
			goto cleanup;
	}
	if ((rc = ps_node_image_add_sub(&img, b->matrix_nid, &mat)) < 0 ||
	    (rc = ps_ndb_tx_put_node(st->tx, b->nid, 0, &img)) < 0 ||
	    (rc = read_back(st, b)) < 0)
		goto cleanup;
	for (g = 0; g < b->ngrp; g++) {
		b->grp[g].dirty = 0;
		b->grp[g].msize = (uint32_t)matrix_size(b, g);
	}
	for (k = 0; k < b->nblk; k++)
		b->blk[k].csize = b->blk[k].size;
	b->bth_root = root;
	b->bth_levels = levels;
	b->committed_rows = b->nrows;
	b->bth_dirty = 0;
	b->dirty = 0;
	pend_free(b);
cleanup:
	flush_free(b);
	ps_node_image_clear(&img);
	ps_node_image_clear(&mat);
	return rc;
}

/* ---- back to whole rows ------------------------------------------------------------ */

int pst__big_rows(struct pst_store *st, struct pst_big *b, uint32_t **ids, uint32_t **vers,
	ps_prop ***cells)
{
	size_t pos, i;
	int rc = 0;

	*ids = malloc((b->nrows + 1) * sizeof(**ids));
	*vers = malloc((b->nrows + 1) * sizeof(**vers));
	*cells = calloc(b->nrows + 1, sizeof(**cells));
	PS_CHECK_ALLOC(*ids && *vers && *cells, rc);
	for (pos = 0; pos < b->nrows; pos++) {
		struct rowsrc rs;
		ps_prop *row = calloc(b->ndata + 1, sizeof(*row));
		PS_CHECK_ALLOC(row, rc);
		(*cells)[pos] = row;
		(*ids)[pos] = b->ids[pos];
		if ((rc = row_source(st, b, pos, &rs)) < 0)
			goto cleanup;
		(*vers)[pos] = rs.ver;
		for (i = 0; i < b->ndata; i++) {
			const uint8_t *p = NULL;
			size_t n = 0;
			int present;
			if (rs.cells) {
				present = rs.cells[i].data || rs.cells[i].size;
				p = rs.cells[i].data;
				n = rs.cells[i].size;
			} else if ((rc = committed_cell(st, b, rs.row, b->data[i], &present, &p, &n)) < 0) {
				goto cleanup;
			}
			if (!present)
				continue;
			row[i].tag = b->cols[b->data[i]].tag;
			row[i].size = n;
			row[i].data = malloc(n ? n : 1);
			PS_CHECK_ALLOC(row[i].data, rc);
			if (n)
				memcpy(row[i].data, p, n);
		}
	}
cleanup:
	flush_free(b);
	if (rc < 0) {
		for (pos = 0; *cells && pos < b->nrows; pos++)
			cells_release((*cells)[pos], b->ndata);
		free(*cells);
		free(*ids);
		free(*vers);
		*cells = NULL;
		*ids = *vers = NULL;
	}
	return rc;
}
