/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The sync engine: keeps the linked folder pairs of a profile in step, both
 * ways, as README.md's section "How pstsync decides" describes (the
 * decision table, compared against the per-item state recorded in the
 * protocol instead of a clock; pairing; one-way links; questions; crash
 * safety).
 *
 * One sync of a profile:
 *   1. open the protocol (one SQLite database per profile, beside the
 *      settings file: ps_sync_protocol_path()), the global store (held
 *      exclusively for the whole sync) and the local store;
 *   2. forget the protocol of links no longer in the profile;
 *   3. per link: find (or create) both folders, list both contents tables,
 *      finish what an interrupted sync left in the journal;
 *   4. per link: classify every recorded pair (unmodified, modified,
 *      deleted on each side), pair new items that are already alike on both
 *      sides, and decide: actions that need no question, questions
 *      (conflicts, deletions to confirm);
 *   5. run the actions of every link, in store transactions of up to
 *      batch_size items, each journalled in the protocol before the store is
 *      touched and recorded after the store's commit;
 *   6. hand every question of the profile to the ui at once (two grouped
 *      lists), or answer them from the options; carry out the answers; a
 *      question left for later stays outstanding in the protocol and is
 *      asked again next time;
 *   7. record per link the time and item counts, and a history row.
 *
 * Sides are indexed as everywhere in the engine: 0 the local store, 1 the
 * global store (PS_PROTOCOL_LOCAL / PS_PROTOCOL_GLOBAL), per-side data in
 * [2] arrays.
 *
 * The engine never prints: it reports through the callbacks of a
 * ps_sync_ui (progress, actions, questions, warnings), which a command line
 * prints and a tray application posts to its window. Every callback may be
 * NULL. Strings and structures handed to callbacks belong to the engine and
 * live only until the callback returns.
 *
 * Errors spread as far as ps_status_scope() (errors.h) says: an item that
 * cannot be read or written is skipped with a warning and counted in the
 * link's errors; a folder that cannot be found, made or read (damaged)
 * fails its link (the other links go on); a store or protocol failure
 * stops the profile, leaving the journal for the next run to finish. Nothing is ever lost or duplicated by
 * a stop at any instant (see protocol.h's crash-safety contract).
 *
 * Threads: one sync per thread; the engine keeps no global state.
 */
#ifndef PSTSYNC_SYNC_H
#define PSTSYNC_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "pstsync/item.h"
#include "pstsync/protocol.h"
#include "pstsync/settings.h"
#include "pstsync/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- options ----------------------------------------------------------- */

/** How conflicts are answered in this sync. */
typedef enum ps_sync_conflicts {
	PS_SYNC_CONFLICTS_SETTINGS = 0, /**< as the settings' `conflicts` option says */
	PS_SYNC_CONFLICTS_ASK = 1,      /**< ask the ui (left for later without one) */
	PS_SYNC_CONFLICTS_LOCAL = 2,    /**< keep the local version */
	PS_SYNC_CONFLICTS_GLOBAL = 3,   /**< keep the global version */
	PS_SYNC_CONFLICTS_BOTH = 4,     /**< keep both versions */
	PS_SYNC_CONFLICTS_LATER = 5     /**< leave them outstanding */
} ps_sync_conflicts;

/** How deletions to confirm are answered in this sync. */
typedef enum ps_sync_deletes {
	PS_SYNC_DELETES_ASK = 0,     /**< ask the ui (left for later without one) */
	PS_SYNC_DELETES_APPLY = 1,   /**< delete the item on the other side too */
	PS_SYNC_DELETES_RESTORE = 2, /**< copy the item back to the side that deleted it */
	PS_SYNC_DELETES_LATER = 3    /**< leave them outstanding */
} ps_sync_deletes;

/** What one sync does; ps_sync_options_init() gives the defaults (all zero). */
typedef struct ps_sync_options {
	int dry_run;                 /**< 1: report the plan through the ui, change nothing */
	ps_sync_conflicts conflicts; /**< default: the settings' option */
	ps_sync_deletes deletes;     /**< default: ask */
	/**
	 * 1: the deletions the mass-delete guard turned into questions may be
	 * answered by @c deletes too. 0 (default): only a ui answers them, so a
	 * non-interactive run never empties a folder because the other store
	 * was emptied or replaced.
	 */
	int mass_delete_ok;
	/** Items per store transaction; 0: PS_SYNC_BATCH_DEFAULT. */
	unsigned batch_size;
	/**
	 * How long to wait for a store that another pstsync holds (another PC
	 * syncing with the same global store), in milliseconds; 0: fail at once
	 * with PS_ELOCKED.
	 */
	unsigned lock_wait_ms;
	/** The protocol database; NULL: ps_sync_protocol_path(). */
	const char *protocol_path;
	/**
	 * Bytes of items (their PidTagMessageSize) per store transaction, as
	 * well as @c batch_size items: a transaction holds what it writes in
	 * memory until its commit. 0: PS_SYNC_BATCH_BYTES_DEFAULT.
	 */
	size_t batch_bytes;
	/**
	 * The recovery store (pstsync/recovery.h) that keeps every version the
	 * sync overwrites or deletes. ps_sync_profile(): NULL is the profile's
	 * own (ps_recovery_path() of its protocol), "" none (measurements
	 * only); ps_sync_run(): NULL or "" is none.
	 */
	const char *recovery_path;
	/**
	 * 1: a linked folder that was deleted or moved into Deleted Items is
	 * made again at its path and filled from the other side (the link's
	 * state for it is forgotten). 0 (default): such a link stops and says so.
	 */
	int recreate_folders;
	/**
	 * 1: items unlinked by an earlier answer ("keep mine") are linked
	 * again: their half pairs are forgotten, so that this sync pairs them
	 * (by search key: a conflict when they differ) or copies them.
	 */
	int relink;
} ps_sync_options;

#define PS_SYNC_BATCH_DEFAULT 2500
#define PS_SYNC_BATCH_BYTES_DEFAULT ((size_t)16 << 20)

/** Syncs kept in a protocol's history (older ones are pruned). */
#define PS_SYNC_HISTORY_KEEP 200

void ps_sync_options_init(ps_sync_options *opt);

/* ---- what the ui sees -------------------------------------------------- */

/** Phases reported through ps_sync_ui.progress. */
typedef enum ps_sync_phase {
	PS_SYNC_PHASE_OPEN = 0,    /**< opening the protocol and the stores */
	PS_SYNC_PHASE_RECOVER = 1, /**< finishing an interrupted sync (done/total: journal entries) */
	PS_SYNC_PHASE_SCAN = 2,    /**< comparing a link's items (done/total: pairs and items) */
	PS_SYNC_PHASE_APPLY = 3,   /**< carrying out actions (done/total: actions of the profile) */
	PS_SYNC_PHASE_ASK = 4,     /**< questions handed to the ui */
	PS_SYNC_PHASE_DONE = 5     /**< the profile's sync ended */
} ps_sync_phase;

/** A progress report. */
typedef struct ps_sync_progress {
	const char *profile;
	const char *path[2];       /**< the link's folders; NULL for the profile as a whole */
	ps_sync_phase phase;
	uint64_t done, total;      /**< total 0: unknown */
} ps_sync_progress;

/** Kinds of action reported through ps_sync_ui.action. */
typedef enum ps_sync_action_kind {
	PS_SYNC_COPY = 0,         /**< a new item copied to @c side */
	PS_SYNC_OVERWRITE = 1,    /**< the item on @c side overwritten with the other side's version */
	PS_SYNC_DELETE = 2,       /**< the item on @c side deleted for good */
	PS_SYNC_PAIR = 3,         /**< two items already alike recorded as a pair (no write) */
	PS_SYNC_UNLINK = 4,       /**< a pair unlinked ("keep mine locally" on a one-way link) */
	PS_SYNC_CREATE_FOLDER = 5,/**< the link's folder created on @c side */
	PS_SYNC_ASK_CONFLICT = 6, /**< dry run only: a conflict that would be asked */
	PS_SYNC_ASK_DELETE = 7    /**< dry run only: a deletion that would be asked */
} ps_sync_action_kind;

/** One action, done (or, in a dry run, planned). */
typedef struct ps_sync_action {
	const char *profile;
	const char *path[2];       /**< the link's folders */
	ps_sync_action_kind kind;
	int side;                  /**< the side written (0 local, 1 global); -1 for none */
	const char *subject;       /**< the item's subject or display name ("" when unknown) */
	const char *message_class; /**< "IPM.Contact", ...; "" when unknown */
	int planned;               /**< 1 in a dry run: nothing was done */
	int status;                /**< PS_OK, or why it failed (the item was skipped) */
	const char *error;         /**< the message when status is not PS_OK, else NULL */
} ps_sync_action;

/**
 * A question for the user. The ui sets @c answer to one of the answers
 * whose bit (1u << answer) is in @c answers; PS_ANSWER_NONE or
 * PS_ANSWER_LATER (always allowed) leave the question outstanding.
 *
 * Conflicts: KEEP_LOCAL / KEEP_GLOBAL overwrite the other side with that
 * side's version (or delete it, when that side deleted the item); KEEP_BOTH
 * copies each version to the other side as a new item; UNLINK, on one-way
 * links only, is "keep mine" (a read-only link's "keep mine locally"):
 * each side keeps its own version (or its deletion) and the two are no
 * longer linked: the item on the side the link copies from is remembered
 * as unlinked and never copied again, the other becomes an item of its own
 * that the link does not carry over. Deletions: DELETE deletes the item on
 * the side that still has it; RESTORE copies it back.
 */
typedef struct ps_sync_question {
	int64_t id;                /**< the protocol's question id (0 in a dry run) */
	const char *path[2];       /**< the link's folders */
	int direction;             /**< the link's ps_direction */
	int kind;                  /**< PS_QUESTION_CONFLICT or PS_QUESTION_DELETE */
	int change[2];             /**< enum ps_protocol_change, per side */
	uint64_t when[2];          /**< per side: modification time, or when the deletion
	                                was noticed (FILETIME); 0 when unchanged */
	const char *subject;       /**< "" when unknown */
	const char *message_class;
	unsigned answers;          /**< allowed answers: bits 1u << PS_ANSWER_... */
	int mass_delete;           /**< 1: a deletion the mass-delete guard held back */
	int answer;                /**< set by the ui */
} ps_sync_question;

/**
 * The front end's side of a sync. Every member may be NULL. Calls come
 * from the thread running the sync.
 */
typedef struct ps_sync_ui {
	void *ctx;
	/** Progress; called often, keep it cheap. */
	void (*progress)(void *ctx, const ps_sync_progress *p);
	/** An action was carried out (and recorded), failed, or (dry run) is planned. */
	void (*action)(void *ctx, const ps_sync_action *a);
	/**
	 * The questions of the whole profile, at once, as two lists: set
	 * each question's @c answer. Called once per sync at most, after every
	 * action that needed no question. Return 0, or a negative status to
	 * stop (the questions stay outstanding).
	 */
	int (*ask)(void *ctx, const char *profile, ps_sync_question *conflicts, size_t nconflicts,
		ps_sync_question *deletes, size_t ndeletes);
	/** Something the user should know (a damaged item skipped, a reset protocol, ...). */
	void (*warning)(void *ctx, const char *profile, const char *message);
} ps_sync_ui;

/* ---- results ----------------------------------------------------------- */

/** What a sync did; [side] counts actions that wrote that side. */
typedef struct ps_sync_counts {
	uint32_t copied[2];        /**< new items copied to the side (restores included) */
	uint32_t overwritten[2];   /**< items overwritten on the side */
	uint32_t deleted[2];       /**< items deleted on the side */
	uint32_t paired;           /**< pairs made of items already alike on both sides */
	uint32_t unlinked;         /**< pairs unlinked on request */
	uint32_t conflicts;        /**< conflicts asked (or left outstanding) this sync */
	uint32_t deletes_asked;    /**< deletions asked (or left outstanding) this sync */
	uint32_t outstanding;      /**< questions still outstanding at the end */
	uint32_t errors;           /**< items skipped because of an error, or left unread */
	/* answers carried out this sync (questions answered, not pending) */
	uint32_t kept[2];          /**< conflicts answered: keep side t's version */
	uint32_t kept_both;        /**< conflicts answered: keep both */
	uint32_t deletes_confirmed;/**< deletions answered: delete it on the other side too */
	uint32_t restored;         /**< deletions answered: restore it */
	/**
	 * Items the link leaves on side t on purpose at the end: on a one-way
	 * link, the items of the side it does not copy from (new ones, and
	 * those unlinked by a "keep mine" answer); always 0 on a two-way link.
	 */
	uint32_t not_carried[2];
	/** items written without some of their properties (damaged in the source) */
	uint32_t incomplete;
} ps_sync_counts;

/** One link's result. */
typedef struct ps_sync_link_result {
	char *path[2];             /**< the link's folders */
	int direction;             /**< ps_direction */
	int status;                /**< PS_OK, or what failed the link */
	char *error;               /**< the message when status is not PS_OK */
	uint64_t items[2];         /**< items in each folder at the end */
	ps_sync_counts counts;
	char *moved_from[2];       /**< the folder was renamed or moved from this path
	                            *   (path[] holds the new one; the settings follow
	                            *   with ps_sync_follow_folders()); NULL: not moved */
	int folder_gone[2];        /**< the folder was deleted or moved into Deleted Items:
	                            *   the link stopped (ps_sync_options.recreate_folders) */
	/** why the link's folders were read in full (a static text), or NULL: both were
	 *  as the last sync left them and neither was read */
	const char *full_read;
} ps_sync_link_result;

/** A profile's result; free with ps_sync_result_clear(). */
typedef struct ps_sync_result {
	char *profile;
	int status;                /**< PS_OK, or what stopped the profile */
	char *error;               /**< the message when status is not PS_OK */
	ps_sync_counts counts;     /**< the sum over the links */
	ps_sync_link_result *links;
	size_t link_count;
	int dry_run;
	/** per side: what crossed to the store's file, summed over the rounds of the sync
	 *  (ps_store_io_stats()); io_counted[t] 0 when the store's reads are not counted */
	ps_io_stats io[2];
	int io_counted[2];
} ps_sync_result;

/**
 * Give the links of @p profile in @p settings the new paths of the folders
 * the sync @p r followed (renamed or moved); the caller saves the settings.
 * @return the number of links changed, or a negative status
 */
int ps_sync_follow_folders(ps_settings *settings, ps_profile *profile, const ps_sync_result *r);

void ps_sync_result_clear(ps_sync_result *r);

/** Add the counts @p c to @p sum (a run's totals over profiles and links). */
void ps_sync_counts_add(ps_sync_counts *sum, const ps_sync_counts *c);

/* ---- syncing ----------------------------------------------------------- */

/**
 * Sync @p profile of @p settings (whether it is ticked is the caller's
 * business). Opens the protocol (options->protocol_path, else
 * ps_sync_protocol_path()) and both stores for writing (the global one held
 * exclusively until the end), then runs ps_sync_run().
 *
 * @param opt  NULL: the defaults
 * @param ui   NULL: nothing reported, questions left outstanding
 * @param out  filled in every case (free it with ps_sync_result_clear()),
 *             with out->status equal to the return value
 * @return PS_OK when the profile synced (questions may remain: see
 *         out->counts.outstanding; links may have failed: see
 *         out->links[i].status), else the status that stopped it, with a
 *         message naming the file (a store missing, open in Outlook, not a
 *         Unicode PST; the protocol locked or unwritable)
 */
int ps_sync_profile(const ps_settings *settings, const ps_profile *profile,
	const ps_sync_options *opt, const ps_sync_ui *ui, ps_sync_result *out);

/** One link as ps_sync_run() takes it. */
typedef struct ps_sync_link_spec {
	const char *path[2];       /**< folder paths, local and global ("/Contacts") */
	int direction;             /**< ps_direction */
} ps_sync_link_spec;

/**
 * The engine itself, on a protocol and two stores the caller opened (for
 * writing) and keeps: what ps_sync_profile() runs, and what tests drive with
 * in-memory stores. @p links are the profile's links (any protocol link not
 * among them is forgotten), @p settings_options the global options
 * (confirm_deletes, mass-delete threshold, conflicts); NULL: the defaults.
 */
int ps_sync_run(ps_protocol *protocol, ps_store *stores[2], const char *profile_name,
	const ps_sync_link_spec *links, size_t link_count, const ps_options *settings_options,
	const ps_sync_options *opt, const ps_sync_ui *ui, ps_sync_result *out);

/**
 * The protocol database of @p profile: beside the settings file, named
 * after the profile ("protocol-office-annas-pc-1a2b3c4d.db": its name made
 * safe for file names, plus a hash of the name without regard to case, so
 * that no two profiles share a file). Renaming a profile starts a new
 * protocol, whose first sync pairs the items already alike. Malloc'ed.
 */
int ps_sync_protocol_path(const ps_settings *settings, const ps_profile *profile, char **out);

/* ---- fingerprints and markers --------------------------------------------- */

#define PS_SYNC_FINGERPRINT_SIZE 32

/**
 * The content fingerprint of @p item: SHA-256 over a canonical form of its
 * properties (named ones by name, sorted), recipients (in order) and
 * attachments (in order, embedded messages recursively), leaving out what
 * differs between stores or between copies of the same content: see
 * fingerprint.c for the list. Two items with equal fingerprints are the
 * same for the user.
 */
void ps_sync_fingerprint(const ps_item *item, uint8_t out[PS_SYNC_FINGERPRINT_SIZE]);

/** The property set of pstsync's own named properties (the marker's GUID). */
extern const ps_guid PS_PSETID_PSTSYNC;

/** The string name of the marker property every copy carries ("PstsyncCopyId"). */
#define PS_SYNC_MARKER_NAME "PstsyncCopyId"

/** Bytes of a marker value (PT_BINARY). */
#define PS_SYNC_MARKER_SIZE 16

/**
 * The marker value on @p item, or NULL: the journal token of the copy or
 * overwrite that wrote it.
 */
const ps_prop *ps_sync_marker_find(const ps_item *item);

#ifdef __cplusplus
}
#endif

#endif
