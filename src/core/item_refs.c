/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Entry IDs of items of the same store inside an item (see
 * pstsync/item_refs.h): found in the three properties that hold them and
 * made to name the target store's items. Only the bytes of the record key
 * and the NID change, so every value keeps its size and layout.
 */
#include "pstsync/item_refs.h"

#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/propnames.h"

#include <stdlib.h>
#include <string.h>

#define LID_DL_MEMBERS   0x8055   /* PSETID_Address */
#define LID_DL_CHECKSUM  0x804C   /* PSETID_Address */
#define LID_BIRTHDAY_EVENT 0x804D    /* PSETID_Address */
#define LID_ANNIVERSARY_EVENT 0x804E /* PSETID_Address */
#define LID_CONTACT_LINK 0x8585   /* PSETID_Common */
#define PID_REPLY_ENTRIES 0x004F
#define PID_ENTRY_ID     0x0FFF   /* of a recipient: its address book entry */
#define PID_RECIPIENT_ENTRY_ID 0x5FF7

#define EID_SIZE 24u              /* flags, record key, NID: a message of a PST */
#define WRAPPED_SIZE (4u + 16u + 1u + EID_SIZE)
#define CONTAB_SIZE (4u + 16u + 4u * 4u + EID_SIZE) /* flags, UID, version, type, index, size */

/* The provider UID of a WrappedEntryId ([MS-OXOCNTC] 2.2.2.2.1). */
static const uint8_t wrapped_uid[16] = {
	0xC0, 0x91, 0xAD, 0xD3, 0x51, 0x9D, 0xCF, 0x11,
	0xA4, 0xA9, 0x00, 0xAA, 0x00, 0x47, 0xFA, 0xA4
};

/* The provider UID of a Contact Address EntryID and of a Personal
 * Distribution List EntryID ([MS-OXCDATA] 2.2.5.3, 2.2.5.4): an entry of
 * Outlook's Contacts Address Book, which holds the contact's (or list's)
 * message entry ID. A recipient picked from the contacts is one. */
static const uint8_t contab_uid[16] = {
	0xFE, 0x42, 0xAA, 0x0A, 0x18, 0xC7, 0x1A, 0x10,
	0xE8, 0x85, 0x0B, 0x65, 0x1C, 0x24, 0x00, 0x00
};

static int is_named(const ps_prop *p, const ps_guid *set, uint16_t lid, uint16_t type)
{
	return PS_PROP_ID(p->tag) >= 0x8000 && PS_PROP_TYPE(p->tag) == type &&
		p->named.kind == PS_NAME_ID && p->named.lid == lid &&
		memcmp(p->named.guid.bytes, set->bytes, 16) == 0;
}

int ps_item_refs_prop(const ps_prop *p)
{
	if (PS_PROP_ID(p->tag) < 0x8000)
		return PS_PROP_ID(p->tag) == PID_REPLY_ENTRIES ? PS_REFS_BLANKED : 0;
	if (p->named.kind != PS_NAME_ID)
		return 0;
	if (memcmp(p->named.guid.bytes, PS_PSETID_ADDRESS.bytes, 16) == 0) {
		if (p->named.lid == LID_DL_MEMBERS || p->named.lid == LID_DL_CHECKSUM)
			return PS_REFS_LEFT_OUT;
		return p->named.lid == LID_BIRTHDAY_EVENT || p->named.lid == LID_ANNIVERSARY_EVENT ?
			PS_REFS_BLANKED : 0;
	}
	return p->named.lid == LID_CONTACT_LINK &&
		memcmp(p->named.guid.bytes, PS_PSETID_COMMON.bytes, 16) == 0 ? PS_REFS_BLANKED : 0;
}

int ps_item_refs_recipient_prop(const ps_prop *p)
{
	return (p->tag == PS_PROP_TAG(PID_ENTRY_ID, PS_PT_BINARY) ||
		p->tag == PS_PROP_TAG(PID_RECIPIENT_ENTRY_ID, PS_PT_BINARY)) ? PS_REFS_BLANKED : 0;
}

