/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the settings module (include/pstsync/settings.h): everything
 * round-trips through save and load, files written by hand load right and
 * keep their comments and order when the program changes them, every kind
 * of bad line gives PS_ECONFIG with the file and its line number, paths in
 * any script and with backslashes survive, and a missing file gives the
 * defaults.
 */
#include "harness.h"
#include "pstsync/os.h"
#include "pstsync/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Write @p size bytes to @p path through the OS layer, which takes UTF-8
 * names on every platform (the harness's fopen does not on Windows). */
static void write_bytes(const char *path, const void *data, size_t size)
{
	ps_file *f = NULL;

	CHECK_OK(ps_path_remove(path));
	CHECK_OK(ps_file_open(&f, path, PS_OPEN_WRITE | PS_OPEN_CREATE));
	if (size > 0)
		CHECK_OK(ps_file_write_at(f, 0, data, size));
	ps_file_close(f);
}

/* Write @p text to @p name in the test's folder and return its path (static). */
static const char *write_text(const char *name, const char *text)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s", ps_test_path(ps_test_tmpdir(), name));
	write_bytes(path, text, strlen(text));
	return path;
}

/* The whole file, NUL-terminated (malloc'ed); *size gets its length. */
static char *read_bytes(const char *path, size_t *size)
{
	ps_file *f = NULL;
	uint64_t n;
	char *data;

	CHECK_OK(ps_file_open(&f, path, PS_OPEN_READ));
	CHECK_OK(ps_file_size(f, &n));
	data = malloc((size_t)n + 1);
	CHECK(data != NULL);
	if (n > 0)
		CHECK_OK(ps_file_read_at(f, 0, data, (size_t)n));
	ps_file_close(f);
	data[n] = '\0';
	*size = (size_t)n;
	return data;
}

/* The file's text with CR removed (new files use CRLF on Windows). */
static char *read_text(const char *path)
{
	size_t size, i, n = 0;
	char *data = read_bytes(path, &size);

	for (i = 0; i < size; i++)
		if (data[i] != '\r')
			data[n++] = data[i];
	data[n] = '\0';
	return data;
}

static void check_text(const char *path, const char *want)
{
	char *got = read_text(path);

	if (strcmp(got, want) != 0) {
		static char copy[4096];
		snprintf(copy, sizeof(copy), "%s", got);
		free(got);
		CHECKF(0, "file '%s' is\n%s\n-- expected --\n%s", path, copy, want);
	}
	free(got);
}

void test_settings__missing_file_gives_defaults(void)
{
	ps_settings *s = NULL;
	const ps_options *o;
	const char *path = ps_test_path(ps_test_tmpdir(), "absent/pstsync.ini");

	CHECK_OK(ps_settings_load(&s, path));
	o = ps_settings_options(s);
	CHECK_EQ_INT(1, o->confirm_deletes);
	CHECK_EQ_INT(50, o->mass_delete_percent);
	CHECK_EQ_INT(5, o->mass_delete_minimum);
	CHECK_EQ_INT(PS_CONFLICTS_ASK, o->conflicts);
	CHECK_EQ_INT(1, o->show_progress);
	CHECK_EQ_INT(1, o->hide_progress_when_done);
	CHECK_EQ_INT(0, o->sync_when_outlook_starts);
	CHECK_EQ_INT(0, o->sync_when_outlook_exits);
	CHECK_EQ_INT(0, o->interval_minutes);
	CHECK_EQ_INT(30, o->recovery_days);
	CHECK_EQ_INT(500, o->recovery_max_mb);
	CHECK_EQ_INT(0, ps_settings_profile_count(s));
	CHECK_EQ_STR(path, ps_settings_path(s));
	/* nothing changed: nothing written, no folder made */
	CHECK_OK(ps_settings_save(s));
	CHECK_EQ_INT(PS_PATH_NONE, ps_path_kind(ps_test_path(ps_test_tmpdir(), "absent")));
	ps_settings_free(s);
	/* an empty file is fine too */
	CHECK_OK(ps_settings_load(&s, write_text("empty.ini", "")));
	CHECK_EQ_INT(0, ps_settings_profile_count(s));
	ps_settings_free(s);
}

/* Values that need every trick of the format. */
static const char *const odd_names[] = {
	"Büro (Anna's PC)", " spaced ; name # ", "Quote \"dq\" only; semi", "日本語 プロファイル",
};
static const char *const odd_locals[] = {
	"C:\\Users\\Jürgen\\Outlook Files\\outlook.pst", "/home/x/trailing\\",
	"D:\\My #1\\x.pst", "'starts with a quote.pst",
};
static const char *const odd_globals[] = {
	"\\\\server\\share\\common.pst", "\"dq start.pst", "/g.pst", "Z:\\Ω\\共有\\common.pst",
};

