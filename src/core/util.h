/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Small helpers every part of the core uses: allocation checks, string
 * copies that exist on every C library we build with, and little-endian
 * loads and stores for on-disk structures.
 */
#ifndef PSTSYNC_UTIL_H
#define PSTSYNC_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "pstsync/errors.h"

/** Leave the function through `cleanup` with PS_ENOMEM when @p ptr is NULL. */
#define PS_CHECK_ALLOC(ptr, rc) \
	do { if (!(ptr)) { (rc) = ps_error_set(PS_ENOMEM, "out of memory"); goto cleanup; } } while (0)

/** strdup / strndup that also exist on Windows; NULL when out of memory. */
char *ps__strdup(const char *s);
char *ps__strndup(const char *s, size_t n);

/** A malloc'ed printf. */
char *ps__asprintf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 1, 2)))
#endif
	;

/**
 * A small text file beside another (a note, a seal), best effort: the old
 * one removed, then @p text written to a new file; a file that could not be
 * written whole is removed again. PS_OK when it is there.
 */
int ps__note_write(const char *path, const char *text);

/**
 * The text of such a note into @p buf (NUL-terminated); an error when it is
 * missing, cannot be read or holds @p cap bytes or more.
 */
int ps__note_read(const char *path, char *buf, size_t cap);

/** A growing byte buffer; @c failed is set once an allocation fails (later adds do nothing). */
typedef struct ps_buf {
	uint8_t *data;
	size_t size, cap;
	int failed;
} ps_buf;

/** Append @p n bytes (none when the buffer has failed). */
void ps_buf_add(ps_buf *b, const void *p, size_t n);

static inline uint16_t ps__le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t ps__le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t ps__le64(const uint8_t *p)
{
	return (uint64_t)ps__le32(p) | ((uint64_t)ps__le32(p + 4) << 32);
}
static inline void ps__put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void ps__put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void ps__put64(uint8_t *p, uint64_t v) { ps__put32(p, (uint32_t)v); ps__put32(p + 4, (uint32_t)(v >> 32)); }

#endif
