/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * A small streaming JSON writer for the command line's --json output. It
 * keeps track of commas and nesting itself, escapes strings, and writes
 * binary values as hex strings. Output is compact, one document per command,
 * followed by a newline.
 */
#ifndef PSTSYNC_CLI_JSON_H
#define PSTSYNC_CLI_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

typedef struct json_writer {
	FILE *out;
	int depth;
	int count[JSON_MAX_DEPTH];   /* members written at each level */
	int after_key;               /* a key was just written: no comma before the value */
} json_writer;

void json_init(json_writer *w, FILE *out);
void json_begin_object(json_writer *w);
void json_end_object(json_writer *w);
void json_begin_array(json_writer *w);
void json_end_array(json_writer *w);
void json_key(json_writer *w, const char *key);
void json_string(json_writer *w, const char *s);
void json_string_n(json_writer *w, const char *s, size_t n);
void json_int(json_writer *w, long long v);
void json_uint(json_writer *w, unsigned long long v);
void json_double(json_writer *w, double v);
void json_bool(json_writer *w, int v);
void json_null(json_writer *w);
void json_hex(json_writer *w, const uint8_t *data, size_t size);
/** Finish the document with a newline. */
void json_finish(json_writer *w);

/* Shorthands for "key": value members. */
void json_kv_string(json_writer *w, const char *key, const char *s);
void json_kv_int(json_writer *w, const char *key, long long v);
void json_kv_uint(json_writer *w, const char *key, unsigned long long v);
void json_kv_bool(json_writer *w, const char *key, int v);

#endif