void test_settings__round_trip(void)
{
	char path[1024];
	ps_settings *s = NULL, *t = NULL;
	ps_options o;
	ps_profile *p;
	ps_link *l;
	size_t i, j;

	snprintf(path, sizeof(path), "%s", ps_test_path(ps_test_tmpdir(), "new folder/ünï/pstsync.ini"));
	CHECK_OK(ps_settings_load(&s, path));
	o = *ps_settings_options(s);
	o.confirm_deletes = 0;
	o.mass_delete_percent = 20;
	o.mass_delete_minimum = 100;
	o.conflicts = PS_CONFLICTS_BOTH;
	o.show_progress = 0;
	o.hide_progress_when_done = 0;
	o.sync_when_outlook_starts = 1;
	o.sync_when_outlook_exits = 1;
	o.interval_minutes = 45;
	CHECK_OK(ps_settings_set_options(s, &o));
	for (i = 0; i < 4; i++) {
		CHECK_OK(ps_settings_profile_add(&p, s, odd_names[i], odd_locals[i], odd_globals[i]));
		CHECK_OK(ps_profile_link_add(NULL, p, "/Contacts", "/Kontakte/Geschäft", PS_DIRECTION_BOTH));
		CHECK_OK(ps_profile_link_add(NULL, p, "/Calendar/", "/Office calendar; shared",
			PS_DIRECTION_FROM_GLOBAL));
		CHECK_OK(ps_profile_link_add(NULL, p, "/Notes\\x", "/Notes #2 ", PS_DIRECTION_TO_GLOBAL));
	}
	CHECK_OK(ps_settings_profile_find(&p, s, odd_names[1]));
	CHECK_OK(ps_profile_set_enabled(p, 0));
	CHECK(ps_settings_dirty(s));
	CHECK_OK(ps_settings_save(s));
	CHECK(!ps_settings_dirty(s));

	CHECK_OK(ps_settings_load(&t, path));
	CHECK(memcmp(&o, ps_settings_options(t), sizeof(o)) == 0);
	CHECK_EQ_INT(4, ps_settings_profile_count(t));
	for (i = 0; i < 4; i++) {
		p = ps_settings_profile_at(t, i);
		CHECK_EQ_STR(odd_names[i], ps_profile_name(p));
		CHECK_EQ_STR(odd_locals[i], ps_profile_local(p));
		CHECK_EQ_STR(odd_globals[i], ps_profile_global(p));
		CHECK_EQ_INT(i != 1, ps_profile_enabled(p));
		CHECK_EQ_INT(3, ps_profile_link_count(p));
		for (j = 0; j < 3; j++) {
			static const char *const loc[] = { "/Contacts", "/Calendar", "/Notes\\x" };
			static const char *const glo[] = { "/Kontakte/Geschäft", "/Office calendar; shared",
				"/Notes #2 " };
			l = ps_profile_link_at(p, j);
			CHECK_EQ_STR(loc[j], ps_link_local(l));
			CHECK_EQ_STR(glo[j], ps_link_global(l));
			CHECK_EQ_INT((int)j, (int)ps_link_direction(l));
		}
	}
	/* a change made and undone writes nothing */
	CHECK_OK(ps_settings_option_set(t, "interval_minutes", "10"));
	CHECK_OK(ps_settings_option_set(t, "interval_minutes", "45"));
	CHECK_OK(ps_settings_save(t));
	ps_settings_free(t);
	ps_settings_free(s);
}

void test_settings__new_file_layout(void)
{
	const char *path = ps_test_path(ps_test_tmpdir(), "pstsync.ini");
	ps_settings *s = NULL;
	ps_profile *p;

	CHECK_OK(ps_settings_load(&s, path));
	CHECK_OK(ps_settings_option_set(s, "conflicts", "later"));
	CHECK_OK(ps_settings_profile_add(&p, s, "Office", "/home/anna/outlook.pst", "//server/common.pst"));
	CHECK_OK(ps_profile_link_add(NULL, p, "/Contacts", "/Contacts", PS_DIRECTION_BOTH));
	CHECK_OK(ps_settings_save(s));
	ps_settings_free(s);
	check_text(path,
		"# pstsync settings. You may edit this file by hand: pstsync keeps your comments.\n"
		"# Options: 'pstsync options --help'. Profiles and links: 'pstsync profile --help'.\n"
		"\n"
		"[options]\n"
		"confirm_deletes          = yes\n"
		"mass_delete_percent      = 50\n"
		"mass_delete_minimum      = 5\n"
		"conflicts                = later\n"
		"show_progress            = yes\n"
		"hide_progress_when_done  = yes\n"
		"sync_when_outlook_starts = no\n"
		"sync_when_outlook_exits  = no\n"
		"interval_minutes         = 0\n"
		"recovery_days            = 30\n"
		"recovery_max_mb          = 500\n"
		"\n"
		"[profile 1]\n"
		"name = Office\n"
		"local = /home/anna/outlook.pst\n"
		"global = //server/common.pst\n"
		"enabled = yes\n"
		"link1.local = /Contacts\n"
		"link1.global = /Contacts\n"
		"link1.direction = both\n");
}

