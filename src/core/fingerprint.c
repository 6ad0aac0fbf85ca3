/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Content fingerprints of items, and the marker property of pstsync's
 * copies.
 *
 * The fingerprint is what "modified" rests on once the cheap check (same
 * modification time and size as recorded) fails, and what pairs items that
 * are already alike at a link's first sync. It must therefore be equal for
 * an item and every copy pstsync makes of it in another store, and differ
 * whenever the user would see a difference. So it hashes a canonical form:
 *
 *   - properties sorted by (tagged before named; id, or property set GUID +
 *     number / string name; type), never by a named property's store-local
 *     id; a numeric name with an all-zero GUID counts as PS_PUBLIC_STRINGS,
 *     as the writer maps it; 8-bit strings are hashed as the UTF-16LE text
 *     they stand for (a writer may turn one into the other); when two
 *     properties have the same key, the first counts, as in the writer;
 *   - recipients in table order, attachments in table order, an embedded
 *     message as a whole item again;
 *   - every length is hashed before its bytes, so no two forms collide.
 *
 * Left out, because they differ between stores or between copies, or are
 * computed by the store rather than written by the user (decided here, and
 * the one place to change it):
 *   message level:
 *     PidTagEntryId 0x0FFF, PidTagRecordKey 0x0FF9, PidTagSearchKey 0x300B
 *       (kept by copies, but two items typed in separately have different
 *       ones, and at a first sync those should pair),
 *     PidTagSourceKey 0x65E0, PidTagParentSourceKey 0x65E1,
 *     PidTagChangeKey 0x65E2, PidTagPredecessorChangeList 0x65E3,
 *     PidTagChangeNumber 0x67A4,
 *     PidTagLtpParentNid 0x67F1, PidTagLtpRowId 0x67F2, PidTagLtpRowVer 0x67F3,
 *     PidTagMessageSize 0x0E08 (computed by the writer),
 *     PidTagMessageStatus 0x0E17 (lives in the contents table only),
 *     PidTagLastModificationTime 0x3008 (compared on its own, cheaply),
 *     PidTagCreationTime 0x3007 (Outlook stamps copies anew),
 *     PidTagParentEntryId 0x0E09, PidTagStoreEntryId 0x0FFB,
 *     PidTagStoreRecordKey 0x0FFA, PidTagMappingSignature 0x0FF8,
 *     PidTagInstanceKey 0x0FF6, PidTagAccess 0x0FF4, PidTagAccessLevel 0x0FF7,
 *     PidTagConversationId 0x3013 (computed from the conversation index),
 *     pstsync's marker {PS_PSETID_PSTSYNC, "PstsyncCopyId"},
 *     PidLidReferenceEntryId (the item's own entry ID: the writer makes it),
 *     PidLidDistributionListMembers and PidLidDistributionListChecksum (entry
 *       IDs of the store's own items, translated by a sync: the one-off
 *       members, which count, name the same people in every store);
 *   counted with the record key and NID of each entry ID zeroed: the other
 *     properties of pstsync/item_refs.h (linked contacts, reply-to entries,
 *     a contact's birthday and anniversary appointments, the entry IDs of
 *     recipients picked from the contacts), which a sync translates as well.
 *     Fingerprints recorded before recipients and Contacts Address Book
 *     entries were translated counted those as they were: for an item that
 *     holds one, ps_sync__fingerprint_before() gives that fingerprint too,
 *     and a recorded one that matches it is as good (sync.c);
 *   attachments: PidTagAttachSize 0x0E20 (computed), the times 0x3007 and
 *     0x3008, PidTagRenderingPosition 0x370B when it is 0xFFFFFFFF ("none",
 *     which the writer adds when absent), the LTP row ids;
 *   recipients: the LTP row ids;
 *   everywhere: values of type PT_OBJECT (node references inside one file),
 *     PT_UNSPECIFIED, fixed-size values of the wrong size and named
 *     properties without a name (a writer cannot write them).
 * The message flags (read, unsent, ...) count: a copy keeps them, and a
 * change of them is a change the other side should see.
 */
#include "core/sync_int.h"

#include "core/sha256.h"
#include "core/utf.h"
#include "core/util.h"
#include "pstsync/item_refs.h"
#include "pstsync/propnames.h"

#include <stdlib.h>
#include <string.h>

/* {6F1B4A3C-2D85-4E0B-9A7C-5E31D8F0B2A6}, in the byte order a PST stores GUIDs */
const ps_guid PS_PSETID_PSTSYNC = { {
	0x3C, 0x4A, 0x1B, 0x6F, 0x85, 0x2D, 0x0B, 0x4E,
	0x9A, 0x7C, 0x5E, 0x31, 0xD8, 0xF0, 0xB2, 0xA6
} };

enum level { L_MESSAGE, L_ATTACHMENT, L_RECIPIENT };

static const uint16_t message_excluded[] = {
	0x0FFF, 0x0FF9, 0x300B, 0x65E0, 0x65E1, 0x65E2, 0x65E3, 0x67A4, 0x67F1, 0x67F2, 0x67F3,
	0x0E08, 0x0E17, 0x3008, 0x3007, 0x0E09, 0x0FFB, 0x0FFA, 0x0FF8, 0x0FF6, 0x0FF4, 0x0FF7,
	0x3013
};
static const uint16_t attachment_excluded[] = { 0x0E20, 0x3007, 0x3008, 0x67F1, 0x67F2, 0x67F3 };
static const uint16_t recipient_excluded[] = { 0x67F1, 0x67F2, 0x67F3 };

#define PID_RENDERING_POSITION 0x370B

static int in_list(const uint16_t *list, size_t n, uint16_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == id)
			return 1;
	return 0;
}

