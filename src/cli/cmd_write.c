/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The commands that write into stores: `pstsync create`, `mkdir`, `copy`,
 * `set`, `add` and `rm`. Each parses and checks its whole command line
 * before it opens a store for writing, makes its changes in transactions
 * through the store's write API (include/pstsync/store.h), and says in a
 * line or two what it did, or as JSON with --json. `set` and `add` share
 * the reading of NAME=VALUE arguments (src/core/prop_values.c); `add` also sets what Outlook sets on
 * a new item of its class (ps_item_defaults(), src/core/item_edit.c). A copy reads its source through the
 * read-only backend and writes in batches of COPY_BATCH items, so that an
 * interrupted copy keeps every finished batch and nothing half-written.
 */
#include "cli/cli.h"
#include "cli/json.h"
#include "core/utf.h"
#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/item_edit.h"
#include "pstsync/item_refs.h"
#include "pstsync/os.h"
#include "pstsync/prop_values.h"
#include "pstsync/propnames.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Items a copy writes per transaction: big enough to be fast, small enough
 * that an interrupted copy loses little. */
#define COPY_BATCH 2000


static const struct cli_command *command(const char *name)
{
	const struct cli_command *c;

	for (c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* ---- the command line ---------------------------------------------------- */

/* One option of a command: a flag (value NULL) or one that takes a value. */
struct option {
	const char *name;     /* "--class" */
	const char *alias;    /* "-p", or NULL */
	const char **value;   /* where the value goes, for options with one */
	int *flag;            /* set to 1, for flags */
};

/*
 * Take the command's own options ("--name VALUE", "--name=VALUE", flags)
 * out of argv, then the options every command knows (--json, -q). "--" ends
 * the options; what follows stays an argument.
 */
static int take_options(struct cli *cli, const char *cmd_name, int *argc, char **argv,
	const struct option *opts)
{
	const struct cli_command *cmd = command(cmd_name);
	int i, n = 1;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const struct option *o;
		int taken = 0;

		if (strcmp(a, "--") == 0) {
			/* keep "--" for cli_common_options, which ends its options there too */
			while (i < *argc)
				argv[n++] = argv[i++];
			break;
		}
		for (o = opts; o && o->name; o++) {
			size_t len = strlen(o->name);
			if (o->value && strncmp(a, o->name, len) == 0 && a[len] == '=') {
				*o->value = a + len + 1;
				taken = 1;
			} else if (strcmp(a, o->name) == 0 || (o->alias && strcmp(a, o->alias) == 0)) {
				if (o->flag) {
					*o->flag = 1;
				} else {
					if (i + 1 >= *argc)
						return cli_usage(cmd_name, "'%s' needs a value", a);
					*o->value = argv[++i];
				}
				taken = 1;
			}
			if (taken)
				break;
		}
		if (!taken)
			argv[n++] = argv[i];
	}
	*argc = n;
	argv[n] = NULL;
	return cli_common_options(cli, cmd, argc, argv);
}

/* ---- folder paths ---------------------------------------------------------- */

/* "/", "Contacts/" and "/Contacts" as "/" and "/Contacts" (malloc'ed). */
static char *normalize_path(const char *path)
{
	char *norm;
	size_t len;

	norm = ps__asprintf("%s%s", path[0] == '/' ? "" : "/", path);
	if (!norm)
		return NULL;
	len = strlen(norm);
	while (len > 1 && norm[len - 1] == '/')
		norm[--len] = '\0';
	return norm;
}

/* The path of a folder's parent ("/" for "/Contacts"); malloc'ed. */
static char *parent_path(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash || slash == path)
		return ps__strdup("/");
	return ps__strndup(path, (size_t)(slash - path));
}

/* The last part of a path, with %2F and %25 decoded into the folder's name. */
static char *leaf_name(const char *path)
{
	const char *leaf = strrchr(path, '/');
	char *name, *out;

	leaf = leaf ? leaf + 1 : path;
	name = malloc(strlen(leaf) + 1);
	if (!name)
		return NULL;
	for (out = name; *leaf; leaf++) {
		if (leaf[0] == '%' && leaf[1] == '2' && (leaf[2] == 'F' || leaf[2] == 'f')) {
			*out++ = '/';
			leaf += 2;
		} else if (leaf[0] == '%' && leaf[1] == '2' && leaf[2] == '5') {
			*out++ = '%';
			leaf += 2;
		} else {
			*out++ = *leaf;
		}
	}
	*out = '\0';
	return name;
}

/* A folder name as a path part: '%' as %25, '/' as %2F; malloc'ed. */
static char *escape_name(const char *name)
{
	char *out = malloc(strlen(name) * 3 + 1), *o = out;

	if (!out)
		return NULL;
	for (; *name; name++) {
		if (*name == '%' || *name == '/') {
			*o++ = '%';
			*o++ = '2';
			*o++ = *name == '%' ? '5' : 'F';
		} else {
			*o++ = *name;
		}
	}
	*o = '\0';
	return out;
}

/* @p parent + "/" + @p escaped_name, without doubling the root's slash. */
static char *join_path(const char *parent, const char *escaped_name)
{
	return ps__asprintf("%s%s%s", parent, strcmp(parent, "/") == 0 ? "" : "/", escaped_name);
}

/* What the commands need to know of one folder. */
struct folder {
	uint32_t nid;
	uint32_t parent_nid;
	char *path;
	char *name;
	char *cls;
	uint32_t items;
	uint32_t subfolders;
};

static void folder_clear(struct folder *f)
{
	free(f->path);
	free(f->name);
	free(f->cls);
	memset(f, 0, sizeof(*f));
}

static int folder_set(struct folder *f, const ps_folder_info *info)
{
	f->nid = info->nid;
	f->parent_nid = info->parent_nid;
	f->path = ps__strdup(info->path);
	f->name = ps__strdup(info->name);
	f->cls = ps__strdup(info->container_class);
	f->items = info->item_count;
	f->subfolders = info->subfolder_count;
	if (!f->path || !f->name || !f->cls)
		return ps_error_set(PS_ENOMEM, "out of memory");
	return PS_OK;
}

struct find {
	const char *want;
	struct folder *out;
	int found;
};

static int find_cb(const ps_folder_info *info, void *ctx)
{
	struct find *f = ctx;
	int rc;

	if (strcmp(info->path, f->want) != 0)
		return 0;
	rc = folder_set(f->out, info);
	if (rc != PS_OK)
		return rc;
	f->found = 1;
	return 1;
}

/*
 * Look up the folder at normalised @p path. PS_ENOTFOUND (with a message
 * naming the store) when there is none.
 */
static int find_folder(ps_store *store, const char *path, struct folder *out)
{
	struct find f;
	int rc;

	memset(out, 0, sizeof(*out));
	f.want = path;
	f.out = out;
	f.found = 0;
	rc = ps_store_walk_folders(store, find_cb, &f);
	if (rc < 0) {
		folder_clear(out);
		return rc;
	}
	if (!f.found)
		return ps_error_set(PS_ENOTFOUND, "no folder '%s' in '%s'", path, ps_store_path(store));
	return PS_OK;
}

/* The item @p nid as the contents table of @p folder_nid lists it, if it does. */
struct member {
	uint32_t nid;
	int found;
	char *cls;
	char *subject;
};

static int member_cb(const ps_item_summary *it, void *ctx)
{
	struct member *m = ctx;

	if (it->nid != m->nid)
		return 0;
	m->found = 1;
	m->cls = ps__strdup(it->message_class);
	m->subject = ps__strdup(it->subject);
	if (!m->cls || !m->subject)
		return ps_error_set(PS_ENOMEM, "out of memory");
	return 1;
}