/* Whether the value of @p p is an entry ID that names an item of a store
 * (a WrappedEntryId or a Contacts Address Book entry). */
static int names_item(const ps_prop *p)
{
	if (!p->data)
		return 0;
	if (p->size == WRAPPED_SIZE)
		return memcmp(p->data + 4, wrapped_uid, 16) == 0;
	return p->size == CONTAB_SIZE && memcmp(p->data + 4, contab_uid, 16) == 0;
}

int ps_item_refs_has(const ps_item *item)
{
	size_t i, r;

	for (i = 0; i < item->props.count; i++) {
		const ps_prop *p = &item->props.props[i];
		if (ps_item_refs_prop(p) && PS_PROP_TYPE(p->tag) != PS_PT_LONG)
			return 1;
	}
	for (r = 0; r < item->recipient_count; r++)
		for (i = 0; i < item->recipients[r].count; i++) {
			const ps_prop *p = &item->recipients[r].props[i];
			if (ps_item_refs_recipient_prop(p) && names_item(p))
				return 1;
		}
	return 0;
}

struct xlate {
	int blank;              /* every entry ID's record key and NID zeroed */
	int before;             /* blank as fingerprints did before Contacts Address
	                         * Book entry IDs were translated: not those */
	int contab;             /* one of those was met */
	const uint8_t *from, *to;
	ps_item_ref_map map;
	void *ctx;
	unsigned changed;
};

/* One entry ID of @p n bytes at @p v: a WrappedEntryId around a message
 * entry ID, or a message entry ID. 1 when it was changed. */
static int xlate_eid(struct xlate *x, uint8_t *v, size_t n)
{
	uint8_t *eid;
	uint32_t to;

	if (n == WRAPPED_SIZE && memcmp(v + 4, wrapped_uid, 16) == 0) {
		eid = v + 21;
	} else if (n == CONTAB_SIZE && memcmp(v + 4, contab_uid, 16) == 0 && ps__le32(v + 20) == 3 &&
		   (ps__le32(v + 24) == 4 || ps__le32(v + 24) == 5) && ps__le32(v + 32) == EID_SIZE) {
		x->contab = 1;
		if (x->before)
			return 0;
		eid = v + 36;
	} else if (n == EID_SIZE)
		eid = v;
	else
		return 0;
	if (x->blank) {
		memset(eid + 4, 0, 20);
		return 1;
	}
	if (memcmp(eid + 4, x->from, 16) != 0 || !(to = x->map(x->ctx, ps__le32(eid + 20))))
		return 0;   /* another store's, or an item outside the map: as it was */
	memcpy(eid + 4, x->to, 16);
	ps__put32(eid + 20, to);
	x->changed++;
	return 1;
}

/* A multi-valued binary (count, offsets, values): each value an entry ID.
 * 1 when one changed. */
static int xlate_mv(struct xlate *x, ps_prop *p)
{
	uint32_t count, k, off, end;
	int changed = 0;

	if (p->size < 4)
		return 0;
	count = ps__le32(p->data);
	if (count > (p->size - 4) / 4)
		return 0;   /* not the layout of a multi-valued binary: left alone */
	for (k = 0; k < count; k++) {
		off = ps__le32(p->data + 4 + 4 * k);
		end = k + 1 < count ? ps__le32(p->data + 8 + 4 * k) : (uint32_t)p->size;
		if (off > end || end > p->size)
			return changed;
		changed |= xlate_eid(x, p->data + off, end - off);
	}
	return changed;
}

/* A FlatEntryList ([MS-OXCDATA] 2.3.3): count, size of what follows, then
 * per entry its size, its bytes and padding to a multiple of 4. */
static void xlate_flat(struct xlate *x, ps_prop *p)
{
	uint32_t count, k;
	size_t at = 8, cb;

	if (p->size < 8)
		return;
	count = ps__le32(p->data);
	if (ps__le32(p->data + 4) > p->size - 8)
		return;
	for (k = 0; k < count; k++) {
		if (p->size - at < 4)
			return;
		cb = ps__le32(p->data + at);
		at += 4;
		if (cb > p->size - at)
			return;
		xlate_eid(x, p->data + at, cb);
		at += (cb + 3) & ~(size_t)3;
		if (at > p->size)
			return;
	}
}

