/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * What did not change, known without reading it (issue 13): at the end of a
 * complete sync each linked folder's contents table is stamped in the
 * protocol with its node's data and subnode BIDs (ps_store_table_stamp()).
 * A PST never rewrites a block in place: a changed row, an added or deleted
 * item, gives the table new blocks with new BIDs. So the next sync that
 * finds both of a link's tables as stamped, with nothing else left to do
 * for the link (no question open, no store put back from a copy or
 * replaced, the same direction, no --relink), reads neither table nor any item of the link: the
 * last sync left both folders in step and neither moved since.
 *
 * Every stamp is forgotten as a sync starts and written again as it ends,
 * so a sync that stops half way (killed, a store failing) leaves none and
 * the next reads everything. Where the shortcut cannot decide, the link is
 * read in full and the result says why (ps_sync_link_result.full_read).
 */
#include "core/sync_int.h"

#include <stdlib.h>
#include <string.h>

struct stamp_pair {
	ps_protocol_table_stamp s[2];
	int have[2];
};

/* The stamps the last sync left, before they are forgotten. */
int ps_sync__stamps_begin(struct sync *sy)
{
	size_t i;
	int t, rc;

	sy->stamps = calloc(sy->nlinks + 1, sizeof(*sy->stamps));
	if (!sy->stamps)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; i < sy->nlinks; i++) {
		if (!sy->links[i].link_id)
			continue;
		for (t = 0; t < 2; t++) {
			rc = ps_protocol_stamp_get(sy->proto, sy->links[i].link_id, t, &sy->stamps[i].s[t]);
			if (rc == PS_ENOTFOUND)
				continue;
			if (rc < 0)
				return rc;
			sy->stamps[i].have[t] = 1;
		}
	}
	return sy->opt.dry_run ? PS_OK : ps_protocol_stamps_clear(sy->proto);
}

static int open_question_cb(const ps_protocol_question *q, void *ctx)
{
	(void)q;
	++*(size_t *)ctx;
	return 0;
}

/* Why link @p lr must be read in full, or NULL when its tables are as stamped. */
static const char *full_read_reason(struct sync *sy, struct link_run *lr, int *rc)
{
	const struct stamp_pair *sp;
	size_t open = 0;
	int t;

	*rc = PS_OK;
	if (!sy->stamps || !lr->link_id)
		return "a new link";
	sp = &sy->stamps[lr - sy->links];
	if (sy->opt.relink)
		return "--relink";
	for (t = 0; t < 2; t++)
		if (!lr->have_folder[t])
			return "a folder is missing";
	if ((*rc = ps_protocol_question_list(sy->proto, lr->link_id, PS_QUESTIONS_OUTSTANDING |
	    PS_QUESTIONS_ANSWERED, open_question_cb, &open)) < 0)
		return NULL;
	if (open)
		return "questions are open";
	for (t = 0; t < 2; t++) {
		if (!sp->have[t])
			return "no stamp of the last sync (it did not end, or left work)";
		if (ps_sync__history_doubt(sy, t))
			return "a store was put back from a copy, or replaced";
		if (sp->s[t].folder_nid != lr->folder[t])
			return "a folder is another than at the last sync";
		if (sp->s[t].direction != lr->direction)
			return "the link's direction changed";
	}
	for (t = 0; t < 2; t++) {
		uint64_t now[2];
		int src = ps_store_table_stamp(sy->st[t], lr->folder[t], now);
		if (src == PS_EUNSUPPORTED)
			return "the store cannot tell (read through libpff)";
		if (src < 0) {
			if (ps_sync__is_store_error(src)) {
				*rc = src;
				return NULL;
			}
			return "the contents table could not be found";
		}
		if (now[0] != sp->s[t].data_bid || now[1] != sp->s[t].sub_bid)
			return t ? "the global contents table changed" : "the local contents table changed";
	}
	return NULL;
}

int ps_sync__link_unchanged(struct sync *sy, struct link_run *lr)
{
	const char *why;
	int t, rc;

	why = full_read_reason(sy, lr, &rc);
	if (rc < 0)
		return rc;
	lr->res->full_read = why;
	if (why)
		return 0;
	for (t = 0; t < 2; t++) {
		const ps_protocol_table_stamp *s = &sy->stamps[lr - sy->links].s[t];
		lr->scan_items[t] = s->items;
		lr->kept_not_carried[t] = (uint32_t)s->not_carried;
	}
	lr->unchanged = 1;
	return 1;
}

int ps_sync__stamps_record(struct sync *sy)
{
	size_t i;
	int t, rc;

	if (sy->opt.dry_run)
		return PS_OK;
	for (i = 0; i < sy->nlinks; i++) {
		struct link_run *lr = &sy->links[i];
		ps_protocol_table_stamp s[2];
		const ps_sync_counts *c = &lr->res->counts;
		/* a link with work left (an item skipped, a question) is read again */
		if (lr->failed || !lr->link_id || c->errors || c->incomplete || c->outstanding ||
		    !lr->have_folder[0] || !lr->have_folder[1])
			continue;
		for (t = 0; t < 2; t++) {
			uint64_t now[2];
			if (ps_store_table_stamp(sy->st[t], lr->folder[t], now) < 0)
				break;
			memset(&s[t], 0, sizeof(s[t]));
			s[t].folder_nid = lr->folder[t];
			s[t].data_bid = now[0];
			s[t].sub_bid = now[1];
			s[t].items = lr->res->items[t];
			s[t].not_carried = c->not_carried[t];
			s[t].direction = lr->direction;
		}
		if (t < 2)
			continue; /* not stamped: read in full next time */
		for (t = 0; t < 2; t++)
			if ((rc = ps_protocol_stamp_set(sy->proto, lr->link_id, t, &s[t])) < 0)
				return rc;
	}
	return PS_OK;
}

void ps_sync__stamps_free(struct sync *sy)
{
	free(sy->stamps);
	sy->stamps = NULL;
}
