/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * References between items of one store, carried across by a sync.
 *
 * A distribution list names its members by entry ID (a WrappedEntryId each,
 * holding the store's record key and the member's NID), and any item may
 * name the contacts it is linked to (PidLidContactLinkEntry); see
 * pstsync/item_refs.h. Copied as bytes, they would point into the store
 * they came from. So, when the engine writes an item on side t, each entry
 * ID that names an item of side t ^ 1 with a pair (in any link of the
 * profile, or copied earlier in this sync) is made to name the paired item
 * of side t; one outside the links stays as it is, and so do the one-off
 * members (names and addresses, the same in every store).
 * PidLidDistributionListChecksum follows the members. Contacts are written
 * first in a sync and lists last, so that a contact copied in the same
 * sync is there to be named; what names an item written after it is made
 * right at the end of the sync (the fix-ups below).
 *
 * The fingerprint leaves these entry IDs out (the one-off members,
 * PidLidContacts and PidTagReplyRecipientNames stand for them): an item
 * and its copy stay alike.
 */
#include "core/sync_int.h"

#include "core/util.h"
#include "pstsync/item_edit.h"
#include "pstsync/item_refs.h"

#include <stdlib.h>
#include <string.h>

/* 0 contacts, 1 other items, 2 lists: the order a sync writes them in */
static int op_rank(const struct op *op)
{
	const char *cls;

	if (op->action == PS_ACTION_DELETE || op->src < 0)
		return 1;
	cls = op->lr->ls[op->side ^ 1].e[op->src].cls;
	if (cls && ps_item_class_is(cls, "IPM.DistList"))
		return 2;
	return cls && ps_item_class_is(cls, "IPM.Contact") ? 0 : 1;
}

void ps_sync__refs_order(struct op_list *ops)
{
	struct op *sorted;
	size_t i, k = 0;
	int rank, seen = 0;

	/* nothing to do when no list comes before anything else and no contact
	 * after anything else */
	for (i = 0; i < ops->n; i++) {
		rank = op_rank(&ops->v[i]);
		if (rank < seen)
			break;
		seen = rank;
	}
	if (i == ops->n || !(sorted = malloc(ops->n * sizeof(*sorted))))
		return;   /* in order already (or no memory: items keep their place) */
	for (rank = 0; rank <= 2; rank++)
		for (i = 0; i < ops->n; i++)
			if (op_rank(&ops->v[i]) == rank)
				sorted[k++] = ops->v[i];
	memcpy(ops->v, sorted, ops->n * sizeof(*sorted));
	free(sorted);
}

struct map_ctx {
	struct sync *sy;
	int t;
	uint8_t key[2][16];        /* the stores' record keys */
	unsigned pending;          /* entries naming a linked item not written yet */
};

/* The NID on side t of the item @p nid of side t ^ 1, or 0. */
static uint32_t paired_nid(void *ctx, uint32_t nid)
{
	struct map_ctx *m = ctx;
	struct sync *sy = m->sy;
	int t = m->t;
	size_t l;

	/* an item of a linked folder: its pair, or its copy made in this sync */
	for (l = 0; l < sy->nlinks; l++) {
		const struct link_run *lr = &sy->links[l];
		long i = ps_sync__listing_find(&lr->ls[t ^ 1], nid);
		const struct entry *e;
		if (i < 0)
			continue;
		e = &lr->ls[t ^ 1].e[i];
		if (e->copied_to)
			return e->copied_to;
		if (e->pair >= 0 && (size_t)e->pair < lr->npairs) {
			const struct pside *s = lr->pairs[e->pair].side;
			if (s[t ^ 1].nid == nid && s[t].eid_size && s[t].nid)
				return s[t].nid;
		}
		/* new, or a copy an interrupted sync journalled: written later in
		 * this sync, if at all */
		if (lr->w[t] && !e->unreadable && !lr->failed)
			m->pending++;
		return 0;
	}
	/* a link this sync did not read (both tables as the last sync left
	 * them, sync_stamps.c): its pairs are in the protocol only */
	for (l = 0; l < sy->nlinks; l++) {
		const struct link_run *lr = &sy->links[l];
		ps_protocol_pair pr;
		uint8_t eid[24];
		if (!lr->unchanged || !lr->link_id)
			continue;
		memset(eid, 0, 4);
		memcpy(eid + 4, m->key[t ^ 1], 16);
		ps__put32(eid + 20, nid);
		if (ps_protocol_pair_find_eid(sy->proto, &pr, lr->link_id, t ^ 1, eid, sizeof(eid)) == PS_OK
		    && pr.side[t].eid_size && pr.side[t].nid)
			return pr.side[t].nid;
		ps_error_clear();
	}
	return 0;
}

