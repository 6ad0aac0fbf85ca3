/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * libFuzzer target for what the command line reads from its arguments: the
 * "STORE:/PATH#ID" locations (ps_location_parse) and the NAME=VALUE
 * properties of `pstsync set` and `add` (ps_prop_settings_parse(),
 * src/core/prop_values.c). An input is lines: the first is a
 * location, the second a message class, the others NAME=VALUE arguments.
 * The arguments are parsed as `add` parses them; when they are accepted the
 * item is built as `add` builds it (the values, then Outlook's defaults for
 * the class), written into a store in a transaction, read back, and must
 * come back with the same content (the same fingerprint). The transaction
 * is then dropped, so the store stays small. The whole input is also read
 * as an HTML body (ps_html_to_text), as `set PidTagHtml=...` reads one.
 */
#include "fuzz_common.h"

#include "pstsync/item_edit.h"
#include "pstsync/errors.h"
#include "pstsync/prop_values.h"
#include "pstsync/store.h"
#include "pstsync/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ps_store *store;
static uint32_t folder_nid;
/* The target's reports go here (stderr; the core prints nothing). */
static FILE *report;

static void setup(void)
{
	const char *path = fuzz_path(0, "values.pst");

	report = stderr;
	fuzz_clean_dir();
	if (ps_store_create(&store, path, "Values") != PS_OK
	    || ps_store_find_folder(store, "/Contacts", &folder_nid) != PS_OK) {
		fprintf(report, "fuzz_setvalue: cannot make a store: %s\n", ps_error_last());
		abort();
	}
}

/* Write @p item, read it back, compare; the transaction is dropped. */
static void round_trip(ps_item *item)
{
	uint8_t want[PS_SYNC_FINGERPRINT_SIZE], got[PS_SYNC_FINGERPRINT_SIZE];
	ps_item *back = NULL;
	uint32_t nid = 0;

	if (ps_store_begin(store) != PS_OK)
		return;
	if (ps_store_put_item(store, folder_nid, item, 0, &nid) == PS_OK
	    && ps_store_read_item(store, nid, &back) == PS_OK) {
		ps_sync_fingerprint(item, want);
		ps_sync_fingerprint(back, got);
		if (memcmp(want, got, sizeof(want)) != 0) {
			fprintf(report, "fuzz_setvalue: the item read back differs from the one written\n");
			abort();
		}
	}
	ps_item_free(back);
	ps_store_abort(store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const classes[] = { "IPM.Contact", "IPM.Appointment", "IPM.Task",
		"IPM.Note", "IPM.StickyNote", "IPM.Activity", "IPM.DistList" };
	char *text, *line, *next, *store_path = NULL, *folder = NULL;
	char **argv;
	const char *cls = classes[0];
	ps_prop_setting *settings = NULL;
	size_t nsettings = 0;
	ps_item *item = NULL;
	uint32_t nid = 0;
	int argc = 0, has_nid = 0, n = 0;

	if (!store)
		setup();
	text = malloc(size + 1);
	argv = calloc(size + 2, sizeof(*argv));
	if (!text || !argv)
		goto done;
	memcpy(text, data, size);
	text[size] = '\0';
	/* the whole input as an HTML body too, as `set PidTagHtml=` reads one */
	free(ps_html_to_text((const char *)data, size));
	for (line = text; line; line = next, n++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (n == 0) {
			if (ps_location_parse(line, &store_path, &folder, &nid, &has_nid) == PS_OK
			    && (!store_path || (folder && folder[0] != '/'))) {
				fprintf(report, "fuzz_setvalue: '%s' parsed into a location without a "
					"store or with a folder not starting with '/'\n", line);
				abort();
			}
		} else if (n == 1) {
			if (strncmp(line, "IPM", 3) == 0 && (line[3] == '\0' || line[3] == '.'))
				cls = line;
			else if (line[0])
				cls = classes[(unsigned char)line[0] % (sizeof(classes) / sizeof(classes[0]))];
		} else if (line[0]) {
			/* an empty line is no argument (a file's last line ends in one) */
			argv[argc++] = line;
		}
	}
	if (ps_prop_settings_parse(&settings, &nsettings, argc, (const char *const *)argv,
	    "fuzz.pst") != PS_OK)
		goto done;
	item = calloc(1, sizeof(*item));
	if (!item)
		goto done;
	if (ps_prop_settings_apply(item, settings, nsettings) != PS_OK
	    || ps_item_defaults(item, cls, (const uint8_t *)"pstsync change!!") != PS_OK)
		goto done;
	free(ps_item_text(item, "PidTagSubject"));
	round_trip(item);
done:
	ps_prop_settings_free(settings, nsettings);
	ps_item_free(item);
	free(store_path);
	free(folder);
	free(argv);
	free(text);
	return 0;
}
