/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Small helpers of the tray application: conversions between the core's
 * UTF-8 and Windows' UTF-16, strings from the resource string table, and
 * the log file %LOCALAPPDATA%\pstsync\pstsync.log, which records every sync
 * with its counts and every error. The log is appended one whole line at a
 * time (opened, written, closed) under a lock, so the worker and the UI
 * thread may both write and another program may read it at any time.
 *
 * Every text a person reads comes from the string tables of res/app.rc
 * (English) and res/app_de.rc (German), the log's lines too (tray_logs):
 * Windows picks the table by the user's display language. What the portable
 * core says (its error messages) stays as the core words it, in English.
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

const wchar_t *tray_load(wchar_t *buf, size_t size, UINT id)
{
	if (!size)
		return buf;
	if (LoadStringW(g_tray.inst, id, buf, (int)(size > 0x7fffffff ? 0x7fffffff : size)) <= 0)
		buf[0] = 0;
	return buf;
}

const char *tray_load_utf8(char *buf, size_t size, UINT id)
{
	wchar_t w[512];

	if (!size)
		return buf;
	tray_load(w, 512, id);
	if (!WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, (int)size, NULL, NULL))
		buf[0] = 0;
	buf[size - 1] = 0;
	return buf;
}

void tray_counts_add(wchar_t *buf, size_t size, UINT id, unsigned n)
{
	size_t len = wcslen(buf);

	if (len && len + 2 < size) {
		wcscpy(buf + len, L", ");
		len += 2;
	}
	if (len + 1 < size)
		tray_format(buf + len, size - len, id, n);
}

void tray_counts_add2(wchar_t *buf, size_t size, UINT one, UINT many, unsigned n)
{
	tray_counts_add(buf, size, TRAY_PLURAL(n, one, many), n);
}

int tray_format(wchar_t *buf, size_t size, UINT id, ...)
{
	wchar_t fmt[1024];
	va_list ap;
	int n;

	if (!size)
		return 0;
	tray_load(fmt, 1024, id);
	va_start(ap, id);
	n = _vsnwprintf(buf, size - 1, fmt, ap);
	va_end(ap);
	buf[size - 1] = 0;
	if (n < 0 || (size_t)n >= size)
		n = (int)wcslen(buf);
	return n;
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

static void log_line(const char *fmt, va_list ap)
{
	char line[2048];
	SYSTEMTIME st;
	int n, m;
	HANDLE h;
	DWORD written;

	if (!log_file[0])
		return;
	GetLocalTime(&st);
	n = snprintf(line, sizeof(line), "%04u-%02u-%02u %02u:%02u:%02u ", st.wYear, st.wMonth,
		st.wDay, st.wHour, st.wMinute, st.wSecond);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 2, fmt, ap);
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

void tray_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(fmt, ap);
	va_end(ap);
}

void tray_logs(UINT id, ...)
{
	wchar_t wide[1024];
	char fmt[2048];
	va_list ap;

	tray_load(wide, 1024, id);
	if (!WideCharToMultiByte(CP_UTF8, 0, wide, -1, fmt, (int)sizeof(fmt), NULL, NULL))
		fmt[0] = 0;
	va_start(ap, id);
	log_line(fmt, ap);
	va_end(ap);
}
