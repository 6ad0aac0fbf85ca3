/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * libFuzzer target for the settings file (src/core/settings.c, and its save, settings_save.c). An input is an INI file, optionally followed by a NUL byte and
 * up to four NUL-separated strings that become a profile's name, its two
 * store paths and a link's folder path. Each input is loaded; a file that
 * is refused must be refused with one message naming the file and a line
 * that exists. A file that is accepted is changed as the commands change
 * it (an option, a profile ticked off, links added, changed and removed, a
 * profile removed and one added with the strings), saved, and read back:
 * the saved file must load again and hold exactly the settings that were
 * saved. Any other outcome ends the process, which libFuzzer reports.
 */
#include "fuzz_common.h"

#include "pstsync/errors.h"
#include "pstsync/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The settings as text, one line per value: what must survive a save. */
static char *describe(const ps_settings *s)
{
	char *buf = NULL;
	size_t len = 0, i, j;
	char value[64];
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	for (i = 0; i < ps_settings_option_count(); i++) {
		const char *key = ps_settings_option_key(i);
		if (ps_settings_option_get(s, key, value, sizeof(value)) != PS_OK)
			abort();
		fprintf(f, "option %s=%s\n", key, value);
	}
	for (i = 0; i < ps_settings_profile_count(s); i++) {
		const ps_profile *p = ps_settings_profile_at(s, i);
		fprintf(f, "profile [%s] local [%s] global [%s] enabled %d\n", ps_profile_name(p),
			ps_profile_local(p), ps_profile_global(p), ps_profile_enabled(p));
		for (j = 0; j < ps_profile_link_count(p); j++) {
			const ps_link *l = ps_profile_link_at(p, j);
			fprintf(f, "  link [%s] [%s] %s\n", ps_link_local(l), ps_link_global(l),
				ps_direction_name(ps_link_direction(l)));
		}
	}
	fclose(f);
	return buf;
}

/* A refusal must be one line: "cannot read 'PATH': line N: why", N a line of
 * the file (or the one after the last, for what is missing at the end). */
static void check_refusal(int rc, const char *path, const uint8_t *text, size_t size)
{
	const char *msg = ps_error_last();
	char want[600];
	unsigned long line, lines = 1;
	size_t i;

	if (rc == PS_ENOMEM)
		return;
	snprintf(want, sizeof(want), "cannot read '%s': line ", path);
	if (rc != PS_ECONFIG || strncmp(msg, want, strlen(want)) != 0 || strchr(msg, '\n')) {
		fprintf(stderr, "fuzz_settings: refused with status %d and the message \"%s\"\n", rc, msg);
		abort();
	}
	for (i = 0; i < size; i++)
		lines += text[i] == '\n';
	line = strtoul(msg + strlen(want), NULL, 10);
	if (line < 1 || line > lines + 1) {
		fprintf(stderr, "fuzz_settings: line %lu of a file of %lu lines: \"%s\"\n", line, lines,
			msg);
		abort();
	}
}

/* Change @p s as the commands would; every mutator must either work or
 * refuse without changing anything, which the round trip then shows. */
static void change(ps_settings *s, const char *const str[4])
{
	ps_profile *p = ps_settings_profile_at(s, 0), *np = NULL;
	ps_link *l;
	char *local, *global, *name;

	(void)ps_settings_option_set(s, "conflicts", "both");
	(void)ps_settings_option_set(s, "interval_minutes", "30");
	if (p) {
		(void)ps_profile_set_enabled(p, !ps_profile_enabled(p));
		(void)ps_profile_link_add(NULL, p, "/Fuzz local", "/Fuzz; global #1",
			PS_DIRECTION_FROM_GLOBAL);
		if ((l = ps_profile_link_at(p, 0)) != NULL)
			(void)ps_link_set_direction(l, PS_DIRECTION_TO_GLOBAL);
		if (ps_profile_link_count(p) > 2) {
			l = ps_profile_link_at(p, 1);
			local = strdup(ps_link_local(l));
			global = strdup(ps_link_global(l));
			if (!local || !global)
				abort();
			(void)ps_profile_link_remove(p, local, global);
			free(local);
			free(global);
		}
	}
	if (ps_settings_profile_count(s) > 1) {
		name = strdup(ps_profile_name(ps_settings_profile_at(s, 1)));
		if (!name)
			abort();
		(void)ps_settings_profile_remove(s, name);
		free(name);
	}
	if (ps_settings_profile_add(&np, s, str[0], str[1], str[2]) == PS_OK) {
		(void)ps_profile_link_add(NULL, np, str[3], "/Contacts", PS_DIRECTION_BOTH);
		(void)ps_profile_link_add(NULL, np, "/Calendar", str[3], PS_DIRECTION_BOTH);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t ini_size = nul ? (size_t)(nul - data) : size;
	const char *str[4] = { "Fuzz profile", "/home/anna/outlook.pst", "//server/office/common.pst",
		"/Fuzz folder" };
	char *strings = NULL, *before = NULL, *after = NULL;
	const char *path = fuzz_path(0, "pstsync.ini");
	ps_settings *s = NULL, *again = NULL;
	int rc;

	if (nul) {
		/* the strings after the file, NUL-separated (a copy that ends in NUL) */
		size_t rest = size - ini_size - 1, k = 0;
		char *q;
		strings = malloc(rest + 1);
		if (!strings)
			return 0;
		memcpy(strings, nul + 1, rest);
		strings[rest] = '\0';
		for (q = strings; k < 4 && q <= strings + rest; k++) {
			str[k] = q;
			q += strlen(q) + 1;
		}
	}
	fuzz_clean_dir();
	fuzz_write(path, data, ini_size);
	rc = ps_settings_load(&s, path);
	if (rc != PS_OK) {
		check_refusal(rc, path, data, ini_size);
		goto done;
	}
	change(s, str);
	before = describe(s);
	rc = ps_settings_save(s);
	if (rc != PS_OK && rc != PS_ENOMEM) {
		fprintf(stderr, "fuzz_settings: cannot save settings it read: %s\n", ps_error_last());
		abort();
	}
	if (rc == PS_OK) {
		rc = ps_settings_load(&again, path);
		if (rc != PS_OK && rc != PS_ENOMEM) {
			fprintf(stderr, "fuzz_settings: cannot read back what it saved: %s\n",
				ps_error_last());
			abort();
		}
		if (rc == PS_OK) {
			after = describe(again);
			if (strcmp(before, after) != 0) {
				fprintf(stderr, "fuzz_settings: saved\n%s\nread back\n%s\n", before, after);
				abort();
			}
		}
	}
done:
	ps_settings_free(s);
	ps_settings_free(again);
	free(before);
	free(after);
	free(strings);
	return 0;
}
