/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The NDB write layer of a Unicode PST (see ndb_write.h): space allocation
 * through the AMaps, blocks and their trees, copy-on-write updates of the
 * NBT and BBT, and the commit that makes a transaction durable in an order
 * that survives a crash at any instant.
 *
 * A transaction lives in memory until it commits. New blocks are encoded
 * and given their trailer at once, B-tree pages are copied when first
 * changed; both get their final place in free space straight away and are
 * kept in a table keyed by file offset (the "extents"). The store's read
 * callback looks there first and the in-memory header holds the
 * transaction's roots, so every read through the ndb sees the transaction.
 * Space that the committed B-trees reference is never handed out before the
 * commit is durable: the allocator works on a bitmap that still has it
 * allocated, and releases it only in step 4 of the commit.
 *
 * Three allocation bitmaps are kept, in the AMaps' own layout (one bit per
 * 64 bytes from 0x4400, most significant bit first): the working one of the
 * open transaction, the committed one, and what the AMap pages on disk say.
 * The last lets a commit write only the AMap pages that changed.
 */
#include "pst/ndb_write.h"

#include "pstsync/errors.h"
#include "pstsync/os.h"

#include <stdlib.h>
#include <string.h>

#define SLOT 64u                        /* bytes per AMap bit */
#define AMAP_SLOTS 3968u                /* slots one AMap maps (496 * 8) */
#define AMAP_BYTES 496u
#define PAGE_SLOTS 8u
#define HEADER_SIZE 564u                /* Unicode HEADER */
#define ROOT 180u                       /* offset of ROOT in it */
#define TRAILER 16u
#define NBT_LEAF_MAX 15                 /* 488 / 32, as Outlook */
#define BBT_LEAF_MAX 20                 /* 488 / 24 */
#define BT_INNER_MAX 20                 /* 488 / 24 */
#define BT_SLOTS (BT_INNER_MAX + 1)     /* one entry of overflow before a split */
#define XBLOCK_FULL 1021u               /* (8176 - 8) / 8 */
/* How many entries the writer puts in one XBLOCK and SLBLOCK: as many as fit.
 * The fuzzer's seed maker (`make fuzz-seeds`) builds it with
 * PS_NDB_SMALL_TREES, so that stores of a few hundred kilobytes carry the
 * XXBLOCKs and SIBLOCKs that otherwise only stores of megabytes have. */
#ifdef PS_NDB_SMALL_TREES
#define XBLOCK_MAX 3u
#define SLBLOCK_MAX 2u
#else
#define XBLOCK_MAX XBLOCK_FULL
#define SLBLOCK_MAX 340u                /* (8176 - 8) / 24 */
#endif
#define SIBLOCK_MAX 510u                /* (8176 - 8) / 16 */
#define DLIST_MAX 122u                  /* (512 - 16 - 8) / 4 */
#define RUN_MAX (1u << 20)              /* largest single write of a commit */
#define GAP_MAX 4096u                   /* free space a write may span with zeros */
#define MAX_SUB_DEPTH 8                 /* nesting of subnodes in an image */
#define FMAP_FIRST 128u                 /* AMap index of the first FMap's span */
#define FMAP_EVERY 496u
#define FPMAP_FIRST 8192u
#define FPMAP_EVERY 31744u

/* ---- small helpers ------------------------------------------------------ */

static int bit_get(const uint8_t *b, uint64_t s)
{
	return (b[s >> 3] >> (7 - (s & 7))) & 1;
}

static void bits_range(uint8_t *b, uint64_t s, uint64_t n, int on)
{
	for (; n > 0 && (s & 7); s++, n--) {
		if (on)
			b[s >> 3] |= (uint8_t)(0x80u >> (s & 7));
		else
			b[s >> 3] &= (uint8_t)~(0x80u >> (s & 7));
	}
	if (n >= 8) {
		memset(b + (s >> 3), on ? 0xFF : 0, (size_t)(n >> 3));
		s += n & ~(uint64_t)7;
		n &= 7;
	}
	for (; n > 0; s++, n--) {
		if (on)
			b[s >> 3] |= (uint8_t)(0x80u >> (s & 7));
		else
			b[s >> 3] &= (uint8_t)~(0x80u >> (s & 7));
	}
}

static uint64_t amap_ib(size_t k)
{
	return PS_NDB_AMAP_FIRST + (uint64_t)k * PS_NDB_AMAP_SPAN;
}

static uint64_t slot_of(uint64_t ib)
{
	return (ib - PS_NDB_AMAP_FIRST) / SLOT;
}

static uint64_t slots_for(uint64_t size)
{
	return (size + SLOT - 1) / SLOT;
}

/* Where the deprecated map pages sit ([MS-PST] 2.2.2.7.3-5): a PMap after
 * every eighth AMap, an FMap in the span of AMap 128 and every 496th after
 * it, an FPMap in the span of AMap 8192 and every 31744th after it. */
static int has_pmap(size_t k)
{
	return k % 8 == 0;
}

static int has_fmap(size_t k)
{
	return k >= FMAP_FIRST && (k - FMAP_FIRST) % FMAP_EVERY == 0;
}

static int has_fpmap(size_t k)
{
	return k >= FPMAP_FIRST && (k - FPMAP_FIRST) % FPMAP_EVERY == 0;
}

static unsigned free_in_amap(const uint8_t *bits, size_t k)
{
	const uint8_t *p = bits + k * AMAP_BYTES;
	unsigned n = 0;
	size_t i;

	for (i = 0; i < AMAP_BYTES; i++) {
		uint8_t v = (uint8_t)~p[i];
		while (v) {
			v &= (uint8_t)(v - 1);
			n++;
		}
	}
	return n;
}

/* ---- a map from file offset to what the transaction put there ----------- */

struct hent {
	uint64_t key;
	void *val;
	struct hent *next;
};

struct hmap {
	struct hent **b;
	size_t cap, count;
};

static size_t hslot(size_t cap, uint64_t key)
{
	return (size_t)((((key >> 6) * 0x9E3779B97F4A7C15ull) >> 29)) & (cap - 1);
}

static void *hmap_get(const struct hmap *m, uint64_t key)
{
	struct hent *e;

	if (!m->cap)
		return NULL;
	for (e = m->b[hslot(m->cap, key)]; e; e = e->next)
		if (e->key == key)
			return e->val;
	return NULL;
}

static int hmap_put(struct hmap *m, uint64_t key, void *val)
{
	struct hent *e;
	size_t i;

	if (m->count + 1 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 256;
		struct hent **nb = calloc(ncap, sizeof(*nb));
		if (!nb)
			return ps_error_set(PS_ENOMEM, "out of memory");
		for (i = 0; i < m->cap; i++) {
			while (m->b[i]) {
				e = m->b[i];
				m->b[i] = e->next;
				e->next = nb[hslot(ncap, e->key)];
				nb[hslot(ncap, e->key)] = e;
			}
		}
		free(m->b);
		m->b = nb;
		m->cap = ncap;
	}
	e = malloc(sizeof(*e));
	if (!e)
		return ps_error_set(PS_ENOMEM, "out of memory");
	e->key = key;
	e->val = val;
	i = hslot(m->cap, key);
	e->next = m->b[i];
	m->b[i] = e;
	m->count++;
	return 0;
}

static void hmap_del(struct hmap *m, uint64_t key)
{
	struct hent **pp, *e;

	if (!m->cap)
		return;
	for (pp = &m->b[hslot(m->cap, key)]; (e = *pp) != NULL; pp = &e->next) {
		if (e->key == key) {
			*pp = e->next;
			free(e);
			m->count--;
			return;
		}
	}
}

/* ---- state -------------------------------------------------------------- */

enum { EXT_PAGE = 1, EXT_BLOCK = 2 };

/* Something the transaction placed in the file, not yet written. */
struct ext {
	uint8_t kind;
	uint32_t size;
	uint64_t ib;
};

/* A B-tree page in memory: a copy of a committed page (owned 0, freed by
 * whoever loaded it) or a page of the transaction (owned 1, in the extents
 * table, which frees it). */
struct wpage {
	struct ext e;                   /* first: the extents table holds these */
	int owned;
	ps_bref ref;                    /* committed place, or the new one once owned */
	uint8_t ptype, level;
	int count;
	uint64_t keys[BT_SLOTS];
	ps_bref child[BT_SLOTS];
	ps_nbt_entry nbt[BT_SLOTS];
	ps_bbt_entry bbt[BT_SLOTS];
};

/* A block of the transaction, as it will be on disk. */
struct wblock {
	struct ext e;
	uint8_t *raw;                   /* encoded data, zero padding, trailer */
};

struct span {
	uint64_t ib, size;
};

typedef struct writer {
	ps_ndb *ndb;
	ps_file *file;
	uint8_t hraw[HEADER_SIZE];      /* the header as last written or read */
	uint64_t file_size;             /* size of the file on disk */
	size_t namap;                   /* AMaps of the committed file */
	size_t wnamap;                  /* with the open transaction's growth */
	size_t capbytes;                /* bytes allocated for each bitmap */
	uint8_t *bits;                  /* working allocation */
	uint8_t *cbits;                 /* committed allocation */
	uint8_t *dbits;                 /* the AMap pages on disk */
	uint8_t *fmap_ok;               /* per AMap: its FMap/FPMap page is ours to write */
	uint64_t rover;                 /* slot where the next search starts */
	uint64_t low[2];                /* small blocks [0], pages [1]: where their search
	                                 * below the rover starts */
	uint64_t nofit[2];              /* blocks [0], pages [1]: the smallest run a search
	                                 * below the rover found no room for, since the
	                                 * last space given back (0: none) */
	uint8_t dlist[PS_NDB_PAGE_SIZE - TRAILER];  /* last density list written */
	int dlist_known;
	int broken;                     /* a commit failed half-way: reopen */
	int maps_loaded;                /* the bitmaps above are read (maps_load()) */
	ps_ndb_tx *tx;
	ps_ndb_write_stats stats;
} writer;

struct ps_ndb_tx {
	writer *w;
	ps_ndb_header saved;            /* the header before the transaction */
	struct hmap ext;                /* offset -> struct ext (wpage, wblock) */
	struct span *pend;              /* committed space freed at commit */
	size_t npend, cappend;
	int changed;
	int failed;                     /* a change failed half-way: only abort */
};

static ps_ndb_header *hdr(writer *w)
{
	return ps_ndb__header_mut(w->ndb);
}

static const char *wname(writer *w)
{
	return ps_ndb_name(w->ndb);
}

/* ---- file access -------------------------------------------------------- */

static int wr_write(writer *w, uint64_t ib, const void *buf, size_t size)
{
	w->stats.writes++;
	w->stats.bytes += size;
	if (w->ndb)
		ps_ndb__file_cache_drop(w->ndb, ib, size);
	return ps_file_write_at(w->file, ib, buf, size);
}

static int wr_sync(writer *w)
{
	w->stats.syncs++;
	return ps_file_sync(w->file);
}

static void page_serialize(const struct wpage *p, uint8_t out[PS_NDB_PAGE_SIZE]);
static int page_max(uint8_t ptype, uint8_t level);

/* The store's read callback: the transaction's extents first, then the
 * file; space the transaction added past the end of the file reads as
 * zeros. */
static int wr_read(void *ctx, uint64_t off, void *buf, size_t size)
{
	writer *w = ctx;
	uint8_t *out = buf;

	if (w->tx) {
		const struct ext *e = hmap_get(&w->tx->ext, off);
		if (e && e->size >= size) {
			if (e->kind == EXT_PAGE) {
				uint8_t page[PS_NDB_PAGE_SIZE];
				page_serialize((const struct wpage *)e, page);
				memcpy(out, page, size);
			} else {
				memcpy(out, ((const struct wblock *)e)->raw, size);
			}
			return 0;
		}
	}
	if (off >= w->file_size) {
		memset(out, 0, size);
		return 0;
	}
	if (off + size > w->file_size) {
		size_t have = (size_t)(w->file_size - off);
		memset(out + have, 0, size - have);
		size = have;
	}
	if (w->ndb)
		return ps_ndb__file_read(w->ndb, w->file, w->file_size, off, out, size);
	return ps_file_read_at(w->file, off, out, size);
}

/* The store's page hook: a B-tree page of the transaction, as it is in
 * memory, without serialising and checking it again at every lookup. */
