/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the protocol database (src/core/protocol.c): every call
 * round-trips; the schema survives a reopen and migrates a version-1 file
 * written here by hand; the journal survives a crash (a copy of the files
 * taken while the database is open, as a power cut would leave them);
 * damaged files of every kind are set aside and a fresh database works;
 * questions stay outstanding until answered; another process's lock gives
 * PS_ELOCKED; 10,000 pairs go in one transaction quickly.
 *
 * SQLite is used directly only to make or inspect files the way another
 * program (or an older pstsync) would.
 */
#include "harness.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/protocol.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

static const char *db_path(const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s", ps_test_path(ps_test_tmpdir(), name));
	return path;
}

/* One integer from a query on a file, outside the module. */
static long long raw_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;

	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The text of a one-row query, into a static buffer. */
static const char *raw_text(const char *path, const char *sql)
{
	static char buf[65536];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	buf[0] = '\0';
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0))
		snprintf(buf, sizeof(buf), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return buf;
}

static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	char *err = NULL;

	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) == SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", err ? err : "?");
		sqlite3_free(err);
		sqlite3_close(db);
		CHECKF(0, "sql failed on '%s': %s", path, msg);
	}
	sqlite3_close(db);
}

static void copy_file(const char *from, const char *to)
{
	size_t size;
	void *data = ps_test_read_file(from, &size);

	ps_test_write_file(to, data, size);
	free(data);
}

/* A pair with recognisable values derived from @p n. */
static void make_pair(ps_protocol_pair *pair, int64_t link_id, uint32_t n)
{
	int t;

	memset(pair, 0, sizeof(*pair));
	pair->link_id = link_id;
	pair->search_key_size = 16;
	memset(pair->search_key, 0x5a, 16);
	memcpy(pair->search_key, &n, sizeof(n));
	for (t = 0; t < 2; t++) {
		ps_protocol_side *s = &pair->side[t];
		s->eid_size = 24;
		memset(s->eid, 0x10 + t, 24);
		memcpy(s->eid + 20, &n, sizeof(n));
		s->nid = 0x200000u + n * 32u + (uint32_t)t;
		s->modified = UINT64_C(133000000000000000) + n * 10u + (uint64_t)t;
		s->fingerprint_size = 32;
		memset(s->fingerprint, 0xf0 + t, 32);
		memcpy(s->fingerprint, &n, sizeof(n));
		s->size = 1000u + n + (uint64_t)t;
	}
}

static int same_side(const ps_protocol_side *a, const ps_protocol_side *b)
{
	return a->eid_size == b->eid_size && memcmp(a->eid, b->eid, a->eid_size) == 0 &&
		a->nid == b->nid && a->modified == b->modified &&
		a->fingerprint_size == b->fingerprint_size &&
		memcmp(a->fingerprint, b->fingerprint, a->fingerprint_size) == 0 && a->size == b->size;
}

static int same_pair(const ps_protocol_pair *a, const ps_protocol_pair *b)
{
	return a->id == b->id && a->link_id == b->link_id &&
		a->search_key_size == b->search_key_size &&
		memcmp(a->search_key, b->search_key, a->search_key_size) == 0 &&
		same_side(&a->side[0], &b->side[0]) && same_side(&a->side[1], &b->side[1]);
}

/* Every link's id, for list callbacks. */
struct ids {
	int64_t id[64];
	int n;
};

static int collect_link(const ps_protocol_link *link, void *ctx)
{
	struct ids *ids = ctx;

	CHECK(ids->n < 64);
	ids->id[ids->n++] = link->id;
	return 0;
}

static int collect_pair(const ps_protocol_pair *pair, void *ctx)
{
	struct ids *ids = ctx;

	CHECK(ids->n < 64);
	ids->id[ids->n++] = pair->id;
	return 0;
}

static int collect_question(const ps_protocol_question *q, void *ctx)
{
	struct ids *ids = ctx;

	CHECK(ids->n < 64);
	ids->id[ids->n++] = q->id;
	return 0;
}

static int collect_journal(const ps_protocol_journal_entry *e, void *ctx)
{
	struct ids *ids = ctx;

	CHECK(ids->n < 64);
	ids->id[ids->n++] = e->id;
	return 0;
}

static int count_questions(ps_protocol *p, int64_t link_id, unsigned which)
{
	struct ids ids = { { 0 }, 0 };

	CHECK_OK(ps_protocol_question_list(p, link_id, which, collect_question, &ids));
	return ids.n;
}

/* ---- opening and schema ----------------------------------------------- */

void test_protocol__create_and_reopen(void)
{
	const char *path = db_path("profile.db");
	ps_protocol *p = NULL;
	ps_protocol_link link;
	int64_t id = 0;

	CHECK_EQ_INT(PS_PATH_NONE, ps_path_kind(path));
	CHECK_OK(ps_protocol_open(&p, path));
	CHECK(ps_protocol_reset_reason(p) == NULL);
	CHECK(ps_protocol_damaged_path(p) == NULL);
	CHECK_EQ_STR(path, ps_protocol_path(p));
	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Shared/Contacts", PS_PROTOCOL_BOTH, &id));
	ps_protocol_close(p);

	CHECK_EQ_INT(PS_PROTOCOL_SCHEMA_VERSION, raw_int(path, "PRAGMA user_version"));
	CHECK_EQ_INT(0x50535453, raw_int(path, "PRAGMA application_id"));
	CHECK_EQ_STR("wal", raw_text(path, "PRAGMA journal_mode"));

	CHECK_OK(ps_protocol_open(&p, path));
	CHECK(ps_protocol_reset_reason(p) == NULL);
	CHECK_OK(ps_protocol_link_get(p, &link, id));
	CHECK_EQ_STR("/Contacts", link.path[PS_PROTOCOL_LOCAL]);
	CHECK_EQ_STR("/Shared/Contacts", link.path[PS_PROTOCOL_GLOBAL]);
	ps_protocol_link_clear(&link);
	ps_protocol_close(p);
	CHECK_EQ_INT(1, raw_int(path, "SELECT count(*) FROM link"));
}

void test_protocol__empty_file_is_new(void)
{
	const char *path = db_path("empty.db");
	ps_protocol *p = NULL;

	/* a zero-length file is a valid empty SQLite database */
	ps_test_write_file(path, "", 0);
	CHECK_OK(ps_protocol_open(&p, path));
	CHECK(ps_protocol_reset_reason(p) == NULL);
	CHECK_OK(ps_protocol_link_add(p, "/A", "/B", PS_PROTOCOL_BOTH, NULL));
	ps_protocol_close(p);
}

void test_protocol__missing_folder_is_an_error(void)
{
	ps_protocol *p = (ps_protocol *)1;
	const char *path = ps_test_path(ps_test_tmpdir(), "no/such/folder/profile.db");

	CHECK_STATUS(PS_EIO, ps_protocol_open(&p, path));
	CHECK(p == NULL);
	CHECK(strstr(ps_error_last(), "profile.db") != NULL);
	CHECK_STATUS(PS_EINVAL, ps_protocol_open(&p, ""));
}

/*
 * Version 1 exactly as it was released. Frozen: never edit it when the
 * schema changes, so that this test keeps proving that files written by
 * the first pstsync are migrated with their rows.
 */
