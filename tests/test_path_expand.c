/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the variables in settings paths (ps_path_expand(), src/core/
 * path_expand.c) and of their life in the settings: expanded when used,
 * kept as written when saved.
 */
#include "harness.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <windows.h>
#endif

static void set_env(const char *name, const char *value)
{
#ifdef _WIN32
	SetEnvironmentVariableA(name, value);
#else
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
#endif
}

/* The four Windows names and HOME as the test found them, put back at its end. */
static const char *const saved_names[] = { "USERNAME", "APPDATA", "LOCALAPPDATA", "USERPROFILE", "HOME" };
static char *saved[5];

static void save_env(void)
{
	size_t i;

	for (i = 0; i < 5; i++)
		ps_os_getenv(&saved[i], saved_names[i]);
}

static void restore_env(void)
{
	size_t i;

	for (i = 0; i < 5; i++) {
		set_env(saved_names[i], saved[i]);
		free(saved[i]);
		saved[i] = NULL;
	}
}

static void check_expand(const char *want, const char *path)
{
	char *got = NULL;

	CHECK_OK(ps_path_expand(&got, path));
	CHECKF(strcmp(got, want) == 0, "'%s' expands to '%s', expected '%s'", path, got, want);
	free(got);
}

void test_path_expand__windows_names(void)
{
	save_env();
	set_env("USERNAME", "anna");
	set_env("APPDATA", "C:\\Users\\anna\\AppData\\Roaming");
	set_env("LOCALAPPDATA", "C:\\Users\\anna\\AppData\\Local");
	set_env("USERPROFILE", "C:\\Users\\anna");
	check_expand("C:\\Users\\anna\\AppData\\Local\\pst\\anna.pst", "%LOCALAPPDATA%\\pst\\%USERNAME%.pst");
	check_expand("C:\\Users\\anna\\AppData\\Roaming\\x.pst", "%appdata%\\x.pst");
	check_expand("C:\\Users\\anna\\Documents\\Outlook Files\\outlook.pst",
		"%UserProfile%\\Documents\\Outlook Files\\outlook.pst");
	/* other names, half names and a lone '%' stay as written */
	check_expand("%TEMP%\\x.pst", "%TEMP%\\x.pst");
	check_expand("100%\\x.pst", "100%\\x.pst");
	check_expand("%USERNAME", "%USERNAME");
	check_expand("%USERNAMEX%", "%USERNAMEX%");
	check_expand("%", "%");
	check_expand("", "");
	set_env("USERNAME", NULL);
	check_expand("\\\\server\\%USERNAME%.pst", "\\\\server\\%USERNAME%.pst");
	restore_env();
}

void test_path_expand__home(void)
{
#ifdef _WIN32
	SKIP("~ and $HOME are put in on POSIX systems only");
#else
	save_env();
	set_env("HOME", "/home/anna");
	check_expand("/home/anna/pst/a.pst", "~/pst/a.pst");
	check_expand("/home/anna", "~");
	check_expand("~bernd/a.pst", "~bernd/a.pst");
	check_expand("/x/~/a.pst", "/x/~/a.pst");
	check_expand("/home/anna/a.pst", "$HOME/a.pst");
	check_expand("/home/anna/a.pst", "${HOME}/a.pst");
	check_expand("$HOMEX/a.pst", "$HOMEX/a.pst");
	check_expand("$HOME_2/a.pst", "$HOME_2/a.pst");
	restore_env();
#endif
}

void test_path_expand__settings_keep_what_was_written(void)
{
	const char *dir = ps_test_tmpdir();
	char path[1024], *text;
	ps_settings *s = NULL;
	ps_profile *p = NULL;
	size_t size;

	save_env();
	set_env("LOCALAPPDATA", "C:\\Local");
	set_env("USERNAME", "bernd");
	snprintf(path, sizeof(path), "%s", ps_test_path(dir, "office.ini"));
	CHECK_OK(ps_settings_load(&s, path));
	CHECK_OK(ps_settings_profile_add(&p, s, "Office", "%LOCALAPPDATA%\\%USERNAME%.pst",
		"\\\\server\\office\\common.pst"));
	CHECK_EQ_STR("C:\\Local\\bernd.pst", ps_profile_local(p));
	CHECK_EQ_STR("%LOCALAPPDATA%\\%USERNAME%.pst", ps_profile_local_written(p));
	CHECK_EQ_STR("\\\\server\\office\\common.pst", ps_profile_global(p));
	CHECK_OK(ps_settings_save(s));
	ps_settings_free(s);
	text = ps_test_read_file(path, &size);
	CHECKF(strstr(text, "local = %LOCALAPPDATA%\\%USERNAME%.pst") != NULL, "saved: %s", text);
	free(text);

	/* another user reading the same file gets their own path */
	set_env("USERNAME", "clara");
	CHECK_OK(ps_settings_load(&s, path));
	CHECK_OK(ps_settings_profile_find(&p, s, "office"));
	CHECK_EQ_STR("C:\\Local\\clara.pst", ps_profile_local(p));
	CHECK_OK(ps_profile_set_stores(p, NULL, "%USERPROFILE%\\g.pst"));
	set_env("USERPROFILE", NULL);
	CHECK_EQ_STR("%LOCALAPPDATA%\\%USERNAME%.pst", ps_profile_local_written(p));
	ps_settings_free(s);
	restore_env();
}
