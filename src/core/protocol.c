/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The protocol of a profile in SQLite (see include/pstsync/protocol.h): the
 * schema and its migrations, opening with damage detection (a damaged file
 * is set aside and a fresh one started, never repaired in place), and the
 * rows the engine keeps: links, item pairs, questions, the journal of
 * actions in flight and the history of syncs.
 *
 * Every statement is prepared once per handle, on first use, and reused with
 * bound parameters: a sync updates thousands of pairs in one transaction and
 * must not parse SQL for each. Statements that differ only by side are one
 * template whose "{S}" becomes "local" or "global" at prepare time, so the
 * two sides share one code path.
 */
#include "pstsync/protocol.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "core/util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "PSTS": PRAGMA application_id, so that another program's SQLite file left
 * at our path is recognised as not ours rather than migrated. */
#define APPLICATION_ID 0x50535453

static const char *const side_name[2] = { "local", "global" };

/* ---- schema ----------------------------------------------------------- */

/*
 * The migrations: migrations[v] takes a database from schema version v to
 * v + 1 (version 0 is the empty file). Never edit an entry once released;
 * append a new one and raise PS_PROTOCOL_SCHEMA_VERSION. Enumerations are
 * stored as text so that support can read a database with the sqlite3 shell.
 * Times are FILETIME; 0 means "never" or "unknown".
 */
static const char *const migrations[] = {
	/* 0 -> 1: the first schema */
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
	/* NULLs are distinct in a unique index: half-known pairs do not clash */
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
	/* AUTOINCREMENT: ids never come back after a prune, so they order runs */
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
	/* AUTOINCREMENT: the journal is replayed in id order */
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
	/* the foreign keys' children need indexes, or deleting a link with
	 * thousands of pairs scans the journal once per pair */
	"CREATE INDEX journal_link ON journal(link_id);"
	"CREATE INDEX journal_pair ON journal(pair_id);"
	"CREATE INDEX journal_sync ON journal(sync_id);",
	/* 1 -> 2: store identity, item versions and folder identity (issue 10:
	 * stores restored from older copies, replaced stores, folders moved) */
	"CREATE TABLE store_state ("
	"  side TEXT PRIMARY KEY CHECK (side IN ('local', 'global')),"
	"  record_key BLOB,"
	"  mark INTEGER NOT NULL DEFAULT 0,"
	"  seen INTEGER NOT NULL DEFAULT 0,"
	"  event TEXT"
	");"
	"CREATE TABLE pair_version ("
	"  pair_id INTEGER NOT NULL REFERENCES pair(id) ON DELETE CASCADE,"
	"  side INTEGER NOT NULL CHECK (side IN (0, 1)),"
	"  change_key BLOB,"
	"  pcl BLOB,"
	"  search_key BLOB,"
	"  PRIMARY KEY (pair_id, side)"
	");"
	"CREATE TABLE link_folder ("
	"  link_id INTEGER NOT NULL REFERENCES link(id) ON DELETE CASCADE,"
	"  side INTEGER NOT NULL CHECK (side IN (0, 1)),"
	"  eid BLOB NOT NULL,"
	"  PRIMARY KEY (link_id, side)"
	");"
	/* the items of forgotten pairs (both sides known: a copy that failed
	 * leaves none): one that comes back in a store restored from an older
	 * copy was deleted since, not added */
	"CREATE TABLE pair_gone ("
	"  link_id INTEGER NOT NULL REFERENCES link(id) ON DELETE CASCADE,"
	"  local_eid BLOB,"
	"  global_eid BLOB,"
	"  gone INTEGER NOT NULL"
	");"
	"CREATE INDEX pair_gone_link ON pair_gone(link_id);"
	"CREATE TRIGGER pair_gone_note AFTER DELETE ON pair"
	"  WHEN old.local_eid IS NOT NULL AND old.global_eid IS NOT NULL"
	"    AND EXISTS (SELECT 1 FROM link WHERE id = old.link_id) BEGIN"
	"  INSERT INTO pair_gone (link_id, local_eid, global_eid, gone) VALUES (old.link_id,"
	"    old.local_eid, old.global_eid,"
	"    CAST((julianday('now') - 2305813.5) * 864000000000 AS INTEGER));"
	"  END;"
	/* a side that names another item now (restored as a new item, moved) */
	"CREATE TRIGGER pair_gone_local AFTER UPDATE OF local_eid ON pair"
	"  WHEN old.local_eid IS NOT NULL AND old.global_eid IS NOT NULL"
	"    AND (new.local_eid IS NULL OR new.local_eid <> old.local_eid) BEGIN"
	"  INSERT INTO pair_gone (link_id, local_eid, global_eid, gone) VALUES (old.link_id,"
	"    old.local_eid, NULL, CAST((julianday('now') - 2305813.5) * 864000000000 AS INTEGER));"
	"  END;"
	"CREATE TRIGGER pair_gone_global AFTER UPDATE OF global_eid ON pair"
	"  WHEN old.local_eid IS NOT NULL AND old.global_eid IS NOT NULL"
	"    AND (new.global_eid IS NULL OR new.global_eid <> old.global_eid) BEGIN"
	"  INSERT INTO pair_gone (link_id, local_eid, global_eid, gone) VALUES (old.link_id,"
	"    NULL, old.global_eid, CAST((julianday('now') - 2305813.5) * 864000000000 AS INTEGER));"
	"  END;",
	/* 2 -> 3: what a one-way link leaves on each side on purpose, for status */
	"ALTER TABLE link ADD COLUMN local_not_carried INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE link ADD COLUMN global_not_carried INTEGER NOT NULL DEFAULT 0;",
	/* 3 -> 4: each linked folder's contents table as it was at the end of
	 * the last complete sync, so that the next one knows what did not
	 * change without reading it (issue 13) */
	"CREATE TABLE link_stamp ("
	"  link_id INTEGER NOT NULL REFERENCES link(id) ON DELETE CASCADE,"
	"  side INTEGER NOT NULL CHECK (side IN (0, 1)),"
	"  folder_nid INTEGER NOT NULL,"
	"  data_bid INTEGER NOT NULL,"
	"  sub_bid INTEGER NOT NULL,"
	"  items INTEGER NOT NULL DEFAULT 0,"
	"  not_carried INTEGER NOT NULL DEFAULT 0,"
	"  direction INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (link_id, side)"
	");"
};

#define MIGRATION_COUNT ((int)(sizeof(migrations) / sizeof(migrations[0])))

_Static_assert(MIGRATION_COUNT == PS_PROTOCOL_SCHEMA_VERSION,
	"one migration per schema version");

/* ---- statements ------------------------------------------------------- */

#define PAIR_COLUMNS \
	"id, link_id, search_key, " \
	"local_eid, local_nid, local_modified, local_fingerprint, local_size, " \
	"global_eid, global_nid, global_modified, global_fingerprint, global_size"
#define LINK_COLUMNS \
	"id, local_path, global_path, direction, created, last_sync, local_items, global_items, " \
	"local_not_carried, global_not_carried"
#define QUESTION_COLUMNS \
	"q.id, q.pair_id, p.link_id, q.kind, q.local_change, q.local_when, " \
	"q.global_change, q.global_when, q.subject, q.asked, q.answer, q.answered"
#define JOURNAL_COLUMNS \
	"id, sync_id, link_id, pair_id, action, side, source_eid, target_eid, marker, created, done"
#define SYNC_COLUMNS \
	"id, started, finished, status, local_copied, global_copied, local_overwritten, " \
	"global_overwritten, local_deleted, global_deleted, paired, conflicts, deletes_asked, errors"

/* Per-side statements take two slots: the id, and the id + 1 for side 1. */
enum stmt_id {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_LINK_ADD, S_LINK_FIND, S_LINK_GET, S_LINK_LIST, S_LINK_DIRECTION,
	S_LINK_REMOVE, S_LINK_SYNCED, S_LINK_NOT_CARRIED,
	S_PAIR_INSERT, S_PAIR_SET_SIDE, S_PAIR_SET_SIDE_1_, S_PAIR_SET_SIDES, S_PAIR_SET_KEY, S_PAIR_GET,
	S_PAIR_FIND_EID, S_PAIR_FIND_EID_1_, S_PAIR_FIND_KEY, S_PAIR_LIST, S_PAIR_COUNT,
	S_PAIR_DELETE,
	S_Q_ADD, S_Q_LIST, S_Q_COUNT, S_Q_KIND, S_Q_ANSWER, S_Q_REMOVE,
	S_J_APPEND, S_J_DONE, S_J_UNFINISHED, S_J_PURGE,
	S_H_START, S_H_FINISH, S_H_LAST, S_H_PRUNE,
	S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",

	[S_LINK_ADD] = "INSERT INTO link(local_path, global_path, direction, created) "
		"VALUES (?1, ?2, ?3, ?4)",
	[S_LINK_FIND] = "SELECT " LINK_COLUMNS " FROM link WHERE local_path = ?1 AND global_path = ?2",
	[S_LINK_GET] = "SELECT " LINK_COLUMNS " FROM link WHERE id = ?1",
	[S_LINK_LIST] = "SELECT " LINK_COLUMNS " FROM link WHERE substr(local_path, 1, 1) <> char(1) "
		"ORDER BY id",
	[S_LINK_DIRECTION] = "UPDATE link SET direction = ?2 WHERE id = ?1",
	[S_LINK_REMOVE] = "DELETE FROM link WHERE id = ?1",
	[S_LINK_SYNCED] = "UPDATE link SET last_sync = ?2, local_items = ?3, global_items = ?4 "
		"WHERE id = ?1",
	[S_LINK_NOT_CARRIED] = "UPDATE link SET local_not_carried = ?2, global_not_carried = ?3 "
		"WHERE id = ?1",

	[S_PAIR_INSERT] = "INSERT INTO pair(link_id, search_key, "
		"local_eid, local_nid, local_modified, local_fingerprint, local_size, "
		"global_eid, global_nid, global_modified, global_fingerprint, global_size) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[S_PAIR_SET_SIDE] = "UPDATE pair SET {S}_eid = ?2, {S}_nid = ?3, {S}_modified = ?4, "
		"{S}_fingerprint = ?5, {S}_size = ?6 WHERE id = ?1",
	[S_PAIR_SET_SIDES] = "UPDATE pair SET local_eid = ?2, local_nid = ?3, local_modified = ?4, "
		"local_fingerprint = ?5, local_size = ?6, global_eid = ?7, global_nid = ?8, "
		"global_modified = ?9, global_fingerprint = ?10, global_size = ?11 WHERE id = ?1",
	[S_PAIR_SET_KEY] = "UPDATE pair SET search_key = ?2 WHERE id = ?1",
	[S_PAIR_GET] = "SELECT " PAIR_COLUMNS " FROM pair WHERE id = ?1",
	[S_PAIR_FIND_EID] = "SELECT " PAIR_COLUMNS " FROM pair WHERE link_id = ?1 AND {S}_eid = ?2",
	[S_PAIR_FIND_KEY] = "SELECT " PAIR_COLUMNS " FROM pair WHERE link_id = ?1 AND search_key = ?2 "
		"ORDER BY id LIMIT 1",
	/* ORDER BY id on a plain rowid scan (NOT INDEXED: through an index
	 * on link_id SQLite would sort a copy of every row first), so a
	 * callback that updates its pair never makes it come round again */
	[S_PAIR_LIST] = "SELECT " PAIR_COLUMNS " FROM pair NOT INDEXED WHERE link_id = ?1 ORDER BY id",
	[S_PAIR_COUNT] = "SELECT count(*) FROM pair WHERE link_id = ?1",
	[S_PAIR_DELETE] = "DELETE FROM pair WHERE id = ?1",

	/* asking again keeps the id, the first-asked time and, for the same
	 * kind of question, the answer (all right-hand sides see old values) */
	[S_Q_ADD] = "INSERT INTO question(pair_id, kind, local_change, local_when, "
		"global_change, global_when, subject, asked) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
		"ON CONFLICT(pair_id) DO UPDATE SET "
		"answer = CASE WHEN kind = excluded.kind THEN answer END, "
		"answered = CASE WHEN kind = excluded.kind THEN answered ELSE 0 END, "
		"kind = excluded.kind, local_change = excluded.local_change, "
		"local_when = excluded.local_when, global_change = excluded.global_change, "
		"global_when = excluded.global_when, subject = excluded.subject "
		"RETURNING id",
	[S_Q_LIST] = "SELECT " QUESTION_COLUMNS " FROM question q JOIN pair p ON p.id = q.pair_id "
		"WHERE (?1 = 0 OR p.link_id = ?1) AND "
		"((?2 & 1 AND (q.answer IS NULL OR q.answer = 'later')) OR "
		" (?2 & 2 AND q.answer IS NOT NULL AND q.answer <> 'later')) "
		"ORDER BY q.id",
	[S_Q_COUNT] = "SELECT count(*) FROM question q JOIN pair p ON p.id = q.pair_id "
		"WHERE (?1 = 0 OR p.link_id = ?1) AND (q.answer IS NULL OR q.answer = 'later')",
	[S_Q_KIND] = "SELECT kind FROM question WHERE id = ?1",
	[S_Q_ANSWER] = "UPDATE question SET answer = ?2, answered = ?3 WHERE id = ?1",
	[S_Q_REMOVE] = "DELETE FROM question WHERE id = ?1",

