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

/* What a listing gives of an item the store just wrote (from the very
 * properties it wrote), so that reading it back costs no read. */
struct pst_recent {
	uint32_t nid;
	uint32_t flags;
	uint64_t modified, size;
	char *cls, *subject;
	uint8_t *search_key, *change_key;
	size_t search_key_size, change_key_size;
};

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
	struct pst_recent *recent; /* items written since the last begin, by NID once sorted */
	size_t nrecent, caprecent;
	int recent_sorted;
	int tables_scanned;        /* pst__repair_tables() ran at the first flush */
};

/* store_pst.c */
int pst__store_init(struct pst_store *st);

int pst__map(struct pst_store *st, ps_nameid_map **out);
char *pst__value_string(const ps_ltp_value *v);
char *pst__pc_string(const ps_pc *pc, uint16_t id);
int pst__table_rows(struct pst_store *st, uint32_t table_nid, uint32_t **ids, size_t *count);
int pst__check_folder(struct pst_store *st, uint32_t nid);
/* store_write.c: tables whose data trees have a block but the last that is
 * not full (pstsync before 2.3.4.4's padding) are loaded and marked to be
 * written again at the flush; *@p fixed counts them. */
int pst__repair_tables(struct pst_store *st, unsigned *fixed);

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
int pst__move_folder(struct ps_store *store, uint32_t folder_nid, uint32_t parent_nid,
	const char *name);
int pst__set_sync_mark(struct ps_store *store, uint64_t mark);
/* The sync mark on the message store (store_write.c); 0 when none. */
int pst__sync_mark(struct pst_store *st, uint64_t *out);

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

/**
 * A contents table just read whole for a listing (@p tc), taken into the
 * writer's cache when it can be kept block by block and is not cached yet:
 * the writes that follow a sync's scan then read it no second time.
 */
void pst__table_adopt(struct pst_store *st, uint32_t nid, const ps_tc *tc);

/** Forget the items noted as written (store_write.c notes them). */
void pst__recent_clear(struct pst_store *st);

/** The note of item @p nid written since the last begin, or NULL. */
const struct pst_recent *pst__recent_find(struct pst_store *st, uint32_t nid);

/*
 * table_big.c: a large contents table kept in step block by block (see the
 * comment at the top of that file). Rows are known by id and position only;
 * a changed row's cells are held until the flush.
 */
struct pst_big;

/**
 * Take over table @p nid from @p tc (opened whole) when it is laid out as
 * table_big.c keeps tables: *@p out is then set, else left NULL (0 is
 * returned either way, a negative status only for a failure). @p data_tags
 * are the table's columns in bit order without RowId and RowVer, the order
 * of the cells given to pst__big_put().
 */
int pst__big_from_tc(const ps_tc *tc, uint32_t nid, const uint32_t *data_tags, size_t ndata,
	struct pst_big **out);
void pst__big_free(struct pst_big *b);

/** The position of row @p id, or -1. */
long pst__big_find(const struct pst_big *b, uint32_t id);
size_t pst__big_count(const struct pst_big *b);
size_t pst__big_unread(const struct pst_big *b);
uint32_t pst__big_id_at(const struct pst_big *b, size_t pos);
int pst__big_dirty(const struct pst_big *b);

/** Whether the rows would fit one heap allocation (the table is small again). */
int pst__big_small(const struct pst_big *b);

/**
 * Set row @p id to @p cells (one a data column; taken over), adding it when
 * absent. Without a PidTagMessageStatus cell a replaced row keeps its own
 * when @p keep_status, else gets 0. Returns 1 without taking @p cells when
 * a value is too large for the heap (the table must leave this layout).
 */
int pst__big_put(struct pst_store *st, struct pst_big *b, uint32_t id, ps_prop *cells,
	int keep_status);

/** Remove row @p id (the last row takes its place); PS_ENOTFOUND when absent. */
int pst__big_delete(struct pst_big *b, uint32_t id);

/** Write the changed groups (and what depends on them) into the transaction. */
int pst__big_write(struct pst_store *st, struct pst_big *b);

/**
 * Every row whole, with the changes not written yet: ids, RowVers and cells
 * (one a data column), malloc'ed, for the table to leave this layout.
 */
int pst__big_rows(struct pst_store *st, struct pst_big *b, uint32_t **ids, uint32_t **vers,
	ps_prop ***cells);

#endif
