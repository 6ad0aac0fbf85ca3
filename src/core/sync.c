/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The sync engine's decisions: a profile's links, their folders, the
 * classification of every recorded pair against the state the protocol
 * kept for each side, the pairing of new items already alike on both sides,
 * the decision table, the mass-delete guard and the questions. The actions
 * decided here are carried out by sync_apply.c; see include/pstsync/sync.h
 * for the whole sequence.
 *
 * Invariants:
 *   - an entry (a listed item) belongs to at most one pair, found through
 *     the pair's recorded NID and entry ID on that side;
 *   - a pair with one side unknown and no journal entry in flight (the
 *     journal is finished before the scan) is "unlinked": its known item is
 *     deliberately left without a counterpart and never copied again;
 *   - a pair's recorded state changes only after the store write it
 *     describes was committed (sync_apply.c), or without any store write
 *     (a refreshed time, a pairing, a forgotten pair);
 *   - nothing is written (protocol or store) in a dry run.
 */
#include "core/sync_int.h"

#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------ */

void ps_sync_options_init(ps_sync_options *opt)
{
	memset(opt, 0, sizeof(*opt));
}

void ps_sync_counts_add(ps_sync_counts *sum, const ps_sync_counts *c)
{
	int t;

	for (t = 0; t < 2; t++) {
		sum->copied[t] += c->copied[t];
		sum->overwritten[t] += c->overwritten[t];
		sum->deleted[t] += c->deleted[t];
	}
	sum->paired += c->paired;
	sum->unlinked += c->unlinked;
	sum->conflicts += c->conflicts;
	sum->deletes_asked += c->deletes_asked;
	sum->outstanding += c->outstanding;
	sum->errors += c->errors;
	for (t = 0; t < 2; t++) {
		sum->kept[t] += c->kept[t];
		sum->not_carried[t] += c->not_carried[t];
	}
	sum->kept_both += c->kept_both;
	sum->deletes_confirmed += c->deletes_confirmed;
	sum->restored += c->restored;
	sum->incomplete += c->incomplete;
}

void ps_sync_result_clear(ps_sync_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->link_count; i++) {
		free(r->links[i].path[0]);
		free(r->links[i].path[1]);
		free(r->links[i].moved_from[0]);
		free(r->links[i].moved_from[1]);
		free(r->links[i].error);
	}
	free(r->links);
	free(r->profile);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

/* A store's warning about a damaged part, passed on to the ui. */
static void store_warning(const char *message, void *ctx)
{
	struct sync *sy = ctx;

	sy->store_warnings++;
	ps_sync__warn(sy, "%s", message);
}

/* Forget pair @p i (its question goes with it). */
static int pair_forget(struct sync *sy, struct link_run *lr, long i)
{
	int rc = PS_OK;

	if (!sy->opt.dry_run && lr->pairs[i].id) {
		rc = ps_protocol_pair_delete(sy->proto, lr->pairs[i].id);
		if (rc == PS_ENOTFOUND)
			rc = PS_OK;
	}
	lr->gone[i] = 1;
	return rc;
}

static int pair_set_side(struct sync *sy, struct link_run *lr, long i, int t, const ps_protocol_side *s)
{
	ps_sync__side_pack(&lr->pairs[i].side[t], s);
	if (sy->opt.dry_run || !lr->pairs[i].id)
		return PS_OK;
	return ps_protocol_pair_set_side(sy->proto, lr->pairs[i].id, t, s);
}

/* ---- the decision table ------------------------------------------------------- */

enum verdict {
	V_NONE = 0,    /* in step */
	V_FORGET,      /* deleted on both sides: forget the pair */
	V_OVERWRITE,   /* side `from` changed: overwrite the other side with it */
	V_DELETE,      /* side `from` deleted: delete the other side's item */
	V_ASK_DELETE,  /* side `from` deleted: ask before deleting the other side's */
	V_CONFLICT     /* ask which version wins */
};

struct decision {
	enum verdict v;
	int from;          /* the side whose change decides (OVERWRITE, DELETE, ASK_DELETE) */
	unsigned answers;  /* allowed answers of a question */
};

#define ANSWER_BIT(a) (1u << (a))

/*
 * The answers a conflict allows. Keeping side t's version writes side
 * t ^ 1, so it needs that side to be writable; on a one-way link the
 * version that cannot be carried over is kept by unlinking the pair ("keep
 * mine"); keeping both writes both sides.
 */
static unsigned conflict_answers(const int w[2])
{
	unsigned a = ANSWER_BIT(PS_ANSWER_LATER);
	int t;

	for (t = 0; t < 2; t++)
		if (w[t ^ 1])
			a |= ANSWER_BIT(t == 0 ? PS_ANSWER_KEEP_LOCAL : PS_ANSWER_KEEP_GLOBAL);
	if (w[0] && w[1])
		a |= ANSWER_BIT(PS_ANSWER_KEEP_BOTH);
	else
		a |= ANSWER_BIT(PS_ANSWER_UNLINK);
	return a;
}

/*
 * The decision table (README.md, "How pstsync decides"), once for side t against side
 * t ^ 1. @p st holds the states of a pair whose sides are both known;
 * @p w which sides the link may write.
 *
 *   t          t^1        action
 *   unmodified unmodified none
 *   deleted    deleted    forget the pair
 *   modified   unmodified overwrite t^1 with t          (t^1 read-only: conflict)
 *   deleted    unmodified delete t^1, or ask to confirm  (t^1 read-only: conflict)
 *   modified   modified   conflict
 *   modified   deleted    conflict
 */
static struct decision decide(const int st[2], const int w[2], int confirm_deletes)
{
	struct decision d = { V_NONE, -1, 0 };
	int t;

	if (st[0] == ST_UNMODIFIED && st[1] == ST_UNMODIFIED)
		return d;
	if (st[0] == ST_DELETED && st[1] == ST_DELETED) {
		d.v = V_FORGET;
		return d;
	}
	for (t = 0; t < 2; t++) {
		if (st[t ^ 1] != ST_UNMODIFIED)
			continue;
		d.from = t;
		if (!w[t ^ 1]) {
			/* a change on the side a one-way link never carries over */
			d.v = V_CONFLICT;
			d.answers = conflict_answers(w);
		} else if (st[t] == ST_MODIFIED) {
			d.v = V_OVERWRITE;
		} else {
			d.v = confirm_deletes ? V_ASK_DELETE : V_DELETE;
			d.answers = ANSWER_BIT(PS_ANSWER_LATER) | ANSWER_BIT(PS_ANSWER_DELETE) |
				(w[t] ? ANSWER_BIT(PS_ANSWER_RESTORE) : 0);
		}
		return d;
	}
	d.v = V_CONFLICT;
	d.answers = conflict_answers(w);
	return d;
}

/* ---- classification -------------------------------------------------------------- */

/*
 * The state of side @p t of pair @p i: deleted when its item is gone;
 * unmodified when time and size are as recorded (no read), or when the
 * content is (then *refresh says to record the new time and size);
 * modified otherwise. *ent gets the entry, -1 when deleted. PS_EITEM when
 * the item cannot be read (the pair is left alone this time).
 */
static int side_state(struct sync *sy, struct link_run *lr, long i, int t, long *ent, int *refresh)
{
	const struct pside *s = &lr->pairs[i].side[t];
	struct entry *e;
	int rc;

	*ent = -1;
	*refresh = 0;
	if (!s->eid_size)
		return ST_ABSENT;
	*ent = ps_sync__listing_find_side(&lr->ls[t], s);
	if (*ent < 0)
		return ST_DELETED;
	e = &lr->ls[t].e[*ent];
	if (e->modified == s->modified && e->size == s->size)
		return ST_UNMODIFIED;
	if (!s->fp_size)
		return ST_MODIFIED;
	if ((rc = ps_sync__entry_read(sy, lr, t, *ent)) < 0)
		return rc;
	if (s->fp_size == PS_SYNC_FINGERPRINT_SIZE &&
	    memcmp(s->fp, e->fp, PS_SYNC_FINGERPRINT_SIZE) == 0) {
		*refresh = 1;
		return ST_UNMODIFIED;
	}
	if (s->fp_size == PS_SYNC_FINGERPRINT_SIZE && e->fp_before) {
		/* recorded by a pstsync that counted recipients' entry IDs as they
		 * were (fingerprint.c): the same content is as good; the refresh
		 * records today's fingerprint */
		uint8_t before[PS_SYNC_FINGERPRINT_SIZE];
		rc = ps_sync__entry_fp_before(sy, lr, t, *ent, before);
		if (rc < 0 && rc != PS_ENOTFOUND)
			return rc;
		if (rc == PS_OK && memcmp(s->fp, before, PS_SYNC_FINGERPRINT_SIZE) == 0) {
			*refresh = 1;
			return ST_UNMODIFIED;
		}
	}
	return ST_MODIFIED;
}

/* ---- questions -------------------------------------------------------------------- */

