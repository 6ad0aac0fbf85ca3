/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Reading a message of [MS-PST] 2.4.5 into a ps_item with our own LTP
 * readers: the message's property context, the recipient table (subnode
 * 0x692, one property set a row), the attachment table (subnode 0x671)
 * whose rows name the attachment subnodes, each attachment's PC, and
 * embedded messages (PidTagAttachDataObject, a PT_OBJECT naming a subnode
 * of the attachment), which are read the same way, recursively. Named
 * properties get their names from the store's name-to-id map.
 *
 * A part that cannot be read (a damaged table, an attachment whose PC is
 * broken) is counted in ps_item.damaged and the rest is still read, as the
 * libpff backend does.
 */
#include "pst/msg.h"

#include "core/util.h"
#include "pstsync/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Turn LTP values into ps_prop with names for ids of 0x8000 and up. */
static int value_to_prop(const ps_nameid_map *map, const ps_ltp_value *v, uint16_t id,
	uint16_t type, ps_prop *out)
{
	const ps_prop_name *name;

	memset(out, 0, sizeof(*out));
	out->tag = PS_PROP_TAG(id, type);
	out->size = v->size;
	if (v->size) {
		out->data = malloc(v->size);
		if (!out->data)
			return ps_error_set(PS_ENOMEM, "out of memory");
		memcpy(out->data, v->value, v->size);
	}
	if (id >= 0x8000 && (name = ps_nameid_name(map, id)) != NULL) {
		out->named.kind = name->kind;
		out->named.guid = name->guid;
		out->named.lid = name->lid;
		if (name->kind == PS_NAME_STRING) {
			out->named.name = ps__strdup(name->name ? name->name : "");
			if (!out->named.name)
				return ps_error_set(PS_ENOMEM, "out of memory");
		}
	}
	return 0;
}

