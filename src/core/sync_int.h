/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * What the parts of the sync engine share: the state of one sync of a
 * profile (struct sync), of one link in it (struct link_run), the items a
 * folder lists (struct listing), and the store actions waiting to run
 * (struct op). The engine's files form layers, each calling only those
 * below it: sync_profile.c (a profile's rounds and questions, with
 * sync_questions.c) over sync.c (the decisions) over sync_apply.c (actions
 * carried out; what an interrupted sync left in the journal finished) over
 * sync_history.c, sync_folders.c, sync_recovery.c and sync_refs.c, all over
 * sync_state.c (listings, pairs, actions, reporting). Internal to the core.
 *
 * Sides are [2] arrays indexed 0 local, 1 global; code is written once for
 * side t against side t ^ 1.
 */
#ifndef PSTSYNC_SYNC_INT_H
#define PSTSYNC_SYNC_INT_H

#include "pstsync/errors.h"
#include "pstsync/protocol.h"
#include "pstsync/settings.h"
#include "pstsync/store.h"
#include "pstsync/sync.h"

#include <stddef.h>
#include <stdint.h>

#define EID_SIZE 24

/* What happened to one side of a pair since the last sync. */
enum state { ST_ABSENT = 0, ST_UNMODIFIED, ST_MODIFIED, ST_DELETED };

/* One item of a folder's contents table. */
struct entry {
	uint32_t nid;
	uint8_t eid[EID_SIZE];
	uint8_t has_fp;
	uint8_t unreadable;        /* reading it failed (warned once) */
	uint8_t ckey_size;
	uint8_t fp_before;         /* its fingerprint before recipients were translated
	                            * differs (ps_sync__entry_fp_before) */
	uint64_t modified, size;
	const uint8_t *skey;       /* PR_SEARCH_KEY, or NULL (in the listing's arena) */
	uint32_t skey_size;        /* at most PS_PROTOCOL_KEY_MAX */
	uint32_t copied_to;        /* the NID of its copy written in this sync; 0 none */
	const char *subject, *cls; /* in the listing's arena */
	long pair;                 /* index in link_run.pairs, -1: none (a new item) */
	const uint8_t *ckey;       /* PidTagChangeKey, or NULL (in the listing's arena) */
	uint8_t fp[PS_SYNC_FINGERPRINT_SIZE];
};

/*
 * A side of a pair as the engine holds it: 96 bytes where a
 * ps_protocol_side takes 350, for a sync holds every pair of every link.
 * Stores give EID_SIZE-byte entry IDs and the engine makes
 * PS_SYNC_FINGERPRINT_SIZE-byte fingerprints; a side the protocol records
 * with longer ones (no store of ours makes them) keeps its sizes, so it
 * never matches an item, but only that many of its bytes.
 */
struct pside {
	uint8_t eid[EID_SIZE];
	uint8_t fp[PS_SYNC_FINGERPRINT_SIZE];
	uint64_t modified, size;
	uint32_t nid;
	uint16_t eid_size;         /* 0: side unknown */
	uint16_t fp_size;          /* 0: no fingerprint recorded */
};

/* A pair as the engine holds it (the search key is only needed to make one). */
struct pair {
	int64_t id;
	struct pside side[2];
};

struct arena_chunk;

/* A folder's items, with a map from NID to index. Their strings and keys
 * live in an arena of large chunks (one allocation for hundreds of items;
 * a message class is stored once), freed with the listing. */
struct listing {
	struct entry *e;
	size_t n, cap;
	uint32_t *slot;            /* index + 1; 0: empty */
	size_t nslot;
	struct arena_chunk *arena;
	const char *classes[8];    /* the classes stored so far, to share them */
	size_t nclasses;
};

/* A question about a pair, recorded before this sync. */
struct old_question {
	int64_t id, pair_id;
	int kind, answer;
	int change[2];
	uint64_t when[2];
	int seen;                  /* this sync still asks it */
};