static int change_of(int st)
{
	return st == ST_MODIFIED ? PS_CHANGE_MODIFIED : st == ST_DELETED ? PS_CHANGE_DELETED : PS_CHANGE_NONE;
}

static int oldq_cmp(const void *a, const void *b)
{
	const struct old_question *x = a, *y = b;

	return x->pair_id < y->pair_id ? -1 : x->pair_id > y->pair_id;
}

static int oldq_cb(const ps_protocol_question *q, void *ctx)
{
	struct link_run *lr = ctx;
	struct old_question *grown = realloc(lr->oldq, (lr->noldq + 1) * sizeof(*grown));

	if (!grown)
		return ps_error_set(PS_ENOMEM, "out of memory");
	lr->oldq = grown;
	grown[lr->noldq].id = q->id;
	grown[lr->noldq].pair_id = q->pair_id;
	grown[lr->noldq].kind = q->kind;
	grown[lr->noldq].answer = q->answer;
	grown[lr->noldq].change[0] = q->change[0];
	grown[lr->noldq].change[1] = q->change[1];
	grown[lr->noldq].when[0] = q->when[0];
	grown[lr->noldq].when[1] = q->when[1];
	grown[lr->noldq].seen = 0;
	lr->noldq++;
	return 0;
}

static struct old_question *oldq_find(struct link_run *lr, int64_t pair_id)
{
	struct old_question key;

	if (!lr->noldq || !pair_id)
		return NULL;
	key.pair_id = pair_id;
	return bsearch(&key, lr->oldq, lr->noldq, sizeof(key), oldq_cmp);
}

/* A changed item is still the version the question showed (its time):
 * else an answer given meanwhile is not carried out, the question is
 * asked again. */
static int same_versions(const struct old_question *old, const int st[2], const uint64_t when[2])
{
	int t;

	for (t = 0; t < 2; t++)
		if (st[t] == ST_MODIFIED && old->when[t] != when[t])
			return 0;
	return 1;
}

/* Record a question of this sync about pair @p i (in the protocol too). */
static int question_push(struct sync *sy, struct link_run *lr, long i, int kind, int from,
	const int st[2], const long ent[2], unsigned answers, int mass)
{
	struct question *q;
	struct old_question *old;
	int t, rc;

	if (sy->nq == sy->capq) {
		size_t cap = sy->capq ? sy->capq * 2 : 32;
		struct question *grown = realloc(sy->q, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		sy->q = grown;
		sy->capq = cap;
	}
	q = &sy->q[sy->nq];
	memset(q, 0, sizeof(*q));
	q->lr = lr;
	q->pair = i;
	q->kind = kind;
	q->from = from;
	q->answers = answers;
	q->mass = mass;
	q->subject = "";
	q->cls = "";
	for (t = 0; t < 2; t++) {
		q->st[t] = st[t];
		q->when[t] = st[t] == ST_MODIFIED && ent[t] >= 0 ? lr->ls[t].e[ent[t]].modified :
			st[t] == ST_DELETED ? ps_time_now() : 0;
	}
	for (t = 0; t < 2; t++) {
		if (ent[t] >= 0) {
			q->subject = lr->ls[t].e[ent[t]].subject;
			q->cls = lr->ls[t].e[ent[t]].cls;
			break;
		}
	}
	old = oldq_find(lr, lr->pairs[i].id);
	if (old) {
		old->seen = 1;
		/* a deletion was noticed when it was first asked about */
		for (t = 0; t < 2; t++)
			if (st[t] == ST_DELETED && old->change[t] == PS_CHANGE_DELETED && old->when[t])
				q->when[t] = old->when[t];
		/* answered between syncs (the tray), or by a run that was stopped,
		 * about the same situation: carried out without asking again */
		if (old->kind == kind && old->answer != PS_ANSWER_NONE && old->answer != PS_ANSWER_LATER &&
		    old->change[0] == change_of(st[0]) && old->change[1] == change_of(st[1]) &&
		    (answers & ANSWER_BIT(old->answer)) && same_versions(old, st, q->when)) {
			q->answer = old->answer;
			q->preanswered = 1;
		}
	}
	if (!sy->opt.dry_run && lr->pairs[i].id) {
		ps_protocol_question pq;
		memset(&pq, 0, sizeof(pq));
		pq.pair_id = lr->pairs[i].id;
		pq.kind = kind;
		for (t = 0; t < 2; t++) {
			pq.change[t] = change_of(st[t]);
			pq.when[t] = q->when[t];
		}
		pq.subject = q->subject;
		if ((rc = ps_protocol_question_add(sy->proto, &pq, &q->id)) < 0)
			return rc;
	}
	if (kind == PS_QUESTION_CONFLICT)
		lr->res->counts.conflicts++;
	else
		lr->res->counts.deletes_asked++;
	sy->nq++;
	return PS_OK;
}

/* ---- pairing new items ------------------------------------------------------------ */

struct cand {
	struct link_run *lr;
	int t;
	long e;
};

static const struct entry *cand_entry(const struct cand *c)
{
	return &c->lr->ls[c->t].e[c->e];
}

static int cmp_bytes(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);

	if (c)
		return c;
	return na < nb ? -1 : na > nb;
}

static int cand_skey_cmp(const void *x, const void *y)
{
	const struct entry *a = cand_entry(x), *b = cand_entry(y);
	int c = cmp_bytes(a->skey, a->skey_size, b->skey, b->skey_size);

	if (c)
		return c;
	return ((const struct cand *)x)->e < ((const struct cand *)y)->e ? -1 : 1;
}

static int cand_fp_cmp(const void *x, const void *y)
{
	const struct entry *a = cand_entry(x), *b = cand_entry(y);
	int c = memcmp(a->fp, b->fp, PS_SYNC_FINGERPRINT_SIZE);

	if (c)
		return c;
	return ((const struct cand *)x)->e < ((const struct cand *)y)->e ? -1 : 1;
}

/*
 * Record entries @p e[0] (local) and @p e[1] (global) as a pair. Alike
 * (@p alike): their current states, so the pair is in step. Not alike (the
 * same search key, different content): blank states, so that both sides
 * count as modified and the pair becomes a conflict.
 */
static int make_pair(struct sync *sy, struct link_run *lr, const long e[2], int alike)
{
	ps_protocol_pair p;
	const struct entry *src = &lr->ls[0].e[e[0]];
	long idx;
	int t, rc;

	int changed[2] = { 1, 1 };

	memset(&p, 0, sizeof(p));
	p.link_id = lr->link_id;
	if (src->skey) {
		memcpy(p.search_key, src->skey, src->skey_size);
		p.search_key_size = src->skey_size;
	}
	/* a link added again: a side unchanged since it was removed is no conflict */
	if (!alike && (rc = ps_sync__history_rejoin(sy, lr, e, changed)) < 0)
		return rc;
	for (t = 0; t < 2; t++) {
		const struct entry *en = &lr->ls[t].e[e[t]];
		ps_sync__side_from_entry(&p.side[t], en);
		if (!alike && changed[t]) {
			p.side[t].modified = 0;
			p.side[t].size = 0;
			p.side[t].fingerprint_size = 0;
		}
	}
	if (!sy->opt.dry_run && lr->link_id && (rc = ps_protocol_pair_insert(sy->proto, &p)) < 0)
		return rc;
	if ((rc = ps_sync__pair_append(lr, &p, &idx)) < 0)
		return rc;
	for (t = 0; t < 2; t++)
		lr->ls[t].e[e[t]].pair = idx;
	if (alike) {
		lr->res->counts.paired++;
		ps_sync__action(sy, lr, PS_SYNC_PAIR, -1, src, PS_OK, NULL);
	}
	return PS_OK;
}

static int cands_of(struct link_run *lr, int t, int need_skey, struct cand **out, size_t *n)
{
	size_t i;

	*n = 0;
	*out = malloc((lr->ls[t].n + 1) * sizeof(**out));
	if (!*out)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; i < lr->ls[t].n; i++) {
		const struct entry *e = &lr->ls[t].e[i];
		if (e->pair >= 0 || (need_skey && !e->skey) || e->unreadable)
			continue;
		(*out)[*n].lr = lr;
		(*out)[*n].t = t;
		(*out)[*n].e = (long)i;
		(*n)++;
	}
	return PS_OK;
}

/*
 * Pair the new items of both sides that are the same item already: first
 * by PR_SEARCH_KEY (which copies keep; with a different content the pair is
 * a conflict), then by content fingerprint (two items typed in separately).
 * Only when both sides have new items; at a link's first sync that is
 * every item, so two folders holding the same contacts do not double.
 */
