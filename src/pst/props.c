/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Small tools of the messaging layer on property arrays, node images and
 * property contexts: copying a PC's values out, setting and removing
 * values, reading a node back as an image, and rewriting a PC in place
 * while keeping the subnodes it does not own (see msg.h).
 */
#include "pst/msg.h"

#include "core/utf.h"
#include "core/util.h"
#include "pst/ltp_write.h"
#include "pstsync/errors.h"

#include <stdlib.h>
#include <string.h>

void ps_props_free(ps_prop *props, size_t count)
{
	size_t i;

	if (!props)
		return;
	for (i = 0; i < count; i++) {
		free(props[i].data);
		free(props[i].named.name);
	}
	free(props);
}

int ps_props_from_pc(const ps_pc *pc, ps_prop **props_out, size_t *count_out)
{
	ps_prop *props;
	size_t i;

	*props_out = NULL;
	*count_out = 0;
	props = calloc(pc->count + 1, sizeof(*props));
	if (!props)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; i < pc->count; i++) {
		const ps_ltp_value *v = &pc->props[i];
		props[i].tag = PS_PROP_TAG(v->id, v->type);
		props[i].size = v->size;
		if (v->size) {
			props[i].data = malloc(v->size);
			if (!props[i].data) {
				ps_props_free(props, i);
				return ps_error_set(PS_ENOMEM, "out of memory");
			}
			memcpy(props[i].data, v->value, v->size);
		}
	}
	*props_out = props;
	*count_out = pc->count;
	return 0;
}

int ps_props_set(ps_prop **props, size_t *count, uint32_t tag, const void *data, size_t size)
{
	uint8_t *copy = NULL;
	ps_prop *p;
	size_t i;

	if (size) {
		copy = malloc(size);
		if (!copy)
			return ps_error_set(PS_ENOMEM, "out of memory");
		memcpy(copy, data, size);
	}
	for (i = 0; i < *count; i++) {
		if (PS_PROP_ID((*props)[i].tag) == PS_PROP_ID(tag)) {
			free((*props)[i].data);
			(*props)[i].tag = tag;
			(*props)[i].data = copy;
			(*props)[i].size = size;
			return 0;
		}
	}
	p = realloc(*props, (*count + 1) * sizeof(*p));
	if (!p) {
		free(copy);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	*props = p;
	memset(&p[*count], 0, sizeof(*p));
	p[*count].tag = tag;
	p[*count].data = copy;
	p[*count].size = size;
	(*count)++;
	return 0;
}

void ps_props_remove_id(ps_prop *props, size_t *count, uint16_t id)
{
	size_t i, k = 0;

	for (i = 0; i < *count; i++) {
		if (PS_PROP_ID(props[i].tag) == id) {
			free(props[i].data);
			free(props[i].named.name);
			continue;
		}
		props[k++] = props[i];
	}
	*count = k;
}

int ps_props_set_long(ps_prop **props, size_t *count, uint16_t id, uint32_t value)
{
	uint8_t v[4];

	ps__put32(v, value);
	return ps_props_set(props, count, PS_PROP_TAG(id, PS_PT_LONG), v, 4);
}

int ps_props_set_bool(ps_prop **props, size_t *count, uint16_t id, int value)
{
	uint8_t v = value ? 1 : 0;

	return ps_props_set(props, count, PS_PROP_TAG(id, PS_PT_BOOLEAN), &v, 1);
}

int ps_props_set_unicode(ps_prop **props, size_t *count, uint16_t id, const char *text)
{
	size_t size = 0;
	uint8_t *w = ps_utf8_to_utf16le(text, &size);
	int rc;

	if (!w)
		return ps_error_set(PS_ENOMEM, "out of memory");
	rc = ps_props_set(props, count, PS_PROP_TAG(id, PS_PT_UNICODE), w, size);
	free(w);
	return rc;
}

int ps_image_from_node(ps_ndb *ndb, uint64_t bid_data, uint64_t bid_sub, ps_node_image *out)
{
	ps_ndb_data data;
	ps_ndb_subnodes sub;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&sub, 0, sizeof(sub));
	if (bid_data) {
		if ((rc = ps_ndb_data_read(ndb, bid_data, &data)) < 0)
			return rc;
		for (i = 0; i < data.count && rc >= 0; i++)
			rc = ps_node_image_add_block(out, data.blocks[i], data.sizes[i]);
		ps_ndb_data_free(&data);
		if (rc < 0)
			goto fail;
	}
	if (bid_sub) {
		if ((rc = ps_ndb_subnodes_read(ndb, bid_sub, &sub)) < 0)
			goto fail;
		for (i = 0; i < sub.count; i++) {
			ps_node_image child;
			if ((rc = ps_image_from_node(ndb, sub.entries[i].bid_data, sub.entries[i].bid_sub,
				&child)) < 0)
				goto fail;
			if ((rc = ps_node_image_add_sub(out, sub.entries[i].nid, &child)) < 0) {
				ps_node_image_clear(&child);
				goto fail;
			}
		}
		ps_ndb_subnodes_free(&sub);
	}
	return 0;
fail:
	ps_ndb_subnodes_free(&sub);
	ps_node_image_clear(out);
	return rc;
}