static int is_marker(const ps_prop *p)
{
	return PS_PROP_ID(p->tag) >= 0x8000 && p->named.kind == PS_NAME_STRING &&
		p->named.name && strcmp(p->named.name, PS_SYNC_MARKER_NAME) == 0 &&
		memcmp(p->named.guid.bytes, PS_PSETID_PSTSYNC.bytes, 16) == 0;
}

/* Whether @p p takes part in the fingerprint at @p level. */
static int counted(const ps_prop *p, enum level level)
{
	uint16_t id = PS_PROP_ID(p->tag), type = PS_PROP_TYPE(p->tag);
	size_t fixed = ps_prop_fixed_size(type);

	if (type == PS_PT_OBJECT || type == PS_PT_UNSPECIFIED)
		return 0;
	if (!(type & PS_PT_MV) && fixed && p->size != fixed)
		return 0;
	if (p->size && !p->data)
		return 0;
	if (id >= 0x8000) {
		if (p->named.kind != PS_NAME_ID && p->named.kind != PS_NAME_STRING)
			return 0;
		if (p->named.kind == PS_NAME_STRING && !p->named.name)
			return 0;
		/* a list's members and an item's linked contacts name items of its
		 * own store (pstsync/item_refs.h) */
		if (ps_item_refs_prop(p) == PS_REFS_LEFT_OUT)
			return 0;
		/* an item's own entry ID, which every store writes anew */
		if (p->named.kind == PS_NAME_ID && p->named.lid == 0x85BD &&
		    memcmp(p->named.guid.bytes, PS_PSETID_COMMON.bytes, 16) == 0)
			return 0;
		return !is_marker(p);
	}
	switch (level) {
	case L_MESSAGE:
		return !in_list(message_excluded, sizeof(message_excluded) / 2, id);
	case L_ATTACHMENT:
		if (id == PID_RENDERING_POSITION && p->size == 4 && ps__le32(p->data) == 0xFFFFFFFFu)
			return 0;
		return !in_list(attachment_excluded, sizeof(attachment_excluded) / 2, id);
	default:
		return !in_list(recipient_excluded, sizeof(recipient_excluded) / 2, id);
	}
}

static uint16_t canonical_type(uint16_t type)
{
	return type == PS_PT_STRING8 ? PS_PT_UNICODE : type;
}

static const ps_guid *canonical_guid(const ps_prop *p)
{
	static const uint8_t zero[16];

	if (p->named.kind == PS_NAME_ID && memcmp(p->named.guid.bytes, zero, 16) == 0)
		return &PS_PS_PUBLIC_STRINGS;
	return &p->named.guid;
}

struct keyed {
	const ps_prop *p;
	size_t index;
};

