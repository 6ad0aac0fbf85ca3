/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Small helpers of the core (see util.h). */
#include "core/util.h"
#include "pstsync/os.h"

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

int ps__note_write(const char *path, const char *text)
{
	ps_file *file = NULL;
	int rc;

	/* PS_OPEN_CREATE makes new files only: the last note goes first */
	if ((rc = ps_path_remove(path)) != PS_OK ||
	    (rc = ps_file_open(&file, path, PS_OPEN_WRITE | PS_OPEN_CREATE)) != PS_OK)
		return rc;
	rc = ps_file_write_at(file, 0, text, strlen(text));
	ps_file_close(file);
	if (rc != PS_OK)
		ps_path_remove(path);
	return rc;
}

int ps__note_read(const char *path, char *buf, size_t cap)
{
	ps_file *file = NULL;
	uint64_t size = 0;
	int rc;

	buf[0] = '\0';
	if ((rc = ps_file_open(&file, path, PS_OPEN_READ)) != PS_OK)
		return rc;
	if ((rc = ps_file_size(file, &size)) == PS_OK) {
		if (size >= cap)
			rc = ps_error_set(PS_ECORRUPT, "'%s' is too long for a note", path);
		else if ((rc = ps_file_read_at(file, 0, buf, (size_t)size)) == PS_OK)
			buf[size] = '\0';
	}
	if (rc != PS_OK)
		buf[0] = '\0';
	ps_file_close(file);
	return rc;
}