static int wr_page(void *ctx, const ps_bref *ref, uint8_t ptype, ps_bt_page *out)
{
	writer *w = ctx;
	const struct wpage *p;
	const struct ext *e;
	int i;

	if (!w->tx || !(e = hmap_get(&w->tx->ext, ref->ib)) || e->kind != EXT_PAGE)
		return 0;
	p = (const struct wpage *)e;
	if (p->ptype != ptype || p->ref.bid != ref->bid)
		return 0;              /* not the page asked for: the checked read says why */
	out->ptype = ptype;
	out->level = p->level;
	out->count = (uint8_t)p->count;
	out->count_max = (uint8_t)page_max(ptype, p->level);
	out->entry_size = p->level > 0 ? 24 : (ptype == PS_PTYPE_NBT ? 32 : 24);
	for (i = 0; i < p->count; i++) {
		out->keys[i] = p->keys[i];
		out->children[i] = p->child[i];
		out->nbt[i] = p->nbt[i];
		out->bbt[i] = p->bbt[i];
	}
	return 1;
}

/* ---- pages on disk ------------------------------------------------------ */

static void page_trailer(uint8_t page[PS_NDB_PAGE_SIZE], uint8_t ptype, uint16_t sig,
	uint64_t bid)
{
	uint8_t *t = page + PS_NDB_PAGE_SIZE - TRAILER;

	t[0] = ptype;
	t[1] = ptype;
	ps_put16(t + 2, sig);
	ps_put32(t + 4, ps_ndb__crc(0, page, PS_NDB_PAGE_SIZE - TRAILER));
	ps_put64(t + 8, bid);
}

static int page_max(uint8_t ptype, uint8_t level)
{
	if (level > 0)
		return BT_INNER_MAX;
	return ptype == PS_PTYPE_NBT ? NBT_LEAF_MAX : BBT_LEAF_MAX;
}

static void page_serialize(const struct wpage *p, uint8_t out[PS_NDB_PAGE_SIZE])
{
	size_t esize = p->level > 0 ? 24 : (p->ptype == PS_PTYPE_NBT ? 32 : 24);
	int i;

	memset(out, 0, PS_NDB_PAGE_SIZE);
	for (i = 0; i < p->count; i++) {
		uint8_t *e = out + (size_t)i * esize;
		if (p->level > 0) {
			ps_put64(e, p->keys[i]);
			ps_put64(e + 8, p->child[i].bid);
			ps_put64(e + 16, p->child[i].ib);
		} else if (p->ptype == PS_PTYPE_NBT) {
			ps_put64(e, p->nbt[i].nid);
			ps_put64(e + 8, p->nbt[i].bid_data);
			ps_put64(e + 16, p->nbt[i].bid_sub);
			ps_put32(e + 24, p->nbt[i].nid_parent);
		} else {
			ps_put64(e, p->bbt[i].bref.bid);
			ps_put64(e + 8, p->bbt[i].bref.ib);
			ps_put16(e + 16, p->bbt[i].cb);
			ps_put16(e + 18, p->bbt[i].cref);
		}
	}
	out[488] = (uint8_t)p->count;
	out[489] = (uint8_t)page_max(p->ptype, p->level);
	out[490] = (uint8_t)esize;
	out[491] = p->level;
	page_trailer(out, p->ptype, ps_ndb__sig(p->ref.ib, p->ref.bid), p->ref.bid);
}

/* An AMap, PMap, FMap or FPMap page: 496 bytes of map, signature 0, and
 * the page's own offset as its BID. */
static int map_page_write(writer *w, uint64_t ib, uint8_t ptype, const uint8_t *body)
{
	uint8_t page[PS_NDB_PAGE_SIZE];

	memcpy(page, body, AMAP_BYTES);
	page_trailer(page, ptype, 0, ib);
	return wr_write(w, ib, page, sizeof(page));
}

static int amap_write(writer *w, size_t k, const uint8_t *bits)
{
	int rc = map_page_write(w, amap_ib(k), PS_PTYPE_AMAP, bits + k * AMAP_BYTES);

	if (rc == 0)
		memcpy(w->dbits + k * AMAP_BYTES, bits + k * AMAP_BYTES, AMAP_BYTES);
	return rc;
}

/* An FMap holds, for each of 496 AMaps, the longest run of free slots in it
 * (at most 255). Outlook does not use them, but they must be there with a
 * valid CRC in files over 128 AMaps. */
static int fmap_write(writer *w, size_t k, const uint8_t *bits)
{
	uint8_t body[AMAP_BYTES];
	size_t j;

	memset(body, 0, sizeof(body));
	for (j = 0; j < AMAP_BYTES && k + j < w->wnamap; j++) {
		const uint8_t *a = bits + (k + j) * AMAP_BYTES;
		unsigned run = 0, best = 0;
		size_t i;
		int bit;
		/* a byte at a time where it is all free or all used */
		for (i = 0; i < AMAP_BYTES && best < 255; i++) {
			if (a[i] == 0x00) {
				run += 8;
			} else if (a[i] == 0xFF) {
				run = 0;
			} else {
				for (bit = 7; bit >= 0; bit--) {
					run = (a[i] >> bit) & 1 ? 0 : run + 1;
					if (run > best)
						best = run;
				}
				continue;
			}
			if (run > best)
				best = run;
		}
		body[j] = (uint8_t)(best > 255 ? 255 : best);
	}
	return map_page_write(w, amap_ib(k) + 2 * PS_NDB_PAGE_SIZE, PS_PTYPE_FMAP, body);
}

/* Our PMaps never hold reserved pages, so an FPMap has nothing free to
 * point at: all zero. */
static int fpmap_write(writer *w, size_t k)
{
	uint8_t body[AMAP_BYTES];

	memset(body, 0, sizeof(body));
	return map_page_write(w, amap_ib(k) + 3 * PS_NDB_PAGE_SIZE, PS_PTYPE_FPMAP, body);
}

static int pmap_write_full(writer *w, size_t k)
{
	uint8_t body[AMAP_BYTES];

	memset(body, 0xFF, sizeof(body));
	return map_page_write(w, amap_ib(k) + PS_NDB_PAGE_SIZE, PS_PTYPE_PMAP, body);
}

/* The density list ([MS-PST] 2.2.2.7.4): the AMaps with free space, most
 * free first, each as its index (20 bits) and free slots (12 bits). */
struct dl_ent {
	uint32_t page, slots;
};

static int dl_cmp(const void *a, const void *b)
{
	const struct dl_ent *x = a, *y = b;

	if (x->slots != y->slots)
		return x->slots > y->slots ? -1 : 1;
	return x->page < y->page ? -1 : x->page > y->page;
}

static int dlist_build(writer *w, const uint8_t *bits, uint8_t body[PS_NDB_PAGE_SIZE - TRAILER])
{
	struct dl_ent *ents;
	size_t k, n = 0;

	memset(body, 0, PS_NDB_PAGE_SIZE - TRAILER);
	ents = malloc((w->wnamap ? w->wnamap : 1) * sizeof(*ents));
	if (!ents)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (k = 0; k < w->wnamap && k < 0xFFFFF; k++) {
		unsigned f = free_in_amap(bits, k);
		if (f) {
			ents[n].page = (uint32_t)k;
			ents[n].slots = f;
			n++;
		}
	}
	qsort(ents, n, sizeof(*ents), dl_cmp);
	if (n > DLIST_MAX)
		n = DLIST_MAX;
	body[1] = (uint8_t)n;
	ps_put32(body + 4, n ? ents[0].page : 0);  /* ulCurrentPage */
	for (k = 0; k < n; k++)
		ps_put32(body + 8 + 4 * k, ents[k].page | (ents[k].slots << 20));
	free(ents);
	return 0;
}

static int dlist_write(writer *w, const uint8_t body[PS_NDB_PAGE_SIZE - TRAILER], uint64_t bid)
{
	uint8_t page[PS_NDB_PAGE_SIZE];
	int rc;

	memcpy(page, body, PS_NDB_PAGE_SIZE - TRAILER);
	page_trailer(page, PS_PTYPE_DL, ps_ndb__sig(PS_NDB_DLIST_OFFSET, bid), bid);
	rc = wr_write(w, PS_NDB_DLIST_OFFSET, page, sizeof(page));
	if (rc == 0) {
		memcpy(w->dlist, body, sizeof(w->dlist));
		w->dlist_known = 1;
	}
	return rc;
}

/* Write the header from @p src with fAMapValid @p valid. dwUnique goes up
 * with every write, as [MS-PST] 2.2.2.6 asks. */
static int header_write(writer *w, const ps_ndb_header *src, uint8_t valid)
{
	uint8_t raw[HEADER_SIZE], *r = raw + ROOT;
	uint32_t unique = ps_get32(w->hraw + 40) + 1;
	int i, rc;

	memcpy(raw, w->hraw, HEADER_SIZE);
	ps_put64(raw + 32, src->bid_next_p);
	ps_put32(raw + 40, unique);
	for (i = 0; i < 32; i++)
		ps_put32(raw + 44 + 4 * i, src->rgnid[i]);
	ps_put64(r + 4, src->file_eof);
	ps_put64(r + 12, src->amap_last);
	ps_put64(r + 20, src->amap_free);
	ps_put64(r + 28, src->pmap_free);
	ps_put64(r + 36, src->nbt.bid);
	ps_put64(r + 44, src->nbt.ib);
	ps_put64(r + 52, src->bbt.bid);
	ps_put64(r + 60, src->bbt.ib);
	r[68] = valid;
	ps_put64(raw + 516, src->bid_next_b);
	ps_put32(raw + 4, ps_ndb__crc(0, raw + 8, 471));
	ps_put32(raw + 524, ps_ndb__crc(0, raw + 8, 516));
	if ((rc = wr_write(w, 0, raw, HEADER_SIZE)) < 0)
		return rc;
	memcpy(w->hraw, raw, HEADER_SIZE);
	return 0;
}

/* Bring the parsed header in line with the raw one last written. */
static void header_sync_parsed(writer *w)
{
	ps_ndb_header *h = hdr(w);

	h->unique = ps_get32(w->hraw + 40);
	h->amap_valid = w->hraw[ROOT + 68];
	h->crc_partial = h->crc_partial_calc = ps_get32(w->hraw + 4);
	h->crc_full = h->crc_full_calc = ps_get32(w->hraw + 524);
}

/* ---- allocation --------------------------------------------------------- */

static int bitmaps_reserve(writer *w, size_t namap)
{
	size_t need = namap * AMAP_BYTES, ncap;
	uint8_t *nb;

	if (need <= w->capbytes)
		return 0;
	ncap = w->capbytes ? w->capbytes * 2 : need;
	if (ncap < need)
		ncap = need;
	if (!(nb = realloc(w->bits, ncap)))
		return ps_error_set(PS_ENOMEM, "out of memory");
	w->bits = nb;
	if (!(nb = realloc(w->cbits, ncap)))
		return ps_error_set(PS_ENOMEM, "out of memory");
	w->cbits = nb;
	if (!(nb = realloc(w->dbits, ncap)))
		return ps_error_set(PS_ENOMEM, "out of memory");
	w->dbits = nb;
	if (!(nb = realloc(w->fmap_ok, ncap / AMAP_BYTES)))
		return ps_error_set(PS_ENOMEM, "out of memory");
	w->fmap_ok = nb;
	memset(w->bits + w->capbytes, 0, ncap - w->capbytes);
	memset(w->cbits + w->capbytes, 0, ncap - w->capbytes);
	memset(w->dbits + w->capbytes, 0, ncap - w->capbytes);
	memset(w->fmap_ok + w->capbytes / AMAP_BYTES, 0, (ncap - w->capbytes) / AMAP_BYTES);
	w->capbytes = ncap;
	return 0;
}

/* The slots of the map pages in the span of AMap @p k. */
static void mark_map_pages(writer *w, uint8_t *bits, size_t k)
{
	uint64_t s = (uint64_t)k * AMAP_SLOTS;

	bits_range(bits, s, PAGE_SLOTS, 1);
	if (has_pmap(k))
		bits_range(bits, s + PAGE_SLOTS, PAGE_SLOTS, 1);
	if (has_fmap(k) && w->fmap_ok[k])
		bits_range(bits, s + 2 * PAGE_SLOTS, PAGE_SLOTS, 1);
	if (has_fpmap(k) && w->fmap_ok[k])
		bits_range(bits, s + 3 * PAGE_SLOTS, PAGE_SLOTS, 1);
}

static void set_eof(writer *w, size_t namap)
{
	ps_ndb_header *h = hdr(w);

	h->file_eof = amap_ib(namap);
	h->amap_last = amap_ib(namap - 1);
	ps_ndb__set_size(w->ndb, h->file_eof);
}