	[S_J_APPEND] = "INSERT INTO journal(sync_id, link_id, pair_id, action, side, source_eid, "
		"target_eid, marker, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_J_DONE] = "UPDATE journal SET done = CASE WHEN done = 0 THEN ?2 ELSE done END WHERE id = ?1",
	[S_J_UNFINISHED] = "SELECT " JOURNAL_COLUMNS " FROM journal WHERE done = 0 ORDER BY id",
	[S_J_PURGE] = "DELETE FROM journal WHERE done <> 0",

	[S_H_START] = "INSERT INTO sync(started) VALUES (?1)",
	[S_H_FINISH] = "UPDATE sync SET finished = ?2, status = ?3, local_copied = ?4, "
		"global_copied = ?5, local_overwritten = ?6, global_overwritten = ?7, "
		"local_deleted = ?8, global_deleted = ?9, paired = ?10, conflicts = ?11, "
		"deletes_asked = ?12, errors = ?13 WHERE id = ?1",
	[S_H_LAST] = "SELECT " SYNC_COLUMNS " FROM sync ORDER BY id DESC LIMIT ?1",
	[S_H_PRUNE] = "DELETE FROM sync WHERE id <= "
		"(SELECT id FROM sync ORDER BY id DESC LIMIT 1 OFFSET ?1)",
};

struct ps_protocol {
	sqlite3 *db;
	char *path;
	char *reset_reason;
	char *damaged_path;
	int busy_ms;
	int writable;               /* opened by ps_protocol_open(): seals its file at close */
	int sealed;                 /* the file is as a clean close left it (see take_seal) */
	const char *checked;        /* what the open checked: ps_protocol_open_check() */
	sqlite3_stmt *stmt[S_COUNT];
	sqlite3_stmt *hstmt[20];    /* store identity and history (the end of this file) */
};

/* ---- errors ----------------------------------------------------------- */

/* System error codes of a full disk or quota, as sqlite3_system_errno()
 * gives them: errno values, or on Windows GetLastError() values. */
#ifdef _WIN32
#define SYS_DISK_FULL 112        /* ERROR_DISK_FULL */
#define SYS_HANDLE_DISK_FULL 39  /* ERROR_HANDLE_DISK_FULL */
#else
#include <errno.h>
#define SYS_DISK_FULL ENOSPC
#define SYS_HANDLE_DISK_FULL EDQUOT
#endif

/*
 * Whether an SQLite failure is a full disk. SQLite says SQLITE_FULL only
 * when it sees the disk full itself; a -wal or -shm file that cannot grow
 * comes back as some SQLITE_IOERR_*, with the system's code beside it.
 */
int ps_protocol__disk_full(int rc, int system_errno);
int ps_protocol__disk_full(int rc, int system_errno)
{
	if ((rc & 0xff) == SQLITE_FULL)
		return 1;
	return ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CANTOPEN) &&
		(system_errno == SYS_DISK_FULL || system_errno == SYS_HANDLE_DISK_FULL);
}

/* The file beside the database that marks it damaged (holding why), so
 * that damage found in use sets the file aside at the next open. */
#define DAMAGE_MARK "-damage"

/* The file beside the database that says how a clean close left it (see
 * put_seal). */
#define SEAL "-sealed"

/*
 * Damage found while in use: remember it beside the file for the next
 * open, which sets the file aside (a flag in the database itself could be
 * rolled back with the transaction that found the damage, or not be
 * writable at all). Returns PS_EPROTOCOL with the message for the user.
 */
static int damage_found(ps_protocol *p, const char *why)
{
	char *mark = ps__asprintf("%s" DAMAGE_MARK, p->path);
	ps_file *file = NULL;

	/* best effort: the error below is what matters now; an existing mark
	 * (already found) is kept as it is */
	if (mark && ps_file_open(&file, mark, PS_OPEN_WRITE | PS_OPEN_CREATE) == PS_OK) {
		if (ps_file_write_at(file, 0, why, strlen(why)) == PS_OK)
			ps_file_sync(file);
		ps_file_close(file);
	}
	free(mark);
	return ps_error_set(PS_EPROTOCOL, "the protocol '%s' is damaged: %s; the next run sets it "
		"aside and starts a new one", p->path, why);
}

/* Translate an SQLite result into our status and message, once, here. */
static int sql_error(ps_protocol *p, int rc, const char *what)
{
	const char *detail = p->db ? sqlite3_errmsg(p->db) : sqlite3_errstr(rc);

	if (ps_protocol__disk_full(rc, p->db ? sqlite3_system_errno(p->db) : 0))
		return ps_error_set(PS_ENOSPC, "cannot write the protocol '%s': the disk is full",
			p->path);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ps_error_set(PS_ELOCKED, "cannot %s: the protocol '%s' is locked by another "
			"program (waited %d ms)", what, p->path, p->busy_ms);
	case SQLITE_NOMEM:
		return ps_error_set(PS_ENOMEM, "out of memory");
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: {
		char *why = ps__asprintf("cannot %s: %s", what, detail);
		int status;
		if (!why)
			return ps_error_set(PS_ENOMEM, "out of memory");
		status = damage_found(p, why);
		free(why);
		return status;
	}
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			return ps_error_set(PS_ENOTFOUND, "cannot %s in the protocol '%s': "
				"what it refers to does not exist", what, p->path);
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return ps_error_set(PS_EEXISTS, "cannot %s in the protocol '%s': "
				"it is already recorded (%s)", what, p->path, detail);
		return ps_error_set(PS_EINVAL, "cannot %s in the protocol '%s': %s",
			what, p->path, detail);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_PROTOCOL:
		return ps_error_set(PS_EIO, "cannot %s in the protocol '%s': %s", what, p->path, detail);
	default:
		return ps_error_set(PS_ERROR, "cannot %s in the protocol '%s': %s", what, p->path, detail);
	}
}

static int bad_side(int side)
{
	return ps_error_set(PS_EINVAL, "side %d is neither local (0) nor global (1)", side);
}

/* ---- statement helpers ------------------------------------------------ */

