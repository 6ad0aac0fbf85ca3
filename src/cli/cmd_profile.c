/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * `pstsync profile ...` and `pstsync options ...`: the command line over the
 * settings module (include/pstsync/settings.h). Each command reads the
 * settings file (`--config FILE`, else the user's default one), makes its
 * change, saves it through the module (which keeps the user's comments and
 * order) and says what it did; list, show and options also speak JSON.
 * Exit status: 0 done, 1 the settings could not be read or written (or a
 * profile or link does not exist), 2 the command line is wrong.
 */
#include "cli/cli.h"
#include "cli/json.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/recovery.h"
#include "pstsync/settings.h"
#include "pstsync/sync.h"
#include "pstsync/store.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Take "--NAME VALUE" and "--NAME=VALUE" for each of @p names (NULL-ended)
 * out of argv into @p values, then the options every command knows.
 */
static int take_options(struct cli *cli, const struct cli_command *cmd, int *argc, char **argv,
	const char *const *names, const char **values)
{
	int i, n = 1;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];
		int k, taken = 0;

		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[n++] = argv[i++];
			break;
		}
		for (k = 0; names[k]; k++) {
			size_t len = strlen(names[k]);
			if (strncmp(a, names[k], len) == 0 && a[len] == '=') {
				values[k] = a + len + 1;
				taken = 1;
			} else if (strcmp(a, names[k]) == 0) {
				if (i + 1 >= *argc)
					return cli_usage(cmd->name, "'%s' needs a value", a);
				values[k] = argv[++i];
				taken = 1;
			}
			if (taken)
				break;
		}
		if (!taken)
			argv[n++] = argv[i];
	}
	*argc = n;
	argv[n] = NULL;
	return cli_common_options(cli, cmd, argc, argv);
}

/* A failed change: wrong arguments are the command line's fault (2), the rest 1. */
static int change_failed(const char *cmd, int rc)
{
	if (rc == PS_EINVAL)
		return cli_usage(cmd, "%s", ps_error_last());
	return cli_fail_core();
}

static int load(struct cli *cli, ps_settings **out)
{
	if (ps_settings_load(out, cli->config) != PS_OK)
		return cli_fail_core();
	return EXIT_OK;
}

static int save(ps_settings *s)
{
	if (ps_settings_save(s) != PS_OK)
		return cli_fail_core();
	return EXIT_OK;
}

static const char *arrow(ps_direction d)
{
	switch (d) {
	case PS_DIRECTION_FROM_GLOBAL: return "<-";
	case PS_DIRECTION_TO_GLOBAL: return "->";
	default: return "<->";
	}
}

static void json_profile(json_writer *w, const ps_profile *p)
{
	size_t i;

	json_kv_string(w, "name", ps_profile_name(p));
	json_kv_bool(w, "enabled", ps_profile_enabled(p));
	json_kv_string(w, "local", ps_profile_local(p));
	json_kv_string(w, "global", ps_profile_global(p));
	json_key(w, "links");
	json_begin_array(w);
	for (i = 0; i < ps_profile_link_count(p); i++) {
		const ps_link *l = ps_profile_link_at(p, i);
		json_begin_object(w);
		json_kv_string(w, "local", ps_link_local(l));
		json_kv_string(w, "global", ps_link_global(l));
		json_kv_string(w, "direction", ps_direction_name(ps_link_direction(l)));
		json_end_object(w);
	}
	json_end_array(w);
}

/*
 * A store path as the settings keep it: absolute, so the tray finds it too;
 * one that uses a variable (%LOCALAPPDATA%\x.pst) as written.
 */
static int absolute_store(const char *path, char **out)
{
	if (path[0] == '\0')
		return cli_usage("profile", "a store path is empty");
	if (ps_path_for_settings(out, path) != PS_OK)
		return cli_fail_core();
	return EXIT_OK;
}

/* A store that is not there may be a typing error, or a share not mounted now. */
static void warn_if_missing(struct cli *cli, const char *path)
{
	char msg[1200];

	if (ps_path_kind(path) != PS_PATH_NONE)
		return;
	snprintf(msg, sizeof(msg), "'%s' does not exist (yet): the profile keeps the path", path);
	cli_warning(msg, cli);
}

