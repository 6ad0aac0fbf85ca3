/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The node database (NDB) layer of [MS-PST] section 2.2: the header and its
 * root, pages and their trailers, blocks and their trailers, the two B-trees
 * (NBT of nodes, BBT of blocks), data trees (XBLOCK/XXBLOCK) and subnode
 * trees (SLBLOCK/SIBLOCK), in both the Unicode (wVer 0x17/0x15) and the
 * ANSI (wVer 0x0E/0x0F) formats.
 *
 * This is the read side. Every structure is validated as it is read: damage
 * gives PS_ECORRUPT with a message that names the file and the page or
 * block, never an out-of-bounds read or an endless walk. The parsing
 * helpers (ps_ndb__parse_*, ps_ndb__check_*) work on buffers and are shared
 * with the integrity checker (check.c) and, later, the writer, which will
 * build pages and blocks with the same layouts (ps_ndb__crc, ps_ndb__sig,
 * ps_ndb__encode) and copy-on-write the B-trees through the same entry
 * structures.
 *
 * Memory: everything returned through an out-parameter belongs to the
 * caller and is freed with the matching *_free function.
 */
#ifndef PSTSYNC_PST_NDB_H
#define PSTSYNC_PST_NDB_H

#include <stddef.h>
#include <stdint.h>

#include "pstsync/os.h"

/* ---- sizes and constants ----------------------------------------------- */

#define PS_NDB_PAGE_SIZE 512
#define PS_NDB_BLOCK_MAX 8192         /* a block with its trailer, at most */
#define PS_NDB_AMAP_FIRST 0x4400u     /* first AMap page */
#define PS_NDB_AMAP_SPAN 253952u      /* bytes mapped by one AMap (496*8*64) */
#define PS_NDB_PMAP_FIRST 0x4600u     /* first PMap page */
#define PS_NDB_PMAP_SPAN (8u * PS_NDB_AMAP_SPAN)
#define PS_NDB_DLIST_OFFSET 0x4200u   /* density list page */
#define PS_NDB_MAX_DEPTH 8            /* deepest B-tree accepted */

/* Page types (PAGETRAILER.ptype). */
enum ps_ndb_ptype {
	PS_PTYPE_BBT = 0x80,
	PS_PTYPE_NBT = 0x81,
	PS_PTYPE_FMAP = 0x82,
	PS_PTYPE_PMAP = 0x83,
	PS_PTYPE_AMAP = 0x84,
	PS_PTYPE_FPMAP = 0x85,
	PS_PTYPE_DL = 0x86
};

/* bCryptMethod. */
enum ps_ndb_crypt {
	PS_CRYPT_NONE = 0,
	PS_CRYPT_PERMUTE = 1,
	PS_CRYPT_CYCLIC = 2
};

/* NID types (the low 5 bits of a NID), 2.2.2.1. */
enum ps_nid_type {
	PS_NID_TYPE_HID = 0x00,
	PS_NID_TYPE_INTERNAL = 0x01,
	PS_NID_TYPE_NORMAL_FOLDER = 0x02,
	PS_NID_TYPE_SEARCH_FOLDER = 0x03,
	PS_NID_TYPE_NORMAL_MESSAGE = 0x04,
	PS_NID_TYPE_ATTACHMENT = 0x05,
	PS_NID_TYPE_SEARCH_UPDATE_QUEUE = 0x06,
	PS_NID_TYPE_SEARCH_CRITERIA_OBJECT = 0x07,
	PS_NID_TYPE_ASSOC_MESSAGE = 0x08,
	PS_NID_TYPE_CONTENTS_TABLE_INDEX = 0x0A,
	PS_NID_TYPE_RECEIVE_FOLDER_TABLE = 0x0B,
	PS_NID_TYPE_OUTGOING_QUEUE_TABLE = 0x0C,
	PS_NID_TYPE_HIERARCHY_TABLE = 0x0D,
	PS_NID_TYPE_CONTENTS_TABLE = 0x0E,
	PS_NID_TYPE_ASSOC_CONTENTS_TABLE = 0x0F,
	PS_NID_TYPE_SEARCH_CONTENTS_TABLE = 0x10,
	PS_NID_TYPE_ATTACHMENT_TABLE = 0x11,
	PS_NID_TYPE_RECIPIENT_TABLE = 0x12,
	PS_NID_TYPE_SEARCH_TABLE_INDEX = 0x13,
	PS_NID_TYPE_LTP = 0x1F
};

