/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The recovery store: the safety net under every sync. Before a sync
 * overwrites or deletes an item in either store, the version it destroys is
 * copied into a PST of the profile's own, beside its protocol
 * ("recovery-office-1a2b3c4d.pst"), written by pstsync's PST writer so that
 * Outlook opens it too and a person can drag an item back by hand.
 *
 * Its folders are one per side and linked folder: "Local/Contacts",
 * "Global/Calendar". Each copy keeps every property, recipient and
 * attachment of the version it keeps, plus properties of pstsync's own
 * (property set PS_PSETID_PSTSYNC, string names "PstsyncRecovered..."):
 * when, which sync, what happened (overwritten, deleted), why (the answer
 * or the rule), and where it came from (side, store, folder, entry ID).
 * Its PidTagLastModificationTime is the time of the copy, so that a listing
 * of the contents tables alone tells the age of each copy (retention); the
 * original time is kept in PstsyncRecoveredModified and comes back with a
 * restore.
 *
 * Ids of versions are the NIDs of the copies in the recovery store.
 *
 * A recovery store that cannot be opened as one (not a PST, damaged) is set
 * aside ("PATH.damaged-YYYYMMDD-HHMMSS", kept) and a new one started; the
 * warning says so (ps_recovery_warning()).
 */
#ifndef PSTSYNC_RECOVERY_H
#define PSTSYNC_RECOVERY_H

#include <stddef.h>
#include <stdint.h>

#include "pstsync/item.h"
#include "pstsync/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_recovery ps_recovery;

/** What a sync did to the version kept. */
enum ps_recovery_what {
	PS_RECOVERY_OVERWRITTEN = 0,
	PS_RECOVERY_DELETED = 1
};

/** "overwritten", "deleted"; NULL for other values. */
const char *ps_recovery_what_name(int what);

/** The defaults of the options recovery_days and recovery_max_mb. */
#define PS_RECOVERY_DAYS_DEFAULT 30
#define PS_RECOVERY_MAX_MB_DEFAULT 500

/** Where a version comes from and why it was kept (see ps_recovery_keep()). */
typedef struct ps_recovery_meta {
	uint64_t when;             /**< FILETIME of the copy; 0: now */
	int64_t sync_id;           /**< the sync (its history id); 0: none */
	int what;                  /**< enum ps_recovery_what */
	const char *why;           /**< "answer keep-global", "changed in the global store", ... */
	int side;                  /**< 0 local, 1 global: the store it was in */
	const char *store_path;    /**< that store's file */
	const char *folder;        /**< its folder there ("/Contacts") */
	const char *container_class; /**< the folder's class, for the recovery folder; may be NULL */
	const uint8_t *entry_id;   /**< its entry ID there */
	size_t entry_id_size;
	const uint8_t *marker;     /**< the journal entry's marker (PS_SYNC_MARKER_SIZE); may be NULL */
	size_t marker_size;
} ps_recovery_meta;

/** One version kept, as listed. Strings live until the callback returns. */
typedef struct ps_recovery_version {
	uint32_t id;               /**< its NID in the recovery store */
	uint64_t when;             /**< when it was kept */
	int64_t sync_id;
	int what;                  /**< enum ps_recovery_what */
	const char *why;
	int side;
	const char *store_path;
	const char *folder;
	const char *message_class;
	const char *subject;
	const uint8_t *entry_id;
	size_t entry_id_size;
	uint64_t size;             /**< PidTagMessageSize of the copy */
} ps_recovery_version;

/**
 * The recovery store of the profile whose protocol is @p protocol_path:
 * "DIR/protocol-NAME.db" gives "DIR/recovery-NAME.pst", any other name
 * "PATH.recovery.pst". Malloc'ed.
 */
int ps_recovery_path(const char *protocol_path, char **out);

/**
 * Open the recovery store at @p path for writing. With @p create, a missing
 * one is created; a damaged one is set aside and a new one created (the
 * warning says so). Without @p create, PS_ENOTFOUND when there is none.
 * PS_ELOCKED when another program holds it (a sync running).
 */
int ps_recovery_open(ps_recovery **out, const char *path, int create);

/**
 * Close @p r and set its file aside ("PATH.damaged-YYYYMMDD-HHMMSS", kept):
 * damage found in use. *aside_out (malloc'ed) says where it went.
 */
int ps_recovery_discard(ps_recovery *r, char **aside_out);

/** Close; NULL is allowed. An open transaction is dropped. */
void ps_recovery_close(ps_recovery *r);

/** NULL, or a sentence saying that a damaged recovery store was set aside. */
const char *ps_recovery_warning(const ps_recovery *r);

const char *ps_recovery_file(const ps_recovery *r);

/** Transactions, as ps_store_begin() and friends: copies are kept at the commit. */
int ps_recovery_begin(ps_recovery *r);
int ps_recovery_commit(ps_recovery *r);
void ps_recovery_abort(ps_recovery *r);

/**
 * Keep @p item (a whole item as ps_store_read_item() gives it; not
 * changed) with @p meta in the folder of its side and folder, made when
 * missing. @p id_out (may be NULL) receives the version's id.
 */
int ps_recovery_keep(ps_recovery *r, const ps_item *item, const ps_recovery_meta *meta,
	uint32_t *id_out);

/**
 * Whether a copy carrying @p marker was kept at @p since or later in the
 * folder of @p side and @p folder (a sync killed after the copy's commit
 * does it again: it must not be kept twice). Reads only the copies made
 * since then.
 */
int ps_recovery_has_marker(ps_recovery *r, int side, const char *folder, const uint8_t *marker,
	size_t marker_size, uint64_t since, int *yes);

typedef int (*ps_recovery_cb)(const ps_recovery_version *v, void *ctx);

/** Every version kept, oldest first (reads the properties of each copy, not
 * its recipients and attachments). */
int ps_recovery_list(ps_recovery *r, ps_recovery_cb cb, void *ctx);

/** The version @p id (PS_ENOTFOUND); the strings of *out live until the next call. */
int ps_recovery_get(ps_recovery *r, uint32_t id, ps_recovery_version *out);

/**
 * The version @p id as it was before the sync: the copy without the
 * properties of the recovery store, its own modification time back.
 */
int ps_recovery_read(ps_recovery *r, uint32_t id, ps_item **out);

/**
 * Forget copies kept before @p now minus @p days days, then the oldest
 * until the copies take at most @p max_mb megabytes; the file reuses the
 * space. @p removed_out (may be NULL) receives how many went.
 */
int ps_recovery_prune(ps_recovery *r, int days, int max_mb, uint64_t now, size_t *removed_out);

/**
 * After ps_recovery_prune(): when (FILETIME) the oldest copy left passes
 * its days, so that a prune with the same limits finds something to do
 * before then only if copies were added; UINT64_MAX when none will, 0
 * before a prune.
 */
uint64_t ps_recovery_prune_due(const ps_recovery *r);

/**
 * Put version @p id back into @p store (opened for writing: the store it
 * came from), into the folder it came from: as a new item, or with
 * @p replace over the item with its entry ID when that is still there (the
 * current version is kept in the recovery store first, with @p sync_id 0
 * and why "recover --replace"). @p nid_out receives the item written,
 * @p replaced_out (may be NULL) 1 when an item was replaced.
 */
int ps_recovery_restore(ps_recovery *r, uint32_t id, ps_store *store, int replace,
	uint32_t *nid_out, int *replaced_out);

#ifdef __cplusplus
}
#endif

#endif