static const char hand_written[] =
	"# My pstsync settings\n"
	";   edited by hand\n"
	"\n"
	"[Options]\n"
	"  Confirm_Deletes = NO     ; I know what I do\n"
	"conflicts=later\n"
	"\n"
	"# work\n"
	"[profile 7]\n"
	"name    = Work\n"
	"local   = /home/anna/work.pst\n"
	"global  = //server/common.pst   # the shared one\n"
	"\tLink3.Local  = /Contacts/\n"
	"link3.global = /Contacts\n"
	"# calendars only one way\n"
	"link5.local = /Calendar\n"
	"link5.global =   /Team calendar\n"
	"link5.direction = From-Global\n"
	"\n"
	"# home, disabled for now\n"
	"[ PROFILE   2 ]\n"
	"name = Home\n"
	"local = \"/home/anna/home #1.pst\"\n"
	"global = '/mnt/nas/family \"nas\".pst' ; quoted\n"
	"enabled = off\n";

void test_settings__hand_written_file_is_read(void)
{
	ps_settings *s = NULL;
	const ps_options *o;
	ps_profile *p;

	CHECK_OK(ps_settings_load(&s, write_text("hand.ini", hand_written)));
	o = ps_settings_options(s);
	CHECK_EQ_INT(0, o->confirm_deletes);
	CHECK_EQ_INT(PS_CONFLICTS_LATER, o->conflicts);
	CHECK_EQ_INT(50, o->mass_delete_percent);
	CHECK_EQ_INT(2, ps_settings_profile_count(s));
	p = ps_settings_profile_at(s, 0);
	CHECK_EQ_STR("Work", ps_profile_name(p));
	CHECK_EQ_STR("//server/common.pst", ps_profile_global(p));
	CHECK_EQ_INT(1, ps_profile_enabled(p));
	CHECK_EQ_INT(2, ps_profile_link_count(p));
	CHECK_EQ_STR("/Contacts", ps_link_local(ps_profile_link_at(p, 0)));
	CHECK_EQ_INT(PS_DIRECTION_BOTH, ps_link_direction(ps_profile_link_at(p, 0)));
	CHECK_EQ_STR("/Team calendar", ps_link_global(ps_profile_link_at(p, 1)));
	CHECK_EQ_INT(PS_DIRECTION_FROM_GLOBAL, ps_link_direction(ps_profile_link_at(p, 1)));
	CHECK_OK(ps_settings_profile_find(&p, s, "HOME"));
	CHECK_EQ_STR("Home", ps_profile_name(p));
	CHECK_EQ_STR("/home/anna/home #1.pst", ps_profile_local(p));
	CHECK_EQ_STR("/mnt/nas/family \"nas\".pst", ps_profile_global(p));
	CHECK_EQ_INT(0, ps_profile_enabled(p));
	ps_settings_free(s);
}

void test_settings__program_changes_keep_comments_and_order(void)
{
	const char *path = write_text("hand.ini", hand_written);
	ps_settings *s = NULL;
	ps_profile *work, *home, *laptop;

	CHECK_OK(ps_settings_load(&s, path));
	CHECK_OK(ps_settings_option_set(s, "interval_minutes", "15"));
	CHECK_OK(ps_settings_option_set(s, "confirm_deletes", "yes"));
	CHECK_OK(ps_settings_option_set(s, "conflicts", "LATER")); /* same value: untouched */
	CHECK_OK(ps_settings_profile_find(&work, s, "work"));
	CHECK_OK(ps_profile_link_remove(work, "/contacts", NULL));
	CHECK_OK(ps_profile_link_add(NULL, work, "/Notes", "/Notes", PS_DIRECTION_TO_GLOBAL));
	CHECK_OK(ps_profile_set_enabled(work, 0));
	CHECK_OK(ps_settings_profile_find(&home, s, "Home"));
	CHECK_OK(ps_profile_set_enabled(home, 1));
	CHECK_OK(ps_profile_set_stores(home, NULL, "/mnt/nas/family.pst"));
	CHECK_OK(ps_settings_profile_add(&laptop, s, "Laptop", "/l.pst", "/g.pst"));
	CHECK_OK(ps_settings_save(s));
	ps_settings_free(s);
	check_text(path,
		"# My pstsync settings\n"
		";   edited by hand\n"
		"\n"
		"[Options]\n"
		"  Confirm_Deletes = yes     ; I know what I do\n"
		"conflicts=later\n"
		"interval_minutes         = 15\n"
		"\n"
		"# work\n"
		"[profile 7]\n"
		"name    = Work\n"
		"local   = /home/anna/work.pst\n"
		"global  = //server/common.pst   # the shared one\n"
		"enabled = no\n"
		"# calendars only one way\n"
		"link5.local = /Calendar\n"
		"link5.global =   /Team calendar\n"
		"link5.direction = From-Global\n"
		"link6.local = /Notes\n"
		"link6.global = /Notes\n"
		"link6.direction = to-global\n"
		"\n"
		"# home, disabled for now\n"
		"[ PROFILE   2 ]\n"
		"name = Home\n"
		"local = \"/home/anna/home #1.pst\"\n"
		"global = /mnt/nas/family.pst ; quoted\n"
		"enabled = yes\n"
		"\n"
		"[profile 8]\n"
		"name = Laptop\n"
		"local = /l.pst\n"
		"global = /g.pst\n"
		"enabled = yes\n");
	/* and it reads back as the program meant */
	CHECK_OK(ps_settings_load(&s, path));
	CHECK_EQ_INT(15, ps_settings_options(s)->interval_minutes);
	CHECK_EQ_INT(3, ps_settings_profile_count(s));
	CHECK_EQ_INT(0, ps_profile_enabled(ps_settings_profile_at(s, 0)));
	CHECK_EQ_INT(2, ps_profile_link_count(ps_settings_profile_at(s, 0)));
	ps_settings_free(s);
}

