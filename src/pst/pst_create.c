/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * A new, empty Unicode store made the way Outlook makes one: every node an
 * Outlook-made store holds (the 39 of ../shared/pst-samples/README.md),
 * generated here from what each must contain, the standard folders, and the
 * message store's entry IDs, a fresh record key and the display name.
 *
 * What Outlook puts in each node was read from Outlook's own files (the
 * dumps in build/notes/dump-*.txt): Empty.pst (Outlook 2010 and later) for
 * the templates and the undocumented nodes, dist-list.pst (Outlook 2007,
 * every standard folder) for the folders, their comments and container
 * classes, the receive folder table and the special folders' entry IDs on
 * the root folder and the Inbox. The nodes whose meaning [MS-PST] leaves
 * out are reproduced as Outlook leaves them in a new store:
 *   - 0xC01, a heap (client signature 0x9C) whose root names an empty BTH
 *     of 16-byte keys to 4-byte values (in stores with content: replica
 *     GUIDs of folders to their NIDs);
 *   - 0xE01, a heap (client signature 0xCC) whose root is a 56-byte record
 *     naming an empty BTH of 4-byte keys and values;
 *   - 0xE41 and the search domain 0x261 and queue 0x1E1: empty nodes;
 *   - 0x201, the search activity list: the spam search folder 0x2223.
 * Every folder and table is written through the same code as later
 * changes (store_write.c), in one transaction, so the store on disk is
 * either complete or not a PST at all.
 */
#include "pst/store_pst.h"

#include "core/util.h"
#include "pst/ltp_write.h"
#include "pst/templates.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"

#include <stdlib.h>
#include <string.h>

#define NID_C01 0xC01u
#define NID_E01 0xE01u
#define NID_E41 0xE41u
#define NID_SEARCH_ACTIVITY 0x201u
#define NID_SPAM_FOLDER 0x2223u
#define NID_SPAM_QUEUE 0x2226u
#define NID_SPAM_CRITERIA 0x2227u
#define NID_SPAM_CONTENTS 0x2230u

#define PID_VALID_FOLDER_MASK 0x35DF
#define PID_OUTBOX_ENTRYID 0x35E2
#define PID_WASTEBASKET_ENTRYID 0x35E3
#define PID_SENTMAIL_ENTRYID 0x35E4
#define PID_FINDER_ENTRYID 0x35E7
#define PID_APPOINTMENT_ENTRYID 0x36D0
#define PID_CONTACT_ENTRYID 0x36D1
#define PID_JOURNAL_ENTRYID 0x36D2
#define PID_NOTE_ENTRYID 0x36D3
#define PID_TASK_ENTRYID 0x36D4
#define PID_DRAFTS_ENTRYID 0x36D7
#define PID_ADDITIONAL_REN_ENTRYIDS 0x36D8
#define PID_LR_NO_RESTRICTIONS 0x6633
#define PID_PST_66FA 0x66FA
#define PID_RECEIVE_FOLDER 0x6605
#define PID_SEARCH_CRITERIA_660B 0x660B

/* Valid folder mask bits ([MS-PST] 2.4.3.1): IPM subtree, Inbox, Outbox,
 * Deleted Items, Sent Items and the search root; no views folders. */
#define VALID_FOLDERS 0x9Fu

enum std_folder {
	F_DELETED, F_INBOX, F_OUTBOX, F_SENT, F_CALENDAR, F_CONTACTS, F_JOURNAL, F_NOTES,
	F_TASKS, F_DRAFTS, F_JUNK, F_COUNT
};

/* The standard folders below the IPM subtree, in the order Outlook makes
 * them, with the comment and container class Outlook gives them. */
