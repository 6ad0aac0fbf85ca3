/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The protocol: the sync state of one profile, kept in one SQLite database
 * beside the settings file. It holds the profile's links (folder pairs), for
 * each link the pairs of items that were synchronised with the state of each
 * side at the end of the last sync, the questions still waiting for the user
 * (conflicts, deletions to confirm), the journal of actions in flight and a
 * history of syncs. The engine decides; this module only remembers, durably
 * and atomically, so that a sync killed at any instant can be finished by
 * the next run without losing or duplicating an item.
 *
 * Sides are indexed as everywhere in the engine: 0 (PS_PROTOCOL_LOCAL) is the
 * user's own store, 1 (PS_PROTOCOL_GLOBAL) the shared one, and per-side data
 * comes as [2] arrays.
 *
 * Times are FILETIME values (100 ns units since 1601-01-01 UTC), as stores
 * give them; times this module stamps itself come from ps_time_now().
 *
 * Memory: all memory belongs to the caller unless stated otherwise.
 * Structures filled through an out parameter have fixed-size buffers and
 * need no freeing, except ps_protocol_link (free its strings with
 * ps_protocol_link_clear()). Structures and strings handed to a callback
 * belong to the module and live only until the callback returns.
 *
 * Callbacks return 0 to go on; any other value stops the walk and is
 * returned by the walking function. A callback may call other protocol
 * functions on the same handle (update or delete the row it is given, for
 * instance), but not start the same walk again (PS_EINVAL). Rows inserted
 * during a walk may or may not be seen by it.
 *
 * Errors: functions return PS_OK or a negative status with a message for
 * ps_error_last() naming the database file. PS_ELOCKED: another process
 * kept the database locked longer than the busy timeout. PS_EPROTOCOL: the
 * database turned out damaged while in use; close it, and the next
 * ps_protocol_open() sets it aside. PS_ENOSPC, PS_EIO: the disk refused.
 * PS_EEXISTS: a unique thing (a link's paths, an entry ID on one side of a
 * link) is already recorded. PS_ENOTFOUND: no row with that id (or, on
 * insert, the link or pair it refers to does not exist). PS_EINVAL: a bad
 * argument (a side other than 0 or 1, a buffer too long, an answer that does
 * not fit the question).
 *
 * Threads: a handle belongs to one thread at a time; give each thread its
 * own handle (several handles, in one process or several, may share a file).
 *
 * Crash-safety contract for the engine:
 *  1. Before changing a store, append the action to the journal and commit
 *     (ps_protocol_journal_append() outside a transaction commits at once;
 *     inside one, ps_protocol_commit() must return before the store is
 *     touched). Many actions may be journalled in one transaction and then
 *     done as one batch of store writes.
 *  2. Put the journal entry's marker on every item a copy creates, so that
 *     the next run can tell a finished copy (marker found on the target
 *     side) from one that never happened.
 *  3. After the store's own commit, record the result (the pair's new
 *     state) and ps_protocol_journal_done() in one protocol transaction.
 *  4. At the start of a sync, ps_protocol_journal_unfinished() lists what a
 *     killed run left: for each entry, look for its effect on the store and
 *     either record it (roll forward) or do the action again, then mark it
 *     done. ps_protocol_journal_purge() forgets finished entries.
 */
#ifndef PSTSYNC_PROTOCOL_H
#define PSTSYNC_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An open protocol database. */
typedef struct ps_protocol ps_protocol;

/** The schema version this build writes (PRAGMA user_version). */
#define PS_PROTOCOL_SCHEMA_VERSION 4

/** Side indexes of every [2] array. */
#define PS_PROTOCOL_LOCAL 0
#define PS_PROTOCOL_GLOBAL 1

/** Longest entry ID, search key and fingerprint kept (bytes). */
#define PS_PROTOCOL_EID_MAX 256
#define PS_PROTOCOL_KEY_MAX 256
#define PS_PROTOCOL_FINGERPRINT_MAX 64
#define PS_PROTOCOL_MARKER_MAX 64

