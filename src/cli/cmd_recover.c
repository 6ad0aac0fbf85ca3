/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * `pstsync recover`: what the syncs of a profile overwrote or deleted, from
 * its recovery store (include/pstsync/recovery.h), listed like `ls` or as
 * JSON, and put back into the stores, as new items or over the current
 * version.
 */
#include "cli/cli.h"
#include "cli/json.h"

#include "pstsync/prop_values.h"
#include "pstsync/recovery.h"
#include "pstsync/settings.h"
#include "pstsync/sync.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const side_name[2] = { "local", "global" };

/* One version, copied out of the callback. */
struct row {
	uint32_t id;
	uint64_t when;
	int64_t sync_id;
	int side, what;
	char *folder, *cls, *subject, *why;
};

struct rows {
	struct row *v;
	size_t n, cap;
	uint64_t since;
	const char *folder;
	int64_t sync_id;           /* -1: any */
};

static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

static int rows_cb(const ps_recovery_version *v, void *ctx)
{
	struct rows *rs = ctx;
	struct row *r;

	if (v->when < rs->since || (rs->folder && strcmp(v->folder, rs->folder) != 0) ||
	    (rs->sync_id >= 0 && v->sync_id != rs->sync_id))
		return 0;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct row *grown = realloc(rs->v, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		rs->v = grown;
		rs->cap = cap;
	}
	r = &rs->v[rs->n];
	memset(r, 0, sizeof(*r));
	r->id = v->id;
	r->when = v->when;
	r->sync_id = v->sync_id;
	r->side = v->side;
	r->what = v->what;
	r->folder = dup(v->folder);
	r->cls = dup(v->message_class);
	r->subject = dup(v->subject);
	r->why = dup(v->why);
	rs->n++;
	if (!r->folder || !r->cls || !r->subject || !r->why)
		return ps_error_set(PS_ENOMEM, "out of memory");
	return 0;
}

static void rows_clear(struct rows *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->v[i].folder);
		free(rs->v[i].cls);
		free(rs->v[i].subject);
		free(rs->v[i].why);
	}
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->cap = 0;
}

static int open_recovery(const ps_settings *settings, const ps_profile *p, int create, ps_recovery **out)
{
	char *proto = NULL, *path = NULL;
	int rc;

	*out = NULL;
	if ((rc = ps_sync_protocol_path(settings, p, &proto)) < 0 || (rc = ps_recovery_path(proto, &path)) < 0)
		goto cleanup;
	rc = ps_recovery_open(out, path, create);
cleanup:
	free(proto);
	free(path);
	return rc;
}

/* ---- listing ------------------------------------------------------------------------- */

static void print_rows(const struct rows *rs, const char *profile, int with_profile)
{
	size_t w[4] = { 2, 4, 6, 5 }, i;
	char id[16], sync[24];

	(void)profile;
	for (i = 0; i < rs->n; i++) {
		size_t c = cli_text_width(rs->v[i].folder), k = cli_text_width(rs->v[i].cls);
		snprintf(sync, sizeof(sync), "%lld", (long long)rs->v[i].sync_id);
		if (c > w[0])
			w[0] = c;
		if (k > w[1])
			w[1] = k;
		if (strlen(sync) > w[3])
			w[3] = strlen(sync);
	}
	if (w[1] < 5)
		w[1] = 5;
	if (with_profile)
		printf("profile '%s':\n", profile);
	printf("%-10s  %-20s  %-6s  ", "ID", "WHEN", "STORE");
	cli_print_padded(stdout, "FOLDER", w[0]);
	printf("  ");
	cli_print_padded(stdout, "CLASS", w[1]);
	printf("  %-11s  %*s  %s\n", "WHAT", (int)w[3], "SYNC", "SUBJECT");
	for (i = 0; i < rs->n; i++) {
		const struct row *r = &rs->v[i];
		char when[32];
		cli_format_time(r->when, when, sizeof(when));
		snprintf(id, sizeof(id), "0x%x", (unsigned)r->id);
		printf("%-10s  %-20s  %-6s  ", id, when, side_name[r->side & 1]);
		cli_print_padded(stdout, r->folder, w[0]);
		printf("  ");
		cli_print_padded(stdout, r->cls, w[1]);
		printf("  %-11s  %*lld  %s\n", ps_recovery_what_name(r->what), (int)w[3], (long long)r->sync_id,
			r->subject);
	}
}

