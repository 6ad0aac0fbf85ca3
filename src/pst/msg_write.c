/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Building the node of a message ([MS-PST] 2.4.5, 2.4.6) from a ps_item as
 * a reader gives it, for the store backend to write:
 *
 *   message PC
 *   ├─ 0x692  recipient table (one row a recipient), when there are any
 *   ├─ 0x671  attachment table (one row an attachment), when there are any
 *   ├─ 0x..5  one attachment PC each (NID type 5)
 *   │   └─ 0x..4  the embedded message, a whole message node again
 *   └─ 0x..1F large values of the PC, as the LTP builder places them
 *
 * What belongs to the store and not to the item is computed here, not
 * copied: PidTagLtpRowId/RowVer, PidTagMessageSize (the bytes of the
 * message node and all its subnodes: checked against every Outlook-made
 * message of the samples, see build/notes/messaging.md), PidTagAttachSize
 * (the sum of the attachment's property sizes, PT_OBJECT excluded, plus the
 * embedded message's size: again as Outlook computes it), the NID of an
 * embedded message (from the store's message counter, as Outlook does).
 * Named properties get this store's ids. A property of type 0x0000, of an
 * unknown type or with a fixed-size value of the wrong size, or a named
 * one without a name, cannot be written and is left out and counted.
 */
#include "pst/msg.h"

#include "core/utf.h"
#include "core/util.h"
#include "pst/ltp_write.h"
#include "pstsync/errors.h"
#include "pstsync/propnames.h"

#include <stdlib.h>
#include <string.h>

enum level { L_MESSAGE, L_ATTACHMENT, L_RECIPIENT };

/* Subnode NIDs of one node: one index counter for every type, from 0x401
 * up, as Outlook numbers them (0x8025, 0x803F, ...). */
struct nidgen {
	uint32_t next;
};

static uint32_t nidgen_new(struct nidgen *g, unsigned type)
{
	g->next++;
	return PS_NID_MAKE(type, g->next);
}

static int nidgen_ltp(void *ctx, uint32_t *nid_out)
{
	*nid_out = nidgen_new(ctx, PS_NID_TYPE_LTP);
	return 0;
}

static int store_specific(enum level level, uint16_t id)
{
	if (id == PS_PID_LTP_ROW_ID || id == PS_PID_LTP_ROW_VER || id == PS_PID_LTP_PARENT_NID)
		return 1;
	if (level == L_MESSAGE)
		return id == PS_PID_MESSAGE_SIZE;
	if (level == L_ATTACHMENT)
		return id == PS_PID_ATTACH_SIZE;
	return 0;
}

static int has_id(const ps_prop *props, size_t n, uint16_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (PS_PROP_ID(props[i].tag) == id)
			return 1;
	return 0;
}

static int is_unicode_column(const uint32_t *cols, size_t ncols, uint16_t id)
{
	size_t i;

	for (i = 0; i < ncols; i++)
		if (cols[i] == PS_PROP_TAG(id, PS_PT_UNICODE))
			return 1;
	return 0;
}

/*
 * The properties of @p in as this store writes them: store-specific ones
 * out, named ones with this store's ids, unwritable ones out and counted.
 * A PT_STRING8 value whose id is a PT_UNICODE column of the table the
 * object has a row in (subject, message class, file name...) becomes
 * PT_UNICODE, so that the object and its row agree.
 */
static int filter_props(ps_msg_build_ctx *ctx, const ps_propset *in, enum level level,
	const uint32_t *row_cols, size_t nrow_cols, ps_prop **out, size_t *nout)
{
	static const uint8_t zero_guid[16];
	ps_prop *props;
	size_t i, n = 0;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	props = calloc(in->count + 4, sizeof(*props));
	if (!props)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; i < in->count; i++) {
		const ps_prop *p = &in->props[i];
		uint16_t id = PS_PROP_ID(p->tag), type = PS_PROP_TYPE(p->tag);
		int fixed = ps_prop_type_size(type);
		ps_prop *q;

		if (type == PS_PT_OBJECT || store_specific(level, id))
			continue;
		if (type == PS_PT_UNSPECIFIED || fixed < 0 || (fixed > 0 && p->size != (size_t)fixed) ||
		    (p->size && !p->data)) {
			ctx->skipped++;
			continue;
		}
		if (id >= 0x8000) {
			ps_prop_name name = p->named;
			if (name.kind != PS_NAME_ID && name.kind != PS_NAME_STRING) {
				ctx->skipped++;
				continue;
			}
			/* libpff gives numeric names in PS_MAPI and PS_PUBLIC_STRINGS an
			 * all-zero GUID; no property set is all zero, and Outlook's own
			 * numeric names outside a GUID of the stream are in PS_PUBLIC_STRINGS. */
			if (name.kind == PS_NAME_ID && memcmp(name.guid.bytes, zero_guid, 16) == 0)
				name.guid = ps_guid_public_strings;
			if ((rc = ps_nameid_add(ctx->map, &name, &id)) < 0)
				goto fail;
		}
		if (has_id(props, n, id)) {
			ctx->skipped++;
			continue;
		}
		q = &props[n];
		memset(q, 0, sizeof(*q));
		if (type == PS_PT_STRING8 && is_unicode_column(row_cols, nrow_cols, id)) {
			char *text = ps_string8_to_utf8(p->data, p->size);
			size_t wsize = 0;
			uint8_t *w = text ? ps_utf8_to_utf16le(text, &wsize) : NULL;
			free(text);
			PS_CHECK_ALLOC(w, rc);
			q->tag = PS_PROP_TAG(id, PS_PT_UNICODE);
			q->data = w;
			q->size = wsize;
		} else {
			q->tag = PS_PROP_TAG(id, type);
			q->size = p->size;
			if (p->size) {
				q->data = malloc(p->size);
				PS_CHECK_ALLOC(q->data, rc);
				memcpy(q->data, p->data, p->size);
			}
		}
		n++;
	}
	*out = props;
	*nout = n;
	return 0;
cleanup:
fail:
	ps_props_free(props, n);
	return rc;
}

/* The size a property counts for in PidTagAttachSize. */
static size_t prop_size(const ps_prop *p)
{
	return p->size;
}

/*
 * A table from rows of properties: the columns @p base (in order) and, with
 * @p extra, any other tag the rows carry, sorted; cells by exact tag.
 */
static int build_table(const uint32_t *base, size_t nbase, int extra, ps_prop **rows,
	size_t *counts, const uint32_t *row_ids, size_t nrows, ps_node_image *out)
{
	ps_tc_build_col *cols = NULL;
	ps_tc_build_row *brows = NULL;
	ps_prop *cells = NULL;
	struct nidgen gen;
	size_t ncols = 0, cap, i, j, k;
	int rc = 0;

	cap = nbase + 8;
	cols = malloc(cap * sizeof(*cols));
	PS_CHECK_ALLOC(cols, rc);
	for (i = 0; i < nbase; i++)
		cols[ncols++].tag = base[i];
	for (i = 0; extra && i < nrows; i++) {
		for (j = 0; j < counts[i]; j++) {
			uint32_t tag = rows[i][j].tag;
			for (k = 0; k < ncols && cols[k].tag != tag; k++)
				;
			if (k < ncols)
				continue;
			if (ncols == cap) {
				ps_tc_build_col *c;
				cap *= 2;
				c = realloc(cols, cap * sizeof(*cols));
				PS_CHECK_ALLOC(c, rc);
				cols = c;
			}
			/* keep the extra columns sorted by tag after the base ones */
			for (k = ncols; k > nbase && cols[k - 1].tag > tag; k--)
				cols[k] = cols[k - 1];
			cols[k].tag = tag;
			ncols++;
		}
	}
	if (ncols > 253) {
		rc = ps_error_set(PS_EUNSUPPORTED, "a table would need %zu columns (253 at most)", ncols);
		goto cleanup;
	}
	brows = calloc(nrows + 1, sizeof(*brows));
	cells = calloc(nrows * ncols + 1, sizeof(*cells));
	PS_CHECK_ALLOC(brows && cells, rc);
	for (i = 0; i < nrows; i++) {
		brows[i].row_id = row_ids[i];
		brows[i].cells = cells + i * ncols;
		for (j = 0; j < counts[i]; j++) {
			for (k = 0; k < ncols; k++) {
				if (cols[k].tag == rows[i][j].tag) {
					ps_prop *c = &cells[i * ncols + k];
					c->tag = rows[i][j].tag;
					c->size = rows[i][j].size;
					/* present and empty: data non-NULL with size 0 */
					c->data = rows[i][j].data ? rows[i][j].data : (uint8_t *)"";
					break;
				}
			}
		}
	}
	gen.next = 0x400;
	rc = ps_tc_build(cols, ncols, brows, nrows, nidgen_ltp, &gen, out);
cleanup:
	free(cols);
	free(brows);
	free(cells);
	return rc;
}

static int build_message(ps_msg_build_ctx *ctx, const ps_item *item, int depth,
	ps_node_image *out, ps_prop **props_out, size_t *count_out, uint32_t *size_out);

/* One attachment: its PC (with the embedded message below it) into @p img,
 * its properties as written into *props for the attachment table row. */
static int build_attachment(ps_msg_build_ctx *ctx, const ps_attachment *att, int depth,
	ps_node_image *img, ps_prop **props_out, size_t *count_out)
{
	ps_node_image emb;
	ps_prop *props = NULL, *eprops = NULL;
	size_t n = 0, ne = 0, i;
	struct nidgen gen;
	uint64_t total = 0;
	uint32_t esize = 0, enid = 0;
	int rc;

	memset(&emb, 0, sizeof(emb));
	*props_out = NULL;
	*count_out = 0;
	if ((rc = filter_props(ctx, &att->props, L_ATTACHMENT, ctx->att_cols, ctx->natt_cols,
		&props, &n)) < 0)
		return rc;
	/* Outlook gives every attachment a rendering position; -1 is "none". */
	if (!has_id(props, n, PS_PID_RENDERING_POSITION) &&
	    (rc = ps_props_set_long(&props, &n, PS_PID_RENDERING_POSITION, 0xFFFFFFFFu)) < 0)
		goto cleanup;
	if (att->embedded) {
		uint8_t obj[8];
		if (depth + 1 >= PS_MSG_MAX_DEPTH) {
			rc = ps_error_set(PS_EINVAL, "embedded messages nest deeper than %d levels",
				PS_MSG_MAX_DEPTH);
			goto cleanup;
		}
		if ((rc = ps_ndb_tx_new_nid(ctx->tx, PS_NID_TYPE_NORMAL_MESSAGE, &enid)) < 0 ||
		    (rc = build_message(ctx, att->embedded, depth + 1, &emb, &eprops, &ne, &esize)) < 0)
			goto cleanup;
		ps__put32(obj, enid);
		ps__put32(obj + 4, esize);
		if ((rc = ps_props_set(&props, &n, PS_PROP_TAG(PS_PID_ATTACH_DATA, PS_PT_OBJECT), obj, 8)) < 0)
			goto cleanup;
	}
	/* PidTagAttachSize: every property but the object, plus the embedded
	 * message; its own 4 bytes count too. */
	total = 4 + esize;
	for (i = 0; i < n; i++)
		if (PS_PROP_TYPE(props[i].tag) != PS_PT_OBJECT)
			total += prop_size(&props[i]);
	if ((rc = ps_props_set_long(&props, &n, PS_PID_ATTACH_SIZE,
		total > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)total)) < 0)
		goto cleanup;
	gen.next = 0x400;
	if ((rc = ps_pc_build(props, n, nidgen_ltp, &gen, img)) < 0)
		goto cleanup;
	if (att->embedded) {
		if ((rc = ps_node_image_add_sub(img, enid, &emb)) < 0)
			goto cleanup;
	}
	*props_out = props;
	*count_out = n;
	props = NULL;
	n = 0;
cleanup:
	ps_node_image_clear(&emb);
	ps_props_free(eprops, ne);
	ps_props_free(props, n);
	return rc;
}

