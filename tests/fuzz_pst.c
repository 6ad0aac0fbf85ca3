/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * libFuzzer target for our own PST parsing code: every input is opened as a
 * PST image in memory, every node read through the NDB and LTP readers, and
 * the integrity checker run over it (ps_pst_fuzz_one). Built by `make
 * fuzz-short` (part of `make check`) and `make fuzz` (a long run), seeded
 * with the sample stores, the regression inputs of tests/corpus/pst and,
 * with `make fuzz-seeds`, big generated stores.
 *
 * Blind byte flips in a store almost always break a CRC, and the readers
 * stop at the first bad CRC: the structure under it is never reached. So
 * a custom mutator changes a store the way a damaged or foreign writer
 * would and then makes its CRCs right again: the decoded data of one
 * block (heap, BTH, row matrix bytes), the entries of one XBLOCK, XXBLOCK,
 * SLBLOCK or SIBLOCK (a child BID replaced by another block's, a count or
 * level changed), or one entry of a B-tree page (a node's data or subnode
 * tree pointed at another block, a block's size or offset changed, two
 * entries swapped). One time in eight it leaves the change to libFuzzer's
 * own byte mutations, and ANSI stores or inputs that do not open as a
 * store always are.
 */
#include "pst/check.h"
#include "pst/ndb.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 512u
#define PAGE_TRAILER 16u
#define BLOCK_TRAILER 16u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ps_pst_fuzz_one(data, size);
	return 0;
}

struct blocks {
	ps_bbt_entry *e;
	size_t n, cap;
	uint64_t file;
};

static int add_block(void *ctx, const ps_bbt_entry *e)
{
	struct blocks *b = ctx;

	if (e->bref.ib + e->cb + BLOCK_TRAILER > b->file || e->cb == 0)
		return 0;
	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 256;
		ps_bbt_entry *g = realloc(b->e, ncap * sizeof(*g));
		if (!g)
			return -1;
		b->e = g;
		b->cap = ncap;
	}
	b->e[b->n++] = *e;
	return 0;
}

static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 11);
}

/* A value worth writing over a BID or an offset: another block's. */
static uint64_t some_bid(const struct blocks *b, uint64_t *s)
{
	const ps_bbt_entry *e = &b->e[rnd(s) % b->n];

	switch (rnd(s) % 8) {
	case 0: return 0;
	case 1: return e->bref.ib;
	case 2: return e->bref.bid ^ PS_BID_INTERNAL;
	default: return e->bref.bid;
	}
}

/* One block of the store: its data changed, then its CRC made right. */
static int mutate_block(uint8_t *data, const struct blocks *b, uint8_t crypt, uint64_t *s)
{
	const ps_bbt_entry *e = &b->e[rnd(s) % b->n];
	uint64_t disk = ((uint64_t)e->cb + BLOCK_TRAILER + 63) & ~(uint64_t)63;
	uint8_t *p = data + e->bref.ib, *t;
	int internal = (e->bref.bid & PS_BID_INTERNAL) != 0;

	if (e->bref.ib + disk > b->file)
		return 0;
	t = p + disk - BLOCK_TRAILER;
	if (internal && e->cb >= 8 && rnd(s) % 4 != 0) {
		/* XBLOCK/XXBLOCK (8-byte BIDs) or SLBLOCK/SIBLOCK entries */
		size_t n = p[0] == 0x01 ? (e->cb - 8) / 8 : p[1] == 0 ? (e->cb - 8) / 24 : (e->cb - 8) / 16;
		size_t esz = p[0] == 0x01 ? 8 : p[1] == 0 ? 24 : 16;
		switch (rnd(s) % 6) {
		case 0:
			ps_put16(p + 2, (uint16_t)(rnd(s) % (n + 2)));
			break;
		case 1:
			p[1] = (uint8_t)(rnd(s) % 3);
			break;
		case 2:
			ps_put32(p + 4, rnd(s) % 2 ? rnd(s) : ps_get32(p + 4) + (rnd(s) % 64) - 32);
			break;
		default:
			if (n) {
				size_t i = rnd(s) % n, f = esz == 8 ? 0 : 8 * (1 + rnd(s) % (esz / 8 - 1));
				ps_put64(p + 8 + i * esz + f, some_bid(b, s));
			}
		}
	} else {
		if (!internal)
			ps_ndb__crypt(crypt, e->bref.bid, p, e->cb, 0);
		LLVMFuzzerMutate(p, e->cb, e->cb);
		if (!internal)
			ps_ndb__crypt(crypt, e->bref.bid, p, e->cb, 1);
	}
	ps_put32(t + 4, ps_ndb__crc(0, p, e->cb));
	return 1;
}

