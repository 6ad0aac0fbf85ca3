/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Small helpers of the core (see util.h). */
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *ps__strndup(const char *s, size_t n)
{
	size_t len = 0;
	char *copy;

	while (len < n && s[len])
		len++;
	copy = malloc(len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

char *ps__strdup(const char *s)
{
	return ps__strndup(s, strlen(s));
}

char *ps__asprintf(const char *fmt, ...)
{
	va_list ap;
	char *out;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	out = malloc((size_t)n + 1);
	if (!out)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(out, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return out;
}

void ps_buf_add(ps_buf *b, const void *p, size_t n)
{
	if (b->failed)
		return;
	if (b->size + n > b->cap) {
		size_t cap = (b->size + n) * 2 + 64;
		uint8_t *grown = realloc(b->data, cap);
		if (!grown) {
			b->failed = 1;
			return;
		}
		b->data = grown;
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->size, p, n);
	b->size += n;
}
