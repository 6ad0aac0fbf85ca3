/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * `pstsync generate`: writes a store of generated items for tests and
 * benchmarks (the core's generator, include/pstsync/generate.h), or makes
 * the changes a benchmark makes between syncs: edit or delete a share of a
 * store's items. Creates the store when it does not exist, adds to it when
 * it does. Prints what it wrote, how long it took and the file's size.
 */
#include "cli/cli.h"
#include "cli/json.h"
#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/generate.h"
#include "pstsync/os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seconds on a monotonic clock, for the report. */
static double seconds_now(void)
{
	return (double)ps_clock_ns() / 1e9;
}

/* The size of the file at @p path, or 0. */
static uint64_t file_size(const char *path)
{
	ps_file *f = NULL;
	uint64_t size = 0;

	if (ps_file_open(&f, path, PS_OPEN_READ) == PS_OK) {
		if (ps_file_size(f, &size) != PS_OK)
			size = 0;
		ps_file_close(f);
	}
	return size;
}

static const struct cli_command *generate_command(void)
{
	const struct cli_command *c;

	for (c = cli_commands; c->name; c++)
		if (strcmp(c->name, "generate") == 0)
			return c;
	return cli_commands;
}

/* A whole number from @p text, or -1. */
static long long number(const char *text, unsigned long long max)
{
	char *end = NULL;
	unsigned long long v;

	if (!text || !*text || *text == '-')
		return -1;
	v = strtoull(text, &end, 0);
	if (*end || v > max)
		return -1;
	return (long long)v;
}

/* A percentage ("1", "0.5") as thousandths, or -1. */
static long per_mille(const char *text)
{
	char *end = NULL;
	double v;

	if (!text || !*text)
		return -1;
	v = strtod(text, &end);
	if (*end || v < 0 || v > 100)
		return -1;
	return (long)(v * 10.0 + 0.5);
}

static void progress(void *ctx, uint32_t done, uint32_t total)
{
	cli_progress(ctx, "generated %lu of %lu items", (unsigned long)done, (unsigned long)total);
}

/* Split "Contacts,/Calendar" into normalised paths ("/Contacts", "/Calendar"). */
static int split_folders(const char *list, char ***out, size_t *count)
{
	char **paths = NULL;
	size_t n = 0;
	const char *p = list;

	*out = NULL;
	*count = 0;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char **grown;
		if (len) {
			grown = realloc(paths, (n + 1) * sizeof(*paths));
			if (!grown)
				goto oom;
			paths = grown;
			paths[n] = ps__asprintf("%s%.*s", p[0] == '/' ? "" : "/", (int)len, p);
			if (!paths[n])
				goto oom;
			n++;
		}
		p += len + (comma ? 1 : 0);
	}
	*out = paths;
	*count = n;
	return PS_OK;
oom:
	while (n)
		free(paths[--n]);
	free(paths);
	return ps_error_set(PS_ENOMEM, "out of memory");
}

