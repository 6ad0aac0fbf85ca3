/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The messaging layer of [MS-PST] section 2.4, internal to src/pst: the
 * name-to-id map of named properties (nameid.c), reading messages with
 * their recipients, attachments and embedded messages into ps_item
 * (msg_read.c), building the nodes of a message from a ps_item
 * (msg_write.c), and a few helpers on property contexts shared by the store
 * backend (store_pst.c) and the creation of new stores (pst_create.c).
 *
 * Values travel as item.h's ps_prop everywhere: tag plus the raw bytes the
 * PST stores, so nothing is reinterpreted between a read and a write.
 *
 * Memory: whatever an out parameter receives belongs to the caller unless
 * stated otherwise.
 */
#ifndef PSTSYNC_PST_MSG_H
#define PSTSYNC_PST_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "pst/ltp.h"
#include "pst/ndb.h"
#include "pst/ndb_write.h"
#include "pst/node_image.h"
#include "pstsync/item.h"

/* ---- property ids ([MS-OXPROPS]) ----------------------------------------- */

#define PS_PID_IMPORTANCE          0x0017
#define PS_PID_MESSAGE_CLASS       0x001A
#define PS_PID_SUBJECT             0x0037
#define PS_PID_CONVERSATION_INDEX  0x0071
#define PS_PID_MESSAGE_FLAGS       0x0E07
#define PS_PID_MESSAGE_SIZE        0x0E08
#define PS_PID_MESSAGE_STATUS      0x0E17
#define PS_PID_ATTACH_SIZE         0x0E20
#define PS_PID_REPL_ITEMID         0x0E30
#define PS_PID_REPL_CHANGENUM      0x0E33
#define PS_PID_REPL_VERSIONHISTORY 0x0E34
#define PS_PID_REPL_FLAGS          0x0E38
#define PS_PID_RECORD_KEY          0x0FF9
#define PS_PID_DISPLAY_NAME        0x3001
#define PS_PID_COMMENT             0x3004
#define PS_PID_LAST_MODIFIED       0x3008
#define PS_PID_SEARCH_KEY          0x300B
#define PS_PID_CONVERSATION_ID     0x3013
#define PS_PID_CONVERSATION_INDEX_TRACKING 0x3016
#define PS_PID_IPM_SUBTREE_ENTRYID 0x35E0
#define PS_PID_CONTENT_COUNT       0x3602
#define PS_PID_CONTENT_UNREAD      0x3603
#define PS_PID_SUBFOLDERS          0x360A
#define PS_PID_CONTAINER_CLASS     0x3613
#define PS_PID_ATTACH_DATA         0x3701
#define PS_PID_ATTACH_METHOD       0x3705
#define PS_PID_RENDERING_POSITION  0x370B
#define PS_PID_CHANGE_KEY          0x65E2
#define PS_PID_LTP_PARENT_NID      0x67F1
#define PS_PID_LTP_ROW_ID          0x67F2
#define PS_PID_LTP_ROW_VER         0x67F3
#define PS_PID_PST_PASSWORD        0x67FF

#define PS_MSGFLAG_READ 0x1

/* Subnodes of a message: its recipient and attachment tables. */
#define PS_NID_RECIPIENT_TABLE 0x692u
#define PS_NID_ATTACHMENT_TABLE 0x671u
#define PS_NID_SEARCH_QUEUE 0x1E1u
#define PS_NID_SEARCH_DOMAIN 0x261u

/* ---- name-to-id map (2.4.7) ----------------------------------------------- */

typedef struct ps_nameid_map ps_nameid_map;

/** The two property sets a NAMEID names without the GUID stream (wGuid 1, 2). */
extern const ps_guid ps_guid_ps_mapi;
extern const ps_guid ps_guid_public_strings;

/**
 * Load the map of node 0x61 of @p ndb. A store without the node (or an
 * ANSI store whose map cannot be read) gives an empty map whose ids all
 * resolve to nothing; damaged streams give PS_ECORRUPT.
 */
int ps_nameid_load(ps_nameid_map **out, ps_ndb *ndb);

void ps_nameid_free(ps_nameid_map *map);

/** The name of named property id @p id (0x8000 and up), or NULL if unmapped. */
const ps_prop_name *ps_nameid_name(const ps_nameid_map *map, uint16_t id);

/** The id of @p name; PS_ENOTFOUND when the map lacks it. */
int ps_nameid_find(const ps_nameid_map *map, const ps_prop_name *name, uint16_t *id_out);

/**
 * The id of @p name, adding an entry (and its GUID, and its string) when
 * the map lacks it. PS_EUNSUPPORTED when the 0x7FFF ids are used up.
 */
int ps_nameid_add(ps_nameid_map *map, const ps_prop_name *name, uint16_t *id_out);

/** 1 when entries were added since the load (or the last ps_nameid_saved()). */
int ps_nameid_dirty(const ps_nameid_map *map);
void ps_nameid_saved(ps_nameid_map *map);

/** Number of entries (ids 0x8000 .. 0x8000 + count - 1 may be mapped). */
size_t ps_nameid_count(const ps_nameid_map *map);

/**
 * The properties of node 0x61 for this map: PidTagNameidBucketCount, the
 * GUID, entry and string streams and one hash bucket per non-empty bucket
 * (0x1000 + n), each NAMEID in the bucket its hash gives ([MS-PST]
 * 2.4.7.5). *@p props (malloc'ed, values malloc'ed too; free with
 * ps_props_free()) and *@p count.
 */
int ps_nameid_props(const ps_nameid_map *map, ps_prop **props, size_t *count);

