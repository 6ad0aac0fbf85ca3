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
 * sync is there to be named.
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
};

/* The NID on side t of the item @p nid of side t ^ 1, or 0. */
static uint32_t paired_nid(void *ctx, uint32_t nid)
{
	struct map_ctx *m = ctx;
	struct sync *sy = m->sy;
	int t = m->t;
	size_t l, i;

	for (l = 0; l < sy->nlinks; l++) {
		const struct link_run *lr = &sy->links[l];
		for (i = 0; i < lr->npairs; i++) {
			const struct pside *s = lr->pairs[i].side;
			if (s[t ^ 1].eid_size && s[t ^ 1].nid == nid && s[t].eid_size && s[t].nid)
				return s[t].nid;
		}
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
	/* copied earlier in this sync: not recorded as a pair yet */
	for (i = 0; i < sy->ops.n; i++) {
		const struct op *op = &sy->ops.v[i];
		if (op->side == t && op->action == PS_ACTION_COPY && op->src >= 0 && op->new_nid &&
		    op->lr->ls[t ^ 1].e[op->src].nid == nid)
			return op->new_nid;
	}
	return 0;
}

int ps_sync__refs_translate(struct sync *sy, int t, ps_item *item)
{
	struct map_ctx m;
	int k;

	if (!ps_item_refs_has(item))
		return PS_OK;
	for (k = 0; k < 2; k++) {
		ps_store_info info;
		memset(&info, 0, sizeof(info));
		if (ps_store_get_info(sy->st[k], &info) < 0 || !info.has_record_key) {
			ps_error_clear();
			ps_store_info_clear(&info);
			return PS_OK;   /* no record key: entry IDs cannot be told apart */
		}
		memcpy(m.key[k], info.record_key, 16);
		ps_store_info_clear(&info);
	}
	m.sy = sy;
	m.t = t;
	return ps_item_refs_translate(item, m.key[t ^ 1], m.key[t], paired_nid, &m, NULL);
}
