/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Carrying out the sync engine's store actions, crash-safely, and finishing
 * what an interrupted sync left in the journal.
 *
 * A batch of actions (up to batch_size) goes through four steps, in this
 * order ("Order is important!"), which is what makes a kill at any instant
 * harmless:
 *
 *   1. protocol transaction: for each action, the protocol change that
 *      must exist before it (a half pair for a copy of a new item, the
 *      target side of a restored pair cleared), its journal entry with a
 *      fresh marker, and the answer it carries out; COMMIT. Until this
 *      commit returns, no store is touched.
 *   2. the local store's transaction: read each source item (from the
 *      global store), put the marker on it, write it (a copy adds an item,
 *      an overwrite replaces the target keeping its NID and so its entry
 *      ID), or delete the target; COMMIT. Then the same for the global
 *      store. Items that cannot be read or written are skipped; a store
 *      failure aborts the open store transaction and stops the sync.
 *   3. (the commits of step 2.) A kill between them leaves one store
 *      written and one not; the journal tells which entries to check.
 *   4. protocol transaction: each pair's new state on both sides (the
 *      written items' times and sizes from a new listing of the folder),
 *      the journal entries done, the answered questions removed; COMMIT.
 *
 * At the start of a sync, unfinished journal entries (steps 1-4 cut
 * short) are resolved: a copy whose marker is on an item of the target
 * folder, or an overwrite whose target carries the marker, was done and is
 * recorded; one that was not is done again with the same marker; a
 * deletion whose target is still there is done again, one whose target is
 * gone is recorded. The result is the state an uninterrupted sync would
 * have reached.
 */
#include "core/sync_int.h"

#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/item_refs.h"

#include <stdlib.h>
#include <string.h>

/* A marker no other action of any sync shares: 8 random bytes of this
 * sync, then a counter. */
void ps_sync__new_marker(struct sync *sy, uint8_t out[PS_SYNC_MARKER_SIZE])
{
	memcpy(out, sy->marker_prefix, 8);
	ps__put64(out + 8, ++sy->marker_count);
}

static int action_kind(const struct op *op)
{
	return op->action == PS_ACTION_COPY ? PS_SYNC_COPY :
		op->action == PS_ACTION_OVERWRITE ? PS_SYNC_OVERWRITE : PS_SYNC_DELETE;
}

/* The entry an op reports: the item read, or the item deleted. */
static const struct entry *op_entry(const struct op *op)
{
	if (op->src >= 0)
		return &op->lr->ls[op->side ^ 1].e[op->src];
	if (op->dst >= 0)
		return &op->lr->ls[op->side].e[op->dst];
	return NULL;
}

static void count_done(struct op *op)
{
	ps_sync_counts *c = &op->lr->res->counts;

	switch (op->action) {
	case PS_ACTION_COPY:
		c->copied[op->side]++;
		op->lr->delta[op->side]++;
		break;
	case PS_ACTION_OVERWRITE:
		c->overwritten[op->side]++;
		break;
	default:
		c->deleted[op->side]++;
		op->lr->delta[op->side]--;
		break;
	}
}

/* ---- step 1: the protocol before the stores ----------------------------------- */

