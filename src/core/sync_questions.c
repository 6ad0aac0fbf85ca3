/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Questions asked without holding the stores. ps_sync_profile() runs the
 * engine with an "asker" in place of the front end's ui.ask: the asker
 * only collects the questions (the engine records them as outstanding,
 * runs every other action and commits), the stores are closed, and then
 * the person is asked, for as long as they like: other desks sync with
 * the global store meanwhile. The answers are recorded in the protocol
 * and the engine runs again on freshly opened stores; it carries out an
 * answer only when its item is still as the question showed it (sync.c,
 * question_push), else the question is asked again (refreshed) or dropped
 * when it no longer applies. A question the person left for later is not
 * asked twice in one sync.
 */
#include "core/sync_int.h"

#include "core/util.h"
#include "pstsync/errors.h"

#include <stdlib.h>
#include <string.h>

static void question_free(ps_sync_question *q)
{
	free((char *)q->path[0]);
	free((char *)q->path[1]);
	free((char *)q->subject);
	free((char *)q->message_class);
}

static void collected_clear(struct ps_sync_asker *a)
{
	size_t i;
	int k;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < a->n[k]; i++)
			question_free(&a->q[k][i]);
		a->n[k] = 0;
	}
}

static int left_for_later(const struct ps_sync_asker *a, int64_t id)
{
	size_t i;

	for (i = 0; i < a->nlater; i++)
		if (a->later[i] == id)
			return 1;
	return 0;
}

/* The engine's ui.ask: keep a copy of every question, answer none now. */
static int collect(void *ctx, const char *profile, ps_sync_question *conflicts, size_t nconflicts,
	ps_sync_question *deletes, size_t ndeletes)
{
	struct ps_sync_asker *a = ctx;
	ps_sync_question *lists[2] = { conflicts, deletes };
	size_t counts[2] = { nconflicts, ndeletes }, i;
	int k;

	(void)profile;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < counts[k]; i++) {
			ps_sync_question *src = &lists[k][i], *d;
			if (src->id && left_for_later(a, src->id)) {
				src->answer = PS_ANSWER_LATER; /* asked once in this sync is enough */
				continue;
			}
			if (a->n[k] == a->cap[k]) {
				size_t cap = a->cap[k] ? a->cap[k] * 2 : 16;
				ps_sync_question *grown = realloc(a->q[k], cap * sizeof(*grown));
				if (!grown)
					return ps_error_set(PS_ENOMEM, "out of memory");
				a->q[k] = grown;
				a->cap[k] = cap;
			}
			d = &a->q[k][a->n[k]];
			*d = *src;
			d->path[0] = ps__strdup(src->path[0] ? src->path[0] : "");
			d->path[1] = ps__strdup(src->path[1] ? src->path[1] : "");
			d->subject = ps__strdup(src->subject ? src->subject : "");
			d->message_class = ps__strdup(src->message_class ? src->message_class : "");
			d->answer = PS_ANSWER_NONE;
			a->n[k]++;
			if (!d->path[0] || !d->path[1] || !d->subject || !d->message_class)
				return ps_error_set(PS_ENOMEM, "out of memory");
			src->answer = PS_ANSWER_NONE;
		}
	}
	return 0;
}

/* Warnings once per sync: a second round sees the same damaged items. */
static void warn_once(void *ctx, const char *profile, const char *message)
{
	struct ps_sync_asker *a = ctx;
	char **grown;
	size_t i;

	for (i = 0; i < a->nwarned; i++)
		if (strcmp(a->warned[i], message) == 0)
			return;
	grown = realloc(a->warned, (a->nwarned + 1) * sizeof(*grown));
	if (grown) {
		a->warned = grown;
		a->warned[a->nwarned] = ps__strdup(message);
		if (a->warned[a->nwarned])
			a->nwarned++;
	}
	if (a->user->warning)
		a->user->warning(a->user->ctx, profile, message);
}

static void pass_progress(void *ctx, const ps_sync_progress *p)
{
	struct ps_sync_asker *a = ctx;

	if (a->user->progress)
		a->user->progress(a->user->ctx, p);
}

static void pass_action(void *ctx, const ps_sync_action *x)
{
	struct ps_sync_asker *a = ctx;

	if (a->user->action)
		a->user->action(a->user->ctx, x);
}