static int pair_new_items(struct sync *sy, struct link_run *lr)
{
	struct cand *c[2] = { NULL, NULL };
	size_t n[2], i, j;
	int t, rc = PS_OK;

	/* 0. every new item read, when both sides have some (a link's first
	 * sync): its search key is in the item, not in the contents table */
	for (t = 0; t < 2; t++)
		if ((rc = cands_of(lr, t, 0, &c[t], &n[t])) < 0)
			goto cleanup;
	if (n[0] && n[1]) {
		for (t = 0; t < 2; t++) {
			for (i = 0; i < n[t]; i++) {
				rc = ps_sync__entry_read(sy, lr, t, c[t][i].e);
				if (rc < 0 && !ps_sync__is_item_error(rc))
					goto cleanup;
			}
		}
		rc = PS_OK;
	}
	for (t = 0; t < 2; t++) {
		free(c[t]);
		c[t] = NULL;
	}

	/* 1. by search key, whatever the contents: sorted on side 1, looked up
	 * for each item of side 0 */
	for (t = 0; t < 2; t++)
		if ((rc = cands_of(lr, t, 1, &c[t], &n[t])) < 0)
			goto cleanup;
	if (n[0] && n[1]) {
		qsort(c[1], n[1], sizeof(*c[1]), cand_skey_cmp);
		for (i = 0; i < n[0]; i++) {
			struct entry *a = &lr->ls[0].e[c[0][i].e];
			size_t lo = 0, hi = n[1];
			while (lo < hi) { /* first candidate whose key is not below a's */
				size_t mid = lo + (hi - lo) / 2;
				const struct entry *b = cand_entry(&c[1][mid]);
				if (cmp_bytes(b->skey, b->skey_size, a->skey, a->skey_size) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (j = lo; j < n[1]; j++) {
				struct entry *b = &lr->ls[1].e[c[1][j].e];
				long e[2];
				int alike;
				if (cmp_bytes(b->skey, b->skey_size, a->skey, a->skey_size) != 0)
					break;
				if (b->pair >= 0 || strcmp(a->cls, b->cls) != 0)
					continue;
				e[0] = c[0][i].e;
				e[1] = c[1][j].e;
				rc = ps_sync__entry_read(sy, lr, 0, e[0]);
				if (rc == PS_OK)
					rc = ps_sync__entry_read(sy, lr, 1, e[1]);
				if (rc < 0) {
					if (!ps_sync__is_item_error(rc))
						goto cleanup;
					rc = PS_OK;
					break;
				}
				alike = memcmp(a->fp, b->fp, PS_SYNC_FINGERPRINT_SIZE) == 0;
				if ((rc = make_pair(sy, lr, e, alike)) < 0)
					goto cleanup;
				break;
			}
		}
	}
	for (t = 0; t < 2; t++) {
		free(c[t]);
		c[t] = NULL;
	}

	/* 2. by fingerprint, among what is left */
	for (t = 0; t < 2; t++)
		if ((rc = cands_of(lr, t, 0, &c[t], &n[t])) < 0)
			goto cleanup;
	if (n[0] && n[1]) {
		for (t = 0; t < 2; t++) {
			size_t k = 0;
			for (i = 0; i < n[t]; i++) {
				rc = ps_sync__entry_read(sy, lr, t, c[t][i].e);
				if (rc < 0 && !ps_sync__is_item_error(rc))
					goto cleanup;
				if (rc == PS_OK)
					c[t][k++] = c[t][i];
			}
			n[t] = k;
			rc = PS_OK;
		}
		qsort(c[1], n[1], sizeof(*c[1]), cand_fp_cmp);
		for (i = 0; i < n[0]; i++) {
			struct entry *a = &lr->ls[0].e[c[0][i].e];
			size_t lo = 0, hi = n[1];
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (memcmp(cand_entry(&c[1][mid])->fp, a->fp, PS_SYNC_FINGERPRINT_SIZE) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (j = lo; j < n[1]; j++) {
				struct entry *b = &lr->ls[1].e[c[1][j].e];
				long e[2];
				if (memcmp(b->fp, a->fp, PS_SYNC_FINGERPRINT_SIZE) != 0)
					break;
				if (b->pair >= 0)
					continue;
				e[0] = c[0][i].e;
				e[1] = c[1][j].e;
				if ((rc = make_pair(sy, lr, e, 1)) < 0)
					goto cleanup;
				break;
			}
		}
	}
cleanup:
	free(c[0]);
	free(c[1]);
	return rc;
}

/* ---- items that moved ---------------------------------------------------------------- */

struct orphan {
	long pair;
	const uint8_t *fp;
	int used;
};

static int orphan_cmp(const void *x, const void *y)
{
	const struct orphan *a = x, *b = y;
	int c = memcmp(a->fp, b->fp, PS_SYNC_FINGERPRINT_SIZE);

	if (c)
		return c;
	return a->pair < b->pair ? -1 : a->pair > b->pair;
}

/*
 * A recorded item that vanished from side t while a new item with exactly
 * its recorded content appeared there moved (its entry ID changed: a move
 * out and back, an export and import, the whole store replaced by a copy
 * made by another program). The pair follows it instead of deleting one
 * copy and duplicating the other. Only where side t has both vanished
 * items and new ones; the new ones are read (as a copy would read them).
 */
/* The first unused orphan of @p o (sorted) with fingerprint @p fp, or NULL. */
static struct orphan *orphan_find(struct orphan *o, size_t no, const uint8_t *fp)
{
	size_t k, lo = 0, hi = no;

	while (lo < hi) { /* the first orphan whose fingerprint is not below fp */
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(o[mid].fp, fp, PS_SYNC_FINGERPRINT_SIZE) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < no && memcmp(o[k].fp, fp, PS_SYNC_FINGERPRINT_SIZE) == 0; k++)
		if (!o[k].used)
			return &o[k];
	return NULL;
}

static int reidentify(struct sync *sy, struct link_run *lr)
{
	struct orphan *o = NULL;
	size_t no, i;
	int t, rc = PS_OK;

	for (t = 0; t < 2; t++) {
		size_t unpaired = 0;
		for (i = 0; i < lr->ls[t].n; i++)
			unpaired += lr->ls[t].e[i].pair < 0 && !lr->ls[t].e[i].unreadable;
		if (!unpaired)
			continue;
		free(o);
		o = malloc((lr->npairs + 1) * sizeof(*o));
		if (!o)
			return ps_error_set(PS_ENOMEM, "out of memory");
		no = 0;
		for (i = 0; i < lr->npairs; i++) {
			const struct pair *p = &lr->pairs[i];
			if (lr->gone[i] || !p->side[t].eid_size || !p->side[t ^ 1].eid_size ||
			    p->side[t].fp_size != PS_SYNC_FINGERPRINT_SIZE ||
			    ps_sync__listing_find_side(&lr->ls[t], &p->side[t]) >= 0)
				continue;
			o[no].pair = (long)i;
			o[no].fp = p->side[t].fp;
			o[no].used = 0;
			no++;
		}
		if (!no)
			continue;
		qsort(o, no, sizeof(*o), orphan_cmp);
		for (i = 0; i < lr->ls[t].n; i++) {
			struct entry *e = &lr->ls[t].e[i];
			struct orphan *hit;
			if (e->pair >= 0 || e->unreadable)
				continue;
			if ((rc = ps_sync__entry_read(sy, lr, t, (long)i)) < 0) {
				if (!ps_sync__is_item_error(rc))
					goto cleanup;
				rc = PS_OK;
				continue;
			}
			hit = orphan_find(o, no, e->fp);
			if (!hit && e->fp_before) {
				/* recorded before recipients were translated (fingerprint.c) */
				uint8_t before[PS_SYNC_FINGERPRINT_SIZE];
				rc = ps_sync__entry_fp_before(sy, lr, t, (long)i, before);
				if (rc < 0 && rc != PS_ENOTFOUND)
					goto cleanup;
				hit = rc == PS_OK ? orphan_find(o, no, before) : NULL;
				rc = PS_OK;
			}
			if (!hit)
				continue;
			hit->used = 1;
			{
				/* the new entry, with the state recorded for the old one: the
				 * scan then finds it unmodified (same content) and records its
				 * time, or modified if the other side changed meanwhile */
				ps_protocol_side side;
				ps_sync__side_unpack(&side, &lr->pairs[hit->pair].side[t]);
				memcpy(side.eid, e->eid, EID_SIZE);
				side.eid_size = EID_SIZE;
				side.nid = e->nid;
				if ((rc = pair_set_side(sy, lr, hit->pair, t, &side)) < 0)
					goto cleanup;
			}
			e->pair = hit->pair;
			lr->res->counts.paired++;
			ps_sync__action(sy, lr, PS_SYNC_PAIR, -1, e, PS_OK, NULL);
		}
	}
cleanup:
	free(o);
	return rc;
}

/* ---- scanning a link ----------------------------------------------------------------- */

struct pending_delete {
	long pair;
	int from;          /* the side that deleted */
	int st[2];
	long ent[2];
	unsigned answers;
	int ask;
};

static int push_op(struct sync *sy, struct link_run *lr, int action, int side, long pair, long src,
	long dst, int prep)
{
	struct op *op;
	int rc = ps_sync__ops_push(&sy->ops, &op);

	if (rc < 0)
		return rc;
	op->lr = lr;
	op->action = action;
	op->side = side;
	op->pair = pair;
	op->src = src;
	op->dst = dst;
	op->prep = prep;
	return PS_OK;
}

/*
 * One link read: both folders listed, its pairs and questions loaded, and
 * its items' versions told (an older copy of a store that one link's items
 * show holds for every link, so all are read before any is decided).
 */
static int load_link(struct sync *sy, struct link_run *lr)
{
	int t, rc;

	for (t = 0; t < 2; t++) {
		unsigned skipped = sy->store_warnings;
		if (lr->have_folder[t] && (rc = ps_sync__listing_load(&lr->ls[t], sy->st[t], lr->folder[t])) < 0)
			return rc;
		/* items the store could not list (damaged) are items left unread */
		lr->res->counts.errors += sy->store_warnings - skipped;
		lr->scan_items[t] = lr->ls[t].n;
	}
	if ((rc = ps_sync__pairs_load(lr)) < 0)
		return rc;
	if (lr->link_id && (rc = ps_protocol_question_list(sy->proto, lr->link_id,
		PS_QUESTIONS_OUTSTANDING | PS_QUESTIONS_ANSWERED, oldq_cb, lr)) < 0)
		return rc;
	if (lr->noldq)
		qsort(lr->oldq, lr->noldq, sizeof(*lr->oldq), oldq_cmp);
	return ps_sync__history_versions(sy, lr);
}

/*
 * One link, read by load_link: pair new items already alike, classify
 * every pair, decide, apply the guard, queue copies of new items. Store
 * actions go to sy->ops, questions to sy->q; protocol-only changes
 * (refreshed times, pairs made or forgotten) are written here, in the
 * transaction the caller holds.
 */
static int scan_link(struct sync *sy, struct link_run *lr)
{
	struct pending_delete *dels = NULL;
	size_t ndels = 0, i;
	unsigned ndel[2] = { 0, 0 };
	int guard[2] = { 0, 0 };
	int t, rc = PS_OK;

	/* relinking: the items unlinked by an answer become new items again */
	for (i = 0; sy->opt.relink && i < lr->npairs; i++)
		if (!lr->pairs[i].side[0].eid_size != !lr->pairs[i].side[1].eid_size &&
		    (rc = pair_forget(sy, lr, (long)i)) < 0)
			goto cleanup;
	/* which entries the recorded pairs name */
	for (i = 0; i < lr->npairs; i++) {
		if (lr->gone[i])
			continue;
		for (t = 0; t < 2; t++) {
			long e = ps_sync__listing_find_side(&lr->ls[t], &lr->pairs[i].side[t]);
			if (e >= 0 && lr->ls[t].e[e].pair < 0)
				lr->ls[t].e[e].pair = (long)i;
		}
	}
	if ((rc = ps_sync__history_scan(sy, lr)) < 0 || (rc = reidentify(sy, lr)) < 0 ||
	    (rc = pair_new_items(sy, lr)) < 0)
		goto cleanup;

	dels = malloc((lr->npairs + 1) * sizeof(*dels));
	if (!dels) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < lr->npairs; i++) {
		int st[2], refresh[2];
		long ent[2];
		struct decision d;
		int hv;

		if (i % 256 == 0)
			ps_sync__progress(sy, lr, PS_SYNC_PHASE_SCAN, i, lr->npairs);
		if (lr->gone[i])
			continue;
		for (t = 0; t < 2; t++) {
			st[t] = side_state(sy, lr, (long)i, t, &ent[t], &refresh[t]);
			if (st[t] < 0)
				break;
		}
		if (t < 2) {
			if (!ps_sync__is_item_error(st[t])) {
				rc = st[t];
				goto cleanup;
			}
			/* an unreadable item: the pair, and its question, wait for the next sync */
			if (oldq_find(lr, lr->pairs[i].id))
				oldq_find(lr, lr->pairs[i].id)->seen = 1;
			continue;
		}
		for (t = 0; t < 2; t++) {
			if (refresh[t]) {
				ps_protocol_side s;
				ps_sync__side_from_entry(&s, &lr->ls[t].e[ent[t]]);
				if ((rc = pair_set_side(sy, lr, (long)i, t, &s)) < 0)
					goto cleanup;
			}
		}
		if (st[0] == ST_ABSENT || st[1] == ST_ABSENT) {
			/* unlinked: forgotten once its item is gone too */
			int k = st[0] == ST_ABSENT ? 1 : 0;
			if (st[k] == ST_DELETED && (rc = pair_forget(sy, lr, (long)i)) < 0)
				goto cleanup;
			continue;
		}
		/* history first: an older copy's versions and gaps are no changes */
		if ((hv = ps_sync__history_judge(sy, lr, (long)i, st, ent, &t)) < 0) {
			rc = hv;
			goto cleanup;
		}
		switch (hv) {
		case HJ_RESTORE:
			if ((rc = push_op(sy, lr, PS_ACTION_COPY, t, (long)i, ent[t ^ 1], -1,
				PREP_CLEAR_TARGET)) < 0)
				goto cleanup;
			continue;
		case HJ_OVERWRITE:
			if ((rc = push_op(sy, lr, PS_ACTION_OVERWRITE, t, (long)i, ent[t ^ 1], ent[t],
				PREP_NONE)) < 0)
				goto cleanup;
			continue;
		case HJ_CONFLICT:
			d.v = V_CONFLICT;
			d.from = t;
			d.answers = conflict_answers(lr->w);
			break;
		case HJ_SKIP:
			if (oldq_find(lr, lr->pairs[i].id))
				oldq_find(lr, lr->pairs[i].id)->seen = 1;
			continue;
		default:
			d = decide(st, lr->w, sy->settings.confirm_deletes);
			break;
		}
		switch (d.v) {
		case V_NONE:
			if ((rc = ps_sync__history_in_step(sy, lr, (long)i, ent)) < 0)
				goto cleanup;
			break;
		case V_FORGET:
			if ((rc = pair_forget(sy, lr, (long)i)) < 0)
				goto cleanup;
			break;
		case V_OVERWRITE:
			if ((rc = push_op(sy, lr, PS_ACTION_OVERWRITE, d.from ^ 1, (long)i, ent[d.from],
				ent[d.from ^ 1], PREP_NONE)) < 0)
				goto cleanup;
			break;
		case V_DELETE:
		case V_ASK_DELETE:
			dels[ndels].pair = (long)i;
			dels[ndels].from = d.from;
			dels[ndels].st[0] = st[0];
			dels[ndels].st[1] = st[1];
			dels[ndels].ent[0] = ent[0];
			dels[ndels].ent[1] = ent[1];
			dels[ndels].answers = d.answers;
			dels[ndels].ask = d.v == V_ASK_DELETE;
			ndels++;
			ndel[d.from ^ 1]++;
			break;
		case V_CONFLICT:
			if (st[0] == ST_MODIFIED && st[1] == ST_MODIFIED) {
				/* changed alike on both sides (the same edit twice): in step */
				int same = (rc = ps_sync__entry_read(sy, lr, 0, ent[0])) == PS_OK &&
					(rc = ps_sync__entry_read(sy, lr, 1, ent[1])) == PS_OK &&
					memcmp(lr->ls[0].e[ent[0]].fp, lr->ls[1].e[ent[1]].fp,
						PS_SYNC_FINGERPRINT_SIZE) == 0;
				if (rc < 0 && !ps_sync__is_item_error(rc))
					goto cleanup;
				rc = PS_OK;
				if (same) {
					for (t = 0; t < 2; t++) {
						ps_protocol_side s;
						ps_sync__side_from_entry(&s, &lr->ls[t].e[ent[t]]);
						if ((rc = pair_set_side(sy, lr, (long)i, t, &s)) < 0)
							goto cleanup;
					}
					break;
				}
			}
			if ((rc = question_push(sy, lr, (long)i, PS_QUESTION_CONFLICT, d.from, st, ent,
				d.answers, 0)) < 0)
				goto cleanup;
			break;
		}
	}

	/*
	 * The mass-delete guard: when the deletions would take more than the
	 * set share of a folder (an emptied or swapped store looks like that),
	 * none runs: each becomes a question, even with confirm-deletes off.
	 */
	for (t = 0; t < 2; t++) {
		if (ndel[t] && ndel[t] >= (unsigned)sy->settings.mass_delete_minimum &&
		    (uint64_t)ndel[t] * 100 > (uint64_t)sy->settings.mass_delete_percent * lr->ls[t].n) {
			guard[t] = 1;
			if (!sy->opt.dry_run && sy->opt.mass_delete_ok && sy->opt.deletes == PS_SYNC_DELETES_APPLY) {
				/* allowed: said once they are done (ps_sync_run), not as a wait */
				lr->mass_allowed[t] = ndel[t];
				continue;
			}
			ps_sync__warn(sy, "'%s' of '%s': %u of its %zu items would be deleted, more than "
				"%d%%: every deletion waits for confirmation", lr->path[t],
				ps_store_path(sy->st[t]), ndel[t], lr->ls[t].n, sy->settings.mass_delete_percent);
		}
	}
	for (i = 0; i < ndels; i++) {
		struct pending_delete *pd = &dels[i];
		int side = pd->from ^ 1;
		if (pd->ask || guard[side])
			rc = question_push(sy, lr, pd->pair, PS_QUESTION_DELETE, pd->from, pd->st, pd->ent,
				pd->answers, guard[side]);
		else
			rc = push_op(sy, lr, PS_ACTION_DELETE, side, pd->pair, -1, pd->ent[side], PREP_NONE);
		if (rc < 0)
			goto cleanup;
	}

	/* new items: copied where the link may write */
	for (t = 0; t < 2; t++) {
		if (!lr->w[t ^ 1])
			continue;
		for (i = 0; i < lr->ls[t].n; i++)
			if (lr->ls[t].e[i].pair < 0 && !lr->ls[t].e[i].unreadable &&
			    (rc = push_op(sy, lr, PS_ACTION_COPY, t ^ 1, -1, (long)i, -1, PREP_NEW_PAIR)) < 0)
				goto cleanup;
	}

	/* questions of earlier syncs that this one no longer asks */
	for (i = 0; i < lr->noldq && !sy->opt.dry_run; i++) {
		if (lr->oldq[i].seen)
			continue;
		rc = ps_protocol_question_remove(sy->proto, lr->oldq[i].id);
		if (rc < 0 && rc != PS_ENOTFOUND)
			goto cleanup;
		rc = PS_OK;
	}
	ps_sync__progress(sy, lr, PS_SYNC_PHASE_SCAN, lr->npairs, lr->npairs);
cleanup:
	free(dels);
	return rc;
}

/* ---- answers ---------------------------------------------------------------------------- */

static int keep_answer(const struct question *q, int t)
{
	int keep = t == 0 ? PS_ANSWER_KEEP_LOCAL : PS_ANSWER_KEEP_GLOBAL;

	if (q->answers & ANSWER_BIT(keep))
		return keep;
	if (q->answers & ANSWER_BIT(PS_ANSWER_UNLINK))
		return PS_ANSWER_UNLINK; /* "keep mine" where it cannot be carried over */
	return PS_ANSWER_LATER;
}

/* The answer the options give, or PS_ANSWER_NONE: ask the ui. */
static int policy_answer(const struct sync *sy, const struct question *q)
{
	if (q->kind == PS_QUESTION_CONFLICT) {
		int c = sy->opt.conflicts;
		if (c == PS_SYNC_CONFLICTS_SETTINGS) {
			static const int from_settings[] = {
				[PS_CONFLICTS_ASK] = PS_SYNC_CONFLICTS_ASK,
				[PS_CONFLICTS_LOCAL] = PS_SYNC_CONFLICTS_LOCAL,
				[PS_CONFLICTS_GLOBAL] = PS_SYNC_CONFLICTS_GLOBAL,
				[PS_CONFLICTS_BOTH] = PS_SYNC_CONFLICTS_BOTH,
				[PS_CONFLICTS_LATER] = PS_SYNC_CONFLICTS_LATER
			};
			c = (unsigned)sy->settings.conflicts <= PS_CONFLICTS_LATER ?
				from_settings[sy->settings.conflicts] : PS_SYNC_CONFLICTS_ASK;
		}
		switch (c) {
		case PS_SYNC_CONFLICTS_LOCAL:
			return keep_answer(q, 0);
		case PS_SYNC_CONFLICTS_GLOBAL:
			return keep_answer(q, 1);
		case PS_SYNC_CONFLICTS_BOTH:
			/* never turned into another answer: where both cannot be kept
			 * (a one-way link) the question stays for a person */
			return q->answers & ANSWER_BIT(PS_ANSWER_KEEP_BOTH) ? PS_ANSWER_KEEP_BOTH :
				PS_ANSWER_LATER;
		case PS_SYNC_CONFLICTS_LATER:
			return PS_ANSWER_LATER;
		default:
			return PS_ANSWER_NONE;
		}
	}
	switch (sy->opt.deletes) {
	case PS_SYNC_DELETES_APPLY:
		if (q->mass && !sy->opt.mass_delete_ok)
			return PS_ANSWER_NONE;
		return PS_ANSWER_DELETE;
	case PS_SYNC_DELETES_RESTORE:
		return q->answers & ANSWER_BIT(PS_ANSWER_RESTORE) ? PS_ANSWER_RESTORE : PS_ANSWER_LATER;
	case PS_SYNC_DELETES_LATER:
		return PS_ANSWER_LATER;
	default:
		return PS_ANSWER_NONE;
	}
}

static int present(int st)
{
	return st == ST_UNMODIFIED || st == ST_MODIFIED;
}

/* Current entry of side t of question q's pair, or -1. */
static long q_entry(const struct question *q, int t)
{
	const struct link_run *lr = q->lr;

	return ps_sync__listing_find_side(&lr->ls[t], &lr->pairs[q->pair].side[t]);
}

/* Queue the store actions of an answer (or do the protocol-only ones). */
static int apply_answer(struct sync *sy, struct question *q)
{
	struct link_run *lr = q->lr;
	long ent[2];
	int t, rc = PS_OK;
	size_t first = sy->ops.n;

	for (t = 0; t < 2; t++)
		ent[t] = q_entry(q, t);
	switch (q->answer) {
	case PS_ANSWER_KEEP_LOCAL: lr->res->counts.kept[0]++; break;
	case PS_ANSWER_KEEP_GLOBAL: lr->res->counts.kept[1]++; break;
	case PS_ANSWER_KEEP_BOTH: lr->res->counts.kept_both++; break;
	case PS_ANSWER_DELETE: lr->res->counts.deletes_confirmed++; break;
	case PS_ANSWER_RESTORE: lr->res->counts.restored++; break;
	default: break;
	}
	switch (q->answer) {
	case PS_ANSWER_KEEP_LOCAL:
	case PS_ANSWER_KEEP_GLOBAL:
	case PS_ANSWER_KEEP_BOTH:
		t = q->answer == PS_ANSWER_KEEP_GLOBAL ? 1 : 0;
		if (q->answer == PS_ANSWER_KEEP_BOTH) {
			if (!present(q->st[0]) || !present(q->st[1])) {
				/* one side deleted: "both" is the version that is left */
				t = present(q->st[0]) ? 0 : 1;
			} else {
				/* each version to the other side as a new item: this pair
				 * keeps the local item, a new pair the global one */
				if ((rc = push_op(sy, lr, PS_ACTION_COPY, 1, q->pair, ent[0], -1,
					PREP_CLEAR_TARGET)) < 0 ||
				    (rc = push_op(sy, lr, PS_ACTION_COPY, 0, -1, ent[1], -1, PREP_NEW_PAIR)) < 0)
					return rc;
				break;
			}
		}
		if (present(q->st[t]) && present(q->st[t ^ 1]))
			rc = push_op(sy, lr, PS_ACTION_OVERWRITE, t ^ 1, q->pair, ent[t], ent[t ^ 1], PREP_NONE);
		else if (present(q->st[t]))
			rc = push_op(sy, lr, PS_ACTION_COPY, t ^ 1, q->pair, ent[t], -1, PREP_CLEAR_TARGET);
		else if (present(q->st[t ^ 1]))
			rc = push_op(sy, lr, PS_ACTION_DELETE, t ^ 1, q->pair, -1, ent[t ^ 1], PREP_NONE);
		else
			rc = pair_forget(sy, lr, q->pair);
		break;
	case PS_ANSWER_DELETE:
		rc = push_op(sy, lr, PS_ACTION_DELETE, q->from ^ 1, q->pair, -1, ent[q->from ^ 1], PREP_NONE);
		break;
	case PS_ANSWER_RESTORE:
		rc = push_op(sy, lr, PS_ACTION_COPY, q->from, q->pair, ent[q->from ^ 1], -1, PREP_CLEAR_TARGET);
		break;
	case PS_ANSWER_UNLINK:
		/* "keep mine": the side the link cannot write keeps its item as an
		 * unlinked half pair (so it is not copied again); the other item is
		 * left alone, as an item the link does not carry over */
		t = lr->w[0] ? 1 : 0;
		if (present(q->st[t]) && ent[t] >= 0) {
			ps_protocol_side s, none;
			ps_sync__side_from_entry(&s, &lr->ls[t].e[ent[t]]);
			memset(&none, 0, sizeof(none));
			if ((rc = pair_set_side(sy, lr, q->pair, t, &s)) < 0 ||
			    (rc = pair_set_side(sy, lr, q->pair, t ^ 1, &none)) < 0)
				return rc;
			if (!sy->opt.dry_run && q->id && (rc = ps_protocol_question_remove(sy->proto, q->id)) < 0 &&
			    rc != PS_ENOTFOUND)
				return rc;
			rc = PS_OK;
		} else {
			rc = pair_forget(sy, lr, q->pair);
		}
		lr->res->counts.unlinked++;
		ps_sync__action(sy, lr, PS_SYNC_UNLINK, -1, ent[0] >= 0 ? &lr->ls[0].e[ent[0]] :
			ent[1] >= 0 ? &lr->ls[1].e[ent[1]] : NULL, PS_OK, NULL);
		break;
	default:
		break;
	}
	for (; first < sy->ops.n; first++) {
		sy->ops.v[first].question_id = q->id;
		sy->ops.v[first].answer = q->answer;
	}
	return rc;
}

static void to_ui_question(const struct question *q, ps_sync_question *u)
{
	int t;

	memset(u, 0, sizeof(*u));
	u->id = q->id;
	u->path[0] = q->lr->path[0];
	u->path[1] = q->lr->path[1];
	u->direction = q->lr->direction;
	u->kind = q->kind;
	for (t = 0; t < 2; t++) {
		u->change[t] = change_of(q->st[t]);
		u->when[t] = q->when[t];
	}
	u->subject = q->subject;
	u->message_class = q->cls;
	u->answers = q->answers;
	u->mass_delete = q->mass;
	u->answer = PS_ANSWER_NONE;
}

/*
 * Every question of the profile: answers recorded earlier, then the
 * options' answers, then the ui's for the rest, in two grouped lists. The
 * answers are recorded and carried out; the rest stay outstanding.
 */
static int ask_questions(struct sync *sy)
{
	ps_sync_question *uq[2] = { NULL, NULL };
	size_t *map[2] = { NULL, NULL }, nu[2] = { 0, 0 }, i;
	int k, rc = PS_OK;

	if (!sy->nq)
		return PS_OK;
	if (sy->opt.dry_run) {
		for (i = 0; i < sy->nq; i++) {
			struct question *q = &sy->q[i];
			long e0 = q_entry(q, 0), e = e0 >= 0 ? e0 : q_entry(q, 1);
			ps_sync__action(sy, q->lr, q->kind == PS_QUESTION_CONFLICT ? PS_SYNC_ASK_CONFLICT :
				PS_SYNC_ASK_DELETE, -1, e >= 0 ? &q->lr->ls[e0 >= 0 ? 0 : 1].e[e] : NULL, PS_OK, NULL);
		}
		return PS_OK;
	}
	for (i = 0; i < sy->nq; i++) {
		struct question *q = &sy->q[i];
		if (!q->preanswered && !q->lr->failed)
			q->answer = policy_answer(sy, q);
	}
	for (k = 0; k < 2; k++) {
		uq[k] = calloc(sy->nq + 1, sizeof(*uq[k]));
		map[k] = calloc(sy->nq + 1, sizeof(*map[k]));
		if (!uq[k] || !map[k]) {
			rc = ps_error_set(PS_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	for (i = 0; i < sy->nq; i++) {
		struct question *q = &sy->q[i];
		if (q->answer != PS_ANSWER_NONE || q->lr->failed)
			continue;
		k = q->kind == PS_QUESTION_CONFLICT ? 0 : 1;
		to_ui_question(q, &uq[k][nu[k]]);
		map[k][nu[k]++] = i;
	}
	if ((nu[0] || nu[1]) && sy->ui && sy->ui->ask) {
		ps_sync__progress(sy, NULL, PS_SYNC_PHASE_ASK, 0, nu[0] + nu[1]);
		rc = sy->ui->ask(sy->ui->ctx, sy->profile, uq[0], nu[0], uq[1], nu[1]);
		if (rc < 0)
			goto cleanup; /* stopped: every question stays outstanding */
		for (k = 0; k < 2; k++) {
			for (i = 0; i < nu[k]; i++) {
				struct question *q = &sy->q[map[k][i]];
				int a = uq[k][i].answer;
				if (a > 0 && a < 32 && (q->answers & ANSWER_BIT(a)))
					q->answer = a;
			}
		}
	}
	/* answers of pairs that need no store action (and "later") first, in
	 * one transaction; store actions are journalled with their answers */
	if ((rc = ps_protocol_begin(sy->proto)) < 0)
		goto cleanup;
	for (i = 0; i < sy->nq; i++) {
		struct question *q = &sy->q[i];
		if (q->lr->failed)
			continue;
		if (q->answer == PS_ANSWER_NONE || q->answer == PS_ANSWER_LATER) {
			q->answer = PS_ANSWER_LATER;
			if (q->id && (rc = ps_protocol_question_answer(sy->proto, q->id, PS_ANSWER_LATER)) < 0)
				break;
			continue;
		}
		if ((rc = apply_answer(sy, q)) < 0)
			break;
	}
	if (rc < 0) {
		ps_protocol_rollback(sy->proto);
		goto cleanup;
	}
	if ((rc = ps_protocol_commit(sy->proto)) < 0)
		goto cleanup;
	rc = ps_sync__run_ops(sy, &sy->ops);
cleanup:
	for (k = 0; k < 2; k++) {
		free(uq[k]);
		free(map[k]);
	}
	return rc;
}

/* ---- folders ---------------------------------------------------------------------------- */

struct folder_rec {
	char *path;
	char *cls;
	uint32_t nid;
};

struct folder_map {
	struct folder_rec *f;
	size_t n, cap;
};

static int folder_add(struct folder_map *m, const char *path, const char *cls, uint32_t nid)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		struct folder_rec *grown = realloc(m->f, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		m->f = grown;
		m->cap = cap;
	}
	m->f[m->n].path = ps__strdup(path);
	m->f[m->n].cls = ps__strdup(cls ? cls : "");
	m->f[m->n].nid = nid;
	m->n++;
	if (!m->f[m->n - 1].path || !m->f[m->n - 1].cls)
		return ps_error_set(PS_ENOMEM, "out of memory");
	return PS_OK;
}

static int folder_cb(const ps_folder_info *fi, void *ctx)
{
	return folder_add(ctx, fi->path, fi->container_class, fi->nid);
}

static void folder_map_free(struct folder_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->f[i].path);
		free(m->f[i].cls);
	}
	free(m->f);
	memset(m, 0, sizeof(*m));
}

static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y || !x)
			return x - y;
	}
}