/* Add one AMap span to the transaction (the file grows at commit). */
static int grow(writer *w)
{
	size_t k = w->wnamap;
	int rc;

	if ((rc = bitmaps_reserve(w, k + 1)) < 0)
		return rc;
	memset(w->bits + k * AMAP_BYTES, 0, AMAP_BYTES);
	w->fmap_ok[k] = 1;      /* a span we create: its map pages are ours */
	mark_map_pages(w, w->bits, k);
	w->wnamap = k + 1;
	set_eof(w, w->wnamap);
	return 0;
}

/* The first slot in [s, to) whose bit is @p want (to when none), 64 slots
 * a step: the bits are MSB-first, so eight bytes read big-endian put slot s
 * at the top of a word and a count of leading zeros finds the next one. */
static uint64_t next_bit(const uint8_t *b, uint64_t s, uint64_t to, int want)
{
	while (s < to) {
		uint64_t at = s >> 3, word;
		unsigned shift = (unsigned)(s & 7), valid, lead;
		int k;

		if (at + 8 > (to + 7) >> 3) {
			/* the last bytes: one slot at a time, never past the map */
			for (; s < to; s++)
				if (bit_get(b, s) == want)
					return s;
			return to;
		}
		for (word = 0, k = 0; k < 8; k++)
			word = word << 8 | b[at + (uint64_t)k];
		if (!want)
			word = ~word;
		word <<= shift;
		valid = 64 - shift;
		if (word) {
			lead = (unsigned)__builtin_clzll(word);
			if (lead < valid)
				return s + lead < to ? s + lead : to;
		}
		s += valid;
	}
	return to;
}

/* First fit of @p n free slots in [from, to), aligned to @p align slots.
 * When there is none, *@p most is the longest aligned run that was seen
 * (shorter than n). */
static int find_run(const uint8_t *b, uint64_t from, uint64_t to, uint64_t n,
	uint64_t align, uint64_t *out, uint64_t *most)
{
	uint64_t s = (from + align - 1) / align * align, t;

	*most = 0;
	while (s + n <= to) {
		s = next_bit(b, s, to, 0);
		s = (s + align - 1) / align * align;
		if (s + n > to) {
			if (s < to && next_bit(b, s, to, 1) - s > *most)
				*most = next_bit(b, s, to, 1) - s;
			break;
		}
		t = next_bit(b, s, s + n, 1);
		if (t == s + n) {
			*out = s;
			return 1;
		}
		if (t - s > *most)
			*most = t - s;
		s = (t + 1 + align - 1) / align * align;
	}
	return 0;
}

/* Allocations of this many slots or fewer (pages, small blocks) fill the
 * holes earlier in the file first, as they come: with the rover alone they
 * would go where the large ones go, and the holes that commits leave
 * (B-tree pages, items' small blocks) would make the file grow. */
#define SMALL_SLOTS 32u

/* Allocate @p size bytes aligned to @p align slots (8 for pages). Small
 * ones are searched from the low mark; others, and small ones that found no
 * room there, from the rover to the end, then from the start, then the file
 * grows by one AMap span. */
static int space_alloc(writer *w, uint64_t size, uint64_t align, uint64_t *ib)
{
	uint64_t n = slots_for(size), s, total, most;
	int cls = align > 1, rc;

	if (n <= SMALL_SLOTS && w->low[cls] < w->rover) {
		if (find_run(w->bits, w->low[cls], w->rover, n, align, &s, &most)) {
			w->low[cls] = s + n;
			goto found;
		}
		w->low[cls] = w->rover;   /* none left below: not searched again */
	}
	for (;;) {
		total = (uint64_t)w->wnamap * AMAP_SLOTS;
		if (find_run(w->bits, w->rover, total, n, align, &s, &most))
			break;
		/* Below the rover: not again for a run longer than the longest one
		 * a search there found, until space is given back (else every
		 * span the file grows by would cost searches of the whole file). */
		if (w->rover > 0 && (!w->nofit[cls] || n < w->nofit[cls])) {
			uint64_t to = w->rover + n - 1 < total ? w->rover + n - 1 : total;
			if (find_run(w->bits, 0, to, n, align, &s, &most))
				break;
			w->nofit[cls] = most + 1;
		}
		if ((rc = grow(w)) < 0)
			return rc;
		w->rover = total;
	}
	w->rover = s + n;
found:
	bits_range(w->bits, s, n, 1);
	*ib = PS_NDB_AMAP_FIRST + s * SLOT;
	ps_ndb__cache_drop(w->ndb, *ib, n * SLOT);
	return 0;
}

/* Give back space the transaction allocated itself: nothing committed
 * refers to it, so it is reusable at once. */
static void space_free_now(writer *w, uint64_t ib, uint64_t size)
{
	uint64_t s = slot_of(ib);

	bits_range(w->bits, s, slots_for(size), 0);
	if (s < w->rover)
		w->rover = s;
	if (s < w->low[0])
		w->low[0] = s;
	if (s < w->low[1])
		w->low[1] = s;
	w->nofit[0] = w->nofit[1] = 0;
}

/* Committed space no longer referenced once the transaction commits: it
 * stays allocated until step 4 of the commit. */
static int pend_free(ps_ndb_tx *tx, uint64_t ib, uint64_t size)
{
	if (tx->npend == tx->cappend) {
		size_t ncap = tx->cappend ? tx->cappend * 2 : 64;
		struct span *n = realloc(tx->pend, ncap * sizeof(*n));
		if (!n)
			return ps_error_set(PS_ENOMEM, "out of memory");
		tx->pend = n;
		tx->cappend = ncap;
	}
	tx->pend[tx->npend].ib = ib;
	tx->pend[tx->npend].size = size;
	tx->npend++;
	return 0;
}

/* ---- B-tree pages in a transaction -------------------------------------- */

static int page_load(ps_ndb_tx *tx, uint8_t ptype, const ps_bref *ref, struct wpage **out)
{
	writer *w = tx->w;
	struct ext *e = hmap_get(&tx->ext, ref->ib);
	ps_bt_page *bp = NULL;
	struct wpage *p = NULL;
	int i, rc;

	*out = NULL;
	if (e) {
		p = (struct wpage *)e;
		if (e->kind != EXT_PAGE || p->ptype != ptype || p->ref.bid != ref->bid)
			return ps_error_set(PS_ECORRUPT,
				"cannot write '%s': page 0x%llx at 0x%llx is not the one the b-tree names",
				wname(w), (unsigned long long)ref->bid, (unsigned long long)ref->ib);
		*out = p;
		return 0;
	}
	bp = malloc(sizeof(*bp));
	p = calloc(1, sizeof(*p));
	if (!bp || !p) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = ps_ndb_bt_page_read(w->ndb, ref, ptype, bp)) < 0)
		goto cleanup;
	if (ref->ib % PS_NDB_PAGE_SIZE != 0 || bp->count > page_max(ptype, bp->level)) {
		rc = ps_error_set(PS_ECORRUPT, "cannot write '%s': page at 0x%llx has %u entries",
			wname(w), (unsigned long long)ref->ib, bp->count);
		goto cleanup;
	}
	p->ref = *ref;
	p->ptype = ptype;
	p->level = bp->level;
	p->count = bp->count;
	for (i = 0; i < p->count; i++) {
		p->keys[i] = bp->keys[i];
		p->child[i] = bp->children[i];
		p->nbt[i] = bp->nbt[i];
		p->bbt[i] = bp->bbt[i];
	}
	*out = p;
	p = NULL;
cleanup:
	free(bp);
	free(p);
	return rc;
}

static void page_put(struct wpage *p)
{
	if (p && !p->owned)
		free(p);
}

/* Make @p p a page of the transaction: a new place and BID, the committed
 * copy (if any) freed at commit. */
static int page_own(ps_ndb_tx *tx, struct wpage *p)
{
	writer *w = tx->w;
	uint64_t ib;
	int rc;

	if (p->owned)
		return 0;
	if ((rc = space_alloc(w, PS_NDB_PAGE_SIZE, PAGE_SLOTS, &ib)) < 0)
		return rc;
	if (p->ref.ib && (rc = pend_free(tx, p->ref.ib, PS_NDB_PAGE_SIZE)) < 0) {
		space_free_now(w, ib, PS_NDB_PAGE_SIZE);
		return rc;
	}
	if ((rc = hmap_put(&tx->ext, ib, p)) < 0) {
		space_free_now(w, ib, PS_NDB_PAGE_SIZE);
		return rc;
	}
	p->ref.bid = hdr(w)->bid_next_p++;
	p->ref.ib = ib;
	p->e.kind = EXT_PAGE;
	p->e.size = PS_NDB_PAGE_SIZE;
	p->e.ib = ib;
	p->owned = 1;
	return 0;
}

/* Remove a page from the tree and free @p p. */
static int page_drop(ps_ndb_tx *tx, struct wpage *p)
{
	int rc = 0;

	if (p->owned) {
		hmap_del(&tx->ext, p->ref.ib);
		space_free_now(tx->w, p->ref.ib, PS_NDB_PAGE_SIZE);
	} else if (p->ref.ib) {
		rc = pend_free(tx, p->ref.ib, PS_NDB_PAGE_SIZE);
	}
	free(p);
	return rc;
}

static struct wpage *page_new(uint8_t ptype, uint8_t level)
{
	struct wpage *p = calloc(1, sizeof(*p));

	if (p) {
		p->ptype = ptype;
		p->level = level;
	}
	return p;
}

static void ent_open(struct wpage *p, int i)
{
	size_t n = (size_t)(p->count - i);

	memmove(&p->keys[i + 1], &p->keys[i], n * sizeof(p->keys[0]));
	memmove(&p->child[i + 1], &p->child[i], n * sizeof(p->child[0]));
	memmove(&p->nbt[i + 1], &p->nbt[i], n * sizeof(p->nbt[0]));
	memmove(&p->bbt[i + 1], &p->bbt[i], n * sizeof(p->bbt[0]));
	p->count++;
}

static void ent_close(struct wpage *p, int i)
{
	size_t n = (size_t)(p->count - i - 1);

	memmove(&p->keys[i], &p->keys[i + 1], n * sizeof(p->keys[0]));
	memmove(&p->child[i], &p->child[i + 1], n * sizeof(p->child[0]));
	memmove(&p->nbt[i], &p->nbt[i + 1], n * sizeof(p->nbt[0]));
	memmove(&p->bbt[i], &p->bbt[i + 1], n * sizeof(p->bbt[0]));
	p->count--;
}

static void ent_copy(struct wpage *dst, int di, const struct wpage *src, int si)
{
	dst->keys[di] = src->keys[si];
	dst->child[di] = src->child[si];
	dst->nbt[di] = src->nbt[si];
	dst->bbt[di] = src->bbt[si];
}

/* ---- B-tree updates ----------------------------------------------------- */

enum bt_op { OP_PUT, OP_DEL, OP_CREF };

struct bt_req {
	enum bt_op op;
	uint64_t key;
	ps_nbt_entry nbt;               /* OP_PUT on the NBT */
	ps_bbt_entry bbt;               /* OP_PUT on the BBT */
	int delta;                      /* OP_CREF */
	int found;                      /* out: the key was there */
	ps_nbt_entry old_nbt;           /* out: its entry before */
	ps_bbt_entry old_bbt;
	int removed;                    /* out: OP_CREF dropped it (count at 1) */
};

/* What became of a page after a change below it. */
struct bt_res {
	int changed;
	int empty;                      /* it lost its last entry and was dropped */
	ps_bref ref;
	uint64_t minkey;
	int count;
	uint8_t level;
	int split;                      /* it split: a right sibling follows */
	ps_bref ref2;
	uint64_t minkey2;
};

/* Two neighbours under @p p that fit in one page become one: keeps the
 * tree compact when nodes and blocks go away. */
