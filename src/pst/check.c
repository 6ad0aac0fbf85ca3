/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The integrity checker (see pstsync/check.h). It walks the file in
 * layers, each reported and survived on its own: the header; the map pages
 * and density list; both B-trees, leniently (a bad page is reported and its
 * subtree skipped); every block's trailer; the data and subnode trees of
 * every node, counting each reference to a block; the allocation maps
 * against the space found in use; the heap, BTH, PC and TC of every node;
 * and last the folders' tables and counters against the nodes.
 *
 * Reference counts: a block's cRef counts one reference for the BBT entry
 * itself plus one per NBT entry, XBLOCK or SLBLOCK/SIBLOCK entry that names
 * it. An internal block shared by several nodes is walked once, so that its
 * own children are counted once, as the file stores them once.
 */
#include "pst/check.h"

#include "pst/ltp.h"
#include "pstsync/errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOT 64u                       /* bytes per AMap bit */
#define MAX_OVERLAP_REPORTS 20
#define MAX_MAP_REPORTS 20
#define MAX_SUB_DEPTH 8                /* attachments in messages in attachments */

/* Property ids used by the messaging checks. */
#define PID_MESSAGE_CLASS 0x001A
#define PID_SUBJECT 0x0037
#define PID_MESSAGE_FLAGS 0x0E07
#define PID_MESSAGE_SIZE 0x0E08
#define PID_DISPLAY_NAME 0x3001
#define PID_CONTENT_COUNT 0x3602
#define PID_CONTENT_UNREAD 0x3603
#define PID_SUBFOLDERS 0x360A
#define PID_LTP_ROW_ID 0x67F2
#define MSGFLAG_READ 0x1

struct blk {
	uint64_t bid;          /* key: bit 0 cleared */
	uint64_t ib;
	uint16_t cb, cref;
	uint32_t refs;         /* references found */
	uint8_t bad;           /* trailer or tree damage already reported */
	uint8_t walked;        /* internal block: its references are counted */
};

struct pageset {
	uint64_t *slots;       /* open addressing; 0 = empty (offset 0 is never a page) */
	size_t cap, count;
};

struct chk {
	ps_ndb *ndb;
	const ps_ndb_header *h;
	ps_check_report_cb cb;
	void *ctx;
	ps_check_summary *sum;
	uint64_t end;          /* min(file size, ibFileEof) */
	struct blk *blks;
	size_t nblk, capblk;
	ps_nbt_entry *nodes;
	size_t nnode, capnode;
	struct pageset pages;
	uint8_t *used;         /* one bit per 64 bytes from offset 0 */
	size_t nslots;
	unsigned overlaps;
	uint64_t max_page_bid; /* highest B-tree page BID seen */
	int fatal;             /* a B-tree root could not be read */
};

const char *ps_check_area_name(enum ps_check_area area)
{
	switch (area) {
	case PS_CHECK_HEADER: return "header";
	case PS_CHECK_MAPS: return "maps";
	case PS_CHECK_BTREE: return "b-tree";
	case PS_CHECK_BLOCKS: return "blocks";
	case PS_CHECK_REFS: return "references";
	case PS_CHECK_LTP: return "ltp";
	case PS_CHECK_MESSAGING: return "messaging";
	default: return "unknown";
	}
}

static void report(struct chk *c, enum ps_check_area area, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 3, 4)))
#endif
	;

static void report(struct chk *c, enum ps_check_area area, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	c->sum->problems++;
	c->sum->by_area[area]++;
	if (c->cb)
		c->cb(c->ctx, area, line);
}

/* A sound state worth a word (see check.h): not a problem. */
static void note(struct chk *c, enum ps_check_area area, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 3, 4)))
#endif
	;

static void note(struct chk *c, enum ps_check_area area, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "note: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	c->sum->notes++;
	if (c->cb)
		c->cb(c->ctx, area, line);
}

/* The core's message without its "cannot read 'file': " prefix, for lines
 * that should not repeat the file name. */
static const char *last_reason(const ps_ndb *ndb)
{
	const char *m = ps_error_last();
	char prefix[300];
	size_t n;

	snprintf(prefix, sizeof(prefix), "cannot read '%s': ", ps_ndb_name(ndb));
	n = strlen(prefix);
	if (strncmp(m, prefix, n) == 0)
		return m + n;
	return m;
}

/* ---- small containers --------------------------------------------------- */

static int pageset_add(struct pageset *s, uint64_t ib)
{
	size_t i;

	if ((s->count + 1) * 2 > s->cap) {
		struct pageset n;
		n.cap = s->cap ? s->cap * 2 : 256;
		n.count = 0;
		n.slots = calloc(n.cap, sizeof(*n.slots));
		if (!n.slots)
			return ps_error_set(PS_ENOMEM, "out of memory");
		for (i = 0; i < s->cap; i++) {
			if (s->slots[i])
				(void)pageset_add(&n, s->slots[i]);
		}
		free(s->slots);
		*s = n;
	}
	i = (size_t)((ib >> 6) * 0x9E3779B97F4A7C15ull) & (s->cap - 1);
	while (s->slots[i]) {
		if (s->slots[i] == ib)
			return 1;      /* already there */
		i = (i + 1) & (s->cap - 1);
	}
	s->slots[i] = ib;
	s->count++;
	return 0;
}

static struct blk *blk_find(struct chk *c, uint64_t bid)
{
	size_t lo = 0, hi = c->nblk;