/* The folder at @p path: exactly, else without regard to ASCII case (as Outlook). */
static const struct folder_rec *folder_find(const struct folder_map *m, const char *path)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->f[i].path, path) == 0)
			return &m->f[i];
	for (i = 0; i < m->n; i++)
		if (ascii_casecmp(m->f[i].path, path) == 0)
			return &m->f[i];
	return NULL;
}

/* A path part as a folder name: "B%2FC" -> "B/C", "%25" -> "%" (malloc'ed). */
static char *unescape_name(const char *part)
{
	size_t len = strlen(part), i, n = 0;
	char *out = malloc(len + 1);

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		if (part[i] == '%' && i + 3 <= len && (strncmp(part + i, "%2F", 3) == 0 ||
		    strncmp(part + i, "%2f", 3) == 0)) {
			out[n++] = '/';
			i += 2;
		} else if (part[i] == '%' && i + 3 <= len && strncmp(part + i, "%25", 3) == 0) {
			out[n++] = '%';
			i += 2;
		} else {
			out[n++] = part[i];
		}
	}
	out[n] = '\0';
	return out;
}

/* Create the folder at @p path on @p store (and missing parents), class @p cls. */
static int folder_create(struct sync *sy, struct folder_map *m, int t, const char *path,
	const char *cls, uint32_t *nid_out)
{
	const struct folder_rec *f = folder_find(m, path);
	const char *slash;
	char *parent = NULL, *name = NULL;
	uint32_t parent_nid = 0, nid = 0;
	int rc;

	if (f) {
		*nid_out = f->nid;
		return PS_OK;
	}
	slash = strrchr(path, '/');
	if (!slash || !slash[1])
		return ps_error_set(PS_EINVAL, "bad folder path '%s'", path);
	parent = slash == path ? ps__strdup("/") : ps__strndup(path, (size_t)(slash - path));
	name = unescape_name(slash + 1);
	if (!parent || !name) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = folder_create(sy, m, t, parent, cls, &parent_nid)) < 0)
		goto cleanup;
	rc = ps_store_create_folder(sy->st[t], parent_nid, name, cls, &nid);
	if (rc == PS_EEXISTS && nid)
		rc = PS_OK;
	if (rc < 0)
		goto cleanup;
	if ((rc = folder_add(m, path, cls, nid)) < 0)
		goto cleanup;
	*nid_out = nid;
