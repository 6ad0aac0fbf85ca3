/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The node database layer of [MS-PST] (see ndb.h): header, pages, blocks,
 * the NBT and BBT, data trees and subnode trees. Every offset and count read
 * from the file is checked against the file size and the structure that
 * holds it before it is used; trees are walked with bounded depth and keys
 * that must strictly increase, so damaged or hostile input ends in
 * PS_ECORRUPT, never in a crash or an endless walk.
 */
#include "pst/ndb.h"
#include "pst/ndb_crc.h"

#include "pstsync/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_READ 564         /* Unicode header; the ANSI one is 512 */

/*
 * B-tree pages read from the file, checked, kept by offset (direct-mapped).
 * A committed page never changes where it lies (the writer copies on write
 * and gives every new page a new BID), so an entry is good for as long as
 * offset, type and BID all match; the writer drops the entries of space it
 * hands out again all the same. Pages of an open transaction never come
 * in here: the writer's page hook serves them.
 */
#ifdef PS_NDB_PCACHE_SLOTS
/* the fuzz targets' build: a small cache (a power of two), as it is made anew
 * at every open of every input */
#define PCACHE_SLOTS PS_NDB_PCACHE_SLOTS
#else
#define PCACHE_SLOTS 8192u
#endif

struct pcache_ent {
	uint64_t bid;
	uint8_t ptype;
	uint8_t page[PS_NDB_PAGE_SIZE];
};

/*
 * Reads of the file, cached in windows: a read that finds its bytes in a
 * window costs nothing, and the blocks of a data tree are read ahead in
 * runs (prefetch_children()), neighbours in one read, so that the calls
 * fall with the bytes (on a share every call is a round trip). Other
 * reads take what they ask, no more: items lie scattered, and reading
 * ahead of them costs bytes. A window is good until the writer writes over
 * it (ps_ndb__file_cache_drop()); what a transaction has not written yet
 * never comes in here (the writer serves it first).
 */
#define RC_SLOTS 16                  /* windows of runs read ahead */
#define RC_SINGLE 32                 /* and of single reads, apart: a B-tree page
                                      * looked up between must not push a run out */
#define RC_SINGLE_MAX ((size_t)16 << 10) /* larger single reads are not kept */
#define RC_MAX ((size_t)256 << 10)    /* the largest window */
#define RC_GAP ((uint64_t)4 << 10)    /* blocks this far apart are read in one run */
#define RC_MIN ((size_t)8 << 10)      /* the least a window holds room for */

struct rc_win {
	uint64_t ib;
	size_t len, cap;
	uint64_t used;              /* clock of the last hit, for eviction */
	uint8_t *buf;
};

struct ps_ndb {
	ps_ndb_read_fn read;
	void *read_ctx;
	uint64_t size;
	char *name;
	ps_file *file;              /* owned when opened by path */
	ps_ndb_header header;
	void *writer;               /* ndb_write.c's state, when writable */
	void (*writer_free)(void *writer);
	ps_ndb_page_hook page_hook; /* the writer's pages of an open transaction */
	struct pcache_ent *pcache;  /* PCACHE_SLOTS entries, made on first use */
	struct rc_win rc[RC_SLOTS + RC_SINGLE]; /* the file read cache: runs, then single reads */
	uint64_t rc_clock;
	/* the offset of each entry (0: empty), apart from the pages: the
	 * writer drops entries at every allocation and must not walk (and
	 * fault in) megabytes of pages to do it */
	uint64_t *pcache_ib;
};

/* ---- tables of [MS-PST] 5.1, 5.2 and 5.3 -------------------------------- */

static const uint8_t crypt_r[256] = {
	0x41, 0x36, 0x13, 0x62, 0xa8, 0x21, 0x6e, 0xbb, 0xf4, 0x16, 0xcc, 0x04, 0x7f, 0x64, 0xe8, 0x5d,
	0x1e, 0xf2, 0xcb, 0x2a, 0x74, 0xc5, 0x5e, 0x35, 0xd2, 0x95, 0x47, 0x9e, 0x96, 0x2d, 0x9a, 0x88,
	0x4c, 0x7d, 0x84, 0x3f, 0xdb, 0xac, 0x31, 0xb6, 0x48, 0x5f, 0xf6, 0xc4, 0xd8, 0x39, 0x8b, 0xe7,
	0x23, 0x3b, 0x38, 0x8e, 0xc8, 0xc1, 0xdf, 0x25, 0xb1, 0x20, 0xa5, 0x46, 0x60, 0x4e, 0x9c, 0xfb,
	0xaa, 0xd3, 0x56, 0x51, 0x45, 0x7c, 0x55, 0x00, 0x07, 0xc9, 0x2b, 0x9d, 0x85, 0x9b, 0x09, 0xa0,
	0x8f, 0xad, 0xb3, 0x0f, 0x63, 0xab, 0x89, 0x4b, 0xd7, 0xa7, 0x15, 0x5a, 0x71, 0x66, 0x42, 0xbf,
	0x26, 0x4a, 0x6b, 0x98, 0xfa, 0xea, 0x77, 0x53, 0xb2, 0x70, 0x05, 0x2c, 0xfd, 0x59, 0x3a, 0x86,
	0x7e, 0xce, 0x06, 0xeb, 0x82, 0x78, 0x57, 0xc7, 0x8d, 0x43, 0xaf, 0xb4, 0x1c, 0xd4, 0x5b, 0xcd,
	0xe2, 0xe9, 0x27, 0x4f, 0xc3, 0x08, 0x72, 0x80, 0xcf, 0xb0, 0xef, 0xf5, 0x28, 0x6d, 0xbe, 0x30,
	0x4d, 0x34, 0x92, 0xd5, 0x0e, 0x3c, 0x22, 0x32, 0xe5, 0xe4, 0xf9, 0x9f, 0xc2, 0xd1, 0x0a, 0x81,
	0x12, 0xe1, 0xee, 0x91, 0x83, 0x76, 0xe3, 0x97, 0xe6, 0x61, 0x8a, 0x17, 0x79, 0xa4, 0xb7, 0xdc,
	0x90, 0x7a, 0x5c, 0x8c, 0x02, 0xa6, 0xca, 0x69, 0xde, 0x50, 0x1a, 0x11, 0x93, 0xb9, 0x52, 0x87,
	0x58, 0xfc, 0xed, 0x1d, 0x37, 0x49, 0x1b, 0x6a, 0xe0, 0x29, 0x33, 0x99, 0xbd, 0x6c, 0xd9, 0x94,
	0xf3, 0x40, 0x54, 0x6f, 0xf0, 0xc6, 0x73, 0xb8, 0xd6, 0x3e, 0x65, 0x18, 0x44, 0x1f, 0xdd, 0x67,
	0x10, 0xf1, 0x0c, 0x19, 0xec, 0xae, 0x03, 0xa1, 0x14, 0x7b, 0xa9, 0x0b, 0xff, 0xf8, 0xa3, 0xc0,
	0xa2, 0x01, 0xf7, 0x2e, 0xbc, 0x24, 0x68, 0x75, 0x0d, 0xfe, 0xba, 0x2f, 0xb5, 0xd0, 0xda, 0x3d,
};

