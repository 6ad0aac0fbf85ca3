/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The bodies of an item agree after one is set ([MS-OXBBODY], [MS-OXCMSG]
 * 2.2.1.56): an item may carry its text three times, as plain text
 * (PidTagBody), HTML (PidTagHtml) and compressed RTF (PidTagRtfCompressed),
 * and Outlook shows the richest. When `pstsync set` changes one, the others
 * would go on showing the old text; so, as Outlook's own store does, the
 * bodies not given are made from the ones given (plain text from HTML) or
 * dropped (HTML and RTF from plain text: the plain body then is the body),
 * with the RTF's synchronisation properties, and PidTagNativeBody names the
 * body that is left in charge.
 */
#include "pstsync/item_edit.h"

#include "core/utf.h"
#include "core/util.h"
#include "pstsync/errors.h"

#include <stdlib.h>
#include <string.h>

#define PID_BODY          0x1000
#define PID_RTF           0x1009
#define PID_HTML          0x1013
#define PID_NATIVE_BODY   0x1016
#define PID_RTF_IN_SYNC   0x0E1F
#define PID_INTERNET_CPID 0x3FDE

/* Properties that describe the RTF body and go with it ([MS-OXCMSG] 2.2.1.58.x). */
static const uint16_t rtf_sync_ids[] = { 0x0E1F, 0x1006, 0x1007, 0x1008, 0x1010, 0x1011 };

static void drop_id(ps_propset *set, uint16_t id)
{
	size_t i, k = 0;

	for (i = 0; i < set->count; i++) {
		if (PS_PROP_ID(set->props[i].tag) == id) {
			free(set->props[i].data);
			free(set->props[i].named.name);
			continue;
		}
		set->props[k++] = set->props[i];
	}
	set->count = k;
}

/* Append @p s (n bytes) to the text being built; 0 when out of memory. */
static int put(ps_buf *b, const char *s, size_t n)
{
	ps_buf_add(b, s, n);
	return !b->failed;
}

static int starts(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word), i;

	if ((size_t)(end - p) < n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return 0;
	}
	return 1;
}

/*
 * The text of an HTML body, as a plain body shows it: tags out (head, style
 * and script with their content), a line break for <br>, </p>, </div>,
 * </tr> and </li>, the common character entities decoded, runs of blanks
 * and line ends of the source folded as a browser folds them.
 */
char *ps_html_to_text(const char *html, size_t size)
{
	static const struct { const char *name; const char *text; } entities[] = {
		{ "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" },
		{ "apos;", "'" }, { "nbsp;", " " }, { "#39;", "'" }, { "#160;", " " }
	};
	const char *p = html, *end = html + size;
	ps_buf b = { NULL, 0, 0, 0 };
	int space = 0, ok = 1;

	while (p < end && ok) {
		if (*p == '<') {
			const char *close = memchr(p, '>', (size_t)(end - p));
			const char *skip_to = NULL;
			if (!close)
				break;
			if (starts(p + 1, end, "head") || starts(p + 1, end, "style") ||
			    starts(p + 1, end, "script") || starts(p + 1, end, "!--")) {
				const char *tag = starts(p + 1, end, "head") ? "</head" :
					starts(p + 1, end, "style") ? "</style" :
					starts(p + 1, end, "script") ? "</script" : "-->";
				const char *q;
				for (q = p + 1; q < end && !starts(q, end, tag); q++)
					;
				skip_to = q < end ? memchr(q, '>', (size_t)(end - q)) : NULL;
				close = skip_to ? skip_to : end - 1;
			} else if (starts(p + 1, end, "br") || starts(p + 1, end, "/p") ||
			    starts(p + 1, end, "/div") || starts(p + 1, end, "/tr") ||
			    starts(p + 1, end, "/li") || starts(p + 1, end, "/h")) {
				ok = put(&b, "\r\n", 2);
				space = 0;
			}
			p = close + 1;
		} else if (*p == '&') {
			size_t k;
			for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++)
				if (starts(p + 1, end, entities[k].name))
					break;
			if (k < sizeof(entities) / sizeof(entities[0])) {
				ok = put(&b, entities[k].text, strlen(entities[k].text));
				p += 1 + strlen(entities[k].name);
			} else {
				ok = put(&b, p++, 1);
			}
			space = 0;
		} else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			if (!space && b.size && b.data[b.size - 1] != '\n')
				ok = put(&b, " ", 1);
			space = 1;
			p++;
		} else {
			ok = put(&b, p++, 1);
			space = 0;
		}
	}
	if (!ok || !put(&b, "", 1)) {
		free(b.data);
		return NULL;
	}
	return (char *)b.data;
}