static int profile_add(struct cli *cli, ps_settings *s, int argc, char **argv, const char *local,
	const char *global)
{
	char *l = NULL, *g = NULL;
	ps_profile *p;
	int rc;

	if (argc != 1 || !local || !global)
		return cli_usage("profile", "profile add takes a NAME, --local STORE and --global STORE");
	rc = absolute_store(local, &l);
	if (rc == EXIT_OK)
		rc = absolute_store(global, &g);
	if (rc == EXIT_OK) {
		int st = ps_settings_profile_add(&p, s, argv[0], l, g);
		rc = st != PS_OK ? change_failed("profile", st) : save(s);
	}
	if (rc == EXIT_OK) {
		printf("added profile '%s' to '%s'\n  local store:  %s\n  global store: %s\n",
			ps_profile_name(p), ps_settings_path(s), l, g);
		warn_if_missing(cli, ps_profile_local(p));
		warn_if_missing(cli, ps_profile_global(p));
	}
	free(l);
	free(g);
	return rc;
}

static int find(ps_settings *s, const char *name, ps_profile **out)
{
	if (ps_settings_profile_find(out, s, name) != PS_OK)
		return cli_fail_core();
	return EXIT_OK;
}

struct folder_seek {
	const char *want;
	int found;
};

static int seek_cb(const ps_folder_info *fi, void *ctx)
{
	struct folder_seek *f = ctx;
	const char *a = fi->path, *b = f->want;

	for (;; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return 0;
		if (!x)
			break;
	}
	f->found = 1;
	return 1;
}

/*
 * A link to a folder that does not exist (a typo) is refused unless
 * @p create: the sync would make it and fill it. A store that does not
 * exist yet, or cannot be read now, is not checked.
 */
static int check_folders(const ps_profile *p, const char *local, const char *global, int create)
{
	const char *store[2] = { ps_profile_local(p), ps_profile_global(p) };
	const char *path[2] = { local, global };
	int t;

	for (t = 0; t < 2 && !create; t++) {
		struct folder_seek f = { path[t], 0 };
		ps_store *st = NULL;
		char *norm;
		size_t len;
		if (ps_path_kind(store[t]) != PS_PATH_FILE)
			continue;
		if (ps_store_open(&st, store[t], PS_STORE_BROWSE) != PS_OK)
			continue;
		norm = ps__strdup(path[t]);
		len = norm ? strlen(norm) : 0;
		while (len > 1 && norm[len - 1] == '/')
			norm[--len] = '\0';
		f.want = norm ? norm : path[t];
		(void)ps_store_walk_tree(st, seek_cb, &f);
		ps_store_close(st);
		free(norm);
		if (!f.found)
			return cli_fail("no folder '%s' in the %s store '%s': check the name, or add --create "
				"to have the sync make it", path[t], t ? "global" : "local", store[t]);
	}
	return EXIT_OK;
}

static int profile_link(ps_settings *s, int argc, char **argv, const char *direction, int create)
{
	ps_direction d = PS_DIRECTION_BOTH;
	ps_profile *p;
	ps_link *l;
	int rc;

	if (argc != 3)
		return cli_usage("profile", "profile link takes a NAME, a LOCAL folder and a GLOBAL folder");
	if (direction && ps_direction_parse(&d, direction) != PS_OK)
		return cli_usage("profile", "%s", ps_error_last());
	if ((rc = find(s, argv[0], &p)) != EXIT_OK)
		return rc;
	if ((rc = check_folders(p, argv[1], argv[2], create)) != EXIT_OK)
		return rc;
	if ((rc = ps_profile_link_add(&l, p, argv[1], argv[2], d)) != PS_OK)
		return change_failed("profile", rc);
	if ((rc = save(s)) != EXIT_OK)
		return rc;
	printf("linked local %s %s global %s (%s) in profile '%s'\n", ps_link_local(l),
		arrow(d), ps_link_global(l), ps_direction_name(d), ps_profile_name(p));
	return EXIT_OK;
}

