/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * libFuzzer target for the sync protocol (src/core/protocol.c, SQLite) and
 * the engine that trusts it. At start the target makes two small stores,
 * syncs them once into a baseline protocol, and then changes both stores
 * (edits on both sides, so conflicts too, and deletions). Each input
 * becomes a protocol file in one of three ways:
 *
 *   "SQLite format 3\0..."  the input is the whole database file;
 *   "sql:STATEMENTS"        the statements run on a copy of the baseline (a
 *                           well-formed file with crafted rows: NULLs, long
 *                           blobs, unknown names, pairs of items that do not
 *                           exist, unfinished journal entries);
 *   anything else           patches of the baseline's bytes: records of three
 *                           bytes of offset (little-endian, modulo the size),
 *                           one byte of length (1-16) and the bytes.
 *
 * The protocol is then opened (a damaged file must be set aside and a new
 * one started, or refused with a status the header names), read through
 * every list the module has, and a sync runs on it and the stores, twice,
 * answering every question. Whatever the protocol held, both stores must
 * pass the integrity check afterwards, and when the first sync completed
 * without errors the second must find nothing left to do.
 */
#include "fuzz_common.h"

#include "pstsync/check.h"
#include "pstsync/errors.h"
#include "pstsync/generate.h"
#include "pstsync/protocol.h"
#include "pstsync/store.h"
#include "pstsync/sync.h"

#include <sqlite3.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const ps_sync_link_spec links[] = {
	{ { "/Contacts", "/Contacts" }, PS_DIRECTION_BOTH },
	{ { "/Calendar", "/Calendar" }, PS_DIRECTION_BOTH },
	{ { "/Tasks", "/Tasks" }, PS_DIRECTION_FROM_GLOBAL },
};
#define LINK_COUNT (sizeof(links) / sizeof(links[0]))

static uint8_t *base_store[2], *base_db;
static size_t base_store_size[2], base_db_size;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_protocol: %s: %s\n", what, ps_error_last());
	abort();
}

static int sync_once(const char *db, int *errors, unsigned *actions)
{
	ps_store *stores[2] = { NULL, NULL };
	ps_protocol *p = NULL;
	ps_sync_options opt;
	ps_sync_result res;
	int rc, t;

	memset(&res, 0, sizeof(res));
	*errors = 0;
	*actions = 0;
	rc = ps_protocol_open(&p, db);
	if (rc != PS_OK)
		return rc;
	for (t = 0; t < 2 && rc == PS_OK; t++)
		rc = ps_store_open(&stores[t], fuzz_path(t, t ? "global.pst" : "local.pst"),
			PS_STORE_WRITE);
	if (rc == PS_OK) {
		ps_sync_options_init(&opt);
		opt.conflicts = PS_SYNC_CONFLICTS_BOTH;
		opt.deletes = PS_SYNC_DELETES_APPLY;
		opt.mass_delete_ok = 1;
		rc = ps_sync_run(p, stores, "Fuzz", links, LINK_COUNT, NULL, &opt, NULL, &res);
		*errors = (int)res.counts.errors;
		for (t = 0; t < 2; t++)
			*actions += res.counts.copied[t] + res.counts.overwritten[t] + res.counts.deleted[t];
		ps_sync_result_clear(&res);
	}
	for (t = 0; t < 2; t++)
		ps_store_close(stores[t]);
	ps_protocol_close(p);
	return rc;
}

static void put_stores(void)
{
	int t;

	for (t = 0; t < 2; t++)
		fuzz_write(fuzz_path(t, t ? "global.pst" : "local.pst"), base_store[t],
			base_store_size[t]);
}

/* The stores and the baseline protocol, once per process. */
static void setup(void)
{
	ps_generate_options gen;
	ps_store *st = NULL;
	const char *db = fuzz_path(3, "base.db");
	int t, errors;
	unsigned actions;

	for (t = 0; t < 2; t++) {
		const char *path = fuzz_path(t, t ? "global.pst" : "local.pst");
		ps_generate_options_init(&gen);
		gen.seed = 11 + (uint64_t)t;
		gen.items = 16;
		if (ps_store_create(&st, path, t ? "Global" : "Local") != PS_OK
		    || ps_generate_store(st, &gen, NULL) != PS_OK)
			die("cannot make the stores");
		ps_store_close(st);
	}
	if (sync_once(db, &errors, &actions) != PS_OK || errors)
		die("the baseline sync failed");
	/* work for the next sync: edits on both sides, some of the same items */
	for (t = 0; t < 2; t++) {
		if (ps_store_open(&st, fuzz_path(t, t ? "global.pst" : "local.pst"), PS_STORE_WRITE)
		    != PS_OK
		    || ps_generate_change(st, 21, 300, PS_GENERATE_EDIT, NULL) != PS_OK
		    || ps_generate_change(st, 31 + (uint64_t)t, 150, t ? PS_GENERATE_DELETE
			: PS_GENERATE_EDIT, NULL) != PS_OK)
			die("cannot change the stores");
		ps_store_close(st);
	}
	for (t = 0; t < 2; t++) {
		base_store[t] = fuzz_read(fuzz_path(t, t ? "global.pst" : "local.pst"),
			&base_store_size[t]);
		if (!base_store[t])
			die("cannot read the stores back");
	}
	base_db = fuzz_read(db, &base_db_size);
	if (!base_db || base_db_size < 512)
		die("cannot read the baseline protocol");
	if (getenv("PSTSYNC_FUZZ_SAVE_BASELINE"))
		fuzz_write(getenv("PSTSYNC_FUZZ_SAVE_BASELINE"), base_db, base_db_size);
}

