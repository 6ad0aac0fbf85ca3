/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The LTP builders (see ltp_write.h): a heap on node laid out block by
 * block, B-trees on that heap, and on top of them property contexts and
 * table contexts, produced as node images for the NDB writer. The layout
 * follows what Outlook writes, as found in the Outlook-made samples: the
 * BTH header comes first (HID 0x20), then the PC records or the TCINFO, then
 * the values; a heap block is filled up to 8176 bytes before the next one is
 * started and every block but the last is written at its full size; table
 * columns keep the caller's order in their cell-existence bits, with the
 * 4- and 8-byte cells laid out in that order, then the 2-byte and 1-byte
 * ones. Nothing here reads the file: a build is a pure function of its
 * inputs and of the NIDs the caller's allocator hands out.
 */
#include "pst/ltp_write.h"
#include "pst/ltp.h"

#include "pstsync/errors.h"

#include <stdlib.h>
#include <string.h>

/* Largest heap allocation ([MS-PST] 2.3.1.1). */
#define HN_ALLOC_MAX 3580u
/* hidIndex has 11 bits: allocations 1..2047 per block. */
#define HN_ALLOCS_MAX 2047u
/* hidBlockIndex has 16 bits. */
#define HN_BLOCKS_MAX 65536u

#define PID_LTP_ROW_ID 0x67F2u
#define PID_LTP_ROW_VER 0x67F3u
#define TAG_LTP_ROW_ID 0x67F20003u
#define TAG_LTP_ROW_VER 0x67F30003u

/* ---- heap on node ------------------------------------------------------- */

struct hn_page {
	uint8_t data[PS_NODE_BLOCK_MAX];
	size_t head;            /* HNHDR, HNPAGEHDR or HNBITMAPHDR size */
	size_t end;             /* end of the last allocation */
	size_t count;           /* allocations */
	size_t size;            /* bytes of the block as written (hn_finish) */
	uint16_t offs[HN_ALLOCS_MAX + 1]; /* rgibAlloc: start of each, then end */
};

struct hn_build {
	struct hn_page **pages;
	size_t count;
	uint8_t client_sig;
	uint32_t user_root;
	int force_new;          /* the next allocation starts a new block */
	int bare_bitmaps;       /* blocks 8, 136, ... hold their HNBITMAPHDR and nothing else */
};

/* Whether heap block @p i starts with an HNBITMAPHDR. */
static int hn_is_bitmap(size_t i)
{
	return i >= 8 && (i - 8) % 128 == 0;
}

/* Header size of heap block @p i (as page_header_size() in ltp.c). */
static size_t hn_head_size(size_t i)
{
	if (i == 0)
		return 12;
	if (i >= 8 && (i - 8) % 128 == 0)
		return 66;
	return 2;
}

/* Bytes a page uses once its page map is written. */
static size_t hn_page_used(size_t end, size_t count)
{
	return ((end + 1) & ~(size_t)1) + 4 + 2 * (count + 1);
}

/* The fill level of a block with @p free bytes unused (2.3.1.2). */
static uint8_t hn_fill_level(size_t free_bytes)
{
	static const size_t at_least[15] = { 3584, 2560, 2048, 1792, 1536, 1280, 1024,
		768, 512, 256, 128, 64, 32, 16, 8 };
	uint8_t i;

	for (i = 0; i < 15; i++) {
		if (free_bytes >= at_least[i])
			return i;
	}
	return 15;
}

static void hn_free(struct hn_build *hb)
{
	size_t i;

	for (i = 0; i < hb->count; i++)
		free(hb->pages[i]);
	free(hb->pages);
	memset(hb, 0, sizeof(*hb));
}

/*
 * Allocate @p size bytes (1..3580), zeroed, in the last block or, when they
 * do not fit there with the grown page map, in a new block. The pointer
 * stays valid until hn_free(): blocks never move.
 */
