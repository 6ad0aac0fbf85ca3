/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * References between items of one store, carried across by a sync.
 *
 * A distribution list names its members in PidLidDistributionListMembers
 * ([MS-OXOCNTC] 2.2.2.2.1): one WrappedEntryId each, holding the entry ID
 * of the contact (or list) in the same store, made of that store's record
 * key and the member's NID. Copied as bytes, a list would point into the
 * store it came from. So, when the engine writes a list on side t, each
 * member that is an item of side t ^ 1 with a pair (in any link of the
 * profile, or copied earlier in this sync) is made to name the paired item
 * of side t; a member outside the links stays as it is, and so do the
 * one-off members (PidLidDistributionListOneOffMembers: names and
 * addresses, the same in every store). PidLidDistributionListChecksum
 * follows the members. Lists are written after the other items of a sync,
 * so that a member copied in the same sync is there to be named.
 *
 * The fingerprint leaves the members and their checksum out (the one-off
 * members stand for them): an item and its copy stay alike.
 */
#include "core/sync_int.h"

#include "core/util.h"
#include "pstsync/item_edit.h"
#include "pstsync/propnames.h"

#include <stdlib.h>
#include <string.h>

#define LID_DL_MEMBERS  0x8055
#define LID_DL_CHECKSUM 0x804C

/* The provider UID of a WrappedEntryId ([MS-OXOCNTC] 2.2.2.2.1). */
static const uint8_t wrapped_uid[16] = {
	0xC0, 0x91, 0xAD, 0xD3, 0x51, 0x9D, 0xCF, 0x11,
	0xA4, 0xA9, 0x00, 0xAA, 0x00, 0x47, 0xFA, 0xA4
};

static int is_list(const char *cls)
{
	return cls && ps_item_class_is(cls, "IPM.DistList");
}

/* The op's source item is a distribution list. */
static int op_is_list(const struct op *op)
{
	return op->action != PS_ACTION_DELETE && op->src >= 0 &&
		is_list(op->lr->ls[op->side ^ 1].e[op->src].cls);
}

void ps_sync__refs_order(struct op_list *ops)
{
	struct op *sorted;
	size_t i, k = 0;

	for (i = 0; i < ops->n && !op_is_list(&ops->v[i]); i++)
		;
	if (i == ops->n || !(sorted = malloc(ops->n * sizeof(*sorted))))
		return;   /* no list (or no memory: lists keep their place) */
	for (i = 0; i < ops->n; i++)
		if (!op_is_list(&ops->v[i]))
			sorted[k++] = ops->v[i];
	for (i = 0; i < ops->n; i++)
		if (op_is_list(&ops->v[i]))
			sorted[k++] = ops->v[i];
	memcpy(ops->v, sorted, ops->n * sizeof(*sorted));
	free(sorted);
}

/* The NID on side @p t of the item @p nid of side t ^ 1, or 0. */
static uint32_t paired_nid(struct sync *sy, int t, uint32_t nid)
{
	size_t l, i;

	for (l = 0; l < sy->nlinks; l++) {
		const struct link_run *lr = &sy->links[l];
		for (i = 0; i < lr->npairs; i++) {
			const struct pside *s = lr->pairs[i].side;
			if (s[t ^ 1].eid_size && s[t ^ 1].nid == nid && s[t].eid_size && s[t].nid)
				return s[t].nid;
		}
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

/* [MS-OXOCNTC] 2.2.2.2.3: CRC-32 (0xEDB88320, initial 0, no final xor). */
static uint32_t crc32_raw(uint32_t crc, const uint8_t *p, size_t n)
{
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return crc;
}

static ps_prop *named_prop(ps_item *item, uint32_t lid, uint16_t type)
{
	size_t i;

	for (i = 0; i < item->props.count; i++) {
		ps_prop *p = &item->props.props[i];
		if (PS_PROP_ID(p->tag) >= 0x8000 && PS_PROP_TYPE(p->tag) == type &&
		    p->named.kind == PS_NAME_ID && p->named.lid == lid &&
		    memcmp(p->named.guid.bytes, PS_PSETID_ADDRESS.bytes, 16) == 0)
			return p;
	}
	return NULL;
}

int ps_sync__refs_translate(struct sync *sy, int t, ps_item *item)
{
	ps_prop *members = named_prop(item, LID_DL_MEMBERS, PS_PT_MV | PS_PT_BINARY);
	ps_prop *sum = named_prop(item, LID_DL_CHECKSUM, PS_PT_LONG);
	uint8_t key[2][16];
	uint32_t count, k, crc = 0;
	int changed = 0;

	if (!members || members->size < 4)
		return PS_OK;
	count = ps__le32(members->data);
	if (count > (members->size - 4) / 4)
		return PS_OK;     /* not the layout of a multi-valued binary: left alone */
	for (k = 0; k < 2; k++) {
		ps_store_info info;
		memset(&info, 0, sizeof(info));
		if (ps_store_get_info(sy->st[k], &info) < 0 || !info.has_record_key) {
			ps_error_clear();
			ps_store_info_clear(&info);
			return PS_OK;   /* no record key: entry IDs cannot be told apart */
		}
		memcpy(key[k], info.record_key, 16);
		ps_store_info_clear(&info);
	}
	for (k = 0; k < count; k++) {
		uint32_t off = ps__le32(members->data + 4 + 4 * k);
		uint32_t end = k + 1 < count ? ps__le32(members->data + 8 + 4 * k) : (uint32_t)members->size;
		uint8_t *v = members->data + off;
		uint32_t nid, to;

		if (off > end || end > members->size)
			return PS_OK;
		/* flags, the wrapped UID, the type, then a message entry ID of 24 bytes:
		 * flags, the store's record key, the NID */
		if (end - off != 4 + 16 + 1 + 24 || memcmp(v + 4, wrapped_uid, 16) != 0 ||
		    memcmp(v + 21 + 4, key[t ^ 1], 16) != 0)
			continue;
		nid = ps__le32(v + 21 + 20);
		if (!(to = paired_nid(sy, t, nid)))
			continue;   /* a member outside the links: as it was */
		memcpy(v + 21 + 4, key[t], 16);
		ps__put32(v + 21 + 20, to);
		changed = 1;
	}
	if (!changed)
		return PS_OK;
	for (k = 0; k < count; k++) {
		uint32_t off = ps__le32(members->data + 4 + 4 * k);
		uint32_t end = k + 1 < count ? ps__le32(members->data + 8 + 4 * k) : (uint32_t)members->size;
		crc = crc32_raw(crc, members->data + off, end - off);
	}
	if (sum && sum->size == 4)
		ps__put32(sum->data, crc);
	return PS_OK;
}
