/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The protocol's stamps of linked folders (schema 4): what a sync records at
 * its end so that the next knows a link's tables did not change
 * (src/core/sync_stamps.c). Round trip, forgetting them all, and a link's
 * stamps going with the link.
 */
#include "harness.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/protocol.h"

#include <stdio.h>
#include <string.h>

static const char *stamp_db(const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/stamps-%s", ps_test_tmpdir(), name);
	ps_path_remove(path);
	return path;
}

void test_stamps__round_trip_and_clear(void)
{
	ps_protocol *p = NULL;
	ps_protocol_table_stamp s, got;
	int64_t id = 0, id2 = 0;

	CHECK_OK(ps_protocol_open(&p, stamp_db("round.db")));
	CHECK_OK(ps_protocol_link_add(p, "/Contacts", "/Contacts", 0, &id));
	CHECK_OK(ps_protocol_link_add(p, "/Calendar", "/Calendar", 1, &id2));
	CHECK_EQ_INT(PS_ENOTFOUND, ps_protocol_stamp_get(p, id, 0, &got));
	memset(&s, 0, sizeof(s));
	s.folder_nid = 0x8062;
	s.data_bid = 0x123456789abcULL;
	s.sub_bid = 0x2468ace0ULL;
	s.items = 40000;
	s.not_carried = 3;
	s.direction = 2;
	CHECK_OK(ps_protocol_stamp_set(p, id, 1, &s));
	CHECK_OK(ps_protocol_stamp_set(p, id2, 0, &s));
	CHECK_OK(ps_protocol_stamp_get(p, id, 1, &got));
	CHECK(memcmp(&s, &got, sizeof(s)) == 0);
	CHECK_EQ_INT(PS_ENOTFOUND, ps_protocol_stamp_get(p, id, 0, &got));
	CHECK_EQ_INT(PS_EINVAL, ps_protocol_stamp_get(p, id, 2, &got));
	/* a link removed takes its stamps along */
	CHECK_OK(ps_protocol_link_remove(p, id2));
	CHECK_EQ_INT(PS_ENOTFOUND, ps_protocol_stamp_get(p, id2, 0, &got));
	/* a sync starts by forgetting them all */
	CHECK_OK(ps_protocol_stamps_clear(p));
	CHECK_EQ_INT(PS_ENOTFOUND, ps_protocol_stamp_get(p, id, 1, &got));
	ps_protocol_close(p);
}
