/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * libFuzzer target for the reader of entry IDs inside item properties
 * (src/core/item_refs.c): a list's members (a multi-valued binary), linked
 * contacts and reply-to entries (FlatEntryLists), a contact's event
 * entry IDs, and a recipient's entry IDs (the event's value again, made a
 * Contacts Address Book entry when the input says so), as any store may
 * hold them. The input is split at its first
 * two bytes into the values of these properties; each item is translated
 * (with a map that knows every NID) and fingerprinted, which blanks the
 * entry IDs in a copy. Values keep their size: the target checks it.
 */
#include "pstsync/item_refs.h"
#include "pstsync/propnames.h"
#include "pstsync/sync.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NPROPS 5

static uint32_t any_nid(void *ctx, uint32_t nid)
{
	(void)ctx;
	return nid ^ 0x20u;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct { const ps_guid *set; uint16_t lid, id, type; } kinds[NPROPS] = {
		{ &PS_PSETID_ADDRESS, 0x8055, 0x8000, PS_PT_MV | PS_PT_BINARY },
		{ &PS_PSETID_ADDRESS, 0x804C, 0x8001, PS_PT_LONG },
		{ &PS_PSETID_COMMON, 0x8585, 0x8002, PS_PT_BINARY },
		{ &PS_PSETID_ADDRESS, 0x804D, 0x8003, PS_PT_BINARY },
		{ NULL, 0, 0x004F, PS_PT_BINARY },
	};
	uint8_t key[2][16], fp[PS_SYNC_FINGERPRINT_SIZE];
	static const uint8_t contab[36] = {
		0, 0, 0, 0, 0xFE, 0x42, 0xAA, 0x0A, 0x18, 0xC7, 0x1A, 0x10, 0xE8, 0x85, 0x0B, 0x65,
		0x1C, 0x24, 0x00, 0x00, 3, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0
	};
	ps_prop props[NPROPS], rprops[2];
	ps_propset rcpt;
	size_t sizes[NPROPS], i, at = 0, cut;
	ps_item item;

	if (size < 2)
		return 0;
	memset(props, 0, sizeof(props));
	memset(rprops, 0, sizeof(rprops));
	memset(&item, 0, sizeof(item));
	memset(key[0], 0, 16);
	memset(key[1], 0xA5, 16);
	/* the first two bytes cut the rest among the properties */
	cut = size - 2;
	sizes[0] = data[0] * cut / 255;
	sizes[1] = 4;
	sizes[2] = data[1] * (cut - sizes[0]) / 255;
	sizes[3] = (cut - sizes[0] - sizes[2]) / 2;
	sizes[4] = cut - sizes[0] - sizes[2] - sizes[3];
	data += 2;
	for (i = 0; i < NPROPS; i++) {
		size_t n = i == 1 ? 4 : sizes[i];
		props[i].tag = (uint32_t)kinds[i].id << 16 | kinds[i].type;
		if (kinds[i].set) {
			props[i].named.kind = PS_NAME_ID;
			props[i].named.guid = *kinds[i].set;
			props[i].named.lid = kinds[i].lid;
		}
		props[i].size = n;
		props[i].data = malloc(n ? n : 1);
		if (!props[i].data)
			goto cleanup;
		if (i == 1) {
			memset(props[i].data, 0, 4);
			continue;
		}
		memcpy(props[i].data, data + at, n);
		/* entry IDs of the source store, so that the translation has work */
		if (n >= 24 && data[at] & 1)
			memcpy(props[i].data + n - 20, key[0], 16);
		at += n;
	}
	item.props.props = props;
	item.props.count = NPROPS;
	for (i = 0; i < 2; i++) {
		rprops[i].tag = i ? 0x5FF70102u : 0x0FFF0102u;
		rprops[i].size = sizes[3];
		if (!(rprops[i].data = malloc(sizes[3] ? sizes[3] : 1)))
			goto cleanup;
		memcpy(rprops[i].data, props[3].data, sizes[3]);
		if (sizes[3] >= sizeof(contab) && (props[3].data[0] & 2))
			memcpy(rprops[i].data, contab, sizeof(contab));
	}
	rcpt.props = rprops;
	rcpt.count = 2;
	item.recipients = &rcpt;
	item.recipient_count = 1;
	(void)ps_item_refs_has(&item);
	ps_sync_fingerprint(&item, fp);
	(void)ps_item_refs_translate(&item, key[0], key[1], any_nid, NULL, NULL);
	ps_sync_fingerprint(&item, fp);
	for (i = 0; i < NPROPS; i++) {
		uint8_t *b = ps_item_refs_blank(&props[i], (unsigned)i & 3u, NULL);
		free(b);
		if (i != 1 && props[i].size != sizes[i])
			abort();
	}
	for (i = 0; i < 2; i++) {
		uint8_t *b = ps_item_refs_blank(&rprops[i], PS_REFS_RECIPIENT | (unsigned)i * 2u, NULL);
		free(b);
		if (rprops[i].size != sizes[3])
			abort();
	}
cleanup:
	for (i = 0; i < NPROPS; i++)
		free(props[i].data);
	for (i = 0; i < 2; i++)
		free(rprops[i].data);
	return 0;
}
