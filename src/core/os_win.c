/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The operating-system layer on Windows (see include/pstsync/os.h). Paths
 * arrive in UTF-8 and go to the wide-character API, so file names in any
 * script work. Locks are share modes, as Outlook uses them: a writer opens
 * with no sharing, a reader shares reading only, and a file Outlook holds
 * fails with a sharing violation, reported as PS_ELOCKED. A sharing
 * violation is tried again for a moment first (as SQLite's Windows layer
 * does): a virus scanner, or a program that has just exited and whose
 * handles the system has not closed yet, holds a file only briefly.
 */
#ifdef _WIN32
#include "pstsync/os.h"
#include "pstsync/errors.h"

#include <windows.h>
#include <bcrypt.h>
#include <shlobj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ps_file {
	HANDLE handle;
	char *path;
	int writable;               /* counted by the fault hook */
	ps_io_stats io;             /* what crossed to the file (ps_file_io()) */
};

/* The crash-test hook of os.h: with PSTSYNC_KILL_AFTER_WRITES=N, the Nth
 * write or flush of a file opened for writing ends the process at once, as
 * a power cut would, before that call does anything. The variable is read
 * once, at the first such call. Nothing else depends on it. */
static int fault_read;
static long fault_left;         /* calls until the kill; 0: off */

static void fault_point(const ps_file *file)
{
	if (!file->writable)
		return;
	if (!fault_read) {
		const char *v = getenv("PSTSYNC_KILL_AFTER_WRITES");
		fault_read = 1;
		fault_left = v ? atol(v) : 0;
		if (fault_left < 0)
			fault_left = 0;
	}
	if (fault_left > 0 && --fault_left == 0)
		TerminateProcess(GetCurrentProcess(), 99);
}

/* A malloc'ed UTF-16 copy of a UTF-8 string, or NULL when out of memory. */
static wchar_t *widen(const char *utf8)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
	wchar_t *wide;

	if (n <= 0)
		return NULL;
	wide = malloc((size_t)n * sizeof(wchar_t));
	if (wide)
		MultiByteToWideChar(CP_UTF8, 0, utf8, -1, wide, n);
	return wide;
}

static void system_message(DWORD code, char *buf, size_t size)
{
	wchar_t wbuf[256];
	DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
		NULL, code, MAKELANGID(LANG_ENGLISH, SUBLANG_DEFAULT), wbuf, 256, NULL);

	while (n > 0 && (wbuf[n - 1] == L'\n' || wbuf[n - 1] == L'\r' || wbuf[n - 1] == L'.'))
		wbuf[--n] = 0;
	if (n == 0 || WideCharToMultiByte(CP_UTF8, 0, wbuf, -1, buf, (int)size, NULL, NULL) <= 0)
		snprintf(buf, size, "system error %lu", (unsigned long)code);
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] - 'A' + 'a');
}

static int win_status(DWORD code)
{
	switch (code) {
	case ERROR_FILE_NOT_FOUND: case ERROR_PATH_NOT_FOUND: case ERROR_BAD_NETPATH:
	case ERROR_BAD_NET_NAME: case ERROR_INVALID_DRIVE:
		return PS_ENOTFOUND;
	case ERROR_SHARING_VIOLATION: case ERROR_LOCK_VIOLATION:
		return PS_ELOCKED;
	case ERROR_FILE_EXISTS: case ERROR_ALREADY_EXISTS:
		return PS_EEXISTS;
	case ERROR_DISK_FULL: case ERROR_HANDLE_DISK_FULL:
		return PS_ENOSPC;
	case ERROR_NOT_ENOUGH_MEMORY: case ERROR_OUTOFMEMORY:
		return PS_ENOMEM;
	default:
		return PS_EIO;
	}
}

static int win_error(DWORD code, const char *what, const char *path)
{
	char msg[256];

	if (code == ERROR_SHARING_VIOLATION || code == ERROR_LOCK_VIOLATION)
		return ps_error_set(PS_ELOCKED, "cannot %s '%s': the file is in use by another "
			"program (is Outlook running?)", what, path);
	if (code == ERROR_DISK_FULL || code == ERROR_HANDLE_DISK_FULL)
		return ps_error_set(PS_ENOSPC, "cannot %s '%s': the disk is full", what, path);
	system_message(code, msg, sizeof(msg));
	return ps_error_set(win_status(code), "cannot %s '%s': %s", what, path, msg);
}