static int prepare(struct sync *sy, struct op *op)
{
	struct link_run *lr = op->lr;
	ps_protocol_journal_entry je;
	int rc;

	if (op->prep == PREP_NEW_PAIR) {
		const struct entry *e = &lr->ls[op->side ^ 1].e[op->src];
		ps_protocol_pair p;
		memset(&p, 0, sizeof(p));
		p.link_id = lr->link_id;
		if (e->skey) {
			memcpy(p.search_key, e->skey, e->skey_size);
			p.search_key_size = e->skey_size;
		}
		ps_sync__side_from_entry(&p.side[op->side ^ 1], e);
		if ((rc = ps_protocol_pair_insert(sy->proto, &p)) < 0)
			return rc;
		/* appended: lr->pairs is indexed, never searched by id, after the scan */
		if ((rc = ps_sync__pair_append(lr, &p, &op->pair)) < 0)
			return rc;
	} else if (op->prep == PREP_CLEAR_TARGET) {
		ps_protocol_side none;
		memset(&none, 0, sizeof(none));
		if (!op->old_side && !(op->old_side = malloc(sizeof(*op->old_side))))
			return ps_error_set(PS_ENOMEM, "out of memory");
		*op->old_side = lr->pairs[op->pair].side[op->side];
		if ((rc = ps_protocol_pair_set_side(sy->proto, lr->pairs[op->pair].id, op->side, &none)) < 0)
			return rc;
		/* "keep both" of two versions: the item cleared stays, a new pair's;
		 * it is not gone (a restored copy would else have what sits at its
		 * NID deleted). Where one side was deleted, it is gone. */
		if (op->answer == PS_ANSWER_KEEP_BOTH && op->old_side->eid_size &&
		    ps_sync__listing_find_side(&lr->ls[op->side], op->old_side) >= 0 &&
		    (rc = ps_protocol_gone_unnote(sy->proto, lr->link_id, op->side, op->old_side->eid,
			    op->old_side->eid_size)) < 0)
			return rc;
		memset(&lr->pairs[op->pair].side[op->side], 0, sizeof(struct pside));
	}
	memset(&je, 0, sizeof(je));
	je.sync_id = sy->sync_id;
	je.link_id = lr->link_id;
	je.pair_id = lr->pairs[op->pair].id;
	je.action = op->action;
	je.side = op->side;
	if (op->src >= 0) {
		memcpy(je.source_eid, lr->ls[op->side ^ 1].e[op->src].eid, EID_SIZE);
		je.source_eid_size = EID_SIZE;
	}
	if (op->dst >= 0) {
		memcpy(je.target_eid, lr->ls[op->side].e[op->dst].eid, EID_SIZE);
		je.target_eid_size = EID_SIZE;
	}
	ps_sync__new_marker(sy, op->marker);
	memcpy(je.marker, op->marker, PS_SYNC_MARKER_SIZE);
	je.marker_size = PS_SYNC_MARKER_SIZE;
	if ((rc = ps_protocol_journal_append(sy->proto, &je, &op->journal_id)) < 0)
		return rc;
	if (op->question_id && op->answer &&
	    (rc = ps_protocol_question_answer(sy->proto, op->question_id, op->answer)) < 0 &&
	    rc != PS_ENOTFOUND)
		return rc;
	return PS_OK;
}

/* ---- step 2: the stores ------------------------------------------------------- */

static int exec_op(struct sync *sy, struct op *op, int begun[2])
{
	struct link_run *lr = op->lr;
	int s = op->side, rc;
	struct entry *src;
	ps_item *item = NULL;
	uint32_t replace = 0;
	unsigned pending = 0;

	if (!begun[s]) {
		if ((rc = ps_store_begin(sy->st[s])) < 0)
			return rc;
		begun[s] = 1;
	}
	if (op->action == PS_ACTION_DELETE) {
		rc = ps_store_delete_item(sy->st[s], lr->ls[s].e[op->dst].nid);
		return rc == PS_ENOTFOUND ? PS_OK : rc; /* gone already: what was wanted */
	}
	src = &lr->ls[s ^ 1].e[op->src];
	if ((rc = ps_store_read_item(sy->st[s ^ 1], src->nid, &item)) < 0)
		return rc;
	/* fingerprinted by the scan already (it saw the item change): the same
	 * item, read in the same sync */
	if (!src->has_fp) {
		src->fp_before = (uint8_t)ps_sync__fingerprints(item, src->fp);
		src->has_fp = 1;
	}
	if ((rc = ps_sync__marker_set(item, op->marker)) < 0 ||
	    (rc = ps_sync__refs_translate(sy, s, item, &pending)) < 0 ||
	    (rc = ps_sync__history_written(sy, op, item)) < 0)
		goto cleanup;
	if (op->action == PS_ACTION_OVERWRITE)
		replace = lr->ls[s].e[op->dst].nid;
	rc = ps_store_put_item(sy->st[s], lr->folder[s], item, replace, &op->new_nid);
	if (rc == PS_OK && replace)
		op->new_nid = replace;
	if (rc == PS_OK) {
		src->copied_to = op->new_nid;   /* what items written after it name */
		op->refs_pending = (uint8_t)(pending != 0);
	}
cleanup:
	ps_item_free(item);
	return rc;
}