static const uint8_t crypt_s[256] = {
	0x14, 0x53, 0x0f, 0x56, 0xb3, 0xc8, 0x7a, 0x9c, 0xeb, 0x65, 0x48, 0x17, 0x16, 0x15, 0x9f, 0x02,
	0xcc, 0x54, 0x7c, 0x83, 0x00, 0x0d, 0x0c, 0x0b, 0xa2, 0x62, 0xa8, 0x76, 0xdb, 0xd9, 0xed, 0xc7,
	0xc5, 0xa4, 0xdc, 0xac, 0x85, 0x74, 0xd6, 0xd0, 0xa7, 0x9b, 0xae, 0x9a, 0x96, 0x71, 0x66, 0xc3,
	0x63, 0x99, 0xb8, 0xdd, 0x73, 0x92, 0x8e, 0x84, 0x7d, 0xa5, 0x5e, 0xd1, 0x5d, 0x93, 0xb1, 0x57,
	0x51, 0x50, 0x80, 0x89, 0x52, 0x94, 0x4f, 0x4e, 0x0a, 0x6b, 0xbc, 0x8d, 0x7f, 0x6e, 0x47, 0x46,
	0x41, 0x40, 0x44, 0x01, 0x11, 0xcb, 0x03, 0x3f, 0xf7, 0xf4, 0xe1, 0xa9, 0x8f, 0x3c, 0x3a, 0xf9,
	0xfb, 0xf0, 0x19, 0x30, 0x82, 0x09, 0x2e, 0xc9, 0x9d, 0xa0, 0x86, 0x49, 0xee, 0x6f, 0x4d, 0x6d,
	0xc4, 0x2d, 0x81, 0x34, 0x25, 0x87, 0x1b, 0x88, 0xaa, 0xfc, 0x06, 0xa1, 0x12, 0x38, 0xfd, 0x4c,
	0x42, 0x72, 0x64, 0x13, 0x37, 0x24, 0x6a, 0x75, 0x77, 0x43, 0xff, 0xe6, 0xb4, 0x4b, 0x36, 0x5c,
	0xe4, 0xd8, 0x35, 0x3d, 0x45, 0xb9, 0x2c, 0xec, 0xb7, 0x31, 0x2b, 0x29, 0x07, 0x68, 0xa3, 0x0e,
	0x69, 0x7b, 0x18, 0x9e, 0x21, 0x39, 0xbe, 0x28, 0x1a, 0x5b, 0x78, 0xf5, 0x23, 0xca, 0x2a, 0xb0,
	0xaf, 0x3e, 0xfe, 0x04, 0x8c, 0xe7, 0xe5, 0x98, 0x32, 0x95, 0xd3, 0xf6, 0x4a, 0xe8, 0xa6, 0xea,
	0xe9, 0xf3, 0xd5, 0x2f, 0x70, 0x20, 0xf2, 0x1f, 0x05, 0x67, 0xad, 0x55, 0x10, 0xce, 0xcd, 0xe3,
	0x27, 0x3b, 0xda, 0xba, 0xd7, 0xc2, 0x26, 0xd4, 0x91, 0x1d, 0xd2, 0x1c, 0x22, 0x33, 0xf8, 0xfa,
	0xf1, 0x5a, 0xef, 0xcf, 0x90, 0xb6, 0x8b, 0xb5, 0xbd, 0xc0, 0xbf, 0x08, 0x97, 0x1e, 0x6c, 0xe2,
	0x61, 0xe0, 0xc6, 0xc1, 0x59, 0xab, 0xbb, 0x58, 0xde, 0x5f, 0xdf, 0x60, 0x79, 0x7e, 0xb2, 0x8a,
};

static const uint8_t crypt_i[256] = {
	0x47, 0xf1, 0xb4, 0xe6, 0x0b, 0x6a, 0x72, 0x48, 0x85, 0x4e, 0x9e, 0xeb, 0xe2, 0xf8, 0x94, 0x53,
	0xe0, 0xbb, 0xa0, 0x02, 0xe8, 0x5a, 0x09, 0xab, 0xdb, 0xe3, 0xba, 0xc6, 0x7c, 0xc3, 0x10, 0xdd,
	0x39, 0x05, 0x96, 0x30, 0xf5, 0x37, 0x60, 0x82, 0x8c, 0xc9, 0x13, 0x4a, 0x6b, 0x1d, 0xf3, 0xfb,
	0x8f, 0x26, 0x97, 0xca, 0x91, 0x17, 0x01, 0xc4, 0x32, 0x2d, 0x6e, 0x31, 0x95, 0xff, 0xd9, 0x23,
	0xd1, 0x00, 0x5e, 0x79, 0xdc, 0x44, 0x3b, 0x1a, 0x28, 0xc5, 0x61, 0x57, 0x20, 0x90, 0x3d, 0x83,
	0xb9, 0x43, 0xbe, 0x67, 0xd2, 0x46, 0x42, 0x76, 0xc0, 0x6d, 0x5b, 0x7e, 0xb2, 0x0f, 0x16, 0x29,
	0x3c, 0xa9, 0x03, 0x54, 0x0d, 0xda, 0x5d, 0xdf, 0xf6, 0xb7, 0xc7, 0x62, 0xcd, 0x8d, 0x06, 0xd3,
	0x69, 0x5c, 0x86, 0xd6, 0x14, 0xf7, 0xa5, 0x66, 0x75, 0xac, 0xb1, 0xe9, 0x45, 0x21, 0x70, 0x0c,
	0x87, 0x9f, 0x74, 0xa4, 0x22, 0x4c, 0x6f, 0xbf, 0x1f, 0x56, 0xaa, 0x2e, 0xb3, 0x78, 0x33, 0x50,
	0xb0, 0xa3, 0x92, 0xbc, 0xcf, 0x19, 0x1c, 0xa7, 0x63, 0xcb, 0x1e, 0x4d, 0x3e, 0x4b, 0x1b, 0x9b,
	0x4f, 0xe7, 0xf0, 0xee, 0xad, 0x3a, 0xb5, 0x59, 0x04, 0xea, 0x40, 0x55, 0x25, 0x51, 0xe5, 0x7a,
	0x89, 0x38, 0x68, 0x52, 0x7b, 0xfc, 0x27, 0xae, 0xd7, 0xbd, 0xfa, 0x07, 0xf4, 0xcc, 0x8e, 0x5f,
	0xef, 0x35, 0x9c, 0x84, 0x2b, 0x15, 0xd5, 0x77, 0x34, 0x49, 0xb6, 0x12, 0x0a, 0x7f, 0x71, 0x88,
	0xfd, 0x9d, 0x18, 0x41, 0x7d, 0x93, 0xd8, 0x58, 0x2c, 0xce, 0xfe, 0x24, 0xaf, 0xde, 0xb8, 0x36,
	0xc8, 0xa1, 0x80, 0xa6, 0x99, 0x98, 0xa8, 0x2f, 0x0e, 0x81, 0x65, 0x73, 0xe4, 0xc2, 0xa2, 0x8a,
	0xd4, 0xe1, 0x11, 0xd0, 0x08, 0x8b, 0x2a, 0xf2, 0xed, 0x9a, 0x64, 0x3f, 0xc1, 0x6c, 0xf9, 0xec,
};


/* Slicing by 8: eight bytes a step through the tables of ndb_crc.h, the
 * same result as the byte-at-a-time loop of 5.3, about five times faster
 * (every block and page read is checked). */
uint32_t ps_ndb__crc(uint32_t crc, const void *data, size_t size)
{
	const uint32_t (*t)[256] = ndb_crc_table;
	const uint8_t *p = data;

	for (; size >= 8; size -= 8, p += 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			(uint32_t)p[3] << 24);
		crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^
			t[4][lo >> 24] ^ t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
	}
	for (; size > 0; size--, p++)
		crc = t[0][(crc ^ *p) & 0xFF] ^ (crc >> 8);
	return crc;
}

uint16_t ps_ndb__sig(uint64_t ib, uint64_t bid)
{
	uint64_t v = ib ^ bid;

	return (uint16_t)((uint16_t)(v >> 16) ^ (uint16_t)v);
}

void ps_ndb__crypt(uint8_t crypt, uint64_t bid, uint8_t *data, size_t size, int encode)
{
	size_t i;

	if (crypt == PS_CRYPT_PERMUTE) {
		const uint8_t *t = encode ? crypt_r : crypt_i;
		for (i = 0; i < size; i++)
			data[i] = t[data[i]];
	} else if (crypt == PS_CRYPT_CYCLIC) {
		/* The cyclic cipher is its own inverse (crypt_s is an
		 * involution), so encoding and decoding are the same walk. */
		uint32_t key = (uint32_t)bid;
		uint16_t w = (uint16_t)(key ^ (key >> 16));
		for (i = 0; i < size; i++) {
			uint8_t b = data[i];
			b = (uint8_t)(b + (uint8_t)w);
			b = crypt_r[b];
			b = (uint8_t)(b + (uint8_t)(w >> 8));
			b = crypt_s[b];
			b = (uint8_t)(b - (uint8_t)(w >> 8));
			b = crypt_i[b];
			b = (uint8_t)(b - (uint8_t)w);
			data[i] = b;
			w++;
		}
	}
}