#define PS_NID_TYPE(nid) ((unsigned)((nid) & 0x1Fu))
#define PS_NID_MAKE(type, index) ((uint32_t)(((index) << 5) | ((type) & 0x1Fu)))

/* Special NIDs, 2.4.1. */
#define PS_NID_MESSAGE_STORE 0x21u
#define PS_NID_NAME_TO_ID_MAP 0x61u
#define PS_NID_ROOT_FOLDER 0x122u

/* BID bit 0x2 marks an internal block (XBLOCK, SLBLOCK...); bit 0x1 is
 * reserved and ignored when looking a BID up in the BBT. */
#define PS_BID_INTERNAL 0x2u
#define PS_BID_KEY(bid) ((bid) & ~(uint64_t)1)

/* ---- types ------------------------------------------------------------- */

/** A reference to a page or block: its BID and file offset (2.2.2.4). */
typedef struct ps_bref {
	uint64_t bid;
	uint64_t ib;
} ps_bref;

/** The parsed HEADER and ROOT (2.2.2.5, 2.2.2.6). */
typedef struct ps_ndb_header {
	int unicode;              /* 1: Unicode (64-bit), 0: ANSI (32-bit) */
	uint16_t ver;             /* wVer */
	uint16_t ver_client;      /* wVerClient */
	uint8_t ost;              /* wMagicClient "SO": an OST (read with PS_NDB_OPEN_OST) */
	uint8_t platform_create, platform_access;
	uint32_t crc_partial;     /* dwCRCPartial as stored */
	uint32_t crc_full;        /* dwCRCFull as stored (Unicode only) */
	uint32_t crc_partial_calc, crc_full_calc;
	uint64_t bid_next_b;      /* next block BID (Unicode: bidNextB) */
	uint64_t bid_next_p;      /* next page BID */
	uint32_t unique;          /* dwUnique */
	uint32_t rgnid[32];       /* next NID index per NID type */
	uint64_t file_eof;        /* ibFileEof */
	uint64_t amap_last;       /* ibAMapLast */
	uint64_t amap_free;       /* cbAMapFree */
	uint64_t pmap_free;       /* cbPMapFree */
	ps_bref nbt;              /* root page of the node B-tree */
	ps_bref bbt;              /* root page of the block B-tree */
	uint8_t amap_valid;       /* fAMapValid: 0 invalid, 1 and 2 valid */
	uint8_t sentinel;         /* bSentinel, 0x80 */
	uint8_t crypt;            /* bCryptMethod */
	uint8_t fm[128];          /* rgbFM */
	uint8_t fp[128];          /* rgbFP */
} ps_ndb_header;

/** A node, as an NBT leaf entry (2.2.2.7.7.4). */
typedef struct ps_nbt_entry {
	uint32_t nid;
	uint32_t nid_parent;
	uint64_t bid_data;
	uint64_t bid_sub;         /* 0 when the node has no subnodes */
} ps_nbt_entry;

/** A block, as a BBT leaf entry (2.2.2.7.7.3). */
typedef struct ps_bbt_entry {
	ps_bref bref;
	uint16_t cb;              /* bytes of data, without the trailer */
	uint16_t cref;            /* reference count */
} ps_bbt_entry;

/** A subnode, as an SLENTRY (2.2.2.8.3.3.1.1). */
typedef struct ps_sl_entry {
	uint32_t nid;
	uint64_t bid_data;
	uint64_t bid_sub;
} ps_sl_entry;

/** A parsed B-tree page (2.2.2.7.7.1). Entries are decoded in place. */
typedef struct ps_bt_page {
	uint8_t ptype;            /* PS_PTYPE_NBT or PS_PTYPE_BBT */
	uint8_t level;            /* cLevel: 0 for leaves */
	uint8_t count;            /* cEnt */
	uint8_t count_max;        /* cEntMax */
	uint8_t entry_size;       /* cbEnt */
	/* Intermediate pages: keys[i] and children[i]. Leaves: one of nbt/bbt. */
	uint64_t keys[64];
	ps_bref children[64];
	ps_nbt_entry nbt[64];
	ps_bbt_entry bbt[64];
} ps_bt_page;