static int bt_merge(ps_ndb_tx *tx, struct wpage *p, int i)
{
	struct wpage *a = NULL, *b = NULL;
	int l, k, rc;

	if (p->count < 2)
		return 0;
	l = i + 1 < p->count ? i : i - 1;
	if ((rc = page_load(tx, p->ptype, &p->child[l], &a)) < 0)
		return rc;
	if ((rc = page_load(tx, p->ptype, &p->child[l + 1], &b)) < 0)
		goto cleanup;
	if (a->level != p->level - 1 || b->level != a->level) {
		rc = ps_error_set(PS_ECORRUPT, "cannot write '%s': b-tree page at 0x%llx has children of other levels",
			wname(tx->w), (unsigned long long)p->ref.ib);
		goto cleanup;
	}
	if (a->count + b->count > page_max(a->ptype, a->level))
		goto cleanup;
	for (k = 0; k < b->count; k++)
		ent_copy(a, a->count + k, b, k);
	a->count += b->count;
	if ((rc = page_own(tx, a)) < 0) {
		a->count -= b->count;
		goto cleanup;
	}
	rc = page_drop(tx, b);
	b = NULL;
	p->child[l] = a->ref;
	p->keys[l] = a->keys[0];
	ent_close(p, l + 1);
cleanup:
	page_put(a);
	page_put(b);
	return rc;
}

static int bt_apply(ps_ndb_tx *tx, uint8_t ptype, const ps_bref *ref, int level, int depth,
	int is_root, struct bt_req *rq, struct bt_res *res)
{
	struct wpage *p = NULL, *q = NULL;
	int i, at = -1, rc, max;

	memset(res, 0, sizeof(*res));
	if (depth > PS_NDB_MAX_DEPTH)
		return ps_error_set(PS_ECORRUPT, "cannot write '%s': the b-tree is too deep", wname(tx->w));
	if ((rc = page_load(tx, ptype, ref, &p)) < 0)
		return rc;
	if (level >= 0 && p->level != level) {
		rc = ps_error_set(PS_ECORRUPT, "cannot write '%s': b-tree page at 0x%llx has level %u, expected %d",
			wname(tx->w), (unsigned long long)ref->ib, p->level, level);
		goto cleanup;
	}
	if (p->level == 0) {
		int exact;
		for (i = 0; i < p->count && p->keys[i] < rq->key; i++)
			;
		exact = i < p->count && p->keys[i] == rq->key;
		if (exact) {
			rq->found = 1;
			rq->old_nbt = p->nbt[i];
			rq->old_bbt = p->bbt[i];
		}
		if (rq->op == OP_PUT) {
			if (!exact) {
				ent_open(p, i);
				p->keys[i] = rq->key;
				at = i;
			}
			if (ptype == PS_PTYPE_NBT)
				p->nbt[i] = rq->nbt;
			else
				p->bbt[i] = rq->bbt;
		} else if (!exact) {
			goto unchanged;
		} else if (rq->op == OP_DEL) {
			ent_close(p, i);
		} else {
			int cref = (int)p->bbt[i].cref + rq->delta;
			if (cref > 0xFFFF) {
				rc = ps_error_set(PS_EUNSUPPORTED, "cannot write '%s': block 0x%llx is shared too often",
					wname(tx->w), (unsigned long long)p->bbt[i].bref.bid);
				goto cleanup;
			}
			if (cref <= 1) {
				ent_close(p, i);
				rq->removed = 1;
			} else {
				p->bbt[i].cref = (uint16_t)cref;
			}
		}
	} else {
		struct bt_res cr;
		for (i = p->count - 1; i >= 0 && p->keys[i] > rq->key; i--)
			;
		if (i < 0) {
			if (rq->op != OP_PUT || p->count == 0)
				goto unchanged;
			i = 0;
		}
		if ((rc = bt_apply(tx, ptype, &p->child[i], p->level - 1, depth + 1, 0, rq, &cr)) < 0)
			goto cleanup;
		if (!cr.changed)
			goto unchanged;
		if (cr.empty) {
			ent_close(p, i);
		} else {
			p->child[i] = cr.ref;
			p->keys[i] = cr.minkey;
			if (cr.split) {
				ent_open(p, i + 1);
				p->keys[i + 1] = cr.minkey2;
				p->child[i + 1] = cr.ref2;
				at = i + 1;
			} else if (cr.count < page_max(ptype, cr.level) / 2 &&
				   (rc = bt_merge(tx, p, i)) < 0) {
				goto cleanup;
			}
		}
	}
	res->changed = 1;
	res->level = p->level;
	if (p->count == 0 && !is_root) {
		rc = page_drop(tx, p);
		p = NULL;
		res->empty = 1;
		return rc;
	}
	max = page_max(ptype, p->level);
	if (p->count > max) {
		/* One entry too many. An append (keys and BIDs mostly grow)
		 * leaves the left page full, as Outlook does; anything else
		 * splits in the middle. */
		int keep = at == p->count - 1 ? max : (p->count + 1) / 2;
		if (!(q = page_new(ptype, p->level))) {
			rc = ps_error_set(PS_ENOMEM, "out of memory");
			goto cleanup;
		}
		for (i = keep; i < p->count; i++)
			ent_copy(q, i - keep, p, i);
		q->count = p->count - keep;
		p->count = keep;
		if ((rc = page_own(tx, q)) < 0)
			goto cleanup;
		res->split = 1;
		res->ref2 = q->ref;
		res->minkey2 = q->keys[0];
		q = NULL;
	}
	if ((rc = page_own(tx, p)) < 0)
		goto cleanup;
	res->ref = p->ref;
	res->minkey = p->count ? p->keys[0] : 0;
	res->count = p->count;
	return 0;
unchanged:
	rc = 0;
cleanup:
	page_put(p);
	if (q && !q->owned)
		free(q);
	return rc;
}

/* Apply @p rq to the NBT or BBT of the transaction and update its root. */
static int bt_run(ps_ndb_tx *tx, uint8_t ptype, struct bt_req *rq)
{
	ps_ndb_header *h = hdr(tx->w);
	ps_bref *root = ptype == PS_PTYPE_NBT ? &h->nbt : &h->bbt;
	struct wpage *p = NULL;
	struct bt_res res;
	int rc;

	if ((rc = bt_apply(tx, ptype, root, -1, 0, 1, rq, &res)) < 0 || !res.changed)
		return rc;
	if (res.split) {
		if (!(p = page_new(ptype, (uint8_t)(res.level + 1))))
			return ps_error_set(PS_ENOMEM, "out of memory");
		p->count = 2;
		p->keys[0] = res.minkey;
		p->child[0] = res.ref;
		p->keys[1] = res.minkey2;
		p->child[1] = res.ref2;
		if ((rc = page_own(tx, p)) < 0) {
			free(p);
			return rc;
		}
		*root = p->ref;
		return 0;
	}
	*root = res.ref;
	/* An inner root with one child hands the root down; one with none
	 * gives way to an empty leaf. */
	while (res.level > 0 && res.count <= 1) {
		if ((rc = page_load(tx, ptype, root, &p)) < 0)
			return rc;
		if (p->count == 1) {
			ps_bref child = p->child[0];
			if ((rc = page_drop(tx, p)) < 0)
				return rc;
			*root = child;
			if ((rc = page_load(tx, ptype, root, &p)) < 0)
				return rc;
			res.level = p->level;
			res.count = p->count;
			page_put(p);
			continue;
		}
		if ((rc = page_drop(tx, p)) < 0)
			return rc;
		if (!(p = page_new(ptype, 0)))
			return ps_error_set(PS_ENOMEM, "out of memory");
		if ((rc = page_own(tx, p)) < 0) {
			free(p);
			return rc;
		}
		*root = p->ref;
		break;
	}
	return 0;
}

/* ---- blocks ------------------------------------------------------------- */

/* A new block of @p cb bytes: placed, encoded (external blocks), given its
 * trailer, and entered in the BBT with one reference (cRef 2). */
static int block_add(ps_ndb_tx *tx, const uint8_t *data, size_t cb, int internal, uint64_t *bid_out)
{
	writer *w = tx->w;
	ps_ndb_header *h = hdr(w);
	uint64_t disk = ps_ndb__block_disk_size(w->ndb, cb), ib = 0, bid;
	struct wblock *b = NULL;
	struct bt_req rq;
	uint8_t *t;
	int rc;

	b = calloc(1, sizeof(*b));
	if (!b || !(b->raw = calloc(1, (size_t)disk))) {
		free(b);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	if ((rc = space_alloc(w, disk, 1, &ib)) < 0)
		goto fail;
	bid = h->bid_next_b | (internal ? PS_BID_INTERNAL : 0);
	h->bid_next_b += 4;
	memcpy(b->raw, data, cb);
	if (!internal)
		ps_ndb__crypt(h->crypt, bid, b->raw, cb, 1);
	t = b->raw + disk - TRAILER;
	ps_put16(t, (uint16_t)cb);
	ps_put16(t + 2, ps_ndb__sig(ib, bid));
	ps_put32(t + 4, ps_ndb__crc(0, b->raw, cb));
	ps_put64(t + 8, bid);
	b->e.kind = EXT_BLOCK;
	b->e.size = (uint32_t)disk;
	b->e.ib = ib;
	if ((rc = hmap_put(&tx->ext, ib, b)) < 0)
		goto fail;
	memset(&rq, 0, sizeof(rq));
	rq.op = OP_PUT;
	rq.key = bid;
	rq.bbt.bref.bid = bid;
	rq.bbt.bref.ib = ib;
	rq.bbt.cb = (uint16_t)cb;
	rq.bbt.cref = 2;
	*bid_out = bid;
	if ((rc = bt_run(tx, PS_PTYPE_BBT, &rq)) < 0)
		return rc;
	if (rq.found)
		return ps_error_set(PS_ECORRUPT, "cannot write '%s': block id 0x%llx is in use already "
			"(the header's next block id is wrong)", wname(w), (unsigned long long)bid);
	return 0;
fail:
	if (ib)
		space_free_now(w, ib, disk);
	free(b->raw);
	free(b);
	return rc;
}

/* The block of @p e leaves the BBT: free its space. */
static int block_free(ps_ndb_tx *tx, const ps_bbt_entry *e)
{
	writer *w = tx->w;
	uint64_t disk = ps_ndb__block_disk_size(w->ndb, e->cb);
	struct ext *x = hmap_get(&tx->ext, e->bref.ib);

	if (x && x->kind == EXT_BLOCK) {
		struct wblock *b = (struct wblock *)x;
		hmap_del(&tx->ext, e->bref.ib);
		free(b->raw);
		free(b);
		space_free_now(w, e->bref.ib, disk);
		return 0;
	}
	return pend_free(tx, e->bref.ib, disk);
}

/*
 * The data blocks a replaced node hands on to its new version. When a node
 * is written again with most of its blocks shared (a contents table with a
 * few rows changed), taking a reference for each shared block and then
 * dropping the old version's would rewrite the BBT leaf of every one of them
 * for nothing. Instead, the old version's data blocks that only it holds
 * (no other node shares the internal blocks above them) are listed here;
 * a shared block of the new image found in the list takes no reference,
 * and the release of the old version skips it once: the count is right
 * and untouched.
 */
struct keep {
	uint64_t *bids;                 /* BID keys, sorted */
	uint8_t *state;                 /* KEEP_FREE, KEEP_TAKEN, KEEP_DONE */
	size_t n, cap;
};

enum { KEEP_FREE = 0, KEEP_TAKEN, KEEP_DONE };

static void keep_free(struct keep *k)
{
	free(k->bids);
	free(k->state);
	memset(k, 0, sizeof(*k));
}

static int keep_push(struct keep *k, uint64_t bid)
{
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 64;
		uint64_t *nb = realloc(k->bids, cap * sizeof(*nb));
		if (!nb)
			return ps_error_set(PS_ENOMEM, "out of memory");
		k->bids = nb;
		k->cap = cap;
	}
	k->bids[k->n++] = PS_BID_KEY(bid);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The first entry for @p bid in state @p from, or -1. */
static long keep_find(const struct keep *k, uint64_t bid, uint8_t from)
{
	size_t lo = 0, hi = k->n;

	bid = PS_BID_KEY(bid);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k->bids[mid] < bid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < k->n && k->bids[lo] == bid; lo++)
		if (k->state[lo] == from)
			return (long)lo;
	return -1;
}

/* List the data blocks under @p bid that the release of @p bid reaches
 * (it goes below an internal block only when that block goes too). */