/* The HTML body of @p set as UTF-8 (PidTagHtml is bytes in the item's code page). */
static char *html_text(const ps_propset *set)
{
	const ps_prop *h = ps_propset_find_id(set, PID_HTML);
	char *html, *text;

	if (!h)
		return ps__strdup("");
	if (PS_PROP_TYPE(h->tag) == PS_PT_UNICODE)
		html = ps_utf16le_to_utf8(h->data, h->size);
	else
		html = ps_string8_to_utf8(h->data, h->size);
	if (!html)
		return NULL;
	text = ps_html_to_text(html, strlen(html));
	free(html);
	return text;
}

/*
 * An HTML body given as text (PidTagBodyHtml) is kept as Outlook keeps every
 * HTML body in a PST, as bytes (PidTagHtml), here UTF-8 with
 * PidTagInternetCodepage 65001 saying so.
 */
static int html_as_bytes(ps_propset *props)
{
	const ps_prop *h = ps_propset_find_id(props, PID_HTML);
	uint8_t cp[4];
	char *utf8;
	int rc;

	if (!h || PS_PROP_TYPE(h->tag) != PS_PT_UNICODE)
		return PS_OK;
	utf8 = ps_utf16le_to_utf8(h->data, h->size);
	if (!utf8)
		return ps_error_set(PS_ENOMEM, "out of memory");
	drop_id(props, PID_HTML);
	rc = ps_propset_put_tag(props, PS_PROP_TAG(PID_HTML, PS_PT_BINARY), utf8, strlen(utf8));
	free(utf8);
	ps__put32(cp, 65001);
	if (rc == PS_OK)
		rc = ps_propset_put_tag(props, PS_PROP_TAG(PID_INTERNET_CPID, PS_PT_LONG), cp, 4);
	return rc;
}

int ps_item_bodies_agree(ps_item *item, unsigned set)
{
	ps_propset *props = &item->props;
	uint32_t native;
	size_t i;
	int rc = PS_OK;

	if (!(set & (PS_BODY_PLAIN | PS_BODY_HTML | PS_BODY_RTF)))
		return PS_OK;
	if (!(set & PS_BODY_HTML))
		drop_id(props, PID_HTML);
	if ((set & PS_BODY_HTML) && (rc = html_as_bytes(props)) != PS_OK)
		return rc;
	if (!(set & PS_BODY_RTF))
		for (i = 0; i < sizeof(rtf_sync_ids) / sizeof(rtf_sync_ids[0]); i++)
			drop_id(props, rtf_sync_ids[i]);
	if (!(set & PS_BODY_RTF))
		drop_id(props, PID_RTF);
	if (!(set & PS_BODY_PLAIN)) {
		if (set & PS_BODY_HTML) {
			char *text = html_text(props);
			size_t n = 0;
			uint8_t *u16 = text ? ps_utf8_to_utf16le(text, &n) : NULL;
			free(text);
			if (!u16)
				return ps_error_set(PS_ENOMEM, "out of memory");
			rc = ps_propset_put_tag(props, PS_PROP_TAG(PID_BODY, PS_PT_UNICODE), u16, n);
			free(u16);
		} else {
			/* only RTF given: readers make the plain text from it (not in sync) */
			drop_id(props, PID_BODY);
		}
	}
	if (rc == PS_OK && (set & PS_BODY_RTF)) {
		uint8_t in_sync = (set & PS_BODY_PLAIN) ? 1 : 0;
		for (i = 1; i < sizeof(rtf_sync_ids) / sizeof(rtf_sync_ids[0]); i++)
			drop_id(props, rtf_sync_ids[i]);
		rc = ps_propset_put_tag(props, PS_PROP_TAG(PID_RTF_IN_SYNC, PS_PT_BOOLEAN), &in_sync, 1);
	}
	/* [MS-OXCMSG] 2.2.1.56.3: 1 plain text, 2 RTF, 3 HTML */
	native = (set & PS_BODY_HTML) ? 3 : (set & PS_BODY_RTF) ? 2 : 1;
	if (rc == PS_OK) {
		uint8_t v[4];
		ps__put32(v, native);
		rc = ps_propset_put_tag(props, PS_PROP_TAG(PID_NATIVE_BODY, PS_PT_LONG), v, 4);
	}
	return rc;
}

unsigned ps_item_body_kind(uint16_t id)
{
	return id == PID_BODY ? PS_BODY_PLAIN : id == PID_HTML ? PS_BODY_HTML
		: id == PID_RTF ? PS_BODY_RTF : 0;
}
