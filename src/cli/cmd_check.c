/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * `pstsync check`: the integrity check of a PST file (see
 * include/pstsync/check.h), printed one problem a line, or as JSON. The exit
 * status says it all: 0 clean, 1 problems found, 2 not readable. With
 * --repair, what can be put right in place is first (ps_pst_repair).
 */
#include "cli/cli.h"
#include "cli/json.h"
#include "pstsync/check.h"
#include "pstsync/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct report {
	struct cli *cli;
	json_writer *json;
	const char *path;
};

static void report_cb(void *ctx, enum ps_check_area area, const char *line)
{
	struct report *r = ctx;

	if (r->json) {
		json_begin_object(r->json);
		json_kv_string(r->json, "area", ps_check_area_name(area));
		if (strncmp(line, "note: ", 6) == 0)
			json_kv_string(r->json, "note", line + 6);
		else
			json_kv_string(r->json, "problem", line);
		json_end_object(r->json);
		return;
	}
	printf("%s: %s: %s\n", r->path, ps_check_area_name(area), line);
}

int cmd_check(struct cli *cli, int argc, char **argv)
{
	ps_check_summary sum;
	struct report r;
	json_writer w;
	int rc, i, n, repair = 0, repair_failed = 0;

	for (i = 1, n = 1; i < argc; i++) {
		if (strcmp(argv[i], "--repair") == 0)
			repair = 1;
		else
			argv[n++] = argv[i];
	}
	argc = n;
	argv[argc] = NULL;
	rc = cli_common_options(cli, cli_find_command("check"), &argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (argc != 2)
		return cli_usage("check", "check takes one store");
	/* first what can be put right in place, then the check of the result */
	if (repair) {
		unsigned fixed = 0;
		/* a store that cannot be written (ANSI, held) is still checked */
		if (ps_pst_repair(argv[1], &fixed) != PS_OK) {
			cli_fail_core();
			repair_failed = 1;
		} else if (!cli->json && !cli->quiet) {
			fprintf(stderr, "%s: repaired %u table%s\n", argv[1], fixed, fixed == 1 ? "" : "s");
		}
	}
	memset(&sum, 0, sizeof(sum));
	r.cli = cli;
	r.json = NULL;
	r.path = argv[1];
	if (cli->json) {
		json_init(&w, stdout);
		json_begin_object(&w);
		json_kv_string(&w, "store", argv[1]);
		json_key(&w, "problems");
		json_begin_array(&w);
		r.json = &w;
	}
	rc = ps_pst_check(argv[1], report_cb, &r, &sum);
	if (cli->json) {
		json_end_array(&w);
		json_kv_bool(&w, "readable", rc == PS_OK);
		if (rc != PS_OK)
			json_kv_string(&w, "error", ps_error_last());
		json_kv_uint(&w, "notes", sum.notes);
		json_kv_uint(&w, "pages", sum.pages);
		json_kv_uint(&w, "blocks", sum.blocks);
		json_kv_uint(&w, "nodes", sum.nodes);
		json_kv_uint(&w, "folders", sum.folders);
		json_kv_uint(&w, "messages", sum.messages);
		json_key(&w, "by_area");
		json_begin_object(&w);
		for (i = 0; i < PS_CHECK_AREA_COUNT; i++)
			json_kv_uint(&w, ps_check_area_name((enum ps_check_area)i), sum.by_area[i]);
		json_end_object(&w);
		json_end_object(&w);
		json_finish(&w);
	}
	if (rc != PS_OK) {
		if (!cli->json)
			cli_fail_core();
		return 2;
	}
	if (!cli->json) {
		printf("%s: %s, %u pages, %u blocks, %u nodes, %u folders, %u messages checked: ",
			argv[1], sum.unicode ? "Unicode" : "ANSI", sum.pages, sum.blocks, sum.nodes,
			sum.folders, sum.messages);
		if (sum.problems == 0)
			printf("no problems");
		else
			printf("%u problem%s", sum.problems, sum.problems == 1 ? "" : "s");
		if (sum.notes)
			printf(", %u note%s", sum.notes, sum.notes == 1 ? "" : "s");
		printf("\n");
	}
	return sum.problems || repair_failed ? 1 : 0;
}
