/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Writing the node database of a Unicode PST, crash-safe.
 *
 * All changes go through a transaction. Nothing the committed B-trees still
 * reference is ever overwritten: new blocks and B-tree pages go to free
 * space (found through the AMaps; the file grows by whole AMap spans when
 * there is none), and the header, which names the B-tree roots, is written
 * last, after everything it points to is flushed to disk. A process killed
 * at any instant leaves the store as it was before the transaction or as it
 * is after it.
 *
 * The order of a commit (see ndb_write.c for why each step is where it is):
 *   1. header with fAMapValid = 0 ("maps may be ahead of the B-trees");
 *   2. new blocks and pages, and AMap bits set for them; flush;
 *   3. header with the new roots and counters, fAMapValid still 0; flush;
 *   4. AMap bits of blocks and pages no longer referenced cleared, free
 *      counters and density list updated; flush;
 *   5. header with fAMapValid = 2; flush.
 * A store found with fAMapValid = 0 (a crash between 1 and 5) has its maps
 * rebuilt from the B-trees when it is next opened for writing, as [MS-PST]
 * 2.6.1.3.7 describes.
 *
 * Reads through an open transaction see its own changes.
 */
#ifndef PSTSYNC_PST_NDB_WRITE_H
#define PSTSYNC_PST_NDB_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "pst/ndb.h"
#include "pst/node_image.h"

typedef struct ps_ndb_tx ps_ndb_tx;

/**
 * Open @p path for writing: read and write, locked exclusively (another
 * writer, or Outlook on Windows, gets PS_ELOCKED). ANSI stores are refused
 * with PS_EUNSUPPORTED and a message saying to convert them. Maps left
 * invalid by an interrupted transaction are rebuilt here.
 */
int ps_ndb_open_write(ps_ndb **out, const char *path);

/**
 * Create a new, empty Unicode PST file at @p path (PS_EEXISTS if it exists):
 * header, root, the first AMap, PMap and density list, and empty B-trees.
 * The messaging layer then adds the store's nodes in a transaction.
 */
int ps_ndb_create(ps_ndb **out, const char *path);

/**
 * Same as ps_ndb_create() with the encoding of external blocks chosen:
 * PS_CRYPT_NONE, PS_CRYPT_PERMUTE (what ps_ndb_create() and Outlook use) or
 * PS_CRYPT_CYCLIC.
 */
int ps_ndb_create_ex(ps_ndb **out, const char *path, unsigned crypt);

/** Start a transaction; one at a time per ndb. */
int ps_ndb_tx_begin(ps_ndb *ndb, ps_ndb_tx **out);

/**
 * Write node @p nid (create or replace) with parent @p nid_parent from @p img.
 * Blocks of the node's previous data and subnodes are released at commit
 * (their reference counts dropped; freed when they reach one). A data block
 * of the image with a non-zero bid is an existing block with those bytes:
 * it gains a reference and is not written again.
 */
int ps_ndb_tx_put_node(ps_ndb_tx *tx, uint32_t nid, uint32_t nid_parent,
	const ps_node_image *img);

/**
 * Write node @p nid (create or replace) to share blocks that already exist:
 * @p bid_data and @p bid_sub (either may be 0) gain one reference each, as
 * Outlook shares the template tables of new folders. The node's previous
 * blocks are released as by ps_ndb_tx_put_node().
 */
int ps_ndb_tx_put_node_blocks(ps_ndb_tx *tx, uint32_t nid, uint32_t nid_parent,
	uint64_t bid_data, uint64_t bid_sub);

/** Delete node @p nid and release its blocks. PS_ENOTFOUND if absent. */
int ps_ndb_tx_delete_node(ps_ndb_tx *tx, uint32_t nid);

/**
 * A new NID of @p type (enum ps_nid_type) from the header's counters; NIDs
 * only ever increase. As in Outlook's files, rgnid holds the last index
 * handed out; an index found in use is skipped.
 */
int ps_ndb_tx_new_nid(ps_ndb_tx *tx, unsigned type, uint32_t *nid_out);

/**
 * Raise the counter of @p nid's type to @p nid's index, for NIDs made from
 * another one's index (a folder's tables share the folder's index), so that
 * no later ps_ndb_tx_new_nid() hands them out.
 */
int ps_ndb_tx_reserve_nid(ps_ndb_tx *tx, uint32_t nid);

/** Look a node up as the transaction sees it. */
int ps_ndb_tx_lookup(ps_ndb_tx *tx, uint32_t nid, ps_nbt_entry *out);

/**
 * Make the transaction durable (steps 1-5 above) and end it; on failure
 * the store is left as before the transaction and the tx is ended anyway.
 */
int ps_ndb_tx_commit(ps_ndb_tx *tx);

/** Drop every change of the transaction and end it. */
void ps_ndb_tx_abort(ps_ndb_tx *tx);

/*
 * Errors: PS_EINVAL for a bad argument (a node image with oversized or
 * unsorted parts, node id 0) leaves the transaction as it was. Any other
 * failure of a put or delete leaves it half-changed in memory: it can then
 * only be aborted (commit refuses and aborts). The file is never touched
 * before ps_ndb_tx_commit(). When a commit fails, the handle takes no more
 * transactions: close it and open the file again, which rebuilds the maps.
 */

/** Figures of the last commit (for tests and benchmarks). */
typedef struct ps_ndb_write_stats {
	unsigned writes;        /* ps_file_write_at() calls */
	unsigned syncs;         /* ps_file_sync() calls */
	uint64_t bytes;         /* bytes written */
} ps_ndb_write_stats;

/** The figures of the last commit of a store opened for writing. */
int ps_ndb_write_stats_get(const ps_ndb *ndb, ps_ndb_write_stats *out);

#endif