static const char schema_v1[] =
	"CREATE TABLE link ("
	"  id INTEGER PRIMARY KEY,"
	"  local_path TEXT NOT NULL,"
	"  global_path TEXT NOT NULL,"
	"  direction TEXT NOT NULL CHECK (direction IN ('both', 'from-global', 'to-global')),"
	"  created INTEGER NOT NULL,"
	"  last_sync INTEGER NOT NULL DEFAULT 0,"
	"  local_items INTEGER NOT NULL DEFAULT 0,"
	"  global_items INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (local_path, global_path)"
	");"
	"CREATE TABLE pair ("
	"  id INTEGER PRIMARY KEY,"
	"  link_id INTEGER NOT NULL REFERENCES link(id) ON DELETE CASCADE,"
	"  search_key BLOB,"
	"  local_eid BLOB,"
	"  local_nid INTEGER NOT NULL DEFAULT 0,"
	"  local_modified INTEGER NOT NULL DEFAULT 0,"
	"  local_fingerprint BLOB,"
	"  local_size INTEGER NOT NULL DEFAULT 0,"
	"  global_eid BLOB,"
	"  global_nid INTEGER NOT NULL DEFAULT 0,"
	"  global_modified INTEGER NOT NULL DEFAULT 0,"
	"  global_fingerprint BLOB,"
	"  global_size INTEGER NOT NULL DEFAULT 0,"
	"  CHECK (local_eid IS NOT NULL OR global_eid IS NOT NULL)"
	");"
	"CREATE UNIQUE INDEX pair_local_eid ON pair(link_id, local_eid);"
	"CREATE UNIQUE INDEX pair_global_eid ON pair(link_id, global_eid);"
	"CREATE INDEX pair_search_key ON pair(link_id, search_key);"
	"CREATE TABLE question ("
	"  id INTEGER PRIMARY KEY,"
	"  pair_id INTEGER NOT NULL UNIQUE REFERENCES pair(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('conflict', 'delete')),"
	"  local_change TEXT NOT NULL CHECK (local_change IN ('none', 'modified', 'deleted')),"
	"  local_when INTEGER NOT NULL DEFAULT 0,"
	"  global_change TEXT NOT NULL CHECK (global_change IN ('none', 'modified', 'deleted')),"
	"  global_when INTEGER NOT NULL DEFAULT 0,"
	"  subject TEXT,"
	"  asked INTEGER NOT NULL,"
	"  answer TEXT CHECK (answer IN ('later', 'keep-local', 'keep-global', 'keep-both',"
	"    'unlink', 'delete', 'restore')),"
	"  answered INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE sync ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  started INTEGER NOT NULL,"
	"  finished INTEGER NOT NULL DEFAULT 0,"
	"  status INTEGER NOT NULL DEFAULT 0,"
	"  local_copied INTEGER NOT NULL DEFAULT 0,"
	"  global_copied INTEGER NOT NULL DEFAULT 0,"
	"  local_overwritten INTEGER NOT NULL DEFAULT 0,"
	"  global_overwritten INTEGER NOT NULL DEFAULT 0,"
	"  local_deleted INTEGER NOT NULL DEFAULT 0,"
	"  global_deleted INTEGER NOT NULL DEFAULT 0,"
	"  paired INTEGER NOT NULL DEFAULT 0,"
	"  conflicts INTEGER NOT NULL DEFAULT 0,"
	"  deletes_asked INTEGER NOT NULL DEFAULT 0,"
	"  errors TEXT"
	");"
	"CREATE TABLE journal ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  sync_id INTEGER REFERENCES sync(id) ON DELETE SET NULL,"
	"  link_id INTEGER NOT NULL REFERENCES link(id) ON DELETE CASCADE,"
	"  pair_id INTEGER REFERENCES pair(id) ON DELETE SET NULL,"
	"  action TEXT NOT NULL CHECK (action IN ('copy', 'overwrite', 'delete', 'pair')),"
	"  side TEXT NOT NULL CHECK (side IN ('local', 'global')),"
	"  source_eid BLOB,"
	"  target_eid BLOB,"
	"  marker BLOB,"
	"  created INTEGER NOT NULL,"
	"  done INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX journal_link ON journal(link_id);"
	"CREATE INDEX journal_pair ON journal(pair_id);"
	"CREATE INDEX journal_sync ON journal(sync_id);"
	"PRAGMA user_version = 1;"
	"PRAGMA application_id = 1347638355;";

/* The schema of a file as one string, for comparing two files. */
static char *schema_of(const char *path)
{
	const char *s = raw_text(path, "SELECT group_concat(sql, ';') FROM "
		"(SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name)");
	size_t n = strlen(s) + 1;
	char *copy = malloc(n);

	CHECK(copy != NULL);
	memcpy(copy, s, n);
	return copy;
}

void test_protocol__migrates_version_1(void)
{
	const char *old = db_path("v1.db");
	char fresh[1024];
	ps_protocol *p = NULL;
	ps_protocol_pair pair;
	ps_protocol_link link;
	char *old_schema, *fresh_schema;
	struct ids ids = { { 0 }, 0 };

	/* a version-1 file as the first pstsync left it, rows included */
	raw_exec(old, schema_v1);
	raw_exec(old,
		"INSERT INTO link VALUES (7, '/Contacts', '/Common/Contacts', 'from-global', "
		"  133000000000000000, 133000000100000000, 12, 13);"
		"INSERT INTO pair VALUES (70, 7, x'0102', x'aa', 33, 133000000000000001, x'f0f1', 100,"
		"  x'bb', 65, 133000000000000002, x'f0f1', 101);"
		"INSERT INTO question(id, pair_id, kind, local_change, global_change, asked)"
		"  VALUES (5, 70, 'conflict', 'modified', 'modified', 1);"
		"INSERT INTO sync(id, started) VALUES (3, 2);"
		"INSERT INTO journal(sync_id, link_id, pair_id, action, side, marker, created)"
		"  VALUES (3, 7, 70, 'overwrite', 'global', x'00112233', 4);");

	CHECK_OK(ps_protocol_open(&p, old));
	CHECK(ps_protocol_reset_reason(p) == NULL);
	CHECK_OK(ps_protocol_link_get(p, &link, 7));
	CHECK_EQ_INT(PS_PROTOCOL_FROM_GLOBAL, link.direction);
	CHECK_EQ_INT(13, link.items[PS_PROTOCOL_GLOBAL]);
	ps_protocol_link_clear(&link);
	CHECK_OK(ps_protocol_pair_get(p, &pair, 70));
	CHECK_EQ_INT(65, pair.side[PS_PROTOCOL_GLOBAL].nid);
	CHECK_EQ_INT(2, pair.search_key_size);
	CHECK_EQ_INT(1, count_questions(p, 7, PS_QUESTIONS_OUTSTANDING));
	CHECK_OK(ps_protocol_journal_unfinished(p, collect_journal, &ids));
	CHECK_EQ_INT(1, ids.n);
	ps_protocol_close(p);
	CHECK_EQ_INT(PS_PROTOCOL_SCHEMA_VERSION, raw_int(old, "PRAGMA user_version"));

	/* migrating must give exactly the schema a new file gets */
	snprintf(fresh, sizeof(fresh), "%s", db_path("fresh.db"));
	CHECK_OK(ps_protocol_open(&p, fresh));
	ps_protocol_close(p);
	old_schema = schema_of(old);
	fresh_schema = schema_of(fresh);
	CHECKF(strcmp(old_schema, fresh_schema) == 0, "migrated schema differs:\n%s\n%s",
		old_schema, fresh_schema);
	free(old_schema);
	free(fresh_schema);
}

/* ---- damage ----------------------------------------------------------- */

/*
 * Open @p path, expect it set aside for a reason containing @p why, check
 * the kept file has @p original's bytes (when given) and that the fresh
 * database works and is empty.
 */
static void expect_set_aside(const char *path, const char *why, const void *original,
	size_t original_size)
{
	ps_protocol *p = NULL;
	const char *reason, *aside;
	int64_t n = -1;

	CHECK_OK(ps_protocol_open(&p, path));
	reason = ps_protocol_reset_reason(p);
	aside = ps_protocol_damaged_path(p);
	CHECKF(reason != NULL, "'%s' was not set aside", path);
	CHECK(aside != NULL);
	CHECKF(strstr(reason, why) != NULL, "reason '%s' lacks '%s'", reason, why);
	CHECKF(strstr(reason, path) && strstr(reason, aside), "reason '%s' does not name both files",
		reason);
	CHECKF(strncmp(aside, path, strlen(path)) == 0 &&
		strncmp(aside + strlen(path), ".damaged-", 9) == 0 &&
		strlen(aside + strlen(path)) == strlen(".damaged-YYYYMMDD-HHMMSS"),
		"unexpected name '%s'", aside);
	CHECK_EQ_INT(PS_PATH_FILE, ps_path_kind(aside));
	if (getenv("V") && strcmp(getenv("V"), "1") == 0)
		printf("        %s\n", reason);
	if (original) {
		size_t size;
		void *kept = ps_test_read_file(aside, &size);
		CHECK_EQ_INT(original_size, size);
		CHECK(memcmp(kept, original, size) == 0);
		free(kept);
	}
	/* the fresh database is empty and works */
	CHECK_OK(ps_protocol_link_add(p, "/Inbox", "/Common/Inbox", PS_PROTOCOL_BOTH, NULL));
	CHECK_OK(ps_protocol_pair_count(p, 1, &n));
	CHECK_EQ_INT(0, n);
	ps_protocol_close(p);

	/* and stays: the next open finds nothing wrong */
	CHECK_OK(ps_protocol_open(&p, path));
	CHECK(ps_protocol_reset_reason(p) == NULL);
	ps_protocol_close(p);
}

void test_protocol__damaged_not_sqlite(void)
{
	static const char junk[] = "[profile]\nthis is a settings file, not a database\n"
		"..............................................................................\n";
	const char *path = db_path("junk.db");

	ps_test_write_file(path, junk, sizeof(junk));
	expect_set_aside(path, "not an SQLite database", junk, sizeof(junk));
}

void test_protocol__damaged_header_cut(void)
{
	const char *path = db_path("cut.db");
	ps_protocol *p = NULL;
	size_t size;
	char *data;

	CHECK_OK(ps_protocol_open(&p, path));
	ps_protocol_close(p);
	data = ps_test_read_file(path, &size);
	CHECK(size > 50);
	ps_test_write_file(path, data, 50);
	expect_set_aside(path, "", data, 50);
	free(data);
}

/* A protocol with @p n pairs, closed (so that everything is in the main file). */
static void fill(const char *path, int n)
{
	ps_protocol *p = NULL;
	ps_protocol_pair pair;
	int64_t link = 0;
	int i;

	CHECK_OK(ps_protocol_open(&p, path));
	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Common/Contacts", PS_PROTOCOL_BOTH, &link));
	CHECK_OK(ps_protocol_begin(p));
	for (i = 0; i < n; i++) {
		make_pair(&pair, link, (uint32_t)i);
		CHECK_OK(ps_protocol_pair_insert(p, &pair));
	}
	CHECK_OK(ps_protocol_commit(p));
	ps_protocol_close(p);
}