/* Opens tried on a sharing violation: 25 + 50 + ... + 175 ms of waiting. */
#define OPEN_ATTEMPTS 8

int ps_file_open(ps_file **out, const char *path, unsigned flags)
{
	DWORD access = GENERIC_READ, share = FILE_SHARE_READ | FILE_SHARE_WRITE, disposition = OPEN_EXISTING;
	wchar_t *wpath;
	HANDLE h;
	ps_file *file;
	DWORD attrs, attempt, code;

	*out = NULL;
	if (flags & (PS_OPEN_WRITE | PS_OPEN_CREATE))
		access |= GENERIC_WRITE;
	if (flags & PS_OPEN_CREATE)
		disposition = CREATE_NEW;
	if (flags & PS_OPEN_LOCK_EXCLUSIVE)
		share = 0;
	else if (flags & PS_OPEN_LOCK_SHARED)
		share = FILE_SHARE_READ;
	wpath = widen(path);
	if (!wpath)
		return ps_error_set(PS_ENOMEM, "out of memory opening '%s'", path);
	attrs = GetFileAttributesW(wpath);
	if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY)) {
		free(wpath);
		return ps_error_set(PS_EINVAL, "cannot open '%s': it is a directory", path);
	}
	for (attempt = 1;; attempt++) {
		h = CreateFileW(wpath, access, share, NULL, disposition, FILE_ATTRIBUTE_NORMAL, NULL);
		code = h == INVALID_HANDLE_VALUE ? GetLastError() : 0;
		if (code == 0 || attempt == OPEN_ATTEMPTS ||
		    (code != ERROR_SHARING_VIOLATION && code != ERROR_LOCK_VIOLATION))
			break;
		Sleep(25 * attempt);
	}
	free(wpath);
	if (h == INVALID_HANDLE_VALUE) {
		if (code == ERROR_FILE_EXISTS)
			return ps_error_set(PS_EEXISTS, "cannot create '%s': the file exists", path);
		return win_error(code, "open", path);
	}
	file = calloc(1, sizeof(*file));
	if (file)
		file->path = _strdup(path);
	if (!file || !file->path) {
		free(file);
		CloseHandle(h);
		return ps_error_set(PS_ENOMEM, "out of memory opening '%s'", path);
	}
	file->handle = h;
	file->writable = (flags & (PS_OPEN_WRITE | PS_OPEN_CREATE)) != 0;
	*out = file;
	return PS_OK;
}

void ps_file_close(ps_file *file)
{
	if (!file)
		return;
	CloseHandle(file->handle);
	free(file->path);
	free(file);
}

int ps_file_read_at(ps_file *file, uint64_t offset, void *buf, size_t size)
{
	unsigned char *p = buf;

	while (size > 0) {
		OVERLAPPED ov;
		DWORD chunk = size > 0x40000000 ? 0x40000000 : (DWORD)size, got = 0;

		memset(&ov, 0, sizeof(ov));
		ov.Offset = (DWORD)offset;
		ov.OffsetHigh = (DWORD)(offset >> 32);
		file->io.reads++;
		if (!ReadFile(file->handle, p, chunk, &got, &ov)) {
			DWORD code = GetLastError();
			if (code != ERROR_HANDLE_EOF)
				return win_error(code, "read", file->path);
		}
		file->io.bytes_read += got;
		if (got == 0)
			return ps_error_set(PS_ECORRUPT, "cannot read '%s': the file is truncated "
				"(offset %llu is past its end)", file->path, (unsigned long long)offset);
		p += got;
		offset += got;
		size -= got;
	}
	return PS_OK;
}

int ps_file_write_at(ps_file *file, uint64_t offset, const void *buf, size_t size)
{
	const unsigned char *p = buf;

	fault_point(file);
	while (size > 0) {
		OVERLAPPED ov;
		DWORD chunk = size > 0x40000000 ? 0x40000000 : (DWORD)size, put = 0;

		memset(&ov, 0, sizeof(ov));
		ov.Offset = (DWORD)offset;
		ov.OffsetHigh = (DWORD)(offset >> 32);
		file->io.writes++;
		if (!WriteFile(file->handle, p, chunk, &put, &ov))
			return win_error(GetLastError(), "write", file->path);
		file->io.bytes_written += put;
		p += put;
		offset += put;
		size -= put;
	}
	return PS_OK;
}

int ps_file_sync(ps_file *file)
{
	fault_point(file);
	file->io.syncs++;
	if (!FlushFileBuffers(file->handle))
		return win_error(GetLastError(), "flush", file->path);
	return PS_OK;
}