/* Replace each "{S}" of @p tmpl by @p side; only column names, never values. */
static char *expand_side(const char *tmpl, const char *side)
{
	size_t n = strlen(tmpl), sn = strlen(side), count = 0;
	const char *s;
	char *out, *o;

	for (s = strstr(tmpl, "{S}"); s; s = strstr(s + 3, "{S}"))
		count++;
	out = malloc(n + count * sn + 1);
	if (!out)
		return NULL;
	for (o = out, s = tmpl; *s;) {
		if (s[0] == '{' && s[1] == 'S' && s[2] == '}') {
			memcpy(o, side, sn);
			o += sn;
			s += 3;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/*
 * The prepared statement @p id (for @p side when it has one), prepared on
 * first use and kept until close. A statement still stepping belongs to a
 * walk in progress: using it again would restart that walk.
 */
static int stmt_get(ps_protocol *p, sqlite3_stmt **out, int id, int side)
{
	int slot = id + side;
	const char *sql = stmt_sql[id];
	char *expanded = NULL;
	int rc;

	if (p->stmt[slot]) {
		if (sqlite3_stmt_busy(p->stmt[slot]))
			return ps_error_set(PS_EINVAL, "a walk of the protocol '%s' cannot start "
				"the same walk again", p->path);
		*out = p->stmt[slot];
		return PS_OK;
	}
	if (strstr(sql, "{S}")) {
		expanded = expand_side(sql, side_name[side]);
		if (!expanded)
			return ps_error_set(PS_ENOMEM, "out of memory");
		sql = expanded;
	}
	rc = sqlite3_prepare_v3(p->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &p->stmt[slot], NULL);
	free(expanded);
	if (rc != SQLITE_OK)
		return sql_error(p, rc, "prepare a statement");
	*out = p->stmt[slot];
	return PS_OK;
}

/* Unbind and rewind, so that the statement holds no pointer of ours. */
static void stmt_release(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Step a statement that returns no row (or one we ignore), then release it. */
static int stmt_run(ps_protocol *p, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	int status = PS_OK;

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		status = sql_error(p, rc, what);
	stmt_release(st);
	return status;
}

/* Step once: PS_OK with a row, PS_ENOTFOUND with none, or the error. */
static int stmt_row(ps_protocol *p, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return PS_OK;
	if (rc == SQLITE_DONE)
		return PS_ENOTFOUND;
	return sql_error(p, rc, what);
}

/* Step a walk: 1 with a row, 0 at the end, or the error. */
static int walk_next(ps_protocol *p, sqlite3_stmt *st, const char *what)
{
	int rc = stmt_row(p, st, what);

	return rc == PS_OK ? 1 : rc == PS_ENOTFOUND ? 0 : rc;
}

static int bind_blob(sqlite3_stmt *st, int i, const void *data, size_t size)
{
	/* SQLITE_STATIC: every statement is stepped and unbound before we return */
	return size ? sqlite3_bind_blob(st, i, data, (int)size, SQLITE_STATIC)
		: sqlite3_bind_null(st, i);
}

static int bind_text(sqlite3_stmt *st, int i, const char *text)
{
	return text ? sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* FILETIMEs and sizes fit in 63 bits; the cast keeps any bit pattern anyway. */
static int bind_u64(sqlite3_stmt *st, int i, uint64_t v)
{
	return sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

static int bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	return id ? sqlite3_bind_int64(st, i, id) : sqlite3_bind_null(st, i);
}

static int bind_failed(ps_protocol *p, sqlite3_stmt *st, const char *what)
{
	stmt_release(st);
	return ps_error_set(PS_ERROR, "cannot %s in the protocol '%s': cannot bind a value (%s)",
		what, p->path, sqlite3_errmsg(p->db));
}

static uint64_t col_u64(sqlite3_stmt *st, int i)
{
	return (uint64_t)sqlite3_column_int64(st, i);
}

/* Copy a blob column into a fixed buffer; longer than it can only be damage. */
static int col_blob(ps_protocol *p, sqlite3_stmt *st, int i, uint8_t *buf, size_t cap,
	size_t *size_out)
{
	const void *data = sqlite3_column_blob(st, i);
	int n = sqlite3_column_bytes(st, i);

	if (n < 0 || (size_t)n > cap) {
		char why[80];
		snprintf(why, sizeof(why), "a value of %d bytes where at most %zu fit", n, cap);
		return damage_found(p, why);
	}
	if (n)
		memcpy(buf, data, (size_t)n);
	*size_out = (size_t)n;
	return PS_OK;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* The index of @p text in @p names[0..count), or -1. */
static int name_index(const char *const *names, int count, const char *text)
{
	int i;

	for (i = 0; text && i < count; i++)
		if (names[i] && strcmp(names[i], text) == 0)
			return i;
	return -1;
}

static int bad_value(ps_protocol *p, const char *column, const char *text)
{
	char *why = ps__asprintf("unknown %s '%.100s'", column, text ? text : "(null)");
	int rc;

	if (!why)
		return ps_error_set(PS_ENOMEM, "out of memory");
	rc = damage_found(p, why);
	free(why);
	return rc;
}

/* ---- names ------------------------------------------------------------ */

static const char *const direction_names[] = { "both", "from-global", "to-global" };
static const char *const kind_names[] = { "conflict", "delete" };
static const char *const change_names[] = { "none", "modified", "deleted" };
static const char *const answer_names[] = {
	NULL, "later", "keep-local", "keep-global", "keep-both", "unlink", "delete", "restore"
};
static const char *const action_names[] = { "copy", "overwrite", "delete", "pair" };

#define COUNT_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *ps_protocol_direction_name(int direction)
{
	return direction >= 0 && direction < COUNT_OF(direction_names)
		? direction_names[direction] : NULL;
}

int ps_protocol_direction_parse(const char *name)
{
	return name_index(direction_names, COUNT_OF(direction_names), name);
}

const char *ps_protocol_answer_name(int answer)
{
	return answer >= 0 && answer < COUNT_OF(answer_names) ? answer_names[answer] : NULL;
}

/* ---- opening ---------------------------------------------------------- */

/* Outcome of looking at an existing file before trusting it. */
enum verdict { V_NEW, V_CURRENT, V_OLDER, V_DAMAGED };

/* One integer from a one-row query such as a PRAGMA. Returns the SQLite code. */
static int query_int(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			*out = 0;
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* An SQLite failure met while inspecting: damage, or a real error to report. */
static int inspect_failure(ps_protocol *p, int rc, char **why)
{
	if ((rc & 0xff) == SQLITE_NOTADB) {
		*why = ps__strdup("not an SQLite database");
		return *why ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
	}
	if ((rc & 0xff) == SQLITE_CORRUPT) {
		*why = ps__asprintf("corrupted: %s", sqlite3_errmsg(p->db));
		return *why ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
	}
	return sql_error(p, rc, "read");
}

/*
 * Decide whether the database just opened can be used. Damage is not an
 * error here: it gives V_DAMAGED with the reason in *why (malloc'ed).
 */
/* Whether the open needs the full check: the newest sync on record did not
 * finish with status 0, or actions are left in the journal, or no sync is
 * on record. */
static int check_kind(ps_protocol *p, int *full)
{
	int64_t unfinished = 0, clean = 0;
	int rc;

	*full = 1;
	if ((rc = query_int(p->db, "SELECT count(*) FROM journal WHERE done = 0", &unfinished)) != SQLITE_OK ||
	    (rc = query_int(p->db, "SELECT finished <> 0 AND status = 0 FROM sync ORDER BY id DESC LIMIT 1",
		&clean)) != SQLITE_OK)
		return rc;
	*full = unfinished != 0 || !clean;
	return SQLITE_OK;
}

/*
 * The schema as rows (table, 0 for the table itself, type, name, columns),
 * each table followed by its indexes and triggers:
 * the names of tables, indexes, views and triggers and, for tables, each
 * column's name, type, NOT NULL and key position.
 */
static const char schema_rows_sql[] =
	"SELECT m.tbl_name, m.type <> 'table', m.type, m.name, CASE m.type WHEN 'table' THEN "
	"(SELECT group_concat(c.name || ' ' || c.type || ' ' || c.\"notnull\" || ' ' || c.pk, ', ') "
	"FROM pragma_table_info(m.name) c) END "
	"FROM sqlite_master m ORDER BY 1, 2, 3, 4";

static int text_cmp(sqlite3_stmt *a, sqlite3_stmt *b, int i)
{
	const char *x = col_text(a, i), *y = col_text(b, i);

	return strcmp(x ? x : "", y ? y : "");
}

/*
 * Compare the schema of the database with the one the migrations up to
 * @p version make (built in memory: well under a millisecond). A table,
 * index, view or trigger missing, added or changed makes statements fail
 * at every run, so it is damage: *why (malloc'ed) says the first difference.
 * Returns the SQLite code of a failure to read.
 */
static int check_schema(ps_protocol *p, int64_t version, char **why)
{
	sqlite3 *ref = NULL;
	sqlite3_stmt *want = NULL, *have = NULL;
	int rc, i, w, h;

	*why = NULL;
	rc = sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	for (i = 0; rc == SQLITE_OK && i < version && i < MIGRATION_COUNT; i++)
		rc = sqlite3_exec(ref, migrations[i], NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		/* our own DDL in memory: only memory can be short */
		sqlite3_close(ref);
		return SQLITE_NOMEM;
	}
	if ((rc = sqlite3_prepare_v2(ref, schema_rows_sql, -1, &want, NULL)) != SQLITE_OK) {
		rc = SQLITE_NOMEM;
		goto cleanup;
	}
	if ((rc = sqlite3_prepare_v2(p->db, schema_rows_sql, -1, &have, NULL)) != SQLITE_OK)
		goto cleanup;
	w = sqlite3_step(want);
	h = sqlite3_step(have);
	while (w == SQLITE_ROW || h == SQLITE_ROW) {
		int order;

		if ((w != SQLITE_ROW && w != SQLITE_DONE) || (h != SQLITE_ROW && h != SQLITE_DONE))
			break;
		order = w != SQLITE_ROW ? -1 : h != SQLITE_ROW ? 1 : 0;
		for (i = 0; order == 0 && i < 4; i++)
			order = text_cmp(have, want, i);
		if (order > 0)
			*why = ps__asprintf("it has no %s '%s'", col_text(want, 2), col_text(want, 3));
		else if (order < 0)
			*why = ps__asprintf("it has an unknown %s '%.100s'", col_text(have, 2),
				col_text(have, 3));
		else if (text_cmp(have, want, 4) != 0)
			*why = ps__asprintf("its %s '%s' is not the one of schema version %lld",
				col_text(want, 2), col_text(want, 3), (long long)version);
		else {
			w = sqlite3_step(want);
			h = sqlite3_step(have);
			continue;
		}
		rc = *why ? SQLITE_OK : SQLITE_NOMEM;
		goto cleanup;
	}
	rc = h != SQLITE_DONE ? h : w != SQLITE_DONE ? SQLITE_NOMEM : SQLITE_OK;
cleanup:
	sqlite3_finalize(want);
	sqlite3_finalize(have);
	sqlite3_close(ref);
	return rc;
}

static int inspect(ps_protocol *p, enum verdict *verdict, int64_t *version_out, char **why)
{
	int64_t app_id = 0, version = 0, objects = 0;
	sqlite3_stmt *st = NULL;
	int rc, full = 1;

	*why = NULL;
	/* the first read parses the header: garbage fails here with NOTADB */
	if ((rc = query_int(p->db, "PRAGMA application_id", &app_id)) != SQLITE_OK ||
	    (rc = query_int(p->db, "PRAGMA user_version", &version)) != SQLITE_OK ||
	    (rc = query_int(p->db, "SELECT count(*) FROM sqlite_master", &objects)) != SQLITE_OK)
		goto failed;
	*version_out = version;
	if (app_id == 0 && version == 0 && objects == 0) {
		*verdict = V_NEW;
		return PS_OK;
	}
	if (app_id != APPLICATION_ID) {
		*why = ps__strdup("not a pstsync protocol database");
		goto damaged;
	}
	if (version > PS_PROTOCOL_SCHEMA_VERSION) {
		*why = ps__asprintf("written by a newer pstsync: schema version %lld, "
			"this one knows %d", (long long)version, PS_PROTOCOL_SCHEMA_VERSION);
		goto damaged;
	}
	if (version < 1) {
		*why = ps__strdup("schema version 0 with tables in it");
		goto damaged;
	}
	/*
	 * Damage is to be found now rather than midway through a sync. Every
	 * page and every record: quick_check, linear in the file (40-70
	 * ms for 100,000 pairs), unless the file is byte for byte as the last
	 * clean close left it (take_seal: nothing has written it since, so
	 * that check found it sound then). The indexes against their tables as well
	 * (integrity_check, a few hundred milliseconds for 100,000 pairs, more
	 * than the rest of a sync that changes nothing) when the last sync did
	 * not end well: killed, failed, or left actions unfinished, or when
	 * there is no sync on record. A sync that meets damage the quick check
	 * missed fails (SQLite reports it) and so gets the full check at the
	 * next open.
	 */
	/* first, or the check's own queries below fail on a missing table */
	if ((rc = check_schema(p, version, why)) != SQLITE_OK)
		goto failed;
	if (*why)
		goto damaged;
	if ((rc = check_kind(p, &full)) != SQLITE_OK)
		goto failed;
	p->checked = full ? "integrity" : p->sealed ? "sealed" : "pages";
	if (!full && p->sealed) {
		*verdict = version == PS_PROTOCOL_SCHEMA_VERSION ? V_CURRENT : V_OLDER;
		return PS_OK;
	}
	rc = sqlite3_prepare_v2(p->db, full ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)",
		-1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		goto failed;
	}
	if (!col_text(st, 0) || strcmp(col_text(st, 0), "ok") != 0) {
		const char *text = col_text(st, 0) ? col_text(st, 0) : "(no answer)";
		char *c;
		/* one line: drop SQLite's "*** in database main ***" heading */
		if (strncmp(text, "*** ", 4) == 0 && strchr(text, '\n'))
			text = strchr(text, '\n') + 1;
		*why = ps__asprintf("failed the integrity check: %.200s", text);
		for (c = *why; c && *c; c++)
			if (*c == '\n' || *c == '\r')
				*c = ' ';
		sqlite3_finalize(st);
		goto damaged;
	}
	sqlite3_finalize(st);
	*verdict = version == PS_PROTOCOL_SCHEMA_VERSION ? V_CURRENT : V_OLDER;
	return PS_OK;

damaged:
	if (!*why)
		return ps_error_set(PS_ENOMEM, "out of memory");
	*verdict = V_DAMAGED;
	return PS_OK;
failed:
	rc = inspect_failure(p, rc, why);
	if (rc == PS_OK)
		*verdict = V_DAMAGED;
	return rc;
}

static int exec_sql(ps_protocol *p, const char *sql, const char *what)
{
	int rc = sqlite3_exec(p->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? PS_OK : sql_error(p, rc, what);
}

/*
 * Bring the schema to PS_PROTOCOL_SCHEMA_VERSION in one transaction: the
 * DDL, user_version and application_id commit together or not at all, so a
 * crash midway leaves the old version, migrated again next time.
 */
static int migrate(ps_protocol *p)
{
	int64_t version = 0;
	char pragmas[128];
	int rc, i;

	if ((rc = exec_sql(p, "BEGIN IMMEDIATE", "lock for the schema update")) != PS_OK)
		return rc;
	/* read again under the lock (order matters): another process may have
	 * migrated between our first look and now */
	rc = query_int(p->db, "PRAGMA user_version", &version);
	if (rc != SQLITE_OK) {
		rc = sql_error(p, rc, "read the schema version");
		goto cleanup;
	}
	if (version > PS_PROTOCOL_SCHEMA_VERSION) {
		rc = ps_error_set(PS_EPROTOCOL, "the protocol '%s' was just upgraded to schema "
			"version %lld by a newer pstsync", p->path, (long long)version);
		goto cleanup;
	}
	for (i = (int)version; i < MIGRATION_COUNT; i++)
		if ((rc = exec_sql(p, migrations[i], "update the schema")) != PS_OK)
			goto cleanup;
	/* PRAGMAs take no bound parameters; these are our own constants */
	snprintf(pragmas, sizeof(pragmas), "PRAGMA user_version = %d; PRAGMA application_id = %d",
		PS_PROTOCOL_SCHEMA_VERSION, APPLICATION_ID);
	if ((rc = exec_sql(p, pragmas, "update the schema")) != PS_OK)
		goto cleanup;
	rc = exec_sql(p, "COMMIT", "commit the schema update");
cleanup:
	if (rc != PS_OK && !sqlite3_get_autocommit(p->db))
		sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int open_db(ps_protocol *p)
{
	int rc = sqlite3_open_v2(p->path, &p->db,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);

	if (rc != SQLITE_OK) {
		rc = ps_error_set(PS_EIO, "cannot open the protocol '%s': %s", p->path,
			p->db ? sqlite3_errmsg(p->db) : sqlite3_errstr(rc));
		sqlite3_close_v2(p->db);
		p->db = NULL;
		return rc;
	}
	sqlite3_extended_result_codes(p->db, 1);
	sqlite3_busy_timeout(p->db, p->busy_ms);
	return PS_OK;
}

static void close_db(ps_protocol *p, int keep_wal)
{
	int i;

	for (i = 0; i < S_COUNT; i++) {
		sqlite3_finalize(p->stmt[i]);
		p->stmt[i] = NULL;
	}
	for (i = 0; i < (int)(sizeof(p->hstmt) / sizeof(p->hstmt[0])); i++) {
		sqlite3_finalize(p->hstmt[i]);
		p->hstmt[i] = NULL;
	}
	/* a damaged file is kept as it is: no checkpoint into it, its -wal
	 * goes along with it */
	if (keep_wal)
		sqlite3_db_config(p->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
	sqlite3_close_v2(p->db);
	p->db = NULL;
}

/* The files kept beside a database, named by appending these: SQLite's,
 * our mark of damage found in use, and the seal of a clean close. */
static const char *const companion[] = { "-wal", "-journal", "-shm", DAMAGE_MARK, SEAL };

/* "YYYYMMDD-HHMMSS" (UTC) of a FILETIME, without the C library's time zones. */
static void format_stamp(char *out, size_t size, uint64_t filetime)
{
	int64_t secs = (int64_t)(filetime / 10000000u) - INT64_C(11644473600);
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t rem = secs - days * 86400;
	/* civil_from_days (H. Hinnant): days since 1970-01-01 to y-m-d */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	snprintf(out, size, "%04d%02d%02d-%02d%02d%02d", (int)(y % 10000), (int)m, (int)d,
		(int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

/*
 * Move the damaged database (closed) and its companions aside. Order
 * matters: the -wal and -journal must leave with it, or SQLite would apply
 * them to the fresh database created next at the same path.
 */
static int set_aside(ps_protocol *p, const char *why)
{
	char stamp[48]; /* 16 for any date until 9999; room for what the compiler fears */
	char *aside = NULL, *from = NULL, *to = NULL;
	int rc = PS_OK, n;
	size_t i;

	format_stamp(stamp, sizeof(stamp), ps_time_now());
	for (n = 1; n < 100; n++) {
		free(aside);
		aside = n == 1 ? ps__asprintf("%s.damaged-%s", p->path, stamp)
			: ps__asprintf("%s.damaged-%s-%d", p->path, stamp, n);
		PS_CHECK_ALLOC(aside, rc);
		if (ps_path_kind(aside) == PS_PATH_NONE)
			break;
	}
	if ((rc = ps_path_rename(p->path, aside)) != PS_OK) {
		/* held by another program: try again later, like any locked file */
		rc = ps_error_prefix(rc == PS_ELOCKED ? PS_ELOCKED : PS_EPROTOCOL, "the protocol "
			"'%s' cannot be used (%s) and cannot be set aside", p->path, why);
		goto cleanup;
	}
	for (i = 0; i < sizeof(companion) / sizeof(companion[0]); i++) {
		from = ps__asprintf("%s%s", p->path, companion[i]);
		to = ps__asprintf("%s%s", aside, companion[i]);
		PS_CHECK_ALLOC(from && to, rc);
		if (ps_path_kind(from) != PS_PATH_NONE && ps_path_rename(from, to) != PS_OK &&
		    ps_path_remove(from) != PS_OK) {
			rc = ps_error_prefix(PS_EPROTOCOL, "the protocol '%s' cannot be used (%s) "
				"and its '%s' cannot be set aside", p->path, why, from);
			goto cleanup;
		}
		free(from);
		free(to);
		from = to = NULL;
	}
	p->reset_reason = ps__asprintf("the protocol '%s' could not be used (%s): it is kept as '%s' "
		"and a new one was started; the next sync of every link is an initial one",
		p->path, why, aside);
	PS_CHECK_ALLOC(p->reset_reason, rc);
	p->damaged_path = aside;
	aside = NULL;
cleanup:
	free(aside);
	free(from);
	free(to);
	return rc;
}

/*
 * Companions of a database that is not there can only be leftovers (the
 * file was deleted or moved by hand); SQLite would replay them into the new
 * empty file, so they go before it is created.
 */
static int remove_orphans(ps_protocol *p)
{
	size_t i;
	int rc = PS_OK;

	if (ps_path_kind(p->path) != PS_PATH_NONE)
		return PS_OK;
	for (i = 0; rc == PS_OK && i < sizeof(companion) / sizeof(companion[0]); i++) {
		char *name = ps__asprintf("%s%s", p->path, companion[i]);
		if (!name)
			return ps_error_set(PS_ENOMEM, "out of memory");
		if (ps_path_kind(name) != PS_PATH_NONE)
			rc = ps_path_remove(name);
		free(name);
	}
	return rc;
}

/*
 * The reason left by damage_found() when the file was found damaged in use
 * (*why malloc'ed), or *why NULL when there is no mark.
 */
static int read_damage_mark(ps_protocol *p, char **why)
{
	char *mark = ps__asprintf("%s" DAMAGE_MARK, p->path);
	char text[256];
	ps_file *file = NULL;
	uint64_t size = 0;
	int rc = PS_OK;
	size_t i;

	*why = NULL;
	PS_CHECK_ALLOC(mark, rc);
	if (ps_path_kind(mark) == PS_PATH_NONE)
		goto cleanup;
	text[0] = '\0';
	/* an unreadable mark still marks the file; only the reason is lost */
	if (ps_file_open(&file, mark, PS_OPEN_READ) == PS_OK && ps_file_size(file, &size) == PS_OK) {
		if (size >= sizeof(text))
			size = sizeof(text) - 1;
		if (ps_file_read_at(file, 0, text, (size_t)size) == PS_OK)
			text[size] = '\0';
	}
	ps_file_close(file);
	for (i = 0; text[i]; i++)
		if ((unsigned char)text[i] < 0x20)
			text[i] = ' ';
	*why = ps__asprintf("found damaged in use: %s", text[0] ? text : "no reason kept");
	PS_CHECK_ALLOC(*why, rc);
cleanup:
	free(mark);
	return rc;
}

/*
 * The seal: at a clean close (no transaction open, the last sync ended
 * well, no journal left) the database file's stamp (size, times of write
 * and change, identity: ps_path_stamp) is written beside it. The next open
 * takes the seal away before anything can write, and when the file's stamp
 * is still the sealed one and there is no -wal with frames in it, the
 * file is the one the last open checked and that sync left clean: the page
 * walk of quick_check is not needed again (it is most of the time of a
 * sync that changes nothing). Any write in between (a crash midway through
 * a sync, another program, a copy put in its place, bytes damaged by hand)
 * changes the stamp, and a killed sync leaves no seal: the check runs.
 */
static char *seal_text(ps_protocol *p)
{
	char stamp[160], *wal = ps__asprintf("%s-wal", p->path);
	int64_t wal_size = 0;

	if (!wal)
		return NULL;
	if (ps_path_stamp(wal, stamp, sizeof(stamp)) == PS_OK)
		wal_size = strtoll(stamp, NULL, 10) ? 1 : 0;
	free(wal);
	ps_error_clear();
	if (wal_size || ps_path_stamp(p->path, stamp, sizeof(stamp)) != PS_OK) {
		ps_error_clear();
		return NULL;
	}
	return ps__strdup(stamp);
}

static void put_seal(ps_protocol *p)
{
	char *seal = ps__asprintf("%s" SEAL, p->path), *text = seal ? seal_text(p) : NULL;

	/* best effort: without a seal the next open checks every page */
	if (text)
		ps__note_write(seal, text);
	ps_error_clear();
	free(text);
	free(seal);
}

/* Whether the seal matches the file; the seal is gone either way. */
static int take_seal(ps_protocol *p)
{
	char *seal = ps__asprintf("%s" SEAL, p->path), *text = NULL, kept[161];
	int same = 0;

	if (!seal || ps_path_kind(seal) == PS_PATH_NONE)
		goto cleanup;
	ps__note_read(seal, kept, sizeof(kept));
	/* a seal that cannot be taken away could outlive the next write */
	if (ps_path_remove(seal) != PS_OK || ps_path_kind(seal) != PS_PATH_NONE)
		goto cleanup;
	text = seal_text(p);
	same = text && kept[0] && strcmp(text, kept) == 0;
cleanup:
	ps_error_clear();
	free(text);
	free(seal);
	return same;
}

/*
 * Open, inspect and configure. *damage gets the reason (malloc'ed) when the
 * file is damaged, in which case the database is left closed.
 */
static int open_checked(ps_protocol *p, char **damage)
{
	enum verdict verdict = V_NEW;
	int64_t version = 0;
	sqlite3_stmt *st = NULL;
	int rc;

	*damage = NULL;
	if ((rc = remove_orphans(p)) != PS_OK || (rc = read_damage_mark(p, damage)) != PS_OK)
		return rc;
	if (*damage)
		return PS_OK;
	p->sealed = take_seal(p);
	if ((rc = open_db(p)) != PS_OK)
		return rc;
	if ((rc = inspect(p, &verdict, &version, damage)) != PS_OK)
		goto cleanup;
	if (verdict == V_DAMAGED) {
		close_db(p, 1);
		return PS_OK;
	}
	/*
	 * WAL with synchronous=FULL. On a local disk it is the safest mode: a
	 * commit is one append to the -wal file and one sync, each frame is
	 * checksummed so a torn write at a power cut is recognised and dropped,
	 * and the database file itself is only written by checkpoints of
	 * committed frames. FULL (not NORMAL) makes every commit durable, which
	 * the journal needs: an action journalled before a power cut must still
	 * be there after it. Readers (a status window) do not block the sync,
	 * and one sync per action stays cheap. WAL needs shared memory, so it
	 * must not be used on a network folder; where SQLite refuses WAL it
	 * stays in its rollback-journal mode, which is also safe.
	 */
	rc = sqlite3_prepare_v2(p->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	if (rc != SQLITE_OK) {
		rc = sql_error(p, rc, "set the journal mode");
		goto cleanup;
	}
	/* foreign keys are per connection and off by default: the cascades
	 * that remove a link's pairs, questions and journal depend on them */
	if ((rc = exec_sql(p, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
	    "configure the connection")) != PS_OK)
		goto cleanup;
	if (verdict != V_CURRENT)
		rc = migrate(p);
cleanup:
	if (rc != PS_OK && p->db)
		close_db(p, 0);
	return rc;
}

int ps_protocol_open(ps_protocol **out, const char *path)
{
	ps_protocol *p = NULL;
	char *damage = NULL;
	int rc = PS_OK;

	*out = NULL;
	if (!path || !path[0])
		return ps_error_set(PS_EINVAL, "no path given for the protocol");
	p = calloc(1, sizeof(*p));
	PS_CHECK_ALLOC(p, rc);
	p->busy_ms = PS_PROTOCOL_BUSY_TIMEOUT_MS;
	p->path = ps__strdup(path);
	PS_CHECK_ALLOC(p->path, rc);
	p->writable = 1;
	if ((rc = open_checked(p, &damage)) != PS_OK)
		goto cleanup;
	if (damage) {
		if ((rc = set_aside(p, damage)) != PS_OK)
			goto cleanup;
		free(damage);
		damage = NULL;
		if ((rc = open_checked(p, &damage)) != PS_OK)
			goto cleanup;
		if (damage) {
			rc = ps_error_set(PS_EPROTOCOL, "cannot start a new protocol '%s': "
				"the new file is damaged too (%s)", path, damage);
			goto cleanup;
		}
	}
	*out = p;
	p = NULL;
cleanup:
	free(damage);
	ps_protocol_close(p);
	return rc;
}

/* "file:" URI of @p path for sqlite3_open_v2() (malloc'ed), with @p query. */
static char *path_uri(const char *path, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(path), n = 0, i;
	char *u = malloc(len * 3 + strlen(query) + 16);

	if (!u)
		return NULL;
	memcpy(u, "file:", 5);
	n = 5;
	if (len > 1 && path[1] == ':')
		u[n++] = '/'; /* a drive letter: file:/C:/x */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c == '\\')
			c = '/';
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("/-._~:", c)) {
			u[n++] = (char)c;
		} else {
			u[n++] = '%';
			u[n++] = hex[c >> 4];
			u[n++] = hex[c & 15];
		}
	}
	strcpy(u + n, query);
	return u;
}

/* A -wal file with frames in it: a writer may be at work. */
static int wal_in_use(const char *wal)
{
	ps_file *f = NULL;
	uint64_t size = 0;

	if (ps_path_kind(wal) != PS_PATH_FILE)
		return 0;
	if (ps_file_open(&f, wal, PS_OPEN_READ) < 0)
		return 1;
	if (ps_file_size(f, &size) < 0)
		size = 1;
	ps_file_close(f);
	return size > 0;
}

/*
 * Open read-only (and only look): no orphan files removed, no damage set
 * aside, no migration, no journal mode set. When SQLite cannot make its
 * shared-memory file (a full disk) and no sync is writing (no -wal file),
 * the file is read as immutable.
 */
int ps_protocol_open_read(ps_protocol **out, const char *path)
{
	static const char *const queries[2] = { "?mode=ro", "?mode=ro&immutable=1" };
	ps_protocol *p = NULL;
	int64_t version = -1;
	int rc = PS_OK, k, sq = SQLITE_OK;

	*out = NULL;
	if (!path || !path[0])
		return ps_error_set(PS_EINVAL, "no path given for the protocol");
	p = calloc(1, sizeof(*p));
	PS_CHECK_ALLOC(p, rc);
	p->busy_ms = PS_PROTOCOL_BUSY_TIMEOUT_MS;
	p->path = ps__strdup(path);
	PS_CHECK_ALLOC(p->path, rc);
	for (k = 0; k < 2; k++) {
		char *uri = path_uri(path, queries[k]), *wal;
		PS_CHECK_ALLOC(uri, rc);
		sq = sqlite3_open_v2(uri, &p->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
			SQLITE_OPEN_NOMUTEX, NULL);
		free(uri);
		if (sq == SQLITE_OK) {
			sqlite3_extended_result_codes(p->db, 1);
			sqlite3_busy_timeout(p->db, p->busy_ms);
			sq = query_int(p->db, "PRAGMA user_version", &version);
			if (sq == SQLITE_OK)
				break;
		}
		sqlite3_close_v2(p->db);
		p->db = NULL;
		wal = ps__asprintf("%s-wal", path);
		PS_CHECK_ALLOC(wal, rc);
		k += wal_in_use(wal); /* a sync is writing: no immutable reading */
		free(wal);
	}
	if (!p->db) {
		rc = ps_error_set(PS_EIO, "cannot read the protocol '%s': %s", path, sqlite3_errstr(sq));
		goto cleanup;
	}
	if (version != PS_PROTOCOL_SCHEMA_VERSION) {
		rc = ps_error_set(PS_EPROTOCOL, "cannot read the protocol '%s': schema version %lld, "
			"this pstsync reads %d (its next sync updates it)", path, (long long)version,
			PS_PROTOCOL_SCHEMA_VERSION);
		goto cleanup;
	}
	*out = p;
	p = NULL;
cleanup:
	ps_protocol_close(p);
	return rc;
}

void ps_protocol_close(ps_protocol *p)
{
	if (!p)
		return;
	if (p->db) {
		int full = 1, seal;
		if (!sqlite3_get_autocommit(p->db))
			sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
		seal = p->writable && check_kind(p, &full) == SQLITE_OK && !full;
		close_db(p, 0);
		if (seal)
			put_seal(p);
	}
	free(p->path);
	free(p->reset_reason);
	free(p->damaged_path);
	free(p);
}

const char *ps_protocol_path(const ps_protocol *p)
{
	return p->path;
}

const char *ps_protocol_open_check(const ps_protocol *p)
{
	return p->checked ? p->checked : "none";
}

const char *ps_protocol_reset_reason(const ps_protocol *p)
{
	return p->reset_reason;
}

const char *ps_protocol_damaged_path(const ps_protocol *p)
{
	return p->damaged_path;
}

void ps_protocol_set_busy_timeout(ps_protocol *p, int milliseconds)
{
	p->busy_ms = milliseconds < 0 ? 0 : milliseconds;
	sqlite3_busy_timeout(p->db, p->busy_ms);
}

/* ---- transactions ----------------------------------------------------- */

int ps_protocol_in_transaction(const ps_protocol *p)
{
	return !sqlite3_get_autocommit(p->db);
}

int ps_protocol_begin(ps_protocol *p)
{
	sqlite3_stmt *st;
	int rc;

	if (ps_protocol_in_transaction(p))
		return ps_error_set(PS_EINVAL, "a transaction of the protocol '%s' is already open",
			p->path);
	if ((rc = stmt_get(p, &st, S_BEGIN, 0)) != PS_OK)
		return rc;
	return stmt_run(p, st, "start a transaction");
}

int ps_protocol_commit(ps_protocol *p)
{
	sqlite3_stmt *st;
	int rc;

	if (!ps_protocol_in_transaction(p))
		return ps_error_set(PS_EINVAL, "no transaction of the protocol '%s' is open", p->path);
	if ((rc = stmt_get(p, &st, S_COMMIT, 0)) != PS_OK)
		return rc;
	return stmt_run(p, st, "commit");
}

int ps_protocol_rollback(ps_protocol *p)
{
	sqlite3_stmt *st;
	int rc;

	/* an error such as a full disk may already have rolled it back */
	if (!ps_protocol_in_transaction(p))
		return PS_OK;
	if ((rc = stmt_get(p, &st, S_ROLLBACK, 0)) != PS_OK)
		return rc;
	return stmt_run(p, st, "roll back");
}

/* ---- links ------------------------------------------------------------ */

/* Fill @p out from a LINK_COLUMNS row; the paths point into the row. */
static int read_link(ps_protocol *p, sqlite3_stmt *st, ps_protocol_link *out)
{
	int t;

	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	for (t = 0; t < 2; t++) {
		out->path[t] = (char *)sqlite3_column_text(st, 1 + t);
		out->items[t] = col_u64(st, 6 + t);
		out->not_carried[t] = col_u64(st, 8 + t);
	}
	out->direction = ps_protocol_direction_parse(col_text(st, 3));
	if (out->direction < 0)
		return bad_value(p, "direction", col_text(st, 3));
	out->created = col_u64(st, 4);
	out->last_sync = col_u64(st, 5);
	if (!out->path[0] || !out->path[1])
		return ps_error_set(PS_ENOMEM, "out of memory");
	return PS_OK;
}

/* Read one link row into caller-owned strings. */
static int read_link_copy(ps_protocol *p, sqlite3_stmt *st, ps_protocol_link *out,
	const char *what)
{
	int rc = stmt_row(p, st, what);
	int t;

	if (rc == PS_OK)
		rc = read_link(p, st, out);
	if (rc == PS_OK) {
		for (t = 0; t < 2; t++)
			out->path[t] = ps__strdup(out->path[t]);
		if (!out->path[0] || !out->path[1]) {
			ps_protocol_link_clear(out);
			rc = ps_error_set(PS_ENOMEM, "out of memory");
		}
	} else {
		memset(out, 0, sizeof(*out));
	}
	stmt_release(st);
	return rc;
}

int ps_protocol_link_add(ps_protocol *p, const char *local_path, const char *global_path,
	int direction, int64_t *id_out)
{
	const char *name = ps_protocol_direction_name(direction);
	sqlite3_stmt *st;
	int rc;

	if (!local_path || !global_path || !name)
		return ps_error_set(PS_EINVAL, "cannot add a link: no folder path, or direction %d "
			"unknown", direction);
	if ((rc = stmt_get(p, &st, S_LINK_ADD, 0)) != PS_OK)
		return rc;
	if (bind_text(st, 1, local_path) | bind_text(st, 2, global_path) | bind_text(st, 3, name) |
	    bind_u64(st, 4, ps_time_now()))
		return bind_failed(p, st, "add a link");
	rc = stmt_run(p, st, "add a link");
	if (rc == PS_EEXISTS)
		return ps_error_set(PS_EEXISTS, "the protocol '%s' already has a link from '%s' "
			"to '%s'", p->path, local_path, global_path);
	if (rc == PS_OK && id_out)
		*id_out = sqlite3_last_insert_rowid(p->db);
	return rc;
}

int ps_protocol_link_find(ps_protocol *p, ps_protocol_link *out,
	const char *local_path, const char *global_path)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!local_path || !global_path)
		return ps_error_set(PS_EINVAL, "cannot find a link: no folder path");
	if ((rc = stmt_get(p, &st, S_LINK_FIND, 0)) != PS_OK)
		return rc;
	if (bind_text(st, 1, local_path) | bind_text(st, 2, global_path))
		return bind_failed(p, st, "find a link");
	rc = read_link_copy(p, st, out, "find a link");
	if (rc == PS_ENOTFOUND)
		return ps_error_set(PS_ENOTFOUND, "the protocol '%s' has no link from '%s' to '%s'",
			p->path, local_path, global_path);
	return rc;
}

int ps_protocol_link_get(ps_protocol *p, ps_protocol_link *out, int64_t id)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = stmt_get(p, &st, S_LINK_GET, 0)) != PS_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, id))
		return bind_failed(p, st, "read a link");
	rc = read_link_copy(p, st, out, "read a link");
	if (rc == PS_ENOTFOUND)
		return ps_error_set(PS_ENOTFOUND, "the protocol '%s' has no link %lld",
			p->path, (long long)id);
	return rc;
}

void ps_protocol_link_clear(ps_protocol_link *link)
{
	if (!link)
		return;
	free(link->path[0]);
	free(link->path[1]);
	memset(link, 0, sizeof(*link));
}

int ps_protocol_link_list(ps_protocol *p, ps_protocol_link_cb cb, void *ctx)
{
	ps_protocol_link link;
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_LINK_LIST, 0)) != PS_OK)
		return rc;
	while ((rc = walk_next(p, st, "list the links")) > 0) {
		if ((rc = read_link(p, st, &link)) != PS_OK || (rc = cb(&link, ctx)) != 0)
			break;
	}
	stmt_release(st);
	return rc;
}

/* Run @p st with its id bound as ?1; PS_ENOTFOUND when no row changed. */
static int change_by_id(ps_protocol *p, sqlite3_stmt *st, int64_t id, const char *what,
	const char *thing)
{
	int rc;

	if (sqlite3_bind_int64(st, 1, id))
		return bind_failed(p, st, what);
	if ((rc = stmt_run(p, st, what)) != PS_OK)
		return rc;
	if (sqlite3_changes(p->db) == 0)
		return ps_error_set(PS_ENOTFOUND, "cannot %s: the protocol '%s' has no %s %lld",
			what, p->path, thing, (long long)id);
	return PS_OK;
}

int ps_protocol_link_set_direction(ps_protocol *p, int64_t id, int direction)
{
	const char *name = ps_protocol_direction_name(direction);
	sqlite3_stmt *st;
	int rc;

	if (!name)
		return ps_error_set(PS_EINVAL, "unknown link direction %d", direction);
	if ((rc = stmt_get(p, &st, S_LINK_DIRECTION, 0)) != PS_OK)
		return rc;
	if (bind_text(st, 2, name))
		return bind_failed(p, st, "change a link's direction");
	return change_by_id(p, st, id, "change a link's direction", "link");
}

int ps_protocol_link_remove(ps_protocol *p, int64_t id)
{
	sqlite3_stmt *st;
	int rc;

	/* the foreign keys' ON DELETE CASCADE takes pairs, questions, journal */
	if ((rc = stmt_get(p, &st, S_LINK_REMOVE, 0)) != PS_OK)
		return rc;
	return change_by_id(p, st, id, "remove a link", "link");
}

int ps_protocol_link_mark_synced(ps_protocol *p, int64_t id, const uint64_t items[2])
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_LINK_SYNCED, 0)) != PS_OK)
		return rc;
	if (bind_u64(st, 2, ps_time_now()) | bind_u64(st, 3, items[0]) | bind_u64(st, 4, items[1]))
		return bind_failed(p, st, "mark a link synchronised");
	return change_by_id(p, st, id, "mark a link synchronised", "link");
}