void test_protocol__damaged_truncated(void)
{
	const char *path = db_path("truncated.db");
	size_t size;
	char *data;

	fill(path, 2000);
	data = ps_test_read_file(path, &size);
	CHECKF(size > 100000, "only %zu bytes", size);
	ps_test_write_file(path, data, size / 2);
	expect_set_aside(path, "", data, size / 2);
	free(data);
}

void test_protocol__damaged_pages(void)
{
	const char *path = db_path("corrupt.db");
	size_t size, page = 4096, i;
	unsigned char *data;

	fill(path, 2000);
	data = ps_test_read_file(path, &size);
	page = ((size_t)data[16] << 8 | data[17]) == 1 ? 65536 : ((size_t)data[16] << 8 | data[17]);
	CHECK(size > 8 * page);
	/* scribble over b-tree pages in the middle, as a bad sector would */
	for (i = 3 * page; i < 6 * page; i++)
		data[i] = (unsigned char)(i * 131u + 7u);
	ps_test_write_file(path, data, size);
	expect_set_aside(path, "", data, size);
	free(data);
}

void test_protocol__damaged_newer_version(void)
{
	const char *path = db_path("newer.db");
	ps_protocol *p = NULL;

	CHECK_OK(ps_protocol_open(&p, path));
	ps_protocol_close(p);
	raw_exec(path, "PRAGMA user_version = 99; CREATE TABLE future (x)");
	expect_set_aside(path, "newer pstsync", NULL, 0);
}

void test_protocol__damaged_foreign_database(void)
{
	const char *path = db_path("foreign.db");

	raw_exec(path, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
		"INSERT INTO moz_places(url) VALUES ('https://example.org/')");
	expect_set_aside(path, "not a pstsync protocol", NULL, 0);
}

void test_protocol__damaged_failing_integrity_check(void)
{
	const char *path = db_path("integrity.db");

	/* readable pages, but an index that no longer matches its table */
	fill(path, 50);
	raw_exec(path, "PRAGMA writable_schema = ON;"
		"UPDATE sqlite_master SET sql = replace(sql, '(link_id, search_key)', '(link_id, global_nid)') "
		"WHERE name = 'pair_search_key';");
	expect_set_aside(path, "integrity check", NULL, 0);
}

/* A sync on record, ended with @p status (or not ended when @p finish is 0). */
static void record_sync(const char *path, int finish, int status)
{
	ps_protocol *p = NULL;
	int64_t id = 0;

	CHECK_OK(ps_protocol_open(&p, path));
	CHECK_OK(ps_protocol_history_start(p, &id));
	if (finish)
		CHECK_OK(ps_protocol_history_finish(p, id, status, NULL, NULL));
	ps_protocol_close(p);
}

/* After a sync that ended well the open checks every page (not the indexes
 * against the tables): damaged pages are still found. */
void test_protocol__damaged_pages_after_clean_sync(void)
{
	const char *path = db_path("clean-then-corrupt.db");
	size_t size, page, i;
	unsigned char *data;

	fill(path, 2000);
	record_sync(path, 1, PS_OK);
	data = ps_test_read_file(path, &size);
	page = ((size_t)data[16] << 8 | data[17]) == 1 ? 65536 : ((size_t)data[16] << 8 | data[17]);
	CHECK(size > 8 * page);
	for (i = 3 * page; i < 6 * page; i++)
		data[i] = (unsigned char)(i * 131u + 7u);
	ps_test_write_file(path, data, size);
	expect_set_aside(path, "", data, size);
	free(data);
}

/* After a sync that failed, or did not end, the indexes are checked too. */
void test_protocol__full_check_after_failed_or_cut_sync(void)
{
	static const struct { int finish, status; } cases[] = { { 1, PS_EIO }, { 0, 0 } };
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const char *path = db_path(k ? "cut-sync.db" : "failed-sync.db");
		char kept[1024];
		fill(path, 50);
		record_sync(path, cases[k].finish, cases[k].status);
		raw_exec(path, "PRAGMA writable_schema = ON;"
			"UPDATE sqlite_master SET sql = replace(sql, '(link_id, search_key)', "
			"'(link_id, global_nid)') WHERE name = 'pair_search_key';");
		snprintf(kept, sizeof(kept), "%s", path);
		expect_set_aside(kept, "integrity check", NULL, 0);
	}
}

void test_protocol__damaged_keeps_its_wal(void)
{
	char path[1024], from[1100], to[1100], kept[1100];
	const char *suffix[] = { "", "-wal" };
	sqlite3 *db = NULL;
	ps_protocol *p = NULL;
	int i;

	/* another program's WAL database, copied while open: its last rows
	 * live in the -wal file only */
	snprintf(path, sizeof(path), "%s", db_path("walled.db"));
	raw_exec(db_path("other.db"), "PRAGMA journal_mode = WAL; CREATE TABLE t (x)");
	CHECK(sqlite3_open(db_path("other.db"), &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "INSERT INTO t VALUES (42)", NULL, NULL, NULL) == SQLITE_OK);
	for (i = 0; i < 2; i++) {
		snprintf(from, sizeof(from), "%s%s", db_path("other.db"), suffix[i]);
		snprintf(to, sizeof(to), "%s%s", path, suffix[i]);
		copy_file(from, to);
	}
	sqlite3_close(db);

	CHECK_OK(ps_protocol_open(&p, path));
	CHECK(ps_protocol_reset_reason(p) != NULL);
	snprintf(kept, sizeof(kept), "%s", ps_protocol_damaged_path(p));
	/* the fresh database did not inherit the old -wal */
	CHECK_OK(ps_protocol_link_add(p, "/A", "/B", PS_PROTOCOL_BOTH, NULL));
	ps_protocol_close(p);
	CHECK_EQ_INT(-1, raw_int(path, "SELECT x FROM t"));
	CHECK_EQ_INT(1, raw_int(path, "SELECT count(*) FROM link"));
	/* the kept pair of files still holds the row that was in the -wal */
	CHECK_EQ_INT(42, raw_int(kept, "SELECT x FROM t"));
}

void test_protocol__utf8_path(void)
{
	char path[1024];
	ps_protocol *p = NULL;
	ps_protocol_link link;
	ps_file *f = NULL;
	char junk[200];

	snprintf(path, sizeof(path), "%s", db_path("Zoë Çelik – профиль.db"));
	CHECK_OK(ps_protocol_open(&p, path));
	CHECK_OK(ps_protocol_link_add(p, "/Контакты", "/Común/Contactos", PS_PROTOCOL_BOTH, NULL));
	ps_protocol_close(p);
	CHECK_EQ_INT(PS_PATH_FILE, ps_path_kind(path));
	CHECK_OK(ps_protocol_open(&p, path));
	CHECK_OK(ps_protocol_link_find(p, &link, "/Контакты", "/Común/Contactos"));
	ps_protocol_link_clear(&link);
	ps_protocol_close(p);
	/* set aside under a non-ASCII name too (through the os layer: the
	 * harness's fopen takes ANSI names on Windows) */
	CHECK_OK(ps_file_open(&f, path, PS_OPEN_WRITE));
	memset(junk, '.', sizeof(junk));
	CHECK_OK(ps_file_write_at(f, 0, junk, sizeof(junk)));
	CHECK_OK(ps_file_truncate(f, sizeof(junk)));
	ps_file_close(f);
	expect_set_aside(path, "not an SQLite database", NULL, 0);
}

/* ---- transactions and locks ------------------------------------------- */

void test_protocol__transactions(void)
{
	ps_protocol *p = NULL;
	ps_protocol_link link;
	int64_t id = 0;

	CHECK_OK(ps_protocol_open(&p, db_path("tx.db")));
	CHECK_OK(ps_protocol_rollback(p)); /* nothing open: does nothing */
	CHECK_STATUS(PS_EINVAL, ps_protocol_commit(p));
	CHECK_OK(ps_protocol_begin(p));
	CHECK(ps_protocol_in_transaction(p));
	CHECK_STATUS(PS_EINVAL, ps_protocol_begin(p));
	CHECK_OK(ps_protocol_link_add(p, "/A", "/B", PS_PROTOCOL_BOTH, &id));
	CHECK_OK(ps_protocol_rollback(p));
	CHECK(!ps_protocol_in_transaction(p));
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_link_get(p, &link, id));

	CHECK_OK(ps_protocol_begin(p));
	CHECK_OK(ps_protocol_link_add(p, "/A", "/B", PS_PROTOCOL_BOTH, &id));
	CHECK_OK(ps_protocol_commit(p));
	CHECK_OK(ps_protocol_link_get(p, &link, id));
	ps_protocol_link_clear(&link);

	/* closing with a transaction open rolls it back */
	CHECK_OK(ps_protocol_begin(p));
	CHECK_OK(ps_protocol_link_add(p, "/C", "/D", PS_PROTOCOL_BOTH, NULL));
	ps_protocol_close(p);
	CHECK_OK(ps_protocol_open(&p, db_path("tx.db")));
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_link_find(p, &link, "/C", "/D"));
	ps_protocol_close(p);
}

