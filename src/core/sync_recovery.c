/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The sync engine's safety net: before a batch of actions touches a store,
 * every version it is about to overwrite or delete is copied into the
 * profile's recovery store (recovery.c) and that store committed. The
 * journal entries of the batch are committed before (step 1 of
 * sync_apply.c), and each copy carries its entry's marker, so a kill at any
 * instant leaves nothing, the copies alone, or the copies and the actions;
 * the next run redoes the actions and, finding the marker, does not copy
 * twice. A version that cannot be kept (unreadable, or the recovery store
 * refuses) is never destroyed: its action is skipped, or the sync stops.
 *
 * At the end of a sync the recovery store is pruned (recovery_days,
 * recovery_max_mb): unless this sync did not open it, nothing in it is due
 * yet and it is as the last prune left it (see prune_needed).
 */
#include "core/sync_int.h"

#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/recovery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Journal entries are at most this much older than the copies they made
 * (clocks of one machine; generous). */
#define SINCE_MARGIN (10ull * 60 * 10000000)

struct destroyed {
	int any;
};

static int history_cb(const ps_protocol_sync *s, void *ctx)
{
	const ps_protocol_counts *c = &s->counts;

	((struct destroyed *)ctx)->any |= c->overwritten[0] + c->overwritten[1] + c->deleted[0] +
		c->deleted[1] > 0;
	return 0;
}

static int rec_open(struct sync *sy)
{
	struct destroyed d = { 0 };
	int rc;

	if (sy->rec)
		return PS_OK;
	/* missing although earlier syncs kept versions in it: say so */
	if (ps_path_kind(sy->opt.recovery_path) == PS_PATH_NONE &&
	    ps_protocol_history_last(sy->proto, PS_SYNC_HISTORY_KEEP, history_cb, &d) == PS_OK && d.any)
		ps_sync__warn(sy, "the recovery store '%s' is missing: a new one was started, and what "
			"earlier syncs kept in it cannot be brought back", sy->opt.recovery_path);
	rc = ps_recovery_open(&sy->rec, sy->opt.recovery_path, 1);
	if (rc < 0)
		return ps_error_prefix(rc, "nothing was overwritten or deleted, for no copy could be kept");
	if (ps_recovery_warning(sy->rec))
		ps_sync__warn(sy, "%s", ps_recovery_warning(sy->rec));
	return PS_OK;
}

static const char *why_of(const struct op *op, char *buf, size_t size)
{
	static const char *const store[2] = { "local", "global" };
	const char *answer = op->answer ? ps_protocol_answer_name(op->answer) : NULL;

	if (answer)
		snprintf(buf, size, "answer %s", answer);
	else if (op->redo)
		snprintf(buf, size, "finishing an interrupted sync");
	else
		snprintf(buf, size, "%s in the %s store", op->action == PS_ACTION_DELETE ? "deleted" : "changed",
			store[(op->side ^ 1) & 1]);
	return buf;
}

struct created {
	const struct op *ops;
	size_t n;
	uint64_t *since;           /* per op */
};

static int created_cb(const ps_protocol_journal_entry *e, void *ctx)
{
	struct created *c = ctx;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->ops[i].redo && c->ops[i].journal_id == e->id)
			c->since[i] = e->created > SINCE_MARGIN ? e->created - SINCE_MARGIN : 0;
	return 0;
}

static void skip(struct sync *sy, struct op *op, int rc, const char *what)
{
	const struct entry *e = &op->lr->ls[op->side].e[op->dst];

	op->status = rc;
	free(op->error);
	op->error = ps__asprintf("not %s: no copy of it could be kept: %s", what, ps_error_last());
	ps_sync__warn(sy, "'%s' in '%s' was not %s, for no copy of it could be kept: %s", e->subject,
		op->lr->path[op->side], what, ps_error_last());
}

