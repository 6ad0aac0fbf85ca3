/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Stores, as callers see them: open a PST or OST file, learn what it is, walk
 * its folders and list or read its items.
 *
 * A store is reached only through the ps_store_* functions below; each is a
 * one-line wrapper over the backend's table of functions
 * (include/pstsync/sys/store_backend.h), and the single place where tracing
 * and test fault injection hook in.
 *
 * Paths name folders below the IPM subtree (the folder Outlook shows as the
 * top of the file), separated by '/', the subtree itself being "/". Items
 * are named by their node id (NID).
 *
 * Memory: everything a function hands out through an out parameter belongs
 * to the caller and is freed with the matching *_free(); strings and
 * structures passed to callbacks belong to the store and live only until the
 * callback returns.
 */
#ifndef PSTSYNC_STORE_H
#define PSTSYNC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "pstsync/item.h"
#include "pstsync/os.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_store ps_store;

/** Flags of ps_store_open(). */
enum ps_store_open_flags {
	PS_STORE_READ = 0x00,  /**< read only (libpff); other readers may share the file */
	PS_STORE_WRITE = 0x01, /**< read and write (pstsync's own PST code); held exclusively */
	PS_STORE_SHARED = 0x02, /**< read only with pstsync's own PST code, holding a shared lock:
	                        *   other readers share the file, a writer waits (PS_ELOCKED);
	                        *   works on a read-only file or share */
	PS_STORE_BROWSE = 0x04 /**< read only, to look at folders: SHARED where it can (it reads
	                        *   only what is asked for), else READ (a store our code cannot
	                        *   read, or one a writer holds); libpff indexes every item on
	                        *   open, a minute at 100,000 items */
};

/** What a store is. */
typedef struct ps_store_info {
	int unicode;             /**< 1 Unicode (Outlook 2003 and later), 0 ANSI */
	int ost;                 /**< 1 OST (offline folders), 0 PST */
	int password_protected;  /**< 1 when a password is set */
	int encryption;          /**< 0 none, 1 compressible, 2 high */
	uint64_t file_size;      /**< bytes */
	char *display_name;      /**< UTF-8, never NULL ("" when unset) */
	uint8_t record_key[16];  /**< the provider UID entry IDs are built from */
	int has_record_key;
	uint32_t ipm_subtree_nid;/**< the folder shown as the top of the file */
	uint64_t sync_mark;      /**< pstsync's mark, moved forward by every sync that wrote
	                          *   the store (0: none) */
	int has_sync_mark;       /**< 0: the backend cannot read the mark (libpff) */
	uint32_t wastebasket_nid;/**< Deleted Items (0: unknown) */
} ps_store_info;

/** One folder in a walk of the tree. */
typedef struct ps_folder_info {
	uint32_t nid;
	uint32_t parent_nid;
	const char *path;        /**< "/" for the IPM subtree, "/Contacts", ... */
	const char *name;        /**< display name */
	const char *container_class; /**< "IPF.Note", ...; "" when unset */
	uint32_t item_count;     /**< messages in the contents table */
	uint32_t unread_count;
	uint32_t subfolder_count;
	int depth;               /**< 0 for the IPM subtree */
	int damaged;             /**< 1 when parts of it could not be read */
} ps_folder_info;

/** One item as the folder's contents table lists it. */
typedef struct ps_item_summary {
	uint32_t nid;
	uint8_t entry_id[24];    /**< 4 flag bytes, record key, NID */
	const char *message_class; /**< "IPM.Contact", ...; "" when unset */
	const char *subject;     /**< subject or display name; "" when unset */
	uint64_t modified;       /**< last modification, FILETIME UTC (0 when unset) */
	uint64_t size;           /**< PidTagMessageSize */
	const uint8_t *search_key; /**< PR_SEARCH_KEY, or NULL */
	size_t search_key_size;
	const uint8_t *change_key; /**< PidTagChangeKey, or NULL */
	size_t change_key_size;
	uint32_t flags;          /**< PidTagMessageFlags */
} ps_item_summary;

/** Callbacks return 0 to go on; any other value stops the walk and is returned. */
typedef int (*ps_folder_cb)(const ps_folder_info *folder, void *ctx);
typedef int (*ps_item_cb)(const ps_item_summary *item, void *ctx);