/** Busy timeout of a new handle, in milliseconds. */
#define PS_PROTOCOL_BUSY_TIMEOUT_MS 10000

/* ---- opening --------------------------------------------------------- */

/**
 * Open the protocol database at @p path (UTF-8), creating it when absent
 * and migrating an older schema to PS_PROTOCOL_SCHEMA_VERSION.
 *
 * A damaged database (not an SQLite file, truncated or corrupted, failing
 * PRAGMA integrity_check, written by a newer pstsync, or some other
 * program's database) is not an error: it is renamed to
 * "PATH.damaged-YYYYMMDD-HHMMSS" (UTC; kept for support, with its -wal or
 * -journal file beside it), a fresh database is created at @p path, and the
 * function returns PS_OK with ps_protocol_reset_reason() set. The engine
 * must then treat every link as new: the next sync is an initial one (whose
 * pairing avoids duplicates).
 *
 * @param out   receives the handle; close it with ps_protocol_close()
 * @param path  the database file; its folder must exist
 * @return PS_OK; PS_ELOCKED when another process holds the file past the
 *         busy timeout; PS_EIO / PS_ENOSPC when the file cannot be read,
 *         written or created; PS_EPROTOCOL when a damaged file cannot be
 *         set aside (PS_ELOCKED when another program holds it). *out is
 *         NULL on failure.
 */
int ps_protocol_open(ps_protocol **out, const char *path);

/**
 * Open an existing protocol only to read it (`status`): nothing is written,
 * so it works on a full disk and a read-only folder. PS_EPROTOCOL when its
 * schema is not this build's (its next sync migrates it), PS_EIO when it
 * cannot be read.
 */
int ps_protocol_open_read(ps_protocol **out, const char *path);

/** Close; NULL is allowed. A transaction still open is rolled back. */
void ps_protocol_close(ps_protocol *p);

/** The path the database was opened with. */
const char *ps_protocol_path(const ps_protocol *p);

/**
 * What ps_protocol_open() checked of the file: "integrity" (every page and
 * every index against its table: after a sync that failed or did not end,
 * or with no sync on record), "pages" (every page and record: PRAGMA
 * quick_check), "sealed" (nothing: a clean close left the file as it is,
 * byte for byte; it leaves a "-sealed" file beside the database holding the
 * file's size, times and identity, taken away at the next open) or "none"
 * (a new file, or opened to read only).
 */
const char *ps_protocol_open_check(const ps_protocol *p);

/**
 * NULL normally. When ps_protocol_open() had to set a damaged database
 * aside: a lower-case sentence naming the damage, the file kept and the
 * fresh one, for the front end to show.
 */
const char *ps_protocol_reset_reason(const ps_protocol *p);

/** Where the damaged database was moved, or NULL (see above). */
const char *ps_protocol_damaged_path(const ps_protocol *p);

/** How long a call waits for another process's lock before PS_ELOCKED. */
void ps_protocol_set_busy_timeout(ps_protocol *p, int milliseconds);

/* ---- transactions ---------------------------------------------------- */

/**
 * Start a write transaction (it takes the write lock at once, waiting up to
 * the busy timeout). Calls outside a transaction commit one by one; inside,
 * thousands of updates cost one disk sync at ps_protocol_commit().
 * PS_EINVAL when a transaction is already open (they do not nest).
 */
int ps_protocol_begin(ps_protocol *p);

/** Commit: when it returns PS_OK, everything since begin is on disk. */
int ps_protocol_commit(ps_protocol *p);

/** Undo everything since begin. Without an open transaction, does nothing. */
int ps_protocol_rollback(ps_protocol *p);

/** 1 while a transaction is open. */
int ps_protocol_in_transaction(const ps_protocol *p);

/* ---- links ----------------------------------------------------------- */

/** The direction of a link; its text form is "both", "from-global", "to-global". */
enum ps_protocol_direction {
	PS_PROTOCOL_BOTH = 0,        /**< changes go both ways */
	PS_PROTOCOL_FROM_GLOBAL = 1, /**< read-only subscriber: never writes global */
	PS_PROTOCOL_TO_GLOBAL = 2    /**< publisher: never writes local */
};