int ps_sync__keep_versions(struct sync *sy, struct op *ops, size_t n)
{
	struct created cr;
	size_t i;
	int begun = 0, redo = 0, kept = 0, rc = PS_OK;
	uint64_t now = ps_time_now();

	if (!sy->opt.recovery_path || !*sy->opt.recovery_path || sy->opt.dry_run)
		return PS_OK;
	memset(&cr, 0, sizeof(cr));
	for (i = 0; i < n; i++) {
		if (ops[i].lr->failed || ops[i].dst < 0 || ops[i].action == PS_ACTION_COPY)
			continue;
		redo |= ops[i].redo;
		kept = 1;
	}
	if (!kept)
		return PS_OK;
	if ((rc = rec_open(sy)) < 0)
		return rc;
	if (redo) {
		/* the copies a killed run may have kept already: look for their
		 * markers among the copies made since its journal entries */
		cr.ops = ops;
		cr.n = n;
		if (!(cr.since = calloc(n, sizeof(*cr.since))))
			return ps_error_set(PS_ENOMEM, "out of memory");
		if ((rc = ps_protocol_journal_unfinished(sy->proto, created_cb, &cr)) < 0)
			goto cleanup;
	}
	for (i = 0; i < n; i++) {
		struct op *op = &ops[i];
		struct link_run *lr = op->lr;
		const struct entry *e;
		const char *what = op->action == PS_ACTION_DELETE ? "deleted" : "overwritten";
		ps_recovery_meta m;
		ps_item *item = NULL;
		char why[64];

		if (lr->failed || op->dst < 0 || op->action == PS_ACTION_COPY || op->status < 0)
			continue;
		e = &lr->ls[op->side].e[op->dst];
		if (op->redo) {
			int yes = 0;
			if ((rc = ps_recovery_has_marker(sy->rec, op->side, lr->path[op->side], op->marker,
				PS_SYNC_MARKER_SIZE, cr.since[i], &yes)) < 0)
				goto cleanup;
			if (yes)
				continue;
		}
		rc = ps_store_read_item(sy->st[op->side], e->nid, &item);
		if (rc == PS_ENOTFOUND) {
			rc = PS_OK; /* gone already: nothing to destroy, nothing to keep */
			continue;
		}
		if (rc < 0) {
			if (ps_sync__is_store_error(rc))
				goto cleanup;
			skip(sy, op, rc, what);
			rc = PS_OK;
			continue;
		}
		if (!begun) {
			if ((rc = ps_recovery_begin(sy->rec)) < 0) {
				ps_item_free(item);
				goto cleanup;
			}
			begun = 1;
		}
		memset(&m, 0, sizeof(m));
		m.when = now;
		m.sync_id = sy->sync_id;
		m.what = op->action == PS_ACTION_DELETE ? PS_RECOVERY_DELETED : PS_RECOVERY_OVERWRITTEN;
		m.why = why_of(op, why, sizeof(why));
		m.side = op->side;
		m.store_path = ps_store_path(sy->st[op->side]);
		m.folder = lr->path[op->side];
		m.container_class = lr->cls;
		m.entry_id = e->eid;
		m.entry_id_size = EID_SIZE;
		m.marker = op->marker;
		m.marker_size = PS_SYNC_MARKER_SIZE;
		rc = ps_recovery_keep(sy->rec, item, &m, NULL);
		ps_item_free(item);
		if (rc < 0) {
			if (ps_sync__is_store_error(rc))
				goto cleanup;
			skip(sy, op, rc, what);
			rc = PS_OK;
		}
	}
	if (begun) {
		begun = 0;
		rc = ps_recovery_commit(sy->rec);
	}
cleanup:
	if (begun)
		ps_recovery_abort(sy->rec);
	if (rc == PS_ECORRUPT && sy->rec) {
		/* damage found in use: this sync stops, the next starts a new one */
		char *aside = NULL, *why = ps__strdup(ps_error_last());
		if (ps_recovery_discard(sy->rec, &aside) == PS_OK)
			ps_sync__warn(sy, "the recovery store '%s' is damaged (%s): it was kept as '%s', and the "
				"next sync starts a new one", sy->opt.recovery_path, why ? why : "", aside);
		sy->rec = NULL;
		ps_error_set(PS_ECORRUPT, "%s", why ? why : "the recovery store is damaged");
		free(aside);
		free(why);
	}
	if (rc < 0 && rc != PS_ENOMEM)
		ps_error_prefix(rc, "nothing was overwritten or deleted, for no copy could be kept");
	free(cr.since);
	return rc;
}

