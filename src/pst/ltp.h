/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The LTP layer of [MS-PST] section 2.3, on top of the NDB layer: the heap
 * on node (HN), the B-tree on heap (BTH), property contexts (PC: the
 * properties of a store, folder, message or attachment) and table contexts
 * (TC: hierarchy, contents, recipient and attachment tables), Unicode and
 * ANSI.
 *
 * Everything is validated when opened: a PC or TC that opens without error
 * has page maps, BTH records, column descriptors and a row matrix whose
 * offsets all lie inside their blocks, so that reading a property or a cell
 * afterwards cannot go out of bounds. The writer will build the same
 * structures from these definitions (HID layout, page map, TCINFO, TCOLDESC,
 * row layout with the cell-existence bitmap).
 *
 * Memory: a ps_hn, ps_pc or ps_tc owns the node data it read; values it
 * hands out point into it and live until the *_close() call, except those
 * returned by ps_tc_cell(), which the caller frees with ps_ltp_value_clear().
 *
 * The same structures can be opened from a node image (node_image.h), the
 * form the writer builds, with the *_open_image() functions: this reads back
 * what ltp_write.h produced before any file exists.
 */
#ifndef PSTSYNC_PST_LTP_H
#define PSTSYNC_PST_LTP_H

#include <stddef.h>
#include <stdint.h>

#include "pst/ndb.h"
#include "pst/node_image.h"
#include "pstsync/item.h"

/* bClientSig of the heap header. */
enum ps_hn_client {
	PS_HN_CLIENT_TC = 0x7C,
	PS_HN_CLIENT_BTH = 0xB5,
	PS_HN_CLIENT_PC = 0xBC
};

#define PS_HN_SIG 0xEC

/* HID fields, 2.3.1.1: type (5 bits, 0), index (11 bits, 1-based), block. */
#define PS_HID_INDEX(hid) (((hid) >> 5) & 0x7FFu)
#define PS_HID_BLOCK(hid) ((hid) >> 16)
#define PS_HID_MAKE(block, index) ((uint32_t)(((uint32_t)(block) << 16) | ((uint32_t)(index) << 5)))

/**
 * The fixed size of values of @p type (1, 2, 4, 8 or 16), 0 for variable
 * sized types, -1 for a type that is not valid on disk (0x0000, 0x0001,
 * unknown ones).
 */
int ps_prop_type_size(uint16_t type);

/** Where a value was found. */
enum ps_prop_where {
	PS_PROP_INLINE = 0,   /* in the PC record or the TC row itself */
	PS_PROP_HEAP = 1,     /* in a heap allocation (HID) */
	PS_PROP_SUBNODE = 2,  /* in a subnode (NID) */
	PS_PROP_NONE = 3      /* HNID 0: an empty value */
};

/** A property value: the raw bytes as stored, little-endian. */
typedef struct ps_ltp_value {
	uint16_t id;
	uint16_t type;
	uint32_t hnid;        /* dwValueHnid or the cell's 4 bytes */
	int where;            /* enum ps_prop_where */
	const uint8_t *value; /* the bytes; NULL only when size is 0 */
	size_t size;
	uint8_t *owned;       /* what to free, if anything (see ps_ltp_value_clear) */
} ps_ltp_value;

/** Free a value handed out by ps_tc_cell(); the struct is zeroed. */
void ps_ltp_value_clear(ps_ltp_value *prop);

/* ---- heap on node ------------------------------------------------------ */

/** One block's page map, validated. */
typedef struct ps_hn_page {
	const uint8_t *data;  /* the decoded block */
	size_t size;
	uint16_t count;       /* cAlloc */
	uint16_t free_count;  /* cFree */
	const uint8_t *alloc; /* rgibAlloc: count + 1 little-endian offsets */
} ps_hn_page;

/** A heap on a node (2.3.1). */
typedef struct ps_hn {
	ps_ndb *ndb;          /* NULL when opened from an image */
	const ps_node_image *img; /* the image, when opened from one (not owned) */
	char what[128];       /* "node 0x21" or "subnode 0x8025 of node 0x200024" */
	uint32_t nid;
	ps_ndb_data data;     /* the node's data blocks (owned) */
	ps_ndb_subnodes sub;  /* the node's subnodes (owned) */
	uint8_t client_sig;   /* bClientSig */
	uint32_t user_root;   /* hidUserRoot */
	size_t page_count;
	ps_hn_page *pages;
} ps_hn;