int ps_protocol_link_set_not_carried(ps_protocol *p, int64_t id, const uint64_t n[2])
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_LINK_NOT_CARRIED, 0)) != PS_OK)
		return rc;
	if (bind_u64(st, 2, n[0]) | bind_u64(st, 3, n[1]))
		return bind_failed(p, st, "record what a link does not carry");
	return change_by_id(p, st, id, "record what a link does not carry", "link");
}

/* ---- pairs ------------------------------------------------------------ */

static int check_side_state(const ps_protocol_side *s)
{
	if (s->eid_size > PS_PROTOCOL_EID_MAX || s->fingerprint_size > PS_PROTOCOL_FINGERPRINT_MAX)
		return ps_error_set(PS_EINVAL, "an entry ID of %zu bytes or a fingerprint of %zu "
			"bytes is too long for the protocol", s->eid_size, s->fingerprint_size);
	return PS_OK;
}

/* Bind one side's five columns from parameter @p first on. */
static int bind_side(sqlite3_stmt *st, int first, const ps_protocol_side *s)
{
	return bind_blob(st, first, s->eid, s->eid_size) |
		sqlite3_bind_int64(st, first + 1, s->nid) |
		bind_u64(st, first + 2, s->modified) |
		bind_blob(st, first + 3, s->fingerprint, s->fingerprint_size) |
		bind_u64(st, first + 4, s->size);
}

