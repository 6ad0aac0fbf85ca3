/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The operating-system layer: the only way the portable core reaches files,
 * locks, clocks and paths. src/core/os_posix.c implements it for Linux and
 * other POSIX systems, src/core/os_win.c for Windows (paths are UTF-8 here and
 * converted to UTF-16 there, so names in any script work on both).
 *
 * Locks follow what Outlook does with a PST: a writer holds the file
 * exclusively, readers share it. Taking a lock never waits: a file that
 * another program holds gives PS_ELOCKED at once, with a message naming it.
 */
#ifndef PSTSYNC_OS_H
#define PSTSYNC_OS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An open file. */
typedef struct ps_file ps_file;

/** Flags of ps_file_open(). */
enum ps_open_flags {
	PS_OPEN_READ = 0x01,      /**< read only */
	PS_OPEN_WRITE = 0x02,     /**< read and write */
	PS_OPEN_CREATE = 0x04,    /**< create a new file; fail if it exists */
	PS_OPEN_LOCK_SHARED = 0x10,   /**< share with readers, keep writers out */
	PS_OPEN_LOCK_EXCLUSIVE = 0x20 /**< keep every other opener out */
};

/**
 * Open @p path (UTF-8). On failure returns PS_ENOTFOUND, PS_ELOCKED,
 * PS_EEXISTS, PS_EINVAL (a directory) or PS_EIO with a message naming the
 * file. The caller closes the file with ps_file_close().
 */
int ps_file_open(ps_file **out, const char *path, unsigned flags);

/** Close and free; NULL is allowed. Releases the lock. */
void ps_file_close(ps_file *file);

/**
 * Read exactly @p size bytes at @p offset. Reading past the end of the file
 * is PS_ECORRUPT ("'x.pst' is truncated"), other failures PS_EIO.
 */
int ps_file_read_at(ps_file *file, uint64_t offset, void *buf, size_t size);

/**
 * Write exactly @p size bytes at @p offset; PS_ENOSPC when the disk is full.
 * Test hook: PSTSYNC_KILL_AFTER_WRITES=N in the environment (read at the first write) ends
 * the process with status 99 at the Nth write or sync of files opened for writing.
 */
int ps_file_write_at(ps_file *file, uint64_t offset, const void *buf, size_t size);

/** Make everything written so far durable (fsync / FlushFileBuffers). */
int ps_file_sync(ps_file *file);

/** The current size of the file in bytes. */
int ps_file_size(ps_file *file, uint64_t *size_out);

/** Set the size of the file (grow with zeros, or shrink). */
int ps_file_truncate(ps_file *file, uint64_t size);

/** The path the file was opened with. */
const char *ps_file_path(const ps_file *file);

/**
 * What crossed between pstsync and a file since it was opened: every read
 * and write call that reached the system (a read of a share is one round
 * trip each), and the bytes they moved. ps_file_io() fills it in.
 */
typedef struct ps_io_stats {
	uint64_t bytes_read;
	uint64_t reads;          /**< read calls (pread / ReadFile) */
	uint64_t bytes_written;
	uint64_t writes;         /**< write calls (pwrite / WriteFile) */
	uint64_t syncs;          /**< flushes to disk (fsync / FlushFileBuffers) */
} ps_io_stats;

/** The counts of @p file so far. */
void ps_file_io(const ps_file *file, ps_io_stats *out);

/** Add @p b to @p a. */
void ps_io_stats_add(ps_io_stats *a, const ps_io_stats *b);

/**
 * fopen() for UTF-8 paths on every platform (on Windows through the wide
 * API): for libraries that take a FILE *. NULL on failure, errno set.
 */
FILE *ps_fopen(const char *path, const char *mode);

/** Kinds of path, from ps_path_kind(). */
enum ps_path_kind { PS_PATH_NONE = 0, PS_PATH_FILE = 1, PS_PATH_DIR = 2, PS_PATH_OTHER = 3 };

/** What @p path names now. */
int ps_path_kind(const char *path);

/**
 * What identifies the present version of the file @p path: its size, the
 * times of its last write and last change, and its identity on the volume,
 * as text in @p out (NUL-terminated). Any write to the file, or a file put
 * in its place, gives another text. PS_ENOTFOUND when there is no file.
 */
int ps_path_stamp(const char *path, char *out, size_t size);

/**
 * The absolute, normalised form of @p path (malloc'ed, UTF-8): on Windows
 * with backslashes and no "." or ".." parts, as libraries that build
 * "\\?\" paths need it; elsewhere the path made absolute.
 */
int ps_path_absolute(const char *path, char **out);

/** Create a directory and its parents; an existing one is fine. */
int ps_path_mkdirs(const char *path);

/** Remove a file; a missing one is fine. */
int ps_path_remove(const char *path);

/** Replace @p to with @p from in one step (rename over). */
int ps_path_rename(const char *from, const char *to);

/** Now, as a FILETIME (100 ns units since 1601-01-01 UTC). */
uint64_t ps_time_now(void);

/** A monotonic clock in nanoseconds, for progress and figures. */
uint64_t ps_clock_ns(void);

/** Fill @p buf with @p size bytes from the system's random source. */
int ps_random_bytes(void *buf, size_t size);

/**
 * The folder where this user's programs keep their settings, malloc'ed
 * UTF-8 with no trailing separator: %APPDATA% on Windows (the variable,
 * else the shell's Roaming AppData folder), elsewhere $XDG_CONFIG_HOME when
 * it is an absolute path, else $HOME/.config. The folder may not exist yet.
 * PS_ENOTFOUND when none can be found.
 */
int ps_os_config_dir(char **out);

/**
 * The environment variable @p name, malloc'ed UTF-8 (on Windows read through
 * the wide API, so a user name in any script comes out whole); *out NULL
 * and PS_ENOTFOUND when it is not set or empty.
 */
int ps_os_getenv(char **out, const char *name);

/**
 * A settings path with its variables put in, malloc'ed: %USERNAME%,
 * %APPDATA%, %LOCALAPPDATA% and %USERPROFILE% (names in any case) on every
 * platform, and on POSIX systems also a leading '~' and $HOME or ${HOME}.
 * Other text, other %NAME% and variables that are not set stay as written,
 * so an admin's settings file for the whole office can name each user's own
 * files (src/core/path_expand.c). PS_ENOMEM is the only failure.
 */
int ps_path_expand(char **out, const char *path);

/**
 * A store path as a profile keeps it: as written when it uses a variable
 * that ps_path_expand() puts in (it is the same on every desk then), else
 * absolute (ps_path_absolute()). Malloc'ed.
 */
int ps_path_for_settings(char **out, const char *path);

#ifdef __cplusplus
}
#endif

#endif