/** "both", "from-global" or "to-global"; NULL for an unknown value. */
const char *ps_protocol_direction_name(int direction);

/** The direction named @p name, or -1. */
int ps_protocol_direction_parse(const char *name);

/** A link, a pair of folders, with the statistics Outlook shows for it. */
typedef struct ps_protocol_link {
	int64_t id;
	char *path[2];            /**< folder path on each side ("/Contacts") */
	int direction;            /**< enum ps_protocol_direction */
	uint64_t created;         /**< when the link was added */
	uint64_t last_sync;       /**< end of its last complete sync; 0: never */
	uint64_t items[2];        /**< items in each folder at that moment */
	uint64_t not_carried[2];  /**< items the link left on each side on purpose then */
} ps_protocol_link;

/**
 * Record a new link. PS_EEXISTS when a link with the same two paths exists.
 * @param id_out  receives its id (may be NULL)
 */
int ps_protocol_link_add(ps_protocol *p, const char *local_path, const char *global_path,
	int direction, int64_t *id_out);

/**
 * Find the link between @p local_path and @p global_path. PS_ENOTFOUND when
 * there is none. @p out's strings are malloc'ed: ps_protocol_link_clear().
 */
int ps_protocol_link_find(ps_protocol *p, ps_protocol_link *out,
	const char *local_path, const char *global_path);

/** The link with id @p id (PS_ENOTFOUND); free with ps_protocol_link_clear(). */
int ps_protocol_link_get(ps_protocol *p, ps_protocol_link *out, int64_t id);

/** Free the strings of a link filled by find or get; the struct is zeroed. */
void ps_protocol_link_clear(ps_protocol_link *link);

typedef int (*ps_protocol_link_cb)(const ps_protocol_link *link, void *ctx);

/** Every link, in the order they were added. */
int ps_protocol_link_list(ps_protocol *p, ps_protocol_link_cb cb, void *ctx);

/** Change a link's direction (the user edited the settings). */
int ps_protocol_link_set_direction(ps_protocol *p, int64_t id, int direction);

/**
 * Forget a link with everything under it: its pairs, their questions, its
 * journal entries. PS_ENOTFOUND when there is no such link.
 */
int ps_protocol_link_remove(ps_protocol *p, int64_t id);

/**
 * Retire a link the profile no longer has: its pairs are kept (their
 * questions and journal entries go), under paths no link lookup or list
 * finds, so that the same link added again knows which side of an item
 * changed meanwhile (ps_protocol_retired_fingerprints()). An older retired
 * link of the same paths is removed.
 */
int ps_protocol_link_retire(ps_protocol *p, int64_t id);

/** The last retired link between these paths: *id_out, or PS_ENOTFOUND. */
int ps_protocol_link_retired(ps_protocol *p, const char *local_path, const char *global_path, int64_t *id_out);

/**
 * The fingerprints a retired link's pair of the item with search key @p key
 * recorded for its two sides (size 0: none); PS_ENOTFOUND when no pair of it
 * has that key.
 */
int ps_protocol_retired_fingerprints(ps_protocol *p, int64_t link_id, const uint8_t *key, size_t key_size,
	uint8_t fp[2][PS_PROTOCOL_FINGERPRINT_MAX], size_t fp_size[2]);

/**
 * Record that the link's sync completed now, with @p items[side] items in
 * each folder at the end.
 */
int ps_protocol_link_mark_synced(ps_protocol *p, int64_t id, const uint64_t items[2]);

/**
 * Record how many items the link leaves on each side on purpose (a one-way
 * link's items that it does not carry, items unlinked by an answer), for
 * `status`.
 */
int ps_protocol_link_set_not_carried(ps_protocol *p, int64_t id, const uint64_t n[2]);

/* ---- item pairs ------------------------------------------------------ */

/**
 * One side of a pair: which item it is and its state at the end of the last
 * sync. An eid_size of 0 means the side is not known (yet): a copy to that
 * side is in flight, or has not been recorded. A side is "modified" when the
 * item's state now differs from this one: a different fingerprint, or a
 * different modification time with no fingerprint to compare.
 */