/* The order of the canonical form; the original index breaks ties. */
static int key_cmp(const ps_prop *a, const ps_prop *b)
{
	int na = PS_PROP_ID(a->tag) >= 0x8000, nb = PS_PROP_ID(b->tag) >= 0x8000;
	uint16_t ta = canonical_type(PS_PROP_TYPE(a->tag)), tb = canonical_type(PS_PROP_TYPE(b->tag));
	int c;

	if (na != nb)
		return na - nb;
	if (!na) {
		if (PS_PROP_ID(a->tag) != PS_PROP_ID(b->tag))
			return PS_PROP_ID(a->tag) < PS_PROP_ID(b->tag) ? -1 : 1;
	} else {
		if ((c = memcmp(canonical_guid(a)->bytes, canonical_guid(b)->bytes, 16)) != 0)
			return c;
		if (a->named.kind != b->named.kind)
			return a->named.kind - b->named.kind;
		if (a->named.kind == PS_NAME_ID) {
			if (a->named.lid != b->named.lid)
				return a->named.lid < b->named.lid ? -1 : 1;
		} else if ((c = strcmp(a->named.name, b->named.name)) != 0) {
			return c;
		}
	}
	if (ta != tb)
		return ta < tb ? -1 : 1;
	return 0;
}

static int keyed_cmp(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	int c = key_cmp(a->p, b->p);

	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

static void feed_u64(ps_sha256 *h, uint64_t v)
{
	uint8_t b[8];

	ps__put64(b, v);
	ps__sha256_update(h, b, 8);
}

static void feed_bytes(ps_sha256 *h, const void *data, size_t size)
{
	feed_u64(h, size);
	if (size)
		ps__sha256_update(h, data, size);
}

/* How a fingerprint is being made. */
struct fpx {
	unsigned before;   /* PS_REFS_AS_BEFORE: as before recipients were translated */
	int newer;         /* a value that the two ways count differently was met */
};

static void feed_prop(ps_sha256 *h, struct fpx *x, const ps_prop *p, enum level level)
{
	uint16_t id = PS_PROP_ID(p->tag), type = PS_PROP_TYPE(p->tag);
	uint8_t head[4];

	if (id < 0x8000) {
		ps__sha256_update(h, "T", 1);
		ps__put16(head, id);
	} else {
		ps__sha256_update(h, "N", 1);
		ps__sha256_update(h, canonical_guid(p)->bytes, 16);
		if (p->named.kind == PS_NAME_ID) {
			ps__sha256_update(h, "i", 1);
			feed_u64(h, p->named.lid);
		} else {
			ps__sha256_update(h, "s", 1);
			feed_bytes(h, p->named.name, strlen(p->named.name));
		}
		ps__put16(head, 0);
	}
	ps__put16(head + 2, canonical_type(type));
	ps__sha256_update(h, head, 4);
	if (type == PS_PT_STRING8) {
		/* hashed as the text it stands for, in the form a Unicode store keeps */
		char *text = ps_prop_to_utf8(p);
		size_t wsize = 0;
		uint8_t *wide = text ? ps_utf8_to_utf16le(text, &wsize) : NULL;
		if (wide) {
			feed_bytes(h, wide, wsize);
		} else {
			/* out of memory: the raw bytes still make a stable fingerprint */
			feed_bytes(h, p->data, p->size);
		}
		free(wide);
		free(text);
		return;
	}
	if (level == L_RECIPIENT ? ps_item_refs_recipient_prop(p) == PS_REFS_BLANKED :
	    level == L_MESSAGE && ps_item_refs_prop(p) == PS_REFS_BLANKED) {
		/* the same in a store and its translated copy (pstsync/item_refs.h) */
		uint8_t *blank = ps_item_refs_blank(p, x->before |
			(level == L_RECIPIENT ? PS_REFS_RECIPIENT : 0), &x->newer);
		if (blank) {
			feed_bytes(h, blank, p->size);
			free(blank);
			return;
		}
	}
	feed_bytes(h, p->data, p->size);
}

static void feed_propset(ps_sha256 *h, struct fpx *x, const ps_propset *set, enum level level)
{
	struct keyed small[64], *k = small;
	size_t i, n = 0;

	if (set->count > sizeof(small) / sizeof(small[0])) {
		k = malloc(set->count * sizeof(*k));
		if (!k) {
			/* out of memory: fall back to the set's own order (stable, if
			 * less forgiving) rather than fail a fingerprint */
			ps__sha256_update(h, "P", 1);
			for (i = 0; i < set->count; i++)
				if (counted(&set->props[i], level))
					feed_prop(h, x, &set->props[i], level);
			return;
		}
	}
	for (i = 0; i < set->count; i++) {
		if (!counted(&set->props[i], level))
			continue;
		k[n].p = &set->props[i];
		k[n].index = i;
		n++;
	}
	qsort(k, n, sizeof(*k), keyed_cmp);
	ps__sha256_update(h, "P", 1);
	for (i = 0; i < n; i++) {
		if (i > 0 && key_cmp(k[i - 1].p, k[i].p) == 0)
			continue; /* the first of equal keys counts, as in the writer */
		feed_prop(h, x, k[i].p, level);
	}
	ps__sha256_update(h, "p", 1);
	if (k != small)
		free(k);
}

static void feed_item(ps_sha256 *h, struct fpx *x, const ps_item *item, int depth)
{
	size_t i;

	ps__sha256_update(h, "M", 1);
	feed_propset(h, x, &item->props, L_MESSAGE);
	feed_u64(h, item->recipient_count);
	for (i = 0; i < item->recipient_count; i++)
		feed_propset(h, x, &item->recipients[i], L_RECIPIENT);
	feed_u64(h, item->attachment_count);
	for (i = 0; i < item->attachment_count; i++) {
		const ps_attachment *a = &item->attachments[i];
		feed_propset(h, x, &a->props, L_ATTACHMENT);
		if (a->embedded && depth < 64) {
			ps__sha256_update(h, "E", 1);
			feed_item(h, x, a->embedded, depth + 1);
		} else {
			ps__sha256_update(h, "-", 1);
		}
	}
	ps__sha256_update(h, "m", 1);
}

static int fingerprint(const ps_item *item, unsigned before, uint8_t out[PS_SYNC_FINGERPRINT_SIZE])
{
	ps_sha256 h;
	struct fpx x;

	x.before = before;
	x.newer = 0;
	ps__sha256_init(&h);
	ps__sha256_update(&h, "pstsync-fingerprint-1", 21);
	feed_item(&h, &x, item, 0);
	ps__sha256_final(&h, out);
	return x.newer;
}

void ps_sync_fingerprint(const ps_item *item, uint8_t out[PS_SYNC_FINGERPRINT_SIZE])
{
	(void)fingerprint(item, 0, out);
}

int ps_sync__fingerprints(const ps_item *item, uint8_t out[PS_SYNC_FINGERPRINT_SIZE])
{
	return fingerprint(item, 0, out);
}

int ps_sync__fingerprint_before(const ps_item *item, uint8_t out[PS_SYNC_FINGERPRINT_SIZE])
{
	return fingerprint(item, PS_REFS_AS_BEFORE, out);
}

const ps_prop *ps_sync_marker_find(const ps_item *item)
{
	size_t i;

	for (i = 0; i < item->props.count; i++)
		if (is_marker(&item->props.props[i]) &&
		    PS_PROP_TYPE(item->props.props[i].tag) == PS_PT_BINARY)
			return &item->props.props[i];
	return NULL;
}

/* Put the marker on @p item, replacing any earlier one (sync_int.h). */
int ps_sync__marker_set(ps_item *item, const uint8_t marker[PS_SYNC_MARKER_SIZE])
{
	ps_prop *p = (ps_prop *)ps_sync_marker_find(item);
	ps_prop *grown;
	uint8_t *data;
	char *name;

	data = malloc(PS_SYNC_MARKER_SIZE);
	if (!data)
		return ps_error_set(PS_ENOMEM, "out of memory");
	memcpy(data, marker, PS_SYNC_MARKER_SIZE);
	if (p) {
		free(p->data);
		p->data = data;
		p->size = PS_SYNC_MARKER_SIZE;
		return PS_OK;
	}
	name = ps__strdup(PS_SYNC_MARKER_NAME);
	grown = realloc(item->props.props, (item->props.count + 1) * sizeof(*grown));
	if (!name || !grown) {
		free(data);
		free(name);
		if (grown)
			item->props.props = grown;
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	item->props.props = grown;
	p = &grown[item->props.count++];
	memset(p, 0, sizeof(*p));
	/* the id is a placeholder: a writer maps the name to its own id */
	p->tag = PS_PROP_TAG(0xFFFE, PS_PT_BINARY);
	p->named.kind = PS_NAME_STRING;
	p->named.guid = PS_PSETID_PSTSYNC;
	p->named.name = name;
	p->data = data;
	p->size = PS_SYNC_MARKER_SIZE;
	return PS_OK;
}