static int keep_collect(ps_ndb_tx *tx, struct keep *k, uint64_t bid, int depth)
{
	writer *w = tx->w;
	uint8_t *data = NULL;
	size_t size = 0, i, n;
	ps_bbt_entry e;
	int rc = 0;

	if (bid == 0)
		return 0;
	if (!(bid & PS_BID_INTERNAL))
		return keep_push(k, bid);
	if (depth > 2 * MAX_SUB_DEPTH + 4 || ps_ndb_bbt_lookup(w->ndb, bid, &e) < 0 || e.cref > 2)
		return 0;              /* shared, or not found: the release says so */
	if (ps_ndb_block_read(w->ndb, bid, &data, &size, NULL) < 0)
		return 0;
	if (size >= 8 && data[0] == 0x01) {
		n = ps_get16(data + 2);
		for (i = 0; i < n && 8 + 8 * (i + 1) <= size && rc == 0; i++)
			rc = keep_collect(tx, k, ps_get64(data + 8 + 8 * i), depth + 1);
	} else if (size >= 8 && data[0] == 0x02) {
		size_t esize = data[1] == 0 ? 24 : 16;
		n = ps_get16(data + 2);
		for (i = 0; i < n && 8 + esize * (i + 1) <= size && rc == 0; i++) {
			const uint8_t *p = data + 8 + i * esize;
			rc = keep_collect(tx, k, ps_get64(p + 8), depth + 1);
			if (rc == 0 && esize == 24)
				rc = keep_collect(tx, k, ps_get64(p + 16), depth + 1);
		}
	}
	free(data);
	return rc;
}

static int image_has_shared(const ps_node_image *img)
{
	size_t i;

	for (i = 0; i < img->block_count; i++)
		if (img->blocks[i].bid)
			return 1;
	for (i = 0; i < img->sub_count; i++)
		if (image_has_shared(&img->subs[i].image))
			return 1;
	return 0;
}

/* Drop one reference to block @p bid; when none is left, the block goes
 * and so do the references it held (XBLOCK, SLBLOCK and SIBLOCK entries).
 * A data block @p keep says the new version took over is left as it is. */
static int release(ps_ndb_tx *tx, uint64_t bid, int depth, struct keep *keep)
{
	writer *w = tx->w;
	uint8_t *data = NULL;
	size_t size = 0, i, n;
	struct bt_req rq;
	ps_bbt_entry e;
	long kept;
	int rc;

	if (bid == 0)
		return 0;
	if (keep && !(bid & PS_BID_INTERNAL) && (kept = keep_find(keep, bid, KEEP_TAKEN)) >= 0) {
		keep->state[kept] = KEEP_DONE;
		return 0;
	}
	if (depth > 2 * MAX_SUB_DEPTH + 4)
		return ps_error_set(PS_ECORRUPT, "cannot write '%s': block 0x%llx is nested too deep",
			wname(w), (unsigned long long)bid);
	if ((rc = ps_ndb_bbt_lookup(w->ndb, bid, &e)) < 0)
		return rc;
	/* Read what an internal block refers to before it goes. */
	if (e.cref <= 2 && (bid & PS_BID_INTERNAL) &&
	    (rc = ps_ndb_block_read(w->ndb, bid, &data, &size, NULL)) < 0)
		return rc;
	memset(&rq, 0, sizeof(rq));
	rq.op = OP_CREF;
	rq.key = PS_BID_KEY(bid);
	rq.delta = -1;
	if ((rc = bt_run(tx, PS_PTYPE_BBT, &rq)) < 0 || !rq.removed)
		goto cleanup;
	if ((rc = block_free(tx, &rq.old_bbt)) < 0 || !data)
		goto cleanup;
	rc = PS_ECORRUPT;
	if (size >= 8 && data[0] == 0x01) {
		n = ps_get16(data + 2);
		if (8 + n * 8 > size)
			goto bad;
		for (i = 0; i < n; i++)
			if ((rc = release(tx, ps_get64(data + 8 + 8 * i), depth + 1, keep)) < 0)
				goto cleanup;
	} else if (size >= 8 && data[0] == 0x02) {
		size_t esize = data[1] == 0 ? 24 : 16;
		n = ps_get16(data + 2);
		if (8 + n * esize > size)
			goto bad;
		for (i = 0; i < n; i++) {
			const uint8_t *p = data + 8 + i * esize;
			if ((rc = release(tx, ps_get64(p + 8), depth + 1, keep)) < 0)
				goto cleanup;
			if (esize == 24 && (rc = release(tx, ps_get64(p + 16), depth + 1, keep)) < 0)
				goto cleanup;
		}
	} else {
		goto bad;
	}
	rc = 0;
	goto cleanup;
bad:
	rc = ps_error_set(PS_ECORRUPT, "cannot write '%s': block 0x%llx is not a valid internal block",
		wname(w), (unsigned long long)bid);
cleanup:
	free(data);
	return rc;
}

/* Count one more reference to an existing block. */
static int retain(ps_ndb_tx *tx, uint64_t bid)
{
	struct bt_req rq;
	int rc;

	if (bid == 0)
		return 0;
	memset(&rq, 0, sizeof(rq));
	rq.op = OP_CREF;
	rq.key = PS_BID_KEY(bid);
	rq.delta = 1;
	if ((rc = bt_run(tx, PS_PTYPE_BBT, &rq)) < 0)
		return rc;
	if (!rq.found)
		return ps_error_set(PS_ENOTFOUND, "cannot write '%s': block 0x%llx does not exist",
			wname(tx->w), (unsigned long long)bid);
	return 0;
}

/* ---- data and subnode trees --------------------------------------------- */

static int image_check(const ps_node_image *img, int depth)
{
	size_t i;
	int rc;

	if (depth > MAX_SUB_DEPTH)
		return ps_error_set(PS_EINVAL, "subnodes are nested deeper than %d levels", MAX_SUB_DEPTH);
	if (img->block_count > (size_t)XBLOCK_FULL * XBLOCK_FULL)
		return ps_error_set(PS_EINVAL, "a node of %lu blocks is larger than a pst node can be",
			(unsigned long)img->block_count);
	for (i = 0; i < img->block_count; i++)
		if ((!img->blocks[i].data && !img->blocks[i].bid) || img->blocks[i].size == 0 ||
		    img->blocks[i].size > PS_NODE_BLOCK_MAX)
			return ps_error_set(PS_EINVAL, "data block %lu of a node has %lu bytes",
				(unsigned long)i, (unsigned long)img->blocks[i].size);
	for (i = 0; i < img->sub_count; i++) {
		if (img->subs[i].nid == 0 || (i > 0 && img->subs[i].nid <= img->subs[i - 1].nid))
			return ps_error_set(PS_EINVAL, "subnode 0x%x is out of order or repeated",
				img->subs[i].nid);
		if ((rc = image_check(&img->subs[i].image, depth + 1)) < 0)
			return rc;
	}
	return 0;
}

/* An XBLOCK (level 1) or XXBLOCK (level 2) over @p n BIDs. */
static int xblock_add(ps_ndb_tx *tx, uint8_t level, const uint64_t *bids, size_t n,
	uint32_t total, uint64_t *bid_out)
{
	uint8_t buf[PS_NODE_BLOCK_MAX];
	size_t i;

	buf[0] = 0x01;
	buf[1] = level;
	ps_put16(buf + 2, (uint16_t)n);
	ps_put32(buf + 4, total);
	for (i = 0; i < n; i++)
		ps_put64(buf + 8 + 8 * i, bids[i]);
	return block_add(tx, buf, 8 + 8 * n, 1, bid_out);
}

/* A data block of an image: written, or, when the image names an existing
 * block with the same bytes (a table rebuilt with most of its rows
 * unchanged), shared. */
static int data_block(ps_ndb_tx *tx, const ps_node_block *b, struct keep *keep, uint64_t *bid_out)
{
	long kept;
	int rc;

	if (!b->bid)
		return block_add(tx, b->data, b->size, 0, bid_out);
	if (b->bid & PS_BID_INTERNAL)
		return ps_error_set(PS_EINVAL, "cannot write '%s': block 0x%llx is not a data block",
			wname(tx->w), (unsigned long long)b->bid);
	if (keep && (kept = keep_find(keep, b->bid, KEEP_FREE)) >= 0)
		keep->state[kept] = KEEP_TAKEN;        /* the old version's reference goes on */
	else if ((rc = retain(tx, b->bid)) < 0)
		return rc;
	*bid_out = b->bid;
	return 0;
}

static int write_data(ps_ndb_tx *tx, const ps_node_image *img, struct keep *keep, uint64_t *bid_out)
{
	size_t n = img->block_count, i, g, ng;
	uint64_t *bids = NULL, *xbids = NULL;
	uint64_t total = 0;
	int rc = 0;

	*bid_out = 0;
	if (n == 0)
		return 0;
	if (n == 1)
		return data_block(tx, &img->blocks[0], keep, bid_out);
	if (ps_node_image_size(img) > UINT32_MAX)
		return ps_error_set(PS_EINVAL, "a node of %llu bytes is larger than a pst node can be",
			(unsigned long long)ps_node_image_size(img));
	ng = (n + XBLOCK_MAX - 1) / XBLOCK_MAX;
	if (ng > XBLOCK_FULL)   /* only with PS_NDB_SMALL_TREES */
		return ps_error_set(PS_EINVAL, "a node of %lu blocks is too large for small trees",
			(unsigned long)n);
	bids = malloc(n * sizeof(*bids));
	xbids = malloc(ng * sizeof(*xbids));
	if (!bids || !xbids) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		if ((rc = data_block(tx, &img->blocks[i], keep, &bids[i])) < 0)
			goto cleanup;
		total += img->blocks[i].size;
	}
	if (n <= XBLOCK_MAX) {
		rc = xblock_add(tx, 1, bids, n, (uint32_t)total, bid_out);
		goto cleanup;
	}
	for (g = 0; g < ng; g++) {
		size_t first = g * XBLOCK_MAX, cnt = n - first < XBLOCK_MAX ? n - first : XBLOCK_MAX;
		uint64_t sub = 0;
		for (i = first; i < first + cnt; i++)
			sub += img->blocks[i].size;
		if ((rc = xblock_add(tx, 1, bids + first, cnt, (uint32_t)sub, &xbids[g])) < 0)
			goto cleanup;
	}
	rc = xblock_add(tx, 2, xbids, ng, (uint32_t)total, bid_out);
cleanup:
	free(bids);
	free(xbids);
	return rc;
}

/* One entry of a subnode tree level: the first NID under a block. */
struct sub_ref {
	uint32_t nid;
	uint64_t bid;
};

/* SLBLOCKs of up to 340 entries, then SIBLOCK levels of up to 510 until
 * one block is the root. */
static int write_subs(ps_ndb_tx *tx, const ps_subnode_image *subs, size_t n, int depth,
	struct keep *keep, uint64_t *bid_out)
{
	uint8_t buf[PS_NODE_BLOCK_MAX];
	struct sub_ref *refs = NULL;
	size_t i, g, nrefs = 0, per;
	uint8_t level;
	int rc = 0;

	*bid_out = 0;
	if (n == 0)
		return 0;
	refs = malloc(((n + SLBLOCK_MAX - 1) / SLBLOCK_MAX) * sizeof(*refs));
	if (!refs)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (g = 0; g < n; g += SLBLOCK_MAX) {
		size_t cnt = n - g < SLBLOCK_MAX ? n - g : SLBLOCK_MAX;
		memset(buf, 0, 8);
		buf[0] = 0x02;
		buf[1] = 0;
		ps_put16(buf + 2, (uint16_t)cnt);
		for (i = 0; i < cnt; i++) {
			const ps_subnode_image *s = &subs[g + i];
			uint64_t bd, bs;
			uint8_t *p = buf + 8 + 24 * i;
			if ((rc = write_data(tx, &s->image, keep, &bd)) < 0)
				goto cleanup;
			if ((rc = write_subs(tx, s->image.subs, s->image.sub_count, depth + 1, keep, &bs)) < 0)
				goto cleanup;
			ps_put64(p, s->nid);
			ps_put64(p + 8, bd);
			ps_put64(p + 16, bs);
		}
		refs[nrefs].nid = subs[g].nid;
		if ((rc = block_add(tx, buf, 8 + 24 * cnt, 1, &refs[nrefs].bid)) < 0)
			goto cleanup;
		nrefs++;
	}
	for (level = 1; nrefs > 1; level++) {
		size_t out = 0;
		per = SIBLOCK_MAX;
		for (g = 0; g < nrefs; g += per) {
			size_t cnt = nrefs - g < per ? nrefs - g : per;
			memset(buf, 0, 8);
			buf[0] = 0x02;
			buf[1] = level;
			ps_put16(buf + 2, (uint16_t)cnt);
			for (i = 0; i < cnt; i++) {
				ps_put64(buf + 8 + 16 * i, refs[g + i].nid);
				ps_put64(buf + 16 + 16 * i, refs[g + i].bid);
			}
			refs[out].nid = refs[g].nid;
			if ((rc = block_add(tx, buf, 8 + 16 * cnt, 1, &refs[out].bid)) < 0)
				goto cleanup;
			out++;
		}
		nrefs = out;
	}
	*bid_out = refs[0].bid;
cleanup:
	free(refs);
	return rc;
}

