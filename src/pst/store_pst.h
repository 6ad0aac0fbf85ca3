/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The instance of the PST backend (store_pst.c) and what its parts share:
 * the reading side (store_pst.c), the writing side with its transaction and
 * table cache (store_write.c) and the creation of new stores
 * (pst_create.c). Internal to src/pst.
 */
#ifndef PSTSYNC_PST_STORE_PST_H
#define PSTSYNC_PST_STORE_PST_H

#include <stddef.h>
#include <stdint.h>

#include "pst/msg.h"
#include "pstsync/sys/store_backend.h"

struct pst_table;
struct pst_folder;

struct pst_store {
	struct ps_store base;      /* first: the wrappers see this */
	ps_ndb *ndb;
	int writable;
	int unicode;
	int encryption;
	uint8_t record_key[16];
	int has_record_key;
	uint32_t ipm_subtree_nid;
	ps_nameid_map *map;        /* loaded when first needed */

	/* ---- the open transaction (store_write.c) ---- */
	ps_ndb_tx *tx;
	int tx_explicit;           /* opened by ps_store_begin(), not by one change */
	struct pst_table **tables; /* cached tables, hashed by NID */
	size_t ntables, captables;
	struct pst_folder **folders; /* folders whose PC changes at the flush */
	size_t nfolders, capfolders;
	uint8_t *suq;              /* search update descriptors to queue */
	size_t suq_size, suq_cap;
	uint32_t *sdo;             /* the search domain (node 0x261), by NID index */
	size_t nsdo;
	int sdo_loaded;
	unsigned skipped;          /* properties left out by the last put_item */
	uint32_t *recip_cols;      /* columns of the store's recipient table template */
	size_t nrecip_cols;
	uint32_t *att_cols;        /* and of its attachment table template */
	size_t natt_cols;
};

/* store_pst.c */
int pst__store_init(struct pst_store *st);

int pst__map(struct pst_store *st, ps_nameid_map **out);
char *pst__value_string(const ps_ltp_value *v);
char *pst__pc_string(const ps_pc *pc, uint16_t id);
int pst__table_rows(struct pst_store *st, uint32_t table_nid, uint32_t **ids, size_t *count);
int pst__check_folder(struct pst_store *st, uint32_t nid);

/* pst_create.c: add the names a new Outlook store maps to @p map. */
int pst__initial_names(ps_nameid_map *map);

/* store_write.c: the write functions of the backend table. */
int pst__begin(struct ps_store *store);
int pst__commit(struct ps_store *store);
void pst__abort(struct ps_store *store);
int pst__create_folder(struct ps_store *store, uint32_t parent_nid, const char *name,
	const char *container_class, uint32_t *nid_out);
int pst__rename_folder(struct ps_store *store, uint32_t folder_nid, const char *name);
int pst__delete_folder(struct ps_store *store, uint32_t folder_nid);
int pst__put_item(struct ps_store *store, uint32_t folder_nid, const ps_item *item,
	uint32_t replace_nid, uint32_t *nid_out);
int pst__delete_item(struct ps_store *store, uint32_t nid);

/** Add the row of folder @p nid (its PC as it is now) to its parent's hierarchy table. */
int pst__hierarchy_add(struct pst_store *st, uint32_t nid);

/** The three tables of a new folder @p nid, sharing the store's templates. */
int pst__folder_tables(struct pst_store *st, uint32_t nid);

/** Set properties of folder @p nid at the flush (and its hierarchy row). */
int pst__folder_set(struct pst_store *st, uint32_t nid, const ps_prop *props, size_t n);

/** Write what the cache holds into the open transaction (nothing without one). */
int pst__flush(struct pst_store *st);

/** Forget the cache and abort an open transaction. */
void pst__tx_drop(struct pst_store *st);

#endif
