/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The operating-system layer on POSIX systems (see include/pstsync/os.h).
 * Locks are open-file-description locks (F_OFD_SETLK) where the kernel has
 * them, so that two opens in one process exclude each other as two programs
 * do, and they travel to SMB and NFS servers; flock() is the fallback.
 */
#ifndef _WIN32
#define _GNU_SOURCE
#include "pstsync/os.h"
#include "pstsync/errors.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

struct ps_file {
	int fd;
	char *path;
	int writable;               /* counted by the fault hook */
	ps_io_stats io;             /* what crossed to the file (ps_file_io()) */
};

/* The crash-test hook of os.h: with PSTSYNC_KILL_AFTER_WRITES=N, the Nth
 * write or sync of a file opened for writing ends the process at once, as
 * a power cut would, before that call does anything. The variable is read
 * at the first such call of each process (a forked child reads it again,
 * so that a test can set it in the child). Nothing else depends on it. */
static pid_t fault_pid;
static long fault_left;         /* calls until the kill; 0: off */

static void fault_point(const ps_file *file)
{
	if (!file->writable)
		return;
	if (fault_pid != getpid()) {
		const char *v = getenv("PSTSYNC_KILL_AFTER_WRITES");
		fault_pid = getpid();
		fault_left = v ? atol(v) : 0;
		if (fault_left < 0)
			fault_left = 0;
	}
	if (fault_left > 0 && --fault_left == 0)
		_exit(99);
}

/* strerror() in the house style: lower case first ("no such file or directory"). */
static const char *sys_text(int err)
{
	static _Thread_local char buf[128];

	snprintf(buf, sizeof(buf), "%s", strerror(err));
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

static int errno_status(int err)
{
	switch (err) {
	case ENOENT: case ENOTDIR: return PS_ENOTFOUND;
	case EEXIST: return PS_EEXISTS;
	case ENOSPC: case EDQUOT: return PS_ENOSPC;
	case EISDIR: return PS_EINVAL;
	case EACCES: case EPERM: return PS_EIO;
	case ENOMEM: return PS_ENOMEM;
	default: return PS_EIO;
	}
}

static int take_lock(int fd, int exclusive)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = exclusive ? F_WRLCK : F_RDLCK;
	fl.l_whence = SEEK_SET;
#ifdef F_OFD_SETLK
	if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
		return 0;
	if (errno != EINVAL)
		return -1;
#endif
	return flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB);
}

int ps_file_open(ps_file **out, const char *path, unsigned flags)
{
	struct stat st;
	ps_file *file;
	int oflags = O_CLOEXEC;
	int fd;

	*out = NULL;
	if (flags & (PS_OPEN_WRITE | PS_OPEN_CREATE))
		oflags |= O_RDWR;
	else
		oflags |= O_RDONLY;
	if (flags & PS_OPEN_CREATE)
		oflags |= O_CREAT | O_EXCL;
	fd = open(path, oflags, 0666);
	if (fd < 0) {
		int err = errno;
		if (err == EISDIR)
			return ps_error_set(PS_EINVAL, "cannot open '%s': it is a directory", path);
		if (err == EEXIST)
			return ps_error_set(PS_EEXISTS, "cannot create '%s': the file exists", path);
		return ps_error_set(errno_status(err), "cannot open '%s': %s", path, sys_text(err));
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return ps_error_set(PS_EINVAL, "cannot open '%s': it is a directory", path);
	}
	if (flags & (PS_OPEN_LOCK_SHARED | PS_OPEN_LOCK_EXCLUSIVE)) {
		if (take_lock(fd, (flags & PS_OPEN_LOCK_EXCLUSIVE) != 0) != 0) {
			int err = errno;
			close(fd);
			if (err == EAGAIN || err == EACCES || err == EWOULDBLOCK)
				return ps_error_set(PS_ELOCKED,
					"cannot open '%s': the file is in use by another program", path);
			return ps_error_set(PS_EIO, "cannot lock '%s': %s", path, sys_text(err));
		}
	}
	file = calloc(1, sizeof(*file));
	if (file)
		file->path = strdup(path);
	if (!file || !file->path) {
		free(file);
		close(fd);
		return ps_error_set(PS_ENOMEM, "out of memory opening '%s'", path);
	}
	file->fd = fd;
	file->writable = (flags & (PS_OPEN_WRITE | PS_OPEN_CREATE)) != 0;
	*out = file;
	return PS_OK;
}

void ps_file_close(ps_file *file)
{
	if (!file)
		return;
	close(file->fd);
	free(file->path);
	free(file);
}

int ps_file_read_at(ps_file *file, uint64_t offset, void *buf, size_t size)
{
	unsigned char *p = buf;

	while (size > 0) {
		ssize_t n = pread(file->fd, p, size, (off_t)offset);
		file->io.reads++;
		if (n > 0)
			file->io.bytes_read += (uint64_t)n;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ps_error_set(errno_status(errno), "cannot read '%s' at offset %llu: %s",
				file->path, (unsigned long long)offset, sys_text(errno));
		}
		if (n == 0)
			return ps_error_set(PS_ECORRUPT, "cannot read '%s': the file is truncated "
				"(offset %llu is past its end)", file->path, (unsigned long long)offset);
		p += n;
		offset += (uint64_t)n;
		size -= (size_t)n;
	}
	return PS_OK;
}

int ps_file_write_at(ps_file *file, uint64_t offset, const void *buf, size_t size)
{
	const unsigned char *p = buf;

	fault_point(file);
	while (size > 0) {
		ssize_t n = pwrite(file->fd, p, size, (off_t)offset);
		file->io.writes++;
		if (n > 0)
			file->io.bytes_written += (uint64_t)n;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOSPC || errno == EDQUOT)
				return ps_error_set(PS_ENOSPC, "cannot write '%s': the disk is full",
					file->path);
			return ps_error_set(errno_status(errno), "cannot write '%s': %s",
				file->path, sys_text(errno));
		}
		p += n;
		offset += (uint64_t)n;
		size -= (size_t)n;
	}
	return PS_OK;
}