static int pc_to_propset(const ps_nameid_map *map, const ps_pc *pc, ps_propset *out)
{
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (pc->count == 0)
		return 0;
	out->props = calloc(pc->count, sizeof(ps_prop));
	if (!out->props)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; i < pc->count; i++) {
		const ps_ltp_value *v = &pc->props[i];
		rc = value_to_prop(map, v, v->id, v->type, &out->props[i]);
		out->count = i + 1;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Open the table in subnode @p sub_nid of @p parent. */
static int read_table_rows(const ps_hn *parent, uint32_t sub_nid, ps_tc *tc_out, int *open_out)
{
	const ps_sl_entry *e = ps_ndb_subnodes_find(&parent->sub, sub_nid);

	*open_out = 0;
	if (!e)
		return PS_ENOTFOUND;
	if (ps_tc_open_sub(tc_out, parent, e) < 0)
		return PS_EITEM;
	*open_out = 1;
	return 0;
}

static int row_to_propset(const ps_nameid_map *map, const ps_tc *tc, size_t r, ps_propset *out,
	unsigned *damaged)
{
	size_t c;
	int rc;

	memset(out, 0, sizeof(*out));
	out->props = calloc(tc->col_count + 1, sizeof(ps_prop));
	if (!out->props)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (c = 0; c < tc->col_count; c++) {
		ps_ltp_value v;
		rc = ps_tc_cell(tc, r, c, &v);
		if (rc == PS_ENOTFOUND)
			continue;
		if (rc < 0) {
			(*damaged)++;
			continue;
		}
		rc = value_to_prop(map, &v, PS_PROP_ID(tc->cols[c].tag), PS_PROP_TYPE(tc->cols[c].tag),
			&out->props[out->count]);
		out->count++;
		ps_ltp_value_clear(&v);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Rows in the order the row matrix keeps them (the order Outlook added them). */
static int cmp_row_index(const void *a, const void *b)
{
	const ps_tc_row *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

static int rows_in_matrix_order(const ps_tc *tc, size_t **order_out)
{
	ps_tc_row *rows;
	size_t *order, i;

	*order_out = NULL;
	rows = malloc((tc->row_count + 1) * sizeof(*rows));
	order = malloc((tc->row_count + 1) * sizeof(*order));
	if (!rows || !order) {
		free(rows);
		free(order);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	for (i = 0; i < tc->row_count; i++) {
		rows[i] = tc->rows[i];
		rows[i].id = (uint32_t)i;     /* remember the row's place in tc->rows */
	}
	qsort(rows, tc->row_count, sizeof(*rows), cmp_row_index);
	for (i = 0; i < tc->row_count; i++)
		order[i] = rows[i].id;
	free(rows);
	*order_out = order;
	return 0;
}

static int read_pc_message(const ps_nameid_map *map, const ps_pc *pc, uint32_t nid,
	const char *path, int depth, ps_item **out);

static int read_recipients(const ps_nameid_map *map, const ps_pc *pc, ps_item *item)
{
	ps_tc tc;
	size_t *order = NULL, r;
	int open = 0, rc;

	rc = read_table_rows(&pc->hn, PS_NID_RECIPIENT_TABLE, &tc, &open);
	if (rc == PS_ENOTFOUND)
		return 0;
	if (rc < 0) {
		item->damaged++;
		return 0;
	}
	if ((rc = rows_in_matrix_order(&tc, &order)) < 0)
		goto cleanup;
	if (tc.row_count) {
		item->recipients = calloc(tc.row_count, sizeof(ps_propset));
		PS_CHECK_ALLOC(item->recipients, rc);
	}
	for (r = 0; r < tc.row_count; r++) {
		rc = row_to_propset(map, &tc, order[r], &item->recipients[item->recipient_count++],
			&item->damaged);
		if (rc < 0)
			goto cleanup;
	}
cleanup:
	free(order);
	if (open)
		ps_tc_close(&tc);
	return rc;
}

static int read_attachment(const ps_nameid_map *map, const ps_pc *msg, uint32_t anid,
	const char *path, int depth, ps_item *item, ps_attachment *att)
{
	const ps_sl_entry *e = ps_ndb_subnodes_find(&msg->hn.sub, anid);
	const ps_ltp_value *v;
	ps_pc apc;
	int rc;

	if (!e || ps_pc_open_sub(&apc, &msg->hn, e) < 0) {
		item->damaged++;
		return 1;
	}
	if ((rc = pc_to_propset(map, &apc, &att->props)) < 0)
		goto cleanup;
	v = ps_pc_find(&apc, PS_PID_ATTACH_METHOD);
	att->kind = v && v->size == 4 ? (int)ps_get32(v->value) : 0;
	v = ps_pc_find(&apc, PS_PID_ATTACH_DATA);
	if (v && v->type == PS_PT_OBJECT && v->size >= 4) {
		/* An embedded message: a PT_OBJECT naming a subnode of the attachment. */
		const ps_sl_entry *me = ps_ndb_subnodes_find(&apc.hn.sub, ps_get32(v->value));
		ps_pc mpc;
		if (depth + 1 >= PS_MSG_MAX_DEPTH || !me || ps_pc_open_sub(&mpc, &apc.hn, me) < 0) {
			item->damaged++;
		} else {
			rc = read_pc_message(map, &mpc, me->nid, path, depth + 1, &att->embedded);
			ps_pc_close(&mpc);
			if (rc == PS_EITEM) {
				item->damaged++;
				rc = 0;
			}
		}
	}
cleanup:
	ps_pc_close(&apc);
	return rc;
}

static int read_attachments(const ps_nameid_map *map, const ps_pc *pc, const char *path,
	int depth, ps_item *item)
{
	ps_tc tc;
	size_t *order = NULL, r;
	int open = 0, rc;

	rc = read_table_rows(&pc->hn, PS_NID_ATTACHMENT_TABLE, &tc, &open);
	if (rc == PS_ENOTFOUND)
		return 0;
	if (rc < 0) {
		item->damaged++;
		return 0;
	}
	if ((rc = rows_in_matrix_order(&tc, &order)) < 0)
		goto cleanup;
	if (tc.row_count) {
		item->attachments = calloc(tc.row_count, sizeof(ps_attachment));
		PS_CHECK_ALLOC(item->attachments, rc);
	}
	for (r = 0; r < tc.row_count; r++) {
		ps_attachment *att = &item->attachments[item->attachment_count];
		rc = read_attachment(map, pc, tc.rows[order[r]].id, path, depth, item, att);
		if (rc < 0) {
			item->attachment_count++;
			goto cleanup;
		}
		if (rc == 0)
			item->attachment_count++;
		rc = 0;
	}
cleanup:
	free(order);
	if (open)
		ps_tc_close(&tc);
	return rc;
}

static int read_pc_message(const ps_nameid_map *map, const ps_pc *pc, uint32_t nid,
	const char *path, int depth, ps_item **out)
{
	ps_item *item;
	int rc;

	*out = NULL;
	item = calloc(1, sizeof(*item));
	if (!item)
		return ps_error_set(PS_ENOMEM, "out of memory");
	item->nid = nid;
	if ((rc = pc_to_propset(map, pc, &item->props)) < 0 ||
	    (rc = read_recipients(map, pc, item)) < 0 ||
	    (rc = read_attachments(map, pc, path, depth, item)) < 0) {
		ps_item_free(item);
		return rc;
	}
	*out = item;
	return 0;
}

static int msg_read(ps_ndb *ndb, const ps_nameid_map *map, uint32_t nid, const char *path,
	int props_only, ps_item **out)
{
	ps_nbt_entry e;
	ps_pc pc;
	char what[64];
	int rc;

	*out = NULL;
	if (ps_ndb_nbt_lookup(ndb, nid, &e) < 0)
		return ps_error_set(PS_ENOTFOUND, "no item 0x%x in '%s'", nid, path);
	snprintf(what, sizeof(what), "item 0x%x", nid);
	if (ps_pc_open(&pc, ndb, what, nid, e.bid_data, e.bid_sub) < 0)
		return ps_error_set(PS_EITEM, "cannot read item 0x%x of '%s': its properties are "
			"damaged", nid, path);
	if (props_only) {
		ps_item *item = calloc(1, sizeof(*item));
		rc = item ? pc_to_propset(map, &pc, &item->props) : ps_error_set(PS_ENOMEM, "out of memory");
		if (rc == 0) {
			item->nid = nid;
			*out = item;
		} else {
			ps_item_free(item);
		}
	} else {
		rc = read_pc_message(map, &pc, nid, path, 0, out);
	}
	ps_pc_close(&pc);
	if (rc == 0)
		(*out)->assoc = PS_NID_TYPE(nid) == PS_NID_TYPE_ASSOC_MESSAGE;
	return rc;
}

int ps_msg_read(ps_ndb *ndb, const ps_nameid_map *map, uint32_t nid, const char *path,
	ps_item **out)
{
	return msg_read(ndb, map, nid, path, 0, out);
}

int ps_msg_read_props(ps_ndb *ndb, const ps_nameid_map *map, uint32_t nid, const char *path,
	ps_item **out)
{
	return msg_read(ndb, map, nid, path, 1, out);
}

/* ---- recipients as they are stored, for a reader that fills every column ---- */

/* The same recipient: the display names agree where both have one. */
static int same_recipient(const ps_propset *a, const ps_propset *b)
{
	const ps_prop *x = ps_propset_find_id(a, 0x3001), *y = ps_propset_find_id(b, 0x3001);

	if (!x || !y)
		return 1;
	return x->size == y->size && (!x->size || memcmp(x->data, y->data, x->size) == 0);
}

static int exact_recipients(const ps_nameid_map *map, const ps_pc *pc, ps_item *item, int depth)
{
	ps_item mine;
	ps_tc tc;
	size_t *order = NULL, r;
	int open = 0, rc = 0;

	memset(&mine, 0, sizeof(mine));
	if (item->recipient_count) {
		if ((rc = read_recipients(map, pc, &mine)) < 0)
			goto cleanup;
		if (!mine.damaged && mine.recipient_count == item->recipient_count) {
			for (r = 0; r < mine.recipient_count; r++)
				if (!same_recipient(&mine.recipients[r], &item->recipients[r]))
					break;
			if (r == mine.recipient_count) {
				ps_propset *swap = item->recipients;
				item->recipients = mine.recipients;
				mine.recipients = swap;
			}
		}
	}
	/* embedded messages, found as read_attachments() finds them */
	if (depth + 1 >= PS_MSG_MAX_DEPTH || !item->attachment_count ||
	    read_table_rows(&pc->hn, PS_NID_ATTACHMENT_TABLE, &tc, &open) < 0)
		goto cleanup;
	if (tc.row_count != item->attachment_count || (rc = rows_in_matrix_order(&tc, &order)) < 0)
		goto cleanup;
	for (r = 0; r < tc.row_count && rc == 0; r++) {
		const ps_sl_entry *e = ps_ndb_subnodes_find(&pc->hn.sub, tc.rows[order[r]].id), *me;
		const ps_ltp_value *v;
		ps_pc apc, mpc;

		if (!item->attachments[r].embedded || !e || ps_pc_open_sub(&apc, &pc->hn, e) < 0)
			continue;
		v = ps_pc_find(&apc, PS_PID_ATTACH_DATA);
		me = v && v->type == PS_PT_OBJECT && v->size >= 4
			? ps_ndb_subnodes_find(&apc.hn.sub, ps_get32(v->value)) : NULL;
		if (me && ps_pc_open_sub(&mpc, &apc.hn, me) == 0) {
			rc = exact_recipients(map, &mpc, item->attachments[r].embedded, depth + 1);
			ps_pc_close(&mpc);
		}
		ps_pc_close(&apc);
	}
cleanup:
	for (r = 0; r < mine.recipient_count; r++)
		ps_propset_clear(&mine.recipients[r]);
	free(mine.recipients);
	free(order);
	if (open)
		ps_tc_close(&tc);
	return rc;
}

int ps_msg_exact_recipients(ps_ndb *ndb, const ps_nameid_map *map, uint32_t nid, ps_item *item)
{
	ps_nbt_entry e;
	ps_pc pc;
	size_t i;
	int rc, any = item->recipient_count > 0;

	for (i = 0; i < item->attachment_count; i++)
		any |= item->attachments[i].embedded != NULL;
	if (!any || ps_ndb_nbt_lookup(ndb, nid, &e) < 0)
		return 0;
	if (ps_pc_open(&pc, ndb, "item", nid, e.bid_data, e.bid_sub) < 0)
		return 0;
	rc = exact_recipients(map, &pc, item, 0);
	ps_pc_close(&pc);
	return rc;
}