/**
 * Open the heap of the node whose data tree is @p bid_data and subnode tree
 * @p bid_sub. @p what names the node in messages. Checks the header
 * signature and every block's page map.
 */
int ps_hn_open(ps_hn *hn, ps_ndb *ndb, const char *what, uint32_t nid,
	uint64_t bid_data, uint64_t bid_sub);

/** Open the heap of top-level node @p nid (looked up in the NBT). */
int ps_hn_open_nid(ps_hn *hn, ps_ndb *ndb, uint32_t nid);

/** Open the heap of subnode @p e of @p parent (whose subnodes are open). */
int ps_hn_open_sub(ps_hn *hn, const ps_hn *parent, const ps_sl_entry *e);

/**
 * Open the heap of a node image with the same checks as ps_hn_open(). The
 * data blocks are copied; @p img must outlive @p hn all the same, because
 * subnodes (large values, row matrices, ps_hn_open_sub()) are read from it
 * on demand. In hn->sub, an entry's bid_data is the subnode's position in
 * img->subs plus one (not a BID). The image is taken as Unicode.
 */
int ps_hn_open_image(ps_hn *hn, const ps_node_image *img, const char *what, uint32_t nid);

/** Close; a zeroed ps_hn is fine. */
void ps_hn_close(ps_hn *hn);

/** The bytes of heap allocation @p hid (PS_ECORRUPT if it is invalid). */
int ps_hn_get(const ps_hn *hn, uint32_t hid, const uint8_t **p, size_t *size);

/**
 * The value an HNID names: a heap allocation (pointer into the heap, nothing
 * to free) or a subnode (read into a malloc'ed buffer set in *@p owned).
 * HNID 0 gives an empty value.
 */
int ps_hn_read_hnid(const ps_hn *hn, uint32_t hnid, const uint8_t **p, size_t *size,
	uint8_t **owned, int *where);

/* ---- BTH --------------------------------------------------------------- */

typedef struct ps_bth {
	const ps_hn *hn;
	uint8_t key_size;     /* cbKey */
	uint8_t data_size;    /* cbEnt */
	uint8_t levels;       /* bIdxLevels */
	uint32_t root;        /* hidRoot; 0 when empty */
} ps_bth;

/** Open the BTH whose header is allocation @p hid of @p hn. */
int ps_bth_open(ps_bth *bth, const ps_hn *hn, uint32_t hid);

/**
 * Call @p fn for each leaf record in key order; keys must strictly
 * increase and levels match, else PS_ECORRUPT. A non-zero return of @p fn
 * stops the walk and is returned.
 */
int ps_bth_foreach(const ps_bth *bth,
	int (*fn)(void *ctx, const uint8_t *key, const uint8_t *data), void *ctx);

/**
 * Like ps_bth_foreach() but a single-level BTH may have keys out of order:
 * their number goes to *@p disorder instead of failing (for the PC reader
 * and the checker).
 */
int ps_bth__foreach_lenient(const ps_bth *bth,
	int (*fn)(void *ctx, const uint8_t *key, const uint8_t *data), void *ctx,
	size_t *disorder);

/** Find the record with @p key (key_size bytes); PS_ENOTFOUND when absent. */
int ps_bth_find(const ps_bth *bth, const uint8_t *key, const uint8_t **data);

/* ---- property context -------------------------------------------------- */

typedef struct ps_pc {
	ps_hn hn;
	size_t count;
	ps_ltp_value *props;       /* sorted by id; values point into hn or owned */
	size_t disorder;      /* records found out of key order (a flaw) */
} ps_pc;

/** Open the PC of a node and read all its properties. */
int ps_pc_open(ps_pc *pc, ps_ndb *ndb, const char *what, uint32_t nid,
	uint64_t bid_data, uint64_t bid_sub);

/** Open the PC of top-level node @p nid. */
int ps_pc_open_nid(ps_pc *pc, ps_ndb *ndb, uint32_t nid);

/** Open the PC of subnode @p e of the heap @p parent. */
int ps_pc_open_sub(ps_pc *pc, const ps_hn *parent, const ps_sl_entry *e);

