/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * A test-only tool: turns a new store made by `pstsync create` into an OST
 * laid out as Outlook's offline copy of an Exchange mailbox is, for the OST
 * tests of tests/item_tests.py (no real OST may be kept in the project):
 *
 *   - the client signature "SO" in the header (wVer stays 23, Unicode);
 *   - the IPM subtree is a folder "Top of Information Store" below the root
 *     folder, made here, with Inbox (two subfolders), Calendar, Contacts,
 *     Sent Items, Deleted Items and Sync Issues holding generated items;
 *   - the PST's IPM subtree (NID 0x8022) is left without its folders and
 *     with one appointment, so that a reader that falls back on it sees a
 *     store of one folder with one item;
 *   - the store's entry IDs are 46-byte Exchange folder entry IDs
 *     ([MS-OXCDATA] 2.2.4.1); PidTagIpmSubtreeEntryId has the NID of the
 *     IPM subtree at offset 20, where a PST's has it (libpst reads it there).
 *
 *   make_ost STORE.pst [--no-nid]
 *
 * converts the store in place and prints the folders made ("/Inbox 5"). With
 * --no-nid the IPM subtree's entry ID holds no NID at all.
 */
#include "pst/msg.h"
#include "pst/ndb.h"
#include "pst/ndb_write.h"
#include "pstsync/errors.h"
#include "pstsync/generate.h"
#include "pstsync/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct folder_plan {
	const char *name, *cls;
	int parent;                 /* index in the plan, -1 for the top */
	ps_generate_kind kind;
	unsigned items;
};

static const struct folder_plan plan[] = {
	{ "Inbox", "IPF.Note", -1, PS_GENERATE_MAIL, 5 },
	{ "Projects", "IPF.Note", 0, PS_GENERATE_MAIL, 2 },
	{ "Archive", "IPF.Note", 0, PS_GENERATE_MAIL, 1 },
	{ "Calendar", "IPF.Appointment", -1, PS_GENERATE_APPOINTMENT, 4 },
	{ "Contacts", "IPF.Contact", -1, PS_GENERATE_CONTACT, 6 },
	{ "Sent Items", "IPF.Note", -1, PS_GENERATE_MAIL, 2 },
	{ "Deleted Items", "IPF.Note", -1, PS_GENERATE_MAIL, 1 },
	{ "Sync Issues", "IPF.Note", -1, PS_GENERATE_MAIL, 0 },
};

struct subs {
	uint32_t nids[64];
	size_t count;
};

static int sub_cb(const ps_folder_info *f, void *ctx)
{
	struct subs *s = ctx;

	if (strcmp(f->path, "/") != 0 && s->count < 64)
		s->nids[s->count++] = f->nid;
	return 0;
}

static int put(ps_store *st, uint32_t folder, ps_generate_kind kind, uint32_t index)
{
	ps_item *item = NULL;
	int rc = ps_generate_item(&item, kind, 7, index);

	if (rc == PS_OK)
		rc = ps_store_put_item(st, folder, item, 0, NULL);
	ps_item_free(item);
	return rc;
}

static int build(const char *path, uint32_t *top_out)
{
	ps_store *st = NULL;
	struct subs old = { { 0 }, 0 };
	uint32_t top = 0, nids[sizeof(plan) / sizeof(plan[0])], index = 0;
	size_t i, k;
	int rc;

	if ((rc = ps_store_open(&st, path, PS_STORE_WRITE)) != PS_OK ||
	    (rc = ps_store_walk_folders(st, sub_cb, &old)) != PS_OK ||
	    (rc = ps_store_begin(st)) != PS_OK)
		goto done;
	/* the PST's folders out of 0x8022, deepest first (walks list parents first) */
	for (i = old.count; i-- > 0 && rc == PS_OK; )
		rc = ps_store_delete_folder(st, old.nids[i]);
	if (rc == PS_OK)
		rc = put(st, 0x8022, PS_GENERATE_APPOINTMENT, index++);
	if (rc == PS_OK)
		rc = ps_store_create_folder(st, 0x122, "Top of Information Store", NULL, &top);
	for (i = 0; i < sizeof(plan) / sizeof(plan[0]) && rc == PS_OK; i++) {
		rc = ps_store_create_folder(st, plan[i].parent < 0 ? top : nids[plan[i].parent],
			plan[i].name, plan[i].cls, &nids[i]);
		for (k = 0; k < plan[i].items && rc == PS_OK; k++)
			rc = put(st, nids[i], plan[i].kind, index++);
		if (rc == PS_OK)
			printf("%s%s %u\n", plan[i].parent < 0 ? "/" : "/Inbox/", plan[i].name,
				plan[i].items);
	}
	if (rc == PS_OK)
		rc = ps_store_commit(st);
	*top_out = top;
done:
	if (rc != PS_OK)
		fprintf(stderr, "make_ost: %s\n", ps_error_last());
	ps_store_close(st);
	return rc;
}