static const struct {
	const char *name, *comment, *cls;
} std_folders[F_COUNT] = {
	{ "Deleted Items", "Deleted Items folder", NULL },
	{ "Inbox", "Inbox folder", NULL },
	{ "Outbox", "Outbox folder", NULL },
	{ "Sent Items", "Sent Items folder", NULL },
	{ "Calendar", "Calendar Comment", "IPF.Appointment" },
	{ "Contacts", "Contacts Comment", "IPF.Contact" },
	{ "Journal", "Journal Comment", "IPF.Journal" },
	{ "Notes", "Notes Comment", "IPF.StickyNote" },
	{ "Tasks", "Tasks Comment", "IPF.Task" },
	{ "Drafts", "Drafts folder", "IPF.Note" },
	{ "Junk E-mail", "Junk Email Comment", "IPF.Note" },
};

/*
 * The named properties a new Outlook store maps from the start (Empty.pst,
 * ids 0x8000-0x8022 in this order): those of its calendar, task and mail
 * views. libpff refuses a store whose map has no entry at all.
 */
#define MSGUID(a, b) { { (a), (b), 0x06, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46 } }
static const ps_guid guid_appointment = MSGUID(0x02, 0x20);
static const ps_guid guid_task = MSGUID(0x03, 0x20);
static const ps_guid guid_common = MSGUID(0x08, 0x20);
static const ps_guid guid_log = MSGUID(0x14, 0x20);
static const ps_guid guid_headers = { { 0x86, 0x03, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const ps_guid guid_41f28f13 = { { 0x13, 0x8F, 0xF2, 0x41, 0xF4, 0x83, 0x14, 0x41, 0xA5, 0x84,
	0xEE, 0xDB, 0x5A, 0x6B, 0x0B, 0xFF } };

static const struct {
	const ps_guid *guid;
	uint32_t lid;
	const char *name;
} initial_names[] = {
	{ &guid_appointment, 0x8205, NULL }, { &guid_appointment, 0x8223, NULL },
	{ &guid_appointment, 0x8231, NULL }, { &guid_appointment, 0x8216, NULL },
	{ &guid_appointment, 0x820D, NULL }, { &guid_appointment, 0x820E, NULL },
	{ &guid_appointment, 0x8235, NULL }, { &guid_appointment, 0x8236, NULL },
	{ &guid_appointment, 0x8233, NULL }, { &guid_headers, 0, "content-class" },
	{ &ps_guid_public_strings, 0, "DRMLicense" }, { &guid_headers, 0, "x-cr-hashedpuzzle" },
	{ &guid_headers, 0, "x-cr-puzzleid" }, { &guid_common, 0x8580, NULL },
	{ &guid_common, 0x8581, NULL },
	{ &ps_guid_public_strings, 0, "urn:schemas-microsoft-com:office:outlook#storetypeprivate" },
	{ &guid_common, 0x8510, NULL }, { &guid_common, 0x8578, NULL },
	{ &guid_41f28f13, 0, "IsMentioned" }, { &ps_guid_public_strings, 0, "Keywords" },
	{ &guid_log, 0x8F05, NULL }, { &guid_common, 0x8514, NULL }, { &guid_log, 0x8F07, NULL },
	{ &guid_common, 0x8503, NULL }, { &guid_common, 0x85A8, NULL }, { &guid_common, 0x8502, NULL },
	{ &guid_task, 0x8104, NULL }, { &guid_task, 0x8105, NULL }, { &guid_task, 0x811C, NULL },
	{ &guid_headers, 0, "x-ms-exchange-organization-authdomain" },
	{ &ps_guid_public_strings, 0, "DoNotForward" }, { &guid_common, 0x8570, NULL },
	{ &guid_task, 0x8101, NULL }, { &guid_common, 0x85E0, NULL }, { &guid_common, 0x8552, NULL },
};

int pst__initial_names(ps_nameid_map *map)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(initial_names) / sizeof(initial_names[0]); i++) {
		ps_prop_name name;
		uint16_t id;
		memset(&name, 0, sizeof(name));
		name.guid = *initial_names[i].guid;
		name.kind = initial_names[i].name ? PS_NAME_STRING : PS_NAME_ID;
		name.lid = initial_names[i].lid;
		name.name = (char *)initial_names[i].name;
		if ((rc = ps_nameid_add(map, &name, &id)) < 0)
			return rc;
	}
	return 0;
}