/*
 * A prune walks every folder of the recovery store (most of a sync that
 * changes nothing, once it holds a few rounds of versions). After one, the
 * limits, the time the oldest copy left falls due and the file's stamp
 * (ps_path_stamp) are written beside the store ("-pruned"). A sync that did
 * not open the store finding the same limits, that time not reached and the
 * file unchanged since (nothing kept, nothing taken away) has nothing to
 * prune. The note is only ever a reason to skip work: lost or stale, the
 * prune runs.
 */
static char *prune_note(const struct sync *sy, const char *path, uint64_t due)
{
	char stamp[160];

	if (ps_path_stamp(path, stamp, sizeof(stamp)) != PS_OK) {
		ps_error_clear();
		return NULL;
	}
	return ps__asprintf("%d %d %llu %s", sy->settings.recovery_days, sy->settings.recovery_max_mb,
		(unsigned long long)due, stamp);
}

static int prune_needed(const struct sync *sy, const char *path)
{
	char *name = ps__asprintf("%s-pruned", path), *now = NULL, kept[256];
	unsigned long long due = 0;
	int needed = 1;

	kept[0] = '\0';
	if (!name || ps_path_kind(name) != PS_PATH_FILE)
		goto cleanup;
	ps__note_read(name, kept, sizeof(kept));
	if (sscanf(kept, "%*d %*d %llu", &due) != 1 || ps_time_now() >= due)
		goto cleanup;
	now = prune_note(sy, path, due);
	needed = !now || strcmp(now, kept) != 0;
cleanup:
	ps_error_clear();
	free(now);
	free(name);
	return needed;
}

static void prune_noted(const struct sync *sy, const char *path, uint64_t due)
{
	char *name = ps__asprintf("%s-pruned", path), *note = name ? prune_note(sy, path, due) : NULL;

	/* best effort: without it the next sync prunes again */
	if (note)
		ps__note_write(name, note);
	else if (name)
		ps_path_remove(name);
	ps_error_clear();
	free(note);
	free(name);
}

void ps_sync__recovery_end(struct sync *sy, int ok)
{
	const char *path = sy->opt.recovery_path;
	size_t removed = 0;
	uint64_t due;
	int rc;

	if (ok && path && *path && !sy->opt.dry_run) {
		if (!sy->rec && !prune_needed(sy, path))
			return;
		if (!sy->rec) {
			rc = ps_recovery_open(&sy->rec, path, 0);
			if (rc == PS_ENOTFOUND)
				return;
			if (rc < 0) {
				ps_sync__warn(sy, "the recovery store was not pruned: %s", ps_error_last());
				return;
			}
		}
		rc = ps_recovery_prune(sy->rec, sy->settings.recovery_days, sy->settings.recovery_max_mb,
			ps_time_now(), &removed);
		if (rc < 0)
			ps_sync__warn(sy, "the recovery store was not pruned: %s", ps_error_last());
		due = rc == PS_OK ? ps_recovery_prune_due(sy->rec) : 0;
		/* closed first: the note holds the file's stamp as the close left it */
		ps_recovery_close(sy->rec);
		sy->rec = NULL;
		if (rc == PS_OK)
			prune_noted(sy, path, due);
		return;
	}
	ps_recovery_close(sy->rec);
	sy->rec = NULL;
}
