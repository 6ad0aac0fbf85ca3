/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the protocol's seal (src/core/protocol.c, put_seal/take_seal): a
 * clean close leaves the file's stamp beside it and the next open, finding
 * the file as it was, does not walk every page again; every way the file
 * can change in between (a sync that did not end, bytes damaged in place
 * with the size and modification time put back, a copy in its place,
 * another program's write, a -wal left with frames) still gets the check,
 * and damage is still found and set aside.
 */
#include "harness.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/protocol.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

static const char *seal_db(const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s", ps_test_path(ps_test_tmpdir(), name));
	return path;
}

static int seal_exists(const char *path)
{
	char seal[1100];

	snprintf(seal, sizeof(seal), "%s-sealed", path);
	return ps_path_kind(seal) == PS_PATH_FILE;
}

/* A protocol of @p n pairs and one sync on record, ended well when @p clean. */
static void seal_fill(const char *path, int n, int clean)
{
	ps_protocol *p = NULL;
	ps_protocol_pair pair;
	int64_t link = 0, id = 0;
	int i;

	CHECK_OK(ps_protocol_open(&p, path));
	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Common/Contacts", PS_PROTOCOL_BOTH, &link));
	CHECK_OK(ps_protocol_begin(p));
	for (i = 0; i < n; i++) {
		memset(&pair, 0, sizeof(pair));
		pair.link_id = link;
		pair.side[0].eid_size = pair.side[1].eid_size = 24;
		memset(pair.side[0].eid, 1, 24);
		memset(pair.side[1].eid, 2, 24);
		memcpy(pair.side[0].eid + 20, &i, sizeof(i));
		memcpy(pair.side[1].eid + 20, &i, sizeof(i));
		pair.side[0].nid = pair.side[1].nid = (uint32_t)(0x200004 + 32 * i);
		CHECK_OK(ps_protocol_pair_insert(p, &pair));
	}
	CHECK_OK(ps_protocol_commit(p));
	CHECK_OK(ps_protocol_history_start(p, &id));
	if (clean)
		CHECK_OK(ps_protocol_history_finish(p, id, PS_OK, NULL, NULL));
	ps_protocol_close(p);
}

/* Open @p path and expect what the open checked, and no reset. */
static void expect_check(const char *path, const char *checked)
{
	ps_protocol *p = NULL;

	CHECK_OK(ps_protocol_open(&p, path));
	CHECKF(strcmp(ps_protocol_open_check(p), checked) == 0, "'%s' opened with check '%s', not '%s'",
		path, ps_protocol_open_check(p), checked);
	CHECK(ps_protocol_reset_reason(p) == NULL);
	/* taken away while open: a write now cannot leave it standing */
	CHECK(!seal_exists(path));
	ps_protocol_close(p);
}

void test_protocol_seal__clean_close_seals_and_reopen_skips_the_walk(void)
{
	const char *path = seal_db("sealed.db");

	seal_fill(path, 500, 1);
	CHECK(seal_exists(path));
	expect_check(path, "sealed");
	CHECK(seal_exists(path));
	expect_check(path, "sealed");
}

void test_protocol_seal__unended_sync_leaves_no_seal(void)
{
	const char *path = seal_db("unended.db");

	seal_fill(path, 50, 0);
	CHECK(!seal_exists(path));
	expect_check(path, "integrity");
	/* still no sync that ended: the next open checks everything again */
	CHECK(!seal_exists(path));
}

/* Bytes damaged in place, the size and the modification time put back as
 * they were: the change time and the seal's say otherwise, the check runs
 * and the damage is found. */
void test_protocol_seal__damage_with_time_put_back_is_found(void)
{
	const char *path = seal_db("scribbled.db");
	ps_protocol *p = NULL;
	struct stat before;
	struct utimbuf tv;
	size_t size, page, i;
	unsigned char *data;

	seal_fill(path, 2000, 1);
	CHECK(seal_exists(path));
	CHECK(stat(path, &before) == 0);
	data = ps_test_read_file(path, &size);
	page = ((size_t)data[16] << 8 | data[17]) == 1 ? 65536 : ((size_t)data[16] << 8 | data[17]);
	CHECK(size > 8 * page);
	for (i = 3 * page; i < 6 * page; i++)
		data[i] = (unsigned char)(i * 131u + 7u);
	ps_test_write_file(path, data, size);
	free(data);
	tv.actime = before.st_atime;
	tv.modtime = before.st_mtime;
	CHECK(utime(path, &tv) == 0);
	CHECK_OK(ps_protocol_open(&p, path));
	CHECKF(ps_protocol_reset_reason(p) != NULL, "damage behind a seal went unnoticed (check '%s')",
		ps_protocol_open_check(p));
	ps_protocol_close(p);
}

/* A copy put in the file's place (a restored backup, the same bytes): checked. */
void test_protocol_seal__copy_in_its_place_is_checked(void)
{
	const char *path = seal_db("copied.db");
	char tmp[1100];
	size_t size;
	void *data;

	seal_fill(path, 100, 1);
	CHECK(seal_exists(path));
	data = ps_test_read_file(path, &size);
	snprintf(tmp, sizeof(tmp), "%s.copy", path);
	ps_test_write_file(tmp, data, size);
	free(data);
	CHECK_OK(ps_path_rename(tmp, path));
	expect_check(path, "pages");
	expect_check(path, "sealed");
}

/* Another program writes the file (the sqlite3 shell): checked. */
void test_protocol_seal__another_writer_is_checked(void)
{
	const char *path = seal_db("written.db");
	sqlite3 *db = NULL;

	seal_fill(path, 100, 1);
	CHECK(seal_exists(path));
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "UPDATE link SET last_sync = 7", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	expect_check(path, "pages");
}

/* A -wal with frames beside a sealed file (another process wrote, and was
 * killed before it could checkpoint): checked, the frames with it. */
void test_protocol_seal__wal_with_frames_is_checked(void)
{
	const char *path = seal_db("wal.db");
	char wal[1100];
	sqlite3 *db = NULL;
	size_t size;
	void *data;

	seal_fill(path, 100, 1);
	CHECK(seal_exists(path));
	/* keep the main file as it is: the write stays in the -wal, which is
	 * copied while open and put back after the close, as a kill leaves it */
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;"
		"UPDATE link SET last_sync = 7", NULL, NULL, NULL) == SQLITE_OK);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	data = ps_test_read_file(wal, &size);
	CHECK(size > 0);
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
	sqlite3_close(db);
	ps_test_write_file(wal, data, size);
	free(data);
	expect_check(path, "pages");
}
