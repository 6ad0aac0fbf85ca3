/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Items and property sets: freeing them, finding properties, and turning the
 * raw value bytes of a property into what a front end shows (UTF-8 strings,
 * integers). Values stay raw everywhere else, so that copying an item between
 * stores never reinterprets them.
 */
#include "pstsync/item.h"
#include "core/utf.h"

#include <stdlib.h>
#include <string.h>

void ps_propset_clear(ps_propset *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->count; i++) {
		free(set->props[i].data);
		free(set->props[i].named.name);
	}
	free(set->props);
	set->props = NULL;
	set->count = 0;
}

void ps_item_free(ps_item *item)
{
	size_t i;

	if (!item)
		return;
	ps_propset_clear(&item->props);
	for (i = 0; i < item->recipient_count; i++)
		ps_propset_clear(&item->recipients[i]);
	free(item->recipients);
	for (i = 0; i < item->attachment_count; i++) {
		ps_propset_clear(&item->attachments[i].props);
		ps_item_free(item->attachments[i].embedded);
	}
	free(item->attachments);
	free(item);
}

const ps_prop *ps_propset_find(const ps_propset *set, uint32_t tag)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (set->props[i].tag == tag)
			return &set->props[i];
	return NULL;
}

const ps_prop *ps_propset_find_id(const ps_propset *set, uint16_t id)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (PS_PROP_ID(set->props[i].tag) == id)
			return &set->props[i];
	return NULL;
}

char *ps_prop_to_utf8(const ps_prop *prop)
{
	if (!prop)
		return NULL;
	switch (PS_PROP_TYPE(prop->tag)) {
	case PS_PT_UNICODE:
		return ps_utf16le_to_utf8(prop->data, prop->size);
	case PS_PT_STRING8:
		return ps_string8_to_utf8(prop->data, prop->size);
	default:
		return NULL;
	}
}

static uint64_t read_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 8) | p[n];
	return v;
}

int64_t ps_prop_int(const ps_prop *prop, int64_t fallback)
{
	if (!prop || !prop->data)
		return fallback;
	switch (PS_PROP_TYPE(prop->tag)) {
	case PS_PT_SHORT:
		return prop->size >= 2 ? (int16_t)read_le(prop->data, 2) : fallback;
	case PS_PT_LONG:
	case PS_PT_ERROR:
		return prop->size >= 4 ? (int32_t)read_le(prop->data, 4) : fallback;
	case PS_PT_BOOLEAN:
		return prop->size >= 1 ? (prop->data[0] != 0) : fallback;
	case PS_PT_LONGLONG:
	case PS_PT_SYSTIME:
	case PS_PT_CURRENCY:
		return prop->size >= 8 ? (int64_t)read_le(prop->data, 8) : fallback;
	default:
		return fallback;
	}
}

size_t ps_prop_fixed_size(uint16_t type)
{
	switch (type & ~PS_PT_MV) {
	case PS_PT_SHORT: return 2;
	case PS_PT_LONG: case PS_PT_FLOAT: case PS_PT_ERROR: return 4;
	case PS_PT_BOOLEAN: return (type & PS_PT_MV) ? 0 : 1;
	case PS_PT_DOUBLE: case PS_PT_CURRENCY: case PS_PT_APPTIME:
	case PS_PT_LONGLONG: case PS_PT_SYSTIME: return 8;
	case PS_PT_CLSID: return 16;
	default: return 0;
	}
}
