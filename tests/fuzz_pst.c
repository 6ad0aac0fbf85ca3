/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * libFuzzer target for our own PST parsing code: every input is opened as a
 * PST image in memory, every node read through the NDB and LTP readers, and
 * the integrity checker run over it (ps_pst_fuzz_one). Built by `make
 * fuzz-short` (part of `make check`) and `make fuzz` (a long run), seeded
 * with the sample stores.
 */
#include "pst/check.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ps_pst_fuzz_one(data, size);
	return 0;
}