/* ---- step 4: the protocol after the stores ----------------------------------------- */

/* What a link's written items are like after the commit: a listing of
 * just those items (ps_store_list_given: not the whole folder again). */
struct after {
	struct listing ls[2];
	uint32_t *nids[2];
	size_t n[2];
	int loaded[2];
};

/* Note the items of the batch that were written, per link and side. */
static int after_collect(struct sync *sy, struct after *af, struct op *ops, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct op *op = &ops[i];
		struct after *a = &af[op->lr - sy->links];
		if (op->lr->failed || op->status < 0 || op->action == PS_ACTION_DELETE || !op->new_nid)
			continue;
		if (!a->nids[op->side]) {
			a->nids[op->side] = malloc(n * sizeof(uint32_t));
			if (!a->nids[op->side])
				return ps_error_set(PS_ENOMEM, "out of memory");
		}
		a->nids[op->side][a->n[op->side]++] = op->new_nid;
	}
	return PS_OK;
}

/* The new state of the item an op wrote, from a listing taken after the commit. */
static int written_state(struct sync *sy, struct after *af, struct op *op, ps_protocol_side *s)
{
	struct link_run *lr = op->lr;
	long i;
	int rc;

	if (!af->loaded[op->side]) {
		if ((rc = ps_sync__listing_load_given(&af->ls[op->side], sy->st[op->side], lr->folder[op->side],
			af->nids[op->side], af->n[op->side])) < 0)
			return rc;
		af->loaded[op->side] = 1;
	}
	i = ps_sync__listing_find(&af->ls[op->side], op->new_nid);
	if (i < 0)
		return ps_error_set(PS_EITEM, "the item written to '%s' of '%s' is not listed after the commit",
			lr->path[op->side], ps_store_path(sy->st[op->side]));
	ps_sync__side_from_entry(s, &af->ls[op->side].e[i]);
	memcpy(s->fingerprint, lr->ls[op->side ^ 1].e[op->src].fp, PS_SYNC_FINGERPRINT_SIZE);
	s->fingerprint_size = PS_SYNC_FINGERPRINT_SIZE;
	return PS_OK;
}

static int record_done(struct sync *sy, struct after *af, struct op *op)
{
	struct link_run *lr = op->lr;
	struct pair *p = &lr->pairs[op->pair];
	int rc;

	if (op->action == PS_ACTION_DELETE) {
		if (!lr->gone[op->pair]) {
			rc = ps_protocol_pair_delete(sy->proto, p->id);
			if (rc < 0 && rc != PS_ENOTFOUND)
				return rc;
			lr->gone[op->pair] = 1;
		}
	} else {
		ps_protocol_side sides[2];
		if ((rc = written_state(sy, af, op, &sides[op->side])) < 0)
			return rc;
		ps_sync__side_from_entry(&sides[op->side ^ 1], &lr->ls[op->side ^ 1].e[op->src]);
		if ((rc = ps_protocol_pair_set_sides(sy->proto, p->id, sides)) < 0)
			return rc;
		ps_sync__side_pack(&p->side[0], &sides[0]);
		ps_sync__side_pack(&p->side[1], &sides[1]);
		if ((rc = ps_sync__history_record(sy, op)) < 0)
			return rc;
		/* it names an item still to be written: made right at the end */
		if (op->refs_pending && (rc = ps_sync__refs_journal(sy, lr, p->id, op->side,
		    sides[op->side].eid)) < 0)
			return rc;
	}
	if ((rc = ps_protocol_journal_done(sy->proto, op->journal_id)) < 0)
		return rc;
	if (op->question_id && (rc = ps_protocol_question_remove(sy->proto, op->question_id)) < 0 &&
	    rc != PS_ENOTFOUND)
		return rc;
	return PS_OK;
}