struct sync;

/* One link during a sync. */
struct link_run {
	struct sync *sy;
	ps_sync_link_result *res;
	const char *path[2];
	int direction;
	int w[2];                  /* the link may write side t */
	int64_t link_id;           /* 0: not in the protocol (dry run of a new link) */
	int64_t retired_id;        /* a new link: the same link removed before, retired; 0 none */
	uint32_t folder[2];
	int have_folder[2];        /* 0: missing (dry run: would be created) */
	char *cls;                 /* container class of the folder(s) */
	struct listing ls[2];
	struct pair *pairs;        /* loaded in id order; new pairs appended */
	size_t npairs, cappairs;
	unsigned char *gone;       /* per pair: forgotten in this sync */
	struct old_question *oldq;
	size_t noldq;
	uint64_t scan_items[2];    /* items listed by the scan */
	int64_t delta[2];          /* items added minus deleted after the scan */
	unsigned mass_allowed[2];  /* deletions past the guard that this sync may run */
	int failed;
	int unchanged;             /* both tables as the last sync left them: not read */
	uint32_t kept_not_carried[2]; /* then: what the last sync counted */
};

/* How an op prepares the protocol before its journal entry. */
enum prep {
	PREP_NONE = 0,
	PREP_NEW_PAIR,             /* insert a half pair from the source item */
	PREP_CLEAR_TARGET          /* forget the pair's target side (a restore) */
};

/* One store action. */
struct op {
	/* 8-byte members first, then the smaller ones: no padding in an array
	 * of 100,000 ops */
	struct link_run *lr;
	long pair;                 /* index in lr->pairs; -1 until PREP_NEW_PAIR made it */
	long src;                  /* entry on side ^ 1 read (copy, overwrite); -1 none */
	long dst;                  /* entry on side written (overwrite, delete); -1 none */
	int64_t journal_id;
	int64_t question_id;       /* removed once done; 0 none */
	struct pside *old_side;    /* PREP_CLEAR_TARGET: what it cleared (malloc'ed: few
	                            * ops have one, and a sync may hold 100,000 ops) */
	uint8_t marker[PS_SYNC_MARKER_SIZE];
	int action;                /* PS_ACTION_COPY, _OVERWRITE, _DELETE */
	int side;                  /* the side written */
	int prep;
	int redo;                  /* from the journal of an interrupted sync */
	int restore;               /* a copy that fills an existing pair's side */
	int answer;                /* recorded with the journal; 0 none */
	/* results */
	int status;
	uint32_t new_nid;          /* what was written has the fingerprint its source
	                            * entry got when it was read */
	char *error;
	uint8_t *version;          /* the source's change key, PCL, search key (sync_history.c) */
	uint16_t version_ck, version_pcl, version_skey;
	uint8_t refs_pending;      /* written naming an item this sync writes later */
};

struct op_list {
	struct op *v;
	size_t n, cap;
};

/* A question of this sync. */
struct question {
	struct link_run *lr;
	long pair;
	int kind;                  /* PS_QUESTION_* */
	int from;                  /* delete: the side that deleted */
	int st[2];
	uint64_t when[2];
	unsigned answers;
	int mass;
	int64_t id;
	int answer;                /* PS_ANSWER_NONE until answered */
	int preanswered;           /* answered before this sync (tray, a killed run) */
	const char *subject, *cls;
};

struct sync {
	ps_protocol *proto;
	ps_store *st[2];
	const char *profile;
	ps_options settings;
	ps_sync_options opt;
	const ps_sync_ui *ui;
	ps_sync_result *res;
	struct link_run *links;
	size_t nlinks;
	int64_t sync_id;
	uint8_t marker_prefix[8];
	uint64_t marker_count;
	struct op_list ops;
	struct question *q;
	size_t nq, capq;
	uint64_t done, total;      /* actions, for progress */
	char *errors;              /* one message a line, for the history */
	size_t errors_len;
	struct ps_recovery *rec;   /* the recovery store, opened when first needed */
	struct history *hist;      /* store identity and item versions (sync_history.c) */
	unsigned store_warnings;   /* damaged parts the stores skipped (and warned about) */
	struct stamp_pair *stamps; /* per link: the last sync's stamps (sync_stamps.c) */
};