/* ---- transactions ------------------------------------------------------- */

static void tx_free(ps_ndb_tx *tx)
{
	size_t i;

	for (i = 0; i < tx->ext.cap; i++) {
		struct hent *e = tx->ext.b[i], *next;
		for (; e; e = next) {
			struct ext *x = e->val;
			next = e->next;
			if (x->kind == EXT_BLOCK)
				free(((struct wblock *)x)->raw);
			free(x);
			free(e);
		}
	}
	free(tx->ext.b);
	free(tx->pend);
	free(tx);
}

static int tx_usable(ps_ndb_tx *tx)
{
	if (!tx)
		return ps_error_set(PS_EINVAL, "no transaction");
	if (tx->failed)
		return ps_error_set(PS_EINVAL,
			"cannot write '%s': an earlier change of this transaction failed; abort it",
			wname(tx->w));
	return 0;
}

/* A change that failed half-way leaves the transaction inconsistent: it can
 * only be aborted. The file is untouched until commit. */
static int tx_fail(ps_ndb_tx *tx, int rc)
{
	tx->failed = 1;
	return rc;
}

static int maps_load(writer *w);

int ps_ndb_tx_begin(ps_ndb *ndb, ps_ndb_tx **out)
{
	writer *w = ps_ndb__writer(ndb);
	ps_ndb_tx *tx;
	int rc;

	*out = NULL;
	if (!w)
		return ps_error_set(PS_EINVAL, "cannot write '%s': it is open for reading only",
			ps_ndb_name(ndb));
	if (w->tx)
		return ps_error_set(PS_EINVAL, "cannot write '%s': a transaction is already open",
			wname(w));
	if (w->broken)
		return ps_error_set(PS_EIO, "cannot write '%s': a commit failed; close and reopen the store",
			wname(w));
	if ((rc = maps_load(w)) < 0)
		return rc;
	tx = calloc(1, sizeof(*tx));
	if (!tx)
		return ps_error_set(PS_ENOMEM, "out of memory");
	tx->w = w;
	tx->saved = *hdr(w);
	w->rover = w->low[0] = w->low[1] = 0;
	w->nofit[0] = w->nofit[1] = 0;
	w->tx = tx;
	*out = tx;
	return 0;
}

void ps_ndb_tx_abort(ps_ndb_tx *tx)
{
	writer *w;

	if (!tx)
		return;
	w = tx->w;
	*hdr(w) = tx->saved;
	ps_ndb__set_size(w->ndb, tx->saved.file_eof);
	memcpy(w->bits, w->cbits, w->namap * AMAP_BYTES);
	w->wnamap = w->namap;
	w->tx = NULL;
	tx_free(tx);
}

static int put_entry(ps_ndb_tx *tx, uint32_t nid, uint32_t nid_parent, uint64_t bd, uint64_t bs,
	struct keep *keep)
{
	struct bt_req rq;
	int rc;

	memset(&rq, 0, sizeof(rq));
	rq.op = OP_PUT;
	rq.key = nid;
	rq.nbt.nid = nid;
	rq.nbt.nid_parent = nid_parent;
	rq.nbt.bid_data = bd;
	rq.nbt.bid_sub = bs;
	if ((rc = bt_run(tx, PS_PTYPE_NBT, &rq)) < 0)
		return rc;
	if (!rq.found)
		return 0;
	/* The previous data and subnodes lose this node's reference. */
	if ((rc = release(tx, rq.old_nbt.bid_data, 0, keep)) < 0)
		return rc;
	return release(tx, rq.old_nbt.bid_sub, 0, keep);
}

int ps_ndb_tx_put_node(ps_ndb_tx *tx, uint32_t nid, uint32_t nid_parent,
	const ps_node_image *img)
{
	struct keep keep;
	ps_nbt_entry old;
	uint64_t bd = 0, bs = 0;
	int rc;

	memset(&keep, 0, sizeof(keep));
	if ((rc = tx_usable(tx)) < 0)
		return rc;
	if (nid == 0)
		return ps_error_set(PS_EINVAL, "cannot write '%s': node id 0 is not valid", wname(tx->w));
	if ((rc = image_check(img, 0)) < 0)
		return ps_error_prefix(rc, "cannot write node 0x%x to '%s'", nid, wname(tx->w));
	tx->changed = 1;
	if (image_has_shared(img) && ps_ndb_tx_lookup(tx, nid, &old) == 0) {
		if ((rc = keep_collect(tx, &keep, old.bid_data, 0)) < 0 ||
		    (rc = keep_collect(tx, &keep, old.bid_sub, 0)) < 0) {
			keep_free(&keep);
			return tx_fail(tx, rc);
		}
		keep.state = calloc(keep.n + 1, 1);
		if (!keep.state) {
			keep_free(&keep);
			return tx_fail(tx, ps_error_set(PS_ENOMEM, "out of memory"));
		}
		qsort(keep.bids, keep.n, sizeof(*keep.bids), cmp_u64);
	}
	if ((rc = write_data(tx, img, keep.state ? &keep : NULL, &bd)) < 0 ||
	    (rc = write_subs(tx, img->subs, img->sub_count, 0, keep.state ? &keep : NULL, &bs)) < 0 ||
	    (rc = put_entry(tx, nid, nid_parent, bd, bs, keep.state ? &keep : NULL)) < 0) {
		keep_free(&keep);
		return tx_fail(tx, rc);
	}
	keep_free(&keep);
	return 0;
}

int ps_ndb_tx_put_node_blocks(ps_ndb_tx *tx, uint32_t nid, uint32_t nid_parent,
	uint64_t bid_data, uint64_t bid_sub)
{
	int rc;

	if ((rc = tx_usable(tx)) < 0)
		return rc;
	if (nid == 0)
		return ps_error_set(PS_EINVAL, "cannot write '%s': node id 0 is not valid", wname(tx->w));
	if (bid_sub && !(bid_sub & PS_BID_INTERNAL))
		return ps_error_set(PS_EINVAL, "cannot write '%s': subnode block 0x%llx is not an internal block",
			wname(tx->w), (unsigned long long)bid_sub);
	tx->changed = 1;
	/* References first: a shared block cannot go away in between. */
	if ((rc = retain(tx, bid_data)) < 0 || (rc = retain(tx, bid_sub)) < 0 ||
	    (rc = put_entry(tx, nid, nid_parent, bid_data, bid_sub, NULL)) < 0)
		return tx_fail(tx, rc);
	return 0;
}

int ps_ndb_tx_delete_node(ps_ndb_tx *tx, uint32_t nid)
{
	struct bt_req rq;
	int rc;

	if ((rc = tx_usable(tx)) < 0)
		return rc;
	memset(&rq, 0, sizeof(rq));
	rq.op = OP_DEL;
	rq.key = nid;
	if ((rc = bt_run(tx, PS_PTYPE_NBT, &rq)) < 0)
		return tx_fail(tx, rc);
	if (!rq.found)
		return ps_error_set(PS_ENOTFOUND, "cannot delete node 0x%x from '%s': it does not exist",
			nid, wname(tx->w));
	tx->changed = 1;
	if ((rc = release(tx, rq.old_nbt.bid_data, 0, NULL)) < 0 ||
	    (rc = release(tx, rq.old_nbt.bid_sub, 0, NULL)) < 0)
		return tx_fail(tx, rc);
	return 0;
}

int ps_ndb_tx_new_nid(ps_ndb_tx *tx, unsigned type, uint32_t *nid_out)
{
	ps_ndb_header *h;
	int rc;

	*nid_out = 0;
	if ((rc = tx_usable(tx)) < 0)
		return rc;
	if (type > 0x1F)
		return ps_error_set(PS_EINVAL, "nid type 0x%x is not valid", type);
	h = hdr(tx->w);
	/* Outlook keeps the last index it handed out in rgnid (Empty.pst: folder
	 * 0x8082 is index 0x404 and rgnid[2] is 0x404), so the next one is one
	 * above. An index already in use (a file that counts otherwise) is
	 * skipped rather than trusted. */
	for (;;) {
		ps_nbt_entry e;
		if (h->rgnid[type] + 1 >= (1u << 27))
			return ps_error_set(PS_EUNSUPPORTED, "cannot write '%s': no node ids of type 0x%x are left",
				wname(tx->w), type);
		h->rgnid[type]++;
		tx->changed = 1;
		*nid_out = PS_NID_MAKE(type, h->rgnid[type]);
		rc = ps_ndb_nbt_lookup(tx->w->ndb, *nid_out, &e);
		if (rc == PS_ENOTFOUND)
			return 0;
		if (rc < 0)
			return rc;
	}
}

int ps_ndb_tx_reserve_nid(ps_ndb_tx *tx, uint32_t nid)
{
	ps_ndb_header *h;
	int rc;

	if ((rc = tx_usable(tx)) < 0)
		return rc;
	h = hdr(tx->w);
	if (h->rgnid[PS_NID_TYPE(nid)] < (nid >> 5)) {
		h->rgnid[PS_NID_TYPE(nid)] = nid >> 5;
		tx->changed = 1;
	}
	return 0;
}

int ps_ndb_tx_lookup(ps_ndb_tx *tx, uint32_t nid, ps_nbt_entry *out)
{
	if (!tx)
		return ps_error_set(PS_EINVAL, "no transaction");
	return ps_ndb_nbt_lookup(tx->w->ndb, nid, out);
}

/* ---- commit ------------------------------------------------------------- */

static int ext_cmp(const void *a, const void *b)
{
	const struct ext *x = *(const struct ext *const *)a, *y = *(const struct ext *const *)b;

	return x->ib < y->ib ? -1 : x->ib > y->ib;
}

/* Is [ib, ib + size) free in the working allocation? Nothing committed or
 * new lives there, so a write may fill it with zeros. */
static int gap_free(const writer *w, uint64_t ib, uint64_t size)
{
	uint64_t s = slot_of(ib), n = slots_for(size), i;

	for (i = 0; i < n; i++)
		if (bit_get(w->bits, s + i))
			return 0;
	return 1;
}

/* Write every block and page of the transaction, neighbours in one write,
 * bridging small free gaps between them (pages are 512-aligned, so blocks
 * and pages placed in turn leave a few free slots in between). */
static int write_extents(writer *w, ps_ndb_tx *tx)
{
	struct ext **arr = NULL;
	uint8_t *buf = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (tx->ext.count == 0)
		return 0;
	arr = malloc(tx->ext.count * sizeof(*arr));
	buf = malloc(RUN_MAX + GAP_MAX + PS_NDB_BLOCK_MAX);
	if (!arr || !buf) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < tx->ext.cap; i++) {
		struct hent *e;
		for (e = tx->ext.b[i]; e; e = e->next)
			arr[n++] = e->val;
	}
	qsort(arr, n, sizeof(*arr), ext_cmp);
	for (i = 0; i < n;) {
		uint64_t start = arr[i]->ib;
		size_t len = 0;
		for (;;) {
			uint64_t gap;
			if (arr[i]->kind == EXT_PAGE)
				page_serialize((const struct wpage *)arr[i], buf + len);
			else
				memcpy(buf + len, ((const struct wblock *)arr[i])->raw, arr[i]->size);
			len += arr[i]->size;
			i++;
			if (i == n)
				break;
			gap = arr[i]->ib - (start + len);
			if (gap > GAP_MAX || len + gap + arr[i]->size > RUN_MAX ||
			    (gap && !gap_free(w, start + len, gap)))
				break;
			memset(buf + len, 0, (size_t)gap);
			len += (size_t)gap;
		}
		if ((rc = wr_write(w, start, buf, len)) < 0)
			goto cleanup;
	}
cleanup:
	free(arr);
	free(buf);
	return rc;
}

static uint64_t count_free(const uint8_t *bits, size_t namap)
{
	uint64_t n = 0;
	size_t k;

	for (k = 0; k < namap; k++)
		n += free_in_amap(bits, k);
	return n * SLOT;
}

