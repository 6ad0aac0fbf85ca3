/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * `pstsync sync` and `pstsync status`: the command line over the sync
 * engine (include/pstsync/sync.h) and the protocol it keeps
 * (include/pstsync/protocol.h). `sync` runs ps_sync_profile() for each
 * enabled (or named) profile with a ui that prints: progress on a terminal,
 * every action with -v or --dry-run, the questions as two lists with a
 * prompt per item when a person is at the terminal, and at the end a table
 * per profile (copied, overwritten, deleted on each side, pairs made,
 * questions, items) followed by the questions still outstanding. A profile
 * that fails is one line on stderr and the next one goes on. `status` reads
 * only the protocols, never the stores, so it answers while Outlook holds
 * them. Both speak JSON for scripts.
 *
 * Exit status of sync: 0 in step, 1 something failed, 2 a wrong command
 * line, 3 questions left outstanding (nothing failed).
 */
#include "cli/cli.h"
#include "cli/json.h"
#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/protocol.h"
#include "pstsync/settings.h"
#include "pstsync/sync.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Default --wait: long enough for another PC's sync of the same global store. */
#define WAIT_DEFAULT_SECONDS 60

/* ---- small helpers ---------------------------------------------------------------- */

static const char *const side_name[2] = { "local", "global" };

static const char *arrow(int direction)
{
	switch (direction) {
	case PS_PROTOCOL_FROM_GLOBAL: return "<-";
	case PS_PROTOCOL_TO_GLOBAL: return "->";
	default: return "<->";
	}
}

/* "/Contacts <-> /Contacts" into @p buf. */
static void link_name(char *buf, size_t size, const char *local, const char *global, int direction)
{
	snprintf(buf, size, "%s %s %s", local, arrow(direction), global);
}

static const char *change_name(int change)
{
	switch (change) {
	case PS_CHANGE_MODIFIED: return "modified";
	case PS_CHANGE_DELETED: return "deleted";
	default: return "none";
	}
}

/*
 * What happened to a question's item, in words: "changed in the local store
 * at T; deleted in the global store (noticed at T)".
 */
static void describe_changes(char *buf, size_t size, const int change[2], const uint64_t when[2])
{
	size_t used = 0;
	int t;

	buf[0] = '\0';
	for (t = 0; t < 2; t++) {
		char at[32];
		cli_format_time(when[t], at, sizeof(at));
		if (used >= size)
			break;
		if (change[t] == PS_CHANGE_MODIFIED)
			used += (size_t)snprintf(buf + used, size - used, "%schanged in the %s store%s%s",
				used ? "; " : "", side_name[t], at[0] ? " at " : "", at);
		else if (change[t] == PS_CHANGE_DELETED)
			used += (size_t)snprintf(buf + used, size - used, "%sdeleted in the %s store%s%s%s",
				used ? "; " : "", side_name[t], at[0] ? " (noticed at " : "", at,
				at[0] ? ")" : "");
		else
			used += (size_t)snprintf(buf + used, size - used, "%sunchanged in the %s store",
				used ? "; " : "", side_name[t]);
	}
}

static void json_counts(json_writer *w, const ps_sync_counts *c)
{
	static const char *const names[3] = { "copied", "overwritten", "deleted" };
	const uint32_t *v[3] = { c->copied, c->overwritten, c->deleted };
	int k, t;

	json_key(w, "counts");
	json_begin_object(w);
	for (k = 0; k < 3; k++) {
		json_key(w, names[k]);
		json_begin_object(w);
		for (t = 0; t < 2; t++)
			json_kv_uint(w, side_name[t], v[k][t]);
		json_end_object(w);
	}
	json_kv_uint(w, "paired", c->paired);
	json_kv_uint(w, "unlinked", c->unlinked);
	json_kv_uint(w, "conflicts", c->conflicts);
	json_kv_uint(w, "deletes_asked", c->deletes_asked);
	json_kv_uint(w, "outstanding", c->outstanding);
	json_kv_uint(w, "errors", c->errors);
	json_key(w, "kept");
	json_begin_object(w);
	for (t = 0; t < 2; t++)
		json_kv_uint(w, side_name[t], c->kept[t]);
	json_end_object(w);
	json_kv_uint(w, "kept_both", c->kept_both);
	json_kv_uint(w, "deletes_confirmed", c->deletes_confirmed);
	json_kv_uint(w, "restored", c->restored);
	json_kv_uint(w, "incomplete", c->incomplete);
	json_end_object(w);
}

/* "not_carried": {"local": N, "global": N}: what a one-way link leaves on one side. */
static void json_not_carried(json_writer *w, const uint32_t n[2])
{
	int t;

	json_key(w, "not_carried");
	json_begin_object(w);
	for (t = 0; t < 2; t++)
		json_kv_uint(w, side_name[t], n[t]);
	json_end_object(w);
}

static void json_time(json_writer *w, const char *key, uint64_t filetime)
{
	char buf[32];

	json_key(w, key);
	if (!filetime) {
		json_null(w);
		return;
	}
	cli_format_time(filetime, buf, sizeof(buf));
	json_string(w, buf);
}

/* ---- the protocol's view: links and outstanding questions ------------------------- */

struct proto_links {
	ps_protocol_link *v;
	size_t n, cap;
};

static int proto_link_cb(const ps_protocol_link *l, void *ctx)
{
	struct proto_links *pl = ctx;
	ps_protocol_link *c;

	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? pl->cap * 2 : 8;
		ps_protocol_link *grown = realloc(pl->v, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		pl->v = grown;
		pl->cap = cap;
	}
	c = &pl->v[pl->n];
	*c = *l;
	c->path[0] = ps__strdup(l->path[0]);
	c->path[1] = ps__strdup(l->path[1]);
	if (!c->path[0] || !c->path[1]) {
		free(c->path[0]);
		free(c->path[1]);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	pl->n++;
	return 0;
}

static void proto_links_clear(struct proto_links *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		ps_protocol_link_clear(&pl->v[i]);
	free(pl->v);
	memset(pl, 0, sizeof(*pl));
}

static const ps_protocol_link *proto_link_by_id(const struct proto_links *pl, int64_t id)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (pl->v[i].id == id)
			return &pl->v[i];
	return NULL;
}

static const ps_protocol_link *proto_link_by_paths(const struct proto_links *pl, const char *local,
	const char *global)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (strcmp(pl->v[i].path[0], local) == 0 && strcmp(pl->v[i].path[1], global) == 0)
			return &pl->v[i];
	return NULL;
}

/* A question as kept after the protocol is closed. */
struct oquestion {
	int64_t id, link_id;
	int kind, change[2], answer;
	uint64_t when[2], asked;
	char *subject;
};

struct oquestions {
	struct oquestion *v;
	size_t n, cap;
};

