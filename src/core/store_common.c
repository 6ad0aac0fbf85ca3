/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Helpers every store backend shares and that depend on no backend: the
 * warning callback and entry IDs. Kept apart from the wrappers of store.c so
 * that code linked without the backends (the fuzz targets) can use them.
 */
#include "pstsync/sys/store_backend.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ps_store__warn(struct ps_store *store, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!store->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	store->warn(msg, store->warn_ctx);
}

void ps_entry_id_make(uint8_t out[24], const uint8_t record_key[16], uint32_t nid)
{
	memset(out, 0, 4);
	memcpy(out + 4, record_key, 16);
	out[20] = (uint8_t)nid;
	out[21] = (uint8_t)(nid >> 8);
	out[22] = (uint8_t)(nid >> 16);
	out[23] = (uint8_t)(nid >> 24);
}

/* A folder name as it stands in a path: '/' and '%' escaped. */
static char *escape_name(const char *name)
{
	size_t n = 0, i;
	char *out, *p;

	for (i = 0; name[i]; i++)
		n += (name[i] == '/' || name[i] == '%') ? 3 : 1;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	for (p = out, i = 0; name[i]; i++) {
		if (name[i] == '/' || name[i] == '%') {
			snprintf(p, 4, "%%%02X", (unsigned char)name[i]);
			p += 3;
		} else {
			*p++ = name[i];
		}
	}
	*p = '\0';
	return out;
}

char *ps_store__child_path(const char *parent, const char *name, int duplicate, uint32_t nid)
{
	const char *sep = strcmp(parent, "/") ? "/" : "";
	char *escaped = escape_name(name), *path;

	if (!escaped)
		return NULL;
	if (duplicate)
		path = ps__asprintf("%s%s%s (0x%x)", parent, sep, escaped, nid);
	else
		path = ps__asprintf("%s%s%s", parent, sep, escaped);
	free(escaped);
	return path;
}

int ps_store__emit_item(ps_item_summary *sum, const uint8_t record_key[16], uint32_t nid,
	char *message_class, char *subject, uint8_t *search_key, uint8_t *change_key,
	ps_item_cb cb, void *ctx)
{
	int rc;

	sum->nid = nid;
	ps_entry_id_make(sum->entry_id, record_key, nid);
	sum->message_class = message_class ? message_class : "";
	sum->subject = subject ? subject : "";
	sum->search_key = search_key;
	sum->change_key = change_key;
	rc = cb(sum, ctx);
	free(message_class);
	free(subject);
	free(search_key);
	free(change_key);
	return rc;
}