/**
 * Called for each part of a store that cannot be read while the rest can
 * (a damaged item, a folder whose table is broken). @p message is a full
 * lower-case sentence naming the file. The core never prints it: the front
 * end decides.
 */
typedef void (*ps_warning_cb)(const char *message, void *ctx);

/**
 * Open the store at @p path (UTF-8) for reading.
 *
 * Fails with PS_ENOTFOUND (no such file), PS_EINVAL (a directory),
 * PS_ELOCKED (another program holds it), PS_ENOTPST (not a PST or OST),
 * PS_ECORRUPT (a PST whose header or indexes are damaged), each with a
 * message naming the file.
 */
int ps_store_open(ps_store **out, const char *path, unsigned flags);

/** Close and free; NULL is allowed. */
void ps_store_close(ps_store *store);

/** The path the store was opened with. */
const char *ps_store_path(const ps_store *store);

/** Send warnings about damaged parts to @p cb (none are sent by default). */
void ps_store_set_warning_cb(ps_store *store, ps_warning_cb cb, void *ctx);

/**
 * What crossed between pstsync and the store's file since it was opened:
 * bytes and calls of reads and writes, counted in the OS layer (on a share
 * each call is a round trip). PS_EUNSUPPORTED (zeros, and no message
 * set) for a store read through libpff, whose reads are its own.
 */
int ps_store_io_stats(ps_store *store, ps_io_stats *out);

/**
 * The contents table of folder @p folder_nid as it lies in the file, for
 * noticing that it did not change without reading it: its node's data BID
 * and subnode BID. A PST writes changed data into new blocks with new BIDs
 * and never rewrites a block in place, so the same two BIDs in the same
 * lineage of a file mean the same rows. PS_EUNSUPPORTED (no message set) for
 * a store read through libpff or with changes not committed yet.
 */
int ps_store_table_stamp(ps_store *store, uint32_t folder_nid, uint64_t out[2]);

/** Fill @p info; free it with ps_store_info_clear(). */
int ps_store_get_info(ps_store *store, ps_store_info *info);

void ps_store_info_clear(ps_store_info *info);

/**
 * Walk every folder below the IPM subtree, the subtree first, parents before
 * children, siblings in the order the hierarchy table keeps them.
 */
int ps_store_walk_folders(ps_store *store, ps_folder_cb cb, void *ctx);

/**
 * The same walk for the folder tree alone: item_count and subfolder_count
 * are 0, and a damaged contents table goes unnoticed here, because no
 * contents table is read (the counts cost as much as the rest of the walk,
 * and a sync needs none of them; it lists the folders it links).
 */
int ps_store_walk_tree(ps_store *store, ps_folder_cb cb, void *ctx);

/**
 * Find the folder at @p path. PS_ENOTFOUND when there is none. Folder names
 * match exactly; a '/' inside a name is written "%2F" and a '%' "%25".
 */
int ps_store_find_folder(ps_store *store, const char *path, uint32_t *nid_out);

/**
 * List the items of a folder from its contents table, without reading each
 * item's whole property set. Damaged rows are reported to the warning
 * callback and skipped.
 */
int ps_store_list_items(ps_store *store, uint32_t folder_nid, ps_item_cb cb, void *ctx);

/**
 * List the folder-associated (hidden) items of a folder, from its associated
 * contents table: views, the folder's settings (IPM.Configuration.*),
 * rules, forms. The sync never sees them; `copy --recursive` copies them.
 */
int ps_store_list_assoc_items(ps_store *store, uint32_t folder_nid, ps_item_cb cb, void *ctx);

/**
 * List only the items @p nids (@p count of them) of folder @p folder_nid,
 * with what ps_store_list_items() gives for them, in no particular order;
 * a NID that is no item of the folder is left out. Where the backend can
 * look items up (the PST backend) this costs the items asked for, not the
 * whole folder: the sync engine reads back what it wrote this way.
 */
int ps_store_list_given(ps_store *store, uint32_t folder_nid, const uint32_t *nids, size_t count,
	ps_item_cb cb, void *ctx);

/**
 * Read one item completely: every property, named ones with their names,
 * recipients and attachments (embedded messages recursively).
 * PS_ENOTFOUND when @p nid is no item of the store, PS_EITEM when it is
 * damaged beyond reading.
 */
