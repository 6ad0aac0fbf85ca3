/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The PST integrity checker: a read-only scan of a PST file in the spirit
 * of Outlook's scanpst. It checks the header and its CRCs, every page and
 * block (type, signature, CRC, trailer), the order, levels and entry counts
 * of both B-trees, the allocation maps and free-space counters against the
 * space actually in use, the density list, reachability of nodes and blocks
 * and their reference counts, the heap, BTH, property and table contexts of
 * every node, and the folders' tables and counters against their messages
 * and subfolders.
 *
 * Each problem found is reported as one lower-case line through a
 * callback, e.g. "block 0x1234 at 0x5a00: bad crc (stored 0x..., computed
 * 0x...)". The checker never changes the file.
 */
#ifndef PSTSYNC_CHECK_H
#define PSTSYNC_CHECK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What part of the file a problem is in. */
enum ps_check_area {
	PS_CHECK_HEADER = 0,    /**< header, root, CRCs, counters */
	PS_CHECK_MAPS,          /**< AMap, PMap, FMap, FPMap, density list, free space */
	PS_CHECK_BTREE,         /**< NBT and BBT pages: trailer, order, levels */
	PS_CHECK_BLOCKS,        /**< blocks: trailer, data and subnode trees */
	PS_CHECK_REFS,          /**< references: dangling, orphans, cRef */
	PS_CHECK_LTP,           /**< heap, BTH, property and table contexts */
	PS_CHECK_MESSAGING,     /**< folders, tables against messages, counters */
	PS_CHECK_AREA_COUNT
};

/** Totals of one check. */
typedef struct ps_check_summary {
	unsigned problems;                      /**< all problems reported */
	unsigned notes;                         /**< sound states worth a word: see below */
	unsigned by_area[PS_CHECK_AREA_COUNT];  /**< problems per area */
	unsigned pages;                         /**< B-tree and map pages checked */
	unsigned blocks;                        /**< blocks checked */
	unsigned nodes;                         /**< NBT nodes */
	unsigned folders;                       /**< folders checked */
	unsigned messages;                      /**< messages checked */
	int unicode;                            /**< 1 Unicode, 0 ANSI */
} ps_check_summary;

/**
 * Called once per problem with a lower-case line that names the page,
 * block, node or folder concerned (hex ids), without the file name.
 * Also called for each note: a line starting "note: " for a state that is
 * sound but worth saying, which a writer killed in a commit leaves and the
 * next writer repairs (allocation maps marked for rebuilding, bytes past
 * the end of file given in the header). Notes are counted apart from the
 * problems.
 */
typedef void (*ps_check_report_cb)(void *ctx, enum ps_check_area area, const char *line);

/**
 * Check the PST file at @p path.
 *
 * @param path  the file (UTF-8)
 * @param cb    receives each problem; may be NULL to only count
 * @param ctx   passed to @p cb
 * @param out   receives the totals; may be NULL
 * @return 0 when the file could be read through (whatever problems it
 *         has: see out->problems), or a negative status when it cannot be
 *         read at all (not a PST file, unreadable header or B-tree roots);
 *         problems found until then have been reported.
 */
int ps_pst_check(const char *path, ps_check_report_cb cb, void *ctx, ps_check_summary *out);

/** Same on a file image in memory (for tests and fuzzing). */
int ps_pst_check_mem(const void *data, size_t size, const char *name,
	ps_check_report_cb cb, void *ctx, ps_check_summary *out);

/**
 * Repair what `check` reports and a writer can put right in place: tables
 * whose row matrix has a block but the last that is not full ([MS-PST]
 * 2.3.4.4; earlier versions of pstsync wrote such tables) are written again,
 * padded, in one transaction (nothing is written when none needs it).
 * *@p fixed receives the number of tables written. The store is opened
 * for writing as by any change (locked, crash-safe).
 */
int ps_pst_repair(const char *path, unsigned *fixed);

/**
 * The size the header of the PST or OST file at @p path gives it
 * (ibFileEof) and the size it has. Returns 1 when the file is shorter than
 * its header says (a copy cut off), 0 when not, a negative status when it
 * cannot be read as a PST or OST file.
 */
int ps_pst_sizes(const char *path, unsigned long long *header_size, unsigned long long *file_size);

/** A short name for an area ("header", "maps", ...). */
const char *ps_check_area_name(enum ps_check_area area);

#ifdef __cplusplus
}
#endif

#endif