size_t ps_ndb__trailer_size(const ps_ndb *ndb)
{
	return ndb->header.unicode ? 16 : 12;
}

size_t ps_ndb__block_data_max(const ps_ndb *ndb)
{
	return PS_NDB_BLOCK_MAX - ps_ndb__trailer_size(ndb);
}

uint64_t ps_ndb__block_disk_size(const ps_ndb *ndb, size_t cb)
{
	return ((uint64_t)cb + ps_ndb__trailer_size(ndb) + 63) & ~(uint64_t)63;
}

/* ---- opening ------------------------------------------------------------ */

static int file_read(void *ctx, uint64_t offset, void *buf, size_t size)
{
	return ps_file_read_at(ctx, offset, buf, size);
}

static int mem_read(void *ctx, uint64_t offset, void *buf, size_t size)
{
	/* Every caller has bounded offset + size by the image's size. */
	memcpy(buf, (const uint8_t *)ctx + offset, size);
	return 0;
}

/* The window to fill next among runs (@p single 0) or single reads: an
 * empty one, else the one used least lately. */
static struct rc_win *rc_victim(ps_ndb *ndb, int single)
{
	size_t i = single ? RC_SLOTS : 0, end = single ? RC_SLOTS + RC_SINGLE : RC_SLOTS;
	struct rc_win *victim = &ndb->rc[i];

	for (; i < end; i++) {
		struct rc_win *w = &ndb->rc[i];
		if (!w->len)
			return w;
		if (w->used < victim->used)
			victim = w;
	}
	return victim;
}

/* Read [@p off, @p off + @p len) of @p file into a window; NULL when that fails. */
static struct rc_win *rc_fill(ps_ndb *ndb, ps_file *file, uint64_t off, size_t len, int single,
	int *rc)
{
	struct rc_win *w = rc_victim(ndb, single);

	if (w->cap < len) {
		size_t cap = len < RC_MIN ? RC_MIN : len;
		uint8_t *nb = realloc(w->buf, cap);
		if (!nb)
			return NULL;
		w->buf = nb;
		w->cap = cap;
	}
	w->len = 0;
	if ((*rc = ps_file_read_at(file, off, w->buf, len)) < 0)
		return NULL;
	w->ib = off;
	w->len = len;
	w->used = ++ndb->rc_clock;
	return w;
}

int ps_ndb__file_read(ps_ndb *ndb, ps_file *file, uint64_t limit, uint64_t off, void *buf,
	size_t size)
{
	struct rc_win *w;
	size_t i;
	int rc = 0;

	for (i = 0; i < RC_SLOTS + RC_SINGLE; i++) {
		w = &ndb->rc[i];
		if (w->len && off >= w->ib && off + size <= w->ib + w->len) {
			memcpy(buf, w->buf + (off - w->ib), size);
			w->used = ++ndb->rc_clock;
			return 0;
		}
	}
	if (size > RC_SINGLE_MAX || off >= limit || size > limit - off)
		return ps_file_read_at(file, off, buf, size);
	/* kept: B-tree pages, folders and the message store are read again */
	w = rc_fill(ndb, file, off, size, 1, &rc);
	if (!w)
		return rc < 0 ? rc : ps_file_read_at(file, off, buf, size);
	memcpy(buf, w->buf, size);
	return 0;
}

/* Read [@p off, @p off + @p len) into a window of its own: a run of blocks
 * about to be read one by one. Best effort: a failure leaves the reads to
 * ask again (and report it). */
static void rc_prefetch(ps_ndb *ndb, uint64_t off, size_t len)
{
	size_t i;
	int rc;

	if (!ndb->file || off >= ndb->size || len > RC_MAX)
		return;
	if (len > ndb->size - off)
		len = (size_t)(ndb->size - off);
	for (i = 0; i < RC_SLOTS; i++) {
		const struct rc_win *w = &ndb->rc[i];
		if (w->len && off >= w->ib && off + len <= w->ib + w->len)
			return; /* held already */
	}
	(void)rc_fill(ndb, ndb->file, off, len, 0, &rc);
}

/*
 * The data blocks an xblock names from @p ids on, read in runs: their places
 * from the BBT, neighbours in the file (at most RC_GAP apart, in the order
 * the xblock names them) in one read each of up to RC_MAX, as many runs as
 * half the windows hold (more would push out runs not read yet): a table's
 * blocks, written together, lie together, and its 8 MB come in some forty
 * reads instead of a thousand. Returns how many
 * blocks it looked at; the walk asks again when it gets there.
 */
static size_t prefetch_children(ps_ndb *ndb, const uint8_t *ids, size_t count, size_t bidsize)
{
	uint64_t start = 0, end = 0;
	size_t i, n = 0, runs = 0;

	if (!ndb->file || (ndb->read != file_read && !ndb->writer))
		return count;
	for (i = 0; i < count && runs < RC_SLOTS / 2; i++) {
		uint64_t bid = bidsize == 8 ? ps_get64(ids + i * bidsize) : ps_get32(ids + i * bidsize);
		uint64_t ib, stop;
		ps_bbt_entry e;
		if (ps_ndb_bbt_lookup(ndb, bid, &e) < 0)
			break; /* the read itself reports it */
		ib = e.bref.ib;
		stop = ib + ps_ndb__block_disk_size(ndb, e.cb);
		if (n && ib >= end && ib <= end + RC_GAP && stop - start <= RC_MAX) {
			end = stop;
			n++;
			continue;
		}
		if (n > 1) {
			rc_prefetch(ndb, start, (size_t)(end - start));
			runs++;
		}
		start = ib;
		end = stop;
		n = 1;
	}
	if (n > 1)
		rc_prefetch(ndb, start, (size_t)(end - start));
	return i ? i : 1;
}

void ps_ndb__file_cache_drop(ps_ndb *ndb, uint64_t ib, uint64_t size)
{
	size_t i;

	for (i = 0; i < RC_SLOTS + RC_SINGLE; i++) {
		struct rc_win *w = &ndb->rc[i];
		if (w->len && ib < w->ib + w->len && w->ib < ib + size)
			w->len = 0;
	}
}

int ps_ndb_read_raw(ps_ndb *ndb, uint64_t offset, void *buf, size_t size)
{
	if (offset > ndb->size || size > ndb->size - offset)
		return ps_error_set(PS_ECORRUPT,
			"cannot read '%s': offset 0x%llx is past the end of the file (truncated?)",
			ndb->name, (unsigned long long)offset);
	if (ndb->read == file_read && ndb->file)
		return ps_ndb__file_read(ndb, ndb->file, ndb->size, offset, buf, size);
	return ndb->read(ndb->read_ctx, offset, buf, size);
}