static int profile_unlink(ps_settings *s, int argc, char **argv)
{
	ps_profile *p;
	ps_link *l;
	char *words = NULL;
	int rc, st;

	if (argc != 2 && argc != 3)
		return cli_usage("profile", "profile unlink takes a NAME, a LOCAL folder and maybe a "
			"GLOBAL folder");
	if ((rc = find(s, argv[0], &p)) != EXIT_OK)
		return rc;
	st = ps_profile_link_find(&l, p, argv[1], argc == 3 ? argv[2] : NULL);
	if (st != PS_OK)
		return change_failed("profile", st);
	/* the link as the file has it (the arguments may differ in case) */
	words = malloc(strlen(ps_link_local(l)) + strlen(ps_link_global(l)) + 40);
	if (!words)
		return cli_fail("out of memory");
	sprintf(words, "local %s %s global %s (%s)", ps_link_local(l), arrow(ps_link_direction(l)),
		ps_link_global(l), ps_direction_name(ps_link_direction(l)));
	st = ps_profile_link_remove(p, ps_link_local(l), ps_link_global(l));
	rc = st != PS_OK ? cli_fail_core() : save(s);
	if (rc == EXIT_OK)
		printf("unlinked %s in profile '%s'; its sync state goes at the profile's next sync\n",
			words, ps_profile_name(p));
	free(words);
	return rc;
}

static int profile_enable(ps_settings *s, int argc, char **argv, int on)
{
	ps_profile *p;
	int rc;

	if (argc != 1)
		return cli_usage("profile", "profile %s takes a NAME", on ? "enable" : "disable");
	if ((rc = find(s, argv[0], &p)) != EXIT_OK)
		return rc;
	if (ps_profile_enabled(p) == on) {
		printf("profile '%s' is %s already\n", ps_profile_name(p), on ? "enabled" : "disabled");
		return EXIT_OK;
	}
	ps_profile_set_enabled(p, on);
	if ((rc = save(s)) != EXIT_OK)
		return rc;
	printf("%s profile '%s'\n", on ? "enabled" : "disabled", ps_profile_name(p));
	return EXIT_OK;
}

static int profile_remove(ps_settings *s, int argc, char **argv)
{
	ps_profile *p;
	char *name, *proto = NULL, *kept = NULL;
	size_t links;
	int rc;

	if (argc != 1)
		return cli_usage("profile", "profile remove takes a NAME");
	if ((rc = find(s, argv[0], &p)) != EXIT_OK)
		return rc;
	links = ps_profile_link_count(p);
	/* its recovery store stays: what it keeps may still be wanted */
	if (ps_sync_protocol_path(s, p, &proto) == PS_OK && ps_recovery_path(proto, &kept) == PS_OK &&
	    ps_path_kind(kept) != PS_PATH_FILE) {
		free(kept);
		kept = NULL;
	}
	free(proto);
	name = malloc(strlen(ps_profile_name(p)) + 1);
	if (!name)
		return cli_fail("out of memory");
	strcpy(name, ps_profile_name(p));
	rc = ps_settings_profile_remove(s, name) != PS_OK ? cli_fail_core() : save(s);
	if (rc == EXIT_OK)
		printf("removed profile '%s' and its %zu link%s from '%s'\n", name, links,
			links == 1 ? "" : "s", ps_settings_path(s));
	if (rc == EXIT_OK && kept)
		printf("its recovery store '%s' stays: delete it when nothing in it is needed\n", kept);
	free(kept);
	free(name);
	return rc;
}