static int map_init(struct map_ctx *m, struct sync *sy, int t)
{
	int k;

	memset(m, 0, sizeof(*m));
	for (k = 0; k < 2; k++) {
		ps_store_info info;
		memset(&info, 0, sizeof(info));
		if (ps_store_get_info(sy->st[k], &info) < 0 || !info.has_record_key) {
			ps_error_clear();
			ps_store_info_clear(&info);
			return 0;   /* no record key: entry IDs cannot be told apart */
		}
		memcpy(m->key[k], info.record_key, 16);
		ps_store_info_clear(&info);
	}
	m->sy = sy;
	m->t = t;
	return 1;
}

int ps_sync__refs_translate(struct sync *sy, int t, ps_item *item, unsigned *pending)
{
	struct map_ctx m;
	int rc;

	if (pending)
		*pending = 0;
	if (!ps_item_refs_has(item) || !map_init(&m, sy, t))
		return PS_OK;
	rc = ps_item_refs_translate(item, m.key[t ^ 1], m.key[t], paired_nid, &m, NULL);
	if (pending)
		*pending = m.pending;
	return rc;
}

/* ---- fix-ups: references to items written later in the same sync ---------- */

/*
 * A contact is written before its birthday appointment (contacts first, so
 * that lists and linked items find them), and two items may name each
 * other. An item written while an item it names was still to be written
 * gets a journal entry of its own in the protocol transaction that records
 * the write. At the end of the sync, every such entry is carried out: the
 * item is read from its store, its entry IDs that still name the other
 * store are translated, and it is written again (keeping its NID) when one
 * changed; then the pair's side gets the item's new time and size and the
 * entry is done, in one protocol transaction. A kill at any instant leaves
 * the entry unfinished, and the next sync's end carries it out again
 * (translating what is translated already changes nothing). Recovery leaves
 * these entries to that end, after the items are written.
 */

int ps_sync__refs_is_fixup(const ps_protocol_journal_entry *je)
{
	return je->action == PS_ACTION_OVERWRITE && !je->source_eid_size && !je->marker_size &&
		je->target_eid_size == EID_SIZE;
}

int ps_sync__refs_journal(struct sync *sy, struct link_run *lr, int64_t pair_id, int t,
	const uint8_t eid[EID_SIZE])
{
	ps_protocol_journal_entry je;

	memset(&je, 0, sizeof(je));
	je.sync_id = sy->sync_id;
	je.link_id = lr->link_id;
	je.pair_id = pair_id;
	je.action = PS_ACTION_OVERWRITE;
	je.side = t;
	memcpy(je.target_eid, eid, EID_SIZE);
	je.target_eid_size = EID_SIZE;
	return ps_protocol_journal_append(sy->proto, &je, NULL);
}

struct fixup {
	ps_protocol_journal_entry je;
	struct link_run *lr;
	int written;
};

struct fixups {
	struct sync *sy;
	struct fixup *v;
	size_t n;
};

static int fixup_cb(const ps_protocol_journal_entry *je, void *ctx)
{
	struct fixups *f = ctx;
	struct fixup *grown;
	size_t l;

	if (!ps_sync__refs_is_fixup(je) || je->side < 0 || je->side > 1)
		return 0;
	for (l = 0; l < f->sy->nlinks; l++)
		if (f->sy->links[l].link_id == je->link_id && !f->sy->links[l].failed &&
		    f->sy->links[l].have_folder[je->side])
			break;
	if (l == f->sy->nlinks)
		return 0;   /* its link failed or is no longer synced: left for later */
	if (!(grown = realloc(f->v, (f->n + 1) * sizeof(*grown))))
		return ps_error_set(PS_ENOMEM, "out of memory");
	f->v = grown;
	grown[f->n].je = *je;
	grown[f->n].lr = &f->sy->links[l];
	grown[f->n].written = 0;
	f->n++;
	return 0;
}

