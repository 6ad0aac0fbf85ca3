/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Small helpers of the tray application: conversions between the core's
 * UTF-8 and Windows' UTF-16, strings from the resource string table, and
 * the log file %LOCALAPPDATA%\pstsync\pstsync.log, which records every sync
 * with its counts and every error. The log is appended one whole line at a
 * time (opened, written, closed) under a lock, so the worker and the UI
 * thread may both write and another program may read it at any time.
 */
#include "win/tray.h"

#include <shlobj.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wchar_t *tray_wide(const char *s)
{
	int n;
	wchar_t *w;

	if (!s)
		return NULL;
	n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
	if (n <= 0 || !(w = malloc((size_t)n * sizeof(wchar_t))))
		return NULL;
	MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
	return w;
}

char *tray_utf8(const wchar_t *s)
{
	int n;
	char *u;

	if (!s)
		return NULL;
	n = WideCharToMultiByte(CP_UTF8, 0, s, -1, NULL, 0, NULL, NULL);
	if (n <= 0 || !(u = malloc((size_t)n)))
		return NULL;
	WideCharToMultiByte(CP_UTF8, 0, s, -1, u, n, NULL, NULL);
	return u;
}

void tray_wide_buf(wchar_t *buf, size_t size, const char *s)
{
	if (!size)
		return;
	buf[0] = 0;
	if (!s)
		return;
	if (!MultiByteToWideChar(CP_UTF8, 0, s, -1, buf, (int)size)) {
		/* too long: cut (the conversion filled the buffer as far as it could) */
		buf[size - 1] = 0;
	}
}

const wchar_t *tray_string(UINT id)
{
	/* a few slots, so that two strings can be used in one call */
	static wchar_t slots[4][512];
	static int next;
	wchar_t *buf = slots[next++ & 3];

	if (!LoadStringW(g_tray.inst, id, buf, 512))
		buf[0] = 0;
	return buf;
}

static CRITICAL_SECTION log_lock;
static wchar_t log_file[MAX_PATH + 32];

void tray_log_init(void)
{
	wchar_t *base = NULL;

	InitializeCriticalSection(&log_lock);
	if (SHGetKnownFolderPath(&FOLDERID_LocalAppData, KF_FLAG_CREATE, NULL, &base) != S_OK) {
		CoTaskMemFree(base);
		return;
	}
	_snwprintf(log_file, MAX_PATH, L"%ls\\pstsync", base);
	log_file[MAX_PATH] = 0;
	CoTaskMemFree(base);
	CreateDirectoryW(log_file, NULL);
	wcscat(log_file, L"\\pstsync.log");
}

const wchar_t *tray_log_path(void)
{
	return log_file;
}

void tray_log(const char *fmt, ...)
{
	char line[2048];
	SYSTEMTIME st;
	va_list ap;
	int n, m;
	HANDLE h;
	DWORD written;

	if (!log_file[0])
		return;
	GetLocalTime(&st);
	n = snprintf(line, sizeof(line), "%04u-%02u-%02u %02u:%02u:%02u ", st.wYear, st.wMonth,
		st.wDay, st.wHour, st.wMinute, st.wSecond);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 2, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if (n > (int)sizeof(line) - 3)
		n = (int)sizeof(line) - 3;
	line[n++] = '\r';
	line[n++] = '\n';
	EnterCriticalSection(&log_lock);
	h = CreateFileW(log_file, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE |
		FILE_SHARE_DELETE, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
	if (h != INVALID_HANDLE_VALUE) {
		WriteFile(h, line, (DWORD)n, &written, NULL);
		CloseHandle(h);
	}
	LeaveCriticalSection(&log_lock);
}
