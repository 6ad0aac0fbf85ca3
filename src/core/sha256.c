/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * SHA-256 as FIPS 180-4 specifies it. Our own because the core has no
 * crypto library on either platform and needs nothing more than a stable,
 * collision-resistant digest of an item's canonical bytes; checked against
 * the standard's test vectors in tests/test_sync.c. On x86 CPUs with the
 * SHA extensions the blocks are compressed by those instructions (a first
 * sync digests every item, and the portable rounds were 13-15% of it);
 * the portable code stays the reference and the fallback, and the tests
 * run both.
 */
#include "core/sha256.h"

#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define HAVE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
			(uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void compress_portable(uint32_t h[8], const uint8_t *p, size_t blocks)
{
	for (; blocks; blocks--, p += 64)
		compress(h, p);
}

#ifdef HAVE_SHA_NI
/*
 * Four rounds per step: the state is kept as ABEF and CDGH, the way
 * sha256rnds2 wants it; message words W[4i..4i+3] live in m[i % 4] and are
 * extended by sha256msg1/msg2 three steps ahead of their use.
 */
__attribute__((target("sha,ssse3,sse4.1")))
static void compress_sha_ni(uint32_t h[8], const uint8_t *p, size_t blocks)
{
	const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i st0, st1, tmp, msg, m[4], save0, save1;
	int i;

	tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1); /* CDAB */
	st1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B); /* EFGH */
	st0 = _mm_alignr_epi8(tmp, st1, 8);                                      /* ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xF0);                                   /* CDGH */
	for (; blocks; blocks--, p += 64) {
		save0 = st0;
		save1 = st1;
#pragma GCC unroll 16
		for (i = 0; i < 16; i++) {
			if (i < 4)
				m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), swap);
			msg = _mm_add_epi32(m[i & 3], _mm_loadu_si128((const __m128i *)&k[4 * i]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, msg);
			if (i >= 3 && i <= 14) {
				tmp = _mm_alignr_epi8(m[i & 3], m[(i - 1) & 3], 4);
				m[(i + 1) & 3] = _mm_add_epi32(m[(i + 1) & 3], tmp);
				m[(i + 1) & 3] = _mm_sha256msg2_epu32(m[(i + 1) & 3], m[i & 3]);
			}
			msg = _mm_shuffle_epi32(msg, 0x0E);
			st0 = _mm_sha256rnds2_epu32(st0, st1, msg);
			if (i >= 1 && i <= 12)
				m[(i - 1) & 3] = _mm_sha256msg1_epu32(m[(i - 1) & 3], m[i & 3]);
		}
		st0 = _mm_add_epi32(st0, save0);
		st1 = _mm_add_epi32(st1, save1);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1B);          /* FEBA */
	st1 = _mm_shuffle_epi32(st1, 0xB1);          /* DCHG */
	st0 = _mm_blend_epi16(tmp, st1, 0xF0);       /* DCBA */
	st1 = _mm_alignr_epi8(st1, tmp, 8);          /* HGFE */
	_mm_storeu_si128((__m128i *)&h[0], st0);
	_mm_storeu_si128((__m128i *)&h[4], st1);
}

static int cpu_has_sha_ni(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return 0;
	if (__get_cpuid_max(0, NULL) < 7)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return (b >> 29) & 1;
}
#endif

/* 0 until first use, then the portable or the CPU's compression */
static void (*compress_blocks)(uint32_t h[8], const uint8_t *p, size_t blocks);

int ps__sha256_hw(int allow)
{
	compress_blocks = compress_portable;
#ifdef HAVE_SHA_NI
	if (allow && cpu_has_sha_ni())
		compress_blocks = compress_sha_ni;
#endif
	return compress_blocks != compress_portable;
}

static void compress_run(uint32_t h[8], const uint8_t *p, size_t blocks)
{
	if (!compress_blocks)
		ps__sha256_hw(1);
	compress_blocks(h, p, blocks);
}

void ps__sha256_init(ps_sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(c->h, iv, sizeof(iv));
	c->length = 0;
	c->fill = 0;
}

void ps__sha256_update(ps_sha256 *c, const void *data, size_t size)
{
	const uint8_t *p = data;

	c->length += size;
	if (c->fill) {
		size_t take = 64 - c->fill < size ? 64 - c->fill : size;
		memcpy(c->block + c->fill, p, take);
		c->fill += take;
		p += take;
		size -= take;
		if (c->fill < 64)
			return;
		compress_run(c->h, c->block, 1);
		c->fill = 0;
	}
	if (size >= 64) {
		compress_run(c->h, p, size / 64);
		p += size & ~(size_t)63;
		size &= 63;
	}
	memcpy(c->block, p, size);
	c->fill = size;
}

void ps__sha256_final(ps_sha256 *c, uint8_t out[PS_SHA256_SIZE])
{
	uint64_t bits = c->length * 8;
	int i;

	c->block[c->fill++] = 0x80;
	if (c->fill > 56) {
		memset(c->block + c->fill, 0, 64 - c->fill);
		compress_run(c->h, c->block, 1);
		c->fill = 0;
	}
	memset(c->block + c->fill, 0, 56 - c->fill);
	for (i = 0; i < 8; i++)
		c->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	compress_run(c->h, c->block, 1);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}

void ps__sha256(const void *data, size_t size, uint8_t out[PS_SHA256_SIZE])
{
	ps_sha256 c;

	ps__sha256_init(&c);
	ps__sha256_update(&c, data, size);
	ps__sha256_final(&c, out);
}