/* An op that failed for its item alone: undo what step 1 prepared. */
static int record_failed(struct sync *sy, struct op *op)
{
	struct link_run *lr = op->lr;
	int rc = PS_OK;

	if (op->pair >= 0 && !lr->gone[op->pair]) {
		struct pair *p = &lr->pairs[op->pair];
		if (op->prep == PREP_NEW_PAIR || (op->redo && op->action == PS_ACTION_COPY &&
		    !p->side[op->side].eid_size)) {
			rc = ps_protocol_pair_delete(sy->proto, p->id);
			lr->gone[op->pair] = 1;
		} else if (op->prep == PREP_CLEAR_TARGET && op->old_side) {
			ps_protocol_side old;
			ps_sync__side_unpack(&old, op->old_side);
			rc = ps_protocol_pair_set_side(sy->proto, p->id, op->side, &old);
			p->side[op->side] = *op->old_side;
		}
		if (rc < 0 && rc != PS_ENOTFOUND)
			return rc;
	}
	if (op->journal_id && (rc = ps_protocol_journal_done(sy->proto, op->journal_id)) < 0)
		return rc;
	return PS_OK;
}

static void report(struct sync *sy, struct op *op)
{
	ps_sync__action(sy, op->lr, action_kind(op), op->side, op_entry(op), op->status, op->error);
}

static void abort_stores(struct sync *sy, const int begun[2])
{
	int t;

	for (t = 0; t < 2; t++)
		if (begun[t])
			ps_store_abort(sy->st[t]);
}

