/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The LTP layer (see ltp.h): heap on node, BTH, property and table
 * contexts. Offsets found in page maps, BTH records, TCINFO and rows are
 * checked against the block that holds them when the structure is opened;
 * BTH walks have bounded depth and strictly increasing keys.
 */
#include "pst/ltp.h"

#include "pstsync/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BTH_MAX_LEVELS 8

static int corrupt(const ps_hn *hn, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 2, 3)))
#endif
	;

static int corrupt(const ps_hn *hn, const char *fmt, ...)
{
	char buf[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ps_error_set(PS_ECORRUPT, "cannot read '%s': %s: %s",
		hn->ndb ? ps_ndb_name(hn->ndb) : "node image", hn->what, buf);
}

int ps_prop_type_size(uint16_t type)
{
	if (type & PS_PT_MV) {
		switch (type & ~PS_PT_MV) {
		case PS_PT_SHORT: case PS_PT_LONG: case PS_PT_FLOAT: case PS_PT_DOUBLE:
		case PS_PT_CURRENCY: case PS_PT_APPTIME: case PS_PT_LONGLONG:
		case PS_PT_SYSTIME: case PS_PT_CLSID: case PS_PT_STRING8:
		case PS_PT_UNICODE: case PS_PT_BINARY:
			return 0;
		default:
			return -1;
		}
	}
	switch (type) {
	case PS_PT_BOOLEAN: return 1;
	case PS_PT_SHORT: return 2;
	case PS_PT_LONG: case PS_PT_FLOAT: case PS_PT_ERROR: return 4;
	case PS_PT_DOUBLE: case PS_PT_CURRENCY: case PS_PT_APPTIME:
	case PS_PT_LONGLONG: case PS_PT_SYSTIME: return 8;
	case PS_PT_CLSID: return 16;
	case PS_PT_OBJECT: case PS_PT_STRING8: case PS_PT_UNICODE:
	case PS_PT_SVREID: case PS_PT_SRESTRICT: case PS_PT_ACTIONS:
	case PS_PT_BINARY:
		return 0;
	default:
		return -1;
	}
}

void ps_ltp_value_clear(ps_ltp_value *prop)
{
	if (!prop)
		return;
	free(prop->owned);
	memset(prop, 0, sizeof(*prop));
}

/* ---- heap on node ------------------------------------------------------- */

void ps_hn_close(ps_hn *hn)
{
	if (!hn)
		return;
	ps_ndb_data_free(&hn->data);
	ps_ndb_subnodes_free(&hn->sub);
	free(hn->pages);
	memset(hn, 0, sizeof(*hn));
}

/* The size of the header at the start of block @p i: HNHDR in block 0,
 * HNBITMAPHDR in blocks 8, 136, 264..., HNPAGEHDR elsewhere. */
static size_t page_header_size(size_t i)
{
	if (i == 0)
		return 12;
	if (i >= 8 && (i - 8) % 128 == 0)
		return 66;
	return 2;
}

/* Copy the data blocks of a node image into @p out, as the NDB reader
 * would have read them. */
static int image_data(const ps_node_image *img, ps_ndb_data *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (img->block_count == 0)
		return 0;
	out->blocks = calloc(img->block_count, sizeof(*out->blocks));
	out->sizes = calloc(img->block_count, sizeof(*out->sizes));
	out->bids = calloc(img->block_count, sizeof(*out->bids));
	if (!out->blocks || !out->sizes || !out->bids)
		goto nomem;
	for (i = 0; i < img->block_count; i++) {
		size_t n = img->blocks[i].size;
		out->blocks[i] = malloc(n ? n : 1);
		if (!out->blocks[i])
			goto nomem;
		memcpy(out->blocks[i], img->blocks[i].data, n);
		out->sizes[i] = n;
		out->count++;
		out->total += n;
	}
	return 0;
nomem:
	ps_ndb_data_free(out);
	return ps_error_set(PS_ENOMEM, "out of memory");
}

/* The data blocks of subnode @p e of @p hn, from the file or the image. In
 * an image, an entry's bid_data is the subnode's position in img->subs + 1. */
static int sub_data(const ps_hn *hn, const ps_sl_entry *e, ps_ndb_data *out)
{
	if (hn->img)
		return image_data(&hn->img->subs[e->bid_data - 1].image, out);
	return ps_ndb_data_read(hn->ndb, e->bid_data, out);
}

/* Check the heap header and every block's page map (data already read). */
static int hn_parse(ps_hn *hn)
{
	size_t i, j;
	int rc;

	if (hn->data.count == 0 || hn->data.sizes[0] < 12) {
		rc = corrupt(hn, "no heap (data is %llu bytes)", (unsigned long long)hn->data.total);
		goto cleanup;
	}
	if (hn->data.blocks[0][2] != PS_HN_SIG) {
		rc = corrupt(hn, "bad heap signature 0x%02x", hn->data.blocks[0][2]);
		goto cleanup;
	}
	hn->client_sig = hn->data.blocks[0][3];
	hn->user_root = ps_get32(hn->data.blocks[0] + 4);
	hn->pages = calloc(hn->data.count, sizeof(*hn->pages));
	if (!hn->pages) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	hn->page_count = hn->data.count;
	for (i = 0; i < hn->data.count; i++) {
		ps_hn_page *pg = &hn->pages[i];
		size_t head = page_header_size(i);
		size_t ib, prev;
		pg->data = hn->data.blocks[i];
		pg->size = hn->data.sizes[i];
		if (pg->size < head + 4) {
			rc = corrupt(hn, "heap block %llu is too small (%llu bytes)", (unsigned long long)i, (unsigned long long)pg->size);
			goto cleanup;
		}
		ib = ps_get16(pg->data);
		if (ib < head || ib + 4 > pg->size) {
			rc = corrupt(hn, "heap block %llu has its page map at %llu, outside the block",
				(unsigned long long)i, (unsigned long long)ib);
			goto cleanup;
		}
		pg->count = ps_get16(pg->data + ib);
		pg->free_count = ps_get16(pg->data + ib + 2);
		pg->alloc = pg->data + ib + 4;
		if (ib + 4 + 2 * ((size_t)pg->count + 1) > pg->size) {
			rc = corrupt(hn, "heap block %llu has %u allocations, more than fit", (unsigned long long)i,
				pg->count);
			goto cleanup;
		}
		prev = ps_get16(pg->alloc);
		if (prev != head) {
			rc = corrupt(hn, "heap block %llu: first allocation at %llu, expected %llu",
				(unsigned long long)i, (unsigned long long)prev, (unsigned long long)head);
			goto cleanup;
		}
		for (j = 1; j <= pg->count; j++) {
			size_t off = ps_get16(pg->alloc + 2 * j);
			if (off < prev || off > ib) {
				rc = corrupt(hn, "heap block %llu: allocation %llu ends at %llu, outside %llu..%llu",
					(unsigned long long)i, (unsigned long long)j, (unsigned long long)off, (unsigned long long)prev, (unsigned long long)ib);
				goto cleanup;
			}
			prev = off;
		}
	}
	return 0;
cleanup:
	return rc;
}

int ps_hn_open(ps_hn *hn, ps_ndb *ndb, const char *what, uint32_t nid,
	uint64_t bid_data, uint64_t bid_sub)
{
	int rc;

	memset(hn, 0, sizeof(*hn));
	hn->ndb = ndb;
	hn->nid = nid;
	snprintf(hn->what, sizeof(hn->what), "%s", what);
	if ((rc = ps_ndb_data_read(ndb, bid_data, &hn->data)) < 0)
		goto cleanup;
	if ((rc = ps_ndb_subnodes_read(ndb, bid_sub, &hn->sub)) < 0)
		goto cleanup;
	if ((rc = hn_parse(hn)) < 0)
		goto cleanup;
	return 0;
cleanup:
	ps_hn_close(hn);
	return rc;
}

int ps_hn_open_image(ps_hn *hn, const ps_node_image *img, const char *what, uint32_t nid)
{
	size_t i;
	int rc;

	memset(hn, 0, sizeof(*hn));
	hn->img = img;
	hn->nid = nid;
	snprintf(hn->what, sizeof(hn->what), "%s", what);
	if ((rc = image_data(img, &hn->data)) < 0)
		goto cleanup;
	if (img->sub_count > 0) {
		hn->sub.entries = calloc(img->sub_count, sizeof(*hn->sub.entries));
		if (!hn->sub.entries) {
			rc = ps_error_set(PS_ENOMEM, "out of memory");
			goto cleanup;
		}
		hn->sub.count = img->sub_count;
		for (i = 0; i < img->sub_count; i++) {
			hn->sub.entries[i].nid = img->subs[i].nid;
			hn->sub.entries[i].bid_data = i + 1;
			hn->sub.entries[i].bid_sub = 0;
		}
	}
	if ((rc = hn_parse(hn)) < 0)
		goto cleanup;
	return 0;
cleanup:
	ps_hn_close(hn);
	return rc;
}

int ps_hn_open_nid(ps_hn *hn, ps_ndb *ndb, uint32_t nid)
{
	ps_nbt_entry e;
	char what[64];
	int rc;

	memset(hn, 0, sizeof(*hn));
	if ((rc = ps_ndb_nbt_lookup(ndb, nid, &e)) < 0)
		return rc;
	snprintf(what, sizeof(what), "node 0x%x", nid);
	return ps_hn_open(hn, ndb, what, nid, e.bid_data, e.bid_sub);
}

int ps_hn_open_sub(ps_hn *hn, const ps_hn *parent, const ps_sl_entry *e)
{
	char what[128];

	snprintf(what, sizeof(what), "subnode 0x%x of %.100s", e->nid, parent->what);
	if (parent->img)
		return ps_hn_open_image(hn, &parent->img->subs[e->bid_data - 1].image, what, e->nid);
	return ps_hn_open(hn, parent->ndb, what, e->nid, e->bid_data, e->bid_sub);
}

int ps_hn_get(const ps_hn *hn, uint32_t hid, const uint8_t **p, size_t *size)
{
	uint32_t index = PS_HID_INDEX(hid), block = PS_HID_BLOCK(hid);
	const ps_hn_page *pg;
	size_t start, end;

	*p = NULL;
	*size = 0;
	if (PS_NID_TYPE(hid) != PS_NID_TYPE_HID || index == 0)
		return corrupt(hn, "invalid hid 0x%x", hid);
	if (block >= hn->page_count)
		return corrupt(hn, "hid 0x%x names heap block %u of %llu", hid, block, (unsigned long long)hn->page_count);
	pg = &hn->pages[block];
	if (index > pg->count)
		return corrupt(hn, "hid 0x%x names allocation %u of %u", hid, index, pg->count);
	start = ps_get16(pg->alloc + 2 * (index - 1));
	end = ps_get16(pg->alloc + 2 * index);
	/* ps_hn_open() checked start <= end <= page map offset < size. */
	*p = pg->data + start;
	*size = end - start;
	return 0;
}

int ps_hn_read_hnid(const ps_hn *hn, uint32_t hnid, const uint8_t **p, size_t *size,
	uint8_t **owned, int *where)
{
	const ps_sl_entry *e;
	int rc;

	*p = NULL;
	*size = 0;
	*owned = NULL;
	if (hnid == 0) {
		*where = PS_PROP_NONE;
		return 0;
	}
	if (PS_NID_TYPE(hnid) == PS_NID_TYPE_HID) {
		*where = PS_PROP_HEAP;
		return ps_hn_get(hn, hnid, p, size);
	}
	*where = PS_PROP_SUBNODE;
	e = ps_ndb_subnodes_find(&hn->sub, hnid);
	if (!e)
		return corrupt(hn, "value subnode 0x%x does not exist", hnid);
	if (hn->img) {
		const ps_node_image *sub = &hn->img->subs[e->bid_data - 1].image;
		size_t i, total = ps_node_image_size(sub), off = 0;
		*owned = malloc(total ? total : 1);
		if (!*owned)
			return ps_error_set(PS_ENOMEM, "out of memory");
		for (i = 0; i < sub->block_count; i++) {
			memcpy(*owned + off, sub->blocks[i].data, sub->blocks[i].size);
			off += sub->blocks[i].size;
		}
		*size = total;
	} else if ((rc = ps_ndb_data_read_flat(hn->ndb, e->bid_data, owned, size)) < 0) {
		return rc;
	}
	*p = *owned;
	return 0;
}

/* ---- BTH ---------------------------------------------------------------- */

int ps_bth_open(ps_bth *bth, const ps_hn *hn, uint32_t hid)
{
	const uint8_t *p;
	size_t size;
	int rc;

	memset(bth, 0, sizeof(*bth));
	bth->hn = hn;
	if ((rc = ps_hn_get(hn, hid, &p, &size)) < 0)
		return rc;
	if (size < 8 || p[0] != PS_HN_CLIENT_BTH)
		return corrupt(hn, "bth header 0x%x is invalid (type 0x%02x, %llu bytes)", hid,
			size ? p[0] : 0, (unsigned long long)size);
	bth->key_size = p[1];
	bth->data_size = p[2];
	bth->levels = p[3];
	bth->root = ps_get32(p + 4);
	if (bth->key_size != 2 && bth->key_size != 4 && bth->key_size != 8 &&
	    bth->key_size != 16)
		return corrupt(hn, "bth 0x%x has key size %u", hid, bth->key_size);
	if (bth->data_size == 0 || bth->data_size > 32)
		return corrupt(hn, "bth 0x%x has record size %u", hid, bth->data_size);
	if (bth->levels > BTH_MAX_LEVELS)
		return corrupt(hn, "bth 0x%x has %u levels", hid, bth->levels);
	return 0;
}

static int key_cmp(const uint8_t *a, const uint8_t *b, size_t n)
{
	while (n-- > 0) {
		if (a[n] != b[n])
			return a[n] < b[n] ? -1 : 1;
	}
	return 0;
}

struct bth_walk {
	const ps_bth *bth;
	int (*fn)(void *ctx, const uint8_t *key, const uint8_t *data);
	void *ctx;
	const uint8_t *last;
	int lenient;
	size_t disorder;
};

static int bth_walk(struct bth_walk *w, uint32_t hid, int level)
{
	const ps_bth *bth = w->bth;
	size_t rsize = bth->key_size + (level > 0 ? 4 : bth->data_size);
	const uint8_t *p;
	size_t size, i;
	int rc;

	if ((rc = ps_hn_get(bth->hn, hid, &p, &size)) < 0)
		return rc;
	if (size == 0 || size % rsize != 0)
		return corrupt(bth->hn, "bth records at 0x%x: %llu bytes is not a multiple of %llu",
			hid, (unsigned long long)size, (unsigned long long)rsize);
	for (i = 0; i < size; i += rsize) {
		const uint8_t *key = p + i;
		if (w->last && key_cmp(key, w->last, bth->key_size) <= 0) {
			/* A single-level BTH cannot loop, so disorder there
			 * can be tolerated and counted (see ps_bth.disorder). */
			if (level > 0 || bth->levels > 0 || !w->lenient)
				return corrupt(bth->hn, "bth keys out of order in 0x%x", hid);
			w->disorder++;
		}
		if (level > 0) {
			/* Descending checks the child's keys against w->last;
			 * the first one must not precede this key. */
			if ((rc = bth_walk(w, ps_get32(p + i + bth->key_size), level - 1)) != 0)
				return rc;
			continue;
		}
		w->last = key;
		if ((rc = w->fn(w->ctx, key, key + bth->key_size)) != 0)
			return rc;
	}
	return 0;
}

int ps_bth_foreach(const ps_bth *bth,
	int (*fn)(void *ctx, const uint8_t *key, const uint8_t *data), void *ctx)
{
	struct bth_walk w;

	if (bth->root == 0)
		return 0;
	w.bth = bth;
	w.fn = fn;
	w.ctx = ctx;
	w.last = NULL;
	w.lenient = 0;
	w.disorder = 0;
	return bth_walk(&w, bth->root, bth->levels);
}

int ps_bth__foreach_lenient(const ps_bth *bth,
	int (*fn)(void *ctx, const uint8_t *key, const uint8_t *data), void *ctx,
	size_t *disorder)
{
	struct bth_walk w;
	int rc;

	*disorder = 0;
	if (bth->root == 0)
		return 0;
	w.bth = bth;
	w.fn = fn;
	w.ctx = ctx;
	w.last = NULL;
	w.lenient = 1;
	w.disorder = 0;
	rc = bth_walk(&w, bth->root, bth->levels);
	*disorder = w.disorder;
	return rc;
}

int ps_bth_find(const ps_bth *bth, const uint8_t *key, const uint8_t **data)
{
	uint32_t hid = bth->root;
	int level = bth->levels;
	const uint8_t *p;
	size_t size, i, rsize;
	int rc;

	*data = NULL;
	if (hid == 0)
		return PS_ENOTFOUND;
	for (;;) {
		const uint8_t *best = NULL;
		rsize = bth->key_size + (level > 0 ? 4 : bth->data_size);
		if ((rc = ps_hn_get(bth->hn, hid, &p, &size)) < 0)
			return rc;
		if (size == 0 || size % rsize != 0)
			return corrupt(bth->hn, "bth records at 0x%x: %llu bytes is not a multiple of %llu",
				hid, (unsigned long long)size, (unsigned long long)rsize);
		for (i = 0; i < size; i += rsize) {
			int c = key_cmp(p + i, key, bth->key_size);
			if (level == 0 && c == 0) {
				*data = p + i + bth->key_size;
				return 0;
			}
			if (c > 0)
				break;
			best = p + i;
		}
		if (level == 0 || !best)
			return PS_ENOTFOUND;
		hid = ps_get32(best + bth->key_size);
		level--;
	}
}

/* ---- property context --------------------------------------------------- */

struct pc_load {
	ps_pc *pc;
	size_t cap;
};

static int pc_record(void *ctx, const uint8_t *key, const uint8_t *data)
{
	struct pc_load *l = ctx;
	ps_pc *pc = l->pc;
	ps_ltp_value *prop;
	int fixed, rc;

	if (pc->count == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		ps_ltp_value *n = realloc(pc->props, ncap * sizeof(*n));
		if (!n)
			return ps_error_set(PS_ENOMEM, "out of memory");
		pc->props = n;
		l->cap = ncap;
	}
	prop = &pc->props[pc->count];
	memset(prop, 0, sizeof(*prop));
	prop->id = ps_get16(key);
	prop->type = ps_get16(data);
	prop->hnid = ps_get32(data + 2);
	pc->count++;
	fixed = ps_prop_type_size(prop->type);
	if (fixed > 0 && fixed <= 4) {
		/* Small values sit in the record itself. */
		prop->where = PS_PROP_INLINE;
		prop->value = data + 2;
		prop->size = (size_t)fixed;
		return 0;
	}
	if (fixed < 0) {
		/* Not a type valid on disk (0x0000 from some tools): keep the
		 * four raw bytes so the caller can still see and report it. */
		prop->where = PS_PROP_INLINE;
		prop->value = data + 2;
		prop->size = 4;
		return 0;
	}
	rc = ps_hn_read_hnid(&pc->hn, prop->hnid, &prop->value, &prop->size, &prop->owned,
		&prop->where);
	return rc;
}

void ps_pc_close(ps_pc *pc)
{
	size_t i;

	if (!pc)
		return;
	for (i = 0; i < pc->count; i++)
		free(pc->props[i].owned);
	free(pc->props);
	ps_hn_close(&pc->hn);
	memset(pc, 0, sizeof(*pc));
}

static int prop_cmp(const void *a, const void *b)
{
	const ps_ltp_value *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x < y ? -1 : (x > y);
}

static int pc_load(ps_pc *pc)
{
	struct pc_load l;
	ps_bth bth;
	int rc;

	if (pc->hn.client_sig != PS_HN_CLIENT_PC)
		return corrupt(&pc->hn, "not a property context (client signature 0x%02x)",
			pc->hn.client_sig);
	if ((rc = ps_bth_open(&bth, &pc->hn, pc->hn.user_root)) < 0)
		return rc;
	if (bth.key_size != 2 || bth.data_size != 6)
		return corrupt(&pc->hn, "property bth has key size %u and record size %u",
			bth.key_size, bth.data_size);
	l.pc = pc;
	l.cap = 0;
	if ((rc = ps_bth__foreach_lenient(&bth, pc_record, &l, &pc->disorder)) < 0)
		return rc;
	/* Records out of order (written by some tools) are read all the
	 * same; sort them so that ps_pc_find() can search. */
	if (pc->disorder)
		qsort(pc->props, pc->count, sizeof(*pc->props), prop_cmp);
	return 0;
}

/* The end of every ps_pc_open*(): the heap opened with status RC gets its
 * properties loaded, or is closed again. */
static int pc_opened(ps_pc *pc, int rc)
{
	if (rc >= 0 && (rc = pc_load(pc)) < 0)
		ps_pc_close(pc);
	return rc;
}

int ps_pc_open(ps_pc *pc, ps_ndb *ndb, const char *what, uint32_t nid,
	uint64_t bid_data, uint64_t bid_sub)
{
	memset(pc, 0, sizeof(*pc));
	return pc_opened(pc, ps_hn_open(&pc->hn, ndb, what, nid, bid_data, bid_sub));
}

int ps_pc_open_nid(ps_pc *pc, ps_ndb *ndb, uint32_t nid)
{
	memset(pc, 0, sizeof(*pc));
	return pc_opened(pc, ps_hn_open_nid(&pc->hn, ndb, nid));
}

int ps_pc_open_sub(ps_pc *pc, const ps_hn *parent, const ps_sl_entry *e)
{
	memset(pc, 0, sizeof(*pc));
	return pc_opened(pc, ps_hn_open_sub(&pc->hn, parent, e));
}

int ps_pc_open_image(ps_pc *pc, const ps_node_image *img, const char *what)
{
	memset(pc, 0, sizeof(*pc));
	return pc_opened(pc, ps_hn_open_image(&pc->hn, img, what, 0));
}

const ps_ltp_value *ps_pc_find(const ps_pc *pc, uint16_t id)
{
	size_t lo = 0, hi = pc->count;

	/* The BTH walk gave the properties in increasing id order. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pc->props[mid].id == id)
			return &pc->props[mid];
		if (pc->props[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- table context ------------------------------------------------------ */

void ps_tc_close(ps_tc *tc)
{
	if (!tc)
		return;
	free(tc->cols);
	free(tc->rows);
	free(tc->matrix);
	free(tc->matrix_owned);
	free(tc->matrix_bids);
	free(tc->matrix_sizes);
	ps_hn_close(&tc->hn);
	memset(tc, 0, sizeof(*tc));
}

/* The size a column of @p type must have in a row. */
int ps_tc__cell_size(uint16_t type)
{
	int fixed = ps_prop_type_size(type);

	if (fixed > 0 && fixed <= 8)
		return fixed;
	if (fixed == 0 || fixed == 16)
		return 4;              /* an HNID */
	return -1;
}

struct tc_load {
	ps_tc *tc;
	size_t cap;
	int unicode;
};

static int tc_index_record(void *ctx, const uint8_t *key, const uint8_t *data)
{
	struct tc_load *l = ctx;
	ps_tc *tc = l->tc;

	if (tc->row_count == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		ps_tc_row *n = realloc(tc->rows, ncap * sizeof(*n));
		if (!n)
			return ps_error_set(PS_ENOMEM, "out of memory");
		tc->rows = n;
		l->cap = ncap;
	}
	tc->rows[tc->row_count].id = ps_get32(key);
	tc->rows[tc->row_count].index = l->unicode ? ps_get32(data) : ps_get16(data);
	tc->row_count++;
	return 0;
}

static int tc_load(ps_tc *tc)
{
	ps_hn *hn = &tc->hn;
	/* The writer builds Unicode stores only, so an image is Unicode. */
	int uni = hn->ndb ? ps_ndb_header_get(hn->ndb)->unicode : 1;
	const uint8_t *p, *rows = NULL;
	size_t size, i, rsize, ceb, rows_size = 0;
	struct tc_load l;
	ps_bth bth;
	int where, rc;

	if (hn->client_sig != PS_HN_CLIENT_TC)
		return corrupt(hn, "not a table context (client signature 0x%02x)", hn->client_sig);
	if ((rc = ps_hn_get(hn, hn->user_root, &p, &size)) < 0)
		return rc;
	if (size < 22 || p[0] != PS_HN_CLIENT_TC)
		return corrupt(hn, "invalid table header (type 0x%02x, %llu bytes)",
			size ? p[0] : 0, (unsigned long long)size);
	tc->col_count = p[1];
	for (i = 0; i < 4; i++)
		tc->rgib[i] = ps_get16(p + 2 + 2 * i);
	tc->hid_row_index = ps_get32(p + 10);
	tc->hnid_rows = ps_get32(p + 14);
	if (22 + 8 * tc->col_count > size)
		return corrupt(hn, "table header has %llu columns, room for %llu", (unsigned long long)tc->col_count,
			(unsigned long long)((size - 22) / 8));
	ceb = (tc->col_count + 7) / 8;
	if (tc->rgib[PS_TCI_4B] > tc->rgib[PS_TCI_2B] || tc->rgib[PS_TCI_2B] > tc->rgib[PS_TCI_1B] ||
	    (size_t)tc->rgib[PS_TCI_1B] + ceb != tc->rgib[PS_TCI_BM])
		return corrupt(hn, "table row layout is inconsistent (%u, %u, %u, %u for %llu columns)",
			tc->rgib[0], tc->rgib[1], tc->rgib[2], tc->rgib[3], (unsigned long long)tc->col_count);
	rsize = tc->rgib[PS_TCI_BM];
	tc->cols = calloc(tc->col_count ? tc->col_count : 1, sizeof(*tc->cols));
	if (!tc->cols)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; i < tc->col_count; i++) {
		const uint8_t *c = p + 22 + 8 * i;
		ps_tc_col *col = &tc->cols[i];
		int want;
		col->tag = ps_get32(c);
		col->offset = ps_get16(c + 4);
		col->size = c[6];
		col->bit = c[7];
		want = ps_tc__cell_size((uint16_t)col->tag);
		/* A fixed-size value in a wider cell (some tools write 8 bytes
		 * for a 4-byte integer) is still readable: count it. */
		if (want > 0 && ps_prop_type_size((uint16_t)col->tag) > 0 &&
		    col->size > want && col->size <= 8)
			tc->odd_cols++;
		else if (want < 0 || col->size != want)
			return corrupt(hn, "column 0x%08x has size %u for its type", col->tag, col->size);
		if ((size_t)col->offset + col->size > tc->rgib[PS_TCI_1B] || col->bit >= tc->col_count)
			return corrupt(hn, "column 0x%08x lies outside the row (offset %u, bit %u)",
				col->tag, col->offset, col->bit);
	}
	/* The row index: row id -> position in the matrix. */
	if (tc->hid_row_index != 0) {
		if ((rc = ps_bth_open(&bth, hn, tc->hid_row_index)) < 0)
			return rc;
		/* dwRowIndex is 4 bytes in Unicode files and 2 in ANSI ones,
		 * but some ANSI tables (0x6D7, 0x6F8) use 4 as well. */
		if (bth.key_size != 4 || (bth.data_size != 4 && (uni || bth.data_size != 2)))
			return corrupt(hn, "row index has key size %u and record size %u",
				bth.key_size, bth.data_size);
		l.tc = tc;
		l.cap = 0;
		l.unicode = bth.data_size == 4;
		if ((rc = ps_bth_foreach(&bth, tc_index_record, &l)) < 0)
			return rc;
	}
	/* The row matrix: in the heap, or in a subnode whose blocks each hold
	 * a whole number of rows, every block but the last padded to a full
	 * block (2.3.4.4). */
	if (tc->hnid_rows != 0 && rsize > 0) {
		if (PS_NID_TYPE(tc->hnid_rows) != PS_NID_TYPE_HID) {
			/* A subnode: read once, as blocks, to honour the block
			 * boundaries (each holds whole rows, then padding). */
			const ps_sl_entry *e = ps_ndb_subnodes_find(&hn->sub, tc->hnid_rows);
			size_t full = hn->ndb ? ps_ndb__block_data_max(hn->ndb) : PS_NODE_BLOCK_MAX;
			ps_ndb_data d;
			size_t off = 0, b, n = 0;
			if (!e)
				return corrupt(hn, "value subnode 0x%x does not exist", tc->hnid_rows);
			if ((rc = sub_data(hn, e, &d)) < 0)
				return rc;
			for (b = 0; b < d.count; b++) {
				/* padding: less than a row, at the end of a full block only */
				if (d.sizes[b] % rsize != 0 && d.sizes[b] != full) {
					/* the size is taken before the data goes */
					unsigned long long got = d.sizes[b];
					ps_ndb_data_free(&d);
					return corrupt(hn, "row matrix block %llu is %llu bytes, not whole rows of %llu",
						(unsigned long long)b, got, (unsigned long long)rsize);
				}
				n += d.sizes[b] / rsize;
			}
			tc->matrix = calloc(n ? n : 1, sizeof(*tc->matrix));
			tc->matrix_owned = malloc(d.total ? d.total : 1);
			tc->matrix_bids = malloc((d.count + 1) * sizeof(*tc->matrix_bids));
			tc->matrix_sizes = malloc((d.count + 1) * sizeof(*tc->matrix_sizes));
			if (!tc->matrix || !tc->matrix_owned || !tc->matrix_bids || !tc->matrix_sizes) {
				ps_ndb_data_free(&d);
				return ps_error_set(PS_ENOMEM, "out of memory");
			}
			if (d.count) {
				memcpy(tc->matrix_bids, d.bids, d.count * sizeof(*tc->matrix_bids));
				memcpy(tc->matrix_sizes, d.sizes, d.count * sizeof(*tc->matrix_sizes));
			}
			tc->matrix_blocks = d.count;
			for (b = 0; b < d.count; b++) {
				size_t k, per = d.sizes[b] / rsize;
				memcpy(tc->matrix_owned + off, d.blocks[b], d.sizes[b]);
				for (k = 0; k < per; k++)
					tc->matrix[tc->matrix_rows++] = tc->matrix_owned + off + k * rsize;
				off += d.sizes[b];
			}
			ps_ndb_data_free(&d);
		} else {
			if ((rc = ps_hn_read_hnid(hn, tc->hnid_rows, &rows, &rows_size, &tc->matrix_owned,
					&where)) < 0)
				return rc;
			if (rows_size % rsize != 0)
				return corrupt(hn, "row matrix is %llu bytes, not whole rows of %llu",
					(unsigned long long)rows_size, (unsigned long long)rsize);
			tc->matrix = calloc(rows_size / rsize + 1, sizeof(*tc->matrix));
			if (!tc->matrix)
				return ps_error_set(PS_ENOMEM, "out of memory");
			/* Rows in the heap are only read: the cast drops const
			 * to share the matrix pointer type with subnode rows. */
			for (i = 0; i + rsize <= rows_size; i += rsize)
				tc->matrix[tc->matrix_rows++] = (uint8_t *)(uintptr_t)(rows + i);
		}
	}
	for (i = 0; i < tc->row_count; i++) {
		if (tc->rows[i].index >= tc->matrix_rows)
			return corrupt(hn, "row 0x%x is at position %u, the matrix holds %llu rows",
				tc->rows[i].id, tc->rows[i].index, (unsigned long long)tc->matrix_rows);
	}
	return 0;
}

/* The end of every ps_tc_open*(): the heap opened with status RC gets its
 * rows loaded, or is closed again. */
static int tc_opened(ps_tc *tc, int rc)
{
	if (rc >= 0 && (rc = tc_load(tc)) < 0)
		ps_tc_close(tc);
	return rc;
}

int ps_tc_open(ps_tc *tc, ps_ndb *ndb, const char *what, uint32_t nid,
	uint64_t bid_data, uint64_t bid_sub)
{
	memset(tc, 0, sizeof(*tc));
	return tc_opened(tc, ps_hn_open(&tc->hn, ndb, what, nid, bid_data, bid_sub));
}

int ps_tc_open_nid(ps_tc *tc, ps_ndb *ndb, uint32_t nid)
{
	memset(tc, 0, sizeof(*tc));
	return tc_opened(tc, ps_hn_open_nid(&tc->hn, ndb, nid));
}

int ps_tc_open_sub(ps_tc *tc, const ps_hn *parent, const ps_sl_entry *e)
{
	memset(tc, 0, sizeof(*tc));
	return tc_opened(tc, ps_hn_open_sub(&tc->hn, parent, e));
}

int ps_tc_open_image(ps_tc *tc, const ps_node_image *img, const char *what)
{
	memset(tc, 0, sizeof(*tc));
	return tc_opened(tc, ps_hn_open_image(&tc->hn, img, what, 0));
}

int ps_tc_col_find(const ps_tc *tc, uint32_t tag)
{
	size_t i;

	for (i = 0; i < tc->col_count; i++) {
		if (tc->cols[i].tag == tag)
			return (int)i;
	}
	return -1;
}

int ps_tc_col_find_id(const ps_tc *tc, uint16_t id)
{
	size_t i;

	for (i = 0; i < tc->col_count; i++) {
		if ((tc->cols[i].tag >> 16) == id)
			return (int)i;
	}
	return -1;
}

const uint8_t *ps_tc_row_data(const ps_tc *tc, size_t row)
{
	if (row >= tc->row_count)
		return NULL;
	return tc->matrix[tc->rows[row].index];
}

int ps_tc_cell_ref(const ps_tc *tc, size_t row, size_t col, ps_ltp_value *out)
{
	const ps_tc_col *c;
	const uint8_t *r, *p;
	size_t size;
	uint8_t *owned = NULL;
	int fixed, where, rc;

	memset(out, 0, sizeof(*out));
	if (row >= tc->row_count || col >= tc->col_count)
		return ps_error_set(PS_EINVAL, "no cell %llu/%llu", (unsigned long long)row, (unsigned long long)col);
	c = &tc->cols[col];
	r = tc->matrix[tc->rows[row].index];
	out->id = (uint16_t)(c->tag >> 16);
	out->type = (uint16_t)c->tag;
	if (!(r[tc->rgib[PS_TCI_1B] + c->bit / 8] & (0x80u >> (c->bit % 8))))
		return PS_ENOTFOUND;
	fixed = ps_prop_type_size(out->type);
	if (fixed > 0 && fixed <= 8) {
		out->where = PS_PROP_INLINE;
		out->value = r + c->offset;
		out->size = (size_t)fixed;
		return 0;
	}
	out->hnid = ps_get32(r + c->offset);
	if ((rc = ps_hn_read_hnid(&tc->hn, out->hnid, &p, &size, &owned, &where)) < 0)
		return rc;
	out->where = where;
	out->owned = owned;
	out->value = size ? p : NULL;
	out->size = size;
	return 0;
}

int ps_tc_cell(const ps_tc *tc, size_t row, size_t col, ps_ltp_value *out)
{
	int rc = ps_tc_cell_ref(tc, row, col, out);

	if (rc != 0)
		return rc;
	/* the caller owns what it gets: copy what still lies in the table */
	if (!out->owned && out->size > 0) {
		uint8_t *copy = malloc(out->size);
		if (!copy) {
			memset(out, 0, sizeof(*out));
			return ps_error_set(PS_ENOMEM, "out of memory");
		}
		memcpy(copy, out->value, out->size);
		out->owned = copy;
	}
	out->value = out->owned;
	return 0;
}

/* ---- counting rows without reading the table ------------------------------------- */

/* A node's heap, its blocks read one by one as they are needed. */
struct lazy_hn {
	ps_ndb *ndb;
	const char *what;
	ps_ndb_data d;               /* block BIDs only */
	uint8_t **blocks;
	size_t *sizes;
};

static int lazy_get(struct lazy_hn *l, uint32_t hid, const uint8_t **p, size_t *size)
{
	size_t k = PS_HID_BLOCK(hid), head = page_header_size(k), ib, count, start, end;
	uint32_t index = PS_HID_INDEX(hid);
	const uint8_t *b;
	int rc;

	if (PS_NID_TYPE(hid) != PS_NID_TYPE_HID || index == 0 || k >= l->d.count)
		return ps_error_set(PS_ECORRUPT, "cannot read '%s': %s: invalid hid 0x%x",
			ps_ndb_name(l->ndb), l->what, hid);
	if (!l->blocks[k] && (rc = ps_ndb_block_read(l->ndb, l->d.bids[k], &l->blocks[k], &l->sizes[k],
		NULL)) < 0)
		return rc;
	b = l->blocks[k];
	if (l->sizes[k] < head + 4 || (ib = ps_get16(b)) < head || ib + 4 > l->sizes[k] ||
	    (count = ps_get16(b + ib)) < index || ib + 4 + 2 * (count + 1) > l->sizes[k] ||
	    (start = ps_get16(b + ib + 4 + 2 * (index - 1))) < head ||
	    (end = ps_get16(b + ib + 4 + 2 * index)) < start || end > ib)
		return ps_error_set(PS_ECORRUPT, "cannot read '%s': %s: heap block %llu is damaged",
			ps_ndb_name(l->ndb), l->what, (unsigned long long)k);
	*p = b + start;
	*size = end - start;
	return 0;
}

/* Records under BTH node @p hid, @p level levels above the leaves. */
static int lazy_bth_count(struct lazy_hn *l, uint32_t hid, int level, size_t key, size_t ent,
	size_t *count)
{
	const uint8_t *p;
	size_t size, i;
	int rc;

	if ((rc = lazy_get(l, hid, &p, &size)) < 0)
		return rc;
	if (level == 0) {
		if (size % (key + ent) != 0)
			return ps_error_set(PS_ECORRUPT, "cannot read '%s': %s: a row index leaf of %llu bytes",
				ps_ndb_name(l->ndb), l->what, (unsigned long long)size);
		*count += size / (key + ent);
		return 0;
	}
	if (size % (key + 4) != 0)
		return ps_error_set(PS_ECORRUPT, "cannot read '%s': %s: a row index node of %llu bytes",
			ps_ndb_name(l->ndb), l->what, (unsigned long long)size);
	for (i = 0; i < size; i += key + 4) {
		/* the copy: the block under p may be read anew below */
		uint32_t child = ps_get32(p + i + key);
		if ((rc = lazy_bth_count(l, child, level - 1, key, ent, count)) < 0)
			return rc;
		if ((rc = lazy_get(l, hid, &p, &size)) < 0)
			return rc;
	}
	return 0;
}

int ps_tc_row_count(ps_ndb *ndb, uint32_t nid, size_t *count)
{
	struct lazy_hn l;
	ps_nbt_entry e;
	const uint8_t *p;
	size_t size, i;
	char what[32];
	int rc;

	*count = 0;
	memset(&l, 0, sizeof(l));
	snprintf(what, sizeof(what), "node 0x%x", nid);
	l.ndb = ndb;
	l.what = what;
	if ((rc = ps_ndb_nbt_lookup(ndb, nid, &e)) < 0 || (rc = ps_ndb_data_bids(ndb, e.bid_data, &l.d)) < 0)
		return rc;
	l.blocks = calloc(l.d.count + 1, sizeof(*l.blocks));
	l.sizes = calloc(l.d.count + 1, sizeof(*l.sizes));
	if (!l.blocks || !l.sizes) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (l.d.count == 0) {
		rc = ps_error_set(PS_ECORRUPT, "cannot read '%s': %s: no heap", ps_ndb_name(ndb), what);
		goto cleanup;
	}
	/* the heap header: a table's, whose user root is the TCINFO */
	if ((rc = ps_ndb_block_read(ndb, l.d.bids[0], &l.blocks[0], &l.sizes[0], NULL)) < 0)
		goto cleanup;
	if (l.sizes[0] < 12 || l.blocks[0][2] != PS_HN_SIG || l.blocks[0][3] != PS_HN_CLIENT_TC) {
		rc = ps_error_set(PS_ECORRUPT, "cannot read '%s': %s is not a table context",
			ps_ndb_name(ndb), what);
		goto cleanup;
	}
	if ((rc = lazy_get(&l, ps_get32(l.blocks[0] + 4), &p, &size)) < 0)
		goto cleanup;
	if (size < 22 || p[0] != PS_HN_CLIENT_TC) {
		rc = ps_error_set(PS_ECORRUPT, "cannot read '%s': %s: invalid table header",
			ps_ndb_name(ndb), what);
		goto cleanup;
	}
	if (ps_get32(p + 10) == 0)
		goto cleanup;          /* no row index: no rows */
	if ((rc = lazy_get(&l, ps_get32(p + 10), &p, &size)) < 0)
		goto cleanup;
	if (size < 8 || p[0] != PS_HN_CLIENT_BTH || p[1] != 4 || (p[2] != 4 && p[2] != 2) ||
	    p[3] > PS_NDB_MAX_DEPTH) {
		rc = ps_error_set(PS_ECORRUPT, "cannot read '%s': %s: invalid row index",
			ps_ndb_name(ndb), what);
		goto cleanup;
	}
	if (ps_get32(p + 4) != 0) {
		uint8_t ent = p[2], levels = p[3];
		rc = lazy_bth_count(&l, ps_get32(p + 4), levels, 4, ent, count);
	}
cleanup:
	for (i = 0; l.blocks && i < l.d.count; i++)
		free(l.blocks[i]);
	free(l.blocks);
	free(l.sizes);
	ps_ndb_data_free(&l.d);
	if (rc < 0)
		*count = 0;
	return rc;
}