static int question_cb(const ps_protocol_question *q, void *ctx)
{
	struct oquestions *oq = ctx;
	struct oquestion *c;

	if (oq->n == oq->cap) {
		size_t cap = oq->cap ? oq->cap * 2 : 8;
		struct oquestion *grown = realloc(oq->v, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		oq->v = grown;
		oq->cap = cap;
	}
	c = &oq->v[oq->n];
	memset(c, 0, sizeof(*c));
	c->id = q->id;
	c->link_id = q->link_id;
	c->kind = q->kind;
	c->change[0] = q->change[0];
	c->change[1] = q->change[1];
	c->when[0] = q->when[0];
	c->when[1] = q->when[1];
	c->asked = q->asked;
	c->answer = q->answer;
	c->subject = ps__strdup(q->subject ? q->subject : "");
	if (!c->subject)
		return ps_error_set(PS_ENOMEM, "out of memory");
	oq->n++;
	return 0;
}

static void oquestions_clear(struct oquestions *oq)
{
	size_t i;

	for (i = 0; i < oq->n; i++)
		free(oq->v[i].subject);
	free(oq->v);
	memset(oq, 0, sizeof(*oq));
}

/* The last sync from the history. */
struct last_sync {
	int found;
	uint64_t started, finished;
	int status;
	ps_protocol_counts counts;
	char *errors;
};

static int history_cb(const ps_protocol_sync *s, void *ctx)
{
	struct last_sync *ls = ctx;

	ls->found = 1;
	ls->started = s->started;
	ls->finished = s->finished;
	ls->status = s->status;
	ls->counts = s->counts;
	ls->errors = s->errors && s->errors[0] ? ps__strdup(s->errors) : NULL;
	return 1;
}

/* What `status` (and the end of `sync`) know of a profile, from its protocol alone. */
struct pstate {
	char *protocol;          /* its path */
	int exists;              /* 0: never synced (no protocol file) */
	struct proto_links links;
	uint64_t *unlinked;      /* per protocol link: items unlinked by an answer */
	struct oquestions questions;
	struct last_sync last;
	ps_protocol_store_state stores[2]; /* what the last sync found of each store */
};

static void pstate_clear(struct pstate *s)
{
	free(s->protocol);
	free(s->unlinked);
	proto_links_clear(&s->links);
	oquestions_clear(&s->questions);
	free(s->last.errors);
	memset(s, 0, sizeof(*s));
}

/*
 * Read the state of @p profile from its protocol, without opening the
 * stores. A profile never synced has no protocol: exists stays 0 and
 * nothing is created.
 */
static int unlinked_cb(const ps_protocol_pair *p, void *ctx)
{
	*(uint64_t *)ctx += !p->side[0].eid_size != !p->side[1].eid_size;
	return 0;
}

static int pstate_load(struct pstate *s, const ps_settings *settings, const ps_profile *profile,
	int count_unlinked)
{
	ps_protocol *proto = NULL;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = ps_sync_protocol_path(settings, profile, &s->protocol)) < 0)
		return rc;
	if (ps_path_kind(s->protocol) != PS_PATH_FILE)
		return PS_OK;
	s->exists = 1;
	/* read only: status answers on a full disk; a protocol of an older
	 * schema is opened (and updated) as a sync would */
	rc = ps_protocol_open_read(&proto, s->protocol);
	if (rc == PS_EPROTOCOL)
		rc = ps_protocol_open(&proto, s->protocol);
	if (rc < 0)
		return rc;
	rc = ps_protocol_link_list(proto, proto_link_cb, &s->links);
	if (rc >= 0 && count_unlinked) {
		/* half pairs: items an answer unlinked ("keep mine"); a walk of
		 * every pair, which only status shows */
		size_t i;
		s->unlinked = calloc(s->links.n + 1, sizeof(*s->unlinked));
		if (!s->unlinked)
			rc = ps_error_set(PS_ENOMEM, "out of memory");
		for (i = 0; rc >= 0 && i < s->links.n; i++)
			rc = ps_protocol_pair_foreach(proto, s->links.v[i].id, unlinked_cb, &s->unlinked[i]);
	}
	if (rc >= 0)
		rc = ps_protocol_question_list(proto, 0, PS_QUESTIONS_OUTSTANDING, question_cb,
			&s->questions);
	if (rc >= 0) {
		rc = ps_protocol_history_last(proto, 1, history_cb, &s->last);
		if (rc == 1)
			rc = PS_OK;
	}
	for (int t = 0; t < 2 && rc >= 0; t++) {
		rc = ps_protocol_store_get(proto, t, &s->stores[t]);
		if (rc == PS_ENOTFOUND)
			rc = PS_OK;
	}
	ps_protocol_close(proto);
	return rc < 0 ? rc : PS_OK;
}

static void json_question(json_writer *w, const struct oquestion *q, const struct proto_links *pl)
{
	const ps_protocol_link *l = proto_link_by_id(pl, q->link_id);
	const char *answer = ps_protocol_answer_name(q->answer);
	int t;

	json_begin_object(w);
	json_kv_int(w, "id", q->id);
	json_kv_string(w, "kind", q->kind == PS_QUESTION_CONFLICT ? "conflict" : "delete");
	json_kv_string(w, "subject", q->subject);
	if (l) {
		json_kv_string(w, "local_folder", l->path[0]);
		json_kv_string(w, "global_folder", l->path[1]);
	}
	for (t = 0; t < 2; t++) {
		json_key(w, side_name[t]);
		json_begin_object(w);
		json_kv_string(w, "change", change_name(q->change[t]));
		json_time(w, "when", q->when[t]);
		json_end_object(w);
	}
	json_time(w, "asked", q->asked);
	json_key(w, "answer");
	if (answer)
		json_string(w, answer);
	else
		json_null(w);
	json_end_object(w);
}

/* Two lines per outstanding question (the first @p max), indented by @p indent. */
static void print_questions(const struct oquestions *oq, const struct proto_links *pl,
	const char *indent, size_t max)
{
	size_t i;

	for (i = 0; i < oq->n; i++) {
		if (i == max) {
			printf("%s... and %zu more ('pstsync status' lists them all)\n", indent, oq->n - max);
			break;
		}
		const struct oquestion *q = &oq->v[i];
		const ps_protocol_link *l = proto_link_by_id(pl, q->link_id);
		char what[400], name[600];

		describe_changes(what, sizeof(what), q->change, q->when);
		if (l)
			link_name(name, sizeof(name), l->path[0], l->path[1], l->direction);
		else
			snprintf(name, sizeof(name), "%s", "?");
		printf("%s%-9s \"%s\" in %s\n%s          %s\n", indent, q->kind == PS_QUESTION_CONFLICT
			? "conflict" : "deletion", q->subject, name, indent, what);
	}
}

/* ---- pstsync sync: the ui --------------------------------------------------------- */

/* One action, kept for --json (dry run, -v). */
struct action_rec {
	int kind, side, status;
	char *path[2], *subject, *cls, *error;
};

struct sync_ui {
	struct cli *cli;
	int verbose;             /* print every action */
	int dry_run;
	int show_progress;       /* the settings' show_progress */
	char *last_link;         /* the link whose actions are being printed */
	struct action_rec *acts; /* --json with -v or --dry-run */
	size_t nacts, cap;
	int keep_actions;
	int quit;                /* the user asked to stop asking */
	int asking;              /* printing the questions of a dry run */
};