typedef struct ps_protocol_side {
	uint8_t eid[PS_PROTOCOL_EID_MAX];  /**< entry ID (24 bytes in a PST) */
	size_t eid_size;                   /**< 0: side unknown */
	uint32_t nid;                      /**< node id in a PST; 0 when none */
	uint64_t modified;                 /**< last-modification time, FILETIME */
	uint8_t fingerprint[PS_PROTOCOL_FINGERPRINT_MAX]; /**< content hash */
	size_t fingerprint_size;           /**< 0: none recorded */
	uint64_t size;                     /**< item size in bytes */
} ps_protocol_side;

/** A pair of items, one per side of a link. */
typedef struct ps_protocol_pair {
	int64_t id;
	int64_t link_id;
	uint8_t search_key[PS_PROTOCOL_KEY_MAX]; /**< PR_SEARCH_KEY, to pair at an initial sync */
	size_t search_key_size;            /**< 0: none */
	ps_protocol_side side[2];
} ps_protocol_pair;

/**
 * Insert @p pair (its id is ignored) and store the new id in pair->id. At
 * least one side must be known. PS_EEXISTS when one of its entry IDs is
 * already paired on that side of the link; PS_ENOTFOUND when the link does
 * not exist.
 */
int ps_protocol_pair_insert(ps_protocol *p, ps_protocol_pair *pair);

/**
 * Replace one side of pair @p id with @p state (all of it: entry ID, NID,
 * time, fingerprint, size). A state with eid_size 0 makes that side unknown
 * again; both sides unknown is PS_EINVAL.
 */
int ps_protocol_pair_set_side(ps_protocol *p, int64_t id, int side,
	const ps_protocol_side *state);

/**
 * Replace both sides of pair @p id (local sides[0], global sides[1]) in one
 * statement: what ps_protocol_pair_set_side() does for each, for half the
 * cost. Both sides unknown is PS_EINVAL.
 */
int ps_protocol_pair_set_sides(ps_protocol *p, int64_t id, const ps_protocol_side sides[2]);

/** Set or clear (size 0) a pair's search key. */
int ps_protocol_pair_set_search_key(ps_protocol *p, int64_t id, const uint8_t *key, size_t size);

/** The pair with id @p id (PS_ENOTFOUND). */
int ps_protocol_pair_get(ps_protocol *p, ps_protocol_pair *out, int64_t id);

/** The pair of @p link_id whose @p side has entry ID @p eid (PS_ENOTFOUND). */
int ps_protocol_pair_find_eid(ps_protocol *p, ps_protocol_pair *out, int64_t link_id,
	int side, const uint8_t *eid, size_t eid_size);

/**
 * The pair of @p link_id with search key @p key; when several have it, the
 * oldest (lowest id). PS_ENOTFOUND when none.
 */
int ps_protocol_pair_find_search_key(ps_protocol *p, ps_protocol_pair *out, int64_t link_id,
	const uint8_t *key, size_t key_size);

typedef int (*ps_protocol_pair_cb)(const ps_protocol_pair *pair, void *ctx);

/** Every pair of @p link_id, oldest first. The callback may update or delete its pair. */
int ps_protocol_pair_foreach(ps_protocol *p, int64_t link_id, ps_protocol_pair_cb cb, void *ctx);

/** How many pairs @p link_id has. */
int ps_protocol_pair_count(ps_protocol *p, int64_t link_id, int64_t *count_out);

/** Forget a pair, and its question. PS_ENOTFOUND when there is none. */
int ps_protocol_pair_delete(ps_protocol *p, int64_t id);

/* ---- questions ------------------------------------------------------- */

/** What a question is about. */
enum ps_protocol_question_kind {
	PS_QUESTION_CONFLICT = 0,  /**< both sides changed (or one changed, one deleted) */
	PS_QUESTION_DELETE = 1     /**< one side deleted: confirm the deletion */
};

