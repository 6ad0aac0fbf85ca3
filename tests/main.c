/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The test runner and the harness's helpers (see harness.h). Runs every test
 * the Makefile found (or those whose names contain one of the arguments),
 * each guarded by setjmp so that a failed check ends only its own test, and
 * ends with the line "N passed, N failed, N skipped".
 */
#include "harness.h"
#include "pstsync/os.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <direct.h>
#include <io.h>
#else
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#define TEST(fn) void fn(void);
#include "suites.inc"
#undef TEST

struct test {
	const char *name;
	void (*fn)(void);
};

#define TEST(fn) { #fn, fn },
static const struct test tests[] = {
#include "suites.inc"
	{ NULL, NULL }
};
#undef TEST

jmp_buf ps_test__escape;

const char *const ps_test_samples_all[] = {
	"apache_tika__testPST_variousBodyTypes.pst",
	"aquasync_ruby-msg__attachAndInline.pst",
	"aquasync_ruby-msg__msgInMsg.pst",
	"aspose-email__Outlook_1.pst",
	"aspose-email__PersonalStorage.pst",
	"aspose-email__SampleContacts1.pst",
	"aspose-email__Test_part1.pst",
	"aspose-email__passwordprotectedPST.pst",
	"emk_pstsdk__sample1.pst",
	"emk_pstsdk__submessage.pst",
	"emk_pstsdk__test_ansi.pst",
	"emk_pstsdk__test_unicode.pst",
	"microsoft_outlook-pst-rs__Empty.pst",
	"mooijtech_go-pst__32-bit.pst",
	"rjohnsondev_java-libpst__dist-list.pst",
	"rjohnsondev_java-libpst__passworded.pst",
	NULL
};

const char *const ps_test_samples_clean[] = {
	"apache_tika__testPST_variousBodyTypes.pst",
	"aquasync_ruby-msg__attachAndInline.pst",
	"aquasync_ruby-msg__msgInMsg.pst",
	"aspose-email__Outlook_1.pst",
	"aspose-email__SampleContacts1.pst",
	"aspose-email__passwordprotectedPST.pst",
	"emk_pstsdk__sample1.pst",
	"emk_pstsdk__submessage.pst",
	"emk_pstsdk__test_ansi.pst",
	"emk_pstsdk__test_unicode.pst",
	"microsoft_outlook-pst-rs__Empty.pst",
	"mooijtech_go-pst__32-bit.pst",
	"rjohnsondev_java-libpst__dist-list.pst",
	"rjohnsondev_java-libpst__passworded.pst",
	NULL
};

static char message[2048];
static int skipped_flag;
static char tmpdir[1024];
static char current[256];

void ps_test__fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(message, sizeof(message), "%s:%d: ", file, line);

	va_start(ap, fmt);
	vsnprintf(message + n, sizeof(message) - (size_t)n, fmt, ap);
	va_end(ap);
	longjmp(ps_test__escape, 1);
}

void ps_test__skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	skipped_flag = 1;
	longjmp(ps_test__escape, 1);
}

const char *ps_test_samples_dir(void)
{
	static char dir[1024];
	const char *env = getenv("PSTSYNC_SAMPLES");

	snprintf(dir, sizeof(dir), "%s", env && env[0] ? env : "../shared/pst-samples");
	return ps_path_kind(dir) == PS_PATH_DIR ? dir : NULL;
}

const char *ps_test_sample(const char *name)
{
	static char path[1024];
	const char *dir = ps_test_samples_dir();

	if (!dir)
		SKIP("the sample PST folder is absent (../shared/pst-samples or $PSTSYNC_SAMPLES)");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (ps_path_kind(path) != PS_PATH_FILE)
		SKIP("sample '%s' is absent", path);
	return path;
}

const char *ps_test_path(const char *dir, const char *name)
{
	static char path[2][1024];
	static int which;

	which ^= 1;
	snprintf(path[which], sizeof(path[which]), "%s/%s", dir, name);
	return path[which];
}

#ifdef _WIN32
static void remove_tree(const char *dir)
{
	char pattern[1100];
	struct _finddata_t fd;
	intptr_t h;

	snprintf(pattern, sizeof(pattern), "%s/*", dir);
	h = _findfirst(pattern, &fd);
	if (h != -1) {
		do {
			char sub[1100];
			if (!strcmp(fd.name, ".") || !strcmp(fd.name, ".."))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", dir, fd.name);
			if (fd.attrib & _A_SUBDIR)
				remove_tree(sub);
			else
				remove(sub);
		} while (_findnext(h, &fd) == 0);
		_findclose(h);
	}
	_rmdir(dir);
}
#else
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d) {
		while ((e = readdir(d)) != NULL) {
			char sub[1100];
			struct stat st;
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
			if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
				remove_tree(sub);
			else
				unlink(sub);
		}
		closedir(d);
	}
	rmdir(dir);
}
#endif

const char *ps_test_tmpdir(void)
{
	const char *base = getenv("PSTSYNC_TMP");

	if (tmpdir[0])
		return tmpdir;
	snprintf(tmpdir, sizeof(tmpdir), "%s/%s", base && base[0] ? base : "build/tmp", current);
	remove_tree(tmpdir);
	if (ps_path_mkdirs(tmpdir) != PS_OK)
		ps_test__fail(__FILE__, __LINE__, "cannot create '%s': %s", tmpdir, ps_error_last());
	return tmpdir;
}

void ps_test_write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size) {
		if (f)
			fclose(f);
		ps_test__fail(__FILE__, __LINE__, "cannot write '%s'", path);
	}
	fclose(f);
}

void *ps_test_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		ps_test__fail(__FILE__, __LINE__, "cannot read '%s'", path);
	for (;;) {
		size_t got;
		if (n == cap) {
			unsigned char *grown;
			cap = cap ? cap * 2 : 65536;
			grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				fclose(f);
				ps_test__fail(__FILE__, __LINE__, "out of memory reading '%s'", path);
			}
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*size = n;
	return buf;
}

static int selected(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (strstr(name, argv[i]))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	/* volatile: they live across the longjmp out of a failed test */
	volatile int passed = 0, failed = 0, skipped = 0;
	const struct test *volatile t;
	int verbose = getenv("V") && strcmp(getenv("V"), "1") == 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (t = tests; t->name; t++) {
		if (!selected(t->name, argc, argv))
			continue;
		message[0] = '\0';
		skipped_flag = 0;
		tmpdir[0] = '\0';
		snprintf(current, sizeof(current), "%s", t->name + 5);
		ps_error_clear();
		if (setjmp(ps_test__escape) == 0) {
			t->fn();
			passed++;
			if (verbose)
				printf("ok      %s\n", t->name);
			if (tmpdir[0])
				remove_tree(tmpdir);
		} else if (skipped_flag) {
			skipped++;
			printf("skip    %s: %s\n", t->name, message);
		} else {
			failed++;
			printf("FAIL    %s\n        %s\n", t->name, message);
		}
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