static int profile_list(struct cli *cli, ps_settings *s, int argc)
{
	size_t i, n = ps_settings_profile_count(s), wname = 4, wlocal = 11;
	json_writer w;

	if (argc != 0)
		return cli_usage("profile", "profile list takes no arguments");
	if (cli->json) {
		json_init(&w, stdout);
		json_begin_object(&w);
		json_kv_string(&w, "file", ps_settings_path(s));
		json_key(&w, "profiles");
		json_begin_array(&w);
		for (i = 0; i < n; i++) {
			json_begin_object(&w);
			json_profile(&w, ps_settings_profile_at(s, i));
			json_end_object(&w);
		}
		json_end_array(&w);
		json_end_object(&w);
		json_finish(&w);
		return EXIT_OK;
	}
	if (n == 0) {
		printf("no profiles in '%s' (add one with 'pstsync profile add NAME --local L.pst "
			"--global G.pst')\n", ps_settings_path(s));
		return EXIT_OK;
	}
	for (i = 0; i < n; i++) {
		const ps_profile *p = ps_settings_profile_at(s, i);
		if (cli_text_width(ps_profile_name(p)) > wname)
			wname = cli_text_width(ps_profile_name(p));
		if (cli_text_width(ps_profile_local(p)) > wlocal)
			wlocal = cli_text_width(ps_profile_local(p));
	}
	printf("profiles in '%s':\n", ps_settings_path(s));
	cli_print_padded(stdout, "NAME", wname);
	printf("  ENABLED  LINKS  ");
	cli_print_padded(stdout, "LOCAL STORE", wlocal);
	printf("  GLOBAL STORE\n");
	for (i = 0; i < n; i++) {
		const ps_profile *p = ps_settings_profile_at(s, i);
		cli_print_padded(stdout, ps_profile_name(p), wname);
		printf("  %-7s  %5zu  ", ps_profile_enabled(p) ? "yes" : "no", ps_profile_link_count(p));
		cli_print_padded(stdout, ps_profile_local(p), wlocal);
		printf("  %s\n", ps_profile_global(p));
	}
	return EXIT_OK;
}

/* Add one profile of the office's file, or replace the user's of that name. */
static int import_one(ps_settings *s, const ps_profile *from, int replace, int *added)
{
	const char *name = ps_profile_name(from);
	ps_profile *p;
	size_t i;
	int rc;

	int taken = ps_settings_profile_find(NULL, s, name) == PS_OK;

	*added = 0;
	if (taken) {
		if (!replace) {
			printf("kept profile '%s': '%s' has one of that name (--replace replaces it)\n",
				name, ps_settings_path(s));
			return PS_OK;
		}
		if ((rc = ps_settings_profile_remove(s, name)) != PS_OK)
			return rc;
	}
	ps_error_clear();
	rc = ps_settings_profile_add(&p, s, name, ps_profile_local_written(from),
		ps_profile_global_written(from));
	if (rc == PS_OK)
		rc = ps_profile_set_enabled(p, ps_profile_enabled(from));
	for (i = 0; rc == PS_OK && i < ps_profile_link_count(from); i++) {
		const ps_link *l = ps_profile_link_at(from, i);
		rc = ps_profile_link_add(NULL, p, ps_link_local(l), ps_link_global(l),
			ps_link_direction(l));
	}
	if (rc == PS_OK) {
		*added = 1;
		printf("%s profile '%s' (%zu links)\n  local store:  %s\n  global store: %s\n",
			taken ? "replaced" : "added", name, ps_profile_link_count(p),
			ps_profile_local_written(p), ps_profile_global_written(p));
	}
	return rc;
}

static int profile_import(ps_settings *s, int argc, char **argv, int replace)
{
	ps_settings *office = NULL;
	size_t i, n = 0;
	int rc = EXIT_OK, st = PS_OK, added;

	if (argc != 1)
		return cli_usage("profile", "profile import takes one settings FILE");
	if (ps_settings_load(&office, argv[0]) != PS_OK)
		return cli_fail_core();
	if (ps_path_kind(argv[0]) != PS_PATH_FILE) {
		ps_settings_free(office);
		ps_error_set(PS_ENOTFOUND, "cannot import from '%s': no such file", argv[0]);
		return cli_fail_core();
	}
	for (i = 0; st == PS_OK && i < ps_settings_profile_count(office); i++) {
		st = import_one(s, ps_settings_profile_at(office, i), replace, &added);
		n += added;
	}
	if (st != PS_OK)
		rc = change_failed("profile", st);
	else if (n && (rc = save(s)) == EXIT_OK)
		printf("imported %zu of %zu profiles from '%s' into '%s'\n", n,
			ps_settings_profile_count(office), argv[0], ps_settings_path(s));
	else if (!n)
		printf("nothing imported from '%s' (%zu profiles)\n", argv[0],
			ps_settings_profile_count(office));
	ps_settings_free(office);
	return rc;
}