static int run_batch(struct sync *sy, struct op *ops, size_t n)
{
	struct after *af = NULL;
	int begun[2] = { 0, 0 };
	unsigned warned;
	size_t i, j;
	int t, rc;

	/* 1. journal first: committed before any store is touched */
	if ((rc = ps_protocol_begin(sy->proto)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (ops[i].lr->failed || ops[i].redo)
			continue;
		if ((rc = prepare(sy, &ops[i])) < 0) {
			ps_protocol_rollback(sy->proto);
			return rc;
		}
	}
	if ((rc = ps_protocol_commit(sy->proto)) < 0)
		return rc;

	/* 1b. what the batch overwrites or deletes, kept in the recovery store */
	if ((rc = ps_sync__keep_versions(sy, ops, n)) < 0)
		return rc;

	/*
	 * 2. and 3. the stores, one side after the other: every write to the
	 * local store, its commit, then every write to the global store and its
	 * commit. The items read come from the other store, which then has no
	 * transaction open (a read in a store with uncommitted changes would
	 * make it write its tables first, at every alternation). A kill between
	 * the two commits leaves one side written: the journal tells.
	 */
	for (t = 0; t < 2; t++) {
		for (i = 0; i < n; i++) {
			struct op *op = &ops[i];
			if (op->lr->failed || op->side != t || op->status < 0)
				continue;
			warned = sy->store_warnings;
			rc = exec_op(sy, op, begun);
			if (rc == PS_OK && sy->store_warnings != warned)
				op->lr->res->counts.incomplete++; /* written without what could not be read */
			if (rc < 0) {
				if (ps_sync__is_store_error(rc)) {
					abort_stores(sy, begun);
					return rc;
				}
				if (!ps_sync__is_item_error(rc)) {
					/* a damaged folder: its link fails (what it wrote in
					 * this batch stays in the journal), the others go on */
					ps_sync__link_fail(sy, op->lr, rc);
					continue;
				}
				op->status = rc;
				op->error = ps__strdup(ps_error_last());
				ps_sync__warn(sy, "'%s' in '%s' was skipped: %s", op_entry(op) ? op_entry(op)->subject : "",
					op->lr->path[op->action == PS_ACTION_DELETE ? t : t ^ 1], ps_error_last());
			}
			sy->done++;
			if (sy->done % 64 == 0)
				ps_sync__progress(sy, NULL, PS_SYNC_PHASE_APPLY, sy->done, sy->total);
		}
		if (begun[t]) {
			begun[t] = 0;
			if ((rc = ps_store_commit(sy->st[t])) < 0)
				return rc; /* a failed commit ends its transaction */
		}
	}

	/* 4. record, in one protocol transaction */
	af = calloc(sy->nlinks + 1, sizeof(*af));
	if (!af)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if ((rc = after_collect(sy, af, ops, n)) < 0 || (rc = ps_protocol_begin(sy->proto)) < 0)
		goto cleanup;
	for (i = 0; i < n; i++) {
		struct op *op = &ops[i];
		struct after *a = &af[op->lr - sy->links];
		if (op->lr->failed)
			continue;
		if (op->status < 0) {
			rc = record_failed(sy, op);
		} else {
			rc = record_done(sy, a, op);
			if (rc < 0 && !ps_sync__is_store_error(rc)) {
				/* left unfinished in the journal: the next sync checks it */
				op->status = rc;
				op->error = ps__strdup(ps_error_last());
				rc = PS_OK;
			}
		}
		if (rc < 0)
			break;
	}
	if (rc < 0) {
		ps_protocol_rollback(sy->proto);
		goto cleanup;
	}
	if ((rc = ps_protocol_commit(sy->proto)) < 0)
		goto cleanup;
	for (i = 0; i < n; i++) {
		struct op *op = &ops[i];
		if (op->lr->failed)
			continue;
		if (op->status < 0)
			op->lr->res->counts.errors++;
		else
			count_done(op);
		report(sy, op);
	}
cleanup:
	for (j = 0; j < sy->nlinks; j++) {
		for (t = 0; t < 2; t++) {
			ps_sync__listing_free(&af[j].ls[t]);
			free(af[j].nids[t]);
		}
	}
	free(af);
	return rc;
}

/* Bytes an op brings into a store transaction: the item it copies. */
static uint64_t op_bytes(const struct op *op)
{
	const struct entry *e = op->src >= 0 ? &op->lr->ls[op->side ^ 1].e[op->src] : NULL;

	return e ? e->size : 0;
}

int ps_sync__run_ops(struct sync *sy, struct op_list *ops)
{
	size_t batch = sy->opt.batch_size ? sy->opt.batch_size : PS_SYNC_BATCH_DEFAULT;
	size_t bytes = sy->opt.batch_bytes ? sy->opt.batch_bytes : PS_SYNC_BATCH_BYTES_DEFAULT;
	size_t i, n;
	int rc = PS_OK;

	if (!ops->n)
		return PS_OK;
	ps_sync__refs_order(ops);   /* lists after the members they name */
	sy->total += ops->n;
	if (sy->opt.dry_run) {
		for (i = 0; i < ops->n; i++) {
			if (ops->v[i].lr->failed)
				continue;
			count_done(&ops->v[i]);
			report(sy, &ops->v[i]);
		}
		return PS_OK;
	}
	/* batches of at most batch_size items and batch_bytes bytes (but one
	 * item at least): what a store transaction holds until its commit */
	/* the pairs the copies make, room for them at once */
	for (n = 0; n < sy->nlinks; n++) {
		size_t extra = 0;
		for (i = 0; i < ops->n; i++)
			extra += ops->v[i].lr == &sy->links[n] && ops->v[i].prep == PREP_NEW_PAIR;
		if (extra && (rc = ps_sync__pairs_reserve(&sy->links[n], extra)) < 0)
			return rc;
	}
	for (i = 0; i < ops->n && rc == PS_OK; i += n) {
		uint64_t sum = 0;
		for (n = 0; i + n < ops->n && n < batch; n++) {
			sum += op_bytes(&ops->v[i + n]);
			if (n > 0 && sum > bytes)
				break;
		}
		rc = run_batch(sy, ops->v + i, n);
	}
	ps_sync__progress(sy, NULL, PS_SYNC_PHASE_APPLY, sy->done, sy->total);
	return rc;
}

/* ---- finishing an interrupted sync ---------------------------------------------------- */

struct journal {
	ps_protocol_journal_entry *v;
	size_t n;
};

static int journal_cb(const ps_protocol_journal_entry *e, void *ctx)
{
	struct journal *j = ctx;
	ps_protocol_journal_entry *grown = realloc(j->v, (j->n + 1) * sizeof(*grown));

	if (!grown)
		return ps_error_set(PS_ENOMEM, "out of memory");
	j->v = grown;
	j->v[j->n++] = *e;
	return 0;
}

/* A marker found on an item of a folder that no pair names. */
struct found {
	uint8_t marker[PS_SYNC_MARKER_SIZE];
	long entry;
	int refs;          /* it holds entry IDs of items (pstsync/item_refs.h) */
};

/* Read the unpaired items of side @p t for markers (only when a copy to
 * that side is unfinished: a rare, bounded cost). */
static int find_markers(struct sync *sy, struct link_run *lr, int t, struct found **out, size_t *n)
{
	size_t i;
	int rc = PS_OK;

	*out = NULL;
	*n = 0;
	for (i = 0; i < lr->ls[t].n; i++) {
		struct entry *e = &lr->ls[t].e[i];
		ps_item *item = NULL;
		const ps_prop *m;
		if (e->pair >= 0)
			continue;
		rc = ps_store_read_item(sy->st[t], e->nid, &item);
		if (rc < 0) {
			if (ps_sync__is_store_error(rc))
				return rc;
			rc = PS_OK;
			continue;
		}
		e->fp_before = (uint8_t)ps_sync__fingerprints(item, e->fp);
		e->has_fp = 1;
		m = ps_sync_marker_find(item);
		if (m && m->size == PS_SYNC_MARKER_SIZE) {
			struct found *grown = realloc(*out, (*n + 1) * sizeof(*grown));
			if (!grown) {
				ps_item_free(item);
				return ps_error_set(PS_ENOMEM, "out of memory");
			}
			*out = grown;
			memcpy(grown[*n].marker, m->data, PS_SYNC_MARKER_SIZE);
			grown[*n].entry = (long)i;
			grown[*n].refs = ps_item_refs_has(item);
			(*n)++;
		}
		ps_item_free(item);
	}
	return rc;
}

/* Whether entry @p i of side @p t carries @p marker (read; fingerprint kept). */
static int has_marker(struct sync *sy, struct link_run *lr, int t, long i, const uint8_t *marker, int *yes,
	int *refs)
{
	struct entry *e = &lr->ls[t].e[i];
	ps_item *item = NULL;
	const ps_prop *m;
	int rc;

	*yes = *refs = 0;
	if ((rc = ps_store_read_item(sy->st[t], e->nid, &item)) < 0)
		return ps_sync__is_store_error(rc) ? rc : PS_OK;
	e->fp_before = (uint8_t)ps_sync__fingerprints(item, e->fp);
	e->has_fp = 1;
	m = ps_sync_marker_find(item);
	*yes = m && m->size == PS_SYNC_MARKER_SIZE && memcmp(m->data, marker, PS_SYNC_MARKER_SIZE) == 0;
	*refs = ps_item_refs_has(item);
	ps_item_free(item);
	return PS_OK;
}

/*
 * A write that was done: side t is the item written (its fingerprint is
 * what was copied); the source side keeps its entry but gets that
 * fingerprint and no time, so the scan that follows reads it once and
 * finds it unmodified, unless it changed since the copy. An item that
 * names others may name one written after it (sync_refs.c): its fix-up is
 * journalled, to run at the end of this sync.
 */
static int record_found(struct sync *sy, struct link_run *lr, long pi, int t, long ent, int refs)
{
	struct pair *p = &lr->pairs[pi];
	ps_protocol_side target, source;
	int rc;

	ps_sync__side_unpack(&source, &p->side[t ^ 1]);
	ps_sync__side_from_entry(&target, &lr->ls[t].e[ent]);
	if ((rc = ps_protocol_pair_set_side(sy->proto, p->id, t, &target)) < 0)
		return rc;
	ps_sync__side_pack(&p->side[t], &target);
	lr->ls[t].e[ent].pair = pi;
	if (source.eid_size) {
		source.modified = 0;
		source.size = 0;
		memcpy(source.fingerprint, target.fingerprint, PS_SYNC_FINGERPRINT_SIZE);
		source.fingerprint_size = target.fingerprint_size;
		if ((rc = ps_protocol_pair_set_side(sy->proto, p->id, t ^ 1, &source)) < 0)
			return rc;
		ps_sync__side_pack(&p->side[t ^ 1], &source);
	}
	if (refs && (rc = ps_sync__refs_journal(sy, lr, p->id, t, lr->ls[t].e[ent].eid)) < 0)
		return rc;
	return PS_OK;
}

static int redo(struct op_list *redo_ops, struct link_run *lr, const ps_protocol_journal_entry *je,
	long pi, long src, long dst)
{
	struct op *op;
	int rc = ps_sync__ops_push(redo_ops, &op);

	if (rc < 0)
		return rc;
	op->lr = lr;
	op->action = je->action;
	op->side = je->side;
	op->pair = pi;
	op->src = src;
	op->dst = dst;
	op->redo = 1;
	op->journal_id = je->id;
	memcpy(op->marker, je->marker, PS_SYNC_MARKER_SIZE);
	return PS_OK;
}

/* Resolve the unfinished entries of one link; store actions to redo go to @p redo_ops. */
static int recover_link(struct sync *sy, struct link_run *lr, const struct journal *j,
	struct op_list *redo_ops)
{
	struct found *found[2] = { NULL, NULL };
	size_t nfound[2] = { 0, 0 }, i, k;
	int need[2] = { 0, 0 };
	int t, rc;

	for (t = 0; t < 2; t++)
		if ((rc = ps_sync__listing_load(&lr->ls[t], sy->st[t], lr->folder[t])) < 0)
			goto cleanup;
	if ((rc = ps_sync__pairs_load(lr)) < 0)
		goto cleanup;
	for (i = 0; i < lr->npairs; i++) {
		for (t = 0; t < 2; t++) {
			long e = ps_sync__listing_find_side(&lr->ls[t], &lr->pairs[i].side[t]);
			if (e >= 0)
				lr->ls[t].e[e].pair = (long)i;
		}
	}
	for (i = 0; i < j->n; i++)
		if (j->v[i].link_id == lr->link_id && j->v[i].action == PS_ACTION_COPY && j->v[i].side >= 0 &&
		    j->v[i].side < 2)
			need[j->v[i].side] = 1;
	for (t = 0; t < 2; t++)
		if (need[t] && (rc = find_markers(sy, lr, t, &found[t], &nfound[t])) < 0)
			goto cleanup;

	for (i = 0; i < j->n; i++) {
		const ps_protocol_journal_entry *je = &j->v[i];
		long pi = je->pair_id ? ps_sync__pair_index(lr, je->pair_id) : -1;
		long dst = -1, src = -1;
		int done = 0, s = je->side;

		if (je->link_id != lr->link_id || ps_sync__refs_is_fixup(je))
			continue;   /* (fix-ups: at the end of the sync, ps_sync__refs_fixup) */
		if (pi < 0 || (s != 0 && s != 1) || je->marker_size != PS_SYNC_MARKER_SIZE) {
			/* its pair was forgotten since: nothing left to finish */
			if ((rc = ps_protocol_journal_done(sy->proto, je->id)) < 0)
				goto cleanup;
			continue;
		}
		src = ps_sync__listing_find_side(&lr->ls[s ^ 1], &lr->pairs[pi].side[s ^ 1]);
		dst = ps_sync__listing_find_side(&lr->ls[s], &lr->pairs[pi].side[s]);
		if (!lr->w[s]) {
			/* the link's direction changed since: nothing is redone on a side
			 * it no longer writes; a copy that did not happen leaves its
			 * source an item of its own, which the scan treats as new */
			src = -1;
			if (je->action == PS_ACTION_DELETE && dst >= 0) {
				if ((rc = ps_protocol_journal_done(sy->proto, je->id)) < 0)
					goto cleanup;
				continue; /* not deleted: the scan decides afresh */
			}
		}
		switch (je->action) {
		case PS_ACTION_COPY:
			for (k = 0; k < nfound[s]; k++) {
				if (memcmp(found[s][k].marker, je->marker, PS_SYNC_MARKER_SIZE) == 0 &&
				    lr->ls[s].e[found[s][k].entry].pair < 0) {
					if ((rc = record_found(sy, lr, pi, s, found[s][k].entry,
					    found[s][k].refs)) < 0)
						goto cleanup;
					done = 1;
					break;
				}
			}
			if (!done && src >= 0) {
				if ((rc = redo(redo_ops, lr, je, pi, src, -1)) < 0)
					goto cleanup;
				continue; /* the redo marks it done */
			}
			if (!done && !lr->pairs[pi].side[s].eid_size) {
				/* nothing to copy (the source is gone, or the link no longer
				 * writes that side): the half pair goes, its item is free */
				if ((rc = ps_protocol_pair_delete(sy->proto, lr->pairs[pi].id)) < 0 &&
				    rc != PS_ENOTFOUND)
					goto cleanup;
				lr->gone[pi] = 1;
			}
			break;
		case PS_ACTION_OVERWRITE:
			if (dst >= 0) {
				int yes, refs;
				if ((rc = has_marker(sy, lr, s, dst, je->marker, &yes, &refs)) < 0)
					goto cleanup;
				if (yes) {
					if ((rc = record_found(sy, lr, pi, s, dst, refs)) < 0)
						goto cleanup;
				} else if (src >= 0) {
					if ((rc = redo(redo_ops, lr, je, pi, src, dst)) < 0)
						goto cleanup;
					continue;
				}
			}
			/* target gone or source gone: the scan decides afresh */
			break;
		case PS_ACTION_DELETE:
			if (dst >= 0) {
				if ((rc = redo(redo_ops, lr, je, pi, -1, dst)) < 0)
					goto cleanup;
				continue;
			}
			if ((rc = ps_protocol_pair_delete(sy->proto, lr->pairs[pi].id)) < 0 && rc != PS_ENOTFOUND)
				goto cleanup;
			lr->gone[pi] = 1;
			break;
		default:
			break;
		}
		if ((rc = ps_protocol_journal_done(sy->proto, je->id)) < 0)
			goto cleanup;
	}
	rc = PS_OK;
cleanup:
	free(found[0]);
	free(found[1]);
	return rc;
}

int ps_sync__recover(struct sync *sy)
{
	struct journal j = { NULL, 0 };
	struct op_list redo_ops = { NULL, 0, 0 };
	size_t i;
	int t, rc;

	if ((rc = ps_protocol_journal_unfinished(sy->proto, journal_cb, &j)) < 0)
		goto cleanup;
	if (!j.n)
		goto purge;
	if (sy->opt.dry_run) {
		ps_sync__warn(sy, "the last sync of this profile was interrupted: the next sync finishes "
			"it (%zu action%s), and this plan may differ from what it does", j.n, j.n == 1 ? "" : "s");
		goto cleanup;
	}
	ps_sync__progress(sy, NULL, PS_SYNC_PHASE_RECOVER, 0, j.n);
	if ((rc = ps_protocol_begin(sy->proto)) < 0)
		goto cleanup;
	for (i = 0; i < sy->nlinks; i++) {
		struct link_run *lr = &sy->links[i];
		if (lr->failed || !lr->link_id || !lr->have_folder[0] || !lr->have_folder[1])
			continue;
		if ((rc = recover_link(sy, lr, &j, &redo_ops)) < 0)
			break;
	}
	if (rc < 0) {
		ps_protocol_rollback(sy->proto);
		goto cleanup;
	}
	if ((rc = ps_protocol_commit(sy->proto)) < 0)
		goto cleanup;
	if ((rc = ps_sync__run_ops(sy, &redo_ops)) < 0)
		goto cleanup;
	ps_sync__progress(sy, NULL, PS_SYNC_PHASE_RECOVER, j.n, j.n);
purge:
	if (!sy->opt.dry_run)
		rc = ps_protocol_journal_purge(sy->proto);
cleanup:
	/* the scan lists and loads afresh */
	for (i = 0; i < sy->nlinks; i++) {
		for (t = 0; t < 2; t++) {
			ps_sync__listing_free(&sy->links[i].ls[t]);
			sy->links[i].delta[t] = 0;
		}
		ps_sync__pairs_free(&sy->links[i]);
	}
	ps_sync__ops_clear(&redo_ops);
	free(j.v);
	return rc;
}