void ps_sync__asker_init(struct ps_sync_asker *a, const ps_sync_ui *user)
{
	static const ps_sync_ui none;

	memset(a, 0, sizeof(*a));
	a->user = user ? user : &none;
	a->ui.ctx = a;
	a->ui.progress = pass_progress;
	a->ui.action = pass_action;
	a->ui.warning = warn_once;
	a->ui.ask = a->user->ask ? collect : NULL;
}

void ps_sync__asker_free(struct ps_sync_asker *a)
{
	size_t i;

	collected_clear(a);
	free(a->q[0]);
	free(a->q[1]);
	for (i = 0; i < a->nwarned; i++)
		free(a->warned[i]);
	free(a->warned);
	free(a->later);
	memset(a, 0, sizeof(*a));
}

size_t ps_sync__asker_pending(const struct ps_sync_asker *a)
{
	return a->n[0] + a->n[1];
}

int ps_sync__asker_ask(struct ps_sync_asker *a, ps_protocol *proto, const char *profile)
{
	ps_sync_progress p;
	size_t i, answered = 0;
	int k, rc;

	if (!ps_sync__asker_pending(a))
		return 0;
	memset(&p, 0, sizeof(p));
	p.profile = profile;
	p.phase = PS_SYNC_PHASE_ASK;
	p.total = ps_sync__asker_pending(a);
	pass_progress(a, &p);
	rc = a->user->ask(a->user->ctx, profile, a->q[0], a->n[0], a->q[1], a->n[1]);
	if (rc < 0) {
		collected_clear(a);
		return rc;
	}
	if ((rc = ps_protocol_begin(proto)) < 0)
		goto done;
	for (k = 0; k < 2 && rc == PS_OK; k++) {
		for (i = 0; i < a->n[k]; i++) {
			const ps_sync_question *q = &a->q[k][i];
			int ans = q->answer;
			if (ans > 0 && ans < 32 && ans != PS_ANSWER_LATER && (q->answers & (1u << ans)) && q->id) {
				rc = ps_protocol_question_answer(proto, q->id, ans);
				if (rc == PS_ENOTFOUND) /* dropped meanwhile */
					rc = PS_OK;
				if (rc < 0)
					break;
				answered++;
				continue;
			}
			{
				int64_t *grown = realloc(a->later, (a->nlater + 1) * sizeof(*grown));
				if (!grown) {
					rc = ps_error_set(PS_ENOMEM, "out of memory");
					break;
				}
				a->later = grown;
				a->later[a->nlater++] = q->id;
			}
		}
	}
	if (rc < 0)
		ps_protocol_rollback(proto);
	else
		rc = ps_protocol_commit(proto);
done:
	collected_clear(a);
	if (rc < 0)
		return rc;
	return answered ? 1 : 0;
}

/*
 * Add a later round's result to @p out: what it did, and the state at its
 * end (items, questions outstanding, what is not carried, a failure). The
 * questions it asked again are the first round's, not new ones; the items
 * it could not read are those the first round could not.
 */
void ps_sync__result_merge(ps_sync_result *out, const ps_sync_result *round)
{
	size_t i;
	int t;

	for (i = 0; i < out->link_count && i < round->link_count; i++) {
		ps_sync_link_result *o = &out->links[i];
		const ps_sync_link_result *r = &round->links[i];
		ps_sync_counts c = r->counts;
		uint32_t errors = o->counts.errors > c.errors ? o->counts.errors : c.errors;
		c.conflicts = 0;
		c.deletes_asked = 0;
		c.outstanding = 0;
		c.errors = 0;
		memset(c.not_carried, 0, sizeof(c.not_carried));
		ps_sync_counts_add(&o->counts, &c);
		o->counts.errors = errors;
		o->counts.outstanding = r->counts.outstanding;
		for (t = 0; t < 2; t++) {
			o->counts.not_carried[t] = r->counts.not_carried[t];
			o->items[t] = r->items[t];
		}
		if (r->status != PS_OK && o->status == PS_OK) {
			o->status = r->status;
			free(o->error);
			o->error = r->error ? ps__strdup(r->error) : NULL;
		}
	}
	memset(&out->counts, 0, sizeof(out->counts));
	for (i = 0; i < out->link_count; i++)
		ps_sync_counts_add(&out->counts, &out->links[i].counts);
	out->status = round->status;
	if (round->status != PS_OK && !out->error && round->error)
		out->error = ps__strdup(round->error);
}