cleanup:
	free(parent);
	free(name);
	return rc;
}

/*
 * Find both folders of a link; a missing one is made (with the other
 * folder's class) on a side the link writes. Fails the link when that
 * cannot be done.
 */
static int resolve_folders(struct sync *sy, struct link_run *lr, struct folder_map m[2])
{
	const struct folder_rec *f[2];
	int t, rc;

	for (t = 0; t < 2; t++)
		f[t] = folder_find(&m[t], lr->path[t]);
	if (!f[0] && !f[1])
		return ps_error_set(PS_ENOTFOUND, "no folder '%s' in '%s' and no folder '%s' in '%s'",
			lr->path[0], ps_store_path(sy->st[0]), lr->path[1], ps_store_path(sy->st[1]));
	for (t = 0; t < 2; t++) {
		if (f[t]) {
			lr->folder[t] = f[t]->nid;
			lr->have_folder[t] = 1;
			continue;
		}
		if (!lr->w[t])
			return ps_error_set(PS_ENOTFOUND, "no folder '%s' in '%s' (a %s link does not "
				"create it)", lr->path[t], ps_store_path(sy->st[t]),
				ps_direction_name((ps_direction)lr->direction));
		free(lr->cls);
		lr->cls = ps__strdup(f[t ^ 1]->cls);
		if (!lr->cls)
			return ps_error_set(PS_ENOMEM, "out of memory");
		if (!sy->opt.dry_run) {
			if ((rc = folder_create(sy, &m[t], t, lr->path[t], lr->cls, &lr->folder[t])) < 0)
				return ps_error_prefix(rc, "cannot create folder '%s' in '%s'", lr->path[t],
					ps_store_path(sy->st[t]));
			lr->have_folder[t] = 1;
		}
		ps_sync__action(sy, lr, PS_SYNC_CREATE_FOLDER, t, NULL, PS_OK, NULL);
	}
	return PS_OK;
}