static const char *action_words(int kind, int planned)
{
	switch (kind) {
	case PS_SYNC_COPY: return planned ? "copy to" : "copied to";
	case PS_SYNC_OVERWRITE: return planned ? "overwrite in" : "overwrote in";
	case PS_SYNC_DELETE: return planned ? "delete in" : "deleted in";
	case PS_SYNC_PAIR: return planned ? "pair" : "paired";
	case PS_SYNC_UNLINK: return planned ? "unlink" : "unlinked";
	case PS_SYNC_CREATE_FOLDER: return planned ? "create folder in" : "created folder in";
	case PS_SYNC_ASK_CONFLICT: return "ask: conflict";
	case PS_SYNC_ASK_DELETE: return "ask: deletion";
	default: return "?";
	}
}

static const char *action_key(int kind)
{
	switch (kind) {
	case PS_SYNC_COPY: return "copy";
	case PS_SYNC_OVERWRITE: return "overwrite";
	case PS_SYNC_DELETE: return "delete";
	case PS_SYNC_PAIR: return "pair";
	case PS_SYNC_UNLINK: return "unlink";
	case PS_SYNC_CREATE_FOLDER: return "create-folder";
	case PS_SYNC_ASK_CONFLICT: return "ask-conflict";
	case PS_SYNC_ASK_DELETE: return "ask-delete";
	default: return "unknown";
	}
}

static void ui_progress(void *ctx, const ps_sync_progress *p)
{
	struct sync_ui *u = ctx;
	char name[600];

	if (!u->show_progress || !u->cli->progress)
		return;
	if (p->path[0])
		link_name(name, sizeof(name), p->path[0], p->path[1], PS_PROTOCOL_BOTH);
	switch (p->phase) {
	case PS_SYNC_PHASE_OPEN:
		cli_progress(u->cli, "%s: opening the stores", p->profile);
		break;
	case PS_SYNC_PHASE_RECOVER:
		cli_progress(u->cli, "%s: finishing an interrupted sync, %llu of %llu", p->profile,
			(unsigned long long)p->done, (unsigned long long)p->total);
		break;
	case PS_SYNC_PHASE_SCAN:
		cli_progress(u->cli, "%s: comparing %s, %llu of %llu", p->profile,
			p->path[0] ? name : "", (unsigned long long)p->done, (unsigned long long)p->total);
		break;
	case PS_SYNC_PHASE_APPLY:
		cli_progress(u->cli, "%s: %llu of %llu changes done", p->profile,
			(unsigned long long)p->done, (unsigned long long)p->total);
		break;
	default:
		cli_progress_done(u->cli);
		break;
	}
}

static char *dup_or_empty(const char *s)
{
	return ps__strdup(s ? s : "");
}

static void ui_action(void *ctx, const ps_sync_action *a)
{
	struct sync_ui *u = ctx;

	if (u->keep_actions) {
		if (u->nacts == u->cap) {
			size_t cap = u->cap ? u->cap * 2 : 64;
			struct action_rec *grown = realloc(u->acts, cap * sizeof(*grown));
			if (grown) {
				u->acts = grown;
				u->cap = cap;
			}
		}
		if (u->nacts < u->cap) {
			struct action_rec *r = &u->acts[u->nacts++];
			r->kind = a->kind;
			r->side = a->side;
			r->status = a->status;
			r->path[0] = dup_or_empty(a->path[0]);
			r->path[1] = dup_or_empty(a->path[1]);
			r->subject = dup_or_empty(a->subject);
			r->cls = dup_or_empty(a->message_class);
			r->error = a->error ? ps__strdup(a->error) : NULL;
		}
	}
	if (u->cli->json || !(u->verbose || u->dry_run))
		return;
	cli_progress_done(u->cli);
	{
		char name[600], what[64];
		link_name(name, sizeof(name), a->path[0] ? a->path[0] : "", a->path[1] ? a->path[1] : "",
			PS_PROTOCOL_BOTH);
		if ((a->kind == PS_SYNC_ASK_CONFLICT || a->kind == PS_SYNC_ASK_DELETE) && !u->asking) {
			/* the questions come after every action, asked together */
			u->asking = 1;
			printf("  questions, asked at the end:\n");
			free(u->last_link);
			u->last_link = NULL;
		}
		if (!u->last_link || strcmp(u->last_link, name) != 0) {
			free(u->last_link);
			u->last_link = ps__strdup(name);
			printf("  %s\n", name);
		}
		if (a->side >= 0 && a->side <= 1)
			snprintf(what, sizeof(what), "%s %s", action_words(a->kind, a->planned),
				side_name[a->side]);
		else
			snprintf(what, sizeof(what), "%s", action_words(a->kind, a->planned));
		printf("    %-20s %-16s \"%s\"", what, a->message_class && a->message_class[0]
			? a->message_class : "-", a->subject ? a->subject : "");
		if (a->status != PS_OK)
			printf("  FAILED: %s", a->error ? a->error : ps_status_name(a->status));
		putchar('\n');
	}
}

static void ui_warning(void *ctx, const char *profile, const char *message)
{
	struct sync_ui *u = ctx;
	char msg[1400];

	snprintf(msg, sizeof(msg), "profile '%s': %s", profile, message);
	cli_warning(msg, u->cli);
}

/* The letters of the answers: lower case for this item, upper case for all the rest. */
static const struct {
	int answer;
	char letter;
	const char *words;
} answer_keys[] = {
	{ PS_ANSWER_KEEP_LOCAL, 'l', "keep the local version" },
	{ PS_ANSWER_KEEP_GLOBAL, 'g', "keep the global version" },
	{ PS_ANSWER_KEEP_BOTH, 'b', "keep both" },
	{ PS_ANSWER_UNLINK, 'u', "keep mine, unlinked" },
	{ PS_ANSWER_DELETE, 'd', "delete it on the other side too" },
	{ PS_ANSWER_RESTORE, 'r', "restore it" },
	{ PS_ANSWER_LATER, 's', "skip: ask again next time" },
};
#define NKEYS (sizeof(answer_keys) / sizeof(answer_keys[0]))

static int allowed(const ps_sync_question *q, int answer)
{
	return answer == PS_ANSWER_LATER || (answer > 0 && answer < 32 && (q->answers & (1u << answer)));
}

static void print_question(size_t n, const ps_sync_question *q)
{
	char name[600], what[400];

	link_name(name, sizeof(name), q->path[0], q->path[1], q->direction);
	describe_changes(what, sizeof(what), q->change, q->when);
	printf("  %2zu. %s  \"%s\" (%s)\n      %s%s\n", n, name, q->subject,
		q->message_class && q->message_class[0] ? q->message_class : "no class", what,
		q->mass_delete ? "\n      (held back: this sync would delete much of the folder)" : "");
}

/*
 * Ask about each question of @p qs in turn. Returns 0, or 1 when input ended
 * (or the user typed q): the rest stay for later.
 */
