/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Internal entry point of the integrity checker (see pstsync/check.h), on a
 * store already opened (leniently) by the NDB layer; used by
 * ps_pst_check(), ps_pst_check_mem() and the fuzz entry point.
 */
#ifndef PSTSYNC_PST_CHECK_H
#define PSTSYNC_PST_CHECK_H

#include "pstsync/check.h"
#include "pst/ndb.h"

/** Run every check on @p ndb; same contract as ps_pst_check(). */
int ps_check__run(ps_ndb *ndb, ps_check_report_cb cb, void *ctx, ps_check_summary *out);

/**
 * Fuzz entry point: open the image @p data in memory, walk it and check it.
 * Always returns 0 (a libFuzzer target returns this); never crashes on any
 * input.
 */
int ps_pst_fuzz_one(const uint8_t *data, size_t size);

#endif