/** The data of a node: its leaf blocks in order, decoded (2.2.2.8.3.2). */
typedef struct ps_ndb_data {
	size_t count;             /* number of data blocks */
	uint8_t **blocks;         /* decoded data of each block */
	size_t *sizes;            /* size of each */
	uint64_t *bids;           /* BID of each */
	size_t total;             /* sum of sizes */
	/* Internal blocks (XBLOCK, XXBLOCK) the tree went through. */
	size_t internal_count;
	uint64_t *internal_bids;
} ps_ndb_data;

/** The flattened subnode tree of a node (2.2.2.8.3.3). */
typedef struct ps_ndb_subnodes {
	size_t count;
	ps_sl_entry *entries;     /* sorted by nid */
	size_t internal_count;    /* SLBLOCKs and SIBLOCKs the tree went through */
	uint64_t *internal_bids;
} ps_ndb_subnodes;

/** An open store. */
typedef struct ps_ndb ps_ndb;

/**
 * Read callback for ps_ndb_open_cb(): read exactly @p size bytes at
 * @p offset into @p buf; return 0 or a negative status (with a message).
 */
typedef int (*ps_ndb_read_fn)(void *ctx, uint64_t offset, void *buf, size_t size);

/* Flags of the open functions. */
enum ps_ndb_open_flags {
	/** Accept a header whose CRCs do not match (the checker reports it). */
	PS_NDB_OPEN_LENIENT = 0x01,
	/** Accept an OST (client "SO"), whose pages and blocks are a PST's: to read only. */
	PS_NDB_OPEN_OST = 0x02,
	/** ps_ndb_open(): hold a shared lock (readers share, writers wait). */
	PS_NDB_OPEN_SHARED_LOCK = 0x04
};

/* ---- opening ----------------------------------------------------------- */

/**
 * Open the PST file at @p path for reading and parse its header. Fails with
 * PS_ENOTPST when it is not a PST file, PS_ECORRUPT when the header is
 * damaged (bad CRC, unknown version or crypt method), PS_EUNSUPPORTED for
 * an OST or a 4K-page file.
 */
int ps_ndb_open(ps_ndb **out, const char *path, unsigned flags);

/**
 * Open a store held in memory (@p data stays owned by the caller and must
 * outlive the store). @p name is used in messages.
 */
int ps_ndb_open_mem(ps_ndb **out, const void *data, size_t size,
	const char *name, unsigned flags);

/** Open a store read through @p read; @p size is the file's size. */
int ps_ndb_open_cb(ps_ndb **out, ps_ndb_read_fn read, void *ctx,
	uint64_t size, const char *name, unsigned flags);

/** Close; NULL is allowed. */
void ps_ndb_close(ps_ndb *ndb);

/** The parsed header. */
const ps_ndb_header *ps_ndb_header_get(const ps_ndb *ndb);

/** The name used in messages (the path). */
const char *ps_ndb_name(const ps_ndb *ndb);

/** The file the store reads and writes; NULL for an image in memory or a callback. */
ps_file *ps_ndb_file(const ps_ndb *ndb);

/** The size of the file or image. */
uint64_t ps_ndb_size(const ps_ndb *ndb);

/** Read raw bytes, bounded by the file size (PS_ECORRUPT past the end). */
int ps_ndb_read_raw(ps_ndb *ndb, uint64_t offset, void *buf, size_t size);

/* ---- pages and B-trees ------------------------------------------------- */

/**
 * Read the 512-byte page at @p ib and check its trailer: type twice equal to
 * @p ptype, signature (B-tree and density-list pages), CRC, and BID equal to
 * @p bid (skip the BID test with bid == UINT64_MAX).
 */
int ps_ndb_page_read(ps_ndb *ndb, uint64_t ib, uint8_t ptype, uint64_t bid,
	uint8_t page[PS_NDB_PAGE_SIZE]);

