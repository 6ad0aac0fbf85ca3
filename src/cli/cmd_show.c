/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * `pstsync show`: one item with every property, recipient and attachment,
 * as readable text or as JSON. Values are decoded from the raw bytes the core
 * keeps, by property type; multi-valued properties become lists.
 */
#include "cli/cli.h"
#include "cli/json.h"
#include "core/utf.h"
#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/propnames.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Human output shows at most this many bytes of a binary value. */
#define HUMAN_BINARY_MAX 64

struct show {
	struct cli *cli;
	json_writer json;
};

static double le_double(const uint8_t *p)
{
	uint64_t bits = ps__le64(p);
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

static float le_float(const uint8_t *p)
{
	uint32_t bits = ps__le32(p);
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

/* 1 when a canonical type and a stored one agree (8-bit and Unicode strings do). */
static int same_type(uint16_t want, uint16_t got)
{
	uint16_t w = want & (uint16_t)~PS_PT_MV, g = got & (uint16_t)~PS_PT_MV;

	if ((want & PS_PT_MV) != (got & PS_PT_MV))
		return 0;
	if ((w == PS_PT_STRING8 || w == PS_PT_UNICODE) && (g == PS_PT_STRING8 || g == PS_PT_UNICODE))
		return 1;
	return w == g || w == PS_PT_UNSPECIFIED;
}

/* The name to show for a property: canonical, or built from its parts. */
static void prop_label(const ps_prop *p, char *buf, size_t size)
{
	const ps_propname_def *def = NULL;
	char guid[39];

	if (p->named.kind != PS_NAME_NONE) {
		def = ps_propname_by_name_ref(&p->named);
		if (def) {
			snprintf(buf, size, "%s", def->name);
			return;
		}
		ps_guid_format(&p->named.guid, guid);
		if (p->named.kind == PS_NAME_ID)
			snprintf(buf, size, "%s:0x%04x", guid, p->named.lid);
		else
			snprintf(buf, size, "%s:\"%s\"", guid, p->named.name ? p->named.name : "");
		return;
	}
	def = ps_propname_by_id(PS_PROP_ID(p->tag));
	/* an id reused with another type is another property: do not misname it */
	if (def && !same_type(def->type, PS_PROP_TYPE(p->tag)))
		def = NULL;
	if (def)
		snprintf(buf, size, "%s", def->name);
	else
		snprintf(buf, size, "0x%04x", PS_PROP_ID(p->tag));
}

/* One value of @p type at @p v (size @p n), as JSON. */
static void json_value(json_writer *w, uint16_t type, const uint8_t *v, size_t n)
{
	char buf[40];

	switch (type) {
	case PS_PT_SHORT:
		if (n >= 2) { json_int(w, (int16_t)ps__le16(v)); return; }
		break;
	case PS_PT_LONG: case PS_PT_ERROR:
		if (n >= 4) { json_int(w, (int32_t)ps__le32(v)); return; }
		break;
	case PS_PT_LONGLONG: case PS_PT_CURRENCY:
		if (n >= 8) { json_int(w, (long long)ps__le64(v)); return; }
		break;
	case PS_PT_FLOAT:
		if (n >= 4) { json_double(w, le_float(v)); return; }
		break;
	case PS_PT_DOUBLE: case PS_PT_APPTIME:
		if (n >= 8) { json_double(w, le_double(v)); return; }
		break;
	case PS_PT_BOOLEAN:
		if (n >= 1) { json_bool(w, v[0] != 0); return; }
		break;
	case PS_PT_SYSTIME:
		if (n >= 8) {
			cli_format_time(ps__le64(v), buf, sizeof(buf));
			json_string(w, buf);
			return;
		}
		break;
	case PS_PT_CLSID:
		if (n >= 16) {
			ps_guid g;
			memcpy(g.bytes, v, 16);
			ps_guid_format(&g, buf);
			json_string(w, buf);
			return;
		}
		break;
	case PS_PT_UNICODE: {
		char *s = ps_utf16le_to_utf8(v, n);
		json_string(w, s ? s : "");
		free(s);
		return;
	}
	case PS_PT_STRING8: {
		char *s = ps_string8_to_utf8(v, n);
		json_string(w, s ? s : "");
		free(s);
		return;
	}
	default:
		break;
	}
	json_hex(w, v, n);
}

/*
 * Walk the values of a multi-valued property: fixed-size types are packed,
 * variable-size ones start with a count and a table of offsets ([MS-PST]
 * 2.3.3.4.2). Returns 0 when the layout does not hold together.
 */
typedef void (*mv_fn)(void *ctx, uint16_t type, const uint8_t *v, size_t n);

static int mv_each(const ps_prop *p, mv_fn fn, void *ctx)
{
	uint16_t type = PS_PROP_TYPE(p->tag) & (uint16_t)~PS_PT_MV;
	size_t fixed = ps_prop_fixed_size(type), i, count;

	if (fixed) {
		for (i = 0; i + fixed <= p->size; i += fixed)
			fn(ctx, type, p->data + i, fixed);
		return p->size % fixed == 0;
	}
	if (p->size < 4)
		return p->size == 0;
	count = ps__le32(p->data);
	if (count > (p->size - 4) / 4)
		return 0;
	for (i = 0; i < count; i++) {
		size_t start = ps__le32(p->data + 4 + 4 * i);
		size_t end = i + 1 < count ? ps__le32(p->data + 8 + 4 * i) : p->size;
		if (start > end || end > p->size)
			return 0;
		fn(ctx, type, p->data + start, end - start);
	}
	return 1;
}

static void mv_json(void *ctx, uint16_t type, const uint8_t *v, size_t n)
{
	json_value(ctx, type, v, n);
}

static void json_prop(json_writer *w, const ps_prop *p)
{
	char label[160], tag[16];
	const char *tname = ps_proptype_name(PS_PROP_TYPE(p->tag));

	json_begin_object(w);
	snprintf(tag, sizeof(tag), "0x%08X", p->tag);
	json_kv_string(w, "tag", tag);
	prop_label(p, label, sizeof(label));
	json_kv_string(w, "name", label);
	if (tname)
		json_kv_string(w, "type", tname);
	if (p->named.kind != PS_NAME_NONE) {
		char guid[39];
		ps_guid_format(&p->named.guid, guid);
		json_kv_string(w, "guid", guid);
		if (p->named.kind == PS_NAME_ID)
			json_kv_uint(w, "lid", p->named.lid);
		else
			json_kv_string(w, "name_string", p->named.name ? p->named.name : "");
	}
	json_key(w, "value");
	if (PS_PROP_TYPE(p->tag) & PS_PT_MV) {
		json_begin_array(w);
		if (!mv_each(p, mv_json, w)) {
			/* malformed: close the list and give the raw bytes beside it */
			json_end_array(w);
			json_key(w, "raw");
			json_hex(w, p->data, p->size);
		} else {
			json_end_array(w);
		}
	} else {
		json_value(w, PS_PROP_TYPE(p->tag), p->data, p->size);
	}
	json_kv_uint(w, "size", p->size);
	json_end_object(w);
}

static void json_propset(json_writer *w, const ps_propset *set)
{
	size_t i;

	json_key(w, "properties");
	json_begin_array(w);
	for (i = 0; i < set->count; i++)
		json_prop(w, &set->props[i]);
	json_end_array(w);
}

static void json_item(json_writer *w, const ps_item *item)
{
	char id[16];
	char *cls = ps_prop_to_utf8(ps_propset_find_id(&item->props, 0x001A));
	size_t i;

	json_begin_object(w);
	snprintf(id, sizeof(id), "0x%x", item->nid);
	json_kv_string(w, "id", id);
	json_kv_string(w, "class", cls ? cls : "");
	free(cls);
	json_propset(w, &item->props);
	json_key(w, "recipients");
	json_begin_array(w);
	for (i = 0; i < item->recipient_count; i++) {
		json_begin_object(w);
		json_propset(w, &item->recipients[i]);
		json_end_object(w);
	}
	json_end_array(w);
	json_key(w, "attachments");
	json_begin_array(w);
	for (i = 0; i < item->attachment_count; i++) {
		const ps_attachment *a = &item->attachments[i];
		json_begin_object(w);
		json_kv_int(w, "method", a->kind);
		json_propset(w, &a->props);
		if (a->embedded) {
			json_key(w, "embedded");
			json_item(w, a->embedded);
		}
		json_end_object(w);
	}
	json_end_array(w);
	json_kv_uint(w, "damaged_parts", item->damaged);
	json_end_object(w);
}

/* ---- human output ---- */

static void human_value(uint16_t type, const uint8_t *v, size_t n)
{
	char buf[40];
	size_t i;

	switch (type) {
	case PS_PT_SHORT: if (n >= 2) { printf("%d", (int16_t)ps__le16(v)); return; } break;
	case PS_PT_LONG:
		if (n >= 4) {
			int32_t x = (int32_t)ps__le32(v);
			printf("%ld", (long)x);
			if (x < 0 || x > 9)
				printf(" (0x%x)", (unsigned)x);
			return;
		}
		break;
	case PS_PT_ERROR: if (n >= 4) { printf("error 0x%08x", ps__le32(v)); return; } break;
	case PS_PT_LONGLONG: case PS_PT_CURRENCY:
		if (n >= 8) { printf("%lld", (long long)ps__le64(v)); return; } break;
	case PS_PT_FLOAT: if (n >= 4) { printf("%g", le_float(v)); return; } break;
	case PS_PT_DOUBLE: case PS_PT_APPTIME: if (n >= 8) { printf("%g", le_double(v)); return; } break;
	case PS_PT_BOOLEAN: if (n >= 1) { fputs(v[0] ? "true" : "false", stdout); return; } break;
	case PS_PT_SYSTIME:
		if (n >= 8) {
			cli_format_time(ps__le64(v), buf, sizeof(buf));
			fputs(buf[0] ? buf : "(none)", stdout);
			return;
		}
		break;
	case PS_PT_CLSID:
		if (n >= 16) {
			ps_guid g;
			memcpy(g.bytes, v, 16);
			ps_guid_format(&g, buf);
			fputs(buf, stdout);
			return;
		}
		break;
	case PS_PT_UNICODE: case PS_PT_STRING8: {
		char *s = type == PS_PT_UNICODE ? ps_utf16le_to_utf8(v, n) : ps_string8_to_utf8(v, n);
		const char *c;
		size_t shown = 0;
		fputc('"', stdout);
		for (c = s ? s : ""; *c && shown < 200; c++, shown++) {
			if (*c == '\n') fputs("\\n", stdout);
			else if (*c == '\r') fputs("\\r", stdout);
			else if (*c == '\t') fputs("\\t", stdout);
			else if ((unsigned char)*c < 0x20) printf("\\x%02x", (unsigned char)*c);
			else fputc(*c, stdout);
		}
		fputc('"', stdout);
		if (*c)
			fputs("...", stdout);
		free(s);
		return;
	}
	default:
		break;
	}
	for (i = 0; i < n && i < HUMAN_BINARY_MAX; i++)
		printf("%02x", v[i]);
	if (n > HUMAN_BINARY_MAX)
		printf("... (%zu bytes)", n);
	else if (n == 0)
		fputs("(empty)", stdout);
}

struct mv_human { int first; };

static void mv_human_cb(void *ctx, uint16_t type, const uint8_t *v, size_t n)
{
	struct mv_human *m = ctx;

	if (!m->first)
		fputs(", ", stdout);
	m->first = 0;
	human_value(type, v, n);
}

static void human_propset(const ps_propset *set, int indent)
{
	size_t i;

	for (i = 0; i < set->count; i++) {
		const ps_prop *p = &set->props[i];
		char label[160];

		prop_label(p, label, sizeof(label));
		printf("%*s0x%08X  %-36s ", indent, "", p->tag, label);
		if (PS_PROP_TYPE(p->tag) & PS_PT_MV) {
			struct mv_human m = { 1 };
			fputc('[', stdout);
			if (!mv_each(p, mv_human_cb, &m))
				fputs(" (malformed list)", stdout);
			fputc(']', stdout);
		} else {
			human_value(PS_PROP_TYPE(p->tag), p->data, p->size);
		}
		fputc('\n', stdout);
	}
}

static void human_item(const ps_item *item, int indent)
{
	char *cls = ps_prop_to_utf8(ps_propset_find_id(&item->props, 0x001A));
	size_t i;

	printf("%*sitem 0x%x, %s, %zu properties, %zu recipients, %zu attachments\n", indent, "",
		item->nid, cls && cls[0] ? cls : "(no class)", item->props.count,
		item->recipient_count, item->attachment_count);
	free(cls);
	human_propset(&item->props, indent + 2);
	for (i = 0; i < item->recipient_count; i++) {
		printf("%*srecipient %zu:\n", indent, "", i + 1);
		human_propset(&item->recipients[i], indent + 2);
	}
	for (i = 0; i < item->attachment_count; i++) {
		const ps_attachment *a = &item->attachments[i];
		printf("%*sattachment %zu (method %d):\n", indent, "", i + 1, a->kind);
		human_propset(&a->props, indent + 2);
		if (a->embedded) {
			printf("%*sembedded message:\n", indent + 2, "");
			human_item(a->embedded, indent + 4);
		}
	}
	if (item->damaged)
		printf("%*s%u part%s could not be read\n", indent, "", item->damaged,
			item->damaged == 1 ? "" : "s");
}

struct membership {
	uint32_t nid;
	int found;
};

static int member_cb(const ps_item_summary *it, void *ctx)
{
	struct membership *m = ctx;

	if (it->nid == m->nid) {
		m->found = 1;
		return 1;
	}
	return 0;
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
	char *store_path = NULL, *folder = NULL;
	uint32_t nid = 0, folder_nid = 0;
	int has_nid = 0, rc;
	ps_store *store = NULL;
	ps_item *item = NULL;
	struct membership m;

	rc = cli_common_options(cli, cli_find_command("show"), &argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (argc != 2)
		return cli_usage("show", "show takes one item, STORE:/PATH#ID");
	if (ps_location_parse(argv[1], &store_path, &folder, &nid, &has_nid) != PS_OK)
		return cli_usage("show", "%s", ps_error_last());
	if (!has_nid || !folder) {
		rc = cli_usage("show", "'%s' names no item: write STORE:/PATH#ID, with the id "
			"that 'pstsync ls STORE:/PATH' prints", argv[1]);
		goto cleanup;
	}
	rc = cli_open_store(cli, store_path, &store);
	if (rc != EXIT_OK)
		goto cleanup;
	if (ps_store_find_folder(store, folder, &folder_nid) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	m.nid = nid;
	m.found = 0;
	if (ps_store_list_items(store, folder_nid, member_cb, &m) < 0) {
		rc = cli_fail_core();
		goto cleanup;
	}
	if (!m.found) {
		rc = cli_fail("no item 0x%x in folder '%s' of '%s'", nid, folder, store_path);
		goto cleanup;
	}
	if (ps_store_read_item(store, nid, &item) != PS_OK) {
		rc = cli_fail_core();
		goto cleanup;
	}
	if (cli->json) {
		json_writer w;
		json_init(&w, stdout);
		json_item(&w, item);
		json_finish(&w);
	} else {
		human_item(item, 0);
	}
	if (item->damaged && !cli->quiet)
		fprintf(stderr, "pstsync: warning: '%s': %u part%s of item 0x%x could not be read\n",
			store_path, item->damaged, item->damaged == 1 ? "" : "s", nid);
	rc = EXIT_OK;
cleanup:
	ps_item_free(item);
	ps_store_close(store);
	free(store_path);
	free(folder);
	return rc;
}