/** What happened to one side of a pair since the last sync. */
enum ps_protocol_change {
	PS_CHANGE_NONE = 0,
	PS_CHANGE_MODIFIED = 1,
	PS_CHANGE_DELETED = 2
};

/**
 * The user's answer. PS_ANSWER_NONE and PS_ANSWER_LATER leave a question
 * outstanding. A conflict takes KEEP_LOCAL, KEEP_GLOBAL, KEEP_BOTH or
 * UNLINK (a read-only link's "keep mine locally"); a deletion DELETE or
 * RESTORE. Text forms: "later", "keep-local", "keep-global", "keep-both",
 * "unlink", "delete", "restore".
 */
enum ps_protocol_answer {
	PS_ANSWER_NONE = 0,
	PS_ANSWER_LATER = 1,
	PS_ANSWER_KEEP_LOCAL = 2,
	PS_ANSWER_KEEP_GLOBAL = 3,
	PS_ANSWER_KEEP_BOTH = 4,
	PS_ANSWER_UNLINK = 5,
	PS_ANSWER_DELETE = 6,
	PS_ANSWER_RESTORE = 7
};

/** A question for the user about one pair. */
typedef struct ps_protocol_question {
	int64_t id;
	int64_t pair_id;
	int64_t link_id;           /**< filled by the module (the pair's link) */
	int kind;                  /**< enum ps_protocol_question_kind */
	int change[2];             /**< enum ps_protocol_change, per side */
	uint64_t when[2];          /**< per side: modification time, or when the
	                                deletion was noticed; 0 when unchanged */
	const char *subject;       /**< for lists when the stores are closed; may be NULL */
	uint64_t asked;            /**< first asked (set by the module) */
	int answer;                /**< enum ps_protocol_answer (set by the module) */
	uint64_t answered;         /**< when answered; 0 when not */
} ps_protocol_question;

/**
 * Record a question about q->pair_id (kind, change, when, subject are read;
 * the rest is ignored). A pair has at most one question: asking again
 * refreshes the existing one and keeps its id, its first-asked time and,
 * when the kind is the same, its answer. @p id_out (may be NULL) receives
 * the question's id. PS_ENOTFOUND when the pair does not exist.
 */
int ps_protocol_question_add(ps_protocol *p, const ps_protocol_question *q, int64_t *id_out);

/** Which questions ps_protocol_question_list() gives (may be or'ed). */
enum ps_protocol_question_filter {
	PS_QUESTIONS_OUTSTANDING = 1, /**< not answered, or answered "later" */
	PS_QUESTIONS_ANSWERED = 2     /**< answered, waiting for the engine to act */
};

typedef int (*ps_protocol_question_cb)(const ps_protocol_question *q, void *ctx);

/**
 * The questions of link @p link_id (0: of every link of the profile) that
 * match @p which, in the order they were first asked.
 */
int ps_protocol_question_list(ps_protocol *p, int64_t link_id, unsigned which,
	ps_protocol_question_cb cb, void *ctx);

/** How many outstanding questions link @p link_id (0: all links) has. */
int ps_protocol_question_count(ps_protocol *p, int64_t link_id, int64_t *count_out);

/**
 * Record the user's answer; PS_ANSWER_LATER keeps the question outstanding.
 * PS_EINVAL when the answer does not fit the question's kind.
 */
int ps_protocol_question_answer(ps_protocol *p, int64_t id, int answer);

/** Forget a question (once its answer was carried out). */
int ps_protocol_question_remove(ps_protocol *p, int64_t id);

/** "later", "keep-local", ...; NULL for PS_ANSWER_NONE or unknown values. */
const char *ps_protocol_answer_name(int answer);

/* ---- journal of actions in flight ------------------------------------ */

/** What an action does to the store it writes (side). */
enum ps_protocol_action {
	PS_ACTION_COPY = 0,      /**< copy the other side's item to @p side as a new item */
	PS_ACTION_OVERWRITE = 1, /**< overwrite the item on @p side, keeping its entry ID */
	PS_ACTION_DELETE = 2,    /**< delete the item on @p side, permanently */
	PS_ACTION_PAIR = 3       /**< pair two existing items (marks @p side's item) */
};