/** Read and parse the B-tree page @p ref of tree @p ptype (NBT or BBT). */
int ps_ndb_bt_page_read(ps_ndb *ndb, const ps_bref *ref, uint8_t ptype,
	ps_bt_page *out);

/** Find node @p nid in the NBT; PS_ENOTFOUND when absent. */
int ps_ndb_nbt_lookup(ps_ndb *ndb, uint32_t nid, ps_nbt_entry *out);

/** Find block @p bid in the BBT (bit 0 ignored); PS_ENOTFOUND when absent. */
int ps_ndb_bbt_lookup(ps_ndb *ndb, uint64_t bid, ps_bbt_entry *out);

/**
 * Call @p fn for every NBT leaf entry in key order. A non-zero return from
 * @p fn stops the walk and is returned.
 */
int ps_ndb_nbt_foreach(ps_ndb *ndb,
	int (*fn)(void *ctx, const ps_nbt_entry *e), void *ctx);

/**
 * The same walk over the nodes whose NID is below @p stop only: the pages
 * past them are not read.
 */
int ps_ndb_nbt_foreach_below(ps_ndb *ndb, uint32_t stop,
	int (*fn)(void *ctx, const ps_nbt_entry *e), void *ctx);

/** Same for every BBT leaf entry. */
int ps_ndb_bbt_foreach(ps_ndb *ndb,
	int (*fn)(void *ctx, const ps_bbt_entry *e), void *ctx);

/* ---- blocks, data trees, subnodes -------------------------------------- */

/**
 * Read block @p bid: find it in the BBT, check its trailer (size, signature,
 * CRC, BID) and decode it if it is an external block of an encoded store.
 * *@p data is malloc'ed (at least one byte even for an empty block).
 */
int ps_ndb_block_read(ps_ndb *ndb, uint64_t bid, uint8_t **data, size_t *size,
	ps_bbt_entry *entry_out);

/** Read a node's data tree into blocks. @p bid is the node's bidData. */
int ps_ndb_data_read(ps_ndb *ndb, uint64_t bid, ps_ndb_data *out);

/**
 * The BIDs of a node's data blocks, in order, reading only the XBLOCKs
 * above them: out->bids and out->count are set, out->blocks entries are
 * NULL and sizes 0. Free with ps_ndb_data_free().
 */
int ps_ndb_data_bids(ps_ndb *ndb, uint64_t bid, ps_ndb_data *out);

/** Free what ps_ndb_data_read() filled in; the struct itself stays. */
void ps_ndb_data_free(ps_ndb_data *data);

/** A node's data as one contiguous malloc'ed buffer. */
int ps_ndb_data_read_flat(ps_ndb *ndb, uint64_t bid, uint8_t **buf, size_t *size);

/** Read a subnode tree; @p bid is the node's bidSub (0 gives no entries). */
int ps_ndb_subnodes_read(ps_ndb *ndb, uint64_t bid, ps_ndb_subnodes *out);

/** Free what ps_ndb_subnodes_read() filled in. */
void ps_ndb_subnodes_free(ps_ndb_subnodes *sub);

/** Find @p nid among @p sub; NULL when absent. */
const ps_sl_entry *ps_ndb_subnodes_find(const ps_ndb_subnodes *sub, uint32_t nid);

/* ---- shared internals (checker, writer) -------------------------------- */

/** CRC-32 of [MS-PST] 5.3: poly 0xEDB88320, initial @p crc (0), no final xor. */
uint32_t ps_ndb__crc(uint32_t crc, const void *data, size_t size);

/** Block or page signature of 5.5. */
uint16_t ps_ndb__sig(uint64_t ib, uint64_t bid);

/** Decode (@p encode 0) or encode (1) external block data in place (5.1, 5.2). */
void ps_ndb__crypt(uint8_t crypt, uint64_t bid, uint8_t *data, size_t size, int encode);

/** Size of a page trailer (16 Unicode, 12 ANSI) and of a block trailer. */
size_t ps_ndb__trailer_size(const ps_ndb *ndb);

/** Largest data size of one block: 8176 Unicode, 8180 ANSI. */
size_t ps_ndb__block_data_max(const ps_ndb *ndb);