void test_protocol__locked_by_another(void)
{
	char path[1024];
	ps_protocol *a = NULL, *b = NULL;
	ps_protocol_link link;
	uint64_t t0;

	snprintf(path, sizeof(path), "%s", db_path("locked.db"));
	CHECK_OK(ps_protocol_open(&a, path));
	CHECK_OK(ps_protocol_open(&b, path));
	CHECK_OK(ps_protocol_begin(a));
	CHECK_OK(ps_protocol_link_add(a, "/A", "/B", PS_PROTOCOL_BOTH, NULL));

	/* readers are not blocked by a writer (WAL) ... */
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_link_find(b, &link, "/A", "/B"));
	/* ... a second writer waits for the busy timeout, then gives up */
	ps_protocol_set_busy_timeout(b, 200);
	t0 = ps_clock_ns();
	CHECK_STATUS(PS_ELOCKED, ps_protocol_begin(b));
	CHECK(ps_clock_ns() - t0 >= UINT64_C(150000000));
	CHECK(strstr(ps_error_last(), "locked") && strstr(ps_error_last(), path));
	CHECK_STATUS(PS_ELOCKED, ps_protocol_link_add(b, "/X", "/Y", PS_PROTOCOL_BOTH, NULL));

	CHECK_OK(ps_protocol_commit(a));
	CHECK_OK(ps_protocol_begin(b));
	CHECK_OK(ps_protocol_link_find(b, &link, "/A", "/B"));
	ps_protocol_link_clear(&link);
	CHECK_OK(ps_protocol_commit(b));
	ps_protocol_close(a);
	ps_protocol_close(b);
}

/* ---- links ------------------------------------------------------------ */

void test_protocol__links_round_trip(void)
{
	ps_protocol *p = NULL;
	ps_protocol_link link;
	ps_protocol_pair pair;
	ps_protocol_question q;
	ps_protocol_journal_entry e;
	struct ids ids = { { 0 }, 0 };
	int64_t a = 0, b = 0, n = -1;
	uint64_t before = ps_time_now();
	const uint64_t items[2] = { 41, 42 };

	CHECK_OK(ps_protocol_open(&p, db_path("links.db")));
	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Common/Contacts", PS_PROTOCOL_BOTH, &a));
	CHECK_OK(ps_protocol_link_add(p, "/Calendar", "/Common/Calendar", PS_PROTOCOL_TO_GLOBAL, &b));
	CHECK(a > 0 && b > a);
	CHECK_STATUS(PS_EEXISTS, ps_protocol_link_add(p, "/Contacts", "/Common/Contacts",
		PS_PROTOCOL_FROM_GLOBAL, NULL));
	CHECK(strstr(ps_error_last(), "/Common/Contacts") != NULL);
	CHECK_STATUS(PS_EINVAL, ps_protocol_link_add(p, "/X", "/Y", 7, NULL));

	CHECK_OK(ps_protocol_link_find(p, &link, "/Calendar", "/Common/Calendar"));
	CHECK_EQ_INT(b, link.id);
	CHECK_EQ_INT(PS_PROTOCOL_TO_GLOBAL, link.direction);
	CHECK(link.created >= before && link.created <= ps_time_now());
	CHECK_EQ_INT(0, link.last_sync);
	ps_protocol_link_clear(&link);
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_link_find(p, &link, "/Calendar", "/Elsewhere"));

	CHECK_OK(ps_protocol_link_set_direction(p, b, PS_PROTOCOL_FROM_GLOBAL));
	CHECK_OK(ps_protocol_link_mark_synced(p, b, items));
	CHECK_OK(ps_protocol_link_get(p, &link, b));
	CHECK_EQ_INT(PS_PROTOCOL_FROM_GLOBAL, link.direction);
	CHECK(link.last_sync >= before);
	CHECK_EQ_INT(41, link.items[PS_PROTOCOL_LOCAL]);
	CHECK_EQ_INT(42, link.items[PS_PROTOCOL_GLOBAL]);
	ps_protocol_link_clear(&link);
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_link_mark_synced(p, 999, items));

	CHECK_OK(ps_protocol_link_list(p, collect_link, &ids));
	CHECK_EQ_INT(2, ids.n);
	CHECK_EQ_INT(a, ids.id[0]);
	CHECK_EQ_INT(b, ids.id[1]);

	CHECK_EQ_STR("from-global", ps_protocol_direction_name(PS_PROTOCOL_FROM_GLOBAL));
	CHECK_EQ_INT(PS_PROTOCOL_TO_GLOBAL, ps_protocol_direction_parse("to-global"));
	CHECK_EQ_INT(-1, ps_protocol_direction_parse("sideways"));

	/* removing a link takes everything under it, and nothing of the other */
	make_pair(&pair, a, 1);
	CHECK_OK(ps_protocol_pair_insert(p, &pair));
	memset(&q, 0, sizeof(q));
	q.pair_id = pair.id;
	q.kind = PS_QUESTION_DELETE;
	q.change[PS_PROTOCOL_GLOBAL] = PS_CHANGE_DELETED;
	CHECK_OK(ps_protocol_question_add(p, &q, NULL));
	memset(&e, 0, sizeof(e));
	e.link_id = a;
	e.pair_id = pair.id;
	e.action = PS_ACTION_DELETE;
	e.side = PS_PROTOCOL_LOCAL;
	CHECK_OK(ps_protocol_journal_append(p, &e, NULL));
	make_pair(&pair, b, 1);
	CHECK_OK(ps_protocol_pair_insert(p, &pair));

	CHECK_OK(ps_protocol_link_remove(p, a));
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_link_remove(p, a));
	CHECK_OK(ps_protocol_pair_count(p, a, &n));
	CHECK_EQ_INT(0, n);
	CHECK_OK(ps_protocol_pair_count(p, b, &n));
	CHECK_EQ_INT(1, n);
	CHECK_EQ_INT(0, count_questions(p, 0, PS_QUESTIONS_OUTSTANDING | PS_QUESTIONS_ANSWERED));
	ids.n = 0;
	CHECK_OK(ps_protocol_journal_unfinished(p, collect_journal, &ids));
	CHECK_EQ_INT(0, ids.n);
	ps_protocol_close(p);
}

/* A removed link is retired with its pairs, found again by its paths, and
 * forgotten once it has been retired longer than the sync keeps it. */
void test_protocol__retired_link_pruned(void)
{
	ps_protocol *p = NULL;
	ps_protocol_pair pair;
	int64_t a = 0, b = 0, found = 0, n = 0;
	uint64_t now = ps_time_now();

	CHECK_OK(ps_protocol_open(&p, db_path("retired.db")));
	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Common", PS_PROTOCOL_BOTH, &a));
	CHECK_OK(ps_protocol_link_add(p, "/Calendar", "/Team", PS_PROTOCOL_BOTH, &b));
	make_pair(&pair, a, 1);
	CHECK_OK(ps_protocol_pair_insert(p, &pair));
	make_pair(&pair, b, 2);
	CHECK_OK(ps_protocol_pair_insert(p, &pair));

	CHECK_OK(ps_protocol_link_retire(p, a));
	CHECK_OK(ps_protocol_link_retired(p, "/Contacts", "/Common", &found));
	CHECK_EQ_INT(a, found);
	/* retired just now: a prune of what is older than a day keeps it */
	CHECK_OK(ps_protocol_forgotten_prune(p, now - 24ull * 3600 * 10000000));
	CHECK_OK(ps_protocol_link_retired(p, "/Contacts", "/Common", &found));
	CHECK_OK(ps_protocol_pair_count(p, a, &n));
	CHECK_EQ_INT(1, n);
	/* older than the limit: gone with its pairs; the active link stays */
	CHECK_OK(ps_protocol_forgotten_prune(p, ps_time_now() + 1));
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_link_retired(p, "/Contacts", "/Common", &found));
	CHECK_OK(ps_protocol_pair_count(p, a, &n));
	CHECK_EQ_INT(0, n);
	CHECK_OK(ps_protocol_pair_count(p, b, &n));
	CHECK_EQ_INT(1, n);
	ps_protocol_close(p);
}

/* ---- pairs ------------------------------------------------------------ */

struct walk {
	ps_protocol *p;
	int seen;
	int64_t delete_id;
	int nested_status;
};

static int walk_pairs(const ps_protocol_pair *pair, void *ctx)
{
	struct walk *w = ctx;

	w->seen++;
	if (pair->id == w->delete_id)
		CHECK_OK(ps_protocol_pair_delete(w->p, pair->id));
	w->nested_status = ps_protocol_pair_foreach(w->p, pair->link_id, walk_pairs, ctx);
	return 0;
}

static int stop_at_two(const ps_protocol_pair *pair, void *ctx)
{
	int *n = ctx;

	(void)pair;
	return ++*n == 2 ? 77 : 0;
}

