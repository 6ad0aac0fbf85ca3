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
 */
#ifndef PSTSYNC_PST_LTP_WRITE_H
#define PSTSYNC_PST_LTP_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "pstsync/item.h"
#include "pst/node_image.h"

/** Hands out subnode NIDs for values stored outside the heap. */
typedef int (*ps_ltp_nid_fn)(void *ctx, uint32_t *nid_out);

/**
 * A property context from @p count properties (any order; duplicated ids
 * are PS_EINVAL; type PT_UNSPECIFIED is never written and gives PS_EINVAL).
 * Named properties must already carry their store-local ids (0x8000+).
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
	const ps_prop *cells;   /* col_count entries; size 0 and data NULL = absent */
} ps_tc_build_row;

/**
 * A table context with @p col_count columns and @p row_count rows, laid out
 * as Outlook does: columns sorted by size class (8, 4, 2, 1 byte, then the
 * existence bitmap), PidTagLtpRowId and PidTagLtpRowVer first, the row index
 * as a BTH keyed on row id, and the row matrix in the heap or, when large,
 * in a subnode cut into whole rows per block. Rows keep the given order in
 * the matrix.
 */
int ps_tc_build(const ps_tc_build_col *cols, size_t col_count,
	const ps_tc_build_row *rows, size_t row_count,
	ps_ltp_nid_fn new_nid, void *ctx, ps_node_image *out);

#endif
