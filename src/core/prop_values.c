/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * NAME=VALUE texts read into property values (include/pstsync/prop_values.h):
 * the parsers of each type, and the layout a PST keeps for multi-valued
 * properties. `pstsync set` and `add` use it, and tests/fuzz_setvalue.c
 * fuzzes it.
 */
#include "pstsync/prop_values.h"
#include "core/utf.h"
#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/item_edit.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The subject, set with ps_item_set_subject(). */
#define PROP_ID_SUBJECT        0x0037

/* Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "2016-08-02T15:00:00Z", "2016-08-02T15:00Z" or "2016-08-02" (UTC) as a FILETIME. */
int ps_prop_time_parse(const char *s, uint64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	int64_t secs;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	s += n;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (sscanf(s, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
			return -1;
		s += n;
		if (*s == ':') {
			if (sscanf(s + 1, "%2d%n", &sec, &n) != 1 || n != 2)
				return -1;
			s += 3;
		}
		if (*s == 'Z' || *s == 'z')
			s++;
	}
	if (*s || y < 1601 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59
	    || sec > 60)
		return -1;
	secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec;
	*out = (uint64_t)(secs + 11644473600LL) * 10000000ULL;
	return 0;
}

static int parse_integer(const char *s, int64_t lo, uint64_t hi, int64_t *out)
{
	char *end = NULL;

	errno = 0;
	if (s[0] == '-') {
		long long v = strtoll(s, &end, 0);
		if (errno || end == s || *end || v < lo)
			return -1;
		*out = v;
	} else {
		unsigned long long v = strtoull(s, &end, 0);
		if (errno || end == s || *end || v > hi || s[0] == '+' || isspace((unsigned char)s[0]))
			return -1;
		*out = (int64_t)v;
	}
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * One value of @p type from its text, appended to @p out. Returns NULL, or
 * what the text should have been.
 */
static const char *encode_one(uint16_t type, const char *text, ps_buf *out)
{
	uint8_t v[16];
	int64_t i;

	switch (type) {
	case PS_PT_UNICODE: {
		size_t n = 0;
		uint8_t *u16;
		if (!ps_utf8_valid((const uint8_t *)text, strlen(text)))
			return "valid UTF-8 text";
		u16 = ps_utf8_to_utf16le(text, &n);
		if (!u16) {
			out->failed = 1;
			return NULL;
		}
		ps_buf_add(out, u16, n);
		free(u16);
		return NULL;
	}
	case PS_PT_SHORT:
		if (parse_integer(text, -32768, 65535, &i) != 0)
			return "an integer from -32768 to 65535";
		ps__put16(v, (uint16_t)i);
		ps_buf_add(out, v, 2);
		return NULL;
	case PS_PT_LONG:
		if (parse_integer(text, -2147483647LL - 1, 4294967295ULL, &i) != 0)
			return "a 32-bit integer, decimal or hex with 0x";
		ps__put32(v, (uint32_t)i);
		ps_buf_add(out, v, 4);
		return NULL;
	case PS_PT_LONGLONG:
		if (parse_integer(text, INT64_MIN, UINT64_MAX, &i) != 0)
			return "a 64-bit integer, decimal or hex with 0x";
		ps__put64(v, (uint64_t)i);
		ps_buf_add(out, v, 8);
		return NULL;
	case PS_PT_BOOLEAN: {
		static const char *const yes[] = { "yes", "true", "on", "1", NULL };
		static const char *const no[] = { "no", "false", "off", "0", NULL };
		int k, b = -1;
		for (k = 0; yes[k]; k++) {
			size_t len = strlen(text);
			if (len == strlen(yes[k]) && strncmp(text, yes[k], len) == 0)
				b = 1;
			if (len == strlen(no[k]) && strncmp(text, no[k], len) == 0)
				b = 0;
		}
		if (b < 0)
			return "yes or no, true or false, on or off, 1 or 0";
		v[0] = (uint8_t)b;
		ps_buf_add(out, v, 1);
		return NULL;
	}
	case PS_PT_SYSTIME: {
		uint64_t ft;
		if (ps_prop_time_parse(text, &ft) != 0)
			return "a UTC time such as 2016-08-02T15:00:00Z";
		ps__put64(v, ft);
		ps_buf_add(out, v, 8);
		return NULL;
	}
	case PS_PT_FLOAT: case PS_PT_DOUBLE: case PS_PT_APPTIME: case PS_PT_CURRENCY: {
		char *end = NULL;
		double d;
		errno = 0;
		d = strtod(text, &end);
		if (errno || end == text || *end || !isfinite(d))
			return "a number such as 12.5";
		if (type == PS_PT_FLOAT) {
			float f = (float)d;
			uint32_t bits;
			memcpy(&bits, &f, 4);
			ps__put32(v, bits);
			ps_buf_add(out, v, 4);
		} else if (type == PS_PT_CURRENCY) {
			/* currency: a 64-bit integer of ten-thousandths */
			if (fabs(d) > 9.2e14)
				return "an amount below 922 337 203 685 477";
			ps__put64(v, (uint64_t)(int64_t)llround(d * 10000.0));
			ps_buf_add(out, v, 8);
		} else {
			uint64_t bits;
			memcpy(&bits, &d, 8);
			ps__put64(v, bits);
			ps_buf_add(out, v, 8);
		}
		return NULL;
	}
	case PS_PT_CLSID: {
		ps_guid g;
		if (ps_guid_parse(&g, text) != PS_OK)
			return "a GUID such as {00062004-0000-0000-C000-000000000046}";
		ps_buf_add(out, g.bytes, 16);
		return NULL;
	}
	case PS_PT_BINARY: {
		const char *p = text;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			p += 2;
		if (strlen(p) % 2)
			return "hex bytes such as 0a1b2c, two digits a byte";
		for (; *p; p += 2) {
			int hi = hexval(p[0]), lo = hexval(p[1]);
			if (hi < 0 || lo < 0)
				return "hex bytes such as 0a1b2c";
			v[0] = (uint8_t)(hi << 4 | lo);
			ps_buf_add(out, v, 1);
		}
		return NULL;
	}
	default:
		return "";
	}
}

/*
 * The value of @p s from its texts: one value, or for a multi-valued type the
 * layout a PST keeps ([MS-PST] 2.3.3.4.2): fixed-size values packed,
 * variable-size ones after a count and a table of offsets.
 */
static const char *encode_setting(ps_prop_setting *s, const char **bad_text)
{
	uint16_t base = s->type & (uint16_t)~PS_PT_MV;
	ps_buf out = { NULL, 0, 0, 0 };
	const char *why = NULL;
	size_t k;

	*bad_text = NULL;
	if (!(s->type & PS_PT_MV)) {
		why = encode_one(s->type, s->values[s->count - 1], &out);
		if (why)
			*bad_text = s->values[s->count - 1];
	} else if (ps_prop_fixed_size(base)) {
		for (k = 0; k < s->count && !why; k++)
			if ((why = encode_one(base, s->values[k], &out)) != NULL)
				*bad_text = s->values[k];
	} else {
		ps_buf *parts = calloc(s->count, sizeof(*parts));
		uint8_t v[4];
		size_t offset = 4 + 4 * s->count;
		if (!parts)
			return "";
		for (k = 0; k < s->count && !why; k++)
			if ((why = encode_one(base, s->values[k], &parts[k])) != NULL)
				*bad_text = s->values[k];
		ps__put32(v, (uint32_t)s->count);
		ps_buf_add(&out, v, 4);
		for (k = 0; k < s->count && !why; k++) {
			ps__put32(v, (uint32_t)offset);
			ps_buf_add(&out, v, 4);
			offset += parts[k].size;
		}
		for (k = 0; k < s->count; k++) {
			if (!why)
				ps_buf_add(&out, parts[k].data, parts[k].size);
			out.failed |= parts[k].failed;
			free(parts[k].data);
		}
		free(parts);
	}
	if (!why && out.failed)
		why = "";
	if (why) {
		free(out.data);
		return why;
	}
	s->data = out.data;
	s->size = out.size;
	return NULL;
}

static int settable(uint16_t type)
{
	uint16_t base = type & (uint16_t)~PS_PT_MV;

	switch (base) {
	case PS_PT_UNICODE: case PS_PT_SHORT: case PS_PT_LONG: case PS_PT_LONGLONG:
	case PS_PT_FLOAT: case PS_PT_DOUBLE: case PS_PT_APPTIME: case PS_PT_CURRENCY:
	case PS_PT_SYSTIME: case PS_PT_CLSID: case PS_PT_BINARY:
		return 1;
	case PS_PT_BOOLEAN:
		return !(type & PS_PT_MV);
	default:
		return 0;
	}
}

/*
 * Every name and value checked and encoded; a name given several times
 * gives a multi-valued property's values.
 */
int ps_prop_settings_parse(ps_prop_setting **out, size_t *count, int argc,
	const char *const *argv, const char *store_path)
{
	ps_prop_setting *settings = calloc((size_t)argc + 1, sizeof(*settings));
	size_t nsettings = 0, k;
	int a, rc = PS_OK;

	*out = settings;
	*count = 0;
	if (!settings)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (a = 0; a < argc; a++) {
		const char *eq = strchr(argv[a], '=');
		const ps_propname_def *def;
		char *name;
		ps_prop_setting *s = NULL;

		if (!eq || eq == argv[a]) {
			rc = ps_error_set(PS_EINVAL, "'%s' is not NAME=VALUE", argv[a]);
			goto done;
		}
		name = ps__strndup(argv[a], (size_t)(eq - argv[a]));
		if (!name) {
			rc = ps_error_set(PS_ENOMEM, "out of memory");
			goto done;
		}
		def = ps_propname_lookup(name);
		if (!def) {
			rc = ps_error_set(PS_ENOTFOUND, "cannot set '%s' in '%s': no property has that "
				"name (the names are those 'pstsync show' prints, such as PidTagSubject)",
				name, store_path);
			free(name);
			goto done;
		}
		free(name);
		if (!settable(def->type)) {
			const char *tname = ps_proptype_name(def->type);
			rc = ps_error_set(PS_EUNSUPPORTED, "cannot set %s in '%s': values of type %s "
				"cannot be given as text", def->name, store_path, tname ? tname : "unknown");
			goto done;
		}
		for (k = 0; k < nsettings; k++)
			if (settings[k].def == def)
				s = &settings[k];
		if (!s) {
			s = &settings[nsettings++];
			s->def = def;
			s->type = ps_prop_write_type(def->type);
			s->values = calloc((size_t)argc, sizeof(*s->values));
			if (!s->values) {
				rc = ps_error_set(PS_ENOMEM, "out of memory");
				goto done;
			}
		}
		s->values[s->count++] = eq + 1;
	}
	for (k = 0; k < nsettings; k++) {
		ps_prop_setting *s = &settings[k];
		const char *bad, *why;
		if (s->count > 1 && !(s->type & PS_PT_MV)) {
			rc = ps_error_set(PS_EINVAL, "cannot set %s in '%s': it takes one value, and %lu "
				"are given", s->def->name, store_path, (unsigned long)s->count);
			goto done;
		}
		why = encode_setting(s, &bad);
		if (why && !why[0] && !bad) {
			rc = ps_error_set(PS_ENOMEM, "out of memory");
			goto done;
		}
		if (why) {
			const char *tname = ps_proptype_name(s->def->type);
			rc = ps_error_set(PS_EINVAL, "cannot set %s in '%s': '%s' is not %s (%s)",
				s->def->name, store_path, bad ? bad : "", why, tname ? tname : "");
			goto done;
		}
	}
done:
	*count = nsettings;
	return rc;
}

void ps_prop_settings_free(ps_prop_setting *settings, size_t count)
{
	size_t i;

	for (i = 0; settings && i < count; i++) {
		free(settings[i].values);
		free(settings[i].data);
	}
	free(settings);
}

int ps_prop_settings_apply(ps_item *item, ps_prop_setting *settings, size_t count)
{
	size_t k;
	unsigned bodies = 0;
	int st = PS_OK;

	for (k = 0; k < count && st == PS_OK; k++) {
		ps_prop_setting *s = &settings[k];
		if (s->def->kind == PS_NAME_NONE)
			bodies |= ps_item_body_kind(s->def->id);
		if (s->def->kind == PS_NAME_NONE && s->def->id == PROP_ID_SUBJECT
		    && s->type == PS_PT_UNICODE) {
			st = ps_item_set_subject(item, s->values[0]);
		} else {
			st = ps_propset_put(&item->props, s->def, s->type, s->data, s->size);
			s->data = NULL;
		}
	}
	/* one body set: the others follow it, or Outlook shows the old text */
	if (st == PS_OK)
		st = ps_item_bodies_agree(item, bodies);
	return st;
}