/* ---- what a link leaves on one side ----------------------------------------------- */

/*
 * The items the link leaves on each side on purpose, as its scan saw them
 * and its answers left them: on a side the link does not copy from, every
 * item without a counterpart; on any side, the items an answer unlinked
 * (a half pair: never copied again).
 */
static void count_not_carried(struct link_run *lr)
{
	size_t i;
	int t;

	for (t = 0; t < 2; t++) {
		uint32_t n = 0;
		for (i = 0; i < lr->ls[t].n; i++) {
			const struct entry *e = &lr->ls[t].e[i];
			const struct pair *p;
			if (e->unreadable)
				continue;
			if (e->pair < 0 || (size_t)e->pair >= lr->npairs) {
				n += !lr->w[t ^ 1];
				continue;
			}
			if (lr->gone[e->pair])
				continue;
			p = &lr->pairs[e->pair];
			if (!p->side[t].eid_size || p->side[t].nid != e->nid)
				n += !lr->w[t ^ 1]; /* no longer its pair's: an item of its own */
			else if (!p->side[t ^ 1].eid_size)
				n++;                /* unlinked by an answer */
		}
		lr->res->counts.not_carried[t] = n;
	}
}

/* ---- links in the protocol ---------------------------------------------------------- */

struct proto_links {
	ps_protocol_link *v;
	size_t n;
};