static int parse_header(ps_ndb *ndb, const uint8_t *h, size_t avail, unsigned flags)
{
	ps_ndb_header *hd = &ndb->header;
	const uint8_t *root;
	int i;

	memset(hd, 0, sizeof(*hd));
	if (avail < 512 || memcmp(h, "!BDN", 4) != 0)
		return ps_error_set(PS_ENOTPST, "cannot open '%s': not a PST file (bad magic)", ndb->name);
	if (h[8] == 'S' && h[9] == 'O' && !(flags & PS_NDB_OPEN_OST))
		return ps_error_set(PS_EUNSUPPORTED, "cannot open '%s': it is an OST file, not a PST file", ndb->name);
	if (h[8] != 'S' || (h[9] != 'M' && h[9] != 'O'))
		return ps_error_set(PS_ENOTPST, "cannot open '%s': not a PST file (bad client magic)", ndb->name);
	hd->ost = h[9] == 'O';
	hd->ver = ps_get16(h + 10);
	hd->ver_client = ps_get16(h + 12);
	hd->platform_create = h[14];
	hd->platform_access = h[15];
	hd->crc_partial = ps_get32(h + 4);
	hd->crc_partial_calc = ps_ndb__crc(0, h + 8, 471);
	if (hd->ver == 0x0E || hd->ver == 0x0F) {
		hd->unicode = 0;
	} else if (hd->ver == 0x15 || hd->ver == 0x17) {
		hd->unicode = 1;
	} else if (hd->ver == 0x24) {
		return ps_error_set(PS_EUNSUPPORTED, "cannot open '%s': it is in the 4K-page format of "
			"Outlook 2013 and later, which pstsync's own reader does not read", ndb->name);
	} else {
		return ps_error_set(PS_ECORRUPT, "cannot open '%s': unknown format version 0x%x",
			ndb->name, hd->ver);
	}
	if (hd->unicode) {
		if (avail < HEADER_READ)
			return ps_error_set(PS_ECORRUPT, "cannot open '%s': the header is truncated", ndb->name);
		hd->bid_next_p = ps_get64(h + 32);
		hd->unique = ps_get32(h + 40);
		for (i = 0; i < 32; i++)
			hd->rgnid[i] = ps_get32(h + 44 + 4 * i);
		root = h + 180;
		hd->file_eof = ps_get64(root + 4);
		hd->amap_last = ps_get64(root + 12);
		hd->amap_free = ps_get64(root + 20);
		hd->pmap_free = ps_get64(root + 28);
		hd->nbt.bid = ps_get64(root + 36);
		hd->nbt.ib = ps_get64(root + 44);
		hd->bbt.bid = ps_get64(root + 52);
		hd->bbt.ib = ps_get64(root + 60);
		hd->amap_valid = root[68];
		memcpy(hd->fm, h + 256, 128);
		memcpy(hd->fp, h + 384, 128);
		hd->sentinel = h[512];
		hd->crypt = h[513];
		hd->bid_next_b = ps_get64(h + 516);
		hd->crc_full = ps_get32(h + 524);
		hd->crc_full_calc = ps_ndb__crc(0, h + 8, 516);
	} else {
		hd->bid_next_b = ps_get32(h + 24);
		hd->bid_next_p = ps_get32(h + 28);
		hd->unique = ps_get32(h + 32);
		for (i = 0; i < 32; i++)
			hd->rgnid[i] = ps_get32(h + 36 + 4 * i);
		root = h + 164;
		hd->file_eof = ps_get32(root + 4);
		hd->amap_last = ps_get32(root + 8);
		hd->amap_free = ps_get32(root + 12);
		hd->pmap_free = ps_get32(root + 16);
		hd->nbt.bid = ps_get32(root + 20);
		hd->nbt.ib = ps_get32(root + 24);
		hd->bbt.bid = ps_get32(root + 28);
		hd->bbt.ib = ps_get32(root + 32);
		hd->amap_valid = root[36];
		memcpy(hd->fm, h + 204, 128);
		memcpy(hd->fp, h + 332, 128);
		hd->sentinel = h[460];
		hd->crypt = h[461];
		hd->crc_full = hd->crc_full_calc = 0;
	}
	if (!(flags & PS_NDB_OPEN_LENIENT)) {
		if (hd->crc_partial != hd->crc_partial_calc)
			return ps_error_set(PS_ECORRUPT,
				"cannot open '%s': the header has a bad crc (stored 0x%08x, computed 0x%08x)",
				ndb->name, hd->crc_partial, hd->crc_partial_calc);
		if (hd->unicode && hd->crc_full != hd->crc_full_calc)
			return ps_error_set(PS_ECORRUPT,
				"cannot open '%s': the header has a bad full crc (stored 0x%08x, computed 0x%08x)",
				ndb->name, hd->crc_full, hd->crc_full_calc);
	}
	if (hd->crypt > PS_CRYPT_CYCLIC)
		return ps_error_set(PS_ECORRUPT, "cannot open '%s': unknown encoding method %u",
			ndb->name, hd->crypt);
	return 0;
}

int ps_ndb_open_cb(ps_ndb **out, ps_ndb_read_fn read, void *ctx,
	uint64_t size, const char *name, unsigned flags)
{
	uint8_t h[HEADER_READ];
	ps_ndb *ndb = NULL;
	size_t avail;
	int rc;

	*out = NULL;
	ndb = calloc(1, sizeof(*ndb));
	if (!ndb)
		return ps_error_set(PS_ENOMEM, "out of memory");
	ndb->name = malloc(strlen(name) + 1);
	if (!ndb->name) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	strcpy(ndb->name, name);
	ndb->read = read;
	ndb->read_ctx = ctx;
	ndb->size = size;
	memset(h, 0, sizeof(h));
	avail = size < HEADER_READ ? (size_t)size : HEADER_READ;
	if (avail < 512) {
		rc = ps_error_set(PS_ENOTPST, "cannot open '%s': not a PST file (too short)", name);
		goto cleanup;
	}
	if ((rc = read(ctx, 0, h, avail)) < 0)
		goto cleanup;
	if ((rc = parse_header(ndb, h, avail, flags)) < 0)
		goto cleanup;
	*out = ndb;
	ndb = NULL;
cleanup:
	if (ndb) {
		free(ndb->name);
		free(ndb);
	}
	return rc;
}

int ps_ndb_open_mem(ps_ndb **out, const void *data, size_t size,
	const char *name, unsigned flags)
{
	/* The cast drops const: mem_read() only reads through it. */
	return ps_ndb_open_cb(out, mem_read, (void *)(uintptr_t)data, size, name, flags);
}

int ps_ndb_open(ps_ndb **out, const char *path, unsigned flags)
{
	ps_file *file = NULL;
	uint64_t size;
	int rc;

	*out = NULL;
	if ((rc = ps_file_open(&file, path, PS_OPEN_READ |
		((flags & PS_NDB_OPEN_SHARED_LOCK) ? PS_OPEN_LOCK_SHARED : 0))) < 0)
		return rc;
	if ((rc = ps_file_size(file, &size)) < 0)
		goto cleanup;
	if ((rc = ps_ndb_open_cb(out, file_read, file, size, path, flags)) < 0)
		goto cleanup;
	(*out)->file = file;
	file = NULL;
cleanup:
	ps_file_close(file);
	return rc;
}

void ps_ndb_close(ps_ndb *ndb)
{
	size_t i;

	if (!ndb)
		return;
	/* The writer first: it may drop a transaction still open. */
	if (ndb->writer_free)
		ndb->writer_free(ndb->writer);
	ps_file_close(ndb->file);
	for (i = 0; i < RC_SLOTS + RC_SINGLE; i++)
		free(ndb->rc[i].buf);
	free(ndb->pcache);
	free(ndb->pcache_ib);
	free(ndb->name);
	free(ndb);
}

ps_file *ps_ndb_file(const ps_ndb *ndb)
{
	return ndb->file;
}

const ps_ndb_header *ps_ndb_header_get(const ps_ndb *ndb)
{
	return &ndb->header;
}

ps_ndb_header *ps_ndb__header_mut(ps_ndb *ndb)
{
	return &ndb->header;
}

void ps_ndb__set_size(ps_ndb *ndb, uint64_t size)
{
	ndb->size = size;
}

void ps_ndb__attach_writer(ps_ndb *ndb, ps_file *file, void *writer,
	void (*writer_free)(void *writer))
{
	ndb->file = file;
	ndb->writer = writer;
	ndb->writer_free = writer_free;
}

void *ps_ndb__writer(const ps_ndb *ndb)
{
	return ndb->writer;
}

void ps_ndb__set_page_hook(ps_ndb *ndb, ps_ndb_page_hook hook)
{
	ndb->page_hook = hook;
}

static size_t pcache_slot(uint64_t ib)
{
	return (size_t)(((ib >> 9) * 0x9E3779B97F4A7C15ull) >> 40) & (PCACHE_SLOTS - 1);
}

