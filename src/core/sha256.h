/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * SHA-256 (FIPS 180-4), small and dependency-free, for the sync engine's
 * content fingerprints (fingerprint.c) and the names of protocol files.
 * Internal to the core.
 */
#ifndef PSTSYNC_SHA256_H
#define PSTSYNC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define PS_SHA256_SIZE 32

typedef struct ps_sha256 {
	uint32_t h[8];
	uint64_t length;        /* bytes fed so far */
	uint8_t block[64];
	size_t fill;            /* bytes waiting in block */
} ps_sha256;

void ps__sha256_init(ps_sha256 *c);
void ps__sha256_update(ps_sha256 *c, const void *data, size_t size);
void ps__sha256_final(ps_sha256 *c, uint8_t out[PS_SHA256_SIZE]);

/**
 * Whether the CPU's SHA instructions may be used (they are by default where
 * present). Returns 1 if they are now in use, 0 if the portable code is.
 * For tests and benchmarks; not thread-safe against running digests.
 */
int ps__sha256_hw(int allow);

/** One-shot digest of @p size bytes. */
void ps__sha256(const void *data, size_t size, uint8_t out[PS_SHA256_SIZE]);

#endif