static int put_pc(struct pst_store *st, uint32_t nid, uint32_t parent, const ps_prop *props,
	size_t n)
{
	ps_node_image img;
	uint32_t gen = 0x400;
	int rc;

	memset(&img, 0, sizeof(img));
	if ((rc = ps_pc_build(props, n, ps_ltp_alloc_nid, &gen, &img)) == 0)
		rc = ps_ndb_tx_put_node(st->tx, nid, parent, &img);
	ps_node_image_clear(&img);
	return rc;
}

static int put_table(struct pst_store *st, uint32_t nid, const uint32_t *tags, size_t ntags,
	const ps_tc_build_row *rows, size_t nrows)
{
	ps_tc_build_col cols[64];
	ps_node_image img;
	uint32_t gen = 0x400;
	size_t i;
	int rc;

	for (i = 0; i < ntags && i < 64; i++)
		cols[i].tag = tags[i];
	memset(&img, 0, sizeof(img));
	if ((rc = ps_tc_build(cols, i, rows, nrows, ps_ltp_alloc_nid, &gen, &img)) == 0)
		rc = ps_ndb_tx_put_node(st->tx, nid, 0, &img);
	ps_node_image_clear(&img);
	return rc;
}

static int put_raw(struct pst_store *st, uint32_t nid, const void *data, size_t size)
{
	ps_node_image img;
	int rc;

	memset(&img, 0, sizeof(img));
	if ((rc = ps_node_image_from_buffer(&img, data, size)) == 0)
		rc = ps_ndb_tx_put_node(st->tx, nid, 0, &img);
	ps_node_image_clear(&img);
	return rc;
}

/*
 * A one-block heap of client @p sig whose allocations are @p allocs, the
 * first one its root (HID 0x20), laid out as Outlook lays out 0xC01 and
 * 0xE01: header, allocations, then the page map at an even offset.
 */
static int put_heap(struct pst_store *st, uint32_t nid, uint8_t sig, const uint8_t *const *allocs,
	const size_t *sizes, size_t n)
{
	uint8_t block[512];
	size_t off = 12, i, map;
	uint16_t offs[8];

	memset(block, 0, sizeof(block));
	for (i = 0; i < n && i < 7; i++) {
		offs[i] = (uint16_t)off;
		memcpy(block + off, allocs[i], sizes[i]);
		off += sizes[i];
	}
	offs[i] = (uint16_t)off;
	map = (off + 1) & ~(size_t)1;
	ps__put16(block, (uint16_t)map);
	block[2] = 0xEC;
	block[3] = sig;
	ps__put32(block + 4, 0x20);
	ps__put16(block + map, (uint16_t)i);
	ps__put16(block + map + 2, 0);
	for (n = 0; n <= i; n++)
		ps__put16(block + map + 4 + 2 * n, offs[n]);
	return put_raw(st, nid, block, map + 4 + 2 * (i + 1));
}

static int put_special_heaps(struct pst_store *st)
{
	/* 0xC01: root -> BTH header at HID 0x40 (cbKey 16, cbEnt 4, empty). */
	static const uint8_t c01_root[4] = { 0x40, 0, 0, 0 };
	static const uint8_t c01_bth[8] = { 0xB5, 0x10, 0x04, 0x00, 0, 0, 0, 0 };
	/* 0xE01: root record (as in a new Outlook store) -> BTH at HID 0x40
	 * (cbKey 4, cbEnt 4, empty). Its third field is the last message NID
	 * handed out, 0x200004 in a new store. */
	static const uint32_t e01_fields[14] = {
		0x40, 1, 0x00200004, 0, 3, 0, 0x10, 0, 0x48B3, 0, 0, 0, 0, 0x1E2
	};
	static const uint8_t e01_bth[8] = { 0xB5, 0x04, 0x04, 0x00, 0, 0, 0, 0 };
	uint8_t e01_root[56];
	const uint8_t *allocs[2];
	size_t sizes[2], i;
	int rc;

	allocs[0] = c01_root;
	sizes[0] = sizeof(c01_root);
	allocs[1] = c01_bth;
	sizes[1] = sizeof(c01_bth);
	if ((rc = put_heap(st, NID_C01, 0x9C, allocs, sizes, 2)) < 0)
		return rc;
	for (i = 0; i < 14; i++)
		ps__put32(e01_root + 4 * i, e01_fields[i]);
	allocs[0] = e01_root;
	sizes[0] = sizeof(e01_root);
	allocs[1] = e01_bth;
	sizes[1] = sizeof(e01_bth);
	return put_heap(st, NID_E01, 0xCC, allocs, sizes, 2);
}