static int hn_alloc(struct hn_build *hb, size_t size, uint32_t *hid, uint8_t **ptr)
{
	struct hn_page *pg = hb->count ? hb->pages[hb->count - 1] : NULL;

	if (size == 0 || size > HN_ALLOC_MAX)
		return ps_error_set(PS_EINVAL, "a heap allocation of %zu bytes is not possible", size);
	while (!pg || pg->count == HN_ALLOCS_MAX || hb->force_new ||
	    (hb->bare_bitmaps && hn_is_bitmap(hb->count - 1)) ||
	    hn_page_used(pg->end + size, pg->count + 1) > PS_NODE_BLOCK_MAX) {
		struct hn_page **grown;
		if (hb->count == HN_BLOCKS_MAX)
			return ps_error_set(PS_EINVAL, "the heap needs more than %u blocks", HN_BLOCKS_MAX);
		grown = realloc(hb->pages, (hb->count + 1) * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		hb->pages = grown;
		pg = calloc(1, sizeof(*pg));
		if (!pg)
			return ps_error_set(PS_ENOMEM, "out of memory");
		pg->head = pg->end = hn_head_size(hb->count);
		pg->offs[0] = (uint16_t)pg->head;
		hb->pages[hb->count++] = pg;
		hb->force_new = 0;
	}
	hb->force_new = 0;
	*ptr = pg->data + pg->end;
	pg->end += size;
	pg->count++;
	pg->offs[pg->count] = (uint16_t)pg->end;
	*hid = PS_HID_MAKE(hb->count - 1, pg->count);
	return PS_OK;
}

/* Allocate and copy. */
static int hn_put(struct hn_build *hb, const void *data, size_t size, uint32_t *hid)
{
	uint8_t *p;
	int rc;

	if ((rc = hn_alloc(hb, size, hid, &p)) < 0)
		return rc;
	memcpy(p, data, size);
	return PS_OK;
}

/* Write headers, page maps and fill levels, and append the blocks to @p out. */
static int hn_finish(struct hn_build *hb, ps_node_image *out)
{
	size_t i, j;
	int rc;

	for (i = 0; i < hb->count; i++) {
		struct hn_page *pg = hb->pages[i];
		size_t ib = (pg->end + 1) & ~(size_t)1;
		size_t used = hn_page_used(pg->end, pg->count);
		uint8_t *p = pg->data;

		ps_put16(p, (uint16_t)ib);
		ps_put16(p + ib, (uint16_t)pg->count);
		ps_put16(p + ib + 2, 0);                   /* cFree */
		for (j = 0; j <= pg->count; j++)
			ps_put16(p + ib + 4 + 2 * j, pg->offs[j]);
		if (i == 0) {
			p[2] = PS_HN_SIG;
			p[3] = hb->client_sig;
			ps_put32(p + 4, hb->user_root);
		}
		/* Outlook writes every block but the last at its full size. */
		pg->size = i + 1 < hb->count ? PS_NODE_BLOCK_MAX : used;
	}
	/* Fill levels, two blocks a byte, the lower block in the low nibble:
	 * HNHDR (rgbFillLevel at byte 8) for blocks 0-7, each HNBITMAPHDR
	 * (at byte 2) for itself and the next 127 blocks. */
	for (i = 0; i < hb->count; i++) {
		struct hn_page *pg = hb->pages[i];
		uint8_t level = hn_fill_level(PS_NODE_BLOCK_MAX - hn_page_used(pg->end, pg->count));
		uint8_t *fill;
		size_t k;
		if (i < 8) {
			fill = hb->pages[0]->data + 8;
			k = i;
		} else {
			size_t holder = 8 + (i - 8) / 128 * 128;
			fill = hb->pages[holder]->data + 2;
			k = i - holder;
		}
		fill[k / 2] |= (uint8_t)(k % 2 ? level << 4 : level);
	}
	for (i = 0; i < hb->count; i++) {
		if ((rc = ps_node_image_add_block(out, hb->pages[i]->data, hb->pages[i]->size)) < 0)
			return rc;
	}
	return PS_OK;
}

/* ---- values: inline, heap or subnode ------------------------------------ */

struct vbuild {
	struct hn_build hn;
	ps_node_image *out;
	ps_ltp_nid_fn new_nid;
	void *ctx;
};

static int new_sub_nid(struct vbuild *b, uint32_t *nid)
{
	int rc;

	if (!b->new_nid)
		return ps_error_set(PS_EINVAL, "a value needs a subnode and no nid allocator was given");
	if ((rc = b->new_nid(b->ctx, nid)) < 0)
		return rc;
	/* A NID of type 0 would read back as a HID. */
	if (PS_NID_TYPE(*nid) == PS_NID_TYPE_HID)
		return ps_error_set(PS_EINVAL, "the nid allocator gave 0x%x, which is not a subnode nid", *nid);
	return PS_OK;
}

/* Add @p size bytes as a subnode whose data is the plain stream. */
static int put_sub(struct vbuild *b, uint32_t nid, const void *data, size_t size)
{
	ps_node_image sub;
	int rc;

	memset(&sub, 0, sizeof(sub));
	if ((rc = ps_node_image_from_buffer(&sub, data, size)) < 0 ||
	    (rc = ps_node_image_add_sub(b->out, nid, &sub)) < 0) {
		ps_node_image_clear(&sub);
		return rc;
	}
	return PS_OK;
}

/* Store a variable-size (or 8/16-byte) value and give its HNID: 0 when
 * empty (as Outlook writes empty strings), a HID up to 3580 bytes, else the
 * NID of a new subnode. */
static int put_value(struct vbuild *b, const uint8_t *data, size_t size, uint32_t *hnid)
{
	int rc;

	if (size == 0) {
		*hnid = 0;
		return PS_OK;
	}
	if (size <= HN_ALLOC_MAX)
		return hn_put(&b->hn, data, size, hnid);
	if ((rc = new_sub_nid(b, hnid)) < 0)
		return rc;
	return put_sub(b, *hnid, data, size);
}

/* Check a value against its type: PS_EINVAL for types never written and
 * for fixed-size values of the wrong size. Returns the fixed size or 0. */
static int check_value(uint32_t tag, const uint8_t *data, size_t size, const char *where)
{
	uint16_t type = PS_PROP_TYPE(tag);
	int fixed = ps_prop_type_size(type);

	if (type == PS_PT_UNSPECIFIED || fixed < 0)
		return ps_error_set(PS_EINVAL, "%s: property 0x%08x has a type that cannot be written",
			where, tag);
	if (fixed > 0 && size != (size_t)fixed)
		return ps_error_set(PS_EINVAL, "%s: property 0x%08x is %zu bytes, its type takes %d",
			where, tag, size, fixed);
	if (size > 0 && !data)
		return ps_error_set(PS_EINVAL, "%s: property 0x%08x has no data", where, tag);
	return fixed;
}

/* ---- BTH ---------------------------------------------------------------- */

/*
 * Lay out the records of a BTH whose 8-byte header is at @p header: @p n
 * records with the sorted keys @p keys (n * key_size bytes). Leaves and
 * index levels are filled to the 3580-byte allocation limit. The data part
 * of record i is left zeroed at slots[i] for the caller to fill in.
 */
static int bth_fill(struct hn_build *hb, uint8_t *header, uint8_t key_size, uint8_t ent_size,
	const uint8_t *keys, size_t n, uint8_t **slots)
{
	struct node { const uint8_t *key; uint32_t hid; } *nodes = NULL, *up = NULL;
	size_t count = 0, i, per;
	uint8_t levels = 0;
	int rc = PS_OK;

	header[0] = PS_HN_CLIENT_BTH;
	header[1] = key_size;
	header[2] = ent_size;
	header[3] = 0;
	ps_put32(header + 4, 0);
	if (n == 0)
		return PS_OK;
	per = HN_ALLOC_MAX / (key_size + ent_size);
	nodes = malloc(((n + per - 1) / per) * sizeof(*nodes));
	if (!nodes)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; i < n; i += per) {
		size_t k, m = n - i < per ? n - i : per;
		uint8_t *p;
		if ((rc = hn_alloc(hb, m * (key_size + ent_size), &nodes[count].hid, &p)) < 0)
			goto cleanup;
		nodes[count++].key = keys + i * key_size;
		for (k = 0; k < m; k++) {
			memcpy(p + k * (key_size + ent_size), keys + (i + k) * key_size, key_size);
			slots[i + k] = p + k * (key_size + ent_size) + key_size;
		}
	}
	/* Index levels: each record is the first key below it and its HID. */
	per = HN_ALLOC_MAX / (key_size + 4u);
	while (count > 1) {
		size_t up_count = 0;
		up = malloc(((count + per - 1) / per) * sizeof(*up));
		if (!up) {
			rc = ps_error_set(PS_ENOMEM, "out of memory");
			goto cleanup;
		}
		for (i = 0; i < count; i += per) {
			size_t k, m = count - i < per ? count - i : per;
			uint8_t *p;
			if ((rc = hn_alloc(hb, m * (key_size + 4u), &up[up_count].hid, &p)) < 0)
				goto cleanup;
			up[up_count++].key = nodes[i].key;
			for (k = 0; k < m; k++) {
				memcpy(p + k * (key_size + 4u), nodes[i + k].key, key_size);
				ps_put32(p + k * (key_size + 4u) + key_size, nodes[i + k].hid);
			}
		}
		free(nodes);
		nodes = up;
		up = NULL;
		count = up_count;
		levels++;
	}
	header[3] = levels;
	ps_put32(header + 4, nodes[0].hid);
cleanup:
	free(nodes);
	free(up);
	return rc;
}