/* 0 when item @p nid is in folder @p f; else the failure, already printed. */
static int find_item(ps_store *store, const struct folder *f, uint32_t nid, struct member *m)
{
	memset(m, 0, sizeof(*m));
	m->nid = nid;
	if (ps_store_list_items(store, f->nid, member_cb, m) < 0)
		return cli_fail_core();
	if (!m->found)
		return cli_fail("no item 0x%x in folder '%s' of '%s'", nid, f->path,
			ps_store_path(store));
	return EXIT_OK;
}

static void member_clear(struct member *m)
{
	free(m->cls);
	free(m->subject);
	memset(m, 0, sizeof(*m));
}

/* Open @p path for writing, warnings to the terminal; prints the error itself. */
static int open_for_writing(struct cli *cli, const char *path, ps_store **out)
{
	if (ps_store_open(out, path, PS_STORE_WRITE) != PS_OK)
		return cli_fail_core();
	ps_store_set_warning_cb(*out, cli_warning, cli);
	return EXIT_OK;
}

/* Commit, or print why not (the transaction is then dropped). */
static int commit(ps_store *store)
{
	if (ps_store_commit(store) != PS_OK) {
		int rc = cli_fail_core();
		ps_store_abort(store);
		return rc;
	}
	return EXIT_OK;
}

static void print_id(char *buf, size_t size, uint32_t nid)
{
	snprintf(buf, size, "0x%x", nid);
}

/* ---- pstsync create --------------------------------------------------------- */

struct count_ctx {
	json_writer *json;
	unsigned folders;
};

static int count_cb(const ps_folder_info *info, void *ctx)
{
	struct count_ctx *c = ctx;

	if (info->depth == 0)
		return 0;
	c->folders++;
	if (c->json)
		json_string(c->json, info->path);
	return 0;
}

int cmd_create(struct cli *cli, int argc, char **argv)
{
	const char *name = NULL;
	const struct option opts[] = { { "--name", NULL, &name, NULL }, { NULL, NULL, NULL, NULL } };
	struct count_ctx count = { NULL, 0 };
	ps_store *store = NULL;
	ps_store_info info;
	json_writer w;
	int rc;

	memset(&info, 0, sizeof(info));
	rc = take_options(cli, "create", &argc, argv, opts);
	if (rc != EXIT_OK)
		return rc;
	if (argc != 2)
		return cli_usage("create", argc < 2 ? "create needs the path of the new store"
			: "create takes one store");
	if (name && !name[0])
		return cli_usage("create", "the display name of '%s' is empty", argv[1]);
	if (ps_store_create(&store, argv[1], name) != PS_OK)
		return cli_fail_core();
	ps_store_set_warning_cb(store, cli_warning, cli);
	if (ps_store_get_info(store, &info) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	if (cli->json) {
		json_init(&w, stdout);
		json_begin_object(&w);
		json_kv_string(&w, "created", argv[1]);
		json_kv_string(&w, "display_name", info.display_name);
		json_kv_uint(&w, "size", info.file_size);
		json_key(&w, "folders");
		json_begin_array(&w);
		count.json = &w;
	}
	rc = ps_store_walk_folders(store, count_cb, &count);
	if (cli->json) {
		json_end_array(&w);
		json_end_object(&w);
		json_finish(&w);
	}
	if (rc < 0) {
		rc = cli_fail_core();
		goto cleanup;
	}
	if (!cli->json)
		printf("created '%s': Unicode PST \"%s\" with %u folders, %llu bytes\n",
			argv[1], info.display_name, count.folders, (unsigned long long)info.file_size);
	rc = EXIT_OK;
cleanup:
	ps_store_info_clear(&info);
	ps_store_close(store);
	return rc;
}

/* ---- pstsync mkdir ---------------------------------------------------------- */

static void print_made(struct cli *cli, const char *store_path, char **paths, const uint32_t *nids,
	size_t count, const char *cls)
{
	size_t i;

	if (cli->json) {
		json_writer w;
		json_init(&w, stdout);
		json_begin_object(&w);
		json_key(&w, "created");
		json_begin_array(&w);
		for (i = 0; i < count; i++) {
			char id[16];
			print_id(id, sizeof(id), nids[i]);
			json_begin_object(&w);
			json_kv_string(&w, "path", paths[i]);
			json_kv_string(&w, "class", cls);
			json_kv_string(&w, "id", id);
			json_end_object(&w);
		}
		json_end_array(&w);
		json_kv_string(&w, "store", store_path);
		json_end_object(&w);
		json_finish(&w);
		return;
	}
	for (i = 0; i < count; i++)
		printf("created folder '%s' (%s, id 0x%x) in '%s'\n", paths[i], cls, nids[i],
			store_path);
}

int cmd_mkdir(struct cli *cli, int argc, char **argv)
{
	const char *cls = NULL;
	int parents = 0;
	const struct option opts[] = {
		{ "--class", NULL, &cls, NULL },
		{ "--parents", "-p", NULL, &parents },
		{ NULL, NULL, NULL, NULL }
	};
	char *store_path = NULL, *folder_arg = NULL, *path = NULL, *new_cls = NULL;
	/* chain[0] is the folder asked for, each next one its parent, up to
	 * chain[missing], the nearest one that exists */
	char **chain = NULL;
	uint32_t *nids = NULL;
	size_t missing = 0, made = 0, slots = 0, i;
	struct folder existing;
	ps_store *store = NULL;
	uint32_t nid, parent_nid;
	int has_nid, rc, in_tx = 0;

	memset(&existing, 0, sizeof(existing));
	rc = take_options(cli, "mkdir", &argc, argv, opts);
	if (rc != EXIT_OK)
		return rc;
	if (argc != 2)
		return cli_usage("mkdir", "mkdir takes one folder, STORE:/PATH");
	if (cls && !cls[0])
		return cli_usage("mkdir", "the class given with --class is empty");
	if (ps_location_parse(argv[1], &store_path, &folder_arg, &nid, &has_nid) != PS_OK)
		return cli_usage("mkdir", "%s", ps_error_last());
	if (!folder_arg || has_nid) {
		rc = cli_usage("mkdir", "'%s' names no folder: write STORE:/PATH", argv[1]);
		goto cleanup;
	}
	path = normalize_path(folder_arg);
	slots = path ? strlen(path) + 1 : 0;
	chain = calloc(slots, sizeof(*chain));
	nids = calloc(slots, sizeof(*nids));
	if (!path || !chain || !nids) {
		rc = cli_fail("out of memory");
		goto cleanup;
	}
	if (strcmp(path, "/") == 0) {
		rc = cli_fail("cannot create '/' in '%s': it is the top of the store", store_path);
		goto cleanup;
	}
	rc = open_for_writing(cli, store_path, &store);
	if (rc != EXIT_OK)
		goto cleanup;
	chain[0] = ps__strdup(path);
	for (;;) {
		int st;

		if (!chain[missing]) {
			rc = cli_fail("out of memory");
			goto cleanup;
		}
		st = find_folder(store, chain[missing], &existing);
		if (st == PS_OK)
			break;
		if (st != PS_ENOTFOUND) {
			rc = cli_fail_core();
			goto cleanup;
		}
		if (missing == 1 && !parents) {
			rc = cli_fail("cannot create '%s' in '%s': no folder '%s' (-p creates it too)",
				path, store_path, chain[1]);
			goto cleanup;
		}
		missing++;
		chain[missing] = parent_path(chain[missing - 1]);
	}
	if (missing == 0) {
		if (!parents) {
			rc = cli_fail("cannot create '%s' in '%s': the folder exists", path, store_path);
		} else {
			if (!cli->json)
				printf("folder '%s' exists in '%s' already\n", path, store_path);
			else
				print_made(cli, store_path, NULL, NULL, 0, "");
			rc = EXIT_OK;
		}
		goto cleanup;
	}
	/* Outlook's default: a new folder holds what its parent holds */
	new_cls = ps__strdup(cls ? cls : existing.cls[0] ? existing.cls : "IPF.Note");
	if (!new_cls) {
		rc = cli_fail("out of memory");
		goto cleanup;
	}
	if (ps_store_begin(store) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	in_tx = 1;
	parent_nid = existing.nid;
	for (i = missing; i-- > 0;) {
		char *name = leaf_name(chain[i]);
		int st;

		if (!name) {
			rc = cli_fail("out of memory");
			goto cleanup;
		}
		if (!name[0]) {
			free(name);
			rc = cli_fail("cannot create '%s' in '%s': a folder name is empty", path,
				store_path);
			goto cleanup;
		}
		st = ps_store_create_folder(store, parent_nid, name, new_cls, &parent_nid);
		free(name);
		if (st != PS_OK) {
			rc = cli_fail_core();
			goto cleanup;
		}
		nids[i] = parent_nid;
		made++;
	}
	in_tx = 0;
	rc = commit(store);
	if (rc != EXIT_OK)
		goto cleanup;
	/* parents first, as they were made */
	for (i = 0; i < missing / 2; i++) {
		char *p = chain[i];
		uint32_t n = nids[i];
		chain[i] = chain[missing - 1 - i];
		chain[missing - 1 - i] = p;
		nids[i] = nids[missing - 1 - i];
		nids[missing - 1 - i] = n;
	}
	print_made(cli, store_path, chain, nids, made, new_cls);
cleanup:
	if (in_tx)
		ps_store_abort(store);
	for (i = 0; chain && i < slots; i++)
		free(chain[i]);
	free(chain);
	free(nids);
	free(new_cls);
	folder_clear(&existing);
	ps_store_close(store);
	free(path);
	free(store_path);
	free(folder_arg);
	return rc;
}

/* ---- pstsync copy ----------------------------------------------------------- */

/* One folder of a copy: where it comes from, where it goes, its items. */
struct plan_folder {
	struct folder src;
	char *dst_path;
	uint32_t dst_nid;
	uint32_t *items;
	size_t item_count, item_cap;
	uint8_t *later;         /* per item: the pass that writes it (struct copy_refs) */
};

struct plan {
	struct plan_folder *folders;
	size_t count, cap;
	const char *root;       /* the source folder copied */
	int recursive;
};

static int plan_cb(const ps_folder_info *info, void *ctx)
{
	struct plan *p = ctx;
	size_t rlen = strlen(p->root);
	struct plan_folder *f;

	if (strcmp(info->path, p->root) != 0) {
		if (!p->recursive)
			return 0;
		/* below the root: "/A/..." for root "/A", anything for root "/" */
		if (strcmp(p->root, "/") != 0
		    && (strncmp(info->path, p->root, rlen) != 0 || info->path[rlen] != '/'))
			return 0;
	}
	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct plan_folder *grown = realloc(p->folders, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		p->folders = grown;
		p->cap = cap;
	}
	f = &p->folders[p->count++];
	memset(f, 0, sizeof(*f));
	return folder_set(&f->src, info);
}

static int item_list_cb(const ps_item_summary *it, void *ctx)
{
	struct plan_folder *f = ctx;

	if (f->item_count == f->item_cap) {
		size_t cap = f->item_cap ? f->item_cap * 2 : 64;
		uint32_t *grown = realloc(f->items, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		f->items = grown;
		f->item_cap = cap;
	}
	f->items[f->item_count++] = it->nid;
	return 0;
}

static void plan_clear(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->count; i++) {
		folder_clear(&p->folders[i].src);
		free(p->folders[i].dst_path);
		free(p->folders[i].items);
		free(p->folders[i].later);
	}
	free(p->folders);
	memset(p, 0, sizeof(*p));
}

static uint64_t propset_bytes(const ps_propset *set)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < set->count; i++)
		n += set->props[i].size;
	return n;
}