/* Fill @p out from a PAIR_COLUMNS row. */
static int read_pair(ps_protocol *p, sqlite3_stmt *st, ps_protocol_pair *out)
{
	int t, rc;

	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->link_id = sqlite3_column_int64(st, 1);
	if ((rc = col_blob(p, st, 2, out->search_key, sizeof(out->search_key),
	    &out->search_key_size)) != PS_OK)
		return rc;
	for (t = 0; t < 2; t++) {
		ps_protocol_side *s = &out->side[t];
		int c = 3 + 5 * t;
		if ((rc = col_blob(p, st, c, s->eid, sizeof(s->eid), &s->eid_size)) != PS_OK ||
		    (rc = col_blob(p, st, c + 3, s->fingerprint, sizeof(s->fingerprint),
		    &s->fingerprint_size)) != PS_OK)
			return rc;
		s->nid = (uint32_t)sqlite3_column_int64(st, c + 1);
		s->modified = col_u64(st, c + 2);
		s->size = col_u64(st, c + 4);
	}
	return PS_OK;
}

/* Step a pair lookup once into @p out, then release. */
static int pair_lookup(ps_protocol *p, sqlite3_stmt *st, ps_protocol_pair *out, const char *what)
{
	int rc = stmt_row(p, st, what);

	if (rc == PS_OK)
		rc = read_pair(p, st, out);
	stmt_release(st);
	return rc;
}