/* ---- property context --------------------------------------------------- */

struct prop_key {
	uint16_t id;
	size_t index;           /* in the caller's array */
};

static int prop_key_cmp(const void *a, const void *b)
{
	const struct prop_key *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int ps_pc_build(const ps_prop *props, size_t count, ps_ltp_nid_fn new_nid, void *ctx,
	ps_node_image *out)
{
	struct vbuild b;
	struct prop_key *idx = NULL;
	size_t i;
	uint8_t *keys = NULL, **slots = NULL, *header;
	uint32_t hid;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	b.out = out;
	b.new_nid = new_nid;
	b.ctx = ctx;
	b.hn.client_sig = PS_HN_CLIENT_PC;
	idx = malloc((count ? count : 1) * sizeof(*idx));
	keys = malloc((count ? count : 1) * 2);
	slots = calloc(count ? count : 1, sizeof(*slots));
	if (!idx || !keys || !slots) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < count; i++) {
		if ((rc = check_value(props[i].tag, props[i].data, props[i].size,
				"cannot build a property context")) < 0)
			goto cleanup;
		idx[i].id = PS_PROP_ID(props[i].tag);
		idx[i].index = i;
	}
	qsort(idx, count, sizeof(*idx), prop_key_cmp);
	for (i = 0; i < count; i++) {
		uint16_t id = idx[i].id;
		if (i > 0 && id == idx[i - 1].id) {
			rc = ps_error_set(PS_EINVAL, "cannot build a property context: property id 0x%04x is there twice",
				id);
			goto cleanup;
		}
		ps_put16(keys + 2 * i, id);
	}
	/* As Outlook: the BTH header first (hidUserRoot 0x20), then the
	 * records, then the values in property id order. */
	if ((rc = hn_alloc(&b.hn, 8, &hid, &header)) < 0)
		goto cleanup;
	b.hn.user_root = hid;
	if ((rc = bth_fill(&b.hn, header, 2, 6, keys, count, slots)) < 0)
		goto cleanup;
	for (i = 0; i < count; i++) {
		const ps_prop *p = &props[idx[i].index];
		uint16_t type = PS_PROP_TYPE(p->tag);
		int fixed = ps_prop_type_size(type);
		uint32_t hnid;
		ps_put16(slots[i], type);
		if (fixed > 0 && fixed <= 4) {
			/* In the record; the unused bytes stay zero. */
			memcpy(slots[i] + 2, p->data, (size_t)fixed);
			continue;
		}
		if ((rc = put_value(&b, p->data, p->size, &hnid)) < 0)
			goto cleanup;
		ps_put32(slots[i] + 2, hnid);
	}
	rc = hn_finish(&b.hn, out);
cleanup:
	if (rc < 0)
		ps_node_image_clear(out);
	hn_free(&b.hn);
	free(idx);
	free(keys);
	free(slots);
	return rc;
}

