/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The writer's index of table rows by id (see row_index.h): Fibonacci
 * hashing into a power-of-two slot array, linear probing, tombstones for
 * deleted rows, rebuilt at twice the rows when half the slots are used.
 */
#include "pst/row_index.h"

#include "pstsync/errors.h"

#include <stdlib.h>
#include <string.h>

#define PST_ROW_TOMB 0xFFFFFFFFu

static uint32_t id_at(const void *ids, size_t stride, size_t i)
{
	uint32_t id;

	memcpy(&id, (const unsigned char *)ids + i * stride, sizeof(id));
	return id;
}

static size_t slot_of(const pst_row_index *x, uint32_t id)
{
	return (size_t)((id * 2654435761u) & (x->nslots - 1));
}

/* The slot of row @p id, or -1. */
static long slot_find(const pst_row_index *x, const void *ids, size_t stride, uint32_t id)
{
	size_t s;

	if (!x->nslots)
		return -1;
	for (s = slot_of(x, id); x->slots[s]; s = (s + 1) & (x->nslots - 1))
		if (x->slots[s] != PST_ROW_TOMB && id_at(ids, stride, x->slots[s] - 1) == id)
			return (long)s;
	return -1;
}

static void slot_put(pst_row_index *x, uint32_t id, size_t pos)
{
	size_t s = slot_of(x, id);

	while (x->slots[s])
		s = (s + 1) & (x->nslots - 1);
	x->slots[s] = (uint32_t)pos + 1;
}

int pst_row_index_build(pst_row_index *x, const void *ids, size_t stride, size_t n)
{
	size_t size = 64, i;
	uint32_t *slots;

	while (size < 2 * (n + 1))
		size *= 2;
	slots = calloc(size, sizeof(*slots));
	if (!slots)
		return ps_error_set(PS_ENOMEM, "out of memory");
	free(x->slots);
	x->slots = slots;
	x->nslots = size;
	x->used = n;
	for (i = 0; i < n; i++)
		slot_put(x, id_at(ids, stride, i), i);
	return 0;
}

long pst_row_index_find(const pst_row_index *x, const void *ids, size_t stride, uint32_t id)
{
	long s = slot_find(x, ids, stride, id);

	return s < 0 ? -1 : (long)x->slots[s] - 1;
}

int pst_row_index_add(pst_row_index *x, const void *ids, size_t stride, size_t n)
{
	if (2 * (x->used + 1) > x->nslots)
		return pst_row_index_build(x, ids, stride, n);
	slot_put(x, id_at(ids, stride, n - 1), n - 1);
	x->used++;
	return 0;
}

long pst_row_index_remove(pst_row_index *x, const void *ids, size_t stride, uint32_t id)
{
	long s = slot_find(x, ids, stride, id), pos;

	if (s < 0)
		return -1;
	pos = (long)x->slots[s] - 1;
	x->slots[s] = PST_ROW_TOMB;
	return pos;
}

void pst_row_index_move(pst_row_index *x, const void *ids, size_t stride, size_t from, size_t to)
{
	size_t s;

	if (!x->nslots)
		return;
	for (s = slot_of(x, id_at(ids, stride, from)); x->slots[s]; s = (s + 1) & (x->nslots - 1))
		if (x->slots[s] == (uint32_t)from + 1) {
			x->slots[s] = (uint32_t)to + 1;
			return;
		}
}

void pst_row_index_free(pst_row_index *x)
{
	free(x->slots);
	memset(x, 0, sizeof(*x));
}