void test_protocol__pairs_round_trip(void)
{
	ps_protocol *p = NULL;
	ps_protocol_pair pair, got, half;
	ps_protocol_side side;
	struct ids ids = { { 0 }, 0 };
	struct walk w;
	int64_t link = 0, other = 0, n = 0;
	int t, stop = 0;

	CHECK_OK(ps_protocol_open(&p, db_path("pairs.db")));
	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Common/Contacts", PS_PROTOCOL_BOTH, &link));
	CHECK_OK(ps_protocol_link_add(p, "/Notes", "/Common/Notes", PS_PROTOCOL_BOTH, &other));

	make_pair(&pair, link, 1);
	pair.side[0].modified = UINT64_MAX - 5; /* every bit of a FILETIME survives */
	CHECK_OK(ps_protocol_pair_insert(p, &pair));
	CHECK(pair.id > 0);
	CHECK_OK(ps_protocol_pair_get(p, &got, pair.id));
	CHECK(same_pair(&pair, &got));
	for (t = 0; t < 2; t++) {
		CHECK_OK(ps_protocol_pair_find_eid(p, &got, link, t, pair.side[t].eid,
			pair.side[t].eid_size));
		CHECK(same_pair(&pair, &got));
		/* an entry ID is looked up on its own side only, in its own link */
		CHECK_STATUS(PS_ENOTFOUND, ps_protocol_pair_find_eid(p, &got, link, t ^ 1,
			pair.side[t].eid, pair.side[t].eid_size));
		CHECK_STATUS(PS_ENOTFOUND, ps_protocol_pair_find_eid(p, &got, other, t,
			pair.side[t].eid, pair.side[t].eid_size));
	}
	CHECK_OK(ps_protocol_pair_find_search_key(p, &got, link, pair.search_key,
		pair.search_key_size));
	CHECK_EQ_INT(pair.id, got.id);

	/* the same entry ID twice on one side of a link is refused */
	make_pair(&got, link, 2);
	got.side[1] = pair.side[1];
	CHECK_STATUS(PS_EEXISTS, ps_protocol_pair_insert(p, &got));
	/* but the same item may be paired in another link */
	got = pair;
	got.link_id = other;
	CHECK_OK(ps_protocol_pair_insert(p, &got));
	/* no such link */
	got.link_id = 999;
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_pair_insert(p, &got));
	CHECK_STATUS(PS_EINVAL, ps_protocol_pair_find_eid(p, &got, link, 2, pair.side[0].eid, 24));

	/* half-known: a copy to global in flight */
	make_pair(&half, link, 3);
	memset(&half.side[PS_PROTOCOL_GLOBAL], 0, sizeof(half.side[PS_PROTOCOL_GLOBAL]));
	CHECK_OK(ps_protocol_pair_insert(p, &half));
	make_pair(&got, link, 4);
	memset(&got.side[PS_PROTOCOL_GLOBAL], 0, sizeof(got.side[PS_PROTOCOL_GLOBAL]));
	CHECK_OK(ps_protocol_pair_insert(p, &got)); /* two unknown sides do not clash */
	CHECK_OK(ps_protocol_pair_get(p, &got, half.id));
	CHECK(same_pair(&half, &got));
	CHECK_EQ_INT(0, got.side[PS_PROTOCOL_GLOBAL].eid_size);

	/* the copy finished: record the global side */
	make_pair(&got, link, 3);
	side = got.side[PS_PROTOCOL_GLOBAL];
	CHECK_OK(ps_protocol_pair_set_side(p, half.id, PS_PROTOCOL_GLOBAL, &side));
	CHECK_OK(ps_protocol_pair_get(p, &got, half.id));
	CHECK(same_side(&side, &got.side[PS_PROTOCOL_GLOBAL]));
	CHECK(same_side(&half.side[PS_PROTOCOL_LOCAL], &got.side[PS_PROTOCOL_LOCAL]));
	CHECK_OK(ps_protocol_pair_find_eid(p, &got, link, PS_PROTOCOL_GLOBAL, side.eid, side.eid_size));
	CHECK_EQ_INT(half.id, got.id);
	/* a side may become unknown again, but not both */
	memset(&side, 0, sizeof(side));
	CHECK_OK(ps_protocol_pair_set_side(p, half.id, PS_PROTOCOL_GLOBAL, &side));
	CHECK_STATUS(PS_EINVAL, ps_protocol_pair_set_side(p, half.id, PS_PROTOCOL_LOCAL, &side));
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_pair_set_side(p, 999, PS_PROTOCOL_LOCAL,
		&pair.side[0]));
	side.eid_size = PS_PROTOCOL_EID_MAX + 1;
	CHECK_STATUS(PS_EINVAL, ps_protocol_pair_set_side(p, half.id, PS_PROTOCOL_LOCAL, &side));

	CHECK_OK(ps_protocol_pair_set_search_key(p, half.id, pair.search_key, pair.search_key_size));
	CHECK_OK(ps_protocol_pair_find_search_key(p, &got, link, pair.search_key,
		pair.search_key_size));
	CHECK_EQ_INT(pair.id, got.id); /* the oldest of the two */
	CHECK_OK(ps_protocol_pair_set_search_key(p, half.id, NULL, 0));
	CHECK_OK(ps_protocol_pair_get(p, &got, half.id));
	CHECK_EQ_INT(0, got.search_key_size);

	CHECK_OK(ps_protocol_pair_count(p, link, &n));
	CHECK_EQ_INT(3, n);
	CHECK_OK(ps_protocol_pair_foreach(p, link, collect_pair, &ids));
	CHECK_EQ_INT(3, ids.n);
	CHECK(ids.id[0] < ids.id[1] && ids.id[1] < ids.id[2]);

	/* a walk may delete its pair, but not start itself again */
	memset(&w, 0, sizeof(w));
	w.p = p;
	w.delete_id = half.id;
	CHECK_OK(ps_protocol_pair_foreach(p, link, walk_pairs, &w));
	CHECK_EQ_INT(3, w.seen);
	CHECK_EQ_INT(PS_EINVAL, w.nested_status);
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_pair_get(p, &got, half.id));
	/* a callback's own status comes back */
	CHECK_EQ_INT(77, ps_protocol_pair_foreach(p, link, stop_at_two, &stop));

	CHECK_OK(ps_protocol_pair_delete(p, pair.id));
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_pair_delete(p, pair.id));
	CHECK_OK(ps_protocol_pair_count(p, link, &n));
	CHECK_EQ_INT(1, n);
	ps_protocol_close(p);
}

static int count_pairs(const ps_protocol_pair *pair, void *ctx)
{
	(void)pair;
	++*(int *)ctx;
	return 0;
}

void test_protocol__ten_thousand_pairs(void)
{
	const char *path = db_path("many.db");
	ps_protocol *p = NULL;
	ps_protocol_pair pair, got;
	int64_t link = 0, n = 0;
	uint64_t t0, t_insert, t_update, t_open, t_walk;
	int i, walked = 0;

	CHECK_OK(ps_protocol_open(&p, path));
	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Common/Contacts", PS_PROTOCOL_BOTH, &link));
	t0 = ps_clock_ns();
	CHECK_OK(ps_protocol_begin(p));
	for (i = 0; i < 10000; i++) {
		make_pair(&pair, link, (uint32_t)i);
		CHECK_OK(ps_protocol_pair_insert(p, &pair));
	}
	CHECK_OK(ps_protocol_commit(p));
	t_insert = ps_clock_ns() - t0;

	/* a sync with no change still records every pair's state again */
	t0 = ps_clock_ns();
	CHECK_OK(ps_protocol_begin(p));
	for (i = 0; i < 10000; i++) {
		make_pair(&pair, link, (uint32_t)i);
		CHECK_OK(ps_protocol_pair_find_eid(p, &got, link, PS_PROTOCOL_LOCAL,
			pair.side[0].eid, pair.side[0].eid_size));
		got.side[PS_PROTOCOL_GLOBAL].modified++;
		CHECK_OK(ps_protocol_pair_set_side(p, got.id, PS_PROTOCOL_GLOBAL,
			&got.side[PS_PROTOCOL_GLOBAL]));
	}
	CHECK_OK(ps_protocol_commit(p));
	t_update = ps_clock_ns() - t0;
	ps_protocol_close(p);

	t0 = ps_clock_ns();
	CHECK_OK(ps_protocol_open(&p, path)); /* with its integrity check */
	t_open = ps_clock_ns() - t0;
	t0 = ps_clock_ns();
	CHECK_OK(ps_protocol_pair_count(p, link, &n));
	CHECK_EQ_INT(10000, n);
	CHECK_OK(ps_protocol_pair_foreach(p, link, count_pairs, &walked));
	CHECK_EQ_INT(10000, walked);
	t_walk = ps_clock_ns() - t0;
	make_pair(&pair, link, 9999);
	CHECK_OK(ps_protocol_pair_find_search_key(p, &got, link, pair.search_key,
		pair.search_key_size));
	CHECK_EQ_INT(pair.side[1].modified + 1, got.side[1].modified);
	ps_protocol_close(p);

	printf("        protocol: 10,000 pairs inserted in one transaction in %.1f ms, "
		"looked up and updated in %.1f ms, reopened (integrity check) in %.1f ms, "
		"walked in %.1f ms\n", (double)t_insert / 1e6, (double)t_update / 1e6,
		(double)t_open / 1e6, (double)t_walk / 1e6);
	/* generous: sanitizers and Wine are slow, but seconds would mean a bug */
	CHECKF(t_insert < UINT64_C(5000000000), "inserting took %.1f ms", (double)t_insert / 1e6);
}

/* ---- questions -------------------------------------------------------- */

