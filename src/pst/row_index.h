/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Row ids to row positions for the writer's tables (store_write.c keeps
 * small tables row by row, table_big.c big ones block by block): an
 * open-addressing hash whose slots hold a position + 1. The rows stay
 * where their owner keeps them; the index reads row i's id at
 * ids + i * stride, so it serves an array of ids and an array of rows
 * alike. A deleted row leaves a tombstone that lookups step over.
 */
#ifndef PSTSYNC_PST_ROW_INDEX_H
#define PSTSYNC_PST_ROW_INDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct pst_row_index {
	uint32_t *slots;          /* position + 1; 0 empty; PST_ROW_TOMB deleted */
	size_t nslots, used;
} pst_row_index;

/** Index the @p n rows whose ids are at @p ids, @p stride bytes apart. */
int pst_row_index_build(pst_row_index *x, const void *ids, size_t stride, size_t n);

/** The position of row @p id, or -1. */
long pst_row_index_find(const pst_row_index *x, const void *ids, size_t stride, uint32_t id);

/** Row @p n - 1 was appended: index it (growing when half full). */
int pst_row_index_add(pst_row_index *x, const void *ids, size_t stride, size_t n);

/** Forget row @p id; its position, or -1 when it is not indexed. */
long pst_row_index_remove(pst_row_index *x, const void *ids, size_t stride, uint32_t id);

/**
 * The row at @p from now lives at @p to (the last row filling a deleted
 * one's place). Call it while the id at @p from is still there.
 */
void pst_row_index_move(pst_row_index *x, const void *ids, size_t stride, size_t from, size_t to);

void pst_row_index_free(pst_row_index *x);

#endif