static int ask_list(struct sync_ui *u, const char *what, ps_sync_question *qs, size_t n)
{
	int all = PS_ANSWER_NONE;
	size_t i, k;

	for (i = 0; i < n; i++) {
		ps_sync_question *q = &qs[i];
		char line[64];

		if (all != PS_ANSWER_NONE && allowed(q, all)) {
			q->answer = all;
			continue;
		}
		for (;;) {
			char *c;
			int pick = PS_ANSWER_NONE, same = 0;

			printf("%s %zu of %zu, \"%s\":\n ", what, i + 1, n, q->subject);
			for (k = 0; k < NKEYS; k++) {
				int a = answer_keys[k].answer, gone = q->change[1] == PS_CHANGE_DELETED;
				if (!allowed(q, a))
					continue;
				if (a == PS_ANSWER_DELETE || a == PS_ANSWER_RESTORE)
					/* say which store: the deleting side is the one restored */
					printf(" [%c] %s in %s", answer_keys[k].letter, a == PS_ANSWER_DELETE
						? "delete it" : "restore it", side_name[a == PS_ANSWER_DELETE
						? !gone : gone]);
				else
					printf(" [%c] %s", answer_keys[k].letter, answer_keys[k].words);
			}
			printf(" [q] skip all\n  (a capital letter gives every other %s the same answer) > ",
				what);
			fflush(stdout);
			if (!fgets(line, sizeof(line), stdin)) {
				putchar('\n');
				u->quit = 1;
				return 1;
			}
			for (c = line; *c && isspace((unsigned char)*c); c++)
				;
			if (*c == 'q' || *c == 'Q') {
				u->quit = 1;
				return 1;
			}
			for (k = 0; k < NKEYS && *c; k++)
				if (tolower((unsigned char)*c) == answer_keys[k].letter) {
					pick = answer_keys[k].answer;
					same = isupper((unsigned char)*c) != 0;
				}
			if (pick != PS_ANSWER_NONE && allowed(q, pick)) {
				q->answer = pick;
				if (same)
					all = pick;
				break;
			}
			printf("  please type one of the letters in brackets\n");
		}
	}
	return 0;
}

static int ui_ask(void *ctx, const char *profile, ps_sync_question *conflicts, size_t nconflicts,
	ps_sync_question *deletes, size_t ndeletes)
{
	struct sync_ui *u = ctx;
	size_t i;

	cli_progress_done(u->cli);
	printf("\nprofile '%s' has questions for you.\n", profile);
	if (nconflicts) {
		printf("\n%zu conflict%s: changed on both sides, or changed on one and deleted on "
			"the other, since the last sync\n", nconflicts, nconflicts == 1 ? "" : "s");
		for (i = 0; i < nconflicts; i++)
			print_question(i + 1, &conflicts[i]);
	}
	if (ndeletes) {
		printf("\n%zu deletion%s to confirm: deleted on one side, unchanged on the other\n",
			ndeletes, ndeletes == 1 ? "" : "s");
		for (i = 0; i < ndeletes; i++)
			print_question(i + 1, &deletes[i]);
	}
	putchar('\n');
	if (nconflicts && ask_list(u, "conflict", conflicts, nconflicts))
		return 0;
	if (ndeletes)
		ask_list(u, "deletion", deletes, ndeletes);
	putchar('\n');
	return 0;
}

static void acts_clear(struct sync_ui *u)
{
	size_t i;

	for (i = 0; i < u->nacts; i++) {
		free(u->acts[i].path[0]);
		free(u->acts[i].path[1]);
		free(u->acts[i].subject);
		free(u->acts[i].cls);
		free(u->acts[i].error);
	}
	u->nacts = 0;
	u->asking = 0;
	free(u->last_link);
	u->last_link = NULL;
}

/* ---- pstsync sync: the summary ---------------------------------------------------- */

/* "1 local item not published: the link is read-only" for a link's not_carried. */
static void describe_not_carried(char *buf, size_t size, const uint64_t n[2], int direction)
{
	static const char *const why[2] = { "not published", "not received" };
	size_t used = 0;
	int t;

	buf[0] = '\0';
	for (t = 0; t < 2 && used < size; t++) {
		const char *because = direction == (t == 0 ? PS_PROTOCOL_FROM_GLOBAL : PS_PROTOCOL_TO_GLOBAL)
			? (t == 0 ? "the link is read-only" : "the link only publishes")
			: "unlinked by an answer";
		if (n[t])
			used += (size_t)snprintf(buf + used, size - used, "%s%llu %s item%s %s: %s",
				used ? "; " : "", (unsigned long long)n[t], side_name[t], n[t] == 1 ? "" : "s",
				why[t], because);
	}
}

/*
 * Append to @p buf what @p c counts, only what is not zero: "1 copied to
 * local, ...". Answered questions are named as what was done ("2 deletions
 * confirmed"); only a dry run names the questions it would ask.
 */
static void describe_counts(char *buf, size_t size, const ps_sync_counts *c, int dry_run)
{
	size_t used = 0;
	int t;

#define SAY(n, ...) do { \
		if ((n) && used < size) { \
			used += (size_t)snprintf(buf + used, size - used, "%s", used ? ", " : ""); \
			if (used < size) \
				used += (size_t)snprintf(buf + used, size - used, __VA_ARGS__); \
		} \
	} while (0)
#define S(n) ((n) == 1 ? "" : "s")
	buf[0] = '\0';
	for (t = 0; t < 2; t++)
		SAY(c->copied[t], "%u copied to %s", c->copied[t], side_name[t]);
	for (t = 0; t < 2; t++)
		SAY(c->overwritten[t], "%u overwritten in %s", c->overwritten[t], side_name[t]);
	for (t = 0; t < 2; t++)
		SAY(c->deleted[t], "%u deleted in %s", c->deleted[t], side_name[t]);
	SAY(c->paired, "%u paired (alike on both sides already)", c->paired);
	if (dry_run) {
		SAY(c->conflicts, "%u conflict%s to ask", c->conflicts, S(c->conflicts));
		SAY(c->deletes_asked, "%u deletion%s to confirm", c->deletes_asked, S(c->deletes_asked));
	}
	for (t = 0; t < 2; t++)
		SAY(c->kept[t], "%u conflict%s: kept the %s version", c->kept[t], S(c->kept[t]), side_name[t]);
	SAY(c->kept_both, "%u conflict%s: kept both versions", c->kept_both, S(c->kept_both));
	SAY(c->unlinked, "%u conflict%s: each side kept its own, unlinked", c->unlinked, S(c->unlinked));
	SAY(c->deletes_confirmed, "%u deletion%s confirmed", c->deletes_confirmed, S(c->deletes_confirmed));
	SAY(c->restored, "%u deleted item%s restored", c->restored, S(c->restored));
	SAY(c->outstanding, "%u question%s left for later", c->outstanding, S(c->outstanding));
	SAY(c->errors, "%u item%s skipped (could not be read or written)", c->errors, S(c->errors));
	SAY(c->incomplete, "%u item%s written without some of their properties (damaged in the "
		"source)", c->incomplete, S(c->incomplete));
#undef S
#undef SAY
	if (!buf[0])
		snprintf(buf, size, "%s", "no changes");
}

/* "2 items on each side" or "3 items in local, 2 in global". */
static void describe_items(char *buf, size_t size, const uint64_t items[2])
{
	if (items[0] == items[1])
		snprintf(buf, size, "%llu item%s on each side", (unsigned long long)items[0],
			items[0] == 1 ? "" : "s");
	else
		snprintf(buf, size, "%llu item%s in local, %llu in global", (unsigned long long)items[0],
			items[0] == 1 ? "" : "s", (unsigned long long)items[1]);
}

/* A line per link of what the sync did (or would do), and what failed. */
/* The seconds the reads and writes @p io would take on a 100 Mbit/s LAN
 * with 1 ms round trips: what a store on a file server costs a sync. */