/* The bytes of property values an item holds, attachments and embedded messages included. */
static uint64_t item_bytes(const ps_item *item)
{
	uint64_t n = propset_bytes(&item->props);
	size_t i;

	for (i = 0; i < item->recipient_count; i++)
		n += propset_bytes(&item->recipients[i]);
	for (i = 0; i < item->attachment_count; i++) {
		n += propset_bytes(&item->attachments[i].props);
		if (item->attachments[i].embedded)
			n += item_bytes(item->attachments[i].embedded);
	}
	return n;
}

/* 1 when two paths name the same file (so that a copy inside one store reads what it writes). */
static int same_file(const char *a, const char *b)
{
	char *fa = NULL, *fb = NULL;
	int same = 0;

	if (ps_path_absolute(a, &fa) == PS_OK && ps_path_absolute(b, &fb) == PS_OK) {
#ifdef _WIN32
		const char *x = fa, *y = fb;
		same = 1;
		for (; *x || *y; x++, y++)
			if (tolower((unsigned char)*x) != tolower((unsigned char)*y)) {
				same = 0;
				break;
			}
#else
		same = strcmp(fa, fb) == 0;
#endif
	}
	ps_error_clear();
	free(fa);
	free(fb);
	return same;
}

/* Whether folder @p folder_nid of @p store has a hidden item of the class
 * and subject of @p item (a view of the same name, the same settings). */
struct assoc_find {
	char *cls, *subject;
	int found;
};

static int assoc_find_cb(const ps_item_summary *it, void *ctx)
{
	struct assoc_find *a = ctx;

	if (strcmp(it->message_class, a->cls ? a->cls : "") == 0 &&
	    strcmp(it->subject, a->subject ? a->subject : "") == 0)
		a->found = 1;
	return 0;
}

static int assoc_present(ps_store *store, uint32_t folder_nid, ps_item *item)
{
	struct assoc_find a;

	a.cls = ps_item_text(item, "PidTagMessageClass");
	a.subject = ps_item_text(item, "PidTagSubject");
	if (a.subject && a.subject[0] == 0x01 && a.subject[1])
		memmove(a.subject, a.subject + 2, strlen(a.subject + 2) + 1);
	if (!a.subject)
		a.subject = ps_item_text(item, "PidTagDisplayName");
	a.found = 0;
	if (ps_store_list_assoc_items(store, folder_nid, assoc_find_cb, &a) < 0)
		ps_error_clear();
	free(a.cls);
	free(a.subject);
	return a.found;
}

struct copy_stats {
	unsigned long folders, items, skipped, damaged;
	unsigned long hidden;   /* folder-associated items copied (not in items) */
	uint64_t bytes;
};

/* Warnings of the destination while an item is written name the source item:
 * the writer knows only the copy's new NID. */
struct copy_warn {
	struct cli *cli;
	const char *src_store;
	const char *folder;     /* the source folder of the item being written, or NULL */
	uint32_t nid;
};

static void copy_warning(const char *message, void *ctx)
{
	struct copy_warn *w = ctx;
	char msg[1400];

	if (!w->folder) {
		cli_warning(message, w->cli);
		return;
	}
	snprintf(msg, sizeof(msg), "copying item 0x%x of '%s' from '%s': %s", w->nid, w->folder,
		w->src_store, message);
	cli_warning(msg, w->cli);
}