/* Read, translate and write again the item of fix-up @p x. */
static int fixup_item(struct sync *sy, struct fixup *x, struct map_ctx *m)
{
	int t = x->je.side;
	uint32_t nid = ps__le32(x->je.target_eid + 20), dummy;
	ps_item *item = NULL;
	unsigned changed = 0;
	int rc;

	if ((rc = ps_store_read_item(sy->st[t], nid, &item)) < 0) {
		if (ps_sync__is_store_error(rc))
			return rc;
		ps_error_clear();   /* gone since, or unreadable: nothing to make right */
		return PS_OK;
	}
	(void)ps_item_refs_translate(item, m->key[t ^ 1], m->key[t], paired_nid, m, &changed);
	if (changed) {
		rc = ps_store_put_item(sy->st[t], x->lr->folder[t], item, nid, &dummy);
		if (rc == PS_OK)
			x->written = 1;
		else if (!ps_sync__is_store_error(rc))
			rc = PS_OK;   /* the item alone: as it was, named wrongly */
	}
	ps_item_free(item);
	return rc;
}

/* Record fix-up @p x done, with its item's new time and size. */
static int fixup_record(struct sync *sy, struct fixup *x)
{
	int t = x->je.side, rc;
	uint32_t nid = ps__le32(x->je.target_eid + 20);
	ps_protocol_pair pr;
	struct listing ls;
	long i;

	memset(&ls, 0, sizeof(ls));
	if (x->written && x->je.pair_id &&
	    ps_protocol_pair_get(sy->proto, &pr, x->je.pair_id) == PS_OK &&
	    pr.side[t].nid == nid) {
		if ((rc = ps_sync__listing_load_given(&ls, sy->st[t], x->lr->folder[t], &nid, 1)) < 0)
			return rc;
		i = ps_sync__listing_find(&ls, nid);
		if (i >= 0) {
			pr.side[t].modified = ls.e[i].modified;
			pr.side[t].size = ls.e[i].size;
			rc = ps_protocol_pair_set_side(sy->proto, pr.id, t, &pr.side[t]);
			if (rc < 0) {
				ps_sync__listing_free(&ls);
				return rc;
			}
		}
		ps_sync__listing_free(&ls);
	}
	ps_error_clear();
	return ps_protocol_journal_done(sy->proto, x->je.id);
}

int ps_sync__refs_fixup(struct sync *sy)
{
	struct fixups f;
	struct map_ctx m;
	size_t i;
	int t, rc;

	memset(&f, 0, sizeof(f));
	f.sy = sy;
	if (sy->opt.dry_run)
		return PS_OK;
	if ((rc = ps_protocol_journal_unfinished(sy->proto, fixup_cb, &f)) < 0 || !f.n)
		goto cleanup;
	for (t = 0; t < 2; t++) {
		int begun = 0;
		if (!map_init(&m, sy, t))
			break;
		for (i = 0; i < f.n; i++) {
			if (f.v[i].je.side != t)
				continue;
			if (!begun && (rc = ps_store_begin(sy->st[t])) < 0)
				goto cleanup;
			begun = 1;
			if ((rc = fixup_item(sy, &f.v[i], &m)) < 0) {
				ps_store_abort(sy->st[t]);
				goto cleanup;
			}
		}
		if (begun && (rc = ps_store_commit(sy->st[t])) < 0)
			goto cleanup;
	}
	if ((rc = ps_protocol_begin(sy->proto)) < 0)
		goto cleanup;
	for (i = 0; i < f.n && rc == PS_OK; i++)
		rc = fixup_record(sy, &f.v[i]);
	if (rc < 0)
		ps_protocol_rollback(sy->proto);
	else
		rc = ps_protocol_commit(sy->proto);
cleanup:
	free(f.v);
	return rc;
}