static double lan_seconds(const ps_io_stats *io)
{
	return (double)(io->bytes_read + io->bytes_written) * 8 / 100e6 +
		(double)(io->reads + io->writes) * 0.001;
}

/* --stats: what crossed to each store's file. */
static void print_io(const ps_sync_result *r)
{
	size_t i;
	int t;

	for (i = 0; i < r->link_count; i++) {
		const ps_sync_link_result *l = &r->links[i];
		if (l->status != PS_OK)
			continue;
		printf("  %s <-> %s: %s%s\n", l->path[0], l->path[1], l->full_read ? "read in full: "
			: "not read: both folders as the last sync left them", l->full_read ? l->full_read : "");
	}
	for (t = 0; t < 2; t++) {
		const ps_io_stats *io = &r->io[t];
		if (!r->io_counted[t]) {
			printf("  %s store: reads not counted (read through libpff)\n", side_name[t]);
			continue;
		}
		printf("  %s store: read %llu bytes in %llu calls, wrote %llu bytes in %llu calls "
			"(%llu flushes); on a 100 Mbit/s LAN with 1 ms round trips about %.3f s\n",
			side_name[t], (unsigned long long)io->bytes_read, (unsigned long long)io->reads,
			(unsigned long long)io->bytes_written, (unsigned long long)io->writes,
			(unsigned long long)io->syncs, lan_seconds(io));
	}
}

static void json_io(json_writer *w, const ps_sync_result *r)
{
	int t;

	json_key(w, "io");
	json_begin_object(w);
	for (t = 0; t < 2; t++) {
		const ps_io_stats *io = &r->io[t];
		json_key(w, side_name[t]);
		if (!r->io_counted[t]) {
			json_null(w);
			continue;
		}
		json_begin_object(w);
		json_kv_uint(w, "bytes_read", io->bytes_read);
		json_kv_uint(w, "reads", io->reads);
		json_kv_uint(w, "bytes_written", io->bytes_written);
		json_kv_uint(w, "writes", io->writes);
		json_kv_uint(w, "syncs", io->syncs);
		json_key(w, "lan_seconds");
		json_double(w, (double)(long long)(lan_seconds(io) * 1000 + 0.5) / 1000);
		json_end_object(w);
	}
	json_end_object(w);
}

static void print_summary(const ps_sync_result *r, double secs)
{
	size_t i, wlabel = 0;
	char name[600], what[600], items[80];

	for (i = 0; i < r->link_count; i++) {
		const ps_sync_link_result *l = &r->links[i];
		link_name(name, sizeof(name), l->path[0], l->path[1], l->direction);
		if (cli_text_width(name) > wlabel)
			wlabel = cli_text_width(name);
	}
	printf("%s profile '%s' (%.2f s):\n", r->dry_run ? "the plan for" : "synchronised",
		r->profile, secs);
	for (i = 0; i < r->link_count; i++) {
		const ps_sync_link_result *l = &r->links[i];
		link_name(name, sizeof(name), l->path[0], l->path[1], l->direction);
		printf("  ");
		cli_print_padded(stdout, name, wlabel);
		if (l->status != PS_OK) {
			printf("  FAILED: %s\n", l->error ? l->error : ps_status_name(l->status));
			continue;
		}
		describe_counts(what, sizeof(what), &l->counts, r->dry_run);
		if (l->counts.not_carried[0] || l->counts.not_carried[1]) {
			uint64_t nc[2] = { l->counts.not_carried[0], l->counts.not_carried[1] };
			char words[400];
			size_t len = strlen(what);
			describe_not_carried(words, sizeof(words), nc, l->direction);
			snprintf(what + len, sizeof(what) - len, "; %s", words);
		}
		if (r->dry_run) {
			printf("  %s\n", what);
		} else {
			describe_items(items, sizeof(items), l->items);
			printf("  %s; %s\n", what, items);
		}
	}
	if (r->link_count > 1) {
		describe_counts(what, sizeof(what), &r->counts, r->dry_run);
		printf("  in all: %s\n", what);
	}
	if (!r->dry_run && (r->counts.errors || r->counts.incomplete))
		printf("  not in step: %u item%s could not be synchronised wholly (see the warnings "
			"above)\n", r->counts.errors + r->counts.incomplete,
			r->counts.errors + r->counts.incomplete == 1 ? "" : "s");
}

static void json_actions(json_writer *w, const struct sync_ui *u)
{
	size_t i;

	json_key(w, "actions");
	json_begin_array(w);
	for (i = 0; i < u->nacts; i++) {
		const struct action_rec *a = &u->acts[i];
		json_begin_object(w);
		json_kv_string(w, "action", action_key(a->kind));
		json_key(w, "side");
		if (a->side == 0 || a->side == 1)
			json_string(w, side_name[a->side]);
		else
			json_null(w);
		json_kv_string(w, "local_folder", a->path[0]);
		json_kv_string(w, "global_folder", a->path[1]);
		json_kv_string(w, "class", a->cls);
		json_kv_string(w, "subject", a->subject);
		if (a->status != PS_OK)
			json_kv_string(w, "error", a->error ? a->error : ps_status_name(a->status));
		json_end_object(w);
	}
	json_end_array(w);
}

/* 1 when the result holds a failure of the profile, a link or an item. */
static int result_failed(const ps_sync_result *r)
{
	size_t i;

	if (r->status != PS_OK || r->counts.errors || r->counts.incomplete)
		return 1;
	for (i = 0; i < r->link_count; i++)
		if (r->links[i].status != PS_OK)
			return 1;
	return 0;
}

static void json_profile_result(json_writer *w, const ps_profile *p, const ps_sync_result *r,
	const struct pstate *st, const struct sync_ui *u, double secs)
{
	size_t i;

	json_begin_object(w);
	json_kv_string(w, "name", ps_profile_name(p));
	json_kv_string(w, "local", ps_profile_local(p));
	json_kv_string(w, "global", ps_profile_global(p));
	json_kv_string(w, "status", result_failed(r) ? "failed" : r->counts.outstanding
		? "questions" : "in step");
	json_key(w, "error");
	if (r->error)
		json_string(w, r->error);
	else
		json_null(w);
	json_kv_bool(w, "dry_run", r->dry_run);
	json_key(w, "seconds");
	json_double(w, (double)(long long)(secs * 1000 + 0.5) / 1000);
	json_counts(w, &r->counts);
	json_io(w, r);
	json_key(w, "links");
	json_begin_array(w);
	for (i = 0; i < r->link_count; i++) {
		const ps_sync_link_result *l = &r->links[i];
		json_begin_object(w);
		json_kv_string(w, "local", l->path[0]);
		json_kv_string(w, "global", l->path[1]);
		json_kv_string(w, "direction", ps_protocol_direction_name(l->direction));
		json_kv_string(w, "status", l->status == PS_OK ? "ok" : "failed");
		json_key(w, "error");
		if (l->error)
			json_string(w, l->error);
		else
			json_null(w);
		json_key(w, "items");
		json_begin_object(w);
		json_kv_uint(w, "local", l->items[0]);
		json_kv_uint(w, "global", l->items[1]);
		json_end_object(w);
		json_not_carried(w, l->counts.not_carried);
		json_key(w, "read_in_full");
		if (l->full_read)
			json_string(w, l->full_read);
		else
			json_null(w);
		json_counts(w, &l->counts);
		json_end_object(w);
	}
	json_end_array(w);
	json_key(w, "questions");
	json_begin_array(w);
	for (i = 0; st && i < st->questions.n; i++)
		json_question(w, &st->questions.v[i], &st->links);
	json_end_array(w);
	if (u->keep_actions)
		json_actions(w, u);
	json_end_object(w);
}