int ps_file_sync(ps_file *file)
{
	fault_point(file);
	file->io.syncs++;
	if (fsync(file->fd) != 0) {
		if (errno == ENOSPC || errno == EDQUOT)
			return ps_error_set(PS_ENOSPC, "cannot write '%s': the disk is full", file->path);
		return ps_error_set(PS_EIO, "cannot flush '%s' to disk: %s", file->path, sys_text(errno));
	}
	return PS_OK;
}

int ps_file_size(ps_file *file, uint64_t *size_out)
{
	struct stat st;

	if (fstat(file->fd, &st) != 0)
		return ps_error_set(PS_EIO, "cannot stat '%s': %s", file->path, sys_text(errno));
	*size_out = (uint64_t)st.st_size;
	return PS_OK;
}

int ps_file_truncate(ps_file *file, uint64_t size)
{
	if (ftruncate(file->fd, (off_t)size) != 0) {
		if (errno == ENOSPC || errno == EDQUOT || errno == EFBIG)
			return ps_error_set(PS_ENOSPC, "cannot grow '%s': the disk is full", file->path);
		return ps_error_set(PS_EIO, "cannot resize '%s': %s", file->path, sys_text(errno));
	}
	return PS_OK;
}

const char *ps_file_path(const ps_file *file)
{
	return file->path;
}

void ps_file_io(const ps_file *file, ps_io_stats *out)
{
	*out = file->io;
}

FILE *ps_fopen(const char *path, const char *mode)
{
	return fopen(path, mode);
}

int ps_path_kind(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return PS_PATH_NONE;
	if (S_ISREG(st.st_mode))
		return PS_PATH_FILE;
	if (S_ISDIR(st.st_mode))
		return PS_PATH_DIR;
	return PS_PATH_OTHER;
}

int ps_path_stamp(const char *path, char *out, size_t size)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return ps_error_set(errno == ENOENT ? PS_ENOTFOUND : PS_EIO, "cannot look at '%s': %s",
			path, strerror(errno));
	snprintf(out, size, "%llu %lld.%09ld %lld.%09ld %llu %llu", (unsigned long long)st.st_size,
		(long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
		(long)st.st_ctim.tv_nsec, (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	return PS_OK;
}

int ps_path_absolute(const char *path, char **out)
{
	char cwd[4096];
	size_t need;

	*out = NULL;
	if (path[0] == '/') {
		*out = strdup(path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return ps_error_set(PS_EIO, "cannot resolve '%s': %s", path, sys_text(errno));
		need = strlen(cwd) + strlen(path) + 2;
		*out = malloc(need);
		if (*out)
			snprintf(*out, need, "%s/%s", cwd, path);
	}
	return *out ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
}

int ps_path_mkdirs(const char *path)
{
	char *copy = strdup(path);
	char *p;
	int rc = PS_OK;

	if (!copy)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (p = copy + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
				rc = ps_error_set(errno_status(errno), "cannot create folder '%s': %s",
					copy, sys_text(errno));
				break;
			}
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	free(copy);
	return rc;
}

int ps_path_remove(const char *path)
{
	if (unlink(path) != 0 && errno != ENOENT)
		return ps_error_set(errno_status(errno), "cannot remove '%s': %s", path, sys_text(errno));
	return PS_OK;
}

int ps_path_rename(const char *from, const char *to)
{
	if (rename(from, to) != 0)
		return ps_error_set(errno_status(errno), "cannot rename '%s' to '%s': %s",
			from, to, sys_text(errno));
	return PS_OK;
}

uint64_t ps_time_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	/* 11644473600 s lie between 1601-01-01 and 1970-01-01 */
	return ((uint64_t)ts.tv_sec + 11644473600ULL) * 10000000ULL + (uint64_t)ts.tv_nsec / 100;
}

uint64_t ps_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int ps_random_bytes(void *buf, size_t size)
{
	unsigned char *p = buf;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return ps_error_set(PS_EIO, "cannot open '/dev/urandom': %s", sys_text(errno));
	while (size > 0) {
		ssize_t n = read(fd, p, size);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			close(fd);
			return ps_error_set(PS_EIO, "cannot read '/dev/urandom'");
		}
		p += n;
		size -= (size_t)n;
	}
	close(fd);
	return PS_OK;
}

int ps_os_getenv(char **out, const char *name)
{
	const char *v = getenv(name);

	*out = NULL;
	if (!v || !v[0])
		return PS_ENOTFOUND;
	*out = strdup(v);
	return *out ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
}

int ps_os_config_dir(char **out)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	size_t n;

	*out = NULL;
	/* the XDG base directory spec: a relative $XDG_CONFIG_HOME is ignored */
	if (xdg && xdg[0] == '/') {
		n = strlen(xdg);
		while (n > 1 && xdg[n - 1] == '/')
			n--;
		*out = strndup(xdg, n);
	} else if (home && home[0]) {
		n = strlen(home);
		while (n > 1 && home[n - 1] == '/')
			n--;
		*out = malloc(n + sizeof("/.config"));
		if (*out)
			snprintf(*out, n + sizeof("/.config"), "%.*s/.config", (int)n,
				n == 1 ? "" : home);
	} else {
		return ps_error_set(PS_ENOTFOUND, "cannot find the settings folder: neither "
			"XDG_CONFIG_HOME nor HOME is set");
	}
	return *out ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
}
#endif