/*
 * A recipient row holds what its source had; only what [MS-OXCMSG] 2.2.1
 * requires of every recipient gets a value when missing: PidTagRecipientType
 * (MAPI_TO) and PidTagDisplayName (empty). A PidTagObjectType of 0 is no
 * object type at all: a recipient is MAPI_MAILUSER (6), or MAPI_DISTLIST (8)
 * when its display type says it is a list (DT_DISTLIST 1, DT_PRIVATE_DISTLIST 5).
 */
static int required_recipient_cells(ps_prop **row, size_t *n)
{
	const ps_prop *type = NULL, *display = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < *n; i++) {
		uint16_t id = PS_PROP_ID((*row)[i].tag);
		if (id == 0x0FFE && (*row)[i].size == 4)
			type = &(*row)[i];
		else if (id == 0x3900 && (*row)[i].size == 4)
			display = &(*row)[i];
	}
	if (type && ps_get32(type->data) == 0) {
		uint32_t dt = display ? ps_get32(display->data) : 0;
		rc = ps_props_set_long(row, n, 0x0FFE, dt == 1 || dt == 5 ? 8 : 6);
	}
	if (rc == 0 && !has_id(*row, *n, 0x0C15))
		rc = ps_props_set_long(row, n, 0x0C15, 1);
	if (rc == 0 && !has_id(*row, *n, 0x3001))
		rc = ps_props_set(row, n, PS_PROP_TAG(0x3001, PS_PT_UNICODE), NULL, 0);
	return rc;
}