/* ---- property helpers ------------------------------------------------------- */

/** Free @p count properties and the array. */
void ps_props_free(ps_prop *props, size_t count);

/** Copy a PC's values into a new array of ps_prop (names not resolved). */
int ps_props_from_pc(const ps_pc *pc, ps_prop **props, size_t *count);

/** Set (replace or add) property @p tag of a malloc'ed array to a copy of @p data. */
int ps_props_set(ps_prop **props, size_t *count, uint32_t tag, const void *data, size_t size);

/** Remove every property with id @p id. */
void ps_props_remove_id(ps_prop *props, size_t *count, uint16_t id);

/** Set a PT_LONG / PT_BOOLEAN value. */
int ps_props_set_long(ps_prop **props, size_t *count, uint16_t id, uint32_t value);
int ps_props_set_bool(ps_prop **props, size_t *count, uint16_t id, int value);

/** A UTF-8 string as a PT_UNICODE value. */
int ps_props_set_unicode(ps_prop **props, size_t *count, uint16_t id, const char *text);

/**
 * Read node (or subnode) data as a node image: the blocks as they are and,
 * recursively, the subnodes. For rewriting a node whose subnodes must be kept.
 */
int ps_image_from_node(ps_ndb *ndb, uint64_t bid_data, uint64_t bid_sub, ps_node_image *out);

/**
 * Rewrite the PC of node @p nid (parent @p parent) with @p props, keeping
 * every subnode the old PC did not use for a value (the 0x6B6 table Outlook
 * adds to folders, for one). Values are copied.
 */
int ps_pc_rewrite(ps_ndb *ndb, ps_ndb_tx *tx, uint32_t nid, uint32_t parent,
	const ps_prop *props, size_t count);

/**
 * A ps_ltp_nid_fn handing out LTP subnode NIDs (type 0x1F) from the index
 * counter *(uint32_t *)@p ctx: one above it, which it becomes. Outlook's
 * subnodes start at index 0x401 (0x803F), so start the counter at 0x400.
 */
int ps_ltp_alloc_nid(void *ctx, uint32_t *nid_out);

/**
 * Before @p img replaces node @p nid: mark every data block of the image
 * (and of its first-level subnodes, matched by NID) whose bytes equal the
 * block at the same place in the current node as shared, so that the NDB
 * writer references the existing block instead of writing a copy. A table
 * whose rows mostly stay costs only its changed blocks.
 */
int ps_image_share_blocks(ps_ndb *ndb, uint32_t nid, ps_node_image *img);

/** Total data bytes of a node image and all its subnodes (the message-size rule). */
uint64_t ps_image_total(const ps_node_image *img);

/* ---- messages ------------------------------------------------------------------ */

/** How deeply embedded messages may nest before the rest is skipped. */
#define PS_MSG_MAX_DEPTH 16

/**
 * Read message @p nid completely into *@p out: every property (named ones
 * with their names from @p map), recipients (rows of subnode 0x692),
 * attachments (rows of 0x671, the attachment PCs, embedded messages
 * recursively). Parts that cannot be read are counted in out->damaged.
 * PS_ENOTFOUND when there is no such node, PS_EITEM when its PC is damaged.
 * @p path names the store in messages.
 */
int ps_msg_read(ps_ndb *ndb, const ps_nameid_map *map, uint32_t nid, const char *path,
	ps_item **out);

/** As ps_msg_read(), the message's own properties only: no recipients, no attachments. */
int ps_msg_read_props(ps_ndb *ndb, const ps_nameid_map *map, uint32_t nid, const char *path,
	ps_item **out);

/**
 * Make the recipient rows of @p item (message @p nid, as another reader such
 * as libpff read it) and of its embedded messages exactly the cells stored:
 * libpff gives every column of a recipient table for every row, zero or
 * empty where a row has no value, and a copy must not gain those. Where this
 * reader reads a table differently (damaged, other row count or names), the
 * item stays as it is. Only PS_ENOMEM fails.
 */
int ps_msg_exact_recipients(ps_ndb *ndb, const ps_nameid_map *map, uint32_t nid, ps_item *item);

/** Where the builder gets what belongs to the target store. */
typedef struct ps_msg_build_ctx {
	ps_ndb_tx *tx;             /* for NIDs of embedded messages */
	ps_nameid_map *map;        /* named properties are mapped (and added) here */
	const char *path;          /* the store, for messages */
	const uint32_t *recip_cols;/* columns of a recipient table (the store's 0x692) */
	size_t nrecip_cols;
	const uint32_t *att_cols;  /* columns of an attachment table (the store's 0x671) */
	size_t natt_cols;
	unsigned skipped;          /* properties left out (type 0x0000, unmappable) */
	const uint8_t *record_key; /* this store's; with self_nid, for the item's own entry ID */
	uint32_t self_nid;         /* the NID the message gets, 0 when not known yet */
} ps_msg_build_ctx;

/**
 * Build the node of a message from @p item: its PC (store-specific
 * properties left out, named ones remapped, PidTagMessageSize computed as
 * the bytes of the node and all its subnodes, which is what Outlook
 * stores), its recipient table (when it has recipients), attachment table,
 * attachment PCs (PidTagAttachSize computed, rendering position defaulted)
 * and embedded messages as nested subnodes. *@p props receives the
 * message's PC properties as written (for the contents-table row).
 */
int ps_msg_build(ps_msg_build_ctx *ctx, const ps_item *item, ps_node_image *out,
	ps_prop **props, size_t *count);

#endif