int ps_protocol_pair_insert(ps_protocol *p, ps_protocol_pair *pair)
{
	sqlite3_stmt *st;
	int rc, t;

	if (pair->search_key_size > PS_PROTOCOL_KEY_MAX)
		return ps_error_set(PS_EINVAL, "a search key of %zu bytes is too long for the "
			"protocol", pair->search_key_size);
	for (t = 0; t < 2; t++)
		if ((rc = check_side_state(&pair->side[t])) != PS_OK)
			return rc;
	if (!pair->side[0].eid_size && !pair->side[1].eid_size)
		return ps_error_set(PS_EINVAL, "cannot record a pair with neither side known");
	if ((rc = stmt_get(p, &st, S_PAIR_INSERT, 0)) != PS_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, pair->link_id) |
	    bind_blob(st, 2, pair->search_key, pair->search_key_size) |
	    bind_side(st, 3, &pair->side[0]) | bind_side(st, 8, &pair->side[1]))
		return bind_failed(p, st, "record a pair");
	if ((rc = stmt_run(p, st, "record a pair")) != PS_OK)
		return rc;
	pair->id = sqlite3_last_insert_rowid(p->db);
	return PS_OK;
}

int ps_protocol_pair_set_side(ps_protocol *p, int64_t id, int side,
	const ps_protocol_side *state)
{
	sqlite3_stmt *st;
	int rc;

	if (side != 0 && side != 1)
		return bad_side(side);
	if ((rc = check_side_state(state)) != PS_OK)
		return rc;
	if ((rc = stmt_get(p, &st, S_PAIR_SET_SIDE, side)) != PS_OK)
		return rc;
	if (bind_side(st, 2, state))
		return bind_failed(p, st, "update a pair");
	rc = change_by_id(p, st, id, "update a pair", "pair");
	if (rc == PS_EINVAL)
		return ps_error_set(PS_EINVAL, "cannot make both sides of pair %lld unknown",
			(long long)id);
	return rc;
}

int ps_protocol_pair_set_sides(ps_protocol *p, int64_t id, const ps_protocol_side sides[2])
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = check_side_state(&sides[0])) != PS_OK || (rc = check_side_state(&sides[1])) != PS_OK)
		return rc;
	if ((rc = stmt_get(p, &st, S_PAIR_SET_SIDES, 0)) != PS_OK)
		return rc;
	if (bind_side(st, 2, &sides[0]) || bind_side(st, 7, &sides[1]))
		return bind_failed(p, st, "update a pair");
	rc = change_by_id(p, st, id, "update a pair", "pair");
	if (rc == PS_EINVAL)
		return ps_error_set(PS_EINVAL, "cannot make both sides of pair %lld unknown",
			(long long)id);
	return rc;
}

int ps_protocol_pair_set_search_key(ps_protocol *p, int64_t id, const uint8_t *key, size_t size)
{
	sqlite3_stmt *st;
	int rc;

	if (size > PS_PROTOCOL_KEY_MAX)
		return ps_error_set(PS_EINVAL, "a search key of %zu bytes is too long for the "
			"protocol", size);
	if ((rc = stmt_get(p, &st, S_PAIR_SET_KEY, 0)) != PS_OK)
		return rc;
	if (bind_blob(st, 2, key, size))
		return bind_failed(p, st, "update a pair");
	return change_by_id(p, st, id, "update a pair", "pair");
}

int ps_protocol_pair_get(ps_protocol *p, ps_protocol_pair *out, int64_t id)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_PAIR_GET, 0)) != PS_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, id))
		return bind_failed(p, st, "read a pair");
	rc = pair_lookup(p, st, out, "read a pair");
	if (rc == PS_ENOTFOUND)
		return ps_error_set(PS_ENOTFOUND, "the protocol '%s' has no pair %lld",
			p->path, (long long)id);
	return rc;
}

int ps_protocol_pair_find_eid(ps_protocol *p, ps_protocol_pair *out, int64_t link_id,
	int side, const uint8_t *eid, size_t eid_size)
{
	sqlite3_stmt *st;
	int rc;

	if (side != 0 && side != 1)
		return bad_side(side);
	if (!eid_size || eid_size > PS_PROTOCOL_EID_MAX)
		return ps_error_set(PS_EINVAL, "cannot look up an entry ID of %zu bytes", eid_size);
	if ((rc = stmt_get(p, &st, S_PAIR_FIND_EID, side)) != PS_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, link_id) | bind_blob(st, 2, eid, eid_size))
		return bind_failed(p, st, "find a pair");
	rc = pair_lookup(p, st, out, "find a pair");
	if (rc == PS_ENOTFOUND)
		return ps_error_set(PS_ENOTFOUND, "no pair of link %lld has that %s entry ID",
			(long long)link_id, side_name[side]);
	return rc;
}

int ps_protocol_pair_find_search_key(ps_protocol *p, ps_protocol_pair *out, int64_t link_id,
	const uint8_t *key, size_t key_size)
{
	sqlite3_stmt *st;
	int rc;

	if (!key_size || key_size > PS_PROTOCOL_KEY_MAX)
		return ps_error_set(PS_EINVAL, "cannot look up a search key of %zu bytes", key_size);
	if ((rc = stmt_get(p, &st, S_PAIR_FIND_KEY, 0)) != PS_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, link_id) | bind_blob(st, 2, key, key_size))
		return bind_failed(p, st, "find a pair");
	rc = pair_lookup(p, st, out, "find a pair");
	if (rc == PS_ENOTFOUND)
		return ps_error_set(PS_ENOTFOUND, "no pair of link %lld has that search key",
			(long long)link_id);
	return rc;
}

int ps_protocol_pair_foreach(ps_protocol *p, int64_t link_id, ps_protocol_pair_cb cb, void *ctx)
{
	ps_protocol_pair pair;
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_PAIR_LIST, 0)) != PS_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, link_id))
		return bind_failed(p, st, "list the pairs");
	while ((rc = walk_next(p, st, "list the pairs")) > 0) {
		if ((rc = read_pair(p, st, &pair)) != PS_OK || (rc = cb(&pair, ctx)) != 0)
			break;
	}
	stmt_release(st);
	return rc;
}

/* One count(*) with ?1 bound to @p id. */
static int count_rows(ps_protocol *p, int stmt, int64_t id, int64_t *count_out, const char *what)
{
	sqlite3_stmt *st;
	int rc;

	*count_out = 0;
	if ((rc = stmt_get(p, &st, stmt, 0)) != PS_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, id))
		return bind_failed(p, st, what);
	rc = stmt_row(p, st, what);
	if (rc == PS_OK)
		*count_out = sqlite3_column_int64(st, 0);
	stmt_release(st);
	return rc;
}

int ps_protocol_pair_count(ps_protocol *p, int64_t link_id, int64_t *count_out)
{
	return count_rows(p, S_PAIR_COUNT, link_id, count_out, "count the pairs");
}

int ps_protocol_pair_delete(ps_protocol *p, int64_t id)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_PAIR_DELETE, 0)) != PS_OK)
		return rc;
	return change_by_id(p, st, id, "forget a pair", "pair");
}

/* ---- questions -------------------------------------------------------- */

static int answer_fits(int kind, int answer)
{
	if (answer == PS_ANSWER_LATER)
		return 1;
	if (kind == PS_QUESTION_CONFLICT)
		return answer >= PS_ANSWER_KEEP_LOCAL && answer <= PS_ANSWER_UNLINK;
	return answer == PS_ANSWER_DELETE || answer == PS_ANSWER_RESTORE;
}

int ps_protocol_question_add(ps_protocol *p, const ps_protocol_question *q, int64_t *id_out)
{
	sqlite3_stmt *st;
	int rc, t, bad = 0;

	if (q->kind < 0 || q->kind >= COUNT_OF(kind_names))
		return ps_error_set(PS_EINVAL, "unknown kind of question %d", q->kind);
	for (t = 0; t < 2; t++)
		if (q->change[t] < 0 || q->change[t] >= COUNT_OF(change_names))
			return ps_error_set(PS_EINVAL, "unknown change %d on the %s side",
				q->change[t], side_name[t]);
	if ((rc = stmt_get(p, &st, S_Q_ADD, 0)) != PS_OK)
		return rc;
	bad |= sqlite3_bind_int64(st, 1, q->pair_id) | bind_text(st, 2, kind_names[q->kind]);
	for (t = 0; t < 2; t++)
		bad |= bind_text(st, 3 + 2 * t, change_names[q->change[t]]) |
			bind_u64(st, 4 + 2 * t, q->when[t]);
	bad |= bind_text(st, 7, q->subject) | bind_u64(st, 8, ps_time_now());
	if (bad)
		return bind_failed(p, st, "record a question");
	/* with RETURNING, constraints are checked when the statement runs to
	 * its end: step past the row, and a foreign key failure shows there */
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (id_out)
			*id_out = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_DONE)
		rc = sqlite3_reset(st);
	rc = rc == SQLITE_OK ? PS_OK : sql_error(p, rc, "record a question");
	stmt_release(st);
	if (rc == PS_ENOTFOUND)
		return ps_error_set(PS_ENOTFOUND, "cannot record a question in the protocol '%s': "
			"it has no pair %lld", p->path, (long long)q->pair_id);
	return rc;
}

static int read_question(ps_protocol *p, sqlite3_stmt *st, ps_protocol_question *q)
{
	int t;

	memset(q, 0, sizeof(*q));
	q->id = sqlite3_column_int64(st, 0);
	q->pair_id = sqlite3_column_int64(st, 1);
	q->link_id = sqlite3_column_int64(st, 2);
	q->kind = name_index(kind_names, COUNT_OF(kind_names), col_text(st, 3));
	if (q->kind < 0)
		return bad_value(p, "question kind", col_text(st, 3));
	for (t = 0; t < 2; t++) {
		q->change[t] = name_index(change_names, COUNT_OF(change_names), col_text(st, 4 + 2 * t));
		if (q->change[t] < 0)
			return bad_value(p, "change", col_text(st, 4 + 2 * t));
		q->when[t] = col_u64(st, 5 + 2 * t);
	}
	q->subject = col_text(st, 8);
	q->asked = col_u64(st, 9);
	if (sqlite3_column_type(st, 10) == SQLITE_NULL) {
		q->answer = PS_ANSWER_NONE;
	} else {
		q->answer = name_index(answer_names, COUNT_OF(answer_names), col_text(st, 10));
		if (q->answer <= 0)
			return bad_value(p, "answer", col_text(st, 10));
	}
	q->answered = col_u64(st, 11);
	return PS_OK;
}

int ps_protocol_question_list(ps_protocol *p, int64_t link_id, unsigned which,
	ps_protocol_question_cb cb, void *ctx)
{
	ps_protocol_question q;
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_Q_LIST, 0)) != PS_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, link_id) | sqlite3_bind_int(st, 2, (int)(which & 3)))
		return bind_failed(p, st, "list the questions");
	while ((rc = walk_next(p, st, "list the questions")) > 0) {
		if ((rc = read_question(p, st, &q)) != PS_OK || (rc = cb(&q, ctx)) != 0)
			break;
	}
	stmt_release(st);
	return rc;
}

int ps_protocol_question_count(ps_protocol *p, int64_t link_id, int64_t *count_out)
{
	return count_rows(p, S_Q_COUNT, link_id, count_out, "count the questions");
}

