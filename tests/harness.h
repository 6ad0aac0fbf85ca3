/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The test harness: a few macros and helpers shared by every tests/test_*.c.
 *
 * A test is a function `void test_<module>__<case>(void)` in a file
 * tests/test_<module>.c. The Makefile finds them by name and generates the
 * list the runner (tests/main.c) walks, so adding a test is writing the
 * function. A check that fails records file, line and the core's last error
 * message, and leaves the test at once. The runner ends with the line
 * "N passed, N failed, N skipped" that CI reads.
 *
 * Tests that need the real PST files find them with ps_test_sample(); where
 * the folder is absent they skip with a message that says so.
 */
#ifndef PSTSYNC_TESTS_HARNESS_H
#define PSTSYNC_TESTS_HARNESS_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "pstsync/errors.h"

extern jmp_buf ps_test__escape;

void ps_test__fail(const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 3, 4), noreturn))
#endif
	;
void ps_test__skip(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 1, 2), noreturn))
#endif
	;

/** Fail the test unless @p cond holds. */
#define CHECK(cond) \
	do { if (!(cond)) ps_test__fail(__FILE__, __LINE__, "%s", #cond); } while (0)

/** Fail with a formatted message unless @p cond holds. */
#define CHECKF(cond, ...) \
	do { if (!(cond)) ps_test__fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)

/** Fail unless a core call returns PS_OK; shows the core's message. */
#define CHECK_OK(expr) \
	do { int check_ok_rc_ = (expr); if (check_ok_rc_ != 0) \
		ps_test__fail(__FILE__, __LINE__, "%s returned %d: %s", #expr, \
			check_ok_rc_, ps_error_last()); } while (0)

/** Fail unless a core call returns exactly the status @p want. */
#define CHECK_STATUS(want, expr) \
	do { int check_st_rc_ = (expr); if (check_st_rc_ != (want)) \
		ps_test__fail(__FILE__, __LINE__, "%s returned %d (%s), expected %d", \
			#expr, check_st_rc_, ps_error_last(), (int)(want)); } while (0)

#define CHECK_EQ_INT(want, got) \
	do { long long ceq_w_ = (long long)(want), ceq_g_ = (long long)(got); \
		if (ceq_w_ != ceq_g_) ps_test__fail(__FILE__, __LINE__, \
			"%s: expected %lld, got %lld", #got, ceq_w_, ceq_g_); } while (0)

#define CHECK_EQ_STR(want, got) \
	do { const char *ceqs_w_ = (want), *ceqs_g_ = (got); \
		if (!ceqs_g_ || strcmp(ceqs_w_, ceqs_g_) != 0) ps_test__fail(__FILE__, \
			__LINE__, "%s: expected '%s', got '%s'", #got, ceqs_w_, \
			ceqs_g_ ? ceqs_g_ : "(null)"); } while (0)

/** Leave the test as skipped, saying why. */
#define SKIP(...) ps_test__skip(__VA_ARGS__)

/**
 * Path of a sample PST under the samples folder (../shared/pst-samples, or
 * $PSTSYNC_SAMPLES). Skips the test when the folder is absent. The string is
 * valid until the next call.
 */
const char *ps_test_sample(const char *name);

/** The samples folder, or NULL where it is absent (no skip). */
const char *ps_test_samples_dir(void);

/**
 * A fresh empty directory for this test under build/tmp (or $PSTSYNC_TMP),
 * removed again when the test passes. Valid until the test ends.
 */
const char *ps_test_tmpdir(void);

/** Every readable sample's file name, NULL-terminated. */
extern const char *const ps_test_samples_all[];

/** The samples without known flaws (all made by Outlook), NULL-terminated. */
extern const char *const ps_test_samples_clean[];

/** Join @p dir and @p name into a static buffer (valid until next call). */
const char *ps_test_path(const char *dir, const char *name);

/** Write @p size bytes to a new file; fails the test on error. */
void ps_test_write_file(const char *path, const void *data, size_t size);

/**
 * Read a whole file into a malloc'ed buffer; fails the test on error.
 * The caller frees it.
 */
void *ps_test_read_file(const char *path, size_t *size);

#endif