/* No statement of an input may reach another file. */
static int authorize(void *ctx, int action, const char *a, const char *b, const char *c,
	const char *d)
{
	(void)ctx, (void)a, (void)b, (void)c, (void)d;
	return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

static int enough(void *ctx)
{
	return ++*(int *)ctx > 200;
}

static void run_sql(const char *db, const uint8_t *sql, size_t size)
{
	sqlite3 *h = NULL;
	char *text = malloc(size + 1);
	int steps = 0;

	if (!text)
		return;
	memcpy(text, sql, size);
	text[size] = '\0';
	fuzz_write(db, base_db, base_db_size);
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
		sqlite3_limit(h, SQLITE_LIMIT_LENGTH, 100000);
		sqlite3_set_authorizer(h, authorize, NULL);
		/* a bound on the work: every 1000 virtual machine steps count one */
		sqlite3_progress_handler(h, 1000, enough, &steps);
		(void)sqlite3_exec(h, text, NULL, NULL, NULL);
	}
	sqlite3_close(h);
	free(text);
}

static void patch(const char *db, const uint8_t *data, size_t size)
{
	uint8_t *bytes = malloc(base_db_size);
	size_t i = 0;

	if (!bytes)
		return;
	memcpy(bytes, base_db, base_db_size);
	while (i + 4 < size) {
		size_t at = (data[i] | (size_t)data[i + 1] << 8 | (size_t)data[i + 2] << 16) % base_db_size;
		size_t n = (size_t)(data[i + 3] % 16) + 1, k;
		i += 4;
		for (k = 0; k < n && i < size; k++, i++)
			bytes[(at + k) % base_db_size] = data[i];
	}
	fuzz_write(db, bytes, base_db_size);
	free(bytes);
}

static int count_link(const ps_protocol_link *l, void *ctx)
{
	*(size_t *)ctx += 1 + strlen(l->path[0]) + strlen(l->path[1]);
	return 0;
}

static int see_pair(const ps_protocol_pair *pair, void *ctx)
{
	(void)pair, (void)ctx;
	return 0;
}

/* The strings handed to callbacks are read whole, so that one that is not
 * there (freed, or not terminated) shows. */
static int see_question(const ps_protocol_question *q, void *ctx)
{
	*(size_t *)ctx += q->subject ? strlen(q->subject) : 0;
	return 0;
}

static int see_entry(const ps_protocol_journal_entry *e, void *ctx)
{
	(void)e, (void)ctx;
	return 0;
}

static int see_sync(const ps_protocol_sync *s, void *ctx)
{
	*(size_t *)ctx += s->errors ? strlen(s->errors) : 0;
	return 0;
}

/* Every list the module gives; errors are allowed, crashes are not. */
static void read_all(const char *db)
{
	ps_protocol *p = NULL;
	int64_t id, count;
	size_t seen = 0;

	if (ps_protocol_open(&p, db) != PS_OK)
		return;
	if (ps_protocol_reset_reason(p)) {
		const char *kept = ps_protocol_damaged_path(p);
		struct stat st;
		if (!kept || stat(kept, &st) != 0) {
			fprintf(stderr, "fuzz_protocol: reset (%s) but the damaged file is not kept\n",
				ps_protocol_reset_reason(p));
			abort();
		}
	}
	(void)ps_protocol_link_list(p, count_link, &seen);
	/* the baseline's links are 1-3; 0 asks for every link's questions */
	for (id = 0; id <= 4; id++) {
		(void)ps_protocol_pair_foreach(p, id, see_pair, NULL);
		(void)ps_protocol_pair_count(p, id, &count);
		(void)ps_protocol_question_list(p, id, PS_QUESTIONS_OUTSTANDING | PS_QUESTIONS_ANSWERED,
			see_question, &seen);
		(void)ps_protocol_question_count(p, id, &count);
	}
	(void)ps_protocol_journal_unfinished(p, see_entry, NULL);
	(void)ps_protocol_history_last(p, 5, see_sync, &seen);
	ps_protocol_close(p);
}

static void check_store(const char *path)
{
	ps_check_summary sum;
	int rc = ps_pst_check(path, NULL, NULL, &sum);

	if (rc != PS_OK || sum.problems) {
		fprintf(stderr, "fuzz_protocol: after the sync '%s' fails the check (status %d, %u "
			"problems): %s\n", path, rc, sum.problems, ps_error_last());
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const char *db = fuzz_path(2, "protocol.db");
	int rc, errors, errors2;
	unsigned actions, actions2;

	if (!ready) {
		setup();
		ready = 1;
	}
	fuzz_clean_dir();
	put_stores();
	if (size >= 16 && memcmp(data, "SQLite format 3", 16) == 0)
		fuzz_write(db, data, size);
	else if (size >= 4 && memcmp(data, "sql:", 4) == 0)
		run_sql(db, data + 4, size - 4);
	else
		patch(db, data, size);
	read_all(db);
	rc = sync_once(db, &errors, &actions);
	if (getenv("PSTSYNC_FUZZ_VERBOSE"))
		fprintf(stderr, "fuzz_protocol: sync: status %d, %d errors, %u actions: %s\n", rc, errors,
			actions, rc ? ps_error_last() : "");
	if (rc != PS_OK && !ps_error_last()[0]) {
		fprintf(stderr, "fuzz_protocol: the sync ended with status %d and no message\n", rc);
		abort();
	}
	check_store(fuzz_path(0, "local.pst"));
	check_store(fuzz_path(1, "global.pst"));
	if (sync_once(db, &errors2, &actions2) == PS_OK && rc == PS_OK && !errors && !errors2
	    && actions2) {
		fprintf(stderr, "fuzz_protocol: a sync after a complete one still did %u actions\n",
			actions2);
		abort();
	}
	return 0;
}
