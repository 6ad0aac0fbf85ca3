/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Text conversions (see utf.h). Written here rather than taken from iconv so
 * that Linux and Windows builds behave the same, byte for byte.
 */
#include "core/utf.h"

#include <stdlib.h>
#include <string.h>

/* Windows-1252 0x80..0x9F; the rest of the range is Latin-1. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178
};

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

char *ps_utf16le_to_utf8(const uint8_t *data, size_t size)
{
	size_t units = size / 2, i, n = 0;
	char *out;

	while (units > 0 && data[2 * (units - 1)] == 0 && data[2 * (units - 1) + 1] == 0)
		units--;
	out = malloc(units * 3 + 1);
	if (!out)
		return NULL;
	for (i = 0; i < units; i++) {
		uint32_t cp = (uint32_t)data[2 * i] | ((uint32_t)data[2 * i + 1] << 8);
		if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < units) {
			uint32_t lo = (uint32_t)data[2 * i + 2] | ((uint32_t)data[2 * i + 3] << 8);
			if (lo >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			} else {
				cp = 0xFFFD;
			}
		} else if (cp >= 0xD800 && cp < 0xE000) {
			cp = 0xFFFD;
		}
		/* 4-byte sequences come from two units, so 3 bytes a unit is enough */
		n += put_utf8(out + n, cp);
	}
	out[n] = '\0';
	return out;
}

int ps_utf8_valid(const uint8_t *s, size_t size)
{
	size_t i = 0;

	while (i < size) {
		uint8_t c = s[i];
		size_t len, k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
		else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
		else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
		else return 0;
		if (i + len > size)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)
		    || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
			return 0;
		i += len;
	}
	return 1;
}

char *ps_string8_to_utf8(const uint8_t *data, size_t size)
{
	size_t i, n = 0;
	char *out;

	while (size > 0 && data[size - 1] == 0)
		size--;
	if (ps_utf8_valid(data, size)) {
		out = malloc(size + 1);
		if (!out)
			return NULL;
		if (size)          /* data may be NULL for an empty value */
			memcpy(out, data, size);
		out[size] = '\0';
		return out;
	}
	out = malloc(size * 3 + 1);
	if (!out)
		return NULL;
	for (i = 0; i < size; i++) {
		uint32_t cp = data[i];
		if (cp >= 0x80 && cp < 0xA0)
			cp = cp1252_high[cp - 0x80];
		n += put_utf8(out + n, cp);
	}
	out[n] = '\0';
	return out;
}

uint8_t *ps_utf8_to_utf16le(const char *text, size_t *size_out)
{
	const uint8_t *s = (const uint8_t *)text;
	size_t len = strlen(text), i = 0, n = 0;
	uint8_t *out = malloc(len * 4 + 2);

	if (!out)
		return NULL;
	while (i < len) {
		uint32_t cp = s[i];
		size_t need = 1, k;

		if (cp >= 0xF0 && cp < 0xF8) { need = 4; cp &= 0x07; }
		else if (cp >= 0xE0) { need = 3; cp &= 0x0F; }
		else if (cp >= 0xC0) { need = 2; cp &= 0x1F; }
		else if (cp >= 0x80) { cp = 0xFFFD; }
		if (need > 1) {
			if (i + need > len) {
				cp = 0xFFFD;
				need = 1;
			} else {
				for (k = 1; k < need; k++) {
					if ((s[i + k] & 0xC0) != 0x80) {
						cp = 0xFFFD;
						need = 1;
						break;
					}
					cp = (cp << 6) | (s[i + k] & 0x3F);
				}
			}
		}
		i += need;
		if (cp >= 0x10000 && cp <= 0x10FFFF) {
			uint32_t hi = 0xD800 + ((cp - 0x10000) >> 10), lo = 0xDC00 + ((cp - 0x10000) & 0x3FF);
			out[n++] = (uint8_t)hi;
			out[n++] = (uint8_t)(hi >> 8);
			out[n++] = (uint8_t)lo;
			out[n++] = (uint8_t)(lo >> 8);
		} else {
			if (cp > 0xFFFF)
				cp = 0xFFFD;
			out[n++] = (uint8_t)cp;
			out[n++] = (uint8_t)(cp >> 8);
		}
	}
	*size_out = n;
	return out;
}