/* ---- pstsync sync ----------------------------------------------------------------- */

/* "--name VALUE" or "--name=VALUE" at argv[*i]; 1 when taken, -1 when the value is missing. */
static int take_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t len = strlen(name);

	if (strncmp(argv[*i], name, len) == 0 && argv[*i][len] == '=') {
		*value = argv[*i] + len + 1;
		return 1;
	}
	if (strcmp(argv[*i], name) != 0)
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

static int parse_conflicts(const char *s, ps_sync_conflicts *out)
{
	static const struct { const char *name; ps_sync_conflicts v; } t[] = {
		{ "ask", PS_SYNC_CONFLICTS_ASK }, { "local", PS_SYNC_CONFLICTS_LOCAL },
		{ "global", PS_SYNC_CONFLICTS_GLOBAL }, { "both", PS_SYNC_CONFLICTS_BOTH },
		{ "later", PS_SYNC_CONFLICTS_LATER },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].name) == 0) {
			*out = t[i].v;
			return 0;
		}
	return -1;
}

static int parse_deletes(const char *s, ps_sync_deletes *out)
{
	static const struct { const char *name; ps_sync_deletes v; } t[] = {
		{ "ask", PS_SYNC_DELETES_ASK }, { "apply", PS_SYNC_DELETES_APPLY },
		{ "restore", PS_SYNC_DELETES_RESTORE }, { "later", PS_SYNC_DELETES_LATER },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].name) == 0) {
			*out = t[i].v;
			return 0;
		}
	return -1;
}

static int load_settings(struct cli *cli, ps_settings **out)
{
	int rc = cli_settings_exist(cli);

	if (rc != EXIT_OK)
		return rc;
	if (ps_settings_load(out, cli->config) != PS_OK)
		return cli_fail_core();
	return EXIT_OK;
}

int cmd_sync(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *self = cli_find_command("sync");
	const char *conflicts_arg = NULL, *deletes_arg = NULL, *wait_arg = NULL;
	ps_sync_options opt;
	ps_sync_ui ui;
	struct sync_ui u;
	ps_settings *settings = NULL;
	ps_profile **todo = NULL;
	size_t ntodo = 0, i;
	int dry_run = 0, mass = 0, recreate = 0, verbose = 0, interactive, rc = EXIT_OK, n = 1, k;
	int any_failed = 0, any_outstanding = 0, wait_s = -1, stats = 0;
	json_writer w;

	ps_sync_options_init(&opt);
	memset(&u, 0, sizeof(u));
	memset(&ui, 0, sizeof(ui));
	/* sync's own options; the rest (--json, -q, profile names) stay in order */
	for (k = 1; k < argc; k++) {
		const char *a = argv[k];
		int t;
		if (strcmp(a, "--") == 0) {
			while (k < argc)
				argv[n++] = argv[k++];
			break;
		}
		if (strcmp(a, "--dry-run") == 0 || strcmp(a, "-n") == 0) {
			dry_run = 1;
			continue;
		}
		if (strcmp(a, "--allow-mass-delete") == 0) {
			mass = 1;
			continue;
		}
		if (strcmp(a, "--no-recovery") == 0) {
			opt.recovery_path = ""; /* the engine's "none" */
			continue;
		}
		if (strcmp(a, "--recreate-folders") == 0) {
			recreate = 1;
			continue;
		}
		if (strcmp(a, "--relink") == 0) {
			opt.relink = 1;
			continue;
		}
		if (strcmp(a, "--stats") == 0) {
			stats = 1;
			continue;
		}
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			verbose = 1;
			continue;
		}
		if ((t = take_value(argc, argv, &k, "--conflicts", &conflicts_arg)) == 0 &&
		    (t = take_value(argc, argv, &k, "--deletes", &deletes_arg)) == 0)
			t = take_value(argc, argv, &k, "--wait", &wait_arg);
		if (t < 0)
			return cli_usage("sync", "'%s' needs a value", a);
		if (t == 0)
			argv[n++] = argv[k];
	}
	argc = n;
	argv[n] = NULL;
	rc = cli_common_options(cli, self, &argc, argv);
	if (rc != EXIT_OK)
		return rc;
	opt.dry_run = dry_run;
	opt.mass_delete_ok = mass;
	opt.recreate_folders = recreate;
	opt.conflicts = PS_SYNC_CONFLICTS_SETTINGS;
	opt.deletes = PS_SYNC_DELETES_ASK;
	if (conflicts_arg && parse_conflicts(conflicts_arg, &opt.conflicts) != 0)
		return cli_usage("sync", "--conflicts takes ask, local, global, both or later, not '%s'",
			conflicts_arg);
	if (deletes_arg && parse_deletes(deletes_arg, &opt.deletes) != 0)
		return cli_usage("sync", "--deletes takes ask, apply, restore or later, not '%s'",
			deletes_arg);
	if (wait_arg) {
		char *end = NULL;
		long v = strtol(wait_arg, &end, 10);
		if (!wait_arg[0] || *end || v < 0 || v > 86400)
			return cli_usage("sync", "--wait takes a number of seconds from 0 to 86400, not '%s'",
				wait_arg);
		wait_s = (int)v;
	}
	opt.lock_wait_ms = (unsigned)(wait_s >= 0 ? wait_s : dry_run ? 0 : WAIT_DEFAULT_SECONDS) * 1000u;
	interactive = !conflicts_arg && !deletes_arg && !cli->json && !dry_run && cli_isatty(stdin)
		&& cli_isatty(stdout);

	if ((rc = load_settings(cli, &settings)) != EXIT_OK)
		return rc;
	todo = calloc((size_t)argc + ps_settings_profile_count(settings) + 1, sizeof(*todo));
	if (!todo) {
		rc = cli_fail("out of memory");
		goto cleanup;
	}
	if (argc > 1) {
		/* every name is checked before anything syncs */
		for (k = 1; k < argc; k++) {
			ps_profile *p;
			size_t j;
			if (ps_settings_profile_find(&p, settings, argv[k]) != PS_OK) {
				rc = cli_fail_core();
				goto cleanup;
			}
			for (j = 0; j < ntodo && todo[j] != p; j++)
				;
			if (j == ntodo)
				todo[ntodo++] = p;
		}
	} else {
		for (i = 0; i < ps_settings_profile_count(settings); i++)
			if (ps_profile_enabled(ps_settings_profile_at(settings, i)))
				todo[ntodo++] = ps_settings_profile_at(settings, i);
	}

	/* an answer the direction of a link does not allow is refused, never
	 * turned into another one */
	for (i = 0; i < ntodo; i++) {
		size_t j;
		for (j = 0; j < ps_profile_link_count(todo[i]); j++) {
			const ps_link *l = ps_profile_link_at(todo[i], j);
			char name[600];
			if (ps_link_direction(l) == PS_DIRECTION_BOTH)
				continue;
			link_name(name, sizeof(name), ps_link_local(l), ps_link_global(l), ps_link_direction(l));
			if (opt.conflicts == PS_SYNC_CONFLICTS_BOTH) {
				rc = cli_usage("sync", "--conflicts both is no answer on the one-way link %s of "
					"profile '%s': one side cannot be written there (answer local, global or "
					"later, or sync that profile alone)", name, ps_profile_name(todo[i]));
				goto cleanup;
			}
			if (opt.deletes == PS_SYNC_DELETES_RESTORE) {
				rc = cli_usage("sync", "--deletes restore is no answer on the one-way link %s of "
					"profile '%s': the side that deleted cannot be written there (answer apply "
					"or later, or sync that profile alone)", name, ps_profile_name(todo[i]));
				goto cleanup;
			}
		}
	}

	u.cli = cli;
	u.verbose = verbose;
	u.dry_run = dry_run;
	u.show_progress = ps_settings_options(settings)->show_progress;
	u.keep_actions = cli->json && (verbose || dry_run);
	ui.ctx = &u;
	ui.progress = ui_progress;
	ui.action = ui_action;
	ui.warning = ui_warning;
	ui.ask = interactive ? ui_ask : NULL;

	if (cli->json) {
		json_init(&w, stdout);
		json_begin_object(&w);
		json_kv_string(&w, "file", ps_settings_path(settings));
		json_key(&w, "profiles");
		json_begin_array(&w);
	} else if (ntodo == 0) {
		printf("no enabled profiles in '%s' (add one with 'pstsync profile add', or tick one "
			"on with 'pstsync profile enable NAME')\n", ps_settings_path(settings));
	}
	for (i = 0; i < ntodo; i++) {
		ps_profile *p = todo[i];
		ps_sync_result r;
		struct pstate st;
		uint64_t start = ps_clock_ns();
		double secs;
		int prc, have_state = 0;

		memset(&st, 0, sizeof(st));
		if (!cli->json && (dry_run || verbose))
			printf("%s profile '%s' (local '%s', global '%s')%s\n", dry_run ? "plan for" : "syncing",
				ps_profile_name(p), ps_profile_local(p), ps_profile_global(p),
				dry_run ? ": a dry run, nothing is changed" : "");
		if (opt.lock_wait_ms && u.show_progress)
			cli_progress(cli, "%s: opening the stores (waiting up to %u s for one in use)",
				ps_profile_name(p), opt.lock_wait_ms / 1000);
		prc = ps_sync_profile(settings, p, &opt, &ui, &r);
		secs = (double)(ps_clock_ns() - start) / 1e9;
		cli_progress_done(cli);
		/* folders renamed or moved: the settings file takes their new paths */
		if (!dry_run && ps_sync_follow_folders(settings, p, &r) > 0 && ps_settings_save(settings) < 0)
			fprintf(stderr, "pstsync: warning: %s\n", ps_error_last());
		if (prc == PS_OK && !dry_run)
			have_state = pstate_load(&st, settings, p, 0) == PS_OK;
		if (prc != PS_OK) {
			fflush(stdout);
			fprintf(stderr, "pstsync: %s\n", r.error ? r.error : ps_error_last());
		}
		if (result_failed(&r))
			any_failed = 1;
		else if (have_state ? st.questions.n > 0 : r.counts.outstanding > 0)
			any_outstanding = 1;
		if (cli->json) {
			json_profile_result(&w, p, &r, have_state ? &st : NULL, &u, secs);
		} else if (prc == PS_OK) {
			if (dry_run && u.nacts == 0 && !u.last_link)
				printf("  nothing to do\n");
			print_summary(&r, secs);
			if (stats)
				print_io(&r);
			if (!dry_run && !opt.recovery_path && r.counts.overwritten[0] + r.counts.overwritten[1] +
			    r.counts.deleted[0] + r.counts.deleted[1])
				printf("  what it overwrote or deleted can be brought back: pstsync recover '%s'\n",
					ps_profile_name(p));
			if (have_state && st.questions.n) {
				printf("  %zu question%s outstanding (answer with 'pstsync sync' at a terminal, "
					"or --conflicts and --deletes):\n", st.questions.n,
					st.questions.n == 1 ? "" : "s");
				print_questions(&st.questions, &st.links, "    ", 20);
			} else if (!dry_run && !result_failed(&r)) {
				printf("  in step\n");
			}
		}
		acts_clear(&u);
		pstate_clear(&st);
		ps_sync_result_clear(&r);
	}
	rc = any_failed ? EXIT_FAIL : any_outstanding ? EXIT_QUESTIONS : EXIT_OK;
	if (cli->json) {
		json_end_array(&w);
		json_kv_int(&w, "exit", rc);
		json_end_object(&w);
		json_finish(&w);
	}