static void print_copy_summary(struct cli *cli, const char *src, const char *dst,
	const struct copy_stats *s, double secs, int complete)
{
	double rate = secs > 0 ? (double)s->items / secs : 0;

	if (cli->json) {
		json_writer w;
		json_init(&w, stdout);
		json_begin_object(&w);
		json_key(&w, "copied");
		json_begin_object(&w);
		json_kv_uint(&w, "folders", s->folders);
		json_kv_uint(&w, "items", s->items);
		json_kv_uint(&w, "hidden", s->hidden);
		json_kv_uint(&w, "skipped", s->skipped);
		json_kv_uint(&w, "damaged", s->damaged);
		json_kv_uint(&w, "bytes", s->bytes);
		json_end_object(&w);
		json_kv_uint(&w, "warnings", cli->warnings);
		json_kv_string(&w, "from", src);
		json_kv_string(&w, "to", dst);
		json_kv_bool(&w, "complete", complete);
		json_key(&w, "seconds");
		json_double(&w, floor(secs * 1000 + 0.5) / 1000);
		json_key(&w, "items_per_second");
		json_double(&w, floor(rate * 10 + 0.5) / 10);
		json_end_object(&w);
		json_finish(&w);
		return;
	}
	printf("%s %lu item%s (%.1f MB) and created %lu folder%s, from '%s' to '%s'\n",
		complete ? "copied" : "stopped after copying", s->items, s->items == 1 ? "" : "s",
		(double)s->bytes / 1e6, s->folders, s->folders == 1 ? "" : "s", src, dst);
	if (s->hidden)
		printf("with %lu hidden item%s (views, folder settings)\n", s->hidden,
			s->hidden == 1 ? "" : "s");
	printf("%.2f s, %.0f items/s", secs, rate);
	if (s->skipped)
		printf("; %lu unreadable item%s skipped", s->skipped, s->skipped == 1 ? "" : "s");
	if (s->damaged)
		printf("; %lu item%s copied with damaged parts left out", s->damaged,
			s->damaged == 1 ? "" : "s");
	if (cli->warnings)
		printf("; %u warning%s", cli->warnings, cli->warnings == 1 ? "" : "s");
	putchar('\n');
}

/*
 * The destination folder of each planned folder: the first is @p dst_path
 * (created below its parent when missing), the others are made below the
 * destination of their source parent, or found there when they exist.
 */
static int make_folders(struct cli *cli, ps_store *dst, struct plan *p, const char *dst_path,
	const char *src_store, struct copy_stats *stats)
{
	struct folder top;
	size_t i, j;
	int rc;

	rc = find_folder(dst, dst_path, &top);
	if (rc == PS_OK) {
		p->folders[0].dst_nid = top.nid;
		folder_clear(&top);
	} else if (rc == PS_ENOTFOUND) {
		struct folder parent;
		char *ppath = parent_path(dst_path), *name = leaf_name(dst_path);
		if (!ppath || !name) {
			free(ppath);
			free(name);
			return ps_error_set(PS_ENOMEM, "out of memory");
		}
		rc = find_folder(dst, ppath, &parent);
		if (rc == PS_OK) {
			rc = ps_store_create_folder(dst, parent.nid, name, p->folders[0].src.cls,
				&p->folders[0].dst_nid);
			if (rc == PS_OK)
				stats->folders++;
			folder_clear(&parent);
		} else if (rc == PS_ENOTFOUND) {
			rc = ps_error_set(PS_ENOTFOUND, "no folder '%s' in '%s' to copy into",
				ppath, ps_store_path(dst));
		}
		free(ppath);
		free(name);
		if (rc != PS_OK)
			return rc;
	} else {
		return rc;
	}
	p->folders[0].dst_path = ps__strdup(dst_path);
	if (!p->folders[0].dst_path)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 1; i < p->count; i++) {
		struct plan_folder *f = &p->folders[i], *parent = NULL;
		char *escaped;

		for (j = 0; j < i; j++)
			if (p->folders[j].src.nid == f->src.parent_nid)
				parent = &p->folders[j];
		if (!parent || !parent->dst_nid) {
			/* its parent was not copied (a damaged walk): say so and leave it */
			char msg[1200];
			snprintf(msg, sizeof(msg), "folder '%s' of '%s' is not copied: its parent "
				"could not be read", f->src.path, src_store);
			cli_warning(msg, cli);
			continue;
		}
		escaped = escape_name(f->src.name);
		f->dst_path = escaped ? join_path(parent->dst_path, escaped) : NULL;
		free(escaped);
		if (!f->dst_path)
			return ps_error_set(PS_ENOMEM, "out of memory");
		rc = ps_store_create_folder(dst, parent->dst_nid, f->src.name, f->src.cls, &f->dst_nid);
		if (rc == PS_OK) {
			stats->folders++;
		} else if (rc == PS_EEXISTS && f->dst_nid) {
			ps_error_clear();   /* filled, not duplicated */
		} else {
			return rc;
		}
	}
	return PS_OK;
}

/*
 * Entry IDs of items that a copied item holds (a list's members, the
 * contacts an item is linked to: pstsync/item_refs.h). Such items are
 * written after all others (contacts, then other items, then lists, as they
 * name each other in that order), and each entry ID naming an item copied
 * before it by the same copy is made to name the copy. An item that names
 * one written after it (a contact its birthday appointment, two items each
 * other) is read back and written again at the end, when all are there.
 */
#define COPY_PASSES 4
struct copy_refs {
	uint32_t (*map)[2];      /* source NID, new NID; sorted before each pass */
	size_t n, cap;
	uint8_t key[2][16];      /* record keys of source and destination */
	int keys;                /* both known */
	uint32_t *later;         /* the source NIDs of passes 1-3, sorted */
	size_t nlater;
	unsigned pending;        /* entries naming one of those not written yet */
	uint32_t (*fix)[2];      /* destination folder and NID of items to make right */
	size_t nfix;
};

static int copy_refs_add(struct copy_refs *r, uint32_t src, uint32_t dst)
{
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 256;
		void *g = realloc(r->map, ncap * sizeof(*r->map));
		if (!g)
			return ps_error_set(PS_ENOMEM, "out of memory");
		r->map = g;
		r->cap = ncap;
	}
	r->map[r->n][0] = src;
	r->map[r->n][1] = dst;
	r->n++;
	return PS_OK;
}

static int map_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t copy_refs_find(void *ctx, uint32_t nid)
{
	struct copy_refs *r = ctx;
	const uint32_t (*e)[2] = r->n ? bsearch(&nid, r->map, r->n, sizeof(*r->map), map_cmp) : NULL;

	if (!e && r->nlater && bsearch(&nid, r->later, r->nlater, sizeof(*r->later), map_cmp))
		r->pending++;   /* written later in this copy (or earlier in this pass) */
	return e ? (*e)[1] : 0;
}

/* The source NIDs that passes 1-3 write, sorted (after pass 0). */
static int copy_refs_later(struct copy_refs *r, const struct plan *plan)
{
	size_t i, j, n = 0;

	for (i = 0; i < plan->count; i++)
		for (j = 0; plan->folders[i].later && j < plan->folders[i].item_count; j++)
			n += plan->folders[i].later[j] != 0;
	if (!n)
		return PS_OK;
	if (!(r->later = malloc(n * sizeof(*r->later))))
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; i < plan->count; i++)
		for (j = 0; plan->folders[i].later && j < plan->folders[i].item_count; j++)
			if (plan->folders[i].later[j])
				r->later[r->nlater++] = plan->folders[i].items[j];
	qsort(r->later, r->nlater, sizeof(*r->later), map_cmp);
	return PS_OK;
}