uint64_t ps_image_total(const ps_node_image *img)
{
	uint64_t total = ps_node_image_size(img);
	size_t i;

	for (i = 0; i < img->sub_count; i++)
		total += ps_image_total(&img->subs[i].image);
	return total;
}

int ps_ltp_alloc_nid(void *ctx, uint32_t *nid_out)
{
	uint32_t *last = ctx;

	(*last)++;
	*nid_out = PS_NID_MAKE(PS_NID_TYPE_LTP, *last);
	return 0;
}

int ps_pc_rewrite(ps_ndb *ndb, ps_ndb_tx *tx, uint32_t nid, uint32_t parent,
	const ps_prop *props, size_t count)
{
	ps_node_image img, old;
	ps_nbt_entry e;
	uint32_t last = 0x400;
	ps_pc pc;
	size_t i, j;
	int rc, pc_open = 0;

	memset(&img, 0, sizeof(img));
	memset(&old, 0, sizeof(old));
	if ((rc = ps_ndb_tx_lookup(tx, nid, &e)) < 0)
		return rc;
	if (e.bid_sub) {
		/* The old subnodes: those its PC used for values go, the rest stay. */
		if ((rc = ps_pc_open(&pc, ndb, "", nid, e.bid_data, e.bid_sub)) < 0)
			return rc;
		pc_open = 1;
		if ((rc = ps_image_from_node(ndb, 0, e.bid_sub, &old)) < 0)
			goto cleanup;
		for (i = 0; i < old.sub_count; i++) {
			uint32_t snid = old.subs[i].nid;
			/* values get NIDs above every subnode kept */
			if (snid >> 5 > last)
				last = snid >> 5;
		}
	}
	if ((rc = ps_pc_build(props, count, ps_ltp_alloc_nid, &last, &img)) < 0)
		goto cleanup;
	for (i = 0; i < old.sub_count; i++) {
		int used = 0;
		for (j = 0; pc_open && j < pc.count; j++)
			if (pc.props[j].where == PS_PROP_SUBNODE && pc.props[j].hnid == old.subs[i].nid)
				used = 1;
		if (used)
			continue;
		if ((rc = ps_node_image_add_sub(&img, old.subs[i].nid, &old.subs[i].image)) < 0)
			goto cleanup;
	}
	rc = ps_ndb_tx_put_node(tx, nid, parent, &img);
cleanup:
	if (pc_open)
		ps_pc_close(&pc);
	ps_node_image_clear(&img);
	ps_node_image_clear(&old);
	return rc;
}

/* Mark the blocks of @p img equal to those of the node data @p bid_data as shared. */
static int share_data(ps_ndb *ndb, uint64_t bid_data, ps_node_image *img)
{
	ps_ndb_data old;
	size_t i;
	int rc;

	if (!bid_data || img->block_count == 0)
		return 0;
	if ((rc = ps_ndb_data_read(ndb, bid_data, &old)) < 0)
		return 0;              /* unreadable: nothing is shared, all is written anew */
	for (i = 0; i < img->block_count && i < old.count; i++) {
		ps_node_block *b = &img->blocks[i];
		if (b->size == old.sizes[i] && memcmp(b->data, old.blocks[i], b->size) == 0)
			b->bid = old.bids[i];
	}
	ps_ndb_data_free(&old);
	return 0;
}

int ps_image_share_blocks(ps_ndb *ndb, uint32_t nid, ps_node_image *img)
{
	ps_ndb_subnodes sub;
	ps_nbt_entry e;
	size_t i;
	int rc;

	if (ps_ndb_nbt_lookup(ndb, nid, &e) < 0)
		return 0;
	if ((rc = share_data(ndb, e.bid_data, img)) < 0)
		return rc;
	if (!e.bid_sub || img->sub_count == 0 || ps_ndb_subnodes_read(ndb, e.bid_sub, &sub) < 0)
		return 0;
	for (i = 0; i < img->sub_count; i++) {
		const ps_sl_entry *old = ps_ndb_subnodes_find(&sub, img->subs[i].nid);
		if (old && (rc = share_data(ndb, old->bid_data, &img->subs[i].image)) < 0)
			break;
	}
	ps_ndb_subnodes_free(&sub);
	return rc < 0 ? rc : 0;
}