cleanup:
	free(u.acts);
	free(todo);
	ps_settings_free(settings);
	return rc;
}

/* ---- pstsync status --------------------------------------------------------------- */

static void status_text(const ps_profile *p, const struct pstate *st)
{
	size_t i, n = ps_profile_link_count(p), wlabel = 4;
	char name[600], when[32];

	printf("profile '%s' (%s)\n", ps_profile_name(p), ps_profile_enabled(p) ? "enabled"
		: "disabled");
	printf("  local store   %s\n  global store  %s\n", ps_profile_local(p), ps_profile_global(p));
	if (!st->exists) {
		printf("  never synchronised\n");
		return;
	}
	if (st->last.found) {
		cli_format_time(st->last.finished ? st->last.finished : st->last.started, when,
			sizeof(when));
		printf("  last sync     %s, %s\n", when, !st->last.finished ? "did not finish"
			: st->last.status == PS_OK ? "completed" : ps_status_name(st->last.status));
	}
	for (i = 0; i < 2; i++) {
		if (!st->stores[i].event[0])
			continue;
		cli_format_time(st->stores[i].seen, when, sizeof(when));
		printf("  the %s store was %s (found %s)\n", side_name[i], st->stores[i].event, when);
	}
	for (i = 0; i < n; i++) {
		const ps_link *l = ps_profile_link_at(p, i);
		link_name(name, sizeof(name), ps_link_local(l), ps_link_global(l), ps_link_direction(l));
		if (cli_text_width(name) > wlabel)
			wlabel = cli_text_width(name);
	}
	printf("  ");
	cli_print_padded(stdout, "link", wlabel);
	printf("  %-20s  %12s  %12s  %9s\n", "last synchronised", "local items", "global items",
		"questions");
	for (i = 0; i < n; i++) {
		const ps_link *l = ps_profile_link_at(p, i);
		const ps_protocol_link *pl = proto_link_by_paths(&st->links, ps_link_local(l),
			ps_link_global(l));
		size_t q = 0, j;
		link_name(name, sizeof(name), ps_link_local(l), ps_link_global(l), ps_link_direction(l));
		printf("  ");
		cli_print_padded(stdout, name, wlabel);
		if (!pl || !pl->last_sync) {
			printf("  %-20s\n", "never");
			continue;
		}
		for (j = 0; j < st->questions.n; j++)
			q += st->questions.v[j].link_id == pl->id;
		cli_format_time(pl->last_sync, when, sizeof(when));
		printf("  %-20s  %12llu  %12llu  %9zu\n", when, (unsigned long long)pl->items[0],
			(unsigned long long)pl->items[1], q);
	}
	for (i = 0; i < n; i++) {
		const ps_link *l = ps_profile_link_at(p, i);
		const ps_protocol_link *pl = proto_link_by_paths(&st->links, ps_link_local(l),
			ps_link_global(l));
		char words[400];
		uint64_t un = pl ? st->unlinked[pl - st->links.v] : 0;
		if (!pl || !pl->last_sync || !(pl->not_carried[0] || pl->not_carried[1] || un))
			continue;
		link_name(name, sizeof(name), ps_link_local(l), ps_link_global(l), ps_link_direction(l));
		if (pl->not_carried[0] || pl->not_carried[1]) {
			describe_not_carried(words, sizeof(words), pl->not_carried, pl->direction);
			printf("  %s: %s\n", name, words);
		}
		if (un)
			printf("  %s: %llu item%s unlinked by an answer (\"keep mine\"); link %s again with "
				"'pstsync sync --relink %s'\n", name, (unsigned long long)un, un == 1 ? "" : "s",
				un == 1 ? "it" : "them", ps_profile_name(p));
	}
	if (st->questions.n) {
		printf("  outstanding questions:\n");
		print_questions(&st->questions, &st->links, "    ", (size_t)-1);
	}
	if (st->last.errors) {
		const char *s = st->last.errors;
		printf("  errors of the last sync:\n");
		while (*s) {
			const char *e = strchr(s, '\n');
			size_t len = e ? (size_t)(e - s) : strlen(s);
			if (len)
				printf("    %.*s\n", (int)len, s);
			s += len + (e ? 1 : 0);
		}
	}
}

