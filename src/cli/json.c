/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* The streaming JSON writer of the command line (see json.h). */
#include "cli/json.h"

#include <math.h>
#include <string.h>

void json_init(json_writer *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

static void before_value(json_writer *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0 && w->count[w->depth]++ > 0)
		fputc(',', w->out);
}

static void open_level(json_writer *w, int c)
{
	before_value(w);
	fputc(c, w->out);
	if (w->depth + 1 < JSON_MAX_DEPTH)
		w->depth++;
	w->count[w->depth] = 0;
}

static void close_level(json_writer *w, int c)
{
	fputc(c, w->out);
	if (w->depth > 0)
		w->depth--;
}

void json_begin_object(json_writer *w) { open_level(w, '{'); }
void json_end_object(json_writer *w) { close_level(w, '}'); }
void json_begin_array(json_writer *w) { open_level(w, '['); }
void json_end_array(json_writer *w) { close_level(w, ']'); }

static void put_escaped(json_writer *w, const char *s, size_t n)
{
	size_t i;

	fputc('"', w->out);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': fputs("\\\"", w->out); break;
		case '\\': fputs("\\\\", w->out); break;
		case '\n': fputs("\\n", w->out); break;
		case '\r': fputs("\\r", w->out); break;
		case '\t': fputs("\\t", w->out); break;
		case '\b': fputs("\\b", w->out); break;
		case '\f': fputs("\\f", w->out); break;
		default:
			if (c < 0x20)
				fprintf(w->out, "\\u%04x", c);
			else
				fputc(c, w->out);
		}
	}
	fputc('"', w->out);
}

void json_key(json_writer *w, const char *key)
{
	before_value(w);
	put_escaped(w, key, strlen(key));
	fputc(':', w->out);
	w->after_key = 1;
}

void json_string_n(json_writer *w, const char *s, size_t n)
{
	before_value(w);
	put_escaped(w, s, n);
}

void json_string(json_writer *w, const char *s)
{
	if (!s) {
		json_null(w);
		return;
	}
	json_string_n(w, s, strlen(s));
}

void json_int(json_writer *w, long long v)
{
	before_value(w);
	fprintf(w->out, "%lld", v);
}

void json_uint(json_writer *w, unsigned long long v)
{
	before_value(w);
	fprintf(w->out, "%llu", v);
}

void json_double(json_writer *w, double v)
{
	before_value(w);
	if (isnan(v) || isinf(v))
		fputs("null", w->out);
	else
		fprintf(w->out, "%.17g", v);
}

void json_bool(json_writer *w, int v)
{
	before_value(w);
	fputs(v ? "true" : "false", w->out);
}

void json_null(json_writer *w)
{
	before_value(w);
	fputs("null", w->out);
}

void json_hex(json_writer *w, const uint8_t *data, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	before_value(w);
	fputc('"', w->out);
	for (i = 0; i < size; i++) {
		fputc(digits[data[i] >> 4], w->out);
		fputc(digits[data[i] & 15], w->out);
	}
	fputc('"', w->out);
}

void json_finish(json_writer *w)
{
	fputc('\n', w->out);
	fflush(w->out);
}

void json_kv_string(json_writer *w, const char *key, const char *s) { json_key(w, key); json_string(w, s); }
void json_kv_int(json_writer *w, const char *key, long long v) { json_key(w, key); json_int(w, v); }
void json_kv_uint(json_writer *w, const char *key, unsigned long long v) { json_key(w, key); json_uint(w, v); }
void json_kv_bool(json_writer *w, const char *key, int v) { json_key(w, key); json_bool(w, v); }