/** Open the PC of a node image (see ps_hn_open_image()). */
int ps_pc_open_image(ps_pc *pc, const ps_node_image *img, const char *what);

void ps_pc_close(ps_pc *pc);

/** The property with id @p id, or NULL. */
const ps_ltp_value *ps_pc_find(const ps_pc *pc, uint16_t id);

/* ---- table context ----------------------------------------------------- */

/* Indexes of TCINFO.rgib. */
enum { PS_TCI_4B = 0, PS_TCI_2B = 1, PS_TCI_1B = 2, PS_TCI_BM = 3 };

typedef struct ps_tc_col {
	uint32_t tag;         /* property id << 16 | type */
	uint16_t offset;      /* ibData */
	uint8_t size;         /* cbData */
	uint8_t bit;          /* iBit in the cell-existence bitmap */
} ps_tc_col;

typedef struct ps_tc_row {
	uint32_t id;          /* dwRowID: the key of the row index */
	uint32_t index;       /* dwRowIndex: position in the row matrix */
} ps_tc_row;

typedef struct ps_tc {
	ps_hn hn;
	size_t col_count;
	ps_tc_col *cols;
	uint16_t rgib[4];
	uint32_t hid_row_index;
	uint32_t hnid_rows;
	size_t row_count;     /* rows in the row index */
	ps_tc_row *rows;      /* in row-index (key) order */
	size_t matrix_rows;   /* rows the row matrix holds */
	uint8_t **matrix;     /* matrix_rows pointers to row data (rgib[BM] bytes) */
	uint8_t *matrix_owned;/* row data read from a subnode */
	uint64_t *matrix_bids;/* the BIDs of that subnode's blocks (NULL for a heap matrix) */
	size_t *matrix_sizes; /* and their sizes (padding included) */
	size_t matrix_blocks;
	size_t odd_cols;      /* columns wider than their type (a flaw) */
} ps_tc;

/** Open the TC of a node: TCINFO, columns, row index, row matrix. */
int ps_tc_open(ps_tc *tc, ps_ndb *ndb, const char *what, uint32_t nid,
	uint64_t bid_data, uint64_t bid_sub);

/** Open the TC of top-level node @p nid. */
int ps_tc_open_nid(ps_tc *tc, ps_ndb *ndb, uint32_t nid);

/** Open the TC of subnode @p e of the heap @p parent. */
int ps_tc_open_sub(ps_tc *tc, const ps_hn *parent, const ps_sl_entry *e);

/** Open the TC of a node image (see ps_hn_open_image()). */
int ps_tc_open_image(ps_tc *tc, const ps_node_image *img, const char *what);

void ps_tc_close(ps_tc *tc);

/** The size a column of @p type has in a row (an HNID for variable sizes), or -1. */
int ps_tc__cell_size(uint16_t type);

/** The column with property tag @p tag, or -1. */
int ps_tc_col_find(const ps_tc *tc, uint32_t tag);

/** The column with property id @p id (any type), or -1. */
int ps_tc_col_find_id(const ps_tc *tc, uint16_t id);

/**
 * The cell of row @p row (index into tc->rows) and column @p col. Returns
 * PS_ENOTFOUND when the cell-existence bit is clear. The value is a copy
 * the caller frees with ps_ltp_value_clear().
 */
int ps_tc_cell(const ps_tc *tc, size_t row, size_t col, ps_ltp_value *out);

/**
 * Like ps_tc_cell() without a copy where none is needed: the value points
 * into the table (its row or its heap) and lives as long as @p tc; only a
 * value kept in a subnode is read into out->owned. Clear it all the same.
 */
int ps_tc_cell_ref(const ps_tc *tc, size_t row, size_t col, ps_ltp_value *out);

/**
 * The number of rows of table node @p nid, from its row index alone: only
 * the heap blocks the row index lies in are read (a few of a large
 * table's hundreds). Checks what it reads; PS_ECORRUPT on damage.
 */
int ps_tc_row_count(ps_ndb *ndb, uint32_t nid, size_t *count);

/** The raw row data of row @p row (rgib[BM] bytes). */
const uint8_t *ps_tc_row_data(const ps_tc *tc, size_t row);

#endif