/* ---- table context ------------------------------------------------------ */

/* The cell size of a column of @p type, or -1 when it cannot be a column. */
static int cell_size(uint16_t type)
{
	int fixed = ps_prop_type_size(type);

	if (type == PS_PT_UNSPECIFIED || fixed < 0)
		return -1;
	if (fixed > 0 && fixed <= 8)
		return fixed;
	return 4;                       /* an HNID */
}

struct tc_col {
	uint32_t tag;
	long src;               /* index in the caller's columns, -1 when added */
	uint16_t offset;
	uint8_t size;
	uint8_t bit;
};

struct row_key {
	uint32_t id;
	uint32_t index;
};

static int row_key_cmp(const void *a, const void *b)
{
	const struct row_key *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int tc_col_tag_cmp(const void *a, const void *b)
{
	const struct tc_col *x = a, *y = b;

	return x->tag < y->tag ? -1 : x->tag > y->tag;
}

/* Fill row @p r (matrix position @p pos) into @p row (rgib[BM] bytes). */
static int tc_fill_row(struct vbuild *b, const struct tc_col *cols, size_t ncols, uint16_t ceb,
	const ps_tc_build_row *row, size_t pos, uint8_t *out)
{
	size_t c;
	int rc;

	for (c = 0; c < ncols; c++) {
		const struct tc_col *col = &cols[c];
		const ps_prop *cell = col->src >= 0 && row->cells ? &row->cells[col->src] : NULL;
		uint16_t type = PS_PROP_TYPE(col->tag);
		int fixed = ps_prop_type_size(type);
		uint32_t hnid;

		if (col->tag == TAG_LTP_ROW_ID) {
			/* Always the row's key, whatever the cell says. */
			ps_put32(out + col->offset, row->row_id);
		} else if (cell && (cell->size > 0 || cell->data)) {
			if ((rc = check_value(col->tag, cell->data, cell->size,
					"cannot build a table context")) < 0)
				return rc;
			if (fixed > 0 && fixed <= 8) {
				memcpy(out + col->offset, cell->data, (size_t)fixed);
			} else {
				if ((rc = put_value(b, cell->data, cell->size, &hnid)) < 0)
					return rc;
				ps_put32(out + col->offset, hnid);
			}
		} else if (col->tag == TAG_LTP_ROW_VER) {
			/* No version given: number the rows from 1. */
			ps_put32(out + col->offset, (uint32_t)pos + 1);
		} else {
			continue;               /* absent: bit clear, cell zero */
		}
		out[ceb + col->bit / 8] |= (uint8_t)(0x80u >> (col->bit % 8));
	}
	return PS_OK;
}

int ps_tc_build(const ps_tc_build_col *cols, size_t col_count,
	const ps_tc_build_row *rows, size_t row_count,
	ps_ltp_nid_fn new_nid, void *ctx, ps_node_image *out)
{
	return ps_tc_build_ex(cols, col_count, rows, row_count, 0, new_nid, ctx, out);
}

int ps_tc_build_ex(const ps_tc_build_col *cols, size_t col_count,
	const ps_tc_build_row *rows, size_t row_count, unsigned flags,
	ps_ltp_nid_fn new_nid, void *ctx, ps_node_image *out)
{
	struct vbuild b;
	struct tc_col *tcols = NULL, *sorted = NULL;
	struct row_key *rkeys = NULL;
	uint8_t *keys = NULL, **slots = NULL, *bth_header, *tcinfo, *matrix = NULL,
		*matrix_own = NULL;
	uint16_t rgib[4], off;
	size_t ncols = 0, i, rsize, total;
	uint32_t hid_index, hid_info, hnid_rows = 0;
	long src_id = -1, src_ver = -1;
	int grouped, rc;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	b.out = out;
	b.new_nid = new_nid;
	b.ctx = ctx;
	b.hn.client_sig = PS_HN_CLIENT_TC;

	/* Columns: the row id and version first (bits 0 and 1), then the
	 * caller's in their order; the bit is the position in that order. */
	for (i = 0; i < col_count; i++) {
		size_t j;
		if (cell_size(PS_PROP_TYPE(cols[i].tag)) < 0 ||
		    (PS_PROP_ID(cols[i].tag) == PID_LTP_ROW_ID && cols[i].tag != TAG_LTP_ROW_ID) ||
		    (PS_PROP_ID(cols[i].tag) == PID_LTP_ROW_VER && cols[i].tag != TAG_LTP_ROW_VER))
			return ps_error_set(PS_EINVAL, "cannot build a table context: column 0x%08x has a type that cannot be written",
				cols[i].tag);
		for (j = 0; j < i; j++) {
			if (cols[j].tag == cols[i].tag)
				return ps_error_set(PS_EINVAL, "cannot build a table context: column 0x%08x is there twice",
					cols[i].tag);
		}
		if (cols[i].tag == TAG_LTP_ROW_ID)
			src_id = (long)i;
		else if (cols[i].tag == TAG_LTP_ROW_VER)
			src_ver = (long)i;
	}
	if (col_count + (src_id < 0) + (src_ver < 0) > 255)
		return ps_error_set(PS_EINVAL, "cannot build a table context of %zu columns (255 at most)",
			col_count + (src_id < 0) + (src_ver < 0));
	tcols = calloc(col_count + 2, sizeof(*tcols));
	sorted = calloc(col_count + 2, sizeof(*sorted));
	rkeys = malloc((row_count ? row_count : 1) * sizeof(*rkeys));
	keys = malloc((row_count ? row_count : 1) * 4);
	slots = calloc(row_count ? row_count : 1, sizeof(*slots));
	if (!tcols || !sorted || !rkeys || !keys || !slots) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	tcols[ncols].tag = TAG_LTP_ROW_ID;
	tcols[ncols++].src = src_id;
	tcols[ncols].tag = TAG_LTP_ROW_VER;
	tcols[ncols++].src = src_ver;
	for (i = 0; i < col_count; i++) {
		if ((long)i == src_id || (long)i == src_ver)
			continue;
		tcols[ncols].tag = cols[i].tag;
		tcols[ncols++].src = (long)i;
	}
	/* Cells: 4- and 8-byte ones in bit order, then 2-byte, then 1-byte,
	 * then the existence bitmap (as in every Outlook-made table). */
	off = 0;
	for (i = 0; i < ncols; i++) {
		int cs = cell_size(PS_PROP_TYPE(tcols[i].tag));
		tcols[i].bit = (uint8_t)i;
		tcols[i].size = (uint8_t)cs;
		if (cs >= 4) {
			tcols[i].offset = off;
			off = (uint16_t)(off + cs);
		}
	}
	rgib[PS_TCI_4B] = off;
	for (i = 0; i < ncols; i++) {
		if (tcols[i].size == 2) {
			tcols[i].offset = off;
			off = (uint16_t)(off + 2);
		}
	}
	rgib[PS_TCI_2B] = off;
	for (i = 0; i < ncols; i++) {
		if (tcols[i].size == 1)
			tcols[i].offset = off++;
	}
	rgib[PS_TCI_1B] = off;
	rgib[PS_TCI_BM] = (uint16_t)(off + (ncols + 7) / 8);
	rsize = rgib[PS_TCI_BM];

	/* The row index: row id -> position in the matrix, sorted by id. */
	for (i = 0; i < row_count; i++) {
		rkeys[i].id = rows[i].row_id;
		rkeys[i].index = (uint32_t)i;
	}
	qsort(rkeys, row_count, sizeof(*rkeys), row_key_cmp);
	for (i = 0; i < row_count; i++) {
		if (i > 0 && rkeys[i].id == rkeys[i - 1].id) {
			rc = ps_error_set(PS_EINVAL, "cannot build a table context: row id 0x%x is there twice",
				rkeys[i].id);
			goto cleanup;
		}
		ps_put32(keys + 4 * i, rkeys[i].id);
	}

	/* As Outlook: row index BTH header (0x20), TCINFO (0x40, the user
	 * root), the row index records, the row matrix, then the values. */
	if ((rc = hn_alloc(&b.hn, 8, &hid_index, &bth_header)) < 0 ||
	    (rc = hn_alloc(&b.hn, 22 + 8 * ncols, &hid_info, &tcinfo)) < 0)
		goto cleanup;
	b.hn.user_root = hid_info;
	/* The row matrix: one heap allocation when it fits, else a subnode
	 * whose blocks each hold as many whole rows as fit (2.3.4.4). */
	total = rsize * row_count;
	grouped = (flags & PS_TC_BUILD_GROUPED) && row_count > 0 && total > HN_ALLOC_MAX;
	/* grouped: the fill-level blocks hold nothing else, so that a rebuild of
	 * one group never touches them and they never hold a group's values */
	b.hn.bare_bitmaps = grouped;
	if (!grouped) {
		if ((rc = bth_fill(&b.hn, bth_header, 4, 4, keys, row_count, slots)) < 0)
			goto cleanup;
		for (i = 0; i < row_count; i++)
			ps_put32(slots[i], rkeys[i].index);
	}
	if (row_count > 0 && total <= HN_ALLOC_MAX) {
		if ((rc = hn_alloc(&b.hn, total, &hnid_rows, &matrix)) < 0)
			goto cleanup;
	} else if (row_count > 0) {
		if ((rc = new_sub_nid(&b, &hnid_rows)) < 0)
			goto cleanup;
		matrix = matrix_own = calloc(total, 1);
		if (!matrix) {
			rc = ps_error_set(PS_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	for (i = 0; i < row_count; i++) {
		/* Grouped: the values of each matrix block's rows start a heap
		 * block of their own, so a row changed leaves the HIDs of other
		 * groups as they were. */
		if (grouped && i % (PS_NODE_BLOCK_MAX / rsize) == 0)
			b.hn.force_new = 1;
		if ((rc = tc_fill_row(&b, tcols, ncols, rgib[PS_TCI_1B], &rows[i], i,
				matrix + i * rsize)) < 0)
			goto cleanup;
	}
	if (grouped) {
		b.hn.force_new = 1;
		if ((rc = bth_fill(&b.hn, bth_header, 4, 4, keys, row_count, slots)) < 0)
			goto cleanup;
		for (i = 0; i < row_count; i++)
			ps_put32(slots[i], rkeys[i].index);
	}
	if (matrix_own) {
		/* Every block but the last full (8176 bytes: its rows, then zeros),
		 * as 2.3.4.4 requires and readers that find a row by
		 * arithmetic assume. */
		size_t per = PS_NODE_BLOCK_MAX / rsize;
		uint8_t block[PS_NODE_BLOCK_MAX];
		ps_node_image sub;
		memset(&sub, 0, sizeof(sub));
		for (i = 0; i < row_count && rc == PS_OK; i += per) {
			size_t m = row_count - i < per ? row_count - i : per;
			if (i + m < row_count) {
				memset(block, 0, sizeof(block));
				memcpy(block, matrix_own + i * rsize, m * rsize);
				rc = ps_node_image_add_block(&sub, block, sizeof(block));
			} else {
				rc = ps_node_image_add_block(&sub, matrix_own + i * rsize, m * rsize);
			}
		}
		if (rc == PS_OK)
			rc = ps_node_image_add_sub(out, hnid_rows, &sub);
		ps_node_image_clear(&sub);
		if (rc < 0)
			goto cleanup;
	}

	/* TCINFO, with the column descriptors sorted by tag. */
	memcpy(sorted, tcols, ncols * sizeof(*sorted));
	qsort(sorted, ncols, sizeof(*sorted), tc_col_tag_cmp);
	tcinfo[0] = PS_HN_CLIENT_TC;
	tcinfo[1] = (uint8_t)ncols;
	for (i = 0; i < 4; i++)
		ps_put16(tcinfo + 2 + 2 * i, rgib[i]);
	ps_put32(tcinfo + 10, hid_index);
	ps_put32(tcinfo + 14, hnid_rows);
	ps_put32(tcinfo + 18, 0);                  /* hidIndex, deprecated */
	for (i = 0; i < ncols; i++) {
		uint8_t *d = tcinfo + 22 + 8 * i;
		ps_put32(d, sorted[i].tag);
		ps_put16(d + 4, sorted[i].offset);
		d[6] = sorted[i].size;
		d[7] = sorted[i].bit;
	}
	rc = hn_finish(&b.hn, out);
cleanup:
	if (rc < 0)
		ps_node_image_clear(out);
	hn_free(&b.hn);
	free(tcols);
	free(sorted);
	free(rkeys);
	free(keys);
	free(slots);
	free(matrix_own);
	return rc;
}