/* Write the FMap pages whose AMaps changed (@p touched, per AMap). */
static int fmaps_write(writer *w, const uint8_t *bits, const uint8_t *touched)
{
	size_t k, j;
	int rc;

	for (k = FMAP_FIRST; k < w->wnamap; k += FMAP_EVERY) {
		int dirty = 0;
		if (!w->fmap_ok[k])
			continue;
		for (j = k; j < k + FMAP_EVERY && j < w->wnamap && !dirty; j++)
			dirty = touched[j];
		if (dirty && (rc = fmap_write(w, k, bits)) < 0)
			return rc;
	}
	return 0;
}

/*
 * The commit. Each "sync" is where the order matters:
 *   1. the file grows (new AMap spans, their map pages past the old end),
 *      then the header says fAMapValid 0 and the new end: from here a
 *      crash leaves maps to rebuild, never a header naming missing pages;
 *   2. blocks and pages, all in space the committed trees do not use, and
 *      the AMap bits for them;
 *   3. the header with the new roots: the single write that switches the
 *      store from the old state to the new one;
 *   4. the AMap bits of what the old state alone used are cleared, with
 *      FMaps and the density list;
 *   5. the header says the maps are valid again.
 * A crash before 3 leaves the old trees, after it the new ones; in both
 * cases fAMapValid 0 makes the next writer rebuild the maps. A crash
 * between the growth and the header of step 1 leaves zeros past the end
 * the header gives, which the next writer cuts off.
 */
int ps_ndb_tx_commit(ps_ndb_tx *tx)
{
	writer *w;
	ps_ndb_header *h, before;
	uint8_t *fin = NULL, *touched = NULL;
	uint8_t dl[PS_NDB_PAGE_SIZE - TRAILER];
	uint64_t dl_bid = 0;
	int dl_changed, after_switch = 0, rc;
	size_t k, i;

	if (!tx)
		return ps_error_set(PS_EINVAL, "no transaction");
	w = tx->w;
	h = hdr(w);
	if (tx->failed) {
		ps_ndb_tx_abort(tx);
		return ps_error_set(PS_EINVAL,
			"cannot commit to '%s': a change of the transaction failed; nothing was written",
			wname(w));
	}
	memset(&w->stats, 0, sizeof(w->stats));
	if (!tx->changed) {
		w->tx = NULL;
		tx_free(tx);
		return 0;
	}
	before = tx->saved;
	/* The allocation after the commit: the working one, less the space
	 * only the old state used. */
	fin = malloc(w->wnamap * AMAP_BYTES);
	touched = calloc(w->wnamap, 1);
	if (!fin || !touched) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto fail;
	}
	memcpy(fin, w->bits, w->wnamap * AMAP_BYTES);
	for (i = 0; i < tx->npend; i++)
		bits_range(fin, slot_of(tx->pend[i].ib), slots_for(tx->pend[i].size), 0);
	if ((rc = dlist_build(w, fin, dl)) < 0)
		goto fail;
	dl_changed = !w->dlist_known || memcmp(dl, w->dlist, sizeof(dl)) != 0;
	if (dl_changed)
		dl_bid = h->bid_next_p++;
	h->amap_free = count_free(fin, w->wnamap);

	/* 1 */
	if (w->wnamap > w->namap) {
		if ((rc = ps_file_truncate(w->file, h->file_eof)) < 0)
			goto fail;
		w->file_size = h->file_eof;
		for (k = w->namap; k < w->wnamap; k++) {
			touched[k] = 1;
			if ((rc = amap_write(w, k, w->bits)) < 0 ||
			    (has_pmap(k) && (rc = pmap_write_full(w, k)) < 0) ||
			    (has_fmap(k) && (rc = fmap_write(w, k, w->bits)) < 0) ||
			    (has_fpmap(k) && (rc = fpmap_write(w, k)) < 0))
				goto fail;
		}
		before.file_eof = h->file_eof;
		before.amap_last = h->amap_last;
	}
	if ((rc = header_write(w, &before, 0)) < 0 || (rc = wr_sync(w)) < 0)
		goto fail;
	/* 2 */
	if ((rc = write_extents(w, tx)) < 0)
		goto fail;
	for (k = 0; k < w->namap; k++) {
		if (memcmp(w->dbits + k * AMAP_BYTES, w->bits + k * AMAP_BYTES, AMAP_BYTES) == 0)
			continue;
		touched[k] = 1;
		if ((rc = amap_write(w, k, w->bits)) < 0)
			goto fail;
	}
	if ((rc = wr_sync(w)) < 0)
		goto fail;
	/* 3 */
	if ((rc = header_write(w, h, 0)) < 0)
		goto fail;
	after_switch = 1;
	if ((rc = wr_sync(w)) < 0)
		goto fail;
	/* 4 */
	for (k = 0; k < w->wnamap; k++) {
		if (memcmp(w->dbits + k * AMAP_BYTES, fin + k * AMAP_BYTES, AMAP_BYTES) == 0)
			continue;
		touched[k] = 1;
		if ((rc = amap_write(w, k, fin)) < 0)
			goto fail;
	}
	if ((rc = fmaps_write(w, fin, touched)) < 0)
		goto fail;
	if (dl_changed && (rc = dlist_write(w, dl, dl_bid)) < 0)
		goto fail;
	if ((rc = wr_sync(w)) < 0)
		goto fail;
	/* 5 */
	if ((rc = header_write(w, h, 2)) < 0 || (rc = wr_sync(w)) < 0)
		goto fail;
	header_sync_parsed(w);
	memcpy(w->bits, fin, w->wnamap * AMAP_BYTES);
	memcpy(w->cbits, fin, w->wnamap * AMAP_BYTES);
	w->namap = w->wnamap;
	w->tx = NULL;
	tx_free(tx);
	free(fin);
	free(touched);
	return 0;
fail:
	/* The file holds the old state (before step 3) or the new one (after),
	 * with maps a reopen rebuilds; this handle cannot tell which bytes
	 * made it to disk, so it takes no more transactions. */
	free(fin);
	free(touched);
	if (after_switch) {
		w->tx = NULL;
		tx_free(tx);
		header_sync_parsed(w);
	} else {
		ps_ndb_tx_abort(tx);
	}
	w->broken = 1;
	return ps_error_prefix(rc, "cannot commit to '%s'", wname(w));
}

/* ---- opening ------------------------------------------------------------ */

struct rb {
	writer *w;
	uint64_t max_bid_b, max_bid_p;
	uint32_t next_index[32];
};

static int rb_mark(struct rb *r, uint64_t ib, uint64_t size, const char *what)
{
	writer *w = r->w;

	if (ib < PS_NDB_AMAP_FIRST || ib % SLOT != 0 || ib + size > amap_ib(w->namap))
		return ps_error_set(PS_ECORRUPT, "cannot open '%s' for writing: %s at 0x%llx is outside the file",
			wname(w), what, (unsigned long long)ib);
	bits_range(w->bits, slot_of(ib), slots_for(size), 1);
	return 0;
}

/* Mark the pages of a B-tree and, for the BBT, its blocks; note the
 * highest IDs in use. */
static int rb_walk(struct rb *r, uint8_t ptype, const ps_bref *ref, int level, int depth)
{
	writer *w = r->w;
	ps_bt_page *p;
	int i, rc;

	if (depth > PS_NDB_MAX_DEPTH)
		return ps_error_set(PS_ECORRUPT, "cannot open '%s' for writing: a b-tree is too deep", wname(w));
	if (ref->ib % PS_NDB_PAGE_SIZE != 0)
		return ps_error_set(PS_ECORRUPT, "cannot open '%s' for writing: page at 0x%llx is not aligned",
			wname(w), (unsigned long long)ref->ib);
	if (!(p = malloc(sizeof(*p))))
		return ps_error_set(PS_ENOMEM, "out of memory");
	if ((rc = ps_ndb_bt_page_read(w->ndb, ref, ptype, p)) < 0 ||
	    (rc = rb_mark(r, ref->ib, PS_NDB_PAGE_SIZE, "a b-tree page")) < 0)
		goto cleanup;
	if (ref->bid > r->max_bid_p)
		r->max_bid_p = ref->bid;
	if (level >= 0 && p->level != level) {
		rc = ps_error_set(PS_ECORRUPT, "cannot open '%s' for writing: b-tree page at 0x%llx has the wrong level",
			wname(w), (unsigned long long)ref->ib);
		goto cleanup;
	}
	for (i = 0; i < p->count; i++) {
		if (p->level > 0) {
			if ((rc = rb_walk(r, ptype, &p->children[i], p->level - 1, depth + 1)) < 0)
				goto cleanup;
		} else if (ptype == PS_PTYPE_BBT) {
			const ps_bbt_entry *e = &p->bbt[i];
			if ((rc = rb_mark(r, e->bref.ib, ps_ndb__block_disk_size(w->ndb, e->cb), "a block")) < 0)
				goto cleanup;
			if (PS_BID_KEY(e->bref.bid) > r->max_bid_b)
				r->max_bid_b = PS_BID_KEY(e->bref.bid);
		} else {
			uint32_t nid = p->nbt[i].nid;
			if ((nid >> 5) + 1 > r->next_index[PS_NID_TYPE(nid)])
				r->next_index[PS_NID_TYPE(nid)] = (nid >> 5) + 1;
		}
	}
	rc = 0;
cleanup:
	free(p);
	return rc;
}

/* [MS-PST] 2.6.1.3.7: the maps of a store left with fAMapValid 0 are
 * rebuilt from what the B-trees reference, and the counters raised past
 * every ID in use. Pages a PMap still reserves stay allocated, as the
 * reader of the PMap expects. */
static int rebuild_maps(writer *w)
{
	ps_ndb_header *h = hdr(w);
	uint8_t page[PS_NDB_PAGE_SIZE], dl[PS_NDB_PAGE_SIZE - TRAILER], *touched;
	uint64_t pmap_pages = 0;
	struct rb r;
	char why[200];
	size_t k, p;
	int i, rc;

	/* Maps found damaged in a file that calls them valid: say they are
	 * not before touching them, so that a crash here rebuilds again. */
	if (h->amap_valid != 0 &&
	    ((rc = header_write(w, h, 0)) < 0 || (rc = wr_sync(w)) < 0))
		return rc;
	memset(&r, 0, sizeof(r));
	r.w = w;
	memset(w->bits, 0, w->namap * AMAP_BYTES);
	for (k = 0; k < w->namap; k++)
		mark_map_pages(w, w->bits, k);
	for (k = 0; k < w->namap; k += 8) {
		uint64_t ib = amap_ib(k) + PS_NDB_PAGE_SIZE;
		if ((rc = ps_file_read_at(w->file, ib, page, sizeof(page))) < 0)
			return rc;
		if (ps_ndb__page_check(w->ndb, page, ib, PS_PTYPE_PMAP, ib, why, sizeof(why)) < 0) {
			if ((rc = pmap_write_full(w, k)) < 0)
				return rc;
			continue;
		}
		for (p = 0; p < AMAP_SLOTS; p++) {
			uint64_t off = amap_ib(k) + (uint64_t)p * PS_NDB_PAGE_SIZE;
			if (off + PS_NDB_PAGE_SIZE > h->file_eof || bit_get(page, p))
				continue;
			bits_range(w->bits, slot_of(off), PAGE_SLOTS, 1);
			pmap_pages++;
		}
	}
	if ((rc = rb_walk(&r, PS_PTYPE_BBT, &h->bbt, -1, 0)) < 0 ||
	    (rc = rb_walk(&r, PS_PTYPE_NBT, &h->nbt, -1, 0)) < 0)
		return rc;
	if (h->bid_next_b <= r.max_bid_b)
		h->bid_next_b = (r.max_bid_b & ~(uint64_t)3) + 4;
	if (h->bid_next_p <= r.max_bid_p)
		h->bid_next_p = r.max_bid_p + 1;
	for (i = 0; i < 32; i++)
		if (h->rgnid[i] < r.next_index[i])
			h->rgnid[i] = r.next_index[i];
	w->wnamap = w->namap;
	for (k = 0; k < w->namap; k++) {
		if ((rc = amap_write(w, k, w->bits)) < 0)
			return rc;
		if (has_fpmap(k) && w->fmap_ok[k] && (rc = fpmap_write(w, k)) < 0)
			return rc;
	}
	/* Every FMap is rewritten. */
	if (!(touched = malloc(w->namap)))
		return ps_error_set(PS_ENOMEM, "out of memory");
	memset(touched, 1, w->namap);
	rc = fmaps_write(w, w->bits, touched);
	free(touched);
	if (rc < 0)
		return rc;
	if ((rc = dlist_build(w, w->bits, dl)) < 0 ||
	    (rc = dlist_write(w, dl, h->bid_next_p++)) < 0 ||
	    (rc = wr_sync(w)) < 0)
		return rc;
	h->amap_free = count_free(w->bits, w->namap);
	h->pmap_free = pmap_pages * PS_NDB_PAGE_SIZE;
	if ((rc = header_write(w, h, 2)) < 0 || (rc = wr_sync(w)) < 0)
		return rc;
	header_sync_parsed(w);
	memcpy(w->cbits, w->bits, w->namap * AMAP_BYTES);
	return 0;
}