	bid = PS_BID_KEY(bid);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->blks[mid].bid == bid)
			return &c->blks[mid];
		if (c->blks[mid].bid < bid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const ps_nbt_entry *node_find(const struct chk *c, uint32_t nid)
{
	size_t lo = 0, hi = c->nnode;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->nodes[mid].nid == nid)
			return &c->nodes[mid];
		if (c->nodes[mid].nid < nid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Mark [ib, ib + len) as in use by @p what; report overlaps. */
static void mark_used(struct chk *c, uint64_t ib, uint64_t len, const char *what)
{
	uint64_t s, first = ib / SLOT, last = (ib + len + SLOT - 1) / SLOT;
	int overlap = 0;

	if (ib + len > c->end) {
		report(c, PS_CHECK_MAPS, "%s at 0x%llx extends past the end of the file",
			what, (unsigned long long)ib);
		return;
	}
	for (s = first; s < last && s < c->nslots; s++) {
		if (c->used[s / 8] & (1u << (s % 8)))
			overlap = 1;
		c->used[s / 8] |= (uint8_t)(1u << (s % 8));
	}
	if (overlap && c->overlaps++ < MAX_OVERLAP_REPORTS)
		report(c, PS_CHECK_MAPS, "%s at 0x%llx overlaps other data", what,
			(unsigned long long)ib);
}

/* ---- header ------------------------------------------------------------- */

static void check_header(struct chk *c)
{
	const ps_ndb_header *h = c->h;
	uint64_t size = ps_ndb_size(c->ndb);

	if (h->crc_partial != h->crc_partial_calc)
		report(c, PS_CHECK_HEADER, "header: bad partial crc (stored 0x%08x, computed 0x%08x)",
			h->crc_partial, h->crc_partial_calc);
	if (h->unicode && h->crc_full != h->crc_full_calc)
		report(c, PS_CHECK_HEADER, "header: bad full crc (stored 0x%08x, computed 0x%08x)",
			h->crc_full, h->crc_full_calc);
	if (h->sentinel != 0x80)
		report(c, PS_CHECK_HEADER, "header: sentinel byte is 0x%02x, expected 0x80", h->sentinel);
	if (h->amap_valid == 0)
		note(c, PS_CHECK_HEADER, "header: the allocation maps are marked invalid (famapvalid 0): "
			"the next writer rebuilds them");
	else if (h->amap_valid > 2)
		report(c, PS_CHECK_HEADER, "header: famapvalid has unknown value %u", h->amap_valid);
	if (h->file_eof > size)
		report(c, PS_CHECK_HEADER,
			"header: file is truncated (header says %llu bytes, file has %llu)",
			(unsigned long long)h->file_eof, (unsigned long long)size);
	else if (h->file_eof < size)
		note(c, PS_CHECK_HEADER, "header: %llu bytes follow the end of file given in the header",
			(unsigned long long)(size - h->file_eof));
	if (h->file_eof > PS_NDB_AMAP_FIRST) {
		uint64_t n = (h->file_eof - PS_NDB_AMAP_FIRST + PS_NDB_AMAP_SPAN - 1) / PS_NDB_AMAP_SPAN;
		uint64_t last = PS_NDB_AMAP_FIRST + (n - 1) * PS_NDB_AMAP_SPAN;
		if (h->amap_last != last)
			report(c, PS_CHECK_HEADER, "header: last amap is at 0x%llx, header says 0x%llx",
				(unsigned long long)last, (unsigned long long)h->amap_last);
	} else {
		report(c, PS_CHECK_HEADER, "header: end of file 0x%llx is before the first amap",
			(unsigned long long)h->file_eof);
	}
}

/* ---- map pages ---------------------------------------------------------- */

struct amaps {
	size_t count;
	uint8_t (*bits)[496];
	uint8_t *ok;
	size_t pcount;         /* PMaps */
	uint8_t (*pbits)[496];
	uint8_t *pok;
};

static void check_maps(struct chk *c, struct amaps *am)
{
	uint8_t page[PS_NDB_PAGE_SIZE];
	size_t bits_at = c->h->unicode ? 0 : 4;   /* ANSI: 4 bytes of padding first */
	char why[200];
	uint64_t ib;
	size_t k;

	am->count = c->end > PS_NDB_AMAP_FIRST ?
		(size_t)((c->end - PS_NDB_AMAP_FIRST + PS_NDB_AMAP_SPAN - 1) / PS_NDB_AMAP_SPAN) : 0;
	am->bits = calloc(am->count ? am->count : 1, sizeof(*am->bits));
	am->ok = calloc(am->count ? am->count : 1, 1);
	if (!am->bits || !am->ok) {
		am->count = 0;
		return;
	}
	for (k = 0; k < am->count; k++) {
		ib = PS_NDB_AMAP_FIRST + (uint64_t)k * PS_NDB_AMAP_SPAN;
		if (ib + PS_NDB_PAGE_SIZE > c->end) {
			report(c, PS_CHECK_MAPS, "amap page at 0x%llx is missing (past the end of the file)",
				(unsigned long long)ib);
			continue;
		}
		c->sum->pages++;
		mark_used(c, ib, PS_NDB_PAGE_SIZE, "amap page");
		if (ps_ndb_read_raw(c->ndb, ib, page, sizeof(page)) < 0) {
			report(c, PS_CHECK_MAPS, "amap page at 0x%llx: %s", (unsigned long long)ib,
				last_reason(c->ndb));
			continue;
		}
		if (ps_ndb__page_check(c->ndb, page, ib, PS_PTYPE_AMAP, ib, why, sizeof(why)) < 0) {
			report(c, PS_CHECK_MAPS, "%s", why);
			continue;
		}
		memcpy(am->bits[k], page + bits_at, 496);
		am->ok[k] = 1;
	}
	/* PMaps: deprecated, but they must be there with valid trailers, and
	 * their zero bits are pages reserved in the AMap but still free. */
	am->pcount = c->end > PS_NDB_PMAP_FIRST ?
		(size_t)((c->end - PS_NDB_PMAP_FIRST + PS_NDB_PMAP_SPAN - 1) / PS_NDB_PMAP_SPAN) : 0;
	am->pbits = calloc(am->pcount ? am->pcount : 1, sizeof(*am->pbits));
	am->pok = calloc(am->pcount ? am->pcount : 1, 1);
	if (!am->pbits || !am->pok) {
		am->pcount = 0;
		return;
	}
	for (k = 0; k < am->pcount; k++) {
		ib = PS_NDB_PMAP_FIRST + (uint64_t)k * PS_NDB_PMAP_SPAN;
		if (ib + PS_NDB_PAGE_SIZE > c->end)
			continue;
		c->sum->pages++;
		mark_used(c, ib, PS_NDB_PAGE_SIZE, "pmap page");
		if (ps_ndb_read_raw(c->ndb, ib, page, sizeof(page)) < 0)
			continue;
		if (ps_ndb__page_check(c->ndb, page, ib, PS_PTYPE_PMAP, ib, why, sizeof(why)) < 0) {
			report(c, PS_CHECK_MAPS, "%s", why);
			continue;
		}
		memcpy(am->pbits[k], page + bits_at, 496);
		am->pok[k] = 1;
	}
}

static void check_dlist(struct chk *c)
{
	uint8_t page[PS_NDB_PAGE_SIZE];
	size_t tsize = ps_ndb__trailer_size(c->ndb);
	size_t max = (PS_NDB_PAGE_SIZE - tsize - 8) / 4;
	char why[200];
	size_t i;

	if (c->end < PS_NDB_DLIST_OFFSET + PS_NDB_PAGE_SIZE ||
	    ps_ndb_read_raw(c->ndb, PS_NDB_DLIST_OFFSET, page, sizeof(page)) < 0)
		return;
	/* Files from before the density list have zeros there. */
	for (i = 0; i < sizeof(page) && page[i] == 0; i++)
		;
	if (i == sizeof(page))
		return;
	c->sum->pages++;
	if (ps_ndb__page_check(c->ndb, page, PS_NDB_DLIST_OFFSET, PS_PTYPE_DL, UINT64_MAX,
			why, sizeof(why)) < 0) {
		report(c, PS_CHECK_MAPS, "%s", why);
		return;
	}
	if (page[1] > max)
		report(c, PS_CHECK_MAPS, "density list page has %u entries, room for %llu", page[1], (unsigned long long)max);
}

/* ---- B-trees ------------------------------------------------------------ */

struct bt_state {
	uint8_t ptype;
	int have_last;
	uint64_t last;
};

static int add_node(struct chk *c, const ps_nbt_entry *e)
{
	if (c->nnode == c->capnode) {
		size_t ncap = c->capnode ? c->capnode * 2 : 256;
		ps_nbt_entry *n = realloc(c->nodes, ncap * sizeof(*n));
		if (!n)
			return ps_error_set(PS_ENOMEM, "out of memory");
		c->nodes = n;
		c->capnode = ncap;
	}
	c->nodes[c->nnode++] = *e;
	return 0;
}

static int add_blk(struct chk *c, const ps_bbt_entry *e)
{
	struct blk *b;

	if (c->nblk == c->capblk) {
		size_t ncap = c->capblk ? c->capblk * 2 : 256;
		struct blk *n = realloc(c->blks, ncap * sizeof(*n));
		if (!n)
			return ps_error_set(PS_ENOMEM, "out of memory");
		c->blks = n;
		c->capblk = ncap;
	}
	b = &c->blks[c->nblk++];
	memset(b, 0, sizeof(*b));
	b->bid = PS_BID_KEY(e->bref.bid);
	b->ib = e->bref.ib;
	b->cb = e->cb;
	b->cref = e->cref;
	return 0;
}

/* Walk one page and its subtree. Damage is reported, and the subtree under
 * a damaged page skipped; keys must strictly increase over the whole walk
 * and each page is visited once, so the walk ends on any input. */
static int bt_check(struct chk *c, struct bt_state *st, const ps_bref *ref, int level,
	uint64_t lo, uint64_t hi, int *root_ok)
{
	const char *tree = st->ptype == PS_PTYPE_NBT ? "nbt" : "bbt";
	uint8_t raw[PS_NDB_PAGE_SIZE];
	ps_bt_page *page = NULL;
	char why[200];
	int i, rc = 0;

	if (ref->ib % PS_NDB_PAGE_SIZE != 0 || ref->ib < PS_NDB_AMAP_FIRST ||
	    ref->ib + PS_NDB_PAGE_SIZE > c->end) {
		report(c, PS_CHECK_BTREE, "%s page 0x%llx has an invalid offset 0x%llx", tree,
			(unsigned long long)ref->bid, (unsigned long long)ref->ib);
		return 0;
	}
	rc = pageset_add(&c->pages, ref->ib);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		report(c, PS_CHECK_BTREE, "%s page at 0x%llx is referenced more than once", tree,
			(unsigned long long)ref->ib);
		return 0;
	}
	c->sum->pages++;
	mark_used(c, ref->ib, PS_NDB_PAGE_SIZE, st->ptype == PS_PTYPE_NBT ? "nbt page" : "bbt page");
	if ((rc = ps_ndb_read_raw(c->ndb, ref->ib, raw, sizeof(raw))) < 0) {
		report(c, PS_CHECK_BTREE, "%s page at 0x%llx: %s", tree,
			(unsigned long long)ref->ib, last_reason(c->ndb));
		return rc == PS_ENOMEM ? rc : 0;
	}
	if (ps_ndb__page_check(c->ndb, raw, ref->ib, st->ptype, ref->bid, why, sizeof(why)) < 0) {
		report(c, PS_CHECK_BTREE, "%s", why);
		return 0;
	}
	page = malloc(sizeof(*page));
	if (!page)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (ps_ndb__bt_page_parse(c->ndb, raw, st->ptype, page, why, sizeof(why)) < 0) {
		report(c, PS_CHECK_BTREE, "%s at 0x%llx", why, (unsigned long long)ref->ib);
		goto cleanup;
	}
	if (root_ok)
		*root_ok = 1;
	if (ref->bid > c->max_page_bid)
		c->max_page_bid = ref->bid;
	if (level >= 0 && page->level != level) {
		report(c, PS_CHECK_BTREE, "%s page at 0x%llx has level %u, expected %d", tree,
			(unsigned long long)ref->ib, page->level, level);
		goto cleanup;
	}
	if (level >= 0 && page->count == 0)
		report(c, PS_CHECK_BTREE, "%s page at 0x%llx is empty", tree, (unsigned long long)ref->ib);
	for (i = 0; i < page->count; i++) {
		uint64_t key = page->keys[i];
		if ((st->have_last && key <= st->last) || key < lo || key >= hi) {
			report(c, PS_CHECK_BTREE, "%s page at 0x%llx: key 0x%llx is out of order", tree,
				(unsigned long long)ref->ib, (unsigned long long)key);
			continue;
		}
		if (page->level > 0) {
			uint64_t next = i + 1 < page->count ? page->keys[i + 1] : hi;
			if ((rc = bt_check(c, st, &page->children[i], page->level - 1, key, next,
					NULL)) < 0)
				goto cleanup;
			continue;
		}
		st->have_last = 1;
		st->last = key;
		if (st->ptype == PS_PTYPE_NBT) {
			if (key >> 32) {
				report(c, PS_CHECK_BTREE, "nbt page at 0x%llx: nid 0x%llx is wider than 32 bits",
					(unsigned long long)ref->ib, (unsigned long long)key);
				continue;
			}
			if ((rc = add_node(c, &page->nbt[i])) < 0)
				goto cleanup;
		} else if ((rc = add_blk(c, &page->bbt[i])) < 0) {
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	free(page);
	return rc;
}

static int check_btrees(struct chk *c)
{
	struct bt_state st;
	int ok = 0, rc;

	memset(&st, 0, sizeof(st));
	st.ptype = PS_PTYPE_BBT;
	if ((rc = bt_check(c, &st, &c->h->bbt, -1, 0, UINT64_MAX, &ok)) < 0)
		return rc;
	if (!ok)
		c->fatal = 1;
	ok = 0;
	memset(&st, 0, sizeof(st));
	st.ptype = PS_PTYPE_NBT;
	if ((rc = bt_check(c, &st, &c->h->nbt, -1, 0, UINT64_MAX, &ok)) < 0)
		return rc;
	if (!ok)
		c->fatal = 1;
	c->sum->nodes = (unsigned)c->nnode;
	c->sum->blocks = (unsigned)c->nblk;
	return 0;
}

/* ---- blocks and references ---------------------------------------------- */

static void check_blocks(struct chk *c)
{
	uint64_t max_bid = 0;
	char why[200];
	size_t i;

	for (i = 0; i < c->nblk; i++) {
		struct blk *b = &c->blks[i];
		ps_bbt_entry e;
		uint8_t *raw = NULL;
		if (b->bid > max_bid)
			max_bid = b->bid;
		e.bref.bid = b->bid;
		e.bref.ib = b->ib;
		e.cb = b->cb;
		e.cref = b->cref;
		if (ps_ndb__block_read_raw(c->ndb, &e, &raw, why, sizeof(why)) < 0) {
			report(c, PS_CHECK_BLOCKS, "%s", why);
			b->bad = 1;
			continue;
		}
		free(raw);
		mark_used(c, b->ib, ps_ndb__block_disk_size(c->ndb, b->cb), "block");
		if (b->cref == 0)
			report(c, PS_CHECK_REFS, "block 0x%llx has a reference count of 0",
				(unsigned long long)b->bid);
	}
	if (c->max_page_bid && c->h->bid_next_p <= c->max_page_bid)
		report(c, PS_CHECK_HEADER, "header: next page id 0x%llx is not above page 0x%llx",
			(unsigned long long)c->h->bid_next_p, (unsigned long long)c->max_page_bid);
	if (c->nblk > 0 && c->h->bid_next_b <= max_bid)
		report(c, PS_CHECK_HEADER, "header: next block id 0x%llx is not above block 0x%llx",
			(unsigned long long)c->h->bid_next_b, (unsigned long long)max_bid);
}

/* Count one reference to @p bid, from @p from (for messages). */
static struct blk *ref_block(struct chk *c, uint64_t bid, const char *from)
{
	struct blk *b = blk_find(c, bid);

	if (!b) {
		report(c, PS_CHECK_REFS, "%s refers to block 0x%llx, which does not exist", from,
			(unsigned long long)bid);
		return NULL;
	}
	b->refs++;
	return b;
}

static void walk_data_tree(struct chk *c, uint64_t bid, const char *from, int depth);
static void walk_sub_tree(struct chk *c, uint64_t bid, const char *from, int depth);

/* Count the references of the tree under @p b, once per internal block. */
static void walk_data_tree(struct chk *c, uint64_t bid, const char *from, int depth)
{
	struct blk *b = ref_block(c, bid, from);
	size_t bidsize = c->h->unicode ? 8 : 4, i, n;
	uint8_t *data = NULL;
	size_t size = 0;
	char what[64];

	if (!b || b->bad || b->walked || !(bid & PS_BID_INTERNAL))
		return;
	b->walked = 1;
	if (depth > 2) {
		report(c, PS_CHECK_BLOCKS, "xblock 0x%llx is nested too deep", (unsigned long long)bid);
		return;
	}
	if (ps_ndb_block_read(c->ndb, bid, &data, &size, NULL) < 0) {
		report(c, PS_CHECK_BLOCKS, "%s", last_reason(c->ndb));
		return;
	}
	if (size < 8 || data[0] != 0x01 || data[1] < 1 || data[1] > 2 ||
	    8 + (size_t)ps_get16(data + 2) * bidsize > size) {
		report(c, PS_CHECK_BLOCKS, "block 0x%llx (%s) is not a valid xblock",
			(unsigned long long)bid, from);
		goto cleanup;
	}
	n = ps_get16(data + 2);
	snprintf(what, sizeof(what), "xblock 0x%llx", (unsigned long long)bid);
	for (i = 0; i < n; i++) {
		const uint8_t *p = data + 8 + i * bidsize;
		walk_data_tree(c, bidsize == 8 ? ps_get64(p) : ps_get32(p), what, depth + 1);
	}
cleanup:
	free(data);
}

static void walk_sub_tree(struct chk *c, uint64_t bid, const char *from, int depth)
{
	struct blk *b = ref_block(c, bid, from);
	int uni = c->h->unicode;
	size_t head = uni ? 8 : 4, i, n, esize;
	uint8_t *data = NULL;
	size_t size = 0;
	char what[64];

	if (!b || b->bad || b->walked)
		return;
	b->walked = 1;
	if (!(bid & PS_BID_INTERNAL) || depth > MAX_SUB_DEPTH) {
		report(c, PS_CHECK_BLOCKS, "block 0x%llx (%s) is not a valid subnode block",
			(unsigned long long)bid, from);
		return;
	}
	if (ps_ndb_block_read(c->ndb, bid, &data, &size, NULL) < 0) {
		report(c, PS_CHECK_BLOCKS, "%s", last_reason(c->ndb));
		return;
	}
	esize = size >= 2 && data[1] == 0 ? (uni ? 24 : 12) : (uni ? 16 : 8);
	if (size < head || data[0] != 0x02 || head + (size_t)ps_get16(data + 2) * esize > size) {
		report(c, PS_CHECK_BLOCKS, "block 0x%llx (%s) is not a valid subnode block",
			(unsigned long long)bid, from);
		goto cleanup;
	}
	n = ps_get16(data + 2);
	for (i = 0; i < n; i++) {
		const uint8_t *p = data + head + i * esize;
		uint32_t nid = ps_get32(p);
		if (data[1] > 0) {
			snprintf(what, sizeof(what), "siblock 0x%llx", (unsigned long long)bid);
			walk_sub_tree(c, uni ? ps_get64(p + 8) : ps_get32(p + 4), what, depth + 1);
			continue;
		}
		uint64_t bd = uni ? ps_get64(p + 8) : ps_get32(p + 4);
		uint64_t bs = uni ? ps_get64(p + 16) : ps_get32(p + 8);
		snprintf(what, sizeof(what), "subnode 0x%x in block 0x%llx", nid, (unsigned long long)bid);
		walk_data_tree(c, bd, what, 0);
		if (bs)
			walk_sub_tree(c, bs, what, depth + 1);
	}
cleanup:
	free(data);
}

static void check_refs(struct chk *c)
{
	uint32_t next_index[32];
	char what[64];
	size_t i;

	memset(next_index, 0, sizeof(next_index));
	for (i = 0; i < c->nnode; i++) {
		const ps_nbt_entry *e = &c->nodes[i];
		snprintf(what, sizeof(what), "node 0x%x", e->nid);
		/* bidData 0 is an empty node (Outlook's empty queues). */
		if (e->bid_data)
			walk_data_tree(c, e->bid_data, what, 0);
		if (e->bid_sub)
			walk_sub_tree(c, e->bid_sub, what, 0);
		if (e->nid_parent && !node_find(c, e->nid_parent))
			report(c, PS_CHECK_REFS, "node 0x%x has parent 0x%x, which does not exist",
				e->nid, e->nid_parent);
	}
	for (i = 0; i < c->nblk; i++) {
		struct blk *b = &c->blks[i];
		if (b->bad)
			continue;
		/* A block nothing refers to with cRef 1 (the BBT's own
		 * reference) is consistent: Outlook leaves such blocks for
		 * later reuse. With a higher count it is an orphan. */
		if (b->refs == 0 && b->cref > 1)
			report(c, PS_CHECK_REFS,
				"block 0x%llx at 0x%llx is not referenced by any node (orphan, reference count %u)",
				(unsigned long long)b->bid, (unsigned long long)b->ib, b->cref);
		else if (b->cref != b->refs + 1u)
			report(c, PS_CHECK_REFS,
				"block 0x%llx has reference count %u, expected %u (%u references found)",
				(unsigned long long)b->bid, b->cref, b->refs + 1u, b->refs);
	}
}

/* ---- allocation maps ---------------------------------------------------- */

/* Is the page holding @p off reserved-but-free in its PMap (bit 0)?
 * -1 when the PMap is unknown. */
static int pmap_free(const struct amaps *am, uint64_t off)
{
	uint64_t rel = off - PS_NDB_AMAP_FIRST;
	size_t k = (size_t)(rel / PS_NDB_PMAP_SPAN);
	size_t p = (size_t)((rel % PS_NDB_PMAP_SPAN) / PS_NDB_PAGE_SIZE);

	if (k >= am->pcount || !am->pok[k])
		return -1;
	return !((am->pbits[k][p / 8] >> (7 - p % 8)) & 1);
}

static int slot_used(const struct chk *c, uint64_t off)
{
	uint64_t s = off / SLOT;

	return s < c->nslots && ((c->used[s / 8] >> (s % 8)) & 1);
}

/* Pages the PMaps give as reserved and free: they must be allocated in the
 * AMap and unused; their total is cbPMapFree. */
static void check_pmap(struct chk *c, const struct amaps *am)
{
	uint64_t off, pages = 0;
	unsigned reports = 0;
	int j;

	for (off = PS_NDB_AMAP_FIRST; off + PS_NDB_PAGE_SIZE <= c->end; off += PS_NDB_PAGE_SIZE) {
		if (pmap_free(am, off) != 1)
			continue;
		pages++;
		for (j = 0; j < 8; j++) {
			if (slot_used(c, off + (uint64_t)j * SLOT)) {
				if (reports++ < MAX_MAP_REPORTS)
					report(c, PS_CHECK_MAPS, "page 0x%llx is free in the pmap but in use",
						(unsigned long long)off);
				break;
			}
		}
	}
	if (pages * PS_NDB_PAGE_SIZE != c->h->pmap_free)
		report(c, PS_CHECK_MAPS, "header: cbpmapfree is %llu, the pmaps have %llu bytes free",
			(unsigned long long)c->h->pmap_free,
			(unsigned long long)(pages * PS_NDB_PAGE_SIZE));
}

/* FMap and FPMap pages exist only past the first 128 AMaps (files over
 * about 32 MB). Rather than assume their offsets, take any allocated page
 * that nothing else uses and that carries a valid FMap or FPMap trailer as
 * one (and mark it used); anything else stays a leak. */
static void find_free_maps(struct chk *c, const struct amaps *am)
{
	uint8_t page[PS_NDB_PAGE_SIZE];
	char why[200];
	uint64_t off;
	int j;

	if (am->count <= 128)
		return;
	for (off = PS_NDB_AMAP_FIRST + 128ull * PS_NDB_AMAP_SPAN; off + PS_NDB_PAGE_SIZE <= c->end;
	     off += PS_NDB_PAGE_SIZE) {
		for (j = 0; j < 8 && !slot_used(c, off + (uint64_t)j * SLOT); j++)
			;
		if (j < 8 || ps_ndb_read_raw(c->ndb, off, page, sizeof(page)) < 0)
			continue;
		if (ps_ndb__page_check(c->ndb, page, off, PS_PTYPE_FMAP, off, why, sizeof(why)) == 0 ||
		    ps_ndb__page_check(c->ndb, page, off, PS_PTYPE_FPMAP, off, why, sizeof(why)) == 0) {
			c->sum->pages++;
			mark_used(c, off, PS_NDB_PAGE_SIZE, "fmap page");
		}
	}
}

static void check_alloc(struct chk *c, const struct amaps *am)
{
	uint64_t free_bits = 0;
	unsigned reports = 0;
	size_t k, i;

	if (c->h->amap_valid == 0)
		return;            /* reported; Outlook rebuilds them */
	find_free_maps(c, am);
	check_pmap(c, am);
	for (k = 0; k < am->count; k++) {
		uint64_t base = PS_NDB_AMAP_FIRST + (uint64_t)k * PS_NDB_AMAP_SPAN;
		uint64_t run_start = 0;
		int run_kind = 0;  /* 1: used but free in the map, 2: allocated but unused */
		if (!am->ok[k])
			continue;
		for (i = 0; i <= 496 * 8; i++) {
			uint64_t off = base + (uint64_t)i * SLOT;
			int kind = 0;
			if (i < 496 * 8 && off < c->end) {
				int bit = (am->bits[k][i / 8] >> (7 - i % 8)) & 1;
				uint64_t s = off / SLOT;
				int inuse = (c->used[s / 8] >> (s % 8)) & 1;
				if (!bit)
					free_bits++;
				kind = inuse && !bit ? 1 : (!inuse && bit ? 2 : 0);
				/* Reserved for pages by the PMap: allocated, unused. */
				if (kind == 2 && pmap_free(am, off - (off - PS_NDB_AMAP_FIRST) %
						PS_NDB_PAGE_SIZE) == 1)
					kind = 0;
			} else if (i < 496 * 8) {
				/* Past the end: not free, whatever the bit says. */
				kind = 0;
			}
			if (kind != run_kind) {
				if (run_kind && reports++ < MAX_MAP_REPORTS)
					report(c, PS_CHECK_MAPS, run_kind == 1 ?
						"space 0x%llx-0x%llx is in use but free in the amap at 0x%llx" :
						"space 0x%llx-0x%llx is allocated in the amap at 0x%llx but not used",
						(unsigned long long)run_start, (unsigned long long)off,
						(unsigned long long)base);
				run_kind = kind;
				run_start = off;
			}
		}
	}
	if (reports > MAX_MAP_REPORTS)
		report(c, PS_CHECK_MAPS, "%u more amap mismatches", reports - MAX_MAP_REPORTS);
	if (free_bits * SLOT != c->h->amap_free)
		report(c, PS_CHECK_MAPS, "header: cbamapfree is %llu, the amaps have %llu bytes free",
			(unsigned long long)c->h->amap_free, (unsigned long long)(free_bits * SLOT));
}

/* ---- LTP ---------------------------------------------------------------- */

static int must_be_pc(uint32_t nid)
{
	switch (PS_NID_TYPE(nid)) {
	case PS_NID_TYPE_NORMAL_FOLDER: case PS_NID_TYPE_SEARCH_FOLDER:
	case PS_NID_TYPE_NORMAL_MESSAGE: case PS_NID_TYPE_ATTACHMENT:
	case PS_NID_TYPE_ASSOC_MESSAGE:
		return 1;
	default:
		return nid == PS_NID_MESSAGE_STORE || nid == PS_NID_NAME_TO_ID_MAP;
	}
}

static int must_be_tc(uint32_t nid)
{
	switch (PS_NID_TYPE(nid)) {
	case PS_NID_TYPE_HIERARCHY_TABLE: case PS_NID_TYPE_CONTENTS_TABLE:
	case PS_NID_TYPE_ASSOC_CONTENTS_TABLE: case PS_NID_TYPE_SEARCH_CONTENTS_TABLE:
	case PS_NID_TYPE_ATTACHMENT_TABLE: case PS_NID_TYPE_RECIPIENT_TABLE:
		return 1;
	default:
		return 0;
	}
}

/* bClientSig values [MS-PST] 2.3.1.2 reserves; Outlook uses 0xAC for some
 * search tables. Their layout is not documented, so they are not checked. */
static int reserved_client_sig(uint8_t sig)
{
	return sig == 0x6C || sig == 0x8C || sig == 0x9C || sig == 0xA5 || sig == 0xAC ||
		sig == 0xCC;
}

static void check_mv(struct chk *c, const char *what, const ps_ltp_value *p)
{
	uint16_t base = p->type & ~PS_PT_MV;
	int fixed = ps_prop_type_size(base);
	size_t n, i, prev;

	if (fixed > 0) {
		if (p->size % (size_t)fixed != 0)
			report(c, PS_CHECK_LTP, "%s: multi-valued property 0x%04x is %llu bytes, not whole %d-byte values",
				what, p->id, (unsigned long long)p->size, fixed);
		return;
	}
	if (p->size == 0)
		return;
	if (p->size < 4 || 4 + 4 * (uint64_t)ps_get32(p->value) > p->size) {
		report(c, PS_CHECK_LTP, "%s: multi-valued property 0x%04x has a bad value count", what, p->id);
		return;
	}
	n = ps_get32(p->value);
	prev = 4 + 4 * n;
	for (i = 0; i < n; i++) {
		size_t off = ps_get32(p->value + 4 + 4 * i);
		if (off < prev || off > p->size) {
			report(c, PS_CHECK_LTP, "%s: multi-valued property 0x%04x has a bad offset %llu",
				what, p->id, (unsigned long long)off);
			return;
		}
		prev = off;
	}
}

static void check_pc_props(struct chk *c, const ps_pc *pc)
{
	size_t i, zero = 0;

	for (i = 0; i < pc->count; i++) {
		const ps_ltp_value *p = &pc->props[i];
		int fixed = ps_prop_type_size(p->type);
		if (p->type == PS_PT_UNSPECIFIED) {
			zero++;
			continue;
		}
		if (fixed < 0) {
			report(c, PS_CHECK_LTP, "%s: property 0x%04x has invalid type 0x%04x",
				pc->hn.what, p->id, p->type);
			continue;
		}
		if (fixed > 4 && p->size != (size_t)fixed)
			report(c, PS_CHECK_LTP, "%s: property 0x%04x of type 0x%04x is %llu bytes, expected %d",
				pc->hn.what, p->id, p->type, (unsigned long long)p->size, fixed);
		else if (p->type == PS_PT_UNICODE && p->size % 2 != 0)
			report(c, PS_CHECK_LTP, "%s: unicode property 0x%04x has an odd size %llu",
				pc->hn.what, p->id, (unsigned long long)p->size);
		else if (p->type & PS_PT_MV)
			check_mv(c, pc->hn.what, p);
	}
	if (zero)
		report(c, PS_CHECK_LTP, "%s: %llu propert%s of type 0x0000 (unspecified)%s",
			pc->hn.what, (unsigned long long)zero, zero == 1 ? "y" : "ies",
			pc->disorder ? ", stored out of key order" : "");
	else if (pc->disorder)
		report(c, PS_CHECK_LTP, "%s: property context has %llu records out of key order",
			pc->hn.what, (unsigned long long)pc->disorder);
}

static void check_tc_rows(struct chk *c, const ps_tc *tc)
{
	uint8_t *seen = NULL;
	size_t r, k;
	int idcol;

	if (tc->odd_cols)
		report(c, PS_CHECK_LTP, "%s: %llu table column%s wider than %s type", tc->hn.what,
			(unsigned long long)tc->odd_cols, tc->odd_cols == 1 ? " is" : "s are", tc->odd_cols == 1 ? "its" : "their");
	/* 2.3.4.4: every block of a row matrix but the last MUST be full
	 * (rows, then padding); readers find a row by arithmetic on that */
	for (r = 0; tc->matrix_sizes && r + 1 < tc->matrix_blocks; r++) {
		if (tc->matrix_sizes[r] != ps_ndb__block_data_max(c->ndb)) {
			report(c, PS_CHECK_LTP, "%s: row matrix block %llu of %llu is %llu bytes, not a full "
				"block of %llu ([MS-PST] 2.3.4.4; 'check --repair' pads it)", tc->hn.what,
				(unsigned long long)r + 1, (unsigned long long)tc->matrix_blocks,
				(unsigned long long)tc->matrix_sizes[r],
				(unsigned long long)ps_ndb__block_data_max(c->ndb));
			break;
		}
	}
	seen = calloc(tc->matrix_rows + 1, 1);
	if (!seen)
		return;
	idcol = ps_tc_col_find(tc, ((uint32_t)PID_LTP_ROW_ID << 16) | PS_PT_LONG);
	for (r = 0; r < tc->row_count; r++) {
		const uint8_t *row = ps_tc_row_data(tc, r);
		if (seen[tc->rows[r].index]++) {
			report(c, PS_CHECK_LTP, "%s: two rows share position %u of the row matrix",
				tc->hn.what, tc->rows[r].index);
			continue;
		}
		if (idcol >= 0 && ps_get32(row + tc->cols[idcol].offset) != tc->rows[r].id)
			report(c, PS_CHECK_LTP, "%s: row index names row 0x%x, the row holds 0x%x",
				tc->hn.what, tc->rows[r].id, ps_get32(row + tc->cols[idcol].offset));
		for (k = 0; k < tc->col_count; k++) {
			ps_ltp_value v;
			int rc = ps_tc_cell(tc, r, k, &v);
			if (rc < 0 && rc != PS_ENOTFOUND)
				report(c, PS_CHECK_LTP, "row 0x%x column 0x%08x: %s", tc->rows[r].id,
					tc->cols[k].tag, last_reason(c->ndb));
			ps_ltp_value_clear(&v);
		}
	}
	free(seen);
}

/* Check the LTP structures of one node (or subnode) and of its subnodes. */
static void check_ltp_node(struct chk *c, const char *what, uint32_t nid, uint64_t bid_data,
	uint64_t bid_sub, int depth)
{
	ps_hn hn;
	size_t i;

	if (depth > MAX_SUB_DEPTH)
		return;
	if (ps_hn_open(&hn, c->ndb, what, nid, bid_data, bid_sub) < 0) {
		if (must_be_pc(nid) || must_be_tc(nid))
			report(c, PS_CHECK_LTP, "%s", last_reason(c->ndb));
		return;
	}
	if (hn.client_sig == PS_HN_CLIENT_PC) {
		ps_pc pc;
		if (must_be_tc(nid))
			report(c, PS_CHECK_LTP, "%s: is a property context, a table was expected", what);
		if (ps_pc_open(&pc, c->ndb, what, nid, bid_data, bid_sub) < 0) {
			report(c, PS_CHECK_LTP, "%s", last_reason(c->ndb));
		} else {
			check_pc_props(c, &pc);
			ps_pc_close(&pc);
		}
	} else if (hn.client_sig == PS_HN_CLIENT_TC) {
		ps_tc tc;
		if (must_be_pc(nid))
			report(c, PS_CHECK_LTP, "%s: is a table, a property context was expected", what);
		if (ps_tc_open(&tc, c->ndb, what, nid, bid_data, bid_sub) < 0) {
			report(c, PS_CHECK_LTP, "%s", last_reason(c->ndb));
		} else {
			check_tc_rows(c, &tc);
			ps_tc_close(&tc);
		}
	} else if (!reserved_client_sig(hn.client_sig) && (must_be_pc(nid) || must_be_tc(nid))) {
		report(c, PS_CHECK_LTP, "%s: heap has unknown client signature 0x%02x", what,
			hn.client_sig);
	}
	/* Subnodes of messages and attachments: attachments, their tables,
	 * embedded messages. Value subnodes (type 0x1F) are plain data. */
	for (i = 0; i < hn.sub.count; i++) {
		const ps_sl_entry *e = &hn.sub.entries[i];
		char sub[128];
		if (PS_NID_TYPE(e->nid) == PS_NID_TYPE_LTP || PS_NID_TYPE(e->nid) == PS_NID_TYPE_HID)
			continue;
		snprintf(sub, sizeof(sub), "subnode 0x%x of %.100s", e->nid, what);
		check_ltp_node(c, sub, e->nid, e->bid_data, e->bid_sub, depth + 1);
	}
	ps_hn_close(&hn);
}

static void check_ltp(struct chk *c)
{
	char what[64];
	size_t i;

	for (i = 0; i < c->nnode; i++) {
		const ps_nbt_entry *e = &c->nodes[i];
		struct blk *b = blk_find(c, e->bid_data);
		if (!b || b->bad)
			continue;
		snprintf(what, sizeof(what), "node 0x%x", e->nid);
		check_ltp_node(c, what, e->nid, e->bid_data, e->bid_sub, 0);
	}
}

/* ---- messaging ---------------------------------------------------------- */

static int prop_equal(const ps_ltp_value *a, const ps_ltp_value *b)
{
	return a->size == b->size && (a->size == 0 || memcmp(a->value, b->value, a->size) == 0);
}

static long long prop_int(const ps_ltp_value *p)
{
	if (!p || !p->value)
		return -1;
	if (p->size == 1)
		return p->value[0];
	if (p->size == 2)
		return ps_get16(p->value);
	if (p->size >= 4)
		return ps_get32(p->value);
	return -1;
}

/* Compare column @p id of row @p r with the same property of @p pc. */
static void compare_cell(struct chk *c, const ps_tc *tc, size_t r, const ps_pc *pc,
	uint16_t id, const char *name, const char *folder_what, uint32_t nid)
{
	const ps_ltp_value *p = ps_pc_find(pc, id);
	int col = ps_tc_col_find_id(tc, id);
	ps_ltp_value v;
	int rc;

	if (col < 0)
		return;
	rc = ps_tc_cell(tc, r, (size_t)col, &v);
	if (rc == PS_ENOTFOUND) {
		if (p)
			report(c, PS_CHECK_MESSAGING, "%s: row of 0x%x has no %s, the object has one",
				folder_what, nid, name);
		return;
	}
	if (rc < 0)
		return;            /* reported by the LTP checks */
	if (!p)
		report(c, PS_CHECK_MESSAGING, "%s: row of 0x%x has a %s, the object has none",
			folder_what, nid, name);
	else if (p->type != v.type || !prop_equal(p, &v))
		report(c, PS_CHECK_MESSAGING, "%s: %s of 0x%x differs between the row and the object",
			folder_what, name, nid);
	ps_ltp_value_clear(&v);
}

/* The row of @p id: the row index gave the rows in increasing id order. */
static int find_row(const ps_tc *tc, uint32_t id)
{
	size_t lo = 0, hi = tc->row_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tc->rows[mid].id == id)
			return (int)mid;
		if (tc->rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Check table @p tnid of folder @p fnid against the nodes of type @p type
 * whose parent is the folder. Returns the number of rows, or -1. */
static long check_folder_table(struct chk *c, uint32_t fnid, uint32_t tnid, const char *tname,
	unsigned (*types)(uint32_t), long *unread)
{
	const ps_nbt_entry *te = node_find(c, tnid);
	char what[96];
	uint8_t *found = NULL;
	ps_tc tc;
	size_t r, i;
	long rows;

	*unread = 0;
	snprintf(what, sizeof(what), "folder 0x%x %s", fnid, tname);
	if (!te) {
		report(c, PS_CHECK_MESSAGING, "folder 0x%x has no %s (node 0x%x)", fnid, tname, tnid);
		return -1;
	}
	if (ps_tc_open(&tc, c->ndb, what, tnid, te->bid_data, te->bid_sub) < 0)
		return -1;         /* reported by the LTP checks */
	found = calloc(tc.row_count + 1, 1);
	if (!found) {
		ps_tc_close(&tc);
		return -1;
	}
	for (i = 0; i < c->nnode; i++) {
		const ps_nbt_entry *e = &c->nodes[i];
		int row = -1;
		ps_pc pc;
		if (e->nid_parent != fnid || e->nid == fnid || !types(e->nid))
			continue;
		row = find_row(&tc, e->nid);
		if (row < 0) {
			report(c, PS_CHECK_MESSAGING, "%s: 0x%x has no row", what, e->nid);
			continue;
		}
		found[row] = 1;
		if (ps_pc_open(&pc, c->ndb, "", e->nid, e->bid_data, e->bid_sub) < 0)
			continue;      /* reported by the LTP checks */
		if (PS_NID_TYPE(e->nid) == PS_NID_TYPE_NORMAL_MESSAGE ||
		    PS_NID_TYPE(e->nid) == PS_NID_TYPE_ASSOC_MESSAGE) {
			const ps_ltp_value *flags = ps_pc_find(&pc, PID_MESSAGE_FLAGS);
			c->sum->messages++;
			if (flags && !(prop_int(flags) & MSGFLAG_READ))
				(*unread)++;
			/* PidTagMessageSize is not compared: two Outlook-made
			 * files have rows smaller than the message's own value,
			 * and that value is Outlook's estimate, not a size that
			 * can be recomputed from the file. */
			compare_cell(c, &tc, (size_t)row, &pc, PID_MESSAGE_CLASS, "message class", what, e->nid);
			compare_cell(c, &tc, (size_t)row, &pc, PID_SUBJECT, "subject", what, e->nid);
		} else {
			compare_cell(c, &tc, (size_t)row, &pc, PID_DISPLAY_NAME, "display name", what, e->nid);
			compare_cell(c, &tc, (size_t)row, &pc, PID_CONTENT_COUNT, "content count", what, e->nid);
			compare_cell(c, &tc, (size_t)row, &pc, PID_CONTENT_UNREAD, "unread count", what, e->nid);
			compare_cell(c, &tc, (size_t)row, &pc, PID_SUBFOLDERS, "subfolders flag", what, e->nid);
		}
		ps_pc_close(&pc);
	}
	for (r = 0; r < tc.row_count; r++) {
		if (!found[r])
			report(c, PS_CHECK_MESSAGING, "%s: row 0x%x names no %s of this folder", what,
				tc.rows[r].id, node_find(c, tc.rows[r].id) ? "object" : "existing object");
	}
	rows = (long)tc.row_count;
	free(found);
	ps_tc_close(&tc);
	return rows;
}

static unsigned is_folder(uint32_t nid)
{
	return PS_NID_TYPE(nid) == PS_NID_TYPE_NORMAL_FOLDER ||
		PS_NID_TYPE(nid) == PS_NID_TYPE_SEARCH_FOLDER;
}

static unsigned is_message(uint32_t nid)
{
	return PS_NID_TYPE(nid) == PS_NID_TYPE_NORMAL_MESSAGE;
}

static unsigned is_assoc(uint32_t nid)
{
	return PS_NID_TYPE(nid) == PS_NID_TYPE_ASSOC_MESSAGE;
}

static void check_count(struct chk *c, const ps_pc *pc, uint32_t fnid, uint16_t id,
	const char *name, long want)
{
	const ps_ltp_value *p = ps_pc_find(pc, id);

	if (want < 0 || !p)
		return;
	if (prop_int(p) != want)
		report(c, PS_CHECK_MESSAGING, "folder 0x%x: %s is %lld, the folder holds %ld",
			fnid, name, prop_int(p), want);
}

static void check_messaging(struct chk *c)
{
	size_t i;

	for (i = 0; i < c->nnode; i++) {
		const ps_nbt_entry *e = &c->nodes[i];
		uint32_t base = e->nid & ~0x1Fu;
		long subs, msgs, assoc, unread, unused;
		const ps_ltp_value *p;
		ps_pc pc;
		if (PS_NID_TYPE(e->nid) != PS_NID_TYPE_NORMAL_FOLDER)
			continue;
		c->sum->folders++;
		if (ps_pc_open(&pc, c->ndb, "", e->nid, e->bid_data, e->bid_sub) < 0)
			continue;      /* reported by the LTP checks */
		subs = check_folder_table(c, e->nid, base | PS_NID_TYPE_HIERARCHY_TABLE,
			"hierarchy table", is_folder, &unused);
		msgs = check_folder_table(c, e->nid, base | PS_NID_TYPE_CONTENTS_TABLE,
			"contents table", is_message, &unread);
		assoc = check_folder_table(c, e->nid, base | PS_NID_TYPE_ASSOC_CONTENTS_TABLE,
			"associated contents table", is_assoc, &unused);
		check_count(c, &pc, e->nid, PID_CONTENT_COUNT, "content count", msgs);
		check_count(c, &pc, e->nid, PID_CONTENT_UNREAD, "unread count", msgs < 0 ? -1 : unread);
		/* PidTagAssociatedContentCount is not checked: Outlook keeps
		 * the mailbox's count there (228 with no rows in a sample). */
		(void)assoc;
		p = ps_pc_find(&pc, PID_SUBFOLDERS);
		if (p && subs >= 0 && (prop_int(p) != 0) != (subs > 0))
			report(c, PS_CHECK_MESSAGING, "folder 0x%x: subfolders flag is %d, it has %ld subfolders",
				e->nid, prop_int(p) != 0, subs);
		ps_pc_close(&pc);
	}
}

/* ---- entry points ------------------------------------------------------- */

int ps_check__run(ps_ndb *ndb, ps_check_report_cb cb, void *ctx, ps_check_summary *out)
{
	ps_check_summary local;
	struct amaps am;
	struct chk c;
	int rc = 0;

	if (!out)
		out = &local;
	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	memset(&am, 0, sizeof(am));
	c.ndb = ndb;
	c.h = ps_ndb_header_get(ndb);
	c.cb = cb;
	c.ctx = ctx;
	c.sum = out;
	out->unicode = c.h->unicode;
	c.end = ps_ndb_size(ndb) < c.h->file_eof ? ps_ndb_size(ndb) : c.h->file_eof;
	c.nslots = (size_t)((c.end + SLOT - 1) / SLOT);
	c.used = calloc(c.nslots / 8 + 1, 1);
	if (!c.used) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	check_header(&c);
	check_maps(&c, &am);
	check_dlist(&c);
	if ((rc = check_btrees(&c)) < 0)
		goto cleanup;
	if (c.fatal) {
		rc = ps_error_set(PS_ECORRUPT, "cannot check '%s': a b-tree root page is unreadable",
			ps_ndb_name(ndb));
		goto cleanup;
	}
	check_blocks(&c);
	check_refs(&c);
	check_alloc(&c, &am);
	check_ltp(&c);
	check_messaging(&c);
cleanup:
	free(am.bits);
	free(am.ok);
	free(am.pbits);
	free(am.pok);
	free(c.blks);
	free(c.nodes);
	free(c.pages.slots);
	free(c.used);
	return rc;
}

int ps_pst_check(const char *path, ps_check_report_cb cb, void *ctx, ps_check_summary *out)
{
	ps_ndb *ndb = NULL;
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	/* an OST's pages and blocks are a PST's: checked alike, never written */
	if ((rc = ps_ndb_open(&ndb, path, PS_NDB_OPEN_LENIENT | PS_NDB_OPEN_OST)) < 0)
		return rc;
	rc = ps_check__run(ndb, cb, ctx, out);
	ps_ndb_close(ndb);
	return rc;
}

int ps_pst_check_mem(const void *data, size_t size, const char *name,
	ps_check_report_cb cb, void *ctx, ps_check_summary *out)
{
	ps_ndb *ndb = NULL;
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if ((rc = ps_ndb_open_mem(&ndb, data, size, name, PS_NDB_OPEN_LENIENT)) < 0)
		return rc;
	rc = ps_check__run(ndb, cb, ctx, out);
	ps_ndb_close(ndb);
	return rc;
}

int ps_pst_sizes(const char *path, unsigned long long *header_size, unsigned long long *file_size)
{
	ps_ndb *ndb = NULL;
	int rc;

	*header_size = *file_size = 0;
	if ((rc = ps_ndb_open(&ndb, path, PS_NDB_OPEN_LENIENT | PS_NDB_OPEN_OST)) < 0)
		return rc;
	*header_size = ps_ndb_header_get(ndb)->file_eof;
	*file_size = ps_ndb_size(ndb);
	ps_ndb_close(ndb);
	return *header_size > *file_size;
}