static int proto_link_cb(const ps_protocol_link *l, void *ctx)
{
	struct proto_links *pl = ctx;
	ps_protocol_link *grown = realloc(pl->v, (pl->n + 1) * sizeof(*grown));

	if (!grown)
		return ps_error_set(PS_ENOMEM, "out of memory");
	pl->v = grown;
	memset(&grown[pl->n], 0, sizeof(grown[pl->n]));
	grown[pl->n].id = l->id;
	grown[pl->n].direction = l->direction;
	grown[pl->n].path[0] = ps__strdup(l->path[0]);
	grown[pl->n].path[1] = ps__strdup(l->path[1]);
	pl->n++;
	if (!grown[pl->n - 1].path[0] || !grown[pl->n - 1].path[1])
		return ps_error_set(PS_ENOMEM, "out of memory");
	return 0;
}

/*
 * Match the profile's links with the protocol's: links removed from the
 * profile lose their protocol now (pairs, questions, journal); new ones
 * are added; a changed direction is recorded.
 */
static int sync_links(struct sync *sy)
{
	struct proto_links pl = { NULL, 0 };
	size_t i, j;
	int rc;

	if ((rc = ps_protocol_link_list(sy->proto, proto_link_cb, &pl)) < 0)
		goto cleanup;
	for (i = 0; i < pl.n; i++) {
		for (j = 0; j < sy->nlinks; j++)
			if (strcmp(pl.v[i].path[0], sy->links[j].path[0]) == 0 &&
			    strcmp(pl.v[i].path[1], sy->links[j].path[1]) == 0)
				break;
		if (j < sy->nlinks) {
			sy->links[j].link_id = pl.v[i].id;
			if (pl.v[i].direction != sy->links[j].direction && !sy->opt.dry_run &&
			    (rc = ps_protocol_link_set_direction(sy->proto, pl.v[i].id,
				sy->links[j].direction)) < 0)
				goto cleanup;
			continue;
		}
		/* kept retired: added again, it knows which side of an item changed */
		if (!sy->opt.dry_run && (rc = ps_protocol_link_retire(sy->proto, pl.v[i].id)) < 0)
			goto cleanup;
	}
	for (j = 0; j < sy->nlinks; j++) {
		if (sy->links[j].link_id)
			continue;
		rc = ps_protocol_link_retired(sy->proto, sy->links[j].path[0], sy->links[j].path[1],
			&sy->links[j].retired_id);
		if (rc < 0 && rc != PS_ENOTFOUND)
			goto cleanup;
		rc = PS_OK;
		if (!sy->opt.dry_run && (rc = ps_protocol_link_add(sy->proto, sy->links[j].path[0],
			sy->links[j].path[1], sy->links[j].direction, &sy->links[j].link_id)) < 0)
			goto cleanup;
	}
cleanup:
	for (i = 0; i < pl.n; i++)
		ps_protocol_link_clear(&pl.v[i]);
	free(pl.v);
	return rc;
}

/* ---- the sync of a profile ---------------------------------------------------------- */

static void link_run_free(struct link_run *lr)
{
	int t;

	for (t = 0; t < 2; t++)
		ps_sync__listing_free(&lr->ls[t]);
	ps_sync__pairs_free(lr);
	free(lr->oldq);
	free(lr->cls);
	lr->oldq = NULL;
	lr->noldq = 0;
	lr->cls = NULL;
}

/* Fill @p out for the links; a failure here leaves it usable. */
int ps_sync__result_init(ps_sync_result *out, const char *profile, const ps_sync_link_spec *links,
	size_t n, int dry_run)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->dry_run = dry_run;
	out->profile = ps__strdup(profile ? profile : "");
	out->links = calloc(n + 1, sizeof(*out->links));
	if (!out->profile || !out->links)
		return ps_error_set(PS_ENOMEM, "out of memory");
	out->link_count = n;
	for (i = 0; i < n; i++) {
		out->links[i].path[0] = ps__strdup(links[i].path[0]);
		out->links[i].path[1] = ps__strdup(links[i].path[1]);
		out->links[i].direction = links[i].direction;
		if (!out->links[i].path[0] || !out->links[i].path[1])
			return ps_error_set(PS_ENOMEM, "out of memory");
	}
	return PS_OK;
}

static int finish_result(ps_sync_result *out, int rc)
{
	size_t i;

	memset(&out->counts, 0, sizeof(out->counts));
	for (i = 0; i < out->link_count; i++)
		ps_sync_counts_add(&out->counts, &out->links[i].counts);
	out->status = rc;
	if (rc < 0 && !out->error)
		out->error = ps__strdup(ps_error_last());
	return rc;
}

/* The history row of this sync: its end, status, counts and errors. */
static int history_finish(struct sync *sy, int status)
{
	const ps_sync_counts *c = &sy->res->counts;
	ps_protocol_counts pc;
	int t, rc;

	memset(&pc, 0, sizeof(pc));
	for (t = 0; t < 2; t++) {
		pc.copied[t] = c->copied[t];
		pc.overwritten[t] = c->overwritten[t];
		pc.deleted[t] = c->deleted[t];
	}
	pc.paired = c->paired;
	pc.conflicts = c->conflicts;
	pc.deletes_asked = c->deletes_asked;
	if ((rc = ps_protocol_history_finish(sy->proto, sy->sync_id, status, &pc, sy->errors)) < 0)
		return rc;
	return ps_protocol_history_prune(sy->proto, PS_SYNC_HISTORY_KEEP);
}