static void json_rows(json_writer *w, const struct rows *rs, const char *profile)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		const struct row *r = &rs->v[i];
		char when[32];
		cli_format_time(r->when, when, sizeof(when));
		json_begin_object(w);
		json_kv_uint(w, "id", r->id);
		json_kv_string(w, "when", when);
		json_kv_string(w, "store", side_name[r->side & 1]);
		json_kv_string(w, "folder", r->folder);
		json_kv_string(w, "class", r->cls);
		json_kv_string(w, "subject", r->subject);
		json_kv_string(w, "what", ps_recovery_what_name(r->what));
		json_kv_int(w, "sync", r->sync_id);
		json_kv_string(w, "why", r->why);
		json_kv_string(w, "profile", profile);
		json_end_object(w);
	}
}

/* ---- restoring ------------------------------------------------------------------------- */

static int parse_id(const char *s, uint32_t *out)
{
	char *end = NULL;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v == 0 || v > 0xFFFFFFFFull || s[0] == '-')
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int restore(struct cli *cli, const ps_settings *settings, const ps_profile *p, ps_recovery *rec,
	const uint32_t *ids, size_t n, int replace)
{
	const char *paths[2] = { ps_profile_local(p), ps_profile_global(p) };
	ps_store *st[2] = { NULL, NULL };
	json_writer w;
	size_t i;
	int rc = EXIT_OK;

	(void)settings;
	if (cli->json) {
		json_init(&w, stdout);
		json_begin_object(&w);
		json_key(&w, "restored");
		json_begin_array(&w);
	}
	for (i = 0; i < n; i++) {
		ps_recovery_version v;
		char *folder = NULL, *subject = NULL;
		uint32_t nid = 0;
		int side, replaced = 0;

		if (ps_recovery_get(rec, ids[i], &v) != PS_OK) {
			rc = cli_fail_core();
			continue;
		}
		side = v.side & 1;
		folder = dup(v.folder);
		subject = dup(v.subject);
		if (!st[side] && ps_store_open(&st[side], paths[side], PS_STORE_WRITE) != PS_OK) {
			rc = cli_fail_core();
			free(folder);
			free(subject);
			break;
		}
		if (!folder || !subject || ps_recovery_restore(rec, ids[i], st[side], replace, &nid, &replaced) != PS_OK) {
			rc = cli_fail_core();
		} else if (cli->json) {
			json_begin_object(&w);
			json_kv_uint(&w, "id", ids[i]);
			json_kv_string(&w, "store", side_name[side]);
			json_kv_string(&w, "folder", folder);
			json_kv_uint(&w, "item", nid);
			json_kv_bool(&w, "replaced", replaced);
			json_end_object(&w);
		} else {
			printf("restored 0x%x \"%s\" into %s %s %s 0x%x\n", (unsigned)ids[i], subject,
				side_name[side], folder, replaced ? "over the current version, item" : "as new item",
				(unsigned)nid);
		}
		free(folder);
		free(subject);
	}
	if (cli->json) {
		json_end_array(&w);
		json_end_object(&w);
		json_finish(&w);
	}
	ps_store_close(st[0]);
	ps_store_close(st[1]);
	return rc;
}

