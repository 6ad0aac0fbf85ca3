/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The implementer's side of a store: the table of functions a backend fills
 * in. Callers use the wrappers of include/pstsync/store.h instead, never the
 * table directly.
 *
 * Every backend's instance struct starts with `struct ps_store base;`, so
 * that the wrappers can reach the table and the common fields, and the
 * backend recovers its own struct with a cast of the first member.
 */
#ifndef PSTSYNC_SYS_STORE_BACKEND_H
#define PSTSYNC_SYS_STORE_BACKEND_H

#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/store.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ps_store_ops {
	/** Short name for traces ("pff"). */
	const char *name;

	/**
	 * Open @p path. On success *out is a new store whose base is filled
	 * in except path and warnings (the wrapper sets them). On failure
	 * *out is NULL and the error message names the file.
	 */
	int (*open)(struct ps_store **out, const char *path, unsigned flags);

	/** Free everything; the store is never used again. */
	void (*close)(struct ps_store *store);

	/** Fill @p info (the caller clears it). */
	int (*get_info)(struct ps_store *store, ps_store_info *info);

	/** Depth-first walk below the IPM subtree; see ps_store_walk_folders(). */
	int (*walk_folders)(struct ps_store *store, ps_folder_cb cb, void *ctx);

	/** Contents-table listing; see ps_store_list_items(). */
	int (*list_items)(struct ps_store *store, uint32_t folder_nid, ps_item_cb cb, void *ctx);

	/** Complete read; *out belongs to the caller. */
	int (*read_item)(struct ps_store *store, uint32_t nid, ps_item **out);

	/**
	 * Listing of the folder-associated (hidden) items; see
	 * ps_store_list_assoc_items(). May be NULL: the folder then has none.
	 */
	int (*list_assoc_items)(struct ps_store *store, uint32_t folder_nid, ps_item_cb cb,
		void *ctx);

	/**
	 * Listing of some items only; see ps_store_list_given(). May be NULL:
	 * the wrapper then filters a whole listing.
	 */
	int (*list_given)(struct ps_store *store, uint32_t folder_nid, const uint32_t *nids,
		size_t count, ps_item_cb cb, void *ctx);

	/*
	 * Writing: NULL in read-only backends (the wrappers then answer
	 * PS_EUNSUPPORTED). Semantics as the ps_store_* wrappers describe.
	 */
	int (*begin)(struct ps_store *store);
	int (*commit)(struct ps_store *store);
	void (*abort)(struct ps_store *store);
	int (*create_folder)(struct ps_store *store, uint32_t parent_nid, const char *name,
		const char *container_class, uint32_t *nid_out);
	int (*rename_folder)(struct ps_store *store, uint32_t folder_nid, const char *name);
	int (*delete_folder)(struct ps_store *store, uint32_t folder_nid);
	int (*put_item)(struct ps_store *store, uint32_t folder_nid, const ps_item *item,
		uint32_t replace_nid, uint32_t *nid_out);
	int (*delete_item)(struct ps_store *store, uint32_t nid);
	int (*move_folder)(struct ps_store *store, uint32_t folder_nid, uint32_t parent_nid,
		const char *name);
	int (*set_sync_mark)(struct ps_store *store, uint64_t mark);

	/** What crossed to the store's file so far; NULL: not counted (libpff). */
	int (*io_stats)(struct ps_store *store, ps_io_stats *out);

	/** See ps_store_walk_tree(); NULL: walk_folders serves. */
	int (*walk_tree)(struct ps_store *store, ps_folder_cb cb, void *ctx);

	/** See ps_store_table_stamp(); NULL: not known (libpff). */
	int (*table_stamp)(struct ps_store *store, uint32_t folder_nid, uint64_t out[2]);
};

/** Fields common to every backend's store. */
struct ps_store {
	const struct ps_store_ops *ops;
	char *path;
	ps_warning_cb warn;
	void *warn_ctx;
};

/** Send a formatted warning to the store's callback, if any. */
void ps_store__warn(struct ps_store *store, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 2, 3)))
#endif
	;

/**
 * The path of folder @p name below @p parent ("/" for the top), its name
 * escaped ('/' and '%' written "%2F" and "%25", so paths stay unambiguous); with @p duplicate (an earlier sibling has the same name) the NID
 * is added, "/Inbox (0x8222)", so that every path names one folder. Both
 * backends build paths here so that they agree. malloc'ed; NULL when out of memory.
 */
char *ps_store__child_path(const char *parent, const char *name, int duplicate, uint32_t nid);

/**
 * Hand one listed item to @p cb: @p sum's identity (NID and entry ID from
 * @p record_key) and texts are set from the arguments, which are
 * malloc'ed (or NULL) and freed here whatever @p cb returns. Both backends
 * list items through it so that their summaries agree.
 * @return what @p cb returned
 */
int ps_store__emit_item(ps_item_summary *sum, const uint8_t record_key[16], uint32_t nid,
	char *message_class, char *subject, uint8_t *search_key, uint8_t *change_key,
	ps_item_cb cb, void *ctx);

/** The PST/OST backend over libpff (src/pff/store_pff.c): reading only. */
extern const struct ps_store_ops ps_store_pff_ops;

/**
 * The PST backend on pstsync's own PST code (src/pst/store_pst.c): reading
 * and writing Unicode PST files; used for stores opened with PS_STORE_WRITE.
 * Its create function makes a new store (see ps_store_create()).
 */
extern const struct ps_store_ops ps_store_pst_ops;
int ps_store_pst_create(struct ps_store **out, const char *path, const char *display_name);

#ifdef __cplusplus
}
#endif

#endif