static int build_recipients(ps_msg_build_ctx *ctx, const ps_item *item, ps_node_image *out)
{
	ps_prop **rows;
	size_t *counts, i;
	uint32_t *ids;
	int rc = 0;

	rows = calloc(item->recipient_count, sizeof(*rows));
	counts = calloc(item->recipient_count, sizeof(*counts));
	ids = calloc(item->recipient_count, sizeof(*ids));
	PS_CHECK_ALLOC(rows && counts && ids, rc);
	for (i = 0; i < item->recipient_count; i++) {
		if ((rc = filter_props(ctx, &item->recipients[i], L_RECIPIENT, ctx->recip_cols,
			ctx->nrecip_cols, &rows[i],
			&counts[i])) < 0 ||
		    (rc = required_recipient_cells(&rows[i], &counts[i])) < 0)
			goto cleanup;
		ids[i] = (uint32_t)i;
	}
	rc = build_table(ctx->recip_cols, ctx->nrecip_cols, 1, rows, counts, ids, item->recipient_count, out);
cleanup:
	for (i = 0; rows && i < item->recipient_count; i++)
		ps_props_free(rows[i], counts[i]);
	free(rows);
	free(counts);
	free(ids);
	return rc;
}

/*
 * PidLidReferenceEntryId ([MS-OXOCNTC]: Outlook stores a contact's own entry
 * ID in it) names the item in the store it is written to, not the one it
 * was copied from.
 */