void ps_ndb__cache_drop(ps_ndb *ndb, uint64_t ib, uint64_t size)
{
	uint64_t at;

	if (!ndb->pcache_ib)
		return;
	/* pages are 512-aligned: one slot per 512 bytes of the range */
	for (at = ib & ~(uint64_t)(PS_NDB_PAGE_SIZE - 1); at < ib + size; at += PS_NDB_PAGE_SIZE) {
		uint64_t *k = &ndb->pcache_ib[pcache_slot(at)];
		if (*k == at)
			*k = 0;
	}
}

const char *ps_ndb_name(const ps_ndb *ndb)
{
	return ndb->name;
}

uint64_t ps_ndb_size(const ps_ndb *ndb)
{
	return ndb->size;
}

/* ---- pages -------------------------------------------------------------- */

static const char *ptype_name(uint8_t ptype)
{
	switch (ptype) {
	case PS_PTYPE_BBT: return "bbt";
	case PS_PTYPE_NBT: return "nbt";
	case PS_PTYPE_FMAP: return "fmap";
	case PS_PTYPE_PMAP: return "pmap";
	case PS_PTYPE_AMAP: return "amap";
	case PS_PTYPE_FPMAP: return "fpmap";
	case PS_PTYPE_DL: return "density list";
	default: return "unknown";
	}
}

#define WHY(...) (snprintf(why, why_size, __VA_ARGS__), PS_ECORRUPT)

int ps_ndb__page_check(const ps_ndb *ndb, const uint8_t page[PS_NDB_PAGE_SIZE],
	uint64_t ib, uint8_t ptype, uint64_t bid, char *why, size_t why_size)
{
	size_t tsize = ps_ndb__trailer_size(ndb);
	const uint8_t *t = page + PS_NDB_PAGE_SIZE - tsize;
	uint64_t tbid;
	uint32_t tcrc, crc;
	uint16_t sig;

	if (ndb->header.unicode) {
		tcrc = ps_get32(t + 4);
		tbid = ps_get64(t + 8);
	} else {
		tbid = ps_get32(t + 4);
		tcrc = ps_get32(t + 8);
	}
	if (t[0] != ptype || t[1] != ptype)
		return WHY("%s page at 0x%llx has page type 0x%02x/0x%02x, expected 0x%02x",
			ptype_name(ptype), (unsigned long long)ib, t[0], t[1], ptype);
	sig = ps_get16(t + 2);
	if (ptype == PS_PTYPE_BBT || ptype == PS_PTYPE_NBT || ptype == PS_PTYPE_DL) {
		if (sig != ps_ndb__sig(ib, tbid))
			return WHY("%s page at 0x%llx has a bad signature (0x%04x, expected 0x%04x)",
				ptype_name(ptype), (unsigned long long)ib, sig, ps_ndb__sig(ib, tbid));
	} else if (sig != 0) {
		return WHY("%s page at 0x%llx has a non-zero signature 0x%04x",
			ptype_name(ptype), (unsigned long long)ib, sig);
	}
	crc = ps_ndb__crc(0, page, PS_NDB_PAGE_SIZE - tsize);
	if (crc != tcrc)
		return WHY("%s page at 0x%llx has a bad crc (stored 0x%08x, computed 0x%08x)",
			ptype_name(ptype), (unsigned long long)ib, tcrc, crc);
	if (bid != UINT64_MAX && tbid != bid)
		return WHY("%s page at 0x%llx has bid 0x%llx, expected 0x%llx",
			ptype_name(ptype), (unsigned long long)ib, (unsigned long long)tbid,
			(unsigned long long)bid);
	return 0;
}

int ps_ndb_page_read(ps_ndb *ndb, uint64_t ib, uint8_t ptype, uint64_t bid,
	uint8_t page[PS_NDB_PAGE_SIZE])
{
	char why[200];
	int rc;

	if (ib % 64 != 0 || ib < PS_NDB_AMAP_FIRST)
		return ps_error_set(PS_ECORRUPT, "cannot read '%s': %s page offset 0x%llx is invalid",
			ndb->name, ptype_name(ptype), (unsigned long long)ib);
	if ((rc = ps_ndb_read_raw(ndb, ib, page, PS_NDB_PAGE_SIZE)) < 0)
		return rc;
	if (ps_ndb__page_check(ndb, page, ib, ptype, bid, why, sizeof(why)) < 0)
		return ps_error_set(PS_ECORRUPT, "cannot read '%s': %s", ndb->name, why);
	return 0;
}

int ps_ndb__bt_page_parse(const ps_ndb *ndb, const uint8_t page[PS_NDB_PAGE_SIZE],
	uint8_t ptype, ps_bt_page *out, char *why, size_t why_size)
{
	int uni = ndb->header.unicode;
	size_t area = uni ? 488 : 496;
	size_t want, i;
	const uint8_t *p;

	out->ptype = ptype;
	out->count = page[area];
	out->count_max = page[area + 1];
	out->entry_size = page[area + 2];
	out->level = page[area + 3];
	if (out->level > PS_NDB_MAX_DEPTH)
		return WHY("%s page has level %u (more than %d)", ptype_name(ptype),
			out->level, PS_NDB_MAX_DEPTH);
	if (out->level > 0)
		want = uni ? 24 : 12;
	else if (ptype == PS_PTYPE_NBT)
		want = uni ? 32 : 16;
	else
		want = uni ? 24 : 12;
	if (out->entry_size < want)
		return WHY("%s page has entry size %u, expected %llu", ptype_name(ptype),
			out->entry_size, (unsigned long long)want);
	if (out->count_max > area / out->entry_size)
		return WHY("%s page claims %u entries at most, room for %llu", ptype_name(ptype),
			out->count_max, (unsigned long long)(area / out->entry_size));
	if (out->count > out->count_max)
		return WHY("%s page has %u entries, more than its maximum %u", ptype_name(ptype),
			out->count, out->count_max);
	for (i = 0; i < out->count; i++) {
		p = page + i * out->entry_size;
		if (out->level > 0) {
			out->keys[i] = uni ? ps_get64(p) : ps_get32(p);
			out->children[i].bid = uni ? ps_get64(p + 8) : ps_get32(p + 4);
			out->children[i].ib = uni ? ps_get64(p + 16) : ps_get32(p + 8);
		} else if (ptype == PS_PTYPE_NBT) {
			/* A Unicode NID is 8 bytes on disk; only the low 32 bits
			 * are the NID. */
			out->keys[i] = uni ? ps_get64(p) : ps_get32(p);
			out->nbt[i].nid = ps_get32(p);
			out->nbt[i].bid_data = uni ? ps_get64(p + 8) : ps_get32(p + 4);
			out->nbt[i].bid_sub = uni ? ps_get64(p + 16) : ps_get32(p + 8);
			out->nbt[i].nid_parent = ps_get32(p + (uni ? 24 : 12));
		} else {
			out->bbt[i].bref.bid = uni ? ps_get64(p) : ps_get32(p);
			out->bbt[i].bref.ib = uni ? ps_get64(p + 8) : ps_get32(p + 4);
			out->bbt[i].cb = ps_get16(p + (uni ? 16 : 8));
			out->bbt[i].cref = ps_get16(p + (uni ? 18 : 10));
			out->keys[i] = PS_BID_KEY(out->bbt[i].bref.bid);
		}
		if (i > 0 && out->keys[i] <= out->keys[i - 1])
			return WHY("%s page keys out of order at entry %llu (0x%llx after 0x%llx)",
				ptype_name(ptype), (unsigned long long)i, (unsigned long long)out->keys[i],
				(unsigned long long)out->keys[i - 1]);
	}
	return 0;
}