static int profile_show(struct cli *cli, ps_settings *s, int argc, char **argv)
{
	ps_profile *p;
	json_writer w;
	size_t i, n, wl = 0;
	int rc;

	if (argc != 1)
		return cli_usage("profile", "profile show takes a NAME");
	if ((rc = find(s, argv[0], &p)) != EXIT_OK)
		return rc;
	if (cli->json) {
		json_init(&w, stdout);
		json_begin_object(&w);
		json_kv_string(&w, "file", ps_settings_path(s));
		json_profile(&w, p);
		json_end_object(&w);
		json_finish(&w);
		return EXIT_OK;
	}
	n = ps_profile_link_count(p);
	printf("profile  %s\n", ps_profile_name(p));
	printf("file     %s\n", ps_settings_path(s));
	printf("enabled  %s\n", ps_profile_enabled(p) ? "yes" : "no");
	for (i = 0; i < 2; i++) {
		const char *written = i ? ps_profile_global_written(p) : ps_profile_local_written(p);
		const char *used = i ? ps_profile_global(p) : ps_profile_local(p);
		printf("%s   %s", i ? "global" : "local ", written);
		if (strcmp(written, used) != 0)
			printf("  (here: %s)", used);
		printf("\n");
	}
	printf("links    %zu%s\n", n, n ? " (local folder, direction, global folder)" : "");
	for (i = 0; i < n; i++)
		if (cli_text_width(ps_link_local(ps_profile_link_at(p, i))) > wl)
			wl = cli_text_width(ps_link_local(ps_profile_link_at(p, i)));
	for (i = 0; i < n; i++) {
		const ps_link *l = ps_profile_link_at(p, i);
		printf("  ");
		cli_print_padded(stdout, ps_link_local(l), wl);
		printf("  %-3s  %s  (%s)\n", arrow(ps_link_direction(l)), ps_link_global(l),
			ps_direction_name(ps_link_direction(l)));
	}
	return EXIT_OK;
}