static void status_json(json_writer *w, const ps_profile *p, const struct pstate *st)
{
	size_t i, n = ps_profile_link_count(p);

	json_begin_object(w);
	json_kv_string(w, "name", ps_profile_name(p));
	json_kv_bool(w, "enabled", ps_profile_enabled(p));
	json_kv_string(w, "local", ps_profile_local(p));
	json_kv_string(w, "global", ps_profile_global(p));
	json_kv_bool(w, "synced", st->exists && st->last.found);
	json_key(w, "stores_found");
	json_begin_object(w);
	for (i = 0; i < 2; i++) {
		json_key(w, side_name[i]);
		if (st->stores[i].event[0])
			json_string(w, st->stores[i].event);
		else
			json_null(w);
	}
	json_end_object(w);
	json_key(w, "last_sync");
	if (st->last.found) {
		ps_sync_counts c;
		json_begin_object(w);
		json_time(w, "started", st->last.started);
		json_time(w, "finished", st->last.finished);
		json_kv_string(w, "status", ps_status_name(st->last.status));
		memset(&c, 0, sizeof(c));
		memcpy(c.copied, st->last.counts.copied, sizeof(c.copied));
		memcpy(c.overwritten, st->last.counts.overwritten, sizeof(c.overwritten));
		memcpy(c.deleted, st->last.counts.deleted, sizeof(c.deleted));
		c.paired = st->last.counts.paired;
		c.conflicts = st->last.counts.conflicts;
		c.deletes_asked = st->last.counts.deletes_asked;
		c.outstanding = (uint32_t)st->questions.n;
		json_counts(w, &c);
		json_key(w, "errors");
		json_begin_array(w);
		if (st->last.errors) {
			const char *s = st->last.errors;
			while (*s) {
				const char *e = strchr(s, '\n');
				size_t len = e ? (size_t)(e - s) : strlen(s);
				if (len)
					json_string_n(w, s, len);
				s += len + (e ? 1 : 0);
			}
		}
		json_end_array(w);
		json_end_object(w);
	} else {
		json_null(w);
	}
	json_key(w, "links");
	json_begin_array(w);
	for (i = 0; i < n; i++) {
		const ps_link *l = ps_profile_link_at(p, i);
		const ps_protocol_link *pl = proto_link_by_paths(&st->links, ps_link_local(l),
			ps_link_global(l));
		size_t j;
		json_begin_object(w);
		json_kv_string(w, "local", ps_link_local(l));
		json_kv_string(w, "global", ps_link_global(l));
		json_kv_string(w, "direction", ps_direction_name(ps_link_direction(l)));
		json_time(w, "last_sync", pl ? pl->last_sync : 0);
		json_key(w, "items");
		if (pl && pl->last_sync) {
			json_begin_object(w);
			json_kv_uint(w, "local", pl->items[0]);
			json_kv_uint(w, "global", pl->items[1]);
			json_end_object(w);
		} else {
			json_null(w);
		}
		if (pl && pl->last_sync) {
			uint32_t nc[2] = { (uint32_t)pl->not_carried[0], (uint32_t)pl->not_carried[1] };
			json_not_carried(w, nc);
			json_kv_uint(w, "unlinked", st->unlinked[pl - st->links.v]);
		} else {
			json_key(w, "not_carried");
			json_null(w);
		}
		json_key(w, "questions");
		json_begin_array(w);
		for (j = 0; pl && j < st->questions.n; j++)
			if (st->questions.v[j].link_id == pl->id)
				json_question(w, &st->questions.v[j], &st->links);
		json_end_array(w);
		json_end_object(w);
	}
	json_end_array(w);
	json_kv_uint(w, "outstanding", st->questions.n);
	json_end_object(w);
}

int cmd_status(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *self = cli_find_command("status");
	ps_settings *settings = NULL;
	ps_profile *one = NULL;
	json_writer w;
	size_t i, n;
	int rc;

	rc = cli_common_options(cli, self, &argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (argc > 2)
		return cli_usage("status", "status takes at most one PROFILE");
	if ((rc = load_settings(cli, &settings)) != EXIT_OK)
		return rc;
	if (argc == 2 && ps_settings_profile_find(&one, settings, argv[1]) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	n = ps_settings_profile_count(settings);
	if (cli->json) {
		json_init(&w, stdout);
		json_begin_object(&w);
		json_kv_string(&w, "file", ps_settings_path(settings));
		json_key(&w, "profiles");
		json_begin_array(&w);
	} else if (n == 0) {
		printf("no profiles in '%s' (add one with 'pstsync profile add NAME --local L.pst "
			"--global G.pst')\n", ps_settings_path(settings));
	}
	for (i = 0; i < n; i++) {
		ps_profile *p = ps_settings_profile_at(settings, i);
		struct pstate st;
		if (one && p != one)
			continue;
		if (pstate_load(&st, settings, p, 1) != PS_OK) {
			/* a protocol that cannot be read: said, and the others go on */
			fflush(stdout);
			fprintf(stderr, "pstsync: cannot read the sync state of profile '%s': %s\n",
				ps_profile_name(p), ps_error_last());
			rc = EXIT_FAIL;
			pstate_clear(&st);
			continue;
		}
		if (cli->json) {
			status_json(&w, p, &st);
		} else {
			if (!one && i > 0)
				putchar('\n');
			status_text(p, &st);
		}
		pstate_clear(&st);
	}
	if (cli->json) {
		json_end_array(&w);
		json_end_object(&w);
		json_finish(&w);
	}
cleanup:
	ps_settings_free(settings);
	return rc;
}
