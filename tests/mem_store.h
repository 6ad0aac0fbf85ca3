/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * An in-memory store backend for the sync engine's unit tests
 * (tests/mem_store.c): one `const struct ps_store_ops` with reading
 * and writing over arrays, transactions (a copy of the committed state is
 * kept at begin and put back at abort), and fault injection that stands for
 * a kill: the Nth write call of a "world" (the stores of one simulated
 * process) fails, before or after it takes effect, and from then on every
 * call of every store of that world fails and their open transactions are
 * lost, as a killed process loses them. mem_world_revive() is the restart.
 *
 * Write calls counted: begin, commit, create_folder, put_item, delete_item.
 * Items keep their named properties by name, modification time from
 * PidTagLastModificationTime, a size computed from their content, entry IDs
 * from a random record key and the NID, as a PST would.
 */
#ifndef PSTSYNC_TESTS_MEM_STORE_H
#define PSTSYNC_TESTS_MEM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "pstsync/store.h"

typedef struct mem_world {
	int writes;        /* write calls so far */
	int fail_at;       /* 0: never; N: the Nth write call fails (the "kill") */
	int after_effect;  /* 1: the failing call takes effect first (a commit that lands) */
	int crashed;       /* set by the failure: every call fails until revived */
	int reads;         /* read_item calls */
	int lists;         /* list_items calls */
	uint32_t bad_nid;  /* read_item of this NID fails with PS_EITEM (a damaged item) */
	ps_store *stores[2];
	int nstores;
} mem_world;

/** A new empty store in @p world with the root folder "/" only. */
ps_store *mem_store_new(mem_world *world, const char *name);

/** After a "kill": the stores keep what was committed; counting goes on. */
void mem_world_revive(mem_world *world);

/** Test set-up, not counted: add a folder (parents must exist). */
uint32_t mem_store_add_folder(ps_store *store, const char *path, const char *cls);

/** Test set-up, not counted: add a copy of @p item; its NID. */
uint32_t mem_store_add_item(ps_store *store, uint32_t folder, const ps_item *item);

/** Test set-up, not counted: replace item @p nid's content (keeps the NID). */
void mem_store_set_item(ps_store *store, uint32_t nid, const ps_item *item);

/** Test set-up, not counted: delete item @p nid. */
void mem_store_remove_item(ps_store *store, uint32_t nid);

/** The NIDs of the items of @p folder (up to @p max); how many there are. */
size_t mem_store_items(ps_store *store, uint32_t folder, uint32_t *nids, size_t max);

/** Item @p nid (owned by the store), or NULL. */
const ps_item *mem_store_item(ps_store *store, uint32_t nid);

/** A deep copy of @p item. */
ps_item *mem_item_dup(const ps_item *item);

/* Append one property to @p set (a copy of @p data), a string as UTF-16LE,
 * or a FILETIME: for items the tests build by hand. */
void mem_prop_put(ps_propset *set, uint32_t tag, const void *data, size_t size);
void mem_prop_put_text(ps_propset *set, uint16_t id, const char *text);
void mem_prop_put_time(ps_propset *set, uint16_t id, uint64_t t);

#endif