int ps_store_read_item(ps_store *store, uint32_t nid, ps_item **out);

/* ---- writing (stores opened with PS_STORE_WRITE) -------------------------
 *
 * Changes are grouped in transactions: ps_store_begin(), any number of
 * changes, ps_store_commit(). Until the commit nothing is visible to other
 * programs, and a process killed before the commit leaves the store as it
 * was; reads through the same store see the transaction's changes. A
 * transaction may hold thousands of items. Calling a change without
 * ps_store_begin() runs it in a transaction of its own.
 *
 * Only Unicode PST files are written; an ANSI store opened with
 * PS_STORE_WRITE fails with PS_EUNSUPPORTED and a message saying to convert
 * it. A store being written is locked against every other writer (and, on
 * Windows, against Outlook), which get PS_ELOCKED.
 */

/**
 * Create a new, empty Unicode PST at @p path, as Outlook would: the message
 * store, the IPM subtree with the standard folders (Inbox, Outbox, Sent
 * Items, Deleted Items, Drafts, Calendar, Contacts, Journal, Notes, Tasks,
 * Junk E-mail), search folders and the tables Outlook expects, with a fresh
 * record key and @p display_name (NULL: "Personal Folders"). PS_EEXISTS
 * when the file exists. The store is returned open for writing.
 */
int ps_store_create(ps_store **out, const char *path, const char *display_name);

int ps_store_begin(ps_store *store);
int ps_store_commit(ps_store *store);
/** Drop the open transaction's changes; safe without one. */
void ps_store_abort(ps_store *store);

/**
 * Create folder @p name with @p container_class ("IPF.Contact"; NULL or ""
 * for none) below @p parent_nid. PS_EEXISTS when the parent has a subfolder
 * of that name (the existing NID is still stored in *nid_out).
 */
int ps_store_create_folder(ps_store *store, uint32_t parent_nid, const char *name,
	const char *container_class, uint32_t *nid_out);

/** Rename a folder. */
int ps_store_rename_folder(ps_store *store, uint32_t folder_nid, const char *name);

/**
 * Move folder @p folder_nid below @p parent_nid with name @p name (a rename
 * when the parent stays), as Outlook does it: the folder keeps its NID, so
 * its entry ID, and its contents; both parents' hierarchy tables follow.
 * PS_EEXISTS when the new parent has a subfolder of that name, PS_EINVAL
 * for a move into the folder itself or below it.
 */
int ps_store_move_folder(ps_store *store, uint32_t folder_nid, uint32_t parent_nid, const char *name);

/**
 * Set the store's sync mark (ps_store_info.sync_mark), a property of
 * pstsync's own on the message store object, in the open transaction.
 */
int ps_store_set_sync_mark(ps_store *store, uint64_t mark);

/** Delete an empty folder (PS_EINVAL when it holds items or subfolders). */
int ps_store_delete_folder(ps_store *store, uint32_t folder_nid);

/**
 * Write an item into folder @p folder_nid from a complete property set as
 * ps_store_read_item() gives it (properties, recipients, attachments,
 * embedded messages; named properties carry their names and are mapped into
 * this store's name-to-id map). With @p replace_nid 0 a new item is added and
 * its NID stored in *nid_out; otherwise the item @p replace_nid (which must be
 * in that folder) gets the new content and keeps its NID, so its entry ID
 * stays the same. Properties that belong to the store rather than the item
 * (PidTagLtpRowId and the like) are computed, not copied; PidTagMessageSize
 * is computed from what is written.
 */
int ps_store_put_item(ps_store *store, uint32_t folder_nid, const ps_item *item,
	uint32_t replace_nid, uint32_t *nid_out);

/** Delete an item for good (not a move to Deleted Items). */
int ps_store_delete_item(ps_store *store, uint32_t nid);

/** Build the 24-byte entry ID of @p nid in a store with @p record_key. */
void ps_entry_id_make(uint8_t out[24], const uint8_t record_key[16], uint32_t nid);

/** Split a "STORE:/PATH#ID" argument; see the command line's documentation. */
int ps_location_parse(const char *arg, char **store_path, char **folder_path,
	uint32_t *nid, int *has_nid);

#ifdef __cplusplus
}
#endif

#endif