int ps_file_size(ps_file *file, uint64_t *size_out)
{
	LARGE_INTEGER li;

	if (!GetFileSizeEx(file->handle, &li))
		return win_error(GetLastError(), "stat", file->path);
	*size_out = (uint64_t)li.QuadPart;
	return PS_OK;
}

int ps_file_truncate(ps_file *file, uint64_t size)
{
	FILE_END_OF_FILE_INFO info;

	info.EndOfFile.QuadPart = (LONGLONG)size;
	if (!SetFileInformationByHandle(file->handle, FileEndOfFileInfo, &info, sizeof(info)))
		return win_error(GetLastError(), "resize", file->path);
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
	wchar_t *wpath = widen(path), *wmode = widen(mode);
	FILE *f = NULL;

	if (wpath && wmode)
		f = _wfopen(wpath, wmode);
	free(wpath);
	free(wmode);
	return f;
}

int ps_path_kind(const char *path)
{
	wchar_t *wpath = widen(path);
	DWORD attrs;

	if (!wpath)
		return PS_PATH_NONE;
	attrs = GetFileAttributesW(wpath);
	free(wpath);
	if (attrs == INVALID_FILE_ATTRIBUTES)
		return PS_PATH_NONE;
	if (attrs & FILE_ATTRIBUTE_DIRECTORY)
		return PS_PATH_DIR;
	return PS_PATH_FILE;
}