/** On-disk size of a block of @p cb data bytes: with trailer, 64-aligned. */
uint64_t ps_ndb__block_disk_size(const ps_ndb *ndb, size_t cb);

/**
 * Check the trailer of a page already in memory. Returns 0, or PS_ECORRUPT
 * and writes the reason (no file name, lower case) into @p why.
 */
int ps_ndb__page_check(const ps_ndb *ndb, const uint8_t page[PS_NDB_PAGE_SIZE],
	uint64_t ib, uint8_t ptype, uint64_t bid, char *why, size_t why_size);

/** Parse a B-tree page already read and checked. Same reporting as above. */
int ps_ndb__bt_page_parse(const ps_ndb *ndb, const uint8_t page[PS_NDB_PAGE_SIZE],
	uint8_t ptype, ps_bt_page *out, char *why, size_t why_size);

/**
 * Read a block at a known BBT entry without decoding it and check its
 * trailer. *@p raw is malloc'ed, @p cb bytes. Same reporting as above,
 * with PS_ECORRUPT for damage (and other codes for I/O failures).
 */
int ps_ndb__block_read_raw(ps_ndb *ndb, const ps_bbt_entry *e, uint8_t **raw,
	char *why, size_t why_size);

/* ---- writer hooks (ndb_write.c) ----------------------------------------- */

/**
 * The header as the writer keeps it: during a transaction it holds the
 * transaction's roots and counters, so that every read through the ndb
 * sees the transaction's changes.
 */
ps_ndb_header *ps_ndb__header_mut(ps_ndb *ndb);

/** Set the size reads are bounded by (a transaction grows the file). */
void ps_ndb__set_size(ps_ndb *ndb, uint64_t size);

/**
 * Hand the store the file it reads through its callback and the writer's
 * state; ps_ndb_close() calls @p writer_free(@p writer) first, then closes
 * @p file.
 */
void ps_ndb__attach_writer(ps_ndb *ndb, ps_file *file, void *writer,
	void (*writer_free)(void *writer));

/** The writer's state given to ps_ndb__attach_writer(), or NULL. */
void *ps_ndb__writer(const ps_ndb *ndb);

/**
 * The writer's B-tree pages of an open transaction: fill @p out and return
 * 1 when the page at @p ref is one of them, return 0 to have it read from
 * the file (and the page cache), or a negative status.
 */
typedef int (*ps_ndb_page_hook)(void *writer, const ps_bref *ref, uint8_t ptype,
	ps_bt_page *out);

/** Serve pages of the writer's transactions through @p hook (writer first). */
void ps_ndb__set_page_hook(ps_ndb *ndb, ps_ndb_page_hook hook);

/**
 * Forget cached B-tree pages in [@p ib, @p ib + @p size): the writer hands
 * that space out for new pages or blocks.
 */
void ps_ndb__cache_drop(ps_ndb *ndb, uint64_t ib, uint64_t size);

/**
 * Read @p size bytes at @p off of @p file (the store's, @p limit its size)
 * through the store's read cache: windows that grow as reads run on through
 * the file, so that a run of blocks costs few calls (ndb.c).
 */
int ps_ndb__file_read(ps_ndb *ndb, ps_file *file, uint64_t limit, uint64_t off, void *buf,
	size_t size);

/** Forget what the read cache holds of [@p ib, @p ib + @p size): the writer wrote there. */
void ps_ndb__file_cache_drop(ps_ndb *ndb, uint64_t ib, uint64_t size);

/** Read a little-endian value. */
static inline uint16_t ps_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t ps_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
		((uint32_t)p[3] << 24);
}

static inline uint64_t ps_get64(const uint8_t *p)
{
	return (uint64_t)ps_get32(p) | ((uint64_t)ps_get32(p + 4) << 32);
}

/** Write a little-endian value. */
static inline void ps_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void ps_put32(uint8_t *p, uint32_t v)
{
	ps_put16(p, (uint16_t)v);
	ps_put16(p + 2, (uint16_t)(v >> 16));
}

static inline void ps_put64(uint8_t *p, uint64_t v)
{
	ps_put32(p, (uint32_t)v);
	ps_put32(p + 4, (uint32_t)(v >> 32));
}

#endif