static int put_templates(struct pst_store *st)
{
	int rc;

	if ((rc = put_table(st, PS_NID_HIERARCHY_TEMPLATE, ps_tpl_hierarchy, ps_tpl_hierarchy_count, NULL, 0)) < 0 ||
	    (rc = put_table(st, PS_NID_CONTENTS_TEMPLATE, ps_tpl_contents, ps_tpl_contents_count, NULL, 0)) < 0 ||
	    (rc = put_table(st, PS_NID_ASSOC_TEMPLATE, ps_tpl_assoc, ps_tpl_assoc_count, NULL, 0)) < 0 ||
	    (rc = put_table(st, PS_NID_SEARCH_TEMPLATE, ps_tpl_search, ps_tpl_search_count, NULL, 0)) < 0 ||
	    (rc = put_table(st, PS_NID_OUTGOING_QUEUE, ps_tpl_outgoing_queue, ps_tpl_outgoing_queue_count,
		NULL, 0)) < 0 ||
	    (rc = put_table(st, PS_NID_ATTACHMENT_TEMPLATE, ps_tpl_attachments, ps_tpl_attachments_count,
		NULL, 0)) < 0 ||
	    (rc = put_table(st, PS_NID_RECIPIENT_TEMPLATE, ps_tpl_recipients, ps_tpl_recipients_count,
		NULL, 0)) < 0 ||
	    (rc = put_table(st, 0x6B6, ps_tpl_6b6, ps_tpl_6b6_count, NULL, 0)) < 0 ||
	    (rc = put_table(st, 0x6D7, ps_tpl_6d7, ps_tpl_6d7_count, NULL, 0)) < 0 ||
	    (rc = put_table(st, 0x6F8, ps_tpl_6f8, ps_tpl_6f8_count, NULL, 0)) < 0)
		return rc;
	return 0;
}

static int set_entry_id(ps_prop **props, size_t *n, const uint8_t key[16], uint16_t id, uint32_t nid)
{
	uint8_t eid[24];

	ps_entry_id_make(eid, key, nid);
	return ps_props_set(props, n, PS_PROP_TAG(id, PS_PT_BINARY), eid, 24);
}

/* The receive folder table (0x62B): which folder gets which message class. */
static int put_receive_folders(struct pst_store *st, uint32_t inbox)
{
	static const char *const classes[4] = { "", "IPM", "Report.IPM", "IPC" };
	ps_tc_build_row rows[4];
	ps_prop cells[4][2];
	uint8_t folder[4][4];
	int i, rc = 0;

	memset(cells, 0, sizeof(cells));
	for (i = 0; i < 4; i++) {
		ps_prop *p = NULL;
		size_t n = 0;
		ps__put32(folder[i], i == 3 ? PS_NID_ROOT_FOLDER : inbox);
		cells[i][0].tag = PS_PROP_TAG(PID_RECEIVE_FOLDER, PS_PT_LONG);
		cells[i][0].data = folder[i];
		cells[i][0].size = 4;
		if ((rc = ps_props_set_unicode(&p, &n, PS_PID_MESSAGE_CLASS, classes[i])) < 0)
			goto cleanup;
		cells[i][1] = p[0];
		if (!cells[i][1].data)
			cells[i][1].data = malloc(1);   /* present and empty */
		free(p);
		PS_CHECK_ALLOC(cells[i][1].data, rc);
		rows[i].row_id = (uint32_t)i + 1;
		rows[i].cells = cells[i];
	}
	rc = put_table(st, PS_NID_RECEIVE_FOLDER_TABLE, ps_tpl_receive_folders,
		ps_tpl_receive_folders_count, rows, 4);
cleanup:
	for (i = 0; i < 4; i++)
		free(cells[i][1].data);
	return rc;
}