void test_settings__remove_profile_takes_its_comments(void)
{
	const char *path = write_text("rm.ini",
		"# the file's own comment\n"
		"[profile 1]\n"
		"name = A\n"
		"local = a\n"
		"global = a\n"
		"\n"
		"# about B\n"
		"# more about B\n"
		"[profile 2]\n"
		"name = B\n"
		"local = b\n"
		"# B's links\n"
		"global = b\n"
		"link1.local = /x\n"
		"link1.global = /y\n"
		"# a note before C\n"
		"\n"
		"[profile 3]\n"
		"name = C\n"
		"local = c\n"
		"global = c\n");
	ps_settings *s = NULL;

	CHECK_OK(ps_settings_load(&s, path));
	CHECK_OK(ps_settings_profile_remove(s, "b"));
	CHECK_STATUS(PS_ENOTFOUND, ps_settings_profile_remove(s, "b"));
	CHECK_OK(ps_settings_save(s));
	check_text(path,
		"# the file's own comment\n"
		"[profile 1]\n"
		"name = A\n"
		"local = a\n"
		"global = a\n"
		"\n"
		"# a note before C\n"
		"\n"
		"[profile 3]\n"
		"name = C\n"
		"local = c\n"
		"global = c\n");
	CHECK_OK(ps_settings_profile_remove(s, "A"));
	CHECK_OK(ps_settings_profile_remove(s, "C"));
	CHECK_OK(ps_settings_save(s));
	check_text(path,
		"# the file's own comment\n"
		"\n"
		"# a note before C\n");
	ps_settings_free(s);
}

void test_settings__new_options_section_goes_before_the_profiles(void)
{
	const char *path = write_text("opt.ini",
		"# my settings\n"
		"\n"
		"# work\n"
		"[profile 1]\n"
		"name = A\n"
		"local = a\n"
		"global = g\n");
	ps_settings *s = NULL;

	CHECK_OK(ps_settings_load(&s, path));
	CHECK_OK(ps_settings_option_set(s, "sync_when_outlook_exits", "yes"));
	CHECK_OK(ps_settings_save(s));
	check_text(path,
		"# my settings\n"
		"\n"
		"[options]\n"
		"sync_when_outlook_exits  = yes\n"
		"\n"
		"# work\n"
		"[profile 1]\n"
		"name = A\n"
		"local = a\n"
		"global = g\n");
	ps_settings_free(s);
	path = write_text("opt2.ini", "[profile 1]\nname = A\nlocal = a\nglobal = g");
	CHECK_OK(ps_settings_load(&s, path));
	CHECK_OK(ps_settings_option_set(s, "interval_minutes", "5"));
	CHECK_OK(ps_settings_profile_add(NULL, s, "B", "b", "g"));
	CHECK_OK(ps_settings_save(s));
	ps_settings_free(s);
	check_text(path,
		"[options]\n"
		"interval_minutes         = 5\n"
		"\n"
		"[profile 1]\n"
		"name = A\n"
		"local = a\n"
		"global = g\n"
		"\n"
		"[profile 2]\n"
		"name = B\n"
		"local = b\n"
		"global = g\n"
		"enabled = yes\n");
}