static int copy_refs_fix_add(struct copy_refs *r, uint32_t folder, uint32_t nid)
{
	uint32_t (*g)[2] = realloc(r->fix, (r->nfix + 1) * sizeof(*r->fix));

	if (!g)
		return ps_error_set(PS_ENOMEM, "out of memory");
	r->fix = g;
	r->fix[r->nfix][0] = folder;
	r->fix[r->nfix][1] = nid;
	r->nfix++;
	return PS_OK;
}

/* The items that named one written after them: read back, translated with
 * everything copied, written again in place; one transaction. */
static int copy_refs_fixup(struct copy_refs *r, ps_store *dst)
{
	size_t i;
	int rc;

	if (!r->nfix)
		return PS_OK;
	qsort(r->map, r->n, sizeof(*r->map), map_cmp);
	r->nlater = 0;
	if ((rc = ps_store_begin(dst)) < 0)
		return rc;
	for (i = 0; i < r->nfix; i++) {
		ps_item *item = NULL;
		unsigned changed = 0;
		uint32_t dummy;
		rc = ps_store_read_item(dst, r->fix[i][1], &item);
		if (rc == PS_OK) {
			(void)ps_item_refs_translate(item, r->key[0], r->key[1], copy_refs_find, r, &changed);
			if (changed)
				rc = ps_store_put_item(dst, r->fix[i][0], item, r->fix[i][1], &dummy);
		}
		ps_item_free(item);
		if (rc == PS_EITEM || rc == PS_ENOTFOUND) {
			ps_error_clear();   /* that item alone: it names the source's */
			rc = PS_OK;
		}
		if (rc < 0) {
			ps_store_abort(dst);
			return rc;
		}
	}
	return ps_store_commit(dst);
}

/* The pass that writes an item holding entry IDs: 1 contacts, 2 other
 * items, 3 lists. */
static int copy_pass(ps_item *item)
{
	char *cls = ps_item_text(item, "PidTagMessageClass");
	int pass = 2;

	if (cls && ps_item_class_is(cls, "IPM.Contact"))
		pass = 1;
	else if (cls && ps_item_class_is(cls, "IPM.DistList"))
		pass = 3;
	free(cls);
	return pass;
}

static void copy_refs_keys(struct copy_refs *r, ps_store *src, ps_store *dst)
{
	ps_store_info info[2];
	int k;

	memset(info, 0, sizeof(info));
	r->keys = ps_store_get_info(src, &info[0]) == PS_OK && info[0].has_record_key &&
		ps_store_get_info(dst, &info[1]) == PS_OK && info[1].has_record_key;
	for (k = 0; k < 2; k++) {
		if (r->keys)
			memcpy(r->key[k], info[k].record_key, 16);
		ps_store_info_clear(&info[k]);
	}
	ps_error_clear();
}