int ps_ndb_bt_page_read(ps_ndb *ndb, const ps_bref *ref, uint8_t ptype, ps_bt_page *out)
{
	struct pcache_ent *e = NULL;
	uint8_t page[PS_NDB_PAGE_SIZE];
	const uint8_t *at = page;
	char why[200];
	int rc;

	if (ndb->page_hook && (rc = ndb->page_hook(ndb->writer, ref, ptype, out)) != 0)
		return rc < 0 ? rc : 0;
	if (!ndb->pcache) {
		ndb->pcache = malloc(PCACHE_SLOTS * sizeof(*ndb->pcache));
		ndb->pcache_ib = calloc(PCACHE_SLOTS, sizeof(*ndb->pcache_ib));
		if (!ndb->pcache || !ndb->pcache_ib) {
			free(ndb->pcache);
			free(ndb->pcache_ib);
			ndb->pcache = NULL;
			ndb->pcache_ib = NULL;
		}
	}
	if (ndb->pcache) {
		size_t slot = pcache_slot(ref->ib);
		e = &ndb->pcache[slot];
		if (ndb->pcache_ib[slot] == ref->ib && e->ptype == ptype && e->bid == ref->bid)
			at = e->page;
	}
	if (at == page) {
		if ((rc = ps_ndb_page_read(ndb, ref->ib, ptype, ref->bid, page)) < 0)
			return rc;
	}
	if (ps_ndb__bt_page_parse(ndb, at, ptype, out, why, sizeof(why)) < 0)
		return ps_error_set(PS_ECORRUPT, "cannot read '%s': %s at 0x%llx", ndb->name,
			why, (unsigned long long)ref->ib);
	if (e && at == page) {
		/* only pages that parsed: a damaged one is read (and reported) again */
		memcpy(e->page, page, PS_NDB_PAGE_SIZE);
		ndb->pcache_ib[pcache_slot(ref->ib)] = ref->ib;
		e->bid = ref->bid;
		e->ptype = ptype;
	}
	return 0;
}

/* Descend from the root to the leaf that may hold @p key. */
static int bt_lookup(ps_ndb *ndb, uint8_t ptype, uint64_t key, ps_bt_page *page, int *index)
{
	ps_bref ref = ptype == PS_PTYPE_NBT ? ndb->header.nbt : ndb->header.bbt;
	int level = -1;
	int i, rc;

	for (;;) {
		if ((rc = ps_ndb_bt_page_read(ndb, &ref, ptype, page)) < 0)
			return rc;
		if (level >= 0 && page->level != level - 1)
			return ps_error_set(PS_ECORRUPT,
				"cannot read '%s': %s page at 0x%llx has level %u, expected %d",
				ndb->name, ptype_name(ptype), (unsigned long long)ref.ib,
				page->level, level - 1);
		level = page->level;
		for (i = page->count - 1; i >= 0 && page->keys[i] > key; i--)
			;
		if (i < 0)
			return PS_ENOTFOUND;
		if (page->level == 0) {
			if (page->keys[i] != key)
				return PS_ENOTFOUND;
			*index = i;
			return 0;
		}
		ref = page->children[i];
	}
}

int ps_ndb_nbt_lookup(ps_ndb *ndb, uint32_t nid, ps_nbt_entry *out)
{
	ps_bt_page page;
	int i = 0, rc;

	rc = bt_lookup(ndb, PS_PTYPE_NBT, nid, &page, &i);
	if (rc == PS_ENOTFOUND)
		return ps_error_set(PS_ENOTFOUND, "cannot read '%s': node 0x%x does not exist",
			ndb->name, nid);
	if (rc < 0)
		return rc;
	*out = page.nbt[i];
	return 0;
}

int ps_ndb_bbt_lookup(ps_ndb *ndb, uint64_t bid, ps_bbt_entry *out)
{
	ps_bt_page page;
	int i = 0, rc;

	rc = bt_lookup(ndb, PS_PTYPE_BBT, PS_BID_KEY(bid), &page, &i);
	if (rc == PS_ENOTFOUND)
		return ps_error_set(PS_ENOTFOUND, "cannot read '%s': block 0x%llx does not exist",
			ndb->name, (unsigned long long)bid);
	if (rc < 0)
		return rc;
	*out = page.bbt[i];
	return 0;
}

struct bt_walk {
	ps_ndb *ndb;
	uint8_t ptype;
	int (*nbt_fn)(void *ctx, const ps_nbt_entry *e);
	int (*bbt_fn)(void *ctx, const ps_bbt_entry *e);
	void *ctx;
	int have_last;
	uint64_t last;
	uint64_t stop;              /* keys from here on are not walked */
};

/* Keys must strictly increase over the whole walk: that alone stops a page
 * that is reachable twice from being walked twice. */