void test_settings__line_ends_are_kept(void)
{
	const char *path = write_text("crlf.ini", "[options]\r\nconflicts = ask\r\n\r\n[profile 1]\r\n"
		"name = A\r\nlocal = a\r\nglobal = g");
	ps_settings *s = NULL;
	ps_profile *p;
	size_t size;
	char *data;

	CHECK_OK(ps_settings_load(&s, path));
	CHECK_OK(ps_settings_option_set(s, "conflicts", "local"));
	CHECK_OK(ps_settings_option_set(s, "show_progress", "no"));
	CHECK_OK(ps_settings_profile_find(&p, s, "A"));
	CHECK_OK(ps_profile_link_add(NULL, p, "/Inbox", "/Inbox", PS_DIRECTION_BOTH));
	CHECK_OK(ps_settings_save(s));
	ps_settings_free(s);
	data = read_bytes(path, &size);
	CHECK_EQ_STR("[options]\r\nconflicts = local\r\nshow_progress            = no\r\n\r\n"
		"[profile 1]\r\nname = A\r\nlocal = a\r\nglobal = g\r\nlink1.local = /Inbox\r\n"
		"link1.global = /Inbox\r\nlink1.direction = both\r\n", data);
	free(data);
}

#define P1 "[profile 1]\nname = Office\nlocal = a.pst\nglobal = b.pst\n"

static const struct {
	const char *text;
	unsigned line;
	const char *problem;
} bad_files[] = {
	{ "[options]\nconfrim_deletes = yes\n", 2, "unknown option 'confrim_deletes'" },
	{ "# c\n[options]\nconfirm_deletes = maybe\n", 3,
	  "'maybe' is not a valid value for confirm_deletes: expected yes or no" },
	{ "[options]\nmass_delete_percent = lots\n", 2,
	  "'lots' is not a valid value for mass_delete_percent: expected a whole number from 1 to 100" },
	{ "[options]\nmass_delete_percent = 101\n", 2, "'101' is not a valid value" },
	{ "[options]\ninterval_minutes = -5\n", 2, "'-5' is not a valid value for interval_minutes" },
	{ "[options]\nmass_delete_minimum = 5 items\n", 2, "'5 items' is not a valid value" },
	{ "[options]\nconflicts = sometimes\n", 2,
	  "'sometimes' is not a valid value for conflicts: expected ask, local, global, both or later" },
	{ "[options]\nconfirm_deletes yes\n", 2, "expected 'key = value', '[section]' or a comment" },
	{ "[options]\n= yes\n", 2, "missing key before '='" },
	{ "\n[options\n", 2, "missing ']' after the section name" },
	{ "[options] ; main\n", 1, "text after ']': put comments on a line of their own" },
	{ "[]\n", 1, "bad section name '[]'" },
	{ "[settings]\nx = 1\n", 1, "unknown section [settings] (expected [options] or [profile N])" },
	{ "[profile one]\nname = x\n", 1, "unknown section [profile one]" },
	{ "[profile 01]\n", 1, "unknown section [profile 01]" },
	{ "confirm_deletes = yes\n[options]\n", 1, "'confirm_deletes' comes before any [section]" },
	{ "[options]\nconfirm_deletes = yes\nCONFIRM_DELETES = no\n", 3,
	  "'confirm_deletes' appears twice in [options] (first on line 2)" },
	{ "[options]\n\n[options]\n", 3, "[options] appears twice (first on line 1)" },
	{ P1 "[profile  1]\n", 5, "[profile 1] appears twice (first on line 1)" },
	{ P1 "colour = red\n", 5, "unknown key 'colour' in [profile 1]" },
	{ P1 "name = Other\n", 5, "'name' appears twice in [profile 1] (first on line 2)" },
	{ P1 "link1.local = /Contacts\n", 5, "link1 in [profile 1] has no 'link1.global'" },
	{ P1 "link2.direction = both\nlink2.local = /C\n", 5, "link2 in [profile 1] has no 'link2.global'" },
	{ P1 "link1.global = /Contacts\nlink1.local = Contacts\n", 6,
	  "bad folder path 'Contacts': folder paths start with '/'" },
	{ P1 "link1.local = /A\nlink1.global = /B\nlink1.direction = sideways\n", 7,
	  "'sideways' is not a direction: expected both, from-global or to-global" },
	{ P1 "link1.local = /A\nlink1.global = /B\nlink2.local = /A\nlink2.global = /B/\n", 7,
	  "link2 repeats link1 (/A to /B)" },
	{ P1 "link01.local = /A\n", 5, "unknown key 'link01.local' in [profile 1]" },
	{ P1 "enabled = perhaps\n", 5, "'perhaps' is not a valid value for enabled: expected yes or no" },
	{ "[profile 1]\nname = A\nlocal = a.pst\n", 1, "[profile 1] has no 'global'" },
	{ "[profile 3]\n", 1, "[profile 3] has no 'name'" },
	{ "[profile 1]\nname =\nlocal = a\nglobal = b\n", 2, "bad profile name: it is empty" },
	{ "[profile 1]\nname = A\nlocal = ;\nglobal = b\n", 3, "bad local store path: it is empty" },
	{ P1 "\n[profile 2]\nname = office\nlocal = b\nglobal = c\n", 7,
	  "there is a profile named 'Office' already (line 2)" },
	{ "[options]\n# old: confirm_deletes = no \\\nconfirm_deletes = yes\n", 2,
	  "the comment ends in '\\', which would make the next line part of it" },
	{ "[profile 1]\nname = A\nlocal = C:\\dir\\\nglobal = b\n", 3,
	  "the line ends in '\\', which would join it with the next line: put the value in quotes" },
	{ "[profile 1]\nname = A\nlocal = C:\\a#b.pst\nglobal = b\n", 3,
	  "'#' inside a value starts a comment: put the value in quotes" },
	{ "[options]\nconflicts = \"ask\n", 2, "missing closing '\"'" },
	{ "[options]\nconflicts = 'ask\n", 2, "missing closing \"'\"" },
	{ "[options]\nconflicts = \"ask\" later\n", 2, "text after the closing quote" },
	{ "\xEF\xBB\xBF[options]\n", 1, "the file starts with a byte order mark" },
	{ "\xFF\xFE[\0o\0", 1, "the file is UTF-16 text" },
	{ "[options]\n\nconflicts = a\x01sk\n", 3, "control character 0x01 in the line" },
	{ "[options]\nconflicts = \xff\n", 2, "the line is not valid UTF-8 text" },
	{ "[options]\r\nconflicts = ask\r\r\n", 2, "control character 0x0d in the line" },
};