/*
 * Entry IDs as Exchange gives them, in place of the store's NID-based ones:
 * PidTagIpmSubtreeEntryId and the other folders' in the message store, the
 * special folders' (PidTagIpmAppointmentEntryId...) in the root folder:
 * flags, the mailbox's provider UID, eitLTPrivateFolder, the database GUID,
 * a global counter ([MS-OXCDATA] 2.2.4.1).
 */
static int exchange_entry_ids(const char *path, uint32_t top)
{
	static const uint32_t nodes[2] = { 0x21, 0x122 };
	ps_ndb *ndb = NULL;
	ps_ndb_tx *tx = NULL;
	ps_prop *props = NULL;
	size_t n = 0, i, k;
	int rc;

	if ((rc = ps_ndb_open_write(&ndb, path)) < 0 || (rc = ps_ndb_tx_begin(ndb, &tx)) < 0)
		goto done;
	for (k = 0; k < 2 && rc >= 0; k++) {
		ps_nbt_entry e;
		ps_pc pc;
		if ((rc = ps_ndb_nbt_lookup(ndb, nodes[k], &e)) < 0 ||
		    (rc = ps_pc_open_nid(&pc, ndb, nodes[k])) < 0)
			goto done;
		rc = ps_props_from_pc(&pc, &props, &n);
		ps_pc_close(&pc);
		for (i = 0; i < n && rc >= 0; i++) {
			uint16_t id = (uint16_t)(props[i].tag >> 16);
			uint8_t eid[46];
			int b;
			if ((props[i].tag & 0xFFFF) != 0x0102 || (props[i].size != 24 && !(top && id == 0x35E0))
			    || !((id >= 0x35E0 && id <= 0x35E7) || (id >= 0x36D0 && id <= 0x36D7)))
				continue;
			memset(eid, 0, sizeof(eid));
			for (b = 0; b < 16; b++) {
				eid[4 + b] = (uint8_t)(0xA0 + b);   /* provider UID: not the record key */
				eid[22 + b] = (uint8_t)(0x30 + b);  /* database GUID */
			}
			eid[20] = 0x01;                         /* eitLTPrivateFolder */
			eid[42] = (uint8_t)k;
			eid[43] = (uint8_t)(id & 0xFF);         /* global counter */
			if (top && id == 0x35E0) {
				/* the NID where a PST's entry ID has it, which libpst reads */
				for (b = 0; b < 4; b++)
					eid[20 + b] = (uint8_t)(top >> (8 * b));
			}
			rc = ps_props_set(&props, &n, props[i].tag, eid, sizeof(eid));
		}
		if (rc >= 0)
			rc = ps_pc_rewrite(ndb, tx, nodes[k], e.nid_parent, props, n);
		ps_props_free(props, n);
		props = NULL;
		n = 0;
	}
	if (rc >= 0) {
		rc = ps_ndb_tx_commit(tx);
		tx = NULL;
	}
done:
	if (tx)
		ps_ndb_tx_abort(tx);
	if (rc < 0)
		fprintf(stderr, "make_ost: %s\n", ps_error_last());
	ps_props_free(props, n);
	ps_ndb_close(ndb);
	return rc;
}

/* "SO" for "SM", and the header's two CRCs again. */
static int client_ost(const char *path)
{
	uint8_t h[564];
	FILE *f = fopen(path, "r+b");
	uint32_t crc;
	int k;

	if (!f || fread(h, 1, sizeof(h), f) != sizeof(h))
		return -1;
	h[9] = 'O';
	crc = ps_ndb__crc(0, h + 8, 471);
	for (k = 0; k < 4; k++)
		h[4 + k] = (uint8_t)(crc >> (8 * k));
	crc = ps_ndb__crc(0, h + 8, 516);
	for (k = 0; k < 4; k++)
		h[524 + k] = (uint8_t)(crc >> (8 * k));
	if (fseek(f, 0, SEEK_SET) != 0 || fwrite(h, 1, sizeof(h), f) != sizeof(h))
		return -1;
	return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	int with_nid = argc == 2;

	if (argc != 2 && !(argc == 3 && strcmp(argv[2], "--no-nid") == 0)) {
		fprintf(stderr, "usage: make_ost STORE.pst [--no-nid]\n");
		return 2;
	}
	uint32_t top = 0;

	if (exchange_entry_ids(argv[1], 0) < 0 || build(argv[1], &top) != PS_OK ||
	    (with_nid && exchange_entry_ids(argv[1], top) < 0) || client_ost(argv[1]) < 0)
		return 1;
	return 0;
}