void test_protocol__questions_stay_until_answered(void)
{
	const char *path = db_path("questions.db");
	ps_protocol *p = NULL;
	ps_protocol_pair pair[3];
	ps_protocol_question q;
	int64_t link = 0, other = 0, conflict = 0, deletion = 0, again = 0, n = 0;
	uint32_t i;

	CHECK_OK(ps_protocol_open(&p, path));
	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Common/Contacts", PS_PROTOCOL_BOTH, &link));
	CHECK_OK(ps_protocol_link_add(p, "/Notes", "/Common/Notes", PS_PROTOCOL_BOTH, &other));
	for (i = 0; i < 3; i++) {
		make_pair(&pair[i], i < 2 ? link : other, i);
		CHECK_OK(ps_protocol_pair_insert(p, &pair[i]));
	}

	memset(&q, 0, sizeof(q));
	q.pair_id = pair[0].id;
	q.kind = PS_QUESTION_CONFLICT;
	q.change[PS_PROTOCOL_LOCAL] = PS_CHANGE_MODIFIED;
	q.when[PS_PROTOCOL_LOCAL] = 111;
	q.change[PS_PROTOCOL_GLOBAL] = PS_CHANGE_DELETED;
	q.when[PS_PROTOCOL_GLOBAL] = 222;
	q.subject = "Anna Smith";
	CHECK_OK(ps_protocol_question_add(p, &q, &conflict));
	q.pair_id = pair[1].id;
	q.kind = PS_QUESTION_DELETE;
	q.change[PS_PROTOCOL_LOCAL] = PS_CHANGE_NONE;
	q.when[PS_PROTOCOL_LOCAL] = 0;
	q.subject = NULL;
	CHECK_OK(ps_protocol_question_add(p, &q, &deletion));
	q.pair_id = pair[2].id;
	CHECK_OK(ps_protocol_question_add(p, &q, NULL));
	q.pair_id = 999;
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_question_add(p, &q, NULL));

	CHECK_EQ_INT(2, count_questions(p, link, PS_QUESTIONS_OUTSTANDING));
	CHECK_EQ_INT(3, count_questions(p, 0, PS_QUESTIONS_OUTSTANDING));
	CHECK_EQ_INT(0, count_questions(p, 0, PS_QUESTIONS_ANSWERED));
	CHECK_OK(ps_protocol_question_count(p, other, &n));
	CHECK_EQ_INT(1, n);

	/* answers that do not fit the question are refused */
	CHECK_STATUS(PS_EINVAL, ps_protocol_question_answer(p, conflict, PS_ANSWER_RESTORE));
	CHECK_STATUS(PS_EINVAL, ps_protocol_question_answer(p, deletion, PS_ANSWER_KEEP_BOTH));
	CHECK_STATUS(PS_EINVAL, ps_protocol_question_answer(p, deletion, PS_ANSWER_NONE));
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_question_answer(p, 999, PS_ANSWER_LATER));

	/* "later" keeps it outstanding, across a reopen too */
	CHECK_OK(ps_protocol_question_answer(p, conflict, PS_ANSWER_LATER));
	ps_protocol_close(p);
	CHECK_OK(ps_protocol_open(&p, path));
	CHECK_EQ_INT(2, count_questions(p, link, PS_QUESTIONS_OUTSTANDING));

	/* asked again at the next sync: same question, not a second one */
	memset(&q, 0, sizeof(q));
	q.pair_id = pair[0].id;
	q.kind = PS_QUESTION_CONFLICT;
	q.change[PS_PROTOCOL_LOCAL] = PS_CHANGE_MODIFIED;
	q.when[PS_PROTOCOL_LOCAL] = 333;
	q.change[PS_PROTOCOL_GLOBAL] = PS_CHANGE_MODIFIED;
	q.when[PS_PROTOCOL_GLOBAL] = 444;
	q.subject = "Anna Smith-Jones";
	CHECK_OK(ps_protocol_question_add(p, &q, &again));
	CHECK_EQ_INT(conflict, again);
	CHECK_EQ_INT(2, count_questions(p, link, PS_QUESTIONS_OUTSTANDING));

	/* answered: no longer outstanding, but listed for the engine to act on */
	CHECK_OK(ps_protocol_question_answer(p, deletion, PS_ANSWER_RESTORE));
	CHECK_EQ_INT(1, count_questions(p, link, PS_QUESTIONS_OUTSTANDING));
	CHECK_EQ_INT(1, count_questions(p, link, PS_QUESTIONS_ANSWERED));
	CHECK_OK(ps_protocol_question_count(p, link, &n));
	CHECK_EQ_INT(1, n);
	CHECK_OK(ps_protocol_question_remove(p, deletion));
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_question_remove(p, deletion));
	CHECK_EQ_INT(0, count_questions(p, link, PS_QUESTIONS_ANSWERED));

	CHECK_OK(ps_protocol_question_answer(p, conflict, PS_ANSWER_KEEP_BOTH));
	CHECK_EQ_INT(0, count_questions(p, link, PS_QUESTIONS_OUTSTANDING));
	/* forgetting the pair forgets its question */
	CHECK_OK(ps_protocol_pair_delete(p, pair[0].id));
	CHECK_EQ_INT(0, count_questions(p, link, PS_QUESTIONS_OUTSTANDING | PS_QUESTIONS_ANSWERED));
	CHECK_EQ_STR("keep-both", ps_protocol_answer_name(PS_ANSWER_KEEP_BOTH));
	CHECK(ps_protocol_answer_name(PS_ANSWER_NONE) == NULL);
	ps_protocol_close(p);
}

struct seen_question {
	ps_protocol_question q;
	char subject[64];
	int n;
};

static int keep_question(const ps_protocol_question *q, void *ctx)
{
	struct seen_question *s = ctx;

	s->q = *q;
	snprintf(s->subject, sizeof(s->subject), "%s", q->subject ? q->subject : "(none)");
	s->q.subject = s->subject;
	s->n++;
	return 0;
}

void test_protocol__question_fields_round_trip(void)
{
	ps_protocol *p = NULL;
	ps_protocol_pair pair;
	ps_protocol_question q;
	struct seen_question s;
	int64_t link = 0, id = 0;
	uint64_t before = ps_time_now();

	CHECK_OK(ps_protocol_open(&p, db_path("qfields.db")));
	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Common/Contacts", PS_PROTOCOL_BOTH, &link));
	make_pair(&pair, link, 5);
	CHECK_OK(ps_protocol_pair_insert(p, &pair));
	memset(&q, 0, sizeof(q));
	q.pair_id = pair.id;
	q.kind = PS_QUESTION_CONFLICT;
	q.change[0] = PS_CHANGE_DELETED;
	q.when[0] = UINT64_C(133500000000000000);
	q.change[1] = PS_CHANGE_MODIFIED;
	q.when[1] = UINT64_C(133500000000000001);
	q.subject = "Zoë Çelik";
	CHECK_OK(ps_protocol_question_add(p, &q, &id));
	memset(&s, 0, sizeof(s));
	CHECK_OK(ps_protocol_question_list(p, link, PS_QUESTIONS_OUTSTANDING, keep_question, &s));
	CHECK_EQ_INT(1, s.n);
	CHECK_EQ_INT(id, s.q.id);
	CHECK_EQ_INT(pair.id, s.q.pair_id);
	CHECK_EQ_INT(link, s.q.link_id);
	CHECK_EQ_INT(PS_QUESTION_CONFLICT, s.q.kind);
	CHECK_EQ_INT(PS_CHANGE_DELETED, s.q.change[0]);
	CHECK_EQ_INT(PS_CHANGE_MODIFIED, s.q.change[1]);
	CHECK(s.q.when[0] == q.when[0] && s.q.when[1] == q.when[1]);
	CHECK_EQ_STR("Zoë Çelik", s.subject);
	CHECK(s.q.asked >= before);
	CHECK_EQ_INT(PS_ANSWER_NONE, s.q.answer);
	CHECK_EQ_INT(0, s.q.answered);

	CHECK_OK(ps_protocol_question_answer(p, id, PS_ANSWER_UNLINK));
	memset(&s, 0, sizeof(s));
	CHECK_OK(ps_protocol_question_list(p, 0, PS_QUESTIONS_ANSWERED, keep_question, &s));
	CHECK_EQ_INT(1, s.n);
	CHECK_EQ_INT(PS_ANSWER_UNLINK, s.q.answer);
	CHECK(s.q.answered >= s.q.asked);

	/* the same pair asked about something else: the old answer does not apply */
	q.kind = PS_QUESTION_DELETE;
	q.change[0] = PS_CHANGE_DELETED;
	q.change[1] = PS_CHANGE_NONE;
	CHECK_OK(ps_protocol_question_add(p, &q, NULL));
	memset(&s, 0, sizeof(s));
	CHECK_OK(ps_protocol_question_list(p, 0, PS_QUESTIONS_OUTSTANDING, keep_question, &s));
	CHECK_EQ_INT(1, s.n);
	CHECK_EQ_INT(PS_QUESTION_DELETE, s.q.kind);
	CHECK_EQ_INT(PS_ANSWER_NONE, s.q.answer);
	ps_protocol_close(p);
}

/* ---- journal ---------------------------------------------------------- */

struct journal_seen {
	ps_protocol_journal_entry e[8];
	int n;
};

static int keep_journal(const ps_protocol_journal_entry *e, void *ctx)
{
	struct journal_seen *s = ctx;

	CHECK(s->n < 8);
	s->e[s->n++] = *e;
	return 0;
}