void test_settings__bad_lines_name_file_and_line(void)
{
	size_t i;
	char want[1200], name[32];

	for (i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		ps_settings *s = NULL;
		const char *path;
		int rc;

		snprintf(name, sizeof(name), "bad%zu.ini", i);
		path = write_text(name, bad_files[i].text);
		rc = ps_settings_load(&s, path);
		CHECKF(rc == PS_ECONFIG, "case %zu: status %d (%s)", i, rc, ps_error_last());
		CHECK(s == NULL);
		snprintf(want, sizeof(want), "cannot read '%s': line %u: %s", path, bad_files[i].line,
			bad_files[i].problem);
		CHECKF(strncmp(ps_error_last(), want, strlen(want)) == 0,
			"case %zu:\n  got      %s\n  expected %s", i, ps_error_last(), want);
	}
}

void test_settings__long_and_binary_lines(void)
{
	char text[1200];
	ps_settings *s = NULL;
	const char *path;

	snprintf(text, sizeof(text), "[profile 1]\nname = A\nglobal = b\nlocal = /%01010d\n", 7);
	path = write_text("long.ini", text);
	CHECK_STATUS(PS_ECONFIG, ps_settings_load(&s, path));
	CHECKF(strstr(ps_error_last(), "line 4: the line is longer than 1000 bytes") != NULL, "%s",
		ps_error_last());
	path = ps_test_path(ps_test_tmpdir(), "zero.ini");
	write_bytes(path, "[options]\n\0\n", 12);
	CHECK_STATUS(PS_ECONFIG, ps_settings_load(&s, path));
	CHECKF(strstr(ps_error_last(), "line 2: control character 0x00") != NULL, "%s", ps_error_last());
}

void test_settings__unicode_and_backslash_paths(void)
{
	/* iniparser 4.2 would read "\U" inside quotes as an escape: pstsync must not */
	const char *path = write_text("Ünïcødé ∂ir.ini",
		"[profile 1]\n"
		"name = Müller's «Kontakte»\n"
		"local = \"C:\\Users\\Jürgen\\My #1\\outlook.pst\"\n"
		"global = \\\\sërver\\共有\\common.pst\n"
		"link1.local = /Kontakte\n"
		"link1.global = '/Geschäft; \"alle\"'\n"
		"link1.direction = to-global\n");
	ps_settings *s = NULL;
	ps_profile *p;

	CHECK_OK(ps_settings_load(&s, path));
	p = ps_settings_profile_at(s, 0);
	CHECK(p != NULL);
	CHECK_EQ_STR("Müller's «Kontakte»", ps_profile_name(p));
	CHECK_EQ_STR("C:\\Users\\Jürgen\\My #1\\outlook.pst", ps_profile_local(p));
	CHECK_EQ_STR("\\\\sërver\\共有\\common.pst", ps_profile_global(p));
	CHECK_EQ_STR("/Geschäft; \"alle\"", ps_link_global(ps_profile_link_at(p, 0)));
	CHECK_EQ_INT(PS_DIRECTION_TO_GLOBAL, ps_link_direction(ps_profile_link_at(p, 0)));
	/* written back by the program, the same values read the same */
	CHECK_OK(ps_profile_set_stores(p, "C:\\Users\\Jürgen\\Ω #2\\", "\\\\sërver\\b;c\\d.pst"));
	CHECK_OK(ps_settings_save(s));
	ps_settings_free(s);
	CHECK_OK(ps_settings_load(&s, path));
	p = ps_settings_profile_at(s, 0);
	CHECK_EQ_STR("C:\\Users\\Jürgen\\Ω #2\\", ps_profile_local(p));
	CHECK_EQ_STR("\\\\sërver\\b;c\\d.pst", ps_profile_global(p));
	ps_settings_free(s);
	check_text(path,
		"[profile 1]\n"
		"name = Müller's «Kontakte»\n"
		"local = \"C:\\Users\\Jürgen\\Ω #2\\\"\n"
		"global = \"\\\\sërver\\b;c\\d.pst\"\n"
		"link1.local = /Kontakte\n"
		"link1.global = '/Geschäft; \"alle\"'\n"
		"link1.direction = to-global\n");
}