static int put_message_store(struct pst_store *st, const char *name, const uint32_t *folders,
	uint32_t ipm, uint32_t finder)
{
	uint8_t history[24];
	ps_prop *props = NULL;
	size_t n = 0;
	int rc;

	/* PidTagReplVersionhistory: a version of 1 under a GUID of the store's own. */
	memset(history, 0, sizeof(history));
	history[0] = 1;
	history[20] = 1;
	if ((rc = ps_random_bytes(history + 4, 16)) < 0)
		return rc;
	if ((rc = ps_props_set(&props, &n, PS_PROP_TAG(PS_PID_REPL_VERSIONHISTORY, PS_PT_BINARY), history, 24)) < 0 ||
	    (rc = ps_props_set_long(&props, &n, PS_PID_REPL_FLAGS, 0)) < 0 ||
	    (rc = ps_props_set(&props, &n, PS_PROP_TAG(PS_PID_RECORD_KEY, PS_PT_BINARY), st->record_key, 16)) < 0 ||
	    (rc = ps_props_set_unicode(&props, &n, PS_PID_DISPLAY_NAME, name)) < 0 ||
	    (rc = ps_props_set_long(&props, &n, PID_VALID_FOLDER_MASK, VALID_FOLDERS)) < 0 ||
	    (rc = set_entry_id(&props, &n, st->record_key, PS_PID_IPM_SUBTREE_ENTRYID, ipm)) < 0 ||
	    (rc = set_entry_id(&props, &n, st->record_key, PID_OUTBOX_ENTRYID, folders[F_OUTBOX])) < 0 ||
	    (rc = set_entry_id(&props, &n, st->record_key, PID_WASTEBASKET_ENTRYID, folders[F_DELETED])) < 0 ||
	    (rc = set_entry_id(&props, &n, st->record_key, PID_SENTMAIL_ENTRYID, folders[F_SENT])) < 0 ||
	    (rc = set_entry_id(&props, &n, st->record_key, PID_FINDER_ENTRYID, finder)) < 0 ||
	    (rc = ps_props_set_bool(&props, &n, PID_LR_NO_RESTRICTIONS, 1)) < 0 ||
	    (rc = ps_props_set_long(&props, &n, PID_PST_66FA, 0x000E0011)) < 0 ||
	    (rc = ps_props_set_long(&props, &n, PS_PID_PST_PASSWORD, 0)) < 0)
		goto cleanup;
	rc = put_pc(st, PS_NID_MESSAGE_STORE, 0, props, n);
cleanup:
	ps_props_free(props, n);
	return rc;
}

/*
 * The entry IDs of the special folders, which Outlook keeps on the root
 * folder and on the Inbox alike. PidTagAdditionalRenEntryIds is the list
 * conflicts, sync issues, local failures, server failures, junk e-mail (and
 * one more, empty), of which only Junk E-mail exists in a new store.
 */
