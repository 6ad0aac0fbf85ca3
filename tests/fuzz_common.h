/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * What the libFuzzer targets tests/fuzz_*.c share: a scratch folder of
 * their own (in $PSTSYNC_FUZZ_TMP, else /dev/shm when there is one, so that
 * the files each input becomes cost no disk writes), removed when the
 * process ends normally (tests/fuzz-run.sh removes what a crash leaves),
 * and small file helpers. The parsers under test read files by path, as
 * pstsync does, so every input is written to a file first. POSIX only: the
 * fuzzers are built with clang on Linux.
 */
#ifndef PSTSYNC_TESTS_FUZZ_COMMON_H
#define PSTSYNC_TESTS_FUZZ_COMMON_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_dir[256];

static inline void fuzz_clean_dir(void)
{
	DIR *d;
	struct dirent *e;
	char path[512];

	if (!fuzz_dir[0] || !(d = opendir(fuzz_dir)))
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", fuzz_dir, e->d_name);
		unlink(path);
	}
	closedir(d);
}

static inline void fuzz_remove_dir(void)
{
	fuzz_clean_dir();
	if (fuzz_dir[0])
		rmdir(fuzz_dir);
}

/* The scratch folder, made at the first call; the process ends on failure
 * (a fuzzer without a place for its files tests nothing). */
static inline const char *fuzz_scratch(void)
{
	const char *base;
	struct stat st;

	if (fuzz_dir[0])
		return fuzz_dir;
	base = getenv("PSTSYNC_FUZZ_TMP");
	if (!base || !base[0])
		base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/pstsync-fuzz-XXXXXX", base);
	if (!mkdtemp(fuzz_dir)) {
		perror("fuzz: cannot make a scratch folder");
		abort();
	}
	atexit(fuzz_remove_dir);
	return fuzz_dir;
}

/* "SCRATCH/name" in a static buffer of its own per slot (0-3). */
static inline const char *fuzz_path(int slot, const char *name)
{
	static char paths[4][400];

	snprintf(paths[slot & 3], sizeof(paths[0]), "%s/%s", fuzz_scratch(), name);
	return paths[slot & 3];
}

static inline void fuzz_write(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

/* The whole file, malloc'ed; NULL when it cannot be read. */
static inline uint8_t *fuzz_read(const char *path, size_t *size_out)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	*size_out = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0
	    && (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			*size_out = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

#endif