int cmd_profile(struct cli *cli, int argc, char **argv)
{
	static const char *const names[] = { "--local", "--global", "--direction", NULL };
	const char *values[3] = { NULL, NULL, NULL };
	int replace = 0;
	const struct cli_command *self = cli_find_command("profile");
	ps_settings *s = NULL;
	const char *sub;
	int i, k, rc, create = 0;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (cli_is_help(argv[i])) {
			fputs(self->usage, stdout);
			return EXIT_OK;
		}
	/* --create (profile link) and --replace (profile import): flags, taken
	 * out before the valued options */
	for (i = k = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[k++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--create") == 0)
			create = 1;
		else if (strcmp(argv[i], "--replace") == 0)
			replace = 1;
		else
			argv[k++] = argv[i];
	}
	argc = k;
	argv[argc] = NULL;
	rc = take_options(cli, self, &argc, argv, names, values);
	if (rc != EXIT_OK)
		return rc;
	if (argc < 2)
		return cli_usage("profile", "profile needs a subcommand: add, remove, link, unlink, "
			"enable, disable, list, show or import");
	sub = argv[1];
	if ((values[0] || values[1]) && strcmp(sub, "add") != 0)
		return cli_usage("profile", "--local and --global belong to 'profile add'");
	if (values[2] && strcmp(sub, "link") != 0)
		return cli_usage("profile", "--direction belongs to 'profile link'");
	if (replace && strcmp(sub, "import") != 0)
		return cli_usage("profile", "--replace belongs to 'profile import'");
	if (create && strcmp(sub, "link") != 0)
		return cli_usage("profile", "--create belongs to 'profile link'");
	if (strcmp(sub, "add") && strcmp(sub, "remove") && strcmp(sub, "link") && strcmp(sub, "unlink")
	    && strcmp(sub, "enable") && strcmp(sub, "disable") && strcmp(sub, "list")
	    && strcmp(sub, "show") && strcmp(sub, "import"))
		return cli_usage("profile", "unknown subcommand 'profile %s'", sub);
	if (strcmp(sub, "add") != 0 && (rc = cli_settings_exist(cli)) != EXIT_OK)
		return rc;
	if ((rc = load(cli, &s)) != EXIT_OK)
		return rc;
	argc -= 2;
	argv += 2;
	if (strcmp(sub, "add") == 0)
		rc = profile_add(cli, s, argc, argv, values[0], values[1]);
	else if (strcmp(sub, "remove") == 0)
		rc = profile_remove(s, argc, argv);
	else if (strcmp(sub, "link") == 0)
		rc = profile_link(s, argc, argv, values[2], create);
	else if (strcmp(sub, "unlink") == 0)
		rc = profile_unlink(s, argc, argv);
	else if (strcmp(sub, "enable") == 0 || strcmp(sub, "disable") == 0)
		rc = profile_enable(s, argc, argv, strcmp(sub, "enable") == 0);
	else if (strcmp(sub, "list") == 0)
		rc = profile_list(cli, s, argc);
	else if (strcmp(sub, "import") == 0)
		rc = profile_import(s, argc, argv, replace);
	else
		rc = profile_show(cli, s, argc, argv);
	ps_settings_free(s);
	return rc;
}

static int options_show(struct cli *cli, ps_settings *s)
{
	size_t i, n = ps_settings_option_count();
	char value[32];
	json_writer w;

	if (cli->json) {
		json_init(&w, stdout);
		json_begin_object(&w);
		json_kv_string(&w, "file", ps_settings_path(s));
		json_key(&w, "options");
		json_begin_object(&w);
	} else {
		printf("options in '%s':\n", ps_settings_path(s));
	}
	for (i = 0; i < n; i++) {
		const char *key = ps_settings_option_key(i);
		ps_settings_option_get(s, key, value, sizeof(value));
		if (!cli->json) {
			printf("  %-26s %s\n", key, value);
			continue;
		}
		/* yes/no as booleans and numbers as numbers, for scripts */
		if (strcmp(value, "yes") == 0 || strcmp(value, "no") == 0)
			json_kv_bool(&w, key, value[0] == 'y');
		else if (value[0] >= '0' && value[0] <= '9')
			json_kv_int(&w, key, strtol(value, NULL, 10));
		else
			json_kv_string(&w, key, value);
	}
	if (cli->json) {
		json_end_object(&w);
		json_end_object(&w);
		json_finish(&w);
	}
	return EXIT_OK;
}

int cmd_options(struct cli *cli, int argc, char **argv)
{
	static const char *const names[] = { NULL };
	const struct cli_command *self = cli_find_command("options");
	ps_settings *s = NULL;
	char old[32];
	int i, rc, st;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (cli_is_help(argv[i])) {
			fputs(self->usage, stdout);
			return EXIT_OK;
		}
	rc = take_options(cli, self, &argc, argv, names, NULL);
	if (rc != EXIT_OK)
		return rc;
	if (argc == 1) {
		if ((rc = load(cli, &s)) == EXIT_OK)
			rc = options_show(cli, s);
		ps_settings_free(s);
		return rc;
	}
	if (strcmp(argv[1], "set") != 0)
		return cli_usage("options", "unknown subcommand 'options %s'", argv[1]);
	if (argc != 4)
		return cli_usage("options", "options set takes a KEY and a VALUE");
	if (!ps_settings_option_values(argv[2])) {
		char keys[512] = "";
		size_t k, used = 0;
		for (k = 0; k < ps_settings_option_count() && used < sizeof(keys); k++)
			used += (size_t)snprintf(keys + used, sizeof(keys) - used, "%s%s", k ? ", " : "",
				ps_settings_option_key(k));
		return cli_usage("options", "unknown option '%s' (options: %s)", argv[2], keys);
	}
	if ((rc = load(cli, &s)) != EXIT_OK)
		return rc;
	ps_settings_option_get(s, argv[2], old, sizeof(old));
	st = ps_settings_option_set(s, argv[2], argv[3]);
	if (st != PS_OK)
		rc = change_failed("options", st);
	else
		rc = save(s);
	if (rc == EXIT_OK) {
		char now[32];
		ps_settings_option_get(s, argv[2], now, sizeof(now));
		if (strcmp(old, now) == 0)
			printf("%s is %s already in '%s'\n", argv[2], now, ps_settings_path(s));
		else
			printf("set %s to %s (was %s) in '%s'\n", argv[2], now, old, ps_settings_path(s));
	}
	ps_settings_free(s);
	return rc;
}