static void own_entry_id(const ps_msg_build_ctx *ctx, ps_prop *props, size_t n)
{
	size_t i;

	if (!ctx->record_key || !ctx->self_nid)
		return;
	for (i = 0; i < n; i++) {
		const ps_prop_name *nm = ctx->map ? ps_nameid_name(ctx->map, PS_PROP_ID(props[i].tag))
			: NULL;
		if (PS_PROP_ID(props[i].tag) < 0x8000 || PS_PROP_TYPE(props[i].tag) != PS_PT_BINARY ||
		    props[i].size != 24 || !nm || nm->kind != PS_NAME_ID || nm->lid != 0x85BD ||
		    memcmp(nm->guid.bytes, PS_PSETID_COMMON.bytes, 16) != 0)
			continue;
		memset(props[i].data, 0, 4);
		memcpy(props[i].data + 4, ctx->record_key, 16);
		ps__put32(props[i].data + 20, ctx->self_nid);
	}
}

static int build_message(ps_msg_build_ctx *ctx, const ps_item *item, int depth,
	ps_node_image *out, ps_prop **props_out, size_t *count_out, uint32_t *size_out)
{
	static const uint32_t contents_strings[] = {
		0x001A001F, 0x0037001F, 0x0042001F, 0x0E03001F, 0x0E04001F, 0x0070001F
	};
	ps_node_image subs, pc;
	ps_prop *props = NULL, **arows = NULL;
	size_t n = 0, *acounts = NULL, i;
	uint32_t *aids = NULL;
	struct nidgen gen, saved;
	uint64_t total;
	int rc;

	memset(&subs, 0, sizeof(subs));
	memset(&pc, 0, sizeof(pc));
	memset(out, 0, sizeof(*out));
	*props_out = NULL;
	*count_out = 0;
	*size_out = 0;
	gen.next = 0x400;
	if ((rc = filter_props(ctx, &item->props, L_MESSAGE, contents_strings,
		sizeof(contents_strings) / sizeof(contents_strings[0]), &props, &n)) < 0)
		return rc;
	if (depth == 0)
		own_entry_id(ctx, props, n);
	if (item->recipient_count) {
		ps_node_image t;
		if ((rc = build_recipients(ctx, item, &t)) < 0 ||
		    (rc = ps_node_image_add_sub(&subs, PS_NID_RECIPIENT_TABLE, &t)) < 0) {
			ps_node_image_clear(&t);
			goto cleanup;
		}
	}
	if (item->attachment_count) {
		ps_node_image t;
		arows = calloc(item->attachment_count, sizeof(*arows));
		acounts = calloc(item->attachment_count, sizeof(*acounts));
		aids = calloc(item->attachment_count, sizeof(*aids));
		PS_CHECK_ALLOC(arows && acounts && aids, rc);
		for (i = 0; i < item->attachment_count; i++) {
			ps_node_image a;
			aids[i] = nidgen_new(&gen, PS_NID_TYPE_ATTACHMENT);
			if ((rc = build_attachment(ctx, &item->attachments[i], depth, &a, &arows[i],
				&acounts[i])) < 0)
				goto cleanup;
			if ((rc = ps_node_image_add_sub(&subs, aids[i], &a)) < 0) {
				ps_node_image_clear(&a);
				goto cleanup;
			}
		}
		if ((rc = build_table(ctx->att_cols, ctx->natt_cols, 0, arows, acounts, aids,
			item->attachment_count, &t)) < 0)
			goto cleanup;
		/* The attachment table has exactly the template's columns. */
		if ((rc = ps_node_image_add_sub(&subs, PS_NID_ATTACHMENT_TABLE, &t)) < 0) {
			ps_node_image_clear(&t);
			goto cleanup;
		}
	}
	/* PidTagMessageSize is the whole node in bytes: build the PC once to
	 * learn its size (a PT_LONG sits in the PC record, so its value does not
	 * change the layout), then again with the value. */
	if ((rc = ps_props_set_long(&props, &n, PS_PID_MESSAGE_SIZE, 0)) < 0)
		goto cleanup;
	saved = gen;
	if ((rc = ps_pc_build(props, n, nidgen_ltp, &gen, &pc)) < 0)
		goto cleanup;
	total = ps_image_total(&pc) + ps_image_total(&subs);
	ps_node_image_clear(&pc);
	gen = saved;
	*size_out = total > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)total;
	if ((rc = ps_props_set_long(&props, &n, PS_PID_MESSAGE_SIZE, *size_out)) < 0 ||
	    (rc = ps_pc_build(props, n, nidgen_ltp, &gen, &pc)) < 0)
		goto cleanup;
	for (i = 0; i < subs.sub_count; i++) {
		if ((rc = ps_node_image_add_sub(&pc, subs.subs[i].nid, &subs.subs[i].image)) < 0)
			goto cleanup;
	}
	*out = pc;
	memset(&pc, 0, sizeof(pc));
	*props_out = props;
	*count_out = n;
	props = NULL;
	n = 0;
cleanup:
	for (i = 0; arows && i < item->attachment_count; i++)
		ps_props_free(arows[i], acounts[i]);
	free(arows);
	free(acounts);
	free(aids);
	ps_node_image_clear(&subs);
	ps_node_image_clear(&pc);
	ps_props_free(props, n);
	return rc;
}

int ps_msg_build(ps_msg_build_ctx *ctx, const ps_item *item, ps_node_image *out,
	ps_prop **props, size_t *count)
{
	uint32_t size;

	return build_message(ctx, item, 0, out, props, count, &size);
}
