/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * libFuzzer target for the store backends above the PST layer: an input is
 * a PST file, opened as the sync opens it (for writing, through our own
 * code: src/pst/store_pst.c, msg_read.c, nameid.c) and walked as the sync
 * walks it (every folder, every item's summary, every item read whole and
 * fingerprinted), then read again through the libpff backend (src/pff) as
 * `ls` and `show` read it. Then the changes a sync makes go into it in one
 * transaction: a new contact, an item overwritten with its own content,
 * an item deleted. A damaged store may refuse any of this, but nothing may
 * crash, leak or run out of bounds; and a store that passed the integrity
 * check before must pass it after the changes.
 *
 * An input shorter than the end of file its header names (up to 8 MiB) is
 * padded with zeros to it: a new store's last 190 KB are zeros, so its
 * seed in tests/corpus/store is the first 80 KB, and the mutations land on
 * bytes that mean something. (Truncated stores are the PST target's.)
 */
#include "fuzz_common.h"

#include "pstsync/check.h"
#include "pstsync/errors.h"
#include "pstsync/generate.h"
#include "pstsync/store.h"
#include "pstsync/sync.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Items read per folder and folders walked: enough to reach every kind of
 * structure, few enough to keep an input fast. */
#define MAX_ITEMS 64
#define MAX_FOLDERS 64

struct walk {
	ps_store *store;
	uint32_t folders[MAX_FOLDERS];
	size_t nfolders;
	uint32_t items[MAX_ITEMS], item_folder[MAX_ITEMS];
	size_t nitems;
	uint32_t listing;          /* the folder whose items are being listed */
	size_t bytes;              /* of every string seen, so that each is read whole */
};

static int see_folder(const ps_folder_info *f, void *ctx)
{
	struct walk *w = ctx;

	w->bytes += strlen(f->path) + strlen(f->name) + strlen(f->container_class);
	if (w->nfolders < MAX_FOLDERS)
		w->folders[w->nfolders++] = f->nid;
	return 0;
}

static int see_item(const ps_item_summary *it, void *ctx)
{
	struct walk *w = ctx;
	size_t i;

	w->bytes += strlen(it->message_class) + strlen(it->subject);
	for (i = 0; i < it->search_key_size; i++)
		w->bytes += it->search_key[i];
	for (i = 0; i < it->change_key_size; i++)
		w->bytes += it->change_key[i];
	if (w->nitems < MAX_ITEMS) {
		w->item_folder[w->nitems] = w->listing;
		w->items[w->nitems++] = it->nid;
	}
	return 0;
}

/* Every folder and item of the store, items read whole; fingerprinted when
 * @p sync (the sync fingerprints the items of stores it opened for writing,
 * nothing fingerprints what libpff reads). */
static void walk(struct walk *w, ps_store *store, int sync)
{
	ps_store_info info;
	uint8_t fp[PS_SYNC_FINGERPRINT_SIZE];
	size_t f, i;

	memset(w, 0, sizeof(*w));
	w->store = store;
	if (ps_store_get_info(store, &info) == PS_OK) {
		w->bytes += strlen(info.display_name);
		ps_store_info_clear(&info);
	}
	(void)ps_store_walk_folders(store, see_folder, w);
	for (f = 0; f < w->nfolders; f++) {
		w->listing = w->folders[f];
		(void)ps_store_list_items(store, w->listing, see_item, w);
	}
	for (i = 0; i < w->nitems; i++) {
		ps_item *item = NULL;
		if (ps_store_read_item(store, w->items[i], &item) == PS_OK) {
			if (sync) {
				ps_sync_fingerprint(item, fp);
				w->bytes += fp[0] + (ps_sync_marker_find(item) != NULL);
			}
			ps_item_free(item);
		}
		/* the lighter read of a listing (the recovery store's) */
		if (ps_store_read_props(store, w->items[i], &item) == PS_OK)
			ps_item_free(item);
	}
}

/* What a sync writes: a copy in, an overwrite, a deletion; one commit. */
static void write_changes(ps_store *store, const struct walk *w)
{
	ps_item *item = NULL, *copy = NULL;
	uint32_t nid;

	if (!w->nfolders || ps_store_begin(store) != PS_OK)
		return;
	if (ps_generate_item(&copy, PS_GENERATE_CONTACT, 7, 3) == PS_OK)
		(void)ps_store_put_item(store, w->nitems ? w->item_folder[0] : w->folders[0], copy, 0,
			&nid);
	if (w->nitems && ps_store_read_item(store, w->items[0], &item) == PS_OK)
		(void)ps_store_put_item(store, w->item_folder[0], item, w->items[0], &nid);
	if (w->nitems > 1)
		(void)ps_store_delete_item(store, w->items[w->nitems - 1]);
	if (ps_store_commit(store) != PS_OK)
		ps_store_abort(store);
	ps_item_free(item);
	ps_item_free(copy);
}

static int clean(const char *path)
{
	ps_check_summary sum;

	return ps_pst_check(path, NULL, NULL, &sum) == PS_OK && sum.problems == 0;
}

/* ibFileEof of a Unicode header ([MS-PST] 2.2.2.6: ROOT at 0xB4, then 4
 * reserved bytes), or 0. */
static uint64_t header_eof(const uint8_t *data, size_t size)
{
	uint64_t eof = 0;
	int k;

	if (size < 0xC0 || memcmp(data, "!BDN", 4) != 0 || (data[10] | data[11] << 8) < 23)
		return 0;
	for (k = 7; k >= 0; k--)
		eof = eof << 8 | data[0xB8 + k];
	return eof;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path(0, "store.pst");
	ps_store *store = NULL;
	struct walk w;
	uint64_t eof = header_eof(data, size);
	int was_clean;

	fuzz_clean_dir();
	if (eof > size && eof <= 8u << 20) {
		uint8_t *padded = calloc(1, (size_t)eof);
		if (!padded)
			return 0;
		memcpy(padded, data, size);
		fuzz_write(path, padded, (size_t)eof);
		free(padded);
	} else {
		fuzz_write(path, data, size);
	}
	if (ps_store_open(&store, path, PS_STORE_READ) == PS_OK) {
		walk(&w, store, 0);
		ps_store_close(store);
	}
	if (ps_store_open(&store, path, PS_STORE_WRITE) != PS_OK)
		return 0;
	walk(&w, store, 1);
	was_clean = clean(path);
	write_changes(store, &w);
	ps_store_close(store);
	if (was_clean && !clean(path)) {
		ps_check_summary sum;
		fprintf(stderr, "fuzz_store: a clean store fails the check after the changes:\n");
		(void)ps_pst_check(path, NULL, NULL, &sum);
		fprintf(stderr, "fuzz_store: %u problems\n", sum.problems);
		abort();
	}
	return 0;
}