/* sync_state.c: reporting */
void ps_sync__warn(struct sync *sy, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 2, 3)))
#endif
	;
void ps_sync__note_error(struct sync *sy, const char *msg);
void ps_sync__link_fail(struct sync *sy, struct link_run *lr, int rc);
void ps_sync__action(struct sync *sy, struct link_run *lr, int kind, int side, const struct entry *e,
	int status, const char *error);
void ps_sync__progress(struct sync *sy, struct link_run *lr, int phase, uint64_t done, uint64_t total);
int ps_sync__is_store_error(int rc);
int ps_sync__is_item_error(int rc);

/* sync_state.c: listings, pairs, actions */
int ps_sync__listing_load(struct listing *ls, ps_store *st, uint32_t folder);
int ps_sync__listing_load_given(struct listing *ls, ps_store *st, uint32_t folder,
	const uint32_t *nids, size_t count);
void ps_sync__listing_free(struct listing *ls);
long ps_sync__listing_find(const struct listing *ls, uint32_t nid);
long ps_sync__listing_find_side(const struct listing *ls, const struct pside *s);
/* Read entry @p i of side @p t once: its fingerprint and search key (PS_EITEM: unreadable). */
int ps_sync__entry_read(struct sync *sy, struct link_run *lr, int t, long i);
int ps_sync__pairs_load(struct link_run *lr);
void ps_sync__pairs_free(struct link_run *lr);
long ps_sync__pair_index(const struct link_run *lr, int64_t id);
int ps_sync__pair_append(struct link_run *lr, const ps_protocol_pair *p, long *index_out);
int ps_sync__pairs_reserve(struct link_run *lr, size_t extra);
void ps_sync__side_from_entry(ps_protocol_side *s, const struct entry *e);
void ps_sync__side_pack(struct pside *d, const ps_protocol_side *s);
void ps_sync__side_unpack(ps_protocol_side *d, const struct pside *s);
int ps_sync__ops_push(struct op_list *l, struct op **out);
void ps_sync__ops_clear(struct op_list *l);

/* sync.c */
int ps_sync__result_init(ps_sync_result *out, const char *profile, const ps_sync_link_spec *links,
	size_t n, int dry_run);

/* fingerprint.c */
int ps_sync__marker_set(ps_item *item, const uint8_t marker[PS_SYNC_MARKER_SIZE]);
/* ps_sync_fingerprint(), and 1 when the fingerprint pstsync made before
 * recipients were translated differs (then ps_sync__fingerprint_before()
 * gives it) */
int ps_sync__fingerprints(const ps_item *item, uint8_t out[PS_SYNC_FINGERPRINT_SIZE]);
int ps_sync__fingerprint_before(const ps_item *item, uint8_t out[PS_SYNC_FINGERPRINT_SIZE]);

/* sync_history.c: stores restored from older copies or replaced, item versions */
enum hist_verdict {
	HJ_TABLE = 0,              /* decide by the table, with the states as adjusted */
	HJ_RESTORE,                /* copy the other side's item into side `side` */
	HJ_OVERWRITE,              /* side `side` holds an older version: overwrite it */
	HJ_CONFLICT,               /* history cannot tell: ask */
	HJ_SKIP                    /* leave the pair alone this time */
};
int ps_sync__history_begin(struct sync *sy);
/* a link's recorded versions loaded, its items checked for older ones (before any link's scan) */
int ps_sync__history_versions(struct sync *sy, struct link_run *lr);
int ps_sync__history_scan(struct sync *sy, struct link_run *lr);
int ps_sync__history_judge(struct sync *sy, struct link_run *lr, long i, int st[2], const long ent[2],
	int *side);