/* Read the AMaps; 0 when they are all sound, 1 when one is not. */
static int load_amaps(writer *w)
{
	uint8_t page[PS_NDB_PAGE_SIZE];
	char why[200];
	size_t k;
	int rc;

	for (k = 0; k < w->namap; k++) {
		uint64_t ib = amap_ib(k);
		if ((rc = ps_file_read_at(w->file, ib, page, sizeof(page))) < 0)
			return rc;
		if (ps_ndb__page_check(w->ndb, page, ib, PS_PTYPE_AMAP, ib, why, sizeof(why)) < 0 ||
		    (page[0] & 0x80) == 0)
			return 1;
		memcpy(w->bits + k * AMAP_BYTES, page, AMAP_BYTES);
	}
	memcpy(w->cbits, w->bits, w->namap * AMAP_BYTES);
	memcpy(w->dbits, w->bits, w->namap * AMAP_BYTES);
	return 0;
}

/* Which FMap and FPMap pages of an existing file are where we expect them:
 * only those are rewritten, so that a file laid out otherwise is never
 * written over. */
static int probe_fmaps(writer *w)
{
	uint8_t page[PS_NDB_PAGE_SIZE];
	char why[200];
	size_t k;
	int rc;

	for (k = FMAP_FIRST; k < w->namap; k++) {
		uint64_t ib;
		uint8_t ptype;
		if (has_fmap(k)) {
			ib = amap_ib(k) + 2 * PS_NDB_PAGE_SIZE;
			ptype = PS_PTYPE_FMAP;
		} else if (has_fpmap(k)) {
			ib = amap_ib(k) + 3 * PS_NDB_PAGE_SIZE;
			ptype = PS_PTYPE_FPMAP;
		} else {
			continue;
		}
		if ((rc = ps_file_read_at(w->file, ib, page, sizeof(page))) < 0)
			return rc;
		w->fmap_ok[k] = ps_ndb__page_check(w->ndb, page, ib, ptype, ib, why, sizeof(why)) == 0;
	}
	return 0;
}

static void writer_free(void *ctx)
{
	writer *w = ctx;

	if (!w)
		return;
	if (w->tx)
		ps_ndb_tx_abort(w->tx);
	free(w->bits);
	free(w->cbits);
	free(w->dbits);
	free(w->fmap_ok);
	free(w);
}

/*
 * The allocation maps, read when the first transaction begins, not at the
 * open: a sync that writes nothing to a store never reads them (one page
 * per 248 KB of file: on a share, hundreds of round trips).
 */
static int maps_load(writer *w)
{
	int rc;

	if (w->maps_loaded)
		return 0;
	if ((rc = bitmaps_reserve(w, w->namap)) < 0 || (rc = probe_fmaps(w)) < 0)
		return rc;
	rc = hdr(w)->amap_valid == 0 ? 1 : load_amaps(w);
	if (rc < 0)
		return rc;
	if (rc == 1 && (rc = rebuild_maps(w)) < 0)
		return ps_error_prefix(rc, "cannot rebuild the allocation maps");
	w->maps_loaded = 1;
	return 0;
}

/* Make the store on @p file writable. Takes @p file in every case. */
static int writer_open(ps_ndb **out, ps_file *file, const char *path)
{
	ps_ndb *ndb = NULL;
	ps_ndb_header *h;
	writer *w;
	int rc;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w) {
		ps_file_close(file);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	w->file = file;
	if ((rc = ps_file_size(file, &w->file_size)) < 0 ||
	    (rc = ps_ndb_open_cb(&ndb, wr_read, w, w->file_size, path, 0)) < 0) {
		writer_free(w);
		ps_file_close(file);
		return rc;
	}
	ps_ndb__attach_writer(ndb, file, w, writer_free);
	ps_ndb__set_page_hook(ndb, wr_page);
	w->ndb = ndb;
	h = hdr(w);
	if (!h->unicode) {
		rc = ps_error_set(PS_EUNSUPPORTED,
			"cannot write '%s': it is an ANSI (Outlook 97-2002) store; convert it to a Unicode "
			"PST first (in Outlook: a new .pst file, then move the folders into it)", path);
		goto fail;
	}
	if (h->ver != 0x17) {
		rc = ps_error_set(PS_EUNSUPPORTED, "cannot write '%s': format version 0x%x is not supported "
			"(only 0x17)", path, h->ver);
		goto fail;
	}
	if ((rc = ps_file_read_at(file, 0, w->hraw, HEADER_SIZE)) < 0)
		goto fail;
	if (h->file_eof < amap_ib(1) || (h->file_eof - PS_NDB_AMAP_FIRST) % PS_NDB_AMAP_SPAN != 0) {
		rc = ps_error_set(PS_EUNSUPPORTED, "cannot write '%s': its end 0x%llx is not at the end of an amap span",
			path, (unsigned long long)h->file_eof);
		goto fail;
	}
	if (w->file_size < h->file_eof) {
		rc = ps_error_set(PS_ECORRUPT, "cannot write '%s': the file is truncated (header says %llu bytes, file has %llu)",
			path, (unsigned long long)h->file_eof, (unsigned long long)w->file_size);
		goto fail;
	}
	/* Bytes past the end the header gives are what an interrupted commit
	 * had added: nothing refers to them. */
	if (w->file_size > h->file_eof) {
		if ((rc = ps_file_truncate(file, h->file_eof)) < 0)
			goto fail;
		w->file_size = h->file_eof;
		ps_ndb__set_size(ndb, h->file_eof);
	}
	w->namap = w->wnamap = (size_t)((h->file_eof - PS_NDB_AMAP_FIRST) / PS_NDB_AMAP_SPAN);
	/* valid allocation maps wait for the first transaction (maps_load());
	 * invalid ones (a writer was killed) are rebuilt now, as ever */
	if (h->amap_valid == 0 && (rc = maps_load(w)) < 0)
		goto fail;
	*out = ndb;
	return 0;
fail:
	ps_ndb_close(ndb);
	return rc;
}

int ps_ndb_open_write(ps_ndb **out, const char *path)
{
	ps_file *file = NULL;
	int rc;

	*out = NULL;
	if ((rc = ps_file_open(&file, path, PS_OPEN_WRITE | PS_OPEN_LOCK_EXCLUSIVE)) < 0)
		return rc;
	return writer_open(out, file, path);
}

/* ---- creating ----------------------------------------------------------- */

static void empty_leaf(uint8_t *page, uint8_t ptype, uint64_t ib, uint64_t bid)
{
	struct wpage p;

	memset(&p, 0, sizeof(p));
	p.ptype = ptype;
	p.ref.ib = ib;
	p.ref.bid = bid;
	page_serialize(&p, page);
}

int ps_ndb_create_ex(ps_ndb **out, const char *path, unsigned crypt)
{
	const uint64_t size = amap_ib(1);
	const uint64_t nbt_ib = PS_NDB_AMAP_FIRST + 2 * PS_NDB_PAGE_SIZE;
	const uint64_t bbt_ib = PS_NDB_AMAP_FIRST + 3 * PS_NDB_PAGE_SIZE;
	uint8_t *img = NULL, *h, *r, *dl;
	ps_file *file = NULL;
	uint64_t amap_free;
	int i, rc;

	*out = NULL;
	if (crypt > PS_CRYPT_CYCLIC)
		return ps_error_set(PS_EINVAL, "cannot create '%s': unknown encoding %u", path, crypt);
	if ((rc = ps_file_open(&file, path, PS_OPEN_CREATE | PS_OPEN_WRITE | PS_OPEN_LOCK_EXCLUSIVE)) < 0)
		return rc;
	img = calloc(1, (size_t)size);
	if (!img) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto fail;
	}
	/* The header (2.2.2.6), as Outlook writes a new Unicode store. */
	h = img;
	memcpy(h, "!BDN", 4);
	h[8] = 'S';
	h[9] = 'M';
	ps_put16(h + 10, 0x17);
	ps_put16(h + 12, 0x13);
	h[14] = 0x01;
	h[15] = 0x01;
	ps_put64(h + 32, 5);                       /* bidNextP: 1-3 used below, 4 the dlist */
	ps_put32(h + 40, 1);
	for (i = 0; i < 32; i++)
		ps_put32(h + 44 + 4 * i, 0x400);
	ps_put32(h + 44 + 4 * PS_NID_TYPE_SEARCH_FOLDER, 0x4000);
	ps_put32(h + 44 + 4 * PS_NID_TYPE_NORMAL_MESSAGE, 0x10000);
	ps_put32(h + 44 + 4 * PS_NID_TYPE_ASSOC_MESSAGE, 0x8000);
	r = h + ROOT;
	amap_free = (uint64_t)(AMAP_SLOTS - 4 * PAGE_SLOTS) * SLOT;
	ps_put64(r + 4, size);
	ps_put64(r + 12, PS_NDB_AMAP_FIRST);
	ps_put64(r + 20, amap_free);
	ps_put64(r + 28, 0);
	ps_put64(r + 36, 2);
	ps_put64(r + 44, nbt_ib);
	ps_put64(r + 52, 3);
	ps_put64(r + 60, bbt_ib);
	r[68] = 2;
	memset(h + 256, 0xFF, 128);             /* rgbFM, rgbFP: deprecated, 0xFF */
	memset(h + 384, 0xFF, 128);
	h[512] = 0x80;
	h[513] = (uint8_t)crypt;
	ps_put64(h + 516, 4);                      /* bidNextB */
	ps_put32(h + 4, ps_ndb__crc(0, h + 8, 471));
	ps_put32(h + 524, ps_ndb__crc(0, h + 8, 516));
	/* Density list: the one AMap and its free slots. */
	dl = img + PS_NDB_DLIST_OFFSET;
	dl[1] = 1;
	ps_put32(dl + 8, (uint32_t)((amap_free / SLOT) << 20));
	page_trailer(dl, PS_PTYPE_DL, ps_ndb__sig(PS_NDB_DLIST_OFFSET, 4), 4);
	/* AMap: itself, the PMap and the two root pages. */
	memset(img + PS_NDB_AMAP_FIRST, 0xFF, 4);
	page_trailer(img + PS_NDB_AMAP_FIRST, PS_PTYPE_AMAP, 0, PS_NDB_AMAP_FIRST);
	memset(img + PS_NDB_PMAP_FIRST, 0xFF, AMAP_BYTES);
	page_trailer(img + PS_NDB_PMAP_FIRST, PS_PTYPE_PMAP, 0, PS_NDB_PMAP_FIRST);
	empty_leaf(img + nbt_ib, PS_PTYPE_NBT, nbt_ib, 2);
	empty_leaf(img + bbt_ib, PS_PTYPE_BBT, bbt_ib, 3);
	/* Everything but the header, then the header: a crash leaves a file
	 * that is not a PST at all rather than a damaged one. */
	if ((rc = ps_file_write_at(file, HEADER_SIZE, img + HEADER_SIZE, (size_t)size - HEADER_SIZE)) < 0 ||
	    (rc = ps_file_sync(file)) < 0 ||
	    (rc = ps_file_write_at(file, 0, img, HEADER_SIZE)) < 0 ||
	    (rc = ps_file_sync(file)) < 0)
		goto fail;
	free(img);
	if ((rc = writer_open(out, file, path)) < 0) {
		ps_path_remove(path);
		return rc;
	}
	return 0;
fail:
	free(img);
	ps_file_close(file);
	ps_path_remove(path);
	return ps_error_prefix(rc, "cannot create '%s'", path);
}

int ps_ndb_create(ps_ndb **out, const char *path)
{
	return ps_ndb_create_ex(out, path, PS_CRYPT_PERMUTE);
}

int ps_ndb_write_stats_get(const ps_ndb *ndb, ps_ndb_write_stats *out)
{
	const writer *w = ps_ndb__writer(ndb);

	memset(out, 0, sizeof(*out));
	if (!w)
		return ps_error_set(PS_EINVAL, "'%s' is open for reading only", ps_ndb_name(ndb));
	*out = w->stats;
	return 0;
}