static int bt_walk(struct bt_walk *w, const ps_bref *ref, int level, uint64_t lo, uint64_t hi)
{
	ps_bt_page *page;
	int i, rc;

	page = malloc(sizeof(*page));
	if (!page)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if ((rc = ps_ndb_bt_page_read(w->ndb, ref, w->ptype, page)) < 0)
		goto cleanup;
	if (level >= 0 && page->level != level) {
		rc = ps_error_set(PS_ECORRUPT,
			"cannot read '%s': %s page at 0x%llx has level %u, expected %d",
			w->ndb->name, ptype_name(w->ptype), (unsigned long long)ref->ib,
			page->level, level);
		goto cleanup;
	}
	if (level >= 0 && page->count == 0) {
		rc = ps_error_set(PS_ECORRUPT, "cannot read '%s': %s page at 0x%llx is empty",
			w->ndb->name, ptype_name(w->ptype), (unsigned long long)ref->ib);
		goto cleanup;
	}
	for (i = 0; i < page->count; i++) {
		uint64_t key = page->keys[i];
		if ((w->have_last && key <= w->last) || key < lo || key >= hi) {
			rc = ps_error_set(PS_ECORRUPT,
				"cannot read '%s': %s page at 0x%llx has key 0x%llx out of order",
				w->ndb->name, ptype_name(w->ptype), (unsigned long long)ref->ib,
				(unsigned long long)key);
			goto cleanup;
		}
		if (key >= w->stop)
			break; /* sorted: the rest lie past it too */
		if (page->level > 0) {
			uint64_t next = i + 1 < page->count ? page->keys[i + 1] : hi;
			rc = bt_walk(w, &page->children[i], page->level - 1, key, next);
			if (rc != 0)
				goto cleanup;
			continue;
		}
		w->have_last = 1;
		w->last = key;
		rc = w->ptype == PS_PTYPE_NBT ? w->nbt_fn(w->ctx, &page->nbt[i])
			: w->bbt_fn(w->ctx, &page->bbt[i]);
		if (rc != 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	free(page);
	return rc;
}

static int nbt_walk_below(ps_ndb *ndb, uint64_t stop, int (*fn)(void *ctx, const ps_nbt_entry *e),
	void *ctx)
{
	struct bt_walk w;

	memset(&w, 0, sizeof(w));
	w.ndb = ndb;
	w.ptype = PS_PTYPE_NBT;
	w.nbt_fn = fn;
	w.ctx = ctx;
	w.stop = stop;
	return bt_walk(&w, &ndb->header.nbt, -1, 0, UINT64_MAX);
}

int ps_ndb_nbt_foreach(ps_ndb *ndb, int (*fn)(void *ctx, const ps_nbt_entry *e), void *ctx)
{
	return nbt_walk_below(ndb, UINT64_MAX, fn, ctx);
}

int ps_ndb_nbt_foreach_below(ps_ndb *ndb, uint32_t stop, int (*fn)(void *ctx, const ps_nbt_entry *e),
	void *ctx)
{
	return nbt_walk_below(ndb, stop, fn, ctx);
}

int ps_ndb_bbt_foreach(ps_ndb *ndb, int (*fn)(void *ctx, const ps_bbt_entry *e), void *ctx)
{
	struct bt_walk w;

	memset(&w, 0, sizeof(w));
	w.ndb = ndb;
	w.ptype = PS_PTYPE_BBT;
	w.bbt_fn = fn;
	w.ctx = ctx;
	w.stop = UINT64_MAX;
	return bt_walk(&w, &ndb->header.bbt, -1, 0, UINT64_MAX);
}

/* ---- blocks ------------------------------------------------------------- */

int ps_ndb__block_read_raw(ps_ndb *ndb, const ps_bbt_entry *e, uint8_t **raw,
	char *why, size_t why_size)
{
	size_t tsize = ps_ndb__trailer_size(ndb);
	uint64_t disk = ps_ndb__block_disk_size(ndb, e->cb);
	uint8_t *buf = NULL;
	const uint8_t *t;
	uint64_t tbid;
	uint32_t tcrc, crc;
	uint16_t tcb, sig;
	int rc;

	*raw = NULL;
	if (e->cb > ps_ndb__block_data_max(ndb))
		return WHY("block 0x%llx is %u bytes, more than a block holds",
			(unsigned long long)e->bref.bid, e->cb);
	if (e->bref.ib % 64 != 0 || e->bref.ib < PS_NDB_AMAP_FIRST ||
	    e->bref.ib > ndb->size || disk > ndb->size - e->bref.ib)
		return WHY("block 0x%llx has an invalid offset 0x%llx",
			(unsigned long long)e->bref.bid, (unsigned long long)e->bref.ib);
	buf = malloc((size_t)disk);
	if (!buf) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		snprintf(why, why_size, "out of memory");
		return rc;
	}
	if ((rc = ndb->read(ndb->read_ctx, e->bref.ib, buf, (size_t)disk)) < 0) {
		snprintf(why, why_size, "%s", ps_error_last());
		goto cleanup;
	}
	t = buf + disk - tsize;
	tcb = ps_get16(t);
	sig = ps_get16(t + 2);
	if (ndb->header.unicode) {
		tcrc = ps_get32(t + 4);
		tbid = ps_get64(t + 8);
	} else {
		tbid = ps_get32(t + 4);
		tcrc = ps_get32(t + 8);
	}
	if (tcb != e->cb) {
		rc = WHY("block 0x%llx at 0x%llx has size %u in its trailer, %u in the bbt",
			(unsigned long long)e->bref.bid, (unsigned long long)e->bref.ib, tcb, e->cb);
		goto cleanup;
	}
	if (PS_BID_KEY(tbid) != PS_BID_KEY(e->bref.bid)) {
		rc = WHY("block 0x%llx at 0x%llx has bid 0x%llx in its trailer",
			(unsigned long long)e->bref.bid, (unsigned long long)e->bref.ib,
			(unsigned long long)tbid);
		goto cleanup;
	}
	if (sig != ps_ndb__sig(e->bref.ib, tbid)) {
		rc = WHY("block 0x%llx at 0x%llx has a bad signature (0x%04x, expected 0x%04x)",
			(unsigned long long)e->bref.bid, (unsigned long long)e->bref.ib, sig,
			ps_ndb__sig(e->bref.ib, tbid));
		goto cleanup;
	}
	crc = ps_ndb__crc(0, buf, e->cb);
	if (crc != tcrc) {
		rc = WHY("block 0x%llx at 0x%llx has a bad crc (stored 0x%08x, computed 0x%08x)",
			(unsigned long long)e->bref.bid, (unsigned long long)e->bref.ib, tcrc, crc);
		goto cleanup;
	}
	*raw = buf;
	buf = NULL;
	rc = 0;
cleanup:
	free(buf);
	return rc;
}

int ps_ndb_block_read(ps_ndb *ndb, uint64_t bid, uint8_t **data, size_t *size,
	ps_bbt_entry *entry_out)
{
	ps_bbt_entry e;
	char why[200];
	int rc;

	*data = NULL;
	*size = 0;
	if ((rc = ps_ndb_bbt_lookup(ndb, bid, &e)) < 0)
		return rc;
	rc = ps_ndb__block_read_raw(ndb, &e, data, why, sizeof(why));
	if (rc == PS_ECORRUPT)
		return ps_error_set(PS_ECORRUPT, "cannot read '%s': %s", ndb->name, why);
	if (rc < 0)
		return rc;
	if (!(e.bref.bid & PS_BID_INTERNAL))
		ps_ndb__crypt(ndb->header.crypt, e.bref.bid, *data, e.cb, 0);
	*size = e.cb;
	if (entry_out)
		*entry_out = e;
	return 0;
}

/* ---- data trees --------------------------------------------------------- */

static int push_u64(uint64_t **arr, size_t *count, size_t *cap, uint64_t v)
{
	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		uint64_t *n = realloc(*arr, ncap * sizeof(**arr));
		if (!n)
			return ps_error_set(PS_ENOMEM, "out of memory");
		*arr = n;
		*cap = ncap;
	}
	(*arr)[(*count)++] = v;
	return 0;
}

struct data_walk {
	ps_ndb *ndb;
	ps_ndb_data *out;
	size_t cap, icap;
	int bids_only;              /* leaves are named, not read */
};

static int data_add_leaf(struct data_walk *w, uint64_t bid, uint8_t *buf, size_t size)
{
	ps_ndb_data *d = w->out;

	if (d->count == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 8;
		uint8_t **nb = realloc(d->blocks, ncap * sizeof(*nb));
		if (!nb)
			return ps_error_set(PS_ENOMEM, "out of memory");
		d->blocks = nb;
		size_t *ns = realloc(d->sizes, ncap * sizeof(*ns));
		if (!ns)
			return ps_error_set(PS_ENOMEM, "out of memory");
		d->sizes = ns;
		uint64_t *ni = realloc(d->bids, ncap * sizeof(*ni));
		if (!ni)
			return ps_error_set(PS_ENOMEM, "out of memory");
		d->bids = ni;
		w->cap = ncap;
	}
	d->blocks[d->count] = buf;
	d->sizes[d->count] = size;
	d->bids[d->count] = bid;
	d->count++;
	d->total += size;
	return 0;
}

/* Read the tree under @p bid; @p level is what the parent expects of it
 * (-1 at the top: anything). Returns the bytes it holds in *@p got. */
static int data_walk(struct data_walk *w, uint64_t bid, int level, uint64_t *got)
{
	ps_ndb *ndb = w->ndb;
	size_t bidsize = ndb->header.unicode ? 8 : 4;
	uint8_t *buf = NULL;
	size_t size = 0, i, count, ahead;
	uint64_t total = 0, sub;
	uint32_t lcb;
	int rc;

	*got = 0;
	if (w->bids_only && !(bid & PS_BID_INTERNAL)) {
		if (level > 0)
			return ps_error_set(PS_ECORRUPT,
				"cannot read '%s': data block 0x%llx stands where an xblock is expected",
				ndb->name, (unsigned long long)bid);
		return data_add_leaf(w, bid, NULL, 0);
	}
	if ((rc = ps_ndb_block_read(ndb, bid, &buf, &size, NULL)) < 0)
		return rc;
	if (!(bid & PS_BID_INTERNAL)) {
		if (level > 0) {
			rc = ps_error_set(PS_ECORRUPT,
				"cannot read '%s': data block 0x%llx stands where an xblock is expected",
				ndb->name, (unsigned long long)bid);
			goto cleanup;
		}
		/* Data no larger than the file: a tree that names one block
		 * many times must not make us allocate without bound. */
		if (w->out->total + size > ndb->size) {
			rc = ps_error_set(PS_ECORRUPT,
				"cannot read '%s': the data tree of block 0x%llx is larger than the file",
				ndb->name, (unsigned long long)bid);
			goto cleanup;
		}
		if ((rc = data_add_leaf(w, bid, buf, size)) < 0)
			goto cleanup;
		buf = NULL;
		*got = size;
		return 0;
	}
	if ((rc = push_u64(&w->out->internal_bids, &w->out->internal_count, &w->icap, bid)) < 0)
		goto cleanup;
	if (size < 8 || buf[0] != 0x01 || buf[1] < 1 || buf[1] > 2 ||
	    (level >= 0 && buf[1] != level)) {
		rc = ps_error_set(PS_ECORRUPT,
			"cannot read '%s': block 0x%llx is not a valid xblock (type %u, level %u)",
			ndb->name, (unsigned long long)bid, size ? buf[0] : 0, size > 1 ? buf[1] : 0);
		goto cleanup;
	}
	count = ps_get16(buf + 2);
	lcb = ps_get32(buf + 4);
	if (count == 0 || 8 + count * bidsize > size) {
		rc = ps_error_set(PS_ECORRUPT,
			"cannot read '%s': xblock 0x%llx has %llu entries, room for %llu",
			ndb->name, (unsigned long long)bid, (unsigned long long)count, (unsigned long long)((size - 8) / bidsize));
		goto cleanup;
	}
	for (i = 0, ahead = 0; i < count; i++) {
		const uint8_t *p = buf + 8 + i * bidsize;
		uint64_t child = bidsize == 8 ? ps_get64(p) : ps_get32(p);
		if (buf[1] == 1 && !w->bids_only && i == ahead)
			ahead = i + prefetch_children(ndb, p, count - i, bidsize);
		if ((rc = data_walk(w, child, buf[1] - 1, &sub)) < 0)
			goto cleanup;
		total += sub;
	}
	if (total != lcb && !w->bids_only) {
		rc = ps_error_set(PS_ECORRUPT,
			"cannot read '%s': xblock 0x%llx says %u bytes, its blocks hold %llu",
			ndb->name, (unsigned long long)bid, lcb, (unsigned long long)total);
		goto cleanup;
	}
	*got = total;
	rc = 0;
cleanup:
	free(buf);
	return rc;
}

