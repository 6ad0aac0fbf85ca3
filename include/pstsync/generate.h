/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * A generator of realistic stores, for tests and benchmarks: contacts,
 * appointments (single and weekly series, some with an exception), tasks and
 * mail, with the fields, named properties, recipients and attachments Outlook
 * gives them, spread over a few folders in the proportions of an office
 * store. Everything is deterministic from a seed: the same seed and index
 * give the same item, byte for byte, in any store. Also the changes a
 * benchmark makes between syncs: edit or delete a share of a store's items.
 */
#ifndef PSTSYNC_GENERATE_H
#define PSTSYNC_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include "pstsync/item.h"
#include "pstsync/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of generated item. */
typedef enum ps_generate_kind {
	PS_GENERATE_CONTACT = 0,
	PS_GENERATE_APPOINTMENT = 1,
	PS_GENERATE_TASK = 2,
	PS_GENERATE_MAIL = 3
} ps_generate_kind;

#define PS_GENERATE_KINDS 4

/** Items per store transaction by default. */
#define PS_GENERATE_BATCH_DEFAULT 2000

/** Options of ps_generate_store(); ps_generate_options_init() gives the defaults. */
typedef struct ps_generate_options {
	uint64_t seed;          /**< the same seed gives the same items */
	uint32_t items;         /**< how many to write */
	uint32_t first_index;   /**< index of the first item (to add to a generated store) */
	/**
	 * Folder paths ("/Contacts"); NULL: /Contacts, /Calendar, /Tasks and
	 * /Inbox. A folder that does not exist is made below the top of the
	 * store as a mail folder. Each gets the items of its container class
	 * (IPF.Contact contacts, IPF.Appointment appointments, IPF.Task tasks,
	 * anything else mail); the kinds are mixed 40% contacts, 30%
	 * appointments, 10% tasks, 20% mail, without the kinds no folder takes.
	 */
	const char *const *folders;
	size_t folder_count;
	unsigned batch;         /**< items per transaction; 0: PS_GENERATE_BATCH_DEFAULT */
	/** Called after each committed transaction; may be NULL. */
	void (*progress)(void *ctx, uint32_t done, uint32_t total);
	void *ctx;
} ps_generate_options;

/** What ps_generate_store() wrote. */
typedef struct ps_generate_stats {
	uint32_t items[PS_GENERATE_KINDS];  /**< per kind */
	uint32_t attachments;
	uint32_t recipients;
	uint32_t recurring;                 /**< weekly series among the appointments */
	uint32_t exceptions;                /**< series with a changed occurrence */
} ps_generate_stats;

void ps_generate_options_init(ps_generate_options *opt);

/**
 * Build item @p index of @p kind for @p seed: a complete item as
 * ps_store_put_item() takes it, with what Outlook sets on a new item
 * (ps_item_defaults()); creation time, search key and change key come from
 * the seed too, so the result does not depend on the clock or the store.
 * Free it with ps_item_free().
 */
int ps_generate_item(ps_item **out, ps_generate_kind kind, uint64_t seed, uint32_t index);

/** The kind item @p index has in the default mix (40/30/10/20). */
ps_generate_kind ps_generate_kind_of(uint32_t index);

/**
 * Write @p opt->items generated items into @p store (opened for writing),
 * making folders as needed, in transactions of @p opt->batch items. A
 * failure aborts the open transaction; the committed ones stay.
 * @param stats  may be NULL
 */
int ps_generate_store(ps_store *store, const ps_generate_options *opt, ps_generate_stats *stats);

/** What ps_generate_change() does to each chosen item. */
typedef enum ps_generate_change_kind {
	PS_GENERATE_EDIT = 0,   /**< change the notes and a phone or the location, as a user would */
	PS_GENERATE_DELETE = 1  /**< delete it for good */
} ps_generate_change_kind;

/**
 * Edit or delete @p per_mille thousandths of the items in every folder
 * below the top of @p store, chosen from @p seed (a different seed picks
 * other items). Edited items are marked changed as Outlook does
 * (ps_item_mark_changed()). Runs in transactions of up to
 * PS_GENERATE_BATCH_DEFAULT items.
 * @param changed  receives the count of items changed; may be NULL
 */
int ps_generate_change(ps_store *store, uint64_t seed, unsigned per_mille,
	ps_generate_change_kind kind, uint32_t *changed);

#ifdef __cplusplus
}
#endif

#endif