/* [MS-OXOCNTC] 2.2.2.2.3: CRC-32 (0xEDB88320, initial 0, no final xor) of
 * the members one after the other. */
static void dl_checksum(ps_item *item, const ps_prop *members)
{
	uint32_t count = ps__le32(members->data), k, crc = 0;
	size_t i;
	int b;

	for (k = 0; k < count; k++) {
		uint32_t off = ps__le32(members->data + 4 + 4 * k);
		uint32_t end = k + 1 < count ? ps__le32(members->data + 8 + 4 * k) : (uint32_t)members->size;
		const uint8_t *q = members->data + off;
		if (off > end || end > members->size)
			return;   /* (the layout was checked as far as a member changed) */
		for (; off < end; off++) {
			crc ^= *q++;
			for (b = 0; b < 8; b++)
				crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
		}
	}
	for (i = 0; i < item->props.count; i++) {
		ps_prop *p = &item->props.props[i];
		if (is_named(p, &PS_PSETID_ADDRESS, LID_DL_CHECKSUM, PS_PT_LONG) && p->size == 4)
			ps__put32(p->data, crc);
	}
}

/* One property of those, by its kind. */
static void xlate_prop(struct xlate *x, ps_item *item, ps_prop *p)
{
	if (is_named(p, &PS_PSETID_ADDRESS, LID_DL_MEMBERS, PS_PT_MV | PS_PT_BINARY)) {
		if (xlate_mv(x, p) && item)
			dl_checksum(item, p);
	} else if (is_named(p, &PS_PSETID_ADDRESS, LID_BIRTHDAY_EVENT, PS_PT_BINARY) ||
		   is_named(p, &PS_PSETID_ADDRESS, LID_ANNIVERSARY_EVENT, PS_PT_BINARY)) {
		xlate_eid(x, p->data, p->size);
	} else if (is_named(p, &PS_PSETID_COMMON, LID_CONTACT_LINK, PS_PT_BINARY) ||
		   p->tag == ((uint32_t)PID_REPLY_ENTRIES << 16 | PS_PT_BINARY)) {
		xlate_flat(x, p);
	}
}

uint8_t *ps_item_refs_blank(const ps_prop *p, unsigned flags, int *newer)
{
	struct xlate x;
	ps_prop copy = *p;

	memset(&x, 0, sizeof(x));
	x.blank = 1;
	x.before = (flags & PS_REFS_AS_BEFORE) != 0;
	if (!p->data || !p->size || !(copy.data = malloc(p->size)))
		return NULL;
	memcpy(copy.data, p->data, p->size);
	if (flags & PS_REFS_RECIPIENT) {
		if (!x.before && names_item(p))
			xlate_eid(&x, copy.data, copy.size);
		if (newer)
			*newer |= names_item(p);
	} else {
		xlate_prop(&x, NULL, &copy);
		if (newer)
			*newer |= x.contab;
	}
	return copy.data;
}

int ps_item_refs_translate(ps_item *item, const uint8_t from[16], const uint8_t to[16],
	ps_item_ref_map map, void *ctx, unsigned *changed)
{
	struct xlate x;
	size_t i, r;

	memset(&x, 0, sizeof(x));
	x.from = from;
	x.to = to;
	x.map = map;
	x.ctx = ctx;
	for (i = 0; i < item->props.count; i++) {
		ps_prop *p = &item->props.props[i];
		if (p->data)
			xlate_prop(&x, item, p);
	}
	/* a recipient picked from the contacts: its address book entry */
	for (r = 0; r < item->recipient_count; r++)
		for (i = 0; i < item->recipients[r].count; i++) {
			ps_prop *p = &item->recipients[r].props[i];
			if (ps_item_refs_recipient_prop(p) && names_item(p))
				xlate_eid(&x, p->data, p->size);
		}
	if (changed)
		*changed = x.changed;
	return PS_OK;
}