void ps_ndb_data_free(ps_ndb_data *data)
{
	size_t i;

	if (!data)
		return;
	for (i = 0; i < data->count; i++)
		free(data->blocks[i]);
	free(data->blocks);
	free(data->sizes);
	free(data->bids);
	free(data->internal_bids);
	memset(data, 0, sizeof(*data));
}

/* The data tree at @p bid: its blocks, or with @p bids_only their BIDs alone. */
static int data_tree(ps_ndb *ndb, uint64_t bid, int bids_only, ps_ndb_data *out)
{
	struct data_walk w;
	uint64_t got;
	int rc;

	memset(out, 0, sizeof(*out));
	if (bid == 0)
		return 0;
	memset(&w, 0, sizeof(w));
	w.ndb = ndb;
	w.out = out;
	w.bids_only = bids_only;
	rc = data_walk(&w, bid, -1, &got);
	if (rc < 0)
		ps_ndb_data_free(out);
	return rc;
}

int ps_ndb_data_read(ps_ndb *ndb, uint64_t bid, ps_ndb_data *out)
{
	return data_tree(ndb, bid, 0, out);
}

int ps_ndb_data_bids(ps_ndb *ndb, uint64_t bid, ps_ndb_data *out)
{
	return data_tree(ndb, bid, 1, out);
}

int ps_ndb_data_read_flat(ps_ndb *ndb, uint64_t bid, uint8_t **buf, size_t *size)
{
	ps_ndb_data d;
	size_t i, off = 0;
	int rc;

	*buf = NULL;
	*size = 0;
	if ((rc = ps_ndb_data_read(ndb, bid, &d)) < 0)
		return rc;
	*buf = malloc(d.total ? d.total : 1);
	if (!*buf) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < d.count; i++) {
		memcpy(*buf + off, d.blocks[i], d.sizes[i]);
		off += d.sizes[i];
	}
	*size = d.total;
cleanup:
	ps_ndb_data_free(&d);
	return rc;
}

/* ---- subnode trees ------------------------------------------------------ */

struct sub_walk {
	ps_ndb *ndb;
	ps_ndb_subnodes *out;
	size_t cap, icap;
};

static int sub_walk(struct sub_walk *w, uint64_t bid, int level)
{
	ps_ndb *ndb = w->ndb;
	int uni = ndb->header.unicode;
	size_t head = uni ? 8 : 4;
	uint8_t *buf = NULL;
	size_t size = 0, i, count, esize;
	int rc;

	if (!(bid & PS_BID_INTERNAL))
		return ps_error_set(PS_ECORRUPT,
			"cannot read '%s': subnode block 0x%llx is not an internal block",
			ndb->name, (unsigned long long)bid);
	if ((rc = ps_ndb_block_read(ndb, bid, &buf, &size, NULL)) < 0)
		return rc;
	if ((rc = push_u64(&w->out->internal_bids, &w->out->internal_count, &w->icap, bid)) < 0)
		goto cleanup;
	if (size < head || buf[0] != 0x02 || buf[1] > PS_NDB_MAX_DEPTH ||
	    (level >= 0 && buf[1] != level)) {
		rc = ps_error_set(PS_ECORRUPT,
			"cannot read '%s': block 0x%llx is not a valid subnode block (type %u, level %u)",
			ndb->name, (unsigned long long)bid, size ? buf[0] : 0, size > 1 ? buf[1] : 0);
		goto cleanup;
	}
	count = ps_get16(buf + 2);
	esize = buf[1] == 0 ? (uni ? 24 : 12) : (uni ? 16 : 8);
	if (head + count * esize > size) {
		rc = ps_error_set(PS_ECORRUPT,
			"cannot read '%s': subnode block 0x%llx has %llu entries, room for %llu",
			ndb->name, (unsigned long long)bid, (unsigned long long)count, (unsigned long long)((size - head) / esize));
		goto cleanup;
	}
	for (i = 0; i < count; i++) {
		const uint8_t *p = buf + head + i * esize;
		uint32_t nid = ps_get32(p);
		if (buf[1] > 0) {
			uint64_t child = uni ? ps_get64(p + 8) : ps_get32(p + 4);
			if ((rc = sub_walk(w, child, buf[1] - 1)) < 0)
				goto cleanup;
			continue;
		}
		if (w->out->count == w->cap) {
			size_t ncap = w->cap ? w->cap * 2 : 16;
			ps_sl_entry *n;
			/* Entries are at least 12 bytes of the file each. */
			if (ncap > ndb->size / 12 + 16) {
				rc = ps_error_set(PS_ECORRUPT,
					"cannot read '%s': subnode tree 0x%llx is larger than the file",
					ndb->name, (unsigned long long)bid);
				goto cleanup;
			}
			n = realloc(w->out->entries, ncap * sizeof(*n));
			if (!n) {
				rc = ps_error_set(PS_ENOMEM, "out of memory");
				goto cleanup;
			}
			w->out->entries = n;
			w->cap = ncap;
		}
		ps_sl_entry *e = &w->out->entries[w->out->count];
		e->nid = nid;
		e->bid_data = uni ? ps_get64(p + 8) : ps_get32(p + 4);
		e->bid_sub = uni ? ps_get64(p + 16) : ps_get32(p + 8);
		/* Entries come in NID order across the whole tree. */
		if (w->out->count > 0 && e->nid <= w->out->entries[w->out->count - 1].nid) {
			rc = ps_error_set(PS_ECORRUPT,
				"cannot read '%s': subnode block 0x%llx has nid 0x%x out of order",
				ndb->name, (unsigned long long)bid, nid);
			goto cleanup;
		}
		w->out->count++;
	}
	rc = 0;
cleanup:
	free(buf);
	return rc;
}

void ps_ndb_subnodes_free(ps_ndb_subnodes *sub)
{
	if (!sub)
		return;
	free(sub->entries);
	free(sub->internal_bids);
	memset(sub, 0, sizeof(*sub));
}

int ps_ndb_subnodes_read(ps_ndb *ndb, uint64_t bid, ps_ndb_subnodes *out)
{
	struct sub_walk w;
	int rc;

	memset(out, 0, sizeof(*out));
	if (bid == 0)
		return 0;
	memset(&w, 0, sizeof(w));
	w.ndb = ndb;
	w.out = out;
	rc = sub_walk(&w, bid, -1);
	if (rc < 0)
		ps_ndb_subnodes_free(out);
	return rc;
}

const ps_sl_entry *ps_ndb_subnodes_find(const ps_ndb_subnodes *sub, uint32_t nid)
{
	size_t lo = 0, hi = sub->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sub->entries[mid].nid == nid)
			return &sub->entries[mid];
		if (sub->entries[mid].nid < nid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
