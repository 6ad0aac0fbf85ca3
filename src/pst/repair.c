/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * `pstsync check --repair` (see pstsync/check.h): what the checker finds
 * and a writer can put right in place, put right in one transaction of the
 * ordinary writer, so that it is locked and crash-safe like any change.
 * Today: tables whose row matrix has blocks but the last that are not full
 * ([MS-PST] 2.3.4.4), which earlier versions of pstsync wrote. Every
 * write of pstsync repairs them as well (store_write.c, at the first flush).
 */
#include "pstsync/check.h"

#include "core/util.h"
#include "pst/store_pst.h"
#include "pstsync/errors.h"
#include "pstsync/sys/store_backend.h"

#include <stdlib.h>

int ps_pst_repair(const char *path, unsigned *fixed)
{
	struct ps_store *store = NULL;
	struct pst_store *st;
	int rc;

	*fixed = 0;
	/* the writer's own open, as ps_store_open() does for writing (called
	 * directly: the PST layer stands without the rest of the core) */
	if ((rc = ps_store_pst_ops.open(&store, path, PS_STORE_WRITE)) < 0)
		return rc;
	store->ops = &ps_store_pst_ops;
	store->path = ps__strdup(path);
	if (!store->path) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	st = (struct pst_store *)store;
	st->tables_scanned = 1;
	if ((rc = pst__repair_tables(st, fixed)) < 0 || *fixed == 0)
		goto cleanup;
	if ((rc = pst__begin(store)) < 0)
		goto cleanup;
	rc = pst__commit(store);
cleanup:
	if (rc < 0)
		*fixed = 0;
	free(store->path);
	store->path = NULL;
	ps_store_pst_ops.close(store);
	return rc;
}
