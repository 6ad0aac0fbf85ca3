/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Text conversions inside the core: UTF-16LE as PSTs store it, Windows-1252
 * for ANSI stores, and UTF-8 everywhere else. All results are malloc'ed and
 * NUL-terminated; invalid input is replaced with U+FFFD, never rejected, so a
 * damaged string can still be shown.
 */
#ifndef PSTSYNC_UTF_H
#define PSTSYNC_UTF_H

#include <stddef.h>
#include <stdint.h>

/** UTF-16LE bytes (a trailing NUL is dropped) to UTF-8; NULL only when out of memory. */
char *ps_utf16le_to_utf8(const uint8_t *data, size_t size);

/** 8-bit string bytes to UTF-8: kept as is when valid UTF-8, else read as Windows-1252. */
char *ps_string8_to_utf8(const uint8_t *data, size_t size);

/** UTF-8 to UTF-16LE bytes without a NUL; *size_out gets the byte count. */
uint8_t *ps_utf8_to_utf16le(const char *text, size_t *size_out);

/** 1 when @p size bytes at @p data are valid UTF-8. */
int ps_utf8_valid(const uint8_t *data, size_t size);

#endif
