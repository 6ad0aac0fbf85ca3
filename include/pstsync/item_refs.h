/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Entry IDs of items of the same store that an item holds: the members of
 * a distribution list, the contacts an item is linked to, the reply-to
 * entries of a message. Copied as bytes into another store they would point
 * back at the first one; the sync (src/core/sync_refs.c) and `pstsync copy`
 * make each name the paired (or copied) item of the target store.
 *
 * The properties ([MS-OXOCNTC], [MS-OXCMSG], [MS-OXOCAL], [MS-OXOTASK]):
 *   PidLidDistributionListMembers (a WrappedEntryId per member), with
 *     PidLidDistributionListChecksum, which follows the members;
 *   PidLidContactLinkEntry (a FlatEntryList of address book entry IDs; the
 *     contacts of the store are WrappedEntryIds) on any item: a contact's,
 *     an appointment's or a task's "Contacts" field;
 *   PidTagReplyRecipientEntries (a FlatEntryList as well);
 *   PidLidBirthdayEventEntryId and PidLidAnniversaryEventEntryId of a
 *     contact (the entry ID of its birthday or anniversary appointment);
 *   PidTagEntryId and PidTagRecipientEntryId of a recipient picked from the
 *     contacts: a Contact Address EntryID or Personal Distribution List
 *     EntryID ([MS-OXCDATA] 2.2.5.3, 2.2.5.4) around the contact's (or
 *     list's) message entry ID, or a WrappedEntryId.
 * Each entry that is a WrappedEntryId, a Contacts Address Book entry, or a
 * plain message entry ID (not in recipients), naming
 * the source store (its record key) is translated when the map knows its
 * NID; any other entry (a one-off address, an Exchange address book entry,
 * an item outside what was copied) stays as it is.
 */
#ifndef PSTSYNC_ITEM_REFS_H
#define PSTSYNC_ITEM_REFS_H

#include <stdint.h>

#include "pstsync/item.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The NID in the target store of item @p nid of the source store, or 0. */
typedef uint32_t (*ps_item_ref_map)(void *ctx, uint32_t nid);

/** Whether @p item holds any of the properties above (entry IDs of items),
 * recipients' entry IDs only when they are of a form that names an item. */
int ps_item_refs_has(const ps_item *item);

/**
 * Make every entry ID in @p item that names an item of the store whose
 * record key is @p from name the item @p map gives, in the store whose
 * record key is @p to. *@p changed (may be NULL) is set to how many entries
 * changed. Values of another layout are left alone. Returns PS_OK.
 */
int ps_item_refs_translate(ps_item *item, const uint8_t from[16], const uint8_t to[16],
	ps_item_ref_map map, void *ctx, unsigned *changed);

/**
 * Whether @p p is one of those properties, for the fingerprint of an item,
 * which must be the same for an item and its translated copy: 0 not one;
 * PS_REFS_LEFT_OUT a list's members and their checksum (the one-off members
 * stand for them); PS_REFS_BLANKED the others, which count with the record
 * key and NID of each entry ID zeroed (ps_item_refs_blank): adding or
 * removing a linked contact is a change, what store it lies in is not.
 */
int ps_item_refs_prop(const ps_prop *p);
#define PS_REFS_LEFT_OUT 1
#define PS_REFS_BLANKED 2

/** The same for a property of a recipient: PS_REFS_BLANKED for its entry
 * IDs (PidTagEntryId, PidTagRecipientEntryId), else 0. */
int ps_item_refs_recipient_prop(const ps_prop *p);

/**
 * A copy of the value of @p p (malloc'ed, p->size bytes) with the record
 * key and NID of each entry ID in it zeroed; NULL when it is empty or out
 * of memory. @p flags: PS_REFS_RECIPIENT for a recipient's property;
 * PS_REFS_AS_BEFORE to blank as the fingerprints of pstsync did before
 * recipients and Contacts Address Book entries were translated (they were
 * counted as they were). *@p newer (may be NULL) is set to 1 when the value
 * holds one of those, that is when the two ways differ.
 */
uint8_t *ps_item_refs_blank(const ps_prop *p, unsigned flags, int *newer);
#define PS_REFS_RECIPIENT 1u
#define PS_REFS_AS_BEFORE 2u

#ifdef __cplusplus
}
#endif

#endif