/** One journal entry. */
typedef struct ps_protocol_journal_entry {
	int64_t id;                /**< set by the module, increasing */
	int64_t sync_id;           /**< the history row of the sync; 0: none */
	int64_t link_id;
	int64_t pair_id;           /**< 0: none (yet), or the pair was forgotten since */
	int action;                /**< enum ps_protocol_action */
	int side;                  /**< the side the action writes */
	uint8_t source_eid[PS_PROTOCOL_EID_MAX]; /**< item read (the other side) */
	size_t source_eid_size;
	uint8_t target_eid[PS_PROTOCOL_EID_MAX]; /**< item written; empty for a copy */
	size_t target_eid_size;
	uint8_t marker[PS_PROTOCOL_MARKER_MAX];  /**< value put on the item written */
	size_t marker_size;
	uint64_t created;          /**< set by the module */
	uint64_t done;             /**< set by the module; 0 while unfinished */
} ps_protocol_journal_entry;

/**
 * Append @p e (id, created and done are ignored) before doing the action;
 * see the crash-safety contract at the top. @p id_out (may be NULL)
 * receives the entry's id. PS_ENOTFOUND when the link, pair or sync does
 * not exist.
 */
int ps_protocol_journal_append(ps_protocol *p, const ps_protocol_journal_entry *e,
	int64_t *id_out);

/** Mark entry @p id done (stamp the time). PS_ENOTFOUND when there is none. */
int ps_protocol_journal_done(ps_protocol *p, int64_t id);

typedef int (*ps_protocol_journal_cb)(const ps_protocol_journal_entry *e, void *ctx);

/** Every unfinished entry, in the order they were appended. */
int ps_protocol_journal_unfinished(ps_protocol *p, ps_protocol_journal_cb cb, void *ctx);

/** Forget every finished entry. */
int ps_protocol_journal_purge(ps_protocol *p);

/* ---- history of syncs ------------------------------------------------ */

/** What a sync did; [side] counts actions that wrote that side. */
typedef struct ps_protocol_counts {
	uint32_t copied[2];      /**< new items copied to the side */
	uint32_t overwritten[2]; /**< items overwritten on the side */
	uint32_t deleted[2];     /**< items deleted on the side */
	uint32_t paired;         /**< pairs made of items already alike */
	uint32_t conflicts;      /**< conflicts asked */
	uint32_t deletes_asked;  /**< deletions to confirm asked */
} ps_protocol_counts;

/** One sync, from the history. */
typedef struct ps_protocol_sync {
	int64_t id;
	uint64_t started;
	uint64_t finished;       /**< 0: never finished (killed, or running) */
	int status;              /**< its result, PS_OK or a negative status */
	ps_protocol_counts counts;
	const char *errors;      /**< the errors' text, or NULL */
} ps_protocol_sync;

/** Record that a sync starts now; @p id_out receives its id. */
int ps_protocol_history_start(ps_protocol *p, int64_t *id_out);

/**
 * Record that sync @p id ended now with @p status, @p counts (NULL: all
 * zero) and @p errors (NULL or "": none; one message per line).
 */
int ps_protocol_history_finish(ps_protocol *p, int64_t id, int status,
	const ps_protocol_counts *counts, const char *errors);

typedef int (*ps_protocol_sync_cb)(const ps_protocol_sync *s, void *ctx);

/** The last @p n syncs, newest first. */
int ps_protocol_history_last(ps_protocol *p, int n, ps_protocol_sync_cb cb, void *ctx);

/** Forget all but the newest @p keep syncs. */
int ps_protocol_history_prune(ps_protocol *p, int keep);

/* ---- store identity, item versions, folder identity (schema 2) -------- */

/** What the protocol knows of a store: its identity and its sync mark. */
typedef struct ps_protocol_store_state {
	uint8_t record_key[16];
	int has_record_key;
	uint64_t mark;        /**< the store's sync mark at the end of the last sync */
	uint64_t seen;        /**< when (FILETIME) */
	char event[256];      /**< what the last sync found ("restored from an older copy"), or "" */
} ps_protocol_store_state;