int ps_sync__history_in_step(struct sync *sy, struct link_run *lr, long i, const long ent[2]);
int ps_sync__history_written(struct sync *sy, struct op *op, ps_item *item);
int ps_sync__history_record(struct sync *sy, struct op *op);
int ps_sync__history_rejoin(struct sync *sy, struct link_run *lr, const long e[2], int changed[2]);
int ps_sync__history_end(struct sync *sy);
/* 1 when store t was put back from an older copy or replaced (this sync) */
int ps_sync__history_doubt(const struct sync *sy, int t);
void ps_sync__history_free(struct sync *sy);

/* sync_folders.c: linked folders known by entry ID, followed when moved */
int ps_sync__folders_follow(struct sync *sy);
int ps_sync__folders_record(struct sync *sy);
/* sync_questions.c: questions asked with the stores closed */
struct ps_sync_asker {
	const ps_sync_ui *user;    /* the front end's ui */
	ps_sync_ui ui;             /* what the engine gets: ask only collects */
	ps_sync_question *q[2];    /* collected conflicts, deletions (strings owned) */
	size_t n[2], cap[2];
	int64_t *later;            /* questions the person left for later in this sync */
	size_t nlater;
	char **warned;             /* warnings given in this sync */
	size_t nwarned;
};
void ps_sync__asker_init(struct ps_sync_asker *a, const ps_sync_ui *user);
void ps_sync__asker_free(struct ps_sync_asker *a);
size_t ps_sync__asker_pending(const struct ps_sync_asker *a);
/* Ask the collected questions, record the answers: 1 when some were
 * answered (another round carries them out), 0 none, or a failure. */
int ps_sync__asker_ask(struct ps_sync_asker *a, ps_protocol *proto, const char *profile);
void ps_sync__result_merge(ps_sync_result *out, const ps_sync_result *round);

/* sync_apply.c */
int ps_sync__run_ops(struct sync *sy, struct op_list *ops);
int ps_sync__recover(struct sync *sy);
void ps_sync__new_marker(struct sync *sy, uint8_t out[PS_SYNC_MARKER_SIZE]);

/* sync_recovery.c: the versions a batch destroys, kept first; pruning at the end */
int ps_sync__keep_versions(struct sync *sy, struct op *ops, size_t n);
void ps_sync__recovery_end(struct sync *sy, int ok);

/* sync_stamps.c: links whose tables did not change, not read */
int ps_sync__stamps_begin(struct sync *sy);
int ps_sync__link_unchanged(struct sync *sy, struct link_run *lr);
int ps_sync__stamps_record(struct sync *sy);
void ps_sync__stamps_free(struct sync *sy);

/* sync_refs.c: references between items of a store (distribution lists) */
void ps_sync__refs_order(struct op_list *ops);
/* Translate @p item's entry IDs for side @p t; *@p pending (may be NULL) is
 * set to how many name an item of a linked folder not written there yet. */
int ps_sync__refs_translate(struct sync *sy, int t, ps_item *item, unsigned *pending);
/* The journal entry of a fix-up: the references of the item a write put on
 * side op->side, made right once the items it names are written. An
 * overwrite with neither a source nor a marker (no other entry has none). */
int ps_sync__refs_journal(struct sync *sy, struct link_run *lr, int64_t pair_id, int t,
	const uint8_t eid[EID_SIZE]);
int ps_sync__refs_is_fixup(const ps_protocol_journal_entry *je);
/* Carry out every fix-up of the journal (end of a sync): each once. */
int ps_sync__refs_fixup(struct sync *sy);
/* sync_state.c: the fingerprint entry @p i of side @p t had before
 * recipients were translated (read again); PS_ENOTFOUND when the same */
int ps_sync__entry_fp_before(struct sync *sy, struct link_run *lr, int t, long i,
	uint8_t out[PS_SYNC_FINGERPRINT_SIZE]);

#endif