int cmd_recover(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *self = cli_find_command("recover");
	const char *since_arg = NULL, *folder = NULL, *sync_arg = NULL;
	ps_settings *settings = NULL;
	ps_profile *one = NULL;
	ps_recovery *rec = NULL;
	struct rows rs;
	uint32_t *ids = NULL;
	size_t nids = 0, i;
	int replace = 0, n = 1, k, rk, rc = EXIT_OK;
	json_writer w;

	memset(&rs, 0, sizeof(rs));
	rs.sync_id = -1;
	for (k = 1; k < argc; k++) {
		const char *a = argv[k];
		const char **slot = strcmp(a, "--since") == 0 ? &since_arg : strcmp(a, "--folder") == 0 ? &folder :
			strcmp(a, "--sync") == 0 ? &sync_arg : NULL;
		if (strcmp(a, "--replace") == 0) {
			replace = 1;
			continue;
		}
		if (slot) {
			if (k + 1 >= argc)
				return cli_usage("recover", "'%s' needs a value", a);
			*slot = argv[++k];
			continue;
		}
		argv[n++] = argv[k];
	}
	argc = n;
	argv[n] = NULL;
	if ((rc = cli_common_options(cli, self, &argc, argv)) != EXIT_OK)
		return rc;
	if (since_arg && ps_prop_time_parse(since_arg, &rs.since) != 0)
		return cli_usage("recover", "--since takes a date such as 2016-08-02 or 2016-08-02T15:00:00Z, "
			"not '%s'", since_arg);
	if (folder && folder[0] != '/')
		return cli_usage("recover", "--folder takes a folder path starting with '/', not '%s'", folder);
	rs.folder = folder;
	if (sync_arg) {
		char *end = NULL;
		long long v = strtoll(sync_arg, &end, 10);
		if (!sync_arg[0] || *end || v < 0)
			return cli_usage("recover", "--sync takes the number of a sync, not '%s'", sync_arg);
		rs.sync_id = v;
	}
	if (argc > 2) {
		ids = calloc((size_t)argc, sizeof(*ids));
		if (!ids)
			return cli_fail("out of memory");
		for (k = 2; k < argc; k++)
			if (parse_id(argv[k], &ids[nids++]) != 0) {
				free(ids);
				return cli_usage("recover", "'%s' is no version id (they look like 0x200024)", argv[k]);
			}
	}
	if ((nids || sync_arg || replace) && argc < 2) {
		free(ids);
		return cli_usage("recover", "name the PROFILE to restore into");
	}
	if (nids && sync_arg) {
		free(ids);
		return cli_usage("recover", "give either IDs or --sync N, not both");
	}
	if (replace && !nids && !sync_arg) {
		free(ids);
		return cli_usage("recover", "--replace goes with IDs or --sync N");
	}
	if (ps_settings_load(&settings, cli->config) != PS_OK) {
		free(ids);
		return cli_fail_core();
	}
	if (argc >= 2 && ps_settings_profile_find(&one, settings, argv[1]) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}

	if (nids || sync_arg) {
		if (open_recovery(settings, one, 0, &rec) != PS_OK) {
			rc = cli_fail_core();
			goto cleanup;
		}
		if (sync_arg) {
			if (ps_recovery_list(rec, rows_cb, &rs) != PS_OK) {
				rc = cli_fail_core();
				goto cleanup;
			}
			if (!rs.n) {
				rc = cli_fail("sync %s of profile '%s' replaced or deleted nothing that is still kept",
					sync_arg, ps_profile_name(one));
				goto cleanup;
			}
			ids = calloc(rs.n, sizeof(*ids));
			if (!ids) {
				rc = cli_fail("out of memory");
				goto cleanup;
			}
			for (i = 0; i < rs.n; i++)
				ids[nids++] = rs.v[i].id;
		}
		rc = restore(cli, settings, one, rec, ids, nids, replace);
		goto cleanup;
	}

	if (cli->json) {
		json_init(&w, stdout);
		json_begin_object(&w);
		json_key(&w, "versions");
		json_begin_array(&w);
	}
	for (i = 0; i < ps_settings_profile_count(settings); i++) {
		ps_profile *p = ps_settings_profile_at(settings, i);
		if (one && p != one)
			continue;
		rk = open_recovery(settings, p, 0, &rec);
		if (rk == PS_ENOTFOUND) {
			if (one && !cli->json)
				printf("profile '%s': nothing replaced or deleted by a sync is kept\n", ps_profile_name(p));
			continue;
		}
		if (rk != PS_OK || ps_recovery_list(rec, rows_cb, &rs) != PS_OK) {
			fflush(stdout);
			rc = cli_fail_core();
		} else if (cli->json) {
			json_rows(&w, &rs, ps_profile_name(p));
		} else if (rs.n) {
			print_rows(&rs, ps_profile_name(p), !one);
		} else if (one) {
			printf("profile '%s': %s\n", ps_profile_name(p),
				since_arg || folder ? "no version kept matches --since or --folder" : "no version kept");
		}
		if (rec && ps_recovery_warning(rec) && !cli->quiet)
			fprintf(stderr, "pstsync: warning: %s\n", ps_recovery_warning(rec));
		ps_recovery_close(rec);
		rec = NULL;
		rows_clear(&rs);
	}
	if (cli->json) {
		json_end_array(&w);
		json_end_object(&w);
		json_finish(&w);
	}
cleanup:
	rows_clear(&rs);
	ps_recovery_close(rec);
	ps_settings_free(settings);
	free(ids);
	return rc;
}
