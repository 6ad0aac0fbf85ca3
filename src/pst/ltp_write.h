/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Building the LTP structures of [MS-PST] 2.3 as node images: heaps on
 * nodes, BTHs, property contexts and table contexts. The builders are pure:
 * they turn property values and table rows into the bytes of a node (and its
 * subnodes, for values too large for the heap), which the NDB transaction
 * then writes. Reading them back with ltp.h gives the same values.
 *
 * Values are given as the PST stores them (item.h's ps_prop: tag and raw
 * little-endian bytes; PT_UNICODE as UTF-16LE; multi-valued ones in the
 * PST's own layout). Variable-size values up to 3580 bytes go in the heap,
 * larger ones in subnodes whose NIDs the caller's allocator hands out
 * (type PS_NID_TYPE_LTP, local to the node).
 *
 * The heap is laid out as Outlook lays it out: the BTH header first (HID
 * 0x20), then the PC records or the TCINFO (0x40), then the values; a
 * block is filled up to 8176 bytes before the next is started, every block
 * but the last is written at its full size, and fill levels, HNPAGEHDR and
 * HNBITMAPHDR (blocks 8, 136, ...) are as [MS-PST] 2.3.1 says. Empty
 * variable-size values get HNID 0, as Outlook writes empty strings.
 *
 * Memory: @p out is filled in on success and belongs to the caller (free it
 * with ps_node_image_clear()); on failure it is left empty. Value bytes are
 * copied. Subnodes the builder adds are in out->subs; the caller may add
 * more (an attachment's or an embedded message's own node) afterwards with
 * ps_node_image_add_sub(), using NIDs from the same allocator.
 *
 * ltp.h's ps_pc_open_image() and ps_tc_open_image() read an image back.
 */
#ifndef PSTSYNC_PST_LTP_WRITE_H
#define PSTSYNC_PST_LTP_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "pstsync/item.h"
#include "pst/node_image.h"

/** Largest value (and heap allocation) kept in the heap; larger go to subnodes. */
#define PS_LTP_HEAP_MAX 3580u

/**
 * Hands out subnode NIDs for values stored outside the heap (and for a
 * table's row matrix): a NID not used yet in the node, of a type other than
 * HID (0), normally PS_NID_TYPE_LTP. Returns 0 or a negative status, which
 * the builder returns. May be NULL when no value needs a subnode; the build
 * then fails with PS_EINVAL if one does.
 */
typedef int (*ps_ltp_nid_fn)(void *ctx, uint32_t *nid_out);

/**
 * A property context from @p count properties (any order; duplicated ids
 * are PS_EINVAL; type PT_UNSPECIFIED is never written and gives PS_EINVAL).
 * Named properties must already carry their store-local ids (0x8000+).
 *
 * Fixed-size values must have their type's size (boolean 1, short 2, long,
 * float and error 4, 8-byte types 8, CLSID 16), else PS_EINVAL; those of up
 * to 4 bytes go in the record, the others in the heap. Variable-size and
 * multi-valued ones (given in the PST's own layout) go in the heap up to
 * PS_LTP_HEAP_MAX bytes, in a subnode beyond; size 0 gives HNID 0. A
 * PT_OBJECT value is its 8 bytes (NID of the object's subnode, size): the
 * subnode itself is the caller's to add. Values are allocated in property
 * id order, so the NIDs asked for follow that order.
 */
int ps_pc_build(const ps_prop *props, size_t count, ps_ltp_nid_fn new_nid, void *ctx,
	ps_node_image *out);

/** One column of a table to build. */
typedef struct ps_tc_build_col {
	uint32_t tag;           /* id << 16 | type */
} ps_tc_build_col;

/** One row: its dwRowID key and a value (or none) for each column. */
typedef struct ps_tc_build_row {
	uint32_t row_id;        /* PidTagLtpRowId; keys must be unique */
	const ps_prop *cells;   /* col_count entries; size 0 and data NULL = absent;
	                         * size 0 with data non-NULL = present and empty
	                         * (variable-size types only); NULL = all absent.
	                         * The column's tag counts, not the cell's. */
} ps_tc_build_row;

/**
 * A table context with @p col_count columns and @p row_count rows, laid out
 * as Outlook does (every table of the Outlook-made samples follows this):
 *  - PidTagLtpRowId (0x67F20003) gets bit 0 and offset 0, PidTagLtpRowVer
 *    (0x67F30003) bit 1 and offset 4; both are added when @p cols lacks
 *    them. The other columns get bits 2, 3, ... in the order of @p cols
 *    (Outlook's bits are the order its columns were defined in);
 *  - the 4- and 8-byte cells (HNIDs of variable-size and CLSID values
 *    included) follow in bit order, then the 2-byte, then the 1-byte ones,
 *    then the cell-existence bitmap; rgTCOLDESC is sorted by tag;
 *  - the row index is a BTH of row id -> position (4 + 4 bytes), the row
 *    matrix one heap allocation when it fits (PS_LTP_HEAP_MAX), else a
 *    subnode (the first NID asked for) whose blocks each hold
 *    floor(8176 / row size) whole rows, every block but the last padded
 *    with zeros to 8176 bytes (2.3.4.4), the last one its rows only;
 *  - no rows: hnidRows 0 and an empty row index (hidRoot 0).
 * Rows keep the given order in the matrix. The RowId cell is always the
 * row's row_id; a RowVer cell not given is the row's position + 1. Cells are
 * present (existence bit set) exactly when given. Duplicated column tags or
 * row ids, and columns of types never written, are PS_EINVAL.
 */
int ps_tc_build(const ps_tc_build_col *cols, size_t col_count,
	const ps_tc_build_row *rows, size_t row_count,
	ps_ltp_nid_fn new_nid, void *ctx, ps_node_image *out);

/*
 * Flags of ps_tc_build_ex(). PS_TC_BUILD_GROUPED, for large tables that are
 * rebuilt often (a folder's contents table): when the row matrix goes to a
 * subnode, the variable-size values of the rows of each matrix block start
 * a heap block of their own and the row index comes after them, so that a
 * rebuild with a few rows changed leaves most heap and matrix blocks
 * byte-identical (and shareable, node_image.h). The fill-level blocks (8,
 * 136, ...) then hold their HNBITMAPHDR and nothing else, and block 0 the
 * row index's header and the TCINFO only: the layout table_big.c keeps in
 * step block by block. Still a valid TC; only the order of heap
 * allocations differs from Outlook's.
 */
#define PS_TC_BUILD_GROUPED 0x1u

/** ps_tc_build() with @p flags (above); ps_tc_build() is flags 0. */
int ps_tc_build_ex(const ps_tc_build_col *cols, size_t col_count,
	const ps_tc_build_row *rows, size_t row_count, unsigned flags,
	ps_ltp_nid_fn new_nid, void *ctx, ps_node_image *out);

#endif
