/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * `pstsync ls`: the folder tree of a store, or the items of one folder, as
 * an aligned table or as JSON. Rows are gathered first so that columns can
 * be sized to their contents.
 */
#include "cli/cli.h"
#include "cli/json.h"
#include "core/util.h"
#include "pstsync/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct folder_row {
	char *path;
	char *name;
	char *cls;
	uint32_t items;
	uint32_t subfolders;
	uint32_t unread;
	uint32_t nid;
};

struct item_row {
	uint32_t nid;
	char *cls;
	char *subject;
	uint64_t modified;
	uint64_t size;
};

struct rows {
	struct cli *cli;
	void *rows;
	size_t count, cap, elem;
	int failed;
};

static void *push(struct rows *r)
{
	if (r->count == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		void *grown = realloc(r->rows, cap * r->elem);
		if (!grown)
			return NULL;
		r->rows = grown;
		r->cap = cap;
	}
	return (char *)r->rows + r->elem * r->count++;
}

static int folder_cb(const ps_folder_info *f, void *ctx)
{
	struct rows *r = ctx;
	struct folder_row *row = push(r);

	if (!row)
		return ps_error_set(PS_ENOMEM, "out of memory");
	row->path = ps__strdup(f->path);
	row->name = ps__strdup(f->name);
	row->cls = ps__strdup(f->container_class);
	row->items = f->item_count;
	row->subfolders = f->subfolder_count;
	row->unread = f->unread_count;
	row->nid = f->nid;
	if (!row->path || !row->name || !row->cls)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (r->count % 16 == 0)
		cli_progress(r->cli, "reading folders: %lu", (unsigned long)r->count);
	return 0;
}

static int item_cb(const ps_item_summary *it, void *ctx)
{
	struct rows *r = ctx;
	struct item_row *row = push(r);

	if (!row)
		return ps_error_set(PS_ENOMEM, "out of memory");
	row->nid = it->nid;
	row->cls = ps__strdup(it->message_class);
	row->subject = ps__strdup(it->subject);
	row->modified = it->modified;
	row->size = it->size;
	if (!row->cls || !row->subject)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (r->count % 256 == 0)
		cli_progress(r->cli, "reading items: %lu", (unsigned long)r->count);
	return 0;
}

static const char *format_name(int unicode, int ost)
{
	(void)ost;
	return unicode ? "unicode" : "ansi";
}

static int list_folders(struct cli *cli, ps_store *store)
{
	struct rows r = { cli, NULL, 0, 0, sizeof(struct folder_row), 0 };
	struct folder_row *rows;
	ps_store_info info;
	size_t i, wpath = 4, wcls = 5;
	int rc;

	rc = ps_store_get_info(store, &info);
	if (rc != PS_OK)
		return cli_fail_core();
	rc = ps_store_walk_folders(store, folder_cb, &r);
	cli_progress_done(cli);
	rows = r.rows;
	if (rc < 0) {
		rc = cli_fail_core();
		goto cleanup;
	}
	if (cli->json) {
		json_writer w;
		json_init(&w, stdout);
		json_begin_object(&w);
		json_key(&w, "store");
		json_begin_object(&w);
		json_kv_string(&w, "path", ps_store_path(store));
		json_kv_string(&w, "format", format_name(info.unicode, info.ost));
		json_kv_string(&w, "kind", info.ost ? "ost" : "pst");
		json_kv_string(&w, "display_name", info.display_name);
		json_kv_bool(&w, "password_protected", info.password_protected);
		json_kv_string(&w, "encryption", info.encryption == 0 ? "none"
			: info.encryption == 1 ? "compressible" : "high");
		json_kv_uint(&w, "size", info.file_size);
		if (info.has_record_key) {
			json_key(&w, "record_key");
			json_hex(&w, info.record_key, 16);
		}
		json_end_object(&w);
		json_key(&w, "folders");
		json_begin_array(&w);
		for (i = 0; i < r.count; i++) {
			char id[16];
			json_begin_object(&w);
			json_kv_string(&w, "path", rows[i].path);
			json_kv_string(&w, "name", rows[i].name);
			json_kv_string(&w, "class", rows[i].cls);
			json_kv_uint(&w, "items", rows[i].items);
			json_kv_uint(&w, "subfolders", rows[i].subfolders);
			json_kv_uint(&w, "unread", rows[i].unread);
			snprintf(id, sizeof(id), "0x%x", rows[i].nid);
			json_kv_string(&w, "id", id);
			json_end_object(&w);
		}
		json_end_array(&w);
		json_kv_uint(&w, "warnings", cli->warnings);
		json_end_object(&w);
		json_finish(&w);
		rc = EXIT_OK;
		goto cleanup;
	}
	printf("%s: %s %s \"%s\"%s, %llu bytes\n", ps_store_path(store),
		info.unicode ? "Unicode" : "ANSI", info.ost ? "OST" : "PST", info.display_name,
		info.password_protected ? ", password protected" : "",
		(unsigned long long)info.file_size);
	for (i = 0; i < r.count; i++) {
		if (cli_text_width(rows[i].path) > wpath)
			wpath = cli_text_width(rows[i].path);
		if (cli_text_width(rows[i].cls) > wcls)
			wcls = cli_text_width(rows[i].cls);
	}
	cli_print_padded(stdout, "PATH", wpath + 2);
	cli_print_padded(stdout, "CLASS", wcls + 2);
	printf("%7s %10s\n", "ITEMS", "SUBFOLDERS");
	for (i = 0; i < r.count; i++) {
		cli_print_padded(stdout, rows[i].path, wpath + 2);
		cli_print_padded(stdout, rows[i].cls[0] ? rows[i].cls : "-", wcls + 2);
		printf("%7u %10u\n", rows[i].items, rows[i].subfolders);
	}
	rc = EXIT_OK;
cleanup:
	for (i = 0; i < r.count; i++) {
		free(rows[i].path);
		free(rows[i].name);
		free(rows[i].cls);
	}
	free(rows);
	ps_store_info_clear(&info);
	return rc;
}

