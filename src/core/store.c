/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The store wrappers: every call a caller makes on a store passes through
 * here on its way to the backend's table. This is the one place to trace
 * store calls or inject faults in tests. Also small helpers shared by every
 * backend: warnings, entry IDs, and parsing "STORE:/PATH#ID" arguments.
 */
#include "pstsync/sys/store_backend.h"
#include "pstsync/errors.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fill in what every backend's store shares, once the backend made it. */
static int store_finish(ps_store **out, ps_store *store, const struct ps_store_ops *ops,
	const char *path)
{
	store->ops = ops;
	store->path = ps__strdup(path);
	if (!store->path) {
		ops->close(store);
		return ps_error_set(PS_ENOMEM, "out of memory opening '%s'", path);
	}
	*out = store;
	return PS_OK;
}

int ps_store_open(ps_store **out, const char *path, unsigned flags)
{
	/* Reading goes through libpff, which reads PST and OST files of every
	 * version; writing through pstsync's own PST code. */
	const struct ps_store_ops *ops = (flags & (PS_STORE_WRITE | PS_STORE_SHARED)) ?
		&ps_store_pst_ops : &ps_store_pff_ops;
	ps_store *store = NULL;
	int rc;

	*out = NULL;
	if (flags & PS_STORE_BROWSE) {
		rc = ps_store_open(out, path, PS_STORE_SHARED);
		return rc == PS_OK ? rc : ps_store_open(out, path, PS_STORE_READ);
	}
	rc = ops->open(&store, path, flags);
	if (rc != PS_OK)
		return rc;
	return store_finish(out, store, ops, path);
}

int ps_store_create(ps_store **out, const char *path, const char *display_name)
{
	ps_store *store = NULL;
	int rc;

	*out = NULL;
	rc = ps_store_pst_create(&store, path, display_name);
	if (rc != PS_OK)
		return rc;
	return store_finish(out, store, &ps_store_pst_ops, path);
}

void ps_store_close(ps_store *store)
{
	char *path;

	if (!store)
		return;
	path = store->path;
	store->ops->close(store);
	free(path);
}

const char *ps_store_path(const ps_store *store)
{
	return store->path;
}

void ps_store_set_warning_cb(ps_store *store, ps_warning_cb cb, void *ctx)
{
	store->warn = cb;
	store->warn_ctx = ctx;
}


int ps_store_io_stats(ps_store *store, ps_io_stats *out)
{
	memset(out, 0, sizeof(*out));
	/* no message: a caller asks after a failed sync, whose message stays */
	if (!store->ops->io_stats)
		return PS_EUNSUPPORTED;
	return store->ops->io_stats(store, out);
}

int ps_store_table_stamp(ps_store *store, uint32_t folder_nid, uint64_t out[2])
{
	out[0] = out[1] = 0;
	if (!store->ops->table_stamp)
		return PS_EUNSUPPORTED;
	return store->ops->table_stamp(store, folder_nid, out);
}

void ps_io_stats_add(ps_io_stats *a, const ps_io_stats *b)
{
	a->bytes_read += b->bytes_read;
	a->reads += b->reads;
	a->bytes_written += b->bytes_written;
	a->writes += b->writes;
	a->syncs += b->syncs;
}

int ps_store_get_info(ps_store *store, ps_store_info *info)
{
	memset(info, 0, sizeof(*info));
	return store->ops->get_info(store, info);
}

void ps_store_info_clear(ps_store_info *info)
{
	free(info->display_name);
	memset(info, 0, sizeof(*info));
}

int ps_store_walk_folders(ps_store *store, ps_folder_cb cb, void *ctx)
{
	return store->ops->walk_folders(store, cb, ctx);
}

int ps_store_walk_tree(ps_store *store, ps_folder_cb cb, void *ctx)
{
	if (!store->ops->walk_tree)
		return store->ops->walk_folders(store, cb, ctx);
	return store->ops->walk_tree(store, cb, ctx);
}