int ps_path_stamp(const char *path, char *out, size_t size)
{
	wchar_t *wpath = widen(path);
	BY_HANDLE_FILE_INFORMATION info;
	FILE_BASIC_INFO basic;
	HANDLE h;
	DWORD err;
	int ok;

	if (!wpath)
		return ps_error_set(PS_ENOMEM, "out of memory");
	/* the attributes only, whoever holds the file */
	h = CreateFileW(wpath, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
		OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
	free(wpath);
	if (h == INVALID_HANDLE_VALUE) {
		err = GetLastError();
		return ps_error_set(err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND ?
			PS_ENOTFOUND : PS_EIO, "cannot look at '%s': Windows error %lu", path,
			(unsigned long)err);
	}
	ok = GetFileInformationByHandle(h, &info) &&
		GetFileInformationByHandleEx(h, FileBasicInfo, &basic, sizeof(basic));
	err = GetLastError();
	CloseHandle(h);
	if (!ok)
		return ps_error_set(PS_EIO, "cannot look at '%s': Windows error %lu", path,
			(unsigned long)err);
	snprintf(out, size, "%llu %llu %lld %lu %llu",
		(unsigned long long)info.nFileSizeHigh << 32 | info.nFileSizeLow,
		(unsigned long long)info.ftLastWriteTime.dwHighDateTime << 32 | info.ftLastWriteTime.dwLowDateTime,
		(long long)basic.ChangeTime.QuadPart, (unsigned long)info.dwVolumeSerialNumber,
		(unsigned long long)info.nFileIndexHigh << 32 | info.nFileIndexLow);
	return PS_OK;
}

int ps_path_absolute(const char *path, char **out)
{
	wchar_t *wpath = widen(path), *full = NULL;
	DWORD n;
	int len;

	*out = NULL;
	if (!wpath)
		return ps_error_set(PS_ENOMEM, "out of memory");
	n = GetFullPathNameW(wpath, 0, NULL, NULL);
	if (n > 0)
		full = malloc((size_t)n * sizeof(wchar_t));
	if (!full || GetFullPathNameW(wpath, n, full, NULL) == 0) {
		free(wpath);
		free(full);
		return ps_error_set(PS_EIO, "cannot resolve '%s'", path);
	}
	free(wpath);
	len = WideCharToMultiByte(CP_UTF8, 0, full, -1, NULL, 0, NULL, NULL);
	*out = len > 0 ? malloc((size_t)len) : NULL;
	if (*out)
		WideCharToMultiByte(CP_UTF8, 0, full, -1, *out, len, NULL, NULL);
	free(full);
	return *out ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
}

int ps_path_mkdirs(const char *path)
{
	char *copy = _strdup(path);
	char *p;
	int rc = PS_OK;

	if (!copy)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (p = copy + 1; ; p++) {
		if (*p == '/' || *p == '\\' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (!(p - copy == 2 && copy[1] == ':')) {
				wchar_t *w = widen(copy);
				if (!w) {
					rc = ps_error_set(PS_ENOMEM, "out of memory");
					break;
				}
				if (!CreateDirectoryW(w, NULL) && GetLastError() != ERROR_ALREADY_EXISTS
				    && GetLastError() != ERROR_ACCESS_DENIED) {
					rc = win_error(GetLastError(), "create folder", copy);
					free(w);
					break;
				}
				free(w);
			}
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	free(copy);
	if (rc == PS_OK && ps_path_kind(path) != PS_PATH_DIR)
		rc = ps_error_set(PS_EIO, "cannot create folder '%s'", path);
	return rc;
}

int ps_path_remove(const char *path)
{
	wchar_t *w = widen(path);
	int rc = PS_OK;

	if (!w)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (!DeleteFileW(w) && GetLastError() != ERROR_FILE_NOT_FOUND
	    && GetLastError() != ERROR_PATH_NOT_FOUND)
		rc = win_error(GetLastError(), "remove", path);
	free(w);
	return rc;
}

int ps_path_rename(const char *from, const char *to)
{
	wchar_t *wf = widen(from), *wt = widen(to);
	int rc = PS_OK;

	if (!wf || !wt)
		rc = ps_error_set(PS_ENOMEM, "out of memory");
	else if (!MoveFileExW(wf, wt, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
		rc = win_error(GetLastError(), "replace", to);
	free(wf);
	free(wt);
	return rc;
}

uint64_t ps_time_now(void)
{
	FILETIME ft;

	GetSystemTimeAsFileTime(&ft);
	return ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

uint64_t ps_clock_ns(void)
{
	LARGE_INTEGER freq, now;

	QueryPerformanceFrequency(&freq);
	QueryPerformanceCounter(&now);
	return (uint64_t)((double)now.QuadPart * 1e9 / (double)freq.QuadPart);
}

int ps_random_bytes(void *buf, size_t size)
{
	if (BCryptGenRandom(NULL, buf, (ULONG)size, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
		return ps_error_set(PS_EIO, "cannot read the system's random source");
	return PS_OK;
}

int ps_os_getenv(char **out, const char *name)
{
	wchar_t wname[64], *buf = NULL;
	DWORD n;
	int size, rc = PS_ENOTFOUND;

	*out = NULL;
	if (!MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, 64))
		return PS_ENOTFOUND;
	n = GetEnvironmentVariableW(wname, NULL, 0);
	if (n <= 1 || !(buf = malloc(n * sizeof(wchar_t))))
		return n <= 1 ? PS_ENOTFOUND : ps_error_set(PS_ENOMEM, "out of memory");
	if (GetEnvironmentVariableW(wname, buf, n) + 1 != n)
		goto cleanup;
	size = WideCharToMultiByte(CP_UTF8, 0, buf, -1, NULL, 0, NULL, NULL);
	if (size <= 0)
		goto cleanup;
	if (!(*out = malloc((size_t)size))) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	WideCharToMultiByte(CP_UTF8, 0, buf, -1, *out, size, NULL, NULL);
	rc = PS_OK;
cleanup:
	free(buf);
	return rc;
}

int ps_os_config_dir(char **out)
{
	wchar_t buf[MAX_PATH + 1];
	DWORD n;
	int size;

	*out = NULL;
	/* the variable first, so that a user or a test can point it elsewhere */
	n = GetEnvironmentVariableW(L"APPDATA", buf, MAX_PATH + 1);
	if (n == 0 || n > MAX_PATH) {
		if (SHGetFolderPathW(NULL, CSIDL_APPDATA, NULL, SHGFP_TYPE_CURRENT, buf) != S_OK)
			return ps_error_set(PS_ENOTFOUND, "cannot find the settings folder: no APPDATA "
				"folder");
		n = (DWORD)wcslen(buf);
	}
	while (n > 3 && (buf[n - 1] == L'\\' || buf[n - 1] == L'/'))
		buf[--n] = 0;
	size = WideCharToMultiByte(CP_UTF8, 0, buf, -1, NULL, 0, NULL, NULL);
	if (size <= 0)
		return ps_error_set(PS_EIO, "cannot convert the APPDATA folder's name to UTF-8");
	*out = malloc((size_t)size);
	if (!*out)
		return ps_error_set(PS_ENOMEM, "out of memory");
	WideCharToMultiByte(CP_UTF8, 0, buf, -1, *out, size, NULL, NULL);
	return PS_OK;
}
#endif