/* Journal four actions of a sync, finish one; returns the link's id. */
static int64_t journal_four(ps_protocol *p, int64_t ids[4])
{
	ps_protocol_journal_entry e;
	ps_protocol_pair pair;
	int64_t link = 0, sync = 0;
	int i;

	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Common/Contacts", PS_PROTOCOL_BOTH, &link));
	CHECK_OK(ps_protocol_history_start(p, &sync));
	make_pair(&pair, link, 1);
	memset(&pair.side[PS_PROTOCOL_GLOBAL], 0, sizeof(pair.side[PS_PROTOCOL_GLOBAL]));
	/* the engine's batch: the half-known pairs and their actions, committed
	 * in one transaction before any store is touched */
	CHECK_OK(ps_protocol_begin(p));
	CHECK_OK(ps_protocol_pair_insert(p, &pair));
	for (i = 0; i < 4; i++) {
		memset(&e, 0, sizeof(e));
		e.sync_id = sync;
		e.link_id = link;
		e.pair_id = i == 0 ? pair.id : 0;
		e.action = i;
		e.side = i & 1;
		e.source_eid_size = 24;
		memset(e.source_eid, 0x30 + i, 24);
		if (i) {
			e.target_eid_size = 24;
			memset(e.target_eid, 0x40 + i, 24);
		}
		e.marker_size = 16;
		memset(e.marker, 0x50 + i, 16);
		CHECK_OK(ps_protocol_journal_append(p, &e, &ids[i]));
	}
	CHECK_OK(ps_protocol_commit(p));
	CHECK_OK(ps_protocol_journal_done(p, ids[1]));
	return link;
}

static void check_unfinished(ps_protocol *p, const int64_t ids[4], int64_t link)
{
	struct journal_seen s;
	int k;

	memset(&s, 0, sizeof(s));
	CHECK_OK(ps_protocol_journal_unfinished(p, keep_journal, &s));
	CHECK_EQ_INT(3, s.n);
	CHECK_EQ_INT(ids[0], s.e[0].id);
	CHECK_EQ_INT(ids[2], s.e[1].id);
	CHECK_EQ_INT(ids[3], s.e[2].id);
	for (k = 0; k < 3; k++) {
		int i = k == 0 ? 0 : k + 1;
		const ps_protocol_journal_entry *e = &s.e[k];
		CHECK_EQ_INT(link, e->link_id);
		CHECK(e->sync_id > 0);
		CHECK_EQ_INT(i, e->action);
		CHECK_EQ_INT(i & 1, e->side);
		CHECK(e->created > 0);
		CHECK_EQ_INT(0, e->done);
		CHECK_EQ_INT(24, e->source_eid_size);
		CHECK_EQ_INT(0x30 + i, e->source_eid[23]);
		CHECK_EQ_INT(i ? 24 : 0, e->target_eid_size);
		CHECK_EQ_INT(16, e->marker_size);
		CHECK_EQ_INT(0x50 + i, e->marker[15]);
		CHECK(i == 0 ? e->pair_id > 0 : e->pair_id == 0);
	}
}

void test_protocol__journal_survives_close(void)
{
	const char *path = db_path("journal.db");
	ps_protocol *p = NULL;
	int64_t ids[4], link;
	struct ids left = { { 0 }, 0 };

	CHECK_OK(ps_protocol_open(&p, path));
	link = journal_four(p, ids);
	ps_protocol_close(p); /* killed before marking the rest done */

	CHECK_OK(ps_protocol_open(&p, path));
	check_unfinished(p, ids, link);
	/* the next run completes them; finished entries can be purged */
	CHECK_OK(ps_protocol_journal_done(p, ids[0]));
	CHECK_OK(ps_protocol_journal_done(p, ids[0])); /* twice is harmless */
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_journal_done(p, 999));
	CHECK_OK(ps_protocol_journal_purge(p));
	CHECK_EQ_INT(2, raw_int(path, "SELECT count(*) FROM journal"));
	CHECK_OK(ps_protocol_journal_unfinished(p, collect_journal, &left));
	CHECK_EQ_INT(2, left.n);
	CHECK(left.id[0] == ids[2] && left.id[1] == ids[3]);
	ps_protocol_close(p);
}

void test_protocol__journal_survives_crash(void)
{
	char path[1024], image[1024], from[1100], to[1100];
	ps_protocol *p = NULL, *q = NULL;
	ps_protocol_journal_entry e;
	int64_t ids[4], link;
	struct ids seen = { { 0 }, 0 };
	const char *suffix[] = { "", "-wal" };
	int i;

	snprintf(path, sizeof(path), "%s", db_path("live.db"));
	snprintf(image, sizeof(image), "%s", db_path("image.db"));
	CHECK_OK(ps_protocol_open(&p, path));
	link = journal_four(p, ids);
	/* one more action begun but not committed when the power goes */
	CHECK_OK(ps_protocol_begin(p));
	memset(&e, 0, sizeof(e));
	e.link_id = link;
	e.action = PS_ACTION_COPY;
	CHECK_OK(ps_protocol_journal_append(p, &e, NULL));

	/* the files as they are on disk at this instant, with p still open:
	 * committed data may sit in the -wal file only */
	for (i = 0; i < 2; i++) {
		snprintf(from, sizeof(from), "%s%s", path, suffix[i]);
		snprintf(to, sizeof(to), "%s%s", image, suffix[i]);
		if (ps_path_kind(from) == PS_PATH_FILE)
			copy_file(from, to);
	}
	CHECK_EQ_INT(PS_PATH_FILE, ps_path_kind(ps_test_path(ps_test_tmpdir(), "image.db-wal")));

	CHECK_OK(ps_protocol_open(&q, image));
	CHECK(ps_protocol_reset_reason(q) == NULL);
	check_unfinished(q, ids, link);
	CHECK_OK(ps_protocol_journal_unfinished(q, collect_journal, &seen));
	CHECK_EQ_INT(3, seen.n); /* not the uncommitted fifth */
	ps_protocol_close(q);
	ps_protocol_close(p);
}

void test_protocol__journal_refuses_bad_entries(void)
{
	ps_protocol *p = NULL;
	ps_protocol_journal_entry e;
	int64_t link = 0;

	CHECK_OK(ps_protocol_open(&p, db_path("jbad.db")));
	CHECK_OK(ps_protocol_link_add(p, "/A", "/B", PS_PROTOCOL_BOTH, &link));
	memset(&e, 0, sizeof(e));
	e.link_id = link;
	e.side = 2;
	CHECK_STATUS(PS_EINVAL, ps_protocol_journal_append(p, &e, NULL));
	e.side = 1;
	e.action = 9;
	CHECK_STATUS(PS_EINVAL, ps_protocol_journal_append(p, &e, NULL));
	e.action = PS_ACTION_PAIR;
	e.marker_size = PS_PROTOCOL_MARKER_MAX + 1;
	CHECK_STATUS(PS_EINVAL, ps_protocol_journal_append(p, &e, NULL));
	e.marker_size = 0;
	e.link_id = 999;
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_journal_append(p, &e, NULL));
	e.link_id = link;
	e.pair_id = 999;
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_journal_append(p, &e, NULL));
	ps_protocol_close(p);
}

/* ---- history ---------------------------------------------------------- */

struct history_seen {
	ps_protocol_sync s[8];
	char errors[8][128];
	int n;
};

static int keep_sync(const ps_protocol_sync *s, void *ctx)
{
	struct history_seen *h = ctx;

	CHECK(h->n < 8);
	h->s[h->n] = *s;
	snprintf(h->errors[h->n], sizeof(h->errors[h->n]), "%s", s->errors ? s->errors : "(none)");
	h->n++;
	return 0;
}

void test_protocol__history_round_trip(void)
{
	ps_protocol *p = NULL;
	ps_protocol_counts c;
	struct history_seen h;
	int64_t id[4];
	uint64_t before = ps_time_now();
	int i;

	CHECK_OK(ps_protocol_open(&p, db_path("history.db")));
	for (i = 0; i < 4; i++)
		CHECK_OK(ps_protocol_history_start(p, &id[i]));
	memset(&c, 0, sizeof(c));
	c.copied[PS_PROTOCOL_LOCAL] = 1;
	c.copied[PS_PROTOCOL_GLOBAL] = 2;
	c.overwritten[PS_PROTOCOL_LOCAL] = 3;
	c.overwritten[PS_PROTOCOL_GLOBAL] = 4;
	c.deleted[PS_PROTOCOL_LOCAL] = 5;
	c.deleted[PS_PROTOCOL_GLOBAL] = 6;
	c.paired = 7;
	c.conflicts = 8;
	c.deletes_asked = 9;
	CHECK_OK(ps_protocol_history_finish(p, id[2], PS_ELOCKED, &c,
		"cannot open 'common.pst': in use by another program"));
	CHECK_OK(ps_protocol_history_finish(p, id[1], PS_OK, NULL, ""));
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_history_finish(p, 999, PS_OK, NULL, NULL));

	memset(&h, 0, sizeof(h));
	CHECK_OK(ps_protocol_history_last(p, 3, keep_sync, &h));
	CHECK_EQ_INT(3, h.n);
	CHECK_EQ_INT(id[3], h.s[0].id); /* newest first; still running */
	CHECK_EQ_INT(0, h.s[0].finished);
	CHECK_EQ_INT(id[2], h.s[1].id);
	CHECK(h.s[1].started >= before && h.s[1].finished >= h.s[1].started);
	CHECK_EQ_INT(PS_ELOCKED, h.s[1].status);
	CHECK(memcmp(&h.s[1].counts, &c, sizeof(c)) == 0);
	CHECK_EQ_STR("cannot open 'common.pst': in use by another program", h.errors[1]);
	CHECK_EQ_STR("(none)", h.errors[2]);
	CHECK_EQ_INT(0, h.s[2].counts.paired);

	CHECK_OK(ps_protocol_history_prune(p, 2));
	memset(&h, 0, sizeof(h));
	CHECK_OK(ps_protocol_history_last(p, 10, keep_sync, &h));
	CHECK_EQ_INT(2, h.n);
	CHECK_EQ_INT(id[3], h.s[0].id);
	CHECK_EQ_INT(id[2], h.s[1].id);
	CHECK_OK(ps_protocol_history_prune(p, 5)); /* fewer than that: nothing goes */
	CHECK_OK(ps_protocol_history_prune(p, 0));
	memset(&h, 0, sizeof(h));
	CHECK_OK(ps_protocol_history_last(p, 10, keep_sync, &h));
	CHECK_EQ_INT(0, h.n);
	/* ids are never reused, so that runs keep their order */
	CHECK_OK(ps_protocol_history_start(p, &id[0]));
	CHECK(id[0] > id[3]);
	ps_protocol_close(p);
}