int ps_protocol_question_answer(ps_protocol *p, int64_t id, int answer)
{
	const char *name = ps_protocol_answer_name(answer);
	sqlite3_stmt *st;
	int rc, kind;

	if (!name)
		return ps_error_set(PS_EINVAL, "unknown answer %d", answer);
	if ((rc = stmt_get(p, &st, S_Q_KIND, 0)) != PS_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, id))
		return bind_failed(p, st, "answer a question");
	rc = stmt_row(p, st, "answer a question");
	kind = rc == PS_OK ? name_index(kind_names, COUNT_OF(kind_names), col_text(st, 0)) : -1;
	stmt_release(st);
	if (rc == PS_ENOTFOUND)
		return ps_error_set(PS_ENOTFOUND, "cannot answer a question: the protocol '%s' has "
			"no question %lld", p->path, (long long)id);
	if (rc != PS_OK)
		return rc;
	if (kind < 0)
		return damage_found(p, "a question of an unknown kind");
	if (!answer_fits(kind, answer))
		return ps_error_set(PS_EINVAL, "'%s' is no answer to a %s question", name,
			kind_names[kind]);
	if ((rc = stmt_get(p, &st, S_Q_ANSWER, 0)) != PS_OK)
		return rc;
	if (bind_text(st, 2, name) | bind_u64(st, 3, ps_time_now()))
		return bind_failed(p, st, "answer a question");
	return change_by_id(p, st, id, "answer a question", "question");
}

int ps_protocol_question_remove(ps_protocol *p, int64_t id)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_Q_REMOVE, 0)) != PS_OK)
		return rc;
	return change_by_id(p, st, id, "forget a question", "question");
}

/* ---- journal ---------------------------------------------------------- */

int ps_protocol_journal_append(ps_protocol *p, const ps_protocol_journal_entry *e,
	int64_t *id_out)
{
	sqlite3_stmt *st;
	int rc;

	if (e->side != 0 && e->side != 1)
		return bad_side(e->side);
	if (e->action < 0 || e->action >= COUNT_OF(action_names))
		return ps_error_set(PS_EINVAL, "unknown journal action %d", e->action);
	if (e->source_eid_size > PS_PROTOCOL_EID_MAX || e->target_eid_size > PS_PROTOCOL_EID_MAX ||
	    e->marker_size > PS_PROTOCOL_MARKER_MAX)
		return ps_error_set(PS_EINVAL, "an entry ID or marker is too long for the journal");
	if ((rc = stmt_get(p, &st, S_J_APPEND, 0)) != PS_OK)
		return rc;
	if (bind_id(st, 1, e->sync_id) | sqlite3_bind_int64(st, 2, e->link_id) |
	    bind_id(st, 3, e->pair_id) | bind_text(st, 4, action_names[e->action]) |
	    bind_text(st, 5, side_name[e->side]) |
	    bind_blob(st, 6, e->source_eid, e->source_eid_size) |
	    bind_blob(st, 7, e->target_eid, e->target_eid_size) |
	    bind_blob(st, 8, e->marker, e->marker_size) | bind_u64(st, 9, ps_time_now()))
		return bind_failed(p, st, "journal an action");
	if ((rc = stmt_run(p, st, "journal an action")) != PS_OK)
		return rc;
	if (id_out)
		*id_out = sqlite3_last_insert_rowid(p->db);
	return PS_OK;
}

int ps_protocol_journal_done(ps_protocol *p, int64_t id)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_J_DONE, 0)) != PS_OK)
		return rc;
	if (bind_u64(st, 2, ps_time_now()))
		return bind_failed(p, st, "mark an action done");
	return change_by_id(p, st, id, "mark an action done", "journal entry");
}

static int read_journal(ps_protocol *p, sqlite3_stmt *st, ps_protocol_journal_entry *e)
{
	int rc;

	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->sync_id = sqlite3_column_int64(st, 1);
	e->link_id = sqlite3_column_int64(st, 2);
	e->pair_id = sqlite3_column_int64(st, 3);
	e->action = name_index(action_names, COUNT_OF(action_names), col_text(st, 4));
	if (e->action < 0)
		return bad_value(p, "journal action", col_text(st, 4));
	e->side = name_index(side_name, 2, col_text(st, 5));
	if (e->side < 0)
		return bad_value(p, "side", col_text(st, 5));
	if ((rc = col_blob(p, st, 6, e->source_eid, sizeof(e->source_eid),
	    &e->source_eid_size)) != PS_OK ||
	    (rc = col_blob(p, st, 7, e->target_eid, sizeof(e->target_eid),
	    &e->target_eid_size)) != PS_OK ||
	    (rc = col_blob(p, st, 8, e->marker, sizeof(e->marker), &e->marker_size)) != PS_OK)
		return rc;
	e->created = col_u64(st, 9);
	e->done = col_u64(st, 10);
	return PS_OK;
}

int ps_protocol_journal_unfinished(ps_protocol *p, ps_protocol_journal_cb cb, void *ctx)
{
	ps_protocol_journal_entry e;
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_J_UNFINISHED, 0)) != PS_OK)
		return rc;
	while ((rc = walk_next(p, st, "list the journal")) > 0) {
		if ((rc = read_journal(p, st, &e)) != PS_OK || (rc = cb(&e, ctx)) != 0)
			break;
	}
	stmt_release(st);
	return rc;
}

int ps_protocol_journal_purge(ps_protocol *p)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_J_PURGE, 0)) != PS_OK)
		return rc;
	return stmt_run(p, st, "purge the journal");
}

/* ---- history ---------------------------------------------------------- */

int ps_protocol_history_start(ps_protocol *p, int64_t *id_out)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_H_START, 0)) != PS_OK)
		return rc;
	if (bind_u64(st, 1, ps_time_now()))
		return bind_failed(p, st, "record the start of a sync");
	if ((rc = stmt_run(p, st, "record the start of a sync")) != PS_OK)
		return rc;
	if (id_out)
		*id_out = sqlite3_last_insert_rowid(p->db);
	return PS_OK;
}

int ps_protocol_history_finish(ps_protocol *p, int64_t id, int status,
	const ps_protocol_counts *counts, const char *errors)
{
	static const ps_protocol_counts none;
	const ps_protocol_counts *c = counts ? counts : &none;
	sqlite3_stmt *st;
	int rc, t, bad = 0;

	if ((rc = stmt_get(p, &st, S_H_FINISH, 0)) != PS_OK)
		return rc;
	bad |= bind_u64(st, 2, ps_time_now()) | sqlite3_bind_int(st, 3, status);
	for (t = 0; t < 2; t++)
		bad |= sqlite3_bind_int64(st, 4 + t, c->copied[t]) |
			sqlite3_bind_int64(st, 6 + t, c->overwritten[t]) |
			sqlite3_bind_int64(st, 8 + t, c->deleted[t]);
	bad |= sqlite3_bind_int64(st, 10, c->paired) | sqlite3_bind_int64(st, 11, c->conflicts) |
		sqlite3_bind_int64(st, 12, c->deletes_asked) |
		bind_text(st, 13, errors && errors[0] ? errors : NULL);
	if (bad)
		return bind_failed(p, st, "record the end of a sync");
	return change_by_id(p, st, id, "record the end of a sync", "sync");
}

int ps_protocol_history_last(ps_protocol *p, int n, ps_protocol_sync_cb cb, void *ctx)
{
	ps_protocol_sync s;
	sqlite3_stmt *st;
	int rc, t;

	if ((rc = stmt_get(p, &st, S_H_LAST, 0)) != PS_OK)
		return rc;
	if (sqlite3_bind_int(st, 1, n < 0 ? 0 : n))
		return bind_failed(p, st, "list the syncs");
	while ((rc = walk_next(p, st, "list the syncs")) > 0) {
		memset(&s, 0, sizeof(s));
		s.id = sqlite3_column_int64(st, 0);
		s.started = col_u64(st, 1);
		s.finished = col_u64(st, 2);
		s.status = sqlite3_column_int(st, 3);
		for (t = 0; t < 2; t++) {
			s.counts.copied[t] = (uint32_t)sqlite3_column_int64(st, 4 + t);
			s.counts.overwritten[t] = (uint32_t)sqlite3_column_int64(st, 6 + t);
			s.counts.deleted[t] = (uint32_t)sqlite3_column_int64(st, 8 + t);
		}
		s.counts.paired = (uint32_t)sqlite3_column_int64(st, 10);
		s.counts.conflicts = (uint32_t)sqlite3_column_int64(st, 11);
		s.counts.deletes_asked = (uint32_t)sqlite3_column_int64(st, 12);
		s.errors = col_text(st, 13);
		if ((rc = cb(&s, ctx)) != 0)
			break;
	}
	stmt_release(st);
	return rc;
}

int ps_protocol_history_prune(ps_protocol *p, int keep)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt_get(p, &st, S_H_PRUNE, 0)) != PS_OK)
		return rc;
	if (sqlite3_bind_int(st, 1, keep < 0 ? 0 : keep))
		return bind_failed(p, st, "prune the history");
	return stmt_run(p, st, "prune the history");
}

/* ---- store identity, item versions, folder identity (schema 2) --------- */

enum {
	H_STORE_GET, H_STORE_SET, H_VERSION_SET, H_VERSION_LIST, H_FOLDER_GET, H_FOLDER_SET,
	H_LINK_PATH, H_GONE_LIST, H_GONE_PRUNE, H_GONE_UNNOTE, H_RETIRE_QUESTIONS, H_RETIRE_JOURNAL,
	H_RETIRE_OLDER, H_RETIRE, H_RETIRED_FIND, H_RETIRED_STATE, H_RETIRED_PRUNE, H_COUNT
};

static const char *const hstmt_sql[H_COUNT] = {
	[H_STORE_GET] = "SELECT record_key, mark, seen, event FROM store_state WHERE side = ?1",
	[H_STORE_SET] = "INSERT OR REPLACE INTO store_state (side, record_key, mark, seen, event) "
		"VALUES (?1, ?2, ?3, ?4, ?5)",
	[H_VERSION_SET] = "INSERT OR REPLACE INTO pair_version (pair_id, side, change_key, pcl, "
		"search_key) VALUES (?1, ?2, ?3, ?4, ?5)",
	[H_VERSION_LIST] = "SELECT v.pair_id, v.side, v.change_key, v.pcl, v.search_key FROM pair_version v "
		"JOIN pair p ON p.id = v.pair_id WHERE p.link_id = ?1",
	[H_FOLDER_GET] = "SELECT eid FROM link_folder WHERE link_id = ?1 AND side = ?2",
	[H_FOLDER_SET] = "INSERT OR REPLACE INTO link_folder (link_id, side, eid) VALUES (?1, ?2, ?3)",
	[H_LINK_PATH] = "UPDATE link SET local_path = CASE WHEN ?2 = 0 THEN ?3 ELSE local_path END, "
		"global_path = CASE WHEN ?2 = 1 THEN ?3 ELSE global_path END WHERE id = ?1",
	[H_GONE_LIST] = "SELECT CASE WHEN ?2 = 0 THEN local_eid ELSE global_eid END FROM pair_gone "
		"WHERE link_id = ?1",
	[H_GONE_PRUNE] = "DELETE FROM pair_gone WHERE gone < ?1",
	/* a removed link is kept retired (its paths behind "\1ID ") for a while, so that
	 * a link added again knows which side of its items changed meanwhile */
	[H_RETIRE_QUESTIONS] = "DELETE FROM question WHERE pair_id IN (SELECT id FROM pair WHERE link_id = ?1)",
	[H_RETIRE_JOURNAL] = "DELETE FROM journal WHERE link_id = ?1",
	[H_RETIRE_OLDER] = "DELETE FROM link WHERE id <> ?1 AND substr(local_path, 1, 1) = char(1) AND "
		"local_path = char(1) || id || ' ' || (SELECT local_path FROM link WHERE id = ?1) AND "
		"global_path = char(1) || id || ' ' || (SELECT global_path FROM link WHERE id = ?1)",
	/* a retired link's last_sync is the time it was retired: its age */
	[H_RETIRE] = "UPDATE link SET local_path = char(1) || id || ' ' || local_path, "
		"global_path = char(1) || id || ' ' || global_path, last_sync = ?2 WHERE id = ?1",
	[H_RETIRED_PRUNE] = "DELETE FROM link WHERE substr(local_path, 1, 1) = char(1) AND last_sync < ?1",
	[H_RETIRED_FIND] = "SELECT id FROM link WHERE substr(local_path, 1, 1) = char(1) AND "
		"local_path = char(1) || id || ' ' || ?1 AND global_path = char(1) || id || ' ' || ?2 "
		"ORDER BY id DESC LIMIT 1",
	[H_RETIRED_STATE] = "SELECT p.local_fingerprint, p.global_fingerprint FROM pair p WHERE p.link_id = ?1 "
		"AND (p.search_key = ?2 OR EXISTS (SELECT 1 FROM pair_version v WHERE v.pair_id = p.id "
		"AND v.search_key = ?2)) ORDER BY p.id DESC LIMIT 1",
	[H_GONE_UNNOTE] = "DELETE FROM pair_gone WHERE rowid = (SELECT MAX(rowid) FROM pair_gone "
		"WHERE link_id = ?1 AND (CASE WHEN ?2 = 0 THEN local_eid ELSE global_eid END) = ?3)",
};