int ps_store_list_items(ps_store *store, uint32_t folder_nid, ps_item_cb cb, void *ctx)
{
	return store->ops->list_items(store, folder_nid, cb, ctx);
}

struct given {
	const uint32_t *sorted;
	size_t count;
	ps_item_cb cb;
	void *ctx;
};

static int cmp_nid(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int given_cb(const ps_item_summary *item, void *ctx)
{
	const struct given *g = ctx;

	if (!bsearch(&item->nid, g->sorted, g->count, sizeof(*g->sorted), cmp_nid))
		return 0;
	return g->cb(item, g->ctx);
}

int ps_store_list_given(ps_store *store, uint32_t folder_nid, const uint32_t *nids, size_t count,
	ps_item_cb cb, void *ctx)
{
	struct given g;
	uint32_t *sorted;
	int rc;

	if (store->ops->list_given)
		return store->ops->list_given(store, folder_nid, nids, count, cb, ctx);
	/* a backend without lookups: the whole listing, filtered */
	sorted = malloc((count + 1) * sizeof(*sorted));
	if (!sorted)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (count)
		memcpy(sorted, nids, count * sizeof(*sorted));
	qsort(sorted, count, sizeof(*sorted), cmp_nid);
	g.sorted = sorted;
	g.count = count;
	g.cb = cb;
	g.ctx = ctx;
	rc = store->ops->list_items(store, folder_nid, given_cb, &g);
	free(sorted);
	return rc;
}

int ps_store_list_assoc_items(ps_store *store, uint32_t folder_nid, ps_item_cb cb, void *ctx)
{
	if (!store->ops->list_assoc_items)
		return PS_OK;
	return store->ops->list_assoc_items(store, folder_nid, cb, ctx);
}

int ps_store_read_item(ps_store *store, uint32_t nid, ps_item **out)
{
	*out = NULL;
	return store->ops->read_item(store, nid, out);
}

/* The answer of a backend that does not write (or a store opened to read). */
static int read_only(const ps_store *store)
{
	return ps_error_set(PS_EUNSUPPORTED, "cannot write '%s': it is open for reading only",
		store->path);
}

int ps_store_begin(ps_store *store)
{
	return store->ops->begin ? store->ops->begin(store) : read_only(store);
}

int ps_store_commit(ps_store *store)
{
	return store->ops->commit ? store->ops->commit(store) : read_only(store);
}

void ps_store_abort(ps_store *store)
{
	if (store->ops->abort)
		store->ops->abort(store);
}

int ps_store_create_folder(ps_store *store, uint32_t parent_nid, const char *name,
	const char *container_class, uint32_t *nid_out)
{
	if (nid_out)
		*nid_out = 0;
	if (!store->ops->create_folder)
		return read_only(store);
	return store->ops->create_folder(store, parent_nid, name, container_class, nid_out);
}

int ps_store_rename_folder(ps_store *store, uint32_t folder_nid, const char *name)
{
	if (!store->ops->rename_folder)
		return read_only(store);
	return store->ops->rename_folder(store, folder_nid, name);
}

int ps_store_move_folder(ps_store *store, uint32_t folder_nid, uint32_t parent_nid, const char *name)
{
	if (!store->ops->move_folder)
		return read_only(store);
	return store->ops->move_folder(store, folder_nid, parent_nid, name);
}

int ps_store_set_sync_mark(ps_store *store, uint64_t mark)
{
	if (!store->ops->set_sync_mark)
		return read_only(store);
	return store->ops->set_sync_mark(store, mark);
}

int ps_store_delete_folder(ps_store *store, uint32_t folder_nid)
{
	if (!store->ops->delete_folder)
		return read_only(store);
	return store->ops->delete_folder(store, folder_nid);
}

int ps_store_put_item(ps_store *store, uint32_t folder_nid, const ps_item *item,
	uint32_t replace_nid, uint32_t *nid_out)
{
	if (nid_out)
		*nid_out = 0;
	if (!store->ops->put_item)
		return read_only(store);
	return store->ops->put_item(store, folder_nid, item, replace_nid, nid_out);
}

int ps_store_delete_item(ps_store *store, uint32_t nid)
{
	if (!store->ops->delete_item)
		return read_only(store);
	return store->ops->delete_item(store, nid);
}

struct find_ctx {
	const char *want;
	uint32_t nid;
	int found;
};

static int find_cb(const ps_folder_info *folder, void *ctx)
{
	struct find_ctx *find = ctx;

	if (strcmp(folder->path, find->want) == 0) {
		find->nid = folder->nid;
		find->found = 1;
		return 1;
	}
	return 0;
}

int ps_store_find_folder(ps_store *store, const char *path, uint32_t *nid_out)
{
	struct find_ctx find;
	char *norm;
	size_t len;
	int rc;

	/* "", "/" and "/Contacts/" name the same folders as "/" and "/Contacts" */
	len = strlen(path);
	norm = malloc(len + 2);
	if (!norm)
		return ps_error_set(PS_ENOMEM, "out of memory");
	snprintf(norm, len + 2, "%s%s", path[0] == '/' ? "" : "/", path);
	len = strlen(norm);
	while (len > 1 && norm[len - 1] == '/')
		norm[--len] = '\0';
	find.want = norm;
	find.found = 0;
	find.nid = 0;
	rc = ps_store_walk_folders(store, find_cb, &find);
	if (rc < 0) {
		free(norm);
		return rc;
	}
	if (!find.found) {
		rc = ps_error_set(PS_ENOTFOUND, "no folder '%s' in '%s'", norm, store->path);
		free(norm);
		return rc;
	}
	free(norm);
	*nid_out = find.nid;
	return PS_OK;
}


/*
 * "STORE:/PATH#ID": the store is everything before the last ":/" (so that
 * "C:\x.pst:/Contacts" and "C:/x.pst:/Contacts" work on Windows), the item
 * id is a hex NID after the last '#' of the path. A letter and a colon at the
 * very start are a drive, not a separator: "Z:/x.pst" is a store alone.
 */
int ps_location_parse(const char *arg, char **store_path, char **folder_path,
	uint32_t *nid, int *has_nid)
{
	const char *sep = NULL, *p, *hash;
	int rc = PS_OK;

	*store_path = NULL;
	*folder_path = NULL;
	*nid = 0;
	*has_nid = 0;
	for (p = arg; (p = strstr(p, ":/")) != NULL; p++)
		if (!(p == arg + 1 && ((arg[0] >= 'A' && arg[0] <= 'Z') || (arg[0] >= 'a' && arg[0] <= 'z'))))
			sep = p;
	if (!sep) {
		*store_path = ps__strdup(arg);
		*folder_path = NULL;
		return *store_path ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
	}
	*store_path = ps__strndup(arg, (size_t)(sep - arg));
	hash = strrchr(sep + 1, '#');
	if (hash) {
		char *end = NULL;
		unsigned long v = strtoul(hash + 1, &end, 16);
		if (hash[1] == '\0' || !end || *end != '\0' || v > 0xFFFFFFFFUL) {
			rc = ps_error_set(PS_EINVAL, "bad item id '%s' in '%s': expected a hex NID "
				"such as #0x200024", hash + 1, arg);
			goto cleanup;
		}
		*nid = (uint32_t)v;
		*has_nid = 1;
		*folder_path = ps__strndup(sep + 1, (size_t)(hash - sep - 1));
	} else {
		*folder_path = ps__strdup(sep + 1);
	}
	if (!*store_path || !*folder_path)
		rc = ps_error_set(PS_ENOMEM, "out of memory");
cleanup:
	if (rc != PS_OK) {
		free(*store_path);
		free(*folder_path);
		*store_path = *folder_path = NULL;
	}
	return rc;
}