/** The state of side @p side's store; PS_ENOTFOUND before the first sync. */
int ps_protocol_store_get(ps_protocol *p, int side, ps_protocol_store_state *out);
int ps_protocol_store_set(ps_protocol *p, int side, const ps_protocol_store_state *s);

/**
 * The version (PidTagChangeKey, PidTagPredecessorChangeList) recorded for
 * side @p side of a pair, with the item's PR_SEARCH_KEY then; forgotten with
 * the pair.
 */
int ps_protocol_version_set(ps_protocol *p, int64_t pair_id, int side, const uint8_t *change_key,
	size_t change_key_size, const uint8_t *pcl, size_t pcl_size, const uint8_t *search_key,
	size_t search_key_size);

typedef int (*ps_protocol_version_cb)(int64_t pair_id, int side, const uint8_t *change_key,
	size_t change_key_size, const uint8_t *pcl, size_t pcl_size, const uint8_t *search_key,
	size_t search_key_size, void *ctx);

/** Every recorded version of the pairs of link @p link_id. */
int ps_protocol_version_list(ps_protocol *p, int64_t link_id, ps_protocol_version_cb cb, void *ctx);

/** The entry ID of side @p side's folder of a link; PS_ENOTFOUND when not recorded. */
int ps_protocol_folder_get(ps_protocol *p, int64_t link_id, int side, uint8_t *eid, size_t cap,
	size_t *size_out);
int ps_protocol_folder_set(ps_protocol *p, int64_t link_id, int side, const uint8_t *eid, size_t size);

/**
 * The entry IDs on side @p side of the items of link @p link_id's pairs
 * that were forgotten (deleted items, mostly), each once per forgetting.
 */
typedef int (*ps_protocol_gone_cb)(const uint8_t *eid, size_t size, void *ctx);
int ps_protocol_gone_list(ps_protocol *p, int64_t link_id, int side, ps_protocol_gone_cb cb, void *ctx);

/**
 * Take back the last note that side @p side's entry ID @p eid of link
 * @p link_id was left (a side vacated because another item sits there: it
 * is not gone). PS_OK also when there is none.
 */
int ps_protocol_gone_unnote(ps_protocol *p, int64_t link_id, int side, const uint8_t *eid, size_t size);

/**
 * Forget what is older than @p before (FILETIME): the notes of items gone,
 * and the links retired (ps_protocol_link_retire()) with their pairs.
 */
int ps_protocol_forgotten_prune(ps_protocol *p, uint64_t before);

/* ---- what did not change (schema 4) ----------------------------------- */

/**
 * A linked folder's contents table as it lay in its store at the end of the
 * last complete sync (ps_store_table_stamp()), with what that sync counted
 * in it. The next sync that finds both of a link's tables as recorded, and
 * nothing else to do for the link, reads neither (src/core/sync_stamps.c).
 */
typedef struct ps_protocol_table_stamp {
	uint32_t folder_nid;
	uint64_t data_bid, sub_bid;
	uint64_t items;            /**< items in the folder */
	uint64_t not_carried;      /**< items the link left there on purpose */
	int direction;             /**< the link's direction then (ps_direction) */
} ps_protocol_table_stamp;

/** The stamp of side @p side of link @p link_id; PS_ENOTFOUND when none. */
int ps_protocol_stamp_get(ps_protocol *p, int64_t link_id, int side, ps_protocol_table_stamp *out);
int ps_protocol_stamp_set(ps_protocol *p, int64_t link_id, int side, const ps_protocol_table_stamp *s);
/** Forget every stamp (a sync starts so: one that stops records none). */
int ps_protocol_stamps_clear(ps_protocol *p);

/** Give side @p side of link @p id a new folder path (the folder was moved). */
int ps_protocol_link_set_path(ps_protocol *p, int64_t id, int side, const char *path);

#ifdef __cplusplus
}
#endif

#endif