static int set_special_entry_ids(struct pst_store *st, const uint32_t *folders)
{
	static const struct { uint16_t id; int folder; } eids[] = {
		{ PID_APPOINTMENT_ENTRYID, F_CALENDAR }, { PID_CONTACT_ENTRYID, F_CONTACTS },
		{ PID_JOURNAL_ENTRYID, F_JOURNAL }, { PID_NOTE_ENTRYID, F_NOTES },
		{ PID_TASK_ENTRYID, F_TASKS }, { PID_DRAFTS_ENTRYID, F_DRAFTS },
	};
	uint8_t ren[7 * 4 + 24];
	ps_prop *props = NULL;
	size_t n = 0, i;
	int rc = 0;

	for (i = 0; i < sizeof(eids) / sizeof(eids[0]); i++)
		if ((rc = set_entry_id(&props, &n, st->record_key, eids[i].id, folders[eids[i].folder])) < 0)
			goto cleanup;
	/* PT_MV_BINARY: count, offsets, values (4 empty, the Junk E-mail entry ID, 1 empty). */
	ps__put32(ren, 6);
	for (i = 0; i < 5; i++)
		ps__put32(ren + 4 + 4 * i, 28);
	ps__put32(ren + 24, 28 + 24);
	ps_entry_id_make(ren + 28, st->record_key, folders[F_JUNK]);
	if ((rc = ps_props_set(&props, &n, PS_PROP_TAG(PID_ADDITIONAL_REN_ENTRYIDS, PS_PT_MV | PS_PT_BINARY),
		ren, sizeof(ren))) < 0 ||
	    (rc = pst__folder_set(st, PS_NID_ROOT_FOLDER, props, n)) < 0 ||
	    (rc = pst__folder_set(st, folders[F_INBOX], props, n)) < 0)
		goto cleanup;
cleanup:
	ps_props_free(props, n);
	return rc;
}

static int put_search_folder(struct pst_store *st)
{
	static const uint8_t zero4[4];
	ps_prop *props = NULL;
	size_t n = 0;
	ps_nbt_entry tpl;
	int rc;

	/* The spam search folder Outlook keeps below the root. */
	if ((rc = ps_props_set_unicode(&props, &n, PS_PID_DISPLAY_NAME, "SPAM Search Folder 2")) < 0 ||
	    (rc = ps_props_set_long(&props, &n, PS_PID_CONTENT_COUNT, 0)) < 0 ||
	    (rc = ps_props_set_long(&props, &n, PS_PID_CONTENT_UNREAD, 0)) < 0 ||
	    (rc = ps_props_set_bool(&props, &n, PS_PID_SUBFOLDERS, 0)) < 0 ||
	    (rc = put_pc(st, NID_SPAM_FOLDER, PS_NID_ROOT_FOLDER, props, n)) < 0 ||
	    (rc = pst__hierarchy_add(st, NID_SPAM_FOLDER)) < 0)
		goto cleanup;
	ps_props_free(props, n);
	props = NULL;
	n = 0;
	if ((rc = ps_props_set(&props, &n, PS_PROP_TAG(PID_SEARCH_CRITERIA_660B, PS_PT_LONG), zero4, 4)) < 0 ||
	    (rc = put_pc(st, NID_SPAM_CRITERIA, 0, props, n)) < 0 ||
	    (rc = put_raw(st, NID_SPAM_QUEUE, NULL, 0)) < 0 ||
	    (rc = ps_ndb_tx_lookup(st->tx, PS_NID_SEARCH_TEMPLATE, &tpl)) < 0 ||
	    (rc = ps_ndb_tx_put_node_blocks(st->tx, NID_SPAM_CONTENTS, 0, tpl.bid_data, tpl.bid_sub)) < 0)
		goto cleanup;
cleanup:
	ps_props_free(props, n);
	return rc;
}