int cmd_copy(struct cli *cli, int argc, char **argv)
{
	int recursive = 0;
	const struct option opts[] = {
		{ "--recursive", "-r", NULL, &recursive },
		{ NULL, NULL, NULL, NULL }
	};
	char *src_store = NULL, *src_arg = NULL, *dst_store = NULL, *dst_arg = NULL;
	char *src_path = NULL, *dst_path = NULL;
	uint32_t src_nid = 0, dummy;
	int src_has_nid = 0, dst_has_nid = 0, rc, in_tx = 0, complete = 0;
	ps_store *src = NULL, *dst = NULL, *reader;
	struct plan plan;
	struct copy_stats stats;
	size_t i, j, total = 0, done = 0, in_batch = 0;
	struct copy_stats kept;   /* what the commits so far made durable */
	struct copy_warn cw;
	struct copy_refs refs;
	uint64_t start = 0;
	int pass;

	memset(&plan, 0, sizeof(plan));
	memset(&refs, 0, sizeof(refs));
	memset(&stats, 0, sizeof(stats));
	memset(&kept, 0, sizeof(kept));
	rc = take_options(cli, "copy", &argc, argv, opts);
	if (rc != EXIT_OK)
		return rc;
	if (argc != 3)
		return cli_usage("copy", "copy takes a source, SRC:/PATH or SRC:/PATH#ID, and a "
			"destination folder, DST:/PATH");
	if (ps_location_parse(argv[1], &src_store, &src_arg, &src_nid, &src_has_nid) != PS_OK
	    || ps_location_parse(argv[2], &dst_store, &dst_arg, &dummy, &dst_has_nid) != PS_OK) {
		rc = cli_usage("copy", "%s", ps_error_last());
		goto cleanup;
	}
	if (!src_arg) {
		rc = cli_usage("copy", "'%s' names no folder: write SRC:/PATH, or SRC:/ for the "
			"top of the store", argv[1]);
		goto cleanup;
	}
	if (!dst_arg || dst_has_nid) {
		rc = cli_usage("copy", "'%s' names no folder: write DST:/PATH", argv[2]);
		goto cleanup;
	}
	if (src_has_nid && recursive) {
		rc = cli_usage("copy", "--recursive copies folders; '%s' is one item", argv[1]);
		goto cleanup;
	}
	src_path = normalize_path(src_arg);
	dst_path = normalize_path(dst_arg);
	if (!src_path || !dst_path) {
		rc = cli_fail("out of memory");
		goto cleanup;
	}
	start = ps_clock_ns();
	/* the destination first: a store we cannot write is the likelier failure */
	rc = open_for_writing(cli, dst_store, &dst);
	if (rc != EXIT_OK)
		goto cleanup;
	cw.cli = cli;
	cw.src_store = src_store;
	cw.folder = NULL;
	cw.nid = 0;
	ps_store_set_warning_cb(dst, copy_warning, &cw);
	if (same_file(src_store, dst_store)) {
		reader = dst;
	} else {
		rc = cli_open_store(cli, src_store, &src);
		if (rc != EXIT_OK)
			goto cleanup;
		reader = src;
	}
	/* the whole plan before the first write, so that a copy into its own
	 * subtree copies what was there, once */
	plan.root = src_path;
	plan.recursive = recursive;
	rc = ps_store_walk_folders(reader, plan_cb, &plan);
	if (rc < 0) {
		rc = cli_fail_core();
		goto cleanup;
	}
	if (plan.count == 0 || strcmp(plan.folders[0].src.path, src_path) != 0) {
		rc = cli_fail("no folder '%s' in '%s'", src_path, src_store);
		goto cleanup;
	}
	if (src_has_nid) {
		struct member m;
		rc = find_item(reader, &plan.folders[0].src, src_nid, &m);
		member_clear(&m);
		if (rc != EXIT_OK)
			goto cleanup;
		plan.folders[0].items = malloc(sizeof(uint32_t));
		if (!plan.folders[0].items) {
			rc = cli_fail("out of memory");
			goto cleanup;
		}
		plan.folders[0].items[0] = src_nid;
		plan.folders[0].item_count = 1;
		total = 1;
	} else {
		for (i = 0; i < plan.count; i++) {
			cli_progress(cli, "listing '%s'", plan.folders[i].src.path);
			if (ps_store_list_items(reader, plan.folders[i].src.nid, item_list_cb,
			    &plan.folders[i]) < 0) {
				/* a folder whose table cannot be read: its items are skipped */
				cli_warning(ps_error_last(), cli);
				stats.skipped += plan.folders[i].src.items;
			}
			/* a whole folder goes with its hidden items: views, its settings */
			if (recursive && ps_store_list_assoc_items(reader, plan.folders[i].src.nid,
			    item_list_cb, &plan.folders[i]) < 0)
				cli_warning(ps_error_last(), cli);
			total += plan.folders[i].item_count;
		}
	}
	if (ps_store_begin(dst) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	in_tx = 1;
	if (src_has_nid) {
		struct folder f;
		if (find_folder(dst, dst_path, &f) != PS_OK) {
			rc = cli_fail_core();
			goto cleanup;
		}
		plan.folders[0].dst_nid = f.nid;
		plan.folders[0].dst_path = f.path;
		f.path = NULL;
		folder_clear(&f);
	} else if (make_folders(cli, dst, &plan, dst_path, src_store, &stats) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	copy_refs_keys(&refs, reader, dst);
	/* passes 1-3: the items that name others (see struct copy_refs) */
	for (pass = 0; pass < COPY_PASSES; pass++) {
		if (pass > 0 && refs.n)
			qsort(refs.map, refs.n, sizeof(*refs.map), map_cmp);
		if (pass == 1 && copy_refs_later(&refs, &plan) < 0) {
			rc = cli_fail_core();
			goto cleanup;
		}
		for (i = 0; i < plan.count; i++) {
			struct plan_folder *f = &plan.folders[i];

			if (!f->dst_nid)
				continue;
			for (j = 0; j < f->item_count; j++) {
				ps_item *item = NULL;
				uint32_t new_nid = 0;
				int st;

				if (pass > 0 && !(f->later && f->later[j] == pass))
					continue;
				if (done % 16 == 0)
					cli_progress(cli, "copying %lu of %lu items: %s",
						(unsigned long)done + 1, (unsigned long)total, f->src.path);
				done++;
				st = ps_store_read_item(reader, f->items[j], &item);
				if (st != PS_OK) {
					char msg[1200];
					snprintf(msg, sizeof(msg), "cannot read item 0x%x in '%s' of '%s', skipped: %s",
						f->items[j], f->src.path, src_store, ps_error_last());
					cli_warning(msg, cli);
					stats.skipped++;
					ps_item_free(item);
					continue;
				}
				if (item->damaged) {
					char msg[1200];
					snprintf(msg, sizeof(msg), "item 0x%x in '%s' of '%s': %u damaged part%s "
						"left out of the copy", f->items[j], f->src.path, src_store,
						item->damaged, item->damaged == 1 ? "" : "s");
					cli_warning(msg, cli);
					stats.damaged++;
				}
				if (item->assoc && assoc_present(dst, f->dst_nid, item)) {
					/* the target folder has its own view or settings of this kind */
					ps_item_free(item);
					continue;
				}
				if (pass == 0 && refs.keys && ps_item_refs_has(item)) {
					if (!f->later && !(f->later = calloc(f->item_count, 1))) {
						ps_item_free(item);
						rc = cli_fail("out of memory");
						goto cleanup;
					}
					f->later[j] = (uint8_t)copy_pass(item);
					done--;
					ps_item_free(item);
					continue;
				}
				refs.pending = 0;
				if (pass > 0)
					(void)ps_item_refs_translate(item, refs.key[0], refs.key[1], copy_refs_find,
						&refs, NULL);
				cw.folder = f->src.path;
				cw.nid = f->items[j];
				st = ps_store_put_item(dst, f->dst_nid, item, 0, &new_nid);
				cw.folder = NULL;
				if (st == PS_OK && item->assoc) {
					stats.hidden++;
					stats.bytes += item_bytes(item);
				} else if (st == PS_OK) {
					stats.items++;
					stats.bytes += item_bytes(item);
				}
				ps_item_free(item);
				if (st == PS_OK && new_nid && (copy_refs_add(&refs, f->items[j], new_nid) < 0 ||
				    (refs.pending && copy_refs_fix_add(&refs, f->dst_nid, new_nid) < 0))) {
					rc = cli_fail_core();
					goto cleanup;
				}
				if (st == PS_EITEM) {
					/* the writer refused this one item and changed nothing: go on */
					char msg[1200];
					snprintf(msg, sizeof(msg), "cannot copy item 0x%x of '%s' into '%s', "
						"skipped: %s", f->items[j], f->src.path, dst_store, ps_error_last());
					cli_warning(msg, cli);
					stats.skipped++;
					continue;
				}
				if (st != PS_OK) {
					rc = cli_fail_core();
					goto cleanup;
				}
				if (++in_batch >= COPY_BATCH) {
					in_tx = 0;
					rc = commit(dst);
					if (rc != EXIT_OK)
						goto cleanup;
					kept = stats;
					in_batch = 0;
					if (ps_store_begin(dst) != PS_OK) {
						rc = cli_fail_core();
						goto cleanup;
					}
					in_tx = 1;
				}
			}
		}
	}
	in_tx = 0;
	rc = commit(dst);
	if (rc != EXIT_OK)
		goto cleanup;
	kept = stats;
	if (copy_refs_fixup(&refs, dst) < 0) {
		rc = cli_fail_core();
		goto cleanup;
	}
	complete = 1;
	rc = stats.skipped ? EXIT_FAIL : EXIT_OK;
cleanup:
	/* an open batch is dropped; what earlier batches wrote stays */
	if (in_tx)
		ps_store_abort(dst);
	cli_progress_done(cli);
	if (complete || kept.items)
		print_copy_summary(cli, argv[1], argv[2], &kept,
			(double)(ps_clock_ns() - start) / 1e9, complete);
	plan_clear(&plan);
	free(refs.map);
	free(refs.later);
	free(refs.fix);
	ps_store_close(src);
	ps_store_close(dst);
	free(src_store);
	free(src_arg);
	free(dst_store);
	free(dst_arg);
	free(src_path);
	free(dst_path);
	return rc;
}

/* ---- pstsync set ------------------------------------------------------------ */

/*
 * The NAME=VALUE arguments argv[0..argc), checked and encoded by the core
 * (ps_prop_settings_parse(), src/core/prop_values.c) before a store is
 * opened: EXIT_USAGE for an argument that is no NAME=VALUE, EXIT_FAIL for
 * an unknown name or a bad value, each with its message.
 */
static int parse_settings(const char *cmd, const char *store_path, int argc, char **argv,
	ps_prop_setting **out, size_t *count)
{
	int a;

	*out = NULL;
	*count = 0;
	for (a = 0; a < argc; a++)
		if (argv[a][0] == '=' || !strchr(argv[a], '='))
			return cli_usage(cmd, "'%s' is not NAME=VALUE", argv[a]);
	if (ps_prop_settings_parse(out, count, argc, (const char *const *)argv, store_path) != PS_OK)
		return cli_fail_core();
	return EXIT_OK;
}

/* The JSON list of the names of @p settings. */
static void json_setting_names(json_writer *w, const ps_prop_setting *settings, size_t count)
{
	size_t k;

	json_key(w, "properties");
	json_begin_array(w);
	for (k = 0; k < count; k++)
		json_string(w, settings[k].def->name);
	json_end_array(w);
}

/* The settings into one recipient's row (no bodies or subject there). */
static int set_recipient(ps_propset *row, ps_prop_setting *settings, size_t count)
{
	size_t k;
	int st = PS_OK;

	for (k = 0; k < count && st == PS_OK; k++) {
		st = ps_propset_put(row, settings[k].def, settings[k].type, settings[k].data,
			settings[k].size);
		settings[k].data = NULL;
	}
	return st;
}

int cmd_set(struct cli *cli, int argc, char **argv)
{
	char *store_path = NULL, *folder_arg = NULL, *path = NULL;
	ps_prop_setting *settings = NULL;
	size_t nsettings = 0, k;
	struct folder folder;
	struct member m;
	ps_store *store = NULL;
	ps_store_info info;
	ps_item *item = NULL;
	uint32_t nid = 0, out_nid = 0;
	int has_nid = 0, rc;
	const char *rcpt_arg = NULL;
	const struct option opts[] = {
		{ "--recipient", NULL, &rcpt_arg, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	unsigned long rcpt = 0;

	memset(&folder, 0, sizeof(folder));
	memset(&m, 0, sizeof(m));
	memset(&info, 0, sizeof(info));
	rc = take_options(cli, "set", &argc, argv, opts);
	if (rc != EXIT_OK)
		return rc;
	if (rcpt_arg) {
		char *end;
		rcpt = strtoul(rcpt_arg, &end, 10);
		if (!*rcpt_arg || *end || rcpt == 0 || rcpt > 100000)
			return cli_usage("set", "--recipient takes the number of a recipient, 1 for the "
				"first, as 'pstsync show' counts them; not '%s'", rcpt_arg);
	}
	if (argc < 3)
		return cli_usage("set", "set takes an item, STORE:/PATH#ID, and one or more NAME=VALUE");
	if (ps_location_parse(argv[1], &store_path, &folder_arg, &nid, &has_nid) != PS_OK)
		return cli_usage("set", "%s", ps_error_last());
	if (!has_nid || !folder_arg) {
		rc = cli_usage("set", "'%s' names no item: write STORE:/PATH#ID, with the id "
			"that 'pstsync ls STORE:/PATH' prints", argv[1]);
		goto cleanup;
	}
	path = normalize_path(folder_arg);
	if (!path) {
		rc = cli_fail("out of memory");
		goto cleanup;
	}
	rc = parse_settings("set", store_path, argc - 2, argv + 2, &settings, &nsettings);
	if (rc != EXIT_OK)
		goto cleanup;
	rc = open_for_writing(cli, store_path, &store);
	if (rc != EXIT_OK)
		goto cleanup;
	if (find_folder(store, path, &folder) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	rc = find_item(store, &folder, nid, &m);
	if (rc != EXIT_OK)
		goto cleanup;
	if (ps_store_get_info(store, &info) != PS_OK || ps_store_read_item(store, nid, &item) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	if (rcpt > item->recipient_count) {
		rc = cli_fail("item 0x%x in '%s' of '%s' has %zu recipient%s, no recipient %lu", nid,
			folder.path, store_path, item->recipient_count, item->recipient_count == 1 ? "" : "s",
			rcpt);
		goto cleanup;
	}
	if ((rcpt ? set_recipient(&item->recipients[rcpt - 1], settings, nsettings) :
	    ps_prop_settings_apply(item, settings, nsettings)) != PS_OK
	    || ps_item_mark_changed(item, info.has_record_key ? info.record_key : (const uint8_t *)
	    "pstsync change!!") != PS_OK
	    || ps_store_put_item(store, folder.nid, item, nid, &out_nid) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	if (cli->json) {
		json_writer w;
		char id[16];
		print_id(id, sizeof(id), nid);
		json_init(&w, stdout);
		json_begin_object(&w);
		json_key(&w, "set");
		json_begin_object(&w);
		json_kv_string(&w, "id", id);
		json_kv_string(&w, "folder", folder.path);
		if (rcpt)
			json_kv_uint(&w, "recipient", rcpt);
		json_setting_names(&w, settings, nsettings);
		json_end_object(&w);
		json_kv_string(&w, "store", store_path);
		json_end_object(&w);
		json_finish(&w);
	} else {
		printf("set ");
		for (k = 0; k < nsettings; k++)
			printf("%s%s", k ? ", " : "", settings[k].def->name);
		if (rcpt)
			printf(" of recipient %lu", rcpt);
		printf(" of item 0x%x (%s \"%s\") in '%s' of '%s'\n", nid,
			m.cls[0] ? m.cls : "no class", m.subject, folder.path, store_path);
	}
	rc = EXIT_OK;
cleanup:
	ps_prop_settings_free(settings, nsettings);
	ps_item_free(item);
	ps_store_info_clear(&info);
	member_clear(&m);
	folder_clear(&folder);
	ps_store_close(store);
	free(path);
	free(store_path);
	free(folder_arg);
	return rc;
}

/* ---- pstsync add -------------------------------------------------------------- */

int cmd_add(struct cli *cli, int argc, char **argv)
{
	const char *cls_arg = NULL;
	const struct option opts[] = { { "--class", NULL, &cls_arg, NULL }, { NULL, NULL, NULL, NULL } };
	char *store_path = NULL, *folder_arg = NULL, *path = NULL, *subject = NULL;
	ps_prop_setting *settings = NULL;
	size_t nsettings = 0;
	struct folder folder;
	ps_store *store = NULL;
	ps_store_info info;
	ps_item *item = NULL;
	const char *cls;
	uint32_t nid = 0, new_nid = 0;
	int has_nid = 0, rc;
	char id[16];

	memset(&folder, 0, sizeof(folder));
	memset(&info, 0, sizeof(info));
	rc = take_options(cli, "add", &argc, argv, opts);
	if (rc != EXIT_OK)
		return rc;
	if (argc < 2)
		return cli_usage("add", "add takes a folder, STORE:/PATH, and NAME=VALUE for each property");
	if (cls_arg && (strncmp(cls_arg, "IPM", 3) != 0 || (cls_arg[3] != '\0' && cls_arg[3] != '.')))
		return cli_usage("add", "'%s' is no message class: they start with IPM., such as "
			"IPM.Contact", cls_arg);
	if (ps_location_parse(argv[1], &store_path, &folder_arg, &nid, &has_nid) != PS_OK)
		return cli_usage("add", "%s", ps_error_last());
	if (!folder_arg || has_nid) {
		rc = cli_usage("add", "'%s' names no folder: write STORE:/PATH", argv[1]);
		goto cleanup;
	}
	path = normalize_path(folder_arg);
	if (!path) {
		rc = cli_fail("out of memory");
		goto cleanup;
	}
	rc = parse_settings("add", store_path, argc - 2, argv + 2, &settings, &nsettings);
	if (rc != EXIT_OK)
		goto cleanup;
	rc = open_for_writing(cli, store_path, &store);
	if (rc != EXIT_OK)
		goto cleanup;
	if (find_folder(store, path, &folder) != PS_OK || ps_store_get_info(store, &info) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	cls = cls_arg ? cls_arg : ps_item_class_for_folder(folder.cls);
	item = calloc(1, sizeof(*item));
	if (!item) {
		rc = cli_fail("out of memory");
		goto cleanup;
	}
	if (ps_prop_settings_apply(item, settings, nsettings) != PS_OK
	    || ps_item_defaults(item, cls, info.has_record_key ? info.record_key
	       : (const uint8_t *)"pstsync change!!") != PS_OK) {
		rc = cli_fail("cannot add an item to '%s' of '%s': %s", path, store_path, ps_error_last());
		goto cleanup;
	}
	if (ps_store_put_item(store, folder.nid, item, 0, &new_nid) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	subject = ps_item_text(item, "PidTagSubject");
	print_id(id, sizeof(id), new_nid);
	if (cli->json) {
		json_writer w;
		json_init(&w, stdout);
		json_begin_object(&w);
		json_key(&w, "added");
		json_begin_object(&w);
		json_kv_string(&w, "id", id);
		json_kv_string(&w, "folder", folder.path);
		json_kv_string(&w, "class", cls);
		json_kv_string(&w, "subject", subject ? subject : "");
		json_setting_names(&w, settings, nsettings);
		json_end_object(&w);
		json_kv_string(&w, "store", store_path);
		json_end_object(&w);
		json_finish(&w);
	} else {
		printf("added item %s (%s \"%s\") to '%s' of '%s'\n", id, cls, subject ? subject : "",
			folder.path, store_path);
	}
	rc = EXIT_OK;
cleanup:
	ps_prop_settings_free(settings, nsettings);
	ps_item_free(item);
	ps_store_info_clear(&info);
	folder_clear(&folder);
	ps_store_close(store);
	free(subject);
	free(path);
	free(store_path);
	free(folder_arg);
	return rc;
}

/* ---- pstsync rm --------------------------------------------------------------- */

int cmd_rm(struct cli *cli, int argc, char **argv)
{
	char *store_path = NULL, *folder_arg = NULL, *path = NULL;
	struct folder folder;
	struct member m;
	ps_store *store = NULL;
	uint32_t nid = 0;
	int has_nid = 0, rc;
	json_writer w;
	char id[16];

	memset(&folder, 0, sizeof(folder));
	memset(&m, 0, sizeof(m));
	rc = take_options(cli, "rm", &argc, argv, NULL);
	if (rc != EXIT_OK)
		return rc;
	if (argc != 2)
		return cli_usage("rm", "rm takes one item, STORE:/PATH#ID, or one empty folder, "
			"STORE:/PATH");
	if (ps_location_parse(argv[1], &store_path, &folder_arg, &nid, &has_nid) != PS_OK)
		return cli_usage("rm", "%s", ps_error_last());
	if (!folder_arg) {
		rc = cli_usage("rm", "'%s' names no item or folder: write STORE:/PATH#ID or "
			"STORE:/PATH", argv[1]);
		goto cleanup;
	}
	path = normalize_path(folder_arg);
	if (!path) {
		rc = cli_fail("out of memory");
		goto cleanup;
	}
	if (!has_nid && strcmp(path, "/") == 0) {
		rc = cli_fail("cannot remove '/' from '%s': it is the top of the store", store_path);
		goto cleanup;
	}
	rc = open_for_writing(cli, store_path, &store);
	if (rc != EXIT_OK)
		goto cleanup;
	if (find_folder(store, path, &folder) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	if (has_nid) {
		rc = find_item(store, &folder, nid, &m);
		if (rc != EXIT_OK)
			goto cleanup;
		if (ps_store_delete_item(store, nid) != PS_OK) {
			rc = cli_fail_core();
			goto cleanup;
		}
	} else {
		if (folder.items || folder.subfolders) {
			rc = cli_fail("cannot remove folder '%s' from '%s': it holds %lu item%s and "
				"%lu subfolder%s", path, store_path, (unsigned long)folder.items,
				folder.items == 1 ? "" : "s", (unsigned long)folder.subfolders,
				folder.subfolders == 1 ? "" : "s");
			goto cleanup;
		}
		if (ps_store_delete_folder(store, folder.nid) != PS_OK) {
			rc = cli_fail_core();
			goto cleanup;
		}
	}
	print_id(id, sizeof(id), has_nid ? nid : folder.nid);
	if (cli->json) {
		json_init(&w, stdout);
		json_begin_object(&w);
		json_key(&w, "removed");
		json_begin_object(&w);
		json_kv_string(&w, "kind", has_nid ? "item" : "folder");
		json_kv_string(&w, "id", id);
		json_kv_string(&w, "folder", folder.path);
		if (has_nid) {
			json_kv_string(&w, "class", m.cls);
			json_kv_string(&w, "subject", m.subject);
		}
		json_end_object(&w);
		json_kv_string(&w, "store", store_path);
		json_end_object(&w);
		json_finish(&w);
	} else if (has_nid) {
		printf("removed item %s (%s \"%s\") from '%s' of '%s'\n", id,
			m.cls[0] ? m.cls : "no class", m.subject, folder.path, store_path);
	} else {
		printf("removed empty folder '%s' (id %s) from '%s'\n", folder.path, id, store_path);
	}
	rc = EXIT_OK;
cleanup:
	member_clear(&m);
	folder_clear(&folder);
	ps_store_close(store);
	free(path);
	free(store_path);
	free(folder_arg);
	return rc;
}

/* ---- pstsync mv ------------------------------------------------------------- */

int cmd_mv(struct cli *cli, int argc, char **argv)
{
	const struct option opts[] = { { NULL, NULL, NULL, NULL } };
	char *store_path = NULL, *folder_arg = NULL, *path = NULL, *dest = NULL, *dest_parent = NULL,
		*name = NULL, id[16];
	struct folder folder, parent;
	ps_store *store = NULL;
	uint32_t nid;
	int has_nid, st, rc;

	memset(&folder, 0, sizeof(folder));
	memset(&parent, 0, sizeof(parent));
	rc = take_options(cli, "mv", &argc, argv, opts);
	if (rc != EXIT_OK)
		return rc;
	if (argc != 3)
		return cli_usage("mv", "mv takes a folder, STORE:/PATH, and its new path, /NEWPATH");
	if (ps_location_parse(argv[1], &store_path, &folder_arg, &nid, &has_nid) != PS_OK)
		return cli_usage("mv", "%s", ps_error_last());
	if (!folder_arg || has_nid) {
		rc = cli_usage("mv", "'%s' names no folder: write STORE:/PATH", argv[1]);
		goto cleanup;
	}
	path = normalize_path(folder_arg);
	dest = normalize_path(argv[2]);
	dest_parent = dest ? parent_path(dest) : NULL;
	name = dest ? leaf_name(dest) : NULL;
	if (!path || !dest || !dest_parent || !name) {
		rc = cli_fail("out of memory");
		goto cleanup;
	}
	if (strcmp(path, "/") == 0 || strcmp(dest, "/") == 0 || !name[0]) {
		rc = cli_fail("cannot move '%s' to '%s' in '%s': the top of the store stays where it is",
			path, dest, store_path);
		goto cleanup;
	}
	rc = open_for_writing(cli, store_path, &store);
	if (rc != EXIT_OK)
		goto cleanup;
	st = find_folder(store, path, &folder);
	if (st == PS_OK)
		st = find_folder(store, dest_parent, &parent);
	if (st == PS_ENOTFOUND) {
		rc = cli_fail("cannot move '%s' to '%s' in '%s': no folder '%s'", path, dest, store_path,
			folder.path ? dest_parent : path);
		goto cleanup;
	}
	if (st != PS_OK || ps_store_begin(store) != PS_OK ||
	    ps_store_move_folder(store, folder.nid, parent.nid, name) != PS_OK) {
		rc = cli_fail_core();
		ps_store_abort(store);
		goto cleanup;
	}
	if ((rc = commit(store)) != EXIT_OK)
		goto cleanup;
	print_id(id, sizeof(id), folder.nid);
	if (cli->json) {
		json_writer w;
		json_init(&w, stdout);
		json_begin_object(&w);
		json_kv_string(&w, "moved", folder.path);
		json_kv_string(&w, "to", dest);
		json_kv_string(&w, "id", id);
		json_kv_string(&w, "store", store_path);
		json_end_object(&w);
		json_finish(&w);
	} else {
		printf("moved folder '%s' (id %s) to '%s' in '%s'\n", folder.path, id, dest, store_path);
	}
	rc = EXIT_OK;
cleanup:
	folder_clear(&folder);
	folder_clear(&parent);
	ps_store_close(store);
	free(path);
	free(dest);
	free(dest_parent);
	free(name);
	free(store_path);
	free(folder_arg);
	return rc;
}