/* One entry of a B-tree page (NBT or BBT, leaf or not), CRC made right. */
static int mutate_page(uint8_t *data, size_t size, const struct blocks *b, uint64_t *s)
{
	size_t pages = size / PAGE, tries;

	for (tries = 0; tries < 64 && pages > 2; tries++) {
		uint8_t *p = data + (size_t)(rnd(s) % pages) * PAGE, *t = p + PAGE - PAGE_TRAILER;
		size_t cent = p[488], cbent = p[490], i, j;
		uint8_t tmp[32];
		if ((t[0] != 0x80 && t[0] != 0x81) || t[0] != t[1] || cbent == 0 || cbent > 32 ||
		    cent == 0 || cent * cbent > 488 || ps_get32(t + 4) != ps_ndb__crc(0, p, PAGE - PAGE_TRAILER))
			continue;
		i = rnd(s) % cent;
		switch (rnd(s) % 6) {
		case 0:   /* two entries swapped: keys out of order */
			j = rnd(s) % cent;
			memcpy(tmp, p + i * cbent, cbent);
			memcpy(p + i * cbent, p + j * cbent, cbent);
			memcpy(p + j * cbent, tmp, cbent);
			break;
		case 1:   /* a count or level changed */
			p[488 + rnd(s) % 4] = (uint8_t)(rnd(s) % 2 ? rnd(s) : p[488] + 1);
			break;
		case 2:   /* BBT leaf: cb; NBT leaf: nidParent */
			if (cbent == 24 && p[491] == 0)
				ps_put16(p + i * cbent + 16, (uint16_t)(rnd(s) % 2 ? rnd(s) % 8177 : ps_get16(p + i * cbent + 16) + 1));
			else
				ps_put32(p + i * cbent + 24 % cbent, rnd(s));
			break;
		default:  /* a BID or offset pointed elsewhere */
			j = 8 * (1 + rnd(s) % (cbent / 8 - 1 ? cbent / 8 - 1 : 1));
			if (j + 8 <= cbent)
				ps_put64(p + i * cbent + j, some_bid(b, s));
		}
		ps_put32(t + 4, ps_ndb__crc(0, p, PAGE - PAGE_TRAILER));
		return 1;
	}
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
	struct blocks b;
	ps_ndb *ndb = NULL;
	uint8_t crypt;
	int done = 0, rounds;

	if (rnd(&s) % 8 == 0 ||
	    ps_ndb_open_mem(&ndb, data, size, "mutate.pst", PS_NDB_OPEN_LENIENT) < 0)
		return LLVMFuzzerMutate(data, size, max_size);
	memset(&b, 0, sizeof(b));
	b.file = size;
	crypt = ps_ndb_header_get(ndb)->crypt;
	if (ps_ndb_header_get(ndb)->unicode)
		(void)ps_ndb_bbt_foreach(ndb, add_block, &b);
	ps_ndb_close(ndb);
	/* the image is changed below, after the reader that looked at it is closed */
	for (rounds = 1 + (int)(rnd(&s) % 3); b.n && rounds > 0; rounds--)
		done |= rnd(&s) % 3 == 0 ? mutate_page(data, size, &b, &s) : mutate_block(data, &b, crypt, &s);
	free(b.e);
	return done ? size : LLVMFuzzerMutate(data, size, max_size);
}