/* Both sides of a pair in one statement: as two single-side updates. */
void test_protocol__pair_set_sides(void)
{
	ps_protocol *p = NULL;
	ps_protocol_pair pair, other, got;
	ps_protocol_side sides[2];
	int64_t link = 0;

	CHECK_OK(ps_protocol_open(&p, db_path("sides.db")));
	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Common/Contacts", PS_PROTOCOL_BOTH, &link));
	make_pair(&pair, link, 1);
	CHECK_OK(ps_protocol_pair_insert(p, &pair));
	make_pair(&other, link, 7);
	sides[0] = other.side[0];
	sides[1] = other.side[1];
	CHECK_OK(ps_protocol_pair_set_sides(p, pair.id, sides));
	CHECK_OK(ps_protocol_pair_get(p, &got, pair.id));
	CHECK(same_side(&sides[0], &got.side[0]) && same_side(&sides[1], &got.side[1]));
	/* one side unknown is a half pair; both unknown is refused and changes nothing */
	memset(&sides[1], 0, sizeof(sides[1]));
	CHECK_OK(ps_protocol_pair_set_sides(p, pair.id, sides));
	CHECK_OK(ps_protocol_pair_get(p, &got, pair.id));
	CHECK_EQ_INT(0, got.side[1].eid_size);
	memset(&sides[0], 0, sizeof(sides[0]));
	CHECK_STATUS(PS_EINVAL, ps_protocol_pair_set_sides(p, pair.id, sides));
	CHECK_OK(ps_protocol_pair_get(p, &got, pair.id));
	CHECK(same_side(&other.side[0], &got.side[0]));
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_pair_set_sides(p, pair.id + 100, other.side));
	ps_protocol_close(p);
}

/* ---- damage found in use, schema, full disk ---------------------------- */

/*
 * Rows that break our invariants in a sound SQLite file pass the open; the
 * call that meets them fails with PS_EPROTOCOL, also inside a transaction
 * that is then rolled back, and the next open sets the file aside with the
 * same notice as damage found at open, the reason kept beside it.
 */
void test_protocol__damage_found_in_use_is_set_aside_next_open(void)
{
	const char *path = db_path("long-eid.db");
	char mark[1100];
	ps_protocol *p = NULL;
	ps_protocol_pair pair;

	fill(path, 20);
	raw_exec(path, "UPDATE pair SET local_eid = randomblob(300) WHERE id = 3");
	CHECK_OK(ps_protocol_open(&p, path));
	CHECK(ps_protocol_reset_reason(p) == NULL);
	CHECK_OK(ps_protocol_pair_get(p, &pair, 2));
	CHECK_OK(ps_protocol_begin(p));
	CHECK_STATUS(PS_EPROTOCOL, ps_protocol_pair_get(p, &pair, 3));
	CHECKF(strstr(ps_error_last(), "300 bytes") && strstr(ps_error_last(), path),
		"message '%s'", ps_error_last());
	CHECK_OK(ps_protocol_rollback(p));
	ps_protocol_close(p);
	snprintf(mark, sizeof(mark), "%s-damage", path);
	CHECK_EQ_INT(PS_PATH_FILE, ps_path_kind(mark));

	expect_set_aside(path, "a value of 300 bytes where at most 256 fit", NULL, 0);
	/* the reason went along with the kept file, and the mark is gone */
	CHECK_EQ_INT(PS_PATH_NONE, ps_path_kind(mark));
	CHECK_OK(ps_protocol_open(&p, path));
	CHECK(ps_protocol_reset_reason(p) == NULL);
	ps_protocol_close(p);
}

/* A mark left with no database beside it (the file was deleted by hand, or
 * a crash came between moving the file and its mark) is no damage. */
void test_protocol__damage_mark_without_database_is_dropped(void)
{
	const char *path = db_path("mark-alone.db");
	char mark[1100];
	ps_protocol *p = NULL;

	snprintf(mark, sizeof(mark), "%s-damage", path);
	ps_test_write_file(mark, "x", 1);
	CHECK_OK(ps_protocol_open(&p, path));
	CHECK(ps_protocol_reset_reason(p) == NULL);
	CHECK_EQ_INT(PS_PATH_NONE, ps_path_kind(mark));
	ps_protocol_close(p);
}

/* "2": the current schema version as text, for messages that name it */
#define SCHEMA_TEXT_(v) #v
#define SCHEMA_TEXT_OF(v) SCHEMA_TEXT_(v)
#define SCHEMA_TEXT SCHEMA_TEXT_OF(PS_PROTOCOL_SCHEMA_VERSION)

/* Open a filled protocol changed by @p sql: it must be set aside for @p why. */
static void expect_schema_damage(const char *name, const char *sql, const char *why)
{
	const char *path = db_path(name);

	fill(path, 5);
	raw_exec(path, sql);
	expect_set_aside(path, why, NULL, 0);
}

void test_protocol__damaged_schema(void)
{
	expect_schema_damage("drop-table.db", "DROP TABLE question", "no table 'question'");
	expect_schema_damage("drop-index.db", "DROP INDEX pair_search_key",
		"no index 'pair_search_key'");
	expect_schema_damage("add-column.db", "ALTER TABLE pair ADD COLUMN extra TEXT",
		"table 'pair' is not the one of schema version " SCHEMA_TEXT);
	expect_schema_damage("drop-column.db", "ALTER TABLE link DROP COLUMN global_items",
		"table 'link' is not the one of schema version " SCHEMA_TEXT);
	expect_schema_damage("rename-column.db", "ALTER TABLE sync RENAME COLUMN errors TO errs",
		"table 'sync' is not the one of schema version " SCHEMA_TEXT);
	expect_schema_damage("extra-table.db", "CREATE TABLE notes (x)", "unknown table 'notes'");
	expect_schema_damage("extra-trigger.db", "CREATE TRIGGER t AFTER INSERT ON pair "
		"BEGIN DELETE FROM pair; END", "unknown trigger 't'");
}

/* The check runs at every open: it must stay cheap. */
void test_protocol__schema_check_is_cheap(void)
{
	const char *path = db_path("cheap.db");
	ps_protocol *p = NULL;
	uint64_t start, spent;
	int i;

	fill(path, 100);
	record_sync(path, 1, 0);
	start = ps_time_now();
	for (i = 0; i < 20; i++) {
		CHECK_OK(ps_protocol_open(&p, path));
		ps_protocol_close(p);
	}
	spent = (ps_time_now() - start) / 10000 / 20; /* ms per open */
	if (getenv("V") && strcmp(getenv("V"), "1") == 0)
		printf("        %llu ms per open\n", (unsigned long long)spent);
	CHECKF(spent < 50, "an open takes %llu ms", (unsigned long long)spent);
}

int ps_protocol__disk_full(int rc, int system_errno);

/* SQLite's full disk and the system's, seen through an I/O error. */
void test_protocol__disk_full_mapping(void)
{
#ifdef _WIN32
	const int full = 112, quota = 39, other = 5;  /* ERROR_DISK_FULL, _HANDLE_DISK_FULL, _ACCESS_DENIED */
#else
	const int full = ENOSPC, quota = EDQUOT, other = EIO;
#endif
	CHECK(ps_protocol__disk_full(SQLITE_FULL, 0));
	CHECK(ps_protocol__disk_full(SQLITE_IOERR_WRITE, full));
	CHECK(ps_protocol__disk_full(SQLITE_IOERR_SHMSIZE, full));
	CHECK(ps_protocol__disk_full(SQLITE_IOERR_TRUNCATE, quota));
	CHECK(ps_protocol__disk_full(SQLITE_IOERR_FSYNC, full));
	CHECK(!ps_protocol__disk_full(SQLITE_IOERR_WRITE, other));
	CHECK(!ps_protocol__disk_full(SQLITE_IOERR_READ, 0));
	CHECK(!ps_protocol__disk_full(SQLITE_CORRUPT, full));
	CHECK(!ps_protocol__disk_full(SQLITE_BUSY, full));
}