_Static_assert(H_COUNT <= (int)(sizeof(((ps_protocol *)0)->hstmt) / sizeof(sqlite3_stmt *)),
	"room for the statements");

static int side_check(int side)
{
	return side == 0 || side == 1 ? PS_OK : bad_side(side);
}

static int hstmt_get(ps_protocol *p, sqlite3_stmt **out, int id)
{
	int rc;

	if (!p->hstmt[id] && (rc = sqlite3_prepare_v2(p->db, hstmt_sql[id], -1, &p->hstmt[id], NULL)) !=
	    SQLITE_OK)
		return sql_error(p, rc, "prepare a statement");
	*out = p->hstmt[id];
	return PS_OK;
}

int ps_protocol_store_get(ps_protocol *p, int side, ps_protocol_store_state *out)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	const char *ev;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = side_check(side)) != PS_OK || (rc = hstmt_get(p, &st, H_STORE_GET)) != PS_OK)
		return rc;
	if (bind_text(st, 1, side_name[side]))
		return bind_failed(p, st, "read a store's state");
	rc = stmt_row(p, st, "read a store's state");
	if (rc == PS_OK) {
		if (sqlite3_column_bytes(st, 0) == 16) {
			rc = col_blob(p, st, 0, out->record_key, sizeof(out->record_key), &n);
			out->has_record_key = rc == PS_OK;
		}
		out->mark = col_u64(st, 1);
		out->seen = col_u64(st, 2);
		ev = col_text(st, 3);
		if (ev)
			snprintf(out->event, sizeof(out->event), "%s", ev);
	}
	stmt_release(st);
	return rc;
}

int ps_protocol_store_set(ps_protocol *p, int side, const ps_protocol_store_state *s)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = side_check(side)) != PS_OK || (rc = hstmt_get(p, &st, H_STORE_SET)) != PS_OK)
		return rc;
	if (bind_text(st, 1, side_name[side]) |
	    bind_blob(st, 2, s->record_key, s->has_record_key ? 16 : 0) | bind_u64(st, 3, s->mark) |
	    bind_u64(st, 4, s->seen) | bind_text(st, 5, s->event[0] ? s->event : NULL))
		return bind_failed(p, st, "record a store's state");
	return stmt_run(p, st, "record a store's state");
}

int ps_protocol_version_set(ps_protocol *p, int64_t pair_id, int side, const uint8_t *change_key,
	size_t change_key_size, const uint8_t *pcl, size_t pcl_size, const uint8_t *search_key,
	size_t search_key_size)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = side_check(side)) != PS_OK || (rc = hstmt_get(p, &st, H_VERSION_SET)) != PS_OK)
		return rc;
	if (bind_id(st, 1, pair_id) | sqlite3_bind_int(st, 2, side) |
	    bind_blob(st, 3, change_key, change_key_size) | bind_blob(st, 4, pcl, pcl_size) |
	    bind_blob(st, 5, search_key, search_key_size))
		return bind_failed(p, st, "record an item's version");
	return stmt_run(p, st, "record an item's version");
}

int ps_protocol_version_list(ps_protocol *p, int64_t link_id, ps_protocol_version_cb cb, void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = hstmt_get(p, &st, H_VERSION_LIST)) != PS_OK)
		return rc;
	if (bind_id(st, 1, link_id))
		return bind_failed(p, st, "list the items' versions");
	while ((rc = walk_next(p, st, "list the items' versions")) > 0) {
		int side = sqlite3_column_int(st, 1);
		if (side != 0 && side != 1)
			continue;
		if ((rc = cb(sqlite3_column_int64(st, 0), side, sqlite3_column_blob(st, 2),
			(size_t)sqlite3_column_bytes(st, 2), sqlite3_column_blob(st, 3),
			(size_t)sqlite3_column_bytes(st, 3), sqlite3_column_blob(st, 4),
			(size_t)sqlite3_column_bytes(st, 4), ctx)) != 0)
			break;
	}
	stmt_release(st);
	return rc;
}

int ps_protocol_folder_get(ps_protocol *p, int64_t link_id, int side, uint8_t *eid, size_t cap,
	size_t *size_out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*size_out = 0;
	if ((rc = side_check(side)) != PS_OK || (rc = hstmt_get(p, &st, H_FOLDER_GET)) != PS_OK)
		return rc;
	if (bind_id(st, 1, link_id) | sqlite3_bind_int(st, 2, side))
		return bind_failed(p, st, "read a link's folder");
	rc = stmt_row(p, st, "read a link's folder");
	if (rc == PS_OK)
		rc = col_blob(p, st, 0, eid, cap, size_out);
	stmt_release(st);
	return rc;
}

int ps_protocol_folder_set(ps_protocol *p, int64_t link_id, int side, const uint8_t *eid, size_t size)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = side_check(side)) != PS_OK || (rc = hstmt_get(p, &st, H_FOLDER_SET)) != PS_OK)
		return rc;
	if (bind_id(st, 1, link_id) | sqlite3_bind_int(st, 2, side) | bind_blob(st, 3, eid, size))
		return bind_failed(p, st, "record a link's folder");
	return stmt_run(p, st, "record a link's folder");
}

int ps_protocol_link_set_path(ps_protocol *p, int64_t id, int side, const char *path)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = side_check(side)) != PS_OK || (rc = hstmt_get(p, &st, H_LINK_PATH)) != PS_OK)
		return rc;
	if (sqlite3_bind_int(st, 2, side) | bind_text(st, 3, path))
		return bind_failed(p, st, "change a link's folder");
	return change_by_id(p, st, id, "change a link's folder", "link");
}

int ps_protocol_gone_list(ps_protocol *p, int64_t link_id, int side, ps_protocol_gone_cb cb, void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = side_check(side)) != PS_OK || (rc = hstmt_get(p, &st, H_GONE_LIST)) != PS_OK)
		return rc;
	if (bind_id(st, 1, link_id) | sqlite3_bind_int(st, 2, side))
		return bind_failed(p, st, "list the items gone");
	while ((rc = walk_next(p, st, "list the items gone")) > 0) {
		if (sqlite3_column_bytes(st, 0) <= 0)
			continue;
		if ((rc = cb(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), ctx)) != 0)
			break;
	}
	stmt_release(st);
	return rc;
}

int ps_protocol_link_retire(ps_protocol *p, int64_t id)
{
	static const int steps[] = { H_RETIRE_QUESTIONS, H_RETIRE_JOURNAL, H_RETIRE_OLDER, H_RETIRE };
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if ((rc = hstmt_get(p, &st, steps[i])) != PS_OK)
			return rc;
		if (bind_id(st, 1, id) || (steps[i] == H_RETIRE && bind_u64(st, 2, ps_time_now())))
			return bind_failed(p, st, "retire a link");
		if ((rc = stmt_run(p, st, "retire a link")) != PS_OK)
			return rc;
	}
	return PS_OK;
}

int ps_protocol_link_retired(ps_protocol *p, const char *local_path, const char *global_path, int64_t *id_out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*id_out = 0;
	if ((rc = hstmt_get(p, &st, H_RETIRED_FIND)) != PS_OK)
		return rc;
	if (bind_text(st, 1, local_path) | bind_text(st, 2, global_path))
		return bind_failed(p, st, "find a removed link");
	rc = stmt_row(p, st, "find a removed link");
	if (rc == PS_OK)
		*id_out = sqlite3_column_int64(st, 0);
	stmt_release(st);
	return rc;
}

int ps_protocol_retired_fingerprints(ps_protocol *p, int64_t link_id, const uint8_t *key, size_t key_size,
	uint8_t fp[2][PS_PROTOCOL_FINGERPRINT_MAX], size_t fp_size[2])
{
	sqlite3_stmt *st = NULL;
	int t, rc;

	fp_size[0] = fp_size[1] = 0;
	if (!key_size)
		return PS_ENOTFOUND;
	if ((rc = hstmt_get(p, &st, H_RETIRED_STATE)) != PS_OK)
		return rc;
	if (bind_id(st, 1, link_id) | bind_blob(st, 2, key, key_size))
		return bind_failed(p, st, "read a removed link's pair");
	rc = stmt_row(p, st, "read a removed link's pair");
	for (t = 0; t < 2 && rc == PS_OK; t++)
		rc = col_blob(p, st, t, fp[t], PS_PROTOCOL_FINGERPRINT_MAX, &fp_size[t]);
	stmt_release(st);
	return rc;
}

int ps_protocol_gone_unnote(ps_protocol *p, int64_t link_id, int side, const uint8_t *eid, size_t size)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = side_check(side)) != PS_OK || (rc = hstmt_get(p, &st, H_GONE_UNNOTE)) != PS_OK)
		return rc;
	if (bind_id(st, 1, link_id) | sqlite3_bind_int(st, 2, side) | bind_blob(st, 3, eid, size))
		return bind_failed(p, st, "take back a note of an item gone");
	return stmt_run(p, st, "take back a note of an item gone");
}

int ps_protocol_forgotten_prune(ps_protocol *p, uint64_t before)
{
	/* a retired link goes with its pairs: the foreign keys' ON DELETE CASCADE */
	static const int steps[] = { H_GONE_PRUNE, H_RETIRED_PRUNE };
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if ((rc = hstmt_get(p, &st, steps[i])) != PS_OK)
			return rc;
		if (bind_u64(st, 1, before))
			return bind_failed(p, st, "forget old notes and removed links");
		if ((rc = stmt_run(p, st, "forget old notes and removed links")) != PS_OK)
			return rc;
	}
	return PS_OK;
}

/* ---- what did not change (schema 4) ------------------------------------- */

/* A statement of its own, prepared for one call: stamps are read and
 * written a few times per sync. */
static int stamp_prepare(ps_protocol *p, sqlite3_stmt **out, const char *sql)
{
	int rc = sqlite3_prepare_v2(p->db, sql, -1, out, NULL);

	return rc == SQLITE_OK ? PS_OK : sql_error(p, rc, "prepare a statement");
}

int ps_protocol_stamp_get(ps_protocol *p, int64_t link_id, int side, ps_protocol_table_stamp *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = side_check(side)) != PS_OK || (rc = stamp_prepare(p, &st, "SELECT folder_nid, "
	    "data_bid, sub_bid, items, not_carried, direction FROM link_stamp WHERE link_id = ?1 "
	    "AND side = ?2"))
	    != PS_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, link_id) | sqlite3_bind_int(st, 2, side)) {
		rc = bind_failed(p, st, "read a folder's stamp");
	} else if ((rc = stmt_row(p, st, "read a folder's stamp")) == PS_OK) {
		out->folder_nid = (uint32_t)col_u64(st, 0);
		out->data_bid = col_u64(st, 1);
		out->sub_bid = col_u64(st, 2);
		out->items = col_u64(st, 3);
		out->not_carried = col_u64(st, 4);
		out->direction = (int)col_u64(st, 5);
	}
	sqlite3_finalize(st);
	return rc;
}

int ps_protocol_stamp_set(ps_protocol *p, int64_t link_id, int side, const ps_protocol_table_stamp *s)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = side_check(side)) != PS_OK || (rc = stamp_prepare(p, &st, "INSERT OR REPLACE INTO "
	    "link_stamp (link_id, side, folder_nid, data_bid, sub_bid, items, not_carried, direction) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")) != PS_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, link_id) | sqlite3_bind_int(st, 2, side) |
	    bind_u64(st, 3, s->folder_nid) | bind_u64(st, 4, s->data_bid) | bind_u64(st, 5, s->sub_bid) |
	    bind_u64(st, 6, s->items) | bind_u64(st, 7, s->not_carried) |
	    sqlite3_bind_int(st, 8, s->direction))
		rc = bind_failed(p, st, "record a folder's stamp");
	else
		rc = stmt_run(p, st, "record a folder's stamp");
	sqlite3_finalize(st);
	return rc;
}

int ps_protocol_stamps_clear(ps_protocol *p)
{
	return exec_sql(p, "DELETE FROM link_stamp", "forget the stamps");
}