static int build_store(struct pst_store *st, const char *name)
{
	static const uint8_t activity[4] = { 0x23, 0x22, 0, 0 };   /* 0x2223 */
	uint32_t folders[F_COUNT], ipm = 0, finder = 0;
	ps_nameid_map *map = NULL;
	ps_prop *props = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = ps_random_bytes(st->record_key, 16)) < 0)
		return rc;
	st->has_record_key = 1;
	if ((rc = put_templates(st)) < 0 || (rc = put_special_heaps(st)) < 0 ||
	    (rc = put_raw(st, PS_NID_SEARCH_QUEUE, NULL, 0)) < 0 ||
	    (rc = put_raw(st, PS_NID_SEARCH_DOMAIN, NULL, 0)) < 0 ||
	    (rc = put_raw(st, NID_E41, NULL, 0)) < 0 ||
	    (rc = put_raw(st, NID_SEARCH_ACTIVITY, activity, sizeof(activity))) < 0)
		return rc;
	/* The name-to-id map, with the names Outlook maps from the start. */
	if ((rc = ps_nameid_load(&map, st->ndb)) < 0)
		return rc;
	rc = pst__initial_names(map);
	if (rc == 0)
		rc = ps_nameid_props(map, &props, &n);
	ps_nameid_free(map);
	if (rc < 0 || (rc = put_pc(st, PS_NID_NAME_TO_ID_MAP, 0, props, n)) < 0)
		goto cleanup;
	ps_props_free(props, n);
	props = NULL;
	n = 0;
	/* The root folder, then the IPM subtree, the search root and the
	 * standard folders through the folder code. */
	if ((rc = ps_props_set_unicode(&props, &n, PS_PID_DISPLAY_NAME, "")) < 0 ||
	    (rc = ps_props_set_long(&props, &n, PS_PID_CONTENT_COUNT, 0)) < 0 ||
	    (rc = ps_props_set_long(&props, &n, PS_PID_CONTENT_UNREAD, 0)) < 0 ||
	    (rc = ps_props_set_bool(&props, &n, PS_PID_SUBFOLDERS, 1)) < 0 ||
	    (rc = put_pc(st, PS_NID_ROOT_FOLDER, PS_NID_ROOT_FOLDER, props, n)) < 0 ||
	    (rc = pst__folder_tables(st, PS_NID_ROOT_FOLDER)) < 0)
		goto cleanup;
	if ((rc = pst__create_folder(&st->base, PS_NID_ROOT_FOLDER, "Top of Outlook data file", NULL,
		&ipm)) < 0 ||
	    (rc = pst__create_folder(&st->base, PS_NID_ROOT_FOLDER, "Search Root", NULL, &finder)) < 0)
		goto cleanup;
	st->ipm_subtree_nid = ipm;
	for (i = 0; i < F_COUNT; i++) {
		ps_prop *c = NULL;
		size_t nc = 0;
		if ((rc = pst__create_folder(&st->base, ipm, std_folders[i].name, std_folders[i].cls,
			&folders[i])) < 0)
			goto cleanup;
		rc = ps_props_set_unicode(&c, &nc, PS_PID_COMMENT, std_folders[i].comment);
		if (rc == 0)
			rc = pst__folder_set(st, folders[i], c, nc);
		ps_props_free(c, nc);
		if (rc < 0)
			goto cleanup;
	}
	if ((rc = put_search_folder(st)) < 0 ||
	    (rc = put_receive_folders(st, folders[F_INBOX])) < 0 ||
	    (rc = set_special_entry_ids(st, folders)) < 0 ||
	    (rc = put_message_store(st, name, folders, ipm, finder)) < 0)
		goto cleanup;
cleanup:
	ps_props_free(props, n);
	return rc;
}

int ps_store_pst_create(struct ps_store **out, const char *path, const char *display_name)
{
	struct pst_store *st;
	int rc;

	*out = NULL;
	if (ps_path_kind(path) != PS_PATH_NONE)
		return ps_error_set(PS_EEXISTS, "cannot create '%s': it exists", path);
	st = calloc(1, sizeof(*st));
	if (!st)
		return ps_error_set(PS_ENOMEM, "out of memory creating '%s'", path);
	st->writable = 1;
	st->base.path = (char *)path;  /* for messages until the wrapper sets its own copy */
	if ((rc = ps_ndb_create(&st->ndb, path)) < 0) {
		free(st);
		return rc;
	}
	if ((rc = ps_ndb_tx_begin(st->ndb, &st->tx)) < 0 ||
	    (rc = build_store(st, display_name ? display_name : "Personal Folders")) < 0 ||
	    (rc = pst__commit(&st->base)) < 0 ||
	    (rc = pst__store_init(st)) < 0) {
		pst__tx_drop(st);
		ps_nameid_free(st->map);
		ps_ndb_close(st->ndb);
		free(st);
		ps_path_remove(path);
		return ps_error_prefix(rc, "cannot create '%s'", path);
	}
	st->base.path = NULL;
	*out = &st->base;
	return 0;
}