int cmd_generate(struct cli *cli, int argc, char **argv)
{
	const char *items_arg = NULL, *seed_arg = NULL, *folders_arg = NULL, *change_arg = NULL,
		*delete_arg = NULL, *batch_arg = NULL;
	struct { const char *name; const char **value; } opts[] = {
		{ "--items", &items_arg }, { "--seed", &seed_arg }, { "--folders", &folders_arg },
		{ "--change", &change_arg }, { "--delete", &delete_arg }, { "--batch", &batch_arg },
	};
	ps_generate_options opt;
	ps_generate_stats stats;
	ps_store *store = NULL;
	char **folders = NULL;
	size_t nfolders = 0, k;
	long long items = 0, seed = 1, batch = 0;
	long mille = -1;
	uint32_t changed = 0;
	double t0;
	int i, n = 1, rc, created = 0;

	memset(&stats, 0, sizeof(stats));
	for (i = 1; i < argc; i++) {
		int taken = 0;
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]) && !taken; k++) {
			size_t len = strlen(opts[k].name);
			if (strcmp(argv[i], opts[k].name) == 0) {
				if (i + 1 >= argc)
					return cli_usage("generate", "'%s' needs a value", argv[i]);
				*opts[k].value = argv[++i];
				taken = 1;
			} else if (strncmp(argv[i], opts[k].name, len) == 0 && argv[i][len] == '=') {
				*opts[k].value = argv[i] + len + 1;
				taken = 1;
			}
		}
		if (!taken)
			argv[n++] = argv[i];
	}
	argc = n;
	argv[n] = NULL;
	rc = cli_common_options(cli, generate_command(), &argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (argc != 2)
		return cli_usage("generate", "generate takes one store");
	if (seed_arg && (seed = number(seed_arg, 0x7FFFFFFFFFFFFFFFULL)) < 0)
		return cli_usage("generate", "the seed '%s' is no whole number", seed_arg);
	if (batch_arg && (batch = number(batch_arg, 1000000)) <= 0)
		return cli_usage("generate", "the batch size '%s' is no number from 1 to 1000000", batch_arg);
	if ((change_arg != NULL) + (delete_arg != NULL) + (items_arg != NULL) != 1)
		return cli_usage("generate", "give one of --items N, --change PERCENT and --delete PERCENT");
	if (items_arg && (items = number(items_arg, 100000000)) < 0)
		return cli_usage("generate", "the item count '%s' is no number from 0 to 100000000",
			items_arg);
	if ((change_arg || delete_arg) && (mille = per_mille(change_arg ? change_arg : delete_arg)) < 0)
		return cli_usage("generate", "'%s' is no percentage from 0 to 100",
			change_arg ? change_arg : delete_arg);
	if (folders_arg && !items_arg)
		return cli_usage("generate", "--folders goes with --items");
	if (folders_arg && (split_folders(folders_arg, &folders, &nfolders) != PS_OK || !nfolders)) {
		rc = nfolders ? cli_fail_core() : cli_usage("generate", "--folders names no folder");
		goto cleanup;
	}
	t0 = seconds_now();
	if (items_arg && ps_path_kind(argv[1]) == PS_PATH_NONE) {
		if (ps_store_create(&store, argv[1], NULL) != PS_OK) {
			rc = cli_fail_core();
			goto cleanup;
		}
		created = 1;
	} else if (ps_store_open(&store, argv[1], PS_STORE_WRITE) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	ps_store_set_warning_cb(store, cli_warning, cli);
	if (items_arg) {
		ps_generate_options_init(&opt);
		opt.seed = (uint64_t)seed;
		opt.items = (uint32_t)items;
		opt.folders = (const char *const *)folders;
		opt.folder_count = nfolders;
		opt.batch = (unsigned)batch;
		opt.progress = progress;
		opt.ctx = cli;
		rc = ps_generate_store(store, &opt, &stats);
		cli_progress_done(cli);
	} else {
		rc = ps_generate_change(store, (uint64_t)seed, (unsigned)mille,
			change_arg ? PS_GENERATE_EDIT : PS_GENERATE_DELETE, &changed);
	}
	if (rc != PS_OK) {
		rc = cli_fail("cannot generate in '%s': %s", argv[1], ps_error_last());
		goto cleanup;
	}
	ps_store_close(store);
	store = NULL;
	{
		double secs = seconds_now() - t0;
		uint64_t size = file_size(argv[1]);
		uint32_t total = stats.items[0] + stats.items[1] + stats.items[2] + stats.items[3];

		if (cli->json) {
			json_writer w;
			json_init(&w, stdout);
			json_begin_object(&w);
			json_kv_string(&w, "store", argv[1]);
			json_kv_uint(&w, "created", (uint64_t)created);
			if (items_arg) {
				json_kv_uint(&w, "items", total);
				json_kv_uint(&w, "contacts", stats.items[PS_GENERATE_CONTACT]);
				json_kv_uint(&w, "appointments", stats.items[PS_GENERATE_APPOINTMENT]);
				json_kv_uint(&w, "tasks", stats.items[PS_GENERATE_TASK]);
				json_kv_uint(&w, "mail", stats.items[PS_GENERATE_MAIL]);
				json_kv_uint(&w, "recurring", stats.recurring);
				json_kv_uint(&w, "exceptions", stats.exceptions);
				json_kv_uint(&w, "recipients", stats.recipients);
				json_kv_uint(&w, "attachments", stats.attachments);
			} else {
				json_kv_string(&w, "action", change_arg ? "edit" : "delete");
				json_kv_uint(&w, "changed", changed);
			}
			json_kv_uint(&w, "milliseconds", (uint64_t)(secs * 1000.0));
			json_kv_uint(&w, "size", size);
			json_end_object(&w);
			json_finish(&w);
		} else if (items_arg) {
			printf("generated %lu items in '%s' (%lu contacts, %lu appointments of which %lu "
				"recurring, %lu tasks, %lu mail; %lu recipients, %lu attachments) in %.1f s; "
				"%llu bytes\n", (unsigned long)total, argv[1],
				(unsigned long)stats.items[PS_GENERATE_CONTACT],
				(unsigned long)stats.items[PS_GENERATE_APPOINTMENT],
				(unsigned long)stats.recurring, (unsigned long)stats.items[PS_GENERATE_TASK],
				(unsigned long)stats.items[PS_GENERATE_MAIL], (unsigned long)stats.recipients,
				(unsigned long)stats.attachments, secs, (unsigned long long)size);
		} else {
			printf("%s %lu items in '%s' in %.1f s; %llu bytes\n",
				change_arg ? "edited" : "deleted", (unsigned long)changed, argv[1], secs,
				(unsigned long long)size);
		}
	}
	rc = EXIT_OK;
cleanup:
	ps_store_close(store);
	for (k = 0; k < nfolders; k++)
		free(folders[k]);
	free(folders);
	return rc;
}