int ps_sync_run(ps_protocol *protocol, ps_store *stores[2], const char *profile_name,
	const ps_sync_link_spec *links, size_t link_count, const ps_options *settings_options,
	const ps_sync_options *opt, const ps_sync_ui *ui, ps_sync_result *out)
{
	struct sync sy;
	struct folder_map fm[2];
	size_t i;
	int t, rc;

	memset(&sy, 0, sizeof(sy));
	memset(fm, 0, sizeof(fm));
	if (opt)
		sy.opt = *opt;
	else
		ps_sync_options_init(&sy.opt);
	if (settings_options)
		sy.settings = *settings_options;
	else
		ps_settings_options_default(&sy.settings);
	if ((rc = ps_sync__result_init(out, profile_name, links, link_count, sy.opt.dry_run)) < 0)
		return finish_result(out, rc);
	sy.proto = protocol;
	sy.st[0] = stores[0];
	sy.st[1] = stores[1];
	sy.profile = out->profile;
	sy.ui = ui;
	sy.res = out;
	sy.nlinks = link_count;
	sy.links = calloc(link_count + 1, sizeof(*sy.links));
	if (!sy.links) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = ps_random_bytes(sy.marker_prefix, sizeof(sy.marker_prefix))) < 0)
		goto cleanup;
	for (i = 0; i < link_count; i++) {
		struct link_run *lr = &sy.links[i];
		lr->sy = &sy;
		lr->res = &out->links[i];
		lr->path[0] = out->links[i].path[0];
		lr->path[1] = out->links[i].path[1];
		lr->direction = links[i].direction;
		lr->w[0] = lr->direction != PS_DIRECTION_TO_GLOBAL;
		lr->w[1] = lr->direction != PS_DIRECTION_FROM_GLOBAL;
	}
	for (t = 0; t < 2; t++)
		ps_store_set_warning_cb(sy.st[t], store_warning, &sy);
	if (ps_protocol_reset_reason(protocol))
		ps_sync__warn(&sy, "%s", ps_protocol_reset_reason(protocol));
	ps_sync__progress(&sy, NULL, PS_SYNC_PHASE_OPEN, 0, 0);
	for (t = 0; t < 2; t++)
		if ((rc = ps_store_walk_tree(sy.st[t], folder_cb, &fm[t])) < 0)
			goto cleanup;
	/* the history row and the links, in one transaction */
	if (!sy.opt.dry_run && (rc = ps_protocol_begin(protocol)) < 0)
		goto cleanup;
	rc = sy.opt.dry_run ? PS_OK : ps_protocol_history_start(protocol, &sy.sync_id);
	if (rc == PS_OK)
		rc = sync_links(&sy);
	if (rc == PS_OK)
		rc = ps_sync__stamps_begin(&sy);
	if (rc < 0)
		sy.sync_id = 0; /* rolled back with the rest */
	if (!sy.opt.dry_run) {
		if (rc < 0)
			ps_protocol_rollback(protocol);
		else
			rc = ps_protocol_commit(protocol);
	}
	if (rc < 0)
		goto cleanup;
	/* what became of each store since the last sync, and of each linked folder */
	if ((rc = ps_sync__history_begin(&sy)) < 0 || (rc = ps_sync__folders_follow(&sy)) < 0)
		goto cleanup;
	for (i = 0; i < sy.nlinks; i++) {
		if (sy.links[i].failed)
			continue; /* stopped above: no folder is made in place of its own */
		rc = resolve_folders(&sy, &sy.links[i], fm);
		if (rc < 0) {
			if (ps_sync__is_store_error(rc))
				goto cleanup;
			ps_sync__link_fail(&sy, &sy.links[i], rc);
			rc = PS_OK;
		}
	}

	if ((rc = ps_sync__folders_record(&sy)) < 0)
		goto cleanup;

	/* what an interrupted sync left, before anything is compared */
	if ((rc = ps_sync__recover(&sy)) < 0)
		goto cleanup;

	/* read every link first: what one link's items say of a store (an
	 * older copy of itself) holds for the links before it too */
	for (i = 0; i < sy.nlinks; i++) {
		struct link_run *lr = &sy.links[i];
		if (lr->failed)
			continue;
		if ((rc = ps_sync__link_unchanged(&sy, lr)) != 0) {
			if (rc < 0)
				goto cleanup;
			continue;
		}
		if ((rc = load_link(&sy, lr)) < 0) {
			if (ps_sync__is_store_error(rc))
				goto cleanup;
			ps_sync__link_fail(&sy, lr, rc);
			rc = PS_OK;
		}
	}

	/* decide, link by link; protocol-only changes in one transaction each */
	for (i = 0; i < sy.nlinks; i++) {
		struct link_run *lr = &sy.links[i];
		if (lr->failed || lr->unchanged)
			continue;
		if (!sy.opt.dry_run && (rc = ps_protocol_begin(protocol)) < 0)
			goto cleanup;
		rc = scan_link(&sy, lr);
		if (!sy.opt.dry_run) {
			if (rc < 0)
				ps_protocol_rollback(protocol);
			else
				rc = ps_protocol_commit(protocol);
		}
		if (rc < 0) {
			if (ps_sync__is_store_error(rc))
				goto cleanup;
			ps_sync__link_fail(&sy, lr, rc);
			rc = PS_OK;
		}
	}

	/* actions that need no question, then the questions of every link */
	if ((rc = ps_sync__run_ops(&sy, &sy.ops)) < 0)
		goto cleanup;
	ps_sync__ops_clear(&sy.ops);
	if ((rc = ask_questions(&sy)) < 0)
		goto cleanup;
	/* references to items that were written after the items naming them */
	if ((rc = ps_sync__refs_fixup(&sy)) < 0)
		goto cleanup;
	for (i = 0; i < sy.nlinks; i++) {
		struct link_run *lr = &sy.links[i];
		for (t = 0; t < 2; t++)
			if (lr->mass_allowed[t] && !lr->failed)
				ps_sync__warn(&sy, "'%s' of '%s': %u of its %zu items deleted, more than %d%%, "
					"because this sync allowed mass deletions", lr->path[t],
					ps_store_path(sy.st[t]), lr->res->counts.deleted[t], lr->ls[t].n,
					sy.settings.mass_delete_percent);
	}

	/* the links' statistics and the history row, in one transaction */
	if (!sy.opt.dry_run && (rc = ps_protocol_begin(protocol)) < 0)
		goto cleanup;
	for (i = 0; i < sy.nlinks; i++) {
		struct link_run *lr = &sy.links[i];
		int64_t outstanding = 0;
		uint64_t nc[2];
		for (t = 0; t < 2; t++) {
			int64_t n = (int64_t)lr->scan_items[t] + lr->delta[t];
			lr->res->items[t] = n > 0 ? (uint64_t)n : 0;
		}
		if (lr->failed)
			continue;
		if (lr->unchanged)
			memcpy(lr->res->counts.not_carried, lr->kept_not_carried,
				sizeof(lr->kept_not_carried));
		else
			count_not_carried(lr);
		if (sy.opt.dry_run || !lr->link_id)
			continue;
		nc[0] = lr->res->counts.not_carried[0];
		nc[1] = lr->res->counts.not_carried[1];
		if ((rc = ps_protocol_question_count(protocol, lr->link_id, &outstanding)) < 0 ||
		    (rc = ps_protocol_link_mark_synced(protocol, lr->link_id, lr->res->items)) < 0 ||
		    (rc = ps_protocol_link_set_not_carried(protocol, lr->link_id, nc)) < 0)
			goto cleanup;
		lr->res->counts.outstanding = (uint32_t)outstanding;
	}
	finish_result(out, PS_OK);
	ps_sync__recovery_end(&sy, 1);
	if ((rc = ps_sync__history_end(&sy)) < 0 || (rc = ps_sync__stamps_record(&sy)) < 0)
		goto cleanup;
	if (sy.sync_id) {
		if ((rc = history_finish(&sy, PS_OK)) < 0)
			goto cleanup;
		sy.sync_id = 0;
	}
	/* the journal's finished entries now, not at the next sync's start: the
	 * protocol stays small (and its check at the next open quick) */
	if (!sy.opt.dry_run && (rc = ps_protocol_journal_purge(protocol)) < 0)
		goto cleanup;
	if (!sy.opt.dry_run && (rc = ps_protocol_commit(protocol)) < 0)
		goto cleanup;
	rc = PS_OK;
cleanup:
	if (rc < 0) {
		/* the stores' open transactions are gone with the error (sync_apply.c);
		 * the protocol keeps what was committed, the journal the rest */
		if (ps_protocol_in_transaction(protocol))
			ps_protocol_rollback(protocol);
		if (!out->error)
			out->error = ps__strdup(ps_error_last());
		ps_sync__note_error(&sy, ps_error_last());
	}
	finish_result(out, rc);
	if (sy.sync_id) {
		/* best effort: a failing protocol has said so already */
		(void)history_finish(&sy, rc);
		if (rc < 0) /* keep the message of what stopped the sync, not of the history */
			ps_error_set(rc, "%s", out->error ? out->error : "");
	}
	ps_sync__recovery_end(&sy, 0);
	ps_sync__progress(&sy, NULL, PS_SYNC_PHASE_DONE, 0, 0);
	for (t = 0; t < 2; t++)
		if (sy.st[t])
			ps_store_set_warning_cb(sy.st[t], NULL, NULL);
	for (i = 0; sy.links && i < sy.nlinks; i++)
		link_run_free(&sy.links[i]);
	free(sy.links);
	ps_sync__ops_clear(&sy.ops);
	ps_sync__history_free(&sy);
	ps_sync__stamps_free(&sy);
	free(sy.q);
	free(sy.errors);
	folder_map_free(&fm[0]);
	folder_map_free(&fm[1]);
	return rc;
}
