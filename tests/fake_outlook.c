/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * A stand-in for OUTLOOK.EXE in the tray application's tests
 * (tests/tray_outlook_test.sh), cross-built by `make win` into
 * build/win64/test/OUTLOOK.EXE. What matters to pstsync is that Outlook
 * shows up in the process list under that name and opens its PST files
 * exclusively; this does both and nothing else. Its folder of files is
 * named by the environment variable FAKE_OUTLOOK_DIR (a Windows path), so
 * that it works the same started by the test or by pstsyncw:
 *
 *   DIR\outlook-stores.txt   the stores to hold, one path per line (UTF-8)
 *   DIR\outlook-started.txt  a line "started" is appended once every store
 *                            is held, or "cannot open 'path': error N"
 *   DIR\outlook-quit         when this file appears (one there at the start
 *                            does not count) it is deleted, the
 *                            stores are closed, "exited" is appended to
 *                            outlook-started.txt and the program ends
 *
 * Killing it does as well. It ends by itself after ten minutes, so that a
 * test that failed half-way leaves nothing running. Exit status: 0, or 1
 * when FAKE_OUTLOOK_DIR is missing or a store cannot be opened.
 *
 * `--taskbar-created` (the test runs it under another name, so that it is
 * not taken for Outlook) instead sends the running pstsyncw the message
 * Explorer broadcasts when it starts again, "TaskbarCreated", and ends:
 * status 0, or 1 when no pstsyncw window is there.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STORES 8

static wchar_t dir[MAX_PATH];

static void path_of(wchar_t *out, const wchar_t *name)
{
	_snwprintf(out, MAX_PATH - 1, L"%ls\\%ls", dir, name);
	out[MAX_PATH - 1] = 0;
}

static void record(const char *line)
{
	wchar_t path[MAX_PATH];
	HANDLE h;
	DWORD written;

	path_of(path, L"outlook-started.txt");
	h = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
		OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return;
	WriteFile(h, line, (DWORD)strlen(line), &written, NULL);
	WriteFile(h, "\r\n", 2, &written, NULL);
	CloseHandle(h);
}

/* Open @p path as Outlook does: reading and writing, sharing nothing. */
static HANDLE hold(const char *path)
{
	wchar_t w[MAX_PATH];
	HANDLE h = INVALID_HANDLE_VALUE;
	int i;

	if (!MultiByteToWideChar(CP_UTF8, 0, path, -1, w, MAX_PATH))
		return INVALID_HANDLE_VALUE;
	/* a sync holding the store for a moment: wait for it, as a user would */
	for (i = 0; i < 100; i++) {
		h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
			FILE_ATTRIBUTE_NORMAL, NULL);
		if (h != INVALID_HANDLE_VALUE || GetLastError() != ERROR_SHARING_VIOLATION)
			break;
		Sleep(100);
	}
	return h;
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR cmdline, int show)
{
	HANDLE stores[MAX_STORES];
	int n = 0, i, status = 0;
	wchar_t list[MAX_PATH], quit[MAX_PATH];
	char line[MAX_PATH * 3];
	DWORD waited;
	FILE *f;

	(void)inst;
	(void)prev;
	(void)show;
	if (wcsstr(cmdline, L"--taskbar-created")) {
		HWND tray = FindWindowW(L"pstsync.tray", NULL);
		return tray && PostMessageW(tray, RegisterWindowMessageW(L"TaskbarCreated"), 0, 0) ? 0 : 1;
	}
	if (!GetEnvironmentVariableW(L"FAKE_OUTLOOK_DIR", dir, MAX_PATH))
		return 1;
	path_of(list, L"outlook-stores.txt");
	path_of(quit, L"outlook-quit");
	/* only a file that appears from now on counts */
	DeleteFileW(quit);
	if ((f = _wfopen(list, L"r"))) {
		while (n < MAX_STORES && fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\r\n")] = 0;
			if (!line[0])
				continue;
			stores[n] = hold(line);
			if (stores[n] == INVALID_HANDLE_VALUE) {
				char msg[MAX_PATH * 3 + 64];
				snprintf(msg, sizeof(msg), "cannot open '%s': error %lu", line,
					GetLastError());
				record(msg);
				status = 1;
				continue;
			}
			n++;
		}
		fclose(f);
	}
	if (status == 0)
		record("started");
	for (waited = 0; waited < 10 * 60 * 1000; waited += 100) {
		if (GetFileAttributesW(quit) != INVALID_FILE_ATTRIBUTES) {
			DeleteFileW(quit);
			break;
		}
		Sleep(100);
	}
	for (i = 0; i < n; i++)
		CloseHandle(stores[i]);
	record("exited");
	return status;
}