static int list_items(struct cli *cli, ps_store *store, const char *path)
{
	struct rows r = { cli, NULL, 0, 0, sizeof(struct item_row), 0 };
	struct item_row *rows = NULL;
	uint32_t nid;
	size_t i, wcls = 5;
	int rc;

	if (ps_store_find_folder(store, path, &nid) != PS_OK)
		return cli_fail_core();
	rc = ps_store_list_items(store, nid, item_cb, &r);
	cli_progress_done(cli);
	rows = r.rows;
	if (rc < 0) {
		rc = cli_fail_core();
		goto cleanup;
	}
	if (cli->json) {
		json_writer w;
		json_init(&w, stdout);
		json_begin_object(&w);
		json_kv_string(&w, "folder", path[0] ? path : "/");
		json_key(&w, "items");
		json_begin_array(&w);
		for (i = 0; i < r.count; i++) {
			char buf[32];
			json_begin_object(&w);
			snprintf(buf, sizeof(buf), "0x%x", rows[i].nid);
			json_kv_string(&w, "id", buf);
			json_kv_string(&w, "class", rows[i].cls);
			json_kv_string(&w, "subject", rows[i].subject);
			cli_format_time(rows[i].modified, buf, sizeof(buf));
			json_key(&w, "modified");
			if (buf[0])
				json_string(&w, buf);
			else
				json_null(&w);
			json_kv_uint(&w, "size", rows[i].size);
			json_end_object(&w);
		}
		json_end_array(&w);
		json_kv_uint(&w, "warnings", cli->warnings);
		json_end_object(&w);
		json_finish(&w);
		rc = EXIT_OK;
		goto cleanup;
	}
	for (i = 0; i < r.count; i++)
		if (cli_text_width(rows[i].cls) > wcls)
			wcls = cli_text_width(rows[i].cls);
	printf("%-10s  ", "ID");
	cli_print_padded(stdout, "CLASS", wcls + 2);
	printf("%-20s  %8s  %s\n", "MODIFIED", "SIZE", "SUBJECT");
	for (i = 0; i < r.count; i++) {
		char id[16], when[32];
		snprintf(id, sizeof(id), "0x%x", rows[i].nid);
		cli_format_time(rows[i].modified, when, sizeof(when));
		printf("%-10s  ", id);
		cli_print_padded(stdout, rows[i].cls[0] ? rows[i].cls : "-", wcls + 2);
		printf("%-20s  %8llu  %s\n", when[0] ? when : "-", (unsigned long long)rows[i].size,
			rows[i].subject);
	}
	printf("%lu item%s\n", (unsigned long)r.count, r.count == 1 ? "" : "s");
	rc = EXIT_OK;
cleanup:
	for (i = 0; i < r.count; i++) {
		free(rows[i].cls);
		free(rows[i].subject);
	}
	free(rows);
	return rc;
}

int cmd_ls(struct cli *cli, int argc, char **argv)
{
	char *store_path = NULL, *folder = NULL;
	uint32_t nid;
	int has_nid, rc;
	ps_store *store = NULL;

	rc = cli_common_options(cli, cli_find_command("ls"), &argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (argc != 2)
		return cli_usage("ls", argc < 2 ? "ls needs a store" : "ls takes one store or folder");
	if (ps_location_parse(argv[1], &store_path, &folder, &nid, &has_nid) != PS_OK)
		return cli_usage("ls", "%s", ps_error_last());
	if (has_nid) {
		rc = cli_usage("ls", "ls lists folders; use 'pstsync show %s' for one item", argv[1]);
		goto cleanup;
	}
	rc = cli_open_store(cli, store_path, &store);
	if (rc != EXIT_OK)
		goto cleanup;
	rc = folder ? list_items(cli, store, folder) : list_folders(cli, store);
cleanup:
	ps_store_close(store);
	free(store_path);
	free(folder);
	return rc;
}