void test_settings__mutators_check_their_arguments(void)
{
	ps_settings *s = NULL;
	ps_profile *p, *q;
	ps_options o;
	char buf[32];

	CHECK_OK(ps_settings_load(&s, ps_test_path(ps_test_tmpdir(), "m.ini")));
	CHECK_OK(ps_settings_profile_add(&p, s, "Office", "/a.pst", "/b.pst"));
	CHECK_OK(ps_settings_save(s));
	CHECK(!ps_settings_dirty(s));

	CHECK_STATUS(PS_EEXISTS, ps_settings_profile_add(NULL, s, "OFFICE", "/a.pst", "/b.pst"));
	CHECKF(strstr(ps_error_last(), "there is a profile named 'Office' already") != NULL, "%s",
		ps_error_last());
	CHECK_STATUS(PS_EINVAL, ps_settings_profile_add(NULL, s, "", "/a.pst", "/b.pst"));
	CHECK_STATUS(PS_EINVAL, ps_settings_profile_add(NULL, s, "two\nlines", "/a.pst", "/b.pst"));
	CHECK_STATUS(PS_EINVAL, ps_settings_profile_add(NULL, s, "x", "", "/b.pst"));
	CHECK_STATUS(PS_EINVAL, ps_settings_profile_add(NULL, s, "x", "/a.pst", "it's \"odd\";"));
	CHECK_STATUS(PS_EINVAL, ps_settings_profile_add(NULL, s, "bad \xC3", "/a.pst", "/b.pst"));
	CHECK_STATUS(PS_EINVAL, ps_profile_link_add(NULL, p, "Contacts", "/Contacts", PS_DIRECTION_BOTH));
	CHECKF(strstr(ps_error_last(), "folder paths start with '/'") != NULL, "%s", ps_error_last());
	CHECK_STATUS(PS_EINVAL, ps_profile_link_add(NULL, p, "/a", "/b", (ps_direction)7));
	CHECK_OK(ps_profile_link_add(NULL, p, "/Contacts", "/A", PS_DIRECTION_BOTH));
	CHECK_OK(ps_profile_link_add(NULL, p, "/Contacts", "/B", PS_DIRECTION_BOTH));
	CHECK_STATUS(PS_EEXISTS, ps_profile_link_add(NULL, p, "/Contacts/", "/B//", PS_DIRECTION_BOTH));
	CHECK_STATUS(PS_EINVAL, ps_profile_link_remove(p, "/Contacts", NULL));
	CHECKF(strstr(ps_error_last(), "has 2 links from /Contacts: name the global folder too") != NULL,
		"%s", ps_error_last());
	CHECK_STATUS(PS_ENOTFOUND, ps_profile_link_remove(p, "/Calendar", NULL));
	CHECK_OK(ps_profile_link_remove(p, "/contacts", "/b"));
	CHECK_EQ_INT(1, ps_profile_link_count(p));
	CHECK_STATUS(PS_ENOTFOUND, ps_settings_profile_find(&q, s, "Home"));
	CHECK(q == NULL);
	CHECKF(strstr(ps_error_last(), "no profile 'Home' in '") != NULL, "%s", ps_error_last());
	CHECK_OK(ps_settings_profile_add(&q, s, "Home", "/h.pst", "/b.pst"));
	CHECK_STATUS(PS_EEXISTS, ps_profile_rename(q, "office"));
	CHECK_OK(ps_profile_rename(q, "home")); /* its own name in another case is fine */
	CHECK_EQ_STR("home", ps_profile_name(q));

	CHECK_STATUS(PS_ENOTFOUND, ps_settings_option_set(s, "confrim_deletes", "yes"));
	CHECK_EQ_STR("unknown option 'confrim_deletes'", ps_error_last());
	CHECK_STATUS(PS_EINVAL, ps_settings_option_set(s, "conflicts", "sometimes"));
	CHECK_EQ_STR("cannot set conflicts to 'sometimes': expected ask, local, global, both or later",
		ps_error_last());
	CHECK_OK(ps_settings_option_set(s, "mass_delete_percent", "30"));
	CHECK_OK(ps_settings_option_get(s, "mass_delete_percent", buf, sizeof(buf)));
	CHECK_EQ_STR("30", buf);
	CHECK_OK(ps_settings_option_get(s, "confirm_deletes", buf, sizeof(buf)));
	CHECK_EQ_STR("yes", buf);
	CHECK_STATUS(PS_ENOTFOUND, ps_settings_option_get(s, "nope", buf, sizeof(buf)));
	o = *ps_settings_options(s);
	o.mass_delete_percent = 0;
	CHECK_STATUS(PS_EINVAL, ps_settings_set_options(s, &o));
	CHECK_EQ_INT(30, ps_settings_options(s)->mass_delete_percent);
	CHECK_EQ_STR("a whole number from 1 to 100", ps_settings_option_values("mass_delete_percent"));
	CHECK(ps_settings_option_values("nope") == NULL);
	CHECK_EQ_INT(11, ps_settings_option_count());
	CHECK_EQ_STR("interval_minutes", ps_settings_option_key(8));
	CHECK_EQ_STR("recovery_max_mb", ps_settings_option_key(10));
	CHECK(ps_settings_option_key(11) == NULL);
	ps_settings_free(s);
}

void test_settings__names_and_directions(void)
{
	ps_direction d;
	ps_conflicts c;

	CHECK_OK(ps_direction_parse(&d, "from-global"));
	CHECK_EQ_INT(PS_DIRECTION_FROM_GLOBAL, d);
	CHECK_OK(ps_direction_parse(&d, "TO-GLOBAL"));
	CHECK_EQ_INT(PS_DIRECTION_TO_GLOBAL, d);
	CHECK_STATUS(PS_EINVAL, ps_direction_parse(&d, "sideways"));
	CHECK_EQ_STR("both", ps_direction_name(PS_DIRECTION_BOTH));
	CHECK_EQ_STR("from-global", ps_direction_name(PS_DIRECTION_FROM_GLOBAL));
	CHECK_OK(ps_conflicts_parse(&c, "later"));
	CHECK_EQ_INT(PS_CONFLICTS_LATER, c);
	CHECK_STATUS(PS_EINVAL, ps_conflicts_parse(&c, "never"));
	CHECK_EQ_STR("global", ps_conflicts_name(PS_CONFLICTS_GLOBAL));
}

void test_settings__another_writer_is_noticed(void)
{
	const char *path = write_text("race.ini", "[options]\nconflicts = ask\n");
	ps_settings *s = NULL;

	CHECK_OK(ps_settings_load(&s, path));
	CHECK_OK(ps_settings_option_set(s, "conflicts", "later"));
	/* the tray application saves in between */
	write_text("race.ini", "[options]\nconflicts = both\n");
	CHECK_STATUS(PS_ERROR, ps_settings_save(s));
	CHECKF(strstr(ps_error_last(), "another program changed it since pstsync read it") != NULL,
		"%s", ps_error_last());
	check_text(path, "[options]\nconflicts = both\n");
	ps_settings_free(s);
}

void test_settings__default_path(void)
{
	char *path = NULL;

	CHECK_OK(ps_settings_default_path(&path));
#ifdef _WIN32
	CHECKF(strlen(path) > 20 && strcmp(path + strlen(path) - 20, "\\pstsync\\pstsync.ini") == 0,
		"%s", path);
	free(path);
#else
	{
		char *old_xdg = getenv("XDG_CONFIG_HOME") ? strdup(getenv("XDG_CONFIG_HOME")) : NULL;
		char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

		free(path);
		setenv("XDG_CONFIG_HOME", "/tmp/xdg/", 1);
		CHECK_OK(ps_settings_default_path(&path));
		CHECK_EQ_STR("/tmp/xdg/pstsync/pstsync.ini", path);
		free(path);
		setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
		setenv("HOME", "/home/anna", 1);
		CHECK_OK(ps_settings_default_path(&path));
		CHECK_EQ_STR("/home/anna/.config/pstsync/pstsync.ini", path);
		free(path);
		unsetenv("XDG_CONFIG_HOME");
		unsetenv("HOME");
		CHECK_STATUS(PS_ENOTFOUND, ps_settings_default_path(&path));
		if (old_xdg)
			setenv("XDG_CONFIG_HOME", old_xdg, 1);
		if (old_home)
			setenv("HOME", old_home, 1);
		free(old_xdg);
		free(old_home);
	}
#endif
}
